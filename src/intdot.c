/* intdot.c -- exact integer dot products for the big matrix products of
   the interval domain (the approach of Arb's arb_dot, specialised to the
   weights of a network file).

   Every weight is an exact rational.  When a layer's weights (and bias)
   share a common denominator D < 2^63 and every numerator K_ij = W_ij D
   fits in a signed 64-bit integer -- weights written with a few decimals
   (D = 1000), hex floats of one binade range, small fractions -- the
   layer is stored as the integer matrix K and D: W = K / D exactly.

   A product W x against a vector of intervals is then computed as
   follows.  Each x_j in [lo_j, hi_j] is put on a fixed-point grid 2^-F:
   L_j = floor(lo_j 2^F), H_j = ceil(hi_j 2^F), midpoint M_j =
   floor((L_j + H_j) / 2) and radius r_j = H_j - M_j, so that
   x_j in [M_j - r_j, M_j + r_j] 2^-F.  With R = max r_j,

     sum_j K_ij x_j  in  [A_i - R S_i, A_i + R S_i] 2^-F,
     A_i = sum_j K_ij M_j  (computed exactly, in integers),
     S_i = sum_j |K_ij|    (exact, precomputed),

   and y_i = (that) / D, each endpoint rounded outwards once.  The sum is
   exact: the only losses are the grid (at most one unit of 2^-F per
   entry, inside r_j) and the final outward rounding.  F is chosen so that
   the largest |x_j| uses all but two bits of NL limbs, NL = prec/64 + 2,
   and so that R < 2^61; each term K_ij M_j is one mpn_addmul_1 (a limb
   times NL limbs), several times cheaper than one MPFR multiply-add.
   Signs are kept apart: positive and negative terms go to two unsigned
   accumulators, chosen without a branch.  */

#include "fadj-impl.h"
#include "parallel.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SIZEOF_INT128__
typedef unsigned __int128 u128;
#define HAVE_U128 1
#else
#define HAVE_U128 0
#endif

void
fadj_intdot_clear (fadj_intdot *k)
{
  free (k->own);
  free (k->rsum);
  free (k->csum);
  if (k->ok)
    mpz_clear (k->d);
  memset (k, 0, sizeof *k);
}

/* The common denominator of the entries of M into *D (< 2^62); 0 if it
   does not fit.  */
static int
lcm_den (uint64_t *d, const fadj_mat *m)
{
  size_t n = m->rows * m->cols, k;

  for (k = 0; k < n; k++)
    {
      const mpz_srcptr den = mpq_denref (FADJ_NUM_Q (&m->e[k]));
      uint64_t e, g;

      if (!mpz_fits_ulong_p (den))
        return 0;
      e = mpz_get_ui (den);
      if (*d % e == 0)
        continue;
      g = fadj_gcd_u64 (*d, e);
      if (__builtin_mul_overflow (*d / g, e, d) || *d >= (UINT64_C (1) << 62))
        return 0;
    }
  return 1;
}

/* K[k] = M[k] D exactly, if it fits in an int64.  */
static int
scale_entries (int64_t *out, const fadj_mat *m, uint64_t d)
{
  size_t n = m->rows * m->cols, k;

  for (k = 0; k < n; k++)
    {
      const mpq_srcptr q = FADJ_NUM_Q (&m->e[k]);
      uint64_t e = mpz_get_ui (mpq_denref (q)), f = d / e;
      int64_t num, r;

      if (!mpz_fits_slong_p (mpq_numref (q)))
        return 0;
      num = mpz_get_si (mpq_numref (q));
      if (f > INT64_MAX || __builtin_mul_overflow (num, (int64_t) f, &r)
          || r == INT64_MIN)
        return 0;
      out[k] = r;
    }
  return 1;
}

/* K[k] = W's compact K[k] D / DEN exactly (DEN divides D), if it fits
   in an int64.  */
