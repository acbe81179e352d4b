"""One IVOA ObsCore 1.1 row per science product, from its headers and the collection metadata.

Every one of the 30 mandatory ObsCore columns is present in every row
(:data:`COLUMNS`), plus ``provenance_name``.  Values come from, in order:

- the collection metadata: ``calib_level`` (``calibration_level``),
  ``obs_collection`` = ``'HLSP'``, ``provenance_name`` = the HLSP id (the
  proj-id in capitals, as MAST's HLSPID keyword writes it);
- the staged file: ``access_url`` (where it was staged), ``access_format``
  (MIME type from the extension), ``access_estsize`` (kilobytes);
- the FITS headers (first value found, primary HDU first): ``target_name``
  (HLSPTARG, OBJECT, else the file name's target), ``facility_name`` (TELESCOP),
  ``instrument_name`` (INSTRUME), ``t_min``/``t_max`` (MJD-BEG/MJD-END, else
  DATE-BEG/DATE-END in TIMESYS, as MJD), ``t_exptime`` (XPOSURE, EXPTIME),
  ``s_resolution`` (PSFSIZE, arcsec);
- the celestial WCS of the first image HDU with one (``astropy.wcs``,
  ``calc_footprint``): ``s_region`` as ``POLYGON ICRS ra1 dec1 ...`` -- four
  corners, ordered counter-clockwise as seen from inside the sphere (the
  STC/DALI and CAOM convention: east is to the left), and checked to be a
  simple (non-self-intersecting), non-degenerate quadrilateral -- ``s_ra``,
  ``s_dec`` (the image centre), ``s_fov`` (twice the largest centre-corner
  distance), ``s_xel1``/``s_xel2`` (NAXIS1/NAXIS2);
- spectra: ``em_min``/``em_max``/``em_xel`` in metres from a wavelength column
  (WAVELENGTH, WAVE, LAMBDA with its TUNIT) or a spectral WCS axis;
  light curves: ``t_xel`` = number of rows.

Tables (spectra, light curves, catalogs) have no footprint: ``s_ra``/``s_dec``
come from RA_TARG/DEC_TARG (else the metadata target of the same name) and
``s_region``, ``s_fov`` are NULL -- ObsCore allows NULL where a value is not
known, and a made-up aperture circle would look like a measurement.  Values we
cannot know from an HLSP (``o_ucd``, polarisation, ``t_resolution``,
``em_res_power``, image wavelengths without a filter curve) are NULL too.
Only equatorial (RA/DEC) celestial WCS give a footprint.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Iterable

from hlsp.fits import HDU, FitsFile
from hlsp.profiles import load_vocabulary

COLLECTION = "HLSP"
DID_BASE = "ivo://mast.stsci.edu/hlsp"  # obs_publisher_did = DID_BASE?<proj-id>/<version>/<file>

# (column, SQL type) -- the 30 mandatory ObsCore 1.1 columns, then the optional ones we fill.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("dataproduct_type", "TEXT"),
    ("calib_level", "INTEGER NOT NULL"),
    ("obs_collection", "TEXT NOT NULL"),
    ("obs_id", "TEXT NOT NULL"),
    ("obs_publisher_did", "TEXT NOT NULL PRIMARY KEY"),
    ("access_url", "TEXT"),
    ("access_format", "TEXT"),
    ("access_estsize", "BIGINT"),
    ("target_name", "TEXT"),
    ("s_ra", "DOUBLE PRECISION"),
    ("s_dec", "DOUBLE PRECISION"),
    ("s_fov", "DOUBLE PRECISION"),
    ("s_region", "TEXT"),
    ("s_resolution", "DOUBLE PRECISION"),
    ("s_xel1", "BIGINT"),
    ("s_xel2", "BIGINT"),
    ("t_min", "DOUBLE PRECISION"),
    ("t_max", "DOUBLE PRECISION"),
    ("t_exptime", "DOUBLE PRECISION"),
    ("t_resolution", "DOUBLE PRECISION"),
    ("t_xel", "BIGINT"),
    ("em_min", "DOUBLE PRECISION"),
    ("em_max", "DOUBLE PRECISION"),
    ("em_res_power", "DOUBLE PRECISION"),
    ("em_xel", "BIGINT"),
    ("o_ucd", "TEXT"),
    ("pol_states", "TEXT"),
    ("pol_xel", "BIGINT"),
    ("facility_name", "TEXT"),
    ("instrument_name", "TEXT"),
    ("provenance_name", "TEXT"),
    ("doi", "TEXT"),  # the collection's DOI, minted by the archive at acceptance (hlsp stage --doi)
)
NAMES = tuple(name for name, _ in COLUMNS)

_DATAPRODUCT_TYPE = {"image": "image", "spectrum": "spectrum", "lightcurve": "timeseries", "catalog": "measurements"}
_MIME = {
    "fits": "application/fits",
    "fits.gz": "application/fits",
    "fits.fz": "application/fits",
    "fits.bz2": "application/fits",
    "csv": "text/csv",
    "ecsv": "text/plain",
    "txt": "text/plain",
    "asdf": "application/asdf",
    "h5": "application/x-hdf5",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "pdf": "application/pdf",
    "md": "text/markdown",
    "yaml": "application/yaml",
    "xml": "application/xml",
    "db": "application/vnd.sqlite3",
}
_WAVE_COLUMNS = ("WAVELENGTH", "WAVE", "LAMBDA")


def mime_type(extension: str) -> str:
    return _MIME.get(extension.lower(), "application/octet-stream")


def publisher_did(proj_id: str, version: str, key: str) -> str:
    return f"{DID_BASE}?{proj_id}/{version}/{key}"


def observation_id(stem: str, fields: dict | None) -> str:
    """The CAOM observation id (and ObsCore obs_id) of a product: its name without the product type.

    ``hlsp_x_hst_acs_ngc1_f606w_v1_img`` and ``..._v1_wht`` belong to observation
    ``hlsp_x_hst_acs_ngc1_f606w_v1``; a name outside the template is its own observation.
    """
    return stem.rsplit("_", 1)[0] if fields else stem


# ------------------------------------------------------------------------ headers
class Keywords:
    """Header lookups across HDUs: the first HDU (primary first) that has the keyword wins."""

    def __init__(self, fits: FitsFile | None):
        self.hdus = fits.hdus if fits is not None and fits.is_fits else []

    def get(self, *names: str) -> Any:
        for name in names:
            for hdu in self.hdus:
                value = hdu.header.get(name)
                if value is not None and value != "":
                    return value
        return None

    def number(self, *names: str) -> float | None:
        value = self.get(*names)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return None
        return float(value)

    def text(self, *names: str) -> str | None:
        value = self.get(*names)
        return value.strip() if isinstance(value, str) and value.strip() else None


def astropy_header(hdu: HDU):
    from astropy.io import fits

    return fits.Header.fromstring("".join(card.raw for card in hdu.header.cards))


def _wcs(hdu: HDU):
    from astropy.utils.exceptions import AstropyWarning
    from astropy.wcs import WCS

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AstropyWarning)
        return WCS(astropy_header(hdu))


# ------------------------------------------------------------------------ geometry
def _unit_vector(ra: float, dec: float) -> tuple[float, float, float]:
    r, d = math.radians(ra), math.radians(dec)
    return (math.cos(d) * math.cos(r), math.cos(d) * math.sin(r), math.sin(d))


def separation(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Angular distance in degrees (haversine, exact at small angles)."""
    (ra1, d1), (ra2, d2) = a, b
    s = (
        math.sin(math.radians(d2 - d1) / 2) ** 2
        + math.cos(math.radians(d1)) * math.cos(math.radians(d2)) * math.sin(math.radians(ra2 - ra1) / 2) ** 2
    )
    return math.degrees(2 * math.asin(min(1.0, math.sqrt(s))))


