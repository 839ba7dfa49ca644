/* latex-train.c -- the document's sections that go beyond one
   derivation: training steps (fadj-explain --steps), the first update
   in full and the loss step by step, and textbook rounding (--carry),
   every carried value beside the exact one and its drift.  The
   computations are train.c's and trace.c's; this file only prints.  */

#include "latex-subst.h"

/* ------------------------------------------------------------------ */
/* Training steps.                                                     */

/* The update of layer L's weights and bias recorded in TR (a step
   written in full), inside an align*: W' = W - eta G (the weights part
   of G), then the bias: frozen, shared (one number) or per neuron.  W
   and b are the parameters of the writer's trace (the derivation the
   step starts from).  */
static void
put_update (fadj_writer *w, const fadj_training *tr, size_t l)
{
  const fadj_layer *ly = w->net->layers + l - 1;
  size_t nw = ly->w.cols;
  char lhs[64], formula[128];
  int sa = 0, ra = 0;

  fadj_writer_scratch_reset (w);
  snprintf (lhs, sizeof lhs, _ ("W^{%zu}_{\\text{new}}"), l);
  snprintf (formula, sizeof formula, "W^{%zu} - \\eta\\,\\frac{\\partial J}"
            "{\\partial W^{%zu}}", l, l);
  fadj_writer_put_mat (w, w->sub, &sa, w->t->W[l], NULL, NULL, 0);
  fadj_buf_puts (w->sub, " - ");
  fadj_writer_put_q (w, w->sub, NULL, tr->rate);
  fadj_writer_put_view (w, w->sub, &sa, tr->grad + l, 0, nw, 0, 0);
  fadj_writer_put_mat (w, w->res, &ra, tr->w1 + l, NULL, NULL, 0);
  fadj_writer_step (w, lhs, formula, sa, ra);
  if (!ly->has_bias)
    return;
  fadj_writer_scratch_reset (w);
  sa = ra = 0;
  snprintf (lhs, sizeof lhs, _ ("b^{%zu}_{\\text{new}}"), l);
  if (ly->bias_frozen)
    {
      snprintf (formula, sizeof formula, _ ("b^{%zu}\\ \\text{(frozen)}"), l);
      /* Unchanged, so exact: the file's value.  */
      if (!ly->bias_shared)
        fadj_writer_put_mat (w, w->res, &ra, &ly->b, NULL, NULL, 0);
      else
        fadj_writer_put_q (w, w->res, NULL, FADJ_NUM_Q (&ly->b.e[0]));
      fadj_writer_step (w, lhs, formula, 0, ra);
      return;
    }
  snprintf (formula, sizeof formula, "b^{%zu} - \\eta\\,\\frac{\\partial J}"
            "{\\partial b^{%zu}}", l, l);
  if (ly->bias_shared)
    {
      fadj_writer_put_number (w, w->sub, &sa, w->t->B[l]->e);
      fadj_buf_puts (w->sub, " - ");
      fadj_writer_put_q (w, w->sub, NULL, tr->rate);
      fadj_buf_puts (w->sub, "\\cdot ");
      fadj_writer_put_number (w, w->sub, &sa, tr->gb[l].e);
      fadj_writer_put_number (w, w->res, &ra, tr->b1[l].e);
    }
  else
    {
      fadj_writer_put_mat (w, w->sub, &sa, w->t->B[l], NULL, NULL, 0);
      fadj_buf_puts (w->sub, " - ");
      fadj_writer_put_q (w, w->sub, NULL, tr->rate);
      fadj_writer_put_view (w, w->sub, &sa, tr->grad + l, nw, 1, 0, 0);
      fadj_writer_put_mat (w, w->res, &ra, tr->b1 + l, NULL, NULL, 0);
    }
  fadj_writer_step (w, lhs, formula, sa, ra);
}

/* The local variant's sweep at layer L: its own Y^l_* (from the X^l_*
   propagated with the updated weights above), the gradient, the update,
   and X^{l-1}_* through the new W^l.  */
