#!/bin/sh
# reference-errors.sh -- the errors of reference values against the
# certified gradient, digit for digit, against python's fractions: hex
# floats (read exactly without a division, num.c), one with a numerator
# longer than the working precision (the general path), decimals that
# are not binary32 values, a zero, both signs; for binary32 and binary64.
# The relative error is divided at a reduced precision (audit-errors.c):
# its six digits must still be the correctly rounded ones.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-audit"
python_with fractions reference-errors.sh

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
# Weights row 1 as hex floats (the second one 0x1.000...01p0, 197 bits),
# row 2 as decimals (0.1 is no binary32 or binary64 value), bias 0.
cat > "$tmp/e.ref" <<'EOF'
gradient 1 weights [0x1.cccccep-2 -0x1.000000000000000000000000000000000000000000000001p-2 0x1.5p1 -0x1.99999ap-3
  1.7 0.1 -5.9 -0.2]
 bias [0 0x1.d99999ap-1]
EOF
for t in 32 64; do
  "$prog" --format=csv --reference-type=binary$t --reference="$tmp/e.ref" \
    "$tmp/e.net" > "$tmp/e$t.csv"
  st=$?
  if [ "$st" -eq 1 ] || [ "$st" -eq 0 ]; then ok; else bad "binary$t: exit $st"; fi
  if "$py" - "$tmp/e$t.csv" $t <<'EOF'
import sys
from fractions import Fraction as F
bits, emin = (24, -126) if sys.argv[2] == "32" else (53, -1022)
x = [F(1, 2), F(-1, 4), F(3), F(1, 8)]
t = [F(1), F(-2)]
W = [[F("0.3"), F("0.7"), F("-0.1"), F(2)],
     [F("1.5"), F("-0.5"), F("0.2"), F("0.9")]]
b = [F("0.1"), F("-0.3")]
ys = [sum(W[i][j] * x[j] for j in range(4)) + b[i] - t[i] for i in range(2)]
def hexf(s):
    sign = -1 if s.startswith("-") else 1
    m, e = s.lstrip("-")[2:].split("p")
    ip, fp = m.split(".")
    return sign * F(int(ip + fp, 16), 16 ** len(fp)) * F(2) ** int(e)
ref = {("weight", 0, 0): hexf("0x1.cccccep-2"),
       ("weight", 0, 1): -hexf("0x1.000000000000000000000000000000000000000000000001p-2"),
       ("weight", 0, 2): hexf("0x1.5p1"), ("weight", 0, 3): -hexf("0x1.99999ap-3"),
       ("weight", 1, 0): F("1.7"), ("weight", 1, 1): F("0.1"),
       ("weight", 1, 2): F("-5.9"), ("weight", 1, 3): F("-0.2"),
       ("bias", 0, 0): F(0), ("bias", 1, 0): hexf("0x1.d99999ap-1")}
def ulp(r):
    if r == 0:
        return F(2) ** (emin - bits + 1)
    e = 0
    a = abs(r)
    while a >= 2: a /= 2; e += 1
    while a < 1: a *= 2; e -= 1
    return F(2) ** (max(e, emin) - bits + 1)
def six(v):
    # v > 0 to 6 significant digits, correctly rounded, as fadj prints.
    if v == 0:
        return "0"
    e = 0
    while v >= F(10) ** (e + 1): e += 1
    while v < F(10) ** e: e -= 1
    d = round(v / F(10) ** (e - 5))
    if d == 10 ** 6: d //= 10; e += 1
    s = str(d)
    return "%s.%se%s%d" % (s[0], s[1:], "-" if e < 0 else "+", abs(e))
rows = [l.split(",") for l in open(sys.argv[1]).read().split("\n")[1:] if l]
n = 0
for r in rows:
    key = (r[1], int(r[2]), int(r[3]))
    if key not in ref:
        continue
    g = ys[key[1]] * (x[key[2]] if key[0] == "weight" else 1)
    rv = ref[key]
    a = abs(rv - g)
    want = [six(a), six(a / abs(g)), six(a / ulp(rv))]
    assert r[6:9] == want, (key, r[6:9], want)
    n += 1
assert n == 10, n
EOF
  then ok; else bad "binary$t: errors differ from python's fractions"; fi
done

echo "reference-errors.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
