/* check_graph.c -- the expression engine: evaluation of every node kind
   and generic reverse-mode (and forward-mode) derivatives, in both
   domains.  Expected values
   are derived by hand (rationals) or from MPFR's own functions
   (transcendentals), never from the engine.  */

#include "test-common.h"
#include "fadj-impl.h"

#include <stdlib.h>

static const fadj_ctx exact = { .domain = FADJ_EXACT };
static const fadj_ctx interval = { .domain = FADJ_INTERVAL, .prec = 128 };

/* X is an interval of width < 2^-100 containing the MPFR value R (computed
   at 200 bits, a few ulps from the truth, far below the width test).  */
static void
assert_encloses (fadj_num_srcptr x, mpfr_srcptr r)
{
  mpfr_t w;
  ck_assert_int_eq (FADJ_NUM_DOMAIN (x), FADJ_INTERVAL);
  mpfr_init2 (w, 128);
  mpfi_diam_abs (w, FADJ_NUM_I (x));
  ck_assert_msg (mpfr_cmp_ui_2exp (w, 1, -100) < 0, "interval too wide");
  mpfr_clear (w);
  /* Containment up to R's own rounding error (a few ulps at 200 bits):
     widen by |R| 2^-180 + 2^-300.  */
  {
    mpfr_t lo, hi, e;
    mpfr_inits2 (200, lo, hi, e, (mpfr_ptr) 0);
    mpfr_abs (e, r, MPFR_RNDU);
    mpfr_mul_2si (e, e, -180, MPFR_RNDU);
    mpfr_add_d (e, e, 0x1p-300, MPFR_RNDU);
    mpfi_get_left (lo, FADJ_NUM_I (x));
    mpfi_get_right (hi, FADJ_NUM_I (x));
    mpfr_sub (lo, lo, e, MPFR_RNDD);
    mpfr_add (hi, hi, e, MPFR_RNDU);
    ck_assert_msg (mpfr_lessequal_p (lo, r) && mpfr_lessequal_p (r, hi),
                   "value not enclosed");
    mpfr_clears (lo, hi, e, (mpfr_ptr) 0);
  }
}

static void
q_of (mpq_t q, const char *s)
{
  mpq_set_str (q, s, 10);
  mpq_canonicalize (q);
}

/* f(x, y) = x*y + x/y - (-x) at x = 3, y = 4 into the exact graph G,
   *X and *Y its leaves: f = 12 + 3/4 + 3 = 63/4, df/dx = y + 1/y + 1 =
   21/4, df/dy = x - x/y^2 = 3 - 3/16 = 45/16.  Derived by both modes.  */
static fadj_node
rational_f (fadj_graph *g, fadj_node *x, fadj_node *y)
{
  mpq_t a;
  fadj_node f;

  mpq_init (a);
  q_of (a, "3");
  *x = fadj_graph_leaf (g, a);
  q_of (a, "4");
  *y = fadj_graph_leaf (g, a);
  mpq_clear (a);
  f = fadj_graph_add (g, fadj_graph_mul (g, *x, *y),
                      fadj_graph_div (g, *x, *y));
  return fadj_graph_sub (g, f, fadj_graph_neg (g, *x));
}

START_TEST (test_rational_ops)
{
  fadj_graph *g = fadj_graph_new (&exact);
  fadj_node x, y, f = rational_f (g, &x, &y);

  ck_assert_int_eq (fadj_graph_status (g), FADJ_OK);
  test_assert_q (fadj_graph_value (g, f), "63/4");
  ck_assert_int_eq (fadj_graph_reverse (g, f), FADJ_OK);
  test_assert_q (fadj_graph_adjoint (g, x), "21/4");
  test_assert_q (fadj_graph_adjoint (g, y), "45/16");
  fadj_graph_free (g);
}
END_TEST

/* Forward (tangent) mode: f above along (1, 2) has the tangent
   21/4 + 45/8 = 87/8; and exp/log: g = ln(exp(x) + 1) at x = 0 has
   g' = e^0/(e^0 + 1) = 1/2 (an exact point interval).  */
