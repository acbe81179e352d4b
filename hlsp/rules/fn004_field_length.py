"""A file-name field is longer than its maximum (target 30, version 9, product type 16,
others 20).

*Why:* each field becomes a database value of bounded size: proj-id,
observatory, instrument and opt-elem at most 20 characters, target 30,
version 9, product type 16, extension 16 (``field_lengths`` in
``validators/vocab/filename.yaml``, as in the official MAST checker).

*How to fix:* Shorten the field; use 'multi' for long lists of values.

Shorten the field: a shorter target id, ``multi`` for a long list of filters or
instruments.
"""

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
            yield RULE.finding(f"the {label} '{value}' has {len(value)} characters; at most {limit} are allowed")
