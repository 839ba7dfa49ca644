/* latex-chain.c -- the scalar chain rule for one weight, as a textbook
   writes it: a sum over every path from the weight to the loss, each path
   a product of one seed entry, the derivatives sigma' met on the way and
   the weights crossed, then the same sum with numbers.  Its value is
   computed here, path by path, with no use of the two-step rule's
   Y^l_* or X^l_*: the sum is a third derivation of the entry (i, j) of
   Y^l_* (X^{l-1})^T, and the document shows that they are equal — the
   point of the paper: the two-step rule is this chain rule organised by
   layers, each layer's sum done once instead of once per path.  */

#include "latex-writer.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* The most paths summed; beyond, the chain rule is no way to compute a
   gradient, which is rather the point, and the option is refused.  */
#define CHAIN_MAX_PATHS 100000

/* Number of paths from layer L's neurons to the loss: the product of the
   sizes of layers L+1 .. L_out (times the samples).  0 if too many.  */
static size_t
count_paths (const fadj_trace *t, size_t l)
{
  size_t n = t->m, p;

  for (p = l + 1; p <= t->L; p++)
    {
      if (n > CHAIN_MAX_PATHS / t->net->sizes[p])
        return 0;
      n *= t->net->sizes[p];
    }
  return n;
}

fadj_status
fadj_chain_validate (const fadj_net *net, const fadj_latex_chain *c)
{
  size_t l;

  if (c->layer < 1 || c->layer > net->nlayers)
    return FADJ_ERR_INPUT;
  if (c->row < 1 || c->row > net->sizes[c->layer])
    return FADJ_ERR_INPUT;
  if (c->col < 1 || c->col > net->sizes[c->layer - 1]
      + (net->layers[c->layer - 1].has_bias != 0))
    return FADJ_ERR_INPUT;
  /* The paths cross one sigma' per neuron: a vector map (softmax) has a
     Jacobian with off-diagonal terms, which this sum does not write.  */
  for (l = c->layer; l <= net->nlayers; l++)
    if (fadj_act_vector_p (net->layers[l - 1].act))
      return FADJ_ERR_INPUT;
  return FADJ_OK;
}

/* The factors of path number P (in 0 .. count_paths - 1) of chain C:
   K[p] is the neuron of layer p crossed (p = l .. L), *S the sample.
   The first index varies slowest, the output's fastest.  */
static void
path_indices (size_t *k, size_t *s, const fadj_trace *t,
              const fadj_latex_chain *c, size_t path)
{
  size_t p;

  for (p = t->L; p > c->layer; p--)
    {
      k[p] = path % t->net->sizes[p];
      path /= t->net->sizes[p];
    }
  k[c->layer] = c->row - 1;
  *s = path;
}

/* X^{l-1}_{j,s} of chain C, as the weight's input: the input entry, the
   activation, or the 1 of a bias.  */
static void
chain_input (fadj_num_ptr r, const fadj_trace *t, const fadj_latex_chain *c,
             size_t s)
{
  size_t l = c->layer, j = c->col - 1;

  if (j == t->net->sizes[l - 1])
    fadj_num_set_si (r, 1);
  else if (l == 1)
    fadj_num_convert (r, FADJ_MAT (&t->net->input, j, s));
  else
    fadj_num_set (r, FADJ_MAT (t->X + l - 1, j, s));
}

/* The factors of one path, in the order printed: seed, then for each
   layer p = L .. l: sigma'(Y^p_{k_p}) and, for p > l, the weight
   w^p_{k_p k_{p-1}}; last the input.  F must hold 2 (L - l) + 3
   numbers, initialised.  */
static size_t
path_factors (fadj_num_struct *f, const fadj_trace *t,
              const fadj_latex_chain *c, const size_t *k, size_t s)
{
  size_t p, n = 0;

  fadj_num_set (f + n++, FADJ_MAT (t->xs + t->L, k[t->L], s));
  for (p = t->L; p >= c->layer; p--)
    {
      fadj_num_set (f + n++, FADJ_MAT (t->dsig + p, k[p], s));
      if (p > c->layer)
        fadj_num_convert (f + n++,
                          FADJ_MAT (&t->net->layers[p - 1].w, k[p], k[p - 1]));
    }
  chain_input (f + n++, t, c, s);
  return n;
}

