/* latex-writer.c -- the core of the LaTeX writer: one writer over one
   output, its scratch buffers and its flags, the matrices and numbers as
   the document prints them, sections, the align* displays and their
   steps, and the frames of a beamer deck.  The sections themselves are
   in latex.c (the derivation), latex-chain.c, latex-check.c and
   latex-train.c; see latex-writer.h.  */

#include "latex-writer.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Usable width of a display, in digit widths (see fadj_latex_width):
   the standalone document has a 16cm text width (455pt), a fragment is
   assumed to have the article default of 345pt; both with a margin for
   the estimate's error.  */
#define WIDTH_STANDALONE 76.0
#define WIDTH_FRAGMENT 62.0
/* A 16:9 beamer frame: 140mm of text at 10pt (sans-serif digits).  */
#define WIDTH_BEAMER 68.0
/* What a matrix on a line of its own leaves room for: a left-hand side,
   a relation and an indentation (the widest seen: J_{\sigma}(Y^{2}_{(1)})
   is 7).  */
#define ALONE 12.0
/* The height of a deck's display in points: the frame's 252pt of text
   less its title and the display's skips, with a margin; a step's
   picture takes 0.3 of the text's height and the space around it.  */
#define HEIGHT_BEAMER 185.0
/* The height of a block of a matrix too tall for a page
   (fadj_layout_matrix_blocks), in points: the standalone document's
   703pt of text (A4, 2.5cm margins) and the article's default 550pt
   for a fragment, less a section's title and the lines around.  */
#define HEIGHT_STANDALONE 560.0
#define HEIGHT_FRAGMENT 420.0
#define HEIGHT_DIAGRAM 90.0

/* ------------------------------------------------------------------ */
/* Scratch matrices: views of the trace rearranged for printing.       */

static fadj_ctx
mat_ctx (const fadj_mat *m)
{
  fadj_ctx c = { .domain = FADJ_EXACT };

  return m->rows * m->cols > 0 ? fadj_num_get_ctx (m->e) : c;
}

/* DST = columns [C0, C0 + NC) of SRC, transposed if TRANSPOSE, with a
   row of ones appended first if ONES (the augmented X).  DST is new.  */
static fadj_status
mat_view (fadj_mat *dst, const fadj_mat *src, size_t c0, size_t nc,
          int ones, int transpose)
{
  fadj_ctx ctx = mat_ctx (src);
  size_t rows = src->rows + (ones != 0), i, j;
  fadj_status st;

  st = transpose ? fadj_mat_init (dst, nc, rows, &ctx)
                 : fadj_mat_init (dst, rows, nc, &ctx);
  if (st != FADJ_OK)
    return st;
  dst->written = src->written;
  for (i = 0; i < rows; i++)
    for (j = 0; j < nc; j++)
      {
        fadj_num_ptr r = transpose ? FADJ_MAT (dst, j, i)
                         : FADJ_MAT (dst, i, j);
        if (i < src->rows)
          fadj_num_set (r, FADJ_MAT (src, i, c0 + j));
        else
          fadj_num_set_si (r, 1);
      }
  return FADJ_OK;
}

/* DST = [A | B] (B may have no rows: then DST = A).  Both exact.  */
static fadj_status
mat_hcat (fadj_mat *dst, const fadj_mat *a, const fadj_mat *b)
{
  fadj_ctx ctx = mat_ctx (a);
  size_t bc = b->rows > 0 ? b->cols : 0, i, j;
  fadj_status st;

  st = fadj_mat_init (dst, a->rows, a->cols + bc, &ctx);
  if (st != FADJ_OK)
    return st;
  dst->written = a->written > b->written ? a->written : b->written;
  for (i = 0; i < a->rows; i++)
    {
      for (j = 0; j < a->cols; j++)
        fadj_num_set (FADJ_MAT (dst, i, j), FADJ_MAT (a, i, j));
      for (j = 0; j < bc; j++)
        fadj_num_set (FADJ_MAT (dst, i, a->cols + j), FADJ_MAT (b, i, j));
    }
  return FADJ_OK;
}

/* Entry by entry, in the domain of each difference: exact where both
   values are (a carried value against an exact one: its drift, 0 when
   the rounding changed nothing), an enclosure otherwise.  */
