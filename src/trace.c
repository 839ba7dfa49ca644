/* trace.c -- one derivation: the F-propagation (read from the network's
   computation graph, or computed on matrices on the lean path), the
   F-adjoint by the two-step rule at layer level, and the gradients.  The
   checks of the result (check-reverse.c against the graph,
   check-directional.c along a direction) read it afterwards: this file
   calls neither, and takes sigma's graphs of the lean path from
   act-graph.c, which calls nothing here.

   Two paths.  With FADJ_TRACE_GRAPH (fadj-explain, fadj-audit
   --check=full) the network is built as a scalar graph, Y^l and X^l are
   read from its nodes and its reverse mode checks every entry.  Without
   it (real layer sizes: a 512-wide layer has 262144 weights, and a graph
   node with its value per weight would cost several times the weights'
   own size) Y^l = W^l X^{l-1} + b^l is computed by the layer products of
   wmat.c and sigma through a small per-layer graph (act-graph.c).  Either
   way the two-step rule itself runs on matrices and is the same code.

   Boughammoura's notation: Y^l = W^l X^{l-1} (with the 1 appended to
   X^{l-1} when the layer has a bias), X^l = sigma(Y^l); seed X^L_* =
   dJ/dX^L; step 1 Y^l_* = X^l_* (.) sigma'(Y^l) (for softmax, a vector
   map, Y^l_* = J_sigma(Y^l)^T X^l_*); step 2 X^{l-1}_* = (W^l_#)^T Y^l_*;
   dJ/dW^l = Y^l_* (X^{l-1})^T.

   A batch of m samples is m columns.  The seed is the derivative of each
   sample's own loss, so Y^l_* and X^l_* are those of the sum of the
   per-sample losses; with 'batch mean' J is that sum over m, and the
   gradients are divided by m.

   A carried trace (textbook rounding) runs the same two-step code on
   exact rationals, rounding every entry to D decimal places as soon as
   it is computed; its F-propagation cannot come from the graph (the
   graph does not round), so it is computed by matrix code, with sigma
   and the loss evaluated by small graphs of their own.  */

#include "fadj-impl.h"
#include "parallel.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

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
  free (nd->bs);
  free (nd);
}

void
fadj_trace_free (fadj_trace *t)
{
  size_t n, k;

  if (t == NULL)
    return;
  n = t->L + 1;
  fadj_mat_array_free (t->X, n);
  fadj_mat_array_free (t->Y, n);
  fadj_mat_array_free (t->dsig, n);
  fadj_mat_array_free (t->ys, n);
  fadj_mat_array_free (t->xs, n);
  fadj_mat_array_free (t->grad, n);
  fadj_mat_array_free (t->own_w, n);
  fadj_mat_array_free (t->own_b, n);
  fadj_mat_array_free (t->jac, n);
  fadj_mat_array_free (t->gb, n);
  fadj_mat_clear (&t->comp);
  free (t->W);
  free (t->B);
  if (t->wm != NULL)
    for (k = 0; k < n; k++)
      fadj_wmat_free (t->wm[k]);
  free (t->wm);
  if (t->actg != NULL)
    for (k = 0; k < n; k++)
      fadj_act_graph_free (t->actg[k]);
  free (t->actg);
  fadj_num_clear (t->J);
  nodes_free (t->nodes, t->L);
  fadj_graph_free (t->graph);
  free (t);
}

/* Round X in place to the trace's carry (a no-op in a true trace).
   Carried values are exact rationals.  */
static void
carry_round (const fadj_trace *t, fadj_num_ptr x)
{
  if (t->carry >= 0)
    {
      fadj_status st = fadj_decimal_round_places (FADJ_NUM_Q (x), x, t->carry);
      assert (st == FADJ_OK);   /* exact values always round */
      (void) st;
    }
}

/* Does T keep only what its gradients need (FADJ_TRACE_DROP)?  Only
   the lean path of a true derivation does: the graph's reverse mode
   reads Y^l_* and X^l_* of every layer.  */
