#!/usr/bin/env python3
# tests/slide-labels.py -- for tests/slide-labels.sh: are the labels of
# a beamer deck's network pictures at least 9pt?
#
# Usage: slide-labels.py REF.bbox DECK.bbox [MIN_PT]
#   REF.bbox   pdftotext -bbox of a 16:9 beamer frame whose text is 10pt:
#              the words 0.731059 (digits) and -0.5 (with a minus sign,
#              whose glyph is taller)
#   DECK.bbox  pdftotext -bbox of the deck
#
# A word's height in pdftotext's boxes is its font size times a constant
# of the font (the ascender and descender of Computer Modern), so a word
# of the picture is HEIGHT / REF_HEIGHT * 10 points, REF_HEIGHT the
# reference's height for a word of the same kind.  Measured: on each
# picture frame (titled "The network", or "...: the network so far"),
# every word under the title of three characters or more made of
# letters, or of digits with . / - (values, weights, headings, the
# legend); sub- and superscripts (single characters, "*,i", "ij") are
# 7/10 of their text by design and are not labels.  Fails if one is
# under MIN_PT (9), or if a picture frame has no such word (a test that
# finds nothing proves nothing).

import html
import re
import sys

WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" '
                  r'xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>')
LABEL = re.compile(r'^(?:[A-Za-z]{3,}|[\d.,/\u2212-]{3,})$')
MINUS = '\u2212'
TITLE_BOTTOM = 30.0   # a 16:9 frame's title lies above this (pt)


def pages(path):
    """The words of each page: (x0, y0, x1, y1, text)."""
    out = []
    for chunk in open(path, encoding='utf-8').read().split('<page ')[1:]:
        out.append([(float(a), float(b), float(c), float(d),
                     html.unescape(t))
                    for a, b, c, d, t in WORD.findall(chunk)])
    return out


def main():
    ref, deck = sys.argv[1], sys.argv[2]
    min_pt = float(sys.argv[3]) if len(sys.argv) > 3 else 9.0
    href = {}
    for x0, y0, x1, y1, t in pages(ref)[0]:
        if t == '0.731059':
            href['plain'] = y1 - y0
        elif t == MINUS + '0.5':
            href['minus'] = y1 - y0
    if len(href) != 2:
        print('slide-labels.py: the reference frame lacks its words')
        return 2
    bad = 0
    frames = 0
    smallest = None
    for k, words in enumerate(pages(deck), 1):
        title = ' '.join(w[4] for w in words if w[3] < TITLE_BOTTOM)
        if title != 'The network' and not title.endswith('the network so far'):
            continue
        frames += 1
        seen = 0
        for x0, y0, x1, y1, t in words:
            if y1 < TITLE_BOTTOM or not LABEL.match(t):
                continue
            seen += 1
            pt = 10.0 * (y1 - y0) / href['minus' if MINUS in t else 'plain']
            if smallest is None or pt < smallest[0]:
                smallest = (pt, k, t)
            if pt < min_pt - 0.01:
                bad += 1
                if bad <= 5:
                    print('page %d: "%s" at %.2fpt, under %gpt'
                          % (k, t, pt, min_pt))
        if seen == 0:
            print('page %d ("%s"): no label measured' % (k, title))
            bad += 1
    if frames == 0:
        print('slide-labels.py: no picture frame in the deck')
        return 1
    print('%d picture frames, smallest label %.2fpt ("%s", page %d)'
          % (frames, smallest[0], smallest[2], smallest[1]))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
