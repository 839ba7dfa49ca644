/* check-directional.c -- the directional check of the two-step rule
   (after JAX's check_grads, in interval arithmetic): for a direction V
   over all parameters and inputs,

     forward:  dX^0 = V_0,  dY^l = V_l X^{l-1} + v_b^l + W^l dX^{l-1},
               dX^l = sigma'(Y^l) dY^l (forward mode),  dJ = J'(X^L) dX^L
     two-step: <grad, V> = sum_l <dJ/dW^l, V_l> + <X^0_*, V_0>

   must agree: the two are the same real number, dJ/dV, computed by
   independent means (the forward sweep never transposes W and never
   uses the two-step rule's sigma' or seed: sigma'(Y) dY and J' dX come
   from the engine's forward mode, act-graph.c).  Every entry of V is a
   nonzero integer, so a wrong gradient entry g + e changes <grad, V> by
   a nonzero multiple of e: one wrong entry cannot hide in the sum, and
   several can cancel only by an unlikely coincidence of the random V.

   It reads a finished trace (trace.c) and is called by its user
   (fadj-audit --check=directional) or by fadj_trace_compute* for a
   derivation made with FADJ_TRACE_DIRECTIONAL (fadj-explain on a
   network too large for the scalar graph); nothing below calls it.
   fadj-audit runs it in two halves: the forward mode (dir_layer) is
   handed to the derivation as its fadj_trace_tangent, so that sigma's
   graphs of a batch are freed sample by sample instead of kept for it,
   and fadj_directional_finish reads the finished trace.  */

#include "fadj-impl.h"
#include "parallel.h"

#include <stdlib.h>

/* ------------------------------------------------------------------ */
/* The direction.  */

/* A nonzero integer in [-64, 64], from splitmix64: the direction only
   has to be reproducible from its seed and unrelated to the network.  */
static long
next_dir (uint64_t *s)
{
  uint64_t r = fadj_splitmix64 (s);
  long v = (long) (r % 64) + 1;
  return (r >> 32) & 1 ? -v : v;
}

/* The part of V for one layer (rows x cols weights and the bias) or for
   the input (bias NULL): integers, kept as int64 (K of an integer form
   with D = 1) so that V X runs on the integer kernel, and as exact
   matrices when the domain is exact.  */
typedef struct
{
  fadj_intdot kv;         /* weights' direction, D = 1 */
  fadj_mat v, vb;         /* exact copies (exact domain), vb: bias */
} dir_part;

static void
dir_part_clear (dir_part *p)
{
  fadj_intdot_clear (&p->kv);
  fadj_mat_clear (&p->v);
  fadj_mat_clear (&p->vb);
}

/* splitmix64's increment (fadj_splitmix64): its K-th draw from state S
   is that of state S + (K - 1) GAMMA, so the threads can draw the rows
   of a direction each from its own place in the one sequence.  */
#define SPLITMIX64_GAMMA UINT64_C (0x9E3779B97F4A7C15)

/* Rows [LO, HI) of a part's weights (fadj_parallel_fn): entry E of the
   matrix, row-major, is draw E + 1 from SEED, as if drawn in turn.  */
typedef struct
{
  dir_part *p;
  uint64_t seed;
  size_t cols;
} draw_rows;

static fadj_status
draw_rows_chunk (size_t lo, size_t hi, void *arg)
{
  draw_rows *dr = arg;
  size_t cols = dr->cols, i, j;
  uint64_t state = dr->seed + (uint64_t) (lo * cols) * SPLITMIX64_GAMMA;

  for (i = lo; i < hi; i++)
    for (j = 0; j < cols; j++)
      dr->p->kv.own[i * cols + j] = next_dir (&state);
  return FADJ_OK;
}

/* Draw the direction of a rows x cols matrix (and RB bias entries) into
   P: the entries in row-major order, then the bias.  */
