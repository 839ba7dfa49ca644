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

/* Seed the tangents of LEAF[0 .. N) with DX[0 .. N) when DJ is asked
   for, sweep forward, and read the value of J into J and its tangent
   into DJ (each NULL when not asked for): the end of a loss's graph,
   a batch's sum or a sample's own.  */
static fadj_status
loss_result (fadj_graph *g, fadj_node J, const fadj_node *leaf, size_t n,
             const fadj_num_struct *dx, fadj_num_ptr j, fadj_num_ptr dj)
{
  fadj_status st = fadj_graph_status (g);
  size_t i;

  for (i = 0; i < n && st == FADJ_OK && dj != NULL; i++)
    st = fadj_graph_set_tangent (g, leaf[i], dx + i);
  if (st == FADJ_OK && dj != NULL)
    st = fadj_graph_forward (g);
  if (st == FADJ_OK)
    {
      if (j != NULL)
        fadj_num_set (j, fadj_graph_value (g, J));
      if (dj != NULL)
        fadj_num_set (dj, fadj_graph_tangent (g, J));
    }
  return st;
}

/* fadj_loss_apply's batch, a graph per sample run by the threads: the
   loss of a batch was the one scalar graph of the audit left to the
   main thread (an eighth of what it ran alone at 3 x 512 x 8), and its
   graph took some 1.5 kB per output entry (one sample's at a time
   now).  Sample S's loss and tangent are those the one graph gives its
   node S (a node's value is a function of its operands only); they go,
   as leaves, into the small graph of their sum (or mean), whose values and
   tangents are then those of the one graph's last nodes, the sum's
   operations being the same in the same order.  The status is the one
   graph's: its first failure while it is built, in sample order, else
   the first of its forward sweep.  */
typedef struct
{
  fadj_loss_kind k;
  const fadj_mat *x, *comp, *dx, *target;
  int simplex, want_value;
  fadj_ctx ctx;
  fadj_num_struct *val, *tan;   /* per sample, initialised by the chunk */
  fadj_status *build_st, *fwd_st;
} loss_samples;

static fadj_status
loss_sample_chunk (size_t lo, size_t hi, void *arg)
{
  loss_samples *ls = arg;
  size_t rows = ls->x->rows, m = ls->x->cols, i, s;

  for (s = lo; s < hi; s++)
    {
      fadj_graph *g = fadj_graph_new (&ls->ctx);
      fadj_node *leaf = calloc (rows * m, sizeof *leaf), J;
      fadj_status st = FADJ_OK;

      ls->build_st[s] = ls->fwd_st[s] = FADJ_OK;
      if (g == NULL || leaf == NULL)
        {
          ls->build_st[s] = FADJ_ERR_NOMEM;
          fadj_graph_free (g);
          free (leaf);
          continue;
        }
      for (i = 0; i < rows; i++)
        leaf[i * m + s] = fadj_graph_leaf_num (g, ls->x->e + i * m + s);
      J = fadj_graph_sample_loss (g, ls->k, leaf, ls->comp, ls->target, s,
                                  ls->simplex);
      ls->build_st[s] = fadj_graph_status (g);
      if (ls->build_st[s] == FADJ_OK && ls->dx != NULL)
        {
          for (i = 0; i < rows && st == FADJ_OK; i++)
            st = fadj_graph_set_tangent (g, leaf[i * m + s],
                                         ls->dx->e + i * m + s);
          if (st == FADJ_OK)
            st = fadj_graph_forward (g);
          ls->fwd_st[s] = st;
        }
      fadj_num_init (ls->val + s, &ls->ctx);
      fadj_num_init (ls->tan + s, &ls->ctx);
      if (ls->build_st[s] == FADJ_OK && st == FADJ_OK)
        {
          fadj_num_set (ls->val + s, fadj_graph_value (g, J));
          if (ls->dx != NULL)
            fadj_num_set (ls->tan + s, fadj_graph_tangent (g, J));
        }
      free (leaf);
      fadj_graph_free (g);
    }
  return FADJ_OK;
}

static fadj_status
loss_apply_samples (fadj_num_ptr j, fadj_num_ptr dj, fadj_loss_kind k,
                    fadj_batch batch, const fadj_mat *x, const fadj_mat *comp,
                    const fadj_mat *dx, const fadj_mat *target, int simplex)
{
  size_t m = x->cols, s;
  loss_samples ls = { .k = k, .x = x, .comp = comp, .dx = dj ? dx : NULL,
                      .target = target, .simplex = simplex,
                      .ctx = fadj_num_get_ctx (x->e) };
  fadj_graph *g = NULL;
  fadj_node *leaf = NULL, J;
  fadj_status st = FADJ_OK;

  ls.val = malloc (m * sizeof *ls.val);
  ls.tan = malloc (m * sizeof *ls.tan);
  ls.build_st = malloc (m * sizeof *ls.build_st);
  ls.fwd_st = malloc (m * sizeof *ls.fwd_st);
  if (ls.val == NULL || ls.tan == NULL || ls.build_st == NULL
      || ls.fwd_st == NULL)
    {
      free (ls.val);
      free (ls.tan);
      free (ls.build_st);
      free (ls.fwd_st);
      return FADJ_ERR_NOMEM;
    }
  /* Every chunk initialises its samples' numbers; a failure of the
     pool itself is not possible (its chunks return FADJ_OK).  */
  (void) fadj_parallel_for_grain (m, 1, loss_sample_chunk, &ls);
  for (s = 0; s < m && st == FADJ_OK; s++)
    st = ls.build_st[s];
  for (s = 0; s < m && st == FADJ_OK; s++)
    st = ls.fwd_st[s];
  if (st == FADJ_OK)
    {
      g = fadj_graph_new (&ls.ctx);
      leaf = malloc (m * sizeof *leaf);
      st = g == NULL || leaf == NULL ? FADJ_ERR_NOMEM : FADJ_OK;
    }
  if (st == FADJ_OK)
    {
      for (s = 0; s < m; s++)
        leaf[s] = fadj_graph_leaf_num (g, ls.val + s);
      J = fadj_graph_batch (g, m, leaf, batch);
      st = loss_result (g, J, leaf, m, ls.tan, j, dj);
    }
  for (s = 0; s < m; s++)
    {
      fadj_num_clear (ls.val + s);
      fadj_num_clear (ls.tan + s);
    }
  free (ls.val);
  free (ls.tan);
  free (ls.build_st);
  free (ls.fwd_st);
  free (leaf);
  fadj_graph_free (g);
  return st;
}

fadj_status
fadj_loss_apply (fadj_num_ptr j, fadj_num_ptr dj, fadj_loss_kind k,
                 fadj_batch batch, const fadj_mat *x, const fadj_mat *comp,
                 const fadj_mat *dx, const fadj_mat *target, int simplex)
{
  size_t n = x->rows * x->cols, i;
  fadj_ctx ctx;
  fadj_graph *g;
  fadj_node *leaf, J;
  fadj_status st;

  if (x->cols > 1)
    return loss_apply_samples (j, dj, k, batch, x, comp, dx, target,
                               simplex);
  ctx = fadj_num_get_ctx (x->e);
  g = fadj_graph_new (&ctx);
  if (g == NULL)
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
  st = loss_result (g, J, leaf, n, dj != NULL ? dx->e : NULL, j, dj);
  free (leaf);
  fadj_graph_free (g);
  return st;
}
