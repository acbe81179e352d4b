"""Small real collections for the pages tests (no tests here; imported by test_pages_*).

``make_collection`` writes a folder like ``contributions/<proj-id>/``: real FITS
products (an image with a celestial WCS, a 1-D spectrum table, a light curve,
a catalog), their sizes and sha256 in ``hlsp.yaml``, and a README.md.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from astropy.io import fits
from astropy.wcs import WCS

PRODUCTS = {
    "img": "hlsp_{pid}_hst_acs_ngc1234_f606w_{ver}_img.fits",
    "spec": "hlsp_{pid}_hst_stis_ngc1234_g430l_{ver}_spec.fits",
    "lc": "hlsp_{pid}_tess_ffi_ngc1234_tess_{ver}_lc.fits",
    "cat": "hlsp_{pid}_hst_acs_ngc1234_f606w_{ver}_cat.fits",
}


def _primary(pid: str, ver: str) -> fits.PrimaryHDU:
    hdu = fits.PrimaryHDU()
    hdu.header["HLSPID"] = pid
    hdu.header["HLSPVER"] = ver
    return hdu


def write_image(path: Path, shape=(120, 160), pid="demo", ver="v1") -> None:
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [12.5, -30.1]
    w.wcs.crpix = [shape[1] / 2, shape[0] / 2]
    w.wcs.cdelt = [-2e-4, 2e-4]
    y, x = np.mgrid[: shape[0], : shape[1]]
    rng = np.random.default_rng(1)
    data = 100 * np.exp(-((x - shape[1] / 2) ** 2 + (y - shape[0] / 2) ** 2) / 60.0) + rng.normal(0, 1, shape)
    hdr = w.to_header()
    fits.HDUList([_primary(pid, ver), fits.ImageHDU(data.astype(">f4"), header=hdr, name="SCI")]).writeto(path)


def write_table(path: Path, columns: dict[str, tuple[np.ndarray, str]], pid="demo", ver="v1") -> None:
    cols = [fits.Column(name, "D", array=arr, unit=unit or None) for name, (arr, unit) in columns.items()]
    fits.HDUList([_primary(pid, ver), fits.BinTableHDU.from_columns(cols)]).writeto(path)


def write_products(root: Path, pid: str, ver: str) -> dict[str, Path]:
    files = {t: root / name.format(pid=pid, ver=ver) for t, name in PRODUCTS.items()}
    write_image(files["img"], pid=pid, ver=ver)
    wl = np.linspace(3000, 5500, 400)
    write_table(
        files["spec"],
        {"WAVELENGTH": (wl, "Angstrom"), "FLUX": (1e-15 * (1 + 0.2 * np.sin(wl / 90)), "erg/s/cm2/Angstrom")},
        pid,
        ver,
    )
    t = np.linspace(1325.0, 1352.0, 1200)
    write_table(files["lc"], {"TIME": (t, "d"), "FLUX": (1 + 0.01 * np.sin(t * 3), "")}, pid, ver)
    rng = np.random.default_rng(2)
    write_table(
        files["cat"],
        {"RA": (12.5 + rng.normal(0, 0.01, 200), "deg"), "DEC": (-30.1 + rng.normal(0, 0.01, 200), "deg")},
        pid,
        ver,
    )
    return files


def metadata(pid: str, ver: str = "v1", products: list[dict] | None = None, **overrides: Any) -> dict:
    meta = {
        "proj_id": pid,
        "title": f"Demo HLSP {pid}: images, spectra and light curves of NGC 1234",
        "version": ver,
        "abstract": "Images, a spectrum, a light curve and a catalog of NGC 1234, made for the tests.\n\nA second paragraph.",
        "lead": {"name": "Ada Lovelace", "email": "ada@example.org", "orcid": "0000-0002-1825-0097"},
        "team": [{"name": "Charles Babbage", "email": "cb@example.org", "affiliation": "Analytical Engines Ltd"}],
        "doi": "10.17909/t9-demo-1234",
        "references": ["2020AJ....160..123X", "10.3847/1538-3881/abc123"],
        "license": "CC BY 4.0",
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
        "observatories": ["hst", "tess"],
        "instruments": ["acs", "stis", "ffi"],
        "filters": ["f606w", "g430l", "tess"],
        "targets": [{"name": "ngc1234", "ra": 12.5, "dec": -30.1}],
        "product_types": ["img", "spec", "lc", "cat"],
        "calibration_level": 3,
        "release_date": "2026-11-01",
        "history": [{"version": ver, "date": "2026-11-01", "changes": "First release."}],
        "products": products or [],
    }
    meta.update(overrides)
    return meta


def manifest_entry(path: Path, root: Path, product_type: str) -> dict:
    data = path.read_bytes()
    return {
        "path": path.relative_to(root).as_posix(),
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "product_type": product_type,
    }


def make_collection(
    base: Path, pid: str = "demo", ver: str = "v1", extra_products: list[dict] | None = None, **overrides: Any
) -> Path:
    """Write ``base/<pid>/`` with four real products; return the folder."""
    root = base / pid
    root.mkdir(parents=True)
    files = write_products(root, pid, ver)
    products = [manifest_entry(p, root, t) for t, p in files.items()] + list(extra_products or [])
    write_metadata(root, metadata(pid, ver, products, **overrides))
    (root / "README.md").write_text(f"# {pid}\n\nDemo collection for the tests.\n")
    return root


def write_metadata(root: Path, meta: dict) -> None:
    (root / "hlsp.yaml").write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True))


# ------------------------------------------------------------------ injection
MARK = "window.__pwned=1"
# Break-out attempts for text fields: elements, attribute breakers (both quote
# kinds), a script-element closer (for JSON-LD), template and mathtext syntax.
PAYLOAD = (
    f'<script>{MARK};alert("t")</script>"><img src=x onerror="{MARK};alert(1)">'
    f"' onmouseover='{MARK}' \"onerror={MARK}// </script><script>{MARK}</script>"
    "<svg onload=alert(1)>{{ 7*7 }} {% raw %}$x^${ } \\ & %"
)
# A product file name with the same tricks (no "/", short enough for a file system).
FILE_PAYLOAD = f"x<script>{MARK}\"onerror={MARK}' onload=alert(1) <img src=x>.fits"
# Links a page must never make (each would run code or leave the allowed forms).
BAD_URLS = [
    f"javascript:{MARK};alert(1)//",
    f"JaVaScRiPt:{MARK}",
    f"java\tscript:{MARK}",
    f" javascript:{MARK}",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    f'https://example.org/" onmouseover="{MARK}',
    "//evil.example/x.fits",
    "http://example.org/plain-http.fits",
    "https://user:pw@example.org/x.fits",
]


def injected_metadata(pid: str) -> dict:
    """Every metadata field holds a payload (URL fields hold bad URLs)."""
    person = {"name": "Eve " + PAYLOAD, "email": PAYLOAD, "orcid": BAD_URLS[0], "affiliation": PAYLOAD}
    return {
        "proj_id": PAYLOAD,
        "title": "Title " + PAYLOAD,
        "version": PAYLOAD,
        "abstract": PAYLOAD + "\n\n" + PAYLOAD,
        "lead": dict(person),
        "team": [dict(person), {"name": PAYLOAD, "email": PAYLOAD, "orcid": PAYLOAD}],
        "doi": "10.17909/" + PAYLOAD,
        "references": BAD_URLS + [PAYLOAD, "10.1234/<script>alert(1)</script>"],
        "license": PAYLOAD,
        "license_url": BAD_URLS[0],
        "observatories": [PAYLOAD],
        "instruments": [PAYLOAD],
        "filters": [PAYLOAD],
        "targets": [
            {"name": PAYLOAD, "ra": PAYLOAD, "dec": PAYLOAD},
            {"name": "t2 " + PAYLOAD, "ra": 10.0, "dec": 20.0},
        ],
        "product_types": [PAYLOAD],
        "calibration_level": PAYLOAD,
        "release_date": PAYLOAD,
        "history": [{"version": PAYLOAD, "date": PAYLOAD, "changes": PAYLOAD}],
        "x-note": PAYLOAD,
        "products": [
            {"path": FILE_PAYLOAD, "size": PAYLOAD, "sha256": PAYLOAD, "product_type": PAYLOAD, "description": PAYLOAD},
            *({"url": u, "size": 1, "sha256": PAYLOAD, "product_type": "img"} for u in BAD_URLS),
        ],
    }


def make_injected_collection(base: Path, pid: str = "evil") -> Path:
    root = base / pid
    root.mkdir(parents=True)
    meta = injected_metadata(pid)
    (root / meta["products"][0]["path"]).write_bytes(b"<script>alert(1)</script>")
    write_metadata(root, meta)
    return root
