/* latex.c -- the derivation of a trace as a LaTeX document: the network,
   F-propagation, the seed, the F-adjoint by the two-step rule, the two
   families, the gradients and the verification.

   Every number goes through fadj_latex_number; a step whose printed
   numbers are not all exact uses \approx instead of =.  Each displayed
   step reads "definition = substitution = result"; it is broken over two
   or three aligned lines when a width estimate says it would not fit, so
   that the document never runs into the margin for the networks a person
   derives by hand.  The writer is deterministic (no date, no version), so
   documents can be compared byte for byte.  */

#include "fadj-impl.h"

#include <assert.h>
#include <string.h>

/* Usable width of a display, in digit widths (see fadj_latex_width):
   the standalone document has a 16cm text width (455pt), a fragment is
   assumed to have the article default of 345pt; both with a margin for
   the estimate's error.  */
#define WIDTH_STANDALONE 76.0
#define WIDTH_FRAGMENT 62.0
/* A 16:9 beamer frame: 140mm of text at 10pt (sans-serif digits).  */
#define WIDTH_BEAMER 68.0

typedef struct
{
  fadj_buf *b;                  /* the output */
  const fadj_trace *t;
  const fadj_net *net;
  int digits;
  int sep;                      /* FADJ_LATEX_BIAS_SEPARATE */
  int any_bias;
  int same_act;                 /* one sigma for every layer */
  const char *ix;               /* the layer index letter */
  double width;                 /* usable display width */
  fadj_status st;               /* first failure; later writes skip */
  fadj_buf *sub, *res, *tmp;    /* scratch: substitution, result, misc */
  fadj_buf *al;                 /* scratch: an align* being resized */
  int nlines;                   /* lines in the current align* */
  size_t align_start;           /* where the current align* begins in b */
  /* Classroom views.  */
  unsigned flags;               /* FADJ_LATEX_* */
  const fadj_latex_opts *opts;
  fadj_latex_numfmt fmt;        /* digits and elision of every matrix */
  int box;                      /* worksheet: how computed values print */
  size_t active;                /* the layer the current steps are about */
  /* Beamer: the deck is the document cut into frames at the sections
     and the steps (see frame_open).  */
  int beamer;
  const char *sec_title;        /* the current section's title */
  char title_buf[128];          /* a section title made up on the fly */
  int frame_open;               /* a frame is open in b ... */
  size_t frame_start, frame_body; /* ... starting here, its body here */
  int in_step;                  /* the lines of one step are being written */
} writer;

/* ------------------------------------------------------------------ */
/* Scratch matrices: views of the trace rearranged for printing.       */

static fadj_ctx
mat_ctx (const fadj_mat *m)
{
  fadj_ctx c = { FADJ_EXACT, 0 };

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
  for (i = 0; i < rows; i++)
    for (j = 0; j < nc; j++)
      {
        fadj_num_ptr r = transpose ? FADJ_MAT (dst, j, i) : FADJ_MAT (dst, i, j);
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
  for (i = 0; i < a->rows; i++)
    {
      for (j = 0; j < a->cols; j++)
        fadj_num_set (FADJ_MAT (dst, i, j), FADJ_MAT (a, i, j));
      for (j = 0; j < bc; j++)
        fadj_num_set (FADJ_MAT (dst, i, a->cols + j), FADJ_MAT (b, i, j));
    }
  return FADJ_OK;
}

/* ------------------------------------------------------------------ */
/* Output primitives.  Each records the first failure in W->st and does
   nothing once there is one, so the sections below read straight.  */

static int
ok (writer *w)
{
  return w->st == FADJ_OK;
}

static void
fail (writer *w, fadj_status st)
{
  if (w->st == FADJ_OK)
    w->st = st;
}

/* Is M data of the network file (weights, biases, input, target), as
   opposed to a value the derivation computes?  A worksheet prints the
   data and leaves a box for every computed value.  */
static int
given_p (const writer *w, const fadj_mat *m)
{
  size_t l;

  if (m == &w->net->input || m == &w->net->target)
    return 1;
  for (l = 0; l < w->net->nlayers; l++)
    if (m == &w->net->layers[l].w || m == &w->net->layers[l].b)
      return 1;
  return 0;
}

/* Append matrix M as a bmatrix, boxed as a worksheet wants when it is
   computed (not GIVEN); *APPROX |= inexactness.  */
static void
put_mat_given (writer *w, fadj_buf *b, int *approx, const fadj_mat *m,
               const char *pre, const char *post, size_t bar, int given)
{
  fadj_latex_numfmt f = w->fmt;

  f.box = given ? FADJ_BOX_NONE : w->box;
  if (ok (w))
    fail (w, fadj_latex_matrix_fmt (b, approx, m, pre, post, bar, &f));
}

static void
put_mat (writer *w, fadj_buf *b, int *approx, const fadj_mat *m,
         const char *pre, const char *post, size_t bar)
{
  put_mat_given (w, b, approx, m, pre, post, bar, given_p (w, m));
}

/* One computed number (the loss), boxed on a worksheet.  */
static void
put_num (writer *w, fadj_buf *b, int *approx, fadj_num_srcptr x)
{
  fadj_latex_numfmt f = w->fmt;

  f.box = w->box;
  if (ok (w))
    fail (w, fadj_latex_number_fmt (b, approx, x, &f));
}

/* Append a view of SRC (see mat_view).  */
static void
put_view (writer *w, fadj_buf *b, int *approx, const fadj_mat *src,
          size_t c0, size_t nc, int ones, int transpose)
{
  fadj_mat v;

  if (!ok (w))
    return;
  if (mat_view (&v, src, c0, nc, ones, transpose) != FADJ_OK)
    {
      fail (w, FADJ_ERR_NOMEM);
      return;
    }
  put_mat_given (w, b, approx, &v, NULL, NULL, 0, given_p (w, src));
  fadj_mat_clear (&v);
}

/* W^l of layer L as printed: [W | b] with a rule before the bias column,
   unless the bias is printed apart.  */
static void
put_weights (writer *w, fadj_buf *b, size_t l)
{
  const fadj_layer *ly = w->net->layers + l - 1;
  fadj_mat aug;

  if (!ok (w))
    return;
  if (!ly->has_bias || w->sep)
    {
      put_mat (w, b, NULL, &ly->w, NULL, NULL, 0);
      return;
    }
  if (mat_hcat (&aug, &ly->w, &ly->b) != FADJ_OK)
    {
      fail (w, FADJ_ERR_NOMEM);
      return;
    }
  put_mat_given (w, b, NULL, &aug, NULL, NULL, ly->w.cols, 1);
  fadj_mat_clear (&aug);
}

/* Does layer L's input X^{l-1} carry the appended 1 when printed?  */
static int
augmented (const writer *w, size_t l)
{
  return l >= 1 && l <= w->t->L && w->net->layers[l - 1].has_bias && !w->sep;
}

/* X^{k} as printed in products and families: with the appended 1 when
   layer k + 1 has a bias.  */
static void
put_x (writer *w, fadj_buf *b, int *approx, size_t k, int transpose)
{
  /* X^0 from the network, where it is exact: in the trace of an
     interval derivation it is an enclosure, and -4/3 would print as
     -1.33333 instead of -\\frac{4}{3}.  */
  const fadj_mat *x = k == 0 ? &w->net->input : w->t->X + k;
  put_view (w, b, approx, x, 0, x->cols, augmented (w, k + 1), transpose);
}

static const char *
rel (int approx)
{
  return approx ? "\\approx" : "=";
}

/* The name of layer L's activation in formulas: \sigma when all layers
   share one, else \sigma_{l}.  */
static void
put_sigma (writer *w, fadj_buf *b, size_t l)
{
  if (w->same_act)
    fadj_buf_puts (b, "\\sigma");
  else
    fadj_buf_printf (b, "\\sigma_{%zu}", l);
}

/* Check the scratch buffers' sticky statuses.  */
static void
check_scratch (writer *w)
{
  if (fadj_buf_status (w->sub) != FADJ_OK
      || fadj_buf_status (w->res) != FADJ_OK
      || fadj_buf_status (w->tmp) != FADJ_OK)
    fail (w, FADJ_ERR_NOMEM);
}

/* ------------------------------------------------------------------ */
/* Beamer frames.  The deck is the same document cut into frames: each
   section opens a frame for its prose (allowframebreaks: prose is short
   on a slide but may run over), each display of steps gets a frame of
   its own, and a frame left with an empty body is taken out again, so
   the sections below need not know about slides.  */

static void
frame_close (writer *w)
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
  else
    fadj_buf_puts (w->b, "\\end{frame}\n");
}

static void put_diagram (writer *w, size_t active, const char *maxw,
                         const char *maxh);

/* Open a frame titled by the current section (and layer); PROSE frames
   may break over several slides.  A step's frame shows the network with
   the active layer highlighted.  */
static void
frame_begin (writer *w, int prose)
{
  frame_close (w);
  w->frame_start = fadj_buf_len (w->b);
  fadj_buf_printf (w->b, "\n\\begin{frame}%s{%s",
                   prose ? "[allowframebreaks]" : "[t]",
                   w->sec_title != NULL ? w->sec_title : "");
  if (!prose && w->active > 0)
    fadj_buf_printf (w->b, ", layer %zu", w->active);
  fadj_buf_puts (w->b, "}\n");
  w->frame_body = fadj_buf_len (w->b);
  w->frame_open = 1;
  if (!prose && w->active > 0 && (w->flags & FADJ_LATEX_DIAGRAM))
    put_diagram (w, w->active, "\\linewidth", "0.3\\textheight");
}

static void
align_begin (writer *w)
{
  if (w->beamer)
    frame_begin (w, 0);
  w->align_start = fadj_buf_len (w->b);
  fadj_buf_puts (w->b, "\\begin{align*}\n");
  w->nlines = 0;
}

/* Close the align*; if a line of it is still estimated too wide after
   the breaks of step (a matrix alone wider than the text, as for a
   layer of a dozen neurons), set the whole display in a smaller size,
   the largest that fits, rather than let it run off the page.  */
static void
align_close_env (writer *w)
{
  static const struct { double scale; const char *cmd; } sizes[] = {
    { 0.9, "\\small" }, { 0.8, "\\footnotesize" },
    { 0.7, "\\scriptsize" }, { 0.5, "\\tiny" } };
  const char *data, *p, *line, *nl;
  size_t len, k;
  double widest = 0, wl;

  fadj_buf_puts (w->b, "\n\\end{align*}\n");
  if (!ok (w) || fadj_buf_status (w->b) != FADJ_OK)
    return;
  data = fadj_buf_data (w->b, &len);
  line = data + w->align_start;
  for (p = line; ; p = nl + 3)
    {
      nl = strstr (p, "\\\\\n");
      wl = fadj_latex_width (p, nl != NULL ? (size_t) (nl - p)
                                            : len - (size_t) (p - data));
      if (wl > widest)
        widest = wl;
      if (nl == NULL)
        break;
    }
  if (widest <= w->width)
    return;
  /* The smaller sizes shrink the digits but not the fixed spacing
     (\arraycolsep between matrix columns, \quad): leave a margin, as a
     batch's wide matrices showed.  */
  for (k = 0; k + 1 < sizeof sizes / sizeof sizes[0]; k++)
    if (widest * sizes[k].scale <= 0.85 * w->width)
      break;
  fadj_buf_reset (w->al);
  fadj_buf_puts (w->al, line);
  fadj_buf_truncate (w->b, w->align_start);
  fadj_buf_printf (w->b, "{%s\n%s}\n", sizes[k].cmd,
                   fadj_buf_data (w->al, NULL));
  if (fadj_buf_status (w->al) != FADJ_OK)
    fail (w, FADJ_ERR_NOMEM);
}

static void
align_end (writer *w)
{
  align_close_env (w);
  if (w->beamer)
    frame_begin (w, 1);
}

static void
align_newline (writer *w)
{
  if (w->nlines++ > 0)
    fadj_buf_puts (w->b, "\\\\\n");
}

static double
width_of (const char *s)
{
  return fadj_latex_width (s, strlen (s));
}

/* A new step begins: on a slide, in a frame of its own (the lines of
   one step, symbolic lines included, stay together).  */
static void
step_begin (writer *w)
{
  if (w->beamer && w->nlines > 0 && !w->in_step)
    {
      align_end (w);
      align_begin (w);
    }
}