START_TEST (test_graph_forward)
{
  fadj_graph *g = fadj_graph_new (&exact);
  mpq_t a;
  fadj_num_t d;
  fadj_node x, y, f = rational_f (g, &x, &y);

  mpq_init (a);
  fadj_num_init (d, &exact);
  fadj_num_set_si (d, 1);
  ck_assert_int_eq (fadj_graph_set_tangent (g, x, d), FADJ_OK);
  fadj_num_set_si (d, 2);
  ck_assert_int_eq (fadj_graph_set_tangent (g, y, d), FADJ_OK);
  ck_assert_int_eq (fadj_graph_forward (g), FADJ_OK);
  test_assert_q (fadj_graph_tangent (g, f), "87/8");
  fadj_num_clear (d);
  fadj_graph_free (g);

  g = fadj_graph_new (&interval);
  mpq_set_ui (a, 0, 1);
  x = fadj_graph_leaf (g, a);
  f = fadj_graph_log (g, fadj_graph_add (g, fadj_graph_exp (g, x),
                                         fadj_graph_const_si (g, 1)));
  fadj_num_init (d, &interval);
  fadj_num_set_si (d, 1);
  ck_assert_int_eq (fadj_graph_set_tangent (g, x, d), FADJ_OK);
  ck_assert_int_eq (fadj_graph_forward (g), FADJ_OK);
  q_of (a, "1/2");
  {
    fadj_num_t h;
    fadj_num_init (h, &exact);
    fadj_num_set_q (h, a);
    ck_assert (fadj_num_compatible_p (fadj_graph_tangent (g, f), h));
    mpq_set_ui (a, 1, 3);
    fadj_num_set_q (h, a);
    ck_assert (!fadj_num_compatible_p (fadj_graph_tangent (g, f), h));
    fadj_num_clear (h);
  }
  fadj_num_clear (d);
  fadj_graph_free (g);
  mpq_clear (a);
}
END_TEST

/* dot(a, b) + sum(a) with a = (1/2, -2), b = (3, 5): value 3/2 - 10 +
   1/2 - 2 = -10; d/da = b + 1 = (4, 6); d/db = a = (1/2, -2).  A square
   x*x (an operand used twice) has derivative 2x.  */
START_TEST (test_dot_sum_square)
{
  fadj_graph *g = fadj_graph_new (&exact);
  mpq_t q;
  fadj_node a[2], b[2], f, sq;

  mpq_init (q);
  q_of (q, "1/2"); a[0] = fadj_graph_leaf (g, q);
  q_of (q, "-2");  a[1] = fadj_graph_leaf (g, q);
  q_of (q, "3");   b[0] = fadj_graph_leaf (g, q);
  q_of (q, "5");   b[1] = fadj_graph_leaf (g, q);
  f = fadj_graph_add (g, fadj_graph_dot (g, 2, a, b), fadj_graph_sum (g, 2, a));
  test_assert_q (fadj_graph_value (g, f), "-10");
  ck_assert_int_eq (fadj_graph_reverse (g, f), FADJ_OK);
  test_assert_q (fadj_graph_adjoint (g, a[0]), "4");
  test_assert_q (fadj_graph_adjoint (g, a[1]), "6");
  test_assert_q (fadj_graph_adjoint (g, b[0]), "1/2");
  test_assert_q (fadj_graph_adjoint (g, b[1]), "-2");
  sq = fadj_graph_mul (g, b[1], b[1]);
  ck_assert_int_eq (fadj_graph_reverse (g, sq), FADJ_OK);
  test_assert_q (fadj_graph_value (g, sq), "25");
  test_assert_q (fadj_graph_adjoint (g, b[1]), "10");
  test_assert_q (fadj_graph_adjoint (g, b[0]), "0");
  mpq_clear (q);
  fadj_graph_free (g);
}
END_TEST

/* leaky(x) with the conventions relu'(0) = 0, leaky_relu'(0) = a.  */
static const struct
{
  const char *x, *slope, *value, *deriv;
} leaky_rows[] = {
  { "3", "0", "3", "1" },
  { "-3", "0", "0", "0" },
  { "0", "0", "0", "0" },        /* relu'(0) = 0 */
  { "-3", "1/100", "-3/100", "1/100" },
  { "0", "1/100", "0", "1/100" },/* leaky_relu'(0) = a */
  { "1/7", "1/100", "1/7", "1" },
};

/* A leaf of G with the rational value TEXT.  */
static fadj_node
leaf_q (fadj_graph *g, const char *text)
{
  mpq_t x;
  fadj_node n;

  mpq_init (x);
  q_of (x, text);
  n = fadj_graph_leaf (g, x);
  mpq_clear (x);
  return n;
}

/* F, a function of the leaf N of G alone, has the exact VALUE and the
   derivative DERIV (by reverse mode).  */
static void
check_value_deriv (fadj_graph *g, fadj_node n, fadj_node f,
                   const char *value, const char *deriv)
{
  ck_assert_int_eq (fadj_graph_status (g), FADJ_OK);
  test_assert_q (fadj_graph_value (g, f), value);
  ck_assert_int_eq (fadj_graph_reverse (g, f), FADJ_OK);
  test_assert_q (fadj_graph_adjoint (g, n), deriv);
}

START_TEST (test_leaky)
{
  fadj_graph *g = fadj_graph_new (&exact);
  fadj_node n = leaf_q (g, leaky_rows[_i].x);
  mpq_t s;

  mpq_init (s);
  q_of (s, leaky_rows[_i].slope);
  check_value_deriv (g, n, fadj_graph_leaky (g, n, s), leaky_rows[_i].value,
                     leaky_rows[_i].deriv);
  mpq_clear (s);
  fadj_graph_free (g);
}
END_TEST