fadj_status
fadj_chain_path_sum (fadj_num_ptr r, const fadj_trace *t,
                     const fadj_latex_chain *c)
{
  size_t npaths = count_paths (t, c->layer), nf = 2 * (t->L - c->layer) + 3;
  size_t path, s, q, n;
  size_t *k = NULL;
  fadj_num_struct *f = NULL;
  fadj_num_t prod;

  if (fadj_chain_validate (t->net, c) != FADJ_OK)
    return FADJ_ERR_INPUT;
  if (npaths == 0)
    return FADJ_ERR_LIMIT;
  k = malloc ((t->L + 1) * sizeof *k);
  f = malloc (nf * sizeof *f);
  if (k == NULL || f == NULL)
    {
      free (k);
      free (f);
      return FADJ_ERR_NOMEM;
    }
  for (q = 0; q < nf; q++)
    fadj_num_init (f + q, &t->ctx);
  fadj_num_init (prod, &t->ctx);
  fadj_num_set_si (r, 0);
  for (path = 0; path < npaths; path++)
    {
      path_indices (k, &s, t, c, path);
      n = path_factors (f, t, c, k, s);
      fadj_num_set (prod, f);
      for (q = 1; q < n; q++)
        fadj_num_mul (prod, prod, f + q);
      fadj_num_add (r, r, prod);
    }
  fadj_num_clear (prod);
  for (q = 0; q < nf; q++)
    fadj_num_clear (f + q);
  free (f);
  free (k);
  return FADJ_OK;
}

/* ------------------------------------------------------------------ */
/* The formulas.                                                       */

/* The symbol of a sum index for layer P.  */
static void
put_k (fadj_buf *b, size_t p)
{
  fadj_buf_printf (b, "k_{%zu}", p);
}

/* "\sigma'" or "\sigma_{p}'".  */
static void
put_dsig (fadj_buf *b, size_t p, int same_act)
{
  if (same_act)
    fadj_buf_puts (b, "\\sigma'");
  else
    fadj_buf_printf (b, "\\sigma_{%zu}'", p);
}

