"""pytorch_package.py -- the fadj.torch package against torch itself: the
certified loss of the exported network equals torch's loss within a few
ulps of the model's dtype, torch's gradients are within a sane bound of
the certified ones, what fadj cannot represent is refused with no file
left behind, and export() leaves the model's parameters bit for bit as
they were.  Every number compared comes from torch or from fadj-audit."""

import math
import copy
import os
import subprocess
import sys
import tempfile
import time

import torch
import torch.nn as nn

import fadj.torch as ft

failures = 0


def check(cond, what):
    global failures
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures += 1


def ulp(v, dtype):
    """ulp(v) in DTYPE (binary32: 24 bits, binary64: 53)."""
    p, emin = (24, -126) if dtype == torch.float32 else (53, -1022)
    e = math.frexp(abs(v))[1] - 1 if v else emin
    return 2.0 ** (max(e, emin) - p + 1)


def bits(model):
    ints = {torch.float32: torch.int32, torch.float64: torch.int64}
    return [p.detach().clone().view(ints[p.dtype]) for p in model.parameters()]


def run(name, model, x, y, loss, tolerance, most_loss_ulps=8):
    """Audit MODEL; compare with torch's own loss, computed here."""
    dtype = next(model.parameters()).dtype
    before = bits(model)
    t0 = time.time()
    report = ft.audit(model, x, y, loss, digits=25)
    with torch.no_grad():
        want = loss(model(x.to(dtype)), y).item()
    off = abs(report.loss - want) / ulp(want, dtype)
    check(off <= most_loss_ulps, "%s: certified loss %s, torch %r: %.3g ulp "
          "(at most %d)" % (name, report.loss_text, want, off,
                            most_loss_ulps))
    check(report.type == ("binary32" if dtype == torch.float32
                          else "binary64"), "%s: reference type %s"
          % (name, report.type))
    check(report.json["verification"]["agree"] is not False,
          "%s: fadj's own check agrees" % name)
    n = sum(p.numel() for p in model.parameters()) + x.numel()
    check(report.overall["entries"] == n, "%s: %d entries audited (%d)"
          % (name, report.overall["entries"], n))
    check(report.ok(tolerance), "%s: max %.3g ulp (tolerance %g)"
          % (name, report.max_ulp, tolerance))
    # An error far above the entry's own worst-case summation bound would
    # be a wrong formula on one side; a few times it is rounding in the
    # terms themselves.
    ratio = max(w["bound_ratio"] for w in report.worst)
    check(ratio <= 32, "%s: worst entries' error / bound at most %.3g"
          % (name, ratio))
    # The worst entries are named as fadj-audit's text names them,
    # counted from 1: every index within 1..the matrix's size.
    import re
    for line in str(report).splitlines():
        m = re.match(r"\s*dJ/d(W|b|X)\^(\d+)\[(\d+)(?:,(\d+))?\]", line)
        if m:
            idx = [int(v) for v in m.groups()[2:] if v is not None]
            check(min(idx) >= 1, "%s: named from 1: %s"
                  % (name, line.strip()))
    after = bits(model)
    check(all(torch.equal(a, b) for a, b in zip(before, after))
          and all(p.grad is None for p in model.parameters()),
          "%s: parameters unchanged bit for bit, no .grad" % name)
    print("   (%.1f s)" % (time.time() - t0))
    return report