static void
put_local_layer (fadj_writer *w, const fadj_training *tr, size_t l)
{
  const fadj_trace *t = w->t;
  const fadj_layer *ly = w->net->layers + l - 1;
  const fadj_mat *xs = l == t->L ? t->xs + l : tr->xs + l;
  char lhs[64], formula[160];
  int sa = 0, ra = 0;

  fadj_buf_printf (w->b, _ ("\n\\paragraph{Layer %zu.}\n"), l);
  fadj_writer_align_begin (w);
  fadj_writer_scratch_reset (w);
  snprintf (lhs, sizeof lhs, "Y^{%zu}_{*}", l);
  if (fadj_act_vector_p (ly->act))
    {
      char jac[48];
      fadj_subst_jac_name (jac, sizeof jac, w, l);
      snprintf (formula, sizeof formula, "%s(Y^{%zu})^{\\top} X^{%zu}_{*}",
                jac, l, l);
    }
  else
    {
      snprintf (formula, sizeof formula, "X^{%zu}_{*} \\odot \\sigma'(Y^{%zu})",
                l, l);
      fadj_writer_put_mat (w, w->sub, &sa, xs, NULL, NULL, 0);
      fadj_buf_puts (w->sub, " \\odot ");
      fadj_writer_put_mat (w, w->sub, &sa, t->dsig + l, NULL, NULL, 0);
    }
  fadj_writer_put_mat (w, w->res, &ra, tr->ys + l, NULL, NULL, 0);
  fadj_writer_step (w, lhs, formula, sa, ra);

  fadj_writer_scratch_reset (w);
  sa = ra = 0;
  snprintf (lhs, sizeof lhs, "\\frac{\\partial J}{\\partial W^{%zu}}", l);
  snprintf (formula, sizeof formula, "Y^{%zu}_{*}\\,(X^{%zu})^{\\top}", l,
            l - 1);
  if (ly->has_bias && !w->sep)
    fadj_writer_put_mat (w, w->res, &ra, tr->grad + l, NULL, NULL, ly->w.cols);
  else
    fadj_writer_put_view (w, w->res, &ra, tr->grad + l, 0, ly->w.cols, 0, 0);
  fadj_writer_step (w, lhs, formula, 0, ra);
  put_update (w, tr, l);

  fadj_writer_scratch_reset (w);
  sa = ra = 0;
  snprintf (lhs, sizeof lhs, "X^{%zu}_{*}", l - 1);
  snprintf (formula, sizeof formula, _ ("(W^{%zu}_{\\text{new}%s})^{\\top} "
            "Y^{%zu}_{*}"), l, ly->has_bias && !w->sep ? ",\\sharp" : "", l);
  fadj_writer_put_view (w, w->sub, &sa, tr->w1 + l, 0, ly->w.cols, 0, 1);
  fadj_writer_put_mat (w, w->sub, &sa, tr->ys + l, NULL, NULL, 0);
  fadj_writer_put_mat (w, w->res, &ra, tr->xs + l - 1, NULL, NULL, 0);
  fadj_writer_step (w, lhs, formula, sa, ra);
  fadj_writer_align_end (w);
}

/* The gradients of the writer's trace, dJ/dW^l = Y^l_* (X^{l-1})^T with
   its numbers, for a later step written in full (step 1's are the
   gradients' section).  */
static void
put_step_gradients (fadj_writer *w)
{
  const fadj_trace *t = w->t;
  int mean = t->m > 1 && w->net->batch == FADJ_BATCH_MEAN;
  char lhs[64], formula[128];
  size_t l;

  for (l = 1; l <= t->L; l++)
    {
      const fadj_layer *ly = w->net->layers + l - 1;
      int sa = 0, ra = 0;
      fadj_writer_scratch_reset (w);
      snprintf (lhs, sizeof lhs, "\\frac{\\partial J}{\\partial W^{%zu}}", l);
      snprintf (formula, sizeof formula, "%sY^{%zu}_{*}\\,(X^{%zu})^{\\top}",
                mean ? "\\frac{1}{m}\\," : "", l, l - 1);
      if (mean)
        fadj_buf_printf (w->sub, "\\frac{1}{%zu}", t->m);
      fadj_writer_put_mat (w, w->sub, &sa, t->ys + l, NULL, NULL, 0);
      fadj_writer_put_x (w, w->sub, &sa, l - 1, 1);
      if (ly->has_bias && !w->sep)
        fadj_writer_put_mat (w, w->res, &ra, t->grad + l, NULL, NULL,
                             ly->w.cols);
      else
        fadj_writer_put_view (w, w->res, &ra, t->grad + l, 0, ly->w.cols, 0,
                              0);
      fadj_writer_step (w, lhs, formula, sa, ra);
    }
}

