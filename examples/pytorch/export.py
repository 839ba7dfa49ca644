#!/usr/bin/env python3
"""export.py -- a PyTorch model to fadj (the README's worked example; for
your own models use the package python/fadj, fadj.torch.export() and
fadj.torch.audit(), which cover more layers and losses): the network file with every weight
as an exact hex float, and reference files with torch's own gradients in
float32 and in float64, for fadj-audit.

    python3 export.py [OUTDIR]

writes OUTDIR/model.net, OUTDIR/torch-float32.ref and
OUTDIR/torch-float64.ref for a small demo model (seeded), and
OUTDIR/batch.net, OUTDIR/batch-float32.ref and OUTDIR/batch-float64.ref
for the same model on a batch of 5 samples with PyTorch's default mean
reduction; then

    fadj-audit --reference=OUTDIR/torch-float32.ref \\
               --reference-type=binary32 OUTDIR/model.net

measures torch's float32 gradient against the certified one.  As a
module: export(model, x, y, net_path, ref32_path, ref64_path,
reduction="sum"), X and Y one sample (vectors) or a batch (one row per
sample).

Supported: a torch.nn.Sequential of nn.Linear layers, each followed by at
most one of nn.Sigmoid, nn.Tanh, nn.ReLU, nn.Softplus (torch switches to
the identity above x = 20, a relative change below e^-20) or nn.Identity;
the loss of a sample is 1/2 sum (output - target)^2 (fadj's
half_squared), and J the sum (fadj's 'batch sum') or the mean ('batch
mean', PyTorch's default reduction) over the samples.  The input
gradient is dJ/dX^0, one row per sample, as x.grad holds it.  Every float32 weight, input and target is written with
float.hex(), which is exact: fadj reads hex floats as the dyadic
rationals they denote, so both sides start from the very same numbers.
The float64 reference runs a float64 copy of the same model (float32
values are exact in float64).
"""

import os
import sys

import torch

ACTIVATIONS = {
    torch.nn.Sigmoid: "sigmoid",
    torch.nn.Tanh: "tanh",
    torch.nn.ReLU: "relu",
    torch.nn.Softplus: "softplus",
    torch.nn.Identity: "identity",
}


def hexs(t):
    """The entries of a tensor as exact hex floats, space-separated."""
    return " ".join(float(v).hex() for v in t.reshape(-1).tolist())


def hex_matrix(t):
    return "[\n" + "\n".join("  " + hexs(row) for row in t) + "\n]"


def layers_of(model):
    """[(Linear, activation name)] for a Sequential model."""
    out = []
    mods = list(model)
    i = 0
    while i < len(mods):
        lin = mods[i]
        if not isinstance(lin, torch.nn.Linear):
            raise ValueError("expected nn.Linear, found %r" % (lin,))
        act = "identity"
        if i + 1 < len(mods) and not isinstance(mods[i + 1], torch.nn.Linear):
            kind = type(mods[i + 1])
            if kind not in ACTIVATIONS:
                raise ValueError("unsupported activation %r" % (mods[i + 1],))
            if kind is torch.nn.Softplus and (mods[i + 1].beta != 1):
                raise ValueError("Softplus with beta != 1 is not supported")
            act = ACTIVATIONS[kind]
            i += 1
        out.append((lin, act))
        i += 1
    return out


def gradients(model, x, y, dtype, reduction):
    """torch's loss and gradients for MODEL in DTYPE."""
    import copy
    m = copy.deepcopy(model).to(dtype)
    xx = x.to(dtype).clone().requires_grad_(True)
    out = m(xx)
    per_sample = 0.5 * ((out - y.to(dtype)) ** 2).sum(dim=-1)
    loss = per_sample.mean() if reduction == "mean" else per_sample.sum()
    loss.backward()
    grads = [(lin.weight.grad, lin.bias.grad if lin.bias is not None else None)
             for lin, _ in layers_of(m)]
    return loss.detach(), grads, xx.grad


def write_reference(path, loss, grads, xgrad, dtype_name):
    with open(path, "w") as f:
        f.write("# torch %s gradients (torch %s), exact hex floats\n"
                % (dtype_name, torch.__version__))
        for l, (gw, gb) in enumerate(grads, 1):
            f.write("gradient %d weights %s\n" % (l, hex_matrix(gw)))
            if gb is not None:
                f.write("  bias [%s]\n" % hexs(gb))
        f.write("input_gradient %s\n" % (hex_matrix(xgrad) if xgrad.dim() == 2
                                          else "[%s]" % hexs(xgrad)))
        f.write("loss %s\n" % float(loss).hex())


def export(model, x, y, net_path, ref32_path, ref64_path, reduction="sum"):
    if reduction not in ("sum", "mean"):
        raise ValueError("reduction is 'sum' or 'mean'")
    model = model.to(torch.float32)
    batch = x.dim() == 2
    x = x.to(torch.float32)
    y = y.to(torch.float32)
    if not batch:
        x = x.reshape(-1)
        y = y.reshape(-1)
    with open(net_path, "w") as f:
        f.write("# exported from PyTorch %s by examples/pytorch/export.py;\n"
                "# every number is an exact hex float (float32 values)\n"
                % torch.__version__)
        if batch:
            for xs, ys in zip(x, y):
                f.write("sample [%s] -> [%s]\n" % (hexs(xs), hexs(ys)))
            f.write("batch %s\n" % reduction)
        else:
            f.write("input [%s]\ntarget [%s]\n" % (hexs(x), hexs(y)))
        for lin, act in layers_of(model):
            f.write("layer %s\n  weights %s\n" % (act,
                                                  hex_matrix(lin.weight.data)))
            if lin.bias is not None:
                f.write("  bias [%s]\n" % hexs(lin.bias.data))
        f.write("loss half_squared\n")
    for path, dtype, name in ((ref32_path, torch.float32, "float32"),
                              (ref64_path, torch.float64, "float64")):
        write_reference(path, *gradients(model, x, y, dtype, reduction), name)


def demo_model():
    torch.manual_seed(20240601)
    model = torch.nn.Sequential(
        torch.nn.Linear(4, 16), torch.nn.Tanh(),
        torch.nn.Linear(16, 16), torch.nn.Sigmoid(),
        torch.nn.Linear(16, 3))
    x = torch.randn(4)
    y = torch.randn(3)
    return model, x, y


def main(argv):
    outdir = argv[1] if len(argv) > 1 else "."
    os.makedirs(outdir, exist_ok=True)
    model, x, y = demo_model()
    export(model, x, y, os.path.join(outdir, "model.net"),
           os.path.join(outdir, "torch-float32.ref"),
           os.path.join(outdir, "torch-float64.ref"))
    torch.manual_seed(20241205)
    export(model, torch.randn(5, 4), torch.randn(5, 3),
           os.path.join(outdir, "batch.net"),
           os.path.join(outdir, "batch-float32.ref"),
           os.path.join(outdir, "batch-float64.ref"), reduction="mean")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
