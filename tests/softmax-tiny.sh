#!/bin/sh
# softmax-tiny.sh -- softmax outputs of 10^-86859 and below (logits 10^5
# and 10^6 apart) under categorical cross-entropy: J and every gradient
# certified to 30 digits against closed forms computed with mpmath
# (tests/softmax_tiny.py), never "0, not proven"; fadj-explain derives
# the same networks, its checks agreeing.  Skipped (77) without Python 3
# and mpmath.

. "${top_srcdir:-.}/tests/lib.sh"
python_with "mpmath" softmax-tiny.sh
"$py" "$top_srcdir/tests/softmax_tiny.py" "$top_builddir/src/fadj-audit" \
  "$tmp" || exit 1
for f in "$tmp"/tiny*.net; do
  "$top_builddir/src/fadj-explain" --chain=1,1,1 -o "$tmp/doc.tex" "$f" \
    || { echo "FAIL: fadj-explain $f: exit $?"; exit 1; }
  if grep -q 'dagger' "$tmp/doc.tex"; then
    echo "FAIL: fadj-explain $f: a value printed as 0 not proven"; exit 1
  fi
done
echo "softmax-tiny: ok"
