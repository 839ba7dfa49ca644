/* audit-write.c -- fadj-audit's reports: text, JSON and CSV, each
   written from the one walk over the gradient entries that also
   compares them with a reference (the error measures themselves are in
   audit-errors.c).

   Every printed value is certified: a value of an exact run is printed
   exactly (p/q, or p) in JSON (and with --exact-display=fraction), any
   other value correctly rounded to N significant digits from an
   enclosure that decides the rounding (fadj_decimal_round), else
   the writer returns FADJ_UNDECIDED naming the value and the caller
   retries at a higher precision -- except a value whose enclosure
   contains 0: it is printed "0", with the bound |value| < 10^-k that
   the enclosure proves (text: beside it; CSV: the last column,
   abs_bound; JSON: the list "zeros"), and counted, so that the caller
   first tries two more doublings (fadj_zero_log).  Errors against the
   reference, and each entry's condition (audit_errs_condition), are
   printed as decimals of ERR_DIGITS certified digits, reference values
   as decimals too (put_ref); --summary's statistics are
   audit-summary.c's.  */

#include "config.h"
#include "audit.h"
#include "audit-errors.h"
#include "audit-summary.h"
#include "parallel.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERR_DIGITS 6

/* The kinds' names, for CSV.  */
static const char *const kind_name[] = { "weight", "bias", "input", "loss" };

/* The loss, which each report writes before the gradient entries.  */
static const audit_entry loss_id = { .kind = AUDIT_LOSS };

/* How many bias gradients layer L has: one per neuron, one for a bias
   shared by the layer (a single parameter: its gradient is the sum), or
   none.  */
static size_t
bias_count (const fadj_net *net, size_t l)
{
  const fadj_layer *ly = net->layers + l - 1;
  return !ly->has_bias ? 0 : ly->bias_shared ? 1 : net->sizes[l];
}

typedef struct
{
  fadj_buf *b;
  audit_run *run;
  const fadj_trace *t;
  const fadj_ref *ref;
  const audit_opts *o;
  fadj_num_t g;           /* scratch: one gradient entry */
  audit_errs e;           /* scratch: one entry's errors */
  audit_errs *layer_max;  /* [0]: input gradient, [l]: layer l */
  audit_errs total;
  char *s;                /* scratch string for exact values */
  size_t s_cap;
  /* The text report's "  dJ/dW^l[i," of the row being written.  */
  char row_name[64];
  size_t row_name_len;    /* 0: none yet */
  size_t row_layer, row_row;
  /* Weight entries are rounded a block at a time, among the threads
     (round_block): DEC[k] is entry DEC_E0 + k (row-major) of
     dJ/dW^DEC_LAYER for k < DEC_LEN, DEC_ST[k] its status (FADJ_OK: DEC[k]
     is set; FADJ_UNDECIDED: the rounding is not decided; else a failure
     of its piece).  DEC_CAP entries allocated.  */
  fadj_decimal *dec;
  fadj_status *dec_st;
  size_t dec_layer, dec_e0, dec_len, dec_cap;
  struct round_worker *workers;   /* one per thread, for DEC_LAYER */
  size_t nworkers;
  fadj_decimal one;       /* a bias entry */
  fadj_decimal zero;      /* 0, for a zero to the working precision */
  long zero_k;            /* the last value written was such a zero,
                             |value| < 10^-ZERO_K; else LONG_MIN */
  fadj_buf *zeros_json;   /* the JSON list "zeros", as it grows */
  audit_summary *sum;     /* --summary: filled by the comparison */
  /* --entries: the JSON arrays of the reference values, ulp errors,
     conditions and bound ratios of the layer being written, in the
     shape of its gradients (json_frame writes the same frame into
     each).  */
  fadj_buf *side[8];      /* [0..3] the weights' (or the input
                             gradient's), [4..7] the bias's; NULL
                             without --entries */
  /* The lines of the block's entries (weight_line), formatted by the
     threads that round them when the report writes such an entry as a
     line of its own (LINE_SLOT > 0): the line of entry DEC_E0 + k is
     LINES[LINE_OFF[k] ... LINE_END[k] - 1] (empty unless DEC_ST[k] is
     FADJ_OK); a piece's lines follow each other, in a region of
     ROW_CHUNK LINE_SLOT bytes of its own.  */
  char *lines;
  size_t *line_off, *line_end;    /* DEC_CAP offsets each */
  size_t line_slot;       /* room of one line; 0: no lines */
} writer;

/* The JSON names of W->side's arrays.  */
static const char *const side_name[] = {
  "reference", "ulp_error", "condition", "bound_ratio"
};
#define NSIDE 4

/* The longest value_tail.  */
#define TAIL_MAX 112

/* A piece of a block: enough entries to make the per-row work and a
   thread's taking of the piece small, few enough to stay in the cache.  */
#define ROW_CHUNK 64
/* Pieces in a block per thread, when there are threads: many, so that
   a thread on a loaded core leaves its share to the others, and few
   blocks, each ending in a wait for the slowest piece (a scheduling
   delay when the cores are shared); but an entry is about a kilobyte
   (fadj_decimal's digits) and its line a third of one, so the block's
   memory grows with the pieces: 16 per thread make 2048 entries, 2.7 MB,
   at --jobs=2 (128 pieces whatever the threads made 8192, 11 MB, the
   whole of the second thread's memory at 3 x 128 and more than a tenth
   of the peak of a 256-wide batch).  One thread rounds a piece at a
   time.  */
#define BLOCK_PIECES_PER_JOB 16

/* ------------------------------------------------------------------ */
/* Names and numbers.                                                  */

/* Format D (DIGITS significant digits) at P as [-]d.ddd...e[+-]E, or
   "0"; returns the end (no NUL).  By hand: printf is a measurable part of
   printing a million values.  P needs DIGITS + 48 bytes.  */
static char *
format_decimal (char *p, const fadj_decimal *d, int digits)
{
  long e = d->exp10;
  char ebuf[24];
  int k = 0;

  if (d->sign == 0)
    {
      *p++ = '0';
      return p;
    }
  if (d->sign < 0)
    *p++ = '-';
  *p++ = d->digits[0];
  if (digits > 1)
    {
      *p++ = '.';
      /* Up to 40 digits by a copy of a fixed size, a few moves (D's
         digits have room, and so has P); a copy of DIGITS - 1 bytes
         would be a call.  */
      if (digits <= 41)
        memcpy (p, d->digits + 1, 40);
      else
        memcpy (p, d->digits + 1, (size_t) digits - 1);
      p += digits - 1;
    }
  *p++ = 'e';
  *p++ = e < 0 ? '-' : '+';
  e = e < 0 ? -e : e;
  do
    ebuf[k++] = (char) ('0' + e % 10);
  while ((e /= 10) != 0);
  while (k > 0)
    *p++ = ebuf[--k];
  return p;
}

/* Append D, as format_decimal writes it.  */
static void
put_decimal (writer *w, const fadj_decimal *d, int digits)
{
  char s[sizeof d->digits + 48];

  fadj_buf_put_mem (w->b, s, (size_t) (format_decimal (s, d, digits) - s));
}

/* Append BEFORE, the rational Q (p/q or p), and AFTER.  */
static void
put_q (writer *w, const char *before, mpq_srcptr q, const char *after)
{
  char *s = mpq_get_str (NULL, 10, q);
  void (*fr) (void *, size_t);

  fadj_buf_puts (w->b, before);
  fadj_buf_puts (w->b, s);
  fadj_buf_puts (w->b, after);
  mp_get_memory_functions (NULL, NULL, &fr);
  fr (s, strlen (s) + 1);
}

/* Is X, the value of ID (NULL: not an entry), a zero to the working
   precision?  Then it is recorded (W->zero_k, the count, the JSON
   list) and the caller prints 0.  */
