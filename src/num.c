/* num.c -- the number core: one tagged value, exact rationals (GMP mpq)
   or enclosing intervals (MPFI), and the few operations the engine and
   the F-adjoint need.  Every function dispatches on the domain tag, so
   the network code above is written once for both domains.

   The tag is each value's own.  A derivation runs in one context, but
   a value of an interval derivation that is a rational function of the
   data may be kept exact (fadj_num_set_exact), and the operations
   accept operands of both domains: on exact operands only the result
   is exact; otherwise it is an enclosure, at R's precision when R is an
   interval, else at the widest operand's -- except that a product with
   an exact 0 is an exact 0.  R takes the domain of its result.  The
   common case, every operand and R of one domain, takes the direct
   path.  */

#include "fadj-impl.h"

#include <assert.h>

#define SAME_DOMAIN(a, b) assert ((a)->domain == (b)->domain)
#define ALL_SAME(r, a, b) \
  ((r)->domain == (a)->domain && (a)->domain == (b)->domain)

/* ------------------------------------------------------------------ */
/* Interval products.                                                  */

/* 1 when the interval X is positive, -1 when negative, 0 when it
   contains or touches 0.  */
static inline int
interval_sign (mpfi_srcptr x)
{
  if (mpfr_sgn (&x->left) > 0)
    return 1;
  if (mpfr_sgn (&x->right) < 0)
    return -1;
  return 0;
}

/* T = X * Y, T distinct from X and Y.  When neither contains 0 the
   extreme products are known from the signs: one product rounded down,
   one rounded up, as mpfi_mul makes them -- which, for mixed signs,
   first allocates a temporary so that T may be X or Y, on nearly every
   product of a reverse sweep (adjoints and weights of either sign) and
   of a gradient's entries.  */
void
fadj_interval_mul (mpfi_ptr t, mpfi_srcptr x, mpfi_srcptr y)
{
  int sx = interval_sign (x), sy = interval_sign (y);
  mpfr_srcptr lx, ly, hx, hy;   /* the factors of the lower and upper */

  if (sx == 0 || sy == 0)
    {
      mpfi_mul (t, x, y);
      return;
    }
  if (sx > 0 && sy > 0)         /* [xl yl, xr yr] */
    lx = &x->left, ly = &y->left, hx = &x->right, hy = &y->right;
  else if (sx > 0)              /* y < 0: [xr yl, xl yr] */
    lx = &x->right, ly = &y->left, hx = &x->left, hy = &y->right;
  else if (sy > 0)              /* x < 0: [xl yr, xr yl] */
    lx = &x->left, ly = &y->right, hx = &x->right, hy = &y->left;
  else                          /* both < 0: [xr yr, xl yl] */
    lx = &x->right, ly = &y->right, hx = &x->left, hy = &y->left;
  mpfr_mul (&t->left, lx, ly, MPFR_RNDD);
  mpfr_mul (&t->right, hx, hy, MPFR_RNDU);
}


/* ------------------------------------------------------------------ */
/* Mixed domains.                                                      */

/* Make R's representation DOMAIN (an interval of PREC bits); its value
   is then unspecified.  Nothing is done when R has that domain.  */
static void
reshape (fadj_num_ptr r, fadj_domain domain, mpfr_prec_t prec)
{
  if (r->domain == domain)
    return;
  if (domain == FADJ_EXACT)
    {
      mpfi_clear (&r->u.i);
      mpq_init (&r->u.q);
    }
  else
    {
      mpq_clear (&r->u.q);
      mpfi_init2 (&r->u.i, prec);
    }
  r->domain = domain;
}

/* The precision of an enclosure R gets from A and B: R's own when it is
   an interval, else that of R's context, else the larger of the
   operands' (their own or their contexts').  */