fadj_status
fadj_writer_mat_sub (fadj_mat *d, const fadj_mat *a, const fadj_mat *b)
{
  fadj_ctx ctx = mat_ctx (a);
  size_t i;

  if (ctx.domain == FADJ_EXACT)
    ctx = mat_ctx (b);
  if (fadj_mat_init (d, a->rows, a->cols, &ctx) != FADJ_OK)
    return FADJ_ERR_NOMEM;
  for (i = 0; i < d->rows * d->cols; i++)
    fadj_num_sub (d->e + i, a->e + i, b->e + i);
  return FADJ_OK;
}

/* ------------------------------------------------------------------ */
/* Numbers and matrices.                                               */

/* Is M data of the network file (weights, biases, input, target), as
   opposed to a value the derivation computes?  A worksheet prints the
   data and leaves a box for every computed value.  */
static int
given_p (const fadj_writer *w, const fadj_mat *m)
{
  size_t l;

  if (m == &w->net->input || m == &w->net->target)
    return 1;
  for (l = 0; l < w->net->nlayers; l++)
    if (m == &w->net->layers[l].w || m == &w->net->layers[l].b)
      return 1;
  return 0;
}

/* Is X an entry of M?  */
static int
entry_of_p (const fadj_mat *m, fadj_num_srcptr x)
{
  size_t n = m->rows * m->cols;

  return n > 0 && x >= m->e && x < m->e + n;
}

/* Which part of the derivation computes M (a matrix of the trace):
   FADJ_LATEX_BLANK_FORWARD for Y^l, X^l (l >= 1), _ADJOINT for the
   adjoints, the sigma' and the Jacobians, _GRADIENTS for the gradients;
   any other computed matrix (the chain rule's, a training step's) counts
   as a gradient's.  */
static unsigned
part_of (const fadj_writer *w, const fadj_mat *m)
{
  const fadj_trace *t = w->t;

  if ((m > t->X && m <= t->X + t->L) || (m > t->Y && m <= t->Y + t->L))
    return FADJ_LATEX_BLANK_FORWARD;
  if ((m >= t->xs && m <= t->xs + t->L) || (m > t->ys && m <= t->ys + t->L)
      || (m > t->dsig && m <= t->dsig + t->L)
      || (m > t->jac && m <= t->jac + t->L))
    return FADJ_LATEX_BLANK_ADJOINT;
  return FADJ_LATEX_BLANK_GRADIENTS;
}

/* How a worksheet prints M: a field for each entry when the student
   computes it, else as the document prints values.  The input X^0 and
   the data of the file are never fields.  */
static int
box_of_mat (const fadj_writer *w, const fadj_mat *m)
{
  if (w->box == FADJ_BOX_NONE || given_p (w, m) || m == w->t->X)
    return FADJ_BOX_NONE;
  return (part_of (w, m) & w->blanks) ? w->box : FADJ_BOX_NONE;
}

/* The same for one number X: by the trace matrix it is an entry of (the
   loss is the F-propagation's; a number of no matrix, such as a
   chain rule's product, a gradient's).  */
static int
box_of_num (const fadj_writer *w, fadj_num_srcptr x)
{
  const fadj_trace *t = w->t;
  unsigned part = FADJ_LATEX_BLANK_GRADIENTS;
  size_t l;

  if (w->box == FADJ_BOX_NONE)
    return FADJ_BOX_NONE;
  if (x == t->J)
    part = FADJ_LATEX_BLANK_FORWARD;
  for (l = 0; l <= t->L; l++)
    {
      const fadj_mat *ms[] = { t->X + l, t->Y + l, t->xs + l, t->ys + l,
                               t->dsig + l, t->jac + l };
      size_t k;
      for (k = 0; k < sizeof ms / sizeof ms[0]; k++)
        if ((l > 0 || k == 0 || k == 2) && entry_of_p (ms[k], x))
          {
            if (ms[k] == t->X)
              return FADJ_BOX_NONE;     /* the input */
            part = part_of (w, ms[k]);
          }
    }
  if (entry_of_p (&w->net->input, x) || entry_of_p (&w->net->target, x))
    return FADJ_BOX_NONE;
  return (part & w->blanks) ? w->box : FADJ_BOX_NONE;
}

/* Are the columns of M the samples: is it a value of the trace
   (X^l, Y^l, sigma'(Y^l), Y^l_*, X^l_*) or the input or the target, of
   a batch?  Anything else that is too wide has "columns".  */
