"""The FITS reader, in parts."""
