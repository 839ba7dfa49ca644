/* text-matrix.c -- a matrix drawn in text, and the glyphs of tall
   delimiters (text-layout.h).

   The entries are right-aligned in their columns, two spaces apart, as
   a table of numbers is set by hand: the units line up, and a minus
   sign stands out to the left.  Brackets are drawn from the pieces that
   Unicode has for the purpose (U+23A1..U+23A6), which join into one tall
   bracket in a terminal's font; a matrix of one row keeps the ASCII
   [ ].  */

#include "text-layout.h"

#include <stdlib.h>
#include <string.h>

struct fadj_tmatrix
{
  char **cell;          /* rcap x ccap, row-major; NULL: empty */
  size_t rows, cols;    /* the part in use */
  size_t rcap, ccap;
  size_t *colw;         /* ccap widths, of the widest cell of each column */
  int brackets;
  size_t bar;           /* the column after the rule, 0: none */
};

size_t
fadj_text_width (const char *s, size_t n)
{
  size_t w = 0, k;

  /* Every byte but a continuation byte (10xxxxxx) starts a code point.  */
  for (k = 0; k < n; k++)
    if ((s[k] & 0xC0) != 0x80)
      w++;
  return w;
}

fadj_tmatrix *
fadj_tmatrix_new (int brackets, size_t bar)
{
  fadj_tmatrix *m = calloc (1, sizeof *m);

  if (m == NULL)
    return NULL;
  m->brackets = brackets;
  m->bar = bar;
  return m;
}

void
fadj_tmatrix_free (fadj_tmatrix *m)
{
  size_t k;

  if (m == NULL)
    return;
  for (k = 0; k < m->rcap * m->ccap; k++)
    free (m->cell[k]);
  free (m->cell);
  free (m->colw);
  free (m);
}

/* Make room for a cell at (ROW, COL), doubling the capacities, so that a
   matrix filled row by row costs its size, not its size squared.  */
static fadj_status
tmatrix_reserve (fadj_tmatrix *m, size_t row, size_t col)
{
  size_t rcap = m->rcap ? m->rcap : 4, ccap = m->ccap ? m->ccap : 4, i;
  char **cell;
  size_t *colw;

  if (row < m->rcap && col < m->ccap)
    return FADJ_OK;
  while (rcap <= row)
    rcap *= 2;
  while (ccap <= col)
    ccap *= 2;
  if (rcap > SIZE_MAX / sizeof *cell / ccap)
    return FADJ_ERR_NOMEM;
  cell = calloc (rcap * ccap, sizeof *cell);
  colw = calloc (ccap, sizeof *colw);
  if (cell == NULL || colw == NULL)
    {
      free (cell);
      free (colw);
      return FADJ_ERR_NOMEM;
    }
  for (i = 0; i < m->rcap; i++)
    if (m->ccap > 0)
      memcpy (cell + i * ccap, m->cell + i * m->ccap,
              m->ccap * sizeof *cell);
  if (m->ccap > 0)
    memcpy (colw, m->colw, m->ccap * sizeof *colw);
  free (m->cell);
  free (m->colw);
  m->cell = cell;
  m->colw = colw;
  m->rcap = rcap;
  m->ccap = ccap;
  return FADJ_OK;
}

fadj_status
fadj_tmatrix_set (fadj_tmatrix *m, size_t row, size_t col, const char *s,
                  size_t n)
{
  char *c;
  size_t w;

  if (tmatrix_reserve (m, row, col) != FADJ_OK
      || (c = malloc (n + 1)) == NULL)
    return FADJ_ERR_NOMEM;
  memcpy (c, s, n);
  c[n] = '\0';
  free (m->cell[row * m->ccap + col]);
  m->cell[row * m->ccap + col] = c;
  w = fadj_text_width (s, n);
  if (w > m->colw[col])
    m->colw[col] = w;
  if (row >= m->rows)
    m->rows = row + 1;
  if (col >= m->cols)
    m->cols = col + 1;
  return FADJ_OK;
}

