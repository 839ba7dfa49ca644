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

/* The fast path for one nonzero MPFR endpoint V = M 2^E (exactly):
   when 10^(N-1) <= |V| 10^K < 10^N for some 0 <= K <= 38 and N <= 38,
   the N-digit significand is |M| 10^K 2^E rounded to the nearest integer
   (ties to even), computed exactly in integers with the power of ten
   from a table instead of mpz_ui_pow_ui -- the cost of printing
   hundreds of thousands of gradient entries.  The result is the same as
   fadj_decimal_round_q's on V; returns 0 (D untouched) when the fast
   path does not apply, and the caller takes the general one.  */
/* A read-only mpz view of V (< 2^128) over LIMBS, without allocation.  */
static mpz_srcptr
pow_view (__mpz_struct *z, mp_limb_t limbs[2], unsigned __int128 v)
{
  limbs[0] = (mp_limb_t) v;
  limbs[1] = (mp_limb_t) (v >> 64);
  return mpz_roinit_n (z, limbs, limbs[1] ? 2 : 1);
}

static int
round_fr_fast (fadj_decimal *d, mpfr_srcptr v, int n)
{
  unsigned __int128 p10[39];
  mp_limb_t limbs[2];
  __mpz_struct zv;      /* a view of one power of ten at a time */
  mpz_t m, q, r, t;
  mpz_srcptr pk;
  long e, e10, k;
  int i, ok = 0, c;

  if (n > 38 || !mpfr_regular_p (v))
    return 0;
  p10[0] = 1;
  for (i = 1; i <= 38; i++)
    p10[i] = p10[i - 1] * 10;
  /* |V| in [2^(X-1), 2^X): e10 = floor(log10 |V|) is floor((X-1) log10 2)
     or one more; try the smaller and correct.  */
  {
    double f = (double) (mpfr_get_exp (v) - 1) * 0.30102999566398120;
    e10 = (long) f;
    if ((double) e10 > f)
      e10--;
  }
  mpz_inits (m, q, r, t, NULL);
  e = mpfr_get_z_2exp (m, v);
  mpz_abs (m, m);
  for (i = 0; i < 2 && !ok; i++, e10++)
    {
      k = n - 1 - e10;
      if (k < 0 || k > 38 || e > 0)
        break;
      /* t = |M| 10^K; Q = floor (t / 2^-E), R the remainder.  */
      mpz_mul (t, pow_view (&zv, limbs, p10[k]), m);
      mpz_fdiv_q_2exp (q, t, (mp_bitcnt_t) -e);
      mpz_fdiv_r_2exp (r, t, (mp_bitcnt_t) -e);
      if (mpz_cmp (q, pow_view (&zv, limbs, p10[n])) >= 0)
        continue;               /* e10 was one too small */
      /* Round to nearest, ties to even: compare 2R with 2^-E.  */
      if (e == 0)
        c = -1;                 /* an integer: nothing to round */
      else
        {
          mpz_set_ui (t, 0);
          mpz_setbit (t, (mp_bitcnt_t) (-e - 1));     /* one half */
          c = mpz_cmp (r, t);
        }
      pk = pow_view (&zv, limbs, p10[n]);
      d->exact = mpz_sgn (r) == 0;
      if (c > 0 || (c == 0 && mpz_odd_p (q)))
        mpz_add_ui (q, q, 1);
      d->exp10 = e10;
      if (mpz_cmp (q, pk) == 0)
        {
          /* 9.99..95 rounded up to 10.0..0: one digit more.  */
          mpz_set (q, pow_view (&zv, limbs, p10[n - 1]));
          d->exp10 = e10 + 1;
        }
      if (mpz_cmp (q, pow_view (&zv, limbs, p10[n - 1])) < 0)
        break;                  /* e10 was one too large: general path */
      mpz_get_str (d->digits, 10, q);
      d->sign = mpfr_sgn (v);
      ok = 1;
    }
  mpz_clears (m, q, r, t, NULL);
  return ok;
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

  if (!round_fr_fast (d, &x->u.i.left, n)
      || !round_fr_fast (&hi, &x->u.i.right, n))
    {
      mpq_init (q);
      mpfr_get_q (q, &x->u.i.left);
      fadj_decimal_round_q (d, q, n);
      mpfr_get_q (q, &x->u.i.right);
      fadj_decimal_round_q (&hi, q, n);
      mpq_clear (q);
    }

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
