#!/usr/bin/env python3
"""ref-case.py -- the --reference case of issue 15 for callgrind: a
network of 3 sigmoid layers of width N with biases, one sample, every
weight a binary32 value written as a hex float (as
examples/pytorch/export.py writes a model), and reference files of its
gradient in the four forms a framework writes: binary32 and binary64,
hex floats and shortest round-trip decimals.

    python3 bench/ref-case.py FADJ-AUDIT OUTDIR [N [SEED]]

writes OUTDIR/net.net and OUTDIR/ref-{32,64}-{hex,dec}.ref.  The
reference values are the certified gradient (fadj-audit's CSV at 30
digits) rounded to the format and moved by a few ulps (a seeded
random number from -4 to 4), so that, as for a real framework, they
agree with it to about the format's precision.  Measure with

    valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
      FADJ-AUDIT -o /dev/null [--reference=OUTDIR/ref-32-hex.ref] \\
      OUTDIR/net.net

and compare the instruction counts with and without the reference."""

import os
import random
import struct
import subprocess
import sys
from fractions import Fraction


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def f32_step(x, k):
    """The binary32 value K binary32 ulps away from X (a binary32)."""
    b = struct.unpack("<i", struct.pack("<f", x))[0]
    if b < 0:
        b = -(b & 0x7FFFFFFF)
    b += k
    if b < 0:
        b = (-b) | -0x80000000
    return struct.unpack("<f", struct.pack("<i", b))[0]


def f64_step(x, k):
    b = struct.unpack("<q", struct.pack("<d", x))[0]
    if b < 0:
        b = -(b & 0x7FFFFFFFFFFFFFFF)
    b += k
    if b < 0:
        b = (-b) | -0x8000000000000000
    return struct.unpack("<d", struct.pack("<q", b))[0]


def dec32(x):
    """The shortest decimal that reads back as the binary32 X."""
    for p in range(1, 10):
        s = "%.*g" % (p, x)
        if f32(float(s)) == x:
            return s
    return "%.9g" % x


def main():
    audit, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 512
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 15)
    os.makedirs(out, exist_ok=True)
    bound = 1 / n ** 0.5

    def h():
        return f32(rng.uniform(-bound, bound)).hex()

    net = os.path.join(out, "net.net")
    with open(net, "w") as f:
        f.write("input [%s]\n" % " ".join(f32(rng.uniform(-1, 1)).hex()
                                         for _ in range(n)))
        f.write("target [%s]\n" % " ".join(f32(rng.uniform(0, 1)).hex()
                                          for _ in range(n)))
        for _ in range(3):
            f.write("layer sigmoid\nweights [\n")
            for _ in range(n):
                f.write(" ".join(h() for _ in range(n)) + "\n")
            f.write("]\nbias [%s]\n" % " ".join(h() for _ in range(n)))
        f.write("loss half_squared\n")
    csv = subprocess.run([audit, "--format=csv", "--check=none", net],
                         check=True, capture_output=True, text=True).stdout
    grads = {}
    for line in csv.split("\n")[1:]:
        if not line:
            continue
        layer, kind, row, col, value = line.split(",")[:5]
        if kind in ("weight", "bias"):
            grads.setdefault(int(layer), {}).setdefault(kind, []).append(
                (int(row), int(col), float(Fraction(value))))
    for bits in (32, 64):
        for form in ("hex", "dec"):
            path = os.path.join(out, "ref-%d-%s.ref" % (bits, form))
            with open(path, "w") as f:
                f.write("type binary%d\n" % bits)
                for l in sorted(grads):
                    f.write("gradient %d weights [\n" % l)
                    for kind in ("weight", "bias"):
                        if kind == "bias":
                            f.write("] bias [\n")
                        rows = {}
                        for i, j, g in grads[l][kind]:
                            k = rng.randint(-4, 4)
                            r = (f32_step(f32(g), k) if bits == 32
                                 else f64_step(g, k))
                            s = (r.hex() if form == "hex"
                                 else dec32(r) if bits == 32 else repr(r))
                            rows.setdefault(i, []).append(s)
                        for i in sorted(rows):
                            f.write(" ".join(rows[i]) + "\n")
                    f.write("]\n")


if __name__ == "__main__":
    main()
