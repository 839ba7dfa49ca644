/* act.c -- the activation functions: names, which keep arithmetic exact,
   and sigma' as the two-step rule uses it.  sigma itself is built in the
   expression engine (graph.c, fadj_graph_activation).  */

#include "fadj-impl.h"

#include <assert.h>
#include <string.h>

/* What each activation is, a row each: data, its rows alike in shape
   only.  */
static const struct
{
  const char *name;
  int rational;    /* maps rationals to rationals */
  int has_param;   /* takes a parameter, as in leaky_relu(a) */
  long pnum, pden; /* the parameter when the file gives none */
  int vector;      /* a vector map: sigma' is a Jacobian */
} act_table[FADJ_ACT_COUNT] = {
  [FADJ_ACT_IDENTITY]   = { "identity",   1, 0, 0, 1, 0 },
  [FADJ_ACT_SIGMOID]    = { "sigmoid",    0, 0, 0, 1, 0 },
  [FADJ_ACT_TANH]       = { "tanh",       0, 0, 0, 1, 0 },
  [FADJ_ACT_RELU]       = { "relu",       1, 0, 0, 1, 0 },
  [FADJ_ACT_LEAKY_RELU] = { "leaky_relu", 1, 1, 1, 100, 0 },
  [FADJ_ACT_SOFTPLUS]   = { "softplus",   0, 0, 0, 1, 0 },
  [FADJ_ACT_ELU]        = { "elu",        0, 1, 1, 1, 0 },
  [FADJ_ACT_GELU]       = { "gelu",       0, 0, 0, 1, 0 },
  [FADJ_ACT_SILU]       = { "silu",       0, 0, 0, 1, 0 },
  [FADJ_ACT_SOFTSIGN]   = { "softsign",   1, 0, 0, 1, 0 },
  [FADJ_ACT_HARDTANH]   = { "hardtanh",   1, 0, 0, 1, 0 },
  [FADJ_ACT_SOFTMAX]    = { "softmax",    0, 0, 0, 1, 1 },
};

const char *
fadj_act_name (fadj_act_kind k)
{
  assert ((unsigned) k < FADJ_ACT_COUNT);
  return act_table[k].name;
}

int
fadj_act_lookup (const char *name)
{
  int k;

  for (k = 0; k < FADJ_ACT_COUNT; k++)
    if (strcmp (name, act_table[k].name) == 0)
      return k;
  return -1;
}

int
fadj_act_rational_p (fadj_act_kind k)
{
  assert ((unsigned) k < FADJ_ACT_COUNT);
  return act_table[k].rational;
}

int
fadj_act_has_param_p (fadj_act_kind k)
{
  assert ((unsigned) k < FADJ_ACT_COUNT);
  return act_table[k].has_param;
}

int
fadj_act_vector_p (fadj_act_kind k)
{
  assert ((unsigned) k < FADJ_ACT_COUNT);
  return act_table[k].vector;
}

void
fadj_act_default_param (mpq_t q, fadj_act_kind k)
{
  assert ((unsigned) k < FADJ_ACT_COUNT);
  mpq_set_si (q, act_table[k].pnum, (unsigned long) act_table[k].pden);
  mpq_canonicalize (q);
}

/* R = 1 / (1 + e^{-Y}), the logistic function (intervals).  */
static void
logistic (fadj_num_ptr r, fadj_num_srcptr y)
{
  fadj_num_t t;
  fadj_ctx ctx = fadj_num_get_ctx (y);

  fadj_num_init (t, &ctx);
  fadj_num_neg (t, y);
  fadj_num_exp (t, t);
  mpfi_add_ui (FADJ_NUM_I (t), FADJ_NUM_I (t), 1);
  mpfi_ui_div (FADJ_NUM_I (r), 1, FADJ_NUM_I (t));
  fadj_num_clear (t);
}

/* 1 - sigma(y) as sigma(-y) when y < 0 is not certain: from an
   enclosure of x = sigma(y) near 1, 1 - x keeps only the digits x does
   not share with 1, so a saturated neuron (x = 1 - 4e-20: 30 of 49
   digits left at 163 bits) would make the entries of its row
   undecidable at 30 digits and the whole derivation be redone at twice
   the precision, and at y = 10^5 no precision below 144 270 bits would
   tell 1 - x from 0.  For y < 0, 1 - x > 1/2 loses nothing and costs no
   exponential; an exact X (a carried trace's rounded value) takes the
   hand formula 1 - X, exactly.  */
