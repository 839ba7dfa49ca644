#!/bin/sh
# audit.sh -- fadj-audit as a user meets it: options, the three formats,
# certified digits checked against an independent computation (Python's
# decimal module, whose exp is correctly rounded), rounding next to a
# boundary, the precision limit, reference files (errors, tolerance) and
# exit statuses.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-audit"
ex="$top_srcdir/examples/boughammoura-a221.net"
rat="$top_srcdir/examples/relu-rational.net"
dir="$top_srcdir/tests/audit-nets"
# --help lists every option; --version.
expect 0 "--help" -- "$prog" --help
for o in --output --digits --format --reference --reference-type --tolerance \
         --check --seed --arithmetic --summary --worst --entries \
         --exact-display --help --version; do
  grep_in out "$o" "--help"
done
expect 0 "--version" -- "$prog" --version
grep_in out "fadj-audit (fadj) " "--version"

# Usage errors: exit 2, nothing on stdout.
expect 2 "no operand" -- "$prog"
for a in --digits=0 --digits=1001 --format=xml --reference-type=binary16 \
         --check=half --seed=-1 "--tolerance=1 --reference=$tmp/none" \
         --worst=-1 --exact-display=p/q --summary --entries; do
  # shellcheck disable=SC2086
  expect 2 "$a" -- "$prog" $a "$ex"
  empty_stdout "$a"
done
# Each word option lists its own words (not another option's).
expect 2 "--check=half" -- "$prog" --check=half "$ex"
grep_in err "invalid value 'half' for --check: expected 'full', 'directional' or 'none'" "--check=half"
expect 2 "--tolerance without --reference" -- "$prog" --tolerance=1 "$ex"
expect 2 "--tolerance=-1" -- "$prog" --tolerance=-1 --reference="$ex" "$ex"

# JSON, the Done-when command: 40 digits, the check agrees.
expect 0 "json" -- "$prog" "$ex" --digits=40 --format=json
cp "$tmp/out" "$tmp/a221.json"
grep_in out '"verification": {"method": "interval-full", "agree": true}' json
grep_in out '"exact": false, "digits": 40' json
grep_in out '"sizes": \[2, 2, 1\], "activations": \["sigmoid", "sigmoid"\], "loss": "half_squared", "batch": "sum", "samples": 1' json
if command -v python3 >/dev/null 2>&1; then
  # Valid JSON, and every value equal to an independent 40-digit rounding:
  # A[2,2,1] at x = 0 (math notes): X^1 = (s(1), s(-1)), Y^2 = X^1_1 - X^1_2
  # + 1, X^2 = s(Y^2), seed e = X^2 - 1, Y^2_* = e X^2 (1 - X^2),
  # dJ/dW^2 = Y^2_* X^1, dJ/db^2 = Y^2_*, X^1_* = (1, -1) Y^2_*,
  # Y^1_* = X^1_* s'(Y^1), dJ/db^1 = Y^1_*, dJ/dW^1 = 0 (X^0 = 0),
  # X^0_* = (W^1)^T Y^1_*.
  cat > "$tmp/check.py" <<'PY'
import json, sys
from decimal import Decimal as D, getcontext
getcontext().prec = 80
def s(t): return 1 / (1 + (-t).exp())
def r40(v):
    if v == 0: return "0"
    t = format(v, ".39e")
    m, e = t.split("e")
    return "%se%+d" % (m, int(e))
x1 = [s(D(1)), s(D(-1))]
x2 = s(x1[0] - x1[1] + 1)
e = x2 - 1
ys2 = e * x2 * (1 - x2)
xs1 = [ys2, -ys2]
ys1 = [xs1[i] * x1[i] * (1 - x1[i]) for i in range(2)]
xs0 = [ys1[0] - ys1[1], -ys1[0] + ys1[1]]
J = e * e / 2
want = {"loss": r40(J),
        "w1": [["0", "0"], ["0", "0"]], "b1": [r40(v) for v in ys1],
        "w2": [[r40(ys2 * x1[0]), r40(ys2 * x1[1])]], "b2": [r40(ys2)],
        "x0": [[r40(v) for v in xs0]]}
