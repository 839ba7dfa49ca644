#!/bin/sh
# pytorch-package.sh -- the fadj.torch package (python/fadj) against torch:
# tests/pytorch_package.py audits models with its export() and audit()
# through this build's fadj-audit.  Skipped (77) when no Python 3 can
# import torch (Debian: apt-get install python3-torch).

set -u
. "${top_srcdir:-.}/tests/lib.sh"
python_with torch pytorch-package.sh

FADJ_AUDIT="$top_builddir/src/fadj-audit" \
PYTHONPATH="$top_srcdir/python${PYTHONPATH:+:$PYTHONPATH}" \
  "$py" "$top_srcdir/tests/pytorch_package.py"
