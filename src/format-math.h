/* format-math.h -- the mathematics of the writer's LaTeX as Unicode text
   (format-math.c), internal to libfadj: the text format's inline
   formulas and the cells of its matrices.  */

#ifndef FADJ_FORMAT_MATH_H
#define FADJ_FORMAT_MATH_H

#include "fadj-impl.h"

/* Append the math-mode TeX [S, END) to O as Unicode text on one line.  */
void fadj_math_text (fadj_buf *o, const char *s, const char *end);

#endif /* FADJ_FORMAT_MATH_H */
