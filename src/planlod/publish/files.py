"""Writing files into the site folder, remembering size and checksum for the catalog."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

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


def write_chunks(ctx: PublishContext, relative: str, chunks: Iterable[str], media_type: str | None = None,
                 errors: str = "strict") -> WrittenFile:
    """Write one file of the site from its text in pieces (encoded with `errors`), never whole in memory."""
    media_type = media_type or media_type_of(relative)
    path = ctx.out / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with path.open("wb") as out:
        for chunk in chunks:
            data = chunk.encode("utf-8", errors)
            out.write(data)
            digest.update(data)
            size += len(data)
    written = WrittenFile(relative, media_type, size, digest.hexdigest())
    ctx.files[relative] = written
    return written
