"""ObsCore rows: mandatory columns, footprint polygons, and upserts into SQLite and PostgreSQL."""

from __future__ import annotations

import math
import sqlite3

import numpy as np
import pytest
from caom2 import Point, Polygon
from caom2utils.polygonvalidator import validate_polygon
from fitsgen import hdu_bytes, primary_cards
from stage_support import copy_example

from hlsp.errors import HlspError
from hlsp.fits import read_fits
from hlsp.stage import obscore, stage
from hlsp.stage.catalog import open_catalog

MANDATORY = (
    "dataproduct_type calib_level obs_collection obs_id obs_publisher_did access_url access_format access_estsize "
    "target_name s_ra s_dec s_fov s_region s_resolution s_xel1 s_xel2 t_min t_max t_exptime t_resolution t_xel "
    "em_min em_max em_res_power em_xel o_ucd pol_states pol_xel facility_name instrument_name"
).split()


def image_hdu(tmp_path, cd, crval=(47.9, -7.8), naxes=(64, 48), ctype=("RA---TAN", "DEC--TAN")):
    cards = [
        ("CTYPE1", ctype[0]),
        ("CTYPE2", ctype[1]),
        ("CRVAL1", float(crval[0])),
        ("CRVAL2", float(crval[1])),
        ("CRPIX1", naxes[0] / 2 + 0.5),
        ("CRPIX2", naxes[1] / 2 + 0.5),
        ("CUNIT1", "deg"),
        ("CUNIT2", "deg"),
        ("CD1_1", cd[0][0]),
        ("CD1_2", cd[0][1]),
        ("CD2_1", cd[1][0]),
        ("CD2_2", cd[1][1]),
        ("RADESYS", "ICRS"),
    ]
    path = tmp_path / "img.fits"
    data = np.zeros(naxes[::-1], ">f4").tobytes()
    path.write_bytes(hdu_bytes(primary_cards(-32, list(naxes), cards), data))
    return read_fits(path).hdus[0]


def rotation(deg: float, scale: float = 1e-3, flip: bool = False) -> list[list[float]]:
    """A CD matrix: the usual parity (RA increasing to the left, CD1_1 < 0) or mirrored, rotated by ``deg``."""
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    parity = np.diag([1.0 if flip else -1.0, 1.0])
    return (scale * parity @ np.array([[c, -s], [s, c]])).tolist()


