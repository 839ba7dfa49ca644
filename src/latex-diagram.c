/* latex-diagram.c -- the network as a TikZ picture: one column of
   neurons per layer, each neuron with its forward value X^l_i inside and,
   as --diagram asks, its adjoint Y^l_{*,i} (X^0_{*,i} at the inputs)
   below it, or also Y^l_i above it and X^l_{*,i} below; the weights on
   the edges, the bias as a node "1" below the previous layer (the 1 the
   author appends to X^{l-1}) with dotted edges, and a legend.

   Every label is horizontal and set at the size of the picture's text,
   and is placed (diagram-layout.c) on its own edge where it meets no
   other label, value, node or edge, the bias edges included: a reader
   can always tell which edge a number belongs to.  Between two layers
   whose edges leave no such place (dense layers with long numbers), the
   weights are written instead as the matrix [W^l | b^l] under the
   picture: a lecturer reads 25 numbers better in a matrix than in a web
   of edges.  Beyond LABEL_MAX_NEURONS neurons the edges carry no weight
   at all, as the matrices of the document show them.

   Two kinds of value, told apart by more than colour so that a black and
   white copy still reads: the adjoint is in a dashed frame, in the second
   colour.  The active layer of a slide is drawn thick and shaded.  A
   layer of more than MAX_SHOW neurons is drawn with its first
   MAX_SHOW - 2 neurons, a vertical ellipsis and its last neuron, the same
   elision as the matrices (fadj_latex_elide).  */

#include "diagram-layout.h"
#include "i18n.h"

#include <string.h>

/* Weights on the edges only between layers this small.  */
#define LABEL_MAX_NEURONS 5
/* The most neurons of a layer a page's picture draws (the others
   elided): fadj_latex_diagram_scene.  */
#define PAGE_MAX_NEURONS 16
/* Geometry in cm: the least vertical distance between neurons and the
   least radius of a neuron; the horizontal distance between layers, from
   the widest the picture may be, within bounds.  */
#define DY_MIN 1.9
#define R_MIN 0.725
#define DX_MAX 4.6
#define DX_MIN 3.4
#define PICTURE_WIDTH 13.0
/* Between a neuron and its values, and between two values.  */
#define VALUE_GAP 0.08
/* The padding of a value's frame and of a label (TikZ inner sep).  */
#define VALUE_PAD (2 * 2 * 0.035146)
#define LABEL_PAD (2 * 1 * 0.035146)
/* The bias node's side.  */
#define BIAS_SIDE 0.6
/* The matrices' row height at \arraystretch 2 and column separation
   (2 \arraycolsep) and brackets, in cm.  */
#define MATRIX_ROW 0.68
#define MATRIX_COLSEP 0.36
#define MATRIX_BRACKETS 0.4
/* The least width of the row of matrices under the picture: within the
   16 cm of text of an A4 page with margins of 2.5 cm.  */
#define MATRIX_ROW_WIDTH 16.0
/* A slide's picture (fadj_latex_diagram_slide): the same lengths,
   smaller where the fewer digits of its values leave room, so that it
   keeps its labels at 10pt, or at 9pt at least, on a 16:9 frame; its
   legend in a column at its right, of this width.  */
#define SLIDE_R_MIN 0.5
#define SLIDE_DY_MIN 1.5
#define SLIDE_DX_MIN 2.6
#define SLIDE_WIDTH 7.0
#define SLIDE_LEGEND 3.8
/* Between the rows of a slide's picture (and above its bias nodes), and
   between the widest values of two columns.  */
#define SLIDE_ROW_GAP 0.1
#define SLIDE_COLUMN_GAP 0.9
/* A slide's values: significant digits, and the least scale (9pt of
   10pt) with a margin for the estimates of the sizes.  */
#define SLIDE_DIGITS 3
#define SLIDE_MIN_SCALE 0.92

/* What the picture is drawing.  */
typedef struct
{
  const fadj_trace *t;
  const fadj_latex_numfmt *f;
  int values;          /* the computed values are shown (no worksheet) */
  int adjoints;        /* Y_* (X^0_* at the inputs) below each neuron */
  int full;            /* and Y above it, X_* below */
  int separate;        /* biases apart from W (--bias=separate) */
  double em;           /* the font's size over \footnotesize's (a deck's
                          picture is set in its text's size) */
  double dx, dy, r;
  double above, below; /* the most height of the values above and below
                          a neuron (cm) */
  fadj_buf *tmp;
  fadj_dg_scene *s;
  /* A slide's picture: its lengths (SLIDE_*, else the article's), the
     weights it leaves out rather than write as matrices under it, and
     its legend at its right.  */
  int slide;
  double r_min, dy_min, dx_min, width;
  int dropped;         /* weights or biases left off the picture */
} diagram;

