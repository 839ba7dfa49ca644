/* trace-exact.c -- exactness per value: the values of an interval
   derivation that are rational functions of the network's data, made
   exact rationals again, so that they print with "=" and their exact
   form, and so that a tie on a rounding boundary or a 0 is decided by
   exact arithmetic instead of an enclosure that can never decide it.

   A network is not all exact or all intervals.  The weights, biases and
   inputs of a file are exact, so Y^1 = W^1 X^0 + b^1 always is; so is
   every value before the first transcendental map (X^l and sigma'(Y^l)
   of a rational activation at an exact Y^l, the next Y^{l+1}).  After
   it, the two-step rule's products keep an exact value exact when all
   their operands are, and a product with an exact 0 (sigma' of a relu
   that is off, an input that is 0) is an exact 0 (num.c's mixed
   domains).  A point interval [c, c] encloses exactly c, so it is
   that rational too.

   The derivation itself (trace.c) and its checks run on the enclosures,
   untouched: this pass runs after them, on a verified trace that is
   then only shown (written, compared with the chain rule, with its
   carried twin).  Every value it makes exact is recomputed here in
   exact arithmetic from exact operands, so each printed digit stays
   certified: an exact value is its own certificate, and it lies in the
   enclosure it replaces.  */

#include "fadj-impl.h"

#include <stdlib.h>

/* An enclosure [c, c] is the value c: store it as the rational.  */
static void
points_exact (fadj_mat *m, size_t n)
{
  size_t l, k;
  mpq_t q;

  mpq_init (q);
  for (l = 0; l < n; l++)
    for (k = 0; k < m[l].rows * m[l].cols; k++)
      {
        fadj_num_ptr x = m[l].e + k;
        if (!FADJ_NUM_EXACT_P (x)
            && mpfr_number_p (FADJ_NUM_LEFT (x))
            && mpfr_equal_p (FADJ_NUM_LEFT (x), FADJ_NUM_RIGHT (x)))
          {
            mpfr_get_q (q, FADJ_NUM_LEFT (x));
            fadj_num_set_exact (x, q);
          }
      }
  mpq_clear (q);
}

/* Entry K of the exact matrix M: a view of it, or (compact M) P made
   that rational.  */
static fadj_num_srcptr
exact_entry (fadj_num_ptr p, const fadj_mat *m, size_t k)
{
  mpq_t q;

  if (m->k == NULL)
    return m->e + k;
  mpq_init (q);
  fadj_mat_get_q (q, m, k);
  fadj_num_set_exact (p, q);
  mpq_clear (q);
  return p;
}

/* Store R in X when R is exact; an enclosure R is no better than the
   derivation's own X and is dropped.  */
static void
keep_if_exact (fadj_num_ptr x, fadj_num_srcptr r)
{
  if (FADJ_NUM_EXACT_P (r))
    fadj_num_set_exact (x, FADJ_NUM_Q (r));
}

int
fadj_trace_exact_params_p (const fadj_trace *t, size_t l)
{
  return fadj_mat_exact_p (t->W[l]) && fadj_mat_exact_p (t->B[l]);
}

void
fadj_trace_exact_layer (const fadj_trace *t, size_t l, const fadj_mat *xq,
                        fadj_mat *yq)
{
  size_t rows = t->net->sizes[l], cols = t->net->sizes[l - 1], i, j, s;
  mpq_t acc, q, w, x;

  mpq_inits (acc, q, w, x, NULL);
  for (i = 0; i < rows; i++)
    for (s = 0; s < t->m; s++)
      {
        mpq_set_ui (acc, 0, 1);
        for (j = 0; j < cols; j++)
          {
            fadj_mat_get_q (w, t->W[l], i * cols + j);
            fadj_mat_get_q (x, xq, j * t->m + s);
            mpq_mul (q, w, x);
            mpq_add (acc, acc, q);
          }
        if (t->B[l]->rows > 0)
          {
            fadj_mat_get_q (w, t->B[l], i);
            mpq_add (acc, acc, w);
          }
        fadj_num_set_exact (FADJ_MAT (yq, i, s), acc);
      }
  mpq_clears (acc, q, w, x, NULL);
}

