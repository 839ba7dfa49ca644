/* latex-chain.c -- the scalar chain rule of one weight as a textbook
   writes it: a sum over every path from the weight to the loss, each path
   a product of one seed entry, the derivatives of the activations met on
   the way (sigma', or at a vector map such as softmax an entry of its
   Jacobian) and the weights crossed; then the same sum with numbers, its
   value, and the entry of Y^l_* (X^{l-1})^T it equals.  The paths, their
   sum and the comparison are check-chain.c's; this file only prints
   them.  */

#include "latex-subst.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* The formulas.                                                       */

/* The neuron of X^p where the paths of chain C cross layer P: the index
   k_p of a sum, or the weight's row at its own layer unless a vector
   map spreads it over every X^l_{k_l}.  */
static void
put_xindex (fadj_buf *b, const fadj_trace *t, size_t p,
            const fadj_latex_chain *c)
{
  if (p > c->layer || fadj_chain_pairs_p (t, p))
    fadj_buf_printf (b, "k_{%zu}", p);
  else
    fadj_buf_printf (b, "%zu", c->row);
}

/* The neuron of Y^p: the weight's row at its own layer; above it, the
   same as X^p's but in a vector map, where it is a second index k'_p.  */
static void
put_yindex (fadj_buf *b, const fadj_trace *t, size_t p,
            const fadj_latex_chain *c)
{
  if (p == c->layer)
    fadj_buf_printf (b, "%zu", c->row);
  else if (fadj_chain_pairs_p (t, p))
    fadj_buf_printf (b, "k'_{%zu}", p);
  else
    fadj_buf_printf (b, "k_{%zu}", p);
}

/* "\sum_{k=1}^{n} ".  */
static void
put_sum (fadj_buf *b, const char *k, size_t p, size_t n)
{
  fadj_buf_printf (b, "\\sum_{%s_{%zu}=1}^{%zu} ", k, p, n);
}

/* The factor of layer P in symbols: sigma'(Y^p_{k_p}) ("\sigma_{p}'"
   unless SAME_ACT), or dX^p_{k_p}/dY^p_{k'_p} for a vector map.  */
static void
put_dfactor (fadj_buf *b, const fadj_trace *t, size_t p,
             const fadj_latex_chain *c, int same_act)
{
  if (fadj_chain_pairs_p (t, p))
    {
      fadj_buf_printf (b, "\\frac{\\partial X^{%zu}_{", p);
      put_xindex (b, t, p, c);
      fadj_buf_printf (b, "}}{\\partial Y^{%zu}_{", p);
      put_yindex (b, t, p, c);
      fadj_buf_puts (b, "}}\\,");
      return;
    }
  if (same_act)
    fadj_buf_puts (b, "\\sigma'");
  else
    fadj_buf_printf (b, "\\sigma_{%zu}'", p);
  fadj_buf_printf (b, "(Y^{%zu}_{", p);
  put_xindex (b, t, p, c);
  fadj_buf_puts (b, "})\\,");
}

/* The sum over paths in symbols, appended to B (one line, math mode);
   SAME_ACT: one sigma for every layer.  */
static void
put_symbolic (fadj_buf *b, const fadj_trace *t, const fadj_latex_chain *c,
              int same_act)
{
  size_t l = c->layer, L = t->L, p;
  int bias = c->col == t->net->sizes[l - 1] + 1;

  if (t->m > 1 && t->net->batch == FADJ_BATCH_MEAN)
    fadj_buf_printf (b, "\\frac{1}{%zu} ", t->m);
  if (t->m > 1)
    fadj_buf_printf (b, "\\sum_{s=1}^{%zu} ", t->m);
  for (p = L; p >= l; p--)
    {
      if (p > l || fadj_chain_pairs_p (t, p))
        put_sum (b, "k", p, t->net->sizes[p]);
      if (p > l && fadj_chain_pairs_p (t, p))
        put_sum (b, "k'", p, t->net->sizes[p]);
    }
  /* The seed: sample s's own derivative.  */
  fadj_buf_printf (b, "\\frac{\\partial J%s}{\\partial X^{%zu}_{",
                   t->m > 1 ? "_{s}" : "", L);
  put_xindex (b, t, L, c);
  fadj_buf_puts (b, "}}\\,");
  for (p = L; p >= l; p--)
    {
      put_dfactor (b, t, p, c, same_act);
      if (p > l)
        {
          fadj_buf_printf (b, "w^{%zu}_{", p);
          put_yindex (b, t, p, c);
          put_xindex (b, t, p - 1, c);
          fadj_buf_puts (b, "}\\,");
        }
    }
  if (bias)
    fadj_buf_puts (b, "\\cdot 1");
  else
    fadj_buf_printf (b, "X^{%zu}_{%zu}", l - 1, c->col);
}

