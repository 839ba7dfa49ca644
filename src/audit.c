/* audit.c -- fadj-audit: certified high-precision gradients of a network
   file, and the error of gradients computed elsewhere (a framework's
   float32 or float64 gradients) measured against them.

   Precision (Ziv's strategy, as in fadj-explain): a rational network is
   derived exactly.  Any other is derived in interval arithmetic, starting
   at 3.33 N + 64 bits for N printed digits; whenever an enclosure does
   not decide the rounding of a printed value (or a sign, or whether an
   error exceeds the tolerance), the whole derivation is redone at twice
   the precision, up to FADJ_MAX_AUTO_PREC bits; past that the program
   fails with exit status 3 and names the value.  --arithmetic=interval
   derives a rational network in intervals too (the way out when exact
   numerators and denominators would grow past FADJ_MAX_EXACT_BITS).

   The check: full compares every entry of the two-step rule's gradient
   with the reverse mode of the network's scalar graph (as fadj-explain);
   directional compares the forward-mode derivative along a random
   direction with the gradient projected on it (fadj_trace_directional),
   without building the scalar graph.  */

#include "config.h"
#include "audit.h"
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Limits (fadj.h), documented in fadj-audit(1) and the README.  */
#define AUDIT_MAX_DIGITS FADJ_MAX_AUDIT_DIGITS
#define AUDIT_MAX_PREC FADJ_MAX_AUTO_PREC
#define AUDIT_MAX_SEED FADJ_MAX_SEED
/* --check=auto: the full check up to this many parameters.  */
#define AUDIT_FULL_MAX_PARAMS 100000

enum
{
  OPT_DIGITS = 256, OPT_FORMAT, OPT_REFERENCE, OPT_REFTYPE, OPT_TOLERANCE,
  OPT_CHECK, OPT_SEED, OPT_ARITHMETIC
};

/* The options, in the order of --help.  */
static const cli_option options[] = {
  { "output", 'o', "FILE",
    "write the report to FILE (default: standard\n"
    "output); an existing FILE is replaced only on success", 0, 0 },
  { "digits", OPT_DIGITS, "N",
    "significant digits of every value (default 30,\n"
    "at most %lu); each is correctly rounded", AUDIT_MAX_DIGITS, 0 },
  { "format", OPT_FORMAT, "FORMAT", "text (default), json or csv", 0, 0 },
  { "reference", OPT_REFERENCE, "FILE",
    "gradients to audit (see fadj-audit(1))", 0, 0 },
  { "reference-type", OPT_REFTYPE, "TYPE",
    "binary64 (default) or binary32: the format whose\n"
    "units in the last place measure the errors", 0, 0 },
  { "tolerance", OPT_TOLERANCE, "ULPS",
    "fail (exit 1) if an entry of the reference is off\n"
    "by more than ULPS units in the last place", 0, 0 },
  { "check", OPT_CHECK, "METHOD",
    "full, directional or none (default: full up to\n"
    "%lu parameters, directional above)", AUDIT_FULL_MAX_PARAMS, 0 },
  { "seed", OPT_SEED, "N",
    "seed of the directional check's random direction\n"
    "(0 to %lu; default 1)", AUDIT_MAX_SEED, 0 },
  { "arithmetic", OPT_ARITHMETIC, "auto|exact|interval",
    "exact rationals or certified intervals (default\n"
    "auto: exact when every map is rational)", 0, 0 },
  { NULL, 0, NULL, NULL, 0, 0 }
};

static void
usage (void)
{
  printf ("\
Usage: %s [OPTION]... FILE\n\
Print the gradient of the loss of the network in FILE with respect to\n\
every weight, bias and input, to N significant digits that are all\n\
certified, checked by an independent derivation; optionally audit\n\
gradients computed elsewhere against it.  With FILE '-', read standard\n\
input.\n\
\n", cli_program);
  cli_print_options (options, 25);
  printf ("\
\n\
Exit status: 0 done; 1 the check failed or the reference is outside the\n\
tolerance; 2 usage or input error; 3 resource or precision limit (%ld\n\
bits), or output error.\n\
\n\
The network file format is described in fadj-net(5).\n", AUDIT_MAX_PREC);
}

static size_t
count_params (const fadj_net *net)
{
  size_t l, n = 0;

  for (l = 1; l <= net->nlayers; l++)
    n += net->sizes[l] * (net->sizes[l - 1]
                          + (net->layers[l - 1].has_bias != 0));
  return n;
}

/* Derive, check and write the report into OUT.  Returns the exit
   status; on 0 and 1 the report is complete.  */
