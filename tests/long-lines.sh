#!/bin/sh
# long-lines.sh -- no line of a document longer than pdflatex's input
# buffer (200000 characters), in any mode, --max-show=0 included: a
# 1024-wide layer written whole is broken into lines of about
# FADJ_WRAP_COLUMN (2000) characters, at spaces where a newline means
# the same (issue 16 item 4); a 350-wide one compiles with pdflatex
# (that part skipped without pdflatex).  Wide and tall matrices compile
# (issue 16 item 4): a 1024-wide network with --max-show=0, its picture
# included, as an article and a worksheet: the matrices cut into
# labelled blocks of columns and of rows, no "Dimension too large" (a
# matrix or a picture wider or taller than TeX can set, 16383pt), no
# overfull \hbox; a 300-wide deck likewise.  A 2500-wide network: no
# line past the limit in any mode (an array's column specification was
# one unbreakable line of 2500 c's; it is *{K}{c} now).  The decks, 60
# and 300 wide, compile without an overfull frame (\vbox) either.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
explain="$top_builddir/src/fadj-explain"
MAX=2100        # FADJ_WRAP_COLUMN plus the longest unbreakable run here

# wide N: a network of an N-wide input, a relu layer of 2, one output.
wide () {
  awk -v n="$1" 'BEGIN { printf "input ["; for (i = 0; i < n; i++) printf " %d;", i % 7 - 3; print "]"
    print "target [1]"; printf "layer relu weights ["
    for (r = 0; r < 2; r++) { for (i = 0; i < n; i++) printf " %d", (i * r + i) % 5 - 2; print ";" }
    print "] bias [1; 0]"; print "layer identity weights [1 -1] bias [0]"; print "loss half_squared" }'
}
longest () { awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$1"; }

wide 1024 > "$tmp/w.net"
for mode in "" --format=markdown --format=text --beamer --worksheet --summary \
            --chain=1,1,1 --symbolic "--format=markdown --summary"; do
  # shellcheck disable=SC2086
  expect 0 "--max-show=0 $mode" -- "$explain" --max-show=0 $mode -o "$tmp/doc" "$tmp/w.net"
  n=$(longest "$tmp/doc")
  if [ "$n" -le "$MAX" ]; then ok; else bad "--max-show=0 $mode: a line of $n characters"; fi
  # Written to standard output (not streamed): the same.
  # shellcheck disable=SC2086
  "$explain" --max-show=0 $mode "$tmp/w.net" > "$tmp/doc" 2>/dev/null
  n=$(longest "$tmp/doc")
  if [ "$n" -le "$MAX" ]; then ok; else bad "--max-show=0 $mode to stdout: a line of $n characters"; fi
done
# The Markdown display stays one display: every line between $$ and $$
# is maths, none starts a Markdown block (a list item, a heading, a
# table row, a quote).
"$explain" --max-show=0 --format=markdown "$tmp/w.net" > "$tmp/doc.md"
if awk '/^\$\$/ { inside = !inside; next } inside && /^([-+*] |[0-9]+[.)] |#|>|\||=+ *$)/ { bad = 1 } END { exit bad }' "$tmp/doc.md"
then ok; else bad "markdown: a wrapped display line starts a block"; fi

wide 2500 > "$tmp/w2500.net"
for mode in "" --format=markdown --beamer --worksheet --summary; do
  # shellcheck disable=SC2086
  expect 0 "2500 wide $mode" -- "$explain" --max-show=0 $mode -o "$tmp/doc" "$tmp/w2500.net"
  n=$(longest "$tmp/doc")
  if [ "$n" -le "$MAX" ]; then ok; else bad "2500 wide --max-show=0 $mode: a line of $n characters"; fi
done

# A 12-wide layer's [W | b]: *{12}{c}|c in the LaTeX; written out in the
# Markdown, where KaTeX knows no *{K}{c}; the text as before.
wide 12 > "$tmp/w12.net"
"$explain" --max-show=0 -o "$tmp/w12.tex" "$tmp/w12.net"
if grep -qF 'array}{@{}*{12}{c}|c@{}}' "$tmp/w12.tex"; then ok; else bad "12 wide: no *{12}{c}|c"; fi
"$explain" --max-show=0 --format=markdown -o "$tmp/w12.md" "$tmp/w12.net"
if grep -qF 'array}{c c c c c c c c c c c c|c}' "$tmp/w12.md" && ! grep -qF '*{' "$tmp/w12.md"
then ok; else bad "12 wide, Markdown: *{12}{c} not written out"; fi

# compiles NAME: NAME.tex compiles, with neither an error nor an
# overfull line (\hbox) or page (\vbox: a deck's frame).
compiles () {
  if (cd "$tmp" && pdflatex -interaction=nonstopmode -halt-on-error "$1.tex" >/dev/null 2>&1) && [ -s "$tmp/$1.pdf" ]
  then ok; else bad "$1: pdflatex failed"; grep -A3 '^!' "$tmp/$1.log" | head; fi
  if grep -q 'Overfull \\[hv]box' "$tmp/$1.log"
  then bad "$1: overfull"; grep -A1 'Overfull \\[hv]box' "$tmp/$1.log" | head -4; else ok; fi
}
if command -v pdflatex >/dev/null 2>&1; then
  wide 350 > "$tmp/m.net"
  expect 0 "350 wide" -- "$explain" --max-show=0 --no-diagram -o "$tmp/m.tex" "$tmp/m.net"
  n=$(longest "$tmp/m.tex")
  if [ "$n" -le "$MAX" ]; then ok; else bad "350 wide: longest line $n"; fi
  compiles m
  expect 0 "1024 wide" -- "$explain" --max-show=0 -o "$tmp/w1024.tex" "$tmp/w.net"
  # The input, 1025 x 1 with the appended 1, in blocks of rows; W^1, 2 x 1025, of columns.
  if grep -q '^X^{0} &= \\text{rows 1–[0-9]*: }' "$tmp/w1024.tex" \
     && grep -q '\\text{rows [0-9]*–1025: }' "$tmp/w1024.tex"
  then ok; else bad "1024 wide: X^0 not in blocks of rows"; fi
  if grep -q '\\text{columns [0-9]*–1025: }' "$tmp/w1024.tex"
  then ok; else bad "1024 wide: W^1 not in blocks of columns"; fi
  compiles w1024
  expect 0 "1024 wide worksheet" -- "$explain" --max-show=0 --worksheet -o "$tmp/s1024.tex" "$tmp/w.net"
  compiles s1024
  expect 0 "1024 wide default" -- "$explain" -o "$tmp/d1024.tex" "$tmp/w.net"
  compiles d1024
  wide 300 > "$tmp/b.net"
  expect 0 "300 wide deck" -- "$explain" --max-show=0 --beamer -o "$tmp/b300.tex" "$tmp/b.net"
  compiles b300
  # The decks' frames hold lines of one-row blocks, whose brackets
  # (18pt) are taller than their rows: the 300-wide deck's ran 8 to
  # 15pt past the slide (an overfull \vbox) when their height was
  # estimated at the rows'.  A 60-wide deck likewise.
  wide 60 > "$tmp/b60.net"
  expect 0 "60 wide deck" -- "$explain" --max-show=0 --beamer -o "$tmp/b60.tex" "$tmp/b60.net"
  compiles b60
else
  echo "long-lines: no pdflatex; the compilation skipped"
fi

echo "long-lines: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
