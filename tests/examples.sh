#!/bin/sh
# examples.sh -- every bundled example is derived, verified (exit 0), and
# its document compiles with pdflatex -halt-on-error without overfull
# lines.  Without pdflatex the compilation is skipped (exit 77 when there
# is nothing else to check).

set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
prog="$top_builddir/src/fadj-explain"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 compiled=0
ok () { pass=$((pass + 1)); }
bad () { fail=$((fail + 1)); echo "FAIL: $*"; }

pdflatex=${PDFLATEX:-}
[ -n "$pdflatex" ] || pdflatex=$(command -v pdflatex || true)

for f in "$top_srcdir"/examples/*.net; do
  name=$(basename "$f" .net)
  for mode in standalone fragment; do
    out="$tmp/$name-$mode.tex"
    if [ $mode = fragment ]; then
      "$prog" --fragment "$f" > "$out"; st=$?
    else
      "$prog" "$f" > "$out"; st=$?
    fi
    if [ $st -eq 0 ]; then ok; else bad "$name ($mode): exit $st"; continue; fi
  done
  if [ -n "$pdflatex" ]; then
    # The fragment must work under \input in a document of the user's.
    cat > "$tmp/$name-host.tex" <<EOT
\\documentclass{article}
\\usepackage{amsmath,amssymb}
\\begin{document}
\\input{$name-fragment}
\\end{document}
EOT
    for doc in "$name-standalone" "$name-host"; do
      if (cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error \
            "$doc.tex" > /dev/null 2>&1); then ok; compiled=$((compiled + 1))
      else bad "$doc: pdflatex failed"; tail -20 "$tmp/$doc.log"; continue; fi
      if grep -q 'Overfull \\hbox' "$tmp/$doc.log"; then
        bad "$doc: overfull lines"; grep -A2 'Overfull \\hbox' "$tmp/$doc.log" | head -12
      else ok; fi
    done
  fi
done

# The Boughammoura example shows every value of the worked example (shared
# math notes, to 6 digits).
doc="$tmp/boughammoura-a221-standalone.tex"
for v in 0.731059 0.268941 1.46212 0.811856 0.017699 -0.188144 -0.0287381 \
         -0.00565026 0.00565026 -0.0113005 0.0113005 -0.0210093 -0.00772888; do
  if grep -q -e "$v" "$doc"; then ok; else bad "boughammoura: $v missing"; fi
done

# Every example's verification reports agreement.
for f in "$top_srcdir"/examples/*.net; do
  doc="$tmp/$(basename "$f" .net)-standalone.tex"
  if grep -q 'the two-step rule and the reverse mode agree' "$doc"; then ok
  else bad "$(basename "$f"): no agreement in the verification"; fi
done

# has DOC VALUE...: each value appears in the document (expected values
# from tests/reference.py, an independent float64 computation, or by
# hand as the examples' comments show).
has () {
  d=$1; shift
  for v in "$@"; do
    if grep -q -e "$v" "$d"; then ok; else bad "$(basename "$d"): $v missing"; fi
  done
}
ex="$top_srcdir/examples"
# Mazur: J before training, and after one step of each order (15 digits).
"$prog" --steps=1 --digits=15 "$ex/mazur.net" > "$tmp/mazur-1.tex" || bad "mazur --steps=1"
has "$tmp/mazur-1.tex" 0.298371108760003 0.291027773693599 'standard}'
"$prog" --steps=1 --update=local --digits=15 "$ex/mazur.net" > "$tmp/mazur-l.tex" \
  || bad "mazur --update=local"
has "$tmp/mazur-l.tex" 0.291027923905442 'local}'
# HMKCode: exact throughout, the blog's weights after one step.
"$prog" --steps=1 "$ex/hmkcode.net" > "$tmp/hmk.tex" || bad "hmkcode --steps=1"
has "$tmp/hmk.tex" 0.3272405 0.121326 0.226989 0.132135 0.0982025 0.1743825 \
  0.169416 'agree exactly'
if grep -q '\\approx' "$tmp/hmk.tex"; then bad "hmkcode: not exact"; else ok; fi
# XOR batch: the sum of the four losses and the summed gradients.
has "$tmp/xor-batch-standalone.tex" 'approx 0.706020\(\\tag{[0-9]*}\)*$' 0.138722 0.0380769 0.176799 \
  0.0224559 0.0111621 0.033618
# Softmax classifier: J, X^2 and the shortcut Y^2_* = X^2 - y.
has "$tmp/softmax-classifier-standalone.tex" 3.65354 0.313535 0.663753 \
  0.0227124 -0.96098 'step~1 simplifies'
# The author's hand-rounded values with --carry=2 (shared math notes).
"$prog" --carry=2 "$ex/boughammoura-a221.net" > "$tmp/carry.tex" || bad "--carry=2"
has "$tmp/carry.tex" 'Y^{2}_{\*} &= \\begin{bmatrix}-0.03\\end{bmatrix}' \
  'Y^{1}_{\*} &= \\begin{bmatrix}-0.01\\\\ 0.01\\end{bmatrix}' \
  'X^{0}_{\*} &= \\begin{bmatrix}-0.02\\\\ 0.02\\end{bmatrix}'
# The training and carry sections compile too.
if [ -n "$pdflatex" ]; then
  for doc in mazur-l hmk carry; do
    if (cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error \
          "$doc.tex" > /dev/null 2>&1); then ok; compiled=$((compiled + 1))
    else bad "$doc: pdflatex failed"; tail -20 "$tmp/$doc.log"; fi
    if grep -q 'Overfull \\hbox' "$tmp/$doc.log"; then bad "$doc: overfull"; else ok; fi
  done
fi

if [ -z "$pdflatex" ]; then
  echo "examples.sh: pdflatex not found: documents not compiled"
fi
echo "examples.sh: $pass passed, $fail failed ($compiled documents compiled)"
[ "$fail" -eq 0 ] || exit 1
[ -n "$pdflatex" ] || exit 77
exit 0
