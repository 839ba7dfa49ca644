#!/bin/sh
# explain-check.sh -- fadj-explain's choice of independent check
# (--check=full|directional; by default fadj_net_full_check_p, as
# fadj-audit decides): with --check=directional every document that has
# a verification (LaTeX article, text, Markdown, beamer deck, worksheet
# key, French, a set of exercises, training steps) says that the
# directional check ran, why, what it compared and its verdict, and never
# claims the full check's entry-by-entry comparison; the LaTeX compiles
# (pdflatex, without an overfull box; skipped without it).  A network of
# exactly 100000 parameters is checked in full, one of 100250 along a
# direction without building the scalar graph, which is what keeps it
# under a cap on virtual memory that the full check does not fit in
# (skipped under sanitizers and wrappers, which reserve address space).
# A wrong gradient caught by this check is tested in check_forward.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-explain"
a221="$top_srcdir/examples/boughammoura-a221.net"
rat="$top_srcdir/examples/relu-rational.net"
pdflatex=${PDFLATEX:-}
[ -n "$pdflatex" ] || pdflatex=$(command -v pdflatex || true)

# flat FILE: $tmp/FILE's words on one line (the text format wraps
# sentences), into $tmp/FILE.flat.
flat () { tr -s ' \n' '  ' < "$tmp/$1" > "$tmp/$1.flat"; }
# says FILE TEXT WHAT: the fixed TEXT is in $tmp/FILE, lines joined.
says () {
  flat "$1"
  if grep -qF -e "$2" "$tmp/$1.flat"; then ok; else bad "$3: '$2' not in $1"; fi
}
lacks () {
  flat "$1"
  if grep -qF -e "$2" "$tmp/$1.flat"; then bad "$3: '$2' in $1"; else ok; fi
}
# compiles FILE WHAT: $tmp/FILE.tex compiles, with no overfull box.
compiles () {
  [ -n "$pdflatex" ] || return 0
  if (cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error \
        "$1.tex" > /dev/null 2>&1); then ok; else bad "$2: pdflatex failed"; fi
  if grep -q 'Overfull' "$tmp/$1.log"; then bad "$2: overfull box"; else ok; fi
}

ASKED="As asked, the two-step rule was checked by the directional check"
WHAT="The derivative of J along V was computed by forward (tangent) mode"
FULL="reverse-mode differentiation"
COMPARED="entries were compared"

# --- --check=directional on small networks, every format.
# The article, in intervals and exactly.
expect 0 "a221 latex" -- "$prog" --check=directional -o "$tmp/a.tex" "$a221"
says a.tex "$ASKED" "a221 latex"
says a.tex 'The derivative of $J$ along $V$ was computed by forward (tangent) mode' "a221 latex"
says a.tex 'projected on $V$: the sum of each gradient entry times its entry of $V$' "a221 latex"
says a.tex 'Both numbers were computed in interval arithmetic (MPFI)' "a221 latex"
says a.tex '\textbf{Result:} the derivative along $V$ and the projected gradients agree.' "a221 latex"
lacks a.tex "$FULL" "a221 latex"
lacks a.tex "$COMPARED" "a221 latex"
compiles a "a221 latex"
expect 0 "exact latex" -- "$prog" --check=directional -o "$tmp/r.tex" "$rat"
says r.tex 'Both numbers were computed in exact rational arithmetic (GMP), so agreement means that they are equal.' "exact latex"
says r.tex 'the projected gradients agree exactly.' "exact latex"
compiles r "exact latex"

# Text and Markdown.
expect 0 "a221 text" -- "$prog" --check=directional --format=text "$a221"
cp "$tmp/out" "$tmp/a.txt"
says a.txt "$ASKED" "a221 text"
says a.txt "$WHAT" "a221 text"
says a.txt "Result: the derivative along V and the projected gradients agree." "a221 text"
lacks a.txt "$FULL" "a221 text"
lacks a.txt "$COMPARED" "a221 text"
expect 0 "a221 markdown" -- "$prog" --check=directional --format=markdown "$a221"
cp "$tmp/out" "$tmp/a.md"
says a.md "$ASKED" "a221 markdown"
says a.md 'The derivative of $J$ along $V$ was computed by forward (tangent) mode' "a221 markdown"
says a.md '**Result:** the derivative along $V$ and the projected gradients agree.' "a221 markdown"
lacks a.md "$FULL" "a221 markdown"

# The beamer deck: the verification frame and the summary's line.
expect 0 "a221 beamer" -- "$prog" --check=directional --beamer -o "$tmp/b.tex" "$a221"
says b.tex "$ASKED" "a221 beamer"
says b.tex 'The check, directional (see the verification): the derivative of $J$ along a random direction agrees with' "a221 beamer"
lacks b.tex "The check: the reverse mode" "a221 beamer"
compiles b "a221 beamer"

# The worksheet's key has the verification; the student's sheet none.
expect 0 "a221 key" -- "$prog" --check=directional --worksheet --key -o "$tmp/k.tex" "$a221"
says k.tex "$ASKED" "a221 key"
compiles k "a221 key"
expect 0 "a221 sheet" -- "$prog" --check=directional --worksheet -o "$tmp/s.tex" "$a221"
lacks s.tex "directional check" "a221 sheet"

