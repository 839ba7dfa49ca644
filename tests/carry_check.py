#!/usr/bin/env python3
"""carry_check.py -- fadj-explain --carry=D against the hand rule.

    python3 carry_check.py FADJ_GEN FADJ_EXPLAIN TMPDIR

For 200 exercises written by fadj-gen (defaults; --rational; 3-4-2 tanh
and sigmoid; 4-4-4-2 relu, tanh, sigmoid) and D = 1, 2, 3, 4: fadj-explain
--carry=D must exit 0, and every carried value it prints must be the hand
rule applied to exact values, computed here independently in exact
rationals (fractions) and, for sigma, 60-digit decimals: every
intermediate rounded to D decimal places, halves away from zero, as soon
as it is computed; sigma evaluated exactly, then rounded; sigma' by the
hand formulas on the rounded X (sigmoid X (1 - X), tanh 1 - X^2; relu and
identity exactly); Y = W X + b, X_* = W^T Y_* and the gradients summed
exactly from rounded operands, then rounded.

Prints one line per failure and exits 1 if there was one.
"""

import decimal
import re
import subprocess
import sys
from fractions import Fraction

decimal.getcontext().prec = 60
D = decimal.Decimal

RUNS = ([[]] * 50 + [["--rational"]] * 50
        + [["--sizes=3,4,2", "--activation=tanh,sigmoid"]] * 50
        + [["--sizes=4,4,4,2", "--activation=relu,tanh,sigmoid"]] * 50)


