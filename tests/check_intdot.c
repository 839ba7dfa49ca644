/* check_intdot.c -- the integer kernels of the interval domain: the
   batch kernel of the gradient (intouter.c), sum_s A[i,s] B[j,s] on
   exact integers, against exact rational sums computed with GMP's mpq
   on random rational data (point intervals, exact values, zeros,
   negative values, intervals about zero, wide exponent ranges), its
   refusals (non-finite values, rows spread too wide), its use by the
   gradient rows of a batch trace, and its absence where a trace made
   exact per value keeps an entry exact.  */

#include "test-common.h"
#include "fadj-impl.h"

#include <stdlib.h>
#include <string.h>

#define PREC 163          /* fadj-audit's working precision at 30 digits */

/* One entry of a random operand: its number, and a few rational points
   of it (for an interval, its endpoints and the rational it encloses;
   for an exact value, that value three times).  */
typedef struct
{
  fadj_num_t x;
  mpq_t pt[3];
} entry;

/* Kinds of entries.  */
enum { K_EXACT, K_POINT, K_INTERVAL, K_ZERO, K_EXACT_ZERO, K_ABOUT_ZERO,
       K_KINDS };

/* E = a random entry of KIND near 2^SCALE.  */
static void
entry_set (entry *e, int kind, long scale, gmp_randstate_t rs)
{
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = PREC };
  mpq_t q;
  mpfr_t t;
  int k;

  fadj_num_init (e->x, &ctx);
  mpq_init (q);
  /* q = +-(k / d) 2^(SCALE - 40), k < 2^40, d < 1000 (d = 1 for a
     point interval, which is then exact in PREC bits).  */
  mpz_urandomb (mpq_numref (q), rs, 40);
  mpz_add_ui (mpq_numref (q), mpq_numref (q), 1);
  if (kind != K_POINT)
    mpz_set_ui (mpq_denref (q), gmp_urandomm_ui (rs, 999) + 1);
  if (gmp_urandomm_ui (rs, 2))
    mpq_neg (q, q);
  mpq_canonicalize (q);
  if (scale >= 40)
    mpq_mul_2exp (q, q, (unsigned long) (scale - 40));
  else
    mpq_div_2exp (q, q, (unsigned long) (40 - scale));
  switch (kind)
    {
    case K_EXACT:
      fadj_num_set_exact (e->x, q);
      break;
    case K_POINT:
      mpfi_set_q (FADJ_NUM_I (e->x), q);
      ck_assert (mpfr_equal_p (FADJ_NUM_LEFT (e->x), FADJ_NUM_RIGHT (e->x)));
      break;
    case K_INTERVAL:         /* q widened by 2^-w |q|, 0 <= w < PREC */
      mpfi_set_q (FADJ_NUM_I (e->x), q);
      mpfr_init2 (t, PREC);
      mpfr_set_q (t, q, MPFR_RNDN);
      mpfr_abs (t, t, MPFR_RNDN);
      mpfr_mul_2si (t, t, -(long) gmp_urandomm_ui (rs, PREC), MPFR_RNDN);
      mpfr_sub (FADJ_NUM_LEFT (e->x), FADJ_NUM_LEFT (e->x), t, MPFR_RNDD);
      mpfr_add (FADJ_NUM_RIGHT (e->x), FADJ_NUM_RIGHT (e->x), t, MPFR_RNDU);
      mpfr_clear (t);
      break;
    case K_ZERO:
      mpq_set_ui (q, 0, 1);
      mpfi_set_ui (FADJ_NUM_I (e->x), 0);
      break;
    case K_EXACT_ZERO:
      mpq_set_ui (q, 0, 1);
      fadj_num_set_exact_si (e->x, 0);
      break;
    default:                 /* [-|q|, |q| / 2] */
      mpq_abs (q, q);
      mpfi_set_q (FADJ_NUM_I (e->x), q);
      mpfi_neg (FADJ_NUM_I (e->x), FADJ_NUM_I (e->x));
      mpq_div_2exp (q, q, 1);
      mpfi_put_q (FADJ_NUM_I (e->x), q);
      mpq_set_ui (q, 0, 1);
      break;
    }
  for (k = 0; k < 3; k++)
    mpq_init (e->pt[k]);
  if (FADJ_NUM_EXACT_P (e->x))
    for (k = 0; k < 3; k++)
      mpq_set (e->pt[k], FADJ_NUM_Q (e->x));
  else
    {
      mpfr_get_q (e->pt[0], FADJ_NUM_LEFT (e->x));
      mpfr_get_q (e->pt[1], FADJ_NUM_RIGHT (e->x));
      mpq_set (e->pt[2], q);
    }
  mpq_clear (q);
}

