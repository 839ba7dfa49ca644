/* check_decimal.c -- correct rounding to N significant digits: exact
   rationals (ties to even, carries, signs, extreme exponents) and
   intervals (certified when both endpoints round alike, undecided
   otherwise).  Expected digits are worked out by hand in the comments.  */

#include "test-common.h"
#include "fadj-impl.h"

#include <stdio.h>
#include <stdlib.h>
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

/* Exponents of the extreme literals (1e+-99999), whose large powers of
   10 are kept between roundings: each value twice, so that the second
   rounding takes the kept powers, at 6 and 12 digits, which need
   different ones.  The digits follow from the forms: 1/10^99999 and
   10^99999 are exact, 10^99999 + 1 is not and rounds to 10^99999,
   2/(3 10^5000) = 6.666...e-5001 rounds up at every length, and
   (10^100000 - 1)/10^5 = 9.999...e99994 (100000 nines) rounds up to
   1.0...e99995.  */
START_TEST (test_round_q_huge_exponents)
{
  static const struct
  {
    long k;             /* the power of 10 in the value */
    int form;           /* 0: 1/10^k, 1: 10^k, 2: 10^k + 1, 3: 2/(3 10^k),
                           4: (10^k - 1)/10^5 */
    const char *digits6, *digits12;
    long exp10;
    int exact;
  } rows[] = {
    { 99999, 0, "100000", "100000000000", -99999, 1 },
    { 99999, 1, "100000", "100000000000", 99999, 1 },
    { 99999, 2, "100000", "100000000000", 99999, 0 },
    { 5000, 3, "666667", "666666666667", -5001, 0 },
    { 100000, 4, "100000", "100000000000", 99995, 0 },
  };
  fadj_decimal d;
  mpq_t q;
  size_t r;
  int pass, n;

  mpq_init (q);
  for (r = 0; r < sizeof rows / sizeof rows[0]; r++)
    for (pass = 0; pass < 4; pass++)
      {
        mpz_ui_pow_ui (mpq_numref (q), 10, (unsigned long) rows[r].k);
        mpz_set_ui (mpq_denref (q), 1);
        if (rows[r].form == 0)
          mpq_inv (q, q);
        else if (rows[r].form == 2)
          mpz_add_ui (mpq_numref (q), mpq_numref (q), 1);
        else if (rows[r].form == 3)
          {
            mpz_mul_ui (mpq_denref (q), mpq_numref (q), 3);
            mpz_set_ui (mpq_numref (q), 2);
          }
        else if (rows[r].form == 4)
          {
            mpz_sub_ui (mpq_numref (q), mpq_numref (q), 1);
            mpz_set_ui (mpq_denref (q), 100000);
          }
        mpq_canonicalize (q);
        n = pass % 2 ? 12 : 6;
        fadj_decimal_round_q (&d, q, n);
        ck_assert_msg (d.sign == 1
                       && strcmp (d.digits, n == 6 ? rows[r].digits6
                                  : rows[r].digits12) == 0
                       && d.exp10 == rows[r].exp10
                       && d.exact == rows[r].exact,
                       "row %zu at %d digits: got %s e%ld exact %d", r, n,
                       d.digits, d.exp10, d.exact);
      }
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
  /* An infinite endpoint cannot be rounded: undecided.  */
  { "1", "inf", 6, FADJ_UNDECIDED, 0, NULL, 0 },
};

/* [LO, HI] (decimal strings, rounded outwards at 128 bits) rounded to
   N digits into *D.  */
static fadj_status
round_interval (fadj_decimal *d, const char *lo, const char *hi, int n)
{
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 128 };
  fadj_num_t x;
  fadj_status st;

  fadj_num_init (x, &ctx);
  ck_assert_int_eq (mpfr_set_str (FADJ_NUM_LEFT (x), lo, 10, MPFR_RNDD),
                    0);
  ck_assert_int_eq (mpfr_set_str (FADJ_NUM_RIGHT (x), hi, 10,
                                  MPFR_RNDU), 0);
  st = fadj_decimal_round (d, x, n);
  fadj_num_clear (x);
  return st;
}

START_TEST (test_round_interval)
{
  fadj_decimal d;
  fadj_status st = round_interval (&d, i_rows[_i].lo, i_rows[_i].hi,
                                   i_rows[_i].n);

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
}
END_TEST

/* A narrow enclosure of 1/3 decides its digits; so does sigma(1) =
   1/(1 + e^-1) = 0.7310585786300049 at 53 bits; a point is exact.  */
