#!/bin/sh
# numbers.sh -- the numbers of fadj-explain's documents (tests/numbers_check.py):
# known values with every significant digit (trailing zeros included),
# exactly --digits digits on every rounded value of several examples and
# modes, D decimals on every carried value, and --numbers (fractions as
# the file writes them, or decimals).  Skipped (77) without a Python 3
# with mpmath.

. "${top_srcdir:-.}/tests/lib.sh"
python_with "mpmath" numbers.sh
"$py" "$top_srcdir/tests/numbers_check.py" "$top_builddir/src/fadj-explain" \
  "$top_srcdir" "$tmp"
