/* fadj-impl.h -- declarations shared inside libfadj, not installed.  */

#ifndef FADJ_IMPL_H
#define FADJ_IMPL_H

#include "config.h"
#include "fadj.h"

#include <stdint.h>

/* sigma'(Y) into R, for the two-step rule's step 1, from the activation's
   own derivative formula (the graph's check derives sigma' independently
   from the primitives of fadj_graph_activation).  X = sigma(Y) is passed
   because several derivatives are cheapest in terms of it (sigmoid:
   X(1 - X), tanh: 1 - X^2; for an interval sigmoid with Y >= 0 possible,
   1 - X is computed as sigma(-Y), which keeps its relative precision when
   X is close to 1; an exact X, a carried trace's rounded value, is used
   as it is).  FADJ_UNDECIDED when the sign of Y is needed and an interval
   does not decide it.  */
fadj_status fadj_act_deriv (fadj_num_ptr r, fadj_act_kind k,
                            const mpq_t param, fadj_num_srcptr y,
                            fadj_num_srcptr x) FADJ_WUR;

/* The values a transcendental activation takes exactly at an exact
   point Y: elu is Y itself for Y > 0, and every one of them has a
   rational value or derivative at 0 (sigmoid 1/2 and 1/4, tanh 0 and 1,
   softplus' 1/2, gelu and silu 0 and 1/2, elu 0 and its parameter).
   Sets X = sigma(Y) and D = sigma'(Y) where they are rational and
   returns which: FADJ_ACT_EXACT_X | FADJ_ACT_EXACT_D, or 0.  For the
   rational activations use fadj_act_apply and fadj_act_deriv.  */
enum { FADJ_ACT_EXACT_X = 1, FADJ_ACT_EXACT_D = 2 };
int fadj_act_exact_at (mpq_t x, mpq_t d, fadj_act_kind k,
                       const mpq_t param, const mpq_t y);

/* J = diag(s) - s s^T for the softmax output in column COL of X, into
   the N x N block of JAC starting at column J0; SIMPLEX: X is the true
   softmax output (its columns sum to 1 exactly), not a rounded copy,
   and the diagonal keeps relative precision (act.c).  */
void fadj_act_softmax_jacobian (fadj_mat *jac, size_t j0, const fadj_mat *x,
                                size_t col, int simplex);
/* D = X - Y computed entry by entry, X a softmax output (as computed,
   not rounded): each entry of an x above 1/2 tightened with 1 - (y +
   the sum of the others), which keeps the relative precision of a tiny
   x - y.  */
void fadj_softmax_tighten_sub (fadj_mat *d, const fadj_mat *x,
                               const fadj_mat *y);
/* Tighten R, an enclosure of ln X[K, COL] (fadj_num_log), X a softmax
   output as computed, for an entry above 1/2, with ln (1 - the sum of
   the others), which keeps the relative precision of a tiny ln.  */
void fadj_softmax_tighten_log (fadj_num_ptr r, const fadj_mat *x, size_t k,
                               size_t col);
/* Is X, a softmax output, certainly above 1/2, where 1 - X cancels and
   the tightenings below apply (at most one such entry per sample)?  */
int fadj_softmax_near_one_p (fadj_num_srcptr x);
/* R = the sum of column COL of X but its entry K: 1 - X[K, COL] when X
   is a softmax output, without the cancellation.  */
void fadj_softmax_rest (fadj_num_ptr r, const fadj_mat *x, size_t k,
                        size_t col);

/* R = 1 - X for the output X = sigma(Y) of a sigmoid, with the relative
   precision of a tiny 1 - X (as sigma(-Y)); what the binary
   cross-entropy's ln (1 - X) and seed take as their C below.  */
void fadj_sigmoid_complement (fadj_num_ptr r, fadj_num_srcptr y,
                              fadj_num_srcptr x);

/* The seed dJ_s/dX^L for one output entry X with target Y of one sample
   (NOUT = N_L outputs), into R.  C: NULL, or an enclosure of 1 - X that
   keeps its relative precision (fadj_sigmoid_complement), for the binary
   cross-entropy.  */
fadj_status fadj_loss_seed (fadj_num_ptr r, fadj_loss_kind k,
                            fadj_num_srcptr x, fadj_num_srcptr c,
                            fadj_num_srcptr y, size_t nout) FADJ_WUR;

/* Is loss K defined at the output value X (C as fadj_loss_seed)?
   FADJ_ERR_DOMAIN if not (ln of a non-positive number), FADJ_UNDECIDED
   if an interval cannot tell.  */
fadj_status fadj_loss_check (fadj_loss_kind k, fadj_num_srcptr x,
                             fadj_num_srcptr c) FADJ_WUR;

