/* latex-worksheet.c -- a worksheet's answer fields: the \fadjfield macro
   (one box of a fixed size, whatever the answer), the sheet's opening
   (what to compute, to what precision, from which file), and the
   numbering of the fields in reading order, with the working space
   after each step.

   While the document is written, a field is \fadjfield[W]{V}: W its
   width in digit widths, for the line breaking (fadj_latex_width), V its
   value on the key and nothing on the student's sheet (latex-number.c).
   Once the document is whole, fadj_worksheet_finish numbers the fields
   as they are read, 1, 2, ...: \fadjfield{N}{V}.  Nothing in the
   student's .tex is derived from an answer: every field is the same
   macro with the same dimensions, and its number is its place.  */

#include "latex-writer.h"

#include <stdlib.h>
#include <string.h>

#define PT_PER_CM (72.27 / 2.54)

/* The definitions, once in a document (guarded in a fragment, which may
   be \input twice).  The field is centred on the math axis, with 2pt
   above and below it so that the fields of a column vector never touch
   (and 1.5pt on each side, clear of a matrix's brackets);
   its number is in the top left corner, the key's value centred below
   it (a fraction as p/q, at the size of the text).  A value wider or
   taller than the field enlarges it, on the key only.  */
void
fadj_worksheet_preamble (fadj_writer *w)
{
  fadj_buf *b = w->b;

  if (w->box == FADJ_BOX_NONE || (w->flags & FADJ_LATEX_FOR_TEXT))
    return;
  fadj_buf_puts (b, "% The answer fields: \\fadjfield{N}{V} is field N, "
                 "V its answer on the key (empty on the sheet).\n"
                 "\\ifdefined\\fadjfield\\else\n"
                 "\\newlength{\\fadjboxwd}\\newlength{\\fadjboxht}"
                 "\\newlength{\\fadjw}\\newsavebox{\\fadjval}\n");
  fadj_buf_printf (b, "\\setlength{\\fadjboxwd}{%.2fpt}"
                   "\\setlength{\\fadjboxht}{%.2fpt}\n",
                   w->opts->box_width, w->opts->box_height);
  fadj_buf_puts (b,
    "\\newcommand{\\fadjfield}[2]{\\mathord{%\n"
    "  \\sbox{\\fadjval}{$\\textstyle\\def\\dfrac##1##2{##1/##2}"
    "\\let\\frac\\dfrac #2$}%\n"
    "  \\setlength{\\fadjw}{\\wd\\fadjval}\\addtolength{\\fadjw}{1em}%\n"
    "  \\ifdim\\fadjw<\\fadjboxwd\\setlength{\\fadjw}{\\fadjboxwd}\\fi\n"
    "  \\setbox2\\vbox{\\offinterlineskip\n"
    "    \\hbox to\\fadjw{\\kern1.5pt{\\scriptsize #1}\\hfil}\\kern1pt\\vfil\n"
    "    \\hbox to\\fadjw{\\hfil\\usebox{\\fadjval}\\hfil}\\kern2.5pt}%\n"
    "  \\ifdim\\ht2<\\fadjboxht\\setbox2\\vbox to\\fadjboxht{\\unvbox2}\\fi\n"
    "  \\vcenter{\\kern2pt\\hbox{\\kern1.5pt\\fboxsep=0pt\\fbox{\\box2}"
    "\\kern1.5pt}\\kern2pt}}}\n"
    "\\fi\n");
}

/* The precision the answers are asked to, into B.  */
static void
put_precision (fadj_writer *w, fadj_buf *b)
{
  if (w->opts->round >= 0)
    fadj_buf_printf (b, w->opts->round == 1
                     ? _ ("rounded to %d decimal (ties away from zero)")
                     : _ ("rounded to %d decimals (ties away from zero)"),
                     w->opts->round);
  else
    fadj_buf_printf (b, w->digits == 1
                     ? _ ("to %d significant digit (an exact value "
                          "exactly: an integer, a terminating decimal or a "
                          "quotient of integers)")
                     : _ ("to %d significant digits (an exact value "
                          "exactly: an integer, a terminating decimal or a "
                          "quotient of integers)"), w->digits);
}

/* What the student computes (W->blanks), into B.  */
static void
put_parts (fadj_writer *w, fadj_buf *b)
{
  static const struct { unsigned part; const char *what; } parts[] = {
    { FADJ_LATEX_BLANK_FORWARD, N_ ("the F-propagation ($Y^{\\ell}$, "
      "$X^{\\ell}$ and the loss $J$)") },
    { FADJ_LATEX_BLANK_ADJOINT, N_ ("the F-adjoint (the seed $X^{L}_{*}$, "
      "$\\sigma'(Y^{\\ell})$, $Y^{\\ell}_{*}$ and $X^{\\ell-1}_{*}$)") },
    { FADJ_LATEX_BLANK_GRADIENTS, N_ ("the gradients $\\partial J/\\partial "
      "W^{\\ell}$") },
  };
  size_t k, n = 0, done = 0;

  for (k = 0; k < 3; k++)
    n += (w->blanks & parts[k].part) != 0;
  for (k = 0; k < 3; k++)
    if (w->blanks & parts[k].part)
      {
        done++;
                /* TRANSLATORS: the last joint of a list of two or three
           parts, "A, B and C".  */
        fadj_buf_printf (b, "%s%s", done == 1 ? "" : done == n ? _ (" and ")
                         : ", ", _ (parts[k].what));
      }
}

/* S in typewriter type, escaped for TeX, a line break allowed after
   each / , = or _ (a long path has no space to break at).  */
