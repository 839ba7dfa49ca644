"""fadj.torch -- a PyTorch model to a fadj network file (every weight an
exact hex float of the model's own dtype), torch's gradients as a fadj
reference file, and fadj-audit's verdict on them as a Report.

    import fadj.torch
    report = fadj.torch.audit(model, x, y, torch.nn.CrossEntropyLoss())
    print(report); assert report.ok(64)

or from the shell:  python3 -m fadj.torch MODEL.pt X.pt Y.pt --loss=cross_entropy

Covered: nn.Sequential (nested) of nn.Linear (with or without bias),
each followed by at most one of Sigmoid, Tanh, ReLU, LeakyReLU, Softplus
(beta 1), ELU, GELU (approximate='none'), SiLU, Softsign, Hardtanh(-1, 1)
and Softmax(dim=-1); nn.Identity, nn.Flatten (start_dim=1) and nn.Dropout
in eval mode are no-ops.  Losses, reduction mean or sum:
  MSELoss(sum)              squared, batch sum
  MSELoss(mean)             mean_squared, batch mean: torch divides by
                            m N_L, fadj's mean_squared by N_L and batch
                            mean by m, the same J exactly
  CrossEntropyLoss          softmax on the last Linear, then
                            categorical_cross_entropy (class indices
                            become one-hot targets; probabilities as given)
  BCELoss                   cross_entropy (after the model's Sigmoid)
  BCEWithLogitsLoss         sigmoid on the last Linear, then cross_entropy
BCELoss and BCEWithLogitsLoss with reduction mean divide by m N_L, which
no fadj loss does for N_L > 1: that case is refused.  Anything else
raises ExportError naming the module and its position; no file is then
left behind (files are written to a temporary and renamed).

torch's Softplus is the identity above x = 20 (a relative change below
e^-20); fadj's is exact.
"""

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

import torch
import torch.nn as nn


class ExportError(ValueError):
    """A model, loss or data that fadj cannot represent exactly."""


def _hex(v):
    return float(v).hex()


def _hexs(t):
    return " ".join(_hex(v) for v in t.reshape(-1).tolist())


def _matrix(t):
    return "[\n" + "\n".join("  " + _hexs(row) for row in t) + "\n]"


def _leaves(module, prefix):
    """(position, module) of the non-Sequential modules, depth first."""
    if type(module) is nn.Sequential:
        for name, child in module.named_children():
            yield from _leaves(child, prefix + [name])
    else:
        yield ".".join(prefix) or "(model)", module


def _scalar(v, dtype):
    """V (a Python float) as the model's dtype computes with it, in hex."""
    return _hex(torch.tensor(v, dtype=dtype).item())


def _activation(mod, where, dtype):
    """fadj's name for the activation module MOD, or None."""
    kind = type(mod)
    simple = {nn.Sigmoid: "sigmoid", nn.Tanh: "tanh", nn.ReLU: "relu",
              nn.SiLU: "silu", nn.Softsign: "softsign"}
    if kind in simple:
        return simple[kind]
    if kind is nn.LeakyReLU:
        return "leaky_relu(%s)" % _scalar(mod.negative_slope, dtype)
    if kind is nn.ELU:
        return "elu(%s)" % _scalar(mod.alpha, dtype)
    if kind is nn.Softplus:
        if mod.beta != 1:
            raise ExportError("%s (%s): Softplus with beta %r; fadj's softplus"
                              " has beta 1" % (where, mod, mod.beta))
        return "softplus"
    if kind is nn.GELU:
        if mod.approximate != "none":
            raise ExportError("%s (%s): GELU approximate=%r; fadj's gelu is "
                              "the exact one" % (where, mod, mod.approximate))
        return "gelu"
    if kind is nn.Hardtanh:
        if mod.min_val != -1 or mod.max_val != 1:
            raise ExportError("%s (%s): fadj's hardtanh clamps to [-1, 1]"
                              % (where, mod))
        return "hardtanh"
    if kind is nn.Softmax:
        if mod.dim not in (-1, 1):
            raise ExportError("%s (%s): only Softmax(dim=-1) is covered"
                              % (where, mod))
        return "softmax"
    return None