CASES = {
    "north-up-east-left": dict(cd=rotation(0)),
    "mirrored": dict(cd=rotation(0, flip=True)),
    "rotated-37": dict(cd=rotation(37)),
    "rotated-200-mirrored": dict(cd=rotation(200, flip=True)),
    "across-ra-0": dict(cd=rotation(15), crval=(0.01, 20.0)),
    "near-the-pole": dict(cd=rotation(60, scale=1e-2), crval=(123.0, 89.7)),
    "south": dict(cd=rotation(-80), crval=(300.0, -65.0)),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_footprint_is_a_valid_counter_clockwise_polygon(tmp_path, case):
    hdu = image_hdu(tmp_path, **CASES[case])
    where = obscore.image_footprint(hdu)
    assert where is not None
    points = obscore.parse_polygon(where["s_region"])
    assert where["s_region"].startswith("POLYGON ICRS ") and len(points) == 4
    # the independent judge: caom2utils (spherical_geometry) rejects clockwise or self-intersecting polygons
    validate_polygon(Polygon([Point(ra, dec) for ra, dec in points]))
    with pytest.raises(AssertionError, match="clockwise"):
        validate_polygon(Polygon([Point(ra, dec) for ra, dec in reversed(points)]))
    # the same four corners astropy computes, whatever order they come in
    from astropy.wcs import WCS

    from hlsp.stage.obscore import astropy_header

    corners = WCS(astropy_header(hdu)).calc_footprint()
    for ra, dec in corners:
        assert min(obscore.separation((ra, dec), p) for p in points) < 1e-8
    assert (where["s_xel1"], where["s_xel2"]) == (64, 48)
    assert 0 <= where["s_ra"] < 360
    assert where["s_fov"] == pytest.approx(
        2 * max(obscore.separation((where["s_ra"], where["s_dec"]), p) for p in points)
    )


def test_self_intersecting_or_degenerate_quadrilaterals_are_rejected():
    center = (10.0, 0.0)
    bowtie = [(10.1, -0.1), (9.9, 0.1), (9.9, -0.1), (10.1, 0.1)]
    assert obscore.ccw_polygon(bowtie, center) is None
    line = [(10.1, 0.0), (10.0, 0.0), (9.9, 0.0), (9.95, 0.0)]
    assert obscore.ccw_polygon(line, center) is None
    square = [(10.1, -0.1), (10.1, 0.1), (9.9, 0.1), (9.9, -0.1)]
    assert obscore.ccw_polygon(square, center) in (square, square[::-1])


def test_no_footprint_from_a_singular_or_non_equatorial_wcs(tmp_path):
    assert obscore.image_footprint(image_hdu(tmp_path, cd=[[1e-3, 1e-3], [1e-3, 1e-3]])) is None
    assert obscore.image_footprint(image_hdu(tmp_path, cd=rotation(0), ctype=("GLON-TAN", "GLAT-TAN"))) is None


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("obscore")
    collection = copy_example(tmp / "src")
    stage(collection, tmp / "staging")
    with sqlite3.connect(tmp / "staging" / "catalog.sqlite") as db:
        db.row_factory = sqlite3.Row
        rows = [dict(r) for r in db.execute("SELECT * FROM obscore ORDER BY obs_publisher_did")]
    return tmp, rows


def test_every_product_has_one_row_with_every_mandatory_column(staged):
    _, rows = staged
    assert len(rows) == 4
    for r in rows:
        assert set(MANDATORY) <= set(r)
        assert r["obs_collection"] == "HLSP" and r["provenance_name"] == "EXAMPLE" and r["calib_level"] == 3
        assert r["dataproduct_type"] in (
            "image",
            "cube",
            "spectrum",
            "sed",
            "timeseries",
            "visibility",
            "event",
            "measurements",
        )
        assert r["access_format"] == "application/fits" and r["access_estsize"] >= 1
        assert r["target_name"] == "ngc1234" and r["s_ra"] == pytest.approx(47.9125, abs=1e-3)
        assert r["t_min"] is not None and r["t_min"] <= r["t_max"]
    by_type = {r["dataproduct_type"]: r for r in rows}
    assert set(by_type) == {"image", "spectrum", "timeseries", "measurements"}
    image = by_type["image"]
    validate_polygon(Polygon([Point(ra, dec) for ra, dec in obscore.parse_polygon(image["s_region"])]))
    assert (image["s_xel1"], image["s_xel2"], image["facility_name"], image["instrument_name"]) == (
        64,
        64,
        "HST",
        "ACS",
    )
    spectrum = by_type["spectrum"]
    assert 1e-7 < spectrum["em_min"] < spectrum["em_max"] < 2e-6 and spectrum["em_xel"] > 1
    assert spectrum["s_region"] is None  # tables have no footprint (documented in hlsp.stage.obscore)
    assert by_type["timeseries"]["t_xel"] > 1


def rows_for(url):
    with open_catalog(url) as cat:
        return cat.fetch_like(obscore.publisher_did("example", "v1", ""))


def upsert_twice(url, rows):
    with open_catalog(url) as cat:
        first = cat.upsert(rows)
    with open_catalog(url) as cat:
        second = cat.upsert(rows)
    changed = dict(rows[0], target_name="renamed")
    with open_catalog(url) as cat:
        third = cat.upsert([changed] + rows[1:])
    return first, second, third


def test_sqlite_upsert_never_duplicates_rows(staged):
    tmp, rows = staged
    url = f"sqlite:///{tmp / 'other.sqlite'}"
    first, second, third = upsert_twice(url, rows)
    assert (first.inserted, second.unchanged, third.updated, third.unchanged) == (4, 4, 1, 3)
    stored = rows_for(url)
    assert len(stored) == 4 and stored[rows[0]["obs_publisher_did"]]["target_name"] == "renamed"


@pytest.mark.system
def test_postgresql_upsert_never_duplicates_rows(staged, postgres_server):
    _, rows = staged
    url = postgres_server.new_database()
    first, second, third = upsert_twice(url, rows)
    assert (first.inserted, second.unchanged, third.updated, third.unchanged) == (4, 4, 1, 3)
    stored = rows_for(url)
    assert len(stored) == 4 and stored[rows[0]["obs_publisher_did"]]["target_name"] == "renamed"
    for did, row in stored.items():  # the same values come back from both databases
        original = next(r for r in rows if r["obs_publisher_did"] == did)
        for k, v in row.items():
            if k != "target_name":
                assert v == pytest.approx(original[k]) if isinstance(v, float) else v == original[k]
    import psycopg

    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM ivoa.obscore").fetchone() == (4,)


@pytest.mark.system
def test_restaging_to_postgresql_gives_no_duplicate_rows(tmp_path, postgres_server):
    collection = copy_example(tmp_path / "src")
    url = postgres_server.new_database()
    assert stage(collection, tmp_path / "staging", catalog=url).rows.inserted == 4
    again = stage(collection, tmp_path / "staging", catalog=url)
    assert again.already_staged and again.rows.unchanged == 4 and not again.changed
    import psycopg

    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT obs_publisher_did) FROM ivoa.obscore").fetchone() == (4, 4)


def test_catalog_urls_that_cannot_work_are_one_line_errors(tmp_path):
    for url, words in [
        (f"sqlite:///{tmp_path / 'missing-folder' / 'c.sqlite'}", "does not exist"),
        ("mysql://host/db", "unsupported"),
        ("postgresql://hlsp:s3cret@127.0.0.1:1/db", "database unavailable"),
    ]:
        with pytest.raises(HlspError, match=words) as info:
            open_catalog(url)
        assert "s3cret" not in str(info.value) and "\n" not in str(info.value)


def _old_table_without_doi(url: str) -> None:
    """Create the obscore table as an hlsp from before the doi column did."""
    from hlsp.stage.catalog import open_catalog
    from hlsp.stage.obscore import COLUMNS

    with open_catalog(url) as cat:
        cur = cat.conn.cursor()
        if "." in cat.table:
            cur.execute(f"CREATE SCHEMA IF NOT EXISTS {cat.table.split('.')[0]}")
        cols = ", ".join(f"{n} {t}" for n, t in COLUMNS if n != "doi")
        cur.execute(f"CREATE TABLE {cat.table} ({cols})")
        cat.conn.commit()


def test_sqlite_catalog_from_an_older_hlsp_gets_the_new_columns(staged):
    tmp, rows = staged
    url = f"sqlite:///{tmp / 'old.sqlite'}"
    _old_table_without_doi(url)
    first, second, _ = upsert_twice(url, rows)
    assert (first.inserted, second.unchanged) == (4, 4)
    assert all("doi" in row for row in rows_for(url).values())


@pytest.mark.system
def test_postgresql_catalog_from_an_older_hlsp_gets_the_new_columns(staged, postgres_server):
    _, rows = staged
    url = postgres_server.new_database()
    _old_table_without_doi(url)
    first, second, _ = upsert_twice(url, rows)
    assert (first.inserted, second.unchanged) == (4, 4)
    assert all("doi" in row for row in rows_for(url).values())
