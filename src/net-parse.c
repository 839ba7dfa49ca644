/* net-parse.c -- the parser of network files (the format is fadj-net(5)).

   file      := statement* EOF
   statement := 'title' STRING
              | 'input' matrix | 'target' matrix
              | 'sample' matrix '->' matrix
              | 'batch' ('sum' | 'mean')
              | 'layer' NAME ('(' NUMBER ')')?
              | 'weights' matrix | 'bias' (matrix | NUMBER) | 'frozen'
              | 'loss' NAME
              | 'rate' NUMBER

   Statements are free-form: a newline outside brackets is whitespace,
   and each statement starts with its keyword, looked up in a table so
   that new statements are one row and one function.  'weights' and
   'bias' (and 'frozen', which follows a bias) belong to the most recent
   'layer'; the other statements may stand anywhere.  One sample is
   'input' and 'target'; a batch is one or more 'sample' statements, and
   the two forms do not mix.  Sizes are therefore checked only at
   the end, when every part is known: N_0 from the input, N_l from the
   rows of W^l.

   Recursive descent with one token of lookahead, on the reader that
   reference files share (mat-parse.c: the tokens, the errors, the
   statement loop and the matrices, compact weights included).  Every
   error stops the parse with a located message (fadj_error) and frees
   all that was built: the network under construction is always in a
   state fadj_net_free accepts.  */

#include "mat-parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Limits (fadj.h, documented in fadj-net(5)).  They keep a hostile or
   mistaken file from asking for unbounded memory or time.  */
#define MAX_LAYERS FADJ_MAX_LAYERS
#define MAX_WIDTH FADJ_MAX_WIDTH

/* Where each part of a layer was written, for the messages of the final
   size checks.  */
typedef struct
{
  fadj_pos kw;          /* the 'layer' keyword */
  fadj_pos w_kw, b_kw;  /* the 'weights' and 'bias' keywords */
  fadj_pos w, b;        /* the '[' of their matrices (or the number) */
  fadj_pos frozen;      /* the 'frozen' keyword */
} layer_pos;

/* One 'sample X -> Y' statement, until the end of the file makes the
   batch matrices of it.  */
typedef struct
{
  fadj_mat x, y;
  fadj_pos kw, xlit, ylit;
} sample_t;

typedef struct
{
  fadj_reader r;        /* the tokens and the error */
  fadj_net *net;        /* under construction, owned */
  size_t cap;           /* allocated entries of net->layers and lpos */
  layer_pos *lpos;
  fadj_pos title, input, target, loss;  /* the keywords */
  fadj_pos batch, rate;
  fadj_pos input_lit, target_lit;       /* the '[' of their matrices */
  sample_t *samples;
  size_t nsamples, samples_cap;
  unsigned flags;       /* FADJ_PARSE_* */
} parser;

static const fadj_ctx exact_ctx = { .domain = FADJ_EXACT };

/* ------------------------------------------------------------------ */
/* Statements.  Each is entered with its keyword as the lookahead, and
   the parser as CTX: one statement loop, fadj_reader_statements, reads
   network and reference files alike, so every statement function here
   and in ref-parse.c opens the same way (the parser from CTX, then its
   reader), which `duplicates' notes as a shape shared by the two.     */