START_TEST (test_round_interval_values)
{
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 100 };
  fadj_decimal d;
  fadj_num_t x;
  mpq_t q;

  fadj_num_init (x, &ctx);
  mpq_init (q);
  mpq_set_ui (q, 1, 3);
  fadj_num_set_q (x, q);
  ck_assert (!mpfr_equal_p (FADJ_NUM_LEFT (x), FADJ_NUM_RIGHT (x)));
  ck_assert_int_eq (fadj_decimal_round (&d, x, 6), FADJ_OK);
  ck_assert_str_eq (d.digits, "333333");
  ck_assert_int_eq (d.exp10, -1);
  ck_assert_int_eq (d.exact, 0);

  mpfi_set_si (FADJ_NUM_I (x), -1);
  mpfi_exp (FADJ_NUM_I (x), FADJ_NUM_I (x));
  mpfi_add_ui (FADJ_NUM_I (x), FADJ_NUM_I (x), 1);
  mpfi_ui_div (FADJ_NUM_I (x), 1, FADJ_NUM_I (x));
  ck_assert_int_eq (fadj_decimal_round (&d, x, 6), FADJ_OK);
  ck_assert_str_eq (d.digits, "731059");
  ck_assert_int_eq (d.exp10, -1);
  ck_assert_int_eq (fadj_decimal_round (&d, x, 16), FADJ_OK);
  ck_assert_str_eq (d.digits, "7310585786300049");

  /* 3/8 is a binary point: exact at 3 digits, inexact (tie to even
     0.38) at 2, like the rational.  */
  mpq_set_ui (q, 3, 8);
  fadj_num_set_q (x, q);
  ck_assert (mpfr_equal_p (FADJ_NUM_LEFT (x), FADJ_NUM_RIGHT (x)));
  ck_assert_int_eq (fadj_decimal_round (&d, x, 3), FADJ_OK);
  ck_assert_str_eq (d.digits, "375");
  ck_assert_int_eq (d.exact, 1);
  ck_assert_int_eq (fadj_decimal_round (&d, x, 2), FADJ_OK);
  ck_assert_str_eq (d.digits, "38");
  ck_assert_int_eq (d.exact, 0);

  /* Exact values go through the rational code.  */
  {
    fadj_ctx qc = { .domain = FADJ_EXACT };
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

/* X (WHAT, for the message) rounded to PLACES decimal places must be the
   rational WANT, or undecided if WANT is NULL.  */
static void
check_round_places (fadj_num_srcptr x, int places, const char *want,
                    const char *what)
{
  mpq_t r, w;

  mpq_inits (r, w, NULL);
  if (want == NULL)
    ck_assert_int_eq (fadj_decimal_round_places (r, x, places),
                      FADJ_UNDECIDED);
  else
    {
      ck_assert_int_eq (fadj_decimal_round_places (r, x, places), FADJ_OK);
      mpq_set_str (w, want, 10);
      mpq_canonicalize (w);
      ck_assert_msg (mpq_equal (r, w), "%s to %d places", what, places);
    }
  mpq_clears (r, w, NULL);
}

START_TEST (test_round_places)
{
  fadj_ctx ex = { .domain = FADJ_EXACT };
  fadj_num_t x;

  fadj_num_init (x, &ex);
  mpq_set_str (FADJ_NUM_Q (x), places_rows[_i].q, 10);
  mpq_canonicalize (FADJ_NUM_Q (x));
  check_round_places (x, places_rows[_i].places, places_rows[_i].r,
                      places_rows[_i].q);
  fadj_num_clear (x);
}
END_TEST

START_TEST (test_round_places_interval)
{
  fadj_ctx iv = { .domain = FADJ_INTERVAL, .prec = 64 };
  fadj_num_t x;

  fadj_num_init (x, &iv);
  /* [0.7305, 0.7315]: both ends round to 0.73.  */
  mpfi_interv_d (FADJ_NUM_I (x), 0.7306, 0.7314);
  check_round_places (x, 2, "73/100", "[0.7306, 0.7314]");
  /* Straddling 0.735: undecided.  */
  mpfi_interv_d (FADJ_NUM_I (x), 0.7349, 0.7351);
  check_round_places (x, 2, NULL, "[0.7349, 0.7351]");
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
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 200 };
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
      mpfi_set_prec (FADJ_NUM_I (x), prec);
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
      mpfi_set_fr (FADJ_NUM_I (x), v);
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
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 53 };
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
      mpfi_set_prec (FADJ_NUM_I (a), precs[gmp_urandomm_ui (rs, 9)]);
      mpfi_set_prec (FADJ_NUM_I (b), precs[gmp_urandomm_ui (rs, 9)]);
      random_value (FADJ_NUM_LEFT (a), rs, tie, k & 1);
      random_value (FADJ_NUM_LEFT (b), rs, tie, k & 2);
      mpfr_set (FADJ_NUM_RIGHT (a), FADJ_NUM_LEFT (a), MPFR_RNDN);
      mpfr_set (FADJ_NUM_RIGHT (b), FADJ_NUM_LEFT (b), MPFR_RNDN);
      mpfr_get_q (qa, FADJ_NUM_LEFT (a));
      mpfr_get_q (qb, FADJ_NUM_LEFT (b));
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
                     (long) mpfi_get_prec (FADJ_NUM_I (a)),
                     (long) mpfi_get_prec (FADJ_NUM_I (b)));
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
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 53 };
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
          mpfi_set_prec (FADJ_NUM_I (x[i]), p);
          if (gmp_urandomm_ui (rs, 50) == 0)
            mpfi_set_ui (FADJ_NUM_I (x[i]), 0);
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
              mpfr_sub (FADJ_NUM_LEFT (x[i]), v, w, MPFR_RNDD);
              mpfr_add (FADJ_NUM_RIGHT (x[i]), v, w, MPFR_RNDU);
            }
        }
      mpfi_set_prec (FADJ_NUM_I (r), p);
      mpfi_mul (FADJ_NUM_I (r), FADJ_NUM_I (a), FADJ_NUM_I (b));
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
              mpfr_get_q (qa, c & 1 ? FADJ_NUM_RIGHT (a) : FADJ_NUM_LEFT (a));
              mpfr_get_q (qb, c & 2 ? FADJ_NUM_RIGHT (b) : FADJ_NUM_LEFT (b));
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
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 64 };
  fadj_num_t a, b;
  fadj_decimal d;

  fadj_num_init (a, &ctx);
  fadj_num_init (b, &ctx);
  mpfi_set_ui (FADJ_NUM_I (b), 1);
  mpfi_set_d (FADJ_NUM_I (a), 0.125);
  ck_assert_int_eq (fadj_decimal_round_mul (&d, a, b, 2), FADJ_OK);
  ck_assert_str_eq (d.digits, "12");
  ck_assert_int_eq (d.exp10, -1);
  ck_assert_int_eq (d.exact, 0);
  ck_assert_int_eq (fadj_decimal_round_mul (&d, a, b, 3), FADJ_OK);
  ck_assert_str_eq (d.digits, "125");
  ck_assert_int_eq (d.exact, 1);
  mpfi_interv_d (FADJ_NUM_I (a), 0.125 - 0x1p-50, 0.125 + 0x1p-50);
  ck_assert_int_eq (fadj_decimal_round_mul (&d, a, b, 2), FADJ_UNDECIDED);
  ck_assert_int_eq (fadj_decimal_round_mul (&d, a, b, 3), FADJ_OK);
  ck_assert_str_eq (d.digits, "125");
  ck_assert_int_eq (d.exact, 0);
  mpfi_set_d (FADJ_NUM_I (a), -0.375);
  ck_assert_int_eq (fadj_decimal_round_mul (&d, b, a, 2), FADJ_OK);
  ck_assert_int_eq (d.sign, -1);
  ck_assert_str_eq (d.digits, "38");
  /* -0.375 * -4 = 1.5 -> 2 at 1 digit */
  mpfi_set_si (FADJ_NUM_I (b), -4);
  ck_assert_int_eq (fadj_decimal_round_mul (&d, a, b, 1), FADJ_OK);
  ck_assert_int_eq (d.sign, 1);
  ck_assert_str_eq (d.digits, "2");
  ck_assert_int_eq (d.exp10, 0);
  mpfi_set_ui (FADJ_NUM_I (a), 0);
  ck_assert_int_eq (fadj_decimal_round_mul (&d, a, b, 5), FADJ_OK);
  ck_assert_int_eq (d.sign, 0);
  mpfi_interv_d (FADJ_NUM_I (a), -0x1p-70, 0x1p-70);
  ck_assert_int_eq (fadj_decimal_round_mul (&d, a, b, 5), FADJ_UNDECIDED);
  fadj_num_clear (a);
  fadj_num_clear (b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Outer products row by row (fadj_decimal_outer).                     */

static unsigned long
test_seed (const char *name)
{
  unsigned long seed = getenv ("FADJ_TEST_SEED")
    ? strtoul (getenv ("FADJ_TEST_SEED"), NULL, 10) : 12345;
  printf ("%s: seed %lu\n", name, seed);
  return seed;
}

/* fadj_decimal_outer_round as a test_row_rounder.  */
static fadj_status
outer_round (fadj_decimal *d, size_t *col, void *o, size_t j0, size_t j1)
{
  return fadj_decimal_outer_round (d, col, o, j0, j1);
}

/* Round the row A B[0 .. COLS-1] to N digits with fadj_decimal_outer,
   in two ranges of columns, going on after each undecided entry, and
   check every entry against fadj_decimal_round_mul on the same operands:
   the same status and, when decided, the same decimal, exactness
   included; a decided one also against the exact rounding
   (fadj_decimal_round_q) of each of the four corner products, between
   which every point of the product lies.  Returns how many the kernel
   decided itself; *UNDECIDED += the undecided ones.  */
static size_t
check_row (fadj_num_srcptr a, fadj_num_srcptr const *b, size_t cols, int n,
           size_t *undecided, const char *what)
{
  fadj_decimal *d = malloc (cols * sizeof *d), e;
  fadj_status *st = malloc (cols * sizeof *st);
  fadj_decimal_outer *o;
  size_t j, decided;
  mpq_t qa, qb;

  ck_assert (d != NULL && st != NULL);
  mpq_inits (qa, qb, NULL);
  ck_assert_int_eq (fadj_decimal_outer_new (&o, b, cols, n), FADJ_OK);
  fadj_decimal_outer_set_row (o, a);
  test_row_round (d, st, cols, cols / 3, outer_round, o);
  for (j = 0; j < cols; j++)
    {
      fadj_status s = fadj_decimal_round_mul (&e, a, b[j], n);
      int c;
      ck_assert_msg (s == st[j], "%s, %d digits, column %zu: status %d, "
                     "entry by entry %d", what, n, j, st[j], s);
      if (s != FADJ_OK)
        {
          ++*undecided;
          continue;
        }
      ck_assert_msg (test_decimal_equal (d + j, &e) && d[j].exact == e.exact,
                     "%s, %d digits, column %zu: %d %s e%ld exact %d, entry "
                     "by entry %d %s e%ld exact %d", what, n, j, d[j].sign,
                     d[j].digits, d[j].exp10, d[j].exact, e.sign, e.digits,
                     e.exp10, e.exact);
      if (FADJ_NUM_DOMAIN (a) != FADJ_INTERVAL
          || FADJ_NUM_DOMAIN (b[j]) != FADJ_INTERVAL)
        continue;
      for (c = 0; c < 4; c++)
        {
          mpfr_get_q (qa, c & 1 ? FADJ_NUM_RIGHT (a) : FADJ_NUM_LEFT (a));
          mpfr_get_q (qb, c & 2 ? FADJ_NUM_RIGHT (b[j]) : FADJ_NUM_LEFT (b[j]));
          mpq_mul (qa, qa, qb);
          fadj_decimal_round_q (&e, qa, n);
          ck_assert_msg (test_decimal_equal (d + j, &e), "%s, %d digits, "
                         "column %zu, corner %d: %s e%ld, exactly %s e%ld",
                         what, n, j, c, d[j].digits, d[j].exp10, e.digits,
                         e.exp10);
        }
    }
  decided = fadj_decimal_outer_decided (o);
  fadj_decimal_outer_free (o);
  mpq_clears (qa, qb, NULL);
  free (d);
  free (st);
  return decided;
}

/* Rows of one product, by hand.  Operands at 163 bits: a rational
   "p/q" (or a decimal "d.ddde-x") rounded down for the left endpoint
   and up for the right one, then moved by LO_ULPS and HI_ULPS units in
   the last place.  KERNEL: 1 if the kernel must decide the product
   itself, 0 if it must leave it to fadj_decimal_round_mul, -1 either.  */
static const struct
{
  const char *alo, *ahi;
  int alo_ulps, ahi_ulps;
  const char *blo, *bhi;
  int blo_ulps, bhi_ulps;
  int n;
  fadj_status st;
  int sign;
  const char *digits;
  long exp10;
  int kernel;
} outer_rows[] = {
  /* [1/3] 3 encloses 1 within 2^-160: rounds to 1.0...0 from both sides
     (the lower bound 0.99..9 carries into a new digit), and the
     mantissas' product is next to 10: the guess of the scale may be
     wrong and is retried.  */
  { "1/3", "1/3", 0, 0, "3", "3", 0, 0, 30, FADJ_OK, 1,
    "100000000000000000000000000000", 0, 1 },
  { "1/3", "1/3", 0, 0, "3", "3", 0, 0, 1, FADJ_OK, 1, "1", 0, 1 },
  { "-1/3", "-1/3", 0, 0, "3", "3", 0, 0, 30, FADJ_OK, -1,
    "100000000000000000000000000000", 0, 1 },
  { "1/3", "1/3", 0, 0, "-3", "-3", 0, 0, 34, FADJ_OK, -1,
    "1000000000000000000000000000000000", 0, 1 },
  { "1/7", "1/7", 0, 0, "7", "7", 0, 0, 17, FADJ_OK, 1,
    "10000000000000000", 0, 1 },
  /* a = 2 - 2^-53 - 2^-60 and b = 5 + 2^-51 - 2^-60 round to the
     doubles 2 - 2^-52 and 5, whose product rounds to 10 - 2^-49: below
     10, while ab = 10.0000000000000003269953752216|28... (Python's
     fractions and decimal) is above: the kernel's guess of the scale
     is wrong, and must be corrected, not taken (10^30 + 3.3 10^13 has
     31 digits).  */
  { "2305843009213693823/1152921504606846976",
    "2305843009213693823/1152921504606846976", 0, 0,
    "5764607523034235391/1152921504606846976",
    "5764607523034235391/1152921504606846976", 0, 1, 30, FADJ_OK, 1,
    "100000000000000003269953752216", 1, 1 },
  /* 2/3 x 0.15 = 0.1; 1/3 x 0.3 = 0.1; 0.1 x -0.1 = -0.01, where the
     enclosures of 0.1 have an endpoint on each side of 10^-1, which the
     kernel does not take (an operand must lie in one decade).  */
  { "2/3", "2/3", 0, 0, "3/20", "3/20", 0, 0, 4, FADJ_OK, 1, "1000", -1,
    1 },
  { "1/3", "1/3", 0, 0, "3/10", "3/10", 0, 0, 30, FADJ_OK, 1,
    "100000000000000000000000000000", -1, 1 },
  { "1/10", "1/10", 0, 0, "-1/10", "-1/10", 0, 0, 30, FADJ_OK, -1,
    "100000000000000000000000000000", -2, 0 },
  /* 1/7 x 1/7 = 1/49 = 0.020408163265306122448979591836734693877...:
     at 30 digits 2.04081632653061224489795918367|3469 -> ...367.  */
  { "1/7", "1/7", 0, 0, "1/7", "1/7", 0, 0, 30, FADJ_OK, 1,
    "204081632653061224489795918367", -2, 1 },
  /* 2/7 x 1/3 = 2/21 = 0.095238095238095238095238...: at 17 digits
     9.5238095238095238|095 -> ...238.  */
  { "2/7", "2/7", 0, 0, "1/3", "1/3", 0, 0, 17, FADJ_OK, 1,
    "95238095238095238", -2, 1 },
  /* Far exponents: 1.5e-300 x 2, and 2e300 x 5e299 = 10^600 (carried
     from below, as 1/3 x 3), in the kernel's range (binary exponents
     about -997 and 997); 2e-1200 x 3 too (about -3986), 2e-1300 x 3
     beyond it (about -4317).  */
  { "1.5e-300", "1.5e-300", 0, 0, "2", "2", 0, 0, 4, FADJ_OK, 1, "3000",
    -300, 1 },
  { "2e300", "2e300", 0, 0, "5e299", "5e299", 0, 0, 3, FADJ_OK, 1, "100",
    600, 1 },
  { "2e-1200", "2e-1200", 0, 0, "3", "3", 0, 0, 1, FADJ_OK, 1, "6", -1200,
    1 },
  { "2e-1300", "2e-1300", 0, 0, "3", "3", 0, 0, 1, FADJ_OK, 1, "6", -1300,
    0 },
  /* Ties: 0.125 at 2 digits is 12.5 x 10^-2, to even 12; 0.375 is 37.5,
     to 38; 9.5 at 1 digit goes up to 10.  [0.125, 0.125+] has 12 and
     13: undecided; [0.375, 0.375+] has 38 only; [0.375-, 0.375] has 37
     and 38; [9.5, 9.5+] is 1e1.  The kernel sees the exact tie at the
     lower end and leaves it.  */
  { "1/8", "1/8", 0, 0, "1", "1", 0, 1, 2, FADJ_UNDECIDED, 0, NULL, 0, 0 },
  { "3/8", "3/8", 0, 0, "1", "1", 0, 1, 2, FADJ_OK, 1, "38", -1, 0 },
  { "3/8", "3/8", 0, 0, "1", "1", -1, 0, 2, FADJ_UNDECIDED, 0, NULL, 0,
    -1 },
  { "19/2", "19/2", 0, 0, "1", "1", 0, 1, 1, FADJ_OK, 1, "1", 1, 0 },
  { "1", "1", 0, 1, "-3/8", "-3/8", 0, 0, 2, FADJ_OK, -1, "38", -1, 0 },
  /* 0.125 (1 + [2^-120, 2^-119]): above the tie by far more than the
     kernel's bounds lose: 13.  */
  { "1/8", "1/8", 0, 0,
    "1329227995784915872903807060280344577/"
    "1329227995784915872903807060280344576",
    "664613997892457936451903530140172289/"
    "664613997892457936451903530140172288", 0, 0, 2, FADJ_OK, 1, "13",
    -1, 1 },
  /* Zero: [0, 0] times anything is 0 (exact); an interval with 0 inside
     has no sign.  */
  { "0", "0", 0, 0, "1/3", "1/3", 0, 0, 30, FADJ_OK, 0, "0", 0, 0 },
  { "-1/3", "1/3", 0, 0, "1/3", "1/3", 0, 0, 30, FADJ_UNDECIDED, 0, NULL,
    0, 0 },
};

static void
set_endpoint (mpfr_ptr x, const char *s, int ulps, mpfr_rnd_t rnd)
{
  if (strchr (s, 'e') != NULL)
    ck_assert_int_eq (mpfr_set_str (x, s, 10, rnd), 0);
  else
    {
      mpq_t q;
      mpq_init (q);
      ck_assert_int_eq (mpq_set_str (q, s, 10), 0);
      mpq_canonicalize (q);
      mpfr_set_q (x, q, rnd);
      mpq_clear (q);
    }
  for (; ulps > 0; ulps--)
    mpfr_nextabove (x);
  for (; ulps < 0; ulps++)
    mpfr_nextbelow (x);
}

START_TEST (test_outer_cases)
{
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 163 };
  fadj_num_t a, b;
  fadj_num_srcptr bp[1];
  fadj_decimal d;
  fadj_decimal_outer *o;
  size_t col = 99, undecided = 0, decided;
  fadj_status st;

  fadj_num_init (a, &ctx);
  fadj_num_init (b, &ctx);
  bp[0] = b;
  set_endpoint (FADJ_NUM_LEFT (a), outer_rows[_i].alo, outer_rows[_i].alo_ulps,
                MPFR_RNDD);
  set_endpoint (FADJ_NUM_RIGHT (a), outer_rows[_i].ahi, outer_rows[_i].ahi_ulps,
                MPFR_RNDU);
  set_endpoint (FADJ_NUM_LEFT (b), outer_rows[_i].blo, outer_rows[_i].blo_ulps,
                MPFR_RNDD);
  set_endpoint (FADJ_NUM_RIGHT (b), outer_rows[_i].bhi, outer_rows[_i].bhi_ulps,
                MPFR_RNDU);
  ck_assert_int_eq (fadj_decimal_outer_new (&o, bp, 1, outer_rows[_i].n),
                    FADJ_OK);
  fadj_decimal_outer_set_row (o, a);
  st = fadj_decimal_outer_round (&d, &col, o, 0, 1);
  ck_assert_int_eq (st, outer_rows[_i].st);
  if (st == FADJ_OK)
    {
      ck_assert_int_eq (d.sign, outer_rows[_i].sign);
      ck_assert_str_eq (d.digits, outer_rows[_i].digits);
      ck_assert_int_eq (d.exp10, outer_rows[_i].exp10);
      ck_assert_int_eq (d.exact, outer_rows[_i].sign == 0);
    }
  else
    ck_assert_uint_eq (col, 0);
  decided = fadj_decimal_outer_decided (o);
  if (outer_rows[_i].kernel >= 0)
    ck_assert_uint_eq (decided, (size_t) outer_rows[_i].kernel);
  fadj_decimal_outer_free (o);
  /* And as one row of the random test checks it.  */
  check_row (a, bp, 1, outer_rows[_i].n, &undecided, "case");
  fadj_num_clear (a);
  fadj_num_clear (b);
}
END_TEST