static int
scale_compact (int64_t *out, const fadj_mat *w, uint64_t d)
{
  size_t n = w->rows * w->cols, k;
  uint64_t f = d / w->den;

  if (f > INT64_MAX)
    return 0;
  for (k = 0; k < n; k++)
    if (__builtin_mul_overflow (w->k[k], (int64_t) f, out + k)
        || out[k] == INT64_MIN)
      return 0;
  return 1;
}

fadj_status
fadj_intdot_init (fadj_intdot *k, const fadj_mat *w, const fadj_mat *b)
{
  size_t rows = w->rows, cols = w->cols, i, j;
  uint64_t d = 1;

  memset (k, 0, sizeof *k);
  if (!HAVE_U128 || sizeof (mp_limb_t) != 8 || cols > 100000)
    return FADJ_ERR_LIMIT;
  if (w->k != NULL)
    {
      /* A compact matrix is that form already (DEN is its least common
         denominator, |K| < 2^62), unless the bias needs a multiple of
         DEN: then K is scaled like any other matrix.  */
      d = w->den;
      if (b != NULL && !lcm_den (&d, b))
        return FADJ_ERR_LIMIT;
    }
  else if (!lcm_den (&d, w) || (b != NULL && !lcm_den (&d, b)))
    return FADJ_ERR_LIMIT;
  k->rsum = malloc (rows * sizeof *k->rsum);
  k->csum = malloc (cols * sizeof *k->csum);
  if (w->k != NULL && d == w->den)
    k->k = w->k;
  else if ((k->own = malloc (rows * cols * sizeof *k->own)) != NULL)
    k->k = k->own;
  if (k->k == NULL || k->rsum == NULL || k->csum == NULL)
    {
      fadj_intdot_clear (k);
      return FADJ_ERR_NOMEM;
    }
  if (k->own != NULL
      && !(w->k != NULL ? scale_compact (k->own, w, d)
           : scale_entries (k->own, w, d)))
    {
      fadj_intdot_clear (k);
      return FADJ_ERR_LIMIT;
    }
#if HAVE_U128
  memset (k->csum, 0, cols * sizeof *k->csum);
  for (i = 0; i < rows; i++)
    {
      u128 s = 0;
      for (j = 0; j < cols; j++)
        {
          int64_t v = k->k[i * cols + j];
          uint64_t a = v < 0 ? -(uint64_t) v : (uint64_t) v;
          s += a;
          k->csum[j] += a;
        }
      k->rsum[i] = s;
    }
#endif
  k->rows = rows;
  k->cols = cols;
  k->b = b;
  mpz_init_set_ui (k->d, d);
  k->ok = 1;
  return FADJ_OK;
}

/* ------------------------------------------------------------------ */
/* Fixed-point images of vectors of intervals.                         */

typedef struct
{
  size_t n, nl;
  mp_limb_t *mag;         /* n x nl limbs, least significant first */
  unsigned char *neg;     /* sign of each midpoint */
  unsigned char *zero;    /* the midpoint is 0 */
  long f;                 /* scale 2^-F */
  mp_limb_t r;            /* common radius, in units of 2^-F */
} fixvec;

static void
fixvec_clear (fixvec *v)
{
  free (v->mag);
  free (v->neg);
  free (v->zero);
}

mpfi_srcptr
fadj_entry_enclosure (mpfi_ptr tmp, fadj_num_srcptr x)
{
  if (!FADJ_NUM_EXACT_P (x))
    return FADJ_NUM_I (x);
  mpfi_set_q (tmp, FADJ_NUM_Q (x));
  return tmp;
}

