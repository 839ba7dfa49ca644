/* plain.h -- the scanner of plain decimals, internal to libfadj: one
   definition of "plain" for the lexer's fast path (lex.c), which reads
   the value while it cuts the token, and for fadj_number_plain
   (number.c), which reads it from a token cut by the generic lexer.

   A plain decimal is sign? (digits ('.' digits?)? | '.' digits) with at
   most 18 significant digits (leading zeros are not significant) and at
   most 18 places: its digits M < 10^18 and 10^places fit an int64.  */

#ifndef FADJ_PLAIN_H
#define FADJ_PLAIN_H

#include <stddef.h>
#include <stdint.h>

typedef struct
{
  uint64_t m;           /* the digits (meaningless if not plain) */
  int digits;           /* significant digits */
  int places;           /* digits after the first point */
  int points;           /* '.' seen */
  int any;              /* a digit seen */
} fadj_plain;

/* Scan the digits and points of S from P (before LEN); returns the
   position of the first other byte.  */
static inline size_t
fadj_plain_scan (fadj_plain *r, const unsigned char *s, size_t p,
                 size_t len)
{
  r->m = 0;
  r->digits = r->places = r->points = r->any = 0;
  for (; p < len; p++)
    {
      unsigned d = (unsigned) s[p] - '0';
      if (d < 10)
        {
          /* Past 19 digits M wraps, but the number is not plain then.  */
          r->digits += (r->m | d) != 0;
          r->m = r->m * 10 + d;
          r->places += r->points;
          r->any = 1;
        }
      else if (s[p] == '.')
        r->points++;
      else
        break;
    }
  return p;
}

static inline int
fadj_plain_ok (const fadj_plain *r)
{
  return r->any && r->points <= 1 && r->digits <= 18 && r->places <= 18;
}

#endif /* FADJ_PLAIN_H */
