/* latex-number.c -- numbers and matrices as LaTeX, following the
   document's number rules, and a width estimate for line breaking.

   An inexact value (an enclosure) prints correctly rounded to exactly
   DIGITS significant digits, trailing zeros included: each of them is
   certified like any other digit, since both endpoints of the enclosure
   round to the same DIGITS-digit decimal (fadj_decimal_round).  An
   interval that is a single point equal to its decimal is exact.

   An exact (rational) value keeps its exact form, which is one of
     - a decimal, when the reduced fraction terminates within 12
       significant digits (0.3775, 3/20 -> 0.15, -0.5, integers);
     - \frac{p}{q} when |p| and q have at most 6 digits (-\frac{1}{3});
   chosen by the form of its matrix (number_form: as the file wrote the
   matrix, or one form for a whole computed matrix, so that 1/2 is never
   0.5 beside -1/3), and when it has neither, the correctly rounded
   decimal, marked approximate.  --numbers=decimals prints every exact
   value that does not terminate so.  With PLACES (the carried values of
   --carry), an exact value with at most PLACES decimals is printed with
   exactly PLACES.  Decimals take the form a\times10^{k} when the
   exponent is < -4 or >= the precision (%g's rule).  In a matrix a
   fraction is \dfrac, at the size of the display around it.  */

#include "fadj-impl.h"
#include "tex-scan.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* The precision of exact decimals: enough for any weight a person types,
   few enough that a matrix of them still fits on a line.  */
#define EXACT_DIGITS 12
/* The largest numerator and denominator printed as a fraction.  */
#define FRAC_MAX 999999UL

/* How an exact value is written (see the top of the file).  */
typedef enum
{
  FORM_DECIMAL,         /* a terminating decimal, else a fraction */
  FORM_FRACTION,        /* a fraction (an integer as itself), else a
                           terminating decimal */
  FORM_DECIMAL_ONLY     /* a terminating decimal, else rounded */
} number_form;

/* Append D in positional form unless the exponent is < -4 or >=
   SCI_FROM.  KEEP: all the digits of D, trailing zeros included (a
   rounded value: each is a certified digit); else trailing zeros are
   stripped (an exact decimal, 0.5 and not 0.500000).  */
static void
put_decimal (fadj_buf *b, const fadj_decimal *d, long sci_from, int keep)
{
  size_t nd = strlen (d->digits);
  long e = d->exp10, k;

  if (d->sign == 0)
    {
      fadj_buf_puts (b, "0");
      return;
    }
  while (!keep && nd > 1 && d->digits[nd - 1] == '0')
    nd--;
  if (d->sign < 0)
    fadj_buf_puts (b, "-");
  if (e < -4 || e >= sci_from)
    {
      fadj_buf_printf (b, "%c", d->digits[0]);
      if (nd > 1)
        fadj_buf_printf (b, ".%.*s", (int) (nd - 1), d->digits + 1);
      fadj_buf_printf (b, "\\times10^{%ld}", e);
    }
  else if (e < 0)
    {
      fadj_buf_puts (b, "0.");
      for (k = -1; k > e; k--)
        fadj_buf_puts (b, "0");
      fadj_buf_printf (b, "%.*s", (int) nd, d->digits);
    }
  else if ((size_t) e + 1 >= nd)
    {
      /* An integer: the digits, then zeros up to the units.  */
      fadj_buf_printf (b, "%.*s", (int) nd, d->digits);
      for (k = (long) nd; k <= e; k++)
        fadj_buf_puts (b, "0");
    }
  else
    fadj_buf_printf (b, "%.*s.%.*s", (int) (e + 1), d->digits,
                     (int) (nd - (size_t) e - 1), d->digits + e + 1);
}

/* Append Q with exactly PLACES (> 0) decimals if it has at most that
   many (and at most 120 digits in all), and return 1; else append
   nothing and return 0.  The zeros added are exact: Q = 0.2 at 2 places
   is 0.20.  */