/* Step K written in full from the writer's trace (the derivation at the
   weights before it), its update recorded in REC; TR for the mode.  */
static void
put_shown_step (fadj_writer *w, const fadj_training *tr, size_t k,
                const fadj_training *rec)
{
  fadj_buf *b = w->b;
  size_t l;

  fadj_buf_puts (b, "\n\\paragraph{");
  fadj_buf_printf (b, _ ("Step %zu."), k);
  fadj_buf_puts (b, "}\n");
  if (k > 1)
    {
      int a = 0;
      /* TRANSLATORS: followed by J's value, then by the next string.  */
      fadj_buf_printf (b, _ ("At the weights after step %zu, where $J %s "),
                       k - 1, FADJ_NUM_EXACT_P (w->t->J) ? "=" : "\\approx");
      fadj_writer_put_number (w, b, &a, w->t->J);
      fadj_buf_puts (b, _ ("$, the F-propagation and the F-adjoint are "
                           "computed and verified as in the sections "
                           "above"));
    }
  if (tr->mode == FADJ_UPDATE_STANDARD)
    {
      if (k == 1)
        {
          char cite[64];
          fadj_writer_cite (cite, sizeof cite, w->grad_eq0, w->grad_eq1);
          fadj_buf_printf (b, _ ("From the gradients%s above:\n"), cite);
        }
      else
        fadj_buf_puts (b, _ ("; their gradients, then the update:\n"));
      fadj_writer_align_begin (w);
      if (k > 1)
        put_step_gradients (w);
      for (l = 1; l <= w->t->L; l++)
        put_update (w, rec, l);
      fadj_writer_align_end (w);
    }
  else
    {
      if (k == 1)
        fadj_buf_printf (b, _ ("From the seed $X^{%zu}_{*}$ above, layer "
                               "by layer:\n"), w->t->L);
      else
        fadj_buf_printf (b, _ ("; from their seed $X^{%zu}_{*}$, layer by "
                               "layer:\n"), w->t->L);
      for (l = w->t->L; l >= 1; l--)
        put_local_layer (w, rec, l);
    }
}

/* The most rows of a table of the loss: a tabular does not break
   across pages.  The article sets up to three side by side.  */
#define LOSS_ROWS 30
#define LOSS_SIDE 3

/* J after each step, in tables of at most LOSS_ROWS rows.  */
static void
put_loss_table (fadj_writer *w, const fadj_training *tr)
{
  fadj_buf *b = w->b;
  size_t k, chunk = 0;
  int side = (w->flags & FADJ_LATEX_FRAGMENT) ? 1 : LOSS_SIDE;

  for (k = 0; k <= tr->steps && fadj_writer_ok (w); k++)
    {
      int a = 0;
      if (k % LOSS_ROWS == 0)
        {
          if (k > 0)
            fadj_buf_puts (b, "\\end{tabular}");
          if (chunk % side == 0)
            fadj_buf_puts (b, k > 0 ? "\n\\end{center}\n\\begin{center}\n"
                           : "\\begin{center}\n");
          else
            fadj_buf_puts (b, "\\quad\n");
          fadj_buf_printf (b, "\\begin{tabular}{rl}\n"
                           "%s & $J$\\\\\n\\hline\n",
                           /* TRANSLATORS: the head of a table's column
                              of step numbers, beside J.  */
                           _ ("after step"));
          chunk++;
        }
      fadj_buf_printf (b, "%zu%s & $", k, k == 0 ? _ (" (initial)") : "");
      fadj_writer_put_number (w, b, &a, tr->J + k);
      fadj_buf_puts (b, "$\\\\\n");
    }
  fadj_buf_puts (b, "\\end{tabular}\n\\end{center}\n");
}

/* J against the step, a pgfplots picture (the article loads pgfplots
   for it: fadj_writer.loss_curve).  A picture's coordinates are
   rounded to 6 significant digits, which the caption says; the values
   are the table's.  */
