#!/bin/sh
# batch-mean.sh -- 'batch mean' networks (relu, sigmoid, softmax with
# categorical cross-entropy, mean_squared) and a shared softmax bias whose
# gradient is exactly 0, against an independent computation of J and of
# the derivative of J itself (tests/batch_mean.py: central differences of
# a plain forward pass, exact or to 90 digits): fadj-audit's loss, every
# weight, bias and input gradient, and fadj-explain's chain rule of every
# weight.  Skipped (77) without Python 3.

. "${top_srcdir:-.}/tests/lib.sh"
python_with "decimal, fractions, json" batch-mean.sh
"$py" "$top_srcdir/tests/batch_mean.py" "$top_builddir/src/fadj-audit" \
  "$top_builddir/src/fadj-explain" "$tmp"
