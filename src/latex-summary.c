/* latex-summary.c -- the document's summary (fadj-explain --summary):
   every neuron's Y, X, sigma', Y_* and X_* in one table, layer by
   layer, and every gradient, on a page of its own after the
   derivation.  The numbers are the trace's, printed by the writer's
   number functions, so that they read exactly as in the sections
   above; this file only arranges them.  */

#include "latex-writer.h"

#include <stdlib.h>
#include <string.h>

/* The quantities of a row, in the order of the columns.  */
enum
{
  COL_Y, COL_X, COL_DSIG, COL_YS, COL_XS, NCOLS
};

/* The gap between two columns of a tabular (2 \tabcolsep = 12pt) and
   the row labels' columns, in digit widths (fadj_latex_width).  */
#define GAP 2.4
#define LABELS (2 * 2.0 + 2 * GAP)

/* The table's cells, row by row (layers 0..L, neurons in order), each
   a NUL-terminated string of LaTeX prose ("" for none).  */
typedef struct
{
  size_t rows;
  char **cell;            /* rows x NCOLS */
  size_t *layer, *neuron; /* each row's layer and neuron (0-based) */
  double width[NCOLS];    /* the widest cell of each column */
  int frac;               /* some cell is a fraction (taller rows) */
} table;

static void
table_free (table *tb)
{
  size_t k;

  if (tb->cell != NULL)
    for (k = 0; k < tb->rows * NCOLS; k++)
      free (tb->cell[k]);
  free (tb->cell);
  free (tb->layer);
  free (tb->neuron);
}

/* The column headers, as the sections above name the quantities (%s:
   the layer index letter).  */
static const char *const heads[NCOLS] = {
  "$Y^{%s}_{i}$", "$X^{%s}_{i}$", "$\\sigma'(Y^{%s}_{i})$",
  "$Y^{%s}_{*,i}$", "$X^{%s}_{*,i}$"
};

/* Cell (ROW, COL) of TB: entry (I, 0) of M (the first sample) in
   $...$, boxed on a worksheet unless GIVEN (the network's input).  */
static void
put_cell (fadj_writer *w, table *tb, size_t row, int col, const fadj_mat *m,
          size_t i, int given)
{
  char *s;
  double wd;

  const char *num;
  size_t n;

  if (!fadj_writer_ok (w))
    return;
  fadj_buf_reset (w->tmp);
  if (given)
    fadj_writer_put_number (w, w->tmp, NULL, FADJ_MAT (m, i, 0));
  else
    fadj_writer_put_num (w, w->tmp, NULL, FADJ_MAT (m, i, 0));
  fadj_writer_check_scratch (w);
  if (!fadj_writer_ok (w))
    return;
  num = fadj_buf_data (w->tmp, &n);
  wd = fadj_latex_width (num, n);
  /* A fraction at display size, as in the matrices: a text-size one is
     hard to read on paper.  */
  s = malloc (n + 20);
  if (s == NULL)
    {
      fadj_writer_fail (w, FADJ_ERR_NOMEM);
      return;
    }
  if (strstr (num, "frac{") != NULL)
    {
      tb->frac = 1;
      snprintf (s, n + 20, "$\\displaystyle %s$", num);
    }
  else
    snprintf (s, n + 20, "$%s$", num);
  tb->cell[row * NCOLS + col] = s;
  if (wd > tb->width[col])
    tb->width[col] = wd;
}

/* A cell of text S (a softmax's remark).  */
static void
put_text_cell (fadj_writer *w, table *tb, size_t row, int col, const char *s)
{
  char *c = strdup (s);

  if (c == NULL)
    {
      fadj_writer_fail (w, FADJ_ERR_NOMEM);
      return;
    }
  tb->cell[row * NCOLS + col] = c;
  if (fadj_writer_width (s) > tb->width[col])
    tb->width[col] = fadj_writer_width (s);
}

/* Fill TB from the trace: a row per neuron of every layer, layer 0 (the
   inputs: X^0 and X^0_* only) first.  */
