"""The rule registry: every rule by ID.

Adding a rule: write ``hlsp/rules/<id>_<name>.py`` (copy a neighbour; its
docstring is the rule's text: summary, *Why:*, *How to fix:*, *Example:*), add its
module name to ``FILE_MODULES`` below (``WHOLE_MODULES`` for a rule about a
collection or a pull request as a whole), add a breaking and a passing example to
``tests/rules/test_<id>.py``, and run ``make docs`` to refresh ``docs/rules.md``.
"""

from __future__ import annotations

import functools
import importlib

from hlsp.errors import HlspError
from hlsp.findings import Category
from hlsp.rules._base import Rule

# Explicit, ordered: the order of these lists is the order of docs/rules.md.
# Rules about one file (scope "fits" or "file"): what `hlsp validate FILE` loads.
FILE_MODULES = (
    # filename
    "fn001_name_pattern",
    "fn002_name_characters",
    "fn003_name_length",
    "fn004_field_length",
    "fn005_version_format",
    "fn006_extension",
    "fn007_proj_id",
    "fn008_product_type",
    "fn009_vocabulary",
    # fits (FITS standard structure and syntax)
    "fs001_not_fits",
    "fs002_truncated",
    "fs003_end_card",
    "fs004_illegal_characters",
    "fs005_keyword_name",
    "fs006_mandatory_keywords",
    "fs007_value_syntax",
    "fs008_reserved_placement",
    "fs009_fill_area",
    "fs010_trailing_bytes",
    "fs011_duplicate_keywords",
    "fs012_reserved_value_types",
    "fs013_date_syntax",
    "fs014_wcsaxes_order",
    "fs015_table_columns",
    "fs016_null_values",
    "fs017_compression",
    "fs018_wcs_structure",
    "fs019_table_values",
    "fs020_reader_limit",
    # checksum
    "ck001_checksum",
    "ck002_datasum",
    "ck003_checksum_missing",
    "ck004_datasum_missing",
    # wcs
    "wc001_celestial_pair",
    "wc002_projection",
    "wc003_singular_matrix",
    "wc004_axis_units",
    # keywords (the archive's keyword profile)
    "kw001_required_keyword",
    "kw002_recommended_keyword",
    "kw003_suggested_keyword",
    "kw004_keyword_type",
    "kw005_date_format",
    "kw006_time_range",
    "kw007_coordinates",
    "kw008_doi",
    "kw009_reference",
    "kw010_license",
    "kw011_units",
    "kw012_multi_convention",
    "kw013_long_keyword_name",
    "kw014_name_consistency",
    "kw015_equinox_icrs",
    "kw016_longstrn",
    "kw017_catalog_columns",
    # data
    "da001_no_data",
    "da002_all_nan",
    "da003_empty_table",
)
# Rules about a contribution or a pull request as a whole (scope "collection" or
# "pull-request"), loaded only when needed (they import the metadata reader).
WHOLE_MODULES = (
    # metadata (hlsp.yaml of a contribution; scope="collection")
    "md001_metadata_unreadable",
    "md002_metadata_schema",
    "md003_orcid_check_digit",
    "md004_history_version",
    "md005_doi_pending",
    "md006_placeholder",
    # collection (a contribution folder as a whole; scope="collection")
    "co001_no_products",
    "co002_unsafe_path",
    "co003_url_refused",
    "co004_product_missing",
    "co005_size_mismatch",
    "co006_sha256_mismatch",
    "co007_unlisted_file",
    "co008_duplicate_name",
    "co009_id_version",
    "co010_readme",
    "co011_preview_missing",
    "co012_version_not_raised",
    "co013_version_changes",
    "co014_metadata_names",
    "co015_metadata_headers",
    # pull request (a whole PR: findings made by hlsp.gh.check; scope="pull-request")
    "gh001_outside_contributions",
    "gh002_contribution_removed",
    "gh003_symbolic_link",
)
MODULES = FILE_MODULES + WHOLE_MODULES


@functools.lru_cache(maxsize=1)
def all_rules() -> dict[str, Rule]:
    """Every rule by ID, in the order of ``MODULES``."""
    rules = file_rules()
    whole = _load(WHOLE_MODULES)
    if rules.keys() & whole.keys():
        raise RuntimeError(f"duplicate rule IDs {sorted(rules.keys() & whole.keys())}")
    return {**rules, **whole}


def file_rules() -> dict[str, Rule]:
    """The rules about one file (``FILE_MODULES``) by ID, without importing the others."""
    return _load(FILE_MODULES)


@functools.lru_cache(maxsize=None)
def _load(modules: tuple[str, ...]) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for name in modules:
        mod = importlib.import_module(f"hlsp.rules.{name}")
        rule: Rule = mod.RULE
        rule.doc = mod.__doc__ or ""
        rule.module = mod.__name__
        if rule.func is None:
            raise RuntimeError(f"{mod.__name__}: RULE has no @RULE.check function")
        if rule.id in rules:
            raise RuntimeError(f"duplicate rule ID {rule.id} in {mod.__name__}")
        if not name.startswith(rule.id.lower() + "_"):
            raise RuntimeError(f"{mod.__name__}: module name must start with the rule ID {rule.id}")
        about_a_file = rule.scope in ("fits", "file")
        if about_a_file != (name in FILE_MODULES):
            where = "FILE_MODULES" if about_a_file else "WHOLE_MODULES"
            raise RuntimeError(f"{mod.__name__}: a rule of scope {rule.scope!r} belongs in {where}")
        rules[rule.id] = rule
    return rules


def get_rule(rule_id: str) -> Rule:
    rules = all_rules()
    key = rule_id.upper()
    if key in rules:
        return rules[key]
    for r in rules.values():
        if r.name == rule_id.lower():
            return r
    raise HlspError(f"no rule {rule_id!r}; `hlsp rules` lists them all")


def select_rules(select: list[str] | None = None, ignore: list[str] | None = None) -> list[Rule]:
    """Rules matching ``select`` (IDs, ID prefixes, names or categories) minus ``ignore``."""
    rules = list(all_rules().values())
    categories = {c.value for c in Category}

    def matches(rule: Rule, token: str) -> bool:
        t = token.strip()
        if not t:
            return False
        if t.lower() in categories:
            return rule.category.value == t.lower()
        return rule.id.startswith(t.upper()) or rule.name == t.lower()

    def check_tokens(tokens: list[str]) -> None:
        for t in tokens:
            if not any(matches(r, t) for r in rules):
                raise HlspError(f"{t!r} matches no rule ID, rule name or category; `hlsp rules` lists them")

    if select:
        check_tokens(select)
        rules = [r for r in rules if any(matches(r, t) for t in select)]
    if ignore:
        check_tokens(ignore)
        rules = [r for r in rules if not any(matches(r, t) for t in ignore)]
    return rules
