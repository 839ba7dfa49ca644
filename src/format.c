/* format.c -- the derivation as Markdown or as plain Unicode text.

   There is one derivation writer (latex.c); the other formats are made
   from what it writes, by a translation of syntax alone, so that no
   second copy of the derivation can drift from the first.  The writer
   emits a small, known subset of LaTeX, and this file knows exactly that
   subset:

   - prose: \section*, \subsection, \paragraph, \emph, \textbf, \texttt,
     \noindent, ~, the escapes of fadj_buf_put_tex_escaped, inline $...$,
     a tabular (the verification), \fbox{\parbox{..}{..}} (a failure);
   - displays: align* (possibly inside a size group {\small ...});
   - math: matrices (bmatrix, Bmatrix, array with a rule), \frac, sub- and
     superscripts, and a few dozen symbols.

   Markdown keeps the mathematics as TeX between $...$ and $$...$$
   (align* becomes aligned, which KaTeX, MathJax, GitHub and Jupyter all
   render; array's @{} is dropped, KaTeX does not know it).  Text
   renders the mathematics in Unicode: superscript and subscript digits,
   Greek letters, column vectors as (a, b), matrices as [a b; c d].  */

#include "fadj-impl.h"
#include "format-math.h"
#include "tex-scan.h"
#include "text-layout.h"

#include <string.h>

typedef struct
{
  fadj_buf *o;
  fadj_format fmt;
  size_t width;           /* of a line of text */
} tr;

/* ------------------------------------------------------------------ */
/* Displays.                                                           */

typedef struct
{
  fadj_buf *o;
  size_t indent;          /* the first line's left side, for the rest */
  size_t line;
} display_acc;

static void
display_line (void *arg, const char *a, const char *b, size_t row, size_t col)
{
  display_acc *d = arg;
  fadj_buf *t;
  const char *p;

  (void) col;
  if (d->line != row)
    {
      d->line = row;
    }
  t = fadj_buf_new ();
  if (t == NULL)
    return;
  fadj_math_text (t, a, b);
  while (fadj_buf_len (t) > 0
         && fadj_buf_data (t, NULL)[fadj_buf_len (t) - 1] == ' ')
    fadj_buf_truncate (t, fadj_buf_len (t) - 1);
  p = fadj_buf_data (t, NULL);
  while (*p == ' ')
    p++;
  if (col == 0)
    {
      /* A new line: the left side, remembered for continuations.  */
      size_t k, w = fadj_text_width (p, strlen (p));
      fadj_buf_puts (d->o, row > 0 || d->indent > 0 ? "\n    " : "    ");
      if (w == 0)
        for (k = 0; k < d->indent; k++)
          fadj_buf_puts (d->o, " ");
      else
        d->indent = w + 1;
      fadj_buf_puts (d->o, p);
    }
  else
    {
      fadj_buf_puts (d->o, " ");
      fadj_buf_puts (d->o, p);
    }
  fadj_buf_free (t);
}

static void
put_display (tr *t, const char *body, const char *end)
{
  if (t->fmt == FADJ_FORMAT_MARKDOWN)
    {
      /* The TeX as it is, in an aligned environment, minus array's @{}
         (KaTeX does not know it).  */
      const char *p;
      /* No blank line inside: Markdown would end the block there.  */
      while (body < end && (*body == '\n' || *body == ' '))
        body++;
      while (end > body && (end[-1] == '\n' || end[-1] == ' '))
        end--;
      fadj_buf_puts (t->o, "\n$$\n\\begin{aligned}\n");
      for (p = body; p < end; p++)
        {
          if (fadj_tex_prefix_p (p, end, "@{}"))
            {
              p += 2;
              continue;
            }
          fadj_buf_printf (t->o, "%c", *p);
        }
      fadj_buf_puts (t->o, "\n\\end{aligned}\n$$\n\n");
    }
  else
    {
      display_acc d = { .o = t->o };
      fadj_buf_puts (t->o, "\n");
      fadj_tex_split_cells (body, end, display_line, &d);
      fadj_buf_puts (t->o, "\n\n");
    }
}

