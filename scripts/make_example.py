#!/usr/bin/env python3
"""Generate the example collection ``contributions/example/``, byte for byte reproducibly.

Four small products of the kinds the archive accepts -- an image with a
celestial WCS, a 1-D spectrum (BINTABLE), a light curve (BINTABLE) and a
catalog (BINTABLE with RA/DEC/SOURCE) -- each with every HLSP keyword and
CHECKSUM/DATASUM, a PNG preview per product, ``README.md`` and ``hlsp.yaml``
with the file manifest.

Determinism: values come from integer arithmetic and IEEE +,-,*,/ only (no
random generator, no transcendental functions whose last bit may differ
between platforms); dates are fixed; headers are written card by card by
:mod:`hlsp.fits.card`; PNGs use stored (uncompressed) deflate blocks.  A test
regenerates the folder and compares it with the committed one.

    python scripts/make_example.py [--out DIR]
"""

from __future__ import annotations

import argparse
import struct
import sys
import zlib
from datetime import datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hlsp.atomic import atomic_open  # noqa: E402
from hlsp.fits.card import format_card, pad_data, seal  # noqa: E402
from hlsp.manifest import local_entry, render_products  # noqa: E402

PROJ_ID = "example"
VERSION = "v1"
TITLE = "Example HLSP: image, spectrum, light curve and catalog of NGC 1234"
LEAD = "Ada Lovelace"
DOI = "10.17909/hlsp-example"  # fictitious, for the example only
REFERENCE = "2026AJ....171...42L"  # fictitious (not the placeholder bibcode of validators/vocab/placeholders.yaml)
TARGET = "ngc1234"
RA, DEC = 47.9125, -7.8458  # degrees, ICRS (fictitious)
FILE_DATE = "2026-10-15"
RELEASE_DATE = "2026-11-01"
LICENSE = "CC BY 4.0"
LICENURL = "https://creativecommons.org/licenses/by/4.0/"

NAMES = {
    "img": f"hlsp_{PROJ_ID}_hst_acs_{TARGET}_f606w_{VERSION}_img",
    "spec": f"hlsp_{PROJ_ID}_hst_stis_{TARGET}_g430l_{VERSION}_spec",
    "lc": f"hlsp_{PROJ_ID}_tess_ffi_{TARGET}_tess_{VERSION}_lc",
    "cat": f"hlsp_{PROJ_ID}_hst_acs_{TARGET}_f606w_{VERSION}_cat",
}


# --------------------------------------------------------------------------- FITS
def hdu(cards: list[tuple], data: bytes = b"") -> bytes:
    lines: list[str] = []
    for c in cards:
        lines += format_card(*c)
    return seal(lines, pad_data(data) if data else b"")


def mjd(iso: str) -> float:
    return (datetime.fromisoformat(iso) - datetime(1858, 11, 17)).total_seconds() / 86400.0


def common_cards(
    telescope: str,
    instrument: str,
    detector: str,
    filt: str,
    aperture: str,
    beg: str,
    end: str,
    exposure: float,
    timesys: str = "UTC",
) -> list[tuple]:
    return [
        ("DATE", FILE_DATE, "date this file was written"),
        ("ORIGIN", "hlsp make_example.py", "who wrote this file"),
        ("TELESCOP", telescope, "telescope"),
        ("OBSERVAT", telescope, "observatory"),
        ("INSTRUME", instrument, "instrument"),
        ("DETECTOR", detector, "detector"),
        ("FILTER", filt, "filter or grating"),
        ("APERTURE", aperture, "aperture"),
        ("PROPOSID", "12345", "proposal id"),
        ("HLSPID", PROJ_ID, "HLSP identifier"),
        ("HLSPNAME", TITLE, "HLSP title"),
        ("HLSPLEAD", LEAD, "HLSP principal investigator"),
        ("HLSPVER", VERSION, "HLSP version"),
        ("HLSPTARG", TARGET, "HLSP target"),
        ("DOI", DOI, "digital object identifier of the HLSP"),
        ("REFERENC", REFERENCE, "bibcode of the describing paper"),
        ("LICENSE", LICENSE, "license"),
        ("LICENURL", LICENURL, "license URL"),
        ("RA_TARG", RA, "[deg] target right ascension"),
        ("DEC_TARG", DEC, "[deg] target declination"),
        ("RADESYS", "ICRS", "reference frame"),
        ("TIMESYS", timesys, "time scale"),
        ("DATE-BEG", beg, "start of observation"),
        ("DATE-END", end, "end of observation"),
        ("MJD-BEG", mjd(beg), "[d] start of observation"),
        ("MJD-END", mjd(end), "[d] end of observation"),
        ("MJD-MID", (mjd(beg) + mjd(end)) / 2, "[d] middle of observation"),
        ("TELAPSE", round((mjd(end) - mjd(beg)) * 86400.0, 3), "[s] elapsed time"),
        ("XPOSURE", exposure, "[s] exposure time"),
        ("EXPTIME", exposure, "[s] exposure time"),
    ]


