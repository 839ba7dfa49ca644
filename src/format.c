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
   renders the mathematics in Unicode (format-math.c): superscript and
   subscript digits, Greek letters; inline formulas on one line, and
   displays laid out in two dimensions to the width (text-layout.h),
   matrices and column vectors in tall brackets.  Its prose is wrapped
   to the width in a last pass; what is laid out already (displays,
   tables, headings) is marked for that pass to leave alone.  */

#include "fadj-impl.h"
#include "format-math.h"
#include "tex-scan.h"
#include "text-layout.h"

#include <stdlib.h>
#include <string.h>

typedef struct
{
  fadj_buf *o;
  fadj_format fmt;
  size_t width;           /* of a line of text */
  fadj_status st;         /* the first failure of scratch space */
} tr;

/* ------------------------------------------------------------------ */
/* Displays.                                                           */

/* A mark at the start of a line of text that is laid out already (a
   display, a table, a heading): the last pass copies it as it is,
   instead of wrapping it as prose.  The writer's TeX has no control
   characters (fadj_buf_put_tex_escaped drops them).  */
#define LAID_OUT '\x01'

/* Append the lines of [S, S + N) to T's output, each marked LAID_OUT.  */
static void
put_laid_out (tr *t, const char *s, size_t n)
{
  const char *e, *end = s + n;

  for (; s < end; s = e + 1)
    {
      e = memchr (s, '\n', (size_t) (end - s));
      if (e == NULL)
        e = end;
      fadj_buf_printf (t->o, "%c", LAID_OUT);
      fadj_buf_put_mem (t->o, s, (size_t) (e - s));
      fadj_buf_puts (t->o, "\n");
    }
}

/* Record the failure ST of T (the first one is kept).  */
static void
tr_fail (tr *t, fadj_status st)
{
  if (t->st == FADJ_OK)
    t->st = st;
}

/* A display as text: each line of the align* (a row of the body) one
   fadj_hlist, laid out to the width from column 4.  A line without a
   left side continues the one before: it starts under its relation.  A
   line of several equations (the members of a family, the weights and
   biases after training) has them in columns, as the align* has: the
   display is read twice, first to measure them (MEASURE).  */
typedef struct
{
  tr *t;
  int measure;            /* the first reading: only EQ_WIDTH */
  size_t eq_width;        /* the widest first equation of a line of
                             several */
  fadj_hlist *row;        /* the line being read, or NULL */
  size_t nrow;            /* its number */
  int lhs;                /* it has a left side */
  int quad;               /* its right side starts with \quad */
  size_t mark;            /* the relation's column in the last line with
                             a left side, 0 before one */
  int tall;               /* the last line took several rows */
  fadj_buf *lines;        /* scratch: the layout */
} display_acc;

/* The line read so far, laid out.  */
static void
display_row_end (display_acc *d)
{
  tr *t = d->t;
  size_t indent = 4, mark;
  fadj_status st;

  if (d->row == NULL)
    return;
  if (!d->measure && !fadj_hlist_blank_p (d->row))
    {
      /* A continuation goes under the relation, or a quad right of it
         (the writer's "&\quad + ..."), unless that is too far right.  */
      if (!d->lhs && d->mark > 0 && d->mark <= t->width / 2)
        indent = d->mark + (d->quad ? 2 : 0);
      fadj_buf_reset (d->lines);
      st = fadj_hlist_layout (d->lines, &mark, d->row, indent, t->width);
      if (st != FADJ_OK)
        tr_fail (t, st);
      else if (fadj_buf_status (d->lines) != FADJ_OK)
        tr_fail (t, FADJ_ERR_NOMEM);
      else
        {
          /* A blank line between an equation and the next when one of
             them is drawn on several rows, which would touch.  */
          const char *p = fadj_buf_data (d->lines, NULL);
          int tall = strchr (p, '\n') != NULL
                     && strchr (p, '\n')[1] != '\0';
          if (d->nrow > 0 && d->lhs && (tall || d->tall))
            fadj_buf_puts (t->o, "\n");
          d->tall = tall;
          put_laid_out (t, p, fadj_buf_len (d->lines));
        }
      if (d->lhs)
        d->mark = mark;
    }
  fadj_hlist_free (d->row);
  d->row = NULL;
}

/* Whether [A, B) starts with \quad (after spaces).  */
static int
quad_first_p (const char *a, const char *b)
{
  while (a < b && (*a == ' ' || *a == '\n'))
    a++;
  return fadj_tex_prefix_p (a, b, "\\quad");
}

