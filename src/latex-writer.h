/* latex-writer.h -- the core of the LaTeX writer, shared by the files
   that write the document's sections: the derivation (latex.c), the
   chain rule (latex-chain.c), the verification (latex-check.c), the
   training and textbook rounding (latex-train.c); internal to libfadj,
   not installed.

   One writer, one sink: a fadj_writer holds the output, the scratch
   buffers a step is assembled in, the flags (set once, by
   fadj_writer_init), the number format of every matrix, the state of
   the current align* and, for a beamer deck, of the current frame.
   Every output function records the first failure in the writer and
   does nothing once there is one, so that a section reads straight and
   the document's first failure is the one returned.  */

#ifndef FADJ_LATEX_WRITER_H
#define FADJ_LATEX_WRITER_H

#include "fadj-impl.h"
#include "i18n.h"

typedef struct
{
  fadj_buf *b;                  /* the output */
  size_t start;                 /* B's length on entry: a failure cuts
                                   it back there */
  const fadj_trace *t;
  const fadj_net *net;
  /* FADJ_LATEX_*, as the document is written: a deck is never a
     fragment.  No one else keeps a copy.  */
  unsigned flags;
  int digits;
  int sep;                      /* FADJ_LATEX_BIAS_SEPARATE */
  int any_bias;
  int same_act;                 /* one sigma for every layer */
  const char *ix;               /* the layer index letter */
  double width;                 /* usable display width */
  fadj_status st;               /* first failure; later writes skip */
  fadj_buf *sub, *res, *tmp;    /* scratch: substitution, result, misc */
  fadj_buf *al;                 /* scratch: an align* being laid out */
  fadj_buf *mat;                /* scratch: a matrix being measured */
  int nlines;                   /* lines in the current align* */
  size_t align_start;           /* where the current align* begins in b */
  /* Classroom views.  */
  fadj_latex_numfmt fmt;        /* digits and elision of every matrix */
  int box;                      /* worksheet: how computed values print */
  size_t active;                /* the layer the current steps are about */
  /* Beamer: the deck is the document cut into frames at the sections
     and the steps (see fadj_writer_frame_begin).  */
  int beamer;
  const char *sec_title;        /* the current section's title */
  char title_buf[128];          /* a section title made up on the fly */
  int frame_open;               /* a frame is open in b ... */
  size_t frame_start, frame_body; /* ... starting here, its body here */
  int in_step;                  /* the lines of one step are being written */
  int frame_diagram;            /* the open frame shows the picture */
  /* The head of a set of exercises (fadj_latex_write_set_begin): its
     NSET networks, for the preamble and the title; else 0.  */
  const fadj_net *const *set;
  size_t nset;
  /* Equation numbers (FADJ_LATEX_EQNUM, not on a deck): the number of
     the last step written, each step's line tagged \tag{N} by
     fadj_writer_step.  */
  int numbered;
  int eqno;
  /* The training's loss is drawn (pgfplots, loaded by the article's
     preamble for it): an article with two steps or more.  */
  int loss_curve;
  /* The numbers of the gradients' steps, GRAD_EQ0..GRAD_EQ1 (0: none),
     for the prose that cites them.  */
  int grad_eq0, grad_eq1;
  /* Where the last step's "\\tag{N}" lies in B, so that a continuation
     of that step (a step without a left side) takes the number over.  */
  size_t tag_start, tag_end;
  int lang_before;              /* the prose's language before this
                                   document's (fadj_lang_begin) */
  /* Beamer: the open frame's title, and whether it is prose (cut into
     bullets and frames when it closes, by fadj_deck_prose).  */
  char frame_title[200];
  int frame_prose;
  fadj_buf *prose;              /* scratch: a prose frame's body (made
                                   when first needed) */
  int align_in_prose;           /* the current align* is in the prose
                                   frame that introduces it */
  /* A worksheet (latex-worksheet.c).  */
  const fadj_latex_opts *opts;  /* its fields, header and space */
  unsigned blanks;              /* FADJ_LATEX_BLANK_*: what is a field */
  /* Beamer: the last overlay a step of the open frame uses, so that the
     next step of the frame reveals its values after it.  */
  int frame_overlay;
} fadj_writer;

/* W ready to append T's document to B as OPTS says: the flags, widths
   and number format settled, the scratch buffers made.  B's status if
   it has failed already, FADJ_ERR_NOMEM; on failure nothing is left to
   free.  */
fadj_status fadj_writer_init (fadj_writer *w, fadj_buf *b,
                              const fadj_trace *t,
                              const fadj_latex_opts *opts) FADJ_WUR;
