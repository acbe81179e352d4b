"""The ObsCore table in SQLite or PostgreSQL, written by upsert so re-staging never duplicates rows.

``open_catalog(url)`` takes ``sqlite:///relative/path``, ``sqlite:////absolute/path``
or ``postgresql://user@host:port/dbname`` (libpq conventions: a password may
come from ``PGPASSWORD`` or ``~/.pgpass``).  Both use the same SQL: the table
is created if missing (``obscore`` in SQLite, ``ivoa.obscore`` in PostgreSQL,
where TAP services look for it) and rows are written with
``INSERT ... ON CONFLICT (obs_publisher_did) DO UPDATE``, one transaction per
delivery.  Every failure is a one-line :class:`HlspError` naming the catalog
(with any password masked).
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit, urlunsplit

from hlsp.errors import HlspError
from hlsp.stage.obscore import COLUMNS, NAMES


def redact(url: str) -> str:
    """``url`` with its password replaced by ``***`` (for messages and records)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


@dataclass(slots=True)
class Counts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated)

    def __str__(self) -> str:
        return f"{self.inserted} inserted, {self.updated} updated, {self.unchanged} unchanged"


def same_value(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
    return a == b


class Catalog:
    """An open ObsCore table.  Use as a context manager."""

    table = "obscore"
    placeholder = "?"
    url = ""

    def __init__(self, conn, url: str):
        self.conn, self.url = conn, url
        self._errors = self._error_types()

    def _error_types(self) -> tuple[type[Exception], ...]:
        raise NotImplementedError

    def _p(self, name: str) -> str:
        raise NotImplementedError

    def __enter__(self) -> "Catalog":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def fail(self, exc: Exception) -> HlspError:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return HlspError(f"catalog {redact(self.url)}: {first}")

    def _prepare(self, cur) -> None:
        cols = ", ".join(f"{name} {sqltype}" for name, sqltype in COLUMNS)
        cur.execute(f"CREATE TABLE IF NOT EXISTS {self.table} ({cols})")
        # A table created by an older hlsp lacks the columns added since (e.g. doi):
        # add them, so that staging into an existing catalog keeps working.
        cur.execute(f"SELECT * FROM {self.table} WHERE 1 = 0")
        present = {d[0].lower() for d in cur.description}
        cur.fetchall()
        for name, sqltype in COLUMNS:
            if name not in present:
                cur.execute(f"ALTER TABLE {self.table} ADD COLUMN {name} {sqltype}")

    def upsert(self, rows: Iterable[dict[str, Any]]) -> Counts:
        rows = list(rows)
        counts = Counts()
        updates = ", ".join(f"{n} = excluded.{n}" for n in NAMES if n != "obs_publisher_did")
        sql = (
            f"INSERT INTO {self.table} ({', '.join(NAMES)}) VALUES ({', '.join(self._p(n) for n in NAMES)}) "
            f"ON CONFLICT (obs_publisher_did) DO UPDATE SET {updates}"
        )
        try:
            cur = self.conn.cursor()
            self._prepare(cur)
            existing = self._fetch(cur, [r["obs_publisher_did"] for r in rows])
            for r in rows:
                old = existing.get(r["obs_publisher_did"])
                if old is not None and all(same_value(old[n], r[n]) for n in NAMES):
                    counts.unchanged += 1
                    continue
                cur.execute(sql, {n: r[n] for n in NAMES})
                if old is None:
                    counts.inserted += 1
                else:
                    counts.updated += 1
            self.conn.commit()
        except self._errors as exc:
            self._rollback()
            raise self.fail(exc) from None
        return counts

    def fetch(self, dids: list[str]) -> dict[str, dict[str, Any]]:
        """The stored rows of these obs_publisher_did values (absent ones are left out)."""
        try:
            cur = self.conn.cursor()
            rows = self._fetch(cur, dids)
            self.conn.commit()
            return rows
        except self._errors as exc:
            self._rollback()
            raise self.fail(exc) from None

    def fetch_like(self, did_prefix: str) -> dict[str, dict[str, Any]]:
        """Every row whose obs_publisher_did starts with ``did_prefix`` (one delivery's rows)."""
        try:
            cur = self.conn.cursor()
            pattern = did_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            cur.execute(
                f"SELECT {', '.join(NAMES)} FROM {self.table} WHERE obs_publisher_did LIKE {self._p('pattern')} ESCAPE '\\'",
                {"pattern": pattern},
            )
            out = {r[NAMES.index("obs_publisher_did")]: dict(zip(NAMES, r)) for r in cur.fetchall()}
            self.conn.commit()
            return out
        except self._errors as exc:
            self._rollback()
            raise self.fail(exc) from None

    def _fetch(self, cur, dids: list[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        select = f"SELECT {', '.join(NAMES)} FROM {self.table} WHERE obs_publisher_did = {self._p('did')}"
        for did in dids:
            cur.execute(select, {"did": did})
            found = cur.fetchone()
            if found is not None:
                out[did] = dict(zip(NAMES, found))
        return out

    def _rollback(self) -> None:
        try:
            self.conn.rollback()
        except Exception:  # the connection itself may be gone; the error raised next says why
            pass


class SqliteCatalog(Catalog):
    def _error_types(self):
        return (sqlite3.Error,)

    def _p(self, name: str) -> str:
        return f":{name}"


class PostgresCatalog(Catalog):
    table = "ivoa.obscore"

    def _error_types(self):
        import psycopg

        return (psycopg.Error,)

    def _p(self, name: str) -> str:
        return f"%({name})s"

    def _prepare(self, cur) -> None:
        cur.execute("CREATE SCHEMA IF NOT EXISTS ivoa")
        super()._prepare(cur)


def open_catalog(url: str, create: bool = True) -> Catalog:
    """Connect to the catalog at ``url``; :class:`HlspError` (one line) if it is unusable.

    ``create=False`` (checking, not writing) refuses an SQLite file that does not exist.
    """
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        if not url.startswith("sqlite:///"):
            raise HlspError(f"catalog {url}: write sqlite:///relative/path or sqlite:////absolute/path")
        path = Path(url[len("sqlite:///") :])
        if not path.parent.is_dir():
            raise HlspError(f"catalog {url}: the folder {path.parent} does not exist")
        if not create and not path.is_file():
            raise HlspError(f"catalog {url}: no such database file")
        try:
            conn = sqlite3.connect(path, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
        except sqlite3.Error as exc:
            raise HlspError(f"catalog {url}: {exc}") from None
        return SqliteCatalog(conn, url)
    if scheme in ("postgresql", "postgres"):
        import psycopg

        try:
            conn = psycopg.connect(url, connect_timeout=10)
        except psycopg.Error as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise HlspError(f"catalog {redact(url)}: database unavailable ({first})") from None
        return PostgresCatalog(conn, url)
    raise HlspError(f"catalog {redact(url)}: unsupported; use sqlite:///PATH or postgresql://...")
