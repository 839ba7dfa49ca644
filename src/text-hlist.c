/* text-hlist.c -- a line of a display drawn in text and broken to a
   width (text-layout.h).

   The line is a row of atoms, laid out in two passes.  The first
   decides what goes on each output line: greedily, at the best class of
   break that is enough (fit).  The atoms are cut into units at the
   breaks of the best class -- the equations of the line -- and the
   units are put on a line while they fit; a unit that does not fit goes
   to a new line, and one that does not fit on a line of its own is cut
   at the next class of break, and so on: before the relations, then
   between terms, after the commas of a list, before the · of a product,
   inside brackets.  What is left, one atom too wide, is broken at its
   spaces if it is text, cut into blocks of columns if it is a matrix,
   and else let out past the width, the one case where a line may be
   longer.  This is TeX's rule for displays, which are broken by hand
   before a relation or an operator, made greedy: a document is read
   line by line, and the writer's own breaks come first (they are
   separate lines of the display already).

   The second pass draws each output line: its height is that of its
   tallest atom, everything is aligned on the middle row (the row of the
   relations), and each stretchy delimiter is as tall as what it
   encloses on that line.  */

#include "text-layout.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum
{
  ATOM_TEXT, ATOM_MATRIX, ATOM_DELIM, ATOM_SCRIPT, ATOM_MARK
} atom_kind;

typedef struct
{
  atom_kind kind;
  fadj_brk brk;         /* a break allowed before it, of this class */
  int matrix;           /* TEXT: a 1 x 1 matrix, written as its entry */
  int open;             /* DELIM: an opening one */
  int sup;              /* SCRIPT: a superscript */
  char *text;           /* TEXT, SCRIPT: its characters; DELIM: glyph */
  size_t len;           /* of TEXT */
  fadj_tmatrix *m;      /* MATRIX */
} atom;

struct fadj_hlist
{
  atom *a;
  size_t n, cap;
  fadj_status st;       /* the first failure: later appends do nothing */
};

fadj_hlist *
fadj_hlist_new (void)
{
  return calloc (1, sizeof (fadj_hlist));
}

void
fadj_hlist_free (fadj_hlist *l)
{
  size_t k;

  if (l == NULL)
    return;
  for (k = 0; k < l->n; k++)
    {
      free (l->a[k].text);
      fadj_tmatrix_free (l->a[k].m);
    }
  free (l->a);
  free (l);
}

fadj_status
fadj_hlist_status (const fadj_hlist *l)
{
  return l->st;
}

/* A new atom of kind K at the end of L, zeroed but for its kind; NULL
   (and L failed) when out of memory.  */
static atom *
push (fadj_hlist *l, atom_kind k)
{
  if (l->st != FADJ_OK)
    return NULL;
  if (l->n == l->cap)
    {
      size_t cap = l->cap ? 2 * l->cap : 16;
      atom *a = realloc (l->a, cap * sizeof *a);
      if (a == NULL)
        {
          l->st = FADJ_ERR_NOMEM;
          return NULL;
        }
      l->a = a;
      l->cap = cap;
    }
  memset (l->a + l->n, 0, sizeof *l->a);
  l->a[l->n].kind = k;
  return l->a + l->n++;
}

/* Append [S, S + N) to the string *P of *LEN bytes.  */
static int
append (char **p, size_t *len, const char *s, size_t n)
{
  char *q = realloc (*p, *len + n + 1);

  if (q == NULL)
    return -1;
  memcpy (q + *len, s, n);
  *len += n;
  q[*len] = '\0';
  *p = q;
  return 0;
}

static int
blank_p (const atom *t)
{
  size_t k;

  if (t->kind == ATOM_MARK)
    return 1;
  if (t->kind != ATOM_TEXT || t->matrix)
    return 0;
  for (k = 0; k < t->len; k++)
    if (t->text[k] != ' ')
      return 0;
  return 1;
}

