/* diagram-layout.h -- the geometry of the network diagram: the boxes
   of what is written in the picture (neurons, values, edge labels,
   matrices), the edges as segments, and the placement of each edge's
   label where it meets no other box and no other edge.  Only
   latex-diagram.c (which fills a scene and draws it) and its tests use
   it.  Lengths are in centimetres, y upwards, as in the TikZ picture.  */

#ifndef FADJ_DIAGRAM_LAYOUT_H
#define FADJ_DIAGRAM_LAYOUT_H

#include "fadj-impl.h"

/* An axis-parallel rectangle, X0 <= X1, Y0 <= Y1.  */
typedef struct
{
  double x0, y0, x1, y1;
} fadj_dg_box;

/* What a box of the picture holds.  */
enum
{
  FADJ_DG_NEURON,      /* a neuron's circle (its bounding square) */
  FADJ_DG_VALUE,       /* a value beside a neuron (Y, Y_*, X_*) */
  FADJ_DG_BIAS,        /* the square "1" node of a layer's bias */
  FADJ_DG_HEADER,      /* a column's title, or a \vdots */
  FADJ_DG_LABEL,       /* an edge's label: its weight or bias */
  FADJ_DG_MATRIX,      /* a layer's weights as a matrix */
  FADJ_DG_LEGEND
};

/* One thing written in the picture: its box and the TeX in it (owned;
   NULL for none).  */
typedef struct
{
  int kind;
  fadj_dg_box box;
  size_t edge;         /* FADJ_DG_LABEL: index in the scene's edges */
  size_t layer;        /* a neuron's layer; the layer l a label, matrix
                          or bias node belongs to (the edges into it) */
  size_t index;        /* a neuron's index in its layer */
  int adjoint;         /* FADJ_DG_VALUE: an adjoint (Y_*, X_*), drawn
                          dashed, not a forward value (Y) */
  int side;            /* FADJ_DG_VALUE: 0 Y above the neuron, 1 Y_*
                          (X^0_* at the inputs), 2 X_* below it */
  char *tex;
} fadj_dg_item;

/* An edge as drawn, from the border of its source to the border of its
   target; FROM_L, FROM_I and TO_I name the nodes for TikZ (FROM_I is
   unused for a bias edge, whose source is the bias node of layer TO_L).  */
typedef struct
{
  double x0, y0, x1, y1;
  int bias;
  size_t from_l, from_i, to_l, to_i;
} fadj_dg_edge;

/* Everything the picture draws, in centimetres.  Made empty by
   fadj_dg_scene_init, freed by fadj_dg_scene_clear (its items' TeX
   too).  */
typedef struct
{
  fadj_dg_item *items;
  size_t nitems, items_cap;
  fadj_dg_edge *edges;
  size_t nedges, edges_cap;
  int nomem;           /* an append failed: the scene is incomplete */
  /* The window of fadj_dg_window_begin, while WIN_SET: the items and
     edges that were near it then, and the counts of both then (those
     added since are all looked at).  */
  int win_set;
  size_t *win_items, nwin_items, win_nitems;
  size_t *win_edges, nwin_edges, win_nedges;
} fadj_dg_scene;

void fadj_dg_scene_init (fadj_dg_scene *s);
void fadj_dg_scene_clear (fadj_dg_scene *s);

/* Append an item of KIND over BOX with a copy of TEX (NULL: none), and
   return its index; on failure S->nomem is set.  */
size_t fadj_dg_add_item (fadj_dg_scene *s, int kind, fadj_dg_box box,
                         const char *tex);
/* Append the edge E and return its index; on failure S->nomem.  */
size_t fadj_dg_add_edge (fadj_dg_scene *s, const fadj_dg_edge *e);

/* The length of the vector (DX, DY): the square root without libm,
   which libfadj does not link.  */
double fadj_dg_length (double dx, double dy);

/* The box of width W and height H centred on (X, Y).  */
fadj_dg_box fadj_dg_box_at (double x, double y, double w, double h);

/* Do A and B, each grown by MARGIN on every side, overlap?  */
int fadj_dg_boxes_overlap_p (const fadj_dg_box *a, const fadj_dg_box *b,
                             double margin);

/* Does the circle inscribed in the square CIRCLE (a neuron), grown by
   MARGIN, meet BOX?  */
int fadj_dg_circle_meets_p (const fadj_dg_box *circle, const fadj_dg_box *box,
                            double margin);

/* Does the segment (X0, Y0)-(X1, Y1) meet BOX (clipping, Liang and
   Barsky)?  */
int fadj_dg_segment_meets_p (double x0, double y0, double x1, double y1,
                             const fadj_dg_box *box);

/* Does the segment (X0, Y0)-(X1, Y1) meet the circle inscribed in the
   square CIRCLE?  */
int fadj_dg_segment_meets_circle_p (double x0, double y0, double x1,
                                    double y1, const fadj_dg_box *circle);

/* Until fadj_dg_window_end, every label placed or measured
   (fadj_dg_place_label, fadj_dg_label_room) is centred at an X in
   [X0, X1], at most W wide, and nothing moves but the bias node of
   layer LAYER and its edges: the labels then look only at the items and
   edges near that band, not at the whole picture (a picture of a
   thousand layers would make labelling quadratic in its depth).  Out of
   memory, there is no window and everything is looked at.  */
void fadj_dg_window_begin (fadj_dg_scene *s, double x0, double x1, double w,
                           size_t layer);
void fadj_dg_window_end (fadj_dg_scene *s);

/* Place the label of edge E, W by H, centred on a point of the edge
   (the fraction T of its way, the first of the candidates from T_PREF
   outwards within [0.1, 0.9]) where its box meets no item of S and no
   edge but E.  On success the label is appended as an item (kind
   FADJ_DG_LABEL, layer LAYER, TEX copied) and 1 returned; 0 if no point
   of the edge will do (or memory ran out: S->nomem).  */
int fadj_dg_place_label (fadj_dg_scene *s, size_t e, double w, double h,
                         double t_pref, size_t layer, const char *tex);

/* How many of the places fadj_dg_place_label tries for the label of
   edge E, W by H, are free: the labels with the least room are placed
   first.  */
size_t fadj_dg_label_room (const fadj_dg_scene *s, size_t e, double w,
                           double h);

/* Drop the items of S from index N on (a layer's labels that did not
   all fit).  */
void fadj_dg_truncate_items (fadj_dg_scene *s, size_t n);

/* The lowest y of the items of S whose centres lie in [XA, XB] (every
   item when XA > XB), or 0 if none.  */
double fadj_dg_bottom (const fadj_dg_scene *s, double xa, double xb);

/* The size, in centimetres, of the math-mode TeX S set at 8pt in display
   style (the picture's \footnotesize): numbers, \frac and \dfrac, signs,
   sub- and superscripts, a few symbols; an estimate on the large side,
   from the widths of Computer Modern at 8pt.  */
void fadj_dg_measure (double *w, double *h, const char *s);

/* Fill S (initialised, empty) with the scene of T's diagram as
   fadj_latex_diagram draws it (F and FLAGS as there; latex-diagram.c):
   the tests check its geometry.  S is to be cleared by the caller, also
   on failure.  */
fadj_status fadj_latex_diagram_scene (fadj_dg_scene *s, const fadj_trace *t,
                                      const fadj_latex_numfmt *f,
                                      unsigned flags, const char *ix)
  FADJ_WUR;

#endif /* FADJ_DIAGRAM_LAYOUT_H */
