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
#include "tex-scan.h"

#include <string.h>

typedef struct
{
  fadj_buf *o;
  fadj_format fmt;
  size_t width;           /* of a line of text */
} tr;

/* ------------------------------------------------------------------ */
/* Math as Unicode text.                                               */

static void math_text (fadj_buf *o, const char *s, const char *end);

/* Symbols: command name -> Unicode.  */
static const struct { const char *cmd, *u; } symbols[] = {
  /* Greek letters.  */
  { "alpha", "α" }, { "beta", "β" }, { "delta", "δ" }, { "eta", "η" },
  { "lambda", "λ" }, { "mu", "μ" }, { "pi", "π" }, { "sigma", "σ" },
  { "tau", "τ" },
  /* Operators and relations.  */
  { "odot", " ⊙ " }, { "cdot", " ·" }, { "cdotp", "·" }, { "times", "×" },
  { "pm", "±" }, { "sum", "Σ" }, { "sqrt", "√" }, { "partial", "∂" },
  { "approx", "≈" }, { "neq", "≠" }, { "le", "≤" }, { "leq", "≤" },
  { "ge", "≥" }, { "geq", "≥" }, { "in", "∈" }, { "mid", "|" },
  /* Arrows and marks.  */
  { "to", "→" }, { "leftarrow", "←" }, { "mapsto", "↦" }, { "colon", ":" },
  { "top", "ᵀ" }, { "sharp", "♯" }, { "ell", "ℓ" }, { "infty", "∞" },
  { "cdots", "⋯" }, { "vdots", "⋮" }, { "ddots", "⋱" }, { "dots", "…" },
  { "dagger", "†" },
  /* Functions, by their names; delimiters.  */
  { "tanh", "tanh" }, { "ln", "ln" }, { "exp", "exp" }, { "log", "log" },
  { "max", "max" }, { "min", "min" }, { "|", "‖" }, { "{", "{" },
  { "}", "}" }, { "lbrace", "{" }, { "rbrace", "}" },
  /* Spaces, sizes and layout.  */
  { "quad", "  " }, { "qquad", "    " }, { ",", " " }, { " ", " " },
  { ";", " " }, { "!", "" }, { "bigl", "" }, { "bigr", "" },
  { "Bigl", "" }, { "Bigr", "" }, { "displaystyle", "" }, { "limits", "" },
  { "relax", "" },
};

/* Superscript and subscript forms of the characters that have one.  */
static const char *const sup_digits[] = {
  "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹" };
static const char *const sub_digits[] = {
  "₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉" };

static const char *
script_char (const char *p, size_t *n, int sup)
{
  char c = *p;

  *n = 1;
  if (c >= '0' && c <= '9')
    return sup ? sup_digits[c - '0'] : sub_digits[c - '0'];
  switch (c)
    {
    case '-': return sup ? "⁻" : "₋";
    case '+': return sup ? "⁺" : "₊";
    case '=': return sup ? "⁼" : "₌";
    case '(': return sup ? "⁽" : "₍";
    case ')': return sup ? "⁾" : "₎";
    case '*': return "*";
    case ',': return ",";
    case ' ': return "";
    case 'i': return sup ? "ⁱ" : "ᵢ";
    case 'j': return sup ? "ʲ" : "ⱼ";
    case 'k': return sup ? "ᵏ" : "ₖ";
    case 'h': return sup ? "ʰ" : "ₕ";
    case 'l': return sup ? "ˡ" : "ₗ";
    case 'm': return sup ? "ᵐ" : "ₘ";
    case 'n': return sup ? "ⁿ" : "ₙ";
    case 's': return sup ? "ˢ" : "ₛ";
    case 'T': return sup ? "ᵀ" : NULL;
    case 'L': return sup ? "ᴸ" : NULL;
    case 'N': return sup ? "ᴺ" : NULL;
    default: break;
    }
  if (fadj_tex_prefix_p (p, p + 4, "♯"))
    {
      *n = strlen ("♯");
      return "♯";
    }
  /* Already a script character (from a nested script), or ℓ.  */
  if (fadj_tex_prefix_p (p, p + 4, "ℓ"))
    {
      *n = strlen ("ℓ");
      return sup ? "ˡ" : "ₗ";
    }
  {
    size_t k;
    for (k = 0; k < 10; k++)
      if (fadj_tex_prefix_p (p, p + 4, sup ? sup_digits[k] : sub_digits[k]))
        {
          *n = strlen (sup_digits[k]);
          return sup ? sup_digits[k] : sub_digits[k];
        }
    if (fadj_tex_prefix_p (p, p + 4, "ᵀ") && sup)
      {
        *n = strlen ("ᵀ");
        return "ᵀ";
      }
  }
  return NULL;
}

