#!/bin/sh
# chain-softmax.sh -- fadj-explain --chain through a softmax layer (the
# categorical cross-entropy; a batch summed and a batch averaged) against
# the sum over paths computed by tests/chain_softmax.py in 50-digit
# arithmetic from the networks' numbers: every path's product, factor by
# factor, the softmax factors under their labels, and the value to 6 and
# 15 digits.  Skipped (77) without a Python 3 with mpmath.

. "${top_srcdir:-.}/tests/lib.sh"
python_with "mpmath" chain-softmax.sh
"$py" "$top_srcdir/tests/chain_softmax.py" "$top_builddir/src/fadj-explain" \
  "$top_srcdir"