static int
zero_to_precision (writer *w, fadj_num_srcptr x, const audit_entry *id)
{
  fadj_zero_log one;

  if (id == NULL || FADJ_NUM_EXACT_P (x) || !mpfi_has_zero (FADJ_NUM_I (x))
      || mpfi_is_zero (FADJ_NUM_I (x)))
    return 0;
  fadj_zero_log_init (&one);
  fadj_zero_log_add (&one, x);
  w->zero_k = one.k;
  w->run->zeros++;
  if (w->zeros_json != NULL)
    fadj_buf_printf (w->zeros_json, "%s\n    {\"layer\": %zu, \"kind\": "
                     "\"%s\", \"row\": %zu, \"col\": %zu, "
                     "\"abs_bound\": \"1e%ld\"}",
                     w->run->zeros > 1 ? "," : "", id->layer,
                     kind_name[id->kind], id->row,
                     id->kind == AUDIT_BIAS
                     ? w->t->net->sizes[id->layer - 1] : id->col, -one.k);
  return 1;
}

/* Append X: exactly (p/q or p) if it is a value of an exact run in JSON
   (or with --exact-display=fraction), else correctly rounded to DIGITS
   significant digits as d.ddd...e+E; 0 as "0".  Errors (DIGITS =
   ERR_DIGITS) are always decimal.  A value made
   exact in an interval run (exactness per value) is rounded too, so
   that one report has one number format; its exactness decides ties.
   ID names X if its rounding is not decided.  */
static fadj_status
put_num (writer *w, fadj_num_srcptr x, int digits, const audit_entry *id)
{
  /* DIGITS < 0: -DIGITS digits, never a fraction (an error).  */
  int n = digits < 0 ? -digits : digits;

  if (FADJ_NUM_EXACT_P (x) && w->t->ctx.domain == FADJ_EXACT
      && digits > 0
      && (w->o->format == AUDIT_JSON || w->o->exact_fraction))
    {
      size_t need = mpz_sizeinbase (mpq_numref (FADJ_NUM_Q (x)), 10)
        + mpz_sizeinbase (mpq_denref (FADJ_NUM_Q (x)), 10) + 3;
      if (need > w->s_cap)
        {
          char *s = realloc (w->s, need);
          if (s == NULL)
            return FADJ_ERR_NOMEM;
          w->s = s;
          w->s_cap = need;
        }
      mpq_get_str (w->s, 10, FADJ_NUM_Q (x));
      fadj_buf_puts (w->b, w->s);
      return FADJ_OK;
    }
  {
    fadj_decimal d;
    fadj_status st = fadj_decimal_round (&d, x, n);
    if (st == FADJ_UNDECIDED && zero_to_precision (w, x, id))
      {
        fadj_buf_puts (w->b, "0");
        return FADJ_OK;
      }
    if (st == FADJ_UNDECIDED)
      {
        if (id != NULL)
          audit_entry_name (w->run->undecided, sizeof w->run->undecided, id);
        else
          snprintf (w->run->undecided, sizeof w->run->undecided,
                    "an error against the reference");
        return st;
      }
    put_decimal (w, &d, n);
    return FADJ_OK;
  }
}

static fadj_status
put_err (writer *w, const audit_errs *e, fadj_num_srcptr x, int is_rel)
{
  if (is_rel && e->rel_inf)
    {
      fadj_buf_puts (w->b, "inf");
      return FADJ_OK;
    }
  return put_num (w, x, -ERR_DIGITS, NULL);
}

/* Append E's ratio of its error to the bound ("inf" over a bound of
   0).  */
static fadj_status
put_ratio (writer *w, const audit_errs *e)
{
  if (e->ratio_inf)
    {
      fadj_buf_puts (w->b, "inf");
      return FADJ_OK;
    }
  return put_num (w, e->ratio, -ERR_DIGITS, NULL);
}

/* Append E's condition, bound and ratio, each after its label; the
   loss has none (the labels alone).  BOUND NULL: the condition only.  */
static fadj_status
put_cond (writer *w, const audit_errs *e, const char *cond,
          const char *bound, const char *ratio)
{
  fadj_status st;

  fadj_buf_puts (w->b, cond);
  if (e->has_cond && e->cond_inf)
    fadj_buf_puts (w->b, "inf");
  else if (e->has_cond && (st = put_num (w, e->cond, -ERR_DIGITS, NULL))
           != FADJ_OK)
    return st;
  if (bound == NULL)
    return FADJ_OK;
  fadj_buf_puts (w->b, bound);
  if (e->has_cond && (st = put_num (w, e->bound, -ERR_DIGITS, NULL))
      != FADJ_OK)
    return st;
  fadj_buf_puts (w->b, ratio);
  return e->has_cond ? put_ratio (w, e) : FADJ_OK;
}

/* Append BEFORE, the reference value Q as a correctly rounded decimal,
   and AFTER: to the report's digits, and at least to the digits that
   identify a float of the reference type (9 for binary32, 17 for
   binary64), so that a float reference reads back as itself.  */
static void
put_ref (writer *w, const char *before, mpq_srcptr q, const char *after)
{
  int n = w->o->ref_bits == 24 ? 9 : 17;
  fadj_decimal d;

  if (w->o->digits > n)
    n = w->o->digits;
  fadj_decimal_round_q (&d, q, n);
  fadj_buf_puts (w->b, before);
  put_decimal (w, &d, n);
  fadj_buf_puts (w->b, after);
}

/* Append E's three errors, each after its label: ABS, REL, ULP.  */
static fadj_status
put_errs (writer *w, const audit_errs *e, const char *abs, const char *rel,
          const char *ulp)
{
  fadj_status st;

  fadj_buf_puts (w->b, abs);
  if ((st = put_err (w, e, e->abs, 0)) != FADJ_OK)
    return st;
  fadj_buf_puts (w->b, rel);
  if ((st = put_err (w, e, e->rel, 1)) != FADJ_OK)
    return st;
  fadj_buf_puts (w->b, ulp);
  return put_err (w, e, e->ulp, 0);
}

/* ------------------------------------------------------------------ */
/* The entries' values.                                                */

/* *R = entry K of the reference matrix M: its rational, or its
   scaled form's K BASE^X.  */
static void
mat_ref (audit_ref *r, const fadj_mat *m, size_t k)
{
  if (m->x != NULL)
    {
      r->q = NULL;
      r->k = m->k[k];
      r->x = m->x[k];
      r->base = m->base;
    }
  else
    r->q = FADJ_NUM_Q (&m->e[k]);
}

/* *R = the reference value of entry ID: 1, or 0 if it has none.  */
static int
ref_value (const writer *w, const audit_entry *id, audit_ref *r)
{
  const fadj_ref *ref = w->ref;
  const fadj_mat *m;

  if (ref == NULL)
    return 0;
  switch (id->kind)
    {
    case AUDIT_WEIGHT:
      m = ref->w + id->layer;
      mat_ref (r, m, id->row * m->cols + id->col);
      return 1;
    case AUDIT_BIAS:
      if (ref->b[id->layer].rows == 0)
        return 0;
      mat_ref (r, ref->b + id->layer, id->row);
      return 1;
    case AUDIT_INPUT:
      if (!ref->has_input_gradient)
        return 0;
      m = &ref->input_gradient;
      mat_ref (r, m, id->row * m->cols + id->col);
      return 1;
    default:
      r->q = ref->loss;
      return ref->has_loss;
    }
}

/* W->g = the certified value of entry ID.  */
static void
entry_value (writer *w, const audit_entry *id)
{
  const fadj_trace *t = w->t;

  switch (id->kind)
    {
    case AUDIT_WEIGHT:
      fadj_trace_gradient_entry (w->g, t, id->layer, id->row, id->col);
      break;
    case AUDIT_BIAS:
      if (t->net->layers[id->layer - 1].bias_shared)
        fadj_num_set (w->g, t->gb[id->layer].e);
      else
        fadj_trace_gradient_entry (w->g, t, id->layer, id->row,
                                   t->net->sizes[id->layer - 1]);
      break;
    case AUDIT_INPUT:
      fadj_trace_input_gradient_entry (w->g, t, id->row, id->col);
      break;
    default:
      fadj_num_set (w->g, t->J);
    }
}

/* Is entry ID an inexact weight or bias gradient?  Those are rounded
   by fadj_trace_gradient_entry_round, from the product Y^l_*[i]
   X^{l-1}[j] without forming it: the cost of a million entries.  */
