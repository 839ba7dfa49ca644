#!/usr/bin/env python3
"""chain_softmax.py -- fadj-explain --chain through a softmax layer
against the sum over paths computed here.

    python3 chain_softmax.py FADJ_EXPLAIN TOP_SRCDIR

For each network below (restated here from its file: the numbers come
from the mathematics, not from fadj), and each weight and bias, this
script enumerates every path from the weight to the loss, sample by
sample, and multiplies along it, in 50-digit mpmath arithmetic:

    dJ/dw^l_ij = (1/m if 'batch mean') sum_s sum_paths
                 dJ_s/dX^L_{k_L} * ... * dX^q_{k_q}/dY^q_{k'_q}
                 * w^q_{k'_q k_{q-1}} * ... * dX^l_{k_l}/dY^l_i * X^{l-1}_j

where a coordinate-wise layer has k'_q = k_q and the factor sigma'(Y^q_k),
and a softmax layer any pair (k_q, k'_q) and the factor
s_k (delta_{k k'} - s_{k'}) of its Jacobian.  The seed of the categorical
cross-entropy is dJ_s/dX^L_k = -y_k / X^L_k.  Each path sum is first
checked against a numerical derivative of J itself (mpmath.diff), so
that the enumeration here is right; then fadj-explain --chain, with every
path shown (--max-show=0), at 6 and at 15 digits, must

- exit 0 (the sum over paths agrees with the two-step rule's gradient);
- print, in the chain's section, the symbolic sum (its softmax factors
  as dX/dY), the product of every path in order, each factor by the
  document's number rules and each softmax factor under its label
  \\underbrace{..}_{\\partial X^q_k/\\partial Y^q_k'}, and the value
  rounded to the digits asked for, equal to the gradient's entry.

Prints one line per failure and exits 1 if there was one.
"""

import itertools
import os
import subprocess
import sys
from decimal import Decimal, ROUND_HALF_EVEN
from fractions import Fraction

import mpmath
from mpmath import mp, mpf

mp.dps = 50

# name: (file, activations, weights, biases (None: none), samples
#        [(x, y)], batch mean?).  The loss is the categorical
#        cross-entropy.  Numbers as in the file.
NETS = {
    "softmax-classifier": (
        "examples/softmax-classifier.net",
        ["relu", "softmax"],
        [[["1", "-1"], ["0.5", "1"], ["-1", "0.5"]],
         [["1", "0.5", "-1"], ["-0.5", "1.5", "0.5"], ["0.25", "-1", "1"]]],
        [["0", "0.5", "0.25"], None],
        [(["1", "0.5"], ["0", "1", "0"]), (["-0.5", "1"], ["1", "0", "0"])],
        False),
    "chain-softmax-222": (
        "tests/chain-softmax-222.net",
        ["relu", "softmax"],
        [[["1", "-0.5"], ["0.5", "1"]], [["1", "-1"], ["-0.5", "2"]]],
        [["0.25", "-0.5"], ["0", "0.5"]],
        [(["1", "-1"], ["1", "0"]), (["2", "1"], ["0", "1"])],
        True),
}

failures = []


def mq(q):
    """The Fraction Q as an mpf (to the working precision); an mpf as it
    is (a weight moved by the numerical derivative)."""
    if isinstance(q, Fraction):
        return mpf(q.numerator) / q.denominator
    return mpf(q)


def fail(msg):
    failures.append(msg)


# ------------------------------------------------------------------
# The network, and the factors of a path.

