/* explain.c -- fadj-explain: a network file in, a LaTeX derivation of its
   F-propagation and F-adjoint out, verified against the expression
   engine's reverse mode.

   Precision (Ziv's strategy): a rational network is derived exactly.  Any
   other is derived in interval arithmetic, starting at a precision a
   little above the printed digits; whenever a sign (relu) or the rounding
   of a printed value is not decided by the enclosures, the whole
   derivation is redone at twice the precision, up to a limit.  Every
   printed digit is therefore certified.  */

#include "config.h"
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Limits of the options (fadj.h), documented in fadj-explain(1).  */
#define EXPLAIN_MAX_DIGITS FADJ_MAX_PRINT_DIGITS
#define EXPLAIN_MIN_PREC 2
#define EXPLAIN_MAX_PREC FADJ_MAX_PREC
/* The automatic precision doubles up to this many bits.  */
#define EXPLAIN_AUTO_MAX_PREC FADJ_MAX_AUTO_PREC
/* Training steps and carried decimals: a document, not a training run.  */
#define EXPLAIN_MAX_STEPS 10000
#define EXPLAIN_MAX_CARRY 30

static void
usage (void)
{
  printf ("\
Usage: %s [OPTION]... FILE\n\
Write a LaTeX derivation of the F-propagation and F-adjoint (the two-step\n\
rule of backpropagation) of the network in FILE, checked against an\n\
independent reverse-mode derivation.  With FILE '-', read standard input.\n\
\n\
  -o, --output=FILE      write the document to FILE (default: standard output);\n\
                         an existing FILE is replaced only on success\n\
      --digits=N         significant digits of inexact values (default 6,\n\
                         at most %d); every printed digit is certified\n\
      --precision=BITS   fixed working precision of the intervals (%d to %ld);\n\
                         default: automatic, raised until the digits are certain\n\
      --fragment         write the body only, for \\input\n\
      --index=ell|h      layer index letter in general formulas (default ell)\n\
      --bias=augmented|separate\n\
                         biases as the last column of W (default) or apart\n\
      --steps=N          append N gradient-descent steps (0 to %d; default 0)\n\
      --rate=ETA         learning rate of the steps, a number > 0 written as\n\
                         in the file (overrides the file's 'rate')\n\
      --update=standard|local\n\
                         order of the updates: every gradient from one\n\
                         F-adjoint at the old weights (default), or the\n\
                         author's local variant (W^l updated as soon as\n\
                         Y^l_* is known, X^{l-1}_* propagated with it)\n\
      --carry=D          add a section that redoes the derivation rounding\n\
                         every intermediate to D decimal places (0 to %d),\n\
                         as a hand calculation does, beside the exact values\n\
      --arithmetic=auto|exact|interval\n\
                         exact rationals or certified intervals (default\n\
                         auto: exact when every map is rational)\n\
  -h, --help             display this help and exit\n\
  -V, --version          output version information and exit\n\
\n\
Exit status: 0 done; 1 the two-step rule and the independent check\n\
disagree (the document says where); 2 usage or input error; 3 resource,\n\
precision limit or output error.\n\
\n\
The network file format is described in fadj-net(5).\n",
          cli_program, EXPLAIN_MAX_DIGITS, EXPLAIN_MIN_PREC, EXPLAIN_MAX_PREC,
          EXPLAIN_MAX_STEPS, EXPLAIN_MAX_CARRY);
}

static void
version (void)
{
  printf ("fadj-explain (fadj) %s\n", fadj_version ());
}

enum
{
  OPT_DIGITS = 256, OPT_PRECISION, OPT_FRAGMENT, OPT_INDEX, OPT_BIAS,
  OPT_STEPS, OPT_RATE, OPT_UPDATE, OPT_CARRY, OPT_ARITHMETIC
};

/* --arithmetic: -1 auto, else the fadj_domain asked for.  */
static int arithmetic = -1;

/* What the options ask beyond the document's form.  */
typedef struct
{
  long fixed_prec;        /* 0: automatic */
  long steps;
  int has_rate;
  mpq_t rate;             /* --rate, else the file's */
  fadj_update update;
  long carry;             /* -1: none */
} explain_opts;

