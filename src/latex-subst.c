/* latex-subst.c -- the substitutions of the derivation written out
   entry by entry, where a student goes wrong if a step is skipped:
   sigma' of each activation with the numbers in its formula (0.811856
   (1 - 0.811856), not only the result), softmax as exponentials over
   their sum, the softmax Jacobian's entries X_k (delta_kj - X_j), the
   cross-entropy losses term by term with their logarithms, and their
   seeds.  With a batch the entries are written for the first sample
   and the results then for every sample (latex.c says so once, where
   the samples are introduced).

   The numbers shown inside a substitution (e^{y}, ln x, the logistic
   of y for silu) are enclosures computed here from the trace's values
   at the trace's precision, and printed by the same number rules as
   everything else: every printed digit is certified, and an undecided
   one sends Ziv's loop round again like any other.  */

#include "latex-subst.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Names and numbers.                                                  */

void
fadj_subst_sup (char *buf, size_t n, const fadj_writer *w, size_t l)
{
  if (w->t->m > 1)
    snprintf (buf, n, "%zu,(1)", l);
  else
    snprintf (buf, n, "%zu", l);
}

/* D sigma, the derivative of the map sigma (its Jacobian matrix): the
   letter J is the loss's.  An upright D, the operator, which the text
   format prints as a plain D.  */
void
fadj_subst_jac_name (char *buf, size_t n, const fadj_writer *w, size_t l)
{
  if (w->same_act)
    snprintf (buf, n, "\\mathrm{D}\\sigma");
  else
    snprintf (buf, n, "\\mathrm{D}\\sigma_{%zu}", l);
}

/* The context of the enclosures made here: the trace's, or (for the
   rare exact trace that reaches one) an interval one.  */
static fadj_ctx
interval_ctx (const fadj_writer *w)
{
  fadj_ctx c = w->t->ctx;

  if (c.domain == FADJ_EXACT)
    {
      c.domain = FADJ_INTERVAL;
      c.prec = 128;
    }
  return c;
}

/* Does the text appended to B from AT print a negative number (boxed
   or not)?  */
static int
negative_from (const fadj_buf *b, size_t at)
{
  const char *s = fadj_buf_data (b, NULL) + at;

  return s[0] == '-' || strncmp (s, "\\boxed{-", 8) == 0
    || strncmp (s, "\\boxed{\\phantom{-", 17) == 0;
}

/* Put what was appended to B from AT in parentheses.  */
static void
parenthesise_from (fadj_writer *w, fadj_buf *b, size_t at)
{
  size_t n = fadj_buf_len (b) - at;
  char *c = malloc (n + 1);

  if (c == NULL)
    {
      fadj_writer_fail (w, FADJ_ERR_NOMEM);
      return;
    }
  memcpy (c, fadj_buf_data (b, NULL) + at, n + 1);
  fadj_buf_truncate (b, at);
  fadj_buf_printf (b, "(%s)", c);
  free (c);
}

/* The number X into B as the operand of a formula: boxed on a worksheet
   unless GIVEN (data of the network file), and in parentheses if PAREN
   and it prints negative (a product, a power).  *APPROX |= rounded.  */
static void
put_operand (fadj_writer *w, fadj_buf *b, int *approx, fadj_num_srcptr x,
             int given, int paren)
{
  size_t at = fadj_buf_len (b);
  int a = 0;

  if (given)
    fadj_writer_put_number (w, b, &a, x);
  else
    fadj_writer_put_num (w, b, &a, x);
  if (!fadj_writer_ok (w))
    return;
  if (a && approx != NULL)
    *approx = 1;
  if (paren && negative_from (b, at))
    parenthesise_from (w, b, at);
}

/* ------------------------------------------------------------------ */
/* Matrices of expressions.                                            */

/* What one entry (I, J) of a matrix of expressions is: written by FN
   into B, from ARG.  */
typedef void (*entry_fn) (fadj_writer *w, fadj_buf *b, int *approx,
                          size_t i, size_t j, const void *arg);

/* A ROWS x COLS bmatrix of expressions, elided as the document's
   matrices are (fadj_latex_elide: the first rows and columns, a line of
   dots, the last).  */
