/* latex.c -- the derivation of a trace as a LaTeX document: the network,
   F-propagation, the seed, the F-adjoint by the two-step rule, the two
   families and the gradients, then the sections written elsewhere (the
   chain rule, the verification, training and textbook rounding), each
   through the writer of latex-writer.c.

   Every number goes through fadj_latex_number; a step whose printed
   numbers are not all exact uses \approx instead of =.  Each displayed
   step reads "definition = substitution = result"; it is broken over two
   or three aligned lines when a width estimate says it would not fit, so
   that the document never runs into the margin for the networks a person
   derives by hand.  The writer is deterministic (no date, no version), so
   documents can be compared byte for byte.  */

#include "latex-subst.h"

#include <assert.h>
#include <stdlib.h>

/* The name of layer L's activation in formulas: \sigma when all layers
   share one, else \sigma_{l}.  */
static void
put_sigma (fadj_writer *w, fadj_buf *b, size_t l)
{
  if (w->same_act)
    fadj_buf_puts (b, "\\sigma");
  else
    fadj_buf_printf (b, "\\sigma_{%zu}", l);
}

/* In the symbolic view, the entries of a step in symbols (or their
   pattern, for a wide layer), as lines of the current display before
   the step itself.  */
static void
sym_lines (fadj_writer *w, fadj_sym_kind k, size_t l)
{
  if (!(w->flags & FADJ_LATEX_SYMBOLIC) || !fadj_writer_ok (w))
    return;
  /* Entry by entry is the coordinate-wise picture: softmax's X_i depends
     on every Y_j, and only the squared losses have X_i - y_i as seed.  */
  if ((k == FADJ_SYM_X || k == FADJ_SYM_STEP1)
      && fadj_act_vector_p (w->net->layers[l - 1].act))
    return;
  if (k == FADJ_SYM_SEED && w->net->loss != FADJ_LOSS_HALF_SQUARED
      && w->net->loss != FADJ_LOSS_SQUARED)
    return;
  fadj_writer_step_begin (w);
  w->in_step = 1;
  fadj_writer_align_newline (w);
  fadj_latex_symbolic (w->b, w->net, k, l, w->same_act);
}

/* "For $\\ell = 1, 2": the values of the layer index, reversed if DOWN,
   "1, \\dots, L" when there are many (never the odd "1, \\dots, 2").  */
static void
put_for_layers (fadj_writer *w, int down)
{
  fadj_buf *b = w->b;
  size_t L = w->t->L, k;

  fadj_buf_printf (b, _ ("For $%s = "), w->ix);
  if (L <= 3)
    for (k = 1; k <= L; k++)
      fadj_buf_printf (b, "%s%zu", k > 1 ? ", " : "", down ? L + 1 - k : k);
  else if (down)
    fadj_buf_printf (b, "%zu, \\dots, 1", L);
  else
    fadj_buf_printf (b, "1, \\dots, %zu", L);
}

/* ------------------------------------------------------------------ */
/* Section 1: the network.                                             */

static void
put_act_description (fadj_writer *w, size_t l)
{
  const fadj_layer *ly = w->net->layers + l - 1;
  fadj_buf *b = w->b;
  char s[32];

  if (w->same_act)
    snprintf (s, sizeof s, "\\sigma");
  else
    snprintf (s, sizeof s, "\\sigma_{%zu}", l);
  fadj_buf_printf (b, _ ("$%s$ is \\texttt{"), s);
  fadj_buf_put_tex_escaped (b, fadj_act_name (ly->act));
  fadj_buf_puts (b, "}");
  /* One sentence per activation, each with formulas of its own: the
     cases are alike in shape only.  */
  switch (ly->act)
    {
    case FADJ_ACT_IDENTITY:
      fadj_buf_printf (b, ", $%s(t) = t$, $%s'(t) = 1$", s, s);
      break;
    case FADJ_ACT_SIGMOID:
      fadj_buf_printf (b, _ (" (the logistic function), "
                       "$%s(t) = \\frac{1}{1+e^{-t}}$, "
                       "$%s'(t) = %s(t)\\bigl(1-%s(t)\\bigr)$"), s, s, s, s);
      break;
    case FADJ_ACT_TANH:
      fadj_buf_printf (b, ", $%s(t) = \\tanh t$, "
                       "$%s'(t) = 1 - \\tanh^{2} t$", s, s);
      break;
    case FADJ_ACT_RELU:
      fadj_buf_printf (b, _ (", $%s(t) = \\max(0, t)$, $%s'(t) = 1$ "
                       "for $t > 0$ and $0$ for $t \\le 0$ "
                       "(the convention $%s'(0) = 0$)"), s, s, s);
      break;
    case FADJ_ACT_SOFTPLUS:
      fadj_buf_printf (b, _ (", $%s(t) = \\ln(1+e^{t})$, "
                       "$%s'(t) = \\frac{1}{1+e^{-t}}$ "
                       "(the logistic function)"), s, s);
      break;
    case FADJ_ACT_GELU:
      fadj_buf_printf (b, _ (", $%s(t) = t\\,\\Phi(t)$ with the normal "
                       "distribution function $\\Phi(t) = \\frac{1}{2}"
                       "\\bigl(1 + \\operatorname{erf}(t/\\sqrt{2})\\bigr)$ "
                       "(exact, not the tanh approximation), "
                       "$%s'(t) = \\Phi(t) + t\\,\\varphi(t)$ with "
                       "$\\varphi(t) = e^{-t^{2}/2}/\\sqrt{2\\pi}$"), s, s);
      break;
    case FADJ_ACT_SILU:
      fadj_buf_printf (b, _ (", $%s(t) = t\\,s(t)$ with the logistic "
                       "$s(t) = \\frac{1}{1+e^{-t}}$, "
                       "$%s'(t) = s(t)\\bigl(1 + t(1 - s(t))\\bigr)$"), s, s);
      break;
    case FADJ_ACT_SOFTSIGN:
      fadj_buf_printf (b, ", $%s(t) = \\frac{t}{1+|t|}$, "
                       "$%s'(t) = \\frac{1}{(1+|t|)^{2}}$", s, s);
      break;
    case FADJ_ACT_HARDTANH:
      fadj_buf_printf (b, _ (", $%s(t) = \\max(-1, \\min(1, t))$, "
                       "$%s'(t) = 1$ for $-1 < t < 1$ and $0$ otherwise "
                       "(the convention $%s'(\\pm 1) = 0$)"), s, s, s);
      break;
    case FADJ_ACT_SOFTMAX:
      fadj_buf_printf (b, _ (", the vector map $%s(t)_{i} = "
                       "\\frac{e^{t_{i}}}{\\sum_{k} e^{t_{k}}}$ applied to "
                       "each column, whose derivative at $t$ is the "
                       "Jacobian matrix $\\mathrm{D}%s(t)$, equal to "
                       "$\\operatorname{diag}\\bigl(%s(t)\\bigr) - "
                       "%s(t)\\,%s(t)^{\\top}$"), s, s, s, s, s);
      break;
    case FADJ_ACT_ELU:
    case FADJ_ACT_LEAKY_RELU:
    default:
      fadj_buf_puts (b, _ (" with $a = "));
      fadj_writer_put_q (w, b, NULL, ly->act_param);
      if (ly->act == FADJ_ACT_ELU)
        fadj_buf_printf (b, _ ("$, $%s(t) = t$ for $t > 0$ and "
                         "$a(e^{t} - 1)$ for $t \\le 0$, $%s'(t) = 1$ "
                         "for $t > 0$ and $a e^{t}$ for $t \\le 0$"), s, s);
      else
        fadj_buf_printf (b, _ ("$, $%s(t) = t$ for $t > 0$ and $a t$ "
                         "for $t \\le 0$, $%s'(t) = 1$ for $t > 0$ and "
                         "$a$ for $t \\le 0$"), s, s);
      break;
    }
}

/* The loss as a formula, into B: J in terms of X^L and y, with the
   batch's reduction when there are several samples.  */
static void
put_loss_formula (fadj_writer *w, fadj_buf *b)
{
  const fadj_net *net = w->net;
  size_t L = w->t->L, n = net->sizes[L];
  int batch = w->t->m > 1;

  if (batch && net->batch == FADJ_BATCH_MEAN)
    fadj_buf_printf (b, "\\frac{1}{%zu}%s", w->t->m,
                     net->loss == FADJ_LOSS_HALF_SQUARED
                     || net->loss == FADJ_LOSS_MEAN_SQUARED ? "\\cdot " : "");
  switch (net->loss)
    {
    case FADJ_LOSS_HALF_SQUARED:
      fadj_buf_printf (b, "\\frac{1}{2}\\|X^{%zu} - y\\|^{2}", L);
      break;
    case FADJ_LOSS_SQUARED:
      fadj_buf_printf (b, "\\|X^{%zu} - y\\|^{2}", L);
      break;
    case FADJ_LOSS_MEAN_SQUARED:
      fadj_buf_printf (b, "\\frac{1}{%zu}\\|X^{%zu} - y\\|^{2}", n, L);
      break;
    case FADJ_LOSS_CROSS_ENTROPY:
      fadj_buf_printf (b, "\\Bigl(-\\sum_{%s} \\bigl[y_{%s} \\ln X^{%zu}_{%s} "
                       "+ (1 - y_{%s}) \\ln (1 - X^{%zu}_{%s})\\bigr]\\Bigr)",
                       batch ? "i,s" : "i", batch ? "is" : "i", L,
                       batch ? "is" : "i", batch ? "is" : "i", L,
                       batch ? "is" : "i");
      break;
    case FADJ_LOSS_CATEGORICAL_CROSS_ENTROPY:
    default:
      fadj_buf_printf (b, "\\Bigl(-\\sum_{%s} y_{%s} \\ln X^{%zu}_{%s}\\Bigr)",
                       batch ? "i,s" : "i", batch ? "is" : "i", L,
                       batch ? "is" : "i");
      break;
    }
}

