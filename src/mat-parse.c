/* mat-parse.c -- the reader of statements and bracketed matrices, shared
   by network files (net-parse.c) and reference gradient files
   (ref-parse.c), so that the two formats have one grammar of matrices
   and one message for each mistake.

   matrix      := '[' (flat-rows | nested-rows) ']'
   flat-rows   := row? ((';' | NEWLINE) row?)*
   row         := NUMBER (','? NUMBER)*
   nested-rows := (sep* inner)* sep*      sep := ',' | ';' | NEWLINE
   inner       := '[' NUMBER (','? NUMBER)* ']'

   The first token after the outer '[' (newlines skipped) decides: another
   '[' means nested rows.  Newlines are tokens only at depth 1, where a
   newline ends a flat row; inside an inner row they are whitespace.
   The only nesting is that of brackets, bounded at two, so the recursion
   depth is constant whatever the input.  Rows are read through the
   lexer's fast path for plain numbers (fadj_lexer_next_simple_number):
   a weight matrix is the bulk of a network file.  */

#include "mat-parse.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const fadj_ctx exact_ctx = { .domain = FADJ_EXACT };

#if defined(__GNUC__)
# define ALWAYS_INLINE inline __attribute__ ((always_inline))
#else
# define ALWAYS_INLINE inline
#endif

/* ------------------------------------------------------------------ */
/* Tokens and errors.                                                  */

void
fadj_reader_init (fadj_reader *r, fadj_error *err, const char *text,
                  size_t len)
{
  err->line = err->col = 0;
  err->msg[0] = '\0';
  r->err = err;
  r->depth = 0;
  r->entries = 0;
  r->digits = 0;
  fadj_lexer_init (&r->lx, text, len);
  fadj_reader_next (r);
}

void
fadj_reader_next (fadj_reader *r)
{
  r->lx.newlines = r->depth == 1;
  fadj_lexer_next (&r->lx, &r->tok);
}

/* fadj_reader_next after an entry of a matrix row, where most tokens
   are numbers: the lexer's fast path first.  */
static void
next_entry (fadj_reader *r)
{
  if (!fadj_lexer_next_simple_number (&r->lx, &r->tok))
    fadj_reader_next (r);
}

fadj_pos
fadj_reader_pos (const fadj_reader *r)
{
  fadj_pos w = { .line = r->tok.line, .col = r->tok.col };
  return w;
}

int
fadj_reader_name_p (const fadj_reader *r, const char *name)
{
  return r->tok.kind == FADJ_TOK_NAME && strlen (name) == r->tok.len
    && memcmp (name, r->lx.text + r->tok.start, r->tok.len) == 0;
}

static fadj_status
error_va (fadj_reader *r, fadj_status st, fadj_pos w, const char *fmt,
          va_list ap)
{
  r->err->line = w.line;
  r->err->col = w.col;
  vsnprintf (r->err->msg, sizeof r->err->msg, fmt, ap);
  return st;
}

fadj_status
fadj_reader_error (fadj_reader *r, fadj_status st, fadj_pos w,
                   const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  st = error_va (r, st, w, fmt, ap);
  va_end (ap);
  return st;
}

fadj_status
fadj_reader_nomem (fadj_reader *r)
{
  return fadj_reader_error (r, FADJ_ERR_NOMEM, fadj_reader_pos (r),
                            "out of memory");
}

/* A lexical error token is never what the grammar expects, so this is
   also where the lexer's own message surfaces, at the lexer's
   position.  */
fadj_status
fadj_reader_expected (fadj_reader *r, const char *fmt, ...)
{
  char what[256], found[64];
  va_list ap;

  if (r->tok.kind == FADJ_TOK_ERROR)
    {
      fadj_pos w = { .line = r->lx.err_line, .col = r->lx.err_col };
      return fadj_reader_error (r, FADJ_ERR_INPUT, w, "%s", r->lx.msg);
    }
  va_start (ap, fmt);
  vsnprintf (what, sizeof what, fmt, ap);
  va_end (ap);
  fadj_token_describe (found, sizeof found, &r->lx, &r->tok);
  return fadj_reader_error (r, FADJ_ERR_INPUT, fadj_reader_pos (r),
                            "expected %s, found %s", what, found);
}

