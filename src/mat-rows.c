/* mat-rows.c -- the rows of a large weight matrix read by the threads
   of --jobs (fadj_reader_rows_parallel, mat-parse.h).

   Reading the network file was the largest serial part of a threaded
   audit (a twelfth of its instructions at 3 x 512 x 8): one thread cut
   and converted the million literals while the others waited.  Here the
   text of a matrix, from after its '[' to its first ']', is cut at
   newlines into pieces; each thread reads its pieces' numbers into
   arrays of its own, with the lexer and the classifier the serial
   reader uses (so a number gets the same value, base and digit count),
   and the caller joins them in file order.

   Why errors cannot change: this path only ever reads a matrix that
   the serial reader would accept without a message.  A piece stops at
   anything else (a comment, a nested row, a stray comma, a lexical
   error, a literal without the compact form or of the other base), and
   so does the whole at a row of another length or a limit of the file
   reached; then nothing is kept and the serial reader reads the matrix
   from its '[', finding the first error in file order, at the position
   and with the message it always gave.  A success leaves the reader
   where the serial one would: the same entries, the same counts for the
   file's limits, the lexer at the closing ']' on its line and column.  */

#include "config.h"
#include "mat-parse.h"
#include "parallel.h"

#include <stdlib.h>
#include <string.h>

/* A matrix shorter than this is read serially: the threads' start and
   the join cost more than they save.  Each thread gets about
   PIECES_PER_JOB pieces, so that a loaded core delays only its own, and
   no piece is shorter than MIN_PIECE.  */
enum
{
  MIN_TEXT = 64 * 1024,
  MIN_PIECE = 16 * 1024,
  PIECES_PER_JOB = 4
};

/* One piece: the text [START, END), cut after a newline (or at the
   matrix's ends), and what its thread read there.  */
typedef struct
{
  size_t start, end;
  int64_t *k;
  long *x;
  size_t n, cap;
  size_t rows, cols;            /* non-empty rows; their common length */
  int base;                     /* 0 while no number */
  unsigned long long digits;    /* fadj_number_digits_valid, summed */
  long newlines;                /* lines ended in the piece */
  size_t line_start;            /* offset after its last newline */
  int ok;                       /* read to its end as the serial reader */
} piece;

typedef struct
{
  const char *text;
  int compact;
  piece *p;
  /* Entries the file may still have (FADJ_MAX_ENTRIES): the pieces'
     rows are counted against it as they end, so that the threads
     together never hold many more numbers than the serial reader
     would before its refusal.  */
  size_t budget, used;
  int failed;                   /* a piece has stopped: the others may */
} rows_ctx;

/* Room for one more entry in P.  */
static int
piece_grow (piece *p)
{
  size_t cap = p->cap ? 2 * p->cap : (p->end - p->start) / 8 + 16;
  int64_t *k = realloc (p->k, cap * sizeof *k);
  long *x;

  if (k == NULL)
    return 0;
  p->k = k;
  x = realloc (p->x, cap * sizeof *x);
  if (x == NULL)
    return 0;
  p->x = x;
  p->cap = cap;
  return 1;
}

/* The end of a row of RL entries in P: rows of one piece all of one
   length (the other pieces' are compared by the caller).  */
static int
piece_end_row (piece *p, size_t rl)
{
  if (rl == 0)
    return 1;                   /* a blank line is no row */
  if (p->rows == 0)
    p->cols = rl;
  else if (rl != p->cols)
    return 0;
  p->rows++;
  return 1;
}

/* flat-rows (mat-parse.c) over one piece, as read_flat_rows and
   read_entry read it, the piece's end standing for the ']': NUMBER
   ','? NUMBER ..., rows ended by newlines or ';'.  Sets P->OK when it
   reaches the end with nothing the serial reader would refuse or read
   otherwise.  */
static void
read_piece (rows_ctx *c, piece *p)
{
  const char *text = c->text;
  int compact = c->compact;
  fadj_lexer lx;
  fadj_token tok;
  size_t rl = 0;
  int after_number = 0, after_comma = 0;

  fadj_lexer_init (&lx, text, p->end);
  lx.pos = lx.line_start = p->start;
  lx.newlines = 1;
  for (;;)
    {
      if (!fadj_lexer_next_simple_number (&lx, &tok))
        fadj_lexer_next (&lx, &tok);
      switch (tok.kind)
        {
        case FADJ_TOK_NUMBER:
          {
            int64_t v;
            long x;
            int base = fadj_reader_classify (text, &tok, compact, &v, &x);
            if (base == 0 || (p->base != 0 && base != p->base)
                || rl >= FADJ_MAX_WIDTH)
              goto fail;
            if (p->n == p->cap && !piece_grow (p))
              goto fail;
            p->base = base;
            p->k[p->n] = v;
            p->x[p->n] = x;
            p->n++;
            p->digits += fadj_number_digits_valid (text + tok.start,
                                                   tok.len, base == 2);
            rl++;
            after_number = 1;
            after_comma = 0;
            break;
          }
        case FADJ_TOK_COMMA:
          if (!after_number)
            goto fail;
          after_number = 0;
          after_comma = 1;
          break;
        case FADJ_TOK_NEWLINE:
        case FADJ_TOK_SEMICOLON:
        case FADJ_TOK_EOF:
          if (after_comma || !piece_end_row (p, rl)
              || __atomic_add_fetch (&c->used, rl, __ATOMIC_RELAXED)
              > c->budget
              || __atomic_load_n (&c->failed, __ATOMIC_RELAXED))
            goto fail;
          rl = 0;
          after_number = 0;
          if (tok.kind == FADJ_TOK_EOF)
            {
              p->newlines = lx.line - 1;
              p->line_start = lx.line_start;
              p->ok = 1;
              return;
            }
          break;
        default:
          goto fail;
        }
    }
fail:
  __atomic_store_n (&c->failed, 1, __ATOMIC_RELAXED);
}