static void
put_tt_breakable (fadj_buf *b, const char *s)
{
  char c[2] = { 0, 0 };

  fadj_buf_puts (b, "\\texttt{");
  for (; *s != '\0'; s++)
    {
      c[0] = *s;
      fadj_buf_put_tex_escaped (b, c);
      if (*s == '/' || *s == ',' || *s == '=' || *s == '_')
        fadj_buf_puts (b, "\\allowbreak{}");
    }
  fadj_buf_puts (b, "}");
}

/* The file, the options and the seed, which match sheet and key.  */
static void
put_source (fadj_writer *w, fadj_buf *b)
{
  const fadj_latex_opts *o = w->opts;

  if (o->source == NULL && o->options == NULL && o->seed < 0)
    return;
  /* \sloppy: a long path breaks only at its slashes.  */
  fadj_buf_puts (b, "\\par\\smallskip{\\sloppy\\noindent ");
  /* TRANSLATORS: followed by a file's name (or "a network"), then maybe
     by " (written by ...)" and " with " the options.  */
  fadj_buf_puts (b, _ ("Made from "));
  if (o->source != NULL)
    put_tt_breakable (b, o->source);
  else
    fadj_buf_puts (b, _ ("a network"));
  if (o->seed >= 0)
    fadj_buf_printf (b, _ (" (written by \\texttt{fadj-gen} with seed %ld)"),
                     o->seed);
  if (o->options != NULL && o->options[0] != '\0')
    {
      fadj_buf_puts (b, _ (" with "));
      put_tt_breakable (b, o->options);
    }
  fadj_buf_puts (b, ".\\par}");
}

void
fadj_worksheet_header (fadj_writer *w)
{
  fadj_buf *b = w->b;

  if (w->box == FADJ_BOX_NONE)
    return;
  if (w->box == FADJ_BOX_BLANK)
    {
      fadj_buf_puts (b, _ ("\\noindent\\textbf{Worksheet.} Fill in every "
                           "numbered box with the value it stands for, "
                           "using the formula on its line; give each "
                           "answer "));
      put_precision (w, b);
      fadj_buf_puts (b, _ (". You compute "));
      put_parts (w, b);
      fadj_buf_puts (b, _ ("; every other value is printed. The data are "
                           "given: the input $X^{0}$, the target $y$, the "
                           "weights and biases, and the 1 appended to an "
                           "input of a layer with a bias."));
    }
  else
    {
      fadj_buf_puts (b, _ ("\\noindent\\textbf{Answer key.} Box $n$ holds "
                           "the answer to box $n$ of the worksheet, "));
      put_precision (w, b);
      fadj_buf_puts (b, _ ("; the verification is at the end."));
    }
  if (w->opts->round >= 0)
    fadj_buf_puts (b, _ (" The key rounds the exact values: computed from "
                         "rounded ones, a last decimal may differ by one "
                         "or two units."));
  put_source (w, b);
  fadj_buf_puts (b, "\n\n");
}

/* Does the align* body [S, END) hold a field?  */
static int
has_field_p (const char *s, const char *end)
{
  const char *f = strstr (s, "\\fadjfield[");

  return f != NULL && f < end;
}

void
fadj_worksheet_finish (fadj_writer *w, size_t from, size_t *n)
{
  static const char field[] = "\\fadjfield[", open[] = "\\begin{align*}",
    close[] = "\\end{align*}";
  const char *data, *p, *end, *q;
  char *copy, space[32] = "";
  size_t len, num = 0;
  int spaced = 0;

  *n = 0;
  if (w->box == FADJ_BOX_NONE || !fadj_writer_ok (w)
      || fadj_buf_status (w->b) != FADJ_OK)
    return;
  data = fadj_buf_data (w->b, &len);
  copy = malloc (len - from + 1);
  if (copy == NULL)
    {
      fadj_writer_fail (w, FADJ_ERR_NOMEM);
      return;
    }
  memcpy (copy, data + from, len - from + 1);
  fadj_buf_truncate (w->b, from);
  /* The working space: in LaTeX only, not on a slide.  */
  if (w->opts->space > 0 && !w->beamer
      && !(w->flags & FADJ_LATEX_FOR_TEXT))
    snprintf (space, sizeof space, "%.2fcm", w->opts->space);
  end = copy + (len - from);
  for (p = copy; p < end; )
    {
      if (strncmp (p, field, sizeof field - 1) == 0)
        {
          /* \fadjfield[W]{ -> \fadjfield{N}{ */
          q = strchr (p, ']');
          fadj_buf_printf (w->b, "\\fadjfield{%zu}", ++num);
          p = q + 1;
          continue;
        }
      if (space[0] != '\0' && strncmp (p, open, sizeof open - 1) == 0
          && (q = strstr (p, close)) != NULL && has_field_p (p, q))
        {
          /* A display with fields: the space below it, and between its
             steps (a continuation line begins with &).  */
          fadj_buf_printf (w->b, "{\\setlength{\\belowdisplayskip}{%s}"
                           "\\setlength{\\belowdisplayshortskip}{%s}",
                           space, space);
          spaced = 1;
        }
      if (spaced && strncmp (p, "\\\\\n", 3) == 0)
        {
          const char *r = p + 3;
          while (*r == ' ')
            r++;
          if (*r == '&')
            fadj_buf_puts (w->b, "\\\\\n");
          else
            fadj_buf_printf (w->b, "\\\\[%s]\n", space);
          p += 3;
          continue;
        }
      if (spaced && strncmp (p, close, sizeof close - 1) == 0)
        {
          fadj_buf_printf (w->b, "%s}", close);
          p += sizeof close - 1;
          spaced = 0;
          continue;
        }
      fadj_buf_put_mem (w->b, p, 1);
      p++;
    }
  free (copy);
  *n = num;
}