static int
put_places (fadj_buf *b, const mpq_t q, int places)
{
  char s[128];
  mpz_t t;
  size_t n, k;
  int ok;

  mpz_init (t);
  mpz_ui_pow_ui (t, 10, (unsigned long) places);
  mpz_mul (t, t, mpq_numref (q));
  ok = mpz_divisible_p (t, mpq_denref (q));
  if (ok)
    {
      mpz_divexact (t, t, mpq_denref (q));
      ok = mpz_sizeinbase (t, 10) <= 120;
    }
  if (ok)
    {
      if (mpz_sgn (t) < 0)
        fadj_buf_puts (b, "-");
      mpz_abs (t, t);
      mpz_get_str (s, 10, t);
      n = strlen (s);
      if (n <= (size_t) places)
        {
          fadj_buf_puts (b, "0.");
          for (k = n; k < (size_t) places; k++)
            fadj_buf_puts (b, "0");
          fadj_buf_puts (b, s);
        }
      else
        fadj_buf_printf (b, "%.*s.%s", (int) (n - (size_t) places), s,
                         s + n - (size_t) places);
    }
  mpz_clear (t);
  return ok;
}

/* Q's two exact forms: *TERM when it is a decimal of at most 12
   significant digits (D, rounded to 12 digits, is then Q), *SMALL when
   it is a fraction p/q, q > 1, of at most 6 digits each.  A terminating
   decimal of at most 12 significant digits is exactly its own 12-digit
   rounding, and conversely: one rounding decides.  */
static void
exact_forms (int *term, int *small, fadj_decimal *d, const mpq_t q)
{
  fadj_decimal_round_q (d, q, EXACT_DIGITS);
  *term = d->exact;
  *small = mpz_cmp_ui (mpq_denref (q), 1) > 0
           && mpz_cmpabs_ui (mpq_numref (q), FRAC_MAX) <= 0
           && mpz_cmp_ui (mpq_denref (q), FRAC_MAX) <= 0;
}

/* Append the exact Q in FORM (a fraction as \dfrac if DISPLAY), with
   PLACES as fadj_latex_numfmt says; *APPROX = it is rounded.  MAY_ROUND:
   the caller marks a rounded number (\approx).  */
static void
put_exact (fadj_buf *b, int *approx, const mpq_t q, int digits,
           number_form form, int display, int places, int may_round)
{
  fadj_decimal d;
  int term, small;

  *approx = 0;
  if (places > 0 && put_places (b, q, places))
    return;
  exact_forms (&term, &small, &d, q);
  /* A caller that does not ask whether the number is rounded writes
     "=" before it (the network's data): it stays exact.  */
  if (form == FORM_DECIMAL_ONLY && !may_round)
    form = FORM_DECIMAL;
  if (small && form != FORM_DECIMAL_ONLY && (form == FORM_FRACTION || !term))
    {
      /* The sign goes in front: -\frac{1}{3} reads better than
         \frac{-1}{3}.  In a matrix, the struts keep the fractions of
         two rows apart (a matrix's rows are set without any space
         between them, and \dfrac is taller than a row); the text
         formats drop them.  */
      fadj_buf_printf (b, display ? "%s\\dfrac{%lu\\mathstrut}"
                       "{%lu\\mathstrut}" : "%s\\frac{%lu}{%lu}",
                       mpq_sgn (q) < 0 ? "-" : "",
                       mpz_get_ui (mpq_numref (q)),
                       mpz_get_ui (mpq_denref (q)));
      return;
    }
  if (term)
    {
      put_decimal (b, &d, digits > EXACT_DIGITS ? digits : EXACT_DIGITS, 0);
      return;
    }
  fadj_decimal_round_q (&d, q, digits);
  put_decimal (b, &d, digits, !d.exact);
  *approx = !d.exact;
}

