"""CO014 metadata-names."""

from contribution_support import copy_example, edit, findings


def test_clean_example_passes(tmp_path):
    assert findings(copy_example(tmp_path), "CO014") == []


def test_missing_value_names_it(tmp_path):
    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", "instruments: [acs, stis, ffi]", "instruments: [acs, stis]")
    (f,) = findings(root, "CO014")
    assert f.severity.value == "error"
    assert f.message == "instruments does not list ffi, which 1 file name use"
    assert f.hint == "Write `instruments: [acs, stis, ffi]` in hlsp.yaml."


def test_unused_value_is_a_warning(tmp_path):
    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", "filters: [f606w, g430l, tess]", "filters: [f606w, g430l, tess, f814w]")
    (f,) = findings(root, "CO014")
    assert f.severity.value == "warning" and "f814w" in f.message


def test_missing_target_gets_the_headers_coordinates(tmp_path):
    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", "name: ngc1234", "name: ngc9999")
    (f,) = findings(root, "CO014")
    assert "targets has no entry for 'ngc1234'" in f.message
    assert "{name: ngc1234, ra: 47.912500, dec: -7.845800}" in f.hint and "RA_TARG/DEC_TARG" in f.hint
