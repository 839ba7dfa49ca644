#!/bin/sh
# cli.sh -- fadj-explain as a user meets it: options, exit statuses, the
# one-line located error for every invalid file in tests/invalid, nothing
# on standard output on failure, and no clobbered -o file.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-explain"
ex="$top_srcdir/examples/boughammoura-a221.net"
rat="$top_srcdir/examples/relu-rational.net"
# --help lists every option, --version names the package.
expect 0 "--help" -- "$prog" --help
for o in --output --digits --precision --fragment --index --bias --steps \
         --rate --update --carry --width --numbers --help --version; do
  grep_in out "$o" "--help"
done
expect 0 "-h" -- "$prog" -h
expect 0 "--version" -- "$prog" --version
grep_in out "fadj-explain (fadj) " "--version"
expect 0 "-V" -- "$prog" -V

# Usage errors: exit 2 and nothing on stdout.
expect 2 "no operand" -- "$prog"
empty_stdout "no operand"
# Two operands are a set of two exercises (tests/multi.sh), no longer
# a usage error.
expect 0 "two operands" -- "$prog" "$ex" "$ex"
grep_in out '^\\section\*{Exercise 2: ' "two operands: two exercises"
expect 2 "unknown option" -- "$prog" --frobnicate "$ex"
for v in 0 -1 101 abc 6x ""; do
  expect 2 "--digits=$v" -- "$prog" --digits="$v" "$ex"
  empty_stdout "--digits=$v"
done
grep_in err "invalid value '' for --digits" "--digits="
expect 2 "--numbers=frac" -- "$prog" --numbers=frac "$ex"
empty_stdout "--numbers=frac"
grep_in err "invalid value 'frac' for --numbers" "--numbers=frac"
for v in 0 1 1000001 x; do
  expect 2 "--precision=$v" -- "$prog" --precision="$v" "$ex"
done
for v in 0 39 1001 abc 80x ""; do
  expect 2 "--width=$v" -- "$prog" --format=text --width="$v" "$ex"
  empty_stdout "--width=$v"
done
grep_in err "^fadj-explain: invalid value '' for --width: expected an integer from 40 to 1000$" "--width="
expect 0 "--width=40" -- "$prog" --format=text --width=40 "$ex"
expect 0 "--width=1000" -- "$prog" --format=text --width=1000 "$ex"
expect 2 "--index=k" -- "$prog" --index=k "$ex"
expect 2 "--bias=none" -- "$prog" --bias=none "$ex"
expect 2 "missing file" -- "$prog" "$tmp/no-such.net"
grep_in err "cannot open" "missing file"
# A file name with a newline and an ESC: the message is one line, the
# control characters written \xNN (never raw: the newline would split
# the line, the ESC would recolour the terminal).
odd="$tmp/$(printf 'a\nb\033[31m').net"
printf 'input [1]\ntarget [0]\nlayer relu\nweights [1] @\nloss squared\n' > "$odd"
expect 2 "odd file name" -- "$prog" "$odd"
[ "$(wc -l < "$tmp/err")" -eq 1 ] && ok || bad "odd file name: not one line"
grep_in err 'a\\x0ab\\x1b\[31m.net:4:13: error: unexpected character' "odd file name"
expect 2 "odd missing file" -- "$prog" "$odd.x"
grep_in err "cannot open '.*a\\\\x0ab\\\\x1b\[31m.net.x'" "odd missing file"

# Every invalid network: exactly one line FILE:LINE:COL: error: ..., the
# expected one, exit 2, nothing on stdout.
located_errors "$top_srcdir/tests/invalid" net 8 "$prog"

# Standard input, and its name in messages.
expect 0 "stdin" -- sh -c "\"$prog\" - < \"$ex\""
grep_in out '\\documentclass' "stdin"
printf 'input [1\n' > "$tmp/trunc.net"
expect 2 "stdin error" -- sh -c "\"$prog\" - < \"$tmp/trunc.net\""
grep_in err '^<stdin>:[0-9]*:[0-9]*: error: ' "stdin error"

# -o writes the file; a failed run leaves an existing file untouched.
expect 0 "-o" -- "$prog" -o "$tmp/a.tex" "$ex"
empty_stdout "-o"
grep_in a.tex '\\end{document}' "-o"
echo "precious" > "$tmp/keep.tex"
expect 2 "-o on bad input" -- "$prog" -o "$tmp/keep.tex" "$tmp/trunc.net"
grep_in keep.tex '^precious$' "-o on bad input"
expect 3 "-o into a missing directory" -- "$prog" -o "$tmp/none/x.tex" "$ex"
if ls -a "$tmp" | grep -q '^\.fadj-'; then bad "temporary file left behind"; else ok; fi

# --fragment: the body only.
expect 0 "--fragment" -- "$prog" --fragment "$ex"
no_grep_in out '\\documentclass' "--fragment"
no_grep_in out '\\begin{document}' "--fragment"
grep_in out 'X^{1}' "--fragment"

