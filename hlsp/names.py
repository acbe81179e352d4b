"""Parse HLSP file names.

Template (MAST "File Naming Convention")::

    hlsp_<proj-id>_<observatory>_<instrument>_<target>_<opt-elem>_<version>_<product-type>.<ext>
    hlsp_<proj-id>_readme.<ext>

Parsing is tolerant: it splits what it can and records the parts, so that the
filename rules can say precisely what is wrong.  It never raises.
"""

from __future__ import annotations

import os
import re

from hlsp.record import Record

FIELDS = ("proj_id", "observatory", "instrument", "target", "opt_elem", "version", "product_type")
FIELD_LABELS = {
    "proj_id": "proj-id",
    "observatory": "observatory",
    "instrument": "instrument",
    "target": "target",
    "opt_elem": "opt-elem",
    "version": "version",
    "product_type": "product-type",
}

# A documented version: vX[.Y[.Z]], X and Y numeric (1-2 digits, X without a
# leading zero), Z up to two alphanumerics.
VERSION_RE = re.compile(r"v(?:0|[1-9][0-9]?)(?:\.[0-9]{1,2}(?:\.[0-9a-z]{1,2})?)?\Z")
PROJ_ID_RE = re.compile(r"[a-z][a-z0-9-]*[a-z0-9]\Z")
FITS_EXTENSIONS = ("fits", "fits.gz", "fits.bz2", "fits.fz", "fit", "fts", "fit.gz", "fts.gz")


class ParsedName(Record):
    """A file name split into its parts (immutable, compared by value)."""

    __slots__ = ("filename", "stem", "extension", "parts", "is_hlsp", "is_readme", "fields")

    filename: str  # the base name
    stem: str  # name without extension
    extension: str  # without the leading dot ("" if none)
    parts: tuple[str, ...]  # the stem split on "_"
    is_hlsp: bool  # starts with "hlsp_"
    is_readme: bool  # hlsp_<proj-id>_readme.<ext>
    fields: dict | None  # field name -> value, when the name has 8 parts

    def __init__(
        self,
        filename: str,
        stem: str,
        extension: str,
        parts: tuple[str, ...],
        is_hlsp: bool,
        is_readme: bool,
        fields: dict | None,
    ):
        set_ = object.__setattr__  # (frozen: __setattr__ refuses)
        set_(self, "filename", filename)
        set_(self, "stem", stem)
        set_(self, "extension", extension)
        set_(self, "parts", parts)
        set_(self, "is_hlsp", is_hlsp)
        set_(self, "is_readme", is_readme)
        set_(self, "fields", fields)

    def get(self, name: str) -> str | None:
        return self.fields.get(name) if self.fields else None

    @property
    def proj_id(self) -> str | None:
        if self.fields:
            return self.fields["proj_id"]
        if self.is_hlsp and len(self.parts) >= 2:
            return self.parts[1]
        return None

    @property
    def version(self) -> str | None:
        return self.get("version")

    @property
    def product_type(self) -> str | None:
        return self.get("product_type")

    @property
    def is_fits(self) -> bool:
        """A FITS extension ends the name, even after another dot (``a.b.fits.gz``;
        FN006 judges such names, the reader still reads the content)."""
        ext = self.extension.lower()
        return ext in FITS_EXTENSIONS or ext.endswith(tuple("." + e for e in FITS_EXTENSIONS))


def split_extension(filename: str) -> tuple[str, str]:
    """Split at the first dot of the last ``_`` field: the product type has no dots."""
    last_us = filename.rfind("_")
    dot = filename.find(".", last_us + 1)
    if dot < 0:
        return filename, ""
    return filename[:dot], filename[dot + 1 :]


def parse_name(path: str) -> ParsedName:
    filename = os.path.basename(path)
    stem, ext = split_extension(filename)
    parts = tuple(stem.split("_"))
    is_hlsp = parts[0].lower() == "hlsp"
    is_readme = is_hlsp and len(parts) == 3 and parts[2].lower() == "readme"
    fields = dict(zip(FIELDS, parts[1:])) if is_hlsp and len(parts) == 8 else None
    return ParsedName(filename, stem, ext, parts, is_hlsp, is_readme, fields)


def version_key(version: str) -> tuple:
    """Sort key for versions ``v1``, ``v1.2``, ``v1.2.3a``: numeric where numeric."""
    out: list = []
    for part in version.lstrip("vV").split("."):
        m = re.match(r"(\d*)(.*)", part)
        num, rest = m.group(1), m.group(2)
        out.append((int(num) if num else -1, rest))
    return tuple(out)
