/* check_trace.c -- the F-propagation, the two-step rule, the gradients and
   the verification, on networks whose values are known independently:
   Boughammoura's A[2,2,1] example (values published with the paper's
   notebook, see shared math notes) and small rational networks worked by
   hand in the comments below.  */

#include "test-common.h"

#include <string.h>

static fadj_net *
parse (const char *text)
{
  fadj_net *net = NULL;
  fadj_error err;
  fadj_status st = fadj_net_parse (&net, &err, text, strlen (text));
  ck_assert_msg (st == FADJ_OK, "parse: %ld:%ld: %s", err.line, err.col,
                 err.msg);
  return net;
}

/* X rounds to the decimal EXPECTED at its number of significant digits:
   |X - EXPECTED| <= 1/2 unit in its last place, for every point of X.  */
static void
assert_digits (fadj_num_srcptr x, const char *expected)
{
  mpq_t e, half;
  mpfi_t d;
  mpfr_t m;
  char buf[128], *q = buf;
  const char *p;
  long frac = 0;
  int after_point = 0;

  /* EXPECTED is [-]digits.digits: as an exact rational e = digits/10^frac,
     and the half unit of its last place 1/(2 10^frac).  */
  for (p = expected; *p && q < buf + sizeof buf - 1; p++)
    if (*p == '.')
      after_point = 1;
    else
      {
        *q++ = *p;
        frac += after_point;
      }
  *q = '\0';
  mpq_inits (e, half, NULL);
  mpz_set_str (mpq_numref (e), buf, 10);
  mpz_ui_pow_ui (mpq_denref (e), 10, frac);
  mpq_canonicalize (e);
  mpz_set_ui (mpq_numref (half), 1);
  mpz_ui_pow_ui (mpq_denref (half), 10, frac);
  mpz_mul_ui (mpq_denref (half), mpq_denref (half), 2);

  mpfi_init2 (d, 256);
  mpfr_init2 (m, 256);
  if (x->domain == FADJ_EXACT)
    mpfi_set_q (d, &x->u.q);
  else
    mpfi_set (d, &x->u.i);
  mpfi_sub_q (d, d, e);
  mpfi_mag (m, d);
  ck_assert_msg (mpfr_cmp_q (m, half) <= 0, "value is not %s to %ld decimals",
                 expected, frac);
  mpfi_clear (d);
  mpfr_clear (m);
  mpq_clears (e, half, NULL);
}

static void
assert_q (fadj_num_srcptr x, const char *expected)
{
  mpq_t e;
  mpq_init (e);
  mpq_set_str (e, expected, 10);
  mpq_canonicalize (e);
  ck_assert_int_eq (x->domain, FADJ_EXACT);
  ck_assert_msg (mpq_equal (&x->u.q, e), "expected %s", expected);
  mpq_clear (e);
}

static const char a221[] =
  "input [0, 0]\n target [1]\n"
  "layer sigmoid\n weights [1 -1; -1 1]\n bias [1, -1]\n"
  "layer sigmoid\n weights [1 -1]\n bias [1]\n"
  "loss half_squared\n";

