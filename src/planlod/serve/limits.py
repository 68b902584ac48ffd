"""The HTTP-level bounds of planlod serve, as small pure pieces the handler applies.

Each decides from the request as parsed (headers, the percent-decoded path), never by reading more of
the client's bytes than allowed.
"""

from __future__ import annotations

import io
import re
import socket
import time
from email.message import Message
from typing import Any
from urllib.parse import quote

_LENGTH = re.compile(r"[0-9]{1,18}")
# A Host header that may stand in an IRI: a name or IPv4 address, or an [IPv6] literal, and a port.
_HOST = re.compile(r"(?:[A-Za-z0-9][A-Za-z0-9.-]{0,252}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class Refusal(Exception):
    """The request is refused before its body is read; `close` ends the connection after the answer."""

    def __init__(self, status: int, message: str, close: bool = True) -> None:
        super().__init__(message)
        self.status = status
        self.close = close


def body_length(headers: Message, limit: int, needs_body: bool) -> int:
    """The request body's length from one well-formed Content-Length, or a Refusal (400, 411, 413)."""
    if headers.get_all("Transfer-Encoding"):
        raise Refusal(411, "send the body with a Content-Length; chunked or encoded bodies are not accepted")
    values = headers.get_all("Content-Length") or []
    if len(values) > 1:
        raise Refusal(400, "Content-Length is given more than once")
    if not values:
        if needs_body:
            raise Refusal(411, "a POST to /sparql needs a Content-Length")
        return 0
    text = values[0].strip()
    if not _LENGTH.fullmatch(text):
        raise Refusal(400, f"Content-Length must be a whole number of bytes, not '{text[:40]}'")
    length = int(text)
    if length > limit:
        raise Refusal(413, f"the request is larger than {limit} bytes")
    return length


def clean_path(raw_path: str) -> str:
    """The percent-decoded path with runs of '/' folded to one; a Refusal for control characters."""
    from urllib.parse import unquote, urlsplit

    path = unquote(urlsplit(raw_path).path)
    if _CONTROL.search(path):
        raise Refusal(400, "the path holds control characters", close=False)
    path = re.sub(r"/{2,}", "/", path)
    return path if path.startswith("/") else "/" + path


def location(path: str) -> str:
    """A same-site redirect target: one leading '/', every unsafe character percent-encoded.

    Backslashes are encoded too: some clients read '/\\host' like '//host', a link to another site.
    """
    path = "/" + re.sub(r"/{2,}", "/", path).lstrip("/")
    return quote(path, safe="/-._~!$&'()*+,;=:@")


def safe_host(header: str | None, fallback: str) -> str:
    """The Host header if it is a plain host[:port], else `fallback`: it is written into IRIs."""
    if header and _HOST.fullmatch(header.strip()):
        return header.strip()
    return fallback


class DeadlineSocket(io.RawIOBase):
    """The socket as the request reader sees it, with one deadline for the whole request.

    A socket timeout alone restarts with every byte, so a client dripping one byte a second would hold a
    connection forever; here every receive gets only the time left until the deadline.
    """

    def __init__(self, sock: socket.socket, seconds: float) -> None:
        super().__init__()
        self.sock, self.seconds = sock, seconds
        self.deadline = time.monotonic() + seconds

    def restart(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request took too long to arrive")
        self.sock.settimeout(left)
        return self.sock.recv_into(buffer)
