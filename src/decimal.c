/* decimal.c -- correct rounding of exact rationals and of intervals to
   N significant decimal digits, the basis of every printed number.

   Everything is done in integer arithmetic (mpz, or mpn on the fast path
   for interval endpoints and products of them): a rational is exact, so
   the rounding is decided exactly, ties included, with no floating-point
   step whose error would need its own analysis.  */

#include "fadj-impl.h"

#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#if defined __SSE2__ && defined __x86_64__
#include <emmintrin.h>
#endif

/* 10^E for the large E of extreme literals (1e-99999) is kept once
   computed: one printed number is rounded many times (the form of its
   matrix, each place it is shown), each time with such a power, and
   raising 10 to it costs far more than the rest of the rounding; a
   file's literals (number.c) take the same powers.  Small
   powers cost less than the lookup.  Per thread, since the rounding
   also runs in fadj_parallel_for's workers; fadj_decimal_free_cache
   releases it.  */
#define POW10_KEPT_FROM 1000UL
#define POW10_KEPT 8
static _Thread_local struct
{
  unsigned long e;
  int set;
  mpz_t p;
} pow10_kept[POW10_KEPT];
static _Thread_local unsigned pow10_next;

void
fadj_pow10 (mpz_t r, unsigned long e)
{
  unsigned k;

  if (e < POW10_KEPT_FROM)
    {
      mpz_ui_pow_ui (r, 10, e);
      return;
    }
  for (k = 0; k < POW10_KEPT; k++)
    if (pow10_kept[k].set && pow10_kept[k].e == e)
      {
        mpz_set (r, pow10_kept[k].p);
        return;
      }
  k = pow10_next++ % POW10_KEPT;
  if (!pow10_kept[k].set)
    mpz_init (pow10_kept[k].p);
  mpz_ui_pow_ui (pow10_kept[k].p, 10, e);
  pow10_kept[k].e = e;
  pow10_kept[k].set = 1;
  mpz_set (r, pow10_kept[k].p);
}

void
fadj_decimal_free_cache (void)
{
  unsigned k;

  for (k = 0; k < POW10_KEPT; k++)
    if (pow10_kept[k].set)
      {
        mpz_clear (pow10_kept[k].p);
        pow10_kept[k].set = 0;
      }
}

/* Round A/B (A, B > 0) to N digits.  Writes the digits and exponent; returns
   nonzero if the rounding was exact.

   Let E be the decimal exponent of A/B: 10^E <= A/B < 10^(E+1).  With
   S = E - N + 1, the scaled value A / (B 10^S) lies in [10^(N-1), 10^N);
   its nearest integer (ties to even) is the N-digit significand.  When it
   rounds up to 10^N (9.99..95 -> 10.0..0), the result is 10^(N-1) with
   exponent E + 1, which is still the correct rounding: 10^(E+1) is the
   nearest N-digit decimal.  E is found from an estimate by the same
   division: since 10^(N-1) and 10^N are integers, 10^E <= A/B exactly
   when the integer part of A / (B 10^S) is at least 10^(N-1), and
   A/B < 10^(E+1) exactly when it is below 10^N.  */
static int
round_pos (char *digits, long *exp10, const mpz_t a, const mpz_t b, int n)
{
  mpz_t num, den, quo, rem, p, lo, hi;
  mpz_srcptr nump, denp;  /* A 10^-S and B, or A and B 10^S */
  long e, s;
  int exact, c;

  mpz_inits (num, den, quo, rem, p, lo, hi, NULL);
  mpz_ui_pow_ui (lo, 10, (unsigned long) (n - 1));
  mpz_mul_ui (hi, lo, 10);
  /* sizeinbase is exact or one too large, so E is within 1 of this
     estimate; the loop corrects it.  */
  e = (long) mpz_sizeinbase (a, 10) - (long) mpz_sizeinbase (b, 10);
  for (;;)
    {
      s = e - n + 1;
      fadj_pow10 (p, (unsigned long) (s >= 0 ? s : -s));
      if (s >= 0)
        {
          mpz_mul (den, b, p);
          nump = a;
          denp = den;
        }
      else
        {
          mpz_mul (num, a, p);
          nump = num;
          denp = b;
        }
      mpz_tdiv_qr (quo, rem, nump, denp);
      if (mpz_cmp (quo, lo) < 0)            /* A/B < 10^E */
        e--;
      else if (mpz_cmp (quo, hi) >= 0)      /* A/B >= 10^(E+1) */
        e++;
      else
        break;
    }
  exact = mpz_sgn (rem) == 0;
  /* Round to nearest: compare the remainder with half the divisor.  */
  mpz_mul_2exp (rem, rem, 1);
  c = mpz_cmp (rem, denp);
  if (c > 0 || (c == 0 && mpz_odd_p (quo)))
    mpz_add_ui (quo, quo, 1);
  if (mpz_cmp (quo, hi) == 0)
    {
      mpz_set (quo, lo);
      e++;
    }
  /* QUO has exactly N digits: N + 2 <= sizeof digits bytes suffice.  */
  mpz_get_str (digits, 10, quo);
  assert ((int) strlen (digits) == n);
  *exp10 = e;
  mpz_clears (num, den, quo, rem, p, lo, hi, NULL);
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
   most six factors of one limb), SH > 0 (V not an integer at that
   scale), P at most FAST_LIMBS limbs.  Gradients of a network at 30
   digits are well inside.  */

#if GMP_NUMB_BITS == 64 && GMP_NAIL_BITS == 0
#define FAST_OK 1
#else
#define FAST_OK 0     /* other limb sizes: always the general path */
#endif

typedef unsigned __int128 u128;

#define FAST_DIGITS 38
#define POW5_LIMB 27            /* 5^27 < 2^64: one limb */
#define FAST_K (6 * POW5_LIMB)  /* 10^-K: values down to about 10^-130 */
#define FAST_LIMBS 32           /* of P: a product of two 16-limb values */
#define T_LIMBS (FAST_LIMBS + FAST_K / POW5_LIMB + 1)   /* of P 5^K */

/* 5^i for i <= 27, and 10^i for i <= 38 as high and low 64-bit halves:
   constants, so that the fast path needs no initialisation (and no
   synchronisation between threads).  */
static const uint64_t pow5_tab[POW5_LIMB + 1] = {
  UINT64_C (1), UINT64_C (5), UINT64_C (25), UINT64_C (125), UINT64_C (625),
  UINT64_C (3125), UINT64_C (15625), UINT64_C (78125), UINT64_C (390625),
  UINT64_C (1953125), UINT64_C (9765625), UINT64_C (48828125),
  UINT64_C (244140625), UINT64_C (1220703125), UINT64_C (6103515625),
  UINT64_C (30517578125), UINT64_C (152587890625), UINT64_C (762939453125),
  UINT64_C (3814697265625), UINT64_C (19073486328125),
  UINT64_C (95367431640625), UINT64_C (476837158203125),
  UINT64_C (2384185791015625), UINT64_C (11920928955078125),
  UINT64_C (59604644775390625), UINT64_C (298023223876953125),
  UINT64_C (1490116119384765625), UINT64_C (7450580596923828125)
};

