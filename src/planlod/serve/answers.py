"""What `planlod serve` answers when it refuses: one JSON shape {"ok": false, "error": …, "status": …} for every
error (http.server's own included), or the same as a small page for a browser, everything in it escaped."""

from __future__ import annotations

import html
import json
from http import HTTPStatus


def error_body(status: int, message: str) -> bytes:
    return json.dumps({"ok": False, "error": message, "status": status}, ensure_ascii=False).encode()


def error_page(status: int, message: str) -> bytes:
    """The same error for a browser: a small page, everything in it escaped."""
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    text = html.escape(message)
    return (f'<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{status} {html.escape(phrase)} | planlod</title></head>"
            f"<body><main><h1>{status} <span lang=\"en\">{html.escape(phrase)}</span></h1>"
            f'<p lang="en">{text}</p><p><a href="/">ホーム <span lang="en">Home</span></a> · '
            f'<a href="/sparql-editor/">SPARQL</a></p></main></body></html>\n').encode()


_BUSY_BODY = error_body(503, "too many open connections; try again shortly")
# Written straight to the socket past max_connections, before any handler thread exists.
BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 5\r\n"
        b"Connection: close\r\nContent-Length: " + str(len(_BUSY_BODY)).encode() + b"\r\n\r\n" + _BUSY_BODY)


__all__ = ["BUSY", "error_body", "error_page"]
