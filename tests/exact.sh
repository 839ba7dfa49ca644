#!/bin/sh
# exact.sh -- exactness per value and zeros to the working precision in
# fadj-explain (issue 11).  A value that is a rational function of the
# data prints with "=" and its exact form even in an interval derivation;
# a value that is exactly 0 through the cancellation of irrational ones
# is printed 0^dagger with its bound, exit 0; kinks and ties of exact
# values are decided by exact arithmetic.

. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-explain"
ex="$top_srcdir/examples"
# lines FILE LINE...: $tmp/FILE holds the LINEs.
lines () { f=$1; shift; printf '%s\n' "$@" > "$tmp/$f"; }
# Text as wide as it goes: the prose checked below on one line; its
# lines end with their values (equation numbers: equation-numbers.sh).
text="--format=text --width=1000 --no-equation-numbers"

# Mazur: Y^1 = W^1 X^0 = (0.3775, 0.3925) exactly (0.15*0.05 + 0.2*0.1 +
# 0.35 = 0.3775; 0.25*0.05 + 0.3*0.1 + 0.35 = 0.3925), though sigmoid
# makes the derivation one of intervals.  (In text a column vector takes
# two rows: its first entry is on the row of the "=".)
expect 0 "mazur" -- "$prog" $text "$ex/mazur.net"
grep_in out '^    Y¹ = W¹ X⁰ = .* = ⎡0.3775⎤$' "mazur: Y1 exact"
grep_in out '   ⎣0.3925⎦$' "mazur: Y1 exact, second entry"
grep_in out 'X¹ = σ(Y¹) = ⎡σ(0.3775)⎤ ≈' "mazur: sigma of exact values"

# A rational network: every value exact, no approximation sign anywhere.
expect 0 "rational" -- "$prog" "$ex/relu-rational.net"
no_grep_in out '\\approx' "rational: no approximation"

# A relu that is off, before a sigmoid: x = (1, 2), W^1 = [1 -1; 0.5
# 0.25]: Y^1 = (-1, 1), X^1 = (0, 1); Y^2 = 0.3*0 + 0.7*1 = 0.7 exactly;
# the chain rule of w^1_11 crosses relu'(-1) = 0: a product with an
# exact 0, so the sum over paths is exactly 0 and equals dJ/dw^1_11.
lines dead.net 'input [1 2]' 'target [1]' 'layer relu' 'weights [1 -1; 0.5 0.25]' \
  'layer sigmoid' 'weights [0.3 0.7]' 'loss half_squared'
expect 0 "dead relu" -- "$prog" $text --chain=1,1,1 "$tmp/dead.net"
grep_in out '^    Y² = W² X¹ = \[0.3  0.7\] · ⎡0⎤ = 0.7$' "dead relu: Y2 exact"
grep_in out '^ *= 0$' "dead relu: the chain rule's sum = 0"
grep_in out '= (Y¹\* (X⁰)ᵀ)₁₁ = Y¹\*,₁ X⁰₁ = 0$' "dead relu: the entry = 0"
grep_in out 'found by the two-step rule, exactly' "dead relu: exactly"

# A relu exactly at its kink, from decimal data that no binary enclosure
# holds exactly: x = (0, 1, -3, 0), row 1*1 + 0.2*(-3) - 0.4 = 0; the
# branch relu'(0) = 0 is taken (before: exit 3 after 65536 bits).
lines kink.net 'input [0, 1, -3, 0]' 'target [1]' 'layer relu' \
  'weights [2.5 1 0.2 -3]' 'bias [-0.4]' 'layer tanh' 'weights [2]' \
  'loss half_squared'
expect 0 "kink" -- "$prog" $text "$tmp/kink.net"
grep_in out "^    σ₁'(Y¹) = σ₁'(0) = 0$" "kink: relu'(0) = 0"

# A tie of an exact value: Y^1 = 0.1 * 0.15 + 0.125 = 0.14 is exact, but
# 0.1234565 (a 7th significant digit 5) is a tie at 6 digits that no
# enclosure decides; exact arithmetic prints it exactly.
lines tie.net 'input [1]' 'target [0]' 'layer sigmoid' 'weights [0.1234565]' \
  'loss half_squared'
expect 0 "tie" -- "$prog" $text "$tmp/tie.net"
grep_in out '^    Y¹ = W¹ X⁰ = 0.1234565 · 1 = 0.1234565$' "tie: Y1 exact"

# --carry: the drift of an exact value is exactly 0 (before: exit 3).
lines carry.net 'input [1]' 'target [0]' 'layer sigmoid' 'weights [0.1]' \
  'loss half_squared'
expect 0 "carry" -- "$prog" $text --carry=2 "$tmp/carry.net"
grep_in out '^    Y¹ = 0.10  exact = 0.1,  drift = 0$' "carry: drift 0"

# Zeros to the working precision: X^2 = sigmoid(1) - sigmoid(1) = 0,
# whose enclosure never excludes 0: printed 0^dagger, with the note and
# its bound, exit 0.  In LaTeX too (the mark is math).
expect 0 "zero" -- "$prog" $text "$top_srcdir/tests/audit-nets/cancel-zero.net"
grep_in out '0†' "zero: marked"
no_grep_in out '0^(†)' "zero: marked as one mark"
grep_in out 'zero to the working precision, not proven to be 0' "zero: note"
expect 0 "zero latex" -- "$prog" "$top_srcdir/tests/audit-nets/cancel-zero.net"
grep_in out '0^{\\dagger}' "zero latex: marked"
grep_in out '\\section{Zeros to the working precision}' "zero latex: section"

