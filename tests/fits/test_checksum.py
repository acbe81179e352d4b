"""The raw-byte checksums of hlsp.fits agree with astropy's and CFITSIO's.

Both libraries write CHECKSUM/DATASUM on files they create; our sums must
reproduce their DATASUM and, after blanking CHECKSUM, encode to their exact
CHECKSUM string.  The other way round, CFITSIO (through fitsio) must accept the
checksums ``encode_checksum`` writes (``fitsgen`` uses it) on random data.
Cases include several HDUs, HDUs without data, a table without rows, and files
above the chunk and whole-file-read sizes of the reader.
"""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fitsgen import bintable_cards, hdu_bytes, image_ext_cards, primary_cards
from hlsp.fits import read_fits
from hlsp.fits.checksum import encode_checksum, ones_add, ones_fold, ones_sum
from hlsp.fits.file import SMALL_FILE
from hlsp.fits.read import CHUNK


def _astropy_mef(path, big: bool = False):
    from astropy.io import fits

    n = int(np.sqrt((SMALL_FILE + CHUNK) // 4)) + 1 if big else 20
    hdus = [
        fits.PrimaryHDU(),  # no data
        fits.ImageHDU(np.random.default_rng(0).normal(size=(n, n)).astype("f4"), name="SCI"),
        fits.BinTableHDU.from_columns(
            [
                fits.Column("T", "D", array=np.arange(7.0)),
                fits.Column("S", "5A", array=["a", "bb", "c", "d", "e", "f", "g"]),
            ]
        ),
        fits.BinTableHDU.from_columns([fits.Column("T", "D", array=np.zeros(0))]),  # no rows
        fits.ImageHDU(np.arange(5, dtype="i2")),  # data shorter than one block
    ]
    fits.HDUList(hdus).writeto(path, checksum=True)
    return path


def _fitsio_mef(path):
    import fitsio

    with fitsio.FITS(str(path), "rw", clobber=True) as f:
        f.write(None, header={"OBJECT": "x"})
        f.write(np.arange(30, dtype="i4").reshape(5, 6))
        f.write({"X": np.arange(4.0), "N": np.arange(4, dtype="i2")})
        f.write({"X": np.zeros(0)})
        for hdu in f:
            hdu.write_checksum()
    return path


def _same_as_writer(path) -> int:
    """Check every HDU of ``path`` against the CHECKSUM/DATASUM its writer put there."""
    raw = path.read_bytes()
    ff = read_fits(path)
    assert not ff.issues
    for hdu in ff.hdus:
        assert hdu.checksum_status == ("ok", "ok")
        assert int(hdu.header.get("DATASUM")) == hdu.data_sum
        # the header sum with CHECKSUM blanked, plus the data sum, encodes to the writer's string
        head = raw[hdu.offset : hdu.offset + hdu.header_size]
        stored = hdu.header.get("CHECKSUM")
        blanked = re.sub(rb"(CHECKSUM= ')(.{16})(')", rb"\g<1>0000000000000000\g<3>", head, count=1)
        assert encode_checksum(ones_add(ones_fold(ones_sum(blanked)), hdu.data_sum)) == stored
    return len(ff.hdus)


def test_astropy_written_sums(tmp_path):
    assert _same_as_writer(_astropy_mef(tmp_path / "a.fits")) == 5


def test_astropy_written_sums_big_file(tmp_path):
    path = _astropy_mef(tmp_path / "big.fits", big=True)  # streamed in chunks, not read whole
    assert path.stat().st_size > SMALL_FILE + CHUNK
    assert _same_as_writer(path) == 5


def test_fitsio_written_sums(tmp_path):
    assert _same_as_writer(_fitsio_mef(tmp_path / "f.fits")) == 4


def test_zero_length_data_sums_to_zero(tmp_path):
    ff = read_fits(_astropy_mef(tmp_path / "a.fits"))
    assert ff.hdus[0].data_size == 0 and ff.hdus[0].data_sum == 0
    assert ff.hdus[3].header.get("DATASUM") == "0"


def test_gzip_sums_are_those_of_the_fits_inside(tmp_path):
    import gzip

    plain = _astropy_mef(tmp_path / "a.fits")
    gz = tmp_path / "a.fits.gz"
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    a, b = read_fits(plain), read_fits(gz)
    assert [(h.header_sum, h.data_sum) for h in a.hdus] == [(h.header_sum, h.data_sum) for h in b.hdus]
    assert all(h.checksum_status == ("ok", "ok") for h in b.hdus)


def test_encoding_known_values():
    # the worked example of the FITS checksum convention: the complement of 0 encodes to all '0'
    assert encode_checksum(0xFFFFFFFF) == "0000000000000000"
    for value in (0, 1, 0x12345678, 0xFFFFFFFE, 0x80000000):
        text = encode_checksum(value)
        assert len(text) == 16 and text.isalnum()


@settings(max_examples=30, deadline=None)
@given(
    values=st.lists(st.floats(allow_nan=True, width=32), max_size=900),
    rows=st.integers(0, 40),
    extra=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60),
)
def test_cfitsio_accepts_our_checksums(tmp_path_factory, values, rows, extra):
    import fitsio

    image = np.array(values, ">f4").tobytes()
    rec = np.arange(rows * 3, dtype=">i4").tobytes()
    raw = (
        hdu_bytes(primary_cards(8, [], [("OBJECT", extra)]), checksum=True)
        + hdu_bytes(image_ext_cards(-32, [len(values)]), image, checksum=True)
        + hdu_bytes(bintable_cards([("A", "3J")], rows, 12), rec, checksum=True)
        + hdu_bytes(image_ext_cards(-32, [len(values)]), image, checksum=True, datasum=False)
    )
    path = tmp_path_factory.mktemp("sums") / "ours.fits"
    path.write_bytes(raw)
    with fitsio.FITS(str(path)) as f:
        status = [f._FITS.verify_checksum(i + 1) for i in range(len(f))]
    assert status[:3] == [{"dataok": 1, "hduok": 1}] * 3
    assert status[3] == {"dataok": 0, "hduok": 1}  # no DATASUM: CHECKSUM alone still verifies
    assert [h.checksum_status for h in read_fits(path).hdus] == [("ok", "ok")] * 3 + [("ok", "missing")]
