"""hlsp.yaml is missing, too large, not valid YAML, not a mapping, or has duplicate keys or
aliases.

*Why:* ``hlsp.yaml`` holds the collection's metadata and file manifest; when
it cannot be read nothing else about the collection can be checked.  It comes
from a pull request, so it is read defensively: files over 1 MiB are refused
unread, aliases (``*name``, the "billion laughs" bomb) and merge keys are
refused, a key given twice is refused (YAML tools silently keep the last
one), and the top level must be a mapping of fields.

*How to fix:* Fix the line shown; `hlsp init <proj-id>` writes a valid template.

Correct the line the finding points at. Start from the template that ``hlsp init
<proj-id>`` writes if in doubt; write every value out in full instead of using
``&anchor`` / ``*alias``.

*Example (hlsp.yaml):* fails::

    version: v1
    release_date: 2026-11-01
    version: v1   # the same key again: refused, even with the same value

fixed::

    version: v1
    release_date: 2026-11-01
"""

from hlsp.rules._base import Category, CollectionContext, Rule, Severity

RULE = Rule(
    id="MD001",
    name="metadata-unreadable",
    category=Category.METADATA,
    severity=Severity.ERROR,
    source="CONTRIBUTING.md; validators/schemas/hlsp.schema.json",
    scope="collection",
)


@RULE.check
def check(ctx: CollectionContext):
    err = ctx.load_error
    if err is not None:
        yield RULE.finding(err.message, line=err.line, column=err.column, path=ctx.metadata_path)
