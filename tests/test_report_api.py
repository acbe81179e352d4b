"""The Python API for notebooks and scripts (issue 14): reprs, the HTML view,
tables, render(), the progress callback and bar, and validate(URL) over real
servers (pytest-httpserver and a raw socket server for HTTP, SeaweedFS for S3).
"""

from __future__ import annotations

import gzip
import html.parser
import json
import os
import re
import socket
import subprocess
import sys
import threading
from pathlib import Path

import jsonschema
import pytest

import hlsp.progress
from conftest import need_system
from contribution_support import EXAMPLE, ROOT
from fitsgen import card, hdu_bytes, primary_cards
from hlsp import Category, FileResult, Finding, HlspError, Report, Severity, validate
from hlsp.findings import FOLD, TABLE_COLUMNS
from hlsp.progress import Bar, cli_wants_bar, in_ci, known_total, track, tqdm_class

IMG = "hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits"
SCHEMA = json.loads((ROOT / "validators" / "schemas" / "report.schema.json").read_text())
PAYLOAD_NAME = '"><img src=x onerror=alert(1)>.fits'


def F(rule="FS005", sev=Severity.ERROR, message="m", **kw) -> Finding:
    return Finding(rule=rule, category=Category.FITS, severity=sev, message=message, **kw)


@pytest.fixture
def injected(tmp_path) -> Path:
    """A real FITS file whose name, one keyword and one value carry HTML."""
    path = tmp_path / PAYLOAD_NAME
    extra = [
        card("", raw="<B>X'=  'a'"),
        ("DATE-OBS", "<i>now</i>"),
        ("OBJECT", "</td></tr></table><script>x</script>"),
    ]
    path.write_bytes(hdu_bytes(primary_cards(extra=extra)))
    return path


@pytest.fixture
def broken(tmp_path) -> Path:
    """A copy of the example collection with one product's HLSPVER changed (errors: HLSPVER, checksum)."""
    import shutil

    dest = tmp_path / "example"
    shutil.copytree(EXAMPLE, dest)
    data = bytearray((dest / IMG).read_bytes())
    at = data.index(b"HLSPVER = 'v1")
    data[at : at + 13] = b"HLSPVER = 'v7"
    (dest / IMG).write_bytes(bytes(data))
    return dest


# ------------------------------------------------------------------------ reprs
def test_reprs_are_one_stable_summary_line_without_addresses():
    long = "x" * 500
    r = Report(
        [
            FileResult(
                "a.fits", [F(hdu=1, keyword="EXPTIME", message="bad\nvalue"), F("KW001", Severity.WARNING, long)]
            ),
            FileResult("b.fits", []),
        ]
    )
    assert repr(r) == "<Report FAIL: 2 files, 1 error, 1 warning, 0 infos>"
    assert repr(r.files[0]) == "<FileResult a.fits: 1 error, 1 warning, 0 infos>"
    assert repr(r.files[1]) == "<FileResult b.fits: 0 errors, 0 warnings, 0 infos>"
    assert repr(r.files[0].findings[0]) == "<Finding FS005 error [HDU 1, EXPTIME]: bad value>"
    clipped = repr(r.files[0].findings[1])
    assert clipped.startswith("<Finding KW001 warning: xxx") and clipped.endswith("...>") and len(clipped) < 150
    assert repr(Report()) == "<Report PASS: 0 files, 0 errors, 0 warnings, 0 infos>"
    assert repr(Report([FileResult("a", [F(sev=Severity.WARNING)])])).startswith("<Report NEEDS REVIEW:")
    assert str(r) == repr(r)


def test_repr_of_a_real_report_is_the_same_in_a_new_process(broken):
    code = f"from hlsp import validate; r = validate({str(broken)!r}, jobs=1); print(repr(r)); print([repr(f) for f in r.files])"
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert runs[0].startswith("<Report FAIL: 9 files, ")
    assert " at 0x" not in runs[0] and not re.search(r"0x[0-9a-f]{6,}", runs[0])