/* Nonzero for the losses that print as a squared norm.  */
static int
loss_squared_p (fadj_loss_kind k)
{
  return k == FADJ_LOSS_HALF_SQUARED || k == FADJ_LOSS_SQUARED
    || k == FADJ_LOSS_MEAN_SQUARED;
}

/* Nonzero if every column of the target sums to 1 (a probability
   vector, as one-hot labels are).  */
static int
targets_sum_to_one (const fadj_net *net)
{
  const fadj_mat *y = &net->target;
  size_t i, s;
  mpq_t sum;
  int ok1 = 1;

  mpq_init (sum);
  for (s = 0; s < y->cols && ok1; s++)
    {
      mpq_set_ui (sum, 0, 1);
      for (i = 0; i < y->rows; i++)
        mpq_add (sum, sum, FADJ_NUM_Q (FADJ_MAT (y, i, s)));
      ok1 = mpq_cmp_ui (sum, 1, 1) == 0;
    }
  mpq_clear (sum);
  return ok1;
}

/* The factor in front of a squared loss's norm: the batch mean's 1/m,
   then 1/2 or 1/N_L.  */
static void
put_loss_coef (fadj_writer *w, fadj_buf *b)
{
  const fadj_net *net = w->net;

  if (w->t->m > 1 && net->batch == FADJ_BATCH_MEAN)
    fadj_buf_printf (b, "\\frac{1}{%zu}%s", w->t->m,
                     net->loss == FADJ_LOSS_HALF_SQUARED
                     || net->loss == FADJ_LOSS_MEAN_SQUARED ? "\\cdot " : "");
  if (net->loss == FADJ_LOSS_HALF_SQUARED)
    fadj_buf_puts (b, "\\frac{1}{2}");
  else if (net->loss == FADJ_LOSS_MEAN_SQUARED)
    fadj_buf_printf (b, "\\frac{1}{%zu}", net->sizes[w->t->L]);
}

/* The loss in words, after "The loss is \texttt{name}, ".  */
static void
put_loss_description (fadj_writer *w)
{
  const fadj_net *net = w->net;
  fadj_buf *b = w->b;

  fadj_buf_puts (b, "$J = ");
  put_loss_formula (w, b);
  fadj_buf_puts (b, "$");
  if (net->loss == FADJ_LOSS_CROSS_ENTROPY)
    fadj_buf_puts (b, _ (" (the binary cross-entropy of each output, defined "
                   "for outputs strictly between 0 and 1)"));
  else if (net->loss == FADJ_LOSS_CATEGORICAL_CROSS_ENTROPY)
    fadj_buf_puts (b, _ (" (defined for positive outputs)"));
  if (w->t->m > 1)
    fadj_buf_printf (b, _ (", the %s of the $m = %zu$ samples' losses "
                     "(\\texttt{batch %s}%s)"),
                     net->batch == FADJ_BATCH_MEAN ? _ ("mean") : _ ("sum"),
                     w->t->m, net->batch == FADJ_BATCH_MEAN ? "mean" : "sum",
                     loss_squared_p (net->loss)
                       ? _ ("; the norm is the Frobenius norm over all the "
                         "columns") : "");
}

/* Shared and frozen biases, layer by layer.  */
static void
put_bias_conventions (fadj_writer *w)
{
  const fadj_net *net = w->net;
  fadj_buf *b = w->b;
  size_t l;

  for (l = 1; l <= w->t->L; l++)
    {
      const fadj_layer *ly = net->layers + l - 1;
      char where[64];
      snprintf (where, sizeof where, w->sep ? _ ("vector $b^{%zu}$")
                : _ ("bias column of $W^{%zu}$"), l);
      if (ly->bias_shared)
        fadj_buf_printf (b, _ ("In layer~%zu one bias $b^{%zu}$ is shared by "
                         "its %zu neurons (the %s repeats it); being one "
                         "parameter, its gradient is the sum of the %zu "
                         "per-neuron entries, that is of the entries of "
                         "$Y^{%zu}_{*}$%s.\n"), l, l, net->sizes[l],
                         where, net->sizes[l], l,
                         w->t->m > 1 && net->batch == FADJ_BATCH_MEAN
                           ? _ (" divided by $m$") : "");
      if (ly->bias_frozen)
        fadj_buf_printf (b, _ ("The bias of layer~%zu is \\emph{frozen}: its "
                         "gradient is computed and shown, but training "
                         "steps leave it unchanged.\n"), l);
    }
}

static void
write_network (fadj_writer *w)
{
  const fadj_net *net = w->net;
  const fadj_trace *t = w->t;
  fadj_buf *b = w->b;
  size_t l;
  int a;

  fadj_writer_section (w, _ ("The network"));
  /* (On slides the picture has the first frame to itself.)  */
  if ((w->flags & FADJ_LATEX_DIAGRAM) && !w->beamer)
    fadj_writer_put_diagram (w, 0, "\\linewidth", "0.6\\textheight");
  fadj_buf_printf (b, _ ("The network $A[N_{0}, \\dots, N_{L}] = A["));
  for (l = 0; l <= t->L; l++)
    fadj_buf_printf (b, "%s%zu", l > 0 ? ", " : "", net->sizes[l]);
  fadj_buf_printf (b, _ ("]$ has $L = %zu$ layer%s"), t->L,
                   t->L > 1 ? "s" : "");
  if (t->m > 1)
    fadj_buf_printf (b, _ (" and is applied to $m = %zu$ samples, the columns "
                     "of $X^{0}$. Column $s$ of a matrix, the quantity of "
                     "sample $s$, is written with a bracketed superscript: "
                     "$X^{0,(s)}$, $Y^{%s,(s)}$, $X^{%s,(s)}_{*}$, "
                     "$y^{(s)}$. Where a formula is worked out entry by "
                     "entry, it is written out for the first sample, "
                     "$s = 1$, and then the results follow for all the "
                     "samples"), t->m, w->ix, w->ix);
  fadj_buf_puts (b, _ (". Its weights"));
  if (w->any_bias)
    fadj_buf_puts (b, w->sep ? _ (" and biases") : _ (" (the bias as the last "
                   "column, after the rule)"));
  fadj_buf_puts (b, _ (" are\n"));

  fadj_writer_align_begin (w);
  for (l = 1; l <= t->L; l++)
    {
      const fadj_layer *ly = net->layers + l - 1;
      fadj_writer_align_newline (w);
      fadj_buf_printf (b, "W^{%zu} &= ", l);
      fadj_writer_put_weights (w, b, l);
      if (ly->has_bias && w->sep)
        {
          fadj_buf_printf (b, ", & b^{%zu} &= ", l);
          fadj_writer_put_mat (w, b, NULL, &ly->b, NULL, NULL, 0);
        }
    }
  fadj_writer_align_end (w);

  /* Activations.  */
  if (w->same_act)
    {
      fadj_buf_puts (b, _ ("Every layer uses the same activation: "));
      put_act_description (w, 1);
      fadj_buf_puts (b, ".\n");
    }
  else
    {
      /* One paragraph per layer rather than an itemize: its bullet
         comes from the TS1 encoding, which without cm-super makes
         pdflatex run METAFONT for a bitmap font.  */
      fadj_buf_puts (b, _ ("The activations, one per layer:\n"));
      for (l = 1; l <= t->L; l++)
        {
          fadj_buf_printf (b, _ ("\n\\noindent\\quad Layer~%zu: "), l);
          put_act_description (w, l);
          /* TRANSLATORS: between the items of a list, then at its end.  */
          fadj_buf_puts (b, l < t->L ? _ (";\n") : ".\n");
        }
      fadj_buf_puts (b, "\n\\noindent ");
    }

  /* The loss.  */
  fadj_buf_puts (b, _ ("The loss is \\texttt{"));
  fadj_buf_put_tex_escaped (b, fadj_loss_name (net->loss));
  fadj_buf_puts (b, "}, ");
  put_loss_description (w);
  fadj_buf_puts (b, _ (", with the input and the target\n"));

  fadj_writer_align_begin (w);
  fadj_writer_align_newline (w);
  a = 0;
  fadj_buf_puts (b, "X^{0} &= ");
  fadj_writer_put_x (w, b, &a, 0, 0);
  fadj_buf_puts (b, ", \\qquad y = ");
  fadj_writer_put_mat (w, b, &a, &net->target, NULL, NULL, 0);
  fadj_buf_puts (b, ".");
  fadj_writer_align_end (w);

  if (w->any_bias && !w->sep)
    fadj_buf_printf (b,
      _ ("Biases follow the author's convention: when layer $%s$ has a bias, "
      "a $1$ is appended as the last entry of $X^{%s-1}$ (never to "
      "$X^{%zu}$, the output), the bias $b^{%s}$ is the last column of "
      "$W^{%s}$, and step~2 of the F-adjoint uses $W^{%s}_{\\sharp}$, "
      "the matrix $W^{%s}$ without that column. The last column of "
      "$\\partial J/\\partial W^{%s}$ is then $\\partial J/\\partial b^{%s}"
      " = Y^{%s}_{*}%s$%s.\n"),
      w->ix, w->ix, t->L, w->ix, w->ix, w->ix, w->ix, w->ix, w->ix, w->ix,
      t->m > 1 ? "\\mathbf{1}" : "",
      t->m > 1 ? _ (" (the sum over the samples)") : "");
  else if (w->any_bias)
    fadj_buf_printf (b,
      _ ("Biases are written apart: $Y^{%s} = W^{%s} X^{%s-1} + b^{%s}$%s, "
      "and step~2 of the F-adjoint uses $W^{%s}$ alone.\n"),
      w->ix, w->ix, w->ix, w->ix,
      t->m > 1 ? _ (" (the bias added to every column)") : "", w->ix);
  put_bias_conventions (w);
}

