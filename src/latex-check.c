/* latex-check.c -- the document's verification section: how the
   two-step rule was checked (the generic reverse mode of the expression
   engine, on the scalar graph of J, or, for a network too large for
   that graph, the directional check), in which arithmetic, how many
   entries were compared, and the result: a table of what agreed, or the
   first disagreement, named by quantity, layer, row and column.  The
   checks themselves are the library's (check-reverse.c,
   check-directional.c); this file only prints.  */

#include "latex-writer.h"

/* The verification by the directional check (FADJ_TRACE_DIRECTIONAL,
   check-directional.c): why it ran instead of the reverse mode, what it
   compared, in which arithmetic, and its verdict.  */
static void
write_directional (fadj_writer *w)
{
  const fadj_trace *t = w->t;
  fadj_buf *b = w->b;

  if (!fadj_net_full_check_p (w->net))
    fadj_buf_printf (b,
      _ ("This network has %zu weights and biases, more than the %d up to "
      "which the scalar computation graph of $J$ is built for the "
      "reverse-mode check (its memory grows with them), so the two-step "
      "rule was checked by the directional check instead. "),
      fadj_net_params (w->net), FADJ_FULL_CHECK_MAX_PARAMS);
  else
    fadj_buf_puts (b,
      _ ("As asked, the two-step rule was checked by the directional check "
      "instead of the reverse mode of the scalar computation graph of "
      "$J$. "));
  fadj_buf_printf (b,
    _ ("A direction $V$ was drawn at random, the same on every run, with "
    "one nonzero integer entry between $-64$ and $64$ for every weight, "
    "every bias and every input. The "
    "derivative of $J$ along $V$ was computed by forward (tangent) mode, "
    "layer by layer, with the derivatives of $\\sigma$ and of the loss "
    "derived by the expression engine's own rules and not taken from the "
    "formulas used in the two-step rule, and without transposing "
    "$W^{%s}$. It was compared with the gradients above, of every weight, "
    "bias and input, projected on $V$: the sum of each gradient entry "
    "times its entry of $V$. A wrong gradient entry changes that sum by a "
    "nonzero multiple of its error, so that it cannot hide in it; but one "
    "number is compared, not every entry, and $Y^{%s}_{*}$ and "
    "$X^{%s}_{*}$ only through the gradients. "), w->ix, w->ix, w->ix);
  if (t->ctx.domain == FADJ_EXACT)
    fadj_buf_puts (b,
      _ ("Both numbers were computed in exact rational arithmetic (GMP), so "
      "agreement means that they are equal.\n\n"));
  else
    fadj_buf_printf (b,
      _ ("Both numbers were computed in interval arithmetic (MPFI) with "
      "%ld-bit endpoints; they agree when their enclosures overlap.\n\n"),
      (long) t->ctx.prec);
  if (t->check.agree)
    fadj_buf_printf (b, _ ("\\noindent\\textbf{Result:} the derivative "
                     "along $V$ and the projected gradients agree%s.\n"),
                     t->ctx.domain == FADJ_EXACT ? _ (" exactly") : "");
  else
    fadj_buf_puts (b,
      _ ("\\begin{center}\n\\fbox{\\parbox{0.9\\linewidth}{"
      "\\textbf{VERIFICATION FAILED.} The derivative of $J$ along $V$ and "
      "the gradients projected on $V$ disagree: some gradient entry is "
      "wrong. The values in this document are not confirmed.}}\n"
      "\\end{center}\n"));
}

