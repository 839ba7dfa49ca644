#!/bin/sh
# audit-hostile.sh -- untrusted input to fadj-audit (issue 6 extended to
# the audit of issue 4): hostile literals in a reference file, references
# of the wrong sizes or with NaN-ish text, hostile numbers in the network,
# the exact growth guard and --arithmetic, no clobbered output (bad input,
# signals, full disk, closed stdout), out of memory under ulimit -v, and
# byte-identical reports in every format under a decimal-comma locale.
# Expected values come from the mathematics (see each case), never from
# the program.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-audit"
ex="$top_srcdir/examples/boughammoura-a221.net"
rat="$top_srcdir/examples/relu-rational.net"
one_line () {
  if [ "$(wc -l < "$tmp/err")" -eq 1 ]; then ok; else bad "$1: not one line on stderr"; cat "$tmp/err"; fi
}

# A valid reference for A[2,2,1] (torch's float32 gradients, as in
# tests/check_ref.c); W2 is the entry dJ/dW^2[1,1] that the cases replace.
ref () {
  printf 'gradient 2 weights [%s, -0x1.fa7p-8] bias [-0.0287381]
gradient 1 weights [[0, 0], [0, 0]]
  bias [-0.00565026
 0.00565026]
input_gradient [-0.0113005 0.0113005]
loss 1.7699e-2
' "$1" > "$tmp/$2"
}

# ---- Hostile literals in a reference file ----------------------------
# r = 10^99999 (an exact integer of 332190 bits) against the certified
# g = dJ/dW^2[1,1] ~ -0.0210: |r - g| = 10^99999 + 0.0210.. prints as
# 1.00000e+99999; 2^332189 <= r < 2^332190, so ulp_64(r) = 2^332137 and
# the ulp error is (10^99999 + 0.02) / 2^332137 = 6314371829607268.64..
# (Python's fractions: 10**99999 / 2**332137), 6.31437e+15; it is the
# worst entry (rows and columns count from 0, as in the CSV).
ref 1e99999 huge.ref
expect 0 "reference 1e99999" -- "$prog" --format=json --reference="$tmp/huge.ref" "$ex"
grep_in out '"max_abs_error": "1.00000e+99999"' "reference 1e99999"
grep_in out '"max_ulp_error": "6.31437e+15"' "reference 1e99999"
grep_in out '"worst": {"layer": 2, "row": 0, "col": 0}' "reference 1e99999"
no_nan_inf "reference 1e99999"
# The same as a hex float and as an exact fraction of 10001-digit terms:
# 0x1p99999 = 2^99999, ulp_64 = 2^99947, ulp error 2^52 (+ 0.02 / 2^99947)
# = 4503599627370496 -> 4.50360e+15.
ref 0x1p99999 hex.ref
expect 0 "reference 0x1p99999" -- "$prog" --format=csv --reference="$tmp/hex.ref" "$ex"
grep_in out '^2,weight,0,0,[^,]*,[^,]*,[^,]*,[^,]*,4.50360e+15,' "reference 0x1p99999"
no_nan_inf "reference 0x1p99999"
# r = 10^4000 / (10^4001 + 1), an exact fraction of 8004 characters, is
# 1/10 - 10^-4002 + ..: against g = -0.0210.., |r - g| = 0.1210.. and
# 2^-4 <= r < 2^-3, so ulp_64(r) = 2^-56: the ulp error is 0.1210.. 2^56
# ~ 8.72e15, finite; nothing is NaN or infinite.
p=$(awk 'BEGIN { s = "1"; for (i = 0; i < 4000; i++) s = s "0"; print s }')
ref "$p/${p}1" frac.ref
expect 0 "reference 10^4000/(10^4001+1)" -- "$prog" --format=json --reference="$tmp/frac.ref" "$ex"
grep_in out '"max_abs_error": "1.21[0-9]*e-1"' "reference 10^4000/(10^4001+1)"
grep_in out '"max_ulp_error": "8.7[0-9]*e+15"' "reference 10^4000/(10^4001+1)"
no_nan_inf "reference 10^4000/(10^4001+1)"
# A denormal-range value: 1e-99999 is below binary64's smallest normal, so
# ulp = 2^-1074 and the error against g ~ -0.0210 is finite and huge.
ref 1e-99999 tiny.ref
expect 0 "reference 1e-99999" -- "$prog" --reference="$tmp/tiny.ref" "$ex"
no_nan_inf "reference 1e-99999"
# Literals past the limits, NaN-ish and infinite spellings: a located
# error at the literal (line 1, column 21, after 'gradient 2 weights ['),
# exit 2, one line, nothing on stdout.
long=$(awk 'BEGIN { s = "1"; for (i = 0; i < 10000; i++) s = s "0"; print s }')
for lit in 1e999999999 0x1p-999999999 1e100001 0/0 1/0 nan NaN inf Infinity \
           -nan +inf 1e 0x "$long"; do
  ref "$lit" lit.ref
  expect 2 "reference literal $(echo "$lit" | cut -c1-20)" -- "$prog" --reference="$tmp/lit.ref" "$ex"
  empty_stdout "reference literal $lit"
  one_line "reference literal $lit"
  grep_in err "^$tmp/lit.ref:1:2[0-9]: error: " "reference literal $(echo "$lit" | cut -c1-20)"
