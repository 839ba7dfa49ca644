/* audit-errors.c -- fadj-audit's error measures: the errors of a
   reference value against a certified gradient entry, their maxima over
   a set of entries, and whether the largest exceeds the tolerance; all
   over the number core, so that they are exact on the exact path and
   enclosures on the interval path.

   For a reference value r (an exact rational, typically a binary32 or
   binary64 number written as a hex float) and a certified value g:
     abs = |r - g|,  rel = abs / |g|  (infinite if g = 0 != r),
     ulp = abs / ulp(r), ulp(r) = 2^(max(e, emin) - p + 1) with
           2^e <= |r| < 2^(e+1), (p, emin) = (24, -126) for binary32 and
           (53, -1022) for binary64; for r = 0, ulp = 2^(emin - p + 1).
   Maxima are enclosed by the maxima of both endpoints (fadj_num_max).  */

#include "config.h"
#include "audit-errors.h"

#include <string.h>

void
audit_errs_init (audit_errs *e, const fadj_ctx *ctx)
{
  memset (e, 0, sizeof *e);
  fadj_num_init (e->abs, ctx);
  fadj_num_init (e->rel, ctx);
  fadj_num_init (e->ulp, ctx);
  fadj_num_init (e->worst_g, ctx);
  mpq_init (e->worst_r);
}

void
audit_errs_clear (audit_errs *e)
{
  fadj_num_clear (e->abs);
  fadj_num_clear (e->rel);
  fadj_num_clear (e->ulp);
  fadj_num_clear (e->worst_g);
  mpq_clear (e->worst_r);
}

/* The exponent of ulp(R) in the format of BITS significant bits (24:
   binary32, else binary64), as defined above.  */
static long
ulp_exponent (const mpq_t r, int bits)
{
  long emin = bits == 24 ? -126 : -1022, e;
  mpz_t t;
  int below;

  if (mpq_sgn (r) == 0)
    return emin - (bits - 1);
  /* With a = |p|, b = q and e the difference of their sizes in bits,
     a / b lies in (2^(e-1), 2^(e+1)): floor (log2 |r|) is e, or e - 1
     when a < b 2^e.  */
  e = (long) mpz_sizeinbase (mpq_numref (r), 2)
    - (long) mpz_sizeinbase (mpq_denref (r), 2);
  mpz_init (t);
  if (e >= 0)
    {
      mpz_mul_2exp (t, mpq_denref (r), (mp_bitcnt_t) e);
      below = mpz_cmpabs (mpq_numref (r), t) < 0;
    }
  else
    {
      mpz_mul_2exp (t, mpq_numref (r), (mp_bitcnt_t) -e);
      below = mpz_cmpabs (t, mpq_denref (r)) < 0;
    }
  mpz_clear (t);
  e -= below;
  if (e < emin)
    e = emin;
  return e - (bits - 1);
}

fadj_status
audit_errs_measure (audit_errs *e, fadj_num_srcptr g, const mpq_t r,
                    int bits)
{
  int sign;
  fadj_status st;

  e->rel_inf = 0;
  fadj_num_set_q (e->abs, r);
  fadj_num_sub (e->abs, e->abs, g);
  fadj_num_abs (e->abs, e->abs);

  if (fadj_num_zero_p (g))
    {
      e->rel_inf = !fadj_num_zero_p (e->abs) || mpq_sgn (r) != 0;
      fadj_num_set_si (e->rel, 0);
    }
  else
    {
      /* abs / g, negated for a negative g: the sign must be decided
         anyway for the division, and a negation is exact.  */
      if ((st = fadj_num_sgn (&sign, g)) != FADJ_OK)
        return st;
      if ((st = fadj_num_div (e->rel, e->abs, g)) != FADJ_OK)
        return st;
      if (sign < 0)
        fadj_num_neg (e->rel, e->rel);
    }
  fadj_num_mul_2si (e->ulp, e->abs, -ulp_exponent (r, bits));
  return FADJ_OK;
}

/* M = max (M, X), or X for the FIRST entry; nonzero when X gives M's
   upper bound.  */
static int
max_into (fadj_num_ptr m, fadj_num_srcptr x, int first)
{
  if (!first)
    return fadj_num_max (m, m, x);
  fadj_num_set (m, x);
  return 1;
}

void
audit_errs_merge (audit_errs *m, const audit_errs *e, const audit_entry *id,
                  fadj_num_srcptr g, const mpq_t r)
{
  int first = !m->any;

  max_into (m->abs, e->abs, first);
  /* An infinite relative error is a flag, not a value to compare.  */
  if (!e->rel_inf)
    max_into (m->rel, e->rel, first);
  m->rel_inf |= e->rel_inf;
  if (max_into (m->ulp, e->ulp, first))
    {
      m->worst = *id;
      fadj_num_set (m->worst_g, g);
      mpq_set (m->worst_r, r);
    }
  m->any = 1;
}

/* Exceeded if the largest ulp error is certainly above the tolerance;
   within if certainly at most (equal to it included); else the caller
   needs more precision.  */
fadj_status
audit_errs_exceeds (int *exceeded, const audit_errs *m, const mpq_t tolerance)
{
  return fadj_num_gt_q (exceeded, m->ulp, tolerance);
}