/* Append TEXT (already Unicode) as a script, character by character, or
   as ^(TEXT) / _(TEXT) when some character has no script form.  */
static void
put_script (fadj_buf *o, const char *text, int sup)
{
  const char *p;
  size_t n;

  for (p = text; *p; p += n)
    if (script_char (p, &n, sup) == NULL)
      {
        fadj_buf_printf (o, "%s(%s)", sup ? "^" : "_", text);
        return;
      }
  for (p = text; *p; p += n)
    fadj_buf_puts (o, script_char (p, &n, sup));
}

/* A group's or a single token's extent after S: [*A, *B), return the
   position after it.  */
static const char *
argument (const char **a, const char **b, const char *s, const char *end)
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

/* The cells of a matrix body [S, END): split at & and \\ outside groups
   and nested environments.  Calls back with each cell's extent, its row
   and column.  */
typedef void (*cell_fn) (void *arg, const char *a, const char *b, size_t row,
                         size_t col);

static void
split_cells (const char *s, const char *end, cell_fn fn, void *arg)
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

typedef struct
{
  fadj_buf *cells;        /* the cells, converted, NUL-separated */
  size_t rows, cols, n;
  size_t bar;             /* the column after the rule, 0 if none */
} matrix_acc;

static void
collect_cell (void *arg, const char *a, const char *b, size_t row, size_t col)
{
  matrix_acc *m = arg;
  fadj_buf *tmp = fadj_buf_new ();
  const char *p;

  if (tmp == NULL)
    return;
  math_text (tmp, a, b);
  /* Trim spaces.  */
  p = fadj_buf_data (tmp, NULL);
  while (*p == ' ')
    p++;
  fadj_buf_puts (m->cells, p);
  while (fadj_buf_len (m->cells) > 0
         && fadj_buf_data (m->cells, NULL)[fadj_buf_len (m->cells) - 1] == ' ')
    fadj_buf_truncate (m->cells, fadj_buf_len (m->cells) - 1);
  fadj_buf_puts (m->cells, "\x1f");
  if (row + 1 > m->rows)
    m->rows = row + 1;
  if (col + 1 > m->cols)
    m->cols = col + 1;
  m->n++;
  fadj_buf_free (tmp);
}

/* A matrix as text: a column vector (a, b), a row [a b], a matrix
   [a b; c d]; BRACKETS off inside \left[ \right]; BRACES for Bmatrix.  */
static void
put_matrix (fadj_buf *o, const char *body, const char *end, int brackets,
            int braces, size_t bar)
{
  matrix_acc m = { .bar = bar };
  const char *p, *q, *open = "", *close = "";
  size_t k = 0;
  int wide;

  m.cells = fadj_buf_new ();
  if (m.cells == NULL)
    return;
  split_cells (body, end, collect_cell, &m);
  p = fadj_buf_data (m.cells, NULL);
  /* Symbols with spaces need commas between them to stay apart.  */
  wide = strchr (p, ' ') != NULL;
  /* A matrix does not stick to what precedes it: W X reads "W X".  */
  if (fadj_buf_len (o) > 0)
    {
      char last = fadj_buf_data (o, NULL)[fadj_buf_len (o) - 1];
      if (last != ' ' && last != '(' && last != '{' && last != '[')
        fadj_buf_puts (o, " ");
    }
  if (braces)
    open = "{", close = "}";
  else if (m.cols == 1 && m.rows > 1)
    open = "(", close = ")";
  else if (brackets && !(m.rows == 1 && m.cols == 1))
    open = "[", close = "]";
  fadj_buf_puts (o, open);
  for (; (q = strchr (p, '\x1f')) != NULL; p = q + 1, k++)
    {
      size_t col = k % (m.cols ? m.cols : 1);
      if (k > 0)
        fadj_buf_puts (o, col == 0 ? (m.cols == 1 ? ", " : "; ")
                       : bar > 0 && col == bar ? " | " : braces ? ""
                       : wide ? ", " : " ");
      fadj_buf_printf (o, "%.*s", (int) (q - p), p);
    }
  fadj_buf_puts (o, close);
  fadj_buf_free (m.cells);
}

/* The number of characters (code points) of S.  */
static size_t
text_width (const char *s, size_t n)
{
  size_t w = 0, k;

  for (k = 0; k < n; k++)
    if ((s[k] & 0xC0) != 0x80)
      w++;
  return w;
}

/* The column specification of a tabular or an array at S ({lc|r}): the
   number of columns in *NCOLS, the column after the last rule in *BAR
   (left as it was if there is no rule).  Returns the position after it.  */
