"""The file pipeline: discover -> read -> rules -> findings, for files and plain folders.

``validate_file`` is the whole pipeline for one file.  For many files,
``iter_files`` looks each one up in the result cache (:mod:`hlsp.cache`), cuts
the rest into batches and has a scheduler (:mod:`hlsp.scheduler`: this
process, a local process pool or a Dask cluster) validate them, with a bounded
number of batches in flight; results stream out in discovery order.

Only :mod:`hlsp.engine` calls it (and workers, through ``_validate_batch``);
it knows nothing of collections.
"""

from __future__ import annotations

import functools
import itertools
import os
import time
from collections import deque

from hlsp.discover import Problem, discover, display
from hlsp.findings import Category, FileResult, Finding, Severity
from hlsp.names import parse_name

# The reader (hlsp.fits), the profiles (yaml) and the rule registry (~75
# modules) are imported in the functions that use them, at the first file that
# is actually validated: a run whose results all come from the cache never
# loads them.
TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only (typing costs ~4 ms to import)
    from typing import Any, Iterable, Iterator, Sequence

    from hlsp.remote import RemoteOptions
    from hlsp.rules._base import Rule


_OPTION_FIELDS = (
    "select",
    "ignore",
    "product_type",
    "expected",
    "jobs",
    "scheduler",
    "cache",
    "cache_dir",
    "base",
    "remote",
)


class Options:
    """What a validation run is asked to do (picklable, shipped to workers)."""

    __slots__ = _OPTION_FIELDS

    def __init__(
        self,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        product_type: str | None = None,  # overrides the type from the file name
        expected: dict[str, Any] | None = None,  # e.g. {"proj_id":..., "version":...}; None: {}
        jobs: int = 1,  # worker processes; 0: as many as the work is worth, at most one per core (see _Router)
        scheduler: str | None = None,  # Dask scheduler address (tcp://HOST:PORT); else DASK_SCHEDULER_ADDRESS
        cache: bool = False,  # reuse results of unchanged files from earlier runs (hlsp.cache)
        cache_dir: str | None = None,  # where the cache lives (default: hlsp.cachedir.default_dir())
        base: str | None = None,  # git ref holding the previous version of a contribution (default origin/main, main)
        remote: RemoteOptions | None = None,  # for remote products (None: from the environment)
    ):
        self.select = select
        self.ignore = ignore
        self.product_type = product_type
        self.expected = {} if expected is None else expected
        self.jobs = jobs
        self.scheduler = scheduler
        self.cache = cache
        self.cache_dir = cache_dir
        self.base = base
        self.remote = remote

    def _values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _OPTION_FIELDS}

    def __repr__(self) -> str:
        return "Options(" + ", ".join(f"{k}={v!r}" for k, v in self._values().items()) + ")"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def replace(self, **changes: Any) -> Options:
        """A copy with ``changes`` (field name -> value), as ``dataclasses.replace`` did."""
        return Options(**{**self._values(), **changes})

    def rules(self) -> list[Rule]:
        from hlsp.rules import file_rules, select_rules

        if not self.select and not self.ignore:
            return list(file_rules().values())  # without importing the collection rules
        return [r for r in select_rules(self.select, self.ignore) if r.scope in ("fits", "file")]


def _read_error_finding(message: str) -> Finding:
    return Finding(
        rule="FS001",
        category=Category.FITS,
        severity=Severity.ERROR,
        message=message,
        hint="Check that the file exists, is readable and is a regular file.",
    )


_READ = object()  # validate_file's default: read the file


