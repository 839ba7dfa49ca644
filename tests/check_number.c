/* check_number.c -- unit tests of number.c: every literal form of a
   network file read exactly, and the invalid ones refused at the right
   byte; and of the number core's (num.c) operations that fadj-audit's
   error measures use: abs, scaling by 2^e, the maximum of enclosures and
   the comparison with a rational.  Expected values are worked out by
   hand, as reduced p/q.  */

#include "config.h"
#include "test-common.h"
#include "fadj-impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Valid literals.                                                     */

static const struct
{
  const char *text;
  const char *value;    /* reduced, as mpq_get_str prints it */
} valid[] = {
  /* integers */
  { "0", "0" },
  { "42", "42" },
  { "-7", "-7" },
  { "+7", "7" },
  { "007", "7" },
  { "-0", "0" },
  { "123456789012345678901234567890", "123456789012345678901234567890" },
  /* decimals: m / 10^k, reduced */
  { "0.15", "3/20" },
  { ".5", "1/2" },
  { "5.", "5" },
  { "-.25", "-1/4" },
  { "0.333", "333/1000" },
  { "0.000", "0" },
  { "1.5e-3", "3/2000" },       /* 15 / 10^4 */
  { "2E+4", "20000" },
  { "2e4", "20000" },
  { "1e0", "1" },
  { "1e-0", "1" },
  { "0.1e1", "1" },
  { "12.5e-1", "5/4" },         /* 125 / 100 */
  { "2.5e-10", "1/4000000000" },/* 25 / 10^11 */
  { "-1e-2", "-1/100" },
  { "1e000000000003", "1000" }, /* leading zeros do not count */
  /* fractions */
  { "3/20", "3/20" },
  { "-3/20", "-3/20" },
  { "+10/4", "5/2" },
  { "6/8", "3/4" },
  { "0/5", "0" },
  { "007/014", "1/2" },
  /* hexadecimal, as C99 and strtod */
  { "0x1.8p-3", "3/16" },       /* 0x18 * 2^-7 = 24/128 */
  { "0X1P4", "16" },
  { "-0x.8p1", "-1" },          /* 8/16 * 2 */
  { "0x10", "16" },
  { "0xff", "255" },
  { "0xFF", "255" },
  { "0x1.8", "3/2" },           /* the binary exponent is optional */
  { "0x1.8e", "199/128" },      /* 'e' is a digit: 0x18e / 256 = 398/256 */
  { "0xAp-1", "5" },
  { "0x1p+2", "4" },
  { "0x.1", "1/16" },
  { "+0x0p-100000", "0" },
};

