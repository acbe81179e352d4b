"""A value the file names use is not listed in hlsp.yaml (observatories, instruments,
filters, product_types, targets), or a listed one is unused.

Every value a product's file name gives (observatory, instrument, opt-elem,
product type, target) must be listed in the matching field of ``hlsp.yaml``
(error), and every value listed should be used by some product (warning).
Multi-valued fields (``hst-fuse``) count each value; ``multi`` counts none.
A file's target matches a listed target when it is that target or a
per-epoch / per-sector part of it (``gaia5707485527450614656-s0007`` belongs
to ``gaia5707485527450614656``).  A list that is still the skeleton's example
is left to MD006.

*Why:* the landing page, the search facets and the DOI record are built from
these lists; a list that disagrees with the files publishes a wrong
description of the collection.

*How to fix:* Add the value the message names to the field of hlsp.yaml, or remove the
unused one.

The message names the value to add or remove. For a missing target it gives the
coordinates the headers hold (``RA_TARG``/``DEC_TARG``, else ``RA_OBJ``/``DEC_OBJ``).

*Example (hlsp.yaml):* fails::

    filters: [f606w, g430l]   # the light curve's file name uses the filter tess

fixed::

    filters: [f606w, g430l, tess]
"""

from hlsp.rules._base import Category, CollectionContext, Rule, Severity
from hlsp.rules._crosscheck import (
    LISTS,
    SINGULAR,
    is_skeleton_default,
    listed,
    name_values,
    plural,
    position,
    target_matches,
    target_names,
)

RULE = Rule(
    id="CO014",
    name="metadata-names",
    category=Category.COLLECTION,
    severity=Severity.ERROR,
    source="HLSP-RULES sec. 1-2 (file-name fields; hlsp.yaml describes the products)",
    scope="collection",
)


@RULE.check
def check(ctx: CollectionContext):
    c = ctx.contribution
    if c is None:
        return
    meta = c.metadata
    products = [(chk, chk.product.name.fields) for chk in ctx.checks if not chk.product.is_preview]
    products = [(chk, f) for chk, f in products if f]
    if not products:
        return
    for key in LISTS:
        if is_skeleton_default(meta, key):
            continue  # MD006 reports it, naming the values the file names use
        have = listed(meta, key)
        used: dict[str, int] = {}
        for _, fields in products:
            for v in name_values(fields, key):
                used[v] = used.get(v, 0) + 1
        missing = [v for v in used if v not in have]
        if missing:
            shown = ", ".join(missing)
            files = sum(used[v] for v in missing)
            yield RULE.finding(
                f"{key} does not list {shown}, which {plural(files, 'file name')} use",
                hint=f"Write `{key}: [{', '.join(have + missing)}]` in hlsp.yaml.",
                **ctx.at((key,)),
            )
        unused = [v for v in have if v not in used]
        if unused:
            yield RULE.finding(
                f"{key} lists {', '.join(unused)}, which no product's file name uses",
                hint=f"Remove the unused {SINGULAR[key]} from `{key}` (or add the products that use it).",
                severity=Severity.WARNING,
                **ctx.at((key,)),
            )
    names = target_names(meta)
    missing_targets: dict[str, list] = {}
    for chk, fields in products:
        t = fields.get("target") or ""
        if t and t != "multi" and not target_matches(t, names):
            missing_targets.setdefault(t, []).append(chk)
    for t, checks in missing_targets.items():
        pos = next((position(chk.headers) for chk in checks if position(chk.headers)), None)
        coords = f", ra: {pos[0]:.6f}, dec: {pos[1]:.6f}" if pos else ""
        source = f" ({pos[2]} of {checks[0].product.filename})" if pos else ""
        yield RULE.finding(
            f"targets has no entry for '{t}', the target of {plural(len(checks), 'file name')}",
            hint=f"Add `- {{name: {t}{coords}}}` to `targets` in hlsp.yaml{source}.",
            **ctx.at(("targets",)),
        )
