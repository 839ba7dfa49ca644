/* latex-layout.c -- the layout of the writer's displays in one font size:
   a line of an align* estimated wider than the text is broken before its
   relations (= and \approx, the continuation aligned on the first), then,
   where a part between relations is still too wide, between its terms
   (before +, -, \odot, \cdot, between the two matrices of a product), so
   that a matrix too wide to share a line gets a line of its own; and a
   matrix too wide for any line is cut into blocks of columns, each
   labelled ("samples 1–4", "columns 5–9"), one to a line.  Nothing is
   ever set smaller to fit.  Internal to libfadj (latex-writer.h).

   The lines are the writer's own LaTeX, read with tex-scan.h: a line is
   cut into tokens at its top level (outside braces, environments,
   \left...\right and parentheses), beamer's \uncover<spec>{...} opened
   and its tokens remembering the spec, so that a broken overlay is
   closed at the end of a line and opened again on the next.  */

#include "latex-writer.h"
#include "tex-scan.h"

#include <stdlib.h>
#include <string.h>

/* The \lineskip TeX puts between two lines of an align* when they do
   not fit at \baselineskip, as a line with a matrix never does.  */
#define MATRIX_LINESKIP 1.0

typedef enum
{
  TK_ATOM,                      /* glued to its neighbours */
  TK_REL,                       /* = or \approx: a break before it */
  TK_OP,                        /* a binary + - \odot \cdot: a break before */
  TK_MAT,                       /* a matrix, or \left...\right */
  TK_AMP,                       /* & */
  TK_SEP,                       /* \quad, \qquad: a break there drops it */
  TK_LABEL                      /* a block's label: a line of its own */
} tk_kind;

typedef struct
{
  tk_kind kind;
  const char *a, *b;            /* the text, with the spaces before it */
  const char *spec, *spec_end;  /* the \uncover<spec> it is inside, or
                                   NULL */
  double w;
  int lr;                       /* +1: a \left opened for a cut through
                                   its \left...\right; -1: its \right */
} token;

typedef struct
{
  token *t;
  size_t n, size;
  int nomem;
} tokens;

/* Whether WORD occurs in [S, END).  */
static int
strstr_in (const char *s, const char *end, const char *word)
{
  for (; s < end; s++)
    if (fadj_tex_prefix_p (s, end, word))
      return 1;
  return 0;
}

static void
tk_push (tokens *L, tk_kind k, const char *a, const char *b,
         const char *spec, const char *spec_end)
{
  token *t;

  if (L->n == L->size)
    {
      size_t size = L->size ? 2 * L->size : 64;
      token *nt = realloc (L->t, size * sizeof *nt);
      if (nt == NULL)
        {
          L->nomem = 1;
          return;
        }
      L->t = nt;
      L->size = size;
    }
  t = L->t + L->n++;
  t->kind = k;
  t->a = a;
  t->b = b;
  t->spec = spec;
  t->spec_end = spec_end;
  t->lr = 0;
  while (a < b && (*a == ' ' || *a == '\n'))
    a++;
  t->w = fadj_latex_width (a, (size_t) (b - a));
  /* A matrix of matrices (a family's members): the estimate misses
     some of the inner delimiters' and spaces' width (a fragment's
     F-adjoint family of hmkcode.net overran by 13%).  */
  if (k == TK_MAT && a + 7 < b && strstr_in (a + 7, b, "\\begin{"))
    t->w *= 1.15;
}

/* After the brace group or the whole environment at P; P itself when
   neither begins there.  */
static const char *
nested_end (const char *p, const char *end)
{
  if (*p == '{')
    return fadj_tex_group_end (p, end);
  if (fadj_tex_prefix_p (p, end, "\\begin{"))
    return fadj_tex_env_close (fadj_tex_env_end (fadj_tex_group_end (p + 6,
                                                                     end),
                                                 end), end);
  return p;
}

/* The end of the \left at S (at the backslash) with its \right and that
   one's delimiter.  */
static const char *
left_right_end (const char *s, const char *end)
{
  int depth = 0;
  const char *p = s;

  while (p < end)
    {
      if (nested_end (p, end) != p)
        p = nested_end (p, end);
      else if (*p == '\\')
        {
          const char *e = fadj_tex_command_end (p, end);
          if (fadj_tex_command_p (p, e, "left"))
            depth++;
          else if (fadj_tex_command_p (p, e, "right") && --depth == 0)
            {
              /* The delimiter: a character or a control symbol.  */
              if (e < end && *e == '\\')
                return fadj_tex_command_end (e, end);
              return e < end ? e + 1 : end;
            }
          p = e;
        }
      else
        p++;
    }
  return end;
}

/* Is the last token of L an operand, so that a + or - after it is a
   binary operator (a place to break) rather than a sign?  */
