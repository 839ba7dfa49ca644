#!/bin/sh
# text-width.sh -- fadj-explain --format=text fits a terminal: every
# example in every mode, at --width=80 and at --width=60, exits 0, has no
# line longer than the width (counted in code points, as a terminal
# shows the characters it uses), and has no TeX in it: no backslash
# command, and none of the command names the LaTeX writer uses, which a
# translation that drops the backslash would leave ("operatornamediag").
# The width does not depend on the environment when standard output is
# not a terminal.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-explain"

# The command names the writer emits, from its source; those of four
# letters and more, less the English words that prose uses as such (the
# author's convention, a boxed answer, the sections above).  Shorter ones
# (\ln, \pi, \top, \sum...) are too common as parts of words to look for;
# the backslash check covers them whole.
names=$(cat "$top_srcdir"/src/latex*.c "$top_srcdir"/src/buf.c \
          | grep -o '\\\\[a-zA-Z][a-zA-Z]*' | sed 's/^\\\\//' | sort -u \
          | awk 'length($0) >= 4' | grep -v -x -e author -e boxed -e section)
[ -n "$names" ] && ok || bad "no command names found in src/latex*.c"
for n in operatorname textstyle frac dfrac mathrm; do
  case " $(echo $names) " in *" $n "*) ok ;; *) bad "$n not among the names" ;; esac
done
leaks=$(echo $names | sed 's/ /|/g')

# check FILE WIDTH WHAT: the lines of FILE fit WIDTH; no TeX.
check () {
  long=$(LC_ALL=C tr -d '\200-\277' < "$1" \
         | awk -v w="$2" 'length($0) > w { print NR ": " length($0); n++ } n == 3 { exit }')
  if [ -z "$long" ]; then ok; else bad "$3: lines longer than $2: $long"; fi
  if grep -n '\\[a-zA-Z]' "$1" | head -3 | grep .; then bad "$3: TeX command"; else ok; fi
  if grep -n -E "(^|[^a-zA-Z])($leaks)" "$1" | head -3 | grep .; then
    bad "$3: a TeX command's name"; else ok; fi
}

n=0
for f in "$top_srcdir"/examples/*.net; do
  name=$(basename "$f" .net)
  # The chain rule is written for coordinate-wise activations only.
  chain=--chain=1,1,1
  grep -q '^ *layer *softmax' "$f" && chain=
  for width in 80 60; do
    for mode in plain --carry=2 "$chain" --symbolic "--steps=1 --rate=1/2" \
                --bias=separate --digits=15 --worksheet "--worksheet --key"; do
      [ -n "$mode" ] || continue
      [ "$mode" = plain ] && mode=
      what="$name $mode --width=$width"
      # shellcheck disable=SC2086
      expect 0 "$what" -- "$prog" --format=text --width="$width" $mode "$f"
      check "$tmp/out" "$width" "$what"
      n=$((n + 1))
    done
  done
done
[ "$n" -ge 100 ] && ok || bad "only $n documents checked"

# Not a terminal: 80 columns, whatever COLUMNS says, as --width=80.
ex="$top_srcdir/examples/softmax-classifier.net"
expect 0 "default width" -- env COLUMNS=50 "$prog" --format=text "$ex"
mv "$tmp/out" "$tmp/default"
expect 0 "--width=80" -- "$prog" --format=text --width=80 "$ex"
if cmp -s "$tmp/default" "$tmp/out"; then ok; else bad "the default width is not 80"; fi
# The narrowest width still fits, even 15 digits in the softmax's 3 x 3
# Jacobians (a column of 20 characters, moved left of the relation);
# and --width changes only text.
expect 0 "--width=40" -- "$prog" --format=text --width=40 "$ex"
check "$tmp/out" 40 "--width=40"
expect 0 "--width=40 --digits=15" -- "$prog" --format=text --width=40 --digits=15 "$ex"
check "$tmp/out" 40 "--width=40 --digits=15"
expect 0 "latex" -- "$prog" "$ex"
mv "$tmp/out" "$tmp/latex"
expect 0 "latex --width=40" -- "$prog" --width=40 "$ex"
if cmp -s "$tmp/latex" "$tmp/out"; then ok; else bad "--width changed the LaTeX"; fi

echo "text-width.sh: $pass passed, $fail failed ($n documents)"
[ "$fail" -eq 0 ]