static const struct option long_options[] = {
  { "output", required_argument, NULL, 'o' },
  { "digits", required_argument, NULL, OPT_DIGITS },
  { "precision", required_argument, NULL, OPT_PRECISION },
  { "fragment", no_argument, NULL, OPT_FRAGMENT },
  { "index", required_argument, NULL, OPT_INDEX },
  { "bias", required_argument, NULL, OPT_BIAS },
  { "steps", required_argument, NULL, OPT_STEPS },
  { "rate", required_argument, NULL, OPT_RATE },
  { "update", required_argument, NULL, OPT_UPDATE },
  { "carry", required_argument, NULL, OPT_CARRY },
  { "arithmetic", required_argument, NULL, OPT_ARITHMETIC },
  { "help", no_argument, NULL, 'h' },
  { "version", no_argument, NULL, 'V' },
  { NULL, 0, NULL, 0 }
};

/* The starting precision for DIGITS decimal digits: log2(10) bits a digit
   and a margin for the error that the intervals accumulate.  */
static mpfr_prec_t
initial_precision (int digits)
{
  return (mpfr_prec_t) (digits * 3.33) + 64;
}

/* Report a function undefined at the values reached; WHERE says which
   output, when it was the loss.  STEP > 0: at the weights after that
   training step; CARRY >= 0: in the carried derivation.  */
static void
domain_error (const char *file, const fadj_net *net, const fadj_where *where,
              size_t step, long carry)
{
  char when[96] = "";

  if (step > 0)
    snprintf (when, sizeof when, " after training step %zu", step);
  else if (carry >= 0)
    snprintf (when, sizeof when, " once rounded to %ld decimal place%s "
              "(--carry)", carry, carry == 1 ? "" : "s");
  cli_report_domain (file, net, where, when);
}

/* Derive NET, with the steps and the carried derivation the options
   ask for, and write the document into OUT.  Returns the exit status;
   on 0 or FADJ_EXIT_VERIFY the document is complete.  */
static int
explain (fadj_buf *out, const fadj_net *net, const char *file,
         fadj_latex_opts *opts, const explain_opts *eo)
{
  fadj_ctx ctx;
  mpfr_prec_t max_prec;
  long fixed_prec = eo->fixed_prec;

  if (cli_choose_domain (&ctx.domain, arithmetic, net) != 0)
    return FADJ_EXIT_INPUT;
  ctx.prec = fixed_prec ? fixed_prec : initial_precision (opts->digits);
  max_prec = fixed_prec ? fixed_prec : EXPLAIN_AUTO_MAX_PREC;
  for (;;)
    {
      fadj_trace *t = NULL, *carried = NULL;
      fadj_training *tr = NULL;
      fadj_where where = { 0, 0, 0 };
      fadj_trace_opts topts = { NULL, NULL, -1, &where, FADJ_TRACE_FULL };
      fadj_status st;
      size_t fail_step = 0;
      long fail_carry = -1;

      mpfr_clear_flags ();
      st = fadj_trace_compute_opts (&t, net, &ctx, &topts);

      if (st == FADJ_OK && eo->steps > 0)
        {
          st = fadj_train (&tr, t, (size_t) eo->steps, eo->rate, eo->update);
          if (st == FADJ_ERR_DOMAIN && tr != NULL)
            {
              fail_step = tr->fail_step;
              where = tr->where;
            }
        }
      if (st == FADJ_OK && eo->carry >= 0)
        {
          topts.carry = (int) eo->carry;
          st = fadj_trace_compute_opts (&carried, net, &ctx, &topts);
          if (st == FADJ_ERR_DOMAIN)
            fail_carry = eo->carry;
        }
      if (st == FADJ_OK)
        {
          opts->training = tr;
          opts->carried = carried;
          fadj_buf_reset (out);
          st = fadj_latex_write (out, t, opts);
          if (st == FADJ_OK)
            st = fadj_buf_status (out);
          opts->training = NULL;
          opts->carried = NULL;
          if (st == FADJ_OK)
            {
              int agree = t->check.agree && (tr == NULL || tr->check.agree);
              fadj_training_free (tr);
              fadj_trace_free (carried);
              fadj_trace_free (t);
              return agree ? FADJ_EXIT_OK : FADJ_EXIT_VERIFY;
            }
        }
      fadj_training_free (tr);
      fadj_trace_free (carried);
      fadj_trace_free (t);
      if (st == FADJ_ERR_DOMAIN)
        {
          domain_error (file, net, &where, fail_step, fail_carry);
          return FADJ_EXIT_INPUT;
        }
      if (st == FADJ_ERR_LIMIT && ctx.domain == FADJ_EXACT)
        {
          cli_report_exact_growth (file, "--digits=N or --precision=BITS");
          return FADJ_EXIT_RESOURCE;
        }
      if (st != FADJ_UNDECIDED)
        return cli_exit_for_status (st);
      if (ctx.domain == FADJ_EXACT || ctx.prec >= max_prec)
        {
          if (cli_report_range (file))
            ;
          else if (fixed_prec)
            cli_error ("%ld bits of working precision are not enough to "
                       "certify every printed digit; raise --precision or "
                       "lower --digits", (long) ctx.prec);
          else
            cli_error ("could not certify every printed digit within %ld "
                       "bits of working precision (a value may sit exactly "
                       "on a rounding boundary or a sign change); lower "
                       "--digits", (long) max_prec);
          return FADJ_EXIT_RESOURCE;
        }
      ctx.prec = 2 * ctx.prec > max_prec ? max_prec : 2 * ctx.prec;
    }
}

