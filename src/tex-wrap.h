/* tex-wrap.h -- long lines of a LaTeX or Markdown document broken at
   spaces where a newline means the same (issue 16: pdflatex's input
   buffer holds 200000 characters, and a 1024-wide matrix with
   --max-show=0 is one line of megabytes).  Internal to the programs.  */

#ifndef FADJ_TEX_WRAP_H
#define FADJ_TEX_WRAP_H

#include <stddef.h>

/* Lines are broken at the first safe space past this column.  */
#define FADJ_WRAP_COLUMN 2000

typedef struct
{
  size_t col;           /* characters of the current line so far */
  int nobreak;          /* the line has a comment, or is a Markdown
                           table row or heading: left whole */
  int backslashes;      /* backslashes just before the current byte */
  char prev;            /* the byte before, '\n' at a line's start */
} fadj_wrap_state;

/* A state at the start of a document.  */
void fadj_wrap_init (fadj_wrap_state *s);

/* Break the long lines of DATA (LEN bytes, the next part of the
   document after what S has seen) in place: some spaces become
   newlines, nothing else changes, so LEN stays.  */
void fadj_wrap_chunk (fadj_wrap_state *s, char *data, size_t len);

#endif
