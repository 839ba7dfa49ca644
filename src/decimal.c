/* decimal.c -- correct rounding of exact rationals and of intervals to
   N significant decimal digits, the basis of every printed number.

   Everything is done in integer arithmetic (mpz, or mpn on the fast path
   for interval endpoints and products of them): a rational is exact, so
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

/* ------------------------------------------------------------------ */
/* The fast path, in integers on GMP's mpn layer.

   A nonzero |V| = P 2^E, with P a natural number of NP limbs (an MPFR
   significand, or the exact product of two), is rounded to N <= 38
   digits thus.  Let E10 = floor(log10 |V|) and K = N - 1 - E10, so that
   |V| 10^K lies in [10^(N-1), 10^N).  Since 10^K = 5^K 2^K,
   |V| 10^K = P 5^K / 2^SH with SH = -(E + K); for SH > 0 its integer
   part Q is P 5^K shifted right by SH bits, the half bit is bit SH - 1 of
   P 5^K and the sticky bits are the ones below it.  Round to nearest,
   ties to even: Q + 1 if the half bit is set and (some sticky bit is
   set or Q is odd); Q = 10^N (9.99..95 rounded up) becomes 10^(N-1)
   with E10 + 1, as in round_pos.  Everything is exact, so the result is
   the one fadj_decimal_round_q gives on the same rational (tested in
   check_decimal against it, ties included); no floating-point step is
   involved except the estimate of E10, which is checked.

   The range, outside of which the callers take the general path: N <=
   38 (so that Q < 10^38 fits two limbs), 0 <= K <= FAST_K (5^K as at
   most three factors of two limbs), SH > 0 (V not an integer at that
   scale), P at most FAST_LIMBS limbs.  Gradients of a network at 30
   digits are well inside.  */

#if GMP_NUMB_BITS == 64 && GMP_NAIL_BITS == 0
#define FAST_OK 1
#else
#define FAST_OK 0     /* other limb sizes: always the general path */
#endif

typedef unsigned __int128 u128;

#define FAST_DIGITS 38
#define POW5_MAX 55             /* 5^55 < 2^128: two limbs */
#define FAST_K (3 * POW5_MAX)   /* 10^-K: values down to about 10^-130 */
#define FAST_LIMBS 32           /* of P: a product of two 16-limb values */

/* 10^i for i <= 38 and 5^i for i <= 55, computed once (the tables are
   filled on first use; filling them twice from two threads would write
   the same values).  */
static u128 pow10_tab[FAST_DIGITS + 1], pow5_tab[POW5_MAX + 1];

static void
fast_tables (void)
{
  int i;

  if (pow5_tab[0] != 0)
    return;
  pow10_tab[0] = 1;
  for (i = 1; i <= FAST_DIGITS; i++)
    pow10_tab[i] = pow10_tab[i - 1] * 10;
  for (i = 1, pow5_tab[1] = 5; i < POW5_MAX; i++)
    pow5_tab[i + 1] = pow5_tab[i] * 5;
  pow5_tab[0] = 1;
}

/* T = P 5^K (0 <= K <= FAST_K), by at most FAST_K / POW5_MAX factors
   5^i of two limbs each; returns the size of T (top limb nonzero).  T has
   room for NP + 2 FAST_K / POW5_MAX limbs; P and T do not overlap.  */
static mp_size_t
mul_pow5 (mp_limb_t *t, const mp_limb_t *p, mp_size_t np, int k)
{
  mp_limb_t f[2], tmp[FAST_LIMBS + 2 * (FAST_K / POW5_MAX)];
  mp_limb_t *dst = t, *other = tmp, *swap;
  const mp_limb_t *src = p;
  mp_size_t nt = np;

  for (;;)
    {
      int i = k > POW5_MAX ? POW5_MAX : k;

      k -= i;
      f[0] = (mp_limb_t) pow5_tab[i];
      f[1] = (mp_limb_t) (pow5_tab[i] >> 64);
      if (f[1] == 0)
        {
          dst[nt] = mpn_mul_1 (dst, src, nt, f[0]);
          nt++;
        }
      else
        {
          if (nt >= 2)
            mpn_mul (dst, src, nt, f, 2);
          else
            mpn_mul (dst, f, 2, src, nt);
          nt += 2;
        }
      while (dst[nt - 1] == 0)
        nt--;
      if (k == 0)
        break;
      /* The next factor from this product into the other buffer.  */
      src = dst;
      swap = dst;
      dst = other;
      other = swap;
    }
  if (dst != t)
    mpn_copyi (t, dst, nt);
  return nt;
}

/* Round P 2^E (P > 0 of NP <= FAST_LIMBS limbs, top limb nonzero) to N
   digits: *Q in [10^(N-1), 10^N), *E10, *EXACT (nothing was lost).
   Returns 0, with the outputs unspecified, outside the fast range.  */