START_TEST (test_number_valid)
{
  const char *s = valid[_i].text;
  size_t errpos = 99;
  const char *msg = NULL;
  char *got;
  mpq_t q;
  int r;

  mpq_init (q);
  r = fadj_number_parse (q, s, strlen (s), &errpos, &msg);
  ck_assert_msg (r == 0, "'%s' refused at %zu: %s", s, errpos,
                 msg ? msg : "(null)");
  got = mpq_get_str (NULL, 10, q);
  ck_assert_msg (strcmp (got, valid[_i].value) == 0,
                 "'%s' read as %s, expected %s", s, got, valid[_i].value);
  /* canonical form: what the rest of the library assumes */
  {
    mpq_t c;
    mpq_init (c);
    mpq_set (c, q);
    mpq_canonicalize (c);
    ck_assert (mpq_equal (c, q));
    ck_assert (mpz_cmp (mpq_numref (c), mpq_numref (q)) == 0);
    mpq_clear (c);
  }
  {
    /* mpq_get_str allocates through GMP, which the leak fixture counts */
    void (*gmp_free) (void *, size_t);
    mp_get_memory_functions (NULL, NULL, &gmp_free);
    gmp_free (got, strlen (got) + 1);
  }
  mpq_clear (q);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Invalid literals: where and why.                                    */

static const char m_empty[] = "empty number";
static const char m_digit[] = "expected a digit";
static const char m_xdigit[] = "expected a hexadecimal digit";
static const char m_expdigit[] = "expected a digit in the exponent";
static const char m_trailing[] = "unexpected character in the number";
static const char m_numer[] = "the numerator of a fraction must be an integer";
static const char m_denom[] =
  "the denominator of a fraction must be a positive integer";
static const char m_zero[] = "division by zero in fraction";
static const char m_exp[] = "exponent out of range (the limit is 100000)";

static const struct
{
  const char *text;
  size_t len;           /* 0: strlen (text) (the empty case is first) */
  size_t errpos;
  const char *msg;
} invalid[] = {
  { "", 0, 0, m_empty },
  { "-", 0, 1, m_digit },
  { "+", 0, 1, m_digit },
  { ".", 0, 1, m_digit },
  { "-.", 0, 2, m_digit },
  { "--1", 0, 1, m_digit },
  { "inf", 0, 0, m_digit },
  { "nan", 0, 0, m_digit },
  { "1.2.3", 0, 3, m_trailing },
  { "12ab", 0, 2, m_trailing },
  { "1_000", 0, 1, m_trailing },
  { "1 ", 0, 1, m_trailing },
  { "1\0002", 3, 1, m_trailing },   /* a NUL inside the span */
  { "1p3", 0, 1, m_trailing },      /* 'p' only in hexadecimal */
  { "1e", 0, 2, m_expdigit },
  { "1e+", 0, 3, m_expdigit },
  { "1ex", 0, 2, m_expdigit },
  { "1.5e-", 0, 5, m_expdigit },
  { "0x", 0, 2, m_xdigit },
  { "-0x", 0, 3, m_xdigit },
  { "0x.p1", 0, 3, m_xdigit },
  { "0xg", 0, 2, m_xdigit },
  { "0x1p", 0, 4, m_expdigit },
  { "0x1e+1", 0, 4, m_trailing },   /* no 'e' exponent in hexadecimal */
  { "1/0", 0, 2, m_zero },
  { "-3/00", 0, 3, m_zero },
  { "1/", 0, 2, m_denom },
  { "1/-2", 0, 2, m_denom },
  { "1/+2", 0, 2, m_denom },
  { "1/2.5", 0, 3, m_denom },
  { "1/2e3", 0, 3, m_denom },
  { "1/0x2", 0, 3, m_denom },
  { "1/2/3", 0, 3, m_trailing },
  { "1.5/2", 0, 3, m_numer },
  { "5./2", 0, 2, m_numer },
  { "0x1/2", 0, 3, m_numer },
  { "1e100001", 0, 2, m_exp },
  { "1e-100001", 0, 3, m_exp },
  { "1e-999999999999999999999999", 0, 3, m_exp },
  { "0x1p100001", 0, 4, m_exp },
};

START_TEST (test_number_invalid)
{
  const char *s = invalid[_i].text;
  size_t len = invalid[_i].len ? invalid[_i].len : strlen (s);
  size_t errpos = 9999;
  const char *msg = NULL;
  mpq_t q;
  int r;

  mpq_init (q);
  r = fadj_number_parse (q, s, len, &errpos, &msg);
  ck_assert_msg (r == -1, "'%s' accepted", s);
  ck_assert_msg (errpos == invalid[_i].errpos, "'%s': error at %zu, "
                 "expected %zu", s, errpos, invalid[_i].errpos);
  ck_assert_ptr_nonnull (msg);
  ck_assert_str_eq (msg, invalid[_i].msg);
  mpq_clear (q);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The limits, at and just past them.                                  */

START_TEST (test_number_limits)
{
  enum { MAXLEN = 10000 };
  char *s = malloc (MAXLEN + 2);
  const char *msg;
  size_t errpos;
  mpq_t q, ref;

  ck_assert_ptr_nonnull (s);
  mpq_init (q);
  mpq_init (ref);

  /* 10^100000 and 10^-100000 are allowed, exactly.  */
  ck_assert_int_eq (fadj_number_parse (q, "1e100000", 8, &errpos, &msg), 0);
  mpz_ui_pow_ui (mpq_numref (ref), 10, 100000);
  ck_assert (mpq_equal (q, ref));
  ck_assert_int_eq (fadj_number_parse (q, "-1e-100000", 10, &errpos, &msg),
                    0);
  mpq_inv (ref, ref);
  mpq_neg (ref, ref);
  ck_assert (mpq_equal (q, ref));
  /* 2^-100000 in hexadecimal */
  ck_assert_int_eq (fadj_number_parse (q, "0x1p-100000", 11, &errpos, &msg),
                    0);
  mpq_set_ui (ref, 1, 1);
  mpq_div_2exp (ref, ref, 100000);
  ck_assert (mpq_equal (q, ref));

  /* 10000 characters: fine; 10001: too long, reported at the start.  */
  memset (s, '9', MAXLEN + 1);
  s[0] = '1';
  ck_assert_int_eq (fadj_number_parse (q, s, MAXLEN, &errpos, &msg), 0);
  ck_assert_uint_eq (mpz_sizeinbase (mpq_numref (q), 10), MAXLEN);
  ck_assert_int_eq (fadj_number_parse (q, s, MAXLEN + 1, &errpos, &msg), -1);
  ck_assert_uint_eq (errpos, 0);
  ck_assert_str_eq (msg, "number too long (the limit is 10000 characters)");

  /* 0.000...001 with 9998 fraction digits: 10^-9998.  */
  memset (s, '0', MAXLEN);
  s[1] = '.';
  s[MAXLEN - 1] = '1';
  ck_assert_int_eq (fadj_number_parse (q, s, MAXLEN, &errpos, &msg), 0);
  mpq_set_ui (ref, 1, 1);
  mpz_ui_pow_ui (mpq_denref (ref), 10, MAXLEN - 2);
  ck_assert (mpq_equal (q, ref));

  mpq_clear (ref);
  mpq_clear (q);
  free (s);
}
END_TEST

/* The span given is all that is read: no NUL terminator needed.  */
START_TEST (test_number_span)
{
  const char text[] = "3/20;garbage";
  const char *msg;
  size_t errpos;
  mpq_t q;

  mpq_init (q);
  ck_assert_int_eq (fadj_number_parse (q, text, 4, &errpos, &msg), 0);
  ck_assert_int_eq (mpq_cmp_si (q, 3, 20), 0);
  ck_assert_int_eq (fadj_number_parse (q, text, 2, &errpos, &msg), -1);
  ck_assert_uint_eq (errpos, 2);
  ck_assert_str_eq (msg, m_denom);
  mpq_clear (q);
}
END_TEST

/* fadj_number_plain: the plain decimals (digits and places by hand),
   and the literals it leaves to the general parser (V "-").  */
static const struct
{
  const char *s;
  const char *v;        /* the digits as a signed integer, or "-" */
  int places;
} plain[] = {
  { "0.125", "125", 3 }, { "-.5", "-5", 1 }, { "5.", "5", 0 },
  { "+007.10", "710", 2 }, { "-0", "0", 0 }, { "0.000", "0", 3 },
  /* 18 significant digits; leading zeros are not significant */
  { "123456789012345678", "123456789012345678", 0 },
  { "0000000000000000000001", "1", 0 },
  { "0.000000000000000001", "1", 18 },
  { "-9.99999999999999999", "-999999999999999999", 17 },
  /* beyond: 19 digits, 19 places */
  { "1234567890123456789", "-", 0 }, { "0.0000000000000000001", "-", 0 },
  /* other forms and invalid literals */
  { "1e5", "-", 0 }, { "1/2", "-", 0 }, { "0x10", "-", 0 },
  { "1.2.3", "-", 0 }, { ".", "-", 0 }, { "-", "-", 0 }, { "", "-", 0 },
  { "+-1", "-", 0 }, { "1 ", "-", 0 },
};

/* fadj_number_dyadic: M 2^E with M odd (by hand), or "-".  */
static const struct
{
  const char *s;
  const char *m;
  long e;
} dyadic[] = {
  { "0x1p-3", "1", -3 }, { "-0x1.8p-1", "-3", -2 }, { "0x10", "1", 4 },
  { "0X.8", "1", -1 }, { "+0xA.Cp2", "43", 0 }, { "0x0.0p+0", "0", 0 },
  { "-0x0", "0", 0 },
  /* float.hex() of 0.1f: 0x199999a0000000 2^-56 = 0xcccccd 2^-27 */
  { "0x1.99999a0000000p-4", "13421773", -27 },
  { "0x1fffffffffffffff", "2305843009213693951", 0 },
  /* 2^62 and beyond; 17 digits; not hexadecimal; invalid */
  { "0x4000000000000001", "-", 0 }, { "0x1.0000000000000000p0", "-", 0 },
  { "0.5", "-", 0 }, { "1/2", "-", 0 }, { "0x", "-", 0 }, { "0x.p1", "-", 0 },
  { "0x1p", "-", 0 }, { "0x1p+", "-", 0 }, { "0x1g", "-", 0 },
  { "0x1p999999", "-", 0 }, { "0x1.2.3", "-", 0 }, { "0x1/2", "-", 0 },
  /* leading zeros, before and after the point; 16 digits after them */
  { "0x000.0001p0", "1", -16 }, { "0x.0008", "1", -13 },
  { "-0x00.00p9", "0", 0 }, { "0x0000.3fffffffffffffff", "4611686018427387903", -64 },
  { "0x00003fffffffffffffff0", "-", 0 }, { "0x0..1", "-", 0 },
  { "0x00ff.f0p-4", "4095", -8 },
};

START_TEST (test_number_dyadic)
{
  int64_t m = 7;
  long e = 7;
  char buf[32];
  int ok = fadj_number_dyadic (&m, &e, dyadic[_i].s, strlen (dyadic[_i].s));

  if (strcmp (dyadic[_i].m, "-") == 0)
    ck_assert_msg (!ok, "'%s' taken as dyadic", dyadic[_i].s);
  else
    {
      mpq_t q, r;
      size_t errpos;
      const char *msg;

      ck_assert_msg (ok, "'%s' not taken as dyadic", dyadic[_i].s);
      snprintf (buf, sizeof buf, "%lld", (long long) m);
      ck_assert_str_eq (buf, dyadic[_i].m);
      ck_assert_int_eq (e, dyadic[_i].e);
      /* the value the general parser reads */
      mpq_inits (q, r, NULL);
      ck_assert_int_eq (fadj_number_parse (q, dyadic[_i].s,
                                           strlen (dyadic[_i].s), &errpos,
                                           &msg), 0);
      mpq_set_si (r, (long) m, 1);
      if (e >= 0)
        mpq_mul_2exp (r, r, (mp_bitcnt_t) e);
      else
        mpq_div_2exp (r, r, (mp_bitcnt_t) -e);
      ck_assert (mpq_equal (q, r));
      mpq_clears (q, r, NULL);
    }
}
END_TEST

START_TEST (test_number_plain)
{
  int64_t v = 7;
  int places = 7;
  char buf[32];
  int ok = fadj_number_plain (&v, &places, plain[_i].s,
                              strlen (plain[_i].s));

  if (strcmp (plain[_i].v, "-") == 0)
    ck_assert_msg (!ok, "'%s' taken as plain", plain[_i].s);
  else
    {
      ck_assert_msg (ok, "'%s' not taken as plain", plain[_i].s);
      snprintf (buf, sizeof buf, "%lld", (long long) v);
      ck_assert_str_eq (buf, plain[_i].v);
      ck_assert_int_eq (places, plain[_i].places);
    }
}
END_TEST

/* fadj_number_decimal: V 10^X (by hand), or "-".  */
static const struct
{
  const char *s;
  const char *v;
  long x;
} decimal[] = {
  { "5.389457044221937e-05", "5389457044221937", -20 },
  { "1e-320", "1", -320 }, { "-3E+2", "-3", 2 }, { "+.5e1", "5", 0 },
  { "2.", "2", 0 }, { "-0", "0", 0 }, { "0.0e-7", "0", 0 },
  { "0.000000000000000000000123", "123", -24 },
  { "123456789012345678e-400", "123456789012345678", -400 },
  { "1e100000", "1", 100000 },
  /* 19 digits; exponent beyond the limit; other forms; invalid */
  { "1234567890123456789", "-", 0 }, { "1e100001", "-", 0 },
  { "0x1p3", "-", 0 }, { "1/2", "-", 0 }, { "1e", "-", 0 },
  { "1e+", "-", 0 }, { "1.2.3", "-", 0 }, { ".", "-", 0 },
  { "e5", "-", 0 }, { "1e5e3", "-", 0 }, { "1 ", "-", 0 },
};

START_TEST (test_number_decimal)
{
  int64_t v = 7;
  long x = 7;
  char buf[32];
  const char *s = decimal[_i].s;
  int ok = fadj_number_decimal (&v, &x, s, strlen (s));

  if (strcmp (decimal[_i].v, "-") == 0)
    ck_assert_msg (!ok, "'%s' taken as a decimal", s);
  else
    {
      mpq_t q, r;
      size_t errpos;
      const char *msg;

      ck_assert_msg (ok, "'%s' not taken as a decimal", s);
      snprintf (buf, sizeof buf, "%lld", (long long) v);
      ck_assert_str_eq (buf, decimal[_i].v);
      ck_assert_int_eq (x, decimal[_i].x);
      /* the value the general parser reads, and its digits' count */
      mpq_inits (q, r, NULL);
      ck_assert_int_eq (fadj_number_parse (q, s, strlen (s), &errpos, &msg),
                        0);
      fadj_scaled_get_q (r, v, x, 10);
      ck_assert (mpq_equal (q, r));
      mpq_clears (q, r, NULL);
      ck_assert_uint_eq (fadj_number_digits_valid (s, strlen (s), 0),
                         fadj_number_digits (s, strlen (s)));
    }
}
END_TEST

/* fadj_number_digits_valid of valid hexadecimal floats and plain
   decimals: fadj_number_digits's count.  */
static const char *const valid_digits[] = {
  "0x1.5ebc5c13892bep-9", "-0x1p+100000", "0X1.8P3", "0x10", "0x1.8e",
  "+0x.8p-0", "0.125", "-7", "12345.678", "5.",
};

START_TEST (test_number_digits_valid)
{
  const char *s = valid_digits[_i];
  int hex = strchr (s, 'x') != NULL || strchr (s, 'X') != NULL;

  ck_assert_uint_eq (fadj_number_digits_valid (s, strlen (s), hex),
                     fadj_number_digits (s, strlen (s)));
}
END_TEST

/* ------------------------------------------------------------------ */
/* The number core: abs, mul_2si, max, gt_q.                           */

static const fadj_ctx exact_ctx = { .domain = FADJ_EXACT };
static const fadj_ctx interval_ctx = { .domain = FADJ_INTERVAL,
                                         .prec = 64 };

/* X = [LO, HI] (an interval).  */
static void
set_interval (fadj_num_ptr x, long lo, long hi)
{
  mpfi_interv_si (FADJ_NUM_I (x), lo, hi);
}

/* X is the interval [LO, HI] / 2^SCALE.  */
static void
assert_interval (fadj_num_srcptr x, long lo, long hi, long scale)
{
  mpfr_t e;

  mpfr_init2 (e, 64);
  ck_assert_int_eq (FADJ_NUM_DOMAIN (x), FADJ_INTERVAL);
  mpfr_set_si_2exp (e, lo, -scale, MPFR_RNDN);
  ck_assert_msg (mpfr_equal_p (FADJ_NUM_LEFT (x), e), "lower bound");
  mpfr_set_si_2exp (e, hi, -scale, MPFR_RNDN);
  ck_assert_msg (mpfr_equal_p (FADJ_NUM_RIGHT (x), e), "upper bound");
  mpfr_clear (e);
}

START_TEST (test_num_abs_mul_2si)
{
  fadj_num_t a, r;
  mpq_t q;

  mpq_init (q);
  fadj_num_init (a, &exact_ctx);
  fadj_num_init (r, &exact_ctx);
  mpq_set_si (q, -3, 4);
  fadj_num_set_q (a, q);
  fadj_num_abs (r, a);
  test_assert_q (r, "3/4");
  fadj_num_abs (a, a);
  test_assert_q (a, "3/4");
  fadj_num_mul_2si (r, a, -3);
  test_assert_q (r, "3/32");
  fadj_num_mul_2si (r, r, 5);
  test_assert_q (r, "3");
  fadj_num_mul_2si (r, a, 0);
  test_assert_q (r, "3/4");
  fadj_num_clear (a);
  fadj_num_clear (r);

  fadj_num_init (a, &interval_ctx);
  fadj_num_init (r, &interval_ctx);
  set_interval (a, -2, 1);
  fadj_num_abs (r, a);
  assert_interval (r, 0, 2, 0);
  set_interval (a, -5, -3);
  fadj_num_abs (a, a);
  assert_interval (a, 3, 5, 0);
  fadj_num_mul_2si (r, a, -2);
  assert_interval (r, 3, 5, 2);
  fadj_num_mul_2si (r, r, 3);
  assert_interval (r, 6, 10, 0);
  fadj_num_clear (a);
  fadj_num_clear (r);
  mpq_clear (q);
}
END_TEST

/* max (A, B) of intervals: the endpoints' maxima, and whether B's upper
   bound is above A's (ties: not).  */
static const struct
{
  long alo, ahi, blo, bhi, rlo, rhi;
  int above;
} maxima[] = {
  { 1, 4, 2, 3, 2, 4, 0 },
  { 1, 4, 0, 5, 1, 5, 1 },
  { 1, 4, 1, 4, 1, 4, 0 },
  { 2, 3, 1, 4, 2, 4, 1 },
  { -3, -1, -2, 6, -2, 6, 1 },
  { 0, 0, 0, 0, 0, 0, 0 },
};

START_TEST (test_num_max)
{
  fadj_num_t a, b, r;
  char e[24];
  int k;

  fadj_num_init (a, &interval_ctx);
  fadj_num_init (b, &interval_ctx);
  fadj_num_init (r, &interval_ctx);
  /* R apart from the operands, then R = A (a running maximum), then
     R = B.  */
  for (k = 0; k < 3; k++)
    {
      fadj_num_ptr out = k == 0 ? r : k == 1 ? a : b;
      set_interval (a, maxima[_i].alo, maxima[_i].ahi);
      set_interval (b, maxima[_i].blo, maxima[_i].bhi);
      ck_assert_int_eq (fadj_num_max (out, a, b), maxima[_i].above);
      assert_interval (out, maxima[_i].rlo, maxima[_i].rhi, 0);
    }
  fadj_num_clear (a);
  fadj_num_clear (b);
  fadj_num_clear (r);

  /* Rationals: the larger one; ABOVE when B > A.  */
  fadj_num_init (a, &exact_ctx);
  fadj_num_init (b, &exact_ctx);
  fadj_num_init (r, &exact_ctx);
  fadj_num_set_si (a, maxima[_i].ahi);
  fadj_num_set_si (b, maxima[_i].bhi);
  ck_assert_int_eq (fadj_num_max (r, a, b), maxima[_i].above);
  ck_assert_int_eq (fadj_num_max (a, a, b), maxima[_i].above);
  snprintf (e, sizeof e, "%ld", maxima[_i].rhi);
  test_assert_q (r, e);
  ck_assert_msg (fadj_num_compatible_p (a, r), "R = A");
  fadj_num_clear (a);
  fadj_num_clear (b);
  fadj_num_clear (r);
}
END_TEST

/* A running maximum keeps its own endpoint on a tie, zero's sign
   included: [-0, 1] stays [-0, 1] against [+0, 1].  */
START_TEST (test_num_max_tie)
{
  fadj_num_t a, b;

  fadj_num_init (a, &interval_ctx);
  fadj_num_init (b, &interval_ctx);
  set_interval (a, 0, 1);
  set_interval (b, 0, 1);
  mpfr_set_zero (FADJ_NUM_LEFT (a), -1);
  ck_assert_int_eq (fadj_num_max (a, a, b), 0);
  ck_assert_int_ne (mpfr_signbit (FADJ_NUM_LEFT (a)), 0);
  fadj_num_clear (a);
  fadj_num_clear (b);
}
END_TEST

/* A > Q for the interval [LO, HI] and Q = QN/QD: 1, 0, or -1 for
   undecided.  */
static const struct
{
  long lo, hi, qn, qd;
  int gt;
} above_q[] = {
  { 1, 2, 1, 2, 1 },
  { 1, 2, 2, 1, 0 },            /* the upper bound equal to Q: at most */
  { 1, 2, 5, 2, 0 },
  { 1, 2, 3, 2, -1 },
  { 1, 2, 1, 1, -1 },           /* the lower bound equal to Q: may be Q */
  { 3, 3, 3, 1, 0 },
  { -1, 0, -1, 3, -1 },
};

START_TEST (test_num_gt_q)
{
  fadj_num_t a;
  mpq_t q;
  int gt = 7;
  fadj_status st;

  mpq_init (q);
  mpq_set_si (q, above_q[_i].qn, (unsigned long) above_q[_i].qd);
  fadj_num_init (a, &interval_ctx);
  set_interval (a, above_q[_i].lo, above_q[_i].hi);
  st = fadj_num_gt_q (&gt, a, q);
  if (above_q[_i].gt < 0)
    {
      ck_assert_int_eq (st, FADJ_UNDECIDED);
      ck_assert_int_eq (gt, 7);
    }
  else
    {
      ck_assert_int_eq (st, FADJ_OK);
      ck_assert_int_eq (gt, above_q[_i].gt);
    }
  fadj_num_clear (a);

  /* The rational HI against Q: always decided.  */
  fadj_num_init (a, &exact_ctx);
  fadj_num_set_si (a, above_q[_i].hi);
  ck_assert_int_eq (fadj_num_gt_q (&gt, a, q), FADJ_OK);
  ck_assert_int_eq (gt, mpq_cmp_si (q, above_q[_i].hi, 1) < 0);
  fadj_num_clear (a);
  mpq_clear (q);
}
END_TEST

/* Mixed domains (num.c): exact operands give an exact result, an
   interval operand an enclosure at R's precision (or the widest
   operand's), a product with an exact 0 an exact 0; R takes the
   result's domain, also when it aliases an operand.  */
START_TEST (test_num_mixed)
{
  fadj_num_t q, i, r;
  mpq_t v;

  mpq_init (v);
  fadj_num_init (q, &exact_ctx);
  fadj_num_init (i, &interval_ctx);
  fadj_num_init (r, &interval_ctx);
  mpq_set_si (v, 3, 4);
  fadj_num_set_q (q, v);
  set_interval (i, 1, 2);

  /* exact + interval: [7/4, 11/4], an interval at R's 64 bits.  */
  fadj_num_add (r, q, i);
  assert_interval (r, 7, 11, 2);
  /* exact * exact into an interval R: R becomes exact.  */
  fadj_num_mul (r, q, q);
  test_assert_q (r, "9/16");
  /* exact - interval into an exact R (now exact): an enclosure at the
     operand's precision, 64 bits.  */
  fadj_num_sub (r, r, i);
  ck_assert_int_eq (FADJ_NUM_DOMAIN (r), FADJ_INTERVAL);
  ck_assert_int_eq (mpfi_get_prec (FADJ_NUM_I (r)), 64);
  assert_interval (r, 9 - 32, 9 - 16, 4);
  /* An exact 0 times an interval (even one containing 0): exact 0.  */
  mpq_set_ui (v, 0, 1);
  fadj_num_set_exact (q, v);
  set_interval (i, -1, 5);
  fadj_num_mul (r, i, q);
  test_assert_q (r, "0");
  /* addmul: R exact += exact * interval: an enclosure.  */
  mpq_set_si (v, 1, 2);
  fadj_num_set_exact (r, v);
  fadj_num_set_si (q, 2);
  fadj_num_addmul (r, q, i);
  assert_interval (r, -3, 21, 1);
  /* Division: by an exact 0, a domain error; an exact numerator over an
     interval, an enclosure.  */
  mpq_set_ui (v, 0, 1);
  fadj_num_set_exact (q, v);
  ck_assert_int_eq (fadj_num_div (r, i, q), FADJ_ERR_DOMAIN);
  fadj_num_set_si (q, 6);
  set_interval (i, 2, 3);
  ck_assert_int_eq (fadj_num_div (r, q, i), FADJ_OK);
  assert_interval (r, 2, 3, 0);
  /* SET copies the domain; CONVERT keeps an interval R's.  */
  fadj_num_set (r, q);
  test_assert_q (r, "6");
  fadj_num_set (r, i);
  assert_interval (r, 2, 3, 0);
  fadj_num_convert (r, q);
  assert_interval (r, 6, 6, 0);
  /* A transcendental map of an exact value: an enclosure at R's
     precision.  exp (0) encloses 1.  */
  mpq_set_ui (v, 0, 1);
  fadj_num_set_exact (q, v);
  fadj_num_exp (r, q);
  ck_assert_int_eq (FADJ_NUM_DOMAIN (r), FADJ_INTERVAL);
  ck_assert (mpfi_is_inside_ui (1, FADJ_NUM_I (r)) > 0);
  fadj_num_clear (q);
  fadj_num_clear (i);
  fadj_num_clear (r);
  mpq_clear (v);
}
END_TEST

/* fadj_num_set_q of a fraction into an interval: the tightest
   enclosure, each endpoint the quotient correctly rounded outwards
   (for a word-sized fraction computed with one division; a numerator
   wider than the precision takes mpfi_set_q).  Endpoints worked out
   with Python's fractions: floor and ceil of q 2^s over 2^s, s making
   q 2^s a PREC-bit integer.  */
static const struct
{
  long num;
  unsigned long den;
  mpfr_prec_t prec;
  const char *lo, *hi;
} word_fractions[] = {
  { -7, 10, 53, "-6305039478318695/9007199254740992",
    "-3152519739159347/4503599627370496" },
  { 1, 3, 53, "6004799503160661/18014398509481984",
    "3002399751580331/9007199254740992" },
  { 123456789, 1000, 64, "17374998404273685921/140737488355328",
    "8687499202136842961/70368744177664" },
  { -1, 1000, 163,
    "-2993155353253689176481146537402947624255349848015/"
    "2993155353253689176481146537402947624255349848014848",
    "-5986310706507378352962293074805895248510699696029/"
    "5986310706507378352962293074805895248510699696029696" },
  { -999, 1000, 20, "-130941/131072", "-1047527/1048576" },
  /* Not reduced: 3/6 = 1/2 is held exactly, a point.  */
  { 3, 6, 53, "1/2", "1/2" },
  /* 27 bits of numerator at 20 bits: mpfi_set_q's way.  */
  { 123456789, 1000, 20, "493827/4", "987655/8" },
};

START_TEST (test_num_set_q_word)
{
  const fadj_ctx ctx = { FADJ_INTERVAL, word_fractions[_i].prec };
  fadj_num_t r;
  mpq_t q, e;

  mpq_init (q);
  mpq_init (e);
  /* Set by hand, not canonicalised: 3/6 stays 3/6.  */
  mpz_set_si (mpq_numref (q), word_fractions[_i].num);
  mpz_set_ui (mpq_denref (q), word_fractions[_i].den);
  fadj_num_init (r, &ctx);
  fadj_num_set_q (r, q);
  ck_assert_int_eq (mpq_set_str (e, word_fractions[_i].lo, 10), 0);
  ck_assert (mpfr_cmp_q (FADJ_NUM_LEFT (r), e) == 0);
  ck_assert_int_eq (mpq_set_str (e, word_fractions[_i].hi, 10), 0);
  ck_assert (mpfr_cmp_q (FADJ_NUM_RIGHT (r), e) == 0);
  fadj_num_clear (r);
  mpq_clear (q);
  mpq_clear (e);
}
END_TEST

/* The arena's intervals (num-arena.c): many more than one chunk holds,
   and one larger than a chunk, each keeps its own value once all are
   made (no two share bytes); each starts as fadj_num_init's 0; MPFI
   writes them in place, and a mixed addition (an exact operand, num.c's
   mixed path) copies into one rather than swapping its endpoints away
   (a swap would hand the arena's bytes to mpfi_clear: valgrind, or
   glibc's free, reports it).  Values by hand: k + 1/2 - 1/4 = k + 1/4,
   exact at 64 bits.  */
START_TEST (test_num_arena)
{
  enum { N = 3000 };
  fadj_num_arena a;
  fadj_num_struct *x = malloc (N * sizeof *x);
  fadj_num_t big, z, quarter;
  mpq_t q;
  int k;

  ck_assert_ptr_nonnull (x);
  mpq_init (q);
  fadj_num_init (z, &interval_ctx);
  fadj_num_init (quarter, &exact_ctx);
  mpq_set_si (q, -1, 4);
  fadj_num_set_exact (quarter, q);
  fadj_num_arena_init (&a);
  for (k = 0; k < N; k++)
    {
      ck_assert (fadj_num_arena_interval (&a, x + k, 64));
      ck_assert (mpfr_equal_p (FADJ_NUM_LEFT (x + k), FADJ_NUM_LEFT (z)));
      ck_assert (mpfr_signbit (FADJ_NUM_LEFT (x + k))
                 == mpfr_signbit (FADJ_NUM_LEFT (z)));
      ck_assert (mpfr_signbit (FADJ_NUM_RIGHT (x + k))
                 == mpfr_signbit (FADJ_NUM_RIGHT (z)));
      mpfi_set_si (FADJ_NUM_I (x + k), k);
      mpfi_add_d (FADJ_NUM_I (x + k), FADJ_NUM_I (x + k), 0.5);
    }
  /* 2^20 bits: each endpoint alone is larger than a chunk.  */
  ck_assert (fadj_num_arena_interval (&a, big, 1L << 20));
  mpfi_set_si (FADJ_NUM_I (big), -7);
  mpfi_div_ui (FADJ_NUM_I (big), FADJ_NUM_I (big), 3);
  for (k = 0; k < N; k++)
    {
      fadj_num_add (x + k, x + k, quarter);
      ck_assert_int_eq (FADJ_NUM_DOMAIN (x + k), FADJ_INTERVAL);
      mpq_set_si (q, 4 * k + 1, 4);
      ck_assert (mpfr_cmp_q (FADJ_NUM_LEFT (x + k), q) == 0);
      ck_assert (mpfr_cmp_q (FADJ_NUM_RIGHT (x + k), q) == 0);
    }
  mpq_set_si (q, -7, 3);
  ck_assert (mpfi_is_inside_q (q, FADJ_NUM_I (big)) > 0);
  ck_assert (mpfi_get_prec (FADJ_NUM_I (big)) == 1L << 20);
  fadj_num_arena_clear (&a);
  fadj_num_arena_clear (&a);    /* an empty arena: nothing to free */
  fadj_num_clear (z);
  fadj_num_clear (quarter);
  mpq_clear (q);
  free (x);
}
END_TEST

int
main (void)
{
  const test_entry tests[] = {
    TEST_CASE ("valid"),
    TEST_EACH (test_number_valid, valid),
    TEST_CASE ("invalid"),
    TEST_EACH (test_number_invalid, invalid),
    TEST_CASE ("limits"),
    TEST_ONCE (test_number_limits),
    TEST_ONCE (test_number_span),
    TEST_EACH (test_number_plain, plain),
    TEST_EACH (test_number_dyadic, dyadic),
    TEST_EACH (test_number_decimal, decimal),
    TEST_EACH (test_number_digits_valid, valid_digits),
    TEST_CASE ("num"),
    TEST_ONCE (test_num_abs_mul_2si),
    TEST_EACH (test_num_max, maxima),
    TEST_ONCE (test_num_max_tie),
    TEST_EACH (test_num_gt_q, above_q),
    TEST_ONCE (test_num_mixed),
    TEST_EACH (test_num_set_q_word, word_fractions),
    TEST_ONCE (test_num_arena),
  };

  return test_main ("number", tests, sizeof tests / sizeof tests[0]);
}
