/* loss.c -- the losses: names, the seed X^L_* = dJ/dX^L of the F-adjoint,
   and J itself as a graph (whose reverse mode re-derives the seed).  */

#include "fadj-impl.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static const struct
{
  const char *name;
  long coef_num, coef_den;  /* J = coef * sum (x - y)^2 */
} loss_table[FADJ_LOSS_COUNT] = {
  [FADJ_LOSS_HALF_SQUARED] = { "half_squared", 1, 2 },
  [FADJ_LOSS_SQUARED]      = { "squared",      1, 1 },
};

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
  return 1;
}

/* d/dx coef (x - y)^2 = 2 coef (x - y).  */
fadj_status
fadj_loss_seed (fadj_num_ptr r, fadj_loss_kind k, fadj_num_srcptr x,
                fadj_num_srcptr y)
{
  mpq_t c;

  assert ((unsigned) k < FADJ_LOSS_COUNT);
  mpq_init (c);
  mpq_set_si (c, 2 * loss_table[k].coef_num, loss_table[k].coef_den);
  mpq_canonicalize (c);
  fadj_num_sub (r, x, y);
  if (mpq_cmp_si (c, 1, 1) != 0)
    {
      fadj_num_t cn;
      fadj_ctx ctx = { r->domain, r->domain == FADJ_INTERVAL
                       ? mpfi_get_prec (&r->u.i) : 0 };
      fadj_num_init (cn, &ctx);
      fadj_num_set_q (cn, c);
      fadj_num_mul (r, r, cn);
      fadj_num_clear (cn);
    }
  mpq_clear (c);
  return FADJ_OK;
}

/* J = coef * sum over outputs and samples of (x - y)^2, built from the
   engine's primitives.  */
fadj_node
fadj_graph_loss (fadj_graph *g, fadj_loss_kind k, const fadj_node *out,
                 const fadj_mat *y)
{
  size_t n = y->rows * y->cols, i;
  fadj_node *sq, sum, coef;
  mpq_t c;

  assert ((unsigned) k < FADJ_LOSS_COUNT);
  sq = malloc (n * sizeof *sq);
  if (sq == NULL)
    return fadj_graph_fail (g, FADJ_ERR_NOMEM);
  for (i = 0; i < n; i++)
    {
      fadj_node d = fadj_graph_sub (g, out[i],
                                    fadj_graph_const (g, &y->e[i].u.q));
      sq[i] = fadj_graph_mul (g, d, d);
    }
  sum = fadj_graph_sum (g, n, sq);
  free (sq);
  mpq_init (c);
  mpq_set_si (c, loss_table[k].coef_num, loss_table[k].coef_den);
  coef = fadj_graph_const (g, c);
  mpq_clear (c);
  return fadj_graph_mul (g, coef, sum);
}
