/* lex.c -- the tokeniser of network and reference files.

   The text comes with a length and may hold any bytes: NUL, invalid
   UTF-8, control characters.  Every byte is classified by hand (ASCII
   only, independent of the locale); a byte that starts no token is an
   error token, never undefined behaviour.  Comments and strings may hold
   arbitrary bytes except that a string stops at a newline and refuses
   NUL (the title becomes a C string).

   Numbers are cut here and checked by fadj_number_parse: the lexer takes
   the longest span of a C-like "preprocessing number" (digits, letters,
   '.', '_', and a sign right after an exponent letter or a '/'), so that
   a malformed literal such as `1.2.3' or `3/-4' reaches the number
   parser whole and gets one precise message.  */

#include "config.h"
#include "fadj.h"
#include "lex.h"
#include "plain.h"

#include <stdio.h>
#include <string.h>

static int
is_digit (unsigned char c)
{
  return c >= '0' && c <= '9';
}

static int
is_alpha (unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int
is_alnum (unsigned char c)
{
  return is_alpha (c) || is_digit (c);
}

/* The blanks of fadj-net(5): space, tab and carriage return (a file
   written on Windows).  A form feed or a vertical tab is an error like
   any other control character.  */
static int
is_space (unsigned char c)
{
  return c == ' ' || c == '\t' || c == '\r';
}

void
fadj_lexer_init (fadj_lexer *lx, const char *text, size_t len)
{
  lx->text = text;
  lx->len = len;
  lx->pos = 0;
  lx->line = 1;
  lx->line_start = 0;
  lx->newlines = 0;
  lx->err_line = lx->err_col = 0;
  lx->msg[0] = '\0';
  /* A UTF-8 byte order mark (what Notepad writes) is no text: skipped,
     and columns count from after it.  */
  if (len >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    lx->pos = lx->line_start = 3;
}

static long
col_of (const fadj_lexer *lx, size_t pos)
{
  return (long) (pos - lx->line_start) + 1;
}

static void
tok_set (fadj_lexer *lx, fadj_token *tok, fadj_tok_kind kind, size_t start,
         size_t len)
{
  tok->plain = 0;
  tok->form = FADJ_FORM_NONE;
  tok->kind = kind;
  tok->start = start;
  tok->len = len;
  tok->line = lx->line;
  tok->col = col_of (lx, start);
}

/* An error token at START; the message is at byte ERRPOS of the current
   line (tokens never span lines, so one line number serves both).  */
static void
tok_error (fadj_lexer *lx, fadj_token *tok, size_t start, size_t errpos,
           const char *msg)
{
  tok_set (lx, tok, FADJ_TOK_ERROR, start, 1);
  lx->err_line = lx->line;
  lx->err_col = col_of (lx, errpos);
  snprintf (lx->msg, sizeof lx->msg, "%s", msg);
}

/* The unexpected byte at POS, shown as a character when printable.  */
static void
tok_error_byte (fadj_lexer *lx, fadj_token *tok, size_t pos)
{
  unsigned char c = (unsigned char) lx->text[pos];

  tok_set (lx, tok, FADJ_TOK_ERROR, pos, 1);
  lx->err_line = lx->line;
  lx->err_col = col_of (lx, pos);
  if (c >= 0x20 && c < 0x7f)
    snprintf (lx->msg, sizeof lx->msg, "unexpected character '%c'", c);
  else if (c >= 0x80)
    snprintf (lx->msg, sizeof lx->msg, "unexpected byte 0x%02x (text "
              "other than ASCII may stand only in comments and strings)", c);
  else
    snprintf (lx->msg, sizeof lx->msg, "unexpected byte 0x%02x", c);
}

/* number-span := [+-]? (digit | '.') (alnum | '.' | sign-after-exp)*
   In a hexadecimal literal 'e' is a digit, so only 'p' takes a sign.  A
   sign is also taken right after '/', so that `3/-4' is one (invalid)
   number rather than `3/' and `-4'.  */
static void
lex_number (fadj_lexer *lx, fadj_token *tok)
{
  const unsigned char *t = (const unsigned char *) lx->text;
  size_t start = lx->pos, p = start;
  int hex;

  if (t[p] == '+' || t[p] == '-')
    p++;
  hex = p + 1 < lx->len && t[p] == '0' && (t[p + 1] == 'x' || t[p + 1] == 'X');
  while (p < lx->len && (is_alnum (t[p]) || t[p] == '.' || t[p] == '/'))
    {
      unsigned char c = t[p++];
      int takes_sign = c == '/' || c == 'p' || c == 'P'
        || (!hex && (c == 'e' || c == 'E'));
      if (takes_sign && p < lx->len && (t[p] == '+' || t[p] == '-'))
        p++;
    }
  /* `1-1' would silently read as the two entries 1 and -1: there is no
     arithmetic, so say so rather than guess.  */
  if (p < lx->len && (t[p] == '+' || t[p] == '-'))
    {
      tok_error (lx, tok, start, p,
                 "a sign right after a number: separate entries with a "
                 "space or ',' (there is no arithmetic)");
      return;
    }
  tok_set (lx, tok, FADJ_TOK_NUMBER, start, p - start);
  lx->pos = p;
}

/* string := '"' (any byte but '"', '\\', newline, NUL | '\\"' | '\\\\')* '"'
   Errors of a string point at its opening quote, except a bad escape or a
   NUL, which point at themselves.  */
static void
lex_string (fadj_lexer *lx, fadj_token *tok)
{
  const char *t = lx->text;
  size_t start = lx->pos, p = start + 1;

  for (;;)
    {
      if (p >= lx->len)
        {
          tok_error (lx, tok, start, start, "unterminated string: no "
                     "closing '\"' before the end of the file");
          return;
        }
      if (t[p] == '\n')
        {
          tok_error (lx, tok, start, start, "unterminated string: no "
                     "closing '\"' before the end of the line");
          return;
        }
      if (t[p] == '\0')
        {
          tok_error (lx, tok, start, p, "unexpected byte 0x00 in a string");
          return;
        }
      if (t[p] == '"')
        break;
      if (t[p] == '\\')
        {
          if (p + 1 < lx->len && (t[p + 1] == '"' || t[p + 1] == '\\'))
            p++;
          else
            {
              tok_error (lx, tok, start, p, "unknown escape in a string: "
                         "only \\\" and \\\\ are allowed");
              return;
            }
        }
      p++;
    }
  tok_set (lx, tok, FADJ_TOK_STRING, start, p + 1 - start);
  lx->pos = p + 1;
}

void
fadj_lexer_next (fadj_lexer *lx, fadj_token *tok)
{
  const unsigned char *t = (const unsigned char *) lx->text;
  unsigned char c;

  /* Skip whitespace, comments and (unless asked for) newlines.  */
  for (;;)
    {
      if (lx->pos >= lx->len)
        {
          tok_set (lx, tok, FADJ_TOK_EOF, lx->len, 0);
          return;
        }
      c = t[lx->pos];
      if (is_space (c))
        lx->pos++;
      else if (c == '#')
        {
          const void *nl = memchr (t + lx->pos, '\n', lx->len - lx->pos);
          lx->pos = nl ? (size_t) ((const unsigned char *) nl - t) : lx->len;
        }
      else if (c == '\n')
        {
          if (lx->newlines)
            tok_set (lx, tok, FADJ_TOK_NEWLINE, lx->pos, 1);
          lx->pos++;
          lx->line++;
          lx->line_start = lx->pos;
          if (lx->newlines)
            return;
        }
      else
        break;
    }

  switch (c)
    {
    case '[': tok_set (lx, tok, FADJ_TOK_LBRACKET, lx->pos, 1); break;
    case ']': tok_set (lx, tok, FADJ_TOK_RBRACKET, lx->pos, 1); break;
    case '(': tok_set (lx, tok, FADJ_TOK_LPAREN, lx->pos, 1); break;
    case ')': tok_set (lx, tok, FADJ_TOK_RPAREN, lx->pos, 1); break;
    case ',': tok_set (lx, tok, FADJ_TOK_COMMA, lx->pos, 1); break;
    case ';': tok_set (lx, tok, FADJ_TOK_SEMICOLON, lx->pos, 1); break;
    case '"':
      lex_string (lx, tok);
      return;
    default:
      {
        unsigned char next = lx->pos + 1 < lx->len ? t[lx->pos + 1] : 0;
        if (c == '-' && next == '>')
          {
            tok_set (lx, tok, FADJ_TOK_ARROW, lx->pos, 2);
            lx->pos += 2;
            return;
          }
        if (is_digit (c) || c == '.'
            || ((c == '+' || c == '-') && (is_digit (next) || next == '.')))
          {
            lex_number (lx, tok);
            return;
          }
        if (is_alpha (c))
          {
            size_t p = lx->pos + 1;
            while (p < lx->len && is_alnum (t[p]))
              p++;
            /* A letter from outside ASCII inside a word (a Cyrillic 'е'
               in "relu"): the word is not the name it looks like, so
               point at that byte rather than at the ASCII part before.  */
            if (p < lx->len && t[p] >= 0x80)
              {
                tok_error_byte (lx, tok, p);
                return;
              }
            tok_set (lx, tok, FADJ_TOK_NAME, lx->pos, p - lx->pos);
            lx->pos = p;
            return;
          }
        tok_error_byte (lx, tok, lx->pos);
        return;
      }
    }
  lx->pos++;    /* the one-byte punctuators */
}

/* The lexer's hot path: inside a matrix of a million numbers
   fadj_lexer_next's generic dispatch costs as much as the rest of the
   parse.  Only the simplest cases are taken here -- blanks, then a span
   of a sign and digits and points, and an exponent ('e' or 'E', a sign,
   digits) perhaps, or of a sign, '0x' or '0X', hexadecimal digits and a
   point, and an exponent ('p' or 'P', a sign, digits) perhaps, ended by
   a blank, a newline, ']', ',' or ';' (or the end): there
   fadj_lexer_next would cut exactly the same token, since a number span
   stops at the first byte that is not alphanumeric, '.' or '/' (a sign
   only after its exponent's letter) and the only error after it, a
   sign, is not among those enders.  Anything else is left to
   fadj_lexer_next.  The values are read as the token is cut, by the
   scanners fadj_number_plain, fadj_number_decimal and
   fadj_number_dyadic use (plain.h), under their conditions.  */
int
fadj_lexer_next_simple_number (fadj_lexer *lx, fadj_token *tok)
{
  const unsigned char *t = (const unsigned char *) lx->text;
  size_t p = lx->pos, start, len = lx->len;
  unsigned char c;
  fadj_plain r;
  fadj_hex h;
  long x = 0, ex = 0;
  int64_t v = 0;
  int neg = 0, form = FADJ_FORM_NONE, plain = 0, places = 0;

  while (p < len && (t[p] == ' ' || t[p] == '\t'))
    p++;
  start = p;
  if (p < len && (t[p] == '+' || t[p] == '-'))
    neg = t[p++] == '-';
  if (p + 1 < len && t[p] == '0' && (t[p + 1] == 'x' || t[p + 1] == 'X'))
    {
      p = fadj_hex_scan (&h, t, p + 2, len);
      if (h.over)
        return 0;
      if (p < len && (t[p] == 'p' || t[p] == 'P'))
        {
          p++;
          if (fadj_exponent_scan (&x, t, len, &p, FADJ_MAX_LITERAL_EXP))
            return 0;
        }
      if (h.any && p - start <= FADJ_MAX_LITERAL_LEN
          && fadj_hex_value (&v, &ex, &h, neg, x))
        form = FADJ_FORM_HEX;
    }
  else
    {
      if (p == len || !(is_digit (t[p]) || t[p] == '.'))
        return 0;
      p = fadj_plain_scan (&r, t, p, len);
      if (p < len && (t[p] == 'e' || t[p] == 'E'))
        {
          p++;
          if (fadj_exponent_scan (&x, t, len, &p, FADJ_MAX_LITERAL_EXP))
            return 0;
        }
      else if ((plain = fadj_plain_ok (&r)) != 0)
        {
          places = r.places;
          v = neg ? -(int64_t) r.m : (int64_t) r.m;
        }
      /* Not plain (an exponent, or more than 18 places: binary64's
         shortest decimals of small gradients), as fadj_number_decimal
         reads it.  */
      if (!plain && r.any && r.points <= 1 && r.digits <= 18
          && p - start <= FADJ_MAX_LITERAL_LEN)
        {
          form = FADJ_FORM_DECIMAL;
          v = neg ? -(int64_t) r.m : (int64_t) r.m;
          ex = r.m == 0 ? 0 : x - r.places;
        }
    }
  if (p < len)
    {
      c = t[p];
      if (!(is_space (c) || c == '\n' || c == ']' || c == ',' || c == ';'))
        return 0;
    }
  tok->kind = FADJ_TOK_NUMBER;
  tok->start = start;
  tok->len = p - start;
  tok->line = lx->line;
  tok->col = col_of (lx, start);
  tok->form = form;
  tok->plain = plain;
  tok->places = places;
  tok->value = v;
  tok->exp = ex;
  tok->digits = fadj_literal_digits (p - start,
                                     (unsigned long) (x < 0 ? -x : x),
                                     form == FADJ_FORM_HEX);
  lx->pos = p;
  return 1;
}

const char *
fadj_quote (char *buf, size_t size, const char *s, size_t len)
{
  /* Long tokens are cut: a message quotes a token to locate it, and the
     position already does that.  */
  enum { SHOWN = 40 };
  size_t i, n = 0;

  if (size < 16)
    {
      if (size > 0)
        buf[0] = '\0';
      return buf;
    }
  buf[n++] = '\'';
  for (i = 0; i < len && i < SHOWN && n + 10 < size; i++)
    {
      unsigned char c = (unsigned char) s[i];
      if (c >= 0x20 && c < 0x7f)
        buf[n++] = (char) c;
      else
        n += (size_t) snprintf (buf + n, size - n, "\\x%02x", c);
    }
  if (i < len)
    {
      memcpy (buf + n, "...", 3);
      n += 3;
    }
  buf[n++] = '\'';
  buf[n] = '\0';
  return buf;
}

const char *
fadj_token_describe (char *buf, size_t size, const fadj_lexer *lx,
                     const fadj_token *tok)
{
  switch (tok->kind)
    {
    case FADJ_TOK_EOF:
      snprintf (buf, size, "end of file");
      return buf;
    case FADJ_TOK_NEWLINE:
      snprintf (buf, size, "end of line");
      return buf;
    default:
      return fadj_quote (buf, size, lx->text + tok->start, tok->len);
    }
}