static const char *
column_spec (size_t *ncols, size_t *bar, const char *s, const char *end)
{
  const char *a, *b, *p;

  s = argument (&a, &b, s, end);
  *ncols = 0;
  for (p = a; p < b; p++)
    if (*p == 'c' || *p == 'l' || *p == 'r')
      ++*ncols;
    else if (*p == '|')
      *bar = *ncols;
  return s;
}

/* The commands of math mode that take arguments: E is the end of the
   command's name, END the end of the text; each returns the position
   after what it read.  */

/* \begin{bmatrix}, {Bmatrix} or {array}{spec}: the matrix as text.  */
static const char *
math_matrix (fadj_buf *o, const char *e, const char *end)
{
  const char *na, *nb, *body = argument (&na, &nb, e, end), *stop;
  size_t bar = 0, ncols;
  int brackets = 1, braces = 0;

  if (fadj_tex_prefix_p (na, nb, "array"))
    {
      body = column_spec (&ncols, &bar, body, end);
      brackets = 0;   /* \left[ ... \right] give them */
    }
  else if (fadj_tex_prefix_p (na, nb, "Bmatrix"))
    braces = 1;
  stop = fadj_tex_env_end (body, end);
  put_matrix (o, body, stop, brackets, braces, bar);
  return fadj_tex_env_close (stop, end);
}

/* Whether one side of a fraction, as text, needs parentheses around it
   before or after the slash.  */
static int
fraction_side_compound_p (const char *p)
{
  for (; *p; p++)
    if (*p == ' ' || *p == '+' || *p == '-')
      return 1;
  return 0;
}

/* \frac{A}{B}, \dfrac{A}{B}: A/B.  */
static const char *
math_fraction (fadj_buf *o, const char *e, const char *end)
{
  const char *a, *b, *a2, *b2, *s;
  fadj_buf *n1 = fadj_buf_new (), *n2 = fadj_buf_new ();

  s = argument (&a2, &b2, argument (&a, &b, e, end), end);
  if (n1 != NULL && n2 != NULL)
    {
      const char *num, *den;
      math_text (n1, a, b);
      math_text (n2, a2, b2);
      num = fadj_buf_data (n1, NULL);
      den = fadj_buf_data (n2, NULL);
      fadj_buf_printf (o, fraction_side_compound_p (num) ? "(%s)/" : "%s/",
                       num);
      fadj_buf_printf (o, fraction_side_compound_p (den) ? "(%s)" : "%s",
                       den);
    }
  fadj_buf_free (n1);
  fadj_buf_free (n2);
  return s;
}

/* \text{A}, \mathrm{A} and the other fonts: A.  */
static const char *
math_font (fadj_buf *o, const char *e, const char *end)
{
  const char *a, *b, *s;

  s = argument (&a, &b, e, end);
  math_text (o, a, b);
  return s;
}

/* \boxed{A}: [A].  */
static const char *
math_boxed (fadj_buf *o, const char *e, const char *end)
{
  const char *a, *b, *s;

  s = argument (&a, &b, e, end);
  fadj_buf_puts (o, "[");
  math_text (o, a, b);
  fadj_buf_puts (o, "]");
  return s;
}

/* \phantom{A}: as many underscores as the hidden text has characters,
   the blank of a worksheet.  */
static const char *
math_blank (fadj_buf *o, const char *e, const char *end)
{
  const char *a, *b, *s;
  fadj_buf *h = fadj_buf_new ();

  s = argument (&a, &b, e, end);
  if (h != NULL)
    {
      const char *p;
      size_t n;
      math_text (h, a, b);
      p = fadj_buf_data (h, NULL);
      n = text_width (p, strlen (p));
      /* Room to write in, even for a one-digit answer.  */
      for (n = n < 4 ? 4 : n; n > 0; n--)
        fadj_buf_puts (o, "_");
    }
  fadj_buf_free (h);
  return s;
}

/* \left or \right: the delimiter that follows, nothing for ".".  */
static const char *
math_delimiter (fadj_buf *o, const char *e, const char *end)
{
  const char *s = e;

  if (s < end && *s == '.')
    s++;
  else if (s < end && *s == '\\')
    {
      const char *e2 = fadj_tex_command_end (s, end);
      math_text (o, s, e2);
      s = e2;
    }
  else if (s < end)
    fadj_buf_printf (o, "%c", *s++);
  return s;
}

