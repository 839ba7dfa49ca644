/* diagram-layout.c -- the geometry of the network diagram: boxes,
   segments, the placement of edge labels where nothing else is, and the
   size of a number as TeX sets it.  No TeX is written here
   (latex-diagram.c draws the scene).  */

#include "diagram-layout.h"

#include <stdlib.h>
#include <string.h>

/* Room left around a label, so that the estimate of its size may be a
   little short without two boxes touching (cm).  */
#define LABEL_MARGIN 0.06
/* The step between the candidate points of a label along its edge, and
   the part of the edge a label may sit on.  */
#define T_STEP 0.025
#define T_MIN 0.1
#define T_MAX 0.9

double
fadj_dg_length (double dx, double dy)
{
  double q = dx * dx + dy * dy, r = q > 1 ? q : 1;
  int k;

  /* Newton's iteration from above converges monotonically; 60 steps
     cover every length of a picture (well under 10^6 cm).  */
  if (q == 0)
    return 0;
  for (k = 0; k < 60; k++)
    r = (r + q / r) / 2;
  return r;
}

void
fadj_dg_scene_init (fadj_dg_scene *s)
{
  memset (s, 0, sizeof *s);
}

void
fadj_dg_scene_clear (fadj_dg_scene *s)
{
  size_t k;

  for (k = 0; k < s->nitems; k++)
    free (s->items[k].tex);
  free (s->items);
  free (s->edges);
  free (s->win_items);
  free (s->win_edges);
  fadj_dg_scene_init (s);
}

/* Make room for one more element of SIZE bytes in *P (*N used, *CAP
   allocated).  Returns 0, or -1 when memory runs out.  */
static int
grow (void **p, size_t *cap, size_t n, size_t size)
{
  void *q;
  size_t c;

  if (n < *cap)
    return 0;
  c = *cap ? 2 * *cap : 32;
  q = realloc (*p, c * size);
  if (q == NULL)
    return -1;
  *p = q;
  *cap = c;
  return 0;
}

size_t
fadj_dg_add_item (fadj_dg_scene *s, int kind, fadj_dg_box box,
                  const char *tex)
{
  fadj_dg_item *it;
  void *p = s->items;

  if (grow (&p, &s->items_cap, s->nitems, sizeof *it) != 0)
    {
      s->nomem = 1;
      return 0;
    }
  s->items = p;
  it = s->items + s->nitems;
  memset (it, 0, sizeof *it);
  it->kind = kind;
  it->box = box;
  if (tex != NULL)
    {
      size_t n = strlen (tex) + 1;
      it->tex = malloc (n);
      if (it->tex == NULL)
        {
          s->nomem = 1;
          return 0;
        }
      memcpy (it->tex, tex, n);
    }
  return s->nitems++;
}

size_t
fadj_dg_add_edge (fadj_dg_scene *s, const fadj_dg_edge *e)
{
  void *p = s->edges;

  if (grow (&p, &s->edges_cap, s->nedges, sizeof *e) != 0)
    {
      s->nomem = 1;
      return 0;
    }
  s->edges = p;
  s->edges[s->nedges] = *e;
  return s->nedges++;
}

fadj_dg_box
fadj_dg_box_at (double x, double y, double w, double h)
{
  fadj_dg_box b;

  b.x0 = x - w / 2;
  b.x1 = x + w / 2;
  b.y0 = y - h / 2;
  b.y1 = y + h / 2;
  return b;
}

int
fadj_dg_boxes_overlap_p (const fadj_dg_box *a, const fadj_dg_box *b,
                         double margin)
{
  return a->x0 - margin < b->x1 + margin && b->x0 - margin < a->x1 + margin
         && a->y0 - margin < b->y1 + margin
         && b->y0 - margin < a->y1 + margin;
}

int
fadj_dg_circle_meets_p (const fadj_dg_box *circle, const fadj_dg_box *box,
                        double margin)
{
  double cx = (circle->x0 + circle->x1) / 2;
  double cy = (circle->y0 + circle->y1) / 2;
  double r = (circle->x1 - circle->x0) / 2 + margin;
  /* The point of BOX nearest the centre.  */
  double px = cx < box->x0 ? box->x0 : cx > box->x1 ? box->x1 : cx;
  double py = cy < box->y0 ? box->y0 : cy > box->y1 ? box->y1 : cy;

  return (px - cx) * (px - cx) + (py - cy) * (py - cy) < r * r;
}

