#!/bin/sh
# train-precision.sh -- long training runs (A[8,8,1] sigmoid to identity,
# 300 steps, and A[2,2,1], 1000 steps) against an independent gradient
# descent in mpmath at 400 digits (tests/train_precision.py): every loss
# of the table within half a unit of its last printed digit (issue 16
# item 2: a faster training must keep every printed digit certified).
# Skipped (77) without Python 3 and mpmath.

. "${top_srcdir:-.}/tests/lib.sh"
python_with "mpmath" train-precision.sh
"$py" "$top_srcdir/tests/train_precision.py" "$top_builddir/src/fadj-explain" \
  "$tmp"
