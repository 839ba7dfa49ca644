/* check_text.c -- the layout of the text format (text-layout.h):
   matrices drawn in two dimensions, the lines of a display laid out on
   their rows and broken to a width, prose wrapped, tables aligned.
   Every expected picture is drawn by hand from the mathematics and the
   layout's rules (entries right-aligned two spaces apart, the rule │
   before the bias column, relations on the middle row, which is the
   upper one of an even height), not copied from the program's
   output.  */

#include "test-common.h"
#include "text-layout.h"

#include <string.h>

/* A matrix of ROWS x COLS from CELLS (row by row), drawn with BRACKETS
   and a rule before column BAR.  */
static fadj_tmatrix *
matrix (size_t rows, size_t cols, const char *const *cells, int brackets,
        size_t bar)
{
  fadj_tmatrix *m = fadj_tmatrix_new (brackets, bar);
  size_t i, j;

  ck_assert_ptr_nonnull (m);
  for (i = 0; i < rows; i++)
    for (j = 0; j < cols; j++)
      {
        const char *c = cells[i * cols + j];
        ck_assert_int_eq (fadj_tmatrix_set (m, i, j, c, strlen (c)),
                          FADJ_OK);
      }
  return m;
}

/* The drawing of M, all columns, one line per row.  */
static void
assert_drawing (const fadj_tmatrix *m, const char *expected)
{
  fadj_buf *b = fadj_buf_new ();
  size_t r;

  for (r = 0; r < fadj_tmatrix_rows (m); r++)
    {
      fadj_tmatrix_put_row (b, m, r, 0, fadj_tmatrix_cols (m));
      fadj_buf_puts (b, "\n");
    }
  ck_assert_str_eq (fadj_buf_data (b, NULL), expected);
  fadj_buf_free (b);
}

static const char *const m1234[] = { "1", "2", "3", "4" };

/* [1 2; 3 4]: two rows, the bracket's top and bottom pieces.  */
START_TEST (test_matrix_2x2)
{
  fadj_tmatrix *m = matrix (2, 2, m1234, 1, 0);

  assert_drawing (m, "⎡1  2⎤\n"
                     "⎣3  4⎦\n");
  ck_assert_uint_eq (fadj_tmatrix_width (m, 0, 2), 6);
  fadj_tmatrix_free (m);
}
END_TEST

/* The examples' shapes: a column vector (three rows: the extension
   piece in the middle), a row ([ ]), the weights with the bias column
   after the rule, entries right-aligned.  */
START_TEST (test_matrix_shapes)
{
  static const char *const x0[] = { "0", "0", "1" };
  static const char *const row[] = { "0.731059", "0.268941", "1" };
  static const char *const w1[] = { "1", "-1", "1", "-1", "1", "-1" };
  fadj_tmatrix *m = matrix (3, 1, x0, 1, 0);

  assert_drawing (m, "⎡0⎤\n"
                     "⎢0⎥\n"
                     "⎣1⎦\n");
  fadj_tmatrix_free (m);
  m = matrix (1, 3, row, 1, 0);
  assert_drawing (m, "[0.731059  0.268941  1]\n");
  fadj_tmatrix_free (m);
  m = matrix (2, 3, w1, 1, 2);
  assert_drawing (m, "⎡ 1  -1 │  1⎤\n"
                     "⎣-1   1 │ -1⎦\n");
  fadj_tmatrix_free (m);
}
END_TEST

/* The pieces of tall delimiters.  */
START_TEST (test_delims)
{
  ck_assert_str_eq (fadj_text_delim_row ("(", 0, 1), "(");
  ck_assert_str_eq (fadj_text_delim_row ("(", 0, 3), "⎛");
  ck_assert_str_eq (fadj_text_delim_row ("(", 1, 3), "⎜");
  ck_assert_str_eq (fadj_text_delim_row (")", 2, 3), "⎠");
  ck_assert_str_eq (fadj_text_delim_row ("{", 0, 2), "⎰");
  ck_assert_str_eq (fadj_text_delim_row ("{", 1, 2), "⎱");
  ck_assert_str_eq (fadj_text_delim_row ("{", 1, 3), "⎨");
  ck_assert_str_eq (fadj_text_delim_row ("}", 1, 4), "⎬");
  ck_assert_str_eq (fadj_text_delim_row ("}", 2, 4), "⎪");
  ck_assert_str_eq (fadj_text_delim_row ("‖", 1, 2), "‖");
}
END_TEST

/* Lay out L from column 4 in WIDTH columns, compare, free L.  */
static void
assert_layout (fadj_hlist *l, size_t width, const char *expected,
               size_t mark)
{
  fadj_buf *b = fadj_buf_new ();
  size_t got_mark;

  ck_assert_int_eq (fadj_hlist_layout (b, &got_mark, l, 4, width), FADJ_OK);
  ck_assert_str_eq (fadj_buf_data (b, NULL), expected);
  ck_assert_uint_eq (got_mark, mark);
  fadj_buf_free (b);
  fadj_hlist_free (l);
}

