"""Preview images: every kind draws from real FITS files, reads stay bounded,
previews are cached by sha256 and built in parallel, and a product that cannot
be previewed becomes a warning."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import signal
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from astropy.io import fits
from astropy.wcs import WCS
from fitsgen import header_bytes, primary_cards
from pages_support import make_collection, write_image, write_table

from hlsp.pages import previews
from hlsp.pages.previews import MAX_SIDE, PreviewTask, build_previews, draw, read_image

ROOT = Path(__file__).resolve().parents[2]
SHA = "ab" * 32


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def products(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("products")
    files = {k: d / f"{k}.fits" for k in ("image", "spectrum", "lightcurve", "catalog")}
    write_image(files["image"], shape=(300, 420))
    wl = np.linspace(3000, 5500, 400)
    write_table(files["spectrum"], {"WAVELENGTH": (wl, "Angstrom"), "FLUX": (np.exp(-wl / 4000), "erg/s/cm2/A")})
    t = np.linspace(0, 27, 3000)
    write_table(files["lightcurve"], {"TIME": (t, "d"), "PDCSAP_FLUX": (1 + 0.01 * np.sin(t), "e-/s")})
    rng = np.random.default_rng(0)
    write_table(
        files["catalog"], {"RA_DEG": (rng.uniform(10, 11, 500), "deg"), "DEC_DEG": (rng.uniform(-31, -30, 500), "deg")}
    )
    return files


@pytest.mark.parametrize("kind", ["image", "spectrum", "lightcurve", "catalog"])
def test_each_kind_draws_a_png(products, kind):
    png = draw(PreviewTask("unused.png", f"{kind}.fits", kind, str(products[kind])))
    assert _png_size(png) == (640, 480)


@pytest.mark.parametrize("matrix", ["cdelt", "cd"])
def test_image_preview_keeps_the_wcs_of_the_downsampled_pixels(tmp_path, matrix):
    path = tmp_path / "big.fits"
    write_image(path, shape=(1000, 2500))
    if matrix == "cd":  # a rotated CD matrix instead of CDELT
        with fits.open(path, mode="update") as hdul:
            h = hdul[1].header
            for k in ("CDELT1", "CDELT2"):
                del h[k]
            h.update({"CD1_1": -1.5e-4, "CD1_2": 1.0e-4, "CD2_1": 1.0e-4, "CD2_2": 1.5e-4})
    data, wcs, step = read_image(str(path), None)
    assert step == 4 and data.shape == (250, 625) and max(data.shape) <= MAX_SIDE
    with fits.open(path) as hdul:
        full = hdul[1].data
        original = WCS(hdul[1].header)
    assert np.array_equal(data, full[::4, ::4].astype(np.float64))
    # pixel (i, j) of the preview is pixel (4i, 4j) of the file, on the sky too
    for i, j in [(0, 0), (10, 100), (249, 624)]:
        a = wcs.pixel_to_world(j, i)
        b = original.pixel_to_world(4 * j, 4 * i)
        assert a.separation(b).arcsec < 1e-6


def test_image_without_a_wcs_and_a_cube_show_their_first_plane(tmp_path):
    cube = np.arange(3 * 40 * 50, dtype=">i2").reshape(3, 40, 50)
    path = tmp_path / "cube.fits"
    hdu = fits.PrimaryHDU(cube)
    hdu.header["BZERO"] = 100
    hdu.writeto(path)
    data, wcs, step = read_image(str(path), None)
    assert wcs is None and step == 1
    assert np.array_equal(data, cube[0].astype(float) + 100)
    assert _png_size(draw(PreviewTask("x.png", "cube", "image", str(path)))) == (640, 480)


@pytest.mark.parametrize("container", ["gzip", "tile-compressed"])
def test_compressed_images_are_previewed(tmp_path, container):
    plain = tmp_path / "img.fits"
    write_image(plain, shape=(900, 1700))
    if container == "gzip":
        path = tmp_path / "img.fits.gz"
        path.write_bytes(gzip.compress(plain.read_bytes()))
    else:
        path = tmp_path / "img.fits.fz"
        with fits.open(plain) as hdul:
            fits.HDUList([fits.PrimaryHDU(), fits.CompImageHDU(hdul[1].data, header=hdul[1].header)]).writeto(path)
    data, wcs, step = read_image(str(path), previews._container(str(path)))
    expected, ewcs, estep = read_image(str(plain), None)
    assert step == estep == 3 and wcs is not None
    if container == "gzip":
        assert np.array_equal(data, expected)
    else:  # lossy quantisation of floats
        assert np.allclose(data, expected, atol=np.nanstd(expected) / 2)
    assert _png_size(draw(PreviewTask("x.png", "img", "image", str(path)))) == (640, 480)


def test_spectrum_as_a_1d_image_uses_its_linear_wcs(tmp_path):
    path = tmp_path / "spec1d.fits"
    hdu = fits.PrimaryHDU(np.linspace(1, 2, 500).astype(">f4"))
    hdu.header.update({"CRVAL1": 4000.0, "CDELT1": 2.0, "CRPIX1": 1.0, "CTYPE1": "WAVE", "CUNIT1": "Angstrom"})
    hdu.writeto(path)
    assert _png_size(draw(PreviewTask("x.png", "spec1d", "spectrum", str(path)))) == (640, 480)


def _peak_rss_mib(code: str) -> float:
    """Run ``code`` in a fresh interpreter; its peak resident memory in MiB."""
    script = code + "\nimport resource, json; print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True, timeout=300
    )
    return json.loads(out.stdout.strip().splitlines()[-1]) / 1024


def _draw_code(path: Path) -> str:
    return f"from hlsp.pages.previews import PreviewTask, draw\ndraw(PreviewTask('x.png', 'x', 'image', {str(path)!r}))"


def test_huge_image_preview_reads_a_bounded_amount(tmp_path):
    """A 3.6 GB image (sparse file) is previewed with about the memory of a tiny one."""
    n = 30_000
    path = tmp_path / "huge.fits"
    header = header_bytes(primary_cards(bitpix=-32, naxes=[n, n]))
    step = previews._step(n, n)
    rng = np.random.default_rng(0)
    with open(path, "wb") as fh:
        fh.write(header)
        for y in range(0, n, step * 40):  # a few real rows, on the stride so they are seen
            fh.seek(len(header) + y * n * 4)
            fh.write(rng.normal(0, 1, n).astype(">f4").tobytes())
        fh.truncate(len(header) + n * n * 4 + (-(n * n * 4) % 2880))
    assert path.stat().st_size > 3.5e9
    small = tmp_path / "small.fits"
    write_image(small, shape=(50, 50))
    baseline = _peak_rss_mib(_draw_code(small))
    huge = _peak_rss_mib(_draw_code(path))
    assert huge - baseline < 100, f"peak {huge:.0f} MiB vs {baseline:.0f} MiB for a tiny image"


def test_gzip_image_preview_streams_with_bounded_memory(tmp_path):
    """400 MB of image data inside gzip: decompressed as a stream, one row at a time."""
    n = 10_000
    path = tmp_path / "big.fits.gz"
    row = np.zeros(n, ">f4")
    with gzip.open(path, "wb", compresslevel=1) as gz:
        gz.write(header_bytes(primary_cards(bitpix=-32, naxes=[n, n])))
        for y in range(n):
            row[::97] = y % 7  # something to stretch
            gz.write(row.tobytes())
        gz.write(b"\0" * (-(n * n * 4) % 2880))
    small = tmp_path / "small.fits"
    write_image(small, shape=(50, 50))
    baseline = _peak_rss_mib(_draw_code(small))
    big = _peak_rss_mib(_draw_code(path))
    assert big - baseline < 100, f"peak {big:.0f} MiB vs {baseline:.0f} MiB for a tiny image"


# ----------------------------------------------------------- build_previews
def _tasks(out: Path, products: dict[str, Path]) -> list[PreviewTask]:
    return [
        PreviewTask(str(out / f"{k}.png"), f"{k}.fits", k, str(p), sha256=f"{i:02x}" * 32)
        for i, (k, p) in enumerate(products.items())
    ]


def test_previews_are_cached_by_sha256(tmp_path, products):
    cache = tmp_path / "cache"
    first = build_previews(_tasks(tmp_path / "a", products), cache, jobs=1)
    assert all(r.ok and not r.cached for r in first)
    assert len(list(cache.glob("*.png"))) == 4
    # poison one cache entry: a second build must copy it, not draw again
    entry = cache / first[0].task.cache_name()
    entry.write_bytes(b"cached bytes")
    second = build_previews(_tasks(tmp_path / "b", products), cache, jobs=1)
    assert all(r.ok and r.cached for r in second)
    assert (tmp_path / "b" / "image.png").read_bytes() == b"cached bytes"
    assert (tmp_path / "b" / "spectrum.png").read_bytes() == (tmp_path / "a" / "spectrum.png").read_bytes()
    # another checksum (a changed file) is drawn afresh
    changed = [PreviewTask(str(tmp_path / "c.png"), "image.fits", "image", str(products["image"]), sha256="ff" * 32)]
    (res,) = build_previews(changed, cache, jobs=1)
    assert res.ok and not res.cached and (tmp_path / "c.png").read_bytes().startswith(b"\x89PNG")


def test_a_bad_sha256_is_never_a_cache_file_name(tmp_path, products):
    task = PreviewTask(str(tmp_path / "x.png"), "x", "image", str(products["image"]), sha256="../../etc/passwd")
    assert task.cache_name() is None
    (res,) = build_previews([task], tmp_path / "cache", jobs=1)
    assert res.ok and not res.cached and list((tmp_path / "cache").iterdir()) == []


def test_parallel_build_gives_the_same_previews(tmp_path, products):
    serial = build_previews(_tasks(tmp_path / "s", products), None, jobs=1)
    parallel = build_previews(_tasks(tmp_path / "p", products), None, jobs=2)
    assert [r.task.label for r in parallel] == [r.task.label for r in serial]  # task order kept
    for r in parallel:
        assert r.ok
        name = Path(r.task.out).name
        assert (tmp_path / "p" / name).read_bytes() == (tmp_path / "s" / name).read_bytes()


def test_unpreviewable_products_become_warnings(tmp_path, products):
    junk = tmp_path / "junk.fits"
    junk.write_bytes(b"<html>not fits</html>")
    truncated = tmp_path / "truncated.fits"
    truncated.write_bytes(products["image"].read_bytes()[:-10000])
    no_columns = tmp_path / "nocols.fits"
    write_table(no_columns, {"A": (np.arange(5.0), ""), "B": (np.arange(5.0), "")})
    nan_image = tmp_path / "nan.fits"
    fits.PrimaryHDU(np.full((10, 10), np.nan, ">f4")).writeto(nan_image)
    tasks = [
        PreviewTask(str(tmp_path / "out" / "0.png"), "junk.fits", "image", str(junk), SHA),
        PreviewTask(str(tmp_path / "out" / "1.png"), "truncated.fits", "image", str(truncated)),
        PreviewTask(str(tmp_path / "out" / "2.png"), "nocols.fits", "lightcurve", str(no_columns)),
        PreviewTask(str(tmp_path / "out" / "3.png"), "nan.fits", "image", str(nan_image)),
        PreviewTask(str(tmp_path / "out" / "4.png"), "missing.fits", "image", str(tmp_path / "missing.fits")),
        PreviewTask(str(tmp_path / "out" / "5.png"), "remote.fits", "image", None, unavailable="the product is remote"),
        PreviewTask(str(tmp_path / "out" / "6.png"), "good.fits", "catalog", str(products["catalog"])),
    ]
    results = build_previews(tasks, tmp_path / "cache", jobs=2)
    assert [r.ok for r in results] == [False] * 6 + [True]
    reasons = [r.warning for r in results[:6]]
    assert reasons[0] == "junk.fits: no preview: not a FITS file"
    assert reasons[1].startswith("truncated.fits: no preview: ")
    assert reasons[2] == "nocols.fits: no preview: no table with time and flux_lc columns"
    assert reasons[3] == "nan.fits: no preview: the image has no finite pixel values"
    assert reasons[4].startswith("missing.fits: no preview: FileNotFoundError")
    assert reasons[5] == "remote.fits: no preview: the product is remote"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["6.png"]  # no half-written files
    assert list((tmp_path / "cache").iterdir()) == [] or all(p.suffix == ".png" for p in (tmp_path / "cache").iterdir())


def test_a_crashing_worker_fails_only_its_own_product(tmp_path, products, monkeypatch):
    """No real file is known to crash cfitsio, so the crash is simulated: the
    forked workers inherit a draw() that kills its process for one product."""
    real_draw = previews.draw

    def crashing_draw(task):
        if task.label == "crash.fits":
            os._exit(3)
        return real_draw(task)

    monkeypatch.setattr(previews, "draw", crashing_draw)
    tasks = [PreviewTask(str(tmp_path / f"{k}.png"), f"{k}.fits", k, str(p)) for k, p in products.items()]
    tasks.insert(1, PreviewTask(str(tmp_path / "crash.png"), "crash.fits", "image", str(products["image"])))
    results = build_previews(tasks, None, jobs=2)
    assert [r.ok for r in results] == [True, False, True, True, True]
    assert results[1].warning == "crash.fits: no preview: the preview process crashed while reading the file"


def test_sky_map_of_targets(tmp_path):
    targets = (
        ("ngc1234", 12.5, -30.1),
        ("m31", 10.68, 41.27),
        ("$\\frac{bad", 359.9, 89.0),
        ("nan", float("nan"), 0.0),
    )
    png = draw(PreviewTask("x.png", "Targets", "skymap", targets=targets))
    assert _png_size(png) == (800, 440)
    assert _png_size(draw(PreviewTask("x.png", "Targets", "skymap"))) == (800, 440)  # no targets: an empty map


# ------------------------------------------------------------------ real data
@pytest.mark.realdata
@pytest.mark.parametrize(
    "name, kind",
    [
        ("WFC3.IR.G102.sky.V1.0.fits", "image"),
        ("spec_ich901adqpn.fits", "spectrum"),
        ("hlsp_tess-data-alerts_tess_phot_00055652896-s01_tess_v1_lc.fits", "lightcurve"),
        ("hlsp_k2sff_k2_lightcurve_201367065-c01_kepler_v1_llc.fits", "lightcurve"),
        ("hlsp_tglc_tess_ffi_gaiaid-6399196263939178880-s0001-cam2-ccd1_tess_v1_llc.fits", "lightcurve"),
        ("wasp18b.fits", "lightcurve"),
    ],
)
def test_real_products_are_previewed(realdata, name, kind):
    assert _png_size(draw(PreviewTask("x.png", name, kind, str(realdata / name)))) == (640, 480)


@pytest.mark.realdata
def test_real_table_without_an_image_gets_a_reason(realdata, tmp_path):
    """A gzip-compressed NIRSpec MSA table has no image: a clear reason, no crash."""
    (res,) = build_previews(
        [PreviewTask(str(tmp_path / "x.png"), "msa", None, str(realdata / "SPCB-GD-A.msa.fits.gz"))], None, jobs=1
    )
    assert not res.ok and res.warning == "msa: no preview: unknown product type and no 2-D image to show"


# ------------------------------------------- workers SIGKILLed (issue 17, item 4)
# A helper process that SIGKILLs every pid it reads (one a line) and, at the end
# of its input, prints how many it killed.  It is a process, not a thread, so the
# pool forks its workers from a single-threaded test process.
KILLER = "import os, signal, sys\nn = 0\nfor line in sys.stdin:\n    os.kill(int(line), signal.SIGKILL)\n    n += 1\nprint(n)\n"


class _Hostage:
    """draw() as the forked workers inherit it: for the hostage product, write the
    worker's pid on a pipe (it is busy drawing that product now), then wait for a
    signal; only the SIGKILL ends the wait.  Every other product is drawn for real."""

    def __init__(self, real, label: str, fd: int):
        self.real, self.label, self.fd, self.parent = real, label, fd, os.getpid()

    def __call__(self, task):
        if task.label == self.label:
            # drawn in the test process it would wait for ever: fail instead
            assert os.getpid() != self.parent, "the hostage was drawn in the test process, not in a worker"
            os.write(self.fd, f"{os.getpid()}\n".encode())
            while True:
                signal.pause()
        return self.real(task)


class _HostageWriter:
    """atomic_open() as the forked workers inherit it: for the hostage's PNG, write
    half of it into the temporary file, then wait like :class:`_Hostage`."""

    def __init__(self, real, name: str, fd: int):
        self.real, self.name, self.fd = real, name, fd

    @contextlib.contextmanager
    def __call__(self, path, *args, **kw):
        with self.real(path, *args, **kw) as fh:
            if Path(path).name == self.name:
                fh.write(b"\x89PNG half")
                fh.flush()
                os.write(self.fd, f"{os.getpid()}\n".encode())
                while True:
                    signal.pause()
            yield fh


@contextlib.contextmanager
def _killed_while_busy_with(monkeypatch, label: str, writing: bool = False):
    """While inside: every pool worker that starts drawing ``label`` is SIGKILLed.
    Yields a list that afterwards holds how many workers were killed."""

    def hung(signum, frame):
        raise AssertionError("the build hung: a killed worker was waited on for ever")

    kills: list[int] = []
    old_handler = signal.signal(signal.SIGALRM, hung)
    signal.alarm(600)  # only the hang detector: the test itself waits for events
    r, w = os.pipe()
    killer = subprocess.Popen([sys.executable, "-c", KILLER], stdin=r, stdout=subprocess.PIPE, text=True)
    os.close(r)
    try:
        if writing:  # killed while writing the PNG named label
            monkeypatch.setattr(previews, "atomic_open", _HostageWriter(previews.atomic_open, label, w))
        else:  # killed while reading the product labelled label
            monkeypatch.setattr(previews, "draw", _Hostage(previews.draw, label, w))
        yield kills
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old_handler)
        os.close(w)  # the workers are gone with the pool: the killer reads the end of its input
        out, _ = killer.communicate()
        kills.append(int(out))


def test_a_killed_preview_worker_costs_retries_then_a_warning_never_a_hang(tmp_path, products, monkeypatch):
    """Each time a worker is busy with the hostage product it is SIGKILLed (what the
    out-of-memory killer does): the preview is retried in a new worker, and when
    the retries are used up the product gets the crash warning (the page shows the
    placeholder); every other preview is made and the build returns.  Every kill
    waits for an event (the busy worker's pid on a pipe), never for a time."""
    from hlsp.scheduler import RETRIES

    tasks = [PreviewTask(str(tmp_path / "out" / f"{k}.png"), f"{k}.fits", k, str(p)) for k, p in products.items()]
    tasks.insert(2, PreviewTask(str(tmp_path / "out" / "hostage.png"), "hostage.fits", "image", str(products["image"])))
    with _killed_while_busy_with(monkeypatch, "hostage.fits") as kills:
        results = build_previews(tasks, tmp_path / "cache", jobs=2)
    assert kills == [1 + RETRIES]  # the first attempt and every retry, each killed while busy
    assert [r.task.label for r in results] == [t.label for t in tasks]
    assert [r.ok for r in results] == [True, True, False, True, True]
    assert results[2].warning == "hostage.fits: no preview: the preview process crashed while reading the file"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "catalog.png",
        "image.png",
        "lightcurve.png",
        "spectrum.png",
    ]
    for r in results:
        if r.ok:
            assert _png_size(Path(r.task.out).read_bytes()) == (640, 480)