got = json.load(open(sys.argv[1]))
L = got["layers"]
have = {"loss": got["loss"], "w1": L[0]["weights_gradient"],
        "b1": L[0]["bias_gradient"], "w2": L[1]["weights_gradient"],
        "b2": L[1]["bias_gradient"], "x0": got["input_gradient"]}
bad = [k for k in want if want[k] != have[k]]
for k in bad: print(k, "want", want[k], "got", have[k])
sys.exit(1 if bad else 0)
PY
  if python3 "$tmp/check.py" "$tmp/a221.json"; then ok; else bad "json: digits"; fi
fi

# The rational example: exact fractions (derived by hand in the file).
expect 0 "exact json" -- "$prog" --format=json "$rat"
grep_in out '"exact": true' "exact json"
grep_in out '"loss": "169/1800"' "exact json"
grep_in out '\["13/60", "-13/30"\]' "exact json"
grep_in out '"bias_gradient": \["13/30", "0", "13/60"\]' "exact json"
grep_in out '"input_gradient": \[\["13/20", "-13/360"\]\]' "exact json"
grep_in out '"method": "exact", "agree": true' "exact json"

# CSV: a header and one row per value (1 loss + 9 parameters + 2 inputs).
expect 0 "csv" -- "$prog" --format=csv --digits=6 "$ex"
[ "$(head -n 1 "$tmp/out")" = "layer,kind,row,col,value,abs_bound" ] && ok || bad "csv header"
[ "$(wc -l < "$tmp/out")" -eq 13 ] && ok || bad "csv rows"
grep_in out '^2,bias,0,0,-2.87381e-2,$' csv
grep_in out '^0,input,1,0,1.13005e-2,$' csv

# Text: the report names the check and the values.
expect 0 "text" -- "$prog" --digits=6 "$ex"
grep_in out 'verification: interval-full: agree' text
grep_in out 'dJ/dW^2\[1,2\] = -7.72888e-3' text
grep_in out 'loss: J = 1.76990e-2' text

# The directional check, and none.
expect 0 "directional" -- "$prog" --check=directional --format=json "$ex"
grep_in out '"method": "interval-directional", "agree": true' directional
expect 0 "none" -- "$prog" --check=none --format=json "$ex"
grep_in out '"method": "none", "agree": null' none

# Next to a rounding boundary: the Ziv loop raises the precision until the
# enclosure decides (see the files for the values).
expect 0 "boundary up" -- "$prog" --digits=40 --format=json "$dir/boundary-up.net"
grep_in out '"bias_gradient": \["2.500000000000000000000000000000000000001e-1"\]' "boundary up"
no_grep_in out '"precision_bits": 197,' "boundary up"
expect 0 "boundary down" -- "$prog" --digits=40 --format=json "$dir/boundary-down.net"
grep_in out '"bias_gradient": \["2.500000000000000000000000000000000000000e-1"\]' "boundary down"

# A saturated sigmoid (sigma(45) = 1 - 2.9e-20) is certified at the first
# precision: sigma' is not computed as 1 - X there.  dJ/dW^1 =
# sigma(45)^2 sigma(-45) and X^0_* = 45 times it, to 30 digits by Python's
# decimal module at 80 digits.
expect 0 "saturated" -- "$prog" --format=json "$dir/saturated.net"
grep_in out '"precision_bits": 163,' "saturated"
grep_in out '\["2.86251858054939364422430125046e-20"\]' "saturated"
grep_in out '\["1.28813336124722713990093556271e-18"\]' "saturated"

# The precision limit: exit 3, the value named, nothing on stdout; a
# tie that no enclosure decides (cancel.net).
expect 3 "precision limit" -- "$prog" --digits=3 "$dir/cancel.net"
empty_stdout "precision limit"
grep_in err 'could not certify the loss J to 3 digits within 65536 bits' "precision limit"
grep_in err 'lower --digits' "precision limit"

