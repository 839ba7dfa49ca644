/* train.c -- training steps: gradient descent W^l <- W^l - eta dJ/dW^l
   from a derivation, in the standard order (every gradient from one
   F-adjoint at the old weights) or the author's local one.

   The new weights are exact rationals for a rational network and
   intervals otherwise (sigmoid weights are irrational after one step),
   so each later derivation is computed at parameters given as numbers of
   the trace's domain (fadj_trace_opts), through the same code as the
   first one, and verified the same way.  The local variant reuses the
   trace's own step 1, step 2 and gradient functions, only with the
   updated weights in step 2.  */

#include "fadj-impl.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static fadj_mat *
mats_new (size_t n)
{
  return calloc (n, sizeof (fadj_mat));
}

/* The arrays of L + 1 matrices a training owns, listed once for
   fadj_train, which allocates them, and fadj_training_free.  */
enum { TRAINING_ARRAYS = 8 };

static void
training_arrays (fadj_mat **a[TRAINING_ARRAYS], fadj_training *tr)
{
  a[0] = &tr->grad;
  a[1] = &tr->gb;
  a[2] = &tr->ys;
  a[3] = &tr->xs;
  a[4] = &tr->w1;
  a[5] = &tr->b1;
  a[6] = &tr->w;
  a[7] = &tr->b;
}

void
fadj_training_free (fadj_training *tr)
{
  fadj_mat **a[TRAINING_ARRAYS];
  size_t n, k;

  if (tr == NULL)
    return;
  for (k = 0; k < tr->nshown; k++)
    if (tr->shown[k].step > 1)
      {
        fadj_trace_free ((fadj_trace *) tr->shown[k].at);
        fadj_training_free ((fadj_training *) tr->shown[k].rec);
      }
  free (tr->shown);
  n = tr->L + 1;
  training_arrays (a, tr);
  for (k = 0; k < TRAINING_ARRAYS; k++)
    fadj_mat_array_free (*a[k], n);
  if (tr->J != NULL)
    for (k = 0; k <= tr->steps; k++)
      fadj_num_clear (tr->J + k);
  free (tr->J);
  mpq_clear (tr->rate);
  free (tr);
}

/* DST = a new copy of SRC in CTX, each entry of its own kind: an exact
   weight (the file's, or one updated by an exact gradient) stays exact.  */
static fadj_status
mat_copy (fadj_mat *dst, const fadj_mat *src, const fadj_ctx *ctx)
{
  size_t k;
  fadj_status st = fadj_mat_init (dst, src->rows, src->cols, ctx);

  if (st != FADJ_OK)
    return st;
  for (k = 0; k < src->rows * src->cols; k++)
    fadj_num_set (dst->e + k, src->e + k);
  return FADJ_OK;
}

/* Layer L's new parameters from GRAD (and GB for a shared bias):
   W' = W - eta G, b' = b - eta (the bias column of G, or GB), a frozen
   bias unchanged.  W', B' are new.  */
static fadj_status
update_layer (fadj_mat *w2, fadj_mat *b2, const fadj_trace *t, size_t l,
              const fadj_mat *grad, const fadj_mat *gb, fadj_num_srcptr eta)
{
  const fadj_layer *ly = t->net->layers + l - 1;
  size_t rows = t->W[l]->rows, cols = t->W[l]->cols, i, j;
  fadj_num_t d;
  fadj_status st;

  if ((st = mat_copy (w2, t->W[l], &t->ctx)) != FADJ_OK
      || (st = mat_copy (b2, t->B[l], &t->ctx)) != FADJ_OK)
    return st;
  fadj_num_init (d, &t->ctx);
  for (i = 0; i < rows; i++)
    for (j = 0; j < cols; j++)
      {
        fadj_num_mul (d, eta, FADJ_MAT (grad, i, j));
        fadj_num_sub (FADJ_MAT (w2, i, j), FADJ_MAT (w2, i, j), d);
      }
  if (ly->has_bias && !ly->bias_frozen)
    for (i = 0; i < rows; i++)
      {
        fadj_num_mul (d, eta, ly->bias_shared ? gb->e
                                              : FADJ_MAT (grad, i, cols));
        fadj_num_sub (b2->e + i, b2->e + i, d);
      }
  fadj_num_clear (d);
  return FADJ_OK;
}

