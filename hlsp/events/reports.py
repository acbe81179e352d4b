"""Reading an object's upload report back: is it current, and does it match?

:func:`verdict_for` is what ``hlsp validate`` of a collection asks (through
:mod:`hlsp.collection`) instead of downloading an ``s3://`` product; it reads
reports and knows nothing of the engine, so the collection can use it without
an import cycle.  :mod:`hlsp.events.core` writes the reports.
"""

from __future__ import annotations

import functools
import hashlib

from hlsp.events.records import report_key
from hlsp.events.store import Store, StoreError

FORMAT = "hlsp-object-report/1"


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """What decides findings besides the file: the hlsp version and the digest of its code and validators data."""
    from hlsp.version import __version__
    from hlsp.cache import sources_digest

    return hashlib.sha256(f"{__version__}\0{sources_digest()}".encode()).hexdigest()


def _comparable(expected: dict | None) -> dict:
    """``expected`` without what only names where the collection sits (``folder``: hints only) and empty values."""
    return {k: v for k, v in (expected or {}).items() if k != "folder" and v not in (None, "", [], {})}


def verdict_for(
    url: str, size: int | None, sha256: str, expected: dict | None = None, store: Store | None = None, options=None
):
    """(findings, size, headers) of the report of ``url`` when it is current and matches, else None.

    ``headers``: [(HDU index, :class:`hlsp.fits.Header`)] of its first HDUs, as
    :func:`hlsp.collection.read_headers` gives for a local file.

    Current: the report is that of the object's ETag now.  Matches: its sha256
    (of what was read) and size are those of the manifest, it was made by the
    same code and rules, against the same expected proj-id and version.  Any
    doubt (no report, unreadable store) gives None: the caller downloads.
    """
    from urllib.parse import urlsplit

    from hlsp.findings import FileResult

    parts = urlsplit(url)
    bucket, key = parts.netloc, parts.path.lstrip("/")
    if parts.scheme != "s3" or not bucket or not key:
        return None
    try:
        if store is None:  # read as hlsp.remote reads contributor products (not with the archive's keys)
            from hlsp.events.store import contributor_client
            from hlsp.remote import RemoteOptions

            store = Store(contributor_client(options or RemoteOptions.from_env()))
        head = store.head(bucket, key)
        if head is None:
            return None
        doc = store.get_json(bucket, report_key(key, head["etag"]))
    except StoreError:
        return None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        return None
    if doc.get("etag") != head["etag"] or doc.get("sha256") != sha256 or doc.get("key") != key:
        return None
    if (size is not None and doc.get("size") != size) or doc.get("code") != code_digest():
        return None
    want = _comparable(expected)
    got = doc.get("expected") or {}
    if got != want:
        # Checked without a collection, the name's own proj-id and version stood
        # in for it: the same verdict when the collection gives nothing but
        # those, and they are those of the name.
        from hlsp.names import parse_name

        name = parse_name(key)
        own = {"proj_id": name.proj_id, "version": name.version} if name.fields else {}
        if got or any(own.get(k) != v for k, v in want.items()) or set(want) - set(own):
            return None
    try:
        from hlsp.fits import Header, parse_card

        headers = [
            (int(i), Header([parse_card(int(n), str(raw)) for n, raw in cards]))
            for i, cards in doc.get("headers") or []
        ]
        return FileResult.from_dict(doc["report"]["files"][0]).findings, doc["size"], headers
    except (KeyError, IndexError, TypeError, ValueError):
        return None