static mpfr_prec_t
result_prec (fadj_num_srcptr r, fadj_num_srcptr a, fadj_num_srcptr b)
{
  mpfr_prec_t p = 0, q;

  if (r->domain == FADJ_INTERVAL)
    return mpfi_get_prec (&r->u.i);
  if (r->prec > 0)
    return r->prec;
  p = a->domain == FADJ_INTERVAL ? mpfi_get_prec (&a->u.i) : a->prec;
  if (b != NULL)
    {
      q = b->domain == FADJ_INTERVAL ? mpfi_get_prec (&b->u.i) : b->prec;
      if (q > p)
        p = q;
    }
  assert (p > 0);
  return p;
}

/* A as an interval: A's own, or T (initialised here to PREC bits, to
   be cleared by the caller when *MADE) enclosing the rational A.  */
static mpfi_srcptr
as_interval (mpfi_ptr t, int *made, fadj_num_srcptr a, mpfr_prec_t prec)
{
  *made = a->domain == FADJ_EXACT;
  if (!*made)
    return &a->u.i;
  mpfi_init2 (t, prec);
  mpfi_set_q (t, &a->u.q);
  return t;
}

typedef enum { MIXED_ADD, MIXED_SUB, MIXED_MUL, MIXED_DIV } mixed_op;

/* R = A OP B when R, A and B are not all of one domain.  For a quotient
   the caller has made sure that B is not (and does not contain) 0.  */
static void
mixed (fadj_num_ptr r, fadj_num_srcptr a, fadj_num_srcptr b, mixed_op op)
{
  mpfi_t ta, tb, t;
  mpfi_srcptr ia, ib;
  int ma, mb;
  mpfr_prec_t p;

  if (a->domain == FADJ_EXACT && b->domain == FADJ_EXACT)
    {
      mpq_t q;
      mpq_init (q);
      if (op == MIXED_ADD)
        mpq_add (q, &a->u.q, &b->u.q);
      else if (op == MIXED_SUB)
        mpq_sub (q, &a->u.q, &b->u.q);
      else if (op == MIXED_MUL)
        mpq_mul (q, &a->u.q, &b->u.q);
      else
        mpq_div (q, &a->u.q, &b->u.q);
      reshape (r, FADJ_EXACT, 0);
      mpq_swap (&r->u.q, q);
      mpq_clear (q);
      return;
    }
  if (op == MIXED_MUL
      && ((a->domain == FADJ_EXACT && mpq_sgn (&a->u.q) == 0)
          || (b->domain == FADJ_EXACT && mpq_sgn (&b->u.q) == 0)))
    {
      reshape (r, FADJ_EXACT, 0);
      mpq_set_ui (&r->u.q, 0, 1);
      return;
    }
  p = result_prec (r, a, b);
  ia = as_interval (ta, &ma, a, p);
  ib = as_interval (tb, &mb, b, p);
  mpfi_init2 (t, p);
  if (op == MIXED_ADD)
    mpfi_add (t, ia, ib);
  else if (op == MIXED_SUB)
    mpfi_sub (t, ia, ib);
  else if (op == MIXED_MUL)
    mpfi_mul (t, ia, ib);
  else
    mpfi_div (t, ia, ib);
  if (ma)
    mpfi_clear (ta);
  if (mb)
    mpfi_clear (tb);
  /* An interval R keeps its own endpoints (an arena's, num-arena.c):
     T is copied into it, exactly (R's precision is P).  */
  if (r->domain == FADJ_INTERVAL)
    mpfi_set (&r->u.i, t);
  else
    {
      reshape (r, FADJ_INTERVAL, p);
      mpfi_swap (&r->u.i, t);
    }
  mpfi_clear (t);
}

/* R takes A's domain (and, for an interval, its precision) before a
   unary operation on A.  */
static void
follow (fadj_num_ptr r, fadj_num_srcptr a)
{
  if (r->domain != a->domain)
    reshape (r, a->domain, a->domain == FADJ_INTERVAL
             ? mpfi_get_prec (&a->u.i) : 0);
}

