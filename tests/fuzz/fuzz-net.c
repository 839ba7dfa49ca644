/* fuzz-net.c -- libFuzzer harness of the network-file parser
   (fadj_net_parse).  Oracles besides the sanitizers: a failure has a
   position and a printable one-line message; a success is a consistent
   network (the sizes the F-propagation relies on); and the compact mode
   (FADJ_PARSE_COMPACT) agrees with the ordinary one on everything: the
   same status, error and message, the same weights once expanded.  */

#include "fadj.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The parse of DATA with FADJ_PARSE_COMPACT against NET, ST and ERR,
   the ordinary parse's results.  */
static void
check_compact (const uint8_t *data, size_t size, const fadj_net *net,
               fadj_status st, const fadj_error *err)
{
  fadj_net *c = NULL;
  fadj_error cerr;
  fadj_status cst = fadj_net_parse_opts (&c, &cerr, (const char *) data,
                                         size, FADJ_PARSE_COMPACT);
  size_t l, k;

  if (cst != st)
    abort ();
  if (st != FADJ_OK)
    {
      if (c != NULL || cerr.line != err->line || cerr.col != err->col
          || strcmp (cerr.msg, err->msg) != 0)
        abort ();
      return;
    }
  if (fadj_net_expand (c) != FADJ_OK || c->nlayers != net->nlayers)
    abort ();
  for (l = 0; l < net->nlayers; l++)
    {
      const fadj_mat *a = &net->layers[l].w, *b = &c->layers[l].w;
      if (a->rows != b->rows || a->cols != b->cols || b->k != NULL)
        abort ();
      for (k = 0; k < a->rows * a->cols; k++)
        if (!mpq_equal (FADJ_NUM_Q (&a->e[k]), FADJ_NUM_Q (&b->e[k])))
          abort ();
    }
  fadj_net_free (c);
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_net (const fadj_net *net)
{
  size_t l;

  if (net->nlayers < 1 || net->nlayers > FADJ_MAX_LAYERS
      || net->nsamples < 1 || net->sizes == NULL)
    abort ();
  if (net->input.rows != net->sizes[0]
      || net->input.cols != net->nsamples
      || net->target.rows != net->sizes[net->nlayers]
      || net->target.cols != net->nsamples)
    abort ();
  for (l = 0; l < net->nlayers; l++)
    {
      const fadj_layer *ly = &net->layers[l];
      if (ly->w.rows != net->sizes[l + 1] || ly->w.cols != net->sizes[l]
          || ly->w.rows < 1 || ly->w.rows > FADJ_MAX_WIDTH
          || (ly->has_bias && (ly->b.rows != ly->w.rows || ly->b.cols != 1))
          || (unsigned) ly->act >= FADJ_ACT_COUNT)
        abort ();
    }
  if ((unsigned) net->loss >= FADJ_LOSS_COUNT)
    abort ();
  (void) fadj_net_domain (net);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fadj_net *net = NULL;
  fadj_error err;
  fadj_status st;
  const char *m;

  st = fadj_net_parse (&net, &err, (const char *) data, size);
  check_compact (data, size, net, st, &err);
  if (st == FADJ_OK)
    {
      if (net == NULL)
        abort ();
      check_net (net);
      fadj_net_free (net);
      return 0;
    }
  if (net != NULL || err.line < 1 || err.col < 1 || err.msg[0] == '\0')
    abort ();
  /* One line, no control bytes: the message goes to a terminal.  */
  for (m = err.msg; *m; m++)
    if ((unsigned char) *m < 0x20 || *m == 0x7F)
      abort ();
  return 0;
}
