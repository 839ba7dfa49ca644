"""reference_check.py -- what reference-scaled.sh and reference-cheap.sh
share, in python's fractions: a literal's exact value, a format's ulp,
a decimal as fadj prints it, and the check of a text report's maxima
and worst entry against errors computed here."""

from fractions import Fraction as F


def lit(s):
    """The exact value of a literal: a decimal or a hex float."""
    sign = -1 if s.startswith("-") else 1
    s = s.lstrip("+-")
    if s[:2].lower() != "0x":
        return sign * F(s)
    m, e = (s[2:].lower().split("p") + ["0"])[:2]
    ip, fp = (m.split(".") + [""])[:2]
    return sign * F(int(ip + fp or "0", 16), 16 ** len(fp)) * F(2) ** int(e)


def ulp(r, bits):
    """The unit in the last place of R in binary32 or binary64 (BITS)."""
    p, emin = (24, -126) if bits == 32 else (53, -1022)
    if r == 0:
        return F(2) ** (emin - p + 1)
    e, a = 0, abs(r)
    while a >= 2: a /= 2; e += 1
    while a < 1: a *= 2; e -= 1
    return F(2) ** (max(e, emin) - p + 1)


def digits(v, n):
    """V to N significant digits, correctly rounded (ties to even), as
    fadj prints it."""
    if v == 0:
        return "0"
    s, v, e = "-" if v < 0 else "", abs(v), 0
    while v >= F(10) ** (e + 1): e += 1
    while v < F(10) ** e: e -= 1
    d = round(v / F(10) ** (e - n + 1))
    if d == 10 ** n: d //= 10; e += 1
    d = str(d)
    return "%s%s.%se%s%d" % (s, d[0], d[1:], "-" if e < 0 else "+", abs(e))


def check_maxima(text, errs, rel_inf=False):
    """The text report TEXT states, twice (summary and layer), the maxima
    of ERRS, entries (abs, rel, ulp, name, reference) in walk order, and
    its worst entry, the first with the largest ulp error (REL_INF: a
    relative error is infinite)."""
    u = max(e[2] for e in errs)
    worst = [e for e in errs if e[2] == u][0]
    want = "max abs error %s, max rel error %s, max ulp error %s" % (
        digits(max(e[0] for e in errs), 6),
        "inf" if rel_inf else digits(max(e[1] for e in errs), 6),
        digits(u, 6))
    assert text.count(want) == 2, (want, text)
    want = "worst: %s, certified " % worst[3]
    assert text.count(want) == 2, (want, text)
    want = ", reference %s\n" % digits(worst[4], 30)
    assert worst[4] == 0 or text.count(want) == 2, (want, text)
