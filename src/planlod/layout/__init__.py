"""Reader for the 進行管理表 layout: tab-separated text extracted from the PDF."""

from .reader import read_layout

__all__ = ["read_layout"]
