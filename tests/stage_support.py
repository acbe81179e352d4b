"""Helpers for the staging tests: copies of the example collection, altered in controlled ways."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
import yaml

from hlsp.product_manifest import refresh_manifest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "contributions" / "example"
IMG = "hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits"
CAT = "hlsp_example_hst_acs_ngc1234_f606w_v1_cat.fits"
SPEC = "hlsp_example_hst_stis_ngc1234_g430l_v1_spec.fits"
LC = "hlsp_example_tess_ffi_ngc1234_tess_v1_lc.fits"
PRODUCTS = (CAT, IMG, SPEC, LC)


def copy_example(dest: Path) -> Path:
    """A private copy of contributions/example (``dest/example``)."""
    assert (EXAMPLE / "hlsp.yaml").is_file(), "contributions/example is missing: run scripts/make_example.py"
    target = dest / "example"
    shutil.copytree(EXAMPLE, target)
    return target


def enlarge_image(collection: Path, megabytes: int) -> str:
    """Replace the image product by a valid one of about ``megabytes`` MB (new CHECKSUM, manifest refreshed)."""
    from astropy.io import fits

    path = collection / IMG
    with fits.open(path) as hdul:
        header = hdul[0].header.copy()
    rows = megabytes * 1024 * 1024 // (1024 * 4)
    data = (np.arange(rows * 1024, dtype=np.float32) % 977).reshape(rows, 1024)
    hdu = fits.PrimaryHDU(data=data, header=header)
    hdu.header["CRPIX1"], hdu.header["CRPIX2"] = 512.5, rows / 2 + 0.5
    hdu.writeto(path, overwrite=True, checksum=True)
    refresh_manifest(collection)
    return IMG


def bump_version(collection: Path, version: str) -> Path:
    """The same collection as a new version: files renamed, HLSPVER and hlsp.yaml updated."""
    from astropy.io import fits

    meta_path = collection / "hlsp.yaml"
    meta = yaml.safe_load(meta_path.read_text())
    old = meta["version"]
    for p in sorted(collection.glob(f"hlsp_*_{old}_*")):
        new = p.with_name(p.name.replace(f"_{old}_", f"_{version}_"))
        p.rename(new)
        if new.suffix == ".fits":
            with fits.open(new, memmap=False) as hdul:
                for h in hdul:
                    if "HLSPVER" in h.header:
                        h.header["HLSPVER"] = version
                hdul.writeto(new, overwrite=True, checksum=True)
    text = meta_path.read_text().replace(f"_{old}_", f"_{version}_")
    text = re.sub(rf"^version: {re.escape(old)}$", f"version: {version}", text, flags=re.M)
    text = text.replace(
        "history:\n", f'history:\n  - {{version: {version}, date: 2026-12-01, changes: "Second release."}}\n'
    )
    meta_path.write_text(text)
    refresh_manifest(collection)
    return collection


def visible(folder: Path) -> list[str]:
    """Files under ``folder`` whose names are not hidden, as sorted relative paths."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def hidden(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob(".*") if p.is_file())


def run_until_paused(script: str, args: list, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """Start ``script`` in a real subprocess and wait until it prints its PARTIAL line."""
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout=180)
    if not line or not line[0].startswith("PARTIAL"):
        proc.kill()
        _, err = proc.communicate(timeout=30)
        pytest.fail(f"the staging subprocess did not reach the pause: {err[-2000:]}")
    return proc, line[0].split(None, 1)[1].strip()
