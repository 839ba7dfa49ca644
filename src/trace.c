/* trace.c -- one derivation: the F-propagation (read from the network's
   computation graph, or computed on matrices on the lean path), the
   F-adjoint by the two-step rule at layer level, the gradients, and the
   verification against the graph.

   Two paths.  With FADJ_TRACE_GRAPH (fadj-explain, fadj-audit
   --check=full) the network is built as a scalar graph, Y^l and X^l are
   read from its nodes and its reverse mode checks every entry.  Without
   it (real layer sizes: a 512-wide layer has 262144 weights, and a graph
   node with its value per weight would cost several times the weights'
   own size) Y^l = W^l X^{l-1} + b^l is computed by the layer products of
   wmat.c and sigma through a small per-layer graph (forward.c).  Either
   way the two-step rule itself runs on matrices and is the same code.

   Boughammoura's notation: Y^l = W^l X^{l-1} (with the 1 appended to
   X^{l-1} when the layer has a bias), X^l = sigma(Y^l); seed X^L_* =
   dJ/dX^L; step 1 Y^l_* = X^l_* (.) sigma'(Y^l); step 2 X^{l-1}_* =
   (W^l_#)^T Y^l_*; dJ/dW^l = Y^l_* (X^{l-1})^T.  */

#include "fadj-impl.h"

#include <assert.h>
#include <stdlib.h>

static void
nodes_free (struct fadj_trace_nodes *nd, size_t L)
{
  size_t l;

  if (nd == NULL)
    return;
  free (nd->x0);
  for (l = 0; l <= L; l++)
    {
      if (nd->w) free (nd->w[l]);
      if (nd->b) free (nd->b[l]);
      if (nd->y) free (nd->y[l]);
      if (nd->x) free (nd->x[l]);
    }
  free (nd->w);
  free (nd->b);
  free (nd->y);
  free (nd->x);
  free (nd);
}

void
fadj_trace_free (fadj_trace *t)
{
  size_t l;

  if (t == NULL)
    return;
  for (l = 0; l <= t->L; l++)
    {
      if (t->X) fadj_mat_clear (t->X + l);
      if (t->Y) fadj_mat_clear (t->Y + l);
      if (t->dsig) fadj_mat_clear (t->dsig + l);
      if (t->ys) fadj_mat_clear (t->ys + l);
      if (t->xs) fadj_mat_clear (t->xs + l);
      if (t->grad) fadj_mat_clear (t->grad + l);
    }
  free (t->X);
  free (t->Y);
  free (t->dsig);
  free (t->ys);
  free (t->xs);
  free (t->grad);
  if (t->wm != NULL)
    for (l = 0; l <= t->L; l++)
      fadj_wmat_free (t->wm[l]);
  free (t->wm);
  fadj_num_clear (t->J);
  nodes_free (t->nodes, t->L);
  fadj_graph_free (t->graph);
  free (t);
}

/* Allocate the trace's arrays, every matrix zeroed (so that freeing a
   half-built trace is safe).  */
static fadj_status nodes_alloc (fadj_trace *t, struct fadj_trace_nodes *nd);