/* The kinds of operands of the random rows.  */
enum
{
  OP_RANDOM,      /* a random value in [2^-60, 2^10), random width */
  OP_POINT,       /* the same, a point */
  OP_FAR,         /* binary exponent about +-4100: the kernel's limit */
  OP_ZERO_IN,     /* an interval with 0 inside */
  OP_ZERO,        /* [0, 0] */
  OP_TEN,         /* the product with the row operand next to 10^E */
  OP_KINDS
};

/* X = an operand of KIND at precision P, both signs; for OP_TEN, A is
   the row operand.  */
static void
random_operand (fadj_num_ptr x, gmp_randstate_t rs, mpfr_prec_t p,
                int kind, fadj_num_srcptr a)
{
  mpfr_t v, w;
  int i, k;

  mpfi_set_prec (FADJ_NUM_I (x), p);
  mpfr_inits2 (p, v, w, (mpfr_ptr) 0);
  do
    mpfr_urandomb (v, rs);
  while (mpfr_zero_p (v));
  switch (kind)
    {
    case OP_FAR:
      mpfr_mul_2si (v, v, (long) gmp_urandomm_ui (rs, 200) - 4200
                    + (gmp_urandomb_ui (rs, 1) ? 8300 : 0), MPFR_RNDN);
      break;
    case OP_TEN:
      /* 10^E / A's left endpoint, E random: the product is within a few
         ulps of 10^E, on either side; for half of them times 1 + r
         2^-56, |r| < 128, where doubles may not tell whether the
         mantissas' product is above 10 (the kernel's guess of its
         scale: a wrong one must be corrected).  */
      mpfr_set_ui (v, 10, MPFR_RNDN);
      mpfr_pow_si (v, v, (long) gmp_urandomm_ui (rs, 41) - 20, MPFR_RNDN);
      mpfr_div (v, v, FADJ_NUM_LEFT (a), MPFR_RNDN);
      mpfr_abs (v, v, MPFR_RNDN);
      if (!mpfr_regular_p (v))          /* A's left endpoint is 0 */
        mpfr_set_ui (v, 3, MPFR_RNDN);
      if (gmp_urandomb_ui (rs, 1))
        {
          mpfr_set_si_2exp (w, (long) gmp_urandomm_ui (rs, 255) - 127, -56,
                            MPFR_RNDN);
          mpfr_fma (v, v, w, v, MPFR_RNDN);
        }
      break;
    default:
      mpfr_mul_2si (v, v, (long) gmp_urandomm_ui (rs, 70) - 60, MPFR_RNDN);
    }
  if (gmp_urandomb_ui (rs, 1))
    mpfr_neg (v, v, MPFR_RNDN);
  mpfr_set (FADJ_NUM_LEFT (x), v, MPFR_RNDN);
  mpfr_set (FADJ_NUM_RIGHT (x), v, MPFR_RNDN);
  switch (kind == OP_POINT ? 9 : kind == OP_ZERO || kind == OP_ZERO_IN
          ? 10 + kind : (int) gmp_urandomm_ui (rs, 5))
    {
    case 0:                     /* a point */
      break;
    case 1:                     /* one ulp */
      if (gmp_urandomb_ui (rs, 1))
        mpfr_nextabove (FADJ_NUM_RIGHT (x));
      else
        mpfr_nextbelow (FADJ_NUM_LEFT (x));
      break;
    case 2:                     /* a few ulps, on both sides */
      k = 1 + (int) gmp_urandomm_ui (rs, 8);
      for (i = 0; i < k; i++)
        {
          mpfr_nextbelow (FADJ_NUM_LEFT (x));
          mpfr_nextabove (FADJ_NUM_RIGHT (x));
        }
      break;
    case 3:                     /* up to 2^20 ulps */
      mpfr_set_ui_2exp (w, gmp_urandomm_ui (rs, 1UL << 20) + 1,
                        mpfr_get_exp (v) - p, MPFR_RNDN);
      mpfr_add (FADJ_NUM_RIGHT (x), v, w, MPFR_RNDU);
      break;
    case 4:                     /* |v| 2^-s, s < p: up to v itself */
      mpfr_mul_2si (w, v, -(long) gmp_urandomm_ui (rs, (unsigned long) p),
                    MPFR_RNDN);
      mpfr_abs (w, w, MPFR_RNDN);
      mpfr_sub (FADJ_NUM_LEFT (x), v, w, MPFR_RNDD);
      mpfr_add (FADJ_NUM_RIGHT (x), v, w, MPFR_RNDU);
      break;
    case 10 + OP_ZERO_IN:
      mpfr_abs (v, v, MPFR_RNDN);
      mpfr_neg (FADJ_NUM_LEFT (x), v, MPFR_RNDN);
      mpfr_mul_2si (FADJ_NUM_RIGHT (x), v, -3, MPFR_RNDN);
      break;
    case 10 + OP_ZERO:
      mpfi_set_ui (FADJ_NUM_I (x), 0);
      break;
    default:
      break;
    }
  /* Keep [left, right] an interval: the widening of case 1 may cross a
     power of two, never the order.  */
  ck_assert (mpfr_lessequal_p (FADJ_NUM_LEFT (x), FADJ_NUM_RIGHT (x)));
  mpfr_clears (v, w, (mpfr_ptr) 0);
}