/* X^l and sigma'(Y^l) of a transcendental activation where it takes
   a rational value at the exact Y^l (fadj_act_exact_at): an elu that is
   on, a sigmoid at 0.  The propagation stays exact past such a layer
   when every entry of X^l is.  */
static void
exact_points (fadj_trace *t, size_t l)
{
  const fadj_layer *ly = t->net->layers + l - 1;
  size_t i, n = t->net->sizes[l] * t->m;
  mpq_t x, d;
  int which;

  mpq_inits (x, d, NULL);
  for (i = 0; i < n; i++)
    {
      which = fadj_act_exact_at (x, d, ly->act, ly->act_param,
                                 FADJ_NUM_Q (t->Y[l].e + i));
      if (which & FADJ_ACT_EXACT_X)
        fadj_num_set_exact (t->X[l].e + i, x);
      if (which & FADJ_ACT_EXACT_D)
        fadj_num_set_exact (t->dsig[l].e + i, d);
    }
  mpq_clears (x, d, NULL);
}

/* J and the seed X^L_* = dJ_s/dX^L again from an exact X^L, when the
   loss is rational: the trace took them from the enclosures.  */
static fadj_status
loss_and_seed (fadj_trace *t)
{
  const fadj_net *net = t->net;
  fadj_ctx ex = { .domain = FADJ_EXACT };
  size_t i, L = t->L, n = net->sizes[L] * t->m;
  fadj_num_t r, y;
  fadj_status st = FADJ_OK;

  fadj_num_init (r, &ex);
  fadj_num_init (y, &ex);
  if (fadj_mat_exact_p (t->X + L))
    {
      st = fadj_loss_apply (r, NULL, net->loss, net->batch, t->X + L, NULL,
                            NULL, &net->target, 0);
      if (st == FADJ_OK)
        keep_if_exact (t->J, r);
    }
  /* Each seed entry depends on its own output only.  */
  for (i = 0; i < n && st == FADJ_OK; i++)
    {
      if (!FADJ_NUM_EXACT_P (t->X[L].e + i))
        continue;
      fadj_num_set_q (y, FADJ_NUM_Q (&net->target.e[i]));
      st = fadj_loss_seed (r, net->loss, t->X[L].e + i, NULL, y,
                           net->sizes[L]);
      if (st == FADJ_OK)
        keep_if_exact (t->xs[L].e + i, r);
    }
  fadj_num_clear (r);
  fadj_num_clear (y);
  return st;
}

/* The F-propagation as far as it is rational: X^0 from the file, then
   Y^l, and X^l and sigma'(Y^l) while sigma is rational.  */
static fadj_status
forward (fadj_trace *t)
{
  const fadj_net *net = t->net;
  fadj_ctx ex = { .domain = FADJ_EXACT };
  size_t l, i, m = t->m;
  mpq_t q;
  fadj_status st = FADJ_OK;

  mpq_init (q);
  for (i = 0; i < net->sizes[0] * m; i++)
    {
      fadj_mat_get_q (q, &net->input, i);
      fadj_num_set_exact (t->X[0].e + i, q);
    }
  for (l = 1; l <= t->L && st == FADJ_OK; l++)
    {
      const fadj_layer *ly = net->layers + l - 1;
      size_t rows = net->sizes[l];
      fadj_mat x;

      if (!fadj_mat_exact_p (t->X + l - 1) || !fadj_trace_exact_params_p (t, l))
        break;
      fadj_trace_exact_layer (t, l, t->X + l - 1, t->Y + l);
      if (fadj_act_vector_p (ly->act))
        break;
      if (!fadj_act_rational_p (ly->act))
        {
          exact_points (t, l);
          continue;
        }
      /* sigma and sigma' the way the derivation computes them, on the
         exact Y^l.  */
      if ((st = fadj_mat_init (&x, rows, m, &ex)) != FADJ_OK)
        break;
      st = fadj_act_apply (&x, NULL, ly->act, ly->act_param, t->Y + l, NULL);
      for (i = 0; i < rows * m && st == FADJ_OK; i++)
        {
          keep_if_exact (t->X[l].e + i, x.e + i);
          st = fadj_act_deriv (x.e + i, ly->act, ly->act_param,
                               t->Y[l].e + i, t->X[l].e + i);
          if (st == FADJ_OK)
            keep_if_exact (t->dsig[l].e + i, x.e + i);
        }
      fadj_mat_clear (&x);
    }
  mpq_clear (q);
  if (st == FADJ_OK && l > t->L && fadj_loss_rational_p (net->loss))
    st = loss_and_seed (t);
  return st;
}

