/* check_forward.c -- the lean path of the trace (matrix F-propagation
   and the integer kernel of the layer products) against the graph path,
   and the directional check, which must catch a corrupted gradient (the
   engine's own forward mode is tested in check_graph), run by
   fadj_trace_compute* with FADJ_TRACE_DIRECTIONAL and stated by the
   document; the choice of check by the parameter count.  Expected values
   are derived by hand in the comments, never taken from the program.  */

#include "test-common.h"
#include "fadj-impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const fadj_ctx exact = { .domain = FADJ_EXACT };

static void
q_of (mpq_t q, const char *s)
{
  mpq_set_str (q, s, 10);
  mpq_canonicalize (q);
}

/* Whether the interval X encloses the rational WANT ("p/q" or "p").  */
static int
encloses_q (fadj_num_srcptr x, const char *want)
{
  fadj_num_t e;
  int in;

  fadj_num_init (e, &exact);
  q_of (FADJ_NUM_Q (e), want);
  in = fadj_num_compatible_p (x, e);
  fadj_num_clear (e);
  return in;
}

/* The integer kernel encloses the exact product.  W = [3/1000 -1/4; 2 5]
   (integer form K = [3 -250; 2000 5000], D = 1000), bias (1/8, -1), and
   x = (1/3, -2/7) enclosed at 100 bits: W x + b = (1/1000 + 1/14 + 1/8,
   2/3 - 10/7 - 1) = (691/3500, -37/21).  W^T y for y = (1, -1):
   (3/1000 - 2, -1/4 - 5) = (-1997/1000, -21/4).  */
START_TEST (test_intdot)
{
  fadj_net *net = test_parse ("input [1/3 -2/7] target [0 0]\n"
                         "layer identity weights [0.003 -1/4; 2 5]"
                         " bias [1/8 -1] loss squared\n");
  fadj_ctx ic = { .domain = FADJ_INTERVAL, .prec = 100 };
  fadj_intdot k;
  fadj_mat x, y;

  ck_assert_int_eq (fadj_intdot_init (&k, &net->layers[0].w,
                                      &net->layers[0].b), FADJ_OK);
  ck_assert (k.ok);
  ck_assert_int_eq (mpz_get_ui (k.d), 1000);
  ck_assert_int_eq (fadj_mat_init (&x, 2, 1, &ic), FADJ_OK);
  ck_assert_int_eq (fadj_mat_init (&y, 2, 1, &ic), FADJ_OK);
  fadj_num_set_q (x.e, FADJ_NUM_Q (&net->input.e[0]));
  fadj_num_set_q (x.e + 1, FADJ_NUM_Q (&net->input.e[1]));
  ck_assert_int_eq (fadj_intdot_mul (&y, &k, &x, 1), FADJ_OK);
  ck_assert (encloses_q (y.e, "691/3500"));
  ck_assert (encloses_q (y.e + 1, "-37/21"));
  /* ... and tightly: width below 2^-90.  */
  {
    mpfr_t w;
    mpfr_init2 (w, 64);
    mpfi_diam_abs (w, FADJ_NUM_I (&y.e[0]));
    ck_assert (mpfr_cmp_ui_2exp (w, 1, -90) < 0);
    mpfr_clear (w);
  }
  fadj_num_set_si (y.e, 1);
  fadj_num_set_si (y.e + 1, -1);
  ck_assert_int_eq (fadj_intdot_tmul (&x, &k, &y), FADJ_OK);
  ck_assert (encloses_q (x.e, "-1997/1000"));
  ck_assert (encloses_q (x.e + 1, "-21/4"));
  ck_assert (!encloses_q (x.e + 1, "-5"));
  fadj_mat_clear (&x);
  fadj_mat_clear (&y);
  fadj_intdot_clear (&k);
  /* No integer form: a common denominator beyond 2^62.  */
  fadj_net_free (net);
  net = test_parse ("input [1 1] target [0] layer identity "
                    "weights [1/3 1e-30]\nloss squared\n");
  ck_assert_int_eq (fadj_intdot_init (&k, &net->layers[0].w, NULL),
                    FADJ_ERR_LIMIT);
  ck_assert (!k.ok);
  fadj_intdot_clear (&k);
  fadj_net_free (net);
}
END_TEST

