/* explain.c -- fadj-explain: a network file in, a LaTeX derivation of its
   F-propagation and F-adjoint out, verified against the expression
   engine's reverse mode (or, above FADJ_FULL_CHECK_MAX_PARAMS parameters
   and with --check=directional, by the directional check, without the
   scalar graph: fadj_net_full_check_p decides as for fadj-audit).

   Precision (Ziv's strategy): a rational network is derived exactly.  Any
   other is derived in interval arithmetic, starting at a precision a
   little above the printed digits; whenever a sign (relu) or the rounding
   of a printed value is not decided by the enclosures, the whole
   derivation is redone at twice the precision, up to a limit (the loop
   is cli_ziv_run, shared with fadj-audit).  Every printed digit is
   therefore certified.  */

#include "config.h"
#include "cli.h"
#include "parallel.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef HAVE_SYS_IOCTL_H
#include <sys/ioctl.h>
#endif

/* Limits of the options (fadj.h), documented in fadj-explain(1).  */
#define EXPLAIN_MAX_DIGITS FADJ_MAX_PRINT_DIGITS
#define EXPLAIN_MIN_PREC 2
#define EXPLAIN_MAX_PREC FADJ_MAX_PREC
/* Training steps and carried decimals: a document, not a training run.  */
#define EXPLAIN_MAX_STEPS 10000
#define EXPLAIN_MAX_CARRY 30
/* A worksheet: decimals of --round, centimetres of --space, and the
   bounds of an answer field (--box), in points.  */
#define EXPLAIN_MAX_ROUND 30
#define EXPLAIN_MAX_SPACE 20
#define EXPLAIN_BOX_MIN 10.0
#define EXPLAIN_BOX_MAX_WIDTH 400.0
#define EXPLAIN_BOX_MAX_HEIGHT 100.0

enum
{
  OPT_DIGITS = 256, OPT_PRECISION, OPT_FRAGMENT, OPT_INDEX, OPT_BIAS,
  OPT_STEPS, OPT_RATE, OPT_UPDATE, OPT_CARRY,
  OPT_DIAGRAM, OPT_NO_DIAGRAM, OPT_CHAIN, OPT_SYMBOLIC, OPT_BEAMER,
  OPT_WORKSHEET, OPT_KEY, OPT_MAX_SHOW, OPT_FORMAT, OPT_ARITHMETIC,
  OPT_WIDTH, OPT_NUMBERS,
  OPT_EQNUM, OPT_NO_EQNUM, OPT_SUMMARY, OPT_SHOW_STEPS, OPT_LANG,
  OPT_BEAMER_THEME, OPT_BOX, OPT_ROUND, OPT_BLANKS, OPT_SPACE, OPT_JOBS,
  OPT_CHECK
};

/* The options, in the order of --help.  */
static const cli_option options[] = {
  { "output", 'o', "FILE",
    "write the document to FILE (default: standard output);\n"
    "an existing FILE is replaced only on success", 0, 0 },
  { "digits", OPT_DIGITS, "N",
    "significant digits of inexact values (default 6,\n"
    "at most %lu); every printed digit is certified",
    EXPLAIN_MAX_DIGITS, 0 },
  { "numbers", OPT_NUMBERS, "auto|fractions|decimals",
    "the form of exact values: auto (default) writes each\n"
    "matrix of the file as the file does, a computed one\n"
    "in one form; fractions or decimals force one form\n"
    "(a decimal that does not terminate is rounded);\n"
    "inexact values are always decimals", 0, 0 },
  { "precision", OPT_PRECISION, "BITS",
    "fixed working precision of the intervals (%lu to %lu);\n"
    "default: automatic, raised until the digits are certain",
    EXPLAIN_MIN_PREC, EXPLAIN_MAX_PREC },
  { "fragment", OPT_FRAGMENT, NULL, "write the body only, for \\input", 0,
    0 },
  { "index", OPT_INDEX, "ell|h",
    "layer index letter in general formulas (default ell)", 0, 0 },
  { "bias", OPT_BIAS, "augmented|separate",
    "biases as the last column of W (default) or apart", 0, 0 },
  { "steps", OPT_STEPS, "N",
    "append N gradient-descent steps (0 to %lu; default 0)",
    EXPLAIN_MAX_STEPS, 0 },
  { "rate", OPT_RATE, "ETA",
    "learning rate of the steps, a number > 0 written as\n"
    "in the file (overrides the file's 'rate')", 0, 0 },
  { "show-steps", OPT_SHOW_STEPS, "LIST",
    "the steps written in full, such as 1-3,10 (within\n"
    "1..N of --steps, at most %lu; default 1)", FADJ_TRAIN_MAX_SHOWN, 0 },
  { "update", OPT_UPDATE, "standard|local",
    "order of the updates: every gradient from one\n"
    "F-adjoint at the old weights (default), or the\n"
    "author's local variant (W^l updated as soon as\n"
    "Y^l_* is known, X^{l-1}_* propagated with it)", 0, 0 },
  { "carry", OPT_CARRY, "D",
    "add a section that redoes the derivation rounding\n"
    "every intermediate to D decimal places (0 to %lu),\n"
    "as a hand calculation does, beside the exact values",
    EXPLAIN_MAX_CARRY, 0 },
  { "arithmetic", OPT_ARITHMETIC, "auto|exact|interval",
    "exact rationals or certified intervals (default\n"
    "auto: exact for every value that is rational)", 0, 0 },
  { "check", OPT_CHECK, "METHOD",
    "the independent check: full (the reverse mode of\n"
    "the scalar graph, every entry) or directional (one\n"
    "random direction, without the graph); default: full\n"
    "up to %lu parameters, directional above",
    FADJ_FULL_CHECK_MAX_PARAMS, 0 },
  { NULL, 0, NULL, "\nClassroom views (combine freely):", 0, 0 },
  { "diagram", OPT_DIAGRAM, "[WHAT]",
    "draw the network (TikZ); on by default except with\n"
    "--fragment.  WHAT each neuron shows: values (X^l\n"
    "inside), adjoints (and Y^l_* below it; the default)\n"
    "or full (and Y^l above it, X^l_* below)", 0, 0 },
  { "no-diagram", OPT_NO_DIAGRAM, NULL, "no picture of the network", 0, 0 },
  { "chain", OPT_CHAIN, "LAYER,ROW,COL",
    "write the scalar chain rule of the weight\n"
    "w^LAYER_{ROW,COL} (1-based; COL = N+1 is the bias)\n"
    "as a sum over paths, equal to its gradient entry;\n"
    "repeatable", 0, 0 },
  { "symbolic", OPT_SYMBOLIC, NULL,
    "every step in symbols first: entry by entry for\n"
    "layers of up to 4 neurons, with a generic index\n"
    "beyond", 0, 0 },
  { "beamer", OPT_BEAMER, "[handout]",
    "a beamer deck: one frame per step, revealed in order;\n"
    "handout: beamer's handout (no overlays), two frames\n"
    "to an A4 page", 0, 0 },
  { "beamer-theme", OPT_BEAMER_THEME, "NAME",
    "with --beamer: the beamer theme (\\usetheme{NAME});\n"
    "default: beamer's own", 0, 0 },
  { "worksheet", OPT_WORKSHEET, NULL,
    "every value to compute a numbered answer field\n"
    "(all of one size), for students", 0, 0 },
  { "key", OPT_KEY, NULL, "with --worksheet: the answer key, same layout",
    0, 0 },
  { "summary", OPT_SUMMARY, NULL,
    "add a one-page summary: Y, X, sigma', Y_*, X_* of\n"
    "every neuron in a table, and every gradient", 0, 0 },
  { "equation-numbers", OPT_EQNUM, NULL,
    "number every step's display line (1), (2), ... (the\n"
    "default, except on a beamer deck)", 0, 0 },
  { "no-equation-numbers", OPT_NO_EQNUM, NULL, "no equation numbers", 0,
    0 },
  { "blanks", OPT_BLANKS, "WHAT",
    "with --worksheet: what the student computes, a comma\n"
    "list of forward, adjoint, gradients or all (default);\n"
    "every other value is printed", 0, 0 },
  { "box", OPT_BOX, "WxH",
    "with --worksheet: the size of every answer field,\n"
    "in cm, mm, pt or in (default 2.5cmx7mm)", 0, 0 },
  { "round", OPT_ROUND, "D",
    "with --worksheet: answers rounded to D decimals (0 to\n"
    "%lu), for a hand calculation; default: --digits\n"
    "significant digits", EXPLAIN_MAX_ROUND, 0 },
  { "space", OPT_SPACE, "CM",
    "with --worksheet: room for working after each step,\n"
    "in cm (0 to %lu; default 1)", EXPLAIN_MAX_SPACE, 0 },
  { "format", OPT_FORMAT, "latex|markdown|text",
    "LaTeX (default); Markdown with $$...$$ math for\n"
    "Jupyter, GitHub and KaTeX; plain Unicode text", 0, 0 },
  { "lang", OPT_LANG, "en|fr",
    "the language of the document's prose: English\n"
    "(default) or French; never taken from the locale", 0, 0 },
  { "width", OPT_WIDTH, "N",
    "the line width of --format=text (%lu to %lu; default:\n"
    "the terminal's width when standard output is one,\n"
    "else 80); ignored by the other formats",
    FADJ_TEXT_MIN_WIDTH, FADJ_TEXT_MAX_WIDTH },
  { "max-show", OPT_MAX_SHOW, "K",
    "show at most K rows and columns of a matrix and K\n"
    "neurons of a layer, eliding the rest (default 8,\n"
    "at least 3; 0 shows everything)", 0, 0 },
  { "jobs", OPT_JOBS, "N", CLI_JOBS_HELP, FADJ_MAX_JOBS, 0 },
  { NULL, 0, NULL, NULL, 0, 0 }
};