static void
entry_clear (entry *e)
{
  int k;
  fadj_num_clear (e->x);
  for (k = 0; k < 3; k++)
    mpq_clear (e->pt[k]);
}

/* An operand of ROWS x M random entries, and the matrix of its numbers
   (views: the matrix's entries are copies of the entries' numbers, made
   with fadj_num_set, which keeps the domain).  SPREAD: the exponents of
   a row range over +-SPREAD bits about the row's own scale.  */
typedef struct
{
  size_t rows, m;
  entry *e;
  fadj_mat mat;
} operand;

static void
operand_set (operand *o, size_t rows, size_t m, long spread,
             gmp_randstate_t rs)
{
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = PREC };
  size_t i, s;

  o->rows = rows;
  o->m = m;
  o->e = malloc (rows * m * sizeof *o->e);
  ck_assert (o->e != NULL);
  ck_assert_int_eq (fadj_mat_init (&o->mat, rows, m, &ctx), FADJ_OK);
  for (i = 0; i < rows; i++)
    {
      long scale = (long) gmp_urandomm_ui (rs, 200) - 100;
      for (s = 0; s < m; s++)
        {
          entry *e = o->e + i * m + s;
          long off = spread > 0 ? (long) gmp_urandomm_ui (rs,
                                                          2 * spread + 1)
            - spread : 0;
          entry_set (e, (int) gmp_urandomm_ui (rs, K_KINDS), scale + off,
                     rs);
          fadj_num_set (FADJ_MAT (&o->mat, i, s), e->x);
        }
    }
}

static void
operand_clear (operand *o)
{
  size_t k;
  for (k = 0; k < o->rows * o->m; k++)
    entry_clear (o->e + k);
  free (o->e);
  fadj_mat_clear (&o->mat);
}

/* R contains sum_s A[i,s] B[j,s] at points of the entries: each of the
   three choices of point, and a random mix.  */
static void
assert_contains_points (mpfi_srcptr r, const operand *a, const operand *b,
                        size_t i, size_t j, gmp_randstate_t rs)
{
  mpq_t sum, p;
  int k;
  size_t s;

  mpq_inits (sum, p, NULL);
  for (k = 0; k < 4; k++)
    {
      mpq_set_ui (sum, 0, 1);
      for (s = 0; s < a->m; s++)
        {
          int ka = k < 3 ? k : (int) gmp_urandomm_ui (rs, 3);
          int kb = k < 3 ? 2 - k : (int) gmp_urandomm_ui (rs, 3);
          mpq_mul (p, a->e[i * a->m + s].pt[ka], b->e[j * b->m + s].pt[kb]);
          mpq_add (sum, sum, p);
        }
      ck_assert_msg (mpfr_cmp_q (&r->left, sum) <= 0
                     && mpfr_cmp_q (&r->right, sum) >= 0,
                     "entry (%zu, %zu): the exact sum at points %d is "
                     "outside the kernel's enclosure", i, j, k);
    }
  mpq_clears (sum, p, NULL);
}

/* R is not much wider than the interval sum of the products at PREC
   bits: width(R) <= 2 width(ref) + 2^(4 - PREC) sum_s |A| |B|.  */
static void
assert_tight (mpfi_srcptr r, const operand *a, const operand *b, size_t i,
              size_t j)
{
  mpfi_t ref, x, y;
  mpfr_t w, bound, t;
  size_t s;

  mpfi_init2 (ref, PREC);
  mpfi_init2 (x, PREC);
  mpfi_init2 (y, PREC);
  mpfr_inits2 (64, w, bound, t, (mpfr_ptr) 0);
  mpfi_set_ui (ref, 0);
  mpfr_set_ui (bound, 0, MPFR_RNDU);
  for (s = 0; s < a->m; s++)
    {
      fadj_num_srcptr ea = a->e[i * a->m + s].x, eb = b->e[j * b->m + s].x;
      if (FADJ_NUM_EXACT_P (ea))
        mpfi_set_q (x, FADJ_NUM_Q (ea));
      else
        mpfi_set (x, FADJ_NUM_I (ea));
      if (FADJ_NUM_EXACT_P (eb))
        mpfi_set_q (y, FADJ_NUM_Q (eb));
      else
        mpfi_set (y, FADJ_NUM_I (eb));
      mpfi_mag (t, x);
      mpfi_mag (w, y);
      mpfr_mul (t, t, w, MPFR_RNDU);
      mpfr_add (bound, bound, t, MPFR_RNDU);
      mpfi_mul (x, x, y);
      mpfi_add (ref, ref, x);
    }
  mpfr_mul_2si (bound, bound, 4 - PREC, MPFR_RNDU);
  mpfi_diam_abs (w, ref);
  mpfr_mul_2ui (w, w, 1, MPFR_RNDU);
  mpfr_add (bound, bound, w, MPFR_RNDU);
  mpfi_diam_abs (w, r);
  ck_assert_msg (mpfr_cmp (w, bound) <= 0,
                 "entry (%zu, %zu): the kernel's enclosure is %g wide, "
                 "the interval sum's allows %g", i, j, mpfr_get_d (w,
                                                                MPFR_RNDU),
                 mpfr_get_d (bound, MPFR_RNDU));
  mpfi_clear (ref);
  mpfi_clear (x);
  mpfi_clear (y);
  mpfr_clears (w, bound, t, (mpfr_ptr) 0);
}

