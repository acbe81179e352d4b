"""Read the world coordinate systems of a header, in pure Python, for the WC rules.

``astropy.wcs.WCS(header)`` (WCSLIB) would do, but building it costs far more
than reading the header; the rules run on every HDU of every file.  This
module reproduces the decisions of WCSLIB's ``wcs_types`` and ``linset`` that
the rules need -- how a ``CTYPEia`` is classified, which celestial axes pair
up, and whether the linear transformation can be inverted -- and
``tests/rules/test_wc*.py`` compare its verdicts with astropy.wcs.

Each HDU may hold the primary WCS (``CTYPE1``) and alternates ``A``-``Z``
(``CTYPE1A``).  Table HDUs' pixel-list keywords (``TCTYPn``, ``iCTYPn``) have
other names and are not read.
"""

from __future__ import annotations

import functools
import math
import re

from hlsp.judge import HduView
from hlsp.rules._util import is_int, is_number

# FITS WCS Paper II (Calabretta & Greisen 2002) projection codes, plus HEALPix
# (HPX, XPH) as WCSLIB knows them.
PROJECTIONS = frozenset(
    "AZP SZP TAN STG SIN ARC ZPN ZEA AIR CYP CEA CAR MER SFL PAR MOL AIT "
    "COP COE COD COO BON PCO TSC CSC QSC HPX XPH".split()
)
# Codes WCSLIB also accepts: obsolete AIPS ones (NCP, GLS) and distortion
# conventions (TPV, TPU, TNX, ZPX).
PROJECTION_ALIASES = frozenset("NCP GLS TPU TPV TNX ZPX".split())

# Spectral types (FITS WCS Paper III) and the basic type each is linear in.
_SPECTRAL = {t: "F" for t in ("FREQ", "AFRQ", "ENER", "WAVN", "VRAD")}
_SPECTRAL.update({t: "W" for t in ("WAVE", "VOPT", "ZOPT")})
_SPECTRAL.update(AWAV="A", VELO="V", BETA="V")
SPECTRAL_TYPES = frozenset(_SPECTRAL)
# AIPS spectral forms ("VELO-LSR", "FELO-HEL") that WCSLIB translates.
_AIPS_TYPES = ("FREQ", "VELO", "FELO")
_AIPS_FRAMES = ("LSR", "HEL", "OBS")

_KEY = re.compile(
    r"(?:(?P<stem>CTYPE|CUNIT|CRPIX|CRVAL|CDELT|CROTA)(?P<i>[0-9]+)|(?P<mstem>PC|CD)(?P<mi>[0-9]+)_(?P<mj>[0-9]+))"
    r"(?P<alt>[A-Z]?)\Z"
)


_AXIS_KW = re.compile(r"(CTYPE|CUNIT|CRPIX|CRVAL|CDELT|CROTA|CRDER|CSYER|CNAME|PV|PS)([0-9]+)")
_MATRIX_KW = re.compile(r"(PC|CD)([0-9]+)_([0-9]+)")


@functools.lru_cache(maxsize=4096)
def wcs_indices(keyword: str) -> tuple[str, tuple[int, ...], str] | None:
    """(prefix, axis numbers, alternate suffix) of an indexed WCS keyword, else None.

    ``CRPIX1A`` -> ("CRPIX", (1,), "A"); ``PC1_2`` -> ("PC", (1, 2), "");
    ``PV2_1`` -> ("PV", (2,), "_1") (only its axis counts).  A pure function of
    the keyword, cached here (not in the rules): FS014 and FS018 ask per card.
    """
    m = _MATRIX_KW.match(keyword)
    if m:
        return m.group(1), (int(m.group(2)), int(m.group(3))), keyword[m.end() :]
    m = _AXIS_KW.match(keyword)
    if m:
        return m.group(1), (int(m.group(2)),), keyword[m.end() :]
    return None


class Axis:
    """One axis of a WCS, classified as WCSLIB does."""

    __slots__ = ("number", "ctype", "kind", "algorithm", "code", "prefix")

    def __init__(
        self,
        number: int,  # 1-based
        ctype: str,  # as written ("" when absent)
        kind: str = "linear",  # linear|stokes|cubeface|spectral|lon|lat|bad-code|bad-celestial
        algorithm: bool = False,  # in "4-3" form (e.g. RA---TAN, WAVE-F2W): non-linear
        code: str = "",  # the projection / algorithm code of a "4-3" form
        prefix: str = "",  # the first four characters of a "4-3" form ("RA--", "GLON")
    ):
        self.number = number
        self.ctype = ctype
        self.kind = kind
        self.algorithm = algorithm
        self.code = code
        self.prefix = prefix

    @property
    def celestial(self) -> bool:
        return self.kind in ("lon", "lat")


