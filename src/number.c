/* number.c -- exact number literals: every literal of a network file
   denotes a rational, and is read into an mpq_t without rounding.

   literal  := sign? (fraction | decimal | hex)
   sign     := '+' | '-'
   fraction := digits '/' digits          (denominator > 0)
   decimal  := (digits ('.' digits?)? | '.' digits) (('e'|'E') sign? digits)?
   hex      := '0' ('x'|'X') (xdigits ('.' xdigits?)? | '.' xdigits)
               (('p'|'P') sign? digits)?

   A decimal is m * 10^e and a hexadecimal m * 2^e with m an integer
   (all the digits, the point removed) and e the written exponent minus
   the number of fraction digits (times 4 for hex), so 0.15 = 15/100 =
   3/20 and 0x1.8p-3 = 0x18 * 2^-7 = 3/16.  As with strtod, the binary
   exponent of a hexadecimal literal is optional.

   Limits: |written exponent| <= FADJ_MAX_LITERAL_EXP and at most
   FADJ_MAX_LITERAL_LEN bytes (fadj.h), so that no literal can ask for a
   10^(10^9)-sized power (a denial of service, not a number anyone
   means).  Both are documented in fadj-net(5).  */

#include "fadj-impl.h"
#include "plain.h"

#include <stdint.h>
#include <string.h>

static const char msg_empty[] = "empty number";
static const char msg_digit[] = "expected a digit";
static const char msg_xdigit[] = "expected a hexadecimal digit";
static const char msg_expdigit[] = "expected a digit in the exponent";
static const char msg_trailing[] = "unexpected character in the number";
static const char msg_numer[] =
  "the numerator of a fraction must be an integer";
static const char msg_denom[] =
  "the denominator of a fraction must be a positive integer";
static const char msg_zero[] = "division by zero in fraction";
#define STR_(x) #x
#define STR(x) STR_ (x)
static const char msg_exp[] =
  "exponent out of range (the limit is " STR (FADJ_MAX_LITERAL_EXP) ")";
static const char msg_long[] =
  "number too long (the limit is " STR (FADJ_MAX_LITERAL_LEN) " characters)";

static int
is_digit (unsigned char c)
{
  return c >= '0' && c <= '9';
}