/* One update from the derivation T into the new parameters W2, B2 (index
   1..L, matrices zeroed).  If TR is not NULL, record it as the first.  */
static fadj_status
update (fadj_mat *w2, fadj_mat *b2, const fadj_trace *t, fadj_num_srcptr eta,
        fadj_update mode, fadj_training *tr)
{
  size_t L = t->L, l;
  fadj_mat xs, xs_prev, ys, grad, gb;
  fadj_status st = FADJ_OK;

  if (mode == FADJ_UPDATE_STANDARD)
    {
      for (l = 1; l <= L && st == FADJ_OK; l++)
        {
          st = update_layer (w2 + l, b2 + l, t, l, t->grad + l, t->gb + l,
                             eta);
          if (st == FADJ_OK && tr != NULL
              && ((st = mat_copy (tr->grad + l, t->grad + l, &t->ctx))
                  != FADJ_OK
                  || (st = mat_copy (tr->gb + l, t->gb + l, &t->ctx))
                     != FADJ_OK))
            break;
        }
      return st;
    }

  /* Local: the same two-step functions as the trace, with W^l replaced
     by its update before step 2 propagates through it.  */
  if ((st = mat_copy (&xs, t->xs + L, &t->ctx)) != FADJ_OK)
    return st;
  for (l = L; l >= 1 && st == FADJ_OK; l--)
    {
      const fadj_layer *ly = t->net->layers + l - 1;
      memset (&ys, 0, sizeof ys);
      memset (&grad, 0, sizeof grad);
      memset (&gb, 0, sizeof gb);
      memset (&xs_prev, 0, sizeof xs_prev);
      if ((st = fadj_mat_init (&ys, t->ys[l].rows, t->m, &t->ctx)) == FADJ_OK
          && (st = fadj_mat_init (&grad, t->grad[l].rows, t->grad[l].cols,
                                  &t->ctx)) == FADJ_OK
          && (st = fadj_mat_init (&gb, t->gb[l].rows, 1, &t->ctx)) == FADJ_OK
          && (st = fadj_mat_init (&xs_prev, t->xs[l - 1].rows, t->m,
                                  &t->ctx)) == FADJ_OK
          && (st = fadj_trace_step1 (t, l, &ys, &xs)) == FADJ_OK
          && (st = fadj_trace_gradient (t, l, &grad,
                                        ly->bias_shared ? &gb : NULL,
                                        &ys)) == FADJ_OK
          && (st = update_layer (w2 + l, b2 + l, t, l, &grad, &gb, eta))
             == FADJ_OK)
        st = fadj_trace_step2 (t, &xs_prev, w2 + l, &ys);
      if (st == FADJ_OK && tr != NULL)
        {
          /* Hand the matrices over to the record.  */
          tr->ys[l] = ys;
          tr->grad[l] = grad;
          tr->gb[l] = gb;
          st = mat_copy (tr->xs + l - 1, &xs_prev, &t->ctx);
        }
      else
        {
          fadj_mat_clear (&ys);
          fadj_mat_clear (&grad);
          fadj_mat_clear (&gb);
        }
      fadj_mat_clear (&xs);
      xs = xs_prev;
    }
  fadj_mat_clear (&xs);
  return st;
}

/* A training to record one update from T in (update's TR): its arrays
   of L + 1 empty matrices, no steps.  NULL if out of memory.  */
