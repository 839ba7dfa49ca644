/* loss.c -- the losses: names, the seed X^L_* = dJ/dX^L of the F-adjoint,
   where each loss is defined, and J itself as a graph (whose reverse mode
   re-derives the seed).  */

#include "fadj-impl.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static const struct
{
  const char *name;
  int rational;
} loss_table[FADJ_LOSS_COUNT] = {
  [FADJ_LOSS_HALF_SQUARED]              = { "half_squared", 1 },
  [FADJ_LOSS_SQUARED]                   = { "squared", 1 },
  [FADJ_LOSS_MEAN_SQUARED]              = { "mean_squared", 1 },
  [FADJ_LOSS_CROSS_ENTROPY]             = { "cross_entropy", 0 },
  [FADJ_LOSS_CATEGORICAL_CROSS_ENTROPY] = { "categorical_cross_entropy", 0 },
};

/* fadj_loss_name, _lookup and _rational_p are act.c's accessors over
   this table: kept apart because each table has its own row type and
   enum, and one lookup for both would trade a four-line loop for
   casts.  */
const char *
fadj_loss_name (fadj_loss_kind k)
{
  assert ((unsigned) k < FADJ_LOSS_COUNT);
  return loss_table[k].name;
}

int
fadj_loss_lookup (const char *name)
{
  int k;

  for (k = 0; k < FADJ_LOSS_COUNT; k++)
    if (strcmp (name, loss_table[k].name) == 0)
      return k;
  return -1;
}

int
fadj_loss_rational_p (fadj_loss_kind k)
{
  assert ((unsigned) k < FADJ_LOSS_COUNT);
  return loss_table[k].rational;
}

/* The logarithms of the cross-entropies need x > 0, and the binary one
   also 1 - x > 0 (C, when given, is 1 - x).  */
fadj_status
fadj_loss_check (fadj_loss_kind k, fadj_num_srcptr x, fadj_num_srcptr c)
{
  fadj_status st;
  int sign;

  if (k != FADJ_LOSS_CROSS_ENTROPY
      && k != FADJ_LOSS_CATEGORICAL_CROSS_ENTROPY)
    return FADJ_OK;
  if ((st = fadj_num_sgn (&sign, x)) != FADJ_OK)
    return st;
  if (sign <= 0)
    return FADJ_ERR_DOMAIN;
  if (k == FADJ_LOSS_CROSS_ENTROPY)
    {
      fadj_ctx ctx = fadj_num_get_ctx (x);
      fadj_num_t t;
      fadj_num_init (t, &ctx);
      if (c != NULL)
        fadj_num_set (t, c);
      else
        {
          fadj_num_set_si (t, 1);
          fadj_num_sub (t, t, x);
        }
      st = fadj_num_sgn (&sign, t);
      fadj_num_clear (t);
      if (st != FADJ_OK)
        return st;
      if (sign <= 0)
        return FADJ_ERR_DOMAIN;
    }
  return FADJ_OK;
}

/* The seed for one output X with target Y, the derivative of one
   sample's loss:
     half_squared  x - y              squared  2 (x - y)
     mean_squared  2 (x - y) / N_L
     cross_entropy (x - y) / (x (1 - x))
     categorical   -y / x.
   With C = 1 - x given, the cross-entropy's x - y is also formed as
   (1 - y) - C, which keeps its relative precision at an x within
   e^-100000 of a target 1.  */
