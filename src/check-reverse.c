/* check-reverse.c -- the independent check of the two-step rule: the graph's
   generic reverse mode gives dJ/d(node) for every leaf (weights, biases,
   inputs) and every intermediate Y^l, X^l; the F-adjoint's results must
   equal them, exactly for rationals (mpq_equal) and as overlapping
   enclosures for intervals (disjoint enclosures prove a mismatch).

   Compared, in this order (the first disagreement is reported):
   dJ/dW^l (bias column last) for l = 1..L, a shared bias's dJ/db^l,
   Y^l_* = dJ/dY^l for l = L..1, X^l_* = dJ/dX^l for l = L..0 (X^L_* is
   the seed, X^0_* the input gradient).

   With 'batch mean', J is (1/m) times the sum of the per-sample losses
   while the seed is each sample's own derivative: Y^l_* and X^l_* are
   then m times the adjoints, and are compared so.  */

#include "fadj-impl.h"

/* Compare A against SCALE times the adjoint of node X (SCALE NULL: 1);
   on the first mismatch record where.  */
static void
check_entry (fadj_check *c, const fadj_trace *t, fadj_num_srcptr a,
             fadj_node x, fadj_num_srcptr scale, fadj_quantity what,
             size_t layer, size_t row, size_t col)
{
  fadj_num_t v;
  int same;

  c->compared++;
  if (!c->agree)
    return;
  fadj_num_init (v, &t->ctx);
  fadj_num_set (v, fadj_graph_adjoint (t->graph, x));
  if (scale != NULL)
    fadj_num_mul (v, v, scale);
  same = fadj_num_compatible_p (a, v);
  fadj_num_clear (v);
  if (!same)
    {
      c->agree = 0;
      c->what = what;
      c->layer = layer;
      c->row = row;
      c->col = col;
    }
}

fadj_status
fadj_trace_verify (fadj_check *c, const fadj_trace *t)
{
  const struct fadj_trace_nodes *nd = t->nodes;
  const fadj_net *net = t->net;
  size_t l, i, j, s, m = t->m;
  fadj_num_t g;
  fadj_status st;
  fadj_num_t mq;
  fadj_num_srcptr scale = NULL;

  c->agree = 1;
  c->compared = 0;
  c->what = FADJ_Q_GRADIENT;
  c->layer = c->row = c->col = 0;

  if (t->graph == NULL)
    return FADJ_OK;             /* the lean path: nothing to compare */
  st = fadj_graph_reverse (t->graph, nd->J);
  if (st != FADJ_OK)
    return st;
  fadj_num_init (mq, &t->ctx);
  fadj_num_set_si (mq, (long) m);
  if (net->batch == FADJ_BATCH_MEAN && m > 1)
    scale = mq;

  fadj_num_init (g, &t->ctx);
  for (l = 1; l <= t->L; l++)
    {
      size_t rows = net->sizes[l], cols = net->sizes[l - 1];
      for (i = 0; i < rows; i++)
        {
          for (j = 0; j < cols; j++)
            {
              fadj_trace_gradient_entry (g, t, l, i, j);
              check_entry (c, t, g, nd->w[l][i * cols + j], NULL,
                           FADJ_Q_GRADIENT, l, i, j);
            }
          if (nd->b[l] != NULL)
            {
              fadj_trace_gradient_entry (g, t, l, i, cols);
              check_entry (c, t, g, nd->b[l][i], NULL, FADJ_Q_GRADIENT, l,
                           i, cols);
            }
        }
      if (t->gb[l].rows > 0)
        check_entry (c, t, t->gb[l].e, nd->bs[l], NULL, FADJ_Q_SHARED_BIAS,
                     l, 0, 0);
    }
  fadj_num_clear (g);
  for (l = t->L; l >= 1; l--)
    for (i = 0; i < net->sizes[l]; i++)
      for (s = 0; s < m; s++)
        check_entry (c, t, FADJ_MAT (t->ys + l, i, s), nd->y[l][i * m + s],
                     scale, FADJ_Q_Y_STAR, l, i, s);
  for (l = t->L + 1; l-- > 0; )
    for (i = 0; i < net->sizes[l]; i++)
      for (s = 0; s < m; s++)
        check_entry (c, t, FADJ_MAT (t->xs + l, i, s),
                     l == 0 ? nd->x0[i * m + s] : nd->x[l][i * m + s],
                     scale, FADJ_Q_X_STAR, l, i, s);
  fadj_num_clear (mq);
  return FADJ_OK;
}