/* The lean path (no graph, gradients on demand) and the graph path give
   overlapping enclosures of every gradient entry, on networks with and
   without an integer form of the weights.  */
static const char *const lean_nets[] = {
  "input [0 0] target [1]\n layer sigmoid weights [1 -1; -1 1] bias [1 -1]\n"
  " layer sigmoid weights [1 -1] bias [1] loss half_squared\n",
  "input [0.5 -1] target [0.25]\n layer tanh weights [1/3 2; -1 0.5]\n"
  " bias [1e-30 0.2]\n layer softplus weights [1 -1]\n loss squared\n",
  "input [1/2; -1] target [0.5]\n layer relu weights [0.5 -1/3; -1 0.25;"
  " 2 1/2] bias [0.25, -1/4, 0.1]\n layer identity weights [1 -2 0.5]"
  " bias [-0.2] loss half_squared\n",
};

START_TEST (test_lean_matches_graph)
{
  fadj_net *net = test_parse (lean_nets[_i]);
  fadj_ctx ctx = { .domain = fadj_net_domain (net), .prec = 160 };
  fadj_trace *a, *b;
  fadj_num_t ga, gb;
  fadj_decimal da, db;
  size_t l, i, j;

  ck_assert_int_eq (fadj_trace_compute (&a, net, &ctx), FADJ_OK);
  ck_assert (a->check.agree);
  ck_assert_int_eq (fadj_trace_compute_flags (&b, net, &ctx, 0), FADJ_OK);
  ck_assert (b->graph == NULL && b->grad == NULL);
  ck_assert_uint_eq (b->check.compared, 0);
  fadj_num_init (ga, &ctx);
  fadj_num_init (gb, &ctx);
  ck_assert (fadj_num_compatible_p (a->J, b->J));
  for (l = 1; l <= net->nlayers; l++)
    for (i = 0; i < net->sizes[l]; i++)
      for (j = 0; j <= net->sizes[l - 1]; j++)
        {
          if (j == net->sizes[l - 1] && !net->layers[l - 1].has_bias)
            continue;
          fadj_trace_gradient_entry (ga, a, l, i, j);
          fadj_trace_gradient_entry (gb, b, l, i, j);
          ck_assert_msg (fadj_num_compatible_p (ga, gb), "layer %zu (%zu, "
                         "%zu)", l, i, j);
          /* Rounded to 30 digits: the lean trace's single products
             (fadj_decimal_round_mul) as the stored entries.  */
          ck_assert_int_eq (fadj_decimal_round (&da, ga, 30), FADJ_OK);
          ck_assert_int_eq (fadj_trace_gradient_entry_round (&db, gb, b, l,
                                                             i, j, 30),
                            FADJ_OK);
          ck_assert_msg (da.sign == db.sign && da.exp10 == db.exp10
                         && strcmp (da.digits, db.digits) == 0, "layer %zu "
                         "(%zu, %zu): %s vs %s", l, i, j, da.digits,
                         db.digits);
        }
  for (i = 0; i < net->sizes[0]; i++)
    ck_assert (fadj_num_compatible_p (a->xs[0].e + i, b->xs[0].e + i));
  fadj_num_clear (ga);
  fadj_num_clear (gb);
  fadj_trace_free (a);
  fadj_trace_free (b);
  fadj_net_free (net);
}
END_TEST

/* Compact weights (FADJ_PARSE_COMPACT) give the lean interval trace the
   very same enclosures as the rationals they stand for: the integer
   kernel sees the same K and D (the compact DEN is the least common
   denominator), and where it needs another D (a bias with other
   denominators) or cannot be used at all (a common denominator past
   2^62: the enclosures of every weight), the compact entries are scaled
   or converted exactly.  Equal endpoints, not just overlapping ones.  */
