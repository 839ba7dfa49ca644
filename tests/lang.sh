#!/bin/sh
# lang.sh -- fadj-explain --lang=fr: the document's prose in French from
# the catalogue compiled into the program (po/fr.po), chosen by the
# option alone.  Checks: an unknown language is a usage error; English
# stays the default; the output is byte-identical whatever LANG, LC_ALL
# and LANGUAGE say; the French document keeps none of the English
# sentences; po/fr.po is valid and translates every string the sources
# mark; every example in every mode compiles with pdflatex without an
# overfull line, and the text format fits its width (in characters, the
# accents counted once).  Exit 77 without pdflatex, after the rest.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-explain"
ex="$top_srcdir/examples/boughammoura-a221.net"
pdflatex=${PDFLATEX:-}
[ -n "$pdflatex" ] || pdflatex=$(command -v pdflatex || true)
msgfmt=${MSGFMT:-}
[ -n "$msgfmt" ] || msgfmt=$(command -v msgfmt || true)
has () { if grep -qF -e "$1" "$tmp/out"; then ok; else bad "$2: '$1' missing"; fi; }
hasnt () { if grep -qF -e "$1" "$tmp/out"; then bad "$2: '$1' present"; else ok; fi; }

# The option: two languages, anything else a usage error (status 2, as
# every invalid value), with a message naming the option.
EXPECT_QUIET_FAILURES=1
for v in xx FR fr_FR en_US ""; do
  expect 2 "--lang=$v" -- "$prog" "--lang=$v" "$ex"
  grep -q -e '--lang' "$tmp/err" && ok || bad "--lang=$v: message does not name --lang"
done
EXPECT_QUIET_FAILURES=0
expect 0 "--help" -- "$prog" --help
has '--lang' "--help"

# English is the default, and --lang=en is it.
expect 0 "default" -- "$prog" "$ex"
cp "$tmp/out" "$tmp/default.tex"
expect 0 "--lang=en" -- "$prog" --lang=en "$ex"
cmp -s "$tmp/out" "$tmp/default.tex" && ok || bad "--lang=en differs from the default"

# French: the section titles and the theorem's sentence, the typography
# (T1 Latin Modern, a non-breaking space before the colon), and none of
# these English sentences (whole msgids of the catalogue, as the English
# document prints them).
expect 0 "--lang=fr" -- "$prog" --lang=fr "$ex"
cp "$tmp/out" "$tmp/fr.tex"
for s in '\section{Le réseau}' '\section{L'"'"'amorce}' '\section{Le F-adjoint}' \
         '\section{Les gradients}' '\section{Vérification}' \
         'Le théorème~: quand l'"'"'amorce est la dérivée de la fonction de coût' \
         '\usepackage[T1]{fontenc}' '\usepackage{lmodern}' \
         'la règle en deux étapes~:' '\text{étape 1 :}'; do
  has "$s" "--lang=fr"
done
for s in 'This document derives the gradient' 'The network' 'The seed' \
         'The gradients' 'Verification' 'the two-step rule' \
         'Every layer uses the same activation' 'The loss is' \
         'with the input and the target' 'Biases follow the author' \
         'By the theorem' 'was compared with an independent computation' \
         'on every entry' 'entries were compared'; do
  hasnt "$s" "--lang=fr"
  grep -qF -e "$s" "$tmp/default.tex" && ok || bad "English document: '$s' missing (stale list?)"
done
# The mathematics is the same: the decimal point stays a point.
grep -o '0\.[0-9]*' "$tmp/default.tex" > "$tmp/en.nums"
grep -o '0\.[0-9]*' "$tmp/fr.tex" > "$tmp/fr.nums"
cmp -s "$tmp/en.nums" "$tmp/fr.nums" && ok || bad "--lang=fr: the numbers differ from the English document's"