def validate_file(path: str, options: Options, rules: Sequence[Rule] | None = None, fits: Any = _READ) -> FileResult:
    """Validate one file.  Never raises for anything in or about the file.

    ``path`` may be an ``https://`` or ``s3://`` URL: the file streams through
    the reader (:func:`hlsp.remote.read_url`) and is never stored.  ``fits``:
    the file's :class:`~hlsp.fits.FitsFile` already read (None: not a FITS
    file), as staging and the upload events do while they read the bytes once;
    default: read it here.
    """
    from hlsp.fits import read_fits
    from hlsp.judge import run_rules
    from hlsp.profiles import load_profile, load_vocabulary
    from hlsp.rules._base import FileContext

    rules = options.rules() if rules is None else rules
    shown = display(path)
    remote = is_url(path)
    name = parse_name(_url_path(path) if remote else path)
    result = FileResult(shown)
    given, fits = fits is not _READ, (None if fits is _READ else fits)
    if not given and (remote or name.is_fits or _has_fits_magic(path)):
        try:
            fits = _read_url(path, options.remote) if remote else read_fits(path)
        except IsADirectoryError:
            result.findings.append(_read_error_finding("this is a folder, not a file"))
            return result
        except OSError as exc:
            result.findings.append(_read_error_finding(f"cannot read the file: {exc.strerror or exc}"))
            return result
        except Exception as exc:  # a bug in the reader: say so, and go on with the other files
            result.findings.append(
                _read_error_finding(
                    f"internal error while reading the file ({type(exc).__name__}: {exc}); it was not checked "
                    "-- please report it"
                )
            )
            return result
    vocab = load_vocabulary()
    ptype = options.product_type or name.product_type
    profile_name = (
        options.product_type
        if options.product_type in ("image", "spectrum", "lightcurve", "catalog")
        else vocab.profile_for(ptype)
    )
    ctx = FileContext(
        path=shown,
        name=name,
        fits=fits,
        product_type=ptype,
        profile=load_profile(profile_name),
        vocab=vocab,
        expected=options.expected,
    )
    result.findings.extend(run_rules(rules, ctx, usable=fits is not None and fits.is_fits))
    return result


def is_url(path: str) -> bool:
    """A remote file for hlsp.remote.read_url (told here, without importing hlsp.remote)."""
    return path[:8].lower().startswith(("https://", "http://", "s3://"))


def _url_path(url: str) -> str:
    from urllib.parse import urlsplit  # (with ipaddress ~4 ms to import: only for remote files)

    return urlsplit(url).path


def _read_url(url: str, remote_options):
    from hlsp.remote import read_url

    return read_url(url, remote_options)


