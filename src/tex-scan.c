/* tex-scan.c -- the scanner of the LaTeX that fadj writes (tex-scan.h):
   brace groups, command names, environments, arguments and cells,
   shared by the translation to Markdown and text and by the width
   estimate.  */

#include "tex-scan.h"

#include <stdlib.h>
#include <string.h>

int
fadj_tex_letter_p (char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int
fadj_tex_prefix_p (const char *s, const char *end, const char *word)
{
  size_t n = strlen (word);
  return (size_t) (end - s) >= n && memcmp (s, word, n) == 0;
}

int
fadj_tex_command_p (const char *s, const char *e, const char *name)
{
  size_t n = strlen (name);
  return (size_t) (e - s) == n + 1 && memcmp (s + 1, name, n) == 0;
}

const char *
fadj_tex_group_end (const char *s, const char *end)
{
  int depth = 0;

  for (; s < end; s++)
    {
      if (*s == '\\' && s + 1 < end)
        s++;
      else if (*s == '{')
        depth++;
      else if (*s == '}' && --depth == 0)
        return s + 1;
    }
  return end;
}

const char *
fadj_tex_command_end (const char *s, const char *end)
{
  const char *p = s + 1;

  if (p < end && !fadj_tex_letter_p (*p))
    return p + 1;
  while (p < end && fadj_tex_letter_p (*p))
    p++;
  return p;
}

const char *
fadj_tex_env_end (const char *s, const char *end)
{
  int depth = 1;

  for (; s < end; s++)
    if (fadj_tex_prefix_p (s, end, "\\begin{"))
      depth++;
    else if (fadj_tex_prefix_p (s, end, "\\end{") && --depth == 0)
      return s;
  return end;
}

const char *
fadj_tex_env_close (const char *stop, const char *end)
{
  /* "\end" is four bytes; its {name} group follows.  */
  return stop < end ? fadj_tex_group_end (stop + 4, end) : end;
}

const char *
fadj_tex_argument (const char **a, const char **b, const char *s,
                   const char *end)
{
  while (s < end && *s == ' ')
    s++;
  if (s >= end)
    {
      *a = *b = end;
      return end;
    }
  if (*s == '{')
    {
      const char *g = fadj_tex_group_end (s, end);
      *a = s + 1;
      *b = g - 1;
      return g;
    }
  if (*s == '\\')
    {
      *a = s;
      *b = fadj_tex_command_end (s, end);
      return *b;
    }
  *a = s;
  *b = s + 1;
  return s + 1;
}


void
fadj_tex_split_cells (const char *s, const char *end, fadj_tex_cell_fn fn,
                      void *arg)
{
  const char *cell = s, *p = s;
  size_t row = 0, col = 0;

  while (p <= end)
    {
      if (p == end || *p == '&' || fadj_tex_prefix_p (p, end, "\\\\"))
        {
          fn (arg, cell, p, row, col);
          if (p == end)
            break;
          if (*p == '&')
            {
              col++;
              p++;
            }
          else
            {
              row++;
              col = 0;
              p += 2;
            }
          cell = p;
        }
      else if (*p == '{')
        p = fadj_tex_group_end (p, end);
      else if (fadj_tex_prefix_p (p, end, "\\begin{"))
        {
          p = fadj_tex_env_end (fadj_tex_group_end (p + 6, end), end);
          p = p < end ? fadj_tex_group_end (p + 4, end) : end;
        }
      else if (*p == '\\')
        p = fadj_tex_command_end (p, end);
      else
        p++;
    }
}


/* Count the columns of the specification [A, B) into *NCOLS, *BAR at
   the column after each rule: "c", "l", "r", "|", and "*{K}{spec}" for K
   copies of spec (fadj_latex_put_column_spec writes long runs so);
   "@{...}" and anything else add no column.  */
static void
spec_count (size_t *ncols, size_t *bar, const char *a, const char *b)
{
  const char *p, *g, *h;
  size_t k;

  for (p = a; p < b; p++)
    if (*p == 'c' || *p == 'l' || *p == 'r')
      ++*ncols;
    else if (*p == '|')
      *bar = *ncols;
    else if (*p == '@' && p + 1 < b && p[1] == '{')
      p = fadj_tex_group_end (p + 1, b) - 1;
    else if (*p == '*' && p + 1 < b && p[1] == '{')
      {
        g = fadj_tex_group_end (p + 1, b);
        k = (size_t) strtoul (p + 2, NULL, 10);
        if (g >= b || *g != '{')
          return;
        h = fadj_tex_group_end (g, b);
        /* The writer's runs are at most a matrix wide: no overflow.  */
        while (k-- > 0)
          spec_count (ncols, bar, g + 1, h - 1);
        p = h - 1;
      }
}

const char *
fadj_tex_column_spec (size_t *ncols, size_t *bar, const char *s,
                      const char *end)
{
  const char *a, *b;

  s = fadj_tex_argument (&a, &b, s, end);
  *ncols = 0;
  spec_count (ncols, bar, a, b);
  return s;
}