/* One step inside an align*: LHS = FORMULA REL SUBST REL RESULT, where
   SUBST (may be empty) is in w->sub with inexactness SUB_APPROX and
   RESULT in w->res with RES_APPROX.  On one line if it fits, else the
   result, and if still needed the substitution, go to lines of their own
   aligned on the relation.  A result is "\approx" when it or the
   substitution it is computed from is rounded.  */
static void
step (writer *w, const char *lhs, const char *formula, int sub_approx,
      int res_approx)
{
  const char *sub = fadj_buf_data (w->sub, NULL);
  const char *res = fadj_buf_data (w->res, NULL);
  int has_sub = sub[0] != '\0', has_res = res[0] != '\0';
  const char *r1 = rel (sub_approx);
  const char *r2 = rel (sub_approx || res_approx);
  double wl = width_of (lhs) + (formula != NULL ? 2.6 + width_of (formula) : 0);
  double ws = has_sub ? 2.6 + width_of (sub) : 0;
  double wr = has_res ? 2.6 + width_of (res) : 0;

  check_scratch (w);
  if (!ok (w))
    return;
  step_begin (w);
  w->in_step = 0;
  align_newline (w);
  fadj_buf_printf (w->b, "%s &", lhs);
  if (formula != NULL)
    fadj_buf_printf (w->b, "= %s", formula);
  /* On a slide: the formula first, then the substitution, then the
     result (beamer overlays).  */
  if (has_sub)
    {
      if (formula != NULL && wl + ws > w->width)
        fadj_buf_puts (w->b, "\\\\\n  &");
      fadj_buf_printf (w->b, w->beamer ? " \\uncover<2->{%s %s}" : " %s %s",
                       r1, sub);
    }
  if (has_res)
    {
      if (wl + ws + wr > w->width)
        fadj_buf_puts (w->b, "\\\\\n  &");
      if (w->beamer)
        fadj_buf_printf (w->b, " \\uncover<%d->{%s %s}", has_sub ? 3 : 2,
                         r2, res);
      else
        fadj_buf_printf (w->b, " %s %s", r2, res);
    }
}

/* In the symbolic view, the entries of a step in symbols, as lines of
   the current display before the step itself.  */
static void
sym_lines (writer *w, fadj_sym_kind k, size_t l)
{
  if (!(w->flags & FADJ_LATEX_SYMBOLIC) || !ok (w)
      || !fadj_latex_symbolic_p (w->net, l))
    return;
  /* Entry by entry is the coordinate-wise picture: softmax's X_i depends
     on every Y_j, and only the squared losses have X_i - y_i as seed.  */
  if ((k == FADJ_SYM_X || k == FADJ_SYM_STEP1)
      && fadj_act_vector_p (w->net->layers[l - 1].act))
    return;
  if (k == FADJ_SYM_SEED && w->net->loss != FADJ_LOSS_HALF_SQUARED
      && w->net->loss != FADJ_LOSS_SQUARED)
    return;
  step_begin (w);
  w->in_step = 1;
  align_newline (w);
  fadj_latex_symbolic (w->b, w->net, k, l, w->same_act);
}

/* "1, 2", "1, 2, 3" or "1, \\dots, L" (reversed if DOWN): the values of
   the layer index, without the odd "1, \\dots, 2" for small L.  */
static void
put_range (fadj_buf *b, size_t L, int down)
{
  size_t k;

  if (L <= 3)
    for (k = 1; k <= L; k++)
      fadj_buf_printf (b, "%s%zu", k > 1 ? ", " : "", down ? L + 1 - k : k);
  else if (down)
    fadj_buf_printf (b, "%zu, \\dots, 1", L);
  else
    fadj_buf_printf (b, "1, \\dots, %zu", L);
}

static void
section (writer *w, const char *title, unsigned flags)
{
  if (w->beamer)
    {
      frame_close (w);
      w->sec_title = title;
      w->active = 0;
      fadj_buf_printf (w->b, "\n\\section{%s}\n", title);
      frame_begin (w, 1);
      return;
    }
  fadj_buf_printf (w->b, "\n\\%s{%s}\n\n",
                   (flags & FADJ_LATEX_FRAGMENT) ? "subsection" : "section",
                   title);
}

/* The picture of the network, centred and scaled down (never up) to fit
   MAXW x MAXH.  */
static void
put_diagram (writer *w, size_t active, const char *maxw, const char *maxh)
{
  fadj_latex_numfmt f = w->fmt;

  if (!ok (w))
    return;
  f.box = w->box;
  fadj_buf_puts (w->b, "\\begin{center}\n{\\setbox0\\hbox{%\n");
  fail (w, fadj_latex_diagram (w->b, w->t, &f, active, w->ix));
  fadj_buf_printf (w->b, "}%%\n"
    "\\ifdim\\wd0>%s\\relax\\setbox0\\hbox{\\resizebox{%s}{!}{\\box0}}\\fi\n"
    "\\ifdim\\ht0>%s\\relax\\setbox0\\hbox{\\resizebox{!}{%s}{\\box0}}\\fi\n"
    "\\leavevmode\\box0}\n\\end{center}\n", maxw, maxw, maxh, maxh);
}

/* ------------------------------------------------------------------ */
/* Section 1: the network.                                             */

static void
put_act_description (writer *w, size_t l)
{
  const fadj_layer *ly = w->net->layers + l - 1;
  fadj_buf *b = w->b;
  char s[32];

  if (w->same_act)
    snprintf (s, sizeof s, "\\sigma");
  else
    snprintf (s, sizeof s, "\\sigma_{%zu}", l);
  fadj_buf_printf (b, "$%s$ is \\texttt{", s);
  fadj_buf_put_tex_escaped (b, fadj_act_name (ly->act));
  fadj_buf_puts (b, "}");
  switch (ly->act)
    {
    case FADJ_ACT_IDENTITY:
      fadj_buf_printf (b, ", $%s(t) = t$, $%s'(t) = 1$", s, s);
      break;
    case FADJ_ACT_SIGMOID:
      fadj_buf_printf (b, " (the logistic function), "
                       "$%s(t) = \\frac{1}{1+e^{-t}}$, "
                       "$%s'(t) = %s(t)\\bigl(1-%s(t)\\bigr)$", s, s, s, s);
      break;
    case FADJ_ACT_TANH:
      fadj_buf_printf (b, ", $%s(t) = \\tanh t$, "
                       "$%s'(t) = 1 - \\tanh^{2} t$", s, s);
      break;
    case FADJ_ACT_RELU:
      fadj_buf_printf (b, ", $%s(t) = \\max(0, t)$, $%s'(t) = 1$ "
                       "for $t > 0$ and $0$ for $t \\le 0$ "
                       "(the convention $%s'(0) = 0$)", s, s, s);
      break;
    case FADJ_ACT_SOFTPLUS:
      fadj_buf_printf (b, ", $%s(t) = \\ln(1+e^{t})$, "
                       "$%s'(t) = \\frac{1}{1+e^{-t}}$ "
                       "(the logistic function)", s, s);
      break;
    case FADJ_ACT_GELU:
      fadj_buf_printf (b, ", $%s(t) = t\\,\\Phi(t)$ with the normal "
                       "distribution function $\\Phi(t) = \\frac{1}{2}"
                       "\\bigl(1 + \\operatorname{erf}(t/\\sqrt{2})\\bigr)$ "
                       "(exact, not the tanh approximation), "
                       "$%s'(t) = \\Phi(t) + t\\,\\varphi(t)$ with "
                       "$\\varphi(t) = e^{-t^{2}/2}/\\sqrt{2\\pi}$", s, s);
      break;
    case FADJ_ACT_SILU:
      fadj_buf_printf (b, ", $%s(t) = t\\,s(t)$ with the logistic "
                       "$s(t) = \\frac{1}{1+e^{-t}}$, "
                       "$%s'(t) = s(t)\\bigl(1 + t(1 - s(t))\\bigr)$", s, s);
      break;
    case FADJ_ACT_SOFTSIGN:
      fadj_buf_printf (b, ", $%s(t) = \\frac{t}{1+|t|}$, "
                       "$%s'(t) = \\frac{1}{(1+|t|)^{2}}$", s, s);
      break;
    case FADJ_ACT_HARDTANH:
      fadj_buf_printf (b, ", $%s(t) = \\max(-1, \\min(1, t))$, "
                       "$%s'(t) = 1$ for $-1 < t < 1$ and $0$ otherwise "
                       "(the convention $%s'(\\pm 1) = 0$)", s, s, s);
      break;
    case FADJ_ACT_SOFTMAX:
      fadj_buf_printf (b, ", the vector map $%s(t)_{i} = "
                       "\\frac{e^{t_{i}}}{\\sum_{k} e^{t_{k}}}$ applied to "
                       "each column, whose derivative is the Jacobian "
                       "$J_{%s}(t) = \\operatorname{diag}\\bigl(%s(t)\\bigr) - "
                       "%s(t)\\,%s(t)^{\\top}$", s, s, s, s, s);
      break;
    case FADJ_ACT_ELU:
    case FADJ_ACT_LEAKY_RELU:
    default:
      {
        fadj_num_t a;
        fadj_ctx qc = { FADJ_EXACT, 0 };
        fadj_num_init (a, &qc);
        fadj_num_set_q (a, ly->act_param);
        fadj_buf_puts (b, " with $a = ");
        if (ok (w))
          fail (w, fadj_latex_number (b, NULL, a, w->digits));
        if (ly->act == FADJ_ACT_ELU)
          fadj_buf_printf (b, "$, $%s(t) = t$ for $t > 0$ and "
                           "$a(e^{t} - 1)$ for $t \\le 0$, $%s'(t) = 1$ "
                           "for $t > 0$ and $a e^{t}$ for $t \\le 0$", s, s);
        else
          fadj_buf_printf (b, "$, $%s(t) = t$ for $t > 0$ and $a t$ "
                           "for $t \\le 0$, $%s'(t) = 1$ for $t > 0$ and "
                           "$a$ for $t \\le 0$", s, s);
        fadj_num_clear (a);
      }
      break;
    }
}

/* The loss as a formula, into B: J in terms of X^L and y, with the
   batch's reduction when there are several samples.  */
static void
put_loss_formula (writer *w, fadj_buf *b)
{
  const fadj_net *net = w->net;
  size_t L = w->t->L, n = net->sizes[L];
  int batch = w->t->m > 1;

  if (batch && net->batch == FADJ_BATCH_MEAN)
    fadj_buf_printf (b, "\\frac{1}{%zu}", w->t->m);
  switch (net->loss)
    {
    case FADJ_LOSS_HALF_SQUARED:
      fadj_buf_printf (b, "\\frac{1}{2}\\|X^{%zu} - y\\|^{2}", L);
      break;
    case FADJ_LOSS_SQUARED:
      fadj_buf_printf (b, "\\|X^{%zu} - y\\|^{2}", L);
      break;
    case FADJ_LOSS_MEAN_SQUARED:
      fadj_buf_printf (b, "\\frac{1}{%zu}\\|X^{%zu} - y\\|^{2}", n, L);
      break;
    case FADJ_LOSS_CROSS_ENTROPY:
      fadj_buf_printf (b, "\\Bigl(-\\sum_{%s} \\bigl[y_{%s} \\ln X^{%zu}_{%s} "
                       "+ (1 - y_{%s}) \\ln (1 - X^{%zu}_{%s})\\bigr]\\Bigr)",
                       batch ? "i,s" : "i", batch ? "is" : "i", L,
                       batch ? "is" : "i", batch ? "is" : "i", L,
                       batch ? "is" : "i");
      break;
    case FADJ_LOSS_CATEGORICAL_CROSS_ENTROPY:
    default:
      fadj_buf_printf (b, "\\Bigl(-\\sum_{%s} y_{%s} \\ln X^{%zu}_{%s}\\Bigr)",
                       batch ? "i,s" : "i", batch ? "is" : "i", L,
                       batch ? "is" : "i");
      break;
    }
}

/* Nonzero for the losses that print as a squared norm.  */
static int
loss_squared_p (fadj_loss_kind k)
{
  return k == FADJ_LOSS_HALF_SQUARED || k == FADJ_LOSS_SQUARED
    || k == FADJ_LOSS_MEAN_SQUARED;
}

/* Nonzero if every column of the target sums to 1 (a probability
   vector, as one-hot labels are).  */
