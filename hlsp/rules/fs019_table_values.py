"""Table rows hold values their column format does not allow (logical not T/F/0, non-ASCII
text, stray bits, descriptors outside the heap, ASCII-table fields that are not
numbers).

*Why:* FITS readers trust the bytes of each column to follow its ``TFORMn``:
a logical (``L``) value is ``T``, ``F`` or 0 (undefined); text (``A``) is
printable ASCII, ended early by a NUL byte; in a bit column (``X``) the bits
after the last one declared are zero; a variable-length array descriptor
(``P``/``Q``) points inside the heap and is no longer than the maximum given
in ``TFORMn``; a numeric field of an ASCII table holds a number CFITSIO can
read (blanks are ignored; an upper-case ``E``/``D`` exponent; for ``F``/``E``/``D``
fields also a decimal point and no blank inside), or blanks, or the
``TNULLn`` string starting in the field's first column.  Anything else is read
as garbage, or makes the reader fail (CFITSIO: "Cannot read number from ASCII
table").  fitsverify reports each of these as an error; so do we, once per
column, with the number of rows affected and the first of them (fitsverify
prints a line per row).

Where we differ from fitsverify 4.20 (the parity tests keep these true):
a descriptor is checked against the heap as ``THEAP`` places it (fitsverify
measures from the end of the rows, so it misses arrays that overrun a heap
placed further on), and a ``1PX`` array of n bits takes ceil(n/8) bytes
(fitsverify counts n // 8).  The logical values *inside* the heap of
``PL``/``QL`` columns are checked like an ``L`` column's (one finding per
column, counting the rows whose array holds a bad value; at most
``HLSP_MAX_HEAP_ARRAYS`` arrays per table, see docs/limits.md); the text
inside the heap of ``PA`` columns is not (fitsverify checks it).

The reader checks the rows while it streams the data for the checksums, so
this costs no second pass over the file (``hlsp/fits/tables.py``).

*How to fix:* Rewrite the table with a FITS library from typed arrays (booleans, ASCII
strings).

Write the table with a FITS library (astropy.table, fitsio) from typed arrays: booleans
for logical columns, ASCII strings (no UTF-8 accents or control characters) for text,
and let the library build bit and variable-length columns. Text that must keep non-ASCII
characters needs an encoding convention described in the README and stored as bytes
(``B``).

*Example (file):* fails::

    a logical column (TFORM 'L') holding the byte 'Y'

fixed::

    the same column written from a numpy bool array: 'T' / 'F'
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.fits.tables import WHAT

RULE = Rule(
    id="FS019",
    name="table-values",
    category=Category.FITS,
    severity=Severity.ERROR,
    source="FITS Standard 4.0, sec. 7.2.5, 7.3.3 and 7.3.5 (fitsverify errors)",
)


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        for p in hdu.value_problems:
            rows = "1 row holds" if p.count == 1 else f"{p.count} rows hold"
            name = hdu.header.get(f"TTYPE{p.column}")
            label = f"column {p.column}" + (f" ({name})" if isinstance(name, str) and name.strip() else "")
            yield RULE.finding(
                f"{label}, TFORM{p.column} = '{p.tform}': {rows} {WHAT[p.code]} (first: row {p.first_row})",
                hdu=hdu.index,
                keyword=f"TFORM{p.column}",
            )