/* The vertical position of shown slot K of N slots, centred on 0.  */
static double
slot_y (const diagram *d, size_t k, size_t n)
{
  return ((double) (n - 1) / 2.0 - (double) k) * d->dy;
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

/* Set D->tmp to "$\displaystyle PREFIX X$", the value X as the document
   prints it (unboxed: the picture shows values), PREFIX followed by = or
   \approx as X is printed exactly or not; PREFIX NULL: the number
   alone.  */
static fadj_status
value_tex (diagram *d, const char *prefix, fadj_num_srcptr x)
{
  fadj_latex_numfmt unboxed = *d->f;
  fadj_buf *num = fadj_buf_new ();
  int approx = 0;
  fadj_status st;

  if (num == NULL)
    return FADJ_ERR_NOMEM;
  unboxed.box = FADJ_BOX_NONE;
  st = fadj_latex_number_fmt (num, &approx, x, &unboxed);
  fadj_buf_reset (d->tmp);
  fadj_buf_puts (d->tmp, "$\\displaystyle ");
  if (prefix != NULL)
    fadj_buf_printf (d->tmp, "%s %s ", prefix, approx ? "\\approx" : "=");
  fadj_buf_puts (d->tmp, fadj_buf_data (num, NULL));
  fadj_buf_puts (d->tmp, "$");
  fadj_buf_free (num);
  if (st == FADJ_OK)
    st = fadj_buf_status (d->tmp);
  return st;
}

/* Rewrite the fractions \frac{p}{q} of D->tmp as p/q: an edge label
   stays one line high, at the size of the digits around it, and so
   finds a place among the edges where a built-up fraction would not.  */
static fadj_status
slash_fractions (diagram *d)
{
  fadj_buf *b = fadj_buf_new ();
  const char *s = fadj_buf_data (d->tmp, NULL), *p;
  fadj_status st;

  if (b == NULL)
    return FADJ_ERR_NOMEM;
  while ((p = strstr (s, "frac{")) != NULL && p > s && p[-1] == '\\')
    {
      const char *num = p + 5, *mid = strchr (num, '}'), *end;
      if (mid == NULL || mid[1] != '{' || (end = strchr (mid + 2, '}')) == NULL)
        break;
      /* Drop the backslash and a d or t before frac.  */
      fadj_buf_printf (b, "%.*s%.*s/%.*s",
                       (int) (p - 1 - s - (p - 1 > s && (p[-2] == 'd'
                                                         || p[-2] == 't')
                                          && p - 2 > s && p[-3] == '\\')),
                       s, (int) (mid - num), num, (int) (end - mid - 2),
                       mid + 2);
      s = end + 1;
    }
  fadj_buf_puts (b, s);
  st = fadj_buf_status (b);
  if (st == FADJ_OK)
    {
      fadj_buf_reset (d->tmp);
      fadj_buf_puts (d->tmp, fadj_buf_data (b, NULL));
      st = fadj_buf_status (d->tmp);
    }
  fadj_buf_free (b);
  return st;
}

/* The size of the TeX in D->tmp, with PAD around it.  */
static void
tmp_size (double *w, double *h, const diagram *d, double pad)
{
  fadj_dg_measure (w, h, fadj_buf_data (d->tmp, NULL));
  *w = *w * d->em + pad;
  *h = *h * d->em + pad;
}

/* The text inside neuron I of layer L, into D->tmp: its value, or in a
   worksheet its symbol (the inputs are given).  */
static fadj_status
neuron_tex (diagram *d, size_t l, size_t i)
{
  const fadj_net *net = d->t->net;

  if (d->values || l == 0)
    return value_tex (d, NULL, FADJ_MAT (l == 0 ? &net->input : d->t->X + l,
                                         i, 0));
  fadj_buf_reset (d->tmp);
  fadj_buf_printf (d->tmp, "$X^{%zu}_{%zu}$", l, i + 1);
  return fadj_buf_status (d->tmp);
}

/* The values beside neuron I of layer L, in the order drawn: K = 0 the
   one above it (Y, full), K = 1, 2 those below it (Y_*, then X_*).  Sets
   D->tmp and returns FADJ_OK, or FADJ_ERR_INPUT when there is none.  */
static fadj_status
side_tex (diagram *d, size_t l, size_t i, int k)
{
  const fadj_trace *t = d->t;

  if (!d->values)
    return FADJ_ERR_INPUT;
  if (k == 0)
    return d->full && l > 0 ? value_tex (d, "Y", FADJ_MAT (t->Y + l, i, 0))
                            : FADJ_ERR_INPUT;
  if (k == 1 && l == 0)
    return d->adjoints ? value_tex (d, d->full ? "X_{*}" : NULL,
                                    FADJ_MAT (t->xs, i, 0))
                       : FADJ_ERR_INPUT;
  if (k == 1)
    return d->adjoints ? value_tex (d, d->full ? "Y_{*}" : NULL,
                                    FADJ_MAT (t->ys + l, i, 0))
                       : FADJ_ERR_INPUT;
  return d->full && l > 0 ? value_tex (d, "X_{*}", FADJ_MAT (t->xs + l, i, 0))
                          : FADJ_ERR_INPUT;
}

/* Measure every neuron's texts: the radius, the heights above and below
   a neuron, and from them the distances between neurons and layers.  */
static fadj_status
measure_neurons (diagram *d)
{
  const fadj_net *net = d->t->net;
  size_t L = d->t->L, l, k;
  double widest = 0;
  fadj_status st = FADJ_OK;

  d->r = d->r_min;
  d->above = d->below = 0;
  for (l = 0; l <= L && st == FADJ_OK; l++)
    {
      size_t n = net->sizes[l], shown, head, slots;
      layer_slots (&shown, &head, &slots, n, d->f);
      for (k = 0; k < shown && st == FADJ_OK; k++)
        {
          size_t i = neuron_index (k, shown, head, n);
          double w, h, below = 0;
          int v;
          if ((st = neuron_tex (d, l, i)) != FADJ_OK)
            break;
          tmp_size (&w, &h, d, 0);
          /* The circle goes round the text's box.  */
          if (fadj_dg_length (w, h) / 2 + 0.08 > d->r)
            d->r = fadj_dg_length (w, h) / 2 + 0.08;
          for (v = 0; v < 3 && st == FADJ_OK; v++)
            {
              st = side_tex (d, l, i, v);
              if (st == FADJ_ERR_INPUT)
                {
                  st = FADJ_OK;
                  continue;
                }
              if (st != FADJ_OK)
                break;
              tmp_size (&w, &h, d, VALUE_PAD);
              if (w > widest)
                widest = w;
              if (v == 0 && h + VALUE_GAP > d->above)
                d->above = h + VALUE_GAP;
              if (v > 0)
                below += h + VALUE_GAP;
            }
          if (below > d->below)
            d->below = below;
        }
    }
  d->dy = 2 * d->r + d->above + d->below + (d->slide ? SLIDE_ROW_GAP : 0.25);
  if (d->dy < d->dy_min)
    d->dy = d->dy_min;
  d->dx = d->width / (double) (L > 0 ? L : 1);
  d->dx = d->dx > DX_MAX ? DX_MAX : d->dx < d->dx_min ? d->dx_min : d->dx;
  if (d->dx < widest + (d->slide ? SLIDE_COLUMN_GAP : 1.6))
    d->dx = widest + (d->slide ? SLIDE_COLUMN_GAP : 1.6);
  return st;
}

/* Add neuron I of layer L at (X, Y) and its values to the scene.  */
static fadj_status
add_neuron (diagram *d, size_t l, size_t i, double x, double y)
{
  fadj_dg_scene *s = d->s;
  double w, h, yb = y - d->r;
  size_t it;
  int v;
  fadj_status st = neuron_tex (d, l, i);

  if (st != FADJ_OK)
    return st;
  it = fadj_dg_add_item (s, FADJ_DG_NEURON,
                         fadj_dg_box_at (x, y, 2 * d->r, 2 * d->r),
                         fadj_buf_data (d->tmp, NULL));
  if (s->nomem)
    return FADJ_ERR_NOMEM;
  s->items[it].layer = l;
  s->items[it].index = i;
  for (v = 0; v < 3; v++)
    {
      st = side_tex (d, l, i, v);
      if (st == FADJ_ERR_INPUT)
        continue;
      if (st != FADJ_OK)
        return st;
      tmp_size (&w, &h, d, VALUE_PAD);
      if (v == 0)
        it = fadj_dg_add_item (s, FADJ_DG_VALUE, fadj_dg_box_at
                               (x, y + d->r + VALUE_GAP + h / 2, w, h),
                               fadj_buf_data (d->tmp, NULL));
      else
        {
          it = fadj_dg_add_item (s, FADJ_DG_VALUE, fadj_dg_box_at
                                 (x, yb - VALUE_GAP - h / 2, w, h),
                                 fadj_buf_data (d->tmp, NULL));
          yb -= VALUE_GAP + h;
        }
      if (s->nomem)
        return FADJ_ERR_NOMEM;
      s->items[it].adjoint = v > 0;
      s->items[it].side = v;
      s->items[it].layer = l;
      s->items[it].index = i;
    }
  return FADJ_OK;
}

/* The neurons of every layer, their values, the layers' titles and the
   ellipses; then the edges between them, and the bias nodes with theirs.  */
static fadj_status
add_columns (diagram *d)
{
  const fadj_net *net = d->t->net;
  fadj_dg_scene *s = d->s;
  size_t L = d->t->L, l, k;
  fadj_status st = FADJ_OK;

  for (l = 0; l <= L && st == FADJ_OK; l++)
    {
      size_t n = net->sizes[l], shown, head, slots;
      double x = d->dx * (double) l, top;
      char title[64];

      layer_slots (&shown, &head, &slots, n, d->f);
      for (k = 0; k < shown && st == FADJ_OK; k++)
        st = add_neuron (d, l, neuron_index (k, shown, head, n), x,
                         slot_y (d, neuron_slot (k, shown, head, n), slots));
      if (shown < n)
        fadj_dg_add_item (s, FADJ_DG_HEADER, fadj_dg_box_at
                          (x, slot_y (d, head, slots), 0.3, 0.5),
                          "$\\vdots$");
      /* The title above the column, on two lines at the output.  */
      top = slot_y (d, 0, slots) + d->r + d->above + 0.35;
      if (l == 0)
        snprintf (title, sizeof title, _ ("input $X^{0}$"));
      else
        snprintf (title, sizeof title, _ ("%slayer %zu"),
                  l == L ? _ ("output\\\\") : "", l);
      fadj_dg_add_item (s, FADJ_DG_HEADER,
                        fadj_dg_box_at (x, top + (l == L ? 0.4 : 0.2),
                                        1.8, l == L ? 0.8 : 0.4), title);
      if (s->nomem)
        return FADJ_ERR_NOMEM;
    }
  return st;
}

/* The point where the segment from (X0, Y0) towards (X1, Y1) leaves a
   circle of radius R about (X0, Y0) (SQUARE: a square of half side R).  */
static void
leave_node (double *x, double *y, double x0, double y0, double x1, double y1,
            double r, int square)
{
  double ux = x1 - x0, uy = y1 - y0, n = fadj_dg_length (ux, uy), t;
  double ax, ay;

  ux /= n;
  uy /= n;
  ax = ux < 0 ? -ux : ux;
  ay = uy < 0 ? -uy : uy;
  t = square ? r / (ax > ay ? ax : ay) : r;
  *x = x0 + t * ux;
  *y = y0 + t * uy;
}

/* The height of a bias node under a layer of SLOTS slots: just under
   the values of its last neuron.  */
static double
bias_y (const diagram *d, size_t slots)
{
  return slot_y (d, slots - 1, slots) - d->r - d->below
         - (d->slide ? SLIDE_ROW_GAP : 0.3) - BIAS_SIDE / 2;
}

/* The edges into layer L, and its bias node: below the last neuron of
   layer L - 1, where the 1 appended to X^{l-1} would be.  */
static void
add_edges (diagram *d, size_t l)
{
  const fadj_net *net = d->t->net;
  size_t n = net->sizes[l], np = net->sizes[l - 1];
  size_t sh, hd, sl, shp, hdp, slp, k, k2;
  double x = d->dx * (double) l, xp = d->dx * (double) (l - 1);

  layer_slots (&sh, &hd, &sl, n, d->f);
  layer_slots (&shp, &hdp, &slp, np, d->f);
  for (k = 0; k < sh; k++)
    {
      double y = slot_y (d, neuron_slot (k, sh, hd, n), sl);
      for (k2 = 0; k2 <= shp; k2++)
        {
          fadj_dg_edge e;
          double yp;
          int bias = k2 == shp;
          if (bias && !net->layers[l - 1].has_bias)
            break;
          yp = bias ? bias_y (d, slp)
                    : slot_y (d, neuron_slot (k2, shp, hdp, np), slp);
          memset (&e, 0, sizeof e);
          e.bias = bias;
          e.from_l = l - 1;
          e.from_i = bias ? 0 : neuron_index (k2, shp, hdp, np);
          e.to_l = l;
          e.to_i = neuron_index (k, sh, hd, n);
          /* A bias edge ends at the west of its target, where it comes
             in under no value of the neurons below.  */
          leave_node (&e.x0, &e.y0, xp, yp, bias ? x - d->r : x, y,
                      bias ? BIAS_SIDE / 2 : d->r, bias);
          if (bias)
            {
              e.x1 = x - d->r;
              e.y1 = y;
            }
          else
            leave_node (&e.x1, &e.y1, x, y, xp, yp, d->r, 0);
          fadj_dg_add_edge (d->s, &e);
        }
    }
  if (net->layers[l - 1].has_bias)
    {
      size_t it = fadj_dg_add_item (d->s, FADJ_DG_BIAS, fadj_dg_box_at
                                    (xp, bias_y (d, slp), BIAS_SIDE,
                                     BIAS_SIDE), "$1$");
      if (!d->s->nomem)
        d->s->items[it].layer = l;
    }
}

/* Move the bias node of layer L (item BIAS) to (X, Y), with the start
   of its edges.  */
static void
move_bias (diagram *d, size_t l, size_t bias, double x, double y)
{
  fadj_dg_scene *s = d->s;
  size_t e;

  s->items[bias].box = fadj_dg_box_at (x, y, BIAS_SIDE, BIAS_SIDE);
  for (e = 0; e < s->nedges; e++)
    {
      fadj_dg_edge *g = s->edges + e;
      if (g->to_l != l || !g->bias)
        continue;
      /* Its end stays at the west of the target.  */
      leave_node (&g->x0, &g->y0, x, y, g->x1, g->y1, BIAS_SIDE / 2, 1);
    }
}

/* The label of edge G into layer L, its weight or bias, into D->tmp,
   and its size.  */
static fadj_status
edge_label (double *w, double *h, diagram *d, const fadj_dg_edge *g,
            size_t l)
{
  const fadj_layer *ly = d->t->net->layers + l - 1;
  fadj_status st = value_tex (d, NULL, g->bias
                                       ? FADJ_MAT (&ly->b, g->to_i, 0)
                                       : FADJ_MAT (&ly->w, g->to_i,
                                                   g->from_i));
  if (st == FADJ_OK)
    st = slash_fractions (d);
  tmp_size (w, h, d, LABEL_PAD);
  return st;
}

/* The most edges into one labelled layer: its weights and biases.  */
#define GAP_EDGES ((LABEL_MAX_NEURONS + 1) * LABEL_MAX_NEURONS)

/* Try to label every edge into layer L (the bias edges too if BIAS),
   those with the least room first, each label's preferred place T_PREF
   of the way along its edge (a bias's, 1 - T_PREF: its edge crosses the
   weights' near its start).  *PLACED: 1, or 0 with no label kept.  */
static fadj_status
try_labels (int *placed, diagram *d, size_t l, double t_pref, int bias)
{
  fadj_dg_scene *s = d->s;
  size_t first = s->nitems, e, n = 0, k, k2;
  size_t order[GAP_EDGES], room[GAP_EDGES];
  double w, h;
  fadj_status st = FADJ_OK;

  for (e = 0; e < s->nedges && st == FADJ_OK; e++)
    if (s->edges[e].to_l == l && (bias || !s->edges[e].bias) && n < GAP_EDGES)
      {
        st = edge_label (&w, &h, d, s->edges + e, l);
        order[n] = e;
        room[n++] = fadj_dg_label_room (s, e, w, h);
      }
  /* Insertion sort by room, stable: the order of the edges breaks
     ties.  */
  for (k = 1; k < n; k++)
    for (k2 = k; k2 > 0 && room[k2 - 1] > room[k2]; k2--)
      {
        size_t te = order[k2], tr = room[k2];
        order[k2] = order[k2 - 1];
        room[k2] = room[k2 - 1];
        order[k2 - 1] = te;
        room[k2 - 1] = tr;
      }
  *placed = 1;
  for (k = 0; k < n && *placed && st == FADJ_OK; k++)
    {
      const fadj_dg_edge *g = s->edges + order[k];
      st = edge_label (&w, &h, d, g, l);
      if (st != FADJ_OK)
        break;
      *placed = fadj_dg_place_label (s, order[k], w, h, g->bias ? 1 - t_pref
                                     : t_pref, l,
                                     fadj_buf_data (d->tmp, NULL));
      if (s->nomem)
        st = FADJ_ERR_NOMEM;
    }
  if (!*placed || st != FADJ_OK)
    {
      fadj_dg_truncate_items (s, first);
      *placed = 0;
    }
  return st;
}

/* How the weights into a layer are shown.  */
enum
{
  SHOW_NONE,           /* not at all: layers too wide */
  SHOW_MATRIX,         /* as the matrix [W^l | b^l] under the picture */
  SHOW_WEIGHTS,        /* weights on the edges, b^l under the picture */
  SHOW_EDGES           /* weights and biases on the edges */
};

/* Is IT a value of the target of edge G?  It hangs under the neuron
   the edge comes into, from below, and is drawn over the edge's end.  */
static int
own_value_p (const fadj_dg_item *it, const fadj_dg_edge *g)
{
  return it->kind == FADJ_DG_VALUE && it->layer == g->to_l
         && it->index == g->to_i;
}

/* Is the bias node of layer L (item BIAS) where neither it nor its
   edges meet anything written (but their targets' own values)?  */
static int
bias_clear_p (const diagram *d, size_t l, size_t bias)
{
  const fadj_dg_scene *s = d->s;
  size_t e, k;

  for (k = 0; k < s->nitems; k++)
    if (k != bias && fadj_dg_boxes_overlap_p (&s->items[k].box,
                                              &s->items[bias].box, 0.1))
      return 0;
  for (e = 0; e < s->nedges; e++)
    {
      const fadj_dg_edge *g = s->edges + e;
      if (g->to_l != l || !g->bias)
        continue;
      for (k = 0; k < s->nitems; k++)
        {
          const fadj_dg_item *it = s->items + k;
          if (it->kind == FADJ_DG_NEURON
              ? !(it->layer == l && it->index == g->to_i)
                && fadj_dg_segment_meets_circle_p (g->x0, g->y0, g->x1,
                                                   g->y1, &it->box)
              : k != bias && !own_value_p (it, g)
                && fadj_dg_segment_meets_p (g->x0, g->y0, g->x1, g->y1,
                                            &it->box))
            return 0;
        }
    }
  return 1;
}

/* The most places of a bias node tried.  */
#define BIAS_PLACES 4

/* Where the bias node of layer L (item BIAS, now at (X0, Y0)) may go,
   its edges clear of every other node and value (bias_clear_p): up to
   BIAS_PLACES places into XS, YS, from under layer L - 1 rightwards and
   downwards; their number.  The node is left at the first, or where it
   was if none is clear.  */
static size_t
bias_places (double *xs, double *ys, diagram *d, size_t l, size_t bias,
             double x0, double y0)
{
  size_t n = 0;
  int i, j;

  for (j = 0; j < 4 && n < BIAS_PLACES; j++)
    for (i = 0; i < 12 && n < BIAS_PLACES; i++)
      {
        double x = x0 + 0.3 + 0.3 * i, y = y0 - 0.6 * j;
        if (x > x0 + 0.7 * d->dx)
          break;
        move_bias (d, l, bias, x, y);
        /* Places apart from the last one found, for a real choice.  */
        if (bias_clear_p (d, l, bias)
            && (n == 0 || x - xs[n - 1] > 0.8 || y != ys[n - 1]))
          {
            xs[n] = x;
            ys[n++] = y;
          }
      }
  move_bias (d, l, bias, n > 0 ? xs[0] : x0, n > 0 ? ys[0] : y0);
  return n;
}

/* Label the edges into layer L with their weights and biases, each on
   its own edge clear of everything else, trying a few places of the bias
   node (bias_places) and of the labels along their edges; failing that,
   the weights alone; *SHOW says which (SHOW_*).  Labels that do not all
   find a place are not kept, and the bias node is then at its first
   place.  */
static fadj_status
label_edges (int *show, diagram *d, size_t l)
{
  static const double prefs[] = { 0.3, 0.5, 0.7, 0.2 };
  fadj_dg_scene *s = d->s;
  size_t bias = s->nitems, k, nb = 1, a, p, e, places = 0;
  double xs[BIAS_PLACES], ys[BIAS_PLACES], cx0 = 0, cx1 = 0, wmax = 0;
  int placed = 0, with, band = 0;
  fadj_status st = FADJ_OK;

  for (k = 0; k < s->nitems; k++)
    if (s->items[k].kind == FADJ_DG_BIAS && s->items[k].layer == l)
      bias = k;
  if (bias < s->nitems)
    {
      places = bias_places (xs, ys, d, l, bias,
                            (s->items[bias].box.x0
                             + s->items[bias].box.x1) / 2,
                            (s->items[bias].box.y0
                             + s->items[bias].box.y1) / 2);
      nb = places == 0 ? 1 : places;
    }
  /* The band of the picture the labels can take: each on an edge into
     the layer, a bias edge starting at one of the bias node's places.  */
  for (e = 0; e < s->nedges && st == FADJ_OK; e++)
    if (s->edges[e].to_l == l)
      {
        const fadj_dg_edge *g = s->edges + e;
        double w, h, g0 = g->x0 < g->x1 ? g->x0 : g->x1;
        double g1 = g->x0 < g->x1 ? g->x1 : g->x0;
        st = edge_label (&w, &h, d, g, l);
        cx0 = !band || g0 < cx0 ? g0 : cx0;
        cx1 = !band || g1 > cx1 ? g1 : cx1;
        wmax = w > wmax ? w : wmax;
        band = 1;
      }
  for (a = 0; a < places; a++)
    {
      cx0 = xs[a] - BIAS_SIDE / 2 < cx0 ? xs[a] - BIAS_SIDE / 2 : cx0;
      cx1 = xs[a] + BIAS_SIDE / 2 > cx1 ? xs[a] + BIAS_SIDE / 2 : cx1;
    }
  if (band)
    fadj_dg_window_begin (s, cx0, cx1, wmax, l);
  /* Weights and biases on the edges, else the weights alone.  */
  for (with = bias < s->nitems; with >= 0 && !placed; with--)
    for (a = 0; a < nb && !placed && st == FADJ_OK; a++)
      {
        if (bias < s->nitems && a > 0)
          move_bias (d, l, bias, xs[a], ys[a]);
        for (p = 0; p < sizeof prefs / sizeof prefs[0] && !placed
             && st == FADJ_OK; p++)
          st = try_labels (&placed, d, l, prefs[p], with);
        *show = with ? SHOW_EDGES : SHOW_WEIGHTS;
        if (!placed && bias < s->nitems && a > 0)
          move_bias (d, l, bias, xs[0], ys[0]);
      }
  fadj_dg_window_end (s);
  if (!placed)
    *show = SHOW_MATRIX;
  return st;
}

/* Append to B the TeX in V, "$...$", without its dollars: an entry of
   an array already in mathematics.  */
static void
put_math (fadj_buf *b, const fadj_buf *v)
{
  size_t n;
  const char *s = fadj_buf_data (v, &n);

  fadj_buf_printf (b, "%.*s", (int) (n - 2), s + 1);
}

/* Append to B the rows of the array of the weights into layer L: W^l,
   with the biases as a last column if BIAS; each column's widest entry
   (cm) into COLW.  */
static fadj_status
put_rows (fadj_buf *b, double *colw, diagram *d, size_t l, int bias)
{
  const fadj_layer *ly = d->t->net->layers + l - 1;
  size_t np = ly->w.cols, i, j;
  fadj_status st = FADJ_OK;

  for (i = 0; i < ly->w.rows && st == FADJ_OK; i++)
    for (j = 0; j < np + (bias != 0) && st == FADJ_OK; j++)
      {
        double w, h;
        st = value_tex (d, NULL, j < np ? FADJ_MAT (&ly->w, i, j)
                                        : FADJ_MAT (&ly->b, i, 0));
        if (st != FADJ_OK)
          break;
        tmp_size (&w, &h, d, 0);
        if (w > colw[j])
          colw[j] = w;
        put_math (b, d->tmp);
        fadj_buf_puts (b, j + 1 < np + (bias != 0) ? " & "
                          : i + 1 < ly->w.rows ? " \\\\ " : "");
      }
  return st;
}

/* The matrix of the weights into layer L, with the biases after a rule
   as in the document ([W^l | b^l]; W^l and then b^l with
   --bias=separate), or with SHOW SHOW_WEIGHTS the biases b^l alone, into
   B; its width in *W (cm).  */
static fadj_status
matrix_tex (fadj_buf *b, double *w, diagram *d, size_t l, int show)
{
  const fadj_layer *ly = d->t->net->layers + l - 1;
  size_t np = ly->w.cols, i, j;
  double colw[LABEL_MAX_NEURONS + 1] = { 0 }, bw = 0, lw, lh;
  int bar = ly->has_bias && !d->separate;
  fadj_status st = FADJ_OK;

  fadj_dg_measure (&lw, &lh, "W^{1} = ");
  lw *= d->em;
  *w = 0;
  if (show == SHOW_MATRIX)
    {
      fadj_buf_printf (b, "$W^{%zu} = \\left[\\begin{array}{@{}", l);
      fadj_latex_put_column_spec (b, np + (bar != 0), bar ? np : 0);
      fadj_buf_puts (b, "@{}}");
      st = put_rows (b, colw, d, l, bar);
      fadj_buf_puts (b, "\\end{array}\\right]$");
      *w = lw + MATRIX_BRACKETS;
      for (j = 0; j < np + (bar != 0); j++)
        *w += colw[j] + MATRIX_COLSEP;
    }
  if (st == FADJ_OK && ly->has_bias && (d->separate || show == SHOW_WEIGHTS))
    {
      const fadj_mat *bm = &ly->b;
      fadj_buf_printf (b, "%s$b^{%zu} = \\left[\\begin{array}{@{}c@{}}",
                       show == SHOW_MATRIX ? ",\\quad " : "", l);
      for (i = 0; i < bm->rows && st == FADJ_OK; i++)
        {
          double ew, eh;
          if ((st = value_tex (d, NULL, FADJ_MAT (bm, i, 0))) != FADJ_OK)
            break;
          tmp_size (&ew, &eh, d, 0);
          if (ew > bw)
            bw = ew;
          put_math (b, d->tmp);
          fadj_buf_puts (b, i + 1 < bm->rows ? " \\\\ " : "");
        }
      fadj_buf_puts (b, "\\end{array}\\right]$");
      *w += (show == SHOW_MATRIX ? 0.7 : 0) + lw + bw + MATRIX_BRACKETS;
    }
  if (st == FADJ_OK)
    st = fadj_buf_status (b);
  return st;
}

/* The weights and biases not on the edges (SHOW, per layer 1..L) as
   matrices in a row under the picture, wrapped at its width.  */
static fadj_status
add_matrices (diagram *d, const int *show)
{
  fadj_dg_scene *s = d->s;
  size_t L = d->t->L, l;
  double left = -d->r, right = d->dx * (double) L + d->r, x = left;
  /* The row may be as wide as the legend, and a little wider.  */
  if (right < left + MATRIX_ROW_WIDTH)
    right = left + MATRIX_ROW_WIDTH;
  double y = fadj_dg_bottom (s, 1, 0) - 0.35, rowh = 0;
  fadj_buf *b = fadj_buf_new ();
  fadj_status st = FADJ_OK;

  if (b == NULL)
    return FADJ_ERR_NOMEM;
  for (l = 1; l <= L && st == FADJ_OK; l++)
    {
      double w, h = (double) d->t->net->sizes[l] * MATRIX_ROW + 0.2;
      size_t it;
      if (show[l] != SHOW_MATRIX && (show[l] != SHOW_WEIGHTS
                                     || !d->t->net->layers[l - 1].has_bias))
        continue;
      fadj_buf_reset (b);
      if ((st = matrix_tex (b, &w, d, l, show[l])) != FADJ_OK)
        break;
      if (x > left && x + w > right)
        {
          x = left;
          y -= rowh + 0.3;
          rowh = 0;
        }
      it = fadj_dg_add_item (s, FADJ_DG_MATRIX,
                             fadj_dg_box_at (x + w / 2, y - h / 2, w, h),
                             fadj_buf_data (b, NULL));
      if (s->nomem)
        st = FADJ_ERR_NOMEM;
      else
        s->items[it].layer = l;
      x += w + 0.5;
      if (h > rowh)
        rowh = h;
    }
  fadj_buf_free (b);
  return st;
}

/* The visible characters of the TeX S, roughly: a command none, nor
   braces and the marks of mathematics.  */
static size_t
visible_chars (const char *s)
{
  size_t n = 0;

  while (*s != '\0')
    if (*s == '\\')
      {
        s++;
        while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
          s++;
      }
    else
      n += strchr ("{}$^_", *s++) == NULL;
  return n;
}

/* The legend's first entries, into B: what a neuron shows, its boxes
   of values and adjoints, and which sample (IX the layer index letter);
   the same on a page and on a slide.  */
static void
put_legend_values (const diagram *d, fadj_buf *b, const char *ix)
{
  fadj_buf_printf (b, "\\tikz\\node[neuron, minimum size=0.4cm]{};~%s "
                   "$X^{%s}_{i}$",
                   d->values ? _ ("forward value") : _ ("neuron"), ix);
  if (d->values && d->full)
    fadj_buf_printf (b, _ (" \\quad above it \\tikz\\node[forward]{$Y$};~"
                     "$Y^{%s}_{i}$ \\quad below it \\tikz\\node[adjoint]"
                     "{$Y_{*}$};~the adjoints $Y^{%s}_{*,i}$, "
                     "$X^{%s}_{*,i}$ (at the inputs $X^{0}_{*,i}$)"),
                     ix, ix, ix);
  else if (d->values && d->adjoints)
    fadj_buf_printf (b, _ (" \\quad \\tikz\\node[adjoint]{$Y_{*}$};~adjoint "
                     "$Y^{%s}_{*,i}$ (at the inputs $X^{0}_{*,i}$)"), ix);
  if (d->values && d->t->m > 1)
    fadj_buf_puts (b, _ ("; values of the first sample"));
}

/* A slide's legend, into B (empty, freed here), as a column at the
   right of the picture, from its top: an entry a line, the digits of
   its values, and where the weights it leaves out are.  */
static fadj_status
add_slide_legend (diagram *d, fadj_buf *b, const int *show, const char *ix)
{
  const fadj_trace *t = d->t;
  fadj_dg_scene *s = d->s;
  double right = 0, top = 0, lines = 0;
  const char *p, *q;
  size_t l;
  int bias = 0, on_edges = 0, bias_edges = 0;

  for (l = 0; l < s->nitems; l++)
    {
      if (s->items[l].box.x1 > right)
        right = s->items[l].box.x1;
      if (s->items[l].box.y1 > top)
        top = s->items[l].box.y1;
    }
  for (l = 1; l <= t->L; l++)
    {
      int has = t->net->layers[l - 1].has_bias;
      bias |= has;
      on_edges |= show[l] >= SHOW_WEIGHTS;
      bias_edges |= show[l] == SHOW_EDGES && has;
    }
  put_legend_values (d, b, ix);
  if (bias)
    {
      fadj_buf_puts (b, " \\quad ");
      fadj_buf_puts (b, _ ("\\tikz\\node[bias, minimum size=0.4cm]{$1$};~bias "
                     "input, its edges dotted"));
    }
  if (on_edges)
    {
      fadj_buf_puts (b, " \\quad ");
      fadj_buf_printf (b, _ ("on each edge its weight $w^{%s}_{ij}$"), ix);
    }
  if (bias_edges)
    fadj_buf_printf (b, _ (" or bias $b^{%s}_{i}$"), ix);
  if (d->values)
    {
      fadj_buf_puts (b, " \\quad ");
      fadj_buf_printf (b, _ ("values to %d significant digits"),
                       d->f->digits);
    }
  if (d->dropped)
    {
      fadj_buf_puts (b, " \\quad ");
      fadj_buf_puts (b, _ ("the weights not on the edges: on the frame of "
                           "the network's data"));
    }
  /* An entry a line: its separators, \quad in the article's legend
     (and in its translations), become line breaks.  */
  fadj_buf_reset (d->tmp);
  for (p = fadj_buf_data (b, NULL); (q = strstr (p, " \\quad ")) != NULL;
       p = q + strlen (" \\quad "))
    {
      fadj_buf_put_mem (d->tmp, p, (size_t) (q - p));
      fadj_buf_puts (d->tmp, "\\\\\n    ");
    }
  fadj_buf_puts (d->tmp, p);
  fadj_buf_puts (d->tmp, "\n");
  /* Its height: a line of 10pt (0.42cm) per 22 characters of an
     entry.  */
  for (p = fadj_buf_data (d->tmp, NULL); *p != '\0'; p = q)
    {
      char line[512];
      size_t n;
      q = strstr (p, "\\\\");
      q = q != NULL ? q + 2 : p + strlen (p);
      n = (size_t) (q - p) < sizeof line ? (size_t) (q - p) : sizeof line - 1;
      memcpy (line, p, n);
      line[n] = '\0';
      lines += (double) ((visible_chars (line) + 21) / 22);
    }
  fadj_dg_add_item (s, FADJ_DG_LEGEND,
                    (fadj_dg_box) { right + 0.4, top - 0.45 * lines,
                                    right + 0.4 + SLIDE_LEGEND, top },
                    fadj_buf_data (d->tmp, NULL));
  fadj_buf_free (b);
  if (fadj_buf_status (d->tmp) != FADJ_OK)
    return fadj_buf_status (d->tmp);
  return s->nomem ? FADJ_ERR_NOMEM : FADJ_OK;
}

/* The legend, under everything else: what each kind of box and edge
   shows (IX the layer index letter; SHOW as in add_matrices).  */
static fadj_status
add_legend (diagram *d, const int *show, const char *ix)
{
  const fadj_trace *t = d->t;
  fadj_dg_scene *s = d->s;
  fadj_buf *b = fadj_buf_new ();
  double width = d->dx * (double) t->L + 1.6, y = fadj_dg_bottom (s, 1, 0);
  size_t l;
  int bias = 0, on_edges = 0, bias_edges = 0, matrix = 0, bias_under = 0;
  int wide = 0;

  if (b == NULL)
    return FADJ_ERR_NOMEM;
  if (d->slide)
    return add_slide_legend (d, b, show, ix);
  /* As wide as the picture, the row of matrices included.  */
  for (l = 0; l < s->nitems; l++)
    if (s->items[l].box.x1 + 0.8 > width)
      width = s->items[l].box.x1 + 0.8;
  if (width < 12.5)
    width = 12.5;
  for (l = 1; l <= t->L; l++)
    {
      int has = t->net->layers[l - 1].has_bias;
      bias |= has;
      on_edges |= show[l] >= SHOW_WEIGHTS;
      bias_edges |= show[l] == SHOW_EDGES && has;
      matrix |= show[l] == SHOW_MATRIX;
      bias_under |= show[l] == SHOW_WEIGHTS && has;
      wide |= show[l] == SHOW_NONE;
    }
  put_legend_values (d, b, ix);
  if (bias || on_edges)
    fadj_buf_puts (b, "\\\\\n    ");
  if (bias)
    fadj_buf_puts (b, _ ("\\tikz\\node[bias, minimum size=0.4cm]{$1$};~bias "
                   "input, its edges dotted"));
  if (bias && on_edges)
    fadj_buf_puts (b, " \\quad ");
  if (on_edges)
    fadj_buf_printf (b, _ ("on each edge its weight $w^{%s}_{ij}$"), ix);
  if (bias_edges)
    fadj_buf_printf (b, _ (" or bias $b^{%s}_{i}$"), ix);
  if (matrix || bias_under)
    fadj_buf_printf (b, _ ("\\\\\n    where the edges leave no room for "
                     "them, the %s under the picture"), matrix
                     ? _ ("weights as the matrix") : _ ("biases"));
  if (wide)
    fadj_buf_printf (b, _ ("\\\\\n    between layers of more than %d neurons, "
                     "the weights are those of the matrices $W^{%s}$ of the "
                     "text"), LABEL_MAX_NEURONS, ix);
  fadj_buf_puts (b, "\n");
  /* Up to four lines of the picture's text.  */
  y -= 0.3;
  fadj_dg_add_item (s, FADJ_DG_LEGEND, fadj_dg_box_at (-0.8 + width / 2,
                                                       y - 1, width, 2),
                    fadj_buf_data (b, NULL));
  fadj_buf_free (b);
  return s->nomem ? FADJ_ERR_NOMEM : FADJ_OK;
}

/* Fill S with the picture of T: the article's, or a SLIDE's.  */
static fadj_status
build_scene (fadj_dg_scene *s, const fadj_trace *t,
             const fadj_latex_numfmt *f, unsigned flags, const char *ix,
             int slide)
{
  const fadj_net *net = t->net;
  diagram d;
  size_t l, L = t->L;
  int show[FADJ_MAX_LAYERS + 1], under = 0;
  fadj_status st;

  memset (&d, 0, sizeof d);
  d.t = t;
  d.f = f;
  d.s = s;
  d.values = f->box != FADJ_BOX_BLANK;
  d.full = (flags & FADJ_LATEX_DIAGRAM_FULL) != 0;
  d.adjoints = d.full || !(flags & FADJ_LATEX_DIAGRAM_VALUES);
  d.separate = (flags & FADJ_LATEX_BIAS_SEPARATE) != 0;
  d.slide = slide;
  d.r_min = slide ? SLIDE_R_MIN : R_MIN;
  d.dy_min = slide ? SLIDE_DY_MIN : DY_MIN;
  d.dx_min = slide ? SLIDE_DX_MIN : DX_MIN;
  d.width = slide ? SLIDE_WIDTH : PICTURE_WIDTH;
  /* \normalsize over \footnotesize at 10pt.  */
  d.em = (flags & FADJ_LATEX_BEAMER) ? 10.0 / 8.0 : 1.0;
  d.tmp = fadj_buf_new ();
  if (d.tmp == NULL)
    return FADJ_ERR_NOMEM;
  st = measure_neurons (&d);
  if (st == FADJ_OK)
    st = add_columns (&d);
  for (l = 1; l <= L && st == FADJ_OK; l++)
    add_edges (&d, l);
  if (st == FADJ_OK && s->nomem)
    st = FADJ_ERR_NOMEM;
  for (l = 1; l <= L && st == FADJ_OK; l++)
    {
      show[l] = SHOW_NONE;
      if (net->sizes[l] <= LABEL_MAX_NEURONS
          && net->sizes[l - 1] <= LABEL_MAX_NEURONS)
        st = label_edges (show + l, &d, l);
      under |= show[l] == SHOW_MATRIX || (show[l] == SHOW_WEIGHTS
                                           && net->layers[l - 1].has_bias);
      /* A slide has no room under its picture: what the edges cannot
         carry is on the frame of the network's data.  */
      if (slide && (show[l] != SHOW_EDGES
                    && (show[l] != SHOW_WEIGHTS
                        || net->layers[l - 1].has_bias)))
        d.dropped = 1;
    }
  if (slide)
    under = 0;
  if (st == FADJ_OK && under)
    st = add_matrices (&d, show);
  if (st == FADJ_OK)
    st = add_legend (&d, show, ix);
  fadj_buf_free (d.tmp);
  return st;
}

fadj_status
fadj_latex_diagram_scene (fadj_dg_scene *s, const fadj_trace *t,
                          const fadj_latex_numfmt *f, unsigned flags,
                          const char *ix)
{
  fadj_latex_numfmt g = *f;

  /* At most PAGE_MAX_NEURONS neurons of a layer, whatever the matrices
     show: with everything shown (--max-show=0) a layer of 300 would be
     taller (1.9cm each) than TeX's largest dimension, 16383pt or 575cm,
     and a picture of 16 is already set at half its size in
     0.6\textheight.  */
  if (g.max_show == 0 || g.max_show > PAGE_MAX_NEURONS)
    g.max_show = PAGE_MAX_NEURONS;
  return build_scene (s, t, &g, flags, ix, 0);
}

/* Whether the value item IT is known by the stage RV of a deck (NULL:
   everything is), and in *NEW whether it was just computed.  */
static int
value_known_p (int *new, const fadj_dg_item *it, size_t L,
               const fadj_latex_reveal *rv)
{
  size_t l = it->layer;

  *new = 0;
  if (rv == NULL)
    return 1;
  if (it->kind == FADJ_DG_NEURON)
    {
      *new = l > 0 && l == rv->new_fwd;
      return l == 0 || l <= rv->fwd;
    }
  switch (it->side)
    {
    case 0:                     /* Y^l */
      *new = l == rv->new_fwd;
      return l <= rv->fwd;
    case 1:                     /* Y^l_*, or X^0_* at the inputs */
      if (l == 0)
        {
          *new = rv->new_adj == 1;
          return rv->adj <= 1;
        }
      *new = l == rv->new_adj;
      return l >= rv->adj;
    default:                    /* X^l_* */
      if (l == L)
        return rv->seed;
      *new = l + 1 == rv->new_adj;
      return l + 1 >= rv->adj;
    }
}

/* Draw the scene S: nodes, edges (those into layer ACTIVE drawn thick),
   values over them, labels, matrices, legend; on a DECK in the text's
   size, with only the values RV knows (see value_known_p), those just
   computed shaded.  */
static void
draw_scene (fadj_buf *b, const fadj_dg_scene *s, size_t active, double r,
            size_t L, int deck, const fadj_latex_reveal *rv)
{
  size_t k;
  int pass, new;

  fadj_buf_printf (b,
    "\\begin{tikzpicture}[x=1cm, y=1cm, >=stealth%s,\n"
    "  neuron/.style={circle, draw, minimum size=%.2fcm, inner sep=1pt},\n"
    "  active/.style={very thick, fill=black!12},\n"
    "  bias/.style={rectangle, draw, minimum size=%.1fcm},\n"
    "  forward/.style={draw, inner sep=2pt, fill=white},\n"
    "  adjoint/.style={draw=blue!70!black, dashed, text=blue!70!black,"
    " inner sep=2pt, fill=white},\n"
    "  weight/.style={fill=white, inner sep=1pt},\n"
    "  edge/.style={->, draw=black!60},\n"
    "  hot/.style={->, draw=black, thick}%s]\n",
    deck ? "" : ", font=\\footnotesize", 2 * r, BIAS_SIDE,
    rv != NULL ? ",\n  new/.style={fill=yellow!60, very thick, solid}" : "");
  for (k = 0; k < s->nitems; k++)
    {
      const fadj_dg_item *it = s->items + k;
      double x = (it->box.x0 + it->box.x1) / 2;
      double y = (it->box.y0 + it->box.y1) / 2;
      if (it->kind == FADJ_DG_NEURON)
        {
          int known = value_known_p (&new, it, L, rv);
          fadj_buf_printf (b, "  \\node[neuron%s%s] (n%zu-%zu) at "
                           "(%.2f, %.2f) {%s};\n", it->layer == active
                           && active > 0 ? ", active" : "",
                           new ? ", new" : "", it->layer, it->index, x, y,
                           known ? it->tex : "");
        }
      else if (it->kind == FADJ_DG_BIAS)
        fadj_buf_printf (b, "  \\node[bias%s] (b%zu) at (%.2f, %.2f) {%s};\n",
                         it->layer == active ? ", active" : "", it->layer, x,
                         y, it->tex);
      else if (it->kind == FADJ_DG_HEADER)
        fadj_buf_printf (b, "  \\node[%salign=center] at "
                         "(%.2f, %.2f) {%s};\n", deck ? ""
                         : "font=\\small, ", x, y, it->tex);
    }
  for (k = 0; k < s->nedges; k++)
    {
      const fadj_dg_edge *e = s->edges + k;
      const char *style = e->to_l == active ? "hot" : "edge";
      if (e->bias)
        fadj_buf_printf (b, "  \\draw[%s, dotted] (b%zu) -- (n%zu-%zu.west);\n",
                         style, e->to_l, e->to_l, e->to_i);
      else
        fadj_buf_printf (b, "  \\draw[%s] (n%zu-%zu) -- (n%zu-%zu);\n",
                         style, e->from_l, e->from_i, e->to_l, e->to_i);
    }
  for (pass = 0; pass < 2; pass++)
    for (k = 0; k < s->nitems; k++)
      {
        const fadj_dg_item *it = s->items + k;
        double x = (it->box.x0 + it->box.x1) / 2;
        double y = (it->box.y0 + it->box.y1) / 2;
        if (pass == 0 && it->kind == FADJ_DG_VALUE
            && value_known_p (&new, it, L, rv))
          fadj_buf_printf (b, "  \\node[%s%s] at (%.2f, %.2f) {%s};\n",
                           it->adjoint ? "adjoint" : "forward",
                           new ? ", new" : "", x, y, it->tex);
        else if (pass == 0 && it->kind == FADJ_DG_LABEL)
          fadj_buf_printf (b, "  \\node[weight] at (%.2f, %.2f) {%s};\n", x,
                           y, it->tex);
        else if (pass == 1 && it->kind == FADJ_DG_MATRIX)
          fadj_buf_printf (b, "  \\node at (%.2f, %.2f) "
                           "{\\renewcommand{\\arraystretch}{2}%s};\n", x, y,
                           it->tex);
        else if (pass == 1 && it->kind == FADJ_DG_LEGEND
                 && (rv == NULL || rv->legend))
          fadj_buf_printf (b, "  \\node[anchor=north west, align=left, "
                           "text width=%.1fcm] at (%.2f, %.2f) {\n    %s"
                           "  };\n", it->box.x1 - it->box.x0, it->box.x0,
                           it->box.y1, it->tex);
      }
  fadj_buf_puts (b, "\\end{tikzpicture}");
}

fadj_status
fadj_latex_diagram_reveal (fadj_buf *b, const fadj_trace *t,
                           const fadj_latex_numfmt *f, size_t active,
                           const char *ix, unsigned flags,
                           const fadj_latex_reveal *rv)
{
  fadj_dg_scene s;
  size_t start = fadj_buf_len (b);
  double r = R_MIN;
  fadj_status st;
  size_t k;

  fadj_dg_scene_init (&s);
  st = fadj_latex_diagram_scene (&s, t, f, flags, ix);
  for (k = 0; k < s.nitems; k++)
    if (s.items[k].kind == FADJ_DG_NEURON)
      r = (s.items[k].box.x1 - s.items[k].box.x0) / 2;
  if (st == FADJ_OK)
    draw_scene (b, &s, active, r, t->L, (flags & FADJ_LATEX_BEAMER) != 0,
                rv);
  fadj_dg_scene_clear (&s);
  if (st == FADJ_OK && fadj_buf_status (b) != FADJ_OK)
    st = fadj_buf_status (b);
  if (st != FADJ_OK)
    fadj_buf_truncate (b, start);
  return st;
}

/* The extent of the scene S, in cm, into *W and *H.  */
static void
scene_size (double *w, double *h, const fadj_dg_scene *s)
{
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  size_t k;

  for (k = 0; k < s->nitems; k++)
    {
      const fadj_dg_box *b = &s->items[k].box;
      x0 = k == 0 || b->x0 < x0 ? b->x0 : x0;
      y0 = k == 0 || b->y0 < y0 ? b->y0 : y0;
      x1 = k == 0 || b->x1 > x1 ? b->x1 : x1;
      y1 = k == 0 || b->y1 > y1 ? b->y1 : y1;
    }
  *w = x1 - x0;
  *h = y1 - y0;
}

fadj_status
fadj_latex_diagram_slide (fadj_buf *b, const fadj_trace *t,
                          const fadj_latex_numfmt *f, size_t active,
                          const char *ix, unsigned flags,
                          const fadj_latex_reveal *rv, double width,
                          double height, int *fits)
{
  fadj_latex_numfmt g = *f;
  fadj_latex_reveal all;
  fadj_dg_scene s;
  size_t start = fadj_buf_len (b), most = FADJ_SLIDE_MAX_NEURONS, k;
  double r = R_MIN, w, h;
  fadj_status st;

  if (g.digits > SLIDE_DIGITS)
    g.digits = SLIDE_DIGITS;
  if (g.max_show > 0 && g.max_show < most)
    most = g.max_show;
  /* The most neurons a layer shows that keep the labels at 9pt: the
     rows of a wider layer are what makes the picture tall.  */
  for (g.max_show = most; ; g.max_show--)
    {
      fadj_dg_scene_init (&s);
      st = build_scene (&s, t, &g, flags, ix, 1);
      scene_size (&w, &h, &s);
      *fits = w * SLIDE_MIN_SCALE <= width && h * SLIDE_MIN_SCALE <= height;
      if (st != FADJ_OK || g.max_show <= 3 || *fits)
        break;
      fadj_dg_scene_clear (&s);
    }
  for (k = 0; k < s.nitems; k++)
    if (s.items[k].kind == FADJ_DG_NEURON)
      r = (s.items[k].box.x1 - s.items[k].box.x0) / 2;
  /* The legend on every frame: the picture keeps its size and place
     from one frame to the next.  */
  if (rv != NULL)
    {
      all = *rv;
      all.legend = 1;
      rv = &all;
    }
  if (st == FADJ_OK)
    draw_scene (b, &s, active, r, t->L, 1, rv);
  fadj_dg_scene_clear (&s);
  if (st == FADJ_OK && fadj_buf_status (b) != FADJ_OK)
    st = fadj_buf_status (b);
  if (st != FADJ_OK)
    fadj_buf_truncate (b, start);
  return st;
}

fadj_status
fadj_latex_diagram (fadj_buf *b, const fadj_trace *t,
                    const fadj_latex_numfmt *f, size_t active,
                    const char *ix, unsigned flags)
{
  return fadj_latex_diagram_reveal (b, t, f, active, ix, flags, NULL);
}