/* Random operands of 1, 2, 7 and 64 samples, rows spread over up to
   60 bits: every entry computed by the kernel, containing the exact
   sums, and tight.  */
START_TEST (test_outer_random)
{
  static const size_t ms[] = { 1, 2, 7, 64 };
  gmp_randstate_t rs;
  operand a, b;
  fadj_intouter *o;
  mpfi_t r;
  size_t i, j, m = ms[_i % 4];

  gmp_randinit_default (rs);
  gmp_randseed_ui (rs, 15 + (unsigned long) _i);
  operand_set (&a, 5, m, _i < 4 ? 0 : 60, rs);
  operand_set (&b, 6, m, _i < 4 ? 0 : 60, rs);
  mpfi_init2 (r, PREC);
  ck_assert_int_eq (fadj_intouter_new (&o, &a.mat, &b.mat, PREC), FADJ_OK);
  for (i = 0; i < a.rows; i++)
    for (j = 0; j < b.rows; j++)
      {
        ck_assert (fadj_intouter_entry (r, o, i, j));
        assert_contains_points (r, &a, &b, i, j, rs);
        assert_tight (r, &a, &b, i, j);
      }
  ck_assert_uint_eq (fadj_intouter_used (o), a.rows * b.rows);
  fadj_intouter_free (o);
  mpfi_clear (r);
  operand_clear (&a);
  operand_clear (&b);
  gmp_randclear (rs);
}
END_TEST

/* A sum of point intervals that cancels exactly, over 71 bits of
   exponents: the kernel's sum is exact, so its enclosure is the point
   0.  */
START_TEST (test_outer_cancel)
{
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = PREC };
  fadj_mat a, b;
  fadj_intouter *o;
  mpfi_t r;
  size_t s;

  ck_assert_int_eq (fadj_mat_init (&a, 1, 4, &ctx), FADJ_OK);
  ck_assert_int_eq (fadj_mat_init (&b, 1, 4, &ctx), FADJ_OK);
  /* a = (3, 2^-70, -5/8, 1), b = (1, 1, 1, -(19/8 + 2^-70)):
     sum a b = 3 + 2^-70 - 5/8 - 19/8 - 2^-70 = 0.  */
  mpfi_set_ui (FADJ_NUM_I (FADJ_MAT (&a, 0, 0)), 3);
  mpfi_set_ui (FADJ_NUM_I (FADJ_MAT (&a, 0, 1)), 1);
  mpfi_mul_2si (FADJ_NUM_I (FADJ_MAT (&a, 0, 1)),
                FADJ_NUM_I (FADJ_MAT (&a, 0, 1)), -70);
  mpfi_set_d (FADJ_NUM_I (FADJ_MAT (&a, 0, 2)), -0.625);
  mpfi_set_ui (FADJ_NUM_I (FADJ_MAT (&a, 0, 3)), 1);
  for (s = 0; s < 3; s++)
    mpfi_set_ui (FADJ_NUM_I (FADJ_MAT (&b, 0, s)), 1);
  /* b_3 = -(19/8 + 2^-70): exact in 163 bits.  */
  mpfi_set_ui (FADJ_NUM_I (FADJ_MAT (&b, 0, 3)), 1);
  mpfi_mul_2si (FADJ_NUM_I (FADJ_MAT (&b, 0, 3)),
                FADJ_NUM_I (FADJ_MAT (&b, 0, 3)), -70);
  mpfi_add_d (FADJ_NUM_I (FADJ_MAT (&b, 0, 3)),
              FADJ_NUM_I (FADJ_MAT (&b, 0, 3)), 2.375);
  mpfi_neg (FADJ_NUM_I (FADJ_MAT (&b, 0, 3)),
            FADJ_NUM_I (FADJ_MAT (&b, 0, 3)));
  mpfi_init2 (r, PREC);
  ck_assert_int_eq (fadj_intouter_new (&o, &a, &b, PREC), FADJ_OK);
  ck_assert (fadj_intouter_entry (r, o, 0, 0));
  ck_assert (mpfi_is_zero (r));
  fadj_intouter_free (o);
  mpfi_clear (r);
  fadj_mat_clear (&a);
  fadj_mat_clear (&b);
}
END_TEST

