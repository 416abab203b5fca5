"""A requests Session whose reads notice a cancel while the server sends nothing.

A thread blocked reading a socket cannot be woken from another thread in a portable
way, so a cancel used to wait out the whole read timeout of a stalled server. Here
no read blocks longer than `SLICE_S`: the socket under each response is read in
short waits, calling `check()` (which raises to abort) before each one, and a
`TimeoutError` comes only once the server has sent nothing for the full read timeout
the request asked for — the same rule as a plain socket timeout.

requests, urllib3 and http.client still do all of HTTP (redirects, proxies, TLS,
chunked bodies); this module only swaps the file object http.client reads each
response from. Opening the connection is not sliced: a cancel while a host does not
accept it waits for the connect timeout.
"""

from __future__ import annotations

import http.client
import io
import socket
import time
from collections.abc import Callable
from typing import Any

import requests
from requests.adapters import HTTPAdapter

SLICE_S = 0.25  # longest one socket read waits before `check()` runs again

Check = Callable[[], None]


def session(check: Check) -> requests.Session:
    """A Session whose responses call `check()` at least every SLICE_S while
    reading; whatever `check` raises ends the request (and closes its socket)."""
    client = requests.Session()
    adapter = _Adapter(check)
    client.mount("http://", adapter)
    client.mount("https://", adapter)
    return client


class _Adapter(HTTPAdapter):
    """Makes every connection pool (direct or through a proxy) build connections
    whose responses read through `_Reader`."""

    def __init__(self, check: Check, **kwargs: Any) -> None:
        self._check = check  # before super().__init__, which makes the pool manager
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self._patch(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        self._patch(manager)  # the same cached manager comes back on each call
        return manager

    def _patch(self, manager: Any) -> None:
        manager.pool_classes_by_scheme = {
            scheme: _patient_pool(pool, self._check)
            for scheme, pool in manager.pool_classes_by_scheme.items()
        }


def _patient_pool(pool: type, check: Check) -> type:
    """urllib3 connection pool class `pool`, its responses read through `_Reader`."""
    conn = pool.ConnectionCls
    response = getattr(conn, "response_class", None)
    if response is None or issubclass(response, _Response):
        return pool  # patched already, or a stand-in (https without the ssl module)
    response = type("PatientResponse", (_Response,), {"check": staticmethod(check)})
    conn = type(conn.__name__, (conn,), {"response_class": response})
    return type(pool.__name__, (pool,), {"ConnectionCls": conn})


class _Response(http.client.HTTPResponse):
    """http.client's response, reading its socket through `_Reader`."""

    check: Check

    def __init__(self, sock: socket.socket, *args: Any, **kwargs: Any) -> None:
        super().__init__(sock, *args, **kwargs)  # self.fp = sock.makefile("rb")
        self.fp = io.BufferedReader(_Reader(sock, self.fp, self.check))


class _Reader(io.RawIOBase):
    """`sock` read like `sock.makefile("rb")` would, in waits of at most SLICE_S.

    `makefile` is the file http.client opened on the socket: it is only kept to be
    closed with this reader, which tells the socket it may close (http.client closes
    the connection early when the server says `Connection: close`).
    """

    def __init__(self, sock: socket.socket, makefile: Any, check: Check) -> None:
        super().__init__()
        self._sock, self._makefile, self._check = sock, makefile, check
        self._limit = sock.gettimeout()  # the read timeout urllib3 has just set
        sock.settimeout(min(SLICE_S, self._limit or SLICE_S))

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        started = time.monotonic()
        while True:
            self._check()
            try:
                return self._sock.recv_into(buffer)
            except TimeoutError:  # SLICE_S without a byte: check, then wait more
                silent = time.monotonic() - started
                if self._limit is not None and silent >= self._limit:
                    raise

    def close(self) -> None:
        if not self.closed:
            self._makefile.close()
        super().close()