/* Whether T is a matrix, or a 1 x 1 one written as its entry.  */
static int
matrix_like_p (const atom *t)
{
  return t->kind == ATOM_MATRIX || (t->kind == ATOM_TEXT && t->matrix);
}

/* Whether T is text that ends with a number (the learning rate in
   "W - 0.5 [...]"), spaces aside.  */
static int
number_end_p (const atom *t)
{
  size_t n = t->len;

  if (t->kind != ATOM_TEXT)
    return 0;
  while (n > 0 && t->text[n - 1] == ' ')
    n--;
  return n > 0 && t->text[n - 1] >= '0' && t->text[n - 1] <= '9';
}

/* Before a matrix-like atom: if the last atom that is not blank is one
   too, or a number, the two are a product, and the · between them is
   written (the spaces between go: the · brings its own).  */
static void
product_dot (fadj_hlist *l)
{
  size_t k = l->n;
  atom *t;

  while (k > 0 && blank_p (l->a + k - 1) && l->a[k - 1].kind != ATOM_MARK)
    k--;
  if (k == 0 || !(matrix_like_p (l->a + k - 1)
                  || number_end_p (l->a + k - 1)))
    return;
  while (l->n > k)
    free (l->a[--l->n].text);
  t = l->a + k - 1;
  while (t->kind == ATOM_TEXT && !t->matrix && t->len > 0
         && t->text[t->len - 1] == ' ')
    t->text[--t->len] = '\0';
  fadj_hlist_text (l, " · ", strlen (" · "), FADJ_BRK_MUL, 0);
}

void
fadj_hlist_text (fadj_hlist *l, const char *s, size_t n, fadj_brk brk,
                 int matrix)
{
  atom *t;

  if (l->st != FADJ_OK)
    return;
  if (matrix)
    product_dot (l);
  /* Text that cannot break before it goes on the last text atom; the
     spaces between them are one space.  */
  if (!matrix && brk == FADJ_BRK_NONE && l->n > 0
      && l->a[l->n - 1].kind == ATOM_TEXT && !l->a[l->n - 1].matrix)
    {
      t = l->a + l->n - 1;
      if (n > 0 && *s == ' ' && t->len > 0 && t->text[t->len - 1] == ' ')
        s++, n--;
      if (append (&t->text, &t->len, s, n) != 0)
        l->st = FADJ_ERR_NOMEM;
      return;
    }
  if ((t = push (l, ATOM_TEXT)) == NULL)
    return;
  t->brk = brk;
  t->matrix = matrix;
  if (append (&t->text, &t->len, s, n) != 0)
    l->st = FADJ_ERR_NOMEM;
}

void
fadj_hlist_matrix (fadj_hlist *l, fadj_tmatrix *m)
{
  atom *t;

  if (l->st != FADJ_OK)
    {
      fadj_tmatrix_free (m);
      return;
    }
  product_dot (l);
  if ((t = push (l, ATOM_MATRIX)) == NULL)
    {
      fadj_tmatrix_free (m);
      return;
    }
  t->m = m;
}

void
fadj_hlist_delim (fadj_hlist *l, const char *glyph, int open)
{
  atom *t;
  size_t n = l->n;

  /* \left[ array \right]: the array's own brackets, which it keeps when
     it is cut into blocks of columns.  */
  if (!open && strcmp (glyph, "]") == 0 && n >= 2
      && l->a[n - 1].kind == ATOM_MATRIX && l->a[n - 2].kind == ATOM_DELIM
      && l->a[n - 2].open && strcmp (l->a[n - 2].text, "[") == 0)
    {
      fadj_tmatrix *m = l->a[n - 1].m;
      free (l->a[n - 2].text);
      l->n -= 2;
      fadj_tmatrix_set_brackets (m, 1);
      fadj_hlist_matrix (l, m);
      return;
    }
  if ((t = push (l, ATOM_DELIM)) == NULL)
    return;
  t->open = open;
  if (append (&t->text, &t->len, glyph, strlen (glyph)) != 0)
    l->st = FADJ_ERR_NOMEM;
}

