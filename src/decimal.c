/* decimal.c -- correct rounding of exact rationals and of intervals to
   N significant decimal digits, the basis of every printed number.

   Everything is done in integer arithmetic (mpz): a rational is exact, so
   the rounding is decided exactly, ties included, with no floating-point
   step whose error would need its own analysis.  */

#include "fadj-impl.h"

#include <assert.h>
#include <string.h>

/* Sign of A - B * 10^E for A, B > 0 (E of either sign), exactly.  */
static int
cmp_pow10 (const mpz_t a, const mpz_t b, long e)
{
  mpz_t t;
  int c;

  mpz_init (t);
  if (e >= 0)
    {
      mpz_ui_pow_ui (t, 10, (unsigned long) e);
      mpz_mul (t, t, b);
      c = mpz_cmp (a, t);
    }
  else
    {
      /* A - B 10^E has the sign of A 10^-E - B.  */
      mpz_ui_pow_ui (t, 10, (unsigned long) -e);
      mpz_mul (t, t, a);
      c = mpz_cmp (t, b);
    }
  mpz_clear (t);
  return c;
}

/* Round A/B (A, B > 0) to N digits.  Writes the digits and exponent; returns
   nonzero if the rounding was exact.

   Let E be the decimal exponent of A/B: 10^E <= A/B < 10^(E+1).  With
   S = E - N + 1, the scaled value A / (B 10^S) lies in [10^(N-1), 10^N);
   its nearest integer (ties to even) is the N-digit significand.  When it
   rounds up to 10^N (9.99..95 -> 10.0..0), the result is 10^(N-1) with
   exponent E + 1, which is still the correct rounding: 10^(E+1) is the
   nearest N-digit decimal.  */
static int
round_pos (char *digits, long *exp10, const mpz_t a, const mpz_t b, int n)
{
  mpz_t num, den, quo, rem, p;
  long e, s;
  int exact, c;

  /* sizeinbase is exact or one too large, so E is within 2 of this
     estimate; the loops correct it.  */
  e = (long) mpz_sizeinbase (a, 10) - (long) mpz_sizeinbase (b, 10);
  while (cmp_pow10 (a, b, e) < 0)          /* A/B < 10^E */
    e--;
  while (cmp_pow10 (a, b, e + 1) >= 0)     /* A/B >= 10^(E+1) */
    e++;

  mpz_inits (num, den, quo, rem, p, NULL);
  s = e - n + 1;
  mpz_set (num, a);
  mpz_set (den, b);
  if (s >= 0)
    {
      mpz_ui_pow_ui (p, 10, (unsigned long) s);
      mpz_mul (den, den, p);
    }
  else
    {
      mpz_ui_pow_ui (p, 10, (unsigned long) -s);
      mpz_mul (num, num, p);
    }
  mpz_tdiv_qr (quo, rem, num, den);
  exact = mpz_sgn (rem) == 0;
  /* Round to nearest: compare the remainder with half the divisor.  */
  mpz_mul_2exp (rem, rem, 1);
  c = mpz_cmp (rem, den);
  if (c > 0 || (c == 0 && mpz_odd_p (quo)))
    mpz_add_ui (quo, quo, 1);
  mpz_ui_pow_ui (p, 10, (unsigned long) n);
  if (mpz_cmp (quo, p) == 0)
    {
      mpz_ui_pow_ui (quo, 10, (unsigned long) (n - 1));
      e++;
    }
  /* QUO has exactly N digits: N + 2 <= sizeof digits bytes suffice.  */
  mpz_get_str (digits, 10, quo);
  assert ((int) strlen (digits) == n);
  *exp10 = e;
  mpz_clears (num, den, quo, rem, p, NULL);
  return exact;
}

void
fadj_decimal_round_q (fadj_decimal *d, const mpq_t q, int n)
{
  mpz_t a;

  assert (n >= 1 && n <= FADJ_MAX_DIGITS);
  d->sign = mpq_sgn (q);
  if (d->sign == 0)
    {
      d->digits[0] = '0';
      d->digits[1] = '\0';
      d->exp10 = 0;
      d->exact = 1;
      return;
    }
  mpz_init (a);
  mpz_abs (a, mpq_numref (q));
  d->exact = round_pos (d->digits, &d->exp10, a, mpq_denref (q), n);
  mpz_clear (a);
}