/* Append X by the rules at the top of the file.  */
static fadj_status
put_number (fadj_buf *b, int *approx, fadj_num_srcptr x, int digits,
            number_form form, int display, int places)
{
  fadj_decimal d;
  fadj_status st;
  int a;

  assert (digits >= 1 && digits <= FADJ_MAX_DIGITS);
  if (FADJ_NUM_EXACT_P (x))
    {
      put_exact (b, &a, FADJ_NUM_Q (x), digits, form, display, places,
                 approx != NULL);
      if (approx != NULL)
        *approx = a;
      return FADJ_OK;
    }
  st = fadj_decimal_round (&d, x, digits);
  if (st != FADJ_OK)
    return st;
  put_decimal (b, &d, digits, !d.exact);
  if (approx != NULL)
    *approx = !d.exact;
  return FADJ_OK;
}

fadj_status
fadj_latex_number (fadj_buf *b, int *approx, fadj_num_srcptr x, int digits)
{
  return put_number (b, approx, x, digits, FORM_DECIMAL, 0, 0);
}

/* The form that F asks for a matrix written as WRITTEN says (before the
   check that it suits the entries: matrix_form).  */
static number_form
asked_form (const fadj_latex_numfmt *f, int written)
{
  if (f->numbers == FADJ_NUMBERS_FRACTIONS)
    return FORM_FRACTION;
  if (f->numbers == FADJ_NUMBERS_DECIMALS)
    return FORM_DECIMAL_ONLY;
  if (written == FADJ_WRITTEN_NONE)
    return f->fractions ? FORM_FRACTION : FORM_DECIMAL;
  return written == FADJ_WRITTEN_FRACTION ? FORM_FRACTION : FORM_DECIMAL;
}

int
fadj_latex_net_fractions_p (const fadj_net *net)
{
  size_t l;

  if (net->input.written == FADJ_WRITTEN_FRACTION
      || net->target.written == FADJ_WRITTEN_FRACTION)
    return 1;
  for (l = 0; l < net->nlayers; l++)
    if (net->layers[l].w.written == FADJ_WRITTEN_FRACTION
        || net->layers[l].b.written == FADJ_WRITTEN_FRACTION)
      return 1;
  return 0;
}

void
fadj_latex_elide (size_t *shown, size_t *head, size_t n, size_t max_show)
{
  if (max_show == 0 || n <= max_show)
    {
      *shown = *head = n;
      return;
    }
  assert (max_show >= 3);
  /* MAX_SHOW lines in all, the dots line included.  */
  *head = max_show - 2;
  *shown = max_show - 1;
}

/* The index in M of the K-th shown row or column (see fadj_latex_elide).  */
static size_t
shown_index (size_t k, size_t n, size_t shown, size_t head)
{
  return k < head || shown == n ? k : n - 1;
}

/* X rounded to PLACES decimals (ties away from zero, as by hand), with
   exactly PLACES of them: an answer field's value under --round.  *APPROX
   is set when the rounding changed X.  */
static fadj_status
put_rounded (fadj_buf *b, int *approx, fadj_num_srcptr x, int places)
{
  fadj_status st;
  mpq_t r;

  mpq_init (r);
  st = fadj_decimal_round_places (r, x, places);
  if (st == FADJ_OK)
    {
      *approx = !FADJ_NUM_EXACT_P (x) || !mpq_equal (r, FADJ_NUM_Q (x));
      /* R has PLACES decimals: put_places fails only beyond 120
         digits, as does an integer here.  */
      if (places > 0)
        {
          if (!put_places (b, r, places))
            st = FADJ_ERR_LIMIT;
        }
      else if (mpz_sizeinbase (mpq_numref (r), 10) > 120)
        st = FADJ_ERR_LIMIT;
      else
        {
          char z[128];
          fadj_buf_puts (b, mpz_get_str (z, 10, mpq_numref (r)));
        }
    }
  mpq_clear (r);
  return st;
}

/* X as fadj_latex_number_fmt prints it, its exact form FORM, a fraction
   as \dfrac if DISPLAY.  On a worksheet (F->box) X is an answer field,
   \fadjfield[WIDTH]{X}, empty on the student's sheet: the value is still
   printed and cut, so that the sheet's relations (= or \approx) and its
   failures are the key's.  */