/* The loss J as a graph node, over the output nodes OUT[i][s] (row-major,
   N_L x m) and the exact targets Y: per-sample losses summed, or averaged
   for BATCH mean.  SIMPLEX: the outputs are a softmax's (each sample's
   sum to 1 exactly), so that ln of an output near 1 can keep its
   relative precision (loss.c).  COMP: NULL, or enclosures of 1 - OUT
   (N_L x m) as fadj_loss_seed's C, with which the binary cross-entropy's
   1 - OUT nodes are tightened.  */
fadj_node fadj_graph_loss (fadj_graph *g, fadj_loss_kind k,
                           const fadj_node *out, const fadj_mat *comp,
                           const fadj_mat *y, fadj_batch batch, int simplex);
/* The parts of fadj_graph_loss, for a batch built one sample's graph at
   a time (act-graph.c): sample S's loss from its outputs OUT[i m + s]
   (m the columns of Y), and J from the M samples' losses PER.  */
fadj_node fadj_graph_sample_loss (fadj_graph *g, fadj_loss_kind k,
                                  const fadj_node *out, const fadj_mat *comp,
                                  const fadj_mat *y, size_t s, int simplex);
fadj_node fadj_graph_batch (fadj_graph *g, size_t m, const fadj_node *per,
                            fadj_batch batch);
/* ln A, as fadj_graph_log, where A = 1 - REST exactly (A a softmax
   output, REST the sum of the others): the value is tightened with
   ln (1 - REST) (fadj_num_tighten_log_complement); the derivative is
   ln's, 1/A.  */
fadj_node fadj_graph_log_complement (fadj_graph *g, fadj_node a,
                                     fadj_num_srcptr rest);
/* Intersect the value of K, a node just made that no node has read yet,
   with R, another enclosure of the same number.  */
void fadj_graph_tighten (fadj_graph *g, fadj_node k, fadj_num_srcptr r);

/* Record status ST as G's sticky error (the first one wins) and return a
   placeholder node (0); builders on a failed graph do nothing.  */
fadj_node fadj_graph_fail (fadj_graph *g, fadj_status st);

/* The graph nodes of a trace's quantities, row-major like the matrices:
   x0 (N_0 x m) and, for l = 1..L, w[l] (N_l x N_{l-1}), b[l] (N_l, or
   NULL without a bias), y[l] and x[l] (N_l x m).  */
struct fadj_trace_nodes
{
  fadj_node *x0;
  fadj_node **w, **b, **y, **x;
  fadj_node *bs;        /* shared bias of layer l: its one leaf (b[l][i]
                           are then per-neuron copies 1 * bs[l]) */
  fadj_node J;
};

/* The two-step rule and the gradient of one layer, shared by the trace
   and the training steps (train.c), so that both run the same code.
   Step 1: YS = X^l_* (.) sigma'(Y^l), or J_sigma(Y^l)^T X^l_* for
   softmax, from XS and the trace's dsig/jac.  Step 2: XS_PREV =
   (W_#)^T YS for the weights W (N_l x N_{l-1}).  Gradient: GRAD =
   Y_* (X^{l-1})^T (/m for a batch mean), bias column the row sums, and
   GB the sum of that column for a shared bias (GB NULL otherwise).  In a
   carried trace every entry is rounded as it is computed.  */
fadj_status fadj_trace_step1 (const fadj_trace *t, size_t l, fadj_mat *ys,
                              const fadj_mat *xs) FADJ_WUR;
fadj_status fadj_trace_step2 (const fadj_trace *t, fadj_mat *xs_prev,
                              const fadj_mat *w, const fadj_mat *ys) FADJ_WUR;
fadj_status fadj_trace_gradient (const fadj_trace *t, size_t l,
                                 fadj_mat *grad, fadj_mat *gb,
                                 const fadj_mat *ys) FADJ_WUR;

/* The derivation alone (trace.c): fadj_trace_compute_opts without the
   reverse-mode check, which check-reverse.c runs on the result (T->check
   is left agreeing, with nothing compared).  The derivation and the
   checks depend one way only:
     graph.c, act.c, loss.c, wmat.c <- act-graph.c <- trace.c
       <- check-reverse.c, check-directional.c
   so trace.c calls no check, and neither check is called below it.  */
fadj_status fadj_trace_derive (fadj_trace **t, const fadj_net *net,
                               const fadj_ctx *ctx,
                               const fadj_trace_opts *opts) FADJ_WUR;

/* R = 10^E; the large powers are kept (fadj_decimal_free_cache).  */
void fadj_pow10 (mpz_t r, unsigned long e);