static void
put_expr_mat (fadj_writer *w, fadj_buf *b, int *approx, size_t rows,
              size_t cols, entry_fn fn, const void *arg)
{
  size_t rshown, rhead, cshown, chead, ri, ci, i, j;
  int array;

  fadj_latex_elide (&rshown, &rhead, rows, w->fmt.max_show);
  fadj_latex_elide (&cshown, &chead, cols, w->fmt.max_show);
  array = fadj_latex_put_matrix_open (b, cshown + (cshown < cols), 0);
  for (ri = 0; ri < rshown && fadj_writer_ok (w); ri++)
    {
      if (ri > 0)
        fadj_buf_puts (b, "\\\\ ");
      if (ri == rhead && rshown < rows)
        {
          for (ci = 0; ci < cshown; ci++)
            {
              if (ci == chead && cshown < cols)
                fadj_buf_puts (b, " & \\ddots");
              fadj_buf_puts (b, ci > 0 ? " & \\vdots" : "\\vdots");
            }
          fadj_buf_puts (b, "\\\\ ");
        }
      i = ri < rhead || rshown == rows ? ri : rows - 1;
      for (ci = 0; ci < cshown && fadj_writer_ok (w); ci++)
        {
          if (ci == chead && cshown < cols)
            fadj_buf_puts (b, " & \\cdots");
          if (ci > 0)
            fadj_buf_puts (b, " & ");
          j = ci < chead || cshown == cols ? ci : cols - 1;
          fn (w, b, approx, i, j, arg);
        }
    }
  fadj_latex_put_matrix_close (b, array);
}

/* The entries of one column of a layer: Y^l, X^l (and the target) of
   sample COL, the activation's parameter and the name of sigma'.  */
typedef struct
{
  const fadj_mat *y, *x, *target;
  size_t col;
  const fadj_layer *ly;
  const char *sig;
} column_arg;

/* ------------------------------------------------------------------ */
/* sigma'.                                                             */

/* x (1 - x): the logistic's derivative from its value.  */
static void
e_sigmoid (fadj_writer *w, fadj_buf *b, int *approx, size_t i, size_t j,
           const void *arg)
{
  const column_arg *a = arg;
  fadj_num_srcptr x = FADJ_MAT (a->x, i, a->col + j);

  put_operand (w, b, approx, x, 0, 1);
  fadj_buf_puts (b, " \\cdot (1 - ");
  put_operand (w, b, approx, x, 0, 1);
  fadj_buf_puts (b, ")");
}

/* 1 - x^2: tanh's derivative from its value.  */
static void
e_tanh (fadj_writer *w, fadj_buf *b, int *approx, size_t i, size_t j,
        const void *arg)
{
  const column_arg *a = arg;

  fadj_buf_puts (b, "1 - ");
  put_operand (w, b, approx, FADJ_MAT (a->x, i, a->col + j), 0, 1);
  fadj_buf_puts (b, "^{2}");
}

/* 1 / (PRE F(y) POST), with F(y) computed: the derivatives of softplus
   and softsign.  */
static void
put_reciprocal (fadj_writer *w, fadj_buf *b, int *approx,
                const column_arg *a, size_t i, size_t j,
                void (*f) (fadj_num_ptr, fadj_num_srcptr), const char *pre,
                const char *post)
{
  fadj_num_srcptr y = FADJ_MAT (a->y, i, a->col + j);
  fadj_ctx c = fadj_num_get_ctx (y);
  fadj_num_t fy;

  fadj_num_init (fy, &c);
  f (fy, y);
  fadj_buf_printf (b, "\\dfrac{1}{%s", pre);
  put_operand (w, b, approx, fy, 0, 0);
  fadj_buf_printf (b, "%s}", post);
  fadj_num_clear (fy);
}

/* 1 / (1 + e^{-y}): softplus's derivative, the logistic of y.  */
static void
e_softplus (fadj_writer *w, fadj_buf *b, int *approx, size_t i, size_t j,
            const void *arg)
{
  put_reciprocal (w, b, approx, arg, i, j, fadj_num_neg, "1 + e^{", "}");
}

/* The piecewise-linear ones (relu, leaky_relu, hardtanh): sigma'(y),
   whose value the rule in the network's description gives.  */
static void
e_rule (fadj_writer *w, fadj_buf *b, int *approx, size_t i, size_t j,
        const void *arg)
{
  const column_arg *a = arg;

  fadj_buf_printf (b, "%s(", a->sig);
  put_operand (w, b, approx, FADJ_MAT (a->y, i, a->col + j), 0, 0);
  fadj_buf_puts (b, ")");
}

/* elu: a e^{y} for y <= 0; sigma'(y) for y > 0, where it is the 1 of
   the rule (and where the sign of y is not decided at this precision:
   the trace decided it, so never in practice).  */
static void
e_elu (fadj_writer *w, fadj_buf *b, int *approx, size_t i, size_t j,
       const void *arg)
{
  const column_arg *a = arg;
  fadj_num_srcptr y = FADJ_MAT (a->y, i, a->col + j);
  mpq_t zero;
  int gt = 0;
  fadj_status st;

  mpq_init (zero);
  st = fadj_num_gt_q (&gt, y, zero);
  mpq_clear (zero);
  if (st != FADJ_OK || gt)
    e_rule (w, b, approx, i, j, arg);
  else
    {
      mpq_srcptr slope = a->ly->act_param;

      /* (The factor a = 1, elu's default, not written.)  */
      if (mpq_cmp_ui (slope, 1, 1) != 0)
        {
          fadj_writer_put_q (w, b, NULL, slope);
          fadj_buf_puts (b, "\\,");
        }
      fadj_buf_puts (b, "e^{");
      put_operand (w, b, approx, y, 0, 0);
      fadj_buf_puts (b, "}");
    }
}

