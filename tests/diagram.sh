#!/bin/sh
# diagram.sh -- the picture of fadj-explain: --diagram=values|adjoints|full
# (what each neuron shows), its usage errors, and documents with pictures
# of networks of up to 5 neurons per layer with fractional weights that
# compile without an overfull box.  The expected values of the small
# network below are derived by hand in its comment.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-explain"
ex="$top_srcdir/examples/boughammoura-a221.net"
pdflatex=${PDFLATEX:-}
[ -n "$pdflatex" ] || pdflatex=$(command -v pdflatex || true)
# has ERE WHAT: the extended regular expression ERE matches in $tmp/out
# (hasnt: does not).
has () { if grep -qE -e "$1" "$tmp/out"; then ok; else bad "$2: '$1' missing"; fi; }
hasnt () { if grep -qE -e "$1" "$tmp/out"; then bad "$2: '$1' present"; else ok; fi; }
# A fraction p/q as the number writer may set it (\frac, \dfrac).
frac () { printf '%s\\\\d?frac\\{%s\\}\\{%s\\}' "${3:-}" "$1" "$2"; }

# A[1,1,1] of identities, computed by hand:
#   Y^1 = (2/3)(1/3) + 1/6 = 7/18 = X^1;  Y^2 = (3/7)(7/18) = 1/6 = X^2;
#   X^2_* = X^2 - y = 1/6 - 1/2 = -1/3 = Y^2_*;
#   X^1_* = (3/7)(-1/3) = -1/7 = Y^1_*;  X^0_* = (2/3)(-1/7) = -2/21.
cat > "$tmp/tiny.net" <<'NET'
input [1/3]
target [1/2]
layer identity
  weights [2/3]
  bias [1/6]
layer identity
  weights [3/7]
loss half_squared
NET

expect 0 "--diagram=full" -- "$prog" --diagram=full "$tmp/tiny.net"
has "Y = $(frac 7 18)" "full: Y^1"
has "Y = $(frac 1 6)" "full: Y^2"
has "X_\\{\\*\\} = $(frac 1 3 -)" "full: X^2_* (the seed)"
has "Y_\\{\\*\\} = $(frac 1 3 -)" "full: Y^2_*"
has "X_\\{\\*\\} = $(frac 1 7 -)" "full: X^1_*"
has "Y_\\{\\*\\} = $(frac 1 7 -)" "full: Y^1_*"
has "X_\\{\\*\\} = $(frac 2 21 -)" "full: X^0_*"
has "node\\[forward\\] at" "full: the forward value's frame"

# The default is adjoints, today's picture: X inside, Y_* below, no Y and
# no X_* beside the neurons.
for o in "" --diagram --diagram=adjoints; do
  expect 0 "default $o" -- "$prog" $o "$tmp/tiny.net"
  has "node\\[adjoint\\] at \\([-0-9.]+, [-0-9.]+\\) \\{\\\$\\\\displaystyle $(frac 1 7 -)" "$o: Y^1_*"
  hasnt "Y = " "$o: no Y"
  hasnt "X_\\{\\*\\} = " "$o: no X_*"
done

# values: X alone.
expect 0 "--diagram=values" -- "$prog" --diagram=values "$tmp/tiny.net"
has "\\{\\\$\\\\displaystyle $(frac 7 18)\\\$\\}" "values: X^1"
hasnt "node\\[adjoint\\]" "values: no adjoint"
hasnt "adjoint \\\$Y" "values: no adjoint in the legend"

# The last --diagram wins; --no-diagram after it removes the picture.
expect 0 "--diagram=full --diagram=values" -- "$prog" --diagram=full --diagram=values "$tmp/tiny.net"
hasnt "Y = " "the last --diagram wins"
expect 0 "--diagram=full --no-diagram" -- "$prog" --diagram=full --no-diagram "$tmp/tiny.net"
hasnt "tikzpicture" "--no-diagram after --diagram=full"