/* ------------------------------------------------------------------ */
/* Outer products rounded row by row (decimal.c): the products a B[j]
   of an outer product (a gradient dJ/dW^l = Y^l_* (X^{l-1})^T of one
   sample), with the work on each operand -- its decimal exponent, its
   scaled mantissa -- done once, not once per product.                 */

typedef struct fadj_decimal_outer fadj_decimal_outer;

/* *O = the column operands B[0 .. COLS-1] prepared for rounding
   products to N digits; new (fadj_decimal_outer_free).  B, the array
   and the values, is borrowed: it must outlive O unchanged.
   FADJ_ERR_NOMEM.  */
fadj_status fadj_decimal_outer_new (fadj_decimal_outer **o,
                                    fadj_num_srcptr const *b, size_t cols,
                                    int n) FADJ_WUR;
void fadj_decimal_outer_free (fadj_decimal_outer *o);  /* NULL: no-op */
/* The row operand A of the next roundings, borrowed likewise.  */
void fadj_decimal_outer_set_row (fadj_decimal_outer *o, fadj_num_srcptr a);
/* D[j - J0] = A B[j] rounded to O's N digits, for J0 <= j < J1 <= COLS:
   each as fadj_decimal_round_mul (D, A, B[j], N) rounds it (the same
   decimal, decided or not).  FADJ_UNDECIDED at the first product not
   decided, *COL = its j (the entries before it are set).  */
fadj_status fadj_decimal_outer_round (fadj_decimal *d, size_t *col,
                                      fadj_decimal_outer *o,
                                      size_t j0, size_t j1) FADJ_WUR;
/* How many products O has rounded by its kernel so far, rather than by
   fadj_decimal_round_mul (for the tests, and to measure).  */
size_t fadj_decimal_outer_decided (const fadj_decimal_outer *o);

/* ------------------------------------------------------------------ */
/* Integers.                                                           */

/* 10^i for i <= 38 modulo 2^64 (decimal.c): exactly 10^i for i <= 19.  */
extern const uint64_t fadj_pow10_lo[39];

static inline uint64_t
fadj_gcd_u64 (uint64_t a, uint64_t b)
{
  while (b != 0)
    {
      uint64_t t = a % b;
      a = b;
      b = t;
    }
  return a;
}

/* splitmix64 (Steele, Lea, Flood 2014): the next 64 bits of the stream
   whose state is *S.  Tiny and well mixed, and every seed, 0 included,
   gives a good stream; the library's own generator, so that a seed means
   the same numbers on every system: the directional check's direction,
   fadj-gen's networks, the benchmark's weights.  */
