#!/usr/bin/env python3
"""train_precision.py -- long training runs against an independent
gradient descent in mpmath.

    python3 train_precision.py FADJ_EXPLAIN TMPDIR

For each network below it writes the network file, runs plain gradient
descent on it in mpmath at 400 decimal digits (a forward pass, the
derivative of the half-squared loss by the ordinary chain rule written
out for two layers; no fadj code), and checks every loss J^(k) that
fadj-explain --format=text --steps=N --digits=D prints in its loss
table: the printed decimal, with its D significant digits, must lie
within half a unit of its last place of the reference (every printed
digit certified).  The reference's own error is far below that: the
smallest loss, about 10^-311 after 300 steps of A[8,8,1] (an output
within 10^-155 of its target, squared), needs about 170 of the 400
digits, and gradient descent near a minimum is contracting, so the
rounding errors of the steps do not grow.

Prints one line per failure and exits 1 if there was one.
"""

import os
import re
import subprocess
import sys
from fractions import Fraction

try:
    import mpmath
except ImportError:
    sys.exit(77)

mpmath.mp.dps = 400
mpf = mpmath.mpf

# name: (file text, steps, digits)
NETS = {
    # Issue 16 item 2: a sigmoid layer into an identity output, whose
    # naive interval evaluation widens fastest.
    "a881": ("""title "A[8, 8, 1] sigmoid to identity"
input  [-0.4, -0.6, 0, -1.5, -0.3, 0.2, 0, -1]
target [-0.6]
layer sigmoid
  weights [1.5 -0.3 -0.3 0.5 1.5 2.5 0.7 0.1; -0.1 0.6 0.8 -1 -0.1 -2.5 -1.5 -0.5; -2 0.5 0.4 0.5 -0.8 0.2 -2 -2; 0.7 2.5 0.1 0.4 0.6 1 -0.6 0.5; 0.5 2 -1.5 0.9 0.1 -2.5 2 -0.2; -2 -3 -0.4 1.5 -3 -0.3 -2 -0.3; 1.5 -0.8 -2 -2.5 -0.6 1 -1 -1.5; -0.2 0.4 -1.5 -2.5 -3 -2 0.4 -3]
  bias    [1.5, -1, -2, -0.4, 0.7, 1, 0.6, -1]
layer identity
  weights [-2 -0.5 -1.5 -2 2 0.4 0.5 3]
  bias    [0.8]
loss half_squared
rate 0.1
""", 300, 10),
    "a221": ("""title "A[2, 2, 1] sigmoid"
input  [-0.4, -0.6]
target [1]
layer sigmoid
  weights [2 2.5; -2 3]
  bias    [-2.5, 1.5]
layer sigmoid
  weights [1 -0.8]
  bias    [-0.2]
loss half_squared
rate 1
""", 1000, 12),
}


def num(s):
    f = Fraction(s)
    return mpf(f.numerator) / f.denominator


def vec(s):
    return [num(x) for x in s.replace(",", " ").split()]


def parse(text):
    """The input, the target, the rate and the layers [act, W, b]."""
    net = {"layers": []}
    for line in text.splitlines():
        m = re.match(r"\s*(\w+)\s*(.*)$", line)
        if not m:
            continue
        key, rest = m.group(1), m.group(2).strip()
        if key in ("input", "target"):
            net[key] = vec(rest.strip("[]"))
        elif key == "rate":
            net["rate"] = num(rest)
        elif key == "layer":
            net["layers"].append([rest, None, None])
        elif key == "weights":
            net["layers"][-1][1] = [vec(r) for r in rest.strip("[]").split(";")]
        elif key == "bias":
            net["layers"][-1][2] = vec(rest.strip("[]"))
    return net


def act(name, y):
    if name == "sigmoid":
        s = 1 / (1 + mpmath.exp(-y))
        return s, s * (1 - s)
    assert name == "identity"
    return y, mpf(1)


def loss_and_grad(net):
    """J and its gradient [(dW, db)] by the chain rule, two-step-free."""
    xs, ds = [net["input"]], []
    for name, w, b in net["layers"]:
        x = xs[-1]
        y = [sum(wi[j] * x[j] for j in range(len(x))) + bi
             for wi, bi in zip(w, b)]
        out = [act(name, v) for v in y]
        xs.append([o[0] for o in out])
        ds.append([o[1] for o in out])
    e = [a - t for a, t in zip(xs[-1], net["target"])]
    J = sum(v * v for v in e) / 2
    grads = [None] * len(net["layers"])
    delta = [ei * di for ei, di in zip(e, ds[-1])]
    for l in range(len(net["layers"]) - 1, -1, -1):
        w = net["layers"][l][1]
        x = xs[l]
        grads[l] = ([[d * xj for xj in x] for d in delta], delta[:])
        if l > 0:
            back = [sum(w[i][j] * delta[i] for i in range(len(delta)))
                    for j in range(len(x))]
            delta = [bj * dj for bj, dj in zip(back, ds[l - 1])]
    return J, grads


