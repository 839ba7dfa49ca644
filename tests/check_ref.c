/* check_ref.c -- reference gradient files (ref-parse.c): a valid file
   read exactly, and every kind of error reported at its line and column
   with one message.  The network is Boughammoura's A[2,2,1] (biases on
   both layers).  */

#include "test-common.h"

#include <string.h>

static const char net_text[] =
  "input [0 0] target [1]\n layer sigmoid weights [1 -1; -1 1] bias [1 -1]\n"
  " layer sigmoid weights [1 -1] bias [1] loss half_squared\n";

static fadj_net *
the_net (void)
{
  fadj_net *net = NULL;
  fadj_error err;
  ck_assert_int_eq (fadj_net_parse (&net, &err, net_text, strlen (net_text)),
                    FADJ_OK);
  return net;
}

START_TEST (test_valid)
{
  const char *text =
    "# torch, float32\n"
    "gradient 2 weights [-0x1.5836p-6, -0x1.fa7p-8] bias [-0.0287381]\n"
    "gradient 1 weights [[0, 0], [0, 0]]\n  bias [-0.00565026\n 0.00565026]\n"
    "input_gradient [-0.0113005 0.0113005]\n"
    "loss 1.7699e-2\n";
  fadj_net *net = the_net ();
  fadj_ref *r = NULL;
  fadj_error err;
  mpq_t q;

  ck_assert_msg (fadj_ref_parse (&r, &err, text, strlen (text), net)
                 == FADJ_OK, "%ld:%ld: %s", err.line, err.col, err.msg);
  mpq_init (q);
  /* -0x1.5836p-6 = -0x15836 / 2^22 = -88118/4194304 = -44059/2097152.  */
  mpq_set_si (q, -44059, 2097152);
  ck_assert (mpq_equal (FADJ_NUM_Q (&r->w[2].e[0]), q));
  ck_assert_uint_eq (r->b[1].rows, 2);
  ck_assert_uint_eq (r->b[1].cols, 1);
  mpq_set_si (q, 282513, 50000000);
  ck_assert (mpq_equal (FADJ_NUM_Q (&r->b[1].e[1]), q));
  ck_assert (r->has_input_gradient && r->has_loss);
  mpq_set_si (q, 17699, 1000000);
  ck_assert (mpq_equal (r->loss, q));
  mpq_clear (q);
  fadj_ref_free (r);
  fadj_net_free (net);
}
END_TEST

static const struct
{
  const char *text;
  long line, col;
  const char *msg;
} bad[] = {
  { "gradient 3 weights [1 2]", 1, 10,
    "layer number must be an integer from 1 to 2" },
  { "gradient 1.5 weights [1 2]", 1, 10,
    "layer number must be an integer from 1 to 2" },
  { "gradient 2 weights [1 2 3] bias [0]", 1, 20,
    "gradient 2: weights are 1 x 3 but W^2 is 1 x 2" },
  { "gradient 1 weights [1 2; 3 4]\n bias [1 2 3]\n", 2, 7,
    "gradient 1: bias has 3 x 1 entries but the network needs a vector "
    "of 2" },
  { "gradient 2 weights [1 2]\n", 1, 1,
    "gradient 2: layer 2 has a bias but no 'bias' gradient is given" },
  { "gradient 2 weights [1 2] bias [1]\n", 2, 1,
    "missing 'gradient 1' (the network has 2 layers)" },
  { "gradient 2 weights [1 2] bias [1]\ngradient 2 weights [1 2] bias [1]",
    2, 1, "duplicate 'gradient 2' (the first is at line 1, column 1)" },
  { "gradient 2 weights [1 2] bias [1]\ninput_gradient [1 2 3]", 2, 16,
    "input_gradient has 3 x 1 entries but the network needs a vector "
    "of 2" },
  { "gradient 2 weights [1 0x1.zp0] bias [1]", 1, 27,
    "invalid number '0x1.zp0': unexpected character in the number" },
  { "gradient 2 weights [1 2 bias [1]", 1, 25,
    "expected a number, ';' or ']' to close the bracket opened at line 1, "
    "column 20, found 'bias'" },
  { "gradient 2 biases [1 2]", 1, 12, "expected 'weights', found 'biases'" },
  { "gradients 2", 1, 1, "expected a statement (gradient, input_gradient, "
    "loss), found 'gradients'" },
  { "loss [1]", 1, 6, "expected a number after 'loss', found '['" },
  { "gradient 2 weights [1 2; 3] bias [1]", 1, 26,
    "row 2 has 1 entries but row 1 has 2" },
  { "gradient 2 weights [] bias [1]", 1, 20, "empty matrix" },
  { "gradient 2 weights [1 2] bias [1] @", 1, 35, "unexpected character '@'" },
};

START_TEST (test_errors)
{
  fadj_net *net = the_net ();
  fadj_ref *r = (fadj_ref *) 1;
  fadj_error err;

  ck_assert_int_eq (fadj_ref_parse (&r, &err, bad[_i].text,
                                    strlen (bad[_i].text), net),
                    FADJ_ERR_INPUT);
  ck_assert (r == NULL);
  ck_assert_msg (err.line == bad[_i].line && err.col == bad[_i].col
                 && strcmp (err.msg, bad[_i].msg) == 0,
                 "got %ld:%ld: %s", err.line, err.col, err.msg);
  fadj_net_free (net);
}
END_TEST

int
main (void)
{
  const test_entry tests[] = {
    TEST_CASE ("parse"),
    TEST_ONCE (test_valid),
    TEST_EACH (test_errors, bad),
  };

  return test_main ("ref", tests, sizeof tests / sizeof tests[0]);
}