/* gelu: Phi(y) + y phi(y).  */
static void
e_gelu (fadj_writer *w, fadj_buf *b, int *approx, size_t i, size_t j,
        const void *arg)
{
  const column_arg *a = arg;
  fadj_num_srcptr y = FADJ_MAT (a->y, i, a->col + j);

  fadj_buf_puts (b, "\\Phi(");
  put_operand (w, b, approx, y, 0, 0);
  fadj_buf_puts (b, ") + ");
  put_operand (w, b, approx, y, 0, 1);
  fadj_buf_puts (b, "\\,\\varphi(");
  put_operand (w, b, approx, y, 0, 0);
  fadj_buf_puts (b, ")");
}

/* R = the logistic of Y, 1 / (1 + e^{-Y}), an enclosure.  */
static fadj_status
logistic (fadj_num_ptr r, fadj_num_srcptr y)
{
  fadj_ctx c = fadj_num_get_ctx (r);
  fadj_num_t one;
  fadj_status st;

  fadj_num_init (one, &c);
  fadj_num_set_exact_si (one, 1);
  fadj_num_neg (r, y);
  fadj_num_exp (r, r);
  fadj_num_add (r, r, one);
  st = fadj_num_div (r, one, r);
  fadj_num_clear (one);
  return st;
}

/* silu: s (1 + y (1 - s)) with s the logistic of y, its value shown.  */
static void
e_silu (fadj_writer *w, fadj_buf *b, int *approx, size_t i, size_t j,
        const void *arg)
{
  const column_arg *a = arg;
  fadj_num_srcptr y = FADJ_MAT (a->y, i, a->col + j);
  fadj_ctx c = interval_ctx (w);
  fadj_num_t s;

  fadj_num_init (s, &c);
  fadj_writer_fail (w, logistic (s, y));
  put_operand (w, b, approx, s, 0, 1);
  fadj_buf_puts (b, " \\cdot \\bigl(1 + ");
  put_operand (w, b, approx, y, 0, 1);
  fadj_buf_puts (b, " \\cdot (1 - ");
  put_operand (w, b, approx, s, 0, 1);
  fadj_buf_puts (b, ")\\bigr)");
  fadj_num_clear (s);
}

/* softsign: 1 / (1 + |y|)^2.  */
static void
e_softsign (fadj_writer *w, fadj_buf *b, int *approx, size_t i, size_t j,
            const void *arg)
{
  put_reciprocal (w, b, approx, arg, i, j, fadj_num_abs, "(1 + ", ")^{2}");
}

/* The result column of the first sample of M (all of M for one
   sample) into W->res.  */
static void
put_first_column (fadj_writer *w, int *approx, const fadj_mat *m)
{
  if (w->t->m > 1)
    fadj_writer_put_view (w, w->res, approx, m, 0, 1, 0, 0);
  else
    fadj_writer_put_mat (w, w->res, approx, m, NULL, NULL, 0);
}

/* With a batch, after the first sample's substitution: LHS and the
   whole matrix M, every sample's result.  */
static void
put_all_samples (fadj_writer *w, const char *lhs, const fadj_mat *m)
{
  int ra = 0;

  if (w->t->m <= 1)
    return;
  fadj_writer_scratch_reset (w);
  fadj_writer_put_mat (w, w->res, &ra, m, NULL, NULL, 0);
  fadj_writer_step (w, lhs, NULL, 0, ra);
}

void
fadj_subst_continue (fadj_writer *w, int sub_approx, int res_approx)
{
  /* In the step's frame on a deck: not a new step.  */
  w->in_step = 1;
  fadj_writer_step (w, "", NULL, sub_approx, res_approx);
}

