#!/bin/sh
# show-steps.sh -- fadj-explain --steps=N --show-steps=LIST: the steps of
# LIST written in full (at the weights after the step before: J there,
# the gradients, the update), the others not; the loss curve (pgfplots,
# loaded only for it, only in an article with two steps or more) with its
# points and its caption; the table of the loss cut so that it fits the
# pages; the list validated.  The numbers of the author's A[2,2,1] trained
# with eta = 1/2 are computed here with mpmath, independently.

. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-explain"
ex="$top_srcdir/examples"
a221="$ex/boughammoura-a221.net"
pdflatex=${PDFLATEX:-}
[ -n "$pdflatex" ] || pdflatex=$(command -v pdflatex || true)

# The list, validated once --steps is known.
for bad_list in 0 6 3-2 a 1, ,1 1-3- 2-9 ''; do
  expect 2 "--show-steps='$bad_list'" -- "$prog" --steps=5 --rate=1/2 \
    "--show-steps=$bad_list" "$a221"
  grep_in err "invalid value '$bad_list' for --show-steps" "'$bad_list': the message"
done
expect 2 "--show-steps without --steps" -- "$prog" --show-steps=1 "$a221"
grep_in err 'invalid value .1. for --show-steps: there are no training steps' \
  "without --steps: the message"
expect 2 "--show-steps=1-21" -- "$prog" --steps=30 --rate=1/2 \
  --show-steps=1-21 "$a221"
grep_in err 'at most 20 steps' "more than 20 steps in full"

expect 0 "--steps=5 --show-steps=1,3-4" -- "$prog" --no-diagram --steps=5 \
  --rate=1/2 --show-steps=1,3-4 "$a221"
cp "$tmp/out" "$tmp/t"
grep_in t '^\\paragraph{Step 1.}$' "step 1 in full"
grep_in t '^\\paragraph{Step 3.}$' "step 3 in full"
grep_in t '^\\paragraph{Step 4.}$' "step 4 in full"
no_grep_in t '^\\paragraph{Step 2.}$' "step 2 not in full"
no_grep_in t '^\\paragraph{Step 5.}$' "step 5 not in full"
grep_in t '^\\usepackage{pgfplots}$' "pgfplots loaded"
grep_in t 'rounded to 6 significant digits: a picture' "the curve's caption"
expect 0 "--show-steps=2-3" -- "$prog" --no-diagram --steps=5 --rate=1/2 \
  --show-steps=2-3 "$a221"
no_grep_in out '^\\paragraph{Step 1.}$' "a list without 1: step 1 not in full"
grep_in out '^\\paragraph{Step 2.}$' "a list without 1: step 2"

python_with mpmath "show-steps.sh"
"$py" - > "$tmp/want" <<'EOF'
from mpmath import mp, mpf, exp, nstr
mp.dps = 50
s = lambda t: 1 / (1 + exp(-t))
f = lambda x: nstr(x, 6, strip_zeros=False, min_fixed=-5, max_fixed=7)
eta = mpf(1) / 2
# A[2,2,1], x = (0, 0), y = 1: only the biases and W^2 move (X^0 = 0).
W1 = [[mpf(1), mpf(-1)], [mpf(-1), mpf(1)]]; b1 = [mpf(1), mpf(-1)]
W2 = [mpf(1), mpf(-1)]; b2 = mpf(1)
J = []
for k in range(6):
    y1 = b1[:]                                   # W^1 X^0 + b^1, X^0 = 0
    x1 = [s(t) for t in y1]
    y2 = W2[0] * x1[0] + W2[1] * x1[1] + b2
    x2 = s(y2)
    J.append((x2 - 1) ** 2 / 2)
    y2s = (x2 - 1) * x2 * (1 - x2)
    y1s = [W2[i] * y2s * x1[i] * (1 - x1[i]) for i in range(2)]
    gW2 = [y2s * x1[0], y2s * x1[1]]
    if k == 2:                                   # step 3's gradients
        print("J2 " + f(J[2]))
        print("G3 " + " & ".join(f(v) for v in gW2 + [y2s]))
        print("B3 " + f(b2 - eta * y2s))
    W2 = [W2[i] - eta * gW2[i] for i in range(2)]
    b2 = b2 - eta * y2s
    b1 = [b1[i] - eta * y1s[i] for i in range(2)]
