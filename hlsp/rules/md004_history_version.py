"""hlsp.yaml has no history entry for its current version.

*Why:* the archive asks every delivery to say what changed since the last
one (HLSP-RULES sec. 2); the ``history`` list is where users and reviewers
look for it, newest version included.

*How to fix:* Add `- {version: v2, date: 2026-11-01, changes: "..."}` to history.

Add ``- {version: <version>, date: <YYYY-MM-DD>, changes: "..."}`` to ``history``.

*Example (hlsp.yaml):* fails::

    version: v2
    history:
      - {version: v1, date: 2026-11-01, changes: "First release."}

fixed::

    version: v2
    history:
      - {version: v1, date: 2026-11-01, changes: "First release."}
      - {version: v2, date: 2027-03-15, changes: "Recalibrated the F606W image."}
"""

from hlsp.rules._base import Category, CollectionContext, Rule, Severity

RULE = Rule(
    id="MD004",
    name="history-version",
    category=Category.METADATA,
    severity=Severity.WARNING,
    source="MAST HLSP How-To (README: what changed since the last delivery); HLSP-RULES sec. 2",
    scope="collection",
)


@RULE.check
def check(ctx: CollectionContext):
    c = ctx.contribution
    if c is None or not c.version:
        return
    history = c.metadata.get("history")
    versions = [h.get("version") for h in history if isinstance(h, dict)] if isinstance(history, list) else []
    if c.version not in versions:
        where = ("history",) if isinstance(history, list) else ("version",)
        yield RULE.finding(f"history has no entry for version {c.version}: say what changed in it", **ctx.at(where))
