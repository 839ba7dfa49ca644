/* cli.c -- shared command-line plumbing of the fadj programs.  */

#include "config.h"
#include "cli.h"
#include "tex-wrap.h"
#include "parallel.h"

#include <assert.h>
#include <pthread.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef HAVE_VALGRIND_VALGRIND_H
#include <valgrind/valgrind.h>
#endif
#include <sys/stat.h>

const char *cli_program = "fadj";

/* Write S to standard error with every control character (a newline
   or an ESC in a file name the user gave) as \xNN: a message stays one
   line, and cannot move the terminal's cursor or change its colours.  */
static void
put_escaped (const char *s)
{
  for (; *s; s++)
    {
      unsigned char c = (unsigned char) *s;
      if (c < 0x20 || c == 0x7f)
        fprintf (stderr, "\\x%02x", c);
      else
        fputc (c, stderr);
    }
}

void
cli_error (const char *fmt, ...)
{
  va_list ap;
  char msg[2048];

  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  fprintf (stderr, "%s: ", cli_program);
  put_escaped (msg);
  fputc ('\n', stderr);
}

/* Input files larger than this are refused: a network file of this size
   is far beyond any classroom or audit use, and reading it whole must not
   exhaust memory.  Documented in fadj-net(5).  */
#define CLI_MAX_INPUT ((size_t) 256 << 20)

int
cli_read_file (char **data, size_t *len, const char *path)
{
  FILE *f;
  char *buf = NULL;
  size_t n = 0, cap = 0;
  int is_stdin = strcmp (path, "-") == 0;

  *data = NULL;
  *len = 0;
  f = is_stdin ? stdin : fopen (path, "rb");
  if (f == NULL)
    {
      cli_error ("cannot open '%s': %s", path, strerror (errno));
      return -1;
    }
  {
    /* A regular file's size is known: one buffer of that size (and a
       page for growth), not a chain of doublings, for a file of
       millions of weights.  */
    struct stat st;
    if (fstat (fileno (f), &st) == 0 && S_ISREG (st.st_mode)
        && st.st_size > 0 && (size_t) st.st_size < CLI_MAX_INPUT)
      {
        cap = (size_t) st.st_size + 4096;
        if ((buf = malloc (cap + 1)) == NULL)
          {
            cli_error ("out of memory reading '%s'", path);
            goto fail;
          }
      }
  }
  for (;;)
    {
      size_t got;
      if (cap - n < 4096)
        {
          char *nb;
          if (cap >= CLI_MAX_INPUT)
            {
              cli_error ("%s: input larger than %zu MiB", path,
                         CLI_MAX_INPUT >> 20);
              goto fail;
            }
          cap = cap ? 2 * cap : 65536;
          nb = realloc (buf, cap + 1);
          if (nb == NULL)
            {
              cli_error ("out of memory reading '%s'", path);
              goto fail;
            }
          buf = nb;
        }
      got = fread (buf + n, 1, cap - n, f);
      n += got;
      if (got == 0)
        break;
    }
  if (ferror (f))
    {
      cli_error ("error reading '%s': %s", path, strerror (errno));
      goto fail;
    }
  if (!is_stdin)
    fclose (f);
  if (buf == NULL && (buf = malloc (1)) == NULL)
    {
      cli_error ("out of memory reading '%s'", path);
      return -1;
    }
  buf[n] = '\0';
  *data = buf;
  *len = n;
  return 0;

fail:
  if (!is_stdin)
    fclose (f);
  free (buf);
  return -1;
}

static void
invalid_value_prefix (const char *option, const char *arg)
{
  fprintf (stderr, "%s: invalid value '%s' for %s: ", cli_program, arg,
           option);
}

void
cli_invalid_value (const char *option, const char *arg, const char *fmt,
                   ...)
{
  va_list ap;

  invalid_value_prefix (option, arg);
  va_start (ap, fmt);
  vfprintf (stderr, fmt, ap);
  va_end (ap);
  fputc ('\n', stderr);
}

int
cli_parse_long (long *v, const char *option, const char *arg, long lo,
                long hi)
{
  char *end;
  long x;

  errno = 0;
  x = strtol (arg, &end, 10);
  if (end == arg || *end != '\0' || errno == ERANGE || x < lo || x > hi)
    {
      cli_invalid_value (option, arg, "expected an integer from %ld to %ld",
                         lo, hi);
      return -1;
    }
  *v = x;
  return 0;
}

int
cli_parse_jobs (const char *arg)
{
  long v;

  if (cli_parse_long (&v, "--jobs", arg, 1, FADJ_MAX_JOBS))
    return -1;
  fadj_set_jobs (v);
  return 0;
}

int
cli_parse_int (int *v, const char *option, const char *arg, int lo, int hi)
{
  long x;

  if (cli_parse_long (&x, option, arg, lo, hi))
    return -1;
  *v = (int) x;
  return 0;
}

