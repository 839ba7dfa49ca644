#!/bin/sh
# subst.sh -- every substitution written out, and the notation: the
# numbers of the substitutions (sigma' of sigmoid, tanh, softplus, elu,
# silu, gelu and softsign, softmax's exponentials over their sum, its
# Jacobian's entries, the cross-entropies' ln terms and seeds) against
# tests/subst_check.py, which computes them from the networks' numbers;
# then the notation: the introduction's step 2 with W_sharp (when a
# bias is W's last column), the Jacobian written D sigma (J is
# the loss), the sample index as a bracketed superscript stated once,
# Markdown without a bare star in its maths, the author's initial, and
# the manual's Hadamard product.  The numbers are skipped (not the
# rest) without a Python 3 with mpmath.

. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-explain"
ex="$top_srcdir/examples"

# The numbers.
py=
for p in "${PYTHON3:-}" python3 /usr/bin/python3; do
  [ -n "$p" ] || continue
  if "$p" -c "import mpmath" >/dev/null 2>&1; then py=$p; break; fi
done
if [ -n "$py" ]; then
  if "$py" "$top_srcdir/tests/subst_check.py" "$prog" "$top_srcdir"; then
    ok; else bad "subst_check.py"; fi
else
  echo "subst.sh: no python3 with mpmath; the numbers are skipped"
  skip=$((skip + 1))
fi

# The introduction states step 2 with W_sharp, before any section.
expect 0 "a221" -- "$prog" --no-diagram "$ex/boughammoura-a221.net"
sed -n '1,/\\section/p' "$tmp/out" > "$tmp/intro"
grep_in intro 'X^{\\ell-1}_{\*} = (W^{\\ell}_{\\sharp})^{\\top} Y^{\\ell}_{\*}' \
  "intro step 2"
no_grep_in intro '(W^{\\ell})^{\\top}' "intro step 2 without sharp"
expect 0 "a221 --index=h" -- "$prog" --no-diagram --index=h \
  "$ex/boughammoura-a221.net"
grep_in out '(W^{h}_{\\sharp})^{\\top} Y^{h}_{\*}' "intro step 2, index h"

# Softmax: the Jacobian is D sigma, never J (the loss); the sample index
# is a bracketed superscript, stated once where the samples come in.
expect 0 "softmax" -- "$prog" --no-diagram "$ex/softmax-classifier.net"
cp "$tmp/out" "$tmp/soft"
no_grep_in soft 'J_{\\sigma' "softmax: no J for the Jacobian"
grep_in soft '\\mathrm{D}\\sigma_{2}(Y^{2,(1)}) &= \\operatorname{diag}(X^{2,(1)})' \
  "softmax: the Jacobian D sigma of sample 1"
grep_in soft '\\mathrm{D}\\sigma_{2}(Y^{2,(2)})' "softmax: sample 2's Jacobian"
grep_in soft 'Y^{2,(1)}_{\*} &= \\mathrm{D}\\sigma_{2}(Y^{2,(1)})^{\\top} X^{2,(1)}_{\*}' \
  "softmax: step 1 of sample 1"
no_grep_in soft '_{\*(' "softmax: no sample index inside the star's subscript"
no_grep_in soft '_{(1)}' "softmax: no sample index as a subscript"
if [ "$(grep -c 'bracketed superscript' "$tmp/soft")" -eq 1 ]; then ok; else
  bad "the sample index is not stated exactly once"; fi
grep_in soft '\$X^{0,(s)}\$' "the sample index's form, X^{0,(s)}"
grep_in soft 'written out for the first sample' "first sample, said"
expect 0 "softmax --chain" -- "$prog" --no-diagram --chain=1,1,1 \
  "$top_srcdir/tests/chain-softmax-222.net"
grep_in out 'of the Jacobian \$\\mathrm{D}\\sigma_{2}(Y^{2})\$' \
  "chain rule: the Jacobian D sigma"
no_grep_in out 'J_{\\sigma' "chain rule: no J for the Jacobian"
expect 0 "softmax --carry" -- "$prog" --no-diagram --carry=2 \
  "$ex/softmax-classifier.net"
no_grep_in out 'J_{\\sigma' "carry: no J for the Jacobian"
expect 0 "softmax text" -- "$prog" --format=text --width=80 \
  "$ex/softmax-classifier.net"
grep_in out 'Dσ₂(Y²,⁽¹⁾)' "text: the Jacobian and the sample index"

# Markdown: no star in its maths, which a renderer without a maths
# extension would take for emphasis: \ast instead, in every example.
for f in "$ex"/*.net; do
  expect 0 "markdown $f" -- "$prog" --format=markdown --chain=1,1,1 "$f"
  # Every $...$ and $$...$$ of the document, one to a line.
  tr '\n' ' ' < "$tmp/out" | grep -o '\$[^$]*\$' > "$tmp/math"
  no_grep_in math '\*' "markdown $f: a star in maths"
  grep_in math '_{\\ast}' "markdown $f: \\ast"
done

# The author is A. Boughammoura.
for f in "$ex/boughammoura-a221.net" "$top_srcdir/man/fadj-net.5"; do
  if grep -q 'A\. Boughammoura' "$f" && ! grep -q 'R\. Boughammoura' "$f"
  then ok; else bad "$f: the author's initial"; fi
done

# The manual's Hadamard product is U+2299 (with a fallback), not \(ci.
if grep -q '\\(ci' "$top_srcdir/man/fadj-explain.1"; then
  bad "fadj-explain.1: \\(ci for the Hadamard product"; else ok; fi
if grep -q 'X^l_\* " \\\[u2299\] "' "$top_srcdir/man/fadj-explain.1"; then ok
else bad "fadj-explain.1: no \\[u2299] in step 1"; fi

echo "subst.sh: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