def descend(net, steps):
    js = []
    for _ in range(steps):
        J, grads = loss_and_grad(net)
        js.append(J)
        eta = net["rate"]
        for layer, (gw, gb) in zip(net["layers"], grads):
            layer[1] = [[wij - eta * g for wij, g in zip(wi, gi)]
                        for wi, gi in zip(layer[1], gw)]
            layer[2] = [bi - eta * g for bi, g in zip(layer[2], gb)]
    js.append(loss_and_grad(net)[0])
    return js


SUP = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def printed(s):
    """The printed decimal S as an mpf, and the unit of its last digit."""
    s = s.replace("−", "-")
    m = re.match(r"^(-?)(\d+)(?:\.(\d*))?(?:×10(\S+))?$", s)
    if not m:
        return None, None
    e = int(m.group(4).translate(SUP)) if m.group(4) else 0
    frac = m.group(3) or ""
    v = mpf(m.group(1) + m.group(2) + "." + frac + "0") * mpf(10) ** e
    return v, mpf(10) ** (e - len(frac))


def main():
    explain, tmp = sys.argv[1], sys.argv[2]
    failures = 0
    for name, (text, steps, digits) in NETS.items():
        path = os.path.join(tmp, name + ".net")
        with open(path, "w") as f:
            f.write(text)
        ref = descend(parse(text), steps)
        run = subprocess.run([explain, "--format=text", "--width=200",
                              "--digits=%d" % digits, "--steps=%d" % steps,
                              path], capture_output=True, text=True)
        if run.returncode != 0:
            print("%s: exit %d: %s" % (name, run.returncode, run.stderr))
            failures += 1
            continue
        seen = set()
        for line in run.stdout.splitlines():
            m = re.match(r"^\s+(\d+)(?: \(\S+\))?\s+\|\s+(\S+)\s*$", line)
            if not m:
                continue
            k = int(m.group(1))
            v, ulp = printed(m.group(2))
            if v is None or k > steps:
                print("%s: step %d: cannot read %r" % (name, k, m.group(2)))
                failures += 1
                continue
            seen.add(k)
            if abs(v - ref[k]) > ulp / 2 * (1 + mpf(10) ** -20):
                print("%s: J after step %d printed %s, reference %s"
                      % (name, k, m.group(2), mpmath.nstr(ref[k], digits + 5)))
                failures += 1
        if seen != set(range(steps + 1)):
            print("%s: %d of the %d losses printed" % (name, len(seen),
                                                      steps + 1))
            failures += 1
    failures += short_precision(explain, tmp)
    sys.exit(1 if failures else 0)


def short_precision(explain, tmp):
    """A fixed precision too short for the whole run: exit 3, no file,
    and the message names the step whose loss ran out of it -- no later
    than the first loss the precision cannot hold.  At PREC bits the
    output X^2 (about 0.6 here) is enclosed no tighter than 2^-PREC
    |X^2|, so its residual r = X^2 - y, and J = r^2 / 2 with it, has a
    relative width of at least 2^-(PREC+1) / |r|; 6 significant digits
    need less than 10^-5, so no J below 2^-2(PREC+1) 10^10 / 2, about
    10^-172 at 300 bits, can be printed."""
    prec, steps, digits = 300, 300, 6
    text = NETS["a881"][0]
    path = os.path.join(tmp, "a881-short.net")
    out = os.path.join(tmp, "a881-short.txt")
    with open(path, "w") as f:
        f.write(text)
    ref = descend(parse(text), steps)
    limit = mpf(2) ** (-2 * (prec + 1)) * mpf(10) ** 10 / 2
    bound = next(k for k, j in enumerate(ref) if j < limit)
    run = subprocess.run([explain, "--format=text", "--precision=%d" % prec,
                          "--digits=%d" % digits, "--steps=%d" % steps,
                          "-o", out, path], capture_output=True, text=True)
    m = re.search(r"the loss after training step (\d+) needs more than "
                  r"(\d+) bits", run.stderr)
    if run.returncode != 3 or os.path.exists(out) or not m:
        print("a881 at %d bits: exit %d, %s, %r" % (
            prec, run.returncode,
            "a file written" if os.path.exists(out) else "no file",
            run.stderr))
        return 1
    k = int(m.group(1))
    if not 1 <= k <= bound or int(m.group(2)) != prec:
        print("a881 at %d bits: gave up at step %d, %s bits; the loss cannot "
              "be held from step %d on" % (prec, k, m.group(2), bound))
        return 1
    return 0


main()
