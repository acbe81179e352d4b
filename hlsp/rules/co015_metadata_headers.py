"""hlsp.yaml's observatories, filters, targets or target coordinates disagree with the
products' headers (TELESCOP/OBSERVAT, FILTER, HLSPTARG, RA_TARG/DEC_TARG,
RA_OBJ/DEC_OBJ).

Compared for every FITS science product (its first HDUs, no data read):

* ``TELESCOP`` / ``OBSERVAT`` must be one of ``observatories`` (or an alias
  the vocabulary knows, ``validators/vocab/observatories.yaml``);
* ``FILTER`` must be one of ``filters`` (``MULTI``, ``NONE`` and ``CLEAR`` are
  not compared);
* ``HLSPTARG`` must be one of ``targets`` (or a per-epoch / per-sector part
  of one, as in CO014) -- when it differs from the file name's target, which
  CO014 checks;
* the target position, ``RA_TARG``/``DEC_TARG`` (else ``RA_OBJ``/``DEC_OBJ``),
  must lie within 60 arcseconds of the ``ra``/``dec`` that ``targets`` gives
  for the file's target.

``INSTRUME`` is not compared: missions write it in their own words (TESS:
``'TESS Photometer'``) while the file name uses the archive's (``ffi``).

*Why:* hlsp.yaml is the description the archive publishes; the headers are
what the products say about themselves.  When they disagree one of them is
wrong, and the archive cannot tell which.

*How to fix:* Write the header value the message names in hlsp.yaml, or correct the
header.

Each message names the header value and the product: write that value in hlsp.yaml (or
correct the header if hlsp.yaml is right).

*Example (hlsp.yaml):* fails::

    targets:   # the products' headers say DEC_TARG = -7.8458
      - {name: ngc1234, ra: 47.9125, dec: 7.8458}

fixed::

    targets:
      - {name: ngc1234, ra: 47.9125, dec: -7.8458}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hlsp.rules._base import Category, CollectionContext, Rule, Severity
from hlsp.rules._crosscheck import (
    Metadata,
    header_value,
    is_skeleton_default,
    listed,
    normalise,
    plural,
    position,
    separation_deg,
    target_matches,
    target_names,
)

if TYPE_CHECKING:
    from typing import Iterator

    from hlsp.collection_facts import ProductCheck
    from hlsp.findings import Finding

RULE = Rule(
    id="CO015",
    name="metadata-headers",
    category=Category.COLLECTION,
    severity=Severity.ERROR,
    source="MAST Common Metadata; HLSP-RULES sec. 2-3",
    scope="collection",
)

MAX_SEPARATION_ARCSEC = 60.0
NOT_COMPARED_FILTERS = {"multi", "none", "clear", "n/a", ""}


@RULE.check
def check(ctx: CollectionContext):
    c = ctx.contribution
    if c is None:
        return
    meta = c.metadata
    aliases = ctx.vocab.aliases if ctx.vocab is not None else {}
    observatories = listed(meta, "observatories")
    filters = listed(meta, "filters")
    names = target_names(meta)
    seen: dict[tuple, list] = {}  # (what, value) -> [files]; each disagreement reported once
    for chk in ctx.checks:
        if not chk.headers:
            continue
        file = chk.product.filename
        got = header_value(chk.headers, "TELESCOP", "OBSERVAT")
        if got and not is_skeleton_default(meta, "observatories"):
            value = normalise(got[0])
            if value not in observatories and aliases.get(str(got[0]).lower()) not in observatories:
                seen.setdefault(("observatories", value, got[1].split(" ")[0], got[0]), []).append(file)
        got = header_value(chk.headers, "FILTER")
        if got and not is_skeleton_default(meta, "filters") and normalise(got[0]) not in NOT_COMPARED_FILTERS:
            value = normalise(got[0])
            if value not in filters:
                seen.setdefault(("filters", value, "FILTER", got[0]), []).append(file)
        got = header_value(chk.headers, "HLSPTARG")
        name_target = (chk.product.name.get("target") if chk.product.name.fields else None) or ""
        if got and isinstance(got[0], str) and got[0].lower() != name_target and not target_matches(got[0], names):
            seen.setdefault(("targets", got[0].lower(), "HLSPTARG", got[0]), []).append(file)
        yield from _position(ctx, chk, meta)
    for (key, value, keyword, raw), files in seen.items():
        more = f" and {len(files) - 1} more" if len(files) > 1 else ""
        if key == "targets":
            pos = next((position(chk.headers) for chk in ctx.checks if chk.product.filename == files[0]), None)
            coords = f", ra: {pos[0]:.6f}, dec: {pos[1]:.6f}" if pos else ""
            hint = f"Add `- {{name: {value}{coords}}}` to `targets` in hlsp.yaml (or correct HLSPTARG)."
        else:
            hint = f"Add `{value}` to `{key}` in hlsp.yaml (or correct {keyword} in the file)."
        yield RULE.finding(
            f"{keyword} = '{raw}' in {files[0]}{more} ({plural(len(files), 'product')}), but `{key}` does not list '{value}'",
            hint=hint,
            **ctx.at((key,)),
        )


def _position(ctx: CollectionContext, chk: ProductCheck, meta: Metadata) -> Iterator[Finding]:
    name = chk.product.name
    target = (name.get("target") if name.fields else None) or ""
    pos = position(chk.headers)
    if pos is None or not target:
        return
    for i, t in enumerate(meta.get("targets") or []):
        if not isinstance(t, dict) or not target_matches(target, [str(t.get("name", "")).lower()]):
            continue
        ra, dec = t.get("ra"), t.get("dec")
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (ra, dec)):
            return
        sep = separation_deg(float(ra), float(dec), pos[0], pos[1]) * 3600.0
        if sep > MAX_SEPARATION_ARCSEC:
            yield RULE.finding(
                f"targets[{i + 1}] ({t.get('name')}) is at ra {ra}, dec {dec}, but {pos[2]} of "
                f"{chk.product.filename} say {pos[0]:.6f}, {pos[1]:.6f} ({sep / 60:.1f} arcmin away)",
                hint=f"Write `ra: {pos[0]:.6f}, dec: {pos[1]:.6f}` for {t.get('name')} in hlsp.yaml "
                "(or correct the header).",
                **ctx.at(("targets", i)),
            )
        return
