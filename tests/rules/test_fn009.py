"""FN009 vocabulary: values and their combination (the official checker checks flat lists only)."""

import pytest
from _helpers import empty_primary, findings_for, write_fits


def _findings(tmp_path, obs, inst, filt):
    name = f"hlsp_demo_{obs}_{inst}_m31_{filt}_v1_img.fits"
    return findings_for(write_fits(tmp_path / name, empty_primary()), "FN009")


@pytest.mark.parametrize(
    "obs,inst,filt",
    [
        ("hst", "acs", "f814w"),
        ("hst-jwst", "acs-nircam", "f814w-f200w"),
        ("multi", "multi", "multi"),
        ("hst", "multi", "f814w-f160w"),
        ("eso-vista", "vircam", "ks"),  # an alias
        ("vlt", "hawk-i", "ks"),  # a value holding '-'
        ("2mass", "camera", "j"),  # a listed value starting with a digit
        ("tess", "ffi", "tess"),
    ],
)
def test_known_combinations(tmp_path, obs, inst, filt):
    assert _findings(tmp_path, obs, inst, filt) == []


def test_unknown_observatory(tmp_path):
    (f,) = _findings(tmp_path, "hst-xyz", "acs", "f814w")
    assert (f.rule, f.severity.value) == ("FN009", "warning")
    assert f.message == "the observatory 'xyz' is not in the vocabulary"


def test_instrument_of_another_observatory(tmp_path):
    (f,) = _findings(tmp_path, "jwst", "wfc3", "f814w")
    assert f.message == "the instrument 'wfc3' is not an instrument of jwst in the vocabulary"


def test_filter_of_another_instrument(tmp_path):
    (f,) = _findings(tmp_path, "hst", "acs", "f160w")
    assert f.message == "the filter (opt-elem) 'f160w' is not a filter of acs in the vocabulary"


def test_unknown_value_starting_with_a_digit(tmp_path):
    (f,) = _findings(tmp_path, "hst", "acs", "814w")
    assert "'814w' is not in the vocabulary (and it does not start with a letter" in f.message
