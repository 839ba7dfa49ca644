/* parallel.c -- the worker pool of fadj_parallel_for (parallel.h).

   Why the output cannot depend on the number of threads: each chunk
   writes only its own indices, nothing is reduced across chunks, and
   the status returned is that of the lowest failing chunk, whichever
   thread ran it.  GMP, MPFR and MPFI are safe with one set of
   variables per thread; MPFR's exponent range and its flags are per
   thread (thread-local in a TLS build), so a worker takes the caller's
   range with each chunk and hands the flags its chunks raised back to
   the caller (who tests, say, mpfr_overflow_p after the loop as after a
   serial one), and frees MPFR's per-thread caches (mpfr_free_cache)
   and the decimal powers' (fadj_decimal_free_cache) before it ends.

   The pool: the workers are started by the first loop that wants them
   (more by a later one that wants more) and live until the program
   exits (an atexit handler stops and joins them), waiting on a
   condition variable in between: starting threads per loop cost more
   than the loops of the audit's entries earn.  Everything the workers
   share is read and written under one mutex; a chunk is taken under it
   and run outside it, by whichever thread comes first (the caller
   takes chunks too), so a loaded core slows only the chunks it runs.
   One thread calls fadj_parallel_for at a time (the programs' main
   thread); a call from inside a chunk runs in its own thread.  */

#include "config.h"
#include "parallel.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <mpfr.h>

static long fadj_jobs = 1;