static int
samples_p (const fadj_writer *w, const fadj_mat *m)
{
  const fadj_trace *t = w->t;

  if (t->m < 2 || m->cols != t->m)
    return 0;
  if (m == &w->net->input || m == &w->net->target)
    return 1;
  return (m >= t->X && m <= t->X + t->L) || (m >= t->xs && m <= t->xs + t->L)
    || (m > t->Y && m <= t->Y + t->L) || (m > t->ys && m <= t->ys + t->L)
    || (m > t->dsig && m <= t->dsig + t->L);
}

/* Append matrix M as a bmatrix, boxed as a worksheet wants when it is
   computed (not GIVEN); *APPROX |= inexactness.  A matrix too wide for
   a line of its own (beside a left-hand side, a relation and an
   indentation) is cut into labelled blocks of columns, of samples when
   SAMPLES, and one too tall for a page (a frame) into blocks of rows:
   the layout gives each block a line.  */
static void
put_mat_given (fadj_writer *w, fadj_buf *b, int *approx, const fadj_mat *m,
               const char *pre, const char *post, size_t bar, int box,
               int samples)
{
  fadj_latex_numfmt f = w->fmt;
  const char *data;
  size_t len, shown;
  fadj_layout_cols lc;

  f.box = box;
  if (!fadj_writer_ok (w))
    return;
  fadj_buf_reset (w->mat);
  fadj_writer_fail (w, fadj_latex_matrix_fmt (w->mat, approx, m, pre, post,
                                              bar, &f));
  if (fadj_buf_status (w->mat) != FADJ_OK)
    fadj_writer_fail (w, FADJ_ERR_NOMEM);
  if (!fadj_writer_ok (w))
    return;
  data = fadj_buf_data (w->mat, &len);
  lc.height = w->beamer ? HEIGHT_BEAMER : (w->flags & FADJ_LATEX_FRAGMENT)
    ? HEIGHT_FRAGMENT : HEIGHT_STANDALONE;
  lc.field = fadj_writer_field_height (w);
  if ((w->flags & FADJ_LATEX_FOR_TEXT)
      || ((m->cols < 2 || fadj_latex_width (data, len) <= w->width - ALONE)
          && fadj_layout_line_height (data, data + len, lc.field)
             <= lc.height))
    {
      fadj_buf_put_mem (b, data, len);
      return;
    }
  fadj_latex_elide (&shown, &lc.head, m->cols, w->fmt.max_show);
  lc.total = m->cols;
  lc.elided = shown < m->cols;
  lc.one = samples ? _ ("sample") : _ ("column");
  lc.many = samples ? _ ("samples") : _ ("columns");
  fadj_latex_elide (&shown, &lc.rhead, m->rows, w->fmt.max_show);
  lc.rtotal = m->rows;
  lc.relided = shown < m->rows;
  fadj_writer_fail (w, fadj_layout_matrix_blocks (b, data, len,
                                                  w->width - ALONE, &lc));
}

void
fadj_writer_put_mat (fadj_writer *w, fadj_buf *b, int *approx,
                     const fadj_mat *m, const char *pre, const char *post,
                     size_t bar)
{
  put_mat_given (w, b, approx, m, pre, post, bar, box_of_mat (w, m),
                 samples_p (w, m));
}

void
fadj_writer_put_num (fadj_writer *w, fadj_buf *b, int *approx,
                     fadj_num_srcptr x)
{
  fadj_latex_numfmt f = w->fmt;

  f.box = box_of_num (w, x);
  if (fadj_writer_ok (w))
    fadj_writer_fail (w, fadj_latex_number_fmt (b, approx, x, &f));
}

void
fadj_writer_put_number (fadj_writer *w, fadj_buf *b, int *approx,
                        fadj_num_srcptr x)
{
  fadj_latex_numfmt f = w->fmt;

  /* Unboxed, but a zero to the working precision is marked all the
     same.  */
  f.digits = w->digits;
  f.box = FADJ_BOX_NONE;
  if (fadj_writer_ok (w))
    fadj_writer_fail (w, fadj_latex_number_fmt (b, approx, x, &f));
}

void
fadj_writer_put_q (fadj_writer *w, fadj_buf *b, int *approx, const mpq_t q)
{
  fadj_ctx qc = { .domain = FADJ_EXACT };
  fadj_num_t a;

  fadj_num_init (a, &qc);
  fadj_num_set_q (a, q);
  fadj_writer_put_number (w, b, approx, a);
  fadj_num_clear (a);
}

