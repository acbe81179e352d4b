"""The settings of remote access (:class:`RemoteOptions`) and the errors every part raises.

Configuration (environment, or :class:`RemoteOptions`): ``HLSP_CACHE_DIR`` (cache
folder, :mod:`hlsp.cachedir`), ``HLSP_TIMEOUT`` (seconds, default 30),
``HLSP_RETRIES`` (default 2), ``HLSP_ALLOW_PRIVATE_URLS``, ``HLSP_S3_ENDPOINT``
for S3-compatible stores.  ``use_reports`` (``hlsp validate --revalidate``
turns it off): an ``s3://`` product whose upload report (:mod:`hlsp.events`)
is current is not downloaded (see hlsp.collection_facts).

Contributor products are read **anonymously**, or with the credentials given
for them alone (``HLSP_S3_ACCESS_KEY_ID`` and ``HLSP_S3_SECRET_ACCESS_KEY``):
never with the ``AWS_*`` variables, the AWS configuration files or
``AWS_ENDPOINT_URL``, which belong to the archive destination that ``hlsp
stage`` writes to (``hlsp.stage.targets``).  Otherwise a contributor's
``s3://`` URL would be fetched with the archive's keys at stage time (issue 17).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from hlsp import limits
from hlsp.cachedir import default_dir

CHUNK = 1024 * 1024
ALLOWED_SCHEMES = ("https", "s3")


class RemoteError(Exception):
    """A remote product could not be fetched; the message names the URL and why."""


class IntegrityError(RemoteError):
    """The fetched bytes do not match the manifest (size or sha256)."""

    def __init__(self, message: str, size: int | None, sha256: str | None):
        super().__init__(message)
        self.size = size  # bytes received (may stop early when too large)
        self.sha256 = sha256  # None when the transfer was stopped early


class DeadlineError(RemoteError):
    """A product took longer than its wall-clock deadline (HLSP_REMOTE_DEADLINE)."""


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True, slots=True)
class RemoteOptions:
    cache_dir: Path = field(default_factory=default_dir)
    timeout: float = 30.0  # seconds per connection attempt and per read
    retries: int = 2  # extra attempts after a transient failure
    allow_private: bool = False  # admit loopback/private hosts and http:// to them (tests)
    s3_endpoint: str | None = None  # S3-compatible endpoint, e.g. http://127.0.0.1:8333
    s3_key: str | None = None  # credentials for contributor products only (default: anonymous)
    s3_secret: str | None = field(default=None, repr=False)
    max_bytes: int = field(default_factory=lambda: limits.get_int("remote_bytes"))  # per product
    deadline: float = field(default_factory=lambda: limits.get("remote_seconds"))  # seconds per product
    use_reports: bool = True  # s3:// products: use their upload report when current (hlsp.events); False: download

    @classmethod
    def from_env(cls, **overrides) -> "RemoteOptions":
        env = os.environ
        values = dict(
            cache_dir=default_dir(),
            timeout=float(env.get("HLSP_TIMEOUT") or 30.0),
            retries=int(env.get("HLSP_RETRIES") or 2),
            allow_private=_env_flag("HLSP_ALLOW_PRIVATE_URLS"),
            s3_endpoint=env.get("HLSP_S3_ENDPOINT") or None,  # (never the archive's AWS_ENDPOINT_URL)
            s3_key=env.get("HLSP_S3_ACCESS_KEY_ID") or None,
            s3_secret=env.get("HLSP_S3_SECRET_ACCESS_KEY") or None,
            max_bytes=limits.get_int("remote_bytes"),
            deadline=limits.get("remote_seconds"),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