static fadj_training *
record_new (const fadj_trace *t)
{
  fadj_training *rec = calloc (1, sizeof *rec);
  fadj_mat **a[TRAINING_ARRAYS];
  size_t k;
  int ok = 1;

  if (rec == NULL)
    return NULL;
  mpq_init (rec->rate);
  rec->L = t->L;
  rec->ctx = t->ctx;
  rec->check.agree = 1;
  training_arrays (a, rec);
  for (k = 0; k < TRAINING_ARRAYS; k++)
    if ((*a[k] = mats_new (t->L + 1)) == NULL)
      ok = 0;
  if (!ok)
    {
      fadj_training_free (rec);
      return NULL;
    }
  return rec;
}

fadj_status
fadj_train (fadj_training **trp, const fadj_trace *t, size_t steps,
            const mpq_t rate, fadj_update mode)
{
  return fadj_train_show (trp, t, steps, rate, mode, NULL, 0, 0);
}

/* Whether J, a step's loss, would stop the document at DIGITS digits:
   inexact, its enclosure away from 0 (one that holds 0 is the writers'
   to print as a zero to the working precision) and not rounding to one
   decimal.  */
static int
loss_undecided_p (fadj_num_srcptr j, int digits)
{
  fadj_decimal d;

  if (digits <= 0 || FADJ_NUM_EXACT_P (j)
      || (mpfr_number_p (FADJ_NUM_LEFT (j))
          && mpfr_number_p (FADJ_NUM_RIGHT (j))
          && mpfi_has_zero (FADJ_NUM_I (j))))
    return 0;
  return fadj_decimal_round (&d, j, digits) == FADJ_UNDECIDED;
}