static fadj_status
trace_alloc (fadj_trace *t)
{
  size_t L = t->L, n = L + 1, l;
  struct fadj_trace_nodes *nd;
  fadj_status st0;

  t->X = calloc (n, sizeof *t->X);
  t->Y = calloc (n, sizeof *t->Y);
  t->dsig = calloc (n, sizeof *t->dsig);
  t->ys = calloc (n, sizeof *t->ys);
  t->xs = calloc (n, sizeof *t->xs);
  t->wm = calloc (n, sizeof *t->wm);
  if (!t->X || !t->Y || !t->dsig || !t->ys || !t->xs || !t->wm)
    return FADJ_ERR_NOMEM;
  if (t->flags & FADJ_TRACE_GRADIENTS)
    {
      t->grad = calloc (n, sizeof *t->grad);
      if (!t->grad)
        return FADJ_ERR_NOMEM;
    }
  for (l = 1; l <= L; l++)
    {
      const fadj_layer *ly = t->net->layers + l - 1;
      fadj_status st = fadj_wmat_new (t->wm + l, &ly->w,
                                      ly->has_bias ? &ly->b : NULL, &t->ctx);
      if (st != FADJ_OK)
        return st;
    }
  if (t->flags & FADJ_TRACE_GRAPH)
    {
      t->nodes = nd = calloc (1, sizeof *nd);
      if (!nd)
        return FADJ_ERR_NOMEM;
      if ((st0 = nodes_alloc (t, nd)) != FADJ_OK)
        return st0;
    }
  for (l = 0; l <= L; l++)
    {
      size_t rows = t->net->sizes[l];
      fadj_status st;

      if ((st = fadj_mat_init (t->X + l, rows, t->m, &t->ctx)) != FADJ_OK
          || (st = fadj_mat_init (t->xs + l, rows, t->m, &t->ctx)) != FADJ_OK)
        return st;
      if (l == 0)
        continue;
      if ((st = fadj_mat_init (t->Y + l, rows, t->m, &t->ctx)) != FADJ_OK
          || (st = fadj_mat_init (t->dsig + l, rows, t->m, &t->ctx))
             != FADJ_OK
          || (st = fadj_mat_init (t->ys + l, rows, t->m, &t->ctx)) != FADJ_OK
          || (t->grad != NULL
              && (st = fadj_mat_init (t->grad + l, rows,
                                      t->net->sizes[l - 1]
                                      + (t->net->layers[l - 1].has_bias
                                         != 0), &t->ctx)) != FADJ_OK))
        return st;
    }
  return FADJ_OK;
}

/* The graph node tables of ND, zeroed.  */
static fadj_status
nodes_alloc (fadj_trace *t, struct fadj_trace_nodes *nd)
{
  size_t L = t->L, n = L + 1, l;

  nd->w = calloc (n, sizeof *nd->w);
  nd->b = calloc (n, sizeof *nd->b);
  nd->y = calloc (n, sizeof *nd->y);
  nd->x = calloc (n, sizeof *nd->x);
  nd->x0 = calloc (t->net->sizes[0] * t->m, sizeof *nd->x0);
  if (!nd->w || !nd->b || !nd->y || !nd->x || !nd->x0)
    return FADJ_ERR_NOMEM;
  for (l = 1; l <= L; l++)
    {
      const fadj_layer *ly = t->net->layers + l - 1;
      size_t rows = t->net->sizes[l], cols = t->net->sizes[l - 1];

      nd->w[l] = calloc (rows * cols, sizeof (fadj_node));
      nd->y[l] = calloc (rows * t->m, sizeof (fadj_node));
      nd->x[l] = calloc (rows * t->m, sizeof (fadj_node));
      if (!nd->w[l] || !nd->y[l] || !nd->x[l])
        return FADJ_ERR_NOMEM;
      if (ly->has_bias)
        {
          nd->b[l] = calloc (rows, sizeof (fadj_node));
          if (!nd->b[l])
            return FADJ_ERR_NOMEM;
        }
    }
  return FADJ_OK;
}

/* The F-propagation as a graph: leaves for X^0 and every weight and bias,
   one dot-product node per Y^l_{is} (the bias as a product with the
   appended constant 1, exactly the augmented convention), sigma from
   primitives, and the loss.  Copies Y^l and X^l out of the graph.  */