# Transcendental activations at points where they are rational: elu is
# the identity for y > 0, so x = 1, 2 through elu(0.5 0.25 | 0.05) gives
# Y^1 = X^1 = 0.5 + 0.5 + 0.05 = 1.05, then Y^2 = 2.1 through identity(2);
# J = 2.1^2 / 2 = 2.205, X^2_* = 2.1, X^1_* = 4.2, elu'(1.05) = 1, dJ/dW^1
# = 4.2 (1, 2, 1): all exact, and J = 2.205 a tie at --digits=3 that only
# exact arithmetic decides (before: exit 3 after 65536 bits).
lines elu.net 'input [1 2]' 'target [0]' 'layer elu' 'weights [0.5 0.25]' \
  'bias [0.05]' 'layer identity' 'weights [2]' 'loss half_squared'
expect 0 "elu" -- "$prog" --format=text --no-equation-numbers --digits=3 \
  "$tmp/elu.net"
grep_in out '^    X¹ = σ₁(Y¹) = σ₁(1.05) = 1.05$' "elu: X1 exact"
grep_in out "^    σ₁'(Y¹) = σ₁'(1.05) = 1$" "elu: elu'(1.05) = 1"
grep_in out '^    J = .* = 2.205$' "elu: J exact"
grep_in out '^    X²\* = ∂J/∂X² = .* = 2.1$' "elu: the seed exact"
grep_in out '^    ∂J/∂W¹ = .* = \[4.2  8.4 │ 4.2\]$' "elu: dJ/dW1 exact"
no_grep_in out '≈' "elu: no approximation"
# fadj-audit decides the same tie: 2.205 to 3 digits, ties to even.
expect 0 "elu audit" -- "$top_builddir/src/fadj-audit" --digits=3 "$tmp/elu.net"
grep_in out '^loss: J = 2.20e+0$' "elu audit: J rounded to even"
grep_in out '^  dJ/dW^1\[1,2\] = 8.40e+0$' "elu audit: dJ/dW1"
# Forced intervals cannot decide it: exit 3, naming the way out.
expect 3 "elu interval" -- "$top_builddir/src/fadj-audit" --digits=3 \
  --arithmetic=interval "$tmp/elu.net"
grep_in err 'arithmetic=auto decides it' "elu interval: the way out"
expect 3 "elu interval explain" -- "$prog" --digits=3 --arithmetic=interval \
  "$tmp/elu.net"
grep_in err 'the value 2.205000000000e+00 .* --arithmetic=auto decides it' \
  "elu interval explain: names the value and the way out"

# The local update (--update=local) computes its own step 2 with the
# updated weights, outside the trace: its exact values stay exact.  The
# elu network above with rate 0.1: W^2' = 2 - 0.1 * 2.205 = 1.7795, X^1_*
# = 1.7795 * 2.1 = 3.73695 (a tie at 5 digits), dJ/db^1 = 3.73695, b^1' =
# 0.05 - 0.373695 = -0.323695 (before: exit 3, the tie undecided).
expect 0 "local update" -- "$prog" $text --digits=5 --steps=1 --update=local \
  --rate=0.1 "$tmp/elu.net"
grep_in out '^    X¹\* = (W²_(new))ᵀ Y²\* = 1.7795 · 2.1 = 3.73695$' \
  "local update: X1* exact"
grep_in out '^    b¹_(new) = b¹ - η ∂J/∂b¹ = 0.05 - 0.1 · 3.73695 = -0.323695$' \
  "local update: the bias exact"

# sigmoid(0) = 1/2 and sigmoid'(0) = 1/4 exactly: x = 2, w = 0.5, b = -1;
# Y^2 = 3 * 1/2 = 1.5, J = (1.5 - 1)^2 / 2 = 1/8, dJ/dw^1 = 0.5 * 3 *
# 1/4 * 2 = 0.75.
lines sig0.net 'input [2]' 'target [1]' 'layer sigmoid' 'weights [0.5]' \
  'bias [-1]' 'layer identity' 'weights [3]' 'loss half_squared'
expect 0 "sigmoid(0)" -- "$prog" --format=text --no-equation-numbers \
  "$tmp/sig0.net"
grep_in out '^    X¹ = σ₁(Y¹) = σ₁(0) = 0.5$' "sigmoid(0): X1 = 1/2"
grep_in out '^    ∂J/∂W¹ = .* = \[0.75 │ 0.375\]$' "sigmoid(0): dJ/dW1 exact"
no_grep_in out '≈' "sigmoid(0): no approximation"

# 3-, 5- and 9-layer 64-wide sigmoid networks with three-decimal data
# (ties of the exact Y^1 at 6 digits): done, exit 0 (before: exit 3
# after 25 s, or past a minute).
for layers in 3 5 9; do
  awk -v layers=$layers 'BEGIN { srand(layers); n = 64
    printf "input ["; for (j = 0; j < n; j++) printf " %.3f", 2 * rand() - 1; print "]"
    printf "target ["; for (j = 0; j < n; j++) printf " %.3f", rand(); print "]"
    for (l = 0; l < layers; l++) { print "layer sigmoid"; printf "weights ["
      for (i = 0; i < n; i++) { for (j = 0; j < n; j++) printf " %.3f", 2 * rand() - 1; print ";" }
      print "]"; printf "bias ["; for (i = 0; i < n; i++) printf " %.3f", 2 * rand() - 1; print "]" }
    print "loss half_squared" }' > "$tmp/wide.net"
  expect 0 "wide, $layers layers" -- "$prog" "$tmp/wide.net"
done

echo "exact.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
