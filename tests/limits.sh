#!/bin/sh
# limits.sh -- every documented limit: the values in src/fadj.h are the
# ones fadj-net(5), fadj-explain(1) and the README quote, and a file or
# option one past each limit is refused with a clear message (exit 2 for
# malformed input, 3 for a resource limit), nothing on stdout; the same
# for fadj-audit's options and its reference files.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
EXPECT_QUIET_FAILURES=1
prog="$top_builddir/src/fadj-explain"
ex="$top_srcdir/examples/relu-rational.net"
h="$top_srcdir/src/fadj.h"
limit () { sed -n "s/^#define $1 \([0-9]*\)L* *\(\/\*.*\)*\$/\1/p" "$h"; }
FILE_DIGITS=$(limit FADJ_MAX_FILE_DIGITS)

LAYERS=$(limit FADJ_MAX_LAYERS) WIDTH=$(limit FADJ_MAX_WIDTH)
ENTRIES=$(limit FADJ_MAX_ENTRIES) LEN=$(limit FADJ_MAX_LITERAL_LEN)
SAMPLES=$(limit FADJ_MAX_SAMPLES)
EXP=$(limit FADJ_MAX_LITERAL_EXP) BITS=$(limit FADJ_MAX_EXACT_BITS)
TITLE=$(limit FADJ_MAX_TITLE)
PREC=$(limit FADJ_MAX_PREC) DIGITS=$(limit FADJ_MAX_PRINT_DIGITS)
for v in "$FILE_DIGITS" "$TITLE" "$SAMPLES" "$LAYERS" "$WIDTH" "$ENTRIES" "$LEN" "$EXP" "$BITS" "$PREC" "$DIGITS"; do
  if [ -n "$v" ]; then ok; else bad "a limit is missing from fadj.h"; fi
done

# The documents quote the same values.
quote () {  # quote FILE VALUE WHAT
  if grep -q -e "$2" "$top_srcdir/$1"; then ok; else bad "$1 does not quote $3 = $2"; fi
}
for f in README.md man/fadj-net.5; do
  quote $f "$LAYERS" layers; quote $f "$WIDTH" width; quote $f "$ENTRIES" entries
  quote $f "$LEN" "literal length"; quote $f "$EXP" exponent
  quote $f "$SAMPLES" samples; quote $f "title.*$TITLE" title
  quote $f "$FILE_DIGITS" "digits of a file"
done
for f in README.md man/fadj-explain.1; do
  quote $f "$BITS" "exact bits"; quote $f "$PREC" precision; quote $f "$DIGITS" digits
done

# One past each limit.
{ echo 'input [1]'; echo 'target [1]'
  i=0; while [ $i -le "$LAYERS" ]; do echo 'layer identity weights [1]'; i=$((i + 1)); done
  echo 'loss squared'; } > "$tmp/deep.net"
