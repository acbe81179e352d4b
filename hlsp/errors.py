"""The one user-facing error type.

Library code raises :class:`HlspError` with a one-line message that says what
went wrong and where; only the CLI turns it into an exit status.  Problems in
*input files* are never errors of this kind: they are findings.
"""


class HlspError(Exception):
    """A problem with how the tool was called (bad option, missing path, ...)."""

    exit_code = 2

    def __str__(self) -> str:  # one line, always
        return " ".join(str(self.args[0]).split()) if self.args else self.__class__.__name__
