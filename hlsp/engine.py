"""Validate paths: the one orchestrator above the file pipeline and the collection checks.

``iter_validate`` streams results for files, plain folders and contribution
folders, in order; ``validate`` collects them in a :class:`Report`; the caller
(CLI, GitHub job, notebook) hands them to reporters.  A folder holding
``hlsp.yaml`` is a contribution: :mod:`hlsp.collection_facts` gathers its facts, the
collection rules judge them (:func:`hlsp.judge.run_rules`), and its products go
through the file pipeline (:mod:`hlsp.pipeline`) with the collection's proj-id
and version.  Everything else goes straight to the file pipeline.

    paths -> engine -> pipeline (discover, cache, schedulers, read, rules) -> results
                    -> collection_facts -> judge.run_rules (collection rules) -> result

This is the only module that calls both; neither calls back.
"""

from __future__ import annotations

import os

from hlsp.discover import check_paths, has_candidates, is_candidate, is_contribution
from hlsp.findings import FileResult, Finding, Report
from hlsp.pipeline import (  # noqa: F401  (re-exported: the public names of the file pipeline)
    BATCH_FILES,
    DASK_BATCH_FILES,
    Options,
    _crash_result,
    _validate_batch,
    iter_files,
    validate_file,
)
from hlsp.pipeline import is_url as _is_url

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only (typing costs ~4 ms to import)
    from typing import Any, Iterable, Iterator

    from hlsp.rules._base import Rule

__all__ = ["Options", "iter_collection", "iter_files", "iter_validate", "validate", "validate_file"]


def iter_validate(paths: Iterable[str], options: Options | None = None) -> Iterator[FileResult]:
    """Validate every file under ``paths``; yield results in discovery order.

    A path may also be a remote file's ``https://`` or ``s3://`` URL: it is
    streamed through the reader (:func:`hlsp.remote.read_url`), never stored.

    Raises :class:`hlsp.errors.HlspError` for a bad option, a path that does
    not exist or a folder without FITS files (usage errors) when called --
    before the first result, so that no half-written report is printed.
    Everything wrong *with* a file is a finding.
    """
    options = options or Options()
    if options.select or options.ignore:
        options.rules()  # an unknown rule ID, name or category is a usage error, raised before any work
    paths = [q for p in paths for q in _expand_collections(os.fspath(p))]
    check_paths(p for p in paths if not is_contribution(p) and not _is_url(p))
    return _iter_validate(paths, options)


def _expand_collections(path: str) -> list[str]:
    """A folder of collections (``contributions/``) -> each collection, plus its other entries.

    So that ``hlsp validate contributions/`` checks every collection as a whole
    (metadata, manifest, ...) and not just its files one by one.
    """
    if not os.path.isdir(path) or is_contribution(path):
        return [path]
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError:
        return [path]
    if not any(e.is_dir(follow_symlinks=False) and is_contribution(e.path) for e in entries):
        return [path]
    out = []
    for e in entries:
        if e.name.startswith("."):
            continue
        if e.is_dir(follow_symlinks=False):
            if is_contribution(e.path) or has_candidates(e.path):
                out.append(e.path)
        elif is_candidate(e.name):
            out.append(e.path)
    return out


def _iter_validate(paths: list[str], options: Options) -> Iterator[FileResult]:
    # A folder holding hlsp.yaml is a contribution, checked as a whole.
    plain: list[str] = []
    for p in paths:
        if is_contribution(p):
            yield from iter_files(plain, options)
            plain = []
            yield from iter_collection(p, options)
        elif _is_url(p):  # one remote file (https://, s3://)
            yield from iter_files(plain, options)
            plain = []
            yield validate_file(p, options)
        else:
            plain.append(p)
    yield from iter_files(plain, options)


def collection_rules(options: Options) -> list[Rule]:
    from hlsp.rules import select_rules

    return [r for r in select_rules(options.select, options.ignore) if r.scope == "collection"]


GENERIC_FOLDER = "contributions/<proj-id>"
GENERIC_FIX = "`hlsp fix --write`"


def in_folder(f: Finding, root: str) -> Finding:
    """The finding with its hint naming the real folder (``contributions/<proj-id>``, ``hlsp fix --write``)."""
    if f.hint and (GENERIC_FOLDER in f.hint or GENERIC_FIX in f.hint):
        hint = f.hint.replace(GENERIC_FOLDER, root).replace(GENERIC_FIX, f"`hlsp fix {root} --write`")
        return f.replace(hint=hint)
    return f


def iter_collection(root: str | os.PathLike, options: Options, reads=None) -> Iterator[FileResult]:
    """Validate one contribution folder: the hlsp.yaml result, then one result per product.

    ``reads``: local path -> an object with the ``fits`` (FitsFile or None),
    ``size`` and ``sha256`` of products already read, which are validated from
    that in this process instead of being read again (staging).
    """
    # imported here: a run over plain files should not pay for the metadata reader
    from hlsp.collection_facts import build_context, expected_of, loose_fits_files
    from hlsp.judge import run_rules

    ctx = build_context(root, options, reads)
    findings = run_rules(collection_rules(options), ctx)
    yield FileResult(ctx.metadata_path, [in_folder(f, ctx.root) for f in findings])
    if ctx.contribution is None:
        # hlsp.yaml is unusable (MD001): still check every FITS file of the folder on its own
        file_options = options.replace(expected={**options.expected, "folder": ctx.root})
        yield from iter_files(loose_fits_files(ctx), file_options)
        return
    file_options = options.replace(expected={**options.expected, **expected_of(ctx.contribution, ctx.root)})
    readable = [chk for chk in ctx.checks if chk.file is not None]
    if reads:
        rules = file_options.rules()
        results = (
            validate_file(os.fspath(chk.file), file_options, rules, fits=reads[chk.product.local_path].fits)
            if chk.product.local_path in reads
            else next(iter_files([os.fspath(chk.file)], file_options))
            for chk in readable
        )
    else:
        results = iter_files([os.fspath(chk.file) for chk in readable], file_options)
    for chk in ctx.checks:
        if chk.verdict is not None:  # validated when it was uploaded (hlsp.events)
            yield FileResult(chk.display, [in_folder(f, ctx.root) for f in chk.verdict])
        elif chk.file is not None:
            result = next(results)
            result.path = chk.display
            result.findings = [in_folder(f, ctx.root) for f in result.findings]
            yield result


def validate(paths: Iterable[str] | str, options: Options | None = None, progress: Any = None, **kwargs: Any) -> Report:
    """Library entry point: validate files, folders, collections or URLs; return a :class:`Report`.

    ``progress``: a callable ``progress(done, total, result)`` called per file
    result (``total`` is None while unknown), or ``True`` for a progress bar
    (:mod:`hlsp.progress`).  ``kwargs`` are :class:`Options` fields.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [os.fspath(paths)]
    paths = [os.fspath(p) for p in paths]
    if options is None:
        options = Options(**kwargs)
    results = iter_validate(paths, options)
    if progress:
        from hlsp.progress import Bar, known_total, track

        results = track(results, Bar() if progress is True else progress, known_total(paths))
    return Report(list(results))