START_TEST (test_domain_errors)
{
  fadj_graph *g = fadj_graph_new (&exact);
  mpq_t z;
  mpq_init (z);
  fadj_graph_div (g, fadj_graph_const_si (g, 1), fadj_graph_leaf (g, z));
  ck_assert_int_eq (fadj_graph_status (g), FADJ_ERR_DOMAIN);
  fadj_graph_free (g);

  g = fadj_graph_new (&interval);
  fadj_graph_log (g, fadj_graph_leaf (g, z));
  ck_assert_int_eq (fadj_graph_status (g), FADJ_ERR_DOMAIN);
  /* Builders on a failed graph are harmless no-ops.  */
  fadj_graph_exp (g, fadj_graph_const_si (g, 1));
  ck_assert_int_eq (fadj_graph_status (g), FADJ_ERR_DOMAIN);
  fadj_graph_free (g);
  fadj_graph_free (NULL);
  mpq_clear (z);
}
END_TEST

/* The activations built from primitives, and their derivatives by reverse
   mode, against MPFR: sigmoid(t) = 1/(1+e^-t), sigmoid' = s(1-s);
   tanh' = 1 - tanh^2; softplus = log1p(e^t), softplus' = sigmoid(t).  */
static const char *act_points[] = { "0", "1", "-1", "5/2", "-37/10", "20" };

START_TEST (test_activation_intervals)
{
  mpq_t x;
  mpfr_t t, v, d, u;
  int k;

  mpq_init (x);
  mpfr_inits2 (200, t, v, d, u, (mpfr_ptr) 0);
  q_of (x, act_points[_i]);
  /* -37/10 is not dyadic: both sides use the same rounded t.  */
  mpfr_set_q (t, x, MPFR_RNDN);
  for (k = FADJ_ACT_SIGMOID; k <= FADJ_ACT_SOFTPLUS; k++)
    {
      fadj_graph *g;
      fadj_node n, f;
      mpq_t tq, zero;

      if (k == FADJ_ACT_RELU || k == FADJ_ACT_LEAKY_RELU)
        continue;
      mpq_inits (tq, zero, NULL);
      mpfr_get_q (tq, t);
      g = fadj_graph_new (&interval);
      n = fadj_graph_leaf (g, tq);
      f = fadj_graph_activation (g, k, zero, n);
      ck_assert_int_eq (fadj_graph_status (g), FADJ_OK);
      ck_assert_int_eq (fadj_graph_reverse (g, f), FADJ_OK);
      switch (k)
        {
        case FADJ_ACT_SIGMOID:
          mpfr_neg (v, t, MPFR_RNDN);
          mpfr_exp (v, v, MPFR_RNDN);
          mpfr_add_ui (v, v, 1, MPFR_RNDN);
          mpfr_ui_div (v, 1, v, MPFR_RNDN);
          mpfr_ui_sub (u, 1, v, MPFR_RNDN);
          mpfr_mul (d, v, u, MPFR_RNDN);
          break;
        case FADJ_ACT_TANH:
          mpfr_tanh (v, t, MPFR_RNDN);
          mpfr_sqr (u, v, MPFR_RNDN);
          mpfr_ui_sub (d, 1, u, MPFR_RNDN);
          break;
        case FADJ_ACT_SOFTPLUS:
          mpfr_exp (v, t, MPFR_RNDN);
          mpfr_log1p (v, v, MPFR_RNDN);
          mpfr_neg (d, t, MPFR_RNDN);
          mpfr_exp (d, d, MPFR_RNDN);
          mpfr_add_ui (d, d, 1, MPFR_RNDN);
          mpfr_ui_div (d, 1, d, MPFR_RNDN);
          break;
        }
      assert_encloses (fadj_graph_value (g, f), v);
      assert_encloses (fadj_graph_adjoint (g, n), d);
      fadj_graph_free (g);
      mpq_clears (tq, zero, NULL);
    }
  mpfr_clears (t, v, d, u, (mpfr_ptr) 0);
  mpq_clear (x);
}
END_TEST

/* Dot nodes of an interval graph: interval inputs X of both signs
   (enclosures of 1/3, -2/3, 3/7, -5/11) against exact weights W (-7/10,
   5/7, 9/10, -3/10, and an exact 0 that adds nothing), then
   f = c d1 with c = -3/7, so that the reverse sweep multiplies by a
   negative adjoint too: every sign pair of the products.  By hand
   (checked with Python's fractions): d1 = -433/2310, f = 433/5390,
   df/dx_i = c w_i = 3/10, -15/49, -27/70, 9/70 (and -3/7 * 0 = 0),
   df/dw_i = c x_i = -1/7, 2/7, -9/49, 15/77.  */