/* A factor as printed in a product: negative numbers in parentheses.
   Boxes for a worksheet come from F.  */
static fadj_status
put_factor (fadj_buf *b, int *approx, fadj_num_srcptr x,
            const fadj_latex_numfmt *f)
{
  size_t start = fadj_buf_len (b);
  fadj_status st;
  int a = 0;

  st = fadj_latex_number_fmt (b, &a, x, f);
  if (st != FADJ_OK)
    return st;
  if (fadj_buf_data (b, NULL)[start] == '-'
      || strncmp (fadj_buf_data (b, NULL) + start, "\\boxed{-", 8) == 0)
    {
      /* Parenthesise: rewrite as (...).  */
      fadj_buf *tmp = fadj_buf_new ();
      if (tmp == NULL)
        return FADJ_ERR_NOMEM;
      fadj_buf_puts (tmp, fadj_buf_data (b, NULL) + start);
      fadj_buf_truncate (b, start);
      fadj_buf_printf (b, "(%s)", fadj_buf_data (tmp, NULL));
      st = fadj_buf_status (tmp);
      fadj_buf_free (tmp);
    }
  if (a && approx != NULL)
    *approx = 1;
  return st;
}

/* The end of an underbrace around the factor of vector map Q on path P
   (its last factors asked for): "}_{\partial X^{q}_{a}/\partial
   Y^{q}_{b}}}", naming the Jacobian entry the number is, for the pairs
   vary from path to path.  Without the sample, as sigma'(Y^l_k) is
   written in a batch: a longer label would be wider than the number.  */
static void
put_jacobian_label (fadj_buf *b, const fadj_chain_paths *p, size_t q)
{
  fadj_buf_printf (b, "}_{\\partial X^{%zu}_{%zu}/\\partial Y^{%zu}_{%zu}}}",
                   q, p->k[q] + 1, q, p->ky[q] + 1);
}

/* The same sum with numbers, one product per path (elided past
   F->max_show paths), broken into align lines ("\\\\\n  &\\quad ")
   where a line would be wider than WIDTH digit widths.  *APPROX |= some
   factor is printed inexactly; *VALUE_APPROX |= some path with a factor
   printed inexactly has no exact 0 factor, so that the sum as printed
   need not equal the exact value (a path with an exact 0 is 0 however
   its other factors print).  FADJ_ERR_LIMIT if there are too many
   paths to enumerate.  B is left as it was on failure.  */
