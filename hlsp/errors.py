"""The one user-facing error type (and the one-line "install hlsp[EXTRA]" error).

Library code raises :class:`HlspError` with a one-line message that says what
went wrong and where; only the CLI turns it into an exit status.  Problems in
*input files* are never errors of this kind: they are findings.
"""


class HlspError(Exception):
    """A problem with how the tool was called (bad option, missing path, ...)."""

    exit_code = 2

    def __str__(self) -> str:  # one line, always
        return " ".join(str(self.args[0]).split()) if self.args else self.__class__.__name__


# The optional parts of hlsp: extra -> the modules its commands import from it
# (pyproject.toml [project.optional-dependencies]; tests/test_packaging.py keeps
# the two in step).  [pages] and [stage] also bring [remote], whose absence is
# reported where a URL is fetched (a finding, a warning or a refusal naming it).
EXTRAS: dict[str, tuple[str, ...]] = {
    "remote": ("fsspec", "s3fs", "aiohttp"),
    "pages": ("matplotlib", "fitsio"),
    "stage": ("caom2", "caom2utils", "psycopg", "boto3"),
    "github": ("github3",),
    "dask": ("dask", "distributed"),
}


class MissingExtra(HlspError):
    """An optional part of hlsp is not installed; the message names the extra that brings it."""


def missing_extra(extra: str, module: str, what: str = "this command") -> str:
    """The one line that says which extra to install."""
    return f"{what} needs hlsp[{extra}] ({module} is not installed): pip install 'hlsp[{extra}]'"


def require_extra(extra: str, what: str = "this command") -> None:
    """Raise :class:`MissingExtra` (exit 2, one line) unless every module of
    ``extra`` can be imported.  Looks the modules up without importing them."""
    from importlib.util import find_spec

    for module in EXTRAS[extra]:
        if find_spec(module) is None:
            raise MissingExtra(missing_extra(extra, module, what))
