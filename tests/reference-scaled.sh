#!/bin/sh
# reference-scaled.sh -- reference gradients read into the scaled form
# (fadj_mat: K 2^X for hex floats, K 10^X for decimals with or without an
# exponent) and their errors computed from it without a rational
# (audit-errors.c): every CSV column of the errors, and the reference
# value itself, digit for digit against python's fractions, for binary32
# and binary64.  The values cover negative zeros, binary32 and binary64
# subnormals, huge and tiny exponents (1e400 and 1e-400 at the limit of
# the powers of ten kept at hand; 1e401, beyond it, sends its matrix to
# the rationals), decimals that are powers of 2 (0.5, 1.0: the enclosure
# of K 10^X straddles 2^e, the exact path decides ulp(r)), 18-digit
# significands, a matrix mixing hex floats and decimals (rationals), and
# the cases of the former reference-errors.sh: a hex float with a
# numerator longer than the working precision (197 bits: the general
# path), decimals that are no binary32 value, and a zero.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-audit"
python_with fractions reference-scaled.sh
# tests/reference_check.py, shared with reference-cheap.sh.
PYTHONPATH="$top_srcdir/tests"; PYTHONDONTWRITEBYTECODE=1
export PYTHONPATH PYTHONDONTWRITEBYTECODE

# A[4,2], identity, half_squared: Y_* = W x + b - t, dJ/dW = Y_* x^T,
# dJ/db = Y_*, every value an exact rational.
cat > "$tmp/e.net" <<'EOF'
input [0.5, -0.25, 3, 0.125]
target [1, -2]
layer identity
  weights [0.3 0.7 -0.1 2; 1.5 -0.5 0.2 0.9]
  bias [0.1, -0.3]
loss half_squared
EOF
cat > "$tmp/hex.ref" <<'EOF'
gradient 1 weights [0x1.cccccep-2 -0x0p+0 0x1p-149 -0x1.fffffep+127
  0x0.0000000000001p-1022 0x1.5p+1000 -0x1.99999ap-3 0x1.fffffffffffffp-1]
 bias [-0x1p-1074 0X1.D99999AP-1]
EOF
cat > "$tmp/dec.ref" <<'EOF'
gradient 1 weights [5.389457044221937e-05 -0 1e-320 0.5
  4.9406564584124654e-324 1.25E2 +0.1 -3e-1]
 bias [0.123456789012345678 -1e400]
EOF
cat > "$tmp/dec2.ref" <<'EOF'
gradient 1 weights [1.0 -1e-400 .75 2.
  -0.0000000000000000000000123 7e+0 1.1754943508222875e-38 -6.103515625e-05]
 bias [-1.5 3.4028234663852886e+38]
EOF
# For intervals too: decimals of many digits, whose errors cannot sit
# on a rounding boundary of their 6 digits (as a short decimal's may,
# which intervals cannot decide); 6.103515625e-05 is 2^-14.
cat > "$tmp/deci.ref" <<'EOF'
gradient 1 weights [5.389457044221937e-05 -1.2345678901234567e-3 1e-320 2.7182818284590452e0
  4.9406564584124654e-324 1.2345678901234567E2 +0.10000000000000001 -3.0000000000000004e-1]
 bias [0.123456789012345678 -6.103515625e-05]
EOF
# Row 1 hex floats, the second 0x1.000...01p-2 (197 bits); row 2
# decimals (0.1 is no binary32 or binary64 value); a zero bias.
cat > "$tmp/long.ref" <<'EOF'
gradient 1 weights [0x1.cccccep-2 -0x1.000000000000000000000000000000000000000000000001p-2 0x1.5p1 -0x1.99999ap-3
  1.7 0.1 -5.9 -0.2]
 bias [0 0x1.d99999ap-1]
EOF
cat > "$tmp/mixed.ref" <<'EOF'
gradient 1 weights [0x1.cccccep-2 1.7 0.1 -0x1.99999ap-3
  1.7 0.1 -5.9 -0.2]
 bias [1e401 -2.5e-3]
EOF
# Exact arithmetic takes the number core's path; intervals the doubles'
# (measure_fast) where they reach, and the number core elsewhere.
for a in exact interval; do
files="hex dec dec2 mixed deci long"
[ $a = interval ] && files="hex deci"
for f in $files; do
  for t in 32 64; do
    "$prog" --arithmetic=$a --format=csv --reference-type=binary$t \
      --reference="$tmp/$f.ref" "$tmp/e.net" > "$tmp/$f$t.csv"
    st=$?
    if [ "$st" -eq 1 ] || [ "$st" -eq 0 ]; then ok; else bad "$a $f binary$t: exit $st"; fi
    # The text report: the maxima and the worst entry (its reference).
    "$prog" --arithmetic=$a --reference-type=binary$t \
      --reference="$tmp/$f.ref" "$tmp/e.net" > "$tmp/$f$t.txt"
    if "$py" - "$tmp/$f$t.csv" $t "$tmp/$f.ref" "$tmp/$f$t.txt" <<'EOF'
import re
import sys
from fractions import Fraction as F
from reference_check import lit, ulp, digits, check_maxima
bits = int(sys.argv[2])
x = [F(1, 2), F(-1, 4), F(3), F(1, 8)]
t = [F(1), F(-2)]
W = [[F("0.3"), F("0.7"), F("-0.1"), F(2)],
     [F("1.5"), F("-0.5"), F("0.2"), F("0.9")]]
b = [F("0.1"), F("-0.3")]
ys = [sum(W[i][j] * x[j] for j in range(4)) + b[i] - t[i] for i in range(2)]
words = open(sys.argv[3]).read().replace("[", " ").replace("]", " ").split()
nums = [lit(w) for w in words if re.match(r"^[-+]?(0[xX]|[0-9.])", w)]
# nums[0] is the layer number 1
vals = nums[1:]
ref = {}
for k in range(8):
    ref[("weight", k // 4, k % 4)] = vals[k]
for k in range(2):
    ref[("bias", k, 0)] = vals[8 + k]
rows = [l.split(",") for l in open(sys.argv[1]).read().split("\n")[1:] if l]
n = 0
for r in rows:
    key = (r[1], int(r[2]), int(r[3]))
    if key not in ref:
        continue
    g = ys[key[1]] * (x[key[2]] if key[0] == "weight" else 1)
    rv = ref[key]
    a = abs(rv - g)
    want = [digits(a, 6), digits(a / abs(g), 6), digits(a / ulp(rv, bits), 6)]
    assert r[6:9] == want, (key, r[6:9], want)
    if rv != 0:
        assert r[5] == digits(rv, 30), (key, r[5], digits(rv, 30))
    n += 1
assert n == 10, n
# Maxima over the layer (walk order: the weights row by row, the bias),
# the worst entry the first with the largest ulp error.
order = [("weight", i, j) for i in range(2) for j in range(4)] \
    + [("bias", i, 0) for i in range(2)]
errs = []
for key in order:
    g = ys[key[1]] * (x[key[2]] if key[0] == "weight" else 1)
    a = abs(ref[key] - g)
    name = ("dJ/dW^1[%d,%d]" % (key[1] + 1, key[2] + 1)
            if key[0] == "weight" else "dJ/db^1[%d]" % (key[1] + 1))
    errs.append((a, a / abs(g), a / ulp(ref[key], bits), name, ref[key]))
check_maxima(open(sys.argv[4]).read(), errs)
EOF
    then ok; else bad "$a $f binary$t: errors differ from python's fractions"; fi
  done
done
done

echo "reference-scaled.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
