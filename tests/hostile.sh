#!/bin/sh
# hostile.sh -- untrusted input (issue 6): hostile numbers, the exact
# growth guard, safe LaTeX (compiled with -shell-escape and read back
# with pdftotext), no clobbered output (bad input, signals, full disk,
# closed stdout), out of memory under ulimit -v, and deterministic,
# locale-independent output.  Expected values come from the mathematics
# (see each case), never from the program.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-explain"
ex="$top_srcdir/examples/boughammoura-a221.net"
# The one-neuron networks (net) have a title: the input is on line 2.
net_title=t

# ---- Hostile numbers ---------------------------------------------------
# Literals past the limits, and undefined fractions: a located error,
# exit 2, nothing on stdout.
for lit in 1e999999999 -1e100001 0x1p999999999 0x1p-100001 0/0 1/0 -5/0; do
  net n.net "$lit" sigmoid
  expect 2 "literal $lit" -- "$prog" "$tmp/n.net"
  empty_stdout "literal $lit"
  grep_in err "n.net:2:" "literal $lit"
done
# A literal longer than FADJ_MAX_LITERAL_LEN = 10000 characters.
long=$(awk 'BEGIN { s = "1"; for (i = 0; i < 10000; i++) s = s "0"; print s }')
net n.net "$long" relu
expect 2 "10001-digit literal" -- "$prog" "$tmp/n.net"
grep_in err "number too long" "10001-digit literal"
# A huge exact fraction: (10^4999 + 1) / 3^4000 with relu, target 1.  X^1 is
# the fraction itself; the document prints it as a rounded decimal with
# 10^{...}: 10^4999 / 3^4000 = 10^(4999 - 4000 log10 3) = 10^3090.515...,
# so the exponent of its leading digit is 3090.
num=$(awk 'BEGIN { s = "1"; for (i = 0; i < 4998; i++) s = s "0"; print s "1" }')
den=$(echo "3^4000" | BC_LINE_LENGTH=0 bc 2>/dev/null)
if [ -n "$den" ]; then
  net n.net "$num/$den" relu
  expect 0 "huge fraction" -- "$prog" "$tmp/n.net"
  grep_in out '10^{3090}' "huge fraction"
  no_nan_inf "huge fraction"
else
  skip=$((skip + 1))
fi
# sigmoid(-1e6) = 1/(1 + e^1e6) = 3.29683147808855857896890796911e-434295
# (Python's decimal at 30 digits; also -1e6 log10 e = -434294.4819...):
# MPFR's exponent range holds it, so it is computed and certified.
net n.net -1e6 sigmoid
expect 0 "sigmoid(-1e6)" -- "$prog" "$tmp/n.net"
grep_in out '3.29683\\times10^{-434295}' "sigmoid(-1e6)"
no_nan_inf "sigmoid(-1e6)"
expect 0 "sigmoid(-1e6) 12 digits" -- "$prog" --digits=12 "$tmp/n.net"
grep_in out '3.29683147809\\times10^{-434295}' "sigmoid(-1e6) 12 digits"
# sigmoid(1e99999): sigma'(y) = e^-y / (1 + e^-y)^2 ~ 10^(-4.3e99998)
# underflows any binary exponent range: refused, exit 3, with a message
# that says so, nothing on stdout.  Likewise a hex float 2^99999 and
# softplus (exp overflows).
beyond_range "$prog" "1e99999 sigmoid" "0x1p99999 tanh" "1e99999 softplus" \
  "-1e99999 sigmoid"
# relu of a huge exact value is exact: 1e99999 - 1, printed 1\times10^{99999}.
net n.net 1e99999 relu
expect 0 "relu(1e99999)" -- "$prog" "$tmp/n.net"
grep_in out '10^{99999}' "relu(1e99999)"
no_nan_inf "relu(1e99999)"

# ---- The exact growth guard ------------------------------------------
exact_growth "$prog" "arithmetic=interval"
# The suggested way works: X^4 = 7^4 10^399996 / 3 = 800.33.. x 10^399996,
# so X^4 prints as 8.00333\times10^{399998}.
expect 0 "exact growth, intervals" -- "$prog" --arithmetic=interval "$tmp/grow.net"
grep_in out '8.00333\\times10^{399998}' "exact growth, intervals"
expect 2 "--arithmetic=exact on sigmoid" -- "$prog" --arithmetic=exact "$ex"
expect 2 "--arithmetic=bogus" -- "$prog" --arithmetic=bogus "$ex"
expect 0 "--help" -- "$prog" --help
grep_in out "--arithmetic=auto|exact|interval" "--help"

