/* mat-parse.h -- the reader shared by the network parser (net-parse.c)
   and the reference parser (ref-parse.c): the lookahead token, located
   errors, number literals, statements by keyword and bracketed matrices,
   over the tokeniser of lex.h.  Internal to libfadj, not installed.

   Both file formats read their matrices and their statements here, so
   that one mistake gets one message at one position whichever file it
   is in.  The reader never prints: the first error goes to its
   fadj_error and every function returns its status.  */

#ifndef FADJ_MAT_PARSE_H
#define FADJ_MAT_PARSE_H

#include "fadj-impl.h"
#include "lex.h"

/* A position in the text, 1-based; line 0: absent (a statement not
   given yet).  */
typedef struct
{
  long line, col;
} fadj_pos;

typedef struct
{
  fadj_lexer lx;
  fadj_token tok;       /* the lookahead */
  int depth;            /* bracket depth; rows end at newlines at depth 1 */
  size_t entries;       /* numbers read so far in all matrices, for
                           FADJ_MAX_ENTRIES */
  unsigned long long digits; /* their exact sizes so far
                                (fadj_number_digits), for
                                FADJ_MAX_FILE_DIGITS */
  fadj_error *err;      /* borrowed: where the error goes */
} fadj_reader;

/* Start reading TEXT (LEN bytes, borrowed for the reader's lifetime);
   ERR is cleared, and the first token is the lookahead.  */
void fadj_reader_init (fadj_reader *r, fadj_error *err, const char *text,
                       size_t len);

/* The next token becomes the lookahead.  */
void fadj_reader_next (fadj_reader *r);

/* The lookahead's position.  */
fadj_pos fadj_reader_pos (const fadj_reader *r);

/* Is the lookahead the name NAME?  */
int fadj_reader_name_p (const fadj_reader *r, const char *name);

/* The error ST with the message FMT at W, into the reader's fadj_error;
   returns ST.  */
fadj_status fadj_reader_error (fadj_reader *r, fadj_status st, fadj_pos w,
                               const char *fmt, ...)
#if defined(__GNUC__)
  __attribute__ ((format (printf, 4, 5)))
#endif
  ;

/* "out of memory" at the lookahead: FADJ_ERR_NOMEM.  */
fadj_status fadj_reader_nomem (fadj_reader *r);

/* "expected WHAT, found TOKEN" at the lookahead (WHAT from FMT), or the
   lexer's own message at its position when the lookahead is a lexical
   error: FADJ_ERR_INPUT.  */
fadj_status fadj_reader_expected (fadj_reader *r, const char *fmt, ...)
#if defined(__GNUC__)
  __attribute__ ((format (printf, 2, 3)))
#endif
  ;

/* A statement given twice: "duplicate 'WHAT' statement (the first is
   at ...)" at AT.  FADJ_ERR_INPUT.  */
fadj_status fadj_reader_duplicate (fadj_reader *r, fadj_pos at,
                                   const char *what, fadj_pos first);

/* The lookahead is the keyword KW of a statement that may stand once
   in a file.  The first time (SEEN->line 0) *SEEN becomes its position
   and the keyword is read; again, "duplicate 'KW' statement ..." at
   the keyword.  */
fadj_status fadj_reader_once (fadj_reader *r, fadj_pos *seen,
                              const char *kw) FADJ_WUR;

/* A statement KW ARG that may stand once: the keyword as
   fadj_reader_once reads it, then the lookahead must be a token of kind
   ARG, or "expected WHAT after 'KW'".  */
fadj_status fadj_reader_once_arg (fadj_reader *r, fadj_pos *seen,
                                  const char *kw, fadj_tok_kind arg,
                                  const char *what) FADJ_WUR;

/* The lookahead NUMBER into Q (the lookahead stays); a bad literal is
   reported at the very byte where it goes wrong.  */
fadj_status fadj_reader_number (fadj_reader *r, mpq_t q) FADJ_WUR;

/* Is the lookahead NUMBER written as a fraction p/q?  */
int fadj_reader_fraction_p (const fadj_reader *r);