/* One cell of the display: the left side (column 0), then the right
   side from the mark, then, in a line of several equations (the
   members of a family), each next pair after a break of class EQ.  */
static void
display_cell (void *arg, const char *a, const char *b, size_t row,
              size_t col)
{
  display_acc *d = arg;
  fadj_status st;

  if (row != d->nrow || d->row == NULL)
    {
      display_row_end (d);
      d->nrow = row;
      d->lhs = d->quad = 0;
      if ((d->row = fadj_hlist_new ()) == NULL)
        {
          tr_fail (d->t, FADJ_ERR_NOMEM);
          return;
        }
    }
  if (col == 1)
    {
      d->lhs = !fadj_hlist_blank_p (d->row);
      d->quad = quad_first_p (a, b);
      if (d->lhs)
        fadj_hlist_text (d->row, " ", 1, FADJ_BRK_NONE, 0);
      fadj_hlist_mark (d->row);
    }
  else if (col % 2 == 1)
    fadj_hlist_text (d->row, " ", 1, FADJ_BRK_NONE, 0);
  else if (col > 0)
    {
      /* The next equation, in the column of the widest.  */
      static const char spaces[] = "                                ";
      size_t w = fadj_hlist_width (d->row), pad = 3;
      if (d->measure && col == 2 && w > d->eq_width)
        d->eq_width = w;
      if (!d->measure && col == 2 && d->eq_width > w)
        pad += d->eq_width - w;
      if (pad >= sizeof spaces)
        pad = sizeof spaces - 1;
      fadj_hlist_text (d->row, spaces, pad, FADJ_BRK_EQ, 0);
    }
  if ((st = fadj_math_hlist (d->row, a, b)) != FADJ_OK)
    tr_fail (d->t, st);
}

/* A display in text: laid out, a blank line before and after.  */
static void
put_display_text (tr *t, const char *body, const char *end)
{
  display_acc d = { .t = t };

  if ((d.lines = fadj_buf_new ()) == NULL)
    {
      tr_fail (t, FADJ_ERR_NOMEM);
      return;
    }
  d.measure = 1;
  fadj_tex_split_cells (body, end, display_cell, &d);
  display_row_end (&d);
  d.measure = 0;
  d.nrow = 0;
  fadj_buf_puts (t->o, "\n");
  fadj_tex_split_cells (body, end, display_cell, &d);
  display_row_end (&d);
  fadj_buf_puts (t->o, "\n");
  fadj_buf_free (d.lines);
}

/* Maths [S, END) as Markdown keeps it, TeX, with every star written
   \ast: a renderer without a maths extension reads the * of X_{*} as
   emphasis (and the pairs of them across a paragraph as its marks),
   while \ast is the same symbol to KaTeX, MathJax and TeX.  Array's @{}
   is dropped (KaTeX does not know it), and its *{K}{c}
   (fadj_latex_put_column_spec) written out as K c's apart, which KaTeX
   reads and the wrapping of long lines may break between.  */
static void
put_md_math (tr *t, const char *s, const char *end)
{
  for (; s < end; s++)
    if (fadj_tex_prefix_p (s, end, "*{") && s + 2 < end
        && s[2] >= '0' && s[2] <= '9')
      {
        const char *g = fadj_tex_group_end (s + 1, end), *h;
        unsigned long k = strtoul (s + 2, NULL, 10);
        if (g >= end || *g != '{')
          {
            fadj_buf_put_mem (t->o, s, 1);
            continue;
          }
        h = fadj_tex_group_end (g, end);
        for (; k > 0; k--)
          {
            fadj_buf_put_mem (t->o, g + 1, (size_t) (h - 1 - (g + 1)));
            if (k > 1)
              fadj_buf_puts (t->o, " ");
          }
        s = h - 1;
      }
    else if (*s == '*')
      /* A letter after it would run into the command's name.  */
      fadj_buf_puts (t->o, s + 1 < end && fadj_tex_letter_p (s[1])
                     ? "\\ast " : "\\ast");
    else if (fadj_tex_prefix_p (s, end, "\\tag{"))
      {
        /* A step's number: KaTeX and MathJax accept \tag only on a
           whole display, not on a row of aligned; "(7)" after a
           \qquad reads the same everywhere.  */
        const char *g = fadj_tex_group_end (s + 4, end);
        fadj_buf_puts (t->o, "\\qquad(");
        fadj_buf_put_mem (t->o, s + 5, (size_t) (g - 1 - (s + 5)));
        fadj_buf_puts (t->o, ")");
        s = g - 1;
      }
    else if (*s == '\\' && s + 1 < end)
      {
        /* An escaped character, or a command's first letter: as is.  */
        fadj_buf_put_mem (t->o, s, 2);
        s++;
      }
    else if (fadj_tex_prefix_p (s, end, "@{}"))
      s += 2;
    else
      fadj_buf_put_mem (t->o, s, 1);
}