# -------------------------------------------------------------------- HTML view
ALLOWED_TAGS = {"div", "p", "strong", "code", "details", "summary", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRS = {"class", "style", "open"}


class _Collect(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []
        self.text: list[str] = []
        self.cells: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag == "td":
            self._cell = []

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def parse(markup: str) -> _Collect:
    p = _Collect()
    p.feed(markup)
    p.close()
    return p


def assert_nothing_injected(markup: str) -> _Collect:
    p = parse(markup)
    for tag, attrs in p.tags:
        assert tag in ALLOWED_TAGS, (tag, attrs)
        for name, value in attrs:
            assert name in ALLOWED_ATTRS, (tag, name, value)
            assert "javascript" not in (value or "").lower()
    return p


def test_html_escapes_what_comes_from_a_file(injected):
    report = validate(str(injected), jobs=1)
    where = {(f.rule, f.keyword) for _, f in report.findings()}
    assert ("FS005", "<B>X'=") in where  # the payloads really reach the findings
    assert any("<i>now</i>" in f.message for _, f in report.findings())
    for view in (report._repr_html_(), report.files[0]._repr_html_()):
        p = assert_nothing_injected(view)
        assert not any(tag in ("script", "img", "i", "b") for tag, _ in p.tags)
        # the payloads are shown as text, unchanged, in their cells
        assert str(injected) in p.cells and "<B>X'=" in p.cells
        assert any("<i>now</i>" in c for c in p.cells)


def test_html_escapes_every_column_of_a_finding():
    evil = '"><script>alert(1)</script><td onclick=x>'
    f = Finding(
        rule="FS005", category=Category.FITS, severity=Severity.ERROR, message=evil, hint=evil, keyword=evil, line=3
    )
    r = Report([FileResult(evil, [f, F(sev=Severity.WARNING, path=evil)])])
    p = assert_nothing_injected(r._repr_html_())
    rows = [p.cells[i : i + 7] for i in range(0, len(p.cells), 7)]
    assert rows[0] == [f"{evil}:3", "", evil, "FS005", "error", evil, evil]
    assert rows[1][0] == evil
    assert [t for t, _ in p.tags if t == "td"] == ["td"] * 14


def test_html_shows_verdict_counts_errors_first_and_folds_long_lists():
    errors = [F(message=f"error {i}", hdu=0) for i in range(FOLD + 5)]
    r = Report(
        [
            FileResult("w.fits", [F("KW001", Severity.WARNING, "a warning"), F("KW002", Severity.INFO, "a note")]),
            FileResult("e.fits", errors),
        ]
    )
    markup = r._repr_html_()
    assert_nothing_injected(markup)
    text = "".join(parse(markup).text)
    assert text.startswith(f"FAIL: 2 files checked, {FOLD + 5} errors, 1 warning, 1 info")
    # sections: errors (open), then warnings and infos (folded); within errors FOLD rows, the rest folded
    assert markup.index("error 0") < markup.index("a warning") < markup.index("a note")
    sections = re.findall(r"<details( open)?><summary>([^<]*)</summary>", markup)
    assert sections == [(" open", f"{FOLD + 5} errors"), ("", "5 more"), ("", "1 warning"), ("", "1 info note")]
    before_fold = markup[: markup.index("5 more")]
    assert f"error {FOLD - 1}<" in before_fold and f"error {FOLD}<" not in before_fold
    # no errors: the warnings are open
    calm = Report([FileResult("w.fits", [F("KW001", Severity.WARNING, "w")])])._repr_html_()
    assert re.findall(r"<details( open)?><summary>([^<]*)</summary>", calm) == [(" open", "1 warning")]
    assert (
        "PASS" in Report([FileResult("ok.fits")])._repr_html_()
        and "<table" not in Report([FileResult("ok.fits")])._repr_html_()
    )


def test_html_of_a_huge_report_stays_bounded():
    from hlsp.findings import MAX_ROWS

    n = MAX_ROWS + 4321
    r = Report([FileResult(f"f{i}.fits", [F(message=f"error {i}")]) for i in range(n)])
    markup = r._repr_html_()
    p = assert_nothing_injected(markup)
    assert len(p.cells) == MAX_ROWS * 7
    assert f"error {MAX_ROWS - 1}<" in markup and f"error {MAX_ROWS}<" not in markup
    assert re.findall(r"<summary>([^<]*)</summary>", markup) == [f"{n} errors", f"{n - FOLD} more"]
    assert "4321 more not shown: report.to_table() has them all" in "".join(p.text)


# ------------------------------------------------------------------------ tables
def test_to_table_has_a_row_per_finding_named_as_in_the_json_report(broken):
    report = validate(str(broken), jobs=1)
    table = report.to_table()
    finding_props = set(SCHEMA["$defs"]["finding"]["properties"])
    assert set(table.colnames) == finding_props and tuple(table.colnames) == TABLE_COLUMNS
    doc = json.loads(report.render("json"))
    expected = [dict(f, path=f.get("path", entry["path"])) for entry in doc["files"] for f in entry["findings"]]
    assert len(table) == len(expected) == sum(1 for _ in report.findings()) > 0
    for i, want in enumerate(expected):
        for name in TABLE_COLUMNS:
            column = table[name]
            if column.mask[i]:
                assert want.get(name) is None, (name, want)
            else:
                assert column[i] == want[name], (name, want)
    assert set(table["severity"]) >= {"error"}


def test_to_table_masks_nulls_and_handles_an_empty_report():
    r = Report([FileResult("a.fits", [F(hdu=None, keyword=None), F(hdu=2, keyword="BITPIX", line=None)])])
    t = r.to_table()
    assert list(t["hdu"].mask) == [True, False] and t["hdu"][1] == 2
    assert list(t["keyword"].mask) == [True, False] and t["keyword"][1] == "BITPIX"
    assert all(t["line"].mask)
    empty = Report([FileResult("a.fits")]).to_table()
    assert len(empty) == 0 and tuple(empty.colnames) == TABLE_COLUMNS


def test_to_pandas(broken):
    try:
        import pandas
    except ImportError:  # in the test extra: skips in a bare install, fails under CI=true
        need_system("pandas is not installed: pip install -e '.[test]'")
    report = validate(str(broken), jobs=1)
    df = report.to_pandas()
    assert isinstance(df, pandas.DataFrame)
    assert list(df.columns) == list(TABLE_COLUMNS) and len(df) == len(report.to_table())
    assert df["hdu"].isna().tolist() == [f.hdu is None for _, f in _ordered(report)]
    assert (df["severity"] == "error").sum() == report.summary.errors


def _ordered(report):
    return [(r.path, f) for r in report.files for f in sorted(r.findings, key=Finding.sort_key)]


def test_import_hlsp_loads_neither_astropy_nor_pandas_nor_tqdm():
    code = "import sys, hlsp; print(sorted(m for m in ('astropy', 'pandas', 'tqdm') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_to_pandas_without_pandas_is_a_one_line_error():
    code = (
        "import sys; sys.modules['pandas'] = None\n"
        "from hlsp import Report, FileResult\n"
        "try:\n    Report([FileResult('a')]).to_pandas()\n"
        "except ImportError as e:\n    print('ERR', e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "ERR Report.to_pandas() needs pandas, which is not installed: pip install pandas\n"


# ------------------------------------------------------------------------ render
def test_render_gives_what_the_cli_prints(broken, run_cli):
    report = validate(str(broken), jobs=1)
    for fmt in ("text", "markdown", "json", "junit"):
        cli = run_cli("validate", broken, "--format", fmt, "--no-cache", "-j1", "--progress", "never")
        assert cli.code == 1
        assert report.render(fmt) == cli.out, fmt
    assert report.render("text", show_info=True) == run_cli("validate", broken, "-v", "--no-cache", "-j1").out
    doc = json.loads(report.render("json"))
    jsonschema.validate(doc, SCHEMA)
    assert doc == report.to_dict()
    assert report.files[3].render().startswith(report.files[3].path)
    with pytest.raises(HlspError, match="unknown format 'html'"):
        report.render("html")


# ---------------------------------------------------------------------- progress
def test_progress_callback_sees_every_result_in_order(broken, tmp_path):
    calls = []
    report = validate(str(broken), jobs=1, progress=lambda done, total, result: calls.append((done, total, result)))
    assert [c[0] for c in calls] == list(range(1, len(report.files) + 1))
    assert [c[2] for c in calls] == report.files
    assert {c[1] for c in calls} == {None}  # a folder: how many files it gives is not known ahead
    files = sorted(str(p) for p in broken.glob("*.fits"))
    calls.clear()
    validate(files, jobs=1, progress=lambda done, total, result: calls.append((done, total, result.path)))
    assert calls == [(i + 1, len(files), p) for i, p in enumerate(files)]
    assert known_total(files + [str(broken)]) is None and known_total([]) is None
    assert known_total([files[0], "https://example.org/a.fits", "s3://b/k.fits"]) == 3


def test_track_closes_the_bar_also_when_stopped_early():
    closed = []

    class Probe:
        def __call__(self, done, total, result):
            pass

        def close(self):
            closed.append(True)

    gen = track(iter([FileResult("a"), FileResult("b")]), Probe(), 2)
    next(gen)
    gen.close()
    assert closed == [True]


def test_progress_true_draws_a_plain_bar_and_never_warns(broken):
    # ipywidgets is not installed here: tqdm.auto would warn "IProgress not found"
    code = (
        "import warnings; warnings.simplefilter('error')\n"
        "from hlsp import validate\n"
        f"r = validate({str(broken)!r}, jobs=1, progress=True)\n"
        "print(repr(r))\n"
    )
    done = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("<Report FAIL: 9 files")
    assert re.search(r"hlsp validate: 9 files \[.*errors\]", done.stderr), done.stderr
    assert "IProgress" not in done.stderr and "Warning" not in done.stderr


def test_without_tqdm_a_bar_is_one_line_naming_the_extra(broken, monkeypatch, run_cli):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # as if hlsp[progress] were not installed
    line = "a progress bar needs hlsp[progress] (tqdm is not installed): pip install 'hlsp[progress]'"
    with pytest.raises(HlspError) as info:
        validate(str(broken), progress=True)
    assert str(info.value) == line
    calls = []
    validate(str(broken), jobs=1, progress=lambda *a: calls.append(a))  # a callback needs nothing
    assert len(calls) == 9
    done = run_cli("validate", broken, "--progress", "always")
    assert (done.code, done.out, done.err) == (2, "", f"hlsp validate: error: {line}\n")
    assert not cli_wants_bar("text", _Tty(True), {})  # auto: quietly none
    code, out, tty = _cli_with_tty_stderr(monkeypatch, ["validate", broken, "-j1", "--no-cache"], {})
    assert code == 1 and "9 files checked" in out and tty == ""


def test_bar_is_tqdm_std_without_ipywidgets():
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        assert tqdm_class(notebook=True).__module__ == "tqdm.std"
    else:
        assert tqdm_class(notebook=True).__module__ == "tqdm.notebook"
    assert tqdm_class(notebook=False).__module__ == "tqdm.std"


def test_bar_waits_for_its_delay(tmp_path):
    with open(tmp_path / "err", "w") as err:
        bar = Bar(file=err, delay=3600.0)
        for i in range(5):
            bar(i + 1, 5, FileResult(str(i), [F()]))
        bar.close()
    assert (tmp_path / "err").read_text() == "" and bar.errors == 5 and not bar.shown


class _Tty:
    def __init__(self, tty: bool):
        self.tty = tty

    def isatty(self):
        return self.tty


def test_cli_wants_a_bar_only_for_text_to_a_terminal_outside_ci():
    assert cli_wants_bar("text", _Tty(True), {})
    assert not cli_wants_bar("text", _Tty(False), {})
    for fmt in ("json", "github", "junit", "markdown"):
        assert not cli_wants_bar(fmt, _Tty(True), {})
    for env in ({"CI": "true"}, {"CI": "1"}, {"GITHUB_ACTIONS": "true"}, {"TERM": "dumb"}):
        assert not cli_wants_bar("text", _Tty(True), env), env
    assert cli_wants_bar("text", _Tty(True), {"CI": "false"})
    assert in_ci({"CI": "yes"}) and not in_ci({"CI": ""}) and not in_ci({})


def _cli_with_tty_stderr(monkeypatch, args, env):
    """Run ``hlsp`` in-process with standard error on a real pseudo-terminal; (exit, stdout, what the terminal got)."""
    import io
    import pty
    from contextlib import redirect_stdout

    from hlsp.cli import main

    for k in ("CI", "GITHUB_ACTIONS", "TERM"):
        monkeypatch.delenv(k, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setattr(hlsp.progress, "CLI_DELAY", 0.0)  # so that a short run counts as long
    master, slave = pty.openpty()
    got = bytearray()
    with open(slave, "w", closefd=True) as tty:
        monkeypatch.setattr(sys, "stderr", tty)
        out = io.StringIO()
        with redirect_stdout(out):
            code = main([str(a) for a in args])
        tty.flush()
        os.set_blocking(master, False)
        while True:
            try:
                chunk = os.read(master, 65536)
            except (BlockingIOError, OSError):
                break
            if not chunk:
                break
            got += chunk
    os.close(master)
    return code, out.getvalue(), got.decode(errors="replace")


def test_cli_draws_the_bar_on_a_terminal(broken, monkeypatch):
    code, out, tty = _cli_with_tty_stderr(monkeypatch, ["validate", broken, "-j1", "--no-cache"], {})
    assert code == 1 and "9 files checked" in out
    assert re.search(r"hlsp validate: 9 files \[.*errors\]", tty), tty
    assert "hlsp validate" not in out


@pytest.mark.parametrize(
    "args, env",
    [
        (["--format", "json"], {}),
        (["--format", "markdown"], {}),
        ([], {"CI": "true"}),
        ([], {"GITHUB_ACTIONS": "true"}),
        (["--progress", "never"], {}),
    ],
)
def test_cli_draws_no_bar_in_ci_or_machine_formats(broken, monkeypatch, args, env):
    code, out, tty = _cli_with_tty_stderr(monkeypatch, ["validate", broken, "-j1", "--no-cache", *args], env)
    assert code == 1 and out
    assert "hlsp validate" not in tty and "files/s" not in tty, tty
    if "json" in args:
        jsonschema.validate(json.loads(out), SCHEMA)


def test_cli_progress_always_keeps_stdout_clean(broken, run_cli):
    result = run_cli("validate", broken, "-j1", "--no-cache", "--format", "json", "--progress", "always")
    assert re.search(r"hlsp validate: 9 files \[.*errors\]", result.err)
    jsonschema.validate(json.loads(result.out), SCHEMA)


# ------------------------------------------------------------------ remote files
@pytest.fixture
def remote_env(tmp_path, monkeypatch):
    """Loopback servers allowed; an empty cache and temp folder that must stay empty."""
    monkeypatch.setenv("HLSP_ALLOW_PRIVATE_URLS", "1")
    monkeypatch.setenv("HLSP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HLSP_RETRIES", "1")
    monkeypatch.setenv("HLSP_TIMEOUT", "5")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    yield tmp_path
    cache = tmp_path / "cache"  # it holds the parsed validators copies (hlsp.profiles), and nothing else
    stored = [p for p in cache.rglob("*") if p.is_file() and p.relative_to(cache).parts[0] != "validators"]
    assert stored == [], "a remote file was stored in the cache"
    assert list(scratch.iterdir()) == [], "a remote file was written to the temp folder"


def _local_findings(path: Path):
    report = validate(str(path), jobs=1)
    return [(f.rule, f.severity, f.hdu, f.keyword, f.message) for _, f in report.findings()]


def test_validate_https_url_streams_through_the_reader(remote_env, httpserver, broken):
    data = (broken / IMG).read_bytes()
    httpserver.expect_request(f"/products/{IMG}").respond_with_data(data, content_type="application/fits")
    url = httpserver.url_for(f"/products/{IMG}")
    report = validate(url, progress=lambda *a: None)
    assert [r.path for r in report.files] == [url]
    got = [(f.rule, f.severity, f.hdu, f.keyword, f.message) for _, f in report.findings()]
    assert got == _local_findings(broken / IMG) and any(g[0] == "CK001" for g in got)  # same rules, same answers


@pytest.mark.parametrize("suffix", [".gz", ".bz2"])
def test_validate_compressed_url_and_a_list_mixing_urls_and_files(remote_env, httpserver, broken, suffix):
    import bz2

    data = (broken / IMG).read_bytes()
    packed = gzip.compress(data) if suffix == ".gz" else bz2.compress(data)
    httpserver.expect_request(f"/{IMG}{suffix}").respond_with_data(packed)
    url = httpserver.url_for(f"/{IMG}{suffix}")
    report = validate([str(EXAMPLE / IMG), url, str(EXAMPLE / IMG)], jobs=1)
    assert [r.path for r in report.files] == [str(EXAMPLE / IMG), url, str(EXAMPLE / IMG)]
    remote = report.files[1]
    assert {f.rule for f in remote.findings} >= {"CK001"}  # the broken copy's checksum, read through gzip
    assert not report.files[0].findings and not report.files[2].findings


def test_remote_failures_are_findings_naming_the_url(remote_env, httpserver, monkeypatch, run_cli):
    httpserver.expect_request("/gone.fits").respond_with_data("no", status=404)
    missing = httpserver.url_for("/gone.fits")
    result = run_cli("validate", missing, "--format", "json")
    assert result.code == 1
    [entry] = json.loads(result.out)["files"]
    assert entry["path"] == missing
    assert [(f["rule"], f["message"]) for f in entry["findings"]] == [
        ("FS001", f"cannot read the file: cannot fetch {missing}: not found (HTTP 404 or no such key)")
    ]
    monkeypatch.delenv("HLSP_ALLOW_PRIVATE_URLS")
    refused = validate(["https://127.0.0.1:1/x.fits", "http://example.invalid/x.fits", "s3://"], jobs=1)
    messages = [f.message for _, f in refused.findings()]
    assert "resolves to the private or local address 127.0.0.1" in messages[0]
    assert "plain http:// is not allowed" in messages[1]
    assert "an s3:// URL needs a bucket" in messages[2]


@pytest.mark.parametrize(
    "setting, value, says",
    [
        (
            "HLSP_REMOTE_MAX_BYTES",
            "1000",
            "more than 1000 bytes, the most a remote product may have (limit: HLSP_REMOTE_MAX_BYTES)",
        ),
        ("HLSP_REMOTE_MAX_BYTES", str(1536 * 1024), f"more than {1536 * 1024} bytes"),  # past the first chunk
        ("HLSP_REMOTE_DEADLINE", "1e-9", "not fetched within 1e-09 seconds (limit: HLSP_REMOTE_DEADLINE)"),
    ],
)
def test_the_remote_bounds_apply_to_a_url_too(remote_env, httpserver, monkeypatch, setting, value, says):
    import numpy as np

    values = np.arange(1024 * 768, dtype=">i4").tobytes()  # 3 MiB
    httpserver.expect_request(f"/{IMG}").respond_with_data(
        hdu_bytes(primary_cards(bitpix=32, naxes=[1024, 768]), values)
    )
    monkeypatch.setenv(setting, value)
    url = httpserver.url_for(f"/{IMG}")
    [(path, f)] = list(validate(url).findings())
    assert path == url and f.rule == "FS001" and says in f.message and f.message.endswith("transfer stopped"), f.message


@pytest.mark.parametrize("suffix", [".gz", ".bz2"])
def test_a_compression_bomb_over_http_stops_at_the_inflate_bound(remote_env, httpserver, monkeypatch, suffix):
    import bz2

    monkeypatch.setenv("HLSP_INFLATE_FREE", str(1024 * 1024))
    monkeypatch.setenv("HLSP_MAX_INFLATE_RATIO", "10")
    # a valid header, then 64 MiB of zeros: inflates far beyond 10x its compressed size
    data = hdu_bytes(primary_cards(bitpix=8, naxes=[64 * 1024 * 1024]), b"\x00" * (64 * 1024 * 1024))
    packed = gzip.compress(data) if suffix == ".gz" else bz2.compress(data)
    assert len(packed) * 10 < 8 * 1024 * 1024
    httpserver.expect_request(f"/{IMG}{suffix}").respond_with_data(packed)
    url = httpserver.url_for(f"/{IMG}{suffix}")
    findings = [f for _, f in validate(url).findings()]
    assert [f.rule for f in findings if f.rule == "FS020"] == ["FS020"], findings
    assert any("decompression bomb" in f.message for f in findings)


def _serve_truncated(body: bytes, claimed: int):
    """A real HTTP server (raw socket) that promises ``claimed`` bytes, sends ``body`` and hangs up."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)

    def run():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                request = b""
                while b"\r\n\r\n" not in request:
                    got = conn.recv(4096)
                    if not got:
                        break
                    request += got
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % claimed + body)

    threading.Thread(target=run, daemon=True).start()
    return server


@pytest.mark.parametrize("compress", [False, True])
def test_a_transfer_broken_off_is_a_fetch_finding_not_a_corrupt_file(remote_env, compress):
    import numpy as np

    from hlsp.remote import CHUNK

    # 3 MiB of incompressible values: the transfer breaks after more than one chunk, also when gzipped
    values = np.random.default_rng(14).integers(0, 2**31, size=(768, 1024), dtype="i4").astype(">i4").tobytes()
    data = hdu_bytes(primary_cards(bitpix=32, naxes=[1024, 768]), values)
    if compress:
        data = gzip.compress(data)
    sent = len(data) - 200_000
    assert sent > 2 * CHUNK
    server = _serve_truncated(data[:sent], len(data))
    try:
        url = f"http://127.0.0.1:{server.getsockname()[1]}/{IMG}" + (".gz" if compress else "")
        report = validate(url)
    finally:
        server.close()
    # one finding: the fetch failed (and where), never a "corrupt gzip stream" or a truncated file
    [(path, f)] = list(report.findings())
    assert path == url and f.rule == "FS001"
    assert re.fullmatch(rf"cannot read the file: cannot fetch {re.escape(url)}: .* after \d+ bytes", f.message), (
        f.message
    )


def test_a_big_remote_file_streams_in_bounded_memory(remote_env, tmp_path):
    """64 MiB through Python's own HTTP server in another process: read in a few MiB, nothing stored."""
    import tracemalloc

    from hlsp.remote import read_url
    from fitsgen import MiB, sparse_image

    size = 64 * MiB
    served = tmp_path / "served"
    served.mkdir()
    expected = sparse_image(served / IMG, size, {0: 0x3F800000, size // 2: 0xDEADBEEF, size - 4: 0x01020304})
    (served / "small.fits").write_bytes((EXAMPLE / IMG).read_bytes())
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(served)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        port = int(re.search(r"port (\d+)", server.stdout.readline()).group(1))  # printed once listening
        read_url(f"http://127.0.0.1:{port}/small.fits")  # imports (aiohttp, fsspec) are not the reader's memory
        tracemalloc.start()
        try:
            fits = read_url(f"http://127.0.0.1:{port}/{IMG}")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    finally:
        server.terminate()
        server.wait()
    hdu = fits.hdus[0]
    assert (hdu.data_sum, hdu.truncated, fits.size) == (expected, False, (served / IMG).stat().st_size)
    assert peak < 10 * MiB, f"peak {peak / MiB:.1f} MiB"  # (~6.5 MiB for 8, 32 or 128 MiB files)


@pytest.fixture
def s3_env(s3_server, remote_env, monkeypatch):
    """Contributor products on the S3 server, with the credentials meant for them (HLSP_S3_*)."""
    env = s3_server.env()
    monkeypatch.setenv("HLSP_S3_ENDPOINT", env["AWS_ENDPOINT_URL"])
    monkeypatch.setenv("HLSP_S3_ACCESS_KEY_ID", env["AWS_ACCESS_KEY_ID"])
    monkeypatch.setenv("HLSP_S3_SECRET_ACCESS_KEY", env["AWS_SECRET_ACCESS_KEY"])
    for key in ("AWS_DEFAULT_REGION", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.setenv(key, env[key])
    return s3_server


def test_validate_s3_url(s3_env, broken):
    bucket = s3_env.new_bucket()
    data = (broken / IMG).read_bytes()
    s3_env.client().put_object(Bucket=bucket, Key=f"hlsp/{IMG}", Body=data)
    url = f"s3://{bucket}/hlsp/{IMG}"
    report = validate(url)
    assert [r.path for r in report.files] == [url]
    assert [(f.rule, f.severity, f.hdu, f.keyword, f.message) for _, f in report.findings()] == _local_findings(
        broken / IMG
    )
    missing = validate(f"s3://{bucket}/hlsp/none.fits")
    assert [f.message for _, f in missing.findings()] == [
        f"cannot read the file: cannot fetch s3://{bucket}/hlsp/none.fits: not found (HTTP 404 or no such key)"
    ]