int
cli_parse_word (int *k, const char *option, const char *arg,
                const char *const *words)
{
  int i, n;

  for (n = 0; words[n] != NULL; n++)
    if (strcmp (arg, words[n]) == 0)
      {
        *k = n;
        return 0;
      }
  invalid_value_prefix (option, arg);
  fputs ("expected ", stderr);
  for (i = 0; i < n; i++)
    fprintf (stderr, "%s'%s'", i == 0 ? "" : i + 1 < n ? ", " : " or ",
             words[i]);
  fputc ('\n', stderr);
  return -1;
}

int
cli_parse_rational (mpq_t q, const char *option, const char *arg,
                    int strict, const char *expected)
{
  size_t errpos;
  const char *msg;

  if (fadj_number_parse (q, arg, strlen (arg), &errpos, &msg) != 0
      || mpq_sgn (q) < (strict ? 1 : 0))
    {
      cli_invalid_value (option, arg, "expected %s", expected);
      return -1;
    }
  return 0;
}

/* --help and --version, in every program.  */
static const cli_option common_options[] = {
  { "help", 'h', NULL, "display this help and exit", 0, 0 },
  { "version", 'V', NULL, "output version information and exit", 0, 0 },
  { NULL, 0, NULL, NULL, 0, 0 }
};

/* The most options of a program (its table and common_options).  */
#define CLI_MAX_OPTIONS 40

/* Add the options of TABLE (headings skipped) to LONGS and SHORTS from
   *N on.  */
static void
add_getopt_options (struct option *longs, char *shorts, size_t *n,
                    const cli_option *table)
{
  const cli_option *o;

  for (o = table; o->name != NULL || o->help != NULL; o++)
    {
      if (o->name == NULL)
        continue;
      assert (*n < CLI_MAX_OPTIONS);
      longs[*n].name = o->name;
      longs[*n].has_arg = o->arg == NULL ? no_argument
                          : o->arg[0] == '[' ? optional_argument
                          : required_argument;
      longs[*n].flag = NULL;
      longs[*n].val = o->id;
      (*n)++;
      if (o->id < 256)
        {
          size_t len = strlen (shorts);
          shorts[len++] = (char) o->id;
          if (o->arg != NULL)
            shorts[len++] = ':';
          shorts[len] = '\0';
        }
    }
}

/* The exit status after --help or --version: 0 if the text reached
   standard output, else a message and 3 (a full disk, a closed stdout:
   as for any other output, the caller must learn that nothing was
   written).  */
static int
stdout_status (void)
{
  if (fflush (stdout) != 0 || ferror (stdout))
    {
      cli_error ("error writing to standard output: %s", strerror (errno));
      return FADJ_EXIT_RESOURCE;
    }
  return FADJ_EXIT_OK;
}

int
cli_parse_options (int argc, char **argv, const cli_option *table,
                   void (*usage) (void), cli_option_fn handle, void *ctx)
{
  struct option longs[CLI_MAX_OPTIONS + 1];
  char shorts[2 * CLI_MAX_OPTIONS + 1];
  size_t n = 0;
  int c;

  /* Past a file size limit (ulimit -f) a write fails with EFBIG
     instead of killing the process: a message, exit 3, and the
     temporary output removed as after any other failed write.  Every
     program starts here.  */
  signal (SIGXFSZ, SIG_IGN);
  shorts[0] = '\0';
  add_getopt_options (longs, shorts, &n, table);
  add_getopt_options (longs, shorts, &n, common_options);
  memset (longs + n, 0, sizeof longs[n]);
  while ((c = getopt_long (argc, argv, shorts, longs, NULL)) != -1)
    switch (c)
      {
      case 'h':
        usage ();
        return stdout_status ();
      case 'V':
        cli_version ();
        return stdout_status ();
      case '?':
        cli_try_help ();        /* after getopt's message */
        return FADJ_EXIT_INPUT;
      default:
        if (handle (c, optarg, ctx) != 0)
          return FADJ_EXIT_INPUT;
      }
  return -1;
}

/* Print the help lines of TABLE (see cli_print_options).  */
static void
print_option_lines (const cli_option *table, int col)
{
  const cli_option *o;

  for (o = table; o->name != NULL || o->help != NULL; o++)
    {
      char text[1024];
      const char *p, *nl;
      int len;

      if (o->name == NULL)
        {
          printf ("%s\n", o->help);
          continue;
        }
      if (o->id < 256)
        len = printf ("  -%c, --%s", o->id, o->name);
      else
        len = printf ("      --%s", o->name);
      if (o->arg != NULL && o->arg[0] == '[')
        len += printf ("[=%s", o->arg + 1);
      else if (o->arg != NULL)
        len += printf ("=%s", o->arg);
      /* At least two spaces between an option and its description.  */
      if (len + 2 <= col)
        printf ("%*s", col - len, "");
      else
        printf ("\n%*s", col, "");
      snprintf (text, sizeof text, o->help, o->n1, o->n2);
      for (p = text; (nl = strchr (p, '\n')) != NULL; p = nl + 1)
        printf ("%.*s\n%*s", (int) (nl - p), p, col, "");
      printf ("%s\n", p);
    }
}

