/* latex-deck.c -- what a beamer deck writes differently from the
   article: prose cut into bullets (one sentence an item) and into as
   many frames as its height needs, and the frames of the picture that
   fills in as the derivation goes.  The frames themselves are opened and
   closed by latex-writer.c; see latex-writer.h.  */

#include "latex-writer.h"
#include "tex-scan.h"

#include <string.h>

/* The height of a frame's text in points (a 16:9 frame at 10pt: 90mm
   less the title and the margins), with a margin for the estimates
   below; an item's line at 10pt and the characters on it (140mm of
   text, mathematics counted as text).  */
#define DECK_HEIGHT 228.0
#define DECK_LINE 11.5
#define DECK_ITEM_SEP 3.0
/* The skip above an itemize, which prose reopens after each display.  */
#define DECK_LIST_SKIP 8.0
#define DECK_LINE_CHARS 90.0
/* What a display cut into frames leaves of a frame: its estimated
   heights run short of the real ones.  */
#define DECK_DISPLAY_MARGIN 50.0
/* The room of a frame's picture, in cm: the text's width, and its
   height under the title less a line.  */
#define DECK_WIDTH_CM 14.0
#define DECK_PICTURE_CM 7.7

typedef struct
{
  fadj_buf *out;
  const char *title;
  double field;       /* the height of an answer field's row, or 0 */
  double used;        /* points of the open frame's text used */
  int open;           /* a frame is open, */
  int list;           /* and an itemize in it */
  int shift;          /* its displays' overlays moved this much earlier,
                         or -1 on a continued frame until its first one */
} deck_prose;

static void
prose_list (deck_prose *p, int on)
{
  if (on && !p->list)
    fadj_buf_puts (p->out, "\\begin{itemize}\n");
  else if (!on && p->list)
    fadj_buf_puts (p->out, "\\end{itemize}\n");
  p->list = on;
}

/* Make room for H points: a new frame ("(continued)" after the first)
   when the open one has no room left.  */
static void
prose_room (deck_prose *p, double h)
{
  if (p->open && (p->used == 0 || p->used + h <= DECK_HEIGHT))
    {
      p->used += h;
      return;
    }
  if (p->open)
    {
      prose_list (p, 0);
      fadj_buf_puts (p->out, "\\end{frame}\n");
    }
  fadj_buf_printf (p->out, "\n\\begin{frame}[t]{%s%s}\n", p->title,
                   p->open ? _ (" (continued)") : "");
  p->shift = p->open ? -1 : 0;
  p->open = 1;
  p->used = h;
}

/* Start a new frame unless the open one has H points left: for a
   heading, which must share its frame with what it introduces.  */
static void
prose_keep (deck_prose *p, double h)
{
  if (p->open && p->used > 0 && p->used + h > DECK_HEIGHT)
    {
      prose_list (p, 0);
      fadj_buf_puts (p->out, "\\end{frame}\n");
      fadj_buf_printf (p->out, "\n\\begin{frame}[t]{%s%s}\n", p->title,
                       _ (" (continued)"));
      p->shift = -1;
      p->used = 0;
    }
}

/* Whether [S, E) holds nothing but spaces and the paragraph commands a
   bullet makes needless.  */
static const char *
skip_par (const char *s, const char *e)
{
  for (;;)
    {
      while (s < e && (*s == ' ' || *s == '\n' || *s == '~'))
        s++;
      if (fadj_tex_prefix_p (s, e, "\\noindent"))
        s += strlen ("\\noindent");
      else if (fadj_tex_prefix_p (s, e, "\\quad"))
        s += strlen ("\\quad");
      else if (fadj_tex_prefix_p (s, e, "\\par")
               && !(s + 4 < e && fadj_tex_letter_p (s[4])))
        s += strlen ("\\par");
      else
        return s;
    }
}

/* The characters [S, E) prints, roughly: a command one, braces and the
   marks of mathematics none.  */
static double
visible_length (const char *s, const char *e)
{
  double n = 0;

  while (s < e)
    {
      if (*s == '\\')
        {
          s = fadj_tex_command_end (s, e);
          n++;
          continue;
        }
      if (*s != '{' && *s != '}' && *s != '$' && *s != '^' && *s != '_')
        n++;
      s++;
    }
  return n;
}

