/* act.c -- the activation functions: names, which keep arithmetic exact,
   and sigma' as the two-step rule uses it.  sigma itself is built in the
   expression engine (graph.c, fadj_graph_activation).  */

#include "fadj-impl.h"

#include <assert.h>
#include <string.h>

static const struct
{
  const char *name;
  int rational;    /* maps rationals to rationals */
  int has_param;   /* takes a parameter, as in leaky_relu(a) */
} act_table[FADJ_ACT_COUNT] = {
  [FADJ_ACT_IDENTITY]   = { "identity",   1, 0 },
  [FADJ_ACT_SIGMOID]    = { "sigmoid",    0, 0 },
  [FADJ_ACT_TANH]       = { "tanh",       0, 0 },
  [FADJ_ACT_RELU]       = { "relu",       1, 0 },
  [FADJ_ACT_LEAKY_RELU] = { "leaky_relu", 1, 1 },
  [FADJ_ACT_SOFTPLUS]   = { "softplus",   0, 0 },
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

fadj_status
fadj_act_deriv (fadj_num_ptr r, fadj_act_kind k, const mpq_t param,
                fadj_num_srcptr y, fadj_num_srcptr x)
{
  fadj_status st;
  int sign;

  switch (k)
    {
    case FADJ_ACT_IDENTITY:
      fadj_num_set_si (r, 1);
      return FADJ_OK;

    case FADJ_ACT_SIGMOID:      /* sigma' = sigma (1 - sigma) */
      {
        fadj_num_t one_minus;
        fadj_ctx ctx = { x->domain, x->domain == FADJ_INTERVAL
                         ? mpfi_get_prec (&x->u.i) : 0 };
        fadj_num_init (one_minus, &ctx);
        fadj_num_set_si (one_minus, 1);
        fadj_num_sub (one_minus, one_minus, x);
        fadj_num_mul (r, x, one_minus);
        fadj_num_clear (one_minus);
        return FADJ_OK;
      }

    case FADJ_ACT_TANH:         /* tanh' = 1 - tanh^2 */
      {
        fadj_num_t sq;
        fadj_ctx ctx = { x->domain, x->domain == FADJ_INTERVAL
                         ? mpfi_get_prec (&x->u.i) : 0 };
        fadj_num_init (sq, &ctx);
        fadj_num_mul (sq, x, x);
        fadj_num_set_si (r, 1);
        fadj_num_sub (r, r, sq);
        fadj_num_clear (sq);
        return FADJ_OK;
      }

    case FADJ_ACT_SOFTPLUS:     /* softplus' = logistic sigmoid = 1/(1+e^-y) */
      {
        fadj_num_t t;
        fadj_ctx ctx = { y->domain, y->domain == FADJ_INTERVAL
                         ? mpfi_get_prec (&y->u.i) : 0 };
        fadj_num_init (t, &ctx);
        fadj_num_neg (t, y);
        fadj_num_exp (t, t);
        mpfi_add_ui (&t->u.i, &t->u.i, 1);
        mpfi_ui_div (&r->u.i, 1, &t->u.i);
        fadj_num_clear (t);
        return FADJ_OK;
      }

    case FADJ_ACT_RELU:         /* 1 for y > 0, 0 otherwise (relu'(0) = 0) */
    case FADJ_ACT_LEAKY_RELU:   /* 1 for y > 0, a otherwise */
      st = fadj_num_sgn (&sign, y);
      if (st != FADJ_OK)
        return st;
      if (sign > 0)
        fadj_num_set_si (r, 1);
      else if (k == FADJ_ACT_RELU)
        fadj_num_set_si (r, 0);
      else
        fadj_num_set_q (r, param);
      return FADJ_OK;

    default:
      assert (0 && "unknown activation");
      return FADJ_ERR_INPUT;
    }
}