void
cli_print_options (const cli_option *table, int col)
{
  print_option_lines (table, col);
  print_option_lines (common_options, col);
}

void
cli_version (void)
{
  printf ("%s (fadj) %s\n", cli_program, fadj_version ());
}

static int
write_all (FILE *f, const char *data, size_t len)
{
  return fwrite (data, 1, len, f) == len && fflush (f) == 0;
}

/* The temporary output file, from cli_output_prepare to the rename.  It
   is removed on every other way out: a failed write, exit() (atexit, so
   also the out-of-memory handler's exit), and a fatal signal (the
   handler).  The handler may only use async-signal-safe calls: unlink,
   signal, raise.  */
static char *out_tmp;
static const char *out_path;
static volatile sig_atomic_t out_tmp_live;
static int out_fd = -1;

static void
out_tmp_remove (void)
{
  if (out_tmp_live)
    {
      out_tmp_live = 0;
      unlink (out_tmp);
    }
}

static void
out_signal (int sig)
{
  if (out_tmp_live)
    unlink (out_tmp);
  out_tmp_live = 0;
  signal (sig, SIG_DFL);
  raise (sig);              /* die of the signal, as the shell expects */
}

static void
out_forget (void)
{
  out_tmp_remove ();
  if (out_fd >= 0)
    close (out_fd);
  out_fd = -1;
  free (out_tmp);
  out_tmp = NULL;
  out_path = NULL;
}

/* Nonzero if PATH exists and is not a regular file (a device such as
   /dev/null or /dev/full, a FIFO): such a target is written in place,
   since renaming a file over it would replace the device itself.  */
static int
special_file_p (const char *path)
{
  struct stat st;
  return stat (path, &st) == 0 && !S_ISREG (st.st_mode);
}

int
cli_output_prepare (const char *path)
{
  /* Every signal whose default action ends the process and that a
     handler may catch: the temporary file goes with it.  */
  static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE,
                              SIGUSR1, SIGUSR2, SIGALRM, SIGXCPU,
                              SIGVTALRM };
  static int registered;
  const char *slash;
  size_t dirlen, i;
  sigset_t block, saved;

  if (path == NULL || strcmp (path, "-") == 0 || special_file_p (path))
    return 0;
  if (out_path != NULL)
    return 0;
  /* A temporary in the target's directory, so that rename is atomic.  */
  slash = strrchr (path, '/');
  dirlen = slash ? (size_t) (slash - path) + 1 : 0;
  out_tmp = malloc (dirlen + sizeof ".fadj-XXXXXX");
  if (out_tmp == NULL)
    {
      cli_error ("out of memory");
      return -1;
    }
  memcpy (out_tmp, path, dirlen);
  strcpy (out_tmp + dirlen, ".fadj-XXXXXX");
  if (!registered)
    {
      atexit (out_tmp_remove);
      registered = 1;
    }
  for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
    {
      /* Leave a signal ignored by the parent (nohup) ignored.  */
      void (*old) (int) = signal (sigs[i], out_signal);
      if (old == SIG_IGN)
        signal (sigs[i], SIG_IGN);
    }
  /* The signals wait while the file exists but is not yet marked live:
     one delivered in between would leave it behind.  */
  sigemptyset (&block);
  for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
    sigaddset (&block, sigs[i]);
  sigprocmask (SIG_BLOCK, &block, &saved);
  out_fd = mkstemp (out_tmp);
  if (out_fd >= 0)
    out_tmp_live = 1;
  sigprocmask (SIG_SETMASK, &saved, NULL);
  if (out_fd < 0)
    {
      cli_error ("cannot create a temporary file for '%s': %s", path,
                 strerror (errno));
      free (out_tmp);
      out_tmp = NULL;
      return -1;
    }
  out_path = path;
  return 0;
}

static int out_failed;

/* The spill of cli_output_stream: write(2) on the temporary, which
   cli_write_output later continues through stdio from the same file
   offset.  */
/* cli_output_wrap: the document's long lines broken as it is written,
   across the spilled parts and the rest.  */
static int out_wrap_on;
static fadj_wrap_state out_wrap;

void
cli_output_wrap (void)
{
  out_wrap_on = 1;
  fadj_wrap_init (&out_wrap);
}

