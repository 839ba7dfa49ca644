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

if [ -z "$pdflatex" ]; then
  echo "examples.sh: pdflatex not found: documents not compiled"
fi
echo "examples.sh: $pass passed, $fail failed ($compiled documents compiled)"
[ "$fail" -eq 0 ] || exit 1
[ -n "$pdflatex" ] || exit 77
exit 0
