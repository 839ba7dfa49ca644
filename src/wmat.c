/* wmat.c -- a layer's weights prepared for the products of the
   F-propagation (Y = W X + b), of step 2 of the F-adjoint (X_* = W_#^T
   Y_*) and of the tangent propagation (dY = W dX), in the number domain
   of a derivation.

   The weights of a network file are exact rationals.  In the exact domain
   they are used as they are.  In the interval domain they are converted
   once to enclosures (one MPFI interval per weight; weights that are
   intervals already, after a training step, are copied), and the
   products run on the number core.  (A faster kernel for the interval
   domain, on integers, lives in intdot.c and is used when it
   applies.)  */

#include "fadj-impl.h"

#include <assert.h>
#include <stdlib.h>

void
fadj_wmat_free (fadj_wmat *w)
{
  if (w == NULL)
    return;
  fadj_mat_clear (&w->wi);
  fadj_mat_clear (&w->bi);
  fadj_intdot_clear (&w->kw);
  free (w);
}

fadj_status
fadj_wmat_new (fadj_wmat **wp, const fadj_mat *w, const fadj_mat *b,
               const fadj_ctx *ctx)
{
  fadj_wmat *r;
  fadj_status st;
  size_t k;

  *wp = NULL;
  r = calloc (1, sizeof *r);
  if (r == NULL)
    return FADJ_ERR_NOMEM;
  r->ctx = *ctx;
  r->w = w;
  r->b = b != NULL && b->rows > 0 ? b : NULL;
  /* A compact matrix (fadj_net_parse_opts) serves intervals only.  */
  assert (w->k == NULL || ctx->domain == FADJ_INTERVAL);
  if (ctx->domain == FADJ_INTERVAL)
    {
      /* Exact weights (a network file's) may have an integer form;
         weights that are intervals (after a training step, some or
         all of them) are used as they are.  */
      st = w->k != NULL || (w->rows * w->cols > 0 && fadj_mat_exact_p (w)
                            && (r->b == NULL || fadj_mat_exact_p (r->b)))
        ? fadj_intdot_init (&r->kw, w, r->b) : FADJ_ERR_LIMIT;
      if (st == FADJ_ERR_NOMEM)
        {
          fadj_wmat_free (r);
          return st;
        }
      if (st != FADJ_OK)
        {
          /* No integer form: enclose every weight once.  */
          if ((st = fadj_mat_init (&r->wi, w->rows, w->cols, ctx)) != FADJ_OK
              || (r->b != NULL
                  && (st = fadj_mat_init (&r->bi, w->rows, 1, ctx))
                     != FADJ_OK))
            {
              fadj_wmat_free (r);
              return st;
            }
          if (w->k != NULL)
            {
              mpq_t q;
              mpq_init (q);
              for (k = 0; k < w->rows * w->cols; k++)
                {
                  fadj_mat_get_q (q, w, k);
                  fadj_num_set_q (r->wi.e + k, q);
                }
              mpq_clear (q);
            }
          else
            for (k = 0; k < w->rows * w->cols; k++)
              fadj_num_convert (r->wi.e + k, w->e + k);
          if (r->b != NULL)
            for (k = 0; k < w->rows; k++)
              fadj_num_convert (r->bi.e + k, r->b->e + k);
        }
    }
  *wp = r;
  return FADJ_OK;
}

/* The weight (i, j) and bias i in the derivation's domain (views).  */
static fadj_num_srcptr
wmat_w (const fadj_wmat *w, size_t i, size_t j)
{
  return w->ctx.domain == FADJ_EXACT ? FADJ_MAT (w->w, i, j)
    : FADJ_MAT (&w->wi, i, j);
}

static fadj_num_srcptr
wmat_b (const fadj_wmat *w, size_t i)
{
  return w->ctx.domain == FADJ_EXACT ? w->b->e + i : w->bi.e + i;
}

/* R = 0 where a sum starts, in the derivation's domain: exact for an
   exact derivation whatever R's own domain was (fadj_trace_step2 on
   exact operands of an interval trace).  */
static void
wmat_sum_start (const fadj_wmat *w, fadj_num_ptr r)
{
  if (w->ctx.domain == FADJ_EXACT)
    fadj_num_set_exact_si (r, 0);
  else
    fadj_num_set_si (r, 0);
}

fadj_status
fadj_wmat_mul (fadj_mat *y, const fadj_wmat *w, const fadj_mat *x, int bias)
{
  size_t rows = w->w->rows, cols = w->w->cols, m = x->cols, i, j, s;

  assert (x->rows == cols && y->rows == rows && y->cols == m);
  if (w->kw.ok)
    return fadj_intdot_mul (y, &w->kw, x, bias);
  for (i = 0; i < rows; i++)
    for (s = 0; s < m; s++)
      {
        fadj_num_ptr r = FADJ_MAT (y, i, s);
        if (bias && w->b != NULL)
          fadj_num_set (r, wmat_b (w, i));
        else
          wmat_sum_start (w, r);
        for (j = 0; j < cols; j++)
          fadj_num_addmul (r, wmat_w (w, i, j), FADJ_MAT (x, j, s));
      }
  return FADJ_OK;
}

fadj_status
fadj_wmat_tmul (fadj_mat *x, const fadj_wmat *w, const fadj_mat *y)
{
  size_t rows = w->w->rows, cols = w->w->cols, m = y->cols, i, j, s;

  assert (y->rows == rows && x->rows == cols && x->cols == m);
  if (w->kw.ok)
    return fadj_intdot_tmul (x, &w->kw, y);
  for (j = 0; j < cols; j++)
    for (s = 0; s < m; s++)
      {
        fadj_num_ptr r = FADJ_MAT (x, j, s);
        wmat_sum_start (w, r);
        for (i = 0; i < rows; i++)
          fadj_num_addmul (r, wmat_w (w, i, j), FADJ_MAT (y, i, s));
      }
  return FADJ_OK;
}
