/* check_trace.c -- the F-propagation, the two-step rule, the gradients and
   the verification, on networks whose values are known independently:
   Boughammoura's A[2,2,1] example (values published with the paper's
   notebook, see shared math notes) and small rational networks worked by
   hand in the comments below.  */

#include "test-common.h"

#include <string.h>

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
  if (FADJ_NUM_DOMAIN (x) == FADJ_EXACT)
    mpfi_set_q (d, FADJ_NUM_Q (x));
  else
    mpfi_set (d, FADJ_NUM_I (x));
  mpfi_sub_q (d, d, e);
  mpfi_mag (m, d);
  ck_assert_msg (mpfr_cmp_q (m, half) <= 0, "value is not %s to %ld decimals",
                 expected, frac);
  mpfi_clear (d);
  mpfr_clear (m);
  mpq_clears (e, half, NULL);
}

/* The quantities of a trace that the tests below look at.  */
typedef enum { Q_Y, Q_X, Q_DSIG, Q_YS, Q_XS, Q_GRAD, Q_J } quantity;

/* A value that a trace must hold: entry (I, J) of quantity Q of layer L
   (the loss for Q_J), and VALUE: a decimal that the entry rounds to
   (assert_digits) if VALUE has a decimal point, otherwise a rational
   that it equals.  */
typedef struct
{
  quantity q;
  size_t l, i, j;
  const char *value;
} expect;

/* T holds the N values E.  */
static void
check_values (const fadj_trace *t, const expect *e, size_t n)
{
  for (; n > 0; n--, e++)
    {
      const fadj_mat *m = e->q == Q_Y ? t->Y : e->q == Q_X ? t->X
                          : e->q == Q_DSIG ? t->dsig : e->q == Q_YS ? t->ys
                          : e->q == Q_XS ? t->xs : t->grad;
      fadj_num_srcptr x = e->q == Q_J ? t->J : FADJ_MAT (m + e->l, e->i,
                                                         e->j);
      if (strchr (e->value, '.') != NULL)
        assert_digits (x, e->value);
      else
        test_assert_q (x, e->value);
    }
}

/* The trace of the network TEXT in CTX, the network's own domain, which
   must compute, pass its verification and hold the N values E.  Returns
   it with its network in *NET, for more checks; the caller frees both.  */
static fadj_trace *
trace_check (fadj_net **net, const char *text, const fadj_ctx *ctx,
             const expect *e, size_t n)
{
  fadj_trace *t;

  *net = test_parse (text);
  ck_assert_int_eq (fadj_net_domain (*net), ctx->domain);
  ck_assert_int_eq (fadj_trace_compute (&t, *net, ctx), FADJ_OK);
  ck_assert (t->check.agree);
  check_values (t, e, n);
  return t;
}

/* trace_check, and nothing more to check.  */
static void
check_trace_values (const char *text, const fadj_ctx *ctx, const expect *e,
                    size_t n)
{
  fadj_net *net;

  fadj_trace_free (trace_check (&net, text, ctx, e, n));
  fadj_net_free (net);
}

static const char a221[] =
  "input [0, 0]\n target [1]\n"
  "layer sigmoid\n weights [1 -1; -1 1]\n bias [1, -1]\n"
  "layer sigmoid\n weights [1 -1]\n bias [1]\n"
  "loss half_squared\n";

/* Boughammoura's A[2,2,1]: the values of the shared math notes.  */
static const expect a221_values[] = {
  /* F-propagation and the loss.  */
  { Q_Y, 1, 0, 0, "1.00000" }, { Q_Y, 1, 1, 0, "-1.00000" },
  { Q_X, 1, 0, 0, "0.731059" }, { Q_X, 1, 1, 0, "0.268941" },
  { Q_Y, 2, 0, 0, "1.46212" }, { Q_X, 2, 0, 0, "0.811856" },
  { Q_J, 0, 0, 0, "0.0176990" },
  /* The F-adjoint, by the two-step rule.  */
  { Q_XS, 2, 0, 0, "-0.188144" }, { Q_YS, 2, 0, 0, "-0.0287381" },
  { Q_XS, 1, 0, 0, "-0.0287381" }, { Q_XS, 1, 1, 0, "0.0287381" },
  { Q_YS, 1, 0, 0, "-0.00565026" }, { Q_YS, 1, 1, 0, "0.00565026" },
  { Q_XS, 0, 0, 0, "-0.0113005" }, { Q_XS, 0, 1, 0, "0.0113005" },
  /* The gradients; dJ/dW^1 = [0 0 -0.00565026; 0 0 0.00565026] (X^0 =
     0 exactly, asserted apart).  */
  { Q_GRAD, 2, 0, 0, "-0.0210093" }, { Q_GRAD, 2, 0, 1, "-0.00772888" },
  { Q_GRAD, 2, 0, 2, "-0.0287381" }, { Q_GRAD, 1, 0, 2, "-0.00565026" },
  { Q_GRAD, 1, 1, 2, "0.00565026" },
};