/* title-stmt := 'title' STRING  */
static fadj_status
parse_title (void *ctx)
{
  parser *p = ctx;
  fadj_reader *r = &p->r;
  const char *s;
  char *t;
  size_t i, n = 0;
  fadj_status st;

  if ((st = fadj_reader_once_arg (r, &p->title, "title", FADJ_TOK_STRING,
                                  "a string")) != FADJ_OK)
    return st;
  /* The lexer has checked the escapes; drop the quotes and the
     backslashes.  A title is one line of a page (and of pdflatex's
     input buffer once escaped): at most FADJ_MAX_TITLE characters,
     counted as UTF-8 code points (continuation bytes do not count).  */
  s = r->lx.text + r->tok.start;
  for (i = 1, n = 0; i + 1 < r->tok.len; i++)
    {
      size_t at = i;            /* where the character is written */
      if (s[i] == '\\')
        i++;
      if (((unsigned char) s[i] & 0xC0) != 0x80 && ++n > FADJ_MAX_TITLE)
        {
          fadj_pos w;
          w.line = r->tok.line;
          w.col = r->tok.col + (long) at;
          return fadj_reader_error (r, FADJ_ERR_INPUT, w, "the title is "
                                    "longer than %d characters",
                                    FADJ_MAX_TITLE);
        }
    }
  n = 0;
  t = malloc (r->tok.len - 1);
  if (t == NULL)
    return fadj_reader_nomem (r);
  for (i = 1; i + 1 < r->tok.len; i++)
    {
      if (s[i] == '\\')
        i++;
      t[n++] = s[i];
    }
  t[n] = '\0';
  p->net->title = t;
  fadj_reader_next (r);
  return FADJ_OK;
}

/* A vector literal, at its '[', as a column: WHAT (for the messages)
   into M, the '[' at *LIT.  */
static fadj_status
parse_vector (parser *p, fadj_mat *m, fadj_pos *lit, const char *what)
{
  fadj_status st;

  if ((st = fadj_reader_matrix (&p->r, m, lit, 0)) != FADJ_OK
      || (st = fadj_reader_vector (&p->r, m, what, *lit)) != FADJ_OK)
    return st;
  if (m->rows > MAX_WIDTH)
    return fadj_reader_error (&p->r, FADJ_ERR_LIMIT, *lit, "%s has %zu "
                              "entries; the limit is %d", what, m->rows,
                              MAX_WIDTH);
  return FADJ_OK;
}

/* data-stmt := ('input' | 'target') matrix  */
static fadj_status
parse_data (parser *p, const char *kw, fadj_pos *kwpos, fadj_pos *lit,
            fadj_mat *m)
{
  fadj_reader *r = &p->r;
  fadj_status st;

  /* (After 'input' or 'target' no sample may stand: so a 'sample' here
     means this is the keyword's first time.)  */
  if (p->nsamples > 0)
    return fadj_reader_error (r, FADJ_ERR_INPUT, fadj_reader_pos (r),
                              "'%s' cannot be mixed with 'sample' "
                              "statements (the first is at line %ld, "
                              "column %ld)", kw, p->samples[0].kw.line,
                              p->samples[0].kw.col);
  if ((st = fadj_reader_once (r, kwpos, kw)) != FADJ_OK)
    return st;
  if ((st = fadj_reader_bracket (r, "matrix", kw)) != FADJ_OK)
    return st;
  return parse_vector (p, m, lit, kw);
}

static fadj_status
parse_input (void *ctx)
{
  parser *p = ctx;
  return parse_data (p, "input", &p->input, &p->input_lit,
                     &p->net->input);
}

static fadj_status
parse_target (void *ctx)
{
  parser *p = ctx;
  return parse_data (p, "target", &p->target, &p->target_lit,
                     &p->net->target);
}

/* Copy the lookahead NAME into BUF as a C string; a name too long for
   BUF is no known name, and comes back empty.  */
static const char *
name_get (const fadj_reader *r, char *buf, size_t size)
{
  if (r->tok.len >= size)
    buf[0] = '\0';
  else
    {
      memcpy (buf, r->lx.text + r->tok.start, r->tok.len);
      buf[r->tok.len] = '\0';
    }
  return buf;
}

/* Make room for one more layer in the network and in LPOS.  */
static fadj_status
layers_grow (parser *p)
{
  size_t cap;
  fadj_layer *ly;
  layer_pos *lp;

  if (p->net->nlayers < p->cap)
    return FADJ_OK;
  cap = p->cap ? 2 * p->cap : 4;
  ly = realloc (p->net->layers, cap * sizeof *ly);
  if (ly == NULL)
    return fadj_reader_nomem (&p->r);
  p->net->layers = ly;
  lp = realloc (p->lpos, cap * sizeof *lp);
  if (lp == NULL)
    return fadj_reader_nomem (&p->r);
  p->lpos = lp;
  p->cap = cap;
  return FADJ_OK;
}

