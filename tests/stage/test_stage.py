"""hlsp stage to a local folder: layout, manifest, idempotence, refusals, interruption, catalog failure."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest
from stage_support import (
    IMG,
    LC,
    PRODUCTS,
    SPEC,
    bump_version,
    copy_example,
    enlarge_image,
    hidden,
    run_until_paused,
    visible,
)

import hlsp.stage
from hlsp.stage import StageRefused, stage
from hlsp.stage.ingest_check import ingest_check


@pytest.fixture
def collection(tmp_path):
    return copy_example(tmp_path / "src")


@pytest.fixture
def dest(tmp_path):
    return tmp_path / "staging"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def catalog_rows(dest: Path) -> list[tuple]:
    with sqlite3.connect(dest / "catalog.sqlite") as db:
        return db.execute("SELECT obs_publisher_did, target_name FROM obscore ORDER BY 1").fetchall()


def test_stage_writes_the_delivery_layout_and_a_complete_manifest(collection, dest, run_cli):
    r = run_cli("stage", collection, "--to", dest, "--commit", "0123abcd" * 5)
    assert r.code == 0, r
    assert "READY: written" in r.out and "4 inserted" in r.out
    delivery = dest / "example" / "v1"
    staged = visible(delivery)
    assert staged == sorted(
        ["README.md", "READY", "hlsp.yaml", "manifest.json"]
        + [
            f"caom/{n}.xml"
            for n in (
                "hlsp_example_hst_acs_ngc1234_f606w_v1",
                "hlsp_example_hst_stis_ngc1234_g430l_v1",
                "hlsp_example_tess_ffi_ngc1234_tess_v1",
            )
        ]
        + list(PRODUCTS)
        + [p.replace(".fits", ".png") for p in PRODUCTS]
    )
    assert hidden(delivery) == []
    for name in PRODUCTS + ("README.md", "hlsp.yaml"):
        assert (delivery / name).read_bytes() == (collection / name).read_bytes()

    doc = json.loads((delivery / "manifest.json").read_text())
    assert doc["commit"] == "0123abcd" * 5
    assert doc["validation"]["errors"] == 0 and doc["validation"]["files"] >= 4
    entries = {f["file"]: f for f in doc["files"]}
    for name in PRODUCTS:
        e = entries[name]
        data = (collection / name).read_bytes()
        assert (e["size"], e["sha256"], e["md5"]) == (
            len(data),
            hashlib.sha256(data).hexdigest(),
            hashlib.md5(data).hexdigest(),
        )
        assert e["role"] == "product" and e["product_type"] == name.rsplit("_", 1)[1].split(".")[0]
        assert e["fits_checksum"]["status"] == "ok"
        assert all(h["checksum"] == "ok" and h["datasum"] == "ok" for h in e["fits_checksum"]["hdus"])
        assert e["obscore"]["obs_publisher_did"].endswith(f"example/v1/{name}")
    assert entries["README.md"]["role"] == "document" and entries[IMG.replace(".fits", ".png")]["role"] == "preview"
    assert {c["file"] for c in doc["caom"]} == {f for f in staged if f.startswith("caom/")}

    ready = json.loads((delivery / "READY").read_text())
    assert ready["manifest_sha256"] == sha256(delivery / "manifest.json") and ready["rows"] == 4
    assert len(catalog_rows(dest)) == 4


def test_manifest_records_the_git_commit_of_the_collection(tmp_path, dest):
    repo = tmp_path / "repo"
    collection = copy_example(repo)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    for cmd in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-q", "-m", "example"]):
        subprocess.run(cmd, cwd=repo, check=True, env=env)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()
    stage(collection, dest)
    assert json.loads((dest / "example" / "v1" / "manifest.json").read_text())["commit"] == head


def test_rerun_after_success_changes_nothing_and_says_so(collection, dest, run_cli):
    assert run_cli("stage", collection, "--to", dest).code == 0
    delivery = dest / "example" / "v1"
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in delivery.rglob("*") if p.is_file()}
    r = run_cli("stage", collection, "--to", dest)
    assert r.code == 0, r
    assert "already staged" in r.out and "nothing changed" in r.out
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in delivery.rglob("*") if p.is_file()}
    assert after == before
    assert len(catalog_rows(dest)) == 4  # upserted, not duplicated


def test_rerun_restores_lost_catalog_rows_without_duplicates(collection, dest):
    stage(collection, dest)
    with sqlite3.connect(dest / "catalog.sqlite") as db:
        db.execute("DELETE FROM obscore WHERE obs_publisher_did LIKE ?", (f"%{SPEC}",))
    result = stage(collection, dest)
    assert result.already_staged and (result.rows.inserted, result.rows.unchanged) == (1, 3)
    assert len(catalog_rows(dest)) == 4


def test_a_new_version_goes_to_its_own_folder(collection, dest):
    stage(collection, dest)
    v1 = dest / "example" / "v1"
    v1_bytes = {p: p.read_bytes() for p in v1.rglob("*") if p.is_file()}
    bump_version(collection, "v2")
    result = stage(collection, dest)
    assert result.version == "v2" and all(v == "copied" for v in result.files.values())
    assert (dest / "example" / "v2" / "READY").is_file()
    assert {p: p.read_bytes() for p in v1.rglob("*") if p.is_file()} == v1_bytes
    dids = [d for d, _ in catalog_rows(dest)]
    assert len(dids) == 8 and sum("/v2/" in d for d in dids) == 4
    assert ingest_check(str(v1)).ok and ingest_check(str(dest / "example" / "v2")).ok


def test_changed_bytes_under_a_staged_name_and_version_are_refused(collection, dest, run_cli):
    stage(collection, dest)
    staged_img = (dest / "example" / "v1" / IMG).read_bytes()
    enlarge_image(collection, 1)  # same name, same version, different bytes
    r = run_cli("stage", collection, "--to", dest)
    assert r.code == 1
    assert "already staged" in r.err and IMG in r.err and "raise the version" in r.err
    assert len(r.err.strip().splitlines()) == 1
    assert (dest / "example" / "v1" / IMG).read_bytes() == staged_img


def test_changed_bytes_are_refused_also_when_an_earlier_run_was_interrupted(collection, dest):
    stage(collection, dest)
    delivery = dest / "example" / "v1"
    (delivery / "READY").unlink()  # as if the first run had stopped before the end
    staged_img = (delivery / IMG).read_bytes()
    enlarge_image(collection, 1)
    with pytest.raises(StageRefused, match="different bytes"):
        stage(collection, dest)
    assert (delivery / IMG).read_bytes() == staged_img
    assert not (delivery / "READY").exists()


def test_unexpected_files_in_the_version_folder_are_refused(collection, dest):
    delivery = dest / "example" / "v1"
    delivery.mkdir(parents=True)
    (delivery / "stray.fits").write_bytes(b"x")
    with pytest.raises(StageRefused, match="stray.fits"):
        stage(collection, dest)
    assert visible(delivery) == ["stray.fits"]


def test_validation_errors_refuse_staging(collection, dest, run_cli):
    path = collection / LC
    path.write_bytes(path.read_bytes()[:-2880])  # truncated: a structural error
    from hlsp.manifest import refresh_manifest

    refresh_manifest(collection)  # the manifest agrees; the file itself is broken
    r = run_cli("stage", collection, "--to", dest)
    assert r.code == 1 and "validation finds" in r.err and "error" in r.err
    assert not (dest / "example").exists() or visible(dest / "example") == []


def test_the_staged_bytes_are_the_validated_bytes_even_if_the_source_changes_afterwards(collection, dest, monkeypatch):
    """One read per file: what is validated, hashed and copied is the same bytes; a later change is not staged."""
    original = (collection / SPEC).read_bytes()
    validate = hlsp.stage._validate

    def validate_then_alter(c, reads):
        summary = validate(c, reads)
        data = bytearray(original)
        data[-1] ^= 0xFF  # same size, different bytes
        (collection / SPEC).write_bytes(bytes(data))
        return summary

    monkeypatch.setattr(hlsp.stage, "_validate", validate_then_alter)
    result = stage(collection, dest)
    delivery = dest / "example" / "v1"
    assert result.files[SPEC] == "copied" and (delivery / SPEC).read_bytes() == original
    assert ingest_check(str(delivery)).ok


def test_a_source_altered_while_it_is_read_is_refused_and_nothing_becomes_visible(collection, dest, monkeypatch):
    """The pass hashes what it validates; a file that changes half-way no longer matches hlsp.yaml."""
    enlarge_image(collection, 20)  # several 8 MiB chunks
    next_chunk = hlsp.stage.copy.TeeReader._next

    def next_then_alter(self):
        got = next_chunk(self)
        if got and self.size == self.chunk and Path(self.src.name).name == IMG:  # after the first chunk
            with open(collection / IMG, "r+b") as fh:
                fh.seek(-1, os.SEEK_END)
                last = fh.read(1)
                fh.seek(-1, os.SEEK_END)
                fh.write(bytes([last[0] ^ 0xFF]))
        return got

    monkeypatch.setattr(hlsp.stage.copy.TeeReader, "_next", next_then_alter)
    with pytest.raises(StageRefused, match="validation finds"):
        stage(collection, dest)
    delivery = dest / "example" / "v1"
    assert visible(delivery) == [] and hidden(delivery) == []


def test_every_product_is_read_once(collection, dest, monkeypatch):
    """Validation, the FITS checksum status, the hashes and the copy come from one read of each product."""
    opened: list[str] = []
    products = {str((collection / name).resolve()) for name in PRODUCTS}
    real_open = open

    def counting_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and str(Path(file).resolve()) in products:
            opened.append(Path(file).name)
        return real_open(file, *args, **kwargs)

    import builtins

    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(hlsp.stage.obscore, "spectral_range", lambda fits, path: {})  # see below
    stage(collection, dest)
    assert sorted(opened) == sorted(PRODUCTS)


def test_only_a_spectrums_wavelength_column_is_read_again_for_obscore(collection, dest, monkeypatch):
    """ObsCore's em_min/em_max of a spectrum table come from its wavelength column (astropy, memory-mapped)."""
    seen = []
    spectral_range = hlsp.stage.obscore.spectral_range
    monkeypatch.setattr(
        hlsp.stage.obscore,
        "spectral_range",
        lambda fits, path: seen.append(Path(path).name) or spectral_range(fits, path),
    )
    stage(collection, dest)
    assert seen == [SPEC]