static void
put_display (tr *t, const char *body, const char *end)
{
  if (t->fmt == FADJ_FORMAT_MARKDOWN)
    {
      /* The TeX as it is (put_md_math), in an aligned environment.  */
      /* No blank line inside: Markdown would end the block there.  */
      while (body < end && (*body == '\n' || *body == ' '))
        body++;
      while (end > body && (end[-1] == '\n' || end[-1] == ' '))
        end--;
      fadj_buf_puts (t->o, "\n$$\n\\begin{aligned}\n");
      put_md_math (t, body, end);
      fadj_buf_puts (t->o, "\n\\end{aligned}\n$$\n\n");
    }
  else
    put_display_text (t, body, end);
}

/* ------------------------------------------------------------------ */
/* Prose.                                                              */

static void prose (tr *t, const char *s, const char *end);

/* A tabular: in Markdown written cell by cell; in text gathered (CELL,
   row by row, NCOLS to a row, and where the rules are) and then laid
   out.  */
typedef struct
{
  tr *t;
  size_t ncols, rows;
  char **cell;            /* text: rows x ncols, NULL for an empty one */
  unsigned char *rule;    /* text: a rule after row i */
  size_t cap;             /* rows allocated */
  size_t blank_first;     /* Markdown: 1 + the row whose first cell was
                             empty (the summary's rows after a layer's
                             first), 0 if none */
} table_acc;

/* Text: cell (ROW, COL) of TA becomes the prose [P, B) as one line.  */
static void
table_cell_text (table_acc *ta, const char *p, const char *b, size_t row,
                 size_t col)
{
  tr ct = { .fmt = FADJ_FORMAT_TEXT, .width = ta->t->width,
            .st = FADJ_OK };
  char *c;
  size_t k, n;

  if (row >= ta->cap)
    {
      size_t cap = 2 * row + 4;
      char **cell = realloc (ta->cell, cap * ta->ncols * sizeof *cell);
      unsigned char *rule = cell ? realloc (ta->rule, cap) : NULL;
      if (cell != NULL)
        ta->cell = cell;
      if (rule == NULL)
        {
          tr_fail (ta->t, FADJ_ERR_NOMEM);
          return;
        }
      ta->rule = rule;
      memset (ta->cell + ta->cap * ta->ncols, 0,
              (cap - ta->cap) * ta->ncols * sizeof *cell);
      memset (ta->rule + ta->cap, 0, cap - ta->cap);
      ta->cap = cap;
    }
  if (row + 1 > ta->rows)
    ta->rows = row + 1;
  if (col >= ta->ncols || (ct.o = fadj_buf_new ()) == NULL)
    {
      if (col < ta->ncols)
        tr_fail (ta->t, FADJ_ERR_NOMEM);
      return;
    }
  prose (&ct, p, b);
  n = fadj_buf_len (ct.o);
  if (fadj_buf_status (ct.o) != FADJ_OK || ct.st != FADJ_OK
      || (c = malloc (n + 1)) == NULL)
    tr_fail (ta->t, FADJ_ERR_NOMEM);
  else
    {
      memcpy (c, fadj_buf_data (ct.o, NULL), n + 1);
      for (k = 0; k < n; k++)
        if (c[k] == '\n')
          c[k] = ' ';
      free (ta->cell[row * ta->ncols + col]);
      ta->cell[row * ta->ncols + col] = c;
    }
  fadj_buf_free (ct.o);
}

