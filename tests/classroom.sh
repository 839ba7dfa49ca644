#!/bin/sh
# classroom.sh -- the classroom views of fadj-explain: diagram, chain
# rule, symbolic view, beamer, worksheet and key, --max-show, Markdown and
# text; then the gallery (every example in every mode, compiled and
# checked).  Expected numbers come from the examples' hand derivations
# (examples/relu-rational.net) and the published worked example
# (Boughammoura's A[2,2,1], doc/math notes).

set -u
. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-explain"
gen="$top_builddir/src/fadj-gen"
ex="$top_srcdir/examples/boughammoura-a221.net"
rat="$top_srcdir/examples/relu-rational.net"
# has TEXT WHAT: the fixed string TEXT occurs in $tmp/out (hasnt: not).
has () { if grep -qF -e "$1" "$tmp/out"; then ok; else bad "$2: '$1' missing"; fi; }
hasnt () { if grep -qF -e "$1" "$tmp/out"; then bad "$2: '$1' present"; else ok; fi; }
pdflatex=${PDFLATEX:-}
[ -n "$pdflatex" ] || pdflatex=$(command -v pdflatex || true)

# --help names every new option.
expect 0 "--help" -- "$prog" --help
for o in --diagram --no-diagram --chain --symbolic --beamer --worksheet --key --blanks --box --round --space --max-show --format; do
  has "$o" "--help"
done

# Diagram: on in a standalone document, off in a fragment unless asked;
# the weights label the edges, the values sit on the neurons.
expect 0 "diagram default" -- "$prog" "$ex"
has '\begin{tikzpicture}' "diagram default"
has '\usepackage{tikz}' "diagram default"
has 'node[weight] at' "diagram weights"
has '{$\displaystyle -1$}' "diagram weights"
has '{$\displaystyle 0.811856$}' "diagram X^2"
has '{$\displaystyle -0.0287381$}' "diagram Y^2_*"
expect 0 "--no-diagram" -- "$prog" --no-diagram "$ex"
hasnt 'tikzpicture' "--no-diagram"
expect 0 "fragment" -- "$prog" --fragment "$ex"
hasnt 'tikzpicture' "fragment"
expect 0 "fragment --diagram" -- "$prog" --fragment --diagram "$ex"
has 'tikzpicture' "fragment --diagram"
has 'needs amsmath and tikz' "fragment --diagram"

# --chain on the rational example: dJ/dw^1_11 = 13/60 by hand (one path:
# X^2_* = 13/30, identity' = 1, w^2_11 = 1, relu'(5/6) = 1, X^0_1 = 1/2);
# the bias b^1_1 (column 3) = 13/30; w^1_21 = 0 (relu'(-1) = 0).  X^0_1
# is a fraction, as the file writes it (--numbers=auto).
expect 0 "--chain" -- "$prog" --chain=1,1,1 --chain=1,1,3 --chain=1,2,1 "$rat"
has '\frac{\partial J}{\partial w^{1}_{11}} &= \sum_{k_{2}=1}^{1} \frac{\partial J}{\partial X^{2}_{k_{2}}}' "chain symbolic"
has '\frac{13}{30}\cdot 1\cdot 1\cdot 1\cdot \frac{1}{2}' "chain numbers"
has '= \frac{13}{60}' "chain value"
has '\bigl(Y^{1}_{*}\,(X^{0})^{\top}\bigr)_{11} = Y^{1}_{*,1}\,X^{0}_{1} = \frac{13}{60}' "chain = gradient entry"
has 'The chain rule for $b^{1}_{1}$' "chain bias"
has '= \frac{13}{30}' "chain bias value"
has '\frac{13}{30}\cdot 1\cdot (-2)\cdot 0\cdot \frac{1}{2}' "chain w^1_21 (relu'(-1) = 0)"
hasnt 'DISAGREES' "--chain"
# The A[2,2,1] example: dJ/dw^2_11 = -0.0210093 (worked example).
expect 0 "--chain sigmoid" -- "$prog" --chain=2,1,1 "$ex"
has '\approx -0.0210093' "chain sigmoid"
for v in 3,1,1 1,4,1 1,1,4 0,1,1 1,1 1,1,1,1 a,b,c -1,1,1; do
  expect 2 "--chain=$v" -- "$prog" --chain=$v "$rat"
  [ -s "$tmp/out" ] && bad "--chain=$v: output" || ok
done

