/* fuzz-reference.c -- libFuzzer harness of the reference-file parser
   (fadj_ref_parse) and of fadj-audit's comparison with a reference
   (audit_write, linked from src/audit-write.c).

   The input's first byte selects the network, one of the examples below
   (their shapes cover what the parser checks sizes against: biases or
   none, a shared bias, one sample or a batch, a softmax layer); the rest
   is the reference file.  Seeds: tests/fuzz/make-corpus.sh.

   Oracles besides the sanitizers: a failure has a position and a
   printable one-line message and no result; a success has every matrix
   of the network's shape; the report written from it (interval domain,
   and exact for a rational network) is complete or asks for more
   precision, and never shows a NaN.  The exponent range is that of the
   programs (cli_init).  */

#include "config.h"
#include "audit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char *const nets[] = {
  /* 0: Boughammoura's A[2,2,1], biases on both layers.  */
  "input [0 0] target [1]\n"
  "layer sigmoid weights [1 -1; -1 1] bias [1 -1]\n"
  "layer sigmoid weights [1 -1] bias [1]\nloss half_squared\n",
  /* 1: relu-rational, exact throughout.  */
  "input [1/2; -1] target [0.5]\n"
  "layer relu weights [0.5 -1/3; -1 0.25; 2 1/2] bias [0.25, -1/4, 0.1]\n"
  "layer identity weights [[1, -2, 0.5]] bias [-0.2]\n"
  "loss half_squared\n",
  /* 2: the XOR batch: 4 samples.  */
  "sample [0, 0] -> [0]\nsample [0, 1] -> [1]\nsample [1, 0] -> [1]\n"
  "sample [1, 1] -> [0]\nbatch sum\n"
  "layer sigmoid weights [1 -1; -1 1] bias [1, -1]\n"
  "layer sigmoid weights [1 -1] bias [1]\nloss half_squared\n",
  /* 3: Mazur's 2-2-2, biases shared by each layer (one parameter).  */
  "input [0.05, 0.10] target [0.01, 0.99]\n"
  "layer sigmoid weights [0.15 0.20; 0.25 0.30] bias 0.35 frozen\n"
  "layer sigmoid weights [0.40 0.45; 0.50 0.55] bias 0.60 frozen\n"
  "loss half_squared\n",
  /* 4: a softmax classifier, 2 samples, no bias on layer 2.  */
  "sample [1, 0.5] -> [0, 1, 0]\nsample [-0.5, 1] -> [1, 0, 0]\n"
  "layer relu weights [1 -1; 0.5 1; -1 0.5] bias [0, 0.5, 0.25]\n"
  "layer softmax weights [1 0.5 -1; -0.5 1.5 0.5; 0.25 -1 1]\n"
  "loss categorical_cross_entropy\n",
  /* 5: HMKCode's linear 2-2-1, no biases.  */
  "input [2, 3] target [1]\n"
  "layer identity weights [0.11 0.21; 0.12 0.08]\n"
  "layer identity weights [0.14 0.15]\nloss half_squared\n"
};
#define NNETS (sizeof nets / sizeof nets[0])

static fadj_net *parsed[NNETS];

static void
check_mat (const fadj_mat *m, size_t rows, size_t cols)
{
  size_t k;

  if (m->rows != rows || m->cols != cols || (rows * cols != 0 && m->e == NULL))
    abort ();
  for (k = 0; k < rows * cols; k++)
    if (!FADJ_NUM_EXACT_P (&m->e[k]))
      abort ();
}

static void
check_ref (const fadj_ref *r, const fadj_net *net)
{
  size_t l;

  if (r->nlayers != net->nlayers)
    abort ();
  for (l = 1; l <= net->nlayers; l++)
    {
      const fadj_layer *ly = net->layers + l - 1;
      check_mat (r->w + l, net->sizes[l], net->sizes[l - 1]);
      if (!ly->has_bias)
        check_mat (r->b + l, 0, 0);
      else
        check_mat (r->b + l, ly->bias_shared ? 1 : net->sizes[l], 1);
    }
  if (r->has_input_gradient)
    check_mat (&r->input_gradient, net->sizes[0], net->nsamples);
}

