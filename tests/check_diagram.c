/* check_diagram.c -- the geometry of the network diagram
   (latex-diagram.c, diagram-layout.c): on networks of up to 5 neurons
   per layer with fractional weights, in every --diagram mode, no two
   things written in the picture overlap, every edge label sits on its own
   edge and on no other, no bias edge crosses anything written, and every
   weight is shown, on its edge or in a matrix.  The checks use their own
   geometry (points sampled along each segment), not the layout's.  */

#include "test-common.h"
#include "diagram-layout.h"

#include <stdio.h>
#include <string.h>

/* The networks: 3-4-2 and 5-5-5 with weights written as fractions (as a
   lecturer writes them), relu then identity so that every value is
   exact; and the author's A[2,2,1] of sigmoids.  */
static const char *const nets[] = {
  "input [1/2, -1/3, 2/5]\ntarget [1, -1/2]\n"
  "layer relu\n"
  "  weights [1/3 -2/5 1/2; -1/4 2/3 -3/5; 3/7 -1/6 2/9; -5/8 1/5 -4/3]\n"
  "  bias [1/6, -2/7, 3/8, -1/9]\n"
  "layer identity\n"
  "  weights [2/3 -1/5 3/4 -2/9; -3/8 5/6 -1/7 4/5]\n"
  "  bias [-1/2, 2/5]\n"
  "loss half_squared\n",

  "input [1/2, -1/3, 2/5, -3/4, 1/6]\ntarget [1, -1/2, 1/3, 0, 2/3]\n"
  "layer relu\n"
  "  weights [1/3 -2/5 1/2 -1/7 3/8; -1/4 2/3 -3/5 1/9 -5/6;"
  " 3/7 -1/6 2/9 -4/5 1/3; -5/8 1/5 -4/3 2/7 -1/2;"
  " 2/5 -3/7 1/8 -2/3 5/9]\n"
  "  bias [1/6, -2/7, 3/8, -1/9, 2/5]\n"
  "layer identity\n"
  "  weights [2/3 -1/5 3/4 -2/9 1/7; -3/8 5/6 -1/7 4/5 -2/3;"
  " 1/9 -4/7 5/8 -1/3 3/10; -7/9 2/5 -1/6 3/7 -5/8;"
  " 4/9 -3/10 2/7 -5/9 1/4]\n"
  "  bias [-1/2, 2/5, -3/7, 1/8, -2/9]\n"
  "loss half_squared\n",

  "input [0, 0]\ntarget [1]\n"
  "layer sigmoid\n  weights [1 -1; -1 1]\n  bias [1, -1]\n"
  "layer sigmoid\n  weights [1 -1]\n  bias [1]\n"
  "loss half_squared\n",

  /* No biases: the weights alone.  */
  "input [1/2, -1/3, 2/5]\ntarget [1, -1/2]\n"
  "layer relu\n"
  "  weights [1/3 -2/5 1/2; -1/4 2/3 -3/5; 3/7 -1/6 2/9; -5/8 1/5 -4/3]\n"
  "layer identity\n"
  "  weights [2/3 -1/5 3/4 -2/9; -3/8 5/6 -1/7 4/5]\n"
  "loss half_squared\n",
};

/* The modes: --diagram=adjoints (the default), full, values; and the
   default with --bias=separate.  */
static const unsigned modes[] = {
  0, FADJ_LATEX_DIAGRAM_FULL, FADJ_LATEX_DIAGRAM_VALUES,
  FADJ_LATEX_BIAS_SEPARATE
};

#define NMODES (sizeof modes / sizeof modes[0])

/* The trace of NET at a precision where the picture is decided, and its
   scene into S.  */
typedef struct
{
  fadj_dg_scene *s;
  fadj_latex_numfmt f;
  unsigned flags;
} scene_arg;

static fadj_status
scene_use (const fadj_trace *t, void *arg)
{
  scene_arg *a = arg;
  fadj_status st;

  fadj_dg_scene_init (a->s);
  st = fadj_latex_diagram_scene (a->s, t, &a->f, a->flags, "\\ell");
  if (st != FADJ_OK)
    fadj_dg_scene_clear (a->s);
  return st;
}

static fadj_trace *
scene_of (fadj_dg_scene *s, const fadj_net *net, unsigned flags)
{
  scene_arg a = { .s = s, .flags = flags };

  memset (&a.f, 0, sizeof a.f);
  a.f.digits = 6;
  a.f.box = FADJ_BOX_NONE;
  return test_trace_decided (net, 64, scene_use, &a);
}

