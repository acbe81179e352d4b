"""README.md is missing, or lacks a required section (summary, contacts, version history,
references).

*Why:* the archive requires a README with the project summary, contacts,
the contribution date, the version and what changed since the last
delivery, and references (MAST HLSP How-To, "HLSP_Formats").  Users read it
first; reviewers check it against ``hlsp.yaml``.  Sections are recognised by
their Markdown headings (``## Contacts``), with common synonyms.

*How to fix:* Add the missing sections as Markdown headings; `hlsp init` writes a
template.

Add the missing headings with their text; ``hlsp init`` writes a template with all of
them. Mention the current version and release date in the version history.

*Example (README.md):* fails::

    # Example HLSP
    ## Summary
    An image, a spectrum, a light curve and a catalog of NGC 1234.
    ## Contacts
    Ada Lovelace, ada@hlsp-example.invalid
    ## Version history
    v1, released 2026-11-01: first release.

fixed::

    # Example HLSP
    ## Summary
    An image, a spectrum, a light curve and a catalog of NGC 1234.
    ## Contacts
    Ada Lovelace, ada@hlsp-example.invalid
    ## Version history
    v1, released 2026-11-01: first release.
    ## References
    Lovelace, A. 2026, AJ, 171, 42 (2026AJ....171...42L)
"""

import re

from hlsp.rules._base import Category, CollectionContext, Rule, Severity

RULE = Rule(
    id="CO010",
    name="readme-sections",
    category=Category.COLLECTION,
    severity=Severity.ERROR,
    source="MAST HLSP How-To, HLSP_Formats (README contents); HLSP-RULES sec. 2",
    scope="collection",
)

# Required section -> headings accepted for it (lower case, matched at the start of the heading).
SECTIONS = {
    "Summary": ("summary", "project summary", "abstract", "overview", "description", "introduction", "about"),
    "Contacts": ("contact", "team", "authors", "people"),
    "Version history": ("version", "history", "changes", "changelog", "release", "what changed"),
    "References": ("reference", "citation", "citing", "how to cite", "publications", "bibliography"),
}

_ATX = re.compile(r"\s{0,3}#{1,6}\s+(.*?)\s*#*\s*\Z")
_SETEXT = re.compile(r"\s{0,3}(=+|-+)\s*\Z")


def headings(text: str) -> list[str]:
    """The Markdown headings of ``text`` (ATX and setext), lower case, outside code fences."""
    out: list[str] = []
    fenced = False
    previous = ""
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            previous = ""
            continue
        if fenced:
            continue
        m = _ATX.match(line)
        if m:
            out.append(m.group(1).strip().lower())
        elif _SETEXT.match(line) and previous.strip() and not previous.lstrip().startswith(("-", "*", "|")):
            out.append(previous.strip().lower())
        previous = line
    return out


@RULE.check
def check(ctx: CollectionContext):
    where = {"path": ctx.readme_path}
    if ctx.readme is None:
        yield RULE.finding("README.md is missing (or unreadable): the archive requires one", **where)
        return
    found = [re.sub(r"^[\d.\s]+", "", h) for h in headings(ctx.readme)]
    for section, accepted in SECTIONS.items():
        if not any(h.startswith(a) for h in found for a in accepted):
            yield RULE.finding(f"README.md has no '{section}' section (a heading such as `## {section}`)", **where)
    c = ctx.contribution
    if c is None:
        return
    for label, value in (("version", c.version), ("release date", c.metadata.get("release_date"))):
        if isinstance(value, str) and value and not re.search(rf"(?<![\w.]){re.escape(value)}(?![\w])", ctx.readme):
            yield RULE.finding(
                f"README.md does not mention the {label} {value} of hlsp.yaml",
                severity=Severity.WARNING,
                hint="Say in the version history what this version is, when it was released and what changed.",
                **where,
            )
