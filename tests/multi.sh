#!/bin/sh
# multi.sh -- fadj-explain FILE...: one document of exercises, a section
# per file in the order given, titled by the file's title and naming its
# file and the fadj-gen seed recorded in it; the worksheet one exercise
# a page, the key in the same order; a bad file fails the whole run
# with its located error and writes nothing; one file is the document it
# always was.  The expected titles and seeds are read from the .net
# files themselves (fadj-gen's first line and title statement).

set -u
. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-explain"
gen="$top_builddir/src/fadj-gen"
pdflatex=${PDFLATEX:-}
[ -n "$pdflatex" ] || pdflatex=$(command -v pdflatex || true)

# Thirty exercises, from seed 101 so that an exercise's number (1..30)
# and its seed (101..130) differ.
"$gen" --count=30 --seed=101 -o "$tmp/ex" && ok || bad "fadj-gen --count=30"
n=$(ls "$tmp/ex"/*.net | wc -l)
[ "$n" -eq 30 ] && ok || bad "fadj-gen --count=30 wrote $n files"

# title_of FILE, seed_of FILE: what the file says.
title_of () { sed -n 's/^title "\(.*\)"$/\1/p' "$1"; }
seed_of () { sed -n '1s/^# Written by fadj-gen .* --seed=\([0-9]*\).*$/\1/p' "$1"; }

# sections TEX: "K|TITLE" for every exercise heading of TEX, in order;
# files TEX: "NAME|SEED" for every exercise's file line.
sections () { sed -n 's/^\\section\*{Exercise \([0-9]*\): \(.*\)}$/\1|\2/p' "$1"; }
files () { sed -n 's/^File \\texttt{\([^}]*\)}, written by \\texttt{fadj-gen --seed=\([0-9]*\)}\.\\par$/\1|\2/p' "$1"; }

# check_order TEX FILE...: exercise K of TEX is the K-th FILE: its title
# and number in the heading, its name and seed in the file line.
check_order () {
  co_tex=$1; shift
  sections "$co_tex" > "$tmp/got-sections"
  files "$co_tex" > "$tmp/got-files"
  : > "$tmp/want-sections"; : > "$tmp/want-files"
  co_k=0
  for co_f in "$@"; do
    co_k=$((co_k + 1))
    echo "$co_k|$(title_of "$co_f")" >> "$tmp/want-sections"
    echo "$(basename "$co_f")|$(seed_of "$co_f")" >> "$tmp/want-files"
  done
  if cmp -s "$tmp/want-sections" "$tmp/got-sections"; then ok; else
    bad "$co_tex: exercise headings not the files' titles in order"
    diff "$tmp/want-sections" "$tmp/got-sections" | head -5; fi
  if cmp -s "$tmp/want-files" "$tmp/got-files"; then ok; else
    bad "$co_tex: file lines not the files' names and seeds in order"
    diff "$tmp/want-files" "$tmp/got-files" | head -5; fi
}

# once TEX PATTERN: PATTERN is on exactly one line of TEX.
once () {
  c=$(grep -c -F -e "$2" "$1")
  [ "$c" -eq 1 ] && ok || bad "$1: '$2' on $c lines, expected 1"
}

# The worksheet and the key of the thirty, in the order of the shell's
# glob; then the same files in reverse order.
expect 0 "--worksheet, 30 files" -- "$prog" --worksheet "$tmp"/ex/*.net -o "$tmp/ws.tex"
expect 0 "--worksheet --key, 30 files" -- "$prog" --worksheet --key "$tmp"/ex/*.net -o "$tmp/key.tex"
for t in ws key; do
  check_order "$tmp/$t.tex" "$tmp"/ex/*.net
  # One preamble, one title, one document.
  for p in '\documentclass' '\begin{document}' '\maketitle' '\end{document}' \
           '\usepackage{tikz}' '\title{'; do
    once "$tmp/$t.tex" "$p"
  done
  # Each exercise after the first starts a new page.
  c=$(grep -c -x '\\clearpage' "$tmp/$t.tex")
  [ "$c" -eq 29 ] && ok || bad "$t.tex: $c \\clearpage, expected 29"
done
grep_in ws.tex '^\\title{Worksheet: 30 exercises' "worksheet title"
grep_in key.tex '^\\title{Answer key: 30 exercises' "key title"
rev=$(ls "$tmp"/ex/*.net | sort -r)
# shellcheck disable=SC2086
expect 0 "30 files in reverse order" -- "$prog" $rev -o "$tmp/rev.tex"
# shellcheck disable=SC2086
check_order "$tmp/rev.tex" $rev
c=$(grep -c -x '\\clearpage' "$tmp/rev.tex")
[ "$c" -eq 0 ] && ok || bad "a document that is not a worksheet: $c \\clearpage"

# Markdown and text: one document too, a heading per exercise in order.
for fmt in markdown text; do
  expect 0 "--format=$fmt, 3 files" -- "$prog" --format=$fmt \
    "$tmp/ex/ex03.net" "$tmp/ex/ex01.net" "$tmp/ex/ex02.net"
  grep '^\(# \)\{0,1\}Exercise [0-9]*: ' "$tmp/out" | sed 's/^# //; s/\\//g' > "$tmp/heads"
  printf 'Exercise 1: %s\nExercise 2: %s\nExercise 3: %s\n' \
    "$(title_of "$tmp/ex/ex03.net")" "$(title_of "$tmp/ex/ex01.net")" \
    "$(title_of "$tmp/ex/ex02.net")" > "$tmp/want-heads"
  if cmp -s "$tmp/heads" "$tmp/want-heads"; then ok; else
    bad "--format=$fmt: exercise headings"; cat "$tmp/heads"; fi
  grep_in out "ex03.net.*fadj-gen --seed=$(seed_of "$tmp/ex/ex03.net")" "--format=$fmt: file and seed"
  no_grep_in out 'documentclass\|setcounter\|clearpage' "--format=$fmt: LaTeX left over"
done

# An exercise is its file's derivation, as the document of that file
# alone writes it (its sections one level down): here with a training
# step, each file with its own learning rate (the second's 1/2 must not
# leak into the third's, which has its own 1).
sed 's/^rate .*/rate 0.5/' "$tmp/ex/ex02.net" > "$tmp/half.net"
grep -q '^rate 0.5$' "$tmp/half.net" && ok || bad "no rate line to change"
expect 0 "--steps=1, 3 files" -- "$prog" --steps=1 "$tmp/ex/ex01.net" "$tmp/half.net" "$tmp/ex/ex03.net" -o "$tmp/steps.tex"
k=0
for f in "$tmp/ex/ex01.net" "$tmp/half.net" "$tmp/ex/ex03.net"; do
  k=$((k + 1))
  "$prog" --steps=1 "$f" > "$tmp/one.tex" || bad "--steps=1 $f"
  # The single document from its introduction to its end.
  sed -n '/^{\\emergencystretch/,/^\\end{document}$/p' "$tmp/one.tex" \
    | sed '$d; s/^\\section{/\\subsection{/; /^$/d' > "$tmp/one.body"
  # Exercise K from its introduction to the next exercise or the end.
  awk -v k="$k" '
    /^\\section\*\{Exercise / { n++; on = 0; next }
    n == k && /^\{\\emergencystretch/ { on = 1 }
    /^\\end\{document\}$/ { on = 0 }
    on && !/^\\clearpage$/ && $0 != "" { print }' "$tmp/steps.tex" > "$tmp/set.body"
  if [ -s "$tmp/one.body" ] && cmp -s "$tmp/one.body" "$tmp/set.body"; then ok; else
    bad "exercise $k is not the derivation of $f alone"
    diff "$tmp/one.body" "$tmp/set.body" | head -6; fi
done

# Errors.  A bad fifth file: its located error, alone; exit status 2;
# nothing written, an existing -o kept as it was, no temporary left.
mkdir "$tmp/bad" && cp "$tmp"/ex/*.net "$tmp/bad/" || bad "copy"
printf 'title "broken"\ninput [1, 2]\nlayer sigmoid\n  weights [1 2;\n' > "$tmp/bad/ex05.net"
echo "the sheets of last year" > "$tmp/keep.tex"
cp "$tmp/keep.tex" "$tmp/keep.orig"
expect 2 "a bad fifth file" -- "$prog" --worksheet "$tmp"/bad/*.net -o "$tmp/keep.tex"
[ "$(wc -l < "$tmp/err")" -eq 1 ] && ok || bad "a bad fifth file: $(wc -l < "$tmp/err") lines on stderr"
grep_in err "^$tmp/bad/ex05\\.net:[0-9]*:[0-9]*: error: " "a bad fifth file: located error"
cmp -s "$tmp/keep.tex" "$tmp/keep.orig" && ok || bad "a bad fifth file: -o clobbered"
expect 2 "a bad fifth file, new -o" -- "$prog" "$tmp"/bad/*.net -o "$tmp/new.tex"
[ -e "$tmp/new.tex" ] && bad "a bad fifth file: -o written" || ok
expect 2 "a bad fifth file, stdout" -- "$prog" "$tmp"/bad/*.net
empty_stdout "a bad fifth file, stdout"
# A file that parses but cannot be derived (the loss undefined at the
# output 0 of a relu): found only while deriving, the third of three;
# nothing written either.
printf 'input [1]\ntarget [1]\nlayer relu\n  weights [0]\nloss cross_entropy\n' > "$tmp/log0.net"
expect 2 "an undefined loss, third file" -- "$prog" "$tmp/ex/ex01.net" "$tmp/ex/ex02.net" "$tmp/log0.net" -o "$tmp/keep.tex"
grep_in err "^$tmp/log0\\.net:5:1: error: the loss cross_entropy is undefined" "an undefined loss: located error"
cmp -s "$tmp/keep.tex" "$tmp/keep.orig" && ok || bad "an undefined loss: -o clobbered"
ls -a "$tmp" | grep -q '^\.fadj-' && bad "a temporary file left in $tmp" || ok
# Two bad files: both reported, before anything is derived.
cp "$tmp/bad/ex05.net" "$tmp/bad/ex07.net"
expect 2 "two bad files" -- "$prog" "$tmp"/bad/*.net
[ "$(grep -c ': error: ' "$tmp/err")" -eq 2 ] && ok || bad "two bad files: not two errors"
# Options checked against every file, each message naming its file.
expect 2 "--chain beyond the layers" -- "$prog" --chain=3,1,1 "$tmp/ex/ex01.net" "$tmp/ex/ex02.net"
grep_in err "ex02\\.net: --chain=3,1,1: the network has no such weight" "--chain: names the file"
# Standard input is read once.
expect 2 "'-' twice" -- "$prog" - "$tmp/ex/ex01.net" - < "$tmp/ex/ex02.net"
grep_in err "standard input ('-') can be read once" "'-' twice"
expect 0 "'-' once" -- "$prog" "$tmp/ex/ex01.net" - < "$tmp/ex/ex02.net"
grep_in out '^Read from standard input, written by' "'-' once: named"
# A deck of several files: the title frame once, then a \part per file
# in the order given, its frame naming the file and the seed, then that
# network's frames; the same in the handout; the heading translated.
deck3="$tmp/ex/ex03.net $tmp/ex/ex01.net $tmp/ex/ex02.net"
# shellcheck disable=SC2086
expect 0 "--beamer, 3 files" -- "$prog" --beamer $deck3 -o "$tmp/deck.tex"
# shellcheck disable=SC2086
expect 0 "--beamer=handout, 3 files" -- "$prog" --beamer=handout $deck3 -o "$tmp/handout.tex"
# shellcheck disable=SC2086
expect 0 "--beamer --lang=fr, 3 files" -- "$prog" --beamer --lang=fr $deck3 -o "$tmp/deck-fr.tex"
# parts TEX: "K|TITLE" for every \part of TEX; deck_files TEX: "NAME|SEED".
parts () { sed -n 's/^\\part{Exercise~\([0-9]*\): \(.*\)}$/\1|\2/p' "$1"; }
deck_files () { sed -n 's/^File \\texttt{\([^}]*\)}, written by \\texttt{fadj-gen --seed=\([0-9]*\)}\.$/\1|\2/p' "$1"; }
: > "$tmp/want-parts"; : > "$tmp/want-files"; k=0
for f in $deck3; do
  k=$((k + 1))
  echo "$k|$(title_of "$f")" >> "$tmp/want-parts"
  echo "$(basename "$f")|$(seed_of "$f")" >> "$tmp/want-files"
done
for t in deck handout; do
  parts "$tmp/$t.tex" | cmp -s "$tmp/want-parts" - && ok || bad "$t.tex: parts not the files' titles in order"
  deck_files "$tmp/$t.tex" | cmp -s "$tmp/want-files" - && ok || bad "$t.tex: part frames not the files' names and seeds in order"
  once "$tmp/$t.tex" '\titlepage'
  once "$tmp/$t.tex" '\begin{document}'
done
[ "$(grep -c '^\\part{Exercice~[123]~: ' "$tmp/deck-fr.tex")" -eq 3 ] && ok || bad "deck-fr.tex: not 3 parts 'Exercice~K~: '"
no_grep_in deck-fr.tex 'part{Exercise' "--lang=fr deck"

# One file is not a set: the document of that network, as before.
expect 0 "one file" -- "$prog" "$tmp/ex/ex01.net"
no_grep_in out '^\\section\*{Exercise 1: ' "one file"
grep_in out "^\\\\title{$(title_of "$tmp/ex/ex01.net" | sed 's/\[/\\[/g; s/\]/\\]/g')}" "one file: its title"
# With REFERENCE_EXPLAIN, an fadj-explain built before sets existed:
# byte for byte what it writes, for every example in every view.
if [ -n "${REFERENCE_EXPLAIN:-}" ]; then
  for f in "$top_srcdir"/examples/*.net; do
    for o in "" --worksheet "--worksheet --key" --fragment --beamer \
             --format=text --format=markdown; do
      # shellcheck disable=SC2086
      "$REFERENCE_EXPLAIN" $o "$f" > "$tmp/ref" 2>&1
      # shellcheck disable=SC2086
      "$prog" $o "$f" > "$tmp/new" 2>&1
      cmp -s "$tmp/ref" "$tmp/new" && ok || bad "$f $o: differs from $REFERENCE_EXPLAIN"
    done
  done
fi

# Compiled: zero overfull boxes; the worksheet one exercise a page (each
# heading on a page of its own, in order), the key the same.
if [ -n "$pdflatex" ]; then
  for t in ws key; do
    if (cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error "$t.tex" > /dev/null 2>&1); then
      ok
      c=$(grep -c 'Overfull' "$tmp/$t.log")
      [ "$c" -eq 0 ] && ok || bad "$t.tex: $c overfull boxes"
      if command -v pdfinfo > /dev/null && command -v pdftotext > /dev/null; then
        pages=$(pdfinfo "$tmp/$t.pdf" | sed -n 's/^Pages: *//p')
        [ "$pages" -ge 30 ] && ok || bad "$t.pdf: $pages pages, fewer than 30"
        : > "$tmp/pages"
        p=1
        while [ "$p" -le "$pages" ]; do
          pdftotext -f $p -l $p "$tmp/$t.pdf" - 2>/dev/null \
            | sed -n "s/^Exercise \([0-9]*\): .*/\1 $p/p" >> "$tmp/pages"
          p=$((p + 1))
        done
        # 30 headings, numbered 1..30 in order, on 30 different pages.
        cut -d' ' -f1 "$tmp/pages" > "$tmp/nums"
        seq 1 30 | cmp -s - "$tmp/nums" && ok || bad "$t.pdf: headings not 1..30 in order"
        c=$(cut -d' ' -f2 "$tmp/pages" | sort -un | wc -l)
        [ "$c" -eq 30 ] && ok || bad "$t.pdf: the 30 exercises start on $c different pages"
        # Exercise K's subsections are K.1, K.2, ...: "K.1 The network".
        pdftotext -layout "$tmp/$t.pdf" - | sed -n 's/^\([0-9]*\)\.1 *The network$/\1/p' > "$tmp/nums"
        seq 1 30 | cmp -s - "$tmp/nums" && ok || bad "$t.pdf: not 'K.1 The network' for K = 1..30"
      fi
    else
      bad "$t.tex: pdflatex failed"; grep -A3 '^!' "$tmp/$t.log" | head -8
    fi
  done
fi

# The decks compiled: zero overfull boxes; the three part frames in
# order, the title frame before them.
if [ -n "$pdflatex" ]; then
  for t in deck handout; do
    if (cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error "$t.tex" > /dev/null 2>&1); then
      ok
      c=$(grep -c 'Overfull' "$tmp/$t.log")
      [ "$c" -eq 0 ] && ok || bad "$t.tex: $c overfull boxes"
      if command -v pdftotext > /dev/null; then
        pdftotext "$tmp/$t.pdf" - | tr '\f' '\n' \
          | sed -n 's/^Exercise \([0-9]*\): .*/\1/p' > "$tmp/nums"
        seq 1 3 | cmp -s - "$tmp/nums" && ok || bad "$t.pdf: parts not Exercise 1..3 in order"
        pdftotext -l 1 "$tmp/$t.pdf" - | grep -q 'exercises on the F-adjoint' && ok || bad "$t.pdf: no title frame first"
      fi
    else
      bad "$t.tex: pdflatex failed"; grep -A3 '^!' "$tmp/$t.log" | head -8
    fi
  done
fi

echo "multi.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || exit 1
[ -n "$pdflatex" ] || exit 77
exit 0
