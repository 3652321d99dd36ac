"""Import and export of the item list and the two directories (一单两库).

- `limits`: the bounds a file is held to; `xlsx` (with `sheetscan`) and `encoding`:
  checking an XLSX's bounds and a CSV's encoding before a row is read; `formats`: reading
  CSV and XLSX; `writers`: writing them.
- `columns`: each list's headers; `schemas` and `values`: the row models and cell parsers.
- `rows`: checking a batch; `targets`, `relations`, `points` (check points, a list per
  item), `bulk`: the tables and their writes.
- `importer` and `run`: the import itself; `reading`, `parallel` and `worker`: every file
  read and checked in a second process within a budget; `exporter`: exports and templates.

The names below are loaded when first used, so that the worker process, which imports
`reading` only, does not load the database layers.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.directory.imports.columns import KINDS
    from services.directory.imports.importer import (
        ImportReport,
        Options,
        Usage,
        check_file,
        import_file,
    )
    from services.directory.imports.limits import Limits
    from services.directory.imports.rows import Problem

_WHERE = {
    "KINDS": "columns",
    "ImportReport": "importer",
    "Options": "importer",
    "Usage": "importer",
    "check_file": "importer",
    "import_file": "importer",
    "Limits": "limits",
    "Problem": "rows",
}

__all__ = [
    "KINDS",
    "ImportReport",
    "Limits",
    "Options",
    "Problem",
    "Usage",
    "check_file",
    "import_file",
]


def __getattr__(name: str) -> object:
    """Load a re-exported name from its module on first use."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
