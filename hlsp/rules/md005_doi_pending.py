"""doi is 'pending': the archive mints the DOI when it accepts the collection and records
it at staging.

``doi: pending`` is the normal state of a collection under review: MAST mints
the DOI when it accepts the collection.  Until then the products carry no
``DOI`` card (KW001 does not ask for it, KW008 refuses a ``DOI = 'pending'``
card), so reviewed headers are never rewritten for the DOI.

*Why:* a warning, not an error, so that the pull request can turn green; it
stays visible so that the reviewer and the archive know a DOI is owed.
Staging refuses a collection whose DOI is still pending unless the archive
passes the minted one (``hlsp stage --doi 10.17909/...``), which is recorded
in the staged ``manifest.json``, the CAOM observations and the ObsCore rows.

*How to fix:* Nothing to do before acceptance; keep no DOI card in the headers until
then.

Nothing to do before acceptance. The archive records the minted DOI when it stages the
collection (CONTRIBUTING.md, "After merge").

*Example (hlsp.yaml):* fails::

    doi: pending

fixed::

    doi: "10.17909/hlsp-example"   # minted by the archive on acceptance (hlsp stage --doi)
"""

from hlsp.rules._base import Category, CollectionContext, Rule, Severity

RULE = Rule(
    id="MD005",
    name="doi-pending",
    category=Category.METADATA,
    severity=Severity.WARNING,
    source="CONTRIBUTING.md (DOI); HLSP-RULES sec. 2 (DOI under 10.17909)",
    scope="collection",
)


@RULE.check
def check(ctx: CollectionContext):
    c = ctx.contribution
    if c is None:
        return ()
    doi = c.metadata.get("doi")
    if not (isinstance(doi, str) and doi.strip().lower() == "pending"):
        return ()
    return [
        RULE.finding(
            "doi is pending: the archive mints the collection's DOI when it accepts it, and records it when it "
            "stages the files (`hlsp stage --doi 10.17909/...`)",
            **ctx.at(("doi",)),
        )
    ]
