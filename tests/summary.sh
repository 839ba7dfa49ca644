#!/bin/sh
# summary.sh -- fadj-explain --summary: a page of its own (\clearpage
# before it) with a table of every neuron's Y, X, sigma', Y_*, X_* and
# every gradient.  The numbers of the author's A[2,2,1] (math.md) are
# computed here with mpmath, independently of the program, and rounded
# to 6 significant digits; softmax writes the Jacobian's remark instead
# of a sigma'; a batch shows its first sample and says so; Markdown
# keeps the table's rows; --beamer is refused; A[8,8,8,3] with 1 and 4
# samples compiles with no overfull box and no size command.

. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-explain"
gen="$top_builddir/src/fadj-gen"
ex="$top_srcdir/examples"
pdflatex=${PDFLATEX:-}
[ -n "$pdflatex" ] || pdflatex=$(command -v pdflatex || true)

expect 0 "a221 --summary" -- "$prog" --summary --no-diagram \
  "$ex/boughammoura-a221.net"
cp "$tmp/out" "$tmp/a221"
# Its own page, after the gradients, with one table of the five columns.
if tr '\n' ' ' < "$tmp/a221" | grep -q '\\clearpage *\\section{Summary}'; then
  ok; else bad "no \\clearpage right before the summary"; fi
if [ "$(sed -n '/section{The gradients}/=' "$tmp/a221")" -lt \
     "$(sed -n '/section{Summary}/=' "$tmp/a221")" ]; then ok; else
  bad "the summary is not after the gradients"; fi
sed -n '/section{Summary}/,$p' "$tmp/a221" > "$tmp/sum"
if [ "$(grep -c 'begin{tabular}' "$tmp/sum")" -eq 1 ]; then ok; else
  bad "a221: not one table"; fi
no_grep_in sum '\\small\|\\footnotesize\|\\scriptsize\|\\tiny' "one font size"

# The rows and the gradients, from the mathematics.
python_with mpmath "summary.sh"
"$py" - > "$tmp/want" <<'EOF'
from mpmath import mp, mpf, exp, nstr
mp.dps = 50
s = lambda t: 1 / (1 + exp(-t))
def f(x):
    # 6 significant digits, trailing zeros kept; the minus of TeX.
    if x == int(x):
        return "$%d$" % int(x)
    v = "%s" % nstr(x, 6, strip_zeros=False, min_fixed=-5, max_fixed=7)
    return "$" + v + "$"
y1 = [mpf(1), mpf(-1)]                       # W^1 X^0 + b^1, X^0 = 0
x1 = [s(t) for t in y1]
y2 = x1[0] - x1[1] + 1
x2 = s(y2)
x2s = x2 - 1                                 # the seed, y = 1
d2 = x2 * (1 - x2)
y2s = x2s * d2
x1s = [y2s, -y2s]                            # (W^2_sharp)^T Y^2_*
d1 = [x * (1 - x) for x in x1]
y1s = [a * b for a, b in zip(x1s, d1)]
x0s = [y1s[0] - y1s[1], -y1s[0] + y1s[1]]    # (W^1_sharp)^T Y^1_*
rows = [
    ("0 & 1", ["", "$0$", "", "", f(x0s[0])]),
    (" & 2", ["", "$0$", "", "", f(x0s[1])]),
    ("1 & 1", [f(y1[0]), f(x1[0]), f(d1[0]), f(y1s[0]), f(x1s[0])]),
    (" & 2", [f(y1[1]), f(x1[1]), f(d1[1]), f(y1s[1]), f(x1s[1])]),
    ("2 & 1", [f(y2), f(x2), f(d2), f(y2s), f(x2s)]),
]
for head, cells in rows:
    print(head + "".join(" & " + c for c in cells) + "\\\\")
g2 = [y2s * x1[0], y2s * x1[1], y2s]
print("\\frac{\\partial J}{\\partial W^{2}} &\\approx \\left[\\begin{array}"
      "{@{}cc|c@{}}" + " & ".join(f(v)[1:-1] for v in g2)
      + "\\end{array}\\right]")
print("\\frac{\\partial J}{\\partial W^{1}} &\\approx \\left[\\begin{array}"
      "{@{}cc|c@{}}0 & 0 & " + f(y1s[0])[1:-1] + "\\\\ 0 & 0 & "
      + f(y1s[1])[1:-1] + "\\end{array}\\right]")
EOF
while IFS= read -r line; do
  if grep -qxF -e "$line" "$tmp/sum" || grep -qF -e "$line" "$tmp/sum"; then
    ok; else bad "a221 summary: missing '$line'"; fi
done < "$tmp/want"
# The values the mathematics gives, as math.md has them (a guard on the
# script above).
grep_in want '\$-0.0287381\$ & \$-0.188144\$' "math.md's Y^2_*, X^2_*"

# Softmax: the Jacobian's remark in the sigma' column, and a batch's
# first sample said.
expect 0 "softmax --summary" -- "$prog" --summary --no-diagram \
  "$ex/softmax-classifier.net"
sed -n '/section{Summary}/,$p' "$tmp/out" > "$tmp/soft"
if [ "$(grep -c '(Jacobian)' "$tmp/soft")" -eq 3 ]; then ok; else
  bad "softmax: the three output neurons have no (Jacobian) remark"; fi
