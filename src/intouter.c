/* intouter.c -- the outer product summed over samples, C = A B^T (A:
   p x m, B: q x m, both enclosures), entry by entry on exact integers:
   the batch kernel of the gradient dJ/dW^l = Y^l_* (X^{l-1})^T
   (trace.c), in the midpoint-radius manner of Arb's arb_dot.

   Each row of A and of B (one neuron over the m samples) is put on its
   own fixed-point grid 2^-F: an entry [lo, hi] becomes the integers
   L = floor(lo 2^F), H = ceil(hi 2^F), midpoint M = floor((L + H) / 2)
   and radius r = H - M, so that the entry lies in [M - r, M + r] 2^-F.
   F is chosen so that the row's largest magnitude uses all but two bits
   of N limbs.  Then, for rows i of A and j of B,

     sum_s a_is b_js  in  (S +- E) 2^-(F_i + F_j),
     S = sum_s Ma_is Mb_js                     (exact, on mpn limbs),
     E >= sum_s |Ma_is| rb_js + ra_is (|Mb_js| + rb_js),

   since a b - Ma Mb = da Mb + Ma db + da db with |da| <= ra, |db| <= rb.
   E is computed in long double from upper bounds of its factors (each
   below 2^(64 N + 1), so no operation overflows while N <= NMAX, and
   none underflows: the factors are 0 or at least 1); each of its at
   most 5m + 1 operations rounds to nearest, off by at most a factor
   (1 + 2^-53), so E (1 + 2^-30), rounded up to an integer, bounds the
   exact sum for m <= 2^16
   (E / (1 - 2^-53)^(5m) <= E (1 + 10 m 2^-53)).
   The one rounding of each result entry is that of the integers S -+ E
   to the endpoints' precision, outwards.

   N is chosen per product so that every nonzero endpoint of a row keeps
   at least prec + 8 bits on the grid (the grid then loses less than the
   enclosures' own rounding): N = ceil((prec + 10 + range) / 64), range
   the largest spread of the binary exponents within a row.  A row whose
   spread exceeds MAX_RANGE bits, with an exponent beyond +-2^24, or with
   a non-finite endpoint, is not put on a grid: fadj_intouter_entry
   declines its entries, and the caller computes them by interval
   arithmetic.  */

#include "fadj-impl.h"

#include <assert.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SIZEOF_INT128__
typedef unsigned __int128 u128;
#define HAVE_U128 1
#else
typedef unsigned long long u128;   /* never used: _new declines */
#define HAVE_U128 0
#endif

/* Rows spreading over more bits than this are left to the caller.  */
#define MAX_RANGE 256
/* And rows with a binary exponent beyond +-MAX_EXP.  */
#define MAX_EXP (1L << 24)
/* The most limbs per entry: E's factors stay below 2^(64 NMAX + 1) and
   its products below 2^(128 NMAX + 2), inside long double's range.  */
#define NMAX ((LDBL_MAX_EXP - 64) / 128 < 64 ? (LDBL_MAX_EXP - 64) / 128 : 64)
#define MAX_SAMPLES ((size_t) 1 << 16)

/* One factor (A or B) on its grids.  */
typedef struct
{
  size_t rows, m;
  mp_limb_t *mag;          /* rows x m entries of N limbs, |M| */
  unsigned char *neg;      /* sign of M */
  long double *abs;        /* upper bound of |M| */
  long double *rad;        /* upper bound of r */
  long *f;                 /* the row's scale F */
  unsigned char *ok;       /* the row is on its grid */
} fixrows;

struct fadj_intouter
{
  size_t n;                /* limbs per entry */
  fixrows a, b;
  mp_limb_t *acc;          /* 2 W limbs (W = 2N + 1), the accumulators;
                              W, the bound; 2 (W + 1), the endpoints */
  size_t used;             /* entries computed here */
};

static void
fixrows_clear (fixrows *v)
{
  free (v->mag);
  free (v->neg);
  free (v->abs);
  free (v->rad);
  free (v->f);
  free (v->ok);
}

/* Fold the exponent of the endpoint E into [*LO, *HI]; 0 if E is not
   finite.  */
static int
fold_exp (long *lo, long *hi, mpfr_srcptr e)
{
  if (!mpfr_number_p (e))
    return 0;
  if (!mpfr_zero_p (e))
    {
      long x = mpfr_get_exp (e);
      if (x < *lo)
        *lo = x;
      if (x > *hi)
        *hi = x;
    }
  return 1;
}

/* The spread of the exponents of row I of X in *RANGE, its largest
   exponent in *EMAX (LONG_MIN: all zero); 0 if the row has a non-finite
   endpoint.  TMP encloses exact entries.  */