START_TEST (test_boughammoura)
{
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 128 };
  fadj_net *net;
  fadj_trace *t = trace_check (&net, a221, &ctx, a221_values,
                               TEST_NROWS (a221_values));

  ck_assert (fadj_num_zero_p (FADJ_MAT (t->grad + 1, 0, 0)));
  ck_assert (fadj_num_zero_p (FADJ_MAT (t->grad + 1, 1, 1)));
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

static const expect rational_values[] = {
  /* F-propagation and the loss.  */
  { Q_Y, 1, 0, 0, "-1" }, { Q_Y, 1, 1, 0, "3/2" }, { Q_X, 1, 0, 0, "0" },
  { Q_X, 2, 0, 0, "-4" }, { Q_J, 0, 0, 0, "25/2" },
  /* The F-adjoint, by the two-step rule.  */
  { Q_XS, 2, 0, 0, "-5" }, { Q_XS, 1, 0, 0, "-10" },
  { Q_XS, 1, 1, 0, "15" }, { Q_DSIG, 1, 0, 0, "0" },
  { Q_YS, 1, 0, 0, "0" }, { Q_YS, 1, 1, 0, "15" },
  { Q_XS, 0, 0, 0, "15/2" }, { Q_XS, 0, 1, 0, "15" },
  /* The gradients.  */
  { Q_GRAD, 2, 0, 0, "0" }, { Q_GRAD, 2, 0, 1, "-15/2" },
  { Q_GRAD, 2, 0, 2, "-5" }, { Q_GRAD, 1, 0, 0, "0" },
  { Q_GRAD, 1, 0, 2, "0" }, { Q_GRAD, 1, 1, 0, "15" },
  { Q_GRAD, 1, 1, 1, "30" }, { Q_GRAD, 1, 1, 2, "15" },
};

START_TEST (test_rational_exact)
{
  fadj_ctx ctx = { .domain = FADJ_EXACT };

  check_trace_values (rational, &ctx, rational_values,
                      TEST_NROWS (rational_values));
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
  static const expect relu_values[] = {
    { Q_XS, 2, 0, 0, "-2" }, { Q_XS, 1, 0, 0, "-6" }, { Q_YS, 1, 0, 0, "0" },
  };
  static const expect leaky_values[] = {
    { Q_YS, 1, 0, 0, "-3/2" }, { Q_GRAD, 1, 0, 0, "-3/2" },
  };
  fadj_ctx ctx = { .domain = FADJ_EXACT };

  check_trace_values (relu, &ctx, relu_values, TEST_NROWS (relu_values));
  check_trace_values (leaky, &ctx, leaky_values, TEST_NROWS (leaky_values));
}
END_TEST

/* The verification must catch a wrong two-step result wherever it is:
   corrupt one entry of each kind and check the reported location; with
   COMPACT, on weights kept compact (FADJ_PARSE_COMPACT: the full
   check's leaves are then fadj_graph_leaf_ratio's, as in fadj-audit),
   decimals whose common denominator is not their own (1/2, 5/4).  */
static const char a221_decimals[] =
  "input [0, 0]\n target [1]\n"
  "layer sigmoid\n weights [0.5 -1.25; -1 0.750]\n bias [1, -1]\n"
  "layer sigmoid\n weights [1 -0.5]\n bias [1]\n"
  "loss half_squared\n";