/* Free W's scratch and return the document's status: its first failure,
   else B's; on failure B is cut back to what it was before init.  */
fadj_status fadj_writer_finish (fadj_writer *w) FADJ_WUR;

static inline int
fadj_writer_ok (const fadj_writer *w)
{
  return w->st == FADJ_OK;
}

/* The height in points of a row of answer fields (the field, its frame
   and the 2pt kerns above and below it; see latex-worksheet.c), 0 when
   W prints its values.  */
static inline double
fadj_writer_field_height (const fadj_writer *w)
{
  return w->box == FADJ_BOX_NONE ? 0.0 : w->opts->box_height + 4.8;
}

/* Record ST unless a failure is recorded already.  */
static inline void
fadj_writer_fail (fadj_writer *w, fadj_status st)
{
  if (w->st == FADJ_OK)
    w->st = st;
}

/* The relation of a step whose printed numbers are (APPROX) rounded.  */
static inline const char *
fadj_writer_rel (int approx)
{
  return approx ? "\\approx" : "=";
}

/* Fail with FADJ_ERR_NOMEM if a scratch buffer has failed.  */
void fadj_writer_check_scratch (fadj_writer *w);
/* Empty the substitution and the result of a step (W->sub, W->res).  */
void fadj_writer_scratch_reset (fadj_writer *w);

/* ------------------------------------------------------------------ */
/* Numbers and matrices.  Each appends to B (the output or a scratch
   buffer) and sets *APPROX (if not NULL) when something printed is
   rounded.  */

/* Matrix M as a bmatrix (PRE and POST around each entry, a rule before
   column BAR if BAR > 0); on a worksheet boxed unless M is data of the
   network file.  */
void fadj_writer_put_mat (fadj_writer *w, fadj_buf *b, int *approx,
                          const fadj_mat *m, const char *pre,
                          const char *post, size_t bar);
/* Columns [C0, C0 + NC) of SRC, transposed if TRANSPOSE, with a row of
   ones appended first if ONES (the augmented X).  */
void fadj_writer_put_view (fadj_writer *w, fadj_buf *b, int *approx,
                          const fadj_mat *src, size_t c0, size_t nc,
                          int ones, int transpose);
/* W^L as printed: [W | b] with a rule before the bias column, unless the
   bias is printed apart.  */
void fadj_writer_put_weights (fadj_writer *w, fadj_buf *b, size_t l);
/* X^K as printed in products and families: with the appended 1 when
   layer K + 1 has a bias.  */
void fadj_writer_put_x (fadj_writer *w, fadj_buf *b, int *approx, size_t k,
                        int transpose);
/* One computed number (the loss), boxed on a worksheet.  */
void fadj_writer_put_num (fadj_writer *w, fadj_buf *b, int *approx,
                          fadj_num_srcptr x);
/* One number by the document's rules, never boxed.  */
void fadj_writer_put_number (fadj_writer *w, fadj_buf *b, int *approx,
                             fadj_num_srcptr x);
/* The exact rational Q, never boxed.  */
void fadj_writer_put_q (fadj_writer *w, fadj_buf *b, int *approx,
                        const mpq_t q);
/* D = A - B entry by entry, in intervals if either is (at its
   precision), else exactly.  D is new.  */
fadj_status fadj_writer_mat_sub (fadj_mat *d, const fadj_mat *a,
                                 const fadj_mat *b) FADJ_WUR;
/* The estimated width of the math-mode TeX S (fadj_latex_width).  */
double fadj_writer_width (const char *s);

/* ------------------------------------------------------------------ */
/* Sections, displays, steps and frames.  */

/* A section titled TITLE (a subsection in a fragment; on a deck, a new
   frame for its prose).  TITLE must outlive the next section: frames
   are titled by it.  */
void fadj_writer_section (fadj_writer *w, const char *title);
/* Open and close an align*; on closing, its lines are laid out to the
   width (fadj_layout_align), never set in a smaller size.  On a deck
   each display gets a frame of its own, continued on further frames
   when it is too tall for one.  */
void fadj_writer_align_begin (fadj_writer *w);
void fadj_writer_align_end (fadj_writer *w);
/* Start a new line of the current align*.  */
void fadj_writer_align_newline (fadj_writer *w);
/* A new step begins: on a deck, in a frame of its own.  */
void fadj_writer_step_begin (fadj_writer *w);
/* " \\uncover<N->{REL TEXT}" into B, on a slide: where TEXT holds line
   breaks of its own (a section that breaks its lines, such as the chain
   rule's sum over paths), the group is closed before each "\\\\" and
   opened again after the continuation's "&", so that no line break is
   ever inside a group (the layout's lines end at top-level "\\\\").  */