void
fadj_hlist_script (fadj_hlist *l, const char *s, int sup)
{
  atom *t;

  /* After text, a script is text: it is on the one row already.  */
  if (l->n == 0 || (l->a[l->n - 1].kind != ATOM_MATRIX
                    && l->a[l->n - 1].kind != ATOM_DELIM))
    {
      fadj_hlist_text (l, s, strlen (s), FADJ_BRK_NONE, 0);
      return;
    }
  if ((t = push (l, ATOM_SCRIPT)) == NULL)
    return;
  t->sup = sup;
  if (append (&t->text, &t->len, s, strlen (s)) != 0)
    l->st = FADJ_ERR_NOMEM;
}

void
fadj_hlist_mark (fadj_hlist *l)
{
  push (l, ATOM_MARK);
}

int
fadj_hlist_blank_p (const fadj_hlist *l)
{
  size_t k;

  for (k = 0; k < l->n; k++)
    if (!blank_p (l->a + k))
      return 0;
  return 1;
}

/* ------------------------------------------------------------------ */
/* Breaking.                                                           */

/* What goes on an output line: atom ATOM whole, or bytes [A, B) of its
   text, or columns [A, B) of its matrix, or (LABEL) the label of that
   block.  */
typedef struct
{
  size_t atom, a, b;
  int label;
} piece;

typedef struct
{
  size_t indent, first;   /* its first piece */
} out_line;

typedef struct
{
  const fadj_hlist *l;
  size_t width, indent;
  size_t mark;
  int marked;
  piece *p;
  size_t np, pcap;
  out_line *ln;
  size_t nl, lcap;
  size_t x, lx;           /* the current column; the current line's start */
  fadj_status st;
} lay;

static void
add_piece (lay *L, size_t atom, size_t a, size_t b, int label)
{
  if (L->st != FADJ_OK)
    return;
  if (L->np == L->pcap)
    {
      size_t cap = L->pcap ? 2 * L->pcap : 32;
      piece *p = realloc (L->p, cap * sizeof *p);
      if (p == NULL)
        {
          L->st = FADJ_ERR_NOMEM;
          return;
        }
      L->p = p;
      L->pcap = cap;
    }
  L->p[L->np].atom = atom;
  L->p[L->np].a = a;
  L->p[L->np].b = b;
  L->p[L->np].label = label;
  L->np++;
}

static void
new_line (lay *L, size_t indent)
{
  if (L->st != FADJ_OK)
    return;
  if (L->nl == L->lcap)
    {
      size_t cap = L->lcap ? 2 * L->lcap : 8;
      out_line *ln = realloc (L->ln, cap * sizeof *ln);
      if (ln == NULL)
        {
          L->st = FADJ_ERR_NOMEM;
          return;
        }
      L->ln = ln;
      L->lcap = cap;
    }
  L->ln[L->nl].indent = indent;
  L->ln[L->nl].first = L->np;
  L->nl++;
  L->x = L->lx = indent;
}

static int
fresh_p (const lay *L)
{
  return L->x == L->lx;
}

/* Where a line broken before a break of class BRK goes on: under the
   relation of the mark, two columns right of it (inside the right
   side), or at the start (another equation); never so far right that
   less than half the width is left.  */
static size_t
cont_indent (const lay *L, fadj_brk brk)
{
  size_t base = L->marked ? L->mark : L->indent + 2, c;

  if (brk == FADJ_BRK_EQ)
    return L->indent;
  c = brk == FADJ_BRK_REL ? base : base + 2;
  if (c > L->width / 2 && c > L->indent + 4)
    c = L->indent + 4;
  return c;
}

static size_t
skip_spaces (const atom *t, size_t a)
{
  while (a < t->len && t->text[a] == ' ')
    a++;
  return a;
}