# Through a softmax (a Jacobian, not a sigma' per neuron) the paths
# branch over pairs (k_2, k'_2), each factor marked with the derivative
# it is (the numbers: tests/chain-softmax.sh); in text, (label = value).
# The symbolic view leaves softmax's entries alone.
sm="$top_srcdir/examples/softmax-classifier.net"
expect 0 "--chain through softmax" -- "$prog" --chain=1,1,1 "$sm"
has '\sum_{k_{2}=1}^{3} \sum_{k'"'"'_{2}=1}^{3}' "--chain through softmax: the pairs"
has '}_{\partial X^{2}_{1}/\partial Y^{2}_{1}}}' "--chain through softmax: a label"
hasnt 'DISAGREES' "--chain through softmax"
expect 0 "--chain through softmax, text" -- "$prog" --format=text --chain=2,1,1 "$sm"
# (dX_2/dY_1 = -X_2 X_1 < 0.)
has '(∂X²₂/∂Y²₁ = (-' "--chain through softmax, text: a label"
# The limit on paths (100000) counts the pairs: through a softmax of 316
# neurons 316^2 = 99856 paths are summed, of 317 (100489) refused.
for n in 316 317; do
  awk -v n=$n 'BEGIN { print "input [1]"; printf "target [1"; for (i = 2; i <= n; i++) printf ", 0"; print "]";
    print "layer identity"; print "weights [1]"; printf "layer softmax\nweights [";
    for (i = 1; i <= n; i++) printf "%s%d/100", (i > 1 ? "; " : ""), i % 7; print "]";
    print "loss categorical_cross_entropy" }' > "$tmp/sm$n.net"
done
expect 0 "--chain, 316^2 paths" -- "$prog" --no-diagram --chain=1,1,1 "$tmp/sm316.net"
expect 3 "--chain, 317^2 paths" -- "$prog" --no-diagram --chain=1,1,1 "$tmp/sm317.net"
grep -q -e '--chain=1,1,1: the chain rule of this weight has more than 100000 paths' "$tmp/err" \
  && ok || bad "--chain, 317^2 paths: message"
# Known from the sizes: refused before the derivation (before: after it,
# at --precision=200000 many seconds).
[ "$(wc -l < "$tmp/err")" -eq 1 ] && ok || bad "--chain, 317^2 paths: one line"
expect 0 "--symbolic softmax" -- "$prog" --symbolic --no-diagram "$sm"
has 'Y^{1}_{1} &= w^{1}_{11}' "symbolic softmax, relu layer"
hasnt 'X^{2}_{1} &= \sigma' "symbolic softmax, softmax layer"

# --symbolic: entry by entry for layers of at most 4 neurons, beyond
# with a generic index (i a neuron, j an input), said once.
expect 0 "--symbolic" -- "$prog" --symbolic "$ex"
has 'Y^{1}_{1} &= w^{1}_{11}\,X^{0}_{1} + w^{1}_{12}\,X^{0}_{2} + b^{1}_{1}' "symbolic Y"
has 'X^{1}_{*,1} &= w^{2}_{11}\,Y^{2}_{*,1}' "symbolic step 2"
has 'Y^{2}_{*,1} &= X^{2}_{*,1}\,\sigma'"'"'(Y^{2}_{1})' "symbolic step 1"
has 'X^{2}_{*,1} &= X^{2}_{1} - y_{1}' "symbolic seed"
"$gen" --sizes=5,2,1 > "$tmp/five.net"
expect 0 "--symbolic 5 inputs" -- "$prog" --symbolic "$tmp/five.net"
hasnt 'Y^{1}_{1} &=' "symbolic, 5 inputs"
has 'Y^{2}_{1} &=' "symbolic, layer 2 of 2 inputs"
has 'Layers wider than 4 (more than 4 neurons or more than 4 inputs) are written in symbols with a generic index' "symbolic, 5 inputs: said"
has 'Y^{1}_{i} &= \sum_{j=1}^{5} w^{1}_{ij}\,X^{0}_{j} + b^{1}_{i},\quad i = 1, 2' "symbolic generic Y"
has 'X^{1}_{i} &= \sigma(Y^{1}_{i}),\quad i = 1, 2' "symbolic generic X"
has 'Y^{1}_{*,i} &= X^{1}_{*,i}\,\sigma'"'"'(Y^{1}_{i}),\quad i = 1, 2' "symbolic generic step 1"
has 'X^{0}_{*,j} &= \sum_{i=1}^{2} w^{1}_{ij}\,Y^{1}_{*,i},\quad j = 1, \dots, 5' "symbolic generic step 2"
has '\frac{\partial J}{\partial w^{1}_{ij}} &= Y^{1}_{*,i}\,X^{0}_{j},\quad \frac{\partial J}{\partial b^{1}_{i}} = Y^{1}_{*,i},\quad i = 1, 2,\quad j = 1, \dots, 5' "symbolic generic gradient"
"$gen" --sizes=2,5 > "$tmp/wide-out.net"
expect 0 "--symbolic 5 outputs" -- "$prog" --symbolic --no-diagram "$tmp/wide-out.net"
has 'X^{1}_{*,i} &= X^{1}_{i} - y_{i},\quad i = 1, \dots, 5' "symbolic generic seed"
# Under 'batch mean' the gradient's symbols carry the mean's 1/m.
sed 's/^batch sum/batch mean/' "$top_srcdir/examples/xor-batch.net" > "$tmp/xor-mean.net"
expect 0 "--symbolic, batch mean" -- "$prog" --symbolic --no-diagram "$tmp/xor-mean.net"
has '\frac{\partial J}{\partial W^{2}} &= \frac{1}{m}\,\begin{bmatrix}Y^{2}_{*,1} X^{1}_{1}' "symbolic gradient, batch mean"
expect 0 "no --symbolic" -- "$prog" "$tmp/five.net"
hasnt 'generic index' "no --symbolic"
hasnt 'Y^{1}_{i} &=' "no --symbolic"