static int
targets_sum_to_one (const fadj_net *net)
{
  const fadj_mat *y = &net->target;
  size_t i, s;
  mpq_t sum;
  int ok1 = 1;

  mpq_init (sum);
  for (s = 0; s < y->cols && ok1; s++)
    {
      mpq_set_ui (sum, 0, 1);
      for (i = 0; i < y->rows; i++)
        mpq_add (sum, sum, FADJ_NUM_Q (FADJ_MAT (y, i, s)));
      ok1 = mpq_cmp_ui (sum, 1, 1) == 0;
    }
  mpq_clear (sum);
  return ok1;
}

/* The factor in front of a squared loss's norm: the batch mean's 1/m,
   then 1/2 or 1/N_L.  */
static void
put_loss_coef (writer *w, fadj_buf *b)
{
  const fadj_net *net = w->net;

  if (w->t->m > 1 && net->batch == FADJ_BATCH_MEAN)
    fadj_buf_printf (b, "\\frac{1}{%zu}", w->t->m);
  if (net->loss == FADJ_LOSS_HALF_SQUARED)
    fadj_buf_puts (b, "\\frac{1}{2}");
  else if (net->loss == FADJ_LOSS_MEAN_SQUARED)
    fadj_buf_printf (b, "\\frac{1}{%zu}", net->sizes[w->t->L]);
}

/* The loss in words, after "The loss is \texttt{name}, ".  */
static void
put_loss_description (writer *w)
{
  const fadj_net *net = w->net;
  fadj_buf *b = w->b;

  fadj_buf_puts (b, "$J = ");
  put_loss_formula (w, b);
  fadj_buf_puts (b, "$");
  if (net->loss == FADJ_LOSS_CROSS_ENTROPY)
    fadj_buf_puts (b, " (the binary cross-entropy of each output, defined "
                   "for outputs strictly between 0 and 1)");
  else if (net->loss == FADJ_LOSS_CATEGORICAL_CROSS_ENTROPY)
    fadj_buf_puts (b, " (defined for positive outputs)");
  if (w->t->m > 1)
    fadj_buf_printf (b, ", the %s of the $m = %zu$ samples' losses "
                     "(\\texttt{batch %s}%s)",
                     net->batch == FADJ_BATCH_MEAN ? "mean" : "sum",
                     w->t->m, net->batch == FADJ_BATCH_MEAN ? "mean" : "sum",
                     loss_squared_p (net->loss)
                       ? "; the norm is the Frobenius norm over all the "
                         "columns" : "");
}

/* Shared and frozen biases, layer by layer.  */
static void
put_bias_conventions (writer *w)
{
  const fadj_net *net = w->net;
  fadj_buf *b = w->b;
  size_t l;

  for (l = 1; l <= w->t->L; l++)
    {
      const fadj_layer *ly = net->layers + l - 1;
      char where[64];
      snprintf (where, sizeof where, w->sep ? "vector $b^{%zu}$"
                : "bias column of $W^{%zu}$", l);
      if (ly->bias_shared)
        fadj_buf_printf (b, "In layer~%zu one bias $b^{%zu}$ is shared by "
                         "its %zu neurons (the %s repeats it); being one "
                         "parameter, its gradient is the sum of the %zu "
                         "per-neuron entries, that is of the entries of "
                         "$Y^{%zu}_{*}$%s.\n", l, l, net->sizes[l],
                         where, net->sizes[l], l,
                         w->t->m > 1 && net->batch == FADJ_BATCH_MEAN
                           ? " divided by $m$" : "");
      if (ly->bias_frozen)
        fadj_buf_printf (b, "The bias of layer~%zu is \\emph{frozen}: its "
                         "gradient is computed and shown, but training "
                         "steps leave it unchanged.\n", l);
    }
}

static void
write_network (writer *w, unsigned flags)
{
  const fadj_net *net = w->net;
  const fadj_trace *t = w->t;
  fadj_buf *b = w->b;
  size_t l;
  int a;

  section (w, "The network", flags);
  /* (On slides the picture has the first frame to itself.)  */
  if ((w->flags & FADJ_LATEX_DIAGRAM) && !w->beamer)
    put_diagram (w, 0, "\\linewidth", "0.6\\textheight");
  fadj_buf_printf (b, "The network $A[N_{0}, \\dots, N_{L}] = A[");
  for (l = 0; l <= t->L; l++)
    fadj_buf_printf (b, "%s%zu", l > 0 ? ", " : "", net->sizes[l]);
  fadj_buf_printf (b, "]$ has $L = %zu$ layer%s", t->L, t->L > 1 ? "s" : "");
  if (t->m > 1)
    fadj_buf_printf (b, " and is applied to $m = %zu$ samples, the columns "
                     "of $X^{0}$", t->m);
  fadj_buf_puts (b, ". Its weights");
  if (w->any_bias)
    fadj_buf_puts (b, w->sep ? " and biases" : " (the bias as the last "
                   "column, after the rule)");
  fadj_buf_puts (b, " are\n");

  align_begin (w);
  for (l = 1; l <= t->L; l++)
    {
      const fadj_layer *ly = net->layers + l - 1;
      align_newline (w);
      fadj_buf_printf (b, "W^{%zu} &= ", l);
      put_weights (w, b, l);
      if (ly->has_bias && w->sep)
        {
          fadj_buf_printf (b, ", & b^{%zu} &= ", l);
          put_mat (w, b, NULL, &ly->b, NULL, NULL, 0);
        }
    }
  align_end (w);

  /* Activations.  */
  if (w->same_act)
    {
      fadj_buf_puts (b, "Every layer uses the same activation: ");
      put_act_description (w, 1);
      fadj_buf_puts (b, ".\n");
    }
  else
    {
      /* One paragraph per layer rather than an itemize: its bullet
         comes from the TS1 encoding, which without cm-super makes
         pdflatex run METAFONT for a bitmap font.  */
      fadj_buf_puts (b, "The activations, one per layer:\n");
      for (l = 1; l <= t->L; l++)
        {
          fadj_buf_printf (b, "\n\\noindent\\quad Layer~%zu: ", l);
          put_act_description (w, l);
          fadj_buf_puts (b, l < t->L ? ";\n" : ".\n");
        }
      fadj_buf_puts (b, "\n\\noindent ");
    }

  /* The loss.  */
  fadj_buf_puts (b, "The loss is \\texttt{");
  fadj_buf_put_tex_escaped (b, fadj_loss_name (net->loss));
  fadj_buf_puts (b, "}, ");
  put_loss_description (w);
  fadj_buf_puts (b, ", with the input and the target\n");

  align_begin (w);
  align_newline (w);
  a = 0;
  fadj_buf_puts (b, "X^{0} &= ");
  put_x (w, b, &a, 0, 0);
  fadj_buf_puts (b, ", \\qquad y = ");
  put_mat (w, b, &a, &net->target, NULL, NULL, 0);
  fadj_buf_puts (b, ".");
  align_end (w);

  if (w->any_bias && !w->sep)
    fadj_buf_printf (b,
      "Biases follow the author's convention: when layer $%s$ has a bias, "
      "a $1$ is appended as the last entry of $X^{%s-1}$ (never to "
      "$X^{%zu}$, the output), the bias $b^{%s}$ is the last column of "
      "$W^{%s}$, and step~2 of the F-adjoint uses $W^{%s}_{\\sharp}$, "
      "the matrix $W^{%s}$ without that column. The last column of "
      "$\\partial J/\\partial W^{%s}$ is then $\\partial J/\\partial b^{%s}"
      " = Y^{%s}_{*}%s$%s.\n",
      w->ix, w->ix, t->L, w->ix, w->ix, w->ix, w->ix, w->ix, w->ix, w->ix,
      t->m > 1 ? "\\mathbf{1}" : "",
      t->m > 1 ? " (the sum over the samples)" : "");
  else if (w->any_bias)
    fadj_buf_printf (b,
      "Biases are written apart: $Y^{%s} = W^{%s} X^{%s-1} + b^{%s}$%s, "
      "and step~2 of the F-adjoint uses $W^{%s}$ alone.\n",
      w->ix, w->ix, w->ix, w->ix,
      t->m > 1 ? " (the bias added to every column)" : "", w->ix);
  put_bias_conventions (w);
}

/* ------------------------------------------------------------------ */
/* Section 2: F-propagation.                                           */

static void
write_fprop (writer *w, unsigned flags)
{
  const fadj_net *net = w->net;
  const fadj_trace *t = w->t;
  fadj_buf *b = w->b;
  char lhs[64], formula[160];
  size_t l;
  int sa, ra;

  section (w, "F-propagation", flags);
  fadj_buf_printf (b, "For $%s = ", w->ix);
  put_range (b, t->L, 0);
  fadj_buf_printf (b, "$: $Y^{%s} = W^{%s} "
                   "X^{%s-1}%s%s%s$ and $X^{%s} = \\sigma(Y^{%s})$.\n",
                   w->ix, w->ix, w->ix,
                   w->sep && w->any_bias ? " + b^{" : "",
                   w->sep && w->any_bias ? w->ix : "",
                   w->sep && w->any_bias ? "}" : "",
                   w->ix, w->ix);
  for (l = 1; l <= t->L; l++)
    {
      const fadj_layer *ly = net->layers + l - 1;

      w->active = l;
      align_begin (w);
      sym_lines (w, FADJ_SYM_Y, l);
      /* Y^l = W^l X^{l-1} (+ b^l).  */
      fadj_buf_reset (w->sub);
      fadj_buf_reset (w->res);
      sa = ra = 0;
      put_weights (w, w->sub, l);
      put_x (w, w->sub, &sa, l - 1, 0);
      if (ly->has_bias && w->sep)
        {
          fadj_buf_puts (w->sub, " + ");
          put_mat (w, w->sub, &sa, &ly->b, NULL, NULL, 0);
        }
      put_mat (w, w->res, &ra, t->Y + l, NULL, NULL, 0);
      snprintf (lhs, sizeof lhs, "Y^{%zu}", l);
      snprintf (formula, sizeof formula, "W^{%zu} X^{%zu}", l, l - 1);
      if (ly->has_bias && w->sep)
        snprintf (formula, sizeof formula, "W^{%zu} X^{%zu} + b^{%zu}",
                  l, l - 1, l);
      step (w, lhs, formula, sa, ra);

      /* X^l = sigma(Y^l).  */
      sym_lines (w, FADJ_SYM_X, l);
      fadj_buf_reset (w->sub);
      fadj_buf_reset (w->res);
      fadj_buf_reset (w->tmp);
      sa = ra = 0;
      put_sigma (w, w->tmp, l);
      fadj_buf_printf (w->tmp, "(Y^{%zu})", l);
      if (ly->act == FADJ_ACT_IDENTITY)
        fadj_buf_printf (w->tmp, " = Y^{%zu}", l);
      else if (fadj_act_vector_p (ly->act))
        {
          /* A vector map: no entry-by-entry substitution.  */
        }
      else
        {
          char pre[32];
          fadj_buf *p = w->sub;
          /* The entries as sigma(y): a matrix of the arguments, each
             printed by the number rules.  */
          if (w->same_act)
            snprintf (pre, sizeof pre, "\\sigma(");
          else
            snprintf (pre, sizeof pre, "\\sigma_{%zu}(", l);
          put_mat (w, p, &sa, t->Y + l, pre, ")", 0);
        }
      put_mat (w, w->res, &ra, t->X + l, NULL, NULL, 0);
      snprintf (lhs, sizeof lhs, "X^{%zu}", l);
      step (w, lhs, fadj_buf_data (w->tmp, NULL), sa, ra);
      align_end (w);
    }

  /* The loss.  */
  w->active = 0;
  fadj_buf_puts (b, "The loss:\n");
  align_begin (w);
  fadj_buf_reset (w->sub);
  fadj_buf_reset (w->res);
  fadj_buf_reset (w->tmp);
  sa = ra = 0;
  put_loss_formula (w, w->tmp);
  if (loss_squared_p (net->loss))
    {
      put_loss_coef (w, w->sub);
      fadj_buf_puts (w->sub, "\\left\\|");
      put_mat (w, w->sub, &sa, t->X + t->L, NULL, NULL, 0);
      fadj_buf_puts (w->sub, " - ");
      put_mat (w, w->sub, &sa, &net->target, NULL, NULL, 0);
      fadj_buf_puts (w->sub, "\\right\\|^{2}");
    }
  if (ok (w))
    put_num (w, w->res, &ra, t->J);
  step (w, "J", fadj_buf_data (w->tmp, NULL), sa, ra);
  align_end (w);
}