static int
trace_drop_p (const fadj_trace *t)
{
  return (t->flags & FADJ_TRACE_DROP) && !(t->flags & FADJ_TRACE_GRAPH)
    && t->carry < 0;
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
  nd->bs = calloc (n, sizeof *nd->bs);
  nd->x0 = calloc (t->net->sizes[0] * t->m, sizeof *nd->x0);
  if (!nd->w || !nd->b || !nd->y || !nd->x || !nd->bs || !nd->x0)
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

/* Allocate the trace's arrays, every matrix zeroed (so that freeing a
   half-built trace is safe).  The gradient matrices only with
   FADJ_TRACE_GRADIENTS, the graph's tables only with FADJ_TRACE_GRAPH.  */
static fadj_status
trace_alloc (fadj_trace *t)
{
  size_t L = t->L, n = L + 1, l;
  fadj_status st;

  t->X = calloc (n, sizeof *t->X);
  t->Y = calloc (n, sizeof *t->Y);
  t->dsig = calloc (n, sizeof *t->dsig);
  t->ys = calloc (n, sizeof *t->ys);
  t->xs = calloc (n, sizeof *t->xs);
  t->W = calloc (n, sizeof *t->W);
  t->B = calloc (n, sizeof *t->B);
  t->jac = calloc (n, sizeof *t->jac);
  t->gb = calloc (n, sizeof *t->gb);
  t->wm = calloc (n, sizeof *t->wm);
  if (!t->X || !t->Y || !t->dsig || !t->ys || !t->xs || !t->W || !t->B
      || !t->jac || !t->gb || !t->wm)
    return FADJ_ERR_NOMEM;
  if (t->flags & FADJ_TRACE_GRADIENTS)
    {
      t->grad = calloc (n, sizeof *t->grad);
      if (!t->grad)
        return FADJ_ERR_NOMEM;
    }
  if (t->flags & FADJ_TRACE_GRAPH)
    {
      t->nodes = calloc (1, sizeof *t->nodes);
      if (!t->nodes)
        return FADJ_ERR_NOMEM;
      if ((st = nodes_alloc (t, t->nodes)) != FADJ_OK)
        return st;
    }
  for (l = 0; l <= L; l++)
    {
      const fadj_layer *ly = l > 0 ? t->net->layers + l - 1 : NULL;
      size_t rows = t->net->sizes[l];

      if ((st = fadj_mat_init (t->X + l, rows, t->m, &t->ctx)) != FADJ_OK
          || (!trace_drop_p (t)
              && (st = fadj_mat_init (t->xs + l, rows, t->m, &t->ctx))
                 != FADJ_OK))
        return st;
      if (l == 0)
        continue;
      if ((st = fadj_mat_init (t->Y + l, rows, t->m, &t->ctx)) != FADJ_OK
          || (!trace_drop_p (t)
              && ((st = fadj_mat_init (t->dsig + l, rows, t->m, &t->ctx))
                  != FADJ_OK
                  || (st = fadj_mat_init (t->ys + l, rows, t->m, &t->ctx))
                     != FADJ_OK))
          || (t->grad != NULL
              && (st = fadj_mat_init (t->grad + l, rows,
                                      t->net->sizes[l - 1]
                                      + (ly->has_bias != 0), &t->ctx))
                 != FADJ_OK)
          || (st = fadj_mat_init (t->jac + l,
                                  fadj_act_vector_p (ly->act) ? rows : 0,
                                  rows * t->m, &t->ctx)) != FADJ_OK
          || (st = fadj_mat_init (t->gb + l, ly->bias_shared ? 1 : 0, 1,
                                  &t->ctx)) != FADJ_OK)
        return st;
    }
  return FADJ_OK;
}

/* The parameters: views of the network's exact ones or, when OPTS gives
   others, of the trace's own copies of them in its domain (the caller's
   may not outlive the trace); then the weights prepared for the layer
   products.  */
static fadj_status
trace_set_params (fadj_trace *t, const fadj_trace_opts *opts)
{
  size_t n = t->L + 1, l, i;
  fadj_status st;

  if (opts != NULL && opts->w != NULL)
    {
      t->own_w = calloc (n, sizeof *t->own_w);
      t->own_b = calloc (n, sizeof *t->own_b);
      if (t->own_w == NULL || t->own_b == NULL)
        return FADJ_ERR_NOMEM;
    }
  for (l = 1; l <= t->L; l++)
    {
      const fadj_layer *ly = t->net->layers + l - 1;

      if (t->own_w != NULL)
        {
          const fadj_mat *w = opts->w + l, *b = opts->b + l;
          if ((st = fadj_mat_init (t->own_w + l, w->rows, w->cols, &t->ctx))
              != FADJ_OK
              || (st = fadj_mat_init (t->own_b + l, b->rows, b->cols,
                                      &t->ctx)) != FADJ_OK)
            return st;
          for (i = 0; i < w->rows * w->cols; i++)
            fadj_num_convert (t->own_w[l].e + i, w->e + i);
          for (i = 0; i < b->rows * b->cols; i++)
            fadj_num_convert (t->own_b[l].e + i, b->e + i);
          t->W[l] = t->own_w + l;
          t->B[l] = t->own_b + l;
        }
      else
        {
          t->W[l] = &ly->w;
          t->B[l] = &ly->b;
        }
      if ((st = fadj_wmat_new (t->wm + l, t->W[l],
                               t->B[l]->rows > 0 ? t->B[l] : NULL, &t->ctx))
          != FADJ_OK)
        return st;
    }
  return FADJ_OK;
}

/* T->comp = 1 - X^L as sigma(-Y^L), for a sigmoid output under the
   binary cross-entropy, whose ln (1 - x) and seed need 1 - x with its
   relative precision: at y = 10^5, 1 - x = e^-100000 is no interval's
   difference from 1 below 144 270 bits.  */
static fadj_status
trace_complement (fadj_trace *t)
{
  const fadj_mat *x = t->X + t->L, *y = t->Y + t->L;
  size_t i;
  fadj_status st;

  fadj_mat_clear (&t->comp);
  if (t->net->loss != FADJ_LOSS_CROSS_ENTROPY
      || t->net->layers[t->L - 1].act != FADJ_ACT_SIGMOID)
    return FADJ_OK;
  if ((st = fadj_mat_init (&t->comp, x->rows, x->cols, &t->ctx)) != FADJ_OK)
    return st;
  for (i = 0; i < x->rows * x->cols; i++)
    fadj_sigmoid_complement (t->comp.e + i, y->e + i, x->e + i);
  return FADJ_OK;
}

/* The entry of T->comp for output I of sample S, or NULL.  */
static fadj_num_srcptr
trace_comp_entry (const fadj_trace *t, size_t i, size_t s)
{
  return t->comp.rows > 0 ? FADJ_MAT (&t->comp, i, s) : NULL;
}

/* The loss must be defined at every output: find the first entry where
   it is not, for the caller's message.  Makes T->comp first.  */
static fadj_status
trace_check_loss (fadj_trace *t, fadj_where *where)
{
  const fadj_mat *x = t->X + t->L;
  size_t i, s;
  fadj_status st = trace_complement (t);

  if (st != FADJ_OK)
    return st;
  for (s = 0; s < x->cols; s++)
    for (i = 0; i < x->rows; i++)
      {
        st = fadj_loss_check (t->net->loss, FADJ_MAT (x, i, s),
                              trace_comp_entry (t, i, s));
        if (st == FADJ_ERR_DOMAIN && where != NULL)
          {
            where->set = 1;
            where->row = i;
            where->col = s;
          }
        if (st != FADJ_OK)
          return st;
      }
  return FADJ_OK;
}

/* The F-propagation as a graph: leaves for X^0 and every weight and bias,
   one dot-product node per Y^l_{is} (the bias as a product with the
   appended constant 1, exactly the augmented convention), sigma from
   primitives, and the loss.  Copies Y^l and X^l out of the graph.  */
static fadj_status
trace_build_graph (fadj_trace *t, fadj_where *where)
{
  const fadj_net *net = t->net;
  struct fadj_trace_nodes *nd = t->nodes;
  fadj_graph *g;
  fadj_node one, *a = NULL, *b = NULL, *col = NULL;
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
  col = malloc (2 * width * sizeof *col);
  if (a == NULL || b == NULL || col == NULL)
    {
      free (a);
      free (b);
      free (col);
      return FADJ_ERR_NOMEM;
    }
  one = fadj_graph_const_si (g, 1);
  for (i = 0; i < net->sizes[0] * m; i++)
    nd->x0[i] = fadj_graph_leaf (g, FADJ_NUM_Q (&net->input.e[i]));

  for (l = 1; l <= t->L; l++)
    {
      const fadj_layer *ly = net->layers + l - 1;
      size_t rows = net->sizes[l], cols = net->sizes[l - 1];
      const fadj_node *xprev = l == 1 ? nd->x0 : nd->x[l - 1];

      /* The weights' leaves are the trace's own numbers, not copies
         (fadj_graph_leaf_ref): W and B outlive the graph, unchanged;
         compact weights (a network file's, fadj_mat's K / DEN) are
         leaves of two words each (fadj_graph_leaf_ratio).  */
      assert (t->W[l]->e != NULL || t->W[l]->x == NULL);  /* K / DEN */
      for (i = 0; i < rows * cols; i++)
        nd->w[l][i] = t->W[l]->e != NULL
          ? fadj_graph_leaf_ref (g, t->W[l]->e + i)
          : fadj_graph_leaf_ratio (g, t->W[l]->k[i], t->W[l]->den);
      if (ly->has_bias && ly->bias_shared)
        {
          /* One leaf; each neuron sees it through a node of its own, so
             that the per-neuron column of dJ/dW^l can be checked too.  */
          nd->bs[l] = fadj_graph_leaf_ref (g, t->B[l]->e);
          for (i = 0; i < rows; i++)
            nd->b[l][i] = fadj_graph_mul (g, one, nd->bs[l]);
        }
      else if (ly->has_bias)
        for (i = 0; i < rows; i++)
          nd->b[l][i] = fadj_graph_leaf_ref (g, t->B[l]->e + i);
      for (s = 0; s < m; s++)
        {
          for (i = 0; i < rows; i++)
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
              nd->y[l][i * m + s] = col[i] = fadj_graph_dot (g, n, a, b);
            }
          fadj_graph_activation_vec (g, col + width, ly->act, ly->act_param,
                                     rows, col);
          for (i = 0; i < rows; i++)
            nd->x[l][i * m + s] = col[width + i];
        }
    }
  free (a);
  free (b);
  free (col);
  if ((st = fadj_graph_status (g)) != FADJ_OK)
    return st;

  /* The graph's values, in the trace's domain: an exact value of an
     interval graph (num.c's mixed domains) is enclosed once, to its
     tightest enclosure (a point when it is dyadic: a relu's 0).  */
  for (i = 0; i < net->sizes[0] * m; i++)
    fadj_num_convert (t->X[0].e + i, fadj_graph_value (g, nd->x0[i]));
  for (l = 1; l <= t->L; l++)
    for (i = 0; i < net->sizes[l] * m; i++)
      {
        fadj_num_convert (t->Y[l].e + i, fadj_graph_value (g, nd->y[l][i]));
        fadj_num_convert (t->X[l].e + i, fadj_graph_value (g, nd->x[l][i]));
      }
  if ((st = trace_check_loss (t, where)) != FADJ_OK)
    return st;
  nd->J = fadj_graph_loss (g, net->loss, nd->x[t->L], &t->comp,
                           &net->target, net->batch,
                           fadj_trace_simplex_p (t));
  if ((st = fadj_graph_status (g)) != FADJ_OK)
    return st;
  fadj_num_convert (t->J, fadj_graph_value (g, nd->J));
  return FADJ_OK;
}

