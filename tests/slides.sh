#!/bin/sh
# tests/slides.sh -- the beamer deck a lecturer projects
# (fadj-explain --beamer): for every example and generated networks up
# to 8-8-8-3, the deck compiles with no overfull box (a frame taller
# than the slide is an overfull \vbox), has no small font and no
# allowframebreaks, and shows no value before the frame that computes
# it (tests/slides-reveal.py, from values it computes itself); the
# frames come in the lecture's order, the A[2,2,1] deck's pictures are
# shown at their natural size (labels of 10pt, at least 9), and
# --beamer=handout puts two frames on each A4 page.  Exit 77 without
# pdflatex, pdftotext or python3.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
srcdir=$top_srcdir
explain="$top_builddir/src/fadj-explain"
gen="$top_builddir/src/fadj-gen"
pdflatex=${PDFLATEX:-}
[ -n "$pdflatex" ] || pdflatex=$(command -v pdflatex || true)
[ -n "$pdflatex" ] || { echo "slides.sh: no pdflatex; skipped"; exit 77; }
for tool in pdftotext pdfinfo; do
  command -v $tool >/dev/null 2>&1 \
    || { echo "slides.sh: no $tool; skipped"; exit 77; }
done
python_with fractions slides.sh

# The deck of network file $1 (options $2...) compiled as $tmp/d.pdf;
# the checks every deck passes.
check_deck ()
{
  net=$1
  shift
  rm -f "$tmp"/d.* "$tmp"/p[0-9]*.txt
  if ! $explain --beamer "$@" -o "$tmp/d.tex" "$net"; then
    echo "FAIL: $net: fadj-explain --beamer $*"; fail=1; return 1
  fi
  if grep -n 'tiny\|scriptsize\|footnotesize\|allowframebreaks' \
       "$tmp/d.tex"; then
    echo "FAIL: $net: a small font or allowframebreaks in the deck"; fail=1
  fi
  if ! (cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error \
          d.tex >/dev/null 2>&1); then
    echo "FAIL: $net: the deck does not compile"; fail=1; return 1
  fi
  if grep 'Overfull' "$tmp/d.log"; then
    echo "FAIL: $net: overfull boxes"; fail=1
  fi
  pages=$(pdfinfo "$tmp/d.pdf" | sed -n 's/^Pages: *//p')
  k=1
  while [ "$k" -le "$pages" ]; do
    pdftotext -f $k -l $k "$tmp/d.pdf" "$tmp/p$k.txt"
    k=$((k + 1))
  done
  return 0
}

# The first page whose text holds $1.
first_page ()
{
  k=1
  while [ -f "$tmp/p$k.txt" ]; do
    if grep -qF "$1" "$tmp/p$k.txt"; then echo $k; return; fi
    k=$((k + 1))
  done
  echo 0
}

# The examples, and generated networks up to 8-8-8-3.
for net in "$srcdir"/examples/*.net; do
  check_deck "$net" || continue
  "$py" "$srcdir/tests/slides-reveal.py" "$net" "$tmp" "$tmp/d.log" \
    || { echo "FAIL: $net: a value before its frame"; fail=1; }
done
for spec in 2,2,1:1 3,4,2:2 4,6,3:4 8,8,8,3:5; do
  sizes=${spec%:*}
  seed=${spec#*:}
  $gen --sizes=$sizes --seed=$seed >"$tmp/g.net" || { fail=1; continue; }
  check_deck "$tmp/g.net" || continue
  "$py" "$srcdir/tests/slides-reveal.py" "$tmp/g.net" "$tmp" "$tmp/d.log" \
    || { echo "FAIL: fadj-gen --sizes=$sizes --seed=$seed: a value before" \
              "its frame"; fail=1; }
done

# A[2,2,1]: the pictures at 0.9 of their size at least, and the frames in
# the lecture's order.
a221="$srcdir/examples/boughammoura-a221.net"
if check_deck "$a221"; then
  "$py" "$srcdir/tests/slides-reveal.py" "$a221" "$tmp" "$tmp/d.log" 0.9 \
    || { echo "FAIL: A[2,2,1]: a value too early or a picture too small"
         fail=1; }
  last=0
  for title in 'The network' 'The network: its data' \
               'F-propagation, layer 1' 'F-propagation, layer 2: the network' \
               'The loss' 'The F-adjoint, layer 2' \
               'The F-adjoint, layer 1: the network' 'The family F (X 0 )' \
               'The gradients, layer 1' 'Verification' 'Summary'; do
    p=$(first_page "$title")
    if [ "$p" -le "$last" ]; then
      echo "FAIL: A[2,2,1]: '$title' (page $p) not after page $last"; fail=1
    fi
    last=$p
  done
  # The summary: the gradients and the verdict.
  p=$(first_page 'Summary')
  if ! grep -q 'agrees' "$tmp/p$p.txt" \
     || ! grep -q '0.00772888' "$tmp/p$p.txt"; then
    echo "FAIL: A[2,2,1]: the summary lacks the verdict or a gradient"
    fail=1
  fi
  # The network's data on one frame.
  [ "$(grep -c 'begin{frame}\[t\]{The network: its data' "$tmp/d.tex")" -eq 1 ] \
    || { echo "FAIL: A[2,2,1]: the network's data on several frames"; fail=1; }
  # No frame of the deck left without a title.
  if grep -q 'begin{frame}\[t\]{}' "$tmp/d.tex"; then
    echo "FAIL: A[2,2,1]: an untitled frame"; fail=1
  fi
  frames=$(grep -c '^\\begin{frame}' "$tmp/d.tex")
  # The handout: one page per frame on slides of overlays no more, two to
  # an A4 page.
  if check_deck "$a221" --beamer=handout; then
    size=$(pdfinfo "$tmp/d.pdf" | sed -n 's/^Page size: *//p')
    case $size in
      *A4*) ;;
      *) echo "FAIL: handout pages of $size, not A4"; fail=1 ;;
    esac
    if [ "$pages" -ne $(((frames + 1) / 2)) ]; then
      echo "FAIL: handout of $pages pages for $frames frames"; fail=1
    fi
  fi
  if check_deck "$a221" --beamer-theme=Madrid; then
    grep -q 'usetheme{Madrid}' "$tmp/d.tex" \
      || { echo "FAIL: --beamer-theme=Madrid not used"; fail=1; }
  fi
fi

[ "$fail" -eq 0 ] || exit 1
exit 0