/* Is X narrower than 2^-120 relatively?  */
static int
narrow_p (fadj_num_srcptr x)
{
  mpfr_t wd;
  int r;

  mpfr_init2 (wd, 64);
  mpfi_diam_rel (wd, FADJ_NUM_I (x));
  r = mpfr_cmp_ui_2exp (wd, 1, -120) < 0;
  mpfr_clear (wd);
  return r;
}

/* Random rows: row operands of every precision in 53..400 bits and
   columns of every kind, at 1 to 60 digits (the kernel up to 34, past
   it everything entry by entry), against fadj_decimal_round_mul and
   the exact corners.  The kernel must decide almost every product of
   the first kind at 30 digits: the bounds it keeps lose about 2^-123
   relatively, far below a unit of the 30th digit.  */
START_TEST (test_outer_random)
{
  static const mpfr_prec_t precs[] = { 53, 64, 100, 128, 163, 200, 256,
                                       333, 400 };
  static const int digits[] = { 1, 2, 17, 19, 20, 29, 30, 33, 34, 35, 38,
                                39, 60 };
  enum { COLS = 48 };
  gmp_randstate_t rs;
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 53 };
  fadj_num_t a, b[COLS];
  fadj_num_srcptr bp[COLS];
  size_t decided = 0, undecided = 0, easy = 0, easy_decided = 0;
  int k, j;

  gmp_randinit_default (rs);
  gmp_randseed_ui (rs, test_seed ("test_outer_random"));
  fadj_num_init (a, &ctx);
  for (j = 0; j < COLS; j++)
    {
      fadj_num_init (b[j], &ctx);
      bp[j] = b[j];
    }
  for (k = 0; k < 400; k++)
    {
      int n = digits[k % (int) (sizeof digits / sizeof digits[0])];
      int akind = k % 10 == 9 ? OP_FAR : k % 10 == 8 ? OP_POINT
        : k % 10 == 7 ? OP_ZERO_IN : OP_RANDOM, easy_row;
      char what[64];
      size_t got;

      random_operand (a, rs, precs[gmp_urandomm_ui (rs, 9)], akind, NULL);
      for (j = 0; j < COLS; j++)
        {
          /* Half of the columns of the first kind, at 163 bits, a few
             ulps wide (as the audit's are); the others of any kind.  */
          int kind = j < COLS / 2 ? OP_RANDOM
            : (int) gmp_urandomm_ui (rs, OP_KINDS);
          random_operand (b[j], rs, j < COLS / 2 ? 163
                          : precs[gmp_urandomm_ui (rs, 9)], kind, a);
        }
      snprintf (what, sizeof what, "row %d", k);
      /* The rows whose operand is narrow (2^-120 relatively, below 2^-20
         of a unit of the 30th digit) and regular, at 30 digits: the
         kernel decides all their narrow columns but a rare few (the
         products of two points excepted, which it leaves).  */
      easy_row = n == 30 && akind == OP_RANDOM
        && !mpfi_has_zero (FADJ_NUM_I (a))
        && mpfi_get_prec (FADJ_NUM_I (a)) >= 100
        && narrow_p (a);
      /* The narrow columns one by one, then the others.  */
      got = 0;
      for (j = 0; j < COLS / 2; j++)
        {
          size_t g = check_row (a, bp + j, 1, n, &undecided, what);
          if (easy_row && narrow_p (b[j]) && !mpfi_has_zero (FADJ_NUM_I (b[j]))
              && !(mpfr_equal_p (FADJ_NUM_LEFT (a), FADJ_NUM_RIGHT (a))
                   && mpfr_equal_p (FADJ_NUM_LEFT (b[j]),
                                    FADJ_NUM_RIGHT (b[j]))))
            {
              easy++;
              easy_decided += g;
            }
          got += g;
        }
      got += check_row (a, bp + COLS / 2, COLS - COLS / 2, n, &undecided,
                        what);
      decided += got;
      if (n > 34)
        ck_assert_uint_eq (got, 0);     /* past the kernel's range */
    }
  printf ("test_outer_random: %zu decided by the kernel, %zu undecided; "
          "narrow at 30 digits: %zu of %zu\n", decided, undecided,
          easy_decided, easy);
  ck_assert_uint_gt (decided, 3000);
  ck_assert_uint_gt (undecided, 300);
  ck_assert_uint_ge (easy_decided, easy - easy / 100);
  for (j = 0; j < COLS; j++)
    fadj_num_clear (b[j]);
  fadj_num_clear (a);
  gmp_randclear (rs);
}
END_TEST