/* The current token names no known WHAT: say so, listing the COUNT
   names that NAME_OF gives, at the token.  */
static const char *
act_name_of (int k)
{
  return fadj_act_name ((fadj_act_kind) k);
}

static const char *
loss_name_of (int k)
{
  return fadj_loss_name ((fadj_loss_kind) k);
}

static fadj_status
error_unknown_name (fadj_reader *r, const char *what,
                    const char *(*name_of) (int), int count)
{
  char quoted[64], known[256];
  int k, n = 0;

  for (k = 0; k < count; k++)
    n += snprintf (known + n, sizeof known - (size_t) n, "%s%s",
                   k ? ", " : "", name_of (k));
  fadj_quote (quoted, sizeof quoted, r->lx.text + r->tok.start, r->tok.len);
  return fadj_reader_error (r, FADJ_ERR_INPUT, fadj_reader_pos (r),
                            "unknown %s %s; known: %s", what, quoted, known);
}

/* layer-stmt := 'layer' NAME ('(' NUMBER ')')?  */
static fadj_status
parse_layer (void *ctx)
{
  parser *p = ctx;
  fadj_reader *r = &p->r;
  fadj_net *net = p->net;
  fadj_layer *ly;
  fadj_status st;
  char name[32];
  int k;

  if (net->nlayers >= MAX_LAYERS)
    return fadj_reader_error (r, FADJ_ERR_LIMIT, fadj_reader_pos (r),
                              "too many layers (the limit is %d)",
                              MAX_LAYERS);
  if ((st = layers_grow (p)) != FADJ_OK)
    return st;
  /* Count the layer at once, so that fadj_net_free releases it.  */
  ly = &net->layers[net->nlayers];
  memset (ly, 0, sizeof *ly);
  mpq_init (ly->act_param);
  memset (&p->lpos[net->nlayers], 0, sizeof *p->lpos);
  p->lpos[net->nlayers].kw = fadj_reader_pos (r);
  net->nlayers++;

  fadj_reader_next (r);
  if (r->tok.kind != FADJ_TOK_NAME)
    return fadj_reader_expected (r, "an activation name after 'layer'");
  k = fadj_act_lookup (name_get (r, name, sizeof name));
  if (k < 0)
    return error_unknown_name (r, "activation", act_name_of,
                               FADJ_ACT_COUNT);
  ly->act = (fadj_act_kind) k;
  fadj_reader_next (r);

  if (r->tok.kind == FADJ_TOK_LPAREN)
    {
      fadj_pos open = fadj_reader_pos (r);
      if (!fadj_act_has_param_p (ly->act))
        return fadj_reader_error (r, FADJ_ERR_INPUT, open, "activation "
                                  "'%s' takes no parameter",
                                  fadj_act_name (ly->act));
      fadj_reader_next (r);
      if (r->tok.kind != FADJ_TOK_NUMBER)
        return fadj_reader_expected (r, "a number");
      if ((st = fadj_reader_number (r, ly->act_param)) != FADJ_OK)
        return st;
      ly->has_act_param = 1;
      fadj_reader_next (r);
      if (r->tok.kind != FADJ_TOK_RPAREN)
        return fadj_reader_expected (r, "')' to close the '(' at line %ld, "
                                     "column %ld", open.line, open.col);
      fadj_reader_next (r);
    }
  else
    fadj_act_default_param (ly->act_param, ly->act);  /* leaky_relu 1/100,
                                                         elu 1 */
  return FADJ_OK;
}

/* bias-stmt := 'bias' NUMBER, after its keyword: one bias shared by
   every neuron of layer LY, kept as a 1 x 1 matrix until the end of
   the file, when N_l is known (parse_finish repeats it).  The literal
   at *LIT.  */
