/* tex-scan.h -- a scanner of the LaTeX that fadj writes, internal to
   libfadj: one definition of a brace group, a command name, an
   environment's extent, a command's argument and the cells of a matrix
   or a table, for the translation to Markdown and text (format.c,
   format-math.c) and for the width estimate of line breaking
   (latex-number.c).

   Every function takes the text as [S, END) and never reads at or past
   END; a construct left open runs to END.  */

#ifndef FADJ_TEX_SCAN_H
#define FADJ_TEX_SCAN_H

#include <stddef.h>

/* Whether C is an ASCII letter: the characters of a command's name.  */
int fadj_tex_letter_p (char c);

/* Whether [S, END) starts with WORD.  */
int fadj_tex_prefix_p (const char *s, const char *end, const char *word);

/* Whether the command [S, E) (as fadj_tex_command_end cuts it) is
   \NAME, NAME given without its backslash.  */
int fadj_tex_command_p (const char *s, const char *e, const char *name);

/* End of the brace group opening at S (*S == '{'): the byte after its
   matching '}', or END.  A backslash escapes the byte after it.  */
const char *fadj_tex_group_end (const char *s, const char *end);

/* S points at a backslash: the end of the command name after it (one
   byte for a control symbol such as \{ \| \, \\).  */
const char *fadj_tex_command_end (const char *s, const char *end);

/* The matching \end{...} of the environment whose body starts at S: the
   position of its backslash, or END.  */
const char *fadj_tex_env_end (const char *s, const char *end);

/* After the \end{name} at STOP (a result of fadj_tex_env_end): the byte
   after its group, or END when STOP is END.  */
const char *fadj_tex_env_close (const char *stop, const char *end);

/* The argument of a command after S (spaces skipped): the inside of a
   brace group, a command, or one character, as [*A, *B).  Returns the
   position after it.  */
const char *fadj_tex_argument (const char **a, const char **b, const char *s,
                               const char *end);

/* The cells of a matrix, a table or an align* body [S, END): split at &
   and \\ outside groups and nested environments, FN called with each
   cell's extent, its row and its column (from 0).  */
typedef void (*fadj_tex_cell_fn) (void *arg, const char *a, const char *b,
                                  size_t row, size_t col);
void fadj_tex_split_cells (const char *s, const char *end,
                           fadj_tex_cell_fn fn, void *arg);

/* The column specification of a tabular or an array at S ({lc|r},
   {@{}*{12}{c}|c@{}}): the number of columns in *NCOLS, the column after the last rule in *BAR
   (left as it was if there is no rule).  Returns the position after it.  */
const char *fadj_tex_column_spec (size_t *ncols, size_t *bar, const char *s,
                                  const char *end);

#endif /* FADJ_TEX_SCAN_H */