# --index=h writes the general rule with h, and never with \ell.
expect 0 "--index=h" -- "$prog" --index=h "$ex"
grep_in out 'X^{h}_{\*}' "--index=h"
no_grep_in out '\\ell' "--index=h"
expect 0 "default index" -- "$prog" "$ex"
grep_in out 'X^{\\ell}_{\*}' "default index"

# --bias=separate: Y = W X + b and dJ/db printed apart.
expect 0 "--bias=separate" -- "$prog" --bias=separate "$ex"
grep_in out 'b^{1}' "--bias=separate"

# The rational example: only exact numbers, exact agreement.
expect 0 "rational" -- "$prog" "$rat"
no_grep_in out '\\approx' "rational"
grep_in out 'exactly' "rational"

# --digits: more digits of the same certified values.
expect 0 "--digits=12" -- "$prog" --digits=12 "$ex"
# X^2 = sigmoid(sigmoid(1) - sigmoid(-1) + 1) = 0.811856274912938 (float64)
grep_in out '0.811856274913' "--digits=12"

# A fixed precision too low to certify 6 digits: exit 3 and no document.
expect 3 "--precision=8" -- "$prog" --precision=8 "$ex"
empty_stdout "--precision=8"
grep_in err 'precision' "--precision=8"
# ... and a sufficient fixed one works.
expect 0 "--precision=200" -- "$prog" --precision=200 "$ex"
grep_in out '0.811856' "--precision=200"

# Training options: bad values are usage errors.
maz="$top_srcdir/examples/mazur.net"
for v in -1 10001 x; do
  expect 2 "--steps=$v" -- "$prog" --steps="$v" "$maz"
  empty_stdout "--steps=$v"
done
for v in 0 -0.5 abc 1/0 ""; do
  expect 2 "--rate=$v" -- "$prog" --rate="$v" --steps=1 "$maz"
done
grep_in err "invalid value '' for --rate" "--rate="
expect 2 "--update=global" -- "$prog" --update=global "$maz"
for v in -1 31 x; do
  expect 2 "--carry=$v" -- "$prog" --carry="$v" "$ex"
done
# --steps needs a rate: from the file or --rate.
expect 2 "--steps without a rate" -- "$prog" --steps=1 "$ex"
grep_in err "needs a learning rate" "--steps without a rate"
empty_stdout "--steps without a rate"
expect 0 "--steps with --rate" -- "$prog" --steps=2 --rate=1/2 "$ex"
grep_in out 'Training steps' "--steps with --rate"
grep_in out '\\emph{standard}' "--steps with --rate"
# --rate overrides the file's rate: eta = 1/4 is printed.
expect 0 "--rate overrides" -- "$prog" --steps=1 --rate=0.25 "$maz"
grep_in out 'eta = 0.25' "--rate overrides"
expect 0 "--update=local" -- "$prog" --steps=1 --update=local "$maz"
grep_in out '\\emph{local}' "--update=local"
expect 0 "--steps=0" -- "$prog" --steps=0 "$ex"
no_grep_in out 'Training steps' "--steps=0"
# --carry: the side-by-side section, and an exact network stays exact.
expect 0 "--carry=2" -- "$prog" --carry=2 "$ex"
grep_in out 'Textbook rounding' "--carry=2"
grep_in out 'drift' "--carry=2"
expect 0 "--carry=1 rational" -- "$prog" --carry=1 "$rat"

# A loss undefined at the outputs reached: exit 2, the sample and the
# output named, nothing on stdout.
printf 'sample [1/2] -> [1]\nsample [1] -> [0]\nlayer identity weights [1]\nloss cross_entropy\n' > "$tmp/ce.net"
expect 2 "cross_entropy at 1" -- "$prog" "$tmp/ce.net"
empty_stdout "cross_entropy at 1"
grep_in err "^.*ce.net:4:1: error: the loss cross_entropy is undefined at output 1 of sample 2: it needs outputs strictly between 0 and 1$" "cross_entropy at 1"
printf 'input [1 0] target [0 1]\nlayer relu weights [1 0; 0 1]\nloss categorical_cross_entropy\n' > "$tmp/cce.net"
expect 2 "categorical at 0" -- "$prog" "$tmp/cce.net"
grep_in err "cce.net:3:1: error: .* undefined at output 2 of sample 1" "categorical at 0: at the loss statement"
expect 2 "categorical at 0, audit" -- "$top_builddir/src/fadj-audit" "$tmp/cce.net"
grep_in err "cce.net:3:1: error: .* undefined at output 2 of sample 1" "categorical at 0, audit"
# ... also when a training step reaches it: identity output, CE, rate
# large enough that one step pushes X^1 = 1/2 + 4 past 1.
printf 'input [1] target [1]\nlayer identity weights [1/2]\nloss cross_entropy\nrate 2\n' > "$tmp/ce-step.net"
expect 2 "cross_entropy after a step" -- "$prog" --steps=1 "$tmp/ce-step.net"
grep_in err "after training step 1" "cross_entropy after a step"

# A closed standard output is an output error, exit 3.
if [ -w /dev/full ]; then
  expect 3 "disk full" -- sh -c "\"$prog\" \"$ex\" > /dev/full"
fi

echo "cli.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