void
fadj_latex_chain_symbolic (fadj_buf *b, const fadj_trace *t,
                           const fadj_latex_chain *c, int same_act,
                           int sep)
{
  size_t l = c->layer, L = t->L, p;
  int bias = c->col == t->net->sizes[l - 1] + 1;

  (void) sep;
  if (t->m > 1)
    fadj_buf_printf (b, "\\sum_{s=1}^{%zu} ", t->m);
  for (p = L; p > l; p--)
    {
      fadj_buf_puts (b, "\\sum_{");
      put_k (b, p);
      fadj_buf_printf (b, "=1}^{%zu} ", t->net->sizes[p]);
    }
  /* The seed.  */
  fadj_buf_printf (b, "\\frac{\\partial J}{\\partial X^{%zu}_{", L);
  if (L > l)
    put_k (b, L);
  else
    fadj_buf_printf (b, "%zu", c->row);
  fadj_buf_puts (b, "}}\\,");
  for (p = L; p >= l; p--)
    {
      put_dsig (b, p, same_act);
      fadj_buf_printf (b, "(Y^{%zu}_{", p);
      if (p > l)
        put_k (b, p);
      else
        fadj_buf_printf (b, "%zu", c->row);
      fadj_buf_puts (b, "})\\,");
      if (p > l)
        {
          fadj_buf_printf (b, "w^{%zu}_{", p);
          put_k (b, p);
          if (p - 1 > l)
            put_k (b, p - 1);
          else
            fadj_buf_printf (b, "%zu", c->row);
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

fadj_status
fadj_latex_chain_numbers (fadj_buf *b, int *approx, const fadj_trace *t,
                          const fadj_latex_chain *c,
                          const fadj_latex_numfmt *f, double width)
{
  size_t npaths = count_paths (t, c->layer), nf = 2 * (t->L - c->layer) + 3;
  size_t path, s, q, n, shown, head, kk, start = fadj_buf_len (b);
  size_t line_start = start;
  size_t *k = NULL;
  fadj_num_struct *fac = NULL;
  fadj_status st = FADJ_OK;

  if (npaths == 0)
    return FADJ_ERR_LIMIT;
  k = malloc ((t->L + 1) * sizeof *k);
  fac = malloc (nf * sizeof *fac);
  if (k == NULL || fac == NULL)
    {
      free (k);
      free (fac);
      return FADJ_ERR_NOMEM;
    }
  for (q = 0; q < nf; q++)
    fadj_num_init (fac + q, &t->ctx);
  fadj_latex_elide (&shown, &head, npaths, f->max_show);
  for (kk = 0; kk < shown && st == FADJ_OK; kk++)
    {
      size_t term_start = fadj_buf_len (b);
      path = kk < head || shown == npaths ? kk : npaths - 1;
      if (kk == head && shown < npaths)
        fadj_buf_printf (b, " + \\cdots");
      if (kk > 0)
        fadj_buf_puts (b, " + ");
      path_indices (k, &s, t, c, path);
      n = path_factors (fac, t, c, k, s);
      for (q = 0; q < n && st == FADJ_OK; q++)
        {
          if (q > 0)
            fadj_buf_puts (b, "\\cdot ");
          st = put_factor (b, approx, fac + q, f);
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
  for (q = 0; q < nf; q++)
    fadj_num_clear (fac + q);
  free (fac);
  free (k);
  if (st == FADJ_OK && fadj_buf_status (b) != FADJ_OK)
    st = fadj_buf_status (b);
  if (st != FADJ_OK)
    fadj_buf_truncate (b, start);
  return st;
}

/* ------------------------------------------------------------------ */
/* The scalar chain rule of one weight (--chain), beside the two-step
   rule: the sum over paths in symbols, then with numbers, then its
   value, shown equal to the entry of Y^l_* (X^{l-1})^T.  */

void
fadj_latex_write_chain (fadj_writer *w, const fadj_latex_chain *c)
{
  const fadj_trace *t = w->t;
  size_t l = c->layer, i = c->row, j = c->col;
  int bias = j == w->net->sizes[l - 1] + 1, na = 0, agree;
  char wname[48];
  fadj_num_t sum;
  fadj_num_srcptr g = FADJ_MAT (t->grad + l, i - 1, j - 1);
  fadj_buf *b = w->b;
  fadj_status st;

  if (!fadj_writer_ok (w))
    return;
  if (bias)
    snprintf (wname, sizeof wname, "b^{%zu}_{%zu}", l, i);
  else
    snprintf (wname, sizeof wname, "w^{%zu}_{%zu%s%zu}", l, i,
              i > 9 || j > 9 ? "," : "", j);
  /* In the writer: frames use the title after this call.  */
  snprintf (w->title_buf, sizeof w->title_buf, "The chain rule for $%s$",
            wname);
  fadj_writer_section (w, w->title_buf);
  fadj_num_init (sum, &t->ctx);
  st = fadj_chain_path_sum (sum, t, c);
  if (st != FADJ_OK)
    {
      fadj_num_clear (sum);
      fadj_writer_fail (w, st);
      return;
    }
  agree = fadj_num_compatible_p (sum, g);
  fadj_buf_printf (b,
    "The two-step rule finds all of $\\partial J/\\partial W^{%zu}$ at "
    "once. The chain rule of calculus finds one entry at a time: $%s$ ",
    l, wname);
  if (bias)
    fadj_buf_printf (b, "(the bias of neuron %zu of layer %zu)", i, l);
  else
    fadj_buf_printf (b, "(the weight from neuron %zu of layer %zu to neuron "
                     "%zu of layer %zu)", j, l - 1, i, l);
  fadj_buf_printf (b,
    " reaches the loss along every path through the later layers, and "
    "$\\partial J/\\partial %s$ is the sum, over those paths, of the "
    "product of the derivatives along each one%s.\n",
    wname, t->m > 1 ? " (and over the samples)" : "");
  w->active = l;
  fadj_writer_align_begin (w);
  fadj_writer_step_begin (w);
  w->in_step = 1;
  fadj_writer_align_newline (w);
  fadj_buf_printf (b, "\\frac{\\partial J}{\\partial %s} &= ", wname);
  fadj_latex_chain_symbolic (b, t, c, w->same_act, w->sep);
  fadj_buf_reset (w->sub);
  st = fadj_latex_chain_numbers (w->sub, &na, t, c, &w->fmt,
                                 w->width - 6);
  if (st != FADJ_OK)
    fadj_writer_fail (w, st);
  if (fadj_writer_ok (w) && w->box != FADJ_BOX_NONE)
    {
      /* On a worksheet the path products are boxes too.  */
      fadj_latex_numfmt f = w->fmt;
      f.box = w->box;
      fadj_buf_reset (w->sub);
      na = 0;
      fadj_writer_fail (w, fadj_latex_chain_numbers (w->sub, &na, t, c, &f,
                                         w->width - 6));
    }
  fadj_writer_check_scratch (w);
  if (!fadj_writer_ok (w))
    {
      fadj_num_clear (sum);
      return;
    }
  fadj_writer_align_newline (w);
  fadj_buf_printf (b, w->beamer ? "&\\uncover<2->{%s %s}" : "&%s %s",
                   fadj_writer_rel (na), fadj_buf_data (w->sub, NULL));
  fadj_buf_reset (w->res);
  {
    int ra = 0;
    fadj_writer_put_num (w, w->res, &ra, sum);
    fadj_writer_align_newline (w);
    fadj_buf_printf (b, w->beamer ? "&\\uncover<3->{%s %s}" : "&%s %s",
                     fadj_writer_rel (na || ra), fadj_buf_data (w->res, NULL));
    /* The same number as the entry of the gradient, by the theorem.  */
    fadj_writer_align_newline (w);
    fadj_buf_printf (b, "%s&%s \\bigl(Y^{%zu}_{*}\\,(X^{%zu})^{\\top}"
                     "\\bigr)_{%zu%s%zu}",
                     w->beamer ? "\\uncover<4->{" : "",
                     agree ? "=" : "\\neq", l, l - 1, i,
                     i > 9 || j > 9 ? "," : "", j);
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
                     fadj_buf_data (w->res, NULL),
                     w->beamer ? "}" : "");
  }
  w->in_step = 0;
  fadj_writer_align_end (w);
  w->active = 0;
  if (agree)
    fadj_buf_printf (b,
      "This is the entry $(%zu, %zu)$ of $\\partial J/\\partial W^{%zu} = "
      "Y^{%zu}_{*}\\,(X^{%zu})^{\\top}$ found by the two-step rule%s. "
      "The two-step rule is this chain rule organised by layers: "
      "$Y^{%zu}_{*}$ already holds, for every neuron of layer %zu, the sum "
      "over all the paths above it, so each layer's sum is done once "
      "instead of once per path.\n",
      i, j, l, l, l - 1,
      t->ctx.domain == FADJ_EXACT ? ", exactly" : " (the enclosures of the "
      "two overlap)", l, l);
  else
    fadj_buf_printf (b,
      "\\begin{center}\n\\fbox{\\parbox{0.9\\linewidth}{"
      "\\textbf{CHAIN RULE DISAGREES.} The sum over paths is not the "
      "entry $(%zu, %zu)$ of $\\partial J/\\partial W^{%zu}$ found by the "
      "two-step rule.}}\n\\end{center}\n", i, j, l);
  fadj_num_clear (sum);
}