/* The label of a block of columns [C0, C1) of a matrix, in *BUF.  */
static void
block_label (char *buf, size_t n, size_t c0, size_t c1)
{
  if (c1 == c0 + 1)
    snprintf (buf, n, _ ("column %zu:"), c0 + 1);
  else
    snprintf (buf, n, _ ("columns %zu–%zu:"), c0 + 1, c1);
}

/* The width of atoms [I0, I1) put from the start of a line (FRESH: their
   leading spaces dropped) or not, without the spaces they end with.  */
static size_t
measure (const lay *L, size_t i0, size_t i1, int fresh)
{
  size_t w = 0, i, trail = 0;

  for (i = i0; i < i1; i++)
    {
      const atom *t = L->l->a + i;
      size_t a = 0, k;
      switch (t->kind)
        {
        case ATOM_TEXT:
        case ATOM_SCRIPT:
          if (fresh)
            a = skip_spaces (t, 0);
          if (a < t->len)
            fresh = 0;
          w += fadj_text_width (t->text + a, t->len - a);
          for (k = t->len, trail = 0; k > a && t->text[k - 1] == ' '; k--)
            trail++;
          break;
        case ATOM_MATRIX:
          w += fadj_tmatrix_width (t->m, 0, fadj_tmatrix_cols (t->m));
          fresh = trail = 0;
          break;
        case ATOM_DELIM:
          w++;
          fresh = trail = 0;
          break;
        case ATOM_MARK:
          break;
        }
    }
  return w - trail;
}

/* Put atoms [I0, I1) on the current line.  */
static void
place (lay *L, size_t i0, size_t i1)
{
  size_t i;

  for (i = i0; i < i1; i++)
    {
      const atom *t = L->l->a + i;
      size_t a = 0;
      switch (t->kind)
        {
        case ATOM_TEXT:
        case ATOM_SCRIPT:
          if (fresh_p (L))
            a = skip_spaces (t, 0);
          if (a == t->len)
            break;
          add_piece (L, i, a, t->len, 0);
          L->x += fadj_text_width (t->text + a, t->len - a);
          break;
        case ATOM_MATRIX:
          add_piece (L, i, 0, fadj_tmatrix_cols (t->m), 0);
          L->x += fadj_tmatrix_width (t->m, 0, fadj_tmatrix_cols (t->m));
          break;
        case ATOM_DELIM:
          add_piece (L, i, 0, 0, 0);
          L->x++;
          break;
        case ATOM_MARK:
          if (!L->marked)
            {
              L->mark = L->x;
              L->marked = 1;
            }
          break;
        }
    }
}

/* Text atom I, too wide for the rest of the line, put word by word,
   breaking at its spaces.  */
static void
wrap_text (lay *L, size_t i)
{
  const atom *t = L->l->a + i;
  size_t a = 0, b, e, c = cont_indent (L, FADJ_BRK_INNER);

  while (a < t->len)
    {
      /* A word: the spaces before it, then up to the next space.  */
      e = skip_spaces (t, a);
      for (b = e; b < t->len && t->text[b] != ' '; b++)
        ;
      if (e == b)
        break;                  /* only spaces left */
      if (!fresh_p (L)
          && L->x + fadj_text_width (t->text + a, b - a) > L->width)
        new_line (L, c);
      if (fresh_p (L))
        a = e;
      add_piece (L, i, a, b, 0);
      L->x += fadj_text_width (t->text + a, b - a);
      a = b;
    }
}

/* The end of the block of columns of M that starts at C0: as many as
   fit in AVAIL, and at least one.  */
static size_t
block_end (const fadj_tmatrix *m, size_t c0, size_t avail)
{
  size_t c1, cols = fadj_tmatrix_cols (m);

  for (c1 = c0 + 1; c1 < cols && fadj_tmatrix_width (m, c0, c1 + 1) <= avail;
       c1++)
    ;
  return c1;
}