def tangent_plane(points: Iterable[tuple[float, float]], center: tuple[float, float]) -> list[tuple[float, float]]:
    """Gnomonic projection about ``center`` with x towards the *west* and y north.

    With west to the right the sky is drawn as seen from inside the sphere, so
    a positive signed area here means counter-clockwise in the STC/CAOM sense.
    """
    c = _unit_vector(*center)
    east = (-math.sin(math.radians(center[0])), math.cos(math.radians(center[0])), 0.0)
    north = (c[1] * east[2] - c[2] * east[1], c[2] * east[0] - c[0] * east[2], c[0] * east[1] - c[1] * east[0])
    out = []
    for p in points:
        v = _unit_vector(*p)
        depth = sum(a * b for a, b in zip(v, c))
        if depth <= 0:
            raise ValueError("point more than 90 degrees from the centre")
        out.append((-sum(a * b for a, b in zip(v, east)) / depth, sum(a * b for a, b in zip(v, north)) / depth))
    return out


def signed_area(xy: list[tuple[float, float]]) -> float:
    return 0.5 * sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(xy, xy[1:] + xy[:1]))


def _segments_cross(p1, p2, q1, q2) -> bool:
    def orient(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2 = orient(q1, q2, p1), orient(q1, q2, p2)
    d3, d4 = orient(p1, p2, q1), orient(p1, p2, q2)
    return (d1 > 0) != (d2 > 0) and (d3 > 0) != (d4 > 0)


def is_simple(xy: list[tuple[float, float]]) -> bool:
    """No two non-adjacent edges of the closed polygon ``xy`` cross."""
    n = len(xy)
    edges = [(xy[i], xy[(i + 1) % n]) for i in range(n)]
    for i in range(n):
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue  # adjacent through the closing vertex
            if _segments_cross(*edges[i], *edges[j]):
                return False
    return True


def ccw_polygon(points: list[tuple[float, float]], center: tuple[float, float]) -> list[tuple[float, float]] | None:
    """``points`` ordered counter-clockwise (seen from inside), or None if degenerate or self-intersecting."""
    try:
        xy = tangent_plane(points, center)
    except ValueError:
        return None
    area = signed_area(xy)
    scale = max(abs(v) for p in xy for v in p) or 1.0
    if abs(area) <= 1e-12 * scale * scale or not is_simple(xy):
        return None
    return list(points) if area > 0 else list(reversed(points))


def stcs_polygon(points: list[tuple[float, float]]) -> str:
    return "POLYGON ICRS " + " ".join(f"{ra % 360.0:.10f} {dec:.10f}" for ra, dec in points)


def parse_polygon(region: str | None) -> list[tuple[float, float]] | None:
    """The vertices of a ``POLYGON ICRS ...`` s_region (None for anything else)."""
    if not region or not region.startswith("POLYGON ICRS "):
        return None
    values = [float(v) for v in region.split()[2:]]
    return list(zip(values[0::2], values[1::2]))


def image_footprint(hdu: HDU) -> dict[str, Any] | None:
    """s_region, s_ra, s_dec, s_fov, s_xel1, s_xel2 of an image HDU with an equatorial WCS."""
    naxes = hdu.naxes
    if len(naxes) < 2 or naxes[0] < 1 or naxes[1] < 1:
        return None
    try:
        w = _wcs(hdu)
        if not w.has_celestial or not w.wcs.lngtyp == "RA":
            return None
        cel = w.celestial
        n1, n2 = naxes[w.wcs.lng], naxes[w.wcs.lat]
        corners = [(float(ra), float(dec)) for ra, dec in cel.calc_footprint(axes=(n1, n2))]
        ra0, dec0 = (float(v) for v in cel.all_pix2world([[(n1 - 1) / 2, (n2 - 1) / 2]], 0)[0])
    except Exception:  # astropy raises many types for a bad WCS; the validator reports it (WCS rules)
        return None
    if not all(math.isfinite(v) for p in corners + [(ra0, dec0)] for v in p):
        return None
    polygon = ccw_polygon(corners, (ra0, dec0))
    if polygon is None:
        return None
    return {
        "s_region": stcs_polygon(polygon),
        "s_ra": ra0 % 360.0,
        "s_dec": dec0,
        "s_fov": 2 * max(separation((ra0, dec0), p) for p in polygon),
        "s_xel1": n1,
        "s_xel2": n2,
    }


# ------------------------------------------------------------------------ time, spectra
def _mjd(kw: Keywords, mjd_key: str, date_key: str) -> float | None:
    value = kw.number(mjd_key)
    if value is not None:
        return value
    text = kw.text(date_key)
    if not text:
        return None
    from astropy.time import Time

    scale = (kw.text("TIMESYS") or "UTC").lower()
    try:
        return float(Time(text.rstrip("Z"), format="isot", scale=scale if scale in Time.SCALES else "utc").mjd)
    except ValueError:
        return None


def _first_table(fits: FitsFile | None) -> HDU | None:
    if fits is None:
        return None
    return next((h for h in fits.hdus if h.is_table), None)


def spectral_range(fits: FitsFile, path: str) -> dict[str, Any]:
    """em_min, em_max (metres) and em_xel of a spectrum, from a wavelength column or a spectral WCS axis."""
    from astropy import units as u

    table = _first_table(fits)
    if table is not None:
        names = {
            table.header.get(f"TTYPE{i}", "").strip().upper(): i
            for i in range(1, (table.header.get("TFIELDS") or 0) + 1)
        }
        col = next((names[n] for n in _WAVE_COLUMNS if n in names), None)
        if col is not None:
            from astropy.io import fits as afits

            try:
                with afits.open(path, memmap=True) as hdul:
                    values = hdul[table.index].data.field(col - 1)
                    unit = u.Unit(table.header.get(f"TUNIT{col}") or "Angstrom", format="fits")
                    lo, hi = float(values.min()), float(values.max())
                    n = int(values.size)
                return {"em_min": (lo * unit).to_value(u.m), "em_max": (hi * unit).to_value(u.m), "em_xel": n}
            except Exception:  # unreadable column or unit: leave the range unknown
                return {}
    for hdu in fits.hdus:
        if not hdu.is_image or not hdu.naxes:
            continue
        try:
            w = _wcs(hdu)
            if not w.has_spectral:
                continue
            spec = w.sub([w.wcs.spec + 1])
            n = hdu.naxes[w.wcs.spec]
            ends = spec.all_pix2world([[0], [n - 1]], 0)[:, 0]
            unit = u.Unit(spec.wcs.cunit[0] or "m")
            lo, hi = sorted(float((v * unit).to_value(u.m, equivalencies=u.spectral())) for v in ends)
            return {"em_min": lo, "em_max": hi, "em_xel": n}
        except Exception:
            continue
    return {}


# ------------------------------------------------------------------------------ row
def row(
    *,
    fits: FitsFile | None,
    local_path: str | None,
    filename: str,
    product_type: str | None,
    name_fields: dict | None,
    metadata: dict[str, Any],
    did: str,
    obs_id: str,
    access_url: str,
    size: int,
    extension: str,
) -> dict[str, Any]:
    """The ObsCore row of one product (every column of :data:`COLUMNS`)."""
    kw = Keywords(fits)
    fields = name_fields or {}
    profile = load_vocabulary().profile_for(product_type or "")
    out: dict[str, Any] = dict.fromkeys(NAMES)
    out.update(
        dataproduct_type="sed" if product_type == "sed" else _DATAPRODUCT_TYPE.get(profile),
        calib_level=int(metadata.get("calibration_level", 3)),
        obs_collection=COLLECTION,
        obs_id=obs_id,
        obs_publisher_did=did,
        access_url=access_url,
        access_format=mime_type(extension),
        access_estsize=max(1, math.ceil(size / 1024)),
        target_name=kw.text("HLSPTARG", "OBJECT") or fields.get("target"),
        s_resolution=kw.number("PSFSIZE"),
        t_min=_mjd(kw, "MJD-BEG", "DATE-BEG"),
        t_max=_mjd(kw, "MJD-END", "DATE-END"),
        t_exptime=kw.number("XPOSURE", "EXPTIME"),
        facility_name=kw.text("TELESCOP") or (fields.get("observatory") or "").upper() or None,
        instrument_name=kw.text("INSTRUME") or (fields.get("instrument") or "").upper() or None,
        provenance_name=str(metadata.get("proj_id", "")).upper() or None,
        doi=metadata.get("doi") if str(metadata.get("doi", "")).startswith("10.") else None,
    )
    image = next((h for h in kw.hdus if h.is_image and len(h.naxes) >= 2), None)
    where = image_footprint(image) if image is not None and profile == "image" else None
    if where:
        out.update(where)
        if out["dataproduct_type"] == "image" and sum(1 for n in image.naxes if n > 1) >= 3:
            out["dataproduct_type"] = "cube"
    else:
        out["s_ra"], out["s_dec"] = _target_position(kw, metadata, out["target_name"])
    if profile == "spectrum" and fits is not None and local_path:
        out.update(spectral_range(fits, local_path))
    if profile == "lightcurve":
        table = _first_table(fits)
        rows = table.naxes[1] if table is not None and len(table.naxes) > 1 else None
        out["t_xel"] = rows
    return out


def _target_position(kw: Keywords, metadata: dict[str, Any], target: str | None) -> tuple[float | None, float | None]:
    ra, dec = kw.number("RA_TARG"), kw.number("DEC_TARG")
    if ra is not None and dec is not None:
        return ra % 360.0, dec
    for t in metadata.get("targets") or []:
        if isinstance(t, dict) and target and str(t.get("name", "")).lower() == target.lower():
            tra, tdec = t.get("ra"), t.get("dec")
            if isinstance(tra, (int, float)) and isinstance(tdec, (int, float)):
                return float(tra) % 360.0, float(tdec)
    return None, None