static void
text (fadj_hlist *l, const char *s, fadj_brk brk)
{
  fadj_hlist_text (l, s, strlen (s), brk, 0);
}

/* Y = [1 2; 3 4] [5; 6] = [17; 39]: on the rows of the matrices, the
   relations and the product's · on the upper middle row; too wide for
   20 columns, it breaks before the second =, which goes under the
   first.  */
static fadj_hlist *
product (void)
{
  static const char *const v56[] = { "5", "6" }, *const v1739[] = { "17",
                                                                    "39" };
  fadj_hlist *l = fadj_hlist_new ();

  text (l, "Y ", FADJ_BRK_NONE);
  fadj_hlist_mark (l);
  text (l, "= ", FADJ_BRK_REL);
  fadj_hlist_matrix (l, matrix (2, 2, m1234, 1, 0));
  fadj_hlist_matrix (l, matrix (2, 1, v56, 1, 0));
  text (l, " ", FADJ_BRK_NONE);
  text (l, "= ", FADJ_BRK_REL);
  fadj_hlist_matrix (l, matrix (2, 1, v1739, 1, 0));
  return l;
}

START_TEST (test_layout_product)
{
  assert_layout (product (), 80,
                 "    Y = ⎡1  2⎤ · ⎡5⎤ = ⎡17⎤\n"
                 "        ⎣3  4⎦   ⎣6⎦   ⎣39⎦\n", 6);
  assert_layout (product (), 20,
                 "    Y = ⎡1  2⎤ · ⎡5⎤\n"
                 "        ⎣3  4⎦   ⎣6⎦\n"
                 "      = ⎡17⎤\n"
                 "        ⎣39⎦\n", 6);
}
END_TEST

/* X = [1; -1] times the 1 x 1 matrix -0.0287381, written as its entry:
   the · keeps it from reading as a subtraction; so does a number before
   a matrix.  */
START_TEST (test_layout_scalar_product)
{
  static const char *const v[] = { "1", "-1" };
  fadj_hlist *l = fadj_hlist_new ();

  text (l, "X ", FADJ_BRK_NONE);
  fadj_hlist_mark (l);
  text (l, "≈ ", FADJ_BRK_REL);
  fadj_hlist_matrix (l, matrix (2, 1, v, 1, 0));
  fadj_hlist_text (l, "-0.0287381", strlen ("-0.0287381"), FADJ_BRK_NONE,
                   1);
  assert_layout (l, 80,
                 "    X ≈ ⎡ 1⎤ · -0.0287381\n"
                 "        ⎣-1⎦\n", 6);
  /* A number times a matrix (a learning rate): the same.  */
  l = fadj_hlist_new ();
  text (l, "W ", FADJ_BRK_NONE);
  fadj_hlist_mark (l);
  text (l, "- 0.5", FADJ_BRK_BIN);
  fadj_hlist_matrix (l, matrix (2, 1, v, 1, 0));
  assert_layout (l, 80,
                 "    W - 0.5 · ⎡ 1⎤\n"
                 "              ⎣-1⎦\n", 6);
}
END_TEST

/* J = 1/2 ‖[0.8; 0.7] - [0; 1]‖²: the norm's bars as tall as the
   vectors, the square on the top row; at 24 columns it breaks before
   the minus, inside the bars, and each line's bars are as tall as what
   they enclose there.  */
static fadj_hlist *
norm (void)
{
  static const char *const a[] = { "0.8", "0.7" }, *const y[] = { "0", "1" };
  fadj_hlist *l = fadj_hlist_new ();

  text (l, "J ", FADJ_BRK_NONE);
  fadj_hlist_mark (l);
  text (l, "= 1/2", FADJ_BRK_REL);
  fadj_hlist_delim (l, "‖", 1);
  fadj_hlist_matrix (l, matrix (2, 1, a, 1, 0));
  text (l, " - ", FADJ_BRK_INNER);
  fadj_hlist_matrix (l, matrix (2, 1, y, 1, 0));
  fadj_hlist_delim (l, "‖", 0);
  fadj_hlist_script (l, "²", 1);
  return l;
}

START_TEST (test_layout_norm)
{
  assert_layout (norm (), 80,
                 "    J = 1/2‖⎡0.8⎤ - ⎡0⎤‖²\n"
                 "           ‖⎣0.7⎦   ⎣1⎦‖\n", 6);
  assert_layout (norm (), 20,
                 "    J = 1/2‖⎡0.8⎤\n"
                 "           ‖⎣0.7⎦\n"
                 "        - ⎡0⎤‖²\n"
                 "          ⎣1⎦‖\n", 6);
}
END_TEST

/* A row of 6 columns of 5 characters (40 wide in brackets) in 30
   columns: blocks of as many columns as fit, each labelled, under the
   relation; the rest of the line follows the last block.  */
