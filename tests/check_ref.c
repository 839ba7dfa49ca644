/* check_ref.c -- reference gradient files (ref-parse.c): a valid file
   read exactly, every kind of error reported at its line and column
   with one message, and the same message as in a network file for the
   same mistake.  The network is Boughammoura's A[2,2,1] (biases on both
   layers).  */

#include "test-common.h"

#include <stdio.h>
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
    "loss 1.7699e-2\n"
    "type  binary32  # the format of the values\n";
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
  /* 'type' at line 8, its name at column 7.  */
  ck_assert_int_eq (r->type_bits, 24);
  ck_assert_int_eq (r->type_line, 8);
  ck_assert_int_eq (r->type_col, 7);
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
    2, 1, "duplicate 'gradient 2' statement (the first is at line 1, "
    "column 1)" },
  { "loss 1\n loss 2", 2, 2, "duplicate 'loss' statement (the first is at "
    "line 1, column 1)" },
  { "input_gradient [1 2] input_gradient [1 2]", 1, 22,
    "duplicate 'input_gradient' statement (the first is at line 1, "
    "column 1)" },
  { "gradient 2 weights [1 2] bias [1]\ninput_gradient [1 2 3]", 2, 16,
    "input_gradient has 3 x 1 entries but the network needs a vector "
    "of 2" },
  { "gradient 2 weights [1 0x1.zp0] bias [1]", 1, 27,
    "invalid number '0x1.zp0': unexpected character in the number" },
  { "gradient 2 weights [1 2 bias [1]", 1, 25,
    "expected ']' to close the bracket opened at line 1, column 20, found "
    "'bias'" },
  { "gradient 2 biases [1 2]", 1, 12, "expected 'weights', found 'biases'" },
  { "gradients 2", 1, 1, "expected a statement (gradient, input_gradient, "
    "loss, type), found 'gradients'" },
  { "loss [1]", 1, 6, "expected a number after 'loss', found '['" },
  { "type binary16", 1, 6,
    "expected binary32 or binary64 after 'type', found 'binary16'" },
  { "type 64", 1, 6, "expected binary32 or binary64 after 'type', found "
    "'64'" },
  { "type binary64\ntype binary64", 2, 1, "duplicate 'type' statement (the "
    "first is at line 1, column 1)" },
  { "gradient 2 weights [1 2; 3] bias [1]", 1, 26,
    "row 2 has 1 entry but row 1 has 2" },
  { "gradient 2 weights [1 2; 3 4 5] bias [1]", 1, 30,
    "row 2 has more entries than row 1 (2)" },
  { "gradient 2 weights 1 2", 1, 20,
    "expected '[' to start a matrix after 'weights', found '1'" },
  { "gradient 2 weights [1 2] bias 1", 1, 31,
    "expected '[' to start a vector after 'bias', found '1'" },
  { "input_gradient 1 2", 1, 16,
    "expected '[' to start a matrix after 'input_gradient', found '1'" },
  { "gradient 1 weights [1 2; 3 4]\n bias [1 2; 3 4]\n", 2, 7,
    "gradient 1: bias must be a vector (one row or one column), found a "
    "2 x 2 matrix" },
  { "input_gradient [1 2; 3 4]", 1, 16, "input_gradient must be a vector "
    "(one row or one column), found a 2 x 2 matrix" },
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

/* One mistake in a matrix (or in the brackets around it) written on line
   2 of a network file, after 'weights', and on line 2 of a reference
   file, after 'weights' too: the two files share their reader of
   matrices (mat-parse.c), so the message and its position must be the
   same, and the same again with the network's compact weights.  A
   reader of its own for either file would fail here.  */