static fadj_status
parse_shared_bias (parser *p, fadj_layer *ly, fadj_pos *lit)
{
  fadj_reader *r = &p->r;
  fadj_status st;

  *lit = fadj_reader_pos (r);
  if (fadj_mat_init (&ly->b, 1, 1, &exact_ctx) != FADJ_OK)
    return fadj_reader_nomem (r);
  ly->has_bias = 1;
  ly->bias_shared = 1;
  if ((st = fadj_reader_number (r, FADJ_NUM_Q (&ly->b.e[0]))) != FADJ_OK)
    return st;
  ly->b.written = fadj_reader_fraction_p (r) ? FADJ_WRITTEN_FRACTION
                  : FADJ_WRITTEN_DECIMAL;
  fadj_reader_next (r);
  return FADJ_OK;
}

/* weights-stmt := 'weights' matrix
   bias-stmt    := 'bias' (matrix | NUMBER)
   Both belong to the most recent layer.  */
static fadj_status
parse_layer_matrix (parser *p, int bias)
{
  const char *kw = bias ? "bias" : "weights";
  fadj_reader *r = &p->r;
  fadj_layer *ly;
  layer_pos *lp;
  fadj_pos *lit, *kwpos;
  size_t l;
  fadj_status st;

  if (p->net->nlayers == 0)
    return fadj_reader_error (r, FADJ_ERR_INPUT, fadj_reader_pos (r),
                              "'%s' before any 'layer' statement (it "
                              "belongs to the layer above it)", kw);
  l = p->net->nlayers;
  ly = &p->net->layers[l - 1];
  lp = &p->lpos[l - 1];
  lit = bias ? &lp->b : &lp->w;
  kwpos = bias ? &lp->b_kw : &lp->w_kw;
  if (kwpos->line != 0)
    return fadj_reader_error (r, FADJ_ERR_INPUT, fadj_reader_pos (r),
                              "layer %zu already has %s (given at line %ld, "
                              "column %ld)", l, bias ? "a bias" : "weights",
                              kwpos->line, kwpos->col);
  *kwpos = fadj_reader_pos (r);
  fadj_reader_next (r);
  if (bias && r->tok.kind == FADJ_TOK_NUMBER)
    return parse_shared_bias (p, ly, lit);
  if (bias)
    {
      if (r->tok.kind != FADJ_TOK_LBRACKET)
        return fadj_reader_expected (r, "'[' to start a vector, or a number "
                                     "(one bias shared by the layer), "
                                     "after 'bias'");
      if ((st = fadj_reader_matrix (r, &ly->b, lit, 0)) != FADJ_OK)
        return st;
      ly->has_bias = 1;
      return fadj_reader_vector (r, &ly->b, "bias", *lit);
    }
  if ((st = fadj_reader_bracket (r, "matrix", kw)) != FADJ_OK
      || (st = fadj_reader_matrix (r, &ly->w, lit,
                                   (p->flags & FADJ_PARSE_COMPACT) != 0))
      != FADJ_OK)
    return st;
  if (ly->w.rows > MAX_WIDTH)
    return fadj_reader_error (r, FADJ_ERR_LIMIT, *lit, "layer %zu has %zu "
                              "neurons; the limit is %d", l, ly->w.rows,
                              MAX_WIDTH);
  return FADJ_OK;
}

static fadj_status
parse_weights (void *ctx)
{
  return parse_layer_matrix (ctx, 0);
}

static fadj_status
parse_bias (void *ctx)
{
  return parse_layer_matrix (ctx, 1);
}

/* frozen-stmt := 'frozen'
   Freezes the bias of the most recent layer: training steps leave it
   as it is.  It must follow that bias.  */
