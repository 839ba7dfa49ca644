/* buf.c -- a growing NUL-terminated string, the one sink of the writers,
   and the escaping of user text for TeX.

   The status is sticky, as in a FILE's error indicator: after the first
   failed growth every append is a no-op, so a writer can append a whole
   document without testing each call and look at fadj_buf_status once at
   the end.  The contents stay a valid (truncated) string meanwhile.  */

#include "fadj-impl.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct fadj_buf
{
  char *data;          /* NULL until the first append; then NUL-terminated */
  size_t len, cap;     /* len < cap whenever data != NULL */
  fadj_status status;
  /* The spill (fadj_buf_set_spill): what has been handed to it is gone
     from DATA; SPILLED says whether anything has been, since the last
     reset.  */
  size_t limit;
  int (*spill) (void *ctx, const char *data, size_t len);
  int (*rewind) (void *ctx);
  void *ctx;
  int spilled;
};

fadj_buf *
fadj_buf_new (void)
{
  fadj_buf *b = malloc (sizeof *b);

  if (b == NULL)
    return NULL;
  b->data = NULL;
  b->len = b->cap = 0;
  b->status = FADJ_OK;
  b->limit = 0;
  b->spill = NULL;
  b->rewind = NULL;
  b->ctx = NULL;
  b->spilled = 0;
  return b;
}

/* The _free convention, as fadj_decimal_outer_free has it too: a no-op
   on NULL, then what B owns.  */
void
fadj_buf_free (fadj_buf *b)
{
  if (b == NULL)
    return;
  free (b->data);
  free (b);
}

/* Make room for N more bytes plus the NUL.  Returns 0 on success; on
   failure records FADJ_ERR_NOMEM (sticky) and returns -1.  Capacity
   doubles, so appending a document of size S costs O(S).  */
static int
buf_reserve (fadj_buf *b, size_t n)
{
  size_t need, cap;
  char *p;

  if (b->status != FADJ_OK)
    return -1;
  if (n > SIZE_MAX - 1 - b->len)
    goto fail;
  need = b->len + n + 1;
  /* Hand the contents to the spill rather than hold more than its limit.
     Only here, before any pointer into DATA is taken for the append.  */
  if (b->spill != NULL && need > b->limit && b->len > 0)
    {
      if (b->spill (b->ctx, b->data, b->len) != 0)
        {
          b->status = FADJ_ERR_IO;
          return -1;
        }
      b->spilled = 1;
      b->len = 0;
      b->data[0] = '\0';
      need = n + 1;
    }
  if (need <= b->cap)
    return 0;
  cap = b->cap != 0 ? b->cap : 256;
  while (cap < need)
    cap = cap <= SIZE_MAX / 2 ? 2 * cap : need;
  p = realloc (b->data, cap);
  if (p == NULL)
    goto fail;
  if (b->data == NULL)
    p[0] = '\0';
  b->data = p;
  b->cap = cap;
  return 0;

fail:
  b->status = FADJ_ERR_NOMEM;
  return -1;
}