def test_a_worker_killed_while_writing_a_png_leaves_no_temporary_file(tmp_path, products, monkeypatch):
    from hlsp.scheduler import RETRIES

    tasks = [PreviewTask(str(tmp_path / "out" / f"{k}.png"), f"{k}.fits", k, str(p)) for k, p in products.items()]
    with _killed_while_busy_with(monkeypatch, "spectrum.png", writing=True) as kills:
        results = build_previews(tasks, None, jobs=2)
    assert kills == [1 + RETRIES]
    assert [r.ok for r in results] == [True, False, True, True]
    assert results[1].warning == "spectrum.fits: no preview: the preview process crashed while reading the file"
    # no half-written PNG, and none of the killed writers' temporary files
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["catalog.png", "image.png", "lightcurve.png"]


def test_a_site_build_survives_a_killed_preview_worker(tmp_path, monkeypatch):
    """The same through `build_site`: the build succeeds, warns about the product
    (naming its collection and file) and its page shows the placeholder."""
    from hlsp.pages import build_site
    from hlsp.scheduler import RETRIES

    root = make_collection(tmp_path / "c", "demo")
    meta = yaml.safe_load((root / "hlsp.yaml").read_text())
    science = [p["path"] for p in meta["products"] if p["path"].endswith(".fits")]
    victim = science[1]
    with _killed_while_busy_with(monkeypatch, victim) as kills:
        result = build_site([root], tmp_path / "site", jobs=2)
    assert kills == [1 + RETRIES]
    assert result.warnings == [f"demo: {victim}: no preview: the preview process crashed while reading the file"]
    assert result.previews == len(science) - 1 + 2  # the others, the collection's sky map and the index's
    html = (tmp_path / "site" / "demo" / "index.html").read_text()
    assert html.count('src="../static/placeholder.svg"') == 1
    assert f'alt="No preview available for {victim}' in html
    drawn = sorted((tmp_path / "site" / "demo" / "previews").iterdir())
    assert len(drawn) == len(science) - 1 and all(p.read_bytes().startswith(b"\x89PNG") for p in drawn)