/* The kernel declines the rows it cannot serve, and only those: a row
   with an infinite endpoint, a row whose exponents spread over 300
   bits, a row with a value of 2^(2^25); the other rows' entries are
   computed.  */
START_TEST (test_outer_declines)
{
  gmp_randstate_t rs;
  operand a, b;
  fadj_intouter *o;
  mpfi_t r;
  size_t i, j;

  gmp_randinit_default (rs);
  gmp_randseed_ui (rs, 1512);
  operand_set (&a, 3, 4, 0, rs);
  operand_set (&b, 3, 4, 0, rs);
  /* Row 0 of A: an infinite endpoint; row 2: 2^(2^25).  Row 1 of B:
     2^-150 and 2^150.  */
  mpfi_interv_si (FADJ_NUM_I (FADJ_MAT (&a.mat, 0, 2)), 0, 1);
  mpfr_set_inf (FADJ_NUM_RIGHT (FADJ_MAT (&a.mat, 0, 2)), 1);
  mpfi_set_ui (FADJ_NUM_I (FADJ_MAT (&a.mat, 2, 1)), 1);
  mpfi_mul_2si (FADJ_NUM_I (FADJ_MAT (&a.mat, 2, 1)),
                FADJ_NUM_I (FADJ_MAT (&a.mat, 2, 1)), 1L << 25);
  mpfi_set_ui (FADJ_NUM_I (FADJ_MAT (&b.mat, 1, 0)), 1);
  mpfi_mul_2si (FADJ_NUM_I (FADJ_MAT (&b.mat, 1, 0)),
                FADJ_NUM_I (FADJ_MAT (&b.mat, 1, 0)), -150);
  mpfi_set_ui (FADJ_NUM_I (FADJ_MAT (&b.mat, 1, 1)), 1);
  mpfi_mul_2si (FADJ_NUM_I (FADJ_MAT (&b.mat, 1, 1)),
                FADJ_NUM_I (FADJ_MAT (&b.mat, 1, 1)), 150);
  mpfi_init2 (r, PREC);
  ck_assert_int_eq (fadj_intouter_new (&o, &a.mat, &b.mat, PREC), FADJ_OK);
  for (i = 0; i < 3; i++)
    for (j = 0; j < 3; j++)
      ck_assert_int_eq (fadj_intouter_entry (r, o, i, j), i == 1 && j != 1);
  ck_assert_uint_eq (fadj_intouter_used (o), 2);
  fadj_intouter_free (o);
  mpfi_clear (r);
  operand_clear (&a);
  operand_clear (&b);
  gmp_randclear (rs);
}
END_TEST

/* XOR as a batch of 4 samples (examples/xor-batch.net): the weight
   gradients, computed independently (mpmath at 50 digits, the two-step
   rule summed over the samples by hand):
     dJ/dW^2 = (0.138722230009, 0.0380769364126),
     dJ/dW^1 = [0.0224559038211 0.0111620861525;
                -0.0224559038211 -0.0111620861525],
   rounded to 6 digits by the gradient rows of a lean trace, each entry
   by the batch kernel (its count is the proof that it ran), and the
   same in a stored gradient ('batch mean': a quarter of those).  */
static const char xor_batch[] =
  "sample [0, 0] -> [0]\n sample [0, 1] -> [1]\n"
  "sample [1, 0] -> [1]\n sample [1, 1] -> [0]\n%s"
  "layer sigmoid\n weights [1 -1; -1 1]\n bias [1, -1]\n"
  "layer sigmoid\n weights [1 -1]\n bias [1]\n"
  "loss half_squared\n";

static const struct
{
  size_t l, i, j;
  const char *sum, *mean;     /* digits, first digit 10^-1 or 10^-2 */
  long exp10;
  int sign;
} xor_grad[] = {
  { 2, 0, 0, "138722", "346806", -1, 1 },
  { 2, 0, 1, "380769", "951923", -2, 1 },
  { 1, 0, 0, "224559", "561398", -2, 1 },
  { 1, 0, 1, "111621", "279052", -2, 1 },
  { 1, 1, 0, "224559", "561398", -2, -1 },
  { 1, 1, 1, "111621", "279052", -2, -1 },
};

