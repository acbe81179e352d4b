"""hlsp: validate, describe and stage High-Level Science Products (HLSPs).

Library entry points (the CLI is a thin layer over these)::

    from hlsp import validate
    report = validate("contributions/example", progress=True)  # files, folders, collections, https:// or s3:// URLs
    report                          # <Report PASS: 9 files, 0 errors, 0 warnings, 0 infos>; an HTML table in Jupyter
    report.summary.errors
    report.to_table()               # astropy Table, one row per finding (report.to_pandas() with pandas)
    print(report.render("text"))    # or "markdown", "json", "github", "junit"

``iter_validate`` streams :class:`FileResult` objects instead; ``hlsp.progress``
has the progress callback helpers (``track``, ``Bar``).
"""

from hlsp.version import __version__  # noqa: E402,F401
from hlsp.engine import Options, iter_validate, validate  # noqa: E402
from hlsp.errors import HlspError  # noqa: E402
from hlsp.findings import Category, FileResult, Finding, Report, Severity  # noqa: E402

__all__ = [
    "validate",
    "iter_validate",
    "Options",
    "HlspError",
    "Report",
    "FileResult",
    "Finding",
    "Severity",
    "Category",
]