void
fadj_writer_put_view (fadj_writer *w, fadj_buf *b, int *approx,
                      const fadj_mat *src, size_t c0, size_t nc, int ones,
                      int transpose)
{
  fadj_mat v;

  if (!fadj_writer_ok (w))
    return;
  if (mat_view (&v, src, c0, nc, ones, transpose) != FADJ_OK)
    {
      fadj_writer_fail (w, FADJ_ERR_NOMEM);
      return;
    }
  /* The appended row of ones is a constant, never a field.  */
  if (ones)
    {
      if (transpose)
        w->fmt.plain_col1 = src->rows + 1;
      else
        w->fmt.plain_row1 = src->rows + 1;
    }
  put_mat_given (w, b, approx, &v, NULL, NULL, 0, box_of_mat (w, src),
                 !transpose && c0 == 0 && nc == src->cols
                 && samples_p (w, src));
  w->fmt.plain_row1 = w->fmt.plain_col1 = 0;
  fadj_mat_clear (&v);
}

void
fadj_writer_put_weights (fadj_writer *w, fadj_buf *b, size_t l)
{
  const fadj_layer *ly = w->net->layers + l - 1;
  fadj_mat aug;

  if (!fadj_writer_ok (w))
    return;
  if (!ly->has_bias || w->sep)
    {
      fadj_writer_put_mat (w, b, NULL, &ly->w, NULL, NULL, 0);
      return;
    }
  if (mat_hcat (&aug, &ly->w, &ly->b) != FADJ_OK)
    {
      fadj_writer_fail (w, FADJ_ERR_NOMEM);
      return;
    }
  put_mat_given (w, b, NULL, &aug, NULL, NULL, ly->w.cols, FADJ_BOX_NONE,
                 0);
  fadj_mat_clear (&aug);
}

/* Does layer L's input X^{l-1} carry the appended 1 when printed?  */
static int
augmented (const fadj_writer *w, size_t l)
{
  return l >= 1 && l <= w->t->L && w->net->layers[l - 1].has_bias && !w->sep;
}

void
fadj_writer_put_x (fadj_writer *w, fadj_buf *b, int *approx, size_t k,
                   int transpose)
{
  /* X^0 from the network, where it is exact: in the trace of an
     interval derivation it is an enclosure, and -4/3 would print as
     -1.33333 instead of -\\frac{4}{3}.  */
  const fadj_mat *x = k == 0 ? &w->net->input : w->t->X + k;
  fadj_writer_put_view (w, b, approx, x, 0, x->cols, augmented (w, k + 1),
                        transpose);
}

/* ------------------------------------------------------------------ */
/* Beamer frames.  The deck is the same document cut into frames: each
   section opens a frame for its prose (cut into bullets, and into
   further frames where it is too tall, when it closes), each display of
   steps gets a frame of its own, and a frame left with an empty body is
   taken out again, so the sections below need not know about slides.  */

void
fadj_writer_frame_close (fadj_writer *w)
{
  const char *data, *p;
  size_t len;

  if (!w->frame_open)
    return;
  w->frame_open = 0;
  data = fadj_buf_data (w->b, &len);
  for (p = data + w->frame_body; p < data + len; p++)
    if (*p != ' ' && *p != '\n')
      break;
  if (p == data + len)
    fadj_buf_truncate (w->b, w->frame_start);
  else if (w->frame_prose)
    {
      if (w->prose == NULL && (w->prose = fadj_buf_new ()) == NULL)
        {
          fadj_writer_fail (w, FADJ_ERR_NOMEM);
          return;
        }
      fadj_buf_reset (w->prose);
      fadj_buf_put_mem (w->prose, data + w->frame_body,
                        len - w->frame_body);
      fadj_buf_truncate (w->b, w->frame_start);
      if (fadj_buf_status (w->prose) != FADJ_OK)
        fadj_writer_fail (w, FADJ_ERR_NOMEM);
      else
        fadj_deck_prose (w->b, fadj_buf_data (w->prose, NULL),
                         fadj_buf_len (w->prose), w->frame_title,
                         fadj_writer_field_height (w));
    }
  else
    fadj_buf_puts (w->b, "\\end{frame}\n");
}

/* The head of a frame titled by the current section (and layer),
   "(continued)" if CONTINUED; PROSE frames may break over several
   slides.  */