static void
table_fill (fadj_writer *w, table *tb)
{
  const fadj_trace *t = w->t;
  size_t l, i, row = 0, k;

  for (l = 0; l <= t->L; l++)
    tb->rows += w->net->sizes[l];
  tb->cell = calloc (tb->rows * NCOLS, sizeof *tb->cell);
  tb->layer = calloc (tb->rows, sizeof *tb->layer);
  tb->neuron = calloc (tb->rows, sizeof *tb->neuron);
  if (tb->cell == NULL || tb->layer == NULL || tb->neuron == NULL)
    {
      fadj_writer_fail (w, FADJ_ERR_NOMEM);
      return;
    }
  for (k = 0; k < NCOLS; k++)
    {
      char head[64];
      snprintf (head, sizeof head, heads[k], w->ix);
      tb->width[k] = fadj_writer_width (head);
    }
  for (l = 0; l <= t->L; l++)
    for (i = 0; i < w->net->sizes[l]; i++, row++)
      {
        tb->layer[row] = l;
        tb->neuron[row] = i;
        if (l == 0)
          /* X^0 from the network, where it is exact (as put_x).  */
          put_cell (w, tb, row, COL_X, &w->net->input, i, 1);
        else
          {
            const fadj_layer *ly = w->net->layers + l - 1;
            put_cell (w, tb, row, COL_Y, t->Y + l, i, 0);
            put_cell (w, tb, row, COL_X, t->X + l, i, 0);
            if (fadj_act_vector_p (ly->act))
              put_text_cell (w, tb, row, COL_DSIG, _ ("(Jacobian)"));
            else
              put_cell (w, tb, row, COL_DSIG, t->dsig + l, i, 0);
            put_cell (w, tb, row, COL_YS, t->ys + l, i, 0);
          }
        put_cell (w, tb, row, COL_XS, t->xs + l, i, 0);
      }
  for (k = 0; k < tb->rows * NCOLS && fadj_writer_ok (w); k++)
    if (tb->cell[k] == NULL && (tb->cell[k] = strdup ("")) == NULL)
      fadj_writer_fail (w, FADJ_ERR_NOMEM);
}

/* The most rows in one tabular: a tabular does not break across pages,
   and 30 rows at \arraystretch 1.3 with their head take about 500pt of
   the article's 650pt of text (the 8-8-8-3 network's 27 rows fit); 18
   of display-size fractions or of a worksheet's boxes.  */
#define MAX_ROWS 30
#define MAX_ROWS_FRAC 18

/* Rows [R0, R1) of the table of columns [C0, C1) of TB: a tabular, which
   the text and Markdown translations read too (a longtable would need a
   second run of LaTeX to align its pages).  */
static void
put_table (fadj_writer *w, const table *tb, int c0, int c1, size_t r0,
           size_t r1)
{
  fadj_buf *b = w->b;
  int k;
  size_t r;

  fadj_buf_puts (b, "\\begin{center}\n");
  /* Rows tall enough for display-size fractions, or for a worksheet's
     boxes to stay apart (the center's group keeps the setting to this
     table).  */
  if (tb->frac)
    fadj_buf_puts (b, "\\renewcommand{\\arraystretch}{2.2}\n");
  else if (w->box != FADJ_BOX_NONE)
    fadj_buf_puts (b, "\\renewcommand{\\arraystretch}{1.8}\n");
  fadj_buf_puts (b, "\\begin{tabular}{rr|");
  for (k = c0; k < c1; k++)
    fadj_buf_puts (b, "r");
  fadj_buf_printf (b, "}\n$%s$ & $i$", w->ix);
  for (k = c0; k < c1; k++)
    {
      fadj_buf_puts (b, " & ");
      fadj_buf_printf (b, heads[k], w->ix);
    }
  fadj_buf_puts (b, "\\\\\n\\hline\n");
  for (r = r0; r < r1; r++)
    {
      int first = r == r0 || tb->layer[r] != tb->layer[r - 1];
      if (first && r > r0)
        fadj_buf_puts (b, "\\hline\n");
      if (first)
        fadj_buf_printf (b, "%zu & %zu", tb->layer[r], tb->neuron[r] + 1);
      else
        fadj_buf_printf (b, " & %zu", tb->neuron[r] + 1);
      for (k = c0; k < c1; k++)
        fadj_buf_printf (b, " & %s", tb->cell[r * NCOLS + k]);
      fadj_buf_puts (b, "\\\\\n");
    }
  fadj_buf_puts (b, "\\end{tabular}\n\\end{center}\n");
}

/* The end of the rows of the tabular that begins at row R0: whole
   layers while at most MAX_ROWS (MAX_ROWS_FRAC) fit, else that many
   rows of a layer.  */
static size_t
rows_end (const fadj_writer *w, const table *tb, size_t r0)
{
  size_t r = r0, r1 = r0;
  size_t most = tb->frac || w->box != FADJ_BOX_NONE ? MAX_ROWS_FRAC
                : MAX_ROWS;

  while (r < tb->rows && r - r0 < most)
    {
      r++;
      if (r == tb->rows || tb->layer[r] != tb->layer[r - 1])
        r1 = r;                 /* a layer ends here */
    }
  return r1 > r0 ? r1 : r;
}

/* Whether columns [C0, C1) of TB fit the text width beside the row
   labels.  */
static int
fits (const fadj_writer *w, const table *tb, int c0, int c1)
{
  double used = LABELS;
  int k;

  for (k = c0; k < c1; k++)
    used += tb->width[k] + GAP;
  return used <= w->width;
}

/* The tables: all five columns in one when the text width holds them
   (the usual digits); else the values (Y, X, sigma') and the adjoints
   (Y_*, X_*) apart; else as many columns in each as fit.  The row
   labels are repeated, and each table has as many rows as a page
   holds.  */