fadj_status
fadj_reader_duplicate (fadj_reader *r, fadj_pos at, const char *what,
                       fadj_pos first)
{
  return fadj_reader_error (r, FADJ_ERR_INPUT, at, "duplicate '%s' "
                            "statement (the first is at line %ld, column "
                            "%ld)", what, first.line, first.col);
}

fadj_status
fadj_reader_once (fadj_reader *r, fadj_pos *seen, const char *kw)
{
  if (seen->line != 0)
    return fadj_reader_duplicate (r, fadj_reader_pos (r), kw, *seen);
  *seen = fadj_reader_pos (r);
  fadj_reader_next (r);
  return FADJ_OK;
}

fadj_status
fadj_reader_once_arg (fadj_reader *r, fadj_pos *seen, const char *kw,
                      fadj_tok_kind arg, const char *what)
{
  fadj_status st;

  if ((st = fadj_reader_once (r, seen, kw)) != FADJ_OK)
    return st;
  if (r->tok.kind != arg)
    return fadj_reader_expected (r, "%s after '%s'", what, kw);
  return FADJ_OK;
}

fadj_status
fadj_reader_number (fadj_reader *r, mpq_t q)
{
  const char *s = r->lx.text + r->tok.start, *msg;
  size_t errpos;
  char quoted[64];
  fadj_pos w;

  if (fadj_number_parse (q, s, r->tok.len, &errpos, &msg) == 0)
    return FADJ_OK;
  w.line = r->tok.line;
  w.col = r->tok.col + (long) errpos;
  return fadj_reader_error (r, FADJ_ERR_INPUT, w, "invalid number %s: %s",
                            fadj_quote (quoted, sizeof quoted, s,
                                        r->tok.len), msg);
}

int
fadj_reader_fraction_p (const fadj_reader *r)
{
  return memchr (r->lx.text + r->tok.start, '/', r->tok.len) != NULL;
}

fadj_status
fadj_reader_once_number (fadj_reader *r, fadj_pos *seen, const char *kw,
                         mpq_t q)
{
  fadj_status st;

  if ((st = fadj_reader_once_arg (r, seen, kw, FADJ_TOK_NUMBER,
                                  "a number")) != FADJ_OK)
    return st;
  return fadj_reader_number (r, q);
}

/* ------------------------------------------------------------------ */
/* Statements.                                                         */

fadj_status
fadj_reader_statements (fadj_reader *r, const fadj_statement *table,
                        size_t n, void *ctx)
{
  char list[256];
  size_t i, len = 0;
  fadj_status st;

  while (r->tok.kind != FADJ_TOK_EOF)
    {
      for (i = 0; i < n && !fadj_reader_name_p (r, table[i].keyword); i++)
        ;
      if (i == n)
        {
          for (i = 0; i < n; i++)
            len += (size_t) snprintf (list + len, sizeof list - len, "%s%s",
                                      i ? ", " : "", table[i].keyword);
          return fadj_reader_expected (r, "a statement (%s)", list);
        }
      if ((st = table[i].parse (ctx)) != FADJ_OK)
        return st;
    }
  return FADJ_OK;
}

/* ------------------------------------------------------------------ */
/* Matrices.                                                           */

fadj_status
fadj_reader_bracket (fadj_reader *r, const char *what, const char *kw)
{
  if (r->tok.kind != FADJ_TOK_LBRACKET)
    return fadj_reader_expected (r, "'[' to start a %s after '%s'", what,
                                 kw);
  return FADJ_OK;
}

/* The entries read so far, row-major, handed over to a fadj_mat at the
   end (the layout is the same, so nothing is copied).  Only the first
   N entries are initialised.

   In compact mode (weights read with FADJ_PARSE_COMPACT) the entries
   are kept as long as they are all plain decimals, or all hexadecimal
   floats (BASE 10 or 2): the digits in K and in X the number of decimal
   places (K / 10^X) or the binary exponent (K 2^X); E unused.  The first
   literal of another form turns what was read into rationals
   (acc_decompact) and the matrix goes on in the ordinary way; so does a
   matrix whose common scale does not fit (acc_finish_compact).

   In scaled mode (FADJ_READ_SCALED, a reference file's gradients) the
   same, but X is the exponent of BASE (K BASE^X for decimals too, with
   an exponent or not) and the entries keep their own scales
   (fadj_mat's scaled form).  */