static const struct
{
  int domain;
  fadj_quantity what;
  size_t layer, row, col;
  int compact;
} corrupt_rows[] = {
  { FADJ_EXACT, FADJ_Q_GRADIENT, 1, 1, 2, 0 },
  { FADJ_EXACT, FADJ_Q_GRADIENT, 2, 0, 1, 0 },
  { FADJ_EXACT, FADJ_Q_Y_STAR, 1, 0, 0, 0 },
  { FADJ_EXACT, FADJ_Q_X_STAR, 0, 1, 0, 0 },
  { FADJ_INTERVAL, FADJ_Q_GRADIENT, 2, 0, 0, 0 },
  { FADJ_INTERVAL, FADJ_Q_X_STAR, 2, 0, 0, 0 },
  { FADJ_INTERVAL, FADJ_Q_Y_STAR, 2, 0, 0, 0 },
  { FADJ_INTERVAL, FADJ_Q_GRADIENT, 1, 1, 0, 1 },
  { FADJ_INTERVAL, FADJ_Q_GRADIENT, 2, 0, 1, 1 },
  { FADJ_INTERVAL, FADJ_Q_X_STAR, 0, 1, 0, 1 },
};

START_TEST (test_verify_catches)
{
  fadj_net *net;
  fadj_ctx ctx = { .domain = corrupt_rows[_i].domain, .prec = 128 };
  fadj_trace *t;
  fadj_check c;
  fadj_mat *m;
  fadj_num_t delta;

  if (corrupt_rows[_i].compact)
    {
      fadj_error err;
      ck_assert_int_eq (fadj_net_parse_opts (&net, &err, a221_decimals,
                                             strlen (a221_decimals),
                                             FADJ_PARSE_COMPACT), FADJ_OK);
      ck_assert (fadj_net_compact_p (net));
    }
  else
    net = test_parse (corrupt_rows[_i].domain == FADJ_EXACT
                      ? rational : a221);
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
  fadj_net *net = test_parse (text);
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 200 };
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
    mpfi_sub_fr (d, FADJ_NUM_I (FADJ_MAT (t->X + 1, 0, 0)), ref);
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

/* The new activations at t = 1/2 and t = -3/2, in a 1-1 network (x = t,
   W = [1]), so X^1 = sigma(t) and sigma'(Y^1) = sigma'(t).  Expected
   values: tests/reference.py (float64, math.erf and math.expm1), to 12
   digits; the rational ones by hand.  */
static const struct
{
  const char *act, *t, *value, *deriv;
} act_rows[] = {
  { "elu", "-1.5", "-0.776869839852", "0.223130160148" },
  { "elu(0.5)", "-1.5", "-0.388434919926", "0.111565080074" },
  { "elu", "0.5", "0.500000000000", "1.00000000000" },
  { "gelu", "0.5", "0.345731230637", "0.867495124656" },
  { "gelu", "-1.5", "-0.100210801903", "-0.127469192230" },
  { "silu", "0.5", "0.311229665601", "0.739961187303" },
  { "silu", "-1.5", "-0.273638285710", "-0.0412941542991" },
  { "softsign", "0.5", "1/3", "4/9" },
  { "softsign", "-1.5", "-3/5", "4/25" },
  { "hardtanh", "0.5", "1/2", "1" },
  { "hardtanh", "-1.5", "-1", "0" },
};

START_TEST (test_activations)
{
  char text[256];
  fadj_net *net;
  fadj_ctx ctx;
  fadj_trace *t;

  snprintf (text, sizeof text, "input [%s] target [0] layer %s weights [1] "
            "loss half_squared", act_rows[_i].t, act_rows[_i].act);
  net = test_parse (text);
  ctx.domain = fadj_net_domain (net);
  ctx.prec = 128;
  ck_assert_int_eq (fadj_trace_compute (&t, net, &ctx), FADJ_OK);
  ck_assert (t->check.agree);
  if (ctx.domain == FADJ_EXACT)
    {
      test_assert_q (FADJ_MAT (t->X + 1, 0, 0), act_rows[_i].value);
      test_assert_q (FADJ_MAT (t->dsig + 1, 0, 0), act_rows[_i].deriv);
    }
  else
    {
      assert_digits (FADJ_MAT (t->X + 1, 0, 0), act_rows[_i].value);
      assert_digits (FADJ_MAT (t->dsig + 1, 0, 0), act_rows[_i].deriv);
    }
  fadj_trace_free (t);
  fadj_net_free (net);
}
END_TEST

/* Losses, by hand.  One output x = 1/4 (identity of the input), y = 1:
   mean_squared over N = 2 outputs (1/4, 3/4) with y = (1, 0):
     J = ((3/4)^2 + (3/4)^2)/2 = 9/16, seed 2(x - y)/2 = (-3/4, 3/4);
   cross_entropy at x = 1/4, y = 1: J = -ln(1/4) = 1.38629436112,
     seed (x - y)/(x(1 - x)) = (-3/4)/(3/16) = -4;
   categorical at x = (1/4, 3/4), y = (0, 1): J = -ln(3/4) =
     0.287682072452, seed -y/x = (0, -4/3).  */
