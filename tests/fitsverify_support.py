"""Run HEASARC fitsverify and read its report (for the parity tests).

Only its text is used: ``*** Error:`` lines, each under the title of its HDU,
and the warnings that CHECKSUM or DATASUM disagree.  Its exit status counts
warnings too and means nothing here.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Fitsverify:
    """What fitsverify said about one file."""

    errors: dict  # hdu (0-based, None = file level) -> [message]
    checksum_warnings: set  # {(keyword, hdu)}
    text: str

    @property
    def localised(self) -> bool:
        """False when CFITSIO could not open or step through the file (errors then sit
        at file level or under the title of the HDU *before* the broken one)."""
        lines = [e for errs in self.errors.values() for e in errs]
        return None not in self.errors and not any("Bad HDU?" in e for e in lines)


_HDU_TITLE = re.compile(r"^=+ HDU (\d+):")


def run_fitsverify(tool: str, path: Path) -> Fitsverify:
    """Run ``tool`` (the fitsverify program) on ``path`` and parse its report."""
    # errors go to stderr, the rest to stdout; fitsverify flushes in between, so
    # one pipe keeps every error under the title of its HDU
    proc = subprocess.run(
        [tool, str(path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace", timeout=60
    )
    text = proc.stdout
    errors: dict = {}
    sums: set = set()
    hdu = None
    for line in text.splitlines():
        m = _HDU_TITLE.match(line)
        if m:
            hdu = int(m.group(1)) - 1
        elif line.startswith("< End-of-File >"):
            hdu = None
        elif line.startswith("*** Error:"):
            errors.setdefault(hdu, []).append(line)
        elif "HDU checksum is not in agreement with CHECKSUM" in line or "Invalid CHECKSUM" in line:
            sums.add(("CHECKSUM", hdu))
        elif "Data checksum is not consistent with" in line:
            sums.add(("DATASUM", hdu))
    return Fitsverify(errors, sums, text)