static void
put_loss_curve (fadj_writer *w, const fadj_training *tr)
{
  fadj_buf *b = w->b;
  size_t k;

  fadj_buf_printf (b, "\\begin{center}\n\\begin{tikzpicture}\n"
                   "\\begin{axis}[width=0.8\\linewidth, height=6cm, "
                   "xmin=0, xmax=%zu, xlabel={%s}, ylabel={$J$}, "
                   "grid=major, scaled y ticks=false, "
                   "yticklabel style={/pgf/number format/fixed, "
                   "/pgf/number format/precision=4}", tr->steps,
                   /* TRANSLATORS: the label of the loss curve's x axis.  */
                   _ ("step"));
  /* Whole steps on the axis; a mark on each point while they are few
     enough to tell apart.  */
  if (tr->steps <= 10)
    fadj_buf_printf (b, ", xtick={0,1,...,%zu}", tr->steps);
  else
    fadj_buf_puts (b, ", xticklabel style={/pgf/number format/int detect}");
  fadj_buf_printf (b, "]\n\\addplot[%s] coordinates {\n",
                   tr->steps <= 50 ? "mark=*, mark size=1pt" : "no marks");
  for (k = 0; k <= tr->steps; k++)
    {
      fadj_num_srcptr j = tr->J + k;
      double v = FADJ_NUM_EXACT_P (j) ? mpq_get_d (FADJ_NUM_Q (j))
                 : mpfr_get_d (FADJ_NUM_LEFT (j), MPFR_RNDN);
      fadj_buf_printf (b, "(%zu, %.6g)%s", k, v, k % 6 == 5 ? "\n" : " ");
    }
  fadj_buf_puts (b, "};\n\\end{axis}\n\\end{tikzpicture}\n\\end{center}\n");
  fadj_buf_puts (b, _ ("\\noindent The loss $J$ after each step (step 0: "
                       "the initial weights). The plotted points are the "
                       "values of the table rounded to 6 significant "
                       "digits: a picture; the digits are the table's.\n\n"));
}

void
fadj_latex_write_training (fadj_writer *w, const fadj_training *tr)
{
  const fadj_net *net = w->net;
  fadj_buf *b = w->b;
  size_t l, k;
  int any_frozen = 0;

  fadj_writer_section (w, _ ("Training steps"));
  fadj_buf_puts (b, _ ("Gradient descent with the learning rate $\\eta = "));
  fadj_writer_put_q (w, b, NULL, tr->rate);
  fadj_buf_printf (b, _ ("$, %zu step%s: $W^{%s} \\leftarrow W^{%s} - \\eta\\,"
                   "\\partial J/\\partial W^{%s}$, and the same for every "
                   "bias that is not frozen"), tr->steps,
                   tr->steps > 1 ? "s" : "", w->ix, w->ix, w->ix);
  for (l = 1; l <= w->t->L; l++)
    any_frozen |= net->layers[l - 1].bias_frozen;
  if (any_frozen)
    fadj_buf_puts (b, _ (" (a frozen bias keeps its value)"));
  fadj_buf_puts (b, ". ");
  if (tr->mode == FADJ_UPDATE_STANDARD)
    fadj_buf_puts (b, _ ("The updates are in the \\emph{standard} order: "
                   "every gradient of a step comes from one F-adjoint at "
                   "the old weights (for step~1, the one above), then every "
                   "layer is updated.\n"));
  else
    fadj_buf_printf (b, _ ("The updates are in the author's \\emph{local} "
                     "order (also that of the first version of Mazur's "
                     "code): going down from $%s = L$, $W^{%s}$ is updated "
                     "as soon as $Y^{%s}_{*}$ is known, and $X^{%s-1}_{*}$ "
                     "is propagated with the updated $W^{%s}$. Below the "
                     "last layer this is not the gradient of $J$ but a "
                     "different learning rule.\n"),
                     w->ix, w->ix, w->ix, w->ix, w->ix);

  for (k = 0; k < tr->nshown && fadj_writer_ok (w); k++)
    {
      /* The step's lines read the derivation it starts from.  */
      const fadj_trace *t = w->t;
      w->t = tr->shown[k].at;
      put_shown_step (w, tr, tr->shown[k].step, tr->shown[k].rec);
      w->t = t;
    }

  fadj_buf_printf (b, _ ("\n\\paragraph{The loss, step by step.}\n"
                   "Each step's F-adjoint was computed and verified as "
                   "above, at that step's weights.\n"));
  put_loss_table (w, tr);
  if (w->loss_curve)
    put_loss_curve (w, tr);

  if (tr->steps > 1)
    {
      fadj_buf_printf (b, _ ("The weights after step %zu:\n"), tr->steps);
      fadj_writer_align_begin (w);
      for (l = 1; l <= w->t->L; l++)
        {
          const fadj_layer *ly = net->layers + l - 1;
          fadj_writer_align_newline (w);
          fadj_buf_printf (b, "W^{%zu} &\\approx ", l);
          fadj_writer_put_mat (w, b, NULL, tr->w + l, NULL, NULL, 0);
          if (ly->has_bias)
            {
              fadj_buf_printf (b, ", & b^{%zu} &%s ", l,
                               ly->bias_frozen ? "=" : "\\approx");
              if (ly->bias_frozen && ly->bias_shared)
                fadj_writer_put_q (w, b, NULL, FADJ_NUM_Q (&ly->b.e[0]));
              else if (ly->bias_frozen)
                fadj_writer_put_mat (w, b, NULL, &ly->b, NULL, NULL, 0);
              else if (ly->bias_shared)
                fadj_writer_put_number (w, b, NULL, tr->b[l].e);
              else
                fadj_writer_put_mat (w, b, NULL, tr->b + l, NULL, NULL, 0);
            }
        }
      fadj_writer_align_end (w);
    }
  if (!tr->check.agree && tr->check.what == FADJ_Q_DIRECTIONAL)
    fadj_buf_printf (b, _ ("\\begin{center}\n\\fbox{\\parbox{0.9\\linewidth}{"
                     "\\textbf{VERIFICATION FAILED} at the weights after "
                     "step %zu: the derivative of $J$ along a random "
                     "direction and the two-step rule's gradients projected "
                     "on it disagree there.}}\n\\end{center}\n"),
                     tr->check_step);
  else if (!tr->check.agree)
    fadj_buf_printf (b, _ ("\\begin{center}\n\\fbox{\\parbox{0.9\\linewidth}{"
                     "\\textbf{VERIFICATION FAILED} at the weights after "
                     "step %zu: the two-step rule and the reverse mode "
                     "disagree there (layer %zu, row %zu, column %zu).}}\n"
                     "\\end{center}\n"), tr->check_step, tr->check.layer,
                     tr->check.row + 1, tr->check.col + 1);
}

