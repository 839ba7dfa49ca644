#!/bin/sh
# outputs.sh -- write what the programs print for every example in every
# mode into one directory, so that two builds can be compared byte for
# byte: a change that restructures the code without meaning to change
# behaviour must leave `diff -r` of two such directories empty.
#
#   tests/outputs.sh OUTDIR [BUILDDIR]
#
# BUILDDIR (default: the directory this script's tree was built in, or
# .) holds src/fadj-explain, src/fadj-audit and src/fadj-gen.  Each run's
# exit status is written beside its output (NAME.status), so a change of
# status shows in the diff too.  Typical use, before and after a change:
#
#   tests/outputs.sh /tmp/before && <change, rebuild> && \
#   tests/outputs.sh /tmp/after && diff -r /tmp/before /tmp/after
#
# Not part of `make check`: it compares two builds, and one tree has only
# one.  It exits 0 when every output was written, whatever the statuses.

set -u
out=${1:?usage: tests/outputs.sh OUTDIR [BUILDDIR]}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-$top}
explain=$build/src/fadj-explain
audit=$build/src/fadj-audit
gen=$build/src/fadj-gen
mkdir -p "$out" || exit 1

# run NAME PROGRAM ARGS...: PROGRAM's standard output to OUTDIR/NAME and
# its exit status to OUTDIR/NAME.status.
run () {
  name=$1; shift
  "$@" > "$out/$name" 2> "$out/$name.err"
  echo $? > "$out/$name.status"
}

# The bundled examples, two generated networks (one rational), and one
# wider than --max-show.
"$gen" --seed=3 --sizes=3,4,2 --activation=tanh,sigmoid > "$out/generated.net"
"$gen" --seed=5 --sizes=20,12,3 --rational > "$out/wide.net"
for f in "$top"/examples/*.net "$top"/tests/audit-nets/*.net \
         "$out/generated.net" "$out/wide.net"; do
  n=$(basename "$f" .net)
  chain="--chain=1,1,1 --chain=2,1,2"
  run "$n.tex" "$explain" "$f"
  run "$n-fragment.tex" "$explain" --fragment "$f"
  run "$n-nodiagram.tex" "$explain" --no-diagram "$f"
  run "$n-separate.tex" "$explain" --bias=separate "$f"
  run "$n-index-h.tex" "$explain" --index=h "$f"
  run "$n-digits15.tex" "$explain" --digits=15 "$f"
  run "$n-symbolic.tex" "$explain" --symbolic "$f"
  run "$n-beamer.tex" "$explain" --beamer --symbolic "$f"
  run "$n-worksheet.tex" "$explain" --worksheet "$f"
  run "$n-key.tex" "$explain" --worksheet --key "$f"
  run "$n-carry.tex" "$explain" --carry=4 "$f"
  run "$n-steps.tex" "$explain" --steps=2 --rate=1/2 "$f"
  run "$n-local.tex" "$explain" --steps=2 --update=local "$f"
  run "$n-interval.tex" "$explain" --arithmetic=interval "$f"
  run "$n-maxshow.tex" "$explain" --max-show=3 "$f"
  run "$n.md" "$explain" --format=markdown --symbolic "$f"
  run "$n-separate.md" "$explain" --format=markdown --bias=separate "$f"
  run "$n.txt" "$explain" --format=text --symbolic "$f"
  run "$n-separate.txt" "$explain" --format=text --bias=separate "$f"
  run "$n-carry.txt" "$explain" --format=text --carry=2 --steps=1 "$f"
  # shellcheck disable=SC2086
  run "$n-chain.tex" "$explain" $chain "$f"
  # shellcheck disable=SC2086
  run "$n-chain.md" "$explain" --format=markdown $chain "$f"
  # shellcheck disable=SC2086
  run "$n-chain.txt" "$explain" --format=text $chain "$f"
  for fmt in text json csv; do
    run "$n-audit.$fmt" "$audit" --format=$fmt "$f"
    run "$n-audit-full.$fmt" "$audit" --format=$fmt --check=full "$f"
    run "$n-audit-d30.$fmt" "$audit" --format=$fmt --digits=30 "$f"
  done
  run "$n-audit-interval.txt" "$audit" --arithmetic=interval "$f"
done

# fadj-audit against a reference (the fuzz corpus's A[2,2,1] reference),
# in each format and both reference types.
a221=$top/examples/boughammoura-a221.net
ref=$out/a221.ref
tail -c +2 "$top/tests/fuzz/corpus/reference/valid-a221-0" > "$ref"
for fmt in text json csv; do
  run "a221-ref.$fmt" "$audit" --format=$fmt --reference="$ref" "$a221"
  run "a221-ref32.$fmt" "$audit" --format=$fmt --reference="$ref" \
    --reference-type=binary32 "$a221"
done
run "a221-ref-tol.txt" "$audit" --reference="$ref" --tolerance=0 "$a221"

# fadj-gen's own output, and the error messages of invalid inputs.
for s in 1 2 3; do
  run "gen-$s.net" "$gen" --seed=$s
  run "gen-$s-rational.net" "$gen" --seed=$s --rational --sizes=2,3,1
done
for f in "$top"/tests/invalid/*.net; do
  n=$(basename "$f" .net)
  run "invalid-$n.explain" "$explain" "$f"
  run "invalid-$n.audit" "$audit" "$f"
done
for f in "$top"/tests/invalid-ref/*.ref; do
  run "invalid-ref-$(basename "$f" .ref).audit" "$audit" --reference="$f" "$a221"
done
# Reports and messages name the file; make them independent of where
# the tree and OUTDIR are.
for f in "$out"/*; do
  sed -i "s|$top/||g; s|$out/||g" "$f"
done
exit 0