/* A statement KW NUMBER that may stand once ('rate' in a network file,
   'loss' in a reference file): fadj_reader_once_arg, then the number
   into Q as fadj_reader_number reads it (the number stays the
   lookahead, for the caller's checks at its position).  */
fadj_status fadj_reader_once_number (fadj_reader *r, fadj_pos *seen,
                                     const char *kw, mpq_t q) FADJ_WUR;

/* One row of a statement table: a statement starts with KEYWORD, and
   PARSE, entered with the keyword as the lookahead, reads the rest.  */
typedef struct
{
  const char *keyword;
  fadj_status (*parse) (void *ctx);
} fadj_statement;

/* file := statement* EOF, the statements those of the N rows of TABLE,
   each called with CTX.  A token that starts none is "expected a
   statement (KEYWORD, ...)".  Stops at the first error.  */
fadj_status fadj_reader_statements (fadj_reader *r,
                                    const fadj_statement *table, size_t n,
                                    void *ctx) FADJ_WUR;

/* The lookahead must be the '[' of a WHAT ("matrix", "vector") written
   after KW: FADJ_OK, or "expected '[' to start a WHAT after 'KW'".  */
fadj_status fadj_reader_bracket (fadj_reader *r, const char *what,
                                 const char *kw) FADJ_WUR;

/* matrix := '[' (flat-rows | nested-rows) ']', entered at its '[' (the
   grammar is in mat-parse.c and fadj-net(5)).  On success M is a new
   exact matrix (fadj_mat_clear) and *WHERE the position of the '['; on
   error M is untouched.  COMPACT: FADJ_READ_COMPACT keeps the entries
   as the compact form of fadj.h when they are all plain decimals or all
   hexadecimal floats (FADJ_PARSE_COMPACT); FADJ_READ_SCALED as its
   scaled form when they are all decimals of at most 18 digits and
   exponents within FADJ_SCALED_EXP10_MAX, or all hexadecimal floats;
   FADJ_READ_ORDINARY (0): rationals.  */
enum
{
  FADJ_READ_ORDINARY = 0,
  FADJ_READ_COMPACT = 1,
  FADJ_READ_SCALED = 2
};
/* The NUMBER token TOK of TEXT in the form of a COMPACT matrix
   (FADJ_READ_COMPACT or FADJ_READ_SCALED, see mat-parse.c's mat_acc):
   returns its base, 10 or 2, with *V and *X; or 0 when it has no such
   form (nor, then, is it known to be a valid literal).  */
int fadj_reader_classify (const char *text, const fadj_token *tok,
                          int compact, int64_t *v, long *x);

/* The flat rows of a large COMPACT matrix read by the threads of
   --jobs (mat-rows.c): entered after its '[' with the reader at depth
   1.  When the matrix is rows of numbers that the reader would keep in
   COMPACT's form with one base (no comment, no nested row, no error,
   no limit reached), returns 1 with its ROWS x COLS entries (N of them)
   in the new arrays *K and *X (malloc), their BASE, the reader's counts
   of entries and digits advanced, and its closing ']' the lookahead,
   exactly as the serial reader leaves them; otherwise returns 0 having
   changed nothing, and the serial reader goes on (and finds the error,
   if there is one, where it always did).  */
typedef struct
{
  int64_t *k;
  long *x;
  size_t n, rows, cols;
  int base;
} fadj_rows;
int fadj_reader_rows_parallel (fadj_reader *r, int compact, fadj_rows *out);

fadj_status fadj_reader_matrix (fadj_reader *r, fadj_mat *m, fadj_pos *where,
                                int compact) FADJ_WUR;

/* A vector may be written as one row or one column; M becomes a column,
   N x 1.  Any other shape is "WHAT must be a vector ..." at WHERE.  */
fadj_status fadj_reader_vector (fadj_reader *r, fadj_mat *m,
                                const char *what, fadj_pos where) FADJ_WUR;

/* ONE or MANY as N is 1 or not, for the messages.  */
static inline const char *
fadj_plural (size_t n, const char *one, const char *many)
{
  return n == 1 ? one : many;
}

#endif /* FADJ_MAT_PARSE_H */