def _layers(model, dtype):
    """[(position, Linear, activation name)] of MODEL."""
    layers = []
    last_act = None
    for where, mod in _leaves(model, []):
        if type(mod) is nn.Linear:
            layers.append([where, mod, "identity"])
            last_act = None
            continue
        if type(mod) is nn.Identity:
            continue
        if type(mod) is nn.Flatten:
            if mod.start_dim != 1 or mod.end_dim != -1:
                raise ExportError("%s (%s): only Flatten(1, -1) is covered"
                                  % (where, mod))
            if layers:
                continue           # the activations are flat already
            continue               # the input is flattened by export()
        if type(mod) is nn.Dropout:
            if mod.training and mod.p != 0:
                raise ExportError("%s (%s): Dropout in training mode is "
                                  "random; call model.eval()" % (where, mod))
            continue
        name = _activation(mod, where, dtype)
        if name is None:
            raise ExportError("%s: %s is not covered by fadj.torch"
                              % (where, type(mod).__name__))
        if not layers:
            raise ExportError("%s (%s): an activation before the first "
                              "Linear" % (where, mod))
        if last_act is not None:
            raise ExportError("%s (%s): a second activation after %s "
                              "(one per Linear)" % (where, mod, last_act))
        layers[-1][2] = name
        last_act = where
    if not layers:
        raise ExportError("the model has no nn.Linear")
    return layers


def _model_dtype(model):
    dtypes = {p.dtype for p in model.parameters()}
    if len(dtypes) != 1 or not dtypes <= {torch.float32, torch.float64}:
        raise ExportError("the parameters must all be float32 or all float64"
                          " (found %s)" % sorted(map(str, dtypes)))
    return dtypes.pop()


def _loss_plan(loss, layers, n_out):
    """(fadj loss, batch reduction, last activation override, target kind)."""
    red = getattr(loss, "reduction", None)
    if red not in ("mean", "sum"):
        raise ExportError("%s: reduction %r; fadj has 'mean' and 'sum'"
                          % (type(loss).__name__, red))
    last = layers[-1][2]
    kind = type(loss)
    if kind is nn.MSELoss:
        return ("squared" if red == "sum" else "mean_squared"), red, None, "y"
    if kind in (nn.BCELoss, nn.BCEWithLogitsLoss):
        if loss.weight is not None or getattr(loss, "pos_weight", None) \
                is not None:
            raise ExportError("%s with weight or pos_weight is not covered"
                              % kind.__name__)
        if red == "mean" and n_out > 1:
            raise ExportError("%s(reduction='mean') divides by m N_L = m*%d; "
                              "fadj's cross_entropy sums the outputs: use "
                              "reduction='sum' or one output"
                              % (kind.__name__, n_out))
        if kind is nn.BCELoss:
            return "cross_entropy", red, None, "y"
        if last != "identity":
            raise ExportError("BCEWithLogitsLoss needs logits: the last "
                              "Linear (%s) is followed by %s"
                              % (layers[-1][0], last))
        return "cross_entropy", red, "sigmoid", "y"
    if kind is nn.CrossEntropyLoss:
        if loss.weight is not None or loss.label_smoothing != 0:
            raise ExportError("CrossEntropyLoss with weight or "
                              "label_smoothing is not covered")
        if last != "identity":
            raise ExportError("CrossEntropyLoss needs logits: the last "
                              "Linear (%s) is followed by %s"
                              % (layers[-1][0], last))
        return "categorical_cross_entropy", red, "softmax", "classes"
    raise ExportError("loss %s is not covered (MSELoss, CrossEntropyLoss, "
                      "BCELoss, BCEWithLogitsLoss)" % kind.__name__)


