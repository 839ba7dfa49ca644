/* check-reverse.c -- the reverse-mode check of the two-step rule, and
   the derivation that comes with it (fadj_trace_compute*).

   The graph's generic reverse mode gives dJ/d(node) for every leaf
   (weights, biases, inputs) and every intermediate Y^l, X^l; the
   F-adjoint's results must equal them, exactly for rationals
   (mpq_equal) and as overlapping enclosures for intervals (disjoint
   enclosures prove a mismatch).

   Compared, in this order (the first disagreement is reported):
   dJ/dW^l (bias column last) for l = 1..L, a shared bias's dJ/db^l,
   Y^l_* = dJ/dY^l for l = L..1, X^l_* = dJ/dX^l for l = L..0 (X^L_* is
   the seed, X^0_* the input gradient).

   With 'batch mean', J is (1/m) times the sum of the per-sample losses
   while the seed is each sample's own derivative: Y^l_* and X^l_* are
   the adjoints of that sum.  What is compared is each printed quantity
   as the derivative of J it is said to be (fadj_trace_of_J: Y^l_* / m,
   the input gradient X^0_* / m), against the engine's own derivative
   of J, never scaled: a wrong factor on either side is a
   disagreement.

   Without the graph (FADJ_TRACE_DIRECTIONAL), fadj_trace_compute* run
   the directional check (check-directional.c) instead.

   The derivation and its checks depend on each other one way only:

     graph.c, act.c, loss.c, wmat.c  <-  act-graph.c  <-  trace.c
       <-  check-reverse.c, check-directional.c

   trace.c derives (fadj_trace_derive) and calls no check; the checks
   read a finished trace.  The public entry points fadj_trace_compute*
   promise a derivation already checked (against the graph, or along a
   direction), so they sit here, above both: derive, then check.  */

#include "fadj-impl.h"

/* Compare A against dJ/d(node X); on the first mismatch record
   where.  */
static void
check_entry (fadj_check *c, const fadj_trace *t, fadj_num_srcptr a,
             fadj_node x, fadj_quantity what, size_t layer, size_t row,
             size_t col)
{
  c->compared++;
  if (!c->agree)
    return;
  if (!fadj_num_compatible_p (a, fadj_graph_adjoint (t->graph, x)))
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

  c->agree = 1;
  c->compared = 0;
  c->what = FADJ_Q_GRADIENT;
  c->layer = c->row = c->col = 0;

  if (t->graph == NULL)
    return FADJ_OK;             /* the lean path: nothing to compare */
  st = fadj_graph_reverse (t->graph, nd->J);
  if (st != FADJ_OK)
    return st;
  fadj_num_init (g, &t->ctx);
  for (l = 1; l <= t->L; l++)
    {
      size_t rows = net->sizes[l], cols = net->sizes[l - 1];
      for (i = 0; i < rows; i++)
        {
          for (j = 0; j < cols; j++)
            {
              fadj_trace_gradient_entry (g, t, l, i, j);
              check_entry (c, t, g, nd->w[l][i * cols + j],
                           FADJ_Q_GRADIENT, l, i, j);
            }
          if (nd->b[l] != NULL)
            {
              fadj_trace_gradient_entry (g, t, l, i, cols);
              check_entry (c, t, g, nd->b[l][i], FADJ_Q_GRADIENT, l, i,
                           cols);
            }
        }
      if (t->gb[l].rows > 0)
        check_entry (c, t, t->gb[l].e, nd->bs[l], FADJ_Q_SHARED_BIAS, l,
                     0, 0);
    }
  for (l = t->L; l >= 1; l--)
    for (i = 0; i < net->sizes[l]; i++)
      for (s = 0; s < m; s++)
        {
          fadj_trace_of_J (g, t, FADJ_MAT (t->ys + l, i, s));
          check_entry (c, t, g, nd->y[l][i * m + s], FADJ_Q_Y_STAR, l, i,
                       s);
        }
  for (l = t->L + 1; l-- > 0; )
    for (i = 0; i < net->sizes[l]; i++)
      for (s = 0; s < m; s++)
        {
          if (l == 0)
            fadj_trace_input_gradient_entry (g, t, i, s);
          else
            fadj_trace_of_J (g, t, FADJ_MAT (t->xs + l, i, s));
          check_entry (c, t, g, l == 0 ? nd->x0[i * m + s]
                       : nd->x[l][i * m + s], FADJ_Q_X_STAR, l, i, s);
        }
  fadj_num_clear (g);
  return FADJ_OK;
}

/* ------------------------------------------------------------------ */
/* The derivation, checked.                                            */

/* The directional check of T, its verdict in T's check (the two
   numbers it compares are not kept: the document states the verdict).  */
static fadj_status
check_directional (fadj_trace *t)
{
  fadj_num_t fwd, proj;
  fadj_status st;

  fadj_num_init (fwd, &t->ctx);
  fadj_num_init (proj, &t->ctx);
  st = fadj_trace_directional (&t->check, fwd, proj, t,
                               FADJ_DIRECTIONAL_SEED);
  fadj_num_clear (fwd);
  fadj_num_clear (proj);
  return st;
}

fadj_status
fadj_trace_compute_opts (fadj_trace **tp, const fadj_net *net,
                         const fadj_ctx *ctx, const fadj_trace_opts *opts)
{
  fadj_trace *t;
  fadj_status st = fadj_trace_derive (&t, net, ctx, opts);

  *tp = NULL;
  if (st != FADJ_OK)
    return st;
  if (t->graph != NULL)
    st = fadj_trace_verify (&t->check, t);
  else if (t->flags & FADJ_TRACE_DIRECTIONAL)
    st = check_directional (t);
  if (st != FADJ_OK)
    {
      fadj_trace_free (t);
      return st;
    }
  *tp = t;
  return FADJ_OK;
}

fadj_status
fadj_trace_compute_flags (fadj_trace **tp, const fadj_net *net,
                          const fadj_ctx *ctx, unsigned flags)
{
  fadj_trace_opts opts;

  fadj_trace_opts_init (&opts);
  opts.flags = flags;
  return fadj_trace_compute_opts (tp, net, ctx, &opts);
}

fadj_status
fadj_trace_compute (fadj_trace **tp, const fadj_net *net,
                    const fadj_ctx *ctx)
{
  return fadj_trace_compute_opts (tp, net, ctx, NULL);
}