int
fadj_dg_segment_meets_circle_p (double x0, double y0, double x1, double y1,
                                const fadj_dg_box *circle)
{
  double cx = (circle->x0 + circle->x1) / 2;
  double cy = (circle->y0 + circle->y1) / 2;
  double r = (circle->x1 - circle->x0) / 2;
  double dx = x1 - x0, dy = y1 - y0, n = dx * dx + dy * dy, t = 0, px, py;

  /* The point of the segment nearest the centre.  */
  if (n > 0)
    t = ((cx - x0) * dx + (cy - y0) * dy) / n;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  px = x0 + t * dx - cx;
  py = y0 + t * dy - cy;
  return px * px + py * py < r * r;
}

/* Clip the parameter range [*T0, *T1] of a segment to P t <= Q (one
   side of a box, Liang and Barsky).  Returns 0 when nothing is left.  */
static int
clip_side (double *t0, double *t1, double p, double q)
{
  double r;

  if (p == 0)
    return q >= 0;
  r = q / p;
  if (p < 0)
    {
      if (r > *t1)
        return 0;
      if (r > *t0)
        *t0 = r;
    }
  else
    {
      if (r < *t0)
        return 0;
      if (r < *t1)
        *t1 = r;
    }
  return 1;
}

int
fadj_dg_segment_meets_p (double x0, double y0, double x1, double y1,
                         const fadj_dg_box *box)
{
  double t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;

  return clip_side (&t0, &t1, -dx, x0 - box->x0)
         && clip_side (&t0, &t1, dx, box->x1 - x0)
         && clip_side (&t0, &t1, -dy, y0 - box->y0)
         && clip_side (&t0, &t1, dy, box->y1 - y0);
}

void
fadj_dg_window_begin (fadj_dg_scene *s, double x0, double x1, double w,
                      size_t layer)
{
  /* A label's box is at most W / 2 from its centre, and meets what is
     within 2 LABEL_MARGIN of it (boxes_overlap_p grows both boxes).  */
  double m = w / 2 + 2 * LABEL_MARGIN + 0.01, lo = x0 - m, hi = x1 + m;
  size_t k;

  fadj_dg_window_end (s);
  s->win_items = malloc ((s->nitems + 1) * sizeof *s->win_items);
  s->win_edges = malloc ((s->nedges + 1) * sizeof *s->win_edges);
  if (s->win_items == NULL || s->win_edges == NULL)
    {
      fadj_dg_window_end (s);
      return;
    }
  for (k = 0; k < s->nitems; k++)
    {
      const fadj_dg_item *it = s->items + k;
      if ((it->box.x1 >= lo && it->box.x0 <= hi)
          || (it->kind == FADJ_DG_BIAS && it->layer == layer))
        s->win_items[s->nwin_items++] = k;
    }
  for (k = 0; k < s->nedges; k++)
    {
      const fadj_dg_edge *g = s->edges + k;
      double gx0 = g->x0 < g->x1 ? g->x0 : g->x1;
      double gx1 = g->x0 < g->x1 ? g->x1 : g->x0;
      if ((gx1 >= lo && gx0 <= hi) || (g->bias && g->to_l == layer))
        s->win_edges[s->nwin_edges++] = k;
    }
  s->win_nitems = s->nitems;
  s->win_nedges = s->nedges;
  s->win_set = 1;
}

void
fadj_dg_window_end (fadj_dg_scene *s)
{
  free (s->win_items);
  free (s->win_edges);
  s->win_items = s->win_edges = NULL;
  s->nwin_items = s->nwin_edges = 0;
  s->win_set = 0;
}

/* Does BOX, a label, meet item K of S?  */
static int
label_meets_item_p (const fadj_dg_scene *s, size_t k, const fadj_dg_box *box)
{
  return s->items[k].kind == FADJ_DG_NEURON
         ? fadj_dg_circle_meets_p (&s->items[k].box, box, LABEL_MARGIN)
         : fadj_dg_boxes_overlap_p (box, &s->items[k].box, LABEL_MARGIN);
}

/* Does GROWN, a label's box grown by LABEL_MARGIN, meet edge K of S but
   E?  */
static int
label_meets_edge_p (const fadj_dg_scene *s, size_t k, size_t e,
                    const fadj_dg_box *grown)
{
  const fadj_dg_edge *g = s->edges + k;
  return k != e && fadj_dg_segment_meets_p (g->x0, g->y0, g->x1, g->y1,
                                            grown);
}

