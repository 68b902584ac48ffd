"""One error base class: a sentence, the place it concerns, and what to do about it."""

from __future__ import annotations


class PlanlodError(Exception):
    """planlod could not do what was asked (bad input, usage or configuration)."""

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class SourceError(PlanlodError):
    """The source document cannot be read as a progress table."""


class RecordError(PlanlodError):
    """A records CSV has a missing column or a bad value."""


class CorrectionError(PlanlodError):
    """A correction does not apply to the source it is meant for."""
