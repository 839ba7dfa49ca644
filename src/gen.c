/* gen.c -- fadj-gen: write a random network file with classroom-friendly
   numbers (small integers, halves, tenths), so that a teacher can hand
   out thirty different exercises of the same shape: one file, or a set
   of them in a directory (--count), each with one sample or a batch
   (--samples).

   The random numbers come from our own generator (splitmix64), not from
   rand(3): a seed must give the same file on every system, so that an
   exercise can be regenerated from its number alone.  Every file written
   is first parsed back with the library's parser, so fadj-gen never
   writes a file that fadj-explain would reject.  Every draw is also
   derived, and redrawn when it is no exercise: a pre-activation exactly
   on relu's kink (where relu'(0) is a convention, not a derivative), or
   a cross-entropy loss that is undefined (an output rounded to 0 or 1)
   in the derivation or in the hand-rounded one of fadj-explain
   --carry=1 to 4.  */

#include "config.h"
#include "cli.h"
#include "fadj-impl.h"          /* fadj_splitmix64 */

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Limits, documented in fadj-gen(1): a worksheet is done by hand.  */
#define GEN_MAX_LAYERS 16
#define GEN_MAX_SIZE 64
#define GEN_MAX_SAMPLES 16
#define GEN_MAX_COUNT 1000
/* Redraws allowed to avoid relu's kink before giving up.  */
#define GEN_MAX_TRIES 1000
/* The hand-rounded derivations a cross-entropy exercise must survive:
   fadj-explain --carry=1 to this many decimal places.  */
#define GEN_MAX_CARRY 4
/* The learning rates a file may state (every file states one, so that
   fadj-explain --steps works on it as it is): the largest for which no
   weight or bias moves by more than 1/2 in the first step, so that the
   steps descend instead of leaping across the loss.  */
static const char *const gen_rates[] = {
  "1", "0.5", "0.1", "0.05", "0.01", "0.005", "0.001", "0.0005", "0.0001"
};
#define GEN_NRATES (sizeof gen_rates / sizeof *gen_rates)
/* Working precision of the check of a draw that is not rational.  */
#define GEN_CHECK_PREC 128

enum
{
  OPT_SIZES = 256, OPT_ACT, OPT_LOSS, OPT_SEED, OPT_RATIONAL, OPT_NO_BIAS,
  OPT_TITLE, OPT_SAMPLES, OPT_COUNT
};

/* The largest seed: 32 bits, the same on every system.  */
#define GEN_MAX_SEED 0xFFFFFFFFUL

/* The options, in the order of --help.  */
static const cli_option options[] = {
  { "output", 'o', "FILE", "write to FILE (default: standard output); with\n"
    "--count, the directory of the files", 0, 0 },
  { "count", OPT_COUNT, "N", "write N exercises, of seeds S, S+1, ..., as\n"
    "ex01.net ... in the directory -o (1 to %lu)", GEN_MAX_COUNT, 0 },
  { "sizes", OPT_SIZES, "N0,N1,...",
    "layer sizes, input first (default 2,2,1)", 0, 0 },
  { "activation", OPT_ACT, "NAME[,NAME...]",
    "activation of every layer, or one per layer\n"
    "(default sigmoid; relu,...,relu,identity with\n"
    "--rational)", 0, 0 },
  { "loss", OPT_LOSS, "NAME", "loss (default half_squared)", 0, 0 },
  { "seed", OPT_SEED, "N", "random seed, 0 to %lu (default 1)",
    GEN_MAX_SEED, 0 },
  { "rational", OPT_RATIONAL, NULL,
    "only rational activations, so that every answer\n"
    "is an exact fraction", 0, 0 },
  { "no-bias", OPT_NO_BIAS, NULL, "layers without biases", 0, 0 },
  { "samples", OPT_SAMPLES, "M", "a batch of M samples (1 to %lu, default 1)",
    GEN_MAX_SAMPLES, 0 },
  { "title", OPT_TITLE, "TEXT",
    "title of the network (default names the seed)", 0, 0 },
  { NULL, 0, NULL, NULL, 0, 0 }
};

