#!/bin/sh
# batch-mean.sh -- 'batch mean' networks (relu, sigmoid, softmax with
# categorical cross-entropy, mean_squared) against an independent
# computation of J and of the derivative of J itself (tests/batch_mean.py:
# central differences of a plain forward pass, exact or to 90 digits):
# fadj-audit's loss, every weight, bias and input gradient, and
# fadj-explain's chain rule of every weight.  Skipped (77) without
# Python 3.

set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${PYTHON3:=}"
py=
for p in "$PYTHON3" python3 /usr/bin/python3; do
  [ -n "$p" ] || continue
  if "$p" -c 'import decimal, fractions, json' >/dev/null 2>&1; then
    py=$p; break
  fi
done
if [ -z "$py" ]; then
  echo "batch-mean.sh: no python3; skipped"
  exit 77
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
"$py" "$top_srcdir/tests/batch_mean.py" "$top_builddir/src/fadj-audit" \
  "$top_builddir/src/fadj-explain" "$tmp"
