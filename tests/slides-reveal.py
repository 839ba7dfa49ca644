#!/usr/bin/env python3
# tests/slides-reveal.py -- for tests/slides.sh: does a beamer deck show
# a value before the frame that computes it?
#
# Usage: slides-reveal.py NET PAGES LOG [MIN_SCALE]
#   NET    the network file the deck was written from
#   PAGES  a directory of the deck's pages as text, p1.txt, p2.txt, ...
#          (pdftotext -f k -l k)
#   LOG    the pdflatex log (the picture's scale, fadj-diagram lines)
#
# The values are computed here, independently of fadj, in Python floats
# from the network file: X^l for every layer and every sample, Y^l_* for
# a squared loss.  Only inexact values are used (an exact 1 or 1/2 is
# everywhere), printed as fadj prints them (6 significant digits,
# trailing zeros kept), and only those no earlier quantity shares.  For
# each, the first page that shows it must not come before the first
# frame of its layer ("F-propagation, layer l", "The F-adjoint, layer
# l"); at least one value of every layer must be found, so that the test
# cannot pass by finding nothing.  A slide's picture shows values at 3
# significant digits: those are checked the same way when the log shows
# a picture (a value equal at 3 digits to a number of the file is left
# out).  With MIN_SCALE, every picture must be
# shown at that scale of its natural size (10pt text) at least.

import math
import os
import re
import sys
from fractions import Fraction


def numbers(text):
    """The rows of '[a b; c d]' (or of a bare number) as Fractions."""
    text = text.strip()
    if '[' in text:
        # Nested rows [[a, b], [c, d]] as a; b.
        text = text[text.index('['):text.rindex(']') + 1]
        text = re.sub(r'\]\s*,?\s*\[', ';', text)
        text = text.replace('[', '').replace(']', '')
    rows = text.split(';')
    out = []
    for r in rows:
        if not r.strip():
            continue
        out.append([Fraction(t) for t in re.split(r'[\s,]+', r.strip()) if t])
    return out


def parse(path):
    net = {'samples': [], 'layers': [], 'loss': None}
    layer = None
    pending = ''
    for line in open(path):
        # A matrix may run over several lines, a row to a line: join
        # them until its ']'.
        line = pending + line.split('#', 1)[0].strip()
        if line.count('[') > line.count(']'):
            pending = line + ';'
            continue
        pending = ''
        line = line.strip()
        if not line:
            continue
        word, _, rest = line.partition(' ')
        rest = rest.strip()
        if word == 'input':
            net['input'] = [x for r in numbers(rest) for x in r]
        elif word == 'target':
            net['target'] = [x for r in numbers(rest) for x in r]
        elif word == 'sample':
            a, b = rest.split('->')
            net['samples'].append(([x for r in numbers(a) for x in r],
                                   [x for r in numbers(b) for x in r]))
        elif word == 'layer':
            layer = {'act': rest.split()[0], 'w': None, 'b': None}
            net['layers'].append(layer)
        elif word == 'weights':
            layer['w'] = numbers(rest)
        elif word == 'bias':
            b = [x for r in numbers(rest.replace('frozen', '')) for x in r]
            layer['b'] = b
        elif word == 'loss':
            net['loss'] = rest.split()[0]
    if not net['samples']:
        net['samples'] = [(net['input'], net['target'])]
    return net


def act(name, y):
    """sigma(y) as (floats, exact?), the exactness of each entry."""
    if name == 'sigmoid':
        return [1 / (1 + math.exp(-float(v))) for v in y], False
    if name == 'tanh':
        return [math.tanh(float(v)) for v in y], False
    if name == 'relu':
        return [v if v > 0 else 0 * v for v in y], None
    if name == 'identity':
        return list(y), None
    if name == 'softmax':
        m = max(float(v) for v in y)
        e = [math.exp(float(v) - m) for v in y]
        return [v / sum(e) for v in e], False
    raise KeyError(name)


def dact(name, x):
    if name == 'sigmoid':
        return [v * (1 - v) for v in x]
    if name == 'tanh':
        return [1 - v * v for v in x]
    raise KeyError(name)


def printed(v, digits=6):
    """An inexact value as fadj prints it: 6 significant digits (3 in a
    slide's picture), trailing zeros kept."""
    s = '%#.*g' % (digits, abs(float(v)))
    return None if 'e' in s else s


def literals(net):
    """Every number written in the network file, so that a value that
    merely looks like one of them at 3 digits is not taken for it."""
    out = []
    for x0, target in net['samples']:
        out += list(x0) + list(target)
    for ly in net['layers']:
        for row in ly['w'] or []:
            out += row
        out += ly['b'] or []
    return out