START_TEST (test_outer_in_trace)
{
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 128 };
  char text[512];
  fadj_net *net;
  fadj_trace *t, *ts;
  fadj_num_t scratch;
  size_t k, l, rounded;
  int mean;

  for (mean = 0; mean <= 1; mean++)
    {
      snprintf (text, sizeof text, xor_batch, mean ? "batch mean\n" : "");
      net = test_parse (text);
      ck_assert_int_eq (fadj_trace_compute_flags (&t, net, &ctx, 0),
                        FADJ_OK);
      ck_assert_int_eq (fadj_trace_compute_flags (&ts, net, &ctx,
                                                  FADJ_TRACE_GRADIENTS),
                        FADJ_OK);
      ck_assert (t->grad == NULL && ts->grad != NULL && t->m == 4);
      fadj_num_init (scratch, &t->ctx);
      for (l = 1; l <= 2; l++)
        {
          fadj_gradient_rows *r;
          fadj_decimal d[2], e;
          size_t col;

          ck_assert_int_eq (fadj_trace_gradient_rows_new (&r, t, l, 6),
                            FADJ_OK);
          rounded = 0;
          for (k = 0; k < TEST_NROWS (xor_grad); k++)
            {
              const char *want = mean ? xor_grad[k].mean : xor_grad[k].sum;
              long exp10 = xor_grad[k].exp10 - mean;     /* / 4 */
              if (xor_grad[k].l != l)
                continue;
              ck_assert_int_eq (fadj_trace_gradient_row_round
                                (d, &col, scratch, r, xor_grad[k].i, 0, 2),
                                FADJ_OK);
              rounded += 2;
              ck_assert_str_eq (d[xor_grad[k].j].digits, want);
              ck_assert_int_eq (d[xor_grad[k].j].exp10, exp10);
              ck_assert_int_eq (d[xor_grad[k].j].sign, xor_grad[k].sign);
              /* The stored gradient, by the kernel in
                 fadj_trace_gradient.  */
              ck_assert_int_eq (fadj_decimal_round
                                (&e, FADJ_MAT (ts->grad + l, xor_grad[k].i,
                                               xor_grad[k].j), 6), FADJ_OK);
              ck_assert (test_decimal_equal (&e, d + xor_grad[k].j));
            }
          ck_assert_uint_eq (fadj_gradient_rows_kernel_entries (r),
                             rounded);
          fadj_gradient_rows_free (r);
        }
      fadj_num_clear (scratch);
      fadj_trace_free (t);
      fadj_trace_free (ts);
      fadj_net_free (net);
    }
}
END_TEST

/* In a trace made exact per value (fadj_trace_exact_values) an entry
   whose terms are all exact stays exact: the gradient rows leave it to
   the exact path, not to the kernel.  The relu batch of check_trace's
   test_batch, derived in intervals: dJ/dW = 2 (1) + 5 (3) = 17, exactly
   (batch sum).  */
START_TEST (test_outer_exact_per_value)
{
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 128 };
  fadj_net *net = test_parse ("sample [1] -> [0] sample [3] -> [1] "
                              "layer relu weights [2] loss half_squared");
  fadj_gradient_rows *r;
  fadj_trace *t;
  fadj_num_t scratch;
  fadj_decimal d;
  size_t col;

  ck_assert_int_eq (fadj_trace_compute_flags (&t, net, &ctx, 0), FADJ_OK);
  ck_assert_int_eq (fadj_trace_exact_values (t), FADJ_OK);
  fadj_num_init (scratch, &t->ctx);
  ck_assert_int_eq (fadj_trace_gradient_rows_new (&r, t, 1, 6), FADJ_OK);
  ck_assert_int_eq (fadj_trace_gradient_row_round (&d, &col, scratch, r, 0,
                                                   0, 1), FADJ_OK);
  ck_assert_str_eq (d.digits, "170000");
  ck_assert_int_eq (d.exp10, 1);
  ck_assert (d.exact);
  ck_assert_uint_eq (fadj_gradient_rows_kernel_entries (r), 0);
  fadj_gradient_rows_free (r);
  fadj_num_clear (scratch);
  fadj_trace_free (t);
  fadj_net_free (net);
}
END_TEST

/* T = the transpose of O, its entries copies of O's.  */
static void
operand_transpose (operand *t, const operand *o)
{
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = PREC };
  size_t i, s;
  int k;

  t->rows = o->m;
  t->m = o->rows;
  t->e = malloc (o->rows * o->m * sizeof *t->e);
  ck_assert (t->e != NULL);
  ck_assert_int_eq (fadj_mat_init (&t->mat, t->rows, t->m, &ctx), FADJ_OK);
  for (i = 0; i < o->rows; i++)
    for (s = 0; s < o->m; s++)
      {
        entry *d = t->e + s * t->m + i;
        const entry *e = o->e + i * o->m + s;

        fadj_num_init (d->x, &ctx);
        fadj_num_set (d->x, e->x);
        for (k = 0; k < 3; k++)
          {
            mpq_init (d->pt[k]);
            mpq_set (d->pt[k], e->pt[k]);
          }
        fadj_num_set (FADJ_MAT (&t->mat, s, i), e->x);
      }
}

