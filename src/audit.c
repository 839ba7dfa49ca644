/* audit.c -- fadj-audit: certified high-precision gradients of a network
   file, and the error of gradients computed elsewhere (a framework's
   float32 or float64 gradients) measured against them.

   Precision (Ziv's strategy, cli_ziv_run, as in fadj-explain): a
   rational network is derived exactly.  Any other is derived in interval
   arithmetic, starting at 3.33 N + 64 bits for N printed digits;
   whenever an enclosure does not decide the rounding of a printed value
   (or a sign, or whether an error exceeds the tolerance), the whole
   derivation is redone at twice the precision, up to FADJ_MAX_AUTO_PREC
   bits; past that the program fails with exit status 3 and names the
   value.  --arithmetic=interval
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
#include "parallel.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Limits (fadj.h), documented in fadj-audit(1) and the README.  */
#define AUDIT_MAX_DIGITS FADJ_MAX_AUDIT_DIGITS
#define AUDIT_MAX_PREC FADJ_MAX_AUTO_PREC
#define AUDIT_MAX_SEED FADJ_MAX_SEED
/* --arithmetic=auto: an undecided value is tried exactly (per value)
   from this working precision on.  */
#define AUDIT_EXACT_FROM_PREC 1024

enum
{
  OPT_DIGITS = 256, OPT_FORMAT, OPT_REFERENCE, OPT_REFTYPE, OPT_TOLERANCE,
  OPT_CHECK, OPT_SEED, OPT_ARITHMETIC, OPT_SUMMARY, OPT_WORST,
  OPT_EXACT_DISPLAY, OPT_ENTRIES, OPT_JOBS
};

/* --worst: at most this many entries per summary.  */
#define AUDIT_MAX_WORST 1000

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
    "binary64 or binary32: the format whose units in\n"
    "the last place measure the errors (default: the\n"
    "reference file's 'type', else binary64)", 0, 0 },
  { "summary", OPT_SUMMARY, NULL,
    "with --reference: the ulp errors' statistics per\n"
    "layer and overall (median, p90, p99, max, share\n"
    "within 1 ulp, worst entries, histogram)", 0, 0 },
  { "worst", OPT_WORST, "K",
    "entries listed as worst per summary (default 5,\n"
    "at most %lu)", AUDIT_MAX_WORST, 0 },
  { "entries", OPT_ENTRIES, NULL,
    "JSON with --reference: per-entry arrays of the\n"
    "reference values, ulp errors, conditions and bound\n"
    "ratios beside the gradients", 0, 0 },
  { "exact-display", OPT_EXACT_DISPLAY, "decimal|fraction",
    "exact values in text and CSV: correctly rounded\n"
    "decimals (default) or p/q (JSON: always p/q)", 0, 0 },
  { "tolerance", OPT_TOLERANCE, "ULPS",
    "fail (exit 1) if an entry of the reference is off\n"
    "by more than ULPS units in the last place", 0, 0 },
  { "check", OPT_CHECK, "METHOD",
    "full, directional or none (default: full up to\n"
    "%lu parameters, directional above)", FADJ_FULL_CHECK_MAX_PARAMS, 0 },
  { "seed", OPT_SEED, "N",
    "seed of the directional check's random direction\n"
    "(0 to %lu; default 1)", AUDIT_MAX_SEED, 0 },
  { "arithmetic", OPT_ARITHMETIC, "auto|exact|interval",
    "exact rationals or certified intervals (default\n"
    "auto: exact for every value that is rational)", 0, 0 },
  { "jobs", OPT_JOBS, "N", CLI_JOBS_HELP, FADJ_MAX_JOBS, 0 },
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

/* Make O the defaults (its tolerance an initialised mpq:
   audit_opts_clear releases it).  */
static void
audit_opts_init (audit_opts *o)
{
  memset (o, 0, sizeof *o);
  o->digits = 30;
  o->format = AUDIT_TEXT;
  o->check = AUDIT_CHECK_AUTO;
  o->seed = FADJ_DIRECTIONAL_SEED;
  o->ref_bits = 53;
  o->worst = 5;
  mpq_init (o->tolerance);
}

static void
audit_opts_clear (audit_opts *o)
{
  mpq_clear (o->tolerance);
}

/* What the command line says: the report's options and the rest.  Made
   by audit_args_init, released by audit_args_clear.  */