static int
round_mpn (u128 *q, long *e10, int *exact, const mp_limb_t *p,
           mp_size_t np, long e, int n)
{
  mp_limb_t t[FAST_LIMBS + 2 * (FAST_K / POW5_MAX)];
  mp_limb_t r[FAST_LIMBS + 2 * (FAST_K / POW5_MAX)];
  long x, k, sh, hb;
  int attempt;

  if (!FAST_OK || n > FAST_DIGITS || np > FAST_LIMBS
      || e < -(1L << 40) || e > (1L << 40))
    return 0;
  fast_tables ();
  /* 2^(X-1) <= P 2^E < 2^X, so E10 is floor((X-1) log10 2) or one more:
     try the smaller first.  A wrong estimate (the double's error) costs
     only the general path: the checks below never accept a wrong E10.  */
  x = np * GMP_NUMB_BITS - __builtin_clzll (p[np - 1]) + e;
  {
    double f = (double) (x - 1) * 0.30102999566398120;
    *e10 = (long) f;
    if ((double) *e10 > f)
      (*e10)--;
  }
  for (attempt = 0; attempt < 2; attempt++, (*e10)++)
    {
      mp_size_t nt, li, nr;
      unsigned bi;
      mp_limb_t sticky;

      k = n - 1 - *e10;
      if (k < 0 || k > FAST_K)
        return 0;
      sh = -(e + k);
      if (sh <= 0)
        return 0;
      nt = mul_pow5 (t, p, np, (int) k);
      li = (mp_size_t) (sh / GMP_NUMB_BITS);
      bi = (unsigned) (sh % GMP_NUMB_BITS);
      if (li >= nt)
        return 0;               /* Q = 0: E10 too large */
      nr = nt - li;
      if (bi != 0)
        mpn_rshift (r, t + li, nr, bi);
      else
        mpn_copyi (r, t + li, nr);
      while (nr > 0 && r[nr - 1] == 0)
        nr--;
      if (nr > 2)
        continue;               /* Q >= 2^128 > 10^N: E10 too small */
      *q = nr == 0 ? 0 : nr == 1 ? (u128) r[0]
        : (u128) r[0] | (u128) r[1] << 64;
      if (*q >= pow10_tab[n])
        continue;               /* E10 too small */
      if (*q < pow10_tab[n - 1])
        return 0;               /* E10 too large */
      /* The half bit, and the sticky bits below it.  */
      hb = sh - 1;
      li = (mp_size_t) (hb / GMP_NUMB_BITS);
      bi = (unsigned) (hb % GMP_NUMB_BITS);
      sticky = t[li] & (((mp_limb_t) 1 << bi) - 1);
      while (sticky == 0 && li > 0)
        sticky = t[--li];
      *exact = 1;
      if ((t[hb / GMP_NUMB_BITS] >> bi) & 1)
        {
          *exact = 0;
          if (sticky != 0 || (*q & 1) != 0)
            (*q)++;
        }
      else if (sticky != 0)
        *exact = 0;
      if (*q == pow10_tab[n])
        {
          *q = pow10_tab[n - 1];
          (*e10)++;
        }
      return 1;
    }
  return 0;
}

/* |V| of a regular MPFR number: P 2^E, P the significand's limbs.  */
static const mp_limb_t *
fr_mpn (mp_size_t *np, long *e, mpfr_srcptr v)
{
  *np = (mp_size_t) ((mpfr_get_prec (v) + GMP_NUMB_BITS - 1)
                     / GMP_NUMB_BITS);
  /* v = 0.S x 2^EXP with S the NP-limb significand (top bit set).  */
  *e = (long) mpfr_get_exp (v) - (long) (*np * GMP_NUMB_BITS);
  return mpfr_custom_get_significand (v);
}

/* D's digits: Q in [10^(N-1), 10^N) as exactly N ASCII digits.  */
static void
put_digits (char *s, u128 q, int n)
{
  /* Two 64-bit halves (Q < 10^38: the high half is < 10^19), then plain
     divisions by 10, which the compiler turns into multiplications.  */
  uint64_t lo = (uint64_t) (q % (u128) 10000000000000000000ULL);
  uint64_t hi = (uint64_t) (q / (u128) 10000000000000000000ULL);
  int i;

  s[n] = '\0';
  for (i = n - 1; i >= 0 && i >= n - 19; i--, lo /= 10)
    s[i] = (char) ('0' + lo % 10);
  for (; i >= 0; i--, hi /= 10)
    s[i] = (char) ('0' + hi % 10);
}

/* Round |V|, V a regular MPFR number, with the fast path: see round_mpn.  */
static int
round_fr_fast (u128 *q, long *e10, int *exact, mpfr_srcptr v, int n)
{
  const mp_limb_t *p;
  mp_size_t np;
  long e;

  p = fr_mpn (&np, &e, v);
  return round_mpn (q, e10, exact, p, np, e, n);
}

/* Round |U V| (U, V regular MPFR numbers) with the fast path, the
   product formed exactly in P (FAST_LIMBS limbs).  */