static fadj_status
parse_frozen (void *ctx)
{
  parser *p = ctx;
  fadj_reader *r = &p->r;
  size_t l = p->net->nlayers;
  layer_pos *lp;

  if (l == 0)
    return fadj_reader_error (r, FADJ_ERR_INPUT, fadj_reader_pos (r),
                              "'frozen' before any 'layer' statement (it "
                              "freezes the bias of the layer above it)");
  lp = &p->lpos[l - 1];
  if (!p->net->layers[l - 1].has_bias)
    return fadj_reader_error (r, FADJ_ERR_INPUT, fadj_reader_pos (r),
                              "'frozen' must follow a 'bias' statement "
                              "(layer %zu has no bias to freeze)", l);
  if (lp->frozen.line != 0)
    return fadj_reader_error (r, FADJ_ERR_INPUT, fadj_reader_pos (r),
                              "the bias of layer %zu is already frozen (at "
                              "line %ld, column %ld)", l, lp->frozen.line,
                              lp->frozen.col);
  lp->frozen = fadj_reader_pos (r);
  p->net->layers[l - 1].bias_frozen = 1;
  fadj_reader_next (r);
  return FADJ_OK;
}

/* sample-stmt := 'sample' matrix '->' matrix
   One sample of a batch: its input, then its target.  */
static fadj_status
parse_sample (void *ctx)
{
  parser *p = ctx;
  fadj_reader *r = &p->r;
  sample_t *sm;
  fadj_status st;

  if (p->input.line != 0 || p->target.line != 0)
    {
      fadj_pos first = p->input.line != 0 ? p->input : p->target;
      return fadj_reader_error (r, FADJ_ERR_INPUT, fadj_reader_pos (r),
                                "'sample' cannot be mixed with '%s' (at "
                                "line %ld, column %ld): write every sample "
                                "as 'sample X -> Y'",
                                p->input.line != 0 ? "input" : "target",
                                first.line, first.col);
    }
  if (p->nsamples >= FADJ_MAX_SAMPLES)
    return fadj_reader_error (r, FADJ_ERR_LIMIT, fadj_reader_pos (r),
                              "too many samples (the limit is %d)",
                              FADJ_MAX_SAMPLES);
  if (p->nsamples == p->samples_cap)
    {
      size_t cap = p->samples_cap ? 2 * p->samples_cap : 8;
      sample_t *n = realloc (p->samples, cap * sizeof *n);
      if (n == NULL)
        return fadj_reader_nomem (r);
      p->samples = n;
      p->samples_cap = cap;
    }
  sm = &p->samples[p->nsamples++];
  memset (sm, 0, sizeof *sm);
  sm->kw = fadj_reader_pos (r);
  fadj_reader_next (r);
  if ((st = fadj_reader_bracket (r, "vector", "sample")) != FADJ_OK
      || (st = parse_vector (p, &sm->x, &sm->xlit, "a sample's input"))
      != FADJ_OK)
    return st;
  if (r->tok.kind != FADJ_TOK_ARROW)
    return fadj_reader_expected (r, "'->' between the sample's input and "
                                 "its target");
  fadj_reader_next (r);
  if ((st = fadj_reader_bracket (r, "vector", "->")) != FADJ_OK)
    return st;
  return parse_vector (p, &sm->y, &sm->ylit, "a sample's target");
}

/* batch-stmt := 'batch' ('sum' | 'mean')  */
static fadj_status
parse_batch (void *ctx)
{
  parser *p = ctx;
  fadj_reader *r = &p->r;
  char name[32], quoted[64];
  fadj_status st;

  if ((st = fadj_reader_once_arg (r, &p->batch, "batch", FADJ_TOK_NAME,
                                  "'sum' or 'mean'")) != FADJ_OK)
    return st;
  name_get (r, name, sizeof name);
  if (strcmp (name, "sum") == 0)
    p->net->batch = FADJ_BATCH_SUM;
  else if (strcmp (name, "mean") == 0)
    p->net->batch = FADJ_BATCH_MEAN;
  else
    return fadj_reader_error (r, FADJ_ERR_INPUT, fadj_reader_pos (r),
                              "unknown batch reduction %s; known: sum, mean",
                              fadj_quote (quoted, sizeof quoted,
                                          r->lx.text + r->tok.start,
                                          r->tok.len));
  fadj_reader_next (r);
  return FADJ_OK;
}

/* rate-stmt := 'rate' NUMBER   (the learning rate, > 0)

   It opens and closes as the statement parsers around it and those of
   ref-parse.c (parse_loss there) do: that is the fadj_statement
   callback's shape, each statement's reading is its own.  */
