"""The result cache (hlsp.cache): reuse only what is still valid, survive damage and crashes.

Whether a file was read again is observed by wrapping ``hlsp.fits.read_fits``
(the real reader still runs; the wrapper only counts).  Runs use ``jobs=1`` so
the counting happens in this process.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import hlsp
import hlsp.version
import hlsp.fits
from fitsgen import hdu_bytes, primary_cards
from hlsp.cache import FILE_NAME, ResultCache, fingerprint, sources_digest
from hlsp.engine import Options, iter_validate

ROOT = Path(__file__).resolve().parent.parent


def write_product(path: Path, value: float = 1.0) -> Path:
    data = np.full((8, 8), value, ">f4").tobytes()
    path.write_bytes(hdu_bytes(primary_cards(-32, [8, 8]), data, checksum=True))
    return path


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "products"
    d.mkdir()
    for i in range(5):
        write_product(d / f"f{i}.fits", float(i + 1))
    return d


@pytest.fixture
def reads(monkeypatch):
    """The paths ``read_fits`` is called with, in order."""
    seen: list[str] = []
    real = hlsp.fits.read_fits

    def counting(path, *a, **kw):
        seen.append(os.path.basename(path))
        return real(path, *a, **kw)

    monkeypatch.setattr(hlsp.fits, "read_fits", counting)
    return seen


def run(folder, cache_dir, **kw) -> list[dict]:
    opts = Options(jobs=1, cache=True, cache_dir=str(cache_dir), **kw)
    return [r.to_dict() for r in iter_validate([str(folder)], opts)]


def rules_of(results: list[dict], name: str) -> set[str]:
    return {f["rule"] for r in results if r["path"].endswith(name) for f in r["findings"]}


def db_rows(cache_dir) -> list[tuple]:
    with sqlite3.connect(Path(cache_dir) / FILE_NAME) as db:
        rows = db.execute("SELECT path, size, mtime_ns, ctime_ns, sha256 FROM results").fetchall()
    return [(os.fsdecode(p), *rest) for p, *rest in rows]


def test_second_run_reads_no_file_and_reports_the_same(folder, tmp_path, reads):
    first = run(folder, tmp_path / "c")
    assert len(reads) == 5
    reads.clear()
    second = run(folder, tmp_path / "c")
    assert reads == []
    assert second == first
    assert len(db_rows(tmp_path / "c")) == 5


def test_modified_file_with_restored_size_and_mtime_is_validated_again(folder, tmp_path, reads, monkeypatch):
    monkeypatch.setattr("hlsp.cache.RACY_SECONDS", 0.0)  # no content hashes: the stat stamp alone must tell
    cache = tmp_path / "c"
    assert "CK002" not in rules_of(run(folder, cache), "f2.fits")
    target = folder / "f2.fits"
    st = os.stat(target)
    raw = bytearray(target.read_bytes())
    raw[-8] ^= 0x40  # a data byte: the data sum no longer matches DATASUM
    target.write_bytes(bytes(raw))
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))  # hide the change from size and mtime
    assert os.stat(target).st_size == st.st_size and os.stat(target).st_mtime_ns == st.st_mtime_ns
    reads.clear()
    results = run(folder, cache)
    assert reads == ["f2.fits"]  # ctime gave it away; the other four came from the cache
    assert "CK002" in rules_of(results, "f2.fits")


def test_replaced_file_is_validated_again(folder, tmp_path, reads, monkeypatch):
    monkeypatch.setattr("hlsp.cache.RACY_SECONDS", 0.0)
    cache = tmp_path / "c"
    run(folder, cache)
    new = folder / "new.tmp"
    write_product(new, 7.0)
    os.replace(new, folder / "f1.fits")  # atomic replacement: a new inode
    reads.clear()
    run(folder, cache)
    assert reads == ["f1.fits"]


def test_racy_entry_is_served_only_while_its_content_matches(folder, tmp_path, reads):
    """A file changed within one timestamp tick keeps its stat stamp; the hash catches it."""
    cache = tmp_path / "c"
    run(folder, cache)  # the files were just written: every entry is racy and has a hash
    rows = {Path(p).name: r for p, *r in db_rows(cache)}
    assert all(r[3] is not None for r in rows.values())
    reads.clear()
    assert run(folder, cache) and reads == []  # unchanged content: served after checking the hash

    target = folder / "f3.fits"
    raw = bytearray(target.read_bytes())
    raw[-8] ^= 0x40
    target.write_bytes(bytes(raw))
    st = os.stat(target)
    # Simulate a coarse clock: the stored stamp equals the new one, as if both writes fell in one tick.
    with sqlite3.connect(Path(cache) / FILE_NAME) as db:
        db.execute(
            "UPDATE results SET dev=?, ino=?, size=?, mtime_ns=?, ctime_ns=? WHERE path=?",
            (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, os.fsencode(os.path.abspath(target))),
        )
    reads.clear()
    results = run(folder, cache)
    assert reads == ["f3.fits"]
    assert "CK002" in rules_of(results, "f3.fits")


def test_entry_loses_its_hash_once_old_enough(folder, tmp_path, monkeypatch):
    cache = tmp_path / "c"
    run(folder, cache)
    assert all(r[4] is not None for r in db_rows(cache))
    monkeypatch.setattr("hlsp.cache.RACY_SECONDS", 0.0)  # as if the files had aged
    run(folder, cache)
    assert all(r[4] is None for r in db_rows(cache))


def test_rule_selection_options_and_data_change_the_fingerprint(folder, tmp_path, reads, monkeypatch):
    cache = tmp_path / "c"
    run(folder, cache)
    reads.clear()
    run(folder, cache, select=["checksum"])
    assert len(reads) == 5  # other rules: other results
    reads.clear()
    run(folder, cache, product_type="image")
    assert len(reads) == 5

    parts = {"rules": ["CK001"]}
    base = fingerprint(parts)
    assert fingerprint(parts) == base
    monkeypatch.setattr(hlsp.version, "__version__", "999.0")
    assert fingerprint(parts) != base
    monkeypatch.undo()
    copy = tmp_path / "validators"
    import shutil

    shutil.copytree(ROOT / "validators", copy)
    monkeypatch.setenv("HLSP_VALIDATORS", str(copy))
    same_data = fingerprint(parts)
    assert same_data == base  # the same data elsewhere is the same rule set
    profile = copy / "profiles" / "common.yaml"
    profile.write_text(profile.read_text() + "\n# edited by an archive scientist\n")
    assert fingerprint(parts) != base


def test_no_cache_neither_reads_nor_writes_the_cache(run_cli, folder, tmp_path, monkeypatch):
    cache = tmp_path / "c"
    monkeypatch.setenv("HLSP_CACHE_DIR", str(cache))
    r = run_cli("validate", "--no-cache", "--format", "json", folder)
    assert r.code in (0, 1), r
    assert not (cache / FILE_NAME).exists()

    # Poison the cache: a stored finding the file does not have, under the file's true stamp.
    assert run_cli("validate", "--format", "json", "-j", "1", folder).code in (0, 1)
    with sqlite3.connect(cache / FILE_NAME) as db:
        fake = json.dumps([{"rule": "FS003", "category": "fits", "severity": "error", "message": "POISON"}])
        n = db.execute("UPDATE results SET findings=?", (fake,)).rowcount
    assert n == 5
    cached = run_cli("validate", "--format", "json", "-j", "1", folder)
    assert "POISON" in cached.out  # proof that the run above really read the cache
    fresh = run_cli("validate", "--no-cache", "--format", "json", "-j", "1", folder)
    assert "POISON" not in fresh.out
    assert json.loads(fresh.out) == json.loads(r.out)


def test_corrupted_cache_file_is_ignored_and_rebuilt(folder, tmp_path, reads):
    cache = tmp_path / "c"
    expected = run(folder, cache, select=["fits", "checksum"])
    (cache / FILE_NAME).write_bytes(b"this is not a database" * 100)
    for extra in ("-wal", "-shm"):
        Path(f"{cache / FILE_NAME}{extra}").unlink(missing_ok=True)
    reads.clear()
    assert run(folder, cache, select=["fits", "checksum"]) == expected
    assert len(reads) == 5
    with sqlite3.connect(cache / FILE_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert len(db_rows(cache)) == 5
    reads.clear()
    assert run(folder, cache, select=["fits", "checksum"]) == expected and reads == []


def test_unreadable_stored_findings_count_as_a_miss(folder, tmp_path, reads):
    cache = tmp_path / "c"
    expected = run(folder, cache)
    with sqlite3.connect(cache / FILE_NAME) as db:
        db.execute("UPDATE results SET findings='{not json'")
    reads.clear()
    assert run(folder, cache) == expected
    assert len(reads) == 5


def test_file_names_that_are_not_utf8_are_cached(tmp_path, reads):
    folder = tmp_path / "odd"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9-\xff.fits")
    write_product(folder / name)
    first = run(folder, tmp_path / "c")
    reads.clear()
    assert run(folder, tmp_path / "c") == first and reads == []


def test_findings_round_trip_exactly(tmp_path):
    from hlsp.findings import Category, FileResult, Finding, Severity

    f = tmp_path / "x.fits"
    write_product(f)
    findings = [
        Finding("FS005", Category.FITS, Severity.ERROR, "naïve “quotes”", "fix it", hdu=2, keyword="B+1ST"),
        Finding("MD002", Category.METADATA, Severity.WARNING, "m", "", line=3, column=7, path="other/hlsp.yaml"),
        Finding("CK003", Category.CHECKSUM, Severity.INFO, "no checksum"),
    ]
    with ResultCache({"test": "fp"}, tmp_path / "c") as c:
        missing, stamp = c.lookup(str(f))  # the stamp (and, the file being new, its hash) to store under
        assert missing is None and stamp.sha256 is not None
        c.store(str(f), stamp, FileResult(str(f), findings))
    with ResultCache({"test": "fp"}, tmp_path / "c") as c:
        got, _ = c.lookup(str(f))
    assert sorted(got, key=Finding.sort_key) == sorted(findings, key=Finding.sort_key)


def test_run_killed_mid_way_leaves_a_usable_cache(tmp_path):
    """SIGKILL while results are being written: the next run is correct (WAL transactions)."""
    folder = tmp_path / "many"
    folder.mkdir()
    template = hdu_bytes(primary_cards(-32, [8, 8]), np.ones((8, 8), ">f4").tobytes(), checksum=True)
    for i in range(700):
        (folder / f"p{i:04d}.fits").write_bytes(template)
    env = {**os.environ, "HLSP_CACHE_DIR": str(tmp_path / "c"), "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "hlsp", "validate", "--show-clean", "--select", "fits,checksum", str(folder)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(400):  # past the first write transactions (256 results each)
            assert proc.stdout.readline(), "the run ended before it could be killed"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the run and its worker processes
        proc.communicate()
    with sqlite3.connect(tmp_path / "c" / FILE_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        kept = db.execute("SELECT count(*) FROM results").fetchone()[0]
    assert 256 <= kept < 700  # killed between write transactions: what was committed stays
    again = subprocess.run(cmd[:4] + ["--format", "json"] + cmd[4:], env=env, capture_output=True, text=True)
    fresh = subprocess.run(
        cmd[:4] + ["--format", "json", "--no-cache"] + cmd[4:], env=env, capture_output=True, text=True
    )
    assert again.returncode == fresh.returncode == 0, again.stderr + fresh.stderr
    assert json.loads(again.stdout) == json.loads(fresh.stdout)
    assert json.loads(fresh.stdout)["summary"]["files"] == 700


# ---------------------------------------------- the code digest, remembered by stat
@pytest.fixture
def sources(tmp_path, monkeypatch):
    """A copy of the validators and a small stand-in for the code, both changeable by the test."""
    code = tmp_path / "code"
    (code / "rules").mkdir(parents=True)
    (code / "engine.py").write_text("RULES = 1\n")
    (code / "rules" / "fs001.py").write_text("def check(): pass\n")
    (code / "notes.txt").write_text("not code: not hashed\n")
    monkeypatch.setattr("hlsp.cache._code_root", lambda: str(code))
    data = tmp_path / "validators"
    shutil.copytree(ROOT / "validators", data)
    monkeypatch.setenv("HLSP_VALIDATORS", str(data))
    return code, data


def open_db(path: Path) -> sqlite3.Connection:
    with ResultCache({}, path):  # creates the tables
        pass
    return sqlite3.connect(path / FILE_NAME, isolation_level=None)


def poison_digest(db: sqlite3.Connection) -> None:
    """Replace every remembered digest: a later run that returns it did not look at the files."""
    assert db.execute("UPDATE sources SET digest = 'POISON'").rowcount >= 1


def test_code_digest_is_remembered_only_while_no_file_changed(sources, tmp_path, monkeypatch):
    code, data = sources
    db = open_db(tmp_path / "c")
    monkeypatch.setattr("hlsp.cache.RACY_SECONDS", 0.0)  # as if the files were old
    fresh = sources_digest()
    assert sources_digest(db) == fresh
    poison_digest(db)
    assert sources_digest(db) == "POISON"  # remembered: no file was read

    def changed(change) -> None:
        poison_digest(db)
        change()
        assert sources_digest(db) == sources_digest() != "POISON"

    target = code / "engine.py"
    st = os.stat(target)
    # Same size, mtime restored: only ctime tells (as for the results themselves).
    changed(lambda: (target.write_text("RULES = 2\n"), os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))))
    assert os.stat(target).st_size == st.st_size and os.stat(target).st_mtime_ns == st.st_mtime_ns
    changed(lambda: (code / "rules" / "fs002.py").write_text("def check(): pass\n"))  # a rule added
    changed(lambda: (code / "rules" / "fs001.py").unlink())  # a rule removed
    changed(
        lambda: (data / "profiles" / "common.yaml").write_text(
            (data / "profiles" / "common.yaml").read_text() + "\n# edited\n"
        )
    )
    before = sources_digest()
    (code / "notes.txt").write_text("other text\n")
    assert sources_digest() == before  # only *.py of the code counts (as before the memo)


def test_code_digest_of_recently_changed_files_is_never_remembered(sources, tmp_path, monkeypatch):
    """A file changed within the racy window may change again in the same timestamp tick."""
    code, _ = sources
    db = open_db(tmp_path / "c")
    monkeypatch.setattr("hlsp.cache.RACY_SECONDS", 0.0)
    sources_digest(db)
    poison_digest(db)  # remembered under the files' present stat stamps
    monkeypatch.setattr("hlsp.cache.RACY_SECONDS", 3600.0)  # every file is now "just changed"
    assert sources_digest(db) == sources_digest() != "POISON"  # read again, though the stamps match
    n = db.execute("SELECT count(*) FROM sources").fetchone()[0]
    (code / "engine.py").write_text("RULES = 3\n")
    sources_digest(db)
    assert db.execute("SELECT count(*) FROM sources").fetchone()[0] == n  # and not remembered


def test_a_code_change_invalidates_cached_results(folder, sources, tmp_path, reads, monkeypatch):
    code, data = sources
    monkeypatch.setattr("hlsp.cache.RACY_SECONDS", 0.0)  # the digest is remembered: the stat check must tell
    cache = tmp_path / "c"
    first = run(folder, cache)
    reads.clear()
    assert run(folder, cache) == first and reads == []
    (code / "rules" / "fs001.py").write_text("def check(): return 1\n")
    assert run(folder, cache) == first and len(reads) == 5
    reads.clear()
    (data / "vocab" / "filename.yaml").write_text((data / "vocab" / "filename.yaml").read_text() + "\n# edited\n")
    run(folder, cache)
    assert len(reads) == 5


@pytest.mark.parametrize(
    "option",
    [{"select": ["checksum"]}, {"ignore": ["CK001"]}, {"product_type": "image"}, {"expected": {"version": "v2"}}],
    ids=["select", "ignore", "product_type", "expected"],
)
def test_every_option_that_changes_findings_changes_the_fingerprint(folder, tmp_path, reads, option):
    cache = tmp_path / "c"
    run(folder, cache)
    reads.clear()
    run(folder, cache, **option)
    assert len(reads) == 5
    reads.clear()
    run(folder, cache, **option)
    assert reads == []


def test_lookups_in_groups_give_each_file_its_own_answer(folder, tmp_path, reads, monkeypatch):
    monkeypatch.setattr("hlsp.cache.LOOKUP_EVERY", 2)  # 5 files: groups of 2, 2 and 1
    monkeypatch.setattr("hlsp.cache.RACY_SECONDS", 0.0)
    cache = tmp_path / "c"
    run(folder, cache)
    for name, value in (("f1.fits", 11.0), ("f4.fits", 14.0)):
        write_product(folder / name, value)
    reads.clear()
    got = run(folder, cache)
    assert sorted(reads) == ["f1.fits", "f4.fits"]
    assert got == [r.to_dict() for r in iter_validate([str(folder)], Options(jobs=1))]  # as without a cache


def test_a_run_served_from_the_cache_loads_no_reader_profiles_or_rules(folder, tmp_path):
    """What makes a cached run cheap: checked in a fresh interpreter, as users run it."""
    env = {**os.environ, "HLSP_CACHE_DIR": str(tmp_path / "c")}
    script = (
        "import sys; from hlsp.cli import main; code = main(['validate', '-j', '1', sys.argv[1]]); "
        "print(sorted(m for m in ('hlsp.fits', 'yaml', 'hlsp.rules.fs001_not_fits', 'hlsp.metadata', 'hlsp.scheduler') if m in sys.modules))"
    )
    cmd = [sys.executable, "-c", script, str(folder)]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert "hlsp.fits" in first.stdout and "hlsp.metadata" not in first.stdout, first.stdout + first.stderr
    again = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert again.stdout.splitlines()[-1] == "[]", again.stdout + again.stderr
    assert again.stdout.splitlines()[:-1] == first.stdout.splitlines()[:-1]  # the same report


def test_fingerprint_covers_python_libraries_and_the_c_extension(monkeypatch):
    """A new Python, astropy or numpy, or a rebuilt hlsp._speedups, gives a new fingerprint."""
    from hlsp import cache

    names = [n for n, _ in cache._source_files()[0]]
    assert "hlsp/_speedups.c" in names
    from hlsp.fits import speedups

    if speedups.C is not None:  # the built module itself, not only its source
        assert any(n.startswith("hlsp/_speedups.") and n.endswith(cache.EXTENSION_SUFFIXES[-1]) for n in names) or any(
            n.startswith("hlsp/_speedups.") and n.endswith(tuple(cache.EXTENSION_SUFFIXES)) for n in names
        )
    libs = cache._library_versions()
    assert any(v.startswith("astropy-") for v in libs) and any(v.startswith("numpy-") for v in libs)
    before = cache.fingerprint({})
    monkeypatch.setattr(cache, "_library_versions", lambda: [*libs[:-1], "numpy-0.0.1.dist-info"])
    assert cache.fingerprint({}) != before
    monkeypatch.undo()
    monkeypatch.setattr(cache.sys, "version", cache.sys.version + " (rebuilt)")
    assert cache.fingerprint({}) != before


def test_keys_of_many_paths_equal_the_absolute_paths(tmp_path, monkeypatch):
    from hlsp.cache import _key, _keys

    monkeypatch.chdir(tmp_path)
    paths = [
        "a.fits",
        "./b.fits",
        "sub/../c.fits",
        "sub/d.fits",
        "sub//e.fits",
        str(tmp_path / "x" / "f.fits"),
        "/",
        "..",
        "sub/.",
        "sub/..",
        "sub/",
        "/x.fits",
        "//y.fits",
        "sub/é\udce9.fits",
    ]
    assert _keys(paths) == [_key(p) for p in paths]


def test_one_cache_setting_and_the_old_name_still_read(tmp_path, monkeypatch):
    """HLSP_CACHE_DIR places every cache; HLSP_CACHE is read only without it, with a deprecation note."""
    import warnings

    from hlsp.cachedir import default_dir
    from hlsp.remote import RemoteOptions

    monkeypatch.setenv("HLSP_CACHE_DIR", str(tmp_path / "new"))
    monkeypatch.setenv("HLSP_CACHE", str(tmp_path / "old"))
    assert default_dir() == tmp_path / "new"
    assert RemoteOptions.from_env().cache_dir == tmp_path / "new"
    monkeypatch.delenv("HLSP_CACHE_DIR")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert default_dir() == tmp_path / "old"
    assert any("HLSP_CACHE is deprecated" in str(w.message) for w in caught)
    monkeypatch.delenv("HLSP_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert RemoteOptions.from_env().cache_dir == tmp_path / "xdg" / "hlsp"
