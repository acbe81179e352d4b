"""Remember validation results between runs, so unchanged files are not read again.

A second ``hlsp validate`` over a delivery where one file changed re-reads that
one file; the others cost a ``stat`` and a database lookup each.

What makes a stored result valid (and why this is cheap *and* safe):

* **The run fingerprint** -- a hash of the hlsp version, the source of the
  ``hlsp`` package, every file under ``validators/`` (profiles, vocabularies),
  and the options that change findings, ``--select``/``--ignore`` among them
  (which rules they select is decided by the code, already hashed).  Any change
  gives a new fingerprint, and results stored under another fingerprint are
  never used (the four most recently used fingerprints are kept).  Hashing
  the code on every run would cost more than a whole cached run, so the
  database remembers the digest of code and data by their stat stamps (the
  same stamps as below); any changed, added or removed file means hashing
  again, and files changed within the racy window are always hashed.
* **The file's stat stamp** -- absolute path, device, inode, size,
  ``mtime_ns`` and ``ctime_ns``.  Restoring the mtime of a modified file (``touch
  -d``, ``cp -p``, ``rsync -t``) does not help it hide: the kernel sets
  ``ctime`` on every write and on every ``utime`` call, and nobody can set it
  back.  Replacing a file (atomic rename, ``cp`` over it) changes the inode.
* **A content hash for racy entries** -- timestamps have a granularity (a
  kernel tick on ext4, a second or more on NFS/FAT), so a file written in the
  same tick as its previous change keeps its stamp.  As git does for its
  index, an entry whose ``ctime``/``mtime`` lies within ``RACY_SECONDS`` of the
  moment the stamp was taken also stores the SHA-256 of the content, and a hit
  on it is served only after the hash is checked again.  Once the file is older
  than that window the hash is dropped and the stat stamp suffices.

The stamp (and, for a racy file, the hash) is taken *before* the file is read
and checked again after; a file that changes while it is validated is not
stored, or stored under its old stamp and validated again next time.

Storage is one SQLite database (``$HLSP_CACHE_DIR``, else
``$XDG_CACHE_HOME/hlsp``, else ``~/.cache/hlsp``) in WAL mode: writes are
transactions, so a run that crashes or is killed loses at most its last
unwritten batch, never the database.  A database that cannot be read (a
corrupted or foreign file) is deleted and rebuilt; if even that fails the run
goes on without a cache.  Results are stored as JSON (never pickle: a cache
file must not be able to run code).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import sys
import time
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path
from typing import Any, Iterable, NamedTuple

from hlsp.cachedir import RACY_SECONDS, default_dir
from hlsp.findings import FileResult, Finding

FILE_NAME = "validate-cache-v1.sqlite"
# FS001 messages that tell what happened to the run, not what the file is: a read
# that failed (I/O error, too many open files, ...) or a bug/MemoryError in the reader.
_NOT_VERDICTS = ("cannot read the file:", "internal error while reading the file")
KEEP_FINGERPRINTS = 4
FLUSH_EVERY = 256  # results per write transaction
LOOKUP_EVERY = 256  # files per lookup query (SQLite allows at least 999 parameters)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    fingerprint TEXT NOT NULL,
    path BLOB NOT NULL,     -- os.fsencode(absolute path): file names need not be UTF-8
    dev INTEGER, ino INTEGER, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,
    sha256 TEXT,            -- set for racy entries only
    findings TEXT NOT NULL, -- JSON list
    PRIMARY KEY (fingerprint, path)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (fingerprint TEXT PRIMARY KEY, last_used REAL NOT NULL);
-- digest of the code and validators files (hlsp.cache.sources_digest), by a hash of their stat stamps
CREATE TABLE IF NOT EXISTS sources (stamps TEXT PRIMARY KEY, digest TEXT NOT NULL, stored REAL NOT NULL);
"""


class Stamp(NamedTuple):
    """What ``stat`` says about a file, taken before it is read.

    (A named tuple: one is made per file of every run, and a frozen dataclass
    costs several times more to build.)
    """

    dev: int
    ino: int
    size: int
    mtime_ns: int
    ctime_ns: int
    taken_ns: int  # wall-clock time of the stat, to judge raciness
    sha256: str | None = None  # content hash, taken with the stamp when it is racy

    @property
    def racy(self) -> bool:
        newest = max(self.mtime_ns, self.ctime_ns)
        return newest >= self.taken_ns - int(RACY_SECONDS * 1e9)

    def key(self) -> tuple[int, int, int, int, int]:
        return self[:5]