def derive(net):
    """[(kind, layer, strings)]: X^l (kind 'X') for l = 1..L and Y^l_*
    (kind 'Y') for a half_squared loss, in the order computed."""
    out = []
    for x0, target in net['samples']:
        xs, exact = [list(x0)], [True]
        try:
            for l, ly in enumerate(net['layers'], 1):
                w, b = ly['w'], ly['b']
                y = []
                for i, row in enumerate(w):
                    s = sum(row[j] * xs[-1][j] if exact[-1]
                            else float(row[j]) * xs[-1][j]
                            for j in range(len(row)))
                    if b is not None:
                        s += b[i] if len(b) > 1 else b[0]
                    y.append(s)
                x, ex = act(ly['act'], y)
                ex = exact[-1] if ex is None else False
                xs.append(x)
                exact.append(ex)
                if not ex:
                    out.append(('X', l, x))
        except KeyError:
            break
        if net['loss'] != 'half_squared' or len(xs) != len(net['layers']) + 1:
            continue
        try:
            xstar = [float(a) - float(t) for a, t in zip(xs[-1], target)]
            for l in range(len(net['layers']), 0, -1):
                ly = net['layers'][l - 1]
                ystar = [a * d for a, d in
                         zip(xstar, dact(ly['act'], [float(v)
                                                     for v in xs[l]]))]
                out.append(('Y', l, ystar))
                w = ly['w']
                xstar = [sum(float(w[i][j]) * ystar[i]
                             for i in range(len(w)))
                         for j in range(len(w[0]))]
        except KeyError:
            pass
    return out


def main():
    net = parse(sys.argv[1])
    pages = []
    k = 1
    while os.path.exists(os.path.join(sys.argv[2], 'p%d.txt' % k)):
        t = open(os.path.join(sys.argv[2], 'p%d.txt' % k)).read()
        pages.append(t.replace('\u2212', '-'))
        k += 1
    fail = 0

    def first_page(pred):
        for i, t in enumerate(pages):
            if pred(t):
                return i
        return None

    def shows(t, s):
        return re.search(r'(?<![0-9.])' + re.escape(s) + r'(?![0-9])',
                         t) is not None

    def reveal(digits, seen, entry, missing, no_frame):
        """Every derived value printed at DIGITS (but those in SEEN)
        first shown on or after the first frame of its layer, and at
        least one of each layer found; ENTRY qualifies a value, MISSING
        ends the message of a layer with none found, NO_FRAME says
        whether a missing frame is itself a failure."""
        bad = 0
        found = {}
        for kind, l, vals in derive(net):
            title = ('F-propagation, layer %d' % l if kind == 'X'
                     else 'The F-adjoint, layer %d' % l)
            start = first_page(lambda t: title in t)
            if start is None and no_frame:
                print('FAIL: no frame "%s"' % title)
                bad = 1
                continue
            strings = [printed(v, digits) for v in vals]
            for s in strings:
                if start is None or s is None or s in seen:
                    continue
                p = first_page(lambda t: shows(t, s))
                if p is None:
                    continue
                found[(kind, l)] = found.get((kind, l), 0) + 1
                if p < start:
                    print('FAIL: %s^%d entry %s%s on page %d, before "%s" '
                          '(page %d)' % (kind, l, s, entry, p + 1, title,
                                         start + 1))
                    bad = 1
            seen.update(s for s in strings if s is not None)
        for kind, l, _ in derive(net):
            if (kind, l) not in found:
                print('FAIL: no entry of %s^%d found %s' % (kind, l, missing))
                bad = 1
                found[(kind, l)] = 0
        return bad

    # The picture's values, at 3 digits: on the same frames or later.
    picture = len(sys.argv) > 3 and 'fadj-diagram natural' in open(
        sys.argv[3], errors='replace').read()
    if picture:
        fail |= reveal(3, set(printed(v, 3) for v in literals(net)),
                       ' (3 digits, the picture)', 'at 3 digits (the picture)',
                       False)
    fail |= reveal(6, set(), '', 'in the deck', True)
    if len(sys.argv) > 4:
        log = open(sys.argv[3], errors='replace').read()
        nat = [float(v) for v in
               re.findall(r'fadj-diagram natural ([0-9.]+)pt', log)]
        shown = [float(v) for v in
                 re.findall(r'fadj-diagram shown ([0-9.]+)pt', log)]
        if not nat or len(nat) != len(shown):
            print('FAIL: no picture in the log')
            fail = 1
        else:
            scale = min(s / n for s, n in zip(shown, nat))
            if scale < float(sys.argv[4]):
                print('FAIL: a picture at %.2f of its size (text %.1fpt)'
                      % (scale, 10 * scale))
                fail = 1
    sys.exit(fail)


main()
