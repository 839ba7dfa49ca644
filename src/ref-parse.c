/* ref-parse.c -- reference gradient files: gradients computed elsewhere
   (by a framework, in float32 or float64), to be audited against the
   certified ones.  Same lexical rules as the network file (lex.c): '#'
   comments, free-form layout, exact number literals (hex floats carry a
   framework's binary values exactly).

   file     := statement* EOF
   statement:= 'gradient' NUMBER 'weights' matrix ('bias' matrix)?
             | 'input_gradient' matrix
             | 'loss' NUMBER
   matrix   := '[' rows ']'  (as in fadj-net(5): ';' or a newline ends a
               row, ',' or spaces separate entries, or [[..], [..]])

   Every size is checked against the network as soon as the matrix is
   read, and reported at its '['; a missing layer at the end of the
   file.  */

#include "fadj-impl.h"
#include "lex.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  fadj_lexer lx;
  fadj_token tok;
  int depth;
  fadj_error *err;
  const fadj_net *net;
  fadj_ref *ref;
  long *seen_line, *seen_col;   /* where 'gradient l' was given */
  size_t entries;               /* numbers read so far, all matrices */
} rparser;

static const fadj_ctx exact_ctx = { FADJ_EXACT, 0 };

static void
advance (rparser *p)
{
  p->lx.newlines = p->depth == 1;
  fadj_lexer_next (&p->lx, &p->tok);
}

static fadj_status
error_at (rparser *p, fadj_status st, long line, long col,
          const char *fmt, ...)
#if defined(__GNUC__)
  __attribute__ ((format (printf, 5, 6)))
#endif
  ;

static fadj_status
error_at (rparser *p, fadj_status st, long line, long col,
          const char *fmt, ...)
{
  va_list ap;

  p->err->line = line;
  p->err->col = col;
  va_start (ap, fmt);
  vsnprintf (p->err->msg, sizeof p->err->msg, fmt, ap);
  va_end (ap);
  return st;
}

/* "expected WHAT, found TOKEN", or the lexer's own error.  */
static fadj_status
error_expected (rparser *p, const char *what)
{
  char found[64];

  if (p->tok.kind == FADJ_TOK_ERROR)
    return error_at (p, FADJ_ERR_INPUT, p->lx.err_line, p->lx.err_col, "%s",
                     p->lx.msg);
  fadj_token_describe (found, sizeof found, &p->lx, &p->tok);
  return error_at (p, FADJ_ERR_INPUT, p->tok.line, p->tok.col,
                   "expected %s, found %s", what, found);
}

static fadj_status
number_get (rparser *p, mpq_t q)
{
  const char *s = p->lx.text + p->tok.start, *msg;
  char quoted[64];
  size_t errpos;

  if (fadj_number_parse (q, s, p->tok.len, &errpos, &msg) == 0)
    return FADJ_OK;
  return error_at (p, FADJ_ERR_INPUT, p->tok.line,
                   p->tok.col + (long) errpos, "invalid number %s: %s",
                   fadj_quote (quoted, sizeof quoted, s, p->tok.len), msg);
}

static int
tok_is (const rparser *p, const char *kw)
{
  return p->tok.kind == FADJ_TOK_NAME && strlen (kw) == p->tok.len
    && memcmp (kw, p->lx.text + p->tok.start, p->tok.len) == 0;
}

/* Entries being read: a growing array of exact numbers.  */
typedef struct
{
  fadj_num_struct *e;
  size_t n, cap, rows, cols, rowlen;
  long rline, rcol;
} acc_t;

static void
acc_free (acc_t *a)
{
  size_t k;
  for (k = 0; k < a->n; k++)
    fadj_num_clear (a->e + k);
  free (a->e);
}