# --beamer: frames, overlays, the diagram first, the active layer later.
expect 0 "--beamer" -- "$prog" --beamer "$ex"
has '\documentclass[aspectratio=169,10pt]{beamer}' "beamer"
has '\uncover<2->{' "beamer"
has '\uncover<3->{' "beamer"
has 'F-propagation, layer 1' "beamer"
has 'neuron, active' "beamer active layer"
[ "$(grep -c '\\begin{frame}' "$tmp/out")" -eq "$(grep -c '\\end{frame}' "$tmp/out")" ] && ok || bad "beamer: frames unbalanced"
awk '/begin\{frame\}/ { n++ } /tikzpicture/ && !seen { seen = n } END { exit seen != 2 }' "$tmp/out" \
  && ok || bad "beamer: the diagram is not on the first frame after the title"
# The sections of training steps and textbook rounding go on slides too.
expect 0 "--beamer --steps --carry" -- "$prog" --beamer --steps=1 --rate=0.5 --carry=2 -o "$tmp/bs.tex" "$ex"
if [ -n "$pdflatex" ]; then
  (cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error bs.tex > /dev/null 2>&1) \
    && ok || bad "--beamer --steps --carry: pdflatex failed"
fi
expect 2 "--beamer --fragment" -- "$prog" --beamer --fragment "$ex"
expect 2 "--beamer --format=text" -- "$prog" --beamer --format=text "$ex"

# --worksheet: computed values are numbered fields of one size, the data
# stay; --key fills them (X^1_1 = sigmoid(1) = 0.731059, the worked
# example).  tests/worksheet.sh checks the fields in depth.
expect 0 "--worksheet" -- "$prog" --worksheet "$ex"
has '\fadjfield{1}{}' "worksheet"
hasnt '0.731059' "worksheet"
hasnt 'phantom' "worksheet"
has 'Worksheet' "worksheet"
cp "$tmp/out" "$tmp/ws.tex"
expect 0 "--key" -- "$prog" --worksheet --key "$ex"
has '{0.731059}' "key"
cp "$tmp/out" "$tmp/key.tex"
# Same layout: the two differ only in the fields' contents, the title,
# the opening and the verification at the end (the key's only), and the
# picture's labels (symbols on the worksheet, values on the key).
sed '/begin{tikzpicture}/,/end{tikzpicture}/d; s/Worksheet: /Answer key: /; s/method on the answer key\./method at the end./' "$tmp/ws.tex" \
  | grep -v 'Worksheet\.\|Answer key\.' > "$tmp/ws2"
sed '/begin{tikzpicture}/,/end{tikzpicture}/d; /^.section{Verification}/,/^.end{document}/{/end{document}/!d}; s/\\fadjfield{\([0-9]*\)}{[^{}]*}/\\fadjfield{\1}{}/g' "$tmp/key.tex" \
  | grep -v 'Worksheet\.\|Answer key\.' > "$tmp/key2"
cmp -s "$tmp/ws2" "$tmp/key2" && ok || bad "worksheet and key differ beyond the fields"
expect 2 "--key alone" -- "$prog" --key "$ex"
if [ -n "$pdflatex" ] && command -v pdftotext > /dev/null; then
  (cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error ws.tex > /dev/null 2>&1 \
     && "$pdflatex" -interaction=nonstopmode -halt-on-error key.tex > /dev/null 2>&1) \
    && ok || bad "worksheet/key compile"
  pdftotext "$tmp/ws.pdf" - | grep -q '0\.731059' && bad "worksheet PDF shows an answer" || ok
  pdftotext "$tmp/key.pdf" - | grep -q '0\.731059' && ok || bad "key PDF lacks an answer"
fi

