/* fuzz-net.c -- libFuzzer harness of the network-file parser
   (fadj_net_parse).  Oracles besides the sanitizers: a failure has a
   position and a printable one-line message; a success is a consistent
   network (the sizes the F-propagation relies on).  */

#include "fadj.h"

#include <stdint.h>
#include <stdlib.h>

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