void
fadj_sigmoid_complement (fadj_num_ptr r, fadj_num_srcptr y, fadj_num_srcptr x)
{
  if (FADJ_NUM_EXACT_P (x) || mpfr_sgn (FADJ_NUM_RIGHT (y)) < 0)
    {
      fadj_num_set_si (r, 1);
      fadj_num_sub (r, r, x);
    }
  else
    {
      fadj_num_neg (r, y);
      logistic (r, r);
    }
}

/* sigma' = sigma (1 - sigma), the second factor as above.  */
static void
sigmoid_deriv (fadj_num_ptr r, fadj_num_srcptr y, fadj_num_srcptr x)
{
  fadj_ctx ctx = fadj_num_get_ctx (y);
  fadj_num_t t;

  fadj_num_init (t, &ctx);
  fadj_sigmoid_complement (t, y, x);
  fadj_num_mul (r, x, t);
  fadj_num_clear (t);
}

/* The kinked family, 1 for y > 0 and otherwise: relu 0 (relu'(0) = 0),
   leaky_relu the slope a, elu a e^y (a at 0).  */
static fadj_status
kink_deriv (fadj_num_ptr r, fadj_act_kind k, const mpq_t param,
            fadj_num_srcptr y)
{
  int sign;
  fadj_status st = fadj_num_sgn (&sign, y);

  if (st != FADJ_OK)
    return st;
  if (sign > 0)
    fadj_num_set_si (r, 1);
  else if (k == FADJ_ACT_RELU)
    fadj_num_set_si (r, 0);
  else if (k == FADJ_ACT_LEAKY_RELU)
    fadj_num_set_q (r, param);
  else
    {
      fadj_ctx ctx = fadj_num_get_ctx (y);
      fadj_num_t t;

      fadj_num_init (t, &ctx);
      fadj_num_exp (t, y);
      fadj_num_set_q (r, param);
      fadj_num_mul (r, r, t);
      fadj_num_clear (t);
    }
  return FADJ_OK;
}

/* gelu' = Phi(y) + y phi(y), with Phi(y) = (1 + erf(y/sqrt 2))/2 and
   phi(y) = e^{-y^2/2} / sqrt(2 pi).  */
static fadj_status
gelu_deriv (fadj_num_ptr r, fadj_num_srcptr y)
{
  fadj_ctx ctx = fadj_num_get_ctx (y);
  fadj_num_t t, u;
  fadj_status st;

  fadj_num_init (t, &ctx);
  fadj_num_init (u, &ctx);
  fadj_num_set_si (u, 2);
  st = fadj_num_sqrt (u, u);
  if (st == FADJ_OK)
    st = fadj_num_div (t, y, u);
  if (st == FADJ_OK)
    {
      fadj_num_erf (t, t);
      mpfi_add_ui (FADJ_NUM_I (t), FADJ_NUM_I (t), 1);
      mpfi_div_2ui (FADJ_NUM_I (t), FADJ_NUM_I (t), 1);       /* Phi(y) */
      fadj_num_mul (u, y, y);
      mpfi_div_2ui (FADJ_NUM_I (u), FADJ_NUM_I (u), 1);
      fadj_num_neg (u, u);
      fadj_num_exp (u, u);                       /* e^{-y^2/2} */
      fadj_num_mul (u, u, y);
      fadj_num_const_pi (r);
      mpfi_mul_2ui (FADJ_NUM_I (r), FADJ_NUM_I (r), 1);
      st = fadj_num_sqrt (r, r);                 /* sqrt(2 pi) */
      if (st == FADJ_OK)
        st = fadj_num_div (u, u, r);
      if (st == FADJ_OK)
        fadj_num_add (r, t, u);
    }
  fadj_num_clear (t);
  fadj_num_clear (u);
  return st;
}

/* silu' = s (1 + y (1 - s)), s = sigmoid.  */
static void
silu_deriv (fadj_num_ptr r, fadj_num_srcptr y)
{
  fadj_ctx ctx = fadj_num_get_ctx (y);
  fadj_num_t t, u;

  fadj_num_init (t, &ctx);
  fadj_num_init (u, &ctx);
  logistic (t, y);
  fadj_num_set_si (u, 1);
  fadj_num_sub (u, u, t);
  fadj_num_mul (u, u, y);
  mpfi_add_ui (FADJ_NUM_I (u), FADJ_NUM_I (u), 1);
  fadj_num_mul (r, t, u);
  fadj_num_clear (t);
  fadj_num_clear (u);
}