/* A deck's network: the picture (inputs and weights only), then the
   data on one frame of bullets, its displays continued on the next
   frame only where they are too tall for one.  */
static void
write_network_deck (fadj_writer *w)
{
  const fadj_net *net = w->net;
  const fadj_trace *t = w->t;
  fadj_buf *b = w->b, *lines = fadj_buf_new ();
  fadj_latex_reveal rv = { 0, t->L + 1, 0, 0, 0, 1 };
  size_t l;
  int a = 0;

  if (lines == NULL)
    {
      fadj_writer_fail (w, FADJ_ERR_NOMEM);
      return;
    }
  fadj_writer_section (w, _ ("The network"));
  fadj_deck_diagram_frame (w, _ ("The network"), 0, &rv);
  w->sec_title = _ ("The network: its data");
  fadj_writer_frame_begin (w, 1);
  fadj_buf_puts (b, _ ("The network $A["));
  for (l = 0; l <= t->L; l++)
    fadj_buf_printf (b, "%s%zu", l > 0 ? ", " : "", net->sizes[l]);
  fadj_buf_printf (b, t->L > 1 ? _ ("]$: $L = %zu$ layers")
                   : _ ("]$: $L = %zu$ layer"), t->L);
  if (t->m > 1)
    fadj_buf_printf (b, _ (", $m = %zu$ samples, the columns of $X^{0}$ "
                           "(the picture shows the first)"), t->m);
  fadj_buf_puts (b, ".\n\n");
  for (l = 1; l <= (w->same_act ? 1 : t->L); l++)
    {
      if (w->same_act)
        fadj_buf_puts (b, _ ("Activation: "));
      else
        fadj_buf_printf (b, _ ("Layer~%zu: "), l);
      put_act_description (w, l);
      fadj_buf_puts (b, ".\n\n");
    }
  fadj_buf_puts (b, _ ("Loss: "));
  fadj_buf_puts (b, "\\texttt{");
  fadj_buf_put_tex_escaped (b, fadj_loss_name (net->loss));
  fadj_buf_puts (b, "}, ");
  put_loss_description (w);
  fadj_buf_puts (b, ".\n\n");
  /* The conventions before the data, which end the frame.  */
  if (w->any_bias && !w->sep)
    fadj_buf_printf (b, _ ("The bias of layer $%s$ is the last column of "
                           "$W^{%s}$, a $1$ appended to $X^{%s-1}$; step~2 "
                           "uses $W^{%s}_{\\sharp}$, $W^{%s}$ without "
                           "it.\n\n"), w->ix,
                     w->ix, w->ix, w->ix, w->ix);
  else if (w->any_bias)
    fadj_buf_printf (b, _ ("The biases apart: $Y^{%s} = W^{%s} X^{%s-1} + "
                           "b^{%s}$.\n\n"), w->ix, w->ix, w->ix, w->ix);
  put_bias_conventions (w);
  fadj_buf_puts (b, "\n\n");
  fadj_buf_puts (b, !w->any_bias ? _ ("The weights, the input and the "
                                      "target:")
                 : w->sep ? _ ("The weights and biases, the input and the "
                               "target:")
                 : _ ("The weights (the bias as the last column), the "
                      "input and the target:"));
  fadj_buf_puts (b, "\n\n");
  /* One display, cut where a frame cannot hold it.  */
  for (l = 1; l <= t->L; l++)
    {
      const fadj_layer *ly = net->layers + l - 1;
      fadj_buf_printf (lines, "W^{%zu} &= ", l);
      fadj_writer_put_weights (w, lines, l);
      if (ly->has_bias && w->sep)
        {
          fadj_buf_printf (lines, ", & b^{%zu} &= ", l);
          fadj_writer_put_mat (w, lines, NULL, &ly->b, NULL, NULL, 0);
        }
      fadj_buf_puts (lines, "\\\\\n");
    }
  fadj_buf_puts (lines, "X^{0} &= ");
  fadj_writer_put_x (w, lines, &a, 0, 0);
  fadj_buf_puts (lines, ", \\qquad y = ");
  fadj_writer_put_mat (w, lines, &a, &net->target, NULL, NULL, 0);
  if (fadj_buf_status (lines) != FADJ_OK)
    fadj_writer_fail (w, FADJ_ERR_NOMEM);
  fadj_deck_display (w, fadj_buf_data (lines, NULL));
  fadj_buf_free (lines);
}

/* ------------------------------------------------------------------ */
/* Section 2: F-propagation.                                           */

/* Layer L of the F-propagation: Y^l = W^l X^{l-1} (+ b^l), then
   X^l = sigma(Y^l), in a display of their own.  */
static void
put_fprop_layer (fadj_writer *w, size_t l)
{
  const fadj_trace *t = w->t;
  const fadj_layer *ly = w->net->layers + l - 1;
  char lhs[64], formula[160];
  int sa, ra;

  w->active = l;
  fadj_writer_align_begin (w);
  sym_lines (w, FADJ_SYM_Y, l);
  /* Y^l = W^l X^{l-1} (+ b^l).  */
  fadj_writer_scratch_reset (w);
  sa = ra = 0;
  fadj_writer_put_weights (w, w->sub, l);
  fadj_writer_put_x (w, w->sub, &sa, l - 1, 0);
  if (ly->has_bias && w->sep)
    {
      fadj_buf_puts (w->sub, " + ");
      fadj_writer_put_mat (w, w->sub, &sa, &ly->b, NULL, NULL, 0);
    }
  fadj_writer_put_mat (w, w->res, &ra, t->Y + l, NULL, NULL, 0);
  snprintf (lhs, sizeof lhs, "Y^{%zu}", l);
  snprintf (formula, sizeof formula, "W^{%zu} X^{%zu}", l, l - 1);
  if (ly->has_bias && w->sep)
    snprintf (formula, sizeof formula, "W^{%zu} X^{%zu} + b^{%zu}",
              l, l - 1, l);
  fadj_writer_step (w, lhs, formula, sa, ra);

  /* X^l = sigma(Y^l).  */
  sym_lines (w, FADJ_SYM_X, l);
  if (ly->act == FADJ_ACT_SOFTMAX)
    {
      /* Exponentials over their sum, with the numbers, in a display
         of their own (the sum's left side is wide).  */
      fadj_writer_align_end (w);
      fadj_writer_align_begin (w);
      fadj_buf_reset (w->tmp);
      put_sigma (w, w->tmp, l);
      snprintf (formula, sizeof formula, "%s", fadj_buf_data (w->tmp, NULL));
      fadj_subst_softmax (w, l, formula);
      fadj_writer_align_end (w);
      return;
    }
  fadj_writer_scratch_reset (w);
  fadj_buf_reset (w->tmp);
  sa = ra = 0;
  put_sigma (w, w->tmp, l);
  fadj_buf_printf (w->tmp, "(Y^{%zu})", l);
  if (ly->act == FADJ_ACT_IDENTITY)
    fadj_buf_printf (w->tmp, " = Y^{%zu}", l);
  else if (fadj_act_vector_p (ly->act))
    {
      /* A vector map: no entry-by-entry substitution.  */
    }
  else
    {
      char pre[32];
      fadj_buf *p = w->sub;
      /* The entries as sigma(y): a matrix of the arguments, each
         printed by the number rules.  */
      if (w->same_act)
        snprintf (pre, sizeof pre, "\\sigma(");
      else
        snprintf (pre, sizeof pre, "\\sigma_{%zu}(", l);
      fadj_writer_put_mat (w, p, &sa, t->Y + l, pre, ")", 0);
    }
  fadj_writer_put_mat (w, w->res, &ra, t->X + l, NULL, NULL, 0);
  snprintf (lhs, sizeof lhs, "X^{%zu}", l);
  fadj_writer_step (w, lhs, fadj_buf_data (w->tmp, NULL), sa, ra);
  fadj_writer_align_end (w);
}