static fadj_status
parse_rate (void *ctx)
{
  parser *p = ctx;
  fadj_reader *r = &p->r;
  fadj_status st;

  if ((st = fadj_reader_once_number (r, &p->rate, "rate", p->net->rate))
      != FADJ_OK)
    return st;
  if (mpq_sgn (p->net->rate) <= 0)
    return fadj_reader_error (r, FADJ_ERR_INPUT, fadj_reader_pos (r),
                              "the learning rate must be positive");
  p->net->has_rate = 1;
  fadj_reader_next (r);
  return FADJ_OK;
}

/* loss-stmt := 'loss' NAME  */
static fadj_status
parse_loss (void *ctx)
{
  parser *p = ctx;
  fadj_reader *r = &p->r;
  char name[32];
  int k;
  fadj_status st;

  if ((st = fadj_reader_once_arg (r, &p->loss, "loss", FADJ_TOK_NAME,
                                  "a loss name")) != FADJ_OK)
    return st;
  k = fadj_loss_lookup (name_get (r, name, sizeof name));
  if (k < 0)
    return error_unknown_name (r, "loss", loss_name_of, FADJ_LOSS_COUNT);
  p->net->loss = (fadj_loss_kind) k;
  p->net->loss_line = p->loss.line;
  p->net->loss_col = p->loss.col;
  fadj_reader_next (r);
  return FADJ_OK;
}

/* The statements, by keyword.  A new statement is a row here and a
   parse function above.  */
static const fadj_statement statements[] = {
  { "title",   parse_title },
  { "input",   parse_input },
  { "target",  parse_target },
  { "sample",  parse_sample },
  { "batch",   parse_batch },
  { "layer",   parse_layer },
  { "weights", parse_weights },
  { "bias",    parse_bias },
  { "frozen",  parse_frozen },
  { "loss",    parse_loss },
  { "rate",    parse_rate },
};

/* ------------------------------------------------------------------ */
/* The whole file.                                                     */

static void
samples_free (parser *p)
{
  size_t k;

  for (k = 0; k < p->nsamples; k++)
    {
      fadj_mat_clear (&p->samples[k].x);
      fadj_mat_clear (&p->samples[k].y);
    }
  free (p->samples);
  p->samples = NULL;
  p->nsamples = 0;
}

/* The samples become the columns of the input and the target, once all
   of them have the sizes of the first.  */
static fadj_status
samples_finish (parser *p)
{
  fadj_reader *r = &p->r;
  fadj_net *net = p->net;
  size_t m = p->nsamples, n0 = p->samples[0].x.rows;
  size_t nl = p->samples[0].y.rows, k, i;

  for (k = 1; k < m; k++)
    {
      const sample_t *sm = &p->samples[k];
      int in = sm->x.rows != n0;        /* the input is wrong, or */
      size_t got = in ? sm->x.rows : sm->y.rows;
      if (in || sm->y.rows != nl)       /* the target */
        return fadj_reader_error (r, FADJ_ERR_INPUT, in ? sm->xlit : sm->ylit,
                                  "sample %zu: the %s has %zu %s but sample "
                                  "1's has %zu", k + 1,
                                  in ? "input" : "target", got,
                                  fadj_plural (got, "entry", "entries"),
                                  in ? n0 : nl);
    }
  if (fadj_mat_init (&net->input, n0, m, &exact_ctx) != FADJ_OK
      || fadj_mat_init (&net->target, nl, m, &exact_ctx) != FADJ_OK)
    return fadj_reader_nomem (r);
  for (k = 0; k < m; k++)
    {
      for (i = 0; i < n0; i++)
        mpq_set (FADJ_NUM_Q (FADJ_MAT (&net->input, i, k)),
                 FADJ_NUM_Q (&p->samples[k].x.e[i]));
      for (i = 0; i < nl; i++)
        mpq_set (FADJ_NUM_Q (FADJ_MAT (&net->target, i, k)),
                 FADJ_NUM_Q (&p->samples[k].y.e[i]));
      /* Written with a fraction if any sample's vector was.  */
      if (p->samples[k].x.written > net->input.written)
        net->input.written = p->samples[k].x.written;
      if (p->samples[k].y.written > net->target.written)
        net->target.written = p->samples[k].y.written;
    }
  /* The size checks below speak of the target: point them at the first
     sample's.  */
  p->target_lit = p->samples[0].ylit;
  return FADJ_OK;
}

