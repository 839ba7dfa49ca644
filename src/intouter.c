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
  mp_limb_t *off;          /* rows x m entries of N limbs, M + 2^(64 N
                              - 2), in (0, 2^(64 N - 1)) */
  mp_limb_t *sum;          /* per row, W + 1 limbs (W = 2N + 1): c sum_s M
                              (for B: c sum_s (M + c)), c = 2^(64 N -
                              2), in two's complement */
  long double *abs;        /* upper bound of |M| */
  long double *rad;        /* upper bound of r */
  long *f;                 /* the row's scale F */
  unsigned char *ok;       /* the row is on its grid */
} fixrows;

struct fadj_intouter
{
  size_t n;                /* limbs per entry */
  fixrows a, b;
  mp_limb_t *acc;          /* 2 W limbs (W = 2N + 1): |S| and the
                              column sums; W, the bound; 2 (W + 1), the
                              endpoints */
  size_t used;             /* entries computed here */
  mpz_t z;                 /* S */
};

static void
fixrows_clear (fixrows *v)
{
  free (v->off);
  free (v->sum);
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

/* The W limbs of R = Z in two's complement, |Z| < 2^(64 W - 1).  */
static void
twos_limbs (mp_limb_t *r, const mpz_t z, size_t w)
{
  size_t used = 0;

  assert (mpz_size (z) <= w);
  memset (r, 0, w * sizeof *r);
  mpz_export (r, &used, -1, sizeof (mp_limb_t), 0, 0, z);
  if (mpz_sgn (z) < 0)
    mpn_neg (r, r, (mp_size_t) w);
}

/* Put every row of X (with a finite spread of at most MAX_RANGE bits) on
   its grid of N limbs.  OFFSET: X is B, whose row sums include m c^2
   (row_sum).  */
static fadj_status
fixrows_set (fixrows *v, const fadj_mat *x, size_t n, mpfi_ptr tmp,
             int offset)
{
  size_t rows = x->rows, m = x->cols, i, s, cnt = rows * m, w = 2 * n + 1;
  mpfr_t t;
  mpz_t lo, hi, sum;

  memset (v, 0, sizeof *v);
  v->rows = rows;
  v->m = m;
  v->off = calloc (cnt * n + 1, sizeof *v->off);
  v->sum = calloc (rows * (w + 1) + 1, sizeof *v->sum);
  v->abs = calloc (cnt + 1, sizeof *v->abs);
  v->rad = calloc (cnt + 1, sizeof *v->rad);
  v->f = calloc (rows + 1, sizeof *v->f);
  v->ok = calloc (rows + 1, 1);
  if (!v->off || !v->sum || !v->abs || !v->rad || !v->f || !v->ok)
    return FADJ_ERR_NOMEM;
  mpz_inits (lo, hi, sum, NULL);
  mpfr_init2 (t, (mpfr_prec_t) (64 * n + 64));
  for (i = 0; i < rows; i++)
    {
      long range, emax;

      if (!row_range (&range, &emax, x, i, tmp) || range > MAX_RANGE)
        continue;
      /* |x| < 2^emax, so |x| 2^F < 2^(64 N - 2).  */
      v->f[i] = emax == LONG_MIN ? 0 : 64 * (long) n - 2 - emax;
      mpz_set_ui (sum, offset ? (unsigned long) m : 0);
      mpz_mul_2exp (sum, sum, 64 * n - 2);
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
          mpz_add (sum, sum, lo);
          /* The offset image: |M| < 2^(64 N - 2).  */
          mpz_set_ui (hi, 1);
          mpz_mul_2exp (hi, hi, 64 * n - 2);
          mpz_add (hi, hi, lo);
          assert (mpz_sgn (hi) > 0 && mpz_size (hi) <= n);
          mpz_export (v->off + k * n, &used, -1, sizeof (mp_limb_t), 0, 0,
                      hi);
          mpz_abs (lo, lo);
          v->abs[k] = upper_ld (lo);
        }
      mpz_mul_2exp (sum, sum, 64 * n - 2);
      twos_limbs (v->sum + i * (w + 1), sum, w + 1);
      v->ok[i] = 1;
    }
  mpfr_clear (t);
  mpz_clears (lo, hi, sum, NULL);
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
  mpz_init (k->z);
  mpfi_set_prec (tmp, (mpfr_prec_t) (64 * n));
  /* The accumulators, EI, and the two endpoints.  */
  k->acc = malloc ((5 * (2 * n + 1) + 2) * sizeof *k->acc);
  if (k->acc == NULL)
    st = FADJ_ERR_NOMEM;
  else if ((st = fixrows_set (&k->a, a, n, tmp, 0)) == FADJ_OK)
    st = fixrows_set (&k->b, b, n, tmp, 1);
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
  mpz_clear (o->z);
  free (o);
}