static const char *const compact_nets[] = {
  /* K / 1000 and a bias on the same scale */
  "input [0.5 -1] target [0.25 0.5]\n layer sigmoid weights [0.125 -0.5;"
  " 0.75 0.001] bias [0.5 -0.25]\n layer tanh weights [1.5 -2; 0.5 1]\n"
  " loss half_squared\n",
  /* a bias of thirds: D = 3 * 8, the compact K scaled by 3 */
  "input [1 2] target [0]\n layer sigmoid weights [0.125 -0.5] bias [1/3]\n"
  " loss squared\n",
  /* a bias whose denominator 3^40 takes D past 2^62: no integer form */
  "input [1 2] target [0]\n layer sigmoid weights [0.125 -0.5]"
  " bias [1/12157665459056928801]\n loss squared\n",
  /* hexadecimal floats (a model's export): 2^-3 and 3 2^-2 over 8, a
     bias of decimals: D = lcm (8, 10) = 40, the compact K scaled by 5 */
  "input [0x1p-1 -0x1.8p0] target [0x1p-2]\n layer sigmoid"
  " weights [0x1p-3 -0x1.8p-1] bias [0.1]\n loss half_squared\n",
  /* the first of lean_nets: integers */
  "input [0 0] target [1]\n layer sigmoid weights [1 -1; -1 1] bias [1 -1]\n"
  " layer sigmoid weights [1 -1] bias [1] loss half_squared\n",
};

static void
assert_same_intervals (const fadj_mat *a, const fadj_mat *b)
{
  size_t k;

  ck_assert_uint_eq (a->rows, b->rows);
  ck_assert_uint_eq (a->cols, b->cols);
  for (k = 0; k < a->rows * a->cols; k++)
    ck_assert (mpfr_equal_p (FADJ_NUM_LEFT (&a->e[k]),
                             FADJ_NUM_LEFT (&b->e[k]))
               && mpfr_equal_p (FADJ_NUM_RIGHT (&a->e[k]),
                                FADJ_NUM_RIGHT (&b->e[k])));
}

START_TEST (test_compact_lean)
{
  const char *text = compact_nets[_i];
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 160 };
  fadj_net *net = test_parse (text), *cnet;
  fadj_error err;
  fadj_trace *a, *b;
  fadj_check ca, cb;
  fadj_num_t f, p;
  size_t l;

  ck_assert_int_eq (fadj_net_parse_opts (&cnet, &err, text, strlen (text),
                                         FADJ_PARSE_COMPACT), FADJ_OK);
  ck_assert (fadj_net_compact_p (cnet));
  ck_assert_int_eq (fadj_trace_compute_flags (&a, net, &ctx, 0), FADJ_OK);
  ck_assert_int_eq (fadj_trace_compute_flags (&b, cnet, &ctx, 0), FADJ_OK);
  for (l = 1; l <= net->nlayers; l++)
    {
      ck_assert_int_eq (a->wm[l]->kw.ok, b->wm[l]->kw.ok);
      /* The integer form borrows the compact K when D is its DEN (case
         0), scales a copy for the bias of thirds (1) or tenths (3), and
         there is none for 3^40 (2).  */
      ck_assert_int_eq (b->wm[l]->kw.ok, _i != 2);
      if (_i == 3)
        ck_assert (b->wm[l]->kw.own != NULL
                   && mpz_cmp_ui (b->wm[l]->kw.d, 40) == 0);
      if (_i == 0)
        ck_assert (b->wm[l]->kw.own == NULL
                   && b->wm[l]->kw.k == cnet->layers[l - 1].w.k);
      if (_i == 1)
        ck_assert (b->wm[l]->kw.own != NULL
                   && mpz_cmp_ui (b->wm[l]->kw.d, 24) == 0);
      if (a->wm[l]->kw.ok)
        {
          ck_assert (mpz_cmp (a->wm[l]->kw.d, b->wm[l]->kw.d) == 0);
          ck_assert (memcmp (a->wm[l]->kw.k, b->wm[l]->kw.k,
                             net->sizes[l] * net->sizes[l - 1]
                             * sizeof (int64_t)) == 0);
        }
      assert_same_intervals (a->Y + l, b->Y + l);
      assert_same_intervals (a->X + l, b->X + l);
      assert_same_intervals (a->ys + l, b->ys + l);
    }
  assert_same_intervals (a->xs, b->xs);
  fadj_num_init (f, &ctx);
  fadj_num_init (p, &ctx);
  ck_assert_int_eq (fadj_trace_directional (&ca, f, p, a, 7), FADJ_OK);
  ck_assert_int_eq (fadj_trace_directional (&cb, f, p, b, 7), FADJ_OK);
  ck_assert (ca.agree && cb.agree);
  fadj_num_clear (f);
  fadj_num_clear (p);
  fadj_trace_free (a);
  fadj_trace_free (b);
  fadj_net_free (net);
  fadj_net_free (cnet);
}
END_TEST

