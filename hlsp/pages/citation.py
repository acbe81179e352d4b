"""How to cite a collection: the journal-style data citation and its BibTeX entry."""

from __future__ import annotations

import re

from hlsp.pages import safe
from hlsp.pages.values import people, text, year_of

PUBLISHER = "Mikulski Archive for Space Telescopes (MAST)"


def cited_name(name: str) -> str:
    """A person as journals cite them: ``Ada Lovelace`` -> ``Lovelace, A.``; ``Lovelace, Ada`` -> ``Lovelace, A.``."""
    name = " ".join(name.split())
    if "," in name:
        surname, given = (part.strip() for part in name.split(",", 1))
    else:
        parts = name.split(" ")
        surname, given = parts[-1], " ".join(parts[:-1])
    initials = " ".join(
        "-".join(piece[0].upper() + "." for piece in word.split("-") if piece) for word in given.split() if word
    )
    return f"{surname}, {initials}" if initials else surname


def citation(meta: dict) -> dict:
    """The parts of a journal-style data citation: authors; year; title; version; publisher; DOI."""
    names = [cited_name(p["name"]) for p in people(meta)]
    if len(names) > 1:
        authors = ", ".join(names[:-1]) + ", & " + names[-1]
    else:
        authors = names[0] if names else ""
    doi = safe.as_doi(meta.get("doi"))
    return {
        "authors": authors,
        "year": year_of(meta),
        "title": text(meta.get("title")),
        "version": text(meta.get("version")),
        "publisher": "MAST",
        "doi": doi or "",
        "doi_href": safe.doi_url(doi) or "",
        "pending": text(meta.get("doi")).strip().lower() == "pending",
    }


_BIB_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
_BIB_ESCAPES = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def bib_escape(value: str) -> str:
    """Contributor text as a BibTeX field value that keeps its braces balanced."""
    return _BIB_SPECIAL.sub(lambda m: _BIB_ESCAPES.get(m.group(), "\\" + m.group()), " ".join(value.split()))


def bibtex(slug: str, meta: dict) -> str:
    year = year_of(meta)
    doi = safe.as_doi(meta.get("doi"))
    fields = [
        ("author", " and ".join(bib_escape(p["name"]) for p in people(meta))),
        ("title", "{" + bib_escape(text(meta.get("title"))) + "}"),
        ("year", year),
        ("version", bib_escape(text(meta.get("version")))),
        ("publisher", PUBLISHER),
        ("howpublished", "High-Level Science Product"),
        ("doi", doi or ""),
        ("url", safe.doi_url(doi) or ""),
    ]
    key = re.sub(r"[^a-z0-9]", "", slug) + year
    body = ",\n".join(f"  {name:<12} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{key},\n{body}\n}}\n"
