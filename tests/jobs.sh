#!/bin/sh
# jobs.sh -- --jobs=N: fadj-audit and fadj-explain write the same bytes
# and exit with the same status for every number of threads (each
# thread computes its own entries; nothing is summed in an order that
# depends on N), and an invalid N is one usage error.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
audit="$top_builddir/src/fadj-audit"
explain="$top_builddir/src/fadj-explain"
gen="$top_builddir/src/fadj-gen"

# The networks: a worked example, a batch, an exact-rational one, a
# generated batch large enough for the threads (64 x 64 weights by 16
# samples: the 65536 multiply-adds from which src/intdot.c splits the
# samples among them), and one whose evaluation fails (beyond the
# supported range).
"$gen" --sizes=64,64,64 --samples=16 --seed=5 -o "$tmp/gen.net" || bad "fadj-gen"
net huge.net 1e99999 sigmoid
# wide NAME M: a net of 100 inputs, a sigmoid layer of 100 with a bias
# and one of 3, M samples (M = 1: input and target), three-decimal
# values from a fixed sequence.  Its weight rows (100 entries) are longer
# than a piece of the threads' rounding (64, src/audit-write.c) and its
# 10000 weight gradients fill several blocks of pieces; with M = 1 the
# entries are single products (rounded by fadj_decimal_outer), with M = 4
# sums by the batch kernel (src/intouter.c).
wide () {
  awk -v m="$2" '
  function w(k) {
    k = (k * 7919) % 2001 - 1000
    return sprintf("%s%d.%03d", k < 0 ? "-" : "", (k < 0 ? -k : k) / 1000,
                   (k < 0 ? -k : k) % 1000)
  }
  BEGIN {
    for (s = 0; s < m; s++) {
      printf (m == 1 ? "input [" : "sample [")
      for (j = 0; j < 100; j++) printf " %s", w(s * 100 + j + 1)
      printf (m == 1 ? "]\ntarget [" : "] -> [")
      for (j = 0; j < 3; j++) printf " %s", w(s * 3 + j + 5)
      print "]"
    }
    if (m > 1) print "batch sum"
    print "layer sigmoid\n  weights ["
    for (i = 0; i < 100; i++) {
      for (j = 0; j < 100; j++) printf " %s", w(i * 100 + j + 11)
      print ";"
    }
    print "]\n  bias ["
    for (i = 0; i < 100; i++) printf " %s", w(i + 3)
    print "]\nlayer sigmoid\n  weights ["
    for (i = 0; i < 3; i++) {
      for (j = 0; j < 100; j++) printf " %s", w(i * 100 + j + 13)
      print ";"
    }
    print "]\nloss half_squared"
  }' > "$tmp/$1"
}
wide wide1.net 1
wide wide4.net 4
nets="$top_srcdir/examples/boughammoura-a221.net $top_srcdir/examples/xor-batch.net
$top_srcdir/examples/relu-rational.net $tmp/gen.net $tmp/huge.net
$tmp/wide1.net $tmp/wide4.net"

# same WHAT -- COMMAND...: COMMAND --jobs=N for N = 2, 3 and 7 gives
# the stdout, stderr and exit status of --jobs=1.  Under $FADJ_WRAPPER
# if set (word-split, as in fuzz-replay.sh), e.g. a race detector that
# writes its own report elsewhere and changes the exit status on an
# error: FADJ_WRAPPER="valgrind --tool=helgrind -q --error-exitcode=99
# --log-file=/tmp/hg.%p" (slow: hours for the whole file).
same () {
  what=$1; shift 2
  ${FADJ_WRAPPER:-} "$@" --jobs=1 >"$tmp/out1" 2>"$tmp/err1"; st1=$?
  for n in 2 3 7; do
    ${FADJ_WRAPPER:-} "$@" --jobs=$n >"$tmp/out$n" 2>"$tmp/err$n"; st=$?
    if [ "$st" -eq "$st1" ] && cmp -s "$tmp/out1" "$tmp/out$n" \
       && cmp -s "$tmp/err1" "$tmp/err$n"; then ok; else
      bad "$what: --jobs=$n differs from --jobs=1 (exit $st, $st1)"; fi
  done
}

for f in $nets; do
  for fmt in text json csv; do
    same "audit $fmt $f" -- "$audit" --format=$fmt "$f"
  done
  same "audit directional $f" -- "$audit" --check=directional "$f"
  same "explain $f" -- "$explain" --format=text "$f"