/* One sentence [S, E) as an item.  */
static void
prose_item (deck_prose *p, const char *s, const char *e)
{
  double lines;

  s = skip_par (s, e);
  while (e > s && (e[-1] == ' ' || e[-1] == '\n'))
    e--;
  if (s == e)
    return;
  lines = visible_length (s, e) / DECK_LINE_CHARS;
  prose_room (p, ((double) (int) lines + 1) * DECK_LINE + DECK_ITEM_SEP
                 + (p->list ? 0 : DECK_LIST_SKIP));
  prose_list (p, 1);
  fadj_buf_puts (p->out, "\\item ");
  /* A run-in \paragraph heading becomes the item's bold head.  */
  if (fadj_tex_prefix_p (s, e, "\\paragraph"))
    {
      fadj_buf_puts (p->out, "\\textbf");
      s += strlen ("\\paragraph");
    }
  fadj_buf_put_mem (p->out, s, (size_t) (e - s));
  fadj_buf_puts (p->out, "\n");
}

/* The estimated height of the environment [S, E): an align*'s lines, a
   table's rows, or a few lines.  */
static double
block_height (const char *s, const char *e, double field)
{
  const char *q, *stop, *next;
  double h = 20;      /* the skips around a display */

  if (fadj_tex_prefix_p (s, e, "\\begin{align*}"))
    {
      for (q = s + strlen ("\\begin{align*}"); q < e; q = next)
        {
          next = fadj_layout_next_line (&stop, q, e);
          h += fadj_layout_line_height (q, stop, field);
        }
      return h;
    }
  for (q = s; q + 1 < e; q++)
    if (q[0] == '\\' && q[1] == '\\')
      h += 14;
  return h + 2 * DECK_LINE;
}

/* Where the sentence starting at S ends within E: after a full stop
   followed by a space and a capital (or a command, or the end), or at a
   blank line, outside mathematics and braces; at the start of an
   environment (*ENV set) or at E.  */
static const char *
sentence_end (int *env, const char *s, const char *e)
{
  int math = 0;

  *env = 0;
  while (s < e)
    {
      if (*s == '\\')
        {
          const char *c = fadj_tex_command_end (s, e);
          if (!math && fadj_tex_prefix_p (s, e, "\\begin{"))
            {
              *env = 1;
              return s;
            }
          s = c;
          continue;
        }
      if (*s == '{')
        {
          s = fadj_tex_group_end (s, e);
          continue;
        }
      if (*s == '$')
        math = !math;
      else if (!math && *s == '\n' && s + 1 < e && s[1] == '\n')
        return s + 1;
      else if (!math && *s == '.' && s + 1 < e && (s[1] == ' '
                                                   || s[1] == '\n'))
        {
          const char *n = s + 1;
          while (n < e && (*n == ' ' || *n == '\n'))
            n++;
          if (n == e || (*n >= 'A' && *n <= 'Z')
              || (*n >= '0' && *n <= '9') || *n == '\\' || *n == '(')
            return s + 1;
        }
      s++;
    }
  return e;
}

/* The end of the environment that begins at S, its \\end{...} included.  */
static const char *
env_close (const char *s, const char *e)
{
  const char *a, *b;
  const char *body = fadj_tex_argument (&a, &b, fadj_tex_command_end (s, e),
                                        e);
  return fadj_tex_env_close (fadj_tex_env_end (body, e), e);
}

void
fadj_deck_prose (fadj_buf *out, const char *s, size_t n, const char *title,
                 double field)
{
  deck_prose p = { out, title, field, 0, 0, 0, 0 };
  const char *e = s + n;

  while (s < e)
    {
      int env;
      const char *stop = sentence_end (&env, s, e);
      const char *head = skip_par (s, stop);
      /* A run-in heading goes with the display it introduces.  */
      if (env && fadj_tex_prefix_p (head, stop, "\\paragraph"))
        prose_keep (&p, 2 * DECK_LINE + DECK_ITEM_SEP + DECK_LIST_SKIP
                    + block_height (stop, env_close (stop, e), p.field));
      prose_item (&p, s, stop);
      s = stop;
      if (env)
        {
          const char *close = env_close (s, e);
          prose_list (&p, 0);
          prose_room (&p, block_height (s, close, p.field));
          prose_list (&p, 0);
          /* What the frames before revealed is on this one from its
             first slide.  */
          if (p.shift < 0)
            {
              int least = fadj_writer_first_overlay (s, close);
              p.shift = least > 1 ? least - 1 : 0;
            }
          fadj_writer_put_shifted (out, s, close, p.shift);
          fadj_buf_puts (out, "\n");
          s = close;
        }
    }
  if (p.open)
    {
      prose_list (&p, 0);
      fadj_buf_puts (out, "\\end{frame}\n");
    }
}

