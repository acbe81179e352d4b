"""HLSPID differs from the file name's proj-id, or HLSPVER from its version (or from
hlsp.yaml).

``HLSPID`` must be the proj-id of the file name and ``HLSPVER`` its version
(and both those of the collection's ``hlsp.yaml``, when validating a
contribution).  The comparison ignores case and a leading ``v`` of the
version, as the archive does (``HLSPID = 'TESS-3I'`` matches ``tess-3i``;
``HLSPVER = '1.1'`` matches ``v1.1``).

Applies to files named ``hlsp_...`` and, with ``--product-type``, to any file.

*Why:* the archive files the product under the name's proj-id and version
but shows the header's; when they disagree, a re-delivery replaces the wrong
file or users read the wrong version.  A forgotten ``HLSPVER`` bump is the
typical cause.

*How to fix:* Make HLSPID/HLSPVER agree with the file name (a forgotten HLSPVER bump is
the usual cause); `hlsp fix --write` writes them from hlsp.yaml.

Update ``HLSPVER`` (or ``HLSPID``) -- or the file name -- so that they agree.

*Example:* fails::

    HLSPVER = 'v2      '   (in hlsp_demo_hst_acs_m31_f814w_v1_img.fits)

fixed::

    HLSPVER = 'v1      '   (or, if v2 is right, rename the file ..._v2_img.fits)
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.rules._util import expected, is_product

RULE = Rule(
    id="KW014",
    name="name-consistency",
    category=Category.KEYWORDS,
    severity=Severity.ERROR,
    source="MAST Common Metadata (HLSPID, HLSPVER); MAST File Naming Convention",
)


def _norm_version(v: str) -> str:
    v = v.strip().lower()
    return v[1:] if v.startswith("v") else v


def _norm_id(v: str) -> str:
    return v.strip().lower()


@RULE.check
def check(ctx: FileContext):
    primary = ctx.fits.primary
    if not is_product(ctx) or primary is None:
        return
    checks = (
        ("HLSPID", "proj-id", ctx.name.proj_id, expected(ctx, "proj_id", "hlspid"), _norm_id),
        ("HLSPVER", "version", ctx.name.version, expected(ctx, "version", "hlspver"), _norm_version),
    )
    for kw, label, from_name, from_yaml, norm in checks:
        value = primary.header.get(kw)
        if not isinstance(value, str) or not value.strip():
            continue  # missing / empty: KW001; wrong type: KW004
        refs = [(src, v) for src, v in (("the file name", from_name), ("hlsp.yaml", from_yaml)) if v]
        differs = [f"'{v}' of {src}" for src, v in refs if norm(v) != norm(value)]
        if differs:
            yield RULE.finding(
                f"{kw} = '{value.strip()}' differs from the {label} {' and '.join(differs)}",
                hdu=primary.index,
                keyword=kw,
            )