for k in range(6):
    print("T %d%s & $%s$\\\\" % (k, " (initial)" if k == 0 else "", f(J[k])))
print("C " + " ".join("(%d, %.6g)" % (k, float(J[k])) for k in range(6)))
EOF
# Step 3 starts from the weights after step 2: J there, the gradient
# dJ/dW^2 (bias column last), the new b^2.
j2=$(sed -n 's/^J2 //p' "$tmp/want")
grep_in t "At the weights after step 2, where \$J \\\\approx $j2\\$" "step 3: J after step 2"
g3=$(sed -n 's/^G3 //p' "$tmp/want")
sed -n '/paragraph{Step 3.}/,/paragraph{Step 4.}/p' "$tmp/t" > "$tmp/s3"
if grep -qF "{@{}cc|c@{}}$g3\\end{array}" "$tmp/s3"; then ok; else
  bad "step 3: dJ/dW^2 is not $g3"; fi
b3=$(sed -n 's/^B3 //p' "$tmp/want")
if grep -qF "\\approx \\begin{bmatrix}$b3\\end{bmatrix} \\tag{" "$tmp/s3"; then ok
else bad "step 3: b^2 new is not $b3"; fi
sed -n 's/^T //p' "$tmp/want" | while IFS= read -r row; do
  grep -qxF -e "$row" "$tmp/t" || echo "$row"; done > "$tmp/missing"
if [ -s "$tmp/missing" ]; then bad "loss table: missing $(cat "$tmp/missing")"
else ok; fi
sed -n 's/^C //p' "$tmp/want" > "$tmp/c"
if tr '\n' ' ' < "$tmp/t" | grep -qF "$(cat "$tmp/c")"; then ok; else
  bad "the curve's points are not $(cat "$tmp/c")"; fi

# The local variant: step 2 written as the author's sweep.
expect 0 "local --show-steps=2" -- "$prog" --no-diagram --steps=3 \
  --rate=1/2 --update=local --show-steps=2 "$a221"
grep_in out 'from their seed \$X^{2}_{\*}\$, layer by layer' "local: step 2's sweep"

# No curve with one step, in a fragment, in text.
expect 0 "--steps=1" -- "$prog" --no-diagram --steps=1 --rate=1/2 "$a221"
no_grep_in out 'pgfplots\|tikzpicture' "one step: no curve"
expect 0 "--steps=5 --fragment" -- "$prog" --fragment --steps=5 --rate=1/2 "$a221"
no_grep_in out 'pgfplots\|tikzpicture' "fragment: no curve"
expect 0 "--steps=5 text" -- "$prog" --format=text --steps=5 --rate=1/2 "$a221"
no_grep_in out 'addplot\|axis' "text: no curve"

[ -n "$pdflatex" ] || { echo "show-steps.sh: no pdflatex; skipped"
  echo "show-steps.sh: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }
# Compiled: the steps in full, the curve, and 400 steps' table.
for n in 5 400; do
  expect 0 "--steps=$n" -- "$prog" --steps=$n --rate=1/2 --show-steps=1,3-4 \
    -o "$tmp/t$n.tex" "$a221"
  if (cd "$tmp" && "$pdflatex" -interaction=nonstopmode -halt-on-error \
      "t$n.tex" > /dev/null 2>&1); then ok; else bad "t$n: pdflatex failed"; fi
  no_grep_in "t$n.log" 'Overfull' "--steps=$n: overfull boxes"
done

echo "show-steps.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