static void
usage (void)
{
  printf ("\
Usage: %s [OPTION]...\n\
Write a random network file (fadj-net(5)) with classroom-friendly numbers:\n\
small integers, halves and tenths.  The same seed gives the same file.\n\
\n", cli_program);
  cli_print_options (options, 26);
  fputs ("\
\n\
Exit status: 0 done; 2 usage error; 3 output error.\n", stdout);
}

/* ------------------------------------------------------------------ */
/* Random numbers: the library's splitmix64 (fadj_splitmix64).  */

/* Uniform in [0, N), without the modulo bias.  */
static unsigned
next_below (uint64_t *state, unsigned n)
{
  uint64_t lim = UINT64_MAX - UINT64_MAX % n, x;

  do
    x = fadj_splitmix64 (state);
  while (x >= lim);
  return (unsigned) (x % n);
}

/* A classroom number into S: a small integer (-3..3), a half (-5/2..5/2,
   odd numerator) or a tenth (-0.9..0.9, not 0 or 0.5), each kind equally
   likely; NONZERO excludes 0 (a zero weight hides a path).  */
static void
draw_number (char *s, size_t n, uint64_t *st, int nonzero)
{
  for (;;)
    {
      unsigned kind = next_below (st, 3);
      int sign = next_below (st, 2) ? -1 : 1;
      unsigned k;

      switch (kind)
        {
        case 0:
          k = next_below (st, 4);               /* 0..3 */
          if (k == 0 && nonzero)
            continue;
          snprintf (s, n, "%d", sign * (int) k);
          return;
        case 1:
          k = 2 * next_below (st, 3) + 1;       /* 1, 3, 5 */
          snprintf (s, n, "%s%u.5", sign < 0 ? "-" : "", k / 2);
          return;
        default:
          k = 1 + next_below (st, 9);           /* 1..9 */
          if (k == 5)
            continue;                           /* 0.5 is a half */
          snprintf (s, n, "%s0.%u", sign < 0 ? "-" : "", k);
          return;
        }
    }
}

/* Append "[a, b, ...]" (a vector) or "[a b; c d]" (a matrix) of fresh
   random numbers.  */
static void
put_random_matrix (fadj_buf *b, uint64_t *st, size_t rows, size_t cols,
                   int vector, int nonzero)
{
  char num[32];
  size_t i, j;

  fadj_buf_puts (b, "[");
  for (i = 0; i < rows; i++)
    for (j = 0; j < cols; j++)
      {
        if (i + j > 0)
          fadj_buf_puts (b, vector ? ", " : j > 0 ? " " : "; ");
        draw_number (num, sizeof num, st, nonzero);
        fadj_buf_puts (b, num);
      }
  fadj_buf_puts (b, "]");
}

/* What the command line asks.  Made by gen_opts_init; the caller frees
   ACTS.  */
typedef struct
{
  size_t nsizes;
  size_t sizes[GEN_MAX_LAYERS + 1];
  char *acts[GEN_MAX_LAYERS];    /* one per layer, as written in the file */
  const char *loss;
  unsigned long seed;
  int bias;
  const char *title;
  const char *output;            /* -o, or NULL for standard output */
  const char *act_arg;           /* --activation, or NULL */
  int rational;                  /* --rational */
  size_t samples;                /* --samples */
  unsigned long count;           /* --count, 0 if not given */
} gen_opts;

static void
gen_opts_init (gen_opts *o)
{
  memset (o, 0, sizeof *o);
  o->nsizes = 3;
  o->sizes[0] = 2, o->sizes[1] = 2, o->sizes[2] = 1;
  o->loss = "half_squared";
  o->seed = 1;
  o->bias = 1;
  o->samples = 1;
}

/* Append a random target for O's output layer.  A softmax output, or a
   categorical cross-entropy, is a probability distribution: a one-hot
   target, one class.  A sigmoid output, or a binary cross-entropy, lies
   in (0, 1): a target of 0 or 1 each, as in a classification exercise.
   Otherwise any classroom number.  */
