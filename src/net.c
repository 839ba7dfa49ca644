/* net.c -- networks: release, and the domain their derivation needs.
   Networks are built by the parser (net-parse.c).  */

#include "fadj-impl.h"

#include <stdlib.h>

/* Also frees a network the parser abandoned half-built: every counted
   layer has its act_param initialised, matrices not yet read are zeroed
   (fadj_mat_clear accepts those), and SIZES may still be NULL.  */
void
fadj_net_free (fadj_net *net)
{
  size_t l;

  if (net == NULL)
    return;
  for (l = 0; l < net->nlayers; l++)
    {
      fadj_layer *ly = &net->layers[l];
      mpq_clear (ly->act_param);
      fadj_mat_clear (&ly->w);
      fadj_mat_clear (&ly->b);
    }
  free (net->layers);
  free (net->sizes);
  free (net->title);
  fadj_mat_clear (&net->input);
  fadj_mat_clear (&net->target);
  mpq_clear (net->rate);
  free (net);
}

fadj_status
fadj_net_expand (fadj_net *net)
{
  size_t l;
  fadj_status st;

  for (l = 0; l < net->nlayers; l++)
    if ((st = fadj_mat_expand (&net->layers[l].w)) != FADJ_OK)
      return st;
  return FADJ_OK;
}

int
fadj_net_compact_p (const fadj_net *net)
{
  size_t l;

  for (l = 0; l < net->nlayers; l++)
    if (net->layers[l].w.k != NULL)
      return 1;
  return 0;
}

size_t
fadj_net_params (const fadj_net *net)
{
  size_t l, n = 0;

  for (l = 1; l <= net->nlayers; l++)
    n += net->sizes[l] * (net->sizes[l - 1]
                          + (net->layers[l - 1].has_bias != 0));
  return n;
}

int
fadj_net_full_check_p (const fadj_net *net)
{
  return fadj_net_params (net) <= FADJ_FULL_CHECK_MAX_PARAMS;
}

/* The weights and data are rationals, so only the functions decide:
   one transcendental activation (sigmoid, tanh, softplus, elu, gelu,
   silu, softmax) or loss (the cross-entropies) sends the whole
   derivation to intervals.  */
fadj_domain
fadj_net_domain (const fadj_net *net)
{
  size_t l;

  if (!fadj_loss_rational_p (net->loss))
    return FADJ_INTERVAL;
  for (l = 0; l < net->nlayers; l++)
    if (!fadj_act_rational_p (net->layers[l].act))
      return FADJ_INTERVAL;
  return FADJ_EXACT;
}