/* ------------------------------------------------------------------ */
/* Section 3: the seed.                                                */

static void
write_seed (writer *w, unsigned flags)
{
  const fadj_net *net = w->net;
  const fadj_trace *t = w->t;
  size_t L = t->L, n = net->sizes[L];
  char lhs[64], formula[200], pre[32];
  int sa = 0, ra = 0;
  const char *dj = t->m > 1 ? "J_{s}" : "J";

  section (w, "The seed", flags);
  fadj_buf_printf (w->b, "The F-adjoint starts from the derivative of the "
                   "loss with respect to its inputs, the network's "
                   "outputs $X^{%zu}$", L);
  if (t->m > 1)
    fadj_buf_printf (w->b, ", column by column: column $s$ is the "
                     "derivative of the loss $J_{s}$ of sample $s$ alone"
                     "%s", net->batch == FADJ_BATCH_MEAN
                     ? " (not divided by $m$: the mean's $\\frac{1}{m}$ is "
                       "applied to the gradients)" : "");
  fadj_buf_puts (w->b, ":\n");
  align_begin (w);
  sym_lines (w, FADJ_SYM_SEED, L);
  fadj_buf_reset (w->sub);
  fadj_buf_reset (w->res);
  pre[0] = '\0';
  switch (net->loss)
    {
    case FADJ_LOSS_HALF_SQUARED:
      snprintf (formula, sizeof formula, "X^{%zu} - y", L);
      break;
    case FADJ_LOSS_SQUARED:
      snprintf (formula, sizeof formula, "2(X^{%zu} - y)", L);
      snprintf (pre, sizeof pre, "2");
      break;
    case FADJ_LOSS_MEAN_SQUARED:
      snprintf (formula, sizeof formula, "\\frac{2}{%zu}(X^{%zu} - y)", n, L);
      snprintf (pre, sizeof pre, "\\frac{2}{%zu}", n);
      break;
    case FADJ_LOSS_CROSS_ENTROPY:
      snprintf (formula, sizeof formula, "\\frac{X^{%zu} - y}{X^{%zu} \\odot "
                "(1 - X^{%zu})}\\ \\text{(entrywise)}", L, L, L);
      break;
    case FADJ_LOSS_CATEGORICAL_CROSS_ENTROPY:
    default:
      snprintf (formula, sizeof formula, "-\\frac{y}{X^{%zu}}\\ "
                "\\text{(entrywise)}", L);
      break;
    }
  if (loss_squared_p (net->loss))
    {
      fadj_buf_printf (w->sub, "%s%s", pre, pre[0] ? "\\left(" : "");
      put_mat (w, w->sub, &sa, t->X + L, NULL, NULL, 0);
      fadj_buf_puts (w->sub, " - ");
      put_mat (w, w->sub, &sa, &net->target, NULL, NULL, 0);
      fadj_buf_puts (w->sub, pre[0] ? "\\right)" : "");
    }
  put_mat (w, w->res, &ra, t->xs + L, NULL, NULL, 0);
  snprintf (lhs, sizeof lhs, "X^{%zu}_{*}", L);
  {
    char f2[260];
    snprintf (f2, sizeof f2, "\\frac{\\partial %s}{\\partial X^{%zu}} = %s",
              dj, L, formula);
    step (w, lhs, f2, sa, ra);
  }
  align_end (w);
}

/* ------------------------------------------------------------------ */
/* Section 4: the F-adjoint.                                           */

/* Step 1 of a softmax layer L: for each sample s the Jacobian
   J_sigma(Y^l_s) = diag(X^l_s) - X^l_s (X^l_s)^T, then Y^l_* = J^T X^l_*
   column by column; with the categorical cross-entropy at the output,
   also the simplification Y^L_* = X^L - y when every target column sums
   to 1.  Inside an align* of the caller.  */
static void
put_vector_step1 (writer *w, size_t l)
{
  const fadj_trace *t = w->t;
  const fadj_net *net = w->net;
  size_t n = net->sizes[l], m = t->m, s;
  char lhs[96], formula[200], col[32], star[32];
  int sa, ra;

  for (s = 0; s < m; s++)
    {
      if (m > 1)
        {
          snprintf (col, sizeof col, "_{(%zu)}", s + 1);
          snprintf (star, sizeof star, "_{*(%zu)}", s + 1);
        }
      else
        {
          col[0] = '\0';
          snprintf (star, sizeof star, "_{*}");
        }
      fadj_buf_reset (w->sub);
      fadj_buf_reset (w->res);
      sa = ra = 0;
      snprintf (lhs, sizeof lhs, "J_{\\sigma}(Y^{%zu}%s)", l, col);
      snprintf (formula, sizeof formula, "\\operatorname{diag}(X^{%zu}%s) - "
                "X^{%zu}%s (X^{%zu}%s)^{\\top}", l, col, l, col, l, col);
      put_view (w, w->res, &ra, t->jac + l, s * n, n, 0, 0);
      step (w, lhs, formula, 0, ra);

      fadj_buf_reset (w->sub);
      fadj_buf_reset (w->res);
      sa = ra = 0;
      snprintf (lhs, sizeof lhs, "Y^{%zu}%s", l, star);
      snprintf (formula, sizeof formula, "J_{\\sigma}(Y^{%zu}%s)^{\\top} "
                "X^{%zu}%s", l, col, l, star);
      put_view (w, w->sub, &sa, t->jac + l, s * n, n, 0, 1);
      put_view (w, w->sub, &sa, t->xs + l, s, 1, 0, 0);
      put_view (w, w->res, &ra, t->ys + l, s, 1, 0, 0);
      step (w, lhs, formula, sa, ra);
    }
  if (m > 1)
    {
      fadj_buf_reset (w->sub);
      fadj_buf_reset (w->res);
      ra = 0;
      snprintf (lhs, sizeof lhs, "Y^{%zu}_{*}", l);
      put_mat (w, w->res, &ra, t->ys + l, NULL, NULL, 0);
      step (w, lhs, NULL, 0, ra);
    }
  if (l == t->L && net->loss == FADJ_LOSS_CATEGORICAL_CROSS_ENTROPY
      && targets_sum_to_one (net))
    {
      /* J^T (-y / x) = -y + x (sum y) = x - y: the textbook shortcut,
         computed here from X^L and y alone.  */
      fadj_mat d;
      fadj_ctx c = mat_ctx (t->X + l);
      size_t i;

      if (fadj_mat_init (&d, n, m, &c) != FADJ_OK)
        {
          fail (w, FADJ_ERR_NOMEM);
          return;
        }
      for (i = 0; i < n * m; i++)
        {
          fadj_num_set_q (d.e + i, FADJ_NUM_Q (&net->target.e[i]));
          fadj_num_sub (d.e + i, t->X[l].e + i, d.e + i);
        }
      fadj_buf_reset (w->sub);
      fadj_buf_reset (w->res);
      sa = ra = 0;
      snprintf (lhs, sizeof lhs, "Y^{%zu}_{*}", l);
      snprintf (formula, sizeof formula, "X^{%zu} - y", l);
      put_mat (w, w->sub, &sa, t->X + l, NULL, NULL, 0);
      fadj_buf_puts (w->sub, " - ");
      put_mat (w, w->sub, &sa, &net->target, NULL, NULL, 0);
      put_mat (w, w->res, &ra, &d, NULL, NULL, 0);
      align_end (w);
      fadj_buf_printf (w->b, "With softmax and the categorical "
                       "cross-entropy, and targets whose entries sum to 1, "
                       "step~1 simplifies: $J_{\\sigma}(Y^{%zu})^{\\top} "
                       "\\bigl(-\\frac{y}{X^{%zu}}\\bigr) = -y + X^{%zu} "
                       "\\textstyle\\sum_{k} y_{k} = X^{%zu} - y$, and "
                       "indeed\n", l, l, l, l);
      align_begin (w);
      step (w, lhs, formula, sa, ra);
      fadj_mat_clear (&d);
    }
}

static void
write_fadjoint (writer *w, unsigned flags)
{
  const fadj_net *net = w->net;
  const fadj_trace *t = w->t;
  fadj_buf *b = w->b;
  char lhs[64], formula[200];
  size_t l;
  int sa, ra;

  section (w, "The F-adjoint", flags);
  fadj_buf_printf (b, "For $%s = ", w->ix);
  put_range (b, t->L, 1);
  fadj_buf_printf (b, "$, the two-step rule:\n"
                   "\\begin{align*}\n"
                   "\\text{step 1:}\\quad Y^{%s}_{*} &= X^{%s}_{*} \\odot "
                   "\\sigma'(Y^{%s}),\\\\\n"
                   "\\text{step 2:}\\quad X^{%s-1}_{*} &= (W^{%s}%s)^{\\top} "
                   "Y^{%s}_{*}.\n"
                   "\\end{align*}\n",
                   w->ix, w->ix, w->ix, w->ix, w->ix,
                   w->any_bias && !w->sep ? "_{\\sharp}" : "", w->ix);
  if (w->any_bias && !w->sep)
    fadj_buf_printf (b, "($W^{%s}_{\\sharp}$ is $W^{%s}$ without its bias "
                     "column; $W^{%s}_{\\sharp} = W^{%s}$ for a layer "
                     "without a bias.)\n", w->ix, w->ix, w->ix, w->ix);
  for (l = 1; l <= t->L; l++)
    if (fadj_act_vector_p (net->layers[l - 1].act))
      {
        fadj_buf_printf (b, "Softmax is a vector map, not a coordinate-wise "
                         "one: its derivative at a column $t$ is the "
                         "Jacobian matrix $J_{\\sigma}(t) = "
                         "\\operatorname{diag}\\bigl(\\sigma(t)\\bigr) - "
                         "\\sigma(t)\\,\\sigma(t)^{\\top}$, and step~1 "
                         "becomes $Y^{%s}_{*} = J_{\\sigma}(Y^{%s})^{\\top}"
                         "\\,X^{%s}_{*}$, sample by sample. This generalises "
                         "the coordinate-wise $\\odot$ of the paper: for a "
                         "coordinate-wise $\\sigma$ the Jacobian is the "
                         "diagonal matrix $\\operatorname{diag}\\bigl("
                         "\\sigma'(Y^{%s})\\bigr)$ and $J^{\\top} X_{*} = "
                         "X_{*} \\odot \\sigma'(Y^{%s})$.\n",
                         w->ix, w->ix, w->ix, w->ix, w->ix);
        break;
      }

  for (l = t->L; l >= 1; l--)
    {
      const fadj_layer *ly = net->layers + l - 1;
      int sharp = ly->has_bias && !w->sep;
      char sig[32];

      w->active = l;
      if (!w->beamer)
        fadj_buf_printf (b, "\n\\paragraph{Layer %zu.}\n", l);
      if (w->same_act)
        snprintf (sig, sizeof sig, "\\sigma'");
      else
        snprintf (sig, sizeof sig, "\\sigma_{%zu}'", l);
      align_begin (w);

      if (fadj_act_vector_p (ly->act))
        put_vector_step1 (w, l);
      else
        {
          /* sigma'(Y^l), written out.  */
          if (ly->act != FADJ_ACT_IDENTITY)
            {
              fadj_buf_reset (w->sub);
              fadj_buf_reset (w->res);
              sa = ra = 0;
              switch (ly->act)
                {
                case FADJ_ACT_SIGMOID:
                  if (w->same_act)
                    snprintf (formula, sizeof formula,
                              "\\sigma(Y^{%zu}) \\odot \\bigl(1 - \\sigma(Y^{%zu})"
                              "\\bigr) = X^{%zu} \\odot (1 - X^{%zu})",
                              l, l, l, l);
                  else
                    snprintf (formula, sizeof formula,
                              "X^{%zu} \\odot (1 - X^{%zu})", l, l);
                  break;
                case FADJ_ACT_TANH:
                  snprintf (formula, sizeof formula,
                            "1 - X^{%zu} \\odot X^{%zu}", l, l);
                  break;
                default:
                  {
                    char pre[40];
                    snprintf (pre, sizeof pre, "%s(", sig);
                    formula[0] = '\0';
                    put_mat (w, w->sub, &sa, t->Y + l, pre, ")", 0);
                  }
                  break;
                }
              put_mat (w, w->res, &ra, t->dsig + l, NULL, NULL, 0);
              snprintf (lhs, sizeof lhs, "%s(Y^{%zu})", sig, l);
              if (formula[0] == '\0')
                {
                  /* No symbolic form beyond the definition: straight to
                     the entries sigma'(y).  */
                  step (w, lhs, NULL, sa, ra);
                }
              else
                step (w, lhs, formula, 0, ra);
            }

          /* Step 1.  */
          sym_lines (w, FADJ_SYM_STEP1, l);
          fadj_buf_reset (w->sub);
          fadj_buf_reset (w->res);
          sa = ra = 0;
          snprintf (lhs, sizeof lhs, "Y^{%zu}_{*}", l);
          if (ly->act == FADJ_ACT_IDENTITY)
            snprintf (formula, sizeof formula,
                      "X^{%zu}_{*} \\odot %s(Y^{%zu}) = X^{%zu}_{*}",
                      l, sig, l, l);
          else
            {
              snprintf (formula, sizeof formula, "X^{%zu}_{*} \\odot %s(Y^{%zu})",
                        l, sig, l);
              put_mat (w, w->sub, &sa, t->xs + l, NULL, NULL, 0);
              fadj_buf_puts (w->sub, " \\odot ");
              put_mat (w, w->sub, &sa, t->dsig + l, NULL, NULL, 0);
            }
          put_mat (w, w->res, &ra, t->ys + l, NULL, NULL, 0);
          step (w, lhs, formula, sa, ra);
        }

      /* Step 2.  */
      sym_lines (w, FADJ_SYM_STEP2, l);
      fadj_buf_reset (w->sub);
      fadj_buf_reset (w->res);
      sa = ra = 0;
      snprintf (lhs, sizeof lhs, "X^{%zu}_{*}", l - 1);
      snprintf (formula, sizeof formula, "(W^{%zu}%s)^{\\top} Y^{%zu}_{*}",
                l, sharp ? "_{\\sharp}" : "", l);
      put_view (w, w->sub, &sa, &ly->w, 0, ly->w.cols, 0, 1);
      put_mat (w, w->sub, &sa, t->ys + l, NULL, NULL, 0);
      put_mat (w, w->res, &ra, t->xs + l - 1, NULL, NULL, 0);
      step (w, lhs, formula, sa, ra);
      align_end (w);
    }
}