static const char *const same_mistake[] = {
  "5",                          /* no '[' */
  "[1 2",                       /* unclosed, at the end of the file */
  "[1 2\nloss",                 /* unclosed, at a keyword */
  "[1 2; 3]",                   /* ragged */
  "[1 2\n 3 4 5]",
  "[[1, 2],\n [3]]",
  "[]",                         /* empty */
  "[\n ; \n]",
  "[[1, 2], 3]",                /* nested rows, then a number */
  "[[1, 2]",
  "[[1, 2",
  "[1 [2]]",                    /* flat rows, then a bracket */
  "[[]]",
  "[[[1]]]",                    /* nested too deeply */
  "[, 1]",                      /* commas */
  "[1,,2]",
  "[1, 2,\n 3]",
  "[1 2,]",
  "[1 nan]",                    /* not a number */
  "[1 \"s\"]",
  "[1 @]",                      /* lexical errors */
  "[1-1]",
  "[1 \xe2\x80\x94]",
  "[1 0x1.zp0]",                 /* invalid numbers */
  "[1 1/0]",
  "[0.5 1e999999999]",          /* after the compact form gave up */
  "[0x1p-3 0x1p-999999999]",
};

START_TEST (test_same_mistake)
{
  fadj_net *net = the_net (), *bad = (fadj_net *) 1;
  fadj_ref *r = (fadj_ref *) 1;
  fadj_error nerr, rerr;
  char ntext[128], rtext[128];
  unsigned flags;

  snprintf (ntext, sizeof ntext, "layer relu weights\n%s\n",
            same_mistake[_i]);
  snprintf (rtext, sizeof rtext, "gradient 1 weights\n%s\n",
            same_mistake[_i]);
  ck_assert_int_eq (fadj_ref_parse (&r, &rerr, rtext, strlen (rtext), net),
                    FADJ_ERR_INPUT);
  ck_assert (r == NULL);
  /* The mistake is the matrix's, not what follows it.  */
  ck_assert_msg (rerr.line >= 2, "%ld:%ld: %s", rerr.line, rerr.col,
                 rerr.msg);
  for (flags = 0; flags <= FADJ_PARSE_COMPACT; flags += FADJ_PARSE_COMPACT)
    {
      ck_assert_int_eq (fadj_net_parse_opts (&bad, &nerr, ntext,
                                             strlen (ntext), flags),
                        FADJ_ERR_INPUT);
      ck_assert (bad == NULL);
      ck_assert_msg (nerr.line == rerr.line && nerr.col == rerr.col
                     && strcmp (nerr.msg, rerr.msg) == 0,
                     "network %ld:%ld: %s\nreference %ld:%ld: %s",
                     nerr.line, nerr.col, nerr.msg, rerr.line, rerr.col,
                     rerr.msg);
    }
  fadj_net_free (net);
}
END_TEST

/* The same for the statements both files have: a 'loss' given twice, a
   stray byte between statements.  */
static const struct
{
  const char *net, *ref;
} same_statement[] = {
  { "loss squared\nloss squared", "loss 1\nloss 2" },
  { "loss squared\n  @", "loss 1\n  @" },
  { "loss squared\n  \"", "loss 1\n  \"" },
};

START_TEST (test_same_statement_mistake)
{
  fadj_net *net = the_net (), *bad = (fadj_net *) 1;
  fadj_ref *r = (fadj_ref *) 1;
  fadj_error nerr, rerr;

  ck_assert_int_eq (fadj_ref_parse (&r, &rerr, same_statement[_i].ref,
                                    strlen (same_statement[_i].ref), net),
                    FADJ_ERR_INPUT);
  ck_assert_int_eq (fadj_net_parse (&bad, &nerr, same_statement[_i].net,
                                    strlen (same_statement[_i].net)),
                    FADJ_ERR_INPUT);
  ck_assert (r == NULL && bad == NULL);
  ck_assert_msg (nerr.line == 2 && nerr.line == rerr.line
                 && nerr.col == rerr.col && strcmp (nerr.msg, rerr.msg) == 0,
                 "network %ld:%ld: %s\nreference %ld:%ld: %s", nerr.line,
                 nerr.col, nerr.msg, rerr.line, rerr.col, rerr.msg);
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
    TEST_EACH (test_same_mistake, same_mistake),
    TEST_EACH (test_same_statement_mistake, same_statement),
  };

  return test_main ("ref", tests, sizeof tests / sizeof tests[0]);
}