static void
put_target (fadj_buf *b, const gen_opts *o, uint64_t *st)
{
  size_t L = o->nsizes - 1, i;
  const char *out_act = o->acts[L - 1];

  if (strcmp (out_act, "softmax") == 0
      || strcmp (o->loss, "categorical_cross_entropy") == 0)
    {
      unsigned hot = next_below (st, (unsigned) o->sizes[L]);
      fadj_buf_puts (b, "[");
      for (i = 0; i < o->sizes[L]; i++)
        fadj_buf_printf (b, "%s%d", i ? ", " : "", i == hot);
      fadj_buf_puts (b, "]");
    }
  else if (strcmp (out_act, "sigmoid") == 0
           || strcmp (o->loss, "cross_entropy") == 0)
    {
      fadj_buf_puts (b, "[");
      for (i = 0; i < o->sizes[L]; i++)
        fadj_buf_printf (b, "%s%u", i ? ", " : "", next_below (st, 2));
      fadj_buf_puts (b, "]");
    }
  else
    put_random_matrix (b, st, o->sizes[L], 1, 1, 0);
}

/* Write one draw of the network into B (reset first).  */
static void
write_network (fadj_buf *b, const gen_opts *o, uint64_t *st, unsigned try)
{
  size_t l, L = o->nsizes - 1;
  size_t s;

  fadj_buf_reset (b);
  fadj_buf_puts (b, "# Written by fadj-gen");
  for (l = 0; l <= L; l++)
    fadj_buf_printf (b, "%s%zu", l ? "," : " --sizes=", o->sizes[l]);
  for (l = 0; l < L; l++)
    fadj_buf_printf (b, "%s%s", l ? "," : " --activation=", o->acts[l]);
  fadj_buf_printf (b, " --loss=%s%s", o->loss, o->bias ? "" : " --no-bias");
  if (o->samples > 1)
    fadj_buf_printf (b, " --samples=%zu", o->samples);
  fadj_buf_printf (b, " --seed=%lu", o->seed);
  if (try > 0)
    fadj_buf_printf (b, " (draw %u: earlier draws reached %s)", try + 1,
                     strcmp (o->loss, "cross_entropy") == 0
                     || strcmp (o->loss, "categorical_cross_entropy") == 0
                     ? "an output where the loss is undefined"
                     : "relu's kink");
  fadj_buf_puts (b, "\ntitle \"");
  if (o->title != NULL)
    {
      const char *p;
      for (p = o->title; *p; p++)
        {
          if (*p == '"' || *p == '\\')
            fadj_buf_puts (b, "\\");
          fadj_buf_printf (b, "%c", *p);
        }
    }
  else
    {
      /* The seed names the exercise; not "Exercise N:", which a set of
         exercises (fadj-explain FILE...) numbers itself.  */
      fadj_buf_puts (b, "A[");
      for (l = 0; l <= L; l++)
        fadj_buf_printf (b, "%s%zu", l ? ", " : "", o->sizes[l]);
      fadj_buf_printf (b, "], seed %lu", o->seed);
    }
  fadj_buf_puts (b, "\"");
  /* One sample: input and target, drawn in that order (the files of
     every seed before --samples existed stay the same).  A batch: each
     sample's input, then its target.  */
  if (o->samples == 1)
    {
      fadj_buf_puts (b, "\ninput  ");
      put_random_matrix (b, st, o->sizes[0], 1, 1, 0);
      fadj_buf_puts (b, "\ntarget ");
      put_target (b, o, st);
    }
  else
    for (s = 0; s < o->samples; s++)
      {
        fadj_buf_puts (b, "\nsample ");
        put_random_matrix (b, st, o->sizes[0], 1, 1, 0);
        fadj_buf_puts (b, " -> ");
        put_target (b, o, st);
      }
  for (l = 1; l <= L; l++)
    {
      fadj_buf_printf (b, "\nlayer %s\n  weights ", o->acts[l - 1]);
      put_random_matrix (b, st, o->sizes[l], o->sizes[l - 1], 0, 1);
      if (o->bias)
        {
          fadj_buf_puts (b, "\n  bias    ");
          put_random_matrix (b, st, o->sizes[l], 1, 1, 0);
        }
    }
  fadj_buf_printf (b, "\nloss %s\n", o->loss);
}