START_TEST (test_layout_blocks)
{
  static const char *const r[] = { "0.125", "0.250", "0.375", "0.500",
                                   "0.625", "0.750" };
  fadj_hlist *l = fadj_hlist_new ();

  text (l, "W ", FADJ_BRK_NONE);
  fadj_hlist_mark (l);
  text (l, "= ", FADJ_BRK_REL);
  fadj_hlist_matrix (l, matrix (1, 6, r, 1, 0));
  text (l, ".", FADJ_BRK_NONE);
  assert_layout (l, 30,
                 "    W = columns 1–3:\n"
                 "        [0.125  0.250  0.375]\n"
                 "        columns 4–6:\n"
                 "        [0.500  0.625  0.750].\n", 6);
}
END_TEST

/* Two equations on one line (the members of a family) part at their
   break, the second back at the start.  */
START_TEST (test_layout_equations)
{
  fadj_hlist *l = fadj_hlist_new ();

  text (l, "X ", FADJ_BRK_NONE);
  fadj_hlist_mark (l);
  text (l, "= 0.731059,", FADJ_BRK_REL);
  text (l, "   Y = 1.46212,", FADJ_BRK_EQ);
  assert_layout (l, 24,
                 "    X = 0.731059,\n"
                 "    Y = 1.46212,\n", 6);
}
END_TEST

/* Prose: words to the width, the first line's indentation kept; words
   joined by non-breaking spaces move together; a number longer than the
   line is let out alone, never cut; any other word longer than the line
   is cut at the width (a code point is never split).  */
static const struct
{
  const char *in;
  size_t width;
  const char *out;
} wrap_rows[] = {
  { "the F-adjoint runs backwards from a seed", 20,
    "the F-adjoint runs\nbackwards from a\nseed\n" },
  { "  Layer 1: relu, the map max(0, t)", 16,
    "  Layer 1: relu,\n  the map max(0,\n  t)\n" },
  { "so a\x02=\x02" "b\x02+\x02" "c holds", 11, "so\na = b + c\nholds\n" },
  { "see 0.000438567734474347 here", 10,
    "see\n0.000438567734474347\nhere\n" },
  { "spaces   collapse", 40, "spaces collapse\n" },
  { "a WWWWWWWWWWWWWWWWWWWWWWW word", 10,
    "a\nWWWWWWWWWW\nWWWWWWWWWW\nWWW word\n" },
  { "  \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 5,
    "  \xc3\xa9\xc3\xa9\xc3\xa9\n  \xc3\xa9\xc3\xa9\n" },
};

START_TEST (test_wrap)
{
  fadj_buf *b = fadj_buf_new ();

  fadj_text_wrap (b, wrap_rows[_i].in, strlen (wrap_rows[_i].in),
                  wrap_rows[_i].width);
  ck_assert_str_eq (fadj_buf_data (b, NULL), wrap_rows[_i].out);
  fadj_buf_free (b);
}
END_TEST

/* The verification's table: columns aligned, a rule under the header;
   in 36 columns its widest column is wrapped.  */
START_TEST (test_table)
{
  static const char *const cells[] = {
    "layer", "compared", "result",
    "2", "dJ/dW2, Y2*, X1*, and the seed", "overlap",
  };
  static const unsigned char rules[] = { 1, 0 };
  fadj_buf *b = fadj_buf_new ();

  ck_assert_int_eq (fadj_text_table (b, cells, 2, 3, rules, 4, 80), FADJ_OK);
  ck_assert_str_eq (fadj_buf_data (b, NULL),
                    "    layer | compared                       | result\n"
                    "    ------+--------------------------------+--------\n"
                    "    2     | dJ/dW2, Y2*, X1*, and the seed | overlap\n");
  fadj_buf_reset (b);
  ck_assert_int_eq (fadj_text_table (b, cells, 2, 3, rules, 4, 36), FADJ_OK);
  ck_assert_str_eq (fadj_buf_data (b, NULL),
                    "    layer | compared       | result\n"
                    "    ------+----------------+--------\n"
                    "    2     | dJ/dW2, Y2*,   | overlap\n"
                    "          | X1*, and the   |\n"
                    "          | seed           |\n");
  fadj_buf_free (b);
}
END_TEST

/* Code points, not bytes.  */
START_TEST (test_width)
{
  ck_assert_uint_eq (fadj_text_width ("X¹ ≈ ⎡0⎤", strlen ("X¹ ≈ ⎡0⎤")), 8);
}
END_TEST

int
main (void)
{
  const test_entry tests[] = {
    TEST_CASE ("matrix"),
    TEST_ONCE (test_matrix_2x2),
    TEST_ONCE (test_matrix_shapes),
    TEST_ONCE (test_delims),
    TEST_ONCE (test_width),
    TEST_CASE ("display"),
    TEST_ONCE (test_layout_product),
    TEST_ONCE (test_layout_scalar_product),
    TEST_ONCE (test_layout_norm),
    TEST_ONCE (test_layout_blocks),
    TEST_ONCE (test_layout_equations),
    TEST_CASE ("prose"),
    TEST_EACH (test_wrap, wrap_rows),
    TEST_ONCE (test_table),
  };

  return test_main ("text", tests, sizeof tests / sizeof tests[0]);
}