/* softsign' = 1 / (1 + |y|)^2.  */
static fadj_status
softsign_deriv (fadj_num_ptr r, fadj_num_srcptr y)
{
  fadj_ctx ctx = fadj_num_get_ctx (y);
  fadj_num_t t;
  fadj_status st;
  int sign;

  st = fadj_num_sgn (&sign, y);
  if (st != FADJ_OK)
    return st;
  fadj_num_init (t, &ctx);
  if (sign < 0)
    fadj_num_neg (t, y);
  else
    fadj_num_set (t, y);
  fadj_num_set_si (r, 1);
  fadj_num_add (t, t, r);
  fadj_num_mul (t, t, t);
  st = fadj_num_div (r, r, t);
  fadj_num_clear (t);
  return st;
}

/* hardtanh' = 1 for -1 < y < 1, 0 otherwise.  */
static fadj_status
hardtanh_deriv (fadj_num_ptr r, fadj_num_srcptr y)
{
  fadj_ctx ctx = fadj_num_get_ctx (y);
  fadj_num_t t;
  fadj_status st;
  int above, below;

  fadj_num_init (t, &ctx);
  fadj_num_set_si (t, 1);
  fadj_num_add (t, t, y);                  /* y + 1 */
  st = fadj_num_sgn (&above, t);
  if (st == FADJ_OK)
    {
      fadj_num_set_si (t, 1);
      fadj_num_sub (t, t, y);              /* 1 - y */
      st = fadj_num_sgn (&below, t);
    }
  fadj_num_clear (t);
  if (st != FADJ_OK)
    return st;
  fadj_num_set_si (r, above > 0 && below > 0);
  return FADJ_OK;
}

/* sigma' of the coordinate-wise activations, in closed form.  These are
   the textbook formulas; the graph derives the same derivatives from
   its primitives instead (fadj_graph_activation), which is the point of
   the verification.  */
fadj_status
fadj_act_deriv (fadj_num_ptr r, fadj_act_kind k, const mpq_t param,
                fadj_num_srcptr y, fadj_num_srcptr x)
{
  fadj_ctx ctx = fadj_num_get_ctx (y);
  fadj_num_t t;

  switch (k)
    {
    case FADJ_ACT_IDENTITY:
      fadj_num_set_si (r, 1);
      return FADJ_OK;
    case FADJ_ACT_SIGMOID:
      sigmoid_deriv (r, y, x);
      return FADJ_OK;
    case FADJ_ACT_TANH:         /* tanh' = 1 - tanh^2 */
      fadj_num_init (t, &ctx);
      fadj_num_mul (t, x, x);
      fadj_num_set_si (r, 1);
      fadj_num_sub (r, r, t);
      fadj_num_clear (t);
      return FADJ_OK;
    case FADJ_ACT_SOFTPLUS:     /* softplus' = logistic sigmoid = 1/(1+e^-y) */
      logistic (r, y);
      return FADJ_OK;
    case FADJ_ACT_RELU:
    case FADJ_ACT_LEAKY_RELU:
    case FADJ_ACT_ELU:
      return kink_deriv (r, k, param, y);
    case FADJ_ACT_GELU:
      return gelu_deriv (r, y);
    case FADJ_ACT_SILU:
      silu_deriv (r, y);
      return FADJ_OK;
    case FADJ_ACT_SOFTSIGN:
      return softsign_deriv (r, y);
    case FADJ_ACT_HARDTANH:
      return hardtanh_deriv (r, y);
    case FADJ_ACT_SOFTMAX:      /* a Jacobian: fadj_act_softmax_jacobian */
    default:
      assert (0 && "no coordinate-wise derivative");
      return FADJ_ERR_INPUT;
    }
}

int
fadj_act_exact_at (mpq_t x, mpq_t d, fadj_act_kind k, const mpq_t param,
                   const mpq_t y)
{
  int sign = mpq_sgn (y);

  if (k == FADJ_ACT_ELU && sign > 0)
    {
      mpq_set (x, y);
      mpq_set_ui (d, 1, 1);
      return FADJ_ACT_EXACT_X | FADJ_ACT_EXACT_D;
    }
  if (sign != 0)
    return 0;
  mpq_set_ui (x, 0, 1);
  switch (k)
    {
    case FADJ_ACT_ELU:          /* a e^0, as kink_deriv takes it at 0 */
      mpq_set (d, param);
      return FADJ_ACT_EXACT_X | FADJ_ACT_EXACT_D;
    case FADJ_ACT_SIGMOID:
      mpq_set_ui (x, 1, 2);
      mpq_set_ui (d, 1, 4);
      return FADJ_ACT_EXACT_X | FADJ_ACT_EXACT_D;
    case FADJ_ACT_TANH:
      mpq_set_ui (d, 1, 1);
      return FADJ_ACT_EXACT_X | FADJ_ACT_EXACT_D;
    case FADJ_ACT_SOFTPLUS:     /* softplus(0) = ln 2 */
      mpq_set_ui (d, 1, 2);
      return FADJ_ACT_EXACT_D;
    case FADJ_ACT_GELU:         /* Phi(0) + 0 phi(0) */
    case FADJ_ACT_SILU:         /* s(0) (1 + 0) */
      mpq_set_ui (d, 1, 2);
      return FADJ_ACT_EXACT_X | FADJ_ACT_EXACT_D;
    default:
      return 0;
    }
}