# Byte-identical whatever the environment says: the language is the
# option's alone (de_DE and fr_FR write a decimal comma, when installed).
for mode in "" "--format=text" "--format=markdown" "--beamer"; do
  "$prog" --lang=fr $mode "$ex" > "$tmp/ref" 2>&1
  for envs in "LANGUAGE=de LC_ALL=C.UTF-8" "LANG=fr_FR.UTF-8" "LC_ALL=fr_FR.UTF-8" \
              "LANGUAGE=fr LANG=fr_FR.UTF-8 LC_MESSAGES=fr_FR.UTF-8" \
              "LC_ALL=de_DE.UTF-8 LANGUAGE=fr:de" "LC_ALL=C LANG=C"; do
    env $envs "$prog" --lang=fr $mode "$ex" > "$tmp/got" 2>&1
    cmp -s "$tmp/ref" "$tmp/got" && ok || bad "--lang=fr $mode under $envs: output differs"
  done
  # And the environment alone never makes a document French.
  env LANGUAGE=fr LANG=fr_FR.UTF-8 LC_ALL=fr_FR.UTF-8 "$prog" $mode "$ex" > "$tmp/got" 2>&1
  "$prog" $mode "$ex" > "$tmp/ref" 2>&1
  cmp -s "$tmp/ref" "$tmp/got" && ok || bad "$mode under a French environment: output differs"
done

# The labels of the text layout's column blocks too (a matrix wider than
# --width=40: W^1 of mazur.net has 3 columns).
mz="$top_srcdir/examples/mazur.net"
expect 0 "--lang=fr --format=text --width=40" -- "$prog" --lang=fr --format=text --width=40 "$mz"
has 'colonnes 1–2 :' "--lang=fr text blocks"
has 'colonne 3 :' "--lang=fr text blocks"
hasnt 'column' "--lang=fr text blocks"
expect 0 "--format=text --width=40" -- "$prog" --format=text --width=40 "$mz"
has 'columns 1–2:' "text blocks"
has 'column 3:' "text blocks"

# The catalogue: valid, and every string marked in the sources (xgettext
# as `make update-po' runs it) has a French translation, none fuzzy.
if [ -n "$msgfmt" ]; then
  "$msgfmt" --check --statistics -o /dev/null "$top_srcdir/po/fr.po" > "$tmp/stat" 2>&1 \
    && ok || { bad "msgfmt --check po/fr.po"; cat "$tmp/stat"; }
  if grep -q -e 'untranslated' -e 'fuzzy' "$tmp/stat"; then bad "po/fr.po: $(cat "$tmp/stat")"; else ok; fi
  grep -q 'translated message' "$tmp/stat" && ok || bad "po/fr.po: no statistics ($(cat "$tmp/stat"))"
  xgettext=${XGETTEXT:-}
  [ -n "$xgettext" ] || xgettext=$(command -v xgettext || true)
  if [ -n "$xgettext" ] && command -v msgcmp > /dev/null; then
    (cd "$top_srcdir" && "$xgettext" --from-code=UTF-8 --language=C \
       --keyword=_ --keyword=N_ -o "$tmp/fadj.pot" src/latex*.c src/text-hlist.c) \
      && ok || bad "xgettext"
    msgcmp "$top_srcdir/po/fr.po" "$tmp/fadj.pot" > "$tmp/cmp" 2>&1 \
      && ok || { bad "po/fr.po does not translate every marked string:"; head -20 "$tmp/cmp"; }
  else
    echo "lang.sh: no xgettext or msgcmp; the catalogue's coverage not checked"
  fi
else
  echo "lang.sh: no msgfmt; po/fr.po not checked"
fi