static void
usage (void)
{
  printf ("\
Usage: %s [OPTION]... FILE...\n\
Write a LaTeX derivation of the F-propagation and F-adjoint (the two-step\n\
rule of backpropagation) of the network in FILE, checked against an\n\
independent reverse-mode derivation (a directional one for a network too\n\
large for it: --check).  With FILE '-', read standard input.\n\
With several FILEs, one document of exercises, one section per FILE in\n\
the order given (with --beamer, one part per FILE), every option\n\
applying to each.\n\
\n", cli_program);
  cli_print_options (options, 25);
  fputs ("\
\n\
Exit status: 0 done; 1 the two-step rule and the independent check\n\
disagree (the document says where); 2 usage or input error; 3 resource,\n\
precision limit or output error.  With several FILEs, the worst of theirs;\n\
on 2 or 3 nothing is written.\n\
\n\
The network file format is described in fadj-net(5).\n", stdout);
}

/* The words of the word options, in the order of their values.  */
static const char *const updates[] = { "standard", "local", NULL };
static const char *const indexes[] = { "ell", "h", NULL };
static const char *const biases[] = { "augmented", "separate", NULL };
static const char *const numbers[] = { "auto", "fractions", "decimals",
                                       NULL };
static const fadj_numbers numbers_values[] = {
  FADJ_NUMBERS_AUTO, FADJ_NUMBERS_FRACTIONS, FADJ_NUMBERS_DECIMALS
};
static const char *const beamer_forms[] = { "handout", NULL };
static const char *const formats[] = { "latex", "markdown", "text", NULL };
static const char *const langs[] = { "en", "fr", NULL };
static const char *const checks[] = { "full", "directional", NULL };
static const char *const diagram_shows[] = { "values", "adjoints", "full",
                                             NULL };
static const unsigned diagram_show_flags[] = {
  FADJ_LATEX_DIAGRAM_VALUES, 0, FADJ_LATEX_DIAGRAM_FULL
};
static const fadj_format format_values[] = {
  FADJ_FORMAT_LATEX, FADJ_FORMAT_MARKDOWN, FADJ_FORMAT_TEXT
};

/* The options that only set a flag of the document.  */
static const struct
{
  int id;
  unsigned flag;
} flag_options[] = {
  { OPT_FRAGMENT, FADJ_LATEX_FRAGMENT },
  { OPT_SYMBOLIC, FADJ_LATEX_SYMBOLIC },
  { OPT_WORKSHEET, FADJ_LATEX_WORKSHEET },
  { OPT_KEY, FADJ_LATEX_KEY },
  { OPT_SUMMARY, FADJ_LATEX_SUMMARY },
  { OPT_EQNUM, FADJ_LATEX_EQNUM },
  { 0, 0 }
};

/* Set FLAG in *FLAGS if ON, else clear it.  */
static void
set_flag (unsigned *flags, unsigned flag, int on)
{
  if (on)
    *flags |= flag;
  else
    *flags &= ~flag;
}

/* The most --chain options.  */
#define EXPLAIN_MAX_CHAINS 64

/* What the command line asks: the document's form (LATEX) and the rest.
   Made by explain_opts_init, released by explain_opts_clear.  */