/* The number of columns of each block of M in AVAIL columns: as even as
   the blocks that fit greedily allow (4 + 4 rather than 7 + 1), or 0 to
   take them greedily when even blocks would not fit.  */
static size_t
block_size (const fadj_tmatrix *m, size_t avail)
{
  size_t cols = fadj_tmatrix_cols (m), n = 0, c0, per;

  for (c0 = 0; c0 < cols; c0 = block_end (m, c0, avail))
    n++;
  per = (cols + n - 1) / n;
  for (c0 = 0; c0 < cols; c0 += per)
    if (fadj_tmatrix_width (m, c0, c0 + per < cols ? c0 + per : cols) > avail)
      return 0;
  return per;
}

/* Matrix atom I, too wide for the line where it would go: in blocks of
   columns, each under a label, under the relation or, if even one
   column is too wide there, as far left as needed.  */
static void
matrix_blocks (lay *L, size_t i)
{
  const fadj_tmatrix *m = L->l->a[i].m;
  size_t cols = fadj_tmatrix_cols (m), c0, c1, bx, avail, per, w1;
  size_t c = cont_indent (L, FADJ_BRK_INNER);
  char label[64];

  bx = L->x < c ? L->x : c;
  /* Left of the relation's column if even one column is too wide there
     (many digits in a narrow terminal).  */
  for (c0 = 0, w1 = 0; c0 < cols; c0++)
    if (fadj_tmatrix_width (m, c0, c0 + 1) > w1)
      w1 = fadj_tmatrix_width (m, c0, c0 + 1);
  if (bx + w1 > L->width)
    bx = L->width > L->indent + w1 ? L->width - w1 : L->indent;
  avail = L->width > bx ? L->width - bx : 1;
  if (fadj_tmatrix_width (m, 0, cols) <= avail)
    {
      /* It fits there whole.  */
      if (!fresh_p (L) || L->x != bx)
        new_line (L, bx);
      place (L, i, i + 1);
      return;
    }
  per = block_size (m, avail);
  for (c0 = 0; c0 < cols; c0 = c1)
    {
      c1 = per == 0 ? block_end (m, c0, avail)
                    : c0 + per < cols ? c0 + per : cols;
      block_label (label, sizeof label, c0, c1);
      if (c0 > 0 || (!fresh_p (L) && L->x + fadj_text_width (label,
                                                              strlen (label))
                                     > L->width))
        new_line (L, bx);
      add_piece (L, i, c0, c1, 1);
      new_line (L, bx);
      add_piece (L, i, c0, c1, 0);
      L->x += fadj_tmatrix_width (m, c0, c1);
    }
}

/* Atoms [A, B), with no break between them left: each where it fits.  */
static void
fit_atoms (lay *L, size_t a, size_t b)
{
  size_t i;

  for (i = a; i < b && L->st == FADJ_OK; i++)
    {
      const atom *t = L->l->a + i;
      size_t c = cont_indent (L, FADJ_BRK_INNER), k;

      if (L->x + measure (L, i, i + 1, fresh_p (L)) <= L->width)
        place (L, i, i + 1);
      else if (!fresh_p (L) && c < L->x
               && c + measure (L, i, i + 1, 1) <= L->width)
        {
          new_line (L, c);
          place (L, i, i + 1);
        }
      else if (t->kind == ATOM_TEXT
               && (k = skip_spaces (t, 0)) < t->len
               && memchr (t->text + k, ' ', t->len - k) != NULL)
        wrap_text (L, i);
      else if (t->kind == ATOM_MATRIX)
        matrix_blocks (L, i);
      else
        place (L, i, i + 1);    /* a single token longer than the line */
    }
}

/* Atoms [A, B), whose breaks are all of class LEVEL or worse: cut into
   units at those of class LEVEL, each put on the current line if it
   fits, else on a new one, else cut at the next class.  */
