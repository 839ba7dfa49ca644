#!/bin/sh
# worksheet.sh -- fadj-explain --worksheet and --key: the student's .tex
# holds none of the key's numbers; every answer field is one macro of one
# size (measured by TeX itself); the fields are numbered 1..N in both;
# --blanks, --round (checked against exact values computed here with
# Python's fractions), --space, --box; the file, options and seed that
# match sheet and key; the appended 1 and the data printed; no
# verification on the sheet; zero overfull boxes on every example and on
# fadj-gen's 8-8-8-3 with 1 and 4 samples.  Expected numbers come from the
# mathematics: the worked example A[2,2,1] (sigmoid(1) = 0.731059 ...)
# computed in Python, and relu-rational.net's exact values.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-explain"
gen="$top_builddir/src/fadj-gen"
ex="$top_srcdir/examples/boughammoura-a221.net"
rat="$top_srcdir/examples/relu-rational.net"
pdflatex=${PDFLATEX:-}
[ -n "$pdflatex" ] || pdflatex=$(command -v pdflatex || true)
python_with fractions "worksheet.sh"

# hasin FILE TEXT WHAT: the fixed string TEXT occurs in $tmp/FILE (lacks: not).
hasin () { if grep -qF -e "$2" "$tmp/$1"; then ok; else bad "$3: '$2' not in $1"; fi; }
lacks () { if grep -qF -e "$2" "$tmp/$1"; then bad "$3: '$2' in $1"; else ok; fi; }
# fields FILE: the numbers of FILE's fields, one a line, in reading order.
fields () { grep -o '\\fadjfield{[0-9]*}' "$tmp/$1" | sed 's/[^0-9]//g'; }
# values FILE: the values in FILE's fields (the key's), one a line.
values () { grep -o '\\fadjfield{[0-9]*}{[^{}]*}' "$tmp/$1" | sed 's/^.*}{//; s/}$//'; }
# sheet NAME ARGS...: the sheet and the key of ARGS into NAME.tex, NAME-key.tex.
sheet () {
  n=$1; shift
  expect 0 "$n sheet" -- "$prog" --worksheet "$@"; cp "$tmp/out" "$tmp/$n.tex"
  expect 0 "$n key" -- "$prog" --worksheet --key "$@"; cp "$tmp/out" "$tmp/$n-key.tex"
}

# The A[2,2,1] values, computed here: X^1 = sigmoid((1, -1)), Y^2 =
# X^1_1 - X^1_2 + 1, X^2 = sigmoid(Y^2), the seed X^2 - 1, sigma'(Y^2) =
# X^2 (1 - X^2), Y^2_* = seed sigma'(Y^2), dJ/dW^2_11 = Y^2_* X^1_1; to 6
# digits.
"$py" - > "$tmp/a221" <<'EOF'
from math import exp
s = lambda t: 1 / (1 + exp(-t))
x1 = [s(1), s(-1)]
y2 = x1[0] - x1[1] + 1
x2 = s(y2)
seed = x2 - 1
ys2 = seed * x2 * (1 - x2)
for name, v in (("x11", x1[0]), ("x2", x2), ("seed", seed), ("ys2", ys2),
                ("g2", ys2 * x1[0]), ("ds2", x2 * (1 - x2))):
    print(name, "%.6g" % v)
EOF
v () { sed -n "s/^$1 //p" "$tmp/a221"; }
x11=$(v x11) x2=$(v x2) seed=$(v seed) ys2=$(v ys2) g2=$(v g2) ds2=$(v ds2)
[ "$x11" = 0.731059 ] && [ "$g2" = -0.0210093 ] && ok \
  || bad "the Python values of A[2,2,1]: $x11 $g2"