def test_the_worker_pool_gives_what_the_serial_path_gives(tmp_path, products):
    """Previews and warnings alike: the pool (jobs 2) and this process (jobs 1) agree."""
    # (warnings whose text comes from cfitsio are left out: cfitsio keeps stale
    # messages of earlier files in its error stack, so their text depends on what
    # the same process read before, in a worker or here)
    junk = tmp_path / "junk.fits"
    junk.write_bytes(b"<html>not fits</html>")
    no_columns = tmp_path / "nocols.fits"
    write_table(no_columns, {"A": (np.arange(5.0), ""), "B": (np.arange(5.0), "")})

    def tasks(d: Path) -> list[PreviewTask]:
        out = [PreviewTask(str(d / f"{k}.png"), f"{k}.fits", k, str(p)) for k, p in products.items()]
        out.append(PreviewTask(str(d / "junk.png"), "junk.fits", "image", str(junk)))
        out.append(PreviewTask(str(d / "nocols.png"), "nocols.fits", "lightcurve", str(no_columns)))
        out.append(
            PreviewTask(str(d / "remote.png"), "remote.fits", "image", None, unavailable="the product is remote")
        )
        out.append(PreviewTask(str(d / "sky.png"), "Targets", "skymap", targets=(("m31", 10.68, 41.27),)))
        return out

    serial = build_previews(tasks(tmp_path / "s"), None, jobs=1)
    pooled = build_previews(tasks(tmp_path / "p"), None, jobs=2)
    assert [(r.task.label, r.ok, r.warning, r.cached) for r in pooled] == [
        (r.task.label, r.ok, r.warning, r.cached) for r in serial
    ]
    assert [r.ok for r in serial] == [True] * 4 + [False, False, False, True]
    assert [r.warning for r in serial[4:7]] == [
        "junk.fits: no preview: not a FITS file",
        "nocols.fits: no preview: no table with time and flux_lc columns",
        "remote.fits: no preview: the product is remote",
    ]
    made = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert made == sorted(p.name for p in (tmp_path / "p").iterdir()) and len(made) == 5
    for name in made:
        assert (tmp_path / "p" / name).read_bytes() == (tmp_path / "s" / name).read_bytes()