def noise(*ints: np.ndarray) -> np.ndarray:
    """Deterministic pseudo-noise in [-0.5, 0.5) from integer hashing."""
    h = np.zeros(np.broadcast(*ints).shape, dtype=np.uint64)
    for k, a in zip((np.uint64(73856093), np.uint64(19349663)), ints):
        h ^= a.astype(np.uint64) * k
    h = (h * np.uint64(2654435761)) % np.uint64(1 << 32)
    return h.astype(np.float64) / float(1 << 32) - 0.5


def table_cards(columns: list[tuple[str, str, str]], nrows: int, row_bytes: int, extname: str) -> list[tuple]:
    cards = [
        ("XTENSION", "BINTABLE", "binary table extension"),
        ("BITPIX", 8),
        ("NAXIS", 2),
        ("NAXIS1", row_bytes, "bytes per row"),
        ("NAXIS2", nrows, "rows"),
        ("PCOUNT", 0),
        ("GCOUNT", 1),
        ("TFIELDS", len(columns), "columns"),
    ]
    for i, (name, form, unit) in enumerate(columns, 1):
        cards += [(f"TTYPE{i}", name), (f"TFORM{i}", form)]
        if unit:
            cards.append((f"TUNIT{i}", unit))
    return cards + [("EXTNAME", extname, "extension name"), ("INHERIT", True, "inherit the primary header")]


def primary_only(cards: list[tuple]) -> bytes:
    return hdu([("SIMPLE", True, "conforms to FITS standard"), ("BITPIX", 8), ("NAXIS", 0), ("EXTEND", True)] + cards)


def make_image() -> tuple[bytes, np.ndarray]:
    n = 64
    y, x = np.mgrid[0:n, 0:n].astype(np.float64)
    r2 = (x - 31.3) ** 2 + (y - 33.1) ** 2
    image = 50.0 + 2000.0 / (1.0 + r2 / 4.0) + 300.0 / (1.0 + ((x - 12.0) ** 2 + (y - 50.0) ** 2) / 2.0)
    image += 8.0 * noise(np.arange(n)[:, None], np.arange(n)[None, :])
    data = image.astype(">f4")
    scale = 0.05 / 3600.0  # 0.05 arcsec pixels
    cards = [
        ("SIMPLE", True, "conforms to FITS standard"),
        ("BITPIX", -32),
        ("NAXIS", 2),
        ("NAXIS1", n),
        ("NAXIS2", n),
        ("EXTEND", True),
    ]
    cards += common_cards("HST", "ACS", "WFC", "F606W", "WFC", "2024-03-02T04:10:00", "2024-03-02T05:10:00", 2400.0)
    cards += [
        ("BUNIT", "count/s", "brightness unit"),
        ("PSFSIZE", 0.1, "[arcsec] PSF full width at half maximum"),
        ("WCSAXES", 2, "number of WCS axes"),
        ("CTYPE1", "RA---TAN"),
        ("CTYPE2", "DEC--TAN"),
        ("CUNIT1", "deg"),
        ("CUNIT2", "deg"),
        ("CRVAL1", RA),
        ("CRVAL2", DEC),
        ("CRPIX1", 32.5),
        ("CRPIX2", 32.5),
        ("CD1_1", -scale),
        ("CD1_2", 0.0),
        ("CD2_1", 0.0),
        ("CD2_2", scale),
    ]
    return hdu(cards, data.tobytes()), data.astype(np.float64)


def make_spectrum() -> tuple[bytes, np.ndarray]:
    n = 400
    i = np.arange(n, dtype=np.float64)
    wave = 2900.0 + 5.0 * i
    continuum = 1.0e-15 * (1.0 + (wave - 4000.0) / 5000.0)
    lines = 1.0 - 0.6 / (1.0 + ((wave - 4861.3) / 5.0) ** 2) - 0.4 / (1.0 + ((wave - 4340.5) / 4.0) ** 2)
    flux = continuum * lines * (1.0 + 0.02 * noise(np.arange(n)))
    error = 0.02 * continuum
    rows = np.zeros(n, dtype=[("WAVELENGTH", ">f8"), ("FLUX", ">f4"), ("ERROR", ">f4"), ("DQ", ">i4")])
    rows["WAVELENGTH"], rows["FLUX"], rows["ERROR"] = wave, flux, error
    unit = "erg/s/cm2/Angstrom"
    columns = [("WAVELENGTH", "D", "Angstrom"), ("FLUX", "E", unit), ("ERROR", "E", unit), ("DQ", "J", "")]
    primary = common_cards("HST", "STIS", "CCD", "G430L", "52X2", "2024-03-05T10:00:00", "2024-03-05T10:40:00", 2000.0)
    primary += [("DISPRSR", "G430L", "disperser")]
    ext = table_cards(columns, n, rows.dtype.itemsize, "SPECTRUM")
    return primary_only(primary) + hdu(ext, rows.tobytes()), flux.astype(np.float64)


