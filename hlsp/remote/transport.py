"""The connections: an fsspec filesystem for https:// or s3://, redirects checked, errors classified.

Contributor ``s3://`` products are read anonymously or with ``HLSP_S3_*``
credentials only (:mod:`hlsp.remote.options`); HTTP connections resolve hosts
through the policy's checked resolver (:mod:`hlsp.remote.policy`).
:func:`_chunks` yields the bytes of one URL in ``CHUNK`` pieces; what to do
with them (a verified cache entry, a stream into the reader) is the caller's.
"""

from __future__ import annotations

import socket
from typing import Iterator
from urllib.parse import urljoin, urlsplit

from hlsp.remote.options import CHUNK, RemoteError, RemoteOptions
from hlsp.remote.policy import _checked_resolver, _RefusedAddress, url_problem


def _filesystem(url: str, options: RemoteOptions):
    scheme = urlsplit(url).scheme.lower()
    _require_remote(scheme)
    import fsspec

    if scheme == "s3":
        kwargs: dict = {
            "skip_instance_cache": True,
            "config_kwargs": {
                "connect_timeout": options.timeout,
                "read_timeout": options.timeout,
                "retries": {"max_attempts": 1},
                "s3": {"addressing_style": "path"},
                "ignore_configured_endpoint_urls": True,  # AWS_ENDPOINT_URL is the archive's
            },
        }
        if options.s3_endpoint:
            kwargs["endpoint_url"] = options.s3_endpoint
        if options.s3_key and options.s3_secret:
            kwargs["key"], kwargs["secret"] = options.s3_key, options.s3_secret
        else:
            kwargs["anon"] = True  # no credentials looked up: not AWS_*, not ~/.aws
        return fsspec.filesystem("s3", **kwargs)
    import aiohttp

    timeout = aiohttp.ClientTimeout(
        total=None, connect=options.timeout, sock_connect=options.timeout, sock_read=options.timeout
    )

    async def get_client(**kwargs):
        connector = aiohttp.TCPConnector(resolver=_checked_resolver(options.allow_private))
        return aiohttp.ClientSession(connector=connector, **kwargs)

    return fsspec.filesystem(
        scheme, skip_instance_cache=True, client_kwargs={"timeout": timeout}, get_client=get_client
    )


def _require_remote(scheme: str) -> None:
    """A :class:`RemoteError` (a finding, never a crash) when the extra hlsp[remote] is missing."""
    from importlib.util import find_spec

    from hlsp.errors import missing_extra

    for module in ("fsspec", "s3fs" if scheme == "s3" else "aiohttp"):
        if find_spec(module) is None:
            raise RemoteError(missing_extra("remote", module, f"fetching {scheme}:// URLs"))


def _status(exc: BaseException) -> int | None:
    """The HTTP status behind an aiohttp or botocore error, if any."""
    status = getattr(exc, "status", None)
    if isinstance(status, int):
        return status
    response = getattr(exc, "response", None)  # botocore ClientError
    if isinstance(response, dict):
        status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return status if isinstance(status, int) else None
    return None


def _is_permanent(exc: BaseException) -> bool:
    """Not worth retrying: the file is not there, we may not read it, or the policy refuses it."""
    if isinstance(exc, RemoteError):
        return True
    if isinstance(exc, _RefusedAddress) or isinstance(getattr(exc, "os_error", None), _RefusedAddress):
        return True
    if isinstance(exc, (FileNotFoundError, PermissionError)):
        cause = exc.__cause__  # fsspec wraps connection errors in FileNotFoundError
        return cause is None or _is_permanent(cause)
    status = _status(exc)
    return status is not None and 400 <= status < 500 and status not in (408, 429)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, RemoteError):
        return str(exc)
    if isinstance(exc, (FileNotFoundError, PermissionError)) and exc.__cause__ is not None:
        exc = exc.__cause__
    if isinstance(getattr(exc, "os_error", None), _RefusedAddress):
        exc = exc.os_error
    if isinstance(exc, _RefusedAddress):
        return f"refused: {exc}"
    if isinstance(exc, FileNotFoundError):
        return "not found (HTTP 404 or no such key)"
    status = _status(exc)
    if isinstance(exc, PermissionError) or status in (401, 403):
        return "access denied (HTTP 403: the file is private, or the credentials are wrong)"
    if status == 404:
        return "not found (HTTP 404 or no such key)"
    if status is not None:
        return f"HTTP status {status}"
    if isinstance(exc, (TimeoutError, socket.timeout)) or "timeout" in type(exc).__name__.lower():
        return "timed out"
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)


def _open_http(fs, url: str, options: RemoteOptions):
    """Open ``url`` for streaming, following redirects only to URLs the policy allows.

    (Redirects are followed here, not by the HTTP library, so that a public
    URL cannot redirect the validator to a private address or a file:// URL.)
    """
    for _ in range(MAX_REDIRECTS + 1):
        # block_size=0 streams one GET; a size skips fsspec's HEAD request,
        # which would report every failure as FileNotFoundError.
        fh = fs.open(url, "rb", block_size=0, size=1, allow_redirects=False)
        response = getattr(fh, "r", None)
        if getattr(response, "status", 200) not in _REDIRECTS:
            return fh
        location = response.headers.get("Location", "")
        fh.close()
        target = urljoin(url, location)
        problem = url_problem(target, options) if location else "a redirect without a Location"
        if problem:
            raise RemoteError(f"redirected to {target or '(nowhere)'}, which is refused: {problem}")
        url = target
    raise RemoteError(f"more than {MAX_REDIRECTS} redirects")


def _chunks(url: str, options: RemoteOptions) -> Iterator[bytes]:
    fs = _filesystem(url, options)
    if urlsplit(url).scheme.lower() == "s3":
        fh = fs.open(url[len("s3://") :], "rb", block_size=CHUNK)
    else:
        fh = _open_http(fs, url, options)
    with fh:
        while chunk := fh.read(CHUNK):
            yield chunk