typedef struct
{
  audit_opts o;
  const char *output;       /* -o, or NULL for standard output */
  const char *reffile;      /* --reference, or NULL */
  int arithmetic;           /* -1 auto, else the fadj_domain asked for */
  int reftype_given;        /* --reference-type was given */
} audit_args;

static void
audit_args_init (audit_args *a)
{
  audit_opts_init (&a->o);
  a->output = NULL;
  a->reffile = NULL;
  a->arithmetic = -1;
  a->reftype_given = 0;
}

static void
audit_args_clear (audit_args *a)
{
  audit_opts_clear (&a->o);
}

/* What one attempt of Ziv's loop compares with, and what it found.  */
typedef struct
{
  const fadj_ref *ref;      /* may be NULL */
  audit_opts *o;
  int per_value;            /* --arithmetic=auto: exactness per value */
  audit_run run;            /* of the last attempt */
  int undecided_sign;       /* the last attempt stopped in the derivation
                               on a sign (a kink's input), not on a
                               printed digit */
} audit_job;

/* One attempt of Ziv's loop (cli_ziv_attempt): derive, check and write
   the report into OUT.  */
static fadj_status
audit_attempt (cli_ziv_result *r, fadj_buf *out, const fadj_net *net,
               const fadj_ctx *ctx, void *arg)
{
  audit_job *job = arg;
  audit_opts *o = job->o;
  audit_run *run = &job->run;
  fadj_trace *t = NULL;
  fadj_trace_opts topts;
  fadj_directional *dir = NULL;
  fadj_status st;

  fadj_trace_opts_init (&topts);
  topts.where = &r->where;
  topts.stopped = &r->stopped;
  memset (run, 0, sizeof *run);
  run->agree = -1;
  /* The report reads the gradients entry by entry
     (fadj_trace_gradient_entry): stored matrices would only be a copy
     to make, round through and free.  */
  topts.flags = o->check == AUDIT_CHECK_FULL ? FADJ_TRACE_GRAPH : 0;
  /* Nor are the intermediates the report does not read kept, unless
     exactness per value may be asked of this attempt's trace below.  */
  if (!(job->per_value && ctx->prec >= AUDIT_EXACT_FROM_PREC))
    topts.flags |= FADJ_TRACE_DROP;
  /* The directional check's forward mode runs along the derivation's
     F-propagation, so that no layer's graphs of sigma are kept for it
     (a batch's would be most of the audit's memory).  */
  if (o->check == AUDIT_CHECK_DIRECTIONAL)
    {
      if ((st = fadj_directional_new (&dir, net, ctx, o->seed)) != FADJ_OK)
        return st;
      topts.tangent = fadj_directional_tangent (dir);
    }
  st = fadj_trace_compute_opts (&t, net, ctx, &topts);
  job->undecided_sign = st == FADJ_UNDECIDED;
  if (st == FADJ_OK && o->check == AUDIT_CHECK_FULL)
    {
      run->agree = t->check.agree;
      run->check = t->check;
    }
  else if (st == FADJ_OK && o->check == AUDIT_CHECK_DIRECTIONAL)
    {
      fadj_num_t fwd, proj;
      fadj_num_init (fwd, ctx);
      fadj_num_init (proj, ctx);
      st = fadj_directional_finish (&run->check, fwd, proj, t, dir);
      run->agree = run->check.agree;
      fadj_num_clear (fwd);
      fadj_num_clear (proj);
    }
  fadj_directional_free (dir);
  if (st == FADJ_OK)
    st = audit_write (out, run, t, job->ref, o);
  /* --arithmetic=auto: a printed value the enclosures leave undecided
     may be an exact rational on a rounding boundary, which exactness per
     value decides at once (fadj_trace_exact_values).  Only then: at real
     layer sizes the exact values cost more than the whole derivation
     (deep relu layers grow long numerators), and they change no digit
     that the enclosures decide; and only once the precision has been
     doubled a few times, which decides every value that is merely
     enclosed too loosely.  */
  if (st == FADJ_UNDECIDED && t != NULL && job->per_value
      && ctx->prec >= AUDIT_EXACT_FROM_PREC)
    {
      fadj_buf_reset (out);
      run->undecided[0] = '\0';
      run->zeros = 0;
      st = fadj_trace_exact_values (t);
      if (st == FADJ_OK)
        st = audit_write (out, run, t, job->ref, o);
    }
  if (st == FADJ_OK)
    st = fadj_buf_status (out);
  fadj_trace_free (t);
  if (st == FADJ_OK)
    {
      o->failed_check = run->agree == 0;
      o->failed_tolerance = run->exceeded;
      r->exit_status = run->agree == 0 || run->exceeded ? FADJ_EXIT_VERIFY
                       : FADJ_EXIT_OK;
      r->zeros = run->zeros;
    }
  return st;
}