/* Boughammoura's A[2,2,1]: the values of the shared math notes.  */
START_TEST (test_boughammoura)
{
  fadj_net *net = parse (a221);
  fadj_ctx ctx = { FADJ_INTERVAL, 128 };
  fadj_trace *t;

  ck_assert_int_eq (fadj_net_domain (net), FADJ_INTERVAL);
  ck_assert_int_eq (fadj_trace_compute (&t, net, &ctx), FADJ_OK);
  assert_digits (FADJ_MAT (t->Y + 1, 0, 0), "1.00000");
  assert_digits (FADJ_MAT (t->Y + 1, 1, 0), "-1.00000");
  assert_digits (FADJ_MAT (t->X + 1, 0, 0), "0.731059");
  assert_digits (FADJ_MAT (t->X + 1, 1, 0), "0.268941");
  assert_digits (FADJ_MAT (t->Y + 2, 0, 0), "1.46212");
  assert_digits (FADJ_MAT (t->X + 2, 0, 0), "0.811856");
  assert_digits (t->J, "0.0176990");
  assert_digits (FADJ_MAT (t->xs + 2, 0, 0), "-0.188144");
  assert_digits (FADJ_MAT (t->ys + 2, 0, 0), "-0.0287381");
  assert_digits (FADJ_MAT (t->xs + 1, 0, 0), "-0.0287381");
  assert_digits (FADJ_MAT (t->xs + 1, 1, 0), "0.0287381");
  assert_digits (FADJ_MAT (t->ys + 1, 0, 0), "-0.00565026");
  assert_digits (FADJ_MAT (t->ys + 1, 1, 0), "0.00565026");
  assert_digits (FADJ_MAT (t->xs + 0, 0, 0), "-0.0113005");
  assert_digits (FADJ_MAT (t->xs + 0, 1, 0), "0.0113005");
  assert_digits (FADJ_MAT (t->grad + 2, 0, 0), "-0.0210093");
  assert_digits (FADJ_MAT (t->grad + 2, 0, 1), "-0.00772888");
  assert_digits (FADJ_MAT (t->grad + 2, 0, 2), "-0.0287381");
  /* dJ/dW^1 = [0 0 -0.00565026; 0 0 0.00565026]: X^0 = 0 exactly.  */
  ck_assert (fadj_num_zero_p (FADJ_MAT (t->grad + 1, 0, 0)));
  ck_assert (fadj_num_zero_p (FADJ_MAT (t->grad + 1, 1, 1)));
  assert_digits (FADJ_MAT (t->grad + 1, 0, 2), "-0.00565026");
  assert_digits (FADJ_MAT (t->grad + 1, 1, 2), "0.00565026");
  ck_assert (t->check.agree);
  /* 6 weight-gradient entries + 3, Y_* 2 + 1, X_* 1 + 2 + 2.  */
  ck_assert_uint_eq (t->check.compared, 9 + 3 + 5);
  fadj_trace_free (t);
  fadj_net_free (net);
}
END_TEST

/* A rational A[2,2,1] worked by hand:
   x = (1, 2), W^1 = [1 -1; 1/2 1], b^1 = (0, -1), relu;
   W^2 = [2 -3], b^2 = 1/2, identity; y = 1, half_squared.
   Y^1 = (1 - 2, 1/2 + 2 - 1) = (-1, 3/2); X^1 = (0, 3/2);
   Y^2 = 0 - 9/2 + 1/2 = -4 = X^2; J = (1/2)(-5)^2 = 25/2;
   X^2_* = -5 = Y^2_*; X^1_* = (2, -3)(-5) = (-10, 15);
   Y^1_* = (-10 * 0, 15 * 1) = (0, 15);
   X^0_* = (1 * 0 + 1/2 * 15, -1 * 0 + 1 * 15) = (15/2, 15);
   dJ/dW^2 = -5 (0, 3/2, 1) = (0, -15/2, -5);
   dJ/dW^1 = (0, 15)^T (1, 2, 1) = [0 0 0; 15 30 15].  */
static const char rational[] =
  "input [1 2]\n target [1]\n"
  "layer relu\n weights [1 -1; 1/2 1]\n bias [0 -1]\n"
  "layer identity\n weights [2 -3]\n bias [0.5]\n"
  "loss half_squared\n";

START_TEST (test_rational_exact)
{
  fadj_net *net = parse (rational);
  fadj_ctx ctx = { FADJ_EXACT, 0 };
  fadj_trace *t;

  ck_assert_int_eq (fadj_net_domain (net), FADJ_EXACT);
  ck_assert_int_eq (fadj_trace_compute (&t, net, &ctx), FADJ_OK);
  assert_q (FADJ_MAT (t->Y + 1, 0, 0), "-1");
  assert_q (FADJ_MAT (t->Y + 1, 1, 0), "3/2");
  assert_q (FADJ_MAT (t->X + 1, 0, 0), "0");
  assert_q (FADJ_MAT (t->X + 2, 0, 0), "-4");
  assert_q (t->J, "25/2");
  assert_q (FADJ_MAT (t->xs + 2, 0, 0), "-5");
  assert_q (FADJ_MAT (t->xs + 1, 0, 0), "-10");
  assert_q (FADJ_MAT (t->xs + 1, 1, 0), "15");
  assert_q (FADJ_MAT (t->dsig + 1, 0, 0), "0");
  assert_q (FADJ_MAT (t->ys + 1, 0, 0), "0");
  assert_q (FADJ_MAT (t->ys + 1, 1, 0), "15");
  assert_q (FADJ_MAT (t->xs + 0, 0, 0), "15/2");
  assert_q (FADJ_MAT (t->xs + 0, 1, 0), "15");
  assert_q (FADJ_MAT (t->grad + 2, 0, 0), "0");
  assert_q (FADJ_MAT (t->grad + 2, 0, 1), "-15/2");
  assert_q (FADJ_MAT (t->grad + 2, 0, 2), "-5");
  assert_q (FADJ_MAT (t->grad + 1, 0, 0), "0");
  assert_q (FADJ_MAT (t->grad + 1, 0, 2), "0");
  assert_q (FADJ_MAT (t->grad + 1, 1, 0), "15");
  assert_q (FADJ_MAT (t->grad + 1, 1, 1), "30");
  assert_q (FADJ_MAT (t->grad + 1, 1, 2), "15");
  ck_assert (t->check.agree);
  fadj_trace_free (t);
  fadj_net_free (net);
}
END_TEST