done

# ---- References of the wrong sizes -------------------------------------
# Mazur's reference (2-2-2, shared biases) given for A[2,2,1]: W^2 is 1 x 2
# there, 2 x 2 here.
printf 'gradient 1 weights [1 2; 3 4] bias [5 6]\ngradient 2 weights [1 2; 3 4] bias [5]\n' > "$tmp/wrong.ref"
expect 2 "reference of another network" -- "$prog" --reference="$tmp/wrong.ref" "$ex"
grep_in err "wrong.ref:2:20: error: gradient 2: weights are 2 x 2 but W^2 is 1 x 2" "wrong sizes"
empty_stdout "wrong sizes"
# A reference for every layer but with one sample's input gradient given
# for a batch: the XOR batch has 4 samples of 2 inputs.
xor="$top_srcdir/examples/xor-batch.net"
{ printf 'gradient 1 weights [1 2; 3 4] bias [1 2]\ngradient 2 weights [1 2] bias [1]\n'
  printf 'input_gradient [1 2]\n'; } > "$tmp/batch.ref"
expect 2 "input_gradient of one sample for a batch" -- "$prog" --reference="$tmp/batch.ref" "$xor"
grep_in err "batch.ref:3:16: error: input_gradient is 1 x 2 but the network needs 4 rows (samples) of 2" "batch input_gradient"
# Every case of tests/invalid-ref is checked by tests/audit.sh; a
# reference of 10^7 + 1 numbers passes the entry limit (tests/limits.sh).

# ---- Hostile numbers in the network -------------------------------------
# dJ/dW^1 = (s(x) - 1) s(x) (1 - s(x)) x at x = -1e6: with X = s(-1e6) =
# 3.29683147808855857896890796911e-434295 (Python's decimal; see
# tests/hostile.sh), (X - 1) X (1 - X) (-1e6) = X 10^6 (1 - X)^2, which
# is X 10^6 to far more than 12 digits: 3.29683147809e-434289.
net n.net -1e6 sigmoid
expect 0 "sigmoid(-1e6)" -- "$prog" --digits=12 "$tmp/n.net"
grep_in out 'dJ/dW^1\[1,1\] = 3.29683147809e-434289' "sigmoid(-1e6)"
no_nan_inf "sigmoid(-1e6)"
# Past MPFR's exponent range as the programs set it: exit 3, a message.
beyond_range "$prog" "1e99999 sigmoid" "0x1p99999 tanh" "1e99999 softplus"
for lit in 1e999999999 0/0 1/0; do
  net n.net "$lit" relu
  expect 2 "network literal $lit" -- "$prog" "$tmp/n.net"
  grep_in err "n.net:1:[0-9]*: error: " "network literal $lit"
done

# ---- The exact growth guard and --arithmetic ----------------------------
exact_growth "$prog" "arithmetic=interval (and --digits=N"
# J = (X^4)^2 / 2 = 7^8 10^799992 / 18 = 320266.72.. x 10^799992.
expect 0 "exact growth, intervals" -- "$prog" --arithmetic=interval --digits=6 "$tmp/grow.net"
grep_in out 'loss: J = 3.20267e+799997' "exact growth, intervals"
# --arithmetic=interval on a rational network: decimals, not fractions.
# dJ/dW^2[1,1] of relu-rational is 13/60 (tests/audit.sh) = 0.21666...
expect 0 "--arithmetic=interval" -- "$prog" --arithmetic=interval --digits=5 --format=json "$rat"
grep_in out '"exact": false' "--arithmetic=interval"
grep_in out '"interval-full"' "--arithmetic=interval"
expect 0 "--arithmetic=exact" -- "$prog" --arithmetic=exact --format=csv "$rat"
grep_in out '^1,weight,0,0,2.16666666666666666666666666667e-1,$' "--arithmetic=exact"
expect 2 "--arithmetic=exact on sigmoid" -- "$prog" --arithmetic=exact "$ex"
empty_stdout "--arithmetic=exact on sigmoid"
grep_in err "not rational" "--arithmetic=exact on sigmoid"
expect 2 "--arithmetic=bogus" -- "$prog" --arithmetic=bogus "$ex"
grep_in err "expected 'auto', 'exact' or 'interval'" "--arithmetic=bogus"