void
fadj_num_set_exact (fadj_num_ptr r, mpq_srcptr q)
{
  reshape (r, FADJ_EXACT, 0);
  mpq_set (&r->u.q, q);
}

void
fadj_num_set_exact_si (fadj_num_ptr r, long n)
{
  reshape (r, FADJ_EXACT, 0);
  mpq_set_si (&r->u.q, n, 1);
}

/* ------------------------------------------------------------------ */
/* The operations.                                                     */

void
fadj_num_init (fadj_num_ptr x, const fadj_ctx *ctx)
{
  x->domain = ctx->domain;
  x->prec = ctx->prec;
  if (ctx->domain == FADJ_EXACT)
    mpq_init (&x->u.q);
  else
    {
      mpfi_init2 (&x->u.i, ctx->prec);
      mpfi_set_ui (&x->u.i, 0);
    }
}

void
fadj_num_init_interval_at (fadj_num_ptr x, mpfr_prec_t prec, void *sig)
{
  char *m = sig;

  x->domain = FADJ_INTERVAL;
  x->prec = prec;
  mpfr_custom_init (m, prec);
  mpfr_custom_init (m + mpfr_custom_get_size (prec), prec);
  /* fadj_num_init's 0, signs and all: MPFI's [+0, -0] (its upper
     endpoint is never +0), without a call to mpfi_set_ui.  */
  mpfr_custom_init_set (&x->u.i.left, MPFR_ZERO_KIND, 0, prec, m);
  mpfr_custom_init_set (&x->u.i.right, -MPFR_ZERO_KIND, 0, prec,
                        m + mpfr_custom_get_size (prec));
}

int
fadj_num_init_ratio_at (fadj_num_ptr x, mpfr_prec_t prec, mp_limb_t *limbs,
                        int64_t num, uint64_t den)
{
#if GMP_NUMB_BITS == 64 && GMP_NAIL_BITS == 0
  limbs[0] = num < 0 ? -(uint64_t) num : (uint64_t) num;
  limbs[1] = den;
  x->domain = FADJ_EXACT;
  x->prec = prec;
  mpz_roinit_n (mpq_numref (&x->u.q), limbs, num < 0 ? -1 : num > 0);
  mpz_roinit_n (mpq_denref (&x->u.q), limbs + 1, 1);
  return 1;
#else
  (void) x, (void) prec, (void) limbs, (void) num, (void) den;
  return 0;
#endif
}

void
fadj_num_alias_exact (fadj_num_ptr r, fadj_num_srcptr a, mpfr_prec_t prec)
{
  assert (a->domain == FADJ_EXACT);
  *r = *a;
  r->prec = prec;
}

void
fadj_num_clear (fadj_num_ptr x)
{
  if (x->domain == FADJ_EXACT)
    mpq_clear (&x->u.q);
  else
    mpfi_clear (&x->u.i);
}

void
fadj_num_set (fadj_num_ptr r, fadj_num_srcptr a)
{
  if (r == a)
    return;
  follow (r, a);
  if (r->domain == FADJ_EXACT)
    mpq_set (&r->u.q, &a->u.q);
  else
    mpfi_set (&r->u.i, &a->u.i);
}

/* Intervals: MPFI rounds the endpoints outwards, so the result encloses Q
   (and is the point [Q, Q] when Q is representable).  */
/* Is Q's denominator a power of 2 and its numerator at most PREC bits
   (so that an interval of PREC bits holds Q exactly)?  */
static int
dyadic_fits_p (const mpq_t q, mpfr_prec_t prec)
{
  mpz_srcptr d = mpq_denref (q);

  return mpz_scan1 (d, 0) + 1 == mpz_sizeinbase (d, 2)
    && mpz_sizeinbase (mpq_numref (q), 2) <= (size_t) prec;
}