# French.
expect 0 "a221 French" -- "$prog" --check=directional --lang=fr --format=text "$a221"
cp "$tmp/out" "$tmp/fr.txt"
says fr.txt "Comme demandé, la règle en deux étapes a été vérifiée par la méthode directionnelle" "French"
says fr.txt "Résultat : la dérivée selon V et les gradients projetés concordent." "French"
lacks fr.txt "As asked" "French"

# A set of exercises: each one's verification; training steps checked
# the same way (the steps' derivations too, in the library).
expect 0 "set" -- "$prog" --check=directional --format=text "$a221" "$rat"
cp "$tmp/out" "$tmp/set.txt"
n=$(grep -c "^Result: the derivative along V" "$tmp/set.txt")
[ "$n" -eq 2 ] && ok || bad "set: $n directional results, expected 2"
expect 0 "steps" -- "$prog" --check=directional --steps=3 --rate=1 --format=text "$a221"
cp "$tmp/out" "$tmp/st.txt"
says st.txt "$ASKED" "steps"
lacks st.txt "VERIFICATION FAILED" "steps"

# The default on a small network is the full check; --check=full too.
for c in "" --check=full; do
  expect 0 "a221 ${c:-default}" -- "$prog" $c --format=text "$a221"
  cp "$tmp/out" "$tmp/f.txt"
  says f.txt "$FULL" "a221 ${c:-default}"
  lacks f.txt "directional" "a221 ${c:-default}"
done

# The option's values and its help.
expect 2 "--check=none" -- "$prog" --check=none "$a221"
grep_in err "invalid value 'none' for --check: expected 'full' or 'directional'" "--check=none"
"$prog" --help > "$tmp/help" 2>&1
grep_in help "--check=METHOD" "--help"

# --- The choice by size, at its boundary: A[399, 250, 1] has 250 x 399
# + 250 = 100000 weights (no bias), A[400, 250, 1] 100250.
mk () {
  awk -v n="$1" -v m=250 'BEGIN { srand(3)
    printf "input ["; for (j = 0; j < n; j++) printf " %.1f", int(20 * rand() - 10) / 10
    printf " ]\ntarget [ 0.5 ]\nlayer sigmoid\nweights [\n"
    for (i = 0; i < m; i++) { for (j = 0; j < n; j++) printf " %.3f", int(200 * rand() - 100) / 1000
      printf "\n" }
    printf "]\nlayer sigmoid\nweights ["; for (j = 0; j < m; j++) printf " %.1f", int(20 * rand() - 10) / 10
    printf "]\nloss half_squared\n" }' > "$tmp/$2"
}
mk 399 at.net
mk 400 above.net
expect 0 "100000 parameters" -- "$prog" --format=text "$tmp/at.net"
cp "$tmp/out" "$tmp/at.txt"
says at.txt "$FULL" "100000 parameters"
# Every dJ/dW (100000), Y^2_* and Y^1_* (1 + 250), X^2_* .. X^0_* (1 +
# 250 + 399).
says at.txt "$((100000 + 1 + 250 + 1 + 250 + 399)) $COMPARED" "100000 parameters"
lacks at.txt "directional" "100000 parameters"
expect 0 "100250 parameters" -- "$prog" --format=text "$tmp/above.net"
cp "$tmp/out" "$tmp/above.txt"
says above.txt "This network has 100250 weights and biases, more than the 100000 up to which the scalar computation graph of J is built for the reverse-mode check" "100250 parameters"
says above.txt "so the two-step rule was checked by the directional check instead." "100250 parameters"
says above.txt "Result: the derivative along V and the projected gradients agree." "100250 parameters"
lacks above.txt "$FULL" "100250 parameters"
lacks above.txt "$COMPARED" "100250 parameters"

# Without the scalar graph it fits where the graph does not: about 45 MB
# against 78 MB of virtual memory on x86-64 glibc (one thread, so that
# the count of processors does not add thread stacks).
CAP=64000                       # KiB
case "${FADJ_WRAPPER:-}${ASAN_OPTIONS:-}${UBSAN_OPTIONS:-}" in
  '')
    capped () { ( ulimit -v "$CAP" 2>/dev/null || exit 77; exec "$@" ); }
    capped "$prog" --jobs=1 --format=text -o /dev/null "$a221" > /dev/null 2>&1
    if [ $? -eq 0 ]; then
      expect 0 "100250 parameters, ulimit -v $CAP" -- capped "$prog" --jobs=1 --format=text "$tmp/above.net"
      if cmp -s "$tmp/out" "$tmp/above.txt"; then ok; else bad "ulimit -v $CAP: another document"; fi
      expect 3 "--check=full, ulimit -v $CAP" -- capped "$prog" --jobs=1 --check=full --format=text "$tmp/above.net"
      grep_in err "out of memory" "--check=full, ulimit -v $CAP"
    else
      skip=$((skip + 1))
    fi ;;
  *) skip=$((skip + 1)) ;;
esac

echo "explain-check: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