void
fadj_subst_dsigma (fadj_writer *w, size_t l, const char *sig)
{
  const fadj_trace *t = w->t;
  const fadj_layer *ly = w->net->layers + l - 1;
  column_arg a = { t->Y + l, t->X + l, NULL, 0, ly, sig };
  char sup[32], lhs[96], formula[320];
  entry_fn fn = e_rule;
  int sa = 0, ra = 0;

  fadj_subst_sup (sup, sizeof sup, w, l);
  formula[0] = '\0';
  switch (ly->act)
    {
    case FADJ_ACT_SIGMOID:
      fn = e_sigmoid;
      if (w->same_act)
        snprintf (formula, sizeof formula, "\\sigma(Y^{%s}) \\odot \\bigl(1 "
                  "- \\sigma(Y^{%s})\\bigr) = X^{%s} \\odot (1 - X^{%s})",
                  sup, sup, sup, sup);
      else
        snprintf (formula, sizeof formula, "X^{%s} \\odot (1 - X^{%s})",
                  sup, sup);
      break;
    case FADJ_ACT_TANH:
      fn = e_tanh;
      snprintf (formula, sizeof formula, "1 - X^{%s} \\odot X^{%s}", sup,
                sup);
      break;
    case FADJ_ACT_SOFTPLUS:
      fn = e_softplus;
      snprintf (formula, sizeof formula, "\\frac{1}{1 + e^{-Y^{%s}}}", sup);
      break;
    case FADJ_ACT_ELU:
      fn = e_elu;
      break;
    case FADJ_ACT_GELU:
      fn = e_gelu;
      snprintf (formula, sizeof formula, "\\Phi(Y^{%s}) + Y^{%s} \\odot "
                "\\varphi(Y^{%s})", sup, sup, sup);
      break;
    case FADJ_ACT_SILU:
      fn = e_silu;
      snprintf (formula, sizeof formula, "s(Y^{%s}) \\odot \\bigl(1 + "
                "Y^{%s} \\odot (1 - s(Y^{%s}))\\bigr)", sup, sup, sup);
      break;
    case FADJ_ACT_SOFTSIGN:
      fn = e_softsign;
      snprintf (formula, sizeof formula, "\\frac{1}{(1 + |Y^{%s}|)^{2}}",
                sup);
      break;
    default:
      break;
    }
  fadj_writer_scratch_reset (w);
  put_expr_mat (w, w->sub, &sa, w->net->sizes[l], 1, fn, &a);
  put_first_column (w, &ra, t->dsig + l);
  snprintf (lhs, sizeof lhs, "%s(Y^{%s})", sig, sup);
  fadj_writer_step (w, lhs, formula[0] != '\0' ? formula : NULL, sa, ra);
  snprintf (lhs, sizeof lhs, "%s(Y^{%zu})", sig, l);
  put_all_samples (w, lhs, t->dsig + l);
}

/* ------------------------------------------------------------------ */
/* Softmax.                                                            */

/* The exponentials E of column COL of Y (N x 1, new) and their sum S:
   enclosures.  */
static fadj_status
softmax_exps (fadj_mat *e, fadj_num_ptr s, const fadj_writer *w,
              const fadj_mat *y, size_t col)
{
  fadj_ctx c = interval_ctx (w);
  size_t k;

  if (fadj_mat_init (e, y->rows, 1, &c) != FADJ_OK)
    return FADJ_ERR_NOMEM;
  fadj_num_set_exact_si (s, 0);
  for (k = 0; k < y->rows; k++)
    {
      fadj_num_exp (FADJ_MAT (e, k, 0), FADJ_MAT (y, k, col));
      fadj_num_add (s, s, FADJ_MAT (e, k, 0));
    }
  return FADJ_OK;
}

/* Into B: "A_1 OP A_2 OP ... OP A_n" for the N terms written by FN
   (index K; FN's own J is 0), elided as a matrix's rows are; an empty
   OP for terms that carry their own sign.  */
static void
put_sum (fadj_writer *w, fadj_buf *b, int *approx, size_t n, const char *op,
         entry_fn fn, const void *arg)
{
  size_t shown, head, kk, k;

  fadj_latex_elide (&shown, &head, n, w->fmt.max_show);
  for (kk = 0; kk < shown && fadj_writer_ok (w); kk++)
    {
      k = kk < head || shown == n ? kk : n - 1;
      if (kk == head && shown < n)
        fadj_buf_printf (b, " %s%s\\cdots", op, op[0] != '\0' ? " " : "");
      if (kk > 0)
        fadj_buf_printf (b, " %s%s", op, op[0] != '\0' ? " " : "");
      fn (w, b, approx, k, 0, arg);
    }
}

/* e^{y_k} of the first sample, in symbols with the number y_k.  */
static void
e_exp_of (fadj_writer *w, fadj_buf *b, int *approx, size_t i, size_t j,
          const void *arg)
{
  const column_arg *a = arg;

  (void) j;
  fadj_buf_puts (b, "e^{");
  put_operand (w, b, approx, FADJ_MAT (a->y, i, a->col), 0, 0);
  fadj_buf_puts (b, "}");
}

/* The value of e^{y_k} (A->x holds the exponentials).  */
static void
e_exp_value (fadj_writer *w, fadj_buf *b, int *approx, size_t i, size_t j,
             const void *arg)
{
  const column_arg *a = arg;

  (void) j;
  put_operand (w, b, approx, FADJ_MAT (a->x, i, 0), 0, 0);
}