def stamp_of(path: str) -> Stamp | None:
    """The stamp of a regular file; None for anything else (not cached)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return Stamp(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, time.time_ns())


def _key(path: str) -> bytes:
    """The database key of ``path``: its absolute path, as bytes."""
    return os.fsencode(os.path.abspath(path))


def _keys(paths: list[str]) -> list[bytes]:
    """``_key`` of many paths: the folder part is made absolute once per folder
    (files of a delivery share a few folders; ``abspath`` costs a ``getcwd``)."""
    folders: dict[str, str] = {}
    encoding = sys.getfilesystemencoding()
    out = []
    for p in paths:
        head, sep, tail = p.rpartition("/")
        if not tail or tail in (".", ".."):
            out.append(_key(p))
            continue
        folder = head + sep  # "" (here), "/" (the root: head is ""), "sub/"
        absolute = folders.get(folder)
        if absolute is None:
            absolute = os.path.abspath(folder or ".")
            absolute = folders[folder] = absolute if absolute.endswith("/") else absolute + "/"
        out.append((absolute + tail).encode(encoding, "surrogateescape"))
    return out


def sha256_of(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


# ------------------------------------------------------------------ fingerprint
def fingerprint(parts: dict[str, Any], db: sqlite3.Connection | None = None) -> str:
    """Hash of everything that decides findings besides the file itself.

    ``parts`` holds the run's options (the rule selection among them); the hlsp
    version and the digest of the code and validators data
    (:func:`sources_digest`) are added here.  With ``db`` (an open cache) that
    digest is remembered by the files' stat stamps.
    """
    from hlsp.version import __version__

    h = hashlib.sha256()
    env = {"version": __version__, "python": sys.version, "libraries": _library_versions()}
    h.update(json.dumps({**env, **parts}, sort_keys=True, default=repr).encode())
    h.update(sources_digest(db).encode())
    return h.hexdigest()


def _source_files() -> tuple[list[tuple[str, str]], str]:
    """(name, path) of every file whose content decides findings -- the ``hlsp``
    package's ``*.py`` and everything under ``validators/`` -- sorted by name;
    and a note on what could not be listed."""
    from hlsp.profiles import validators_dir

    # the C extension too: a rebuilt hlsp._speedups must not be served old results
    files = _tree("hlsp/", _code_root(), (".py", ".c", *EXTENSION_SUFFIXES))
    try:
        files += _tree("validators/", os.fspath(validators_dir()), "")
        note = ""
    except Exception as exc:  # no validators folder: the run itself will say so
        note = repr(exc)
    return sorted(files), note


def _code_root() -> str:
    return os.path.dirname(os.path.realpath(__file__))  # the hlsp package folder


# Libraries whose answers can change findings: numpy sums the data where
# hlsp._speedups is not built; astropy is the reference hlsp.units is held to
# (its verdicts, not its code, decide a unit: kept so that an upgrade re-checks).
_LIBRARIES = ("astropy", "numpy")


def _library_versions() -> list[str]:
    """The installed versions of _LIBRARIES, as their ``*.dist-info`` folder names
    (first on ``sys.path`` wins, as for imports).  Listing the folders costs well
    under a millisecond; ``importlib.metadata`` would cost ~30 ms per run."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for n in names:
            if n.endswith(".dist-info"):
                lib = n.split("-", 1)[0].lower()
                if lib in _LIBRARIES and lib not in found:
                    found[lib] = n
    return sorted(found.values())


def _tree(label: str, root: str, suffix: str | tuple[str, ...]) -> list[tuple[str, str]]:
    out = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        rel = os.path.relpath(folder, root)
        for n in names:
            if n.endswith(suffix):
                out.append((label + (n if rel == "." else f"{rel}/{n}"), os.path.join(folder, n)))
    return out