static void
frame_head (fadj_writer *w, int prose, int continued)
{
  fadj_writer_frame_close (w);
  w->frame_start = fadj_buf_len (w->b);
  snprintf (w->frame_title, sizeof w->frame_title, "%s",
            w->sec_title != NULL ? w->sec_title : "");
  if (!prose && w->active > 0)
    snprintf (w->frame_title + strlen (w->frame_title),
              sizeof w->frame_title - strlen (w->frame_title), _ (", layer %zu"),
              w->active);
  fadj_buf_printf (w->b, "\n\\begin{frame}[t]{%s%s}\n", w->frame_title,
                   continued ? _ (" (continued)") : "");
  w->frame_body = fadj_buf_len (w->b);
  w->frame_open = 1;
  w->frame_prose = prose;
  w->frame_overlay = 0;
}

/* Open a frame titled by the current section (and layer); PROSE frames
   are cut into bullets and frames when they close.  The picture is not
   on a step's frame, where it could only be small: it has frames of its
   own as it fills in (fadj_deck_diagram_frame).  */
void
fadj_writer_frame_begin (fadj_writer *w, int prose)
{
  frame_head (w, prose, 0);
  w->frame_diagram = 0;
}

/* Whether the open frame has something in it.  */
static int
frame_used_p (fadj_writer *w)
{
  const char *data, *p;
  size_t len;

  data = fadj_buf_data (w->b, &len);
  for (p = data + w->frame_body; p < data + len; p++)
    if (*p != ' ' && *p != '\n')
      return 1;
  return 0;
}

/* On a deck, a display outside the steps of a layer stays on the frame
   of the prose that introduces it ("the seed is:"), where that prose is
   cut into bullets and frames around it; a layer's steps get frames of
   their own.  */
void
fadj_writer_align_begin (fadj_writer *w)
{
  w->align_in_prose = w->beamer && w->frame_open && w->frame_prose
    && w->active == 0 && frame_used_p (w);
  if (w->beamer && !w->align_in_prose)
    fadj_writer_frame_begin (w, 0);
  w->align_start = fadj_buf_len (w->b);
  fadj_buf_puts (w->b, "\\begin{align*}\n");
  w->nlines = 0;
  /* A step continues only inside its own display.  */
  w->tag_end = 0;
}

void
fadj_writer_put_shifted (fadj_buf *b, const char *s, const char *end,
                         int shift)
{
  const char *p = s, *u;

  while (shift > 0 && (u = strstr (p, "\\uncover<")) != NULL && u < end)
    {
      char *e;
      long n;
      u += strlen ("\\uncover<");
      n = strtol (u, &e, 10);
      fadj_buf_put_mem (b, p, (size_t) (u - p));
      fadj_buf_printf (b, "%ld", n - shift > 1 ? n - shift : 1);
      p = e;
    }
  fadj_buf_put_mem (b, p, (size_t) (end - p));
}

int
fadj_writer_first_overlay (const char *s, const char *end)
{
  const char *u;
  int least = 0;

  for (u = strstr (s, "\\uncover<"); u != NULL && u < end;
       u = strstr (u + 1, "\\uncover<"))
    {
      int n = atoi (u + strlen ("\\uncover<"));
      if (least == 0 || n < least)
        least = n;
    }
  return least;
}

/* Append the laid-out body [S, S + N) of a deck's display, cut into as
   many frames as its height needs: each continued frame (no picture)
   is titled "(continued)".  A slide never shrinks its mathematics.  */
static void
put_frames (fadj_writer *w, const char *s, size_t n)
{
  const char *end = s + n, *p, *stop, *next;
  double used = w->frame_diagram ? HEIGHT_DIAGRAM : 0;
  int lines = 0, shift = 0;

  for (p = s; p < end; p = next)
    {
      double h;
      next = fadj_layout_next_line (&stop, p, end);
      h = fadj_layout_line_height (p, stop, fadj_writer_field_height (w));
      if (used + h > HEIGHT_BEAMER && (lines > 0 || w->frame_diagram))
        {
          int least = fadj_writer_first_overlay (p, stop);
          if (lines > 0)
            fadj_buf_puts (w->b, "\n\\end{align*}\n");
          else                  /* the picture alone */
            fadj_buf_truncate (w->b, w->align_start);
          frame_head (w, 0, 1);
          w->frame_diagram = 0;
          fadj_buf_puts (w->b, "\\begin{align*}\n");
          used = 0;
          lines = 0;
          /* What the step revealed before is not on this frame: its
             first overlay from the frame's first slide on.  */
          shift = least > 1 ? least - 1 : 0;
        }
      if (lines > 0)
        fadj_buf_puts (w->b, "\\\\\n");
      fadj_writer_put_shifted (w->b, p, stop, shift);
      used += h;
      lines++;
    }
}

