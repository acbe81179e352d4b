"""Make contributor text safe to put in a web page.

Everything in ``hlsp.yaml`` was written by a contributor, so the site treats
it as text: jinja2 autoescapes it, and only three kinds of link are ever made
from it (anything else is shown as plain text, never as a link):

- ``https://`` URLs (no other scheme; no user name or password part);
- DOIs (``10.xxxx/...``, also written ``doi:10...`` or ``https://doi.org/10...``),
  linked to https://doi.org/;
- ADS bibcodes (``2020AJ....160..123X``), linked to the ADS abstract page.

JSON-LD goes inside a ``<script>`` element, where HTML escaping does not
apply; :func:`json_ld` escapes ``<``, ``>`` and ``&`` as JSON ``\\u`` escapes so
no string can close the element.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, urlsplit

from markupsafe import Markup

ADS_ABS = "https://ui.adsabs.harvard.edu/abs/"
DOI_ORG = "https://doi.org/"
ORCID_ORG = "https://orcid.org/"
MAX_URL = 2000

# Crossref's recommended pattern for modern DOIs.
DOI_RE = re.compile(r"10\.\d{4,9}/[-._;()/:A-Za-z0-9]+\Z")
# A bibcode is 19 characters: year, journal, volume, section, page, initial.
BIBCODE_RE = re.compile(r"\d{4}[A-Za-z0-9&.]{14}[A-Za-z.]\Z")
ORCID_RE = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[0-9X]\Z")
# Characters that never belong in a URL we pass on (controls, blanks, quotes, angle
# brackets, backslash, lone surrogates).
_BAD_URL_CHARS = re.compile("[\x00-\x20\x7f-\x9f\"'<>\\\\`{}|^\ud800-\udfff\ufffe\uffff]")
_DOI_PREFIXES = ("doi:", "https://doi.org/", "https://dx.doi.org/", "http://doi.org/", "http://dx.doi.org/")


def as_doi(value: Any) -> str | None:
    """The bare DOI (``10.xxxx/...``) in ``value``, or None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    for prefix in _DOI_PREFIXES:
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
            break
    return text if DOI_RE.match(text) else None


def doi_url(value: Any) -> str | None:
    doi = as_doi(value)
    return DOI_ORG + quote(doi, safe="/:;()._-") if doi else None


def ads_url(value: Any) -> str | None:
    if isinstance(value, str) and BIBCODE_RE.match(value.strip()):
        return ADS_ABS + quote(value.strip(), safe=".")
    return None


def orcid_url(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.startswith(ORCID_ORG):
        text = text[len(ORCID_ORG) :]
    return ORCID_ORG + text if ORCID_RE.match(text) else None


def https_url(value: Any) -> str | None:
    """``value`` if it is a plain https URL with a host, else None."""
    if not isinstance(value, str) or len(value) > MAX_URL or _BAD_URL_CHARS.search(value):
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises ValueError for a malformed port
    except ValueError:
        return None
    if parts.scheme != "https" or not parts.hostname or "@" in parts.netloc:
        return None
    return value


def safe_url(value: Any) -> str | None:
    """The link for a contributor-written reference or URL, or None (show as text).

    DOIs and bibcodes become doi.org / ADS links; https URLs pass unchanged.
    """
    return doi_url(value) or ads_url(value) or https_url(value)


# Characters HTML does not allow in text (controls, lone surrogates, noncharacters):
# YAML escapes such as "\\0" or "\\udce9" can put them in hlsp.yaml.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def clean_text(value: str) -> str:
    """``value`` with characters that cannot appear in an HTML page replaced by U+FFFD."""
    return _NOT_TEXT.sub("\ufffd", value)


_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}
_JSON_ESCAPE_RE = re.compile("[<>&]")


def json_ld(data: Any) -> Markup:
    """JSON text that is safe inside ``<script type="application/ld+json">``.

    ``<``, ``>`` and ``&`` only ever occur inside JSON strings, where the
    ``\\u`` escapes mean the same characters, so the result parses to ``data``.
    """
    text = json.dumps(data, ensure_ascii=True, indent=1, default=str)  # also escapes U+2028, surrogates
    return Markup(_JSON_ESCAPE_RE.sub(lambda m: _JSON_ESCAPES[m.group()], text))