static fadj_status
number_styled (fadj_buf *b, int *approx, fadj_num_srcptr x,
               const fadj_latex_numfmt *f, number_form form, int display)
{
  size_t start = fadj_buf_len (b), value;
  fadj_status st;
  int a = 0;

  if (f->box != FADJ_BOX_NONE)
    fadj_buf_printf (b, "\\fadjfield[%.1f]{", f->field_width);
  value = fadj_buf_len (b);
  if (f->box != FADJ_BOX_NONE && f->round1 > 0)
    st = put_rounded (b, &a, x, f->round1 - 1);
  else
    st = put_number (b, approx != NULL ? &a : NULL, x, f->digits, form,
                     display, f->places);
  if (st == FADJ_UNDECIDED && f->zeros != NULL && !FADJ_NUM_EXACT_P (x)
      && mpfi_has_zero (FADJ_NUM_I (x)))
    {
      /* Zero to the working precision (fadj_zero_log).  */
      fadj_buf_puts (b, "0^{\\dagger}");
      fadj_zero_log_add (f->zeros, x);
      a = 1;
      st = FADJ_OK;
    }
  if (st == FADJ_UNDECIDED && f->zeros != NULL)
    fadj_zero_log_undecided (f->zeros, x);
  if (st != FADJ_OK)
    {
      fadj_buf_truncate (b, start);
      return st;
    }
  if (f->box == FADJ_BOX_BLANK)
    fadj_buf_truncate (b, value);
  if (f->box != FADJ_BOX_NONE)
    fadj_buf_puts (b, "}");
  if (approx != NULL)
    *approx = a;
  return FADJ_OK;
}

fadj_status
fadj_latex_number_fmt (fadj_buf *b, int *approx, fadj_num_srcptr x,
                       const fadj_latex_numfmt *f)
{
  return number_styled (b, approx, x, f,
                        asked_form (f, FADJ_WRITTEN_NONE), 0);
}

/* One entry: PRE, the number (boxed as F says, in FORM, a fraction at
   display size), POST.  */
static fadj_status
put_entry (fadj_buf *b, int *approx, fadj_num_srcptr x, const char *pre,
           const char *post, const fadj_latex_numfmt *f, number_form form)
{
  fadj_status st;
  int a = 0;

  if (pre != NULL)
    fadj_buf_puts (b, pre);
  st = number_styled (b, approx != NULL ? &a : NULL, x, f, form, 1);
  if (st != FADJ_OK)
    return st;
  if (a && approx != NULL)
    *approx = 1;
  if (post != NULL)
    fadj_buf_puts (b, post);
  return FADJ_OK;
}

/* The form of the exact entries of M, the shown ones being the first
   RHEAD (CHEAD) of RSHOWN (CSHOWN) rows (columns) and the last: the form
   F asks for M, unless under --numbers=auto the shown entries do not
   all have it and all have the other (a computed matrix of decimals
   with a 1/3 among them is all fractions): one form per matrix.  */
static number_form
matrix_form (const fadj_mat *m, const fadj_latex_numfmt *f, size_t rshown,
             size_t rhead, size_t cshown, size_t chead)
{
  number_form form = asked_form (f, m->written);
  int all_term = 1, all_small = 1, term, small;
  size_t ri, ci;
  fadj_decimal d;

  if (f->numbers != FADJ_NUMBERS_AUTO)
    return form;
  for (ri = 0; ri < rshown; ri++)
    for (ci = 0; ci < cshown; ci++)
      {
        fadj_num_srcptr x = FADJ_MAT (m, shown_index (ri, m->rows, rshown,
                                                      rhead),
                                      shown_index (ci, m->cols, cshown,
                                                   chead));
        if (!FADJ_NUM_EXACT_P (x)
            || mpz_cmp_ui (mpq_denref (FADJ_NUM_Q (x)), 1) == 0)
          continue;             /* an integer has both forms */
        exact_forms (&term, &small, &d, FADJ_NUM_Q (x));
        all_term &= term;
        all_small &= small;
      }
  if (form == FORM_DECIMAL && !all_term && all_small)
    return FORM_FRACTION;
  if (form == FORM_FRACTION && !all_small && all_term)
    return FORM_DECIMAL;
  return form;
}