/* V = column S of X on a grid fine enough for PREC bits.  */
static fadj_status
fixvec_set (fixvec *v, const fadj_mat *x, size_t s, mpfr_prec_t prec)
{
  size_t n = x->rows, j;
  long e = LONG_MIN, ew = LONG_MIN;
  mpfr_t t;
  mpfi_t ex;
  mpz_t lo, hi;
  fadj_status st = FADJ_OK;

  memset (v, 0, sizeof *v);
  v->n = n;
  v->nl = (size_t) prec / 64 + 2;
  v->mag = calloc (n * v->nl, sizeof *v->mag);
  v->neg = calloc (n ? n : 1, 1);
  v->zero = calloc (n ? n : 1, 1);
  if (v->mag == NULL || v->neg == NULL || v->zero == NULL)
    {
      fixvec_clear (v);
      return FADJ_ERR_NOMEM;
    }
  mpfr_init2 (t, 64);
  mpfi_init2 (ex, prec);
  for (j = 0; j < n; j++)
    {
      mpfi_srcptr xi = fadj_entry_enclosure (ex, FADJ_MAT (x, j, s));
      if (!mpfr_number_p (&xi->left) || !mpfr_number_p (&xi->right))
        {
          mpfr_clear (t);
          mpfi_clear (ex);
          fixvec_clear (v);
          return FADJ_UNDECIDED;
        }
      if (!mpfr_zero_p (&xi->left) && mpfr_get_exp (&xi->left) > e)
        e = mpfr_get_exp (&xi->left);
      if (!mpfr_zero_p (&xi->right) && mpfr_get_exp (&xi->right) > e)
        e = mpfr_get_exp (&xi->right);
      mpfr_sub (t, &xi->right, &xi->left, MPFR_RNDU);
      if (!mpfr_zero_p (t) && mpfr_get_exp (t) > ew)
        ew = mpfr_get_exp (t);
    }
  mpfr_clear (t);
  if (e == LONG_MIN)
    e = 0;                      /* all zero */
  /* |x| < 2^e, so |x| 2^F < 2^(64 NL - 2); width 2^F < 2^60.  */
  v->f = 64 * (long) v->nl - 2 - e;
  if (ew != LONG_MIN && 60 - ew < v->f)
    v->f = 60 - ew;

  mpz_inits (lo, hi, NULL);
  mpfr_init2 (t, prec + 64);
  for (j = 0; j < n && st == FADJ_OK; j++)
    {
      mpfi_srcptr xi = fadj_entry_enclosure (ex, FADJ_MAT (x, j, s));
      mp_limb_t rad;
      size_t used;

      mpfr_mul_2si (t, &xi->left, v->f, MPFR_RNDD);   /* exact */
      mpfr_get_z (lo, t, MPFR_RNDD);
      mpfr_mul_2si (t, &xi->right, v->f, MPFR_RNDU);
      mpfr_get_z (hi, t, MPFR_RNDU);
      mpz_add (lo, lo, hi);
      mpz_fdiv_q_2exp (lo, lo, 1);                    /* M */
      mpz_sub (hi, hi, lo);                           /* r = H - M */
      assert (mpz_sgn (hi) >= 0 && mpz_sizeinbase (hi, 2) <= 62);
      rad = mpz_get_ui (hi);
      if (rad > v->r)
        v->r = rad;
      v->neg[j] = mpz_sgn (lo) < 0;
      v->zero[j] = mpz_sgn (lo) == 0;
      assert (mpz_size (lo) <= v->nl);
      mpz_export (v->mag + j * v->nl, &used, -1, sizeof (mp_limb_t), 0, 0,
                  lo);
    }
  mpfr_clear (t);
  mpfi_clear (ex);
  mpz_clears (lo, hi, NULL);
  return st;
}

/* ------------------------------------------------------------------ */
/* Accumulators: positive and negative parts, NL limbs plus a 128-bit
   carry word each.                                                    */

/* The integers acc_get works with, allocated once per product rather
   than once per entry.  */
typedef struct
{
  mpz_t a, t, w;
} acc_ws;

static void
acc_ws_init (acc_ws *ws)
{
  mpz_inits (ws->a, ws->t, ws->w, NULL);
}

static void
acc_ws_clear (acc_ws *ws)
{
  mpz_clears (ws->a, ws->t, ws->w, NULL);
}

/* R = [ (P - N - R S) / (D 2^F), (P - N + R S) / (D 2^F) ], rounded
   outwards into the precision of R, each endpoint set in place (MPFI's
   signed zeros: a left endpoint +0, a right one -0).  */
