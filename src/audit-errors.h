/* audit-errors.h -- fadj-audit's error measures (audit-errors.c): the
   errors of a reference value against a certified gradient entry, their
   maxima, and the tolerance's verdict, for the report writer
   (audit-write.c).  Program code.  */

#ifndef FADJ_AUDIT_ERRORS_H
#define FADJ_AUDIT_ERRORS_H

#include "fadj.h"

/* Which value of the report: for the worst entry, messages and CSV.  */
enum { AUDIT_WEIGHT, AUDIT_BIAS, AUDIT_INPUT, AUDIT_LOSS };

typedef struct
{
  int kind;               /* AUDIT_WEIGHT, ... */
  size_t layer, row, col; /* 0-based row and column */
} audit_entry;

/* Append the decimal digits of V at P; returns the new end.  */
char *audit_put_uz (char *p, size_t v);

/* Write the name of ID ("dJ/dW^2[1,3]", 1-based) into BUF (SIZE
   bytes); returns its length.  */
size_t audit_entry_name (char *buf, size_t size, const audit_entry *id);

/* A reference value: the rational Q, or (Q NULL) K BASE^X, BASE 2 or
   10, an entry of a scaled matrix (fadj_mat), read without a
   rational.  */
typedef struct
{
  mpq_srcptr q;
  int64_t k;
  long x;
  int base;
} audit_ref;

/* The errors of one entry, or the maxima of a set of entries.  */
typedef struct
{
  int any;                /* at least one entry merged */
  int rel_inf;            /* rel is infinite (g = 0 != r) */
  fadj_num_t abs, rel, ulp;
  /* The entry's own condition (audit_errs_condition; one entry only):
     HAS_COND 0 for the loss.  COND = sum |terms| / |sum terms|, BOUND =
     gamma_n sum |terms| in ulps of the reference, RATIO = abs / (gamma_n
     sum |terms|); COND_INF, RATIO_INF: a zero denominator.  */
  int has_cond, cond_inf, ratio_inf;
  size_t nterms;
  fadj_num_t cond, bound, ratio;
  audit_entry worst;      /* the entry with the largest ulp error */
  fadj_num_t worst_g;     /* its certified value */
  mpq_t worst_r;          /* and its reference */
  /* Scratch of audit_errs_measure: a scaled reference as a rational
     (RQ), the powers of ten 10^x, x = -FADJ_SCALED_EXP10_MAX ..
     FADJ_SCALED_EXP10_MAX, enclosed at the context's precision as they
     are first needed (POW10, HAVE_POW10; NULL until then).  */
  fadj_ctx ctx;
  mpq_t rq;
  fadj_num_struct *pow10;
  unsigned char *have_pow10;
  fadj_num_t r;           /* the reference value, enclosed */
  fadj_num_t g;           /* the certified value at the errors'
                             precision, for the relative error */
  int fast;               /* errors in doubles first (measure_fast) */
  /* LAZY (set by the caller): measure_fast may leave an entry's errors
     in doubles, D_OK then set and ABS, REL, ULP not: only
     audit_errs_merge reads them.  A maximum keeps such entries apart
     (D_ANY, the run since the last other entry: its maxima D_*, its
     worst entry D_WORST*), folded into the numbers by audit_errs_settle,
     in order, before any other entry and before it is read.  */
  int lazy, d_ok, d_any;
  double d_abs[2], d_rel[2], d_ulp[2];
  audit_entry d_worst;
  fadj_num_t d_worst_g;
  audit_ref d_worst_r;
  /* The powers of ten of audit_errs_measure_mul, as 128-bit integers
     (NULL until one is needed).  */
  void *cheap_p10;
  /* And what it has found of its operands, by their addresses.  */
  void *cheap_mags;
} audit_errs;

/* Initialise E (no entry yet) in CTX's domain and precision; clear it.  */
void audit_errs_init (audit_errs *e, const fadj_ctx *ctx);
void audit_errs_clear (audit_errs *e);

/* E = the errors of the certified value G against the reference R, whose
   units in the last place are those of binary32 (BITS = 24) or binary64
   (53).  FADJ_UNDECIDED when the relative error's sign is not decided
   (G's enclosure contains 0).  */
fadj_status audit_errs_measure (audit_errs *e, fadj_num_srcptr g,
                                const audit_ref *r, int bits) FADJ_WUR;

/* E = the errors of the certified value A B (the product of two
   enclosures, not formed) against R, as audit_errs_measure, on 128-bit
   integers instead of the working precision: 1; or 0, nothing set,
   where that cheap path does not apply or cannot decide the errors as
   tightly (0 inside A or B, R within A B's enclosure or near it, a
   value beyond the normal doubles, E not LAZY, ...), and the caller
   takes audit_errs_measure.  A and B are remembered by their addresses
   for E's life: the values there must not change while E lives.  */
int audit_errs_measure_mul (audit_errs *e, fadj_num_srcptr a,
                            fadj_num_srcptr b, const audit_ref *r,
                            int bits);

/* Does audit_errs_merge (M, E, ...) read its certified value G (E is
   not in doubles, or would be M's worst so far)?  */
int audit_errs_takes_g (const audit_errs *m, const audit_errs *e);

/* The condition of entry ID of the trace T (certified value G, the
   reference R, binary32 (BITS 24) or binary64 (53)) into E, whose errors
   audit_errs_measure has set.  The entry is a sum of n terms: over the
   samples s, Y^l_*[i,s] X^{l-1}[j,s] for dJ/dW^l[i,j] and Y^l_*[i,s] for
   dJ/db^l[i] (over the neurons too for a shared bias); over the neurons
   k of layer 1, W^1[k,i] Y^1_*[k,s] for dJ/dX^0[i,s]; each read as a
   derivative of J (divided by m under 'batch mean', which adds one
   rounding: n + 1).  gamma_n = n u / (1 - n u), u = 2^-BITS, bounds the
   error of any floating-point evaluation of such a sum or dot product
   in that format relative to sum |terms| (Higham, Accuracy and
   Stability of Numerical Algorithms, 2nd ed., (3.4)-(3.5)).
   FADJ_UNDECIDED when a denominator's enclosure contains 0.  */
fadj_status audit_errs_condition (audit_errs *e, const fadj_trace *t,
                                  const audit_entry *id, fadj_num_srcptr g,
                                  const audit_ref *r, int bits) FADJ_WUR;

/* M = the maxima of M and of E, the errors of entry ID (certified G,
   reference R); ID becomes M's worst when its ulp error's upper bound is
   the new largest (ties keep the earlier entry).  */
void audit_errs_merge (audit_errs *m, const audit_errs *e,
                       const audit_entry *id, fadj_num_srcptr g,
                       const audit_ref *r);

/* Fold the entries M keeps in doubles into its maxima and worst entry
   (see LAZY); a no-op without any.  Before M is read.  */
void audit_errs_settle (audit_errs *m);

/* R as a rational: R->q, or Q set to it and returned.  */
mpq_srcptr audit_ref_get_q (mpq_t q, const audit_ref *r);

/* *EXCEEDED = whether M's largest ulp error is above TOLERANCE;
   FADJ_UNDECIDED when its enclosure does not tell.  M has an entry.  */
fadj_status audit_errs_exceeds (int *exceeded, const audit_errs *m,
                                const mpq_t tolerance) FADJ_WUR;

#endif
