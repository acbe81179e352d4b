"""The FITS reader, in parts: the one place that opens and reads FITS files.

==========================  ===================================================
``hlsp/fits/file.py``       opening a file: plain, gzip, bzip2 (bounded), and
                            reading a stream in full blocks
``hlsp/fits/read.py``       reading every HDU of a stream: headers, data,
                            checksums, as facts for the rules
``hlsp/fits/header.py``     what is read: :class:`FitsFile`, :class:`HDU`,
                            :class:`Header`, :class:`ReadIssue`
``hlsp/fits/card.py``       80-character cards: parsing them, writing them,
                            sealing an HDU with CHECKSUM/DATASUM
``hlsp/fits/checksum.py``   the ones'-complement sums and the CHECKSUM encoding
``hlsp/fits/tables.py``     the values inside table rows, checked as they stream
``hlsp/fits/speedups.py``   the C/Python switch of the inner loops
                            (``hlsp/_speedups.c``, module ``hlsp._speedups``)
==========================  ===================================================

Imports go one way: ``read`` uses ``file``, ``header``, ``card``, ``checksum``
and ``tables``; ``header`` uses ``card``, ``checksum`` and ``tables``;
``card`` uses ``checksum``; all of them may use ``speedups``.  The names the
rest of the package uses are importable from here.
"""

from hlsp.fits.card import Card, parse_card
from hlsp.fits.file import Inflated, LimitExceeded, inflate_cap, open_stream, read_full
from hlsp.fits.header import HDU, FitsFile, Header, ReadIssue
from hlsp.fits.read import read_fits, read_stream

__all__ = [
    "HDU",
    "Card",
    "FitsFile",
    "Header",
    "Inflated",
    "LimitExceeded",
    "ReadIssue",
    "inflate_cap",
    "open_stream",
    "parse_card",
    "read_fits",
    "read_full",
    "read_stream",
]