# --max-show: a 12-wide input elided with \cdots/\vdots at the default 8,
# whole with 0; below 3 is an error.
"$gen" --sizes=12,3,1 --rational > "$tmp/wide.net"
expect 0 "max-show default" -- "$prog" "$tmp/wide.net"
has '\vdots' "max-show default"
expect 0 "max-show 0" -- "$prog" --max-show=0 "$tmp/wide.net"
hasnt '\vdots' "max-show 0"
expect 0 "max-show 3" -- "$prog" --max-show=3 --no-diagram "$tmp/wide.net"
# X^0 (12 entries + the appended 1): one entry, \vdots, the 1.
grep -q 'X^{0} &= \\begin{bmatrix}[^\\]*\\\\ \\vdots\\\\ 1\\end{bmatrix}' "$tmp/out" && ok || bad "max-show 3: X^0"
for v in 1 2 -1 x; do expect 2 "--max-show=$v" -- "$prog" --max-show=$v "$ex"; done
# A 512-wide layer: a document of bounded size that compiles.
awk 'BEGIN { n = 512; printf "input ["; for (i = 1; i <= n; i++) printf "%s%d", (i > 1 ? ", " : ""), i % 5 - 2; print "]";
  print "target [1]"; print "layer relu"; printf "weights [";
  for (i = 1; i <= n; i++) { if (i > 1) printf ";\n"; for (j = 1; j <= n; j++) printf "%s%d/100", (j > 1 ? " " : ""), (i * j) % 7 - 3 }
  print "]"; print "layer identity"; printf "weights ["; for (j = 1; j <= n; j++) printf "%s%d/10", (j > 1 ? " " : ""), j % 5 - 2;
  print "]"; print "loss half_squared" }' > "$tmp/w512.net"
expect 0 "512 wide" -- "$prog" -o "$tmp/w512.tex" "$tmp/w512.net"
[ "$(wc -c < "$tmp/w512.tex")" -lt 100000 ] && ok || bad "512 wide: document too large"
if [ -n "$pdflatex" ]; then
  (cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error w512.tex > /dev/null 2>&1) \
    && ok || bad "512 wide: pdflatex failed"
  grep -q 'Overfull \\hbox' "$tmp/w512.log" && bad "512 wide: overfull" || ok
fi

# Text: plain Unicode, the issue's line, its column vectors on two rows;
# Markdown: $$ displays.
expect 0 "--format=text" -- "$prog" --format=text "$ex"
has '    X¹ = σ(Y¹) = ⎡ σ(1)⎤ ≈ ⎡0.731059⎤' "text"
has '                 ⎣σ(-1)⎦   ⎣0.268941⎦' "text"
has '∂J/∂W² = Y²* (X¹)ᵀ' "text"
if grep -q '\\[a-zA-Z]' "$tmp/out"; then bad "text: TeX commands left"; else ok; fi
expect 0 "--format=markdown" -- "$prog" --format=markdown "$ex"
has '$$' "markdown"
has '\begin{aligned}' "markdown"
hasnt 'align*' "markdown"
hasnt '@{}' "markdown"
hasnt 'tikzpicture' "markdown"
has '## F-propagation' "markdown"
expect 2 "--format=html" -- "$prog" --format=html "$ex"
expect 2 "--format=text --diagram" -- "$prog" --format=text --diagram "$ex"

# Every option of --help is documented in the man pages and the README.
for o in $("$prog" --help | grep -o -e '--[a-z-]*' | sort -u) $("$gen" --help | grep -o -e '--[a-z-]*' | sort -u); do
  grep -qF -e "$(printf '%s' "$o" | sed 's/-/\\-/g')" "$top_srcdir/man/fadj-explain.1" "$top_srcdir/man/fadj-gen.1" \
    && ok || bad "$o not in the man pages"
  grep -q -e "\`$o" "$top_srcdir/README.md" && ok || bad "$o not in the README"
done

# The gallery: every example in every mode, compiled and checked.
if FADJ_EXPLAIN="$prog" FADJ_GEN="$gen" PDFLATEX="$pdflatex" \
     sh "$top_srcdir/examples/gallery.sh" "$tmp/gallery" > "$tmp/gallery.log" 2>&1; then ok
else bad "gallery"; tail -20 "$tmp/gallery.log"; fi
tail -1 "$tmp/gallery.log"

# Text and Markdown show what the file says, character for character:
# the TeX escapes of user strings and names (\char95 for _, \textless{},
# -{} against ligatures, ...) are translated back.
sed 's/^title .*/title "a_b \\"c\\" ^d ~e \\\\f {g} <h> '"'"'i'"'"' `j` -- k|l #m"/' "$ex" > "$tmp/title.net"
expect 0 "--format=text, title" -- "$prog" --format=text "$tmp/title.net"
has 'a_b "c" ^d ~e \f {g} <h> '"'"'i'"'"' `j` -- k|l #m' "--format=text, title"
has 'half_squared' "--format=text, loss name"
expect 0 "--format=markdown, title" -- "$prog" --format=markdown "$tmp/title.net"
has '`half_squared`' "--format=markdown, loss name"
hasnt 'char95' "--format=markdown"

echo "classroom.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || exit 1
[ -n "$pdflatex" ] || exit 77
exit 0
