/* latex-symbolic.c -- the steps of the derivation in symbols, before
   the numbers.  Entry by entry for small layers (up to
   FADJ_SYMBOLIC_MAX_NEURONS on either side): Y^1_1 = w^1_{11} X^0_1 +
   w^1_{12} X^0_2 + b^1_1, and so on, where writing every entry helps a
   student see what the matrix product does.  Beyond, the lines would
   only repeat one pattern, so a wider layer gets that pattern once, with
   a generic index: Y^l_i = sum_j w^l_{ij} X^{l-1}_j + b^l_i for
   i = 1, ..., N_l.  */

#include "fadj-impl.h"

int
fadj_latex_symbolic_p (const fadj_net *net, size_t l)
{
  return l >= 1 && l <= net->nlayers
         && net->sizes[l] <= FADJ_SYMBOLIC_MAX_NEURONS
         && net->sizes[l - 1] <= FADJ_SYMBOLIC_MAX_NEURONS;
}

static void
put_sigma (fadj_buf *b, size_t l, int same_act, int prime)
{
  if (same_act)
    fadj_buf_printf (b, "\\sigma%s", prime ? "'" : "");
  else
    fadj_buf_printf (b, "\\sigma_{%zu}%s", l, prime ? "'" : "");
}

/* The 1/m of a batch mean before a gradient, which the mean's J has and
   each sample's Y^l_* has not.  */
static void
put_mean (fadj_buf *b, const fadj_net *net)
{
  if (net->batch == FADJ_BATCH_MEAN && net->nsamples > 1)
    fadj_buf_puts (b, "\\frac{1}{m}\\,");
}

/* ",\quad I = 1, ..., N": the values of a generic index.  */
static void
put_range (fadj_buf *b, const char *ix, size_t n)
{
  fadj_buf_printf (b, ",\\quad %s = 1", ix);
  if (n == 2)
    fadj_buf_puts (b, ", 2");
  else if (n > 2)
    fadj_buf_printf (b, ", \\dots, %zu", n);
}

/* Step K of layer L with a generic index: one line, the pattern of every
   entry (fadj_latex_symbolic for a wide layer).  */
static void
put_generic (fadj_buf *b, const fadj_net *net, fadj_sym_kind k, size_t l,
             int same_act)
{
  size_t n = net->sizes[l], np = net->sizes[l - (l > 0)];
  const fadj_layer *ly = l > 0 ? net->layers + l - 1 : NULL;
  int half = net->loss == FADJ_LOSS_HALF_SQUARED;

  switch (k)
    {
    case FADJ_SYM_Y:
      fadj_buf_printf (b, "Y^{%zu}_{i} &= \\sum_{j=1}^{%zu} w^{%zu}_{ij}\\,"
                       "X^{%zu}_{j}", l, np, l, l - 1);
      if (ly->has_bias)
        fadj_buf_printf (b, " + b^{%zu}_{i}", l);
      put_range (b, "i", n);
      break;
    case FADJ_SYM_X:
      fadj_buf_printf (b, "X^{%zu}_{i} &= ", l);
      put_sigma (b, l, same_act, 0);
      fadj_buf_printf (b, "(Y^{%zu}_{i})", l);
      put_range (b, "i", n);
      break;
    case FADJ_SYM_SEED:
      fadj_buf_printf (b, "X^{%zu}_{*,i} &= %sX^{%zu}_{i} - y_{i}%s", l,
                       half ? "" : "2(", l, half ? "" : ")");
      put_range (b, "i", n);
      break;
    case FADJ_SYM_STEP1:
      fadj_buf_printf (b, "Y^{%zu}_{*,i} &= X^{%zu}_{*,i}\\,", l, l);
      put_sigma (b, l, same_act, 1);
      fadj_buf_printf (b, "(Y^{%zu}_{i})", l);
      put_range (b, "i", n);
      break;
    case FADJ_SYM_STEP2:
      fadj_buf_printf (b, "X^{%zu}_{*,j} &= \\sum_{i=1}^{%zu} w^{%zu}_{ij}\\,"
                       "Y^{%zu}_{*,i}", l - 1, n, l, l);
      put_range (b, "j", np);
      break;
    case FADJ_SYM_GRAD:
    default:
      fadj_buf_printf (b, "\\frac{\\partial J}{\\partial w^{%zu}_{ij}} &= ",
                       l);
      put_mean (b, net);
      fadj_buf_printf (b, "Y^{%zu}_{*,i}\\,X^{%zu}_{j}", l, l - 1);
      if (ly->has_bias)
        {
          fadj_buf_printf (b, ",\\quad \\frac{\\partial J}{\\partial "
                           "b^{%zu}_{i}} = ", l);
          put_mean (b, net);
          fadj_buf_printf (b, "Y^{%zu}_{*,i}", l);
        }
      put_range (b, "i", n);
      put_range (b, "j", np);
      break;
    }
}