START_TEST (test_dot_intervals)
{
  static const char *const xs[] = { "1/3", "-2/3", "3/7", "-5/11", "1" };
  static const char *const ws[] = { "-7/10", "5/7", "9/10", "-3/10", "0" };
  static const char *const dx[] = { "3/10", "-15/49", "-27/70", "9/70",
                                    "0" };
  static const char *const dw[] = { "-1/7", "2/7", "-9/49", "15/77",
                                    "-3/7" };
  fadj_graph *g = fadj_graph_new (&interval);
  fadj_node x[5], w[5], d1, c, f;
  fadj_num_t v;
  mpq_t q;
  mpfr_t r;
  int i;

  mpq_init (q);
  mpfr_init2 (r, 200);
  fadj_num_init (v, &interval);
  for (i = 0; i < 5; i++)
    {
      q_of (q, xs[i]);
      fadj_num_set_q (v, q);    /* an interval leaf */
      x[i] = fadj_graph_leaf_num (g, v);
      q_of (q, ws[i]);
      w[i] = fadj_graph_leaf (g, q);    /* an exact leaf */
    }
  d1 = fadj_graph_dot (g, 5, x, w);
  q_of (q, "-3/7");
  c = fadj_graph_leaf (g, q);
  f = fadj_graph_dot (g, 1, &d1, &c);
  ck_assert_int_eq (fadj_graph_status (g), FADJ_OK);
  ck_assert_int_eq (fadj_graph_reverse (g, f), FADJ_OK);
  q_of (q, "-433/2310");
  mpfr_set_q (r, q, MPFR_RNDN);
  assert_encloses (fadj_graph_value (g, d1), r);
  q_of (q, "433/5390");
  mpfr_set_q (r, q, MPFR_RNDN);
  assert_encloses (fadj_graph_value (g, f), r);
  for (i = 0; i < 5; i++)
    {
      q_of (q, dx[i]);
      mpfr_set_q (r, q, MPFR_RNDN);
      assert_encloses (fadj_graph_adjoint (g, x[i]), r);
      q_of (q, dw[i]);
      mpfr_set_q (r, q, MPFR_RNDN);
      assert_encloses (fadj_graph_adjoint (g, w[i]), r);
    }
  fadj_num_clear (v);
  mpfr_clear (r);
  mpq_clear (q);
  fadj_graph_free (g);
}
END_TEST

/* An interval relu at a point whose sign the interval cannot decide asks
   for more precision rather than guessing; the same computation on the
   exact leaf 1/3 (an interval graph keeps rational leaves exact) decides
   at once that 3 (1/3) - 1 is 0, and takes relu's branch there.  */
START_TEST (test_undecided_sign)
{
  fadj_ctx lo = { .domain = FADJ_INTERVAL, .prec = 10 };
  fadj_graph *g;
  fadj_num_t third;
  mpq_t q, zero;
  fadj_node a, b;
  int exact;

  mpq_inits (q, zero, NULL);
  q_of (q, "1/3");
  fadj_num_init (third, &lo);
  fadj_num_set_q (third, q);                     /* [1/3 - e, 1/3 + e'] */
  for (exact = 0; exact <= 1; exact++)
    {
      g = fadj_graph_new (&lo);
      a = exact ? fadj_graph_leaf (g, q) : fadj_graph_leaf_num (g, third);
      b = fadj_graph_mul (g, a, fadj_graph_const_si (g, 3));
      b = fadj_graph_sub (g, b, fadj_graph_const_si (g, 1));
      b = fadj_graph_leaky (g, b, zero);
      if (!exact)
        ck_assert_int_eq (fadj_graph_status (g), FADJ_UNDECIDED);
      else
        {
          ck_assert_int_eq (fadj_graph_status (g), FADJ_OK);
          test_assert_q (fadj_graph_value (g, b), "0");
        }
      fadj_graph_free (g);
    }
  fadj_num_clear (third);
  mpq_clears (q, zero, NULL);
}
END_TEST

/* The new primitives against MPFR: erf (derivative 2/sqrt(pi) e^{-x^2}),
   sqrt (1/(2 sqrt x)) and the piecewise node (its derivative goes to the
   branch taken, none to the condition).  */
