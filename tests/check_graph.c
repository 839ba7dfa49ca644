/* check_graph.c -- the expression engine: evaluation of every node kind
   and generic reverse-mode derivatives, in both domains.  Expected values
   are derived by hand (rationals) or from MPFR's own functions
   (transcendentals), never from the engine.  */

#include "test-common.h"

#include <stdlib.h>

static const fadj_ctx exact = { FADJ_EXACT, 0 };
static const fadj_ctx interval = { FADJ_INTERVAL, 128 };

static void
assert_q (fadj_num_srcptr x, const char *expected)
{
  mpq_t e;
  mpq_init (e);
  ck_assert_int_eq (mpq_set_str (e, expected, 10), 0);
  mpq_canonicalize (e);
  ck_assert_int_eq (x->domain, FADJ_EXACT);
  ck_assert_msg (mpq_equal (&x->u.q, e), "expected %s", expected);
  mpq_clear (e);
}

/* X is an interval of width < 2^-100 containing the MPFR value R (computed
   at 200 bits, a few ulps from the truth, far below the width test).  */
static void
assert_encloses (fadj_num_srcptr x, mpfr_srcptr r)
{
  mpfr_t w;
  ck_assert_int_eq (x->domain, FADJ_INTERVAL);
  mpfr_init2 (w, 128);
  mpfi_diam_abs (w, &x->u.i);
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
    mpfi_get_left (lo, &x->u.i);
    mpfi_get_right (hi, &x->u.i);
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

/* f(x, y) = x*y + x/y - (-x) at x = 3, y = 4:
   f = 12 + 3/4 + 3 = 63/4, df/dx = y + 1/y + 1 = 21/4,
   df/dy = x - x/y^2 = 3 - 3/16 = 45/16.  */
START_TEST (test_rational_ops)
{
  fadj_graph *g = fadj_graph_new (&exact);
  mpq_t a, b;
  fadj_node x, y, f;

  mpq_inits (a, b, NULL);
  q_of (a, "3");
  q_of (b, "4");
  x = fadj_graph_leaf (g, a);
  y = fadj_graph_leaf (g, b);
  f = fadj_graph_add (g, fadj_graph_mul (g, x, y), fadj_graph_div (g, x, y));
  f = fadj_graph_sub (g, f, fadj_graph_neg (g, x));
  ck_assert_int_eq (fadj_graph_status (g), FADJ_OK);
  assert_q (fadj_graph_value (g, f), "63/4");
  ck_assert_int_eq (fadj_graph_reverse (g, f), FADJ_OK);
  assert_q (fadj_graph_adjoint (g, x), "21/4");
  assert_q (fadj_graph_adjoint (g, y), "45/16");
  mpq_clears (a, b, NULL);
  fadj_graph_free (g);
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
  assert_q (fadj_graph_value (g, f), "-10");
  ck_assert_int_eq (fadj_graph_reverse (g, f), FADJ_OK);
  assert_q (fadj_graph_adjoint (g, a[0]), "4");
  assert_q (fadj_graph_adjoint (g, a[1]), "6");
  assert_q (fadj_graph_adjoint (g, b[0]), "1/2");
  assert_q (fadj_graph_adjoint (g, b[1]), "-2");
  sq = fadj_graph_mul (g, b[1], b[1]);
  ck_assert_int_eq (fadj_graph_reverse (g, sq), FADJ_OK);
  assert_q (fadj_graph_value (g, sq), "25");
  assert_q (fadj_graph_adjoint (g, b[1]), "10");
  assert_q (fadj_graph_adjoint (g, b[0]), "0");
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

START_TEST (test_leaky)
{
  fadj_graph *g = fadj_graph_new (&exact);
  mpq_t x, s;
  fadj_node n, f;

  mpq_inits (x, s, NULL);
  q_of (x, leaky_rows[_i].x);
  q_of (s, leaky_rows[_i].slope);
  n = fadj_graph_leaf (g, x);
  f = fadj_graph_leaky (g, n, s);
  assert_q (fadj_graph_value (g, f), leaky_rows[_i].value);
  ck_assert_int_eq (fadj_graph_reverse (g, f), FADJ_OK);
  assert_q (fadj_graph_adjoint (g, n), leaky_rows[_i].deriv);
  mpq_clears (x, s, NULL);
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

/* An interval relu at a point whose sign the interval cannot decide asks
   for more precision rather than guessing.  */
START_TEST (test_undecided_sign)
{
  fadj_ctx lo = { FADJ_INTERVAL, 10 };
  fadj_graph *g = fadj_graph_new (&lo);
  mpq_t q, zero;
  fadj_node a, b;

  mpq_inits (q, zero, NULL);
  q_of (q, "1/3");
  a = fadj_graph_leaf (g, q);                    /* [1/3 - e, 1/3 + e'] */
  b = fadj_graph_mul (g, a, fadj_graph_const_si (g, 3));
  b = fadj_graph_sub (g, b, fadj_graph_const_si (g, 1));  /* contains 0 */
  fadj_graph_leaky (g, b, zero);
  ck_assert_int_eq (fadj_graph_status (g), FADJ_UNDECIDED);
  fadj_graph_free (g);
  mpq_clears (q, zero, NULL);
}
END_TEST

static Suite *
graph_suite (void)
{
  Suite *s = suite_create ("graph");
  TCase *tc;

  tc = test_tcase ("arithmetic");
  tcase_add_test (tc, test_rational_ops);
  tcase_add_test (tc, test_dot_sum_square);
  tcase_add_test (tc, test_domain_errors);
  suite_add_tcase (s, tc);
  tc = test_tcase ("leaky");
  tcase_add_loop_test (tc, test_leaky, 0,
                       sizeof leaky_rows / sizeof leaky_rows[0]);
  suite_add_tcase (s, tc);
  tc = test_tcase ("activations");
  tcase_add_loop_test (tc, test_activation_intervals, 0,
                       sizeof act_points / sizeof act_points[0]);
  tcase_add_test (tc, test_undecided_sign);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  test_memory_install ();
  return test_run (graph_suite ());
}
