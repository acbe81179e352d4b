"""FITS checksum arithmetic: ones'-complement sums of 32-bit words and the
16-character ASCII encoding of CHECKSUM (FITS Standard 4.0, appendix J).

The sum over a buffer runs in C when ``hlsp._speedups`` is built
(:mod:`hlsp.fits.speedups` is the switch), else in :func:`py_ones_sum`.
The reader (:mod:`hlsp.fits.read`) sums headers and data as it streams them;
:mod:`hlsp.fits.card` seals the HDUs it writes.
"""

from __future__ import annotations

from hlsp.fits import speedups


def ones_fold(s: int) -> int:
    while s >> 32:
        s = (s & 0xFFFFFFFF) + (s >> 32)
    return s


def ones_add(a: int, b: int) -> int:
    return ones_fold(a + b)


def ones_sum(buf) -> int:
    """The sum of the big-endian 32-bit words of ``buf`` (len % 4 == 0), for folding.

    Congruent to the exact sum modulo 2**32 - 1 and zero only if every word
    is zero, so ``ones_fold`` gives the same checksum either way (the C version
    folds as it goes; the twin returns the exact sum).
    """
    if speedups.C is not None:
        return speedups.C.ones_sum(buf)
    return py_ones_sum(buf)


def py_ones_sum(buf) -> int:
    """Pure-Python twin of ``hlsp._speedups.ones_sum``: the exact sum."""
    if len(buf) % 4:
        raise ValueError("ones_sum: the length must be a multiple of 4")
    if not len(buf):
        return 0
    import numpy as np

    return int(np.frombuffer(buf, dtype=">u4").sum(dtype=np.uint64))


_ENC_EXCLUDE = frozenset(range(0x3A, 0x41)) | frozenset(range(0x5B, 0x61))


def encode_checksum(value: int, complement: bool = True) -> str:
    """The 16-character ASCII encoding of a 32-bit sum (FITS checksum convention)."""
    if complement:
        value = (~value) & 0xFFFFFFFF
    out = [0] * 16
    for i in range(4):
        byte = (value >> (24 - 8 * i)) & 0xFF
        quot, rem = divmod(byte, 4)
        ch = [quot + rem + 0x30, quot + 0x30, quot + 0x30, quot + 0x30]
        moved = True
        while moved:  # keep the characters alphanumeric
            moved = False
            for j in (0, 2):
                if ch[j] in _ENC_EXCLUDE or ch[j + 1] in _ENC_EXCLUDE:
                    ch[j] += 1
                    ch[j + 1] -= 1
                    moved = True
        for j in range(4):
            out[4 * j + i] = ch[j]
    s = bytes(out)
    return (s[-1:] + s[:-1]).decode("ascii")  # rotated right by one byte