/* Nonzero if some pre-activation of the exact derivation T is 0 in a
   layer whose activation has a kink there (relu, leaky_relu).  */
static int
on_kink_p (const fadj_trace *t)
{
  size_t l, i;

  for (l = 1; l <= t->L; l++)
    {
      fadj_act_kind k = t->net->layers[l - 1].act;
      if (k != FADJ_ACT_RELU && k != FADJ_ACT_LEAKY_RELU)
        continue;
      for (i = 0; i < t->Y[l].rows * t->Y[l].cols; i++)
        if (fadj_num_zero_p (t->Y[l].e + i))
          return 1;
    }
  return 0;
}

/* An upper bound of |X| as a double (enough to choose a rate).  */
static double
abs_bound (fadj_num_srcptr x)
{
  double lo, hi;

  if (FADJ_NUM_EXACT_P (x))
    return fabs (mpq_get_d (FADJ_NUM_Q (x)));
  lo = fabs (mpfr_get_d (FADJ_NUM_LEFT (x), MPFR_RNDA));
  hi = fabs (mpfr_get_d (FADJ_NUM_RIGHT (x), MPFR_RNDA));
  return lo > hi ? lo : hi;
}

/* The rate for the derivation T (gen_rates).  */
static const char *
choose_rate (const fadj_trace *t)
{
  double g = 0, a;
  size_t l, k, r;

  for (l = 1; l <= t->L && t->grad != NULL; l++)
    {
      for (k = 0; k < t->grad[l].rows * t->grad[l].cols; k++)
        if ((a = abs_bound (t->grad[l].e + k)) > g)
          g = a;
      for (k = 0; k < t->gb[l].rows * t->gb[l].cols; k++)
        if ((a = abs_bound (t->gb[l].e + k)) > g)
          g = a;
    }
  for (r = 0; r + 1 < GEN_NRATES && atof (gen_rates[r]) * g > 0.5; r++)
    ;
  return gen_rates[r];
}

/* Nonzero if NET is no exercise (see the head of this file): its exact
   derivation reaches relu's kink, or its loss is undefined in the
   derivation or in a hand-rounded one.  Else *RATE is its learning rate
   (choose_rate).  *ST is set on a failure other than these.  */
static int
unfit_p (const fadj_net *net, fadj_status *st, const char **rate)
{
  fadj_ctx ctx = { .domain = fadj_net_domain (net),
                   .prec = GEN_CHECK_PREC };
  fadj_trace *t = NULL;
  fadj_trace_opts topts;
  int c, unfit = 0;

  *st = fadj_trace_compute (&t, net, &ctx);
  if (*st == FADJ_ERR_DOMAIN || *st == FADJ_UNDECIDED)
    {
      /* An undecided sign is fadj-explain's to decide, at a higher
         precision.  */
      unfit = *st == FADJ_ERR_DOMAIN;
      *st = FADJ_OK;
      return unfit;
    }
  if (*st != FADJ_OK)
    return 0;
  unfit = ctx.domain == FADJ_EXACT && on_kink_p (t);
  *rate = choose_rate (t);
  fadj_trace_free (t);
  if (net->loss != FADJ_LOSS_CROSS_ENTROPY
      && net->loss != FADJ_LOSS_CATEGORICAL_CROSS_ENTROPY)
    return unfit;
  fadj_trace_opts_init (&topts);
  topts.flags = 0;
  for (c = 1; c <= GEN_MAX_CARRY && !unfit; c++)
    {
      topts.carry = c;
      t = NULL;
      *st = fadj_trace_compute_opts (&t, net, &ctx, &topts);
      fadj_trace_free (t);
      if (*st == FADJ_ERR_DOMAIN)
        unfit = 1;
      /* An enclosure too wide to round at this precision is decided by
         fadj-explain's own loop; it says nothing of the domain.  */
      if (*st == FADJ_ERR_DOMAIN || *st == FADJ_UNDECIDED)
        *st = FADJ_OK;
    }
  return unfit;
}

/* The names of the activations and of the losses, for cli_parse_word
   (filled by main from the library's tables).  */
static const char *act_names[FADJ_ACT_COUNT + 1];
static const char *loss_names[FADJ_LOSS_COUNT + 1];