class Net:
    def __init__(self, acts, W, b, samples, mean):
        self.acts = acts
        self.W = [[[Fraction(v) for v in row] for row in w] for w in W]
        self.b = [None if v is None else [Fraction(t) for t in v]
                  for v in b]
        self.X0 = [[Fraction(v) for v in x] for x, _ in samples]
        self.Y = [[Fraction(v) for v in y] for _, y in samples]
        self.mean = mean
        self.L = len(acts)
        self.sizes = [len(self.X0[0])] + [len(w) for w in W]

    def forward(self, x, W=None, b=None):
        """Y^l and X^l (l = 1..L; index 0: the input) of input X."""
        W = self.W if W is None else W
        b = self.b if b is None else b
        X, Y = [[mq(v) for v in x]], [None]
        for l, act in enumerate(self.acts):
            y = [sum(mq(w) * t for w, t in zip(row, X[-1]))
                 + (mq(b[l][i]) if b[l] is not None else 0)
                 for i, row in enumerate(W[l])]
            if act == "relu":
                assert all(t != 0 for t in y), "a relu at its kink"
                X.append([t if t > 0 else mpf(0) for t in y])
            elif act == "softmax":
                e = [mpmath.exp(t) for t in y]
                X.append([t / sum(e) for t in e])
            else:
                raise ValueError(act)
            Y.append(y)
        return X, Y

    def loss(self, W=None, b=None):
        total = 0
        for x, y in zip(self.X0, self.Y):
            X, _ = self.forward(x, W, b)
            total += -sum(mq(t) * mpmath.log(v)
                          for t, v in zip(y, X[-1]) if t != 0)
        return total / len(self.X0) if self.mean else total


class Factor:
    """A factor of a path: its value; Q, the same as a Fraction when the
    document can print it exactly (a rational function of the file's
    data), else None; LABEL (q, k, k') for an entry of a softmax's
    Jacobian, else None."""

    def __init__(self, value, q=None, label=None):
        self.value, self.q, self.label = value, q, label


def exact_forward(net, x):
    """X^0 .. X^p exactly, as far as the activations are rational (relu):
    the document prints those inputs of a weight exactly."""
    X = [list(x)]
    for l, act in enumerate(net.acts):
        if act != "relu":
            break
        y = [sum(w * t for w, t in zip(row, X[-1]))
             + (net.b[l][i] if net.b[l] is not None else 0)
             for i, row in enumerate(net.W[l])]
        X.append([max(t, Fraction(0)) for t in y])
    return X


def paths(net, l, i, j):
    """Every path of w^l_ij (0-based i, j; j = N_{l-1}: the bias) in the
    document's order: the sample slowest, then the indices met going up
    from the weight (k_l at a softmax, k'_q, k_q), the output's fastest;
    each a list of Factors: the seed, then per layer from the output
    down the derivative and the weight crossed, last the input."""
    L, sizes = net.L, net.sizes
    out = []
    for x, y in zip(net.X0, net.Y):
        X, Y = net.forward(x)
        XQ = exact_forward(net, x)
        # The choices of indices, going up: (layer, 'x' for k_q or 'y'
        # for k'_q).
        slots = []
        if net.acts[l - 1] == "softmax":
            slots.append((l, "x"))
        for q in range(l + 1, L + 1):
            if net.acts[q - 1] == "softmax":
                slots.append((q, "y"))
            slots.append((q, "x"))
        for choice in itertools.product(*[range(sizes[q]) for q, _ in slots]):
            k, ky = {l: i}, {l: i}
            for (q, side), v in zip(slots, choice):
                (k if side == "x" else ky)[q] = v
            for q in range(l + 1, L + 1):
                ky.setdefault(q, k[q])
            kL = k[L]
            # The categorical cross-entropy's seed -y_k / X^L_k: exactly
            # 0 where y_k = 0.
            f = [Factor(-mq(y[kL]) / X[L][kL],
                        Fraction(0) if y[kL] == 0 else None)]
            for q in range(L, l - 1, -1):
                a, c = k[q], ky[q]
                if net.acts[q - 1] == "softmax":
                    sm = X[q]
                    f.append(Factor(sm[a] * ((1 if a == c else 0) - sm[c]),
                                    None, (q, a + 1, c + 1)))
                else:
                    on = Fraction(1 if Y[q][a] > 0 else 0)
                    f.append(Factor(mq(on), on))
                if q > l:
                    w = net.W[q - 1][c][k[q - 1]]
                    f.append(Factor(mq(w), w))
            if j == sizes[l - 1]:
                f.append(Factor(mpf(1), Fraction(1)))
            elif l - 1 < len(XQ):
                f.append(Factor(mq(XQ[l - 1][j]), XQ[l - 1][j]))
            else:
                f.append(Factor(X[l - 1][j]))
            out.append(f)
    return out


