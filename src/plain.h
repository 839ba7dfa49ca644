/* plain.h -- the scanners of plain decimals, of hexadecimal floats and
   of exponents, internal to libfadj: one definition of each for the
   lexer's fast path (lex.c), which reads the value while it cuts the
   token, and for fadj_number_plain, fadj_number_decimal and
   fadj_number_dyadic (number.c), which read it from a token cut by the
   generic lexer.

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

/* The significand of a hexadecimal float (fadj_number_dyadic's form):
   hexadecimal digits and points from P (before LEN), up to the first
   other byte or a second point; returns its position.  V the digits
   from the first nonzero one, BITS their count times 4; OVER when that
   passes 64 (V is then meaningless, and the scan stops there); FRAC
   the digits after the point; ANY a digit seen.  */
typedef struct
{
  uint64_t v;
  int bits, frac, any, over;
} fadj_hex;

/* The value of a hexadecimal digit plus 1; 0 for any other byte.  */
static const unsigned char fadj_hex_digit1[256] = {
  ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
  ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
  ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
  ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16
};

static inline size_t
fadj_hex_scan (fadj_hex *r, const unsigned char *s, size_t p, size_t len)
{
  size_t point = (size_t) -1;   /* where the point is, if any */
  uint64_t v = 0;
  int n = 0;                    /* digits from the first nonzero one */

  r->any = r->over = 0;
  /* Leading zeros (and the point among them), then the others.  */
  for (; p < len; p++)
    if (s[p] == '0')
      r->any = 1;
    else if (s[p] == '.' && point == (size_t) -1)
      point = p;
    else
      break;
  for (; p < len; p++)
    {
      unsigned d = fadj_hex_digit1[s[p]];
      if (d == 0)
        {
          if (s[p] == '.' && point == (size_t) -1)
            {
              point = p;
              continue;
            }
          break;
        }
      /* At most 16 hex digits from the first nonzero one: 64 bits.  */
      if (++n > 16)
        {
          r->over = 1;
          return p;
        }
      v = v << 4 | (d - 1);
    }
  r->any |= n > 0;
  r->v = v;
  r->bits = 4 * n;
  /* Between the point and P there are digits only.  */
  r->frac = point == (size_t) -1 ? 0 : (int) (p - point - 1);
  return p;
}

/* exponent := sign? digits at *P, before LEN, its value into *E; the
   value is accumulated only up to LIMIT, so that a run of a million
   digits cannot overflow.  0; or 1, no digit (*P past the sign); or 2,
   beyond LIMIT (*P at the first digit).  */
static inline int
fadj_exponent_scan (long *e, const unsigned char *s, size_t len, size_t *p,
                    long limit)
{
  size_t start;
  int neg = 0;
  long v = 0;

  if (*p < len && (s[*p] == '+' || s[*p] == '-'))
    neg = s[(*p)++] == '-';
  start = *p;
  if (*p >= len || (unsigned) s[*p] - '0' >= 10)
    return 1;
  while (*p < len && (unsigned) s[*p] - '0' < 10)
    {
      if (v <= limit)
        v = v * 10 + (s[*p] - '0');
      (*p)++;
    }
  if (v > limit)
    {
      *p = start;
      return 2;
    }
  *e = neg ? -v : v;
  return 0;
}

/* The value of a hexadecimal float scanned by fadj_hex_scan (ANY set,
   not OVER) with the written binary exponent X, as M 2^*E with M odd
   (or 0, *E 0): 1 and *M; 0 when M does not fit 62 bits.  */
static inline int
fadj_hex_value (int64_t *m, long *e, const fadj_hex *r, int neg, long x)
{
  uint64_t v = r->v;
  int z;

  x -= 4 * (long) r->frac;      /* |x| <= 100000 + 4 * 10000 */
  if (v == 0)
    x = 0;
  else
    {
      z = __builtin_ctzll (v);
      v >>= z;
      x += z;
    }
  if (v >= UINT64_C (1) << 62)
    return 0;
  *m = neg ? -(int64_t) v : (int64_t) v;
  *e = x;
  return 1;
}

/* What a literal of LEN characters whose written exponent is E in
   absolute value counts towards a file's limit on digits
   (fadj_number_digits): a hexadecimal digit is 1.21 decimal digits, a
   binary exponent 0.302, counted as 5/4 and 1/3 (rounded up), upper
   bounds that keep a binary64 export of 12.6 million weights (21
   characters each) well inside the limit.  */
static inline unsigned long
fadj_literal_digits (size_t len, unsigned long e, int hex)
{
  return hex ? (5 * (unsigned long) len + 3) / 4 + e / 3 + 1
    : (unsigned long) len + e;
}

#endif /* FADJ_PLAIN_H */