static int
after_operand_p (const tokens *L, size_t first)
{
  const token *t;

  if (L->n <= first)
    return 0;
  t = L->t + L->n - 1;
  return t->kind == TK_ATOM || t->kind == TK_MAT;
}


/* Does S begin a block's label, "samples 1–4: " or "rows 1–40, columns
   5–9: " (fadj_layout_matrix_blocks)
   in the document's language: one of the words, then a space?  */
static int
block_label_p (const char *s, const char *end)
{
  static const char *const words[] = {
    N_ ("samples"), N_ ("sample"), N_ ("columns"), N_ ("column"),
    N_ ("rows"), N_ ("row")
  };
  size_t k, n;

  for (k = 0; k < sizeof words / sizeof words[0]; k++)
    {
      const char *w = _ (words[k]);

      n = strlen (w);
      if ((size_t) (end - s) > n && memcmp (s, w, n) == 0 && s[n] == ' ')
        return 1;
    }
  return 0;
}
/* Cut [S, END) into L's tokens; inside \uncover<SPEC>{...} if SPEC.  */
static void
tokenize (tokens *L, const char *s, const char *end, const char *spec,
          const char *spec_end)
{
  const char *p = s, *q;
  size_t first = L->n;
  int paren = 0;                /* ( depth: no break inside */

  while (p < end && !L->nomem)
    {
      const char *a = p;
      tk_kind k = TK_ATOM;

      while (p < end && (*p == ' ' || *p == '\n'))
        p++;
      if (p == end)
        break;
      if (*p == '&')
        {
          k = TK_AMP;
          q = p + 1;
        }
      else if (*p == '=')
        {
          k = paren ? TK_ATOM : TK_REL;
          q = p + 1;
        }
      else if (*p == '+' || *p == '-')
        {
          k = !paren && after_operand_p (L, first) ? TK_OP : TK_ATOM;
          q = p + 1;
        }
      else if (*p == '(' || *p == ')')
        {
          paren += *p == '(' ? 1 : paren > 0 ? -1 : 0;
          q = p + 1;
        }
      else if (*p == '{')
        q = fadj_tex_group_end (p, end);
      else if (*p == '^' || *p == '_')
        {
          q = p + 1;
          if (q < end && *q == '{')
            q = fadj_tex_group_end (q, end);
          else if (q < end && *q == '\\')
            q = fadj_tex_command_end (q, end);
          else if (q < end)
            q++;
        }
      else if (*p == '\\')
        {
          q = fadj_tex_command_end (p, end);
          if (fadj_tex_command_p (p, q, "uncover") && q < end && *q == '<')
            {
              /* \uncover<spec>{body}: the body's tokens, each with the
                 spec.  */
              const char *sp = q, *g;
              while (q < end && *q != '>')
                q++;
              if (q < end)
                q++;
              if (q < end && *q == '{')
                {
                  g = fadj_tex_group_end (q, end);
                  tokenize (L, q + 1, g - 1, sp, q);
                  p = g;
                  continue;
                }
            }
          else if (fadj_tex_command_p (p, q, "fadjfield") && q < end
                   && *q == '[')
            {
              /* A worksheet's answer field \fadjfield[W]{V}: one atom,
                 so that its width W is measured.  */
              while (q < end && *q != ']')
                q++;
              if (q < end)
                q++;
              if (q < end && *q == '{')
                q = fadj_tex_group_end (q, end);
            }
          else if (fadj_tex_command_p (p, q, "begin"))
            {
              q = fadj_tex_env_close (fadj_tex_env_end (fadj_tex_group_end
                                                        (q, end), end), end);
              k = TK_MAT;
            }
          else if (fadj_tex_command_p (p, q, "left"))
            {
              q = left_right_end (p, end);
              k = TK_MAT;
            }
          else if (fadj_tex_command_p (p, q, "approx"))
            k = paren ? TK_ATOM : TK_REL;
          else if (fadj_tex_command_p (p, q, "odot")
                   || fadj_tex_command_p (p, q, "cdot"))
            k = paren ? TK_ATOM : TK_OP;
          else if (fadj_tex_command_p (p, q, "quad")
                   || fadj_tex_command_p (p, q, "qquad")
                   || (q == p + 2 && p[1] == ' ' && L->n > first
                       && L->t[L->n - 1].b[-1] == ','))
            k = paren ? TK_ATOM : TK_SEP;
          else if (fadj_tex_command_p (p, q, "bigl")
                   || fadj_tex_command_p (p, q, "Bigl"))
            paren++;
          else if ((fadj_tex_command_p (p, q, "bigr")
                    || fadj_tex_command_p (p, q, "Bigr")) && paren > 0)
            paren--;
          else if (fadj_tex_command_p (p, q, "text") && q < end && *q == '{'
                   && block_label_p (q + 1, end))
            {
              q = fadj_tex_group_end (q, end);
              k = TK_LABEL;
            }
          /* \bigl( and \bigr) take their delimiter along.  */
          if ((fadj_tex_command_p (p, fadj_tex_command_end (p, end), "bigl")
               || fadj_tex_command_p (p, fadj_tex_command_end (p, end),
                                      "bigr")
               || fadj_tex_command_p (p, fadj_tex_command_end (p, end),
                                      "Bigl")
               || fadj_tex_command_p (p, fadj_tex_command_end (p, end),
                                      "Bigr")) && q < end)
            q = *q == '\\' ? fadj_tex_command_end (q, end) : q + 1;
        }
      else
        q = p + 1;
      tk_push (L, k, a, q, spec, spec_end);
      p = q;
    }
}