static int
rounded_entry_p (const writer *w, const audit_entry *id)
{
  const fadj_trace *t = w->t;

  return t->ctx.domain == FADJ_INTERVAL
    && (id->kind == AUDIT_WEIGHT
        || (id->kind == AUDIT_BIAS
            && !t->net->layers[id->layer - 1].bias_shared));
}

/* What follows a value in its line: in text, after a zero to the
   working precision, its bound; in CSV (at the end of the row) the
   column abs_bound, empty but after such a zero.  Written at P (at
   most TAIL_MAX bytes); returns the new end.  */
static char *
value_tail (const writer *w, char *p, long zero_k)
{
  int n = 0;

  if (w->o->format == AUDIT_CSV)
    n = zero_k == LONG_MIN ? sprintf (p, ",")
        : sprintf (p, ",1e%ld", -zero_k);
  else if (w->o->format == AUDIT_TEXT && zero_k != LONG_MIN)
    n = sprintf (p, "  (|value| < 1e%ld: zero to the working precision, "
                 "not proven to be 0)", -zero_k);
  return p + n;
}

/* value_tail, appended to the report.  */
static void
put_value_tail (writer *w)
{
  char tail[TAIL_MAX], *e = value_tail (w, tail, w->zero_k);

  fadj_buf_put_mem (w->b, tail, (size_t) (e - tail));
}

/* The line of the rounded weight entry ID, of value D (ZERO_K as
   W->zero_k), at P; returns its end.  Text: "  dJ/dW^l[i,j] = D\n";
   CSV (without a reference: the value ends the row) "l,weight,i,j,D,\n";
   JSON: '"D"', after ", " but in a row's first column.  Reads only
   what the threads share: they format the lines of the entries they
   round (round_pieces).  P needs W->line_slot bytes.  */
static char *
weight_line (const writer *w, char *p, const audit_entry *id,
             const fadj_decimal *d, long zero_k)
{
  switch (w->o->format)
    {
    case AUDIT_JSON:
      if (id->col)
        {
          *p++ = ',';
          *p++ = ' ';
        }
      *p++ = '"';
      p = format_decimal (p, d, w->o->digits);
      *p++ = '"';
      return p;
    case AUDIT_CSV:
      p = audit_put_uz (p, id->layer);
      memcpy (p, ",weight,", 8);
      p = audit_put_uz (p + 8, id->row);
      *p++ = ',';
      p = audit_put_uz (p, id->col);
      *p++ = ',';
      break;
    default:
      memcpy (p, "  dJ/dW^", 8);
      p = audit_put_uz (p + 8, id->layer);
      *p++ = '[';
      p = audit_put_uz (p, id->row + 1);
      *p++ = ',';
      p = audit_put_uz (p, id->col + 1);
      memcpy (p, "] = ", 4);
      p += 4;
    }
  p = format_decimal (p, d, w->o->digits);
  p = value_tail (w, p, zero_k);
  *p++ = '\n';
  return p;
}

/* What one thread keeps from piece to piece: the rows of dJ/dW^l being
   rounded (fadj_trace_gradient_rows_new: their kernel and prepared
   operands are scratch, so each thread has its own) and a scratch
   entry.  */
struct round_worker
{
  fadj_gradient_rows *rows;     /* for W->dec_layer, or NULL */
  fadj_num_t g;
  int has_g;
};

static void
round_workers_reset (writer *w)
{
  size_t k;

  for (k = 0; k < w->nworkers; k++)
    {
      fadj_gradient_rows_free (w->workers[k].rows);
      w->workers[k].rows = NULL;
    }
}

static void
round_workers_free (writer *w)
{
  size_t k;

  round_workers_reset (w);
  for (k = 0; k < w->nworkers; k++)
    if (w->workers[k].has_g)
      fadj_num_clear (w->workers[k].g);
  free (w->workers);
}

/* DEC[K0 ...] and their statuses = the entries J0 <= j < J1 of row I of
   the block's layer, rounded by RW; each entry's outcome its own, the
   same whoever computes it and whatever the piece around it.  */
static void
round_range (writer *w, struct round_worker *rw, size_t k0, size_t i,
             size_t j0, size_t j1)
{
  size_t j = j0, col, k;
  fadj_status st;

  while (j < j1)
    {
      st = fadj_trace_gradient_row_round (w->dec + k0 + (j - j0), &col,
                                          rw->g, rw->rows, i, j, j1);
      if (st == FADJ_OK)
        col = j1;
      for (k = j; k < col && k < j1; k++)
        w->dec_st[k0 + (k - j0)] = FADJ_OK;
      if (st == FADJ_OK)
        return;
      if (st != FADJ_UNDECIDED)
        {
          for (k = j; k < j1; k++)
            w->dec_st[k0 + (k - j0)] = st;
          return;
        }
      w->dec_st[k0 + (col - j0)] = FADJ_UNDECIDED;
      j = col + 1;
    }
}

/* The lines of the block's entries K0 <= k < K1, whole pieces: a
   formatting of a million lines is a part of the report that the
   threads share, and the main thread copies them in order.  */
static void
format_lines (writer *w, size_t k0, size_t k1)
{
  size_t cols = w->t->net->sizes[w->dec_layer - 1], k, e;
  audit_entry id = { .kind = AUDIT_WEIGHT, .layer = w->dec_layer };
  char *p = NULL;

  for (k = k0; k < k1; k++)
    {
      if (p == NULL || k % ROW_CHUNK == 0)
        p = w->lines + (k / ROW_CHUNK) * ROW_CHUNK * w->line_slot;
      w->line_off[k] = (size_t) (p - w->lines);
      if (w->dec_st[k] == FADJ_OK)
        {
          e = w->dec_e0 + k;
          id.row = e / cols;
          id.col = e % cols;
          p = weight_line (w, p, &id, w->dec + k, LONG_MIN);
        }
      w->line_end[k] = (size_t) (p - w->lines);
    }
}

/* Pieces [LO, HI) of the block (fadj_parallel_fn; ARG the writer): piece
   P is the block's entries P ROW_CHUNK ... (P + 1) ROW_CHUNK - 1, along
   their rows.  Failures go into W->dec_st, entry by entry.  */
static fadj_status
round_pieces (size_t lo, size_t hi, void *arg)
{
  writer *w = arg;
  const fadj_trace *t = w->t;
  struct round_worker *rw = w->workers + fadj_parallel_worker ();
  size_t cols = t->net->sizes[w->dec_layer - 1];
  size_t k = lo * ROW_CHUNK, end = hi * ROW_CHUNK;
  fadj_status st;

  if (end > w->dec_len)
    end = w->dec_len;
  if (!rw->has_g)
    {
      fadj_num_init (rw->g, &t->ctx);
      rw->has_g = 1;
    }
  if (rw->rows == NULL
      && (st = fadj_trace_gradient_rows_new (&rw->rows, t, w->dec_layer,
                                             w->o->digits)) != FADJ_OK)
    {
      for (; k < end; k++)
        w->dec_st[k] = st;
      return FADJ_OK;
    }
  while (k < end)
    {
      size_t e = w->dec_e0 + k, i = e / cols, j = e % cols;
      size_t j1 = cols - j < end - k ? cols : j + (end - k);

      round_range (w, rw, k, i, j, j1);
      k += j1 - j;
    }
  if (w->line_slot > 0)
    format_lines (w, lo * ROW_CHUNK, end);
  return FADJ_OK;
}

/* Free the block's arrays.  */
static void
block_free (writer *w)
{
  free (w->dec);
  free (w->dec_st);
  free (w->lines);
  free (w->line_off);
  free (w->line_end);
  w->dec = NULL;
  w->dec_st = NULL;
  w->lines = NULL;
  w->line_off = w->line_end = NULL;
}

/* Round the block of weight entries of LAYER from (ROW, COL) on into
   W->dec, among the threads; with their lines if W->line_slot.  */
