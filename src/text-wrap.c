/* text-wrap.c -- prose wrapped to a width, and tables (text-layout.h).

   Words are filled greedily into lines, as a terminal reader expects
   (and as fmt(1) does); a run of spaces is one space.  Words joined by
   FADJ_TEXT_NBSP -- the parts of an inline formula -- move to the next
   line together, unless together they are longer than a line: then they
   are broken there too, rather than let out past the width.  */

#include "text-layout.h"

#include <stdlib.h>
#include <string.h>

static int
space_p (char c)
{
  return c == ' ' || c == FADJ_TEXT_NBSP;
}

/* The next word of [S, END) from *P: its extent [*A, *B), whether a
   non-breaking space joins it to the word before (*GLUED); 0 at the
   end.  */
static int
next_word (const char **a, const char **b, int *glued, const char **p,
           const char *end)
{
  const char *q = *p;

  *glued = 0;
  for (; q < end && space_p (*q); q++)
    if (*q == FADJ_TEXT_NBSP)
      *glued = 1;
  if (q == end)
    return 0;
  *a = q;
  while (q < end && !space_p (*q))
    q++;
  *b = q;
  *p = q;
  return 1;
}

/* The end of the group of words starting at P (the words joined to it by
   non-breaking spaces), and its width in *W when the words are one space
   apart.  */
static const char *
group_end (size_t *w, const char *p, const char *end)
{
  const char *a, *b, *q = p;
  int glued, first = 1;

  *w = 0;
  while (next_word (&a, &b, &glued, &q, end))
    {
      if (!first && !glued)
        break;
      *w += (first ? 0 : 1) + fadj_text_width (a, (size_t) (b - a));
      first = 0;
      p = q;
    }
  return p;
}

static void
put_spaces (fadj_buf *b, size_t n)
{
  for (; n > 0; n--)
    fadj_buf_puts (b, " ");
}

/* The bytes of the longest prefix of [A, B), whole code points, at most
   COLS columns wide; at least one code point.  */
static size_t
fit_prefix (const char *a, const char *b, size_t cols)
{
  const char *p = a, *q;

  do
    {
      q = p + 1;
      while (q < b && ((unsigned char) *q & 0xC0) == 0x80)
        q++;                    /* the rest of a UTF-8 sequence */
      if (p > a && fadj_text_width (a, (size_t) (q - a)) > cols)
        break;
      p = q;
    }
  while (p < b);
  return (size_t) (p - a);
}

/* Does [A, B) hold a decimal digit?  */
static int
has_digit_p (const char *a, const char *b)
{
  for (; a < b; a++)
    if (*a >= '0' && *a <= '9')
      return 1;
  return 0;
}

/* The words of [S, END) into lines of WIDTH columns starting at column
   INDENT, each ended by a newline (none if there are no words).  A word
   wider than a line is let out alone if it holds a digit (a number cut
   in two reads as two numbers), else cut where the line ends (a title's
   200-letter word).  */
static void
wrap (fadj_buf *out, const char *s, const char *end, size_t indent,
      size_t width)
{
  const char *p = s, *a, *b, *g;
  size_t x = 0, gw, ww;
  int glued, open = 0;          /* a line has words on it */

  while ((g = group_end (&gw, p, end)) != p)
    {
      /* The group on this line, or on the next, or broken up.  */
      if (open && x + 1 + gw > width && indent + gw <= width)
        {
          fadj_buf_puts (out, "\n");
          open = 0;
        }
      while (next_word (&a, &b, &glued, &p, g))
        {
          ww = fadj_text_width (a, (size_t) (b - a));
          if (open && x + 1 + ww > width)
            {
              fadj_buf_puts (out, "\n");
              open = 0;
            }
          while (!open && indent < width && ww > width - indent
                 && !has_digit_p (a, b))
            {
              size_t k = fit_prefix (a, b, width - indent);
              put_spaces (out, indent);
              fadj_buf_put_mem (out, a, k);
              fadj_buf_puts (out, "\n");
              a += k;
              ww = fadj_text_width (a, (size_t) (b - a));
            }
          if (open)
            fadj_buf_puts (out, " ");
          else
            put_spaces (out, indent);
          x = (open ? x + 1 : indent) + ww;
          fadj_buf_put_mem (out, a, (size_t) (b - a));
          open = 1;
        }
      p = g;
    }
  if (open)
    fadj_buf_puts (out, "\n");
}

void
fadj_text_wrap (fadj_buf *out, const char *s, size_t n, size_t width)
{
  size_t indent = 0;

  while (indent < n && s[indent] == ' ')
    indent++;
  wrap (out, s + indent, s + n, indent, width ? width : SIZE_MAX);
}

/* The width of the words of S one space apart, and in *LONGEST that of
   the longest word: the width a cell asks for, and the least it can be
   wrapped to.  */
