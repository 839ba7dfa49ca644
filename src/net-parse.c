/* net-parse.c -- the parser of network files (the format is fadj-net(5)).

   file      := statement* EOF
   statement := 'title' STRING
              | 'input' matrix | 'target' matrix
              | 'sample' matrix '->' matrix
              | 'batch' ('sum' | 'mean')
              | 'layer' NAME ('(' NUMBER ')')?
              | 'weights' matrix | 'bias' (matrix | NUMBER) | 'frozen'
              | 'loss' NAME
              | 'rate' NUMBER

   Statements are free-form: a newline outside brackets is whitespace,
   and each statement starts with its keyword, looked up in a table so
   that new statements are one row and one function.  'weights' and
   'bias' (and 'frozen', which follows a bias) belong to the most recent
   'layer'; the other statements may stand anywhere.  One sample is
   'input' and 'target'; a batch is one or more 'sample' statements, and
   the two forms do not mix.  Sizes are therefore checked only at
   the end, when every part is known: N_0 from the input, N_l from the
   rows of W^l.

   Recursive descent with one token of lookahead.  The only nesting is
   that of brackets, bounded at two ([[1, 2], [3, 4]]), so the recursion
   depth is constant whatever the input.  Every error stops the parse
   with a located message (fadj_error) and frees all that was built: the
   network under construction is always in a state fadj_net_free
   accepts.  */

#include "fadj-impl.h"
#include "lex.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Limits (fadj.h, documented in fadj-net(5)).  They keep a hostile or
   mistaken file from asking for unbounded memory or time.  */
#define MAX_LAYERS FADJ_MAX_LAYERS
#define MAX_WIDTH FADJ_MAX_WIDTH
#define MAX_ENTRIES FADJ_MAX_ENTRIES

typedef struct
{
  long line, col;       /* line 0: absent */
} pos_t;

/* Where each part of a layer was written, for the messages of the final
   size checks.  */
typedef struct
{
  pos_t kw;             /* the 'layer' keyword */
  pos_t w_kw, b_kw;     /* the 'weights' and 'bias' keywords */
  pos_t w, b;           /* the '[' of their matrices (or the number) */
  pos_t frozen;         /* the 'frozen' keyword */
} layer_pos;

/* One 'sample X -> Y' statement, until the end of the file makes the
   batch matrices of it.  */
typedef struct
{
  fadj_mat x, y;
  pos_t kw, xlit, ylit;
} sample_t;

typedef struct
{
  fadj_lexer lx;
  fadj_token tok;       /* the lookahead */
  int depth;            /* bracket depth; rows end at newlines at depth 1 */
  size_t entries;       /* numbers read so far, for MAX_ENTRIES */
  fadj_error *err;
  fadj_net *net;        /* under construction, owned */
  size_t cap;           /* allocated entries of net->layers and lpos */
  layer_pos *lpos;
  pos_t title, input, target, loss;   /* the keywords */
  pos_t batch, rate;
  pos_t input_lit, target_lit;        /* the '[' of their matrices */
  sample_t *samples;
  size_t nsamples, samples_cap;
  unsigned flags;       /* FADJ_PARSE_* */
} parser;

static const fadj_ctx exact_ctx = { FADJ_EXACT, 0 };

/* ------------------------------------------------------------------ */
/* Tokens and errors.                                                  */

static void
advance (parser *p)
{
  p->lx.newlines = p->depth == 1;
  fadj_lexer_next (&p->lx, &p->tok);
}

/* advance after an entry of a matrix row, where most tokens are
   numbers: the lexer's fast path first.  */
static void
advance_entry (parser *p)
{
  if (!fadj_lexer_next_simple_number (&p->lx, &p->tok))
    advance (p);
}

static pos_t
tok_pos (const parser *p)
{
  pos_t w = { p->tok.line, p->tok.col };
  return w;
}

static fadj_status
error_at (parser *p, fadj_status st, pos_t w, const char *fmt, ...)
#if defined(__GNUC__)
  __attribute__ ((format (printf, 4, 5)))
#endif
  ;

static fadj_status
error_at (parser *p, fadj_status st, pos_t w, const char *fmt, ...)
{
  va_list ap;

  p->err->line = w.line;
  p->err->col = w.col;
  va_start (ap, fmt);
  vsnprintf (p->err->msg, sizeof p->err->msg, fmt, ap);
  va_end (ap);
  return st;
}

static fadj_status
error_nomem (parser *p)
{
  return error_at (p, FADJ_ERR_NOMEM, tok_pos (p), "out of memory");
}

/* "expected WHAT, found TOKEN" at the lookahead.  A lexical error token
   is never what the grammar expects, so this is also where the lexer's
   own message surfaces, at the lexer's position.  */
static fadj_status
error_expected (parser *p, const char *fmt, ...)
#if defined(__GNUC__)
  __attribute__ ((format (printf, 2, 3)))
#endif
  ;

static fadj_status
error_expected (parser *p, const char *fmt, ...)
{
  char what[256], found[64];
  va_list ap;

  if (p->tok.kind == FADJ_TOK_ERROR)
    {
      pos_t w = { p->lx.err_line, p->lx.err_col };
      return error_at (p, FADJ_ERR_INPUT, w, "%s", p->lx.msg);
    }
  va_start (ap, fmt);
  vsnprintf (what, sizeof what, fmt, ap);
  va_end (ap);
  fadj_token_describe (found, sizeof found, &p->lx, &p->tok);
  return error_at (p, FADJ_ERR_INPUT, tok_pos (p), "expected %s, found %s",
                   what, found);
}

