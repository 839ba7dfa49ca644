/* ref-parse.c -- reference gradient files: gradients computed elsewhere
   (by a framework, in float32 or float64), to be audited against the
   certified ones.  Read by the network file's reader (mat-parse.c, on
   lex.c's tokens): '#' comments, free-form layout, exact number literals
   (hex floats carry a framework's binary values exactly), the same
   matrices, and the same message for the same mistake.

   file     := statement* EOF
   statement:= 'gradient' NUMBER 'weights' matrix ('bias' matrix)?
             | 'input_gradient' matrix
             | 'loss' NUMBER
             | 'type' ('binary32' | 'binary64')
   matrix   := '[' rows ']'  (as in fadj-net(5): ';' or a newline ends a
               row, ',' or spaces separate entries, or [[..], [..]])

   Every size is checked against the network as soon as the matrix is
   read, and reported at its '['; a missing layer at the end of the
   file.  */

#include "mat-parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  fadj_reader r;                /* the tokens and the error */
  const fadj_net *net;
  fadj_ref *ref;
  fadj_pos *seen;               /* where 'gradient l' was given */
  fadj_pos input_gradient, loss, type;  /* the keywords */
  int read;                     /* FADJ_READ_* of the gradients */
} rparser;

/* A vector of N entries written as a row or a column, kept N x 1 (any
   other shape is refused as in a network file).  */
static fadj_status
want_vector (fadj_reader *r, fadj_mat *m, size_t n, fadj_pos where,
             const char *what)
{
  fadj_status st;

  if ((st = fadj_reader_vector (r, m, what, where)) != FADJ_OK)
    return st;
  if (m->rows != n)
    return fadj_reader_error (r, FADJ_ERR_INPUT, where, "%s has %zu x %zu "
                              "entries but the network needs a vector of "
                              "%zu", what, m->rows, m->cols, n);
  return FADJ_OK;
}

/* The layer number after 'gradient' into *L, 1 to L.  */
static fadj_status
layer_number (rparser *p, size_t *l)
{
  fadj_reader *r = &p->r;
  fadj_status st;
  mpq_t q;

  *l = 0;
  if (r->tok.kind != FADJ_TOK_NUMBER)
    return fadj_reader_expected (r, "a layer number after 'gradient'");
  mpq_init (q);
  st = fadj_reader_number (r, q);
  if (st == FADJ_OK
      && (mpz_cmp_ui (mpq_denref (q), 1) != 0 || mpq_sgn (q) <= 0
          || mpz_cmp_ui (mpq_numref (q), p->net->nlayers) > 0))
    st = fadj_reader_error (r, FADJ_ERR_INPUT, fadj_reader_pos (r),
                            "layer number must be an integer from 1 to %zu",
                            p->net->nlayers);
  if (st == FADJ_OK)
    *l = mpz_get_ui (mpq_numref (q));
  mpq_clear (q);
  return st;
}

/* The statements, entered with their keyword as the lookahead and the
   parser as CTX (fadj_reader_statements, the loop of network files
   too: hence the opening they share with net-parse.c's).  */