/* Break DATA's long lines in place (a space becomes a newline: the
   length stays).  DATA is the writer's own buffer (fadj_buf), which is
   writable; the const is the sink's interface.  */
static void
out_wrap_data (const char *data, size_t len)
{
  if (out_wrap_on)
    fadj_wrap_chunk (&out_wrap, (char *) data, len);
}

static int
out_spill (void *ctx, const char *data, size_t len)
{
  (void) ctx;
  out_wrap_data (data, len);
  while (len > 0 && out_fd >= 0)
    {
      ssize_t k = write (out_fd, data, len);
      if (k < 0 && errno == EINTR)
        continue;
      if (k <= 0)
        {
          cli_error ("error writing '%s': %s", out_path,
                     k < 0 ? strerror (errno) : "nothing written");
          out_failed = 1;
          out_forget ();
          return -1;
        }
      data += k;
      len -= (size_t) k;
    }
  return out_fd >= 0 ? 0 : -1;
}

/* Take back what was spilled: a restart at a higher precision writes the
   document again from its start.  */
static int
out_rewind (void *ctx)
{
  (void) ctx;
  if (out_fd < 0)
    return -1;
  fadj_wrap_init (&out_wrap);
  if (ftruncate (out_fd, 0) != 0 || lseek (out_fd, 0, SEEK_SET) != 0)
    {
      cli_error ("error writing '%s': %s", out_path, strerror (errno));
      out_failed = 1;
      out_forget ();
      return -1;
    }
  return 0;
}

void
cli_output_stream (fadj_buf *b)
{
  /* A few MiB: large writes, and still a small part of what a large
     audit touches.  */
  if (out_path != NULL && out_fd >= 0)
    fadj_buf_set_spill (b, (size_t) 4 << 20, out_spill, out_rewind, NULL);
}

int
cli_output_failed (void)
{
  return out_failed;
}

int
cli_write_output (const char *path, const char *data, size_t len)
{
  FILE *f;

  out_wrap_data (data, len);
  if (path == NULL || strcmp (path, "-") == 0)
    {
      if (!write_all (stdout, data, len) || ferror (stdout))
        {
          cli_error ("error writing to standard output: %s",
                     strerror (errno));
          return -1;
        }
      return 0;
    }
  if (out_path == NULL && special_file_p (path))
    {
      f = fopen (path, "wb");
      if (f == NULL || !write_all (f, data, len) || fclose (f) != 0)
        {
          cli_error ("error writing '%s': %s", path, strerror (errno));
          return -1;
        }
      return 0;
    }
  if (out_path == NULL && cli_output_prepare (path) != 0)
    return -1;
  f = fdopen (out_fd, "wb");
  if (f == NULL || !write_all (f, data, len) || fclose (f) != 0)
    {
      int e = errno;
      if (f != NULL)
        out_fd = -1;        /* fclose closed it, failed or not */
      cli_error ("error writing '%s': %s", path, strerror (e));
      out_forget ();
      return -1;
    }
  out_fd = -1;
  /* mkstemp creates the file 0600: give it the permissions of the file
     it replaces, or those of a new file.  */
  {
    struct stat old;
    if (stat (path, &old) == 0 && S_ISREG (old.st_mode))
      chmod (out_tmp, old.st_mode & 07777);
    else
      {
        mode_t mask = umask (0);
        umask (mask);
        chmod (out_tmp, 0666 & ~mask);
      }
  }
  if (rename (out_tmp, path) != 0)
    {
      cli_error ("cannot write '%s': %s", path, strerror (errno));
      out_forget ();
      return -1;
    }
  out_tmp_live = 0;
  out_forget ();
  return 0;
}

/* GMP (and MPFR, which allocates through it) aborts when an allocation
   fails.  A program cannot recover either (the failed operation has no
   result), but it can end as documented: a message and exit status 3,
   with the temporary output removed by the atexit handler.  The library
   never installs these: its callers may want other policies.  */
static void
out_of_memory (void)
{
  static const char msg[] = ": out of memory\n";
  /* No stdio: the allocator just failed, and stderr is unbuffered
     anyway.  */
  if (write (2, cli_program, strlen (cli_program)) < 0
      || write (2, msg, sizeof msg - 1) < 0)
    {
      /* nothing more can be done */
    }
  exit (FADJ_EXIT_RESOURCE);
}

