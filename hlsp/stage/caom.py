"""CAOM-2.4 observations of a delivery, built with the ``caom2`` library and schema-validated.

One ``DerivedObservation`` (collection ``HLSP``) per observation: the products
whose names differ only in the product type (``..._v1_img.fits`` and
``..._v1_wht.fits``) share it (:func:`hlsp.stage.obscore.observation_id`).  Each
product is a ``Plane`` (productID = the file name's stem) with one ``Artifact``
(URI ``mast:HLSP/<proj-id>/<version>/<file>``, content type, length,
``ChecksumURI('md5:...')``); a preview graphic with the same stem is a second,
``preview`` artifact of that plane.  Plane metadata (data product type,
calibration level, footprint polygon, time bounds, exposure, wavelength range)
is the product's ObsCore row, so the two descriptions cannot disagree.

Everything is derived from the staged ``manifest.json`` entries, and entity
ids are UUIDs derived from the entity URIs, so re-building the same delivery
gives byte-identical XML (the library has no id setter; like its own XML
reader, we set ``_id``).
"""

from __future__ import annotations

import contextlib
import datetime
import io
import uuid
import warnings
from typing import Any, Iterator

from caom2 import (
    Algorithm,
    Artifact,
    CalibrationLevel,
    ChecksumURI,
    DataProductType,
    DerivedObservation,
    Energy,
    Instrument,
    Interval,
    MultiPolygon,
    ObservationIntentType,
    Plane,
    Point,
    Polygon,
    Position,
    ProductType,
    Proposal,
    Provenance,
    ReleaseType,
    SegmentType,
    Target,
    Telescope,
    Time,
    Vertex,
)
from caom2.obs_reader_writer import ObservationReader, ObservationWriter
from caom2.shape import SubInterval

from hlsp.names import parse_name
from hlsp.stage.obscore import COLLECTION, observation_id, parse_polygon

ALGORITHM = "HLSP"
_PRODUCT_TYPES = {
    "image": DataProductType.IMAGE,
    "cube": DataProductType.CUBE,
    "spectrum": DataProductType.SPECTRUM,
    "sed": DataProductType.SED,
    "timeseries": DataProductType.TIMESERIES,
    "measurements": DataProductType.MEASUREMENTS,
}
_CALIBRATION = {3: CalibrationLevel.PRODUCT, 4: CalibrationLevel.ANALYSIS_PRODUCT}


def artifact_uri(proj_id: str, version: str, file: str) -> str:
    return f"mast:{COLLECTION}/{proj_id}/{version}/{file}"


def xml_name(obs_id: str) -> str:
    return f"{obs_id}.xml"


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """caom2's own Energy constructor touches its deprecated ``em_band``: not our warning to show."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def _set_id(entity, uri: str) -> None:
    entity._id = uuid.uuid5(uuid.NAMESPACE_URL, uri)


def _release(metadata: dict[str, Any]) -> datetime.datetime | None:
    value = metadata.get("release_date")
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _polygon(points: list[tuple[float, float]]) -> Polygon:
    vertices = [Vertex(points[0][0], points[0][1], SegmentType.MOVE)]
    vertices += [Vertex(ra, dec, SegmentType.LINE) for ra, dec in points[1:]]
    vertices.append(Vertex(points[0][0], points[0][1], SegmentType.CLOSE))
    return Polygon([Point(ra, dec) for ra, dec in points], MultiPolygon(vertices))


def _interval(lo: float, hi: float) -> Interval:
    return Interval(float(lo), float(hi), samples=[SubInterval(float(lo), float(hi))])


def _plane(product_id: str, obs_uri: str, row: dict[str, Any] | None, release) -> Plane:
    plane = Plane(product_id)
    _set_id(plane, f"{obs_uri}/{product_id}")
    plane.meta_release = plane.data_release = release
    if row is None:
        return plane
    plane.data_product_type = _PRODUCT_TYPES.get(row.get("dataproduct_type") or "")
    plane.calibration_level = _CALIBRATION.get(row.get("calib_level"))
    points = parse_polygon(row.get("s_region"))
    if points:
        plane.position = Position(bounds=_polygon(points))
    t_min, t_max = row.get("t_min"), row.get("t_max")
    if t_min is not None and t_max is not None and t_min <= t_max:
        plane.time = Time(bounds=_interval(t_min, t_max), exposure=row.get("t_exptime"))
    em_min, em_max = row.get("em_min"), row.get("em_max")
    if em_min is not None and em_max is not None and 0 < em_min <= em_max:
        with _quiet():
            plane.energy = Energy(bounds=_interval(em_min, em_max), dimension=row.get("em_xel"))
    return plane


def build_observations(metadata: dict[str, Any], entries: list[dict[str, Any]]) -> dict[str, DerivedObservation]:
    """obs_id -> observation, from the manifest entries of products and previews."""
    proj_id, version = str(metadata["proj_id"]), str(metadata["version"])
    release = _release(metadata)
    lead = metadata.get("lead") if isinstance(metadata.get("lead"), dict) else {}
    staged = [
        e
        for e in sorted(entries, key=lambda e: (e["role"] != "product", e["file"]))
        if e["role"] in ("product", "preview")
    ]
    observations: dict[str, DerivedObservation] = {}
    for entry in staged:
        name = parse_name(entry["file"])
        obs_id = observation_id(name.stem, name.fields)
        row = entry.get("obscore")
        obs = observations.get(obs_id)
        if obs is None:
            obs = DerivedObservation(COLLECTION, obs_id, Algorithm(ALGORITHM))
            _set_id(obs, f"caom:{COLLECTION}/{obs_id}")
            obs.intent = ObservationIntentType.SCIENCE
            obs.meta_release = release
            obs.proposal = Proposal(proj_id, pi_name=lead.get("name"), title=metadata.get("title"))
            observations[obs_id] = obs
        if row:  # the first product of the observation names its telescope, instrument and target
            if obs.telescope is None and row.get("facility_name"):
                obs.telescope = Telescope(row["facility_name"])
            if obs.instrument is None and row.get("instrument_name"):
                obs.instrument = Instrument(row["instrument_name"])
            if obs.target is None and row.get("target_name"):
                obs.target = Target(row["target_name"])
        plane = obs.planes.get(name.stem)
        if plane is None:
            plane = _plane(name.stem, f"caom:{COLLECTION}/{obs_id}", row, release)
            doi = str(metadata.get("doi") or "")
            if doi.startswith("10."):  # the DOI the archive minted (hlsp stage --doi)
                plane.provenance = Provenance(proj_id.upper(), version=version, reference=f"https://doi.org/{doi}")
            obs.planes[name.stem] = plane
        uri = artifact_uri(proj_id, version, entry["file"])
        artifact = Artifact(
            uri,
            ProductType.SCIENCE if entry["role"] == "product" else ProductType.PREVIEW,
            ReleaseType.DATA,
            content_type=entry.get("content_type"),
            content_length=entry["size"],
            content_checksum=ChecksumURI(f"md5:{entry['md5']}"),
        )
        _set_id(artifact, uri)
        plane.artifacts[uri] = artifact
    return observations


def to_xml(observation: DerivedObservation) -> bytes:
    """The observation as CAOM-2.4 XML, validated against the library's XSD (raises if invalid)."""
    buf = io.BytesIO()
    ObservationWriter(validate=True).write(observation, buf)
    return buf.getvalue()


def from_xml(data: bytes):
    """Read CAOM XML back, validating it against the XSD (raises if invalid)."""
    with _quiet():
        return ObservationReader(validate=True).read(io.BytesIO(data))
