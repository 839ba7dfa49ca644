#!/bin/sh
# make-corpus.sh -- (re)build the seed corpus of the fuzz harnesses from
# the examples and the invalid-input tests.  Run from the source tree's
# top directory; the result is committed (tests/fuzz/corpus/).
#   net/        network files: examples/*.net, tests/audit-nets/*.net and
#               tests/invalid/*.net (the pipeline harness uses the same
#               seeds)
#   number/     one literal a file, each syntax and each error of number.c
#   reference/  a selector byte (which network of fuzz-reference.c, and
#               the report's format: byte / 6 % 3) and a reference file:
#               a valid one for each network, hostile literals, and every
#               invalid reference of tests/invalid-ref (for network 0,
#               A[2,2,1], as there)
set -eu
cd "$(dirname "$0")/../.."
out=tests/fuzz/corpus
rm -rf "$out"
mkdir -p "$out/net" "$out/number" "$out/reference"
for f in examples/*.net tests/audit-nets/*.net tests/invalid/*.net; do
  cp "$f" "$out/net/$(basename "$(dirname "$f")")-$(basename "$f")"
done
# seed NAME SELECTOR TEXT: a reference seed (TEXT as printf's %b).
seed () { { printf "\\$(printf %03o "$2")"; printf '%b' "$3"; } > "$out/reference/$1"; }
a221='gradient 2 weights [-0x1.5836p-6, -0x1.fa7p-8] bias [-0.0287381]\ngradient 1 weights [[0, 0], [0, 0]]\n  bias [-0.00565026\n 0.00565026]\ninput_gradient [-0.0113005 0.0113005]\nloss 1.7699e-2\n'
for fmt in 0 1 2; do
  seed "valid-a221-$fmt" $((fmt * 6)) "# torch, float32\n$a221"
  seed "valid-relu-rational-$fmt" $((fmt * 6 + 1)) 'gradient 1 weights [13/60 -13/30; 0 0; 1/5 -2/5] bias [-13/30 0 -2/5]\ngradient 2 weights [1/4 0 3/2] bias [-1/2]\ninput_gradient [1/2; -1]\nloss 1/8\n'
  seed "valid-xor-batch-$fmt" $((fmt * 6 + 2)) 'gradient 1 weights [0.01 -0.02; 0.03 0.04] bias [0.5 -0.5]\ngradient 2 weights [0x1p-3 -0x1p-4] bias [1e-3]\ninput_gradient [[0, 0], [0, 1], [1, 0], [1, 1]]\n'
  seed "valid-mazur-$fmt" $((fmt * 6 + 3)) 'gradient 1 weights [0.000438568 0.000877135; 0.000497713 0.000995425] bias [0.0187256094]\ngradient 2 weights [0.082167041 0.0826676; -0.02260254 -0.02274024] bias [0.100400325]\n'
  seed "valid-softmax-$fmt" $((fmt * 6 + 4)) 'gradient 1 weights [1 2; 3 4; 5 6] bias [1 2 3]\ngradient 2 weights [1 2 3; 4 5 6; 7 8 9]\ninput_gradient [1 2; 3 4]\nloss 0.5\n'
  seed "valid-hmkcode-$fmt" $((fmt * 6 + 5)) 'gradient 1 weights [0.0 0.0; 0 0]\ngradient 2 weights [0.1 0.2]\n'
done
seed hostile-huge 0 "$(printf '%s' "$a221" | sed 's/-0x1.5836p-6/1e99999/')"
seed hostile-hex 6 "$(printf '%s' "$a221" | sed 's/-0x1.5836p-6/0x1p-99999/')"
seed hostile-zero-ref 12 "$(printf '%s' "$a221" | sed 's/\[\[0, 0\]/[[1e-99999, 0]/')"
for f in tests/invalid-ref/*.ref; do
  { printf '\000'; cat "$f"; } > "$out/reference/invalid-$(basename "$f")"
done
i=0
for lit in 0 1 -1 +7 0.15 .5 5. 1e3 1E-3 -2.5e+10 3/20 -3/20 0/5 \
           0x1.8p-3 0X.8P1 0xff 0x1p99999 1e99999 1e-99999 \
           1/0 0/0 1e999999999 0x1p999999999 1.5/2 1/-2 0x1/2 1e 0x 0xg \
           - . e5 1..2 1e5e5 '1 2' 00000000000000000000000001; do
  i=$((i + 1))
  printf '%s' "$lit" > "$out/number/lit-$i"
done