void fadj_writer_put_uncovered (fadj_buf *b, int n, const char *rel,
                                const char *text);
/* One step: LHS = FORMULA REL W->sub REL W->res, where the substitution
   (may be empty) has inexactness SUB_APPROX and the result RES_APPROX;
   written as one line, which the layout breaks where it is too wide.
   With equation numbers the line ends in \tag{N}, N the step's number
   in the document (W->eqno after the call); the layout keeps the tag on
   the last of the lines it breaks the step into.  An empty LHS
   continues the step before (fadj_subst_continue): its number moves to
   the new line.  */
void fadj_writer_step (fadj_writer *w, const char *lhs, const char *formula,
                       int sub_approx, int res_approx);
/* Into BUF (N bytes): " (FIRST)" or " (FIRST)–(LAST)", the steps
   numbered FIRST..LAST cited in prose; "" when there are none (equation
   numbers off: FIRST 0).  */
void fadj_writer_cite (char *buf, size_t n, int first, int last);
/* On a deck: open a frame titled by the current section (and the active
   layer); PROSE frames may break over several slides.  Close the open
   frame, removing it if it was left empty.  */
void fadj_writer_frame_begin (fadj_writer *w, int prose);
void fadj_writer_frame_close (fadj_writer *w);
/* The picture of the network, layer ACTIVE highlighted (0: none),
   centred and scaled down (never up) to fit MAXW x MAXH.  */
void fadj_writer_put_diagram (fadj_writer *w, size_t active,
                              const char *maxw, const char *maxh);

/* ------------------------------------------------------------------ */
/* Layout (latex-layout.c): one font size for all the mathematics.  */

/* Append the body [S, S + N) of an align* (lines ending in "\\\\\n") to
   OUT with every line estimated wider than WIDTH (digit widths, as
   fadj_latex_width) broken: before its relations first, the
   continuation aligned on the first; then between the terms of a part
   still too wide (before a binary operator, between the matrices of a
   product, before a block's label, always), each continuation indented
   by a \quad.  A line that fits is left as it is.  OUT's status, or
   FADJ_ERR_NOMEM.  */
fadj_status fadj_layout_align (fadj_buf *out, const char *s, size_t n,
                               double width) FADJ_WUR;

/* How the columns of a matrix printed with fadj_latex_matrix_fmt are
   numbered and named: TOTAL columns, of which the first HEAD and the last
   are shown around a \cdots column if ELIDED; ONE and MANY name one and
   several of them ("sample", "samples").  The rows likewise: RTOTAL, of
   which the first RHEAD and the last around a \vdots row if RELIDED; a
   block is at most HEIGHT points high (0: no limit), a row of answer
   fields FIELD points.  */
typedef struct
{
  size_t total, head;
  int elided;
  const char *one, *many;
  size_t rtotal, rhead;
  int relided;
  double height, field;
} fadj_layout_cols;

/* Append the matrix [MAT, MAT + N), as fadj_latex_matrix_fmt wrote it
   (a bmatrix, or an array with a rule), to OUT cut into blocks of whole
   columns, each with its label ("samples 1–4: ") at most BUDGET wide
   when a column allows, and of whole rows at most LC->height high
   ("rows 1–40, columns 1–9: "), the blocks after the first after a
   \quad; the layout puts each block on a line of its own.  OUT's
   status, or FADJ_ERR_NOMEM.  */
fadj_status fadj_layout_matrix_blocks (fadj_buf *out, const char *mat,
                                       size_t n, double budget,
                                       const fadj_layout_cols *lc) FADJ_WUR;

/* The line of an align* body that begins at S: its end (a "\\\\" at the
   top level, or END) in *STOP.  Returns where the next line begins.  */
const char *fadj_layout_next_line (const char **stop, const char *s,
                                   const char *end);
/* The estimated height in points, at 10pt with \arraystretch 1.2, of the
   display line [S, END): its tallest matrix and the \jot after it; a
   row holding a worksheet's answer field FIELD points high (see
   fadj_writer_field_height).  */
double fadj_layout_line_height (const char *s, const char *end,
                                double field);

/* ------------------------------------------------------------------ */
/* Worksheets (latex-worksheet.c): the answer fields and their numbers.  */

/* The \fadjfield macro and its dimensions, for the preamble.  */
void fadj_worksheet_preamble (fadj_writer *w);
/* The sheet's (or key's) opening: what to do, the precision asked, what
   is given, and the file, options and seed that match sheet and key.  */
