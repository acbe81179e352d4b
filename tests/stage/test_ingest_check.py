"""hlsp ingest-check: exit 0 only when every file, checksum, CAOM document and catalog row holds."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from stage_support import CAT, IMG, LC, copy_example

from hlsp.stage import stage


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ingest")
    stage(copy_example(tmp / "src"), tmp / "staging")
    return tmp / "staging"


@pytest.fixture
def staging(pristine, tmp_path):
    """A private copy of a freshly staged delivery (with its catalog) to damage."""
    copy = tmp_path / "staging"
    shutil.copytree(pristine, copy)  # manifest and rows keep the pristine access_url: consistent with each other
    return copy


def check(run_cli, staging, *extra):
    # READY names the pristine catalog; the copy is checked against its own
    return run_cli(
        "ingest-check", staging / "example" / "v1", "--catalog", f"sqlite:///{staging / 'catalog.sqlite'}", *extra
    )


def test_a_good_delivery_passes(pristine, run_cli):
    r = run_cli("ingest-check", pristine / "example" / "v1")  # catalog from READY
    assert r.code == 0, r
    assert r.out.startswith("ok:") and "13 files" in r.out and "3 CAOM" in r.out and "4 catalog row" in r.out


def corrupt_byte(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


DAMAGE = {
    "flipped byte": (lambda d, db: corrupt_byte(d / IMG), f"FAIL {IMG}: its checksums differ"),
    "missing product": (lambda d, db: (d / LC).unlink(), f"FAIL {LC}: listed in the manifest but missing"),
    "truncated product": (lambda d, db: (d / CAT).write_bytes((d / CAT).read_bytes()[:100]), f"FAIL {CAT}: 100 bytes"),
    "extra file": (lambda d, db: (d / "extra.txt").write_text("x"), "FAIL extra.txt: is not in the manifest"),
    "no READY": (lambda d, db: (d / "READY").unlink(), "FAIL READY: READY is missing"),
    "edited manifest": (
        lambda d, db: (d / "manifest.json").write_text(
            (d / "manifest.json").read_text().replace('"title"', '"title" ', 1)
        ),
        "names a different manifest.json",
    ),
    "invalid CAOM": (
        lambda d, db: [
            p.write_bytes(p.read_bytes().replace(b"caom2:collection>", b"caom2:kollection>"))
            for p in (d / "caom").glob("*acs*")
        ],
        "does not validate as CAOM-2.4",
    ),
    "row deleted": (
        lambda d, db: db.execute("DELETE FROM obscore WHERE obs_publisher_did LIKE ?", (f"%{LC}",)),
        "no ObsCore row for",
    ),
    "row changed": (
        lambda d, db: db.execute("UPDATE obscore SET s_ra = s_ra + 1 WHERE obs_publisher_did LIKE ?", (f"%{IMG}",)),
        "differs from the manifest in s_ra",
    ),
    "foreign row": (
        lambda d, db: db.execute(
            "INSERT INTO obscore (calib_level, obs_collection, obs_id, obs_publisher_did) "
            "VALUES (3, 'HLSP', 'x', 'ivo://mast.stsci.edu/hlsp?example/v1/ghost.fits')"
        ),
        "ghost.fits belongs to this delivery but is not in the manifest",
    ),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_each_kind_of_damage_fails_with_a_finding(staging, run_cli, damage):
    act, expected = DAMAGE[damage]
    delivery = staging / "example" / "v1"
    assert check(run_cli, staging).code == 0
    with sqlite3.connect(staging / "catalog.sqlite") as db:
        act(delivery, db)
    r = check(run_cli, staging)
    assert r.code == 1, r
    assert expected in r.out and "must not be ingested" in r.out


def test_a_missing_catalog_is_a_finding_not_a_crash(staging, run_cli):
    (staging / "catalog.sqlite").unlink()
    r = check(run_cli, staging)
    assert r.code == 1 and "FAIL catalog: catalog sqlite:///" in r.out and "no such database file" in r.out
    assert not (staging / "catalog.sqlite").exists()  # checking never creates anything


def test_a_delivery_that_does_not_exist_is_a_usage_error(tmp_path, run_cli):
    r = run_cli("ingest-check", tmp_path / "nothing" / "v1")
    assert r.code == 2 and "no such folder" in r.err
    assert not (tmp_path / "nothing").exists()