void
fadj_buf_put_mem (fadj_buf *b, const char *s, size_t n)
{
  if (buf_reserve (b, n) != 0)
    return;
  memcpy (b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void
fadj_buf_puts (fadj_buf *b, const char *s)
{
  fadj_buf_put_mem (b, s, strlen (s));
}

void
fadj_buf_printf (fadj_buf *b, const char *fmt, ...)
{
  va_list ap, aq;
  int n;

  if (b->status != FADJ_OK)
    return;
  /* First try in the room left (at least one byte so that vsnprintf has
     somewhere to put its NUL); if the text is longer, grow to the exact
     size vsnprintf reported and format again.  */
  if (buf_reserve (b, 0) != 0)
    return;
  va_start (ap, fmt);
  va_copy (aq, ap);
  n = vsnprintf (b->data + b->len, b->cap - b->len, fmt, ap);
  va_end (ap);
  if (n < 0)
    {
      /* Only an encoding error can get here (a %ls with an unconvertible
         wide character): report it as a failed write, never print.  */
      b->data[b->len] = '\0';
      b->status = FADJ_ERR_IO;
    }
  else if ((size_t) n < b->cap - b->len)
    b->len += (size_t) n;
  else if (buf_reserve (b, (size_t) n) == 0)
    {
      vsnprintf (b->data + b->len, b->cap - b->len, fmt, aq);
      b->len += (size_t) n;
    }
  else
    b->data[b->len] = '\0';   /* the first try may have left a prefix */
  va_end (aq);
}

/* Length of the well-formed UTF-8 sequence at S (1 to 4 bytes), or 0 if
   the bytes there are not one.  Checked because inputenc's utf8 stops
   pdflatex on a malformed sequence: a title must never break the
   document.  */
static size_t
utf8_seq_len (const unsigned char *s, unsigned long *cp)
{
  size_t n, k;
  unsigned long c;

  if (s[0] < 0xC2)
    return 0;                 /* continuation byte or overlong lead */
  else if (s[0] < 0xE0)
    n = 2, c = s[0] & 0x1F;
  else if (s[0] < 0xF0)
    n = 3, c = s[0] & 0x0F;
  else if (s[0] < 0xF5)
    n = 4, c = s[0] & 0x07;
  else
    return 0;
  for (k = 1; k < n; k++)
    {
      if ((s[k] & 0xC0) != 0x80)
        return 0;             /* also stops at the NUL */
      c = (c << 6) | (s[k] & 0x3F);
    }
  if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000)
      || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
    return 0;                 /* overlong, surrogate or out of range */
  *cp = c;
  return n;
}

/* Every character that means something to TeX in text mode is replaced
   by a command that typesets it, so that user text can never run TeX code
   (\input, \write18), open or close a group, or switch to math mode.
   < > | are replaced too: in the OT1 encoding that the document uses they
   would print as other glyphs, and so are the characters that form
   ligatures.  Tabs and newlines become spaces (a blank line would end a
   paragraph inside \title); other control characters, and bytes that are
   not well-formed UTF-8, are dropped; a character that pdflatex cannot
   typeset (tex_typesets_p) is written as its code point, [U+1F600].  */
/* Whether pdflatex typesets code point C with the document's inputenc
   utf8 and OT1 encoding.  Any other character stops pdflatex ("Unicode
   character not set up for use with LaTeX", "Command \\k unavailable in
   encoding OT1"), so a student's emoji would break the document.  The
   list was found by compiling every code point of U+00A0..U+017F and
   the common punctuation (TeX Live 2022); tests/hostile.sh compiles a
   title with all of them.  */
static int
tex_typesets_p (unsigned long c)
{
  static const unsigned long ranges[][2] = {
    { 0x00A0, 0x00AA }, { 0x00AC, 0x00BA }, { 0x00BC, 0x00CF },
    { 0x00D1, 0x00DD }, { 0x00DF, 0x00EF }, { 0x00F1, 0x00FD },
    { 0x00FF, 0x0103 }, { 0x0106, 0x010F }, { 0x0112, 0x0117 },
    { 0x011A, 0x0125 }, { 0x0128, 0x012D }, { 0x0130, 0x0137 },
    { 0x0139, 0x013E }, { 0x0141, 0x0148 }, { 0x014C, 0x0165 },
    { 0x0168, 0x0171 }, { 0x0174, 0x017E },
    { 0x2013, 0x2014 }, { 0x2018, 0x2019 }, { 0x201C, 0x201D },
    { 0x2020, 0x2022 }, { 0x2026, 0x2026 }, { 0x20AC, 0x20AC }
  };
  size_t k;

  for (k = 0; k < sizeof ranges / sizeof ranges[0]; k++)
    if (c >= ranges[k][0] && c <= ranges[k][1])
      return 1;
  return 0;
}

/* A word of at least this many bytes gets a break opportunity every
   TEX_WORD_CHUNK of them: TeX never breaks a word it cannot hyphenate,
   and one of 200 characters runs off the page.  Shorter words (the
   longest names fadj writes, such as categorical_cross_entropy, are 25)
   stay as they are.  */
enum { TEX_LONG_WORD = 32, TEX_WORD_CHUNK = 16 };

/* The bytes of the word that starts at P: up to a space or the end.  */
static size_t
word_len (const unsigned char *p)
{
  size_t n = 0;

  while (p[n] != '\0' && p[n] != ' ' && p[n] != '\t' && p[n] != '\n'
         && p[n] != '\r')
    n++;
  return n;
}

void
fadj_buf_put_tex_escaped (fadj_buf *b, const char *s)
{
  const unsigned char *p = (const unsigned char *) s;
  size_t left = 0, run = 0;     /* of the current word: bytes to come,
                                   bytes since the last break */

  while (*p != '\0' && b->status == FADJ_OK)
    {
      const char *rep = NULL;
      unsigned char c = *p;

      if (left == 0)
        {
          left = word_len (p);
          run = 0;
          if (left < TEX_LONG_WORD)
            run = (size_t) -1;  /* no break in a short word */
        }
      if (left > 0 && run != (size_t) -1 && run >= TEX_WORD_CHUNK
          && (c & 0xC0) != 0x80)
        {
          /* Between two characters (never inside a UTF-8 sequence).  */
          fadj_buf_puts (b, "\\allowbreak{}");
          run = 0;
        }
      if (left > 0)
        {
          left--;
          if (run != (size_t) -1)
            run++;
        }

      /* A case per character TeX treats specially: a table written as
         a switch, its rows alike in shape only.  */
      switch (c)
        {
        case '\\': rep = "\\textbackslash{}"; break;
        case '{':  rep = "\\{"; break;
        case '}':  rep = "\\}"; break;
        case '$':  rep = "\\$"; break;
        case '&':  rep = "\\&"; break;
        case '#':  rep = "\\#"; break;
        case '^':  rep = "{\\ttfamily\\char94}"; break;
        case '_':  rep = "{\\ttfamily\\char95}"; break;
        case '%':  rep = "\\%"; break;
        case '~':  rep = "{\\ttfamily\\char126}"; break;
        case '<':  rep = "\\textless{}"; break;
        case '>':  rep = "\\textgreater{}"; break;
        case '|':  rep = "\\textbar{}"; break;
        /* Ligatures would change what is shown: -- and --- are dashes,
           `` and '' curly quotes, !` and ?` inverted marks, and OT1
           prints " as a closing quote.  The typewriter font has the ASCII
           glyphs of " ^ ~ _ (the text accents would be copied from the PDF
           as U+02C6 and U+02DC).  */
        case '-':  rep = "-{}"; break;
        case '`':  rep = "\\textasciigrave{}"; break;
        case '\'': rep = "\\textquotesingle{}"; break;
        case '"':  rep = "{\\ttfamily\\char34}"; break;
        case '\t': case '\n': case '\r':
          rep = " "; break;
        default:
          break;
        }
      if (rep != NULL)
        {
          fadj_buf_puts (b, rep);
          p++;
        }
      else if (c < 0x20 || c == 0x7F)
        p++;
      else if (c < 0x80)
        fadj_buf_put_mem (b, (const char *) p++, 1);
      else
        {
          unsigned long cp = 0;
          size_t n = utf8_seq_len (p, &cp);
          if (n == 0)
            p++;
          else
            {
              if (tex_typesets_p (cp))
                fadj_buf_put_mem (b, (const char *) p, n);
              else
                fadj_buf_printf (b, "[U+%04lX]", cp);
              p += n;
            }
        }
    }
}

fadj_status
fadj_buf_status (const fadj_buf *b)
{
  return b->status;
}

const char *
fadj_buf_data (const fadj_buf *b, size_t *len)
{
  if (len != NULL)
    *len = b->len;
  return b->data != NULL ? b->data : "";
}

/* Empty the buffer and clear its status; the memory is kept for reuse.
   What was spilled is taken back too: a failed rewind is FADJ_ERR_IO.  */
void
fadj_buf_reset (fadj_buf *b)
{
  b->len = 0;
  if (b->data != NULL)
    b->data[0] = '\0';
  b->status = FADJ_OK;
  if (b->spilled)
    {
      b->spilled = 0;
      /* Spilling turned off since: what went out cannot be taken back.  */
      if (b->rewind == NULL || b->rewind (b->ctx) != 0)
        b->status = FADJ_ERR_IO;
    }
}

void
fadj_buf_set_spill (fadj_buf *b, size_t limit,
                    int (*spill) (void *ctx, const char *data, size_t len),
                    int (*rewind) (void *ctx), void *ctx)
{
  b->limit = limit;
  b->spill = spill;
  b->rewind = rewind;
  b->ctx = ctx;
}

size_t
fadj_buf_len (const fadj_buf *b)
{
  return b->len;
}

void
fadj_buf_truncate (fadj_buf *b, size_t len)
{
  if (len < b->len)
    {
      b->len = len;
      b->data[len] = '\0';
    }
}

void
fadj_buf_put_ctl_escaped (fadj_buf *b, const char *s)
{
  for (; *s; s++)
    {
      unsigned char c = (unsigned char) *s;
      if (c < 0x20 || c == 0x7f)
        fadj_buf_printf (b, "\\x%02x", c);
      else
        fadj_buf_put_mem (b, s, 1);
    }
}