torch.manual_seed(20261206)
for dtype, tol in ((torch.float64, 2.0 ** 16), (torch.float32, 2.0 ** 16)):
    tag = str(dtype).replace("torch.", "")
    model = nn.Sequential(
        nn.Linear(5, 7), nn.GELU(),
        nn.Sequential(nn.Linear(7, 6), nn.SiLU(), nn.Dropout(0.5)),
        nn.Linear(6, 6, bias=False), nn.LeakyReLU(0.1),
        nn.Linear(6, 3), nn.ELU(0.7)).to(dtype).eval()
    x = torch.randn(6, 5, dtype=dtype)
    y = torch.randn(6, 3, dtype=dtype)
    run("gelu/silu/leaky_relu/elu MSELoss(sum) %s" % tag, model, x, y,
        nn.MSELoss(reduction="sum"), tol)
    run("same, MSELoss(mean) %s" % tag, model, x, y, nn.MSELoss(), tol)

    mlp = nn.Sequential(nn.Flatten(), nn.Linear(20, 16), nn.Tanh(),
                        nn.Linear(16, 10)).to(dtype)
    x = torch.randn(8, 20, dtype=dtype)
    classes = torch.randint(0, 10, (8,))
    run("20-16-10 CrossEntropyLoss(mean) class indices %s" % tag, mlp, x,
        classes, nn.CrossEntropyLoss(), tol)
    probs = torch.softmax(torch.randn(8, 10, dtype=dtype), dim=-1)
    run("20-16-10 CrossEntropyLoss(sum) probabilities %s" % tag, mlp, x,
        probs, nn.CrossEntropyLoss(reduction="sum"), tol)

    net = nn.Sequential(nn.Linear(4, 5), nn.Softplus(), nn.Linear(5, 3),
                        nn.Hardtanh(), nn.Linear(3, 3)).to(dtype)
    x = torch.randn(5, 4, dtype=dtype)
    y = torch.rand(5, 3, dtype=dtype)
    run("BCEWithLogitsLoss(sum) %s" % tag, net, x, y,
        nn.BCEWithLogitsLoss(reduction="sum"), tol)
    one = nn.Sequential(nn.Linear(4, 3), nn.Softsign(), nn.Linear(3, 1),
                        nn.Sigmoid()).to(dtype)
    run("BCELoss(mean), one output %s" % tag, one, x, y[:, :1], nn.BCELoss(),
        tol)

mnist = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64),
                      nn.ReLU(), nn.Linear(64, 10))
xm, ym = torch.rand(16, 784), torch.randint(0, 10, (16,))
run("MNIST-shaped 784-128-64-10, batch 16, float32", mnist, xm, ym,
    nn.CrossEntropyLoss(), 2.0 ** 20)
mnist64 = copy.deepcopy(mnist).to(torch.float64)
run("MNIST-shaped 784-128-64-10, batch 16, float64", mnist64,
    xm.to(torch.float64), ym, nn.CrossEntropyLoss(), 2.0 ** 20)


def refused(name, model, x, y, loss, words):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "m.net")
        try:
            ft.export(model, x, y, loss, path, reference=path + ".ref")
            msg = None
        except ft.ExportError as e:
            msg = str(e)
        check(msg is not None and all(w in msg for w in words)
              and os.listdir(d) == [],
              "%s refused, no file left: %s" % (name, msg))


x = torch.randn(2, 4)
refused("Conv2d", nn.Sequential(nn.Linear(4, 4), nn.Conv2d(1, 1, 1)),
        x, torch.randn(2, 4), nn.MSELoss(), ["1", "Conv2d"])
refused("LayerNorm in a nested Sequential",
        nn.Sequential(nn.Linear(4, 4), nn.Sequential(nn.Tanh(),
                                                     nn.LayerNorm(4))),
        x, torch.randn(2, 4), nn.MSELoss(), ["1.1", "LayerNorm"])
refused("Dropout in training mode",
        nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5)).train(), x,
        torch.randn(2, 4), nn.MSELoss(), ["1", "training"])
refused("BCELoss(mean) of 3 outputs",
        nn.Sequential(nn.Linear(4, 3), nn.Sigmoid()), x, torch.rand(2, 3),
        nn.BCELoss(), ["m N_L"])
refused("GELU(tanh)", nn.Sequential(nn.Linear(4, 3), nn.GELU("tanh")), x,
        torch.rand(2, 3), nn.MSELoss(), ["1", "tanh"])

# python3 -m fadj.torch on saved tensors.
with tempfile.TemporaryDirectory() as d:
    m = nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.Linear(4, 2))
    xs, ys = torch.randn(3, 3), torch.randint(0, 2, (3,))
    for name, obj in (("m.pt", m), ("x.pt", xs), ("y.pt", ys)):
        torch.save(obj, os.path.join(d, name))
    r = subprocess.run([sys.executable, "-m", "fadj.torch",
                        os.path.join(d, "m.pt"), os.path.join(d, "x.pt"),
                        os.path.join(d, "y.pt"), "--loss=cross_entropy"],
                       stdout=subprocess.PIPE, universal_newlines=True)
    with torch.no_grad():
        want = nn.CrossEntropyLoss()(m(xs), ys).item()
    check(r.returncode == 0 and "fadj audit of torch's binary32" in r.stdout
          and ("torch %r" % want) in r.stdout,
          "python3 -m fadj.torch prints the report")

sys.exit(1 if failures else 0)