fadj_status
fadj_train_show (fadj_training **trp, const fadj_trace *t, size_t steps,
                 const mpq_t rate, fadj_update mode, const size_t *show,
                 size_t nshow, int digits)
{
  size_t n = t->L + 1, k, l;
  fadj_training *tr;
  const fadj_trace *cur = t;
  fadj_trace *next = NULL;
  fadj_mat **a[TRAINING_ARRAYS];
  fadj_num_t eta;
  fadj_status st = FADJ_OK;
  fadj_training_shown *sh;
  int ok = 1, cur_kept = 0;

  assert (nshow <= FADJ_TRAIN_MAX_SHOWN);
  for (k = 0; k < nshow; k++)
    assert (show[k] >= 1 && show[k] <= steps
            && (k == 0 || show[k] > show[k - 1]));
  *trp = NULL;
  tr = calloc (1, sizeof *tr);
  if (tr == NULL)
    return FADJ_ERR_NOMEM;
  mpq_init (tr->rate);
  mpq_set (tr->rate, rate);
  tr->mode = mode;
  tr->steps = steps;
  tr->L = t->L;
  tr->ctx = t->ctx;
  tr->check.agree = 1;
  training_arrays (a, tr);
  for (k = 0; k < TRAINING_ARRAYS; k++)
    if ((*a[k] = mats_new (n)) == NULL)
      ok = 0;
  tr->J = malloc ((steps + 1) * sizeof *tr->J);
  tr->shown = calloc (nshow > 0 ? nshow : 1, sizeof *tr->shown);
  if (tr->shown != NULL)
    {
      tr->nshown = nshow > 0 ? nshow : 1;
      for (k = 0; k < tr->nshown; k++)
        tr->shown[k].step = nshow > 0 ? show[k] : 1;
      if (tr->shown[0].step == 1)
        {
          tr->shown[0].at = t;
          tr->shown[0].rec = tr;
        }
    }
  if (!ok || tr->J == NULL || tr->shown == NULL)
    {
      free (tr->J);
      tr->J = NULL;
      fadj_training_free (tr);
      return FADJ_ERR_NOMEM;
    }
  for (k = 0; k <= steps; k++)
    fadj_num_init (tr->J + k, &t->ctx);
  fadj_num_set (tr->J, t->J);
  fadj_num_init (eta, &t->ctx);
  if (t->per_value)
    fadj_num_set_exact (eta, rate);
  else
    fadj_num_set_q (eta, rate);

  for (k = 1; k <= steps && st == FADJ_OK; k++)
    {
      fadj_mat *w2 = mats_new (n), *b2 = mats_new (n);
      fadj_trace_opts opts;

      fadj_trace_opts_init (&opts);
      if (w2 == NULL || b2 == NULL)
        st = FADJ_ERR_NOMEM;
      /* A later step written in full: its update recorded, and the
         derivation it starts from kept.  */
      sh = NULL;
      for (l = 0; l < tr->nshown; l++)
        if (tr->shown[l].step == k && k > 1)
          sh = tr->shown + l;
      if (st == FADJ_OK && sh != NULL
          && (sh->rec = record_new (t)) == NULL)
        st = FADJ_ERR_NOMEM;
      if (st == FADJ_OK && sh != NULL)
        mpq_set (((fadj_training *) sh->rec)->rate, rate);
      if (st == FADJ_OK)
        st = update (w2, b2, cur, eta, mode, k == 1 ? tr
                     : (fadj_training *) (sh != NULL ? sh->rec : NULL));
      if (st == FADJ_OK && sh != NULL)
        {
          fadj_training *rec = (fadj_training *) sh->rec;
          for (l = 1; l <= t->L && st == FADJ_OK; l++)
            if ((st = mat_copy (rec->w1 + l, w2 + l, &t->ctx)) == FADJ_OK)
              st = mat_copy (rec->b1 + l, b2 + l, &t->ctx);
          sh->at = cur;
          cur_kept = 1;
        }
      if (st == FADJ_OK && k == 1)
        for (l = 1; l <= t->L && st == FADJ_OK; l++)
          if ((st = mat_copy (tr->w1 + l, w2 + l, &t->ctx)) == FADJ_OK)
            st = mat_copy (tr->b1 + l, b2 + l, &t->ctx);
      if (st == FADJ_OK)
        {
          opts.w = w2;
          opts.b = b2;
          opts.where = &tr->where;
          /* Built and checked as T was: a network too large for the
             scalar graph is checked along a direction at every step.  */
          opts.flags = t->flags | FADJ_TRACE_GRADIENTS;
          st = fadj_trace_compute_opts (&next, t->net, &t->ctx, &opts);
          if (st == FADJ_ERR_DOMAIN)
            tr->fail_step = k;
          /* Exactness per value carries over: an exact gradient makes
             an exact weight, and the step's values exact again.  */
          if (st == FADJ_OK && t->per_value)
            st = fadj_trace_exact_values (next);
        }
      fadj_mat_array_free (w2, n);
      fadj_mat_array_free (b2, n);
      if (st != FADJ_OK)
        break;
      fadj_num_set (tr->J + k, next->J);
      if (loss_undecided_p (tr->J + k, digits))
        {
          tr->undecided_step = k;
          st = FADJ_UNDECIDED;
        }
      if (!next->check.agree && tr->check.agree)
        {
          tr->check = next->check;
          tr->check_step = k;
        }
      if (cur != t && !cur_kept)
        fadj_trace_free ((fadj_trace *) cur);
      cur = next;
      cur_kept = 0;
      next = NULL;
    }
  for (l = 1; l <= t->L && st == FADJ_OK; l++)
    if ((st = mat_copy (tr->w + l, cur->W[l], &t->ctx)) == FADJ_OK)
      st = mat_copy (tr->b + l, cur->B[l], &t->ctx);
  if (cur != t && !cur_kept)
    fadj_trace_free ((fadj_trace *) cur);
  fadj_num_clear (eta);
  if ((st == FADJ_ERR_DOMAIN && tr->fail_step > 0)
      || (st == FADJ_UNDECIDED && tr->undecided_step > 0))
    {
      *trp = tr;          /* for FAIL_STEP and WHERE, or UNDECIDED_STEP */
      return st;
    }
  if (st != FADJ_OK)
    {
      fadj_training_free (tr);
      return st;
    }
  *trp = tr;
  return FADJ_OK;
}
