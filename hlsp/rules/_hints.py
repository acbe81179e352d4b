"""Hints that name the next command: what ``hlsp fix`` can add, with the real folder."""

from __future__ import annotations

import os

from hlsp.derive import fix_can_add
from hlsp.rules._util import science_hdu

TYPE_CHECKING = False
if TYPE_CHECKING:  # (typing costs ~4 ms to import)
    from hlsp.judge import FileView
    from hlsp.rules._base import FileContext


def fix_command(ctx: FileContext) -> str:
    """``hlsp fix <folder> --write`` for a product of a collection, else for the file."""
    return _fix_command((ctx.expected or {}).get("folder"), lambda: ctx.path)


def fix_command_in(file: FileView) -> str:
    """:func:`fix_command` for a header check (the path is read only when there is no folder:
    a verdict that names the path is never reused for another file)."""
    return _fix_command(file.expected("folder"), lambda: file.path)


def _fix_command(folder: str | None, path) -> str:
    return f"hlsp fix {folder or path()} --write"


def keyword_hint(ctx: FileContext, keyword: str, default: str) -> str:
    """The hint of a missing profile keyword: where `hlsp fix` takes it from, or what to do."""
    fits = ctx.fits
    headers = []
    if fits is not None and fits.primary is not None:
        headers.append((0, fits.primary.header))
        science = science_hdu(fits)
        if science is not None and science is not fits.primary:
            headers.append((science.index, science.header))
    metadata = (
        {"targets": ctx.expected.get("targets"), "keywords": ctx.expected.get("keywords")} if ctx.expected else None
    )
    source = fix_can_add(keyword, headers, os.path.basename(ctx.path), metadata)
    if source == "hlsp.yaml":
        return (
            f"`{fix_command(ctx)}` writes it from hlsp.yaml (once its field holds the real value, not a stand-in), "
            "then `hlsp manifest` and `hlsp validate`."
        )
    if source:
        return f"`{fix_command(ctx)}` adds it (value from {source}), then `hlsp manifest` and `hlsp validate`."
    if ctx.expected.get("folder"):
        return (
            f"{default} `hlsp fix` finds no value for it in the file, its name or hlsp.yaml: write "
            f"`keywords: {{{keyword}: ...}}` in {ctx.expected['folder']}/hlsp.yaml and run `{fix_command(ctx)}`."
        )
    return default


def keyword_hint_of(file: FileView, keyword: str, default: str) -> str:
    """:func:`keyword_hint` for a header check, from its :class:`hlsp.judge.FileView` (every read recorded)."""
    from hlsp.rules._util import science_view

    headers = []
    if file.hdus:
        headers.append((0, file.hdus[0]))
        science = science_view(file)
        if science is not None and science is not file.hdus[0]:
            headers.append((science.index, science))
    folder = file.expected("folder")
    targets, keywords = file.expected("targets"), file.expected("keywords")
    metadata = {"targets": targets, "keywords": keywords} if file.expected() else None
    path = file.path
    source = fix_can_add(keyword, headers, os.path.basename(path), metadata)
    command = f"hlsp fix {folder} --write" if folder else f"hlsp fix {path} --write"
    if source == "hlsp.yaml":
        return (
            f"`{command}` writes it from hlsp.yaml (once its field holds the real value, not a stand-in), "
            "then `hlsp manifest` and `hlsp validate`."
        )
    if source:
        return f"`{command}` adds it (value from {source}), then `hlsp manifest` and `hlsp validate`."
    if folder:
        return (
            f"{default} `hlsp fix` finds no value for it in the file, its name or hlsp.yaml: write "
            f"`keywords: {{{keyword}: ...}}` in {folder}/hlsp.yaml and run `{command}`."
        )
    return default
