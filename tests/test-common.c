/* test-common.c -- leak-counting fixture, runner and shared helpers for
   the unit tests (test-common.h).  GMP, MPFR and MPFI allocate through
   mp_set_memory_functions, so a counter there sees every number that a
   test forgets to clear.  */

#include "test-common.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <mpfr.h>

static long live_blocks;
static long live_before;

static void *
count_alloc (size_t n)
{
  void *p = malloc (n);
  if (p == NULL)
    abort ();
  live_blocks++;
  return p;
}

static void *
count_realloc (void *p, size_t old, size_t n)
{
  void *q;
  (void) old;
  q = realloc (p, n);
  if (q == NULL)
    abort ();
  return q;
}

static void
count_free (void *p, size_t n)
{
  (void) n;
  if (p != NULL)
    live_blocks--;
  free (p);
}

void
test_memory_install (void)
{
  static int installed;
  if (!installed)
    {
      mp_set_memory_functions (count_alloc, count_realloc, count_free);
      installed = 1;
    }
}

long
test_memory_live (void)
{
  return live_blocks;
}

void
test_leak_setup (void)
{
  test_memory_install ();
  mpfr_free_cache ();
  fadj_decimal_free_cache ();
  live_before = live_blocks;
}

void
test_leak_teardown (void)
{
  mpfr_free_cache ();
  fadj_decimal_free_cache ();
  ck_assert_msg (live_blocks == live_before,
                 "GMP/MPFR blocks leaked: %ld", live_blocks - live_before);
}

TCase *
test_tcase (const char *name)
{
  TCase *tc = tcase_create (name);
  tcase_add_checked_fixture (tc, test_leak_setup, test_leak_teardown);
  tcase_set_timeout (tc, 60);
  return tc;
}

int
test_run (Suite *s)
{
  SRunner *sr = srunner_create (s);
  int failed;

  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

int
test_main (const char *name, const test_entry *entries, size_t n)
{
  Suite *s = suite_create (name);
  TCase *tc = NULL;
  size_t k;

  test_memory_install ();
  for (k = 0; k < n; k++)
    if (entries[k].test == NULL)
      {
        tc = test_tcase (entries[k].tcase);
        if (entries[k].n > 0)
          tcase_set_timeout (tc, entries[k].n);
        suite_add_tcase (s, tc);
      }
    else
      {
        assert (tc != NULL);        /* a TEST_CASE comes first */
        tcase_add_loop_test (tc, entries[k].test, 0, entries[k].n);
      }
  return test_run (s);
}

fadj_net *
test_parse (const char *text)
{
  fadj_net *net = NULL;
  fadj_error err;
  fadj_status st = fadj_net_parse (&net, &err, text, strlen (text));
  ck_assert_msg (st == FADJ_OK, "parse: %ld:%ld: %s", err.line, err.col,
                 err.msg);
  return net;
}

fadj_trace *
test_trace_decided (const fadj_net *net, mpfr_prec_t prec,
                    test_trace_use use, void *arg)
{
  fadj_ctx ctx = { .domain = fadj_net_domain (net), .prec = prec };
  fadj_trace *t;
  fadj_status st;

  for (;; ctx.prec *= 2)
    {
      ck_assert_int_le (ctx.prec, 4096);
      st = fadj_trace_compute (&t, net, &ctx);
      if (st == FADJ_UNDECIDED)
        continue;
      ck_assert_int_eq (st, FADJ_OK);
      st = use (t, arg);
      if (st == FADJ_OK)
        return t;
      ck_assert_int_eq (st, FADJ_UNDECIDED);
      fadj_trace_free (t);
    }
}

void
test_assert_q (fadj_num_srcptr x, const char *expected)
{
  mpq_t e;
  mpq_init (e);
  ck_assert_int_eq (mpq_set_str (e, expected, 10), 0);
  mpq_canonicalize (e);
  ck_assert_int_eq (FADJ_NUM_DOMAIN (x), FADJ_EXACT);
  ck_assert_msg (mpq_equal (FADJ_NUM_Q (x), e), "expected %s", expected);
  mpq_clear (e);
}

void
test_row_round (fadj_decimal *d, fadj_status *st, size_t cols, size_t cut,
                test_row_rounder round, void *arg)
{
  size_t j, j0 = 0, col;

  while (j0 < cols)
    {
      size_t j1 = j0 < cut ? cut : cols;
      fadj_status s = round (d + j0, &col, arg, j0, j1);
      if (s == FADJ_OK)
        col = j1;
      else
        {
          ck_assert_int_eq (s, FADJ_UNDECIDED);
          ck_assert (col >= j0 && col < j1);
          st[col] = s;
        }
      for (j = j0; j < col; j++)
        st[j] = FADJ_OK;
      j0 = s == FADJ_OK ? j1 : col + 1;
    }
}

int
test_decimal_equal (const fadj_decimal *a, const fadj_decimal *b)
{
  return a->sign == b->sign && a->exp10 == b->exp10
    && strcmp (a->digits, b->digits) == 0;
}