/* Weight rows rounded at once (fadj_trace_gradient_row_round) give
   entry for entry what fadj_trace_gradient_entry_round gives, decided or
   not, and name the first undecided column.  On the lean nets above, a
   random 4-layer sigmoid network (three-decimal weights, inputs with
   zeros and dyadic values, so that some entries are 0 and some
   products of a point), a batch of two samples (not single products),
   on lean and stored traces, at 128 bits, where 34 digits are mostly
   decided and 36 and 40 mostly not; rows cut at random points into
   ranges.  */
static char *
random_net (gmp_randstate_t rs, const size_t *sizes, size_t layers,
            size_t samples)
{
  size_t cap = 1 << 16, len = 0, l, i, j;
  char *s = malloc (cap);
  static const char *const specials[] = { "0", "0.5", "-0.25", "1", "0" };

  ck_assert (s != NULL);
#define PUT(...) \
  do { len += (size_t) snprintf (s + len, cap - len, __VA_ARGS__); \
       ck_assert (len < cap); } while (0)
  /* One sample as input and target, more as sample lines.  */
  for (j = 0; j < samples; j++)
    {
      PUT (samples == 1 ? "input [" : "sample [");
      for (i = 0; i < sizes[0]; i++)
        {
          long k = (long) gmp_urandomm_ui (rs, 2001) - 1000;
          if (gmp_urandomm_ui (rs, 4) == 0)
            PUT ("%s%s", specials[gmp_urandomm_ui (rs, 5)],
                 i + 1 < sizes[0] ? " " : "");
          else
            PUT ("%s%ld/1000%s", k < 0 ? "-" : "", labs (k),
                 i + 1 < sizes[0] ? " " : "");
        }
      PUT (samples == 1 ? "] target [" : "] -> [");
      for (i = 0; i < sizes[layers]; i++)
        PUT ("%lu/1000%s", gmp_urandomm_ui (rs, 1001),
             i + 1 < sizes[layers] ? " " : "");
      PUT ("]\n");
    }
  for (l = 1; l <= layers; l++)
    {
      PUT ("layer sigmoid weights [");
      for (i = 0; i < sizes[l]; i++)
        for (j = 0; j < sizes[l - 1]; j++)
          {
            long k = (long) gmp_urandomm_ui (rs, 2001) - 1000;
            PUT ("%s%ld/1000%s", k < 0 ? "-" : "", labs (k),
                 j + 1 < sizes[l - 1] ? " " : i + 1 < sizes[l] ? "; " : "");
          }
      PUT ("]%s\n", l % 2 ? " bias 0.5" : "");
    }
  PUT ("loss half_squared\n");
#undef PUT
  return s;
}

/* Row I of the gradient rows R, rounded with fadj_trace_gradient_row_round
   (a test_row_rounder).  */
typedef struct
{
  fadj_num_ptr scratch;
  fadj_gradient_rows *r;
  size_t i;
} gradient_row;

static fadj_status
gradient_row_round (fadj_decimal *d, size_t *col, void *arg, size_t j0,
                    size_t j1)
{
  gradient_row *g = arg;
  return fadj_trace_gradient_row_round (d, col, g->scratch, g->r, g->i, j0,
                                        j1);
}

/* Compare the rows of every layer of T with the entries, at N digits.
   Returns the number of undecided entries.  */