static const struct
{
  const char *text;
  fadj_domain domain;           /* the network's, and the trace's */
  expect values[3];
  size_t n;                     /* of VALUES */
  int zero;                     /* a row of X^1_* exactly 0, or -1 */
} loss_rows[] = {
  { "input [1/4 3/4] target [1 0] layer identity weights [1 0; 0 1] "
    "loss mean_squared", FADJ_EXACT,
    { { Q_J, 0, 0, 0, "9/16" }, { Q_XS, 1, 0, 0, "-3/4" },
      { Q_XS, 1, 1, 0, "3/4" } }, 3, -1 },
  { "input [1/4] target [1] layer identity weights [1] loss cross_entropy",
    FADJ_INTERVAL,
    { { Q_J, 0, 0, 0, "1.38629436112" },
      { Q_XS, 1, 0, 0, "-4.00000000000" } }, 2, -1 },
  { "input [1/4 3/4] target [0 1] layer identity weights [1 0; 0 1] "
    "loss categorical_cross_entropy", FADJ_INTERVAL,
    { { Q_J, 0, 0, 0, "0.287682072452" },
      { Q_XS, 1, 1, 0, "-1.33333333333" } }, 2, 0 },
};

START_TEST (test_losses)
{
  fadj_ctx ctx = { .domain = loss_rows[_i].domain,
                   .prec = loss_rows[_i].domain == FADJ_EXACT ? 0 : 128 };
  fadj_net *net;
  fadj_trace *t = trace_check (&net, loss_rows[_i].text, &ctx,
                               loss_rows[_i].values, loss_rows[_i].n);

  if (loss_rows[_i].zero >= 0)
    ck_assert (fadj_num_zero_p (FADJ_MAT (t->xs + 1, loss_rows[_i].zero,
                                          0)));
  fadj_trace_free (t);
  fadj_net_free (net);
}
END_TEST

/* A loss undefined at the outputs: cross_entropy at x = 1 (sample 2,
   output 1) and categorical at x = 0 (sample 1, output 2).  */
START_TEST (test_loss_domain)
{
  fadj_ctx iv = { .domain = FADJ_INTERVAL, .prec = 128 };
  fadj_net *net;
  fadj_trace *t;
  fadj_where where;
  fadj_trace_opts opts;

  fadj_trace_opts_init (&opts);
  opts.where = &where;
  net = test_parse ("sample [1/2] -> [1] sample [1] -> [0] layer identity "
               "weights [1] loss cross_entropy");
  ck_assert_int_eq (fadj_trace_compute_opts (&t, net, &iv, &opts),
                    FADJ_ERR_DOMAIN);
  ck_assert_ptr_null (t);
  ck_assert (where.set);
  ck_assert_uint_eq (where.row, 0);
  ck_assert_uint_eq (where.col, 1);
  fadj_net_free (net);

  net = test_parse ("input [1 0] target [1 0] layer relu weights [1 0; 0 1] "
               "loss categorical_cross_entropy");
  ck_assert_int_eq (fadj_trace_compute_opts (&t, net, &iv, &opts),
                    FADJ_ERR_DOMAIN);
  ck_assert (where.set);
  ck_assert_uint_eq (where.row, 1);
  ck_assert_uint_eq (where.col, 0);
  fadj_net_free (net);
}
END_TEST

/* A batch, exact, by hand: identity 1-1, W = [2], samples x = 1, 3 with
   y = 0, 1; half_squared.  X = (2, 6), seed = (2, 5), Y_* = (2, 5),
   X^0_* = (4, 10); sum: dJ/dW = 2 1 + 5 3 = 17, J = 2 + 25/2 = 29/2;
   mean: dJ/dW = 17/2, J = 29/4, Y_* unchanged (the seed is each
   sample's own derivative), and the input gradient dJ/dx = X^0_* / m =
   (2, 5).  */