void
fadj_num_set_q (fadj_num_ptr r, const mpq_t q)
{
  if (r->domain == FADJ_EXACT)
    mpq_set (&r->u.q, q);
  else if (dyadic_fits_p (q, mpfi_get_prec (&r->u.i)))
    {
      /* Exact: a binary float (a hex literal, a reference value) needs
         no division, which mpfi_set_q makes twice.  */
      mpfi_set_z (&r->u.i, mpq_numref (q));
      mpfi_div_2ui (&r->u.i, &r->u.i,
                    mpz_sizeinbase (mpq_denref (q), 2) - 1);
    }
  else if (mpz_fits_slong_p (mpq_numref (q))
           && mpz_fits_ulong_p (mpq_denref (q))
           && mpz_sizeinbase (mpq_numref (q), 2)
              <= (size_t) mpfi_get_prec (&r->u.i))
    {
      /* A decimal of a network file: the numerator is held exactly and
         one division by a word rounds it down; the upper endpoint is
         the next number up when that division was inexact (the
         correctly rounded-up quotient then), else the same.  The
         enclosure mpfi_set_q makes, for a fraction of its cost (two
         divisions by a multi-precision number).  Q is not 0 here (the
         dyadic case above), so no endpoint is a signed zero.  */
      mpfr_ptr lo = FADJ_NUM_LEFT (r), hi = FADJ_NUM_RIGHT (r);
      int inexact;

      mpfr_set_si (lo, mpz_get_si (mpq_numref (q)), MPFR_RNDD);
      inexact = mpfr_div_ui (lo, lo, mpz_get_ui (mpq_denref (q)),
                             MPFR_RNDD);
      mpfr_set (hi, lo, MPFR_RNDU);
      if (inexact != 0)
        mpfr_nextabove (hi);
    }
  else
    mpfi_set_q (&r->u.i, q);
}

void
fadj_num_mul_si (fadj_num_ptr r, fadj_num_srcptr a, long n)
{
  follow (r, a);
  if (r->domain == FADJ_EXACT)
    {
      mpq_set (&r->u.q, &a->u.q);
      mpz_mul_si (mpq_numref (&r->u.q), mpq_numref (&r->u.q), n);
      mpq_canonicalize (&r->u.q);
    }
  else
    mpfi_mul_si (&r->u.i, &a->u.i, n);
}

int
fadj_num_get_d2 (double *lo, double *hi, fadj_num_srcptr a)
{
  if (a->domain == FADJ_EXACT)
    return 0;
  *lo = mpfr_get_d (&a->u.i.left, MPFR_RNDD);
  *hi = mpfr_get_d (&a->u.i.right, MPFR_RNDU);
  return 1;
}

void
fadj_num_set_d2 (fadj_num_ptr r, double lo, double hi)
{
  assert (r->domain == FADJ_INTERVAL);
  mpfr_set_d (&r->u.i.left, lo, MPFR_RNDD);
  mpfr_set_d (&r->u.i.right, hi, MPFR_RNDU);
}

void
fadj_num_set_si_2exp (fadj_num_ptr r, long n, long e)
{
  if (r->domain == FADJ_EXACT)
    {
      mpq_set_si (&r->u.q, n, 1);
      if (e >= 0)
        mpq_mul_2exp (&r->u.q, &r->u.q, (mp_bitcnt_t) e);
      else
        mpq_div_2exp (&r->u.q, &r->u.q,
                      (mp_bitcnt_t) (0UL - (unsigned long) e));
    }
  else
    {
      /* One rounding each way (none when N fits the precision).  */
      mpfr_set_si_2exp (&r->u.i.left, n, e, MPFR_RNDD);
      mpfr_set_si_2exp (&r->u.i.right, n, e, MPFR_RNDU);
    }
}

void
fadj_num_set_si (fadj_num_ptr r, long n)
{
  if (r->domain == FADJ_EXACT)
    mpq_set_si (&r->u.q, n, 1);
  else
    mpfi_set_si (&r->u.i, n);
}

