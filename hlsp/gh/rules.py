"""Rules about a pull request as a whole (GH001-GH003).

Each is defined, like every rule, in its own module ``hlsp/rules/gh00N_*.py``
(registered, explained by ``hlsp rules GH001``, listed in ``docs/rules.md``);
their findings are made by :mod:`hlsp.gh.check`, which sees the whole pull
request: the files it changes, its labels, the folders it adds.
"""

from __future__ import annotations

from hlsp.rules.gh001_outside_contributions import RULE as OUTSIDE
from hlsp.rules.gh002_contribution_removed import RULE as DELETED
from hlsp.rules.gh003_symbolic_link import RULE as SYMLINK

MAINTENANCE_LABELS = ("maintenance",)

RULES = [OUTSIDE, DELETED, SYMLINK]