/* A shared bias (1 x 1 until now) repeated for the N neurons of its
   layer: then every formula of the augmented convention holds as is.  */
static fadj_status
bias_repeat (parser *p, fadj_layer *ly, size_t n)
{
  fadj_mat b;
  size_t i;

  if (fadj_mat_init (&b, n, 1, &exact_ctx) != FADJ_OK)
    return fadj_reader_nomem (&p->r);
  for (i = 0; i < n; i++)
    mpq_set (FADJ_NUM_Q (&b.e[i]), FADJ_NUM_Q (&ly->b.e[0]));
  b.written = ly->b.written;
  fadj_mat_clear (&ly->b);
  ly->b = b;
  return FADJ_OK;
}

/* The sizes of layer L (0-based) against those before it: N_L from the
   rows of its weights, into net->sizes.  */
static fadj_status
layer_sizes (parser *p, size_t l)
{
  fadj_reader *r = &p->r;
  fadj_net *net = p->net;
  const fadj_layer *ly = &net->layers[l];
  size_t prev = net->sizes[l], n = ly->w.rows;
  fadj_status st;

  if (ly->w.cols != prev)
    {
      if (l == 0)
        return fadj_reader_error (r, FADJ_ERR_INPUT, p->lpos[l].w,
                                  "layer 1: weights have %zu %s but the "
                                  "input has %zu %s (N_0 = %zu)", ly->w.cols,
                                  fadj_plural (ly->w.cols, "column",
                                               "columns"),
                                  prev, fadj_plural (prev, "entry",
                                                     "entries"), prev);
      return fadj_reader_error (r, FADJ_ERR_INPUT, p->lpos[l].w,
                                "layer %zu: weights have %zu %s but layer "
                                "%zu has %zu %s (N_%zu = %zu)", l + 1,
                                ly->w.cols, fadj_plural (ly->w.cols,
                                                         "column",
                                                         "columns"), l,
                                prev, fadj_plural (prev, "neuron",
                                                   "neurons"), l, prev);
    }
  if (ly->has_bias && ly->bias_shared
      && (st = bias_repeat (p, &net->layers[l], n)) != FADJ_OK)
    return st;
  if (ly->has_bias && ly->b.rows != n)
    return fadj_reader_error (r, FADJ_ERR_INPUT, p->lpos[l].b,
                              "layer %zu: bias has %zu %s but the layer has "
                              "%zu %s (N_%zu = %zu)", l + 1, ly->b.rows,
                              fadj_plural (ly->b.rows, "entry", "entries"),
                              n, fadj_plural (n, "neuron", "neurons"), l + 1,
                              n);
  net->sizes[l + 1] = n;
  return FADJ_OK;
}

/* At the end of the file: every required part present, and the sizes
   consistent.  Sizes are inferred (N_0 from the input, N_l from the rows
   of W^l) and each mismatch is reported at the literal that disagrees
   with what came before it.  */