typedef struct
{
  fadj_num_struct *e;
  int compact, base;
  int64_t *k;
  long *x;
  size_t n, cap;
  size_t rows, cols;    /* complete non-empty rows; the first one's length */
  size_t rowlen;        /* entries of the row being read */
  fadj_pos rowstart;
  int frac;             /* some entry is written as a fraction p/q */
} mat_acc;

static void
acc_free (mat_acc *a)
{
  size_t k;

  if (!a->compact)
    for (k = 0; k < a->n; k++)
      fadj_num_clear (a->e + k);
  free (a->e);
  free (a->k);
  free (a->x);
  a->e = NULL;
  a->k = NULL;
  a->x = NULL;
  a->n = a->cap = 0;
}

/* Q = compact entry I of A.  */
static void
acc_get_q (mpq_t q, const mat_acc *a, size_t i)
{
  if (a->compact == FADJ_READ_SCALED)
    {
      fadj_scaled_get_q (q, a->k[i], a->x[i], a->base);
      return;
    }
  mpq_set_si (q, (long) a->k[i], 1);
  if (a->base == 10)
    mpz_set_ui (mpq_denref (q), (unsigned long) fadj_pow10_lo[a->x[i]]);
  else if (a->x[i] < 0)
    mpz_mul_2exp (mpq_denref (q), mpq_denref (q),
                  (mp_bitcnt_t) -a->x[i]);
  else
    mpz_mul_2exp (mpq_numref (q), mpq_numref (q), (mp_bitcnt_t) a->x[i]);
  mpq_canonicalize (q);
}

/* Leave compact mode: the entries read so far become rationals (the
   values fadj_number_parse would have read).  */
static fadj_status
acc_decompact (fadj_reader *r, mat_acc *a)
{
  fadj_num_struct *e;
  size_t k;

  e = malloc ((a->cap ? a->cap : 1) * sizeof *e);
  if (e == NULL)
    return fadj_reader_nomem (r);
  for (k = 0; k < a->n; k++)
    {
      fadj_num_init (e + k, &exact_ctx);
      acc_get_q (FADJ_NUM_Q (&e[k]), a, k);
    }
  free (a->k);
  free (a->x);
  a->k = NULL;
  a->x = NULL;
  a->e = e;
  a->compact = 0;
  return FADJ_OK;
}

/* Room for one more entry.  */
static fadj_status
acc_grow (fadj_reader *r, mat_acc *a)
{
  /* FADJ_MAX_ENTRIES bounds the size, so the doubling cannot overflow.  */
  size_t cap = a->cap ? 2 * a->cap : 16;

  if (a->compact)
    {
      int64_t *k = realloc (a->k, cap * sizeof *k);
      long *x;
      if (k == NULL)
        return fadj_reader_nomem (r);
      a->k = k;
      x = realloc (a->x, cap * sizeof *x);
      if (x == NULL)
        return fadj_reader_nomem (r);
      a->x = x;
    }
  else
    {
      fadj_num_struct *e = realloc (a->e, cap * sizeof *e);
      if (e == NULL)
        return fadj_reader_nomem (r);
      a->e = e;
    }
  a->cap = cap;
  return FADJ_OK;
}

/* fadj_reader_classify, inlined into acc_push: a call per entry made
   the one-thread parse 7 % longer (callgrind).  */
static ALWAYS_INLINE int
classify (const char *text, const fadj_token *tok, int compact, int64_t *v,
          long *x)
{
  const char *s = text + tok->start;
  size_t len = tok->len;
  size_t o = len > 0 && (s[0] == '-' || s[0] == '+');
  int places = tok->places;

  *v = tok->value;
  *x = 0;
  /* A hexadecimal float (a model's export) goes straight to its
     reader, unless the lexer's fast path has read it already.  */
  if (tok->form == FADJ_FORM_HEX)
    {
      *x = tok->exp;
      return 2;
    }
  if (o + 1 < len && s[o] == '0' && (s[o + 1] == 'x' || s[o + 1] == 'X'))
    return fadj_number_dyadic (v, x, s, len) ? 2 : 0;
  /* The lexer's fast path has read a plain decimal already.  */
  if (tok->plain || (tok->form == FADJ_FORM_NONE
                     && fadj_number_plain (v, &places, s, len)))
    {
      *x = compact != FADJ_READ_SCALED ? places : *v != 0 ? -places : 0;
      return 10;
    }
  if (compact == FADJ_READ_SCALED && tok->form == FADJ_FORM_DECIMAL)
    *x = tok->exp;
  if (compact == FADJ_READ_SCALED
      && (tok->form == FADJ_FORM_DECIMAL
          || fadj_number_decimal (v, x, s, len)))
    return *x >= -FADJ_SCALED_EXP10_MAX && *x <= FADJ_SCALED_EXP10_MAX
      ? 10 : 0;
  return 0;
}