static inline uint64_t
fadj_splitmix64 (uint64_t *s)
{
  uint64_t z = (*s += UINT64_C (0x9E3779B97F4A7C15));
  z = (z ^ (z >> 30)) * UINT64_C (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

/* ------------------------------------------------------------------ */
/* Matrix products of the layers (wmat.c, intdot.c).                   */

/* The integer form W = K / D of an exact matrix (intdot.c): K int64,
   D < 2^62, with the absolute row and column sums of K.  OK is 0 when
   the matrix has no such form.  */
typedef struct
{
  int ok;
  size_t rows, cols;
  const int64_t *k;           /* rows x cols, row-major: OWN, or the
                                 compact matrix's own (borrowed) */
  int64_t *own;
  unsigned __int128 *rsum;    /* sum_j |K_ij| */
  unsigned __int128 *csum;    /* sum_i |K_ij| */
  const fadj_mat *b;          /* the exact bias (borrowed), or NULL */
  mpz_t d;
  unsigned __int128 *ksum;    /* sum_j K_ij, in two's complement */
  unsigned __int128 *kcsum;   /* sum_i K_ij, in two's complement */
} fadj_intdot;

/* K = the integer form of W (and the bias B, may be NULL).
   FADJ_ERR_LIMIT if there is none (then K->ok is 0), FADJ_ERR_NOMEM.  */
fadj_status fadj_intdot_init (fadj_intdot *k, const fadj_mat *w,
                              const fadj_mat *b) FADJ_WUR;
void fadj_intdot_clear (fadj_intdot *k);  /* also on a failed init */
/* K's RSUM, CSUM, KSUM and KCSUM allocated and computed from its K, ROWS and
   COLS (fadj_intdot_init's own last step; for an integer form made by
   hand).  FADJ_ERR_NOMEM.  */
fadj_status fadj_intdot_sums (fadj_intdot *k) FADJ_WUR;
/* Y = W X (+ b 1^T if BIAS), X and Y intervals: an enclosure of the
   exact product for every X in the enclosures.  */
fadj_status fadj_intdot_mul (fadj_mat *y, const fadj_intdot *k,
                             const fadj_mat *x, int bias) FADJ_WUR;
/* X = W^T Y.  */
fadj_status fadj_intdot_tmul (fadj_mat *x, const fadj_intdot *k,
                              const fadj_mat *y) FADJ_WUR;

/* The enclosure of X: X's own, or, for a value made exact per value
   (fadj_trace_exact_values) inside an interval derivation, TMP set to
   the enclosure of that rational at TMP's precision (intdot.c).  */
mpfi_srcptr fadj_entry_enclosure (mpfi_ptr tmp, fadj_num_srcptr x);

/* The outer product summed over samples, C = A B^T (A: p x m, B: q x m,
   enclosures or exact values), on exact integers (intouter.c): the batch
   kernel of the gradient.  A and B are read once, by _new, at the
   working precision PREC (FADJ_ERR_LIMIT if the kernel cannot serve
   them at all, FADJ_ERR_NOMEM); _entry sets R (an interval) to an
   enclosure of C_ij, or returns 0 when row I of A or row J of B is not
   on a grid (a non-finite endpoint, a spread of exponents the grid would
   lose): then the caller computes that entry itself.  _used counts the
   entries _entry computed (the tests' proof that the kernel ran).  */
typedef struct fadj_intouter fadj_intouter;
fadj_status fadj_intouter_new (fadj_intouter **o, const fadj_mat *a,
                               const fadj_mat *b, mpfr_prec_t prec) FADJ_WUR;
void fadj_intouter_free (fadj_intouter *o);     /* NULL: no-op */
int fadj_intouter_entry (mpfi_ptr r, fadj_intouter *o, size_t i, size_t j);
size_t fadj_intouter_used (const fadj_intouter *o);
/* R = {P, SZ} 2^E as mpfr_set_z_2exp sets it (SZ signed as an mpz's
   size; P's top limb nonzero), without an mpz and, for MPFR_RNDD and
   MPFR_RNDU, more limbs than R's significand and a result inside the
   exponent range, straight into R's significand (intouter.c).  */
void fadj_set_limbs_2exp (mpfr_ptr r, const mp_limb_t *p, mp_size_t sz,
                          long e, mpfr_rnd_t rnd);

/* A layer's weight matrix W (N x M) and bias b, borrowed, ready for
   products in the domain of CTX: exact values as they are (exact domain),
   their integer form, or enclosures of every entry when there is none or
   when W is already made of intervals (weights after a training step).  */
struct fadj_wmat
{
  fadj_ctx ctx;
  const fadj_mat *w, *b;      /* borrowed; b NULL without a bias */
  fadj_intdot kw;             /* integer form (intervals), if kw.ok */
  fadj_mat wi, bi;            /* enclosures otherwise */
};

fadj_status fadj_wmat_new (fadj_wmat **w, const fadj_mat *wm,
                           const fadj_mat *b, const fadj_ctx *ctx) FADJ_WUR;
void fadj_wmat_free (fadj_wmat *w);
/* Y = W X, plus b 1^T if BIAS.  Y and X in the domain of W's context.  */
fadj_status fadj_wmat_mul (fadj_mat *y, const fadj_wmat *w,
                           const fadj_mat *x, int bias) FADJ_WUR;
/* X = W^T Y (W_# in the F-adjoint: the bias is not part of W here).  */
fadj_status fadj_wmat_tmul (fadj_mat *x, const fadj_wmat *w,
                            const fadj_mat *y) FADJ_WUR;

/* Exactness per value (trace-exact.c).  Nonzero if W^l and b^l of T
   are exact (a file's, not a training step's).  */
int fadj_trace_exact_params_p (const fadj_trace *t, size_t l);
/* Are T's outputs a softmax's, as computed (not rounded by --carry), so
   that each sample's sum to 1 exactly?  */
int fadj_trace_simplex_p (const fadj_trace *t);
/* YQ = W^l XQ + b^l exactly (YQ: N_l x m, each entry made exact; XQ
   exact, compact or not); W^l and b^l exact.  */
void fadj_trace_exact_layer (const fadj_trace *t, size_t l,
                             const fadj_mat *xq, fadj_mat *yq);

/* ------------------------------------------------------------------ */
/* The activation and the loss evaluated through the expression engine
   (act-graph.c): X = sigma(Y) entrywise and, when DX is not NULL, the
   tangent DX = sigma'(Y) DY by the engine's forward mode on sigma's
   primitive form -- so sigma' comes from the generic rules, not from
   fadj_act_deriv.  Likewise the loss J(X^L) and its tangent.  */
fadj_status fadj_act_apply (fadj_mat *x, fadj_mat *dx, fadj_act_kind k,
                            const mpq_t param, const fadj_mat *y,
                            const fadj_mat *dy) FADJ_WUR;
/* The same in steps, for a graph that is kept (the lean trace keeps
   each layer's, so that the directional check's tangent does not
   evaluate sigma again): the graph of sigma at Y, its values, and the
   tangents for DY (again and again if need be).  */
struct fadj_act_graph
{
  fadj_graph **g;             /* one per sample (built, and run, by the
                                 --jobs threads) */
  fadj_node *in, *out;        /* leaves and outputs, column-major */
  size_t rows, m;
};
fadj_status fadj_act_graph_new (fadj_act_graph **ag, fadj_act_kind k,
                                const mpq_t param, const fadj_mat *y)
  FADJ_WUR;
void fadj_act_graph_values (fadj_mat *x, const fadj_act_graph *ag);
fadj_status fadj_act_graph_tangents (fadj_mat *dx, fadj_act_graph *ag,
                                     const fadj_mat *dy) FADJ_WUR;
void fadj_act_graph_free (fadj_act_graph *ag);
/* X = sigma(Y) and DX = its tangent along DY (DX NULL: none), by the
   same graphs as fadj_act_graph_new and _tangents, each sample's freed
   as soon as it is read: a layer's graphs cost some 1.5 kB per entry
   of Y.  Returns the graphs' first failure in sample order; *TST that
   of the tangents (FADJ_OK if none), which are the directional
   check's.  */
fadj_status fadj_act_apply_each (fadj_mat *x, fadj_mat *dx,
                                 fadj_status *tst, fadj_act_kind k,
                                 const mpq_t param, const fadj_mat *y,
                                 const fadj_mat *dy) FADJ_WUR;

/* The tangent of fadj_trace_opts (check-directional.c makes it, trace.c
   carries it): at layer l of the lean F-propagation, once Y^l is final,
   LAYER makes DY = dY^l (N_l x m) from the trace's X^{l-1} and the
   previous DX, and leaves DX ready (N_l x m) for dX^l, which sigma's
   graphs then fill.  Once J is made, DONE takes dJ from DX = dX^L (and
   frees it).  ST: the tangent's first failure, the check's to report
   (the derivation goes on without it).  */
typedef struct fadj_trace_tangent fadj_trace_tangent;
struct fadj_trace_tangent
{
  fadj_status (*layer) (fadj_trace_tangent *tg, const fadj_trace *t,
                        size_t l);
  fadj_mat dy, dx;
  fadj_status st;
  fadj_status (*done) (fadj_trace_tangent *tg, const fadj_trace *t);
};
fadj_status fadj_loss_apply (fadj_num_ptr j, fadj_num_ptr dj,
                             fadj_loss_kind k, fadj_batch batch,
                             const fadj_mat *x, const fadj_mat *comp,
                             const fadj_mat *dx, const fadj_mat *target,
                             int simplex) FADJ_WUR;

/* ------------------------------------------------------------------ */
/* Buffers and the LaTeX number writer (buf.c, latex-number.c).        */

/* Current length of B's contents, in bytes.  */
size_t fadj_buf_len (const fadj_buf *b);
/* Cut B's contents back to LEN bytes (no-op if LEN >= the length); the
   writers use it to undo a partial append on FADJ_UNDECIDED.  LEN counts
   from the last spill (fadj_buf_set_spill): the LaTeX writers that
   truncate never spill.  */
void fadj_buf_truncate (fadj_buf *b, size_t len);

/* Append M as \begin{bmatrix}a & b\\ c & d\end{bmatrix}, each entry
   written as PRE, the number (fadj_latex_number), POST; PRE and POST may
   be NULL.  If BAR > 0, a vertical rule separates shown columns BAR-1
   and BAR (an array in \left[ \right], for W = [W | b]).  *APPROX is
   set to 1 if some entry is printed inexactly (never cleared), so that
   the caller can choose between = and \approx.  FADJ_UNDECIDED from the
   numbers; B is left as it was on failure.  */
fadj_status fadj_latex_matrix (fadj_buf *b, int *approx, const fadj_mat *m,
                               const char *pre, const char *post,
                               size_t bar, int digits) FADJ_WUR;

/* How the matrix writer prints: digits, elision, boxes.  */
enum
{
  FADJ_BOX_NONE = 0,
  FADJ_BOX_BLANK,      /* each entry an empty answer field */
  FADJ_BOX_FILLED      /* each entry a field with its answer (the key) */
};

typedef struct
{
  int digits;          /* significant digits of inexact values */
  size_t max_show;     /* 0, or >= 3: at most this many rows and columns
                          shown: the first MAX_SHOW - 2, a \vdots row
                          (\cdots column, \ddots where both meet), the
                          last */
  int box;             /* FADJ_BOX_* */
  fadj_zero_log *zeros; /* see fadj_latex_opts */
  fadj_numbers numbers; /* the form of exact values (fadj_latex_opts) */
  int fractions;       /* AUTO: the file wrote fractions, so computed
                          values are fractions too
                          (fadj_latex_net_fractions_p) */
  int places;          /* > 0: an exact value with at most PLACES
                          decimals is printed with exactly PLACES (the
                          carried values of --carry) */
  /* A worksheet's answer fields (latex-worksheet.c): with BOX not NONE,
     each entry is \fadjfield[FIELD_WIDTH]{VALUE} (VALUE empty on the
     student's sheet), numbered later by fadj_worksheet_number.  */
  double field_width;  /* the field's width in digit widths */
  int round1;          /* > 0: a field's value rounded to ROUND1 - 1
                          decimals (--round); 0: the document's digits */
  size_t plain_row1, plain_col1; /* > 0: row (column) PLAIN_*1 - 1 of a
                          matrix is a constant (the appended 1): never
                          a field */
} fadj_latex_numfmt;

/* Did the network file write a fraction in any of NET's matrices?  */
int fadj_latex_net_fractions_p (const fadj_net *net);

/* fadj_latex_matrix with the format F.  BAR counts the columns of M; the
   rule is dropped if it falls among elided columns.  */
fadj_status fadj_latex_matrix_fmt (fadj_buf *b, int *approx,
                                   const fadj_mat *m, const char *pre,
                                   const char *post, size_t bar,
                                   const fadj_latex_numfmt *f) FADJ_WUR;

/* Append the column specification of an array of N centred columns,
   a rule before column BAR when 0 < BAR < N: "cc|c", a run of more than
   FADJ_SPEC_RUN columns as "*{K}{c}", so that the line's length does not
   grow with the width (the reader: fadj_tex_column_spec).  */
#define FADJ_SPEC_RUN 8
void fadj_latex_put_column_spec (fadj_buf *b, size_t n, size_t bar);

/* The most columns of an amsmath matrix (bmatrix) the writer sets:
   the document's MaxMatrixCols.  amsmath builds the template of every
   matrix with that many columns, in time quadratic in the number: at
   1025 a 1024-wide network's document took minutes to compile.  A wider
   matrix is an array of its own width (fadj_latex_put_matrix_open).  */
#define FADJ_MATRIX_COLS_MAX 64

/* Open a matrix of N columns, a rule before column BAR when
   0 < BAR < N: a bmatrix, or an array with @{} at both ends (no outer
   column space, as in amsmath's own matrices, so that [W | b] looks like
   the bmatrix next to it) when it has a rule or more than
   FADJ_MATRIX_COLS_MAX columns.  Returns whether it is an array, for
   fadj_latex_put_matrix_close.  */
int fadj_latex_put_matrix_open (fadj_buf *b, size_t n, size_t bar);
void fadj_latex_put_matrix_close (fadj_buf *b, int array);

/* One number as fadj_latex_number, boxed as F says; *APPROX (if not
   NULL) set to its inexactness.  */
fadj_status fadj_latex_number_fmt (fadj_buf *b, int *approx,
                                   fadj_num_srcptr x,
                                   const fadj_latex_numfmt *f) FADJ_WUR;

/* The paths of the chain rule of one weight (check-chain.c), for its
   sum and for the document, which prints them factor by factor.  */
typedef struct
{
  const fadj_trace *t;        /* borrowed */
  const fadj_latex_chain *c;  /* borrowed */
  size_t npaths;              /* from the weight to the loss, times the
                                 samples */
  size_t nf;                  /* room in F */
  size_t *k, *ky;             /* of the path last asked for, per layer
                                 q = l .. L (0-based): the neuron of X^q
                                 and of Y^q it crosses, which differ only
                                 in a vector map (KY is in K's block) */
  size_t s;                   /* its sample (0-based) */
  fadj_num_struct *f;         /* its factors */
} fadj_chain_paths;

/* Is layer Q of T a vector map (softmax), whose paths branch over the
   pairs (k_q, k'_q) of its Jacobian instead of one neuron k_q?  */
static inline int
fadj_chain_pairs_p (const fadj_trace *t, size_t q)
{
  return fadj_act_vector_p (t->net->layers[q - 1].act);
}

/* P = the paths of chain C (valid: fadj_chain_validate) on T.
   FADJ_ERR_LIMIT beyond 100000 paths, FADJ_ERR_NOMEM; nothing to clear
   on failure.  */
fadj_status fadj_chain_paths_init (fadj_chain_paths *p, const fadj_trace *t,
                                   const fadj_latex_chain *c) FADJ_WUR;
/* P->f = the factors of path PATH (0 .. P->npaths - 1) in the order
   printed: the seed entry, then for each layer q from the output down to
   the weight's, dX^q_{k_q}/dY^q_{k'_q} (sigma'(Y^q_{k_q}), or the entry
   (k_q, k'_q) of a vector map's Jacobian) and (above the weight's layer)
   the weight crossed, w^q_{k'_q k_{q-1}}, last the weight's input;
   returns their number (2 (L - l) + 3), and sets P->k, P->ky and P->s.
   Paths are numbered with the sample varying slowest, then the indices
   met going up from the weight (k_l in a vector map, k'_{l+1}, k_{l+1},
   ...), the output's k_L fastest.  */
size_t fadj_chain_paths_factors (fadj_chain_paths *p, size_t path);
void fadj_chain_paths_clear (fadj_chain_paths *p);

/* The symbolic view (latex-symbolic.c): one step of layer L entry by
   entry, as align lines ("lhs &= rhs", separated by "\\\\\n") appended
   to B, for layers with both sides of at most FADJ_SYMBOLIC_MAX_NEURONS
   neurons (fadj_latex_symbolic_p); a wider layer's step as one line with
   a generic index i (a neuron) or j (an input) and its range.  */
#define FADJ_SYMBOLIC_MAX_NEURONS 4
typedef enum
{
  FADJ_SYM_Y,        /* Y^l_i = sum_j w^l_ij X^{l-1}_j + b^l_i */
  FADJ_SYM_X,        /* X^l_i = sigma(Y^l_i) */
  FADJ_SYM_SEED,     /* X^L_{*,i} = X^L_i - y_i (L = l) */
  FADJ_SYM_STEP1,    /* Y^l_{*,i} = X^l_{*,i} sigma'(Y^l_i) */
  FADJ_SYM_STEP2,    /* X^{l-1}_{*,j} = sum_i w^l_ij Y^l_{*,i} */
  FADJ_SYM_GRAD      /* dJ/dW^l = [Y^l_{*,i} X^{l-1}_j] */
} fadj_sym_kind;
int fadj_latex_symbolic_p (const fadj_net *net, size_t l);
void fadj_latex_symbolic (fadj_buf *b, const fadj_net *net, fadj_sym_kind k,
                          size_t l, int same_act);

/* Which rows (or columns) of N an elided matrix shows, for MAX_SHOW (0:
   all): *SHOWN of them, the first *HEAD and then the last; a \vdots (or
   \cdots) stands between them when *SHOWN < N.  */
void fadj_latex_elide (size_t *shown, size_t *head, size_t n,
                       size_t max_show);

/* Append a TikZ picture of T's network (needs the tikz package): the
   neurons with their forward values and adjoints (of the first sample),
   edges labelled with the weights, bias nodes, a legend.  F gives the
   digits and the elision of large layers; with F->box BLANK (a
   worksheet) the computed values are left out and only the given ones
   (input, weights, biases) shown.  ACTIVE (1..L) is a layer drawn
   highlighted, 0 none.  IX is the layer index letter of the legend
   ("\\ell" or "h").  FLAGS are the document's (FADJ_LATEX_*): what each
   neuron shows (FADJ_LATEX_DIAGRAM_VALUES, _FULL), the bias convention.
   B is left as it was on failure.  */
fadj_status fadj_latex_diagram (fadj_buf *b, const fadj_trace *t,
                                const fadj_latex_numfmt *f, size_t active,
                                const char *ix, unsigned flags) FADJ_WUR;

/* How far a deck's derivation has gone, for a picture that fills in:
   X^k (and Y^k) are shown for k <= FWD, Y^l_* for l >= ADJ (L + 1:
   none), X^l_* once Y^{l+1}_* is (X^L_*, the seed, if SEED); the values
   of layer NEW_FWD (its X and Y) and of the adjoint layer NEW_ADJ (its
   Y_* and the X_* step 2 computes from it) are highlighted as just
   computed (0: none).  LEGEND 0 leaves the legend out.  */
typedef struct
{
  size_t fwd, adj, new_fwd, new_adj;
  int seed, legend;
} fadj_latex_reveal;

/* fadj_latex_diagram with only what RV says is known shown (every value
   if RV is NULL); the picture's geometry is the same whatever RV, so
   that the values appear in place from one frame to the next.  */
fadj_status fadj_latex_diagram_reveal (fadj_buf *b, const fadj_trace *t,
                                       const fadj_latex_numfmt *f,
                                       size_t active, const char *ix,
                                       unsigned flags,
                                       const fadj_latex_reveal *rv) FADJ_WUR;

/* The most neurons of a layer a slide's picture draws: beyond, as many
   as keep its labels at 9pt, at least 3 (the first, an ellipsis, the
   last).  */
#define FADJ_SLIDE_MAX_NEURONS 5

/* A deck's picture (fadj_latex_diagram_reveal, FLAGS with
   FADJ_LATEX_BEAMER): values to 3 significant digits, layers of more
   neurons than fit WIDTH by HEIGHT (cm) at 9/10 of the size elided,
   weights on the edges only where they fit (else left to the frame of
   the network's data), and the legend in a column at its right, on
   every frame.  *FITS says whether the estimate of its size fits the
   room at 9/10 of its size (not always: built-up fractions, or the
   three values of --diagram=full, may be too tall at 3 rows).  */
fadj_status fadj_latex_diagram_slide (fadj_buf *b, const fadj_trace *t,
                                      const fadj_latex_numfmt *f,
                                      size_t active, const char *ix,
                                      unsigned flags,
                                      const fadj_latex_reveal *rv,
                                      double width, double height,
                                      int *fits)
  FADJ_WUR;

/* A rough estimate of the width of the math-mode TeX S (LEN bytes), in
   units of a digit's width (5pt at 10pt), for line breaking: knows
   bmatrix/Bmatrix/array, \frac, \underbrace, superscripts,
   \times.  */
double fadj_latex_width (const char *s, size_t len);

/* T = X * Y, T distinct from X and Y: mpfi_mul's interval, without
   its temporary when neither factor contains 0 (num.c).  */
void fadj_interval_mul (mpfi_ptr t, mpfi_srcptr x, mpfi_srcptr y);

/* Intervals whose endpoints live in one arena (num-arena.c): numbers
   made one per graph node, without an allocation each.  Such an
   interval may be written by any operation that keeps it an interval
   of its precision, never cleared, swapped, resized or made a rational;
   fadj_num_arena_clear frees them all.  */
struct fadj_num_arena_chunk;
typedef struct
{
  struct fadj_num_arena_chunk *chunks;  /* the newest first */
} fadj_num_arena;

void fadj_num_arena_init (fadj_num_arena *a);
/* N bytes (a multiple of a limb's size, limb-aligned) from A, kept
   until A is cleared; NULL when out of memory.  */
void *fadj_num_arena_take (fadj_num_arena *a, size_t n);
void fadj_num_arena_clear (fadj_num_arena *a);
/* Initialise X to the interval 0 of PREC bits (as fadj_num_init in an
   interval context) in A; 0 when out of memory.  */
int fadj_num_arena_interval (fadj_num_arena *a, fadj_num_ptr x,
                             mpfr_prec_t prec) FADJ_WUR;
/* X = the interval 0 of PREC bits, its endpoints' significands the
   2 mpfr_custom_get_size (PREC) bytes at SIG (limb-aligned), which
   the caller owns (num.c: only it names a number's members).  */
void fadj_num_init_interval_at (fadj_num_ptr x, mpfr_prec_t prec,
                                void *sig);

/* R = the exact A itself, its limbs shared and not copied, with the
   context precision PREC (as fadj_num_init's): R is read only, never
   written or cleared, and A must outlive it and stay unchanged.  */
void fadj_num_alias_exact (fadj_num_ptr r, fadj_num_srcptr a,
                           mpfr_prec_t prec);

/* X = the exact NUM / DEN (in lowest terms, DEN > 0), read only: its
   numerator and denominator are the limbs LIMBS[0] = |NUM| and
   LIMBS[1] = DEN, which the caller owns and keeps (mpz_roinit_n), with
   the context precision PREC.  X is never written or cleared.  1 when
   done; 0 when a limb is not a 64-bit word here (X untouched).  */
int fadj_num_init_ratio_at (fadj_num_ptr x, mpfr_prec_t prec,
                            mp_limb_t *limbs, int64_t num, uint64_t den);

/* A variable of G whose value is the exact K / DEN (DEN > 0), a compact
   weight (fadj_mat's K and DEN), made canonical by a word gcd and kept
   in two words of G's arena rather than in a rational of its own.  */
fadj_node fadj_graph_leaf_ratio (fadj_graph *g, int64_t k, uint64_t den);

/* A variable of G whose value is the exact VALUE itself, not a copy
   (fadj_num_alias_exact): VALUE must stay unchanged until G is freed.
   The network's weights, a leaf each: one rational fewer per weight.
   An interval VALUE, or one too big for G (graph_done), is copied as
   by fadj_graph_leaf_num.  */
fadj_node fadj_graph_leaf_ref (fadj_graph *g, fadj_num_srcptr value);

#endif /* FADJ_IMPL_H */