size_t
fadj_tmatrix_rows (const fadj_tmatrix *m)
{
  return m->rows;
}

size_t
fadj_tmatrix_cols (const fadj_tmatrix *m)
{
  return m->cols;
}

void
fadj_tmatrix_set_brackets (fadj_tmatrix *m, int brackets)
{
  m->brackets = brackets;
}

/* What comes before column J in a drawing of the columns from C0: the
   rule (with a space each side; at the start of a block only the rule
   and a space, so that a block that starts with the bias column still
   says so), two spaces, or nothing.  */
static const char *
column_sep (const fadj_tmatrix *m, size_t j, size_t c0)
{
  if (m->bar > 0 && j == m->bar)
    return j == c0 ? "│ " : " │ ";
  return j == c0 ? "" : "  ";
}

size_t
fadj_tmatrix_width (const fadj_tmatrix *m, size_t c0, size_t c1)
{
  size_t w = m->brackets ? 2 : 0, j;

  for (j = c0; j < c1; j++)
    {
      const char *sep = column_sep (m, j, c0);
      w += fadj_text_width (sep, strlen (sep)) + m->colw[j];
    }
  return w;
}

/* The bracket of a matrix of H rows on row R: LEFT or right.  */
static const char *
bracket_row (int left, size_t r, size_t h)
{
  if (h == 1)
    return left ? "[" : "]";
  if (r == 0)
    return left ? "⎡" : "⎤";
  if (r + 1 == h)
    return left ? "⎣" : "⎦";
  return left ? "⎢" : "⎥";
}

void
fadj_tmatrix_put_row (fadj_buf *b, const fadj_tmatrix *m, size_t r,
                      size_t c0, size_t c1)
{
  size_t j;

  if (m->brackets)
    fadj_buf_puts (b, bracket_row (1, r, m->rows));
  for (j = c0; j < c1; j++)
    {
      const char *c = m->cell[r * m->ccap + j];
      size_t w = c ? fadj_text_width (c, strlen (c)) : 0;

      fadj_buf_puts (b, column_sep (m, j, c0));
      for (; w < m->colw[j]; w++)
        fadj_buf_puts (b, " ");
      if (c != NULL)
        fadj_buf_puts (b, c);
    }
  if (m->brackets)
    fadj_buf_puts (b, bracket_row (0, r, m->rows));
}

/* The pieces of the tall delimiters, top, middle, extension and bottom,
   as Unicode has them (U+239B..U+23AD); a brace of two rows is the pair
   of curly bracket sections (U+23B0, U+23B1).  */
static const struct
{
  const char *glyph, *top, *mid, *ext, *bottom, *two_top, *two_bottom;
} delims[] = {
  { "(", "⎛", "⎜", "⎜", "⎝", "⎛", "⎝" },
  { ")", "⎞", "⎟", "⎟", "⎠", "⎞", "⎠" },
  { "[", "⎡", "⎢", "⎢", "⎣", "⎡", "⎣" },
  { "]", "⎤", "⎥", "⎥", "⎦", "⎤", "⎦" },
  { "{", "⎧", "⎨", "⎪", "⎩", "⎰", "⎱" },
  { "}", "⎫", "⎬", "⎪", "⎭", "⎱", "⎰" },
  { "|", "│", "│", "│", "│", "│", "│" },
  { "‖", "‖", "‖", "‖", "‖", "‖", "‖" },
};

const char *
fadj_text_delim_row (const char *glyph, size_t r, size_t h)
{
  size_t k;

  for (k = 0; k < sizeof delims / sizeof delims[0]; k++)
    if (strcmp (glyph, delims[k].glyph) == 0)
      break;
  if (h <= 1 || k == sizeof delims / sizeof delims[0])
    return glyph;
  if (h == 2)
    return r == 0 ? delims[k].two_top : delims[k].two_bottom;
  if (r == 0)
    return delims[k].top;
  if (r + 1 == h)
    return delims[k].bottom;
  return r == (h - 1) / 2 ? delims[k].mid : delims[k].ext;
}