/* ------------------------------------------------------------------ */
/* Prose.                                                              */

static void prose (tr *t, const char *s, const char *end);

typedef struct
{
  tr *t;
  size_t ncols, row;
} table_acc;

static void
table_cell (void *arg, const char *a, const char *b, size_t row, size_t col)
{
  table_acc *ta = arg;
  tr *t = ta->t;
  const char *p = a;

  while (p < b && (*p == ' ' || *p == '\n'))
    p++;
  if (fadj_tex_prefix_p (p, b, "\\hline"))
    p += 6;
  while (p < b && (*p == ' ' || *p == '\n'))
    p++;
  if (p == b && col == 0)
    return;                 /* the empty row after the last \\ */
  if (col == 0)
    fadj_buf_puts (t->o, t->fmt == FADJ_FORMAT_MARKDOWN ? "\n| " : "\n    ");
  else
    fadj_buf_puts (t->o, " | ");
  prose (t, p, b);
  if (col + 1 == ta->ncols && t->fmt == FADJ_FORMAT_MARKDOWN)
    {
      size_t k;
      fadj_buf_puts (t->o, " |");
      if (row == 0)
        {
          fadj_buf_puts (t->o, "\n|");
          for (k = 0; k < ta->ncols; k++)
            fadj_buf_puts (t->o, "---|");
        }
    }
}

static void
put_char_md (tr *t, char c)
{
  if (t->fmt == FADJ_FORMAT_MARKDOWN && (c == '*' || c == '_' || c == '`'
                                         || c == '#' || c == '|'))
    fadj_buf_printf (t->o, "\\%c", c);
  else
    fadj_buf_printf (t->o, "%c", c);
}

/* The commands of prose that take arguments: E is the end of the
   command's name, END the end of the text; each returns the position
   after what it read.  */

/* \begin{tabular}{spec} (the verification's table), \begin{align*} (a
   display), anything else (center): its body.  */
static const char *
prose_environment (tr *t, const char *e, const char *end)
{
  const char *na, *nb, *body = fadj_tex_argument (&na, &nb, e, end), *stop;

  if (fadj_tex_prefix_p (na, nb, "tabular"))
    {
      table_acc ta = { .t = t };
      size_t bar = 0;
      body = fadj_tex_column_spec (&ta.ncols, &bar, body, end);
      stop = fadj_tex_env_end (body, end);
      fadj_tex_split_cells (body, stop, table_cell, &ta);
      fadj_buf_puts (t->o, "\n\n");
    }
  else
    {
      stop = fadj_tex_env_end (body, end);
      if (fadj_tex_prefix_p (na, nb, "align"))
        put_display (t, body, stop);
      else
        prose (t, body, stop);      /* center */
    }
  return fadj_tex_env_close (stop, end);
}

/* \section*{A}, \subsection{A}, \paragraph{A}: a Markdown heading
   (\paragraph in bold), or in text A underlined with = or -.  */
static const char *
prose_heading (tr *t, const char *s, const char *e, const char *end)
{
  int md = t->fmt == FADJ_FORMAT_MARKDOWN;
  int level = fadj_tex_command_p (s, e, "section") ? 1
              : fadj_tex_command_p (s, e, "subsection") ? 2 : 3;
  const char *p = e, *a, *b;
  size_t start;

  if (p < end && *p == '*')
    p++;
  s = fadj_tex_argument (&a, &b, p, end);
  fadj_buf_puts (t->o, "\n");
  if (md)
    fadj_buf_puts (t->o, level == 1 ? "# " : level == 2 ? "## " : "**");
  start = fadj_buf_len (t->o);
  prose (t, a, b);
  if (md && level == 3)
    fadj_buf_puts (t->o, "**");
  else if (!md && level < 3)
    {
      size_t w = fadj_text_width (fadj_buf_data (t->o, NULL) + start,
                             fadj_buf_len (t->o) - start), k;
      fadj_buf_puts (t->o, "\n");
      for (k = 0; k < w; k++)
        fadj_buf_puts (t->o, level == 1 ? "=" : "-");
    }
  fadj_buf_puts (t->o, level == 3 ? " " : "\n");
  return s;
}