/* Text: the table TA gathered, laid out from column 4, and freed.  */
static void
table_end_text (table_acc *ta)
{
  tr *t = ta->t;
  fadj_buf *b = fadj_buf_new ();
  size_t k;
  fadj_status st;

  if (b == NULL)
    tr_fail (t, FADJ_ERR_NOMEM);
  else if (ta->rows > 0 && t->st == FADJ_OK)
    {
      for (k = 0; k < ta->rows * ta->ncols; k++)
        if (ta->cell[k] == NULL && (ta->cell[k] = calloc (1, 1)) == NULL)
          break;
      if (k < ta->rows * ta->ncols)
        tr_fail (t, FADJ_ERR_NOMEM);
      else if ((st = fadj_text_table (b, (const char *const *) ta->cell,
                                      ta->rows, ta->ncols,
                                      ta->rule, 4, t->width)) != FADJ_OK
               || (st = fadj_buf_status (b)) != FADJ_OK)
        tr_fail (t, st);
      else
        {
          fadj_buf_puts (t->o, "\n");
          put_laid_out (t, fadj_buf_data (b, NULL), fadj_buf_len (b));
          fadj_buf_puts (t->o, "\n");
        }
    }
  for (k = 0; k < ta->cap * ta->ncols; k++)
    free (ta->cell[k]);
  free (ta->cell);
  free (ta->rule);
  fadj_buf_free (b);
}