done
# The failing network fails (exit 3) the same way for every N.
"$audit" --jobs=2 "$tmp/huge.net" >/dev/null 2>&1
[ $? -eq 3 ] && ok || bad "huge.net: expected exit 3"

# --reference (the values of tests/audit.sh, one of them off), with
# the summary (text and JSON: CSV has none), in the three formats.
cat > "$tmp/rat.ref" <<'REF'
gradient 1 weights [13/60 -13/30; 0 0; 13/120 -13/60] bias [13/30 0 13/60]
gradient 2 weights [13/36 0 13/50] bias [0.2167]
input_gradient [13/20 -13/360]
REF
for fmt in text json csv; do
  sum=--summary; [ $fmt = csv ] && sum=
  same "audit --reference $fmt" -- "$audit" --format=$fmt $sum \
    --reference="$tmp/rat.ref" "$top_srcdir/examples/relu-rational.net"
  [ "$st1" -eq 0 ] && ok || bad "audit --reference $fmt: exit $st1"
done

# --reference of the wide batch (every weight and bias gradient 0: an
# error for each), with the summary (not in CSV), in the three formats.
awk 'BEGIN {
  printf "gradient 1 weights ["
  for (i = 0; i < 100; i++) { for (j = 0; j < 100; j++) printf " 0"; print ";" }
  printf "] bias ["
  for (i = 0; i < 100; i++) printf " 0"
  printf "]\ngradient 2 weights ["
  for (i = 0; i < 3; i++) { for (j = 0; j < 100; j++) printf " 0"; print ";" }
  print "]"
}' > "$tmp/wide.ref"
for fmt in text json csv; do
  sum=--summary; [ $fmt = csv ] && sum=
  same "audit --reference $fmt wide4.net" -- "$audit" --format=$fmt $sum \
    --reference="$tmp/wide.ref" "$tmp/wide4.net"
  [ "$st1" -eq 0 ] && ok || bad "audit --reference $fmt wide4.net: exit $st1"
done

# Matrices read by the threads (src/mat-rows.c: a matrix of at least
# 64 KiB of text is cut into pieces at newlines): big NAME MODE writes
# a net of 200 inputs and one sigmoid layer of 200 whose weights, 200
# rows of 200 three-decimal values (about 300 KB), are written as MODE
# says -- valid ones the threads read (commas, ';' and CRLF row ends,
# blank lines, hexadecimal floats) or hand back to the serial reader
# (a comment hiding a ']', an exponent that leaves the compact form),
# and invalid ones whose message must be the serial reader's, at the
# same place, the first in file order winning: an error in row 20 and
# another in row 180 (other pieces, other threads) is the one in row 20.
big () {
  awk -v mode="$2" '
  function w(k) {
    k = (k * 7919) % 2001 - 1000
    if (mode == "hex") return sprintf("%s0x%xp-10", k < 0 ? "-" : "", k < 0 ? -k : k)
    return sprintf("%s%d.%03d", k < 0 ? "-" : "", (k < 0 ? -k : k) / 1000,
                   (k < 0 ? -k : k) % 1000)
  }
  function err(row, what) { return mode == what && (row == 20 || row == 180) }
  BEGIN {
    eol = mode == "crlf" ? "\r\n" : "\n"
    printf "input ["
    for (j = 0; j < 200; j++) printf " %s", w(j + 1)
    printf "]\ntarget ["
    for (j = 0; j < 200; j++) printf " %s", w(j + 7)
    printf "]\nlayer sigmoid\n  weights [" eol
    for (i = 1; i <= 200; i++) {
      n = 200
      if (err(i, "short")) n = 199
      if (err(i, "long")) n = 201
      for (j = 0; j < n; j++) {
        v = w(i * 200 + j)
        if (err(i, "badnum") && j == 7) v = "1.2.3"
        if (err(i, "name") && j == 9) v = "x1"
        if (mode == "exp" && i == 150 && j == 3) v = "5e-3"
        if (err(i, "nested") && j == 4) v = "[1]"
        printf (mode == "comma" && j + 1 < n ? "%s, " : "%s "), v
        if (err(i, "comma2") && j == 5) printf ", , "
      }
      if (err(i, "trailing")) printf ","
      if (mode == "comment" && i == 100) printf "# a ] in a comment"
      printf (mode == "semi" ? ";" eol : eol)
      if (mode == "blank" && i % 50 == 0) printf eol
    }
    print "]\nloss half_squared"
  }' > "$tmp/$1"
}
for mode in plain comma semi crlf blank hex comment exp; do
  big "big-$mode.net" $mode
  same "threads' matrix reader, $mode" -- "$audit" --check=none --digits=20 "$tmp/big-$mode.net"
  [ "$st1" -eq 0 ] && ok || bad "big-$mode.net: exit $st1"