static const uint64_t pow10_hi[FAST_DIGITS + 1] = {
  UINT64_C (0), UINT64_C (0), UINT64_C (0), UINT64_C (0), UINT64_C (0),
  UINT64_C (0), UINT64_C (0), UINT64_C (0), UINT64_C (0), UINT64_C (0),
  UINT64_C (0), UINT64_C (0), UINT64_C (0), UINT64_C (0), UINT64_C (0),
  UINT64_C (0), UINT64_C (0), UINT64_C (0), UINT64_C (0), UINT64_C (0),
  UINT64_C (5), UINT64_C (54), UINT64_C (542), UINT64_C (5421),
  UINT64_C (54210), UINT64_C (542101), UINT64_C (5421010),
  UINT64_C (54210108), UINT64_C (542101086), UINT64_C (5421010862),
  UINT64_C (54210108624), UINT64_C (542101086242), UINT64_C (5421010862427),
  UINT64_C (54210108624275), UINT64_C (542101086242752),
  UINT64_C (5421010862427522), UINT64_C (54210108624275221),
  UINT64_C (542101086242752217), UINT64_C (5421010862427522170)
};

const uint64_t fadj_pow10_lo[FAST_DIGITS + 1] = {
  UINT64_C (1), UINT64_C (10), UINT64_C (100), UINT64_C (1000),
  UINT64_C (10000), UINT64_C (100000), UINT64_C (1000000),
  UINT64_C (10000000), UINT64_C (100000000), UINT64_C (1000000000),
  UINT64_C (10000000000), UINT64_C (100000000000), UINT64_C (1000000000000),
  UINT64_C (10000000000000), UINT64_C (100000000000000),
  UINT64_C (1000000000000000), UINT64_C (10000000000000000),
  UINT64_C (100000000000000000), UINT64_C (1000000000000000000),
  UINT64_C (10000000000000000000), UINT64_C (7766279631452241920),
  UINT64_C (3875820019684212736), UINT64_C (1864712049423024128),
  UINT64_C (200376420520689664), UINT64_C (2003764205206896640),
  UINT64_C (1590897978359414784), UINT64_C (15908979783594147840),
  UINT64_C (11515845246265065472), UINT64_C (4477988020393345024),
  UINT64_C (7886392056514347008), UINT64_C (5076944270305263616),
  UINT64_C (13875954555633532928), UINT64_C (9632337040368467968),
  UINT64_C (4089650035136921600), UINT64_C (4003012203950112768),
  UINT64_C (3136633892082024448), UINT64_C (12919594847110692864),
  UINT64_C (68739955140067328), UINT64_C (687399551400673280)
};

static u128
pow10_u128 (int i)
{
  return (u128) pow10_hi[i] << 64 | fadj_pow10_lo[i];
}

/* Division by an invariant normalised one-limb divisor D (top bit
   set), for a numerator U1 2^64 + U0 with U1 < D: the quotient fits one
   limb and needs no 128-bit division, which GCC compiles to a call of
   __udivti3, slower than all the rest of a rounding.  Moller and
   Granlund, "Improved division by invariant integers", IEEE Trans.
   Computers 60 (2011), Algorithm 4, with V = floor((2^128 - 1) / D) -
   2^64 (the arithmetic is modulo 2^64 and 2^128 by design).  Returns
   the quotient, the remainder in *R.  */
static inline uint64_t
div_2by1 (uint64_t *r, uint64_t u1, uint64_t u0, uint64_t d, uint64_t v)
{
  u128 p = (u128) v * u1 + ((u128) u1 << 64 | u0);
  uint64_t q1 = (uint64_t) (p >> 64) + 1, q0 = (uint64_t) p;
  uint64_t rr = u0 - q1 * d, mask;

  /* The first correction is taken about half of the time: without a
     branch, which would be mispredicted as often; the second is rare.  */
  mask = -(uint64_t) (rr > q0);
  q1 += mask;
  rr += mask & d;
  if (__builtin_expect (rr >= d, 0))
    {
      q1++;
      rr -= d;
    }
  *r = rr;
  return q1;
}

/* The normalised divisors 10^16 2^10 and 10 2^60, with their V
   (computed exactly, e.g. python3 -c "print((2**128 - 1) // (10**16 <<
   10) - 2**64)").  */
#define P16 UINT64_C (10000000000000000)
#define P16_INV UINT64_C (14783955820913345206)   /* of P16 2^10 */
#define TEN_N (UINT64_C (10) << 60)
#define TEN_N_INV UINT64_C (11068046444225730969)

/* Q / 10 and, in *R, Q mod 10, for any Q: the high limb by a 64-bit
   division by a constant (a multiplication), then (H mod 10) 2^64 + L
   shifted left by 60 over 10 2^60.  */
static u128
div10 (int *r, u128 q)
{
  uint64_t h = (uint64_t) (q >> 64), l = (uint64_t) q, qh, rh, ql, rl;

  qh = h / 10;
  rh = h - qh * 10;
  ql = div_2by1 (&rl, rh << 60 | l >> 4, l << 60, TEN_N, TEN_N_INV);
  *r = (int) (rl >> 60);
  return (u128) qh << 64 | ql;
}

/* The limb arithmetic of the fast path, inline: its operands have a
   handful of limbs, where the calls and size dispatch of mpn_mul cost
   more than the multiplications.  */

/* R = A B (NA + 1 limbs), A of NA limbs; R may be A.  */
static void
limbs_mul_1 (mp_limb_t *r, const mp_limb_t *a, mp_size_t na, mp_limb_t b)
{
  u128 c = 0;
  mp_size_t i;

  for (i = 0; i < na; i++)
    {
      c += (u128) a[i] * b;
      r[i] = (mp_limb_t) c;
      c >>= 64;
    }
  r[na] = (mp_limb_t) c;
}

/* R = A B (NA + NB limbs), R distinct from A and B.  */
static void
limbs_mul (mp_limb_t *r, const mp_limb_t *a, mp_size_t na,
           const mp_limb_t *b, mp_size_t nb)
{
  mp_size_t i, j;

  limbs_mul_1 (r, a, na, b[0]);
  for (j = 1; j < nb; j++)
    {
      u128 c = 0;
      for (i = 0; i < na; i++)
        {
          c += (u128) a[i] * b[j] + r[i + j];
          r[i + j] = (mp_limb_t) c;
          c >>= 64;
        }
      r[na + j] = (mp_limb_t) c;
    }
}

/* T = P 5^K (0 <= K <= FAST_K), by factors 5^i, i <= POW5_LIMB (one
   limb each); returns the size of T (top limb nonzero).  T has room for
   NP + FAST_K / POW5_LIMB + 1 limbs.  */
static mp_size_t
mul_pow5 (mp_limb_t *t, const mp_limb_t *p, mp_size_t np, int k)
{
  const mp_limb_t *src = p;
  mp_size_t nt = np;

  do
    {
      int i = k > POW5_LIMB ? POW5_LIMB : k;
      limbs_mul_1 (t, src, nt, (mp_limb_t) pow5_tab[i]);
      nt += t[nt] != 0;
      src = t;
      k -= i;
    }
  while (k > 0);
  return nt;
}