static void
fit (lay *L, size_t a, size_t b, int level)
{
  size_t u0, u1;

  if (level > FADJ_BRK_INNER)
    {
      fit_atoms (L, a, b);
      return;
    }
  for (u0 = a; u0 < b && L->st == FADJ_OK; u0 = u1)
    {
      for (u1 = u0 + 1; u1 < b && (int) L->l->a[u1].brk != level; u1++)
        ;
      /* A new line, if it gives the unit more room.  */
      if (L->x + measure (L, u0, u1, fresh_p (L)) > L->width && u0 > a
          && cont_indent (L, (fadj_brk) level) < L->x)
        new_line (L, cont_indent (L, (fadj_brk) level));
      if (L->x + measure (L, u0, u1, fresh_p (L)) <= L->width)
        place (L, u0, u1);
      else
        fit (L, u0, u1, level + 1);
    }
}

/* ------------------------------------------------------------------ */
/* Drawing.                                                            */

/* A piece as drawn: its width, and the rows it takes above and below
   the middle row.  */
typedef struct
{
  size_t w, above, below;
} extent;

static void
piece_extent (extent *e, const lay *L, const piece *p)
{
  const atom *t = L->l->a + p->atom;
  char label[64];

  e->above = e->below = 0;
  if (p->label)
    {
      block_label (label, sizeof label, p->a, p->b);
      e->w = fadj_text_width (label, strlen (label));
      return;
    }
  switch (t->kind)
    {
    case ATOM_MATRIX:
      {
        size_t h = fadj_tmatrix_rows (t->m);
        e->w = fadj_tmatrix_width (t->m, p->a, p->b);
        e->above = h > 0 ? (h - 1) / 2 : 0;
        e->below = h > 0 ? h - 1 - e->above : 0;
        break;
      }
    case ATOM_DELIM:
      e->w = 1;
      break;
    default:
      e->w = fadj_text_width (t->text + p->a, p->b - p->a);
      break;
    }
}

static int
delim_p (const lay *L, const piece *p, int open)
{
  const atom *t = L->l->a + p->atom;
  return !p->label && t->kind == ATOM_DELIM && t->open == open;
}

/* The extent of the delimiter K of pieces [F, G) in E: what it encloses
   on the line, up to its partner, or to the line's end or start.  */
static void
delim_extent (extent *e, const lay *L, size_t f, size_t g, size_t k)
{
  int open = delim_p (L, L->p + k, 1), depth = 0;
  size_t j = k;

  for (;;)
    {
      const piece *q = L->p + j;
      if (delim_p (L, q, open))
        depth++;
      else if (delim_p (L, q, !open))
        {
          if (--depth == 0)
            break;
        }
      else if (q->label || L->l->a[q->atom].kind != ATOM_SCRIPT)
        {
          if (e[j - f].above > e[k - f].above)
            e[k - f].above = e[j - f].above;
          if (e[j - f].below > e[k - f].below)
            e[k - f].below = e[j - f].below;
        }
      if (open ? j + 1 == g : j == f)
        break;
      j = open ? j + 1 : j - 1;
    }
}

/* The extents of the delimiters and scripts of pieces [F, G) in E, from
   those of the rest: a delimiter spans what it encloses, a script sits
   on the top or bottom row of what it follows.  */
static void
tall_extents (extent *e, const lay *L, size_t f, size_t g)
{
  size_t k;

  for (k = f; k < g; k++)
    if (delim_p (L, L->p + k, 1) || delim_p (L, L->p + k, 0))
      delim_extent (e, L, f, g, k);
  for (k = f + 1; k < g; k++)
    {
      const piece *p = L->p + k;
      const atom *t = L->l->a + p->atom;
      if (p->label || t->kind != ATOM_SCRIPT)
        continue;
      if (t->sup)
        e[k - f].above = e[k - f - 1].above;
      else
        e[k - f].below = e[k - f - 1].below;
    }
}