START_TEST (test_batch)
{
  fadj_ctx ex = { .domain = FADJ_EXACT };
  fadj_net *net;
  fadj_trace *t;
  int mean;

  for (mean = 0; mean <= 1; mean++)
    {
      net = test_parse (mean ? "sample [1] -> [0] sample [3] -> [1] batch mean "
                          "layer identity weights [2] loss half_squared"
                        : "sample [1] -> [0] sample [3] -> [1] "
                          "layer identity weights [2] loss half_squared");
      ck_assert_int_eq (fadj_trace_compute (&t, net, &ex), FADJ_OK);
      ck_assert_uint_eq (t->m, 2);
      test_assert_q (t->J, mean ? "29/4" : "29/2");
      test_assert_q (FADJ_MAT (t->ys + 1, 0, 0), "2");
      test_assert_q (FADJ_MAT (t->ys + 1, 0, 1), "5");
      test_assert_q (FADJ_MAT (t->xs + 0, 0, 1), "10");
      test_assert_q (FADJ_MAT (t->grad + 1, 0, 0), mean ? "17/2" : "17");
      {
        fadj_num_t g;
        fadj_num_init (g, &ex);
        fadj_trace_input_gradient_entry (g, t, 0, 0);
        test_assert_q (g, mean ? "2" : "4");
        fadj_trace_input_gradient_entry (g, t, 0, 1);
        test_assert_q (g, mean ? "5" : "10");
        fadj_num_clear (g);
      }
      ck_assert (t->check.agree);
      fadj_trace_free (t);
      fadj_net_free (net);
    }
}
END_TEST

/* Under 'batch mean' a factor m (here 3) on one adjoint, on the input
   gradient or on a gradient must be a disagreement, for the reverse-mode
   check and for the directional one: neither may scale one side by an
   assumption the other shares.  Each row scales one matrix of a verified
   trace by m: the Y^l_* of a layer, X^0_* (the input gradient is X^0_* /
   m), or dJ/dW^l.  */
static const struct
{
  fadj_quantity what;
  size_t layer;
} factor_rows[] = {
  { FADJ_Q_Y_STAR, 2 }, { FADJ_Q_Y_STAR, 1 }, { FADJ_Q_X_STAR, 0 },
  { FADJ_Q_X_STAR, 1 }, { FADJ_Q_GRADIENT, 1 }, { FADJ_Q_GRADIENT, 2 },
};

START_TEST (test_mean_factor)
{
  static const char *const nets[] = {
    "sample [1 2] -> [0] sample [3 -1] -> [1] sample [0 1] -> [1] "
    "batch mean layer relu weights [1 -1; 2 1] bias [1, 0] "
    "layer identity weights [1 2] loss half_squared",
    "sample [1 2] -> [0] sample [3 -1] -> [1] sample [0 1] -> [1] "
    "batch mean layer sigmoid weights [1 -1; 2 1] bias [1, 0] "
    "layer sigmoid weights [1 2] loss cross_entropy",
  };
  size_t k, e;

  for (k = 0; k < 2; k++)
    {
      fadj_ctx ctx = { .domain = k == 0 ? FADJ_EXACT : FADJ_INTERVAL,
                       .prec = 128 };
      fadj_net *net = test_parse (nets[k]);
      fadj_trace *t;
      fadj_check c;
      fadj_num_t three, fwd, proj;
      fadj_mat *m;

      ck_assert_int_eq (fadj_trace_compute (&t, net, &ctx), FADJ_OK);
      ck_assert (t->check.agree);
      ck_assert_uint_eq (t->m, 3);
      m = factor_rows[_i].what == FADJ_Q_GRADIENT ? t->grad
          : factor_rows[_i].what == FADJ_Q_Y_STAR ? t->ys : t->xs;
      m += factor_rows[_i].layer;
      fadj_num_init (three, &ctx);
      fadj_num_init (fwd, &ctx);
      fadj_num_init (proj, &ctx);
      fadj_num_set_si (three, 3);
      for (e = 0; e < m->rows * m->cols; e++)
        fadj_num_mul (m->e + e, m->e + e, three);
      ck_assert_int_eq (fadj_trace_verify (&c, t), FADJ_OK);
      ck_assert_msg (!c.agree, "net %zu: a factor m passed the check", k);
      ck_assert_int_eq (c.what, factor_rows[_i].what);
      ck_assert_uint_eq (c.layer, factor_rows[_i].layer);
      /* The directional check reads the gradients and the input
         gradient; a factor on an inner adjoint does not reach them.  */
      if (factor_rows[_i].what != FADJ_Q_Y_STAR
          && !(factor_rows[_i].what == FADJ_Q_X_STAR
               && factor_rows[_i].layer > 0))
        {
          ck_assert_int_eq (fadj_trace_directional (&c, fwd, proj, t, 1),
                            FADJ_OK);
          ck_assert_msg (!c.agree, "net %zu: the directional check "
                         "passed a factor m", k);
        }
      fadj_num_clear (three);
      fadj_num_clear (fwd);
      fadj_num_clear (proj);
      fadj_trace_free (t);
      fadj_net_free (net);
    }
}
END_TEST

