/* check_parallel.c -- the worker pool (parallel.c): every index of a
   loop run exactly once for every number of threads, the status of the
   lowest failing chunk whichever thread ran it, a loop inside a chunk
   run in that chunk's thread, and what a worker's chunk takes from the
   caller (MPFR's exponent range) and gives back (MPFR's flags).  The
   chunks allocate nothing through GMP: the counting allocator of
   test-common.c is not for threads.  */

#include "test-common.h"
#include "parallel.h"

#include <mpfr.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

/* The numbers of threads tried.  */
static const long jobs_rows[] = { 1, 2, 3, 7 };

#define N 100

/* Each index counts its visits; chunks FAIL_A and FAIL_B (indices with
   a grain of 1) fail with different statuses, the lower one LIMIT.  */
typedef struct
{
  int visits[N];
  int fail;
} visit_job;

#define FAIL_A 37
#define FAIL_B 71

static fadj_status
visit (size_t lo, size_t hi, void *arg)
{
  visit_job *jb = arg;
  size_t i;

  for (i = lo; i < hi; i++)
    {
      jb->visits[i]++;
      if (jb->fail && i == FAIL_B)
        return FADJ_ERR_NOMEM;
      if (jb->fail && i == FAIL_A)
        return FADJ_ERR_LIMIT;
    }
  return FADJ_OK;
}

START_TEST (test_every_index_once)
{
  visit_job jb;
  size_t i;

  fadj_set_jobs (jobs_rows[_i]);
  memset (&jb, 0, sizeof jb);
  ck_assert_int_eq (fadj_parallel_for (N, visit, &jb), FADJ_OK);
  for (i = 0; i < N; i++)
    ck_assert_int_eq (jb.visits[i], 1);
  memset (&jb, 0, sizeof jb);
  ck_assert_int_eq (fadj_parallel_for_grain (N, 7, visit, &jb), FADJ_OK);
  for (i = 0; i < N; i++)
    ck_assert_int_eq (jb.visits[i], 1);
  ck_assert_int_eq (fadj_parallel_for_grain (0, 7, visit, &jb), FADJ_OK);
  fadj_set_jobs (1);
}
END_TEST

START_TEST (test_lowest_failure)
{
  visit_job jb;

  fadj_set_jobs (jobs_rows[_i]);
  memset (&jb, 0, sizeof jb);
  jb.fail = 1;
  ck_assert_int_eq (fadj_parallel_for_grain (N, 1, visit, &jb),
                    FADJ_ERR_LIMIT);
  fadj_set_jobs (1);
}
END_TEST

/* A loop inside a chunk (which runs it in the chunk's own thread):
   chunk i of the outer loop counts visits[i] through an inner loop of
   one index, which must run in the same thread.  */
typedef struct
{
  int *count;
  size_t worker;
} inner_job;

static fadj_status
inner (size_t lo, size_t hi, void *arg)
{
  inner_job *jb = arg;

  ck_assert_uint_eq (fadj_parallel_worker (), jb->worker);
  *jb->count += (int) (hi - lo);
  return FADJ_OK;
}

static fadj_status
nested (size_t lo, size_t hi, void *arg)
{
  visit_job *jb = arg;
  size_t i;
  fadj_status st = FADJ_OK;

  for (i = lo; i < hi && st == FADJ_OK; i++)
    {
      inner_job in = { jb->visits + i, fadj_parallel_worker () };
      st = fadj_parallel_for_grain (1, 1, inner, &in);
    }
  return st;
}

START_TEST (test_nested)
{
  visit_job jb;
  size_t i;

  fadj_set_jobs (jobs_rows[_i]);
  memset (&jb, 0, sizeof jb);
  ck_assert_int_eq (fadj_parallel_for_grain (N, 3, nested, &jb), FADJ_OK);
  for (i = 0; i < N; i++)
    ck_assert_int_eq (jb.visits[i], 1);
  fadj_set_jobs (1);
}
END_TEST

/* Chunk 0 waits (up to 20 s) until chunk 1 has started: the caller
   takes chunk 0 first, so chunk 1 runs in a worker, which records its
   exponent range and thread and raises the underflow flag.  */
typedef struct
{
  atomic_int started;
  mpfr_exp_t emin, emax;
  size_t worker[2];
} flag_job;

static fadj_status
flag_chunk (size_t lo, size_t hi, void *arg)
{
  flag_job *jb = arg;
  struct timespec ms = { 0, 1000000 };
  int k;

  (void) hi;
  jb->worker[lo] = fadj_parallel_worker ();
  if (lo == 1)
    {
      jb->emin = mpfr_get_emin ();
      jb->emax = mpfr_get_emax ();
      mpfr_set_underflow ();
      atomic_store (&jb->started, 1);
    }
  else
    for (k = 0; k < 20000 && !atomic_load (&jb->started); k++)
      nanosleep (&ms, NULL);
  return FADJ_OK;
}

START_TEST (test_worker_range_and_flags)
{
  mpfr_exp_t emin = mpfr_get_emin (), emax = mpfr_get_emax ();
  flag_job jb;

  memset (&jb, 0, sizeof jb);
  atomic_init (&jb.started, 0);
  fadj_set_jobs (2);
  ck_assert (mpfr_set_emin (-12345) == 0 && mpfr_set_emax (6789) == 0);
  mpfr_clear_flags ();
  ck_assert_int_eq (fadj_parallel_for_grain (2, 1, flag_chunk, &jb),
                    FADJ_OK);
  ck_assert_uint_eq (jb.worker[0], 0);
  ck_assert_uint_ne (jb.worker[1], 0);           /* a worker ran it */
  ck_assert_int_eq (jb.emin, -12345);
  ck_assert_int_eq (jb.emax, 6789);
  ck_assert (mpfr_underflow_p ());               /* handed back */
  ck_assert (!mpfr_overflow_p ());
  mpfr_clear_flags ();
  ck_assert (mpfr_set_emin (emin) == 0 && mpfr_set_emax (emax) == 0);
  fadj_set_jobs (1);
}
END_TEST

int
main (void)
{
  const test_entry tests[] = {
    TEST_CASE ("pool"),
    TEST_EACH (test_every_index_once, jobs_rows),
    TEST_EACH (test_lowest_failure, jobs_rows),
    TEST_EACH (test_nested, jobs_rows),
    TEST_ONCE (test_worker_range_and_flags),
  };

  return test_main ("parallel", tests, sizeof tests / sizeof tests[0]);
}
