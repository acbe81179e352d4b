"""Write files so that an interruption never leaves a half-written one.

Write to a temporary file in the same folder, flush and fsync it, then rename
it over the target (atomic on POSIX).  On any error the temporary is removed
and the target is untouched.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only (typing costs ~4 ms to import)
    from typing import IO, Iterator


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    path = os.fspath(path)
    if _is_special(path):
        # /dev/null, /dev/stdout, a FIFO ...: write to it as it is.  Renaming a
        # temporary over it would replace the device node by a plain file (as
        # root, `hlsp validate -o /dev/null` would break the machine's /dev/null).
        with open(path, mode, encoding=None if "b" in mode else encoding) as fh:
            yield fh
        return
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.chmod(tmp, 0o644 & ~_umask())
        except OSError:
            pass
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _is_special(path: str) -> bool:
    """True for an existing target that is not a regular file (device, FIFO, socket)."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
