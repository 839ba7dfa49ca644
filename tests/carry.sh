#!/bin/sh
# carry.sh -- fadj-explain --carry=1..4 on 200 fadj-gen exercises
# (defaults, --rational, 3-4-2 tanh/sigmoid, 4-4-4-2 relu/tanh/sigmoid):
# every run exits 0 and every carried value is the hand rule applied to
# exact values, recomputed independently by tests/carry_check.py.
# Skipped (77) without Python 3.

. "${top_srcdir:-.}/tests/lib.sh"
python_with "decimal, fractions" carry.sh
"$py" "$top_srcdir/tests/carry_check.py" "$top_builddir/src/fadj-gen" \
  "$top_builddir/src/fadj-explain" "$tmp"