void
fadj_deck_diagram_frame (fadj_writer *w, const char *title, size_t active,
                         const fadj_latex_reveal *rv)
{
  fadj_latex_numfmt f = w->fmt;
  int fits = 0;

  if (!fadj_writer_ok (w) || !(w->flags & FADJ_LATEX_DIAGRAM))
    return;
  fadj_writer_frame_close (w);
  f.box = w->box;
  /* Its layers elided, its values rounded and its weights left out as
     the frame's room asks (fadj_latex_diagram_slide), for its labels to
     stay readable.  */
  fadj_buf_printf (w->b, "\n\\begin{frame}[t]{%s}\n\\centering\n"
                   "{\\setbox0\\hbox{%%\n", title);
  fadj_writer_fail (w, fadj_latex_diagram_slide (w->b, w->t, &f, active,
                                                 w->ix, w->flags, rv,
                                                 DECK_WIDTH_CM,
                                                 DECK_PICTURE_CM, &fits));
  /* Scaled down to the frame when it must be, never up, nor below 0.9
     of its natural size (labels of 9pt) when the estimate says it fits
     at that size (else the frame wins: a picture of fractions, or of
     --diagram=full, too tall at 3 rows); the log says by how much
     (tests/slides.sh reads it: the text of the picture is 10pt at its
     natural size).  */
  fadj_buf_puts (w->b, "}%\n"
    "\\typeout{fadj-diagram natural \\the\\wd0}%\n"
    "\\edef\\fadjnatural{\\the\\wd0}%\n"
    "\\ifdim\\wd0>\\linewidth\\relax"
    "\\setbox0\\hbox{\\resizebox{\\linewidth}{!}{\\box0}}\\fi\n"
    "\\ifdim\\ht0>0.87\\textheight\\relax"
    "\\setbox0\\hbox{\\resizebox{!}{0.87\\textheight}{\\box0}}\\fi\n");
  if (fits)
    fadj_buf_puts (w->b, "\\ifdim\\wd0<0.9\\dimexpr\\fadjnatural\\relax"
      "\\setbox0\\hbox{\\resizebox{0.9\\dimexpr\\fadjnatural\\relax}{!}"
      "{\\box0}}\\fi\n");
  fadj_buf_puts (w->b, "\\typeout{fadj-diagram shown \\the\\wd0}%\n"
    "\\leavevmode\\box0}\\par\n\\end{frame}\n");
}

void
fadj_deck_display_lines (fadj_buf *out, const char *s, size_t n,
                         double field)
{
  const char *end = s + n, *p, *stop, *next;
  double used = 0;
  int lines = 0;

  fadj_buf_puts (out, "\\begin{align*}\n");
  for (p = s; p < end; p = next)
    {
      double h;
      next = fadj_layout_next_line (&stop, p, end);
      h = fadj_layout_line_height (p, stop, field);
      if (lines > 0 && used + h > DECK_HEIGHT - DECK_DISPLAY_MARGIN)
        {
          fadj_buf_puts (out, "\n\\end{align*}\n\\begin{align*}\n");
          used = 0;
          lines = 0;
        }
      if (lines > 0)
        fadj_buf_puts (out, "\\\\\n");
      fadj_buf_put_mem (out, p, (size_t) (stop - p));
      used += h;
      lines++;
    }
  fadj_buf_puts (out, "\n\\end{align*}\n");
}

void
fadj_deck_display (fadj_writer *w, const char *body)
{
  if (!fadj_writer_ok (w))
    return;
  fadj_buf_reset (w->al);
  fadj_writer_fail (w, fadj_layout_align (w->al, body, strlen (body),
                                          w->width));
  fadj_deck_display_lines (w->b, fadj_buf_data (w->al, NULL),
                           fadj_buf_len (w->al), fadj_writer_field_height (w));
}

void
fadj_deck_progress (fadj_writer *w, size_t fwd, size_t adj)
{
  fadj_latex_reveal rv;
  char title[96];

  if (!w->beamer)
    return;
  memset (&rv, 0, sizeof rv);
  rv.fwd = fwd;
  rv.new_fwd = adj == 0 ? fwd : 0;
  rv.adj = adj > 0 ? adj : w->t->L + 1;
  rv.new_adj = adj;
  rv.seed = adj > 0;
  if (adj > 0)
    snprintf (title, sizeof title,
              _ ("The F-adjoint, layer %zu: the network so far"), adj);
  else
    snprintf (title, sizeof title,
              _ ("F-propagation, layer %zu: the network so far"), fwd);
  fadj_deck_diagram_frame (w, title, adj > 0 ? adj : fwd, &rv);
}

