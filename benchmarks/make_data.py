"""Make the benchmark data sets in benchmarks/data/ (gitignored).

    python benchmarks/make_data.py                 # all sets, full size
    python benchmarks/make_data.py --sets A --small 200 --big-mb 50   # quick

Set A  ``data/full/A/``: 2,000 small products (~30 KB each), half 64x64 float32
       images with a celestial WCS, half 1,200-row light-curve tables; ~60
       keywords each, CHECKSUM/DATASUM in every HDU, HLSP file names.  A clean
       delivery: the peers and hlsp should find no errors.
Set B  ``data/full/B/``: 4 float32 images of 500 MiB each (16384 x 8000), written
       in bounded chunks so making them needs little memory.
Set A-real, B-real  ``data/full/A-real/``, ``data/full/B-real/``: the same
       files with the units real products write (``units="real"``): images with
       ``BUNIT = 'ELECTRONS/S'`` (HST), light curves with ``TUNITn = 'e-/s'``
       (TESS).  These are not FITS units: hlsp reports them (KW011 warnings),
       and judging them must cost no more than judging clean ones.
Set C  ``data/full/C/NNNN/``: 100,000 tiny images (16x16 float32, same headers),
       1,000 per folder, for the memory/linearity run.

A set is left alone when its folder already holds what was asked for (a
``.done`` marker records the parameters), so re-running is cheap.  The bytes
are written here card by card (no astropy), the checksums with
``hlsp.fits``'s helpers; ``benchmarks/run.py`` has fitsverify check
every file of sets A and B, so a bug in those helpers could not go unnoticed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from hlsp.fits.card import BLOCK  # noqa: E402
from hlsp.fits.checksum import encode_checksum, ones_add, ones_fold, ones_sum

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


# Unit strings per variant: "clean" (valid FITS units) and "real" (what HST and
# TESS products write; not FITS units).
UNITS = {
    "clean": {"image": "count/s", "rate": "count/s"},
    "real": {"image": "ELECTRONS/S", "rate": "e-/s"},
}


# ----------------------------------------------------------------------- cards
def _value(v) -> str:
    if v is True or v is False:
        return f"{'T' if v else 'F':>20}"
    if isinstance(v, str):
        return ("'" + v.replace("'", "''").ljust(8) + "'").ljust(20)
    if isinstance(v, float):
        return f"{v:>20.12G}"
    return f"{v:>20}"


def card(key: str, value=None, comment: str = "") -> str:
    if key in ("COMMENT", "HISTORY"):
        return f"{key:<8}{value}".ljust(80)[:80]
    text = f"{key:<8}= {_value(value)}"
    if comment:
        text += f" / {comment}"
    return text.ljust(80)[:80]


def header(cards: list[str]) -> bytes:
    text = "".join(cards) + "END".ljust(80)
    return (text + " " * (-len(text) % BLOCK)).encode("ascii")


def with_checksums(cards: list[str], datasum: int) -> bytes:
    """Header bytes with DATASUM and a CHECKSUM that makes the HDU sum to -0."""
    cards = cards + [card("CHECKSUM", "0" * 16, "HDU checksum"), card("DATASUM", str(datasum), "data unit checksum")]
    raw = header(cards)
    total = ones_add(ones_fold(ones_sum(raw)), datasum)
    cards[-2] = card("CHECKSUM", encode_checksum(total), "HDU checksum")
    return header(cards)


def padded(data: bytes, fill: bytes = b"\x00") -> bytes:
    return data + fill * (-len(data) % BLOCK)


# -------------------------------------------------------------------- products
def common_cards(i: int, target: str, telescop: str, instrume: str, filt: str) -> list[str]:
    mjd = 59000.0 + i * 0.01
    return [
        card("HLSPID", "bench", "HLSP identifier"),
        card("HLSPNAME", "Benchmark HLSP", "title"),
        card("HLSPLEAD", "Ada Lovelace", "lead"),
        card("HLSPTARG", target, "target"),
        card("HLSPVER", "v1", "version"),
        card("TELESCOP", telescop, "telescope"),
        card("INSTRUME", instrume, "instrument"),
        card("OBSERVAT", telescop, "observatory"),
        card("FILTER", filt, "filter"),
        card("DOI", "10.17909/t9-bench-0001", "DOI"),
        card("LICENSE", "CC BY 4.0", "licence"),
        card("LICENURL", "https://creativecommons.org/licenses/by/4.0/", "licence URL"),
        card("REFERENC", "2020AJ....160..123X", "reference"),
        card("PROPOSID", 12345, "proposal"),
        card("DATE", "2026-01-01T00:00:00", "file creation date"),
        card("ORIGIN", "hlsp benchmarks", "origin"),
        card("CREATOR", "benchmarks/make_data.py", "software"),
        card("DATE-BEG", "2023-05-31T00:00:00", "start"),
        card("DATE-END", "2023-05-31T01:00:00", "end"),
        card("MJD-BEG", mjd, "start [d]"),
        card("MJD-END", mjd + 1 / 24, "end [d]"),
        card("MJD-MID", mjd + 1 / 48, "mid [d]"),
        card("TIMESYS", "UTC", "time scale"),
        card("XPOSURE", 3600.0, "[s] exposure"),
        card("EXPTIME", 3600.0, "[s] exposure"),
        card("TELAPSE", 3600.0, "[s] elapsed"),
        card("RA_TARG", 150.0 + i * 1e-4, "[deg] target RA"),
        card("DEC_TARG", 2.5 - i * 1e-4, "[deg] target Dec"),
        card("RADESYS", "ICRS", "frame"),
        card("APERTURE", "WFC", "aperture"),
        card("DETECTOR", "WFC", "detector"),
        card("COMMENT", "Synthetic product for the hlsp benchmarks; not real data."),
        card("HISTORY", "made by benchmarks/make_data.py"),
    ]


def image_bytes(i: int, n: int, rng: np.random.Generator, units: str = "clean") -> bytes:
    target = f"ngc{i:06d}"
    data = rng.normal(100.0, 5.0, size=(n, n)).astype(">f4").tobytes()
    cards = [
        card("SIMPLE", True, "conforms to FITS"),
        card("BITPIX", -32, "float32"),
        card("NAXIS", 2),
        card("NAXIS1", n),
        card("NAXIS2", n),
        card("EXTEND", True),
        *common_cards(i, target, "HST", "ACS", "F606W"),
        card("BUNIT", UNITS[units]["image"], "units"),
        card("PSFSIZE", 0.1, "[arcsec] PSF FWHM"),
        card("WCSAXES", 2, "WCS axes"),
        card("CTYPE1", "RA---TAN", "projection"),
        card("CTYPE2", "DEC--TAN", "projection"),
        card("CUNIT1", "deg"),
        card("CUNIT2", "deg"),
        card("CRVAL1", 150.0 + i * 1e-4),
        card("CRVAL2", 2.5 - i * 1e-4),
        card("CRPIX1", n / 2 + 0.5),
        card("CRPIX2", n / 2 + 0.5),
        card("CD1_1", -1.0e-5),
        card("CD1_2", 0.0),
        card("CD2_1", 0.0),
        card("CD2_2", 1.0e-5),
    ]
    body = padded(data)
    return with_checksums(cards, ones_fold(ones_sum(body))) + body


def lightcurve_bytes(i: int, rows: int, rng: np.random.Generator, units: str = "clean") -> bytes:
    target = f"{100000000 + i}"
    prim_cards = [
        card("SIMPLE", True, "conforms to FITS"),
        card("BITPIX", 8),
        card("NAXIS", 0),
        card("EXTEND", True),
        *common_cards(i, target, "TESS", "FFI", "TESS"),
    ]
    primary = with_checksums(prim_cards, 0)
    rec = np.zeros(rows, dtype=[("TIME", ">f8"), ("FLUX", ">f4"), ("FLUX_ERR", ">f4"), ("QUALITY", ">i4")])
    rec["TIME"] = 2000.0 + np.arange(rows) / 48.0
    rec["FLUX"] = rng.normal(1.0, 1e-3, rows)
    rec["FLUX_ERR"] = 1e-3
    body = padded(rec.tobytes())
    ext_cards = [
        card("XTENSION", "BINTABLE", "binary table"),
        card("BITPIX", 8),
        card("NAXIS", 2),
        card("NAXIS1", rec.dtype.itemsize),
        card("NAXIS2", rows),
        card("PCOUNT", 0),
        card("GCOUNT", 1),
        card("TFIELDS", 4),
        card("TTYPE1", "TIME"),
        card("TFORM1", "D"),
        card("TUNIT1", "d"),
        card("TTYPE2", "FLUX"),
        card("TFORM2", "E"),
        card("TUNIT2", UNITS[units]["rate"]),
        card("TTYPE3", "FLUX_ERR"),
        card("TFORM3", "E"),
        card("TUNIT3", UNITS[units]["rate"]),
        card("TTYPE4", "QUALITY"),
        card("TFORM4", "J"),
        card("EXTNAME", "LIGHTCURVE"),
        card("TIMESYS", "TDB"),
        card("RA_TARG", 150.0),
        card("DEC_TARG", 2.5),
        card("RADESYS", "ICRS"),
        card("APERTURE", "FFI"),
        card("DETECTOR", "CCD1"),
        card("FILTER", "TESS"),
    ]
    return primary + with_checksums(ext_cards, ones_fold(ones_sum(body))) + body


def small_name(i: int) -> str:
    if i % 2 == 0:
        return f"hlsp_bench_hst_acs_ngc{i:06d}_f606w_v1_img.fits"
    return f"hlsp_bench_tess_ffi_{100000000 + i}_tess_v1_lc.fits"


# ------------------------------------------------------------------------- sets
def _fresh(folder: Path, params: dict) -> bool:
    """True when ``folder`` already holds the set made with ``params``."""
    marker = folder / ".done"
    return marker.is_file() and json.loads(marker.read_text()) == params


def _finish(folder: Path, params: dict) -> None:
    (folder / ".done").write_text(json.dumps(params))


def _reset(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def make_small(folder: Path, count: int, lc_rows: int = 1200, side: int = 64, units: str = "clean") -> None:
    params = {"count": count, "rows": lc_rows, "side": side, "format": 2}
    if units != "clean":
        params["units"] = units
    if _fresh(folder, params):
        return
    _reset(folder)
    rng = np.random.default_rng(1)
    for i in range(count):
        raw = image_bytes(i, side, rng, units) if i % 2 == 0 else lightcurve_bytes(i, lc_rows, rng, units)
        (folder / small_name(i)).write_bytes(raw)
    _finish(folder, params)


def make_big(folder: Path, count: int, megabytes: int, units: str = "clean") -> None:
    """Images of ``megabytes`` MiB (float32, 16384 columns), written 16 MiB at a time."""
    params = {"count": count, "mib": megabytes, "format": 2}
    if units != "clean":
        params["units"] = units
    if _fresh(folder, params):
        return
    _reset(folder)
    ncol = 16384
    nrow = max(1, megabytes * 1024 * 1024 // (4 * ncol))
    rows_per_chunk = 256
    for k in range(count):
        path = folder / f"hlsp_bench_hst_acs_mosaic{k:02d}_f606w_v1_img.fits"

        # pass 1: the data sum; pass 2: write (keeps memory at one chunk)
        def chunks():
            for r0 in range(0, nrow, rows_per_chunk):
                r1 = min(nrow, r0 + rows_per_chunk)
                vals = np.arange(r0 * ncol, r1 * ncol, dtype=np.float64) % 9973.0 + k
                yield vals.astype(">f4").tobytes()

        total = 0
        for c in chunks():
            total += ones_sum(c)
        nbytes = nrow * ncol * 4
        pad = -nbytes % BLOCK
        cards = [
            card("SIMPLE", True),
            card("BITPIX", -32),
            card("NAXIS", 2),
            card("NAXIS1", ncol),
            card("NAXIS2", nrow),
            card("EXTEND", True),
            *common_cards(k, f"mosaic{k:02d}", "HST", "ACS", "F606W"),
            card("BUNIT", UNITS[units]["image"]),
            card("PSFSIZE", 0.1),
            card("WCSAXES", 2),
            card("CTYPE1", "RA---TAN"),
            card("CTYPE2", "DEC--TAN"),
            card("CRVAL1", 150.0),
            card("CRVAL2", 2.5),
            card("CRPIX1", ncol / 2),
            card("CRPIX2", nrow / 2),
            card("CDELT1", -1e-5),
            card("CDELT2", 1e-5),
        ]
        with open(path, "wb") as fh:
            fh.write(with_checksums(cards, ones_fold(total)))
            for c in chunks():
                fh.write(c)
            fh.write(b"\x00" * pad)
    _finish(folder, params)


def make_tiny(folder: Path, count: int, per_folder: int = 1000, side: int = 16) -> None:
    params = {"count": count, "per_folder": per_folder, "side": side, "format": 2}
    if _fresh(folder, params):
        return
    _reset(folder)
    rng = np.random.default_rng(3)
    for i in range(count):
        sub = folder / f"{i // per_folder:04d}"
        if i % per_folder == 0:
            sub.mkdir()
        (sub / f"hlsp_bench_hst_acs_ngc{i:06d}_f606w_v1_img.fits").write_bytes(image_bytes(i, side, rng))
    _finish(folder, params)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=DATA / "full", help="where the sets go (default benchmarks/data/full)")
    p.add_argument("--sets", default="A,B,C", help="which sets to make (default A,B,C)")
    p.add_argument("--small", type=int, default=2000, help="set A: number of files")
    p.add_argument("--big-count", type=int, default=4, help="set B: number of images")
    p.add_argument("--big-mb", type=int, default=500, help="set B: MiB per image")
    p.add_argument("--tiny", type=int, default=100_000, help="set C: number of files")
    p.add_argument(
        "--units", choices=sorted(UNITS), default="clean", help="sets A and B: clean or real units (A-real, B-real)"
    )
    a = p.parse_args(argv)
    sets = {s.strip().upper() for s in a.sets.split(",")}
    suffix = "" if a.units == "clean" else f"-{a.units}"
    if "A" in sets:
        make_small(a.out / f"A{suffix}", a.small, units=a.units)
        print(f"set A{suffix}: {a.small} small files in {a.out / f'A{suffix}'}")
    if "B" in sets:
        make_big(a.out / f"B{suffix}", a.big_count, a.big_mb, units=a.units)
        print(f"set B{suffix}: {a.big_count} x {a.big_mb} MiB images in {a.out / f'B{suffix}'}")
    if "C" in sets:
        make_tiny(a.out / "C", a.tiny)
        print(f"set C: {a.tiny} tiny files in {a.out / 'C'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