/* J = the loss's formula = its substitution = its value.  */
static void
put_loss_step (fadj_writer *w)
{
  const fadj_net *net = w->net;
  const fadj_trace *t = w->t;
  int sa = 0, ra = 0;

  fadj_writer_align_begin (w);
  fadj_writer_scratch_reset (w);
  fadj_buf_reset (w->tmp);
  put_loss_formula (w, w->tmp);
  if (fadj_subst_loss (w, fadj_buf_data (w->tmp, NULL)))
    {
      /* A cross-entropy, term by term with its logarithms.  */
      fadj_writer_align_end (w);
      return;
    }
  if (loss_squared_p (net->loss))
    {
      put_loss_coef (w, w->sub);
      fadj_buf_puts (w->sub, "\\left\\|");
      fadj_writer_put_mat (w, w->sub, &sa, t->X + t->L, NULL, NULL, 0);
      fadj_buf_puts (w->sub, " - ");
      fadj_writer_put_mat (w, w->sub, &sa, &net->target, NULL, NULL, 0);
      fadj_buf_puts (w->sub, "\\right\\|^{2}");
    }
  fadj_writer_put_num (w, w->res, &ra, t->J);
  fadj_writer_step (w, "J", fadj_buf_data (w->tmp, NULL), sa, ra);
  fadj_writer_align_end (w);
}

static void
write_fprop (fadj_writer *w)
{
  size_t l;

  fadj_writer_section (w, _ ("F-propagation"));
  put_for_layers (w, 0);
  fadj_buf_printf (w->b, _ ("$: $Y^{%s} = W^{%s} "
                   "X^{%s-1}%s%s%s$ and $X^{%s} = \\sigma(Y^{%s})$.\n"),
                   w->ix, w->ix, w->ix,
                   w->sep && w->any_bias ? " + b^{" : "",
                   w->sep && w->any_bias ? w->ix : "",
                   w->sep && w->any_bias ? "}" : "",
                   w->ix, w->ix);
  /* The symbolic view writes a wide layer's pattern once: say so before
     its first line.  */
  for (l = 1; l <= w->t->L; l++)
    if ((w->flags & FADJ_LATEX_SYMBOLIC)
        && !fadj_latex_symbolic_p (w->net, l))
      {
        fadj_buf_printf (w->b, _ ("Layers wider than %d (more than %d "
                         "neurons or more than %d inputs) are written in "
                         "symbols with a generic index, $i$ for a neuron "
                         "and $j$ for an input, instead of entry by "
                         "entry.\n"), FADJ_SYMBOLIC_MAX_NEURONS,
                         FADJ_SYMBOLIC_MAX_NEURONS,
                         FADJ_SYMBOLIC_MAX_NEURONS);
        break;
      }
  for (l = 1; l <= w->t->L; l++)
    {
      put_fprop_layer (w, l);
      fadj_deck_progress (w, l, 0);
    }
  w->active = 0;
  if (w->beamer)
    fadj_writer_section (w, _ ("The loss"));
  else
    fadj_buf_puts (w->b, _ ("The loss:\n"));
  put_loss_step (w);
}

/* ------------------------------------------------------------------ */
/* Section 3: the seed.                                                */

static void
write_seed (fadj_writer *w)
{
  const fadj_net *net = w->net;
  const fadj_trace *t = w->t;
  size_t L = t->L, n = net->sizes[L];
  char lhs[64], formula[200], pre[32];
  int sa = 0, ra = 0;
  const char *dj = t->m > 1 ? "J_{s}" : "J";

  fadj_writer_section (w, _ ("The seed"));
  fadj_buf_printf (w->b, _ ("The F-adjoint starts from the derivative of the "
                   "loss with respect to its inputs, the network's "
                   "outputs $X^{%zu}$"), L);
  if (t->m > 1)
    fadj_buf_printf (w->b, _ (", column by column: column $s$ is the "
                     "derivative of the loss $J_{s}$ of sample $s$ alone"
                     "%s"), net->batch == FADJ_BATCH_MEAN
                     ? _ (" (not divided by $m$: the mean's $\\frac{1}{m}$ is "
                       "applied to the gradients and to the input "
                       "gradient)") : "");
  /* TRANSLATORS: the colon ending the sentence before a display.  */
  fadj_buf_puts (w->b, _ (":\n"));
  fadj_writer_align_begin (w);
  sym_lines (w, FADJ_SYM_SEED, L);
  if (fadj_subst_seed (w))
    {
      /* A cross-entropy's seed, entry by entry.  */
      fadj_writer_align_end (w);
      return;
    }
  fadj_writer_scratch_reset (w);
  pre[0] = '\0';
  switch (net->loss)
    {
    case FADJ_LOSS_HALF_SQUARED:
      snprintf (formula, sizeof formula, "X^{%zu} - y", L);
      break;
    case FADJ_LOSS_SQUARED:
      snprintf (formula, sizeof formula, "2(X^{%zu} - y)", L);
      snprintf (pre, sizeof pre, "2");
      break;
    case FADJ_LOSS_MEAN_SQUARED:
    default:
      snprintf (formula, sizeof formula, "\\frac{2}{%zu}(X^{%zu} - y)", n, L);
      snprintf (pre, sizeof pre, "\\frac{2}{%zu}", n);
      break;
    }
  /* A squared loss: the cross-entropies were written by
     fadj_subst_seed.  */
  fadj_buf_printf (w->sub, "%s%s", pre, pre[0] ? "\\left(" : "");
  fadj_writer_put_mat (w, w->sub, &sa, t->X + L, NULL, NULL, 0);
  fadj_buf_puts (w->sub, " - ");
  fadj_writer_put_mat (w, w->sub, &sa, &net->target, NULL, NULL, 0);
  fadj_buf_puts (w->sub, pre[0] ? "\\right)" : "");
  fadj_writer_put_mat (w, w->res, &ra, t->xs + L, NULL, NULL, 0);
  snprintf (lhs, sizeof lhs, "X^{%zu}_{*}", L);
  {
    char f2[260];
    snprintf (f2, sizeof f2, "\\frac{\\partial %s}{\\partial X^{%zu}} = %s",
              dj, L, formula);
    fadj_writer_step (w, lhs, f2, sa, ra);
  }
  fadj_writer_align_end (w);
}

/* ------------------------------------------------------------------ */
/* Section 4: the F-adjoint.                                           */

/* Step 1 of a softmax layer L: for each sample s the Jacobian
   D sigma(Y^{l,(s)}) = diag(X^{l,(s)}) - X^{l,(s)} (X^{l,(s)})^T (its
   entries written out for the first sample), then Y^l_* = D sigma^T
   X^l_* (the product written out for the first sample); with the
   categorical cross-entropy at the output, also the simplification
   Y^L_* = X^L - y when every target column sums to 1.  Inside an
   align* of the caller.  */
static void
put_vector_step1 (fadj_writer *w, size_t l)
{
  const fadj_trace *t = w->t;
  const fadj_net *net = w->net;
  size_t n = net->sizes[l], m = t->m, s;
  char lhs[96], formula[200], sup[32], jac[48];
  int sa, ra;

  fadj_subst_sup (sup, sizeof sup, w, l);
  fadj_subst_jac_name (jac, sizeof jac, w, l);
  /* The first sample in full: the Jacobian's entries, the product.  */
  fadj_subst_jacobian (w, l, 0, 1);
  fadj_writer_scratch_reset (w);
  sa = ra = 0;
  snprintf (lhs, sizeof lhs, "Y^{%s}_{*}", sup);
  snprintf (formula, sizeof formula, "%s(Y^{%s})^{\\top} X^{%s}_{*}", jac,
            sup, sup);
  /* The formula alone on its line: with the Jacobian's name and the
     sample's superscripts it is too wide to share it with a matrix.  */
  fadj_writer_step (w, lhs, formula, 0, 0);
  fadj_writer_put_view (w, w->sub, &sa, t->jac + l, 0, n, 0, 1);
  fadj_writer_put_view (w, w->sub, &sa, t->xs + l, 0, 1, 0, 0);
  fadj_writer_put_view (w, w->res, &ra, t->ys + l, 0, 1, 0, 0);
  fadj_subst_continue (w, sa, ra);
  /* The other samples: their Jacobians, then every column of Y^l_*.  */
  for (s = 1; s < m; s++)
    fadj_subst_jacobian (w, l, s, 0);
  if (m > 1)
    {
      fadj_writer_scratch_reset (w);
      ra = 0;
      snprintf (lhs, sizeof lhs, "Y^{%zu}_{*}", l);
      snprintf (formula, sizeof formula, "%s(Y^{%zu})^{\\top} X^{%zu}_{*}",
                jac, l, l);
      fadj_writer_put_mat (w, w->res, &ra, t->ys + l, NULL, NULL, 0);
      fadj_writer_step (w, lhs, formula, 0, ra);
    }
  if (l == t->L && net->loss == FADJ_LOSS_CATEGORICAL_CROSS_ENTROPY
      && targets_sum_to_one (net))
    {
      /* D sigma^T (-y / x) = -y + x (sum y) = x - y: the textbook
         shortcut, computed here from X^L and y alone.  */
      fadj_mat d;

      if (fadj_writer_mat_sub (&d, t->X + l, &net->target) != FADJ_OK)
        {
          fadj_writer_fail (w, FADJ_ERR_NOMEM);
          return;
        }
      if (fadj_trace_simplex_p (t))
        fadj_softmax_tighten_sub (&d, t->X + l, &net->target);
      fadj_writer_scratch_reset (w);
      sa = ra = 0;
      snprintf (lhs, sizeof lhs, "Y^{%zu}_{*}", l);
      snprintf (formula, sizeof formula, "X^{%zu} - y", l);
      fadj_writer_put_mat (w, w->sub, &sa, t->X + l, NULL, NULL, 0);
      fadj_buf_puts (w->sub, " - ");
      fadj_writer_put_mat (w, w->sub, &sa, &net->target, NULL, NULL, 0);
      fadj_writer_put_mat (w, w->res, &ra, &d, NULL, NULL, 0);
      fadj_writer_align_end (w);
      fadj_buf_printf (w->b, _ ("With softmax and the categorical "
                       "cross-entropy, and targets whose entries sum to 1, "
                       "step~1 simplifies: $%s(Y^{%zu})^{\\top} "
                       "\\bigl(-\\frac{y}{X^{%zu}}\\bigr) = -y + X^{%zu} "
                       "\\textstyle\\sum_{k} y_{k} = X^{%zu} - y$, and "
                       "indeed\n"), jac, l, l, l, l);
      fadj_writer_align_begin (w);
      fadj_writer_step (w, lhs, formula, sa, ra);
      fadj_mat_clear (&d);
    }
}