def make_lightcurve() -> tuple[bytes, np.ndarray]:
    n = 480  # ten days at 30-minute cadence
    beg = "2019-08-22T18:00:00"
    t0 = mjd(beg)
    i = np.arange(n, dtype=np.float64)
    time = t0 + i * (30.0 / 1440.0)
    phase = ((time - t0 - 1.3) / 3.2) % 1.0
    in_transit = (phase < 0.02) | (phase > 0.98)
    flux = 1000.0 * (1.0 - 0.01 * in_transit) + 0.8 * noise(np.arange(n))
    rows = np.zeros(n, dtype=[("TIME", ">f8"), ("FLUX", ">f4"), ("FLUX_ERR", ">f4"), ("QUALITY", ">i4")])
    rows["TIME"], rows["FLUX"], rows["FLUX_ERR"] = time, flux, 0.8
    rows["QUALITY"][::97] = 1
    columns = [("TIME", "D", "d"), ("FLUX", "E", "count/s"), ("FLUX_ERR", "E", "count/s"), ("QUALITY", "J", "")]
    end = "2019-09-01T17:30:00"
    primary = common_cards("TESS", "FFI", "CCD", "TESS", "PHOTOMETRIC", beg, end, round(n * 1800.0 * 0.8, 1), "TDB")
    ext = table_cards(columns, n, rows.dtype.itemsize, "LIGHTCURVE") + [("TIMEUNIT", "d", "unit of TIME")]
    return primary_only(primary) + hdu(ext, rows.tobytes()), flux.astype(np.float64)


def make_catalog() -> tuple[bytes, np.ndarray]:
    n = 20
    i = np.arange(n)
    ra = RA + ((i * 7) % 11 - 5) * 0.0009
    dec = DEC + ((i * 5) % 13 - 6) * 0.0007
    rows = np.zeros(
        n,
        dtype=[
            ("RA", ">f8"),
            ("DEC", ">f8"),
            ("SOURCE", "S16"),
            ("F606W", ">f4"),
            ("F606W_err", ">f4"),
            ("F606W_flag", ">i4"),
        ],
    )
    rows["RA"], rows["DEC"] = ra, dec
    rows["SOURCE"] = [f"{TARGET}-{k:03d}".encode() for k in range(n)]
    rows["F606W"] = 18.0 + 0.25 * i
    rows["F606W_err"] = 0.01 + 0.002 * i
    rows["F606W_err"][-1] = np.nan  # no error estimate for the faintest source
    rows["F606W_flag"][-1] = 1
    columns = [
        ("RA", "D", "deg"),
        ("DEC", "D", "deg"),
        ("SOURCE", "16A", ""),
        ("F606W", "E", "mag"),
        ("F606W_err", "E", "mag"),
        ("F606W_flag", "J", ""),
    ]
    primary = common_cards("HST", "ACS", "WFC", "F606W", "WFC", "2024-03-02T04:10:00", "2024-03-02T05:10:00", 2400.0)
    ext = table_cards(columns, n, rows.dtype.itemsize, "CATALOG")
    points = np.stack([ra, dec], axis=1)
    return primary_only(primary) + hdu(ext, rows.tobytes()), points


# -------------------------------------------------------------------------- PNG
def png(gray: np.ndarray) -> bytes:
    """An 8-bit grayscale PNG with stored (uncompressed) deflate blocks: identical everywhere."""
    h, w = gray.shape
    raw = b"".join(b"\0" + gray[r].astype(np.uint8).tobytes() for r in range(h))
    stored = b""
    for start in range(0, len(raw), 65535):
        block = raw[start : start + 65535]
        final = 1 if start + 65535 >= len(raw) else 0
        stored += struct.pack("<BHH", final, len(block), 0xFFFF ^ len(block)) + block
    zdata = b"\x78\x01" + stored + struct.pack(">I", zlib.adler32(raw))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zdata)
        + chunk(b"IEND", b"")
    )


def scaled(values: np.ndarray) -> np.ndarray:
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    return np.clip((values - lo) / (hi - lo) * 255.0, 0, 255)


def line_plot(values: np.ndarray, width: int = 128, height: int = 64) -> np.ndarray:
    canvas = np.full((height, width), 255, dtype=np.uint8)
    cols = (np.arange(len(values)) * width) // len(values)
    rows = (height - 1) - (scaled(values) * (height - 1) / 255.0).astype(int)
    canvas[rows, cols] = 0
    return canvas