/* Is BOX, a label of edge E, clear of every item of S and of every
   other edge?  An edge under a label, even at its rim, is read as the
   edge the number belongs to.  Within a window, only what was near it
   and what came since can meet BOX.  */
static int
label_free_p (const fadj_dg_scene *s, size_t e, const fadj_dg_box *box)
{
  fadj_dg_box grown = *box;
  size_t k, from_item = 0, from_edge = 0;

  grown.x0 -= LABEL_MARGIN;
  grown.x1 += LABEL_MARGIN;
  grown.y0 -= LABEL_MARGIN;
  grown.y1 += LABEL_MARGIN;
  if (s->win_set)
    {
      for (k = 0; k < s->nwin_items; k++)
        if (s->win_items[k] < s->nitems
            && label_meets_item_p (s, s->win_items[k], box))
          return 0;
      for (k = 0; k < s->nwin_edges; k++)
        if (s->win_edges[k] < s->nedges
            && label_meets_edge_p (s, s->win_edges[k], e, &grown))
          return 0;
      from_item = s->win_nitems;
      from_edge = s->win_nedges;
    }
  for (k = from_item; k < s->nitems; k++)
    if (label_meets_item_p (s, k, box))
      return 0;
  for (k = from_edge; k < s->nedges; k++)
    if (label_meets_edge_p (s, k, e, &grown))
      return 0;
  return 1;
}

/* The candidate K (0, 1, ...) of a label's place along its edge: the
   fraction of the edge from T_PREF outwards, alternately after and
   before it; returns 0 when K is beyond the ends (T_MIN, T_MAX), else 1
   with *T set.  */
static int
candidate (double *t, int k, double t_pref)
{
  *t = t_pref + (k % 2 ? 1 : -1) * ((k + 1) / 2) * T_STEP;
  return *t >= T_MIN - 1e-9 && *t <= T_MAX + 1e-9;
}

#define CANDIDATES ((int) ((T_MAX - T_MIN) / T_STEP) * 2 + 2)

/* The box of a label W by H at the fraction T of edge G.  */
static fadj_dg_box
label_box (const fadj_dg_edge *g, double t, double w, double h)
{
  return fadj_dg_box_at (g->x0 + t * (g->x1 - g->x0),
                         g->y0 + t * (g->y1 - g->y0), w, h);
}

size_t
fadj_dg_label_room (const fadj_dg_scene *s, size_t e, double w, double h)
{
  size_t n = 0;
  int k;
  double t;

  for (k = 0; k < CANDIDATES; k++)
    if (candidate (&t, k, 0.5))
      {
        fadj_dg_box box = label_box (s->edges + e, t, w, h);
        n += label_free_p (s, e, &box);
      }
  return n;
}

int
fadj_dg_place_label (fadj_dg_scene *s, size_t e, double w, double h,
                     double t_pref, size_t layer, const char *tex)
{
  int k;
  double t;

  for (k = 0; k < CANDIDATES; k++)
    {
      fadj_dg_box box;
      if (!candidate (&t, k, t_pref))
        continue;
      box = label_box (s->edges + e, t, w, h);
      if (label_free_p (s, e, &box))
        {
          size_t it = fadj_dg_add_item (s, FADJ_DG_LABEL, box, tex);
          if (s->nomem)
            return 0;
          s->items[it].edge = e;
          s->items[it].layer = layer;
          return 1;
        }
    }
  return 0;
}

void
fadj_dg_truncate_items (fadj_dg_scene *s, size_t n)
{
  while (s->nitems > n)
    free (s->items[--s->nitems].tex);
  /* What comes in their place is looked at, window or not.  */
  if (s->win_set && s->win_nitems > n)
    s->win_nitems = n;
}

double
fadj_dg_bottom (const fadj_dg_scene *s, double xa, double xb)
{
  double y = 0;
  size_t k;

  for (k = 0; k < s->nitems; k++)
    {
      const fadj_dg_box *b = &s->items[k].box;
      double xc = (b->x0 + b->x1) / 2;
      if ((xa > xb || (xc >= xa && xc <= xb)) && b->y0 < y)
        y = b->y0;
    }
  return y;
}

/* ------------------------------------------------------------------ */
/* The size of a number as TeX sets it.                                */