/* Layer L of the F-adjoint: step 1 (with sigma' or the Jacobian first),
   then step 2, in a display of their own.  */
static void
put_fadjoint_layer (fadj_writer *w, size_t l)
{
  const fadj_trace *t = w->t;
  const fadj_layer *ly = w->net->layers + l - 1;
  int sharp = ly->has_bias && !w->sep;
  char lhs[64], formula[200], sig[32];
  int sa = 0, ra = 0;

  w->active = l;
  if (!w->beamer)
    fadj_buf_printf (w->b, _ ("\n\\paragraph{Layer %zu.}\n"), l);
  if (w->same_act)
    snprintf (sig, sizeof sig, "\\sigma'");
  else
    snprintf (sig, sizeof sig, "\\sigma_{%zu}'", l);
  fadj_writer_align_begin (w);
  if (fadj_act_vector_p (ly->act))
    put_vector_step1 (w, l);
  else
    {
      if (ly->act != FADJ_ACT_IDENTITY)
        {
          fadj_subst_dsigma (w, l, sig);
          if (t->m > 1)
            {
              /* The first sample's wider left side in a display of its
                 own: aligned with the steps, it would push their wide
                 matrices to the right.  */
              fadj_writer_align_end (w);
              fadj_writer_align_begin (w);
            }
        }
      /* Step 1.  */
      sym_lines (w, FADJ_SYM_STEP1, l);
      fadj_writer_scratch_reset (w);
      snprintf (lhs, sizeof lhs, "Y^{%zu}_{*}", l);
      if (ly->act == FADJ_ACT_IDENTITY)
        snprintf (formula, sizeof formula,
                  "X^{%zu}_{*} \\odot %s(Y^{%zu}) = X^{%zu}_{*}",
                  l, sig, l, l);
      else
        {
          snprintf (formula, sizeof formula, "X^{%zu}_{*} \\odot %s(Y^{%zu})",
                    l, sig, l);
          fadj_writer_put_mat (w, w->sub, &sa, t->xs + l, NULL, NULL, 0);
          fadj_buf_puts (w->sub, " \\odot ");
          fadj_writer_put_mat (w, w->sub, &sa, t->dsig + l, NULL, NULL, 0);
        }
      fadj_writer_put_mat (w, w->res, &ra, t->ys + l, NULL, NULL, 0);
      fadj_writer_step (w, lhs, formula, sa, ra);
    }

  /* Step 2.  */
  sym_lines (w, FADJ_SYM_STEP2, l);
  fadj_writer_scratch_reset (w);
  sa = ra = 0;
  snprintf (lhs, sizeof lhs, "X^{%zu}_{*}", l - 1);
  snprintf (formula, sizeof formula, "(W^{%zu}%s)^{\\top} Y^{%zu}_{*}",
            l, sharp ? "_{\\sharp}" : "", l);
  fadj_writer_put_view (w, w->sub, &sa, &ly->w, 0, ly->w.cols, 0, 1);
  fadj_writer_put_mat (w, w->sub, &sa, t->ys + l, NULL, NULL, 0);
  fadj_writer_put_mat (w, w->res, &ra, t->xs + l - 1, NULL, NULL, 0);
  fadj_writer_step (w, lhs, formula, sa, ra);
  fadj_writer_align_end (w);
}

/* Nonzero under 'batch mean' with several samples: J is then 1/m times
   the sum of the samples' losses, whose derivatives the adjoints are.  */
static int
mean_p (const fadj_trace *t)
{
  return t->m > 1 && t->net->batch == FADJ_BATCH_MEAN;
}

/* Under a batch mean, what the adjoints are: a sentence for the
   F-adjoint and the families, where they are printed.  */
static void
put_mean_adjoints (fadj_writer *w)
{
  if (mean_p (w->t))
    fadj_buf_printf (w->b,
      _ ("Under the batch mean the seed is each sample's own derivative, so "
      "$Y^{%s}_{*}$ and $X^{%s}_{*}$ are the derivatives of the sum of the "
      "samples' losses, $mJ$: $\\partial J/\\partial Y^{%s} = "
      "\\frac{1}{m} Y^{%s}_{*}$ and $\\partial J/\\partial X^{%s} = "
      "\\frac{1}{m} X^{%s}_{*}$.\n"), w->ix, w->ix, w->ix, w->ix, w->ix,
      w->ix);
}

static void
write_fadjoint (fadj_writer *w)
{
  const fadj_trace *t = w->t;
  fadj_buf *b = w->b;
  size_t l;

  fadj_writer_section (w, _ ("The F-adjoint"));
  put_for_layers (w, 1);
  fadj_buf_printf (b, _ ("$, the two-step rule:\n"
                   "\\begin{align*}\n"
                   "\\text{step 1:}\\quad Y^{%s}_{*} &= X^{%s}_{*} \\odot "
                   "\\sigma'(Y^{%s}),\\\\\n"
                   "\\text{step 2:}\\quad X^{%s-1}_{*} &= (W^{%s}%s)^{\\top} "
                   "Y^{%s}_{*}.\n"
                   "\\end{align*}\n"),
                   w->ix, w->ix, w->ix, w->ix, w->ix,
                   w->any_bias && !w->sep ? "_{\\sharp}" : "", w->ix);
  put_mean_adjoints (w);
  if (w->any_bias && !w->sep)
    fadj_buf_printf (b, _ ("($W^{%s}_{\\sharp}$ is $W^{%s}$ without its bias "
                     "column; $W^{%s}_{\\sharp} = W^{%s}$ for a layer "
                     "without a bias.)\n"), w->ix, w->ix, w->ix, w->ix);
  for (l = 1; l <= t->L; l++)
    if (fadj_act_vector_p (w->net->layers[l - 1].act))
      {
        fadj_buf_printf (b, _ ("Softmax is a vector map, not a coordinate-wise "
                         "one: its derivative at a column $t$ is the "
                         "Jacobian matrix $\\mathrm{D}\\sigma(t) = "
                         "\\operatorname{diag}\\bigl(\\sigma(t)\\bigr) - "
                         "\\sigma(t)\\,\\sigma(t)^{\\top}$, of entries "
                         "$\\sigma(t)_{k}\\,\\bigl(\\delta_{kj} - "
                         "\\sigma(t)_{j}\\bigr)$ ($\\delta_{kj}$ is 1 if "
                         "$k = j$, 0 otherwise; $\\mathrm{D}$ for the "
                         "derivative of a map, since $J$ is the loss), and "
                         "step~1 becomes $Y^{%s}_{*} = \\mathrm{D}\\sigma"
                         "(Y^{%s})^{\\top}\\,X^{%s}_{*}$, sample by sample. "
                         "This generalises the coordinate-wise $\\odot$ of "
                         "the paper: for a coordinate-wise $\\sigma$ the "
                         "Jacobian is the diagonal matrix "
                         "$\\operatorname{diag}\\bigl(\\sigma'(Y^{%s})"
                         "\\bigr)$ and $\\mathrm{D}\\sigma(Y^{%s})^{\\top} "
                         "X^{%s}_{*} = X^{%s}_{*} \\odot \\sigma'(Y^{%s})$.\n"),
                         w->ix, w->ix, w->ix, w->ix, w->ix, w->ix, w->ix,
                         w->ix);
        break;
      }

  for (l = t->L; l >= 1; l--)
    {
      put_fadjoint_layer (w, l);
      fadj_deck_progress (w, t->L, l);
    }
}

/* ------------------------------------------------------------------ */
/* Section 5: the two families.                                        */

/* Print a family: NAME = {symbols} and then its values, either as one
   Bmatrix of matrices when that fits, or as a list of "symbol = value"
   pairs, several to a line.  The K-th member is symbol SYM[K] with value
   written by the callback.  */
typedef void (*member_fn) (fadj_writer *w, fadj_buf *b, int *approx, size_t k);

static void
member_f (fadj_writer *w, fadj_buf *b, int *approx, size_t k)
{
  /* k = 0: X^0; then Y^1, X^1, Y^2, ...  */
  size_t l = (k + 1) / 2;
  if (k % 2 == 0)
    fadj_writer_put_x (w, b, approx, l, 0);
  else
    fadj_writer_put_mat (w, b, approx, w->t->Y + l, NULL, NULL, 0);
}