/* relu'(0) = 0 and leaky_relu'(0) = a, through both methods: a hidden
   neuron whose Y is exactly 0.  x = 1, W^1 = [0], no bias, output
   identity with W^2 = [3], y = 1, squared loss: X^2 = 3 sigma(0) ...
   with relu: X^2 = 0, seed 2(0 - 1) = -2, Y^2_* = -2, X^1_* = -6,
   Y^1_* = -6 * relu'(0) = 0.  With leaky_relu(1/4): X^1 = 0 too,
   Y^1_* = -6 / 4 = -3/2, dJ/dW^1 = -3/2 * x = -3/2.  */
START_TEST (test_kink_conventions)
{
  const char *relu =
    "input [1]\n target [1]\n layer relu\n weights [0]\n"
    "layer identity\n weights [3]\n loss squared\n";
  const char *leaky =
    "input [1]\n target [1]\n layer leaky_relu(1/4)\n weights [0]\n"
    "layer identity\n weights [3]\n loss squared\n";
  fadj_ctx ctx = { FADJ_EXACT, 0 };
  fadj_net *net;
  fadj_trace *t;

  net = parse (relu);
  ck_assert_int_eq (fadj_trace_compute (&t, net, &ctx), FADJ_OK);
  assert_q (FADJ_MAT (t->xs + 2, 0, 0), "-2");
  assert_q (FADJ_MAT (t->xs + 1, 0, 0), "-6");
  assert_q (FADJ_MAT (t->ys + 1, 0, 0), "0");
  ck_assert (t->check.agree);
  fadj_trace_free (t);
  fadj_net_free (net);

  net = parse (leaky);
  ck_assert_int_eq (fadj_trace_compute (&t, net, &ctx), FADJ_OK);
  assert_q (FADJ_MAT (t->ys + 1, 0, 0), "-3/2");
  assert_q (FADJ_MAT (t->grad + 1, 0, 0), "-3/2");
  ck_assert (t->check.agree);
  fadj_trace_free (t);
  fadj_net_free (net);
}
END_TEST

/* The verification must catch a wrong two-step result wherever it is:
   corrupt one entry of each kind and check the reported location.  */
static const struct
{
  int domain;
  fadj_quantity what;
  size_t layer, row, col;
} corrupt_rows[] = {
  { FADJ_EXACT, FADJ_Q_GRADIENT, 1, 1, 2 },
  { FADJ_EXACT, FADJ_Q_GRADIENT, 2, 0, 1 },
  { FADJ_EXACT, FADJ_Q_Y_STAR, 1, 0, 0 },
  { FADJ_EXACT, FADJ_Q_X_STAR, 0, 1, 0 },
  { FADJ_INTERVAL, FADJ_Q_GRADIENT, 2, 0, 0 },
  { FADJ_INTERVAL, FADJ_Q_X_STAR, 2, 0, 0 },
  { FADJ_INTERVAL, FADJ_Q_Y_STAR, 2, 0, 0 },
};