/* Intervals.  The endpoints are converted to rationals with mpfr_get_q,
   which is exact (an MPFR number is a dyadic rational), and rounded by the
   same integer code as exact values.  mpfr_get_str would also round
   correctly, but it would be a second rounding routine with its own
   exponent convention and no exactness flag; one routine means one set of
   tie and carry cases to get right and to test.

   Rounding to nearest is monotone: if both endpoints round to the same
   decimal D, every point between them does, and so does the true value
   that the interval encloses.  So equal roundings certify D; different
   ones say nothing, and the caller must retry at a higher precision.  */
fadj_status
fadj_decimal_round (fadj_decimal *d, fadj_num_srcptr x, int n)
{
  fadj_decimal hi;
  mpq_t q;

  assert (n >= 1 && n <= FADJ_MAX_DIGITS);
  if (x->domain == FADJ_EXACT)
    {
      fadj_decimal_round_q (d, &x->u.q, n);
      return FADJ_OK;
    }
  /* A NaN or an infinite endpoint encloses nothing useful; like a too
     wide interval, only more precision can help (or the caller's
     precision limit stops the retries).  */
  if (!mpfr_number_p (&x->u.i.left) || !mpfr_number_p (&x->u.i.right))
    return FADJ_UNDECIDED;
  if (mpfi_is_zero (&x->u.i))
    {
      mpq_init (q);
      fadj_decimal_round_q (d, q, n);
      mpq_clear (q);
      return FADJ_OK;
    }
  /* The sign itself must be certain: a nonzero rounding of one endpoint
     and 0 or the opposite sign at the other cannot agree anyway, but say
     so explicitly.  */
  if (mpfi_has_zero (&x->u.i))
    return FADJ_UNDECIDED;

  mpq_init (q);
  mpfr_get_q (q, &x->u.i.left);
  fadj_decimal_round_q (d, q, n);
  mpfr_get_q (q, &x->u.i.right);
  fadj_decimal_round_q (&hi, q, n);
  mpq_clear (q);

  if (d->sign != hi.sign || d->exp10 != hi.exp10
      || strcmp (d->digits, hi.digits) != 0)
    return FADJ_UNDECIDED;
  /* The printed decimal equals the value only if the interval is a single
     point (then the value is that point) which rounds exactly.  */
  d->exact = d->exact && mpfr_equal_p (&x->u.i.left, &x->u.i.right);
  return FADJ_OK;
}

/* Q rounded to PLACES decimal places, ties away from zero (the rule of
   hand calculation: 0.125 -> 0.13, -0.125 -> -0.13), exactly.  */
static void
round_places_q (mpq_t r, const mpq_t q, int places)
{
  mpz_t a, quo, rem, p;

  mpz_inits (a, quo, rem, p, NULL);
  mpz_ui_pow_ui (p, 10, (unsigned long) places);
  mpz_abs (a, mpq_numref (q));
  mpz_mul (a, a, p);
  mpz_tdiv_qr (quo, rem, a, mpq_denref (q));
  mpz_mul_2exp (rem, rem, 1);
  if (mpz_cmp (rem, mpq_denref (q)) >= 0)
    mpz_add_ui (quo, quo, 1);
  if (mpq_sgn (q) < 0)
    mpz_neg (quo, quo);
  mpz_set (mpq_numref (r), quo);
  mpz_set (mpq_denref (r), p);
  mpq_canonicalize (r);
  mpz_clears (a, quo, rem, p, NULL);
}

/* This rounding is monotone too (it is odd and nondecreasing on each
   side of 0), so equal roundings of the endpoints certify the rounding of
   the enclosed value, as in fadj_decimal_round.  */
fadj_status
fadj_decimal_round_places (mpq_t r, fadj_num_srcptr x, int places)
{
  mpq_t lo, hi;
  int same;

  assert (places >= 0 && places <= FADJ_MAX_DIGITS);
  if (x->domain == FADJ_EXACT)
    {
      round_places_q (r, &x->u.q, places);
      return FADJ_OK;
    }
  if (!mpfr_number_p (&x->u.i.left) || !mpfr_number_p (&x->u.i.right))
    return FADJ_UNDECIDED;
  mpq_inits (lo, hi, NULL);
  mpfr_get_q (lo, &x->u.i.left);
  round_places_q (lo, lo, places);
  mpfr_get_q (hi, &x->u.i.right);
  round_places_q (hi, hi, places);
  same = mpq_equal (lo, hi);
  if (same)
    mpq_set (r, lo);
  mpq_clears (lo, hi, NULL);
  return same ? FADJ_OK : FADJ_UNDECIDED;
}
