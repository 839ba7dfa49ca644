/* check_latex.c -- the LaTeX writer: the number rules, TeX escaping,
   matrices against hand-written golden fragments (tests/golden/), and
   whole documents of hand-built networks: their values, their options,
   and (when pdflatex is available) that they compile without overfull
   lines.  Every expected string is written from the rules and the
   mathematics, not copied from the program's output.  */

/* mkdtemp and strdup, for the compile test.  */
#define _POSIX_C_SOURCE 200809L

#include "test-common.h"
#include "fadj-impl.h"
#include "latex-writer.h"
#include "tex-scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Numbers.                                                            */

static const struct
{
  const char *q;          /* exact value, as mpq_set_str reads it */
  int digits;
  const char *tex;
  int approx;
} exact_rows[] = {
  { "151/400", 6, "0.3775", 0 },            /* terminating: stays decimal */
  { "3/20", 6, "0.15", 0 },
  { "-1/2", 6, "-0.5", 0 },
  { "1/8", 2, "0.125", 0 },                 /* exact beats DIGITS */
  { "42", 6, "42", 0 },
  { "-7", 6, "-7", 0 },
  { "0", 6, "0", 0 },
  { "123456789/1000", 6, "123456.789", 0 }, /* 9 significant digits */
  { "999999999999", 6, "999999999999", 0 }, /* 12 digits, exponent 11 */
  { "1/10000", 6, "0.0001", 0 },            /* exponent -4: positional */
  { "1/100000", 6, "1\\times10^{-5}", 0 },  /* exponent -5: scientific */
  { "3/200000", 6, "1.5\\times10^{-5}", 0 },
  { "1/10000000", 6, "1\\times10^{-7}", 0 },
  { "-2500000000000", 6, "-2.5\\times10^{12}", 0 },
  { "1/3", 6, "\\frac{1}{3}", 0 },          /* does not terminate */
  { "-1/3", 6, "-\\frac{1}{3}", 0 },
  { "-22/7", 6, "-\\frac{22}{7}", 0 },
  { "1/999999", 6, "\\frac{1}{999999}", 0 },
  { "999999/999998", 6, "\\frac{999999}{999998}", 0 },
  /* 1/7000001 = 1.42857122...e-7: denominator of 7 digits.  */
  { "1/7000001", 6, "1.42857\\times10^{-7}", 1 },
  /* 1/1000001 = 9.99999000001e-7.  */
  { "1/1000001", 6, "9.99999\\times10^{-7}", 1 },
  /* 1234567/3 = 411522.333...: 7-digit numerator.  */
  { "1234567/3", 6, "411522", 1 },
  /* 12345679/3 = 4115226.33...: exponent 6 >= 6 digits.  */
  { "12345679/3", 6, "4.11523\\times10^{6}", 1 },
  /* 13 significant digits: neither rule 1 nor rule 2.  */
  { "1234567890123", 6, "1.23457\\times10^{12}", 1 },
  /* 0.33333333333333333334 terminates, but with 20 significant digits
     and a 20-digit numerator: rounded, 0.333333.  */
  { "33333333333333333334/100000000000000000000", 6, "0.333333", 1 },
};

START_TEST (test_number_exact)
{
  fadj_ctx qc = { .domain = FADJ_EXACT };
  fadj_buf *b = fadj_buf_new ();
  fadj_num_t x;
  int approx = -1;

  fadj_num_init (x, &qc);
  ck_assert_int_eq (mpq_set_str (FADJ_NUM_Q (x), exact_rows[_i].q, 10), 0);
  mpq_canonicalize (FADJ_NUM_Q (x));
  ck_assert_int_eq (fadj_latex_number (b, &approx, x, exact_rows[_i].digits),
                    FADJ_OK);
  ck_assert_str_eq (fadj_buf_data (b, NULL), exact_rows[_i].tex);
  ck_assert_int_eq (approx, exact_rows[_i].approx);
  fadj_num_clear (x);
  fadj_buf_free (b);
}
END_TEST

static const struct
{
  const char *lo, *hi;    /* endpoints, rounded outwards at 128 bits */
  int digits;
  fadj_status st;
  const char *tex;
} interval_rows[] = {
  /* Around sigma(1) = 0.7310585786300049.  */
  { "0.73105857863", "0.73105857864", 6, FADJ_OK, "0.731059" },
  { "0.73105857863", "0.73105857864", 3, FADJ_OK, "0.731" },
  /* 0.5000001 at 6 digits is 0.500000: every digit printed, the
     trailing zeros too (each is certified).  */
  { "0.50000009999", "0.50000010001", 6, FADJ_OK, "0.500000" },
  /* J of the worked example, 0.0176990, not 0.017699.  */
  { "0.01769901", "0.01769902", 6, FADJ_OK, "0.0176990" },
  { "-0.18814418", "-0.18814417", 6, FADJ_OK, "-0.188144" },
  { "123456.69", "123456.71", 3, FADJ_OK, "1.23\\times10^{5}" },
  { "1.4999e-5", "1.5001e-5", 3, FADJ_OK, "1.50\\times10^{-5}" },
  /* Across the boundary 0.12345 at 4 digits.  */
  { "0.12344", "0.12346", 4, FADJ_UNDECIDED, "" },
  { "-1e-10", "1e-10", 6, FADJ_UNDECIDED, "" },
};

START_TEST (test_number_interval)
{
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 128 };
  fadj_buf *b = fadj_buf_new ();
  fadj_num_t x;
  int approx = -1;
  fadj_status st;

  fadj_num_init (x, &ctx);
  mpfr_set_str (FADJ_NUM_LEFT (x), interval_rows[_i].lo, 10, MPFR_RNDD);
  mpfr_set_str (FADJ_NUM_RIGHT (x), interval_rows[_i].hi, 10, MPFR_RNDU);
  st = fadj_latex_number (b, &approx, x, interval_rows[_i].digits);
  ck_assert_int_eq (st, interval_rows[_i].st);
  ck_assert_str_eq (fadj_buf_data (b, NULL), interval_rows[_i].tex);
  if (st == FADJ_OK)
    ck_assert_int_eq (approx, 1);
  fadj_num_clear (x);
  fadj_buf_free (b);
}
END_TEST