/* Row R (from -above to below) of piece P, of extent E, into B.  */
static void
put_piece_row (fadj_buf *b, const lay *L, const piece *p, const extent *e,
               long r)
{
  const atom *t = L->l->a + p->atom;
  size_t k;

  if (r < -(long) e->above || r > (long) e->below)
    {
      for (k = 0; k < e->w; k++)
        fadj_buf_puts (b, " ");
      return;
    }
  if (p->label)
    {
      char label[64];
      block_label (label, sizeof label, p->a, p->b);
      fadj_buf_puts (b, label);
      return;
    }
  switch (t->kind)
    {
    case ATOM_MATRIX:
      fadj_tmatrix_put_row (b, t->m, (size_t) (r + (long) e->above), p->a,
                            p->b);
      return;
    case ATOM_DELIM:
      fadj_buf_puts (b, fadj_text_delim_row (t->text,
                                             (size_t) (r + (long) e->above),
                                             e->above + e->below + 1));
      return;
    case ATOM_SCRIPT:
      if (r == (t->sup ? -(long) e->above : (long) e->below))
        fadj_buf_put_mem (b, t->text + p->a, p->b - p->a);
      else
        for (k = 0; k < e->w; k++)
          fadj_buf_puts (b, " ");
      return;
    default:
      fadj_buf_put_mem (b, t->text + p->a, p->b - p->a);
      return;
    }
}

/* Output line K of L into OUT: each of its rows, without the spaces
   they end with.  FADJ_ERR_NOMEM, else FADJ_OK.  */
static fadj_status
draw_line (fadj_buf *out, const lay *L, size_t k)
{
  size_t f = L->ln[k].first, g = k + 1 < L->nl ? L->ln[k + 1].first : L->np;
  size_t above = 0, below = 0, j, n;
  extent *e;
  fadj_buf *row;
  long r;
  fadj_status st;

  if (f == g)
    return FADJ_OK;
  e = calloc (g - f, sizeof *e);
  row = fadj_buf_new ();
  if (e == NULL || row == NULL)
    {
      free (e);
      fadj_buf_free (row);
      return FADJ_ERR_NOMEM;
    }
  for (j = f; j < g; j++)
    piece_extent (e + j - f, L, L->p + j);
  tall_extents (e, L, f, g);
  for (j = 0; j < g - f; j++)
    {
      if (e[j].above > above)
        above = e[j].above;
      if (e[j].below > below)
        below = e[j].below;
    }
  for (r = -(long) above; r <= (long) below; r++)
    {
      const char *d;
      fadj_buf_reset (row);
      for (j = 0; j < L->ln[k].indent; j++)
        fadj_buf_puts (row, " ");
      for (j = f; j < g; j++)
        put_piece_row (row, L, L->p + j, e + j - f, r);
      d = fadj_buf_data (row, &n);
      while (n > 0 && d[n - 1] == ' ')
        n--;
      fadj_buf_put_mem (out, d, n);
      fadj_buf_puts (out, "\n");
    }
  st = fadj_buf_status (row);
  free (e);
  fadj_buf_free (row);
  return st;
}

size_t
fadj_hlist_width (const fadj_hlist *l)
{
  lay L = { .l = l };

  return measure (&L, 0, l->n, 1);
}

fadj_status
fadj_hlist_layout (fadj_buf *out, size_t *mark, const fadj_hlist *l,
                   size_t indent, size_t width)
{
  lay L = { .l = l, .indent = indent, .width = width ? width : SIZE_MAX };
  size_t k;
  fadj_status st;

  if (l->st != FADJ_OK)
    return l->st;
  new_line (&L, indent);
  fit (&L, 0, l->n, FADJ_BRK_EQ);
  for (k = 0; k < L.nl && L.st == FADJ_OK; k++)
    L.st = draw_line (out, &L, k);
  *mark = L.marked ? L.mark : indent;
  st = L.st;
  free (L.p);
  free (L.ln);
  return st;
}