/* ------------------------------------------------------------------ */
/* The carried F-propagation.                                          */

/* R = V rounded to the carry; V may be an interval (a transcendental
   value), whose rounding must then be certain.  */
static fadj_status
carry_set (const fadj_trace *t, fadj_num_ptr r, fadj_num_srcptr v)
{
  return fadj_decimal_round_places (FADJ_NUM_Q (r), v, t->carry);
}

/* The context in which a carried step evaluates a function: exact when
   the function is rational, else intervals at the trace's precision.  */
static fadj_ctx
carry_ctx (const fadj_trace *t, int rational)
{
  fadj_ctx c = { .domain = rational ? FADJ_EXACT : FADJ_INTERVAL,
                 .prec = t->ctx.prec };
  return c;
}

/* X^l = round(sigma(Y^l)) column by column, sigma from the same graph
   builder as the true trace (a small graph per column).  */
static fadj_status
carry_sigma (fadj_trace *t, size_t l)
{
  const fadj_layer *ly = t->net->layers + l - 1;
  size_t n = t->net->sizes[l], i, s;
  fadj_ctx c = carry_ctx (t, fadj_act_rational_p (ly->act));
  fadj_node *nodes = malloc (2 * n * sizeof *nodes);
  fadj_status st = FADJ_OK;

  if (nodes == NULL)
    return FADJ_ERR_NOMEM;
  for (s = 0; s < t->m && st == FADJ_OK; s++)
    {
      fadj_graph *g = fadj_graph_new (&c);
      if (g == NULL)
        {
          st = FADJ_ERR_NOMEM;
          break;
        }
      for (i = 0; i < n; i++)
        nodes[i] = fadj_graph_leaf_num (g, FADJ_MAT (t->Y + l, i, s));
      fadj_graph_activation_vec (g, nodes + n, ly->act, ly->act_param, n,
                                 nodes);
      st = fadj_graph_status (g);
      for (i = 0; i < n && st == FADJ_OK; i++)
        st = carry_set (t, FADJ_MAT (t->X + l, i, s),
                        fadj_graph_value (g, nodes[n + i]));
      fadj_graph_free (g);
    }
  free (nodes);
  return st;
}

/* J = round(loss(X^L)), by the loss's graph over the carried outputs.  */
static fadj_status
carry_loss (fadj_trace *t)
{
  const fadj_net *net = t->net;
  size_t n = net->sizes[t->L] * t->m, i;
  fadj_ctx c = carry_ctx (t, fadj_loss_rational_p (net->loss));
  fadj_graph *g = fadj_graph_new (&c);
  fadj_node *out = malloc (n * sizeof *out), J;
  fadj_status st;

  if (g == NULL || out == NULL)
    {
      fadj_graph_free (g);
      free (out);
      return FADJ_ERR_NOMEM;
    }
  for (i = 0; i < n; i++)
    out[i] = fadj_graph_leaf_num (g, t->X[t->L].e + i);
  J = fadj_graph_loss (g, net->loss, out, NULL, &net->target, net->batch,
                       0);
  st = fadj_graph_status (g);
  if (st == FADJ_OK)
    st = carry_set (t, t->J, fadj_graph_value (g, J));
  fadj_graph_free (g);
  free (out);
  return st;
}