/* Ties and the directions of the kernel's bounds.  A product T = a b0
   of a = odd / 2^s and b0 = odd / 2^t is a decimal ending in 5 (an odd
   multiple of 5^(s+t) over 10^(s+t)): rounded to one digit less than
   it has, N, it is a tie, which goes to the even neighbour.  With a the
   point and b an interval around b0 at 400 bits (its ulp far below
   what the kernel's bounds resolve), where T lies between the
   neighbours L < T < U:
     [b0, b0+]    decided U when the digit before the 5 is odd (T goes
                  up to U too), undecided when even;
     [b0-, b0]    the mirror image: decided L when even;
     [b0-, b0+]   undecided;
     [b0+, b0++]  decided U; [b0--, b0-]  decided L;
     b0 (1 + [2^-116, 2^-116 + 2^-124]) U, and its mirror image L:
                  far enough from T for the kernel to decide them (its
                  bounds lose about 2^-123, and overestimate the width
                  up to 20 times), near enough for no other decimal up
                  to 34 digits;
     b0           the tie itself, exactly: the even neighbour (two
                  points go entry by entry: their product may be exact);
   and the same with the roles of the row and the column exchanged.  A
   kernel that took a tie for decided, or rounded a bound the wrong way
   (the lower one up or the upper one down moves it across T), would
   decide some undecided entry, or decide the wrong neighbour, and
   differ from fadj_decimal_round_mul -- itself checked against the
   exact rounding above, and here against the exact corners.  */