# ---- Safe LaTeX -------------------------------------------------------
# The title must typeset literally and run nothing, even when pdflatex is
# allowed to run shell commands (-shell-escape).
cat > "$tmp/tex.net" <<'NET'
title "\\input{/etc/passwd} \\immediate\\write18{touch pwned} } {x} $y$ & # % ^_ ~ <a|b> -- ``q'' \"d\" café 😀"
input [1]
target [2]
layer relu
  weights [1]
loss half_squared
NET
expect 0 "hostile title" -- "$prog" -o "$tmp/tex.tex" "$tmp/tex.net"
if [ -n "${PDFLATEX:-}" ] && command -v pdftotext >/dev/null 2>&1; then
  (cd "$tmp" && "$PDFLATEX" -shell-escape -halt-on-error -interaction=nonstopmode tex.tex >/dev/null 2>&1)
  if [ -f "$tmp/tex.pdf" ]; then ok; else bad "hostile title: pdflatex failed"; fi
  if [ -e "$tmp/pwned" ]; then bad "hostile title: \\write18 ran"; else ok; fi
  pdftotext "$tmp/tex.pdf" "$tmp/tex.txt" 2>/dev/null
  tr '\n' ' ' < "$tmp/tex.txt" > "$tmp/text"
  for s in '\input{/etc/passwd}' '\immediate\write18{touch pwned} } {x} $y$ & # % ^_ ~' \
           '<a|b> -- ``q'"''"' "d" caf' '[U+1F600]'; do
    if grep -q -F -e "$s" "$tmp/text"; then ok; else bad "hostile title: '$s' not in the PDF text"; fi
  done
  # OT1 builds the accent, so pdftotext may give e + U+0301.
  if grep -q -e 'café' -e "$(printf 'cafe\314\201')" "$tmp/text"; then ok; else bad "hostile title: café"; fi
else
  skip=$((skip + 1))
fi

# ---- A title of one 190-letter word --------------------------------------
# TeX never breaks a word it cannot hyphenate: the escaper gives long
# words break opportunities, and the text format cuts them at the width.
word=$(awk 'BEGIN { for (i = 0; i < 190; i++) printf "W" }')
printf 'title "%s"\ninput [1]\ntarget [1]\nlayer sigmoid weights [1]\nloss half_squared\n' "$word" > "$tmp/word.net"
expect 0 "long word title" -- "$prog" -o "$tmp/word.tex" "$tmp/word.net"
expect 0 "long word title, text" -- "$prog" --format=text --width=80 "$tmp/word.net"
# Code points, as a terminal counts them: UTF-8 continuation bytes out.
if LC_ALL=C tr -d '\200-\277' < "$tmp/out" | awk '{ if (length($0) > 80) bad = 1 } END { exit bad }'; then ok; else bad "long word title: a text line over 80 columns"; fi
if [ "$(tr -d '\n' < "$tmp/out" | grep -o 'W*' | awk '{ n += length($0) } END { print n }')" -ge 190 ]; then ok; else bad "long word title: letters lost in text"; fi
if [ -n "${PDFLATEX:-}" ]; then
  (cd "$tmp" && "$PDFLATEX" -halt-on-error -interaction=nonstopmode word.tex >/dev/null 2>&1)
  if [ -f "$tmp/word.pdf" ]; then ok; else bad "long word title: pdflatex failed"; fi
  if grep -q Overfull "$tmp/word.log"; then bad "long word title: overfull box"; else ok; fi
else
  skip=$((skip + 1))
fi