int
fadj_reader_classify (const char *text, const fadj_token *tok, int compact,
                      int64_t *v, long *x)
{
  return classify (text, tok, compact, v, x);
}

/* Append the lookahead NUMBER to the current row.  */
static fadj_status
acc_push (fadj_reader *r, mat_acc *a)
{
  const char *s = r->lx.text + r->tok.start;
  fadj_status st;
  int64_t v = 0;
  long x = 0;
  int base = a->compact ? classify (r->lx.text, &r->tok, a->compact, &v, &x)
    : 0;

  /* Once the first row has given the width, a longer row is refused at
     its entry one too many, as it is read, not at its end: a second row
     of 5e6 entries after a first of 2 costs no memory (a shorter row is
     refused at its end, acc_end_row).  */
  if (a->rows > 0 && a->rowlen >= a->cols)
    return fadj_reader_error (r, FADJ_ERR_INPUT, fadj_reader_pos (r),
                              "row %zu has more entries than row 1 (%zu)",
                              a->rows + 1, a->cols);
  /* The limit is for the whole file, all matrices together: the file
     cannot ask for more memory than that many numbers take.  */
  if (r->entries >= FADJ_MAX_ENTRIES)
    return fadj_reader_error (r, FADJ_ERR_LIMIT, fadj_reader_pos (r),
                              "too many numbers in the file (the limit is "
                              "%d)", FADJ_MAX_ENTRIES);
  /* And the memory their exact values can take: 10^7 literals such as
     1e99999 are each a 41 KB rational.  A literal classified is valid:
     its exponent is found from its end.  */
  r->digits += base == 0 ? fadj_number_digits (s, r->tok.len)
    : r->tok.plain || r->tok.form != FADJ_FORM_NONE ? r->tok.digits
    : fadj_number_digits_valid (s, r->tok.len, base == 2);
  if (r->digits > FADJ_MAX_FILE_DIGITS)
    return fadj_reader_error (r, FADJ_ERR_LIMIT, fadj_reader_pos (r),
                              "the numbers of the file are too long in "
                              "total (the limit is %lld decimal digits, "
                              "exponents counted)",
                              (long long) FADJ_MAX_FILE_DIGITS);
  /* No matrix of either file format has a side longer than
     FADJ_MAX_WIDTH (a layer's width, the input's, the number of
     samples): a longer row is refused at its first entry too many, as
     it is read, before it costs memory (a 10 MB row of 5e6 entries
     took 431 MB before its refusal once it was complete).  */
  if (a->rowlen >= FADJ_MAX_WIDTH)
    return fadj_reader_error (r, FADJ_ERR_LIMIT, fadj_reader_pos (r),
                              "a row of the matrix has more than %d "
                              "entries (the limit is %d)", FADJ_MAX_WIDTH,
                              FADJ_MAX_WIDTH);
  if (a->n == a->cap && (st = acc_grow (r, a)) != FADJ_OK)
    return st;
  if (a->compact)
    {
      if (base != 0 && (a->base == 0 || a->base == base))
        {
          a->base = base;
          a->k[a->n] = v;
          a->x[a->n] = x;
          a->n++;
          a->rowlen++;
          r->entries++;
          return FADJ_OK;
        }
      if ((st = acc_decompact (r, a)) != FADJ_OK)
        return st;
    }
  fadj_num_init (a->e + a->n, &exact_ctx);
  st = fadj_reader_number (r, FADJ_NUM_Q (&a->e[a->n]));
  if (st != FADJ_OK)
    {
      fadj_num_clear (a->e + a->n);
      return st;
    }
  /* The document prints the matrix as it was written (fadj_mat's
     WRITTEN); a plain decimal or a hexadecimal float, the compact
     path above, is never a fraction.  */
  if (fadj_reader_fraction_p (r))
    a->frac = 1;
  a->n++;
  a->rowlen++;
  r->entries++;
  return FADJ_OK;
}

