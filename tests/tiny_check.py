"""tiny_check.py -- what bce_tiny.py and softmax_tiny.py share: run
fadj-audit on a file as JSON and compare its printed values with
references computed by the caller (mpmath, from closed forms).  Printed
values are 30 significant digits, so each must lie within 10^-29 of its
reference, relatively; a reference of exactly 0 must be printed as 0."""

import json
import subprocess

import mpmath


def close(printed, true):
    p = mpmath.mpf(printed)
    if true == 0:
        return p == 0
    return abs(p - true) <= abs(true) * mpmath.mpf("1e-29")


def audit_json(audit, path, title, args=()):
    """fadj-audit --format=json ARGS PATH as a document, or None when it
    failed (the failure printed)."""
    r = subprocess.run([audit, "--format=json"] + list(args) + [path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print("FAIL: %s: exit %d: %s" % (title, r.returncode, r.stderr))
        return None
    return json.loads(r.stdout)


def input_gradient(doc):
    """The entries of the input gradient, one input per sample, in sample
    order whatever the nesting of the JSON rows."""
    return [v for row in doc["input_gradient"] for v in row]


def failures(title, doc, got):
    """The failures of DOC: a value printed as 0, not proven, and each
    (name, printed, reference) of GOT not close to its reference."""
    fail = 0
    if doc["zeros"]:
        print("FAIL: %s: values printed as 0, not proven: %s"
              % (title, doc["zeros"]))
        fail += 1
    for name, printed, true in got:
        if not close(printed, true):
            print("FAIL: %s: %s = %s, expected %s"
                  % (title, name, printed, mpmath.nstr(true, 30)))
            fail += 1
    return fail