def scatter_plot(points: np.ndarray, size: int = 64) -> np.ndarray:
    canvas = np.full((size, size), 255, dtype=np.uint8)
    xs = (scaled(-points[:, 0]) * (size - 3) / 255.0).astype(int) + 1  # east to the left
    ys = (size - 2) - (scaled(points[:, 1]) * (size - 3) / 255.0).astype(int)
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            canvas[ys + dy, xs + dx] = 0
    return canvas


# ----------------------------------------------------------------- text files
README = f"""\
# {TITLE}

## Summary

This is the example collection of the `hlsp` tool: a fictitious
High-Level Science Product about the galaxy NGC 1234 with one product of each
common kind -- an HST/ACS F606W image, an HST/STIS G430L spectrum, a TESS
light curve and a source catalog.  All values are synthetic.  It shows what a
complete contribution looks like and validates without errors.

## Contacts

- {LEAD} (lead), ada@hlsp-example.invalid, ORCID 0000-0002-7182-8185
- Grace Hopper, grace@hlsp-example.invalid, ORCID 0000-0003-1415-9269

## Data products

| File | Content |
|---|---|
| `{NAMES["img"]}.fits` | 64x64 image, count/s, celestial WCS (TAN) |
| `{NAMES["spec"]}.fits` | 1-D spectrum, 2900-4895 Angstrom, BINTABLE |
| `{NAMES["lc"]}.fits` | light curve, 10 days at 30-minute cadence, BINTABLE |
| `{NAMES["cat"]}.fits` | catalog of 20 sources with F606W magnitudes, BINTABLE |

Each product has a PNG preview with the same name.

## Version history

- {VERSION} ({RELEASE_DATE}): first release.

## References

- Lovelace, A. et al. 2026, AJ 171, 42 ({REFERENCE}; fictitious)
- Collection DOI: {DOI} (fictitious)
"""

HLSP_YAML = f"""\
# Metadata of the example collection (see CONTRIBUTING.md and
# validators/schemas/hlsp.schema.json). Generated by scripts/make_example.py.
proj_id: {PROJ_ID}
title: "{TITLE}"
version: {VERSION}
abstract: >-
  A fictitious collection about the galaxy NGC 1234 with one product of each
  common kind: an HST/ACS image, an HST/STIS spectrum, a TESS light curve and
  a source catalog. It is the example that the hlsp tool's documentation,
  tests and demo use.
lead: {{name: {LEAD}, email: ada@hlsp-example.invalid, orcid: 0000-0002-7182-8185}}
team:
  - {{name: Grace Hopper, email: grace@hlsp-example.invalid, orcid: 0000-0003-1415-9269}}
doi: "{DOI}"  # fictitious
references: ["{REFERENCE}"]
license: {LICENSE}
license_url: {LICENURL}
observatories: [hst, tess]
instruments: [acs, stis, ffi]
filters: [f606w, g430l, tess]
targets:
  - {{name: {TARGET}, ra: {RA}, dec: {DEC}}}
product_types: [img, spec, lc, cat]
calibration_level: 3
release_date: {RELEASE_DATE}
history:
  - {{version: {VERSION}, date: {RELEASE_DATE}, changes: "First release."}}
"""


def generate(out: Path) -> list[str]:
    """Write the collection into ``out``; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    img, img_data = make_image()
    spec, spec_flux = make_spectrum()
    lc, lc_flux = make_lightcurve()
    cat, cat_points = make_catalog()
    files = {
        NAMES["img"] + ".fits": img,
        NAMES["img"] + ".png": png(scaled(img_data)[::-1]),  # north up
        NAMES["spec"] + ".fits": spec,
        NAMES["spec"] + ".png": png(line_plot(spec_flux)),
        NAMES["lc"] + ".fits": lc,
        NAMES["lc"] + ".png": png(line_plot(lc_flux)),
        NAMES["cat"] + ".fits": cat,
        NAMES["cat"] + ".png": png(scatter_plot(cat_points)),
    }
    for name, data in files.items():
        with atomic_open(out / name, "wb") as fh:
            fh.write(data)
    entries = [local_entry(out, name) for name in sorted(files)]
    with atomic_open(out / "README.md") as fh:
        fh.write(README)
    with atomic_open(out / "hlsp.yaml") as fh:
        fh.write(HLSP_YAML + render_products(entries) + "\n")
    return sorted(files) + ["README.md", "hlsp.yaml"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "contributions" / PROJ_ID, help="target folder")
    args = parser.parse_args(argv)
    written = generate(args.out)
    print(f"wrote {len(written)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
