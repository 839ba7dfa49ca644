#!/bin/sh
# tests/slide-labels.sh -- the labels of a deck's network pictures are
# at least 9pt on a 16:9 frame (issue 13): the decks of A[2,2,1], of a
# 3-4-2 tanh and softmax network and of an 8-8-8-3 one, compiled; the
# height of every word of their picture frames (pdftotext -bbox) against
# that of the same kind of word on a reference frame of 10pt text
# (tests/slide-labels.py).  Exit 77 without pdflatex, pdftotext or
# python3.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
explain="$top_builddir/src/fadj-explain"
gen="$top_builddir/src/fadj-gen"
pdflatex=${PDFLATEX:-}
[ -n "$pdflatex" ] || pdflatex=$(command -v pdflatex || true)
[ -n "$pdflatex" ] || { echo "slide-labels.sh: no pdflatex; skipped"; exit 77; }
command -v pdftotext >/dev/null 2>&1 \
  || { echo "slide-labels.sh: no pdftotext; skipped"; exit 77; }
python_with re slide-labels.sh

# The reference: a frame of the decks' class whose text is 10pt.
cat > "$tmp/ref.tex" <<'TEX'
\documentclass[aspectratio=169,10pt]{beamer}
\begin{document}
\begin{frame}{Reference}
$0.731059$ \quad $-0.5$
\end{frame}
\end{document}
TEX
if (cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error ref.tex \
      >/dev/null 2>&1) && pdftotext -bbox "$tmp/ref.pdf" "$tmp/ref.bbox"; then
  ok
else
  bad "the reference frame does not compile"
fi

# labels NAME FILE: the deck of FILE compiles, without an overfull box,
# and its pictures' labels are 9pt at least.
labels ()
{
  if ! "$explain" --beamer -o "$tmp/$1.tex" "$2"; then
    bad "$1: fadj-explain --beamer"; return
  fi
  if ! (cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error \
          "$1.tex" >/dev/null 2>&1); then
    bad "$1: the deck does not compile"; return
  fi
  grep -q 'Overfull' "$tmp/$1.log" && bad "$1: overfull boxes" || ok
  pdftotext -bbox "$tmp/$1.pdf" "$tmp/$1.bbox"
  if "$py" "$top_srcdir/tests/slide-labels.py" "$tmp/ref.bbox" \
       "$tmp/$1.bbox"; then
    ok
  else
    bad "$1: a label of a picture under 9pt"
  fi
}

labels a221 "$top_srcdir/examples/boughammoura-a221.net"
"$gen" --sizes=3,4,2 --seed=3 --activation=tanh,softmax \
  --loss=cross_entropy > "$tmp/g342.net" || bad "fadj-gen 3-4-2"
labels g342 "$tmp/g342.net"
"$gen" --sizes=8,8,8,3 --seed=1 > "$tmp/g8883.net" || bad "fadj-gen 8-8-8-3"
labels g8883 "$tmp/g8883.net"

echo "slide-labels.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || exit 1
exit 0
