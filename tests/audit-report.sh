#!/bin/sh
# audit-report.sh -- fadj-audit's report that explains (issue 14): the
# reference file's 'type' statement, --summary's statistics on a
# hand-made reference whose errors are known exactly, the condition of an
# entry whose terms cancel, decimal references and errors, exact values
# (p/q in JSON only), the header's batch, the shared bias as a JSON list
# and the --entries arrays.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-audit"
rat="$top_srcdir/examples/relu-rational.net"
mazur="$top_srcdir/examples/mazur.net"
python_with json audit-report.sh

# A[10,1], identity, W^1 = 0, no bias, x = (1, ..., 1), y = -1:
# Y^1 = 0, Y^1_* = X^1 - y = 1, so dJ/dW^1[1,j] = 1 for every j and
# dJ/dX^0 = (W^1)^T Y^1_* = 0.
cat > "$tmp/stats.net" <<'EOF'
input [1 1 1 1 1 1 1 1 1 1]
target [-1]
layer identity
  weights [0 0 0 0 0 0 0 0 0 0]
loss half_squared
EOF
# The reference: r_j = 1 + k_j 2^-23, in binary32 ulps (ulp(r) = 2^-23 on
# [1, 2)) an error of exactly k_j, with k = (3, 0, 100, 1, 1/2, 3, 6, 1,
# 2, 3); the input gradient exactly 0 (ten errors of 0).
cat > "$tmp/stats.ref" <<'EOF'
type binary32
gradient 1 weights [[8388611/8388608, 1, 8388708/8388608, 8388609/8388608,
  16777217/16777216, 8388611/8388608, 8388614/8388608, 8388609/8388608,
  8388610/8388608, 8388611/8388608]]
input_gradient [0 0 0 0 0 0 0 0 0 0]
EOF

# The type statement sets the ulps: without it (binary64) every error
# would be 2^29 times larger.  Layer 1, sorted: 0, 1/2, 1, 1, 2, 3, 3,
# 3, 6, 100 (n = 10).  Nearest rank, the ceil(q n)-th smallest: median
# the 5th = 2, p90 the 9th = 6, p99 the 10th = 100 = max; within 1 ulp:
# 0, 1/2, 1, 1: 4 of 10.  All 20: eleven 0s then the nine others; median
# the 10th = 0, p90 the 18th = 3, p99 the 20th = 100; within 1: 14 of 20.
expect 0 "summary" -- "$prog" --reference="$tmp/stats.ref" --summary --worst=3 "$tmp/stats.net"
grep_in out '^layer 1: 10 entries, errors in binary32 ulps$' "summary: type binary32 taken"
grep_in out '^  median 2.00000e+0, p90 6.00000e+0, p99 1.00000e+2, max 1.00000e+2$' "summary: layer 1"
grep_in out '^  within 1 ulp: 4 of 10 (40.0%)$' "summary: layer 1 within"
grep_in out '^all entries: 20 entries' "summary: all"
grep_in out '^  median 0, p90 3.00000e+0, p99 1.00000e+2, max 1.00000e+2$' "summary: all"
grep_in out '^  within 1 ulp: 14 of 20 (70.0%)$' "summary: all within"
# The worst three: k = 100 (column 3), 6 (column 7), then the first 3
# (column 1).  Each is one term 1 * 1: condition 1; gamma_1 = 1/(2^24 - 1)
# times sum |terms| = 1 is 2^23/(2^24 - 1) = 0.50000003 ulps: 5.00000e-1.
sed -n '/^layer 1:/,/^input/p' "$tmp/out" > "$tmp/layer1"
grep_in layer1 '^    dJ/dW^1\[1,3\] *1.00000e+2 ulps$' "summary: worst 1"
grep_in layer1 '^      condition 1.00000e+0, bound 5.00000e-1 ulps, error/bound 2.00000e+2$' "summary: worst 1 condition"
[ "$(grep -c '^    dJ/dW' "$tmp/layer1")" -eq 3 ] && ok || bad "summary: --worst=3 lists 3"
awk '$1 ~ /^dJ/ { printf "%s ", $1 }' "$tmp/layer1" > "$tmp/worst"
[ "$(cat "$tmp/worst")" = "dJ/dW^1[1,3] dJ/dW^1[1,7] dJ/dW^1[1,1] " ] \
  && ok || bad "summary: worst order $(cat "$tmp/worst")"