size_t
fadj_intouter_used (const fadj_intouter *o)
{
  return o->used;
}

/* T (2N + 1 limbs) = sum_s X_s Y_s over the M samples, X_s and Y_s of
   N limbs (the offset images: every factor nonnegative, no sign test).
   By columns (product scanning): for column K, the products
   X_s[p] Y_s[K - p] are summed in 128 bits and the count of its carries
   (at most N M <= 2^22 products: no overflow), and the column is added
   to T once at limbs K .. K + 2, which no earlier column reached beyond
   K + 1 (the partial sums stay below 2^(64 K + 151)).  Inline, with N a
   constant in cols_sum, so that the loops over p unroll and the sums
   stay in registers: a call to mpn_mul_n then mpn_add_n per sample
   costs more than the N^2 limb products themselves.  */
static inline __attribute__ ((always_inline)) void
cols_sum_nn (mp_limb_t *t, const mp_limb_t *x, const mp_limb_t *y,
             size_t m, size_t n)
{
  size_t k, s, p;

  memset (t, 0, (2 * n + 1) * sizeof *t);
  _Pragma ("GCC unroll 8")
  for (k = 0; k + 1 < 2 * n; k++)
    {
      size_t p0 = k < n ? 0 : k - n + 1, p1 = k < n ? k : n - 1;
      u128 acc = 0, c;
      uint64_t top = 0;

      for (s = 0; s < m; s++)
        {
          const mp_limb_t *xs = x + s * n, *ys = y + s * n;

          _Pragma ("GCC unroll 8")
          for (p = p0; p <= p1; p++)
            top += __builtin_add_overflow (acc, (u128) xs[p] * ys[k - p],
                                           &acc);
        }
      /* T += (ACC + TOP 2^128) 2^(64 K).  */
      c = (u128) t[k] + (uint64_t) acc;
      t[k] = (mp_limb_t) c;
      c = (c >> 64) + t[k + 1] + (uint64_t) (acc >> 64);
      t[k + 1] = (mp_limb_t) c;
      t[k + 2] = (mp_limb_t) (c >> 64) + top;
    }
}

/* cols_sum_nn with the common sizes as constants.  */
static void
cols_sum (mp_limb_t *t, const mp_limb_t *x, const mp_limb_t *y, size_t m,
          size_t n)
{
  switch (n)
    {
    case 3:
      cols_sum_nn (t, x, y, m, 3);
      break;
    case 4:
      cols_sum_nn (t, x, y, m, 4);
      break;
    default:
      cols_sum_nn (t, x, y, m, n);
      break;
    }
}

/* *NEG and the W limbs of ACC = the exact sum S of rows I of A and J of
   B, unscaled, as a sign and a magnitude; the bound E returned.  With
   the offset images A' = A + c and B' = B + c, c = 2^(64 N - 2),
   S = sum_s A'_s B'_s - c sum_s A_s - c sum_s B'_s, the two sums
   prepared per row by fixrows_set; in two's complement on W + 1 limbs
   (|S| < 2^(128 N + 12)).  */