/* K centred columns.  */
static void
put_run (fadj_buf *b, size_t k)
{
  if (k > FADJ_SPEC_RUN)
    fadj_buf_printf (b, "*{%zu}{c}", k);
  else
    for (; k > 0; k--)
      fadj_buf_puts (b, "c");
}

void
fadj_latex_put_column_spec (fadj_buf *b, size_t n, size_t bar)
{
  if (bar > 0 && bar < n)
    {
      put_run (b, bar);
      fadj_buf_puts (b, "|");
      put_run (b, n - bar);
    }
  else
    put_run (b, n);
}

int
fadj_latex_put_matrix_open (fadj_buf *b, size_t n, size_t bar)
{
  if ((bar == 0 || bar >= n) && n <= FADJ_MATRIX_COLS_MAX)
    {
      fadj_buf_puts (b, "\\begin{bmatrix}");
      return 0;
    }
  fadj_buf_puts (b, "\\left[\\begin{array}{@{}");
  fadj_latex_put_column_spec (b, n, bar);
  fadj_buf_puts (b, "@{}}");
  return 1;
}

void
fadj_latex_put_matrix_close (fadj_buf *b, int array)
{
  fadj_buf_puts (b, array ? "\\end{array}\\right]" : "\\end{bmatrix}");
}

fadj_status
fadj_latex_matrix_fmt (fadj_buf *b, int *approx, const fadj_mat *m,
                       const char *pre, const char *post, size_t bar,
                       const fadj_latex_numfmt *f)
{
  size_t start = fadj_buf_len (b), i, j, ri, ci;
  size_t rshown, rhead, cshown, chead, sbar = 0;
  int array;
  fadj_latex_numfmt plain = *f;
  number_form form;
  fadj_status st;

  plain.box = FADJ_BOX_NONE;

  fadj_latex_elide (&rshown, &rhead, m->rows, f->max_show);
  fadj_latex_elide (&cshown, &chead, m->cols, f->max_show);
  /* The rule before column BAR, as a shown column: kept only when BAR
     is shown (it is the bias column, the last, in the document).  */
  if (bar > 0 && bar < m->cols)
    {
      if (cshown == m->cols)
        sbar = bar;
      else if (bar < chead)
        sbar = bar;
      else if (bar == m->cols - 1)
        sbar = cshown;          /* after the \cdots column */
    }
  form = matrix_form (m, f, rshown, rhead, cshown, chead);
  array = fadj_latex_put_matrix_open (b, cshown + (cshown < m->cols), sbar);
  for (ri = 0; ri < rshown; ri++)
    {
      if (ri > 0)
        fadj_buf_puts (b, "\\\\ ");
      if (ri == rhead && rshown < m->rows)
        {
          /* The elided rows: \vdots under each shown column, \ddots
             where the elided columns cross them.  */
          for (ci = 0; ci < cshown; ci++)
            {
              if (ci == chead && cshown < m->cols)
                fadj_buf_puts (b, " & \\ddots");
              fadj_buf_puts (b, ci > 0 ? " & \\vdots" : "\\vdots");
            }
          fadj_buf_puts (b, "\\\\ ");
        }
      i = shown_index (ri, m->rows, rshown, rhead);
      for (ci = 0; ci < cshown; ci++)
        {
          if (ci == chead && cshown < m->cols)
            fadj_buf_puts (b, " & \\cdots");
          if (ci > 0)
            fadj_buf_puts (b, " & ");
          j = shown_index (ci, m->cols, cshown, chead);
          /* The appended 1 of an augmented X is a constant: never a
             worksheet's field.  */
          st = put_entry (b, approx, FADJ_MAT (m, i, j), pre, post,
                          i + 1 == f->plain_row1 || j + 1 == f->plain_col1
                          ? &plain : f, form);
          if (st != FADJ_OK)
            {
              fadj_buf_truncate (b, start);
              return st;
            }
        }
    }
  fadj_latex_put_matrix_close (b, array);
  return FADJ_OK;
}