#define TIE_COLS 8

static void
set_around (fadj_num_ptr x, mpfr_srcptr b0, int j)
{
  mpfi_set_fr (FADJ_NUM_I (x), b0);
  switch (j)
    {
    case 0:
      mpfr_nextabove (FADJ_NUM_RIGHT (x));
      break;
    case 1:
      mpfr_nextbelow (FADJ_NUM_LEFT (x));
      break;
    case 2:
      mpfr_nextbelow (FADJ_NUM_LEFT (x));
      mpfr_nextabove (FADJ_NUM_RIGHT (x));
      break;
    case 3:
      mpfr_nextabove (FADJ_NUM_LEFT (x));
      mpfr_nextabove (FADJ_NUM_RIGHT (x));
      mpfr_nextabove (FADJ_NUM_RIGHT (x));
      break;
    case 4:
      mpfr_nextbelow (FADJ_NUM_LEFT (x));
      mpfr_nextbelow (FADJ_NUM_LEFT (x));
      mpfr_nextbelow (FADJ_NUM_RIGHT (x));
      break;
    case 7:                     /* the point: the exact tie */
      break;
    default:
      {
        /* b0 (1 + [2^-116, 2^-116 + 2^-124]) or its mirror image: exact
           at 400 bits.  */
        mpfr_t d, w;
        mpfr_inits2 (400, d, w, (mpfr_ptr) 0);
        mpfr_mul_2si (d, b0, -116, MPFR_RNDN);
        mpfr_mul_2si (w, b0, -124, MPFR_RNDN);
        if (j == 6)
          {
            mpfr_neg (d, d, MPFR_RNDN);
            mpfr_neg (w, w, MPFR_RNDN);
          }
        mpfr_add (FADJ_NUM_LEFT (x), b0, d, MPFR_RNDN);
        mpfr_add (d, d, w, MPFR_RNDN);
        mpfr_add (FADJ_NUM_RIGHT (x), b0, d, MPFR_RNDN);
        if (mpfr_greater_p (FADJ_NUM_LEFT (x), FADJ_NUM_RIGHT (x)))
          mpfr_swap (FADJ_NUM_LEFT (x), FADJ_NUM_RIGHT (x));
        mpfr_clears (d, w, (mpfr_ptr) 0);
      }
    }
}

