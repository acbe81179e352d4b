"""Observatory, instrument or filter not in the vocabulary, or an instrument/filter of
another observatory.

Each of the three fields is looked up in the archive's vocabulary
(``validators/vocab/observatories.yaml``; aliases such as ``eso-vista``
count).  Several values are joined with ``-`` (``hst-jwst``, ``f606w-f814w``)
and each is checked; ``multi`` is always accepted.  Beyond the official MAST
checker, which only checks flattened lists (so ``..._jwst_wfc3_...`` passes
there), the instrument must belong to one of the named observatories and the
filter to one of the named instruments.

*Why:* the archive builds its search facets from these fields.  A new value
is possible but needs a reviewer's approval: warning, not error.

*How to fix:* Check the spelling and combination, or ask the archive to add the value to
validators/vocab/observatories.yaml.

Correct the spelling or the combination, or ask the archive to add the value to
``validators/vocab/observatories.yaml``. Fields other than the target should start with
a letter unless the vocabulary lists the value (``2mass``); the message notes it.

*Example (file name):* fails::

    hlsp_demo_jwst_wfc3_m31_f814w_v1_img.fits

fixed::

    hlsp_demo_hst_wfc3_m31_f814w_v1_img.fits
"""

from __future__ import annotations

from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.rules._util import split_values, vocab_index

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only (typing costs ~4 ms to import at every start)
    from typing import Iterator

    from hlsp.profiles import Vocabulary

RULE = Rule(
    id="FN009",
    name="vocabulary",
    category=Category.FILENAME,
    severity=Severity.WARNING,
    source="MAST File Naming Convention; mast_contributor_tools filename_check (oif.yaml); HLSP-RULES sec. 1",
    scope="file",
)

MULTI = "multi"


def _unknown(label: str, value: str) -> str:
    note = "" if value[:1].isalpha() else " (and it does not start with a letter, as name fields should)"
    return f"the {label} '{value}' is not in the vocabulary{note}"


@RULE.check
def check(ctx: FileContext):
    fields = ctx.name.fields
    if fields is None or ctx.vocab is None:
        return
    for message in _problems(ctx.vocab, fields["observatory"], fields["instrument"], fields["opt_elem"]):
        yield RULE.finding(message)


def _problems(vocab: Vocabulary, observatory: str, instrument: str, opt_elem: str) -> Iterator[str]:
    """Yield the problems of the three fields, in the order they are reported."""
    index = vocab_index(vocab)
    tree = vocab.observatories  # observatory -> {instrument -> filters}

    obs_values, obs_bad = split_values(observatory.lower(), index.observatories)
    for value in obs_bad:
        yield _unknown("observatory", value)
    observatories = [vocab.aliases.get(v, v) for v in obs_values if v in index.observatories]
    # The named observatories restrict the instruments only when all of them are known.
    restrict = bool(observatories) and not obs_bad and MULTI not in observatories

    inst_values, inst_bad = split_values(instrument.lower(), index.instruments)
    for value in inst_bad:
        yield _unknown("instrument", value)
    instruments = [v for v in inst_values if v in index.instruments and v != MULTI]
    for inst in instruments:
        if restrict and not any(inst in tree.get(o, {}) for o in observatories):
            yield f"the instrument '{inst}' is not an instrument of {'/'.join(observatories)} in the vocabulary"

    # Filters allowed: those of the named instruments (under the named observatories
    # when that combination exists), else those of the named observatories.
    if instruments and not inst_bad and MULTI not in inst_values:
        allowed: set[str] = set()
        for inst in instruments:
            owners = [o for o in observatories if inst in tree.get(o, {})] if restrict else []
            for o in owners or [o for o in tree if inst in tree[o]]:
                allowed |= tree[o][inst]
        where = "/".join(instruments)
    elif restrict:
        allowed = {f for o in observatories for fs in tree.get(o, {}).values() for f in fs}
        where = "/".join(observatories)
    else:
        allowed, where = set(index.filters), ""
    filt_values, filt_bad = split_values(opt_elem.lower(), index.filters)
    for value in filt_bad:
        yield _unknown("filter (opt-elem)", value)
    for value in filt_values:
        if value in index.filters and value != MULTI and value not in allowed:
            yield f"the filter (opt-elem) '{value}' is not a filter of {where} in the vocabulary"
