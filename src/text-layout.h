/* text-layout.h -- the layout of the text format in a fixed width,
   internal to libfadj: format.c reads the writer's LaTeX and hands its
   pieces here, where they are drawn in lines of at most WIDTH columns.

   - A matrix (fadj_tmatrix, text-matrix.c) is drawn in two dimensions,
     its columns aligned, in the bracket glyphs ⎡ ⎤ ⎢ ⎥ ⎣ ⎦ ([ ] for one
     row), with │ before the bias column; one wider than the line is cut
     into blocks of columns, each labelled.
   - A line of a display (fadj_hlist, text-hlist.c) is a row of atoms --
     text, matrices, stretchy delimiters, scripts -- drawn on as many
     rows as its tallest atom, the relations and operators on the middle
     row; where it is wider than the line it breaks before a relation,
     else between terms, and goes on indented.
   - Prose is wrapped at spaces, and tables are aligned (text-wrap.c).

   Widths are counted in code points of UTF-8, which is what a terminal
   shows for the characters the writer uses.  Nothing here is longer
   than the width but a single token that is longer by itself: a number
   of many digits, a word, one column of a matrix.  */

#ifndef FADJ_TEXT_LAYOUT_H
#define FADJ_TEXT_LAYOUT_H

#include "fadj-impl.h"

/* The columns [S, S + N) takes: its code points.  */
size_t fadj_text_width (const char *s, size_t n);

/* A space that the wrapping of prose must not break at (format.c puts
   it inside inline formulas); it is written as a space.  */
#define FADJ_TEXT_NBSP '\x02'

/* ------------------------------------------------------------------ */
/* Matrices.                                                           */

typedef struct fadj_tmatrix fadj_tmatrix;

/* An empty matrix, drawn with brackets if BRACKETS, with a rule before
   column BAR (0-based) if BAR > 0.  NULL when out of memory.  Freed by
   fadj_tmatrix_free (a no-op on NULL).  */
fadj_tmatrix *fadj_tmatrix_new (int brackets, size_t bar);
void fadj_tmatrix_free (fadj_tmatrix *m);

/* Set the cell in row ROW and column COL (0-based; the matrix grows to
   hold it; unset cells are empty) to a copy of the one-line text
   [S, S + N).  FADJ_ERR_NOMEM, else FADJ_OK.  */
fadj_status fadj_tmatrix_set (fadj_tmatrix *m, size_t row, size_t col,
                              const char *s, size_t n) FADJ_WUR;

/* Its rows, and its columns.  */
size_t fadj_tmatrix_rows (const fadj_tmatrix *m);
size_t fadj_tmatrix_cols (const fadj_tmatrix *m);

/* Draw M in brackets (its own choice) or not, as if made with BRACKETS.  */
void fadj_tmatrix_set_brackets (fadj_tmatrix *m, int brackets);

/* The width of the drawing of columns [C0, C1) of M, brackets included.  */
size_t fadj_tmatrix_width (const fadj_tmatrix *m, size_t c0, size_t c1);

/* Append row R of the drawing of columns [C0, C1) of M to B: exactly
   fadj_tmatrix_width (M, C0, C1) columns.  */
void fadj_tmatrix_put_row (fadj_buf *b, const fadj_tmatrix *m, size_t r,
                           size_t c0, size_t c1);

/* Row R of the stretchy delimiter GLYPH ("(", ")", "[", "]", "{", "}",
   "|" or "‖", as one row writes it) drawn on H rows: one glyph of a
   single column.  */
const char *fadj_text_delim_row (const char *glyph, size_t r, size_t h);

/* ------------------------------------------------------------------ */
/* Lines of displays.                                                  */

/* Where a line may break, before an atom, from the best place to the
   worst: between the equations of one line, before a relation, before
   a + - or ⊙ outside any brackets, after a comma of a list, before a ·
   of a product, before an operator inside brackets.  */