def _write_atomic(path, text):
    """TEXT into PATH through a temporary in the same directory."""
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)),
                               prefix=".fadj-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _prepare(model, x, y, loss):
    """Everything export() writes, checked before any file is touched."""
    dtype = _model_dtype(model)
    layers = _layers(model, dtype)
    if not torch.is_tensor(x) or not torch.is_tensor(y):
        raise ExportError("x and y must be tensors")
    x = x.detach().to(dtype)
    if x.dim() == 1:
        x = x.unsqueeze(0)
        y = y.unsqueeze(0)
    x = x.reshape(x.shape[0], -1)
    if x.shape[1] != layers[0][1].in_features:
        raise ExportError("the input has %d entries per sample; the first "
                          "Linear takes %d" % (x.shape[1],
                                               layers[0][1].in_features))
    n_out = layers[-1][1].out_features
    fadj_loss, red, override, target = _loss_plan(loss, layers, n_out)
    if target == "classes" and not y.is_floating_point():
        if y.dim() != 1 or y.shape[0] != x.shape[0]:
            raise ExportError("class indices: one per sample")
        ycls = y
        yt = torch.nn.functional.one_hot(y.long(), n_out).to(dtype)
    else:
        ycls = None
        yt = y.detach().to(dtype).reshape(x.shape[0], -1)
    if yt.shape[1] != n_out:
        raise ExportError("the target has %d entries per sample; the model "
                          "has %d outputs" % (yt.shape[1], n_out))
    return dtype, layers, x, y if ycls is not None else yt, yt, \
        fadj_loss, red, override


def _net_text(dtype, layers, x, yt, fadj_loss, red, override):
    out = ["# exported from PyTorch %s by fadj.torch; every number is an "
           "exact hex float (%s)\n" % (torch.__version__,
                                      str(dtype).replace("torch.", ""))]
    for xs, ys in zip(x, yt):
        out.append("sample [%s] -> [%s]\n" % (_hexs(xs), _hexs(ys)))
    out.append("batch %s\n" % red)
    for i, (where, lin, act) in enumerate(layers):
        if i == len(layers) - 1 and override:
            act = override
        out.append("layer %s   # %s\n  weights %s\n"
                   % (act, where, _matrix(lin.weight.detach())))
        if lin.bias is not None:
            out.append("  bias [%s]\n" % _hexs(lin.bias.detach()))
    out.append("loss %s\n" % fadj_loss)
    return "".join(out)


def _reference_text(model, layers, x, y, loss, dtype):
    """torch's loss and gradients, in DTYPE, as a fadj reference file."""
    xx = x.clone().requires_grad_(True)
    with torch.enable_grad():
        value = loss(model(xx), y)
        params = [xx]
        for _, lin, _ in layers:
            params.append(lin.weight)
            if lin.bias is not None:
                params.append(lin.bias)
        grads = list(torch.autograd.grad(value, params))
    xgrad = grads.pop(0)
    name = "binary32" if dtype == torch.float32 else "binary64"
    out = ["# torch %s gradients (torch %s), exact hex floats\n"
           "type %s\n" % (str(dtype).replace("torch.", ""),
                          torch.__version__, name)]
    for l, (_, lin, _) in enumerate(layers, 1):
        out.append("gradient %d weights %s\n" % (l, _matrix(grads.pop(0))))
        if lin.bias is not None:
            out.append("  bias [%s]\n" % _hexs(grads.pop(0)))
    out.append("input_gradient %s\n" % _matrix(xgrad))
    out.append("loss %s\n" % _hex(value.item()))
    return "".join(out), value.item()


def export(model, x, y, loss, path, reference=None):
    """Write MODEL with the samples X (one row each) and targets Y under
    LOSS (a torch.nn loss module) as the fadj network file PATH; with
    REFERENCE, torch's gradients (and loss) in the model's dtype as a
    reference file there.  Returns torch's loss value (with REFERENCE)
    or None.  The model is not modified (gradients come from
    torch.autograd.grad, never .grad).  Raises ExportError, writing
    nothing, for what fadj cannot represent."""
    dtype, layers, x, yloss, yt, fadj_loss, red, override = \
        _prepare(model, x, y, loss)
    net = _net_text(dtype, layers, x, yt, fadj_loss, red, override)
    ref = value = None
    if reference is not None:
        ref, value = _reference_text(model, layers, x, yloss, loss, dtype)
    _write_atomic(path, net)
    if ref is not None:
        _write_atomic(reference, ref)
    return value