/* Close the current row.  Empty rows (blank lines, a trailing ';') are
   not rows at all; every other row must be as long as the first (a
   longer one was refused at its entry one too many, acc_push).  */
static fadj_status
acc_end_row (fadj_reader *r, mat_acc *a)
{
  if (a->rowlen == 0)
    return FADJ_OK;
  /* The same bound on the number of rows (acc_push), at the row one
     too many.  */
  if (a->rows >= FADJ_MAX_WIDTH)
    return fadj_reader_error (r, FADJ_ERR_LIMIT, a->rowstart,
                              "the matrix has more than %d rows (the "
                              "limit is %d)", FADJ_MAX_WIDTH,
                              FADJ_MAX_WIDTH);
  if (a->rows == 0)
    a->cols = a->rowlen;
  else if (a->rowlen != a->cols)
    return fadj_reader_error (r, FADJ_ERR_INPUT, a->rowstart,
                              "row %zu has %zu %s but row 1 has %zu",
                              a->rows + 1, a->rowlen,
                              fadj_plural (a->rowlen, "entry", "entries"),
                              a->cols);
  a->rows++;
  a->rowlen = 0;
  return FADJ_OK;
}

/* NUMBER ','?: the lookahead into the row, and a ',' must be followed
   by a number.  It runs once per entry of every matrix, so it is
   inlined into both loops that read rows, as it was written out in
   each before they shared it: a call per entry made a weight matrix's
   parse 1.4 % longer (instructions counted by callgrind).  */
static ALWAYS_INLINE fadj_status
read_entry (fadj_reader *r, mat_acc *a)
{
  fadj_status st;

  if ((st = acc_push (r, a)) != FADJ_OK)
    return st;
  next_entry (r);
  if (r->tok.kind == FADJ_TOK_COMMA)
    {
      fadj_reader_next (r);
      if (r->tok.kind != FADJ_TOK_NUMBER)
        return fadj_reader_expected (r, "a number after ','");
    }
  return FADJ_OK;
}

/* The bracket opened at OPEN is not closed where it should be.  */
static fadj_status
expected_close (fadj_reader *r, fadj_pos open)
{
  return fadj_reader_expected (r, "']' to close the bracket opened at "
                               "line %ld, column %ld", open.line, open.col);
}

/* flat-rows, entered after the opening '[' (at OPEN); leaves the closing
   ']' as the lookahead.  */
static fadj_status
read_flat_rows (fadj_reader *r, mat_acc *a, fadj_pos open)
{
  fadj_status st;

  for (;;)
    switch (r->tok.kind)
      {
      case FADJ_TOK_NUMBER:
        if (a->rowlen == 0)
          a->rowstart = fadj_reader_pos (r);
        if ((st = read_entry (r, a)) != FADJ_OK)
          return st;
        break;
      case FADJ_TOK_SEMICOLON:
      case FADJ_TOK_NEWLINE:
        if ((st = acc_end_row (r, a)) != FADJ_OK)
          return st;
        fadj_reader_next (r);
        break;
      case FADJ_TOK_RBRACKET:
        return acc_end_row (r, a);
      case FADJ_TOK_COMMA:
        return fadj_reader_expected (r, "a number");
      case FADJ_TOK_LBRACKET:
        return fadj_reader_expected (r, "a number, ';' or ']' (a matrix is "
                                     "either [1 2; 3 4] or [[1, 2], "
                                     "[3, 4]])");
      default:
        return expected_close (r, open);
      }
}

/* inner: one row in its own brackets; newlines inside are whitespace.
   Leaves its ']' as the lookahead.  */
static fadj_status
read_inner_row (fadj_reader *r, mat_acc *a)
{
  fadj_pos open = fadj_reader_pos (r);
  fadj_status st;

  a->rowstart = open;
  r->depth = 2;
  fadj_reader_next (r);
  if (r->tok.kind != FADJ_TOK_NUMBER && r->tok.kind != FADJ_TOK_LBRACKET)
    return fadj_reader_expected (r, "a number");
  for (;;)
    switch (r->tok.kind)
      {
      case FADJ_TOK_NUMBER:
        if ((st = read_entry (r, a)) != FADJ_OK)
          return st;
        break;
      case FADJ_TOK_RBRACKET:
        return FADJ_OK;
      case FADJ_TOK_LBRACKET:
        return fadj_reader_error (r, FADJ_ERR_INPUT, fadj_reader_pos (r),
                                  "brackets nested too deeply (a matrix has "
                                  "at most two levels, as in [[1, 2], "
                                  "[3, 4]])");
      default:
        return expected_close (r, open);
      }
}

