"""Header fill after END is not blank, or data fill is not zero (blank for ASCII tables).

*Why:* headers are padded to 2880 bytes with ASCII blanks after the END card;
data are padded with zero bytes (blanks for ASCII tables).  Other fill bytes
mean the file was written or edited incorrectly, and they change the checksum.

*How to fix:* Rewrite the file with a FITS library, which pads correctly.

Rewrite the file with a FITS library.

*Example (file):* fails::

    bytes after END in the header block: NUL (0x00)

fixed::

    bytes after END in the header block: blanks (0x20)
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FS009",
    name="fill-area",
    category=Category.FITS,
    severity=Severity.ERROR,
    source="FITS Standard 4.0, sec. 3.3.2 and 4.4.1",
)


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        if not hdu.header_fill_ok:
            yield RULE.finding("the header fill after the END card is not all ASCII blanks", hdu=hdu.index)
        if not hdu.fill_ok:
            what = "ASCII blanks" if hdu.kind == "table" else "zero bytes"
            yield RULE.finding(f"the data fill after the last data byte is not all {what}", hdu=hdu.index)
