"""CAOM-2.4 XML of a staged delivery: valid against the XSD, faithful to the files, reproducible."""

from __future__ import annotations

import hashlib
import json
import warnings

import pytest
from lxml.etree import DocumentInvalid
from caom2 import DerivedObservation, Point, Polygon
from caom2.obs_reader_writer import ObservationReader
from caom2utils.polygonvalidator import validate_polygon
from stage_support import IMG, PRODUCTS, copy_example

from hlsp.stage import caom, obscore, stage


@pytest.fixture(scope="module")
def delivery(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("caom")
    collection = copy_example(tmp / "src")
    stage(collection, tmp / "staging")
    return tmp / "staging" / "example" / "v1"


def read_all(delivery):
    reader = ObservationReader(validate=True)  # validates against the XSD bundled with caom2
    with warnings.catch_warnings():  # the reader itself calls caom2's deprecated em_band
        warnings.simplefilter("ignore", DeprecationWarning)
        return {p.name: reader.read(str(p)) for p in sorted((delivery / "caom").glob("*.xml"))}


def test_every_observation_reads_back_valid_and_describes_the_staged_files(delivery):
    observations = read_all(delivery)
    assert len(observations) == 3
    artifacts = {}
    for name, obs in observations.items():
        assert isinstance(obs, DerivedObservation)
        assert obs.collection == "HLSP" and name == f"{obs.observation_id}.xml"
        assert obs.proposal.id == "example" and obs.proposal.pi_name == "Ada Lovelace"
        for plane in obs.planes.values():
            assert plane.calibration_level.value == 3 and plane.data_product_type is not None
            for uri, artifact in plane.artifacts.items():
                artifacts[uri.rsplit("/", 1)[1]] = (plane, artifact)
    staged_files = set(PRODUCTS) | {p.replace(".fits", ".png") for p in PRODUCTS}
    assert set(artifacts) == staged_files
    for name, (plane, artifact) in artifacts.items():
        data = (delivery / name).read_bytes()
        assert artifact.content_length == len(data)
        assert artifact.content_checksum.uri == f"md5:{hashlib.md5(data).hexdigest()}"
        assert artifact.content_type == ("application/fits" if name.endswith(".fits") else "image/png")
        assert artifact.product_type.value == ("science" if name.endswith(".fits") else "preview")
        assert plane.product_id == name.rsplit(".", 1)[0]


def test_image_plane_carries_the_footprint_and_time_bounds(delivery):
    obs = read_all(delivery)["hlsp_example_hst_acs_ngc1234_f606w_v1.xml"]
    plane = obs.planes[IMG[: -len(".fits")]]
    polygon = plane.position.bounds
    validate_polygon(Polygon([Point(p.cval1, p.cval2) for p in polygon.points]))
    row = next(f for f in json.loads((delivery / "manifest.json").read_text())["files"] if f["file"] == IMG)["obscore"]
    expected = [v for point in obscore.parse_polygon(row["s_region"]) for v in point]
    assert [v for p in polygon.points for v in (p.cval1, p.cval2)] == pytest.approx(expected)
    assert (plane.time.bounds.lower, plane.time.bounds.upper) == pytest.approx((row["t_min"], row["t_max"]))
    assert obs.telescope.name == "HST" and obs.instrument.name == "ACS" and obs.target.name == "ngc1234"


def test_building_twice_gives_identical_bytes(delivery):
    entries = json.loads((delivery / "manifest.json").read_text())["files"]
    meta = {"proj_id": "example", "version": "v1", "title": "t", "release_date": "2026-11-01", "calibration_level": 3}
    first = {k: caom.to_xml(o) for k, o in caom.build_observations(meta, entries).items()}
    second = {k: caom.to_xml(o) for k, o in caom.build_observations(meta, entries).items()}
    assert first == second and len(first) == 3


def test_xml_that_breaks_the_schema_is_rejected_on_read(delivery):
    data = next((delivery / "caom").glob("*.xml")).read_bytes()
    broken = data.replace(b"<caom2:collection>", b"<caom2:kollection>").replace(
        b"</caom2:collection>", b"</caom2:kollection>"
    )
    with pytest.raises(DocumentInvalid, match="kollection"):
        caom.from_xml(broken)
    assert caom.from_xml(data).collection == "HLSP"