void
fadj_num_convert (fadj_num_ptr r, fadj_num_srcptr a)
{
  if (a->domain == FADJ_EXACT)
    fadj_num_set_q (r, &a->u.q);
  else
    {
      follow (r, a);            /* an exact R becomes an enclosure */
      mpfi_set (&r->u.i, &a->u.i);
    }
}

/* fadj_num_add, _sub, _mul and _neg, like fadj_num_set above and
   fadj_num_abs below, are each one dispatch on the domain tag, alike in
   shape: kept as plain functions rather than made by a macro, so that
   each has a name to grep for and to break on.  */
void
fadj_num_add (fadj_num_ptr r, fadj_num_srcptr a, fadj_num_srcptr b)
{
  if (!ALL_SAME (r, a, b))
    mixed (r, a, b, MIXED_ADD);
  else if (r->domain == FADJ_EXACT)
    mpq_add (&r->u.q, &a->u.q, &b->u.q);
  else
    mpfi_add (&r->u.i, &a->u.i, &b->u.i);
}

void
fadj_num_sub (fadj_num_ptr r, fadj_num_srcptr a, fadj_num_srcptr b)
{
  if (!ALL_SAME (r, a, b))
    mixed (r, a, b, MIXED_SUB);
  else if (r->domain == FADJ_EXACT)
    mpq_sub (&r->u.q, &a->u.q, &b->u.q);
  else
    mpfi_sub (&r->u.i, &a->u.i, &b->u.i);
}

void
fadj_num_mul (fadj_num_ptr r, fadj_num_srcptr a, fadj_num_srcptr b)
{
  if (!ALL_SAME (r, a, b))
    mixed (r, a, b, MIXED_MUL);
  else if (r->domain == FADJ_EXACT)
    mpq_mul (&r->u.q, &a->u.q, &b->u.q);
  else if (r != a && r != b)
    fadj_interval_mul (&r->u.i, &a->u.i, &b->u.i);
  else
    mpfi_mul (&r->u.i, &a->u.i, &b->u.i);
}

void
fadj_num_neg (fadj_num_ptr r, fadj_num_srcptr a)
{
  follow (r, a);
  if (r->domain == FADJ_EXACT)
    mpq_neg (&r->u.q, &a->u.q);
  else
    mpfi_neg (&r->u.i, &a->u.i);
}

/* R += A * B.  A temporary is needed for both domains: neither GMP nor
   MPFI has a fused rational/interval addmul.  */
void
fadj_num_addmul (fadj_num_ptr r, fadj_num_srcptr a, fadj_num_srcptr b)
{
  if (!ALL_SAME (r, a, b))
    {
      fadj_num_struct t;

      t.domain = FADJ_EXACT;
      t.prec = r->domain == FADJ_INTERVAL ? mpfi_get_prec (&r->u.i)
               : r->prec;
      mpq_init (&t.u.q);
      fadj_num_mul (&t, a, b);
      fadj_num_add (r, r, &t);
      fadj_num_clear (&t);
    }
  else if (r->domain == FADJ_EXACT)
    {
      mpq_t t;
      mpq_init (t);
      mpq_mul (t, &a->u.q, &b->u.q);
      mpq_add (&r->u.q, &r->u.q, t);
      mpq_clear (t);
    }
  else
    {
      mpfi_t t;
      mpfi_init2 (t, mpfi_get_prec (&r->u.i));
      fadj_interval_mul (t, &a->u.i, &b->u.i);
      mpfi_add (&r->u.i, &r->u.i, t);
      mpfi_clear (t);
    }
}

