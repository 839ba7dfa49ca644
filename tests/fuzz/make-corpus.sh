#!/bin/sh
# make-corpus.sh -- (re)build the seed corpus of the fuzz harnesses from
# the examples and the invalid-input tests.  Run from the source tree's
# top directory; the result is committed (tests/fuzz/corpus/).
#   net/     network files: examples/*.net and tests/invalid/*.net
#            (the pipeline harness uses the same seeds)
#   number/  one literal a file, each syntax and each error of number.c
set -eu
cd "$(dirname "$0")/../.."
out=tests/fuzz/corpus
rm -rf "$out"
mkdir -p "$out/net" "$out/number"
for f in examples/*.net tests/invalid/*.net; do
  cp "$f" "$out/net/$(basename "$(dirname "$f")")-$(basename "$f")"
done
i=0
for lit in 0 1 -1 +7 0.15 .5 5. 1e3 1E-3 -2.5e+10 3/20 -3/20 0/5 \
           0x1.8p-3 0X.8P1 0xff 0x1p99999 1e99999 1e-99999 \
           1/0 0/0 1e999999999 0x1p999999999 1.5/2 1/-2 0x1/2 1e 0x 0xg \
           - . e5 1..2 1e5e5 '1 2' 00000000000000000000000001; do
  i=$((i + 1))
  printf '%s' "$lit" > "$out/number/lit-$i"
done
