/* fadj-bench.c -- the performance benchmark of fadj-audit (run by
   `make bench').

   For random dense networks (L layers of width n, sigmoid, weights with
   three decimals in [-1, 1], no bias; m samples) it reports in one run:
   - the time of `fadj-audit --digits=30 --check=directional -o FILE'
     (the whole process: reading the file, the derivation, the check,
     writing the report), for n = 128 ... 2048 with one sample, and for
     n = 256 and 512 with m = 1, 8 and 64 samples;
   - the time of the bare lower bounds of one sample, each weight touched
     three times (the forward product, the backward product and the outer
     product): 3 L n^2 mpfr_fma at 256 bits in a tight loop, and, when
     Arb is installed (configure: HAVE_ARB), 3 L n arb_dot of length n at
     the audit's own working precision (163 bits at 30 digits); for m
     samples a bound is m times that of one sample (m independent passes:
     the bound has no per-batch part), measured in the same run;
   - the ratios of the audit's median to the bounds' medians;
   - for the batches, the audit's cost per extra sample, (t(m) - t(1)) /
     (m - 1), against the bounds' cost per sample;
   each as CPU time (user + system: what the process itself spent, which
   other processes on a shared machine cannot inflate; the audit's wall
   time is shown too), the minimum, median and maximum of
   FADJ_BENCH_REPEAT runs (default 5);
   - the peak resident memory of fadj-audit against L n^2 times the size
     of one 256-bit MPFR value (the weights' own size at that precision).
   A threads table: n = 512 (or the last N given) with m = 8 at
   --jobs=1, 2 and up to the online processors, wall and CPU time and
   the wall-time speedup over --jobs=1.
   The exact path gets its own row: a rational 4-layer, 64-wide relu
   network, its time and the number of digits of the largest denominator
   among the exact gradients.  Then the checks on one
   network, 3 sigmoid layers of width 128: --check=none, directional and
   full (the scalar graph's reverse mode), and the ratio of full to
   directional; then, on the same network, fadj-audit at its default
   settings (30 digits, the full check, the report on standard output)
   against a plain, uncertified mpmath gradient at 128 bits
   (bench/mpmath-grad.py: the time of its process and of the gradient
   alone), and, not timed, mpmath's gradient compared with the audit's
   digits; the rows are skipped, saying why, without Python's mpmath.
   The header gives the online processors and the load average, at the
   start and at the end.

   Usage: fadj-bench [FADJ-AUDIT [N...]]  (default src/fadj-audit, and
   n = 128 256 512 1024 2048; with N given, the batch rows are those N
   that are 256 or 512).  The seed is fixed (or FADJ_BENCH_SEED), so
   every run audits the same networks.  FADJ_BENCH_PYTHON names the
   Python (default python3), FADJ_BENCH_MPMATH the script (default
   bench/mpmath-grad.py; `make bench' sets both).  */

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

#ifdef HAVE_ARB
#include <arb.h>
#endif

/* fadj-audit's working precision at --digits=30 (its first Ziv step),
   the precision of the arb_dot bound.  */
#define AUDIT_PREC 163
#define MAX_REPEAT 101

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

/* A vector of N random decimals, comma-separated.  */
static void
put_vec (FILE *f, int n)
{
  int i;
  for (i = 0; i < n; i++)
    {
      put_w (f);
      if (i + 1 < n)
        fputs (", ", f);
    }
}

/* The network file PATH: L layers of width N with activation ACT, one
   sample ('input', 'target') or M samples ('sample ... -> ...', their
   losses summed).  */
