#!/bin/sh
# bce-tiny.sh -- a sigmoid output under binary cross-entropy with
# pre-activations of +-40 .. +-1000 and +-10^5 (outputs within e^-|y| of
# 1 or 0): J and every gradient certified to 30 digits, with the full and
# the directional check, against closed forms computed with mpmath
# (tests/bce_tiny.py), never "0, not proven" nor out of precision;
# fadj-explain derives the same networks, no value left unproven.
# Skipped (77) without Python 3 and mpmath.

. "${top_srcdir:-.}/tests/lib.sh"
python_with "mpmath" bce-tiny.sh
"$py" "$top_srcdir/tests/bce_tiny.py" "$top_builddir/src/fadj-audit" \
  "$tmp" || exit 1
for f in "$tmp"/bce*.net; do
  "$top_builddir/src/fadj-explain" --chain=1,1,1 -o "$tmp/doc.tex" "$f" \
    || { echo "FAIL: fadj-explain $f: exit $?"; exit 1; }
  if grep -q 'dagger' "$tmp/doc.tex"; then
    echo "FAIL: fadj-explain $f: a value printed as 0 not proven"; exit 1
  fi
done
echo "bce-tiny: ok"
