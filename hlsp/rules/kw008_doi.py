"""DOI is not of the form 10.NNNN/suffix (error), or not under MAST's prefix 10.17909
(warning).

``DOI`` holds the bare DOI of the collection, ``10.<registrant>/<suffix>``;
MAST mints HLSP DOIs under its prefix ``10.17909``.

*Why:* the archive links and cites the collection through this DOI; a URL
(``https://doi.org/...``), a ``doi:`` prefix or a typo breaks the link.  A DOI
under another prefix may be deliberate (a journal's data DOI), so it is a
warning.

A ``DOI`` card saying ``pending`` (or any other stand-in) is an error: while
``hlsp.yaml`` says ``doi: pending`` the headers carry no DOI card at all --
the archive mints the DOI at acceptance and records it in the staged
manifest, CAOM and ObsCore rows (``hlsp stage --doi``), so reviewed headers
are never rewritten.

*How to fix:* Write the bare DOI the archive assigned, e.g. 10.17909/t9-abcd-1234 (no
URL, no 'doi:').

Write only the DOI the archive assigned, e.g. ``DOI = '10.17909/t9-abcd-1234'``; while
it is pending, remove the card (``hlsp fix <folder> --write`` does).

*Example:* fails::

    DOI     = 'https://doi.org/10.17909/t9-abcd-1234'

fixed::

    DOI     = '10.17909/t9-abcd-1234'
"""

import re

from hlsp.judge import FileView
from hlsp.rules._base import Category, Rule, Severity
from hlsp.rules._hints import fix_command_in

RULE = Rule(
    id="KW008",
    name="doi",
    category=Category.KEYWORDS,
    severity=Severity.ERROR,
    source="MAST Common Metadata; HLSP-RULES sec. 2 (DOI under 10.17909)",
)

DOI_RE = re.compile(r"10\.[0-9]{4,9}/\S+\Z")
MAST_PREFIX = "10.17909/"


@RULE.check_headers
def check(file: FileView):
    for hdu in file.hdus:
        card = hdu.card("DOI")
        if card is None or card.vtype != "str" or not card.value.strip():
            continue
        value = card.value.strip()
        if not DOI_RE.match(value) and "10." not in value:
            yield RULE.finding(
                f"DOI = '{value}' is not a DOI; while the DOI is pending the header has no DOI card",
                hdu=hdu.index,
                keyword="DOI",
                hint=f"Remove the DOI card (`{fix_command_in(file)}` does when hlsp.yaml says `doi: pending`); "
                "the archive records the DOI it mints at staging.",
            )
        elif not DOI_RE.match(value):
            yield RULE.finding(f"DOI = '{value}' is not a bare DOI (10.NNNN/suffix)", hdu=hdu.index, keyword="DOI")
        elif not value.startswith(MAST_PREFIX):
            yield RULE.finding(
                f"DOI = '{value}' is not under MAST's prefix 10.17909",
                hdu=hdu.index,
                keyword="DOI",
                severity=Severity.WARNING,
                hint="HLSP collections get a DOI under 10.17909 from the archive; use it unless agreed otherwise.",
            )