/* 'gradient' NUMBER 'weights' matrix ('bias' matrix)?  */
static fadj_status
parse_gradient (void *ctx)
{
  rparser *p = ctx;
  fadj_reader *r = &p->r;
  const fadj_net *net = p->net;
  fadj_pos kw = fadj_reader_pos (r), lit;
  size_t l, rows, cols;
  fadj_status st;
  char what[64];

  fadj_reader_next (r);
  if ((st = layer_number (p, &l)) != FADJ_OK)
    return st;
  snprintf (what, sizeof what, "gradient %zu", l);
  if (p->seen[l].line != 0)
    return fadj_reader_duplicate (r, kw, what, p->seen[l]);
  p->seen[l] = kw;
  fadj_reader_next (r);
  if (!fadj_reader_name_p (r, "weights"))
    return fadj_reader_expected (r, "'weights'");
  fadj_reader_next (r);
  rows = net->sizes[l];
  cols = net->sizes[l - 1];
  if ((st = fadj_reader_bracket (r, "matrix", "weights")) != FADJ_OK
      || (st = fadj_reader_matrix (r, p->ref->w + l, &lit, p->read))
      != FADJ_OK)
    return st;
  if (p->ref->w[l].rows != rows || p->ref->w[l].cols != cols)
    return fadj_reader_error (r, FADJ_ERR_INPUT, lit, "gradient %zu: "
                              "weights are %zu x %zu but W^%zu is %zu x %zu",
                              l, p->ref->w[l].rows, p->ref->w[l].cols, l,
                              rows, cols);
  if (fadj_reader_name_p (r, "bias"))
    {
      if (!net->layers[l - 1].has_bias)
        return fadj_reader_error (r, FADJ_ERR_INPUT, fadj_reader_pos (r),
                                  "gradient %zu: layer %zu has no bias", l,
                                  l);
      fadj_reader_next (r);
      if ((st = fadj_reader_bracket (r, "vector", "bias")) != FADJ_OK
          || (st = fadj_reader_matrix (r, p->ref->b + l, &lit,
                                      p->read))
          != FADJ_OK)
        return st;
      snprintf (what, sizeof what, "gradient %zu: bias", l);
      /* A shared bias is one parameter: one gradient, the sum.  */
      return want_vector (r, p->ref->b + l,
                          net->layers[l - 1].bias_shared ? 1 : rows, lit,
                          what);
    }
  if (net->layers[l - 1].has_bias)
    return fadj_reader_error (r, FADJ_ERR_INPUT, kw, "gradient %zu: layer "
                              "%zu has a bias but no 'bias' gradient is "
                              "given", l, l);
  return FADJ_OK;
}

/* 'input_gradient' matrix: one row per sample (a column also does for
   one sample).  Kept N_0 x m, as X^0_*.  */
static fadj_status
parse_input_gradient (void *ctx)
{
  rparser *p = ctx;
  fadj_reader *r = &p->r;
  fadj_ref *ref = p->ref;
  size_t n0 = p->net->sizes[0], m = p->net->nsamples, i, s;
  fadj_num_struct *e;
  fadj_pos lit;
  fadj_status st;

  if ((st = fadj_reader_once (r, &p->input_gradient, "input_gradient"))
      != FADJ_OK)
    return st;
  if ((st = fadj_reader_bracket (r, "matrix", "input_gradient")) != FADJ_OK
      || (st = fadj_reader_matrix (r, &ref->input_gradient, &lit, 0))
      != FADJ_OK)
    return st;
  ref->has_input_gradient = 1;
  if (m == 1)
    return want_vector (r, &ref->input_gradient, n0, lit, "input_gradient");
  if (ref->input_gradient.rows != m || ref->input_gradient.cols != n0)
    return fadj_reader_error (r, FADJ_ERR_INPUT, lit, "input_gradient is "
                              "%zu x %zu but the network needs %zu rows "
                              "(samples) of %zu", ref->input_gradient.rows,
                              ref->input_gradient.cols, m, n0);
  /* Transpose into N_0 x m (a copy of the structs).  */
  e = malloc (n0 * m * sizeof *e);
  if (e == NULL)
    return fadj_reader_error (r, FADJ_ERR_NOMEM, lit, "out of memory");
  for (s = 0; s < m; s++)
    for (i = 0; i < n0; i++)
      e[i * m + s] = ref->input_gradient.e[s * n0 + i];
  free (ref->input_gradient.e);
  ref->input_gradient.e = e;
  ref->input_gradient.rows = n0;
  ref->input_gradient.cols = m;
  return FADJ_OK;
}

/* 'loss' NUMBER  */
static fadj_status
parse_loss (void *ctx)
{
  rparser *p = ctx;
  fadj_reader *r = &p->r;
  fadj_status st;

  if ((st = fadj_reader_once_number (r, &p->loss, "loss", p->ref->loss))
      != FADJ_OK)
    return st;
  p->ref->has_loss = 1;
  fadj_reader_next (r);
  return FADJ_OK;
}