static long double
row_sum (fadj_intouter *o, size_t i, size_t j, int *neg)
{
  size_t n = o->n, m = o->a.m, w = 2 * n + 1, s;
  const size_t ka = i * m, kb = j * m;
  mp_limb_t *t = o->acc;
  long double e = 0;

  for (s = 0; s < m; s++)
    e += o->a.abs[ka + s] * o->b.rad[kb + s]
      + o->a.rad[ka + s] * (o->b.abs[kb + s] + o->b.rad[kb + s]);
  cols_sum (t, o->a.off + ka * n, o->b.off + kb * n, m, n);
  t[w] = 0;
  mpn_sub_n (t, t, o->a.sum + i * (w + 1), (mp_size_t) (w + 1));
  mpn_sub_n (t, t, o->b.sum + j * (w + 1), (mp_size_t) (w + 1));
  *neg = t[w] >> 63;
  if (*neg)
    mpn_neg (t, t, (mp_size_t) w);   /* |S| < 2^(64 W): its low W limbs */
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

void
fadj_set_limbs_2exp (mpfr_ptr r, const mp_limb_t *p, mp_size_t ssz, long e,
                     mpfr_rnd_t rnd)
{
  mpfr_prec_t prec = mpfr_get_prec (r);
  size_t sz = (size_t) (ssz < 0 ? -ssz : ssz), rl = (size_t) (prec + 63) / 64;
  size_t k, low = 64 * rl - (size_t) prec;
  int neg = ssz < 0;
  unsigned lz;
  long ex;
  const mp_limb_t *src;
  mp_limb_t *d, sticky = 0, mask;
  mpz_t z;

  /* The common case only: more limbs than R's significand (then R is
     inexact or its last limbs are zeros), a directed rounding.  */
  if (sz < rl + 1 || (rnd != MPFR_RNDD && rnd != MPFR_RNDU)
      || sizeof (mp_limb_t) != sizeof (unsigned long long))
    goto general;
  lz = (unsigned) __builtin_clzll (p[sz - 1]);
  /* |R| = 0.1... 2^EX; a carry of the rounding makes it EX + 1, still in
     range: EX < emax.  */
  ex = 64 * (long) sz - (long) lz + e;
  if (ex < mpfr_get_emin () || ex >= mpfr_get_emax ())
    goto general;
  d = mpfr_custom_get_significand (r);
  /* D = the top 64 RL bits of P normalised (its top bit at the top of
     D), from the top RL + 1 limbs SRC of P; STICKY: the bits of P below
     them, then those of D below the precision.  */
  src = p + sz - rl - 1;
  if (lz != 0)
    {
      for (k = 0; k < rl; k++)
        d[k] = (src[k + 1] << lz) | (src[k] >> (64 - lz));
      sticky = src[0] << lz;
    }
  else
    {
      for (k = 0; k < rl; k++)
        d[k] = src[k + 1];
      sticky = src[0];
    }
  for (k = 0; k + rl + 1 < sz; k++)
    sticky |= p[k];
  mask = low != 0 ? ((mp_limb_t) 1 << low) - 1 : 0;
  sticky |= d[0] & mask;
  d[0] &= ~mask;
  /* Inexact: away from zero when the direction points away from it.  */
  if (sticky != 0 && (rnd == MPFR_RNDU) != neg
      && mpn_add_1 (d, d, (mp_size_t) rl, mask + 1) != 0)
    {
      d[rl - 1] = (mp_limb_t) 1 << 63;  /* the rest carried to 0 */
      ex++;
    }
  mpfr_custom_init_set (r, neg ? -MPFR_REGULAR_KIND : MPFR_REGULAR_KIND, ex,
                        prec, d);
  return;

general:
  mpfr_set_z_2exp (r, mpz_roinit_n (z, p, ssz), e, rnd);
}

int
fadj_intouter_entry (mpfi_ptr r, fadj_intouter *o, size_t i, size_t j)
{
  size_t w = 2 * o->n + 1;
  mp_limb_t *ei = o->acc + 2 * w, *lo = ei + w, *hi = lo + w + 1;
  const mp_limb_t *mag;
  long f;
  int neg;

  if (!o->a.ok[i] || !o->b.ok[j])
    return 0;
  f = o->a.f[i] + o->b.f[j];
  err_limbs (ei, w, row_sum (o, i, j, &neg));
  mag = o->acc;
  /* [S - EI, S + EI] 2^-F, each endpoint rounded outwards once.  */
  fadj_set_limbs_2exp (&r->left, lo, signed_add (lo, mag, neg, ei, w, 1),
                       -f, MPFR_RNDD);
  fadj_set_limbs_2exp (&r->right, hi, signed_add (hi, mag, neg, ei, w, 0),
                       -f, MPFR_RNDU);
  /* MPFI's signed zeros: a left endpoint +0, a right one -0.  */
  if (mpfr_zero_p (&r->right))
    mpfr_set_zero (&r->right, -1);
  o->used++;
  return 1;
}