/* Widths at 8pt (Computer Modern, cmr8 and cmmi8), in points.  */
#define PT_DIGIT 4.25
#define PT_POINT 2.36
#define PT_MINUS 6.6
#define PT_LETTER 5.2
#define PT_REL 11.0     /* = with its spaces */
#define PT_BIN 10.2     /* a binary minus or \times with its spaces */
#define PT_FRAC 2.4     /* the null delimiters and rule overhang */
/* Heights (height plus depth) in points: a line of digits, one with a
   sub- or superscript, a display-style fraction.  */
#define PT_LINE 7.0
#define PT_SCRIPT 10.5
#define PT_FRAC_H 16.8
#define CM_PER_PT 0.035146

/* The end of the group opened at S (at '{'), within END.  */
static const char *
group_end (const char *s, const char *end)
{
  int depth = 0;

  for (; s < end; s++)
    if (*s == '{')
      depth++;
    else if (*s == '}' && --depth == 0)
      return s + 1;
  return end;
}

/* The width in points of S..END, and in *H its height (at least the
   value it has).  */
static double
measure_span (const char *s, const char *end, double *h)
{
  double w = 0;
  int first = 1;      /* nothing before: a minus is unary */

  while (s < end)
    {
      char c = *s;
      if (c == '\\')
        {
          const char *e = s + 1;
          while (e < end && ((*e >= 'a' && *e <= 'z')
                             || (*e >= 'A' && *e <= 'Z')))
            e++;
          if (e == s + 1 && e < end)
            e++;
          if ((e - s == 5 && strncmp (s, "\\frac", 5) == 0)
              || (e - s == 6 && (strncmp (s, "\\dfrac", 6) == 0
                                 || strncmp (s, "\\tfrac", 6) == 0)))
            {
              const char *g1 = e < end && *e == '{' ? group_end (e, end) : e;
              const char *g2 = g1 < end && *g1 == '{' ? group_end (g1, end)
                               : g1;
              double hh = 0, w1 = g1 > e ? measure_span (e + 1, g1 - 1, &hh)
                                         : 0;
              double w2 = g2 > g1 ? measure_span (g1 + 1, g2 - 1, &hh) : 0;
              w += (w1 > w2 ? w1 : w2) + PT_FRAC;
              if (*h < PT_FRAC_H)
                *h = PT_FRAC_H;
              s = g2;
            }
          else
            {
              if (e - s == 6 && strncmp (s, "\\times", 6) == 0)
                w += PT_BIN;
              else if (e - s == 7 && strncmp (s, "\\approx", 7) == 0)
                w += PT_REL;
              else if (e - s == 13 && strncmp (s, "\\displaystyle", 13) == 0)
                {
                  s = e;
                  continue;       /* no width; a minus after it is unary */
                }
              else if (e - s >= 3)
                w += PT_LETTER;
              s = e;
            }
        }
      else if (c == '^' || c == '_')
        {
          const char *e = s + 1;
          double hh = 0;
          if (e < end && *e == '{')
            {
              const char *g = group_end (e, end);
              w += 0.75 * measure_span (e + 1, g - 1, &hh);
              s = g;
            }
          else
            {
              w += 0.75 * PT_LETTER;
              s = e + (e < end);
            }
          if (*h < PT_SCRIPT)
            *h = PT_SCRIPT;
        }
      else
        {
          if (c >= '0' && c <= '9')
            w += PT_DIGIT;
          else if (c == '.' || c == ',')
            w += PT_POINT;
          else if (c == '-' || c == '+')
            w += first ? PT_MINUS : PT_BIN;
          else if (c == '=')
            w += PT_REL;
          else if (c == '*' || c == '/')
            w += PT_DIGIT;
          else if (c != '{' && c != '}' && c != ' ' && c != '$')
            w += PT_LETTER;
          s++;
        }
      if (c != '{' && c != ' ' && c != '$')
        first = c == '=' || c == '(';
    }
  if (*h < PT_LINE)
    *h = PT_LINE;
  return w;
}

void
fadj_dg_measure (double *w, double *h, const char *s)
{
  double hp = 0, wp = measure_span (s, s + strlen (s), &hp);

  /* 5 % for the estimate, in the direction that keeps boxes apart.  */
  *w = 1.05 * wp * CM_PER_PT;
  *h = 1.05 * hp * CM_PER_PT;
}