fadj_status
fadj_num_div (fadj_num_ptr r, fadj_num_srcptr a, fadj_num_srcptr b)
{
  if (b->domain == FADJ_EXACT ? mpq_sgn (&b->u.q) == 0
      : mpfi_has_zero (&b->u.i))
    return b->domain == FADJ_EXACT || mpfi_is_zero (&b->u.i)
      ? FADJ_ERR_DOMAIN : FADJ_UNDECIDED;
  if (!ALL_SAME (r, a, b))
    mixed (r, a, b, MIXED_DIV);
  else if (r->domain == FADJ_EXACT)
    mpq_div (&r->u.q, &a->u.q, &b->u.q);
  else
    mpfi_div (&r->u.i, &a->u.i, &b->u.i);
  return FADJ_OK;
}

/* The transcendental maps give enclosures: A, if exact, is enclosed
   first, at R's precision (R or A must be an interval).  T is the
   enclosure's storage, cleared by transcendental_done.  */
/* R = R intersected with U, two enclosures of one real value: the
   intersection holds it too.  Both hold it, so it is never empty; if it
   were, R is left as it is (a wider enclosure is still true).  */
static void
num_intersect (mpfi_ptr r, mpfi_srcptr u)
{
  mpfr_t lo, hi;

  mpfr_init2 (lo, mpfi_get_prec (r));
  mpfr_init2 (hi, mpfi_get_prec (r));
  mpfr_max (lo, &r->left, &u->left, MPFR_RNDD);
  mpfr_min (hi, &r->right, &u->right, MPFR_RNDU);
  assert (mpfr_lessequal_p (lo, hi));
  if (mpfr_lessequal_p (lo, hi))
    mpfi_interv_fr (r, lo, hi);
  mpfr_clears (lo, hi, (mpfr_ptr) 0);
}

static mpfi_srcptr
transcendental_arg (mpfi_ptr t, int *made, fadj_num_ptr r,
                    fadj_num_srcptr a)
{
  mpfr_prec_t p = result_prec (r, a, NULL);
  mpfi_srcptr ia = as_interval (t, made, a, p);

  reshape (r, FADJ_INTERVAL, p);
  return ia;
}

static void
transcendental_done (mpfi_ptr t, int made)
{
  if (made)
    mpfi_clear (t);
}

void
fadj_num_exp (fadj_num_ptr r, fadj_num_srcptr a)
{
  mpfi_t t;
  int made;
  mpfi_srcptr ia = transcendental_arg (t, &made, r, a);

  mpfi_exp (&r->u.i, ia);
  transcendental_done (t, made);
}

fadj_status
fadj_num_log (fadj_num_ptr r, fadj_num_srcptr a)
{
  mpfi_t t;
  int made;
  mpfi_srcptr ia;
  fadj_status st = FADJ_OK;

  if (a->domain == FADJ_EXACT ? mpq_sgn (&a->u.q) <= 0
      : !mpfi_is_strictly_pos (&a->u.i))
    return a->domain == FADJ_EXACT || mpfr_sgn (&a->u.i.right) <= 0
      ? FADJ_ERR_DOMAIN : FADJ_UNDECIDED;
  ia = transcendental_arg (t, &made, r, a);
  mpfi_log (&r->u.i, ia);
  transcendental_done (t, made);
  return st;
}

void
fadj_num_tighten_log_complement (fadj_num_ptr r, fadj_num_srcptr s)
{
  mpfi_t t;
  int made;
  mpfr_prec_t p;
  mpfi_srcptr is;

  if (r->domain == FADJ_EXACT || s->domain == FADJ_EXACT)
    return;                     /* exact: nothing to tighten */
  p = mpfi_get_prec (&r->u.i);
  is = as_interval (t, &made, s, p);
  {
    mpfi_t u;
    mpfi_init2 (u, p);
    mpfi_neg (u, is);
    /* ln (1 - S) needs 1 - S > 0, i.e. S < 1, certain.  */
    if (mpfr_cmp_si (&u->left, -1) > 0)
      {
        mpfi_log1p (u, u);
        num_intersect (&r->u.i, u);
      }
    mpfi_clear (u);
  }
  transcendental_done (t, made);
}

