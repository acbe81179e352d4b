"""The file name has upper case, illegal or non-ASCII characters, an empty field, or
'.'/'+' where not allowed.

File names use lower-case ``a-z``, digits and ``-`` only; ``_`` separates the
fields; ``.`` may appear only in the target, the version and before the
extension; ``+`` only in the target.  A value of the archive's vocabulary is
accepted as it is written there (``magellan.clay``, ``g.mp9401``).

*Why:* the archive's file system, URLs and database keys are built from these
names; upper case, blanks, non-ASCII bytes or stray dots break them or make
two names that differ only in case.

*How to fix:* Use only a-z, 0-9 and '-' in fields, '_' between fields; '.' only in
target/version/extension, '+' only in the target.

Rename the file: lower-case it, replace blanks and other characters with ``-``, and
remove doubled ``_``. (A field that starts with a digit is allowed only in the target;
FN008/FN009 note it for the others.)

*Example (file name):* fails::

    hlsp_demo_HST_acs_m31_f814w_v1_img.fits

fixed::

    hlsp_demo_hst_acs_m31_f814w_v1_img.fits
"""

from hlsp.names import FIELD_LABELS
from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.rules._util import split_values, vocab_index

RULE = Rule(
    id="FN002",
    name="name-characters",
    category=Category.FILENAME,
    severity=Severity.ERROR,
    source="MAST File Naming Convention; HLSP-RULES sec. 1",
    scope="file",
)

_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_-.+")


def _chars(chars: list[str]) -> str:
    return ", ".join(repr(c) for c in dict.fromkeys(chars))


@RULE.check
def check(ctx: FileContext):
    name = ctx.name
    if not name.is_hlsp:
        return
    text = name.filename
    if not _ALLOWED.issuperset(text):  # a name of allowed characters only needs none of these checks
        yield from _character_findings(text)
    if "" in name.parts:
        yield RULE.finding("the name has an empty field: a doubled '_', or '_' at the start or before the extension")
    yield from _field_punctuation(ctx)


def _character_findings(text: str):
    undecodable = [c for c in text if "\udc80" <= c <= "\udcff"]
    if undecodable:
        yield RULE.finding(f"the name holds {len(undecodable)} byte(s) that are not valid UTF-8")
    non_ascii = [c for c in text if ord(c) > 127 and c not in undecodable]
    if non_ascii:
        yield RULE.finding(f"the name holds non-ASCII characters: {_chars(non_ascii)}")
    upper = [c for c in text if "A" <= c <= "Z"]
    if upper:
        yield RULE.finding(f"the name has upper-case letters ({_chars(upper)}); names must be lower case")
    illegal = [c for c in text if ord(c) <= 127 and c.lower() not in _ALLOWED]
    if illegal:
        yield RULE.finding(f"the name holds characters that are not allowed: {_chars(illegal)}")


def _field_punctuation(ctx: FileContext):
    """'.' and '+' inside fields (only where the field position is known)."""
    name = ctx.name
    if name.fields is not None:
        fields = name.fields
    elif name.is_readme:
        fields = {"proj_id": name.parts[1]}
    else:
        return
    index = vocab_index(ctx.vocab) if ctx.vocab is not None else None
    known = {
        "observatory": index.observatories if index else frozenset(),
        "instrument": index.instruments if index else frozenset(),
        "opt_elem": index.filters if index else frozenset(),
    }
    for field, value in fields.items():
        value = value.lower()
        label = FIELD_LABELS[field]
        if "+" in value and field != "target":
            yield RULE.finding(f"the {label} field '{value}' holds '+'; '+' is allowed only in the target")
        if "." in value and field not in ("target", "version"):
            values, _ = split_values(value, known.get(field, frozenset()))
            dotted = [v for v in values if "." in v and v not in known.get(field, frozenset())]
            if dotted:
                yield RULE.finding(
                    f"the {label} field '{value}' holds '.'; '.' is allowed only in the target, the version "
                    "and before the extension"
                )
