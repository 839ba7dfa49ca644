/* latex-set.c -- a document of several exercises (fadj-explain
   FILE...): the head once (the preamble made for every network of the
   set, its title), then each network's derivation as a numbered section,
   then the end; written part by part, so that each exercise's trace can
   be freed once its section is written.  The derivation itself is
   latex.c's, the same as in the document of one network.  A deck
   (--beamer) has the title frame once, then per exercise a \part and
   its title frame, then the frames of that network's deck.  */

#include "latex-writer.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

/* Append the file name NAME, its control characters as \xNN (a blank
   line in it would end the paragraph, in LaTeX as in Markdown), escaped
   for LaTeX.  */
static void
put_file_name (fadj_buf *b, const char *name)
{
  fadj_buf *tmp = fadj_buf_new ();
  const char *s = NULL;

  if (tmp != NULL)
    {
      fadj_buf_put_ctl_escaped (tmp, name);
      if (fadj_buf_status (tmp) == FADJ_OK)
        s = fadj_buf_data (tmp, NULL);
    }
  if (s == NULL)
    /* Out of memory: an append that no buffer can hold makes B's
       status FADJ_ERR_NOMEM (buf_reserve), which the writer returns.  */
    fadj_buf_put_mem (b, "", SIZE_MAX);
  else
    fadj_buf_put_tex_escaped (b, s);
  fadj_buf_free (tmp);
}

/* Where an exercise comes from: its file NAME (or standard input) and
   the fadj-gen seed that wrote it, when SEEDED; one sentence.  */
static void
put_exercise_source (fadj_buf *b, const char *name, int from_stdin,
                     int seeded, unsigned long seed)
{
  if (from_stdin)
    fadj_buf_puts (b, _ ("Read from standard input"));
  else
    {
      fadj_buf_puts (b, _ ("File \\texttt{"));
      put_file_name (b, name);
      fadj_buf_puts (b, "}");
    }
  if (seeded)
    fadj_buf_printf (b, _ (", written by \\texttt{fadj-gen --seed=%lu}"),
                     seed);
  fadj_buf_puts (b, ".");
}

fadj_status
fadj_latex_write_set_begin (fadj_buf *b, const fadj_trace *t,
                            const fadj_latex_opts *opts,
                            const fadj_net *const *nets, size_t n)
{
  fadj_writer w;
  fadj_status st;

  assert (n > 0);
  st = fadj_writer_init (&w, b, t, opts);
  if (st != FADJ_OK)
    return st;
  w.set = nets;
  w.nset = n;
  fadj_latex_write_preamble (&w, opts->max_show, opts->beamer_theme);
  return fadj_writer_finish (&w);
}

fadj_status
fadj_latex_write_exercise (fadj_buf *b, const fadj_trace *t,
                           const fadj_latex_opts *opts,
                           const fadj_latex_results *res, size_t k,
                           const char *file, int seeded,
                           unsigned long seed)
{
  fadj_writer w;
  fadj_status st;
  size_t start = fadj_buf_len (b), nfields;
  int from_stdin = strcmp (file, "-") == 0;
  const char *name = from_stdin ? _ ("standard input")
                     : strrchr (file, '/') ? strrchr (file, '/') + 1 : file;

  assert (k > 0);
  if ((st = fadj_latex_check_chains (t->net, opts, res)) != FADJ_OK)
    return st;
  st = fadj_writer_init (&w, b, t, opts);
  if (st != FADJ_OK)
    return st;
  if (w.beamer)
    {
      /* A part per exercise, so that a lecture of several networks
         keeps each one's frames together, after a frame of its own:
         the part's title (without beamer's "Part I", the title numbers
         it), the file and the seed.  */
      fadj_buf_printf (b, _ ("\n\\part{Exercise~%zu: "), k);
      if (t->net->title != NULL)
        fadj_buf_put_tex_escaped (b, t->net->title);
      else
        put_file_name (b, name);
      fadj_buf_puts (b, "}\n\\begin{frame}\n\\centering\n"
                     "{\\usebeamerfont{title}\\usebeamercolor[fg]{title}"
                     "\\insertpart\\par}\n\\bigskip\n");
      put_exercise_source (b, name, from_stdin, seeded, seed);
      fadj_buf_puts (b, "\n\\end{frame}\n");
      fadj_latex_write_derivation (&w, opts, res);
      fadj_deck_summary (&w);
      fadj_writer_frame_close (&w);
      fadj_worksheet_finish (&w, start, &nfields);
      return fadj_writer_finish (&w);
    }
  /* A worksheet's exercises are handed out one by one: each from the top
     of a page, in the key too.  */
  if (k > 1 && w.box != FADJ_BOX_NONE)
    fadj_buf_puts (b, "\n\\clearpage\n");
  /* Numbered in its title, not again by LaTeX (\section*, which
     leaves the counters alone): they are set, so that its subsections
     are K.1, K.2, ...  */
  fadj_buf_printf (b, _ ("\n\\section*{Exercise %zu: "), k);
  if (t->net->title != NULL)
    fadj_buf_put_tex_escaped (b, t->net->title);
  else
    put_file_name (b, name);
  fadj_buf_printf (b, "}\n\\setcounter{section}{%zu}"
                   "\\setcounter{subsection}{0}\n\n", k);
  put_exercise_source (b, name, from_stdin, seeded, seed);
  fadj_buf_puts (b, "\\par\n\n");
  /* The body of a document: its sections are the exercise's
     subsections, at the width init chose for OPTS's document.  */
  w.flags |= FADJ_LATEX_FRAGMENT;
  fadj_latex_write_derivation (&w, opts, res);
  /* Each exercise's fields numbered from 1, on the sheet as on the key.  */
  fadj_worksheet_finish (&w, start, &nfields);
  return fadj_writer_finish (&w);
}

fadj_status
fadj_latex_write_set_end (fadj_buf *b, const fadj_latex_opts *opts)
{
  if (!(opts->flags & FADJ_LATEX_FRAGMENT))
    fadj_buf_puts (b, "\n\\end{document}\n");
  return fadj_buf_status (b);
}
