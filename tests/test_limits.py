"""The bounds of hlsp.limits: documented in docs/limits.md, and a bad value is a one-line usage error."""

from __future__ import annotations

from pathlib import Path

from hlsp.limits import SETTINGS

DOC = (Path(__file__).resolve().parent.parent / "docs" / "limits.md").read_text()


def test_every_setting_is_documented_with_its_default():
    for s in SETTINGS.values():
        row = next((line for line in DOC.splitlines() if line.startswith(f"| `{s.env}` |")), None)
        assert row is not None, f"{s.env} is not in docs/limits.md"
        default = f"{int(s.default)}" if s.default == int(s.default) else f"{s.default}"
        assert default in row, f"{s.env}: the default {default} is not the one docs/limits.md gives: {row}"


def test_the_documented_settings_all_exist():
    documented = {line.split("`")[1] for line in DOC.splitlines() if line.startswith("| `HLSP_")}
    assert documented == {s.env for s in SETTINGS.values()}


def test_a_bad_value_stops_the_cli_with_one_line(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("HLSP_MAX_HDUS", "-3")
    r = run_cli("validate", "--no-cache", tmp_path)
    assert r.code == 2 and r.err.count("\n") == 1
    assert "HLSP_MAX_HDUS='-3': expected a positive number of HDUs" in r.err