/* \emph{A}, \textbf{A}, \texttt{A}: *A*, **A**, `A` in Markdown, A in
   text.  */
static const char *
prose_markup (tr *t, const char *s, const char *e, const char *end)
{
  int md = t->fmt == FADJ_FORMAT_MARKDOWN;
  const char *mark = !md ? "" : fadj_tex_command_p (s, e, "emph") ? "*"
                     : fadj_tex_command_p (s, e, "textbf") ? "**" : "`";
  int code = fadj_tex_command_p (s, e, "texttt");
  const char *a, *b;

  s = fadj_tex_argument (&a, &b, e, end);
  fadj_buf_puts (t->o, mark);
  if (code && md)
    {
      /* Inside backticks nothing is escaped.  */
      tr plain = { .o = t->o, .fmt = FADJ_FORMAT_TEXT };
      prose (&plain, a, b);
    }
  else
    prose (t, a, b);
  fadj_buf_puts (t->o, mark);
  return s;
}

/* \fbox{A} (a failure): a quotation in Markdown, indented in text.  */
static const char *
prose_fbox (tr *t, const char *e, const char *end)
{
  const char *a, *b, *s;

  s = fadj_tex_argument (&a, &b, e, end);
  fadj_buf_puts (t->o, t->fmt == FADJ_FORMAT_MARKDOWN ? "\n> " : "\n    ");
  prose (t, a, b);
  fadj_buf_puts (t->o, "\n");
  return s;
}

/* \parbox{width}{A}: A.  */
static const char *
prose_parbox (tr *t, const char *e, const char *end)
{
  const char *a, *b, *s;

  s = fadj_tex_argument (&a, &b, fadj_tex_argument (&a, &b, e, end), end);
  prose (t, a, b);
  return s;
}

/* The text commands of fadj_buf_put_tex_escaped: the character each
   stands for.  */
static const struct { const char *cmd; char c; } text_chars[] = {
  { "textbackslash", '\\' }, { "textasciicircum", '^' },
  { "textasciitilde", '~' }, { "textless", '<' }, { "textgreater", '>' },
  { "textbar", '|' }, { "textasciigrave", '`' }, { "textquotesingle", '\'' },
};

/* The command of text_chars K, at E the end of its name, and the empty
   group that may end it: its character, escaped in Markdown where
   Markdown would read it as markup.  */
static const char *
prose_text_char (tr *t, size_t k, const char *e, const char *end)
{
  if (t->fmt == FADJ_FORMAT_MARKDOWN && strchr ("\\<>|`", text_chars[k].c))
    fadj_buf_printf (t->o, "\\%c", text_chars[k].c);
  else
    fadj_buf_printf (t->o, "%c", text_chars[k].c);
  if (e + 1 < end && e[0] == '{' && e[1] == '}')
    e += 2;
  return e;
}

/* \char<decimal>: the escaper's typewriter ASCII glyphs (" ^ _ ~, see
   fadj_buf_put_tex_escaped).  */
static const char *
prose_char_code (tr *t, const char *e, const char *end)
{
  unsigned code = 0;
  const char *p = e;

  while (p < end && *p >= '0' && *p <= '9' && code < 256)
    code = 10 * code + (unsigned) (*p++ - '0');
  if (p > e && code >= 0x20 && code < 0x7F)
    put_char_md (t, (char) code);
  return p;
}