# ---- No clobbering ------------------------------------------------------
echo OLD > "$tmp/keep.json"
printf 'input [1\n' > "$tmp/bad.net"
expect 2 "bad input keeps -o" -- "$prog" -o "$tmp/keep.json" "$tmp/bad.net"
ref nan lit.ref
expect 2 "bad reference keeps -o" -- "$prog" -o "$tmp/keep.json" --reference="$tmp/lit.ref" "$ex"
printf '%s\n' 'gradient 1 weights [1 2; 3 4] bias [1 2]' 'gradient 2 weights [1 2] bias [1]' > "$tmp/far.ref"
expect 1 "tolerance failure writes the report" -- "$prog" -o "$tmp/far.json" --reference="$tmp/far.ref" --tolerance=1 "$ex"
if [ -s "$tmp/far.json" ]; then ok; else bad "tolerance failure: no report"; fi
if [ "$(cat "$tmp/keep.json")" = OLD ]; then ok; else bad "a failed run clobbered -o"; fi
expect 3 "-o in a missing directory" -- "$prog" -o "$tmp/no/such/dir/x.json" "$ex"
grep_in err "cannot create a temporary file" "-o in a missing directory"
expect 3 "-o /dev/full" -- "$prog" -o /dev/full "$ex"
grep_in err "No space left" "-o /dev/full"
if [ -c /dev/full ]; then ok; else bad "/dev/full replaced"; fi
"$prog" --format=csv "$ex" >/dev/full 2>"$tmp/err"; got=$?
if [ $got -eq 3 ]; then ok; else bad "stdout on /dev/full: exit $got"; fi
"$prog" "$ex" >&- 2>"$tmp/err"; got=$?
if [ $got -eq 3 ]; then ok; else bad "closed stdout: exit $got"; fi
grep_in err "error writing to standard output" "closed stdout"
# A signal during a long audit (320 sigmoid neurons, 1000 digits, the
# full check: several seconds): the temporary file is removed and the old
# file kept.
awk -v n=320 'BEGIN { printf "input ["; for (i = 0; i < n; i++) printf " %d/7", i; print "]";
  print "target [1]"; print "layer sigmoid"; printf "weights [";
  for (j = 0; j < n; j++) { for (i = 0; i < n; i++) printf " %d/%d", i - j, i + 3; print ";" }
  print "]"; print "layer sigmoid"; printf "weights ["; for (i = 0; i < n; i++) printf " 1/%d", i + 2;
  print "]"; print "loss half_squared" }' > "$tmp/slow.net"
signal_keeps_output "$tmp/keep.json" \
  "$prog" --digits=1000 -o "$tmp/keep.json" "$tmp/slow.net"

# ---- Out of memory ------------------------------------------------------
# Far more than 40 MB without a limit.
out_of_memory o.json "$prog" 40000 80000 160000

# ---- Determinism ----------------------------------------------------------
# Same input, byte-identical reports, in every format and any locale
# (fadj-audit never calls setlocale and never prints a double; a German
# locale has a decimal comma).
ref -0x1.5836p-6 good.ref
for fmt in text json csv; do
  "$prog" --format=$fmt --reference="$tmp/good.ref" "$ex" > "$tmp/d1"
  "$prog" --format=$fmt --reference="$tmp/good.ref" "$ex" > "$tmp/d2"
  if cmp -s "$tmp/d1" "$tmp/d2"; then ok; else bad "$fmt: two runs differ"; fi
  for loc in de_DE.UTF-8 fr_FR.UTF-8 C.UTF-8; do
    LC_ALL=$loc LANG=$loc LC_NUMERIC=$loc "$prog" --format=$fmt --reference="$tmp/good.ref" "$ex" > "$tmp/d3" 2>/dev/null
    if cmp -s "$tmp/d1" "$tmp/d3"; then ok; else bad "$fmt: output differs under LC_ALL=$loc"; fi
  done
  # A decimal point, never a comma, in the values.
  if grep -q '[0-9],[0-9]*e[-+]' "$tmp/d1" && [ $fmt != csv ]; then bad "$fmt: decimal comma"; else ok; fi
done

# A file name with a newline and an ESC: the text report's header names
# it with the control characters as \xNN, as the messages do (before: raw,
# the header split over two lines and the ESC recoloured the terminal).
odd="$tmp/$(printf 'a\nb\033[31m').net"
cp "$ex" "$odd"
expect 0 "odd file name" -- "$prog" "$odd"
if head -n 1 "$tmp/out" | grep -q 'a\\x0ab\\x1b\[31m\.net$'; then ok; else bad "odd file name: header not escaped"; fi
if LC_ALL=C grep -q "$(printf '\033')" "$tmp/out"; then bad "odd file name: raw ESC in the report"; else ok; fi

echo "audit-hostile: $pass passed, $fail failed${skip:+, $skip skipped}"
[ "$fail" -eq 0 ]