static void
gen (const char *path, int L, int n, int m, const char *act)
{
  FILE *f = fopen (path, "w");
  int l, i, j, s;

  if (f == NULL)
    {
      perror (path);
      exit (2);
    }
  if (m == 1)
    {
      fprintf (f, "input [");
      for (i = 0; i < n; i++)
        put_w (f);
      fprintf (f, "]\ntarget [");
      for (i = 0; i < n; i++)
        put_w (f);
      fprintf (f, "]\n");
    }
  else
    {
      for (s = 0; s < m; s++)
        {
          fprintf (f, "sample [");
          put_vec (f, n);
          fprintf (f, "] -> [");
          put_vec (f, n);
          fprintf (f, "]\n");
        }
      fprintf (f, "batch sum\n");
    }
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

/* Run ARGV (its program looked up in PATH unless it has a '/') with
   stdout to OUT; wall time in *SEC, CPU time (user +
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
      execvp (argv[0], argv);     /* a path (fadj-audit) or python3 */
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

#ifdef HAVE_ARB
/* The Arb lower bound: 3 L n arb_dot of length n at AUDIT_PREC over the
   weights (as arbs: k/1000 is not dyadic, so each has its radius) and a
   vector of enclosures (square roots, with radii, like the audit's
   X); wall time returned, CPU time in *CPU.  */
static double
arb_bound_here (int L, int n, double *cpu)
{
  size_t N = (size_t) L * n * n, k;
  arb_ptr w = _arb_vec_init ((slong) N), x = _arb_vec_init (n);
  arb_t acc;
  double t0, c0, t;
  int rep, l, i;

  for (k = 0; k < N; k++)
    {
      arb_set_si (w + k, (slong) (rnd () % 2001) - 1000);
      arb_div_ui (w + k, w + k, 1000, AUDIT_PREC);
    }
  for (i = 0; i < n; i++)
    {
      arb_set_ui (x + i, (ulong) i + 2);
      arb_sqrt (x + i, x + i, AUDIT_PREC);
      arb_mul_2exp_si (x + i, x + i, -5);
    }
  arb_init (acc);
  t0 = now ();
  c0 = cpu_now ();
  for (rep = 0; rep < 3; rep++)
    for (l = 0; l < L; l++)
      for (i = 0; i < n; i++)
        arb_dot (acc, NULL, 0, w + ((size_t) l * n + i) * n, 1, x, 1, n,
                 AUDIT_PREC);
  t = now () - t0;
  *cpu = cpu_now () - c0;
  arb_clear (acc);
  _arb_vec_clear (w, (slong) N);
  _arb_vec_clear (x, n);
  flint_cleanup ();
  return t;
}
#endif

/* A bound (fma_bound_here, arb_bound_here) in a child process, the times
   sent back through a pipe: the benchmark's own process then never
   holds the L n^2 weights, and the fadj-audit processes it forks do not
   start from a copy of them (a fork's copy of the parent's pages counts
   in the child's peak RSS, and its teardown at exec in the child's
   time).  */
static double
bound_in_child (double (*here) (int, int, double *), int L, int n,
                double *cpu)
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
      r[0] = here (L, n, &r[1]);
      if (write (fd[1], r, sizeof r) != (ssize_t) sizeof r)
        _exit (1);
      _exit (0);
    }
  close (fd[1]);
  if (pid < 0 || read (fd[0], r, sizeof r) != (ssize_t) sizeof r
      || waitpid (pid, &status, 0) < 0 || status != 0)
    {
      fprintf (stderr, "fadj-bench: a bound's loop failed\n");
      exit (2);
    }
  close (fd[0]);
  *cpu = r[1];
  return r[0];
}

/* The minimum, median and maximum of the N values V (sorted in place).  */
typedef struct
{
  double min, med, max;
} spread;

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static spread
spread_of (double *v, int n)
{
  spread r;

  qsort (v, (size_t) n, sizeof *v, cmp_double);
  r.min = v[0];
  r.max = v[n - 1];
  r.med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  return r;
}

/* The measurements of one row: REPEAT runs of the audit of L x N with M
   samples, and of the one-sample bounds (times M), alternated so that a
   burst of load on a shared machine falls on both.  */
typedef struct
{
  int n, m;
  spread wall, cpu, fma, arb;
  long kb;
} row;