static size_t
check_rows (const fadj_trace *t, gmp_randstate_t rs, int n)
{
  const fadj_net *net = t->net;
  fadj_num_t scratch;
  size_t l, i, j, undecided = 0;
  gradient_row g;

  fadj_num_init (scratch, &t->ctx);
  g.scratch = scratch;
  for (l = 1; l <= net->nlayers; l++)
    {
      size_t cols = net->sizes[l - 1];
      fadj_decimal *d = malloc (cols * sizeof *d), e;
      fadj_gradient_rows *r;

      ck_assert (d != NULL);
      ck_assert_int_eq (fadj_trace_gradient_rows_new (&r, t, l, n), FADJ_OK);
      g.r = r;
      for (i = 0; i < net->sizes[l]; i++)
        {
          size_t cut = gmp_urandomm_ui (rs, cols + 1);
          fadj_status *st = malloc (cols * sizeof *st);
          ck_assert (st != NULL);
          g.i = i;
          test_row_round (d, st, cols, cut, gradient_row_round, &g);
          for (j = 0; j < cols; j++)
            {
              fadj_status s = fadj_trace_gradient_entry_round (&e, scratch,
                                                               t, l, i, j,
                                                               n);
              /* The row may decide an entry the entry function does
                 not (the batch kernel's single rounding), never the
                 reverse.  */
              ck_assert_msg (s == st[j] || (t->m > 1 && st[j] == FADJ_OK
                                            && s == FADJ_UNDECIDED),
                             "layer %zu (%zu, %zu), %d digits: "
                             "status %d, entry %d", l, i, j, n, st[j], s);
              if (s != FADJ_OK)
                {
                  undecided++;
                  continue;
                }
              ck_assert_msg (test_decimal_equal (&e, d + j)
                             && e.exact == d[j].exact,
                             "layer %zu (%zu, %zu), %d digits: %s e%ld, "
                             "entry %s e%ld", l, i, j, n, d[j].digits,
                             d[j].exp10, e.digits, e.exp10);
            }
          free (st);
        }
      fadj_gradient_rows_free (r);
      free (d);
    }
  fadj_num_clear (scratch);
  return undecided;
}

START_TEST (test_gradient_rows)
{
  static const int digits[] = { 1, 17, 30, 34, 36, 40 };
  static const size_t sizes[] = { 9, 12, 7, 10, 5 };
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 128 };
  gmp_randstate_t rs;
  size_t undecided = 0;
  unsigned flags;
  int k, d;

  gmp_randinit_default (rs);
  gmp_randseed_ui (rs, 2024);
  for (k = 0; k < (int) (sizeof lean_nets / sizeof lean_nets[0]) + 3; k++)
    {
      char *text = NULL;
      fadj_net *net;

      if (k < (int) (sizeof lean_nets / sizeof lean_nets[0]))
        net = test_parse (lean_nets[k]);
      else
        {
          text = random_net (rs, sizes, 4, k % 3 == 2 ? 2 : 1);
          net = test_parse (text);
        }
      for (flags = 0; flags <= FADJ_TRACE_FULL; flags += FADJ_TRACE_FULL)
        {
          fadj_trace *t;
          ctx.domain = fadj_net_domain (net) == FADJ_EXACT && k < 1
            ? FADJ_EXACT : FADJ_INTERVAL;
          ck_assert_int_eq (fadj_trace_compute_flags (&t, net, &ctx, flags),
                            FADJ_OK);
          for (d = 0; d < (int) (sizeof digits / sizeof digits[0]); d++)
            undecided += check_rows (t, rs, digits[d]);
          fadj_trace_free (t);
        }
      fadj_net_free (net);
      free (text);
    }
  /* Both outcomes were met.  */
  ck_assert_uint_gt (undecided, 100);
  gmp_randclear (rs);
}
END_TEST

/* The directional check agrees on a correct derivation (both paths), and
   catches one corrupted gradient entry: each row corrupts one entry
   (layer, row, col; col = N_{l-1} is the bias) of a stored gradient by a
   tiny amount, far below printed digits and far above the enclosures'
   width (or by 1/10^30 exactly, for the rational network).  */
