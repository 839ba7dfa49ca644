/* mat.c -- row-major matrices of fadj numbers.  */

#include "fadj-impl.h"

#include <stdlib.h>
#include <stdint.h>

fadj_status
fadj_mat_init (fadj_mat *m, size_t rows, size_t cols, const fadj_ctx *ctx)
{
  size_t n, k;

  m->rows = m->cols = 0;
  m->e = NULL;
  if (cols != 0 && rows > SIZE_MAX / cols / sizeof (fadj_num_struct))
    return FADJ_ERR_NOMEM;
  n = rows * cols;
  if (n != 0)
    {
      m->e = malloc (n * sizeof *m->e);
      if (m->e == NULL)
        return FADJ_ERR_NOMEM;
    }
  for (k = 0; k < n; k++)
    fadj_num_init (m->e + k, ctx);
  m->rows = rows;
  m->cols = cols;
  return FADJ_OK;
}

void
fadj_mat_clear (fadj_mat *m)
{
  size_t k, n = m->rows * m->cols;

  for (k = 0; k < n; k++)
    fadj_num_clear (m->e + k);
  free (m->e);
  m->e = NULL;
  m->rows = m->cols = 0;
}

void
fadj_mat_array_free (fadj_mat *m, size_t n)
{
  size_t k;

  if (m == NULL)
    return;
  for (k = 0; k < n; k++)
    fadj_mat_clear (m + k);
  free (m);
}