static void
member_fs (fadj_writer *w, fadj_buf *b, int *approx, size_t k)
{
  /* k = 0: X^L_*; then Y^L_*, X^{L-1}_*, ..., Y^1_*, X^0_*.  */
  size_t l = w->t->L - k / 2;
  if (k % 2 == 0)
    fadj_writer_put_mat (w, b, approx, w->t->xs + l, NULL, NULL, 0);
  else
    fadj_writer_put_mat (w, b, approx, w->t->ys + l, NULL, NULL, 0);
}

static void
member_sym (char *s, size_t n, const fadj_writer *w, int star, size_t k)
{
  if (!star)
    snprintf (s, n, "%c^{%zu}", k % 2 == 0 ? 'X' : 'Y', (k + 1) / 2);
  else
    snprintf (s, n, "%c^{%zu}_{*}", k % 2 == 0 ? 'X' : 'Y',
              w->t->L - k / 2);
}

static void
write_family (fadj_writer *w, const char *name, int star, member_fn fn)
{
  fadj_buf *b = w->b;
  size_t n = 2 * w->t->L + 1, k, per, col;
  double total = 0, widest = 0, wk;
  char sym[48];
  int a = 0;

  /* Symbols and values into scratch, to measure.  */
  fadj_buf_reset (w->tmp);
  fadj_buf_reset (w->sub);
  for (k = 0; k < n; k++)
    {
      size_t start = fadj_buf_len (w->sub);
      member_sym (sym, sizeof sym, w, star, k);
      fadj_buf_printf (w->tmp, "%s%s", k > 0 ? ", " : "", sym);
      if (k > 0)
        fadj_buf_puts (w->sub, ",\\ ");
      fn (w, w->sub, &a, k);
      if (!fadj_writer_ok (w))
        return;
      wk = fadj_latex_width (fadj_buf_data (w->sub, NULL) + start,
                             fadj_buf_len (w->sub) - start);
      total += wk + 1;
      if (wk > widest)
        widest = wk;
    }
  fadj_writer_check_scratch (w);
  if (!fadj_writer_ok (w))
    return;

  fadj_writer_align_begin (w);
  fadj_writer_align_newline (w);
  fadj_buf_printf (b, "%s &= \\begin{Bmatrix} %s \\end{Bmatrix}", name,
                   fadj_buf_data (w->tmp, NULL));
  if (total + 6 <= w->width)
    {
      fadj_writer_align_newline (w);
      fadj_buf_printf (b, "&%s \\begin{Bmatrix} %s \\end{Bmatrix}",
                       fadj_writer_rel (a),
                       fadj_buf_data (w->sub, NULL));
      fadj_writer_align_end (w);
      return;
    }
  fadj_writer_align_end (w);

  /* Too wide: the members one by one, as many to a line as fit.  */
  per = (size_t) (w->width / (widest + 8));
  if (per < 1)
    per = 1;
  if (per > 4)
    per = 4;
  /* (On a deck the members are on frames of their own.)  */
  if (!w->beamer)
    fadj_buf_puts (b, _ ("with the members\n"));
  fadj_writer_align_begin (w);
  for (k = 0, col = 0; k < n; k++)
    {
      int ak = 0;
      fadj_buf_reset (w->res);
      fn (w, w->res, &ak, k);
      fadj_writer_check_scratch (w);
      if (!fadj_writer_ok (w))
        return;
      member_sym (sym, sizeof sym, w, star, k);
      if (col == per)
        col = 0;
      if (col == 0)
        fadj_writer_align_newline (w);
      else
        fadj_buf_puts (b, " & ");
      fadj_buf_printf (b, "%s &%s %s%s", sym, fadj_writer_rel (ak),
                       fadj_buf_data (w->res, NULL), k + 1 < n ? "," : ".");
      col++;
    }
  fadj_writer_align_end (w);
}

static void
write_families (fadj_writer *w)
{
  const fadj_trace *t = w->t;
  fadj_buf *b = w->b;

  fadj_writer_section (w, _ ("The two families"));
  if (w->beamer)
    {
      /* A frame for each family, the paper's central objects.  */
      char name[64];
      w->sec_title = _ ("The family $F(X^{0})$");
      write_family (w, "F(X^{0})", 0, member_f);
      snprintf (name, sizeof name, "F_{*}(X^{0}, X^{%zu}_{*})", t->L);
      snprintf (w->title_buf, sizeof w->title_buf, _ ("The family $%s$"), name);
      w->sec_title = w->title_buf;
      write_family (w, name, 1, member_fs);
      put_mean_adjoints (w);
      return;
    }
  fadj_buf_printf (b,
    _ ("In the paper's notation, the F-propagation of $X^{0}$ and its "
    "F-adjoint are the families\n"
    "\\begin{align*}\n"
    "F(X^{0}) &= \\begin{Bmatrix} X^{0}, Y^{1}, X^{1}, \\dots, Y^{L}, "
    "X^{L} \\end{Bmatrix},\\\\\n"
    "F_{*}(X^{0}, X^{L}_{*}) &= \\begin{Bmatrix} X^{L}_{*}, Y^{L}_{*}, "
    "X^{L-1}_{*}, \\dots, Y^{1}_{*}, X^{0}_{*} \\end{Bmatrix},\n"
    "\\end{align*}\n"));
  /* On a worksheet every member is a field above already: asking for
     it again would number the same answer twice.  */
  if (w->box != FADJ_BOX_NONE)
    {
      fadj_buf_printf (b, _ ("here with $L = %zu$: their members are the "
                       "values of the steps above.\n"), t->L);
      return;
    }
  fadj_buf_printf (b, _ ("here with $L = %zu$%s:\n"), t->L,
    w->any_bias && !w->sep
      ? _ (" (with the appended 1 in each input of a layer with a bias)")
      : "");
  write_family (w, "F(X^{0})", 0, member_f);
  {
    char name[64];
    snprintf (name, sizeof name, "F_{*}(X^{0}, X^{%zu}_{*})", t->L);
    write_family (w, name, 1, member_fs);
  }
  put_mean_adjoints (w);
}

/* ------------------------------------------------------------------ */
/* Section 6: the gradients.                                           */


/* A shared bias's gradient: the sum of the bias column of dJ/dW^l,
   written out term by term.  Inside an align*.  */
static void
put_shared_bias_gradient (fadj_writer *w, size_t l)
{
  const fadj_trace *t = w->t;
  size_t n = w->net->sizes[l], cols = w->net->sizes[l - 1], i;
  char lhs[64], formula[128];
  int sa = 0, ra = 0;

  fadj_writer_scratch_reset (w);
  for (i = 0; i < n && fadj_writer_ok (w); i++)
    {
      fadj_num_srcptr x = FADJ_MAT (t->grad + l, i, cols);
      size_t at = fadj_buf_len (w->sub) + (i > 0 ? 3 : 0);
      int neg;
      if (i > 0)
        fadj_buf_puts (w->sub, " + ");
      fadj_writer_put_number (w, w->sub, &sa, x);
      /* A negative term in parentheses: a + (-b).  */
      neg = fadj_writer_ok (w) && fadj_buf_data (w->sub, NULL)[at] == '-';
      if (neg && i > 0)
        {
          fadj_buf_reset (w->tmp);
          fadj_buf_puts (w->tmp, fadj_buf_data (w->sub, NULL) + at);
          fadj_buf_truncate (w->sub, at);
          fadj_buf_printf (w->sub, "(%s)", fadj_buf_data (w->tmp, NULL));
        }
    }
  fadj_writer_put_number (w, w->res, &ra, t->gb[l].e);
  snprintf (lhs, sizeof lhs, "\\frac{\\partial J}{\\partial b^{%zu}}", l);
  snprintf (formula, sizeof formula, "\\sum_{i=1}^{%zu} \\frac{\\partial J}"
            "{\\partial b^{%zu}_{i}}", n, l);
  fadj_writer_step (w, lhs, formula, sa, ra);
}