/* The two-step rule again, on the values made exact: step 1 and step 2
   entry by entry, then the gradients, each kept where it came out
   exact.  The seed and the softmax Jacobians are taken as they are.  */
static void
backward (fadj_trace *t)
{
  const fadj_net *net = t->net;
  size_t l, i, j, s, m = t->m;
  fadj_num_t r, p;

  fadj_num_init (r, &t->ctx);
  fadj_num_init (p, &t->ctx);
  for (l = t->L; l >= 1; l--)
    {
      const fadj_layer *ly = net->layers + l - 1;
      size_t rows = net->sizes[l], cols = net->sizes[l - 1];

      if (!fadj_act_vector_p (ly->act))
        for (i = 0; i < rows * m; i++)
          {
            fadj_num_mul (r, t->xs[l].e + i, t->dsig[l].e + i);
            keep_if_exact (t->ys[l].e + i, r);
          }
      if (!fadj_mat_exact_p (t->W[l]))
        continue;
      for (j = 0; j < cols; j++)
        for (s = 0; s < m; s++)
          {
            fadj_num_set_exact_si (r, 0);
            for (i = 0; i < rows && FADJ_NUM_EXACT_P (r); i++)
              fadj_num_addmul (r, exact_entry (p, t->W[l], i * cols + j),
                               FADJ_MAT (t->ys + l, i, s));
            keep_if_exact (FADJ_MAT (t->xs + l - 1, j, s), r);
          }
    }
  if (t->grad != NULL)
    for (l = 1; l <= t->L; l++)
      {
        size_t rows = net->sizes[l], cols = net->sizes[l - 1];
        size_t ncol = t->grad[l].cols;

        for (i = 0; i < rows; i++)
          for (j = 0; j < ncol; j++)
            {
              fadj_num_set_exact_si (r, 0);
              for (s = 0; s < m && FADJ_NUM_EXACT_P (r); s++)
                if (j < cols)
                  fadj_num_addmul (r, FADJ_MAT (t->ys + l, i, s),
                                   FADJ_MAT (t->X + l - 1, j, s));
                else
                  fadj_num_add (r, r, FADJ_MAT (t->ys + l, i, s));
              fadj_trace_of_J (r, t, r);
              keep_if_exact (FADJ_MAT (t->grad + l, i, j), r);
            }
        if (t->gb[l].rows > 0)
          {
            fadj_num_set_exact_si (r, 0);
            for (i = 0; i < rows && FADJ_NUM_EXACT_P (r); i++)
              fadj_num_add (r, r, FADJ_MAT (t->grad + l, i, cols));
            keep_if_exact (t->gb[l].e, r);
          }
      }
  fadj_num_clear (r);
  fadj_num_clear (p);
}

fadj_status
fadj_trace_exact_values (fadj_trace *t)
{
  size_t n = t->L + 1;
  fadj_status st;

  if (t->ctx.domain != FADJ_INTERVAL || t->carry >= 0)
    return FADJ_OK;
  points_exact (t->X, n);
  points_exact (t->Y, n);
  points_exact (t->dsig, n);
  points_exact (t->ys, n);
  points_exact (t->xs, n);
  if (t->grad != NULL)
    points_exact (t->grad, n);
  points_exact (t->gb, n);
  if ((st = forward (t)) != FADJ_OK)
    return st;
  backward (t);
  t->per_value = 1;
  return FADJ_OK;
}