START_TEST (test_erf_sqrt)
{
  fadj_graph *g = fadj_graph_new (&interval);
  mpq_t q;
  mpfr_t t, v, d;
  fadj_node x, e, r;

  mpq_init (q);
  mpfr_inits2 (200, t, v, d, (mpfr_ptr) 0);
  q_of (q, "-3/4");
  mpfr_set_q (t, q, MPFR_RNDN);          /* -0.75 is dyadic: exact */
  x = fadj_graph_leaf (g, q);
  e = fadj_graph_erf (g, x);
  ck_assert_int_eq (fadj_graph_reverse (g, e), FADJ_OK);
  mpfr_erf (v, t, MPFR_RNDN);
  assert_encloses (fadj_graph_value (g, e), v);
  mpfr_sqr (d, t, MPFR_RNDN);
  mpfr_neg (d, d, MPFR_RNDN);
  mpfr_exp (d, d, MPFR_RNDN);
  mpfr_const_pi (v, MPFR_RNDN);
  mpfr_sqrt (v, v, MPFR_RNDN);
  mpfr_div (d, d, v, MPFR_RNDN);
  mpfr_mul_2ui (d, d, 1, MPFR_RNDN);
  assert_encloses (fadj_graph_adjoint (g, x), d);

  q_of (q, "3");
  x = fadj_graph_leaf (g, q);
  r = fadj_graph_sqrt (g, x);
  ck_assert_int_eq (fadj_graph_reverse (g, r), FADJ_OK);
  mpfr_sqrt_ui (v, 3, MPFR_RNDN);
  assert_encloses (fadj_graph_value (g, r), v);
  mpfr_mul_2ui (d, v, 1, MPFR_RNDN);
  mpfr_ui_div (d, 1, d, MPFR_RNDN);
  assert_encloses (fadj_graph_adjoint (g, x), d);
  /* sqrt 0 would need 1/0 in its derivative: a domain error.  */
  fadj_graph_sqrt (g, fadj_graph_const_si (g, 0));
  ck_assert_int_eq (fadj_graph_status (g), FADJ_ERR_DOMAIN);
  fadj_graph_free (g);
  mpfr_clears (t, v, d, (mpfr_ptr) 0);
  mpq_clear (q);
}
END_TEST

/* where(c, a, b) = c > 0 ? a : b, at c < 0, c = 0 (the else branch),
   c > 0: value, and derivatives 1 to the branch taken, 0 elsewhere.
   A table of strings, like check_trace.c's act_rows: alike in shape,
   each the data of its own test.  */
static const struct
{
  const char *c, *value, *da, *db;
} where_rows[] = {
  { "1/3", "2", "1", "0" },
  { "0", "5", "0", "1" },
  { "-1", "5", "0", "1" },
};

START_TEST (test_where)
{
  fadj_graph *g = fadj_graph_new (&exact);
  mpq_t q;
  fadj_node c, a, b, f;

  mpq_init (q);
  q_of (q, where_rows[_i].c);
  c = fadj_graph_leaf (g, q);
  q_of (q, "2");
  a = fadj_graph_leaf (g, q);
  q_of (q, "5");
  b = fadj_graph_leaf (g, q);
  f = fadj_graph_where (g, c, a, b);
  test_assert_q (fadj_graph_value (g, f), where_rows[_i].value);
  ck_assert_int_eq (fadj_graph_reverse (g, f), FADJ_OK);
  test_assert_q (fadj_graph_adjoint (g, a), where_rows[_i].da);
  test_assert_q (fadj_graph_adjoint (g, b), where_rows[_i].db);
  test_assert_q (fadj_graph_adjoint (g, c), "0");
  mpq_clear (q);
  fadj_graph_free (g);
}
END_TEST

/* The rational activations built from primitives, exactly, with the
   conventions of fadj-net(5): softsign(x) = x/(1+|x|), softsign' =
   1/(1+|x|)^2 (1 at 0); hardtanh clamps, hardtanh'(+-1) = 0.  */
static const struct
{
  fadj_act_kind k;
  const char *x, *value, *deriv;
} rational_act_rows[] = {
  { FADJ_ACT_SOFTSIGN, "1/2", "1/3", "4/9" },
  { FADJ_ACT_SOFTSIGN, "-3/2", "-3/5", "4/25" },
  { FADJ_ACT_SOFTSIGN, "0", "0", "1" },
  { FADJ_ACT_HARDTANH, "1/2", "1/2", "1" },
  { FADJ_ACT_HARDTANH, "-3/2", "-1", "0" },
  { FADJ_ACT_HARDTANH, "7", "1", "0" },
  { FADJ_ACT_HARDTANH, "1", "1", "0" },
  { FADJ_ACT_HARDTANH, "-1", "-1", "0" },
};

START_TEST (test_rational_activations)
{
  fadj_graph *g = fadj_graph_new (&exact);
  fadj_node n = leaf_q (g, rational_act_rows[_i].x);
  mpq_t zero;

  mpq_init (zero);
  check_value_deriv (g, n, fadj_graph_activation (g, rational_act_rows[_i].k,
                                                  zero, n),
                     rational_act_rows[_i].value,
                     rational_act_rows[_i].deriv);
  mpq_clear (zero);
  fadj_graph_free (g);
}
END_TEST

/* softmax as exp / sum of exps: values and the Jacobian's row through
   reverse mode, d s_0 / d a_j = s_0 (delta_0j - s_j), against MPFR.  */
