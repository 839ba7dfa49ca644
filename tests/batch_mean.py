#!/usr/bin/env python3
"""batch_mean.py -- 'batch mean' networks (and a shared bias whose gradient
is 0) against an independent computation.

    python3 batch_mean.py FADJ_AUDIT FADJ_EXPLAIN TMPDIR

For each network below it writes the network file, computes the loss J
and the derivative of J itself with respect to every weight, bias and
input by central differences on a plain forward pass (no adjoint, no
F-adjoint, no fadj code): in exact rationals (fractions) for the
rational networks, where a central difference of a piecewise quadratic
away from its kinks is the exact derivative, and in 90-digit decimals
(decimal's exp and ln are correctly rounded) with a step of 1e-35
otherwise, whose error is far below the 25 digits compared.  Then:

- fadj-audit --format=json: the loss, every weight and bias gradient
  and every input gradient dJ/dX^0 must equal the reference (exactly, or
  to 22 significant digits of the 25 printed);
- fadj-explain --chain=l,i,j for every weight and bias (through a
  softmax too): exit 0, the sum over paths (1/m of the sum over the
  samples) equal to the gradient;
- a softmax layer with one shared bias and categorical cross-entropy,
  whose bias gradient sum_i (s_i - y_i) is exactly 0 though no
  enclosure can prove it: both programs exit 0, fadj-audit prints it as
  "0" listed in "zeros" with its bound, fadj-explain as 0^dagger with
  its note, every other value as above.

Prints one line per failure and exits 1 if there was one.
"""

import decimal
import json
import os
import subprocess
import sys
from fractions import Fraction

D = decimal.Decimal
decimal.getcontext().prec = 90
STEP_EXACT = Fraction(1, 10 ** 40)
STEP = D("1e-35")

# name: (activations per layer, weights, biases (None: no bias; a string:
#        one bias shared by the layer), samples [(x, y)], loss).  Every
#        number a decimal string.
NETS = {
    "relu-exact": (
        ["relu", "identity"],
        [[["1", "-1"], ["2", "1/2"]], [["1", "2"]]],
        [["1/2", "0"], None],
        [(["1", "2"], ["0"]), (["3", "-1"], ["1"]), (["0", "1"], ["1"])],
        "half_squared"),
    "sigmoid": (
        ["sigmoid", "sigmoid"],
        [[["0.5", "-1.25"], ["2", "0.75"]], [["1", "-2"]]],
        [["0.125", "-0.5"], ["0.25"]],
        [(["1", "2"], ["0"]), (["3", "-1"], ["1"]), (["0", "1"], ["1"])],
        "half_squared"),
    "softmax-ce": (
        ["tanh", "softmax"],
        [[["0.5", "-1"], ["1", "0.25"]], [["1", "-1"], ["0.5", "2"],
                                          ["-1.5", "0"]]],
        [["0.1", "-0.2"], ["0", "0.3", "-0.1"]],
        [(["1", "2"], ["0", "1", "0"]), (["-1", "0.5"], ["1", "0", "0"])],
        "categorical_cross_entropy"),
    "relu-mse-exact": (
        ["relu", "relu"],
        [[["1", "-1"], ["2", "1"], ["-1", "3"]], [["1", "2", "-1"],
                                                  ["0.5", "0", "1"]]],
        [["0.5", "0", "-1"], ["0.25", "1"]],
        [(["1", "2"], ["0", "1"]), (["3", "-1"], ["1", "0"]),
         (["0", "1"], ["1", "1"]), (["2", "2"], ["0", "2"])],
        "mean_squared"),
    "softmax-shared-bias": (
        ["softmax"],
        [[["1", "2"], ["-1", "0.5"], ["0.25", "-0.75"]]],
        ["-1"],
        [(["0.5", "-1"], ["0", "1", "0"])],
        "categorical_cross_entropy"),
}


def num(s, exact):
    return Fraction(s) if exact else D(Fraction(s).numerator) / D(
        Fraction(s).denominator)


def act(name, v, exact):
    if name == "identity":
        return v
    if name == "relu":
        return [max(t, 0 * t) for t in v]
    if name == "sigmoid":
        return [1 / (1 + (-t).exp()) for t in v]
    if name == "tanh":
        return [((2 * t).exp() - 1) / ((2 * t).exp() + 1) for t in v]
    if name == "softmax":
        e = [t.exp() for t in v]
        s = sum(e)
        return [t / s for t in e]
    raise ValueError(name)


def sample_loss(kind, x, y):
    n = len(x)
    if kind == "half_squared":
        return sum((a - b) ** 2 for a, b in zip(x, y)) / 2
    if kind == "mean_squared":
        return sum((a - b) ** 2 for a, b in zip(x, y)) / n
    if kind == "categorical_cross_entropy":
        return -sum(b * a.ln() for a, b in zip(x, y) if b != 0)
    raise ValueError(kind)


shared = []


def loss(acts, W, b, X, Y, kind, exact):
    """J: the mean over the samples of each sample's loss."""
    total = 0
    for x, y in zip(X, Y):
        v = x
        for l, name in enumerate(acts):
            z = [sum(w * t for w, t in zip(row, v))
                 + (0 if b[l] is None else b[l][0] if len(b[l]) == 1
                    and shared[l] else b[l][i])
                 for i, row in enumerate(W[l])]
            v = act(name, z, exact)
        total += sample_loss(kind, v, y)
    return total / len(X)