/* sigma(1) computed by MPFI, and a point interval, which is exact.  */
START_TEST (test_number_interval_values)
{
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 53 };
  fadj_buf *b = fadj_buf_new ();
  fadj_num_t x;
  int approx = -1;

  fadj_num_init (x, &ctx);
  mpfi_set_si (FADJ_NUM_I (x), -1);
  mpfi_exp (FADJ_NUM_I (x), FADJ_NUM_I (x));
  mpfi_add_ui (FADJ_NUM_I (x), FADJ_NUM_I (x), 1);
  mpfi_ui_div (FADJ_NUM_I (x), 1, FADJ_NUM_I (x));
  ck_assert_int_eq (fadj_latex_number (b, &approx, x, 6), FADJ_OK);
  ck_assert_str_eq (fadj_buf_data (b, NULL), "0.731059");
  ck_assert_int_eq (approx, 1);

  /* [0.25, 0.25]: the value is 0.25, printed exactly.  */
  fadj_buf_reset (b);
  mpfi_set_d (FADJ_NUM_I (x), 0.25);
  ck_assert_int_eq (fadj_latex_number (b, &approx, x, 6), FADJ_OK);
  ck_assert_str_eq (fadj_buf_data (b, NULL), "0.25");
  ck_assert_int_eq (approx, 0);
  fadj_buf_reset (b);
  mpfi_set_si (FADJ_NUM_I (x), -3);
  ck_assert_int_eq (fadj_latex_number (b, &approx, x, 6), FADJ_OK);
  ck_assert_str_eq (fadj_buf_data (b, NULL), "-3");
  ck_assert_int_eq (approx, 0);
  fadj_num_clear (x);
  fadj_buf_free (b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The buffer and TeX escaping.                                        */

static const struct
{
  const char *in, *out;
} escape_rows[] = {
  { "plain title, 2 layers.", "plain title, 2 layers." },
  { "\\input{/etc/passwd}", "\\textbackslash{}input\\{/etc/passwd\\}" },
  { "\\write18{rm -rf ~}",
    "\\textbackslash{}write18\\{rm -{}rf {\\ttfamily\\char126}\\}" },
  { "}", "\\}" },
  { "{{", "\\{\\{" },
  { "a_b^c", "a{\\ttfamily\\char95}b{\\ttfamily\\char94}c" },
  /* Ligatures broken, so that the text is shown as written.  */
  { "a--b---c ``q'' \"d\" !` ?`",
    "a-{}-{}b-{}-{}-{}c \\textasciigrave{}\\textasciigrave{}q"
    "\\textquotesingle{}\\textquotesingle{} {\\ttfamily\\char34}d"
    "{\\ttfamily\\char34} !\\textasciigrave{} ?\\textasciigrave{}" },
  { "$x$ & #1 % 50", "\\$x\\$ \\& \\#1 \\% 50" },
  { "<a|b>", "\\textless{}a\\textbar{}b\\textgreater{}" },
  { "tab\there\nnewline", "tab here newline" },
  { "bell\a\x1b[0m", "bell[0m" },
  /* UTF-8 that pdflatex typesets is kept; other characters (which would
     stop pdflatex) are written as their code points.  */
  { "caf\xc3\xa9 \xc5\x81\xc3\x9f \xe2\x80\x93",
    "caf\xc3\xa9 \xc5\x81\xc3\x9f \xe2\x80\x93" },
  { "\xe2\x88\x82 \xf0\x9f\x98\x80 \xc3\xb0 \xc4\x85",
    "[U+2202] [U+1F600] [U+00F0] [U+0105]" },
  { "bad\xff\xc3(", "bad(" },            /* malformed UTF-8 dropped */
  { "", "" },
};

START_TEST (test_escape)
{
  fadj_buf *b = fadj_buf_new ();

  fadj_buf_puts (b, "[");
  fadj_buf_put_tex_escaped (b, escape_rows[_i].in);
  fadj_buf_puts (b, "]");
  {
    size_t n = strlen (escape_rows[_i].out) + 3;
    char *want = malloc (n);
    snprintf (want, n, "[%s]", escape_rows[_i].out);
    ck_assert_str_eq (fadj_buf_data (b, NULL), want);
    free (want);
  }
  ck_assert_int_eq (fadj_buf_status (b), FADJ_OK);
  fadj_buf_free (b);
}
END_TEST

START_TEST (test_buf)
{
  fadj_buf *b = fadj_buf_new ();
  size_t len = 99, k;

  ck_assert_str_eq (fadj_buf_data (b, &len), "");
  ck_assert_uint_eq (len, 0);
  /* Growth well past the initial size, through printf.  */
  for (k = 0; k < 1000; k++)
    fadj_buf_printf (b, "%04zu,", k);
  fadj_buf_data (b, &len);
  ck_assert_uint_eq (len, 5000);
  ck_assert (strncmp (fadj_buf_data (b, NULL) + 4995, "0999,", 5) == 0);
  fadj_buf_printf (b, "%s", "");
  ck_assert_uint_eq (fadj_buf_len (b), 5000);
  fadj_buf_truncate (b, 3);
  ck_assert_str_eq (fadj_buf_data (b, NULL), "000");
  fadj_buf_reset (b);
  ck_assert_str_eq (fadj_buf_data (b, NULL), "");
  ck_assert_int_eq (fadj_buf_status (b), FADJ_OK);
  fadj_buf_free (b);
  fadj_buf_free (NULL);
}
END_TEST

/* A spill that collects into a second buffer, or fails on demand.  */
typedef struct
{
  fadj_buf *got;
  int spills, rewinds, fail;
} spill_sink;

static int
sink_spill (void *ctx, const char *data, size_t len)
{
  spill_sink *k = ctx;
  if (k->fail)
    return -1;
  k->spills++;
  fadj_buf_put_mem (k->got, data, len);
  return 0;
}

static int
sink_rewind (void *ctx)
{
  spill_sink *k = ctx;
  k->rewinds++;
  fadj_buf_reset (k->got);
  return k->fail ? -1 : 0;
}

/* With a spill, what was spilled followed by what the buffer holds is
   the document written, byte for byte, through every kind of append; the
   buffer never holds much more than the limit; a reset takes back what
   was spilled; a failed spill or rewind is FADJ_ERR_IO.  */
START_TEST (test_buf_spill)
{
  fadj_buf *b = fadj_buf_new (), *all = fadj_buf_new ();
  spill_sink k = { .got = fadj_buf_new () };
  size_t k2, len, most = 0;

  fadj_buf_set_spill (b, 100, sink_spill, sink_rewind, &k);
  for (k2 = 0; k2 < 1000; k2++)
    {
      /* The same text into ALL, without a spill.  */
      fadj_buf *t[2];
      int w;
      t[0] = b;
      t[1] = all;
      for (w = 0; w < 2; w++)
        {
          fadj_buf_printf (t[w], "%04zu,", k2);
          fadj_buf_puts (t[w], k2 % 7 == 0 ? "seven;" : "");
          fadj_buf_put_mem (t[w], "xy", k2 % 3);
          if (k2 % 100 == 0)
            fadj_buf_put_tex_escaped (t[w], "a_b{c}");
        }
      if (fadj_buf_len (b) > most)
        most = fadj_buf_len (b);
    }
  ck_assert_int_eq (fadj_buf_status (b), FADJ_OK);
  ck_assert_int_gt (k.spills, 50);
  ck_assert_uint_le (most, 100);
  fadj_buf_puts (k.got, fadj_buf_data (b, &len));
  ck_assert_uint_lt (len, 100);
  ck_assert_str_eq (fadj_buf_data (k.got, NULL), fadj_buf_data (all, NULL));

  /* A restart: everything spilled is taken back.  */
  fadj_buf_reset (b);
  ck_assert_int_eq (k.rewinds, 1);
  ck_assert_str_eq (fadj_buf_data (k.got, NULL), "");
  ck_assert_str_eq (fadj_buf_data (b, NULL), "");
  fadj_buf_puts (b, "short");
  fadj_buf_reset (b);
  ck_assert_int_eq (k.rewinds, 1);      /* nothing spilled since */

  /* A failed spill: sticky FADJ_ERR_IO, no crash on later appends.  */
  k.fail = 1;
  for (k2 = 0; k2 < 100; k2++)
    fadj_buf_puts (b, "0123456789");
  ck_assert_int_eq (fadj_buf_status (b), FADJ_ERR_IO);
  ck_assert_uint_lt (fadj_buf_len (b), 100);
  /* A failed rewind, too (after a successful spill).  */
  fadj_buf_reset (b);
  k.fail = 0;
  for (k2 = 0; k2 < 20; k2++)
    fadj_buf_puts (b, "0123456789");
  k.fail = 1;
  fadj_buf_reset (b);
  ck_assert_int_eq (fadj_buf_status (b), FADJ_ERR_IO);

  /* Spilling turned off after a spill: the reset cannot take it back.  */
  k.fail = 0;
  fadj_buf_reset (b);
  for (k2 = 0; k2 < 20; k2++)
    fadj_buf_puts (b, "0123456789");
  fadj_buf_set_spill (b, 0, NULL, NULL, NULL);
  fadj_buf_reset (b);
  ck_assert_int_eq (fadj_buf_status (b), FADJ_ERR_IO);

  /* Spilling off: the buffer grows as before.  */
  fadj_buf_reset (b);
  ck_assert_int_eq (fadj_buf_status (b), FADJ_OK);
  for (k2 = 0; k2 < 100; k2++)
    fadj_buf_puts (b, "0123456789");
  ck_assert_uint_eq (fadj_buf_len (b), 1000);
  fadj_buf_free (b);
  fadj_buf_free (all);
  fadj_buf_free (k.got);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Golden fragments.                                                   */

static char *
read_golden (const char *name)
{
  const char *dir = getenv ("top_srcdir");
  char path[1024];
  FILE *f;
  long n;
  char *s;

  snprintf (path, sizeof path, "%s/tests/golden/%s",
            dir != NULL ? dir : ".", name);
  f = fopen (path, "rb");
  ck_assert_msg (f != NULL, "cannot open %s", path);
  fseek (f, 0, SEEK_END);
  n = ftell (f);
  fseek (f, 0, SEEK_SET);
  s = malloc ((size_t) n + 1);
  ck_assert (s != NULL);
  ck_assert_int_eq ((long) fread (s, 1, (size_t) n, f), n);
  s[n] = '\0';
  fclose (f);
  /* The files end with one newline, which the fragments do not.  */
  if (n > 0 && s[n - 1] == '\n')
    s[n - 1] = '\0';
  return s;
}

static void
assert_golden (const char *got, const char *name)
{
  char *want = read_golden (name);
  ck_assert_msg (strcmp (got, want) == 0, "%s:\n got  %s\n want %s",
                 name, got, want);
  free (want);
}

static void
set_mat_q (fadj_mat *m, size_t rows, size_t cols, const char *const *v)
{
  fadj_ctx qc = { .domain = FADJ_EXACT };
  size_t k;

  ck_assert_int_eq (fadj_mat_init (m, rows, cols, &qc), FADJ_OK);
  for (k = 0; k < rows * cols; k++)
    {
      ck_assert_int_eq (mpq_set_str (FADJ_NUM_Q (&m->e[k]), v[k], 10), 0);
      mpq_canonicalize (FADJ_NUM_Q (&m->e[k]));
    }
}

/* Whole matrices against golden files: a vector, weights with their
   bias column, entries between PRE and POST, a 2x2 with a fraction and
   a small power of ten; all exact.  */
static const char *const golden_vec[] = {
  "1/2", "-1/3", "3", "0", "151/400"
};
static const char *const golden_w[] = { "1", "-1", "1", "-1", "1", "-1" };
static const char *const golden_y[] = { "1", "-1" };
static const char *const golden_m2[] = { "1", "1/4", "-2/3", "1/10000000" };

static const struct
{
  size_t rows, cols;
  const char *const *v;         /* the entries, row by row */
  const char *pre, *post;
  size_t bar;
  const char *golden;
} golden_rows[] = {
  { 5, 1, golden_vec, NULL, NULL, 0, "vector-exact.tex" },
  { 2, 3, golden_w, NULL, NULL, 2, "weights-bias.tex" },
  { 2, 1, golden_y, "\\sigma(", ")", 0, "sigma-args.tex" },
  { 2, 2, golden_m2, NULL, NULL, 0, "matrix-2x2.tex" },
};

START_TEST (test_golden_matrices)
{
  fadj_buf *b = fadj_buf_new ();
  fadj_mat m;
  int approx = 0;

  set_mat_q (&m, golden_rows[_i].rows, golden_rows[_i].cols,
             golden_rows[_i].v);
  ck_assert_int_eq (fadj_latex_matrix (b, &approx, &m, golden_rows[_i].pre,
                                       golden_rows[_i].post,
                                       golden_rows[_i].bar, 6), FADJ_OK);
  assert_golden (fadj_buf_data (b, NULL), golden_rows[_i].golden);
  ck_assert_int_eq (approx, 0);
  fadj_mat_clear (&m);
  fadj_buf_free (b);
}
END_TEST

/* Elision: a 5x5 matrix with MAX_SHOW 3 keeps row/column 1 and 5 around
   \vdots, \cdots, \ddots; a rule before the last (bias) column stays
   after the \cdots column.  Written by hand from the rule "first
   MAX_SHOW - 2, the dots, the last".  */
START_TEST (test_matrix_elided)
{
  static const char *const v[] = {
    "11", "12", "13", "14", "15", "21", "22", "23", "24", "25",
    "31", "32", "33", "34", "35", "41", "42", "43", "44", "45",
    "51", "52", "53", "54", "55" };
  fadj_latex_numfmt f = { .digits = 6, .max_show = 3, .box = FADJ_BOX_NONE };
  fadj_buf *b = fadj_buf_new ();
  fadj_mat m;
  size_t shown, head;

  set_mat_q (&m, 5, 5, v);
  ck_assert_int_eq (fadj_latex_matrix_fmt (b, NULL, &m, NULL, NULL, 0, &f),
                    FADJ_OK);
  ck_assert_str_eq (fadj_buf_data (b, NULL),
                    "\\begin{bmatrix}11 & \\cdots & 15\\\\ "
                    "\\vdots & \\ddots & \\vdots\\\\ "
                    "51 & \\cdots & 55\\end{bmatrix}");
  fadj_buf_reset (b);
  ck_assert_int_eq (fadj_latex_matrix_fmt (b, NULL, &m, NULL, NULL, 4, &f),
                    FADJ_OK);
  ck_assert_str_eq (fadj_buf_data (b, NULL),
                    "\\left[\\begin{array}{@{}cc|c@{}}11 & \\cdots & 15\\\\ "
                    "\\vdots & \\ddots & \\vdots\\\\ "
                    "51 & \\cdots & 55\\end{array}\\right]");
  /* At or under the limit nothing is elided.  */
  f.max_show = 5;
  fadj_buf_reset (b);
  ck_assert_int_eq (fadj_latex_matrix_fmt (b, NULL, &m, NULL, NULL, 0, &f),
                    FADJ_OK);
  ck_assert_ptr_null (strstr (fadj_buf_data (b, NULL), "dots"));
  fadj_latex_elide (&shown, &head, 512, 8);
  ck_assert_uint_eq (shown, 7);
  ck_assert_uint_eq (head, 6);
  fadj_mat_clear (&m);
  fadj_buf_free (b);
}
END_TEST

/* Wide matrices (issue 16): a run of more than FADJ_SPEC_RUN columns is
   written *{K}{c}, so that the specification's length does not grow
   with the width, and read back by fadj_tex_column_spec; a matrix wider
   than FADJ_MATRIX_COLS_MAX is an array, not a bmatrix (amsmath's
   MaxMatrixCols).  */
START_TEST (test_matrix_wide)
{
  static const struct
  {
    size_t cols, bar;
    const char *open;
  } rows[] = {
    { 300, 299, "\\left[\\begin{array}{@{}*{299}{c}|c@{}}0 & 0" },
    { 300, 0, "\\left[\\begin{array}{@{}*{300}{c}@{}}0 & 0" },
    { 9, 8, "\\left[\\begin{array}{@{}cccccccc|c@{}}0 & 0" },
    { 10, 9, "\\left[\\begin{array}{@{}*{9}{c}|c@{}}0 & 0" },
    { 64, 0, "\\begin{bmatrix}0 & 0" },
    { 65, 0, "\\left[\\begin{array}{@{}*{65}{c}@{}}0 & 0" },
  };
  fadj_latex_numfmt f = { .digits = 6, .max_show = 0, .box = FADJ_BOX_NONE };
  const char *v[300];
  size_t k, j, ncols, bar;
  fadj_buf *b = fadj_buf_new ();
  fadj_mat m;

  for (j = 0; j < 300; j++)
    v[j] = "0";
  for (k = 0; k < sizeof rows / sizeof rows[0]; k++)
    {
      const char *d;
      set_mat_q (&m, 1, rows[k].cols, v);
      fadj_buf_reset (b);
      ck_assert_int_eq (fadj_latex_matrix_fmt (b, NULL, &m, NULL, NULL,
                                               rows[k].bar, &f), FADJ_OK);
      d = fadj_buf_data (b, NULL);
      ck_assert_msg (strncmp (d, rows[k].open, strlen (rows[k].open)) == 0,
                     "%zu columns: %.60s", rows[k].cols, d);
      if (d[1] == 'l')
        {
          bar = 0;
          fadj_tex_column_spec (&ncols, &bar,
                                d + strlen ("\\left[\\begin{array}"),
                                d + strlen (d));
          ck_assert_uint_eq (ncols, rows[k].cols);
          ck_assert_uint_eq (bar, rows[k].bar);
        }
      fadj_mat_clear (&m);
    }
  fadj_buf_free (b);
}
END_TEST

/* Worksheet fields: the same text whatever the answer on the sheet, the
   answer on the key; --round's decimals (1/3 = 0.3333..., -2 exactly);
   a constant row (the appended 1) never a field.  */
START_TEST (test_matrix_boxes)
{
  static const char *const v[] = { "1/3", "-2" };
  fadj_latex_numfmt f = { .digits = 6, .box = FADJ_BOX_BLANK,
                          .field_width = 14.5 };
  fadj_buf *b = fadj_buf_new ();
  fadj_mat m;
  int approx = 0;

  set_mat_q (&m, 2, 1, v);
  ck_assert_int_eq (fadj_latex_matrix_fmt (b, NULL, &m, NULL, NULL, 0, &f),
                    FADJ_OK);
  ck_assert_str_eq (fadj_buf_data (b, NULL),
                    "\\begin{bmatrix}\\fadjfield[14.5]{}\\\\ "
                    "\\fadjfield[14.5]{}\\end{bmatrix}");
  f.box = FADJ_BOX_FILLED;
  fadj_buf_reset (b);
  ck_assert_int_eq (fadj_latex_matrix_fmt (b, NULL, &m, NULL, NULL, 0, &f),
                    FADJ_OK);
  ck_assert_str_eq (fadj_buf_data (b, NULL),
                    "\\begin{bmatrix}\\fadjfield[14.5]{\\dfrac{1\\mathstrut}"
                    "{3\\mathstrut}}\\\\ "
                    "\\fadjfield[14.5]{-2}\\end{bmatrix}");
  f.round1 = 5;
  fadj_buf_reset (b);
  ck_assert_int_eq (fadj_latex_matrix_fmt (b, &approx, &m, NULL, NULL, 0,
                                           &f), FADJ_OK);
  ck_assert_str_eq (fadj_buf_data (b, NULL),
                    "\\begin{bmatrix}\\fadjfield[14.5]{0.3333}\\\\ "
                    "\\fadjfield[14.5]{-2.0000}\\end{bmatrix}");
  ck_assert_int_eq (approx, 1);
  f.plain_row1 = 2;
  fadj_buf_reset (b);
  ck_assert_int_eq (fadj_latex_matrix_fmt (b, NULL, &m, NULL, NULL, 0, &f),
                    FADJ_OK);
  ck_assert_str_eq (fadj_buf_data (b, NULL),
                    "\\begin{bmatrix}\\fadjfield[14.5]{0.3333}\\\\ "
                    "-2\\end{bmatrix}");
  /* The width estimate: the field's, or its value's if wider.  */
  ck_assert (fadj_latex_width ("\\fadjfield[14.5]{}", 18) > 14.5);
  ck_assert (fadj_latex_width ("\\fadjfield[2.0]{-0.123456}", 26) > 9.0);
  fadj_mat_clear (&m);
  fadj_buf_free (b);
}
END_TEST

/* The form of a matrix's exact entries: as the file wrote the matrix
   (WRITTEN), one form for a computed one (the file's if it wrote
   fractions), --numbers forcing one form, the carried values' decimal
   places; a row of up to four entries, by hand.  */
static const struct
{
  const char *v[4];
  size_t n;
  int written;
  fadj_numbers numbers;
  int fractions, places, ask;   /* ASK: the caller takes *APPROX */
  const char *tex;
  int approx;
} form_rows[] = {
#define FR(a, b) "\\dfrac{" #a "\\mathstrut}{" #b "\\mathstrut}"
  /* Written with a fraction: all its fractions, 0.25 as 1/4.  */
  { { "1/2", "-2/5", "1/4", "3" }, 4, FADJ_WRITTEN_FRACTION,
    FADJ_NUMBERS_AUTO, 0, 0, 1,
    FR (1, 2) " & -" FR (2, 5) " & " FR (1, 4) " & 3", 0 },
  /* Written in decimals: decimals.  */
  { { "1/2", "-2/5", "1/4", "3" }, 4, FADJ_WRITTEN_DECIMAL,
    FADJ_NUMBERS_AUTO, 1, 0, 1, "0.5 & -0.4 & 0.25 & 3", 0 },
  /* Computed, in a file of decimals, with a 1/3: all fractions.  */
  { { "1/2", "-1/3" }, 2, FADJ_WRITTEN_NONE, FADJ_NUMBERS_AUTO, 0, 0, 1,
    FR (1, 2) " & -" FR (1, 3), 0 },
  /* Computed, terminating: decimals, or the file's fractions.  */
  { { "1/10", "-3/4" }, 2, FADJ_WRITTEN_NONE, FADJ_NUMBERS_AUTO, 0, 0, 1,
    "0.1 & -0.75", 0 },
  { { "1/10", "-3/4" }, 2, FADJ_WRITTEN_NONE, FADJ_NUMBERS_AUTO, 1, 0, 1,
    FR (1, 10) " & -" FR (3, 4), 0 },
  /* No common form (a 7-digit denominator): each its own.  */
  { { "1/3", "1/1000000" }, 2, FADJ_WRITTEN_NONE, FADJ_NUMBERS_AUTO, 0, 0,
    1, FR (1, 3) " & 1\\times10^{-6}", 0 },
  /* Forced.  */
  { { "1/2", "1/4" }, 2, FADJ_WRITTEN_DECIMAL, FADJ_NUMBERS_FRACTIONS, 0, 0,
    1, FR (1, 2) " & " FR (1, 4), 0 },
  { { "1/2", "-1/3" }, 2, FADJ_WRITTEN_FRACTION, FADJ_NUMBERS_DECIMALS, 0, 0,
    1, "0.5 & -0.333333", 1 },
  /* ... but a value the caller writes with "=" stays exact.  */
  { { "1/2", "-1/3" }, 2, FADJ_WRITTEN_FRACTION, FADJ_NUMBERS_DECIMALS, 0, 0,
    0, "0.5 & -" FR (1, 3), 0 },
  /* Carried values: exactly PLACES decimals, whatever the form; a value
     with more keeps its own.  */
  { { "1/5", "3/20", "-3", "0" }, 4, FADJ_WRITTEN_NONE, FADJ_NUMBERS_AUTO, 1,
    2, 1, "0.20 & 0.15 & -3.00 & 0.00", 0 },
  { { "1/200", "1/3" }, 2, FADJ_WRITTEN_NONE, FADJ_NUMBERS_DECIMALS, 0, 2, 1,
    "0.005 & 0.333333", 1 },
#undef FR
};

START_TEST (test_number_forms)
{
  fadj_latex_numfmt f = { .digits = 6 };
  fadj_buf *b = fadj_buf_new ();
  char want[256];
  fadj_mat m;
  int approx = 0;

  set_mat_q (&m, 1, form_rows[_i].n, form_rows[_i].v);
  m.written = form_rows[_i].written;
  f.numbers = form_rows[_i].numbers;
  f.fractions = form_rows[_i].fractions;
  f.places = form_rows[_i].places;
  ck_assert_int_eq (fadj_latex_matrix_fmt (b, form_rows[_i].ask ? &approx
                                           : NULL, &m, NULL, NULL, 0, &f),
                    FADJ_OK);
  snprintf (want, sizeof want, "\\begin{bmatrix}%s\\end{bmatrix}",
            form_rows[_i].tex);
  ck_assert_str_eq (fadj_buf_data (b, NULL), want);
  ck_assert_int_eq (approx, form_rows[_i].approx);
  fadj_mat_clear (&m);
  fadj_buf_free (b);
}
END_TEST

/* Markdown and text from LaTeX: the translation of the writer's
   constructs, by hand; text in WIDTH columns (0 for Markdown).  Displays
   draw matrices in two dimensions, the relations on the upper middle
   row; a 1 x 1 matrix is its entry, and a product of matrices has its
   dot; inline formulas stay on one line.  */
static const struct
{
  fadj_format fmt;
  size_t width;
  const char *tex, *out;
} format_rows[] = {
  { FADJ_FORMAT_TEXT, 80, "\\begin{align*}\nX^{1} &= \\sigma(Y^{1}) \\approx "
    "\\begin{bmatrix}0.731059\\\\ 0.268941\\end{bmatrix}\n\\end{align*}\n",
    "    X¹ = σ(Y¹) ≈ ⎡0.731059⎤\n"
    "                 ⎣0.268941⎦\n" },
  { FADJ_FORMAT_TEXT, 80, "\\begin{align*}\nA &= \\begin{bmatrix}1 & 2\\\\ "
    "3 & 4\\end{bmatrix}\n\\end{align*}\n",
    "    A = ⎡1  2⎤\n"
    "        ⎣3  4⎦\n" },
  { FADJ_FORMAT_TEXT, 80, "\\begin{align*}\nX^{1}_{*} &\\approx "
    "\\begin{bmatrix}1\\\\ -1\\end{bmatrix}\\begin{bmatrix}-0.0287381"
    "\\end{bmatrix}\n\\end{align*}\n",
    "    X¹* ≈ ⎡ 1⎤ · -0.0287381\n"
    "          ⎣-1⎦\n" },
  { FADJ_FORMAT_TEXT, 80, "\\begin{align*}\nW &= \\left["
    "\\begin{array}{@{}cc|c@{}}1 & -1 & 1\\\\ -1 & 1 & -1\\end{array}"
    "\\right]\n\\end{align*}\n",
    "    W = ⎡ 1  -1 │  1⎤\n"
    "        ⎣-1   1 │ -1⎦\n" },
  { FADJ_FORMAT_TEXT, 80, "$\\frac{\\partial J}{\\partial W^{2}} = Y^{2}_{*}"
    "\\,(X^{1})^{\\top}$", "∂J/∂W² = Y²* (X¹)ᵀ\n" },
  { FADJ_FORMAT_TEXT, 80, "$\\left[\\begin{array}{@{}cc|c@{}}1 & -1 & 1\\\\ "
    "-1 & 1 & -1\\end{array}\\right]$", "[1 -1 | 1; -1 1 | -1]\n" },
  { FADJ_FORMAT_TEXT, 80, "$\\begin{bmatrix}\\boxed{\\phantom{-0.5}}\\\\ "
    "\\boxed{2}\\end{bmatrix}$", "([____], [2])\n" },
  /* The commands of the softmax documents, and every fraction.  */
  { FADJ_FORMAT_TEXT, 80, "$J = \\operatorname{diag}\\bigl(s\\bigr) - "
    "\\textstyle\\sum_{k} y_{k} + \\tfrac{1}{2} + \\dfrac{a}{b} + "
    "\\mathrm{e}$", "J = diag(s) - Σₖ yₖ + 1/2 + a/b + e\n" },
  { FADJ_FORMAT_TEXT, 80, "\\subsection{The seed}\n\nIs "
    "\\texttt{half\\_squared}~ok.",
    "The seed\n--------\n\nIs half_squared ok.\n" },
  /* Prose wrapped at 40 columns; an inline formula breaks only after a
     relation.  */
  { FADJ_FORMAT_TEXT, 40, "The gradient of every layer is "
    "$\\partial J/\\partial W^{\\ell} = "
    "Y^{\\ell}_{*}\\,(X^{\\ell-1})^{\\top}$ by the theorem.",
    "The gradient of every layer is ∂J/∂Wˡ =\n"
    "Yˡ* (Xˡ⁻¹)ᵀ by the theorem.\n" },
  { FADJ_FORMAT_MARKDOWN, 0, "\\subsection{The seed}\n\nIs "
    "\\texttt{half\\_squared} \\emph{x}, $a_{1}$.",
    "## The seed\n\nIs `half_squared` *x*, $a_{1}$.\n" },
  { FADJ_FORMAT_MARKDOWN, 0, "\\begin{align*}\nW &= \\left["
    "\\begin{array}{@{}c|c@{}}1 & 2\\end{array}\\right]\n\\end{align*}\n",
    "$$\n\\begin{aligned}\nW &= \\left[\\begin{array}{c|c}1 & 2\\end{array}"
    "\\right]\n\\end{aligned}\n$$\n" },
};

START_TEST (test_format)
{
  fadj_buf *b = fadj_buf_new ();

  ck_assert_int_eq (fadj_format_convert (b, format_rows[_i].tex,
                                         strlen (format_rows[_i].tex),
                                         format_rows[_i].fmt,
                                         format_rows[_i].width), FADJ_OK);
  ck_assert_str_eq (fadj_buf_data (b, NULL), format_rows[_i].out);
  fadj_buf_free (b);
}
END_TEST

/* A matrix with one undecidable entry leaves the buffer as it was and
   reports FADJ_UNDECIDED; an approximate entry sets *APPROX.  */
START_TEST (test_matrix_undecided)
{
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 64 };
  fadj_buf *b = fadj_buf_new ();
  fadj_mat m;
  int approx = 0;

  ck_assert_int_eq (fadj_mat_init (&m, 2, 1, &ctx), FADJ_OK);
  mpfi_set_d (FADJ_NUM_I (&m.e[0]), 0.5);
  mpfr_set_str (FADJ_NUM_LEFT (&m.e[1]), "0.12344", 10, MPFR_RNDD);
  mpfr_set_str (FADJ_NUM_RIGHT (&m.e[1]), "0.12346", 10, MPFR_RNDU);
  fadj_buf_puts (b, "before");
  ck_assert_int_eq (fadj_latex_matrix (b, &approx, &m, NULL, NULL, 0, 4),
                    FADJ_UNDECIDED);
  ck_assert_str_eq (fadj_buf_data (b, NULL), "before");
  ck_assert_int_eq (fadj_latex_matrix (b, &approx, &m, NULL, NULL, 0, 3),
                    FADJ_OK);
  ck_assert_str_eq (fadj_buf_data (b, NULL),
                    "before\\begin{bmatrix}0.5\\\\ 0.123\\end{bmatrix}");
  ck_assert_int_eq (approx, 1);
  fadj_mat_clear (&m);
  fadj_buf_free (b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Whole documents of hand-built networks.                             */

/* A network of L layers, all with activation ACT, one sample.  W[l] and
   B[l] (NULL: no bias) are row-major exact values as strings.  */
static fadj_net *
make_net (size_t L, const size_t *sizes, fadj_act_kind act,
          const char *const *const *w, const char *const *const *bias,
          const char *const *x, const char *const *y, fadj_loss_kind loss,
          const char *title)
{
  fadj_net *net = calloc (1, sizeof *net);
  size_t l;

  net->nlayers = L;
  net->sizes = malloc ((L + 1) * sizeof *net->sizes);
  memcpy (net->sizes, sizes, (L + 1) * sizeof *net->sizes);
  net->layers = calloc (L, sizeof *net->layers);
  for (l = 0; l < L; l++)
    {
      fadj_layer *ly = net->layers + l;
      mpq_init (ly->act_param);
      ly->act = act;
      set_mat_q (&ly->w, sizes[l + 1], sizes[l], w[l]);
      if (bias[l] != NULL)
        {
          ly->has_bias = 1;
          set_mat_q (&ly->b, sizes[l + 1], 1, bias[l]);
        }
    }
  net->nsamples = 1;
  set_mat_q (&net->input, sizes[0], 1, x);
  set_mat_q (&net->target, sizes[L], 1, y);
  net->loss = loss;
  if (title != NULL)
    net->title = strdup (title);
  return net;
}

/* The author's worked example: A[2,2,1], sigmoid, half squared loss.  */
static fadj_net *
make_a221 (const char *title)
{
  static const size_t sizes[] = { 2, 2, 1 };
  static const char *const w1[] = { "1", "-1", "-1", "1" };
  static const char *const b1[] = { "1", "-1" };
  static const char *const w2[] = { "1", "-1" };
  static const char *const b2[] = { "1" };
  static const char *const *const w[] = { w1, w2 };
  static const char *const *const b[] = { b1, b2 };
  static const char *const x[] = { "0", "0" };
  static const char *const y[] = { "1" };

  return make_net (2, sizes, FADJ_ACT_SIGMOID, w, b, x, y,
                   FADJ_LOSS_HALF_SQUARED, title);
}

/* The trace at the lowest precision (from 32 bits, doubling) at which
   both the trace and the document are decided, as the program does.  */
typedef struct
{
  fadj_buf *b;
  fadj_latex_opts opts;
} write_arg;

static fadj_status
write_use (const fadj_trace *t, void *arg)
{
  write_arg *a = arg;

  return fadj_latex_write (a->b, t, &a->opts, NULL);
}

static fadj_trace *
trace_and_write (fadj_buf *b, const fadj_net *net, unsigned flags)
{
  write_arg a = { .b = b };

  fadj_latex_opts_init (&a.opts);
  a.opts.flags = flags;
  return test_trace_decided (net, 32, write_use, &a);
}

/* T's document written afresh into B, which must succeed: its text.  */
static const char *
write_doc (fadj_buf *b, const fadj_trace *t, const fadj_latex_opts *opts,
           const fadj_latex_results *res)
{
  fadj_buf_reset (b);
  ck_assert_int_eq (fadj_latex_write (b, t, opts, res), FADJ_OK);
  return fadj_buf_data (b, NULL);
}

static void
assert_contains (const char *doc, const char *what)
{
  ck_assert_msg (strstr (doc, what) != NULL, "document lacks: %s", what);
}

static void
assert_contains_golden (const char *doc, const char *name)
{
  char *want = read_golden (name);
  ck_assert_msg (strstr (doc, want) != NULL, "document lacks %s:\n%s",
                 name, want);
  free (want);
}

START_TEST (test_doc_a221_values)
{
  fadj_net *net = make_a221 (NULL);
  fadj_buf *b = fadj_buf_new ();
  fadj_trace *t = trace_and_write (b, net, 0);
  const char *doc = fadj_buf_data (b, NULL);

  ck_assert (t->check.agree);
  assert_contains (doc, "\\documentclass");
  assert_contains (doc, "\\date{}");
  assert_contains (doc, "\\end{document}\n");
  /* The values of the worked example (doc/math.md), to 6 digits.  */
  assert_contains_golden (doc, "a221-y1.tex");
  assert_contains_golden (doc, "a221-x1.tex");
  assert_contains (doc, "\\approx \\begin{bmatrix}1.46212\\end{bmatrix}");
  assert_contains (doc, "\\approx \\begin{bmatrix}0.811856\\end{bmatrix}");
  assert_contains (doc, "\\approx 0.0176990\n");
  assert_contains (doc, "\\approx \\begin{bmatrix}-0.188144\\end{bmatrix}");
  assert_contains (doc, "\\approx \\begin{bmatrix}-0.0287381\\end{bmatrix}");
  assert_contains (doc, "\\approx \\begin{bmatrix}-0.0287381\\\\ "
                   "0.0287381\\end{bmatrix}");
  assert_contains (doc, "\\approx \\begin{bmatrix}-0.00565026\\\\ "
                   "0.00565026\\end{bmatrix}");
  assert_contains_golden (doc, "a221-x0star.tex");
  assert_contains (doc, "-0.0210093 & -0.00772888 & -0.0287381");
  assert_contains (doc, "0 & 0 & -0.00565026\\\\ 0 & 0 & 0.00565026");
  /* Notation.  */
  assert_contains (doc, "Y^{\\ell}_{*} = X^{\\ell}_{*} \\odot "
                   "\\sigma'(Y^{\\ell})");
  assert_contains (doc, "(W^{\\ell}_{\\sharp})^{\\top} Y^{\\ell}_{*}");
  assert_contains (doc, "\\sigma'(Y^{2}) &= \\sigma(Y^{2}) \\odot "
                   "\\bigl(1 - \\sigma(Y^{2})\\bigr) = X^{2} \\odot "
                   "(1 - X^{2})");
  assert_contains (doc, "F(X^{0}) &= \\begin{Bmatrix} X^{0}, Y^{1}, X^{1}, "
                   "Y^{2}, X^{2} \\end{Bmatrix}");
  assert_contains (doc, "\\begin{Bmatrix} X^{2}_{*}, Y^{2}_{*}, X^{1}_{*}, "
                   "Y^{1}_{*}, X^{0}_{*} \\end{Bmatrix}");
  assert_contains (doc, "arXiv:2304.13820");
  assert_contains (doc, "arXiv:2304.13537");
  assert_contains (doc, "interval arithmetic (MPFI)");
  /* 2x3 + 1x3 gradient entries, Y_*: 2 + 1, X_*: 1 + 2 + 2.  */
  assert_contains (doc, "17 entries were compared");
  ck_assert (strstr (doc, "FAILED") == NULL);

  fadj_trace_free (t);
  fadj_buf_free (b);
  fadj_net_free (net);
}
END_TEST

START_TEST (test_doc_options)
{
  fadj_net *net = make_a221 ("\\input{/etc/passwd} 50% _x_");
  fadj_buf *b = fadj_buf_new ();
  fadj_trace *t;
  const char *doc;

  /* Fragment: no preamble; the title as a heading, escaped.  */
  fadj_buf_puts (b, "% prefix\n");
  t = trace_and_write (b, net, FADJ_LATEX_FRAGMENT);
  doc = fadj_buf_data (b, NULL);
  ck_assert (strncmp (doc, "% prefix\n", 9) == 0);
  ck_assert (strstr (doc, "\\documentclass") == NULL);
  ck_assert (strstr (doc, "\\begin{document}") == NULL);
  ck_assert (strstr (doc, "\\end{document}") == NULL);
  assert_contains (doc, "{\\textbackslash{}input\\{/etc/passwd\\} 50\\% "
                   "{\\ttfamily\\char95}x{\\ttfamily\\char95}}");
  ck_assert (strstr (doc, "\\input{") == NULL);
  fadj_trace_free (t);

  /* Index letter h.  */
  fadj_buf_reset (b);
  t = trace_and_write (b, net, FADJ_LATEX_INDEX_H);
  doc = fadj_buf_data (b, NULL);
  assert_contains (doc, "Y^{h}_{*} = X^{h}_{*} \\odot \\sigma'(Y^{h})");
  assert_contains (doc, "X^{h-1}_{*} &= (W^{h}_{\\sharp})^{\\top} Y^{h}_{*}");
  ck_assert (strstr (doc, "\\ell") == NULL);
  assert_contains (doc, "\\title{\\textbackslash{}input\\{/etc/passwd\\} "
                   "50\\% {\\ttfamily\\char95}x{\\ttfamily\\char95}}");
  fadj_trace_free (t);

  /* Biases apart: Y = W X + b, W without its bias column, dJ/db.  */
  fadj_buf_reset (b);
  t = trace_and_write (b, net, FADJ_LATEX_BIAS_SEPARATE);
  doc = fadj_buf_data (b, NULL);
  assert_contains (doc, "Y^{1} &= W^{1} X^{0} + b^{1} = \\begin{bmatrix}1 & "
                   "-1\\\\ -1 & 1\\end{bmatrix}\\begin{bmatrix}0\\\\ "
                   "0\\end{bmatrix} + \\begin{bmatrix}1\\\\ -1\\end{bmatrix}"
                   " = \\begin{bmatrix}1\\\\ -1\\end{bmatrix}");
  assert_contains (doc, "\\frac{\\partial J}{\\partial b^{2}} &= Y^{2}_{*} "
                   "\\approx \\begin{bmatrix}-0.0287381\\end{bmatrix}");
  assert_contains (doc, "(W^{1})^{\\top} Y^{1}_{*}");
  ck_assert (strstr (doc, "\\sharp") == NULL);
  ck_assert (strstr (doc, "|c") == NULL);
  fadj_trace_free (t);

  fadj_buf_free (b);
  fadj_net_free (net);
}
END_TEST

/* A[1, 1], identity, no bias, squared loss: W = 2, x = 3, y = 1.
   Y^1 = 6 = X^1, J = (6 - 1)^2 = 25, seed 2 (6 - 1) = 10, Y^1_* = 10,
   X^0_* = 2 x 10 = 20, dJ/dW^1 = 10 x 3 = 30: all exact.  Like every
   document test here it makes and frees its own network, buffer and
   trace in the same few lines, rather than in a fixture, so that each
   test reads and fails on its own.  */
START_TEST (test_doc_exact)
{
  static const size_t sizes[] = { 1, 1 };
  static const char *const w1[] = { "2" };
  static const char *const *const w[] = { w1 };
  static const char *const *const bias[] = { NULL };
  static const char *const x[] = { "3" };
  static const char *const y[] = { "1" };
  fadj_net *net = make_net (1, sizes, FADJ_ACT_IDENTITY, w, bias, x, y,
                            FADJ_LOSS_SQUARED, NULL);
  fadj_buf *b = fadj_buf_new ();
  fadj_trace *t = trace_and_write (b, net, 0);
  const char *doc = fadj_buf_data (b, NULL);

  ck_assert_int_eq (t->ctx.domain, FADJ_EXACT);
  assert_contains_golden (doc, "linear-loss.tex");
  assert_contains_golden (doc, "linear-grad.tex");
  assert_contains (doc, "X^{1}_{*} &= \\frac{\\partial J}{\\partial X^{1}} = "
                   "2(X^{1} - y) = 2\\left(\\begin{bmatrix}6\\end{bmatrix} - "
                   "\\begin{bmatrix}1\\end{bmatrix}\\right) = "
                   "\\begin{bmatrix}10\\end{bmatrix}");
  assert_contains (doc, "X^{0}_{*} &= (W^{1})^{\\top} Y^{1}_{*} = "
                   "\\begin{bmatrix}2\\end{bmatrix}\\begin{bmatrix}10"
                   "\\end{bmatrix} = \\begin{bmatrix}20\\end{bmatrix}");
  assert_contains (doc, "the two methods agree exactly");
  ck_assert (strstr (doc, "\\approx") == NULL);
  ck_assert (strstr (doc, "\\sharp") == NULL);
  fadj_trace_free (t);
  fadj_buf_free (b);
  fadj_net_free (net);
}
END_TEST

/* A failed verification is reported, naming the place (1-based).  */
START_TEST (test_doc_failure)
{
  fadj_net *net = make_a221 (NULL);
  fadj_buf *b = fadj_buf_new ();
  fadj_trace *t = trace_and_write (b, net, 0);
  fadj_latex_opts opts;
  const char *doc;

  fadj_latex_opts_init (&opts);
  t->check.agree = 0;
  t->check.what = FADJ_Q_GRADIENT;
  t->check.layer = 1;
  t->check.row = 1;
  t->check.col = 2;
  doc = write_doc (b, t, &opts, NULL);
  assert_contains (doc, "VERIFICATION FAILED");
  assert_contains (doc, "$\\partial J/\\partial W^{1}$, layer 1, row 2, "
                   "column 3 (the bias column)");

  t->check.what = FADJ_Q_Y_STAR;
  t->check.layer = 2;
  t->check.row = 0;
  t->check.col = 0;
  doc = write_doc (b, t, &opts, NULL);
  assert_contains (doc, "$Y^{2}_{*}$ (against $\\partial J/\\partial "
                   "Y^{2}$), layer 2, row 1, column 1");
  fadj_trace_free (t);
  fadj_buf_free (b);
  fadj_net_free (net);
}
END_TEST

/* A[1, 2, 1], identity, no bias, half squared loss: W^1 = [1; 2],
   W^2 = [3, 4], x = 1, y = 0.  X^1 = [1; 2], X^2 = 11 = the seed = Y^2_*,
   Y^1_* = [33; 44], dJ/dW^1 = [33; 44], dJ/dW^2 = [11, 22].  The chain
   rule of w^1_11 has one path: 11 (seed) 1 (sigma') 3 (w^2_11) 1 1 (x)
   = 33; of w^2_12: 11 1 2 (X^1_2) = 22.  */
static fadj_net *
make_chain_net (void)
{
  static const size_t sizes[] = { 1, 2, 1 };
  static const char *const w1[] = { "1", "2" };
  static const char *const w2[] = { "3", "4" };
  static const char *const *const w[] = { w1, w2 };
  static const char *const *const bias[] = { NULL, NULL };
  static const char *const x[] = { "1" };
  static const char *const y[] = { "0" };

  return make_net (2, sizes, FADJ_ACT_IDENTITY, w, bias, x, y,
                   FADJ_LOSS_HALF_SQUARED, NULL);
}

/* The chain rule's sum over paths (check-chain.c) is its own
   computation: it agrees with the gradient, and a corrupted gradient
   entry is caught, in the results and in the document.  */
START_TEST (test_doc_chain)
{
  static const fadj_latex_chain chains[] = { { 1, 1, 1 }, { 2, 1, 2 } };
  fadj_net *net = make_chain_net ();
  fadj_ctx ctx = { .domain = FADJ_EXACT };
  fadj_buf *b = fadj_buf_new ();
  fadj_latex_opts opts;
  fadj_latex_results res;
  fadj_trace *t;
  const char *doc;

  ck_assert_int_eq (fadj_trace_compute (&t, net, &ctx), FADJ_OK);
  fadj_latex_opts_init (&opts);
  opts.nchains = 2;
  opts.chains = chains;
  fadj_latex_results_init (&res);
  ck_assert_int_eq (fadj_chain_check (&res, t, 2, chains), FADJ_OK);
  ck_assert_int_eq (res.nchains, 2);
  ck_assert_int_eq (res.chains[0].status, FADJ_OK);
  ck_assert_int_eq (res.chains[1].status, FADJ_OK);
  ck_assert (res.chains[0].agree && res.chains[1].agree);
  ck_assert_int_eq (mpq_cmp_si (FADJ_NUM_Q (res.chains[0].sum), 33, 1), 0);
  ck_assert_int_eq (mpq_cmp_si (FADJ_NUM_Q (res.chains[1].sum), 22, 1), 0);
  doc = write_doc (b, t, &opts, &res);
  assert_contains (doc, "\\section{The chain rule for $w^{1}_{11}$}");
  assert_contains (doc, "&= 11\\cdot 1\\cdot 3\\cdot 1\\cdot 1");
  assert_contains (doc, "\\bigl(Y^{2}_{*}\\,(X^{1})^{\\top}\\bigr)_{12} = "
                   "Y^{2}_{*,1}\\,X^{1}_{2} = 22");
  ck_assert (strstr (doc, "DISAGREES") == NULL);
  fadj_latex_results_clear (&res);
  ck_assert_int_eq (res.nchains, 0);

  /* dJ/dw^1_11 = 34: the sum over paths still says 33.  */
  fadj_num_set_si (FADJ_MAT (t->grad + 1, 0, 0), 34);
  ck_assert_int_eq (fadj_chain_check (&res, t, 2, chains), FADJ_OK);
  ck_assert (!res.chains[0].agree && res.chains[1].agree);
  doc = write_doc (b, t, &opts, &res);
  assert_contains (doc, "&\\neq \\bigl(Y^{1}_{*}\\,"
                   "(X^{0})^{\\top}\\bigr)_{11}");
  assert_contains (doc, "\\textbf{CHAIN RULE DISAGREES.}");
  fadj_latex_results_clear (&res);
  fadj_trace_free (t);
  fadj_buf_free (b);
  fadj_net_free (net);
}
END_TEST

/* Through a softmax the paths branch over the pairs (k_2, k'_2) of its
   Jacobian.  A[1, 2, 2]: X^1 = Y^1 = (1, -1), W^2 = [1 0; 3 1] and
   b^2 = (1, 0), so Y^2 = (2, 2) and s = X^2 = (1/2, 1/2); y = (1, 0),
   seed (-1/s_1, 0).  dJ/dw^1_11 = -1/s_1 (J_11 w^2_11 + J_12 w^2_21)
   X^0_1 with J_11 = s_1 (1 - s_1), J_12 = -s_1 s_2: = -(1 - s_1) +
   3 s_2 = 1, of which the off-diagonal J_12 gives 3 s_2 = 3/2.  4 paths
   (2 x 2 pairs); w^2_11, at the softmax itself, 2 (its k_2; k'_2 is row
   1).  */
START_TEST (test_doc_chain_softmax)
{
  static const fadj_latex_chain chains[] = { { 1, 1, 1 }, { 2, 1, 1 } };
  fadj_net *net = test_parse ("input [1] target [1, 0]\n"
                              "layer identity weights [1; -1]\n"
                              "layer softmax weights [1 0; 3 1] "
                              "bias [1, 0]\n"
                              "loss categorical_cross_entropy\n");
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 128 };
  fadj_buf *b = fadj_buf_new ();
  fadj_latex_opts opts;
  fadj_latex_results res;
  fadj_chain_paths p;
  fadj_num_t want;
  fadj_trace *t;
  const char *doc;
  mpq_t q;

  ck_assert_int_eq (fadj_trace_compute (&t, net, &ctx), FADJ_OK);
  ck_assert_int_eq (fadj_chain_validate (net, chains), FADJ_OK);
  ck_assert_int_eq (fadj_chain_paths_init (&p, t, chains), FADJ_OK);
  ck_assert_uint_eq (p.npaths, 4);
  /* Path 1: k'_2 = 1 (slower), k_2 = 2 (fastest), 0-based 0 and 1; its
     factors the seed, J_21, w^2_11, identity' and X^0_1.  */
  ck_assert_uint_eq (fadj_chain_paths_factors (&p, 1), 5);
  ck_assert_uint_eq (p.k[2], 1);
  ck_assert_uint_eq (p.ky[2], 0);
  ck_assert_uint_eq (p.k[1], 0);
  fadj_chain_paths_clear (&p);
  ck_assert_int_eq (fadj_chain_paths_init (&p, t, chains + 1), FADJ_OK);
  ck_assert_uint_eq (p.npaths, 2);
  fadj_chain_paths_clear (&p);

  fadj_latex_opts_init (&opts);
  opts.nchains = 2;
  opts.chains = chains;
  fadj_latex_results_init (&res);
  ck_assert_int_eq (fadj_chain_check (&res, t, 2, chains), FADJ_OK);
  ck_assert_int_eq (res.chains[0].status, FADJ_OK);
  ck_assert (res.chains[0].agree && res.chains[1].agree);
  mpq_init (q);
  mpq_set_ui (q, 1, 1);
  fadj_num_init (want, &ctx);
  fadj_num_set_q (want, q);
  ck_assert (fadj_num_compatible_p (res.chains[0].sum, want));
  doc = write_doc (b, t, &opts, &res);
  assert_contains (doc, "\\sum_{k_{2}=1}^{2} \\sum_{k'_{2}=1}^{2} "
                   "\\frac{\\partial J}{\\partial X^{2}_{k_{2}}}\\,"
                   "\\frac{\\partial X^{2}_{k_{2}}}{\\partial "
                   "Y^{2}_{k'_{2}}}\\,w^{2}_{k'_{2}1}");
  /* -1/4 exactly, but an enclosure (through exp): rounded, with its
     six digits.  */
  assert_contains (doc, "{\\underbrace{(-0.250000)}_{\\partial X^{2}_{1}/"
                   "\\partial Y^{2}_{2}}}\\cdot 3");
  ck_assert (strstr (doc, "DISAGREES") == NULL);
  fadj_latex_results_clear (&res);

  /* A chain rule without the off-diagonal entry, J_12 = 0, as if
     softmax were coordinate-wise: its sum, -1/2, is caught.  */
  fadj_num_set_si (FADJ_MAT (t->jac + 2, 0, 1), 0);
  ck_assert_int_eq (fadj_chain_check (&res, t, 2, chains), FADJ_OK);
  ck_assert (!res.chains[0].agree);
  mpq_set_si (q, -1, 2);
  fadj_num_set_q (want, q);
  ck_assert (fadj_num_compatible_p (res.chains[0].sum, want));
  doc = write_doc (b, t, &opts, &res);
  assert_contains (doc, "\\textbf{CHAIN RULE DISAGREES.}");
  fadj_latex_results_clear (&res);
  fadj_num_clear (want);
  mpq_clear (q);
  fadj_trace_free (t);
  fadj_buf_free (b);
  fadj_net_free (net);
}
END_TEST

/* What a derivation produced beyond the trace comes in the results:
   each one adds its section.  */
START_TEST (test_doc_results)
{
  fadj_net *net = make_chain_net ();
  fadj_ctx ctx = { .domain = FADJ_EXACT };
  fadj_buf *b = fadj_buf_new ();
  fadj_latex_opts opts;
  fadj_latex_results res;
  fadj_trace_opts topts;
  fadj_trace *t, *carried;
  fadj_training *tr;
  mpq_t rate;
  const char *doc;

  ck_assert_int_eq (fadj_trace_compute (&t, net, &ctx), FADJ_OK);
  memset (&topts, 0, sizeof topts);
  topts.carry = 1;
  topts.flags = FADJ_TRACE_FULL;
  ck_assert_int_eq (fadj_trace_compute_opts (&carried, net, &ctx, &topts),
                    FADJ_OK);
  mpq_init (rate);
  mpq_set_ui (rate, 1, 100);
  ck_assert_int_eq (fadj_train (&tr, t, 1, rate, FADJ_UPDATE_STANDARD),
                    FADJ_OK);
  fadj_latex_opts_init (&opts);
  fadj_latex_results_init (&res);
  doc = write_doc (b, t, &opts, &res);
  ck_assert (strstr (doc, "Training steps") == NULL);
  ck_assert (strstr (doc, "Textbook rounding") == NULL);

  res.training = tr;
  res.carried = carried;
  doc = write_doc (b, t, &opts, &res);
  /* W^1 - dJ/dW^1 / 100 = [1 - 0.33; 2 - 0.44].  */
  assert_contains (doc, "\\section{Training steps}");
  assert_contains (doc, "= \\begin{bmatrix}0.67\\\\ 1.56\\end{bmatrix}");
  assert_contains (doc, "\\section{Textbook rounding}");
  fadj_latex_results_clear (&res);
  mpq_clear (rate);
  fadj_training_free (tr);
  fadj_trace_free (carried);
  fadj_trace_free (t);
  fadj_buf_free (b);
  fadj_net_free (net);
}
END_TEST

/* At a low precision the document is undecided and B is untouched.  */
START_TEST (test_doc_undecided)
{
  fadj_net *net = make_a221 (NULL);
  fadj_buf *b = fadj_buf_new ();
  fadj_latex_opts opts;
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 12 };
  fadj_trace *t;
  int undecided = 0;

  fadj_latex_opts_init (&opts);
  for (; ctx.prec <= 24; ctx.prec++)
    {
      if (fadj_trace_compute (&t, net, &ctx) != FADJ_OK)
        continue;
      fadj_buf_reset (b);
      fadj_buf_puts (b, "kept");
      if (fadj_latex_write (b, t, &opts, NULL) == FADJ_UNDECIDED)
        {
          undecided = 1;
          ck_assert_str_eq (fadj_buf_data (b, NULL), "kept");
        }
      fadj_trace_free (t);
    }
  ck_assert (undecided);
  fadj_buf_free (b);
  fadj_net_free (net);
}
END_TEST

/* Compile with pdflatex, if there is one: no error, no overfull line.  */
static const char *
pdflatex_path (void)
{
  const char *p = getenv ("PDFLATEX");

  if (p != NULL && p[0] != '\0')
    return p;
  if (p != NULL)                  /* configure found none */
    return NULL;
  return system ("command -v pdflatex >/dev/null 2>&1") == 0
         ? "pdflatex" : NULL;
}

static void
assert_compiles (const char *tex, const char *wrap_begin,
                 const char *wrap_end)
{
  const char *pdflatex = pdflatex_path ();
  char dir[] = "/tmp/fadj-latex-XXXXXX", path[512], cmd[1024];
  FILE *f;
  int rc;
  char *log;
  long n;

  if (pdflatex == NULL)
    {
      fprintf (stderr, "check_latex: pdflatex not found, compile test "
               "skipped\n");
      return;
    }
  ck_assert (mkdtemp (dir) != NULL);
  snprintf (path, sizeof path, "%s/doc.tex", dir);
  f = fopen (path, "w");
  ck_assert (f != NULL);
  fputs (wrap_begin, f);
  fputs (tex, f);
  fputs (wrap_end, f);
  fclose (f);
  snprintf (cmd, sizeof cmd, "cd '%s' && '%s' -interaction=nonstopmode "
            "-halt-on-error -no-shell-escape doc.tex >/dev/null 2>&1",
            dir, pdflatex);
  rc = system (cmd);
  snprintf (path, sizeof path, "%s/doc.log", dir);
  f = fopen (path, "rb");
  ck_assert (f != NULL);
  fseek (f, 0, SEEK_END);
  n = ftell (f);
  fseek (f, 0, SEEK_SET);
  log = malloc ((size_t) n + 1);
  n = (long) fread (log, 1, (size_t) n, f);
  log[n] = '\0';
  fclose (f);
  ck_assert_msg (rc == 0, "pdflatex failed; see %s", path);
  ck_assert_msg (strstr (log, "Overfull \\hbox") == NULL,
                 "overfull line; see %s", path);
  free (log);
  snprintf (cmd, sizeof cmd, "rm -rf '%s'", dir);
  rc = system (cmd);
  (void) rc;
}

START_TEST (test_doc_pdflatex)
{
  fadj_net *net = make_a221 ("\\write18{rm -rf ~} } $x^2$ <b> 100%");
  fadj_buf *b = fadj_buf_new ();
  fadj_trace *t = trace_and_write (b, net, 0);

  assert_compiles (fadj_buf_data (b, NULL), "", "");
  fadj_trace_free (t);

  fadj_buf_reset (b);
  t = trace_and_write (b, net, FADJ_LATEX_FRAGMENT | FADJ_LATEX_INDEX_H
                       | FADJ_LATEX_BIAS_SEPARATE);
  assert_compiles (fadj_buf_data (b, NULL),
                   "\\documentclass{article}\n\\usepackage{amsmath}\n"
                   "\\begin{document}\n", "\\end{document}\n");
  fadj_trace_free (t);
  fadj_buf_free (b);
  fadj_net_free (net);
}
END_TEST

/* A worksheet's answer fields in the layout of a deck: an empty field
   is as wide as its [W] digit widths (a line of three 14.4-wide fields
   and some 35 more cannot share a 68-wide line), and a matrix row with
   a field, even in a fraction's denominator, is at least the field's
   height (three rows of 24.7pt fields: 74.1pt before the numerators).  */
START_TEST (test_layout_fields)
{
  static const char line[] =
    "\\bigl(\\mathrm{D}\\sigma_{2}(Y^{2,(1)})\\bigr)_{11} &= "
    "X^{2,(1)}_{1}\\,(1 - X^{2,(1)}_{1}) \\uncover<2->{\\approx "
    "\\fadjfield[14.4]{} \\cdot (1 - \\fadjfield[14.4]{})} "
    "\\uncover<3->{\\approx \\fadjfield[14.4]{}}";
  static const char seed[] =
    "X_{*} &= \\uncover<2->{\\approx \\begin{bmatrix}"
    "-\\dfrac{0}{\\fadjfield[14.4]{}}\\\\ -\\dfrac{1}{\\fadjfield[14.4]{}}"
    "\\\\ -\\dfrac{0}{\\fadjfield[14.4]{}}\\end{bmatrix}}";
  static const char plain[] =
    "X &= \\begin{bmatrix}1\\\\ 2\\\\ 3\\end{bmatrix}";
  fadj_buf *b = fadj_buf_new ();
  const char *out, *p;
  int breaks = 0;

  ck_assert (b != NULL);
  ck_assert_int_eq (fadj_layout_align (b, line, strlen (line), 68.0),
                    FADJ_OK);
  out = fadj_buf_data (b, NULL);
  for (p = strstr (out, "\\\\\n"); p != NULL;
       p = strstr (p + 1, "\\\\\n"))
    breaks++;
  ck_assert_msg (breaks >= 1, "a line of three fields not broken: %s", out);
  ck_assert (fadj_layout_line_height (seed, seed + strlen (seed), 24.7)
             >= 3 * 24.7);
  ck_assert (fadj_layout_line_height (plain, plain + strlen (plain), 24.7)
             < 3 * 24.7);
  fadj_buf_free (b);
}
END_TEST

/* A line of one-row or two-row blocks is as tall as its brackets (18pt
   and 30pt), not its rows: pdflatex sets an align* of such lines 22pt
   and 34pt a line apart (\lineskip and \jot included), which a deck's
   frames must count (measured with \setbox and \ht in a beamer frame
   at 10pt, \arraystretch 1.2).  */
START_TEST (test_layout_block_heights)
{
  static const char one[] =
    "&\\quad \\uncover<1->{\\text{columns 1–11: }\\begin{bmatrix}-3 & -2 "
    "& -1\\end{bmatrix}}";
  static const char two[] =
    "&= \\begin{bmatrix}5\\\\ 0\\end{bmatrix}\\text{columns 1–11: }"
    "\\begin{bmatrix}-3 & -2\\end{bmatrix}";
  static const char text[] = "a &= b";

  ck_assert (fadj_layout_line_height (one, one + strlen (one), 0) >= 22.0);
  ck_assert (fadj_layout_line_height (two, two + strlen (two), 0) >= 34.0);
  ck_assert (fadj_layout_line_height (text, text + strlen (text), 0)
             >= 15.0);
}
END_TEST

int
main (void)
{
  const test_entry tests[] = {
    TEST_CASE ("number"),
    TEST_EACH (test_number_exact, exact_rows),
    TEST_EACH (test_number_interval, interval_rows),
    TEST_ONCE (test_number_interval_values),
    TEST_CASE ("buf"),
    TEST_EACH (test_escape, escape_rows),
    TEST_ONCE (test_buf),
    TEST_ONCE (test_buf_spill),
    TEST_CASE ("matrix"),
    TEST_EACH (test_golden_matrices, golden_rows),
    TEST_ONCE (test_matrix_undecided),
    TEST_ONCE (test_matrix_elided),
    TEST_ONCE (test_matrix_boxes),
    TEST_EACH (test_number_forms, form_rows),
    TEST_EACH (test_format, format_rows),
    TEST_ONCE (test_layout_fields),
    TEST_CASE_TIMEOUT ("document", 120),
    TEST_ONCE (test_doc_a221_values),
    TEST_ONCE (test_doc_options),
    TEST_ONCE (test_doc_exact),
    TEST_ONCE (test_doc_failure),
    TEST_ONCE (test_doc_chain),
    TEST_ONCE (test_doc_chain_softmax),
    TEST_ONCE (test_doc_results),
    TEST_ONCE (test_doc_undecided),
    TEST_ONCE (test_doc_pdflatex),
    TEST_ONCE (test_matrix_wide),
    TEST_ONCE (test_layout_block_heights),
  };

  return test_main ("latex", tests, sizeof tests / sizeof tests[0]);
}