/* A shared bias, exact, by hand: x = 1, W^1 = [1; -2], b = 1/2 shared,
   identity, W^2 = [1 1], y = 1, half_squared.  Y^1 = (3/2, -3/2),
   X^2 = 0, seed -1, Y^2_* = -1, X^1_* = (-1, -1) = Y^1_*; the bias
   column of dJ/dW^1 is (-1, -1) and dJ/db^1 = -2, their sum.  */
START_TEST (test_shared_bias)
{
  static const expect values[] = {
    { Q_Y, 1, 0, 0, "3/2" }, { Q_Y, 1, 1, 0, "-3/2" },
    { Q_GRAD, 1, 0, 1, "-1" }, { Q_GRAD, 1, 1, 1, "-1" },
  };
  fadj_ctx ex = { .domain = FADJ_EXACT };
  fadj_net *net;
  fadj_trace *t = trace_check (&net, "input [1] target [1] layer identity "
                               "weights [1; -2] bias 1/2 layer identity "
                               "weights [1 1] loss half_squared", &ex,
                               values, TEST_NROWS (values));

  ck_assert_uint_eq (t->gb[1].rows, 1);
  test_assert_q (t->gb[1].e, "-2");
  /* The shared bias's sum is checked against its own leaf.  */
  fadj_num_set_si (t->gb[1].e, -1);
  {
    fadj_check c;
    ck_assert_int_eq (fadj_trace_verify (&c, t), FADJ_OK);
    ck_assert (!c.agree);
    ck_assert_int_eq (c.what, FADJ_Q_SHARED_BIAS);
    ck_assert_uint_eq (c.layer, 1);
  }
  fadj_trace_free (t);
  fadj_net_free (net);
}
END_TEST

/* Softmax + categorical cross-entropy with a one-hot target: step 1's
   J_sigma^T X_* equals X^L - y (the textbook shortcut), entry by entry.  */
START_TEST (test_softmax_shortcut)
{
  fadj_ctx iv = { .domain = FADJ_INTERVAL, .prec = 128 };
  fadj_net *net;
  fadj_trace *t = trace_check (&net, "input [1 -1/2] target [0 1 0] "
                               "layer softmax weights [1 0; 0 1; 1 1] "
                               "loss categorical_cross_entropy", &iv, NULL,
                               0);
  size_t i;

  for (i = 0; i < 3; i++)
    {
      fadj_num_t d;
      mpq_t y;
      fadj_num_init (d, &iv);
      mpq_init (y);
      mpq_set_ui (y, i == 1, 1);
      fadj_num_set_q (d, y);
      fadj_num_sub (d, FADJ_MAT (t->X + 1, i, 0), d);
      ck_assert (fadj_num_compatible_p (d, FADJ_MAT (t->ys + 1, i, 0)));
      fadj_num_clear (d);
      mpq_clear (y);
    }
  fadj_trace_free (t);
  fadj_net_free (net);
}
END_TEST

/* Training: HMKCode's weights after one step, exactly as the blog lists
   them, and Mazur's loss after one step in both orders to 15 digits
   (tests/reference.py).  */