def classify(ctype: str) -> Axis:
    """Classify one CTYPE value (without the axis number; see :class:`Axis`)."""
    ax = Axis(0, ctype)
    c = ctype
    if len(c) > 8:
        # A distortion suffix ("RA---TAN-SIP") or anything after the 8th character is
        # not part of the axis type; after a dash there, trailing dashes go too ("RA-------SIP").
        c = (c[:8].rstrip("-") or c[:1]) if c[8] == "-" else c[:8]
    if c[4:] in ("-LOG", "-TAB"):  # logarithmic / tabular: the type is what precedes
        c = c[:4].rstrip("-")
    if c[:4] in _AIPS_TYPES and c[4:5] == "-" and c[5:] in _AIPS_FRAMES:
        ax.kind, ax.algorithm = "spectral", c.startswith("FELO")
        return ax
    if not (len(c) == 8 and c[4] == "-"):
        if c == "STOKES":
            ax.kind = "stokes"
        elif c == "CUBEFACE":
            ax.kind = "cubeface"
        elif c == "RA" or c[1:] == "LON" or c[2:] == "LN":
            ax.kind = "lon"
        elif c == "DEC" or c[1:] == "LAT" or c[2:] == "LT":
            ax.kind = "lat"
        elif c in _SPECTRAL:
            ax.kind = "spectral"
        return ax
    ax.algorithm, ax.prefix, ax.code = True, c[:4], c[5:8]
    if _is_spectral_algorithm(c[:4].rstrip("-"), ax.code):
        ax.kind = "spectral"
    elif ax.code not in PROJECTIONS and ax.code not in PROJECTION_ALIASES:
        ax.kind = "bad-code"
    else:
        ax.kind = celestial_prefix(ax.prefix) or "bad-celestial"
    return ax


def _is_spectral_algorithm(stype: str, code: str) -> bool:
    basic = _SPECTRAL.get(stype)
    if basic is None:
        return False
    if code in ("GRI", "GRA"):  # grism dispersion
        return True
    return len(code) == 3 and code[1] == "2" and code[0] in "FWAV" and code[2] == basic


def celestial_prefix(prefix: str) -> str | None:
    """``lon``/``lat`` for a four-character celestial type (RA--, DEC-, GLON, HPLT ...), else None."""
    if prefix == "RA--" or prefix[1:] == "LON" or prefix[2:] == "LN":
        return "lon"
    if prefix == "DEC-" or prefix[1:] == "LAT" or prefix[2:] == "LT":
        return "lat"
    return None


def complement(prefix: str) -> str:
    """The partner of a celestial type: RA-- <-> DEC-, GLON <-> GLAT, HPLN <-> HPLT."""
    if prefix == "RA--":
        return "DEC-"
    if prefix == "DEC-":
        return "RA--"
    if prefix[1:] in ("LON", "LAT"):
        return prefix[0] + ("LAT" if prefix[1:] == "LON" else "LON")
    return prefix[:2] + ("LT" if prefix[2:] == "LN" else "LN")


class WcsSet:
    """One coordinate description of an HDU: the primary (alt "") or an alternate (alt "A".."Z")."""

    __slots__ = ("index", "alt", "naxis", "cards", "axes")

    def __init__(
        self,
        index: int | None,  # the HDU's
        alt: str,
        naxis: int,
        cards: dict[str, object] | None = None,  # keyword -> value (valid values of _VALUES_KEPT only)
        axes: list[Axis] | None = None,
    ):
        self.index = index
        self.alt = alt
        self.naxis = naxis
        self.cards = {} if cards is None else cards
        self.axes = [] if axes is None else axes

    def key(self, stem: str, i: int, j: int | None = None) -> str:
        return f"{stem}{i}_{j}{self.alt}" if j is not None else f"{stem}{i}{self.alt}"

    @property
    def label(self) -> str:
        return f"alternate WCS '{self.alt}'" if self.alt else "the WCS"

    def number(self, keyword: str, default: float) -> float:
        value = self.cards.get(keyword)
        return float(value) if is_number(value) else default