static void
acc_get (acc_ws *ws, mpfi_ptr r, const mp_limb_t *pos, u128 hpos,
         const mp_limb_t *negl, u128 hneg, size_t nl, u128 rs, mp_limb_t rad,
         const mpz_t d, long f)
{
  mpz_ptr a = ws->a, t = ws->t, w = ws->w;

  mpz_import (a, nl, -1, sizeof (mp_limb_t), 0, 0, pos);
  mpz_import (t, 1, -1, sizeof (u128), 0, 0, &hpos);
  mpz_mul_2exp (t, t, 64 * nl);
  mpz_add (a, a, t);
  mpz_import (t, nl, -1, sizeof (mp_limb_t), 0, 0, negl);
  mpz_sub (a, a, t);
  mpz_import (t, 1, -1, sizeof (u128), 0, 0, &hneg);
  mpz_mul_2exp (t, t, 64 * nl);
  mpz_sub (a, a, t);
  mpz_import (w, 1, -1, sizeof (u128), 0, 0, &rs);
  mpz_mul_ui (w, w, rad);
  mpz_sub (t, a, w);
  mpfr_set_z (&r->left, t, MPFR_RNDD);
  mpz_add (t, a, w);
  mpfr_set_z (&r->right, t, MPFR_RNDU);
  if (mpz_cmp_ui (d, 1) != 0)
    {
      mpfr_div_z (&r->left, &r->left, d, MPFR_RNDD);
      mpfr_div_z (&r->right, &r->right, d, MPFR_RNDU);
    }
  mpfr_mul_2si (&r->left, &r->left, -f, MPFR_RNDD);
  mpfr_mul_2si (&r->right, &r->right, -f, MPFR_RNDU);
  if (mpfr_zero_p (&r->left))
    mpfr_set_zero (&r->left, 1);
  if (mpfr_zero_p (&r->right))
    mpfr_set_zero (&r->right, -1);
}

/* Products of fewer multiply-adds than this stay in the calling
   thread: handing chunks to the pool's workers (waking them, taking
   the mutex per chunk) costs some microseconds.  */
#define INTDOT_THREADS_MIN_MACS 65536

/* Run CHUNK over the samples of JB, among threads if the product of
   ROWS x COLS by M samples is worth them: a sample at a time, taken by
   whichever thread is free (a sample is a whole product with the
   weights, far more than the chunk's own setup).  */
static fadj_status
intdot_samples (size_t m, size_t rows, size_t cols, fadj_parallel_fn chunk,
                void *jb)
{
  if ((double) rows * (double) cols * (double) m < INTDOT_THREADS_MIN_MACS)
    return m == 0 ? FADJ_OK : chunk (0, m, jb);
  return fadj_parallel_for_grain (m, 1, chunk, jb);
}

/* The samples [LO, HI) of fadj_intdot_mul, one chunk of
   fadj_parallel_for: each sample writes only its own column of Y.  */
typedef struct
{
  fadj_mat *out;
  const fadj_intdot *k;
  const fadj_mat *in;
  int bias;
} intdot_job;

static fadj_status
intdot_mul_samples (size_t lo, size_t hi_s, void *arg)
{
  const intdot_job *jb = arg;
  fadj_mat *y = jb->out;
  const fadj_intdot *k = jb->k;
  const fadj_mat *x = jb->in;
  size_t rows = k->rows, cols = k->cols, i, j, s, nl;
  mpfr_prec_t prec = mpfi_get_prec (FADJ_NUM_I (&y->e[0]));
  mp_limb_t *acc;
  fixvec v;
  acc_ws ws;
  fadj_status st = FADJ_OK;

  acc_ws_init (&ws);
  for (s = lo; s < hi_s; s++)
    {
      if ((st = fixvec_set (&v, x, s, prec)) != FADJ_OK)
        break;
      nl = v.nl;
      acc = malloc (2 * nl * sizeof *acc);
      if (acc == NULL)
        {
          fixvec_clear (&v);
          st = FADJ_ERR_NOMEM;
          break;
        }
      for (i = 0; i < rows; i++)
        {
          const int64_t *row = k->k + i * cols;
          mp_limb_t *accv[2] = { acc, acc + nl };
          u128 hi[2] = { 0, 0 };
          mpfi_ptr r = FADJ_NUM_I (FADJ_MAT (y, i, s));

          memset (acc, 0, 2 * nl * sizeof *acc);
          for (j = 0; j < cols; j++)
            {
              int64_t kv = row[j];
              uint64_t mask = (uint64_t) (kv >> 63);
              uint64_t a = ((uint64_t) kv ^ mask) - mask;
              unsigned idx = (unsigned) (mask & 1) ^ v.neg[j];
              hi[idx] += mpn_addmul_1 (accv[idx], v.mag + j * nl, nl, a);
            }
          acc_get (&ws, r, accv[0], hi[0], accv[1], hi[1], nl, k->rsum[i],
                   v.r, k->d, v.f);
          if (jb->bias && k->b != NULL)
            mpfi_add_q (r, r, FADJ_NUM_Q (&k->b->e[i]));
        }
      free (acc);
      fixvec_clear (&v);
    }
  acc_ws_clear (&ws);
  return st;
}