START_TEST (test_training)
{
  fadj_ctx ex = { .domain = FADJ_EXACT };
  fadj_ctx iv = { .domain = FADJ_INTERVAL, .prec = 200 };
  fadj_net *net;
  fadj_trace *t;
  fadj_training *tr;

  net = test_parse ("input [2 3] target [1] layer identity "
               "weights [0.11 0.21; 0.12 0.08] layer identity "
               "weights [0.14 0.15] loss half_squared rate 0.05");
  ck_assert_int_eq (fadj_trace_compute (&t, net, &ex), FADJ_OK);
  test_assert_q (t->J, "654481/2000000");            /* 0.3272405 */
  ck_assert_int_eq (fadj_train (&tr, t, 1, net->rate, FADJ_UPDATE_STANDARD),
                    FADJ_OK);
  test_assert_q (FADJ_MAT (tr->w1 + 1, 0, 0), "60663/500000");   /* 0.121326 */
  test_assert_q (FADJ_MAT (tr->w1 + 1, 0, 1), "226989/1000000");
  test_assert_q (FADJ_MAT (tr->w1 + 1, 1, 0), "26427/200000");   /* 0.132135 */
  test_assert_q (FADJ_MAT (tr->w1 + 1, 1, 1), "39281/400000");   /* 0.0982025 */
  test_assert_q (FADJ_MAT (tr->w1 + 2, 0, 0), "69753/400000");   /* 0.1743825 */
  test_assert_q (FADJ_MAT (tr->w1 + 2, 0, 1), "21177/125000");   /* 0.169416 */
  ck_assert (tr->check.agree);
  fadj_training_free (tr);
  fadj_trace_free (t);
  fadj_net_free (net);

  net = test_parse ("input [0.05 0.10] target [0.01 0.99] layer sigmoid "
               "weights [0.15 0.20; 0.25 0.30] bias 0.35 frozen "
               "layer sigmoid weights [0.40 0.45; 0.50 0.55] bias 0.60 "
               "frozen loss half_squared rate 0.5");
  ck_assert_int_eq (fadj_trace_compute (&t, net, &iv), FADJ_OK);
  assert_digits (t->J, "0.298371108760003");
  ck_assert_int_eq (fadj_train (&tr, t, 1, net->rate, FADJ_UPDATE_STANDARD),
                    FADJ_OK);
  assert_digits (tr->J + 1, "0.291027773693599");
  assert_digits (FADJ_MAT (tr->w1 + 2, 0, 0), "0.358916479718");
  assert_digits (FADJ_MAT (tr->w1 + 1, 0, 0), "0.149780716133");
  /* frozen: the biases did not move */
  assert_digits (tr->b1[1].e, "0.350000000000");
  ck_assert (tr->check.agree);
  fadj_training_free (tr);
  ck_assert_int_eq (fadj_train (&tr, t, 1, net->rate, FADJ_UPDATE_LOCAL),
                    FADJ_OK);
  assert_digits (tr->J + 1, "0.291027923905442");
  /* the same W^2, a different W^1 (X^1_* through the new W^2) */
  assert_digits (FADJ_MAT (tr->w1 + 2, 0, 0), "0.358916479718");
  assert_digits (FADJ_MAT (tr->w1 + 1, 0, 0), "0.149817638561");
  fadj_training_free (tr);
  /* several steps: J goes down */
  ck_assert_int_eq (fadj_train (&tr, t, 3, net->rate, FADJ_UPDATE_STANDARD),
                    FADJ_OK);
  ck_assert (mpfr_cmp (FADJ_NUM_RIGHT (&tr->J[3]),
                       FADJ_NUM_LEFT (&tr->J[2])) < 0);
  ck_assert (tr->check.agree);
  fadj_training_free (tr);
  fadj_trace_free (t);
  fadj_net_free (net);
}
END_TEST

/* The steps written in full (fadj_train_show): each later one keeps the
   derivation at the weights after the step before (its J is that
   step's) and its update, W - eta dJ/dW at those weights, whose result
   is the next shown step's weights and, for the last step, the final
   ones.  Without a list, step 1 alone, from the caller's trace.  */