static fadj_status
acc_push (rparser *p, acc_t *a)
{
  fadj_status st;

  /* The network file's limit, for the same reason: the file cannot ask
     for more memory than that many numbers take.  */
  if (p->entries >= FADJ_MAX_ENTRIES)
    return error_at (p, FADJ_ERR_LIMIT, p->tok.line, p->tok.col,
                     "too many numbers in the file (the limit is %d)",
                     FADJ_MAX_ENTRIES);
  if (a->n == a->cap)
    {
      /* FADJ_MAX_ENTRIES bounds the size: the doubling cannot overflow.  */
      size_t cap = a->cap ? 2 * a->cap : 16;
      fadj_num_struct *e = realloc (a->e, cap * sizeof *e);
      if (e == NULL)
        return error_at (p, FADJ_ERR_NOMEM, p->tok.line, p->tok.col,
                         "out of memory");
      a->e = e;
      a->cap = cap;
    }
  if (a->rowlen == 0)
    {
      a->rline = p->tok.line;
      a->rcol = p->tok.col;
    }
  fadj_num_init (a->e + a->n, &exact_ctx);
  if ((st = number_get (p, FADJ_NUM_Q (&a->e[a->n]))) != FADJ_OK)
    {
      fadj_num_clear (a->e + a->n);
      return st;
    }
  a->n++;
  a->rowlen++;
  p->entries++;
  advance (p);
  if (p->tok.kind == FADJ_TOK_COMMA)
    {
      advance (p);
      if (p->tok.kind != FADJ_TOK_NUMBER)
        return error_expected (p, "a number after ','");
    }
  return FADJ_OK;
}

static fadj_status
acc_end_row (rparser *p, acc_t *a)
{
  if (a->rowlen == 0)
    return FADJ_OK;
  if (a->rows == 0)
    a->cols = a->rowlen;
  else if (a->rowlen != a->cols)
    return error_at (p, FADJ_ERR_INPUT, a->rline, a->rcol,
                     "row %zu has %zu entries but row 1 has %zu",
                     a->rows + 1, a->rowlen, a->cols);
  a->rows++;
  a->rowlen = 0;
  return FADJ_OK;
}

/* matrix := '[' (flat-rows | nested-rows) ']', the grammar of
   fadj-net(5).  M becomes a new exact matrix; *LINE, *COL the '['.  */
static fadj_status
parse_matrix (rparser *p, fadj_mat *m, long *line, long *col)
{
  acc_t a;
  fadj_status st = FADJ_OK;
  int nested;

  memset (&a, 0, sizeof a);
  if (p->tok.kind != FADJ_TOK_LBRACKET)
    return error_expected (p, "'[' to start a matrix");
  *line = p->tok.line;
  *col = p->tok.col;
  p->depth = 1;
  advance (p);
  while (p->tok.kind == FADJ_TOK_NEWLINE)
    advance (p);
  nested = p->tok.kind == FADJ_TOK_LBRACKET;
  while (st == FADJ_OK && p->tok.kind != FADJ_TOK_RBRACKET)
    {
      if (p->tok.kind == FADJ_TOK_NUMBER && !nested)
        st = acc_push (p, &a);
      else if ((p->tok.kind == FADJ_TOK_SEMICOLON && !nested)
               || p->tok.kind == FADJ_TOK_NEWLINE)
        {
          st = acc_end_row (p, &a);
          advance (p);
        }
      else if (nested && (p->tok.kind == FADJ_TOK_COMMA
                          || p->tok.kind == FADJ_TOK_SEMICOLON))
        advance (p);
      else if (nested && p->tok.kind == FADJ_TOK_LBRACKET)
        {
          long ol = p->tok.line, oc = p->tok.col;
          p->depth = 2;
          advance (p);
          if (p->tok.kind != FADJ_TOK_NUMBER
              && p->tok.kind != FADJ_TOK_LBRACKET)
            st = error_expected (p, "a number");
          while (st == FADJ_OK && p->tok.kind == FADJ_TOK_NUMBER)
            st = acc_push (p, &a);
          if (st == FADJ_OK && p->tok.kind == FADJ_TOK_LBRACKET)
            st = error_at (p, FADJ_ERR_INPUT, p->tok.line, p->tok.col,
                           "brackets nested too deeply (a matrix has at "
                           "most two levels, as in [[1, 2], [3, 4]])");
          if (st == FADJ_OK && p->tok.kind != FADJ_TOK_RBRACKET)
            {
              char what[96];
              snprintf (what, sizeof what, "']' to close the bracket "
                        "opened at line %ld, column %ld", ol, oc);
              st = error_expected (p, what);
            }
          if (st == FADJ_OK)
            {
              a.rline = ol;
              a.rcol = oc;
              p->depth = 1;
              advance (p);
              st = acc_end_row (p, &a);
            }
        }
      else
        {
          char what[96];
          snprintf (what, sizeof what, "a number, ';' or ']' to close the "
                    "bracket opened at line %ld, column %ld", *line, *col);
          st = error_expected (p, what);
        }
    }
  if (st == FADJ_OK)
    st = acc_end_row (p, &a);
  if (st == FADJ_OK && a.n == 0)
    st = error_at (p, FADJ_ERR_INPUT, *line, *col, "empty matrix");
  p->depth = 0;
  if (st != FADJ_OK)
    {
      acc_free (&a);
      return st;
    }
  advance (p);
  m->rows = a.rows;
  m->cols = a.cols;
  m->e = a.e;
  return FADJ_OK;
}

