"""Import and export of the item list and the two directories (一单两库).

- `formats`: reading CSV (encoding detected) and XLSX; `writers`: writing them.
- `columns`: each list's headers; `schemas` and `values`: the row models and cell parsers.
- `rows`: checking a batch; `targets`, `relations`, `bulk`: the tables and their writes.
- `importer` and `run`: the import itself; `parallel` and `worker`: large files checked
  in a second process; `exporter`: exports and templates.
"""

from services.directory.imports.columns import KINDS
from services.directory.imports.importer import ImportReport, Options, import_file
from services.directory.imports.rows import Problem

__all__ = ["KINDS", "ImportReport", "Options", "Problem", "import_file"]