static row
measure (const char *audit, const char *net, const char *out, int L, int n,
         int m, int repeat)
{
  double wall[MAX_REPEAT], cpu[MAX_REPEAT], fma[MAX_REPEAT],
    arb[MAX_REPEAT];
  /* -o: the report goes to its file as it is produced (on stdout it is
     held whole until the end, see fadj-audit(1)).  */
  char *args[] = { (char *) audit, "--digits=30", "--check=directional",
                   "-o", (char *) out, (char *) net, NULL };
  row r;
  int k;

  r.n = n;
  r.m = m;
  r.kb = 0;
  gen (net, L, n, m, "sigmoid");
  for (k = 0; k < repeat; k++)
    {
      long kb;
      int st = run (args, "/dev/null", wall + k, cpu + k, &kb);

      if (st != 0)
        {
          fprintf (stderr, "fadj-bench: %s exited with %d\n", audit, st);
          exit (1);
        }
      if (kb > r.kb)
        r.kb = kb;
      (void) bound_in_child (fma_bound_here, L, n, fma + k);
      fma[k] *= m;
#ifdef HAVE_ARB
      (void) bound_in_child (arb_bound_here, L, n, arb + k);
      arb[k] *= m;
#else
      arb[k] = 0;
#endif
    }
  r.wall = spread_of (wall, repeat);
  r.cpu = spread_of (cpu, repeat);
  r.fma = spread_of (fma, repeat);
  r.arb = spread_of (arb, repeat);
  return r;
}

static void
print_head (void)
{
  printf ("%5s %3s %9s %8s %23s %23s %6s", "n", "m", "weights",
          "wall med", "audit CPU min/med/max", "fma CPU min/med/max",
          "ratio");
#ifdef HAVE_ARB
  printf (" %23s %6s", "arb_dot CPU min/med/max", "ratio");
#endif
  printf (" %8s %6s\n", "peak MiB", "memory");
}

static void
print_row (const row *r, int L)
{
  const double mpfr_size = sizeof (__mpfr_struct) + 256 / 8;
  double w = (double) L * r->n * r->n * mpfr_size;

  printf ("%5d %3d %9ld %8.3f %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f %6.2f",
          r->n, r->m, (long) L * r->n * r->n, r->wall.med, r->cpu.min,
          r->cpu.med, r->cpu.max, r->fma.min, r->fma.med, r->fma.max,
          r->cpu.med / r->fma.med);
#ifdef HAVE_ARB
  printf (" %7.3f %7.3f %7.3f %6.2f", r->arb.min, r->arb.med, r->arb.max,
          r->cpu.med / r->arb.med);
#endif
  printf (" %8.1f %6.2f\n", r->kb / 1024.0, r->kb * 1024.0 / w);
  fflush (stdout);
}

/* The audit's CPU cost per extra sample from the rows ONE (m = 1) and R
   (m > 1), medians, against the bounds' per sample.  */
static void
print_per_sample (const row *one, const row *r)
{
  double extra = (r->cpu.med - one->cpu.med) / (r->m - 1);

  printf ("  n = %d, m = %d: audit %.4f s per extra sample; fma bound "
          "%.4f (ratio %.2f)", r->n, r->m, extra, one->fma.med,
          extra / one->fma.med);
#ifdef HAVE_ARB
  printf ("; arb_dot bound %.4f (ratio %.2f)", one->arb.med,
          extra / one->arb.med);
#endif
  printf ("\n");
}

/* REPEAT runs of `fadj-audit --digits=30 OPT1 [OPT2] -o OUT NET' (OPT2
   may be NULL): their wall and CPU times (either may be NULL); exits on
   a failed run.  */
static void
audit_runs (const char *audit, const char *opt1, const char *opt2,
            const char *net, const char *out, int repeat, spread *wall_s,
            spread *cpu_s)
{
  char *args[8];
  double wall[MAX_REPEAT], cpu[MAX_REPEAT];
  long kb;
  int k, n = 0;

  args[n++] = (char *) audit;
  args[n++] = "--digits=30";
  args[n++] = (char *) opt1;
  if (opt2 != NULL)
    args[n++] = (char *) opt2;
  args[n++] = "-o";
  args[n++] = (char *) out;
  args[n++] = (char *) net;
  args[n] = NULL;

  for (k = 0; k < repeat; k++)
    {
      int st = run (args, "/dev/null", wall + k, cpu + k, &kb);
      if (st != 0)
        {
          fprintf (stderr, "fadj-bench: %s %s%s%s exited with %d\n", audit,
                   opt1, opt2 ? " " : "", opt2 ? opt2 : "", st);
          exit (1);
        }
    }
  if (wall_s != NULL)
    *wall_s = spread_of (wall, repeat);
  if (cpu_s != NULL)
    *cpu_s = spread_of (cpu, repeat);
}