/* ------------------------------------------------------------------ */
/* Writing tokens out, with their overlays.                            */

typedef struct
{
  fadj_buf *out;
  const char *spec, *spec_end;  /* the open \uncover, or NULL */
  int line_empty;               /* nothing written since the line began */
  int lefts;                    /* \left...\right open on the line */
} emitter;

static void
em_close (emitter *e)
{
  if (e->spec != NULL)
    fadj_buf_puts (e->out, "}");
  e->spec = NULL;
}

static void
em_token (emitter *e, const token *t)
{
  const char *a = t->a;

  if (t->spec != e->spec)
    {
      em_close (e);
      if (t->spec != NULL)
        {
          fadj_buf_puts (e->out, e->line_empty ? "" : " ");
          fadj_buf_puts (e->out, "\\uncover");
          fadj_buf_put_mem (e->out, t->spec,
                            (size_t) (t->spec_end - t->spec));
          fadj_buf_puts (e->out, "{");
          e->spec = t->spec;
          e->spec_end = t->spec_end;
          e->line_empty = 1;
        }
    }
  if (e->line_empty)
    while (a < t->b && (*a == ' ' || *a == '\n'))
      a++;
  fadj_buf_put_mem (e->out, a, (size_t) (t->b - a));
  e->line_empty = 0;
  e->lefts += t->lr;
}

/* End the line and begin a continuation: "  &" and, between terms, a
   \quad of indentation and the \cdot of a product cut between its two
   matrices (in the overlay of the matrix that follows).  */
static void
em_newline (emitter *e, int indent, int product, const token *next)
{
  int k;

  /* A \left...\right cut: closed by an invisible \right. at the end
     of the line, opened again by a \left. (inside the overlay).  */
  for (k = 0; k < e->lefts; k++)
    fadj_buf_puts (e->out, "\\right.");
  em_close (e);
  fadj_buf_puts (e->out, "\\\\\n  &");
  e->line_empty = 1;
  if (indent)
    {
      /* The term keeps its space: "\quad + x", as the sections that
         break their own lines write it.  */
      fadj_buf_puts (e->out, "\\quad ");
      e->line_empty = 0;
    }
  if (e->lefts > 0)
    {
      token open = *next;
      open.a = "\\left.";
      open.b = open.a + 6;
      open.lr = 0;
      for (k = 0; k < e->lefts; k++)
        em_token (e, &open);
    }
  if (product)
    {
      token dot = *next;
      dot.kind = TK_OP;
      dot.a = "\\cdot ";
      dot.b = dot.a + 6;
      em_token (e, &dot);
    }
}

/* ------------------------------------------------------------------ */
/* One line.                                                           */

/* Where the parts of the line's right-hand side begin: at each relation
   (unless it follows the & of its own pair) and at each & that starts a
   new pair (the 2nd, 4th, ... of the line).  */
static int
segment_start_p (const tokens *L, size_t i, int amp_before)
{
  if (L->t[i].kind == TK_AMP)
    return amp_before % 2 == 1;
  if (L->t[i].kind != TK_REL)
    return 0;
  return !(i > 0 && L->t[i - 1].kind == TK_AMP);
}

/* Where a term begins inside a part: before a binary operator, a \quad,
   a block's label (with the \quad before it), and between the two
   matrices of a product.  Returns 2 for a label (a forced break), 1 for
   a place to break, 0 for none.  */
static int
term_start (const tokens *L, size_t i, size_t seg)
{
  const token *t = L->t + i;

  if (i <= seg)
    return 0;
  if (t->kind == TK_LABEL)
    return L->t[i - 1].kind == TK_SEP || L->t[i - 1].lr > 0 ? 0
      : L->t[i - 1].kind == TK_MAT ? 1 : 2;
  if (t->kind == TK_SEP)
    return i + 1 < L->n && L->t[i + 1].kind == TK_LABEL ? 2 : 1;
  if (t->kind == TK_OP)
    return 1;
  if (t->kind == TK_MAT && L->t[i - 1].kind == TK_MAT)
    return 1;
  return 0;
}

