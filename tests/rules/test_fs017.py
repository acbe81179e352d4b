"""FS017 compression: a corrupt gzip or bzip2 stream."""

import bz2
import gzip

import numpy as np

from fitsgen import hdu_bytes, image_ext_cards

from _helpers import empty_primary, findings_for, image_hdu


def _noisy() -> bytes:
    noise = np.random.default_rng(1).integers(0, 256, 64 * 64 * 4, dtype="u1").tobytes()
    return empty_primary() + hdu_bytes(image_ext_cards(32, [64, 64]), noise)


def test_cut_gzip_names_the_hdu(tmp_path):
    z = gzip.compress(_noisy(), mtime=0)
    path = tmp_path / "x.fits.gz"
    path.write_bytes(z[: len(z) // 2])
    (f,) = findings_for(path, "FS017")
    assert (f.rule, f.hdu, f.keyword) == ("FS017", 1, None) and "gzip" in f.message


def test_garbage_after_gzip_magic(tmp_path):
    path = tmp_path / "x.fits.gz"
    path.write_bytes(b"\x1f\x8b" + b"\xff" * 500)
    (f,) = findings_for(path, "FS017")
    assert f.hdu is None


def test_cut_bzip2(tmp_path):
    z = bz2.compress(_noisy())
    path = tmp_path / "x.fits.bz2"
    path.write_bytes(z[: len(z) // 2])
    (f,) = findings_for(path, "FS017")
    assert "bzip2" in f.message


def test_intact_streams_pass(tmp_path):
    (tmp_path / "x.fits.gz").write_bytes(gzip.compress(image_hdu()))
    (tmp_path / "x.fits.bz2").write_bytes(bz2.compress(image_hdu()))
    assert findings_for(tmp_path / "x.fits.gz", "FS017") == []
    assert findings_for(tmp_path / "x.fits.bz2", "FS017") == []
