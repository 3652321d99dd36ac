"""Where a document's template comes from, and the district's wording (documents.toml).

Every kind has two templates: `<kind>.docx` (Word, filled by docxtpl) and `<kind>.typ`
(the PDF, typeset by typst from the same values). They are looked up in order in
TEMPLATES_DIR, then DATA_DIR/templates, then the templates shipped in the repository
(templates/documents/), so that a district replaces one kind's file without code. The
wording every kind shares (letterhead, department full names, how to object) is read from
documents.toml the same way, a district's file overriding the shipped keys one by one.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.common.errors import InvalidInput

# The repository's templates/documents/ (installed beside the packages as package data).
BUILTIN_DIR = Path(__file__).resolve().parents[2] / "templates" / "documents"
KINDS = ("notice", "onsite", "order", "service", "annual")
FORMATS = ("pdf", "docx")
SUFFIXES = {"pdf": ".typ", "docx": ".docx"}
WORDING_FILE = "documents.toml"
MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
DEFAULT_SITE = "http://127.0.0.1:8080"


@dataclass(frozen=True)
class DocumentSetup:
    """What the composition root hands over: the district's templates and the site's URL."""

    # TEMPLATES_DIR: the district's own templates; None: DATA_DIR/templates only.
    templates_dir: Path | None = None
    # The public site's address, printed in the QR code (PUBLIC_SITE_URL).
    site_url: str = DEFAULT_SITE
    builtin_dir: Path = field(default=BUILTIN_DIR)

    def folders(self, files_dir: Path) -> list[Path]:
        """The folders searched for a template, the district's first."""
        found = [files_dir / "templates", self.builtin_dir]
        return [self.templates_dir, *found] if self.templates_dir is not None else found

    def template(self, kind: str, fmt: str, files_dir: Path) -> Path:
        """The template of one kind and format: the district's copy when it has one."""
        name = kind + SUFFIXES[fmt]
        for folder in self.folders(files_dir):
            if (folder / name).is_file():
                return folder / name
        raise InvalidInput("doc.no_template", name=name)

    def verify_url(self, code: str) -> str:
        """The public page that tells whether a document with this code was issued."""
        return f"{self.site_url.rstrip('/')}/d/{code}"

    def wording(self, files_dir: Path) -> Wording:
        """The shipped documents.toml, overridden key by key by the district's copies."""
        merged: dict[str, dict[str, str]] = {}
        for folder in reversed(self.folders(files_dir)):
            path = folder / WORDING_FILE
            if path.is_file():
                for section, values in _read(path).items():
                    merged.setdefault(section, {}).update(values)
        return Wording(merged)


def _read(path: Path) -> dict[str, dict[str, str]]:
    try:
        document: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput("doc.bad_wording", file=str(path), error=str(exc)) from None
    out: dict[str, dict[str, str]] = {}
    for section, values in document.items():
        if isinstance(values, dict):
            out[section] = {str(k): str(v) for k, v in values.items()}
    return out


@dataclass(frozen=True)
class Wording:
    """The district's sentences and names, by section and key."""

    sections: dict[str, dict[str, str]]

    def get(self, section: str, key: str, default: str = "") -> str:
        """One value; `default` when neither file has it."""
        return self.sections.get(section, {}).get(key, default)

    def text(self, key: str, **params: object) -> str:
        """A sentence of [wording] with its {placeholders} filled in."""
        template = self.get("wording", key)
        try:
            return template.format(**params) if params else template
        except (KeyError, IndexError, ValueError):
            return template  # a district's sentence with a placeholder we do not know

    def department(self, code: str | None, name: str | None) -> str:
        """The full name a department signs with."""
        if code and code in self.sections.get("departments", {}):
            return self.sections["departments"][code]
        if not name:
            return self.office
        district = self.get("issuer", "district")
        short = self.get("issuer", "district_short", district)
        return name if short in name or district in name else district + name

    @property
    def office(self) -> str:
        """Who signs what no single department does (the annual report)."""
        return self.get("issuer", "office", "联席会议办公室")


def check_format(fmt: str) -> str:
    """pdf or docx, else a refusal."""
    value = fmt.lower().lstrip(".")
    if value not in FORMATS:
        raise InvalidInput("doc.bad_format", format=fmt)
    return value
