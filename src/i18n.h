/* i18n.h -- the language of a document's prose: _() and N_() for the
   LaTeX writers, looked up in a catalogue compiled into the program
   (i18n.c); internal to libfadj, not installed.

   The language is chosen by fadj_latex_opts.lang alone, never by the
   locale or the environment, so that a document is byte-identical on
   every machine.  The writer sets it for the document it writes
   (fadj_lang_begin, fadj.h) and restores the previous one when done.  */

#ifndef FADJ_I18N_H
#define FADJ_I18N_H

#include "fadj.h"

/* MSGID in the language of the document being written: its
   translation, or MSGID itself (English, or no translation).  */
const char *fadj_i18n (const char *msgid)
#if defined(__GNUC__)
  __attribute__ ((format_arg (1)))
#endif
  ;

#define _(msgid) fadj_i18n (msgid)
/* A string translated later (in a table), extracted by xgettext.  */
#define N_(msgid) msgid

/* Is the document written in French (its typography: fontenc, spacing)?  */
int fadj_i18n_french_p (void);

#endif