void
fadj_set_jobs (long jobs)
{
  fadj_jobs = jobs < 1 ? 1 : jobs > FADJ_MAX_JOBS ? FADJ_MAX_JOBS : jobs;
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

/* The pool and the loop it runs (NCHUNKS 0: none).  */
static struct
{
  pthread_mutex_t mu;
  pthread_cond_t work;          /* a chunk to take, or QUIT */
  pthread_cond_t done;          /* the loop's last chunk finished */
  pthread_t tid[FADJ_MAX_JOBS];
  size_t nthreads;              /* workers started: ids 1 .. NTHREADS */
  int quit, registered;
  /* The loop.  */
  fadj_parallel_fn fn;
  void *ctx;
  size_t n, grain;              /* GRAIN 0: NCHUNKS balanced chunks */
  size_t nchunks, next, finished;
  size_t width;                 /* the ids below it take chunks */
  mpfr_exp_t emin, emax;
  size_t fail_k;                /* the lowest failing chunk, or SIZE_MAX */
  fadj_status fail_st;
  mpfr_flags_t flags;           /* raised by the workers' chunks */
} pool = { .mu = PTHREAD_MUTEX_INITIALIZER,
           .work = PTHREAD_COND_INITIALIZER,
           .done = PTHREAD_COND_INITIALIZER };

/* This thread's index: 0 for the caller, 1 ... for the workers.  */
static _Thread_local size_t worker_id;
/* This thread is running a chunk: a loop inside it runs here.  */
static _Thread_local int in_chunk;

size_t
fadj_parallel_worker (void)
{
  return worker_id;
}

/* Chunk K's indices [*LO, *HI).  */
static void
chunk_bounds (size_t *lo, size_t *hi, size_t k)
{
  size_t n = pool.n, nc = pool.nchunks;

  if (pool.grain != 0)
    {
      *lo = k * pool.grain;
      *hi = n - *lo < pool.grain ? n : *lo + pool.grain;
    }
  else
    {
      *lo = n / nc * k + (k < n % nc ? k : n % nc);
      *hi = *lo + n / nc + (k < n % nc);
    }
}

/* Take and run chunks of the loop until none is left; called and
   returns with the mutex held.  */
static void
run_chunks (void)
{
  while (pool.next < pool.nchunks && worker_id < pool.width)
    {
      size_t k = pool.next++, lo, hi;
      fadj_parallel_fn fn = pool.fn;
      void *ctx = pool.ctx;
      fadj_status st;

      chunk_bounds (&lo, &hi, k);
      if (worker_id != 0)
        {
          mpfr_set_emin (pool.emin);
          mpfr_set_emax (pool.emax);
          mpfr_clear_flags ();
        }
      pthread_mutex_unlock (&pool.mu);
      in_chunk = 1;
      st = fn (lo, hi, ctx);
      in_chunk = 0;
      pthread_mutex_lock (&pool.mu);
      if (worker_id != 0)
        pool.flags |= mpfr_flags_save ();
      if (st != FADJ_OK && k < pool.fail_k)
        {
          pool.fail_k = k;
          pool.fail_st = st;
        }
      if (++pool.finished == pool.nchunks)
        pthread_cond_signal (&pool.done);
    }
}

static void *
worker_main (void *arg)
{
  worker_id = (size_t) (uintptr_t) arg;
  pthread_mutex_lock (&pool.mu);
  for (;;)
    {
      while (!pool.quit
             && !(pool.next < pool.nchunks && worker_id < pool.width))
        pthread_cond_wait (&pool.work, &pool.mu);
      if (pool.quit)
        break;
      run_chunks ();
    }
  pthread_mutex_unlock (&pool.mu);
  mpfr_free_cache ();
  fadj_decimal_free_cache ();
  return NULL;
}

/* At exit: stop the workers and wait for them (each frees its MPFR
   caches), so that nothing of theirs is left to leak checkers.  */
static void
pool_stop (void)
{
  size_t k;

  pthread_mutex_lock (&pool.mu);
  pool.quit = 1;
  pthread_cond_broadcast (&pool.work);
  pthread_mutex_unlock (&pool.mu);
  for (k = 0; k < pool.nthreads; k++)
    pthread_join (pool.tid[k], NULL);
  pool.nthreads = 0;
}

/* Start workers up to ids WANT - 1 (fewer if the system refuses: the
   chunks are then taken by the threads there are).  Mutex held.  */
static void
pool_grow (size_t want)
{
  if (!pool.registered)
    {
      if (atexit (pool_stop) != 0)
        return;                 /* no workers that could not be joined */
      pool.registered = 1;
    }
  while (pool.nthreads + 1 < want)
    {
      void *id = (void *) (uintptr_t) (pool.nthreads + 1);
      if (pthread_create (pool.tid + pool.nthreads, NULL, worker_main, id)
          != 0)
        break;
      pool.nthreads++;
    }
}

/* The loop of N indices as NCHUNKS chunks (GRAIN as in POOL).  */
static fadj_status
pool_run (size_t n, size_t grain, size_t nchunks, fadj_parallel_fn fn,
          void *ctx)
{
  size_t width = (size_t) fadj_jobs < nchunks ? (size_t) fadj_jobs : nchunks;
  fadj_status st;

  if (width <= 1 || in_chunk)
    return n == 0 ? FADJ_OK : fn (0, n, ctx);
  pthread_mutex_lock (&pool.mu);
  pool_grow (width);
  pool.fn = fn;
  pool.ctx = ctx;
  pool.n = n;
  pool.grain = grain;
  pool.nchunks = nchunks;
  pool.next = pool.finished = 0;
  pool.width = width;
  pool.emin = mpfr_get_emin ();
  pool.emax = mpfr_get_emax ();
  pool.fail_k = SIZE_MAX;
  pool.fail_st = FADJ_OK;
  pool.flags = 0;
  pthread_cond_broadcast (&pool.work);
  run_chunks ();
  while (pool.finished < pool.nchunks)
    pthread_cond_wait (&pool.done, &pool.mu);
  st = pool.fail_st;
  mpfr_flags_set (pool.flags);
  pool.nchunks = pool.next = 0;
  pthread_mutex_unlock (&pool.mu);
  return st;
}

fadj_status
fadj_parallel_for (size_t n, fadj_parallel_fn fn, void *ctx)
{
  size_t nc = (size_t) fadj_jobs;

  return pool_run (n, 0, nc < n ? nc : n, fn, ctx);
}

fadj_status
fadj_parallel_for_grain (size_t n, size_t grain, fadj_parallel_fn fn,
                         void *ctx)
{
  if (grain == 0)
    grain = 1;
  return pool_run (n, grain, n / grain + (n % grain != 0), fn, ctx);
}