static int
is_xdigit (unsigned char c)
{
  return is_digit (c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Scan digits (IS_D) from *P into BUF at *N; returns how many.  */
static size_t
scan_digits (char *buf, size_t *n, const unsigned char *s, size_t len,
             size_t *p, int (*is_d) (unsigned char))
{
  size_t k = 0;

  while (*p < len && is_d (s[*p]))
    {
      buf[(*n)++] = (char) s[(*p)++];
      k++;
    }
  return k;
}

/* exponent := sign? digits, at *P; *E gets its value.  The value is
   accumulated only up to the limit, so a run of a million digits cannot
   overflow.  Returns the error message or NULL.  */
static const char *
scan_exponent (long *e, const unsigned char *s, size_t len, size_t *p)
{
  switch (fadj_exponent_scan (e, s, len, p, FADJ_MAX_LITERAL_EXP))
    {
    case 0:
      return NULL;
    case 1:
      return msg_expdigit;
    default:
      return msg_exp;
    }
}

/* Q = M * BASE^E, canonical.  BASE is 2 or 10.  */
static void
q_set_scaled (mpq_t q, const mpz_t m, int base, long e)
{
  mpq_set_z (q, m);
  if (e == 0)
    return;
  if (base == 2)
    {
      if (e > 0)
        mpq_mul_2exp (q, q, (mp_bitcnt_t) e);
      else
        mpq_div_2exp (q, q, (mp_bitcnt_t) -e);
    }
  else
    {
      mpz_t p;
      mpz_init (p);
      fadj_pow10 (p, (unsigned long) (e > 0 ? e : -e));
      if (e > 0)
        mpz_mul (mpq_numref (q), mpq_numref (q), p);
      else
        {
          mpz_set (mpq_denref (q), p);
          mpq_canonicalize (q);
        }
      mpz_clear (p);
    }
}

#define FAIL(pos, m) \
  do { *errpos = (pos); *msg = (m); return -1; } while (0)

/* The common case, fast: a plain decimal (plain.h), such as the 0.125
   of a weight.  */
unsigned long
fadj_number_digits (const char *str, size_t len)
{
  const unsigned char *s = (const unsigned char *) str;
  size_t p = 0, k;
  int hex;
  long e = 0;

  if (p < len && (s[p] == '+' || s[p] == '-'))
    p++;
  hex = p + 1 < len && s[p] == '0' && (s[p + 1] == 'x' || s[p + 1] == 'X');
  for (k = p; k < len; k++)
    if (hex ? s[k] == 'p' || s[k] == 'P' : s[k] == 'e' || s[k] == 'E')
      {
        size_t q = k + 1;
        if (scan_exponent (&e, s, len, &q) != NULL)
          e = FADJ_MAX_LITERAL_EXP;     /* refused later, counted high */
        break;
      }
  if (e < 0)
    e = -e;
  return fadj_literal_digits (len, (unsigned long) e, hex);
}

unsigned long
fadj_number_digits_valid (const char *str, size_t len, int hex)
{
  const unsigned char *s = (const unsigned char *) str;
  size_t k = len, q;
  unsigned long e = 0;

  /* The one exponent of a valid literal ends it: digits, after a sign
     perhaps, after its letter.  */
  while (k > 0 && is_digit (s[k - 1]))
    k--;
  q = k;
  if (q > 0 && (s[q - 1] == '+' || s[q - 1] == '-'))
    q--;
  if (k < len && q > 0
      && (hex ? s[q - 1] == 'p' || s[q - 1] == 'P'
          : s[q - 1] == 'e' || s[q - 1] == 'E'))
    for (; k < len; k++)
      e = e * 10 + (unsigned long) (s[k] - '0');
  return fadj_literal_digits (len, e, hex);
}

int
fadj_number_plain (int64_t *v, int *places, const char *str, size_t len)
{
  const unsigned char *s = (const unsigned char *) str;
  fadj_plain r;
  size_t p = 0;
  int neg = 0;

  if (p < len && (s[p] == '+' || s[p] == '-'))
    neg = s[p++] == '-';
  if (fadj_plain_scan (&r, s, p, len) != len || !fadj_plain_ok (&r))
    return 0;
  *v = neg ? -(int64_t) r.m : (int64_t) r.m;
  *places = r.places;
  return 1;
}

/* A decimal of a framework's export with an exponent, such as
   5.389457044221937e-05 (Python's repr of a binary64): a plain decimal
   (plain.h) but for the number of places, then (('e'|'E') sign?
   digits)?.  */
int
fadj_number_decimal (int64_t *v, long *x, const char *str, size_t len)
{
  const unsigned char *s = (const unsigned char *) str;
  fadj_plain r;
  size_t p = 0;
  long e = 0;
  int neg = 0;

  if (len > FADJ_MAX_LITERAL_LEN)
    return 0;
  if (p < len && (s[p] == '+' || s[p] == '-'))
    neg = s[p++] == '-';
  p = fadj_plain_scan (&r, s, p, len);
  /* The places may be many (leading zeros): only M must fit.  */
  if (!r.any || r.points > 1 || r.digits > 18)
    return 0;
  if (p < len && (s[p] == 'e' || s[p] == 'E'))
    {
      p++;
      if (scan_exponent (&e, s, len, &p) != NULL)
        return 0;
    }
  if (p != len)
    return 0;
  *v = neg ? -(int64_t) r.m : (int64_t) r.m;
  *x = r.m == 0 ? 0 : e - r.places;
  return 1;
}

/* The hexadecimal floats of a model's export (float.hex()), such as
   0x1.0c53000000000p-1: sign? '0' ('x'|'X') (xdigits ('.' xdigits?)? |
   '.' xdigits) (('p'|'P') sign? digits)?, the form fadj_number_parse
   reads, whose significand without its trailing zero bits fits 62 bits
   (any binary32 or binary64 value).  */
int
fadj_number_dyadic (int64_t *m, long *e, const char *str, size_t len)
{
  const unsigned char *s = (const unsigned char *) str;
  fadj_hex r;
  size_t p = 0;
  long x = 0;
  int neg = 0;

  if (len > FADJ_MAX_LITERAL_LEN)
    return 0;
  if (p < len && (s[p] == '+' || s[p] == '-'))
    neg = s[p++] == '-';
  if (!(p + 1 < len && s[p] == '0' && (s[p + 1] == 'x' || s[p + 1] == 'X')))
    return 0;
  p = fadj_hex_scan (&r, s, p + 2, len);
  if (!r.any || r.over)
    return 0;
  if (p < len && (s[p] == 'p' || s[p] == 'P'))
    {
      p++;
      if (scan_exponent (&x, s, len, &p) != NULL)
        return 0;
    }
  if (p != len)
    return 0;
  return fadj_hex_value (m, e, &r, neg, x);
}

/* Q = such a decimal M / 10^K, reduced by removing the common factors 2
   and 5 -- the only primes of 10^K -- with no mpz arithmetic at all.
   Returns 0 if the literal is not of this form (the general parser then
   reads it, and reports errors).  */
static int
parse_plain_decimal (mpq_t q, const unsigned char *s, size_t len)
{
  uint64_t m, den = 1;
  int64_t v;
  int k, k2, k5;

  if (!fadj_number_plain (&v, &k, (const char *) s, len))
    return 0;
  m = v < 0 ? -(uint64_t) v : (uint64_t) v;
  for (k2 = k; k2 > 0 && m != 0 && (m & 1) == 0; k2--)
    m >>= 1;
  for (k5 = k; k5 > 0 && m != 0 && m % 5 == 0; k5--)
    m /= 5;
  if (m == 0)
    k2 = k5 = 0;
  while (k2-- > 0)
    den *= 2;
  while (k5-- > 0)
    den *= 5;
  mpz_set_ui (mpq_numref (q), (unsigned long) m);
  mpz_set_ui (mpq_denref (q), (unsigned long) den);
  if (v < 0)
    mpq_neg (q, q);
  return 1;
}

int
fadj_number_parse (mpq_t q, const char *str, size_t len, size_t *errpos,
                   const char **msg)
{
  const unsigned char *s = (const unsigned char *) str;
  /* The digits without point or sign, for mpz_set_str; the length limit
     makes a stack buffer enough and keeps this function allocation-free
     apart from GMP's own.  */
  char buf[FADJ_MAX_LITERAL_LEN + 1];
  size_t p = 0, n = 0, nint, nfrac = 0;
  int neg = 0, hex = 0;
  long e = 0;
  const char *m;
  mpz_t z;

  if (len == 0)
    FAIL (0, msg_empty);
  if (sizeof (unsigned long) >= 8 && parse_plain_decimal (q, s, len))
    return 0;
  if (len > FADJ_MAX_LITERAL_LEN)
    FAIL (0, msg_long);
  if (s[p] == '+' || s[p] == '-')
    neg = s[p++] == '-';
  if (p + 1 < len && s[p] == '0' && (s[p + 1] == 'x' || s[p + 1] == 'X'))
    {
      hex = 1;
      p += 2;
    }

  nint = scan_digits (buf, &n, s, len, &p, hex ? is_xdigit : is_digit);
  if (p < len && s[p] == '.')
    {
      p++;
      nfrac = scan_digits (buf, &n, s, len, &p, hex ? is_xdigit : is_digit);
    }
  if (nint + nfrac == 0)
    FAIL (p, hex ? msg_xdigit : msg_digit);

  if (p < len && s[p] == '/')
    {
      /* fraction: the numerator is what we have read so far.  */
      size_t dstart = p + 1, nden;
      if (hex || nfrac > 0 || (p > 0 && s[p - 1] == '.'))
        FAIL (p, msg_numer);
      p = dstart;
      buf[n++] = '\0';
      nden = scan_digits (buf, &n, s, len, &p, is_digit);
      if (nden == 0)
        FAIL (dstart, msg_denom);
      if (p < len)
        FAIL (p, s[p] == '.' || s[p] == 'e' || s[p] == 'E'
              || s[p] == 'x' || s[p] == 'X' ? msg_denom : msg_trailing);
      buf[n] = '\0';
      mpz_init_set_str (z, buf + nint + 1, 10);
      if (mpz_sgn (z) == 0)
        {
          mpz_clear (z);
          FAIL (dstart, msg_zero);
        }
      mpz_set_str (mpq_numref (q), buf, 10);
      mpz_swap (mpq_denref (q), z);
      mpz_clear (z);
      mpq_canonicalize (q);
      if (neg)
        mpq_neg (q, q);
      return 0;
    }

  if (p < len && (hex ? (s[p] == 'p' || s[p] == 'P')
                  : (s[p] == 'e' || s[p] == 'E')))
    {
      p++;
      m = scan_exponent (&e, s, len, &p);
      if (m != NULL)
        FAIL (p, m);
    }
  if (p < len)
    FAIL (p, msg_trailing);

  buf[n] = '\0';
  mpz_init_set_str (z, buf, hex ? 16 : 10);
  /* |e| <= 100000 and nfrac <= 10000, so this cannot overflow a long.  */
  if (hex)
    q_set_scaled (q, z, 2, e - 4 * (long) nfrac);
  else
    q_set_scaled (q, z, 10, e - (long) nfrac);
  mpz_clear (z);
  if (neg)
    mpq_neg (q, q);
  return 0;
}
