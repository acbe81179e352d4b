"""Which URLs may be fetched: the scheme and host policy, checked again on every connection.

A manifest may list files too large for git by URL (``https://`` or
``s3://``).  Before anything is fetched, :func:`url_problem` applies the
policy: only https and s3; no ``file://``; no plain ``http://``; no host that
resolves to a private, loopback or link-local address (validation runs on
untrusted pull requests and must not be usable to probe internal services).
Tests that run servers on 127.0.0.1 set ``HLSP_ALLOW_PRIVATE_URLS=1``, which
also admits ``http://`` to such hosts.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from hlsp.remote.options import RemoteOptions


def _host_problem(host: str | None, port: int | None, options: RemoteOptions) -> str | None:
    if not host:
        return "the URL has no host name"
    if options.allow_private:
        return None
    try:
        infos = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return None  # unknown host: the fetch will fail and say so
    for info in infos:
        problem = _address_problem(host, info[4][0])
        if problem:
            return problem
    return None


def _address_problem(host: str, address: str) -> str | None:
    addr = ipaddress.ip_address(address.split("%", 1)[0])
    if (
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_reserved
        or addr.is_multicast
        or addr.is_unspecified
    ):
        return (
            f"host {host} resolves to the private or local address {addr}; remote products must be on a "
            "public server (set HLSP_ALLOW_PRIVATE_URLS=1 only for local testing)"
        )
    return None


class _RefusedAddress(OSError):
    """The connection's own resolution of a host gave an address the policy refuses."""


def _checked_resolver(allow_private: bool):
    """An aiohttp resolver that checks the very addresses the connection will use.

    The policy check above resolves the host once; the HTTP client would
    resolve it again to connect, and a DNS server that answers a public address
    the first time and 127.0.0.1 the second ("DNS rebinding") would slip past.
    This resolver is the only resolution the connection makes, and it refuses
    any address the policy refuses: what is checked is what is connected to.
    """
    import asyncio

    from aiohttp.abc import AbstractResolver

    class CheckedResolver(AbstractResolver):
        async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM, family=family)
            out = []
            for fam, _type, proto, _name, sockaddr in infos:
                problem = None if allow_private else _address_problem(host, sockaddr[0])
                if problem:
                    raise _RefusedAddress(problem)
                out.append(
                    {
                        "hostname": host,
                        "host": sockaddr[0],
                        "port": sockaddr[1],
                        "family": fam,
                        "proto": proto,
                        "flags": socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
                    }
                )
            return out

        async def close(self) -> None:
            pass

    return CheckedResolver()


def url_problem(url: str, options: RemoteOptions | None = None) -> str | None:
    """Why ``url`` may not be fetched, or None when it may."""
    options = options or RemoteOptions.from_env()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"the URL is malformed ({exc})"
    scheme = parts.scheme.lower()
    if scheme == "s3":
        if not parts.netloc:
            return "an s3:// URL needs a bucket: s3://bucket/key"
        if options.s3_endpoint:
            ep = urlsplit(options.s3_endpoint)
            return _host_problem(ep.hostname, ep.port, options)
        return None
    if scheme == "https":
        return _host_problem(parts.hostname, port, options)
    if scheme == "http":
        if options.allow_private and parts.hostname:
            return None
        return "plain http:// is not allowed: use https:// (or s3://) so the transfer cannot be altered on the way"
    if scheme == "file":
        return "file:// URLs are not allowed: put the file in the collection folder and list it by `path`"
    return f"the URL scheme {scheme + '://' if scheme else '(none)'} is not allowed: use https:// or s3://"