/* W: ROWS x COLS exact weights, integers up to 2^62 - 1 in magnitude
   (BIG: the extremes, 0, +-1, +-2^61 among random ones; the integer
   form's K itself) or decimals k / 1000.  */
static void
weights_set (operand *w, size_t rows, size_t cols, int big,
             gmp_randstate_t rs)
{
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = PREC };
  mpq_t q;
  size_t k;
  int p;

  w->rows = rows;
  w->m = cols;
  w->e = malloc (rows * cols * sizeof *w->e);
  ck_assert (w->e != NULL);
  ck_assert_int_eq (fadj_mat_init (&w->mat, rows, cols, &ctx), FADJ_OK);
  mpq_init (q);
  for (k = 0; k < rows * cols; k++)
    {
      entry *e = w->e + k;

      if (!big)
        {
          mpq_set_si (q, (long) gmp_urandomm_ui (rs, 2001) - 1000, 1000);
          mpq_canonicalize (q);
        }
      else
        {
          mpz_set_ui (mpq_numref (q), 1);
          mpz_mul_2exp (mpq_numref (q), mpq_numref (q), 62);
          mpz_set_ui (mpq_denref (q), 1);
          switch (gmp_urandomm_ui (rs, 6))
            {
            case 0:                       /* 2^62 - 1 */
              mpz_sub_ui (mpq_numref (q), mpq_numref (q), 1);
              break;
            case 1:
              mpz_set_ui (mpq_numref (q), gmp_urandomm_ui (rs, 2));
              break;
            case 2:                       /* 2^61 */
              mpz_tdiv_q_2exp (mpq_numref (q), mpq_numref (q), 1);
              break;
            default:
              mpz_urandomb (mpq_numref (q), rs, 62);
              break;
            }
          if (gmp_urandomm_ui (rs, 2))
            mpq_neg (q, q);
        }
      fadj_num_init (e->x, &ctx);
      fadj_num_set_exact (e->x, q);
      for (p = 0; p < 3; p++)
        {
          mpq_init (e->pt[p]);
          mpq_set (e->pt[p], q);
        }
      fadj_num_set (FADJ_MAT (&w->mat, k / cols, k % cols), e->x);
    }
  mpq_clear (q);
}

/* R = sum_j W[i,j] X[s,j] (W, X operands) is as tight as the integer
   kernel's common radius allows (intdot.c: every entry of X widened to
   the largest radius of the vector, plus a grid unit, far below
   2^-PREC |X|): width(R) <= 2 sum_j |W| (max_j width(X_j) + 2^-PREC
   max_j |X_j|) + 2^(4 - PREC) sum_j |W| |X|.  */
static void
assert_tight_common (mpfi_srcptr r, const operand *w, const operand *x,
                     size_t i, size_t s)
{
  mpfi_t v;
  mpfr_t sw, dmax, xmax, swx, t, u;
  size_t j;

  mpfi_init2 (v, PREC);
  mpfr_inits2 (64, sw, dmax, xmax, swx, t, u, (mpfr_ptr) 0);
  mpfr_set_ui (sw, 0, MPFR_RNDU);
  mpfr_set_ui (dmax, 0, MPFR_RNDU);
  mpfr_set_ui (xmax, 0, MPFR_RNDU);
  mpfr_set_ui (swx, 0, MPFR_RNDU);
  for (j = 0; j < w->m; j++)
    {
      fadj_num_srcptr ew = w->e[i * w->m + j].x, ex = x->e[s * x->m + j].x;

      mpfr_set_q (t, FADJ_NUM_Q (ew), MPFR_RNDU);
      mpfr_abs (t, t, MPFR_RNDU);
      mpfr_add (sw, sw, t, MPFR_RNDU);
      if (FADJ_NUM_EXACT_P (ex))
        mpfi_set_q (v, FADJ_NUM_Q (ex));
      else
        mpfi_set (v, FADJ_NUM_I (ex));
      mpfi_diam_abs (u, v);
      mpfr_max (dmax, dmax, u, MPFR_RNDU);
      mpfi_mag (u, v);
      mpfr_max (xmax, xmax, u, MPFR_RNDU);
      mpfr_mul (t, t, u, MPFR_RNDU);
      mpfr_add (swx, swx, t, MPFR_RNDU);
    }
  mpfr_mul_2si (xmax, xmax, -PREC, MPFR_RNDU);
  mpfr_add (dmax, dmax, xmax, MPFR_RNDU);
  mpfr_mul (t, sw, dmax, MPFR_RNDU);
  mpfr_mul_2ui (t, t, 1, MPFR_RNDU);
  mpfr_mul_2si (swx, swx, 4 - PREC, MPFR_RNDU);
  mpfr_add (t, t, swx, MPFR_RNDU);
  mpfi_diam_abs (u, r);
  ck_assert_msg (mpfr_cmp (u, t) <= 0,
                 "entry (%zu, %zu): the kernel's enclosure is %g wide, "
                 "its common radius allows %g", i, s,
                 mpfr_get_d (u, MPFR_RNDU), mpfr_get_d (t, MPFR_RNDU));
  mpfi_clear (v);
  mpfr_clears (sw, dmax, xmax, swx, t, u, (mpfr_ptr) 0);
}