/* 'type' ('binary32' | 'binary64'): the format of the file's values,
   whose ulps measure the errors (the caller checks it against
   --reference-type, hence the position kept).  */
static fadj_status
parse_type (void *ctx)
{
  rparser *p = ctx;
  fadj_reader *r = &p->r;
  fadj_status st;
  fadj_pos at;

  if ((st = fadj_reader_once_arg (r, &p->type, "type", FADJ_TOK_NAME,
                                  "binary32 or binary64")) != FADJ_OK)
    return st;
  at = fadj_reader_pos (r);
  if (fadj_reader_name_p (r, "binary32"))
    p->ref->type_bits = 24;
  else if (fadj_reader_name_p (r, "binary64"))
    p->ref->type_bits = 53;
  else
    return fadj_reader_expected (r, "binary32 or binary64 after 'type'");
  p->ref->type_line = at.line;
  p->ref->type_col = at.col;
  fadj_reader_next (r);
  return FADJ_OK;
}

static const fadj_statement statements[] = {
  { "gradient",       parse_gradient },
  { "input_gradient", parse_input_gradient },
  { "loss",           parse_loss },
  { "type",           parse_type },
};

void
fadj_ref_free (fadj_ref *r)
{
  size_t l;

  if (r == NULL)
    return;
  for (l = 0; l <= r->nlayers; l++)
    {
      if (r->w) fadj_mat_clear (r->w + l);
      if (r->b) fadj_mat_clear (r->b + l);
    }
  free (r->w);
  free (r->b);
  fadj_mat_clear (&r->input_gradient);
  mpq_clear (r->loss);
  free (r);
}

fadj_status
fadj_ref_parse (fadj_ref **rp, fadj_error *err, const char *text,
                size_t len, const fadj_net *net)
{
  return fadj_ref_parse_opts (rp, err, text, len, net, 0);
}

fadj_status
fadj_ref_parse_opts (fadj_ref **rp, fadj_error *err, const char *text,
                     size_t len, const fadj_net *net, unsigned flags)
{
  rparser p;
  fadj_ref *r;
  fadj_status st = FADJ_OK;
  size_t l, L = net->nlayers;

  *rp = NULL;
  memset (&p, 0, sizeof p);
  fadj_reader_init (&p.r, err, text, len);
  r = calloc (1, sizeof *r);
  if (r == NULL)
    return FADJ_ERR_NOMEM;
  mpq_init (r->loss);
  r->nlayers = L;
  r->w = calloc (L + 1, sizeof *r->w);
  r->b = calloc (L + 1, sizeof *r->b);
  p.seen = calloc (L + 1, sizeof *p.seen);
  if (r->w == NULL || r->b == NULL || p.seen == NULL)
    {
      st = FADJ_ERR_NOMEM;
      err->line = err->col = 1;
      snprintf (err->msg, sizeof err->msg, "out of memory");
      goto done;
    }
  p.net = net;
  p.ref = r;
  p.read = flags & FADJ_PARSE_COMPACT ? FADJ_READ_SCALED
    : FADJ_READ_ORDINARY;
  st = fadj_reader_statements (&p.r, statements,
                               sizeof statements / sizeof statements[0], &p);
  for (l = 1; l <= L && st == FADJ_OK; l++)
    if (p.seen[l].line == 0)
      st = fadj_reader_error (&p.r, FADJ_ERR_INPUT, fadj_reader_pos (&p.r),
                              "missing 'gradient %zu' (the network has %zu "
                              "%s)", l, L, fadj_plural (L, "layer",
                                                        "layers"));
done:
  free (p.seen);
  if (st != FADJ_OK)
    {
      fadj_ref_free (r);
      return st;
    }
  *rp = r;
  return FADJ_OK;
}