/* Do the interiors of A and B overlap?  */
static int
overlap_p (const fadj_dg_box *a, const fadj_dg_box *b)
{
  return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Does the circle inscribed in the square C meet the interior of B?  */
static int
circle_overlap_p (const fadj_dg_box *c, const fadj_dg_box *b)
{
  double cx = (c->x0 + c->x1) / 2, cy = (c->y0 + c->y1) / 2;
  double r = (c->x1 - c->x0) / 2;
  double px = cx < b->x0 ? b->x0 : cx > b->x1 ? b->x1 : cx;
  double py = cy < b->y0 ? b->y0 : cy > b->y1 ? b->y1 : cy;

  return (px - cx) * (px - cx) + (py - cy) * (py - cy) < r * r * 0.999;
}

/* Samples along a segment: every 0.005 cm or finer.  */
#define SAMPLES 4000

/* Does edge G pass inside B (sampled)?  */
static int
edge_in_box_p (const fadj_dg_edge *g, const fadj_dg_box *b)
{
  int k;

  for (k = 0; k <= SAMPLES; k++)
    {
      double t = (double) k / SAMPLES;
      double x = g->x0 + t * (g->x1 - g->x0), y = g->y0 + t * (g->y1 - g->y0);
      if (x > b->x0 && x < b->x1 && y > b->y0 && y < b->y1)
        return 1;
    }
  return 0;
}

/* Does edge G pass inside the circle inscribed in C (sampled)?  */
static int
edge_in_circle_p (const fadj_dg_edge *g, const fadj_dg_box *c)
{
  double cx = (c->x0 + c->x1) / 2, cy = (c->y0 + c->y1) / 2;
  double r = (c->x1 - c->x0) / 2;
  int k;

  for (k = 0; k <= SAMPLES; k++)
    {
      double t = (double) k / SAMPLES;
      double x = g->x0 + t * (g->x1 - g->x0) - cx;
      double y = g->y0 + t * (g->y1 - g->y0) - cy;
      if (x * x + y * y < r * r * 0.98)
        return 1;
    }
  return 0;
}

static const char *const kinds[] = {
  "neuron", "value", "bias node", "header", "label", "matrix", "legend"
};

/* No two items of S overlap (a neuron is its circle).  */
static void
assert_no_overlap (const fadj_dg_scene *s, const char *what)
{
  size_t i, j;

  for (i = 0; i < s->nitems; i++)
    for (j = i + 1; j < s->nitems; j++)
      {
        const fadj_dg_item *a = s->items + i, *b = s->items + j;
        int meet;
        if (a->kind == FADJ_DG_NEURON && b->kind == FADJ_DG_NEURON)
          meet = overlap_p (&a->box, &b->box);
        else if (a->kind == FADJ_DG_NEURON)
          meet = circle_overlap_p (&a->box, &b->box);
        else if (b->kind == FADJ_DG_NEURON)
          meet = circle_overlap_p (&b->box, &a->box);
        else
          meet = overlap_p (&a->box, &b->box);
        ck_assert_msg (!meet, "%s: %s '%s' overlaps %s '%s'", what,
                       kinds[a->kind], a->tex ? a->tex : "",
                       kinds[b->kind], b->tex ? b->tex : "");
      }
}

/* Every label of S is on its edge (its centre within 0.01 cm of it) and
   on no other; no bias edge passes through anything written but its
   own target and the values under it, which are drawn over the edge's
   end as over every edge's.  */
static void
assert_edges_clear (const fadj_dg_scene *s, const char *what)
{
  size_t i, e;

  for (i = 0; i < s->nitems; i++)
    {
      const fadj_dg_item *it = s->items + i;
      for (e = 0; e < s->nedges; e++)
        {
          const fadj_dg_edge *g = s->edges + e;
          if (it->kind == FADJ_DG_LABEL && e == it->edge)
            {
              /* The centre on the line through the edge, between its
                 ends.  */
              double cx = (it->box.x0 + it->box.x1) / 2;
              double cy = (it->box.y0 + it->box.y1) / 2;
              double cross = (g->x1 - g->x0) * (cy - g->y0)
                             - (g->y1 - g->y0) * (cx - g->x0);
              double len2 = (g->x1 - g->x0) * (g->x1 - g->x0)
                            + (g->y1 - g->y0) * (g->y1 - g->y0);
              ck_assert_msg (cross * cross < 1e-4 * len2,
                             "%s: label '%s' off its edge", what, it->tex);
              continue;
            }
          if (it->kind == FADJ_DG_LABEL)
            ck_assert_msg (!edge_in_box_p (g, &it->box), "%s: label '%s' "
                           "crossed by the edge %zu-%zu -> %zu-%zu", what,
                           it->tex, g->from_l, g->from_i, g->to_l, g->to_i);
          if (!g->bias)
            continue;
          if (it->kind == FADJ_DG_NEURON)
            ck_assert_msg ((it->layer == g->to_l && it->index == g->to_i)
                           || !edge_in_circle_p (g, &it->box),
                           "%s: bias edge into %zu-%zu crosses neuron "
                           "%zu-%zu", what, g->to_l, g->to_i, it->layer,
                           it->index);
          else if (!(it->kind == FADJ_DG_BIAS && it->layer == g->to_l)
                   && !(it->kind == FADJ_DG_VALUE && it->layer == g->to_l
                        && it->index == g->to_i))
            ck_assert_msg (!edge_in_box_p (g, &it->box), "%s: bias edge "
                           "into %zu-%zu crosses %s '%s'", what, g->to_l,
                           g->to_i, kinds[it->kind], it->tex);
        }
    }
}

/* Every weight and bias of layers of up to 5 neurons is shown: on its
   edge, or in a matrix of its layer under the picture.  Returns the
   number of layers labelled on their edges entirely.  */
static size_t
assert_weights_shown (const fadj_dg_scene *s, const fadj_net *net,
                      const char *what)
{
  size_t l, k, whole = 0;

  for (l = 1; l <= net->nlayers; l++)
    {
      size_t n = net->sizes[l], np = net->sizes[l - 1], labels = 0;
      size_t biases = 0, matrices = 0;
      if (n > 5 || np > 5)
        continue;
      for (k = 0; k < s->nitems; k++)
        if (s->items[k].layer == l && s->items[k].kind == FADJ_DG_LABEL)
          {
            labels++;
            biases += s->edges[s->items[k].edge].bias;
          }
        else if (s->items[k].layer == l
                 && s->items[k].kind == FADJ_DG_MATRIX)
          matrices++;
      if (matrices == 0)
        {
          ck_assert_msg (labels == n * np + (net->layers[l - 1].has_bias
                                             ? n : 0),
                         "%s: layer %zu: %zu labels, no matrix", what, l,
                         labels);
          whole++;
        }
      else
        /* A matrix: the weights on no edge, or the biases alone in it.  */
        ck_assert_msg ((labels == 0 || labels == n * np) && biases == 0,
                       "%s: layer %zu: %zu labels beside a matrix", what,
                       l, labels);
    }
  return whole;
}

START_TEST (test_geometry)
{
  int row = _i;
  fadj_net *net = test_parse (nets[row]);
  size_t m;

  for (m = 0; m < NMODES; m++)
    {
      fadj_dg_scene s;
      fadj_trace *t = scene_of (&s, net, modes[m]);
      char what[64];
      size_t whole;
      snprintf (what, sizeof what, "network %d, mode %zu", row, m);
      ck_assert (!s.nomem);
      assert_no_overlap (&s, what);
      assert_edges_clear (&s, what);
      whole = assert_weights_shown (&s, net, what);
      /* Where the edges leave room, they carry the numbers: the 4-2 layer
         of 3-4-2 and both layers of A[2,2,1].  */
      if (row == 0 || row == 3)
        ck_assert_uint_ge (whole, 1);
      if (row == 2)
        ck_assert_uint_eq (whole, 2);
      fadj_dg_scene_clear (&s);
      fadj_trace_free (t);
    }
  fadj_net_free (net);
}
END_TEST

/* The picture as TeX: horizontal labels, no size below \footnotesize,
   the same labels as the scene.  */
START_TEST (test_tex)
{
  fadj_net *net = test_parse (nets[_i]);
  fadj_latex_numfmt f;
  fadj_dg_scene s;
  fadj_trace *t = scene_of (&s, net, 0);
  fadj_buf *b = fadj_buf_new ();
  const char *tex, *p;
  size_t labels = 0, k;

  memset (&f, 0, sizeof f);
  f.digits = 6;
  ck_assert_int_eq (fadj_latex_diagram (b, t, &f, 0, "\\ell", 0), FADJ_OK);
  tex = fadj_buf_data (b, NULL);
  ck_assert_ptr_null (strstr (tex, "sloped"));
  ck_assert_ptr_null (strstr (tex, "rotate"));
  ck_assert_ptr_null (strstr (tex, "\\tiny"));
  ck_assert_ptr_null (strstr (tex, "\\scriptsize"));
  for (p = tex; (p = strstr (p, "\\node[weight] at (")) != NULL; p++)
    labels++;
  for (k = 0; k < s.nitems; k++)
    labels -= s.items[k].kind == FADJ_DG_LABEL;
  ck_assert_uint_eq (labels, 0);
  fadj_buf_free (b);
  fadj_dg_scene_clear (&s);
  fadj_trace_free (t);
  fadj_net_free (net);
}
END_TEST

/* The geometry's own predicates on boxes drawn by hand.  */
START_TEST (test_predicates)
{
  fadj_dg_box a = { 0, 0, 2, 1 }, b = { 1.9, 0.9, 3, 2 }, c = { 2.2, 0, 3, 1 };
  fadj_dg_box circle = { -1, -1, 1, 1 }, corner = { 0.8, 0.8, 2, 2 };

  ck_assert (fadj_dg_boxes_overlap_p (&a, &b, 0));
  ck_assert (!fadj_dg_boxes_overlap_p (&a, &c, 0));
  ck_assert (fadj_dg_boxes_overlap_p (&a, &c, 0.11));
  /* The corner box is in the circle's bounding square, not the circle
     (0.8^2 + 0.8^2 > 1).  */
  ck_assert (!fadj_dg_circle_meets_p (&circle, &corner, 0));
  ck_assert (fadj_dg_segment_meets_p (-1, 0.5, 3, 0.5, &a));
  ck_assert (!fadj_dg_segment_meets_p (-1, 1.5, 3, 1.6, &a));
  /* A diagonal passing the corner (2, 1) outside.  */
  ck_assert (!fadj_dg_segment_meets_p (1.5, 2, 3, 0.5, &a));
  ck_assert (fadj_dg_segment_meets_p (0.9, 2, 2.9, 0, &a));
  ck_assert (fadj_dg_segment_meets_circle_p (-2, 0.9, 2, 0.9, &circle));
  ck_assert (!fadj_dg_segment_meets_circle_p (-2, 1.1, 2, 1.1, &circle));
  ck_assert (fadj_dg_length (3, 4) > 5 - 1e-12
             && fadj_dg_length (3, 4) < 5 + 1e-12);
}
END_TEST

/* Sizes of numbers against what TeX sets at 8pt in display style
   (measured once with \setbox and \wd: -2/5 as a fraction 13.26pt wide,
   0.375 19.36pt, 1849/2520 19.40pt, -0.0287381 42.97pt): the estimate
   is never short, and at most 15% long.  */
START_TEST (test_measure)
{
  static const struct { const char *tex; double pt, ht; } rows[] = {
    { "$\\displaystyle -\\frac{2}{5}$", 13.26, 16.72 },
    { "$\\displaystyle 0.375$", 19.36, 5.16 },
    { "$\\displaystyle \\frac{1849}{2520}$", 19.40, 16.72 },
    { "$\\displaystyle -0.0287381$", 42.97, 5.99 },
  };
  size_t k;

  for (k = 0; k < sizeof rows / sizeof rows[0]; k++)
    {
      double w, h, wpt, hpt;
      fadj_dg_measure (&w, &h, rows[k].tex);
      wpt = w / 0.035146;
      hpt = h / 0.035146;
      ck_assert_msg (wpt >= rows[k].pt && wpt <= 1.15 * rows[k].pt,
                     "%s: %g pt for %g", rows[k].tex, wpt, rows[k].pt);
      ck_assert_msg (hpt >= rows[k].ht, "%s: height %g pt for %g",
                     rows[k].tex, hpt, rows[k].ht);
    }
}
END_TEST

int
main (void)
{
  const test_entry tests[] = {
    TEST_CASE ("layout"),
    TEST_ONCE (test_predicates),
    TEST_ONCE (test_measure),
    TEST_CASE_TIMEOUT ("diagram", 300),
    TEST_LOOP (test_geometry, (int) (sizeof nets / sizeof nets[0])),
    TEST_LOOP (test_tex, (int) (sizeof nets / sizeof nets[0])),
  };

  return test_main ("diagram", tests, sizeof tests / sizeof tests[0]);
}
