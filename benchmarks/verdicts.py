"""Where hlsp's and fitsverify's structural verdicts on a file differ, and why.

    python benchmarks/realfiles.py verdicts      # on the PyPI corpus

A file's *structural verdict* is "has errors" or not: for fitsverify its error
count (``fitsverify -q``), for hlsp its error findings of the structure and
checksum rules (FS*, CK*; the keyword, WCS and HLSP-convention rules judge
other things, which fitsverify does not).  Every file where the two verdicts
differ is listed with the reason, matched from what each tool says
(:data:`REASONS`); a difference no reason matches is listed as UNEXPLAINED,
which is a finding to look into (a bug in hlsp, or a reason to add here).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STRUCTURAL = re.compile(r"(FS|CK)\d{3}\Z")

# (which side reports errors, the hlsp rule IDs hlsp's errors must all be among
#  (or None), a regex that must match one of fitsverify's messages (or None), the reason)
REASONS = [
    (
        "hlsp",
        {"CK001", "CK002"},
        r"(?i)checksum|datasum",
        "a CHECKSUM or DATASUM does not match the bytes: fitsverify reports that as a warning, hlsp as an "
        "error (the archive's rule: a checksum that fails means the bytes are not the ones written)",
    ),
    (
        "hlsp",
        {"FS006"},
        None,
        "SIMPLE = F (the file says it does not conform to the standard): fitsverify accepts the "
        "statement, hlsp refuses such a product",
    ),
    (
        "fitsverify",
        None,
        r"invalid index \d+ \(> GCOUNT",
        "random groups: fitsverify checks the index n of PTYPEn/PSCALn/PZEROn against GCOUNT instead of "
        "PCOUNT (the number of parameters) -- a fitsverify mistake; the file is valid",
    ),
    (
        "fitsverify",
        None,
        r"checking data fill: tried to move past end of file|read last byte of the file",
        "binary table with a gap before its heap (THEAP > NAXIS1 x NAXIS2): fitsverify puts the end of "
        "the data at THEAP + PCOUNT, counting the gap twice, and reads past the end of the file; the "
        "data unit (NAXIS1 x NAXIS2 + PCOUNT) is complete, as hlsp computes",
    ),
    (
        "fitsverify",
        None,
        r"Logical value in row",
        "a logical (L) column holds bytes other than 'T', 'F' or 0: fitsverify checks every logical "
        "value, hlsp's table row checks (FS019) do not cover logical columns yet",
    ),
    (
        "fitsverify",
        None,
        r"Bad numerical value|Value and Comment not separated",
        "a card's value is followed by junk before the comment (e.g. '-1.38E+00,'): fitsverify parses "
        "the value strictly, hlsp's reader takes the number and leaves the rest to the comment",
    ),
]


@dataclass
class Verdict:
    path: Path
    fv_errors: int
    fv_messages: list[str] = field(default_factory=list)
    hlsp_errors: list[str] = field(default_factory=list)  # structural rule IDs

    @property
    def differs(self) -> bool:
        return bool(self.fv_errors) != bool(self.hlsp_errors)

    def reason(self) -> str:
        side = "hlsp" if self.hlsp_errors else "fitsverify"
        for who, rules, pattern, text in REASONS:
            if who != side:
                continue
            if rules is not None and not set(self.hlsp_errors) <= rules:
                continue
            if pattern is not None and not any(re.search(pattern, m) for m in self.fv_messages):
                continue
            return text
        return "UNEXPLAINED"


def fitsverify_messages(path: Path) -> tuple[int, list[str]]:
    """(error count, every Error and Warning line) of fitsverify on one file."""
    run = subprocess.run(["fitsverify", str(path)], capture_output=True, text=True, errors="replace")
    m = re.search(r"Verification found (\d+) warning\(s\) and (\d+) error\(s\)", run.stdout)
    errors = int(m.group(2)) if m else int(run.returncode != 0)
    msgs = [
        line.strip()
        for line in (run.stdout + run.stderr).splitlines()
        if line.strip().startswith(("*** Error", "*** Warning"))
    ]
    return errors, msgs


def verdicts(files: list[Path]) -> list[Verdict]:
    sys.path.insert(0, str(ROOT))
    from hlsp.engine import validate

    report = validate([str(p) for p in files], jobs=1)
    by_path: dict[str, list[str]] = {}
    for path, f in report.findings():
        if STRUCTURAL.match(f.rule) and f.severity.value == "error":
            by_path.setdefault(str(path), []).append(f.rule)
    out = []
    for p in files:
        errors, msgs = fitsverify_messages(p)
        out.append(Verdict(p, errors, msgs, sorted(set(by_path.get(str(p), [])))))
    return out


def report(files: list[Path]) -> str:
    vs = verdicts(files)
    counts = Counter((bool(v.fv_errors), bool(v.hlsp_errors)) for v in vs)
    lines = [
        f"### Structural verdicts on {len(vs)} real files: hlsp (FS*, CK* errors) vs fitsverify (errors)",
        "",
        f"both clean {counts[(False, False)]}, both errors {counts[(True, True)]}, "
        f"only hlsp errors {counts[(False, True)]}, only fitsverify errors {counts[(True, False)]}",
        "",
        "| file | fitsverify errors | hlsp errors | why they differ |",
        "|---|---|---|---|",
    ]
    for v in vs:
        if v.differs:
            name = v.path.name.split("_", 1)[1]  # without the sha256 prefix
            lines.append(f"| {name} | {v.fv_errors} | {', '.join(v.hlsp_errors) or '-'} | {v.reason()} |")
    unexplained = sum(1 for v in vs if v.differs and v.reason() == "UNEXPLAINED")
    lines += ["", f"unexplained differences: {unexplained}"]
    return "\n".join(lines) + "\n"
