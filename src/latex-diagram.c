/* latex-diagram.c -- the network as a TikZ picture: one column of
   neurons per layer, edges labelled with their weights, each neuron with
   its forward value X^l_i inside and its adjoint Y^l_{*,i} (X^0_{*,i} at
   the inputs) below it, the bias as a node of its own, and a legend.

   Two kinds of value, told apart by more than colour so that a black and
   white copy still reads: the adjoint is in a dashed frame, in italics of
   the second colour.  The active layer of a slide is drawn thick and
   shaded.  A layer of more than MAX_SHOW neurons is drawn with its first
   MAX_SHOW - 2 neurons, a vertical ellipsis and its last neuron, the same
   elision as the matrices (fadj_latex_elide).  */

#include "fadj-impl.h"

#include <string.h>

/* Edge labels only between layers this small: beyond, they collide.  */
#define LABEL_MAX_NEURONS 6
/* Geometry in cm: vertical distance between neurons, and the widest the
   picture may be before the columns move closer.  */
#define DY 1.9
#define DX_MAX 4.0
#define DX_MIN 2.4
#define PICTURE_WIDTH 13.0

/* The vertical position of shown slot K of N slots, centred on 0.  */
static double
slot_y (size_t k, size_t n)
{
  return ((double) (n - 1) / 2.0 - (double) k) * DY;
}

/* Append the value X as the document prints it, or nothing when the
   worksheet hides it (BOX_BLANK) because it is computed, not GIVEN.  */
static fadj_status
put_value (fadj_buf *b, fadj_num_srcptr x, const fadj_latex_numfmt *f,
           int given)
{
  if (f->box == FADJ_BOX_BLANK && !given)
    return FADJ_OK;
  fadj_buf_puts (b, "$");
  {
    /* Unboxed (the picture shows values), a zero to the working
       precision marked as everywhere else.  */
    fadj_latex_numfmt unboxed = *f;
    fadj_status st;
    unboxed.box = FADJ_BOX_NONE;
    st = fadj_latex_number_fmt (b, NULL, x, &unboxed);
    if (st != FADJ_OK)
      return st;
  }
  fadj_buf_puts (b, "$");
  return FADJ_OK;
}

/* Layer L's neurons as drawn: *SHOWN neurons (the first *HEAD, then the
   last), plus an ellipsis slot when elided; *SLOTS in all.  */
static void
layer_slots (size_t *shown, size_t *head, size_t *slots, size_t n,
             const fadj_latex_numfmt *f)
{
  fadj_latex_elide (shown, head, n, f->max_show);
  *slots = *shown + (*shown < n);
}

/* The slot of shown neuron K.  */
static size_t
neuron_slot (size_t k, size_t shown, size_t head, size_t n)
{
  return k < head || shown == n ? k : k + 1;
}

/* The index in the layer of shown neuron K.  */
static size_t
neuron_index (size_t k, size_t shown, size_t head, size_t n)
{
  return k < head || shown == n ? k : n - 1;
}

/* The legend of the picture, from height YMIN down; VALUES: the
   neurons show their values (not a blank worksheet).  */
static void
put_legend (fadj_buf *b, const fadj_trace *t, double dx, double ymin,
            int values, const char *ix)
{
  size_t L = t->L;

  fadj_buf_printf (b,
    "  \\node[anchor=north west, font=\\footnotesize, align=left, "
    "text width=%.1fcm] at (-0.8, %.2f) {\n",
    dx * (double) L + 1.6 > 12.5 ? dx * (double) L + 1.6 : 12.5,
    ymin - 0.3);
  if (values)
    fadj_buf_printf (b,
      "    \\tikz\\node[neuron, minimum size=0.4cm]{};~forward value "
      "$X^{%s}_{i}$ \\quad\n"
      "    \\tikz\\node[adjoint]{$Y_{*}$};~adjoint $Y^{%s}_{*,i}$ "
      "(at the inputs $X^{0}_{*,i}$) \\quad\n"
      "    edge label: weight $w^{%s}_{ij}$\\\\\n"
      "    \\tikz\\node[bias, minimum size=0.4cm]{$1$};~bias input, "
      "edge label $b^{%s}_{i}$%s\n", ix, ix, ix, ix,
      t->m > 1 ? "; values of the first sample" : "");
  else
    fadj_buf_printf (b,
      "    \\tikz\\node[neuron, minimum size=0.4cm]{};~neuron "
      "$X^{%s}_{i}$ \\quad edge: weight $w^{%s}_{ij}$ \\quad\n"
      "    \\tikz\\node[bias, minimum size=0.4cm]{$1$};~bias input\n",
      ix, ix);
  fadj_buf_puts (b, "  };\n\\end{tikzpicture}");
}