/* Y^l = round(W^l X^{l-1} + b^l), X^l = round(sigma(Y^l)), J.  */
static fadj_status
trace_forward_carried (fadj_trace *t, fadj_where *where)
{
  const fadj_net *net = t->net;
  size_t l, i, j, s;
  fadj_status st;

  for (i = 0; i < net->sizes[0] * t->m; i++)
    fadj_num_set_q (t->X[0].e + i, FADJ_NUM_Q (&net->input.e[i]));
  for (l = 1; l <= t->L; l++)
    {
      size_t rows = net->sizes[l], cols = net->sizes[l - 1];
      for (i = 0; i < rows; i++)
        for (s = 0; s < t->m; s++)
          {
            fadj_num_ptr r = FADJ_MAT (t->Y + l, i, s);
            fadj_num_set_si (r, 0);
            for (j = 0; j < cols; j++)
              fadj_num_addmul (r, FADJ_MAT (t->W[l], i, j),
                               FADJ_MAT (t->X + l - 1, j, s));
            if (t->B[l]->rows > 0)
              fadj_num_add (r, r, t->B[l]->e + i);
            carry_round (t, r);
          }
      if ((st = carry_sigma (t, l)) != FADJ_OK)
        return st;
    }
  if ((st = trace_check_loss (t, where)) != FADJ_OK)
    return st;
  return carry_loss (t);
}

/* sigma'(Y^l) of a carried trace: exact for a rational activation and
   for the hand formulas on the rounded X, sigmoid X (1 - X) and tanh
   1 - X^2 (rationals: in intervals their ties to the carry's last
   place, 1 - 0.05^2 = 0.9975, would never be decided), else enclosed and
   then rounded.  */
static fadj_status
carry_deriv (const fadj_trace *t, const fadj_layer *ly, fadj_num_ptr r,
             fadj_num_srcptr y, fadj_num_srcptr x)
{
  fadj_ctx c = carry_ctx (t, 0);
  fadj_num_t yi, xi, d;
  fadj_status st;

  if (fadj_act_rational_p (ly->act) || ly->act == FADJ_ACT_SIGMOID
      || ly->act == FADJ_ACT_TANH)
    {
      st = fadj_act_deriv (r, ly->act, ly->act_param, y, x);
      if (st == FADJ_OK)
        carry_round (t, r);
      return st;
    }
  fadj_num_init (yi, &c);
  fadj_num_init (xi, &c);
  fadj_num_init (d, &c);
  fadj_num_convert (yi, y);
  fadj_num_convert (xi, x);
  st = fadj_act_deriv (d, ly->act, ly->act_param, yi, xi);
  if (st == FADJ_OK)
    st = carry_set (t, r, d);
  fadj_num_clear (yi);
  fadj_num_clear (xi);
  fadj_num_clear (d);
  return st;
}

/* ------------------------------------------------------------------ */
/* The two-step rule.                                                  */

/* sigma' entries per chunk of the threads: some tens of microseconds
   (an entry of an interval sigmoid at 30 digits costs about one).  */
#define DERIVS_GRAIN 64

/* Entries [LO, HI) of sigma'(Y^l), not carried, for the --jobs threads
   (each entry its own; the first failure in index order returned).  */
typedef struct
{
  fadj_trace *t;
  size_t l;
} derivs_job;

static fadj_status
derivs_chunk (size_t lo, size_t hi, void *arg)
{
  derivs_job *jb = arg;
  fadj_trace *t = jb->t;
  const fadj_layer *ly = t->net->layers + jb->l - 1;
  size_t i;
  fadj_status st = FADJ_OK;

  for (i = lo; i < hi && st == FADJ_OK; i++)
    st = fadj_act_deriv (t->dsig[jb->l].e + i, ly->act, ly->act_param,
                         t->Y[jb->l].e + i, t->X[jb->l].e + i);
  return st;
}

/* sigma'(Y^l) (or the softmax Jacobians) from the F-propagation.  */
static fadj_status
trace_derivs (fadj_trace *t, size_t l)
{
  const fadj_layer *ly = t->net->layers + l - 1;
  size_t n = t->net->sizes[l], i, s;
  fadj_status st = FADJ_OK;

  if (fadj_act_vector_p (ly->act))
    {
      for (s = 0; s < t->m; s++)
        fadj_act_softmax_jacobian (t->jac + l, s * n, t->X + l, s,
                                   t->carry < 0);
      for (i = 0; i < t->jac[l].rows * t->jac[l].cols; i++)
        carry_round (t, t->jac[l].e + i);
      return FADJ_OK;
    }
  if (t->carry < 0)
    {
      derivs_job jb = { t, l };
      return fadj_parallel_for_grain (n * t->m, DERIVS_GRAIN, derivs_chunk,
                                      &jb);
    }
  for (i = 0; i < n * t->m && st == FADJ_OK; i++)
    st = carry_deriv (t, ly, t->dsig[l].e + i, t->Y[l].e + i, t->X[l].e + i);
  return st;
}

/* R = 0 where a sum starts: with exactness per value an exact 0, so that
   a sum of exact terms (a training step's, which does not go through
   fadj_trace_exact_values: the local update's record) stays exact.  */
static void
sum_start (const fadj_trace *t, fadj_num_ptr r)
{
  if (t->per_value)
    fadj_num_set_exact_si (r, 0);
  else
    fadj_num_set_si (r, 0);
}

fadj_status
fadj_trace_step1 (const fadj_trace *t, size_t l, fadj_mat *ys,
                  const fadj_mat *xs)
{
  const fadj_layer *ly = t->net->layers + l - 1;
  size_t n = t->net->sizes[l], i, k, s;

  if (fadj_act_vector_p (ly->act))
    /* Y_* = J^T X_*, sample by sample: J's block s, transposed.  */
    for (s = 0; s < t->m; s++)
      for (i = 0; i < n; i++)
        {
          fadj_num_ptr r = FADJ_MAT (ys, i, s);
          sum_start (t, r);
          for (k = 0; k < n; k++)
            fadj_num_addmul (r, FADJ_MAT (t->jac + l, k, s * n + i),
                             FADJ_MAT (xs, k, s));
          carry_round (t, r);
        }
  else
    for (i = 0; i < n * t->m; i++)
      {
        fadj_num_mul (ys->e + i, xs->e + i, t->dsig[l].e + i);
        carry_round (t, ys->e + i);
      }
  return FADJ_OK;
}

/* Round every entry of M to the trace's carry.  */
static void
carry_round_mat (const fadj_trace *t, fadj_mat *m)
{
  size_t i;

  if (t->carry >= 0)
    for (i = 0; i < m->rows * m->cols; i++)
      carry_round (t, m->e + i);
}