/* Lay out the tokens [I0, I1) of one part, starting on the current
   line whose right-hand side is *CUR wide, broken between terms where
   the line would pass BUDGET.  Returns whether it was broken.  */
static int
place_terms (emitter *e, const tokens *L, size_t i0, size_t i1,
             double budget, double *cur)
{
  size_t i = i0, j, k;
  int content = 0, broken = 0;  /* something past the relation placed */

  while (i < i1)
    {
      double w = 0;
      int start = term_start (L, i, i0);

      /* The term [i, j).  */
      for (j = i; j < i1; j++)
        {
          if (j > i && term_start (L, j, i0) > 0)
            break;
          w += L->t[j].w;
        }
      k = i;
      if (start > 0 && ((start == 2 && content) || *cur + w > budget))
        {
          /* A product cut between its matrices shows its \cdot, the
             first block of a factor cut into blocks included.  */
          int product = L->t[i].kind == TK_MAT
            || (L->t[i].kind == TK_LABEL && L->t[i - 1].kind == TK_MAT);
          if (L->t[i].kind == TK_SEP)
            {
              /* The \quad gives way to the line's indentation.  */
              w -= L->t[i].w;
              k++;
            }
          em_newline (e, 1, product, L->t + k);
          *cur = 2.0 + (product ? 2.0 : 0) + w;
          broken = 1;
        }
      else
        *cur += w;
      for (; k < j; k++)
        {
          em_token (e, L->t + k);
          if (L->t[k].kind != TK_REL && L->t[k].kind != TK_AMP
              && L->t[k].kind != TK_SEP)
            content = 1;
        }
      i = j;
    }
  return broken;
}

/* Whether the environment body [S, END) has a single row.  */
static int
one_row_p (const char *s, const char *end)
{
  const char *stop;

  fadj_layout_next_line (&stop, s, end);
  return stop == end;
}

/* L's tokens into X, each \left...\right wider than BUDGET opened up:
   its \left, the tokens inside, its \right, so that the line may be
   cut inside it.  */
static void
open_wide_lefts (tokens *X, const tokens *L, double budget)
{
  size_t i;

  for (i = 0; i < L->n && !X->nomem; i++)
    {
      const token *t = L->t + i;
      const char *a = t->a, *in, *r = NULL, *p;

      while (a < t->b && (*a == ' ' || *a == '\n'))
        a++;
      if (t->kind != TK_MAT || t->w <= budget
          || !(fadj_tex_prefix_p (a, t->b, "\\left")
               || fadj_tex_prefix_p (a, t->b, "\\begin{Bmatrix}")))
        {
          tk_push (X, t->kind, t->a, t->b, t->spec, t->spec_end);
          continue;
        }
      if (fadj_tex_prefix_p (a, t->b, "\\begin{Bmatrix}"))
        {
          /* A family {A, B, ...} on one row: as \left\{ ... \right\}.  */
          in = a + strlen ("\\begin{Bmatrix}");
          r = fadj_tex_env_end (in, t->b);
          if (r == t->b || one_row_p (in, r))
            {
              static const char lbrace[] = "\\left\\{", rbrace[] = "\\right\\}";
              tk_push (X, TK_ATOM, lbrace, lbrace + strlen (lbrace), t->spec,
                       t->spec_end);
              if (!X->nomem)
                X->t[X->n - 1].lr = 1;
              tokenize (X, in, r, t->spec, t->spec_end);
              tk_push (X, TK_ATOM, rbrace, rbrace + strlen (rbrace), t->spec,
                       t->spec_end);
              if (!X->nomem)
                X->t[X->n - 1].lr = -1;
              continue;
            }
          r = NULL;
        }
      in = a + 5;
      in = *in == '\\' ? fadj_tex_command_end (in, t->b) : in + 1;
      for (p = in; p + 6 <= t->b; p++)
        if (fadj_tex_prefix_p (p, t->b, "\\right"))
          r = p;
      if (r == NULL || !fadj_tex_prefix_p (a, t->b, "\\left"))
        {
          tk_push (X, t->kind, t->a, t->b, t->spec, t->spec_end);
          continue;
        }
      tk_push (X, TK_ATOM, t->a, in, t->spec, t->spec_end);
      if (!X->nomem)
        X->t[X->n - 1].lr = 1;
      tokenize (X, in, r, t->spec, t->spec_end);
      tk_push (X, TK_ATOM, r, t->b, t->spec, t->spec_end);
      if (!X->nomem)
        X->t[X->n - 1].lr = -1;
    }
}

/* Lay out line [S, END) for a right-hand side of at most BUDGET, into
   OUT.  */