def _key_parts(keyword: str) -> tuple[str, int] | None:
    """(alternate, highest axis number) of a WCS keyword (``CRPIX2A``, ``PC1_2``), else None.

    A pure function of the keyword, asked once per distinct keyword (``HduView.keyword_facts``).
    """
    if keyword[:1] not in ("C", "P"):
        return None
    m = _KEY.match(keyword)
    if not m:
        return None
    return m["alt"], int(m["i"]) if m["i"] else max(int(m["mi"]), int(m["mj"]))


# The keywords whose values the WC rules read (types, units, the linear
# transformation); CRPIXi/CRVALi/CROTAi only count for the axes and alternates
# present.  Values are read only for these, so that the verdicts of files that
# differ only in where they point are reused (hlsp.judge).
_VALUES_KEPT = ("CTYPE", "CUNIT", "CDELT", "PC", "CD")


def wcs_sets(hdu: HduView) -> tuple[WcsSet, ...]:
    """Every WCS the header of ``hdu`` describes (those with at least one WCS keyword with a value).

    Worked out once per HDU for all the rules that ask (``HduView.shared``): do not modify them."""
    return hdu.shared(_wcs_sets)


def _wcs_sets(hdu: HduView) -> tuple[WcsSet, ...]:
    found: dict[str, dict[str, object]] = {}
    highest: dict[str, int] = {}
    vtypes = hdu.value_types()
    layout = hdu.layout
    for pos, parts in enumerate(hdu.keyword_facts(_key_parts)):
        if parts is None or vtypes[pos] == "none":
            continue  # not a WCS keyword, or no value indicator
        keyword = layout[pos]
        alt, top = parts
        cards = found.setdefault(alt, {})
        if keyword not in cards and vtypes[pos] not in ("undefined", "invalid") and keyword.startswith(_VALUES_KEPT):
            cards[keyword] = hdu.card_at(pos).value
        highest[alt] = max(highest.get(alt, 0), top)
    out = []
    h = hdu
    declared = h.get("ZNAXIS") if hdu.is_compressed_image else h.get("NAXIS")
    declared = declared if is_int(declared) and 0 <= declared <= 999 else 0
    for alt in sorted(found):
        wcsaxes = h.get(f"WCSAXES{alt}")
        naxis = wcsaxes if is_int(wcsaxes) and 0 < wcsaxes <= 999 else max(declared, highest[alt])
        ws = WcsSet(hdu.index, alt, naxis, found[alt])
        for i in range(1, naxis + 1):
            ctype = ws.cards.get(ws.key("CTYPE", i))
            ax = classify(ctype if isinstance(ctype, str) else "")
            ax.number = i
            ws.axes.append(ax)
        out.append(ws)
    return tuple(out)