/* A vector of N entries written as a row or a column, kept N x 1.  */
static fadj_status
want_vector (rparser *p, fadj_mat *m, size_t n, long line, long col,
             const char *what)
{
  if (m->rows == 1)
    {
      m->rows = m->cols;
      m->cols = 1;
    }
  if (m->cols != 1 || m->rows != n)
    return error_at (p, FADJ_ERR_INPUT, line, col, "%s has %zu x %zu "
                     "entries but the network needs a vector of %zu", what,
                     m->rows, m->cols, n);
  return FADJ_OK;
}

/* 'gradient' NUMBER 'weights' matrix ('bias' matrix)?  */
static fadj_status
parse_gradient (rparser *p)
{
  const fadj_net *net = p->net;
  long kl = p->tok.line, kc = p->tok.col, line, col;
  size_t l, rows, cols;
  fadj_status st;
  mpq_t q;

  advance (p);
  if (p->tok.kind != FADJ_TOK_NUMBER)
    return error_expected (p, "a layer number after 'gradient'");
  mpq_init (q);
  st = number_get (p, q);
  if (st == FADJ_OK
      && (mpz_cmp_ui (mpq_denref (q), 1) != 0 || mpq_sgn (q) <= 0
          || mpz_cmp_ui (mpq_numref (q), net->nlayers) > 0))
    st = error_at (p, FADJ_ERR_INPUT, p->tok.line, p->tok.col,
                   "layer number must be an integer from 1 to %zu",
                   net->nlayers);
  l = st == FADJ_OK ? mpz_get_ui (mpq_numref (q)) : 0;
  mpq_clear (q);
  if (st != FADJ_OK)
    return st;
  if (p->seen_line[l] != 0)
    return error_at (p, FADJ_ERR_INPUT, kl, kc, "duplicate 'gradient %zu' "
                     "(the first is at line %ld, column %ld)", l,
                     p->seen_line[l], p->seen_col[l]);
  p->seen_line[l] = kl;
  p->seen_col[l] = kc;
  advance (p);
  if (!tok_is (p, "weights"))
    return error_expected (p, "'weights'");
  advance (p);
  rows = net->sizes[l];
  cols = net->sizes[l - 1];
  if ((st = parse_matrix (p, p->ref->w + l, &line, &col)) != FADJ_OK)
    return st;
  if (p->ref->w[l].rows != rows || p->ref->w[l].cols != cols)
    return error_at (p, FADJ_ERR_INPUT, line, col, "gradient %zu: weights "
                     "are %zu x %zu but W^%zu is %zu x %zu", l,
                     p->ref->w[l].rows, p->ref->w[l].cols, l, rows, cols);
  if (tok_is (p, "bias"))
    {
      long bl = p->tok.line, bc = p->tok.col;
      char what[64];
      if (!net->layers[l - 1].has_bias)
        return error_at (p, FADJ_ERR_INPUT, bl, bc, "gradient %zu: layer "
                         "%zu has no bias", l, l);
      advance (p);
      if ((st = parse_matrix (p, p->ref->b + l, &line, &col)) != FADJ_OK)
        return st;
      snprintf (what, sizeof what, "gradient %zu: bias", l);
      /* A shared bias is one parameter: one gradient, the sum.  */
      return want_vector (p, p->ref->b + l,
                          net->layers[l - 1].bias_shared ? 1 : rows, line,
                          col, what);
    }
  if (net->layers[l - 1].has_bias)
    return error_at (p, FADJ_ERR_INPUT, kl, kc, "gradient %zu: layer %zu "
                     "has a bias but no 'bias' gradient is given", l, l);
  return FADJ_OK;
}

/* 'input_gradient' matrix: one row per sample (a column also does for
   one sample).  Kept N_0 x m, as X^0_*.  */
