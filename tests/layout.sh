#!/bin/sh
# layout.sh -- one font size for all the mathematics of fadj-explain's
# LaTeX: no size command (\tiny, \scriptsize, \footnotesize, \small)
# around any display of any example in any mode, nor of an A[8, 8, 8, 3]
# network applied to 4 samples; and, compiled, zero overfull lines
# (horizontal or vertical) in those documents.  A batch of 8 samples is
# cut into labelled blocks of samples.  The gallery (classroom.sh)
# compiles the examples in the other modes with the same check of
# overfull lines; here they are compiled with --steps and --carry, and
# the 8-8-8-3 network in every mode.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-explain"
gen="$top_builddir/src/fadj-gen"
pdflatex=${PDFLATEX:-}
[ -n "$pdflatex" ] || pdflatex=$(command -v pdflatex || true)

# A[8, 8, 8, 3] from fadj-gen, its input and target replaced by 4 samples.
"$gen" --sizes=8,8,8,3 --seed=1 > "$tmp/g.net" || bad "fadj-gen"
{ echo 'title "A[8, 8, 8, 3], 4 samples"'
  echo 'sample [-0.4, -0.6, 0, -1.5, -0.3, 0.2, 0, -1] -> [1, 1, 0]'
  echo 'sample [0.5, 1, -2, 0.1, 0, 1.5, -0.7, 2] -> [0, 1, 0]'
  echo 'sample [1, 0, 0, 1, -1, 0, 0.3, -0.5] -> [0, 0, 1]'
  echo 'sample [-1.5, 2.5, 0.4, 0, 1, -0.2, 1, 0] -> [1, 0, 1]'
  echo 'batch sum'
  grep -v '^title\|^input\|^target\|^#' "$tmp/g.net"; } > "$tmp/n8883.net"

# mode_args MODE NET: the options of MODE ("chain": the first weight of
# the first and of the last layer).
mode_args () {
  case $1 in
    default) echo "" ;;
    beamer) echo "--beamer" ;;
    worksheet) echo "--worksheet" ;;
    key) echo "--worksheet --key" ;;
    symbolic) echo "--symbolic" ;;
    chain) echo "--chain=1,1,1 --chain=$(grep -c '^layer' "$2"),1,1" ;;
    steps) echo "--steps=2 --rate=0.5" ;;
    carry) echo "--carry=2" ;;
  esac
}
modes="default beamer worksheet key symbolic chain steps carry"

# no_size_command FILE: no size command outside the pictures (whose
# labels TikZ sets, scaled as a whole) and the worksheet's field macro
# (whose number, in the field's corner, is a label too).
no_size_command () {
  if sed '/\\begin{tikzpicture}/,/\\end{tikzpicture}/d; /^% The answer fields/,/^\\fi$/d' "$1" \
       | grep -n '\\\(tiny\|scriptsize\|footnotesize\|small\)\b' | head -3 | grep .; then
    bad "$(basename "$1"): a size command"; else ok; fi
}

# compile NAME: $tmp/NAME.tex compiles, without an overfull line.
compile () {
  [ -n "$pdflatex" ] || return 0
  if (cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error "$1.tex" > /dev/null 2>&1); then ok
  else bad "$1: pdflatex failed"; return; fi
  if grep -q 'Overfull \\[hv]box' "$tmp/$1.log"; then
    bad "$1: overfull"; grep -A1 'Overfull' "$tmp/$1.log" | head -4
  else ok; fi
}