# ----------------------------------------------------------------------- interruption
PAUSE_IN_COPY = """
import sys, time
from hlsp.stage import stage, targets

write = targets.LocalUpload.write

def write_then_pause(self, data):
    write(self, data)
    if self.final.name == sys.argv[3]:
        self.fh.flush()
        print("PARTIAL", self.tmp, flush=True)
        time.sleep(600)

targets.LocalUpload.write = write_then_pause
stage(sys.argv[1], sys.argv[2])
"""


def test_a_process_killed_mid_copy_leaves_no_visible_partial_file_and_a_rerun_completes(collection, dest):
    enlarge_image(collection, 20)  # 20 MB: several 8 MiB chunks
    proc, tmp = run_until_paused(PAUSE_IN_COPY, [collection, dest, IMG])
    assert Path(tmp).stat().st_size > 0  # really mid-copy: part of the file is on disk
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    delivery = dest / "example" / "v1"
    # nothing is visible before the whole collection is validated: the partial copy
    # and the finished ones are hidden temporaries only
    assert visible(delivery) == []
    leftovers = hidden(delivery)
    assert Path(tmp).name in leftovers and all(n.endswith(".part") for n in leftovers)
    assert not ingest_check(str(delivery)).ok

    result = stage(collection, dest)
    assert result.partials_removed == len(leftovers)
    assert set(result.files.values()) == {"copied"}
    assert hidden(delivery) == []
    assert sha256(delivery / IMG) == sha256(collection / IMG)
    assert ingest_check(str(delivery)).ok