int
main (int argc, char **argv)
{
  fadj_latex_opts opts = { 0, 6, NULL, NULL };
  explain_opts eo;
  const char *output = NULL, *file;
  long v;
  char *text;
  size_t len;
  fadj_net *net = NULL;
  fadj_error err;
  fadj_status st;
  fadj_buf *out;
  int c, status;

  cli_init ("fadj-explain");
  memset (&eo, 0, sizeof eo);
  mpq_init (eo.rate);
  eo.carry = -1;
  eo.update = FADJ_UPDATE_STANDARD;
  while ((c = getopt_long (argc, argv, "o:hV", long_options, NULL)) != -1)
    switch (c)
      {
      case 'o':
        output = optarg;
        break;
      case OPT_DIGITS:
        if (cli_parse_long (&v, "--digits", optarg, 1, EXPLAIN_MAX_DIGITS))
          {
            status = FADJ_EXIT_INPUT;
            goto done;
          }
        opts.digits = (int) v;
        break;
      case OPT_PRECISION:
        if (cli_parse_long (&eo.fixed_prec, "--precision", optarg,
                            EXPLAIN_MIN_PREC, EXPLAIN_MAX_PREC))
          {
            status = FADJ_EXIT_INPUT;
            goto done;
          }
        break;
      case OPT_STEPS:
        if (cli_parse_long (&eo.steps, "--steps", optarg, 0,
                            EXPLAIN_MAX_STEPS))
          {
            status = FADJ_EXIT_INPUT;
            goto done;
          }
        break;
      case OPT_CARRY:
        if (cli_parse_long (&eo.carry, "--carry", optarg, 0,
                            EXPLAIN_MAX_CARRY))
          {
            status = FADJ_EXIT_INPUT;
            goto done;
          }
        break;
      case OPT_RATE:
        {
          size_t errpos;
          const char *msg;
          if (fadj_number_parse (eo.rate, optarg, strlen (optarg), &errpos,
                                 &msg) != 0 || mpq_sgn (eo.rate) <= 0)
            {
              cli_error ("invalid value '%s' for --rate: expected a "
                         "positive number such as 0.5, 1/2 or 5e-1", optarg);
              status = FADJ_EXIT_INPUT;
              goto done;
            }
          eo.has_rate = 1;
        }
        break;
      case OPT_UPDATE:
        if (strcmp (optarg, "standard") == 0)
          eo.update = FADJ_UPDATE_STANDARD;
        else if (strcmp (optarg, "local") == 0)
          eo.update = FADJ_UPDATE_LOCAL;
        else
          {
            cli_error ("invalid value '%s' for --update: expected "
                       "'standard' or 'local'", optarg);
            status = FADJ_EXIT_INPUT;
            goto done;
          }
        break;
      case OPT_FRAGMENT:
        opts.flags |= FADJ_LATEX_FRAGMENT;
        break;
      case OPT_INDEX:
        if (strcmp (optarg, "h") == 0)
          opts.flags |= FADJ_LATEX_INDEX_H;
        else if (strcmp (optarg, "ell") == 0)
          opts.flags &= ~FADJ_LATEX_INDEX_H;
        else
          {
            cli_error ("invalid value '%s' for --index: expected 'ell' or "
                       "'h'", optarg);
            status = FADJ_EXIT_INPUT;
            goto done;
          }
        break;
      case OPT_BIAS:
        if (strcmp (optarg, "separate") == 0)
          opts.flags |= FADJ_LATEX_BIAS_SEPARATE;
        else if (strcmp (optarg, "augmented") == 0)
          opts.flags &= ~FADJ_LATEX_BIAS_SEPARATE;
        else
          {
            cli_error ("invalid value '%s' for --bias: expected "
                       "'augmented' or 'separate'", optarg);
            status = FADJ_EXIT_INPUT;
            goto done;
          }
        break;
      case OPT_ARITHMETIC:
        if (cli_parse_arithmetic (&arithmetic, optarg))
          {
            status = FADJ_EXIT_INPUT;
            goto done;
          }
        break;
      case 'h':
        usage ();
        status = FADJ_EXIT_OK;
        goto done;
      case 'V':
        version ();
        status = FADJ_EXIT_OK;
        goto done;
      default:
        fprintf (stderr, "Try '%s --help' for more information.\n",
                 cli_program);
        status = FADJ_EXIT_INPUT;
        goto done;
      }
  if (optind != argc - 1)
    {
      cli_error (optind == argc ? "missing network file operand"
                 : "extra operand '%s'", argv[optind + (optind < argc)]);
      fprintf (stderr, "Try '%s --help' for more information.\n",
               cli_program);
      status = FADJ_EXIT_INPUT;
      goto done;
    }
  file = argv[optind];
  if (cli_read_file (&text, &len, file))
    {
      status = FADJ_EXIT_INPUT;
      goto done;
    }

  st = fadj_net_parse (&net, &err, text, len);
  free (text);
  if (st == FADJ_ERR_INPUT || st == FADJ_ERR_LIMIT)
    {
      cli_located_error (strcmp (file, "-") == 0 ? "<stdin>" : file, &err);
      status = st == FADJ_ERR_INPUT ? FADJ_EXIT_INPUT : FADJ_EXIT_RESOURCE;
      goto done;
    }
  if (st != FADJ_OK)
    {
      status = cli_exit_for_status (st);
      goto done;
    }
  if (!eo.has_rate && net->has_rate)
    {
      mpq_set (eo.rate, net->rate);
      eo.has_rate = 1;
    }
  if (eo.steps > 0 && !eo.has_rate)
    {
      cli_error ("--steps needs a learning rate: a 'rate' statement in "
                 "%s or --rate", file);
      status = FADJ_EXIT_INPUT;
      goto done;
    }

  if (cli_output_prepare (output) != 0)
    {
      status = FADJ_EXIT_RESOURCE;
      goto done;
    }
  out = fadj_buf_new ();
  if (out == NULL)
    {
      status = cli_exit_for_status (FADJ_ERR_NOMEM);
      goto done;
    }
  status = explain (out, net, file, &opts, &eo);
  if (status == FADJ_EXIT_OK || status == FADJ_EXIT_VERIFY)
    {
      size_t n;
      const char *doc = fadj_buf_data (out, &n);
      if (cli_write_output (output, doc, n))
        status = FADJ_EXIT_RESOURCE;
      else if (status == FADJ_EXIT_VERIFY)
        cli_error ("verification failed: the two-step rule and the "
                   "reverse-mode check disagree (see the document)");
    }
  fadj_buf_free (out);
  
done:
  /* Every way out after mpq_init passes here: no leak on any error path
     (valgrind runs each invalid input in .ci/run).  */
  fadj_net_free (net);
  mpq_clear (eo.rate);
  mpfr_free_cache ();
  return status;
}
