"""CO015 metadata-headers."""

from contribution_support import copy_example, edit, findings


def test_clean_example_passes(tmp_path):
    assert findings(copy_example(tmp_path), "CO015") == []


def test_coordinates_far_from_the_headers(tmp_path):
    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", "ra: 47.9125", "ra: 48.9125")
    got = findings(root, "CO015")
    assert got and all(f.severity.value == "error" for f in got)
    assert "targets[1] (ngc1234) is at ra 48.9125" in got[0].message
    assert "Write `ra: 47.912500, dec: -7.845800`" in got[0].hint


def test_filter_of_a_header_not_listed(tmp_path):
    root = copy_example(tmp_path)
    # the example's light curve says FILTER = 'TESS'; take tess out of the list -> named with its header value
    edit(root / "hlsp.yaml", "filters: [f606w, g430l, tess]", "filters: [f606w, g430l]")
    (f,) = [f for f in findings(root, "CO015") if "FILTER" in f.message]
    assert "FILTER = 'TESS'" in f.message and "`filters` does not list 'tess'" in f.message
