/* check_decimal.c -- correct rounding to N significant digits: exact
   rationals (ties to even, carries, signs, extreme exponents) and
   intervals (certified when both endpoints round alike, undecided
   otherwise).  Expected digits are worked out by hand in the comments.  */

#include "test-common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <string.h>
#include <mpfr.h>
#include <mpfi.h>

/* ------------------------------------------------------------------ */
/* Exact rationals.                                                    */

static const struct
{
  const char *q;        /* "p/q" or "p", as mpq_set_str reads it */
  int n;
  int sign;
  const char *digits;
  long exp10;
  int exact;
} q_rows[] = {
  /* 0.125 -> 12.5 units of 10^-3: a tie, 12 is even.  */
  { "1/8", 2, 1, "12", -1, 0 },
  /* 0.375 -> 37.5: a tie, 37 is odd, up to 38.  */
  { "3/8", 2, 1, "38", -1, 0 },
  { "-1/8", 2, -1, "12", -1, 0 },
  { "-3/8", 2, -1, "38", -1, 0 },
  /* 1/3 = 0.333333|33...  */
  { "1/3", 6, 1, "333333", -1, 0 },
  /* 2/3 = 0.666666|66... rounds up.  */
  { "2/3", 6, 1, "666667", -1, 0 },
  { "-2/3", 6, -1, "666667", -1, 0 },
  /* 9.9999995 -> 9999999.5: a tie, 9999999 odd, up to 10^7: carry into
     a new digit, 1.000000 x 10^1.  */
  { "99999995/10000000", 7, 1, "1000000", 1, 0 },
  /* 9.5 at one digit: tie, 9 odd, up to 10 = 1 x 10^1.  */
  { "19/2", 1, 1, "1", 1, 0 },
  /* 8.5 at one digit: tie, 8 even, stays.  */
  { "17/2", 1, 1, "8", 0, 0 },
  /* 0.999 at two digits: 99.9 -> 100: carry, 1.0 x 10^0.  */
  { "999/1000", 2, 1, "10", 0, 0 },
  /* Integers; trailing zeros kept: exactly N digits.  */
  { "12345", 5, 1, "12345", 4, 1 },
  { "12345", 7, 1, "1234500", 4, 1 },
  { "12345", 3, 1, "123", 4, 0 },   /* 123.45 -> 123 */
  { "12355", 3, 1, "124", 4, 0 },   /* 123.55 -> 124 */
  { "1235", 3, 1, "124", 3, 0 },    /* 123.5 tie, 123 odd -> 124 */
  { "1245", 3, 1, "124", 3, 0 },    /* 124.5 tie, 124 even -> 124 */
  { "1", 1, 1, "1", 0, 1 },
  { "-7", 3, -1, "700", 0, 1 },
  /* Powers of ten, where the exponent estimate is the closest call.  */
  { "1/10", 1, 1, "1", -1, 1 },
  { "1/9", 3, 1, "111", -1, 0 },
  { "99/10", 3, 1, "990", 0, 1 },
  { "1/1000000000000000000000000000000", 3, 1, "100", -30, 1 },
  { "-1/1000000000000000000000000000000", 1, -1, "1", -30, 1 },
  /* 10^30 + 1 at 5 digits.  */
  { "1000000000000000000000000000001", 5, 1, "10000", 30, 0 },
  /* 3/(7 x 10^40) = 4.28571428... x 10^-41.  */
  { "3/70000000000000000000000000000000000000000", 4, 1, "4286", -41, 0 },
  /* -22/7 = -3.142857...  */
  { "-22/7", 4, -1, "3143", 0, 0 },
  /* 0.3775 exactly at 4 digits; inexact at 3 (377.5: tie, 377 odd, up).  */
  { "151/400", 4, 1, "3775", -1, 1 },
  { "151/400", 3, 1, "378", -1, 0 },
  /* Zero.  */
  { "0", 5, 0, "0", 0, 1 },
};