static fadj_status
trace_build_graph (fadj_trace *t)
{
  const fadj_net *net = t->net;
  struct fadj_trace_nodes *nd = t->nodes;
  fadj_graph *g;
  fadj_node one, *a = NULL, *b = NULL;
  size_t l, i, j, s, m = t->m, width = 1;
  fadj_status st;

  t->graph = g = fadj_graph_new (&t->ctx);
  if (g == NULL)
    return FADJ_ERR_NOMEM;
  for (l = 0; l <= t->L; l++)
    if (net->sizes[l] + 1 > width)
      width = net->sizes[l] + 1;
  a = malloc (width * sizeof *a);
  b = malloc (width * sizeof *b);
  if (a == NULL || b == NULL)
    {
      free (a);
      free (b);
      return FADJ_ERR_NOMEM;
    }
  one = fadj_graph_const_si (g, 1);
  for (i = 0; i < net->sizes[0] * m; i++)
    nd->x0[i] = fadj_graph_leaf (g, &net->input.e[i].u.q);

  for (l = 1; l <= t->L; l++)
    {
      const fadj_layer *ly = net->layers + l - 1;
      size_t rows = net->sizes[l], cols = net->sizes[l - 1];
      const fadj_node *xprev = l == 1 ? nd->x0 : nd->x[l - 1];

      for (i = 0; i < rows * cols; i++)
        nd->w[l][i] = fadj_graph_leaf (g, &ly->w.e[i].u.q);
      if (ly->has_bias)
        for (i = 0; i < rows; i++)
          nd->b[l][i] = fadj_graph_leaf (g, &ly->b.e[i].u.q);
      for (i = 0; i < rows; i++)
        for (s = 0; s < m; s++)
          {
            size_t n = cols;
            for (j = 0; j < cols; j++)
              {
                a[j] = nd->w[l][i * cols + j];
                b[j] = xprev[j * m + s];
              }
            if (ly->has_bias)
              {
                a[n] = nd->b[l][i];
                b[n++] = one;
              }
            nd->y[l][i * m + s] = fadj_graph_dot (g, n, a, b);
            nd->x[l][i * m + s]
              = fadj_graph_activation (g, ly->act, ly->act_param,
                                       nd->y[l][i * m + s]);
          }
    }
  nd->J = fadj_graph_loss (g, net->loss, nd->x[t->L], &net->target);
  free (a);
  free (b);
  if ((st = fadj_graph_status (g)) != FADJ_OK)
    return st;

  for (i = 0; i < net->sizes[0] * m; i++)
    fadj_num_set (t->X[0].e + i, fadj_graph_value (g, nd->x0[i]));
  for (l = 1; l <= t->L; l++)
    for (i = 0; i < net->sizes[l] * m; i++)
      {
        fadj_num_set (t->Y[l].e + i, fadj_graph_value (g, nd->y[l][i]));
        fadj_num_set (t->X[l].e + i, fadj_graph_value (g, nd->x[l][i]));
      }
  fadj_num_set (t->J, fadj_graph_value (g, nd->J));
  return FADJ_OK;
}

/* The F-adjoint by the two-step rule, and the gradients (when they are
   stored).  Works on the trace's matrices only, with the weights
   prepared for the trace's domain (wmat.c).  */
static fadj_status
trace_fadjoint (fadj_trace *t)
{
  const fadj_net *net = t->net;
  size_t L = t->L, m = t->m, l, i, j, s;
  fadj_num_t y;
  fadj_status st = FADJ_OK;

  /* The seed X^L_* = dJ/dX^L.  */
  fadj_num_init (y, &t->ctx);
  for (i = 0; i < net->sizes[L] * m && st == FADJ_OK; i++)
    {
      fadj_num_set_q (y, &net->target.e[i].u.q);
      st = fadj_loss_seed (t->xs[L].e + i, net->loss, t->X[L].e + i, y);
    }
  fadj_num_clear (y);

  for (l = L; l >= 1 && st == FADJ_OK; l--)
    {
      const fadj_layer *ly = net->layers + l - 1;
      size_t rows = net->sizes[l], cols = net->sizes[l - 1];

      /* Step 1: Y^l_* = X^l_* (.) sigma'(Y^l).  */
      for (i = 0; i < rows * m && st == FADJ_OK; i++)
        {
          st = fadj_act_deriv (t->dsig[l].e + i, ly->act, ly->act_param,
                               t->Y[l].e + i, t->X[l].e + i);
          if (st == FADJ_OK)
            fadj_num_mul (t->ys[l].e + i, t->xs[l].e + i, t->dsig[l].e + i);
        }
      if (st != FADJ_OK)
        break;

      /* Step 2: X^{l-1}_* = (W^l_#)^T Y^l_*, W^l_# without the bias.  */
      if ((st = fadj_wmat_tmul (t->xs + l - 1, t->wm[l], t->ys + l))
          != FADJ_OK)
        break;
      if (t->grad == NULL)
        continue;

      /* dJ/dW^l = Y^l_* (X^{l-1})^T, summed over the samples; the bias
         column meets the appended 1s, so it is the row sums of Y^l_*.  */
      for (i = 0; i < rows; i++)
        {
          for (j = 0; j < cols; j++)
            {
              fadj_num_ptr r = FADJ_MAT (t->grad + l, i, j);
              fadj_num_set_si (r, 0);
              for (s = 0; s < m; s++)
                fadj_num_addmul (r, FADJ_MAT (t->ys + l, i, s),
                                 FADJ_MAT (t->X + l - 1, j, s));
            }
          if (ly->has_bias)
            {
              fadj_num_ptr r = FADJ_MAT (t->grad + l, i, cols);
              fadj_num_set_si (r, 0);
              for (s = 0; s < m; s++)
                fadj_num_add (r, r, FADJ_MAT (t->ys + l, i, s));
            }
        }
    }
  return st;
}