fadj_status
fadj_loss_seed (fadj_num_ptr r, fadj_loss_kind k, fadj_num_srcptr x,
                fadj_num_srcptr c, fadj_num_srcptr y, size_t nout)
{
  fadj_ctx ctx = fadj_num_get_ctx (x);
  fadj_num_t t;
  fadj_status st = FADJ_OK;

  assert ((unsigned) k < FADJ_LOSS_COUNT);
  fadj_num_init (t, &ctx);
  switch (k)
    {
    case FADJ_LOSS_HALF_SQUARED:
      fadj_num_sub (r, x, y);
      break;
    case FADJ_LOSS_SQUARED:
      fadj_num_sub (r, x, y);
      fadj_num_add (r, r, r);
      break;
    case FADJ_LOSS_MEAN_SQUARED:
      fadj_num_sub (r, x, y);
      fadj_num_add (r, r, r);
      fadj_num_set_si (t, (long) nout);
      st = fadj_num_div (r, r, t);
      break;
    case FADJ_LOSS_CROSS_ENTROPY:
      fadj_num_set_si (t, 1);
      fadj_num_sub (r, x, y);
      if (c != NULL)
        {
          fadj_num_sub (t, t, y);
          fadj_num_sub (t, t, c);
          fadj_num_tighten (r, t);
          fadj_num_set (t, c);
        }
      else
        fadj_num_sub (t, t, x);
      fadj_num_mul (t, t, x);
      st = fadj_num_div (r, r, t);
      break;
    case FADJ_LOSS_CATEGORICAL_CROSS_ENTROPY:
      fadj_num_neg (t, y);
      st = fadj_num_div (r, t, x);
      break;
    default:
      assert (0 && "unknown loss");
    }
  fadj_num_clear (t);
  return st;
}

/* ln X for the output node X = OUT[i * m + s] of a softmax: for an X
   above 1/2, whose ln X from an enclosure near 1 would contain 0 (logits
   far apart), tightened with ln (1 - the sum of the others).  */
static fadj_node
log_softmax_output (fadj_graph *g, const fadj_node *out, size_t n, size_t m,
                    size_t i, size_t s)
{
  fadj_node x = out[i * m + s];
  fadj_ctx ctx = fadj_num_get_ctx (fadj_graph_value (g, x));
  fadj_num_t rest;
  fadj_node r;
  size_t j;

  if (fadj_graph_status (g) != FADJ_OK
      || !fadj_softmax_near_one_p (fadj_graph_value (g, x)))
    return fadj_graph_log (g, x);
  fadj_num_init (rest, &ctx);
  fadj_num_set_si (rest, 0);
  for (j = 0; j < n; j++)
    if (j != i)
      fadj_num_add (rest, rest, fadj_graph_value (g, out[j * m + s]));
  r = fadj_graph_log_complement (g, x, rest);
  fadj_num_clear (rest);
  return r;
}

/* ln (1 - X) for a binary cross-entropy's output X: for an X below 1/2
   (a sigmoid of a very negative pre-activation, X = e^-100000), the
   enclosure of 1 - X touches 1 and its ln would contain 0; tightened,
   as log_softmax_output does, with ln (1 - X) = log1p (-X) from X's own
   enclosure, which keeps its relative precision.  For an X near 1 (a
   sigmoid of 100000), the node 1 - X is tightened with C, the
   caller's enclosure of 1 - X (sigma(-y)), when there is one.  */
static fadj_node
log_complement_output (fadj_graph *g, fadj_node one, fadj_node x,
                       fadj_num_srcptr c)
{
  fadj_node a = fadj_graph_sub (g, one, x);

  if (c != NULL)
    fadj_graph_tighten (g, a, c);
  if (fadj_graph_status (g) != FADJ_OK
      || !fadj_softmax_near_one_p (fadj_graph_value (g, a)))
    return fadj_graph_log (g, a);
  return fadj_graph_log_complement (g, a, fadj_graph_value (g, x));
}

/* ln X for a binary cross-entropy's output X with C = 1 - X (or NULL):
   for an X near 1 (a sigmoid of 100000), whose ln from an enclosure
   touching 1 would contain 0, tightened with ln (1 - C) = log1p (-C).  */
static fadj_node
log_output (fadj_graph *g, fadj_node x, fadj_num_srcptr c)
{
  if (c == NULL || fadj_graph_status (g) != FADJ_OK
      || !fadj_softmax_near_one_p (fadj_graph_value (g, x)))
    return fadj_graph_log (g, x);
  return fadj_graph_log_complement (g, x, c);
}

/* One sample's loss over its outputs OUT[i * m + s], i < N, built from
   the engine's primitives; COMP and SIMPLEX as fadj_graph_loss.  */
