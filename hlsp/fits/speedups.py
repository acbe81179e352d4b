"""The C/Python switch of the reader's inner loops.

The inner loops (checksums, the finite-value scan, finding the END card and
testing the header bytes, splitting headers into cards and parsing them, the
table-row checks, clean ASCII-table columns) run in C when ``hlsp._speedups`` is
built (``hlsp/_speedups.c``); otherwise, or with ``HLSP_PURE_PYTHON=1``, in
their pure-Python twins in :mod:`hlsp.fits.card`, :mod:`hlsp.fits.checksum`,
:mod:`hlsp.fits.read` and :mod:`hlsp.fits.tables`,
which give the same answers (``tests/fits/test_speedups.py``).

``C`` is the compiled module, or None.  The reader and the table scanner read
it at each call, so a test may set it to None to run the twins.
"""

from __future__ import annotations

import os
from types import ModuleType

C: ModuleType | None
if os.environ.get("HLSP_PURE_PYTHON"):
    C = None
else:
    try:
        from hlsp import _speedups as C
    except ImportError:  # not compiled on this machine
        C = None