/* ------------------------------------------------------------------ */
/* Textbook rounding.                                                  */

/* One quantity carried (to PLACES decimals) and exact, and the drift:
   on one line when it fits, else on three aligned lines.  Inside an
   align*.  */
static void
carry_row (fadj_writer *w, int places, const char *name,
           const fadj_mat *carried, const fadj_mat *exact)
{
  fadj_mat d;
  int ac = 0, ae = 0, ad = 0;
  double wid;

  if (!fadj_writer_ok (w))
    return;
  if (fadj_writer_mat_sub (&d, carried, exact) != FADJ_OK)
    {
      fadj_writer_fail (w, FADJ_ERR_NOMEM);
      return;
    }
  fadj_writer_scratch_reset (w);
  fadj_buf_reset (w->tmp);
  /* Every carried value with the D decimals it was rounded to, 0.20
     beside 0.15 as a hand calculation writes them.  */
  w->fmt.places = places;
  fadj_writer_put_mat (w, w->sub, &ac, carried, NULL, NULL, 0);
  w->fmt.places = 0;
  fadj_writer_put_mat (w, w->res, &ae, exact, NULL, NULL, 0);
  fadj_writer_put_mat (w, w->tmp, &ad, &d, NULL, NULL, 0);
  fadj_mat_clear (&d);
  fadj_writer_check_scratch (w);
  if (!fadj_writer_ok (w))
    return;
  wid = fadj_writer_width (name)
    + fadj_writer_width (fadj_buf_data (w->sub, NULL))
    + fadj_writer_width (fadj_buf_data (w->res, NULL))
    + fadj_writer_width (fadj_buf_data (w->tmp, NULL)) + 30;
  fadj_writer_align_newline (w);
  fadj_buf_printf (w->b, "%s &= %s", name, fadj_buf_data (w->sub, NULL));
  fadj_buf_printf (w->b, _ ("%s\\quad\\text{exact } %s %s"),
                   wid > w->width ? "\\\\\n &" : "", fadj_writer_rel (ae),
                   fadj_buf_data (w->res, NULL));
  fadj_buf_printf (w->b, _ ("%s\\quad\\text{drift } %s %s"),
                   wid > w->width ? "\\\\\n &" : ",", fadj_writer_rel (ad),
                   fadj_buf_data (w->tmp, NULL));
}