void
fadj_latex_symbolic (fadj_buf *b, const fadj_net *net, fadj_sym_kind k,
                     size_t l, int same_act)
{
  size_t n = net->sizes[l], np = net->sizes[l - (l > 0)], i, j;
  const fadj_layer *ly = l > 0 ? net->layers + l - 1 : NULL;
  int half = net->loss == FADJ_LOSS_HALF_SQUARED;

  if (!fadj_latex_symbolic_p (net, l))
    {
      put_generic (b, net, k, l, same_act);
      return;
    }
  switch (k)
    {
    case FADJ_SYM_Y:
      /* One line per neuron: the row of W^l times X^{l-1}.  */
      for (i = 1; i <= n; i++)
        {
          fadj_buf_printf (b, "%sY^{%zu}_{%zu} &= ", i > 1 ? "\\\\\n" : "",
                           l, i);
          for (j = 1; j <= np; j++)
            fadj_buf_printf (b, "%sw^{%zu}_{%zu%s%zu}\\,X^{%zu}_{%zu}",
                             j > 1 ? " + " : "", l, i,
                             i > 9 || j > 9 ? "," : "", j, l - 1, j);
          if (ly->has_bias)
            fadj_buf_printf (b, " + b^{%zu}_{%zu}", l, i);
        }
      break;
    case FADJ_SYM_X:
      for (i = 1; i <= n; i++)
        {
          fadj_buf_printf (b, "%sX^{%zu}_{%zu} %s ", i > 1 ? ",\\quad " : "",
                           l, i, i > 1 ? "=" : "&=");
          put_sigma (b, l, same_act, 0);
          fadj_buf_printf (b, "(Y^{%zu}_{%zu})", l, i);
        }
      break;
    case FADJ_SYM_SEED:
      for (i = 1; i <= n; i++)
        fadj_buf_printf (b, "%sX^{%zu}_{*,%zu} %s %sX^{%zu}_{%zu} - y_{%zu}%s",
                         i > 1 ? ",\\quad " : "", l, i, i > 1 ? "=" : "&=",
                         half ? "" : "2(", l, i, i, half ? "" : ")");
      break;
    case FADJ_SYM_STEP1:
      for (i = 1; i <= n; i++)
        {
          fadj_buf_printf (b, "%sY^{%zu}_{*,%zu} %s X^{%zu}_{*,%zu}\\,",
                           i > 1 ? ",\\quad " : "", l, i, i > 1 ? "=" : "&=",
                           l, i);
          put_sigma (b, l, same_act, 1);
          fadj_buf_printf (b, "(Y^{%zu}_{%zu})", l, i);
        }
      break;
    case FADJ_SYM_STEP2:
      /* One line per input of the layer: the column of W^l (without
         the bias) against Y^l_*.  */
      for (j = 1; j <= np; j++)
        {
          fadj_buf_printf (b, "%sX^{%zu}_{*,%zu} &= ", j > 1 ? "\\\\\n" : "",
                           l - 1, j);
          for (i = 1; i <= n; i++)
            fadj_buf_printf (b, "%sw^{%zu}_{%zu%s%zu}\\,Y^{%zu}_{*,%zu}",
                             i > 1 ? " + " : "", l, i,
                             i > 9 || j > 9 ? "," : "", j, l, i);
        }
      break;
    case FADJ_SYM_GRAD:
    default:
      fadj_buf_printf (b, "\\frac{\\partial J}{\\partial W^{%zu}} &= ", l);
      put_mean (b, net);
      fadj_buf_puts (b, "\\begin{bmatrix}");
      for (i = 1; i <= n; i++)
        {
          if (i > 1)
            fadj_buf_puts (b, "\\\\ ");
          for (j = 1; j <= np; j++)
            fadj_buf_printf (b, "%sY^{%zu}_{*,%zu} X^{%zu}_{%zu}",
                             j > 1 ? " & " : "", l, i, l - 1, j);
          if (ly->has_bias)
            fadj_buf_printf (b, " & Y^{%zu}_{*,%zu}", l, i);
        }
      fadj_buf_puts (b, "\\end{bmatrix}");
      break;
    }
}
