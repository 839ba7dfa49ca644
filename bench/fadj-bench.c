/* fadj-bench.c -- the performance benchmark of fadj-audit (run by
   `make bench').

   For random dense networks (L layers of width n, sigmoid, weights with
   three decimals in [-1, 1], no bias) it reports in one run:
   - the time of `fadj-audit --digits=30 --check=directional -o FILE'
     (the whole process: reading the file, the derivation, the check,
     writing the report);
   - the time of the bare lower bound: 3 L n^2 mpfr_fma at 256 bits in a
     tight loop (the forward product, the backward product and the outer
     product each touch every weight once);
   - their ratio;
   each as wall time and as CPU time (user + system: what the process
   itself spent, which other processes on a shared machine cannot
   inflate), the best of FADJ_BENCH_REPEAT runs (default 3);
   - the peak resident memory of fadj-audit against L n^2 times the size
     of one 256-bit MPFR value (the weights' own size at that precision).
   The exact path gets its own row: a rational 4-layer, 64-wide relu
   network, its time and the number of digits of the largest denominator
   among the exact gradients.

   Usage: fadj-bench [FADJ-AUDIT [N...]]  (default src/fadj-audit, and
   n = 128 256 512 1024).  The seed is fixed (or FADJ_BENCH_SEED), so
   every run audits the same networks.  */

#include "config.h"
#include "fadj-impl.h"          /* fadj_splitmix64 */

#include <errno.h>
#include <mpfr.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t state = 20240601;

static uint64_t
rnd (void)
{
  return fadj_splitmix64 (&state);
}

/* A decimal with three digits in [-1, 1].  */
static void
put_w (FILE *f)
{
  long k = (long) (rnd () % 2001) - 1000;
  fprintf (f, "%s%ld.%03ld ", k < 0 ? "-" : "", labs (k) / 1000,
           labs (k) % 1000);
}

static void
gen (const char *path, int L, int n, const char *act)
{
  FILE *f = fopen (path, "w");
  int l, i, j;

  if (f == NULL)
    {
      perror (path);
      exit (2);
    }
  fprintf (f, "input [");
  for (i = 0; i < n; i++)
    put_w (f);
  fprintf (f, "]\ntarget [");
  for (i = 0; i < n; i++)
    put_w (f);
  fprintf (f, "]\n");
  for (l = 0; l < L; l++)
    {
      fprintf (f, "layer %s\nweights [\n", act);
      for (i = 0; i < n; i++)
        {
          for (j = 0; j < n; j++)
            put_w (f);
          fputc ('\n', f);
        }
      fprintf (f, "]\n");
    }
  fprintf (f, "loss half_squared\n");
  if (fclose (f) != 0)
    {
      perror (path);
      exit (2);
    }
}

static double
now (void)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

