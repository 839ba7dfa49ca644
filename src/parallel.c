/* parallel.c -- fadj_parallel_for (parallel.h).

   Why the output cannot depend on the number of threads: each chunk
   writes only its own indices, and nothing is reduced across chunks.
   GMP, MPFR and MPFI are safe with one set of variables per thread;
   MPFR's exponent range is per thread (thread-local in a TLS build), so
   each worker takes the caller's before it starts, and frees MPFR's
   per-thread caches (mpfr_free_cache, fadj_decimal_free_cache) before
   it ends.  */

#include "config.h"
#include "parallel.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <mpfr.h>

static long fadj_jobs = 1;

void
fadj_set_jobs (long jobs)
{
  fadj_jobs = jobs < 1 ? 1 : jobs;
}

long
fadj_get_jobs (void)
{
  return fadj_jobs;
}

long
fadj_online_processors (void)
{
  long n = sysconf (_SC_NPROCESSORS_ONLN);

  return n < 1 ? 1 : n;
}

typedef struct
{
  fadj_parallel_fn fn;
  void *ctx;
  size_t lo, hi;
  mpfr_exp_t emin, emax;
  fadj_status st;
} chunk;

static void *
run_chunk (void *arg)
{
  chunk *c = arg;

  mpfr_set_emin (c->emin);
  mpfr_set_emax (c->emax);
  c->st = c->fn (c->lo, c->hi, c->ctx);
  mpfr_free_cache ();
  fadj_decimal_free_cache ();
  return NULL;
}

fadj_status
fadj_parallel_for (size_t n, fadj_parallel_fn fn, void *ctx)
{
  size_t k, nc = (size_t) fadj_jobs;
  chunk *c;
  pthread_t *tid;
  unsigned char *started;
  fadj_status st = FADJ_OK;

  if (nc > n)
    nc = n;
  if (nc <= 1)
    return n == 0 ? FADJ_OK : fn (0, n, ctx);
  c = malloc (nc * sizeof *c);
  tid = malloc (nc * sizeof *tid);
  started = calloc (nc, 1);
  if (c == NULL || tid == NULL || started == NULL)
    {
      free (c);
      free (tid);
      free (started);
      return fn (0, n, ctx);
    }
  for (k = 0; k < nc; k++)
    {
      c[k].fn = fn;
      c[k].ctx = ctx;
      c[k].lo = n / nc * k + (k < n % nc ? k : n % nc);
      c[k].hi = c[k].lo + n / nc + (k < n % nc);
      c[k].emin = mpfr_get_emin ();
      c[k].emax = mpfr_get_emax ();
      c[k].st = FADJ_OK;
      if (k > 0)
        started[k] = pthread_create (tid + k, NULL, run_chunk, c + k) == 0;
    }
  c[0].st = fn (c[0].lo, c[0].hi, ctx);
  for (k = 1; k < nc; k++)
    if (started[k])
      pthread_join (tid[k], NULL);
    else
      c[k].st = fn (c[k].lo, c[k].hi, ctx);
  for (k = 0; k < nc && st == FADJ_OK; k++)
    st = c[k].st;
  free (c);
  free (tid);
  free (started);
  return st;
}
