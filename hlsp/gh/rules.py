"""Rules about a pull request as a whole (GH001-GH003).

Each is defined, like every rule, in its own module ``hlsp/rules/gh00N_*.py``
(registered, explained by ``hlsp rules GH001``, listed in ``docs/rules.md``),
and judges there a :class:`~hlsp.rules._base.PullRequestContext`: the facts
:mod:`hlsp.gh.check` gathers from git (the files the pull request changes, its
labels, the git mode of every file of the contributions it keeps).
"""

from __future__ import annotations

from hlsp.rules.gh001_outside_contributions import MAINTENANCE_LABELS
from hlsp.rules.gh001_outside_contributions import RULE as OUTSIDE
from hlsp.rules.gh002_contribution_removed import RULE as DELETED
from hlsp.rules.gh003_symbolic_link import RULE as SYMLINK

__all__ = ["MAINTENANCE_LABELS", "OUTSIDE", "DELETED", "SYMLINK", "RULES"]

RULES = [OUTSIDE, DELETED, SYMLINK]
