"""hlsp: validate, describe and stage High-Level Science Products (HLSPs).

Library entry points (the CLI is a thin layer over these)::

    from hlsp import validate
    report = validate(["contributions/example/"])
    report.summary.errors
"""

from hlsp.version import __version__  # noqa: E402,F401
from hlsp.engine import Options, iter_validate, validate  # noqa: E402
from hlsp.errors import HlspError  # noqa: E402
from hlsp.findings import Category, FileResult, Finding, Report, Severity  # noqa: E402

__all__ = ["validate", "iter_validate", "Options", "HlspError", "Report", "FileResult", "Finding", "Severity", "Category"]