/* The gradient of layer L as the gradients' section prints it, as the
   lines of a display into B: [W | b] with its rule, or W and b apart.  */
static void
put_gradient_lines (fadj_writer *w, fadj_buf *b, size_t l)
{
  const fadj_layer *ly = w->net->layers + l - 1;
  const fadj_mat *g = w->t->grad + l;
  size_t nw = ly->w.cols;
  size_t start;
  int a = 0;

  fadj_buf_printf (b, "\\frac{\\partial J}{\\partial W^{%zu}} &", l);
  start = fadj_buf_len (b);
  if (ly->has_bias && !w->sep)
    fadj_writer_put_mat (w, b, &a, g, NULL, NULL, nw);
  else
    fadj_writer_put_view (w, b, &a, g, 0, nw, 0, 0);
  /* The relation, now that the matrix says whether it is rounded.  */
  fadj_buf_reset (w->tmp);
  fadj_buf_printf (w->tmp, "%s %s", fadj_writer_rel (a),
                   fadj_buf_data (b, NULL) + start);
  fadj_buf_truncate (b, start);
  fadj_buf_puts (b, fadj_buf_data (w->tmp, NULL));
  if (ly->has_bias && w->sep)
    {
      a = 0;
      fadj_buf_reset (w->tmp);
      fadj_writer_put_view (w, w->tmp, &a, g, nw, 1, 0, 0);
      fadj_buf_printf (b, "\\\\\n\\frac{\\partial J}{\\partial b^{%zu}} &%s %s",
                       l, fadj_writer_rel (a), fadj_buf_data (w->tmp, NULL));
    }
}

void
fadj_deck_summary (fadj_writer *w)
{
  const fadj_trace *t = w->t;
  const fadj_check *c = &t->check;
  fadj_buf *lines;
  size_t l;
  int a = 0;

  if (!w->beamer || !fadj_writer_ok (w))
    return;
  lines = fadj_buf_new ();
  if (lines == NULL)
    {
      fadj_writer_fail (w, FADJ_ERR_NOMEM);
      return;
    }
  fadj_writer_section (w, _ ("Summary"));
  fadj_buf_puts (w->b, _ ("The loss: $J "));
  fadj_buf_reset (w->sub);
  fadj_writer_put_num (w, w->sub, &a, t->J);
  fadj_buf_printf (w->b, _ ("%s %s$.\n\nThe gradients, by the two-step "
                           "rule:\n\n"), fadj_writer_rel (a),
                   fadj_buf_data (w->sub, NULL));
  /* One display per layer, so that a tall one continues on the next
     frame.  */
  for (l = 1; l <= t->L; l++)
    {
      fadj_buf_reset (lines);
      put_gradient_lines (w, lines, l);
      fadj_writer_check_scratch (w);
      if (fadj_buf_status (lines) != FADJ_OK)
        fadj_writer_fail (w, FADJ_ERR_NOMEM);
      fadj_deck_display (w, fadj_buf_data (lines, NULL));
    }
  if (c->what == FADJ_Q_DIRECTIONAL)
    fadj_buf_puts (w->b, c->agree
                   ? (t->ctx.domain == FADJ_EXACT
                      ? _ ("\n\nThe check, directional (see the "
                           "verification): the derivative of $J$ along a "
                           "random direction equals the two-step rule's "
                           "gradients projected on it.\n")
                      : _ ("\n\nThe check, directional (see the "
                           "verification): the derivative of $J$ along a "
                           "random direction agrees with the two-step "
                           "rule's gradients projected on it.\n"))
                   : _ ("\n\n\\textbf{The check FAILED}: the derivative "
                        "of $J$ along a random direction disagrees with "
                        "the two-step rule's gradients projected on it "
                        "(see the verification); these values are not "
                        "confirmed.\n"));
  else if (c->agree)
    fadj_buf_printf (w->b, t->ctx.domain == FADJ_EXACT
                     ? _ ("\n\nThe check: the reverse mode agrees exactly "
                          "with the two-step rule on all %zu entries "
                          "compared.\n")
                     : _ ("\n\nThe check: the reverse mode agrees with "
                          "the two-step rule on all %zu entries "
                          "compared.\n"), c->compared);
  else
    fadj_buf_puts (w->b, _ ("\n\n\\textbf{The check FAILED}: the reverse "
                         "mode disagrees with the two-step rule (see the "
                         "verification); these values are not "
                         "confirmed.\n"));
  fadj_buf_free (lines);
}
