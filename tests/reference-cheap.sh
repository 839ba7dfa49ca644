#!/bin/sh
# reference-cheap.sh -- the errors of a single-product gradient entry
# against its reference taken on 128-bit integers from the entry's two
# factors (audit_errs_measure_mul), and the fallbacks to the working
# precision where that cheap path cannot decide: the text report's
# maxima and worst entry, digit for digit against python's fractions.
# One identity layer, one sample: dJ/dW[i,j] = Y_*[i] x[j] with Y_* =
# W x + b - t.  Decimal weights make Y_* an enclosure of some width (the
# cheap path); dyadic ones make every value a point, where the cheap
# path steps aside: a reference equal to the true gradient (errors 0),
# an abs error on a tie of its 6 printed digits (123457.5: ties to even
# round it up, and a lower bound a hair below it down),
# zero gradients (x[j] = 0: rel inf).  References as close to the
# gradient as 61-bit hex floats (the width test), binary64 and binary32
# roundings moved a few ulps, shortest decimals, subnormal and huge
# ones, and zeros, on both networks.  A retry at a higher precision
# (what a cheap enclosure too wide to decide would cause) shows in the
# report's arithmetic line, compared with the run without a reference.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-audit"
python_with fractions reference-cheap.sh
# tests/reference_check.py, shared with reference-scaled.sh.
PYTHONPATH="$top_srcdir/tests"; PYTHONDONTWRITEBYTECODE=1
export PYTHONPATH PYTHONDONTWRITEBYTECODE

cat > "$tmp/d.net" <<'EOF'
input [0.5, -0.25, 3, 0.125]
target [1, -2]
layer identity
  weights [0.3 0.7 -0.1 2; 1.5 -0.5 0.2 0.9]
  bias [0.1, -0.3]
loss half_squared
EOF
cat > "$tmp/p.net" <<'EOF'
input [0.5, -0.25, 0, 3]
target [1, -2]
layer identity
  weights [0.5 0.75 -0.125 2; 1.5 -0.5 0.25 1]
  bias [0.25, -0.5]
loss half_squared
EOF

# The reference files, written from the exact gradients: CASE NET BITS.
cat > "$tmp/common.py" <<'EOF'
import re
import struct
from fractions import Fraction as F
from reference_check import lit, ulp, digits, check_maxima

def vec(text, kw):
    body = re.search(kw + r"\s*\[([^\]]*)\]", text).group(1)
    return [[lit(w) for w in row.replace(",", " ").split()]
            for row in body.split(";")]

def grads(net):
    """The exact gradients in the report's order: weights row by row,
    then the bias."""
    text = open(net).read()
    x, t = vec(text, "input")[0], vec(text, "target")[0]
    W, b = vec(text, "weights"), vec(text, "bias")[0]
    ys = [sum(W[i][j] * x[j] for j in range(4)) + b[i] - t[i]
          for i in range(2)]
    return ([("dJ/dW^1[%d,%d]" % (i + 1, j + 1), ys[i] * x[j])
             for i in range(2) for j in range(4)]
            + [("dJ/db^1[%d]" % (i + 1), ys[i]) for i in range(2)])

def round_bits(v, p):
    """V rounded to P significant bits (to nearest, ties to even), as
    a hex float literal."""
    if v == 0:
        return "0x0p+0"
    s, a, e = "-" if v < 0 else "", abs(v), 0
    while a >= 2: a /= 2; e += 1
    while a < 1: a *= 2; e -= 1
    m = round(a * 2 ** (p - 1))
    return "%s0x%xp%+d" % (s, m, e - p + 1)

def f64(v):
    return float(lit(round_bits(v, 53)))

def step(x, k, bits):
    """The float K ulps of the format away from X (of that format)."""
    fmt, ifmt, top = (("<f", "<i", 0x7FFFFFFF) if bits == 32
                      else ("<d", "<q", 0x7FFFFFFFFFFFFFFF))
    b = struct.unpack(ifmt, struct.pack(fmt, x))[0]
    if b < 0:
        b = -(b & top)
    b += k
    if b < 0:
        b = (-b) | -(top + 1)
    return struct.unpack(fmt, struct.pack(ifmt, b))[0]
EOF

cat > "$tmp/gen.py" <<'EOF'
import sys
sys.path.insert(0, sys.argv[4])
from common import *
case, net, bits = sys.argv[1], sys.argv[2], int(sys.argv[3])
g = [v for _, v in grads(net)]
if case == "near":
    # As close as a scaled hex float gets: 61 bits.
    r = [round_bits(v, 61) for v in g]
elif case == "ulps":
    # The format's rounding moved -3 .. 3 ulps, as hex floats.
    r = []
    for k, v in enumerate(g):
        x = float(lit(round_bits(v, 24 if bits == 32 else 53)))
        r.append(step(x, k % 7 - 3, bits).hex())