void
fadj_num_tighten (fadj_num_ptr r, fadj_num_srcptr a)
{
  mpfi_t t;
  int made;
  mpfi_srcptr ia;

  if (r->domain == FADJ_EXACT)
    return;
  ia = as_interval (t, &made, a, mpfi_get_prec (&r->u.i));
  num_intersect (&r->u.i, ia);
  transcendental_done (t, made);
}

fadj_status
fadj_num_sgn (int *sign, fadj_num_srcptr a)
{
  if (a->domain == FADJ_EXACT)
    {
      *sign = mpq_sgn (&a->u.q);
      return FADJ_OK;
    }
  if (mpfi_is_strictly_pos (&a->u.i))
    *sign = 1;
  else if (mpfi_is_strictly_neg (&a->u.i))
    *sign = -1;
  else if (mpfi_is_zero (&a->u.i))
    *sign = 0;
  else
    return FADJ_UNDECIDED;
  return FADJ_OK;
}

fadj_ctx
fadj_num_get_ctx (fadj_num_srcptr x)
{
  fadj_ctx c;

  c.domain = x->domain;
  c.prec = x->domain == FADJ_INTERVAL ? mpfi_get_prec (&x->u.i) : x->prec;
  return c;
}

int
fadj_num_zero_p (fadj_num_srcptr a)
{
  if (a->domain == FADJ_EXACT)
    return mpq_sgn (&a->u.q) == 0;
  return mpfi_is_zero (&a->u.i);
}

/* Two enclosures of the same real number must overlap; two exact values
   must be equal.  An exact value against an interval: membership.  */
int
fadj_num_compatible_p (fadj_num_srcptr a, fadj_num_srcptr b)
{
  if (a->domain == FADJ_EXACT && b->domain == FADJ_EXACT)
    return mpq_equal (&a->u.q, &b->u.q);
  if (a->domain == FADJ_EXACT)
    return mpfi_cmp_q (&b->u.i, &a->u.q) == 0;
  if (b->domain == FADJ_EXACT)
    return mpfi_cmp_q (&a->u.i, &b->u.q) == 0;
  /* mpfi_cmp is 0 exactly when the intervals intersect.  */
  return mpfi_cmp (&a->u.i, &b->u.i) == 0;
}

/* MPFI has no error function.  erf is increasing on the whole real line,
   so [erf(lo) rounded down, erf(hi) rounded up] encloses erf of every
   point of [lo, hi]; MPFR's erf is correctly rounded in the direction
   asked, which makes both endpoints safe.  The endpoints are computed
   into temporaries, since R may alias A.  */
void
fadj_num_erf (fadj_num_ptr r, fadj_num_srcptr a)
{
  mpfr_t lo, hi;
  mpfi_t t;
  int made;
  mpfi_srcptr ia = transcendental_arg (t, &made, r, a);

  mpfr_inits2 (mpfi_get_prec (&r->u.i), lo, hi, (mpfr_ptr) 0);
  mpfr_erf (lo, &ia->left, MPFR_RNDD);
  mpfr_erf (hi, &ia->right, MPFR_RNDU);
  mpfi_interv_fr (&r->u.i, lo, hi);
  mpfr_clears (lo, hi, (mpfr_ptr) 0);
  transcendental_done (t, made);
}

fadj_status
fadj_num_sqrt (fadj_num_ptr r, fadj_num_srcptr a)
{
  mpfi_t t;
  int made;
  mpfi_srcptr ia;

  if (a->domain == FADJ_EXACT ? mpq_sgn (&a->u.q) < 0
      : mpfr_sgn (&a->u.i.left) < 0)
    return a->domain == FADJ_EXACT || mpfr_sgn (&a->u.i.right) < 0
      ? FADJ_ERR_DOMAIN : FADJ_UNDECIDED;
  ia = transcendental_arg (t, &made, r, a);
  mpfi_sqrt (&r->u.i, ia);
  transcendental_done (t, made);
  return FADJ_OK;
}