/* nested-rows, entered after the outer '[' (at OPEN); leaves the outer
   ']' as the lookahead.  */
static fadj_status
read_nested_rows (fadj_reader *r, mat_acc *a, fadj_pos open)
{
  fadj_status st;

  for (;;)
    {
      while (r->tok.kind == FADJ_TOK_COMMA
             || r->tok.kind == FADJ_TOK_SEMICOLON
             || r->tok.kind == FADJ_TOK_NEWLINE)
        fadj_reader_next (r);
      if (r->tok.kind == FADJ_TOK_RBRACKET)
        return FADJ_OK;
      if (r->tok.kind == FADJ_TOK_EOF)
        return expected_close (r, open);
      if (r->tok.kind != FADJ_TOK_LBRACKET)
        return fadj_reader_expected (r, "'[' to start a row, or ']' to "
                                     "close the bracket opened at line %ld, "
                                     "column %ld", open.line, open.col);
      if ((st = read_inner_row (r, a)) != FADJ_OK)
        return st;
      r->depth = 1;
      fadj_reader_next (r);
      if ((st = acc_end_row (r, a)) != FADJ_OK)
        return st;
    }
}

/* |K| < 2^62 after a shift by SH bits (0 <= SH), or: does K << SH fit.  */
static int
fits_shifted (int64_t k, long sh)
{
  uint64_t a = k < 0 ? -(uint64_t) k : (uint64_t) k;
  return sh < 62 && a < (UINT64_C (1) << (62 - sh));
}

/* The end of a compact matrix: every entry on a common scale, K / DEN
   with DEN the least common denominator of the entries, as
   fadj_intdot_init finds it from rationals, and |K| < 2^62 for the
   integer kernel (beyond that, the ordinary form).  Decimals: the scale
   10^P (P the most places of any entry), reduced by the greatest common
   divisor of 10^P and all of K.  Hexadecimal floats M 2^X (M odd): the
   scale 2^-XMIN, XMIN the least exponent of a nonzero entry, whose M
   being odd makes it the least common denominator already.  */
static fadj_status
acc_finish_compact (fadj_reader *r, mat_acc *a, fadj_mat *m)
{
  size_t k;
  long lo = LONG_MAX, hi = 0;
  uint64_t den, g;

  /* The scale: the extreme exponents of the nonzero entries.  */
  for (k = 0; k < a->n; k++)
    if (a->k[k] != 0)
      {
        if (a->x[k] < lo)
          lo = a->x[k];
        if (a->x[k] > hi)
          hi = a->x[k];
      }
  if (lo == LONG_MAX)
    lo = hi = 0;                /* all zero */
  if (a->base == 10)
    {
      /* K 10^(HI - X) over 10^HI: fits if each product does.  */
      for (k = 0; k < a->n; k++)
        {
          int64_t p;
          if (a->k[k] != 0
              && (__builtin_mul_overflow (a->k[k], (int64_t)
                                          fadj_pow10_lo[hi - a->x[k]], &p)
                  || !fits_shifted (p, 0)))
            return acc_decompact (r, a);
        }
      /* Only now, when it cannot fail: scale in place.  */
      den = fadj_pow10_lo[hi];
      for (k = 0; k < a->n; k++)
        if (a->k[k] != 0)
          a->k[k] *= (int64_t) fadj_pow10_lo[hi - a->x[k]];
    }
  else
    {
      /* M 2^(X - LO) over 2^-LO (or M 2^X over 1 when LO >= 0).  */
      long base = lo < 0 ? lo : 0;
      if (-base >= 62)
        return acc_decompact (r, a);
      for (k = 0; k < a->n; k++)
        if (a->k[k] != 0 && !fits_shifted (a->k[k], a->x[k] - base))
          return acc_decompact (r, a);
      den = UINT64_C (1) << -base;
      for (k = 0; k < a->n; k++)
        if (a->k[k] != 0)
          a->k[k] = (int64_t) ((uint64_t) a->k[k] << (a->x[k] - base));
    }
  g = den;
  for (k = 0; k < a->n && g > 1; k++)
    g = fadj_gcd_u64 (g, a->k[k] < 0 ? -(uint64_t) a->k[k]
                      : (uint64_t) a->k[k]);
  if (g > 1)
    for (k = 0; k < a->n; k++)
      a->k[k] /= (int64_t) g;
  if (a->n < a->cap)
    {
      int64_t *kk = realloc (a->k, a->n * sizeof *kk);
      if (kk != NULL)
        a->k = kk;
    }
  free (a->x);
  a->x = NULL;
  m->rows = a->rows;
  m->cols = a->cols;
  m->e = NULL;
  m->k = a->k;
  m->den = den / g;
  a->k = NULL;
  return FADJ_OK;
}