def write_net(path, acts, W, b, samples, kind):
    with open(path, "w") as f:
        for x, y in samples:
            f.write("sample [%s] -> [%s]\n" % (" ".join(x), " ".join(y)))
        f.write("batch mean\n")
        for l, name in enumerate(acts):
            f.write("layer %s\n  weights [%s]\n" % (
                name, "; ".join(" ".join(r) for r in W[l])))
            if isinstance(b[l], str):
                f.write("  bias %s\n" % b[l])
            elif b[l] is not None:
                f.write("  bias [%s]\n" % ", ".join(b[l]))
        f.write("loss %s\n" % kind)


def reference(spec, exact):
    """J, [(dJ/dW^l, dJ/db^l)], dJ/dX^0 as [sample][input]."""
    acts, Ws, bs, samples, kind = spec
    W = [[[num(e, exact) for e in r] for r in m] for m in Ws]
    shared[:] = [isinstance(v, str) for v in bs]
    b = [None if v is None else [num(v, exact)] if isinstance(v, str)
         else [num(e, exact) for e in v] for v in bs]
    X = [[num(e, exact) for e in x] for x, _ in samples]
    Y = [[num(e, exact) for e in y] for _, y in samples]
    h = STEP_EXACT if exact else STEP

    def J():
        return loss(acts, W, b, X, Y, kind, exact)

    def deriv(holder, i):
        v = holder[i]
        holder[i] = v + h
        up = J()
        holder[i] = v - h
        down = J()
        holder[i] = v
        return (up - down) / (2 * h)

    layers = []
    for l in range(len(acts)):
        gw = [[deriv(W[l][i], j) for j in range(len(W[l][i]))]
              for i in range(len(W[l]))]
        gb = None if b[l] is None else [deriv(b[l], i)
                                        for i in range(len(b[l]))]
        layers.append((gw, gb))
    gx = [[deriv(x, i) for i in range(len(x))] for x in X]
    return J(), layers, gx


failures = []


def same(name, got, want, exact):
    if exact:
        ok = Fraction(got) == want
    else:
        g = D(got)
        ok = abs(g - want) <= D("1e-22") * max(abs(want), D("1e-30"))
    if not ok:
        failures.append("%s: fadj %s, reference %s" % (name, got, want))


def main(argv):
    audit, explain, tmp = argv[1], argv[2], argv[3]
    for name, spec in NETS.items():
        exact = name.endswith("-exact")
        path = os.path.join(tmp, name + ".net")
        write_net(path, *spec)
        J, layers, gx = reference(spec, exact)
        run = subprocess.run([audit, "--format=json", "--digits=25", path],
                             capture_output=True, text=True)
        if run.returncode != 0:
            failures.append("%s: fadj-audit exit %d: %s"
                            % (name, run.returncode, run.stderr.strip()))
            continue
        r = json.loads(run.stdout)
        same(name + " J", r["loss"], J, exact)
        for l, (gw, gb) in enumerate(layers):
            got = r["layers"][l]
            for i, row in enumerate(gw):
                for j, want in enumerate(row):
                    same("%s dJ/dW^%d[%d,%d]" % (name, l + 1, i + 1, j + 1),
                         got["weights_gradient"][i][j], want, exact)
            if gb is not None and shared[l]:
                # The exact 0 of a shared softmax bias: "0", listed with
                # its bound among the zeros.  A list of one value,
                # as every bias gradient (fadj-audit(1)).
                same("%s dJ/db^%d" % (name, l + 1), got["bias_gradient"][0],
                     gb[0], exact)
                if got["bias_gradient"] != ["0"] or not any(
                        z["layer"] == l + 1 and z["kind"] == "bias"
                        and D(z["abs_bound"]) < D("1e-25")
                        for z in r["zeros"]):
                    failures.append("%s: the shared bias's 0 is not listed "
                                    "with its bound: %s" % (name, r["zeros"]))
            elif gb is not None:
                for i, want in enumerate(gb):
                    same("%s dJ/db^%d[%d]" % (name, l + 1, i + 1),
                         got["bias_gradient"][i], want, exact)
        for s, row in enumerate(gx):
            for i, want in enumerate(row):
                same("%s dJ/dX^0[%d] of sample %d" % (name, i + 1, s + 1),
                     r["input_gradient"][s][i], want, exact)
        if any(shared):
            # Wide text: the note is looked for on one line.
            run = subprocess.run([explain, "--format=text", "--width=1000",
                                  path],
                                 capture_output=True, text=True)
            if run.returncode != 0 or "0†" not in run.stdout \
                    or "zero to the working precision, not proven to be 0" \
                    not in run.stdout:
                failures.append("%s: fadj-explain exit %d, the zero not "
                                "marked: %s" % (name, run.returncode,
                                               run.stderr.strip()))
        # The chain rule of every weight and bias: exit 0 when its sum
        # over paths is the gradient's entry.
        for l, (gw, gb) in enumerate(layers):
            for i in range(len(gw)):
                for j in range(len(gw[i]) + (gb is not None)):
                    c = "--chain=%d,%d,%d" % (l + 1, i + 1, j + 1)
                    run = subprocess.run([explain, "--format=text", c, path],
                                         capture_output=True, text=True)
                    if run.returncode != 0:
                        failures.append("%s %s: fadj-explain exit %d: %s"
                                        % (name, c, run.returncode,
                                           run.stderr.strip()))
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