static const char *
plural (size_t n, const char *one, const char *many)
{
  return n == 1 ? one : many;
}

/* The lookahead NUMBER into Q; a bad literal is reported at the very
   byte where it goes wrong.  */
static fadj_status
number_get (parser *p, mpq_t q)
{
  const char *s = p->lx.text + p->tok.start, *msg;
  size_t errpos;
  char quoted[64];
  pos_t w;

  if (fadj_number_parse (q, s, p->tok.len, &errpos, &msg) == 0)
    return FADJ_OK;
  w.line = p->tok.line;
  w.col = p->tok.col + (long) errpos;
  return error_at (p, FADJ_ERR_INPUT, w, "invalid number %s: %s",
                   fadj_quote (quoted, sizeof quoted, s, p->tok.len), msg);
}

/* ------------------------------------------------------------------ */
/* Matrices.                                                           */

/* The entries read so far, row-major, handed over to a fadj_mat at the
   end (the layout is the same, so nothing is copied).  Only the first
   N entries are initialised.

   In compact mode (weights read with FADJ_PARSE_COMPACT) the entries
   are kept as long as they are all plain decimals, or all hexadecimal
   floats (BASE 10 or 2): the digits in K and in X the number of decimal
   places (K / 10^X) or the binary exponent (K 2^X); E unused.  The first
   literal of another form turns what was read into rationals
   (acc_decompact) and the matrix goes on in the ordinary way; so does a
   matrix whose common scale does not fit (acc_finish_compact).  */
