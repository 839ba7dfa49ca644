#!/bin/sh
# cli.sh -- fadj-explain as a user meets it: options, exit statuses, the
# one-line located error for every invalid file in tests/invalid, nothing
# on standard output on failure, and no clobbered -o file.

set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
prog="$top_builddir/src/fadj-explain"
ex="$top_srcdir/examples/boughammoura-a221.net"
rat="$top_srcdir/examples/relu-rational.net"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok () { pass=$((pass + 1)); }
bad () { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect STATUS DESCRIPTION -- COMMAND...: runs COMMAND, output in $tmp/out
# and $tmp/err, and checks its exit status.
expect () {
  want=$1; what=$2; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"; got=$?
  if [ "$got" -eq "$want" ]; then ok; else
    bad "$what: exit $got, expected $want"; sed 's/^/  stderr: /' "$tmp/err"; fi
}
empty_stdout () { if [ -s "$tmp/out" ]; then bad "$1: output on stdout"; else ok; fi; }
grep_in () { if grep -q -e "$2" "$tmp/$1"; then ok; else bad "$3: '$2' not in $1"; fi; }
no_grep_in () { if grep -q -e "$2" "$tmp/$1"; then bad "$3: '$2' in $1"; else ok; fi; }

# --help lists every option, --version names the package.
expect 0 "--help" -- "$prog" --help
for o in --output --digits --precision --fragment --index --bias --help --version; do
  grep_in out "$o" "--help"
done
expect 0 "-h" -- "$prog" -h
expect 0 "--version" -- "$prog" --version
grep_in out "fadj-explain (fadj) " "--version"
expect 0 "-V" -- "$prog" -V

# Usage errors: exit 2 and nothing on stdout.
expect 2 "no operand" -- "$prog"
empty_stdout "no operand"
expect 2 "two operands" -- "$prog" "$ex" "$ex"
expect 2 "unknown option" -- "$prog" --frobnicate "$ex"
for v in 0 -1 101 abc 6x ""; do
  expect 2 "--digits=$v" -- "$prog" --digits="$v" "$ex"
  empty_stdout "--digits=$v"
done
grep_in err "invalid value '' for --digits" "--digits="
for v in 0 1 1000001 x; do
  expect 2 "--precision=$v" -- "$prog" --precision="$v" "$ex"
done
expect 2 "--index=k" -- "$prog" --index=k "$ex"
expect 2 "--bias=none" -- "$prog" --bias=none "$ex"
expect 2 "missing file" -- "$prog" "$tmp/no-such.net"
grep_in err "cannot open" "missing file"

# Every invalid network: exactly one line FILE:LINE:COL: error: ..., the
# expected one, exit 2, nothing on stdout.
n=0
for f in "$top_srcdir"/tests/invalid/*.net; do
  [ -e "$f" ] || continue
  n=$((n + 1))
  expect 2 "$f" -- "$prog" "$f"
  empty_stdout "$f"
  want="$f:$(cat "${f%.net}.err")"
  if [ "$(cat "$tmp/err")" = "$want" ]; then ok; else
    bad "$f: message"; echo "  got:  $(cat "$tmp/err")"; echo "  want: $want"; fi
done
[ "$n" -ge 8 ] && ok || bad "expected at least 8 invalid files, found $n"

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

# A closed standard output is an output error, exit 3.
if [ -w /dev/full ]; then
  expect 3 "disk full" -- sh -c "\"$prog\" \"$ex\" > /dev/full"
fi

echo "cli.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
