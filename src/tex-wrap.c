/* tex-wrap.c -- long lines broken where a newline means what the space
   meant (tex-wrap.h).

   A space may become a newline, for TeX (and KaTeX or MathJax inside a
   Markdown display), when the line has no comment so far (text after a
   '%' would come out of the comment), the space is not a control space
   ("\ "), and it is followed by neither a space nor a newline (two
   newlines are a paragraph).  For Markdown the new line must not start
   a block: it starts with '&', '\', a letter, '{', '(', or a number
   or '-' not followed by what makes a list item; table rows and
   headings (lines starting with '|' or '#') are left whole.  */

#include "tex-wrap.h"

#include <ctype.h>

void
fadj_wrap_init (fadj_wrap_state *s)
{
  s->col = 0;
  s->nobreak = 0;
  s->backslashes = 0;
  s->prev = '\n';
}

/* Can a line start at P (END the end of what is known) without starting
   a Markdown block?  Unknown (the chunk ends first): no.  */
static int
safe_line_start (const char *p, const char *end)
{
  const char *q;

  if (p >= end)
    return 0;
  if (*p == '&' || *p == '\\' || *p == '{' || *p == '('
      || isalpha ((unsigned char) *p))
    return 1;
  q = p;
  if (*q == '-')
    q++;
  if (q >= end || !isdigit ((unsigned char) *q))
    return 0;
  /* "1." and "1)" open an ordered list; "-1" and "12\\" do not.  */
  while (q < end && isdigit ((unsigned char) *q))
    q++;
  return q < end && *q != '.' && *q != ')';
}

void
fadj_wrap_chunk (fadj_wrap_state *s, char *data, size_t len)
{
  char *end = data + len;
  char *p;

  for (p = data; p < end; p++)
    {
      char c = *p;
      if (c == '\n')
        {
          s->col = 0;
          s->nobreak = 0;
          s->backslashes = 0;
          s->prev = '\n';
          continue;
        }
      if (s->prev == '\n' && (c == '|' || c == '#'))
        s->nobreak = 1;
      if (c == '%' && s->backslashes % 2 == 0)
        s->nobreak = 1;
      if (c == ' ' && s->col >= FADJ_WRAP_COLUMN && !s->nobreak
          && s->prev != ' ' && s->backslashes % 2 == 0
          && safe_line_start (p + 1, end))
        {
          *p = '\n';
          s->col = 0;
          s->backslashes = 0;
          s->prev = '\n';
          continue;
        }
      s->backslashes = c == '\\' ? s->backslashes + 1 : 0;
      s->prev = c;
      s->col++;
    }
}