/* ln (1 - X) tightened with X's own value, X a node of the same graph
   (loss.c's log_complement_output): pushing the log node may move the
   graph's values, X's among them, so the tightening must not read X
   where it was (a use after free under valgrind and ASan, at whichever
   size the push reallocates: every size up to a few hundred nodes).  */
START_TEST (test_log_complement_own_value)
{
  mpq_t q;
  mpfr_t r;
  size_t n, i;

  mpq_init (q);
  mpfr_init2 (r, 200);
  mpfr_set_ui (r, 3, MPFR_RNDN);
  mpfr_div_ui (r, r, 4, MPFR_RNDN);
  mpfr_log (r, r, MPFR_RNDN);           /* ln (1 - 1/4) */
  for (n = 1; n <= 600; n++)
    {
      fadj_graph *g = fadj_graph_new (&interval);
      fadj_num_t v;
      fadj_node x = 0, a;

      fadj_num_init (v, &interval);
      mpq_set_ui (q, 1, 4);
      fadj_num_set_q (v, q);
      for (i = 0; i < n; i++)
        x = fadj_graph_leaf_num (g, v);
      a = fadj_graph_sub (g, fadj_graph_const_si (g, 1), x);
      a = fadj_graph_log_complement (g, a, fadj_graph_value (g, x));
      ck_assert_int_eq (fadj_graph_status (g), FADJ_OK);
      assert_encloses (fadj_graph_value (g, a), r);
      fadj_num_clear (v);
      fadj_graph_free (g);
    }
  mpfr_clear (r);
  mpq_clear (q);
}
END_TEST

START_TEST (test_softmax)
{
  fadj_graph *g = fadj_graph_new (&interval);
  mpq_t q, zero;
  fadj_node a[3], out[3];
  mpfr_t e[3], sum, s0, sj, d;
  int j;

  mpq_inits (q, zero, NULL);
  mpfr_inits2 (200, e[0], e[1], e[2], sum, s0, sj, d, (mpfr_ptr) 0);
  for (j = 0; j < 3; j++)
    {
      mpq_set_si (q, j - 1, 2);         /* -1/2, 0, 1/2 */
      a[j] = fadj_graph_leaf (g, q);
      mpfr_set_q (e[j], q, MPFR_RNDN);
      mpfr_exp (e[j], e[j], MPFR_RNDN);
    }
  fadj_graph_activation_vec (g, out, FADJ_ACT_SOFTMAX, zero, 3, a);
  ck_assert_int_eq (fadj_graph_status (g), FADJ_OK);
  mpfr_add (sum, e[0], e[1], MPFR_RNDN);
  mpfr_add (sum, sum, e[2], MPFR_RNDN);
  mpfr_div (s0, e[0], sum, MPFR_RNDN);
  assert_encloses (fadj_graph_value (g, out[0]), s0);
  ck_assert_int_eq (fadj_graph_reverse (g, out[0]), FADJ_OK);
  for (j = 0; j < 3; j++)
    {
      mpfr_div (sj, e[j], sum, MPFR_RNDN);
      mpfr_mul (d, s0, sj, MPFR_RNDN);
      mpfr_neg (d, d, MPFR_RNDN);
      if (j == 0)
        mpfr_add (d, d, s0, MPFR_RNDN);
      assert_encloses (fadj_graph_adjoint (g, a[j]), d);
    }
  mpfr_clears (e[0], e[1], e[2], sum, s0, sj, d, (mpfr_ptr) 0);
  mpq_clears (q, zero, NULL);
  fadj_graph_free (g);
}
END_TEST

/* A leaf that is the caller's number itself (fadj_graph_leaf_ref), in
   both domains: out = x w + w 0 at x = 1/3 (an interval leaf in the
   interval graph), w = -3/10 (the borrowed exact leaf).  By hand:
   out = -1/10, dout/dw = x + 0 = 1/3, dout/dx = w = -3/10.  The product
   with the exact 0 adds an exact 0 into w's adjoint (num.c's mixed
   path, which must leave the adjoint its own endpoints: an interval
   graph's adjoints live in its arena).  Two sweeps (the second resets
   the adjoints), and W itself unchanged after the graph is freed.  */