static fadj_status
round_block (writer *w, size_t layer, size_t row, size_t col)
{
  const fadj_trace *t = w->t;
  size_t cols = t->net->sizes[layer - 1], n = t->net->sizes[layer] * cols;
  size_t jobs = (size_t) fadj_get_jobs (), e0 = row * cols + col, len;

  if (w->workers == NULL)
    {
      w->workers = calloc (jobs, sizeof *w->workers);
      if (w->workers == NULL)
        return FADJ_ERR_NOMEM;
      w->nworkers = jobs;
    }
  if (w->dec == NULL)
    {
      w->dec_cap = ROW_CHUNK * (jobs > 1 ? BLOCK_PIECES_PER_JOB * jobs : 1);
      w->dec = malloc (w->dec_cap * sizeof *w->dec);
      w->dec_st = malloc (w->dec_cap * sizeof *w->dec_st);
      if (w->line_slot > 0)
        {
          w->lines = malloc (w->dec_cap * w->line_slot);
          w->line_off = malloc (w->dec_cap * sizeof *w->line_off);
          w->line_end = malloc (w->dec_cap * sizeof *w->line_end);
        }
      if (w->dec == NULL || w->dec_st == NULL
          || (w->line_slot > 0 && (w->lines == NULL || w->line_off == NULL
                                   || w->line_end == NULL)))
        {
          block_free (w);
          return FADJ_ERR_NOMEM;
        }
    }
  if (w->dec_layer != layer)
    round_workers_reset (w);
  len = n - e0 < w->dec_cap ? n - e0 : w->dec_cap;
  w->dec_layer = layer;
  w->dec_e0 = e0;
  w->dec_len = len;
  return fadj_parallel_for_grain ((len + ROW_CHUNK - 1) / ROW_CHUNK, 1,
                                  round_pieces, w);
}

/* *K = the place in W->dec of weight entry ID, rounding its block if
   it is not held.  */
static fadj_status
hold_entry (writer *w, const audit_entry *id, size_t *k)
{
  size_t e = id->row * w->t->net->sizes[id->layer - 1] + id->col;
  fadj_status st;

  if (w->dec_len == 0 || w->dec_layer != id->layer || e < w->dec_e0
      || e >= w->dec_e0 + w->dec_len)
    if ((st = round_block (w, id->layer, id->row, id->col)) != FADJ_OK)
      {
        w->dec_len = 0;     /* nothing held */
        return st;
      }
  *k = e - w->dec_e0;
  return FADJ_OK;
}

/* *D = such an entry rounded to the report's digits (a view, valid
   until the next call); names it if it is not decided.  */
static fadj_status
round_entry (writer *w, const fadj_decimal **d, const audit_entry *id)
{
  const fadj_trace *t = w->t;
  fadj_status st;

  if (id->kind == AUDIT_WEIGHT)
    {
      size_t k;

      if ((st = hold_entry (w, id, &k)) != FADJ_OK)
        return st;
      st = w->dec_st[k];
      if (st == FADJ_OK)
        {
          *d = w->dec + k;
          return FADJ_OK;
        }
      if (st != FADJ_UNDECIDED)
        return st;
    }
  else
    {
      st = fadj_trace_gradient_entry_round (&w->one, w->g, t, id->layer,
                                            id->row,
                                            t->net->sizes[id->layer - 1],
                                            w->o->digits);
      *d = &w->one;
    }
  if (st == FADJ_UNDECIDED)
    {
      entry_value (w, id);
      if (zero_to_precision (w, w->g, id))
        {
          *d = &w->zero;
          return FADJ_OK;
        }
    }
  if (st != FADJ_OK)
    audit_entry_name (w->run->undecided, sizeof w->run->undecided, id);
  return st;
}

/* Append the certified value of entry ID, as put_num would (W->g is not
   set for a rounded entry).  */
static fadj_status
put_entry (writer *w, const audit_entry *id)
{
  if (rounded_entry_p (w, id))
    {
      const fadj_decimal *d;
      fadj_status st = round_entry (w, &d, id);
      if (st == FADJ_OK)
        put_decimal (w, d, w->o->digits);
      return st;
    }
  entry_value (w, id);
  return put_num (w, w->g, w->o->digits, id);
}

/* Append the line of the rounded weight entry ID (weight_line).  */
static fadj_status
put_weight_line (writer *w, const audit_entry *id)
{
  char line[sizeof ((fadj_decimal *) NULL)->digits + 208 + TAIL_MAX];
  const fadj_decimal *d;
  fadj_status st;

  w->zero_k = LONG_MIN;
  if ((st = round_entry (w, &d, id)) != FADJ_OK)
    return st;
  fadj_buf_put_mem (w->b, line,
                    (size_t) (weight_line (w, line, id, d, w->zero_k)
                              - line));
  return FADJ_OK;
}

/* Append the lines that the threads formatted of the rounded weight
   entries ID, ID + 1, ... of ID's row, at most N, up to the first that
   is not decided or the end of its piece (one copy: the lines of a
   piece follow each other); *DONE = how many (0: the caller writes ID
   itself).  */
static fadj_status
put_weight_lines (writer *w, const audit_entry *id, size_t n, size_t *done)
{
  size_t k, k1, end;
  fadj_status st;

  *done = 0;
  if (w->line_slot == 0 || w->side[0] != NULL || id->kind != AUDIT_WEIGHT
      || !rounded_entry_p (w, id))
    return FADJ_OK;
  if ((st = hold_entry (w, id, &k)) != FADJ_OK)
    return st;
  end = (k / ROW_CHUNK + 1) * ROW_CHUNK;
  if (end > w->dec_len)
    end = w->dec_len;
  if (end > k + n)
    end = k + n;
  for (k1 = k; k1 < end && w->dec_st[k1] == FADJ_OK; k1++)
    ;
  if (k1 == k)
    return FADJ_OK;
  fadj_buf_put_mem (w->b, w->lines + w->line_off[k],
                    w->line_end[k1 - 1] - w->line_off[k]);
  w->zero_k = LONG_MIN;
  *done = k1 - k;
  return FADJ_OK;
}

/* Append the line begun in LINE (up to P) with the value of ID.  A
   ROUNDED entry (rounded_entry_p, wanted) is formatted into LINE and the
   line ended: one append, and *ENDED is 1 (also when its rounding is not
   decided: the caller returns).  Otherwise LINE goes out as it is, the
   value after it by put_entry, and the caller ends the line (*ENDED 0).  */

static fadj_status
put_line_value (writer *w, char *line, char *p, const audit_entry *id,
                int rounded, int *ended)
{
  *ended = rounded;
  w->zero_k = LONG_MIN;
  if (rounded)
    {
      const fadj_decimal *d;
      fadj_status st = round_entry (w, &d, id);
      if (st != FADJ_OK)
        return st;
      p = format_decimal (p, d, w->o->digits);
      p = value_tail (w, p, w->zero_k);
      *p++ = '\n';
      fadj_buf_put_mem (w->b, line, (size_t) (p - line));
      return FADJ_OK;
    }
  fadj_buf_put_mem (w->b, line, (size_t) (p - line));
  return put_entry (w, id);
}

/* ------------------------------------------------------------------ */
/* The walk over the gradient entries: the one order of the comparison
   and of every report.  Layers 1..L, each its weights row by row, then
   its bias entries; then X^0_*, input by input (each sample within), or
   sample by sample (JSON's order).  The loss is not a gradient entry:
   each report writes it on its own.                                   */

/* What the walk is at, between entries: FRAME (below) is called with
   one of these and an ID that names the layer (or AUDIT_INPUT), and for
   W_ROW the row's first entry.  */
enum
{
  W_LAYER,        /* layer ID->layer begins, with its weights */
  W_ROW,          /* a row of dJ/dW^l or of X^0_* (in the walk's order) */
  W_ROW_END,
  W_BIAS,         /* the bias entries begin (also when there are none) */
  W_LAYER_END,
  W_INPUT,        /* X^0_* begins */
  W_INPUT_END
};

/* What a walk calls: ENTRY for each entry, FRAME (may be NULL) around
   them, so that a report writes its structure.  Anything but FADJ_OK
   stops the walk.  ENTRY is a call of its own, not an event of FRAME:
   it is made a million times.  */