static int
mul_round (u128 *q, long *e10, int *exact, mp_limb_t *p, mpfr_srcptr u,
           mpfr_srcptr v, int n)
{
  const mp_limb_t *pu, *pv;
  mp_size_t nu, nv, np;
  long eu, ev;

  pu = fr_mpn (&nu, &eu, u);
  pv = fr_mpn (&nv, &ev, v);
  if (nu + nv > FAST_LIMBS || eu < -(1L << 40) || eu > (1L << 40)
      || ev < -(1L << 40) || ev > (1L << 40))
    return 0;
  if (nu >= nv)
    mpn_mul (p, pu, nu, pv, nv);
  else
    mpn_mul (p, pv, nv, pu, nu);
  /* Both significands have their top bit set: the product's top limb
     is nonzero.  */
  np = nu + nv;
  return round_mpn (q, e10, exact, p, np, eu + ev, n);
}

/* Intervals.  Each endpoint is rounded exactly: by the fast path above
   when it applies, else converted to a rational with mpfr_get_q (exact:
   an MPFR number is a dyadic rational) and rounded by the same integer
   code as exact values.  mpfr_get_str would also round correctly, but it
   would be a second rounding routine with its own exponent convention
   and no exactness flag; the fast path is tested against round_pos, so
   there is still one set of tie and carry cases to get right.

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

  {
    /* The fast path: both endpoints' significands, compared before any
       digit is written.  */
    u128 qlo, qhi;
    long elo, ehi;
    int xlo, xhi;

    if (round_fr_fast (&qlo, &elo, &xlo, &x->u.i.left, n)
        && round_fr_fast (&qhi, &ehi, &xhi, &x->u.i.right, n))
      {
        if (qlo != qhi || elo != ehi)
          return FADJ_UNDECIDED;
        d->sign = mpfr_sgn (&x->u.i.left);
        d->exp10 = elo;
        put_digits (d->digits, qlo, n);
        d->exact = xlo && mpfr_equal_p (&x->u.i.left, &x->u.i.right);
        return FADJ_OK;
      }
  }
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

/* The product: for intervals A = [a1, a2] and B = [b1, b2] that exclude
   0, |A B| lies in [min|A| min|B|, max|A| max|B|], and these two bounds
   are computed exactly (the product of two significands is an integer
   of their combined length) and rounded by round_mpn.  The enclosure is
   the exact range of the products, tighter than an outward-rounded
   mpfi_mul, so whatever mpfi_mul followed by fadj_decimal_round decides,
   this decides identically (both are the correct rounding of the true
   value); it may decide a few more.  Sign: the product of the signs.
   Everything else (exact values, 0 in an interval, NaN, out of range)
   goes through fadj_num_mul and fadj_decimal_round.  */
fadj_status
fadj_decimal_round_mul (fadj_decimal *d, fadj_num_srcptr a,
                        fadj_num_srcptr b, int n)
{
  assert (n >= 1 && n <= FADJ_MAX_DIGITS);
  if (a->domain == FADJ_INTERVAL && b->domain == FADJ_INTERVAL
      && mpfr_regular_p (&a->u.i.left) && mpfr_regular_p (&a->u.i.right)
      && mpfr_regular_p (&b->u.i.left) && mpfr_regular_p (&b->u.i.right)
      && mpfr_sgn (&a->u.i.left) == mpfr_sgn (&a->u.i.right)
      && mpfr_sgn (&b->u.i.left) == mpfr_sgn (&b->u.i.right))
    {
      int sa = mpfr_sgn (&a->u.i.left), sb = mpfr_sgn (&b->u.i.left);
      /* The endpoints of least and greatest magnitude.  */
      mpfr_srcptr amin = sa > 0 ? &a->u.i.left : &a->u.i.right;
      mpfr_srcptr amax = sa > 0 ? &a->u.i.right : &a->u.i.left;
      mpfr_srcptr bmin = sb > 0 ? &b->u.i.left : &b->u.i.right;
      mpfr_srcptr bmax = sb > 0 ? &b->u.i.right : &b->u.i.left;
      mp_limb_t p[FAST_LIMBS];
      u128 qlo, qhi;
      long elo, ehi;
      int xlo, xhi;

      if (mul_round (&qlo, &elo, &xlo, p, amin, bmin, n)
          && mul_round (&qhi, &ehi, &xhi, p, amax, bmax, n))
        {
          if (qlo != qhi || elo != ehi)
            return FADJ_UNDECIDED;
          d->sign = sa * sb;
          d->exp10 = elo;
          put_digits (d->digits, qlo, n);
          d->exact = xlo && mpfr_equal_p (amin, amax)
            && mpfr_equal_p (bmin, bmax);
          return FADJ_OK;
        }
    }
  {
    fadj_num_t r;
    fadj_ctx ctx;
    fadj_status st;

    /* The general path, at the sum of the operands' precisions, where
       the products of the endpoints are exact: as tight as the fast
       path.  */
    ctx.domain = a->domain;
    ctx.prec = a->domain == FADJ_EXACT ? 0
      : mpfi_get_prec (&a->u.i) + mpfi_get_prec (&b->u.i);
    fadj_num_init (r, &ctx);
    fadj_num_mul (r, a, b);
    st = fadj_decimal_round (d, r, n);
    fadj_num_clear (r);
    return st;
  }
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
