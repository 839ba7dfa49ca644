#!/usr/bin/env python3
"""numbers_check.py -- the numbers of fadj-explain's documents.

Usage: numbers_check.py FADJ_EXPLAIN SRCDIR; prints one "FAIL: ..." line per
failure, and exits 1 if there is one.

  - J of A. Boughammoura's A[2,2,1] at 6 digits, and Mazur's dJ/db^2 (the
    sum of the two outputs' deltas), computed here in 50-digit arithmetic
    (mpmath) and rounded to 6 significant digits with the trailing zeros:
    0.0176990 and 0.100400, not 0.017699 and 0.1004;
  - every rounded value has exactly N significant digits, N = 3, 6, 15,
    on several examples and modes: each document is written at N and at
    N + 1 digits, and the numbers of the two are paired in order; an
    exact value is the same in both, a rounded one differs, and must have
    N digits in the one and N + 1 in the other (so a trailing zero
    dropped, or a digit too many, is caught whatever the value);
  - the carried values of --carry=D have exactly D decimals, each one
    the exact carried value (checked against the derivation of the
    rational relu-rational redone here with D-decimal rounding);
  - a network written in fractions: its fractions under --numbers=auto
    (and a computed value in fractions too, the file's form), decimals
    under --numbers=decimals, the exact values from Python's fractions.
"""

import difflib
import re
import subprocess
import sys
from fractions import Fraction

from mpmath import mp, mpf, exp, nstr

mp.dps = 50
FAILS = []


def fail(msg):
    FAILS.append(msg)
    print("FAIL: " + msg)


def run(prog, *args):
    r = subprocess.run([prog, "--fragment", *args], capture_output=True,
                       text=True)
    if r.returncode != 0:
        fail("%s: exit %d: %s" % (" ".join(args), r.returncode,
                                  r.stderr.strip()[:200]))
    return r.stdout


def sig6(x):
    """X to 6 significant digits, trailing zeros kept, positional."""
    return nstr(x, 6, strip_zeros=False, min_fixed=-5, max_fixed=6)


def sigmoid(t):
    return 1 / (1 + exp(-t))


def known_values(prog, src):
    # A[2,2,1]: x = (0, 0), y = 1, W^1 = [1 -1 | 1; -1 1 | -1],
    # W^2 = [1 -1 | 1]: X^1 = (s(1), s(-1)), X^2 = s(X^1_1 - X^1_2 + 1).
    x2 = sigmoid(sigmoid(1) - sigmoid(-1) + 1)
    j = (x2 - 1) ** 2 / 2
    want = sig6(j)
    if want != "0.0176990":
        fail("mpmath: J = %s" % want)
    doc = run(prog, src + "/examples/boughammoura-a221.net")
    # (The line may end in its equation number, \tag{N}.)
    if not re.search(r"\n?J &=.*\\approx %s(?: \\tag\{\d+\})?\n"
                     % re.escape(want), doc):
        fail("boughammoura-a221: J \\approx %s not found" % want)

    # Mazur: dJ/db^2 = sum_i (o_i - y_i) o_i (1 - o_i).
    x = [mpf("0.05"), mpf("0.10")]
    w1 = [[mpf("0.15"), mpf("0.20")], [mpf("0.25"), mpf("0.30")]]
    w2 = [[mpf("0.40"), mpf("0.45")], [mpf("0.50"), mpf("0.55")]]
    y = [mpf("0.01"), mpf("0.99")]
    h = [sigmoid(w1[i][0] * x[0] + w1[i][1] * x[1] + mpf("0.35"))
         for i in range(2)]
    o = [sigmoid(w2[i][0] * h[0] + w2[i][1] * h[1] + mpf("0.60"))
         for i in range(2)]
    db2 = sum((o[i] - y[i]) * o[i] * (1 - o[i]) for i in range(2))
    want = sig6(db2)
    if want != "0.100400":
        fail("mpmath: dJ/db2 = %s" % want)
    doc = run(prog, src + "/examples/mazur.net")
    line = [re.sub(r" \\tag\{\d+\}$", "", l) for l in doc.split("\n")
            if l.startswith("\\frac{\\partial J}{\\partial b^{2}} &= \\sum")]
    if len(line) != 1 or not line[0].endswith("\\approx " + want):
        fail("mazur: dJ/db^2 \\approx %s not found: %s" % (want, line))


NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:\\times10\^\{-?[0-9]+\})?")


def significant(tok):
    """The significant digits of a printed number, as written."""
    m = tok.lstrip("-").split("\\times")[0].replace(".", "")
    return len(m.lstrip("0")) or 1


def decimals(doc):
    """The numbers of DOC with a decimal point or an exponent: the values
    (the integers are indices, labels and the precision, whose number
    depends on the layout; no value of these examples is 100 or more)."""
    return [t for t in NUMBER.findall(doc) if "." in t or "times" in t]


def digit_counts(prog, src):
    cases = [
        ("boughammoura-a221", []), ("boughammoura-a221", ["--symbolic"]),
        ("mazur", []), ("mazur", ["--steps=2"]),
        ("mazur", ["--chain=1,1,1"]), ("mazur", ["--bias=separate"]),
        ("hmkcode", []), ("xor-batch", ["--steps=1"]),
        ("softmax-classifier", []), ("softmax-classifier", ["--carry=2"]),
    ]
    checked = 0
    for n in (3, 6, 15):
        for name, mode in cases:
            f = "%s/examples/%s.net" % (src, name)
            a = decimals(run(prog, "--digits=%d" % n, *mode, f))
            b = decimals(run(prog, "--digits=%d" % (n + 1), *mode, f))
            what = "%s %s --digits=%d" % (name, " ".join(mode), n)
            # The two documents are aligned number by number: the layout
            # may differ where a display fits at n digits and not at
            # n + 1 (a substitution written in full, or entry by entry),
            # so only runs of equal length are paired; the exact values
            # are the numbers that stay the same.
            pairs = []
            for op, i1, i2, j1, j2 in difflib.SequenceMatcher(
                    None, a, b, autojunk=False).get_opcodes():
                if op == "replace" and i2 - i1 == j2 - j1:
                    pairs.extend(zip(a[i1:i2], b[j1:j2]))
            for u, v in pairs:
                checked += 1
                if significant(u) != n or significant(v) != n + 1:
                    fail("%s: %s (and %s at %d digits) has %d significant "
                         "digits" % (what, u, v, n + 1, significant(u)))
                    break
    if checked < 1000:
        fail("only %d rounded values checked" % checked)


def round_half_away(x, d):
    s = 10 ** d
    q = abs(x) * s
    r = int(q) + (1 if q - int(q) >= Fraction(1, 2) else 0)
    return Fraction(r if x >= 0 else -r, s)


def carried_rows(prog, src, name, d):
    """The carried values of --carry=D, (quantity, TeX) by row, each of
    their numbers checked to have exactly D decimals."""
    doc = run(prog, "--carry=%d" % d, "%s/examples/%s.net" % (src, name))
    sec = doc[doc.find("Textbook rounding"):]
    carried = re.findall(r"\n([^&\n]*) &= (.*?)(?:\\\\\n &)?\\quad\\text{exact",
                         sec)
    if len(carried) < 10:
        fail("carry %s: %d carried rows" % (name, len(carried)))
    for q, tex in carried:
        for tok in NUMBER.findall(tex):
            frac = tok.split(".")[1] if "." in tok else ""
            if len(frac) != d:
                fail("carry %s: %s: %s has not %d decimals"
                     % (name, q, tok, d))
    return carried