def path_sum(net, l, i, j):
    total = sum(mpmath.fprod(f.value for f in p) for p in paths(net, l, i, j))
    return total / len(net.X0) if net.mean else total


def numeric_derivative(net, l, i, j):
    """dJ/dw^l_ij of J itself, by mpmath's numerical differentiation."""
    def J(t):
        W = [[list(row) for row in w] for w in net.W]
        b = [None if v is None else list(v) for v in net.b]
        if j == net.sizes[l - 1]:
            b[l - 1][i] = t
        else:
            W[l - 1][i][j] = t
        return net.loss(W, b)
    w0 = net.b[l - 1][i] if j == net.sizes[l - 1] else net.W[l - 1][i][j]
    return mpmath.diff(J, mq(w0))


# ------------------------------------------------------------------
# The document's number rules (doc/math notes, src/latex-number.c):
# an exact value as its decimal when it terminates within 12 digits,
# trailing zeros stripped; anything else correctly rounded to exactly
# DIGITS significant digits, trailing zeros kept (each is certified);
# negative factors in parentheses.

def decimal_text(d):
    """D (a Decimal) positionally, trailing zeros stripped."""
    t = format(d.normalize(), "f")
    return "0" if t in ("0", "-0") else t


def rounded(x, digits):
    if x == 0:
        return "0"
    d = Decimal(mpmath.nstr(x, 45, strip_zeros=False, min_fixed=-mp.inf,
                            max_fixed=mp.inf))
    e = d.adjusted()
    r = d.quantize(Decimal(1).scaleb(e - digits + 1), ROUND_HALF_EVEN)
    if r.adjusted() != e:           # 9.99.. rounded up to 10
        r = d.quantize(Decimal(1).scaleb(e - digits + 2), ROUND_HALF_EVEN)
    # Positional only: the a\times10^{k} form is not needed by these nets.
    assert -4 <= r.adjusted() < digits, "not in positional range: %s" % r
    return format(r, "f")


def exact_text(q):
    d = Decimal(q.numerator) / Decimal(q.denominator)
    assert d * q.denominator == q.numerator, "not a terminating decimal"
    return decimal_text(d)


def factor_text(f, digits):
    t = exact_text(f.q) if f.q is not None else rounded(f.value, digits)
    if t.startswith("-"):
        t = "(%s)" % t
    if f.label is not None:
        q, a, c = f.label
        t = ("{\\underbrace{%s}_{\\partial X^{%d}_{%d}/\\partial "
             "Y^{%d}_{%d}}}" % (t, q, a, q, c))
    return t


# ------------------------------------------------------------------
# The document.

def section(doc, name):
    head = "\\section{The chain rule for $%s$}" % name
    if head not in doc:
        return None
    s = doc[doc.index(head):]
    end = s.find("\\section{", len(head))
    return s if end < 0 else s[:end]


