#!/bin/sh
# pytorch.sh -- the PyTorch round trip: examples/pytorch/export.py writes a
# model with exact hex-float weights and torch's float32 and float64
# gradients; fadj-audit measures them against the certified gradient and
# reports the errors in ulps.  Skipped (77) when no Python 3 can import
# torch (Debian: apt-get install python3-torch).

set -u
. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-audit"
python_with torch pytorch.sh

if "$py" "$top_srcdir/examples/pytorch/export.py" "$tmp"; then ok; else bad "export.py"; fi
# One sample, then a batch of 5 with PyTorch's default mean reduction
# (fadj's 'batch mean': every gradient, the input gradient included, is
# the derivative of the mean).
for run in model:torch:1000 batch:batch:100000; do
  net=${run%%:*} rest=${run#*:} ref=${rest%%:*} most=${rest#*:}
  for t in 32 64; do
    "$prog" --format=json --digits=20 --reference-type=binary$t \
      --reference="$tmp/$ref-float$t.ref" "$tmp/$net.net" > "$tmp/r$t.json"
    st=$?
    if [ "$st" -eq 0 ]; then ok; else bad "fadj-audit $net float$t: exit $st"; fi
    # The check agrees, and torch's gradient is right to float precision:
    # some ulps off, never thousands (the weights, inputs and targets are
    # the same numbers on both sides, so any larger error would be a bug on
    # one side or the other); the batch's sums over the samples cancel,
    # which costs ulps of the small results, but a factor m (5) would be
    # more than 10^14 ulps off.
    if "$py" - "$tmp/r$t.json" "$t" "$most" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
ref = r["reference"]
print("torch float%s gradient: max error %s ulps (binary%s), "
      "max relative error %s, worst entry %s"
      % (sys.argv[2], ref["max_ulp_error"], sys.argv[2],
         ref["max_rel_error"], ref["worst"]))
ok = (r["verification"]["agree"] and ref["type"] == "binary" + sys.argv[2]
      and 0 < float(ref["max_ulp_error"]) < float(sys.argv[3]))
sys.exit(0 if ok else 1)
PY
    then ok; else bad "$net float$t errors"; fi
  done
done
# A tolerance below the measured error fails with exit status 1.
"$prog" --reference-type=binary32 --reference="$tmp/torch-float32.ref" \
  --tolerance=0.5 "$tmp/model.net" > /dev/null 2>&1
st=$?
if [ "$st" -eq 1 ]; then ok; else bad "tolerance 0.5: exit $st, expected 1"; fi

echo "pytorch.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