/* e^{y_k} / S as numbers (A->target holds S, 1 x 1).  */
static void
e_exp_over_sum (fadj_writer *w, fadj_buf *b, int *approx, size_t i,
                size_t j, const void *arg)
{
  const column_arg *a = arg;

  (void) j;
  fadj_buf_puts (b, "\\dfrac{");
  put_operand (w, b, approx, FADJ_MAT (a->x, i, 0), 0, 0);
  fadj_buf_puts (b, "}{");
  put_operand (w, b, approx, FADJ_MAT (a->target, 0, 0), 0, 0);
  fadj_buf_puts (b, "}");
}

void
fadj_subst_softmax (fadj_writer *w, size_t l, const char *sigma)
{
  const fadj_trace *t = w->t;
  fadj_ctx c = interval_ctx (w);
  size_t n = w->net->sizes[l];
  char sup[32], lhs[128], formula[256];
  fadj_mat e, s;
  column_arg a = { t->Y + l, NULL, NULL, 0, w->net->layers + l - 1,
                   NULL };
  int sa = 0, ra = 0;

  if (!fadj_writer_ok (w))
    return;
  if (fadj_mat_init (&s, 1, 1, &c) != FADJ_OK)
    {
      fadj_writer_fail (w, FADJ_ERR_NOMEM);
      return;
    }
  if (softmax_exps (&e, FADJ_MAT (&s, 0, 0), w, t->Y + l, 0) != FADJ_OK)
    {
      fadj_mat_clear (&s);
      fadj_writer_fail (w, FADJ_ERR_NOMEM);
      return;
    }
  fadj_subst_sup (sup, sizeof sup, w, l);
  /* The denominator: the exponentials of the numbers, their values,
     their sum.  */
  fadj_writer_scratch_reset (w);
  snprintf (lhs, sizeof lhs, "\\sum_{k} e^{Y^{%s}_{k}}", sup);
  put_sum (w, w->sub, &sa, n, "+", e_exp_of, &a);
  fadj_writer_step (w, lhs, NULL, sa, 0);
  fadj_writer_scratch_reset (w);
  a.x = &e;
  sa = 1;
  put_sum (w, w->sub, &sa, n, "+", e_exp_value, &a);
  fadj_writer_put_num (w, w->res, &ra, FADJ_MAT (&s, 0, 0));
  fadj_subst_continue (w, sa, ra);
  /* Each entry: its exponential over the sum.  */
  fadj_writer_scratch_reset (w);
  sa = ra = 0;
  a.target = &s;
  put_expr_mat (w, w->sub, &sa, n, 1, e_exp_over_sum, &a);
  put_first_column (w, &ra, t->X + l);
  snprintf (lhs, sizeof lhs, "X^{%s}", sup);
  snprintf (formula, sizeof formula, "%s(Y^{%s}) = \\frac{e^{Y^{%s}}}"
            "{\\sum_{k} e^{Y^{%s}_{k}}}", sigma, sup, sup, sup);
  fadj_writer_step (w, lhs, formula, sa, ra);
  snprintf (lhs, sizeof lhs, "X^{%zu}", l);
  put_all_samples (w, lhs, t->X + l);
  fadj_mat_clear (&e);
  fadj_mat_clear (&s);
}

/* ------------------------------------------------------------------ */
/* The softmax Jacobian.                                               */

/* Entry (k, j) of the Jacobian at column COL: x_k (1 - x_k) on the
   diagonal, -x_k x_j off it.  */
static void
e_jacobian (fadj_writer *w, fadj_buf *b, int *approx, size_t i, size_t j,
            const void *arg)
{
  const column_arg *a = arg;
  fadj_num_srcptr xi = FADJ_MAT (a->x, i, a->col);
  fadj_num_srcptr xj = FADJ_MAT (a->x, j, a->col);

  put_operand (w, b, approx, xi, 0, 1);
  if (i == j)
    {
      fadj_buf_puts (b, " \\cdot (1 - ");
      put_operand (w, b, approx, xi, 0, 1);
      fadj_buf_puts (b, ")");
    }
  else
    {
      fadj_buf_puts (b, " \\cdot (0 - ");
      put_operand (w, b, approx, xj, 0, 1);
      fadj_buf_puts (b, ")");
    }
}

/* One entry (I, J) of the Jacobian on its own line, when the matrix of
   the entries is too wide for the line.  */
static void
put_jacobian_entry (fadj_writer *w, size_t l, size_t i, size_t j,
                    const column_arg *a, const char *jac)
{
  const fadj_trace *t = w->t;
  size_t n = w->net->sizes[l];
  char sup[32], lhs[160], formula[128];
  int sa = 0, ra = 0;

  fadj_subst_sup (sup, sizeof sup, w, l);
  fadj_writer_scratch_reset (w);
  e_jacobian (w, w->sub, &sa, i, j, a);
  fadj_writer_put_num (w, w->res, &ra, FADJ_MAT (t->jac + l, i, j));
  snprintf (lhs, sizeof lhs, "\\bigl(%s(Y^{%s})\\bigr)_{%zu%s%zu}", jac,
            sup, i + 1, n > 9 ? "," : "", j + 1);
  snprintf (formula, sizeof formula, "X^{%s}_{%zu}\\,(%d - X^{%s}_{%zu})",
            sup, i + 1, i == j, sup, j + 1);
  fadj_writer_step (w, lhs, formula, sa, ra);
}