/* Small blocks from slabs.  GMP allocates a limb or two for each
   rational of a network file -- the numerator and the denominator of
   every weight, a million of them for three 512-wide layers -- and frees
   them at the end; malloc spends more time on each than the parser does
   on the number, and rounds every such block up to a 32-byte chunk.
   Blocks of at most POOL_MAX bytes are carved from slabs by size class
   (8, 16 and 32 bytes: one limb, two, and an MPFR number of up to three
   limbs) and go back to a free list of their class; larger ones are
   malloc's.  GMP passes the size of a block to realloc and
   free, so a block needs no header.  The slabs are freed at exit if
   every block came back.  Under valgrind, or when built with
   AddressSanitizer, blocks are plain malloc's, so that those tools see
   each one (leaks, reads after free).  --jobs's threads share the pool
   (a block may be allocated in one thread and freed in another): each
   thread keeps a cache of free blocks per class and takes or gives back
   POOL_BATCH of them at a time under the pool's mutex, which one mutex
   around every block made the threads contend for (a seventh of the
   run of two threads went to locking).  */
#define POOL_CLASSES 3
#define POOL_MAX (8 << (POOL_CLASSES - 1))
#define POOL_SLAB 65536
#define POOL_BATCH 64

typedef union pool_block
{
  union pool_block *next;       /* on a free list */
  char bytes[8];
} pool_block;

typedef struct pool_slab
{
  struct pool_slab *next;
  size_t used;                  /* bytes carved so far */
  max_align_t data[];
} pool_slab;

static struct
{
  int on;
  pool_block *free[POOL_CLASSES];
  pool_slab *slab[POOL_CLASSES];        /* the newest slab first */
  long live;                            /* blocks not on these lists */
} pool;
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;

/* A thread's own free blocks; given back to the pool when the thread
   ends (POOL_KEY's destructor) and by pool_release.  */
typedef struct
{
  pool_block *free[POOL_CLASSES];
  int n[POOL_CLASSES];
  int keyed;                    /* POOL_KEY set for this thread */
} pool_cache;
static _Thread_local pool_cache cache;
static pthread_key_t pool_key;
static pthread_once_t pool_key_once = PTHREAD_ONCE_INIT;

static int
pool_class (size_t n)
{
  return n <= 8 ? 0 : n <= 16 ? 1 : 2;
}

/* Give K blocks of class C of cache C_ back to the pool (lock held).  */
static void
pool_give (pool_cache *ca, int c, int k)
{
  while (k-- > 0 && ca->free[c] != NULL)
    {
      pool_block *b = ca->free[c];
      ca->free[c] = b->next;
      ca->n[c]--;
      b->next = pool.free[c];
      pool.free[c] = b;
      pool.live--;
    }
}

/* A thread's end: its cache back to the pool.  */
static void
pool_cache_end (void *arg)
{
  pool_cache *ca = arg;
  int c;

  pthread_mutex_lock (&pool_lock);
  for (c = 0; c < POOL_CLASSES; c++)
    pool_give (ca, c, ca->n[c]);
  pthread_mutex_unlock (&pool_lock);
}

static void
pool_key_make (void)
{
  if (pthread_key_create (&pool_key, pool_cache_end) != 0)
    out_of_memory ();
}

/* Fill this thread's cache of class C with POOL_BATCH blocks.  */
static void
pool_refill (int c)
{
  size_t size = (size_t) 8 << c;
  int k;

  if (!cache.keyed)
    {
      pthread_once (&pool_key_once, pool_key_make);
      pthread_setspecific (pool_key, &cache);
      cache.keyed = 1;
    }
  pthread_mutex_lock (&pool_lock);
  for (k = 0; k < POOL_BATCH; k++)
    {
      pool_block *b;
      if (pool.free[c] != NULL)
        {
          b = pool.free[c];
          pool.free[c] = b->next;
        }
      else
        {
          pool_slab *s = pool.slab[c];
          if (s == NULL || s->used + size > POOL_SLAB - sizeof *s)
            {
              s = malloc (POOL_SLAB);
              if (s == NULL)
                {
                  /* Unlocked first: exit's pool_release takes the
                     lock again (it deadlocked here).  */
                  pthread_mutex_unlock (&pool_lock);
                  out_of_memory ();
                }
              s->next = pool.slab[c];
              s->used = 0;
              pool.slab[c] = s;
            }
          b = (pool_block *) ((char *) s->data + s->used);
          s->used += size;
        }
      b->next = cache.free[c];
      cache.free[c] = b;
      cache.n[c]++;
      pool.live++;
    }
  pthread_mutex_unlock (&pool_lock);
}

static void *
pool_alloc (size_t n)
{
  int c = pool_class (n);
  pool_block *b;

  if (cache.free[c] == NULL)
    pool_refill (c);
  b = cache.free[c];
  cache.free[c] = b->next;
  cache.n[c]--;
  return b;
}

static void
pool_free (void *p, size_t n)
{
  int c = pool_class (n);
  pool_block *b = p;

  b->next = cache.free[c];
  cache.free[c] = b;
  if (++cache.n[c] > 2 * POOL_BATCH)
    {
      pthread_mutex_lock (&pool_lock);
      pool_give (&cache, c, POOL_BATCH);
      pthread_mutex_unlock (&pool_lock);
    }
}

