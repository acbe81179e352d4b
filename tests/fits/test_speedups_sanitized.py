"""hlsp/_speedups.c under AddressSanitizer and UndefinedBehaviorSanitizer.

The C module reads bytes that strangers submit in pull requests, so a memory
error there is a security bug, not a crash.  This test compiles the module
with ``-fsanitize=address,undefined`` and runs, in a child process with the
sanitizer runtime preloaded, random inputs through every function and whole
damaged files through the reader, comparing each answer with the pure-Python
twin.  Any out-of-bounds read, use-after-free or undefined behaviour aborts the
child and fails the test.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import textwrap


from conftest import ROOT, need_system

CHILD = textwrap.dedent(
    r"""
    import gzip, importlib.util, random, sys
    spec = importlib.util.spec_from_file_location("hlsp._speedups", sys.argv[1])
    sanitized = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sanitized)
    sys.modules["hlsp._speedups"] = sanitized
    from hlsp.fits import card as fits_card
    from hlsp.fits import checksum as fits_checksum
    from hlsp.fits import read as fits_read
    from hlsp.fits.tables import py_clean_ascii_column, py_scan_rows

    rnd = random.Random(20261125)
    alphabet = " '/=()TFEeDd.+-,0123456789AXZ&\t\x00\xe9\x7f~"
    decided = 0
    for _ in range(40000):
        keyword = rnd.choice(["SIMPLE  ", "HIERARCH", "CONTINUE", "COMMENT ", "        ", "A       "])
        raw = (keyword + "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 75))))[:80].ljust(80)
        got = sanitized.parse_fields(raw)
        if got is not None:
            decided += 1
            want = fits_card.py_parse_fields(raw)
            assert got == want and [type(a) for a in got] == [type(b) for b in want], raw
    assert decided > 1000, decided
    for _ in range(5000):
        row_len, nrows, checks, offset = rnd.randint(1, 40), rnd.randint(0, 8), [], 0
        while True:
            code = rnd.choice("LAXPQ")
            if code in "LA":
                repeat = rnd.randint(1, 5); width = repeat; check = (offset, code, repeat, 0, -1)
            elif code == "X":
                repeat = rnd.choice([1, 3, 7, 9, 15]); width = (repeat + 7) // 8; check = (offset, code, repeat, 0, -1)
            else:
                width = 8 if code == "P" else 16
                check = (offset, code, 1, rnd.choice([0, 1, 2, 4, 8, 16]), rnd.randint(-1, 5))
            if offset + width > row_len:
                break
            checks.append(check)
            offset += width
        rows = bytes(rnd.getrandbits(8) for _ in range(row_len * nrows))
        heap = rnd.choice([0, 1, 7, 2**31, 2**62])
        assert sanitized.scan_rows(rows, row_len, tuple(checks), heap) == py_scan_rows(rows, row_len, tuple(checks), heap)
    for _ in range(2000):
        buf = bytes(rnd.getrandbits(8) for _ in range(4 * rnd.randint(0, 200)))
        assert fits_checksum.ones_fold(sanitized.ones_sum(buf)) == fits_checksum.ones_fold(fits_checksum.py_ones_sum(buf))
        for size in (4, 8):
            assert sanitized.any_finite(buf, size) == fits_read.py_any_finite(buf, size)
        text = bytes(rnd.choice(b" AZ=~\x00\x1f\x7f\x80") if rnd.random() < 0.02 else 65 for _ in range(len(buf)))
        assert sanitized.first_unprintable(text) == fits_read.py_first_unprintable(text)
        cards = b"".join(rnd.choice([b"END", b"END     ", b"ENDX", b"EXTEND  = T", b"  END"]).ljust(80) for _ in range(3))
        shifted = cards[rnd.randint(0, 20) :]
        assert sanitized.find_end(shifted) == fits_read.py_find_end(shifted)
        assert sanitized.find_end(cards) == fits_read.py_find_end(cards)
        fields = b"".join(bytes(rnd.choice(b" +-09.E") for _ in range(5)) for _ in range(rnd.randint(1, 6)))
        for integer in (True, False):
            assert sanitized.clean_ascii_column(fields, 5, 1, 4, integer) == py_clean_ascii_column(fields, 5, 1, 4, integer)
    # whole files, damaged, through the reader (parse_cards included)
    from hlsp.fits import speedups
    assert speedups.C is sanitized
    good = open(sys.argv[2], "rb").read()
    for i in range(300):
        data = bytearray(good)
        for _ in range(rnd.randint(1, 8)):
            data[rnd.randrange(len(data))] = rnd.getrandbits(8)
        data = bytes(data[: rnd.randint(0, len(data))]) if i % 3 == 0 else bytes(data)
        path = sys.argv[3] + (".gz" if i % 5 == 0 else "")
        open(path, "wb").write(gzip.compress(data) if i % 5 == 0 else data)
        fits_read.read_fits(path)
    print("sanitized run ok")
    """
)


def _runtime(name: str) -> str | None:
    out = subprocess.run(["gcc", f"-print-file-name={name}"], capture_output=True, text=True).stdout.strip()
    return out if os.path.isabs(out) and os.path.exists(out) else None


def test_c_module_under_sanitizers(tmp_path, system_tool):
    gcc = system_tool("gcc")
    asan, ubsan = _runtime("libasan.so"), _runtime("libubsan.so")
    if not (asan and ubsan):
        need_system("gcc's sanitizer runtimes (libasan, libubsan) are not installed")
    module = tmp_path / f"_speedups{sysconfig.get_config_var('EXT_SUFFIX')}"
    build = subprocess.run(
        [
            gcc,
            "-shared",
            "-fPIC",
            "-O1",
            "-g",
            "-fno-omit-frame-pointer",
            "-fsanitize=address,undefined",
            "-fno-sanitize-recover=undefined",
            f"-I{sysconfig.get_paths()['include']}",
            str(ROOT / "hlsp" / "_speedups.c"),
            "-o",
            str(module),
        ],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    from test_speedups import _sample_file

    good = tmp_path / "good.fits"
    good.write_bytes(_sample_file())
    env = {
        **os.environ,
        "LD_PRELOAD": f"{asan} {ubsan}",
        "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=1",  # (the interpreter itself keeps memory to the end)
        "UBSAN_OPTIONS": "halt_on_error=1:print_stacktrace=1",
        "PYTHONMALLOC": "malloc",  # every object its own allocation, so ASan sees each one's bounds
        "PYTHONPATH": str(ROOT),
    }
    env.pop("HLSP_PURE_PYTHON", None)
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(module), str(good), str(tmp_path / "damaged.fits")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert child.returncode == 0 and "sanitized run ok" in child.stdout, child.stderr[-4000:]