static fadj_status
put_numbers (fadj_buf *b, int *approx, int *value_approx,
             const fadj_trace *t, const fadj_latex_chain *c,
             const fadj_latex_numfmt *f, double width)
{
  size_t path, q, n, shown, head, kk, start = fadj_buf_len (b);
  size_t line_start = start;
  fadj_chain_paths p;
  fadj_status st;

  st = fadj_chain_paths_init (&p, t, c);
  if (st != FADJ_OK)
    return st;
  fadj_latex_elide (&shown, &head, p.npaths, f->max_show);
  for (kk = 0; kk < shown && st == FADJ_OK; kk++)
    {
      size_t term_start = fadj_buf_len (b);
      path = kk < head || shown == p.npaths ? kk : p.npaths - 1;
      if (kk == head && shown < p.npaths)
        fadj_buf_printf (b, " + \\cdots");
      if (kk > 0)
        fadj_buf_puts (b, " + ");
      n = fadj_chain_paths_factors (&p, path);
      {
        int path_approx = 0, zero = 0;
        for (q = 0; q < n && st == FADJ_OK; q++)
          {
            /* Factors 1, 3, 5, ... are the derivatives of layers L,
               L - 1, ... (fadj_chain_paths_factors).  */
            size_t layer = q % 2 == 1 ? t->L - (q - 1) / 2 : 0;
            int jac = layer > 0 && fadj_chain_pairs_p (t, layer);
            if (q > 0)
              fadj_buf_puts (b, "\\cdot ");
            if (jac)
              /* In a group: an ordinary atom, so that the \cdot after
                 it is spaced as a binary operator.  */
              fadj_buf_puts (b, "{\\underbrace{");
            st = put_factor (b, &path_approx, p.f + q, f);
            if (jac)
              put_jacobian_label (b, &p, layer);
            zero |= FADJ_NUM_EXACT_P (p.f + q) && fadj_num_zero_p (p.f + q);
          }
        *approx |= path_approx;
        *value_approx |= path_approx && !zero;
      }
      /* A new line, aligned after the relation, when this term makes
         the line too wide.  */
      if (st == FADJ_OK && kk > 0
          && fadj_latex_width (fadj_buf_data (b, NULL) + line_start,
                               fadj_buf_len (b) - line_start) > width)
        {
          fadj_buf *tmp = fadj_buf_new ();
          if (tmp == NULL)
            {
              st = FADJ_ERR_NOMEM;
              break;
            }
          fadj_buf_puts (tmp, fadj_buf_data (b, NULL) + term_start);
          fadj_buf_truncate (b, term_start);
          fadj_buf_puts (b, "\\\\\n  &\\quad ");
          line_start = fadj_buf_len (b);
          fadj_buf_puts (b, fadj_buf_data (tmp, NULL));
          fadj_buf_free (tmp);
        }
    }
  fadj_chain_paths_clear (&p);
  if (st == FADJ_OK && fadj_buf_status (b) != FADJ_OK)
    st = fadj_buf_status (b);
  if (st != FADJ_OK)
    fadj_buf_truncate (b, start);
  return st;
}

/* ------------------------------------------------------------------ */
/* The section.                                                        */

/* After the display: the sum is the gradient's entry (AGREE), which is
   the point of the section, or a warning that it is not.  */
static void
put_verdict (fadj_writer *w, const fadj_latex_chain *c, int agree,
             int exact)
{
  size_t l = c->layer, i = c->row, j = c->col;

  if (agree)
    fadj_buf_printf (w->b,
      _ ("This is the entry $(%zu, %zu)$ of $\\partial J/\\partial W^{%zu} = "
      "%sY^{%zu}_{*}\\,(X^{%zu})^{\\top}$ found by the two-step rule%s. "
      "The two-step rule is this chain rule organised by layers: "
      "$Y^{%zu}_{*}$ already holds, for every neuron of layer %zu, the sum "
      "over all the paths above it, so each layer's sum is done once "
      "instead of once per path.\n"),
      i, j, l, w->t->m > 1 && w->net->batch == FADJ_BATCH_MEAN
      ? "\\frac{1}{m}\\," : "", l, l - 1,
      exact ? _ (", exactly") : _ (" (the enclosures of "
      "the two overlap)"), l, l);
  else
    fadj_buf_printf (w->b,
      _ ("\\begin{center}\n\\fbox{\\parbox{0.9\\linewidth}{"
      "\\textbf{CHAIN RULE DISAGREES.} The sum over paths is not the "
      "entry $(%zu, %zu)$ of $\\partial J/\\partial W^{%zu}$ found by the "
      "two-step rule.}}\n\\end{center}\n"), i, j, l);
}

/* The weight named WNAME (BIAS: a bias), in words, and how the chain
   rule finds its derivative.  */
static void
put_intro (fadj_writer *w, const fadj_latex_chain *c, const char *wname,
           int bias)
{
  size_t l = c->layer, i = c->row, j = c->col;

  fadj_buf_printf (w->b,
    _ ("The two-step rule finds all of $\\partial J/\\partial W^{%zu}$ at "
    "once. The chain rule of calculus finds one entry at a time: $%s$ "),
    l, wname);
  if (bias)
    fadj_buf_printf (w->b, _ ("(the bias of neuron %zu of layer %zu)"), i, l);
  else
    fadj_buf_printf (w->b, _ ("(the weight from neuron %zu of layer %zu to "
                     "neuron %zu of layer %zu)"), j, l - 1, i, l);
  fadj_buf_printf (w->b,
    _ (" reaches the loss along every path through the later layers, and "
    "$\\partial J/\\partial %s$ is the sum, over those paths, of the "
    "product of the derivatives along each one%s.\n"),
    wname, w->t->m > 1 ? _ (" (and over the samples)") : "");
}

