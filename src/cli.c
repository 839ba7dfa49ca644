/* cli.c -- shared command-line plumbing of the fadj programs.  */

#include "config.h"
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

const char *cli_program = "fadj";

void
cli_error (const char *fmt, ...)
{
  va_list ap;

  fprintf (stderr, "%s: ", cli_program);
  va_start (ap, fmt);
  vfprintf (stderr, fmt, ap);
  va_end (ap);
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
      cli_error ("invalid value '%s' for %s: expected an integer from "
                 "%ld to %ld", arg, option, lo, hi);
      return -1;
    }
  *v = x;
  return 0;
}

static int
write_all (FILE *f, const char *data, size_t len)
{
  return fwrite (data, 1, len, f) == len && fflush (f) == 0;
}

int
cli_write_output (const char *path, const char *data, size_t len)
{
  char *tmp;
  const char *slash;
  size_t dirlen;
  int fd;
  FILE *f;

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
  /* A temporary in the target's directory, so that rename is atomic.  */
  slash = strrchr (path, '/');
  dirlen = slash ? (size_t) (slash - path) + 1 : 0;
  tmp = malloc (dirlen + sizeof ".fadj-XXXXXX");
  if (tmp == NULL)
    {
      cli_error ("out of memory");
      return -1;
    }
  memcpy (tmp, path, dirlen);
  strcpy (tmp + dirlen, ".fadj-XXXXXX");
  fd = mkstemp (tmp);
  if (fd < 0)
    {
      cli_error ("cannot create a temporary file for '%s': %s", path,
                 strerror (errno));
      free (tmp);
      return -1;
    }
  f = fdopen (fd, "wb");
  if (f == NULL || !write_all (f, data, len) || fclose (f) != 0)
    {
      cli_error ("error writing '%s': %s", path, strerror (errno));
      if (f == NULL)
        close (fd);
      unlink (tmp);
      free (tmp);
      return -1;
    }
  /* mkstemp creates the file 0600; give it the usual permissions.  */
  {
    mode_t mask = umask (0);
    umask (mask);
    chmod (tmp, 0666 & ~mask);
  }
  if (rename (tmp, path) != 0)
    {
      cli_error ("cannot write '%s': %s", path, strerror (errno));
      unlink (tmp);
      free (tmp);
      return -1;
    }
  free (tmp);
  return 0;
}

void
cli_located_error (const char *file, const fadj_error *err)
{
  fprintf (stderr, "%s:%ld:%ld: error: %s\n", file, err->line, err->col,
           err->msg);
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