static void
layout_line (fadj_buf *out, const tokens *L, size_t rhs, double budget)
{
  emitter e = { .out = out, .line_empty = 0 };  /* the line as it began */
  double cur = 0;
  size_t i, j;
  int amps = 0, fresh = 1, after_break = 0;

  /* The left-hand side, up to and with its &, as it is.  */
  for (i = 0; i < rhs; i++)
    {
      if (L->t[i].kind == TK_AMP)
        amps++;
      em_token (&e, L->t + i);
    }
  while (i < L->n)
    {
      double w = 0;
      int amps_in = 0, pair = 0;

      /* The part [i, j).  */
      for (j = i; j < L->n; j++)
        {
          if (j > i && segment_start_p (L, j, amps + amps_in))
            break;
          if (L->t[j].kind == TK_AMP)
            amps_in++;
          w += L->t[j].w;
        }
      pair = L->t[i].kind == TK_AMP;
      if (!fresh && (after_break || cur + w > budget))
        {
          /* A new line: aligned on the relation, or a new pair.  */
          em_close (&e);
          fadj_buf_puts (out, "\\\\\n");
          if (pair)
            {
            i++;                /* the & between the pairs */
            }
          else
            fadj_buf_puts (out, "  &");
          e.line_empty = 1;
          cur = 0;
        }
      after_break = place_terms (&e, L, i, j, budget, &cur);
      fresh = 0;
      amps += amps_in;
      i = j;
    }
  em_close (&e);
}

/* The extent of the next line of an align* body at S: its end (a "\\"
   at the top level, or END) in *STOP.  Returns where the line after it
   begins.  */
const char *
fadj_layout_next_line (const char **stop, const char *s, const char *end)
{
  const char *p = s;

  while (p < end)
    {
      if (nested_end (p, end) != p)
        p = nested_end (p, end);
      else if (fadj_tex_prefix_p (p, end, "\\\\"))
        {
          *stop = p;
          p += 2;
          /* The next line keeps its indentation ("  &\\quad").  */
          if (p < end && *p == '\n')
            p++;
          return p;
        }
      else if (*p == '\\')
        p = fadj_tex_command_end (p, end);
      else
        p++;
    }
  *stop = end;
  return end;
}

/* The index of the first token after L's first &, or 0 if it has none
   (a line that is all right-hand side).  */
static size_t
rhs_start (const tokens *L)
{
  size_t i;

  for (i = 0; i < L->n; i++)
    if (L->t[i].kind == TK_AMP)
      return i + 1;
  return 0;
}

/* Where the equation number that ends line [S, STOP) begins (its
   "\\tag{N}", fadj_writer_step), or STOP if the line has none.  */
static const char *
tag_start (const char *s, const char *stop)
{
  const char *e = stop, *p;

  while (e > s && (e[-1] == ' ' || e[-1] == '\n'))
    e--;
  if (e == s || e[-1] != '}')
    return stop;
  for (p = e - 1; p > s && p[-1] >= '0' && p[-1] <= '9'; p--)
    ;
  if (p == e - 1 || p - s < 5 || memcmp (p - 5, "\\tag{", 5) != 0)
    return stop;
  return p - 5;
}

fadj_status
fadj_layout_align (fadj_buf *out, const char *s, size_t n, double width)
{
  const char *end = s + n, *p, *stop;
  double lhs = 0, w;
  tokens L = { 0 }, X = { 0 };
  size_t i;
  int first = 1;

  /* The widest left-hand side: the right-hand sides of every line begin
     after it.  */
  for (p = s; p < end;)
    {
      const char *next = fadj_layout_next_line (&stop, p, end);
      L.n = 0;
      tokenize (&L, p, stop, NULL, NULL);
      for (i = 0, w = 0; i + 1 < rhs_start (&L); i++)
        w += L.t[i].w;
      if (w > lhs)
        lhs = w;
      p = next;
    }
  for (p = s; p < end && !L.nomem;)
    {
      const char *next = fadj_layout_next_line (&stop, p, end);
      /* A numbered line: the number takes room at the right margin and
         goes on the last of the lines it is broken into, so that a
         continuation never has a number of its own.  */
      const char *tag = tag_start (p, stop);
      double room = width - lhs;
      if (tag < stop)
        room -= fadj_latex_width (tag + 4, (size_t) (stop - tag - 4)) + 3;
      if (!first)
        fadj_buf_puts (out, "\\\\\n");
      first = 0;
      L.n = 0;
      tokenize (&L, p, tag, NULL, NULL);
      /* The right-hand side begins after the widest left-hand side.  */
      for (i = rhs_start (&L), w = 0; i < L.n; i++)
        w += L.t[i].w;
      if (w <= room || L.nomem)
        fadj_buf_put_mem (out, p, (size_t) (tag - p));
      else
        {
          X.n = 0;
          open_wide_lefts (&X, &L, room);
          if (X.nomem)
            L.nomem = 1;
          else
            layout_line (out, &X, rhs_start (&X), room);
        }
      fadj_buf_put_mem (out, tag, (size_t) (stop - tag));
      p = next;
    }
  free (L.t);
  free (X.t);
  return L.nomem ? FADJ_ERR_NOMEM : fadj_buf_status (out);
}