/* Close the align*, its lines laid out to the width (and on a deck, its
   frames to the height).  */
static void
align_close_env (fadj_writer *w)
{
  const char *data;
  size_t len, body;

  if (!fadj_writer_ok (w) || fadj_buf_status (w->b) != FADJ_OK)
    return;
  data = fadj_buf_data (w->b, &len);
  body = w->align_start + strlen ("\\begin{align*}\n");
  fadj_buf_reset (w->al);
  fadj_writer_fail (w, fadj_layout_align (w->al, data + body, len - body,
                                          w->width));
  if (w->align_in_prose)
    {
      /* In the prose frame: as displays that frames can hold.  */
      fadj_buf_truncate (w->b, w->align_start);
      fadj_deck_display_lines (w->b, fadj_buf_data (w->al, NULL),
                               fadj_buf_len (w->al),
                               fadj_writer_field_height (w));
      return;
    }
  fadj_buf_truncate (w->b, body);
  w->tag_end = 0;               /* the laid-out lines have moved */
  if (w->beamer)
    put_frames (w, fadj_buf_data (w->al, NULL), fadj_buf_len (w->al));
  else
    fadj_buf_put_mem (w->b, fadj_buf_data (w->al, NULL),
                      fadj_buf_len (w->al));
  fadj_buf_puts (w->b, "\n\\end{align*}\n");
}

void
fadj_writer_align_end (fadj_writer *w)
{
  align_close_env (w);
  if (w->beamer && !w->align_in_prose)
    fadj_writer_frame_begin (w, 1);
  w->align_in_prose = 0;
}

void
fadj_writer_align_newline (fadj_writer *w)
{
  if (w->nlines++ > 0)
    fadj_buf_puts (w->b, "\\\\\n");
}

double
fadj_writer_width (const char *s)
{
  return fadj_latex_width (s, strlen (s));
}

/* A new step begins: on a slide, in a frame of its own (the lines of
   one step, symbolic lines included, stay together).  */
void
fadj_writer_step_begin (fadj_writer *w)
{
  if (w->beamer && w->nlines > 0 && !w->in_step)
    {
      fadj_writer_align_end (w);
      fadj_writer_align_begin (w);
    }
}

/* " \uncover<N->{REL TEXT}" into B, on a slide: where TEXT holds line
   breaks of its own (a section that breaks its lines, such as the chain
   rule's sum over paths), the group is closed before each "\\" and
   opened again after the continuation's "&", so that no line break is
   ever inside a group (the layout's lines end at top-level "\\").  */
void
fadj_writer_put_uncovered (fadj_buf *b, int n, const char *rel,
                           const char *text)
{
  const char *p = text, *q;
  int depth = 0;

  fadj_buf_printf (b, " \\uncover<%d->{%s ", n, rel);
  for (q = p; *q != '\0'; q++)
    if (*q == '\\' && q[1] != '\0' && q[1] != '\\')
      q++;                      /* an escaped character or a command */
    else if (*q == '{')
      depth++;
    else if (*q == '}')
      depth--;
    else if (depth == 0 && q[0] == '\\' && q[1] == '\\')
      {
        const char *amp = q + 2;
        while (*amp == ' ' || *amp == '\n')
          amp++;
        if (*amp != '&')
          {
            q++;
            continue;
          }
        fadj_buf_put_mem (b, p, (size_t) (q - p));
        fadj_buf_puts (b, "}");
        fadj_buf_put_mem (b, q, (size_t) (amp + 1 - q));
        fadj_buf_printf (b, "\\uncover<%d->{", n);
        p = amp + 1;
        q = amp;
      }
  fadj_buf_puts (b, p);
  fadj_buf_puts (b, "}");
}

/* One step inside an align*: LHS = FORMULA REL SUBST REL RESULT, where
   SUBST (may be empty) is in w->sub with inexactness SUB_APPROX and
   RESULT in w->res with RES_APPROX, on one line: the layout breaks it
   where it is too wide (align_close_env).  A result is "\approx" when it
   or the substitution it is computed from is rounded.  */