static fadj_status
dir_part_draw (dir_part *p, uint64_t *seed, size_t rows, size_t cols,
               size_t rb, const fadj_ctx *ctx)
{
  size_t n = rows * cols, i;
  static const fadj_ctx exact = { .domain = FADJ_EXACT };
  fadj_status st;

  p->kv.own = malloc ((n ? n : 1) * sizeof *p->kv.own);
  p->kv.k = p->kv.own;
  if (p->kv.own == NULL)
    return FADJ_ERR_NOMEM;
  mpz_init_set_ui (p->kv.d, 1);
  p->kv.ok = 1;
  p->kv.rows = rows;
  p->kv.cols = cols;
  {
    draw_rows dr = { .p = p, .seed = *seed, .cols = cols };
    (void) fadj_parallel_for (rows, draw_rows_chunk, &dr);
  }
  *seed += (uint64_t) n * SPLITMIX64_GAMMA;
  if ((st = fadj_intdot_sums (&p->kv)) != FADJ_OK)
    return st;
  if ((st = fadj_mat_init (&p->vb, rb, 1, &exact)) != FADJ_OK)
    return st;
  for (i = 0; i < rb; i++)
    fadj_num_set_si (p->vb.e + i, next_dir (seed));
  if (ctx->domain == FADJ_EXACT)
    {
      if ((st = fadj_mat_init (&p->v, rows, cols, &exact)) != FADJ_OK)
        return st;
      for (i = 0; i < n; i++)
        fadj_num_set_si (p->v.e + i, p->kv.k[i]);
    }
  return FADJ_OK;
}

/* R = V X (V the part's weights' direction), in R's domain.  */
static fadj_status
dir_mul (fadj_mat *r, const dir_part *p, const fadj_mat *x)
{
  size_t rows = p->kv.rows, cols = p->kv.cols, m = x->cols, i, j, s;

  if (FADJ_NUM_DOMAIN (r->e) == FADJ_INTERVAL)
    return fadj_intdot_mul (r, &p->kv, x, 0);
  for (i = 0; i < rows; i++)
    for (s = 0; s < m; s++)
      {
        fadj_num_ptr e = FADJ_MAT (r, i, s);
        fadj_num_set_si (e, 0);
        for (j = 0; j < cols; j++)
          fadj_num_addmul (e, FADJ_MAT (&p->v, i, j), FADJ_MAT (x, j, s));
      }
  return FADJ_OK;
}

/* ------------------------------------------------------------------ */
/* The check.  */

/* The check's state: the direction, V^l X^{l-1} of each layer (needed
   by the forward mode and, without stored gradients, by the projection
   -- computed once), and the forward mode's dY^l and dX^l (TG, which a
   lean derivation may carry along its F-propagation).  */
struct fadj_directional
{
  fadj_trace_tangent tg;        /* first: LAYER's argument is D */
  fadj_num_t fwd;               /* dJ, once made (dir_done) */
  size_t L;
  dir_part *dir;                /* 0..L: the input, layers 1..L */
  fadj_mat *vx;                 /* 1..L */
};

void
fadj_directional_free (fadj_directional *d)
{
  size_t l;

  if (d == NULL)
    return;
  fadj_mat_clear (&d->tg.dx);
  fadj_mat_clear (&d->tg.dy);
  fadj_num_clear (d->fwd);
  if (d->dir != NULL)
    for (l = 0; l <= d->L; l++)
      dir_part_clear (d->dir + l);
  if (d->vx != NULL)
    for (l = 0; l <= d->L; l++)
      fadj_mat_clear (d->vx + l);
  free (d->dir);
  free (d->vx);
  free (d);
}

/* Layer L of the forward mode (fadj_trace_tangent's LAYER): dY^l =
   V^l X^{l-1} + W^l dX^{l-1} + v_b^l into TG->dy, from TG->dx, which is
   then made ready for dX^l.  */