static void
fill_names (void)
{
  int k;

  for (k = 0; k < FADJ_ACT_COUNT; k++)
    act_names[k] = fadj_act_name ((fadj_act_kind) k);
  for (k = 0; k < FADJ_LOSS_COUNT; k++)
    loss_names[k] = fadj_loss_name ((fadj_loss_kind) k);
}

/* Parse "2,3,1" into O's sizes.  */
static int
parse_sizes (gen_opts *o, const char *arg)
{
  const char *p = arg;
  long v;

  o->nsizes = 0;
  for (;;)
    {
      char num[32];
      size_t n = strcspn (p, ",");
      if (n == 0 || n >= sizeof num || o->nsizes > GEN_MAX_LAYERS)
        goto bad;
      memcpy (num, p, n);
      num[n] = '\0';
      if (cli_parse_long (&v, "--sizes", num, 1, GEN_MAX_SIZE))
        return -1;
      o->sizes[o->nsizes++] = (size_t) v;
      if (p[n] == '\0')
        break;
      p += n + 1;
    }
  if (o->nsizes < 2)
    goto bad;
  return 0;
bad:
  cli_invalid_value ("--sizes", arg, "expected 2 to %d sizes from 1 to %d, "
                     "separated by commas, the input first",
                     GEN_MAX_LAYERS + 1, GEN_MAX_SIZE);
  return -1;
}

/* Split "relu,identity" into O->acts (one per layer, the last repeated
   if fewer are given), checking each name; ACT_ARG NULL means the
   default for RATIONAL.  */
/* Is P (what follows an activation's name) nothing, or one number
   literal in parentheses and nothing after?  The text goes into the file
   as it is: anything else (a space, a bracket, a second statement) would
   be read there as more than a parameter.  The literal itself is checked
   when the file is parsed back.  */
static int
param_form_p (const char *p)
{
  size_t n;

  if (*p == '\0')
    return 1;
  if (*p++ != '(')
    return 0;
  n = strspn (p, "0123456789abcdefABCDEFpPxX.+-/");
  return n > 0 && p[n] == ')' && p[n + 1] == '\0';
}

static int
parse_acts (gen_opts *o, const char *act_arg, int rational)
{
  size_t L = o->nsizes - 1, l = 0, given = 0;
  char *copy = NULL, *p, *save = NULL;

  if (act_arg == NULL)
    {
      for (l = 0; l < L; l++)
        o->acts[l] = strdup (!rational ? "sigmoid"
                             : l + 1 < L ? "relu" : "identity");
      for (l = 0; l < L; l++)
        if (o->acts[l] == NULL)
          return -1;
      return 0;
    }
  copy = strdup (act_arg);
  if (copy == NULL)
    return -1;
  for (p = strtok_r (copy, ",", &save); p != NULL;
       p = strtok_r (NULL, ",", &save))
    {
      char name[64];
      size_t n = strcspn (p, "(");
      int k;

      if (given == L)
        {
          cli_error ("--activation: %zu names for %zu layers", given + 1, L);
          goto fail;
        }
      snprintf (name, sizeof name, "%.*s", (int) (n < 63 ? n : 63), p);
      if (cli_parse_word (&k, "--activation", name, act_names))
        goto fail;
      if (!param_form_p (p + n))
        {
          cli_invalid_value ("--activation", p, "a name, or a name and one "
                             "number in parentheses, as leaky_relu(0.1)");
          goto fail;
        }
      if (rational && !fadj_act_rational_p ((fadj_act_kind) k))
        {
          cli_error ("--activation: '%s' is not rational, but --rational "
                     "asks for exact answers", name);
          goto fail;
        }
      o->acts[given] = strdup (p);
      if (o->acts[given++] == NULL)
        goto fail;
    }
  if (given == 0)
    {
      cli_error ("--activation: no activation named");
      goto fail;
    }
  for (l = given; l < L; l++)
    if ((o->acts[l] = strdup (o->acts[given - 1])) == NULL)
      goto fail;
  free (copy);
  return 0;
fail:
  free (copy);
  return -1;
}

