/* check-chain.c -- the third check of a gradient entry: the scalar
   chain rule of one weight, as a textbook writes it, summed path by
   path.  Each path from the weight to the loss contributes the product
   of one seed entry, the derivatives of the activations met on the way,
   the weights crossed and the weight's input; the sum uses the
   F-propagation, sigma' (or a vector map's Jacobian) and the seed, never
   the two-step rule's Y^l_* or X^l_*, so comparing it with the entry
   (i, j) of Y^l_* (X^{l-1})^T checks the two-step rule — the point of
   the paper: the two-step rule is this chain rule organised by layers,
   each layer's sum done once instead of once per path.  The document
   prints the paths (latex-chain.c) and the result of the comparison;
   fadj-explain fails if it is a disagreement.

   A coordinate-wise layer q is crossed at one neuron k_q: X^q_{k_q}
   depends on Y^q_{k_q} alone, with the factor sigma'(Y^q_{k_q}).  A
   vector map (softmax) makes every X^q_a depend on every Y^q_b, so a
   path enters it at Y^q_{k'_q} and leaves it at X^q_{k_q}, any pair,
   with the factor dX^q_{k_q}/dY^q_{k'_q}, the entry (k_q, k'_q) of the
   Jacobian J_sigma(Y^q) that step 1 uses: the paths branch over the
   N_q^2 pairs instead of the N_q neurons (over the N_q entries k_l at
   the weight's own layer, where k'_l is the weight's row).  */

#include "fadj-impl.h"

#include <assert.h>
#include <stdlib.h>

/* The most paths summed; beyond, the chain rule is no way to compute a
   gradient, which is rather the point, and the option is refused.  */
#define CHAIN_MAX_PATHS FADJ_CHAIN_MAX_PATHS

/* Number of paths from the weight of layer L, row fixed, to the loss
   (times the samples): the product of the choices of every layer met.
   A layer above L offers N_q of k_q, and in a vector map N_q more of
   k'_q; layer L itself, whose k'_l is the row, offers N_l of k_l in a
   vector map only.  0 if more than CHAIN_MAX_PATHS.  */
static size_t
count_paths (const fadj_net *net, size_t l)
{
  size_t n = net->nsamples, p, r;

  for (p = l; p <= net->nlayers; p++)
    for (r = (p > l) + fadj_act_vector_p (net->layers[p - 1].act); r > 0;
         r--)
      {
        if (n > CHAIN_MAX_PATHS / net->sizes[p])
          return 0;
        n *= net->sizes[p];
      }
  return n;
}

fadj_status
fadj_chain_validate (const fadj_net *net, const fadj_latex_chain *c)
{
  if (c->layer < 1 || c->layer > net->nlayers)
    return FADJ_ERR_INPUT;
  if (c->row < 1 || c->row > net->sizes[c->layer])
    return FADJ_ERR_INPUT;
  if (c->col < 1 || c->col > net->sizes[c->layer - 1]
      + (net->layers[c->layer - 1].has_bias != 0))
    return FADJ_ERR_INPUT;
  /* The paths depend on the sizes alone: known before any derivation.  */
  if (count_paths (net, c->layer) == 0)
    return FADJ_ERR_LIMIT;
  return FADJ_OK;
}

/* ------------------------------------------------------------------ */
/* The paths.                                                          */

fadj_status
fadj_chain_paths_init (fadj_chain_paths *p, const fadj_trace *t,
                       const fadj_latex_chain *c)
{
  size_t q;

  p->t = t;
  p->c = c;
  p->npaths = count_paths (t->net, c->layer);
  p->nf = 2 * (t->L - c->layer) + 3;
  if (p->npaths == 0)
    return FADJ_ERR_LIMIT;
  /* K and KY in one block.  */
  p->k = malloc (2 * (t->L + 1) * sizeof *p->k);
  p->ky = p->k + t->L + 1;
  p->f = malloc (p->nf * sizeof *p->f);
  if (p->k == NULL || p->f == NULL)
    {
      free (p->k);
      free (p->f);
      return FADJ_ERR_NOMEM;
    }
  for (q = 0; q < p->nf; q++)
    fadj_num_init (p->f + q, &t->ctx);
  return FADJ_OK;
}

void
fadj_chain_paths_clear (fadj_chain_paths *p)
{
  size_t q;

  for (q = 0; q < p->nf; q++)
    fadj_num_clear (p->f + q);
  free (p->f);
  free (p->k);
}

/* X^{l-1}_{j,s} of chain C, as the weight's input: the input entry, the
   activation, or the 1 of a bias.  */
static void
chain_input (fadj_num_ptr r, const fadj_trace *t, const fadj_latex_chain *c,
             size_t s)
{
  size_t l = c->layer, j = c->col - 1;

  if (j == t->net->sizes[l - 1])
    fadj_num_set_si (r, 1);
  else if (l == 1)
    fadj_num_convert (r, FADJ_MAT (&t->net->input, j, s));
  else
    fadj_num_set (r, FADJ_MAT (t->X + l - 1, j, s));
}