/* Step 2 through the layer's prepared weights (wmat.c: the integer kernel
   or the number core), then the carry.  */
static fadj_status
step2_wmat (const fadj_trace *t, fadj_mat *xs_prev, const fadj_wmat *wm,
            const fadj_mat *ys)
{
  fadj_status st = fadj_wmat_tmul (xs_prev, wm, ys);

  if (st == FADJ_OK)
    carry_round_mat (t, xs_prev);
  return st;
}

fadj_status
fadj_trace_step2 (const fadj_trace *t, fadj_mat *xs_prev, const fadj_mat *w,
                  const fadj_mat *ys)
{
  fadj_wmat *wm;
  /* Exact operands, with exactness per value: an exact product.  */
  fadj_ctx ex = { .domain = FADJ_EXACT };
  int exact = t->per_value && fadj_mat_exact_p (w) && fadj_mat_exact_p (ys);
  fadj_status st = fadj_wmat_new (&wm, w, NULL, exact ? &ex : &t->ctx);

  if (st != FADJ_OK)
    return st;
  st = step2_wmat (t, xs_prev, wm, ys);
  fadj_wmat_free (wm);
  return st;
}

void
fadj_trace_of_J (fadj_num_ptr r, const fadj_trace *t, fadj_num_srcptr a)
{
  fadj_num_t mq;
  fadj_status st;

  if (t->net->batch != FADJ_BATCH_MEAN || t->m == 1)
    {
      if (r != a)
        fadj_num_set (r, a);
      return;
    }
  fadj_ctx c = fadj_num_get_ctx (a);   /* m in A's domain: an exact A
                                           stays exact */

  fadj_num_init (mq, &c);
  fadj_num_set_si (mq, (long) t->m);
  st = fadj_num_div (r, a, mq);         /* m > 0 is exact: cannot fail */
  assert (st == FADJ_OK);
  (void) st;
  fadj_num_clear (mq);
}

void
fadj_trace_input_gradient_entry (fadj_num_ptr r, const fadj_trace *t,
                                 size_t i, size_t s)
{
  fadj_trace_of_J (r, t, FADJ_MAT (t->xs, i, s));
}

/* R = entry (I, J) of Y_* (X^{l-1})^T over the samples, from YS (J =
   N_{l-1}: the bias column, which meets the appended 1s: the row sum of
   Y_*), divided by m for a batch mean, carried.  */
static void
gradient_entry (fadj_num_ptr r, const fadj_trace *t, size_t l, size_t i,
                size_t j, const fadj_mat *ys)
{
  size_t cols = t->net->sizes[l - 1], s;

  if (t->m == 1 && j < cols)
    /* One sample: one product (no temporary, as addmul needs).  */
    fadj_num_mul (r, FADJ_MAT (ys, i, 0), FADJ_MAT (t->X + l - 1, j, 0));
  else
    {
      sum_start (t, r);
      for (s = 0; s < t->m; s++)
        if (j < cols)
          fadj_num_addmul (r, FADJ_MAT (ys, i, s),
                           FADJ_MAT (t->X + l - 1, j, s));
        else
          fadj_num_add (r, r, FADJ_MAT (ys, i, s));
    }
  fadj_trace_of_J (r, t, r);
  carry_round (t, r);
}

/* The batch kernel (intouter.c) of Y_* (X^{l-1})^T over the samples
   into *K: for m > 1 in an interval trace (not carried), else NULL.
   FADJ_ERR_NOMEM; where the kernel cannot serve the operands at all,
   *K is NULL and the entries are computed by gradient_entry.  */
static fadj_status
gradient_kernel_new (fadj_intouter **k, const fadj_trace *t, size_t l,
                     const fadj_mat *ys)
{
  fadj_status st;

  *k = NULL;
  if (t->m < 2 || t->ctx.domain != FADJ_INTERVAL || t->carry >= 0)
    return FADJ_OK;
  st = fadj_intouter_new (k, ys, t->X + l - 1, t->ctx.prec);
  return st == FADJ_ERR_LIMIT ? FADJ_OK : st;
}

/* Is every term Y_*[i, s] X^{l-1}[j, s] exact (both factors exact, or
   one an exact 0)?  In a trace made exact per value gradient_entry then
   keeps the entry exact, which the kernel would not.  */
static int
exact_terms_p (const fadj_trace *t, size_t l, size_t i, size_t j,
               const fadj_mat *ys)
{
  size_t s;

  for (s = 0; s < t->m; s++)
    {
      fadj_num_srcptr a = FADJ_MAT (ys, i, s);
      fadj_num_srcptr b = FADJ_MAT (t->X + l - 1, j, s);
      int ea = FADJ_NUM_EXACT_P (a), eb = FADJ_NUM_EXACT_P (b);

      if (!((ea && eb) || (ea && mpq_sgn (FADJ_NUM_Q (a)) == 0)
            || (eb && mpq_sgn (FADJ_NUM_Q (b)) == 0)))
        return 0;
    }
  return 1;
}

/* R = the weight entry (I, J < N_{l-1}) of dJ/dW^l by the kernel K, E
   (an interval of T's precision) its workspace; 0 (R untouched) if there
   is no kernel, if it declines the entry, or if the entry is exact per
   value: then gradient_entry computes it.  */
static int
kernel_entry (fadj_num_ptr r, fadj_num_ptr e, fadj_intouter *k,
              const fadj_trace *t, size_t l, size_t i, size_t j,
              const fadj_mat *ys)
{
  if (k == NULL || (t->per_value && exact_terms_p (t, l, i, j, ys))
      || !fadj_intouter_entry (FADJ_NUM_I (e), k, i, j))
    return 0;
  fadj_trace_of_J (r, t, e);
  return 1;
}

