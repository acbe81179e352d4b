"""Run the rules over files: discover -> read -> rules -> findings.

``validate_file`` is the whole pipeline for one file; ``iter_validate`` streams
results for many files, in order, in this process or a process pool; the
caller (CLI, GitHub job, notebook) hands them to reporters.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Sequence

from hlsp.discover import Problem, discover, display
from hlsp.findings import Category, FileResult, Finding, Report, Severity
from hlsp.fitsfile import read_fits
from hlsp.names import parse_name
from hlsp.profiles import load_profile, load_vocabulary
from hlsp.rules import select_rules
from hlsp.rules._base import FileContext, Rule


@dataclass(slots=True)
class Options:
    """What a validation run is asked to do (picklable, shipped to workers)."""

    select: list[str] | None = None
    ignore: list[str] | None = None
    product_type: str | None = None  # overrides the type from the file name
    expected: dict[str, Any] = field(default_factory=dict)  # e.g. {"hlspid":..., "version":...}
    jobs: int = 1

    def rules(self) -> list[Rule]:
        return [r for r in select_rules(self.select, self.ignore) if r.scope != "collection"]


def _read_error_finding(message: str) -> Finding:
    return Finding(
        rule="FS001",
        category=Category.FITS,
        severity=Severity.ERROR,
        message=message,
        hint="Check that the file exists, is readable and is a regular file.",
    )


def validate_file(path: str, options: Options, rules: Sequence[Rule] | None = None) -> FileResult:
    """Validate one file.  Never raises for anything in or about the file."""
    rules = options.rules() if rules is None else rules
    shown = display(path)
    name = parse_name(path)
    result = FileResult(shown)
    fits = None
    if name.is_fits or _has_fits_magic(path):
        try:
            fits = read_fits(path)
        except IsADirectoryError:
            result.findings.append(_read_error_finding("this is a folder, not a file"))
            return result
        except OSError as exc:
            result.findings.append(_read_error_finding(f"cannot read the file: {exc.strerror or exc}"))
            return result
    vocab = load_vocabulary()
    ptype = options.product_type or name.product_type
    profile_name = options.product_type if options.product_type in ("image", "spectrum", "lightcurve", "catalog") else vocab.profile_for(ptype)
    ctx = FileContext(
        path=shown,
        name=name,
        fits=fits,
        product_type=ptype,
        profile=load_profile(profile_name),
        vocab=vocab,
        expected=options.expected,
    )
    usable = fits is not None and fits.is_fits
    for rule in rules:
        if rule.scope == "fits" and not usable:
            continue
        try:
            result.findings.extend(rule.func(ctx))
        except Exception as exc:  # a bug in a rule must not hide the other findings
            result.findings.append(
                rule.finding(
                    f"internal error in rule {rule.id} ({type(exc).__name__}: {exc}); the file was not fully "
                    "checked by this rule -- please report it",
                    severity=Severity.WARNING,
                    hint="Report this at the project's issue tracker with the file if you can.",
                )
            )
    return result


def _has_fits_magic(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(9) == b"SIMPLE  ="
    except OSError:
        return False


def _problem_result(p: Problem) -> FileResult:
    return FileResult(display(p.path), [_read_error_finding(p.message)])


def _validate_batch(batch: list[str], options: Options) -> list[FileResult]:
    rules = options.rules()
    return [validate_file(p, options, rules) for p in batch]


def _batches(items: Iterable[str | Problem], size: int) -> Iterator[list[str | Problem]]:
    batch: list[str | Problem] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def iter_validate(paths: Iterable[str], options: Options | None = None) -> Iterator[FileResult]:
    """Validate every file under ``paths``; yield results in discovery order.

    Raises :class:`hlsp.errors.HlspError` for a path that does not exist
    (a usage error); everything wrong *with* a file is a finding.
    """
    options = options or Options()
    rules = options.rules()  # validates --select/--ignore before any work
    items = discover(paths)
    jobs = options.jobs if options.jobs and options.jobs > 0 else (os.cpu_count() or 1)
    if jobs == 1:
        for item in items:
            yield _problem_result(item) if isinstance(item, Problem) else validate_file(item, options, rules)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending = []
        for batch in _batches(items, 64):
            paths_only = [p for p in batch if not isinstance(p, Problem)]
            pending.append((batch, pool.submit(_validate_batch, paths_only, options)))
            while len(pending) > 2 * jobs:
                yield from _drain(pending.pop(0))
        for entry in pending:
            yield from _drain(entry)


def _drain(entry) -> Iterator[FileResult]:
    batch, future = entry
    results = iter(future.result())
    for item in batch:
        yield _problem_result(item) if isinstance(item, Problem) else next(results)


def validate(paths: Iterable[str] | str, options: Options | None = None, **kwargs: Any) -> Report:
    """Library entry point: validate files and folders, return a :class:`Report`."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [os.fspath(paths)]
    if options is None:
        options = Options(**kwargs)
    return Report(list(iter_validate(paths, options)))