/* Take the option ID with its argument ARG into O (cli_option_fn).
   Its cases have the shape of the other programs' handlers (an
   option, a cli_parse_* call, a field) by design: the loop, --help,
   --version and the parsing of values are cli.c's, the options and
   the fields they set are this program's.  */
static int
gen_option (int id, const char *arg, void *ctx)
{
  gen_opts *o = ctx;
  long v;
  int k;

  switch (id)
    {
    case 'o':
      o->output = arg;
      return 0;
    case OPT_SIZES:
      return parse_sizes (o, arg);
    case OPT_ACT:
      o->act_arg = arg;
      return 0;
    case OPT_LOSS:
      if (cli_parse_word (&k, "--loss", arg, loss_names))
        return -1;
      o->loss = arg;
      return 0;
    case OPT_SEED:
      if (cli_parse_long (&v, "--seed", arg, 0, (long) GEN_MAX_SEED))
        return -1;
      o->seed = (unsigned long) v;
      return 0;
    case OPT_RATIONAL:
      o->rational = 1;
      return 0;
    case OPT_NO_BIAS:
      o->bias = 0;
      return 0;
    case OPT_SAMPLES:
      if (cli_parse_long (&v, "--samples", arg, 1, GEN_MAX_SAMPLES))
        return -1;
      o->samples = (size_t) v;
      return 0;
    case OPT_COUNT:
      if (cli_parse_long (&v, "--count", arg, 1, GEN_MAX_COUNT))
        return -1;
      o->count = (unsigned long) v;
      return 0;
    case OPT_TITLE:
      if (strchr (arg, '\n') != NULL)
        {
          cli_error ("--title: the title must be one line");
          return -1;
        }
      o->title = arg;
      return 0;
    }
  return 0;                     /* every option of OPTIONS has its case */
}

/* Read the command line into O.  Returns -1 to go on, or the exit
   status (--help, --version, a usage error).  */
static int
parse_options (gen_opts *o, int argc, char **argv)
{
  int status = cli_parse_options (argc, argv, options, usage, gen_option,
                                  o);

  if (status >= 0)
    return status;
  if (cli_file_operand (NULL, argc, argv, optind) != 0)
    return FADJ_EXIT_INPUT;
  if (o->count > 0 && (o->output == NULL || strcmp (o->output, "-") == 0))
    {
      cli_error ("--count: give the directory of the files with -o DIR");
      return FADJ_EXIT_INPUT;
    }
  if (o->count > 0 && o->seed + (o->count - 1) > GEN_MAX_SEED)
    {
      cli_error ("--count: the seeds %lu to %lu pass the largest, %lu",
                 o->seed, o->seed + (o->count - 1), GEN_MAX_SEED);
      return FADJ_EXIT_INPUT;
    }
  if (o->rational && fadj_loss_lookup (o->loss) >= 0
      && !fadj_loss_rational_p ((fadj_loss_kind) fadj_loss_lookup (o->loss)))
    {
      cli_error ("--loss: '%s' is not rational, but --rational asks for "
                 "exact answers", o->loss);
      return FADJ_EXIT_INPUT;
    }
  return -1;
}

/* Draw the exercise of O's seed into B, with its rate line: the first
   draw that is an exercise (unfit_p).  Returns the exit status (0: done;
   a message has been given otherwise).  */
static int
draw_exercise (fadj_buf *b, const gen_opts *o)
{
  const char *rate = gen_rates[0];
  uint64_t state = (uint64_t) o->seed;  /* the seed alone determines the
                                           stream (the options only shape
                                           it) */
  unsigned try;

  for (try = 0; ; try++)
    {
      fadj_net *net = NULL;
      fadj_error err;
      fadj_status st;
      const char *text;
      size_t len;
      int unfit;

      write_network (b, o, &state, try);
      text = fadj_buf_data (b, &len);
      if (fadj_buf_status (b) != FADJ_OK)
        return cli_exit_for_status (fadj_buf_status (b));
      st = fadj_net_parse (&net, &err, text, len);
      if (st != FADJ_OK)
        {
          /* Only a bad --activation parameter gets here: the rest of the
             file is ours.  */
          cli_error ("the options give an invalid network: %s", err.msg);
          return FADJ_EXIT_INPUT;
        }
      unfit = unfit_p (net, &st, &rate);
      fadj_net_free (net);
      if (st != FADJ_OK)
        return cli_exit_for_status (st);
      if (!unfit)
        break;
      if (try + 1 == GEN_MAX_TRIES)
        {
          cli_error ("no draw of %d avoids relu's kink and an undefined "
                     "loss; change the sizes or the seed", GEN_MAX_TRIES);
          return FADJ_EXIT_RESOURCE;
        }
    }
  fadj_buf_printf (b, "rate %s\n", rate);
  return fadj_buf_status (b) == FADJ_OK ? FADJ_EXIT_OK
    : cli_exit_for_status (fadj_buf_status (b));
}