static fadj_status
parse_input_gradient (rparser *p)
{
  fadj_ref *r = p->ref;
  size_t n0 = p->net->sizes[0], m = p->net->nsamples, i, s;
  long line, col;
  fadj_status st;

  if (r->has_input_gradient)
    return error_at (p, FADJ_ERR_INPUT, p->tok.line, p->tok.col,
                     "duplicate 'input_gradient'");
  advance (p);
  if ((st = parse_matrix (p, &r->input_gradient, &line, &col)) != FADJ_OK)
    return st;
  r->has_input_gradient = 1;
  if (m == 1)
    return want_vector (p, &r->input_gradient, n0, line, col,
                        "input_gradient");
  if (r->input_gradient.rows != m || r->input_gradient.cols != n0)
    return error_at (p, FADJ_ERR_INPUT, line, col, "input_gradient is "
                     "%zu x %zu but the network needs %zu rows (samples) "
                     "of %zu", r->input_gradient.rows,
                     r->input_gradient.cols, m, n0);
  /* Transpose in place into N_0 x m (a copy of the structs).  */
  {
    fadj_num_struct *e = malloc (n0 * m * sizeof *e);
    if (e == NULL)
      return error_at (p, FADJ_ERR_NOMEM, line, col, "out of memory");
    for (s = 0; s < m; s++)
      for (i = 0; i < n0; i++)
        e[i * m + s] = r->input_gradient.e[s * n0 + i];
    free (r->input_gradient.e);
    r->input_gradient.e = e;
    r->input_gradient.rows = n0;
    r->input_gradient.cols = m;
  }
  return FADJ_OK;
}

static fadj_status
parse_loss (rparser *p)
{
  if (p->ref->has_loss)
    return error_at (p, FADJ_ERR_INPUT, p->tok.line, p->tok.col,
                     "duplicate 'loss'");
  advance (p);
  if (p->tok.kind != FADJ_TOK_NUMBER)
    return error_expected (p, "a number after 'loss'");
  if (number_get (p, p->ref->loss) != FADJ_OK)
    return FADJ_ERR_INPUT;
  p->ref->has_loss = 1;
  advance (p);
  return FADJ_OK;
}

void
fadj_ref_free (fadj_ref *r)
{
  size_t l;

  if (r == NULL)
    return;
  for (l = 0; l <= r->nlayers; l++)
    {
      if (r->w) fadj_mat_clear (r->w + l);
      if (r->b) fadj_mat_clear (r->b + l);
    }
  free (r->w);
  free (r->b);
  fadj_mat_clear (&r->input_gradient);
  mpq_clear (r->loss);
  free (r);
}

fadj_status
fadj_ref_parse (fadj_ref **rp, fadj_error *err, const char *text,
                size_t len, const fadj_net *net)
{
  rparser p;
  fadj_ref *r;
  fadj_status st = FADJ_OK;
  size_t l, L = net->nlayers;

  *rp = NULL;
  err->line = err->col = 0;
  err->msg[0] = '\0';
  memset (&p, 0, sizeof p);
  r = calloc (1, sizeof *r);
  if (r == NULL)
    return FADJ_ERR_NOMEM;
  mpq_init (r->loss);
  r->nlayers = L;
  r->w = calloc (L + 1, sizeof *r->w);
  r->b = calloc (L + 1, sizeof *r->b);
  p.seen_line = calloc (L + 1, sizeof *p.seen_line);
  p.seen_col = calloc (L + 1, sizeof *p.seen_col);
  if (r->w == NULL || r->b == NULL || !p.seen_line || !p.seen_col)
    {
      st = FADJ_ERR_NOMEM;
      err->line = err->col = 1;
      snprintf (err->msg, sizeof err->msg, "out of memory");
      goto done;
    }
  p.err = err;
  p.net = net;
  p.ref = r;
  fadj_lexer_init (&p.lx, text, len);
  advance (&p);
  while (st == FADJ_OK && p.tok.kind != FADJ_TOK_EOF)
    {
      if (tok_is (&p, "gradient"))
        st = parse_gradient (&p);
      else if (tok_is (&p, "input_gradient"))
        st = parse_input_gradient (&p);
      else if (tok_is (&p, "loss"))
        st = parse_loss (&p);
      else
        st = error_expected (&p, "a statement (gradient, input_gradient, "
                             "loss)");
    }
  for (l = 1; l <= L && st == FADJ_OK; l++)
    if (p.seen_line[l] == 0)
      st = error_at (&p, FADJ_ERR_INPUT, p.tok.line, p.tok.col,
                     "missing 'gradient %zu' (the network has %zu %s)", l,
                     L, L == 1 ? "layer" : "layers");
done:
  free (p.seen_line);
  free (p.seen_col);
  if (st != FADJ_OK)
    {
      fadj_ref_free (r);
      return st;
    }
  *rp = r;
  return FADJ_OK;
}