void
fadj_latex_write_carry (fadj_writer *w, const fadj_trace *ct)
{
  const fadj_trace *t = w->t;
  fadj_buf *b = w->b;
  char name[96];
  size_t l;

  fadj_writer_section (w, _ ("Textbook rounding"));
  fadj_buf_printf (b, _ ("A calculation by hand rounds every intermediate "
                   "result before it uses it. Here the whole derivation "
                   "is redone so, every intermediate rounded to %d decimal "
                   "place%s (halves away from zero): each entry of "
                   "$Y^{%s}$, $X^{%s}$, $\\sigma'(Y^{%s})$, $Y^{%s}_{*}$, "
                   "$X^{%s}_{*}$ and of the gradients, and $J$, rounded as "
                   "soon as it is computed (the functions $\\sigma$ and "
                   "$\\sigma'$ evaluated exactly first). Each carried value "
                   "is shown with the exact one of the sections above and "
                   "the drift, carried minus exact.\n"), ct->carry,
                   ct->carry == 1 ? "" : "s", w->ix, w->ix, w->ix, w->ix,
                   w->ix);
  fadj_buf_puts (b, "\n\\paragraph{F-propagation.}\n");
  fadj_writer_align_begin (w);
  for (l = 1; l <= t->L; l++)
    {
      snprintf (name, sizeof name, "Y^{%zu}", l);
      carry_row (w, ct->carry, name, ct->Y + l, t->Y + l);
      snprintf (name, sizeof name, "X^{%zu}", l);
      carry_row (w, ct->carry, name, ct->X + l, t->X + l);
    }
  {
    /* J as 1 x 1 matrices (views: nothing to clear).  */
    fadj_mat jc = { 0 }, je = { 0 };
    jc.rows = jc.cols = je.rows = je.cols = 1;
    jc.e = (fadj_num_struct *) ct->J;
    je.e = (fadj_num_struct *) t->J;
    carry_row (w, ct->carry, "J", &jc, &je);
  }
  fadj_writer_align_end (w);
  fadj_buf_puts (b, "\n\\paragraph{F-adjoint.}\n");
  fadj_writer_align_begin (w);
  snprintf (name, sizeof name, "X^{%zu}_{*}", t->L);
  carry_row (w, ct->carry, name, ct->xs + t->L, t->xs + t->L);
  for (l = t->L; l >= 1; l--)
    {
      if (fadj_act_vector_p (w->net->layers[l - 1].act))
        {
          char jac[48];
          fadj_subst_jac_name (jac, sizeof jac, w, l);
          snprintf (name, sizeof name, "%s(Y^{%zu})", jac, l);
          carry_row (w, ct->carry, name, ct->jac + l, t->jac + l);
        }
      else if (w->net->layers[l - 1].act != FADJ_ACT_IDENTITY)
        {
          snprintf (name, sizeof name, "\\sigma'(Y^{%zu})", l);
          carry_row (w, ct->carry, name, ct->dsig + l, t->dsig + l);
        }
      snprintf (name, sizeof name, "Y^{%zu}_{*}", l);
      carry_row (w, ct->carry, name, ct->ys + l, t->ys + l);
      snprintf (name, sizeof name, "X^{%zu}_{*}", l - 1);
      carry_row (w, ct->carry, name, ct->xs + l - 1, t->xs + l - 1);
    }
  fadj_writer_align_end (w);
  fadj_buf_puts (b, _ ("\n\\paragraph{Gradients.}\n"));
  fadj_writer_align_begin (w);
  for (l = 1; l <= t->L; l++)
    {
      snprintf (name, sizeof name, "\\frac{\\partial J}{\\partial W^{%zu}}",
                l);
      carry_row (w, ct->carry, name, ct->grad + l, t->grad + l);
      if (ct->gb[l].rows > 0)
        {
          snprintf (name, sizeof name, "\\frac{\\partial J}{\\partial "
                    "b^{%zu}}", l);
          carry_row (w, ct->carry, name, ct->gb + l, t->gb + l);
        }
    }
  fadj_writer_align_end (w);
}