def find_fadj_audit(fadj_audit=None):
    """The fadj-audit program: the argument, $FADJ_AUDIT, the build tree
    this package sits in (python/fadj -> src/fadj-audit), or PATH."""
    if fadj_audit:
        return fadj_audit
    if os.environ.get("FADJ_AUDIT"):
        return os.environ["FADJ_AUDIT"]
    here = os.path.dirname(os.path.abspath(__file__))
    built = os.path.join(here, os.pardir, os.pardir, "src", "fadj-audit")
    if os.access(built, os.X_OK):
        return os.path.normpath(built)
    found = shutil.which("fadj-audit")
    if not found:
        raise FileNotFoundError("fadj-audit not found: pass fadj_audit=, "
                                "set FADJ_AUDIT or put it on PATH")
    return found


def _num(s):
    """A JSON value string ("1.5e-3", "p/q", "inf") as a Python float."""
    if s is None:
        return None
    if isinstance(s, (int, float)):
        return float(s)
    if "/" in s:
        p, q = s.split("/")
        return int(p) / int(q)
    return float(s)


def _stats(s):
    return {"layer": s["layer"], "entries": s["entries"],
            "median_ulp": _num(s["median_ulp"]),
            "p90_ulp": _num(s["p90_ulp"]), "p99_ulp": _num(s["p99_ulp"]),
            "max_ulp": _num(s["max_ulp"]), "within_1ulp": s["within_1ulp"],
            "zero_errors": s["zero_errors"],
            "worst": [dict(w, ulp_error=_num(w["ulp_error"]),
                           condition=_num(w["condition"]),
                           bound_ulps=_num(w["bound_ulps"]),
                           bound_ratio=_num(w["bound_ratio"]))
                      for w in s["worst"]]}


def _entry_name(w):
    """dJ/dW^l[i,j], dJ/db^l[i] or dJ/dX^0[i,s], counted from 1 as
    fadj-audit's text report writes them (its JSON counts from 0)."""
    if w["kind"] == "weight":
        return "dJ/dW^%d[%d,%d]" % (w["layer"], w["row"] + 1, w["col"] + 1)
    if w["kind"] == "bias":
        return "dJ/db^%d[%d]" % (w["layer"], w["row"] + 1)
    return "dJ/dX^0[%d,%d]" % (w["row"] + 1, w["col"] + 1)