typedef struct
{
  fadj_status (*entry) (writer *w, const audit_entry *id);
  fadj_status (*frame) (writer *w, int at, const audit_entry *id);
  int by_sample;          /* X^0_* sample by sample (JSON's order) */
  /* May be NULL: writes entries ID ... of a row at once, at most N, as
     ENTRY would; *DONE how many (0: ENTRY writes ID).  */
  fadj_status (*entries) (writer *w, const audit_entry *id, size_t n,
                          size_t *done);
} walker;

static fadj_status
frame (writer *w, const walker *k, int at, const audit_entry *id)
{
  return k->frame != NULL ? k->frame (w, at, id) : FADJ_OK;
}

/* The ROWS x COLS entries of one matrix, row by row, in ID (the walk's
   only one, changed in place); with TRANSPOSE, row i of the walk is
   column i of the matrix (ID's col).  */
static fadj_status
walk_rows (writer *w, const walker *k, audit_entry *id, size_t rows,
           size_t cols, int transpose)
{
  size_t *r = transpose ? &id->col : &id->row;
  size_t *c = transpose ? &id->row : &id->col;
  size_t i, j;
  fadj_status st;

  for (i = 0; i < rows; i++)
    {
      *r = i;
      *c = 0;
      if ((st = frame (w, k, W_ROW, id)) != FADJ_OK)
        return st;
      for (j = 0; j < cols; j++)
        {
          size_t done = 0;

          *c = j;
          if (k->entries != NULL
              && (st = k->entries (w, id, cols - j, &done)) != FADJ_OK)
            return st;
          if (done > 0)
            j += done - 1;
          else if ((st = k->entry (w, id)) != FADJ_OK)
            return st;
        }
      if ((st = frame (w, k, W_ROW_END, id)) != FADJ_OK)
        return st;
    }
  return FADJ_OK;
}

/* Walk every gradient entry with K; returns the first failure.  */
static fadj_status
walk_entries (writer *w, const walker *k)
{
  const fadj_net *net = w->t->net;
  size_t m = w->t->m, l, i;
  audit_entry id;
  fadj_status st;

  for (l = 1; l <= net->nlayers; l++)
    {
      id.kind = AUDIT_WEIGHT;
      id.layer = l;
      id.row = id.col = 0;
      if ((st = frame (w, k, W_LAYER, &id)) != FADJ_OK
          || (st = walk_rows (w, k, &id, net->sizes[l], net->sizes[l - 1],
                              0)) != FADJ_OK)
        return st;
      id.kind = AUDIT_BIAS;
      id.row = id.col = 0;
      if ((st = frame (w, k, W_BIAS, &id)) != FADJ_OK)
        return st;
      for (i = 0; i < bias_count (net, l); i++)
        {
          id.row = i;
          if ((st = k->entry (w, &id)) != FADJ_OK)
            return st;
        }
      if ((st = frame (w, k, W_LAYER_END, &id)) != FADJ_OK)
        return st;
    }
  id.kind = AUDIT_INPUT;
  id.layer = id.row = id.col = 0;
  if ((st = frame (w, k, W_INPUT, &id)) != FADJ_OK
      || (st = walk_rows (w, k, &id, k->by_sample ? m : net->sizes[0],
                          k->by_sample ? net->sizes[0] : m,
                          k->by_sample)) != FADJ_OK)
    return st;
  return frame (w, k, W_INPUT_END, &id);
}

/* ------------------------------------------------------------------ */
/* Comparison with the reference.                                      */

/* W->e = the errors and the condition of entry ID (W->g its certified
   value, set here) against its reference R; names the entry if they are
   not decided.  */
static fadj_status
measure_entry (writer *w, const audit_entry *id, const audit_ref *r)
{
  fadj_status st;

  entry_value (w, id);
  st = audit_errs_measure (&w->e, w->g, r, w->o->ref_bits);
  if (st == FADJ_OK)
    st = audit_errs_condition (&w->e, w->t, id, w->g, r, w->o->ref_bits);
  if (st != FADJ_OK)
    audit_entry_name (w->run->undecided, sizeof w->run->undecided, id);
  return st;
}

static fadj_status
compare_entry (writer *w, const audit_entry *id)
{
  size_t set = id->kind == AUDIT_INPUT ? 0 : id->layer;
  audit_ref ref, *r = &ref;
  fadj_status st;
  fadj_num_srcptr ga, gb;
  int have_g = 0;

  if (!ref_value (w, id, r))
    return FADJ_OK;
  /* The errors only: the maxima and the summary need no condition (its
     cost is the entry's again), which the writers measure where they
     print it.  The summary reads each entry's ulp error; the maxima
     alone may take them in doubles, and those of a single product
     from its factors on integers (the entry itself only if it may be
     the worst).  */
  w->e.lazy = w->sum == NULL;
  if (id->kind == AUDIT_WEIGHT
      && fadj_trace_gradient_entry_factors (&ga, &gb, w->t, id->layer,
                                            id->row, id->col)
      && audit_errs_measure_mul (&w->e, ga, gb, r, w->o->ref_bits))
    st = FADJ_OK;
  else
    {
      entry_value (w, id);
      have_g = 1;
      st = audit_errs_measure (&w->e, w->g, r, w->o->ref_bits);
    }
  w->e.lazy = 0;
  if (st != FADJ_OK)
    {
      audit_entry_name (w->run->undecided, sizeof w->run->undecided, id);
      return st;
    }
  if (!have_g && (audit_errs_takes_g (w->layer_max + set, &w->e)
                  || audit_errs_takes_g (&w->total, &w->e)))
    entry_value (w, id);
  audit_errs_merge (w->layer_max + set, &w->e, id, w->g, r);
  audit_errs_merge (&w->total, &w->e, id, w->g, r);
  /* A bias in the summary is column N_{l-1}, the augmented convention
     of the JSON's worst entries (the bias's other uses read its row).  */
  if (w->sum != NULL)
    {
      audit_entry b = *id;
      if (b.kind == AUDIT_BIAS)
        b.col = w->t->net->sizes[b.layer - 1];
      st = audit_summary_add (w->sum, set, &b, w->e.ulp);
    }
  if (st != FADJ_OK)
    {
      audit_entry_name (w->run->undecided, sizeof w->run->undecided, id);
      return st;
    }
  return FADJ_OK;
}

/* The condition of entry ID and its error against the bound, appended
   to OUT (audit_detail_fn; CTX the writer): JSON members, or in text
   "condition C, bound B ulps, error/bound R".  Measured again: the summary and the maxima keep only
   errors.  */
static fadj_status
text_detail (fadj_buf *out, const audit_entry *id, int json, void *ctx)
{
  writer *w = ctx;
  audit_ref r;
  fadj_buf *keep = w->b;
  fadj_status st;

  if (!ref_value (w, id, &r))
    return FADJ_OK;
  if ((st = measure_entry (w, id, &r)) != FADJ_OK)
    return st;
  w->b = out;
  if (json)
    st = put_cond (w, &w->e, ", \"condition\": \"", "\", \"bound_ulps\": \"",
                   "\", \"bound_ratio\": \"");
  else
    st = put_cond (w, &w->e, "condition ", ", bound ", " ulps, "
                   "error/bound ");
  if (st == FADJ_OK && json)
    fadj_buf_puts (out, "\"");
  w->b = keep;
  return st;
}

/* Compare every entry; decide the tolerance.  */
static fadj_status
compare_all (writer *w)
{
  static const walker k = { .entry = compare_entry };
  fadj_status st = walk_entries (w, &k);
  size_t l;

  for (l = 0; l <= w->t->L; l++)
    audit_errs_settle (w->layer_max + l);
  audit_errs_settle (&w->total);
  if (st != FADJ_OK || !w->o->has_tolerance || !w->total.any)
    return st;
  st = audit_errs_exceeds (&w->run->exceeded, &w->total, w->o->tolerance);
  if (st == FADJ_UNDECIDED)
    snprintf (w->run->undecided, sizeof w->run->undecided,
              "whether the largest ulp error exceeds the tolerance");
  return st;
}

/* ------------------------------------------------------------------ */
/* Shared pieces of the reports.                                       */

static const char *
method_name (const writer *w)
{
  if (w->run->agree < 0)
    return "none";
  if (w->t->ctx.domain == FADJ_EXACT)
    return "exact";
  return w->o->check == AUDIT_CHECK_FULL ? "interval-full"
    : "interval-directional";
}

