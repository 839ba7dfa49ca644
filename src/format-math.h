/* format-math.h -- the mathematics of the writer's LaTeX as Unicode text
   (format-math.c), internal to libfadj: the text format's inline
   formulas and the cells of its matrices on one line, and its displays
   as lines of atoms for the layout of text-layout.h.  */

#ifndef FADJ_FORMAT_MATH_H
#define FADJ_FORMAT_MATH_H

#include "fadj-impl.h"
#include "text-layout.h"

/* Append the math-mode TeX [S, END) to O as Unicode text on one line.  */
void fadj_math_text (fadj_buf *o, const char *s, const char *end);

/* Append the math-mode TeX [S, END), a cell of a display, to L as atoms:
   matrices drawn in two dimensions, \left and \right as stretchy
   delimiters, and a break allowed before each relation, between terms,
   after a comma and between equations.  FADJ_ERR_NOMEM, else FADJ_OK.  */
fadj_status fadj_math_hlist (fadj_hlist *l, const char *s,
                             const char *end) FADJ_WUR;

#endif /* FADJ_FORMAT_MATH_H */