static int
row_range (long *range, long *emax, const fadj_mat *x, size_t i,
           mpfi_ptr tmp)
{
  long lo = LONG_MAX, hi = LONG_MIN;
  size_t s;

  for (s = 0; s < x->cols; s++)
    {
      mpfi_srcptr e = fadj_entry_enclosure (tmp, FADJ_MAT (x, i, s));
      if (!fold_exp (&lo, &hi, &e->left) || !fold_exp (&lo, &hi, &e->right))
        return 0;
    }
  /* Exponents beyond +-2^24 (far outside any network's values, but a
     file can write them) are declined: the scales 2^F and the results'
     2^-(F_i + F_j) then stay well inside MPFR's exponent range.  */
  if (hi != LONG_MIN && (hi > MAX_EXP || lo < -MAX_EXP))
    return 0;
  *emax = hi;
  *range = hi == LONG_MIN ? 0 : hi - lo;
  return 1;
}

/* An upper bound of the nonnegative integer Z, exact in a long double.  */
static long double
upper_ld (const mpz_t z)
{
  long e;
  double d;

  if (mpz_sgn (z) == 0)
    return 0;
  d = mpz_get_d_2exp (&e, z);          /* truncated: z < (d + 2^-53) 2^e */
  return ldexpl ((long double) d + 0x1p-53L, (int) e);
}

/* Put every row of X (with a finite spread of at most MAX_RANGE bits) on
   its grid of N limbs.  */
static fadj_status
fixrows_set (fixrows *v, const fadj_mat *x, size_t n, mpfi_ptr tmp)
{
  size_t rows = x->rows, m = x->cols, i, s, cnt = rows * m;
  mpfr_t t;
  mpz_t lo, hi;

  memset (v, 0, sizeof *v);
  v->rows = rows;
  v->m = m;
  v->mag = calloc (cnt * n + 1, sizeof *v->mag);
  v->neg = calloc (cnt + 1, 1);
  v->abs = calloc (cnt + 1, sizeof *v->abs);
  v->rad = calloc (cnt + 1, sizeof *v->rad);
  v->f = calloc (rows + 1, sizeof *v->f);
  v->ok = calloc (rows + 1, 1);
  if (!v->mag || !v->neg || !v->abs || !v->rad || !v->f || !v->ok)
    return FADJ_ERR_NOMEM;
  mpz_inits (lo, hi, NULL);
  mpfr_init2 (t, (mpfr_prec_t) (64 * n + 64));
  for (i = 0; i < rows; i++)
    {
      long range, emax;

      if (!row_range (&range, &emax, x, i, tmp) || range > MAX_RANGE)
        continue;
      /* |x| < 2^emax, so |x| 2^F < 2^(64 N - 2).  */
      v->f[i] = emax == LONG_MIN ? 0 : 64 * (long) n - 2 - emax;
      for (s = 0; s < m; s++)
        {
          mpfi_srcptr e = fadj_entry_enclosure (tmp, FADJ_MAT (x, i, s));
          size_t k = i * m + s, used;

          mpfr_mul_2si (t, &e->left, v->f[i], MPFR_RNDD);   /* exact */
          mpfr_get_z (lo, t, MPFR_RNDD);
          mpfr_mul_2si (t, &e->right, v->f[i], MPFR_RNDU);
          mpfr_get_z (hi, t, MPFR_RNDU);
          mpz_add (lo, lo, hi);
          mpz_fdiv_q_2exp (lo, lo, 1);                      /* M */
          mpz_sub (hi, hi, lo);                             /* r = H - M */
          v->rad[k] = upper_ld (hi);
          v->neg[k] = mpz_sgn (lo) < 0;
          mpz_abs (lo, lo);
          v->abs[k] = upper_ld (lo);
          assert (mpz_size (lo) <= n);
          mpz_export (v->mag + k * n, &used, -1, sizeof (mp_limb_t), 0, 0,
                      lo);
        }
      v->ok[i] = 1;
    }
  mpfr_clear (t);
  mpz_clears (lo, hi, NULL);
  return FADJ_OK;
}

/* The largest spread of a row of X that will be put on a grid.  */
static long
max_range (const fadj_mat *x, mpfi_ptr tmp)
{
  long best = 0, range, emax;
  size_t i;

  for (i = 0; i < x->rows; i++)
    if (row_range (&range, &emax, x, i, tmp) && range <= MAX_RANGE
        && range > best)
      best = range;
  return best;
}