/* ------------------------------------------------------------------ */
/* A matrix too wide for any line: blocks of columns.                  */

typedef struct
{
  const char **a, **b;          /* cell (row, col) at [row * cols + col] */
  size_t rows, cols, cap;
  int nomem;
} cells;

static void
cell_add (void *arg, const char *a, const char *b, size_t row, size_t col)
{
  cells *c = arg;
  size_t need, k;

  if (c->nomem || col >= c->cols)
    return;
  need = (row + 1) * c->cols;
  if (need > c->cap)
    {
      size_t cap = need * 2;
      const char **na = realloc (c->a, cap * sizeof *na);
      const char **nb = na != NULL ? realloc (c->b, cap * sizeof *nb) : NULL;
      if (na != NULL)
        c->a = na;
      if (nb == NULL)
        {
          c->nomem = 1;
          return;
        }
      c->b = nb;
      for (k = c->cap; k < cap; k++)
        c->a[k] = c->b[k] = NULL;
      c->cap = cap;
    }
  if (row + 1 > c->rows)
    c->rows = row + 1;
  c->a[row * c->cols + col] = a;
  c->b[row * c->cols + col] = b;
}

/* The number, from 1, of the matrix's column (row) shown as column C of
   NTEXT (0 for the \cdots column or the \vdots row of an elided matrix:
   see fadj_latex_elide).  */
static size_t
real_index (size_t c, size_t ntext, size_t total, size_t head, int elided)
{
  if (!elided || c < head)
    return c + 1;
  if (c == head)
    return 0;
  return total - (ntext - 1 - c);
}

/* Rows [R0, R1) of block [C0, C1) of the cells C, with a rule before
   column BAR (0: none) when it falls inside.  */
static void
put_block (fadj_buf *out, const cells *c, size_t r0, size_t r1, size_t c0,
           size_t c1, size_t bar)
{
  size_t r, k;
  int array;

  array = fadj_latex_put_matrix_open (out, c1 - c0,
                                      bar > c0 && bar < c1 ? bar - c0 : 0);
  for (r = r0; r < r1; r++)
    {
      if (r > r0)
        fadj_buf_puts (out, "\\\\ ");
      for (k = c0; k < c1; k++)
        {
          const char *a = c->a[r * c->cols + k], *b = c->b[r * c->cols + k];
          if (k > c0)
            fadj_buf_puts (out, " & ");
          if (a == NULL)
            continue;
          while (a < b && *a == ' ')
            a++;
          while (b > a && b[-1] == ' ')
            b--;
          fadj_buf_put_mem (out, a, (size_t) (b - a));
        }
    }
  fadj_latex_put_matrix_close (out, array);
}

/* The numbers, from 1, of the first and last of the matrix's columns
   (rows) shown as [C0, C1) of NTEXT into *LO and *HI.  */
static void
real_range (size_t *lo, size_t *hi, size_t c0, size_t c1, size_t ntext,
            size_t total, size_t head, int elided)
{
  size_t k, r;

  *lo = *hi = 0;
  for (k = c0; k < c1; k++)
    {
      r = real_index (k, ntext, total, head, elided);
      if (r == 0)
        {
          /* The \cdots (\vdots) stands for those after the head.  */
          if (*lo == 0)
            *lo = head + 1;
          continue;
        }
      if (*lo == 0)
        *lo = r;
      *hi = r;
    }
}

/* The label of the block of rows [R0, R1) (named only when ROWS, the
   matrix is cut into blocks of rows) and columns [C0, C1) (named only
   when COLS): "rows 1–40, columns 5–9: ".  */
static void
put_label (fadj_buf *out, const fadj_layout_cols *lc, size_t r0, size_t r1,
           size_t nrows, int rows, size_t c0, size_t c1, size_t ncols,
           int cols)
{
  size_t lo, hi;

  fadj_buf_puts (out, "\\text{");
  if (rows)
    {
      real_range (&lo, &hi, r0, r1, nrows, lc->rtotal, lc->rhead,
                  lc->relided);
      if (lo == hi)
        fadj_buf_printf (out, "%s %zu", _ ("row"), lo);
      else
        fadj_buf_printf (out, "%s %zu–%zu", _ ("rows"), lo, hi);
    }
  if (cols)
    {
      real_range (&lo, &hi, c0, c1, ncols, lc->total, lc->head, lc->elided);
      if (rows)
        fadj_buf_puts (out, ", ");
      if (lo == hi)
        fadj_buf_printf (out, "%s %zu", lc->one, lo);
      else
        fadj_buf_printf (out, "%s %zu–%zu", lc->many, lo, hi);
    }
  fadj_buf_puts (out, ": }");
}

