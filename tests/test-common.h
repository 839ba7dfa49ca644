/* test-common.h -- shared fixture for the Check unit tests: a GMP memory
   hook that counts live blocks, so each test can assert it freed all it
   allocated, and a runner that honours CK_FORK and prints the summary.  */

#ifndef FADJ_TEST_COMMON_H
#define FADJ_TEST_COMMON_H

#include <check.h>
#include "fadj.h"

/* Install the counting GMP allocator (once per process).  */
void test_memory_install (void);
/* Live GMP/MPFR blocks now.  */
long test_memory_live (void);

/* Checked fixtures: record the live count before, and after the test
   free MPFR's caches and assert nothing is left.  */
void test_leak_setup (void);
void test_leak_teardown (void);

/* Add a test case with the leak fixture.  */
TCase *test_tcase (const char *name);

/* The network of TEXT, which must parse (the test fails with the
   located message otherwise); the caller frees it.  */
fadj_net *test_parse (const char *text);

/* X is exact and equals the rational EXPECTED ("p/q" or "p").  */
void test_assert_q (fadj_num_srcptr x, const char *expected);

/* Run suite S; returns the exit status for main.  */
int test_run (Suite *s);

/* A row rounder under test (fadj_decimal_outer_round,
   fadj_trace_gradient_row_round): entries J0 .. J1-1 of a row into
   D[0 ..]; FADJ_OK, or FADJ_UNDECIDED with *COL the undecided entry and
   the entries before it rounded.  ARG is the rounder's state.  */
typedef fadj_status (*test_row_rounder) (fadj_decimal *d, size_t *col,
                                         void *arg, size_t j0, size_t j1);

/* Round a row of COLS entries with ROUND in two ranges of columns,
   [0, CUT) and [CUT, COLS), going on after each undecided entry, and
   assert the rounder's contract at each call: ST[j] is then entry j's
   status, D[j] its decimal where that is FADJ_OK.  */
void test_row_round (fadj_decimal *d, fadj_status *st, size_t cols,
                     size_t cut, test_row_rounder round, void *arg);

/* Whether A and B are the same decimal: sign, digits and exponent
   (their exactness is not compared).  */
int test_decimal_equal (const fadj_decimal *a, const fadj_decimal *b);

#endif