/* Write the audit report of NET against REF in DOMAIN.  */
static void
report (const fadj_net *net, const fadj_ref *ref, fadj_domain domain,
        int format)
{
  fadj_ctx ctx = { domain, 96 };
  fadj_trace *t = NULL;
  fadj_status st;
  audit_opts o;
  audit_run run;
  fadj_buf *b;

  st = fadj_trace_compute_flags (&t, net, &ctx, 0);
  if (st != FADJ_OK)
    {
      if (st != FADJ_UNDECIDED && st != FADJ_ERR_DOMAIN
          && st != FADJ_ERR_LIMIT && st != FADJ_ERR_NOMEM)
        abort ();
      fadj_trace_free (t);
      return;
    }
  memset (&o, 0, sizeof o);
  memset (&run, 0, sizeof run);
  run.agree = -1;
  o.digits = 6;
  o.format = format;
  o.check = AUDIT_CHECK_NONE;
  o.seed = 1;
  o.ref_bits = format == AUDIT_CSV ? 24 : 53;
  o.has_tolerance = 1;
  o.file = "fuzz.net";
  /* The summary and the per-entry arrays too (the text report then
     gives the summary instead of the entries).  */
  o.summary = format != AUDIT_CSV;
  o.worst = 3;
  o.entries = format == AUDIT_JSON;
  mpq_init (o.tolerance);
  mpq_set_ui (o.tolerance, 64, 1);
  b = fadj_buf_new ();
  if (b != NULL)
    {
      st = audit_write (b, &run, t, ref, &o);
      if (st == FADJ_OK && fadj_buf_status (b) == FADJ_OK)
        {
          const char *s = fadj_buf_data (b, NULL);
          /* "inf" is the documented relative error of a reference
             against a certified 0; NaN never appears, nor MPFR's
             spellings.  */
          if (strstr (s, "nan") || strstr (s, "NaN") || strchr (s, '@'))
            abort ();
        }
      else if (st != FADJ_OK && st != FADJ_UNDECIDED
               && st != FADJ_ERR_NOMEM)
        abort ();
      fadj_buf_free (b);
    }
  mpq_clear (o.tolerance);
  fadj_trace_free (t);
}

/* Matrices A (rationals) and B (perhaps scaled) hold the same values.  */
static void
same_mat (const fadj_mat *a, const fadj_mat *b)
{
  mpq_t p, q;
  size_t k;

  if (a->rows != b->rows || a->cols != b->cols)
    abort ();
  mpq_inits (p, q, NULL);
  for (k = 0; k < a->rows * a->cols; k++)
    {
      fadj_mat_get_q (p, a, k);
      fadj_mat_get_q (q, b, k);
      if (!mpq_equal (p, q))
        abort ();
    }
  mpq_clears (p, q, NULL);
}

/* fadj_ref_parse_opts with FADJ_PARSE_COMPACT, as fadj-audit reads a
   reference: the same status and error as fadj_ref_parse (ST, ERR),
   the same values (R); and its report, in the format FORMAT.  */
static void
check_compact (const uint8_t *data, size_t size, const fadj_net *net,
               fadj_status st, const fadj_error *err, const fadj_ref *r,
               int format)
{
  fadj_ref *c = (fadj_ref *) 1;
  fadj_error cerr;
  size_t l;

  if (fadj_ref_parse_opts (&c, &cerr, (const char *) data, size, net,
                           FADJ_PARSE_COMPACT) != st)
    abort ();
  if (st != FADJ_OK)
    {
      if (c != NULL || cerr.line != err->line || cerr.col != err->col
          || strcmp (cerr.msg, err->msg) != 0)
        abort ();
      return;
    }
  for (l = 1; l <= net->nlayers; l++)
    {
      same_mat (r->w + l, c->w + l);
      same_mat (r->b + l, c->b + l);
    }
  report (net, c, FADJ_INTERVAL, format);
  fadj_ref_free (c);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static int init;
  const fadj_net *net;
  fadj_ref *r = (fadj_ref *) 1;
  fadj_error err;
  fadj_status st;
  const char *m;
  unsigned sel;

  if (!init)
    {
      size_t k;
      mpfr_set_emax (FADJ_MAX_BINARY_EXP);
      mpfr_set_emin (-FADJ_MAX_BINARY_EXP);
      for (k = 0; k < NNETS; k++)
        if (fadj_net_parse (parsed + k, &err, nets[k], strlen (nets[k]))
            != FADJ_OK)
          abort ();
      init = 1;
    }
  if (size == 0)
    return 0;
  sel = data[0];
  net = parsed[sel % NNETS];
  st = fadj_ref_parse (&r, &err, (const char *) data + 1, size - 1, net);
  check_compact (data + 1, size - 1, net, st, &err, r,
                 (int) (sel / NNETS) % 3);
  if (st == FADJ_OK)
    {
      if (r == NULL)
        abort ();
      check_ref (r, net);
      /* The report, in the format the selector's high bits choose; in
         exact arithmetic too when the network is rational.  */
      if (fadj_net_domain (net) == FADJ_EXACT)
        report (net, r, FADJ_EXACT, (int) (sel / NNETS) % 3);
      report (net, r, FADJ_INTERVAL, (int) (sel / NNETS) % 3);
      fadj_ref_free (r);
      mpfr_free_cache ();
      return 0;
    }
  if ((st != FADJ_ERR_INPUT && st != FADJ_ERR_LIMIT && st != FADJ_ERR_NOMEM)
      || r != NULL || err.line < 1 || err.col < 1 || err.msg[0] == '\0')
    abort ();
  for (m = err.msg; *m; m++)
    if ((unsigned char) *m < 0x20 || *m == 0x7F)
      abort ();
  return 0;
}