typedef struct
{
  fadj_latex_opts latex;
  const char *output;     /* -o, or NULL for standard output */
  long fixed_prec;        /* 0: automatic */
  long steps;
  int has_rate;
  mpq_t rate;             /* --rate, else the file's */
  fadj_update update;
  long carry;             /* -1: none */
  fadj_format fmt;        /* LaTeX, or translated from it */
  long width;             /* --width, or 0 until settle_options */
  int arithmetic;         /* -1 auto, else the fadj_domain asked for */
  int diagram;            /* -1: the default for the document */
  fadj_latex_chain chains[EXPLAIN_MAX_CHAINS];  /* LATEX's */
  const char *show_arg;   /* --show-steps, read once --steps is known */
  size_t show[FADJ_TRAIN_MAX_SHOWN];  /* the steps written in full */
  size_t nshow;           /* 0: step 1 alone */
  int undecided_sign;     /* the last attempt stopped in the derivation
                             (a sign it branches on), not at a printed
                             digit: fewer digits would not help */
  char undecided[48];     /* else the value whose digits stayed
                             undecided (fadj_zero_log), or "" */
  /* Several files: the document of a set of exercises.  */
  size_t exercise;        /* 0: one network; else its number, from 1 */
  const char *file;       /* its file */
  const fadj_net *const *set;   /* the set's networks, NSET of them */
  size_t nset;
  int worksheet_opts;     /* an option of --worksheet was given */
  char *ws_options;       /* the options printed on a worksheet (owned) */
  int check;              /* --check: -1 automatic, 0 full, 1 directional */
  int directional;        /* the network being derived is checked by the
                             directional check (derive_net) */
  size_t undecided_step;  /* the last attempt gave up at the loss after
                             this training step (fadj_train_show), or 0 */
} explain_opts;

static void
explain_opts_init (explain_opts *eo)
{
  memset (eo, 0, sizeof *eo);
  fadj_latex_opts_init (&eo->latex);
  eo->latex.max_show = 8;
  /* A lecturer says "look at (7)": numbered unless asked not to.  */
  eo->latex.flags |= FADJ_LATEX_EQNUM;
  mpq_init (eo->rate);
  eo->update = FADJ_UPDATE_STANDARD;
  eo->carry = -1;
  eo->fmt = FADJ_FORMAT_LATEX;
  eo->arithmetic = -1;
  eo->diagram = -1;
  eo->check = -1;
}

static void
explain_opts_clear (explain_opts *eo)
{
  mpq_clear (eo->rate);
  free (eo->ws_options);
}

/* The LaTeX of T into OUT: the document of one network, or in a set
   exercise EO->exercise (after the head of the document, for the
   first).  */
static fadj_status
write_latex (fadj_buf *out, const fadj_trace *t,
             const fadj_latex_results *res, const explain_opts *eo)
{
  const fadj_latex_opts *opts = &eo->latex;
  const fadj_net *net = t->net;
  fadj_status st = FADJ_OK;

  if (eo->exercise == 0)
    return fadj_latex_write (out, t, opts, res);
  if (eo->exercise == 1)
    st = fadj_latex_write_set_begin (out, t, opts, eo->set, eo->nset);
  if (st == FADJ_OK)
    st = fadj_latex_write_exercise (out, t, opts, res, eo->exercise,
                                    eo->file, net->has_gen_seed,
                                    net->gen_seed);
  return st;
}

/* Write the document of T, with what the derivation produced beside it
   (RES), into OUT, as EO asks.  */
/* pdflatex reads lines of at most 200000 characters, and a wide matrix
   written whole (--max-show=0) is one line of megabytes: the LaTeX and
   Markdown documents are broken into lines as they are written
   (tex-wrap.h).  The text format lays out its own lines.  */
static void
wrap_output (const explain_opts *eo)
{
  if (eo->fmt != FADJ_FORMAT_TEXT)
    cli_output_wrap ();
}

static fadj_status
write_document (fadj_buf *out, const fadj_trace *t,
                const fadj_latex_results *res, const explain_opts *eo)
{
  fadj_status st;

  if (eo->fmt == FADJ_FORMAT_LATEX)
    st = write_latex (out, t, res, eo);
  else
    {
      /* Markdown and text are the LaTeX document, translated.  */
      fadj_buf *tex = fadj_buf_new ();
      st = tex == NULL ? FADJ_ERR_NOMEM
           : write_latex (tex, t, res, eo);
      if (st == FADJ_OK)
        {
          size_t n;
          const char *d = fadj_buf_data (tex, &n);
          /* The text layout's labels ("column 3:") in the document's
             language.  */
          int before = fadj_lang_begin (eo->latex.lang);
          /* A set's exercises are translated one by one: a blank
             line between them.  */
          if (eo->exercise > 1)
            fadj_buf_puts (out, "\n");
          st = fadj_format_convert (out, d, n, eo->fmt,
                                    (size_t) eo->width);
          fadj_lang_end (before);
        }
      fadj_buf_free (tex);
    }
  if (st == FADJ_OK)
    st = fadj_buf_status (out);
  return st;
}

/* Each written chain rule is one more check: its sum over paths
   (check-chain.c) must be the gradient's entry.  Clears *AGREE, after
   saying which, if one is not.  */
static void
report_chains (int *agree, const fadj_latex_results *res,
               const fadj_latex_opts *opts)
{
  size_t k;

  for (k = 0; k < opts->nchains; k++)
    if (!res->chains[k].agree)
      {
        const fadj_latex_chain *c = opts->chains + k;
        cli_error ("the chain rule of w^%zu_{%zu,%zu} "
                   "disagrees with the two-step rule",
                   c->layer, c->row, c->col);
        *agree = 0;
      }
}

/* The precision to retry a training at, after an attempt at PREC bits
   gave up at the loss after step K of N, at DIGITS digits.  The bits an
   interval trajectory needs grow about linearly with the step, from
   some 3.33 DIGITS at step 0: each step's enclosures widen those of the
   next, and a loss that converges needs more of them at each step to
   show its digits.  So N steps need about 3.33 DIGITS + (PREC - 3.33
   DIGITS) N / K bits, with an eighth more for the guess; at least twice
   PREC, as Ziv's loop would take, and at most four times (a guess from
   a few steps may be far off).  */
static long
train_retry_prec (long prec, size_t k, long n, int digits)
{
  double base = 3.33 * digits, need;

  if (k == 0 || (double) prec <= base)
    return 2 * prec;
  need = (base + ((double) prec - base) * (double) n / (double) k) * 1.125;
  if (need < 2.0 * (double) prec)
    return 2 * prec;
  if (need > 4.0 * (double) prec)
    return 4 * prec;
  return (long) need;
}

/* One attempt of Ziv's loop (cli_ziv_attempt): derive the network, with
   the steps and the carried derivation the options ask for, and write
   the document into OUT.  */