/* ------------------------------------------------------------------ */
/* Section 5: the two families.                                        */

/* Print a family: NAME = {symbols} and then its values, either as one
   Bmatrix of matrices when that fits, or as a list of "symbol = value"
   pairs, several to a line.  The K-th member is symbol SYM[K] with value
   written by the callback.  */
typedef void (*member_fn) (writer *w, fadj_buf *b, int *approx, size_t k);

static void
member_f (writer *w, fadj_buf *b, int *approx, size_t k)
{
  /* k = 0: X^0; then Y^1, X^1, Y^2, ...  */
  size_t l = (k + 1) / 2;
  if (k % 2 == 0)
    put_x (w, b, approx, l, 0);
  else
    put_mat (w, b, approx, w->t->Y + l, NULL, NULL, 0);
}

static void
member_fs (writer *w, fadj_buf *b, int *approx, size_t k)
{
  /* k = 0: X^L_*; then Y^L_*, X^{L-1}_*, ..., Y^1_*, X^0_*.  */
  size_t l = w->t->L - k / 2;
  if (k % 2 == 0)
    put_mat (w, b, approx, w->t->xs + l, NULL, NULL, 0);
  else
    put_mat (w, b, approx, w->t->ys + l, NULL, NULL, 0);
}

static void
member_sym (char *s, size_t n, const writer *w, int star, size_t k)
{
  if (!star)
    snprintf (s, n, "%c^{%zu}", k % 2 == 0 ? 'X' : 'Y', (k + 1) / 2);
  else
    snprintf (s, n, "%c^{%zu}_{*}", k % 2 == 0 ? 'X' : 'Y',
              w->t->L - k / 2);
}

static void
write_family (writer *w, const char *name, int star, member_fn fn)
{
  fadj_buf *b = w->b;
  size_t n = 2 * w->t->L + 1, k, per, col;
  double total = 0, widest = 0, wk;
  char sym[48];
  int a = 0;

  /* Symbols and values into scratch, to measure.  */
  fadj_buf_reset (w->tmp);
  fadj_buf_reset (w->sub);
  for (k = 0; k < n; k++)
    {
      size_t start = fadj_buf_len (w->sub);
      member_sym (sym, sizeof sym, w, star, k);
      fadj_buf_printf (w->tmp, "%s%s", k > 0 ? ", " : "", sym);
      if (k > 0)
        fadj_buf_puts (w->sub, ",\\ ");
      fn (w, w->sub, &a, k);
      if (!ok (w))
        return;
      wk = fadj_latex_width (fadj_buf_data (w->sub, NULL) + start,
                             fadj_buf_len (w->sub) - start);
      total += wk + 1;
      if (wk > widest)
        widest = wk;
    }
  check_scratch (w);
  if (!ok (w))
    return;

  align_begin (w);
  align_newline (w);
  fadj_buf_printf (b, "%s &= \\begin{Bmatrix} %s \\end{Bmatrix}", name,
                   fadj_buf_data (w->tmp, NULL));
  if (total + 6 <= w->width)
    {
      align_newline (w);
      fadj_buf_printf (b, "&%s \\begin{Bmatrix} %s \\end{Bmatrix}", rel (a),
                       fadj_buf_data (w->sub, NULL));
      align_end (w);
      return;
    }
  align_end (w);

  /* Too wide: the members one by one, as many to a line as fit.  */
  per = (size_t) (w->width / (widest + 8));
  if (per < 1)
    per = 1;
  if (per > 4)
    per = 4;
  fadj_buf_puts (b, "with the members\n");
  align_begin (w);
  for (k = 0, col = 0; k < n; k++)
    {
      int ak = 0;
      fadj_buf_reset (w->res);
      fn (w, w->res, &ak, k);
      check_scratch (w);
      if (!ok (w))
        return;
      member_sym (sym, sizeof sym, w, star, k);
      if (col == per)
        col = 0;
      if (col == 0)
        align_newline (w);
      else
        fadj_buf_puts (b, " & ");
      fadj_buf_printf (b, "%s &%s %s%s", sym, rel (ak),
                       fadj_buf_data (w->res, NULL), k + 1 < n ? "," : ".");
      col++;
    }
  align_end (w);
}

static void
write_families (writer *w, unsigned flags)
{
  const fadj_trace *t = w->t;
  fadj_buf *b = w->b;

  section (w, "The two families", flags);
  fadj_buf_printf (b,
    "In the paper's notation, the F-propagation of $X^{0}$ and its "
    "F-adjoint are the families\n"
    "\\begin{align*}\n"
    "F(X^{0}) &= \\begin{Bmatrix} X^{0}, Y^{1}, X^{1}, \\dots, Y^{L}, "
    "X^{L} \\end{Bmatrix},\\\\\n"
    "F_{*}(X^{0}, X^{L}_{*}) &= \\begin{Bmatrix} X^{L}_{*}, Y^{L}_{*}, "
    "X^{L-1}_{*}, \\dots, Y^{1}_{*}, X^{0}_{*} \\end{Bmatrix},\n"
    "\\end{align*}\n"
    "here with $L = %zu$%s:\n", t->L,
    w->any_bias && !w->sep
      ? " (with the appended 1 in each input of a layer with a bias)" : "");
  write_family (w, "F(X^{0})", 0, member_f);
  {
    char name[64];
    snprintf (name, sizeof name, "F_{*}(X^{0}, X^{%zu}_{*})", t->L);
    write_family (w, name, 1, member_fs);
  }
}

/* ------------------------------------------------------------------ */
/* Section 6: the gradients.                                           */

/* A shared bias's gradient: the sum of the bias column of dJ/dW^l,
   written out term by term.  Inside an align*.  */
static void
put_shared_bias_gradient (writer *w, size_t l)
{
  const fadj_trace *t = w->t;
  size_t n = w->net->sizes[l], cols = w->net->sizes[l - 1], i;
  char lhs[64], formula[128];
  int sa = 0, ra = 0;

  fadj_buf_reset (w->sub);
  fadj_buf_reset (w->res);
  for (i = 0; i < n && ok (w); i++)
    {
      fadj_num_srcptr x = FADJ_MAT (t->grad + l, i, cols);
      size_t at = fadj_buf_len (w->sub) + (i > 0 ? 3 : 0);
      int neg;
      if (i > 0)
        fadj_buf_puts (w->sub, " + ");
      fail (w, fadj_latex_number (w->sub, &sa, x, w->digits));
      /* A negative term in parentheses: a + (-b).  */
      neg = ok (w) && fadj_buf_data (w->sub, NULL)[at] == '-';
      if (neg && i > 0)
        {
          fadj_buf_reset (w->tmp);
          fadj_buf_puts (w->tmp, fadj_buf_data (w->sub, NULL) + at);
          fadj_buf_truncate (w->sub, at);
          fadj_buf_printf (w->sub, "(%s)", fadj_buf_data (w->tmp, NULL));
        }
    }
  if (ok (w))
    fail (w, fadj_latex_number (w->res, &ra, t->gb[l].e, w->digits));
  snprintf (lhs, sizeof lhs, "\\frac{\\partial J}{\\partial b^{%zu}}", l);
  snprintf (formula, sizeof formula, "\\sum_{i=1}^{%zu} \\frac{\\partial J}"
            "{\\partial b^{%zu}_{i}}", n, l);
  step (w, lhs, formula, sa, ra);
}

static void
write_gradients (writer *w, unsigned flags)
{
  const fadj_net *net = w->net;
  const fadj_trace *t = w->t;
  fadj_buf *b = w->b;
  char lhs[64], formula[160];
  const char *mean = t->m > 1 && net->batch == FADJ_BATCH_MEAN
    ? "\\frac{1}{m}\\," : "";
  char meanq[32];
  size_t l;
  int sa, ra;

  snprintf (meanq, sizeof meanq, "\\frac{1}{%zu}", t->m);
  section (w, "The gradients", flags);
  fadj_buf_printf (b, "By the theorem, $\\dfrac{\\partial J}{\\partial "
                   "W^{%s}} = %sY^{%s}_{*}\\,(X^{%s-1})^{\\top}$",
                   w->ix, mean, w->ix, w->ix);
  if (mean[0] != '\0')
    fadj_buf_puts (b, " (the $\\frac{1}{m}$ of the batch mean, the seed "
                   "being the sum's)");
  if (w->any_bias && !w->sep)
    fadj_buf_printf (b, ", with the appended 1 in $X^{%s-1}$: the last "
                     "column is the bias's gradient", w->ix);
  else if (w->any_bias)
    fadj_buf_printf (b, ", and $\\dfrac{\\partial J}{\\partial b^{%s}} = "
                     "%sY^{%s}_{*}%s$", w->ix, mean, w->ix,
                     t->m > 1 ? "\\mathbf{1}" : "");
  fadj_buf_puts (b, ".\n");
  for (l = 1; l <= t->L; l++)
    {
      const fadj_layer *ly = net->layers + l - 1;
      size_t nw = ly->w.cols;

      w->active = l;
      align_begin (w);
      sym_lines (w, FADJ_SYM_GRAD, l);
      fadj_buf_reset (w->sub);
      fadj_buf_reset (w->res);
      sa = ra = 0;
      snprintf (lhs, sizeof lhs, "\\frac{\\partial J}{\\partial W^{%zu}}", l);
      snprintf (formula, sizeof formula, "%sY^{%zu}_{*}\\,(X^{%zu})^{\\top}",
                mean, l, l - 1);
      if (mean[0] != '\0')
        fadj_buf_puts (w->sub, meanq);
      put_mat (w, w->sub, &sa, t->ys + l, NULL, NULL, 0);
      put_x (w, w->sub, &sa, l - 1, 1);
      if (ly->has_bias && !w->sep)
        put_mat (w, w->res, &ra, t->grad + l, NULL, NULL, nw);
      else
        put_view (w, w->res, &ra, t->grad + l, 0, nw, 0, 0);
      step (w, lhs, formula, sa, ra);

      if (ly->has_bias && w->sep)
        {
          fadj_buf_reset (w->sub);
          fadj_buf_reset (w->res);
          sa = ra = 0;
          snprintf (lhs, sizeof lhs, "\\frac{\\partial J}{\\partial b^{%zu}%s}",
                    l, ly->bias_shared ? "_{i}" : "");
          snprintf (formula, sizeof formula, "%sY^{%zu}_{*}%s", mean, l,
                    t->m > 1 ? "\\mathbf{1}" : "");
          put_view (w, w->res, &ra, t->grad + l, nw, 1, 0, 0);
          step (w, lhs, formula, 0, ra);
        }
      if (ly->bias_shared)
        put_shared_bias_gradient (w, l);
      align_end (w);
    }
}