/* The F-propagation on matrices (the lean path): Y^l = W^l X^{l-1} +
   b^l by the layer products, X^l = sigma(Y^l) and J through the engine's
   primitive forms of sigma and of the loss.  */
static fadj_status
trace_propagate (fadj_trace *t)
{
  const fadj_net *net = t->net;
  size_t l, i;
  fadj_status st;

  for (i = 0; i < net->sizes[0] * t->m; i++)
    fadj_num_set_q (t->X[0].e + i, &net->input.e[i].u.q);
  for (l = 1; l <= t->L; l++)
    {
      const fadj_layer *ly = net->layers + l - 1;
      if ((st = fadj_wmat_mul (t->Y + l, t->wm[l], t->X + l - 1, 1))
          != FADJ_OK
          || (st = fadj_act_apply (t->X + l, NULL, ly->act, ly->act_param,
                                   t->Y + l, NULL)) != FADJ_OK)
        return st;
    }
  return fadj_loss_apply (t->J, NULL, net->loss, t->X + t->L, NULL,
                          &net->target);
}

void
fadj_trace_gradient (fadj_num_ptr r, const fadj_trace *t, size_t l,
                     size_t i, size_t j)
{
  size_t cols = t->net->sizes[l - 1], s;

  if (t->grad != NULL)
    {
      fadj_num_set (r, FADJ_MAT (t->grad + l, i, j));
      return;
    }
  if (t->m == 1 && j < cols)
    {
      /* One sample: one product (no temporary, as addmul needs).  */
      fadj_num_mul (r, t->ys[l].e + i, t->X[l - 1].e + j);
      return;
    }
  fadj_num_set_si (r, 0);
  for (s = 0; s < t->m; s++)
    if (j == cols)
      fadj_num_add (r, r, FADJ_MAT (t->ys + l, i, s));
    else
      fadj_num_addmul (r, FADJ_MAT (t->ys + l, i, s),
                       FADJ_MAT (t->X + l - 1, j, s));
}

fadj_status
fadj_trace_compute (fadj_trace **tp, const fadj_net *net,
                    const fadj_ctx *ctx)
{
  return fadj_trace_compute_flags (tp, net, ctx,
                                   FADJ_TRACE_GRAPH | FADJ_TRACE_GRADIENTS);
}

fadj_status
fadj_trace_compute_flags (fadj_trace **tp, const fadj_net *net,
                          const fadj_ctx *ctx, unsigned flags)
{
  fadj_trace *t;
  fadj_status st;

  *tp = NULL;
  t = calloc (1, sizeof *t);
  if (t == NULL)
    return FADJ_ERR_NOMEM;
  t->ctx = *ctx;
  t->flags = flags;
  t->net = net;
  t->L = net->nlayers;
  t->m = net->nsamples;
  t->check.agree = 1;
  fadj_num_init (t->J, ctx);
  if ((st = trace_alloc (t)) != FADJ_OK
      || (st = (flags & FADJ_TRACE_GRAPH ? trace_build_graph (t)
                : trace_propagate (t))) != FADJ_OK
      || (st = trace_fadjoint (t)) != FADJ_OK
      || ((flags & FADJ_TRACE_GRAPH)
          && (st = fadj_trace_verify (&t->check, t)) != FADJ_OK))
    {
      fadj_trace_free (t);
      return st;
    }
  *tp = t;
  return FADJ_OK;
}