/* The layer sizes, "N0, N1, ...".  */
static void
put_sizes (writer *w)
{
  const fadj_net *net = w->t->net;
  size_t l;

  for (l = 0; l <= net->nlayers; l++)
    fadj_buf_printf (w->b, "%s%zu", l ? ", " : "", net->sizes[l]);
}

static void
put_act (writer *w, const fadj_layer *ly)
{
  fadj_buf_puts (w->b, fadj_act_name (ly->act));
  if (fadj_act_has_param_p (ly->act))
    put_q (w, "(", ly->act_param, ")");
}

/* ------------------------------------------------------------------ */
/* JSON.                                                               */

/* Append SEP and the value of ID in quotes; a rounded entry in one
   append.  */
static fadj_status
json_value (writer *w, const audit_entry *id, const char *sep)
{
  fadj_status st;

  if (rounded_entry_p (w, id))
    {
      char line[sizeof ((fadj_decimal *) NULL)->digits + 64], *p = line;
      const fadj_decimal *d;
      size_t k = strlen (sep);

      if ((st = round_entry (w, &d, id)) != FADJ_OK)
        return st;
      memcpy (p, sep, k);
      p += k;
      *p++ = '"';
      p = format_decimal (p, d, w->o->digits);
      *p++ = '"';
      fadj_buf_put_mem (w->b, line, (size_t) (p - line));
      return FADJ_OK;
    }
  fadj_buf_puts (w->b, sep);
  fadj_buf_put_mem (w->b, "\"", 1);
  st = put_entry (w, id);
  fadj_buf_put_mem (w->b, "\"", 1);
  return st;
}

static fadj_status
json_reference (writer *w)
{
  const audit_errs *e = &w->total;
  fadj_status st;

  fadj_buf_printf (w->b, ",\n  \"reference\": {\"type\": \"%s\"",
                   w->o->ref_bits == 24 ? "binary32" : "binary64");
  if (!e->any)
    {
      fadj_buf_puts (w->b, ", \"max_abs_error\": null, \"max_rel_error\": "
                     "null, \"max_ulp_error\": null, \"worst\": null}");
      return FADJ_OK;
    }
  if ((st = put_errs (w, e, ", \"max_abs_error\": \"",
                      "\", \"max_rel_error\": \"",
                      "\", \"max_ulp_error\": \"")) != FADJ_OK)
    return st;
  fadj_buf_printf (w->b, "\",\n                \"worst\": {\"layer\": %zu, "
                   "\"row\": %zu, \"col\": %zu}", e->worst.layer,
                   e->worst.row, e->worst.kind == AUDIT_BIAS
                   ? w->t->net->sizes[e->worst.layer - 1] : e->worst.col);
  if (w->o->has_tolerance)
    fadj_buf_printf (w->b, ", \"within_tolerance\": %s",
                     w->run->exceeded ? "false" : "true");
  fadj_buf_puts (w->b, "}");
  return FADJ_OK;
}

/* --entries: append S to the arrays of group G of W->side (0: the
   weights' or the input gradient's, 1: the bias's).  */
static void
side_puts (writer *w, int g, const char *s)
{
  int k;

  if (w->side[0] != NULL)
    for (k = 0; k < NSIDE; k++)
      fadj_buf_puts (w->side[g * NSIDE + k], s);
}

/* --entries: restart group G's arrays with S.  */
static void
side_reset (writer *w, int g, const char *s)
{
  int k;

  if (w->side[0] != NULL)
    for (k = 0; k < NSIDE; k++)
      {
        fadj_buf_reset (w->side[g * NSIDE + k]);
        fadj_buf_puts (w->side[g * NSIDE + k], s);
      }
}

/* --entries: append '"NAME": {"reference": [...], ...}' of group G, or
   '"NAME": null' without its arrays (NONE).  */
static void
side_flush (writer *w, const char *name, int g, int none)
{
  int k;

  fadj_buf_printf (w->b, "\"%s\": ", name);
  if (none)
    {
      fadj_buf_puts (w->b, "null");
      return;
    }
  for (k = 0; k < NSIDE; k++)
    fadj_buf_printf (w->b, "%s\"%s\": %s", k ? ",\n        " : "{",
                     side_name[k], fadj_buf_data (w->side[g * NSIDE + k],
                                                  NULL));
  fadj_buf_puts (w->b, "}");
}

/* The JSON around the entries: per layer an object with the weights'
   rows as arrays and the bias gradient (an array: one entry for a bias
   shared by the layer, whose gradient is the sum over its neurons; or
   null), and with --entries their reference values and errors in
   arrays of the same shapes; then the input gradient, one array per
   sample (the arrays of --entries written by write_json).  */
static fadj_status
json_frame (writer *w, int at, const audit_entry *id)
{
  /* Layer ID->layer's, read only where there is a layer.  */
  const fadj_layer *ly = id->layer ? w->t->net->layers + id->layer - 1
    : NULL;
  const char *s = NULL;

  switch (at)
    {
    case W_LAYER:
      fadj_buf_printf (w->b, "%s\n    {\"layer\": %zu, \"weights_gradient\": "
                       "[", id->layer > 1 ? "," : "", id->layer);
      side_reset (w, 0, "[");
      side_reset (w, 1, "[");
      break;
    case W_ROW:
      if (id->kind == AUDIT_INPUT)
        s = id->col ? ", [" : "[";
      else
        s = id->row ? ",\n      [" : "\n      [";
      break;
    case W_ROW_END:
      s = "]";
      break;
    case W_BIAS:
      fadj_buf_puts (w->b, "],\n     \"bias_gradient\": ");
      fadj_buf_puts (w->b, !ly->has_bias ? "null" : "[");
      side_puts (w, 0, "]");
      break;
    case W_LAYER_END:
      if (ly->has_bias)
        fadj_buf_puts (w->b, "]");
      side_puts (w, 1, "]");
      if (w->side[0] != NULL)
        {
          fadj_buf_puts (w->b, ",\n     \"entries\": {");
          side_flush (w, "weights", 0, 0);
          fadj_buf_puts (w->b, ",\n       ");
          side_flush (w, "bias", 1, !ly->has_bias);
          fadj_buf_puts (w->b, "}");
        }
      fadj_buf_puts (w->b, "}");
      break;
    case W_INPUT:
      fadj_buf_puts (w->b, "\n  ],\n  \"input_gradient\": [");
      side_reset (w, 0, "[");
      break;
    case W_INPUT_END:
      side_puts (w, 0, "]");
      break;
    default:
      break;
    }
  if (s != NULL)
    {
      fadj_buf_puts (w->b, s);
      side_puts (w, 0, s);
    }
  return FADJ_OK;
}

/* --entries: append SEP and the reference value and errors of ID to the
   arrays of W->side (group 1 for a bias).  */
static fadj_status
json_side_entry (writer *w, const audit_entry *id, const char *sep)
{
  fadj_buf *keep = w->b;
  int g = id->kind == AUDIT_BIAS;
  audit_ref r;
  fadj_status st;
  int k;

  if (!ref_value (w, id, &r))
    return FADJ_OK;
  if ((st = measure_entry (w, id, &r)) != FADJ_OK)
    return st;
  for (k = 0; k < NSIDE && st == FADJ_OK; k++)
    {
      w->b = w->side[g * NSIDE + k];
      fadj_buf_puts (w->b, sep);
      fadj_buf_puts (w->b, "\"");
      switch (k)
        {
        case 0:
          put_ref (w, "", audit_ref_get_q (w->e.rq, &r), "");
          break;
        case 1:
          st = put_num (w, w->e.ulp, -ERR_DIGITS, NULL);
          break;
        case 2:
          st = put_cond (w, &w->e, "", NULL, NULL);
          break;
        default:
          st = put_ratio (w, &w->e);
        }
      fadj_buf_puts (w->b, "\"");
    }
  w->b = keep;
  return st;
}

/* One entry of the gradients in JSON.  The first of its row (a bias
   entry's row is the layer's bias, an input entry's the sample) goes
   without a comma.  */