void
fadj_subst_jacobian (fadj_writer *w, size_t l, size_t s, int subst)
{
  const fadj_trace *t = w->t;
  size_t n = w->net->sizes[l];
  column_arg a = { t->Y + l, t->X + l, NULL, s, w->net->layers + l - 1,
                   NULL };
  char jac[48], col[32], lhs[128], formula[256];
  int sa = 0, ra = 0;

  fadj_subst_jac_name (jac, sizeof jac, w, l);
  if (t->m > 1)
    snprintf (col, sizeof col, "%zu,(%zu)", l, s + 1);
  else
    snprintf (col, sizeof col, "%zu", l);
  snprintf (lhs, sizeof lhs, "%s(Y^{%s})", jac, col);
  fadj_writer_scratch_reset (w);
  fadj_writer_put_view (w, w->res, &ra, t->jac + l, s * n, n, 0, 0);
  if (!subst)
    {
      fadj_writer_step (w, lhs, NULL, 0, ra);
      return;
    }
  snprintf (formula, sizeof formula, "\\operatorname{diag}(X^{%s}) - "
            "X^{%s} (X^{%s})^{\\top} = \\bigl[X^{%s}_{k}\\,(\\delta_{kj} - "
            "X^{%s}_{j})\\bigr]_{kj}", col, col, col, col, col);
  put_expr_mat (w, w->sub, &sa, n, n, e_jacobian, &a);
  fadj_writer_check_scratch (w);
  if (fadj_writer_ok (w)
      && fadj_writer_width (fadj_buf_data (w->sub, NULL)) > w->width - 4)
    {
      /* Too wide to be read as one matrix: a diagonal and an
         off-diagonal entry written out, then the matrix.  */
      fadj_writer_scratch_reset (w);
      fadj_writer_put_view (w, w->res, &ra, t->jac + l, s * n, n, 0, 0);
      fadj_writer_step (w, lhs, formula, 0, ra);
      put_jacobian_entry (w, l, 0, 0, &a, jac);
      put_jacobian_entry (w, l, 0, 1, &a, jac);
      return;
    }
  fadj_writer_step (w, lhs, formula, sa, ra);
}

/* ------------------------------------------------------------------ */
/* The cross-entropy losses and their seeds.                           */

/* The terms of a cross-entropy with a nonzero part: for the categorical
   one y ln x (y != 0), for the binary one y ln x + (1 - y) ln (1 - x)
   (a part with a zero weight left out).  Listed once, written twice:
   in symbols with the numbers, then as values.  */
typedef struct
{
  size_t n;
  size_t *row, *col;      /* the term's entry of X^L */
  fadj_mat val;           /* -(the term), a value >= 0 for x in (0, 1) */
} ce_terms;

static int
binary_p (const fadj_writer *w)
{
  return w->net->loss == FADJ_LOSS_CROSS_ENTROPY;
}

