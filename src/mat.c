/* mat.c -- row-major matrices of fadj numbers.  */

#include "fadj-impl.h"
#include "parallel.h"

#include <stdlib.h>
#include <stdint.h>

/* A matrix of at least ENTRIES_PARALLEL entries has them initialised
   and cleared by the threads, ENTRIES_GRAIN at a time: each is a few
   allocations, and a trace's matrices are a serial part of an audit
   otherwise.  */
#define ENTRIES_PARALLEL 1024
#define ENTRIES_GRAIN 512

/* What entries_init's chunks share.  */
typedef struct
{
  fadj_num_struct *e;
  const fadj_ctx *ctx;
} entries_job;

/* Entries [LO, HI) initialised (fadj_parallel_fn).  */
static fadj_status
entries_init (size_t lo, size_t hi, void *arg)
{
  entries_job *jb = arg;
  size_t k;

  for (k = lo; k < hi; k++)
    fadj_num_init (jb->e + k, jb->ctx);
  return FADJ_OK;
}

/* Entries [LO, HI) of the array ARG cleared (fadj_parallel_fn).  */
static fadj_status
entries_clear (size_t lo, size_t hi, void *arg)
{
  fadj_num_struct *e = arg;
  size_t k;

  for (k = lo; k < hi; k++)
    fadj_num_clear (e + k);
  return FADJ_OK;
}

fadj_status
fadj_mat_init (fadj_mat *m, size_t rows, size_t cols, const fadj_ctx *ctx)
{
  size_t n, k;

  m->rows = m->cols = 0;
  m->e = NULL;
  m->k = NULL;
  m->den = 0;
  m->x = NULL;
  m->base = 0;
  m->written = FADJ_WRITTEN_NONE;
  if (cols != 0 && rows > SIZE_MAX / cols / sizeof (fadj_num_struct))
    return FADJ_ERR_NOMEM;
  n = rows * cols;
  if (n != 0)
    {
      m->e = malloc (n * sizeof *m->e);
      if (m->e == NULL)
        return FADJ_ERR_NOMEM;
    }
  if (n >= ENTRIES_PARALLEL)
    {
      entries_job jb = { m->e, ctx };
      fadj_parallel_for_grain (n, ENTRIES_GRAIN, entries_init, &jb);
    }
  else
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

  if (m->e != NULL && n >= ENTRIES_PARALLEL)
    fadj_parallel_for_grain (n, ENTRIES_GRAIN, entries_clear, m->e);
  else if (m->e != NULL)        /* NULL when compact */
    for (k = 0; k < n; k++)
      fadj_num_clear (m->e + k);
  free (m->e);
  free (m->k);
  free (m->x);
  m->e = NULL;
  m->k = NULL;
  m->x = NULL;
  m->base = 0;
  m->den = 0;
  m->written = FADJ_WRITTEN_NONE;
  m->rows = m->cols = 0;
}

void
fadj_scaled_get_q (mpq_t q, int64_t k, long x, int base)
{
  mpq_set_si (q, (long) k, 1);
  if (x == 0 || k == 0)
    return;
  if (base == 2)
    {
      if (x > 0)
        mpq_mul_2exp (q, q, (mp_bitcnt_t) x);
      else
        mpq_div_2exp (q, q, (mp_bitcnt_t) -x);
      return;
    }
  {
    mpz_t p;
    mpz_init (p);
    mpz_ui_pow_ui (p, 10, (unsigned long) (x > 0 ? x : -x));
    if (x > 0)
      mpz_mul (mpq_numref (q), mpq_numref (q), p);
    else
      {
        mpz_set (mpq_denref (q), p);
        mpq_canonicalize (q);
      }
    mpz_clear (p);
  }
}

void
fadj_mat_get_q (mpq_t q, const fadj_mat *m, size_t k)
{
  if (m->k == NULL)
    {
      mpq_set (q, FADJ_NUM_Q (&m->e[k]));
      return;
    }
  if (m->x != NULL)
    {
      fadj_scaled_get_q (q, m->k[k], m->x[k], m->base);
      return;
    }
  {
    /* Canonical at once: the common factor of two words, without
       mpq_canonicalize's multi-precision gcd and divisions (a third of
       expanding a matrix, as --check=full does).  */
    uint64_t a = m->k[k] < 0 ? -(uint64_t) m->k[k] : (uint64_t) m->k[k];
    uint64_t g = fadj_gcd_u64 (a, m->den);       /* den > 0 */

    mpz_set_ui (mpq_numref (q), (unsigned long) (a / g));
    if (m->k[k] < 0)
      mpz_neg (mpq_numref (q), mpq_numref (q));
    mpz_set_ui (mpq_denref (q), (unsigned long) (m->den / g));
  }
}

int
fadj_mat_exact_p (const fadj_mat *m)
{
  size_t k;

  if (m->k != NULL)
    return 1;
  for (k = 0; k < m->rows * m->cols; k++)
    if (!FADJ_NUM_EXACT_P (m->e + k))
      return 0;
  return 1;
}

fadj_status
fadj_mat_expand (fadj_mat *m)
{
  static const fadj_ctx exact = { .domain = FADJ_EXACT };
  size_t n = m->rows * m->cols, k;
  fadj_num_struct *e;

  if (m->k == NULL)
    return FADJ_OK;
  e = malloc (n * sizeof *e);
  if (e == NULL)
    return FADJ_ERR_NOMEM;
  for (k = 0; k < n; k++)
    {
      fadj_num_init (e + k, &exact);
      fadj_mat_get_q (FADJ_NUM_Q (&e[k]), m, k);
    }
  free (m->k);
  free (m->x);
  m->k = NULL;
  m->x = NULL;
  m->den = 0;
  m->base = 0;
  m->e = e;
  return FADJ_OK;
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