/* Why the paths branch over pairs at layer Q, a vector map, and how its
   factors are marked in the numbers (put_jacobian_label): a student
   knows sigma'(Y_k) per neuron, not that softmax's X_a moves with every
   Y_b.  */
static void
put_vector_note (fadj_writer *w, const fadj_latex_chain *c, size_t q)
{
  const fadj_layer *ly = w->net->layers + q - 1;
  int softmax = ly->act == FADJ_ACT_SOFTMAX;
  size_t n = w->net->sizes[q];
  char a[16], y[16], jac[48];

  snprintf (a, sizeof a, "k_{%zu}", q);
  if (q == c->layer)
    snprintf (y, sizeof y, "%zu", c->row);
  else
    snprintf (y, sizeof y, "k'_{%zu}", q);
  fadj_buf_printf (w->b, _ ("\nAt layer %zu the activation is \\texttt{"), q);
  fadj_buf_put_tex_escaped (w->b, fadj_act_name (ly->act));
  fadj_buf_printf (w->b, _ ("}, a vector map: every $X^{%zu}_{a}$ depends on "
                   "every $Y^{%zu}_{b}$. "), q, q);
  if (q == c->layer)
    fadj_buf_printf (w->b, _ ("So from $Y^{%zu}_{%s}$, where the weight acts, "
                     "a path goes on through any $X^{%zu}_{%s}$"), q, y, q,
                     a);
  else
    fadj_buf_printf (w->b, _ ("So a path crosses it from any $Y^{%zu}_{%s}$ "
                     "to any $X^{%zu}_{%s}$"), q, y, q, a);
  fadj_buf_printf (w->b, _ (", with the factor $\\partial X^{%zu}_{%s}/"
                   "\\partial Y^{%zu}_{%s}"), q, a, q, y);
  if (softmax)
    fadj_buf_printf (w->b, _ (" = X^{%zu}_{%s}\\,(\\delta_{%s%s} - "
                     "X^{%zu}_{%s})$ ($\\delta_{ab}$ is 1 if $a = b$, 0 "
                     "otherwise)"), q, a, a, y, q, y);
  else
    fadj_buf_puts (w->b, "$");
  fadj_subst_jac_name (jac, sizeof jac, w, q);
  fadj_buf_printf (w->b, _ (", the entry $(%s, %s)$ of the Jacobian "
                   "$%s(Y^{%zu})$ of step~1%s: the paths branch "
                   "over "), a, y, jac, q,
                   w->t->m > 1 ? _ (" (of the path's sample)") : "");
  if (q == c->layer)
    fadj_buf_printf (w->b, _ ("the %zu entries $%s$ instead of staying on "
                     "neuron %s"), n, a, y);
  else
    fadj_buf_printf (w->b, _ ("the $%zu^{2} = %zu$ pairs $(%s, %s)$ instead "
                     "of the %zu neurons"), n, n * n, a, y, n);
  fadj_buf_puts (w->b, _ (". Below, each such factor is marked with the "
                 "derivative it is.\n"));
}

/* The scalar chain rule of one weight (--chain), beside the two-step
   rule: the sum over paths in symbols, then with numbers, then its
   value, shown equal to the entry of Y^l_* (X^{l-1})^T.  */