static fadj_status
json_entry (writer *w, const audit_entry *id)
{
  const char *sep = (id->kind == AUDIT_WEIGHT ? id->col : id->row)
    ? ", " : "";
  fadj_status st = id->kind == AUDIT_WEIGHT && rounded_entry_p (w, id)
    ? put_weight_line (w, id) : json_value (w, id, sep);

  if (st == FADJ_OK && w->side[0] != NULL)
    st = json_side_entry (w, id, sep);
  return st;
}

static fadj_status
write_json (writer *w)
{
  static const walker k = { .entry = json_entry, .frame = json_frame,
                            .by_sample = 1, .entries = put_weight_lines };
  const fadj_trace *t = w->t;
  const fadj_net *net = t->net;
  size_t l;
  fadj_status st;

  fadj_buf_printf (w->b, "{\n  \"fadj_version\": \"%s\",\n  \"network\": "
                   "{\"sizes\": [", fadj_version ());
  put_sizes (w);
  fadj_buf_puts (w->b, "], \"activations\": [");
  for (l = 0; l < net->nlayers; l++)
    {
      fadj_buf_puts (w->b, l ? ", \"" : "\"");
      put_act (w, net->layers + l);
      fadj_buf_puts (w->b, "\"");
    }
  fadj_buf_printf (w->b, "], \"loss\": \"%s\", \"batch\": \"%s\", "
                   "\"samples\": %zu},\n", fadj_loss_name (net->loss),
                   net->batch == FADJ_BATCH_MEAN ? "mean" : "sum", t->m);
  fadj_buf_printf (w->b, "  \"exact\": %s, \"digits\": %d, "
                   "\"precision_bits\": %ld,\n",
                   t->ctx.domain == FADJ_EXACT ? "true" : "false",
                   w->o->digits, t->ctx.domain == FADJ_EXACT ? 0L
                   : (long) t->ctx.prec);
  if ((st = json_value (w, &loss_id, "  \"loss\": ")) != FADJ_OK)
    return st;
  fadj_buf_puts (w->b, ",\n  \"layers\": [");
  if ((st = walk_entries (w, &k)) != FADJ_OK)
    return st;
  fadj_buf_puts (w->b, "]");
  if (w->side[0] != NULL)
    {
      fadj_buf_puts (w->b, ",\n  ");
      side_flush (w, "input_gradient_entries", 0,
                  !w->ref->has_input_gradient);
    }
  fadj_buf_printf (w->b, ",\n  \"zeros\": [%s%s],\n  \"verification\": "
                   "{\"method\": \"%s\", \"agree\": %s}",
                   fadj_buf_data (w->zeros_json, NULL),
                   w->run->zeros > 0 ? "\n  " : "", method_name (w),
                   w->run->agree < 0 ? "null"
                   : w->run->agree ? "true" : "false");
  if (w->ref != NULL && (st = json_reference (w)) != FADJ_OK)
    return st;
  if (w->sum != NULL
      && (st = audit_summary_write_json (w->b, w->sum, w->o->worst,
                                         text_detail, w)) != FADJ_OK)
    return st;
  fadj_buf_puts (w->b, "\n}\n");
  return FADJ_OK;
}

/* ------------------------------------------------------------------ */
/* CSV: one row per value.                                             */

static fadj_status
csv_row (writer *w, const audit_entry *id)
{
  audit_ref r;
  char line[sizeof ((fadj_decimal *) NULL)->digits + 128 + TAIL_MAX];
  char *p = line;
  size_t k;
  fadj_status st;
  int ended;

  /* "layer,kind,row,col," by hand (printf is a measurable part of a
     million rows); with the value and the end of the line for a
     rounded entry without a reference: one append.  */
  if (id->kind == AUDIT_WEIGHT && w->ref == NULL && rounded_entry_p (w, id))
    return put_weight_line (w, id);
  k = strlen (kind_name[id->kind]);
  p = audit_put_uz (p, id->layer);
  *p++ = ',';
  memcpy (p, kind_name[id->kind], k);
  p += k;
  *p++ = ',';
  p = audit_put_uz (p, id->row);
  *p++ = ',';
  p = audit_put_uz (p, id->col);
  *p++ = ',';
  st = put_line_value (w, line, p, id,
                       w->ref == NULL && rounded_entry_p (w, id), &ended);
  if (st != FADJ_OK || ended)
    return st;
  if (w->ref != NULL)
    {
      if (!ref_value (w, id, &r))
        fadj_buf_puts (w->b, ",,,,,,,");
      else
        {
          if ((st = measure_entry (w, id, &r)) != FADJ_OK)
            return st;
          put_ref (w, ",", audit_ref_get_q (w->e.rq, &r), ",");
          if ((st = put_errs (w, &w->e, "", ",", ",")) != FADJ_OK
              || (st = put_cond (w, &w->e, ",", ",", ",")) != FADJ_OK)
            return st;
        }
    }
  put_value_tail (w);
  fadj_buf_puts (w->b, "\n");
  return FADJ_OK;
}

static fadj_status
write_csv (writer *w)
{
  static const walker k = { .entry = csv_row,
                            .entries = put_weight_lines };
  fadj_status st;

  fadj_buf_printf (w->b, "layer,kind,row,col,value%s,abs_bound\n",
                   w->ref != NULL ? ",reference,abs_error,rel_error,ulp_error,"
                   "condition,bound_ulps,bound_ratio" : "");
  if ((st = csv_row (w, &loss_id)) != FADJ_OK)
    return st;
  return walk_entries (w, &k);
}

/* ------------------------------------------------------------------ */
/* Text: a readable report per layer.                                  */

static fadj_status
text_errors (writer *w, const audit_errs *e, const char *indent)
{
  char name[96];
  fadj_status st;

  if (!e->any)
    return FADJ_OK;
  fadj_buf_printf (w->b, "%sreference (%s): ", indent,
                   w->o->ref_bits == 24 ? "binary32" : "binary64");
  if ((st = put_errs (w, e, "max abs error ", ", max rel error ",
                      ", max ulp error ")) != FADJ_OK)
    return st;
  audit_entry_name (name, sizeof name, &e->worst);
  fadj_buf_printf (w->b, "\n%s  worst: %s, certified ", indent, name);
  if ((st = put_num (w, e->worst_g, w->o->digits, &e->worst)) != FADJ_OK)
    return st;
  put_ref (w, ", reference ", e->worst_r, "\n");
  if (e->worst.kind == AUDIT_LOSS)
    return FADJ_OK;
  fadj_buf_printf (w->b, "%s  ", indent);
  if ((st = text_detail (w->b, &e->worst, 0, w)) != FADJ_OK)
    return st;
  fadj_buf_puts (w->b, "\n");
  return FADJ_OK;
}

/* One line of the text report, "  NAME = VALUE\n"; a rounded entry's
   in one append.  */
static fadj_status
text_value (writer *w, const audit_entry *id)
{
  /* entry_name needs 96 bytes for its fast path.  */
  char line[sizeof ((fadj_decimal *) NULL)->digits + 160 + TAIL_MAX];
  char *p = line;
  fadj_status st;
  int ended;

  if (id->kind == AUDIT_WEIGHT && rounded_entry_p (w, id))
    return put_weight_line (w, id);
  if (id->kind == AUDIT_WEIGHT)
    {
      /* "  dJ/dW^l[i," changes once per row: kept, and the column
         appended.  */
      if (w->row_name_len == 0 || w->row_layer != id->layer
          || w->row_row != id->row)
        {
          char *q = w->row_name;
          memcpy (q, "  dJ/dW^", 8);
          q = audit_put_uz (q + 8, id->layer);
          *q++ = '[';
          q = audit_put_uz (q, id->row + 1);
          *q++ = ',';
          w->row_name_len = (size_t) (q - w->row_name);
          w->row_layer = id->layer;
          w->row_row = id->row;
        }
      /* All of ROW_NAME: a fixed size, copied by a few moves.  */
      memcpy (p, w->row_name, sizeof w->row_name);
      p = audit_put_uz (p + w->row_name_len, id->col + 1);
      *p++ = ']';
    }
  else
    {
      *p++ = ' ';
      *p++ = ' ';
      p += audit_entry_name (p, 100, id);
    }
  memcpy (p, " = ", 3);
  p += 3;
  st = put_line_value (w, line, p, id, rounded_entry_p (w, id), &ended);
  if (!ended)
    {
      put_value_tail (w);
      fadj_buf_put_mem (w->b, "\n", 1);
    }
  return st;
}