# Zeros to the working precision (cancel-zero.net: J, dJ/dW^2 and dJ/db^1
# are exactly 0, through the cancellation of sigma(1) - sigma(1)): exit 0,
# "0" with the certified bound |value| < 10^-k in each format, and every
# nonzero-free entry as before.  The bounds follow from the precision
# reached, 652 bits after two more doublings: J is the square of an
# enclosure of width about 2^-652 (< 1e-196), hence < 1e-392.
expect 0 "zeros" -- "$prog" "$dir/cancel-zero.net"
grep_in out '^loss: J = 0  (|value| < 1e-392: zero to the working precision, not proven to be 0)$' "zeros: loss"
grep_in out '^  dJ/dW^2\[1,2\] = 0  (|value| < 1e-196: zero' "zeros: weight"
grep_in out '^  dJ/dW^1\[1,1\] = 0$' "zeros: an exact 0 has no bound"
grep_in out '^arithmetic: intervals at 652 bits' "zeros: two more doublings"
expect 0 "zeros json" -- "$prog" --format=json "$dir/cancel-zero.net"
grep_in out '"loss": "0",' "zeros json: loss"
grep_in out '{"layer": 0, "kind": "loss", "row": 0, "col": 0, "abs_bound": "1e-392"}' "zeros json: list"
grep_in out '{"layer": 1, "kind": "bias", "row": 1, "col": 1, "abs_bound": "1e-196"}' "zeros json: bias column"
expect 0 "zeros csv" -- "$prog" --format=csv "$dir/cancel-zero.net"
grep_in out '^2,weight,0,0,0,1e-196$' "zeros csv"
grep_in out '^1,weight,0,0,0,$' "zeros csv: exact 0"

# Reference files: exact values give 0 error; a value off by 1/30000
# (13/60 given as 0.2167) is 2^55/30000 = 2251799813685248/1875 binary64
# ulps off (ulp(0.2167) = 2^-55).  Errors and references are decimals
# (6 digits: 3.33333e-5, 1.20096e+12), values of an exact run too in text
# and CSV (13/60 = 0.21666..).
cat > "$tmp/rat.ref" <<'REF'
gradient 1 weights [13/60 -13/30; 0 0; 13/120 -13/60] bias [13/30 0 13/60]
gradient 2 weights [13/36 0 13/50] bias [13/30]
input_gradient [13/20 -13/360]
REF
expect 0 "exact reference" -- "$prog" --format=json --reference="$tmp/rat.ref" --tolerance=0 "$rat"
grep_in out '"max_abs_error": "0", "max_rel_error": "0", "max_ulp_error": "0"' "exact reference"
sed 's|\[13/60 |[0.2167 |' "$tmp/rat.ref" > "$tmp/off.ref"
expect 1 "tolerance exceeded" -- "$prog" --format=json --reference="$tmp/off.ref" --tolerance=1 "$rat"
grep_in out '"max_abs_error": "3.33333e-5"' "tolerance exceeded"
grep_in out '"max_ulp_error": "1.20096e+12"' "tolerance exceeded"
grep_in out '"worst": {"layer": 1, "row": 0, "col": 0}' "tolerance exceeded"
grep_in err 'tolerance' "tolerance exceeded"
expect 0 "tolerance met" -- "$prog" --format=csv --reference="$tmp/off.ref" --tolerance=2e12 "$rat"
grep_in out '^1,weight,0,0,2.16666666666666666666666666667e-1,2.16700000000000000000000000000e-1,3.33333e-5,' "csv reference"
expect 0 "text reference" -- "$prog" --reference="$tmp/off.ref" --reference-type=binary32 "$rat"
grep_in out 'worst: dJ/dW^1\[1,1\], certified 2.16666666666666666666666666667e-1, reference 2.16700000000000000000000000000e-1' "text reference"

# Reference errors: one located line, exit 2, nothing on stdout.
printf 'gradient 1 weights [1 2]\n' > "$tmp/bad.ref"
expect 2 "bad reference" -- "$prog" --reference="$tmp/bad.ref" "$rat"
empty_stdout "bad reference"
[ "$(cat "$tmp/err")" = "$tmp/bad.ref:1:20: error: gradient 1: weights are 1 x 2 but W^1 is 3 x 2" ] \
  && ok || bad "bad reference message: $(cat "$tmp/err")"