static void
put_tables (fadj_writer *w, const table *tb)
{
  int c0 = 0, c1;
  size_t r0, r1;

  while (c0 < NCOLS && fadj_writer_ok (w))
    {
      if (fits (w, tb, c0, NCOLS))
        c1 = NCOLS;
      else if (c0 == COL_Y && fits (w, tb, COL_Y, COL_YS)
               && fits (w, tb, COL_YS, NCOLS))
        c1 = COL_YS;
      else
        for (c1 = c0 + 1; c1 < NCOLS && fits (w, tb, c0, c1 + 1); c1++)
          ;
      for (r0 = 0; r0 < tb->rows; r0 = r1)
        {
          r1 = rows_end (w, tb, r0);
          put_table (w, tb, c0, c1, r0, r1);
        }
      c0 = c1;
    }
}

/* Every gradient dJ/dW^l, as the gradients' section prints its result:
   the bias column after a rule, or dJ/db^l apart.  */
static void
put_gradients (fadj_writer *w)
{
  const fadj_trace *t = w->t;
  fadj_buf *b = w->b;
  size_t l;

  fadj_writer_align_begin (w);
  for (l = 1; l <= t->L; l++)
    {
      const fadj_layer *ly = w->net->layers + l - 1;
      size_t nw = ly->w.cols;
      int a = 0;

      fadj_buf_reset (w->res);
      if (ly->has_bias && !w->sep)
        fadj_writer_put_mat (w, w->res, &a, t->grad + l, NULL, NULL, nw);
      else
        fadj_writer_put_view (w, w->res, &a, t->grad + l, 0, nw, 0, 0);
      fadj_writer_check_scratch (w);
      fadj_writer_align_newline (w);
      fadj_buf_printf (b, "\\frac{\\partial J}{\\partial W^{%zu}} &%s %s",
                       l, fadj_writer_rel (a), fadj_buf_data (w->res, NULL));
      if (!ly->has_bias || !(w->sep || ly->bias_shared))
        continue;
      fadj_buf_reset (w->res);
      a = 0;
      if (ly->bias_shared)
        fadj_writer_put_num (w, w->res, &a, t->gb[l].e);
      else
        fadj_writer_put_view (w, w->res, &a, t->grad + l, nw, 1, 0, 0);
      fadj_writer_check_scratch (w);
      fadj_writer_align_newline (w);
      fadj_buf_printf (b, "\\frac{\\partial J}{\\partial b^{%zu}} &%s %s",
                       l, fadj_writer_rel (a), fadj_buf_data (w->res, NULL));
    }
  fadj_writer_align_end (w);
}

void
fadj_latex_write_summary (fadj_writer *w)
{
  const fadj_trace *t = w->t;
  fadj_buf *b = w->b;
  table tb = { 0 };
  size_t l;
  int vector = 0;

  /* A deck has its frames for every step; the summary is a handout's
     page (fadj-explain refuses --summary with --beamer).  */
  if (w->beamer || !fadj_writer_ok (w))
    return;
  for (l = 1; l <= t->L; l++)
    vector |= fadj_act_vector_p (w->net->layers[l - 1].act);
  if (!(w->flags & FADJ_LATEX_FRAGMENT))
    fadj_buf_puts (b, "\n\\clearpage");
  fadj_writer_section (w, _ ("Summary"));
  if (t->m > 1)
    fadj_buf_printf (b, _ ("Every neuron $i$ of every layer $%s$ at a glance, "
                           "for the first sample ($s = 1$) of the %zu in "
                           "the batch: the other samples' values are in the "
                           "sections above. "), w->ix, t->m);
  else
    fadj_buf_printf (b, _ ("Every neuron $i$ of every layer $%s$ at a "
                           "glance. "), w->ix);
  fadj_buf_puts (b, _ ("Layer 0 is the input: $X^{0}$ and $X^{0}_{*}$. "));
  if (t->ctx.domain == FADJ_EXACT)
    fadj_buf_puts (b, _ ("Every number is exact."));
  else
    fadj_buf_printf (b, _ ("Numbers with %d significant digits are rounded, "
                         "as above; the others are exact."), w->digits);
  if (vector)
    fadj_buf_printf (b, _ (" A softmax has no $\\sigma'$ of one neuron: its "
                         "derivative is the Jacobian of the whole layer "
                         "(the F-adjoint section writes it out), and "
                         "$Y^{%s}_{*}$ is that Jacobian, transposed, times "
                         "$X^{%s}_{*}$."), w->ix, w->ix);
  fadj_buf_puts (b, "\n");
  table_fill (w, &tb);
  if (fadj_writer_ok (w))
    put_tables (w, &tb);
  table_free (&tb);
  {
    char cite[64];
    fadj_writer_cite (cite, sizeof cite, w->grad_eq0, w->grad_eq1);
    fadj_buf_printf (b, t->m > 1
                     ? _ ("\n\\noindent The gradients of the whole batch%s:\n")
                     : _ ("\n\\noindent The gradients%s:\n"), cite);
  }
  put_gradients (w);
}