static void *
gmp_alloc (size_t n)
{
  void *p;

  if (pool.on && n <= POOL_MAX)
    return pool_alloc (n);
  p = malloc (n);
  if (p == NULL)
    out_of_memory ();
  return p;
}

static void *
gmp_realloc (void *old, size_t oldn, size_t n)
{
  void *p;

  if (pool.on && (oldn <= POOL_MAX || n <= POOL_MAX))
    {
      if (oldn <= POOL_MAX && n <= POOL_MAX
          && pool_class (oldn) == pool_class (n))
        return old;
      p = gmp_alloc (n);
      memcpy (p, old, oldn < n ? oldn : n);
      if (oldn <= POOL_MAX)
        pool_free (old, oldn);
      else
        free (old);
      return p;
    }
  p = realloc (old, n);
  if (p == NULL)
    out_of_memory ();
  return p;
}

static void
gmp_free (void *p, size_t n)
{
  if (pool.on && n <= POOL_MAX)
    pool_free (p, n);
  else
    free (p);
}

static void
pool_release (void)
{
  int c;

  if (!pool.on)
    return;
  pool_cache_end (&cache);
  if (pool.live != 0)
    return;
  for (c = 0; c < POOL_CLASSES; c++)
    while (pool.slab[c] != NULL)
      {
        pool_slab *s = pool.slab[c];
        pool.slab[c] = s->next;
        free (s);
      }
  for (c = 0; c < POOL_CLASSES; c++)
    pool.free[c] = NULL;
}

void
cli_init (const char *program)
{
  cli_program = program;
  pool.on = 1;
#ifdef HAVE_VALGRIND_VALGRIND_H
  if (RUNNING_ON_VALGRIND)
    pool.on = 0;
#endif
#if defined __SANITIZE_ADDRESS__
  pool.on = 0;
#elif defined __has_feature
#if __has_feature (address_sanitizer)
  pool.on = 0;
#endif
#endif
  if (pool.on)
    atexit (pool_release);
  mp_set_memory_functions (gmp_alloc, gmp_realloc, gmp_free);
  /* Keep interval endpoints in a range whose exact values stay small
     enough to print (see FADJ_MAX_BINARY_EXP); the flags then tell an
     over- or underflow.  */
  mpfr_set_emax (FADJ_MAX_BINARY_EXP);
  mpfr_set_emin (-FADJ_MAX_BINARY_EXP);
  fadj_set_jobs (fadj_online_processors ());
}

void
cli_located_error (const char *file, const fadj_error *err)
{
  put_escaped (file);
  fprintf (stderr, ":%ld:%ld: error: ", err->line, err->col);
  put_escaped (err->msg);
  fputc ('\n', stderr);
}

int
cli_parse_status (fadj_status st, const char *file, const fadj_error *err)
{
  if (st == FADJ_ERR_INPUT || st == FADJ_ERR_LIMIT)
    {
      cli_located_error (strcmp (file, "-") == 0 ? "<stdin>" : file, err);
      return st == FADJ_ERR_INPUT ? FADJ_EXIT_INPUT : FADJ_EXIT_RESOURCE;
    }
  return cli_exit_for_status (st);
}

/* Read and parse FILE: a network into *NET (parsed with FLAGS) if
   FOR_NET is NULL, else reference gradients of FOR_NET into *REF.  */
static int
read_input (fadj_net **net, fadj_ref **ref, const char *file,
            unsigned flags, const fadj_net *for_net)
{
  fadj_error err;
  fadj_status st;
  char *text;
  size_t len;

  if (cli_read_file (&text, &len, file))
    return FADJ_EXIT_INPUT;
  if (for_net == NULL)
    st = fadj_net_parse_opts (net, &err, text, len, flags);
  else
    st = fadj_ref_parse_opts (ref, &err, text, len, for_net, flags);
  free (text);
  return cli_parse_status (st, file, &err);
}

int
cli_read_net (fadj_net **net, const char *file, unsigned flags)
{
  return read_input (net, NULL, file, flags, NULL);
}

int
cli_read_ref (fadj_ref **ref, const char *file, const fadj_net *net)
{
  return read_input (NULL, ref, file, FADJ_PARSE_COMPACT, net);
}

int
cli_exit_for_status (fadj_status st)
{
  switch (st)
    {
    case FADJ_OK:
      return FADJ_EXIT_OK;
    case FADJ_ERR_NOMEM:
      cli_error ("out of memory");
      return FADJ_EXIT_RESOURCE;
    case FADJ_ERR_IO:
      cli_error ("input/output error");
      return FADJ_EXIT_RESOURCE;
    case FADJ_ERR_LIMIT:
      cli_error ("a resource limit was reached");
      return FADJ_EXIT_RESOURCE;
    default:
      cli_error ("internal error (status %d)", (int) st);
      return FADJ_EXIT_RESOURCE;
    }
}