expect 3 "depth $LAYERS + 1" -- "$prog" "$tmp/deep.net"
grep_in err "too many layers (the limit is $LAYERS)" "depth"
awk -v n="$WIDTH" 'BEGIN { printf "input ["; for (i = 0; i <= n; i++) printf " 0"; print "]" }' > "$tmp/wide.net"
expect 3 "width $WIDTH + 1" -- "$prog" "$tmp/wide.net"
grep_in err "the limit is $WIDTH" "width"
awk -v n="$ENTRIES" 'BEGIN { printf "weights ["; for (k = 0; k * 50000 <= n; k++) { for (i = 0; i < 50000; i++) printf " 1"; print ";" } print "]" }' > "$tmp/many.net"
sed -i '1s/^/layer relu\n/' "$tmp/many.net"
awk -v n="$SAMPLES" 'BEGIN { for (i = 0; i <= n; i++) print "sample [0] -> [0]"; print "layer identity weights [1] loss squared" }' > "$tmp/batch.net"
expect 3 "samples $SAMPLES + 1" -- "$prog" "$tmp/batch.net"
grep_in err "too many samples (the limit is $SAMPLES)" "samples"
expect 3 "entries $ENTRIES + 1" -- "$prog" "$tmp/many.net"
grep_in err "too many numbers in the file (the limit is $ENTRIES)" "entries"
awk -v n="$LEN" 'BEGIN { printf "input ["; for (i = 0; i <= n; i++) printf "1"; print "]" }' > "$tmp/long.net"
expect 2 "literal of $LEN + 1 characters" -- "$prog" "$tmp/long.net"
grep_in err "number too long (the limit is $LEN characters)" "literal length"
# The digits of a file's numbers in total: literals of 10^-99999 in hex
# (2^-99999: a shift, cheap to read, 12 KB each) until the sum passes the
# limit, where the reading stops, located, long before the memory the
# rest would take.
per=$((EXP / 3 + 1 + 4))
awk -v n=$((FILE_DIGITS / per + 2)) 'BEGIN { printf "input ["; for (i = 0; i < n; i++) printf " 0x1p-99999"; print "]"; print "target [1]"; print "layer identity weights [1]"; print "loss squared" }' > "$tmp/digits.net"
expect 3 "digits $FILE_DIGITS + 1" -- "$prog" "$tmp/digits.net"
grep_in err "digits.net:1:[0-9]*: error: the numbers of the file are too long in total (the limit is $FILE_DIGITS decimal digits" "digits of a file"
printf 'input [1e%d]\n' $((EXP + 1)) > "$tmp/exp.net"
expect 2 "exponent $EXP + 1" -- "$prog" "$tmp/exp.net"
grep_in err "exponent out of range (the limit is $EXP)" "exponent"
# The title: TITLE characters, each a two-byte 'é' or an escaped '"',
# pass; one more is refused at its column (before: a 12 KB title of '^'
# made a \title line past pdflatex's buffer).
title_net () {  # title_net N CHAR: a title of N times CHAR
  awk -v n="$1" -v c="$2" 'BEGIN { printf "title \""; for (i = 0; i < n; i++) printf "%s", c; print "\""
    print "input [1] target [1] layer identity weights [1] loss squared" }' > "$tmp/title.net"
}
title_net "$TITLE" 'é'
expect 0 "title of $TITLE characters" -- "$prog" "$tmp/title.net"
title_net $((TITLE + 1)) 'é'
expect 2 "title of $TITLE + 1 characters" -- "$prog" "$tmp/title.net"
grep_in err "title.net:1:$((7 + 2 * TITLE + 1)): error: the title is longer than $TITLE characters" "title length"
title_net $((TITLE + 1)) '\\"'
expect 2 "title of escapes" -- "$prog" "$tmp/title.net"
grep_in err "title.net:1:$((7 + 2 * TITLE + 1)): error: the title is longer than $TITLE characters" "title of escapes"
title_net 12000 '^'
expect 2 "title of 12000 '^'" -- "$prog" "$tmp/title.net"
printf 'input [[[1]]]\n' > "$tmp/nest.net"
expect 2 "nesting 3" -- "$prog" "$tmp/nest.net"
grep_in err "nested too deeply" "nesting"
expect 2 "--digits=$((DIGITS + 1))" -- "$prog" --digits=$((DIGITS + 1)) "$ex"
expect 2 "--precision=$((PREC + 1))" -- "$prog" --precision=$((PREC + 1)) "$ex"
# At the limits themselves: accepted.
expect 0 "--digits=$DIGITS" -- "$prog" --digits="$DIGITS" "$ex"
printf 'input [1e%d]\ntarget [1]\nlayer relu\nweights [1e-%d]\nloss squared\n' "$EXP" "$EXP" > "$tmp/exp.net"
expect 0 "exponent $EXP" -- "$prog" "$tmp/exp.net"