static int
audit (fadj_buf *out, const fadj_net *net, const fadj_ref *ref,
       const char *file, audit_opts *o, fadj_domain domain)
{
  fadj_ctx ctx;
  audit_run run;

  ctx.domain = domain;
  ctx.prec = (mpfr_prec_t) (o->digits * 3.33) + 64;
  for (;;)
    {
      fadj_trace *t = NULL;
      fadj_where where = { 0, 0, 0 };
      fadj_trace_opts topts = { NULL, NULL, -1, &where, 0 };
      fadj_status st;

      memset (&run, 0, sizeof run);
      run.agree = -1;
      topts.flags = o->check == AUDIT_CHECK_FULL ? FADJ_TRACE_FULL : 0;
      mpfr_clear_flags ();
      st = fadj_trace_compute_opts (&t, net, &ctx, &topts);
      if (st == FADJ_OK && o->check == AUDIT_CHECK_FULL)
        {
          run.agree = t->check.agree;
          run.check = t->check;
        }
      else if (st == FADJ_OK && o->check == AUDIT_CHECK_DIRECTIONAL)
        {
          fadj_num_t fwd, proj;
          fadj_num_init (fwd, &ctx);
          fadj_num_init (proj, &ctx);
          st = fadj_trace_directional (&run.check, fwd, proj, t, o->seed);
          run.agree = run.check.agree;
          fadj_num_clear (fwd);
          fadj_num_clear (proj);
        }
      if (st == FADJ_OK)
        {
          fadj_buf_reset (out);
          st = audit_write (out, &run, t, ref, o);
          if (st == FADJ_OK)
            st = fadj_buf_status (out);
        }
      fadj_trace_free (t);
      if (st == FADJ_OK)
        {
          o->failed_check = run.agree == 0;
          o->failed_tolerance = run.exceeded;
          if (run.agree == 0)
            return FADJ_EXIT_VERIFY;
          return run.exceeded ? FADJ_EXIT_VERIFY : FADJ_EXIT_OK;
        }
      if (st == FADJ_ERR_IO && cli_output_failed ())
        return FADJ_EXIT_RESOURCE;      /* reported by the spill */
      if (st == FADJ_ERR_DOMAIN)
        {
          cli_report_domain (file, net, &where, "");
          return FADJ_EXIT_INPUT;
        }
      if (st == FADJ_ERR_LIMIT && ctx.domain == FADJ_EXACT)
        {
          cli_report_exact_growth (file, "--digits=N");
          return FADJ_EXIT_RESOURCE;
        }
      if (st != FADJ_UNDECIDED)
        return cli_exit_for_status (st);
      if (ctx.domain == FADJ_EXACT || ctx.prec >= AUDIT_MAX_PREC)
        {
          if (!cli_report_range (file))
            cli_error ("could not certify %s to %d digits within %ld bits "
                       "of working precision (it may sit exactly on a "
                       "rounding boundary, or be an exact 0 reached through "
                       "cancellation); lower --digits",
                       run.undecided[0] ? run.undecided
                       : "a sign of the derivation", o->digits,
                       (long) AUDIT_MAX_PREC);
          return FADJ_EXIT_RESOURCE;
        }
      ctx.prec = 2 * ctx.prec > AUDIT_MAX_PREC ? AUDIT_MAX_PREC
        : 2 * ctx.prec;
    }
}

/* Read and parse FILE (a network or, with NET, a reference); print the
   located error and return the exit status on failure.  */
static int
read_input (fadj_net **net, fadj_ref **ref, const char *file,
            const fadj_net *for_net)
{
  fadj_error err;
  fadj_status st;
  char *text;
  size_t len;

  if (cli_read_file (&text, &len, file))
    return FADJ_EXIT_INPUT;
  /* The weights compact: the lean interval path, the one for real layer
     sizes, needs no more (main expands them for any other).  */
  if (for_net == NULL)
    st = fadj_net_parse_opts (net, &err, text, len, FADJ_PARSE_COMPACT);
  else
    st = fadj_ref_parse (ref, &err, text, len, for_net);
  free (text);
  if (st == FADJ_ERR_INPUT || st == FADJ_ERR_LIMIT)
    {
      cli_located_error (strcmp (file, "-") == 0 ? "<stdin>" : file, &err);
      return st == FADJ_ERR_INPUT ? FADJ_EXIT_INPUT : FADJ_EXIT_RESOURCE;
    }
  if (st != FADJ_OK)
    return cli_exit_for_status (st);
  return FADJ_EXIT_OK;
}