static fadj_status
explain_attempt (cli_ziv_result *r, fadj_buf *out, const fadj_net *net,
                 const fadj_ctx *ctx, void *arg)
{
  explain_opts *eo = arg;
  fadj_trace *t = NULL, *carried = NULL;
  fadj_training *tr = NULL;
  fadj_latex_results res;
  fadj_trace_opts topts;
  fadj_status st;

  fadj_trace_opts_init (&topts);
  topts.where = &r->where;
  /* The directional check needs no scalar graph, whose memory grows
     with the parameters; the writers read the stored gradients.  */
  if (eo->directional)
    topts.flags = FADJ_TRACE_GRADIENTS | FADJ_TRACE_DIRECTIONAL;
  topts.stopped = &r->stopped;
  fadj_latex_results_init (&res);
  st = fadj_trace_compute_opts (&t, net, ctx, &topts);
  eo->undecided_sign = st == FADJ_UNDECIDED;
  eo->undecided_step = 0;
  /* --arithmetic=auto: exactness per value, before the steps, which
     carry it on (fadj_train); an interval forced by
     --arithmetic=interval stays one everywhere.  */
  if (st == FADJ_OK && eo->arithmetic < 0)
    st = fadj_trace_exact_values (t);
  if (st == FADJ_OK && eo->steps > 0)
    {
      /* Every loss of the training is printed to --digits (the loss
         table): one that is not decided ends the attempt there.  */
      st = fadj_train_show (&tr, t, (size_t) eo->steps, eo->rate,
                            eo->update, eo->show, eo->nshow,
                            eo->latex.digits);
      if (st == FADJ_UNDECIDED && tr != NULL)
        {
          eo->undecided_step = tr->undecided_step;
          r->next_prec = train_retry_prec ((long) ctx->prec,
                                           tr->undecided_step, eo->steps,
                                           eo->latex.digits);
        }
      if (st == FADJ_ERR_DOMAIN && tr != NULL)
        {
          if (tr->fail_step > 0)
            snprintf (r->when, sizeof r->when, " after training step %zu",
                      tr->fail_step);
          r->where = tr->where;
        }
    }
  if (st == FADJ_OK && eo->carry >= 0)
    {
      topts.carry = (int) eo->carry;
      st = fadj_trace_compute_opts (&carried, net, ctx, &topts);
      if (st == FADJ_ERR_DOMAIN)
        snprintf (r->when, sizeof r->when, " once rounded to %ld decimal "
                  "place%s (--carry)", eo->carry, eo->carry == 1 ? "" : "s");
    }
  if (st == FADJ_OK)
    {
      res.training = tr;
      res.carried = carried;
      st = fadj_chain_check (&res, t, eo->latex.nchains, eo->latex.chains);
    }
  if (st == FADJ_OK)
    {
      fadj_zero_log zeros;
      fadj_zero_log_init (&zeros);
      eo->latex.zeros = &zeros;
      st = write_document (out, t, &res, eo);
      eo->latex.zeros = NULL;
      r->zeros = zeros.count;
      memcpy (eo->undecided, zeros.undecided, sizeof eo->undecided);
    }
  if (st == FADJ_OK)
    {
      int agree = t->check.agree && (tr == NULL || tr->check.agree);
      report_chains (&agree, &res, &eo->latex);
      r->exit_status = agree ? FADJ_EXIT_OK : FADJ_EXIT_VERIFY;
    }
  fadj_latex_results_clear (&res);
  fadj_training_free (tr);
  fadj_trace_free (carried);
  fadj_trace_free (t);
  return st;
}

/* The message of Ziv's loop at its limit (cli_ziv's report_limit).  */
static void
report_limit (const cli_ziv *z, const fadj_ctx *ctx, void *arg)
{
  const explain_opts *eo = arg;
  /* In a set, the file the message is about.  */
  const char *file = eo->exercise ? z->file : "";
  const char *colon = eo->exercise ? ": " : "";

  if (eo->undecided_sign)
    cli_report_undecided_sign (z, (long) ctx->prec, file, colon, 1);
  else if (eo->undecided_step > 0)
    /* Where the trajectory ran out of precision: the steps before it
       are certified at this precision, the later ones need more.  */
    cli_error ("%s%sthe loss after training step %zu needs more than %ld "
               "bits of working precision to certify its %d digits (an "
               "enclosure of the weights widens at each step, and a "
               "loss that converges needs more digits of them); %s",
               file, colon, eo->undecided_step, (long) ctx->prec,
               eo->latex.digits, z->fixed_prec
               ? "raise --precision, or lower --steps or --digits"
               : "lower --steps or --digits");
  else if (z->fixed_prec)
    cli_error ("%s%s%ld bits of working precision are not enough to "
               "certify every printed digit; raise --precision or "
               "lower --digits", file, colon, (long) ctx->prec);
  else if (eo->arithmetic == FADJ_INTERVAL)
    /* An exact rational on a rounding boundary: no enclosure decides
       it, exact arithmetic does at once.  */
    cli_error ("%s%scould not certify the digits of %s%s within %ld "
               "bits of working precision: it sits on a rounding "
               "boundary, which --arithmetic=interval cannot decide; "
               "--arithmetic=auto decides it if it is rational, or "
               "lower --digits", file, colon, eo->undecided[0] ? "the value " : "",
               eo->undecided[0] ? eo->undecided : "a printed value",
               (long) z->max_prec);
  else
    cli_error ("%s%scould not certify the digits of %s%s within %ld "
               "bits of working precision: a value reached through the "
               "cancellation of irrational ones sits on a rounding "
               "boundary at --digits=%d; lower --digits", file, colon,
               eo->undecided[0] ? "the value " : "",
               eo->undecided[0] ? eo->undecided : "a printed value",
               (long) z->max_prec, eo->latex.digits);
}

/* --chain=LAYER,ROW,COL: one more chain rule in EO.  */
static int
parse_chain (explain_opts *eo, const char *arg)
{
  fadj_latex_opts *opts = &eo->latex;
  unsigned long a, b, c;
  int n = -1;

  if (sscanf (arg, "%lu,%lu,%lu%n", &a, &b, &c, &n) != 3
      || n < 0 || arg[n] != '\0' || arg[0] == '-'
      || a == 0 || b == 0 || c == 0)
    {
      cli_invalid_value ("--chain", arg, "expected LAYER,ROW,COL "
                         "(1-based)");
      return -1;
    }
  if (opts->nchains == EXPLAIN_MAX_CHAINS)
    {
      cli_error ("more than %d --chain options", EXPLAIN_MAX_CHAINS);
      return -1;
    }
  eo->chains[opts->nchains].layer = a;
  eo->chains[opts->nchains].row = b;
  eo->chains[opts->nchains].col = c;
  opts->nchains++;
  opts->chains = eo->chains;
  return 0;
}

/* One length of --box at *S ("2.5cm", "7mm", "20pt", "1in") in points
   into *PT; *S moved past it.  Returns 0, or -1 if it is not one.  */
static int
parse_length (double *pt, const char **s)
{
  static const struct { const char *unit; double pt; } units[] = {
    { "cm", 72.27 / 2.54 }, { "mm", 72.27 / 25.4 }, { "pt", 1.0 },
    { "in", 72.27 },
  };
  char *e;
  double v = strtod (*s, &e);
  size_t k;

  if (e == *s || **s == '-' || **s == '+' || !(v > 0))
    return -1;
  for (k = 0; k < sizeof units / sizeof units[0]; k++)
    if (strncmp (e, units[k].unit, 2) == 0)
      {
        *pt = v * units[k].pt;
        *s = e + 2;
        return 0;
      }
  return -1;
}

