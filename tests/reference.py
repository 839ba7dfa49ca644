#!/usr/bin/env python3
"""reference.py -- independent float64 reference values for fadj's tests.

A plain re-implementation (no fadj code, no libraries beyond math) of the
forward pass, the losses, backpropagation and gradient descent, used to
obtain the expected values written into tests/check_trace.c and the shell
tests.  float64 gives 15-16 significant digits; the tests compare at most
15 (the Mazur loss) and usually 6-12.  Run: python3 tests/reference.py
"""
import math

def act(name, y, a=None):
    if name == "sigmoid": return 1 / (1 + math.exp(-y))
    if name == "tanh": return math.tanh(y)
    if name == "identity": return y
    if name == "relu": return max(0.0, y)
    if name == "elu": return y if y > 0 else (1.0 if a is None else a) * math.expm1(y)
    if name == "gelu": return y * 0.5 * (1 + math.erf(y / math.sqrt(2)))
    if name == "silu": return y / (1 + math.exp(-y))
    if name == "softsign": return y / (1 + abs(y))
    if name == "hardtanh": return min(1.0, max(-1.0, y))
    raise ValueError(name)

def dact(name, y, a=None):
    if name == "sigmoid": s = act(name, y); return s * (1 - s)
    if name == "tanh": return 1 - math.tanh(y) ** 2
    if name == "identity": return 1.0
    if name == "relu": return 1.0 if y > 0 else 0.0
    if name == "elu": return 1.0 if y > 0 else (1.0 if a is None else a) * math.exp(y)
    if name == "gelu":
        return 0.5 * (1 + math.erf(y / math.sqrt(2))) + y * math.exp(-y * y / 2) / math.sqrt(2 * math.pi)
    if name == "silu": s = 1 / (1 + math.exp(-y)); return s * (1 + y * (1 - s))
    if name == "softsign": return 1 / (1 + abs(y)) ** 2
    if name == "hardtanh": return 1.0 if -1 < y < 1 else 0.0
    raise ValueError(name)

def softmax(v):
    e = [math.exp(x) for x in v]; s = sum(e); return [x / s for x in e]

def loss(kind, x, y):
    n = len(x)
    if kind == "half_squared": return 0.5 * sum((a - b) ** 2 for a, b in zip(x, y))
    if kind == "squared": return sum((a - b) ** 2 for a, b in zip(x, y))
    if kind == "mean_squared": return sum((a - b) ** 2 for a, b in zip(x, y)) / n
    if kind == "cross_entropy":
        return -sum(b * math.log(a) + (1 - b) * math.log(1 - a) for a, b in zip(x, y))
    if kind == "categorical_cross_entropy": return -sum(b * math.log(a) for a, b in zip(x, y))

def seed(kind, x, y):
    n = len(x)
    if kind == "half_squared": return [a - b for a, b in zip(x, y)]
    if kind == "squared": return [2 * (a - b) for a, b in zip(x, y)]
    if kind == "mean_squared": return [2 * (a - b) / n for a, b in zip(x, y)]
    if kind == "cross_entropy": return [(a - b) / (a * (1 - a)) for a, b in zip(x, y)]
    if kind == "categorical_cross_entropy": return [-b / a for a, b in zip(x, y)]

def matvec(W, x): return [sum(w * v for w, v in zip(row, x)) for row in W]

def forward(layers, x):
    """layers: list of (act, W, b) with b a list or None.  Returns Ys, Xs."""
    Xs, Ys = [x], [None]
    for a, W, b in layers:
        y = matvec(W, Xs[-1])
        if b is not None: y = [v + c for v, c in zip(y, b)]
        Ys.append(y)
        Xs.append(softmax(y) if a == "softmax" else [act(a, v) for v in y])
    return Ys, Xs

def backward(layers, Ys, Xs, xs_top, local=None, rate=None):
    """The two-step rule.  Returns per-layer (Y_*, dW, db, X_*(l-1)).
    With local=True, W^l is updated before propagating (rate needed)."""
    out, xs = {}, xs_top
    newW = [None] * len(layers)
    for l in range(len(layers), 0, -1):
        a, W, b = layers[l - 1]
        y, x = Ys[l], Xs[l]
        if a == "softmax":
            ys = [x[i] * (xs[i] - sum(x[k] * xs[k] for k in range(len(x)))) for i in range(len(x))]
        else:
            ys = [g * dact(a, v) for g, v in zip(xs, y)]
        dW = [[g * v for v in Xs[l - 1]] for g in ys]
        Wuse = W
        if local:
            Wuse = [[w - rate * d for w, d in zip(r, dr)] for r, dr in zip(W, dW)]
        newW[l - 1] = Wuse
        prev = [sum(Wuse[i][j] * ys[i] for i in range(len(ys))) for j in range(len(Xs[l - 1]))]
        out[l] = (ys, dW, list(ys), prev)
        xs = prev
    return out