def sources_digest(db: sqlite3.Connection | None = None) -> str:
    """SHA-256 over the names and contents of the code and validators files.

    Reading ~1 MB of code on every run costs more than a whole cached run, so
    with ``db`` the digest is stored under a hash of the files' stat stamps
    (path, device, inode, size, mtime_ns, ctime_ns -- the same stamp that
    guards each cached result) and only recomputed when one of them changes.
    A listing with a racy file (changed within ``RACY_SECONDS`` of the stat) is
    never stored: it could still change within the same timestamp tick.
    """
    files, note = _source_files()
    taken = time.time_ns()  # before the stats: errs towards "racy"
    stamps, racy = [], False
    for name, path in files:
        try:
            st = os.stat(path)
        except OSError:
            continue  # vanished since listing: not part of the code
        if not stat.S_ISREG(st.st_mode):
            continue
        stamps.append((name, path, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
        racy = racy or max(st.st_mtime_ns, st.st_ctime_ns) >= taken - int(RACY_SECONDS * 1e9)
    key = hashlib.sha256(json.dumps([note, stamps]).encode("utf-8", "surrogateescape")).hexdigest()
    if db is not None and not racy:
        row = _query(db, "SELECT digest FROM sources WHERE stamps = ?", (key,))
        if row is not None:
            return row[0]
    h = hashlib.sha256(note.encode())
    for name, path, *_ in stamps:
        h.update(name.encode("utf-8", "surrogateescape") + b"\0")
        try:
            with open(path, "rb") as fh:
                h.update(fh.read())
        except OSError as exc:
            h.update(repr(exc).encode())
        h.update(b"\0")
    digest = h.hexdigest()
    if db is not None and not racy:
        _remember_digest(db, key, digest)
    return digest


def _query(db: sqlite3.Connection, sql: str, args: tuple) -> tuple | None:
    try:
        return db.execute(sql, args).fetchone()
    except sqlite3.Error:
        return None


def _remember_digest(db: sqlite3.Connection, key: str, digest: str) -> None:
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT OR REPLACE INTO sources VALUES (?, ?, ?)", (key, digest, time.time()))
        db.execute(
            "DELETE FROM sources WHERE stamps NOT IN (SELECT stamps FROM sources ORDER BY stored DESC LIMIT ?)",
            (KEEP_FINGERPRINTS,),
        )
        db.execute("COMMIT")
    except sqlite3.Error:  # busy, read-only ...: recomputed next time
        try:
            db.execute("ROLLBACK")
        except sqlite3.Error:
            pass


# ----------------------------------------------------------------- (de)coding
def _encode(findings: Iterable[Finding]) -> str:
    # ASCII: a message may quote a file name that is not valid UTF-8 (lone surrogates)
    return json.dumps([f.to_dict() for f in findings], separators=(",", ":"))


def _decode(text: str) -> list[Finding]:
    if text == "[]":  # most files: no findings
        return []
    return [Finding.from_dict(d) for d in json.loads(text)]


# ---------------------------------------------------------------------- cache
def is_verdict(result: FileResult) -> bool:
    """Whether ``result`` is the file's own outcome, worth keeping for the next run.

    Not so: the "worker died" result of a batch that kept killing its workers
    (:class:`hlsp.scheduler.NotJudged`; an out-of-memory kill says nothing
    final about the file), and a read that failed or crashed (the next run may
    well read the file).  Those are validated again next time (issue 17, item 9).
    """
    if getattr(result, "cacheable", True) is False:
        return False
    return not any(f.rule == "FS001" and f.message.startswith(_NOT_VERDICTS) for f in result.findings)


class ResultCache:
    """Results of earlier runs with the same fingerprint, by file.

    ``parts`` are the run's options that change findings (see :func:`fingerprint`).
    ``lookup_many`` returns, per file, the stored findings of an unchanged file
    (or None) and the stamp to store a new result under; ``store`` queues a
    result, written in batches.  Call ``close`` (or use ``with``) to write the rest.
    """

    def __init__(self, parts: dict[str, Any], folder: str | os.PathLike | None = None):
        self.parts = parts
        self.fingerprint = ""  # set when the database is open (the code digest is remembered there)
        self.folder = Path(folder) if folder is not None else default_dir()
        self.path = self.folder / FILE_NAME
        self.hits = self.misses = 0
        self._pending: list[tuple] = []
        self._db: sqlite3.Connection | None = None
        self._open(retry=True)

    # -- opening, and rebuilding a broken database
    def _open(self, retry: bool) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=2.0, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            self.fingerprint = fingerprint(self.parts, db)
            latest = db.execute("SELECT fingerprint FROM runs ORDER BY last_used DESC LIMIT 1").fetchone()
            if latest is None or latest[0] != self.fingerprint:  # (a run like the last one writes nothing here)
                self._use_fingerprint(db)
            self._db = db
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                self._db = None  # another run holds it: go on without a cache
                return
            self._rebuild(retry)
        except (sqlite3.DatabaseError, OSError):
            self._rebuild(retry)

    def _use_fingerprint(self, db: sqlite3.Connection) -> None:
        """Make this run's fingerprint the most recently used; drop the results of old ones."""
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT OR REPLACE INTO runs VALUES (?, ?)", (self.fingerprint, time.time()))
        old = [
            r[0]
            for r in db.execute(
                "SELECT fingerprint FROM runs ORDER BY last_used DESC LIMIT -1 OFFSET ?", (KEEP_FINGERPRINTS,)
            )
        ]
        for fp in old:
            db.execute("DELETE FROM results WHERE fingerprint = ?", (fp,))
            db.execute("DELETE FROM runs WHERE fingerprint = ?", (fp,))
        db.execute("COMMIT")

    def _rebuild(self, retry: bool) -> None:
        """Delete an unusable database and start a new one (once); else run without."""
        self._forget()
        if not retry:
            return
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass
            except OSError:
                return
        self._open(retry=False)

    def _forget(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None

    @property
    def usable(self) -> bool:
        return self._db is not None

    # -- lookups and stores
    def lookup(self, path: str) -> tuple[list[Finding] | None, Stamp | None]:
        """(stored findings or None, the stamp to store a fresh result under)."""
        return self.lookup_many([path])[0]

    def lookup_many(self, paths: list[str]) -> list[tuple[list[Finding] | None, Stamp | None]]:
        """``lookup`` of each path, with one query per ``LOOKUP_EVERY`` files."""
        out: list[tuple[list[Finding] | None, Stamp | None]] = []
        for i in range(0, len(paths), LOOKUP_EVERY):
            out += self._lookup_group(paths[i : i + LOOKUP_EVERY])
        return out

    def _lookup_group(self, paths: list[str]) -> list[tuple[list[Finding] | None, Stamp | None]]:
        if self._db is None:
            return [(None, None)] * len(paths)
        stamps = []
        for path in paths:
            stamp = stamp_of(path)
            if stamp is not None and stamp.racy:
                stamp = Stamp(*stamp.key(), stamp.taken_ns, sha256_of(path))
            stamps.append(stamp)
        keys = [k if s is not None else None for k, s in zip(_keys(paths), stamps)]
        wanted = [k for k in keys if k is not None]
        rows: dict[bytes, tuple] = {}
        if wanted:
            sql = (
                "SELECT path, dev, ino, size, mtime_ns, ctime_ns, sha256, findings FROM results "
                f"WHERE fingerprint = ? AND path IN ({','.join('?' * len(wanted))})"
            )
            try:
                rows = {r[0]: r[1:] for r in self._db.execute(sql, (self.fingerprint, *wanted))}
            except sqlite3.DatabaseError:
                self._rebuild(retry=True)
        return [
            self._judge(p, k, s, rows.get(k)) if s is not None else (None, None) for p, k, s in zip(paths, keys, stamps)
        ]

    def _judge(self, path: str, key: bytes, stamp: Stamp, row: tuple | None) -> tuple[list[Finding] | None, Stamp]:
        """The stored findings if ``row`` (dev .. findings) still describes the file."""
        if row is None or row[:5] != stamp.key():
            self.misses += 1
            return None, stamp
        if row[5] is not None:  # racy entry: the content must still match
            if (stamp.sha256 or sha256_of(path)) != row[5]:
                self.misses += 1
                return None, stamp
            if not stamp.racy:  # old enough now: the stamp alone will do
                self._pending.append(("clear", key))
        try:
            findings = _decode(row[6])
        except (ValueError, KeyError, TypeError):
            self.misses += 1
            return None, stamp
        self.hits += 1
        return findings, stamp

    def store(self, path: str, stamp: Stamp | None, result: FileResult) -> None:
        if stamp is None or self._db is None or not is_verdict(result):
            return
        after = stamp_of(path)
        if after is None or after.key() != stamp.key():
            return  # changed while it was read: validate again next time
        if stamp.racy and (stamp.sha256 is None or sha256_of(path) != stamp.sha256):
            return  # racy and changed (or unreadable) while it was read
        digest = stamp.sha256 if stamp.racy else None
        row = (self.fingerprint, _key(path), *stamp.key(), digest, _encode(result.findings))
        self._pending.append(("put", row))
        if len(self._pending) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        if not self._pending or self._db is None:
            self._pending.clear()
            return
        pending, self._pending = self._pending, []
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [row for kind, row in pending if kind == "put"],
            )
            self._db.executemany(
                "UPDATE results SET sha256 = NULL WHERE fingerprint = ? AND path = ?",
                [(self.fingerprint, key) for kind, key in pending if kind == "clear"],
            )
            self._db.execute("COMMIT")
        except sqlite3.OperationalError:
            self._rollback()  # busy (another run writes): these results are simply not kept
        except sqlite3.DatabaseError:
            self._rebuild(retry=True)

    def _rollback(self) -> None:
        try:
            self._db.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    def close(self) -> None:
        self.flush()
        self._forget()

    def __enter__(self) -> "ResultCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