static const struct
{
  int net;
  size_t layer, row, col;
} corrupt[] = {
  { 0, 1, 0, 0 }, { 0, 1, 1, 2 }, { 0, 2, 0, 1 }, { 0, 2, 0, 2 },
  { 1, 1, 1, 0 }, { 1, 2, 0, 1 }, { 2, 1, 2, 1 }, { 2, 2, 0, 3 },
};

START_TEST (test_directional_agrees)
{
  fadj_net *net = test_parse (lean_nets[_i]);
  fadj_ctx ctx = { .domain = fadj_net_domain (net), .prec = 160 };
  fadj_trace *t;
  fadj_check c;
  fadj_num_t f, p;
  unsigned flags;

  fadj_num_init (f, &ctx);
  fadj_num_init (p, &ctx);
  for (flags = 0; flags <= 3; flags++)
    {
      ck_assert_int_eq (fadj_trace_compute_flags (&t, net, &ctx, flags),
                        FADJ_OK);
      ck_assert_int_eq (fadj_trace_directional (&c, f, p, t, 7), FADJ_OK);
      ck_assert_msg (c.agree, "flags %u", flags);
      ck_assert_uint_eq (c.compared, 1);
      ck_assert (!fadj_num_zero_p (p));
      fadj_trace_free (t);
    }
  fadj_num_clear (f);
  fadj_num_clear (p);
  fadj_net_free (net);
}
END_TEST

START_TEST (test_directional_catches)
{
  fadj_net *net = test_parse (lean_nets[corrupt[_i].net]);
  fadj_ctx ctx = { .domain = fadj_net_domain (net), .prec = 160 };
  fadj_trace *t;
  fadj_check c;
  fadj_num_t f, p, delta;
  mpq_t q;
  unsigned long seed;

  fadj_num_init (f, &ctx);
  fadj_num_init (p, &ctx);
  fadj_num_init (delta, &ctx);
  mpq_init (q);
  if (ctx.domain == FADJ_EXACT)
    q_of (q, "1/1000000000000000000000000000000");
  else
    {
      mpq_set_ui (q, 1, 1);
      mpq_div_2exp (q, q, 100);
    }
  fadj_num_set_q (delta, q);
  /* Whatever the direction: every entry of V is nonzero.  */
  for (seed = 1; seed <= 3; seed++)
    {
      fadj_num_ptr g;
      ck_assert_int_eq (fadj_trace_compute_flags (&t, net, &ctx,
                                                  FADJ_TRACE_GRADIENTS),
                        FADJ_OK);
      g = FADJ_MAT (t->grad + corrupt[_i].layer, corrupt[_i].row,
                    corrupt[_i].col);
      fadj_num_add (g, g, delta);
      ck_assert_int_eq (fadj_trace_directional (&c, f, p, t, seed),
                        FADJ_OK);
      ck_assert_msg (!c.agree, "seed %lu", seed);
      ck_assert_int_eq (c.what, FADJ_Q_DIRECTIONAL);
      fadj_trace_free (t);
    }
  mpq_clear (q);
  fadj_num_clear (f);
  fadj_num_clear (p);
  fadj_num_clear (delta);
  fadj_net_free (net);
}
END_TEST

/* FADJ_TRACE_DIRECTIONAL (fadj-explain above FADJ_FULL_CHECK_MAX_PARAMS
   parameters, or --check=directional): fadj_trace_compute* build no
   graph and run the directional check, whose verdict the trace keeps
   (skipped, it would read what = FADJ_Q_GRADIENT, compared = 0) and the
   document states; a gradient entry made wrong is caught by that check
   (not a verdict that always agrees), and the document says it failed.
   Each row as in CORRUPT.  */
