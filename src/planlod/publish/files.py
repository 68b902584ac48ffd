"""Writing files into the site folder, remembering size and checksum for the catalog."""

from __future__ import annotations

import hashlib

from ..formats import media_type_of
from .context import PublishContext, WrittenFile


def write_file(ctx: PublishContext, relative: str, content: str | bytes, media_type: str | None = None
               ) -> WrittenFile:
    """Write one file of the site; its media type (for the catalog) comes from the format table by default."""
    media_type = media_type or media_type_of(relative)
    data = content.encode("utf-8") if isinstance(content, str) else content
    path = ctx.out / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    written = WrittenFile(relative, media_type, len(data), hashlib.sha256(data).hexdigest())
    ctx.files[relative] = written
    return written
