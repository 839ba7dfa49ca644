/* act-graph.c -- sigma and the loss evaluated through the expression
   engine, with their tangents by the engine's forward mode.

   One small graph per layer and sample holds a leaf per entry of Y^l and sigma
   built from the engine's primitives (fadj_graph_activation), so the
   values and -- by the engine's forward mode -- the tangents
   sigma'(Y) dY come from the generic rules for exp, ln, division and the
   kinks, not from the closed forms of fadj_act_deriv that the two-step
   rule uses.  Going through the generic calls keeps this file free of
   per-activation code: every activation the engine can build is covered.
   A graph per sample (a column: a vector map such as softmax acts on a
   whole one) lets the samples be built and run by separate threads
   (parallel.c): a node's value is a function of its operands only, so
   the values and the first failure, in sample order, are those of one
   graph built sample after sample.

   The lean F-propagation (trace.c) takes X^l = sigma(Y^l) and J from
   here and keeps each layer's graph, from which the directional check
   (check-directional.c) takes the tangents; or, when the check's tangent
   rides along the propagation (fadj-audit), takes X^l and dX^l at once
   from each sample's graph and frees it (fadj_act_apply_each).  This
   file knows neither: it sits below both, on the engine only.  */

#include "fadj-impl.h"

#include "parallel.h"

#include <stdlib.h>

/* Samples [LO, HI)'s graphs freed (fadj_parallel_fn; ARG the
   fadj_act_graph): a graph per sample is the cost of its nodes'
   numbers again, shared by the threads that built them.  */
static fadj_status
free_samples (size_t lo, size_t hi, void *arg)
{
  fadj_act_graph *ag = arg;
  size_t s;

  for (s = lo; s < hi; s++)
    fadj_graph_free (ag->g[s]);
  return FADJ_OK;
}

void
fadj_act_graph_free (fadj_act_graph *ag)
{
  if (ag == NULL)
    return;
  if (ag->g != NULL)
    fadj_parallel_for_grain (ag->m, 1, free_samples, ag);
  free (ag->g);
  free (ag->in);
  free (ag);
}

/* What the samples' chunks share (fadj_parallel_fn's CTX).  */
typedef struct
{
  fadj_act_graph *ag;
  fadj_act_kind k;
  mpq_srcptr param;             /* read only */
  const fadj_mat *y;            /* fadj_act_graph_new's Y, or dy */
  fadj_mat *dx;                 /* fadj_act_graph_tangents's DX */
} act_job;

/* Samples [LO, HI) of fadj_act_graph_new: graph s, its leaves Y[., s]
   and sigma of them.  Stops at the first failing sample.  */
static fadj_status
build_samples (size_t lo, size_t hi, void *arg)
{
  act_job *jb = arg;
  fadj_act_graph *ag = jb->ag;
  fadj_ctx ctx = fadj_num_get_ctx (jb->y->e);
  size_t rows = ag->rows, i, s;
  fadj_status st;

  for (s = lo; s < hi; s++)
    {
      fadj_graph *g = ag->g[s] = fadj_graph_new (&ctx);

      if (g == NULL)
        return FADJ_ERR_NOMEM;
      for (i = 0; i < rows; i++)
        ag->in[s * rows + i] = fadj_graph_leaf_num (g, FADJ_MAT (jb->y, i,
                                                                 s));
      fadj_graph_activation_vec (g, ag->out + s * rows, jb->k, jb->param,
                                 rows,
                                 ag->in + s * rows);
      if ((st = fadj_graph_status (g)) != FADJ_OK)
        return st;
    }
  return FADJ_OK;
}