/* The text report around the entries: per layer a heading, and after
   its entries its errors against the reference; the same for the
   input gradient.  */
static fadj_status
text_frame (writer *w, int at, const audit_entry *id)
{
  const fadj_net *net = w->t->net;

  switch (at)
    {
    case W_LAYER:
      fadj_buf_printf (w->b, "\nlayer %zu (", id->layer);
      put_act (w, net->layers + id->layer - 1);
      fadj_buf_printf (w->b, "): dJ/dW^%zu, %zu x %zu%s\n", id->layer,
                       net->sizes[id->layer], net->sizes[id->layer - 1],
                       net->layers[id->layer - 1].has_bias
                       ? ", and dJ/db" : "");
      break;
    case W_LAYER_END:
      return text_errors (w, w->layer_max + id->layer, "  ");
    case W_INPUT:
      fadj_buf_puts (w->b, "\ninput gradient dJ/dX^0\n");
      break;
    case W_INPUT_END:
      return text_errors (w, w->layer_max, "  ");
    default:
      break;
    }
  return FADJ_OK;
}

/* The text report's first lines: the network, the arithmetic, the
   check.  */
static void
text_head (writer *w)
{
  const fadj_trace *t = w->t;
  const fadj_net *net = t->net;
  size_t l;

  fadj_buf_printf (w->b, "fadj-audit %s: ", fadj_version ());
  fadj_buf_put_ctl_escaped (w->b, w->o->file);
  fadj_buf_puts (w->b, "\nnetwork: A[");
  put_sizes (w);
  fadj_buf_puts (w->b, "], activations ");
  for (l = 0; l < net->nlayers; l++)
    {
      if (l)
        fadj_buf_puts (w->b, ", ");
      put_act (w, net->layers + l);
    }
  fadj_buf_printf (w->b, "\nloss %s; batch %s, m = %zu sample%s\n",
                   fadj_loss_name (net->loss),
                   net->batch == FADJ_BATCH_MEAN ? "mean" : "sum", t->m,
                   t->m == 1 ? "" : "s");
  if (t->ctx.domain == FADJ_EXACT && w->o->exact_fraction)
    fadj_buf_puts (w->b, "arithmetic: exact rationals; every value is "
                   "printed exactly\n");
  else if (t->ctx.domain == FADJ_EXACT)
    fadj_buf_printf (w->b, "arithmetic: exact rationals, each value "
                     "printed correctly rounded to %d digits\n",
                     w->o->digits);
  else
    fadj_buf_printf (w->b, "arithmetic: intervals at %ld bits; %d "
                     "significant digits, each certified\n",
                     (long) t->ctx.prec, w->o->digits);
  fadj_buf_printf (w->b, "verification: %s", method_name (w));
  if (w->run->agree < 0)
    fadj_buf_puts (w->b, " (no check)\n");
  else if (w->run->agree)
    fadj_buf_printf (w->b, ": agree (%zu %s compared)\n",
                     w->run->check.compared,
                     w->o->check == AUDIT_CHECK_FULL ? "entries"
                     : "directional derivative");
  else
    fadj_buf_puts (w->b, ": DISAGREE\n");
}

static void
text_tolerance (writer *w)
{
  put_q (w, "  tolerance ", w->o->tolerance, " ulps: ");
  fadj_buf_puts (w->b, w->run->exceeded ? "EXCEEDED\n" : "within\n");
}

static fadj_status
write_text (writer *w)
{
  static const walker k = { .entry = text_value, .frame = text_frame,
                            .entries = put_weight_lines };
  fadj_status st;

  text_head (w);
  fadj_buf_puts (w->b, "loss: J = ");
  entry_value (w, &loss_id);
  w->zero_k = LONG_MIN;
  if ((st = put_num (w, w->g, w->o->digits, &loss_id)) != FADJ_OK)
    return st;
  if (w->ref != NULL && w->ref->has_loss)
    put_ref (w, " (reference ", w->ref->loss, ")");
  put_value_tail (w);
  fadj_buf_puts (w->b, "\n");
  if (w->sum != NULL)
    {
      /* The summary instead of the entries: the statistics are what a
         reader of a million entries wants first.  */
      st = audit_summary_write_text (w->b, w->sum, w->o->worst,
                                     w->o->ref_bits == 24 ? "binary32"
                                     : "binary64", text_detail, w);
      if (st == FADJ_OK && w->o->has_tolerance)
        text_tolerance (w);
      return st;
    }
  if ((st = walk_entries (w, &k)) != FADJ_OK)
    return st;
  if (w->ref != NULL)
    {
      fadj_buf_puts (w->b, "\nall entries:\n");
      if ((st = text_errors (w, &w->total, "  ")) != FADJ_OK)
        return st;
      if (w->o->has_tolerance)
        text_tolerance (w);
    }
  return FADJ_OK;
}

/* ------------------------------------------------------------------ */

fadj_status
audit_write (fadj_buf *out, audit_run *run, const fadj_trace *t,
             const fadj_ref *ref, const audit_opts *o)
{
  writer w;
  size_t l;
  fadj_status st = FADJ_OK;

  memset (&w, 0, sizeof w);
  w.b = out;
  w.run = run;
  w.t = t;
  w.ref = ref;
  w.o = o;
  w.zero_k = LONG_MIN;
  /* The threads format the lines of rounded weight entries where such
     an entry is a line of its own: not in CSV with a reference (its
     errors follow, measured by the main thread).  */
  if (o->format != AUDIT_CSV || ref == NULL)
    w.line_slot = (size_t) o->digits + 48 + 160 + TAIL_MAX;
  {
    mpq_t zero;
    mpq_init (zero);
    fadj_decimal_round_q (&w.zero, zero, o->digits);
    mpq_clear (zero);
  }
  if (o->format == AUDIT_JSON && (w.zeros_json = fadj_buf_new ()) == NULL)
    return FADJ_ERR_NOMEM;
  if (o->format == AUDIT_JSON && o->entries && ref != NULL)
    for (l = 0; l < 2 * NSIDE; l++)
      if ((w.side[l] = fadj_buf_new ()) == NULL)
        {
          while (l-- > 0)
            fadj_buf_free (w.side[l]);
          fadj_buf_free (w.zeros_json);
          return FADJ_ERR_NOMEM;
        }
  fadj_num_init (w.g, &t->ctx);
  audit_errs_init (&w.e, &t->ctx);
  audit_errs_init (&w.total, &t->ctx);
  w.layer_max = malloc ((t->L + 1) * sizeof *w.layer_max);
  if (w.layer_max == NULL)
    st = FADJ_ERR_NOMEM;
  else
    for (l = 0; l <= t->L; l++)
      audit_errs_init (w.layer_max + l, &t->ctx);
  if (st == FADJ_OK && ref != NULL && o->summary
      && (w.sum = audit_summary_new (t->L + 1)) == NULL)
    st = FADJ_ERR_NOMEM;
  if (st == FADJ_OK && ref != NULL)
    st = compare_all (&w);
  if (st == FADJ_OK && w.sum != NULL)
    audit_summary_finish (w.sum);
  if (st == FADJ_OK)
    switch (o->format)
      {
      case AUDIT_JSON:
        st = write_json (&w);
        break;
      case AUDIT_CSV:
        st = write_csv (&w);
        break;
      default:
        st = write_text (&w);
      }
  if (w.layer_max != NULL)
    for (l = 0; l <= t->L; l++)
      audit_errs_clear (w.layer_max + l);
  free (w.layer_max);
  audit_errs_clear (&w.e);
  audit_errs_clear (&w.total);
  fadj_num_clear (w.g);
  free (w.s);
  block_free (&w);
  round_workers_free (&w);
  fadj_buf_free (w.zeros_json);
  audit_summary_free (w.sum);
  for (l = 0; l < 2 * NSIDE; l++)
    fadj_buf_free (w.side[l]);
  return st;
}
