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
   and so that R < 2^61; each term K_ij M_j is NL limb products, several
   times cheaper than one MPFR multiply-add.  The signs cost nothing per
   term: both factors are offset to nonnegative integers, K + 2^63 and
   M + 2^(64 NL - 2), and the offsets' contribution, a multiple of the
   row sum of K plus one of the sum of the M, is subtracted once per
   result (dot_row); the limb products are summed by columns, carried
   once at the end (dot_cols).  */

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
  free (k->ksum);
  free (k->kcsum);
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
  size_t rows = w->rows, cols = w->cols;
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
  if (w->k != NULL && d == w->den)
    k->k = w->k;
  else if ((k->own = malloc (rows * cols * sizeof *k->own)) != NULL)
    k->k = k->own;
  k->rows = rows;
  k->cols = cols;
  if (k->k == NULL)
    return FADJ_ERR_NOMEM;
  if (k->own != NULL
      && !(w->k != NULL ? scale_compact (k->own, w, d)
           : scale_entries (k->own, w, d)))
    {
      fadj_intdot_clear (k);
      return FADJ_ERR_LIMIT;
    }
  if (fadj_intdot_sums (k) != FADJ_OK)
    {
      fadj_intdot_clear (k);
      return FADJ_ERR_NOMEM;
    }
  k->b = b;
  mpz_init_set_ui (k->d, d);
  k->ok = 1;
  return FADJ_OK;
}

fadj_status
fadj_intdot_sums (fadj_intdot *k)
{
  size_t rows = k->rows, cols = k->cols, i, j;

  k->rsum = malloc ((rows ? rows : 1) * sizeof *k->rsum);
  k->csum = malloc ((cols ? cols : 1) * sizeof *k->csum);
  k->ksum = malloc ((rows ? rows : 1) * sizeof *k->ksum);
  k->kcsum = malloc ((cols ? cols : 1) * sizeof *k->kcsum);
  if (k->rsum == NULL || k->csum == NULL || k->ksum == NULL
      || k->kcsum == NULL)
    return FADJ_ERR_NOMEM;
  memset (k->csum, 0, cols * sizeof *k->csum);
  memset (k->kcsum, 0, cols * sizeof *k->kcsum);
  for (i = 0; i < rows; i++)
    {
      u128 s = 0, t = 0;
      for (j = 0; j < cols; j++)
        {
          int64_t v = k->k[i * cols + j];
          uint64_t a = v < 0 ? -(uint64_t) v : (uint64_t) v;
          s += a;
          t += (u128) (__int128) v;
          k->csum[j] += a;
          k->kcsum[j] += (u128) (__int128) v;
        }
      k->rsum[i] = s;
      k->ksum[i] = t;
    }
  return FADJ_OK;
}

/* ------------------------------------------------------------------ */
/* Fixed-point images of vectors of intervals.                         */

typedef struct
{
  size_t n, nl;
  long f;                 /* scale 2^-F */
  mp_limb_t r;            /* common radius, in units of 2^-F */
  mp_limb_t *off;         /* n x nl limbs, least significant first: the
                             midpoint M + 2^(64 nl - 2) > 0 */
  mpz_t soff;             /* 2^63 times the sum of the OFF */
} fixvec;

static void
fixvec_clear (fixvec *v)
{
  free (v->off);
  mpz_clear (v->soff);
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
  mpz_init (v->soff);
  v->n = n;
  v->nl = (size_t) prec / 64 + 2;
  v->off = calloc (n * v->nl + 1, sizeof *v->off);
  if (v->off == NULL)
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
      /* The offset image, for dot_rows: M + 2^(64 NL - 2), in (0,
         2^(64 NL - 1)) as |M| < 2^(64 NL - 2).  */
      mpz_set_ui (hi, 1);
      mpz_mul_2exp (hi, hi, 64 * v->nl - 2);
      mpz_add (hi, hi, lo);
      assert (mpz_sgn (hi) > 0 && mpz_size (hi) <= v->nl);
      mpz_export (v->off + j * v->nl, &used, -1, sizeof (mp_limb_t), 0, 0,
                  hi);
      mpz_add (v->soff, v->soff, hi);
    }
  mpz_mul_2exp (v->soff, v->soff, 63);
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

/* R = [ (A - R S) / (D 2^F), (A + R S) / (D 2^F) ], A in WS->a,
   rounded outwards into the precision of R, each endpoint set in place
   (MPFI's signed zeros: a left endpoint +0, a right one -0).  */