START_TEST (test_verify_catches)
{
  fadj_net *net = parse (corrupt_rows[_i].domain == FADJ_EXACT
                         ? rational : a221);
  fadj_ctx ctx = { corrupt_rows[_i].domain, 128 };
  fadj_trace *t;
  fadj_check c;
  fadj_mat *m;
  fadj_num_t delta;

  ck_assert_int_eq (fadj_trace_compute (&t, net, &ctx), FADJ_OK);
  ck_assert (t->check.agree);
  m = corrupt_rows[_i].what == FADJ_Q_GRADIENT ? t->grad
      : corrupt_rows[_i].what == FADJ_Q_Y_STAR ? t->ys : t->xs;
  m += corrupt_rows[_i].layer;
  /* Off by 2^-60: far below 6 printed digits, far above 128-bit width. */
  fadj_num_init (delta, &ctx);
  {
    mpq_t q;
    mpq_init (q);
    mpq_set_ui (q, 1, 1);
    mpq_div_2exp (q, q, 60);
    fadj_num_set_q (delta, q);
    mpq_clear (q);
  }
  fadj_num_add (FADJ_MAT (m, corrupt_rows[_i].row, corrupt_rows[_i].col),
                FADJ_MAT (m, corrupt_rows[_i].row, corrupt_rows[_i].col),
                delta);
  fadj_num_clear (delta);
  ck_assert_int_eq (fadj_trace_verify (&c, t), FADJ_OK);
  ck_assert (!c.agree);
  ck_assert_int_eq (c.what, corrupt_rows[_i].what);
  ck_assert_uint_eq (c.layer, corrupt_rows[_i].layer);
  ck_assert_uint_eq (c.row, corrupt_rows[_i].row);
  ck_assert_uint_eq (c.col, corrupt_rows[_i].col);
  fadj_trace_free (t);
  fadj_net_free (net);
}
END_TEST

/* tanh and softplus layers: sigma' from the closed forms (1 - X^2,
   logistic) must agree with the graph's derivation from exp/div/log.
   x = (1/2, -1), W^1 = [1 2; -1 1/2] tanh, W^2 = [1 -1] softplus.  */
START_TEST (test_tanh_softplus_agree)
{
  const char *text =
    "input [0.5 -1]\n target [0.25]\n"
    "layer tanh\n weights [1 2; -1 0.5]\n bias [0.1 0.2]\n"
    "layer softplus\n weights [1 -1]\n loss squared\n";
  fadj_net *net = parse (text);
  fadj_ctx ctx = { FADJ_INTERVAL, 200 };
  fadj_trace *t;
  mpfr_t ref;

  ck_assert_int_eq (fadj_trace_compute (&t, net, &ctx), FADJ_OK);
  ck_assert (t->check.agree);
  ck_assert_uint_eq (t->check.compared, 6 + 2 + 2 + 1 + 1 + 2 + 2);
  /* Y^1_1 = 1/2 - 2 + 1/10 = -7/5 exactly; X^1_1 = tanh(-7/5), by MPFR
     at 300 bits (error < 2^-300): the enclosure must be within 2^-150.  */
  mpfr_init2 (ref, 300);
  mpfr_set_si (ref, -7, MPFR_RNDN);
  mpfr_div_ui (ref, ref, 5, MPFR_RNDN);
  mpfr_tanh (ref, ref, MPFR_RNDN);
  {
    mpfi_t d;
    mpfr_t mag;
    mpfi_init2 (d, 300);
    mpfr_init2 (mag, 64);
    mpfi_sub_fr (d, &FADJ_MAT (t->X + 1, 0, 0)->u.i, ref);
    mpfi_mag (mag, d);
    ck_assert (mpfr_cmp_ui_2exp (mag, 1, -150) < 0);
    mpfi_clear (d);
    mpfr_clear (mag);
  }
  mpfr_clear (ref);
  fadj_trace_free (t);
  fadj_net_free (net);
}
END_TEST

static Suite *
trace_suite (void)
{
  Suite *s = suite_create ("trace");
  TCase *tc;

  tc = test_tcase ("fadjoint");
  tcase_add_test (tc, test_boughammoura);
  tcase_add_test (tc, test_rational_exact);
  tcase_add_test (tc, test_kink_conventions);
  tcase_add_test (tc, test_tanh_softplus_agree);
  suite_add_tcase (s, tc);
  tc = test_tcase ("verify");
  tcase_add_loop_test (tc, test_verify_catches, 0,
                       sizeof corrupt_rows / sizeof corrupt_rows[0]);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  test_memory_install ();
  return test_run (trace_suite ());
}