class Report:
    """fadj-audit's verdict on torch's gradients, as plain Python values:
    layers (per layer 1..L, then the input gradient as layer 0) and
    overall are dicts with entries, median_ulp, p90_ulp, p99_ulp,
    max_ulp, within_1ulp, zero_errors and worst (a list of dicts with
    layer, kind, row, col, ulp_error, condition, bound_ulps,
    bound_ratio); loss is the certified loss (float), loss_text its
    digits, torch_loss torch's; json the whole parsed report."""

    def __init__(self, data, torch_loss):
        self.json = data
        self.type = data["reference"]["type"]
        self.exact = data["exact"]
        self.loss_text = data["loss"]
        self.loss = _num(data["loss"])
        self.torch_loss = torch_loss
        self.network = data["network"]
        self.layers = [_stats(s) for s in data["summary"]["layers"]]
        self.overall = _stats(data["summary"]["overall"])
        self.worst = self.overall["worst"]
        self.max_ulp = self.overall["max_ulp"]

    def ok(self, tolerance_ulps):
        """Every torch gradient entry within TOLERANCE_ULPS of fadj's."""
        return self.max_ulp <= tolerance_ulps

    def __str__(self):
        n = self.network
        lines = ["fadj audit of torch's %s gradients: %s, %s, batch %s "
                 "of %d" % (self.type, "-".join(map(str, n["sizes"])),
                            n["loss"], n["batch"], n["samples"]),
                 "loss: certified %s, torch %r" % (self.loss_text,
                                                   self.torch_loss),
                 "%-8s %8s %10s %10s %10s %10s %9s"
                 % ("layer", "entries", "median", "p90", "p99", "max",
                    "<=1ulp")]
        for s in self.layers + [self.overall]:
            name = ("all" if s["layer"] is None else
                    "input" if s["layer"] == 0 else str(s["layer"]))
            lines.append("%-8s %8d %10.3g %10.3g %10.3g %10.3g %8.1f%%"
                         % (name, s["entries"], s["median_ulp"],
                            s["p90_ulp"], s["p99_ulp"], s["max_ulp"],
                            100.0 * s["within_1ulp"] / max(s["entries"], 1)))
        lines.append("worst entries (bound: the worst-case error of a "
                     "floating-point sum of the entry's terms):")
        for w in self.worst:
            lines.append("  %-16s %9.3g ulp, condition %.3g, bound %.3g "
                         "ulp, ratio %.3g"
                         % (_entry_name(w), w["ulp_error"], w["condition"],
                            w["bound_ulps"], w["bound_ratio"]))
        return "\n".join(lines)


def audit(model, x, y, loss, digits=30, fadj_audit=None, worst=5):
    """Export to a temporary directory with torch's gradients as the
    reference, run fadj-audit --format=json --summary on it, and return
    its Report."""
    prog = find_fadj_audit(fadj_audit)
    with tempfile.TemporaryDirectory(prefix="fadj-") as tmp:
        net = os.path.join(tmp, "model.net")
        ref = os.path.join(tmp, "torch.ref")
        value = export(model, x, y, loss, net, reference=ref)
        run = subprocess.run([prog, "--format=json", "--summary",
                              "--worst=%d" % worst, "--digits=%d" % digits,
                              "--reference=" + ref, net],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             universal_newlines=True)
    if run.returncode not in (0, 1):
        raise RuntimeError("fadj-audit failed (exit status %d): %s"
                           % (run.returncode, run.stderr.strip()))
    return Report(json.loads(run.stdout), value)


LOSSES = {"mse": nn.MSELoss, "cross_entropy": nn.CrossEntropyLoss,
          "bce": nn.BCELoss, "bce_with_logits": nn.BCEWithLogitsLoss}


def main(argv):
    import argparse
    p = argparse.ArgumentParser(
        prog="python3 -m fadj.torch",
        description="Audit a PyTorch model's gradients with fadj-audit.")
    p.add_argument("model", help="a whole model saved with torch.save")
    p.add_argument("inputs", help="a tensor of samples, one row each")
    p.add_argument("targets", help="a tensor of targets")
    p.add_argument("--loss", choices=sorted(LOSSES), required=True)
    p.add_argument("--reduction", choices=("mean", "sum"), default="mean")
    p.add_argument("--digits", type=int, default=30)
    p.add_argument("--worst", type=int, default=5)
    p.add_argument("--tolerance", type=float,
                   help="exit with status 1 past this many ulps")
    p.add_argument("--export", metavar="NET",
                   help="only write the network file NET (and NET.ref)")
    a = p.parse_args(argv)
    model = torch.load(a.model)
    model.eval()
    x, y = torch.load(a.inputs), torch.load(a.targets)
    loss = LOSSES[a.loss](reduction=a.reduction)
    try:
        if a.export:
            export(model, x, y, loss, a.export, reference=a.export + ".ref")
            return 0
        report = audit(model, x, y, loss, digits=a.digits, worst=a.worst)
    except ExportError as e:
        print("fadj.torch: %s" % e, file=sys.stderr)
        return 2
    print(report)
    if a.tolerance is not None and not report.ok(a.tolerance):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
