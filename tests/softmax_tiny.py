#!/usr/bin/env python3
"""softmax_tiny.py AUDIT TMPDIR -- softmax outputs 10^-86859 .. 10^-868589
(logits 10^5 .. 10^6 apart) under categorical cross-entropy: fadj-audit
must certify J, every weight gradient and every input gradient to its 30
digits, not print them as "0, not proven".  The reference is computed
here with mpmath from closed forms that never subtract numbers close to
1: with c the labelled class and d_k = z_k - z_c <= 0 (z = w x, one
input, no bias),
  J_s       = log1p(sum_{k != c} e^{d_k})
  s_k - y_k = e^{d_k} / (1 + sum e^{d_i})          (k != c)
  s_c - 1   = -sum_{k != c} e^{d_k} / (1 + sum e^{d_i})
  dJ/dw_k   = sum_s (s_k - y_k) x_s
  dJ/dx_s   = sum_{k != c} (w_k - w_c) e^{d_k} / (1 + sum e^{d_i}).
Exit 77 without mpmath."""

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

mpmath.mp.dps = 60
audit, tmp = sys.argv[1], sys.argv[2]

# (title, weights as Fractions, samples [(x, class)])
CASES = [
    ("two classes, logits 2e5 apart", [Fraction(10**5), Fraction(-10**5)],
     [(Fraction(1), 0)]),
    ("two classes, logits 2e6 apart", [Fraction(10**6), Fraction(-10**6)],
     [(Fraction(1), 0)]),
    ("three classes, two samples", [Fraction(10**6), Fraction(-10**6),
                                    Fraction(3, 2)],
     [(Fraction(1), 0), (Fraction(-1), 2)]),
    ("labelled class not the largest", [Fraction(10**5), Fraction(0)],
     [(Fraction(1), 1)]),
]


def mpq(q):
    return mpmath.mpf(q.numerator) / q.denominator


def reference(w, samples):
    n = len(w)
    J = mpmath.mpf(0)
    gw = [mpmath.mpf(0)] * n
    gx = []
    for x, c in samples:
        d = [mpq((w[k] - w[c]) * x) for k in range(n)]
        e = [mpmath.exp(d[k]) if k != c else mpmath.mpf(0) for k in range(n)]
        rest = mpmath.fsum(e)
        J += mpmath.log1p(rest)
        diff = [e[k] / (1 + rest) for k in range(n)]
        diff[c] = -rest / (1 + rest)
        for k in range(n):
            gw[k] += diff[k] * mpq(x)
        gx.append(mpmath.fsum(mpq(w[k] - w[c]) * e[k] / (1 + rest)
                              for k in range(n) if k != c))
    return J, gw, gx

fail = 0
for i, (title, w, samples) in enumerate(CASES):
    path = os.path.join(tmp, "tiny%d.net" % i)
    n = len(w)
    with open(path, "w") as f:
        f.write('title "%s"\n' % title)
        for x, c in samples:
            f.write("sample [%s] -> [%s]\n"
                    % (x, ", ".join("1" if k == c else "0" for k in range(n))))
        f.write("layer softmax\n  weights [%s]\n"
                % "; ".join(str(q) for q in w))
        f.write("loss categorical_cross_entropy\n")
    doc = tiny_check.audit_json(audit, path, title)
    if doc is None:
        fail += 1
        continue
    J, gw, gx = reference(w, samples)
    got = [("J", doc["loss"], J)]
    got += [("dJ/dw%d" % (k + 1), doc["layers"][0]["weights_gradient"][k][0],
             gw[k]) for k in range(n)]
    flat = tiny_check.input_gradient(doc)
    got += [("dJ/dx(sample %d)" % (s + 1), flat[s], gx[s])
            for s in range(len(samples))]
    fail += tiny_check.failures(title, doc, got)
print("softmax_tiny: %d case(s), %d failure(s)" % (len(CASES), fail))
sys.exit(1 if fail else 0)