# The histogram: bin k holds (2^(k-1), 2^k]; 0 alone: 1 | 1/2 | 1, 1 |
# 2 | 3, 3, 3 | 6 | - | - | - | 100 (the three empty bins one row); the
# longest bar (3) is 50 wide.
grep_in layer1 '^                 0 |#* 1$' "histogram: 0"
grep_in layer1 '^       (2^-1, 2^0\] |#* 2$' "histogram: (1/2, 1]"
grep_in layer1 '^        (2^1, 2^2\] |#\{50\} 3$' "histogram: (2, 4]"
grep_in layer1 '^        (2^3, 2^6\] | 0$' "histogram: a run of empty bins"
grep_in layer1 '^        (2^6, 2^7\] |#* 1$' "histogram: (64, 128]"
awk 'length > 80 { bad = 1 } END { exit bad }' "$tmp/out" && ok || bad "summary: a line over 80 columns"

# The same in JSON, checked by Python against the nearest-rank
# definition computed here from the k above.
expect 0 "summary json" -- "$prog" --format=json --reference="$tmp/stats.ref" --summary "$tmp/stats.net"
"$py" - "$tmp/out" <<'EOF' && ok || bad "summary json"
import json, math, sys
from fractions import Fraction as F
d = json.load(open(sys.argv[1]))
k = [3, 0, 100, 1, F(1, 2), 3, 6, 1, 2, 3]
def stats(errs):
    e = sorted(errs)
    rank = lambda q: e[max(math.ceil(q * len(e)), 1) - 1]
    return rank(F(1, 2)), rank(F(9, 10)), rank(F(99, 100)), e[-1], \
        sum(1 for x in e if x <= 1)
def check(got, errs):
    med, p90, p99, mx, within = stats(errs)
    assert got["entries"] == len(errs), got
    for name, want in (("median_ulp", med), ("p90_ulp", p90),
                       ("p99_ulp", p99), ("max_ulp", mx)):
        assert F(got[name]) == want, (name, got[name], want)
    assert got["within_1ulp"] == within, got
    assert got["zero_errors"] == sum(1 for x in errs if x == 0), got
    hist = {}
    for x in errs:
        if x:
            b = math.ceil(math.log2(x))
            hist[b] = hist.get(b, 0) + 1
    bins = sorted(hist)      # the nonempty bins
    assert got["histogram"] == [{"log2_upper": b, "count": hist.get(b, 0)}
                                for b in bins], got["histogram"]
s = d["summary"]
assert d["reference"]["type"] == "binary32"
check(s["layers"][0], k)
assert s["layers"][0]["layer"] == 1
assert s["layers"][1]["layer"] == 0      # the input gradient
check(s["layers"][1], [0] * 10)
check(s["overall"], k + [0] * 10)
w = s["overall"]["worst"]
assert [(x["kind"], x["row"], x["col"]) for x in w[:3]] == \
    [("weight", 0, 2), ("weight", 0, 6), ("weight", 0, 0)], w
assert F(w[0]["condition"]) == 1 and F(w[0]["ulp_error"]) == 100, w
EOF

# The type statement against the option: the same type is accepted, the
# other one is an input error at the type name (line 1, column 6).
expect 0 "type and the same option" -- "$prog" --reference="$tmp/stats.ref" --reference-type=binary32 --summary "$tmp/stats.net"
expect 2 "type mismatch" -- "$prog" --reference="$tmp/stats.ref" --reference-type=binary64 "$tmp/stats.net"
empty_stdout "type mismatch"
[ "$(cat "$tmp/err")" = "$tmp/stats.ref:1:6: error: the reference file's type is binary32 but --reference-type=binary64 was given" ] \
  && ok || bad "type mismatch message: $(cat "$tmp/err")"
# Without the statement the default is binary64: errors of k 2^29.
sed 1d "$tmp/stats.ref" > "$tmp/untyped.ref"
expect 0 "no type: binary64" -- "$prog" --reference="$tmp/untyped.ref" --summary "$tmp/stats.net"
grep_in out '^  median 0, p90 1.61061e+9, p99 5.36871e+10, max 5.36871e+10$' "no type: binary64 ulps"

# A reference 0 against dJ/dW^1[1,1] = 1 is 1 / 2^-1074 = 2^1074
# binary64 ulps off (ulp(0) the smallest subnormal), 2.02402e+323: beyond
# a double, still sorted, binned and printed.
printf 'gradient 1 weights [[0, 1, 1, 1, 1, 1, 1, 1, 1, 1]]\n' > "$tmp/zero.ref"
expect 0 "error of 2^1074 ulps" -- "$prog" --reference="$tmp/zero.ref" --summary "$tmp/stats.net"
grep_in out '^  median 0, p90 0, p99 2.02402e+323, max 2.02402e+323$' "error of 2^1074 ulps"
grep_in out '^ *(2^1073, 2^1074\] |#* 1$' "error of 2^1074 ulps: its bin"