# --- The sheet holds no answer; the fields are numbered 1..N in both.
sheet a221 "$ex"
hasin a221-key.tex "{$x11}" "key X^1_1"
hasin a221-key.tex "{$g2}" "key dJ/dW^2_11"
for x in "$x11" "$x2" "$seed" "$ys2" "$g2"; do lacks a221.tex "$x" "sheet"; done
lacks a221.tex 'phantom' "sheet"
# Every decimal the key prints in a field, absent from the sheet's source.
values a221-key.tex | grep '[0-9]\.[0-9][0-9][0-9]' | sort -u > "$tmp/kv"
[ -s "$tmp/kv" ] && ok || bad "no decimal in the key's fields"
if grep -qF -f "$tmp/kv" "$tmp/a221.tex"; then
  bad "the sheet's .tex holds a key value: $(grep -oF -f "$tmp/kv" "$tmp/a221.tex" | head -3)"
else ok; fi
# Every field of the sheet is empty.
if grep -o '\\fadjfield{[0-9]*}{[^}]' "$tmp/a221.tex" | grep -q .; then
  bad "a sheet field is not empty"; else ok; fi
fields a221.tex > "$tmp/n1"; fields a221-key.tex > "$tmp/n2"
nf=$(wc -l < "$tmp/n1")
[ "$nf" -gt 10 ] && seq 1 "$nf" | cmp -s - "$tmp/n1" && ok \
  || bad "sheet fields not numbered 1..N ($nf)"
cmp -s "$tmp/n1" "$tmp/n2" && ok || bad "key numbered unlike the sheet"
# One macro, one size: defined once, its dimensions the default.
[ "$(grep -c 'newcommand{\\fadjfield}' "$tmp/a221.tex")" = 1 ] && ok \
  || bad "\\fadjfield not defined once"
hasin a221.tex '\setlength{\fadjboxwd}{71.13pt}\setlength{\fadjboxht}{19.92pt}' "2.5cm x 7mm"
# The precision asked, the same in the key; the old sentence gone.
hasin a221.tex "6 significant digits" "sheet precision"
hasin a221-key.tex "6 significant digits" "key precision"
lacks a221.tex "marks a value to round" "sheet"
# The appended 1 of X^1 is printed (Y^2 = W^2 X^1), the data too.
hasin a221.tex '{}\\ 1\end{bmatrix}' "appended 1 printed"
hasin a221.tex '\begin{bmatrix}0\\ 0\\ 1\end{bmatrix}' "X^0 printed"
# No verification on the sheet; the key keeps it.
lacks a221.tex 'section{Verification}' "sheet"
hasin a221-key.tex 'section{Verification}' "key"
# The file and the options, the same on both.
hasin a221.tex 'a221.net}' "sheet file name"
grep -o 'Made from.*' "$tmp/a221.tex" > "$tmp/m1"
grep -o 'Made from.*' "$tmp/a221-key.tex" > "$tmp/m2"
[ -s "$tmp/m1" ] && cmp -s "$tmp/m1" "$tmp/m2" && ok || bad "sheet and key made from differently"
# Working space: 1cm by default, as asked, none with 0.
hasin a221.tex '\\[1.00cm]' "default space"
sheet sp "$ex" --space=2.5
hasin sp.tex '\\[2.50cm]' "--space=2.5"
sheet sp0 "$ex" --space=0
lacks sp0.tex '\\[' "--space=0"
# --box: the dimensions in the preamble, nowhere else.
sheet box "$ex" --box=3cmx8mm
hasin box.tex '\setlength{\fadjboxwd}{85.36pt}\setlength{\fadjboxht}{22.76pt}' "--box=3cmx8mm"

# --- --blanks: what is a field, what is printed.
sheet fw "$ex" --blanks=forward
lacks fw.tex "$x11" "--blanks=forward"
lacks fw.tex "$x2" "--blanks=forward"
hasin fw.tex "$seed" "--blanks=forward prints the seed"
hasin fw.tex "$g2" "--blanks=forward prints the gradient"
sheet adj "$ex" --blanks=adjoint
hasin adj.tex "$x11" "--blanks=adjoint prints X^1"
lacks adj.tex "$seed" "--blanks=adjoint"
# (not Y^2_*: it is also dJ/db^2, the gradient's bias column, printed)
lacks adj.tex "$ds2" "--blanks=adjoint"
hasin adj.tex "$g2" "--blanks=adjoint prints the gradient"
sheet gr "$ex" --blanks=gradients
hasin gr.tex "$ys2" "--blanks=gradients prints Y^2_*"
lacks gr.tex "$g2" "--blanks=gradients"
sheet fg "$ex" --blanks=forward,gradients
lacks fg.tex "$x11" "--blanks=forward,gradients"
hasin fg.tex "$ys2" "--blanks=forward,gradients prints Y^2_*"
lacks fg.tex "$g2" "--blanks=forward,gradients"
for n in fw adj gr fg; do
  k=$(fields $n.tex | wc -l)
  [ "$k" -gt 0 ] && [ "$k" -lt "$nf" ] && fields $n.tex | cmp -s - "$(seq 1 "$k" > "$tmp/s"; echo "$tmp/s")" \
    && ok || bad "--blanks $n: $k fields, not 1..k of fewer than $nf"
