/* fuzz-pipeline.c -- libFuzzer harness of the whole derivation: parse,
   fadj_trace_compute and fadj_latex_write, in the exact domain when the
   network is rational and always in intervals at one fixed precision,
   for networks small enough to derive in milliseconds; then the lean
   path (no scalar graph: fadj_trace_compute_flags with 0), in intervals
   also on the network read with compact weights (FADJ_PARSE_COMPACT,
   as fadj-audit reads it), the directional check (fadj_trace_directional) and one training step
   (fadj_train, the standard or the local update).

   Oracles besides the sanitizers: the two-step rule must agree with the
   graph's reverse mode, the forward-mode directional derivative and,
   after the step, again with the reverse mode (a disagreement is a bug
   in one of them); the lean path's loss and gradients (every dJ/dW^l
   entry, biases included, and X^0_*) must be compatible with the graph
   path's (equal rationals, overlapping intervals); and a document never
   shows a NaN or an infinity.  The exponent range is that
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

/* Abort unless the lean derivation TL and the graph one T agree.  */
static void
compare_lean (const fadj_trace *tl, const fadj_trace *t)
{
  const fadj_net *net = t->net;
  fadj_num_t a, b;
  size_t l, i, j;

  if (!fadj_num_compatible_p (tl->J, t->J))
    abort ();
  fadj_num_init (a, &t->ctx);
  fadj_num_init (b, &t->ctx);
  for (l = 1; l <= net->nlayers; l++)
    for (i = 0; i < net->sizes[l]; i++)
      for (j = 0; j < net->sizes[l - 1]
             + (net->layers[l - 1].has_bias != 0); j++)
        {
          fadj_trace_gradient_entry (a, tl, l, i, j);
          fadj_trace_gradient_entry (b, t, l, i, j);
          if (!fadj_num_compatible_p (a, b))
            abort ();
        }
  for (i = 0; i < t->xs[0].rows * t->xs[0].cols; i++)
    if (!fadj_num_compatible_p (tl->xs[0].e + i, t->xs[0].e + i))
      abort ();
  fadj_num_clear (a);
  fadj_num_clear (b);
}

/* The lean path, the directional check and a training step from T; in
   intervals the lean path of CNET (NET with compact weights) too.  */
static void
more (const fadj_trace *t, const fadj_net *cnet, unsigned variant)
{
  const fadj_net *net = t->net;
  fadj_trace *tl = NULL;
  fadj_training *tr = NULL;
  fadj_status st;
  mpq_t rate;

  if (t->ctx.domain == FADJ_INTERVAL)
    {
      st = fadj_trace_compute_flags (&tl, cnet, &t->ctx, 0);
      if (st == FADJ_OK)
        compare_lean (tl, t);
      else if (st != FADJ_UNDECIDED && st != FADJ_ERR_DOMAIN
               && st != FADJ_ERR_LIMIT && st != FADJ_ERR_NOMEM)
        abort ();
      fadj_trace_free (tl);
      tl = NULL;
    }
  st = fadj_trace_compute_flags (&tl, net, &t->ctx, 0);
  if (st == FADJ_OK)
    {
      fadj_check c;
      fadj_num_t fwd, proj;
      compare_lean (tl, t);
      fadj_num_init (fwd, &t->ctx);
      fadj_num_init (proj, &t->ctx);
      st = fadj_trace_directional (&c, fwd, proj, tl, variant);
      if (st == FADJ_OK && !c.agree)
        abort ();
      fadj_num_clear (fwd);
      fadj_num_clear (proj);
    }
  if (st != FADJ_OK && st != FADJ_UNDECIDED && st != FADJ_ERR_DOMAIN
      && st != FADJ_ERR_LIMIT && st != FADJ_ERR_NOMEM)
    abort ();
  fadj_trace_free (tl);

  mpq_init (rate);
  if (net->has_rate)
    mpq_set (rate, net->rate);
  else
    mpq_set_ui (rate, 1, 8);
  st = fadj_train (&tr, t, 1, rate, variant & 1 ? FADJ_UPDATE_LOCAL
                   : FADJ_UPDATE_STANDARD);
  if (st == FADJ_OK && !tr->check.agree)
    abort ();
  if (st != FADJ_OK && st != FADJ_UNDECIDED && st != FADJ_ERR_DOMAIN
      && st != FADJ_ERR_LIMIT && st != FADJ_ERR_NOMEM)
    abort ();
  fadj_training_free (tr);
  mpq_clear (rate);
}

static void
derive (const fadj_net *net, const fadj_net *cnet, fadj_domain domain,
        unsigned flags, unsigned variant)
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
          st = fadj_latex_write (b, t, &opts, NULL);
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
      more (t, cnet, variant);
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
  fadj_net *net = NULL, *cnet = NULL;
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
  if (fadj_net_parse_opts (&cnet, &err, (const char *) data, size,
                           FADJ_PARSE_COMPACT) != FADJ_OK)
    abort ();                   /* fuzz-net compares the two parses */
  for (l = 0; l < net->nlayers; l++)
    n += net->layers[l].w.rows * net->layers[l].w.cols;
  if (n <= FUZZ_MAX_NODES && net->nlayers <= 8)
    {
      if (fadj_net_domain (net) == FADJ_EXACT)
        derive (net, cnet, FADJ_EXACT, 0, (unsigned) size);
      derive (net, cnet, FADJ_INTERVAL,
              FADJ_LATEX_BIAS_SEPARATE | FADJ_LATEX_INDEX_H
              | (size & 1 ? FADJ_LATEX_FRAGMENT : 0), (unsigned) size >> 1);
    }
  fadj_net_free (net);
  fadj_net_free (cnet);
  mpfr_free_cache ();
  return 0;
}