void
fadj_writer_step (fadj_writer *w, const char *lhs, const char *formula,
                  int sub_approx, int res_approx)
{
  const char *sub = fadj_buf_data (w->sub, NULL);
  const char *res = fadj_buf_data (w->res, NULL);
  const char *r1 = fadj_writer_rel (sub_approx);
  const char *r2 = fadj_writer_rel (sub_approx || res_approx);

  int number = 0;

  fadj_writer_check_scratch (w);
  if (!fadj_writer_ok (w))
    return;
  if (w->numbered)
    {
      /* A continuation takes over the number of the step it continues,
         which must then be the last thing written; else it has none.  */
      if (lhs[0] != '\0')
        number = ++w->eqno;
      else if (w->tag_end > 0 && w->tag_end == fadj_buf_len (w->b))
        {
          fadj_buf_truncate (w->b, w->tag_start);
          number = w->eqno;
        }
    }
  fadj_writer_step_begin (w);
  w->in_step = 0;
  fadj_writer_align_newline (w);
  fadj_buf_printf (w->b, "%s &", lhs);
  if (formula != NULL)
    fadj_buf_printf (w->b, "= %s", formula);
  /* On a slide: the formula first, then the substitution, then the
     result (beamer overlays), after what the frame's steps before it
     revealed: a later step may use their values.  */
  if (sub[0] != '\0')
    {
      if (w->beamer)
        fadj_writer_put_uncovered (w->b, ++w->frame_overlay + 1, r1, sub);
      else
        fadj_buf_printf (w->b, " %s %s", r1, sub);
    }
  if (res[0] != '\0')
    {
      if (w->beamer)
        fadj_writer_put_uncovered (w->b, ++w->frame_overlay + 1, r2, res);
      else
        fadj_buf_printf (w->b, " %s %s", r2, res);
    }
  /* An explicit number rather than amsmath's counter: the writer knows
     it, so prose can cite it and the Markdown and text translations
     show the same one.  */
  if (number > 0)
    {
      w->tag_start = fadj_buf_len (w->b);
      fadj_buf_printf (w->b, " \\tag{%d}", number);
      w->tag_end = fadj_buf_len (w->b);
    }
}

void
fadj_writer_cite (char *buf, size_t n, int first, int last)
{
  if (first <= 0 || last < first)
    snprintf (buf, n, "%s", "");
  else if (last == first)
    snprintf (buf, n, " (%d)", first);
  else
    snprintf (buf, n, " (%d)–(%d)", first, last);
}

void
fadj_writer_section (fadj_writer *w, const char *title)
{
  if (w->beamer)
    {
      fadj_writer_frame_close (w);
      w->sec_title = title;
      w->active = 0;
      fadj_buf_printf (w->b, "\n\\section{%s}\n", title);
      fadj_writer_frame_begin (w, 1);
      return;
    }
  fadj_buf_printf (w->b, "\n\\%s{%s}\n\n",
                   (w->flags & FADJ_LATEX_FRAGMENT) ? "subsection" : "section",
                   title);
}

void
fadj_writer_put_diagram (fadj_writer *w, size_t active, const char *maxw,
                         const char *maxh)
{
  fadj_latex_numfmt f = w->fmt;

  if (!fadj_writer_ok (w))
    return;
  f.box = w->box;
  fadj_buf_puts (w->b, "\\begin{center}\n{\\setbox0\\hbox{%\n");
  fadj_writer_fail (w, fadj_latex_diagram (w->b, w->t, &f, active, w->ix,
                                          w->flags));
  fadj_buf_printf (w->b, "}%%\n"
    "\\ifdim\\wd0>%s\\relax\\setbox0\\hbox{\\resizebox{%s}{!}{\\box0}}\\fi\n"
    "\\ifdim\\ht0>%s\\relax\\setbox0\\hbox{\\resizebox{!}{%s}{\\box0}}\\fi\n"
    "\\leavevmode\\box0}\n\\end{center}\n", maxw, maxw, maxh, maxh);
}


/* ------------------------------------------------------------------ */
/* The writer's life.                                                  */