done

# --- --round=4 on the exact relu network: every field of the key has 4
# decimals and is one of the exact values, computed here, rounded (ties
# away from zero); the main ones are all there.
sheet r4 "$rat" --round=4
hasin r4.tex "rounded to 4 decimals" "--round sheet"
hasin r4-key.tex "rounded to 4 decimals" "--round key"
"$py" - > "$tmp/exact" <<'EOF'
from fractions import Fraction as F
from math import floor
X0 = [F(1, 2), F(-1)]
W1 = [[F(1, 2), F(-1, 3)], [F(-1), F(1, 4)], [F(2), F(1, 2)]]
b1 = [F(1, 4), F(-1, 4), F(1, 10)]
W2 = [F(1), F(-2), F(1, 2)]
b2 = F(-1, 5)
y = F(1, 2)
Y1 = [sum(w * x for w, x in zip(r, X0)) + b for r, b in zip(W1, b1)]
X1 = [max(v, 0) for v in Y1]
Y2 = sum(w * x for w, x in zip(W2, X1)) + b2
J = (Y2 - y) ** 2 / 2
seed = Y2 - y
d1 = [F(1) if v > 0 else F(0) for v in Y1]
Xs1 = [w * seed for w in W2]
Ys1 = [a * d for a, d in zip(Xs1, d1)]
Xs0 = [sum(W1[i][j] * Ys1[i] for i in range(3)) for j in range(2)]
G2 = [seed * x for x in X1] + [seed]
G1 = [Ys1[i] * x for i in range(3) for x in X0 + [F(1)]]
def r4(q):
    n = floor(abs(q) * 10**4 + F(1, 2))
    s = "-" if q < 0 and n else ""
    return "%s%d.%04d" % (s, n // 10**4, n % 10**4)
main = Y1 + X1 + [Y2, J, seed] + Xs1 + Ys1 + Xs0 + G2 + G1
for q in main + d1 + [F(1)]:
    print(("main " if any(q == m for m in main) else "other ") + r4(q))
EOF
grep -q '^main 0.0939$' "$tmp/exact" && grep -q '^main -0.8667$' "$tmp/exact" && ok \
  || bad "the Python values of relu-rational"
values r4-key.tex > "$tmp/rv"
[ -s "$tmp/rv" ] && ! grep -vq '^-\{0,1\}[0-9][0-9]*\.[0-9][0-9][0-9][0-9]$' "$tmp/rv" && ok \
  || bad "--round=4: a key value without 4 decimals: $(grep -v '\.[0-9][0-9][0-9][0-9]$' "$tmp/rv" | head -3)"
sed 's/^[a-z]* //' "$tmp/exact" | sort -u > "$tmp/ev"
sort -u "$tmp/rv" | comm -23 - "$tmp/ev" > "$tmp/extra"
[ -s "$tmp/extra" ] && bad "--round=4: key values that are no rounded exact value: $(head -3 "$tmp/extra")" || ok
sed -n 's/^main //p' "$tmp/exact" | sort -u | comm -23 - "$(sort -u "$tmp/rv" > "$tmp/rvs"; echo "$tmp/rvs")" > "$tmp/missing"
[ -s "$tmp/missing" ] && bad "--round=4: rounded exact values missing from the key: $(head -3 "$tmp/missing")" || ok

# --- fadj-gen's seed, on sheet and key.
"$gen" --sizes=8,8,8,3 --seed=11 > "$tmp/g1.net" || bad "fadj-gen 8-8-8-3"
"$gen" --sizes=8,8,8,3 --seed=12 --samples=4 > "$tmp/g4.net" || bad "fadj-gen 8-8-8-3 x4"
sheet g1 "$tmp/g1.net"
sheet g4 "$tmp/g4.net"
hasin g1.tex 'with seed 11' "sheet seed"
hasin g1-key.tex 'with seed 11' "key seed"
hasin g4-key.tex 'with seed 12' "key seed (batch)"

# --- Formats and usage.
expect 0 "--format=text" -- "$prog" --worksheet --format=text "$ex"
grep -q '\[1: __________\]' "$tmp/out" && ok || bad "text sheet: no [1: __________]"
lacks out "$x11" "text sheet"
expect 0 "--format=text --key" -- "$prog" --worksheet --key --format=text "$ex"
grep -qF "[5: $x11]" "$tmp/out" && ok || bad "text key: no [5: $x11]"
expect 2 "--format=markdown" -- "$prog" --worksheet --format=markdown "$ex"
for o in --blanks=forward --box=3cmx8mm --round=2 --space=1; do
  expect 2 "$o without --worksheet" -- "$prog" "$o" "$ex"
done
for o in --blanks=sideways --blanks= --box=3cm --box=3cmx8 --box=0cmx1cm \
         --box=20cmx1cm --round=-1 --round=31 --space=21 --space=-1; do
  expect 2 "$o" -- "$prog" --worksheet "$o" "$ex"
done

# --- Compiled: zero overfull boxes, every field the same size in TeX's
# own measure, no answer in the sheet's PDF.
if [ -z "$pdflatex" ]; then
  echo "worksheet.sh: $pass passed, $fail failed (pdflatex absent: not compiled)"
  [ "$fail" -eq 0 ] || exit 1
  exit 77
fi
compile () {
  (cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error "$1.tex" > /dev/null 2>&1) \
    && ok || { bad "$1: does not compile"; return 1; }
  if grep -q 'Overfull' "$tmp/$1.log"; then
    bad "$1: overfull"; grep -A1 Overfull "$tmp/$1.log" | head -4
  else ok; fi
}
for f in "$top_srcdir"/examples/*.net; do
  n=ex-$(basename "$f" .net)
  sheet "$n" "$f"
  compile "$n"; compile "$n-key"
done
for n in g1 g4 a221 r4; do compile "$n"; compile "$n-key"; done
# TeX measures each field of the sheet: its width, height and depth are
# logged (\typeout, no \showbox), and must be one size.
sed 's|^\\fi$|\\fi\\let\\fadjorig\\fadjfield\\renewcommand{\\fadjfield}[2]{\\sbox0{$\\fadjorig{#1}{#2}$}\\typeout{FIELD \\the\\wd0/\\the\\ht0/\\the\\dp0}\\usebox0}|' \
  "$tmp/g4.tex" > "$tmp/g4m.tex"
(cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error g4m.tex > /dev/null 2>&1) || bad "g4m: does not compile"
grep '^FIELD ' "$tmp/g4m.log" | sort | uniq -c > "$tmp/sizes"
[ "$(wc -l < "$tmp/sizes")" = 1 ] && ok || bad "fields of several sizes: $(cat "$tmp/sizes")"
# 2.5cm = 71.13pt, the frame's two 0.4pt rules and 1.5pt either side.
grep -q '^FIELD 74.93pt/' "$tmp/g4m.log" && ok || bad "a field is not 2.5cm wide: $(head -1 "$tmp/sizes")"
if command -v pdftotext > /dev/null; then
  pdftotext "$tmp/a221.pdf" "$tmp/a221.txt"
  if grep -qF -f "$tmp/kv" "$tmp/a221.txt"; then bad "the sheet's PDF shows an answer"; else ok; fi
  pdftotext "$tmp/a221-key.pdf" "$tmp/a221-key.txt"
  grep -qF "$x11" "$tmp/a221-key.txt" && ok || bad "the key's PDF lacks $x11"
fi

echo "worksheet.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || exit 1
exit 0