START_TEST (test_directional_flag)
{
  fadj_net *net = test_parse (lean_nets[corrupt[_i].net]);
  fadj_ctx ctx = { .domain = fadj_net_domain (net), .prec = 160 };
  fadj_buf *b = fadj_buf_new ();
  fadj_latex_opts opts;
  fadj_trace *t;
  fadj_num_t f, p, delta;
  fadj_num_ptr g;
  const char *doc;

  ck_assert_int_eq (fadj_trace_compute_flags (&t, net, &ctx,
                                              FADJ_TRACE_GRADIENTS
                                              | FADJ_TRACE_DIRECTIONAL),
                    FADJ_OK);
  ck_assert (t->graph == NULL && t->grad != NULL);
  ck_assert_int_eq (t->check.what, FADJ_Q_DIRECTIONAL);
  ck_assert_uint_eq (t->check.compared, 1);
  ck_assert (t->check.agree);
  /* The network is small: the document says the check was asked for.  */
  ck_assert (fadj_net_full_check_p (net));
  fadj_latex_opts_init (&opts);
  ck_assert_int_eq (fadj_latex_write (b, t, &opts, NULL), FADJ_OK);
  doc = fadj_buf_data (b, NULL);
  ck_assert (strstr (doc, "As asked, the two-step rule was checked by the "
                     "directional check") != NULL);
  ck_assert (strstr (doc, "\\textbf{Result:} the derivative along $V$ and "
                     "the projected gradients agree") != NULL);
  ck_assert (strstr (doc, "entries were compared") == NULL);
  ck_assert (strstr (doc, "VERIFICATION FAILED") == NULL);

  /* A wrong entry, by 2^-100 (10^-30 for the rational network).  */
  fadj_num_init (f, &ctx);
  fadj_num_init (p, &ctx);
  fadj_num_init (delta, &ctx);
  if (ctx.domain == FADJ_EXACT)
    q_of (FADJ_NUM_Q (delta), "1/1000000000000000000000000000000");
  else
    {
      mpq_t q;
      mpq_init (q);
      mpq_set_ui (q, 1, 1);
      mpq_div_2exp (q, q, 100);
      fadj_num_set_q (delta, q);
      mpq_clear (q);
    }
  g = FADJ_MAT (t->grad + corrupt[_i].layer, corrupt[_i].row,
                corrupt[_i].col);
  fadj_num_add (g, g, delta);
  ck_assert_int_eq (fadj_trace_directional (&t->check, f, p, t,
                                            FADJ_DIRECTIONAL_SEED),
                    FADJ_OK);
  ck_assert (!t->check.agree);
  fadj_buf_reset (b);
  ck_assert_int_eq (fadj_latex_write (b, t, &opts, NULL), FADJ_OK);
  doc = fadj_buf_data (b, NULL);
  ck_assert (strstr (doc, "\\textbf{VERIFICATION FAILED.} The derivative "
                     "of $J$ along $V$ and the gradients projected on $V$ "
                     "disagree") != NULL);
  ck_assert (strstr (doc, "\\textbf{Result:}") == NULL);
  fadj_num_clear (f);
  fadj_num_clear (p);
  fadj_num_clear (delta);
  fadj_trace_free (t);
  fadj_buf_free (b);
  fadj_net_free (net);
}
END_TEST

/* Training steps from a derivation checked along a direction are
   derived and checked the same way (fadj_train passes the flags on): the
   derivation a shown later step starts from has no graph and the
   directional verdict; a failed one is stated as the directional check's
   in the training section.  A[2,2,1] (lean_nets[0]), rate 1.  */