static void
acc_round (acc_ws *ws, mpfi_ptr r, u128 rs, mp_limb_t rad, const mpz_t d,
           long f)
{
  mpz_ptr a = ws->a, t = ws->t, w = ws->w;

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

/* dot_cols for NL = 4 (the working precisions 128 to 191 bits: 30
   digits), one pass over ROW: the five columns of the products, the low
   word of limb L's product and the high word of limb L - 1's, as five
   128-bit sums in registers (each of at most 2 COLS <= 2^18 words).  */
static void
dot_cols4 (mp_limb_t *t, const int64_t *row, const mp_limb_t *off,
           size_t cols)
{
  /* Column C as two words, Cl and Ch (the count of Cl's carries): GCC
     keeps them in registers, its 128-bit sums it would not.  */
  uint64_t c0l = 0, c0h = 0, c1l = 0, c1h = 0, c2l = 0, c2h = 0;
  uint64_t c3l = 0, c3h = 0, c4l = 0, c4h = 0;
  u128 p, s;
  size_t j;

#define DOT_ACC(cl, ch, v) ((ch) += __builtin_add_overflow (cl, v, &(cl)))
#define DOT_LIMB(l, cl, ch, dl, dh)             \
  do                                            \
    {                                           \
      p = (u128) a * x[l];                      \
      DOT_ACC (cl, ch, (uint64_t) p);           \
      DOT_ACC (dl, dh, (uint64_t) (p >> 64));   \
    }                                           \
  while (0)
  for (j = 0; j < cols; j++)
    {
      uint64_t a = (uint64_t) row[j] ^ ((uint64_t) 1 << 63);
      const mp_limb_t *x = off + 4 * j;

      DOT_LIMB (0, c0l, c0h, c1l, c1h);
      DOT_LIMB (1, c1l, c1h, c2l, c2h);
      DOT_LIMB (2, c2l, c2h, c3l, c3h);
      DOT_LIMB (3, c3l, c3h, c4l, c4h);
    }
#undef DOT_LIMB
#undef DOT_ACC
  /* The columns' sum, each C = Ch 2^64 + Cl.  */
  t[0] = c0l;
  s = (u128) c1l + c0h;
  t[1] = (mp_limb_t) s;
  s = (s >> 64) + c2l + c1h;
  t[2] = (mp_limb_t) s;
  s = (s >> 64) + c3l + c2h;
  t[3] = (mp_limb_t) s;
  s = (s >> 64) + c4l + c3h;
  t[4] = (mp_limb_t) s;
  t[5] = (mp_limb_t) (s >> 64) + c4h;
}

/* T (NL + 2 limbs) = sum_j (K_j + 2^63) OFF_j over the COLS entries of
   ROW, every factor nonnegative: the sum of products of a signed weight
   and a signed midpoint without a sign test per term (dot_row gives the
   correction back).  Limb by limb: for limb L of the OFF, the low and
   the high words of the COLS products go to two 128-bit sums (each of
   at most COLS <= 2^17 words, no overflow), added to T at limbs L and
   L + 1; four registers of accumulators, whatever NL is.  */
static void
dot_cols (mp_limb_t *t, const int64_t *row, const mp_limb_t *off,
          size_t cols, size_t nl)
{
  size_t j, l, k;

  if (nl == 4)
    {
      dot_cols4 (t, row, off, cols);
      return;
    }
  memset (t, 0, (nl + 2) * sizeof *t);
  for (l = 0; l < nl; l++)
    {
      u128 lo = 0, hi = 0, carry;

      for (j = 0; j < cols; j++)
        {
          u128 p = (u128) ((uint64_t) row[j] ^ ((uint64_t) 1 << 63))
            * off[j * nl + l];
          lo += (uint64_t) p;
          hi += p >> 64;
        }
      /* T += LO 2^(64 L) + HI 2^(64 (L + 1)); T < 2^(64 NL + 81).  */
      carry = (u128) t[l] + (uint64_t) lo;
      t[l] = (mp_limb_t) carry;
      carry = (carry >> 64) + t[l + 1] + (uint64_t) (lo >> 64)
        + (uint64_t) hi;
      t[l + 1] = (mp_limb_t) carry;
      carry = (carry >> 64) + (uint64_t) (hi >> 64);
      for (k = l + 2; k < nl + 2 && carry != 0; k++)
        {
          carry += t[k];
          t[k] = (mp_limb_t) carry;
          carry >>= 64;
        }
    }
}

/* WS->a = T - 2^(64 NL - 2) KSUM - V's SOFF: the sum of products of
   signed factors from that of the offset factors T (NL + 2 limbs),
   KSUM the sum of the signed weights (two's complement).  */
static void
dot_correct (acc_ws *ws, const mp_limb_t *t, u128 ksum, const fixvec *v)
{
  mpz_t tz;
  mp_size_t sz = (mp_size_t) v->nl + 2;
  u128 mag = (__int128) ksum < 0 ? -ksum : ksum;

  while (sz > 0 && t[sz - 1] == 0)
    sz--;
  mpz_sub (ws->a, mpz_roinit_n (tz, t, sz), v->soff);
  mpz_import (ws->t, 1, -1, sizeof (u128), 0, 0, &mag);
  mpz_mul_2exp (ws->t, ws->t, 64 * v->nl - 2);
  if ((__int128) ksum < 0)
    mpz_add (ws->a, ws->a, ws->t);
  else
    mpz_sub (ws->a, ws->a, ws->t);
}

/* WS->a = sum_j K_j M_j for the row ROW of K (its sum KSUM) and the
   sample V, by dot_cols: with K' = K + 2^63 and M' = M + 2^(64 NL - 2),
   sum K M = sum K' M' - 2^(64 NL - 2) sum K - 2^63 sum M'.  T: NL + 2
   limbs of workspace.  */
static void
dot_row (acc_ws *ws, mp_limb_t *t, const int64_t *row, u128 ksum,
         const fixvec *v, size_t cols)
{
  dot_cols (t, row, v->off, cols, v->nl);
  dot_correct (ws, t, ksum, v);
}

/* C[j] (NL + 1 columns of 128 bits each) += (K_j + 2^63) X for the COLS
   entries K_j of a row of K and one offset midpoint X (NL limbs): W^T Y
   row by row, K read in storage order, X in registers.  Each column
   gets two words per row: no overflow for fewer than 2^63 rows.  */
static inline __attribute__ ((always_inline)) void
tdot_row_nl (u128 *c, const int64_t *row, const mp_limb_t *x, size_t cols,
             size_t nl)
{
  size_t j, l;

  for (j = 0; j < cols; j++)
    {
      uint64_t a = (uint64_t) row[j] ^ ((uint64_t) 1 << 63);
      u128 *cj = c + j * (nl + 1);

      _Pragma ("GCC unroll 8")
      for (l = 0; l < nl; l++)
        {
          u128 p = (u128) a * x[l];
          cj[l] += (uint64_t) p;
          cj[l + 1] += p >> 64;
        }
    }
}

/* tdot_row_nl with the common size as a constant.  */
static void
tdot_row (u128 *c, const int64_t *row, const mp_limb_t *x, size_t cols,
          size_t nl)
{
  if (nl == 4)
    tdot_row_nl (c, row, x, cols, 4);
  else
    tdot_row_nl (c, row, x, cols, nl);
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
  size_t rows = k->rows, cols = k->cols, i, s, nl;
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
      acc = malloc ((nl + 2) * sizeof *acc);
      if (acc == NULL)
        {
          fixvec_clear (&v);
          st = FADJ_ERR_NOMEM;
          break;
        }
      for (i = 0; i < rows; i++)
        {
          mpfi_ptr r = FADJ_NUM_I (FADJ_MAT (y, i, s));

          dot_row (&ws, acc, k->k + i * cols, k->ksum[i], &v, cols);
          acc_round (&ws, r, k->rsum[i], v.r, k->d, v.f);
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
  size_t rows = k->rows, cols = k->cols, i, j, l, s, nl;
  mpfr_prec_t prec = mpfi_get_prec (FADJ_NUM_I (&x->e[0]));
  mp_limb_t *t;
  u128 *c;
  fixvec v;
  acc_ws ws;
  fadj_status st = FADJ_OK;

  acc_ws_init (&ws);
  for (s = lo; s < hi_s; s++)
    {
      if ((st = fixvec_set (&v, y, s, prec)) != FADJ_OK)
        break;
      nl = v.nl;
      c = calloc ((nl + 1) * cols + 1, sizeof *c);
      t = malloc ((nl + 2) * sizeof *t);
      if (c == NULL || t == NULL)
        {
          free (c);
          free (t);
          fixvec_clear (&v);
          st = FADJ_ERR_NOMEM;
          break;
        }
      /* sum_i (K_ij + 2^63) M'_i for every column j at once, then
         dot_correct: as dot_row, by columns of K.  */
      for (i = 0; i < rows; i++)
        tdot_row (c, k->k + i * cols, v.off + i * nl, cols, nl);
      for (j = 0; j < cols; j++)
        {
          const u128 *cj = c + j * (nl + 1);
          u128 carry = 0;

          for (l = 0; l <= nl; l++)
            {
              /* A column is below ROWS 2^65, far from 2^128.  */
              carry += cj[l];
              t[l] = (mp_limb_t) carry;
              carry >>= 64;
            }
          t[nl + 1] = (mp_limb_t) carry;
          dot_correct (&ws, t, k->kcsum[j], &v);
          acc_round (&ws, FADJ_NUM_I (FADJ_MAT (x, j, s)), k->csum[j], v.r,
                     k->d, v.f);
        }
      free (c);
      free (t);
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