typedef struct
{
  fadj_num_struct *e;
  int compact, base;
  int64_t *k;
  long *x;
  size_t n, cap;
  size_t rows, cols;    /* complete non-empty rows; the first one's length */
  size_t rowlen;        /* entries of the row being read */
  pos_t rowstart;
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
acc_decompact (parser *p, mat_acc *a)
{
  fadj_num_struct *e;
  size_t k;

  e = malloc ((a->cap ? a->cap : 1) * sizeof *e);
  if (e == NULL)
    return error_nomem (p);
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
acc_grow (parser *p, mat_acc *a)
{
  /* MAX_ENTRIES bounds the size, so the doubling cannot overflow.  */
  size_t cap = a->cap ? 2 * a->cap : 16;

  if (a->compact)
    {
      int64_t *k = realloc (a->k, cap * sizeof *k);
      long *x;
      if (k == NULL)
        return error_nomem (p);
      a->k = k;
      x = realloc (a->x, cap * sizeof *x);
      if (x == NULL)
        return error_nomem (p);
      a->x = x;
    }
  else
    {
      fadj_num_struct *e = realloc (a->e, cap * sizeof *e);
      if (e == NULL)
        return error_nomem (p);
      a->e = e;
    }
  a->cap = cap;
  return FADJ_OK;
}

/* Append the lookahead NUMBER to the current row.  */
static fadj_status
acc_push (parser *p, mat_acc *a)
{
  fadj_status st;

  if (p->entries >= MAX_ENTRIES)
    return error_at (p, FADJ_ERR_LIMIT, tok_pos (p),
                     "too many numbers in the file (the limit is %d)",
                     MAX_ENTRIES);
  if (a->n == a->cap && (st = acc_grow (p, a)) != FADJ_OK)
    return st;
  if (a->compact)
    {
      const char *s = p->lx.text + p->tok.start;
      int64_t v = p->tok.value;
      int places = p->tok.places, base = 0;
      long x = 0;
      /* The lexer's fast path has read a plain decimal already.  */
      if (p->tok.plain || fadj_number_plain (&v, &places, s, p->tok.len))
        {
          base = 10;
          x = places;
        }
      else if (fadj_number_dyadic (&v, &x, s, p->tok.len))
        base = 2;
      if (base != 0 && (a->base == 0 || a->base == base))
        {
          a->base = base;
          a->k[a->n] = v;
          a->x[a->n] = x;
          a->n++;
          a->rowlen++;
          p->entries++;
          return FADJ_OK;
        }
      if ((st = acc_decompact (p, a)) != FADJ_OK)
        return st;
    }
  fadj_num_init (a->e + a->n, &exact_ctx);
  st = number_get (p, FADJ_NUM_Q (&a->e[a->n]));
  if (st != FADJ_OK)
    {
      fadj_num_clear (a->e + a->n);
      return st;
    }
  a->n++;
  a->rowlen++;
  p->entries++;
  return FADJ_OK;
}

/* Close the current row.  Empty rows (blank lines, a trailing ';') are
   not rows at all; every other row must be as long as the first.  */
static fadj_status
acc_end_row (parser *p, mat_acc *a)
{
  if (a->rowlen == 0)
    return FADJ_OK;
  if (a->rows == 0)
    a->cols = a->rowlen;
  else if (a->rowlen != a->cols)
    return error_at (p, FADJ_ERR_INPUT, a->rowstart,
                     "row %zu has %zu %s but row 1 has %zu", a->rows + 1,
                     a->rowlen, plural (a->rowlen, "entry", "entries"),
                     a->cols);
  a->rows++;
  a->rowlen = 0;
  return FADJ_OK;
}

/* After a ',' a number must follow.  */
static fadj_status
after_comma (parser *p)
{
  advance (p);
  if (p->tok.kind != FADJ_TOK_NUMBER)
    return error_expected (p, "a number after ','");
  return FADJ_OK;
}

/* flat-rows := row? ((';' | NEWLINE) row?)*
   row       := NUMBER (','? NUMBER)*
   Entered after the opening '[' (at OPEN); leaves the closing ']' as the
   lookahead.  */
static fadj_status
parse_flat_rows (parser *p, mat_acc *a, pos_t open)
{
  fadj_status st;

  for (;;)
    switch (p->tok.kind)
      {
      case FADJ_TOK_NUMBER:
        if (a->rowlen == 0)
          a->rowstart = tok_pos (p);
        if ((st = acc_push (p, a)) != FADJ_OK)
          return st;
        advance_entry (p);
        if (p->tok.kind == FADJ_TOK_COMMA
            && (st = after_comma (p)) != FADJ_OK)
          return st;
        break;
      case FADJ_TOK_SEMICOLON:
      case FADJ_TOK_NEWLINE:
        if ((st = acc_end_row (p, a)) != FADJ_OK)
          return st;
        advance (p);
        break;
      case FADJ_TOK_RBRACKET:
        return acc_end_row (p, a);
      case FADJ_TOK_COMMA:
        return error_expected (p, "a number");
      case FADJ_TOK_LBRACKET:
        return error_expected (p, "a number, ';' or ']' (a matrix is "
                               "either [1 2; 3 4] or [[1, 2], [3, 4]])");
      default:
        return error_expected (p, "']' to close the bracket opened at "
                               "line %ld, column %ld", open.line, open.col);
      }
}

/* inner := '[' NUMBER (','? NUMBER)* ']'
   One row in its own brackets; newlines inside are whitespace.  Leaves
   its ']' as the lookahead.  */
static fadj_status
parse_inner_row (parser *p, mat_acc *a)
{
  pos_t open = tok_pos (p);
  fadj_status st;

  a->rowstart = open;
  p->depth = 2;
  advance (p);
  if (p->tok.kind != FADJ_TOK_NUMBER && p->tok.kind != FADJ_TOK_LBRACKET)
    return error_expected (p, "a number");
  for (;;)
    switch (p->tok.kind)
      {
      case FADJ_TOK_NUMBER:
        if ((st = acc_push (p, a)) != FADJ_OK)
          return st;
        advance_entry (p);
        if (p->tok.kind == FADJ_TOK_COMMA
            && (st = after_comma (p)) != FADJ_OK)
          return st;
        break;
      case FADJ_TOK_RBRACKET:
        return FADJ_OK;
      case FADJ_TOK_LBRACKET:
        return error_at (p, FADJ_ERR_INPUT, tok_pos (p),
                         "brackets nested too deeply (a matrix has at most "
                         "two levels, as in [[1, 2], [3, 4]])");
      default:
        return error_expected (p, "']' to close the bracket opened at "
                               "line %ld, column %ld", open.line, open.col);
      }
}

/* nested-rows := (sep* inner)* sep*      sep := ',' | ';' | NEWLINE
   Leaves the outer ']' as the lookahead.  */
static fadj_status
parse_nested_rows (parser *p, mat_acc *a, pos_t open)
{
  fadj_status st;

  for (;;)
    switch (p->tok.kind)
      {
      case FADJ_TOK_COMMA:
      case FADJ_TOK_SEMICOLON:
      case FADJ_TOK_NEWLINE:
        advance (p);
        break;
      case FADJ_TOK_LBRACKET:
        if ((st = parse_inner_row (p, a)) != FADJ_OK)
          return st;
        p->depth = 1;
        advance (p);
        if ((st = acc_end_row (p, a)) != FADJ_OK)
          return st;
        break;
      case FADJ_TOK_RBRACKET:
        return FADJ_OK;
      case FADJ_TOK_EOF:
        return error_expected (p, "']' to close the bracket opened at "
                               "line %ld, column %ld", open.line, open.col);
      default:
        return error_expected (p, "'[' to start a row, or ']' to close the "
                               "bracket opened at line %ld, column %ld",
                               open.line, open.col);
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
acc_finish_compact (parser *p, mat_acc *a, fadj_mat *m)
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
          int64_t r;
          if (a->k[k] != 0
              && (__builtin_mul_overflow (a->k[k], (int64_t)
                                          fadj_pow10_lo[hi - a->x[k]], &r)
                  || !fits_shifted (r, 0)))
            return acc_decompact (p, a);
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
        return acc_decompact (p, a);
      for (k = 0; k < a->n; k++)
        if (a->k[k] != 0 && !fits_shifted (a->k[k], a->x[k] - base))
          return acc_decompact (p, a);
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

/* matrix := '[' (flat-rows | nested-rows) ']'
   The first token after the '[' decides: another '[' means nested rows.
   On success M is a new exact matrix and *WHERE the '[' position; on
   error M is untouched.  COMPACT: try the compact form (mat_acc).  */
static fadj_status
parse_matrix (parser *p, fadj_mat *m, pos_t *where, int compact)
{
  mat_acc a = { 0 };
  pos_t open = tok_pos (p);
  fadj_status st;

  /* The compact form stores digits in an int64 and converts them with
     mpz_set_si.  */
  a.compact = compact && sizeof (long) >= 8;
  *where = open;
  p->depth = 1;
  advance (p);
  while (p->tok.kind == FADJ_TOK_NEWLINE)
    advance (p);
  if (p->tok.kind == FADJ_TOK_LBRACKET)
    st = parse_nested_rows (p, &a, open);
  else
    st = parse_flat_rows (p, &a, open);
  if (st == FADJ_OK && a.n == 0)
    st = error_at (p, FADJ_ERR_INPUT, open, "empty matrix");
  p->depth = 0;
  if (st != FADJ_OK)
    {
      acc_free (&a);
      return st;
    }
  advance (p);              /* the closing ']' */
  if (a.compact)
    {
      if ((st = acc_finish_compact (p, &a, m)) != FADJ_OK)
        {
          acc_free (&a);
          return st;
        }
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
  return FADJ_OK;
}

/* A vector may be written as one row or one column; it is kept as a
   column, N x 1, as the F-propagation uses it.  */
static fadj_status
matrix_to_vector (parser *p, fadj_mat *m, const char *what, pos_t where)
{
  if (m->rows == 1)
    {
      m->rows = m->cols;
      m->cols = 1;
    }
  else if (m->cols != 1)
    return error_at (p, FADJ_ERR_INPUT, where, "%s must be a vector (one "
                     "row or one column), found a %zu x %zu matrix",
                     what, m->rows, m->cols);
  return FADJ_OK;
}

/* ------------------------------------------------------------------ */
/* Statements.  Each is entered with its keyword as the lookahead.     */

static fadj_status
error_duplicate (parser *p, const char *kw, pos_t first)
{
  return error_at (p, FADJ_ERR_INPUT, tok_pos (p), "duplicate '%s' "
                   "statement (the first is at line %ld, column %ld)",
                   kw, first.line, first.col);
}

/* title-stmt := 'title' STRING  */
static fadj_status
parse_title (parser *p)
{
  const char *s;
  char *t;
  size_t i, n = 0;

  if (p->title.line != 0)
    return error_duplicate (p, "title", p->title);
  p->title = tok_pos (p);
  advance (p);
  if (p->tok.kind != FADJ_TOK_STRING)
    return error_expected (p, "a string after 'title'");
  /* The lexer has checked the escapes; drop the quotes and the
     backslashes.  */
  s = p->lx.text + p->tok.start;
  t = malloc (p->tok.len - 1);
  if (t == NULL)
    return error_nomem (p);
  for (i = 1; i + 1 < p->tok.len; i++)
    {
      if (s[i] == '\\')
        i++;
      t[n++] = s[i];
    }
  t[n] = '\0';
  p->net->title = t;
  advance (p);
  return FADJ_OK;
}

/* data-stmt := ('input' | 'target') matrix  */
static fadj_status
parse_data (parser *p, const char *kw, pos_t *kwpos, pos_t *lit,
            fadj_mat *m)
{
  fadj_status st;

  if (kwpos->line != 0)
    return error_duplicate (p, kw, *kwpos);
  if (p->nsamples > 0)
    return error_at (p, FADJ_ERR_INPUT, tok_pos (p), "'%s' cannot be mixed "
                     "with 'sample' statements (the first is at line %ld, "
                     "column %ld)", kw, p->samples[0].kw.line,
                     p->samples[0].kw.col);
  *kwpos = tok_pos (p);
  advance (p);
  if (p->tok.kind != FADJ_TOK_LBRACKET)
    return error_expected (p, "'[' to start a matrix after '%s'", kw);
  if ((st = parse_matrix (p, m, lit, 0)) != FADJ_OK
      || (st = matrix_to_vector (p, m, kw, *lit)) != FADJ_OK)
    return st;
  if (m->rows > MAX_WIDTH)
    return error_at (p, FADJ_ERR_LIMIT, *lit, "%s has %zu entries; the "
                     "limit is %d", kw, m->rows, MAX_WIDTH);
  return FADJ_OK;
}

static fadj_status
parse_input (parser *p)
{
  return parse_data (p, "input", &p->input, &p->input_lit,
                     &p->net->input);
}

static fadj_status
parse_target (parser *p)
{
  return parse_data (p, "target", &p->target, &p->target_lit,
                     &p->net->target);
}

/* Copy the lookahead NAME into BUF as a C string; a name too long for
   BUF is no known name, and comes back empty.  */
static const char *
name_get (parser *p, char *buf, size_t size)
{
  if (p->tok.len >= size)
    buf[0] = '\0';
  else
    {
      memcpy (buf, p->lx.text + p->tok.start, p->tok.len);
      buf[p->tok.len] = '\0';
    }
  return buf;
}

/* Make room for one more layer in the network and in LPOS.  */
static fadj_status
layers_grow (parser *p)
{
  size_t cap;
  fadj_layer *ly;
  layer_pos *lp;

  if (p->net->nlayers < p->cap)
    return FADJ_OK;
  cap = p->cap ? 2 * p->cap : 4;
  ly = realloc (p->net->layers, cap * sizeof *ly);
  if (ly == NULL)
    return error_nomem (p);
  p->net->layers = ly;
  lp = realloc (p->lpos, cap * sizeof *lp);
  if (lp == NULL)
    return error_nomem (p);
  p->lpos = lp;
  p->cap = cap;
  return FADJ_OK;
}

/* layer-stmt := 'layer' NAME ('(' NUMBER ')')?  */
/* The current token names no known WHAT: say so, listing the COUNT
   names that NAME_OF gives, at the token.  */
static const char *
act_name_of (int k)
{
  return fadj_act_name ((fadj_act_kind) k);
}

static const char *
loss_name_of (int k)
{
  return fadj_loss_name ((fadj_loss_kind) k);
}

static fadj_status
error_unknown_name (parser *p, const char *what, const char *(*name_of) (int),
                    int count)
{
  char quoted[64], known[256];
  int k, n = 0;

  for (k = 0; k < count; k++)
    n += snprintf (known + n, sizeof known - (size_t) n, "%s%s",
                   k ? ", " : "", name_of (k));
  fadj_quote (quoted, sizeof quoted, p->lx.text + p->tok.start, p->tok.len);
  return error_at (p, FADJ_ERR_INPUT, tok_pos (p), "unknown %s %s; known: %s",
                   what, quoted, known);
}

static fadj_status
parse_layer (parser *p)
{
  fadj_net *net = p->net;
  fadj_layer *ly;
  fadj_status st;
  char name[32];
  int k;

  if (net->nlayers >= MAX_LAYERS)
    return error_at (p, FADJ_ERR_LIMIT, tok_pos (p),
                     "too many layers (the limit is %d)", MAX_LAYERS);
  if ((st = layers_grow (p)) != FADJ_OK)
    return st;
  /* Count the layer at once, so that fadj_net_free releases it.  */
  ly = &net->layers[net->nlayers];
  memset (ly, 0, sizeof *ly);
  mpq_init (ly->act_param);
  memset (&p->lpos[net->nlayers], 0, sizeof *p->lpos);
  p->lpos[net->nlayers].kw = tok_pos (p);
  net->nlayers++;

  advance (p);
  if (p->tok.kind != FADJ_TOK_NAME)
    return error_expected (p, "an activation name after 'layer'");
  k = fadj_act_lookup (name_get (p, name, sizeof name));
  if (k < 0)
    {
      return error_unknown_name (p, "activation", act_name_of,
                                 FADJ_ACT_COUNT);
    }
  ly->act = (fadj_act_kind) k;
  advance (p);

  if (p->tok.kind == FADJ_TOK_LPAREN)
    {
      pos_t open = tok_pos (p);
      if (!fadj_act_has_param_p (ly->act))
        return error_at (p, FADJ_ERR_INPUT, open, "activation '%s' takes "
                         "no parameter", fadj_act_name (ly->act));
      advance (p);
      if (p->tok.kind != FADJ_TOK_NUMBER)
        return error_expected (p, "a number");
      if ((st = number_get (p, ly->act_param)) != FADJ_OK)
        return st;
      ly->has_act_param = 1;
      advance (p);
      if (p->tok.kind != FADJ_TOK_RPAREN)
        return error_expected (p, "')' to close the '(' at line %ld, "
                               "column %ld", open.line, open.col);
      advance (p);
    }
  else
    fadj_act_default_param (ly->act_param, ly->act);  /* leaky_relu 1/100,
                                                         elu 1 */
  return FADJ_OK;
}

/* weights-stmt := 'weights' matrix
   bias-stmt    := 'bias' (matrix | NUMBER)
   Both belong to the most recent layer.  A NUMBER is one bias shared by
   every neuron of the layer; it is kept as a 1 x 1 matrix until the end
   of the file, when N_l is known (parse_finish repeats it).  */
static fadj_status
parse_layer_matrix (parser *p, int bias)
{
  const char *kw = bias ? "bias" : "weights";
  fadj_layer *ly;
  layer_pos *lp;
  pos_t *lit, *kwpos;
  size_t l;
  fadj_status st;

  if (p->net->nlayers == 0)
    return error_at (p, FADJ_ERR_INPUT, tok_pos (p), "'%s' before any "
                     "'layer' statement (it belongs to the layer above it)",
                     kw);
  l = p->net->nlayers;
  ly = &p->net->layers[l - 1];
  lp = &p->lpos[l - 1];
  lit = bias ? &lp->b : &lp->w;
  kwpos = bias ? &lp->b_kw : &lp->w_kw;
  if (kwpos->line != 0)
    return error_at (p, FADJ_ERR_INPUT, tok_pos (p), "layer %zu already "
                     "has %s (given at line %ld, column %ld)", l,
                     bias ? "a bias" : "weights", kwpos->line, kwpos->col);
  *kwpos = tok_pos (p);
  advance (p);
  if (bias && p->tok.kind == FADJ_TOK_NUMBER)
    {
      *lit = tok_pos (p);
      if ((st = fadj_mat_init (&ly->b, 1, 1, &exact_ctx)) != FADJ_OK)
        return error_nomem (p);
      ly->has_bias = 1;
      ly->bias_shared = 1;
      if ((st = number_get (p, FADJ_NUM_Q (&ly->b.e[0]))) != FADJ_OK)
        return st;
      advance (p);
      return FADJ_OK;
    }
  if (p->tok.kind != FADJ_TOK_LBRACKET)
    return error_expected (p, bias ? "'[' to start a vector, or a number "
                           "(one bias shared by the layer), after 'bias'"
                           : "'[' to start a matrix after '%s'", kw);
  if (bias)
    {
      if ((st = parse_matrix (p, &ly->b, lit, 0)) != FADJ_OK)
        return st;
      ly->has_bias = 1;
      return matrix_to_vector (p, &ly->b, "bias", *lit);
    }
  if ((st = parse_matrix (p, &ly->w, lit,
                           (p->flags & FADJ_PARSE_COMPACT) != 0)) != FADJ_OK)
    return st;
  if (ly->w.rows > MAX_WIDTH)
    return error_at (p, FADJ_ERR_LIMIT, *lit, "layer %zu has %zu neurons; "
                     "the limit is %d", l, ly->w.rows, MAX_WIDTH);
  return FADJ_OK;
}

static fadj_status
parse_weights (parser *p)
{
  return parse_layer_matrix (p, 0);
}

static fadj_status
parse_bias (parser *p)
{
  return parse_layer_matrix (p, 1);
}

/* frozen-stmt := 'frozen'
   Freezes the bias of the most recent layer: training steps leave it
   as it is.  It must follow that bias.  */
static fadj_status
parse_frozen (parser *p)
{
  size_t l = p->net->nlayers;
  layer_pos *lp;

  if (l == 0)
    return error_at (p, FADJ_ERR_INPUT, tok_pos (p), "'frozen' before any "
                     "'layer' statement (it freezes the bias of the layer "
                     "above it)");
  lp = &p->lpos[l - 1];
  if (!p->net->layers[l - 1].has_bias)
    return error_at (p, FADJ_ERR_INPUT, tok_pos (p), "'frozen' must follow "
                     "a 'bias' statement (layer %zu has no bias to freeze)",
                     l);
  if (lp->frozen.line != 0)
    return error_at (p, FADJ_ERR_INPUT, tok_pos (p), "the bias of layer %zu "
                     "is already frozen (at line %ld, column %ld)", l,
                     lp->frozen.line, lp->frozen.col);
  lp->frozen = tok_pos (p);
  p->net->layers[l - 1].bias_frozen = 1;
  advance (p);
  return FADJ_OK;
}

/* A vector literal after KW (the lookahead must be its '['), as a
   column.  */
static fadj_status
parse_vector (parser *p, fadj_mat *m, pos_t *lit, const char *what,
              const char *after)
{
  fadj_status st;

  if (p->tok.kind != FADJ_TOK_LBRACKET)
    return error_expected (p, "'[' to start a vector %s", after);
  if ((st = parse_matrix (p, m, lit, 0)) != FADJ_OK
      || (st = matrix_to_vector (p, m, what, *lit)) != FADJ_OK)
    return st;
  if (m->rows > MAX_WIDTH)
    return error_at (p, FADJ_ERR_LIMIT, *lit, "%s has %zu entries; the "
                     "limit is %d", what, m->rows, MAX_WIDTH);
  return FADJ_OK;
}

/* sample-stmt := 'sample' matrix '->' matrix
   One sample of a batch: its input, then its target.  */
static fadj_status
parse_sample (parser *p)
{
  sample_t *sm;
  fadj_status st;

  if (p->input.line != 0 || p->target.line != 0)
    {
      pos_t first = p->input.line != 0 ? p->input : p->target;
      return error_at (p, FADJ_ERR_INPUT, tok_pos (p), "'sample' cannot be "
                       "mixed with '%s' (at line %ld, column %ld): write "
                       "every sample as 'sample X -> Y'",
                       p->input.line != 0 ? "input" : "target",
                       first.line, first.col);
    }
  if (p->nsamples >= FADJ_MAX_SAMPLES)
    return error_at (p, FADJ_ERR_LIMIT, tok_pos (p), "too many samples "
                     "(the limit is %d)", FADJ_MAX_SAMPLES);
  if (p->nsamples == p->samples_cap)
    {
      size_t cap = p->samples_cap ? 2 * p->samples_cap : 8;
      sample_t *n = realloc (p->samples, cap * sizeof *n);
      if (n == NULL)
        return error_nomem (p);
      p->samples = n;
      p->samples_cap = cap;
    }
  sm = &p->samples[p->nsamples++];
  memset (sm, 0, sizeof *sm);
  sm->kw = tok_pos (p);
  advance (p);
  if ((st = parse_vector (p, &sm->x, &sm->xlit, "a sample's input",
                          "after 'sample'")) != FADJ_OK)
    return st;
  if (p->tok.kind != FADJ_TOK_ARROW)
    return error_expected (p, "'->' between the sample's input and its "
                           "target");
  advance (p);
  return parse_vector (p, &sm->y, &sm->ylit, "a sample's target",
                       "after '->'");
}

/* batch-stmt := 'batch' ('sum' | 'mean')  */
static fadj_status
parse_batch (parser *p)
{
  char name[32], quoted[64];

  if (p->batch.line != 0)
    return error_duplicate (p, "batch", p->batch);
  p->batch = tok_pos (p);
  advance (p);
  if (p->tok.kind != FADJ_TOK_NAME)
    return error_expected (p, "'sum' or 'mean' after 'batch'");
  name_get (p, name, sizeof name);
  if (strcmp (name, "sum") == 0)
    p->net->batch = FADJ_BATCH_SUM;
  else if (strcmp (name, "mean") == 0)
    p->net->batch = FADJ_BATCH_MEAN;
  else
    return error_at (p, FADJ_ERR_INPUT, tok_pos (p), "unknown batch "
                     "reduction %s; known: sum, mean",
                     fadj_quote (quoted, sizeof quoted,
                                 p->lx.text + p->tok.start, p->tok.len));
  advance (p);
  return FADJ_OK;
}

/* rate-stmt := 'rate' NUMBER   (the learning rate, > 0)  */
static fadj_status
parse_rate (parser *p)
{
  fadj_status st;
  pos_t at;

  if (p->rate.line != 0)
    return error_duplicate (p, "rate", p->rate);
  p->rate = tok_pos (p);
  advance (p);
  if (p->tok.kind != FADJ_TOK_NUMBER)
    return error_expected (p, "a number after 'rate'");
  at = tok_pos (p);
  if ((st = number_get (p, p->net->rate)) != FADJ_OK)
    return st;
  if (mpq_sgn (p->net->rate) <= 0)
    return error_at (p, FADJ_ERR_INPUT, at, "the learning rate must be "
                     "positive");
  p->net->has_rate = 1;
  advance (p);
  return FADJ_OK;
}

/* loss-stmt := 'loss' NAME  */
static fadj_status
parse_loss (parser *p)
{
  char name[32];
  int k;

  if (p->loss.line != 0)
    return error_duplicate (p, "loss", p->loss);
  p->loss = tok_pos (p);
  advance (p);
  if (p->tok.kind != FADJ_TOK_NAME)
    return error_expected (p, "a loss name after 'loss'");
  k = fadj_loss_lookup (name_get (p, name, sizeof name));
  if (k < 0)
    {
      return error_unknown_name (p, "loss", loss_name_of,
                                 FADJ_LOSS_COUNT);
    }
  p->net->loss = (fadj_loss_kind) k;
  advance (p);
  return FADJ_OK;
}

/* The statements, by keyword.  A new statement is a row here and a
   parse function above.  */
static const struct
{
  const char *keyword;
  fadj_status (*parse) (parser *p);
} statements[] = {
  { "title",   parse_title },
  { "input",   parse_input },
  { "target",  parse_target },
  { "sample",  parse_sample },
  { "batch",   parse_batch },
  { "layer",   parse_layer },
  { "weights", parse_weights },
  { "bias",    parse_bias },
  { "frozen",  parse_frozen },
  { "loss",    parse_loss },
  { "rate",    parse_rate },
};

#define NSTATEMENTS (sizeof statements / sizeof statements[0])

/* statement := one of the table's keywords, then its arguments  */
static fadj_status
parse_statement (parser *p)
{
  char list[256];
  size_t i, n = 0;

  if (p->tok.kind == FADJ_TOK_NAME)
    for (i = 0; i < NSTATEMENTS; i++)
      if (strlen (statements[i].keyword) == p->tok.len
          && memcmp (statements[i].keyword, p->lx.text + p->tok.start,
                     p->tok.len) == 0)
        return statements[i].parse (p);
  for (i = 0; i < NSTATEMENTS; i++)
    n += (size_t) snprintf (list + n, sizeof list - n, "%s%s",
                            i ? ", " : "", statements[i].keyword);
  return error_expected (p, "a statement (%s)", list);
}

/* ------------------------------------------------------------------ */
/* The whole file.                                                     */

static void
samples_free (parser *p)
{
  size_t k;

  for (k = 0; k < p->nsamples; k++)
    {
      fadj_mat_clear (&p->samples[k].x);
      fadj_mat_clear (&p->samples[k].y);
    }
  free (p->samples);
  p->samples = NULL;
  p->nsamples = 0;
}

/* The samples become the columns of the input and the target, once all
   of them have the sizes of the first.  */
static fadj_status
samples_finish (parser *p)
{
  fadj_net *net = p->net;
  size_t m = p->nsamples, n0 = p->samples[0].x.rows;
  size_t nl = p->samples[0].y.rows, k, i;

  for (k = 1; k < m; k++)
    {
      const sample_t *sm = &p->samples[k];
      if (sm->x.rows != n0)
        return error_at (p, FADJ_ERR_INPUT, sm->xlit, "sample %zu: the input "
                         "has %zu %s but sample 1's has %zu", k + 1,
                         sm->x.rows, plural (sm->x.rows, "entry", "entries"),
                         n0);
      if (sm->y.rows != nl)
        return error_at (p, FADJ_ERR_INPUT, sm->ylit, "sample %zu: the "
                         "target has %zu %s but sample 1's has %zu", k + 1,
                         sm->y.rows, plural (sm->y.rows, "entry", "entries"),
                         nl);
    }
  if (fadj_mat_init (&net->input, n0, m, &exact_ctx) != FADJ_OK
      || fadj_mat_init (&net->target, nl, m, &exact_ctx) != FADJ_OK)
    return error_nomem (p);
  for (k = 0; k < m; k++)
    {
      for (i = 0; i < n0; i++)
        mpq_set (FADJ_NUM_Q (FADJ_MAT (&net->input, i, k)),
                 FADJ_NUM_Q (&p->samples[k].x.e[i]));
      for (i = 0; i < nl; i++)
        mpq_set (FADJ_NUM_Q (FADJ_MAT (&net->target, i, k)),
                 FADJ_NUM_Q (&p->samples[k].y.e[i]));
    }
  /* The size checks below speak of the target: point them at the first
     sample's.  */
  p->target_lit = p->samples[0].ylit;
  return FADJ_OK;
}

/* A shared bias (1 x 1 until now) repeated for the N neurons of its
   layer: then every formula of the augmented convention holds as is.  */
static fadj_status
bias_repeat (parser *p, fadj_layer *ly, size_t n)
{
  fadj_mat b;
  size_t i;

  if (fadj_mat_init (&b, n, 1, &exact_ctx) != FADJ_OK)
    return error_nomem (p);
  for (i = 0; i < n; i++)
    mpq_set (FADJ_NUM_Q (&b.e[i]), FADJ_NUM_Q (&ly->b.e[0]));
  fadj_mat_clear (&ly->b);
  ly->b = b;
  return FADJ_OK;
}

/* At the end of the file: every required part present, and the sizes
   consistent.  Sizes are inferred (N_0 from the input, N_l from the rows
   of W^l) and each mismatch is reported at the literal that disagrees
   with what came before it.  */
static fadj_status
parse_finish (parser *p)
{
  fadj_net *net = p->net;
  pos_t eof = tok_pos (p);
  size_t l, L = net->nlayers;

  fadj_status st;

  for (l = 0; l < L; l++)
    if (p->lpos[l].w.line == 0)
      return error_at (p, FADJ_ERR_INPUT, p->lpos[l].kw,
                       "layer %zu has no weights", l + 1);
  if (p->nsamples > 0)
    {
      if ((st = samples_finish (p)) != FADJ_OK)
        return st;
    }
  else if (p->input.line == 0)
    return error_at (p, FADJ_ERR_INPUT, eof, "missing 'input' statement");
  else if (p->target.line == 0)
    return error_at (p, FADJ_ERR_INPUT, eof, "missing 'target' statement");
  if (L == 0)
    return error_at (p, FADJ_ERR_INPUT, eof, "missing 'layer' statement "
                     "(a network has at least one layer)");
  if (p->loss.line == 0)
    return error_at (p, FADJ_ERR_INPUT, eof, "missing 'loss' statement");

  net->sizes = malloc ((L + 1) * sizeof *net->sizes);
  if (net->sizes == NULL)
    return error_nomem (p);
  net->sizes[0] = net->input.rows;
  for (l = 0; l < L; l++)
    {
      const fadj_layer *ly = &net->layers[l];
      size_t prev = net->sizes[l], n = ly->w.rows;

      if (ly->w.cols != prev)
        {
          if (l == 0)
            return error_at (p, FADJ_ERR_INPUT, p->lpos[l].w,
                             "layer 1: weights have %zu %s but the input "
                             "has %zu %s (N_0 = %zu)", ly->w.cols,
                             plural (ly->w.cols, "column", "columns"),
                             prev, plural (prev, "entry", "entries"), prev);
          return error_at (p, FADJ_ERR_INPUT, p->lpos[l].w,
                           "layer %zu: weights have %zu %s but layer %zu "
                           "has %zu %s (N_%zu = %zu)", l + 1, ly->w.cols,
                           plural (ly->w.cols, "column", "columns"), l,
                           prev, plural (prev, "neuron", "neurons"), l,
                           prev);
        }
      if (ly->has_bias && ly->bias_shared
          && (st = bias_repeat (p, &net->layers[l], n)) != FADJ_OK)
        return st;
      if (ly->has_bias && ly->b.rows != n)
        return error_at (p, FADJ_ERR_INPUT, p->lpos[l].b,
                         "layer %zu: bias has %zu %s but the layer has %zu "
                         "%s (N_%zu = %zu)", l + 1, ly->b.rows,
                         plural (ly->b.rows, "entry", "entries"), n,
                         plural (n, "neuron", "neurons"), l + 1, n);
      net->sizes[l + 1] = n;
    }
  if (net->target.rows != net->sizes[L])
    return error_at (p, FADJ_ERR_INPUT, p->target_lit,
                     "target has %zu %s but the last layer has %zu %s",
                     net->target.rows,
                     plural (net->target.rows, "entry", "entries"),
                     net->sizes[L], plural (net->sizes[L], "neuron",
                                            "neurons"));
  net->nsamples = net->input.cols;
  return FADJ_OK;
}

fadj_status
fadj_net_parse (fadj_net **netp, fadj_error *err, const char *text,
                size_t len)
{
  return fadj_net_parse_opts (netp, err, text, len, 0);
}

fadj_status
fadj_net_parse_opts (fadj_net **netp, fadj_error *err, const char *text,
                     size_t len, unsigned flags)
{
  parser p;
  fadj_status st;

  *netp = NULL;
  err->line = err->col = 0;
  err->msg[0] = '\0';
  memset (&p, 0, sizeof p);
  p.flags = flags;
  p.err = err;
  fadj_lexer_init (&p.lx, text, len);
  p.net = calloc (1, sizeof *p.net);
  if (p.net == NULL)
    {
      err->line = err->col = 1;
      snprintf (err->msg, sizeof err->msg, "out of memory");
      return FADJ_ERR_NOMEM;
    }
  mpq_init (p.net->rate);
  advance (&p);
  while (p.tok.kind != FADJ_TOK_EOF)
    if ((st = parse_statement (&p)) != FADJ_OK)
      goto fail;
  if ((st = parse_finish (&p)) != FADJ_OK)
    goto fail;
  free (p.lpos);
  samples_free (&p);
  *netp = p.net;
  return FADJ_OK;

fail:
  free (p.lpos);
  samples_free (&p);
  fadj_net_free (p.net);
  return st;
}
