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

#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Append the decimal digits of V at P; returns the new end.  */
char *
audit_put_uz (char *p, size_t v)
{
  char t[24];
  int k = 0;

  do
    t[k++] = (char) ('0' + v % 10);
  while ((v /= 10) != 0);
  while (k > 0)
    *p++ = t[--k];
  return p;
}

/* Write the name of ID into BUF (SIZE bytes); returns its length.  */
size_t
audit_entry_name (char *buf, size_t size, const audit_entry *id)
{
  /* The common names by hand (snprintf is a measurable part of writing
     a million lines), the others by snprintf.  */
  if (size >= 96 && (id->kind == AUDIT_WEIGHT || id->kind == AUDIT_BIAS))
    {
      char *p = buf;
      memcpy (p, id->kind == AUDIT_WEIGHT ? "dJ/dW^" : "dJ/db^", 6);
      p = audit_put_uz (p + 6, id->layer);
      *p++ = '[';
      p = audit_put_uz (p, id->row + 1);
      if (id->kind == AUDIT_WEIGHT)
        {
          *p++ = ',';
          p = audit_put_uz (p, id->col + 1);
        }
      *p++ = ']';
      *p = '\0';
      return (size_t) (p - buf);
    }
  switch (id->kind)
    {
    case AUDIT_WEIGHT:
      snprintf (buf, size, "dJ/dW^%zu[%zu,%zu]", id->layer, id->row + 1,
                id->col + 1);
      break;
    case AUDIT_BIAS:
      snprintf (buf, size, "dJ/db^%zu[%zu]", id->layer, id->row + 1);
      break;
    case AUDIT_INPUT:
      snprintf (buf, size, "dJ/dX^0[%zu,%zu]", id->row + 1, id->col + 1);
      break;
    default:
      snprintf (buf, size, "the loss J");
    }
  return strlen (buf);
}

/* The errors are printed to 6 digits (about 20 bits) and compared with
   one another (the worst entry) and with the tolerance: computing them
   at the full working precision (163 bits and up) was most of their
   cost, a division of 3-limb numbers above all.  A quarter of that
   precision, at least 64 bits, leaves 44 bits of margin before an
   enclosure straddles a rounding boundary, and grows with the precision
   should one ever do so (the retry of cli_ziv_run).  The difference
   r - g is taken at the working precision, from R and G at that
   precision (MPFR's fast path for operands of one precision), so that
   no cancellation is lost, and only then rounded outwards to the
   errors' precision; the relative error divides by G rounded outwards
   to it too (one limb: MPFR's short division).  The condition and the
   ratio keep the working precision.  */
#define ERR_MIN_PREC 64

void
audit_errs_init (audit_errs *e, const fadj_ctx *ctx)
{
  fadj_ctx err_ctx = *ctx;

  if (err_ctx.prec / 4 > ERR_MIN_PREC)
    err_ctx.prec /= 4;
  else if (err_ctx.prec > ERR_MIN_PREC)
    err_ctx.prec = ERR_MIN_PREC;
  memset (e, 0, sizeof *e);
  fadj_num_init (e->abs, &err_ctx);
  fadj_num_init (e->rel, &err_ctx);
  fadj_num_init (e->ulp, &err_ctx);
  fadj_num_init (e->worst_g, ctx);
  fadj_num_init (e->cond, ctx);
  fadj_num_init (e->bound, ctx);
  fadj_num_init (e->ratio, ctx);
  mpq_init (e->worst_r);
  e->ctx = *ctx;
  mpq_init (e->rq);
  fadj_num_init (e->r, ctx);
  fadj_num_init (e->g, &err_ctx);
  e->fast = ctx->domain == FADJ_INTERVAL && err_ctx.prec <= ERR_MIN_PREC;
  fadj_num_init (e->d_worst_g, ctx);
}

void
audit_errs_clear (audit_errs *e)
{
  fadj_num_clear (e->abs);
  fadj_num_clear (e->rel);
  fadj_num_clear (e->ulp);
  fadj_num_clear (e->worst_g);
  fadj_num_clear (e->cond);
  fadj_num_clear (e->bound);
  fadj_num_clear (e->ratio);
  mpq_clear (e->worst_r);
  mpq_clear (e->rq);
  fadj_num_clear (e->r);
  fadj_num_clear (e->g);
  fadj_num_clear (e->d_worst_g);
  if (e->pow10 != NULL)
    {
      int k;
      for (k = 0; k < 2 * FADJ_SCALED_EXP10_MAX + 1; k++)
        if (e->have_pow10[k])
          fadj_num_clear (e->pow10 + k);
    }
  free (e->pow10);
  free (e->have_pow10);
  free (e->cheap_p10);
  free (e->cheap_mags);
}

