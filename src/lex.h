/* lex.h -- the tokeniser of network and reference files, used by their
   reader (mat-parse.c) and its tests; internal to libfadj, not
   installed.

   The lexer knows nothing of statements: it cuts the text into tokens
   with their positions.  Newlines are whitespace except where the reader
   asks for them (inside a matrix, where a newline ends a row), so the
   reader sets NEWLINES before each fadj_lexer_next.  */

#ifndef FADJ_LEX_H
#define FADJ_LEX_H

#include <stddef.h>
#include <stdint.h>

typedef enum
{
  FADJ_TOK_EOF,
  FADJ_TOK_NEWLINE,     /* only when the lexer's NEWLINES is set */
  FADJ_TOK_NAME,        /* [A-Za-z_][A-Za-z0-9_]* */
  FADJ_TOK_NUMBER,      /* a number-like span, checked by fadj_number_parse */
  FADJ_TOK_STRING,      /* "...", span includes the quotes; escapes valid */
  FADJ_TOK_LBRACKET,    /* [ */
  FADJ_TOK_RBRACKET,    /* ] */
  FADJ_TOK_LPAREN,      /* ( */
  FADJ_TOK_RPAREN,      /* ) */
  FADJ_TOK_COMMA,       /* , */
  FADJ_TOK_SEMICOLON,   /* ; */
  FADJ_TOK_ARROW,       /* -> (reserved for `sample X -> Y') */
  FADJ_TOK_ERROR        /* a lexical error, described in the lexer's MSG */
} fadj_tok_kind;

typedef struct
{
  fadj_tok_kind kind;
  size_t start, len;    /* byte span in the text */
  long line, col;       /* 1-based position of the first byte */
  /* A NUMBER cut by fadj_lexer_next_simple_number: PLAIN if it is a
     plain decimal (plain.h), then its value VALUE / 10^PLACES; 0 from
     fadj_lexer_next, which leaves the literal to the number parser.  */
  int plain, places;
  int64_t value;
  /* FORM (fadj_lexer_next_simple_number; 0 from fadj_lexer_next): a
     hexadecimal float fadj_number_dyadic accepts, VALUE 2^EXP
     (FADJ_FORM_HEX), or a decimal with an exponent fadj_number_decimal
     accepts and that is not plain, VALUE 10^EXP (FADJ_FORM_DECIMAL);
     their values as those functions give them.  */
  int form;
  long exp;
  /* With FORM or PLAIN: what the literal counts towards the file's
     limit on digits, as fadj_number_digits_valid counts it.  */
  unsigned long digits;
} fadj_token;

enum
{
  FADJ_FORM_NONE = 0,
  FADJ_FORM_HEX,
  FADJ_FORM_DECIMAL
};

typedef struct
{
  const char *text;     /* borrowed; may contain NUL bytes */
  size_t len, pos;
  long line;            /* line of POS */
  size_t line_start;    /* offset of the first byte of that line */
  int newlines;         /* return FADJ_TOK_NEWLINE instead of skipping */
  /* After a FADJ_TOK_ERROR: where and what.  The position may differ
     from the token's (a bad escape inside a string).  */
  long err_line, err_col;
  char msg[128];
} fadj_lexer;

/* Start lexing TEXT (LEN bytes, borrowed for the lexer's lifetime).  */
void fadj_lexer_init (fadj_lexer *lx, const char *text, size_t len);

/* Cut the next token into *TOK.  At the end of the text it returns
   FADJ_TOK_EOF, again and again.  On FADJ_TOK_ERROR the lexer stays put
   (the parser stops at the first error).  */
void fadj_lexer_next (fadj_lexer *lx, fadj_token *tok);

/* The same for the one case that needs no dispatch, a number between
   blanks and a row's punctuation (the bulk of a weight matrix): a sign,
   digits and points, and an exponent perhaps; or a hexadecimal float.
   Returns 1 with *TOK the token fadj_lexer_next would give (and its
   value if plain, or its FORM), or 0 having moved nothing.  */
int fadj_lexer_next_simple_number (fadj_lexer *lx, fadj_token *tok);

/* Human-readable form of TOK for "found ..." in messages, into BUF (SIZE
   bytes, NUL-terminated): "end of file", "end of line", or the token's
   text in single quotes, shortened and with non-printable bytes written
   as \xNN so that a message never carries raw control bytes.  Returns
   BUF.  */
const char *fadj_token_describe (char *buf, size_t size,
                                 const fadj_lexer *lx, const fadj_token *tok);

/* Quote the LEN bytes at S as above into BUF.  */
const char *fadj_quote (char *buf, size_t size, const char *s, size_t len);

#endif /* FADJ_LEX_H */