/* The integer kernels of the layers' products, W X and W^T Y
   (fadj_intdot_mul and _tmul: offset factors summed by columns, the
   30-digit size NL = 4 inline, the others by the general loop), on
   random weights (decimals, and integers up to 2^62 in magnitude, whose
   offset images are near 2^64) and random intervals (exact values,
   points, zeros, intervals about zero, rows spread over 30 bits): at
   each output precision (NL = 3, 4 and 5), every result contains the
   exact sums at points of the operands, and is tight.  */
START_TEST (test_intdot_products)
{
  static const mpfr_prec_t precs[] = { 100, PREC, 250 };
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = PREC };
  const size_t rows = 6, cols = 11, m = 3;
  gmp_randstate_t rs;
  size_t pi, i, j, s;
  int big;

  gmp_randinit_default (rs);
  gmp_randseed_ui (rs, 1500 + (unsigned long) _i);
  for (big = 0; big < 2; big++)
    for (pi = 0; pi < sizeof precs / sizeof precs[0]; pi++)
      {
        fadj_ctx out = { .domain = FADJ_INTERVAL, .prec = precs[pi] };
        operand w, wt, xt, yt;
        fadj_mat x, y, y2, x2;
        fadj_intdot kd;

        weights_set (&w, rows, cols, big, rs);
        operand_transpose (&wt, &w);
        operand_set (&xt, m, cols, 30, rs);       /* X^T: a sample a row */
        operand_set (&yt, m, rows, 30, rs);
        ck_assert_int_eq (fadj_mat_init (&x, cols, m, &ctx), FADJ_OK);
        ck_assert_int_eq (fadj_mat_init (&y2, rows, m, &ctx), FADJ_OK);
        for (s = 0; s < m; s++)
          {
            for (j = 0; j < cols; j++)
              fadj_num_set (FADJ_MAT (&x, j, s), FADJ_MAT (&xt.mat, s, j));
            for (i = 0; i < rows; i++)
              fadj_num_set (FADJ_MAT (&y2, i, s), FADJ_MAT (&yt.mat, s, i));
          }
        ck_assert_int_eq (fadj_mat_init (&y, rows, m, &out), FADJ_OK);
        ck_assert_int_eq (fadj_mat_init (&x2, cols, m, &out), FADJ_OK);
        ck_assert_int_eq (fadj_intdot_init (&kd, &w.mat, NULL), FADJ_OK);
        ck_assert_int_eq (fadj_intdot_mul (&y, &kd, &x, 0), FADJ_OK);
        ck_assert_int_eq (fadj_intdot_tmul (&x2, &kd, &y2), FADJ_OK);
        for (s = 0; s < m; s++)
          {
            for (i = 0; i < rows; i++)
              {
                mpfi_srcptr r = FADJ_NUM_I (FADJ_MAT (&y, i, s));
                assert_contains_points (r, &w, &xt, i, s, rs);
                if (precs[pi] >= PREC)
                  assert_tight_common (r, &w, &xt, i, s);
              }
            for (j = 0; j < cols; j++)
              {
                mpfi_srcptr r = FADJ_NUM_I (FADJ_MAT (&x2, j, s));
                assert_contains_points (r, &wt, &yt, j, s, rs);
                if (precs[pi] >= PREC)
                  assert_tight_common (r, &wt, &yt, j, s);
              }
          }
        fadj_intdot_clear (&kd);
        fadj_mat_clear (&x);
        fadj_mat_clear (&y);
        fadj_mat_clear (&x2);
        fadj_mat_clear (&y2);
        operand_clear (&w);
        operand_clear (&wt);
        operand_clear (&xt);
        operand_clear (&yt);
      }
  gmp_randclear (rs);
}
END_TEST