/* A value scaled for rounding: T = P 5^K, to be divided by 2^SH; E10
   is the smaller estimate of the decimal exponent that K was taken for.
   Kept by round_mpn so that a nearby value can be rounded on the same
   scale (mul_round's upper endpoint).  */
typedef struct
{
  mp_limb_t t[T_LIMBS];
  mp_size_t nt;
  long sh, e10;
} scaled;

/* Round T / 2^SH (S) to N digits: *Q in [10^(N-1), 10^N), *E10, *EXACT.
   Z is the number of trailing zero bits of T, or -1 when unknown: the
   fraction is then taken as nonzero below its half bit, which can only
   round up, never down, so the result is an upper bound of the rounding
   (mul_round uses it so).  Returns 0 outside the fast range.

   With the smaller estimate of E10, Q has N or N + 1 digits; with N + 1,
   the digit dropped joins the fraction (below).  Half and sticky bits:
   the fraction F = (T mod 2^SH) / 2^SH is 0 if Z >= SH, exactly 1/2 if
   Z = SH - 1, and otherwise above or below 1/2 as bit SH - 1 of T says --
   no scan of the low limbs.  */
static int
round_scaled (u128 *q, long *e10, int *exact, const scaled *s, long z,
              int n)
{
  const mp_limb_t *t = s->t;
  mp_size_t nt = s->nt, li;
  mp_limb_t l0, l1, l2;
  unsigned bi;
  long sh = s->sh;
  int half, sticky, up, extra;

  /* Q = T >> SH, from the limbs LI .. LI + 2; a nonzero limb above them,
     or bits of limb LI + 2 that survive the shift, make Q >= 2^128:
     out of range.  */
  li = (mp_size_t) (sh / GMP_NUMB_BITS);
  bi = (unsigned) (sh % GMP_NUMB_BITS);
  if (li >= nt || nt - li > 3)
    return 0;
  l0 = t[li];
  l1 = li + 1 < nt ? t[li + 1] : 0;
  l2 = li + 2 < nt ? t[li + 2] : 0;
  if (bi == 0)
    {
      if (l2 != 0)
        return 0;
      *q = (u128) l1 << 64 | l0;
    }
  else
    {
      if ((l2 >> bi) != 0)
        return 0;
      *q = (u128) (l1 >> bi | l2 << (GMP_NUMB_BITS - bi)) << 64
        | (l0 >> bi | l1 << (GMP_NUMB_BITS - bi));
    }
  /* HALF if F >= 1/2, STICKY if F is neither 0 nor 1/2.  */
  half = (t[(sh - 1) / GMP_NUMB_BITS] >> ((sh - 1) % GMP_NUMB_BITS)) & 1;
  sticky = z < sh - 1;
  *e10 = s->e10;
  if (*q >= pow10_u128 (n))
    {
      /* N + 1 digits: E10 is one more, and the value is Q/10 + (R + F)/10
         with R the digit dropped; it is above the half if R > 5, or R = 5
         and F > 0; a tie if R = 5 and F = 0.  */
      int r;
      u128 q10 = div10 (&r, *q);

      if (q10 >= pow10_u128 (n))
        return 0;               /* E10 was two too small */
      *q = q10;
      (*e10)++;
      extra = half || sticky;   /* F > 0 */
      *exact = r == 0 && !extra;
      up = r > 5 || (r == 5 && (extra || (*q & 1) != 0));
    }
  else
    {
      if (*q < pow10_u128 (n - 1))
        return 0;               /* E10 too large */
      *exact = !half && !sticky;
      up = half && (sticky || (*q & 1) != 0);
    }
  if (up)
    (*q)++;
  if (*q == pow10_u128 (n))
    {
      /* 9.99..95 rounded up to 10.0..0: one digit more.  */
      *q = pow10_u128 (n - 1);
      (*e10)++;
    }
  return 1;
}

/* Round P 2^E (P > 0 of NP <= FAST_LIMBS limbs, top limb nonzero) to N
   digits: *Q in [10^(N-1), 10^N), *E10, *EXACT (nothing was lost); S
   receives the scaled value.  Returns 0, with the outputs unspecified,
   outside the fast range.  Since 5^K is odd, P 5^K has as many trailing
   zero bits as P.  */
