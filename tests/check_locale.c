/* check_locale.c -- the documents do not depend on the C locale: a
   library caller (unlike fadj-explain, which never calls setlocale) may
   run in a locale whose decimal separator is a comma, and the derivation
   must still be byte-identical, with decimal points.  Exit 77 (skip) when
   no such locale is installed (localedef -i de_DE -f UTF-8 de_DE.UTF-8).  */

#include "fadj.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char net_text[] =
  "title \"0.5, 1.25\"\n"
  "input [0.15, -2.5]\ntarget [0.75]\n"
  "layer sigmoid\n  weights [1.5 -0.25; 0.5 2]\n  bias [0.1, -0.1]\n"
  "layer identity\n  weights [0.5 1.5]\nloss half_squared\n";

/* The document of NET_TEXT, in a new malloc'd string.  */
static char *
document (void)
{
  fadj_net *net = NULL;
  fadj_error err;
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 128 };
  fadj_latex_opts opts;
  fadj_trace *t = NULL;
  fadj_buf *b = fadj_buf_new ();
  char *doc = NULL;

  fadj_latex_opts_init (&opts);
  opts.digits = 8;
  if (b != NULL
      && fadj_net_parse (&net, &err, net_text, strlen (net_text)) == FADJ_OK
      && fadj_trace_compute (&t, net, &ctx) == FADJ_OK
      && fadj_latex_write (b, t, &opts, NULL) == FADJ_OK)
    {
      size_t n;
      const char *d = fadj_buf_data (b, &n);
      doc = malloc (n + 1);
      if (doc != NULL)
        memcpy (doc, d, n + 1);
    }
  fadj_trace_free (t);
  fadj_net_free (net);
  fadj_buf_free (b);
  return doc;
}

int
main (void)
{
  static const char *locales[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                                   "de_DE", NULL };
  char *c_doc, *comma_doc;
  const char **l;
  int status;

  c_doc = document ();
  for (l = locales; *l != NULL; l++)
    if (setlocale (LC_ALL, *l) != NULL
        && strcmp (localeconv ()->decimal_point, ",") == 0)
      break;
  if (*l == NULL)
    {
      printf ("check_locale: no locale with a decimal comma; skipped\n");
      free (c_doc);
      return 77;
    }
  comma_doc = document ();
  setlocale (LC_ALL, "C");
  status = c_doc != NULL && comma_doc != NULL && strcmp (c_doc, comma_doc) == 0
    && strstr (c_doc, "0.15") != NULL ? 0 : 1;
  printf ("check_locale: under %s the document is %s\n", *l,
          status == 0 ? "identical: 1 passed, 0 failed"
          : "different: 0 passed, 1 failed");
  free (c_doc);
  free (comma_doc);
  mpfr_free_cache ();
  return status;
}