/* Fill T; FADJ_ERR_NOMEM, or a status of ln (undecided: Ziv's loop).  */
static fadj_status
ce_terms_init (ce_terms *t, const fadj_writer *w)
{
  const fadj_mat *x = w->t->X + w->t->L, *y = &w->net->target;
  fadj_ctx c = interval_ctx (w);
  size_t i, s, k = 0, cap = x->rows * x->cols;
  fadj_num_t lx, one, q;
  fadj_status st = FADJ_OK;

  t->n = 0;
  t->row = malloc ((cap + 1) * sizeof *t->row);
  t->col = malloc ((cap + 1) * sizeof *t->col);
  if (t->row == NULL || t->col == NULL
      || fadj_mat_init (&t->val, cap > 0 ? cap : 1, 1, &c) != FADJ_OK)
    {
      free (t->row);
      free (t->col);
      return FADJ_ERR_NOMEM;
    }
  fadj_num_init (lx, &c);
  fadj_num_init (one, &c);
  fadj_num_init (q, &c);
  fadj_num_set_exact_si (one, 1);
  for (s = 0; s < x->cols && st == FADJ_OK; s++)
    for (i = 0; i < x->rows && st == FADJ_OK; i++)
      {
        fadj_num_srcptr xv = FADJ_MAT (x, i, s), yv = FADJ_MAT (y, i, s);
        fadj_num_ptr v = FADJ_MAT (&t->val, k, 0);
        int y0 = fadj_num_zero_p (yv);
        int y1 = mpq_cmp_ui (FADJ_NUM_Q (yv), 1, 1) == 0;

        if (y0 && !binary_p (w))
          continue;
        fadj_num_set_exact_si (v, 0);
        if (!y0)
          {
            st = fadj_num_log (lx, xv);
            if (st == FADJ_OK && !binary_p (w) && fadj_trace_simplex_p (w->t))
              fadj_softmax_tighten_log (lx, x, i, s);
            /* ln x of a sigmoid output near 1 by log1p (-(1 - x)), with
               the trace's 1 - x = sigma(-y), as loss.c's J.  */
            if (st == FADJ_OK && binary_p (w) && w->t->comp.rows > 0
                && fadj_softmax_near_one_p (xv))
              fadj_num_tighten_log_complement (lx,
                                               FADJ_MAT (&w->t->comp, i, s));
            fadj_num_mul (q, yv, lx);
            fadj_num_sub (v, v, q);
          }
        if (binary_p (w) && !y1 && st == FADJ_OK)
          {
            /* 1 - x of a sigmoid output near 1 (y = 10^5) as the
               trace's sigma(-y), which keeps its relative precision.  */
            if (w->t->comp.rows > 0)
              fadj_num_set (q, FADJ_MAT (&w->t->comp, i, s));
            else
              fadj_num_sub (q, one, xv);
            st = fadj_num_log (lx, q);
            /* An x of e^-100000 (a sigmoid's): 1 - x touches 1, ln (1 - x)
               is kept off 0 by log1p (-x), as loss.c's J.  */
            if (st == FADJ_OK && fadj_softmax_near_one_p (q))
              fadj_num_tighten_log_complement (lx, xv);
            fadj_num_sub (q, one, yv);
            fadj_num_mul (q, q, lx);
            fadj_num_sub (v, v, q);
          }
        t->row[k] = i;
        t->col[k] = s;
        k++;
      }
  t->n = k;
  fadj_num_clear (lx);
  fadj_num_clear (one);
  fadj_num_clear (q);
  if (st != FADJ_OK)
    {
      fadj_mat_clear (&t->val);
      free (t->row);
      free (t->col);
    }
  return st;
}

static void
ce_terms_clear (ce_terms *t)
{
  fadj_mat_clear (&t->val);
  free (t->row);
  free (t->col);
}

/* Term K as "- y ln x - (1 - y) ln(1 - x)" with the numbers (the weight
   1 not written).  */
static void
e_ce_symbols (fadj_writer *w, fadj_buf *b, int *approx, size_t k,
              size_t j, const void *arg)
{
  const ce_terms *t = arg;
  const fadj_mat *x = w->t->X + w->t->L;
  fadj_num_srcptr xv = FADJ_MAT (x, t->row[k], t->col[k]);
  fadj_num_srcptr yv = FADJ_MAT (&w->net->target, t->row[k], t->col[k]);
  int y0 = fadj_num_zero_p (yv);
  int y1 = mpq_cmp_ui (FADJ_NUM_Q (yv), 1, 1) == 0;
  mpq_t cy;

  (void) j;
  if (!y0)
    {
      fadj_buf_puts (b, "-");
      if (!y1)
        put_operand (w, b, approx, yv, 1, 1);
      fadj_buf_puts (b, "\\ln ");
      put_operand (w, b, approx, xv, 0, 1);
    }
  if (binary_p (w) && !y1)
    {
      fadj_buf_puts (b, y0 ? "-" : " - ");
      if (!y0)
        {
          mpq_init (cy);
          mpq_set_ui (cy, 1, 1);
          mpq_sub (cy, cy, FADJ_NUM_Q (yv));
          fadj_writer_put_q (w, b, NULL, cy);
          mpq_clear (cy);
        }
      fadj_buf_puts (b, "\\ln(1 - ");
      put_operand (w, b, approx, xv, 0, 1);
      fadj_buf_puts (b, ")");
    }
}

/* The value of term K, parenthesised if negative.  */
static void
e_ce_value (fadj_writer *w, fadj_buf *b, int *approx, size_t k, size_t j,
            const void *arg)
{
  const ce_terms *t = arg;

  (void) j;
  put_operand (w, b, approx, FADJ_MAT (&t->val, k, 0), 0, 1);
}