void
fadj_latex_write_chain (fadj_writer *w, const fadj_latex_chain *c,
                        const fadj_chain_result *r)
{
  const fadj_trace *t = w->t;
  size_t l = c->layer, i = c->row, j = c->col, q;
  int bias = j == w->net->sizes[l - 1] + 1, na = 0, va = 0, ra = 0;
  int mean = t->m > 1 && t->net->batch == FADJ_BATCH_MEAN;
  char wname[48];
  fadj_num_srcptr g = FADJ_MAT (t->grad + l, i - 1, j - 1);
  fadj_latex_numfmt f = w->fmt;
  fadj_buf *b = w->b;

  if (!fadj_writer_ok (w))
    return;
  if (bias)
    snprintf (wname, sizeof wname, "b^{%zu}_{%zu}", l, i);
  else
    snprintf (wname, sizeof wname, "w^{%zu}_{%zu%s%zu}", l, i,
              i > 9 || j > 9 ? "," : "", j);
  /* In the writer: frames use the title after this call.  */
  snprintf (w->title_buf, sizeof w->title_buf, _ ("The chain rule for $%s$"),
            wname);
  fadj_writer_section (w, w->title_buf);
  if (r->status != FADJ_OK)
    {
      fadj_writer_fail (w, r->status);
      return;
    }
  put_intro (w, c, wname, bias);
  for (q = t->L; q >= l; q--)
    if (fadj_chain_pairs_p (t, q))
      put_vector_note (w, c, q);
  w->active = l;
  fadj_writer_align_begin (w);
  fadj_writer_step_begin (w);
  w->in_step = 1;
  fadj_writer_align_newline (w);
  fadj_buf_printf (b, "\\frac{\\partial J}{\\partial %s} &= ", wname);
  put_symbolic (b, t, c, w->same_act);
  /* On a worksheet the path products are boxes too.  */
  f.box = (w->blanks & FADJ_LATEX_BLANK_GRADIENTS) ? w->box : FADJ_BOX_NONE;
  fadj_buf_reset (w->sub);
  if (mean)
    fadj_buf_printf (w->sub, "\\frac{1}{%zu}\\bigl(", t->m);
  fadj_writer_fail (w, put_numbers (w->sub, &na, &va, t, c, &f,
                                    w->width - 6));
  if (mean)
    fadj_buf_puts (w->sub, "\\bigr)");
  fadj_writer_check_scratch (w);
  if (!fadj_writer_ok (w))
    return;
  fadj_writer_align_newline (w);
  fadj_buf_puts (b, "&");
  if (w->beamer)
    fadj_writer_put_uncovered (b, 2, fadj_writer_rel (na),
                               fadj_buf_data (w->sub, NULL));
  else
    fadj_buf_printf (b, "%s %s", fadj_writer_rel (na),
                     fadj_buf_data (w->sub, NULL));
  fadj_buf_reset (w->res);
  fadj_writer_put_num (w, w->res, &ra, r->sum);
  fadj_writer_align_newline (w);
  fadj_buf_printf (b, w->beamer ? "&\\uncover<3->{%s %s}" : "&%s %s",
                   fadj_writer_rel (va || ra), fadj_buf_data (w->res, NULL));
  /* The same number as the entry of the gradient, by the theorem.  */
  fadj_writer_align_newline (w);
  fadj_buf_printf (b, "%s&%s \\bigl(%sY^{%zu}_{*}\\,(X^{%zu})^{\\top}"
                   "\\bigr)_{%zu%s%zu}",
                   w->beamer ? "\\uncover<4->{" : "",
                   r->agree ? "=" : "\\neq", mean ? "\\frac{1}{m}\\," : "",
                   l, l - 1, i, i > 9 || j > 9 ? "," : "", j);
  if (t->m == 1)
    {
      fadj_buf_printf (b, " = Y^{%zu}_{*,%zu}", l, i);
      if (!bias)
        fadj_buf_printf (b, "\\,X^{%zu}_{%zu}", l - 1, j);
      else
        fadj_buf_puts (b, "\\cdot 1");
    }
  fadj_buf_reset (w->res);
  ra = 0;
  fadj_writer_put_num (w, w->res, &ra, g);
  fadj_writer_check_scratch (w);
  fadj_buf_printf (b, " %s %s%s", fadj_writer_rel (ra),
                   fadj_buf_data (w->res, NULL), w->beamer ? "}" : "");
  w->in_step = 0;
  fadj_writer_align_end (w);
  w->active = 0;
  put_verdict (w, c, r->agree,
               FADJ_NUM_EXACT_P (r->sum) && FADJ_NUM_EXACT_P (g));
}