fadj_status
fadj_intouter_new (fadj_intouter **o, const fadj_mat *a, const fadj_mat *b,
                   mpfr_prec_t prec)
{
  fadj_intouter *k;
  mpfi_t tmp;
  long range, rb;
  size_t n;
  fadj_status st;

  *o = NULL;
  assert (a->cols == b->cols);
  if (!HAVE_U128 || sizeof (mp_limb_t) != 8 || a->cols == 0
      || a->cols > MAX_SAMPLES || LDBL_MANT_DIG < 53)
    return FADJ_ERR_LIMIT;
  /* The exponents of exact entries enclosed at prec + 2 MAX_RANGE bits
     say where they are; their own grid images are made at the grid's
     precision below.  */
  mpfi_init2 (tmp, prec + 2 * MAX_RANGE);
  range = max_range (a, tmp);
  if ((rb = max_range (b, tmp)) > range)
    range = rb;
  n = ((size_t) prec + 10 + (size_t) range + 63) / 64;
  if (n > NMAX)
    {
      mpfi_clear (tmp);
      return FADJ_ERR_LIMIT;
    }
  k = calloc (1, sizeof *k);
  if (k == NULL)
    {
      mpfi_clear (tmp);
      return FADJ_ERR_NOMEM;
    }
  k->n = n;
  mpfi_set_prec (tmp, (mpfr_prec_t) (64 * n));
  /* The accumulators, EI, and the two endpoints.  */
  k->acc = malloc ((5 * (2 * n + 1) + 2) * sizeof *k->acc);
  if (k->acc == NULL)
    st = FADJ_ERR_NOMEM;
  else if ((st = fixrows_set (&k->a, a, n, tmp)) == FADJ_OK)
    st = fixrows_set (&k->b, b, n, tmp);
  mpfi_clear (tmp);
  if (st != FADJ_OK)
    {
      fadj_intouter_free (k);
      return st;
    }
  *o = k;
  return FADJ_OK;
}

void
fadj_intouter_free (fadj_intouter *o)
{
  if (o == NULL)
    return;
  fixrows_clear (&o->a);
  fixrows_clear (&o->b);
  free (o->acc);
  free (o);
}

size_t
fadj_intouter_used (const fadj_intouter *o)
{
  return o->used;
}

/* R += X Y, X and Y of N limbs, R of 2N + 1 (never overflowing: the
   top limb counts the carries of at most 2^16 products).  Inline and
   by columns (product scanning: each limb of R read and written once),
   as the sizes are small: a call to mpn_mul_n then mpn_add_n costs
   more than the N^2 limb products themselves.  The column sum is kept
   in T (128 bits) and T2 (its carries).  */
static inline __attribute__ ((always_inline)) void
addmul_nn (mp_limb_t *r, const mp_limb_t *x, const mp_limb_t *y, size_t n)
{
  u128 t = 0;
  mp_limb_t t2 = 0;
  size_t k, p;

  _Pragma ("GCC unroll 8")
  for (k = 0; k < 2 * n; k++)
    {
      size_t p0 = k < n ? 0 : k - n + 1, p1 = k < n ? k : n - 1;

      _Pragma ("GCC unroll 8")
      for (p = p0; p <= p1; p++)     /* empty for k = 2N - 1 */
        {
          u128 pr = (u128) x[p] * y[k - p];
          t += pr;
          t2 += t < pr;
        }
      t += r[k];
      t2 += t < r[k];
      r[k] = (mp_limb_t) t;
      t = (t >> 64) | ((u128) t2 << 64);
      t2 = 0;
    }
  r[2 * n] += (mp_limb_t) t;
}

/* addmul_nn with the common sizes as constants, so that the compiler
   unrolls their loops.  */
static void
addmul_n (mp_limb_t *r, const mp_limb_t *x, const mp_limb_t *y, size_t n)
{
  switch (n)
    {
    case 2:
      addmul_nn (r, x, y, 2);
      break;
    case 3:
      addmul_nn (r, x, y, 3);
      break;
    case 4:
      addmul_nn (r, x, y, 4);
      break;
    default:
      addmul_nn (r, x, y, n);
      break;
    }
}

/* *NEG and the W limbs of ACC[*NEG] = the exact sum S of rows I of A
   and J of B, unscaled, as a sign and a magnitude; the bound E
   returned.  */
