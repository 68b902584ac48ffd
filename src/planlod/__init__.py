"""planlod: Japanese municipal plan progress tables (進行管理表) as Linked Open Data."""

__version__ = "0.1.0"

from . import native  # noqa: F401  (first: it decides whether the compiled modules are imported)
from .errors import PlanlodError
from .pipeline import read_progress_table
from .records import Activity, ProgressTable
from .tallies import compare_tallies

__all__ = ["Activity", "PlanlodError", "ProgressTable", "compare_tallies", "read_progress_table"]