static void
table_cell (void *arg, const char *a, const char *b, size_t row, size_t col)
{
  table_acc *ta = arg;
  tr *t = ta->t;
  const char *p = a;

  while (p < b && (*p == ' ' || *p == '\n'))
    p++;
  if (fadj_tex_prefix_p (p, b, "\\hline"))
    {
      p += 6;
      if (t->fmt == FADJ_FORMAT_TEXT && row > 0 && row - 1 < ta->cap)
        ta->rule[row - 1] = 1;
    }
  while (p < b && (*p == ' ' || *p == '\n'))
    p++;
  if (p == b && col == 0)
    {
      /* The empty row after the last \\, or a row that begins with an
         empty cell: Markdown opens it at its next cell, if any.  */
      ta->blank_first = row + 1;
      return;
    }
  if (t->fmt == FADJ_FORMAT_TEXT)
    {
      table_cell_text (ta, p, b, row, col);
      return;
    }
  if (col == 0)
    fadj_buf_puts (t->o, "\n| ");
  else
    {
      if (col == 1 && ta->blank_first == row + 1)
        fadj_buf_puts (t->o, "\n| ");
      fadj_buf_puts (t->o, " | ");
    }
  prose (t, p, b);
  if (col + 1 == ta->ncols)
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

/* The ASCII punctuation that can start a Markdown construct inside a
   line: emphasis (* _ ~), code (`), a heading (#), a table cell (|), a
   link or an image ([ ], which ! and ( need), maths ($, for the
   renderers with a maths extension), an entity (&), raw HTML and
   autolinks (< >, see text_chars).  Every character of the document's
   prose goes through here, the user's (a title) as well as fadj's, so
   that no text can become a link, an image, HTML, an entity or
   mathematics; CommonMark allows a backslash before any of them.  */
static int
md_special_p (char c)
{
  return c != '\0' && strchr ("*_~`#|[]$&<>^\\", c) != NULL;
}

/* Is the character at S (in BEGIN..END) where GitHub's Markdown would
   start an autolink of its own, without any markup: the ':' of "://"
   or the '.' of "www."?  Escaped, it stays text (CommonMark allows a
   backslash before any ASCII punctuation).  An e-mail address is found
   after escapes are read, so no escape hides it: it may become a
   mailto: link, which loads nothing and runs nothing.  */
static int
md_autolink_p (const char *s, const char *begin, const char *end)
{
  if (*s == ':')
    return s + 2 < end && s[1] == '/' && s[2] == '/';
  return *s == '.' && s - begin >= 3 && (s[-3] | 0x20) == 'w'
         && (s[-2] | 0x20) == 'w' && (s[-1] | 0x20) == 'w';
}

static void
put_char_md (tr *t, char c)
{
  if (t->fmt == FADJ_FORMAT_MARKDOWN && md_special_p (c))
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
      if (t->fmt == FADJ_FORMAT_TEXT)
        table_end_text (&ta);
      else
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

/* A heading of text, the prose [A, B): wrapped to the width (a title
   is the user's, of any length) and underlined with RULE as wide as its
   longest line.  */
static void
heading_text (tr *t, const char *a, const char *b, const char *rule)
{
  tr h = { .fmt = FADJ_FORMAT_TEXT, .width = t->width, .st = FADJ_OK };
  fadj_buf *w = fadj_buf_new ();
  const char *p, *q;
  size_t n, k, longest = 0;
  char *d;

  h.o = fadj_buf_new ();
  if (h.o == NULL || w == NULL)
    tr_fail (t, FADJ_ERR_NOMEM);
  else
    {
      prose (&h, a, b);
      d = (char *) fadj_buf_data (h.o, &n);
      for (k = 0; k < n; k++)
        if (d[k] == '\n')
          d[k] = ' ';
      fadj_text_wrap (w, d, n, t->width);
      for (p = fadj_buf_data (w, NULL); (q = strchr (p, '\n')) != NULL;
           p = q + 1)
        if (fadj_text_width (p, (size_t) (q - p)) > longest)
          longest = fadj_text_width (p, (size_t) (q - p));
      fadj_buf_puts (t->o, "\n");
      put_laid_out (t, fadj_buf_data (w, NULL), fadj_buf_len (w));
      fadj_buf_printf (t->o, "%c", LAID_OUT);
      for (k = 0; k < longest; k++)
        fadj_buf_puts (t->o, rule);
      fadj_buf_puts (t->o, "\n");
      if (fadj_buf_status (h.o) != FADJ_OK || fadj_buf_status (w) != FADJ_OK)
        tr_fail (t, FADJ_ERR_NOMEM);
    }
  fadj_buf_free (h.o);
  fadj_buf_free (w);
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

  if (p < end && *p == '*')
    p++;
  s = fadj_tex_argument (&a, &b, p, end);
  if (!md && level < 3)
    {
      heading_text (t, a, b, level == 1 ? "=" : "-");
      return s;
    }
  fadj_buf_puts (t->o, "\n");
  if (md)
    fadj_buf_puts (t->o, level == 1 ? "# " : level == 2 ? "## " : "**");
  prose (t, a, b);
  if (md && level == 3)
    fadj_buf_puts (t->o, "**");
  fadj_buf_puts (t->o, level == 3 ? " " : "\n");
  return s;
}

/* The prose from A to B as a Markdown code span, inside which nothing
   is escaped: its delimiter a run of backticks longer than any in the
   text (a file name may hold backticks: with a single one as delimiter,
   `a`[x](javascript:...)`b` would close the span and open a link), and
   a space inside it where the text starts or ends with a backtick
   (CommonMark strips one such space on each side).  */
static void
code_span (tr *t, const char *a, const char *b)
{
  fadj_buf *tmp = fadj_buf_new ();
  tr plain = { .o = tmp, .fmt = FADJ_FORMAT_TEXT };
  const char *s, *p;
  size_t len, run = 0, longest = 0, k;
  int pad;

  if (tmp == NULL)
    {
      t->st = FADJ_ERR_NOMEM;
      return;
    }
  prose (&plain, a, b);
  s = fadj_buf_data (tmp, &len);
  for (p = s; p < s + len; p++)
    {
      run = *p == '`' ? run + 1 : 0;
      if (run > longest)
        longest = run;
    }
  pad = len > 0 && (s[0] == '`' || s[len - 1] == '`');
  for (k = 0; k <= longest; k++)
    fadj_buf_puts (t->o, "`");
  if (pad)
    fadj_buf_puts (t->o, " ");
  fadj_buf_put_mem (t->o, s, len);
  if (pad)
    fadj_buf_puts (t->o, " ");
  for (k = 0; k <= longest; k++)
    fadj_buf_puts (t->o, "`");
  if (fadj_buf_status (tmp) != FADJ_OK && t->st == FADJ_OK)
    t->st = fadj_buf_status (tmp);
  fadj_buf_free (tmp);
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
  if (code && md)
    {
      code_span (t, a, b);
      return s;
    }
  fadj_buf_puts (t->o, mark);
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
  if (t->fmt == FADJ_FORMAT_MARKDOWN && md_special_p (text_chars[k].c))
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
  if (fadj_tex_command_p (s, e, "setcounter")
      || fadj_tex_command_p (s, e, "renewcommand"))
    /* Layout (\setcounter, \renewcommand{\arraystretch}): dropped with
       its two arguments.  */
    return fadj_tex_argument (&a, &b, fadj_tex_argument (&a, &b, e, end), end);
  if (fadj_tex_command_p (s, e, "emergencystretch")
      || fadj_tex_command_p (s, e, "interdisplaylinepenalty"))
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
    /* In text, a quad starting a line indents it as a list's item
       ("  Layer 1: ..."), which the wrapping keeps.  */
    fadj_buf_puts (t->o, t->fmt == FADJ_FORMAT_TEXT ? "  " : " ");
  else if (fadj_tex_command_p (s, e, "par"))
    fadj_buf_puts (t->o, "\n\n");
  /* Anything else in prose (\noindent, \relax, sizes, \hline) is
     layout: dropped.  */
  /* TeX skips the spaces after a command's name; in text they would
     indent a line (\noindent The loss ...).  */
  if (t->fmt == FADJ_FORMAT_TEXT && fadj_tex_letter_p (s[1]))
    while (e < end && *e == ' ')
      e++;
  return e;
}

/* What a line of prose may break after inside a formula: a relation, an
   operator between terms, a comma -- where TeX breaks inline math.  */
static const char *const inline_breaks[] = {
  "=", "≈", "≤", "≥", "≠", "←", "→", "+", "-", "⊙", "·", ",", ":"
};

/* The inline formula [S, END) as text into T's output, its spaces
   non-breaking but after a relation, an operator or a comma, so that
   the wrapping of the prose does not cut "W X" or "σ(t)ᵢ = ...".  */
static void
put_inline_text (tr *t, const char *s, const char *end)
{
  fadj_buf *m = fadj_buf_new ();
  const char *d;
  size_t n, k, j;

  if (m == NULL)
    {
      tr_fail (t, FADJ_ERR_NOMEM);
      return;
    }
  fadj_math_text (m, s, end);
  d = fadj_buf_data (m, &n);
  for (k = 0; k < n; k++)
    {
      int breakable = 0;
      if (d[k] != ' ')
        {
          fadj_buf_put_mem (t->o, d + k, 1);
          continue;
        }
      for (j = 0; j < sizeof inline_breaks / sizeof inline_breaks[0]; j++)
        {
          size_t l = strlen (inline_breaks[j]);
          if (k >= l && memcmp (d + k - l, inline_breaks[j], l) == 0)
            breakable = 1;
        }
      fadj_buf_printf (t->o, "%c", breakable ? ' ' : FADJ_TEXT_NBSP);
    }
  if (fadj_buf_status (m) != FADJ_OK)
    tr_fail (t, FADJ_ERR_NOMEM);
  fadj_buf_free (m);
}

/* Inline math $...$ at S: kept as TeX in Markdown, as text otherwise.  */
static const char *
prose_math (tr *t, const char *s, const char *end)
{
  const char *q = s + 1;

  while (q < end && *q != '$')
    q += *q == '\\' ? 2 : 1;
  if (t->fmt == FADJ_FORMAT_MARKDOWN)
    {
      fadj_buf_puts (t->o, "$");
      put_md_math (t, s + 1, q);
      fadj_buf_puts (t->o, "$");
    }
  else
    put_inline_text (t, s + 1, q);
  return q < end ? q + 1 : end;
}

static void
prose (tr *t, const char *s, const char *end)
{
  const char *begin = s;

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
      else if (t->fmt == FADJ_FORMAT_MARKDOWN && md_autolink_p (s, begin, end))
        fadj_buf_printf (t->o, "\\%c", *s++);
      else
        put_char_md (t, *s++);
    }
}

fadj_status
fadj_format_convert (fadj_buf *out, const char *tex, size_t len,
                     fadj_format fmt, size_t width)
{
  tr t = { .fmt = fmt, .width = width, .st = FADJ_OK };
  const char *p, *q;
  size_t blank = 0;
  fadj_status st;

  t.o = fadj_buf_new ();
  if (t.o == NULL)
    return FADJ_ERR_NOMEM;
  prose (&t, tex, tex + len);
  /* Tidy: no runs of more than one blank line, no trailing spaces, no
     blank lines at the top; in text, prose wrapped to the width.  */
  p = fadj_buf_data (t.o, NULL);
  while (*p == '\n')
    p++;
  for (; *p; p = q + (*q != '\0'))
    {
      size_t n, k = 0;
      int laid_out = *p == LAID_OUT;
      q = strchr (p, '\n');
      if (q == NULL)
        q = p + strlen (p);
      p += laid_out;
      n = (size_t) (q - p);
      while (n > 0 && p[n - 1] == ' ')
        n--;
      while (k < n && p[k] == ' ')
        k++;
      if (k == n)
        {
          blank++;
          continue;
        }
      /* One blank line for a run of them, none at the end.  */
      if (blank > 0)
        fadj_buf_puts (out, "\n");
      blank = 0;
      if (fmt == FADJ_FORMAT_TEXT && !laid_out)
        fadj_text_wrap (out, p, n, width);
      else
        fadj_buf_printf (out, "%.*s\n", (int) n, p);
    }
  st = t.st != FADJ_OK ? t.st : fadj_buf_status (t.o);
  fadj_buf_free (t.o);
  return st != FADJ_OK ? st : fadj_buf_status (out);
}