/* The command at S (*S == '\\').  */
static const char *
prose_command (tr *t, const char *s, const char *end)
{
  const char *e = fadj_tex_command_end (s, end), *a, *b;
  size_t k;

  if (fadj_tex_command_p (s, e, "begin"))
    return prose_environment (t, e, end);
  if (fadj_tex_command_p (s, e, "section")
      || fadj_tex_command_p (s, e, "subsection")
      || fadj_tex_command_p (s, e, "paragraph"))
    return prose_heading (t, s, e, end);
  if (fadj_tex_command_p (s, e, "emph") || fadj_tex_command_p (s, e, "textbf")
      || fadj_tex_command_p (s, e, "texttt"))
    return prose_markup (t, s, e, end);
  if (fadj_tex_command_p (s, e, "fbox"))
    return prose_fbox (t, e, end);
  if (fadj_tex_command_p (s, e, "parbox"))
    return prose_parbox (t, e, end);
  if (fadj_tex_command_p (s, e, "setcounter"))
    /* Layout: dropped with its two arguments.  */
    return fadj_tex_argument (&a, &b, fadj_tex_argument (&a, &b, e, end), end);
  if (fadj_tex_command_p (s, e, "emergencystretch"))
    {
      /* Layout: dropped up to its \relax.  */
      while (s < end && !fadj_tex_prefix_p (s, end, "\\relax"))
        s++;
      return s < end ? s + 6 : end;
    }
  if (fadj_tex_command_p (s, e, "char"))
    return prose_char_code (t, e, end);
  for (k = 0; k < sizeof text_chars / sizeof text_chars[0]; k++)
    if (fadj_tex_command_p (s, e, text_chars[k].cmd))
      return prose_text_char (t, k, e, end);
  if (e == s + 2 && !fadj_tex_letter_p (s[1]))
    {
      /* \_ \% \& \# \$ \{ \}, and \\ (a line break).  */
      if (s[1] == '\\')
        fadj_buf_puts (t->o, "\n");
      else
        put_char_md (t, s[1]);
    }
  else if (fadj_tex_command_p (s, e, "quad")
           || fadj_tex_command_p (s, e, "qquad"))
    fadj_buf_puts (t->o, " ");
  else if (fadj_tex_command_p (s, e, "par"))
    fadj_buf_puts (t->o, "\n\n");
  /* Anything else in prose (\noindent, \relax, sizes, \hline) is
     layout: dropped.  */
  return e;
}

/* Inline math $...$ at S: kept as TeX in Markdown, as text otherwise.  */
static const char *
prose_math (tr *t, const char *s, const char *end)
{
  const char *q = s + 1;

  while (q < end && *q != '$')
    q += *q == '\\' ? 2 : 1;
  if (t->fmt == FADJ_FORMAT_MARKDOWN)
    fadj_buf_printf (t->o, "$%.*s$", (int) (q - s - 1), s + 1);
  else
    fadj_math_text (t->o, s + 1, q);
  return q < end ? q + 1 : end;
}

static void
prose (tr *t, const char *s, const char *end)
{
  while (s < end)
    {
      char c = *s;

      if (c == '%')
        {
          /* A comment, with its end of line.  */
          while (s < end && *s != '\n')
            s++;
          if (s < end)
            s++;
        }
      else if (c == '$')
        s = prose_math (t, s, end);
      else if (c == '\\')
        s = prose_command (t, s, end);
      else if (c == '~')
        {
          fadj_buf_puts (t->o, " ");
          s++;
        }
      else if (c == '{' || c == '}')
        s++;
      else
        put_char_md (t, *s++);
    }
}

fadj_status
fadj_format_convert (fadj_buf *out, const char *tex, size_t len,
                     fadj_format fmt, size_t width)
{
  tr t = { .fmt = fmt, .width = width };
  const char *p, *q;
  size_t blank = 0;

  t.o = fadj_buf_new ();
  if (t.o == NULL)
    return FADJ_ERR_NOMEM;
  prose (&t, tex, tex + len);
  /* Tidy: no runs of more than one blank line, no trailing spaces, no
     blank lines at the top.  */
  p = fadj_buf_data (t.o, NULL);
  while (*p == '\n')
    p++;
  for (; *p; p = q + (*q != '\0'))
    {
      size_t n;
      q = strchr (p, '\n');
      if (q == NULL)
        q = p + strlen (p);
      n = (size_t) (q - p);
      while (n > 0 && p[n - 1] == ' ')
        n--;
      if (n == 0)
        {
          blank++;
          continue;
        }
      /* One blank line for a run of them, none at the end.  */
      if (blank > 0)
        fadj_buf_puts (out, "\n");
      blank = 0;
      fadj_buf_printf (out, "%.*s\n", (int) n, p);
    }
  fadj_buf_free (t.o);
  return fadj_buf_status (out);
}