/* --box=WIDTHxHEIGHT into OPTS.  */
static int
parse_box (fadj_latex_opts *opts, const char *arg)
{
  const char *s = arg;
  double wd, ht;

  if (parse_length (&wd, &s) != 0 || *s++ != 'x'
      || parse_length (&ht, &s) != 0 || *s != '\0')
    {
      cli_invalid_value ("--box", arg, "expected WIDTHxHEIGHT, each a "
                         "number and a unit (cm, mm, pt, in), such as "
                         "3cmx8mm");
      return -1;
    }
  if (wd < EXPLAIN_BOX_MIN || wd > EXPLAIN_BOX_MAX_WIDTH
      || ht < EXPLAIN_BOX_MIN || ht > EXPLAIN_BOX_MAX_HEIGHT)
    {
      cli_invalid_value ("--box", arg, "a field is 10pt (3.5mm) to 14cm "
                         "wide and 10pt to 3.5cm high");
      return -1;
    }
  opts->box_width = wd;
  opts->box_height = ht;
  return 0;
}

/* --blanks=forward,adjoint,gradients,all into OPTS's flags.  */
static int
parse_blanks (fadj_latex_opts *opts, const char *arg)
{
  static const char *const parts[] = { "forward", "adjoint", "gradients",
                                       "all", NULL };
  static const unsigned bits[] = {
    FADJ_LATEX_BLANK_FORWARD, FADJ_LATEX_BLANK_ADJOINT,
    FADJ_LATEX_BLANK_GRADIENTS, FADJ_LATEX_BLANK_FORWARD
    | FADJ_LATEX_BLANK_ADJOINT | FADJ_LATEX_BLANK_GRADIENTS
  };
  const char *p = arg;
  unsigned got = 0;

  for (;;)
    {
      size_t n = strcspn (p, ","), k;
      for (k = 0; parts[k] != NULL; k++)
        if (strlen (parts[k]) == n && strncmp (p, parts[k], n) == 0)
          break;
      if (parts[k] == NULL)
        {
          cli_invalid_value ("--blanks", arg, "expected a comma list of "
                             "forward, adjoint, gradients or all");
          return -1;
        }
      got |= bits[k];
      if (p[n] == '\0')
        break;
      p += n + 1;
    }
  opts->flags &= ~(unsigned) bits[3];
  opts->flags |= got;
  return 0;
}

/* Take the option ID with its argument ARG into EO (cli_option_fn).
   Its cases have the shape of the other programs' handlers (an
   option, a cli_parse_* call, a field) by design: the loop, --help,
   --version and the parsing of values are cli.c's, the options and
   the fields they set are this program's.  */
static int
explain_option (int id, const char *arg, void *ctx)
{
  explain_opts *eo = ctx;
  fadj_latex_opts *opts = &eo->latex;
  long v;
  int k;

  switch (id)
    {
    case 'o':
      eo->output = arg;
      return 0;
    case OPT_DIGITS:
      return cli_parse_int (&opts->digits, "--digits", arg, 1,
                            EXPLAIN_MAX_DIGITS);
    case OPT_NUMBERS:
      if (cli_parse_word (&k, "--numbers", arg, numbers))
        return -1;
      opts->numbers = numbers_values[k];
      return 0;
    case OPT_PRECISION:
      return cli_parse_long (&eo->fixed_prec, "--precision", arg,
                             EXPLAIN_MIN_PREC, EXPLAIN_MAX_PREC);
    case OPT_STEPS:
      return cli_parse_long (&eo->steps, "--steps", arg, 0,
                             EXPLAIN_MAX_STEPS);
    case OPT_SHOW_STEPS:
      eo->show_arg = arg;
      return 0;
    case OPT_CARRY:
      return cli_parse_long (&eo->carry, "--carry", arg, 0,
                             EXPLAIN_MAX_CARRY);
    case OPT_RATE:
      if (cli_parse_rational (eo->rate, "--rate", arg, 1, "a positive "
                              "number such as 0.5, 1/2 or 5e-1"))
        return -1;
      eo->has_rate = 1;
      return 0;
    case OPT_UPDATE:
      if (cli_parse_word (&k, "--update", arg, updates))
        return -1;
      eo->update = k ? FADJ_UPDATE_LOCAL : FADJ_UPDATE_STANDARD;
      return 0;
    case OPT_INDEX:
      if (cli_parse_word (&k, "--index", arg, indexes))
        return -1;
      set_flag (&opts->flags, FADJ_LATEX_INDEX_H, k);
      return 0;
    case OPT_BIAS:
      if (cli_parse_word (&k, "--bias", arg, biases))
        return -1;
      set_flag (&opts->flags, FADJ_LATEX_BIAS_SEPARATE, k);
      return 0;
    case OPT_FORMAT:
      if (cli_parse_word (&k, "--format", arg, formats))
        return -1;
      eo->fmt = format_values[k];
      return 0;
    case OPT_LANG:
      if (cli_parse_word (&k, "--lang", arg, langs))
        return -1;
      opts->lang = langs[k];
      return 0;
    case OPT_ARITHMETIC:
      return cli_parse_arithmetic (&eo->arithmetic, arg);
    case OPT_CHECK:
      return cli_parse_word (&eo->check, "--check", arg, checks);
    case OPT_JOBS:
      return cli_parse_jobs (arg);
    case OPT_WIDTH:
      return cli_parse_long (&eo->width, "--width", arg, FADJ_TEXT_MIN_WIDTH,
                             FADJ_TEXT_MAX_WIDTH);
    case OPT_DIAGRAM:
      /* --diagram=WHAT; a bare --diagram keeps what was asked.  */
      if (arg != NULL)
        {
          if (cli_parse_word (&k, "--diagram", arg, diagram_shows))
            return -1;
          opts->flags &= ~(unsigned) (FADJ_LATEX_DIAGRAM_VALUES
                                      | FADJ_LATEX_DIAGRAM_FULL);
          opts->flags |= diagram_show_flags[k];
        }
      eo->diagram = 1;
      return 0;
    case OPT_NO_DIAGRAM:
      eo->diagram = 0;
      return 0;
    case OPT_NO_EQNUM:
      opts->flags &= ~(unsigned) FADJ_LATEX_EQNUM;
      return 0;
    case OPT_BEAMER:
      if (arg != NULL && cli_parse_word (&k, "--beamer", arg, beamer_forms))
        return -1;
      opts->flags |= FADJ_LATEX_BEAMER;
      set_flag (&opts->flags, FADJ_LATEX_BEAMER_HANDOUT, arg != NULL);
      return 0;
    case OPT_BEAMER_THEME:
      /* A name, never TeX: it goes into \usetheme{...} as it is.  */
      for (k = 0; arg[k] != '\0'; k++)
        if (!isalnum ((unsigned char) arg[k]))
          break;
      if (k == 0 || arg[k] != '\0')
        {
          cli_invalid_value ("--beamer-theme", arg, "a theme's name, "
                             "letters and digits such as Madrid");
          return -1;
        }
      opts->beamer_theme = arg;
      return 0;
    case OPT_CHAIN:
      return parse_chain (eo, arg);
    case OPT_BOX:
      eo->worksheet_opts = 1;
      return parse_box (opts, arg);
    case OPT_BLANKS:
      eo->worksheet_opts = 1;
      return parse_blanks (opts, arg);
    case OPT_ROUND:
      eo->worksheet_opts = 1;
      return cli_parse_int (&opts->round, "--round", arg, 0,
                            EXPLAIN_MAX_ROUND);
    case OPT_SPACE:
      {
        mpq_t q;
        int bad;
        eo->worksheet_opts = 1;
        mpq_init (q);
        bad = cli_parse_rational (q, "--space", arg, 0, "a length in cm "
                                  "such as 1, 1.5 or 0")
              || mpq_cmp_ui (q, EXPLAIN_MAX_SPACE, 1) > 0;
        if (!bad)
          opts->space = mpq_get_d (q);
        else if (mpq_cmp_ui (q, EXPLAIN_MAX_SPACE, 1) > 0)
          cli_invalid_value ("--space", arg, "at most 20 (cm)");
        mpq_clear (q);
        return bad ? -1 : 0;
      }
    case OPT_MAX_SHOW:
      if (cli_parse_long (&v, "--max-show", arg, 0, 1000000))
        return -1;
      if (v > 0 && v < 3)
        {
          cli_invalid_value ("--max-show", arg, "0, or at least 3");
          return -1;
        }
      opts->max_show = (size_t) v;
      return 0;
    default:
      /* The options that set a flag of the document.  */
      for (k = 0; flag_options[k].id != 0; k++)
        if (flag_options[k].id == id)
          opts->flags |= flag_options[k].flag;
      return 0;
    }
}

