/* parallel.h -- the one thread pool of libfadj: a loop over N
   independent indices split among --jobs POSIX threads.  */

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

/* Run FN over [0, N) as at most fadj_get_jobs () contiguous chunks, one
   per thread (the calling thread takes the first).  Returns FADJ_OK, or
   the status of the first failing chunk in index order: with FN
   stopping at its first failure this is the failure of the lowest
   index, the same for every number of threads.  A thread that cannot
   be started has its chunk run by the caller.  */
fadj_status fadj_parallel_for (size_t n, fadj_parallel_fn fn, void *ctx);

#endif
