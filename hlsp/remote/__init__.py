"""Remote products: products listed by ``https://`` or ``s3://`` URL, fetched safely.

One job per module:

- :mod:`~hlsp.remote.options` -- :class:`RemoteOptions` (the ``HLSP_*`` settings,
  contributor credentials) and the errors (:class:`RemoteError`,
  :class:`IntegrityError`, :class:`DeadlineError`);
- :mod:`~hlsp.remote.policy` -- :func:`url_problem`: which URLs may be fetched
  (https and s3 only, no private or local hosts), checked again on every
  connection;
- :mod:`~hlsp.remote.transport` -- the connections: fsspec filesystems,
  redirects checked against the policy, retry-worthy errors told apart;
- :mod:`~hlsp.remote.downloads` -- the download cache keyed by sha256
  (:func:`cache_path`), partial downloads cleaned up;
- :mod:`~hlsp.remote.fetch` -- :func:`fetch` (a manifest's product, bounded in
  bytes and time, verified, cached) and :func:`measure_url` (``hlsp manifest``);
- :mod:`~hlsp.remote.stream` -- :func:`read_url`: a FITS file given by URL,
  streamed through the reader and never stored.

The bounds are listed in ``docs/limits.md``.
"""

from hlsp.remote.downloads import cache_path
from hlsp.remote.fetch import fetch, measure_url
from hlsp.remote.options import ALLOWED_SCHEMES, CHUNK, DeadlineError, IntegrityError, RemoteError, RemoteOptions
from hlsp.remote.policy import url_problem
from hlsp.remote.stream import UrlStream, read_url
from hlsp.remote.transport import MAX_REDIRECTS

__all__ = [
    "ALLOWED_SCHEMES",
    "CHUNK",
    "MAX_REDIRECTS",
    "DeadlineError",
    "IntegrityError",
    "RemoteError",
    "RemoteOptions",
    "UrlStream",
    "cache_path",
    "fetch",
    "measure_url",
    "read_url",
    "url_problem",
]