# ---- No clobbering ------------------------------------------------------
echo OLD > "$tmp/keep.tex"
printf 'input [1\n' > "$tmp/bad.net"
expect 2 "bad input keeps -o" -- "$prog" -o "$tmp/keep.tex" "$tmp/bad.net"
if [ "$(cat "$tmp/keep.tex")" = OLD ]; then ok; else bad "bad input clobbered -o"; fi
expect 3 "-o in a missing directory" -- "$prog" -o "$tmp/no/such/dir/x.tex" "$ex"
expect 3 "-o /dev/full" -- "$prog" -o /dev/full "$ex"
grep_in err "No space left" "-o /dev/full"
if [ -c /dev/full ]; then ok; else bad "/dev/full replaced"; fi
"$prog" "$ex" >/dev/full 2>"$tmp/err"; got=$?
if [ $got -eq 3 ]; then ok; else bad "stdout on /dev/full: exit $got"; fi
"$prog" "$ex" >&- 2>"$tmp/err"; got=$?
if [ $got -eq 3 ]; then ok; else bad "closed stdout: exit $got"; fi
grep_in err "error writing to standard output" "closed stdout"
# Past a file size limit (ulimit -f 4: 4096 bytes, the document is about
# 12 KB) the write fails with EFBIG, SIGXFSZ being ignored by the program
# itself: one message, exit 3, the old file kept, no temporary left
# (before: killed by SIGXFSZ, exit 153, no message, a partial .fadj-*).
expect 3 "-o, file size limit" -- sh -c 'ulimit -f 4 && exec "$@"' sh \
  "$prog" -o "$tmp/keep.tex" "$ex"
grep_in err "error writing .*keep.tex.*: File too large" "-o, file size limit"
[ "$(wc -l <"$tmp/err")" -eq 1 ] && ok || bad "-o, file size limit: not one line"
if [ "$(cat "$tmp/keep.tex")" = OLD ]; then ok; else bad "file size limit clobbered -o"; fi
ls -a "$tmp" | grep -q '^\.fadj-' && bad "-o, file size limit: temporary left" || ok
# -o keeps the permission bits of the file it replaces (600 stays 600).
cp "$tmp/keep.tex" "$tmp/mode.tex"; chmod 600 "$tmp/mode.tex"
expect 0 "-o keeps the mode" -- "$prog" -o "$tmp/mode.tex" "$ex"
[ "$(stat -c %a "$tmp/mode.tex")" = 600 ] && ok || bad "-o: mode 600 became $(stat -c %a "$tmp/mode.tex")"
# --help and --version that cannot be written: exit 3, a message.
help_write_errors "$prog"
# A signal during a long derivation (64 sigmoid neurons at 200000 bits):
# the temporary file is removed and the old file is kept.
awk 'BEGIN { printf "input ["; for (i = 0; i < 64; i++) printf " %d/7", i; print "]";
  print "target [1]"; print "layer sigmoid"; printf "weights [";
  for (j = 0; j < 64; j++) { for (i = 0; i < 64; i++) printf " %d/%d", i - j, i + 3; print ";" }
  print "]"; print "layer sigmoid"; printf "weights ["; for (i = 0; i < 64; i++) printf " 1/%d", i + 2;
  print "]"; print "loss half_squared" }' > "$tmp/slow.net"
signal_keeps_output "$tmp/keep.tex" \
  "$prog" --precision=200000 --digits=100 -o "$tmp/keep.tex" "$tmp/slow.net"

# ---- Out of memory ------------------------------------------------------
# About 700 MB without a limit.
out_of_memory o.tex "$prog" 40000 80000 160000 300000

# ---- Determinism ----------------------------------------------------------
# Same input, byte-identical output, in any locale (a German locale has a
# decimal comma; the programs never call setlocale, and never print a
# double with printf).
"$prog" "$ex" > "$tmp/d1"
"$prog" "$ex" > "$tmp/d2"
if cmp -s "$tmp/d1" "$tmp/d2"; then ok; else bad "two runs differ"; fi
for loc in de_DE.UTF-8 fr_FR.UTF-8 C.UTF-8; do
  LC_ALL=$loc LANG=$loc "$prog" --digits=20 "$ex" > "$tmp/d3" 2>/dev/null
  "$prog" --digits=20 "$ex" > "$tmp/d4"
  if cmp -s "$tmp/d3" "$tmp/d4"; then ok; else bad "output differs under LC_ALL=$loc"; fi
done

echo "hostile: $pass passed, $fail failed${skip:+, $skip skipped}"
[ "$fail" -eq 0 ]