done
for mode in short long badnum name nested comma2 trailing; do
  big "big-$mode.net" $mode
  same "threads' matrix reader, error $mode" -- "$audit" "$tmp/big-$mode.net"
  [ "$st1" -eq 2 ] && grep -q "big-$mode.net:2[2-4]:" "$tmp/err1" && ok \
    || bad "big-$mode.net: exit $st1, not located in row 20: $(cat "$tmp/err1")"
done
# After a matrix the threads read, the lexer goes on from its ']' on
# the right line and column: errors after it, on its line (205) and on
# the next, are located as by the serial reader (in the CRLF file too:
# a '\r' is a blank, not a line).
for mode in plain crlf; do
  sed 's/^\]$/] oops/' "$tmp/big-$mode.net" > "$tmp/after-$mode.net"
  same "threads' matrix reader, error after it ($mode)" -- "$audit" "$tmp/after-$mode.net"
  grep -q "after-$mode.net:205:3: error: expected a statement" "$tmp/err1" && ok \
    || bad "after-$mode.net: $(cat "$tmp/err1")"
  sed 's/^loss half_squared/  loss bogus/' "$tmp/big-$mode.net" > "$tmp/next-$mode.net"
  same "threads' matrix reader, error on the next line ($mode)" -- "$audit" "$tmp/next-$mode.net"
  grep -q "next-$mode.net:206:8: error: unknown loss 'bogus'" "$tmp/err1" && ok \
    || bad "next-$mode.net: $(cat "$tmp/err1")"
done
# A reference file of the same size (its scaled form, src/ref-parse.c):
# decimals with and without exponents, and one of them wrong.
awk 'BEGIN {
  printf "gradient 1 weights [\n"
  for (i = 0; i < 200; i++) {
    for (j = 0; j < 200; j++) printf " %s", (i + j) % 3 ? "0.25" : "-1.5e-3"
    print ""
  }
  print "]"
}' > "$tmp/big.ref"
same "threads' matrix reader, --reference" -- "$audit" --check=none --digits=20 \
  --reference="$tmp/big.ref" "$tmp/big-plain.net"
[ "$st1" -eq 0 ] && ok || bad "big.ref: exit $st1"

# The loss of a batch, a graph per sample run by the threads
# (src/act-graph.c, loss_apply_samples): losses summed and averaged,
# binary and categorical cross-entropy (the softmax example), exact.
"$gen" --sizes=6,5,4 --samples=5 --seed=3 --loss=cross_entropy \
  --activation=sigmoid -o "$tmp/ce.net" || bad "fadj-gen ce.net"
{ cat "$tmp/ce.net"; echo "batch mean"; } > "$tmp/ce-mean.net"
"$gen" --sizes=6,5,4 --samples=5 --seed=3 --rational -o "$tmp/exact.net" \
  || bad "fadj-gen exact.net"
for f in "$tmp/ce.net" "$tmp/ce-mean.net" "$tmp/exact.net" \
         "$top_srcdir/examples/softmax-classifier.net"; do
  same "loss of a batch, $f" -- "$audit" --check=directional --digits=60 "$f"
  [ "$st1" -eq 0 ] && ok || bad "$f: exit $st1"
done

# Invalid values: exit 2, one line naming the option, nothing on stdout.
for p in "$audit" "$explain"; do
  for v in 0 -1 abc 1025 99999999999999999999 ""; do
    expect 2 "$p --jobs=$v" -- "$p" --jobs="$v" "$top_srcdir/examples/xor-batch.net"
    empty_stdout "$p --jobs=$v"
    grep_in err "invalid value '$v' for --jobs: expected an integer from 1 to 1024" "$p --jobs=$v"
    [ "$(wc -l < "$tmp/err")" -eq 1 ] && ok || bad "$p --jobs=$v: not one line"
  done
  expect 0 "$p --help" -- "$p" --help
  grep_in out "--jobs=N" "$p --help"
done

echo "jobs.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