static fadj_status
dir_layer (fadj_trace_tangent *tg, const fadj_trace *t, size_t l)
{
  fadj_directional *d = (fadj_directional *) tg;
  const fadj_net *net = t->net;
  const fadj_layer *ly = net->layers + l - 1;
  size_t rows = net->sizes[l], m = t->m, i, s;
  fadj_mat tmp = { 0 };
  fadj_num_t e;
  fadj_status st;

  /* W^l dX^{l-1} first, and dX^{l-1} freed, so that no more than three
     N_l x m matrices are alive here.  */
  fadj_mat_clear (&tg->dy);
  if ((st = fadj_mat_init (&tmp, rows, m, &t->ctx)) != FADJ_OK
      || (st = fadj_wmat_mul (&tmp, t->wm[l], &tg->dx, 0)) != FADJ_OK)
    {
      fadj_mat_clear (&tmp);
      return st;
    }
  fadj_mat_clear (&tg->dx);
  if ((st = fadj_mat_init (d->vx + l, rows, m, &t->ctx)) != FADJ_OK
      || (st = fadj_mat_init (&tg->dy, rows, m, &t->ctx)) != FADJ_OK
      || (st = dir_mul (d->vx + l, d->dir + l, t->X + l - 1)) != FADJ_OK)
    {
      fadj_mat_clear (&tmp);
      return st;
    }
  fadj_num_init (e, &t->ctx);
  for (i = 0; i < rows; i++)
    for (s = 0; s < m; s++)
      {
        fadj_num_ptr r = FADJ_MAT (&tg->dy, i, s);
        fadj_num_add (r, FADJ_MAT (d->vx + l, i, s), FADJ_MAT (&tmp, i, s));
        if (ly->has_bias)
          {
            fadj_num_set_q (e, FADJ_NUM_Q (&d->dir[l].vb.e[i]));
            fadj_num_add (r, r, e);
          }
      }
  fadj_num_clear (e);
  fadj_mat_clear (&tmp);
  return fadj_mat_init (&tg->dx, rows, m, &t->ctx);
}

/* The end of the forward mode (fadj_trace_tangent's DONE): dJ =
   J'(X^L) dX^L, and dX^L freed (the two-step rule's matrices come
   next).  */
static fadj_status
dir_done (fadj_trace_tangent *tg, const fadj_trace *t)
{
  fadj_directional *d = (fadj_directional *) tg;
  const fadj_net *net = t->net;
  fadj_status st = fadj_loss_apply (NULL, d->fwd, net->loss, net->batch,
                                    t->X + t->L, &t->comp, &tg->dx,
                                    &net->target, fadj_trace_simplex_p (t));

  fadj_mat_clear (&tg->dx);
  return st;
}

fadj_status
fadj_directional_new (fadj_directional **dp, const fadj_net *net,
                      const fadj_ctx *ctx, unsigned long seed)
{
  size_t L = net->nlayers, m = net->nsamples, l, i;
  uint64_t state = seed;
  fadj_directional *d = calloc (1, sizeof *d);
  fadj_status st = FADJ_OK;

  *dp = NULL;
  if (d == NULL)
    return FADJ_ERR_NOMEM;
  fadj_num_init (d->fwd, ctx);
  d->L = L;
  d->tg.layer = dir_layer;
  d->tg.done = dir_done;
  d->tg.st = FADJ_OK;
  d->dir = calloc (L + 1, sizeof *d->dir);
  d->vx = calloc (L + 1, sizeof *d->vx);
  if (d->dir == NULL || d->vx == NULL)
    {
      fadj_directional_free (d);
      return FADJ_ERR_NOMEM;
    }
  /* The direction: layer 1..L (weights row-major, then the bias), then
     the input (N_0 x m, as a matrix with one "row" per entry).  */
  for (l = 1; l <= L && st == FADJ_OK; l++)
    st = dir_part_draw (d->dir + l, &state, net->sizes[l],
                        net->sizes[l - 1],
                        net->layers[l - 1].has_bias ? net->sizes[l] : 0, ctx);
  if (st == FADJ_OK)
    st = dir_part_draw (d->dir, &state, 0, 0, net->sizes[0] * m, ctx);
  /* Forward: dX^0 = V_0.  */
  if (st == FADJ_OK
      && (st = fadj_mat_init (&d->tg.dx, net->sizes[0], m, ctx)) == FADJ_OK)
    for (i = 0; i < net->sizes[0] * m; i++)
      fadj_num_set_q (d->tg.dx.e + i, FADJ_NUM_Q (&d->dir[0].vb.e[i]));
  if (st != FADJ_OK)
    {
      fadj_directional_free (d);
      return st;
    }
  *dp = d;
  return FADJ_OK;
}

struct fadj_trace_tangent *
fadj_directional_tangent (fadj_directional *d)
{
  return &d->tg;
}

