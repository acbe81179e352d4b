"""`hlsp fix`: header keywords from hlsp.yaml, dates, checksums -- data bytes never change."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess

import pytest

from contribution_support import EXAMPLE, copy_example
from hlsp import validate
from hlsp.fits.card import commentary_card, format_card, header_bytes
from hlsp.errors import HlspError
from hlsp.fits import read_fits
from hlsp.fits.card import CARD
from hlsp.fixer import apply_fix, plan_fix

IMG = "hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits"
LC = "hlsp_example_tess_ffi_ngc1234_tess_v1_lc.fits"
META = EXAMPLE / "hlsp.yaml"


def data_units(path) -> list[bytes]:
    raw = open(path, "rb").read()
    return [raw[h.offset + h.header_size : h.offset + h.header_size + h.padded_data_size] for h in read_fits(path).hdus]


def damage(src, dest, drop=("HLSPNAME", "CHECKSUM", "DATASUM", "LICENURL"), change=None) -> None:
    """A copy of ``src`` with keywords removed/changed in the primary header (data kept)."""
    raw = open(src, "rb").read()
    fits = read_fits(src)
    out = b""
    for h in fits.hdus:
        header = raw[h.offset : h.offset + h.header_size]
        cards = [header[i : i + CARD].decode() for i in range(0, h.header_size, CARD)]
        cards = [c for c in cards if c[:8].rstrip() not in ("END", "") and (h.index or c[:8].rstrip() not in drop)]
        cards = [c for c in cards if c[:8].rstrip() not in ("CHECKSUM", "DATASUM")]
        for kw, value in (change or {}).items() if h.index == 0 else ():
            idx = next(i for i, c in enumerate(cards) if c[:8].rstrip() == kw)
            cards[idx] = format_card(kw, value)[0]
        out += header_bytes(cards) + raw[h.offset + h.header_size : h.offset + h.header_size + h.padded_data_size]
    open(dest, "wb").write(out)


def test_example_products_need_no_fix(run_cli):
    files = [str(p) for p in sorted(EXAMPLE.glob("*.fits"))]
    r = run_cli("fix", *files, "--metadata", META)
    assert r.code == 0 and r.out == "" and r.err.count("nothing to change") == 4


def test_diff_then_write_keeps_data(tmp_path, run_cli):
    bad = tmp_path / LC
    damage(EXAMPLE / LC, bad, change={"HLSPVER": "v0", "DATE-BEG": "2019-08-22 18:00:00Z"})
    original = bad.read_bytes()
    r = run_cli("fix", bad, "--metadata", META)
    assert r.code == 1 and bad.read_bytes() == original  # a diff only
    assert f"--- a/{bad} [HDU 0]" in r.out and f"+++ b/{bad} [HDU 0]" in r.out
    assert "-HLSPVER = 'v0      '" in r.out and "+HLSPVER = 'v1      '" in r.out
    assert "+HLSPNAME= 'Example HLSP: image, spectrum, light curve and catalog of NGC 1234'" in r.out
    assert "+DATE-BEG= '2019-08-22T18:00:00'" in r.out
    assert "+LICENURL= 'https://creativecommons.org/licenses/by/4.0/'" in r.out
    assert "[HDU 1]" in r.out and "+CHECKSUM=" in r.out
    before = data_units(bad)
    r = run_cli("fix", bad, "--metadata", META, "--write")
    assert r.code == 0 and "fixed" in r.err
    assert data_units(bad) == before
    assert all(h.checksum_status == ("ok", "ok") for h in read_fits(bad).hdus)
    again = plan_fix(bad, None)
    assert not again.changed  # idempotent


def test_fixed_file_passes_the_file_rules(tmp_path):
    root = copy_example(tmp_path)
    damage(EXAMPLE / IMG, root / IMG, change={"HLSPID": "wrong"})
    from hlsp.contribution import load_contribution

    apply_fix(plan_fix(root / IMG, load_contribution(root).metadata))
    report = validate([str(root / IMG)], select=["CK", "FS", "FN"])
    assert [f.rule for _, f in report.findings()] == []
    assert read_fits(root / IMG).primary.header.get("HLSPID") == "example"


def test_long_title_uses_continue(tmp_path, system_tool):
    from astropy.io import fits as afits

    target = tmp_path / IMG
    shutil.copy(EXAMPLE / IMG, target)
    title = "A very long title " * 8 + "that needs CONTINUE cards"
    before = data_units(target)
    apply_fix(plan_fix(target, {"title": title}))
    assert data_units(target) == before
    with afits.open(target, checksum=True) as hdul:
        assert hdul[0].header["HLSPNAME"] == title
        assert hdul[0].header["LONGSTRN"] == "OGIP 1.0"
    verify = subprocess.run([system_tool("fitsverify"), "-q", str(target)], capture_output=True, text=True)
    assert "verification OK" in verify.stdout, verify.stdout + verify.stderr
    assert not plan_fix(target, {"title": title}).changed  # the long value reads back equal


def test_header_growth_by_a_block(tmp_path):
    target = tmp_path / IMG
    damage(EXAMPLE / IMG, target)
    raw = target.read_bytes()
    fits = read_fits(target)
    h = fits.primary
    header = raw[: h.header_size]
    cards = [header[i : i + CARD].decode() for i in range(0, h.header_size, CARD)]
    cards = [c for c in cards if c[:8].rstrip() not in ("END", "")]
    free = h.header_size // CARD - len(cards) - 1
    cards += [commentary_card("COMMENT", f"filler {i}") for i in range(free)]
    target.write_bytes(header_bytes(cards) + raw[h.header_size :])  # header exactly full
    before = data_units(target)
    plan = plan_fix(target, {"title": "Needs room", "proj_id": "example"})
    apply_fix(plan)
    after = read_fits(target)
    assert after.primary.header_size == h.header_size + 2880
    assert data_units(target) == before
    assert all(x.checksum_status == ("ok", "ok") for x in after.hdus)


def test_interrupted_write_leaves_the_original(tmp_path, monkeypatch):
    target = tmp_path / IMG
    damage(EXAMPLE / IMG, target)
    original = target.read_bytes()
    plan = plan_fix(target, None)

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        apply_fix(plan)
    assert target.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == [IMG]  # no temporary left behind


def test_refuses_compressed_and_broken_files(tmp_path, run_cli):
    gz = tmp_path / "x.fits.gz"
    gz.write_bytes(gzip.compress((EXAMPLE / IMG).read_bytes()))
    with pytest.raises(HlspError, match="gzip-compressed"):
        plan_fix(gz)
    cut = tmp_path / "cut.fits"
    cut.write_bytes((EXAMPLE / IMG).read_bytes()[:5000])
    r = run_cli("fix", cut, "--write")
    assert r.code == 2 and "not repairable" in r.err and cut.stat().st_size == 5000


def test_metadata_must_be_hlsp_yaml(tmp_path, run_cli):
    shutil.copy(EXAMPLE / IMG, tmp_path / IMG)
    r = run_cli("fix", tmp_path / IMG, "--metadata", tmp_path / "other.yaml")
    assert r.code == 2 and "give the collection's hlsp.yaml" in r.err


# ------------------------------------------------------ derived values (issue 12)
def test_fix_derives_missing_keywords_with_their_source(tmp_path, realdata, run_cli):
    import shutil

    name = "hlsp_tglc_tess_ffi_gaiaid-5707485527450614656-s0007-cam2-ccd3_tess_v2_llc.fits"
    shutil.copy(realdata / name, tmp_path / name)
    r = run_cli("fix", tmp_path / name)
    assert r.code == 1
    assert "OBSERVAT = 'TESS'  (from TELESCOP in HDU 0)" in r.err
    assert "RA_TARG = 124.60675204561329  (from RA_OBJ in HDU 0)" in r.err
    assert "DETECTOR = 'CAM2-CCD3'  (from CAMERA, CCD in HDU 0)" in r.err
    assert "MJD-BEG = 58491.14031561636  (from MJD_BEG in HDU 1)" in r.err
    assert "next: the same command with --write" in r.err
    assert "+OBSERVAT= 'TESS    '" in r.out


def test_folder_mode_removes_a_pending_doi_card_and_names_the_next_step(tmp_path, run_cli):
    from contribution_support import edit

    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", 'doi: "10.17909/hlsp-example"', "doi: pending")
    lc = root / "hlsp_example_tess_ffi_ngc1234_tess_v1_lc.fits"
    damage(lc, lc, drop=(), change={"DOI": "pending"})
    r = run_cli("fix", root, "--write")
    assert r.code == 0, r
    assert "DOI card removed" in r.err and f"next: hlsp manifest {root}" in r.err
    assert read_fits(lc).primary.header.card("DOI") is None
    # the other products keep the real DOI card the files were reviewed with
    img = root / "hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits"
    assert read_fits(img).primary.header.card("DOI").value == "10.17909/hlsp-example"


def test_stand_ins_are_not_written_to_the_headers(tmp_path, run_cli):
    from contribution_support import edit

    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", 'title: "Example HLSP', "title: \"example: replace with the collection's title", 1)
    edit(root / "hlsp.yaml", "name: Ada Lovelace", 'name: "Your Name"')
    plan = plan_fix(
        root / "hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits",
        __import__("yaml").safe_load((root / "hlsp.yaml").read_text()),
    )
    assert any("HLSPNAME not written" in s for s in plan.skipped) and any(
        "HLSPLEAD not written" in s for s in plan.skipped
    )
    assert "replace with" not in plan.new.decode("latin-1") and "Your Name" not in plan.new.decode("latin-1")