fadj_status
fadj_latex_diagram (fadj_buf *b, const fadj_trace *t,
                    const fadj_latex_numfmt *f, size_t active,
                    const char *ix)
{
  const fadj_net *net = t->net;
  size_t start = fadj_buf_len (b), L = t->L, l, k, k2;
  double dx, ymin = 0;
  int values = f->box != FADJ_BOX_BLANK;
  fadj_status st = FADJ_OK;

  dx = PICTURE_WIDTH / (double) (L > 0 ? L : 1);
  dx = dx > DX_MAX ? DX_MAX : dx < DX_MIN ? DX_MIN : dx;
  fadj_buf_puts (b,
    "\\begin{tikzpicture}[x=1cm, y=1cm, >=stealth,\n"
    "  neuron/.style={circle, draw, minimum size=1.45cm, inner sep=1pt,"
    " font=\\scriptsize},\n"
    "  active/.style={very thick, fill=black!12},\n"
    "  bias/.style={rectangle, draw, minimum size=0.6cm, font=\\scriptsize},\n"
    "  adjoint/.style={draw=blue!70!black, dashed, text=blue!70!black,"
    " font=\\scriptsize, inner sep=2pt, fill=white},\n"
    "  weight/.style={font=\\scriptsize, fill=white, inner sep=1pt, pos=0.3,"
    " sloped},\n"
    "  edge/.style={->, draw=black!60},\n"
    "  hot/.style={->, draw=black, thick}]\n");

  /* Neurons, layer by layer, with the forward value inside and the
     adjoint below.  */
  for (l = 0; l <= L && st == FADJ_OK; l++)
    {
      size_t n = net->sizes[l], shown, head, slots;
      const fadj_mat *xm = l == 0 ? &net->input : t->X + l;
      const fadj_mat *am = l == 0 ? t->xs : t->ys + l;

      layer_slots (&shown, &head, &slots, n, f);
      fadj_buf_printf (b, "  \\node[font=\\small] at (%.2f, %.2f) {%s};\n",
                       dx * (double) l, slot_y (0, slots) + 1.25,
                       l == 0 ? "input $X^{0}$"
                       : l == L ? "output" : "");
      if (l > 0)
        fadj_buf_printf (b, "  \\node[font=\\small] at (%.2f, %.2f) "
                         "{layer %zu};\n", dx * (double) l,
                         slot_y (0, slots) + 1.25 + (l == L ? 0.4 : 0), l);
      for (k = 0; k < shown && st == FADJ_OK; k++)
        {
          size_t i = neuron_index (k, shown, head, n);
          double y = slot_y (neuron_slot (k, shown, head, n), slots);

          fadj_buf_printf (b, "  \\node[neuron%s] (n%zu-%zu) at (%.2f, %.2f)"
                           " {", l == active && l > 0 ? ", active" : "",
                           l, i, dx * (double) l, y);
          if (values || l == 0)
            st = put_value (b, FADJ_MAT (xm, i, 0), f, l == 0);
          else
            fadj_buf_printf (b, "$X^{%zu}_{%zu}$", l, i + 1);
          fadj_buf_puts (b, "};\n");
          if (st != FADJ_OK)
            break;
          if (values)
            {
              fadj_buf_printf (b, "  \\node[adjoint, anchor=north] at "
                               "([yshift=-3pt]n%zu-%zu.south) {", l, i);
              st = put_value (b, FADJ_MAT (am, i, 0), f, 0);
              fadj_buf_puts (b, "};\n");
            }
          if (y - 1.1 < ymin)
            ymin = y - 1.1;
        }
      if (shown < n)
        fadj_buf_printf (b, "  \\node at (%.2f, %.2f) {$\\vdots$};\n",
                         dx * (double) l, slot_y (head, slots));
    }

  /* Edges with the weights, and the bias nodes below the previous layer
     with edges labelled by the biases.  */
  for (l = 1; l <= L && st == FADJ_OK; l++)
    {
      const fadj_layer *ly = net->layers + l - 1;
      size_t n = net->sizes[l], np = net->sizes[l - 1];
      size_t sh, hd, sl, shp, hdp, slp;
      int labels = n <= LABEL_MAX_NEURONS && np <= LABEL_MAX_NEURONS;
      const char *style = l == active ? "hot" : "edge";

      layer_slots (&sh, &hd, &sl, n, f);
      layer_slots (&shp, &hdp, &slp, np, f);
      for (k = 0; k < sh && st == FADJ_OK; k++)
        {
          size_t i = neuron_index (k, sh, hd, n);
          for (k2 = 0; k2 < shp && st == FADJ_OK; k2++)
            {
              size_t j = neuron_index (k2, shp, hdp, np);
              fadj_buf_printf (b, "  \\draw[%s] (n%zu-%zu) -- ", style,
                               l - 1, j);
              if (labels)
                {
                  fadj_buf_puts (b, "node[weight] {");
                  st = put_value (b, FADJ_MAT (&ly->w, i, j), f, 1);
                  fadj_buf_puts (b, "} ");
                }
              fadj_buf_printf (b, "(n%zu-%zu);\n", l, i);
            }
        }
      if (ly->has_bias && st == FADJ_OK)
        {
          double yb = slot_y (slp - 1, slp) - 1.6;
          fadj_buf_printf (b, "  \\node[bias%s] (b%zu) at (%.2f, %.2f) "
                           "{$1$};\n", l == active ? ", active" : "", l,
                           dx * (double) (l - 1) + 0.9, yb);
          if (yb - 0.5 < ymin)
            ymin = yb - 0.5;
          for (k = 0; k < sh && st == FADJ_OK; k++)
            {
              size_t i = neuron_index (k, sh, hd, n);
              fadj_buf_printf (b, "  \\draw[%s, dotted] (b%zu) -- ", style, l);
              if (labels)
                {
                  fadj_buf_puts (b, "node[weight] {");
                  st = put_value (b, FADJ_MAT (&ly->b, i, 0), f, 1);
                  fadj_buf_puts (b, "} ");
                }
              fadj_buf_printf (b, "(n%zu-%zu);\n", l, i);
            }
        }
    }

  /* The legend, under the picture.  */
  if (st == FADJ_OK)
    put_legend (b, t, dx, ymin, values, ix);
  if (st == FADJ_OK && fadj_buf_status (b) != FADJ_OK)
    st = fadj_buf_status (b);
  if (st != FADJ_OK)
    fadj_buf_truncate (b, start);
  return st;
}