for f in "$top_srcdir"/examples/*.net "$tmp/n8883.net"; do
  name=$(basename "$f" .net)
  for mode in $modes; do
    doc="$name-$mode"
    # shellcheck disable=SC2046
    expect 0 "$doc" -- "$prog" $(mode_args $mode "$f") -o "$tmp/$doc.tex" "$f"
    no_size_command "$tmp/$doc.tex"
    case $name:$mode in
      n8883:*|*:steps|*:carry) compile "$doc" ;;
    esac
  done
done

# The 8-8-8-3 document breaks its long lines at the relations and cuts
# the gradients (8 x 9) into blocks of columns.
has () { if grep -qF -e "$1" "$tmp/$2"; then ok; else bad "$2: '$1' missing"; fi; }
has '\\
  &\approx' n8883-default.tex
has '\text{columns 1–' n8883-default.tex
# The block with the \cdots of an elided gradient (8 x 9, --max-show 8)
# names the columns it stands for: "columns 7–9", never "column 9".
grep -q '\\text{columns [1-7]–9: }' "$tmp/n8883-default.tex" && ok || bad "n8883: no block ending at column 9"
grep -q '\\text{column 9: }' "$tmp/n8883-default.tex" && bad "n8883: a block of \\cdots labelled column 9" || ok

# A batch of 8 samples: X^0 (2 x 8 of small numbers) fits, the values
# (6 digits) do not: blocks of samples, each labelled, all 8 covered.
{ echo 'title "XOR twice"'
  for s in '0, 0] -> [0' '0, 1] -> [1' '1, 0] -> [1' '1, 1] -> [0' \
           '0.5, 0] -> [1' '0, 0.5] -> [1' '0.5, 0.5] -> [0' '1, 0.5] -> [1'; do
    echo "sample [$s]"; done
  sed -n '/^batch/,$p' "$top_srcdir/examples/xor-batch.net"; } > "$tmp/xor8.net"
expect 0 "8 samples" -- "$prog" -o "$tmp/xor8.tex" "$tmp/xor8.net"
has '\text{samples 1–' xor8.tex
grep -q '\\text{samples [0-9]*–8: }' "$tmp/xor8.tex" && ok || bad "8 samples: no block ending at sample 8"
grep -q 'X^{0} &= \\begin{bmatrix}0 & 0 & 1 & 1 & 0.5 & 0 & 0.5 & 1' "$tmp/xor8.tex" \
  && ok || bad "8 samples: X^0 (narrow) cut"
no_size_command "$tmp/xor8.tex"
compile xor8

# A deck's run-in heading ("F-adjoint.", "Gradients." of the carry
# section) starts the frame of the display it introduces: no frame ends
# with one (the gallery compiles these decks, frames included).
for f in "$top_srcdir/examples/boughammoura-a221.net" "$top_srcdir/examples/xor-batch.net"; do
  expect 0 "deck carry $(basename "$f")" -- "$prog" --beamer --carry=2 -o "$tmp/dc.tex" "$f"
  if awk '/^\\item \\textbf\{[^}]*\.\}$/ { h = NR } /^\\end\{frame\}/ && h == NR - 2 { bad = 1 } END { exit !bad }' "$tmp/dc.tex"; then
    bad "$(basename "$f"): a frame ends with a heading"
  else ok; fi
done

# Within a deck's frame, a step (a display line with a left-hand side)
# reveals its values after every step above it (a batch seed's X^L_*
# uses the first sample's result): its first overlay is later than the
# last one of the steps before it.
overlay_order () {
  awk '/^\\begin\{frame\}/ { prev = 0; cur = 0; next }
/\\uncover</ {
  line = $0; lo = 0; hi = 0
  while (match(line, /\\uncover<[0-9]+/)) {
    n = substr(line, RSTART + 9, RLENGTH - 9) + 0
    if (lo == 0 || n < lo) lo = n
    if (n > hi) hi = n
    line = substr(line, RSTART + RLENGTH)
  }
  if ($0 !~ /^ *&/) { prev = cur > prev ? cur : prev; cur = 0
    if (prev > 0 && lo <= prev) { print FILENAME ":" NR ": revealed at " lo " after " prev; bad = 1 } }
  if (hi > cur) cur = hi
}
END { exit bad }' "$1"
}
for f in "$top_srcdir/examples/softmax-classifier.net" "$top_srcdir/examples/xor-batch.net" "$tmp/n8883.net"; do
  expect 0 "deck $(basename "$f")" -- "$prog" --beamer -o "$tmp/do.tex" "$f"
  if overlay_order "$tmp/do.tex"; then ok; else bad "$(basename "$f"): a step revealed before the one above it"; fi
done

echo "layout.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || exit 1
[ -n "$pdflatex" ] || exit 77
exit 0