fadj_status
fadj_latex_matrix (fadj_buf *b, int *approx, const fadj_mat *m,
                   const char *pre, const char *post, size_t bar, int digits)
{
  fadj_latex_numfmt f = { .digits = digits, .box = FADJ_BOX_NONE };
  return fadj_latex_matrix_fmt (b, approx, m, pre, post, bar, &f);
}

/* ------------------------------------------------------------------ */
/* Width estimate.  Units: the width of a digit (0.5em).  The numbers are
   Computer Modern's, rounded; the estimate only has to tell a line that
   fits from one that overflows, with the caller keeping a margin.  */

static double width_span (const char *s, const char *end);

/* The widths of commands, found by prefix in this order (\quad after
   \qquad; \text also stands for \textbf), for the command at S.  The
   frame of \boxed; nothing for \phantom and the font commands, whose
   argument group is measured next.  Any other command: 1.2.  */
static const struct { const char *prefix; double w; } command_widths[] = {
  { "\\mathstrut", 0 }, { "\\times", 2.0 }, { "\\odot", 2.0 }, { "\\cdots", 2.0 },
  { "\\ddots", 2.0 }, { "\\boxed", 1.2 }, { "\\phantom", 0 },
  { "\\approx", 2.6 }, { "\\qquad", 4.0 }, { "\\quad", 2.0 },
  { "\\partial", 1.2 }, { "\\top", 1.0 }, { "\\sharp", 1.0 },
  { "\\ell", 1.0 }, { "\\sigma", 1.0 }, { "\\mathrm", 0 },
  { "\\text", 0 }, { "\\mathbf", 0 },
};

static double
command_width (const char *s, const char *end)
{
  size_t k;

  for (k = 0; k < sizeof command_widths / sizeof command_widths[0]; k++)
    if (fadj_tex_prefix_p (s, end, command_widths[k].prefix))
      return command_widths[k].w;
  return 1.2;
}

/* The width of a matrix-like environment's body [S, END): the widest
   entry of each column, plus the column separation (2 \arraycolsep =
   10pt) between columns.  */
static double
width_table (const char *s, const char *end)
{
  double colw[64] = { 0 }, w;
  size_t col = 0, ncols = 1, k;
  const char *cell = s, *p = s;

  for (;;)
    {
      int at_end = p >= end;
      int amp = !at_end && *p == '&';
      int nl = !at_end && fadj_tex_prefix_p (p, end, "\\\\");

      if (at_end || amp || nl)
        {
          w = width_span (cell, p);
          if (col < 64 && w > colw[col])
            colw[col] = w;
          if (at_end)
            break;
          if (amp)
            {
              col++;
              if (col + 1 > ncols)
                ncols = col + 1;
              p++;
            }
          else
            {
              col = 0;
              p += 2;
            }
          cell = p;
        }
      else if (*p == '{')
        p = fadj_tex_group_end (p, end);
      else if (*p == '\\' && fadj_tex_prefix_p (p, end, "\\begin{"))
        /* Skip a nested environment whole.  */
        p = fadj_tex_env_close (fadj_tex_env_end (p + 1, end), end);
      else if (*p == '\\')
        p = fadj_tex_command_end (p, end);
      else
        p++;
    }
  w = 2.0 * (double) (ncols - 1);
  for (k = 0; k < ncols && k < 64; k++)
    w += colw[k];
  return w;
}