int
fadj_softmax_near_one_p (fadj_num_srcptr x)
{
  mpq_t half;
  int gt = 0;

  mpq_init (half);
  mpq_set_ui (half, 1, 2);
  if (fadj_num_gt_q (&gt, x, half) != FADJ_OK)
    gt = 0;
  mpq_clear (half);
  return gt;
}

/* J = diag(s) - s s^T for the softmax output S (N x 1, column COL of X):
   J_ij = s_i (delta_ij - s_j).  Into the N x N block of JAC that starts
   at column J0.  With SIMPLEX (S is the true softmax's, summing to 1
   exactly, not a rounded copy), a diagonal entry s_i (1 - s_i) of an s_i
   near 1, whose 1 - s_i cancels, is tightened with s_i times the sum of
   the others: logits 10^5 apart give entries of 10^-86859, certified.  */
void
fadj_act_softmax_jacobian (fadj_mat *jac, size_t j0, const fadj_mat *x,
                           size_t col, int simplex)
{
  size_t n = x->rows, i, j;
  fadj_ctx ctx = fadj_num_get_ctx (x->e);
  fadj_num_t rest;

  fadj_num_init (rest, &ctx);
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++)
      {
        fadj_num_ptr r = FADJ_MAT (jac, i, j0 + j);
        fadj_num_srcptr si = FADJ_MAT (x, i, col);
        fadj_num_mul (r, si, FADJ_MAT (x, j, col));
        fadj_num_neg (r, r);
        if (i != j)
          continue;
        fadj_num_add (r, r, si);
        if (simplex && fadj_softmax_near_one_p (si))
          {
            fadj_softmax_rest (rest, x, i, col);
            fadj_num_mul (rest, si, rest);
            fadj_num_tighten (r, rest);
          }
      }
  fadj_num_clear (rest);
}

void
fadj_softmax_tighten_sub (fadj_mat *d, const fadj_mat *x, const fadj_mat *y)
{
  fadj_ctx ctx = fadj_num_get_ctx (d->e);
  fadj_num_t alt, one;
  size_t i, s;

  fadj_num_init (alt, &ctx);
  fadj_num_init (one, &ctx);
  for (s = 0; s < x->cols; s++)
    for (i = 0; i < x->rows; i++)
      if (fadj_softmax_near_one_p (FADJ_MAT (x, i, s)))
        {
          /* x_i - y_i = (1 - y_i) - the sum of the others, 1 - y_i
             first: y_i is exact, often 1.  */
          fadj_num_set_si (one, 1);
          fadj_num_sub (one, one, FADJ_MAT (y, i, s));
          fadj_softmax_rest (alt, x, i, s);
          fadj_num_sub (alt, one, alt);
          fadj_num_tighten (FADJ_MAT (d, i, s), alt);
        }
  fadj_num_clear (one);
  fadj_num_clear (alt);
}

void
fadj_softmax_tighten_log (fadj_num_ptr r, const fadj_mat *x, size_t k,
                          size_t col)
{
  fadj_ctx ctx = fadj_num_get_ctx (r);
  fadj_num_t rest;

  if (fadj_softmax_near_one_p (FADJ_MAT (x, k, col)))
    {
      fadj_num_init (rest, &ctx);
      fadj_softmax_rest (rest, x, k, col);
      fadj_num_tighten_log_complement (r, rest);
      fadj_num_clear (rest);
    }
}

void
fadj_softmax_rest (fadj_num_ptr r, const fadj_mat *x, size_t k, size_t col)
{
  size_t j;

  fadj_num_set_si (r, 0);
  for (j = 0; j < x->rows; j++)
    if (j != k)
      fadj_num_add (r, r, FADJ_MAT (x, j, col));
}