static long double
row_sum (fadj_intouter *o, size_t i, size_t j, int *neg)
{
  size_t n = o->n, m = o->a.m, w = 2 * n + 1, s;
  const size_t ka = i * m, kb = j * m;
  mp_limb_t *acc[2] = { o->acc, o->acc + w };
  long double e = 0;

  memset (o->acc, 0, 2 * w * sizeof *o->acc);
  for (s = 0; s < m; s++)
    {
      e += o->a.abs[ka + s] * o->b.rad[kb + s]
        + o->a.rad[ka + s] * (o->b.abs[kb + s] + o->b.rad[kb + s]);
      if (o->a.abs[ka + s] == 0 || o->b.abs[kb + s] == 0)
        continue;
      addmul_n (acc[o->a.neg[ka + s] ^ o->b.neg[kb + s]],
                o->a.mag + (ka + s) * n, o->b.mag + (kb + s) * n, n);
    }
  /* S = positive part - negative part: the smaller taken from the
     larger, in place.  */
  *neg = mpn_cmp (acc[0], acc[1], (mp_size_t) w) < 0;
  mpn_sub_n (acc[*neg], acc[*neg], acc[!*neg], (mp_size_t) w);
  return e;
}

/* The W limbs of EI = an integer >= E (1 + 2^-30), for 0 <= E <
   2^(128 N + 19) (m <= 2^16 sums of three products of factors below
   2^(64 N - 1)): its 64 bits end below bit 128 N + 20 < 64 W.  */
static void
err_limbs (mp_limb_t *ei, size_t w, long double e)
{
  int ex;
  long sh;
  uint64_t mant;

  memset (ei, 0, w * sizeof *ei);
  if (e == 0)
    return;
  /* e = fr 2^ex, 1/2 <= fr < 1; T = trunc (fr 2^62) <= fr 2^62 < T + 1,
     so e < (T + 1) 2^(ex - 62); then times 1 + 2^-30, rounded up.  */
  mant = (uint64_t) ldexpl (frexpl (e, &ex), 62) + 1;
  mant += (mant >> 30) + 1;
  sh = (long) ex - 62;
  if (sh <= 0)
    ei[0] = (sh <= -64 ? 0 : mant >> -sh) + 1;
  else
    {
      size_t li = (size_t) sh / 64;
      unsigned bi = (unsigned) (sh % 64);
      ei[li] = mant << bi;
      if (bi != 0)
        ei[li + 1] = mant >> (64 - bi);
    }
}

/* R (W + 1 limbs) = |A +- B| for A, B of W limbs; returns the size of R
   signed by the sign of A +- B, A read as of sign SA and B positive.
   MINUS: A - B, else A + B.  */
static mp_size_t
signed_add (mp_limb_t *r, const mp_limb_t *a, int sa, const mp_limb_t *b,
            size_t w, int minus)
{
  mp_size_t sz = (mp_size_t) w + 1;
  int sign = sa;

  /* (-1)^SA |A| + B and (-1)^SA |A| - B: the magnitudes add when
     MINUS = SA, else they subtract.  */
  if (!minus ^ sa)
    r[w] = mpn_add_n (r, a, b, (mp_size_t) w);
  else
    {
      r[w] = 0;
      if (mpn_cmp (a, b, (mp_size_t) w) >= 0)
        mpn_sub_n (r, a, b, (mp_size_t) w);
      else
        {
          mpn_sub_n (r, b, a, (mp_size_t) w);
          sign = !sa;
        }
    }
  while (sz > 0 && r[sz - 1] == 0)
    sz--;
  return sign ? -sz : sz;
}

int
fadj_intouter_entry (mpfi_ptr r, fadj_intouter *o, size_t i, size_t j)
{
  size_t w = 2 * o->n + 1;
  mp_limb_t *ei = o->acc + 2 * w, *lo = ei + w, *hi = lo + w + 1;
  const mp_limb_t *mag;
  long f;
  int neg;
  mpz_t z;

  if (!o->a.ok[i] || !o->b.ok[j])
    return 0;
  f = o->a.f[i] + o->b.f[j];
  err_limbs (ei, w, row_sum (o, i, j, &neg));
  mag = o->acc + (neg ? w : 0);
  /* [S - EI, S + EI] 2^-F, each endpoint rounded outwards once.  */
  mpz_roinit_n (z, lo, signed_add (lo, mag, neg, ei, w, 1));
  mpfr_set_z_2exp (&r->left, z, -f, MPFR_RNDD);
  mpz_roinit_n (z, hi, signed_add (hi, mag, neg, ei, w, 0));
  mpfr_set_z_2exp (&r->right, z, -f, MPFR_RNDU);
  /* MPFI's signed zeros: a left endpoint +0, a right one -0.  */
  if (mpfr_zero_p (&r->right))
    mpfr_set_zero (&r->right, -1);
  o->used++;
  return 1;
}