int
main (int argc, char **argv)
{
  static const char *const formats[] = { "text", "json", "csv", NULL };
  static const char *const types[] = { "binary64", "binary32", NULL };
  static const char *const checks[] = { "full", "directional", "none",
                                        NULL };
  audit_opts o;
  const char *output = NULL, *file, *reffile = NULL;
  fadj_net *net = NULL;
  fadj_ref *ref = NULL;
  fadj_buf *out;
  fadj_domain domain;
  int c, status, k, arithmetic = -1;
  long v;

  cli_init ("fadj-audit");
  memset (&o, 0, sizeof o);
  o.digits = 30;
  o.check = AUDIT_CHECK_AUTO;
  o.seed = 1;
  o.ref_bits = 53;
  mpq_init (o.tolerance);
  while ((c = cli_getopt (argc, argv, options)) != -1)
    switch (c)
      {
      case 'o':
        output = optarg;
        break;
      case OPT_DIGITS:
        if (cli_parse_long (&v, "--digits", optarg, 1, AUDIT_MAX_DIGITS))
          goto usage_error;
        o.digits = (int) v;
        break;
      case OPT_FORMAT:
        if (cli_parse_word (&k, "--format", optarg, formats))
          goto usage_error;
        o.format = k;
        break;
      case OPT_REFERENCE:
        reffile = optarg;
        break;
      case OPT_REFTYPE:
        if (cli_parse_word (&k, "--reference-type", optarg, types))
          goto usage_error;
        o.ref_bits = k == 0 ? 53 : 24;
        break;
      case OPT_TOLERANCE:
        if (cli_parse_rational (o.tolerance, "--tolerance", optarg, 0,
                                "a non-negative number of ulps"))
          goto usage_error;
        o.has_tolerance = 1;
        break;
      case OPT_CHECK:
        if (cli_parse_word (&k, "--check", optarg, checks))
          goto usage_error;
        o.check = k;
        break;
      case OPT_SEED:
        if (cli_parse_long (&v, "--seed", optarg, 0, AUDIT_MAX_SEED))
          goto usage_error;
        o.seed = (unsigned long) v;
        break;
      case OPT_ARITHMETIC:
        if (cli_parse_arithmetic (&arithmetic, optarg))
          goto usage_error;
        break;
      case 'h':
        usage ();
        mpq_clear (o.tolerance);
        return FADJ_EXIT_OK;
      case 'V':
        cli_version ();
        mpq_clear (o.tolerance);
        return FADJ_EXIT_OK;
      default:
        cli_try_help ();
        goto usage_error;
      }
  if (cli_file_operand (&file, argc, argv, optind) != 0)
    goto usage_error;
  if (o.has_tolerance && reffile == NULL)
    {
      cli_error ("--tolerance needs --reference");
      goto usage_error;
    }
  o.file = file;
  if ((status = read_input (&net, NULL, file, NULL)) != FADJ_EXIT_OK)
    goto done;
  if (reffile != NULL
      && (status = read_input (NULL, &ref, reffile, net)) != FADJ_EXIT_OK)
    goto done;
  if (cli_choose_domain (&domain, arithmetic, net) != 0)
    {
      status = FADJ_EXIT_INPUT;
      goto done;
    }
  if (o.check == AUDIT_CHECK_AUTO)
    o.check = count_params (net) <= AUDIT_FULL_MAX_PARAMS
      ? AUDIT_CHECK_FULL : AUDIT_CHECK_DIRECTIONAL;
  if ((domain == FADJ_EXACT || o.check == AUDIT_CHECK_FULL)
      && fadj_net_expand (net) != FADJ_OK)
    {
      status = cli_exit_for_status (FADJ_ERR_NOMEM);
      goto done;
    }

  /* The temporary output now: an unwritable directory is reported before
     the computation, and a signal during it removes the temporary.  */
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
  cli_output_stream (out);
  status = audit (out, net, ref, file, &o, domain);
  if (status == FADJ_EXIT_OK || status == FADJ_EXIT_VERIFY)
    {
      size_t n;
      const char *doc = fadj_buf_data (out, &n);
      if (cli_write_output (output, doc, n))
        status = FADJ_EXIT_RESOURCE;
    }
  if (status == FADJ_EXIT_VERIFY)
    {
      if (o.failed_check)
        cli_error ("verification failed: the two-step rule and the %s "
                   "check disagree (see the report)",
                   o.check == AUDIT_CHECK_FULL ? "reverse-mode"
                   : "directional");
      if (o.failed_tolerance)
        cli_error ("the reference is off by more than the tolerance (see "
                   "the report)");
    }
  fadj_buf_free (out);
done:
  fadj_ref_free (ref);
  fadj_net_free (net);
  mpq_clear (o.tolerance);
  mpfr_free_cache ();
  return status;

usage_error:
  mpq_clear (o.tolerance);
  return FADJ_EXIT_INPUT;
}