fadj_status
fadj_directional_finish (fadj_check *c, fadj_num_ptr fwd, fadj_num_ptr proj,
                         const fadj_trace *t, fadj_directional *d)
{
  const fadj_net *net = t->net;
  size_t L = t->L, m = t->m, l, i, j;
  dir_part *dir = d->dir;
  fadj_num_t g, e, raw;
  fadj_status st = d->tg.st;

  c->agree = 1;
  c->compared = 0;
  c->what = FADJ_Q_DIRECTIONAL;
  c->layer = c->row = c->col = 0;
  fadj_num_init (g, &t->ctx);
  fadj_num_init (e, &t->ctx);
  fadj_num_init (raw, &t->ctx);
  if (st == FADJ_OK)
    fadj_num_set (fwd, d->fwd);

  /* The two-step rule's gradient projected on V.  With the gradients
     stored, their entries are read; without, dJ/dW^l is by construction
     the outer product Y^l_* (X^{l-1})^T, and <Y_* X^T, V> is summed as
     sum_s Y_*[., s] . (V X[., s]), the same sum in another order, on the
     integer kernel.  Y_* is that of the sum of the samples' losses, so
     with 'batch mean' what comes from it (RAW) is divided by m; the
     gradients' entries and the input gradient are J's own already.  */
  fadj_num_set_si (proj, 0);
  fadj_num_set_si (raw, 0);
  for (l = 1; l <= L && st == FADJ_OK; l++)
    {
      const fadj_layer *ly = net->layers + l - 1;
      size_t rows = net->sizes[l], cols = net->sizes[l - 1];

      if (t->grad != NULL)
        for (i = 0; i < rows; i++)
          for (j = 0; j < cols; j++)
            {
              fadj_num_set_si (e, dir[l].kv.k[i * cols + j]);
              fadj_num_addmul (proj, FADJ_MAT (t->grad + l, i, j), e);
            }
      else
        for (i = 0; i < rows * m; i++)
          fadj_num_addmul (raw, t->ys[l].e + i, d->vx[l].e + i);
      fadj_mat_clear (d->vx + l);
      if (ly->has_bias)
        for (i = 0; i < rows; i++)
          {
            fadj_trace_gradient_entry (g, t, l, i, cols);
            fadj_num_set_q (e, FADJ_NUM_Q (&dir[l].vb.e[i]));
            fadj_num_addmul (proj, g, e);
          }
    }
  for (i = 0; i < net->sizes[0] * m && st == FADJ_OK; i++)
    {
      fadj_trace_input_gradient_entry (g, t, i / m, i % m);
      fadj_num_set_q (e, FADJ_NUM_Q (&dir[0].vb.e[i]));
      fadj_num_addmul (proj, g, e);
    }
  if (st == FADJ_OK && net->batch == FADJ_BATCH_MEAN && m > 1)
    {
      fadj_num_set_si (e, (long) m);
      st = fadj_num_div (raw, raw, e);
    }
  if (st == FADJ_OK)
    {
      fadj_num_add (proj, proj, raw);
      c->compared = 1;
      c->agree = fadj_num_compatible_p (fwd, proj);
    }
  fadj_num_clear (g);
  fadj_num_clear (e);
  fadj_num_clear (raw);
  return st;
}

/* The check of a finished trace: the forward mode layer by layer from
   sigma's graphs the trace kept (or sigma evaluated again), then the
   same finish.  */
fadj_status
fadj_trace_directional (fadj_check *c, fadj_num_ptr fwd, fadj_num_ptr proj,
                        const fadj_trace *t, unsigned long seed)
{
  const fadj_net *net = t->net;
  fadj_directional *d;
  size_t l;
  fadj_status st;

  c->agree = 1;
  c->compared = 0;
  c->what = FADJ_Q_DIRECTIONAL;
  c->layer = c->row = c->col = 0;
  if ((st = fadj_directional_new (&d, net, &t->ctx, seed)) != FADJ_OK)
    return st;
  for (l = 1; l <= t->L && st == FADJ_OK; l++)
    {
      const fadj_layer *ly = net->layers + l - 1;

      if ((st = dir_layer (&d->tg, t, l)) != FADJ_OK)
        break;
      /* The lean trace kept sigma's graph of its F-propagation: the
         tangent needs no second evaluation of sigma.  */
      st = t->actg != NULL && t->actg[l] != NULL
        ? fadj_act_graph_tangents (&d->tg.dx, t->actg[l], &d->tg.dy)
        : fadj_act_apply (NULL, &d->tg.dx, ly->act, ly->act_param, t->Y + l,
                          &d->tg.dy);
      fadj_mat_clear (&d->tg.dy);
    }
  if (st == FADJ_OK)
    st = dir_done (&d->tg, t);
  d->tg.st = st;
  st = fadj_directional_finish (c, fwd, proj, t, d);
  fadj_directional_free (d);
  return st;
}