expect 2 "missing reference" -- "$prog" --reference="$tmp/nope.ref" "$rat"
# Every invalid reference of tests/invalid-ref (for A[2,2,1]): exactly
# one line FILE:LINE:COL: error: ..., the expected one (FILE.err), exit
# 2, nothing on stdout.  (.ci/run runs them under valgrind too.)
audit_ref () { "$prog" --reference="$1" "$ex"; }
located_errors "$top_srcdir/tests/invalid-ref" ref 20 audit_ref

# -o: written on success; an existing file survives a failure.
expect 0 "-o" -- "$prog" -o "$tmp/r.json" --format=json "$ex"
empty_stdout "-o"
grep_in r.json '"fadj_version"' "-o"
echo precious > "$tmp/keep"
expect 3 "-o on failure" -- "$prog" -o "$tmp/keep" --digits=3 "$dir/cancel.net"
grep_in keep '^precious$' "-o on failure"
# A report of several MiB is written to the file while it is produced
# (cli_output_stream): the file is the same document as on stdout, in
# every format.
# (fadj-gen stops at width 64: awk writes a 3-layer, 200-wide network.)
awk 'BEGIN { srand(7); n = 200
  printf "input ["; for (j = 0; j < n; j++) printf " %.3f", 2 * rand() - 1
  printf " ]\ntarget ["; for (j = 0; j < n; j++) printf " %.3f", rand()
  printf " ]\n"
  for (l = 0; l < 3; l++) { printf "layer sigmoid\nweights [\n"
    for (i = 0; i < n; i++) { for (j = 0; j < n; j++) printf " %.3f", 2 * rand() - 1
      printf "\n" }
    printf "]\n" }
  printf "loss half_squared\n" }' >"$tmp/big.net"
for f in text json csv; do
  "$prog" --format=$f --check=directional "$tmp/big.net" >"$tmp/big.$f" \
    || bad "big $f: stdout"
  expect 0 "big $f: -o" -- "$prog" --format=$f --check=directional \
    -o "$tmp/bigo.$f" "$tmp/big.net"
  if cmp -s "$tmp/big.$f" "$tmp/bigo.$f"; then ok; else
    bad "big $f: -o differs from stdout"; fi
  # Larger than the 4 MiB the buffer holds, or nothing was streamed.
  [ "$(wc -c <"$tmp/big.$f")" -gt 4194304 ] && ok \
    || bad "big $f: smaller than the spill limit: nothing streamed"
done
# A write that fails midway (a file-size limit: EFBIG once SIGXFSZ is
# ignored): one message, exit 3, the old file intact, no temporary left.
expect 3 "-o, write fails midway" -- sh -c 'trap "" XFSZ; ulimit -f 2048 &&
  exec "$@"' sh "$prog" --check=directional -o "$tmp/keep" "$tmp/big.net"
grep_in keep '^precious$' "-o, write fails midway"
grep_in err "error writing .*keep.*: File too large" "-o, write fails midway"
[ "$(wc -l <"$tmp/err")" -eq 1 ] && ok || bad "-o, write fails midway: not one line"
ls -a "$tmp" | grep -q '^\.fadj-' && bad "-o, write fails midway: temporary left" || ok
# The same without the caller's trap: the program ignores SIGXFSZ itself
# (before: killed by it, exit 153, no message, the temporary left).
expect 3 "-o, file size limit" -- sh -c 'ulimit -f 2048 && exec "$@"' sh \
  "$prog" --check=directional -o "$tmp/keep" "$tmp/big.net"
grep_in keep '^precious$' "-o, file size limit"
grep_in err "error writing .*keep.*: File too large" "-o, file size limit"
ls -a "$tmp" | grep -q '^\.fadj-' && bad "-o, file size limit: temporary left" || ok
# -o keeps the permission bits of the file it replaces.
chmod 600 "$tmp/keep"
expect 0 "-o keeps the mode" -- "$prog" -o "$tmp/keep" "$ex"
[ "$(stat -c %a "$tmp/keep")" = 600 ] && ok || bad "-o: mode 600 became $(stat -c %a "$tmp/keep")"
# --help and --version that cannot be written: exit 3, a message.
for opt in --help --version; do
  "$prog" $opt > /dev/full 2> "$tmp/err"; got=$?
  [ $got -eq 3 ] && ok || bad "$opt > /dev/full: exit $got"
  grep_in err "error writing to standard output" "$opt > /dev/full"
  "$prog" $opt >&- 2> "$tmp/err"; got=$?
  [ $got -eq 3 ] && ok || bad "$opt, closed stdout: exit $got"