/* ------------------------------------------------------------------ */
/* The scalar chain rule of one weight (--chain), beside the two-step
   rule: the sum over paths in symbols, then with numbers, then its
   value, shown equal to the entry of Y^l_* (X^{l-1})^T.  */

static void
write_chain (writer *w, unsigned flags, const fadj_latex_chain *c)
{
  const fadj_trace *t = w->t;
  size_t l = c->layer, i = c->row, j = c->col;
  int bias = j == w->net->sizes[l - 1] + 1, na = 0, agree;
  char wname[48];
  fadj_num_t sum;
  fadj_num_srcptr g = FADJ_MAT (t->grad + l, i - 1, j - 1);
  fadj_buf *b = w->b;
  fadj_status st;

  if (!ok (w))
    return;
  if (bias)
    snprintf (wname, sizeof wname, "b^{%zu}_{%zu}", l, i);
  else
    snprintf (wname, sizeof wname, "w^{%zu}_{%zu%s%zu}", l, i,
              i > 9 || j > 9 ? "," : "", j);
  /* In the writer: frames use the title after this call.  */
  snprintf (w->title_buf, sizeof w->title_buf, "The chain rule for $%s$",
            wname);
  section (w, w->title_buf, flags);
  fadj_num_init (sum, &t->ctx);
  st = fadj_chain_path_sum (sum, t, c);
  if (st != FADJ_OK)
    {
      fadj_num_clear (sum);
      fail (w, st);
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
  align_begin (w);
  step_begin (w);
  w->in_step = 1;
  align_newline (w);
  fadj_buf_printf (b, "\\frac{\\partial J}{\\partial %s} &= ", wname);
  fadj_latex_chain_symbolic (b, t, c, w->same_act, w->sep);
  fadj_buf_reset (w->sub);
  st = fadj_latex_chain_numbers (w->sub, &na, t, c, &w->fmt,
                                 w->width - 6);
  if (st != FADJ_OK)
    fail (w, st);
  if (ok (w) && w->box != FADJ_BOX_NONE)
    {
      /* On a worksheet the path products are boxes too.  */
      fadj_latex_numfmt f = w->fmt;
      f.box = w->box;
      fadj_buf_reset (w->sub);
      na = 0;
      fail (w, fadj_latex_chain_numbers (w->sub, &na, t, c, &f,
                                         w->width - 6));
    }
  check_scratch (w);
  if (!ok (w))
    {
      fadj_num_clear (sum);
      return;
    }
  align_newline (w);
  fadj_buf_printf (b, w->beamer ? "&\\uncover<2->{%s %s}" : "&%s %s",
                   rel (na), fadj_buf_data (w->sub, NULL));
  fadj_buf_reset (w->res);
  {
    int ra = 0;
    put_num (w, w->res, &ra, sum);
    align_newline (w);
    fadj_buf_printf (b, w->beamer ? "&\\uncover<3->{%s %s}" : "&%s %s",
                     rel (na || ra), fadj_buf_data (w->res, NULL));
    /* The same number as the entry of the gradient, by the theorem.  */
    align_newline (w);
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
    put_num (w, w->res, &ra, g);
    check_scratch (w);
    fadj_buf_printf (b, " %s %s%s", rel (ra), fadj_buf_data (w->res, NULL),
                     w->beamer ? "}" : "");
  }
  w->in_step = 0;
  align_end (w);
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

/* ------------------------------------------------------------------ */
/* Section 7: the verification.                                        */

static void
write_verification (writer *w, unsigned flags)
{
  const fadj_trace *t = w->t;
  const fadj_check *c = &t->check;
  fadj_buf *b = w->b;
  size_t l;

  section (w, "Verification", flags);
  fadj_buf_printf (b,
    "Every gradient above, every $Y^{%s}_{*}$ and every $X^{%s}_{*}$ "
    "was compared with an independent computation: the generic "
    "reverse-mode differentiation, by fadj's expression engine, of the "
    "scalar computation graph of $J$. In that graph $\\sigma$ is built "
    "from primitive operations (exp, log, erf, square root, division, and "
    "piecewise maps), so its derivative is derived by the engine's own "
    "rules and not taken from the formula for $\\sigma'$ used in the "
    "two-step rule. ", w->ix, w->ix);
  if (t->m > 1 && w->net->batch == FADJ_BATCH_MEAN)
    fadj_buf_printf (b, "As $J$ is the mean over the samples while the "
                     "seed is each sample's own derivative, $Y^{%s}_{*}$ "
                     "and $X^{%s}_{*}$ were compared with $m$ times the "
                     "derivatives of $J$. ", w->ix, w->ix);
  for (l = 1; l <= t->L; l++)
    if (w->net->layers[l - 1].bias_shared)
      {
        fadj_buf_puts (b, "A shared bias is one variable of the graph, so "
                       "its gradient, the sum, was compared too. ");
        break;
      }
  if (t->ctx.domain == FADJ_EXACT)
    fadj_buf_puts (b,
      "Both methods ran in exact rational arithmetic (GMP), so agreement "
      "means that the two methods agree exactly. ");
  else
    fadj_buf_printf (b,
      "Both methods ran in interval arithmetic (MPFI) with %ld-bit "
      "endpoints; every value is an enclosure of the true real number, "
      "two results agree when their enclosures overlap, and a printed "
      "decimal is certified: every point of its enclosure rounds to the "
      "same digits. ", (long) t->ctx.prec);
  fadj_buf_printf (b, "%zu %s compared.\n\n", c->compared,
                   c->compared == 1 ? "entry was" : "entries were");

  if (c->agree)
    {
      fadj_buf_puts (b, "\\begin{center}\n\\begin{tabular}{lll}\n"
                     "layer & compared & result\\\\\n\\hline\n");
      for (l = t->L; l >= 1; l--)
        fadj_buf_printf (b, "%zu & $\\partial J/\\partial W^{%zu}$, "
                         "$Y^{%zu}_{*}$, $X^{%zu}_{*}$%s & %s\\\\\n",
                         l, l, l, l - 1,
                         l == t->L ? ", and the seed" : "",
                         t->ctx.domain == FADJ_EXACT
                           ? "equal" : "enclosures overlap");
      fadj_buf_puts (b, "\\end{tabular}\n\\end{center}\n");
      fadj_buf_printf (b, "\\noindent\\textbf{Result:} the two-step rule "
                       "and the reverse mode agree%s on every entry.\n",
                       t->ctx.domain == FADJ_EXACT ? " exactly" : "");
    }
  else
    {
      const char *what;
      char q[96];

      switch (c->what)
        {
        case FADJ_Q_GRADIENT:
          what = "the gradient";
          snprintf (q, sizeof q, "$\\partial J/\\partial W^{%zu}$", c->layer);
          break;
        case FADJ_Q_Y_STAR:
          what = "step 1's";
          snprintf (q, sizeof q, "$Y^{%zu}_{*}$ (against $\\partial J/"
                    "\\partial Y^{%zu}$)", c->layer, c->layer);
          break;
        case FADJ_Q_SHARED_BIAS:
          what = "the gradient";
          snprintf (q, sizeof q, "$\\partial J/\\partial b^{%zu}$ (the "
                    "shared bias)", c->layer);
          break;
        case FADJ_Q_X_STAR:
        default:
          what = c->layer == t->L ? "the seed" : "step 2's";
          snprintf (q, sizeof q, "$X^{%zu}_{*}$ (against $\\partial J/"
                    "\\partial X^{%zu}$)", c->layer, c->layer);
          break;
        }
      fadj_buf_printf (b,
        "\\begin{center}\n\\fbox{\\parbox{0.9\\linewidth}{"
        "\\textbf{VERIFICATION FAILED.} The two methods disagree. "
        "The first disagreement is in %s %s, layer %zu, row %zu, "
        "column %zu%s. The values in this document are not confirmed.}}\n"
        "\\end{center}\n",
        what, q, c->layer, c->row + 1, c->col + 1,
        c->what == FADJ_Q_GRADIENT && w->net->layers[c->layer - 1].has_bias
          && c->col == w->net->layers[c->layer - 1].w.cols
          ? " (the bias column)" : "");
    }
}

/* ------------------------------------------------------------------ */
/* Section 8: training steps (fadj-explain --steps).                   */

/* ETA as LaTeX into B.  */
static void
put_q (writer *w, fadj_buf *b, const mpq_t q)
{
  fadj_ctx qc = { FADJ_EXACT, 0 };
  fadj_num_t a;

  fadj_num_init (a, &qc);
  fadj_num_set_q (a, q);
  if (ok (w))
    fail (w, fadj_latex_number (b, NULL, a, w->digits));
  fadj_num_clear (a);
}

/* The update of layer L's weights and bias in step 1, inside an align*:
   W' = W - eta G (the weights part of G), then the bias: frozen, shared
   (one number) or per neuron.  */
static void
put_update (writer *w, const fadj_training *tr, size_t l)
{
  const fadj_layer *ly = w->net->layers + l - 1;
  size_t nw = ly->w.cols;
  char lhs[64], formula[128];
  int sa = 0, ra = 0;

  fadj_buf_reset (w->sub);
  fadj_buf_reset (w->res);
  snprintf (lhs, sizeof lhs, "W^{%zu}_{\\text{new}}", l);
  snprintf (formula, sizeof formula, "W^{%zu} - \\eta\\,\\frac{\\partial J}"
            "{\\partial W^{%zu}}", l, l);
  put_mat (w, w->sub, &sa, &ly->w, NULL, NULL, 0);
  fadj_buf_puts (w->sub, " - ");
  put_q (w, w->sub, tr->rate);
  put_view (w, w->sub, &sa, tr->grad + l, 0, nw, 0, 0);
  put_mat (w, w->res, &ra, tr->w1 + l, NULL, NULL, 0);
  step (w, lhs, formula, sa, ra);
  if (!ly->has_bias)
    return;
  fadj_buf_reset (w->sub);
  fadj_buf_reset (w->res);
  sa = ra = 0;
  snprintf (lhs, sizeof lhs, "b^{%zu}_{\\text{new}}", l);
  if (ly->bias_frozen)
    {
      snprintf (formula, sizeof formula, "b^{%zu}\\ \\text{(frozen)}", l);
      /* Unchanged, so exact: the file's value.  */
      if (!ly->bias_shared)
        put_mat (w, w->res, &ra, &ly->b, NULL, NULL, 0);
      else
        put_q (w, w->res, FADJ_NUM_Q (&ly->b.e[0]));
      step (w, lhs, formula, 0, ra);
      return;
    }
  snprintf (formula, sizeof formula, "b^{%zu} - \\eta\\,\\frac{\\partial J}"
            "{\\partial b^{%zu}}", l, l);
  if (ly->bias_shared)
    {
      fadj_num_t bq;
      fadj_ctx qc = { FADJ_EXACT, 0 };
      fadj_num_init (bq, &qc);
      fadj_num_set_q (bq, FADJ_NUM_Q (&ly->b.e[0]));
      if (ok (w))
        fail (w, fadj_latex_number (w->sub, &sa, bq, w->digits));
      fadj_num_clear (bq);
      fadj_buf_puts (w->sub, " - ");
      put_q (w, w->sub, tr->rate);
      fadj_buf_puts (w->sub, "\\cdot ");
      if (ok (w))
        fail (w, fadj_latex_number (w->sub, &sa, tr->gb[l].e, w->digits));
      if (ok (w))
        fail (w, fadj_latex_number (w->res, &ra, tr->b1[l].e, w->digits));
    }
  else
    {
      put_mat (w, w->sub, &sa, &ly->b, NULL, NULL, 0);
      fadj_buf_puts (w->sub, " - ");
      put_q (w, w->sub, tr->rate);
      put_view (w, w->sub, &sa, tr->grad + l, nw, 1, 0, 0);
      put_mat (w, w->res, &ra, tr->b1 + l, NULL, NULL, 0);
    }
  step (w, lhs, formula, sa, ra);
}

/* The local variant's sweep at layer L: its own Y^l_* (from the X^l_*
   propagated with the updated weights above), the gradient, the update,
   and X^{l-1}_* through the new W^l.  */
static void
put_local_layer (writer *w, const fadj_training *tr, size_t l)
{
  const fadj_trace *t = w->t;
  const fadj_layer *ly = w->net->layers + l - 1;
  const fadj_mat *xs = l == t->L ? t->xs + l : tr->xs + l;
  char lhs[64], formula[160];
  int sa = 0, ra = 0;

  fadj_buf_printf (w->b, "\n\\paragraph{Layer %zu.}\n", l);
  align_begin (w);
  fadj_buf_reset (w->sub);
  fadj_buf_reset (w->res);
  snprintf (lhs, sizeof lhs, "Y^{%zu}_{*}", l);
  if (fadj_act_vector_p (ly->act))
    snprintf (formula, sizeof formula, "J_{\\sigma}(Y^{%zu})^{\\top} "
              "X^{%zu}_{*}", l, l);
  else
    {
      snprintf (formula, sizeof formula, "X^{%zu}_{*} \\odot \\sigma'(Y^{%zu})",
                l, l);
      put_mat (w, w->sub, &sa, xs, NULL, NULL, 0);
      fadj_buf_puts (w->sub, " \\odot ");
      put_mat (w, w->sub, &sa, t->dsig + l, NULL, NULL, 0);
    }
  put_mat (w, w->res, &ra, tr->ys + l, NULL, NULL, 0);
  step (w, lhs, formula, sa, ra);

  fadj_buf_reset (w->sub);
  fadj_buf_reset (w->res);
  sa = ra = 0;
  snprintf (lhs, sizeof lhs, "\\frac{\\partial J}{\\partial W^{%zu}}", l);
  snprintf (formula, sizeof formula, "Y^{%zu}_{*}\\,(X^{%zu})^{\\top}", l,
            l - 1);
  if (ly->has_bias && !w->sep)
    put_mat (w, w->res, &ra, tr->grad + l, NULL, NULL, ly->w.cols);
  else
    put_view (w, w->res, &ra, tr->grad + l, 0, ly->w.cols, 0, 0);
  step (w, lhs, formula, 0, ra);
  put_update (w, tr, l);

  fadj_buf_reset (w->sub);
  fadj_buf_reset (w->res);
  sa = ra = 0;
  snprintf (lhs, sizeof lhs, "X^{%zu}_{*}", l - 1);
  snprintf (formula, sizeof formula, "(W^{%zu}_{\\text{new}%s})^{\\top} "
            "Y^{%zu}_{*}", l, ly->has_bias && !w->sep ? ",\\sharp" : "", l);
  put_view (w, w->sub, &sa, tr->w1 + l, 0, ly->w.cols, 0, 1);
  put_mat (w, w->sub, &sa, tr->ys + l, NULL, NULL, 0);
  put_mat (w, w->res, &ra, tr->xs + l - 1, NULL, NULL, 0);
  step (w, lhs, formula, sa, ra);
  align_end (w);
}

static void
write_training (writer *w, const fadj_training *tr, unsigned flags)
{
  const fadj_net *net = w->net;
  fadj_buf *b = w->b;
  size_t l, k;
  int any_frozen = 0;

  section (w, "Training steps", flags);
  fadj_buf_puts (b, "Gradient descent with the learning rate $\\eta = ");
  put_q (w, b, tr->rate);
  fadj_buf_printf (b, "$, %zu step%s: $W^{%s} \\leftarrow W^{%s} - \\eta\\,"
                   "\\partial J/\\partial W^{%s}$, and the same for every "
                   "bias that is not frozen", tr->steps,
                   tr->steps > 1 ? "s" : "", w->ix, w->ix, w->ix);
  for (l = 1; l <= w->t->L; l++)
    any_frozen |= net->layers[l - 1].bias_frozen;
  if (any_frozen)
    fadj_buf_puts (b, " (a frozen bias keeps its value)");
  fadj_buf_puts (b, ". ");
  if (tr->mode == FADJ_UPDATE_STANDARD)
    fadj_buf_puts (b, "The updates are in the \\emph{standard} order: "
                   "every gradient of a step comes from one F-adjoint at "
                   "the old weights (for step~1, the one above), then every "
                   "layer is updated.\n");
  else
    fadj_buf_printf (b, "The updates are in the author's \\emph{local} "
                     "order (also that of the first version of Mazur's "
                     "code): going down from $%s = L$, $W^{%s}$ is updated "
                     "as soon as $Y^{%s}_{*}$ is known, and $X^{%s-1}_{*}$ "
                     "is propagated with the updated $W^{%s}$. Below the "
                     "last layer this is not the gradient of $J$ but a "
                     "different learning rule.\n",
                     w->ix, w->ix, w->ix, w->ix, w->ix);

  fadj_buf_puts (b, "\n\\paragraph{Step 1.}\n");
  if (tr->mode == FADJ_UPDATE_STANDARD)
    {
      fadj_buf_puts (b, "From the gradients above:\n");
      align_begin (w);
      for (l = 1; l <= w->t->L; l++)
        put_update (w, tr, l);
      align_end (w);
    }
  else
    {
      fadj_buf_printf (b, "From the seed $X^{%zu}_{*}$ above, layer by "
                       "layer:\n", w->t->L);
      for (l = w->t->L; l >= 1; l--)
        put_local_layer (w, tr, l);
    }

  fadj_buf_printf (b, "\n\\paragraph{The loss, step by step.}\n"
                   "Each step's F-adjoint was computed and verified as "
                   "above, at that step's weights.\n"
                   "\\begin{center}\n\\begin{tabular}{rl}\n"
                   "after step & $J$\\\\\n\\hline\n");
  for (k = 0; k <= tr->steps && ok (w); k++)
    {
      int a = 0;
      fadj_buf_printf (b, "%zu%s & $", k, k == 0 ? " (initial)" : "");
      fail (w, fadj_latex_number (b, &a, tr->J + k, w->digits));
      fadj_buf_puts (b, "$\\\\\n");
    }
  fadj_buf_puts (b, "\\end{tabular}\n\\end{center}\n");

  if (tr->steps > 1)
    {
      fadj_buf_printf (b, "The weights after step %zu:\n", tr->steps);
      align_begin (w);
      for (l = 1; l <= w->t->L; l++)
        {
          const fadj_layer *ly = net->layers + l - 1;
          align_newline (w);
          fadj_buf_printf (b, "W^{%zu} &\\approx ", l);
          put_mat (w, b, NULL, tr->w + l, NULL, NULL, 0);
          if (ly->has_bias)
            {
              fadj_buf_printf (b, ", & b^{%zu} &%s ", l,
                               ly->bias_frozen ? "=" : "\\approx");
              if (ly->bias_frozen && ly->bias_shared)
                put_q (w, b, FADJ_NUM_Q (&ly->b.e[0]));
              else if (ly->bias_frozen)
                put_mat (w, b, NULL, &ly->b, NULL, NULL, 0);
              else if (ly->bias_shared)
                {
                  if (ok (w))
                    fail (w, fadj_latex_number (b, NULL, tr->b[l].e,
                                                w->digits));
                }
              else
                put_mat (w, b, NULL, tr->b + l, NULL, NULL, 0);
            }
        }
      align_end (w);
    }
  if (!tr->check.agree)
    fadj_buf_printf (b, "\\begin{center}\n\\fbox{\\parbox{0.9\\linewidth}{"
                     "\\textbf{VERIFICATION FAILED} at the weights after "
                     "step %zu: the two-step rule and the reverse mode "
                     "disagree there (layer %zu, row %zu, column %zu).}}\n"
                     "\\end{center}\n", tr->check_step, tr->check.layer,
                     tr->check.row + 1, tr->check.col + 1);
}

/* ------------------------------------------------------------------ */
/* Section 9: textbook rounding (fadj-explain --carry).                */

/* One quantity carried and exact, and the drift: on one line when it
   fits, else on three aligned lines.  Inside an align*.  */
static void
carry_row (writer *w, const char *name, const fadj_mat *carried,
           const fadj_mat *exact)
{
  fadj_ctx c = mat_ctx (exact);
  fadj_mat d;
  size_t i;
  int ac = 0, ae = 0, ad = 0;
  double wid;

  if (!ok (w))
    return;
  if (fadj_mat_init (&d, exact->rows, exact->cols, &c) != FADJ_OK)
    {
      fail (w, FADJ_ERR_NOMEM);
      return;
    }
  for (i = 0; i < d.rows * d.cols; i++)
    {
      fadj_num_convert (d.e + i, carried->e + i);
      fadj_num_sub (d.e + i, d.e + i, exact->e + i);
    }
  fadj_buf_reset (w->sub);
  fadj_buf_reset (w->res);
  fadj_buf_reset (w->tmp);
  put_mat (w, w->sub, &ac, carried, NULL, NULL, 0);
  put_mat (w, w->res, &ae, exact, NULL, NULL, 0);
  put_mat (w, w->tmp, &ad, &d, NULL, NULL, 0);
  fadj_mat_clear (&d);
  check_scratch (w);
  if (!ok (w))
    return;
  wid = width_of (name) + width_of (fadj_buf_data (w->sub, NULL))
    + width_of (fadj_buf_data (w->res, NULL))
    + width_of (fadj_buf_data (w->tmp, NULL)) + 30;
  align_newline (w);
  fadj_buf_printf (w->b, "%s &= %s", name, fadj_buf_data (w->sub, NULL));
  fadj_buf_printf (w->b, "%s\\quad\\text{exact } %s %s",
                   wid > w->width ? "\\\\\n &" : "", rel (ae),
                   fadj_buf_data (w->res, NULL));
  fadj_buf_printf (w->b, "%s\\quad\\text{drift } %s %s",
                   wid > w->width ? "\\\\\n &" : ",", rel (ad),
                   fadj_buf_data (w->tmp, NULL));
}

static void
write_carry (writer *w, const fadj_trace *ct, unsigned flags)
{
  const fadj_trace *t = w->t;
  fadj_buf *b = w->b;
  char name[64];
  size_t l;

  section (w, "Textbook rounding", flags);
  fadj_buf_printf (b, "A calculation by hand rounds every intermediate "
                   "result before it uses it. Here the whole derivation "
                   "is redone so, every intermediate rounded to %d decimal "
                   "place%s (halves away from zero): each entry of "
                   "$Y^{%s}$, $X^{%s}$, $\\sigma'(Y^{%s})$, $Y^{%s}_{*}$, "
                   "$X^{%s}_{*}$ and of the gradients, and $J$, rounded as "
                   "soon as it is computed (the functions $\\sigma$ and "
                   "$\\sigma'$ evaluated exactly first). Each carried value "
                   "is shown with the exact one of the sections above and "
                   "the drift, carried minus exact.\n", ct->carry,
                   ct->carry == 1 ? "" : "s", w->ix, w->ix, w->ix, w->ix,
                   w->ix);
  fadj_buf_puts (b, "\n\\paragraph{F-propagation.}\n");
  align_begin (w);
  for (l = 1; l <= t->L; l++)
    {
      snprintf (name, sizeof name, "Y^{%zu}", l);
      carry_row (w, name, ct->Y + l, t->Y + l);
      snprintf (name, sizeof name, "X^{%zu}", l);
      carry_row (w, name, ct->X + l, t->X + l);
    }
  {
    /* J as 1 x 1 matrices (views: nothing to clear).  */
    fadj_mat jc = { 0 }, je = { 0 };
    jc.rows = jc.cols = je.rows = je.cols = 1;
    jc.e = (fadj_num_struct *) ct->J;
    je.e = (fadj_num_struct *) t->J;
    carry_row (w, "J", &jc, &je);
  }
  align_end (w);
  fadj_buf_puts (b, "\n\\paragraph{F-adjoint.}\n");
  align_begin (w);
  snprintf (name, sizeof name, "X^{%zu}_{*}", t->L);
  carry_row (w, name, ct->xs + t->L, t->xs + t->L);
  for (l = t->L; l >= 1; l--)
    {
      if (fadj_act_vector_p (w->net->layers[l - 1].act))
        {
          snprintf (name, sizeof name, "J_{\\sigma}(Y^{%zu})", l);
          carry_row (w, name, ct->jac + l, t->jac + l);
        }
      else if (w->net->layers[l - 1].act != FADJ_ACT_IDENTITY)
        {
          snprintf (name, sizeof name, "\\sigma'(Y^{%zu})", l);
          carry_row (w, name, ct->dsig + l, t->dsig + l);
        }
      snprintf (name, sizeof name, "Y^{%zu}_{*}", l);
      carry_row (w, name, ct->ys + l, t->ys + l);
      snprintf (name, sizeof name, "X^{%zu}_{*}", l - 1);
      carry_row (w, name, ct->xs + l - 1, t->xs + l - 1);
    }
  align_end (w);
  fadj_buf_puts (b, "\n\\paragraph{Gradients.}\n");
  align_begin (w);
  for (l = 1; l <= t->L; l++)
    {
      snprintf (name, sizeof name, "\\frac{\\partial J}{\\partial W^{%zu}}",
                l);
      carry_row (w, name, ct->grad + l, t->grad + l);
      if (ct->gb[l].rows > 0)
        {
          snprintf (name, sizeof name, "\\frac{\\partial J}{\\partial "
                    "b^{%zu}}", l);
          carry_row (w, name, ct->gb + l, t->gb + l);
        }
    }
  align_end (w);
}

/* ------------------------------------------------------------------ */

static void
write_intro (writer *w)
{
  /* The group's \emergencystretch lets TeX break around the long
     unbreakable "arXiv:2304.13820;" in a narrow column (a fragment's
     host) instead of running into the margin.  */
  if (w->box != FADJ_BOX_NONE)
    fadj_buf_puts (w->b, w->box == FADJ_BOX_BLANK
      ? "\\noindent\\textbf{Worksheet.} The data of the network are given; "
        "fill in every box with the value it stands for, using the formula "
        "on its line. A box is as wide as its answer; $\\approx$ marks a "
        "value to round to the digits of the answer key.\n\n"
      : "\\noindent\\textbf{Answer key.} Every boxed value is the answer "
        "to the box in the same place on the worksheet.\n\n");
  fadj_buf_printf (w->b,
    "{\\emergencystretch=3em\\relax\n"
    "This document derives the gradient of the loss $J$ of a neural "
    "network by the F-adjoint method of A.~Boughammoura "
    "(\\emph{Backpropagation and F-adjoint}, arXiv:2304.13820; "
    "\\emph{A Two-Step Rule for Backpropagation}, arXiv:2304.13537). "
    "The \\emph{F-propagation} of an input $X^{0}$ is the forward pass, "
    "written as the family $F(X^{0})$ of the pre-activations $Y^{%s} = "
    "W^{%s} X^{%s-1}$ and the activations $X^{%s} = \\sigma(Y^{%s})$. "
    "Its \\emph{F-adjoint} $F_{*}(X^{0}, X^{L}_{*})$ runs backwards from "
    "a seed $X^{L}_{*}$ by the two-step rule $Y^{%s}_{*} = X^{%s}_{*} "
    "\\odot \\sigma'(Y^{%s})$, $X^{%s-1}_{*} = (W^{%s})^{\\top} "
    "Y^{%s}_{*}$. The theorem: when the seed is the derivative of the loss, "
    "$X^{L}_{*} = \\partial J/\\partial X^{L}$, then "
    "$Y^{%s}_{*} = \\partial J/\\partial Y^{%s}$ and the gradient of "
    "every layer is $\\partial J/\\partial W^{%s} = Y^{%s}_{*}\\,"
    "(X^{%s-1})^{\\top}$. Every step is computed below for one network, "
    "and the result is checked by an independent method at the end."
    "\\par}\n",
    w->ix, w->ix, w->ix, w->ix, w->ix, w->ix, w->ix, w->ix, w->ix,
    w->ix, w->ix, w->ix, w->ix, w->ix, w->ix, w->ix);
}

static void
write_title (writer *w, unsigned flags)
{
  fadj_buf *b = w->b;
  const fadj_net *net = w->net;
  size_t l;

  if (!(flags & FADJ_LATEX_FRAGMENT))
    fadj_buf_puts (b, "\\title{");
  else if (net->title != NULL)
    fadj_buf_puts (b, "\\section*{");
  else
    return;
  if (w->box != FADJ_BOX_NONE)
    fadj_buf_puts (b, w->box == FADJ_BOX_BLANK ? "Worksheet: "
                   : "Answer key: ");
  if (net->title != NULL)
    fadj_buf_put_tex_escaped (b, net->title);
  else
    {
      fadj_buf_puts (b, "The F-adjoint of the network $A[");
      for (l = 0; l <= w->t->L; l++)
        fadj_buf_printf (b, "%s%zu", l > 0 ? ", " : "", net->sizes[l]);
      fadj_buf_puts (b, "]$");
    }
  fadj_buf_puts (b, "}\n");

}

fadj_status
fadj_latex_write (fadj_buf *b, const fadj_trace *t,
                  const fadj_latex_opts *opts)
{
  writer w;
  size_t start = fadj_buf_len (b), l, maxcols;
  unsigned flags = opts->flags;

  assert (opts->digits >= 1 && opts->digits <= FADJ_MAX_DIGITS);
  assert (opts->max_show == 0 || opts->max_show >= 3);
  for (l = 0; l < opts->nchains; l++)
    if (fadj_chain_validate (t->net, opts->chains + l) != FADJ_OK)
      return FADJ_ERR_INPUT;
  if (fadj_buf_status (b) != FADJ_OK)
    return fadj_buf_status (b);
  memset (&w, 0, sizeof w);
  w.b = b;
  w.t = t;
  w.net = t->net;
  w.digits = opts->digits;
  w.sep = (flags & FADJ_LATEX_BIAS_SEPARATE) != 0;
  w.ix = (flags & FADJ_LATEX_INDEX_H) ? "h" : "\\ell";
  w.width = (flags & FADJ_LATEX_FRAGMENT) ? WIDTH_FRAGMENT : WIDTH_STANDALONE;
  w.flags = flags;
  w.opts = opts;
  w.fmt.digits = opts->digits;
  w.fmt.max_show = opts->max_show;
  w.fmt.box = FADJ_BOX_NONE;
  w.box = !(flags & FADJ_LATEX_WORKSHEET) ? FADJ_BOX_NONE
          : (flags & FADJ_LATEX_KEY) ? FADJ_BOX_FILLED : FADJ_BOX_BLANK;
  w.beamer = (flags & FADJ_LATEX_BEAMER) != 0;
  if (w.beamer)
    {
      /* A deck stands alone.  */
      flags &= ~(unsigned) FADJ_LATEX_FRAGMENT;
      w.width = WIDTH_BEAMER;
    }
  w.same_act = 1;
  for (l = 1; l <= t->L; l++)
    {
      const fadj_layer *ly = w.net->layers + l - 1;
      if (ly->has_bias)
        w.any_bias = 1;
      if (ly->act != w.net->layers[0].act
          || mpq_cmp (ly->act_param, w.net->layers[0].act_param) != 0)
        w.same_act = 0;
    }
  w.sub = fadj_buf_new ();
  w.res = fadj_buf_new ();
  w.tmp = fadj_buf_new ();
  w.al = fadj_buf_new ();
  if (w.sub == NULL || w.res == NULL || w.tmp == NULL || w.al == NULL)
    {
      fadj_buf_free (w.al);
      fadj_buf_free (w.sub);
      fadj_buf_free (w.res);
      fadj_buf_free (w.tmp);
      return FADJ_ERR_NOMEM;
    }

  /* amsmath's matrices hold 10 columns unless told otherwise; the widest
     printed is a transposed augmented X^{l-1} (N + 1) or a batch (m).  */
  maxcols = t->m;
  for (l = 0; l <= t->L; l++)
    if (w.net->sizes[l] + 1 > maxcols)
      maxcols = w.net->sizes[l] + 1;
  if (opts->max_show > 0 && maxcols > opts->max_show + 1)
    maxcols = opts->max_show + 1;    /* shown columns and the \cdots */

  if (w.beamer)
    {
      fadj_buf_puts (b, "\\documentclass[aspectratio=169,10pt]{beamer}\n"
                     "\\usepackage[utf8]{inputenc}\n"
                     "\\usepackage{amsmath}\n"
                     "\\usepackage{amssymb}\n"
                     "\\usepackage{tikz}\n"
                     "\\setbeamertemplate{navigation symbols}{}\n"
                     /* beamer has no \\paragraph; the training and
                        carry sections use it.  */
                     "\\providecommand{\\paragraph}[1]{\\par\\smallskip"
                     "\\noindent\\textbf{#1}\\ }\n"
                     "\\renewcommand{\\arraystretch}{1.2}\n");
      if (maxcols > 10)
        fadj_buf_printf (b, "\\setcounter{MaxMatrixCols}{%zu}\n", maxcols);
      write_title (&w, flags);
      fadj_buf_puts (b, "\\author{}\n\\date{}\n\n\\begin{document}\n"
                     "\\begin{frame}\n\\titlepage\n\\end{frame}\n");
      if (flags & FADJ_LATEX_DIAGRAM)
        {
          /* The network first: the picture the steps refer to.  */
          w.sec_title = "The network";
          frame_begin (&w, 0);
          put_diagram (&w, 0, "\\linewidth", "0.85\\textheight");
        }
      w.sec_title = "The F-adjoint";
      frame_begin (&w, 1);
    }
  else if (!(flags & FADJ_LATEX_FRAGMENT))
    {
      fadj_buf_puts (b, "\\documentclass[a4paper]{article}\n"
                     "\\usepackage[utf8]{inputenc}\n"
                     "\\usepackage[margin=2.5cm]{geometry}\n"
                     "\\usepackage{amsmath}\n"
                     "\\usepackage{amssymb}\n"
                     /* Room between matrix rows for \frac entries.  */
                     "\\renewcommand{\\arraystretch}{1.3}\n");
      if (flags & FADJ_LATEX_DIAGRAM)
        fadj_buf_puts (b, "\\usepackage{graphicx}\n\\usepackage{tikz}\n");
      if (maxcols > 10)
        fadj_buf_printf (b, "\\setcounter{MaxMatrixCols}{%zu}\n", maxcols);
      write_title (&w, flags);
      fadj_buf_puts (b, "\\author{}\n\\date{}\n\n\\begin{document}\n"
                     "\\maketitle\n\n");
    }
  else
    {
      fadj_buf_printf (b, "%% The F-adjoint derivation, written by fadj; "
                       "needs amsmath%s.\n",
                       (flags & FADJ_LATEX_DIAGRAM) ? " and tikz" : "");
      if (maxcols > 10)
        fadj_buf_printf (b, "\\setcounter{MaxMatrixCols}{%zu}\n", maxcols);
      write_title (&w, flags);
    }

  write_intro (&w);
  write_network (&w, flags);
  write_fprop (&w, flags);
  write_seed (&w, flags);
  write_fadjoint (&w, flags);
  /* The families restate every value at once: no slide for that.  */
  if (!w.beamer)
    write_families (&w, flags);
  write_gradients (&w, flags);
  for (l = 0; l < opts->nchains; l++)
    write_chain (&w, flags, opts->chains + l);
  write_verification (&w, flags);
  if (opts->training != NULL)
    write_training (&w, opts->training, flags);
  if (opts->carried != NULL)
    write_carry (&w, opts->carried, flags);
  if (w.beamer)
    frame_close (&w);
  if (!(flags & FADJ_LATEX_FRAGMENT))
    fadj_buf_puts (b, "\n\\end{document}\n");

  check_scratch (&w);
  fadj_buf_free (w.sub);
  fadj_buf_free (w.res);
  fadj_buf_free (w.tmp);
  fadj_buf_free (w.al);
  if (w.st == FADJ_OK && fadj_buf_status (b) != FADJ_OK)
    w.st = fadj_buf_status (b);
  if (w.st != FADJ_OK && fadj_buf_status (b) == FADJ_OK)
    fadj_buf_truncate (b, start);   /* leave B as it was */
  return w.st;
}

void
fadj_latex_opts_init (fadj_latex_opts *o)
{
  o->flags = 0;
  o->digits = 6;
  o->training = NULL;
  o->carried = NULL;
  o->max_show = 0;
  o->nchains = 0;
  o->chains = NULL;
}