fadj_status
fadj_act_graph_new (fadj_act_graph **agp, fadj_act_kind k,
                    const mpq_t param, const fadj_mat *y)
{
  size_t rows = y->rows, m = y->cols, n = rows * m;
  fadj_act_graph *ag;
  act_job jb;
  fadj_status st;

  *agp = NULL;
  ag = calloc (1, sizeof *ag);
  if (ag == NULL)
    return FADJ_ERR_NOMEM;
  ag->rows = rows;
  ag->m = m;
  ag->g = calloc (m > 0 ? m : 1, sizeof *ag->g);
  ag->in = malloc ((n > 0 ? 2 * n : 1) * sizeof *ag->in);
  if (ag->g == NULL || ag->in == NULL)
    {
      fadj_act_graph_free (ag);
      return FADJ_ERR_NOMEM;
    }
  ag->out = ag->in + n;
  jb.ag = ag;
  jb.k = k;
  jb.param = param;
  jb.y = y;
  jb.dx = NULL;
  if ((st = fadj_parallel_for_grain (m, 1, build_samples, &jb)) != FADJ_OK)
    {
      fadj_act_graph_free (ag);
      return st;
    }
  *agp = ag;
  return FADJ_OK;
}

void
fadj_act_graph_values (fadj_mat *x, const fadj_act_graph *ag)
{
  size_t i, s;

  for (s = 0; s < ag->m; s++)
    for (i = 0; i < ag->rows; i++)
      fadj_num_set (FADJ_MAT (x, i, s),
                    fadj_graph_value (ag->g[s], ag->out[s * ag->rows + i]));
}

/* Samples [LO, HI) of fadj_act_graph_tangents.  */
static fadj_status
tangent_samples (size_t lo, size_t hi, void *arg)
{
  act_job *jb = arg;
  fadj_act_graph *ag = jb->ag;
  size_t rows = ag->rows, i, s;
  fadj_status st = FADJ_OK;

  for (s = lo; s < hi && st == FADJ_OK; s++)
    {
      for (i = 0; i < rows && st == FADJ_OK; i++)
        st = fadj_graph_set_tangent (ag->g[s], ag->in[s * rows + i],
                                     FADJ_MAT (jb->y, i, s));
      if (st == FADJ_OK)
        st = fadj_graph_forward (ag->g[s]);
      for (i = 0; i < rows && st == FADJ_OK; i++)
        fadj_num_set (FADJ_MAT (jb->dx, i, s),
                      fadj_graph_tangent (ag->g[s], ag->out[s * rows + i]));
    }
  return st;
}

fadj_status
fadj_act_graph_tangents (fadj_mat *dx, fadj_act_graph *ag,
                         const fadj_mat *dy)
{
  act_job jb = { ag, 0, NULL, dy, dx };

  return fadj_parallel_for_grain (ag->m, 1, tangent_samples, &jb);
}

fadj_status
fadj_act_apply (fadj_mat *x, fadj_mat *dx, fadj_act_kind k,
                const mpq_t param, const fadj_mat *y, const fadj_mat *dy)
{
  fadj_act_graph *ag;
  fadj_status st = fadj_act_graph_new (&ag, k, param, y);

  if (st != FADJ_OK)
    return st;
  if (dx != NULL)
    st = fadj_act_graph_tangents (dx, ag, dy);
  if (st == FADJ_OK && x != NULL)
    fadj_act_graph_values (x, ag);
  fadj_act_graph_free (ag);
  return st;
}

/* What fadj_act_apply_each's samples share (fadj_parallel_fn's CTX).  */
typedef struct
{
  fadj_act_kind k;
  mpq_srcptr param;             /* read only */
  const fadj_mat *y, *dy;
  fadj_mat *x, *dx;
  fadj_status *tst;             /* per sample: its tangent's status */
} each_job;

/* Samples [LO, HI) of fadj_act_apply_each: the graph of sample s built
   as build_samples builds it, read as fadj_act_graph_values and
   tangent_samples read it, and freed.  Stops at the first graph that
   fails; a tangent's failure only marks its sample.  */