/* The width of text written to OUTPUT (-o, NULL for standard output):
   the terminal's, within the bounds of --width, when it is standard
   output and a terminal; else the default.  Nothing else (COLUMNS, the
   locale) enters it, so that output that is not a terminal's is the
   same wherever it is made.  */
static long
default_width (const char *output)
{
  long w = FADJ_TEXT_DEFAULT_WIDTH;
#if defined(HAVE_SYS_IOCTL_H) && defined(TIOCGWINSZ)
  struct winsize ws;

  if ((output == NULL || strcmp (output, "-") == 0) && isatty (STDOUT_FILENO)
      && ioctl (STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    {
      w = ws.ws_col;
      if (w < FADJ_TEXT_MIN_WIDTH)
        w = FADJ_TEXT_MIN_WIDTH;
      if (w > FADJ_TEXT_MAX_WIDTH)
        w = FADJ_TEXT_MAX_WIDTH;
    }
#else
  (void) output;
#endif
  return w;
}

/* --show-steps=LIST, numbers and ranges A-B separated by commas, each
   within 1..--steps: the steps in increasing order into EO->show.
   Returns 0, or -1 after printing why.  */
static int
parse_show_steps (explain_opts *eo)
{
  const char *arg = eo->show_arg, *p = arg;
  unsigned char *on;
  size_t k;
  int bad = 0, need = 1;        /* a number must come next */

  if (eo->steps < 1)
    {
      cli_invalid_value ("--show-steps", arg, "there are no training "
                         "steps (--steps=N, N >= 1)");
      return -1;
    }
  on = calloc ((size_t) eo->steps + 1, 1);
  if (on == NULL)
    {
      cli_error ("out of memory");
      return -1;
    }
  while (!bad)
    {
      char *e;
      long a, b;
      if (*p < '0' || *p > '9')
        break;
      a = b = strtol (p, &e, 10);
      if (*e == '-' && e[1] >= '0' && e[1] <= '9')
        b = strtol (e + 1, &e, 10);
      bad = a < 1 || b < a || b > eo->steps;
      for (; !bad && a <= b; a++)
        on[a] = 1;
      need = 0;
      p = e;
      if (*p != ',')
        break;
      need = 1;
      p++;
    }
  if (bad || need || *p != '\0')
    {
      cli_invalid_value ("--show-steps", arg, "expected step numbers and "
                         "ranges such as 1-3,10, each within 1..%ld "
                         "(--steps)", eo->steps);
      free (on);
      return -1;
    }
  eo->nshow = 0;
  for (k = 1; k <= (size_t) eo->steps; k++)
    if (on[k])
      {
        if (eo->nshow == FADJ_TRAIN_MAX_SHOWN)
          {
            cli_invalid_value ("--show-steps", arg, "at most %d steps can "
                               "be written in full", FADJ_TRAIN_MAX_SHOWN);
            free (on);
            return -1;
          }
        eo->show[eo->nshow++] = k;
      }
  free (on);
  return 0;
}

/* Check the options that do not combine, and settle the document's form
   (the diagram, the fragment a translation starts from) and the text's
   width.  Returns 0, or -1 after printing why.  */
static int
settle_options (explain_opts *eo)
{
  fadj_latex_opts *opts = &eo->latex;

  if ((opts->flags & FADJ_LATEX_KEY) && !(opts->flags & FADJ_LATEX_WORKSHEET))
    {
      cli_error ("--key needs --worksheet (the key of a worksheet)");
      return -1;
    }
  if (opts->beamer_theme != NULL && !(opts->flags & FADJ_LATEX_BEAMER))
    {
      cli_error ("--beamer-theme needs --beamer (the theme of a deck)");
      return -1;
    }
  if (eo->worksheet_opts && !(opts->flags & FADJ_LATEX_WORKSHEET))
    {
      cli_error ("--blanks, --box, --round and --space are for a "
                 "worksheet: add --worksheet");
      return -1;
    }
  if ((opts->flags & FADJ_LATEX_WORKSHEET) && eo->fmt == FADJ_FORMAT_MARKDOWN)
    {
      cli_error ("--worksheet writes its answer fields as LaTeX boxes, "
                 "which Markdown renderers do not draw: use "
                 "--format=latex or --format=text");
      return -1;
    }
  if ((opts->flags & FADJ_LATEX_BEAMER) && (opts->flags & FADJ_LATEX_FRAGMENT))
    {
      cli_error ("--beamer writes a whole deck: it does not combine with "
                 "--fragment");
      return -1;
    }
  if ((opts->flags & FADJ_LATEX_BEAMER) && (opts->flags & FADJ_LATEX_SUMMARY))
    {
      cli_error ("--summary is a handout's page: it does not combine with "
                 "--beamer");
      return -1;
    }
  if (eo->fmt != FADJ_FORMAT_LATEX)
    {
      if (opts->flags & FADJ_LATEX_BEAMER)
        {
          cli_error ("--beamer is a LaTeX deck: it does not combine with "
                     "--format=%s", eo->fmt == FADJ_FORMAT_TEXT ? "text"
                     : "markdown");
          return -1;
        }
      if (eo->diagram == 1)
        {
          cli_error ("--diagram is a TikZ picture: LaTeX only");
          return -1;
        }
      /* The translation starts from the body of the document.  */
      opts->flags |= FADJ_LATEX_FRAGMENT;
      if (eo->fmt == FADJ_FORMAT_TEXT)
        opts->flags |= FADJ_LATEX_FOR_TEXT;
      eo->diagram = 0;
    }
  if (eo->show_arg != NULL && parse_show_steps (eo))
    return -1;
  if (eo->width == 0)
    eo->width = default_width (eo->output);
  /* The picture is on by default where the preamble is ours.  */
  if (eo->diagram == 1
      || (eo->diagram == -1 && !(opts->flags & FADJ_LATEX_FRAGMENT)))
    opts->flags |= FADJ_LATEX_DIAGRAM;
  return 0;
}

/* Check, before any derivation, that every --chain of OPTS names a
   weight of NET with few enough paths; FILE (NULL for a document of one
   network) names NET in the messages.  Returns 0, or the exit status
   after printing why.  */
static int
check_chain_weights (const fadj_net *net, const fadj_latex_opts *opts,
                     const char *file)
{
  const char *colon = file != NULL ? ": " : "";
  size_t k;

  if (file == NULL)
    file = "";

  for (k = 0; k < opts->nchains; k++)
    {
      const fadj_latex_chain *c = opts->chains + k;
      fadj_status st = fadj_chain_validate (net, c);
      if (st == FADJ_OK)
        continue;
      if (st == FADJ_ERR_LIMIT)
        {
          cli_error ("%s%s--chain=%zu,%zu,%zu: the chain rule of this "
                     "weight has more than %d paths (each sample times the "
                     "neurons of every layer above it, and a softmax's "
                     "pairs); choose a weight of a later layer", file, colon,
                     c->layer, c->row, c->col, FADJ_CHAIN_MAX_PATHS);
          return FADJ_EXIT_RESOURCE;
        }
      cli_error ("%s%s--chain=%zu,%zu,%zu: the network has no such "
                 "weight (layers 1 to %zu; row up to N_l, column up "
                 "to N_{l-1}, or N_{l-1} + 1 for a bias)", file, colon,
                 c->layer, c->row, c->col, net->nlayers);
      return FADJ_EXIT_INPUT;
    }
  return 0;
}

/* The learning rate of NET's document into EO: --rate (RATE_OPTION),
   else the file's 'rate', else none.  */
static void
take_rate (explain_opts *eo, const fadj_net *net, int rate_option)
{
  if (!rate_option)
    eo->has_rate = 0;
  if (!eo->has_rate && net->has_rate)
    {
      mpq_set (eo->rate, net->rate);
      eo->has_rate = 1;
    }
}

/* Check that the options EO asks apply to NET, read from FILE, as far as
   can be known before deriving it; IN_SET: one exercise of a set, named
   in every message.  Returns 0, or the exit status after printing
   why.  */
static int
check_net (const fadj_net *net, const char *file, const explain_opts *eo,
           int in_set)
{
  int status;

  if (eo->steps > 0 && !eo->has_rate)
    {
      cli_error ("--steps needs a learning rate: a 'rate' statement in "
                 "%s or --rate", file);
      return FADJ_EXIT_INPUT;
    }
  if ((status = check_chain_weights (net, &eo->latex,
                                     in_set ? file : NULL)) != 0)
    return status;
  if (in_set)
    {
      /* Checked here too, in a set (a single network's is checked when
         derived); cli_choose_domain's message does not say which
         network: say it first.  */
      fadj_domain d;
      if (eo->arithmetic == FADJ_EXACT && fadj_net_domain (net) != FADJ_EXACT)
        cli_error ("%s: a map of this network is not rational", file);
      if (cli_choose_domain (&d, eo->arithmetic, net) != 0)
        return FADJ_EXIT_INPUT;
    }
  return 0;
}

/* Ziv's loop for NET, read from FILE, as EO asks: into OUT if not NULL
   (an exercise of a set), else written to -o.  Returns the exit
   status.  */
static int
derive_net (fadj_buf *out, const fadj_net *net, const char *file,
            explain_opts *eo)
{
  cli_ziv z;
  fadj_domain domain;
  int status;

  if (cli_choose_domain (&domain, eo->arithmetic, net) != 0)
    return FADJ_EXIT_INPUT;
  /* Decided per network, as fadj-audit decides.  */
  eo->directional = eo->check < 0 ? !fadj_net_full_check_p (net)
                    : eo->check == 1;
  cli_ziv_init (&z, file, net, domain, eo->latex.digits, eo->fixed_prec,
                report_limit);
  z.output = eo->output;
  z.exact_how = "--digits=N or --precision=BITS";
  if (out != NULL)
    status = cli_ziv_run_into (out, &z, explain_attempt, eo);
  else
    status = cli_ziv_run (&z, explain_attempt, eo);
  if (status == FADJ_EXIT_VERIFY)
    cli_error ("%s%sverification failed: the two-step rule and the "
               "%s check disagree (see the document)",
               out != NULL ? file : "", out != NULL ? ": " : "",
               eo->directional ? "directional" : "reverse-mode");
  return status;
}

/* Explain NET, read from FILE, as EO asks.  Returns the exit status.  */
static int
explain_net (const fadj_net *net, const char *file, explain_opts *eo)
{
  int status;

  take_rate (eo, net, 1);
  if ((status = check_net (net, file, eo, 0)) != 0)
    return status;
  if (cli_output_prepare (eo->output) != 0)
    return FADJ_EXIT_RESOURCE;
  return derive_net (NULL, net, file, eo);
}

/* The worse of two exit statuses: the larger (0 done, 1 disagreement,
   2 input, 3 resource).  */
static int
worse (int a, int b)
{
  return a > b ? a : b;
}

/* Derive the N networks NETS, read from FILES, one after the other, each
   written as an exercise of one document into DOC and its trace freed
   before the next.  Returns the worst exit status; stops at the first
   that is 2 or 3.  */
static int
derive_set (fadj_buf *doc, fadj_net *const *nets, char *const *files,
            size_t n, explain_opts *eo, int rate_option)
{
  fadj_buf *sec = fadj_buf_new ();
  int status = FADJ_EXIT_OK;
  size_t k;

  if (sec == NULL)
    return cli_exit_for_status (FADJ_ERR_NOMEM);
  eo->set = (const fadj_net *const *) nets;
  eo->nset = n;
  for (k = 0; k < n && status <= FADJ_EXIT_VERIFY; k++)
    {
      eo->exercise = k + 1;
      eo->file = files[k];
      take_rate (eo, nets[k], rate_option);
      status = worse (status, derive_net (sec, nets[k], files[k], eo));
      if (status <= FADJ_EXIT_VERIFY)
        {
          size_t len;
          const char *d = fadj_buf_data (sec, &len);
          fadj_buf_put_mem (doc, d, len);
          if (fadj_buf_status (doc) != FADJ_OK)
            status = cli_output_failed () ? FADJ_EXIT_RESOURCE
                     : cli_exit_for_status (fadj_buf_status (doc));
        }
    }
  fadj_buf_free (sec);
  return status;
}

/* Explain the N networks of FILES as one document of exercises, as EO
   asks.  Every file is read and checked before anything is derived,
   each error reported; nothing is written unless every exercise is
   derived.  Returns the worst exit status.  */
static int
explain_set (char *const *files, size_t n, explain_opts *eo)
{
  fadj_net **nets = calloc (n, sizeof *nets);
  fadj_buf *doc = NULL;
  int rate_option = eo->has_rate, status = FADJ_EXIT_OK;
  size_t k, stdin_uses = 0;

  if (nets == NULL)
    return cli_exit_for_status (FADJ_ERR_NOMEM);
  for (k = 0; k < n; k++)
    if (strcmp (files[k], "-") == 0)
      stdin_uses++;
  if (stdin_uses > 1)
    {
      cli_error ("standard input ('-') can be read once: give it as one "
                 "file at most");
      free (nets);
      return FADJ_EXIT_INPUT;
    }
  for (k = 0; k < n; k++)
    {
      int st = cli_read_net (&nets[k], files[k], 0);
      if (st == FADJ_EXIT_OK)
        {
          take_rate (eo, nets[k], rate_option);
          st = check_net (nets[k], files[k], eo, 1);
        }
      status = worse (status, st);
    }
  if (status == FADJ_EXIT_OK && cli_output_prepare (eo->output) != 0)
    status = FADJ_EXIT_RESOURCE;
  if (status == FADJ_EXIT_OK && (doc = fadj_buf_new ()) == NULL)
    status = cli_exit_for_status (FADJ_ERR_NOMEM);
  if (status == FADJ_EXIT_OK)
    {
      /* Thirty exercises need not sit in memory: the document spills
         into the temporary beside -o as it grows.  */
      wrap_output (eo);
      cli_output_stream (doc);
      status = derive_set (doc, nets, files, n, eo, rate_option);
    }
  if (status <= FADJ_EXIT_VERIFY
      && fadj_latex_write_set_end (doc, &eo->latex) != FADJ_OK)
    status = cli_output_failed () ? FADJ_EXIT_RESOURCE
             : cli_exit_for_status (fadj_buf_status (doc));
  if (status <= FADJ_EXIT_VERIFY)
    {
      size_t len;
      const char *d = fadj_buf_data (doc, &len);
      if (cli_write_output (eo->output, d, len) != 0)
        status = FADJ_EXIT_RESOURCE;
    }
  fadj_buf_free (doc);
  for (k = 0; k < n; k++)
    fadj_net_free (nets[k]);
  free (nets);
  return status;
}

/* What a worksheet prints to match sheet and key (fadj_latex_opts):
   FILE's name, the options of ARGV but the file, --key, and the output,
   its format and width, and the seed that fadj-gen records in the first
   line of the files it writes ("# Written by fadj-gen ... --seed=N").
   Returns 0, or -1 out of memory.  */
static int
worksheet_source (explain_opts *eo, const char *file, int argc, char **argv,
                  int operand)
{
  fadj_latex_opts *opts = &eo->latex;
  size_t len = 1;
  int k;
  char line[1024];
  FILE *f;

  opts->source = strcmp (file, "-") == 0 ? "standard input" : file;
  for (k = 1; k < argc; k++)
    len += strlen (argv[k]) + 1;
  eo->ws_options = malloc (len);
  if (eo->ws_options == NULL)
    return -1;
  eo->ws_options[0] = '\0';
  for (k = 1; k < argc; k++)
    {
      const char *a = argv[k];
      if (k == operand || strcmp (a, "--key") == 0)
        continue;
      if (strcmp (a, "-o") == 0 || strcmp (a, "--output") == 0)
        {
          k++;
          continue;
        }
      /* The output and its form do not change the exercise.  */
      if (strncmp (a, "-o", 2) == 0 || strncmp (a, "--output=", 9) == 0
          || strncmp (a, "--format=", 9) == 0
          || strncmp (a, "--width=", 8) == 0)
        continue;
      if (eo->ws_options[0] != '\0')
        strcat (eo->ws_options, " ");
      strcat (eo->ws_options, a);
    }
  opts->options = eo->ws_options;
  f = strcmp (file, "-") == 0 ? NULL : fopen (file, "r");
  if (f != NULL)
    {
      const char *seed;
      if (fgets (line, sizeof line, f) != NULL
          && strncmp (line, "# Written by fadj-gen", 21) == 0
          && (seed = strstr (line, " --seed=")) != NULL)
        opts->seed = strtol (seed + 8, NULL, 10);
      fclose (f);
    }
  return 0;
}

/* Everything main does between owning EO (its rate an initialised mpq)
   and releasing it, so that every early return is clean.  */
static int
run (int argc, char **argv, explain_opts *eo)
{
  const char *file;
  fadj_net *net = NULL;
  int status;

  status = cli_parse_options (argc, argv, options, usage, explain_option,
                              eo);
  if (status >= 0)
    return status;
  if (argc - optind > 1)
    {
      if (settle_options (eo) != 0)
        return FADJ_EXIT_INPUT;
      return explain_set (argv + optind, (size_t) (argc - optind), eo);
    }
  if (cli_file_operand (&file, argc, argv, optind) != 0
      || settle_options (eo) != 0)
    return FADJ_EXIT_INPUT;
  if ((status = cli_read_net (&net, file, 0)) != FADJ_EXIT_OK)
    return status;
  if ((eo->latex.flags & FADJ_LATEX_WORKSHEET)
      && worksheet_source (eo, file, argc, argv, optind) != 0)
    {
      fadj_net_free (net);
      cli_error ("out of memory");
      return FADJ_EXIT_RESOURCE;
    }
  wrap_output (eo);
  status = explain_net (net, file, eo);
  fadj_net_free (net);
  return status;
}

int
main (int argc, char **argv)
{
  explain_opts eo;
  int status;

  cli_init ("fadj-explain");
  explain_opts_init (&eo);
  status = run (argc, argv, &eo);
  explain_opts_clear (&eo);
  mpfr_free_cache ();
  fadj_decimal_free_cache ();
  return status;
}