mpq_srcptr
audit_ref_get_q (mpq_t q, const audit_ref *r)
{
  if (r->q != NULL)
    return r->q;
  fadj_scaled_get_q (q, r->k, r->x, r->base);
  return q;
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

/* 10^X (|X| <= FADJ_SCALED_EXP10_MAX), enclosed in E's context, or
   NULL when out of memory.  */
static fadj_num_srcptr
ten_to (audit_errs *e, long x)
{
  size_t n = 2 * FADJ_SCALED_EXP10_MAX + 1, i;

  if (e->pow10 == NULL)
    {
      e->pow10 = malloc (n * sizeof *e->pow10);
      e->have_pow10 = calloc (n, 1);
      if (e->pow10 == NULL || e->have_pow10 == NULL)
        {
          free (e->pow10);
          free (e->have_pow10);
          e->pow10 = NULL;
          e->have_pow10 = NULL;
          return NULL;
        }
    }
  i = (size_t) (x + FADJ_SCALED_EXP10_MAX);
  if (!e->have_pow10[i])
    {
      fadj_num_init (e->pow10 + i, &e->ctx);
      fadj_scaled_get_q (e->rq, 1, x, 10);
      fadj_num_set_q (e->pow10 + i, e->rq);
      e->have_pow10[i] = 1;
    }
  return e->pow10 + i;
}

/* E->r = R, exactly or enclosed; returns the exponent of ulp(R) in
   the format of BITS significant bits, as ulp_exponent.  A scaled R
   costs no rational: K 2^X is exact at any precision of at least 62
   bits; K 10^X is K times an enclosure of 10^X, whose exponent is
   floor (log2 |R|) unless it straddles a power of 2 (R may be one, 0.5
   written as 5e-1): then R's own rational decides.  */
static long
ref_set (audit_errs *e, const audit_ref *r, int bits)
{
  long emin = bits == 24 ? -126 : -1022, ex;
  fadj_num_srcptr p;

  if (r->q == NULL && r->base == 10 && r->x != 0
      && (p = ten_to (e, r->x)) != NULL)
    {
      fadj_num_mul_si (e->r, p, (long) r->k);
      if (r->k == 0)
        return emin - (bits - 1);
      if (!fadj_num_floor_log2 (&ex, e->r))
        return ulp_exponent (audit_ref_get_q (e->rq, r), bits);
    }
  else if (r->q == NULL && (r->base == 2 || r->x == 0))
    {
      uint64_t a = r->k < 0 ? -(uint64_t) r->k : (uint64_t) r->k;
      fadj_num_set_si_2exp (e->r, (long) r->k, r->x);
      if (a == 0)
        return emin - (bits - 1);
      /* 2^(b-1) <= |K| < 2^b, b the bits of |K|.  */
      ex = 63 - __builtin_clzll (a) + r->x;
    }
  else
    {
      mpq_srcptr q = audit_ref_get_q (e->rq, r);
      fadj_num_set_q (e->r, q);
      return ulp_exponent (q, bits);
    }
  if (ex < emin)
    ex = emin;
  return ex - (bits - 1);
}

/* The doubles next to X >= 0, finite: below (at least 0: the bound of
   a value known to be >= 0) and above (+inf past DBL_MAX).  */
static double
d_below (double x)
{
  uint64_t b;

  if (x <= 0)
    return 0.0;
  memcpy (&b, &x, sizeof b);
  b--;
  memcpy (&x, &b, sizeof b);
  return x;
}

static double
d_above (double x)
{
  uint64_t b;

  x += 0.0;                     /* -0 becomes +0 */
  memcpy (&b, &x, sizeof b);
  b++;
  memcpy (&x, &b, sizeof b);
  return x;
}

/* The errors of E from |r - g| in [AL, AH] and |g| in [GL, GU], GL > 0,
   bounds in doubles, and UE, the exponent of ulp(r): 1; or 0, nothing
   set, when a bound is beyond the doubles.  A quotient rounded to
   nearest is within half an ulp of the exact one, so the doubles next
   to it enclose it, subnormal or not.  Dividing by ulp(r) is done on
   the enclosure, exactly (fadj_num_mul_2si), or in doubles for a lazy
   E while the scaling stays exact.  */
static int
errs_from_d (audit_errs *e, double al, double ah, double gl, double gu,
             long ue)
{
  double rl, rh;

  al += 0.0;
  rl = d_below (al / gu);
  rh = d_above (ah / gl);
  if (!(ah <= DBL_MAX) || !(rh <= DBL_MAX) || !(gu <= DBL_MAX))
    return 0;
  if (e->lazy && -ue > DBL_MIN_EXP && -ue < DBL_MAX_EXP)
    {
      /* |d| / ulp(r), a scaling by 2^-UE, exact while it stays among
         the normal doubles (or is 0).  */
      double s = 1.0, ul, uh;
      uint64_t b;
      memcpy (&b, &s, sizeof b);
      b += (uint64_t) (-ue) << 52;
      memcpy (&s, &b, sizeof b);
      ul = al * s;
      uh = ah * s;
      if ((ul == 0 ? al == 0 : ul >= DBL_MIN) && uh >= DBL_MIN
          && uh <= DBL_MAX)
        {
          e->d_abs[0] = al;
          e->d_abs[1] = ah;
          e->d_rel[0] = rl;
          e->d_rel[1] = rh;
          e->d_ulp[0] = ul;
          e->d_ulp[1] = uh;
          e->d_ok = 1;
          return 1;
        }
    }
  fadj_num_set_d2 (e->abs, al, ah);
  fadj_num_set_d2 (e->rel, rl, rh);
  fadj_num_mul_2si (e->ulp, e->abs, -ue);
  return 1;
}

/* The errors of E from D = r - g (E->r, at the working precision), the
   certified G and UE, the exponent of ulp(r), in doubles: 1; or 0,
   nothing set, when the fast path does not apply (an exact value, the
   retries' precision beyond 64 bits, G's sign undecided, a bound
   beyond the doubles), and the caller takes the general one.  The
   endpoints are rounded outwards into doubles (53 bits, the 64 bits'
   margin less 11); |d| from them is exact.  */
static int
measure_fast (audit_errs *e, fadj_num_srcptr g, long ue)
{
  double dl, du, gl, gu, al, ah, t;

  if (!e->fast || FADJ_NUM_EXACT_P (e->abs) || FADJ_NUM_EXACT_P (e->rel)
      || !fadj_num_get_d2 (&dl, &du, e->r) || !fadj_num_get_d2 (&gl, &gu, g))
    return 0;
  if (gu < 0)
    {
      t = -gu;
      gu = -gl;
      gl = t;
    }
  else if (!(gl > 0))
    return 0;
  /* |G| in [GL, GU], GL > 0; |D| in [AL, AH].  */
  if (dl >= 0)
    {
      al = dl;
      ah = du;
    }
  else if (du <= 0)
    {
      al = -du;
      ah = -dl;
    }
  else
    {
      al = 0.0;
      ah = du > -dl ? du : -dl;
    }
  return errs_from_d (e, al, ah, gl, gu, ue);
}

/* The cheap path (audit_errs_measure_mul): r - g for g = a b, the
   product of two enclosures, on 128-bit integers, not at the working
   precision, with every rounding directed.  A magnitude is enclosed as
   [LO, HI] 2^E (struct mag).  |a| and |b| from their endpoints' top 128
   bits (truncated: HI one unit up); |a b| from the high halves of the
   128 x 128-bit products (three 64-bit products each: the parts dropped
   are worth less than 3 units); r = K 2^X exactly, or K 10^X from
   10^X's top 128 bits (struct p10); then both brought to one exponent
   and subtracted.  The enclosure of |r - g| so made is about 2^-124 |g|
   wide, against a difference of at least about 2^-60 |g| for a
   binary64 reference a few ulps off: the errors' 6 digits (and their
   doubles, errs_from_d) are as tight as from the working precision.
   Where it cannot serve (an operand with 0 inside, endpoints in two
   binades, a reference not scaled, exponents far apart, beyond the
   normal doubles), it says so and the caller takes the general path;
   the values are rare there.  */
#if GMP_NUMB_BITS == 64 && GMP_NAIL_BITS == 0
#define CHEAP_OK 1
#else
#define CHEAP_OK 0
#endif

typedef unsigned __int128 u128;

/* The helpers below are a few instructions each, called once or twice
   an entry: inlined, not called.  */
#if defined(__GNUC__)
# define ALWAYS_INLINE inline __attribute__ ((always_inline))
#else
# define ALWAYS_INLINE inline
#endif

struct mag
{
  u128 lo, hi;
  long e;
};

/* The powers of ten of the cheap path: 10^X in [P, P + 1] 2^E.  */
struct p10
{
  u128 p;
  long e;
  int have;
};

static ALWAYS_INLINE int
bitlen128 (u128 v)
{
  uint64_t h = (uint64_t) (v >> 64);

  if (h != 0)
    return 128 - __builtin_clzll (h);
  return v == 0 ? 0 : 64 - __builtin_clzll ((uint64_t) v);
}

/* The top 128 bits of the significand of the regular V (zeros below a
   shorter one): |V| in [T, T + 1) 2^(EXP(V) - 128).  */
static u128
top128 (mpfr_srcptr v)
{
  mp_size_t n = (mp_size_t) ((mpfr_get_prec (v) + GMP_NUMB_BITS - 1)
                             / GMP_NUMB_BITS);
  const mp_limb_t *d = mpfr_custom_get_significand (v);

  return (u128) d[n - 1] << 64 | (n >= 2 ? d[n - 2] : 0);
}

/* *M = |X| and *NEG its sign, for the interval X (not an exact value)
   whose endpoints are regular, of one sign and in one binade: 1; else
   0.  */
static int
mag_of_interval (struct mag *m, int *neg, fadj_num_srcptr x)
{
  mpfr_srcptr l, r, a, b;

  if (FADJ_NUM_EXACT_P (x))
    return 0;
  l = FADJ_NUM_LEFT (x);
  r = FADJ_NUM_RIGHT (x);
  if (!mpfr_regular_p (l) || !mpfr_regular_p (r))
    return 0;
  if (mpfr_sgn (l) > 0)
    a = l, b = r, *neg = 0;
  else if (mpfr_sgn (r) < 0)
    a = r, b = l, *neg = 1;
  else
    return 0;
  if (mpfr_custom_get_exp (a) != mpfr_custom_get_exp (b))
    return 0;
  m->lo = top128 (a);
  m->hi = top128 (b) + 1;
  m->e = (long) mpfr_custom_get_exp (a) - 128;
  return m->hi != 0;            /* a wrap of all ones: not served */
}

/* Is the interval X, whose magnitude mag_of_interval has made M, a
   point?  Its endpoints' top 128 bits first, then their last limbs
   (where the endpoints of an enclosure of some width differ), and only
   then all of them.  */
static int
point_p (const struct mag *m, fadj_num_srcptr x)
{
  mpfr_srcptr l = FADJ_NUM_LEFT (x), r = FADJ_NUM_RIGHT (x);
  const mp_limb_t *a = mpfr_custom_get_significand (l);
  const mp_limb_t *b = mpfr_custom_get_significand (r);

  return m->hi - 1 == m->lo && mpfr_get_prec (l) == mpfr_get_prec (r)
    && a[0] == b[0] && mpfr_equal_p (l, r);
}

/* What mag_of_interval and point_p say of one operand, kept by its
   address (a row's Y_*[i] serves N_{l-1} entries, a column's X[j] N_l):
   a direct-mapped table of MAG_SLOTS.  */
#define MAG_SLOTS 1024

struct mag_slot
{
  fadj_num_srcptr x;            /* NULL: empty */
  struct mag m;
  int ok, neg, point;
};

/* The slot of X, filled if it was not.  NULL when out of memory.  */
static const struct mag_slot *
mag_lookup (audit_errs *e, fadj_num_srcptr x)
{
  struct mag_slot *s;

  if (e->cheap_mags == NULL
      && (e->cheap_mags = calloc (MAG_SLOTS, sizeof *s)) == NULL)
    return NULL;
  s = (struct mag_slot *) e->cheap_mags
    + ((uintptr_t) x / sizeof *x) % MAG_SLOTS;
  if (s->x != x)
    {
      s->x = x;
      s->ok = mag_of_interval (&s->m, &s->neg, x);
      s->point = s->ok && point_p (&s->m, x);
    }
  return s;
}

/* [floor, ceil] of the product of X and Y over 2^128: the high halves
   of the 128 x 128-bit products of their bounds.  0 when the upper
   bound would not fit.  */
static ALWAYS_INLINE int
mag_mul (struct mag *r, const struct mag *x, const struct mag *y)
{
  uint64_t a1 = (uint64_t) (x->hi >> 64), a0 = (uint64_t) x->hi;
  uint64_t b1 = (uint64_t) (y->hi >> 64), b0 = (uint64_t) y->hi;
  u128 t;

  /* a b / 2^128 = a1 b1 + (a1 b0 + a0 b1) / 2^64 + a0 b0 / 2^128, the
     middle term in [T, T + 2) with T the sum of its high halves, the
     last in [0, 1).  */
  if (a1 == UINT64_MAX && b1 == UINT64_MAX)
    return 0;
  t = ((u128) a1 * b0 >> 64) + ((u128) a0 * b1 >> 64);
  r->hi = (u128) a1 * b1 + t + 3;
  a1 = (uint64_t) (x->lo >> 64);
  a0 = (uint64_t) x->lo;
  b1 = (uint64_t) (y->lo >> 64);
  b0 = (uint64_t) y->lo;
  t = ((u128) a1 * b0 >> 64) + ((u128) a0 * b1 >> 64);
  r->lo = (u128) a1 * b1 + t;
  r->e = x->e + y->e + 128;
  return 1;
}

/* M shifted right by K bits, its bounds rounded outwards.  */
static ALWAYS_INLINE void
mag_shift_right (struct mag *m, long k)
{
  if (k <= 0)
    return;
  if (k >= 128)
    {
      m->hi = m->hi != 0;
      m->lo = 0;
    }
  else
    {
      u128 mask = ((u128) 1 << k) - 1;
      m->hi = (m->hi >> k) + ((m->hi & mask) != 0);
      m->lo >>= k;
    }
  m->e += k;
}

/* M's upper bound brought to at most 2^126 and at least 2^125 (2 bits
   of room for a sum), its bounds rounded outwards; M nonzero.  */
static ALWAYS_INLINE void
mag_norm (struct mag *m)
{
  int b = bitlen128 (m->hi);

  if (b > 126)
    mag_shift_right (m, b - 126);
  else if (b < 126)
    {
      m->hi <<= 126 - b;
      m->lo <<= 126 - b;
      m->e -= 126 - b;
    }
}

/* V 2^E rounded down (UP 0) or up into a double: 1; 0 when it is not
   a normal double or 0.  The double is made from its fields: the
   top 53 bits of V, one more up when a bit below them is set.  */
static ALWAYS_INLINE int
u128_get_d (double *d, u128 v, long e, int up)
{
  int b = bitlen128 (v);
  long x = b - 1 + e;           /* floor (log2 (V 2^E)) */
  uint64_t m;

  if (v == 0)
    {
      *d = 0.0;
      return 1;
    }
  /* 2^-1022 <= V 2^E < 2^1023, so that rounding up stays finite.  */
  if (x < DBL_MIN_EXP - 1 || x > DBL_MAX_EXP - 2)
    return 0;
  if (b > 53)
    {
      m = (uint64_t) (v >> (b - 53));
      if (up && (v & (((u128) 1 << (b - 53)) - 1)) != 0 && (++m >> 53) != 0)
        {
          m >>= 1;              /* 2^53: exact */
          x++;
        }
    }
  else
    m = (uint64_t) v << (53 - b);
  m = (uint64_t) (x + 1023) << 52 | (m & ((UINT64_C (1) << 52) - 1));
  memcpy (d, &m, sizeof m);
  return 1;
}

/* 10^X (|X| <= FADJ_SCALED_EXP10_MAX) in [P, P + 1] 2^E, P in [2^127,
   2^128), computed once on mpz; NULL when out of memory.  */
static const struct p10 *
cheap_ten_to (audit_errs *e, long x)
{
  size_t i = (size_t) (x + FADJ_SCALED_EXP10_MAX);
  struct p10 *p;
  mpz_t z, q;
  long b;

  if (e->cheap_p10 == NULL)
    {
      e->cheap_p10 = calloc (2 * FADJ_SCALED_EXP10_MAX + 1,
                             sizeof (struct p10));
      if (e->cheap_p10 == NULL)
        return NULL;
    }
  p = (struct p10 *) e->cheap_p10 + i;
  if (p->have)
    return p;
  mpz_init (z);
  mpz_init (q);
  mpz_ui_pow_ui (z, 10, (unsigned long) (x < 0 ? -x : x));
  b = (long) mpz_sizeinbase (z, 2);
  if (x >= 0)
    {
      /* Exact when 10^X fits 128 bits, else truncated.  */
      if (b <= 128)
        mpz_mul_2exp (q, z, (mp_bitcnt_t) (128 - b));
      else
        mpz_fdiv_q_2exp (q, z, (mp_bitcnt_t) (b - 128));
      p->e = b - 128;
    }
  else
    {
      /* floor (2^S / 10^-X) with S = 127 + b lies in (2^127, 2^128]:
         2^128 only for a power of 2, which 10^-X is not.  */
      mpz_set_ui (q, 1);
      mpz_mul_2exp (q, q, (mp_bitcnt_t) (127 + b));
      mpz_fdiv_q (q, q, z);
      p->e = -(127 + b);
    }
  p->p = (u128) mpz_getlimbn (q, 1) << 64 | mpz_getlimbn (q, 0);
  p->have = 1;
  mpz_clear (z);
  mpz_clear (q);
  return p;
}

/* *M = |R| (nonzero, scaled) and *NEG its sign: 1; else 0.  */
static ALWAYS_INLINE int
mag_of_ref (audit_errs *e, struct mag *m, int *neg, const audit_ref *r)
{
  uint64_t k;

  if (r->q != NULL || r->k == 0)
    return 0;
  *neg = r->k < 0;
  k = r->k < 0 ? -(uint64_t) r->k : (uint64_t) r->k;
  if (r->base == 2 || r->x == 0)
    {
      m->lo = m->hi = k;
      m->e = r->x;
    }
  else
    {
      const struct p10 *p = cheap_ten_to (e, r->x);
      u128 h;
      uint64_t l;
      int s;
      if (p == NULL)
        return 0;
      /* K P = H 2^64 + L (K < 2^63, H >= 1), its top 126 bits kept:
         K P / 2^S, S = bits (H) - 62, floored; K (P + 1) / 2^S is
         K / 2^S more, less than K >> S plus 1, and the floor 1 more.  */
      h = (u128) k * (uint64_t) (p->p >> 64)
        + ((u128) k * (uint64_t) p->p >> 64);
      l = (uint64_t) ((u128) k * (uint64_t) p->p);
      s = bitlen128 (h) - 62;
      if (s <= 0)
        {
          m->lo = (h << 64 | l) << -s;        /* exact */
          m->hi = m->lo + ((u128) k << -s);
        }
      else
        {
          m->lo = s < 64 ? h << (64 - s) | l >> s : h >> (s - 64);
          m->hi = m->lo + (s < 63 ? k >> s : 0) + 2;
        }
      m->e = p->e + s;
    }
  mag_norm (m);
  return 1;
}

int
audit_errs_measure_mul (audit_errs *e, fadj_num_srcptr a, fadj_num_srcptr b,
                        const audit_ref *r, int bits)
{
  const struct mag_slot *sb;
  struct mag_slot sa;           /* a copy: B may take A's slot */
  struct mag g, ga, mr;
  int nr;
  long emin = bits == 24 ? -126 : -1022, ex, ue, c;
  u128 al, ah;
  double dal, dah, gl, gu;

  e->rel_inf = 0;
  e->d_ok = 0;
  /* Two points: their product may be exact at the working precision,
     and so may r - g, whose 6 digits (a tie among them, 0) only the
     exact value decides.  */
  if (!CHEAP_OK || !e->fast || !e->lazy || r->q != NULL
      || (sb = mag_lookup (e, a)) == NULL || !(sa = *sb).ok
      || (sb = mag_lookup (e, b)) == NULL || !sb->ok
      || (sa.point && sb->point) || !mag_mul (&g, &sa.m, &sb->m))
    return 0;
  mag_norm (&g);
  if (r->k == 0)
    {
      /* |r - g| = |g|.  */
      al = g.lo;
      ah = g.hi;
      c = g.e;
      ue = emin - (bits - 1);
    }
  else
    {
      if (!mag_of_ref (e, &mr, &nr, r))
        return 0;
      /* floor (log2 |r|), unless the enclosure straddles a power of 2
         (R may be one, 0.5 written as 5e-1).  */
      if (bitlen128 (mr.lo) != bitlen128 (mr.hi))
        return 0;
      ex = bitlen128 (mr.hi) - 1 + mr.e;
      if (ex < emin)
        ex = emin;
      ue = ex - (bits - 1);
      /* To one exponent, the bounds of the one of smaller exponent
         rounded outwards (a unit of 2^-125 of the other at most: the
         width test below sees what that costs).  */
      ga = g;
      c = mr.e > ga.e ? mr.e : ga.e;
      mag_shift_right (&mr, c - mr.e);
      mag_shift_right (&ga, c - ga.e);
      if (nr != (sa.neg ^ sb->neg))
        {
          al = mr.lo + ga.lo;
          ah = mr.hi + ga.hi;
        }
      else if (mr.lo >= ga.hi)
        {
          al = mr.lo - ga.hi;
          ah = mr.hi - ga.lo;
        }
      else if (ga.lo >= mr.hi)
        {
          al = ga.lo - mr.hi;
          ah = ga.hi - mr.lo;
        }
      else
        return 0;               /* r within g's enclosure */
    }
  /* Decided as tightly as at the working precision: the enclosure of
     |r - g| at most 2^-60 of it wide (a reference as close to g as
     that, or equal to it, takes the general path).  */
  if (ah - al > al >> 60
      || !u128_get_d (&dal, al, c, 0) || !u128_get_d (&dah, ah, c, 1)
      || !u128_get_d (&gl, g.lo, g.e, 0) || !u128_get_d (&gu, g.hi, g.e, 1)
      || !(gl > 0))
    return 0;
  return errs_from_d (e, dal, dah, gl, gu, ue);
}

int
audit_errs_takes_g (const audit_errs *m, const audit_errs *e)
{
  return !e->d_ok || !m->d_any || e->d_ulp[1] > m->d_ulp[1];
}

fadj_status
audit_errs_measure (audit_errs *e, fadj_num_srcptr g, const audit_ref *r,
                    int bits)
{
  int sign;
  fadj_status st;
  long ue;

  e->rel_inf = 0;
  e->d_ok = 0;
  ue = ref_set (e, r, bits);
  /* At the working precision, the operands' own (MPFR's fast path),
     then rounded outwards to the errors' precision.  */
  fadj_num_sub (e->r, e->r, g);
  if (measure_fast (e, g, ue))
    return FADJ_OK;
  fadj_num_convert (e->abs, e->r);
  fadj_num_abs (e->abs, e->abs);

  if (fadj_num_zero_p (g))
    {
      e->rel_inf = !fadj_num_zero_p (e->abs)
        || (r->q != NULL ? mpq_sgn (r->q) != 0 : r->k != 0);
      fadj_num_set_si (e->rel, 0);
    }
  else
    {
      /* abs / g, negated for a negative g: the sign must be decided
         anyway for the division, and a negation is exact.  */
      if ((st = fadj_num_sgn (&sign, g)) != FADJ_OK)
        return st;
      fadj_num_convert (e->g, g);
      if ((st = fadj_num_div (e->rel, e->abs, e->g)) != FADJ_OK)
        return st;
      if (sign < 0)
        fadj_num_neg (e->rel, e->rel);
    }
  fadj_num_mul_2si (e->ulp, e->abs, -ue);
  return FADJ_OK;
}

/* S = sum |terms| of entry ID of T (see audit_errs_condition), not yet
   read as a derivative of J; returns the number of terms.  */
static size_t
sum_abs_terms (fadj_num_ptr s, const fadj_trace *t, const audit_entry *id)
{
  size_t m = t->m, n = 0, i, k;
  fadj_num_t x, w;
  mpq_t q;

  fadj_num_init (x, &t->ctx);
  fadj_num_init (w, &t->ctx);
  mpq_init (q);
  fadj_num_set_exact_si (s, 0);
  switch (id->kind)
    {
    case AUDIT_WEIGHT:
      for (k = 0; k < m; k++, n++)
        {
          fadj_num_mul (x, FADJ_MAT (t->ys + id->layer, id->row, k),
                        FADJ_MAT (t->X + id->layer - 1, id->col, k));
          fadj_num_abs (x, x);
          fadj_num_add (s, s, x);
        }
      break;
    case AUDIT_BIAS:
      /* One neuron's, or every neuron's for a shared bias.  */
      for (i = 0; i < t->net->sizes[id->layer]; i++)
        if (t->net->layers[id->layer - 1].bias_shared || i == id->row)
          for (k = 0; k < m; k++, n++)
            {
              fadj_num_abs (x, FADJ_MAT (t->ys + id->layer, i, k));
              fadj_num_add (s, s, x);
            }
      break;
    case AUDIT_INPUT:
      /* W^1 may be compact (exact, without entries).  */
      for (k = 0; k < t->net->sizes[1]; k++, n++)
        {
          fadj_mat_get_q (q, t->W[1], k * t->net->sizes[0] + id->row);
          fadj_num_set_exact (w, q);
          fadj_num_mul (x, w, FADJ_MAT (t->ys + 1, k, id->col));
          fadj_num_abs (x, x);
          fadj_num_add (s, s, x);
        }
      break;
    default:
      break;
    }
  mpq_clear (q);
  fadj_num_clear (x);
  fadj_num_clear (w);
  return n;
}

fadj_status
audit_errs_condition (audit_errs *e, const fadj_trace *t,
                      const audit_entry *id, fadj_num_srcptr g,
                      const audit_ref *ref, int bits)
{
  mpq_srcptr r = audit_ref_get_q (e->rq, ref);
  fadj_num_t s, gs;
  mpq_t gamma;
  size_t n;
  fadj_status st = FADJ_OK;

  e->has_cond = id->kind != AUDIT_LOSS;
  e->cond_inf = e->ratio_inf = 0;
  if (!e->has_cond)
    return FADJ_OK;
  fadj_num_init (s, &t->ctx);
  fadj_num_init (gs, &t->ctx);
  mpq_init (gamma);
  n = sum_abs_terms (s, t, id);
  fadj_trace_of_J (s, t, s);
  e->nterms = n;
  n += t->net->batch == FADJ_BATCH_MEAN;
  /* gamma_n = n u / (1 - n u) = n / (2^BITS - n), exactly.  */
  mpz_set_ui (mpq_numref (gamma), 1);
  mpz_mul_2exp (mpq_denref (gamma), mpq_numref (gamma), (mp_bitcnt_t) bits);
  mpz_sub_ui (mpq_denref (gamma), mpq_denref (gamma), n);
  mpz_set_ui (mpq_numref (gamma), n);
  mpq_canonicalize (gamma);
  /* COND = S / |G|; an all-zero sum is perfectly conditioned (1).  */
  if (fadj_num_zero_p (g))
    {
      e->cond_inf = !fadj_num_zero_p (s);
      fadj_num_set_si (e->cond, 1);
    }
  else
    {
      fadj_num_abs (gs, g);
      if (fadj_num_div (e->cond, s, gs) != FADJ_OK)
        st = FADJ_UNDECIDED;
    }
  /* BOUND = gamma_n S / ulp(R); RATIO = ABS / (gamma_n S).  */
  fadj_num_set_q (gs, gamma);
  fadj_num_mul (s, s, gs);
  fadj_num_mul_2si (e->bound, s, -ulp_exponent (r, bits));
  if (st == FADJ_OK && fadj_num_zero_p (s))
    {
      e->ratio_inf = !fadj_num_zero_p (e->abs);
      fadj_num_set_si (e->ratio, 0);
    }
  else if (st == FADJ_OK && fadj_num_div (e->ratio, e->abs, s) != FADJ_OK)
    st = FADJ_UNDECIDED;
  mpq_clear (gamma);
  fadj_num_clear (s);
  fadj_num_clear (gs);
  return st;
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
                  fadj_num_srcptr g, const audit_ref *r)
{
  int first;

  if (e->d_ok)
    {
      /* Into the run of entries in doubles.  */
      if (!m->d_any || e->d_ulp[1] > m->d_ulp[1])
        {
          m->d_worst = *id;
          fadj_num_set (m->d_worst_g, g);
          m->d_worst_r = *r;
        }
      if (!m->d_any)
        {
          memcpy (m->d_abs, e->d_abs, sizeof m->d_abs);
          memcpy (m->d_rel, e->d_rel, sizeof m->d_rel);
          memcpy (m->d_ulp, e->d_ulp, sizeof m->d_ulp);
          m->d_any = 1;
          return;
        }
#define DMAX(a, k) if (e->a[k] > m->a[k]) m->a[k] = e->a[k]
      DMAX (d_abs, 0); DMAX (d_abs, 1);
      DMAX (d_rel, 0); DMAX (d_rel, 1);
      DMAX (d_ulp, 0); DMAX (d_ulp, 1);
#undef DMAX
      return;
    }
  audit_errs_settle (m);
  first = !m->any;
  max_into (m->abs, e->abs, first);
  /* An infinite relative error is a flag, not a value to compare.  */
  if (!e->rel_inf)
    max_into (m->rel, e->rel, first);
  m->rel_inf |= e->rel_inf;
  if (max_into (m->ulp, e->ulp, first))
    {
      m->worst = *id;
      fadj_num_set (m->worst_g, g);
      if (r->q != NULL)
        mpq_set (m->worst_r, r->q);
      else
        fadj_scaled_get_q (m->worst_r, r->k, r->x, r->base);
    }
  m->any = 1;
}

void
audit_errs_settle (audit_errs *m)
{
  int first = !m->any;

  if (!m->d_any)
    return;
  /* The run's entries all come after those merged already: its worst
     wins only above them, as each of its entries would have.  M->g is
     free scratch of the errors' precision.  */
  fadj_num_set_d2 (m->g, m->d_abs[0], m->d_abs[1]);
  max_into (m->abs, m->g, first);
  fadj_num_set_d2 (m->g, m->d_rel[0], m->d_rel[1]);
  max_into (m->rel, m->g, first);
  fadj_num_set_d2 (m->g, m->d_ulp[0], m->d_ulp[1]);
  if (max_into (m->ulp, m->g, first))
    {
      m->worst = m->d_worst;
      fadj_num_set (m->worst_g, m->d_worst_g);
      mpq_set (m->worst_r, audit_ref_get_q (m->rq, &m->d_worst_r));
    }
  m->any = 1;
  m->d_any = 0;
}

/* Exceeded if the largest ulp error is certainly above the tolerance;
   within if certainly at most (equal to it included); else the caller
   needs more precision.  */
fadj_status
audit_errs_exceeds (int *exceeded, const audit_errs *m, const mpq_t tolerance)
{
  return fadj_num_gt_q (exceeded, m->ulp, tolerance);
}