void
fadj_num_const_pi (fadj_num_ptr r)
{
  assert (r->domain == FADJ_INTERVAL);
  mpfi_const_pi (&r->u.i);
}

void
fadj_num_abs (fadj_num_ptr r, fadj_num_srcptr a)
{
  follow (r, a);
  if (r->domain == FADJ_EXACT)
    mpq_abs (&r->u.q, &a->u.q);
  else
    mpfi_abs (&r->u.i, &a->u.i);
}

int
fadj_num_floor_log2 (long *e, fadj_num_srcptr a)
{
  mpfr_srcptr lo = &a->u.i.left, hi = &a->u.i.right;

  /* |x| in [2^(E-1), 2^E) has MPFR exponent E: the same for both
     endpoints of an interval of one sign, and so for all between.  */
  if (a->domain == FADJ_EXACT || !mpfr_regular_p (lo) || !mpfr_regular_p (hi)
      || mpfr_sgn (lo) != mpfr_sgn (hi)
      || mpfr_get_exp (lo) != mpfr_get_exp (hi))
    return 0;
  *e = (long) mpfr_get_exp (lo) - 1;
  return 1;
}

/* A scaling by a power of 2 is exact in both domains (an interval's
   endpoints keep their significands), so no enclosure widens.  */
void
fadj_num_mul_2si (fadj_num_ptr r, fadj_num_srcptr a, long e)
{
  follow (r, a);
  if (r->domain == FADJ_INTERVAL)
    mpfi_mul_2si (&r->u.i, &a->u.i, e);
  else if (e >= 0)
    mpq_mul_2exp (&r->u.q, &a->u.q, (mp_bitcnt_t) e);
  else
    mpq_div_2exp (&r->u.q, &a->u.q, (mp_bitcnt_t) (0UL - (unsigned long) e));
}

/* Each endpoint of R is the larger of A's and B's: every point of A and
   of B is at most R's upper bound, and max (x, y) >= x >= A's lower
   bound, so R encloses max (x, y) for x in A, y in B.  An endpoint is
   written only when B's is the larger, so that R = A (the running
   maximum) keeps its own endpoints on ties, zeros' signs included.  */
int
fadj_num_max (fadj_num_ptr r, fadj_num_srcptr a, fadj_num_srcptr b)
{
  int above;

  SAME_DOMAIN (a, b);
  SAME_DOMAIN (r, a);
  if (r->domain == FADJ_EXACT)
    {
      mpq_srcptr m;
      above = mpq_cmp (&b->u.q, &a->u.q) > 0;
      m = above ? &b->u.q : &a->u.q;
      if (m != &r->u.q)
        mpq_set (&r->u.q, m);
      return above;
    }
  {
    mpfr_srcptr lo, hi;
    above = mpfr_cmp (&b->u.i.right, &a->u.i.right) > 0;
    lo = mpfr_cmp (&b->u.i.left, &a->u.i.left) > 0 ? &b->u.i.left
      : &a->u.i.left;
    hi = above ? &b->u.i.right : &a->u.i.right;
    if (lo != &r->u.i.left)
      mpfr_set (&r->u.i.left, lo, MPFR_RNDD);
    if (hi != &r->u.i.right)
      mpfr_set (&r->u.i.right, hi, MPFR_RNDU);
  }
  return above;
}

fadj_status
fadj_num_gt_q (int *gt, fadj_num_srcptr a, const mpq_t q)
{
  if (a->domain == FADJ_EXACT)
    *gt = mpq_cmp (&a->u.q, q) > 0;
  else if (mpfr_cmp_q (&a->u.i.left, q) > 0)
    *gt = 1;
  else if (mpfr_cmp_q (&a->u.i.right, q) <= 0)
    *gt = 0;
  else
    return FADJ_UNDECIDED;
  return FADJ_OK;
}
