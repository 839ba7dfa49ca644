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

#endif