/* Take the next index, of N values, off the path number *PATH.  */
static size_t
next_index (size_t *path, size_t n)
{
  size_t k = *path % n;

  *path /= n;
  return k;
}

size_t
fadj_chain_paths_factors (fadj_chain_paths *p, size_t path)
{
  const fadj_trace *t = p->t;
  const fadj_latex_chain *c = p->c;
  size_t *k = p->k, *ky = p->ky, l = c->layer, q, s, n = 0;

  /* The neurons crossed, K[q] of X^q and KY[q] of Y^q in each layer
     q = l .. L (equal but in a vector map), and the sample S: the one
     nearest the loss varies fastest, the sample slowest.  */
  for (q = t->L; q > l; q--)
    {
      k[q] = next_index (&path, t->net->sizes[q]);
      ky[q] = fadj_chain_pairs_p (t, q)
        ? next_index (&path, t->net->sizes[q]) : k[q];
    }
  ky[l] = c->row - 1;
  k[l] = fadj_chain_pairs_p (t, l) ? next_index (&path, t->net->sizes[l])
         : ky[l];
  s = p->s = path;
  fadj_num_set (p->f + n++, FADJ_MAT (t->xs + t->L, k[t->L], s));
  for (q = t->L; q >= l; q--)
    {
      /* dX^q_{k_q} / dY^q_{k'_q}: the Jacobian's entry of sample s
         (its block s, fadj_trace.jac), or sigma'.  */
      if (fadj_chain_pairs_p (t, q))
        fadj_num_set (p->f + n++, FADJ_MAT (t->jac + q, k[q],
                                            s * t->net->sizes[q] + ky[q]));
      else
        fadj_num_set (p->f + n++, FADJ_MAT (t->dsig + q, k[q], s));
      if (q > l)
        fadj_num_convert (p->f + n++,
                          FADJ_MAT (&t->net->layers[q - 1].w, ky[q],
                                    k[q - 1]));
    }
  chain_input (p->f + n++, t, c, s);
  return n;
}

/* ------------------------------------------------------------------ */
/* The sum and the comparison.                                         */

/* R = dJ/dw^l_{ij} by the scalar chain rule: the sum, over every path
   from the weight to the loss (and every sample), of the product of its
   factors; under 'batch mean', J being the mean of the samples' losses,
   that sum over m.  R is initialised by the caller in T's context.
   FADJ_ERR_LIMIT beyond CHAIN_MAX_PATHS paths.  */
static fadj_status
path_sum (fadj_num_ptr r, const fadj_trace *t, const fadj_latex_chain *c)
{
  fadj_chain_paths p;
  fadj_num_t prod;
  fadj_status st;
  size_t path, q, n;

  if (fadj_chain_validate (t->net, c) != FADJ_OK)
    return FADJ_ERR_INPUT;
  st = fadj_chain_paths_init (&p, t, c);
  if (st != FADJ_OK)
    return st;
  fadj_num_init (prod, &t->ctx);
  /* An exact 0 to start from, so that the sum of exact products (a
     trace's exact values: fadj_trace_exact_values) stays exact.  */
  fadj_num_set_exact_si (r, 0);
  for (path = 0; path < p.npaths; path++)
    {
      n = fadj_chain_paths_factors (&p, path);
      fadj_num_set (prod, p.f);
      for (q = 1; q < n; q++)
        fadj_num_mul (prod, prod, p.f + q);
      fadj_num_add (r, r, prod);
    }
  fadj_trace_of_J (r, t, r);
  fadj_num_clear (prod);
  fadj_chain_paths_clear (&p);
  return FADJ_OK;
}

fadj_status
fadj_chain_check (fadj_latex_results *r, const fadj_trace *t, size_t n,
                  const fadj_latex_chain *c)
{
  size_t k;

  assert (r->nchains == 0 && r->chains == NULL);
  if (n == 0)
    return FADJ_OK;
  r->chains = malloc (n * sizeof *r->chains);
  if (r->chains == NULL)
    return FADJ_ERR_NOMEM;
  r->nchains = n;
  for (k = 0; k < n; k++)
    {
      fadj_chain_result *ck = r->chains + k;
      fadj_num_init (ck->sum, &t->ctx);
      ck->status = path_sum (ck->sum, t, c + k);
      /* Two enclosures of the same number meet; exact values are
         equal.  */
      ck->agree = ck->status == FADJ_OK
        && fadj_num_compatible_p (ck->sum,
                                  FADJ_MAT (t->grad + c[k].layer,
                                            c[k].row - 1, c[k].col - 1));
    }
  return FADJ_OK;
}