fadj_status
fadj_intdot_mul (fadj_mat *y, const fadj_intdot *k, const fadj_mat *x,
                 int bias)
{
  intdot_job jb = { y, k, x, bias };

  return intdot_samples (x->cols, k->rows, k->cols, intdot_mul_samples,
                         &jb);
}

static fadj_status
intdot_tmul_samples (size_t lo, size_t hi_s, void *arg)
{
  const intdot_job *jb = arg;
  fadj_mat *x = jb->out;
  const fadj_intdot *k = jb->k;
  const fadj_mat *y = jb->in;
  size_t rows = k->rows, cols = k->cols, i, j, s, nl;
  mpfr_prec_t prec = mpfi_get_prec (FADJ_NUM_I (&x->e[0]));
  mp_limb_t *acc;
  u128 *hi;
  fixvec v;
  acc_ws ws;
  fadj_status st = FADJ_OK;

  acc_ws_init (&ws);
  for (s = lo; s < hi_s; s++)
    {
      if ((st = fixvec_set (&v, y, s, prec)) != FADJ_OK)
        break;
      nl = v.nl;
      acc = calloc (2 * nl * cols, sizeof *acc);
      hi = calloc (2 * cols, sizeof *hi);
      if (acc == NULL || hi == NULL)
        {
          free (acc);
          free (hi);
          fixvec_clear (&v);
          st = FADJ_ERR_NOMEM;
          break;
        }
      /* Row by row, so that K is read in storage order: column j's
         accumulators (positive at 2j, negative at 2j + 1) collect
         K_ij M_i.  */
      for (i = 0; i < rows; i++)
        {
          const int64_t *row = k->k + i * cols;
          const mp_limb_t *mi = v.mag + i * nl;
          unsigned ni = v.neg[i];

          if (v.zero[i])
            continue;
          for (j = 0; j < cols; j++)
            {
              int64_t kv = row[j];
              uint64_t mask = (uint64_t) (kv >> 63);
              uint64_t a = ((uint64_t) kv ^ mask) - mask;
              unsigned idx = 2 * (unsigned) j + ((unsigned) (mask & 1) ^ ni);
              hi[idx] += mpn_addmul_1 (acc + idx * nl, mi, nl, a);
            }
        }
      for (j = 0; j < cols; j++)
        acc_get (&ws, FADJ_NUM_I (FADJ_MAT (x, j, s)), acc + 2 * j * nl,
                 hi[2 * j], acc + (2 * j + 1) * nl, hi[2 * j + 1], nl,
                 k->csum[j], v.r, k->d, v.f);
      free (acc);
      free (hi);
      fixvec_clear (&v);
    }
  acc_ws_clear (&ws);
  return st;
}

/* Each sample writes only its own column of X: one chunk of
   fadj_parallel_for per range of samples.  */
fadj_status
fadj_intdot_tmul (fadj_mat *x, const fadj_intdot *k, const fadj_mat *y)
{
  intdot_job jb = { x, k, y, 0 };

  return intdot_samples (y->cols, k->rows, k->cols, intdot_tmul_samples,
                         &jb);
}