typedef enum
{
  FADJ_BRK_NONE,
  FADJ_BRK_EQ,
  FADJ_BRK_REL,
  FADJ_BRK_BIN,
  FADJ_BRK_COMMA,
  FADJ_BRK_MUL,
  FADJ_BRK_INNER
} fadj_brk;

typedef struct fadj_hlist fadj_hlist;

/* An empty line.  NULL when out of memory.  Freed by fadj_hlist_free
   (a no-op on NULL), with the matrices it was given.  */
fadj_hlist *fadj_hlist_new (void);
void fadj_hlist_free (fadj_hlist *l);

/* Append the text [S, S + N), on one row, with a break of class BRK
   allowed before it.  MATRIX says that it is a 1 x 1 matrix, written
   as its entry: what it is juxtaposed with is a product (below).  */
void fadj_hlist_text (fadj_hlist *l, const char *s, size_t n, fadj_brk brk,
                      int matrix);
/* Append the matrix M (L owns it from now on, also on failure).  Two
   matrices juxtaposed are a product, and get a · between them, so that
   "(1, -1) -0.5" cannot be read as a difference.  An array of no
   brackets between the delimiters [ and ] takes them as its own.  */
void fadj_hlist_matrix (fadj_hlist *l, fadj_tmatrix *m);
/* Append a stretchy delimiter (as fadj_text_delim_row): OPEN or a
   closing one, as tall as what it encloses on its row of the layout.  */
void fadj_hlist_delim (fadj_hlist *l, const char *glyph, int open);
/* Append a superscript (SUP) or subscript, already in script
   characters: after a tall atom it goes on its top or bottom row.  */
void fadj_hlist_script (fadj_hlist *l, const char *s, int sup);
/* Mark where the right side of the equation begins: its relation is
   the column continuation lines align to.  */
void fadj_hlist_mark (fadj_hlist *l);
/* The width of L on one line, from the start of a line.  */
size_t fadj_hlist_width (const fadj_hlist *l);
/* Whether L has nothing but spaces.  */
int fadj_hlist_blank_p (const fadj_hlist *l);
/* L's status: FADJ_ERR_NOMEM if an append failed.  */
fadj_status fadj_hlist_status (const fadj_hlist *l);

/* Append L to OUT, starting at column INDENT, in lines of at most WIDTH
   columns, each ended by a newline.  Too wide, it breaks at the best
   class of break that is enough, and goes on under the relation of the
   mark (FADJ_BRK_REL), two columns right of it (the others), or at
   INDENT (FADJ_BRK_EQ); a text without breaks breaks at its spaces, a
   matrix too wide for any line is cut into blocks of columns.  *MARK
   becomes the column of L's mark (INDENT if it has none).  L's status,
   else FADJ_OK.  */
fadj_status fadj_hlist_layout (fadj_buf *out, size_t *mark,
                               const fadj_hlist *l, size_t indent,
                               size_t width) FADJ_WUR;

/* ------------------------------------------------------------------ */
/* Prose and tables.                                                   */

/* Append the line [S, S + N) (no newline in it) wrapped at its spaces
   into lines of at most WIDTH columns, each ended by a newline; the
   lines after the first are indented as the first is.  */
void fadj_text_wrap (fadj_buf *out, const char *s, size_t n, size_t width);

/* Append a table of ROWS x COLS cells (CELLS row by row, each one line),
   its columns aligned and separated by " | ", a rule under each row
   whose RULE_AFTER[row] is set, every line starting at column INDENT;
   the widest columns are wrapped at their spaces to fit WIDTH.
   FADJ_ERR_NOMEM, else FADJ_OK.  */
fadj_status fadj_text_table (fadj_buf *out, const char *const *cells,
                             size_t rows, size_t cols,
                             const unsigned char *rule_after, size_t indent,
                             size_t width) FADJ_WUR;

#endif /* FADJ_TEXT_LAYOUT_H */