# --summary and --entries need a reference; --worst is bounded.
expect 2 "--summary without --reference" -- "$prog" --summary "$tmp/stats.net"
grep_in err "needs --reference" "--summary without --reference"
expect 2 "--summary in CSV" -- "$prog" --format=csv --summary --reference="$tmp/stats.ref" "$tmp/stats.net"
expect 2 "--entries in text" -- "$prog" --entries --reference="$tmp/stats.ref" "$tmp/stats.net"
grep_in err "needs --format=json" "--entries in text"
expect 2 "--worst=1001" -- "$prog" --worst=1001 --reference="$tmp/stats.ref" --summary "$tmp/stats.net"

# Condition: one weight, two samples x = 1 with targets -1001 and 1000:
# Y^1_* = (1001, -1000), dJ/dW^1 = 1001 - 1000 = 1, sum |terms| = 2001,
# condition 2001.  The reference 1 + 100 2^-52 is 100 binary64 ulps
# off; gamma_2 sum |terms| = 2/(2^53 - 2) 2001 = 2001 2^53/(2^53 - 2)
# ulps of 2^-52 (2.00100e+3), and 100 over it is 0.0499750...: a large
# error that the entry's own cancellation explains.  The reference, to
# 30 digits: 1 + 100 2^-52 = 1.0000000000000222044604925031308..
cat > "$tmp/cond.net" <<'EOF'
sample [1] -> [-1001]
sample [1] -> [1000]
batch sum
layer identity
  weights [0]
loss half_squared
EOF
printf 'type binary64\ngradient 1 weights [4503599627370596/4503599627370496]\n' > "$tmp/cond.ref"
expect 0 "condition csv" -- "$prog" --format=csv --reference="$tmp/cond.ref" "$tmp/cond.net"
grep_in out '^layer,kind,row,col,value,reference,abs_error,rel_error,ulp_error,condition,bound_ulps,bound_ratio,abs_bound$' "csv header"
grep_in out '^1,weight,0,0,1.00000000000000000000000000000e+0,1.00000000000002220446049250313e+0,2.22045e-14,2.22045e-14,1.00000e+2,2.00100e+3,2.00100e+3,4.99750e-2,$' "condition csv"
expect 0 "condition text" -- "$prog" --reference="$tmp/cond.ref" "$tmp/cond.net"
grep_in out 'batch sum, m = 2 samples' "header: batch sum"
grep_in out 'condition 2.00100e+3, bound 2.00100e+3 ulps, error/bound 4.99750e-2' "condition text"
# Under batch mean the same terms over m = 2 (the division one rounding
# more, gamma_3): J's gradient 1/2, condition still 2001.
sed 's/batch sum/batch mean/' "$tmp/cond.net" > "$tmp/mean.net"
expect 0 "batch mean" -- "$prog" "$tmp/mean.net"
grep_in out 'batch mean, m = 2 samples' "header: batch mean"

# Exact values: p/q in JSON with "exact": true; decimals in text and CSV
# (13/60 = 0.21666.., 13/30 = 0.43333..) unless --exact-display=fraction;
# reference values and errors always decimals.
cat > "$tmp/rat.ref" <<'EOF'
gradient 1 weights [0.2167 -13/30; 0 0; 13/120 -13/60] bias [13/30 0 13/60]
gradient 2 weights [13/36 0 13/50] bias [13/30]
input_gradient [13/20 -13/360]
EOF
expect 0 "exact json" -- "$prog" --format=json "$rat"
grep_in out '"exact": true' "exact json"
grep_in out '"weights_gradient": \[$' "exact json"
grep_in out '\["13/60", "-13/30"\]' "exact json: p/q"
for fmt in text csv; do
  expect 0 "exact $fmt" -- "$prog" --format=$fmt --reference="$tmp/rat.ref" "$rat"
  no_grep_in out '[0-9]/[0-9]' "exact $fmt: no p/q"
  grep_in out '2.16666666666666666666666666667e-1' "exact $fmt: 13/60 rounded"
done
expect 0 "--exact-display=fraction" -- "$prog" --exact-display=fraction "$rat"
grep_in out '13/60' "--exact-display=fraction"
expect 0 "--exact-display=fraction csv" -- "$prog" --format=csv --exact-display=fraction --reference="$tmp/rat.ref" "$rat"
grep_in out '^1,weight,0,0,13/60,2.16700000000000000000000000000e-1,3.33333e-5,' "fraction csv: reference decimal"
expect 2 "--exact-display=bogus" -- "$prog" --exact-display=bogus "$rat"