START_TEST (test_outer_ties)
{
  gmp_randstate_t rs;
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 400 };
  fadj_num_t a, b[TIE_COLS];
  fadj_num_srcptr bp[TIE_COLS];
  fadj_decimal e;
  mpfr_t v0, b0;
  mpq_t q;
  size_t undecided = 0, decided = 0, ties = 0, inrange = 0;
  int k, j;

  gmp_randinit_default (rs);
  gmp_randseed_ui (rs, test_seed ("test_outer_ties"));
  mpq_init (q);
  mpfr_inits2 (400, v0, b0, (mpfr_ptr) 0);
  fadj_num_init (a, &ctx);
  for (j = 0; j < TIE_COLS; j++)
    {
      fadj_num_init (b[j], &ctx);
      bp[j] = b[j];
    }
  for (k = 0; k < 2000; k++)
    {
      size_t len;
      int n;

      /* Odd numerators of up to 30 bits: ties at up to about 34
         digits.  */
      mpfr_set_ui (v0, 2 * gmp_urandomm_ui (rs, 1UL << (k % 29)) + 1,
                   MPFR_RNDN);
      mpfr_div_2ui (v0, v0, 1 + gmp_urandomm_ui (rs, 14), MPFR_RNDN);
      mpfr_set_ui (b0, 2 * gmp_urandomm_ui (rs, 1UL << (k % 30)) + 1,
                   MPFR_RNDN);
      mpfr_div_2ui (b0, b0, 1 + gmp_urandomm_ui (rs, 14), MPFR_RNDN);
      if (k & 2)
        mpfr_neg (v0, v0, MPFR_RNDN);
      if (k & 4)
        mpfr_neg (b0, b0, MPFR_RNDN);
      mpfr_get_q (q, v0);
      {
        mpq_t qb;
        mpq_init (qb);
        mpfr_get_q (qb, b0);
        mpq_mul (q, q, qb);
        mpq_clear (qb);
      }
      fadj_decimal_round_q (&e, q, FADJ_MAX_DIGITS);
      ck_assert (e.exact);
      len = strlen (e.digits);
      while (e.digits[len - 1] == '0')
        len--;
      ck_assert (e.digits[len - 1] == '5');
      n = (int) len - 1;
      if (n < 1)
        continue;
      ties++;
      inrange += n <= 34;
      /* The point a and the columns around b0 ...  */
      mpfi_set_fr (FADJ_NUM_I (a), v0);
      for (j = 0; j < TIE_COLS; j++)
        set_around (b[j], b0, j);
      decided += check_row (a, bp, TIE_COLS, n, &undecided, "tie");
      /* ... and the rows around b0 with the point as the column.  */
      mpfi_set_fr (FADJ_NUM_I (b[0]), v0);
      for (j = 0; j < TIE_COLS; j++)
        {
          set_around (a, b0, j);
          decided += check_row (a, bp, 1, n, &undecided, "tie, swapped");
        }
    }
  printf ("test_outer_ties: %zu ties (%zu at <= 34 digits), %zu decided "
          "by the kernel, %zu undecided\n", ties, inrange, decided,
          undecided);
  ck_assert_uint_gt (ties, 1500);
  ck_assert_uint_gt (inrange, 1000);
  /* Each tie has at least two undecided entries ([b0-, b0+] both ways),
     and the kernel decides the four far ones within its range.  */
  ck_assert_uint_ge (undecided, 2 * ties);
  ck_assert_uint_ge (decided, 4 * inrange);
  for (j = 0; j < TIE_COLS; j++)
    fadj_num_clear (b[j]);
  fadj_num_clear (a);
  mpfr_clears (v0, b0, (mpfr_ptr) 0);
  mpq_clear (q);
  gmp_randclear (rs);
}
END_TEST