fadj_status
fadj_trace_gradient (const fadj_trace *t, size_t l, fadj_mat *grad,
                     fadj_mat *gb, const fadj_mat *ys)
{
  const fadj_layer *ly = t->net->layers + l - 1;
  size_t rows = t->net->sizes[l], cols = t->net->sizes[l - 1], i, j;
  fadj_intouter *k = NULL;
  fadj_num_t e;
  fadj_status st;

  if (grad != NULL && (st = gradient_kernel_new (&k, t, l, ys)) != FADJ_OK)
    return st;
  fadj_num_init (e, &t->ctx);
  if (gb != NULL)
    sum_start (t, gb->e);
  if (grad != NULL)
    for (i = 0; i < rows; i++)
      for (j = 0; j < cols + (ly->has_bias != 0); j++)
        if (j == cols
            || !kernel_entry (FADJ_MAT (grad, i, j), e, k, t, l, i, j, ys))
          gradient_entry (FADJ_MAT (grad, i, j), t, l, i, j, ys);
  fadj_intouter_free (k);
  if (gb != NULL)
    {
      /* A shared bias: the sum of the bias column.  */
      for (i = 0; i < rows; i++)
        {
          if (grad != NULL)
            fadj_num_set (e, FADJ_MAT (grad, i, cols));
          else
            gradient_entry (e, t, l, i, cols, ys);
          fadj_num_add (gb->e, gb->e, e);
        }
      carry_round (t, gb->e);
    }
  fadj_num_clear (e);
  return FADJ_OK;
}

void
fadj_trace_gradient_entry (fadj_num_ptr r, const fadj_trace *t, size_t l,
                           size_t i, size_t j)
{
  if (t->grad != NULL)
    fadj_num_set (r, FADJ_MAT (t->grad + l, i, j));
  else
    gradient_entry (r, t, l, i, j, t->ys + l);
}

/* Is the weight gradient entry of T the single product Y^l_*[i]
   X^{l-1}[j], not stored?  The condition of gradient_entry's single
   product (one sample, a weight), and no carry.  */
static int
single_product_p (const fadj_trace *t)
{
  return t->grad == NULL && t->m == 1 && t->carry < 0;
}

fadj_status
fadj_trace_gradient_entry_round (fadj_decimal *d, fadj_num_ptr scratch,
                                 const fadj_trace *t, size_t l, size_t i,
                                 size_t j, int n)
{
  if (single_product_p (t) && j < t->net->sizes[l - 1])
    return fadj_decimal_round_mul (d, FADJ_MAT (t->ys + l, i, 0),
                                   FADJ_MAT (t->X + l - 1, j, 0), n);
  fadj_trace_gradient_entry (scratch, t, l, i, j);
  return fadj_decimal_round (d, scratch, n);
}

int
fadj_trace_gradient_entry_factors (fadj_num_srcptr *a, fadj_num_srcptr *b,
                                   const fadj_trace *t, size_t l, size_t i,
                                   size_t j)
{
  if (!single_product_p (t) || j >= t->net->sizes[l - 1])
    return 0;
  *a = FADJ_MAT (t->ys + l, i, 0);
  *b = FADJ_MAT (t->X + l - 1, j, 0);
  return 1;
}

/* The rows of dJ/dW^l as outer product rows, the operands X^{l-1}[j]
   prepared once for all of them (fadj_decimal_outer), when the entries
   are single products; else entry by entry.  */
struct fadj_gradient_rows
{
  const fadj_trace *t;
  size_t l;
  int n;
  fadj_num_srcptr *x;           /* X^{l-1}[j], views into T */
  fadj_decimal_outer *o;        /* NULL: entry by entry */
  size_t row;                   /* the row O is set to, or SIZE_MAX */
  fadj_intouter *k;             /* the batch kernel, or NULL */
  fadj_num_t e;                 /* its result (an interval) */
};

/* This _new and the _free after it keep the library's convention, and
   so the shape of fadj_decimal_outer_new and _free (decimal.c) and
   fadj_act_graph_free: *R NULL until done, a no-op _free (NULL); the
   shape is all they share, each type has its own members.  */
fadj_status
fadj_trace_gradient_rows_new (fadj_gradient_rows **r, const fadj_trace *t,
                              size_t l, int n)
{
  size_t cols = t->net->sizes[l - 1], j;
  fadj_gradient_rows *g;
  fadj_status st;

  assert (l >= 1 && l <= t->L);
  *r = NULL;
  g = malloc (sizeof *g);
  if (g == NULL)
    return FADJ_ERR_NOMEM;
  g->t = t;
  g->l = l;
  g->n = n;
  g->x = NULL;
  g->o = NULL;
  g->row = SIZE_MAX;
  g->k = NULL;
  fadj_num_init (g->e, &t->ctx);
  if (t->grad == NULL
      && (st = gradient_kernel_new (&g->k, t, l, t->ys + l)) != FADJ_OK)
    {
      fadj_gradient_rows_free (g);
      return st;
    }
  if (single_product_p (t) && cols > 0)
    {
      g->x = malloc (cols * sizeof *g->x);
      if (g->x == NULL)
        {
          fadj_gradient_rows_free (g);
          return FADJ_ERR_NOMEM;
        }
      for (j = 0; j < cols; j++)
        g->x[j] = FADJ_MAT (t->X + l - 1, j, 0);
      if ((st = fadj_decimal_outer_new (&g->o, g->x, cols, n)) != FADJ_OK)
        {
          fadj_gradient_rows_free (g);
          return st;
        }
    }
  *r = g;
  return FADJ_OK;
}

void
fadj_gradient_rows_free (fadj_gradient_rows *r)
{
  if (r == NULL)
    return;
  fadj_decimal_outer_free (r->o);
  fadj_intouter_free (r->k);
  fadj_num_clear (r->e);
  free (r->x);
  free (r);
}

size_t
fadj_gradient_rows_kernel_entries (const fadj_gradient_rows *r)
{
  return r->k != NULL ? fadj_intouter_used (r->k) : 0;
}

fadj_status
fadj_trace_gradient_row_round (fadj_decimal *d, size_t *col,
                               fadj_num_ptr scratch, fadj_gradient_rows *r,
                               size_t i, size_t j0, size_t j1)
{
  size_t j;
  fadj_status st;

  assert (i < r->t->net->sizes[r->l] && j0 <= j1
          && j1 <= r->t->net->sizes[r->l - 1]);
  if (r->o != NULL)
    {
      if (r->row != i)
        {
          fadj_decimal_outer_set_row (r->o, FADJ_MAT (r->t->ys + r->l, i,
                                                      0));
          r->row = i;
        }
      return fadj_decimal_outer_round (d, col, r->o, j0, j1);
    }
  /* An entry the batch kernel's enclosure does not decide is computed
     again as fadj_trace_gradient_entry_round does, so that every entry
     that function decides is decided here too.  */
  for (j = j0; j < j1; j++)
    if (!(kernel_entry (r->e, r->e, r->k, r->t, r->l, i, j, r->t->ys + r->l)
          && fadj_decimal_round (d + (j - j0), r->e, r->n) == FADJ_OK)
        && (st = fadj_trace_gradient_entry_round (d + (j - j0), scratch,
                                                  r->t, r->l, i, j, r->n))
           != FADJ_OK)
      {
        *col = j;
        return st;
      }
  return FADJ_OK;
}