def rnd(x, places):
    """X (a Fraction or a Decimal) rounded to PLACES decimal places,
    halves away from zero, as a Fraction."""
    if isinstance(x, Fraction):
        x = D(x.numerator) / D(x.denominator) if x.denominator != 1 \
            else D(x.numerator)
        # A rational with a terminating expansion is exact in 60 digits
        # here (the operands have at most a few decimals).
    q = x.quantize(D(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP)
    return Fraction(q)


def sigma(name, y, places):
    if name == "identity":
        return rnd(y, places)
    if name == "relu":
        return rnd(max(y, Fraction(0)), places)
    t = D(y.numerator) / D(y.denominator)
    if name == "sigmoid":
        return rnd(1 / (1 + (-t).exp()), places)
    if name == "tanh":
        e = (2 * t).exp()
        return rnd((e - 1) / (e + 1), places)
    raise ValueError(name)


def dsigma(name, y, x, places):
    if name == "identity":
        return Fraction(1)
    if name == "relu":
        return Fraction(1 if y > 0 else 0)
    if name == "sigmoid":
        return rnd(x * (1 - x), places)
    if name == "tanh":
        return rnd(1 - x * x, places)
    raise ValueError(name)


def numbers(text):
    return [Fraction(v) for v in re.split(r"[\s,;]+", text.strip()) if v]


def parse_net(text):
    net = {"layers": []}
    for m in re.finditer(r"^(input|target)\s+\[(.*)\]", text, re.M):
        net[m.group(1)] = numbers(m.group(2))
    for m in re.finditer(r"^layer (\w+)\n  weights \[(.*)\]\n"
                         r"(?:  bias    \[(.*)\]\n)?", text, re.M):
        rows = [numbers(r) for r in m.group(2).split(";")]
        bias = numbers(m.group(3)) if m.group(3) else [Fraction(0)] * len(rows)
        net["layers"].append((m.group(1), rows, bias))
    net["loss"] = re.search(r"^loss (\w+)", text, re.M).group(1)
    return net


def carried(net, p):
    """The hand rule's values, by the names fadj prints."""
    out = {}
    X = [net["input"]]
    Y = [None]
    for l, (act, W, b) in enumerate(net["layers"], 1):
        y = [rnd(sum(w * x for w, x in zip(row, X[-1])) + bi, p)
             for row, bi in zip(W, b)]
        x = [sigma(act, v, p) for v in y]
        Y.append(y)
        X.append(x)
        out["Y%d" % l] = y
        out["X%d" % l] = x
    L = len(net["layers"])
    assert net["loss"] == "half_squared"
    out["J"] = [rnd(sum((a - t) ** 2 for a, t in zip(X[L], net["target"]))
                    / 2, p)]
    xs = [rnd(a - t, p) for a, t in zip(X[L], net["target"])]
    out["X%d*" % L] = xs
    for l in range(L, 0, -1):
        act, W, b = net["layers"][l - 1]
        ds = [dsigma(act, y, x, p) for y, x in zip(Y[l], X[l])]
        ys = [rnd(a * d, p) for a, d in zip(xs, ds)]
        out["s%d" % l] = ds
        out["Y%d*" % l] = ys
        xs = [rnd(sum(W[i][j] * ys[i] for i in range(len(W))), p)
              for j in range(len(W[0]))]
        out["X%d*" % (l - 1)] = xs
        out["G%d" % l] = [rnd(ys[i] * X[l - 1][j], p) if j < len(W[0])
                          else ys[i]
                          for i in range(len(W)) for j in range(len(W[0]) + 1)]
    return out


def tex_name(tex):
    """The name of a carried quantity from its TeX: Y^{1} -> Y1,
    X^{2}_{*} -> X2*, \\sigma'(Y^{1}) -> s1, dJ/dW^{1} -> G1, J -> J.
    Markdown writes the star \\ast."""
    tex = tex.replace("\\ast", "*")
    m = re.match(r"^\\sigma(?:_\{\d+\})?'\(Y\^\{(\d+)\}\)$", tex)
    if m:
        return "s" + m.group(1)
    m = re.match(r"^\\frac\{\\partial J\}\{\\partial W\^\{(\d+)\}\}$", tex)
    if m:
        return "G" + m.group(1)
    return tex.replace("^{", "").replace("_{", "").replace("}", "")


def printed(doc):
    """The carried values fadj prints, by name: the matrix after the
    '&=' of each line of the carry section.  Read from the Markdown,
    which keeps the writer's TeX, a matrix on one line (the text format
    draws it on several)."""
    sec = doc[doc.index("A calculation by hand rounds"):]
    vals = {}
    row = (r"^(\S.*?) &= (?:\\left\[)?"
           r"\\begin\{(?:bmatrix|array)\}(?:\{[^}]*\})?(.*?)\\end\{")
    for m in re.finditer(row, sec, re.M):
        entries = re.split(r"\\\\|&", m.group(2))
        vals[tex_name(m.group(1))] = [Fraction(e.strip()) for e in entries
                                      if e.strip()]
    return vals


def main(argv):
    gen, explain, tmp = argv[1], argv[2], argv[3]
    failures = 0
    checked = 0
    for seed, opts in enumerate(RUNS, 1):
        text = subprocess.run([gen, "--seed=%d" % seed] + opts,
                              capture_output=True, text=True,
                              check=True).stdout
        path = "%s/ex%d.net" % (tmp, seed)
        with open(path, "w") as f:
            f.write(text)
        net = parse_net(text)
        for places in (1, 2, 3, 4):
            run = subprocess.run([explain, "--format=markdown",
                                  "--carry=%d" % places, path],
                                 capture_output=True, text=True)
            what = "seed %d %s --carry=%d" % (seed, " ".join(opts), places)
            if run.returncode != 0:
                print("FAIL: %s: exit %d: %s" % (what, run.returncode,
                                                 run.stderr.strip()))
                failures += 1
                continue
            want = carried(net, places)
            got = printed(run.stdout)
            for name, values in want.items():
                if name[0] == "s" and net["layers"][int(name[1:]) - 1][0] \
                        == "identity":
                    continue    # sigma' = 1 is not printed
                if name not in got:
                    print("FAIL: %s: %s not printed" % (what, name))
                    failures += 1
                elif got[name] != values:
                    print("FAIL: %s: %s = %s, the hand rule gives %s"
                          % (what, name, [str(v) for v in got[name]],
                             [str(v) for v in values]))
                    failures += 1
                else:
                    checked += 1
    print("carry_check: %d carried quantities equal the hand rule, "
          "%d failures" % (checked, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
