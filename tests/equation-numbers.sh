#!/bin/sh
# equation-numbers.sh -- every step's display line numbered (1), (2), ...
# in order, one number per step, on the last of the lines a long step is
# broken into and never on a continuation; none with
# --no-equation-numbers or on a beamer deck; the same numbers in text
# ("(7)" after the line) and in Markdown ("\qquad(7)", since KaTeX
# refuses \tag on a row of aligned).

. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-explain"
gen="$top_builddir/src/fadj-gen"
ex="$top_srcdir/examples"
pdflatex=${PDFLATEX:-}
[ -n "$pdflatex" ] || pdflatex=$(command -v pdflatex || true)

# A[2,2,1] has 14 steps: Y^1, X^1, Y^2, X^2, J, the seed X^2_*, then
# sigma'(Y^l), Y^l_*, X^{l-1}_* for l = 2, 1, and dJ/dW^1, dJ/dW^2.
expect 0 "a221" -- "$prog" --no-diagram "$ex/boughammoura-a221.net"
cp "$tmp/out" "$tmp/a221"
grep -o '\\tag{[0-9]*}' "$tmp/a221" | tr -dc '0-9\n' > "$tmp/tags"
seq 1 14 > "$tmp/want"
if cmp -s "$tmp/tags" "$tmp/want"; then ok; else
  bad "a221: the tags are not 1..14 in order: $(tr '\n' ' ' < "$tmp/tags")"; fi
grep_in a221 '^Y^{1} &= W^{1} X^{0} = .* \\tag{1}\\\\$' "step Y^1 is (1)"
grep_in a221 '^J &= .* \\tag{5}$' "the loss is (5)"
grep_in a221 '^\\frac{\\partial J}{\\partial W^{1}} &= .*\\tag{13}$' \
  "dJ/dW^1 is (13)"
# sigma'(Y^2) is broken into two lines: the number on the second only.
grep_in a221 '^\\sigma'"'"'(Y^{2}) &= [^\\]*.*\\end{bmatrix}\\\\$' \
  "sigma'(Y^2): its first line, unnumbered"
grep_in a221 '^  &\\approx \\begin{bmatrix}0.152746\\end{bmatrix}\\tag{7}\\\\$' \
  "sigma'(Y^2): the number on its continuation's last line"
# No line carries two numbers.
if [ "$(grep -c '\\tag{.*\\tag{' "$tmp/a221")" -eq 0 ]; then ok; else
  bad "a line with two numbers"; fi

# A step continued on a line of its own (the sum of softmax's
# exponentials: the exponentials, then their values) has one number, on
# its last line.
expect 0 "softmax" -- "$prog" --no-diagram "$ex/softmax-classifier.net"
cp "$tmp/out" "$tmp/soft"
grep_in soft '^\\sum_{k} e^{Y^{2,(1)}_{k}} & = e^{1.25} + e^{2} + e^{-1.375}\\\\$' \
  "softmax: the sum's first line, unnumbered"
grep_in soft '^ & \\approx .* \\approx 11.1322 \\tag{4}\\\\$' \
  "softmax: the sum's continuation has its number"
# Every example, in every format: the numbers 1..N in order.
for f in "$ex"/*.net; do
  for fmt in latex markdown text; do
    "$prog" --no-diagram --format=$fmt "$f" > "$tmp/o" 2>/dev/null \
      || { bad "$f $fmt: exit $?"; continue; }
    case $fmt in
      latex) grep -o '\\tag{[0-9]*}' "$tmp/o" ;;
      markdown) grep -o '\\qquad([0-9]*)' "$tmp/o" ;;
      text) grep -o '   ([0-9]*)$' "$tmp/o" ;;
    esac | tr -dc '0-9\n' > "$tmp/n"
    if [ -s "$tmp/n" ] && cmp -s "$tmp/n" /dev/stdin <<EOF2
$(seq 1 "$(wc -l < "$tmp/n")")
EOF2
    then ok; else bad "$f $fmt: the numbers are not 1..N in order"; fi
  done
done

# Prose cites the steps it refers to.
expect 0 "a221 --steps=2" -- "$prog" --no-diagram --steps=2 --rate=1/2 \
  "$ex/boughammoura-a221.net"
grep_in out '^From the gradients (13)–(14) above:$' "training cites (13)–(14)"

expect 0 "--no-equation-numbers" -- "$prog" --no-diagram \
  --no-equation-numbers --steps=2 --rate=1/2 "$ex/boughammoura-a221.net"
no_grep_in out '\\tag' "--no-equation-numbers"
grep_in out '^From the gradients above:$' "no numbers: no citation"
expect 0 "--beamer" -- "$prog" --beamer "$ex/boughammoura-a221.net"
no_grep_in out '\\tag' "beamer: no numbers"

expect 0 "text" -- "$prog" --format=text "$ex/boughammoura-a221.net"
grep_in out '≈ ⎡0.196612⎤   (10)$' "text: sigma'(Y^1) is (10)"
grep_in out '^ *J = .*0.0176990   (5)$' "text: the loss is (5)"
no_grep_in out 'tag' "text: no TeX"
expect 0 "markdown" -- "$prog" --format=markdown "$ex/boughammoura-a221.net"
grep_in out '\\approx 0.0176990 \\qquad(5)$' "markdown: the loss is (5)"
no_grep_in out '\\tag' "markdown: no \\tag"

# A wide network: the numbers take room at the margin, nothing overflows.
[ -n "$pdflatex" ] || { echo "equation-numbers.sh: no pdflatex; skipped"
  echo "equation-numbers.sh: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }
"$gen" --sizes=8,8,8,3 --seed=2 --samples=4 > "$tmp/g.net" || bad "fadj-gen"
expect 0 "8-8-8-3" -- "$prog" -o "$tmp/g.tex" "$tmp/g.net"
if (cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error g.tex \
    > /dev/null 2>&1); then ok; else bad "g: pdflatex failed"; fi
no_grep_in g.log 'Overfull' "8-8-8-3: overfull boxes"
expect 0 "a221 pdf" -- "$prog" -o "$tmp/a.tex" "$ex/boughammoura-a221.net"
if (cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error a.tex \
    > /dev/null 2>&1); then ok; else bad "a221: pdflatex failed"; fi
no_grep_in a.log 'Overfull' "a221: overfull boxes"

echo "equation-numbers.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