static void
write_gradients (fadj_writer *w)
{
  const fadj_net *net = w->net;
  const fadj_trace *t = w->t;
  fadj_buf *b = w->b;
  char lhs[64], formula[160];
  const char *mean = t->m > 1 && net->batch == FADJ_BATCH_MEAN
    ? "\\frac{1}{m}\\," : "";
  char meanq[32];
  size_t l;
  int sa, ra;

  snprintf (meanq, sizeof meanq, "\\frac{1}{%zu}", t->m);
  fadj_writer_section (w, _ ("The gradients"));
  fadj_buf_printf (b, _ ("By the theorem, $\\dfrac{\\partial J}{\\partial "
                   "W^{%s}} = %sY^{%s}_{*}\\,(X^{%s-1})^{\\top}$"),
                   w->ix, mean, w->ix, w->ix);
  if (mean[0] != '\0')
    fadj_buf_puts (b, _ (" (the $\\frac{1}{m}$ of the batch mean, the seed "
                   "being the sum's)"));
  if (w->any_bias && !w->sep)
    fadj_buf_printf (b, _ (", with the appended 1 in $X^{%s-1}$: the last "
                     "column is the bias's gradient"), w->ix);
  else if (w->any_bias)
    fadj_buf_printf (b, _ (", and $\\dfrac{\\partial J}{\\partial b^{%s}} = "
                     "%sY^{%s}_{*}%s$"), w->ix, mean, w->ix,
                     t->m > 1 ? "\\mathbf{1}" : "");
  fadj_buf_puts (b, ".\n");
  for (l = 1; l <= t->L; l++)
    {
      const fadj_layer *ly = net->layers + l - 1;
      size_t nw = ly->w.cols;

      w->active = l;
      fadj_writer_align_begin (w);
      sym_lines (w, FADJ_SYM_GRAD, l);
      fadj_writer_scratch_reset (w);
      sa = ra = 0;
      snprintf (lhs, sizeof lhs, "\\frac{\\partial J}{\\partial W^{%zu}}", l);
      snprintf (formula, sizeof formula, "%sY^{%zu}_{*}\\,(X^{%zu})^{\\top}",
                mean, l, l - 1);
      if (mean[0] != '\0')
        fadj_buf_puts (w->sub, meanq);
      fadj_writer_put_mat (w, w->sub, &sa, t->ys + l, NULL, NULL, 0);
      fadj_writer_put_x (w, w->sub, &sa, l - 1, 1);
      if (ly->has_bias && !w->sep)
        fadj_writer_put_mat (w, w->res, &ra, t->grad + l, NULL, NULL, nw);
      else
        fadj_writer_put_view (w, w->res, &ra, t->grad + l, 0, nw, 0, 0);
      fadj_writer_step (w, lhs, formula, sa, ra);

      if (ly->has_bias && w->sep)
        {
          fadj_writer_scratch_reset (w);
          sa = ra = 0;
          snprintf (lhs, sizeof lhs, "\\frac{\\partial J}{\\partial b^{%zu}%s}",
                    l, ly->bias_shared ? "_{i}" : "");
          snprintf (formula, sizeof formula, "%sY^{%zu}_{*}%s", mean, l,
                    t->m > 1 ? "\\mathbf{1}" : "");
          fadj_writer_put_view (w, w->res, &ra, t->grad + l, nw, 1, 0, 0);
          fadj_writer_step (w, lhs, formula, 0, ra);
        }
      if (ly->bias_shared)
        put_shared_bias_gradient (w, l);
      fadj_writer_align_end (w);
    }
}

/* ------------------------------------------------------------------ */
/* The document.                                                       */

static void
write_intro (fadj_writer *w)
{
  /* Step 2 as the F-adjoint section writes it: with the paper's
     W_sharp whenever a bias is the last column of W.  */
  int sharp = w->any_bias && !w->sep;
  char sharp_note[128] = "";

  if (sharp)
    snprintf (sharp_note, sizeof sharp_note, _ (", where $W^{%s}_{\\sharp}$ "
              "is $W^{%s}$ without its bias column"), w->ix, w->ix);
  /* The group's \emergencystretch lets TeX break around the long
     unbreakable "arXiv:2304.13820;" in a narrow column (a fragment's
     host) instead of running into the margin.  */
  fadj_worksheet_header (w);
  fadj_buf_printf (w->b,
    _ ("{\\emergencystretch=3em\\relax\n"
    "This document derives the gradient of the loss $J$ of a neural "
    "network by the F-adjoint method of A.~Boughammoura "
    "(\\emph{Backpropagation and F-adjoint}, arXiv:2304.13820; "
    "\\emph{A Two-Step Rule for Backpropagation}, arXiv:2304.13537). "
    "The \\emph{F-propagation} of an input $X^{0}$ is the forward pass, "
    "written as the family $F(X^{0})$ of the pre-activations $Y^{%s} = "
    "W^{%s} X^{%s-1}$ and the activations $X^{%s} = \\sigma(Y^{%s})$. "
    "Its \\emph{F-adjoint} $F_{*}(X^{0}, X^{L}_{*})$ runs backwards from "
    "a seed $X^{L}_{*}$ by the two-step rule $Y^{%s}_{*} = X^{%s}_{*} "
    "\\odot \\sigma'(Y^{%s})$, $X^{%s-1}_{*} = (W^{%s}%s)^{\\top} "
    "Y^{%s}_{*}$%s. The theorem: when the seed is the "
    "derivative of the loss, $X^{L}_{*} = \\partial J/\\partial X^{L}$, then "
    "$Y^{%s}_{*} = \\partial J/\\partial Y^{%s}$ and the gradient of "
    "every layer is $\\partial J/\\partial W^{%s} = Y^{%s}_{*}\\,"
    "(X^{%s-1})^{\\top}$. Every step is computed below for one network, "
    "and the result is checked by an independent method %s."),
    w->ix, w->ix, w->ix, w->ix, w->ix, w->ix, w->ix, w->ix, w->ix,
    w->ix, sharp ? "_{\\sharp}" : "", w->ix, sharp_note, w->ix, w->ix,
    w->ix, w->ix, w->ix,
    /* The sheet has no verification (fadj_latex_write).  */
    w->box == FADJ_BOX_BLANK ? _ ("on the answer key") : _ ("at the end"));
  if (mean_p (w->t))
    fadj_buf_printf (w->b,
      _ (" Here $J$ is the mean of the $m = %zu$ samples' losses $J_{s}$ and "
      "the seed is taken sample by sample ($X^{L}_{*}$ has the columns "
      "$\\partial J_{s}/\\partial X^{L}$), so $X^{L}_{*}$, $Y^{%s}_{*}$ "
      "and $X^{%s}_{*}$ are the derivatives of the sum $\\sum_{s} J_{s} "
      "= mJ$: then $\\partial J/\\partial Y^{%s} = \\frac{1}{m} "
      "Y^{%s}_{*}$ and $\\partial J/\\partial W^{%s} = \\frac{1}{m} "
      "Y^{%s}_{*}\\,(X^{%s-1})^{\\top}$."), w->t->m, w->ix, w->ix, w->ix,
      w->ix, w->ix, w->ix, w->ix);
  fadj_buf_puts (w->b, "\\par}\n");
}

static void
write_title (fadj_writer *w)
{
  fadj_buf *b = w->b;
  const fadj_net *net = w->net;
  size_t l;

  if (w->nset > 0)
    {
      /* A set's document: each exercise is titled in its section.  */
      if (!(w->flags & FADJ_LATEX_FRAGMENT))
        {
          fadj_buf_puts (b, "\\title{");
          fadj_buf_printf (b, w->box == FADJ_BOX_NONE
                           ? _ ("%zu exercises on the F-adjoint")
                           : w->box == FADJ_BOX_BLANK
                           ? _ ("Worksheet: %zu exercises on the F-adjoint")
                           : _ ("Answer key: %zu exercises on the "
                                "F-adjoint"), w->nset);
          fadj_buf_puts (b, "}\n");
        }
      return;
    }
  if (!(w->flags & FADJ_LATEX_FRAGMENT))
    fadj_buf_puts (b, "\\title{");
  else if (net->title != NULL)
    fadj_buf_puts (b, "\\section*{");
  else
    return;
  if (w->box != FADJ_BOX_NONE)
    fadj_buf_puts (b, w->box == FADJ_BOX_BLANK ? _ ("Worksheet: ")
                   : _ ("Answer key: "));
  if (net->title != NULL)
    fadj_buf_put_tex_escaped (b, net->title);
  else
    {
      fadj_buf_puts (b, _ ("The F-adjoint of the network $A["));
      for (l = 0; l <= w->t->L; l++)
        fadj_buf_printf (b, "%s%zu", l > 0 ? ", " : "", net->sizes[l]);
      fadj_buf_puts (b, "]$");
    }
  fadj_buf_puts (b, "}\n");
}

/* The most columns of a matrix printed for NET: amsmath's matrices hold
   10 unless told otherwise; the widest printed is a transposed augmented
   X^{l-1} (N + 1) or a batch (m).  */
static size_t
net_matrix_cols (const fadj_net *net)
{
  size_t l, maxcols = net->nsamples;

  for (l = 0; l <= net->nlayers; l++)
    if (net->sizes[l] + 1 > maxcols)
      maxcols = net->sizes[l] + 1;
  return maxcols;
}

/* For a French document: T1-encoded Latin Modern, so that accented
   letters are glyphs of their own, and French spacing after a full stop.
   No babel: Debian's texlive-lang-french (babel-french, the French
   hyphenation patterns) is not among the packages fadj asks for; the
   prose's non-breaking spaces before : ; ! ? are in its catalogue.  */
static void
put_lang_preamble (fadj_buf *b)
{
  if (fadj_i18n_french_p ())
    fadj_buf_puts (b, "\\usepackage[T1]{fontenc}\n\\usepackage{lmodern}\n"
                   "\\frenchspacing\n");
}

/* What comes before the introduction: a deck's or an article's
   preamble up to its title page, or a fragment's comment; MAX_SHOW as
   in fadj_latex_opts, THEME a deck's theme (NULL: beamer's own).  The
   head of a set of exercises (W->nset) is made for every network of
   the set.  */