# JSON parses; a shared bias's gradient is a list of one value (Mazur:
# 1.00400325e-01 for layer 2, by hand in tests/audit.sh); --entries gives
# arrays of the gradients' shapes.
expect 0 "shared bias json" -- "$prog" --format=json --digits=8 "$mazur"
"$py" - "$tmp/out" <<'EOF' && ok || bad "shared bias json: a list"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["layers"][1]["bias_gradient"] == ["1.0040033e-1"], d["layers"][1]
EOF
# In the summary a shared bias is one entry, at column N_(l-1) = 2 (as
# the reference's worst); the batch's reduction is in "network".
printf 'gradient 1 weights [0 0; 0 0] bias [0]\ngradient 2 weights [0 0; 0 0] bias [0]\n' > "$tmp/mazur.ref"
expect 0 "shared bias summary" -- "$prog" --format=json --summary --worst=10 --digits=8 --reference="$tmp/mazur.ref" "$mazur"
"$py" - "$tmp/out" <<'EOF' && ok || bad "shared bias summary"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["network"]["batch"] == "sum"
for L in d["summary"]["layers"][:2]:
    assert L["entries"] == 5, L
    b = [w for w in L["worst"] if w["kind"] == "bias"]
    assert len(b) == 1 and b[0]["row"] == 0 and b[0]["col"] == 2, b
EOF
expect 0 "--entries" -- "$prog" --format=json --entries --reference="$tmp/rat.ref" "$rat"
"$py" - "$tmp/out" <<'EOF' && ok || bad "--entries"
import json, sys
from fractions import Fraction as F
d = json.load(open(sys.argv[1]))
for L in d["layers"]:
    e = L["entries"]
    for part, grad in (("weights", L["weights_gradient"]),
                       ("bias", L["bias_gradient"])):
        for name in ("reference", "ulp_error", "condition", "bound_ratio"):
            a = e[part][name]
            assert len(a) == len(grad), (part, name)
            if part == "weights":
                assert [len(r) for r in a] == [len(r) for r in grad]
# 0.2167 against 13/60: |r - g| = 1/30000, ulp(0.2167) = 2^-55 (binary64).
w = d["layers"][0]["entries"]["weights"]
assert F(w["reference"][0][0]) == F("0.2167"), w["reference"][0][0]
assert abs(F(w["ulp_error"][0][0]) / F(2**55, 30000) - 1) < F(1, 10**5)
assert w["ulp_error"][0][1] == "0"
# X^0_*[2] = (-1/3)(13/30) + (1/4) 0 + (1/2)(13/60) = -13/360 (the
# example's comment): sum |terms| = 91/360, condition 7.
g = d["input_gradient_entries"]
assert [len(r) for r in g["ulp_error"]] == [2] and F(g["condition"][0][1]) == 7
EOF

# An interval run (sigmoid): the summary agrees with the per-entry
# arrays of the same report (nearest rank over --entries' ulp errors),
# and its maximum with the reference's maximum.  The reference is the
# gradient rounded to 4 digits (its exact zeros stay exact).
ex="$top_srcdir/examples/boughammoura-a221.net"
expect 0 "interval: 4 digits" -- "$prog" --format=json --digits=4 "$ex"
"$py" - "$tmp/out" > "$tmp/a221.ref" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for L in d["layers"]:
    print("gradient %d weights [%s] bias [%s]" % (
        L["layer"], "; ".join(" ".join(r) for r in L["weights_gradient"]),
        " ".join(L["bias_gradient"])))
print("input_gradient [%s]" % " ".join(d["input_gradient"][0]))
EOF
expect 0 "interval summary" -- "$prog" --format=json --summary --entries --worst=100 --reference="$tmp/a221.ref" "$ex"
"$py" - "$tmp/out" <<'EOF' && ok || bad "interval summary"
import json, math, sys
from fractions import Fraction as F
d = json.load(open(sys.argv[1]))
assert not d["exact"]
errs = []
for L in d["layers"]:
    for part in ("weights", "bias"):
        a = L["entries"][part]["ulp_error"]
        errs += [F(x) for r in a for x in (r if isinstance(r, list) else [r])]
errs += [F(x) for r in d["input_gradient_entries"]["ulp_error"] for x in r]
e = sorted(errs)
rank = lambda q: e[math.ceil(q * len(e)) - 1]
o = d["summary"]["overall"]
assert o["entries"] == len(e) == 11, o
assert [F(o[k]) for k in ("median_ulp", "p90_ulp", "p99_ulp", "max_ulp")] \
    == [rank(F(1, 2)), rank(F(9, 10)), rank(F(99, 100)), e[-1]], o
assert F(o["max_ulp"]) == F(d["reference"]["max_ulp_error"])
assert o["within_1ulp"] == sum(1 for x in e if x <= 1)
assert len(o["worst"]) == 11
assert o["zero_errors"] == sum(1 for x in e if x == 0)
EOF

echo "audit-report.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
