/* parallel.h -- the one thread pool of libfadj: a loop over N
   independent indices split among --jobs POSIX threads, started once
   and joined at exit.  */

#ifndef FADJ_PARALLEL_H
#define FADJ_PARALLEL_H

#include <stddef.h>
#include "fadj.h"

/* The number of threads fadj_parallel_for may use (at least 1; the
   programs set it from --jobs, default the online processors).  */
void fadj_set_jobs (long jobs);
/* --jobs's largest value (threads are cheap, but not free).  */
#define FADJ_MAX_JOBS 1024
long fadj_get_jobs (void);

/* The online processors (sysconf), at least 1: --jobs's default.  */
long fadj_online_processors (void);

/* One chunk of a loop: indices [LO, HI) with CTX.  It must write only
   what belongs to its own indices, and must not print or exit.  */
typedef fadj_status (*fadj_parallel_fn) (size_t lo, size_t hi, void *ctx);

/* Run FN over [0, N) as at most fadj_get_jobs () contiguous chunks,
   taken by the caller and the pool's workers.  Returns FADJ_OK, or
   the status of the first failing chunk in index order: with FN
   stopping at its first failure this is the failure of the lowest
   index, the same for every number of threads.  A thread that cannot
   be started leaves its chunks to the others (the caller takes chunks
   too).  Each chunk runs with the caller's MPFR exponent range, and the
   MPFR flags any chunk raises are raised in the caller when the loop
   returns, as by a serial loop.  */
fadj_status fadj_parallel_for (size_t n, fadj_parallel_fn fn, void *ctx);

/* Run FN over [0, N) in chunks of GRAIN indices (the last one shorter),
   taken in turn by whichever thread is free: for loops whose chunks
   cost unequal times, or that run on loaded cores.  The status as
   fadj_parallel_for's (the first failing chunk in index order).  */
fadj_status fadj_parallel_for_grain (size_t n, size_t grain,
                                     fadj_parallel_fn fn, void *ctx);

/* The index of the calling thread among those that run chunks: 0 for
   the caller of the loop, 1 ... fadj_get_jobs () - 1 for the pool's
   workers.  A chunk may index per-thread state with it (scratch kept
   from chunk to chunk), never anything its results depend on.  */
size_t fadj_parallel_worker (void);

#endif
