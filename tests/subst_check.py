#!/usr/bin/env python3
"""subst_check.py -- the substitutions fadj-explain writes out, against
numbers computed here.

    python3 subst_check.py FADJ_EXPLAIN TOP_SRCDIR

The networks are restated below from their files (the numbers come from
the mathematics, in 40-digit mpmath arithmetic and exact fractions, not
from fadj).  Each expected piece of LaTeX is built from them, every
inexact number rounded here to 6 significant digits (ties to even), and
must appear in the document fadj-explain writes:

- examples/boughammoura-a221.net (sigmoid): sigma'(Y^l) written as
  X (1 - X) with the numbers, then its value;
- examples/softmax-classifier.net (relu, softmax, categorical
  cross-entropy, two samples): the exponentials of the first sample and
  their sum, each X_k as e^{Y_k} over the sum, the loss's ln terms and
  their values, the seed's entries -y/x of the first sample, and the
  softmax Jacobian's entries x_k (delta_kj - x_j) with their values;
- tests/subst-bce.net (tanh, sigmoid, binary cross-entropy): 1 - x^2
  with a negative x in parentheses, the term -ln(1 - x), the seed
  (x - y) / (x (1 - x));
- tests/subst-acts.net: sigma' of softplus (1 / (1 + e^{-y})), elu at a
  negative y (e^{y}), silu (s (1 + y (1 - s)), s the logistic of y),
  gelu (Phi(y) + y phi(y)) and softsign (1 / (1 + |y|)^2).

Trailing zeros of decimals are ignored on both sides (the number of
digits shown is another rule's business; the digits shown are this
test's), and so are the line breaks inside a step.  Prints one line per failure and exits 1 if there was one.
"""

import re
import subprocess
import sys
from decimal import Decimal, ROUND_HALF_EVEN
from fractions import Fraction as F

from mpmath import mp, mpf, exp, log, tanh

mp.dps = 40
failures = []