/* The message of Ziv's loop at its limit (cli_ziv's report_limit).  */
static void
report_limit (const cli_ziv *z, const fadj_ctx *ctx, void *arg)
{
  const audit_job *job = arg;

  if (job->undecided_sign)
    {
      cli_report_undecided_sign (z, (long) ctx->prec, "", "", 0);
      return;
    }
  cli_error ("could not certify %s to %d digits within %ld bits "
             "of working precision (it may sit exactly on a "
             "rounding boundary, %s); %slower --digits",
             job->run.undecided[0] ? job->run.undecided
             : "a sign of the derivation", job->o->digits,
             (long) ctx->prec,
             job->per_value ? "reached through cancellation"
             : "which --arithmetic=interval cannot decide",
             job->per_value ? "" : "--arithmetic=auto decides it if it "
             "is rational, or ");
}

/* The words of the word options, in the order of their values.  */
static const char *const formats[] = { "text", "json", "csv", NULL };
static const char *const types[] = { "binary64", "binary32", NULL };
static const int type_bits[] = { 53, 24 };
static const char *const checks[] = { "full", "directional", "none", NULL };
static const char *const displays[] = { "decimal", "fraction", NULL };

/* Take the option ID with its argument ARG into A (cli_option_fn).
   Its cases have the shape of the other programs' handlers (an
   option, a cli_parse_* call, a field) by design: the loop, --help,
   --version and the parsing of values are cli.c's, the options and
   the fields they set are this program's.  */
static int
audit_option (int id, const char *arg, void *ctx)
{
  audit_args *a = ctx;
  audit_opts *o = &a->o;
  long v;
  int k;

  switch (id)
    {
    case 'o':
      a->output = arg;
      return 0;
    case OPT_JOBS:
      return cli_parse_jobs (arg);
    case OPT_DIGITS:
      return cli_parse_int (&o->digits, "--digits", arg, 1,
                            AUDIT_MAX_DIGITS);
    case OPT_FORMAT:
      return cli_parse_word (&o->format, "--format", arg, formats);
    case OPT_REFERENCE:
      a->reffile = arg;
      return 0;
    case OPT_REFTYPE:
      if (cli_parse_word (&k, "--reference-type", arg, types))
        return -1;
      o->ref_bits = type_bits[k];
      a->reftype_given = 1;
      return 0;
    case OPT_TOLERANCE:
      if (cli_parse_rational (o->tolerance, "--tolerance", arg, 0,
                              "a non-negative number of ulps"))
        return -1;
      o->has_tolerance = 1;
      return 0;
    case OPT_CHECK:
      return cli_parse_word (&o->check, "--check", arg, checks);
    case OPT_SEED:
      if (cli_parse_long (&v, "--seed", arg, 0, AUDIT_MAX_SEED))
        return -1;
      o->seed = (unsigned long) v;
      return 0;
    case OPT_ARITHMETIC:
      return cli_parse_arithmetic (&a->arithmetic, arg);
    case OPT_SUMMARY:
      o->summary = 1;
      return 0;
    case OPT_WORST:
      if (cli_parse_long (&v, "--worst", arg, 0, AUDIT_MAX_WORST))
        return -1;
      o->worst = (size_t) v;
      return 0;
    case OPT_ENTRIES:
      o->entries = 1;
      return 0;
    case OPT_EXACT_DISPLAY:
      return cli_parse_word (&o->exact_fraction, "--exact-display", arg,
                             displays);
    }
  return 0;                     /* every option of OPTIONS has its case */
}

/* Audit NET (read from FILE) against REF (may be NULL) as A asks.
   Returns the exit status.  */