# ---- fadj-audit: its options and the reference file -------------------
audit="$top_builddir/src/fadj-audit"
a221="$top_srcdir/examples/boughammoura-a221.net"
ADIGITS=$(limit FADJ_MAX_AUDIT_DIGITS) SEED=$(limit FADJ_MAX_SEED)
AUTO=$(limit FADJ_MAX_AUTO_PREC)
for v in "$ADIGITS" "$SEED" "$AUTO"; do
  if [ -n "$v" ]; then ok; else bad "an audit limit is missing from fadj.h"; fi
done
for f in README.md man/fadj-audit.1; do
  quote $f "$ADIGITS" "audit digits"; quote $f "$SEED" seed; quote $f "$AUTO" "automatic precision"
  quote $f "$ENTRIES" "reference entries"; quote $f "$LEN" "literal length"
  quote $f "$EXP" exponent; quote $f "$BITS" "exact bits"
done
quote man/fadj-explain.1 "$AUTO" "automatic precision"
expect 0 "audit --help" -- "$audit" --help
grep_in out "at most $ADIGITS" "audit --help digits"
grep_in out "0 to $SEED" "audit --help seed"
grep_in out "($AUTO" "audit --help precision"
expect 2 "audit --digits=$((ADIGITS + 1))" -- "$audit" --digits=$((ADIGITS + 1)) "$ex"
grep_in err "from 1 to $ADIGITS" "audit --digits"
expect 2 "audit --seed=$((SEED + 1))" -- "$audit" --seed=$((SEED + 1)) "$ex"
grep_in err "from 0 to $SEED" "audit --seed"
expect 2 "audit --tolerance=1e$((EXP + 1))" -- "$audit" --tolerance=1e$((EXP + 1)) --reference="$tmp/none" "$ex"
# At the limits: accepted (1000 digits of every gradient entry of the
# rational example are its exact fractions; of A[2,2,1], 1000 certified
# digits; the largest tolerance and seed).
expect 0 "audit --digits=$ADIGITS" -- "$audit" --digits="$ADIGITS" "$a221"
expect 0 "audit --seed=$SEED" -- "$audit" --check=directional --seed="$SEED" "$a221"
printf 'gradient 1 weights [1 2; 3 4] bias [1 2]\ngradient 2 weights [1 2] bias [1]\n' > "$tmp/a.ref"
expect 0 "audit --tolerance=1e$EXP" -- "$audit" --reference="$tmp/a.ref" --tolerance=1e"$EXP" "$a221"
# The reference file: one number past the entries limit (a matrix of
# ENTRIES + 1 numbers, in rows of 50000), a literal one past the length
# limit, an exponent one past.
awk -v n="$ENTRIES" 'BEGIN { printf "gradient 1 weights ["; for (k = 0; k * 50000 <= n; k++) { for (i = 0; i < 50000; i++) printf " 1"; print ";" } print "]" }' > "$tmp/many.ref"
expect 3 "reference entries $ENTRIES + 1" -- "$audit" --reference="$tmp/many.ref" "$a221"
grep_in err "many.ref:[0-9]*:[0-9]*: error: too many numbers in the file (the limit is $ENTRIES)" "reference entries"
rm -f "$tmp/many.ref"
awk -v n="$LEN" 'BEGIN { printf "loss "; for (i = 0; i <= n; i++) printf "1"; print "" }' > "$tmp/long.ref"
expect 2 "reference literal of $LEN + 1 characters" -- "$audit" --reference="$tmp/long.ref" "$a221"
grep_in err "long.ref:1:6: error: invalid number .*number too long (the limit is $LEN characters)" "reference literal length"
printf 'loss 1e%d\n' $((EXP + 1)) > "$tmp/exp.ref"
expect 2 "reference exponent $EXP + 1" -- "$audit" --reference="$tmp/exp.ref" "$a221"
grep_in err "exponent out of range (the limit is $EXP)" "reference exponent"
printf 'gradient 1 weights [[[1]]]\n' > "$tmp/nest.ref"
expect 2 "reference nesting 3" -- "$audit" --reference="$tmp/nest.ref" "$a221"
grep_in err "nested too deeply" "reference nesting"

echo "limits: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