# ----------------------------------------------------------------------- catalog failures
@pytest.mark.system
def test_unavailable_database_is_a_one_line_error_and_leaves_the_files_consistent(
    collection, dest, run_cli, postgres_server
):
    from servers import free_port

    dead = f"postgresql://hlsp@127.0.0.1:{free_port()}/nothing"
    r = run_cli("stage", collection, "--to", dest, "--catalog", dead)
    assert r.code == 2, r
    assert len(r.err.strip().splitlines()) == 1 and "database unavailable" in r.err and "READY is not written" in r.err
    delivery = dest / "example" / "v1"
    assert not (delivery / "READY").exists() and hidden(delivery) == []
    doc = json.loads((delivery / "manifest.json").read_text())
    for f in doc["files"]:  # every staged file is complete and verified
        assert sha256(delivery / f["file"]) == f["sha256"]
    problems = [str(p) for p in ingest_check(str(delivery), catalog=dead).problems]
    assert any("READY is missing" in p for p in problems) and any("database unavailable" in p for p in problems)

    url = postgres_server.new_database()
    result = stage(collection, dest, catalog=url)
    assert result.ready == "written" and result.rows.inserted == 4
    assert all(v == "already staged" for v in result.files.values()) and result.manifest == "unchanged"
    assert run_cli("ingest-check", delivery, "--catalog", url).code == 0