static fadj_status
each_samples (size_t lo, size_t hi, void *arg)
{
  each_job *jb = arg;
  fadj_ctx ctx = fadj_num_get_ctx (jb->y->e);
  size_t rows = jb->y->rows, i, s;
  fadj_node *in = malloc ((rows > 0 ? 2 * rows : 1) * sizeof *in);
  fadj_node *out = in + rows;
  fadj_status st = FADJ_OK;

  if (in == NULL)
    return FADJ_ERR_NOMEM;
  for (s = lo; s < hi && st == FADJ_OK; s++)
    {
      fadj_graph *g = fadj_graph_new (&ctx);
      fadj_status ts = FADJ_OK;

      if (g == NULL)
        {
          st = FADJ_ERR_NOMEM;
          break;
        }
      for (i = 0; i < rows; i++)
        in[i] = fadj_graph_leaf_num (g, FADJ_MAT (jb->y, i, s));
      fadj_graph_activation_vec (g, out, jb->k, jb->param, rows, in);
      if ((st = fadj_graph_status (g)) == FADJ_OK)
        {
          for (i = 0; i < rows; i++)
            fadj_num_set (FADJ_MAT (jb->x, i, s),
                          fadj_graph_value (g, out[i]));
          if (jb->dx != NULL)
            {
              for (i = 0; i < rows && ts == FADJ_OK; i++)
                ts = fadj_graph_set_tangent (g, in[i],
                                             FADJ_MAT (jb->dy, i, s));
              if (ts == FADJ_OK)
                ts = fadj_graph_forward (g);
              for (i = 0; i < rows && ts == FADJ_OK; i++)
                fadj_num_set (FADJ_MAT (jb->dx, i, s),
                              fadj_graph_tangent (g, out[i]));
              jb->tst[s] = ts;
            }
        }
      fadj_graph_free (g);
    }
  free (in);
  return st;
}

fadj_status
fadj_act_apply_each (fadj_mat *x, fadj_mat *dx, fadj_status *tst,
                     fadj_act_kind k, const mpq_t param, const fadj_mat *y,
                     const fadj_mat *dy)
{
  size_t m = y->cols, s;
  each_job jb = { k, param, y, dy, x, dx, NULL };
  fadj_status st;

  *tst = FADJ_OK;
  if (dx != NULL)
    {
      jb.tst = calloc (m > 0 ? m : 1, sizeof *jb.tst);
      if (jb.tst == NULL)
        return FADJ_ERR_NOMEM;
      for (s = 0; s < m; s++)
        jb.tst[s] = FADJ_OK;
    }
  st = fadj_parallel_for_grain (m, 1, each_samples, &jb);
  for (s = 0; s < m && dx != NULL && *tst == FADJ_OK; s++)
    *tst = jb.tst[s];
  free (jb.tst);
  return st;
}

/* fadj_loss_apply of a batch, one sample's graph at a time: sample s's
   loss and its tangent from a graph of its own, then J and its tangent
   from a graph whose leaves are those: the same nodes as
   fadj_graph_loss's one graph, whose values and tangents depend on their
   operands only, but a batch's graph is some 1.5 kB per output entry.
   The first failure in the one graph's order, too: sample by sample.  */