done

# A bias shared by a layer (Mazur's example) is one parameter: its
# gradient is one value, the sum of the neurons' deltas.  By hand in
# float64 (tests/reference.py's network): layer 2: d_o1 + d_o2 =
# 1.00400325e-01; layer 1: 1.87256094e-02.
mazur="$top_srcdir/examples/mazur.net"
for c in full directional; do
  expect 0 "shared bias, --check=$c" -- "$prog" --check=$c --format=json --digits=8 "$mazur"
  grep_in out '"bias_gradient": \["1.0040033e-1"\]' "shared bias json, $c"
  grep_in out '"bias_gradient": \["1.8725609e-2"\]' "shared bias json, $c"
done
expect 0 "shared bias csv" -- "$prog" --format=csv --digits=8 "$mazur"
grep_in out '^2,bias,0,0,1.0040033e-1,$' "shared bias csv"
no_grep_in out '^2,bias,1,' "shared bias csv: one entry"
# Its reference gradient is one number; two are a size error.
cat > "$tmp/mazur.ref" <<'EOT'
gradient 1 weights [0 0; 0 0] bias [0.0187256094]
gradient 2 weights [0 0; 0 0] bias [0.100400325]
EOT
expect 0 "shared bias reference" -- "$prog" --reference="$tmp/mazur.ref" "$mazur"
cat > "$tmp/mazur2.ref" <<'EOT'
gradient 1 weights [0 0; 0 0] bias [0.01 0.01]
gradient 2 weights [0 0; 0 0] bias [0.1]
EOT
expect 2 "shared bias reference, two entries" -- "$prog" --reference="$tmp/mazur2.ref" "$mazur"
grep_in err 'mazur2.ref:1:' "shared bias reference, two entries"

# 'batch mean': the directional check divides what comes from Y_* and
# X^0_* by m like the gradients; both checks agree.
sed 's/^batch .*//' "$top_srcdir/examples/xor-batch.net" > "$tmp/xor-mean.net"
echo "batch mean" >> "$tmp/xor-mean.net"
for c in full directional; do
  expect 0 "batch mean, --check=$c" -- "$prog" --check=$c --format=json "$tmp/xor-mean.net"
  grep_in out '"agree": true' "batch mean, $c"
done

# One sample: the lean trace of --check=directional rounds the weight rows
# of the gradients at once, from the operands of their products
# (fadj_trace_gradient_row_round); --check=full stores the gradients and
# rounds each stored enclosure by itself.  Both print the correctly
# rounded digits, so the reports agree byte for byte but for the lines
# that name the check or the precision reached -- at 34 digits (the row
# kernel's last) and 36 (past it) too.
gen="$top_builddir/src/fadj-gen"
for seed in 1 2 3; do
  "$gen" --seed=$seed --sizes=7,12,9,6 > "$tmp/rows.net"
  for f in text json csv; do
    for d in 1 17 30 34 36; do
      for c in full directional; do
        expect 0 "rows, seed $seed, $f, $d digits, --check=$c" -- \
          "$prog" --check=$c --format=$f --digits=$d "$tmp/rows.net"
        grep -v -e '^verification:' -e '"verification"' -e '^arithmetic:' \
          -e '"precision_bits"' "$tmp/out" > "$tmp/rows.$c"
      done
      if cmp -s "$tmp/rows.full" "$tmp/rows.directional"; then ok; else
        bad "rows, seed $seed, $f, $d digits: the reports differ"
        diff "$tmp/rows.full" "$tmp/rows.directional" | head -5
      fi
    done
  done
done

echo "audit.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
