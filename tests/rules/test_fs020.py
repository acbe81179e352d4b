"""FS020 reader-limit: a file past a bound of the reader (docs/limits.md) gets a finding, never a hang."""

import bz2
import gzip

from fitsgen import hdu_bytes, header_bytes, primary_cards

from _helpers import findings_for, image_hdu


def test_a_bzip2_bomb_is_cut_off_at_the_inflate_cap(tmp_path, monkeypatch):
    monkeypatch.setenv("HLSP_INFLATE_FREE", str(8 * 1024 * 1024))  # small, so the test is quick
    head = header_bytes(primary_cards(8, [1024, 1024, 1024]))  # declares 1 GiB of zeros
    comp = bz2.BZ2Compressor(9)
    out = [comp.compress(head)]
    zeros = bytes(1024 * 1024)
    for _ in range(64):
        out.append(comp.compress(zeros))
    out.append(comp.flush())
    path = tmp_path / "x.fits.bz2"
    path.write_bytes(b"".join(out))
    assert path.stat().st_size < 8 * 1024  # a few KB ...
    (f,) = findings_for(path, "FS020")  # ... that would inflate to 64 MB: stopped at 8 MB
    assert f.severity.value == "error" and f.hdu == 0
    assert "inflates to more than 8388608 bytes" in f.message and "HLSP_INFLATE_FREE" in f.message


def test_a_header_past_the_card_budget(tmp_path, monkeypatch):
    monkeypatch.setenv("HLSP_MAX_HEADER_CARDS", "100")
    path = tmp_path / "x.fits"
    path.write_bytes(image_hdu(extra=[("COMMENT", f"line {i}") for i in range(200)]))
    (f,) = findings_for(path, "FS020")
    assert "more than 100 cards" in f.message and "HLSP_MAX_HEADER_CARDS" in f.message


def test_ascii_rows_longer_than_the_row_buffer_are_a_warning(tmp_path, monkeypatch):
    monkeypatch.setenv("HLSP_MAX_ROW_BUFFER", "16")
    cards = [
        ("XTENSION", "TABLE"),
        ("BITPIX", 8),
        ("NAXIS", 2),
        ("NAXIS1", 20),
        ("NAXIS2", 1),
        ("PCOUNT", 0),
        ("GCOUNT", 1),
        ("TFIELDS", 1),
        ("TFORM1", "I20"),
        ("TBCOL1", 1),
    ]
    path = tmp_path / "x.fits"
    path.write_bytes(hdu_bytes(primary_cards(), b"") + hdu_bytes(cards, b"12".rjust(20), fill=b" "))
    (f,) = findings_for(path, "FS020")
    assert f.severity.value == "warning" and f.hdu == 1 and "were not checked" in f.message


def test_ordinary_files_pass(tmp_path):
    (tmp_path / "x.fits.gz").write_bytes(gzip.compress(image_hdu()))
    (tmp_path / "y.fits").write_bytes(image_hdu())
    assert findings_for(tmp_path / "x.fits.gz", "FS020") == []
    assert findings_for(tmp_path / "y.fits", "FS020") == []