static fadj_status
loss_apply_batch (fadj_num_ptr j, fadj_num_ptr dj, fadj_loss_kind k,
                  fadj_batch batch, const fadj_mat *x, const fadj_mat *comp,
                  const fadj_mat *dx, const fadj_mat *target, int simplex)
{
  size_t rows = x->rows, m = x->cols, i, s;
  fadj_ctx ctx = fadj_num_get_ctx (x->e);
  fadj_node *leaf = malloc (rows * m * sizeof *leaf);
  fadj_node *per = malloc (m * sizeof *per), J;
  fadj_num_struct *val = calloc (m, sizeof *val);
  fadj_num_struct *tan = calloc (m, sizeof *tan);
  fadj_graph *g;
  fadj_status st = FADJ_OK;

  if (leaf == NULL || per == NULL || val == NULL || tan == NULL)
    {
      free (leaf);
      free (per);
      free (val);
      free (tan);
      return FADJ_ERR_NOMEM;
    }
  for (s = 0; s < m; s++)
    {
      fadj_num_init (val + s, &ctx);
      fadj_num_init (tan + s, &ctx);
    }
  for (s = 0; s < m && st == FADJ_OK; s++)
    {
      fadj_node Js;

      if ((g = fadj_graph_new (&ctx)) == NULL)
        {
          st = FADJ_ERR_NOMEM;
          break;
        }
      for (i = 0; i < rows; i++)
        leaf[i * m + s] = fadj_graph_leaf_num (g, FADJ_MAT (x, i, s));
      Js = fadj_graph_sample_loss (g, k, leaf, comp, target, s, simplex);
      st = fadj_graph_status (g);
      for (i = 0; i < rows && st == FADJ_OK && dj != NULL; i++)
        st = fadj_graph_set_tangent (g, leaf[i * m + s], FADJ_MAT (dx, i, s));
      if (st == FADJ_OK && dj != NULL)
        st = fadj_graph_forward (g);
      if (st == FADJ_OK)
        {
          fadj_num_set (val + s, fadj_graph_value (g, Js));
          if (dj != NULL)
            fadj_num_set (tan + s, fadj_graph_tangent (g, Js));
        }
      fadj_graph_free (g);
    }
  if (st == FADJ_OK && (g = fadj_graph_new (&ctx)) == NULL)
    st = FADJ_ERR_NOMEM;
  if (st == FADJ_OK)
    {
      for (s = 0; s < m; s++)
        per[s] = fadj_graph_leaf_num (g, val + s);
      J = fadj_graph_batch (g, m, per, batch);
      st = fadj_graph_status (g);
      for (s = 0; s < m && st == FADJ_OK && dj != NULL; s++)
        st = fadj_graph_set_tangent (g, per[s], tan + s);
      if (st == FADJ_OK && dj != NULL)
        st = fadj_graph_forward (g);
      if (st == FADJ_OK)
        {
          if (j != NULL)
            fadj_num_set (j, fadj_graph_value (g, J));
          if (dj != NULL)
            fadj_num_set (dj, fadj_graph_tangent (g, J));
        }
      fadj_graph_free (g);
    }
  for (s = 0; s < m; s++)
    {
      fadj_num_clear (val + s);
      fadj_num_clear (tan + s);
    }
  free (leaf);
  free (per);
  free (val);
  free (tan);
  return st;
}

fadj_status
fadj_loss_apply (fadj_num_ptr j, fadj_num_ptr dj, fadj_loss_kind k,
                 fadj_batch batch, const fadj_mat *x, const fadj_mat *comp,
                 const fadj_mat *dx, const fadj_mat *target, int simplex)
{
  size_t n = x->rows * x->cols, i;
  fadj_ctx ctx = fadj_num_get_ctx (x->e);
  fadj_graph *g;
  fadj_node *leaf, J;
  fadj_status st;

  if (x->cols > 1)
    return loss_apply_batch (j, dj, k, batch, x, comp, dx, target, simplex);
  if ((g = fadj_graph_new (&ctx)) == NULL)
    return FADJ_ERR_NOMEM;
  leaf = malloc (n * sizeof *leaf);
  if (leaf == NULL)
    {
      fadj_graph_free (g);
      return FADJ_ERR_NOMEM;
    }
  for (i = 0; i < n; i++)
    leaf[i] = fadj_graph_leaf_num (g, x->e + i);
  J = fadj_graph_loss (g, k, leaf, comp, target, batch, simplex);
  st = fadj_graph_status (g);
  for (i = 0; i < n && st == FADJ_OK && dj != NULL; i++)
    st = fadj_graph_set_tangent (g, leaf[i], dx->e + i);
  if (st == FADJ_OK && dj != NULL)
    st = fadj_graph_forward (g);
  if (st == FADJ_OK)
    {
      if (j != NULL)
        fadj_num_set (j, fadj_graph_value (g, J));
      if (dj != NULL)
        fadj_num_set (dj, fadj_graph_tangent (g, J));
    }
  free (leaf);
  fadj_graph_free (g);
  return st;
}