/* CPU time of this process so far.  */
static double
cpu_now (void)
{
  struct timespec t;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

/* Run ARGV with stdout to OUT; wall time in *SEC, CPU time (user +
   system) in *CPU, peak RSS in *KB.  */
static int
run (char *const argv[], const char *out, double *sec, double *cpu,
     long *kb)
{
  struct rusage ru;
  int status;
  double t0;
  pid_t pid;

  fflush (stdout);
  t0 = now ();
  pid = fork ();

  if (pid == 0)
    {
      if (freopen (out, "w", stdout) == NULL)
        _exit (127);
      execv (argv[0], argv);
      _exit (127);
    }
  if (pid < 0 || wait4 (pid, &status, 0, &ru) < 0)
    return -1;
  *sec = now () - t0;
  *cpu = (double) ru.ru_utime.tv_sec + 1e-6 * (double) ru.ru_utime.tv_usec
    + (double) ru.ru_stime.tv_sec + 1e-6 * (double) ru.ru_stime.tv_usec;
  *kb = ru.ru_maxrss;
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* The bare lower bound: 3 L n^2 mpfr_fma at 256 bits over the weights;
   wall time returned, CPU time in *CPU.  */
static double
fma_bound_here (int L, int n, double *cpu)
{
  size_t N = (size_t) L * n * n, k;
  mpfr_t *w = malloc (N * sizeof *w), x, acc;
  double t0, c0, t;
  int rep;

  for (k = 0; k < N; k++)
    {
      mpfr_init2 (w[k], 256);
      mpfr_set_si (w[k], (long) (rnd () % 2001) - 1000, MPFR_RNDN);
      mpfr_div_ui (w[k], w[k], 1000, MPFR_RNDN);
    }
  mpfr_inits2 (256, x, acc, (mpfr_ptr) 0);
  mpfr_set_ui (x, 2, MPFR_RNDN);
  mpfr_sqrt (x, x, MPFR_RNDN);
  mpfr_set_ui (acc, 0, MPFR_RNDN);
  t0 = now ();
  c0 = cpu_now ();
  for (rep = 0; rep < 3; rep++)
    for (k = 0; k < N; k++)
      mpfr_fma (acc, w[k], x, acc, MPFR_RNDN);
  t = now () - t0;
  *cpu = cpu_now () - c0;
  for (k = 0; k < N; k++)
    mpfr_clear (w[k]);
  free (w);
  mpfr_clears (x, acc, (mpfr_ptr) 0);
  return t;
}

/* fma_bound_here in a child process, the times sent back through a
   pipe: the benchmark's own process then never holds the L n^2 MPFR
   weights, and the fadj-audit processes it forks do not start from a
   copy of them (a fork's copy of the parent's pages counts in the
   child's peak RSS, and its teardown at exec in the child's time).  */
static double
fma_bound (int L, int n, double *cpu)
{
  double r[2] = { -1, -1 };
  int fd[2], status;
  pid_t pid;

  if (pipe (fd) != 0)
    {
      perror ("pipe");
      exit (2);
    }
  fflush (stdout);
  pid = fork ();
  if (pid == 0)
    {
      close (fd[0]);
      r[0] = fma_bound_here (L, n, &r[1]);
      if (write (fd[1], r, sizeof r) != (ssize_t) sizeof r)
        _exit (1);
      _exit (0);
    }
  close (fd[1]);
  if (pid < 0 || read (fd[0], r, sizeof r) != (ssize_t) sizeof r
      || waitpid (pid, &status, 0) < 0 || status != 0)
    {
      fprintf (stderr, "fadj-bench: the fma loop failed\n");
      exit (2);
    }
  close (fd[0]);
  *cpu = r[1];
  return r[0];
}

/* Digits of the largest denominator in a CSV report of exact values.  */
static size_t
max_den_digits (const char *path)
{
  FILE *f = fopen (path, "r");
  char line[1 << 16];
  size_t best = 0;

  if (f == NULL)
    return 0;
  while (fgets (line, sizeof line, f))
    {
      char *slash = strchr (line, '/');
      if (slash != NULL)
        {
          size_t k = strspn (slash + 1, "0123456789");
          if (k > best)
            best = k;
        }
    }
  fclose (f);
  return best;
}

int
main (int argc, char **argv)
{
  char *audit = argc > 1 ? argv[1] : "src/fadj-audit";
  static const int def_n[] = { 128, 256, 512, 1024 };
  char dir[] = "/tmp/fadj-bench-XXXXXX", net[64], out[64];
  const int L = 3;
  const double mpfr_size = sizeof (__mpfr_struct) + 256 / 8;
  int k, count = argc > 2 ? argc - 2 : 4;
  char *env = getenv ("FADJ_BENCH_SEED");
  char *renv = getenv ("FADJ_BENCH_REPEAT");
  int repeat = renv != NULL && atoi (renv) > 0 ? atoi (renv) : 3;

  if (env != NULL)
    state = strtoull (env, NULL, 10);
  if (mkdtemp (dir) == NULL)
    {
      perror ("mkdtemp");
      return 2;
    }
  snprintf (net, sizeof net, "%s/net", dir);
  snprintf (out, sizeof out, "%s/out", dir);
  printf ("fadj-audit --digits=30 --check=directional on A[n, ..., n], "
          "L = %d sigmoid layers (seed %llu)\n\n", L,
          (unsigned long long) (env ? strtoull (env, NULL, 10) : 20240601));
  printf ("times: wall seconds, and CPU seconds (user + system) in "
          "parentheses;\nthe best of %d runs each (FADJ_BENCH_REPEAT)\n\n",
          repeat);
  printf ("%6s %9s %17s %17s %13s %9s %8s %7s\n", "n", "weights",
          "audit s", "3Ln^2 fma s", "ratio", "peak MiB", "weights",
          "memory");
  for (k = 0; k < count; k++)
    {
      int n = argc > 2 ? atoi (argv[k + 2]) : def_n[k], st, r;
      /* -o: the report goes to its file as it is produced (on stdout
         it is held whole until the end, see fadj-audit(1)).  */
      char *args[] = { audit, "--digits=30", "--check=directional", "-o",
                       out, net, NULL };
      double ta = 0, ca = 0, tb = 0, cb = 0, w;
      long kb = 0;

      gen (net, L, n, "sigmoid");
      /* The best of REPEAT runs: on a shared machine the other processes
         only ever add time.  */
      for (r = 0; r < repeat; r++)
        {
          double t, c;
          long m;
          st = run (args, "/dev/null", &t, &c, &m);
          if (st != 0)
            {
              fprintf (stderr, "fadj-bench: %s exited with %d\n", audit,
                       st);
              return 1;
            }
          if (r == 0 || t < ta)
            ta = t;
          if (r == 0 || c < ca)
            ca = c;
          if (m > kb)
            kb = m;
          t = fma_bound (L, n, &c);
          if (r == 0 || t < tb)
            tb = t;
          if (r == 0 || c < cb)
            cb = c;
        }
      w = (double) L * n * n * mpfr_size;
      printf ("%6d %9ld %8.3f (%6.3f) %8.3f (%6.3f) %5.2f (%5.2f) %9.1f "
              "%8.1f %7.2f\n", n, (long) L * n * n, ta, ca, tb, cb, ta / tb,
              ca / cb, kb / 1024.0, w / (1 << 20), kb * 1024.0 / w);
      fflush (stdout);
    }

  /* The exact path.  */
  {
    char *args[] = { audit, "--format=csv", net, NULL };
    double ta, ca;
    long kb;
    int st;

    gen (net, 4, 64, "relu");
    st = run (args, out, &ta, &ca, &kb);
    if (st != 0)
      {
        fprintf (stderr, "fadj-bench: %s exited with %d\n", audit, st);
        return 1;
      }
    printf ("\nexact path: rational A[64, 64, 64, 64, 64], 4 relu layers: "
            "%.3f s (%.3f), peak %.1f MiB,\nlargest denominator of a "
            "gradient entry: %zu digits\n", ta, ca, kb / 1024.0,
            max_den_digits (out));
  }
  unlink (net);
  unlink (out);
  rmdir (dir);
  return 0;
}