START_TEST (test_directional_training)
{
  fadj_net *net = test_parse (lean_nets[0]);
  fadj_ctx ctx = { .domain = fadj_net_domain (net), .prec = 160 };
  fadj_buf *b = fadj_buf_new ();
  fadj_latex_opts opts;
  fadj_latex_results res;
  fadj_training *tr;
  fadj_trace *t;
  const fadj_trace *at;
  static const size_t show[] = { 2 };
  mpq_t rate;
  const char *doc;

  mpq_init (rate);
  mpq_set_ui (rate, 1, 1);
  ck_assert_int_eq (fadj_trace_compute_flags (&t, net, &ctx,
                                              FADJ_TRACE_GRADIENTS
                                              | FADJ_TRACE_DIRECTIONAL),
                    FADJ_OK);
  ck_assert_int_eq (fadj_train_show (&tr, t, 2, rate, FADJ_UPDATE_STANDARD,
                                     show, 1, 0), FADJ_OK);
  ck_assert (tr->check.agree);
  ck_assert_uint_eq (tr->nshown, 1);
  at = tr->shown[0].at;
  ck_assert (at != t && at->graph == NULL);
  ck_assert_int_eq (at->check.what, FADJ_Q_DIRECTIONAL);
  ck_assert_uint_eq (at->check.compared, 1);
  ck_assert (at->check.agree);

  tr->check.agree = 0;
  tr->check.what = FADJ_Q_DIRECTIONAL;
  tr->check_step = 2;
  fadj_latex_opts_init (&opts);
  fadj_latex_results_init (&res);
  res.training = tr;
  ck_assert_int_eq (fadj_latex_write (b, t, &opts, &res), FADJ_OK);
  doc = fadj_buf_data (b, NULL);
  ck_assert (strstr (doc, "\\textbf{VERIFICATION FAILED} at the weights "
                     "after step 2: the derivative of $J$ along a random "
                     "direction and the two-step rule's gradients "
                     "projected on it disagree there.") != NULL);
  ck_assert (strstr (doc, "the reverse mode disagree there") == NULL);
  fadj_training_free (tr);
  fadj_trace_free (t);
  fadj_buf_free (b);
  mpq_clear (rate);
  fadj_net_free (net);
}
END_TEST

/* The choice of check by the parameter count (fadj_net_full_check_p),
   shared by fadj-explain and fadj-audit: weights and biases counted,
   inputs not; full up to FADJ_FULL_CHECK_MAX_PARAMS inclusive.  A[1, N,
   1], identity: N + N weights, and N biases (BIAS1) and 1 (BIAS2).  */
START_TEST (test_full_check_p)
{
  static const struct
  {
    size_t n;
    int bias1, bias2;
    size_t params;
    int full;
  } rows[] = {
    { 50000, 0, 0, 100000, 1 },
    { 50000, 0, 1, 100001, 0 },
    { 25000, 1, 1, 75001, 1 },
    { 33334, 1, 0, 100002, 0 },
  };
  size_t k;

  for (k = 0; k < sizeof rows / sizeof rows[0]; k++)
    {
      size_t n = rows[k].n, i;
      char *text = malloc (128 + 6 * n), *e = text;
      fadj_net *net;

      ck_assert (text != NULL);
      e += sprintf (e, "input [0]\ntarget [0]\nlayer identity weights [1");
      for (i = 1; i < n; i++)
        e += sprintf (e, ";1");
      e += sprintf (e, "]\n");
      if (rows[k].bias1)
        {
          e += sprintf (e, "bias [0");
          for (i = 1; i < n; i++)
            e += sprintf (e, ";0");
          e += sprintf (e, "]\n");
        }
      e += sprintf (e, "layer identity weights [");
      for (i = 0; i < n; i++)
        e += sprintf (e, "1 ");
      e += sprintf (e, "]\n%sloss squared\n", rows[k].bias2 ? "bias [0]\n"
                    : "");
      net = test_parse (text);
      ck_assert_uint_eq (fadj_net_params (net), rows[k].params);
      ck_assert_int_eq (fadj_net_full_check_p (net), rows[k].full);
      fadj_net_free (net);
      free (text);
    }
}
END_TEST

int
main (void)
{
  const test_entry tests[] = {
    TEST_CASE ("kernel"),
    TEST_ONCE (test_intdot),
    TEST_CASE ("lean"),
    TEST_EACH (test_lean_matches_graph, lean_nets),
    TEST_EACH (test_compact_lean, compact_nets),
    TEST_ONCE (test_gradient_rows),
    TEST_CASE ("directional"),
    TEST_EACH (test_directional_agrees, lean_nets),
    TEST_EACH (test_directional_catches, corrupt),
    TEST_EACH (test_directional_flag, corrupt),
    TEST_ONCE (test_directional_training),
    TEST_ONCE (test_full_check_p),
  };

  return test_main ("forward", tests, sizeof tests / sizeof tests[0]);
}