static size_t
words_width (size_t *longest, const char *s)
{
  const char *p = s, *a, *b, *end = s + strlen (s);
  size_t w = 0, ww;
  int glued;

  *longest = 0;
  while (next_word (&a, &b, &glued, &p, end))
    {
      ww = fadj_text_width (a, (size_t) (b - a));
      w += (w > 0 ? 1 : 0) + ww;
      if (ww > *longest)
        *longest = ww;
    }
  return w;
}

/* Line K of the wrapped cell S (lines ended by newlines) into OUT,
   padded with spaces to W columns unless LAST.  */
static void
put_cell_line (fadj_buf *out, const char *s, size_t k, size_t w, int last)
{
  const char *e;
  size_t n = 0;

  for (; k > 0 && s != NULL; k--)
    s = (s = strchr (s, '\n')) != NULL ? s + 1 : NULL;
  if (s != NULL && *s != '\0')
    {
      e = strchr (s, '\n');
      n = e ? (size_t) (e - s) : strlen (s);
      fadj_buf_put_mem (out, s, n);
      n = fadj_text_width (s, n);
    }
  if (!last)
    put_spaces (out, w > n ? w - n : 0);
}

static size_t
count_lines (const char *s)
{
  size_t n = 0;

  for (; *s; s++)
    n += *s == '\n';
  return n;
}

fadj_status
fadj_text_table (fadj_buf *out, const char *const *cells, size_t rows,
                 size_t cols, const unsigned char *rule_after, size_t indent,
                 size_t width)
{
  size_t *w = calloc (cols + 1, sizeof *w), *least = calloc (cols + 1,
                                                             sizeof *w);
  fadj_buf **wrapped = calloc (cols + 1, sizeof *wrapped);
  fadj_buf *line = fadj_buf_new ();
  size_t i, j, k, total = indent, lo, h;
  fadj_status st = FADJ_OK;

  if (w == NULL || least == NULL || wrapped == NULL || line == NULL)
    st = FADJ_ERR_NOMEM;
  for (j = 0; j < cols && st == FADJ_OK; j++)
    {
      if ((wrapped[j] = fadj_buf_new ()) == NULL)
        st = FADJ_ERR_NOMEM;
      for (i = 0; i < rows && st == FADJ_OK; i++)
        {
          size_t cw = words_width (&lo, cells[i * cols + j]);
          if (cw > w[j])
            w[j] = cw;
          if (lo > least[j])
            least[j] = lo;
        }
      total += w[j] + (j > 0 ? 3 : 0);
    }
  /* Too wide: narrow the widest column that can be, one column at a
     time, so that the columns end as even as their words allow.  */
  while (st == FADJ_OK && total > width)
    {
      size_t best = cols;
      for (j = 0; j < cols; j++)
        if (w[j] > least[j] && (best == cols || w[j] > w[best]))
          best = j;
      if (best == cols)
        break;
      w[best]--;
      total--;
    }
  for (i = 0; i < rows && st == FADJ_OK; i++)
    {
      for (j = 0, h = 1; j < cols; j++)
        {
          const char *c = cells[i * cols + j];
          fadj_buf_reset (wrapped[j]);
          wrap (wrapped[j], c, c + strlen (c), 0, w[j]);
          if (count_lines (fadj_buf_data (wrapped[j], NULL)) > h)
            h = count_lines (fadj_buf_data (wrapped[j], NULL));
          if (fadj_buf_status (wrapped[j]) != FADJ_OK)
            st = FADJ_ERR_NOMEM;
        }
      for (k = 0; k < h && st == FADJ_OK; k++)
        {
          const char *d;
          size_t n;
          fadj_buf_reset (line);
          put_spaces (line, indent);
          for (j = 0; j < cols; j++)
            {
              if (j > 0)
                fadj_buf_puts (line, " | ");
              put_cell_line (line, fadj_buf_data (wrapped[j], NULL), k, w[j],
                             j + 1 == cols);
            }
          /* An empty last cell leaves spaces at the end.  */
          d = fadj_buf_data (line, &n);
          while (n > 0 && d[n - 1] == ' ')
            n--;
          fadj_buf_put_mem (out, d, n);
          fadj_buf_puts (out, "\n");
          if (fadj_buf_status (line) != FADJ_OK)
            st = FADJ_ERR_NOMEM;
        }
      if (rule_after[i])
        {
          put_spaces (out, indent);
          for (j = 0; j < cols; j++)
            {
              if (j > 0)
                fadj_buf_puts (out, "-+-");
              for (k = 0; k < w[j]; k++)
                fadj_buf_puts (out, "-");
            }
          fadj_buf_puts (out, "\n");
        }
    }
  for (j = 0; j < cols && wrapped != NULL; j++)
    fadj_buf_free (wrapped[j]);
  free (wrapped);
  fadj_buf_free (line);
  free (w);
  free (least);
  return st;
}