static fadj_node
sample_loss (fadj_graph *g, fadj_loss_kind k, const fadj_node *out,
             const fadj_mat *comp, const fadj_mat *y, size_t s,
             fadj_node *terms, int simplex)
{
  size_t n = y->rows, m = y->cols, i;
  fadj_node one = fadj_graph_const_si (g, 1), sum;

  for (i = 0; i < n; i++)
    {
      fadj_node x = out[i * m + s];
      fadj_node yi = fadj_graph_const (g, FADJ_NUM_Q (FADJ_MAT (y, i, s)));
      fadj_node d;
      fadj_num_srcptr c;

      switch (k)
        {
        case FADJ_LOSS_CROSS_ENTROPY:
          /* y ln x + (1 - y) ln (1 - x) */
          c = comp != NULL && comp->rows > 0 ? FADJ_MAT (comp, i, s) : NULL;
          d = fadj_graph_mul (g, yi, log_output (g, x, c));
          terms[i] = fadj_graph_add (g, d, fadj_graph_mul (
                       g, fadj_graph_sub (g, one, yi),
                       log_complement_output (g, one, x, c)));
          break;
        case FADJ_LOSS_CATEGORICAL_CROSS_ENTROPY:
          terms[i] = fadj_graph_mul (g, yi, simplex
                                     ? log_softmax_output (g, out, n, m, i, s)
                                     : fadj_graph_log (g, x));
          break;
        default:
          d = fadj_graph_sub (g, x, yi);
          terms[i] = fadj_graph_mul (g, d, d);
          break;
        }
    }
  sum = fadj_graph_sum (g, n, terms);
  switch (k)
    {
    case FADJ_LOSS_HALF_SQUARED:
      return fadj_graph_div (g, sum, fadj_graph_const_si (g, 2));
    case FADJ_LOSS_MEAN_SQUARED:
      return fadj_graph_div (g, sum, fadj_graph_const_si (g, (long) n));
    case FADJ_LOSS_CROSS_ENTROPY:
    case FADJ_LOSS_CATEGORICAL_CROSS_ENTROPY:
      return fadj_graph_neg (g, sum);
    default:
      return sum;
    }
}

fadj_node
fadj_graph_sample_loss (fadj_graph *g, fadj_loss_kind k, const fadj_node *out,
                        const fadj_mat *comp, const fadj_mat *y, size_t s,
                        int simplex)
{
  fadj_node *terms = calloc (y->rows > 0 ? y->rows : 1, sizeof *terms), r;

  assert ((unsigned) k < FADJ_LOSS_COUNT);
  if (terms == NULL)
    return fadj_graph_fail (g, FADJ_ERR_NOMEM);
  r = sample_loss (g, k, out, comp, y, s, terms, simplex);
  free (terms);
  return r;
}

/* J = the sum (or, for BATCH mean, the mean) over the samples of each
   sample's loss.  */
fadj_node
fadj_graph_loss (fadj_graph *g, fadj_loss_kind k, const fadj_node *out,
                 const fadj_mat *comp, const fadj_mat *y, fadj_batch batch,
                 int simplex)
{
  size_t m = y->cols, s;
  fadj_node *terms, *per, J;

  assert ((unsigned) k < FADJ_LOSS_COUNT);
  terms = calloc (y->rows + m, sizeof *terms);
  if (terms == NULL)
    return fadj_graph_fail (g, FADJ_ERR_NOMEM);
  per = terms + y->rows;
  if (m == 1)
    J = sample_loss (g, k, out, comp, y, 0, terms, simplex);
  else
    {
      for (s = 0; s < m; s++)
        per[s] = sample_loss (g, k, out, comp, y, s, terms, simplex);
      J = fadj_graph_batch (g, m, per, batch);
    }
  free (terms);
  return J;
}

fadj_node
fadj_graph_batch (fadj_graph *g, size_t m, const fadj_node *per,
                  fadj_batch batch)
{
  fadj_node J = fadj_graph_sum (g, m, per);

  if (batch == FADJ_BATCH_MEAN && m > 1)
    J = fadj_graph_div (g, J, fadj_graph_const_si (g, (long) m));
  return J;
}