def _has_fits_magic(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(9) == b"SIMPLE  ="
    except OSError:
        return False


def _problem_result(p: Problem) -> FileResult:
    return FileResult(display(p.path), [_read_error_finding(p.message)])


def _validate_batch(batch: list[str], options: Options) -> list[FileResult]:
    """The unit of work shipped to workers: rules are selected once per batch."""
    rules = options.rules()
    return [validate_file(p, options, rules) for p in batch]


def _crash_result(path: str) -> FileResult:
    return FileResult(
        display(path),
        [
            _read_error_finding(
                "the file could not be checked: the worker process validating it died repeatedly "
                "(out of memory, or a crash while reading it)"
            )
        ],
    )


# A batch of files to validate closes at this many files or bytes, so that small
# files travel in groups (less overhead per file) and big ones alone (so that
# several workers share them); a chunk (results waiting for one batch) also
# closes at CHUNK_FILES entries, so cache hits do not pile up behind a batch.
BATCH_FILES = 48
# On a Dask cluster a task costs ~1-3 ms of scheduling and transfer: ship more
# files per task (set A on a LocalCluster: 20% faster than with 48).
DASK_BATCH_FILES = 192
BATCH_BYTES = 32 * 1024 * 1024
CHUNK_FILES = 512


class _Chunk:
    """Consecutive results in discovery order: ready ones, and the slots of one batch."""

    __slots__ = ("entries", "batch", "stamps", "size", "scheduler", "job")

    def __init__(self):
        self.entries: list = []  # FileResult, or an int: position in ``batch``
        self.batch: list[str] = []
        self.stamps: list = []  # hlsp.cache.Stamp per batch entry
        self.size = 0  # bytes in the batch
        self.scheduler: Any = None  # hlsp.scheduler.Scheduler running the batch
        self.job: Any = None


def _chunks(items: Iterable[str | Problem], cache, batch_files: int = BATCH_FILES) -> Iterator[_Chunk]:
    chunk = _Chunk()
    for group in _looked_up(items, cache):
        for item, (findings, stamp) in group:
            if isinstance(item, Problem):
                chunk.entries.append(_problem_result(item))
            elif findings is not None:
                chunk.entries.append(FileResult(display(item), findings))
            else:
                chunk.entries.append(len(chunk.batch))
                chunk.batch.append(item)
                chunk.stamps.append(stamp)
                chunk.size += stamp.size if stamp is not None else _size(item)
            if len(chunk.entries) >= CHUNK_FILES or len(chunk.batch) >= batch_files or chunk.size >= BATCH_BYTES:
                yield chunk
                chunk = _Chunk()
    if chunk.entries:
        yield chunk


def _looked_up(items: Iterable[str | Problem], cache) -> Iterator[list[tuple[str | Problem, tuple]]]:
    """Discovered items in groups, each with (cached findings or None, stamp).

    With a cache, files are looked up in groups of ``LOOKUP_EVERY`` (one query
    each); without, one by one, so that the first results come out at once.
    """
    if cache is None:
        for item in items:
            yield [(item, (None, None))]
        return
    from hlsp.cache import LOOKUP_EVERY

    group: list[str | Problem] = []
    for item in items:
        group.append(item)
        if len(group) >= LOOKUP_EVERY:
            yield _with_lookups(group, cache)
            group = []
    if group:
        yield _with_lookups(group, cache)


def _with_lookups(group: list[str | Problem], cache) -> list[tuple[str | Problem, tuple]]:
    found = iter(cache.lookup_many([i for i in group if not isinstance(i, Problem)]))
    return [(i, (None, None) if isinstance(i, Problem) else next(found)) for i in group]


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _open_cache(options: Options):
    if not options.cache:
        return None
    from hlsp.cache import ResultCache

    # The rule selection enters as --select/--ignore: which rules they select is
    # decided by the code, which the fingerprint hashes (and the rules need not be loaded).
    parts = {
        "select": options.select,
        "ignore": options.ignore,
        "product_type": options.product_type,
        "expected": options.expected,
    }
    return ResultCache(parts, options.cache_dir)


def _warm_up(options: Options) -> None:
    """Load what every file needs once, before workers are forked from this process."""
    from hlsp.fits.read import warm_up
    from hlsp.profiles import load_profile, load_vocabulary

    warm_up()
    options.rules()
    vocab = load_vocabulary()
    for name in {None, *vocab.profile_of_type.values()}:
        load_profile(name)


def iter_files(paths: Iterable[str], options: Options) -> Iterator[FileResult]:
    """File-level validation of files and plain folders, in discovery order.

    Results stream: a bounded number of batches is in flight, and each result
    is yielded as soon as all results before it are known.
    """
    paths = list(paths)
    if not paths:
        return
    cache = _open_cache(options)
    router = None
    try:
        on_dask = bool(options.scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS"))
        chunks = _chunks(discover(paths), cache, DASK_BATCH_FILES if on_dask else BATCH_FILES)
        # Read ahead: a run that fits in one batch is not worth starting workers for, and
        # with --jobs 0 the work known ahead decides how many workers it is worth.
        limit = LOOKAHEAD if options.jobs == 0 and not on_dask else 1
        ahead = list(itertools.islice(chunks, 1 + limit))
        router = _Router(options, many=len(ahead) > 1)
        if len(ahead) <= limit:  # discovery ended: the whole run is known
            router.rest = sum(len(c.batch) for c in ahead[1:])
        pending: deque[_Chunk] = deque()
        for chunk in itertools.chain(ahead, chunks):
            if chunk.batch:
                router.submit(chunk)
            pending.append(chunk)
            while pending and (
                len(pending) > router.capacity or pending[0].job is None or pending[0].scheduler.done(pending[0].job)
            ):
                yield from _drain(pending.popleft(), cache)
        while pending:
            yield from _drain(pending.popleft(), cache)
    finally:
        if router is not None:
            router.close()
        if cache is not None:
            cache.close()


# With --jobs 0 (the default), the first batch is timed (CPU seconds, this process) and
# the rest of a run whose files are all discovered within LOOKAHEAD batches gets one
# worker per POOL_WORK seconds of estimated work (its files x the first batch's time per
# file), up to one per core -- none when that is one: forking, warming up and sending
# results back cost more than a second worker saves on a few hundred small files
# (~0.27 ms each).  Where files run changes no finding.
LOOKAHEAD = 8
POOL_WORK = 0.04


class _Router:
    """Where each batch runs: in this process, or on workers started at first need.

    * With a Dask address (``--scheduler`` or ``DASK_SCHEDULER_ADDRESS``): always there.
    * ``--jobs 1``, or a run of one batch: here.
    * A single big file: here -- hlsp.fits.read already sums its data in two threads.
    * The first batch of small files also runs here, before the local workers
      are forked: it loads whatever the rules import lazily (astropy.units ...),
      and every worker inherits it instead of importing it again.
    * ``--jobs 0``: as many workers as the rest of the run is worth (``POOL_WORK``),
      judged from the first batch's CPU time; when the run is longer than the
      files discovered ahead, one per core from the first batch on (a first
      batch run here would be run alone: 12% of the real-file corpus's work).
    """

    def __init__(self, options: Options, many: bool):
        self.options = options
        self.work = functools.partial(_validate_batch, options=options)
        self._here = None
        self.address = options.scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS")
        self.jobs = options.jobs
        self.many = many
        self.probed = False
        self.workers = None
        self.rest: int | None = None  # files to validate after the first batch, when all are known
        self.probe: tuple[float, int] | None = None  # the first batch's (CPU seconds, files)

    def submit(self, chunk: _Chunk) -> None:
        chunk.scheduler = self.pick(chunk)
        timed = self.probe is None and self.jobs == 0 and chunk.scheduler is self._here and self.many
        if timed:
            self.options.rules()  # (imported before the clock starts: a cost of any run, not of its files)
            started = time.process_time()
        chunk.job = chunk.scheduler.submit(chunk.batch)
        if timed:
            self.probe = (time.process_time() - started, len(chunk.batch))

    @property
    def here(self):
        if self._here is None:  # at the first batch: a run served from the cache needs no scheduler
            from hlsp.scheduler import InProcess

            self._here = InProcess(self.work, _crash_result)
        return self._here

    def pick(self, chunk: _Chunk):
        from hlsp.fits.read import PARALLEL_DATA

        if not self.address:
            if self.jobs == 1 or not self.many or (len(chunk.batch) == 1 and chunk.size >= PARALLEL_DATA):
                return self.here
            if self.workers is None and not self.probed:
                self.probed = True
                if self.jobs != 0 or self.rest is not None:
                    return self.here
        if self.workers is None:
            from hlsp.scheduler import make_scheduler

            jobs = self.jobs
            if not self.address:
                if jobs == 0:
                    jobs = self._worth()
                    if jobs == 1:
                        self.jobs = 1  # the rest runs here
                        return self.here
                _warm_up(self.options)
            self.workers = make_scheduler(self.work, _crash_result, jobs, self.address)
        return self.workers

    def _worth(self) -> int:
        """Workers for the rest of a ``--jobs 0`` run: one per core, or fewer for little work."""
        from hlsp.scheduler import cores

        if self.rest is None or self.probe is None:
            return cores()
        seconds, files = self.probe
        estimate = seconds * self.rest / max(files, 1)
        return max(1, min(cores(), int(estimate / POOL_WORK)))

    @property
    def capacity(self) -> int:
        return self.workers.capacity if self.workers is not None else 2

    def close(self) -> None:
        if self.workers is not None:
            self.workers.close()


def _drain(chunk: _Chunk, cache) -> Iterator[FileResult]:
    results = chunk.scheduler.results(chunk.job) if chunk.job is not None else []
    if cache is not None:
        for path, stamp, result in zip(chunk.batch, chunk.stamps, results):
            cache.store(path, stamp, result)
    for entry in chunk.entries:
        yield results[entry] if isinstance(entry, int) else entry
