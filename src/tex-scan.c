/* tex-scan.c -- the scanner of the LaTeX that fadj writes (tex-scan.h):
   brace groups, command names and environments, shared by the
   translation to Markdown and text and by the width estimate.  */

#include "tex-scan.h"

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