int
cli_parse_arithmetic (int *v, const char *arg)
{
  static const char *const words[] = { "auto", "exact", "interval", NULL };
  static const int values[] = { -1, FADJ_EXACT, FADJ_INTERVAL };
  int k;

  if (cli_parse_word (&k, "--arithmetic", arg, words))
    return -1;
  *v = values[k];
  return 0;
}

int
cli_choose_domain (fadj_domain *d, int arithmetic, const fadj_net *net)
{
  fadj_domain natural = fadj_net_domain (net);

  *d = arithmetic < 0 ? natural : (fadj_domain) arithmetic;
  if (*d == FADJ_EXACT && natural != FADJ_EXACT)
    {
      cli_error ("--arithmetic=exact: this network uses a map that is not "
                 "rational (sigmoid, tanh, softplus, or another "
                 "transcendental map); use --arithmetic=interval or auto");
      return -1;
    }
  return 0;
}

void
cli_report_domain (const char *file, const fadj_net *net,
                   const fadj_where *where, const char *when)
{
  if (where != NULL && where->set)
    {
      /* At the loss statement, when the file has one.  */
      put_escaped (file);
      if (net->loss_line > 0)
        fprintf (stderr, ":%ld:%ld", net->loss_line, net->loss_col);
      fprintf (stderr, ": error: the loss %s is undefined at output %zu of "
               "sample %zu%s: it needs %s\n", fadj_loss_name (net->loss),
               where->row + 1, where->col + 1, when,
               net->loss == FADJ_LOSS_CROSS_ENTROPY
               ? "outputs strictly between 0 and 1"
               : "positive outputs (the logarithm of 0 is undefined)");
    }
  else
    {
      put_escaped (file);
      fprintf (stderr, ": error: a function is undefined at the values "
               "this network reaches%s (division by zero or logarithm of a "
               "non-positive number)\n", when);
    }
}

void
cli_report_exact_growth (const char *file, const char *how)
{
  /* Not a silent fallback: the user chooses intervals.  */
  cli_error ("%s: exact rational arithmetic stopped: a numerator or "
             "denominator would exceed %ld bits (deep rational networks "
             "with long literals grow at every layer); for a "
             "certified-interval derivation run with --arithmetic=interval "
             "(and %s as needed)", file, FADJ_MAX_EXACT_BITS, how);
}

void
cli_report_undecided_sign (const cli_ziv *z, long prec, const char *file,
                           const char *colon, int precision_option)
{
  /* Stopped before the limit (cli_ziv_run's rule): say why, and that no
     number of digits changes it.  */
  int early = !z->fixed_prec && prec < z->max_prec;

  cli_error ("%s%scould not decide, within %ld bits of working precision, "
             "the sign of a value the derivation branches on (the "
             "input of a piecewise activation, such as relu, that may "
             "be exactly at its kink: an exact value reached through "
             "the cancellation of irrational ones)%s%s", file, colon, prec,
             z->fixed_prec ? "; raise --precision"
             : early ? "; it stayed undecided through two more doublings "
             "of the precision" : "",
             early && precision_option
             ? " (--precision=BITS tries one fixed precision)" : "");
}

int
cli_report_range (const char *file)
{
  if (!mpfr_overflow_p () && !mpfr_underflow_p ())
    return 0;
  cli_error ("%s: a value of this network lies beyond the supported range "
             "of magnitudes, 2^-%ld to 2^%ld (about 10^-%ld to 10^%ld; for "
             "example exp of an argument beyond about 1.16e7 in absolute "
             "value), so it cannot be printed with certified digits", file,
             FADJ_MAX_BINARY_EXP, FADJ_MAX_BINARY_EXP,
             (long) (FADJ_MAX_BINARY_EXP * 0.30103),
             (long) (FADJ_MAX_BINARY_EXP * 0.30103));
  return 1;
}

void
cli_try_help (void)
{
  fprintf (stderr, "Try '%s --help' for more information.\n", cli_program);
}

int
cli_file_operand (const char **file, int argc, char **argv, int optind)
{
  int want = file != NULL;

  if (argc - optind != want)
    {
      if (optind == argc)
        cli_error ("missing network file operand");
      else
        cli_error ("extra operand '%s'", argv[optind + want]);
      cli_try_help ();
      return -1;
    }
  if (file != NULL)
    *file = argv[optind];
  return 0;
}