static fadj_status
read_pieces (size_t lo, size_t hi, void *arg)
{
  rows_ctx *c = arg;

  for (; lo < hi; lo++)
    read_piece (c, &c->p[lo]);
  return FADJ_OK;
}

/* Cut [START, END) into at most NMAX pieces after newlines, of about
   equal length; returns their number.  */
static size_t
cut_pieces (const char *text, size_t start, size_t end, piece *p,
            size_t nmax)
{
  size_t n = 0, at = start, len = end - start;
  size_t step = len / nmax > MIN_PIECE ? len / nmax : MIN_PIECE;

  while (at < end && n < nmax)
    {
      size_t to = end - at <= step || n + 1 == nmax ? end : at + step;
      if (to < end)
        {
          const char *nl = memchr (text + to, '\n', end - to);
          to = nl ? (size_t) (nl - text) + 1 : end;
        }
      memset (&p[n], 0, sizeof p[n]);
      p[n].start = at;
      p[n].end = to;
      n++;
      at = to;
    }
  return n;
}

int
fadj_reader_rows_parallel (fadj_reader *r, int compact, fadj_rows *out)
{
  const char *text = r->lx.text;
  size_t start = r->lx.pos, end, np, nmax, k, n = 0, rows = 0, cols = 0;
  const char *close;
  unsigned long long digits = 0;
  long newlines = 0;
  size_t line_start = r->lx.line_start;
  int base = 0, ok = 1;
  piece *p;
  rows_ctx c;

  if (fadj_get_jobs () < 2 || compact == FADJ_READ_ORDINARY
      || start >= r->lx.len)
    return 0;
  close = memchr (text + start, ']', r->lx.len - start);
  if (close == NULL)
    return 0;
  end = (size_t) (close - text);
  /* A comment may hide a ']' (or be cut by a piece's end): those few
     matrices are read serially.  */
  if (end - start < MIN_TEXT || memchr (text + start, '#', end - start))
    return 0;
  nmax = (size_t) fadj_get_jobs () * PIECES_PER_JOB;
  p = malloc (nmax * sizeof *p);
  if (p == NULL)
    return 0;
  np = cut_pieces (text, start, end, p, nmax);
  c.text = text;
  c.compact = compact;
  c.p = p;
  c.budget = (size_t) FADJ_MAX_ENTRIES - r->entries;
  c.used = 0;
  c.failed = 0;
  (void) fadj_parallel_for_grain (np, 1, read_pieces, &c);

  /* The pieces agree with one matrix that the serial reader accepts.  */
  for (k = 0; k < np && ok; k++)
    {
      ok = p[k].ok && (p[k].base == 0 || base == 0 || p[k].base == base)
        && (p[k].rows == 0 || cols == 0 || p[k].cols == cols);
      if (p[k].base != 0)
        base = p[k].base;
      if (p[k].rows != 0)
        cols = p[k].cols;
      n += p[k].n;
      rows += p[k].rows;
      digits += p[k].digits;
      newlines += p[k].newlines;
      if (p[k].newlines != 0)
        line_start = p[k].line_start;
    }
  /* The limits acc_push and acc_end_row enforce, on the totals.  */
  ok = ok && n > 0 && cols <= FADJ_MAX_WIDTH && rows <= FADJ_MAX_WIDTH
    && n <= (size_t) FADJ_MAX_ENTRIES - r->entries
    && r->digits + digits <= (unsigned long long) FADJ_MAX_FILE_DIGITS;
  if (ok)
    {
      out->k = malloc (n * sizeof *out->k);
      out->x = malloc (n * sizeof *out->x);
      ok = out->k != NULL && out->x != NULL;
      if (!ok)
        {
          free (out->k);
          free (out->x);
        }
    }
  if (ok)
    {
      size_t at = 0;
      for (k = 0; k < np; k++)
        {
          memcpy (out->k + at, p[k].k, p[k].n * sizeof *out->k);
          memcpy (out->x + at, p[k].x, p[k].n * sizeof *out->x);
          at += p[k].n;
        }
      out->n = n;
      out->rows = rows;
      out->cols = cols;
      out->base = base;
      r->entries += n;
      r->digits += digits;
      /* The lookahead: the ']' at END, on the line the serial lexer
         would have counted to.  */
      r->lx.pos = end;
      r->lx.line += newlines;
      r->lx.line_start = line_start;
      fadj_reader_next (r);
    }
  for (k = 0; k < np; k++)
    {
      free (p[k].k);
      free (p[k].x);
    }
  free (p);
  return ok;
}
