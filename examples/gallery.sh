#!/bin/sh
# gallery.sh -- build every example in every mode of fadj-explain, and
# check each output: LaTeX compiles with pdflatex -halt-on-error without
# an overfull line or page (\hbox or \vbox; a deck's frame too),
# Markdown has balanced math delimiters and only commands that
# KaTeX/MathJax render, text has no TeX left in it.
#
#   examples/gallery.sh [OUTDIR]      (default: gallery/)
#
# FADJ_EXPLAIN, FADJ_GEN and PDFLATEX name the programs (default: the
# build tree's, and pdflatex from PATH).  Exit status 0 when everything
# built and passed its check, 1 otherwise.

set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out=${1:-gallery}
explain=${FADJ_EXPLAIN:-$top/src/fadj-explain}
gen=${FADJ_GEN:-$top/src/fadj-gen}
pdflatex=${PDFLATEX:-$(command -v pdflatex || true)}
mkdir -p "$out" || exit 1
built=0 compiled=0 failed=0
bad () { failed=$((failed + 1)); echo "gallery: FAIL: $*"; }

# The commands a Markdown renderer (KaTeX, MathJax: Jupyter, GitHub) knows
# that fadj uses; any other backslash command in the math is an error.
# (\mathstrut, the struts of the fractions in a matrix: KaTeX since 0.12.)
md_commands='frac dfrac mathstrut textstyle partial sigma delta underbrace odot top sharp ell approx begin end left right bigl bigr Bigl Bigr operatorname text quad qquad mathbf mathrm sum cdot cdots vdots ddots dots times boxed phantom neq le ge max tanh ln exp infty ast'
md_envs='aligned bmatrix Bmatrix array'

check_markdown () {
  mdf=$1
  # $$ on lines of their own, in pairs.
  n=$(grep -c '^\$\$$' "$mdf")
  [ $((n % 2)) -eq 0 ] || { bad "$mdf: unbalanced \$\$ ($n)"; return; }
  # Outside the displays, every line has an even number of $ (inline
  # math opens and closes on one line).
  awk '/^\$\$$/ { d = !d; next } !d { t = $0; gsub(/\\\$/, "", t); n = gsub(/\$/, "", t); if (n % 2) { print FILENAME ":" NR ": odd $"; e = 1 } } END { exit e }' "$mdf" \
    || { bad "$mdf: unbalanced \$"; return; }
  # Only supported commands and environments inside the math.
  awk '/^\$\$$/ { d = !d; next } d { print; next } { while (match($0, /\$[^$]*\$/)) { print substr($0, RSTART, RLENGTH); $0 = substr($0, RSTART + RLENGTH) } }' "$mdf" > "$mdf.math"
  for c in $(grep -o '\\[a-zA-Z]*' "$mdf.math" | sort -u | sed 's/^\\//'); do
    case " $md_commands " in *" $c "*) ;; *) bad "$mdf: unsupported \\$c"; rm -f "$mdf.math"; return ;; esac
  done
  for e in $(grep -o '\\\(begin\|end\){[^}]*}' "$mdf.math" | sed 's/.*{\(.*\)}/\1/' | sort -u); do
    case " $md_envs " in *" $e "*) ;; *) bad "$mdf: unsupported environment $e"; rm -f "$mdf.math"; return ;; esac
  done
  rm -f "$mdf.math"
}

compile () {
  (cd "$out" && "$pdflatex" -interaction=nonstopmode -halt-on-error "$1.tex" > /dev/null 2>&1) \
    || { bad "$1: pdflatex failed"; tail -20 "$out/$1.log"; return; }
  compiled=$((compiled + 1))
  if grep -q 'Overfull \\[hv]box' "$out/$1.log"; then
    bad "$1: overfull lines or pages"; grep -A2 'Overfull \\[hv]box' "$out/$1.log" | head -6
  fi
}

# The bundled examples, one drawn by fadj-gen, and a layer wider than
# --max-show.
nets="$top/examples/*.net"
"$gen" --seed=3 --sizes=3,4,2 --activation=tanh,sigmoid > "$out/generated.net" \
  && "$gen" --seed=5 --sizes=20,12,3 --rational > "$out/wide.net" \
  || bad "fadj-gen failed"
for f in $nets "$out/generated.net" "$out/wide.net"; do
  name=$(basename "$f" .net)
  last=$("$explain" --format=text --no-diagram "$f" | sed -n 's/.*has L = \([0-9]*\) layer.*/\1/p' | head -1)
  chain="--chain=1,1,1"
  for mode in standalone fragment symbolic chain beamer beamer-carry beamer-worksheet beamer-key worksheet key markdown text; do
    case $mode in
      standalone) args= ; ext=tex ;;
      fragment) args=--fragment ; ext=tex ;;
      symbolic) args=--symbolic ; ext=tex ;;
      chain) args="$chain --chain=${last:-1},1,1" ; ext=tex ;;
      beamer) args="--beamer --symbolic $chain --chain=${last:-1},1,1" ; ext=tex ;;
      beamer-carry) args="--beamer --carry=2" ; ext=tex ;;
      beamer-worksheet) args="--beamer --worksheet" ; ext=tex ;;
      beamer-key) args="--beamer --worksheet --key" ; ext=tex ;;
      worksheet) args=--worksheet ; ext=tex ;;
      key) args="--worksheet --key" ; ext=tex ;;
      markdown) args="--format=markdown --symbolic $chain" ; ext=md ;;
      text) args="--format=text --symbolic $chain" ; ext=txt ;;
    esac
    doc="$name-$mode"
    # shellcheck disable=SC2086
    if "$explain" $args -o "$out/$doc.$ext" "$f"; then built=$((built + 1))
    else bad "$doc: fadj-explain exit $?"; continue; fi
    case $ext in
      tex)
        [ -n "$pdflatex" ] || continue
        if [ $mode = fragment ]; then
          printf '%s\n' '\documentclass{article}' '\usepackage{amsmath,amssymb}' \
            '\begin{document}' "\\input{$doc}" '\end{document}' > "$out/$doc-host.tex"
          compile "$doc-host"
        else
          compile "$doc"
        fi ;;
      md) check_markdown "$out/$doc.md" ;;
      txt)
        if grep -n '\\[a-zA-Z]' "$out/$doc.txt" | head -3 | grep .; then
          bad "$doc.txt: TeX left in the text"; fi ;;
    esac
  done
done
[ -n "$pdflatex" ] || echo "gallery: pdflatex not found: LaTeX not compiled"
echo "gallery: $built built, $compiled compiled, $failed failed (in $out/)"
[ "$failed" -eq 0 ]