/* fadj_set_limbs_2exp against mpfr_set_z_2exp itself: precisions from
   one limb to four, magnitudes of 1 to 10 limbs with long runs of zeros
   and ones (mpz_rrandomb: a rounding's carry through every limb, exact
   values, a single bit below the precision), 2^k - 1 and 2^k (+ 1),
   both signs, both directions, exponents about the exponent range's
   ends (where it must leave the value to MPFR: overflow, underflow)
   and the rounding's carry to emax.  */
START_TEST (test_set_limbs_2exp)
{
  static const mpfr_prec_t precs[] = { 2, 53, 63, 64, 65, 100, 128, 163,
                                       191, 192, 193, 256 };
  /* Exponents E of the sum (less BITS / 2), or (the last three) E such
     that a value of exactly BITS bits has the binary exponent emax - 1,
     emax or emin.  */
  static const long exps[] = { -1200, -1000, -700, -64, -1, 0, 1, 63, 640,
                               990, 1200, 1, 2, 3 };
  const size_t nexp = sizeof exps / sizeof exps[0];
  mpfr_exp_t emin = mpfr_get_emin (), emax = mpfr_get_emax ();
  gmp_randstate_t rs;
  mpz_t z;
  mpfr_t got, want;
  size_t pi, ei, it;

  gmp_randinit_default (rs);
  gmp_randseed_ui (rs, 15);
  mpz_init (z);
  mpfr_inits2 (2, got, want, (mpfr_ptr) 0);
  /* A narrow exponent range, so that the largest and smallest sums
     leave it.  */
  mpfr_set_emin (-1000);
  mpfr_set_emax (1000);
  for (pi = 0; pi < sizeof precs / sizeof precs[0]; pi++)
    for (ei = 0; ei < nexp; ei++)
      for (it = 0; it < 200; it++)
        {
          unsigned long bits = 1 + gmp_urandomm_ui (rs, 640);
          int d;

          switch (it % 4)
            {
            case 0:
              mpz_rrandomb (z, rs, bits);
              break;
            case 1:                 /* 2^bits - 1: every bit set */
              mpz_set_ui (z, 0);
              mpz_setbit (z, bits);
              mpz_sub_ui (z, z, 1);
              break;
            case 2:                 /* a power of two, or one more */
              mpz_set_ui (z, it % 8 == 2);
              mpz_setbit (z, bits);
              break;
            default:
              mpz_urandomb (z, rs, bits);
              break;
            }
          if (it % 3 == 1)
            mpz_neg (z, z);
          mpfr_set_prec (got, precs[pi]);
          mpfr_set_prec (want, precs[pi]);
          for (d = 0; d < 2; d++)
            {
              mpfr_rnd_t rnd = d ? MPFR_RNDU : MPFR_RNDD;
              long e = ei + 3 < nexp ? exps[ei] - (long) bits / 2
                : ei + 3 == nexp ? 999 - (long) bits
                : ei + 2 == nexp ? 1000 - (long) bits : -1000 - (long) bits;

              /* Something else in GOT first: the result must not
                 depend on it.  */
              mpfr_set_si (got, it % 2 ? -3 : 0, MPFR_RNDN);
              if (it % 5 == 0)
                mpfr_set_nan (got);
              mpfr_set_z_2exp (want, z, e, rnd);
              fadj_set_limbs_2exp (got, mpz_limbs_read (z),
                                   mpz_sgn (z) * (mp_size_t) mpz_size (z), e,
                                   rnd);
              ck_assert_msg (mpfr_equal_p (got, want)
                             || (mpfr_nan_p (got) && mpfr_nan_p (want)),
                             "prec %ld, e %ld, %s, bits %lu, case %zu",
                             (long) precs[pi], e, d ? "up" : "down", bits,
                             it);
              ck_assert_int_eq (mpfr_signbit (got), mpfr_signbit (want));
            }
        }
  mpfr_set_emin (emin);
  mpfr_set_emax (emax);
  mpfr_clears (got, want, (mpfr_ptr) 0);
  mpz_clear (z);
  gmp_randclear (rs);
}
END_TEST

int
main (void)
{
  const test_entry tests[] = {
    TEST_CASE ("outer"),
    TEST_LOOP (test_outer_random, 8),
    TEST_ONCE (test_outer_cancel),
    TEST_ONCE (test_outer_declines),
    TEST_ONCE (test_outer_in_trace),
    TEST_ONCE (test_outer_exact_per_value),
    TEST_LOOP (test_intdot_products, 6),
    TEST_ONCE (test_set_limbs_2exp),
  };

  return test_main ("intdot", tests, sizeof tests / sizeof tests[0]);
}
