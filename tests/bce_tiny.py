#!/usr/bin/env python3
"""bce_tiny.py AUDIT TMPDIR -- a sigmoid output under binary
cross-entropy (loss cross_entropy) with pre-activations y = w a of large
magnitude, where s = sigma(y) lies within e^-|y| of 1 or 0: fadj-audit
must certify J, the weight gradient and the input gradient to its 30
digits, with the full check and with the directional one, not print them
as "0, not proven" nor run out of precision (bce-tiny.sh then has
fadj-explain derive the same files).  The reference is computed here with
mpmath from closed forms that never subtract numbers close to 1 (one
layer, weight w, no bias, input a, target t in {0, 1}):
  J      = t softplus(-y) + (1 - t) softplus(y)
  s - t  = -sigma(-y) (t = 1),  sigma(y) (t = 0)
  dJ/dw  = sum over samples of (s - t) a
  dJ/da  = (s - t) w
with softplus(z) = log1p(e^z) for z <= 0, z + log1p(e^-z) above, and
sigma(z) = 1 / (1 + e^-z).  At y = 10^5, 1 - s = e^-100000 is no
interval's difference from 1 below 144 270 bits: the program must take
it as sigma(-y).  Exit 77 without mpmath."""

import os
import sys
from fractions import Fraction

try:
    import mpmath
except ImportError:
    sys.exit(77)

sys.dont_write_bytecode = True    # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tiny_check  # noqa: E402

mpmath.mp.dps = 80
audit, tmp = sys.argv[1], sys.argv[2]

# (title, weight, samples [(input a, target t)])
CASES = [
    ("y = 40, target 1", Fraction(40), [(Fraction(1), 1)]),
    ("y = 40, target 0", Fraction(40), [(Fraction(1), 0)]),
    ("y = -40, target 0", Fraction(-40), [(Fraction(1), 0)]),
    ("y = -40, target 1", Fraction(-40), [(Fraction(1), 1)]),
    ("y = 50, target 1", Fraction(50), [(Fraction(1), 1)]),
    ("y = -50, target 0", Fraction(-50), [(Fraction(1), 0)]),
    ("y = 50 and -50, two samples", Fraction(25, 2),
     [(Fraction(4), 1), (Fraction(-4), 0)]),
    ("y = 1000, target 1", Fraction(1000), [(Fraction(1), 1)]),
    ("y = 1000, target 0", Fraction(1000), [(Fraction(1), 0)]),
    ("y = -1000, target 1", Fraction(-1000), [(Fraction(1), 1)]),
    ("y = -100000, target 1", Fraction(-10**5), [(Fraction(1), 1)]),
    # ln (1 - s) of an s = e^-|y| tightened with log1p (-s) (loss.c).
    ("y = -1000, target 0", Fraction(-1000), [(Fraction(1), 0)]),
    ("y = -100000, target 0", Fraction(-10**5), [(Fraction(1), 0)]),
    ("y = -100000 and 40, two samples, target 0", Fraction(-10**5),
     [(Fraction(1), 0), (Fraction(-1, 2500), 0)]),
    # 1 - s of an s within e^-100000 of 1 taken as sigma(-y) (act.c's
    # fadj_sigmoid_complement): before, exit 3 at 65536 bits.
    ("y = 100000, target 1", Fraction(10**5), [(Fraction(1), 1)]),
    ("y = 100000, target 0", Fraction(10**5), [(Fraction(1), 0)]),
    ("y = 100000 and -40, two samples", Fraction(10**5),
     [(Fraction(1), 0), (Fraction(-1, 2500), 1)]),
    ("y = 1000, target 1, 200 digits of 1 - s", Fraction(1000),
     [(Fraction(1), 1), (Fraction(1, 10), 0)]),
]


def mpq(q):
    return mpmath.mpf(q.numerator) / q.denominator


def sigma(z):
    return 1 / (1 + mpmath.exp(-z))


def softplus(z):
    if z <= 0:
        return mpmath.log1p(mpmath.exp(z))
    return z + mpmath.log1p(mpmath.exp(-z))


def reference(w, samples):
    J = mpmath.mpf(0)
    gw = mpmath.mpf(0)
    ga = []
    for a, t in samples:
        y = mpq(w * a)
        J += softplus(-y) if t == 1 else softplus(y)
        diff = -sigma(-y) if t == 1 else sigma(y)
        gw += diff * mpq(a)
        ga.append(diff * mpq(w))
    return J, gw, ga


def audit_case(title, w, samples, path, check):
    """The failures of fadj-audit --check=CHECK on the case."""
    title = "%s (--check=%s)" % (title, check)
    doc = tiny_check.audit_json(audit, path, title, ["--check=" + check])
    if doc is None:
        return 1
    J, gw, ga = reference(w, samples)
    got = [("J", doc["loss"], J),
           ("dJ/dw", doc["layers"][0]["weights_gradient"][0][0], gw)]
    flat = tiny_check.input_gradient(doc)
    got += [("dJ/da(sample %d)" % (s + 1), flat[s], ga[s])
            for s in range(len(samples))]
    return tiny_check.failures(title, doc, got)


fail = 0
for i, (title, w, samples) in enumerate(CASES):
    path = os.path.join(tmp, "bce%d.net" % i)
    with open(path, "w") as f:
        f.write('title "%s"\n' % title)
        for a, t in samples:
            f.write("sample [%s] -> [%d]\n" % (a, t))
        f.write("layer sigmoid\n  weights [%s]\n" % w)
        f.write("loss cross_entropy\n")
    for check in ("full", "directional"):
        fail += audit_case(title, w, samples, path, check)
print("bce_tiny: %d case(s), %d failure(s)" % (len(CASES), fail))
sys.exit(1 if fail else 0)
