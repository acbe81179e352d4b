"""A field of hlsp.yaml is missing, unknown, or not of the required form (JSON Schema).

*Why:* the archive builds the collection's landing page, its DOI record and
its database rows from ``hlsp.yaml``; ``validators/schemas/hlsp.schema.json``
(JSON Schema 2020-12) says which fields are required and what their values
look like: proj-id and version as in the file names, the lead's name, e-mail
and ORCID iD, a DOI under ``10.17909`` (or ``pending``), references as
bibcodes or DOIs, licence CC BY 4.0, calibration level 3 or 4, dates as
YYYY-MM-DD, and a manifest entry (path or URL, size, sha256, product type)
per file.  Unknown fields are refused because they are usually typos.

*How to fix:* See the message; the schema is validators/schemas/hlsp.schema.json.

Follow the message and its hint; the finding points at the line. ``hlsp manifest
contributions/<proj-id>`` fills in sizes and hashes. Private notes may go under keys
starting with ``x-``.

*Example (hlsp.yaml):* fails::

    calibration_level: 2

fixed::

    calibration_level: 3   # 3: enhanced products (mosaics, combined spectra); 4: analysis products
"""

from hlsp.metadata import schema_problems
from hlsp.rules._base import Category, CollectionContext, Rule, Severity

RULE = Rule(
    id="MD002",
    name="metadata-schema",
    category=Category.METADATA,
    severity=Severity.ERROR,
    source="validators/schemas/hlsp.schema.json; HLSP-RULES sec. 2",
    scope="collection",
)


@RULE.check
def check(ctx: CollectionContext):
    if ctx.contribution is None:
        return  # MD001
    for problem in schema_problems(ctx.contribution.metadata):
        yield RULE.finding(problem.message, hint=problem.hint or RULE.hint, **ctx.at(problem.path, key=problem.key))
