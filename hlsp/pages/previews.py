"""Preview images for products, made from bounded reads.

One PNG per product, drawn with matplotlib's Agg canvas (no pyplot, no
display):

- image: the first 2-D image (first plane of a cube), downsampled to at most
  ``MAX_SIDE`` pixels a side by *strided* reads, shown with a percentile +
  asinh stretch on celestial WCS axes when the header has a usable WCS;
- spectrum: flux against wavelength (a table, or a 1-D image with a linear WCS);
- light curve: flux against time;
- catalog: the sky positions of its rows.

Memory stays bounded whatever the file size: plain files (and tile-compressed
images) are read through cfitsio (``fitsio``) with a step, so only the kept
pixels/rows are read; gzip/bzip2 files are streamed row by row (seeking
forward decompresses and discards), keeping one image row at a time.  Tables
inside a gzip/bzip2 file are only previewed up to ``MAX_COMPRESSED_TABLE``
bytes, because cfitsio decompresses such a file in memory.

Previews are cached by the product's sha256 (with the kind and
``PREVIEW_FORMAT`` in the key) and built in a process pool: the same
:class:`hlsp.scheduler.LocalPool` as ``hlsp validate --jobs N``, so a worker
killed at any moment (the out-of-memory killer sends SIGKILL) costs its
preview a retry and is replaced, never a hang.  A product that cannot be
previewed (including one whose worker keeps dying) gets no PNG:
:func:`build_previews` reports a warning and the page shows the shared
placeholder image instead.  The build never fails because of one product.
"""

from __future__ import annotations

import glob
import io
import math
import os
import re
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from hlsp.atomic import atomic_open
from hlsp.fits import HDU, open_stream, read_fits, read_full
from hlsp.profiles import load_vocabulary

# Bump when the drawing changes, so cached previews are drawn again.
PREVIEW_FORMAT = 1
MAX_SIDE = 800  # pixels kept along the longest image axis
MAX_ROWS = 20_000  # table rows plotted (an evenly spaced subset beyond that)
MAX_COMPRESSED_TABLE = 256 * 1024 * 1024  # bytes, decompressed
MAX_LABELS = 40  # target names written on a sky map
FIGSIZE = (6.4, 4.8)  # inches; 100 dpi -> 640 x 480 px
SKYMAP_FIGSIZE = (8.0, 4.4)  # -> 800 x 440 px (a Mollweide map is twice as wide as high)
KINDS = ("image", "spectrum", "lightcurve", "catalog")
_SHA256_RE = re.compile(r"[0-9a-f]{64}\Z")


class PreviewError(Exception):
    """Why a product has no preview; becomes a build warning, never a failure."""


@dataclass(frozen=True, slots=True)
class PreviewTask:
    """One PNG to draw: a product's preview or a sky map of targets."""

    out: str  # where the PNG goes in the site
    label: str  # file name (or site name), for titles and warnings
    kind: str | None  # image | spectrum | lightcurve | catalog | skymap; None = guess
    source: str | None = None  # local FITS file; None for a remote product
    sha256: str | None = None  # the manifest's checksum: the cache key
    unavailable: str | None = None  # why there is no source to read (remote, refused path)
    targets: tuple[tuple[str, float, float], ...] = ()  # (name, ra, dec) for a sky map

    def cache_name(self) -> str | None:
        sha = (self.sha256 or "").lower()
        if self.kind is None or not is_sha256(sha):
            return None
        return f"{sha}-{self.kind}-f{PREVIEW_FORMAT}.png"


@dataclass(frozen=True, slots=True)
class PreviewResult:
    task: PreviewTask
    ok: bool  # a PNG was written to task.out
    warning: str | None = None
    cached: bool = False


def is_sha256(value: object) -> bool:
    """A sha256 as hex digests are written (64 lowercase hex digits)."""
    return isinstance(value, str) and _SHA256_RE.match(value) is not None


def is_cached(task: PreviewTask, cache_dir: str | os.PathLike | None) -> bool:
    """Whether the task's PNG is already in the preview cache (nothing to read or fetch)."""
    name = task.cache_name()
    return bool(cache_dir and name and (Path(cache_dir) / name).is_file())


def kind_of(product_type: str | None) -> str | None:
    """The preview kind for a product type (``img`` -> image), via the vocabulary."""
    return load_vocabulary().profile_for(product_type)