/* The F-adjoint by the two-step rule, and the gradients (when they are
   stored; the shared biases' sums always).  Works on the trace's
   matrices only, never on the graph.  */
static fadj_status
trace_fadjoint (fadj_trace *t)
{
  const fadj_net *net = t->net;
  size_t L = t->L, m = t->m, l, i;
  fadj_num_t y;
  fadj_status st = FADJ_OK;

  /* The seed X^L_* = dJ_s/dX^L, sample by sample.  */
  if (trace_drop_p (t)
      && (st = fadj_mat_init (t->xs + L, net->sizes[L], m, &t->ctx))
         != FADJ_OK)
    return st;
  fadj_num_init (y, &t->ctx);
  for (i = 0; i < net->sizes[L] * m && st == FADJ_OK; i++)
    {
      fadj_num_set_q (y, FADJ_NUM_Q (&net->target.e[i]));
      st = fadj_loss_seed (t->xs[L].e + i, net->loss, t->X[L].e + i,
                           t->comp.rows > 0 ? t->comp.e + i : NULL, y,
                           net->sizes[L]);
      carry_round (t, t->xs[L].e + i);
    }
  fadj_num_clear (y);

  for (l = L; l >= 1 && st == FADJ_OK; l--)
    {
      const fadj_layer *ly = net->layers + l - 1;
      size_t rows = net->sizes[l], cols = net->sizes[l - 1];

      /* Dropping, each matrix is made when it is first written and
         freed after its last read: at most three N_l x m of them are
         alive besides X^l and Y^l.  */
      if (trace_drop_p (t)
          && (st = fadj_mat_init (t->dsig + l, rows, m, &t->ctx)) != FADJ_OK)
        break;
      if ((st = trace_derivs (t, l)) != FADJ_OK)
        break;
      if (trace_drop_p (t))
        {
          fadj_mat_clear (t->Y + l);
          if ((st = fadj_mat_init (t->ys + l, rows, m, &t->ctx)) != FADJ_OK)
            break;
        }
      if ((st = fadj_trace_step1 (t, l, t->ys + l, t->xs + l)) != FADJ_OK)
        break;
      if (trace_drop_p (t))
        {
          fadj_mat_clear (t->dsig + l);
          fadj_mat_clear (t->jac + l);
          fadj_mat_clear (t->xs + l);
          if ((st = fadj_mat_init (t->xs + l - 1, cols, m, &t->ctx))
              != FADJ_OK)
            break;
        }
      if ((st = step2_wmat (t, t->xs + l - 1, t->wm[l], t->ys + l))
             != FADJ_OK
          || (st = fadj_trace_gradient (t, l,
                                        t->grad != NULL ? t->grad + l : NULL,
                                        ly->bias_shared ? t->gb + l : NULL,
                                        t->ys + l)) != FADJ_OK)
        break;
    }
  return st;
}

/* Has the activation K a kink (a branch its derivative takes by the
   sign of its input)?  */
static int
kink_p (fadj_act_kind k)
{
  return k == FADJ_ACT_RELU || k == FADJ_ACT_LEAKY_RELU
    || k == FADJ_ACT_ELU || k == FADJ_ACT_HARDTANH;
}

/* Does the enclosure X contain a point where the activation K has a
   kink (relu, leaky_relu, elu at 0; hardtanh at -1 and 1), so that its
   branch is not decided?  */
static int
straddles_kink (fadj_act_kind k, fadj_num_srcptr x)
{
  if (FADJ_NUM_EXACT_P (x))
    return 0;
  switch (k)
    {
    case FADJ_ACT_RELU:
    case FADJ_ACT_LEAKY_RELU:
    case FADJ_ACT_ELU:
      return mpfi_has_zero (FADJ_NUM_I (x)) && !mpfi_is_zero (FADJ_NUM_I (x));
    case FADJ_ACT_HARDTANH:
      return (mpfi_is_inside_si (1, FADJ_NUM_I (x)) > 0
              || mpfi_is_inside_si (-1, FADJ_NUM_I (x)) > 0)
        && mpfr_cmp (FADJ_NUM_LEFT (x), FADJ_NUM_RIGHT (x)) != 0;
    default:
      return 0;
    }
}

/* The entries of Y^l whose enclosures straddle a kink of the layer's
   activation, recomputed exactly and enclosed once, when Y^l is a
   rational function of the data (its input XQ exact): a relu at an input
   that is exactly 0 then takes its branch, as exact arithmetic decides
   it at once (and as the graph path does with its exact values).  The
   integer kernel's enclosure of W X + b, from enclosures of the data,
   never could.  XQ NULL: nothing to do.  */
static fadj_status
kinks_exact (fadj_trace *t, size_t l, const fadj_mat *xq)
{
  const fadj_layer *ly = t->net->layers + l - 1;
  size_t rows = t->net->sizes[l], i, s;
  fadj_mat yq;
  fadj_ctx ex = { .domain = FADJ_EXACT };
  fadj_status st = FADJ_OK;
  int any = 0;

  if (xq == NULL)
    return FADJ_OK;
  for (i = 0; i < rows * t->m && !any; i++)
    any = straddles_kink (ly->act, t->Y[l].e + i);
  if (!any)
    return FADJ_OK;
  if ((st = fadj_mat_init (&yq, rows, t->m, &ex)) != FADJ_OK)
    return st;
  fadj_trace_exact_layer (t, l, xq, &yq);
  for (i = 0; i < rows; i++)
    for (s = 0; s < t->m; s++)
      if (straddles_kink (ly->act, FADJ_MAT (t->Y + l, i, s)))
        fadj_num_set_q (FADJ_MAT (t->Y + l, i, s),
                        FADJ_NUM_Q (FADJ_MAT (&yq, i, s)));
  fadj_mat_clear (&yq);
  return st;
}

/* The F-propagation on matrices (the lean path): Y^l = W^l X^{l-1} +
   b^l by the layer products, X^l = sigma(Y^l) and J through the engine's
   primitive forms of sigma and of the loss.  */
