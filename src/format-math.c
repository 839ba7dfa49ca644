/* format-math.c -- the mathematics of the writer's LaTeX as Unicode
   text, for the text format (format.c): superscript and subscript
   characters, Greek letters and operators, fractions as a/b.  On one
   line (an inline formula, a cell of a matrix), matrices are (a, b) and
   [a b; c d]; a display's cell becomes atoms for text-layout.h instead
   (fadj_math_hlist), its matrices drawn in two dimensions and the places
   it may break marked.  The two readings share the symbols and the
   commands with arguments (fractions, fonts, boxes): only matrices,
   delimiters and the breaks differ.  */

#include "format-math.h"
#include "tex-scan.h"
#include "text-layout.h"

#include <string.h>

/* Symbols: command name -> Unicode.  */
static const struct { const char *cmd, *u; } symbols[] = {
  /* Greek letters.  */
  { "alpha", "α" }, { "beta", "β" }, { "delta", "δ" }, { "eta", "η" },
  { "lambda", "λ" }, { "mu", "μ" }, { "pi", "π" }, { "sigma", "σ" },
  { "tau", "τ" }, { "varphi", "φ" }, { "Phi", "Φ" },
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
  { "textstyle", "" }, { "scriptstyle", "" }, { "relax", "" },
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
    /* A dagger is a mark already raised: 0† for 0^{\dagger}.  */
    if (fadj_tex_prefix_p (p, p + 4, "†") && sup)
      {
        *n = strlen ("†");
        return "†";
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
  fadj_math_text (tmp, a, b);
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
  fadj_tex_split_cells (body, end, collect_cell, &m);
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

/* The commands of math mode that take arguments: E is the end of the
   command's name, END the end of the text; each returns the position
   after what it read.  */

/* \begin{bmatrix}, {Bmatrix} or {array}{spec}: the matrix as text.  */
static const char *
math_matrix (fadj_buf *o, const char *e, const char *end)
{
  const char *na, *nb, *body = fadj_tex_argument (&na, &nb, e, end), *stop;
  size_t bar = 0, ncols;
  int brackets = 1, braces = 0;

  if (fadj_tex_prefix_p (na, nb, "array"))
    {
      body = fadj_tex_column_spec (&ncols, &bar, body, end);
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

/* \frac{A}{B}, \dfrac{A}{B}, \tfrac{A}{B}: A/B.  */
static const char *
math_fraction (fadj_buf *o, const char *e, const char *end)
{
  const char *a, *b, *a2, *b2, *s;
  fadj_buf *n1 = fadj_buf_new (), *n2 = fadj_buf_new ();

  s = fadj_tex_argument (&a2, &b2, fadj_tex_argument (&a, &b, e, end), end);
  if (n1 != NULL && n2 != NULL)
    {
      const char *num, *den;
      fadj_math_text (n1, a, b);
      fadj_math_text (n2, a2, b2);
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

/* \text{A}, \mathrm{A}, \operatorname{A} and the other fonts: A.  */
static const char *
math_font (fadj_buf *o, const char *e, const char *end)
{
  const char *a, *b, *s;

  s = fadj_tex_argument (&a, &b, e, end);
  fadj_math_text (o, a, b);
  return s;
}

/* \boxed{A}: [A].  */
static const char *
math_boxed (fadj_buf *o, const char *e, const char *end)
{
  const char *a, *b, *s;

  s = fadj_tex_argument (&a, &b, e, end);
  fadj_buf_puts (o, "[");
  fadj_math_text (o, a, b);
  fadj_buf_puts (o, "]");
  return s;
}

/* \fadjfield{N}{V}, a worksheet's answer field (latex-worksheet.c):
   [N: V] on the key, [N: __________] on the sheet, the same room for
   every answer.  */
static const char *
math_field (fadj_buf *o, const char *e, const char *end)
{
  const char *na, *nb, *va, *vb, *s;

  s = fadj_tex_argument (&na, &nb, e, end);
  s = fadj_tex_argument (&va, &vb, s, end);
  fadj_buf_puts (o, "[");
  fadj_math_text (o, na, nb);
  fadj_buf_puts (o, ": ");
  if (va < vb)
    fadj_math_text (o, va, vb);
  else
    fadj_buf_puts (o, "__________");
  fadj_buf_puts (o, "]");
  return s;
}

/* \underbrace{A}_{B}, a factor A marked as the quantity B: (B = A).  */
static const char *
math_underbrace (fadj_buf *o, const char *e, const char *end)
{
  const char *a, *b, *la = NULL, *lb = NULL, *s;

  s = fadj_tex_argument (&a, &b, e, end);
  while (s < end && *s == ' ')
    s++;
  if (s < end && *s == '_')
    s = fadj_tex_argument (&la, &lb, s + 1, end);
  fadj_buf_puts (o, "(");
  if (la != NULL)
    {
      fadj_math_text (o, la, lb);
      fadj_buf_puts (o, " = ");
    }
  fadj_math_text (o, a, b);
  fadj_buf_puts (o, ")");
  return s;
}

/* \phantom{A}: as many underscores as the hidden text has characters,
   the blank of a worksheet.  */
static const char *
math_blank (fadj_buf *o, const char *e, const char *end)
{
  const char *a, *b, *s;
  fadj_buf *h = fadj_buf_new ();

  s = fadj_tex_argument (&a, &b, e, end);
  if (h != NULL)
    {
      const char *p;
      size_t n;
      fadj_math_text (h, a, b);
      p = fadj_buf_data (h, NULL);
      n = fadj_text_width (p, strlen (p));
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
      fadj_math_text (o, s, e2);
      s = e2;
    }
  else if (s < end)
    fadj_buf_printf (o, "%c", *s++);
  return s;
}

/* Append S to O, but one space where O ends with a space and S starts
   with one (" ⊙ " after the space of "X \odot"), so that a symbol's own
   spacing does not double the source's.  */
static void
put_spaced (fadj_buf *o, const char *s)
{
  size_t n = fadj_buf_len (o);

  if (*s == ' ' && n > 0 && fadj_buf_data (o, NULL)[n - 1] == ' ')
    s++;
  fadj_buf_puts (o, s);
}

/* Any other command [S, E): its symbol (symbols), or nothing: a name
   of TeX is no help to a reader of text, and every command the writer
   uses in mathematics is known here (tests/text-width.sh checks the
   documents for leftovers).  */
static const char *
math_symbol (fadj_buf *o, const char *s, const char *e, const char *end)
{
  size_t k;

  for (k = 0; k < sizeof symbols / sizeof symbols[0]; k++)
    if (fadj_tex_command_p (s, e, symbols[k].cmd))
      break;
  if (k < sizeof symbols / sizeof symbols[0])
    put_spaced (o, symbols[k].u);
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
  if (fadj_tex_command_p (s, e, "frac") || fadj_tex_command_p (s, e, "dfrac")
      || fadj_tex_command_p (s, e, "tfrac"))
    return math_fraction (o, e, end);
  if (fadj_tex_command_p (s, e, "text") || fadj_tex_command_p (s, e, "mathrm")
      || fadj_tex_command_p (s, e, "mathbf")
      || fadj_tex_command_p (s, e, "textbf")
      || fadj_tex_command_p (s, e, "mathit")
      || fadj_tex_command_p (s, e, "operatorname"))
    return math_font (o, e, end);
  if (fadj_tex_command_p (s, e, "boxed"))
    return math_boxed (o, e, end);
  if (fadj_tex_command_p (s, e, "phantom"))
    return math_blank (o, e, end);
  if (fadj_tex_command_p (s, e, "fadjfield"))
    return math_field (o, e, end);
  if (fadj_tex_command_p (s, e, "underbrace"))
    return math_underbrace (o, e, end);
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

  s = fadj_tex_argument (&a, &b, s + 1, end);
  if (t != NULL)
    {
      fadj_math_text (t, a, b);
      put_script (o, fadj_buf_data (t, NULL), sup);
    }
  fadj_buf_free (t);
  return s;
}

void
fadj_math_text (fadj_buf *o, const char *s, const char *end)
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
/* A display's mathematics as a line of atoms (text-layout.h).         */

/* The builder: text gathers in PEND until an atom ends it -- a matrix, a
   delimiter, a place to break -- and goes to L as one text atom, with
   the class of break BRK allowed before it.  DEPTH counts the brackets
   open (parentheses and \left delimiters): a break inside them is the
   last resort.  In a Bmatrix (a family {a, b, c}) the commas at the
   list's own depth LIST break too.  */
typedef struct
{
  fadj_hlist *l;
  fadj_buf *pend;
  fadj_brk brk;
  int depth, list;
  char last;              /* the last byte written, ' ' at the start */
  fadj_status st;         /* a failure of scratch space */
} hbuild;

static void hb_math (hbuild *h, const char *s, const char *end);

/* PEND to L as one atom.  */
static void
hb_flush (hbuild *h)
{
  size_t n;
  const char *d = fadj_buf_data (h->pend, &n);

  if (n > 0)
    fadj_hlist_text (h->l, d, n, h->brk, 0);
  fadj_buf_reset (h->pend);
  h->brk = FADJ_BRK_NONE;
}

/* A break of class BRK before what comes next (the better class, if one
   is asked for already).  */
static void
hb_break (hbuild *h, fadj_brk brk)
{
  hb_flush (h);
  h->brk = brk;
}

/* Append S to PEND, its leading space dropped after a space.  */
static void
hb_puts (hbuild *h, const char *s)
{
  size_t n;

  if (*s == ' ' && h->last == ' ')
    s++;
  if (*s == '\0')
    return;
  fadj_buf_puts (h->pend, s);
  n = strlen (s);
  h->last = s[n - 1];
}

/* Whether the + or - at S is a binary operator: set with a space each
   side, as the writer writes "X - y" (and "-0.5", "1-\sigma" without).  */
static int
hb_binary_p (const hbuild *h, const char *s, const char *end)
{
  return h->last == ' ' && s + 1 < end && s[1] == ' ';
}

/* One cell of a matrix (collected into a fadj_tmatrix), on one line.  */
typedef struct
{
  fadj_tmatrix *m;
  fadj_buf *tmp;
  fadj_status st;
} tcells;

static void
tmatrix_cell (void *arg, const char *a, const char *b, size_t row,
              size_t col)
{
  tcells *c = arg;
  const char *p;
  size_t n;

  fadj_buf_reset (c->tmp);
  fadj_math_text (c->tmp, a, b);
  p = fadj_buf_data (c->tmp, &n);
  while (n > 0 && *p == ' ')
    p++, n--;
  while (n > 0 && p[n - 1] == ' ')
    n--;
  /* An empty cell (the row after a last \\) is no cell.  */
  if (n > 0 && c->st == FADJ_OK)
    c->st = fadj_tmatrix_set (c->m, row, col, p, n);
}

/* \begin{bmatrix}, {array}{spec}, {Bmatrix} (E the end of \begin): a
   matrix atom, a 1 x 1 matrix as its entry, a family between braces.  */
static const char *
hb_matrix (hbuild *h, const char *e, const char *end)
{
  const char *na, *nb, *body = fadj_tex_argument (&na, &nb, e, end), *stop;
  size_t bar = 0, ncols;
  int brackets = 1, list = h->list;
  tcells c = { .st = FADJ_OK };

  hb_flush (h);
  if (fadj_tex_prefix_p (na, nb, "Bmatrix"))
    {
      stop = fadj_tex_env_end (body, end);
      fadj_hlist_delim (h->l, "{", 1);
      h->list = ++h->depth;
      h->last = ' ';
      hb_math (h, body, stop);
      /* No space before the closing brace: "{a, b}".  */
      while (fadj_buf_len (h->pend) > 0
             && fadj_buf_data (h->pend, NULL)[fadj_buf_len (h->pend) - 1]
                == ' ')
        fadj_buf_truncate (h->pend, fadj_buf_len (h->pend) - 1);
      hb_flush (h);
      h->depth--;
      h->list = list;
      fadj_hlist_delim (h->l, "}", 0);
      h->last = '}';
      return fadj_tex_env_close (stop, end);
    }
  if (fadj_tex_prefix_p (na, nb, "array"))
    {
      body = fadj_tex_column_spec (&ncols, &bar, body, end);
      brackets = 0;   /* \left[ ... \right] give them */
    }
  stop = fadj_tex_env_end (body, end);
  c.m = fadj_tmatrix_new (brackets, bar);
  c.tmp = fadj_buf_new ();
  if (c.m == NULL || c.tmp == NULL)
    c.st = FADJ_ERR_NOMEM;
  else
    fadj_tex_split_cells (body, stop, tmatrix_cell, &c);
  if (c.st == FADJ_OK && fadj_buf_status (c.tmp) != FADJ_OK)
    c.st = FADJ_ERR_NOMEM;
  if (c.st != FADJ_OK)
    h->st = c.st;
  else if (brackets && fadj_tmatrix_rows (c.m) == 1
           && fadj_tmatrix_cols (c.m) == 1)
    {
      /* A scalar the writer puts in a bmatrix: its entry, which is
         still a matrix to what it is juxtaposed with.  */
      fadj_buf_reset (c.tmp);
      fadj_tmatrix_set_brackets (c.m, 0);
      fadj_tmatrix_put_row (c.tmp, c.m, 0, 0, 1);
      fadj_hlist_text (h->l, fadj_buf_data (c.tmp, NULL),
                       fadj_buf_len (c.tmp), FADJ_BRK_NONE, 1);
      fadj_tmatrix_free (c.m);
      c.m = NULL;
    }
  else
    {
      fadj_hlist_matrix (h->l, c.m);
      c.m = NULL;
    }
  fadj_tmatrix_free (c.m);
  fadj_buf_free (c.tmp);
  h->last = ']';
  return fadj_tex_env_close (stop, end);
}

/* \left or \right (E the end of its name): a stretchy delimiter, or
   nothing for "."; OPEN for \left.  */
static const char *
hb_delim (hbuild *h, const char *e, const char *end, int open)
{
  const char *s = e, *glyph = NULL;

  if (s < end && *s == '\\')
    {
      const char *e2 = fadj_tex_command_end (s, end);
      if (fadj_tex_command_p (s, e2, "|"))
        glyph = "‖";
      else if (fadj_tex_command_p (s, e2, "{"))
        glyph = "{";
      else if (fadj_tex_command_p (s, e2, "}"))
        glyph = "}";
      s = e2;
    }
  else if (s < end)
    {
      static const char *const glyphs[] = { "(", ")", "[", "]", "|" };
      size_t k;
      for (k = 0; k < sizeof glyphs / sizeof glyphs[0]; k++)
        if (*s == glyphs[k][0])
          glyph = glyphs[k];
      s++;
    }
  if (glyph == NULL)
    return s;
  hb_flush (h);
  fadj_hlist_delim (h->l, glyph, open);
  if (open)
    h->depth++;
  else if (h->depth > 0)
    h->depth--;
  h->last = glyph[0];
  return s;
}

/* The relations a line breaks before, and the operators between terms
   (BIN, a product's dot MUL): the writer's commands and their
   symbols.  */
static const struct
{
  const char *cmd, *u;
  fadj_brk brk;
} breaks[] = {
  { "approx", "≈", FADJ_BRK_REL }, { "le", "≤", FADJ_BRK_REL },
  { "leq", "≤", FADJ_BRK_REL }, { "ge", "≥", FADJ_BRK_REL },
  { "geq", "≥", FADJ_BRK_REL }, { "neq", "≠", FADJ_BRK_REL },
  { "leftarrow", "←", FADJ_BRK_REL }, { "odot", " ⊙ ", FADJ_BRK_BIN },
  { "cdot", " ·", FADJ_BRK_MUL },
  /* Spaces between the equations of one line.  */
  { "quad", "  ", FADJ_BRK_EQ }, { "qquad", "    ", FADJ_BRK_EQ },
};

/* The command at S (*S == '\\').  */
static const char *
hb_command (hbuild *h, const char *s, const char *end)
{
  const char *e = fadj_tex_command_end (s, end);
  size_t k, n;

  if (fadj_tex_command_p (s, e, "begin"))
    return hb_matrix (h, e, end);
  if (fadj_tex_command_p (s, e, "left") || fadj_tex_command_p (s, e, "right"))
    return hb_delim (h, e, end, fadj_tex_command_p (s, e, "left"));
  if (fadj_tex_command_p (s, e, "tag"))
    {
      /* A step's number, "(7)" after the line, as the PDF shows it at
         the margin.  */
      const char *a, *b, *after = fadj_tex_argument (&a, &b, e, end);
      hb_break (h, FADJ_BRK_EQ);
      hb_puts (h, "   (");
      fadj_buf_put_mem (h->pend, a, (size_t) (b - a));
      hb_puts (h, ")");
      return after;
    }
  for (k = 0; k < sizeof breaks / sizeof breaks[0]; k++)
    if (fadj_tex_command_p (s, e, breaks[k].cmd))
      {
        /* Inside brackets only the operators break, as a last resort.  */
        if (h->depth == 0)
          hb_break (h, breaks[k].brk);
        else if (breaks[k].brk == FADJ_BRK_BIN
                 || breaks[k].brk == FADJ_BRK_MUL)
          hb_break (h, FADJ_BRK_INNER);
        hb_puts (h, breaks[k].u);
        return e;
      }
  s = math_command (h->pend, s, end);
  if ((n = fadj_buf_len (h->pend)) > 0)
    h->last = fadj_buf_data (h->pend, NULL)[n - 1];
  return s;
}

/* A superscript or subscript at S: on the text before it, or after a
   matrix or a delimiter on its top or bottom row.  */
static const char *
hb_script (hbuild *h, const char *s, const char *end)
{
  const char *a, *b, *after;
  fadj_buf *t, *u;

  if (fadj_buf_len (h->pend) > 0)
    {
      s = math_script (h->pend, s, end);
      h->last = fadj_buf_data (h->pend, NULL)[fadj_buf_len (h->pend) - 1];
      return s;
    }
  after = fadj_tex_argument (&a, &b, s + 1, end);
  t = fadj_buf_new ();
  u = fadj_buf_new ();
  if (t != NULL && u != NULL)
    {
      fadj_math_text (t, a, b);
      put_script (u, fadj_buf_data (t, NULL), *s == '^');
      if (fadj_buf_status (t) != FADJ_OK || fadj_buf_status (u) != FADJ_OK)
        h->st = FADJ_ERR_NOMEM;
      else if (fadj_buf_len (u) > 0)
        fadj_hlist_script (h->l, fadj_buf_data (u, NULL), *s == '^');
    }
  else
    h->st = FADJ_ERR_NOMEM;
  fadj_buf_free (t);
  fadj_buf_free (u);
  return after;
}

static void
hb_math (hbuild *h, const char *s, const char *end)
{
  while (s < end)
    {
      char c = *s;

      if (c == '\\')
        s = hb_command (h, s, end);
      else if (c == '^' || c == '_')
        s = hb_script (h, s, end);
      else if (c == '{' || c == '}' || c == '&')
        s++;
      else if (c == ' ' || c == '\n')
        {
          hb_puts (h, " ");
          s++;
        }
      else
        {
          char one[2] = { c, '\0' };
          if (c == '=' && h->depth == 0)
            hb_break (h, FADJ_BRK_REL);
          else if ((c == '+' || c == '-') && hb_binary_p (h, s, end))
            hb_break (h, h->depth == 0 ? FADJ_BRK_BIN : FADJ_BRK_INNER);
          else if (c == '(')
            h->depth++;
          else if (c == ')' && h->depth > 0)
            h->depth--;
          hb_puts (h, one);
          s++;
          /* A list breaks after its commas.  */
          if (c == ',' && (h->depth == 0 || h->depth == h->list))
            hb_break (h, FADJ_BRK_COMMA);
        }
    }
}

fadj_status
fadj_math_hlist (fadj_hlist *l, const char *s, const char *end)
{
  hbuild h = { .l = l, .last = ' ', .list = -1, .st = FADJ_OK };
  fadj_status st;

  h.pend = fadj_buf_new ();
  if (h.pend == NULL)
    return FADJ_ERR_NOMEM;
  hb_math (&h, s, end);
  hb_flush (&h);
  st = h.st != FADJ_OK ? h.st : fadj_buf_status (h.pend);
  fadj_buf_free (h.pend);
  return st != FADJ_OK ? st : fadj_hlist_status (l);
}