def sig(x, n=6):
    """X rounded to N significant digits, as a plain decimal string
    without trailing zeros."""
    d = Decimal(mp.nstr(mpf(x), 35, strip_zeros=False, min_fixed=-50,
                        max_fixed=50))
    if d == 0:
        return "0"
    q = Decimal(1).scaleb(d.adjusted() - n + 1)
    r = d.quantize(q, rounding=ROUND_HALF_EVEN)
    s = format(r, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def exact(q):
    """An exact rational as fadj prints a short decimal."""
    q = F(q)
    s = format(Decimal(q.numerator) / Decimal(q.denominator), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def paren(s):
    return "(" + s + ")" if s.startswith("-") else s


def normalise(tex):
    """Strip the trailing zeros of every decimal in TEX, and join the
    lines a display's step is broken into (where it breaks is the
    layout's business, not this test's)."""
    tex = re.sub(r"\\\\\n\s*&\s*", " ", tex)
    return re.sub(r"(\d+\.\d*?)0+(?!\d)",
                  lambda m: m.group(1).rstrip("."), tex)


def run(explain, args):
    p = subprocess.run([explain] + args, capture_output=True, text=True)
    if p.returncode != 0:
        failures.append("%s exited %d: %s" % (args, p.returncode, p.stderr))
        return ""
    return normalise(p.stdout)


def expect(doc, what, piece):
    if piece not in doc:
        failures.append("%s: missing %r" % (what, piece))


def matvec(w, b, x):
    return [sum(wi * xi for wi, xi in zip(row, x)) + bi
            for row, bi in zip(w, b)]


def sigmoid(t):
    return 1 / (1 + exp(-t))


def check_a221(explain, top):
    doc = run(explain, ["--no-diagram", top + "/examples/boughammoura-a221.net"])
    y1 = matvec([[1, -1], [-1, 1]], [1, -1], [0, 0])
    x1 = [sigmoid(t) for t in y1]
    y2 = matvec([[1, -1]], [1], x1)
    x2 = [sigmoid(t) for t in y2]
    # sigma'(Y^2) = X^2 (1 - X^2): 0.811856 (1 - 0.811856) ~ 0.152746.
    expect(doc, "a221 sigma'(Y^2)",
           r"X^{2} \odot (1 - X^{2}) \approx \begin{bmatrix}%s \cdot (1 - %s)"
           r"\end{bmatrix} \approx \begin{bmatrix}%s\end{bmatrix}"
           % (sig(x2[0]), sig(x2[0]), sig(x2[0] * (1 - x2[0]))))
    expect(doc, "a221 sigma'(Y^1)",
           r"\begin{bmatrix}%s \cdot (1 - %s)\\ %s \cdot (1 - %s)\end{bmatrix}"
           r" \approx \begin{bmatrix}%s\\ %s\end{bmatrix}"
           % (sig(x1[0]), sig(x1[0]), sig(x1[1]), sig(x1[1]),
              sig(x1[0] * (1 - x1[0])), sig(x1[1] * (1 - x1[1]))))


def check_softmax(explain, top):
    doc = run(explain, ["--no-diagram",
                        top + "/examples/softmax-classifier.net"])
    samples = [([F(1), F(1, 2)], [0, 1, 0]), ([F(-1, 2), F(1)], [1, 0, 0])]
    w1 = [[F(1), F(-1)], [F(1, 2), F(1)], [F(-1), F(1, 2)]]
    b1 = [F(0), F(1, 2), F(1, 4)]
    w2 = [[F(1), F(1, 2), F(-1)], [F(-1, 2), F(3, 2), F(1, 2)],
          [F(1, 4), F(-1), F(1)]]
    ys, xs = [], []
    for x0, _ in samples:
        x1 = [max(F(0), t) for t in matvec(w1, b1, x0)]
        y2 = matvec(w2, [0, 0, 0], x1)      # exact rationals
        e = [exp(mpf(t.numerator) / t.denominator) for t in y2]
        ys.append(y2)
        xs.append([v / sum(e) for v in e])
    y2, x2 = ys[0], xs[0]
    e = [exp(mpf(t.numerator) / t.denominator) for t in y2]
    s = sum(e)
    # The exponentials of sample 1 and their sum.
    expect(doc, "softmax exponentials",
           r"\sum_{k} e^{Y^{2,(1)}_{k}} & = "
           + " + ".join("e^{%s}" % exact(t) for t in y2))
    expect(doc, "softmax exponentials' values",
           " + ".join(sig(v) for v in e) + r" \approx " + sig(s))
    expect(doc, "softmax X_k = e^{Y_k} / sum",
           r"\begin{bmatrix}"
           + r"\\ ".join(r"\dfrac{%s}{%s}" % (sig(v), sig(s)) for v in e)
           + r"\end{bmatrix} \approx \begin{bmatrix}"
           + r"\\ ".join(sig(v) for v in x2) + r"\end{bmatrix}")
    # The loss: -ln of the labelled outputs, their values, J.
    terms = [(xs[k][samples[k][1].index(1)]) for k in range(2)]
    expect(doc, "cross-entropy ln terms",
           r"\approx " + " ".join(r"-\ln %s" % sig(x) for x in terms))
    expect(doc, "cross-entropy values",
           r"\approx " + " + ".join(sig(-log(x)) for x in terms)
           + r" \approx " + sig(sum(-log(x) for x in terms)))
    # The seed of sample 1: -y/x entry by entry.
    expect(doc, "categorical seed",
           r"\begin{bmatrix}"
           + r"\\ ".join(r"-\dfrac{%d}{%s}" % (y, sig(x))
                         for y, x in zip(samples[0][1], x2))
           + r"\end{bmatrix} \approx \begin{bmatrix}"
           + r"\\ ".join(sig(-y / x) for y, x in zip(samples[0][1], x2))
           + r"\end{bmatrix}")
    # The Jacobian of sample 1: x_k (delta_kj - x_j), then its values.
    rows, vals = [], []
    for k in range(3):
        rows.append(" & ".join(
            r"%s \cdot (%d - %s)" % (sig(x2[k]), k == j, sig(x2[j]))
            for j in range(3)))
        vals.append(" & ".join(sig(x2[k] * ((k == j) - x2[j]))
                               for j in range(3)))
    expect(doc, "softmax Jacobian entries",
           r"\begin{bmatrix}" + r"\\ ".join(rows) + r"\end{bmatrix}")
    expect(doc, "softmax Jacobian values",
           r"\begin{bmatrix}" + r"\\ ".join(vals) + r"\end{bmatrix}")


def check_bce(explain, top):
    doc = run(explain, ["--no-diagram", top + "/tests/subst-bce.net"])
    y1 = matvec([[1, mpf("0.5")], [2, 1]], [mpf("-0.25"), mpf("0.5")],
                [mpf("0.5"), -1])
    x1 = [tanh(t) for t in y1]
    y2 = matvec([[mpf("1.5"), -1]], [mpf("0.25")], x1)
    x = sigmoid(y2[0])
    expect(doc, "tanh' with a negative value",
           r"\begin{bmatrix}1 - %s^{2}\\ 1 - %s^{2}\end{bmatrix} \approx "
           r"\begin{bmatrix}%s\\ %s\end{bmatrix}"
           % (paren(sig(x1[0])), paren(sig(x1[1])),
              sig(1 - x1[0] ** 2), sig(1 - x1[1] ** 2)))
    expect(doc, "binary cross-entropy term",
           r"\approx -\ln(1 - %s) \approx %s" % (sig(x), sig(-log(1 - x))))
    expect(doc, "binary cross-entropy seed",
           r"\dfrac{%s - 0}{%s \cdot (1 - %s)}\end{bmatrix} \approx "
           r"\begin{bmatrix}%s\end{bmatrix}"
           % (sig(x), sig(x), sig(x), sig(x / (x * (1 - x)))))


def check_acts(explain, top):
    """sigma' of softplus, elu (a = 1, at a negative argument), silu,
    gelu and softsign, one neuron each (tests/subst-acts.net)."""
    doc = run(explain, ["--no-diagram", top + "/tests/subst-acts.net"])
    phi = lambda t: exp(-t * t / 2) / mp.sqrt(2 * mp.pi)
    Phi = lambda t: (1 + mp.erf(t / mp.sqrt(2))) / 2
    y1 = mpf("0.5") * 1 + (-1) * 1
    x1 = log(1 + exp(y1))
    y2 = -2 * x1
    x2 = exp(y2) - 1
    y3 = x2
    s3 = sigmoid(y3)
    x3 = y3 * s3
    y4 = x3
    x4 = y4 * Phi(y4)
    y5 = x4
    ay5 = abs(y5)

    def entry(what, tex, value):
        expect(doc, what, r"\begin{bmatrix}%s\end{bmatrix} \approx "
               r"\begin{bmatrix}%s\end{bmatrix}" % (tex, sig(value)))

    entry("softplus'", r"\dfrac{1}{1 + e^{%s}}" % exact(F(1, 2)),
          1 / (1 + exp(-y1)))
    entry("elu' at a negative argument", "e^{%s}" % sig(y2), exp(y2))
    entry("silu'", r"%s \cdot \bigl(1 + %s \cdot (1 - %s)\bigr)"
          % (sig(s3), paren(sig(y3)), sig(s3)), s3 * (1 + y3 * (1 - s3)))
    entry("gelu'", r"\Phi(%s) + %s\,\varphi(%s)"
          % (sig(y4), paren(sig(y4)), sig(y4)), Phi(y4) + y4 * phi(y4))
    entry("softsign'", r"\dfrac{1}{(1 + %s)^{2}}" % sig(ay5),
          1 / (1 + ay5) ** 2)


def main():
    explain, top = sys.argv[1], sys.argv[2]
    check_a221(explain, top)
    check_softmax(explain, top)
    check_bce(explain, top)
    check_acts(explain, top)
    for f in failures:
        print("FAIL: " + f)
    print("subst_check.py: %d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