/* --count: the exercises of seeds S, S+1, ... as DIR/ex01.net ...
   (numbered with at least two digits, as many as N needs, so that they
   sort), each the file that --seed alone writes.  Every exercise is drawn
   before any file is written: a draw that fails writes nothing.  */
static int
write_set (gen_opts *o)
{
  unsigned long first = o->seed, i;
  int width = 2, status = FADJ_EXIT_OK;
  fadj_buf **bufs = calloc (o->count, sizeof *bufs);
  fadj_buf *path = NULL;

  if (bufs == NULL)
    return cli_exit_for_status (FADJ_ERR_NOMEM);
  for (i = o->count; i >= 100; i /= 10)
    width++;
  for (i = 0; i < o->count && status == FADJ_EXIT_OK; i++)
    {
      o->seed = first + i;
      if ((bufs[i] = fadj_buf_new ()) == NULL)
        status = cli_exit_for_status (FADJ_ERR_NOMEM);
      else
        status = draw_exercise (bufs[i], o);
    }
  o->seed = first;
  if (status == FADJ_EXIT_OK && mkdir (o->output, 0777) != 0
      && errno != EEXIST)
    {
      cli_error ("cannot create the directory '%s': %s", o->output,
                 strerror (errno));
      status = FADJ_EXIT_RESOURCE;
    }
  if (status == FADJ_EXIT_OK && (path = fadj_buf_new ()) == NULL)
    status = cli_exit_for_status (FADJ_ERR_NOMEM);
  for (i = 0; i < o->count && status == FADJ_EXIT_OK; i++)
    {
      size_t len;
      const char *text = fadj_buf_data (bufs[i], &len);
      fadj_buf_reset (path);
      fadj_buf_printf (path, "%s/ex%0*lu.net", o->output, width, i + 1);
      if (fadj_buf_status (path) != FADJ_OK)
        status = cli_exit_for_status (fadj_buf_status (path));
      else if (cli_write_output (fadj_buf_data (path, NULL), text, len))
        status = FADJ_EXIT_RESOURCE;
    }
  for (i = 0; i < o->count; i++)
    fadj_buf_free (bufs[i]);
  free (bufs);
  fadj_buf_free (path);
  return status;
}

int
main (int argc, char **argv)
{
  gen_opts o;
  int status;
  fadj_buf *b = NULL;
  size_t l;

  cli_program = "fadj-gen";
  fill_names ();
  gen_opts_init (&o);
  status = parse_options (&o, argc, argv);
  if (status >= 0)
    return status;
  if (parse_acts (&o, o.act_arg, o.rational))
    {
      status = FADJ_EXIT_INPUT;
      goto done;
    }
  if (o.count > 0)
    {
      status = write_set (&o);
      goto done;
    }
  b = fadj_buf_new ();
  if (b == NULL)
    status = cli_exit_for_status (FADJ_ERR_NOMEM);
  else if ((status = draw_exercise (b, &o)) == FADJ_EXIT_OK)
    {
      size_t len;
      const char *text = fadj_buf_data (b, &len);
      if (cli_write_output (o.output, text, len))
        status = FADJ_EXIT_RESOURCE;
    }
done:
  fadj_buf_free (b);
  for (l = 0; l < GEN_MAX_LAYERS; l++)
    free (o.acts[l]);
  mpfr_free_cache ();
  fadj_decimal_free_cache ();
  return status;
}