int
fadj_subst_loss (fadj_writer *w, const char *formula)
{
  const fadj_trace *t = w->t;
  int mean = t->m > 1 && w->net->batch == FADJ_BATCH_MEAN;
  ce_terms terms;
  fadj_status st;
  char pre[32];
  int sa = 0, ra = 0;

  if (w->net->loss != FADJ_LOSS_CROSS_ENTROPY
      && w->net->loss != FADJ_LOSS_CATEGORICAL_CROSS_ENTROPY)
    return 0;
  if (!fadj_writer_ok (w))
    return 1;
  if ((st = ce_terms_init (&terms, w)) != FADJ_OK)
    {
      fadj_writer_fail (w, st);
      return 1;
    }
  if (mean)
    snprintf (pre, sizeof pre, "\\frac{1}{%zu}", t->m);
  else
    pre[0] = '\0';
  /* J = formula = the terms in symbols, each with its numbers (the
     sum's minus distributed: every term is then a value >= 0).  */
  fadj_writer_scratch_reset (w);
  fadj_buf_printf (w->sub, "%s%s", pre, mean ? "\\bigl(" : "");
  if (terms.n == 0)
    fadj_buf_puts (w->sub, "0");
  put_sum (w, w->sub, &sa, terms.n, "", e_ce_symbols, &terms);
  fadj_buf_puts (w->sub, mean ? "\\bigr)" : "");
  if (terms.n <= 1 && !mean)
    {
      /* One term: its value is J.  */
      fadj_writer_put_num (w, w->res, &ra, t->J);
      fadj_writer_step (w, "J", formula, sa, ra);
      ce_terms_clear (&terms);
      return 1;
    }
  fadj_writer_step (w, "J", formula, sa, 0);
  /* Their values, and J.  */
  fadj_writer_scratch_reset (w);
  sa = 1;
  fadj_buf_printf (w->sub, "%s%s", pre, mean ? "\\bigl(" : "");
  if (terms.n == 0)
    fadj_buf_puts (w->sub, "0");
  put_sum (w, w->sub, &sa, terms.n, "+", e_ce_value, &terms);
  fadj_buf_puts (w->sub, mean ? "\\bigr)" : "");
  fadj_writer_put_num (w, w->res, &ra, t->J);
  fadj_subst_continue (w, sa, ra);
  ce_terms_clear (&terms);
  return 1;
}

/* The seed's entry of the first sample: -y / x (categorical),
   (x - y) / (x (1 - x)) (binary).  */
static void
e_ce_seed (fadj_writer *w, fadj_buf *b, int *approx, size_t i, size_t j,
           const void *arg)
{
  const column_arg *a = arg;
  fadj_num_srcptr xv = FADJ_MAT (a->x, i, a->col + j);
  fadj_num_srcptr yv = FADJ_MAT (a->target, i, a->col + j);

  if (!binary_p (w))
    {
      fadj_buf_puts (b, "-\\dfrac{");
      put_operand (w, b, approx, yv, 1, 0);
      fadj_buf_puts (b, "}{");
      put_operand (w, b, approx, xv, 0, 0);
      fadj_buf_puts (b, "}");
      return;
    }
  fadj_buf_puts (b, "\\dfrac{");
  put_operand (w, b, approx, xv, 0, 0);
  fadj_buf_puts (b, " - ");
  put_operand (w, b, approx, yv, 1, 1);
  fadj_buf_puts (b, "}{");
  put_operand (w, b, approx, xv, 0, 1);
  fadj_buf_puts (b, " \\cdot (1 - ");
  put_operand (w, b, approx, xv, 0, 1);
  fadj_buf_puts (b, ")}");
}

int
fadj_subst_seed (fadj_writer *w)
{
  const fadj_trace *t = w->t;
  size_t L = t->L;
  column_arg a = { t->Y + L, t->X + L, &w->net->target, 0,
                   w->net->layers + L - 1, NULL };
  char sup[32], ys[16], lhs[64], formula[320];
  int sa = 0, ra = 0;

  if (w->net->loss != FADJ_LOSS_CROSS_ENTROPY
      && w->net->loss != FADJ_LOSS_CATEGORICAL_CROSS_ENTROPY)
    return 0;
  fadj_subst_sup (sup, sizeof sup, w, L);
  snprintf (ys, sizeof ys, "y%s", t->m > 1 ? "^{(1)}" : "");
  if (binary_p (w))
    snprintf (formula, sizeof formula, "\\frac{\\partial J%s}{\\partial "
              "X^{%s}} = \\frac{X^{%s} - %s}{X^{%s} \\odot (1 - X^{%s})}\\ "
              "\\text{(entrywise)}", t->m > 1 ? "_{1}" : "", sup, sup, ys,
              sup, sup);
  else
    snprintf (formula, sizeof formula, "\\frac{\\partial J%s}{\\partial "
              "X^{%s}} = -\\frac{%s}{X^{%s}}\\ \\text{(entrywise)}",
              t->m > 1 ? "_{1}" : "", sup, ys, sup);
  fadj_writer_scratch_reset (w);
  put_expr_mat (w, w->sub, &sa, w->net->sizes[L], 1, e_ce_seed, &a);
  put_first_column (w, &ra, t->xs + L);
  snprintf (lhs, sizeof lhs, "X^{%s}_{*}", sup);
  fadj_writer_step (w, lhs, formula, sa, ra);
  snprintf (lhs, sizeof lhs, "X^{%zu}_{*}", L);
  put_all_samples (w, lhs, t->xs + L);
  return 1;
}