static int
audit_net (fadj_net *net, const fadj_ref *ref, const char *file,
           audit_args *a)
{
  audit_opts *o = &a->o;
  fadj_domain domain;
  audit_job job;
  cli_ziv z;
  int status;

  if (cli_choose_domain (&domain, a->arithmetic, net) != 0)
    return FADJ_EXIT_INPUT;
  if (o->check == AUDIT_CHECK_AUTO)
    o->check = fadj_net_full_check_p (net) ? AUDIT_CHECK_FULL
      : AUDIT_CHECK_DIRECTIONAL;
  if (domain == FADJ_EXACT && fadj_net_expand (net) != FADJ_OK)
    return cli_exit_for_status (FADJ_ERR_NOMEM);

  /* The temporary output now: an unwritable directory is reported before
     the computation, and a signal during it removes the temporary.  */
  if (cli_output_prepare (a->output) != 0)
    return FADJ_EXIT_RESOURCE;
  cli_ziv_init (&z, file, net, domain, o->digits, 0, report_limit);
  z.output = a->output;
  z.stream = 1;
  job.ref = ref;
  job.o = o;
  job.per_value = a->arithmetic < 0;
  status = cli_ziv_run (&z, audit_attempt, &job);
  if (status == FADJ_EXIT_VERIFY)
    {
      if (o->failed_check)
        cli_error ("verification failed: the two-step rule and the %s "
                   "check disagree (see the report)",
                   o->check == AUDIT_CHECK_FULL ? "reverse-mode"
                   : "directional");
      if (o->failed_tolerance)
        cli_error ("the reference is off by more than the tolerance (see "
                   "the report)");
    }
  return status;
}

/* The reference type: the file's 'type' statement, --reference-type,
   or binary64; a statement and an option that disagree are an input
   error, located at the statement's type name.  Returns the exit
   status.  */
static int
resolve_reference_type (audit_args *a, const fadj_ref *ref)
{
  fadj_error err;

  if (ref->type_bits == 0)
    return FADJ_EXIT_OK;
  if (a->reftype_given && ref->type_bits != a->o.ref_bits)
    {
      err.line = ref->type_line;
      err.col = ref->type_col;
      snprintf (err.msg, sizeof err.msg, "the reference file's type is "
                "%s but --reference-type=%s was given",
                ref->type_bits == 24 ? "binary32" : "binary64",
                a->o.ref_bits == 24 ? "binary32" : "binary64");
      cli_located_error (strcmp (a->reffile, "-") == 0 ? "<stdin>"
                         : a->reffile, &err);
      return FADJ_EXIT_INPUT;
    }
  a->o.ref_bits = ref->type_bits;
  return FADJ_EXIT_OK;
}

/* Everything main does between making A and releasing it.  */
static int
run (audit_args *a, int argc, char **argv)
{
  const char *file;
  fadj_net *net = NULL;
  fadj_ref *ref = NULL;
  int status;

  status = cli_parse_options (argc, argv, options, usage, audit_option, a);
  if (status >= 0)
    return status;
  if (cli_file_operand (&file, argc, argv, optind) != 0)
    return FADJ_EXIT_INPUT;
  if (a->o.has_tolerance && a->reffile == NULL)
    {
      cli_error ("--tolerance needs --reference");
      return FADJ_EXIT_INPUT;
    }
  if (a->o.summary && a->o.format == AUDIT_CSV)
    {
      cli_error ("--summary needs --format=text or json (CSV has one row "
                 "per value; --summary's figures come from them)");
      return FADJ_EXIT_INPUT;
    }
  if (a->o.entries && a->o.format != AUDIT_JSON)
    {
      cli_error ("--entries needs --format=json");
      return FADJ_EXIT_INPUT;
    }
  if ((a->o.summary || a->o.entries) && a->reffile == NULL)
    {
      cli_error ("--%s needs --reference", a->o.summary ? "summary"
                 : "entries");
      return FADJ_EXIT_INPUT;
    }
  a->o.file = file;
  /* The weights compact: the lean interval path, the one for real layer
     sizes, needs no more (audit_net expands them for any other).  */
  status = cli_read_net (&net, file, FADJ_PARSE_COMPACT);
  if (status == FADJ_EXIT_OK && a->reffile != NULL)
    status = cli_read_ref (&ref, a->reffile, net);
  if (status == FADJ_EXIT_OK && ref != NULL)
    status = resolve_reference_type (a, ref);
  if (status == FADJ_EXIT_OK)
    status = audit_net (net, ref, file, a);
  fadj_ref_free (ref);
  fadj_net_free (net);
  return status;
}

int
main (int argc, char **argv)
{
  audit_args a;
  int status;

  cli_init ("fadj-audit");
  audit_args_init (&a);
  status = run (&a, argc, argv);
  audit_args_clear (&a);
  mpfr_free_cache ();
  fadj_decimal_free_cache ();
  return status;
}
