#!/usr/bin/env python3
"""Findings of a fixed corpus, to show that a refactoring changes no finding.

    python benchmarks/findings_corpus.py --out /tmp/before.json     # on the old code
    python benchmarks/findings_corpus.py --out /tmp/after.json      # on the new code
    python benchmarks/findings_corpus.py --compare /tmp/before.json # run, then diff against it

The corpus (built in ``--work``, default a folder in the system temp dir, with
fixed names so that two runs report the same paths):

* ``parity/``: every case of the crafted fitsverify parity corpus
  (``tests/fits/test_fitsverify_parity.py``, bytes from ``tests/fitsgen.py``);
* ``realdata``: the real files of ``../shared/realdata`` (skipped when absent);
* ``example/``: a copy of the example collection ``contributions/example``
  (validated as a collection: hlsp.yaml result, then its products);
* ``mutants/``: seeded variants of the files above in which one or more header
  cards get another value *in place* -- the keyword layout stays, the values
  change.  Files that share a layout but differ in values are what a wrong
  memo key gets wrong, so they follow each other here.

The corpus is written once (``--rebuild`` to write it again): some parity
cases are written by astropy, which puts the time in them.  Every file is
validated in one process, under several option sets, forward
and then in reverse order (so memoised verdicts of one file meet every other
file).  The output is one JSON document (paths relative to the corpus roots);
two runs are compared byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REALDATA = ROOT.parent / "shared" / "realdata"
EXAMPLE = ROOT / "contributions" / "example"

# Values a mutant card may get (columns 11-80): each a plausible cause of a finding.
VALUES = [
    "'nobody'",
    "T",
    "F",
    "1.5e3",
    "",
    "'2020-02-30'",
    "'2020-01-01 00:00:00'",
    "'2020-01-01T00:00:00Z'",
    "0",
    "-1",
    "8",
    "'e-/s'",
    "'ICRS'",
    "2000.0",
    "'   '",
    "'300'",
    "300",
    "(1.0, 2.0)",
    "'IMAGE   '",
    "abc",
    "'J '",
    "'RA---TAN'",
    "'DEC--TAN'",
    "3",
    "'TIME'",
    "0.0",
]

OPTION_SETS = {
    "default": {},
    "product-type-image": {"product_type": "image"},
    "expected": {"expected": {"proj_id": "example", "version": "v1"}},
    "select-fs-kw-wc": {"select": ["FS", "KW", "WC"]},
    "ignore-fs006-kw004": {"ignore": ["FS006", "KW004"]},
}


def build_parity(folder: Path) -> list[Path]:
    sys.path[:0] = [str(ROOT / "tests" / "fits"), str(ROOT / "tests")]
    import test_fitsverify_parity as parity

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for case in parity.CASES:
        sub = folder / case.name
        sub.mkdir(exist_ok=True)
        out.append(case.build(sub))
    return out


def header_cards(data: bytes) -> list[int]:
    """Offsets of the value cards ("KEYWORD = ") of every header in ``data`` (uncompressed files only)."""
    offsets = []
    pos = 0
    while pos + 2880 <= len(data):
        block = data[pos : pos + 2880]
        if not (block.startswith(b"SIMPLE  =") or block.startswith(b"XTENSION=")):
            pos += 2880
            continue
        end = None
        p = pos
        while p + 80 <= len(data):
            card = data[p : p + 80]
            if card.startswith(b"END     ") or card == b"END".ljust(80):
                end = p
                break
            if card[8:10] == b"= " and card[:8].strip() not in (b"SIMPLE", b"XTENSION"):
                offsets.append(p)
            p += 80
        if end is None:
            break
        pos = end + 80
        pos += -pos % 2880
    return offsets


def build_mutants(sources: list[Path], folder: Path, per_file: int, seed: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    out = []
    for src in sources:
        data = src.read_bytes()
        if src.suffix in (".gz", ".bz2") or len(data) > 8_000_000:
            continue
        offsets = header_cards(data)
        if not offsets:
            continue
        for k in range(per_file):
            buf = bytearray(data)
            for _ in range(rng.choice((1, 1, 2, 3))):
                at = rng.choice(offsets)
                buf[at + 10 : at + 80] = rng.choice(VALUES).ljust(70).encode("ascii")[:70]
            path = folder / f"{src.stem}.m{k}.fits"
            path.write_bytes(bytes(buf))
            out.append(path)
    return out


def build(work: Path, per_file: int, seed: int) -> None:
    """Write the corpus into ``work`` (some parity cases are written by astropy with the time in them:
    build once, then compare runs on the same bytes)."""
    if work.exists():
        shutil.rmtree(work)
    parity = build_parity(work / "parity")
    real = sorted(p for p in REALDATA.glob("*") if p.is_file() and p.name != "INDEX.md") if REALDATA.is_dir() else []
    # a copy outside git: the collection's comparison with the base branch would follow the branch
    example = work / "example"
    shutil.copytree(EXAMPLE, example)
    build_mutants(parity + real + sorted(example.glob("*.fits")), work / "mutants", per_file, seed)


def run(work: Path) -> dict:
    from hlsp.engine import Options, iter_validate

    parity = sorted(p for p in (work / "parity").rglob("*") if p.is_file())
    real = sorted(p for p in REALDATA.glob("*") if p.is_file() and p.name != "INDEX.md") if REALDATA.is_dir() else []
    mutants = sorted((work / "mutants").glob("*"))
    roots = {str(work): "<work>", str(REALDATA): "<realdata>"}

    def shown(path: str) -> str:
        for root, name in roots.items():
            if path.startswith(root):
                return name + path[len(root) :]
        return path

    targets = [str(p) for p in parity + real + mutants] + [str(work / "example")]
    doc: dict = {"files": len(targets) - 1, "runs": {}}
    for name, kwargs in OPTION_SETS.items():
        for order in ("forward", "reverse"):
            paths = targets if order == "forward" else targets[::-1]
            # one item at a time, in this process: the memo of one file meets the next
            results = []
            for p in paths:
                for r in iter_validate([p], Options(**kwargs)):
                    d = r.to_dict()  # the JSON report: findings in report order
                    d["path"] = shown(d["path"])
                    results.append(d)
            results.sort(key=lambda r: r["path"])
            doc["runs"][f"{name}/{order}"] = results
    return doc


def show_differences(before: dict, after: dict, limit: int = 40) -> None:
    """Print the results that differ (per run and path), at most ``limit``."""
    shown = 0
    for run_name in sorted(before["runs"].keys() | after["runs"].keys()):
        old = {r["path"]: r["findings"] for r in before["runs"].get(run_name, [])}
        new = {r["path"]: r["findings"] for r in after["runs"].get(run_name, [])}
        for path in sorted(old.keys() | new.keys()):
            if old.get(path) == new.get(path):
                continue
            shown += 1
            if shown > limit:
                print("... (more differences)")
                return
            print(f"{run_name} {path}")
            a, b = old.get(path) or [], new.get(path) or []
            for f in a:
                if f not in b:
                    print("  - " + json.dumps(f, sort_keys=True))
            for f in b:
                if f not in a:
                    print("  + " + json.dumps(f, sort_keys=True))
            if sorted(map(json.dumps, a)) == sorted(map(json.dumps, b)):
                print("  (same findings, another order)")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "hlsp-findings-corpus")
    p.add_argument("--out", type=Path, help="write the findings (JSON) here")
    p.add_argument("--compare", type=Path, help="compare with an earlier output; exit 1 if different")
    p.add_argument("--mutants", type=int, default=4, help="mutants per source file (default 4)")
    p.add_argument("--seed", type=int, default=15)
    p.add_argument("--rebuild", action="store_true", help="write the corpus again (else reused when --work exists)")
    args = p.parse_args(argv)
    os.environ.setdefault("HLSP_CACHE_DIR", str(args.work.parent / "hlsp-findings-corpus-cache"))
    if args.rebuild or not (args.work / "example").is_dir():
        build(args.work, args.mutants, args.seed)
    doc = run(args.work)
    text = json.dumps(doc, indent=1, sort_keys=True) + "\n"
    digest = hashlib.sha256(text.encode()).hexdigest()
    count = sum(len(r["findings"]) for runs in doc["runs"].values() for r in runs)
    print(f"{doc['files']} files + the example collection, {len(doc['runs'])} runs, {count} findings, sha256 {digest}")
    if args.out:
        args.out.write_text(text)
    if args.compare:
        before = args.compare.read_text()
        if before != text:
            print("DIFFERENT:")
            show_differences(json.loads(before), doc)
            return 1
        print("identical to", args.compare)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