/* The number of columns of the first row of a matrix body [S, END).  */
static size_t
first_row_columns (const char *s, const char *end)
{
  size_t n = 1;

  while (s < end && !fadj_tex_prefix_p (s, end, "\\\\"))
    if (nested_end (s, end) != s)
      s = nested_end (s, end);
    else if (*s == '\\')
      s = fadj_tex_command_end (s, end);
    else
      n += *s++ == '&';
  return n;
}

/* The end of the unit of columns that begins at C: the column after the
   \cdots of an elided matrix and the one after the rule BAR go with the
   column before them.  */
static size_t
unit_end (const fadj_layout_cols *lc, size_t bar, size_t c, size_t ncols)
{
  size_t u = c + 1;

  while (u < ncols && ((lc->elided && u == lc->head + 1)
                       || (bar > 0 && u == bar)))
    u++;
  return u;
}

/* The end of the unit of rows that begins at R: the row after the
   \vdots of an elided matrix goes with the \vdots.  */
static size_t
row_unit_end (const fadj_layout_cols *lc, size_t r, size_t nrows)
{
  size_t u = r + 1;

  while (u < nrows && lc->relided && u == lc->rhead + 1)
    u++;
  return u;
}

fadj_status
fadj_layout_matrix_blocks (fadj_buf *out, const char *mat, size_t n,
                           double budget, const fadj_layout_cols *lc)
{
  const char *end = mat + n, *body, *stop;
  cells c = { 0 };
  size_t ncols = 0, bar = 0, k, c0, r, r0, r1, per;
  double *colw, w, lw, rowh;
  int cut_rows, cut_cols;
  fadj_buf *label;

  if (fadj_tex_prefix_p (mat, end, "\\left[\\begin{array}{"))
    body = fadj_tex_column_spec (&ncols, &bar, mat + 19, end);
  else if (fadj_tex_prefix_p (mat, end, "\\begin{bmatrix}"))
    body = mat + 15;
  else
    body = NULL;
  stop = body != NULL ? fadj_tex_env_end (body, end) : end;
  if (body == NULL || stop == end)
    {
      fadj_buf_put_mem (out, mat, n);
      return fadj_buf_status (out);
    }
  if (ncols == 0)
    ncols = first_row_columns (body, stop);
  c.cols = ncols;
  fadj_tex_split_cells (body, stop, cell_add, &c);
  label = fadj_buf_new ();
  colw = malloc (ncols * sizeof *colw);
  if (c.nomem || label == NULL || colw == NULL)
    {
      free (c.a);
      free (c.b);
      free (colw);
      fadj_buf_free (label);
      return FADJ_ERR_NOMEM;
    }
  for (k = 0; k < ncols; k++)
    {
      colw[k] = 0;
      for (r = 0; r < c.rows; r++)
        {
          const char *a = c.a[r * ncols + k];
          w = a != NULL ? fadj_latex_width (a, (size_t) (c.b[r * ncols + k]
                                                          - a)) : 0;
          if (w > colw[k])
            colw[k] = w;
        }
    }
  /* The rows a block holds: the estimated height of one row (the
     matrix's less the line's skip) into the height there is.  */
  rowh = c.rows > 0 ? (fadj_layout_line_height (mat, end, lc->field) - 3.0
                      - MATRIX_LINESKIP) / (double) c.rows : 1.0;
  per = lc->height > 0 && rowh > 0 ? (size_t) (lc->height / rowh) : c.rows;
  if (per < 1)
    per = 1;
  cut_rows = c.rows > per;
  /* Wider than BUDGET as the caller measures it.  */
  cut_cols = ncols > 1 && fadj_latex_width (mat, n) > budget;
  if (!cut_rows && !cut_cols)
    fadj_buf_put_mem (out, mat, n);
  for (r0 = 0; r0 < c.rows && (cut_rows || cut_cols); r0 = r1)
    {
      /* Whole units of rows, at most PER but the first.  */
      r1 = cut_rows ? row_unit_end (lc, r0, c.rows) : c.rows;
      while (r1 < c.rows && row_unit_end (lc, r1, c.rows) - r0 <= per)
        r1 = row_unit_end (lc, r1, c.rows);
      /* Greedy blocks of whole units: the column after \cdots and the
         bias column stay with the column before them; the first unit of
         a block always goes in (a unit too wide alone stays whole).  */
      for (c0 = 0; c0 < ncols;)
        {
          size_t c1 = cut_cols ? unit_end (lc, bar, c0, ncols) : ncols, u;
          while (c1 < ncols)
            {
              u = unit_end (lc, bar, c1, ncols);
              fadj_buf_reset (label);
              put_label (label, lc, r0, r1, c.rows, cut_rows, c0, u, ncols,
                         cut_cols);
              lw = fadj_latex_width (fadj_buf_data (label, NULL),
                                     fadj_buf_len (label));
              for (w = 1.2 + lw, k = c0; k < u; k++)
                w += colw[k] + (k > c0 ? 2.0 : 0);
              if (w > budget)
                break;
              c1 = u;
            }
          if (r0 > 0 || c0 > 0)
            fadj_buf_puts (out, "\\quad ");
          put_label (out, lc, r0, r1, c.rows, cut_rows, c0, c1, ncols,
                     cut_cols);
          put_block (out, &c, r0, r1, c0, c1, bar);
          c0 = c1;
        }
    }
  free (c.a);
  free (c.b);
  free (colw);
  fadj_buf_free (label);
  return fadj_buf_status (out);
}