# Usage errors: exit 2, one line naming the option and its values.
for bogus in bogus "" Full; do
  expect 2 "--diagram=$bogus" -- "$prog" --diagram="$bogus" "$ex"
  empty_stdout "--diagram=$bogus"
  [ "$(wc -l < "$tmp/err")" -eq 1 ] && ok || bad "--diagram=$bogus: not one line on stderr"
  grep_in err "invalid value '$bogus' for --diagram: expected 'values', 'adjoints' or 'full'" "--diagram=$bogus"
done
expect 2 "--diagram=full --format=text" -- "$prog" --diagram=full --format=text "$ex"

# --help and the man page name the option and its values.
expect 0 "--help" -- "$prog" --help
grep_in out "--diagram\\[=WHAT\\]" "--help"
grep_in out "values" "--help"
grep_in out "full" "--help"
man="$top_srcdir/man/fadj-explain.1"
if grep -q 'diagram' "$man" && grep -q 'adjoints' "$man" && grep -q 'full' "$man"; then ok
else bad "man page: --diagram=values|adjoints|full not documented"; fi

# Documents with pictures of 3-4-2 and 5-5-5 networks with fractional
# weights, and the author's A[2,2,1], in every mode: no overfull box.
cat > "$tmp/n342.net" <<'NET'
input  [1/2, -1/3, 2/5]
target [1, -1/2]
layer relu
  weights [1/3 -2/5 1/2; -1/4 2/3 -3/5; 3/7 -1/6 2/9; -5/8 1/5 -4/3]
  bias    [1/6, -2/7, 3/8, -1/9]
layer identity
  weights [2/3 -1/5 3/4 -2/9; -3/8 5/6 -1/7 4/5]
  bias    [-1/2, 2/5]
loss half_squared
NET
cat > "$tmp/n555.net" <<'NET'
input  [1/2, -1/3, 2/5, -3/4, 1/6]
target [1, -1/2, 1/3, 0, 2/3]
layer relu
  weights [1/3 -2/5 1/2 -1/7 3/8; -1/4 2/3 -3/5 1/9 -5/6; 3/7 -1/6 2/9 -4/5 1/3; -5/8 1/5 -4/3 2/7 -1/2; 2/5 -3/7 1/8 -2/3 5/9]
  bias    [1/6, -2/7, 3/8, -1/9, 2/5]
layer identity
  weights [2/3 -1/5 3/4 -2/9 1/7; -3/8 5/6 -1/7 4/5 -2/3; 1/9 -4/7 5/8 -1/3 3/10; -7/9 2/5 -1/6 3/7 -5/8; 4/9 -3/10 2/7 -5/9 1/4]
  bias    [-1/2, 2/5, -3/7, 1/8, -2/9]
loss half_squared
NET
cp "$ex" "$tmp/a221.net"
for n in n342 n555 a221; do
  for m in values adjoints full; do
    expect 0 "$n --diagram=$m" -- "$prog" --diagram=$m -o "$tmp/$n-$m.tex" "$tmp/$n.net"
  done
done
# A deck (its step frames show the picture small): the 5-5-5 network's
# frames of 5 x 6 matrices are too tall for a slide whatever the picture,
# so the decks are those of the smaller networks.
for n in n342 a221; do
  expect 0 "$n --beamer" -- "$prog" --beamer --diagram=full -o "$tmp/$n-beamer.tex" "$tmp/$n.net"
done
if [ -z "$pdflatex" ]; then
  echo "diagram.sh: pdflatex not found; the compile checks skipped"
  echo "diagram.sh: $pass passed, $fail failed"
  [ "$fail" -eq 0 ] && exit 77 || exit 1
fi
for f in "$tmp"/*-values.tex "$tmp"/*-adjoints.tex "$tmp"/*-full.tex "$tmp"/*-beamer.tex; do
  b=$(basename "$f" .tex)
  if (cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error "$b.tex" > /dev/null 2>&1); then ok
  else bad "$b: pdflatex failed"; continue; fi
  if grep -q 'Overfull' "$tmp/$b.log"; then bad "$b: overfull box"; else ok; fi
done

echo "diagram.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