elif case == "dec":
    # Shortest decimals (binary64's repr, binary32's %.9g).
    r = []
    for k, v in enumerate(g):
        x = step(float(lit(round_bits(v, 24 if bits == 32 else 53))),
                 k % 3 - 1, bits)
        r.append(repr(x) if bits == 64 else "%.9g" % x)
elif case == "equal":
    r = [round_bits(v, 62) for v in g]   # exact: dyadic gradients
elif case == "exact":
    # The gradients of d.net are decimals: equal to them, in a
    # decimal literal, but for one entry a unit of the 18th digit off.
    def dec(v):
        for n in range(1, 19):
            s = "%.*e" % (n - 1, v)
            if F(s) == v:
                return s
        raise ValueError(v)
    r = [dec(v) for v in g]
    r[5] = "%.17e" % (g[5] * (1 + F(1, 10 ** 17)))
elif case == "tie":
    r = [round_bits(v, 62) for v in g]
    # g[1] < 0: r - g of the sign of both, |r| - |g|.
    r[1] = round_bits(g[1] - F(246915, 2), 62)
elif case == "zero":
    r = ["0x1.8p-3", "0", "-0x1p-60", "0"] + [round_bits(v, 53) for v in g[4:]]
elif case == "extreme":
    r = ["0x1p-1074", "-0x1.fffffffffffffp+1023", "4.9406564584124654e-324",
         "1e308", "0x0.0000000000001p-1022", "0x1.fffffep+127", "-0x1p-149",
         "1e-320", "0", "-0x1p-1022"]
print("gradient 1 weights [%s\n  %s]\n bias [%s]"
      % (" ".join(r[0:4]), " ".join(r[4:8]), " ".join(r[8:10])))
EOF

cat > "$tmp/check.py" <<'EOF'
import sys
sys.path.insert(0, sys.argv[5])
from common import *
net, bits, ref, txt = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
words = open(ref).read().replace("[", " ").replace("]", " ").split()
rs = [lit(w) for w in words[3:11] + words[12:14]]
errs, rel_inf = [], False
for (name, g), r in zip(grads(net), rs):
    a = abs(r - g)
    if g == 0:
        rel = F(0)
        rel_inf |= r != 0
    else:
        rel = a / abs(g)
    errs.append((a, rel, a / ulp(r, bits), name, r))
check_maxima(open(txt).read(), errs, rel_inf)
EOF

for net in d p; do
  "$prog" --arithmetic=interval --check=directional "$tmp/$net.net" > "$tmp/$net.plain" \
    || bad "$net.net: exit $?"
  cases="near ulps dec zero extreme"
  [ $net = d ] && cases="$cases exact"
  [ $net = p ] && cases="$cases equal tie"
  for c in $cases; do
    for t in 32 64; do
      f="$tmp/$net-$c-$t"
      "$py" "$tmp/gen.py" $c "$tmp/$net.net" $t "$tmp" > "$f.ref" \
        || { bad "$net $c binary$t: the reference not written"; continue; }
      "$prog" --arithmetic=interval --check=directional --reference-type=binary$t \
        --reference="$f.ref" \
        "$tmp/$net.net" > "$f.txt"
      st=$?
      if [ "$st" -eq 0 ]; then ok; else bad "$net $c binary$t: exit $st"; fi
      # (A reference equal to the gradient, errors all 0, takes a retry
      # at a higher precision with or without the cheap path.)
      if [ $net$c = pequal ] || [ $net$c = pnear ] \
         || [ "$(grep '^arithmetic:' "$f.txt")" = \
              "$(grep '^arithmetic:' "$tmp/$net.plain")" ]; then ok
      else bad "$net $c binary$t: another precision than without a reference"
      fi
      if "$py" "$tmp/check.py" "$tmp/$net.net" $t "$f.ref" "$f.txt" "$tmp"
      then ok; else bad "$net $c binary$t: errors differ from python's fractions"; fi
    done
  done
done

# Every reference of d.net equal to its gradient: r - g is 0 inside
# enclosures of some width at any precision, which the cheap path
# leaves to the general one, and that one cannot certify either.
"$py" "$tmp/gen.py" exact "$tmp/d.net" 64 "$tmp" \
  | sed 's/-8.21875000000000022e-01/-8.21875e-01/' > "$tmp/eq.ref"
"$prog" --arithmetic=interval --check=directional --reference="$tmp/eq.ref" \
  "$tmp/d.net" > /dev/null 2> "$tmp/eq.err"
st=$?
if [ "$st" -eq 3 ] \
   && grep -q "could not certify an error against the reference" "$tmp/eq.err"
then ok; else bad "d.net, references all equal: exit $st"; cat "$tmp/eq.err"; fi

echo "reference-cheap.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
