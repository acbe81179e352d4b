"""The example collection: reproducible byte for byte, and valid without findings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hlsp import validate
from hlsp.contribution import load_contribution
from hlsp.fits import read_fits

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "contributions" / "example"


def test_regeneration_is_byte_identical(tmp_path):
    out = tmp_path / "example"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_example.py"), "--out", str(out)], check=True, capture_output=True
    )
    generated = sorted(p.name for p in out.iterdir())
    committed = sorted(p.name for p in EXAMPLE.iterdir())
    assert generated == committed
    for name in generated:
        assert (out / name).read_bytes() == (EXAMPLE / name).read_bytes(), (
            f"{name} differs: rerun scripts/make_example.py"
        )


def test_validates_without_findings():
    report = validate([str(EXAMPLE)])
    assert [(path, f.rule, f.message) for path, f in report.findings()] == []
    assert report.summary.files == 9  # hlsp.yaml + four products + four previews


def test_contribution_api():
    c = load_contribution(EXAMPLE)
    assert (c.proj_id, c.version) == ("example", "v1")
    assert c.title.startswith("Example HLSP")
    kinds = sorted(p.product_type for p in c.science_products)
    assert kinds == ["cat", "img", "lc", "spec"]
    for p in c.products:
        assert p.local_path == (EXAMPLE / p.path).resolve() and p.url is None and p.refused is None
        assert p.local_path.stat().st_size == p.size
        assert p.name.proj_id == "example"
    img = next(p for p in c.products if p.product_type == "img")
    assert c.preview_for(img).path == img.path.replace(".fits", ".png")


def test_products_carry_full_hlsp_keywords_and_checksums():
    for p in load_contribution(EXAMPLE).science_products:
        fits = read_fits(p.local_path)
        primary = fits.primary.header
        assert primary.get("HLSPID") == "example" and primary.get("HLSPVER") == "v1"
        for kw in ("HLSPNAME", "HLSPLEAD", "HLSPTARG", "DOI", "LICENSE", "LICENURL", "TELESCOP", "INSTRUME"):
            assert primary.get(kw), f"{p.path}: {kw}"
        assert all(h.checksum_status == ("ok", "ok") for h in fits.hdus), p.path


def test_image_has_celestial_wcs_and_catalog_columns():
    from astropy.io import fits as afits
    from astropy.wcs import WCS

    c = load_contribution(EXAMPLE)
    img = next(p for p in c.products if p.product_type == "img")
    wcs = WCS(afits.getheader(img.local_path))
    assert wcs.has_celestial
    sky = wcs.pixel_to_world(31.5, 31.5)  # CRPIX 32.5 (1-based) is the reference point
    assert abs(sky.ra.deg - 47.9125) < 1e-9 and abs(sky.dec.deg - -7.8458) < 1e-9
    cat = next(p for p in c.products if p.product_type == "cat")
    with afits.open(cat.local_path) as hdul:
        cols = hdul[1].columns
        assert cols["RA"].format == "D" and cols["DEC"].format == "D" and cols["SOURCE"].format == "16A"


def test_demo_validates_the_example(tmp_path):
    """`make demo` (scripts/demo.py): text report on the terminal, JSON report in the output folder."""
    import json

    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert "9 files checked: 0 errors, 0 warnings, 0 infos" in run.stdout
    assert str(tmp_path / "report.json") in run.stdout or "report.json" in run.stdout
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["summary"] == {"files": 9, "errors": 0, "warnings": 0, "infos": 0}