def check_chain(net, name, doc, l, i, j, digits):
    """The section of w^l_ij (1-based) in DOC against the paths here."""
    L = net.L
    bias = j == net.sizes[l - 1] + 1
    wname = ("b^{%d}_{%d}" % (l, i) if bias else
             "w^{%d}_{%d%s%d}" % (l, i, "," if i > 9 or j > 9 else "", j))
    what = "%s %s (%d digits)" % (name, wname, digits)
    sec = section(doc, wname)
    if sec is None:
        fail("%s: no section" % what)
        return
    ps = paths(net, l, i - 1, j - 1)
    value = path_sum(net, l, i - 1, j - 1)
    # The reference itself: the paths' sum is the derivative of J.
    d = numeric_derivative(net, l, i - 1, j - 1)
    if abs(value - d) > mpf(10) ** -30 * max(abs(d), 1):
        fail("%s: the path sum here %s is not dJ/dw %s" % (what, value, d))
    if all(any(f.q == 0 for f in p) for p in ps):
        raise AssertionError("%s: an exact 0: choose another weight" % what)

    # The symbolic sum: its softmax factors dX^q_{k_q}/dY^q_{k'_q} (Y's
    # index the weight's row at its own layer), the sums over k and k'.
    for q in range(l, L + 1):
        if net.acts[q - 1] != "softmax":
            continue
        ky = "%d" % i if q == l else "k'_{%d}" % q
        want = ("\\frac{\\partial X^{%d}_{k_{%d}}}{\\partial Y^{%d}_{%s}}"
                % (q, q, q, ky))
        if want not in sec:
            fail("%s: the symbolic factor %s missing" % (what, want))
        if q > l and ("\\sum_{k'_{%d}=1}^{%d}" % (q, net.sizes[q])) not in sec:
            fail("%s: no sum over k'_%d" % (what, q))
        if "the entry $(k_{%d}, %s)$ of the Jacobian" % (q, ky) not in sec:
            fail("%s: the softmax factor is not explained" % what)

    # Every path's product, in order.
    lines = sec.split("\\\\\n")
    try:
        start = next(n for n, t in enumerate(lines)
                     if t.startswith("&\\approx ") or t.startswith("&= "))
        stop = next(n for n, t in enumerate(lines) if n > start
                    and not t.startswith("  &\\quad "))
    except StopIteration:
        fail("%s: no sum with numbers" % what)
        return
    numbers = lines[start].split(" ", 1)[1] + "".join(
        t[len("  &\\quad "):] for t in lines[start + 1:stop])
    if net.mean:
        pre, post = "\\frac{1}{%d}\\bigl(" % len(net.X0), "\\bigr)"
        if not (numbers.startswith(pre) and numbers.endswith(post)):
            fail("%s: the mean's 1/m is missing: %s" % (what, numbers[:40]))
        numbers = numbers[len(pre):len(numbers) - len(post)]
    got = [t.strip() for t in numbers.split(" + ")]
    want = ["\\cdot ".join(factor_text(f, digits) for f in p) for p in ps]
    if got != want:
        for n, (g, w) in enumerate(zip(got, want)):
            if g != w:
                fail("%s: path %d is %s, expected %s" % (what, n + 1, g, w))
                break
        else:
            fail("%s: %d paths printed, %d expected"
                 % (what, len(got), len(want)))

    # The value, twice: as the sum, and as the gradient's entry.
    v = rounded(value, digits)
    if "&\\approx %s\\\\\n" % v not in sec:
        fail("%s: the sum's value %s missing" % (what, v))
    if "\\bigr)_{%d%s%d} \\approx %s" % (
            i, "," if i > 9 or j > 9 else "", j, v) not in sec:
        fail("%s: the gradient's entry %s missing" % (what, v))
    if "DISAGREES" in sec:
        fail("%s: the document says the chain rule disagrees" % what)


def main(argv):
    explain, top = argv[1], argv[2]
    for name, (path, acts, W, b, samples, mean) in NETS.items():
        net = Net(acts, W, b, samples, mean)
        chains = [(l, i, j) for l in range(1, net.L + 1)
                  for i in range(1, net.sizes[l] + 1)
                  for j in range(1, net.sizes[l - 1] + 1
                                 + (net.b[l - 1] is not None))]
        for digits in (6, 15):
            run = subprocess.run(
                [explain, "--no-diagram", "--max-show=0",
                 "--digits=%d" % digits]
                + ["--chain=%d,%d,%d" % c for c in chains]
                + [os.path.join(top, path)],
                capture_output=True, text=True)
            if run.returncode != 0:
                fail("%s: fadj-explain exit %d: %s"
                     % (name, run.returncode, run.stderr.strip()))
                continue
            for l, i, j in chains:
                check_chain(net, name, run.stdout, l, i, j, digits)
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
