"""Helpers for the rule tests (tests/rules/test_<id>.py).

    from _helpers import findings_for, write_fits
    path = write_fits(tmp_path / "hlsp_x_..._img.fits", image_hdu(extra=[("BUNIT", "Jy")]))
    (f,) = findings_for(path, "KW011")

(``tests/rules`` is not a package: pytest puts it on ``sys.path``, and
``tests/`` itself is there through conftest, for ``fitsgen``.)
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Iterable

import numpy as np
from fitsgen import bintable_cards, hdu_bytes, image_ext_cards, primary_cards

from hlsp.engine import Options, validate_file
from hlsp.findings import Finding


def findings_for(path: Path | str, rule_id: str, **options) -> list[Finding]:
    """The findings of the rule ``rule_id`` (run alone) on the file ``path``.

    ``options`` are :class:`hlsp.engine.Options` fields, e.g. ``product_type="image"``
    or ``expected={"proj_id": "demo"}``.
    """
    result = validate_file(str(path), Options(select=[rule_id], **options))
    return [f for f in result.findings if f.rule == rule_id]


def write_fits(path: Path, *hdus: bytes) -> Path:
    """Write the HDUs (bytes from :mod:`fitsgen`) one after another; return ``path``."""
    path.write_bytes(b"".join(hdus))
    return path


def image_hdu(extra: Iterable = (), naxes: tuple[int, ...] = (4, 4), primary: bool = True) -> bytes:
    """A float32 image HDU of zeros (primary or IMAGE extension) with the cards ``extra``."""
    data = np.zeros(tuple(reversed(naxes)), ">f4").tobytes()
    make = primary_cards if primary else image_ext_cards
    return hdu_bytes(make(bitpix=-32, naxes=list(naxes), extra=list(extra)), data)


def empty_primary(extra: Iterable = ()) -> bytes:
    """A primary HDU without data (as in a multi-extension file) with the cards ``extra``."""
    return hdu_bytes(primary_cards(extra=list(extra)))


def table_hdu(columns: list[tuple[str, str, str]], rows: list[tuple], extra: Iterable = ()) -> bytes:
    """A BINTABLE HDU: ``columns`` are (TTYPE, TFORM, numpy dtype), ``rows`` the values."""
    dtype = np.dtype([(name, np.dtype(dt).newbyteorder(">")) for name, _, dt in columns])
    data = np.array(rows, dtype=dtype).tobytes()
    cards = bintable_cards([(n, f) for n, f, _ in columns], len(rows), dtype.itemsize, extra=list(extra))
    return hdu_bytes(cards, data)


# ------------------------------------------------------------- HLSP products
# The primary-header keywords every HLSP product needs (validators/profiles/common.yaml).
COMMON_CARDS = [
    ("HLSPID", "demo"),
    ("HLSPTARG", "M31"),
    ("HLSPVER", "v1"),
    ("TELESCOP", "HST"),
    ("INSTRUME", "ACS"),
    ("OBSERVAT", "HST"),
    ("DOI", "10.17909/demo-0001"),
    ("LICENSE", "CC BY 4.0"),
    ("LICENURL", "https://creativecommons.org/licenses/by/4.0/"),
]
# An image product's extra keywords (validators/profiles/image.yaml, required ones).
IMAGE_CARDS = [
    ("BUNIT", "Jy"),
    ("FILTER", "F814W"),
    ("RA_TARG", 10.68),
    ("DEC_TARG", 41.27),
    ("RADESYS", "ICRS"),
    ("CTYPE1", "RA---TAN"),
    ("CTYPE2", "DEC--TAN"),
    ("CRVAL1", 10.68),
    ("CRVAL2", 41.27),
    ("CRPIX1", 2.0),
    ("CRPIX2", 2.0),
]
IMAGE_NAME = "hlsp_demo_hst_acs_m31_f814w_v1_img.fits"


def replace_cards(cards: list, **changes) -> list:
    """``cards`` with values replaced (``NAME=value``) or removed (``NAME=None``); ``__`` in a name stands for ``-`` (DATE__BEG)."""
    changes = {k.replace("__", "-"): v for k, v in changes.items()}
    out = [(k, changes[k]) if k in changes else (k, v) for k, v in cards if changes.get(k, 0) is not None]
    return out + [(k, v) for k, v in changes.items() if v is not None and k not in {c[0] for c in cards}]


# ----------------------------------------------------------------- astropy.wcs
def astropy_wcs_verdict(path: Path | str, hdu: int, key: str = "") -> str:
    """What astropy.wcs makes of one WCS of a file: the reference the WC rules are compared with.

    ``ctype``: ``WCS()`` raises InconsistentAxisTypesError (bad CTYPE set or
    code); ``singular``: it raises SingularMatrixError, or accepts the header
    but cannot convert CRVAL back to pixels (NaN); ``ok``; ``other: ...`` for
    any other failure (the tests' headers are built to avoid those).
    """
    from astropy.io import fits
    from astropy.wcs import WCS, InconsistentAxisTypesError, SingularMatrixError

    with warnings.catch_warnings(), fits.open(path) as hdul:
        warnings.simplefilter("ignore")
        try:
            w = WCS(hdul[hdu].header, key=key or " ", fobj=hdul)
        except InconsistentAxisTypesError:
            return "ctype"
        except SingularMatrixError:
            return "singular"
        except Exception as exc:  # noqa: BLE001 -- reported to the test as data
            return f"other: {type(exc).__name__}: {exc}"
        if w.wcs.naxis == 0:
            return "ok"
        try:
            pix = w.wcs_world2pix(w.wcs.crval[None, :], 1)
        except SingularMatrixError:
            return "singular"
        except Exception as exc:  # noqa: BLE001
            return f"other: {type(exc).__name__}: {exc}"
        return "ok" if np.all(np.isfinite(pix)) else "singular"


def wc_verdict(findings: Iterable[Finding], hdu: int, key: str = "") -> str:
    """The same verdict from the WC rules' findings for one HDU and WCS letter."""
    rules = set()
    for f in findings:
        alt = f.keyword[-1] if f.keyword and f.keyword[-1].isalpha() else ""
        if f.hdu == hdu and alt == key and f.severity.value == "error":
            rules.add(f.rule)
    if rules & {"WC001", "WC002"}:
        return "ctype"
    if "WC003" in rules:
        return "singular"
    return "ok"
