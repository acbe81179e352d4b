"""A file-name field is longer than its maximum (target 30, version 9, product type 16,
others 20).

*Why:* each field becomes a database value of bounded size: proj-id,
observatory, instrument and opt-elem at most 20 characters, target 30,
version 9, product type 16, extension 16 (``field_lengths`` in
``validators/vocab/filename.yaml``, as in the official MAST checker).

*How to fix:* Shorten the field: 'multi' for a long list of filters or instruments, a
shorter id for a target.

Shorten the field. A long list of filters or instruments becomes ``multi``. A
per-object, per-epoch target (a TGLC light curve's
``gaiaid-5707485527450614656-s0007-cam2-ccd3``, 42 characters) keeps the object's id and
the epoch or sector, and leaves to the header what it already says (``CAMERA``,
``CCD``): the hint proposes such a name when one fits, e.g.
``gaia5707485527450614656-s0007`` (29 characters). The target then goes to ``HLSPTARG``
(``hlsp fix``) and, with the object's coordinates, to ``targets`` in ``hlsp.yaml``.

*Example (file name):* fails::

    hlsp_tglc_tess_ffi_gaiaid-5707485527450614656-s0007-cam2-ccd3_tess_v1_llc.fits

fixed::

    hlsp_tglc_tess_ffi_gaia5707485527450614656-s0007_tess_v1_llc.fits
"""

import re

from hlsp.names import FIELD_LABELS
from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FN004",
    name="field-length",
    category=Category.FILENAME,
    severity=Severity.ERROR,
    source="mast_contributor_tools filename_check fc_config.yaml; HLSP-RULES sec. 1",
    scope="file",
)


@RULE.check
def check(ctx: FileContext):
    name = ctx.name
    if not name.is_hlsp or ctx.vocab is None:
        return
    if name.fields is not None:
        fields = dict(name.fields)
    elif len(name.parts) > 1:
        fields = {"proj_id": name.parts[1]}  # the only field whose position is certain
    else:
        fields = {}
    fields["extension"] = name.extension
    limits = ctx.vocab.field_lengths
    for field, value in fields.items():
        limit = limits.get(field)
        if limit is not None and len(value) > limit:
            label = FIELD_LABELS.get(field, field)
            hint = None
            if field == "target":
                short = shorter_target(value, limit)
                if short:
                    hint = (
                        f"Keep the object and the epoch/sector, leave camera and CCD to the header: rename the "
                        f"files with the target '{short}' ({len(short)} characters; the archive accepts at most {limit})."
                    )
                else:
                    hint = f"Use a shorter id for the target (the archive accepts at most {limit} characters); put details in the header."
            elif field in ("instrument", "opt_elem", "observatory") and "-" in value:
                hint = f"Use 'multi' for a list of values in the {label} field (the header says which: KW012)."
            yield RULE.finding(
                f"the {label} '{value}' has {len(value)} characters; at most {limit} are allowed", hint=hint
            )


# parts of a per-exposure target that the header holds anyway (CAMERA, CCD ...)
_HEADER_PARTS = re.compile(r"(cam|camera|ccd|chip|det)\d+\Z")
# an id written as "<catalog>id-<digits>": "gaiaid-5707..." -> "gaia5707..."
_ID_PREFIX = re.compile(r"([a-z]+?)(?:id)?-(\d+)(?=-|\Z)")


def shorter_target(value: str, limit: int) -> str | None:
    """A target of at most ``limit`` characters keeping object and epoch, or None when none fits."""
    parts = [p for p in value.split("-") if not _HEADER_PARTS.match(p)]
    short = "-".join(parts)
    if len(short) > limit:
        short = _ID_PREFIX.sub(lambda m: m.group(1) + m.group(2), short, count=1)
    return short if 0 < len(short) <= limit and short != value else None