START_TEST (test_leaf_ref)
{
  const fadj_ctx *ctx = _i == 0 ? &exact : &interval;
  fadj_graph *g = fadj_graph_new (ctx);
  fadj_num_t w, x;
  fadj_node lx, lw, out;
  mpq_t q;
  mpfr_t r;
  int sweep;

  mpq_init (q);
  mpfr_init2 (r, 200);
  fadj_num_init (w, &exact);
  q_of (q, "-3/10");
  fadj_num_set_exact (w, q);
  fadj_num_init (x, ctx);
  q_of (q, "1/3");
  fadj_num_set_q (x, q);
  lx = fadj_graph_leaf_num (g, x);
  lw = fadj_graph_leaf_ref (g, w);
  out = fadj_graph_add (g, fadj_graph_dot (g, 1, &lx, &lw),
                        fadj_graph_mul (g, lw, fadj_graph_const_si (g, 0)));
  ck_assert_int_eq (fadj_graph_status (g), FADJ_OK);
  ck_assert (FADJ_NUM_EXACT_P (fadj_graph_value (g, lw)));
  ck_assert (mpq_equal (FADJ_NUM_Q (fadj_graph_value (g, lw)),
                        FADJ_NUM_Q (w)));
  for (sweep = 0; sweep < 2; sweep++)
    {
      ck_assert_int_eq (fadj_graph_reverse (g, out), FADJ_OK);
      if (_i == 0)
        {
          q_of (q, "1/3");
          ck_assert (mpq_equal (FADJ_NUM_Q (fadj_graph_adjoint (g, lw)), q));
          q_of (q, "-3/10");
          ck_assert (mpq_equal (FADJ_NUM_Q (fadj_graph_adjoint (g, lx)), q));
          q_of (q, "-1/10");
          ck_assert (mpq_equal (FADJ_NUM_Q (fadj_graph_value (g, out)), q));
        }
      else
        {
          mpfr_set_ui (r, 1, MPFR_RNDN);
          mpfr_div_ui (r, r, 3, MPFR_RNDN);
          assert_encloses (fadj_graph_adjoint (g, lw), r);
          mpfr_set_si (r, -3, MPFR_RNDN);
          mpfr_div_ui (r, r, 10, MPFR_RNDN);
          assert_encloses (fadj_graph_adjoint (g, lx), r);
          mpfr_set_si (r, -1, MPFR_RNDN);
          mpfr_div_ui (r, r, 10, MPFR_RNDN);
          assert_encloses (fadj_graph_value (g, out), r);
        }
    }
  fadj_graph_free (g);
  q_of (q, "-3/10");
  ck_assert (mpq_equal (FADJ_NUM_Q (w), q));
  fadj_num_clear (w);
  fadj_num_clear (x);
  mpfr_clear (r);
  mpq_clear (q);
}
END_TEST

/* A dot node's exact terms (graph.c's exact_dot, over a common
   denominator): denominators that do not divide each other (3, 7, 6, 4,
   10 against 5, 2, 10, 9, 3), an exact 0 weight beside an interval, then
   an interval term.  By hand (Python's fractions): the six products sum
   to -41/20 with B[3] = 11/13; the first five to -11/20 whatever B[3]
   (its weight is 0); with B[3] = [1/3] and B[5] = [2/3] intervals, all
   six to -23/20.  */
START_TEST (test_exact_dot)
{
  static const char *const as[] = { "1/3", "-2/7", "5/6", "0", "3/4",
                                    "-9/10" };
  static const char *const bs[] = { "3/5", "7/2", "-1/10", "11/13", "4/9",
                                    "5/3" };
  fadj_graph *ge = fadj_graph_new (&exact), *gi = fadj_graph_new (&interval);
  fadj_node ae[6], be[6], ai[6], bi[6], de, d5, d6;
  fadj_num_t v;
  mpq_t q;
  mpfr_t r;
  int i;

  mpq_init (q);
  mpfr_init2 (r, 200);
  fadj_num_init (v, &interval);
  for (i = 0; i < 6; i++)
    {
      q_of (q, as[i]);
      ae[i] = fadj_graph_leaf (ge, q);
      ai[i] = fadj_graph_leaf (gi, q);
      q_of (q, bs[i]);
      be[i] = fadj_graph_leaf (ge, q);
      bi[i] = fadj_graph_leaf (gi, q);
    }
  q_of (q, "1/3");
  fadj_num_set_q (v, q);
  bi[3] = fadj_graph_leaf_num (gi, v);
  q_of (q, "2/3");
  fadj_num_set_q (v, q);
  bi[5] = fadj_graph_leaf_num (gi, v);
  de = fadj_graph_dot (ge, 6, ae, be);
  d5 = fadj_graph_dot (gi, 5, ai, bi);
  d6 = fadj_graph_dot (gi, 6, ai, bi);
  ck_assert_int_eq (fadj_graph_status (ge), FADJ_OK);
  ck_assert_int_eq (fadj_graph_status (gi), FADJ_OK);
  q_of (q, "-41/20");
  ck_assert (mpq_equal (FADJ_NUM_Q (fadj_graph_value (ge, de)), q));
  ck_assert (FADJ_NUM_EXACT_P (fadj_graph_value (gi, d5)));
  q_of (q, "-11/20");
  ck_assert (mpq_equal (FADJ_NUM_Q (fadj_graph_value (gi, d5)), q));
  mpfr_set_si (r, -23, MPFR_RNDN);
  mpfr_div_ui (r, r, 20, MPFR_RNDN);
  assert_encloses (fadj_graph_value (gi, d6), r);
  fadj_num_clear (v);
  mpfr_clear (r);
  mpq_clear (q);
  fadj_graph_free (ge);
  fadj_graph_free (gi);
}
END_TEST

