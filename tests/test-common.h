/* test-common.h -- shared fixture for the Check unit tests: a GMP memory
   hook that counts live blocks, so each test can assert it freed all it
   allocated; a runner that honours CK_FORK and prints the summary, and
   the main of every Check program, over a table of its tests; and the
   helpers that several programs need (parsing, exact values, the driver
   of row rounding).  */

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

/* What a test does with a trace once it is computed: FADJ_OK, or
   FADJ_UNDECIDED (having undone what it did) when a printed value needs
   more precision.  */
typedef fadj_status (*test_trace_use) (const fadj_trace *t, void *arg);

/* The trace of NET at the lowest precision (from PREC bits, doubling, at
   most 4096) at which the trace and USE (T, ARG) are both decided, as
   the programs' Ziv loop does; the caller frees it.  */
fadj_trace *test_trace_decided (const fadj_net *net, mpfr_prec_t prec,
                                test_trace_use use, void *arg);

/* X is exact and equals the rational EXPECTED ("p/q" or "p").  */
void test_assert_q (fadj_num_srcptr x, const char *expected);

/* Run suite S; returns the exit status for main.  */
int test_run (Suite *s);

/* A Check program's tests as a table, which test_main makes into its
   suite: a TEST_CASE entry opens a test case (with the leak fixture and
   a timeout of 60 s, or SECONDS), and the TEST_ONCE, TEST_EACH and
   TEST_LOOP entries after it are its tests, in their order.  */
typedef struct
{
  const char *tcase;    /* a test case's name; NULL for a test */
  const TTest *test;    /* START_TEST's name; NULL for a test case */
  int n;                /* a test: it runs with _i = 0 .. N-1; a test
                           case: its timeout in seconds, 0 for 60 */
} test_entry;

#define TEST_CASE(name) { (name), NULL, 0 }
#define TEST_CASE_TIMEOUT(name, seconds) { (name), NULL, (seconds) }
/* TEST once (as tcase_add_test), once for each row of the array ROWS,
   or N times (as tcase_add_loop_test).  */
#define TEST_ONCE(test) { NULL, (test), 1 }
#define TEST_EACH(test, rows) { NULL, (test), (int) TEST_NROWS (rows) }
/* The number of rows of the array ROWS.  */
#define TEST_NROWS(rows) (sizeof (rows) / sizeof (rows)[0])
#define TEST_LOOP(test, n) { NULL, (test), (n) }

/* The whole of a Check program's main: install the counting allocator,
   make the suite NAME of the N ENTRIES and run it (test_run).  */
int test_main (const char *name, const test_entry *entries, size_t n);

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