fadj_status
fadj_writer_init (fadj_writer *w, fadj_buf *b, const fadj_trace *t,
                  const fadj_latex_opts *opts)
{
  unsigned flags = opts->flags;
  size_t l;

  assert (opts->digits >= 1 && opts->digits <= FADJ_MAX_DIGITS);
  assert (opts->max_show == 0 || opts->max_show >= 3);
  assert (fadj_lang_valid (opts->lang));
  if (fadj_buf_status (b) != FADJ_OK)
    return fadj_buf_status (b);
  memset (w, 0, sizeof *w);
  w->b = b;
  w->start = fadj_buf_len (b);
  w->t = t;
  w->net = t->net;
  w->digits = opts->digits;
  w->sep = (flags & FADJ_LATEX_BIAS_SEPARATE) != 0;
  w->ix = (flags & FADJ_LATEX_INDEX_H) ? "h" : "\\ell";
  w->width = (flags & FADJ_LATEX_FRAGMENT) ? WIDTH_FRAGMENT
                                           : WIDTH_STANDALONE;
  w->fmt.digits = opts->digits;
  w->fmt.max_show = opts->max_show;
  w->fmt.box = FADJ_BOX_NONE;
  w->fmt.zeros = opts->zeros;
  w->fmt.numbers = opts->numbers;
  w->fmt.fractions = fadj_latex_net_fractions_p (w->net);
  w->box = !(flags & FADJ_LATEX_WORKSHEET) ? FADJ_BOX_NONE
           : (flags & FADJ_LATEX_KEY) ? FADJ_BOX_FILLED : FADJ_BOX_BLANK;
  w->opts = opts;
  w->blanks = flags & (FADJ_LATEX_BLANK_FORWARD | FADJ_LATEX_BLANK_ADJOINT
                       | FADJ_LATEX_BLANK_GRADIENTS);
  if (w->blanks == 0)
    w->blanks = FADJ_LATEX_BLANK_FORWARD | FADJ_LATEX_BLANK_ADJOINT
                | FADJ_LATEX_BLANK_GRADIENTS;
  /* A field's width in digit widths (5pt), its frame included.  */
  w->fmt.field_width = opts->box_width / 5.0 + 0.2;
  w->fmt.round1 = opts->round >= 0 ? opts->round + 1 : 0;
  w->beamer = (flags & FADJ_LATEX_BEAMER) != 0;
  if (w->beamer)
    {
      /* A deck stands alone.  */
      flags &= ~(unsigned) FADJ_LATEX_FRAGMENT;
      w->width = WIDTH_BEAMER;
    }
  w->flags = flags;
  w->numbered = (flags & FADJ_LATEX_EQNUM) && !w->beamer;
  w->same_act = 1;
  for (l = 1; l <= t->L; l++)
    {
      const fadj_layer *ly = w->net->layers + l - 1;
      if (ly->has_bias)
        w->any_bias = 1;
      if (ly->act != w->net->layers[0].act
          || mpq_cmp (ly->act_param, w->net->layers[0].act_param) != 0)
        w->same_act = 0;
    }
  w->sub = fadj_buf_new ();
  w->res = fadj_buf_new ();
  w->tmp = fadj_buf_new ();
  w->al = fadj_buf_new ();
  w->mat = fadj_buf_new ();
  if (w->sub == NULL || w->res == NULL || w->tmp == NULL || w->al == NULL
      || w->mat == NULL)
    {
      fadj_buf_free (w->mat);
      fadj_buf_free (w->al);
      fadj_buf_free (w->sub);
      fadj_buf_free (w->res);
      fadj_buf_free (w->tmp);
      return FADJ_ERR_NOMEM;
    }
  w->lang_before = fadj_lang_begin (opts->lang);
  return FADJ_OK;
}

fadj_status
fadj_writer_finish (fadj_writer *w)
{
  fadj_writer_check_scratch (w);
  fadj_buf_free (w->sub);
  fadj_buf_free (w->res);
  fadj_buf_free (w->tmp);
  fadj_buf_free (w->al);
  fadj_buf_free (w->mat);
  fadj_lang_end (w->lang_before);
  fadj_buf_free (w->prose);
  if (w->st == FADJ_OK && fadj_buf_status (w->b) != FADJ_OK)
    w->st = fadj_buf_status (w->b);
  if (w->st != FADJ_OK && fadj_buf_status (w->b) == FADJ_OK)
    fadj_buf_truncate (w->b, w->start);   /* leave B as it was */
  return w->st;
}

void
fadj_writer_check_scratch (fadj_writer *w)
{
  if (fadj_buf_status (w->sub) != FADJ_OK
      || fadj_buf_status (w->res) != FADJ_OK
      || fadj_buf_status (w->tmp) != FADJ_OK)
    fadj_writer_fail (w, FADJ_ERR_NOMEM);
}

void
fadj_writer_scratch_reset (fadj_writer *w)
{
  fadj_buf_reset (w->sub);
  fadj_buf_reset (w->res);
}
