"""hlsp rules [ID] -- list the rules, or explain one."""

from __future__ import annotations

import argparse

from hlsp.rules import all_rules, get_rule


def add_parser(sub, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(
        name,
        help="list the rules, or explain one",
        description="List every rule, or explain one: what, why, how to fix, source.",
    )
    p.add_argument("rule", nargs="?", metavar="ID", help="a rule ID (FS006) or name (mandatory-keywords)")
    p.add_argument("--markdown", action="store_true", help="print the rules reference page (docs/rules.md)")
    return p


def run(args: argparse.Namespace) -> int:
    if args.markdown:
        from hlsp.docs import rules_markdown

        print(rules_markdown(), end="")
        return 0
    if args.rule:
        print(get_rule(args.rule).describe())
        return 0
    for r in all_rules().values():
        print(f"{r.id}  {r.severity.value:<7}  {r.category.value:<10}  {r.name:<26}  {r.summary}")
    return 0