void
fadj_latex_write_verification (fadj_writer *w)
{
  const fadj_trace *t = w->t;
  const fadj_check *c = &t->check;
  fadj_buf *b = w->b;
  size_t l;

  fadj_writer_section (w, _ ("Verification"));
  if (c->what == FADJ_Q_DIRECTIONAL)
    {
      write_directional (w);
      return;
    }
  fadj_buf_printf (b,
    _ ("Every gradient above, every $Y^{%s}_{*}$ and every $X^{%s}_{*}$ "
    "was compared with an independent computation: the generic "
    "reverse-mode differentiation, by fadj's expression engine, of the "
    "scalar computation graph of $J$. In that graph $\\sigma$ is built "
    "from primitive operations (exp, log, erf, square root, division, and "
    "piecewise maps), so its derivative is derived by the engine's own "
    "rules and not taken from the formula for $\\sigma'$ used in the "
    "two-step rule. "), w->ix, w->ix);
  if (t->m > 1 && w->net->batch == FADJ_BATCH_MEAN)
    fadj_buf_printf (b, _ ("As $J$ is the mean over the samples while the "
                     "seed is each sample's own derivative, what was "
                     "compared is each quantity as the derivative of $J$ "
                     "it stands for, $\\frac{1}{m} Y^{%s}_{*}$ and "
                     "$\\frac{1}{m} X^{%s}_{*}$, with the engine's "
                     "derivatives of $J$ itself, unscaled. "), w->ix, w->ix);
  for (l = 1; l <= t->L; l++)
    if (w->net->layers[l - 1].bias_shared)
      {
        fadj_buf_puts (b, _ ("A shared bias is one variable of the graph, so "
                       "its gradient, the sum, was compared too. "));
        break;
      }
  if (t->ctx.domain == FADJ_EXACT)
    fadj_buf_puts (b,
      _ ("Both methods ran in exact rational arithmetic (GMP), so agreement "
      "means that the two methods agree exactly. "));
  else
    fadj_buf_printf (b,
      _ ("Both methods ran in interval arithmetic (MPFI) with %ld-bit "
      "endpoints; every value is an enclosure of the true real number, "
      "two results agree when their enclosures overlap, and a printed "
      "decimal is certified: every point of its enclosure rounds to the "
      "same digits. "), (long) t->ctx.prec);
  fadj_buf_printf (b, c->compared == 1 ? _ ("%zu entry was compared.\n\n")
                   : _ ("%zu entries were compared.\n\n"), c->compared);

  if (c->agree)
    {
      fadj_buf_puts (b, _ ("\\begin{center}\n\\begin{tabular}{lll}\n"
                     "layer & compared & result\\\\\n\\hline\n"));
      for (l = t->L; l >= 1; l--)
        fadj_buf_printf (b, "%zu & $\\partial J/\\partial W^{%zu}$, "
                         "$Y^{%zu}_{*}$, $X^{%zu}_{*}$%s & %s\\\\\n",
                         l, l, l, l - 1,
                         l == t->L ? _ (", and the seed") : "",
                         t->ctx.domain == FADJ_EXACT
                           ? _ ("equal") : _ ("enclosures overlap"));
      fadj_buf_puts (b, "\\end{tabular}\n\\end{center}\n");
      fadj_buf_printf (b, _ ("\\noindent\\textbf{Result:} the two-step rule "
                       "and the reverse mode agree%s on every entry.\n"),
                       t->ctx.domain == FADJ_EXACT ? _ (" exactly") : "");
    }
  else
    {
      const char *what;
      char q[96];

      switch (c->what)
        {
        case FADJ_Q_GRADIENT:
          what = _ ("the gradient");
          snprintf (q, sizeof q, "$\\partial J/\\partial W^{%zu}$", c->layer);
          break;
        case FADJ_Q_Y_STAR:
          what = _ ("step 1's");
          snprintf (q, sizeof q, _ ("$Y^{%zu}_{*}$ (against $\\partial J/"
                    "\\partial Y^{%zu}$)"), c->layer, c->layer);
          break;
        case FADJ_Q_SHARED_BIAS:
          what = _ ("the gradient");
          snprintf (q, sizeof q, _ ("$\\partial J/\\partial b^{%zu}$ (the "
                    "shared bias)"), c->layer);
          break;
        case FADJ_Q_X_STAR:
        default:
          what = c->layer == t->L ? _ ("the seed") : _ ("step 2's");
          snprintf (q, sizeof q, _ ("$X^{%zu}_{*}$ (against $\\partial J/"
                    "\\partial X^{%zu}$)"), c->layer, c->layer);
          break;
        }
      fadj_buf_printf (b,
        _ ("\\begin{center}\n\\fbox{\\parbox{0.9\\linewidth}{"
        "\\textbf{VERIFICATION FAILED.} The two methods disagree. "
        "The first disagreement is in %s %s, layer %zu, row %zu, "
        "column %zu%s. The values in this document are not confirmed.}}\n"
        "\\end{center}\n"),
        what, q, c->layer, c->row + 1, c->col + 1,
        c->what == FADJ_Q_GRADIENT && w->net->layers[c->layer - 1].has_bias
          && c->col == w->net->layers[c->layer - 1].w.cols
          ? _ (" (the bias column)") : "");
    }
}