/* Rounding boundaries in general: a midpoint B = (m + 1/2) 10^s between
   two N-digit decimals (N <= 34, where the kernel works), a random
   narrow a (163 bits), and b the tightest enclosure of B / a at 400
   bits, so that the product's enclosure contains B (or ends on it).  No
   correct bound can decide such a product: the kernel must leave every
   one of them to fadj_decimal_round_mul, whichever operand is the row.
   Its bounds rounded the wrong way (the lower one up, the upper one
   down: about 2^-124 relatively, far more than B's distance to the
   corners) would often put B outside and decide.  */
START_TEST (test_outer_boundaries)
{
  gmp_randstate_t rs;
  fadj_ctx ctx = { .domain = FADJ_INTERVAL, .prec = 163 };
  fadj_num_t a, b;
  fadj_num_srcptr bp[1];
  mpz_t m, p10;
  mpq_t q, qa;
  size_t undecided = 0, decided = 0;
  int k;

  gmp_randinit_default (rs);
  gmp_randseed_ui (rs, test_seed ("test_outer_boundaries"));
  mpz_inits (m, p10, NULL);
  mpq_inits (q, qa, NULL);
  fadj_num_init (a, &ctx);
  fadj_num_init (b, &ctx);
  mpfi_set_prec (FADJ_NUM_I (b), 400);
  for (k = 0; k < 3000; k++)
    {
      int n = 1 + k % 34, neg = k & 1, i;
      long e = (long) gmp_urandomm_ui (rs, 60) - 40;
      mpfr_t v;

      /* B = (2m + 1) 10^e / 2, m an N-digit integer.  */
      mpz_ui_pow_ui (p10, 10, (unsigned long) n - 1);
      mpz_mul_ui (m, p10, 9);
      mpz_urandomm (m, rs, m);
      mpz_add (m, m, p10);
      mpz_mul_2exp (m, m, 1);
      mpz_add_ui (m, m, 1);
      mpz_ui_pow_ui (p10, 10, (unsigned long) (e < 0 ? -e : e));
      mpq_set_z (q, m);
      if (e >= 0)
        mpz_mul (mpq_numref (q), mpq_numref (q), p10);
      else
        mpz_set (mpq_denref (q), p10);
      mpz_mul_2exp (mpq_denref (q), mpq_denref (q), 1);
      mpq_canonicalize (q);
      /* a > 0: a point or up to 3 ulps wide.  */
      mpfr_init2 (v, 163);
      do
        mpfr_urandomb (v, rs);
      while (mpfr_zero_p (v));
      mpfr_mul_2si (v, v, (long) gmp_urandomm_ui (rs, 40) - 30, MPFR_RNDN);
      mpfi_set_fr (FADJ_NUM_I (a), v);
      for (i = (int) gmp_urandomm_ui (rs, 4); i > 0; i--)
        mpfr_nextabove (FADJ_NUM_RIGHT (a));
      mpfr_clear (v);
      /* b = [B / a_lo] at 400 bits: a_lo b_lo <= B <= a_lo b_hi.  */
      mpfr_get_q (qa, FADJ_NUM_LEFT (a));
      mpq_div (qa, q, qa);
      mpfr_set_q (FADJ_NUM_LEFT (b), qa, MPFR_RNDD);
      mpfr_set_q (FADJ_NUM_RIGHT (b), qa, MPFR_RNDU);
      if (mpfr_equal_p (FADJ_NUM_LEFT (b), FADJ_NUM_RIGHT (b)))
        mpfr_nextabove (FADJ_NUM_RIGHT (b));
      if (neg)
        mpfi_neg (FADJ_NUM_I (b), FADJ_NUM_I (b));
      if (k & 2)
        mpfi_neg (FADJ_NUM_I (a), FADJ_NUM_I (a));
      bp[0] = b;
      decided += check_row (a, bp, 1, n, &undecided, "boundary");
      bp[0] = a;
      decided += check_row (b, bp, 1, n, &undecided, "boundary, swapped");
    }
  printf ("test_outer_boundaries: %zu decided by the kernel, %zu "
          "undecided\n", decided, undecided);
  ck_assert_uint_eq (decided, 0);
  ck_assert_uint_gt (undecided, 5000);
  fadj_num_clear (a);
  fadj_num_clear (b);
  mpz_clears (m, p10, NULL);
  mpq_clears (q, qa, NULL);
  gmp_randclear (rs);
}
END_TEST

int
main (void)
{
  const test_entry tests[] = {
    TEST_CASE ("round_q"),
    TEST_EACH (test_round_q, q_rows),
    TEST_ONCE (test_round_q_max_digits),
    TEST_ONCE (test_round_q_huge_exponents),
    TEST_CASE ("round_interval"),
    TEST_EACH (test_round_interval, i_rows),
    TEST_ONCE (test_round_interval_values),
    TEST_EACH (test_round_places, places_rows),
    TEST_ONCE (test_round_places_interval),
    TEST_ONCE (test_round_fast_matches_exact),
    TEST_CASE ("round_mul"),
    TEST_ONCE (test_round_mul_cases),
    TEST_ONCE (test_round_mul_points),
    TEST_ONCE (test_round_mul_intervals),
    TEST_CASE ("outer"),
    TEST_EACH (test_outer_cases, outer_rows),
    TEST_ONCE (test_outer_random),
    TEST_ONCE (test_outer_ties),
    TEST_ONCE (test_outer_boundaries),
  };

  return test_main ("decimal", tests, sizeof tests / sizeof tests[0]);
}