static double
width_span (const char *s, const char *end)
{
  double w = 0;

  while (s < end)
    {
      char c = *s;

      if (c == '\\')
        {
          const char *e = fadj_tex_command_end (s, end);
          size_t n = (size_t) (e - s);

          if (fadj_tex_prefix_p (s, end, "\\begin{"))
            {
              /* Find the matching \end, skipping an array's column
                 spec, and measure the body as a table with delimiters.  */
              const char *body = fadj_tex_group_end (s + 6, end), *q;
              if (fadj_tex_prefix_p (s, end, "\\begin{array}") && body < end
                  && *body == '{')
                body = fadj_tex_group_end (body, end);
              q = fadj_tex_env_end (body, end);
              w += width_table (body, q) + 1.2;
              s = fadj_tex_env_close (q, end);
              continue;
            }
          if ((fadj_tex_prefix_p (s, end, "\\frac")
               || fadj_tex_prefix_p (s, end, "\\dfrac"))
              && e < end && *e == '{')
            {
              const char *g1 = fadj_tex_group_end (e, end), *g2 = g1;
              double w1 = width_span (e + 1, g1 - 1), w2 = 0;
              if (g1 < end && *g1 == '{')
                {
                  g2 = fadj_tex_group_end (g1, end);
                  w2 = width_span (g1 + 1, g2 - 1);
                }
              /* \dfrac is display size; \frac, in the matrices of
                 a display, was text size.  */
              w += (s[1] == 'd' ? 1.0 : 0.8) * (w1 > w2 ? w1 : w2) + 0.4;
              s = g2;
              continue;
            }
          if (fadj_tex_prefix_p (s, end, "\\underbrace") && e < end
              && *e == '{')
            {
              /* The wider of the body and its label, a subscript set
                 under it.  */
              const char *g1 = fadj_tex_group_end (e, end), *g2 = g1;
              double w1 = width_span (e + 1, g1 - 1), w2 = 0;
              if (g1 + 1 < end && *g1 == '_' && g1[1] == '{')
                {
                  g2 = fadj_tex_group_end (g1 + 1, end);
                  w2 = 0.7 * width_span (g1 + 2, g2 - 1);
                }
              w += w1 > w2 ? w1 : w2;
              s = g2;
              continue;
            }
          if (fadj_tex_prefix_p (s, end, "\\fadjfield["))
            {
              /* A worksheet's answer field \fadjfield[W]{V}: W digit
                 widths, or V's width and a margin if wider (the key).  */
              char *q;
              double fw = strtod (s + strlen ("\\fadjfield["), &q), vw;
              const char *g = q;
              while (g < end && *g != '{')
                g++;
              e = fadj_tex_group_end (g, end);
              vw = g < end ? width_span (g + 1, e - 1) + 1.0 : 0;
              w += (fw > vw ? fw : vw) + 0.6;
              s = e;
              continue;
            }
          if (fadj_tex_prefix_p (s, end, "\\left")
              || fadj_tex_prefix_p (s, end, "\\right"))
            {
              s = e;
              if (s < end && *s == '\\')
                s = fadj_tex_command_end (s, end);
              else if (s < end)
                s++;
              w += 0.8;
              continue;
            }
          if (n == 2)
            w += s[1] == ',' ? 0.3 : s[1] == ' ' ? 0.6 : 1.0;
          else
            w += command_width (s, end);
          s = e;
        }
      else if (c == '^' || c == '_')
        {
          const char *e = s + 1;
          if (e < end && *e == '{')
            {
              const char *g = fadj_tex_group_end (e, end);
              w += 0.7 * width_span (e + 1, g - 1);
              s = g;
            }
          else
            {
              if (e < end)
                w += 0.7;
              s = e + 1;
            }
        }
      else if (c == '{' || c == '}' || c == ' ' || c == '&')
        s++;
      else
        {
          if (c == '=')
            w += 2.6;
          else if (c == '+' || c == '-')
            w += 1.6;
          else if (c == '.' || c == ',' || c == ';')
            w += 0.6;
          else if (c == '(' || c == ')' || c == '[' || c == ']' || c == '|')
            w += 0.8;
          else if ((unsigned char) c >= 0x80
                   && ((unsigned char) c & 0xC0) == 0x80)
            ;                    /* UTF-8 continuation byte */
          else
            w += c >= '0' && c <= '9' ? 1.0 : 1.1;
          s++;
        }
    }
  return w;
}

double
fadj_latex_width (const char *s, size_t len)
{
  return width_span (s, s + len);
}