START_TEST (test_training_shown)
{
  fadj_ctx ex = { .domain = FADJ_EXACT };
  fadj_net *net;
  fadj_trace *t;
  fadj_training *tr;
  const fadj_training *r2, *r3;
  const fadj_trace *a2, *a3;
  size_t show[] = { 2, 3 }, l, k;
  mpq_t q;

  net = test_parse ("input [2 3] target [1] layer identity "
               "weights [0.11 0.21; 0.12 0.08] layer identity "
               "weights [0.14 0.15] loss half_squared rate 0.05");
  ck_assert_int_eq (fadj_trace_compute (&t, net, &ex), FADJ_OK);
  ck_assert_int_eq (fadj_train (&tr, t, 2, net->rate, FADJ_UPDATE_STANDARD),
                    FADJ_OK);
  ck_assert_uint_eq (tr->nshown, 1);
  ck_assert_uint_eq (tr->shown[0].step, 1);
  ck_assert_ptr_eq (tr->shown[0].at, t);
  ck_assert_ptr_eq (tr->shown[0].rec, tr);
  fadj_training_free (tr);

  ck_assert_int_eq (fadj_train_show (&tr, t, 3, net->rate,
                                     FADJ_UPDATE_STANDARD, show, 2, 0), FADJ_OK);
  ck_assert_uint_eq (tr->nshown, 2);
  ck_assert_uint_eq (tr->shown[0].step, 2);
  ck_assert_uint_eq (tr->shown[1].step, 3);
  a2 = tr->shown[0].at;
  r2 = tr->shown[0].rec;
  a3 = tr->shown[1].at;
  r3 = tr->shown[1].rec;
  ck_assert (mpq_equal (FADJ_NUM_Q (a2->J), FADJ_NUM_Q (tr->J + 1)));
  ck_assert (mpq_equal (FADJ_NUM_Q (a3->J), FADJ_NUM_Q (tr->J + 2)));
  mpq_init (q);
  for (l = 1; l <= 2; l++)
    for (k = 0; k < r2->w1[l].rows * r2->w1[l].cols; k++)
      {
        /* W after step 2 = W after step 1 - eta dJ/dW there.  */
        mpq_mul (q, net->rate, FADJ_NUM_Q (a2->grad[l].e + k));
        mpq_sub (q, FADJ_NUM_Q (a2->W[l]->e + k), q);
        ck_assert (mpq_equal (q, FADJ_NUM_Q (r2->w1[l].e + k)));
        ck_assert (mpq_equal (FADJ_NUM_Q (r2->w1[l].e + k),
                              FADJ_NUM_Q (a3->W[l]->e + k)));
        ck_assert (mpq_equal (FADJ_NUM_Q (r3->w1[l].e + k),
                              FADJ_NUM_Q (tr->w[l].e + k)));
      }
  mpq_clear (q);
  ck_assert (tr->check.agree);
  fadj_training_free (tr);
  fadj_trace_free (t);
  fadj_net_free (net);
}
END_TEST

/* Textbook rounding: the author's notebook rounds every intermediate to
   2 decimals and gets Y^2_* = -0.03, Y^1_* = (-0.01, 0.01), X^0_* =
   (-0.02, 0.02) (shared math notes).  */
START_TEST (test_carry)
{
  fadj_net *net = test_parse (a221);
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 128 };
  fadj_trace_opts opts;
  fadj_trace *t;

  fadj_trace_opts_init (&opts);
  opts.carry = 2;
  ck_assert_int_eq (fadj_trace_compute_opts (&t, net, &ctx, &opts), FADJ_OK);
  ck_assert_int_eq (t->carry, 2);
  test_assert_q (FADJ_MAT (t->X + 1, 0, 0), "73/100");
  test_assert_q (FADJ_MAT (t->X + 2, 0, 0), "81/100");
  test_assert_q (FADJ_MAT (t->dsig + 2, 0, 0), "15/100");   /* 0.1539 */
  test_assert_q (FADJ_MAT (t->ys + 2, 0, 0), "-3/100");
  test_assert_q (FADJ_MAT (t->ys + 1, 0, 0), "-1/100");
  test_assert_q (FADJ_MAT (t->ys + 1, 1, 0), "1/100");
  test_assert_q (FADJ_MAT (t->xs + 0, 0, 0), "-2/100");
  test_assert_q (FADJ_MAT (t->xs + 0, 1, 0), "2/100");
  fadj_trace_free (t);
  fadj_net_free (net);
}
END_TEST

int
main (void)
{
  const test_entry tests[] = {
    TEST_CASE ("fadjoint"),
    TEST_ONCE (test_boughammoura),
    TEST_ONCE (test_rational_exact),
    TEST_ONCE (test_kink_conventions),
    TEST_ONCE (test_tanh_softplus_agree),
    TEST_EACH (test_activations, act_rows),
    TEST_EACH (test_losses, loss_rows),
    TEST_ONCE (test_loss_domain),
    TEST_ONCE (test_batch),
    TEST_EACH (test_mean_factor, factor_rows),
    TEST_ONCE (test_shared_bias),
    TEST_ONCE (test_softmax_shortcut),
    TEST_ONCE (test_training),
    TEST_ONCE (test_training_shown),
    TEST_ONCE (test_carry),
    TEST_CASE ("verify"),
    TEST_EACH (test_verify_catches, corrupt_rows),
  };

  return test_main ("trace", tests, sizeof tests / sizeof tests[0]);
}