void
cli_ziv_init (cli_ziv *z, const char *file, const fadj_net *net,
              fadj_domain domain, int digits, long fixed_prec,
              void (*report_limit) (const cli_ziv *, const fadj_ctx *,
                                    void *))
{
  z->file = file;
  z->net = net;
  z->domain = domain;
  z->fixed_prec = fixed_prec;
  z->prec = fixed_prec ? fixed_prec : (mpfr_prec_t) (digits * 3.33) + 64;
  z->max_prec = fixed_prec ? fixed_prec : FADJ_MAX_AUTO_PREC;
  z->output = NULL;
  z->stream = 0;
  z->exact_how = "--digits=N";
  z->report_limit = report_limit;
}

/* The loop of cli_ziv_run, into OUT.  */
static int
ziv_loop (fadj_buf *out, const cli_ziv *z, cli_ziv_attempt attempt,
          void *arg)
{
  fadj_ctx ctx;
  int zero_tries = 0;
  size_t stopped = 0;   /* where an undecided sign stopped the last attempt */
  int stop_tries = 0;   /* the doublings since, that did not move it */

  ctx.domain = z->domain;
  ctx.prec = z->prec;
  for (;;)
    {
      cli_ziv_result r;
      fadj_status st;

      memset (&r, 0, sizeof r);
      fadj_buf_reset (out);
      mpfr_clear_flags ();
      st = attempt (&r, out, z->net, &ctx, arg);
      /* A zero to the working precision whose enclosure comes from a
         value beyond MPFR's exponent range (an underflow to 0) is not
         one: that network is beyond the supported range.  */
      if (st == FADJ_OK && r.zeros > 0 && cli_report_range (z->file))
        return FADJ_EXIT_RESOURCE;
      if (st == FADJ_OK
          && (r.zeros == 0 || zero_tries == 2 || ctx.domain == FADJ_EXACT
              || ctx.prec >= z->max_prec))
        return r.exit_status;
      if (st == FADJ_OK)
        {
          /* Zeros to the working precision, everything else decided:
             two more doublings, in case one is not 0 after all.  */
          zero_tries++;
          ctx.prec = 2 * ctx.prec > z->max_prec ? z->max_prec
            : 2 * ctx.prec;
          continue;
        }
      if (st == FADJ_ERR_IO && cli_output_failed ())
        return FADJ_EXIT_RESOURCE;      /* reported by the spill */
      if (st == FADJ_ERR_DOMAIN)
        {
          cli_report_domain (z->file, z->net, &r.where, r.when);
          return FADJ_EXIT_INPUT;
        }
      if (st == FADJ_ERR_LIMIT && ctx.domain == FADJ_EXACT)
        {
          cli_report_exact_growth (z->file, z->exact_how);
          return FADJ_EXIT_RESOURCE;
        }
      if (st != FADJ_UNDECIDED)
        return cli_exit_for_status (st);
      /* The same sign undecided after two more doublings, as for a
         printed zero, and at FADJ_SIGN_FLOOR_PREC bits at least: the
         loop then costs a few attempts at that precision, not the
         attempts up to the limit (the deepest of which is the dearest),
         while a sign as small as 2^-4000 is still decided (a nonzero
         sign below the starting precision is no rarity: 1e-100 needs
         some 340 bits).  */
      if (r.stopped != 0 && r.stopped == stopped)
        stop_tries++;
      else
        stop_tries = 0;
      stopped = r.stopped;
      if (ctx.domain == FADJ_EXACT || ctx.prec >= z->max_prec
          || (stop_tries >= 2 && ctx.prec >= FADJ_SIGN_FLOOR_PREC))
        {
          if (!cli_report_range (z->file))
            z->report_limit (z, &ctx, arg);
          return FADJ_EXIT_RESOURCE;
        }
      /* A guess beyond one doubling (a training's, which gave up at a
         step: each doubling's attempt would stop a little further).  */
      if (r.next_prec > 2 * ctx.prec)
        ctx.prec = r.next_prec > z->max_prec ? z->max_prec : r.next_prec;
      else
        ctx.prec = 2 * ctx.prec > z->max_prec ? z->max_prec : 2 * ctx.prec;
    }
}

int
cli_ziv_run_into (fadj_buf *out, const cli_ziv *z, cli_ziv_attempt attempt,
                  void *arg)
{
  return ziv_loop (out, z, attempt, arg);
}

int
cli_ziv_run (const cli_ziv *z, cli_ziv_attempt attempt, void *arg)
{
  fadj_buf *out = fadj_buf_new ();
  int status;

  if (out == NULL)
    return cli_exit_for_status (FADJ_ERR_NOMEM);
  if (z->stream)
    cli_output_stream (out);
  status = ziv_loop (out, z, attempt, arg);
  if (status == FADJ_EXIT_OK || status == FADJ_EXIT_VERIFY)
    {
      size_t n;
      const char *doc = fadj_buf_data (out, &n);
      if (cli_write_output (z->output, doc, n))
        status = FADJ_EXIT_RESOURCE;
    }
  fadj_buf_free (out);
  return status;
}