static fadj_status
trace_propagate (fadj_trace *t, fadj_where *where, size_t *stopped,
                 fadj_trace_tangent *tg)
{
  const fadj_net *net = t->net;
  fadj_ctx ex = { .domain = FADJ_EXACT };
  fadj_mat xq[2];       /* the exact input of the layer, while there is one */
  const fadj_mat *in = &net->input;
  size_t l, i;
  fadj_status st = FADJ_OK;

  for (i = 0; i < net->sizes[0] * t->m; i++)
    fadj_num_set_q (t->X[0].e + i, FADJ_NUM_Q (&net->input.e[i]));
  /* sigma's graphs are kept for the directional check's tangents, or,
     with the check's tangent TG carried along, freed as soon as they
     have given it.  */
  t->actg = calloc (t->L + 1, sizeof *t->actg);
  if (t->actg == NULL)
    return FADJ_ERR_NOMEM;
  memset (xq, 0, sizeof xq);
  for (l = 1; l <= t->L && st == FADJ_OK; l++)
    {
      const fadj_layer *ly = net->layers + l - 1;
      if (in != NULL
          && !(fadj_trace_exact_params_p (t, l)))
        in = NULL;
      if ((st = fadj_wmat_mul (t->Y + l, t->wm[l], t->X + l - 1, 1))
          != FADJ_OK
          || (st = kinks_exact (t, l, in)) != FADJ_OK)
        break;
      if (tg != NULL)
        {
          fadj_status ts = FADJ_OK;

          if (tg->st == FADJ_OK)
            tg->st = tg->layer (tg, t, l);
          st = fadj_act_apply_each (t->X + l,
                                    tg->st == FADJ_OK ? &tg->dx : NULL, &ts,
                                    ly->act, ly->act_param, t->Y + l,
                                    &tg->dy);
          if (tg->st == FADJ_OK)
            tg->st = ts;
          fadj_mat_clear (&tg->dy);
          if (st != FADJ_OK)
            break;
        }
      else if ((st = fadj_act_graph_new (t->actg + l, ly->act,
                                         ly->act_param, t->Y + l))
               != FADJ_OK)
        break;
      else
        fadj_act_graph_values (t->X + l, t->actg[l]);
      /* The next layer's exact input, only for a rational activation
         and only when a kink may need it (the exact prefix costs more
         than the integer kernel on real layer sizes).  */
      if (in != NULL && l < t->L && fadj_act_rational_p (ly->act)
          && !fadj_act_vector_p (ly->act)
          && kink_p (net->layers[l].act))
        {
          fadj_mat *next = xq + (l & 1);
          fadj_mat y;
          fadj_mat_clear (next);
          if ((st = fadj_mat_init (&y, net->sizes[l], t->m, &ex)) != FADJ_OK
              || (st = fadj_mat_init (next, net->sizes[l], t->m, &ex))
                 != FADJ_OK)
            {
              fadj_mat_clear (&y);
              break;
            }
          fadj_trace_exact_layer (t, l, in, &y);
          st = fadj_act_apply (next, NULL, ly->act, ly->act_param, &y,
                               NULL);
          fadj_mat_clear (&y);
          in = next;
        }
      else
        in = NULL;
    }
  fadj_mat_clear (xq);
  fadj_mat_clear (xq + 1);
  if (st == FADJ_UNDECIDED)
    *stopped = l;
  if (st != FADJ_OK)
    return st;
  if ((st = trace_check_loss (t, where)) != FADJ_OK
      || (st = fadj_loss_apply (t->J, NULL, net->loss, net->batch,
                                t->X + t->L, &t->comp, NULL, &net->target,
                                fadj_trace_simplex_p (t))) != FADJ_OK)
    return st;
  if (tg != NULL && tg->st == FADJ_OK)
    tg->st = tg->done (tg, t);
  return FADJ_OK;
}

int
fadj_trace_simplex_p (const fadj_trace *t)
{
  return t->carry < 0
    && t->net->layers[t->L - 1].act == FADJ_ACT_SOFTMAX;
}

void
fadj_trace_opts_init (fadj_trace_opts *o)
{
  o->w = NULL;
  o->b = NULL;
  o->carry = -1;
  o->where = NULL;
  o->flags = FADJ_TRACE_FULL;
  o->stopped = NULL;
  o->tangent = NULL;
}

fadj_status
fadj_trace_derive (fadj_trace **tp, const fadj_net *net, const fadj_ctx *ctx,
                   const fadj_trace_opts *opts)
{
  fadj_trace *t;
  fadj_status st;
  fadj_where *where = opts ? opts->where : NULL;
  size_t stopped = 0;

  *tp = NULL;
  if (where != NULL)
    where->set = 0;
  if (opts != NULL && opts->stopped != NULL)
    *opts->stopped = 0;
  t = calloc (1, sizeof *t);
  if (t == NULL)
    return FADJ_ERR_NOMEM;
  t->ctx = *ctx;
  t->carry = opts ? opts->carry : -1;
  t->flags = opts ? opts->flags : FADJ_TRACE_FULL;
  if (t->carry >= 0)
    {
      /* Rounded on purpose: exact, no graph to check against.  */
      t->ctx.domain = FADJ_EXACT;
      t->flags = FADJ_TRACE_GRADIENTS;
    }
  /* Compact weights (fadj_net_parse_opts) serve interval derivations
     only, lean or with the graph (trace_build_graph): the caller
     expands them for anything else.  */
  assert (!fadj_net_compact_p (net) || t->ctx.domain == FADJ_INTERVAL);
  t->net = net;
  t->L = net->nlayers;
  t->m = net->nsamples;
  t->check.agree = 1;
  fadj_num_init (t->J, &t->ctx);
  if ((st = trace_alloc (t)) != FADJ_OK
      || (st = trace_set_params (t, opts)) != FADJ_OK)
    goto fail;
  if (t->carry >= 0)
    st = trace_forward_carried (t, where);
  else if (t->flags & FADJ_TRACE_GRAPH)
    {
      st = trace_build_graph (t, where);
      if (st == FADJ_UNDECIDED && t->graph != NULL
          && fadj_graph_status (t->graph) == FADJ_UNDECIDED)
        stopped = fadj_graph_failed_at (t->graph);
    }
  else
    st = trace_propagate (t, where, &stopped, opts ? opts->tangent : NULL);
  if (opts != NULL && opts->stopped != NULL)
    *opts->stopped = st == FADJ_UNDECIDED ? stopped : 0;
  if (st != FADJ_OK || (st = trace_fadjoint (t)) != FADJ_OK)
    goto fail;
  *tp = t;
  return FADJ_OK;

fail:
  fadj_trace_free (t);
  return st;
}
