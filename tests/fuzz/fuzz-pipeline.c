/* fuzz-pipeline.c -- libFuzzer harness of the whole derivation: parse,
   fadj_trace_compute and fadj_latex_write, in the exact domain when the
   network is rational and always in intervals at one fixed precision,
   for networks small enough to derive in milliseconds.

   Oracles besides the sanitizers: the two-step rule must agree with the
   graph's reverse mode (a disagreement is a bug in one of them), and a
   document never shows a NaN or an infinity.  The exponent range is that
   of the programs (cli_init), so that hostile magnitudes over- or
   underflow as they would there.  */

#include "fadj.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Bounds of this harness (not of the program): each run must take
   milliseconds for the fuzzer to explore.  */
#define FUZZ_MAX_NODES 64       /* sum of the weight-matrix entries */
#define FUZZ_PREC 96

static void
derive (const fadj_net *net, fadj_domain domain, unsigned flags)
{
  fadj_ctx ctx = { domain, FUZZ_PREC };
  fadj_latex_opts opts;
  fadj_trace *t = NULL;
  fadj_status st = fadj_trace_compute (&t, net, &ctx);

  fadj_latex_opts_init (&opts);
  opts.flags = flags;
  if (st == FADJ_OK)
    {
      fadj_buf *b = fadj_buf_new ();
      if (!t->check.agree)
        abort ();
      if (b != NULL)
        {
          st = fadj_latex_write (b, t, &opts);
          if (st == FADJ_OK && fadj_buf_status (b) == FADJ_OK)
            {
              const char *doc = fadj_buf_data (b, NULL);
              /* MPFR's spellings of NaN and infinity, and the C ones.  */
              if (strstr (doc, "@NaN@") || strstr (doc, "@Inf@")
                  || strstr (doc, "nan") || strstr (doc, "inf")
                  || strstr (doc, "NaN") || strstr (doc, "Inf"))
                {
                  /* The title is user text: only a hit outside it
                     counts.  */
                  if (net->title == NULL)
                    abort ();
                }
            }
          fadj_buf_free (b);
        }
    }
  else if (st != FADJ_UNDECIDED && st != FADJ_ERR_DOMAIN
           && st != FADJ_ERR_LIMIT && st != FADJ_ERR_NOMEM)
    abort ();
  fadj_trace_free (t);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static int init;
  fadj_net *net = NULL;
  fadj_error err;
  size_t l, n = 0;

  if (!init)
    {
      mpfr_set_emax (FADJ_MAX_BINARY_EXP);
      mpfr_set_emin (-FADJ_MAX_BINARY_EXP);
      init = 1;
    }
  if (fadj_net_parse (&net, &err, (const char *) data, size) != FADJ_OK)
    return 0;
  for (l = 0; l < net->nlayers; l++)
    n += net->layers[l].w.rows * net->layers[l].w.cols;
  if (n <= FUZZ_MAX_NODES && net->nlayers <= 8)
    {
      if (fadj_net_domain (net) == FADJ_EXACT)
        derive (net, FADJ_EXACT, 0);
      derive (net, FADJ_INTERVAL,
              FADJ_LATEX_BIAS_SEPARATE | FADJ_LATEX_INDEX_H
              | (size & 1 ? FADJ_LATEX_FRAGMENT : 0));
    }
  fadj_net_free (net);
  mpfr_free_cache ();
  return 0;
}