/* Any other command [S, E): its symbol (symbols), or its name.  */
static const char *
math_symbol (fadj_buf *o, const char *s, const char *e, const char *end)
{
  size_t k;

  for (k = 0; k < sizeof symbols / sizeof symbols[0]; k++)
    if (fadj_tex_command_p (s, e, symbols[k].cmd))
      break;
  if (k < sizeof symbols / sizeof symbols[0])
    fadj_buf_puts (o, symbols[k].u);
  else
    fadj_buf_printf (o, "%.*s", (int) (e - s - 1), s + 1);
  /* "\partial J" is ∂J: the space only ends the name.  */
  if (fadj_tex_command_p (s, e, "partial")
      || fadj_tex_command_p (s, e, "sigma"))
    while (e < end && *e == ' ')
      e++;
  return e;
}

/* The command at S (*S == '\\').  */
static const char *
math_command (fadj_buf *o, const char *s, const char *end)
{
  const char *e = fadj_tex_command_end (s, end);

  if (fadj_tex_command_p (s, e, "begin"))
    return math_matrix (o, e, end);
  if (fadj_tex_command_p (s, e, "frac") || fadj_tex_command_p (s, e, "dfrac"))
    return math_fraction (o, e, end);
  if (fadj_tex_command_p (s, e, "text") || fadj_tex_command_p (s, e, "mathrm")
      || fadj_tex_command_p (s, e, "mathbf")
      || fadj_tex_command_p (s, e, "textbf")
      || fadj_tex_command_p (s, e, "mathit"))
    return math_font (o, e, end);
  if (fadj_tex_command_p (s, e, "boxed"))
    return math_boxed (o, e, end);
  if (fadj_tex_command_p (s, e, "phantom"))
    return math_blank (o, e, end);
  if (fadj_tex_command_p (s, e, "left") || fadj_tex_command_p (s, e, "right"))
    return math_delimiter (o, e, end);
  return math_symbol (o, s, e, end);
}

/* A superscript or subscript at S (*S is '^' or '_').  */
static const char *
math_script (fadj_buf *o, const char *s, const char *end)
{
  const char *a, *b;
  fadj_buf *t = fadj_buf_new ();
  int sup = *s == '^';

  s = argument (&a, &b, s + 1, end);
  if (t != NULL)
    {
      math_text (t, a, b);
      put_script (o, fadj_buf_data (t, NULL), sup);
    }
  fadj_buf_free (t);
  return s;
}

static void
math_text (fadj_buf *o, const char *s, const char *end)
{
  while (s < end)
    {
      char c = *s;

      if (c == '\\')
        s = math_command (o, s, end);
      else if (c == '^' || c == '_')
        s = math_script (o, s, end);
      else if (c == '{' || c == '}' || c == '&')
        s++;
      else if (c == '\n')
        {
          fadj_buf_puts (o, " ");
          s++;
        }
      else if (c == ' ')
        {
          size_t n = fadj_buf_len (o);
          if (n > 0 && fadj_buf_data (o, NULL)[n - 1] != ' ')
            fadj_buf_puts (o, " ");
          s++;
        }
      else
        fadj_buf_printf (o, "%c", *s++);
    }
}

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
  math_text (t, a, b);
  while (fadj_buf_len (t) > 0
         && fadj_buf_data (t, NULL)[fadj_buf_len (t) - 1] == ' ')
    fadj_buf_truncate (t, fadj_buf_len (t) - 1);
  p = fadj_buf_data (t, NULL);
  while (*p == ' ')
    p++;
  if (col == 0)
    {
      /* A new line: the left side, remembered for continuations.  */
      size_t k, w = text_width (p, strlen (p));
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
      split_cells (body, end, display_line, &d);
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
  const char *na, *nb, *body = argument (&na, &nb, e, end), *stop;

  if (fadj_tex_prefix_p (na, nb, "tabular"))
    {
      table_acc ta = { .t = t };
      size_t bar = 0;
      body = column_spec (&ta.ncols, &bar, body, end);
      stop = fadj_tex_env_end (body, end);
      split_cells (body, stop, table_cell, &ta);
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
  s = argument (&a, &b, p, end);
  fadj_buf_puts (t->o, "\n");
  if (md)
    fadj_buf_puts (t->o, level == 1 ? "# " : level == 2 ? "## " : "**");
  start = fadj_buf_len (t->o);
  prose (t, a, b);
  if (md && level == 3)
    fadj_buf_puts (t->o, "**");
  else if (!md && level < 3)
    {
      size_t w = text_width (fadj_buf_data (t->o, NULL) + start,
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

  s = argument (&a, &b, e, end);
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

  s = argument (&a, &b, e, end);
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

  s = argument (&a, &b, argument (&a, &b, e, end), end);
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
    return argument (&a, &b, argument (&a, &b, e, end), end);
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
    math_text (t->o, s + 1, q);
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