/* Leaves of compact weights (fadj_graph_leaf_ratio): K / DEN in lowest
   terms whatever the common denominator, a 0 as 0/1, and used like any
   exact leaf: out = w0 x0 + w1 x1 + w2 x2 at W = (-750/500, 0/1000,
   7/21) = (-3/2, 0, 1/3), X = (1/3, 5, 2) intervals (enclosures of exact
   values): out = -1/2 + 0 + 2/3 = 1/6, d out / d x_i = w_i, d out /
   d w_i = x_i (by hand); and (2^62 - 1)/3 is the integer
   1537228672809129301 (Python).  */
START_TEST (test_leaf_ratio)
{
  static const char *const xs[] = { "1/3", "5", "2" };
  const int64_t ks[] = { -750, 0, 7 };
  const uint64_t dens[] = { 500, 1000, 21 };
  static const char *const ws[] = { "-3/2", "0", "1/3" };
  fadj_graph *g = fadj_graph_new (&interval);
  fadj_node x[3], w[3], out, big;
  fadj_num_t v;
  mpq_t q;
  mpfr_t r;
  int i;

  mpq_init (q);
  mpfr_init2 (r, 200);
  fadj_num_init (v, &interval);
  for (i = 0; i < 3; i++)
    {
      q_of (q, xs[i]);
      fadj_num_set_q (v, q);
      x[i] = fadj_graph_leaf_num (g, v);
      w[i] = fadj_graph_leaf_ratio (g, ks[i], dens[i]);
    }
  out = fadj_graph_dot (g, 3, x, w);
  big = fadj_graph_leaf_ratio (g, INT64_C (4611686018427387903), 3);
  ck_assert_int_eq (fadj_graph_status (g), FADJ_OK);
  q_of (q, "1537228672809129301");
  ck_assert (mpq_equal (FADJ_NUM_Q (fadj_graph_value (g, big)), q));
  for (i = 0; i < 3; i++)
    {
      fadj_num_srcptr wv = fadj_graph_value (g, w[i]);
      q_of (q, ws[i]);
      ck_assert (FADJ_NUM_EXACT_P (wv));
      ck_assert (mpq_equal (FADJ_NUM_Q (wv), q));
      ck_assert (mpz_cmp (mpq_numref (FADJ_NUM_Q (wv)), mpq_numref (q)) == 0
                 && mpz_cmp (mpq_denref (FADJ_NUM_Q (wv)),
                             mpq_denref (q)) == 0);
    }
  ck_assert_int_eq (fadj_graph_reverse (g, out), FADJ_OK);
  q_of (q, "1/6");
  mpfr_set_q (r, q, MPFR_RNDN);
  assert_encloses (fadj_graph_value (g, out), r);
  for (i = 0; i < 3; i++)
    {
      q_of (q, ws[i]);
      if (i == 1)
        ck_assert (fadj_num_zero_p (fadj_graph_adjoint (g, x[i])));
      else
        {
          mpfr_set_q (r, q, MPFR_RNDN);
          assert_encloses (fadj_graph_adjoint (g, x[i]), r);
        }
      q_of (q, xs[i]);
      mpfr_set_q (r, q, MPFR_RNDN);
      assert_encloses (fadj_graph_adjoint (g, w[i]), r);
    }
  fadj_num_clear (v);
  mpfr_clear (r);
  mpq_clear (q);
  fadj_graph_free (g);
}
END_TEST

/* The tests as a test_main table (test-common.h), the shape every
   check_*.c main has, check_decimal.c's among them.  */
int
main (void)
{
  const test_entry tests[] = {
    TEST_CASE ("arithmetic"),
    TEST_ONCE (test_rational_ops),
    TEST_ONCE (test_graph_forward),
    TEST_ONCE (test_dot_sum_square),
    TEST_ONCE (test_dot_intervals),
    TEST_ONCE (test_domain_errors),
    TEST_CASE ("leaky"),
    TEST_EACH (test_leaky, leaky_rows),
    TEST_CASE ("activations"),
    TEST_EACH (test_activation_intervals, act_points),
    TEST_ONCE (test_undecided_sign),
    TEST_ONCE (test_erf_sqrt),
    TEST_EACH (test_where, where_rows),
    TEST_EACH (test_rational_activations, rational_act_rows),
    TEST_ONCE (test_softmax),
    TEST_ONCE (test_log_complement_own_value),
    TEST_CASE ("leaf_ref"),
    TEST_LOOP (test_leaf_ref, 2),
    TEST_ONCE (test_exact_dot),
    TEST_ONCE (test_leaf_ratio),
  };

  return test_main ("graph", tests, sizeof tests / sizeof tests[0]);
}