grep_in soft 'derivative is the Jacobian of the whole layer' "softmax: the remark"
grep_in soft 'for the first sample (\$s = 1\$) of the 2 in the batch' \
  "batch: the first sample said"
# The gradients cite the steps of the gradients' section.
sed -n '/section{The gradients}/,/section{Verification/p' "$tmp/out" \
  | grep -o '\\tag{[0-9]*}' | tr -dc '0-9\n' > "$tmp/gtags"
g0=$(head -1 "$tmp/gtags") g1=$(tail -1 "$tmp/gtags")
grep_in soft "The gradients of the whole batch ($g0)–($g1):" \
  "batch: the gradients, citing their steps ($g0)–($g1)"
# Relu's sigma' of neuron 3 at Y = -0.5 is 0, exactly.
grep_in soft '^ & 3 & \$-0.5\$ & \$0\$ & \$0\$ & ' "relu: sigma' exact"

# Fractions at display size in rows tall enough for them, and nothing of
# that in text.  relu-rational by hand: Y^1 = (5/6, -1, 3/5), X^2 = 14/15,
# X^2_* = 13/30, Y^1_* = (13/30, 0, 13/60), X^0_* = (13/20, -13/360).
expect 0 "relu-rational --summary" -- "$prog" --summary --no-diagram \
  --numbers=fractions "$ex/relu-rational.net"
sed -n '/section{Summary}/,$p' "$tmp/out" > "$tmp/rr"
grep_in rr '^0 & 1 &  & \$\\displaystyle \\frac{1}{2}\$ &  &  & \$\\displaystyle \\frac{13}{20}\$' \
  "fractions: display size"
grep_in rr '^\\renewcommand{\\arraystretch}{2.2}$' "fractions: taller rows"
grep_in rr 'Every number is exact\.' "rational: every number exact, said"
no_grep_in rr 'significant digits are rounded' "rational: nothing rounded"
expect 0 "--summary --index=h" -- "$prog" --summary --index=h --no-diagram \
  "$ex/boughammoura-a221.net"
grep_in out '^\$h\$ & \$i\$ & \$Y^{h}_{i}\$ & ' "index h in the table's head"
expect 0 "relu-rational --summary text" -- "$prog" --summary --format=text \
  --numbers=fractions "$ex/relu-rational.net"
grep_in out '^ *0 | 1 | *| 1/2 ' "fractions: text"
no_grep_in out 'displaystyle\|arraystretch\|renewcommand\|2\.2' \
  "fractions: no TeX in text"

# A worksheet: boxes for the computed values (not the answers), the
# input as given, rows apart.
expect 0 "a221 --summary --worksheet" -- "$prog" --summary --worksheet \
  --no-diagram "$ex/boughammoura-a221.net"
sed -n '/section{Summary}/,$p' "$tmp/out" > "$tmp/ws"
no_grep_in ws '\$0\.731059\$\|\$-0\.0287381\$' "worksheet: no answer shown"
# (A numbered answer field, empty on the sheet: latex-worksheet.c.)
grep_in ws '& \$\\fadjfield{[0-9]*}{}\$ &' "worksheet: a field for X^1_1"
grep_in ws '^0 & 1 &  & \$0\$ & ' "worksheet: the input as given"
grep_in ws '^\\renewcommand{\\arraystretch}{1.8}$' "worksheet: taller rows"

# Markdown: each row opens its own line, the empty first cells too.
expect 0 "a221 --summary markdown" -- "$prog" --summary --format=markdown \
  "$ex/boughammoura-a221.net"
grep_in out '^|  | 2  |  | \$0\$  |  |$' "markdown: a row with an empty first cell"
expect 0 "a221 --summary text" -- "$prog" --summary --format=text \
  "$ex/boughammoura-a221.net"
grep_in out '^ *2 | 1 | 1.46212 ' "text: the table"

expect 2 "--summary --beamer" -- "$prog" --summary --beamer \
  "$ex/boughammoura-a221.net"
grep_in err 'does not combine with --beamer' "--beamer refused"

# A[8, 8, 8, 3]: the page fits, with 1 and with 4 samples.
[ -n "$pdflatex" ] || { echo "summary.sh: no pdflatex; compilation skipped"
  echo "summary.sh: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }
for m in 1 4; do
  "$gen" --sizes=8,8,8,3 --seed=3 --samples=$m > "$tmp/g$m.net" || bad "fadj-gen"
  expect 0 "8-8-8-3 m=$m" -- "$prog" --summary -o "$tmp/g$m.tex" "$tmp/g$m.net"
  if (cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error \
      "g$m.tex" > /dev/null 2>&1); then ok; else bad "g$m: pdflatex failed"; fi
  no_grep_in "g$m.log" 'Overfull' "8-8-8-3 m=$m: overfull boxes"
  sed -n '/section{Summary}/,$p' "$tmp/g$m.tex" > "$tmp/gs$m"
  no_grep_in "gs$m" '\\small\|\\footnotesize\|\\scriptsize\|\\tiny' \
    "8-8-8-3 m=$m: one font size"
done

echo "summary.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