def carry_places(prog, src):
    carried_rows(prog, src, "mazur", 3)
    carried_rows(prog, src, "softmax-classifier", 2)
    # relu-rational carried to 1 decimal: rational throughout, so the
    # carried derivation is redone here exactly (halves away from zero).
    d = 1
    carried = carried_rows(prog, src, "relu-rational", d)
    r = lambda x: round_half_away(x, d)
    F = Fraction
    x0 = [F(1, 2), F(-1)]
    w1 = [[F(1, 2), F(-1, 3)], [F(-1), F(1, 4)], [F(2), F(1, 2)]]
    b1 = [F(1, 4), F(-1, 4), F(1, 10)]
    y1 = [r(w1[i][0] * x0[0] + w1[i][1] * x0[1] + b1[i]) for i in range(3)]
    x1 = [max(v, 0) for v in y1]
    y2 = r(x1[0] - 2 * x1[1] + F(1, 2) * x1[2] - F(1, 5))
    want = {"Y^{1}": y1, "X^{1}": x1, "Y^{2}": [y2],
            "J": [r((y2 - F(1, 2)) ** 2 / 2)]}
    for name, tex in carried:
        if name in want:
            got = [F(t) for t in NUMBER.findall(tex)]
            if got != want[name]:
                fail("carry: %s = %s, expected %s" % (name, got, want[name]))
            del want[name]
    if want:
        fail("carry: rows not found: %s" % list(want))


def dfrac(q):
    s = "-" if q < 0 else ""
    return "%s\\dfrac{%d\\mathstrut}{%d\\mathstrut}" % (s, abs(q.numerator),
                                                        q.denominator)


def decimal(q):
    """An exact decimal of q (a terminating one), as fadj writes it."""
    s = "%.12f" % q
    return s.rstrip("0").rstrip(".")


def fractions(prog, tmp):
    F = Fraction
    w = [F(1, 2), F(-2, 5)]
    y = F(-1, 3)
    y1 = w[0] + w[1]            # input (1, 1): 1/10, terminating
    xs = y1 - y                 # the seed, 13/30
    net = tmp + "/fractions.net"
    with open(net, "w") as f:
        f.write("input [1, 1]\ntarget [-1/3]\nlayer identity\n"
                "  weights [1/2 -2/5]\nloss half_squared\n")
    doc = run(prog, "--numbers=auto", net)
    wtex = "W^{1} &= \\begin{bmatrix}%s & %s\\end{bmatrix}" % (dfrac(w[0]),
                                                                dfrac(w[1]))
    for want, what in ((wtex, "W^1 as written"),
                       ("y = \\begin{bmatrix}%s\\end{bmatrix}" % dfrac(y),
                        "the target"),
                       ("= \\begin{bmatrix}%s\\end{bmatrix}" % dfrac(y1),
                        "Y^1 = 1/10, computed, in the file's form")):
        if want not in doc:
            fail("fractions, auto: %s: %s not found" % (what, want))
    for no in ("0.5", "-0.4", "0.1"):
        if re.search(r"[^0-9.]%s[^0-9]" % re.escape(no), doc):
            fail("fractions, auto: %s printed" % no)
    doc = run(prog, "--numbers=decimals", net)
    wtex = "W^{1} &= \\begin{bmatrix}%s & %s\\end{bmatrix}" % (decimal(w[0]),
                                                                decimal(w[1]))
    if wtex not in doc:
        fail("fractions, decimals: %s not found" % wtex)
    if "\\begin{bmatrix}%s\\end{bmatrix}" % decimal(y1) not in doc:
        fail("fractions, decimals: Y^1 = %s not found" % decimal(y1))
    # 13/30 does not terminate: rounded, marked, 6 digits.
    if "\\approx \\begin{bmatrix}%s\\end{bmatrix}" % sig6(mpf(xs.numerator)
                                                          / xs.denominator) \
            not in doc:
        fail("fractions, decimals: the seed \\approx %s not found"
             % sig6(mpf(xs.numerator) / xs.denominator))
    if "The F-adjoint" not in doc or "dfrac" in doc.split("The F-adjoint")[1]:
        fail("fractions, decimals: a fraction among the computed values")


def main():
    prog, src, tmp = sys.argv[1], sys.argv[2], sys.argv[3]
    known_values(prog, src)
    digit_counts(prog, src)
    carry_places(prog, src)
    fractions(prog, tmp)
    sys.exit(1 if FAILS else 0)


if __name__ == "__main__":
    main()