# The parts merged after the catalogue was made: the summary, steps
# written in full with the loss table and curve, a worksheet and a key
# of two exercises, a deck with its summary frame.  None of their
# English sentences stays in French (each is in some English document:
# the list is not stale), and each French document compiles without an
# overfull line.
: > "$tmp/en-parts"
set -f
for mode in "--summary $ex" "--steps=3 --rate=1/2 --show-steps=1,3 $ex" \
            "--worksheet $ex $mz" "--worksheet --key --round=2 $ex" \
            "--beamer --steps=2 --rate=1/2 $ex"; do
  "$prog" $mode >> "$tmp/en-parts" 2>&1
  expect 0 "--lang=fr $mode" -- "$prog" --lang=fr $mode
  for s in 'at a glance' 'Layer 0 is the input' 'Every number is exact' \
           'significant digits are rounded' 'At the weights after step' \
           'computed and verified as in the sections above' \
           'their gradients, then the update' 'after step &' \
           'The loss $J$ after each step' 'xlabel={step}' \
           'Fill in every numbered box' 'You compute' \
           'every other value is printed' 'Box $n$ holds' \
           'the verification is at the end' 'The key rounds the exact values' \
           'Made from' 'exercises on the F-adjoint' 'Exercise 1' \
           'The network: its data' 'the network so far' \
           'The check: the reverse mode agrees' 'Backpropagation by the F-adjoint' \
           'ties away from zero' 'significant digit' 'Step 1.' 'Summary}'; do
    hasnt "$s" "--lang=fr $mode"
  done
  [ -n "$pdflatex" ] || continue
  cp "$tmp/out" "$tmp/part.tex"
  if (cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error part.tex > /dev/null 2>&1); then
    ok
    if grep -q 'Overfull' "$tmp/part.log"; then
      bad "--lang=fr $mode: overfull"; grep -A2 'Overfull' "$tmp/part.log" | head -6
    else ok; fi
  else
    bad "--lang=fr $mode: pdflatex failed"; grep -A3 '^!' "$tmp/part.log" | head -8
  fi
  rm -f "$tmp"/part.*
done
set +f
for s in 'at a glance' 'Layer 0 is the input' 'significant digits are rounded' \
         'At the weights after step' 'their gradients, then the update' \
         'after step &' 'The loss $J$ after each step' 'xlabel={step}' \
         'Fill in every numbered box' 'Box $n$ holds' 'The key rounds the exact values' \
         'Made from' 'exercises on the F-adjoint' 'Exercise 1' 'The network: its data' \
         'the network so far' 'The check: the reverse mode agrees' \
         'Backpropagation by the F-adjoint' 'ties away from zero' 'Step 1.' 'Summary}'; do
  grep -qF -e "$s" "$tmp/en-parts" && ok || bad "English parts: '$s' missing (stale list?)"
done

# Every example in every mode, in French: LaTeX compiles without an
# overfull line; text fits --width in characters and has no backslash.
n=0
for f in "$top_srcdir"/examples/*.net; do
  b=$(basename "$f" .net)
  for mode in "" "--beamer" "--worksheet" "--worksheet --key" "--steps=2 --rate=1/2" \
              "--chain=1,1,1" "--symbolic" "--carry=2" "--diagram=full" \
              "--steps=2 --rate=1/2 --beamer"; do
    n=$((n + 1))
    name=$b-$n
    expect 0 "--lang=fr $mode $b" -- "$prog" --lang=fr $mode "$f"
    cp "$tmp/out" "$tmp/$name.tex"
    [ -n "$pdflatex" ] || continue
    if (cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error "$name.tex" > /dev/null 2>&1); then
      ok
      if grep -q 'Overfull' "$tmp/$name.log"; then
        bad "--lang=fr $mode $b: overfull"; grep -A2 'Overfull' "$tmp/$name.log" | head -6
      else ok; fi
    else
      bad "--lang=fr $mode $b: pdflatex failed"; grep -A3 '^!' "$tmp/$name.log" | head -8
    fi
    rm -f "$tmp/$name".*
  done
  for mode in "--format=text" "--format=text --steps=2 --rate=1/2" "--format=text --chain=1,1,1" \
              "--format=markdown" "--format=text --worksheet"; do
    expect 0 "--lang=fr $mode $b" -- "$prog" --lang=fr --width=60 $mode "$f"
    case $mode in
      *text*)
        long=$(LC_ALL=C tr -d '\200-\277' < "$tmp/out" \
               | awk 'length($0) > 60 { print NR ": " length($0); n++ } n == 3 { exit }')
        [ -z "$long" ] && ok || bad "--lang=fr $mode $b: lines longer than 60: $long"
        grep -q '\\[a-zA-Z]' "$tmp/out" && bad "--lang=fr $mode $b: TeX command" || ok
        grep -q '~' "$tmp/out" && bad "--lang=fr $mode $b: a tie left" || ok
        grep -q 'é' "$tmp/out" && ok || bad "--lang=fr $mode $b: no accent" ;;
      *)
        grep -q 'Vérification' "$tmp/out" && ok || bad "--lang=fr $mode $b: no 'Vérification'" ;;
    esac
  done
done

echo "lang.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || exit 1
[ -n "$pdflatex" ] || exit 77
exit 0