static fadj_status
parse_finish (parser *p)
{
  fadj_reader *r = &p->r;
  fadj_net *net = p->net;
  fadj_pos eof = fadj_reader_pos (r);
  size_t l, L = net->nlayers;

  fadj_status st;

  for (l = 0; l < L; l++)
    if (p->lpos[l].w.line == 0)
      return fadj_reader_error (r, FADJ_ERR_INPUT, p->lpos[l].kw,
                                "layer %zu has no weights", l + 1);
  if (p->nsamples > 0)
    {
      if ((st = samples_finish (p)) != FADJ_OK)
        return st;
    }
  else if (p->input.line == 0)
    return fadj_reader_error (r, FADJ_ERR_INPUT, eof, "missing 'input' "
                              "statement");
  else if (p->target.line == 0)
    return fadj_reader_error (r, FADJ_ERR_INPUT, eof, "missing 'target' "
                              "statement");
  if (L == 0)
    return fadj_reader_error (r, FADJ_ERR_INPUT, eof, "missing 'layer' "
                              "statement (a network has at least one "
                              "layer)");
  if (p->loss.line == 0)
    return fadj_reader_error (r, FADJ_ERR_INPUT, eof, "missing 'loss' "
                              "statement");

  net->sizes = malloc ((L + 1) * sizeof *net->sizes);
  if (net->sizes == NULL)
    return fadj_reader_nomem (r);
  net->sizes[0] = net->input.rows;
  for (l = 0; l < L; l++)
    if ((st = layer_sizes (p, l)) != FADJ_OK)
      return st;
  if (net->target.rows != net->sizes[L])
    return fadj_reader_error (r, FADJ_ERR_INPUT, p->target_lit,
                              "target has %zu %s but the last layer has %zu "
                              "%s", net->target.rows,
                              fadj_plural (net->target.rows, "entry",
                                           "entries"), net->sizes[L],
                              fadj_plural (net->sizes[L], "neuron",
                                           "neurons"));
  net->nsamples = net->input.cols;
  return FADJ_OK;
}

fadj_status
fadj_net_parse (fadj_net **netp, fadj_error *err, const char *text,
                size_t len)
{
  return fadj_net_parse_opts (netp, err, text, len, 0);
}

/* fadj-gen's first line, "# Written by fadj-gen ... --seed=N ...": the
   seed of the exercise into NET (has_gen_seed), so that a document can
   name it.  A comment: the grammar never sees it, any other first line
   records nothing.  TEXT is LEN bytes, not NUL-terminated.  */
static void
read_gen_seed (fadj_net *net, const char *text, size_t len)
{
  static const char head[] = "# Written by fadj-gen ";
  static const char key[] = " --seed=";
  const char *eol = memchr (text, '\n', len), *p;
  size_t n = eol != NULL ? (size_t) (eol - text) : len, k;
  unsigned long seed = 0;

  if (n < sizeof head - 1 || memcmp (text, head, sizeof head - 1) != 0)
    return;
  for (p = text; p + (sizeof key - 1) <= text + n; p++)
    if (memcmp (p, key, sizeof key - 1) == 0)
      break;
  if (p + (sizeof key - 1) > text + n)
    return;
  p += sizeof key - 1;
  for (k = 0; p < text + n && *p >= '0' && *p <= '9' && k < 10; p++, k++)
    seed = 10 * seed + (unsigned long) (*p - '0');
  /* fadj-gen's seeds have at most 10 digits (32 bits).  */
  if (k == 0 || (p < text + n && *p >= '0' && *p <= '9'))
    return;
  net->has_gen_seed = 1;
  net->gen_seed = seed;
}

fadj_status
fadj_net_parse_opts (fadj_net **netp, fadj_error *err, const char *text,
                     size_t len, unsigned flags)
{
  parser p;
  fadj_status st;

  *netp = NULL;
  memset (&p, 0, sizeof p);
  p.flags = flags;
  fadj_reader_init (&p.r, err, text, len);
  p.net = calloc (1, sizeof *p.net);
  if (p.net == NULL)
    {
      err->line = err->col = 1;
      snprintf (err->msg, sizeof err->msg, "out of memory");
      return FADJ_ERR_NOMEM;
    }
  mpq_init (p.net->rate);
  if ((st = fadj_reader_statements (&p.r, statements,
                                    sizeof statements / sizeof statements[0],
                                    &p)) != FADJ_OK
      || (st = parse_finish (&p)) != FADJ_OK)
    {
      free (p.lpos);
      samples_free (&p);
      fadj_net_free (p.net);
      return st;
    }
  free (p.lpos);
  samples_free (&p);
  read_gen_seed (p.net, text, len);
  *netp = p.net;
  return FADJ_OK;
}
