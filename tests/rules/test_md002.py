"""MD002 metadata-schema: fields missing, unknown or malformed, with the line."""

from contribution_support import copy_example, edit, findings, line_of


def test_clean_example_passes(tmp_path):
    assert findings(copy_example(tmp_path), "MD002") == []


def test_messages_name_the_field_and_line(tmp_path):
    root = copy_example(tmp_path)
    meta = root / "hlsp.yaml"
    edit(meta, "calibration_level: 3", "calibration_level: 5")
    edit(meta, 'doi: "10.17909/hlsp-example"', 'doi: "10.1234/not-mast"')
    edit(meta, "version: v1\n", "version: v1\ntitel: typo\n")
    edit(meta, "release_date: 2026-11-01", "release_date: 2026-13-45")
    got = {f.message: f for f in findings(root, "MD002")}
    assert set(got) == {
        "calibration_level must be one of 3, 4, not the number 5",
        "doi: the text '10.1234/not-mast' is not in the expected form",
        "hlsp.yaml: unknown field `titel` (did you mean `title`?)",
        "release_date: the text '2026-13-45' is not a valid date",
    }
    assert got["calibration_level must be one of 3, 4, not the number 5"].line == line_of(meta, "calibration_level")
    assert got["hlsp.yaml: unknown field `titel` (did you mean `title`?)"].line == line_of(meta, "titel")
    assert "10.17909" in got["doi: the text '10.1234/not-mast' is not in the expected form"].hint


def test_missing_required_field_and_product_without_location(tmp_path):
    root = copy_example(tmp_path)
    meta = root / "hlsp.yaml"
    edit(meta, "license: CC BY 4.0\n", "")
    edit(meta, "  - path: hlsp_example_hst_acs_ngc1234_f606w_v1_cat.fits\n", "  - description: nowhere\n")
    messages = [f.message for f in findings(root, "MD002")]
    assert "hlsp.yaml: required field `license` is missing" in messages
    assert any(m.startswith("products[1]: a product needs exactly one of `path`") for m in messages)


def test_misspelt_required_field_is_reported_once(tmp_path):
    """`licence:` for `license:` -- one finding, on the misspelt key, saying what to rename."""
    from contribution_support import copy_example, edit, findings, line_of

    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", "license: CC BY 4.0", "licence: CC BY 4.0")
    (f,) = findings(root, "MD002")
    assert (
        f.message
        == "hlsp.yaml: `licence` is not a field; the required field `license` is missing: rename `licence` to `license`"
    )
    assert f.line == line_of(root / "hlsp.yaml", "licence:")
