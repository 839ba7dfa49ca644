#!/bin/sh
# zero-in-row.sh -- a weight gradient that is zero only to the working
# precision (its enclosure holds 0: printed as such, with its bound)
# leaves the next entries of its row to be rounded on their own: they
# are certified to 30 digits, as mpmath computes them here, and the
# audit ends with exit 0 for every --jobs.  (The weight rows used to be
# rounded 64 entries at a time, and every entry after such a zero in
# its chunk was taken as undecided: the audit raised its precision to
# the cap and failed, exit 3, on dJ/dW^1[1,2].)
#
# The network: input 1 is +-0.5 in the two samples and its weights are
# 0, so both samples see the same layer values and dJ/dW^1[i,1] =
# sum_s dY_i x_1s = dY_i (0.5 - 0.5) = 0, formed from two enclosures.
# Skipped (77) without Python 3 and mpmath.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
python_with "mpmath" zero-in-row.sh
audit="$top_builddir/src/fadj-audit"

cat > "$tmp/z.net" <<'NET'
sample [0.5, 0.3] -> [0.7]
sample [-0.5, 0.3] -> [0.7]
batch sum
layer sigmoid
  weights [0 0.2; 0 -0.4]
layer sigmoid
  weights [0.3 0.9]
loss half_squared
NET

# dJ/dW^1[i,2] = sum_s d1_i x_2 with d2 = (x2 - t) x2 (1 - x2) and
# d1_i = W2[i] d2 x1_i (1 - x1_i); both samples alike (x_2 = 0.3).
"$py" - > "$tmp/want" <<'PY'
from decimal import Decimal
import mpmath
mpmath.mp.dps = 80
f = mpmath.mpf
sig = lambda y: 1 / (1 + mpmath.exp(-y))
W1, W2, x2in, t = [[0, f('0.2')], [0, f('-0.4')]], [f('0.3'), f('0.9')], f('0.3'), f('0.7')
x1 = [sig(W1[i][1] * x2in) for i in range(2)]
out = sig(W2[0] * x1[0] + W2[1] * x1[1])
d2 = (out - t) * out * (1 - out)
for i in range(2):
    g = 2 * W2[i] * d2 * x1[i] * (1 - x1[i]) * x2in
    print('  dJ/dW^1[%d,2] = %s' % (i + 1, format(Decimal(mpmath.nstr(g, 60)), '.29e')))
PY
for n in 1 2 3; do
  expect 0 "--jobs=$n" -- "$audit" --jobs=$n "$tmp/z.net"
  for i in 1 2; do
    grep_in out "^  dJ/dW^1\[$i,1\] = 0  (|value| < 1e-[0-9]*: zero to the working precision" "--jobs=$n [$i,1]"
    want=$(sed -n "${i}p" "$tmp/want")
    grep -qxF -- "$want" "$tmp/out" && ok || bad "--jobs=$n: '$want' not in the report"
  done
done

# The same rows in CSV and JSON, whose weight lines the threads format
# (src/audit-write.c): the zero, then the value after it.
for n in 1 2 3; do
  expect 0 "--jobs=$n csv" -- "$audit" --jobs=$n --format=csv "$tmp/z.net"
  cp "$tmp/out" "$tmp/csv"
  expect 0 "--jobs=$n json" -- "$audit" --jobs=$n --format=json "$tmp/z.net"
  for i in 1 2; do
    v=$(sed -n "${i}p" "$tmp/want" | sed 's/.* = //')
    grep -q "^1,weight,$((i - 1)),0,0,1e-[0-9]*\$" "$tmp/csv" && ok \
      || bad "--jobs=$n csv: no zero at [$i,1]"
    grep -qxF -- "1,weight,$((i - 1)),1,$v," "$tmp/csv" && ok \
      || bad "--jobs=$n csv: '1,weight,$((i - 1)),1,$v,' not in the report"
    grep -qF -- "[\"0\", \"$v\"]" "$tmp/out" && ok \
      || bad "--jobs=$n json: '[\"0\", \"$v\"]' not in the report"
  done
done

echo "zero-in-row.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
