#!/usr/bin/env python3
"""mpmath-grad.py -- the plain mpmath gradient that `make bench' times
against fadj-audit at its default settings (issue 15): the reverse-mode
gradient of a network as bench/fadj-bench.c writes it (one `input' and
`target', `layer sigmoid' with `weights' and no bias, `loss
half_squared'), in mpmath's floating point at 128 bits, with no
certificate of any digit.

    python3 bench/mpmath-grad.py NET OUT
        writes the gradient (every dJ/dW^l[i,j], then dJ/dX^0[j,1]) to
        OUT with 30 significant digits and prints on standard output the
        CPU seconds of the gradient alone (the parse, the import and the
        interpreter's start are in the process's time, not in these);
    python3 bench/mpmath-grad.py --check NET REPORT
        the sanity check of the benchmark (not timed): every entry of
        fadj-audit's text REPORT of NET against mpmath's gradient at 256
        bits, which must lie within half a unit of the report's 30th
        digit (fadj-audit's digits are its correct rounding), and a count
        of the entries whose 30-digit rounding at 128 bits differs;
        exit 1 on a disagreement;
    python3 bench/mpmath-grad.py --version
        prints mpmath's version and backend (exit 77 without mpmath,
        which the other forms also say on standard error)."""

import re
import sys
import time
from decimal import Decimal, localcontext, ROUND_HALF_EVEN

try:
    import mpmath
    from mpmath import mp, mpf, fdot
except ImportError:
    # --version is fadj-bench's probe, which says itself why it skips.
    if sys.argv[1:] != ["--version"]:
        sys.stderr.write("mpmath-grad.py: Python's mpmath is not "
                         "installed (Debian: python3-mpmath)\n")
    sys.exit(77)

DIGITS = 30


def parse(path):
    """The input, the target and the weight matrices (rows of decimal
    strings) of the network in PATH; anything else is refused."""
    x = t = None
    layers = []
    rows = None
    with open(path) as f:
        for line in f:
            w = line.split()
            if not w:
                continue
            if rows is not None:
                if w == ["]"]:
                    layers.append(rows)
                    rows = None
                else:
                    rows.append(w)
            elif w[0] in ("input", "target"):
                v = line[line.index("[") + 1:line.rindex("]")].split()
                if w[0] == "input":
                    x = v
                else:
                    t = v
            elif w == ["layer", "sigmoid"] or w == ["loss", "half_squared"]:
                pass
            elif w == ["weights", "["]:
                rows = []
            else:
                sys.exit("mpmath-grad.py: %s: not a network of "
                         "fadj-bench's form: %s" % (path, line.strip()))
    if x is None or t is None or not layers or rows is not None:
        sys.exit("mpmath-grad.py: %s: incomplete network" % path)
    return x, t, layers


def gradient(x, t, layers):
    """dJ/dW^l for every layer and dJ/dX^0 at mp.prec, J = sum (a - t)^2
    / 2 with a the last layer's output, a^l = sigmoid(W^l a^(l-1))."""
    W = [[[mpf(v) for v in r] for r in m] for m in layers]
    a = [[mpf(v) for v in x]]
    for m in W:
        a.append([1 / (1 + mpmath.exp(-fdot(r, a[-1]))) for r in m])
    g = [ai - mpf(ti) for ai, ti in zip(a[-1], t)]
    grads = [None] * len(W)
    for l in range(len(W) - 1, -1, -1):
        d = [gi * ai * (1 - ai) for gi, ai in zip(g, a[l + 1])]
        grads[l] = [[di * xj for xj in a[l]] for di in d]
        cols = list(zip(*W[l]))
        g = [fdot(c, d) for c in cols]
    return grads, g


def entries(grads, gx):
    """(name, value) of every entry, in the report's order."""
    for l, m in enumerate(grads):
        for i, r in enumerate(m):
            for j, v in enumerate(r):
                yield "dJ/dW^%d[%d,%d]" % (l + 1, i + 1, j + 1), v
    for j, v in enumerate(gx):
        yield "dJ/dX^0[%d,1]" % (j + 1), v