def step(layers, x, y, kind, rate, local=False, shared=None, frozen=None):
    """One gradient step; shared[l]/frozen[l] for scalar/frozen biases."""
    Ys, Xs = forward(layers, x)
    g = backward(layers, Ys, Xs, seed(kind, Xs[-1], y), local, rate)
    new = []
    for l, (a, W, b) in enumerate(layers, 1):
        ys, dW, db, _ = g[l]
        W2 = [[w - rate * d for w, d in zip(r, dr)] for r, dr in zip(W, dW)]
        b2 = b
        if b is not None and not (frozen and frozen[l - 1]):
            if shared and shared[l - 1]:
                b2 = [b[0] - rate * sum(db)] * len(b)
            else:
                b2 = [c - rate * d for c, d in zip(b, db)]
        new.append((a, W2, b2))
    return new

def J_of(layers, x, y, kind):
    return loss(kind, forward(layers, x)[1][-1], y)

if __name__ == "__main__":
    # Mazur, "A Step by Step Backpropagation Example" (2015).
    mazur = [("sigmoid", [[0.15, 0.20], [0.25, 0.30]], [0.35, 0.35]),
             ("sigmoid", [[0.40, 0.45], [0.50, 0.55]], [0.60, 0.60])]
    x, y = [0.05, 0.10], [0.01, 0.99]
    print("mazur J0", repr(J_of(mazur, x, y, "half_squared")))
    for local in (False, True):
        n = step(mazur, x, y, "half_squared", 0.5, local, [1, 1], [1, 1])
        print("mazur J1 local" if local else "mazur J1 standard", repr(J_of(n, x, y, "half_squared")))
        print("  W", n[0][1], n[1][1])
    # HMKCode linear 2-2-1.
    hmk = [("identity", [[0.11, 0.21], [0.12, 0.08]], None),
           ("identity", [[0.14, 0.15]], None)]
    x, y = [2.0, 3.0], [1.0]
    print("hmk J0", repr(J_of(hmk, x, y, "half_squared")))
    n = step(hmk, x, y, "half_squared", 0.05)
    print("hmk W after", n[0][1], n[1][1], "J1", repr(J_of(n, x, y, "half_squared")))
    # The A[2,2,1] core example's weights on the XOR batch (sum of J).
    core = [("sigmoid", [[1, -1], [-1, 1]], [1, -1]), ("sigmoid", [[1, -1]], [1])]
    xor = [([0, 0], [0]), ([0, 1], [1]), ([1, 0], [1]), ([1, 1], [0])]
    tot = sum(J_of(core, a, b, "half_squared") for a, b in xor)
    print("xor J (sum)", repr(tot))
    gW2 = [0.0, 0.0, 0.0]; gW1 = [[0.0] * 3, [0.0] * 3]
    for a, b in xor:
        Ys, Xs = forward(core, [float(v) for v in a])
        g = backward(core, Ys, Xs, seed("half_squared", Xs[-1], b))
        for j in range(2): gW2[j] += g[2][1][0][j]
        gW2[2] += g[2][0][0]
        for i in range(2):
            for j in range(2): gW1[i][j] += g[1][1][i][j]
            gW1[i][2] += g[1][0][i]
    print("xor dJ/dW2", gW2, "dJ/dW1", gW1)
    # Softmax classifier (examples/softmax-classifier.net), a batch sum.
    clf = [("relu", [[1, -1], [0.5, 1], [-1, 0.5]], [0, 0.5, 0.25]),
           ("softmax", [[1, 0.5, -1], [-0.5, 1.5, 0.5], [0.25, -1, 1]], None)]
    J = 0.0
    for x, y in (([1.0, 0.5], [0, 1, 0]), ([-0.5, 1.0], [1, 0, 0])):
        Ys, Xs = forward(clf, x)
        J += loss("categorical_cross_entropy", Xs[2], y)
        g = backward(clf, Ys, Xs, seed("categorical_cross_entropy", Xs[2], y))
        print("clf X2", Xs[2], "Y2*", g[2][0], "X2 - y", [a - b for a, b in zip(Xs[2], y)])
    print("clf J", repr(J))
    # Single activations at 1/2 and -3/2 (check_trace's activation test).
    for a in ("elu", "gelu", "silu", "softsign", "hardtanh"):
        for v in (0.5, -1.5):
            print("act", a, v, repr(act(a, v)), repr(dact(a, v)))