/* The CPU time of `fadj-audit --digits=30 --check=CHECK -o OUT NET',
   REPEAT runs (at the default --jobs).  */
static spread
check_cpu (const char *audit, const char *net, const char *out,
           const char *check, int repeat)
{
  char opt[32];
  spread cpu;

  snprintf (opt, sizeof opt, "--check=%s", check);
  audit_runs (audit, opt, NULL, net, out, repeat, NULL, &cpu);
  return cpu;
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

/* The load average (1, 5 and 15 minutes) on stdout, WHEN: on a shared
   machine, what the figures are to be read with.  */
static void
print_load (const char *when)
{
  double load[3];

  if (getloadavg (load, 3) == 3)
    printf ("load average %s: %.2f %.2f %.2f\n", when, load[0], load[1],
            load[2]);
}

/* The first line of the file PATH in BUF (empty if there is none).  */
static char *
first_line (const char *path, char *buf, int size)
{
  FILE *f = fopen (path, "r");

  buf[0] = '\0';
  if (f != NULL)
    {
      if (fgets (buf, size, f) == NULL)
        buf[0] = '\0';
      fclose (f);
    }
  buf[strcspn (buf, "\n")] = '\0';
  return buf;
}

/* The file PATH on stdout, each line indented.  */
static void
print_indented (const char *path)
{
  FILE *f = fopen (path, "r");
  char line[512];

  while (f != NULL && fgets (line, sizeof line, f))
    printf ("  %s", line);
  if (f != NULL)
    fclose (f);
}

/* The default settings (issue 15): `fadj-audit NET' with no option
   (30 digits; the full check, NET having fewer than 100 000 parameters;
   the report on standard output, to OUT) against a plain mpmath
   gradient at 128 bits (bench/mpmath-grad.py NET MPOUT: the CPU time of
   its process, interpreter and parse included, and of the gradient
   alone, which the script measures itself and prints to TIMEF), REPEAT
   runs each; then, not timed, mpmath's gradient against the audit's
   digits (the script's --check).  Skipped, saying why, without Python
   or its mpmath.  */
static void
mpmath_rows (const char *audit, const char *net, const char *out,
             const char *mpout, const char *timef, int repeat)
{
  char *python = getenv ("FADJ_BENCH_PYTHON");
  char *script = getenv ("FADJ_BENCH_MPMATH");
  char *aargs[3], *margs[5], *vargs[4], *cargs[6], line[256];
  double aw[MAX_REPEAT], ac[MAX_REPEAT], mw[MAX_REPEAT], mc[MAX_REPEAT],
    gc[MAX_REPEAT], w, c;
  spread sa, sw, sm, sg;
  long kb;
  int k, st;

  if (python == NULL || *python == '\0')
    python = "python3";
  if (script == NULL || *script == '\0')
    script = "bench/mpmath-grad.py";
  vargs[0] = python;
  vargs[1] = script;
  vargs[2] = "--version";
  vargs[3] = NULL;
  printf ("\nthe default settings (fadj-audit NET: 30 digits, --check=full, "
          "report on stdout)\nagainst a plain mpmath gradient at 128 bits "
          "(%s), the same network", script);
  st = run (vargs, timef, &w, &c, &kb);
  if (st != 0)
    {
      printf (":\n  skipped: %s\n", st == 77
              ? "Python's mpmath is not installed (Debian: python3-mpmath)"
              : st == 127 ? "no Python 3 (FADJ_BENCH_PYTHON)"
              : "the script's --version failed");
      return;
    }
  printf (",\n%s, CPU min / median / max:\n",
          first_line (timef, line, sizeof line));

  aargs[0] = (char *) audit;
  aargs[1] = (char *) net;
  aargs[2] = NULL;
  margs[0] = python;
  margs[1] = script;
  margs[2] = (char *) net;
  margs[3] = (char *) mpout;
  margs[4] = NULL;
  for (k = 0; k < repeat; k++)
    {
      st = run (aargs, out, aw + k, ac + k, &kb);
      if (st != 0)
        {
          fprintf (stderr, "fadj-bench: %s exited with %d\n", audit, st);
          exit (1);
        }
      st = run (margs, timef, mw + k, mc + k, &kb);
      if (st != 0 || sscanf (first_line (timef, line, sizeof line), "%lf",
                             gc + k) != 1)
        {
          fprintf (stderr, "fadj-bench: %s %s exited with %d\n", python,
                   script, st);
          exit (1);
        }
    }
  sw = spread_of (aw, repeat);
  sa = spread_of (ac, repeat);
  sm = spread_of (mc, repeat);
  sg = spread_of (gc, repeat);
  printf ("  %-24s %7.3f %7.3f %7.3f s (wall %.3f median)\n", "fadj-audit",
          sa.min, sa.med, sa.max, sw.med);
  printf ("  %-24s %7.3f %7.3f %7.3f s\n", "mpmath, whole process",
          sm.min, sm.med, sm.max);
  printf ("  %-24s %7.3f %7.3f %7.3f s\n", "mpmath, gradient alone",
          sg.min, sg.med, sg.max);
  printf ("  mpmath / fadj-audit (medians): whole process %.2f, gradient "
          "alone %.2f\n", sm.med / sa.med, sg.med / sa.med);

  /* The sanity check, on the last run's report.  */
  cargs[0] = python;
  cargs[1] = script;
  cargs[2] = "--check";
  cargs[3] = (char *) net;
  cargs[4] = (char *) out;
  cargs[5] = NULL;
  st = run (cargs, timef, &w, &c, &kb);
  print_indented (timef);
  if (st != 0)
    {
      fprintf (stderr, "fadj-bench: mpmath's gradient disagrees with "
               "fadj-audit's report (%s --check exited with %d)\n", script,
               st);
      exit (1);
    }
}

int
main (int argc, char **argv)
{
  char *audit = argc > 1 ? argv[1] : "src/fadj-audit";
  static const int def_n[] = { 128, 256, 512, 1024, 2048 };
  static const int batch_m[] = { 1, 8, 64 };
  char dir[] = "/tmp/fadj-bench-XXXXXX", net[64], out[64], mpout[64],
    timef[64];
  const int L = 3;
  int k, b, count = argc > 2 ? argc - 2 : 5;
  char *env = getenv ("FADJ_BENCH_SEED");
  char *renv = getenv ("FADJ_BENCH_REPEAT");
  int repeat = renv != NULL && atoi (renv) > 0 ? atoi (renv) : 5;
  long ncpu = sysconf (_SC_NPROCESSORS_ONLN);

  if (repeat > MAX_REPEAT)
    repeat = MAX_REPEAT;
  if (env != NULL)
    state = strtoull (env, NULL, 10);
  if (mkdtemp (dir) == NULL)
    {
      perror ("mkdtemp");
      return 2;
    }
  snprintf (net, sizeof net, "%s/net", dir);
  snprintf (out, sizeof out, "%s/out", dir);
  snprintf (mpout, sizeof mpout, "%s/mpmath-out", dir);
  snprintf (timef, sizeof timef, "%s/time", dir);
  printf ("fadj-audit --digits=30 --check=directional on A[n, ..., n], "
          "L = %d sigmoid layers (seed %llu);\n%ld online processors "
          "(cores: sysconf, as nproc counts them)\n", L,
          (unsigned long long) (env ? strtoull (env, NULL, 10) : 20240601),
          ncpu);
  print_load ("at the start");
  printf ("\n");
  printf ("CPU seconds (user + system), minimum / median / maximum of %d "
          "runs each (FADJ_BENCH_REPEAT);\nthe audit's median wall time; "
          "ratios of the medians.  Bounds: 3 L n^2 m mpfr_fma at 256 bits"
#ifdef HAVE_ARB
          ",\n3 L n m arb_dot of length n at %d bits"
#endif
          " (m times the one-sample loop).\n\n", repeat
#ifdef HAVE_ARB
          , AUDIT_PREC
#endif
          );
  print_head ();
  for (k = 0; k < count; k++)
    {
      row r = measure (audit, net, out, L,
                       argc > 2 ? atoi (argv[k + 2]) : def_n[k], 1, repeat);
      print_row (&r, L);
    }

  /* Batches.  */
  printf ("\nbatches (m samples, 'batch sum'):\n\n");
  print_head ();
  for (k = 0; k < 2; k++)
    {
      int n = k == 0 ? 256 : 512, found = argc <= 2;
      row r[3];

      for (b = 2; b < argc; b++)
        found |= atoi (argv[b]) == n;
      if (!found)
        continue;
      for (b = 0; b < 3; b++)
        {
          r[b] = measure (audit, net, out, L, n, batch_m[b], repeat);
          print_row (r + b, L);
        }
      for (b = 1; b < 3; b++)
        print_per_sample (r, r + b);
    }

  /* Threads: the same audit at --jobs=1 and with more threads, up to
     the online processors (at least 2).  Wall time is what threads
     shorten; the CPU time shows what they cost.  Only meaningful on an
     otherwise idle machine.  */
  {
    static const long jobs[] = { 1, 2, 4, 8, 16 };
    int n = argc > 2 ? atoi (argv[argc - 1]) : 512;
    spread w1 = { 0, 0, 0 };

    printf ("\nthreads (n = %d, m = 8, --jobs=J; wall and CPU seconds, "
            "min / median / max):\n\n", n);
    printf ("%5s %23s %23s %8s\n", "J", "wall min/med/max",
            "CPU min/med/max", "speedup");
    gen (net, L, n, 8, "sigmoid");
    for (k = 0; k < 5 && (jobs[k] <= ncpu || jobs[k] <= 2); k++)
      {
        spread w, c;
        char opt[32];
        snprintf (opt, sizeof opt, "--jobs=%ld", jobs[k]);
        audit_runs (audit, "--check=directional", opt, net, out, repeat, &w,
                    &c);
        if (k == 0)
          w1 = w;
        printf ("%5ld %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f %8.2f\n",
                jobs[k], w.min, w.med, w.max, c.min, c.med, c.max,
                w1.med / w.med);
      }
  }

  /* The exact path.  */
  {
    /* Fractions: the digits of the largest denominator are read off
       them (by default exact values print as rounded decimals).  */
    char *args[] = { audit, "--format=csv", "--exact-display=fraction",
                     net, NULL };
    double ta[MAX_REPEAT], ca[MAX_REPEAT];
    spread sa, sc;
    long kb, kbmax = 0;
    int st;

    gen (net, 4, 64, 1, "relu");
    for (k = 0; k < repeat; k++)
      {
        st = run (args, out, ta + k, ca + k, &kb);
        if (st != 0)
          {
            fprintf (stderr, "fadj-bench: %s exited with %d\n", audit, st);
            return 1;
          }
        if (kb > kbmax)
          kbmax = kb;
      }
    sa = spread_of (ta, repeat);
    sc = spread_of (ca, repeat);
    printf ("\nexact path: rational A[64, 64, 64, 64, 64], 4 relu layers: "
            "wall %.3f s median, CPU %.3f / %.3f / %.3f s,\npeak %.1f MiB, "
            "largest denominator of a gradient entry: %zu digits\n",
            sa.med, sc.min, sc.med, sc.max, kbmax / 1024.0,
            max_den_digits (out));
  }
  /* The full check (the engine's reverse mode over the scalar graph,
     every entry compared) against the directional one, on a width the
     scalar graph is meant for.  */
  {
    static const char *const checks[] = { "none", "directional", "full" };
    spread c[3];

    gen (net, L, 128, 1, "sigmoid");
    for (k = 0; k < 3; k++)
      c[k] = check_cpu (audit, net, out, checks[k], repeat);
    printf ("\nthe checks on A[128, 128, 128, 128], L = %d sigmoid layers, "
            "CPU min / median / max:\n", L);
    for (k = 0; k < 3; k++)
      printf ("  --check=%-11s %7.3f %7.3f %7.3f s\n", checks[k],
              c[k].min, c[k].med, c[k].max);
    printf ("  full / directional (medians): %.2f\n",
            c[1].med > 0 ? c[2].med / c[1].med : 0.0);
    mpmath_rows (audit, net, out, mpout, timef, repeat);
  }
  printf ("\n");
  print_load ("at the end");
  unlink (net);
  unlink (out);
  unlink (mpout);
  unlink (timef);
  rmdir (dir);
  return 0;
}