def exact(v):
    """The binary value V as an exact Decimal (from its sign, odd
    significand and exponent: mpf.man_exp drops the sign)."""
    sign, man, exp, _ = v._mpf_
    man = -man if sign else man
    with localcontext() as c:
        c.prec = 2000
        return Decimal(man) * Decimal(2) ** exp if exp < 0 else \
            Decimal(man * 2 ** exp)


def rounded(d):
    """D rounded to DIGITS significant digits (to nearest)."""
    with localcontext() as c:
        c.prec = DIGITS
        c.rounding = ROUND_HALF_EVEN
        return +d


def half_unit(d):
    """Half a unit of the last of the DIGITS digits of the decimal D."""
    return Decimal(5).scaleb(d.adjusted() - DIGITS)


def check(net, report):
    with open(report) as f:
        printed = dict(re.findall(r"^\s*(dJ/d[WX]\^\d+\[\d+,\d+\]) = (\S+)$",
                                  f.read(), re.M))
    x, t, layers = parse(net)
    mp.prec = 256
    fine = list(entries(*gradient(x, t, layers)))
    mp.prec = 128
    plain = dict(entries(*gradient(x, t, layers)))
    if len(printed) != len(fine):
        sys.exit("mpmath-grad.py: %s has %d entries, the network %d"
                 % (report, len(printed), len(fine)))
    # The 128-bit gradient, 38 digits, is trusted to 25 digits of the
    # largest entry of its matrix: three layers of 128-term sums lose a
    # few digits, a wrong entry (not a rounding) differs in the first.
    scale = {}
    for name, v in printed.items():
        m = name.split("[")[0]
        scale[m] = max(scale.get(m, Decimal(0)), abs(Decimal(v)))
    off = differ = 0
    worst = Decimal(0)
    for name, v in fine:
        a = Decimal(printed[name])
        if abs(exact(v) - a) > half_unit(a):
            off += 1
            if off <= 5:
                sys.stderr.write("mpmath-grad.py: %s = %s, mpmath at 256 "
                                 "bits %s\n" % (name, printed[name],
                                                mpmath.nstr(v, 40)))
        p = exact(plain[name])
        if rounded(p) != a:
            differ += 1
        worst = max(worst, abs(p - a) / (2 * half_unit(a)))
        if abs(p - a) > scale[name.split("[")[0]] * Decimal("1e-25"):
            off += 1
            if off <= 5:
                sys.stderr.write("mpmath-grad.py: %s = %s, mpmath at 128 "
                                 "bits %s\n" % (name, printed[name],
                                                mpmath.nstr(plain[name], 40)))
    if off:
        sys.stderr.write("mpmath-grad.py: %d of %d entries disagree\n"
                         % (off, len(fine)))
        return 1
    print("the %d entries agree with mpmath at 256 bits to the 30 digits, "
          "at 128 bits to 25 digits of\nthe largest entry of each matrix; "
          "at 128 bits mpmath's 30-digit rounding differs in\n%d (%.2f %%), "
          "by at most %.2f units of the 30th digit"
          % (len(fine), differ, 100.0 * differ / len(fine), worst))
    return 0


def main(argv):
    if argv[1:] == ["--version"]:
        print("mpmath %s, backend %s" % (mpmath.__version__,
                                         mpmath.libmp.BACKEND))
        return 0
    if len(argv) == 4 and argv[1] == "--check":
        return check(argv[2], argv[3])
    if len(argv) != 3:
        sys.exit("usage: mpmath-grad.py NET OUT | --check NET REPORT "
                 "| --version")
    x, t, layers = parse(argv[1])
    mp.prec = 128
    c0 = time.process_time()
    grads, gx = gradient(x, t, layers)
    cpu = time.process_time() - c0
    with open(argv[2], "w") as f:
        for name, v in entries(grads, gx):
            f.write("%s = %s\n" % (name, mpmath.nstr(v, DIGITS)))
    print("%.6f" % cpu)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