# ------------------------------------------------------------ linear transformation
def matrix_problem(ws: WcsSet) -> tuple[str, str] | None:
    """Why the pixel-to-world matrix cannot be inverted, as (keyword, message); None if it can.

    As WCSLIB: PCi_j (times CDELTi) takes precedence over CDi_j, which takes
    precedence over CROTAi; missing PC elements default to the unit matrix,
    missing CD elements to 0 -- except that an axis with no CD element at all
    gets CDi_i = 1 (WCSLIB's ``cdfix``, applied by astropy), as 3-D cubes with a
    2-D CD matrix rely on.
    """
    n = ws.naxis
    pc: dict[tuple[int, int], float] = {}
    cd: dict[tuple[int, int], float] = {}
    has_pc = has_cd = False
    for kw, value in ws.cards.items():
        element = _matrix_element(kw)
        if element is None:
            continue
        stem, i, j = element
        has_pc = has_pc or stem == "PC"
        has_cd = has_cd or stem == "CD"
        if is_number(value) and 1 <= i <= n and 1 <= j <= n:
            (pc if stem == "PC" else cd)[(i, j)] = float(value)
    use_cd = has_cd and not has_pc
    if not use_cd:
        for i in range(1, n + 1):
            if ws.number(ws.key("CDELT", i), 1.0) == 0.0:
                return ws.key("CDELT", i), f"{ws.key('CDELT', i)} = 0: axis {i} has no pixel scale"
    # The whole n x n matrix, as WCSLIB's linset() builds it: CDELTi x PCi_j (missing
    # PC elements from the unit matrix), or CDi_j (missing ones 0, then cdfix).
    if not use_cd:  # WCSLIB divides by CDELTi through its reciprocal: that must be finite
        for i in range(1, n + 1):
            scale = ws.number(ws.key("CDELT", i), 1.0)
            if not math.isfinite(1.0 / scale):
                return ws.key("CDELT", i), (
                    f"{ws.key('CDELT', i)} = {scale!r} is too small to invert: world coordinates cannot be "
                    "converted back to pixels"
                )
    if not (cd if use_cd else pc):
        return None  # CDELT alone: a diagonal matrix, not inverted
    full = []
    for i in range(1, n + 1):
        if use_cd:
            full.append([cd.get((i, j), 0.0) for j in range(1, n + 1)])
        else:
            scale = ws.number(ws.key("CDELT", i), 1.0)
            full.append([scale * pc.get((i, j), 1.0 if i == j else 0.0) for j in range(1, n + 1)])
    if use_cd:  # cdfix: an axis whose whole row and column are zero gets 1 on the diagonal
        for k in range(n):
            if not any(full[k]) and not any(r[k] for r in full):
                full[k][k] = 1.0
    stem = "CD" if use_cd else "PC"
    involved = sorted({i for ij in (cd if use_cd else pc) for i in ij})
    for i in range(1, n + 1):
        if not any(full[i - 1]):
            return ws.key(stem, i, i), f"row {i} of the {stem} matrix is zero: world axis {i} depends on no pixel axis"
    unit = [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]
    matrix = (
        full if use_cd else [[pc.get((i, j), 1.0 if i == j else 0.0) for j in range(1, n + 1)] for i in range(1, n + 1)]
    )
    if matrix == unit:
        return None  # WCSLIB's "unity" case: pixel = x / CDELTi, no inversion
    if _singular(full):
        names = ", ".join(str(i) for i in involved) if involved else ", ".join(str(i) for i in range(1, n + 1))
        return ws.key(stem, involved[0], involved[0]), (
            f"the {stem}{'i_j' if use_cd else 'i_j x CDELTi'} matrix of axes {names} is singular: "
            "its rows are not independent, so world coordinates cannot be converted "
            "back to pixels"
        )
    return None


@functools.lru_cache(maxsize=4096)
def _matrix_element(keyword: str) -> tuple[str, int, int] | None:
    """(PC or CD, i, j) of a matrix keyword such as ``PC1_2A``, else None (cached: asked per keyword)."""
    m = _KEY.match(keyword)
    if not m or not m["mstem"]:
        return None
    return m["mstem"], int(m["mi"]), int(m["mj"])


def _singular(rows: list[list[float]]) -> bool:
    """Whether WCSLIB cannot use the inverse of ``rows``: as its ``matinv()`` does, an LU
    factorization with scaled partial pivoting that meets a zero row or an exactly zero
    pivot, or an inverse with an infinite or NaN element (a matrix of subnormal numbers,
    rows equal up to the last bits): astropy.wcs then refuses the header or returns
    NaN for every sky-to-pixel conversion.  Nearly dependent rows whose inverse is
    finite are accepted, as astropy accepts them (tests/rules/test_wc_fuzz.py)."""
    n = len(rows)
    lu = [list(r) for r in rows]
    rowmax = [max(abs(x) for x in r) for r in lu]
    if not all(rowmax):
        return True
    perm = list(range(n))
    for k in range(n):
        pivot, colmax = k, abs(lu[k][k]) / rowmax[k]
        for i in range(k + 1, n):
            dx = abs(lu[i][k]) / rowmax[i]
            if dx > colmax:
                pivot, colmax = i, dx
        if pivot > k:
            lu[k], lu[pivot] = lu[pivot], lu[k]
            rowmax[k], rowmax[pivot] = rowmax[pivot], rowmax[k]
            perm[k], perm[pivot] = perm[pivot], perm[k]
        if lu[k][k] == 0.0:
            return True
        for i in range(k + 1, n):
            if lu[i][k] != 0.0:
                lu[i][k] /= lu[k][k]
                for j in range(k + 1, n):
                    lu[i][j] -= lu[i][k] * lu[k][j]
    for col in range(n):  # each column of the inverse: forward, then back substitution
        x = [1.0 if perm[i] == col else 0.0 for i in range(n)]
        for i in range(n):
            for j in range(i):
                x[i] -= lu[i][j] * x[j]
        for i in reversed(range(n)):
            for j in range(i + 1, n):
                x[i] -= lu[i][j] * x[j]
            x[i] /= lu[i][i]
        if not all(math.isfinite(v) for v in x):
            return True
    return False