/* The rows read by the threads (mat-rows.c) into A, as read_flat_rows
   would have read them, leaving the ']' the lookahead: 1; or 0, A and
   the reader untouched.  */
static int
read_rows_parallel (fadj_reader *r, mat_acc *a)
{
  fadj_rows rows;

  if (!fadj_reader_rows_parallel (r, a->compact, &rows))
    return 0;
  a->k = rows.k;
  a->x = rows.x;
  a->n = a->cap = rows.n;
  a->rows = rows.rows;
  a->cols = rows.cols;
  a->base = rows.base;
  return 1;
}

fadj_status
fadj_reader_matrix (fadj_reader *r, fadj_mat *m, fadj_pos *where,
                    int compact)
{
  mat_acc a = { 0 };
  fadj_pos open = fadj_reader_pos (r);
  fadj_status st;

  /* The compact form stores digits in an int64 and converts them with
     mpz_set_si.  */
  a.compact = sizeof (long) >= 8 ? compact : FADJ_READ_ORDINARY;
  *where = open;
  r->depth = 1;
  if (a.compact && read_rows_parallel (r, &a))
    st = FADJ_OK;
  else
    {
      fadj_reader_next (r);
      while (r->tok.kind == FADJ_TOK_NEWLINE)
        fadj_reader_next (r);
      if (r->tok.kind == FADJ_TOK_LBRACKET)
        st = read_nested_rows (r, &a, open);
      else
        st = read_flat_rows (r, &a, open);
    }
  if (st == FADJ_OK && a.n == 0)
    st = fadj_reader_error (r, FADJ_ERR_INPUT, open, "empty matrix");
  r->depth = 0;
  if (st != FADJ_OK)
    {
      acc_free (&a);
      return st;
    }
  fadj_reader_next (r);         /* the closing ']' */
  if (a.compact == FADJ_READ_SCALED)
    {
      if (a.n < a.cap)
        {
          /* Give back the doubling's slack, as below.  */
          int64_t *k = realloc (a.k, a.n * sizeof *k);
          long *x = realloc (a.x, a.n * sizeof *x);
          if (k != NULL)
            a.k = k;
          if (x != NULL)
            a.x = x;
        }
      m->rows = a.rows;
      m->cols = a.cols;
      m->e = NULL;
      m->k = a.k;
      m->den = 0;
      m->x = a.x;
      m->base = a.base;
      m->written = FADJ_WRITTEN_DECIMAL;
      return FADJ_OK;
    }
  if (a.compact)
    {
      if ((st = acc_finish_compact (r, &a, m)) != FADJ_OK)
        {
          acc_free (&a);
          return st;
        }
      m->written = FADJ_WRITTEN_DECIMAL;
      if (m->k != NULL)
        return FADJ_OK;
    }
  if (a.n < a.cap)
    {
      /* Give back the doubling's slack; a failure to shrink is harmless.  */
      fadj_num_struct *e = realloc (a.e, a.n * sizeof *e);
      if (e != NULL)
        a.e = e;
    }
  m->rows = a.rows;
  m->cols = a.cols;
  m->e = a.e;
  m->written = a.frac ? FADJ_WRITTEN_FRACTION : FADJ_WRITTEN_DECIMAL;
  return FADJ_OK;
}

fadj_status
fadj_reader_vector (fadj_reader *r, fadj_mat *m, const char *what,
                    fadj_pos where)
{
  if (m->rows == 1)
    {
      m->rows = m->cols;
      m->cols = 1;
    }
  else if (m->cols != 1)
    return fadj_reader_error (r, FADJ_ERR_INPUT, where, "%s must be a "
                              "vector (one row or one column), found a %zu "
                              "x %zu matrix", what, m->rows, m->cols);
  return FADJ_OK;
}