# ------------------------------------------------------------------- building
def build_previews(
    tasks: Sequence[PreviewTask], cache_dir: str | os.PathLike | None, jobs: int = 0
) -> list[PreviewResult]:
    """Draw every task's PNG (from the cache when possible), in parallel.

    Results come back in task order.  ``jobs`` 0 chooses (:func:`default_jobs`):
    in this process for a few previews, up to one worker per core for many.
    """
    cache = Path(cache_dir) if cache_dir else None
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    results: list[PreviewResult | None] = [None] * len(tasks)
    todo: list[int] = []
    for i, task in enumerate(tasks):
        Path(task.out).parent.mkdir(parents=True, exist_ok=True)
        if is_cached(task, cache):
            _copy(cache / task.cache_name(), task.out)
            results[i] = PreviewResult(task, True, cached=True)
        elif task.kind != "skymap" and task.source is None:
            results[i] = PreviewResult(
                task, False, f"{task.label}: no preview: {task.unavailable or 'the file cannot be read'}"
            )
        else:
            todo.append(i)
    jobs = jobs if jobs > 0 else default_jobs(len(todo))
    if len(todo) <= 1 or jobs == 1:
        outcomes = [_draw_safely(tasks[i], _target(tasks[i], cache)) for i in todo]
    else:
        outcomes = _draw_in_pool([tasks[i] for i in todo], [_target(tasks[i], cache) for i in todo], jobs)
    for i, warning in zip(todo, outcomes):
        task = tasks[i]
        if warning is None:
            target = _target(task, cache)
            if target != task.out:
                _copy(target, task.out)
            results[i] = PreviewResult(task, True)
        else:
            results[i] = PreviewResult(task, False, f"{task.label}: no preview: {warning}")
    return [r for r in results if r is not None]


# A worker process costs about as much as drawing several previews (fork, then
# matplotlib's and astropy's first-use setup in that process).  Measured with
# `hlsp pages` on a collection of 3 products without previews (3 previews + 2
# sky maps), 2 cores, 3 runs each (machine shared, load ~7): --jobs 2 (the old
# default, one per core) took 8.0-15.1 s wall, 2.56-2.85 s CPU; --jobs 1
# 7.1-8.4 s wall, 2.31-2.64 s CPU; the new default (in this process for so few)
# 7.4-9.2 s wall, 2.11-2.56 s CPU.  So the default starts one worker per
# MIN_TASKS_PER_WORKER previews to draw, at most one per core, and draws a few
# previews in this process.
MIN_TASKS_PER_WORKER = 8