/* ------------------------------------------------------------------ */
/* Heights, for the frames of a deck.                                  */

/* The rows of the matrix body [S, END), whether an entry is a
   fraction and whether one is a worksheet's answer field (taller rows).  */
static size_t
body_rows (const char *s, const char *end, int *frac, int *field)
{
  size_t rows = 1;

  while (s < end)
    if (*s == '{')
      {
        /* A group's rows are not the matrix's, its fields are.  */
        const char *g = fadj_tex_group_end (s, end);
        if (strstr_in (s, g, "\\fadjfield"))
          *field = 1;
        s = g;
      }
    else if (fadj_tex_prefix_p (s, end, "\\\\"))
      {
        rows++;
        s += 2;
      }
    else if (*s == '\\')
      {
        const char *e = fadj_tex_command_end (s, end);
        if (fadj_tex_command_p (s, e, "frac")
            || fadj_tex_command_p (s, e, "dfrac"))
          *frac = 1;
        if (fadj_tex_command_p (s, e, "fadjfield"))
          *field = 1;
        s = e;
      }
    else
      s++;
  return rows;
}

double
fadj_layout_line_height (const char *s, const char *end, double field)
{
  double h = 12.0, hm, under = 0.0;
  const char *p = s;

  while (p < end)
    {
      if (fadj_tex_prefix_p (p, end, "\\begin{"))
        {
          const char *body = fadj_tex_group_end (p + 6, end);
          const char *stop;
          int frac = 0, has_field = 0;
          size_t rows;
          if (fadj_tex_prefix_p (p, end, "\\begin{array}") && body < end)
            body = fadj_tex_group_end (body, end);
          stop = fadj_tex_env_end (body, end);
          rows = body_rows (body, stop, &frac, &has_field);
          hm = (double) rows * (frac ? 22.0 : 14.4);
          /* The brackets of one or two rows of 14.4 pt are the next
             size of cmex10 that \delimiterfactor (901) allows: 18 pt
             and 30 pt, taller than the rows (measured with pdflatex:
             an align* of such lines grows by 22 pt and 34 pt a line).  */
          if (!frac && rows == 1 && hm < 18.0)
            hm = 18.0;
          if (!frac && rows == 2 && hm < 30.0)
            hm = 30.0;
          /* A field in a fraction's denominator (a seed's 0/x) has
             the numerator above it.  */
          if (has_field && hm < (double) rows * (field + (frac ? 12.0 : 0)))
            hm = (double) rows * (field + (frac ? 12.0 : 0));
          /* A matrix's line is taller than \baselineskip: \lineskip
             (1 pt) above it.  */
          if (hm + MATRIX_LINESKIP > h)
            h = hm + MATRIX_LINESKIP;
          p = fadj_tex_env_close (stop, end);
        }
      else if (*p == '{')
        p++;                    /* into \uncover's and \text's groups */
      else if (*p == '\\')
        {
          /* An \underbrace (the chain rule's factors) hangs its brace
             and its script-size label below the line: about 14 pt.  */
          const char *e = fadj_tex_command_end (p, end);
          if (fadj_tex_command_p (p, e, "underbrace") && under < 14.0)
            under = 14.0;
          /* A display's fraction and a sum with its limits above and
             below (the chain rule's first line) are taller than text.  */
          if ((fadj_tex_command_p (p, e, "frac")
               || fadj_tex_command_p (p, e, "dfrac")) && h < 24.0)
            h = 24.0;
          if (fadj_tex_command_p (p, e, "sum") && e < end && *e == '_'
              && h < 30.0)
            h = 30.0;
          if (fadj_tex_command_p (p, e, "fadjfield") && h < field)
            h = field;
          p = e;
        }
      else
        p++;
    }
  return h + under + 3.0;       /* \jot between the lines */
}