void fadj_worksheet_header (fadj_writer *w);
/* Number the fields written from FROM on in reading order (1, 2, ...)
   and put the working space after each step: \fadjfield[W]{V} becomes
   \fadjfield{N}{V}.  The number of fields, in *N.  */
void fadj_worksheet_finish (fadj_writer *w, size_t from, size_t *n);

/* ------------------------------------------------------------------ */
/* The sections written outside latex.c.  */

/* The scalar chain rule of weight C, its sum over paths and their
   comparison R made by fadj_chain_check (latex-chain.c).  */
void fadj_latex_write_chain (fadj_writer *w, const fadj_latex_chain *c,
                             const fadj_chain_result *r);
/* The verification of the two-step rule by reverse mode
   (latex-check.c).  */
void fadj_latex_write_verification (fadj_writer *w);
/* Training steps from the trace (latex-train.c).  */
void fadj_latex_write_training (fadj_writer *w, const fadj_training *tr);
/* Textbook rounding: the carried derivation CT beside the exact one
   (latex-train.c).  */
void fadj_latex_write_carry (fadj_writer *w, const fadj_trace *ct);
/* The summary: a table of every neuron's Y, X, sigma', Y_*, X_* (the
   first sample's) and every gradient, on a page of its own in the
   article (latex-summary.c); nothing on a deck.  */
void fadj_latex_write_summary (fadj_writer *w);

/* ------------------------------------------------------------------ */
/* latex.c's parts of a document, for a set of exercises (latex-set.c).  */

/* The preamble up to the title page (a fragment's comment), for W's
   network or, with W->nset, for every network of the set; THEME a
   deck's theme (NULL: beamer's own).  */
void fadj_latex_write_preamble (fadj_writer *w, size_t max_show,
                                const char *theme);
/* The sections of the derivation, from the introduction to the note on
   zeros: the body of the document of one network, and of each exercise
   of a set.  */
void fadj_latex_write_derivation (fadj_writer *w,
                                  const fadj_latex_opts *opts,
                                  const fadj_latex_results *res);
/* FADJ_OK if every chain rule of OPTS is in RES, one for one, and names
   a weight of NET; else FADJ_ERR_INPUT.  */
fadj_status fadj_latex_check_chains (const fadj_net *net,
                                     const fadj_latex_opts *opts,
                                     const fadj_latex_results *res) FADJ_WUR;

/* ------------------------------------------------------------------ */
/* A deck's prose and pictures (latex-deck.c).                         */

/* Append the prose [S, S + N) as frames titled TITLE (the second and
   later "TITLE (continued)"): each sentence an item of an itemize, its
   environments (displays, tables) between the lists, a new frame where
   the estimated height runs out (answer fields FIELD points high).  */
void fadj_deck_prose (fadj_buf *out, const char *s, size_t n,
                      const char *title, double field);
/* A frame titled TITLE of the picture of the network as far as RV says
   the derivation has gone, layer ACTIVE highlighted; nothing without
   the diagram.  */
void fadj_deck_diagram_frame (fadj_writer *w, const char *title,
                              size_t active, const fadj_latex_reveal *rv);
/* After layer FWD of the F-propagation (ADJ 0), or layer ADJ of the
   F-adjoint: the frame of the picture so far, what was just computed
   highlighted.  Nothing but on a deck.  */
void fadj_deck_progress (fadj_writer *w, size_t fwd, size_t adj);
/* Append the laid-out display lines [S, S + N) to OUT as align*s, a
   new one where the lines so far fill most of a frame: the prose
   around them (fadj_deck_prose) then puts each on a frame that has room
   for it.  */
/* Append line [S, END) of a display to B, its overlays moved SHIFT
   slides earlier (none before slide 1): for a frame that continues
   another, so that it does not open on empty slides.  */
void fadj_writer_put_shifted (fadj_buf *b, const char *s, const char *end,
                              int shift);
/* The smallest overlay (\uncover<N->) in [S, END), or 0 if none.  */
int fadj_writer_first_overlay (const char *s, const char *end);
void fadj_deck_display_lines (fadj_buf *out, const char *s, size_t n,
                              double field);
/* Into the open (prose) frame: the align* of the display lines BODY
   (separated by "\\\\\n"), laid out to the width.  */
void fadj_deck_display (fadj_writer *w, const char *body);
/* A deck's closing frame: the loss, the gradients and the check's
   verdict.  */
void fadj_deck_summary (fadj_writer *w);

#endif /* FADJ_LATEX_WRITER_H */