def default_jobs(n_tasks: int) -> int:
    """Worker processes for ``n_tasks`` previews to draw when the caller did not choose (``jobs`` 0)."""
    return max(1, min(os.cpu_count() or 1, n_tasks // MIN_TASKS_PER_WORKER))


def _target(task: PreviewTask, cache: Path | None) -> str:
    """Where the worker writes: the cache when the task has a cache key, else the site."""
    name = task.cache_name()
    return str(cache / name) if cache and name else task.out


# A preview whose worker died (a crash inside cfitsio, or SIGKILLed) is drawn
# again in a new worker, up to hlsp.scheduler.RETRIES times; then it gets this.
CRASHED = "the preview process crashed while reading the file"


def _draw_in_pool(tasks: list[PreviewTask], targets: list[str], jobs: int) -> list[str | None]:
    """Each preview is a batch of its own in a :class:`~hlsp.scheduler.LocalPool`,
    so a worker's death touches only the preview it was drawing."""
    from hlsp.scheduler import LocalPool

    _import_drawing_modules()  # once here, so forked workers start with them loaded
    with LocalPool(_draw_batch, _crashed, jobs=min(jobs, len(tasks))) as pool:
        handles = [pool.submit([(t, out)]) for t, out in zip(tasks, targets)]
        outcomes = [pool.results(h)[0] for h in handles]
    if pool.replaced:
        # a worker killed while writing a PNG leaves atomic_open's temporary file:
        # none may stay in the site (in the cache, another build may be writing the
        # same name; a stray hidden file there is never read)
        for task, target in zip(tasks, targets):
            if target == task.out:
                _remove_temporaries(target)
    return outcomes


def _remove_temporaries(path: str) -> None:
    p = Path(path)
    for tmp in p.parent.glob(f".{glob.escape(p.name)}.*.tmp"):
        tmp.unlink(missing_ok=True)


def _draw_batch(items: list[tuple[PreviewTask, str]]) -> list[str | None]:
    """What a pool worker runs: draw each ``(task, out)``."""
    return [_draw_safely(task, out) for task, out in items]


def _crashed(item: tuple[PreviewTask, str]) -> str:
    return CRASHED


def _import_drawing_modules() -> None:
    import astropy.visualization.wcsaxes  # noqa: F401
    import fitsio  # noqa: F401
    import matplotlib.backends.backend_agg  # noqa: F401
    from astropy.io import fits  # noqa: F401
    from astropy.wcs import WCS  # noqa: F401


def _draw_safely(task: PreviewTask, out: str) -> str | None:
    """Draw ``task`` into ``out``; return None, or the reason it could not be drawn."""
    try:
        png = draw(task)
    except PreviewError as exc:
        return str(exc)
    except MemoryError:
        return "out of memory while reading the file"
    except Exception as exc:  # noqa: BLE001 -- any unreadable product becomes a warning
        return f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
    with atomic_open(out, "wb") as fh:
        fh.write(png)
    return None


def _copy(src: str | os.PathLike, dst: str | os.PathLike) -> None:
    with open(src, "rb") as fin, atomic_open(dst, "wb") as fout:
        shutil.copyfileobj(fin, fout)


# ------------------------------------------------------------------- drawing
def draw(task: PreviewTask) -> bytes:
    """The PNG bytes of one preview.  Raises PreviewError (or any reading error)."""
    if task.kind == "skymap":
        return _skymap(task.targets, task.label)
    assert task.source is not None
    compression = _container(task.source)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # header oddities are the validator's business
        kind = task.kind or _guess_kind(task.source, compression)
        if kind == "image":
            return _image_png(*read_image(task.source, compression), task.label)
        if kind in ("spectrum", "lightcurve", "catalog"):
            return _table_png(task.source, compression, kind, task.label)
    raise PreviewError(f"no preview for product kind {kind!r}")


def _container(path: str) -> str | None:
    with open(path, "rb") as fh:
        magic = fh.read(3)
    if magic[:2] == b"\x1f\x8b":
        return "gzip"
    if magic == b"BZh":
        return "bzip2"
    if not magic.startswith(b"SIM"):
        raise PreviewError("not a FITS file")
    return None


def _guess_kind(path: str, compression: str | None) -> str:
    """For a product type the vocabulary does not know: an image if there is one."""
    if compression:
        hdus = _layout(path)
        if any(h.is_image and len(h.naxes) >= 2 for h in hdus):
            return "image"
    else:
        import fitsio

        with fitsio.FITS(path) as f:
            if any(h.get_exttype() == "IMAGE_HDU" and len(h.get_dims()) >= 2 for h in f):
                return "image"
    raise PreviewError("unknown product type and no 2-D image to show")


def _figure(size: tuple[float, float] = FIGSIZE):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()


def _title(ax, text: str) -> None:
    # contributor text: never parsed as mathtext ($...$)
    ax.set_title(text if len(text) <= 70 else text[:67] + "...", fontsize=8, parse_math=False)


# -------------------------------------------------------------------- images
def read_image(path: str, compression: str | None) -> tuple[np.ndarray, object, int]:
    """The first 2-D image (first plane) downsampled by strided reads, the WCS of
    the downsampled pixels (or None), and the step."""
    if compression:
        return _read_image_stream(path)
    import fitsio

    with fitsio.FITS(path) as f:
        for hdu in f:
            dims = hdu.get_dims() if hdu.get_exttype() == "IMAGE_HDU" else []
            if len(dims) >= 2 and all(d > 0 for d in dims):
                step = _step(dims[-1], dims[-2])
                index = (slice(0, 1),) * (len(dims) - 2) + (slice(None, None, step),) * 2
                data = np.asarray(hdu[index], dtype=np.float64).reshape(-(-dims[-2] // step), -(-dims[-1] // step))
                header = _astropy_header("".join(r["card_string"].ljust(80)[:80] for r in hdu.read_header().records()))
                return data, _strided_wcs(header, step), step
    raise PreviewError("no 2-D image in the file")


def _step(nx: int, ny: int) -> int:
    return max(1, math.ceil(max(nx, ny) / MAX_SIDE))


_BITPIX = {8: "u1", 16: ">i2", 32: ">i4", 64: ">i8", -32: ">f4", -64: ">f8"}


def _layout(path: str) -> list[HDU]:
    """Headers and data offsets of a gzip/bzip2 file (one bounded streaming pass)."""
    ff = read_fits(path, scan_data=False)
    if not ff.is_fits or not ff.hdus:
        raise PreviewError("not a FITS file")
    return [h for h in ff.hdus if h.end_found and not h.truncated]


def _read_image_stream(path: str):
    for hdu in _layout(path):
        naxes = hdu.naxes
        dtype = _BITPIX.get(hdu.header.get("BITPIX"))
        if hdu.is_image and dtype and len(naxes) >= 2 and all(naxes):
            break
    else:
        raise PreviewError("no 2-D image in the file (tile-compressed images are read only from uncompressed files)")
    nx, ny = naxes[0], naxes[1]
    step = _step(nx, ny)
    row_bytes = nx * np.dtype(dtype).itemsize
    start = hdu.offset + hdu.header_size
    stream, _, _ = open_stream(path)
    rows = []
    try:
        for y in range(0, ny, step):
            stream.seek(start + y * row_bytes)
            buf = read_full(stream, row_bytes)
            if len(buf) < row_bytes:
                raise PreviewError("the image data are truncated")
            rows.append(np.frombuffer(buf, dtype)[::step].astype(np.float64))
    finally:
        stream.close()
    data = np.array(rows)
    h = hdu.header
    blank = h.get("BLANK")
    if dtype[-2] != "f" and isinstance(blank, int):
        raw = data.copy()
        data[raw == blank] = np.nan
    data = data * float(h.get("BSCALE", 1) or 1) + float(h.get("BZERO", 0) or 0)
    header = _astropy_header("".join(c.raw for c in h.cards))
    return data, _strided_wcs(header, step), step


def _astropy_header(text: str):
    from astropy.io import fits

    return fits.Header.fromstring(text)


def _strided_wcs(header, step: int):
    """The celestial WCS of the downsampled pixels, or None when there is none usable.

    Kept pixel ``i`` (0-based) is pixel ``step * i`` of the file, so CRPIX
    becomes ``(CRPIX - 1) / step + 1`` and the linear transform grows by
    ``step``.  Distortion terms (SIP, lookup tables) are dropped: the axes of a
    quick look need not be better than a pixel.
    """
    from astropy.wcs import WCS

    try:
        full = WCS(header)
        if not full.has_celestial or sorted((full.wcs.lng, full.wcs.lat)) != [0, 1]:
            return None  # the sky is not on the two axes shown
        wcs = full.celestial.deepcopy()
        wcs.sip = None
        wcs.cpdis1 = wcs.cpdis2 = wcs.det2im1 = wcs.det2im2 = None
        wcs.wcs.crpix = (wcs.wcs.crpix - 1) / step + 1
        if wcs.wcs.has_cd():
            wcs.wcs.cd = wcs.wcs.cd * step
        else:
            wcs.wcs.cdelt = wcs.wcs.cdelt * step
        wcs.wcs.set()
        return wcs
    except Exception:  # noqa: BLE001 -- a broken WCS is shown as pixel axes
        return None


def _image_png(data: np.ndarray, wcs, step: int, label: str) -> bytes:
    """zscale limits (as ds9 and IRAF display) with a mild asinh stretch."""
    from astropy.visualization import AsinhStretch, ImageNormalize, ZScaleInterval

    finite = np.isfinite(data)
    if not finite.any():
        raise PreviewError("the image has no finite pixel values")
    norm = ImageNormalize(data[finite], interval=ZScaleInterval(), stretch=AsinhStretch(0.5))
    fig = _figure()
    if wcs is not None:
        ax = fig.add_subplot(projection=wcs)
        ax.coords[0].set_axislabel("Right ascension")
        ax.coords[1].set_axislabel("Declination")
        ax.coords.grid(color="#8fd3ff", alpha=0.35, linestyle="dotted")
        extent = None
    else:
        ax = fig.add_subplot()
        ax.set_xlabel("x (pixels)")
        ax.set_ylabel("y (pixels)")
        ny, nx = data.shape
        extent = (-0.5, nx * step - 0.5, -0.5, ny * step - 0.5)  # original pixel numbers
    ax.imshow(data, origin="lower", cmap="gray", norm=norm, interpolation="nearest", extent=extent)
    _title(ax, label)
    return _png(fig)


# -------------------------------------------------------------------- tables
# Column names tried in order (case-insensitive); then any name containing the hint.
_COLUMNS = {
    "time": (("TIME", "BTJD", "BJD", "MJD", "JD", "HJD", "BKJD", "T"), None),
    "flux_lc": (("PDCSAP_FLUX", "FLUX", "SAP_FLUX", "KSPSAP_FLUX", "FCOR", "FRAW", "MAG"), ("FLUX", "MAG")),
    "wave": (("WAVELENGTH", "WAVE", "LAMBDA", "LAM", "WAVELEN"), ("WAVE",)),
    "flux_spec": (("FLUX", "F_LAMBDA", "FLAM", "FLUX_DENSITY", "NET", "COUNTS"), ("FLUX",)),
    "ra": (("RA", "RA_DEG", "RAJ2000", "RA_ICRS", "ALPHA_J2000", "RADEG", "RA_J2000"), None),
    "dec": (("DEC", "DEC_DEG", "DEJ2000", "DECJ2000", "DE_ICRS", "DELTA_J2000", "DECDEG", "DEC_J2000"), None),
}
_AXES = {"lightcurve": ("time", "flux_lc"), "spectrum": ("wave", "flux_spec"), "catalog": ("ra", "dec")}


def _pick(names: Iterable[str], role: str) -> str | None:
    exact, hints = _COLUMNS[role]
    upper = {n.upper(): n for n in names}
    for want in exact:
        if want in upper:
            return upper[want]
    for hint in hints or ():
        for u, n in upper.items():
            if hint in u and not u.endswith(("ERR", "_ERROR", "_E")):
                return n
    return None


def _table_png(path: str, compression: str | None, kind: str, label: str) -> bytes:
    if compression:
        hdus = _layout(path)
        size = sum(h.header_size + h.padded_data_size for h in hdus)
        if size > MAX_COMPRESSED_TABLE:
            raise PreviewError(f"{compression}-compressed file of {size} bytes is too large to preview a table from")
        if kind == "spectrum" and not any(h.is_table for h in hdus):
            return _spectrum_image_png(hdus, path, label)
    import fitsio

    with fitsio.FITS(path) as f:
        for hdu in f:
            if hdu.get_exttype() not in ("BINARY_TBL", "ASCII_TBL") or hdu.get_nrows() == 0:
                continue
            x_role, y_role = _AXES[kind]
            names = hdu.get_colnames()
            xcol, ycol = _pick(names, x_role), _pick(names, y_role)
            if xcol and ycol:
                nrows = hdu.get_nrows()
                rows = None if nrows <= MAX_ROWS else np.arange(0, nrows, math.ceil(nrows / MAX_ROWS))
                table = hdu.read(columns=[xcol, ycol], rows=rows)
                x, y = _flat(table[xcol]), _flat(table[ycol])
                units = _units(hdu.read_header(), names, (xcol, ycol))
                return _xy_png(kind, x, y, (xcol, ycol), units, label)
        if kind == "spectrum":
            for hdu in f:
                if hdu.get_exttype() == "IMAGE_HDU" and len(hdu.get_dims()) == 1:
                    return _spectrum_1d(np.asarray(hdu.read(), dtype=np.float64), hdu.read_header(), label)
    raise PreviewError(f"no table with {' and '.join(_AXES[kind])} columns")


def _spectrum_image_png(hdus: list[HDU], path: str, label: str) -> bytes:
    import fitsio

    with fitsio.FITS(path) as f:
        for hdu in hdus:
            if hdu.is_image and len(hdu.naxes) == 1 and hdu.naxes[0] > 0:
                return _spectrum_1d(
                    np.asarray(f[hdu.index].read(), dtype=np.float64), f[hdu.index].read_header(), label
                )
    raise PreviewError("no spectrum table or 1-D image")


def _spectrum_1d(flux: np.ndarray, header, label: str) -> bytes:
    """A spectrum stored as a 1-D image: wavelength from the linear WCS keywords."""
    n = flux.size
    step = max(1, math.ceil(n / MAX_ROWS))
    pix = np.arange(0, n, step, dtype=np.float64)
    crval, cdelt, crpix = header.get("CRVAL1"), header.get("CDELT1", header.get("CD1_1")), header.get("CRPIX1", 1.0)
    if isinstance(crval, (int, float)) and isinstance(cdelt, (int, float)):
        x, xname = (
            crval + (pix + 1 - float(crpix)) * cdelt,
            str(header.get("CTYPE1", "wavelength")).strip() or "wavelength",
        )
    else:
        x, xname = pix, "pixel"
    unit = str(header.get("CUNIT1", "")).strip()
    return _xy_png("spectrum", x, flux[::step], (xname, "flux"), (unit, str(header.get("BUNIT", "")).strip()), label)


def _flat(column: np.ndarray) -> np.ndarray:
    arr = np.asarray(column)
    if arr.dtype.kind not in "biuf":
        raise PreviewError(f"column of type {arr.dtype} is not numeric")
    arr = arr.astype(np.float64).ravel()
    if arr.size > MAX_ROWS:
        arr = arr[:: math.ceil(arr.size / MAX_ROWS)]
    return arr


def _units(header, names: list[str], cols: tuple[str, str]) -> tuple[str, str]:
    out = []
    for col in cols:
        i = [n.upper() for n in names].index(col.upper()) + 1
        out.append(str(header.get(f"TUNIT{i}", "") or "").strip())
    return out[0], out[1]


def _axis_label(name: str, unit: str) -> str:
    return f"{name} [{unit}]" if unit else name


def _xy_png(
    kind: str, x: np.ndarray, y: np.ndarray, names: tuple[str, str], units: tuple[str, str], label: str
) -> bytes:
    n = min(x.size, y.size)
    x, y = x[:n], y[:n]
    good = np.isfinite(x) & np.isfinite(y)
    if not good.any():
        raise PreviewError(f"no finite values in columns {names[0]} and {names[1]}")
    x, y = x[good], y[good]
    fig = _figure()
    ax = fig.add_subplot()
    if kind == "catalog":
        ax.scatter(x, y, s=4, color="#1f4e9c", alpha=0.7, linewidths=0)
        ax.invert_xaxis()  # RA grows to the east, shown to the left
        ax.set_aspect(1 / max(math.cos(math.radians(float(np.median(y)))), 0.05), adjustable="datalim")
    elif kind == "lightcurve":
        ax.plot(x, y, ".", ms=2, color="#1f4e9c")
    else:
        order = np.argsort(x, kind="stable")
        ax.plot(x[order], y[order], lw=0.8, color="#1f4e9c")
    ax.set_xlabel(_axis_label(names[0], units[0]), parse_math=False)
    ax.set_ylabel(_axis_label(names[1], units[1]), parse_math=False)
    ax.grid(alpha=0.3)
    _title(ax, label)
    return _png(fig)


# -------------------------------------------------------------------- sky map
def _skymap(targets: Sequence[tuple[str, float, float]], label: str) -> bytes:
    """All targets on an all-sky Mollweide map (RA increasing to the left)."""
    fig = _figure(SKYMAP_FIGSIZE)
    ax = fig.add_subplot(projection="mollweide")
    ax.grid(alpha=0.4)
    good = [(n, ra, dec) for n, ra, dec in targets if math.isfinite(ra) and math.isfinite(dec) and -90 <= dec <= 90]
    if good:
        ra = np.array([t[1] for t in good]) % 360
        dec = np.array([t[2] for t in good])
        x = -np.radians(np.where(ra > 180, ra - 360, ra))
        ax.scatter(x, np.radians(dec), s=18, color="#c0392b", edgecolors="black", linewidths=0.5, zorder=3)
        for (name, _, _), xi, yi in list(zip(good, x, np.radians(dec)))[:MAX_LABELS]:
            ax.annotate(name[:30], (xi, yi), xytext=(4, 4), textcoords="offset points", fontsize=7, parse_math=False)
    ticks = np.arange(-150, 181, 30)
    ax.set_xticks(np.radians(ticks))
    ax.set_xticklabels([f"{(-t) % 360}°" for t in ticks], fontsize=7)
    ax.tick_params(axis="y", labelsize=7)
    _title(ax, label)
    return _png(fig)