void
fadj_latex_write_preamble (fadj_writer *w, size_t max_show,
                           const char *theme)
{
  fadj_buf *b = w->b;
  size_t k, maxcols;

  maxcols = net_matrix_cols (w->net);
  for (k = 0; k < w->nset; k++)
    if (net_matrix_cols (w->set[k]) > maxcols)
      maxcols = net_matrix_cols (w->set[k]);
  if (max_show > 0 && maxcols > max_show + 1)
    maxcols = max_show + 1;    /* shown columns and the \cdots */
  if (maxcols > FADJ_MATRIX_COLS_MAX)
    maxcols = FADJ_MATRIX_COLS_MAX;     /* wider: arrays */

  if (w->beamer)
    {
      int handout = (w->flags & FADJ_LATEX_BEAMER_HANDOUT) != 0;
      fadj_buf_printf (b, "\\documentclass[aspectratio=169,10pt%s]{beamer}"
                       "\n", handout ? ",handout" : "");
      if (handout)
        fadj_buf_puts (b, "\\usepackage{pgfpages}\n"
                       "\\pgfpagesuselayout{2 on 1}[a4paper,"
                       "border shrink=5mm]\n");
      if (theme != NULL)
        fadj_buf_printf (b, "\\usetheme{%s}\n", theme);
      fadj_buf_puts (b, "\\usepackage[utf8]{inputenc}\n"
                     "\\usepackage{amsmath}\n"
                     "\\usepackage{amssymb}\n"
                     "\\usepackage{tikz}\n"
                     "\\setbeamertemplate{navigation symbols}{}\n"
                     /* beamer has no \\paragraph; the training and
                        carry sections use it.  */
                     "\\providecommand{\\paragraph}[1]{\\par\\smallskip"
                     "\\noindent\\textbf{#1}\\ }\n"
                     "\\renewcommand{\\arraystretch}{1.2}\n");
      put_lang_preamble (b);
      if (maxcols > 10)
        fadj_buf_printf (b, "\\setcounter{MaxMatrixCols}{%zu}\n", maxcols);
      fadj_worksheet_preamble (w);
      write_title (w);
      /* The article's introduction in a line: the rules themselves are
         on the frames of their sections.  */
      fadj_buf_puts (b, "\\subtitle{");
      fadj_buf_puts (b, _ ("Backpropagation by the F-adjoint "
                           "(A.~Boughammoura, arXiv:2304.13820, "
                           "arXiv:2304.13537)"));
      fadj_buf_puts (b, "}\n"
                     "\\author{}\n\\date{}\n\n\\begin{document}\n"
                     "\\begin{frame}\n\\titlepage\n\\end{frame}\n");
    }
  else if (!(w->flags & FADJ_LATEX_FRAGMENT))
    {
      fadj_buf_puts (b, "\\documentclass[a4paper]{article}\n"
                     "\\usepackage[utf8]{inputenc}\n"
                     "\\usepackage[margin=2.5cm]{geometry}\n"
                     "\\usepackage{amsmath}\n"
                     "\\usepackage{amssymb}\n"
                     "\\allowdisplaybreaks\n"
                     /* Room between matrix rows for \frac entries.  */
                     "\\renewcommand{\\arraystretch}{1.3}\n");
      if (w->flags & FADJ_LATEX_DIAGRAM)
        fadj_buf_puts (b, "\\usepackage{graphicx}\n\\usepackage{tikz}\n");
      if (w->loss_curve)
        fadj_buf_puts (b, "\\usepackage{pgfplots}\n"
                       "\\pgfplotsset{compat=1.16}\n");
      put_lang_preamble (b);
      if (maxcols > 10)
        fadj_buf_printf (b, "\\setcounter{MaxMatrixCols}{%zu}\n", maxcols);
      fadj_worksheet_preamble (w);
      write_title (w);
      fadj_buf_puts (b, "\\author{}\n\\date{}\n\n\\begin{document}\n"
                     "\\maketitle\n\n");
    }
  else
    {
      fadj_buf_printf (b, "%% The F-adjoint derivation, written by fadj; "
                       "needs amsmath%s.\n",
                       (w->flags & FADJ_LATEX_DIAGRAM) ? " and tikz" : "");
      if (maxcols > 10)
        fadj_buf_printf (b, "\\setcounter{MaxMatrixCols}{%zu}\n", maxcols);
      fadj_worksheet_preamble (w);
      /* A display taller than what is left of the page may break
         between its lines, as the standalone document's
         \allowdisplaybreaks lets it, within the fragment only.  */
      fadj_buf_puts (b, "{\\interdisplaylinepenalty=0\\relax\n");
      write_title (w);
    }
}

/* The values printed 0^\dagger (fadj_zero_log), explained after
   everything that may print one.  */
static void
write_zero_note (fadj_writer *w)
{
  const fadj_zero_log *z = w->fmt.zeros;

  if (z == NULL || z->count == 0 || !fadj_writer_ok (w))
    return;
  fadj_writer_section (w, _ ("Zeros to the working precision"));
  /* One whole sentence per number, for the translations.  */
  if (z->count == 1)
    fadj_buf_printf (w->b, _ (
      "The value marked $0^{\\dagger}$ is not exact, and its enclosure "
      "still contains 0 at the working precision, after two more "
      "doublings of it: $|\\text{value}| < 10^{%ld}$, zero to the working "
      "precision, not proven to be 0.\n"), -z->k);
  else
    fadj_buf_printf (w->b, _ (
      "The values marked $0^{\\dagger}$ are not exact, and each enclosure "
      "still contains 0 at the working precision, after two more "
      "doublings of it: $|\\text{value}| < 10^{%ld}$, zero to the working "
      "precision, not proven to be 0. (The bound holds for each of "
      "them.)\n"), -z->k);
}

void
fadj_latex_write_derivation (fadj_writer *w, const fadj_latex_opts *opts,
                  const fadj_latex_results *res)
{
  size_t l;

  if (w->beamer)
    write_network_deck (w);
  else
    {
      write_intro (w);
      write_network (w);
    }
  write_fprop (w);
  write_seed (w);
  write_fadjoint (w);
  write_families (w);
  w->grad_eq0 = w->eqno + 1;
  write_gradients (w);
  w->grad_eq1 = w->eqno;
  for (l = 0; l < opts->nchains; l++)
    fadj_latex_write_chain (w, opts->chains + l, res->chains + l);
  /* The student's sheet has no verification: it would print the
     answers' agreement (the key keeps it).  */
  if (w->box != FADJ_BOX_BLANK)
    fadj_latex_write_verification (w);
  if (res != NULL && res->training != NULL)
    fadj_latex_write_training (w, res->training);
  if (res != NULL && res->carried != NULL)
    fadj_latex_write_carry (w, res->carried);
  if (w->flags & FADJ_LATEX_SUMMARY)
    fadj_latex_write_summary (w);
  write_zero_note (w);
}

fadj_status
fadj_latex_check_chains (const fadj_net *net, const fadj_latex_opts *opts,
              const fadj_latex_results *res)
{
  size_t l;

  assert (opts->nchains == 0
          || (res != NULL && res->nchains == opts->nchains));
  for (l = 0; l < opts->nchains; l++)
    if (fadj_chain_validate (net, opts->chains + l) != FADJ_OK)
      return FADJ_ERR_INPUT;
  return FADJ_OK;
}

fadj_status
fadj_latex_write (fadj_buf *b, const fadj_trace *t,
                  const fadj_latex_opts *opts, const fadj_latex_results *res)
{
  fadj_writer w;
  fadj_status st;
  size_t nfields;

  if ((st = fadj_latex_check_chains (t->net, opts, res)) != FADJ_OK)
    return st;
  st = fadj_writer_init (&w, b, t, opts);
  if (st != FADJ_OK)
    return st;
  /* The loss curve needs pgfplots in the preamble: only a document of
     one network knows its training before the preamble (a set of
     exercises has the loss table alone).  */
  w.loss_curve = res != NULL && res->training != NULL
    && res->training->steps >= 2 && !w.beamer
    && !(w.flags & FADJ_LATEX_FRAGMENT);
  fadj_latex_write_preamble (&w, opts->max_show, opts->beamer_theme);
  fadj_latex_write_derivation (&w, opts, res);
  if (w.beamer)
    {
      fadj_deck_summary (&w);
      fadj_writer_frame_close (&w);
    }
  if (!(w.flags & FADJ_LATEX_FRAGMENT))
    fadj_buf_puts (b, "\n\\end{document}\n");
  else
    fadj_buf_puts (b, "\\par}\n");
  fadj_worksheet_finish (&w, w.start, &nfields);
  return fadj_writer_finish (&w);
}

void
fadj_latex_opts_init (fadj_latex_opts *o)
{
  o->flags = 0;
  o->digits = 6;
  o->numbers = FADJ_NUMBERS_AUTO;
  o->max_show = 0;
  o->nchains = 0;
  o->chains = NULL;
  o->zeros = NULL;
  o->lang = NULL;
  o->beamer_theme = NULL;
  o->box_width = 2.5 * 72.27 / 2.54;
  o->box_height = 0.7 * 72.27 / 2.54;
  o->round = -1;
  o->space = 1.0;
  o->source = NULL;
  o->options = NULL;
  o->seed = -1;
}

void
fadj_latex_results_init (fadj_latex_results *r)
{
  r->training = NULL;
  r->carried = NULL;
  r->nchains = 0;
  r->chains = NULL;
}

void
fadj_latex_results_clear (fadj_latex_results *r)
{
  size_t k;

  for (k = 0; k < r->nchains; k++)
    fadj_num_clear (r->chains[k].sum);
  free (r->chains);
  fadj_latex_results_init (r);
}

