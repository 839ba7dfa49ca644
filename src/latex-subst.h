/* latex-subst.h -- the substitutions written out entry by entry
   (latex-subst.c), for the derivation's sections in latex.c; internal
   to libfadj, not installed.  Each writes lines of the current align*
   through the writer's steps.  */

#ifndef FADJ_LATEX_SUBST_H
#define FADJ_LATEX_SUBST_H

#include "latex-writer.h"

/* Into BUF: the superscript of layer L's quantities for the first
   sample, "L,(1)", with a batch; "L" alone for one sample.  */
void fadj_subst_sup (char *buf, size_t n, const fadj_writer *w, size_t l);
/* Into BUF: the name of the Jacobian of layer L's activation,
   "\mathrm{D}\sigma" (or "\mathrm{D}\sigma_{L}" when the layers'
   activations differ).  */
void fadj_subst_jac_name (char *buf, size_t n, const fadj_writer *w,
                          size_t l);

/* The next line of the current step, without a left side: REL W->sub
   REL W->res (fadj_writer_step with an empty LHS), on a deck in the
   step's frame.  */
void fadj_subst_continue (fadj_writer *w, int sub_approx, int res_approx);

/* sigma'(Y^l) of a coordinate-wise, not identical sigma named SIG
   ("\sigma'"): formula, the numbers substituted entry by entry (for the
   first sample with a batch), result; with a batch then the result for
   every sample.  */
void fadj_subst_dsigma (fadj_writer *w, size_t l, const char *sig);
/* X^l = softmax(Y^l) (SIGMA names it): the sum of the exponentials,
   then each X_k = e^{Y_k} / sum, for the first sample; then X^l.  */
void fadj_subst_softmax (fadj_writer *w, size_t l, const char *sigma);
/* The Jacobian of softmax layer L at sample S: its entries
   X_k (delta_kj - X_j) with the numbers (SUBST: for the first sample),
   or its value alone.  */
void fadj_subst_jacobian (fadj_writer *w, size_t l, size_t s, int subst);
/* The cross-entropy losses: J = FORMULA, the ln terms with the numbers,
   their values, J.  Nonzero if it wrote the loss (a cross-entropy),
   0 (nothing written) for the other losses.  */
int fadj_subst_loss (fadj_writer *w, const char *formula);
/* The cross-entropy seeds, entry by entry for the first sample, then
   the seed.  Nonzero if it wrote the seed (a cross-entropy), 0
   (nothing written) for the other losses.  */
int fadj_subst_seed (fadj_writer *w);

#endif /* FADJ_LATEX_SUBST_H */