START_TEST (test_round_q)
{
  fadj_decimal d;
  mpq_t q;

  mpq_init (q);
  ck_assert_int_eq (mpq_set_str (q, q_rows[_i].q, 10), 0);
  mpq_canonicalize (q);
  memset (&d, 0x55, sizeof d);
  fadj_decimal_round_q (&d, q, q_rows[_i].n);
  ck_assert_msg (d.sign == q_rows[_i].sign
                 && strcmp (d.digits, q_rows[_i].digits) == 0
                 && d.exp10 == q_rows[_i].exp10
                 && d.exact == q_rows[_i].exact,
                 "%s at %d digits: got sign %d digits %s exp %ld exact %d",
                 q_rows[_i].q, q_rows[_i].n, d.sign, d.digits, d.exp10,
                 d.exact);
  mpq_clear (q);
}
END_TEST

/* Many digits: 1/7 at FADJ_MAX_DIGITS = 1000 has the period 142857; the
   1000th digit is the 4th of a period (1000 = 6 x 166 + 4), an 8, and
   what follows is 0.57142... of a unit, so it rounds up to 9.  */
START_TEST (test_round_q_max_digits)
{
  fadj_decimal d;
  mpq_t q;
  int k;

  mpq_init (q);
  mpq_set_ui (q, 1, 7);
  fadj_decimal_round_q (&d, q, FADJ_MAX_DIGITS);
  ck_assert_int_eq ((int) strlen (d.digits), FADJ_MAX_DIGITS);
  ck_assert_int_eq (FADJ_MAX_DIGITS, 1000);
  for (k = 0; k < FADJ_MAX_DIGITS - 1; k++)
    ck_assert_int_eq (d.digits[k], "142857"[k % 6]);
  ck_assert_int_eq (d.digits[FADJ_MAX_DIGITS - 1], '9');
  ck_assert_int_eq (d.exp10, -1);
  ck_assert_int_eq (d.exact, 0);
  mpq_clear (q);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Intervals.                                                          */

static const struct
{
  const char *lo, *hi;  /* endpoints, rounded outwards at 128 bits */
  int n;
  fadj_status st;
  int sign;
  const char *digits;
  long exp10;
} i_rows[] = {
  /* Well inside one rounding cell: 1235 (0.1235 +- 0.00005).  */
  { "0.12346", "0.12354", 4, FADJ_OK, 1, "1235", -1 },
  /* Across the boundary 0.12345 between 1234 and 1235.  */
  { "0.12344", "0.12346", 4, FADJ_UNDECIDED, 0, NULL, 0 },
  /* Both ends carry to 1.00: equal decimals although the exponents of
     the endpoints differ.  */
  { "0.99999", "1.00001", 3, FADJ_OK, 1, "100", 0 },
  /* 0.999|4 -> 999e-1 but 0.9996 -> 1.00e0.  */
  { "0.9994", "0.9996", 3, FADJ_UNDECIDED, 0, NULL, 0 },
  /* Negative: 0.73105859.. and 0.73105860 both -> 731059.  */
  { "-0.73105860", "-0.73105859", 6, FADJ_OK, -1, "731059", -1 },
  /* Containing zero without being zero: no sign, undecided.  */
  { "-1e-10", "1e-10", 6, FADJ_UNDECIDED, 0, NULL, 0 },
  { "0", "1e-10", 6, FADJ_UNDECIDED, 0, NULL, 0 },
  /* [0, 0] is 0.  */
  { "0", "0", 6, FADJ_OK, 0, "0", 0 },
  /* Tiny and huge.  */
  { "1.2344e-30", "1.2346e-30", 3, FADJ_OK, 1, "123", -30 },
  { "-2.50001e12", "-2.49999e12", 3, FADJ_OK, -1, "250", 12 },
};

static void
set_interval (mpfi_t x, const char *lo, const char *hi)
{
  mpfr_set_str (&x->left, lo, 10, MPFR_RNDD);
  mpfr_set_str (&x->right, hi, 10, MPFR_RNDU);
}

START_TEST (test_round_interval)
{
  fadj_ctx ctx = { FADJ_INTERVAL, 128 };
  fadj_decimal d;
  fadj_num_t x;
  fadj_status st;

  fadj_num_init (x, &ctx);
  set_interval (&x->u.i, i_rows[_i].lo, i_rows[_i].hi);
  st = fadj_decimal_round (&d, x, i_rows[_i].n);
  ck_assert_msg (st == i_rows[_i].st, "[%s, %s]: status %d",
                 i_rows[_i].lo, i_rows[_i].hi, (int) st);
  if (st == FADJ_OK)
    {
      ck_assert_msg (d.sign == i_rows[_i].sign
                     && strcmp (d.digits, i_rows[_i].digits) == 0
                     && d.exp10 == i_rows[_i].exp10,
                     "[%s, %s]: got sign %d digits %s exp %ld",
                     i_rows[_i].lo, i_rows[_i].hi, d.sign, d.digits,
                     d.exp10);
      /* Only a point can be exact, and none of these is but [0, 0].  */
      ck_assert_int_eq (d.exact, d.sign == 0);
    }
  fadj_num_clear (x);
}
END_TEST

/* A narrow enclosure of 1/3 decides its digits; so does sigma(1) =
   1/(1 + e^-1) = 0.7310585786300049 at 53 bits; a point is exact.  */
START_TEST (test_round_interval_values)
{
  fadj_ctx ctx = { FADJ_INTERVAL, 100 };
  fadj_decimal d;
  fadj_num_t x;
  mpq_t q;

  fadj_num_init (x, &ctx);
  mpq_init (q);
  mpq_set_ui (q, 1, 3);
  fadj_num_set_q (x, q);
  ck_assert (!mpfr_equal_p (&x->u.i.left, &x->u.i.right));
  ck_assert_int_eq (fadj_decimal_round (&d, x, 6), FADJ_OK);
  ck_assert_str_eq (d.digits, "333333");
  ck_assert_int_eq (d.exp10, -1);
  ck_assert_int_eq (d.exact, 0);

  mpfi_set_si (&x->u.i, -1);
  mpfi_exp (&x->u.i, &x->u.i);
  mpfi_add_ui (&x->u.i, &x->u.i, 1);
  mpfi_ui_div (&x->u.i, 1, &x->u.i);
  ck_assert_int_eq (fadj_decimal_round (&d, x, 6), FADJ_OK);
  ck_assert_str_eq (d.digits, "731059");
  ck_assert_int_eq (d.exp10, -1);
  ck_assert_int_eq (fadj_decimal_round (&d, x, 16), FADJ_OK);
  ck_assert_str_eq (d.digits, "7310585786300049");

  /* 3/8 is a binary point: exact at 3 digits, inexact (tie to even
     0.38) at 2, like the rational.  */
  mpq_set_ui (q, 3, 8);
  fadj_num_set_q (x, q);
  ck_assert (mpfr_equal_p (&x->u.i.left, &x->u.i.right));
  ck_assert_int_eq (fadj_decimal_round (&d, x, 3), FADJ_OK);
  ck_assert_str_eq (d.digits, "375");
  ck_assert_int_eq (d.exact, 1);
  ck_assert_int_eq (fadj_decimal_round (&d, x, 2), FADJ_OK);
  ck_assert_str_eq (d.digits, "38");
  ck_assert_int_eq (d.exact, 0);

  /* Exact values go through the rational code.  */
  {
    fadj_ctx qc = { FADJ_EXACT, 0 };
    fadj_num_t e;
    fadj_num_init (e, &qc);
    mpq_set_si (q, -2, 3);
    fadj_num_set_q (e, q);
    ck_assert_int_eq (fadj_decimal_round (&d, e, 6), FADJ_OK);
    ck_assert_int_eq (d.sign, -1);
    ck_assert_str_eq (d.digits, "666667");
    fadj_num_clear (e);
  }
  mpq_clear (q);
  fadj_num_clear (x);
}
END_TEST

/* An infinite endpoint cannot be rounded: undecided.  */
START_TEST (test_round_interval_infinite)
{
  fadj_ctx ctx = { FADJ_INTERVAL, 53 };
  fadj_decimal d;
  fadj_num_t x;

  fadj_num_init (x, &ctx);
  mpfr_set_ui (&x->u.i.left, 1, MPFR_RNDD);
  mpfr_set_inf (&x->u.i.right, 1);
  ck_assert_int_eq (fadj_decimal_round (&d, x, 6), FADJ_UNDECIDED);
  fadj_num_clear (x);
}
END_TEST

/* Rounding to decimal places, halves away from zero (hand rounding):
   exact values, ties included, and intervals that decide or not.  */
static const struct
{
  const char *q;
  int places;
  const char *r;
} places_rows[] = {
  { "1539/10000", 2, "3/20" },          /* 0.1539 -> 0.15 */
  { "-57/2000", 2, "-3/100" },          /* -0.0285 -> -0.03 */
  { "1/8", 2, "13/100" },               /* 0.125 -> 0.13: tie, away */
  { "-1/8", 2, "-13/100" },
  { "3/20", 1, "1/5" },                 /* 0.15 -> 0.2 (not to even) */
  { "1/2", 0, "1" },
  { "-5/2", 0, "-3" },
  { "1/3", 3, "333/1000" },
  { "-1/1000", 2, "0" },
  { "0", 4, "0" },
};

START_TEST (test_round_places)
{
  fadj_ctx ex = { FADJ_EXACT, 0 };
  fadj_num_t x;
  mpq_t r, want;

  fadj_num_init (x, &ex);
  mpq_inits (r, want, NULL);
  mpq_set_str (&x->u.q, places_rows[_i].q, 10);
  mpq_canonicalize (&x->u.q);
  mpq_set_str (want, places_rows[_i].r, 10);
  mpq_canonicalize (want);
  ck_assert_int_eq (fadj_decimal_round_places (r, x, places_rows[_i].places),
                    FADJ_OK);
  ck_assert_msg (mpq_equal (r, want), "%s to %d places", places_rows[_i].q,
                 places_rows[_i].places);
  mpq_clears (r, want, NULL);
  fadj_num_clear (x);
}
END_TEST

START_TEST (test_round_places_interval)
{
  fadj_ctx iv = { FADJ_INTERVAL, 64 };
  fadj_num_t x;
  mpq_t r, q;

  fadj_num_init (x, &iv);
  mpq_inits (r, q, NULL);
  /* [0.7305, 0.7315]: both ends round to 0.73.  */
  mpfi_interv_d (&x->u.i, 0.7306, 0.7314);
  ck_assert_int_eq (fadj_decimal_round_places (r, x, 2), FADJ_OK);
  mpq_set_ui (q, 73, 100);
  ck_assert (mpq_equal (r, q));
  /* Straddling 0.735: undecided.  */
  mpfi_interv_d (&x->u.i, 0.7349, 0.7351);
  ck_assert_int_eq (fadj_decimal_round_places (r, x, 2), FADJ_UNDECIDED);
  mpq_clears (r, q, NULL);
  fadj_num_clear (x);
}
END_TEST

/* The fast path for interval endpoints (up to 38 digits) must round
   exactly as the exact rational path does: random dyadic values of many
   magnitudes, digits 1..40, plus values right at decimal midpoints
   (k + 1/2) 10^e with e <= 0 that are exactly representable, where ties
   to even decide.  The seed is printed and taken from FADJ_TEST_SEED.  */
START_TEST (test_round_fast_matches_exact)
{
  gmp_randstate_t rs;
  unsigned long seed = getenv ("FADJ_TEST_SEED")
    ? strtoul (getenv ("FADJ_TEST_SEED"), NULL, 10) : 12345;
  static const mpfr_prec_t precs[] = { 24, 53, 64, 65, 128, 163, 200,
                                       326, 652, 1024, 2100 };
  fadj_ctx ctx = { FADJ_INTERVAL, 200 };
  fadj_num_t x;
  mpfr_t v;
  mpq_t q;
  int k;

  printf ("test_round_fast_matches_exact: seed %lu\n", seed);
  gmp_randinit_default (rs);
  gmp_randseed_ui (rs, seed);
  fadj_num_init (x, &ctx);
  mpfr_init2 (v, 200);
  mpq_init (q);
  for (k = 0; k < 6000; k++)
    {
      int n = 1 + k % 40;
      fadj_decimal a, b;
      /* Significands of 1 to 33 limbs: the fast path's limb counts, and
         the general path past them.  */
      mpfr_prec_t prec = precs[gmp_urandomm_ui (rs, sizeof precs
                                                / sizeof precs[0])];
      mpfr_set_prec (v, prec);
      mpfi_set_prec (&x->u.i, prec);
      if (k % 8 == 7 && prec > 600)
        {
          /* A tie (2j + 1) / 2^t plus 2^-(t + 500): the only sticky bit
             is limbs below the half bit, and decides rounding up.  */
          mpfr_set_ui (v, 2 * (gmp_urandomm_ui (rs, 1000) + 1) + 1,
                       MPFR_RNDN);
          mpfr_mul_2ui (v, v, 500, MPFR_RNDN);
          mpfr_add_ui (v, v, 1, MPFR_RNDN);
          mpfr_div_2ui (v, v, 501 + gmp_urandomm_ui (rs, 12), MPFR_RNDN);
        }
      else if (k % 4 == 3)
        {
          /* (2j + 1) / 2^t: a tie at some digit count for small t.  */
          mpfr_set_ui (v, 2 * (gmp_urandomm_ui (rs, 1000) + 1) + 1,
                       MPFR_RNDN);
          mpfr_div_2ui (v, v, 1 + gmp_urandomm_ui (rs, 12), MPFR_RNDN);
        }
      else
        {
          mpfr_urandomb (v, rs);
          mpfr_mul_2si (v, v, (long) gmp_urandomm_ui (rs, 200) - 120,
                        MPFR_RNDN);
        }
      if (k & 1)
        mpfr_neg (v, v, MPFR_RNDN);
      if (mpfr_zero_p (v))
        continue;
      mpfi_set_fr (&x->u.i, v);
      ck_assert_int_eq (fadj_decimal_round (&a, x, n), FADJ_OK);
      mpfr_get_q (q, v);
      fadj_decimal_round_q (&b, q, n);
      ck_assert_msg (a.sign == b.sign && a.exp10 == b.exp10
                     && strcmp (a.digits, b.digits) == 0
                     && a.exact == b.exact, "k %d, %d digits: %s e%ld vs "
                     "%s e%ld", k, n, a.digits, a.exp10, b.digits, b.exp10);
    }
  mpq_clear (q);
  mpfr_clear (v);
  fadj_num_clear (x);
  gmp_randclear (rs);
}
END_TEST

/* A random regular value of precision PREC: a random significand times
   2^[-250, 40), or for TIE an odd integer over a power of two (products
   of two such are decimal ties at some digit count), negated for NEG.  */
static void
random_value (mpfr_t v, gmp_randstate_t rs, int tie, int neg)
{
  if (tie)
    {
      mpfr_set_ui (v, 2 * gmp_urandomm_ui (rs, 500) + 1, MPFR_RNDN);
      mpfr_div_2ui (v, v, gmp_urandomm_ui (rs, 10), MPFR_RNDN);
    }
  else
    do
      {
        mpfr_urandomb (v, rs);
        mpfr_mul_2si (v, v, (long) gmp_urandomm_ui (rs, 290) - 250,
                      MPFR_RNDN);
      }
    while (mpfr_zero_p (v));
  if (neg)
    mpfr_neg (v, v, MPFR_RNDN);
}

/* The product of two points is rounded from its exact value: random
   values of 1 to 16 limbs (the fast path's range) and odd/2^t values
   whose products are ties, against fadj_decimal_round_q on the exact
   rational product.  The seed is printed and taken from FADJ_TEST_SEED. */
START_TEST (test_round_mul_points)
{
  static const mpfr_prec_t precs[] = { 24, 53, 64, 65, 128, 163, 326,
                                       652, 1024 };
  gmp_randstate_t rs;
  unsigned long seed = getenv ("FADJ_TEST_SEED")
    ? strtoul (getenv ("FADJ_TEST_SEED"), NULL, 10) : 12345;
  fadj_ctx ctx = { FADJ_INTERVAL, 53 };
  fadj_num_t a, b;
  mpq_t qa, qb;
  int k, ties = 0;

  printf ("test_round_mul_points: seed %lu\n", seed);
  gmp_randinit_default (rs);
  gmp_randseed_ui (rs, seed);
  fadj_num_init (a, &ctx);
  fadj_num_init (b, &ctx);
  mpq_inits (qa, qb, NULL);
  for (k = 0; k < 6000; k++)
    {
      int n = 1 + k % 40, tie = k % 3 == 2;
      fadj_decimal d, e;
      mpfi_set_prec (&a->u.i, precs[gmp_urandomm_ui (rs, 9)]);
      mpfi_set_prec (&b->u.i, precs[gmp_urandomm_ui (rs, 9)]);
      random_value (&a->u.i.left, rs, tie, k & 1);
      random_value (&b->u.i.left, rs, tie, k & 2);
      mpfr_set (&a->u.i.right, &a->u.i.left, MPFR_RNDN);
      mpfr_set (&b->u.i.right, &b->u.i.left, MPFR_RNDN);
      mpfr_get_q (qa, &a->u.i.left);
      mpfr_get_q (qb, &b->u.i.left);
      mpq_mul (qa, qa, qb);
      if (tie && mpz_cmp_ui (mpq_denref (qa), 1) > 0)
        {
          /* odd / 2^t (t >= 1) has a finite decimal expansion ending in
             5: rounded to one digit less than it has, it is a tie.  */
          size_t len;
          fadj_decimal_round_q (&e, qa, 40);
          ck_assert (e.exact);
          len = strlen (e.digits);
          while (e.digits[len - 1] == '0')
            len--;
          ck_assert (e.digits[len - 1] == '5');
          if (len < 2)
            continue;
          n = (int) len - 1;
          ties++;
        }
      fadj_decimal_round_q (&e, qa, n);
      ck_assert_msg (fadj_decimal_round_mul (&d, a, b, n) == FADJ_OK,
                     "k %d, %d digits: undecided (%ld, %ld bits)", k, n,
                     (long) mpfi_get_prec (&a->u.i),
                     (long) mpfi_get_prec (&b->u.i));
      ck_assert_msg (d.sign == e.sign && d.exp10 == e.exp10
                     && strcmp (d.digits, e.digits) == 0
                     && d.exact == e.exact, "k %d, %d digits: %d %s e%ld "
                     "vs %d %s e%ld", k, n, d.sign, d.digits, d.exp10,
                     e.sign, e.digits, e.exp10);
    }
  ck_assert_int_gt (ties, 1000);
  mpq_clears (qa, qb, NULL);
  fadj_num_clear (a);
  fadj_num_clear (b);
  gmp_randclear (rs);
}
END_TEST

/* Products of enclosures: random intervals of random widths and signs
   (some containing 0, some [0, 0], some beyond the fast path's limbs,
   half of them a few ulps wide, where the upper product is decided from
   the lower one and a bound).  Whenever the general path (mpfi_mul, then
   fadj_decimal_round) decides, fadj_decimal_round_mul decides the same
   decimal; whenever it decides, the four exact corner products of the
   operands round to that decimal.  */
START_TEST (test_round_mul_intervals)
{
  static const mpfr_prec_t precs[] = { 53, 128, 163, 326, 1100 };
  gmp_randstate_t rs;
  unsigned long seed = getenv ("FADJ_TEST_SEED")
    ? strtoul (getenv ("FADJ_TEST_SEED"), NULL, 10) : 12345;
  fadj_ctx ctx = { FADJ_INTERVAL, 53 };
  fadj_num_t a, b, r;
  mpfr_t v, w;
  mpq_t qa, qb;
  int k, decided = 0, undecided = 0;

  printf ("test_round_mul_intervals: seed %lu\n", seed);
  gmp_randinit_default (rs);
  gmp_randseed_ui (rs, seed);
  fadj_num_init (a, &ctx);
  fadj_num_init (b, &ctx);
  fadj_num_init (r, &ctx);
  mpfr_inits2 (53, v, w, (mpfr_ptr) 0);
  mpq_inits (qa, qb, NULL);
  for (k = 0; k < 4000; k++)
    {
      int n = 1 + k % 38, i;
      mpfr_prec_t p = precs[gmp_urandomm_ui (rs, 5)];
      fadj_num_ptr x[2];
      fadj_decimal d, e;
      fadj_status sd, se;

      x[0] = a;
      x[1] = b;
      for (i = 0; i < 2; i++)
        {
          mpfi_set_prec (&x[i]->u.i, p);
          if (gmp_urandomm_ui (rs, 50) == 0)
            mpfi_set_ui (&x[i]->u.i, 0);
          else
            {
              /* [v - w, v + w], w = |v| 2^-s for s in [0, p + 10): the
                 widest straddle 0 (sometimes both operands).  */
              mpfr_set_prec (v, p);
              mpfr_set_prec (w, p);
              random_value (v, rs, 0, gmp_urandomb_ui (rs, 1));
              mpfr_abs (w, v, MPFR_RNDN);
              /* Half of them a few units in the last place wide, as
                 the enclosures of a derivation are.  */
              mpfr_mul_2si (w, w, -(long) (k % 2 ? p - 3
                                           + gmp_urandomm_ui (rs, 12)
                                           : gmp_urandomm_ui (rs, p + 10)),
                            MPFR_RNDN);
              mpfr_sub (&x[i]->u.i.left, v, w, MPFR_RNDD);
              mpfr_add (&x[i]->u.i.right, v, w, MPFR_RNDU);
            }
        }
      mpfi_set_prec (&r->u.i, p);
      mpfi_mul (&r->u.i, &a->u.i, &b->u.i);
      se = fadj_decimal_round (&e, r, n);
      sd = fadj_decimal_round_mul (&d, a, b, n);
      if (se == FADJ_OK)
        {
          ck_assert_msg (sd == FADJ_OK, "k %d: undecided", k);
          ck_assert_msg (d.sign == e.sign && d.exp10 == e.exp10
                         && strcmp (d.digits, e.digits) == 0, "k %d", k);
        }
      if (sd == FADJ_OK)
        {
          /* Each corner of the product (every point is between two of
             them) rounds to D.  */
          int c;
          decided++;
          for (c = 0; c < 4; c++)
            {
              mpfr_get_q (qa, c & 1 ? &a->u.i.right : &a->u.i.left);
              mpfr_get_q (qb, c & 2 ? &b->u.i.right : &b->u.i.left);
              mpq_mul (qa, qa, qb);
              fadj_decimal_round_q (&e, qa, n);
              ck_assert_msg (d.sign == e.sign && d.exp10 == e.exp10
                             && strcmp (d.digits, e.digits) == 0,
                             "k %d, corner %d", k, c);
            }
        }
      else
        {
          ck_assert_int_eq (sd, FADJ_UNDECIDED);
          undecided++;
        }
    }
  /* Both outcomes were exercised.  */
  ck_assert_int_gt (decided, 1000);
  ck_assert_int_gt (undecided, 100);
  mpfr_clears (v, w, (mpfr_ptr) 0);
  mpq_clears (qa, qb, NULL);
  fadj_num_clear (a);
  fadj_num_clear (b);
  fadj_num_clear (r);
  gmp_randclear (rs);
}
END_TEST

/* By hand: 0.125 = 12.5 10^-2 at 2 digits is a tie (to even: 12); an
   enclosure of it, times 1, straddles it and is undecided; -0.375 * 1
   ties to 38 (odd 37 goes up), with the sign of the product; [0, 0]
   times anything is 0; an interval containing 0 is undecided.  */
START_TEST (test_round_mul_cases)
{
  fadj_ctx ctx = { FADJ_INTERVAL, 64 };
  fadj_num_t a, b;
  fadj_decimal d;

  fadj_num_init (a, &ctx);
  fadj_num_init (b, &ctx);
  mpfi_set_ui (&b->u.i, 1);
  mpfi_set_d (&a->u.i, 0.125);
  ck_assert_int_eq (fadj_decimal_round_mul (&d, a, b, 2), FADJ_OK);
  ck_assert_str_eq (d.digits, "12");
  ck_assert_int_eq (d.exp10, -1);
  ck_assert_int_eq (d.exact, 0);
  ck_assert_int_eq (fadj_decimal_round_mul (&d, a, b, 3), FADJ_OK);
  ck_assert_str_eq (d.digits, "125");
  ck_assert_int_eq (d.exact, 1);
  mpfi_interv_d (&a->u.i, 0.125 - 0x1p-50, 0.125 + 0x1p-50);
  ck_assert_int_eq (fadj_decimal_round_mul (&d, a, b, 2), FADJ_UNDECIDED);
  ck_assert_int_eq (fadj_decimal_round_mul (&d, a, b, 3), FADJ_OK);
  ck_assert_str_eq (d.digits, "125");
  ck_assert_int_eq (d.exact, 0);
  mpfi_set_d (&a->u.i, -0.375);
  ck_assert_int_eq (fadj_decimal_round_mul (&d, b, a, 2), FADJ_OK);
  ck_assert_int_eq (d.sign, -1);
  ck_assert_str_eq (d.digits, "38");
  mpfi_set_si (&b->u.i, -4);       /* -0.375 * -4 = 1.5 -> 2 at 1 digit */
  ck_assert_int_eq (fadj_decimal_round_mul (&d, a, b, 1), FADJ_OK);
  ck_assert_int_eq (d.sign, 1);
  ck_assert_str_eq (d.digits, "2");
  ck_assert_int_eq (d.exp10, 0);
  mpfi_set_ui (&a->u.i, 0);
  ck_assert_int_eq (fadj_decimal_round_mul (&d, a, b, 5), FADJ_OK);
  ck_assert_int_eq (d.sign, 0);
  mpfi_interv_d (&a->u.i, -0x1p-70, 0x1p-70);
  ck_assert_int_eq (fadj_decimal_round_mul (&d, a, b, 5), FADJ_UNDECIDED);
  fadj_num_clear (a);
  fadj_num_clear (b);
}
END_TEST

static Suite *
decimal_suite (void)
{
  Suite *s = suite_create ("decimal");
  TCase *tc;

  tc = test_tcase ("round_q");
  tcase_add_loop_test (tc, test_round_q, 0,
                       (int) (sizeof q_rows / sizeof q_rows[0]));
  tcase_add_test (tc, test_round_q_max_digits);
  suite_add_tcase (s, tc);

  tc = test_tcase ("round_interval");
  tcase_add_loop_test (tc, test_round_interval, 0,
                       (int) (sizeof i_rows / sizeof i_rows[0]));
  tcase_add_test (tc, test_round_interval_values);
  tcase_add_test (tc, test_round_interval_infinite);
  tcase_add_loop_test (tc, test_round_places, 0,
                       sizeof places_rows / sizeof places_rows[0]);
  tcase_add_test (tc, test_round_places_interval);
  tcase_add_test (tc, test_round_fast_matches_exact);
  suite_add_tcase (s, tc);

  tc = test_tcase ("round_mul");
  tcase_add_test (tc, test_round_mul_cases);
  tcase_add_test (tc, test_round_mul_points);
  tcase_add_test (tc, test_round_mul_intervals);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  test_memory_install ();
  return test_run (decimal_suite ());
}