def test_bad_destination_is_a_one_line_error(collection, tmp_path, run_cli):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    r = run_cli("stage", collection, "--to", blocker)
    assert r.code == 2 and "not a folder" in r.err and len(r.err.strip().splitlines()) == 1
    r = run_cli("stage", collection, "--to", "ftp://host/x")
    assert r.code == 2 and "unsupported destination" in r.err


def test_a_remote_product_is_fetched_verified_and_staged(collection, dest, httpserver, monkeypatch, tmp_path):
    """A product listed by URL (a real HTTP server on 127.0.0.1) is staged like a local one."""
    monkeypatch.setenv("HLSP_ALLOW_PRIVATE_URLS", "1")
    monkeypatch.setenv("HLSP_CACHE_DIR", str(tmp_path / "cache"))
    data = (collection / LC).read_bytes()
    httpserver.expect_request(f"/data/{LC}").respond_with_data(data, content_type="application/fits")
    meta = collection / "hlsp.yaml"
    meta.write_text(meta.read_text().replace(f"path: {LC}", f"url: {httpserver.url_for(f'/data/{LC}')}"))
    (collection / LC).unlink()
    result = stage(collection, dest)
    assert result.files[LC] == "copied"
    delivery = dest / "example" / "v1"
    assert (delivery / LC).read_bytes() == data
    assert ingest_check(str(delivery)).ok


def test_a_damaged_finished_delivery_is_reported_not_repaired(collection, dest):
    stage(collection, dest)
    delivery = dest / "example" / "v1"
    (delivery / LC).unlink()
    with pytest.raises(StageRefused, match=f"{LC} is missing .* damaged"):
        stage(collection, dest)
    manifest_path = delivery / "manifest.json"
    manifest_path.write_text(manifest_path.read_text().replace('"v1"', '"v1" ', 1))
    with pytest.raises(StageRefused, match="not the one READY names"):
        stage(collection, dest)
    assert not (delivery / LC).exists()  # a finished delivery is never rewritten


def test_with_two_sources_altered_the_first_one_in_manifest_order_is_reported(collection, dest, monkeypatch):
    """README.md and hlsp.yaml are hashed when listed, then read by the pass: a change in between is refused."""
    plan = hlsp.stage._plan

    def plan_then_alter(sources, target, prefix, c):
        plan(sources, target, prefix, c)
        for name in ("README.md", "hlsp.yaml"):  # in the order staged, copied on different threads
            with open(collection / name, "a") as fh:
                fh.write("\n# changed\n")

    monkeypatch.setattr(hlsp.stage, "_plan", plan_then_alter)
    with pytest.raises(StageRefused, match="changed while it was being staged") as refused:
        stage(collection, dest)
    assert str(refused.value).startswith(f"{collection / 'README.md'}: ")
    delivery = dest / "example" / "v1"
    assert visible(delivery) == [] and hidden(delivery) == [] and not (delivery / "READY").exists()


def test_a_named_pipe_listed_as_a_product_is_refused_by_validation_without_waiting(collection, dest):
    """The one-read pass reads before validation: it must not open what is not a regular file."""
    (collection / LC).unlink()
    os.mkfifo(collection / LC)
    with pytest.raises(StageRefused, match="validation finds"):
        stage(collection, dest)
    delivery = dest / "example" / "v1"
    assert not delivery.exists() or (visible(delivery) == [] and hidden(delivery) == [])