static int
round_mpn (u128 *q, long *e10, int *exact, scaled *s, const mp_limb_t *p,
           mp_size_t np, long e, int n)
{
  mp_size_t z;
  long x, k;

  if (!FAST_OK || n > FAST_DIGITS || np > FAST_LIMBS
      || e < -(1L << 40) || e > (1L << 40))
    return 0;
  /* 2^(X-1) <= P 2^E < 2^X, so E10 is floor((X-1) log10 2) or one more:
     take the smaller.  A wrong estimate (the double's error) costs only
     the general path: round_scaled never accepts a wrong E10.  */
  x = np * GMP_NUMB_BITS - __builtin_clzll (p[np - 1]) + e;
  {
    double f = (double) (x - 1) * 0.30102999566398120;
    s->e10 = (long) f;
    if ((double) s->e10 > f)
      s->e10--;
  }
  k = n - 1 - s->e10;
  if (k < 0 || k > FAST_K)
    return 0;
  s->sh = -(e + k);
  if (s->sh <= 0)
    return 0;
  s->nt = mul_pow5 (s->t, p, np, (int) k);
  for (z = 0; p[z] == 0; z++)
    ;
  return round_scaled (q, e10, exact, s,
                       (long) z * GMP_NUMB_BITS + __builtin_ctzll (p[z]), n);
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

#if !(defined __SSE2__ && defined __x86_64__)
/* The 8 ASCII digits of V < 10^8, leading zeros included, as the bytes
   of a word, the first digit lowest: in lanes of the word at once (two
   of 32 bits, V / 10^4 and V mod 10^4; then four of 16 bits; then eight
   bytes), each split by a multiplication by a reciprocal: 10486 / 2^20
   is 1/100 and 103 / 2^10 is 1/10 on the lanes' ranges (checked for
   every V).  Six multiplications, no table, one store.  */
static inline uint64_t
digits8 (uint32_t v)
{
  uint64_t x = (uint64_t) (v / 10000) | (uint64_t) (v % 10000) << 32;
  uint64_t h = ((x * 10486) >> 20) & UINT64_C (0x0000007F0000007F);

  x = h | (x - 100 * h) << 16;
  h = ((x * 103) >> 10) & UINT64_C (0x000F000F000F000F);
  x = h | (x - 10 * h) << 8;
  return x + UINT64_C (0x3030303030303030);
}
#else
/* The 8 digits of V < 10^8 in the eight 16-bit lanes of a vector, by
   the method of Milo Yip's itoa benchmark (after Wojciech Mula): V /
   10^4 and V mod 10^4 (a multiplication by a reciprocal), each spread
   over four lanes and divided there by 1000, 100, 10 and 1 (two
   multiplications by reciprocals and shifts, exact on [0, 10^4)), then
   ten times each quotient subtracted from the next one (checked for
   every V).  */
static inline __m128i
digits8_lanes (uint32_t v)
{
  const __m128i div10000 = _mm_set1_epi32 ((int) 0xd1b71759);
  const __m128i t10000 = _mm_set1_epi32 (10000);
  const __m128i divp = _mm_set_epi16 (-32768, 13108, 5243, 8389,
                                      -32768, 13108, 5243, 8389);
  const __m128i shp = _mm_set_epi16 (-32768, 8192, 2048, 128,
                                     -32768, 8192, 2048, 128);
  __m128i x = _mm_cvtsi32_si128 ((int) v);
  __m128i hi = _mm_srli_epi64 (_mm_mul_epu32 (x, div10000), 45);
  __m128i lo = _mm_sub_epi32 (x, _mm_mul_epu32 (hi, t10000));
  __m128i v1 = _mm_slli_epi64 (_mm_unpacklo_epi16 (hi, lo), 2);
  __m128i v2 = _mm_unpacklo_epi16 (v1, v1);
  __m128i v4 = _mm_mulhi_epu16 (_mm_mulhi_epu16 (_mm_unpacklo_epi32 (v2, v2),
                                                 divp), shp);
  return _mm_sub_epi16 (v4, _mm_slli_epi64 (_mm_mullo_epi16
                                            (v4, _mm_set1_epi16 (10)), 16));
}
#endif

/* The 16 digits of X < 10^16, leading zeros included, as two words
   laid out as digits8's: *HI holds the first 8.  With SSE2 all sixteen
   at once, in half the time.  */
static inline void
digits16 (uint64_t *hi, uint64_t *lo, uint64_t x)
{
#if defined __SSE2__ && defined __x86_64__
  __m128i d = _mm_add_epi8 (_mm_packus_epi16
                            (digits8_lanes ((uint32_t) (x / 100000000)),
                             digits8_lanes ((uint32_t) (x % 100000000))),
                            _mm_set1_epi8 ('0'));
  *hi = (uint64_t) _mm_cvtsi128_si64 (d);
  *lo = (uint64_t) _mm_cvtsi128_si64 (_mm_unpackhi_epi64 (d, d));
#else
  *hi = digits8 ((uint32_t) (x / 100000000));
  *lo = digits8 ((uint32_t) (x % 100000000));
#endif
}

/* Store the low K bytes of the word E at S (as 8 bytes: the rest is
   overwritten by the next store, or lies past the end).  */
static inline void
store_bytes (char *s, uint64_t e, int k)
{
#if defined __BYTE_ORDER__ && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  (void) k;
  memcpy (s, &e, 8);
#else
  int i;
  for (i = 0; i < k; i++)
    s[i] = (char) (e >> (8 * i));
#endif
}

/* X / 10^16 and, in *R, X mod 10^16, for any X: the high limb by a
   64-bit division by a constant (a multiplication), then (H mod 10^16)
   2^64 + L shifted left by 10 over the normalised 10^16 2^10.  */
static inline u128
div16 (uint64_t *r, u128 x)
{
  uint64_t h = (uint64_t) (x >> 64), l = (uint64_t) x, qh, rh, ql;

  qh = h / P16;
  rh = h - qh * P16;
  ql = div_2by1 (r, rh << 10 | l >> 54, l << 10, P16 << 10, P16_INV);
  *r >>= 10;
  return (u128) qh << 64 | ql;
}

/* D's digits: Q in [10^(N-1), 10^N) (N <= 38) as exactly N ASCII
   digits and a NUL at S, which has room for N + 8 bytes.  Q is split
   into groups of 16 digits (the first below 10^6), each written as two
   words of 8 digits by digits16; the words are stored from the left,
   the first shifted to drop the leading digits beyond N, the others
   overwriting what that store wrote past them.  */
static void
put_digits (char *s, u128 q, int n)
{
  uint64_t e[6], a = 0, b = 0, c;
  int f = 5 - (n + 7) / 8, w = n - 8 * (4 - f);

  if (n > 32)
    a = (uint64_t) div16 (&b, div16 (&c, q));   /* < 10^6 */
  else if (n > 16)
    {
      /* Q < 10^32: its high limb is below 10^16, the quotient is one
         limb (a 2-by-1 division alone).  */
      uint64_t h = (uint64_t) (q >> 64), l = (uint64_t) q;
      b = div_2by1 (&c, h << 10 | l >> 54, l << 10, P16 << 10, P16_INV);
      c >>= 10;
    }
  else
    c = (uint64_t) q;
  digits16 (e + 3, e + 4, c);
  if (n > 16)
    digits16 (e + 1, e + 2, b);
  if (n > 32)
    digits16 (e + 5, e + 0, a);                 /* e[5] is 0s */
  store_bytes (s, e[f] >> (8 * (8 - w)), w);
  s += w;
  /* The full words after it, unrolled: a loop of stores would be
     turned into a call of memcpy.  */
  switch (f)
    {
    case 0:
      store_bytes (s, e[1], 8);
      s += 8;
      /* fall through */
    case 1:
      store_bytes (s, e[2], 8);
      s += 8;
      /* fall through */
    case 2:
      store_bytes (s, e[3], 8);
      s += 8;
      /* fall through */
    case 3:
      store_bytes (s, e[4], 8);
      s += 8;
      /* fall through */
    default:
      break;
    }
  *s = '\0';
}

/* Round |V|, V a regular MPFR number, with the fast path: see round_mpn.  */
static int
round_fr_fast (u128 *q, long *e10, int *exact, mpfr_srcptr v, int n)
{
  const mp_limb_t *p;
  mp_size_t np;
  scaled s;
  long e;

  p = fr_mpn (&np, &e, v);
  return round_mpn (q, e10, exact, &s, p, np, e, n);
}

/* Round |U V| (U, V regular MPFR numbers) with the fast path, the
   product formed exactly; S receives the scaled value.  */
static int
mul_round (u128 *q, long *e10, int *exact, scaled *s, mpfr_srcptr u,
           mpfr_srcptr v, int n)
{
  mp_limb_t p[FAST_LIMBS];
  const mp_limb_t *pu, *pv;
  mp_size_t nu, nv;
  long eu, ev;

  pu = fr_mpn (&nu, &eu, u);
  pv = fr_mpn (&nv, &ev, v);
  if (nu + nv > FAST_LIMBS || eu < -(1L << 40) || eu > (1L << 40)
      || ev < -(1L << 40) || ev > (1L << 40))
    return 0;
  limbs_mul (p, pu, nu, pv, nv);
  /* Both significands have their top bit set: the product's top limb
     is nonzero.  */
  return round_mpn (q, e10, exact, s, p, nu + nv, eu + ev, n);
}

/* The width of [MIN, MAX] (same sign, MIN <= MAX in magnitude) in units
   of MIN's last limb, when both have the same exponent and differ in
   their lowest limb only: *W and 1; else 0.  */
static int
width_limb (mp_limb_t *w, mpfr_srcptr min, mpfr_srcptr max)
{
  const mp_limb_t *a, *b;
  mp_size_t na, nb, i;
  long ea, eb;

  a = fr_mpn (&na, &ea, min);
  b = fr_mpn (&nb, &eb, max);
  if (na != nb || ea != eb || b[0] < a[0])
    return 0;
  for (i = 1; i < na; i++)
    if (a[i] != b[i])
      return 0;
  *w = b[0] - a[0];
  return 1;
}

/* Is the rounding of the upper product AMAX BMAX the same as that of the
   lower one, already rounded in LO (to Q, E10)?  Without forming it: with
   AMAX = AMIN + WA and BMAX = BMIN + WB (in units of the last limbs), the
   difference of the scaled products is
     (WA BMAX + AMIN WB) 5^K < (WA 2^(64 nb) + WB 2^(64 na)) 2^L5 <= 2^LW,
   5^K < 2^L5 with L5 = floor(2.322 K) + 1 (log2 5 < 2.322).  So the upper
   product lies in [T, T + 2^LW), and rounds as T + 2^LW does or lower
   (rounding is monotone).  round_scaled with an unknown sticky bit gives
   an upper bound of that rounding; if it equals Q, every value in between
   rounds to Q.  Returns 1 if so, 0 if it cannot tell (the caller then
   rounds the upper product itself).  */
static int
upper_same (const scaled *lo, u128 q, long e10, mpfr_srcptr amin,
            mpfr_srcptr amax, mpfr_srcptr bmin, mpfr_srcptr bmax, int n)
{
  scaled hi;
  mp_limb_t wa, wb;
  long lw = 0, l5, k, ehi;
  mp_size_t na = (mp_size_t) ((mpfr_get_prec (amin) + GMP_NUMB_BITS - 1)
                              / GMP_NUMB_BITS);
  mp_size_t nb = (mp_size_t) ((mpfr_get_prec (bmin) + GMP_NUMB_BITS - 1)
                              / GMP_NUMB_BITS);
  u128 qhi;
  int xhi;

  if (!width_limb (&wa, amin, amax) || !width_limb (&wb, bmin, bmax))
    return 0;
  if (wa == 0 && wb == 0)
    return 1;                   /* both points: the same product */
  k = n - 1 - lo->e10;
  l5 = k * 2322 / 1000 + 1;
  if (wa != 0)
    lw = (GMP_NUMB_BITS - __builtin_clzll (wa)) + nb * GMP_NUMB_BITS;
  if (wb != 0 && (GMP_NUMB_BITS - __builtin_clzll (wb))
      + na * GMP_NUMB_BITS > lw)
    lw = (GMP_NUMB_BITS - __builtin_clzll (wb)) + na * GMP_NUMB_BITS;
  lw += 1 + l5;
  if (lw >= lo->sh - 1)
    return 0;
  /* HI = T + 2^LW: limb LW / 64 < SH / 64 < nt exists.  */
  /* Only the limbs in use are copied (the struct is mostly room).  */
  hi.nt = lo->nt;
  hi.sh = lo->sh;
  hi.e10 = lo->e10;
  mpn_copyi (hi.t, lo->t, lo->nt);
  hi.t[hi.nt] = 0;
  if (mpn_add_1 (hi.t + lw / GMP_NUMB_BITS, hi.t + lw / GMP_NUMB_BITS,
                 hi.nt - lw / GMP_NUMB_BITS,
                 (mp_limb_t) 1 << (lw % GMP_NUMB_BITS)) != 0)
    hi.t[hi.nt++] = 1;
  return round_scaled (&qhi, &ehi, &xhi, &hi, -1, n)
    && qhi == q && ehi == e10;
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
  if (FADJ_NUM_EXACT_P (x))
    {
      fadj_decimal_round_q (d, FADJ_NUM_Q (x), n);
      return FADJ_OK;
    }
  /* A NaN or an infinite endpoint encloses nothing useful; like a too
     wide interval, only more precision can help (or the caller's
     precision limit stops the retries).  */
  if (!mpfr_number_p (FADJ_NUM_LEFT (x))
      || !mpfr_number_p (FADJ_NUM_RIGHT (x)))
    return FADJ_UNDECIDED;
  if (mpfi_is_zero (FADJ_NUM_I (x)))
    {
      mpq_init (q);
      fadj_decimal_round_q (d, q, n);
      mpq_clear (q);
      return FADJ_OK;
    }
  /* The sign itself must be certain: a nonzero rounding of one endpoint
     and 0 or the opposite sign at the other cannot agree anyway, but say
     so explicitly.  */
  if (mpfi_has_zero (FADJ_NUM_I (x)))
    return FADJ_UNDECIDED;

  {
    /* The fast path: both endpoints' significands, compared before any
       digit is written.  */
    u128 qlo, qhi;
    long elo, ehi;
    int xlo, xhi;

    if (round_fr_fast (&qlo, &elo, &xlo, FADJ_NUM_LEFT (x), n)
        && round_fr_fast (&qhi, &ehi, &xhi, FADJ_NUM_RIGHT (x), n))
      {
        if (qlo != qhi || elo != ehi)
          return FADJ_UNDECIDED;
        d->sign = mpfr_sgn (FADJ_NUM_LEFT (x));
        d->exp10 = elo;
        put_digits (d->digits, qlo, n);
        d->exact = xlo && mpfr_equal_p (FADJ_NUM_LEFT (x), FADJ_NUM_RIGHT (x));
        return FADJ_OK;
      }
  }
  mpq_init (q);
  mpfr_get_q (q, FADJ_NUM_LEFT (x));
  fadj_decimal_round_q (d, q, n);
  mpfr_get_q (q, FADJ_NUM_RIGHT (x));
  fadj_decimal_round_q (&hi, q, n);
  mpq_clear (q);
  if (d->sign != hi.sign || d->exp10 != hi.exp10
      || strcmp (d->digits, hi.digits) != 0)
    return FADJ_UNDECIDED;
  /* The printed decimal equals the value only if the interval is a single
     point (then the value is that point) which rounds exactly.  */
  d->exact = d->exact && mpfr_equal_p (FADJ_NUM_LEFT (x), FADJ_NUM_RIGHT (x));
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
  if (FADJ_NUM_DOMAIN (a) == FADJ_INTERVAL
      && FADJ_NUM_DOMAIN (b) == FADJ_INTERVAL
      && mpfr_regular_p (FADJ_NUM_LEFT (a))
      && mpfr_regular_p (FADJ_NUM_RIGHT (a))
      && mpfr_regular_p (FADJ_NUM_LEFT (b))
      && mpfr_regular_p (FADJ_NUM_RIGHT (b))
      && mpfr_sgn (FADJ_NUM_LEFT (a)) == mpfr_sgn (FADJ_NUM_RIGHT (a))
      && mpfr_sgn (FADJ_NUM_LEFT (b)) == mpfr_sgn (FADJ_NUM_RIGHT (b)))
    {
      int sa = mpfr_sgn (FADJ_NUM_LEFT (a)), sb = mpfr_sgn (FADJ_NUM_LEFT (b));
      /* The endpoints of least and greatest magnitude.  */
      mpfr_srcptr amin = sa > 0 ? FADJ_NUM_LEFT (a) : FADJ_NUM_RIGHT (a);
      mpfr_srcptr amax = sa > 0 ? FADJ_NUM_RIGHT (a) : FADJ_NUM_LEFT (a);
      mpfr_srcptr bmin = sb > 0 ? FADJ_NUM_LEFT (b) : FADJ_NUM_RIGHT (b);
      mpfr_srcptr bmax = sb > 0 ? FADJ_NUM_RIGHT (b) : FADJ_NUM_LEFT (b);
      scaled lo, hi;
      u128 qlo, qhi;
      long elo, ehi;
      int xlo, xhi;

      if (mul_round (&qlo, &elo, &xlo, &lo, amin, bmin, n))
        {
          /* The upper product: usually decided from the lower one and a
             bound on the difference; else rounded in full.  */
          if (!upper_same (&lo, qlo, elo, amin, amax, bmin, bmax, n))
            {
              if (!mul_round (&qhi, &ehi, &xhi, &hi, amax, bmax, n))
                goto general;
              if (qlo != qhi || elo != ehi)
                return FADJ_UNDECIDED;
            }
          d->sign = sa * sb;
          d->exp10 = elo;
          put_digits (d->digits, qlo, n);
          d->exact = xlo && mpfr_equal_p (amin, amax)
            && mpfr_equal_p (bmin, bmax);
          return FADJ_OK;
        }
    }
general:
  {
    fadj_num_t r;
    fadj_ctx ctx;
    fadj_status st;

    /* The general path, at the sum of the operands' precisions, where
       the products of the endpoints are exact: as tight as the fast
       path.  */
    ctx = fadj_num_get_ctx (a);
    if (ctx.domain == FADJ_INTERVAL)
      ctx.prec += mpfi_get_prec (FADJ_NUM_I (b));
    fadj_num_init (r, &ctx);
    fadj_num_mul (r, a, b);
    st = fadj_decimal_round (d, r, n);
    fadj_num_clear (r);
    return st;
  }
}

/* ------------------------------------------------------------------ */
/* Outer products, row by row: a B_j for j < COLS with one a at a time
   (a row of a gradient, Y^l_*[i] X^{l-1}[j]), rounded to N <=
   ROW_DIGITS digits with the work on each operand done once.

   Each operand x, of magnitudes [XMIN, XMAX] (an interval without 0),
   is prepared once: its decimal exponent E, 10^E <= XMIN <= XMAX <
   10^(E+1), and fixed-point bounds of its scaled magnitude rounded
   outward (floor below, ceiling above), from the exact endpoints in mpz.
   A column operand b gets
     M = floor(BMIN 10^-Eb 2^124)  and  M + WM >= BMAX 10^-Eb 2^124,
   both in [2^124, 10 2^124); the row operand a gets, for c = 0 and 1,
     R_c = floor(AMIN 10^(N-1-c-Ea) 2^F_c)  and  R_c + WR_c >= AMAX ...,
   with F_c = 128 - bitlen(10^(N-c)), so that both are below 2^128.
   Then
     v = |a b| 10^(N-1-(Ea+Eb+c))  is in  [R_c M, (R_c + WR_c)(M + WM)]
   over 2^SH_c, SH_c = F_c + 124, and (R_c + WR_c)(M + WM) <= R_c M +
   (WR_c + WM) 2^128 (each factor is below 2^128): the high half of R_c
   M and an addition bound v (row_entry).  The mantissas' product is in [1,
   100); with c = 1 when it is at least 10 (a guess from doubles,
   checked: a wrong one is retried with the other c), v lies in
   [10^(N-1), 10^N), its nearest integer Q is the N-digit significand
   and E10 = Ea + Eb + c.  The entry is decided when
     Q - 1/2 < lower bound <= upper bound < Q + 1/2:
   every point of the enclosure rounds to Q then, whatever the rule for
   ties, and so do the two exact corner products that
   fadj_decimal_round_mul compares, so it decides the same decimal (Q =
   10^N, 9.99..95 rounded up, is 10^(N-1) with E10 + 1 as there).  The
   bounds lose about 2^-123 of v, which is below 10^N 2^-123 < 2^-10 of
   a unit for N <= ROW_DIGITS, and overestimate the enclosure's width up
   to 20 times (the bound takes 2^128 for R_c + WR_c and M + WM, which
   may be 20 times less): a few entries in a thousand at 34 digits,
   almost none at 30, are not decided so and go to
   fadj_decimal_round_mul, as do those whose lower bound falls exactly
   on a half (a tie, possibly) and every entry with an operand the
   kernel does not prepare: 0 in it, an endpoint that is not regular, a
   binary exponent beyond +-ROW_EXP, endpoints in different decades,
   and products of two points (the value may be exact, which the bounds
   cannot tell).  Per entry: three 64 x 64-bit products, four
   comparisons, a shift and the digits.  */

#define ROW_DIGITS 34           /* F_0 >= 15, SH_c - 128 >= 11 */
#define ROW_FRAC 124            /* fraction bits of M */
#define ROW_EXP 4096            /* binary exponents of the operands */
#define ROW_WIDTH (UINT64_C (1) << 32)   /* bound of WM, WR_c */

typedef struct
{
  u128 m;               /* M */
  uint64_t w;           /* WM */
  double md;            /* about M 2^-124, the mantissa in [1, 10) */
  long e10;             /* Eb */
  int sign;             /* of b; 0 if not prepared */
  int point;            /* BMIN = BMAX */
} col_op;

/* The row operand at one scale c: R_c and the constants of its tests,
   so that an entry needs no shift before it is decided.  */
typedef struct
{
  uint64_t r0, r1;      /* R_c = R1 2^64 + R0 */
  u128 low;             /* 10^(N-1) 2^S, S = SH_c - 128 */
  u128 high;            /* (10^N + 1) 2^S, or the largest u128 */
  u128 half;            /* 2^(S-1) */
  u128 mask;            /* 2^S - 1 */
  u128 lim;             /* 2^S - WR_c - 2, or 0 */
  int s;
} row_scale;

typedef struct
{
  row_scale sc[2];      /* c = 0, 1 */
  double md;            /* about the mantissa, in [1, 10) */
  long e10;             /* Ea */
  int sign;             /* of a; 0 if not prepared */
  int point;
} row_op;

struct fadj_decimal_outer
{
  int n;
  size_t cols;
  fadj_num_srcptr const *b;     /* borrowed */
  col_op *op;                   /* COLS of them, or NULL: no kernel */
  fadj_num_srcptr a;            /* the row's operand, borrowed */
  row_op ra;
  size_t decided;               /* products decided by the kernel */
};

/* *R = floor(X 10^K 2^F) for DIR < 0, ceil for DIR > 0, X > 0 regular
   with a binary exponent in ROW_EXP and |K| small: exactly, in mpz
   (NUM and DEN are scratch).  Returns 0 if it is 2^128 or more.  */
static int
scale_fr (u128 *r, mpfr_srcptr x, long k, long f, int dir, mpz_t num,
          mpz_t den)
{
  long e = (long) mpfr_get_z_2exp (num, x) + f;

  mpz_abs (num, num);
  fadj_pow10 (den, (unsigned long) (k < 0 ? -k : k));
  if (k >= 0)
    {
      /* NUM 10^K 2^E: a product and a shift (the usual case, |x| < 1:
         no division).  */
      mpz_mul (num, num, den);
      if (e >= 0)
        mpz_mul_2exp (num, num, (mp_bitcnt_t) e);
      else if (dir < 0)
        mpz_fdiv_q_2exp (num, num, (mp_bitcnt_t) -e);
      else
        mpz_cdiv_q_2exp (num, num, (mp_bitcnt_t) -e);
    }
  else
    {
      if (e >= 0)
        mpz_mul_2exp (num, num, (mp_bitcnt_t) e);
      else
        mpz_mul_2exp (den, den, (mp_bitcnt_t) -e);
      if (dir < 0)
        mpz_fdiv_q (num, num, den);
      else
        mpz_cdiv_q (num, num, den);
    }
  if (mpz_sizeinbase (num, 2) > 128)
    return 0;
  *r = (u128) mpz_getlimbn (num, 1) << 64 | mpz_getlimbn (num, 0);
  return 1;
}

/* The decimal exponent and mantissa bounds of X (a column operand's M,
   WM, and the row operand's exponent and guess): *SIGN = 0 if X is not
   taken.  */
static void
col_prepare (col_op *o, fadj_num_srcptr x, mpz_t num, mpz_t den)
{
  const u128 one = (u128) 1 << ROW_FRAC, ten = 10 * one;
  mpfr_srcptr lo, hi;
  u128 mhi;
  long e;
  int k;

  o->sign = 0;
  if (FADJ_NUM_DOMAIN (x) != FADJ_INTERVAL
      || !mpfr_regular_p (FADJ_NUM_LEFT (x))
      || !mpfr_regular_p (FADJ_NUM_RIGHT (x))
      || mpfr_sgn (FADJ_NUM_LEFT (x)) != mpfr_sgn (FADJ_NUM_RIGHT (x))
      || mpfr_get_exp (FADJ_NUM_LEFT (x)) < -ROW_EXP
      || mpfr_get_exp (FADJ_NUM_LEFT (x)) > ROW_EXP
      || mpfr_get_exp (FADJ_NUM_RIGHT (x)) < -ROW_EXP
      || mpfr_get_exp (FADJ_NUM_RIGHT (x)) > ROW_EXP)
    return;
  lo = mpfr_sgn (FADJ_NUM_LEFT (x)) > 0 ? FADJ_NUM_LEFT (x)
       : FADJ_NUM_RIGHT (x);
  hi = mpfr_sgn (FADJ_NUM_LEFT (x)) > 0 ? FADJ_NUM_RIGHT (x)
       : FADJ_NUM_LEFT (x);
  /* 2^(X-1) <= LO < 2^X: E is floor((X-1) log10 2) or one more; M says
     which (M < 2^124: E too large, M >= 10 2^124: too small).  */
  {
    double f = (double) (mpfr_get_exp (lo) - 1) * 0.30102999566398120;
    e = (long) f;
    if ((double) e > f)
      e--;
  }
  for (k = 0;; k++)
    {
      if (k == 3)
        return;
      if (!scale_fr (&o->m, lo, -e, ROW_FRAC, -1, num, den)
          || o->m >= ten)
        e++;                    /* M >= 2^128 also says so */
      else if (o->m < one)
        e--;
      else
        break;
    }
  if (!scale_fr (&mhi, hi, -e, ROW_FRAC, 1, num, den) || mhi >= ten
      || mhi - o->m >= ROW_WIDTH)
    return;                     /* HI in the next decade, or too wide */
  o->w = (uint64_t) (mhi - o->m);
  o->md = (double) (uint64_t) (o->m >> 64) * 0x1p-60;   /* M >= 2^124 */
  o->e10 = e;
  o->point = mpfr_equal_p (lo, hi);
  o->sign = mpfr_sgn (lo);
}

/* The bit length of 10^I, I <= FAST_DIGITS.  */
static int
pow10_bits (int i)
{
  return pow10_hi[i] != 0 ? 128 - __builtin_clzll (pow10_hi[i])
    : 64 - __builtin_clzll (fadj_pow10_lo[i]);
}

/* The row operand A for N digits: *SIGN = 0 if not taken.  */
static void
row_prepare (row_op *o, fadj_num_srcptr a, int n)
{
  col_op c;
  mpz_t num, den;
  int i;

  mpz_inits (num, den, NULL);
  o->sign = 0;
  col_prepare (&c, a, num, den);
  if (c.sign != 0)
    {
      int sa = mpfr_sgn (FADJ_NUM_LEFT (a));
      mpfr_srcptr lo = sa > 0 ? FADJ_NUM_LEFT (a) : FADJ_NUM_RIGHT (a);
      mpfr_srcptr hi = sa > 0 ? FADJ_NUM_RIGHT (a) : FADJ_NUM_LEFT (a);
      for (i = 0; i < 2; i++)
        {
          row_scale *sc = o->sc + i;
          long f = 128 - pow10_bits (n - i);
          u128 r, rhi, one;
          if (!scale_fr (&r, lo, n - 1 - i - c.e10, f, -1, num, den)
              || !scale_fr (&rhi, hi, n - 1 - i - c.e10, f, 1, num, den)
              || rhi - r >= ROW_WIDTH)
            break;
          sc->r0 = (uint64_t) r;
          sc->r1 = (uint64_t) (r >> 64);
          sc->s = (int) (f + ROW_FRAC - 128);
          one = (u128) 1 << sc->s;
          sc->half = one >> 1;
          sc->mask = one - 1;
          sc->low = pow10_u128 (n - 1) << sc->s;
          /* (10^N + 1) 2^S, unless it overflows (then every X is below
             it anyway).  */
          sc->high = pow10_u128 (n) + 1 <= ~(u128) 0 >> sc->s
            ? (pow10_u128 (n) + 1) << sc->s : ~(u128) 0;
          sc->lim = one > (rhi - r) + 2 ? one - (rhi - r) - 2 : 0;
        }
      if (i == 2)
        {
          o->md = c.md;
          o->e10 = c.e10;
          o->point = c.point;
          o->sign = c.sign;
        }
    }
  mpz_clears (num, den, NULL);
}

/* Round v = |a b| 10^(N-1-(Ea+Eb+c)) (A at the scale SC, B prepared) to
   N digits, as described above: returns 1 and *Q (10^N included: the
   caller carries it), 0 if the bounds do not decide, -1 if v may be
   below 10^(N-1) (c too large), 2 if it is at least 10^N + 1/2 (c too
   small).

   Of P = R_c M only HI = R1 M1 + floor(R1 M0 / 2^64) + floor(R0 M1 /
   2^64) is formed (three multiplications): P / 2^128 lies in [HI, HI +
   3), and the upper bound of the enclosure below HI + 3 + WR + WM.
   With X = HI + 2^(S-1), Q = X >> S and FRAC = X mod 2^S, every value is
   above Q - 1/2 if FRAC > 0 (FRAC = 0 is taken for a possible tie), and
   below Q + 1/2 if FRAC + 3 + WR + WM <= 2^S, that is FRAC + WM < LIM.  */
static inline int
row_entry (u128 *q, const row_scale *sc, const col_op *b)
{
  uint64_t m0 = (uint64_t) b->m, m1 = (uint64_t) (b->m >> 64);
  u128 hi = (u128) sc->r1 * m1 + (((u128) sc->r1 * m0) >> 64)
    + (((u128) sc->r0 * m1) >> 64), x, frac;

  if (hi < sc->low)
    return -1;
  x = hi + sc->half;
  if (x >= sc->high)
    return 2;
  frac = x & sc->mask;
  if (frac == 0 || frac + b->w >= sc->lim)
    return 0;
  *q = x >> sc->s;
  return 1;
}

fadj_status
fadj_decimal_outer_new (fadj_decimal_outer **o, fadj_num_srcptr const *b,
                        size_t cols, int n)
{
  fadj_decimal_outer *r;
  size_t j;

  assert (n >= 1 && n <= FADJ_MAX_DIGITS);
  *o = NULL;
  r = malloc (sizeof *r);
  if (r == NULL)
    return FADJ_ERR_NOMEM;
  r->n = n;
  r->cols = cols;
  r->b = b;
  r->a = NULL;
  r->ra.sign = 0;
  r->op = NULL;
  r->decided = 0;
  if (FAST_OK && n <= ROW_DIGITS && cols > 0)
    {
      mpz_t num, den;
      r->op = malloc (cols * sizeof *r->op);
      if (r->op == NULL)
        {
          free (r);
          return FADJ_ERR_NOMEM;
        }
      mpz_inits (num, den, NULL);
      for (j = 0; j < cols; j++)
        col_prepare (r->op + j, b[j], num, den);
      mpz_clears (num, den, NULL);
    }
  *o = r;
  return FADJ_OK;
}

void
fadj_decimal_outer_free (fadj_decimal_outer *o)
{
  if (o == NULL)
    return;
  free (o->op);
  free (o);
}

void
fadj_decimal_outer_set_row (fadj_decimal_outer *o, fadj_num_srcptr a)
{
  o->a = a;
  o->ra.sign = 0;
  if (o->op != NULL)
    row_prepare (&o->ra, a, o->n);
}

size_t
fadj_decimal_outer_decided (const fadj_decimal_outer *o)
{
  return o->decided;
}

fadj_status
fadj_decimal_outer_round (fadj_decimal *d, size_t *col,
                          fadj_decimal_outer *o, size_t j0, size_t j1)
{
  const row_op *ra = &o->ra;
  int n = o->n;
  size_t j;

  assert (o->a != NULL && j0 <= j1 && j1 <= o->cols);
  for (j = j0; j < j1; j++, d++)
    {
      /* RA->sign != 0 only with prepared columns (O->op).  */
      const col_op *b = ra->sign != 0 ? o->op + j : NULL;
      fadj_status st;

      if (b != NULL && b->sign != 0 && !(ra->point && b->point))
        {
          int k = ra->md * b->md >= 10, r;
          u128 q;

          r = row_entry (&q, ra->sc + k, b);
          if (r == -1 && k == 1)
            r = row_entry (&q, ra->sc + (k = 0), b);
          else if (r == 2 && k == 0)
            r = row_entry (&q, ra->sc + (k = 1), b);
          if (r == 1)
            {
              d->sign = ra->sign * b->sign;
              d->exp10 = ra->e10 + b->e10 + k;
              if (q == pow10_u128 (n))
                {
                  q = pow10_u128 (n - 1);
                  d->exp10++;
                }
              put_digits (d->digits, q, n);
              d->exact = 0;
              o->decided++;
              continue;
            }
        }
      st = fadj_decimal_round_mul (d, o->a, o->b[j], n);
      if (st != FADJ_OK)
        {
          *col = j;
          return st;
        }
    }
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
  if (FADJ_NUM_EXACT_P (x))
    {
      round_places_q (r, FADJ_NUM_Q (x), places);
      return FADJ_OK;
    }
  if (!mpfr_number_p (FADJ_NUM_LEFT (x))
      || !mpfr_number_p (FADJ_NUM_RIGHT (x)))
    return FADJ_UNDECIDED;
  mpq_inits (lo, hi, NULL);
  mpfr_get_q (lo, FADJ_NUM_LEFT (x));
  round_places_q (lo, lo, places);
  mpfr_get_q (hi, FADJ_NUM_RIGHT (x));
  round_places_q (hi, hi, places);
  same = mpq_equal (lo, hi);
  if (same)
    mpq_set (r, lo);
  mpq_clears (lo, hi, NULL);
  return same ? FADJ_OK : FADJ_UNDECIDED;
}

/* ------------------------------------------------------------------ */
/* Zeros to the working precision (fadj_zero_log).                      */

void
fadj_zero_log_init (fadj_zero_log *log)
{
  log->count = 0;
  log->k = LONG_MAX;
  log->undecided[0] = '\0';
}

void
fadj_zero_log_undecided (fadj_zero_log *log, fadj_num_srcptr x)
{
  mpfr_t mid;

  if (log->undecided[0] != '\0' || FADJ_NUM_EXACT_P (x))
    return;
  mpfr_init2 (mid, mpfi_get_prec (FADJ_NUM_I (x)));
  mpfi_mid (mid, FADJ_NUM_I (x));
  mpfr_snprintf (log->undecided, sizeof log->undecided, "%.12Re", mid);
  mpfr_clear (mid);
}

/* The bound: with B = max (|lo|, |hi|) (exact: the larger endpoint in
   absolute value) and V = -log10 B rounded down, K = ceil (V) - 1 < V,
   so that 10^-K > B >= |x| for every x of the enclosure.  */
void
fadj_zero_log_add (fadj_zero_log *log, fadj_num_srcptr x)
{
  mpfr_srcptr lo = FADJ_NUM_LEFT (x), hi = FADJ_NUM_RIGHT (x);
  mpfr_srcptr e = mpfr_cmpabs (lo, hi) > 0 ? lo : hi;
  mpfr_t bound, v;
  long k;

  assert (!FADJ_NUM_EXACT_P (x) && mpfi_has_zero (FADJ_NUM_I (x))
          && !mpfi_is_zero (FADJ_NUM_I (x)));
  mpfr_init2 (bound, mpfr_get_prec (e));
  mpfr_init2 (v, 64);
  mpfr_abs (bound, e, MPFR_RNDN);       /* exact: B */
  mpfr_log10 (v, bound, MPFR_RNDU);
  mpfr_neg (v, v, MPFR_RNDN);           /* -log10 B, rounded down */
  mpfr_ceil (v, v);
  k = mpfr_fits_slong_p (v, MPFR_RNDN) ? mpfr_get_si (v, MPFR_RNDN) - 1
      : LONG_MIN;
  mpfr_clears (bound, v, (mpfr_ptr) 0);
  log->count++;
  if (k < log->k)
    log->k = k;
}
