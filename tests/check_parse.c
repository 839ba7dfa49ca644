/* check_parse.c -- unit tests of the network file parser (lex.c,
   net-parse.c, net.c): tokens, valid files read into the right network,
   invalid files refused with the right located message (inline and as
   the files of tests/invalid/, which the program's shell test shares),
   the limits, and robustness against arbitrary bytes.

   The random test prints its seed; set FADJ_TEST_SEED to replay it.  */

#define _POSIX_C_SOURCE 200809L

#include "config.h"
#include "test-common.h"
#include "lex.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ */
/* Helpers.                                                            */

/* A growing string, for dumps and generated inputs.  */
typedef struct
{
  char *s;
  size_t n, cap;
} str;

static void
str_add (str *b, const char *fmt, ...)
{
  va_list ap;
  int k;

  for (;;)
    {
      size_t room = b->cap - b->n;
      va_start (ap, fmt);
      k = gmp_vsnprintf (b->s + b->n, room, fmt, ap);
      va_end (ap);
      ck_assert_int_ge (k, 0);
      if ((size_t) k < room)
        break;
      b->cap = 2 * b->cap + (size_t) k + 64;
      b->s = realloc (b->s, b->cap);
      ck_assert_ptr_nonnull (b->s);
    }
  b->n += (size_t) k;
}

static void
str_init (str *b)
{
  b->cap = 256;
  b->n = 0;
  b->s = malloc (b->cap);
  ck_assert_ptr_nonnull (b->s);
  b->s[0] = '\0';
}

static void
dump_vec (str *b, const char *name, const fadj_mat *m)
{
  size_t k;

  if (m->cols == 1)
    str_add (b, "%s[%zu]=", name, m->rows);
  else
    str_add (b, "%s[%zux%zu]=", name, m->rows, m->cols);
  for (k = 0; k < m->rows * m->cols; k++)
    str_add (b, "%s%Qd", k ? "," : "", FADJ_NUM_Q (&m->e[k]));
}

/* The whole network in one line, so that a table row can say what a file
   must give:
   t=TITLE; m=1; N=N_0,..,N_L; x[N_0]=...; y[N_L]=...;
   ACT W[RxC]=... b[N]=...; ...; LOSS
   leaky_relu shows its parameter: (a) when written, [a] by default.  */
static void
dump_net (str *b, const fadj_net *net)
{
  size_t l, k;

  str_add (b, "t=%s; m=%zu; N=", net->title ? net->title : "-",
           net->nsamples);
  for (l = 0; l <= net->nlayers; l++)
    str_add (b, "%s%zu", l ? "," : "", net->sizes[l]);
  str_add (b, "; ");
  dump_vec (b, "x", &net->input);
  str_add (b, "; ");
  dump_vec (b, "y", &net->target);
  for (l = 0; l < net->nlayers; l++)
    {
      const fadj_layer *ly = &net->layers[l];
      str_add (b, "; %s", fadj_act_name (ly->act));
      if (ly->has_act_param)
        str_add (b, "(%Qd)", ly->act_param);
      else if (mpq_sgn (ly->act_param) != 0)
        str_add (b, "[%Qd]", ly->act_param);
      str_add (b, " W[%zux%zu]=", ly->w.rows, ly->w.cols);
      for (k = 0; k < ly->w.rows * ly->w.cols; k++)
        {
          /* compact or not */
          mpq_t q;
          mpq_init (q);
          fadj_mat_get_q (q, &ly->w, k);
          str_add (b, "%s%Qd", k ? "," : "", q);
          mpq_clear (q);
        }
      if (ly->has_bias)
        {
          str_add (b, " ");
          dump_vec (b, ly->bias_shared ? "shared b" : "b", &ly->b);
          if (ly->bias_frozen)
            str_add (b, " frozen");
        }
      else if (ly->b.rows != 0)
        str_add (b, " !bias");
    }
  str_add (b, "; %s", fadj_loss_name (net->loss));
  if (net->batch == FADJ_BATCH_MEAN)
    str_add (b, "; mean");
  if (net->has_rate)
    str_add (b, "; rate %Qd", net->rate);
}

/* "LINE:COL: error: MSG" as the program prints it after the file name.  */
static void
format_error (char *buf, size_t size, const fadj_error *err)
{
  snprintf (buf, size, "%ld:%ld: error: %s", err->line, err->col, err->msg);
}

/* The byte length of line LINE (1-based) of TEXT, or -1 if there is no
   such line.  */
static long
line_length (const char *text, size_t len, long line)
{
  size_t p = 0, q;
  long l;

  for (l = 1; l < line; l++)
    {
      const char *nl = memchr (text + p, '\n', len - p);
      if (nl == NULL)
        return -1;
      p = (size_t) (nl - text) + 1;
    }
  for (q = p; q < len && text[q] != '\n'; q++)
    ;
  return (long) (q - p);
}

/* Every error names a real place: a line of the text, and a column on
   it or just past its end (end of line, end of file).  */
static void
check_error_position (const char *text, size_t len, const fadj_error *err)
{
  long ll = line_length (text, len, err->line);

  ck_assert_msg (err->line >= 1 && ll >= 0, "bad line %ld: %s", err->line,
                 err->msg);
  ck_assert_msg (err->col >= 1 && err->col <= ll + 1,
                 "bad column %ld (line length %ld): %s", err->col, ll,
                 err->msg);
  ck_assert_msg (err->msg[0] != '\0', "empty message");
}

/* Invariants of every network the parser returns.  */
static void
check_net_consistent (const fadj_net *net)
{
  size_t l;

  ck_assert_uint_ge (net->nlayers, 1);
  ck_assert_uint_ge (net->nsamples, 1);
  ck_assert_uint_eq (net->input.rows, net->sizes[0]);
  ck_assert_uint_eq (net->input.cols, net->nsamples);
  ck_assert_uint_eq (net->target.rows, net->sizes[net->nlayers]);
  ck_assert_uint_eq (net->target.cols, net->nsamples);
  for (l = 0; l < net->nlayers; l++)
    {
      const fadj_layer *ly = &net->layers[l];
      ck_assert_uint_eq (ly->w.rows, net->sizes[l + 1]);
      ck_assert_uint_eq (ly->w.cols, net->sizes[l]);
      ck_assert_uint_ge (ly->w.rows, 1);
      if (ly->has_bias)
        {
          ck_assert_uint_eq (ly->b.rows, net->sizes[l + 1]);
          ck_assert_uint_eq (ly->b.cols, 1);
        }
      else
        ck_assert (!ly->bias_shared && !ly->bias_frozen);
      if (ly->bias_shared)
        ck_assert (mpq_equal (FADJ_NUM_Q (&ly->b.e[0]),
                              FADJ_NUM_Q (&ly->b.e[ly->b.rows - 1])));
      if (ly->w.k != NULL)
        ck_assert (ly->w.e == NULL && ly->w.den >= 1
                   && ly->w.den < (UINT64_C (1) << 62));
      else
        ck_assert_int_eq (FADJ_NUM_DOMAIN (ly->w.e), FADJ_EXACT);
    }
}

/* fadj_net_parse, and the same text with FADJ_PARSE_COMPACT: the two
   must agree on everything -- status, position and message of an error,
   the network entry for entry -- whether the compact form was kept or
   given up half-way (a literal of another form, a scale too large).  So
   every parse of these tests checks the compact mode too.  */
static fadj_status
parse_both (fadj_net **net, fadj_error *err, const char *text, size_t len)
{
  fadj_net *c = (fadj_net *) 1;
  fadj_error cerr;
  fadj_status st = fadj_net_parse (net, err, text, len);
  fadj_status cst = fadj_net_parse_opts (&c, &cerr, text, len,
                                         FADJ_PARSE_COMPACT);
  str a, b;

  ck_assert_int_eq (cst, st);
  if (st != FADJ_OK)
    {
      ck_assert_ptr_null (c);
      ck_assert_int_eq (cerr.line, err->line);
      ck_assert_int_eq (cerr.col, err->col);
      ck_assert_str_eq (cerr.msg, err->msg);
      return st;
    }
  check_net_consistent (c);
  str_init (&a);
  str_init (&b);
  dump_net (&a, *net);
  dump_net (&b, c);
  ck_assert_str_eq (b.s, a.s);
  ck_assert_int_eq (fadj_net_expand (c), FADJ_OK);
  ck_assert (!fadj_net_compact_p (c));
  check_net_consistent (c);
  b.n = 0;
  dump_net (&b, c);
  ck_assert_str_eq (b.s, a.s);
  free (a.s);
  free (b.s);
  fadj_net_free (c);
  return st;
}

static char *
read_file (const char *path, size_t *len)
{
  FILE *f = fopen (path, "rb");
  char *buf;
  long n;

  ck_assert_msg (f != NULL, "cannot open %s", path);
  ck_assert_int_eq (fseek (f, 0, SEEK_END), 0);
  n = ftell (f);
  ck_assert_int_ge (n, 0);
  rewind (f);
  buf = malloc ((size_t) n + 1);
  ck_assert_ptr_nonnull (buf);
  ck_assert_uint_eq (fread (buf, 1, (size_t) n, f), (size_t) n);
  buf[n] = '\0';
  fclose (f);
  *len = (size_t) n;
  return buf;
}

/* A string literal and its length, for texts holding NUL bytes.  */
#define SPAN(s) s, sizeof s - 1

static const char *
srcdir (void)
{
  const char *d = getenv ("top_srcdir");
  return d != NULL && *d != '\0' ? d : ".";
}

/* ------------------------------------------------------------------ */
/* The lexer.                                                          */

static const char *const kind_names[] = {
  [FADJ_TOK_EOF] = "EOF", [FADJ_TOK_NEWLINE] = "NL",
  [FADJ_TOK_NAME] = "NAME", [FADJ_TOK_NUMBER] = "NUM",
  [FADJ_TOK_STRING] = "STR", [FADJ_TOK_LBRACKET] = "[",
  [FADJ_TOK_RBRACKET] = "]", [FADJ_TOK_LPAREN] = "(",
  [FADJ_TOK_RPAREN] = ")", [FADJ_TOK_COMMA] = ",",
  [FADJ_TOK_SEMICOLON] = ";", [FADJ_TOK_ARROW] = "->",
  [FADJ_TOK_ERROR] = "ERR",
};

static const struct
{
  const char *text;
  int newlines;
  const char *tokens;   /* kind:text ..., then the last token's position */
} lex_rows[] = {
  { "layer leaky_relu(0.1)", 0,
    "NAME:layer NAME:leaky_relu (:( NUM:0.1 ):) EOF@1:22" },
  { "sample [1] -> [2]", 0, "NAME:sample [:[ NUM:1 ]:] ->:-> [:[ NUM:2 ]:] "
    "EOF@1:18" },
  { "[1 -1; -1 1]", 1, "[:[ NUM:1 NUM:-1 ;:; NUM:-1 NUM:1 ]:] EOF@1:13" },
  { "[1,-2\n3]", 1, "[:[ NUM:1 ,:, NUM:-2 NL:\n NUM:3 ]:] EOF@2:3" },
  { "[1\n2]", 0, "[:[ NUM:1 NUM:2 ]:] EOF@2:3" },
  { "1.5e-3 0x1.8p-3 3/-20 +.5 -0X1P+4", 0,
    "NUM:1.5e-3 NUM:0x1.8p-3 NUM:3/-20 NUM:+.5 NUM:-0X1P+4 EOF@1:34" },
  { "0x1e-3", 0, "ERR:0 EOF@1:1" },  /* 'e' is a hex digit: no sign */
  { "1-1", 0, "ERR:1 EOF@1:1" },
  { "# comment [ \" \x01\n  title \"a \\\" b\" # c", 0,
    "NAME:title STR:\"a \\\" b\" EOF@2:21" },
  { "\"abc", 0, "ERR:\" EOF@1:1" },
  { "\"a\nb\"", 0, "ERR:\" EOF@1:1" },
  { "- 1", 0, "ERR:- EOF@1:1" },
  { "@", 0, "ERR:@ EOF@1:1" },
  { "a\r\nb", 1, "NAME:a NL:\n NAME:b EOF@2:2" },
  { "", 0, "EOF@1:1" },
  { "\n\n  ", 0, "EOF@3:3" },
};

START_TEST (test_lex_tokens)
{
  const char *text = lex_rows[_i].text;
  fadj_lexer lx;
  fadj_token tok;
  str b;
  int guard = 0;

  str_init (&b);
  fadj_lexer_init (&lx, text, strlen (text));
  lx.newlines = lex_rows[_i].newlines;
  do
    {
      fadj_lexer_next (&lx, &tok);
      if (tok.kind == FADJ_TOK_EOF || tok.kind == FADJ_TOK_ERROR)
        break;
      str_add (&b, "%s:%.*s ", kind_names[tok.kind], (int) tok.len,
               text + tok.start);
    }
  while (++guard < 100);
  if (tok.kind == FADJ_TOK_ERROR)
    {
      str_add (&b, "ERR:%c ", text[tok.start]);
      tok.line = tok.col = 1;   /* an error token's place is in the msg */
      ck_assert_str_ne (lx.msg, "");
    }
  str_add (&b, "EOF@%ld:%ld", tok.line, tok.col);
  ck_assert_str_eq (b.s, lex_rows[_i].tokens);
  free (b.s);
}
END_TEST

static const struct
{
  const char *text;
  size_t len;
  const char *described;
} describe_rows[] = {
  { "foo", 3, "'foo'" },
  { "\x01\xff", 2, "'\\x01\\xff'" },
  { "a\0b", 3, "'a\\x00b'" },
  { "0123456789012345678901234567890123456789012345", 46,
    "'0123456789012345678901234567890123456789...'" },
};

START_TEST (test_lex_describe)
{
  char buf[64];
  fadj_lexer lx;
  fadj_token tok;

  ck_assert_str_eq (fadj_quote (buf, sizeof buf, describe_rows[_i].text,
                                describe_rows[_i].len),
                    describe_rows[_i].described);
  fadj_lexer_init (&lx, "\n", 1);
  lx.newlines = 1;
  fadj_lexer_next (&lx, &tok);
  ck_assert_str_eq (fadj_token_describe (buf, sizeof buf, &lx, &tok),
                    "end of line");
  fadj_lexer_next (&lx, &tok);
  ck_assert_str_eq (fadj_token_describe (buf, sizeof buf, &lx, &tok),
                    "end of file");
}
END_TEST

/* ------------------------------------------------------------------ */
/* Valid files.                                                        */

#define A221 \
  "# Boughammoura's A[2,2,1] example\n" \
  "title  \"A[2,2,1], x = (0,0), y = 1\"\n" \
  "input  [0, 0]              # X^0, a column vector\n" \
  "target [1]                 # y\n" \
  "layer sigmoid\n" \
  "  weights [1 -1; -1 1]     # W^1: rows are the neurons of layer 1\n" \
  "  bias    [1, -1]          # optional, one entry per neuron\n" \
  "layer sigmoid\n" \
  "  weights [1 -1]\n" \
  "  bias    [1]\n" \
  "loss half_squared          # J = 1/2 ||X^L - y||^2\n"

#define A221_DUMP \
  "t=A[2,2,1], x = (0,0), y = 1; m=1; N=2,2,1; x[2]=0,0; y[1]=1; " \
  "sigmoid W[2x2]=1,-1,-1,1 b[2]=1,-1; sigmoid W[1x2]=1,-1 b[1]=1; " \
  "half_squared"

static const struct
{
  const char *text;
  size_t len;           /* 0: strlen */
  const char *dump;
} valid[] = {
  { A221, 0, A221_DUMP },
  /* minimal, all on one line */
  { "input [1] target [2] layer identity weights [3] loss squared", 0,
    "t=-; m=1; N=1,1; x[1]=1; y[1]=2; identity W[1x1]=3; squared" },
  /* a UTF-8 byte order mark (Notepad's) before the text is skipped */
  { "\xef\xbb\xbfinput [1] target [2] layer identity weights [3] "
    "loss squared", 0,
    "t=-; m=1; N=1,1; x[1]=1; y[1]=2; identity W[1x1]=3; squared" },
  /* title, input, target, loss anywhere */
  { "layer relu weights [1 2]\nloss half_squared\ntarget [7]\n"
    "input [1/2 -1]\ntitle \"end\"", 0,
    "t=end; m=1; N=2,1; x[2]=1/2,-1; y[1]=7; relu W[1x2]=1,2; "
    "half_squared" },
  /* vectors as rows or columns, flat or nested */
  { "input [1; 2]\ntarget [[5], [6]]\nlayer identity\n"
    "weights [[1, 0], [0, 1]]\nbias [[1, 2]]\nloss squared", 0,
    "t=-; m=1; N=2,2; x[2]=1,2; y[2]=5,6; identity W[2x2]=1,0,0,1 "
    "b[2]=1,2; squared" },
  { "input [\n  1\n  2\n]\ntarget [3\n4]\nlayer identity weights [1 0\n"
    "0 1] loss squared", 0,
    "t=-; m=1; N=2,2; x[2]=1,2; y[2]=3,4; identity W[2x2]=1,0,0,1; "
    "squared" },
  /* blank lines, trailing ';', comments inside a matrix */
  { "input [1, 2] target [0]\nlayer identity\n"
    "weights [\n\n  1, 2;;   # first row\n\n  ;\n]\nloss squared\n", 0,
    "t=-; m=1; N=2,1; x[2]=1,2; y[1]=0; identity W[1x2]=1,2; squared" },
  /* every number form */
  { "input [0.15 -3/20 0x1.8p-3 .5 1.5e-3 2E+4 5. -0x.8p1 0x10 +7]\n"
    "target [0] layer identity weights [1 1 1 1 1 1 1 1 1 1] loss squared",
    0,
    "t=-; m=1; N=10,1; x[10]=3/20,-3/20,3/16,1/2,3/2000,20000,5,-1,16,7; "
    "y[1]=0; identity W[1x10]=1,1,1,1,1,1,1,1,1,1; squared" },
  /* leaky_relu: the default slope, and written ones */
  { "input [1] target [1] layer leaky_relu weights [1] "
    "layer leaky_relu(0.1) weights [1] layer leaky_relu ( -1/3 ) "
    "weights [1] loss squared", 0,
    "t=-; m=1; N=1,1,1,1; x[1]=1; y[1]=1; leaky_relu[1/100] W[1x1]=1; "
    "leaky_relu(1/10) W[1x1]=1; leaky_relu(-1/3) W[1x1]=1; squared" },
  /* every activation and the other loss */
  { "input [1] target [1]\nlayer identity weights [1]\n"
    "layer sigmoid weights [1]\nlayer tanh weights [1]\n"
    "layer relu weights [1]\nlayer leaky_relu(0) weights [1]\n"
    "layer softplus weights [1]\nloss half_squared", 0,
    "t=-; m=1; N=1,1,1,1,1,1,1; x[1]=1; y[1]=1; identity W[1x1]=1; "
    "sigmoid W[1x1]=1; tanh W[1x1]=1; relu W[1x1]=1; "
    "leaky_relu(0) W[1x1]=1; softplus W[1x1]=1; half_squared" },
  /* escapes and raw bytes in the title; an empty title */
  { "title \"say \\\"hi\\\" \\\\ caf\xc3\xa9\"\ninput [1] target [1] "
    "layer relu weights [1] loss squared", 0,
    "t=say \"hi\" \\ caf\xc3\xa9; m=1; N=1,1; x[1]=1; y[1]=1; "
    "relu W[1x1]=1; squared" },
  { "title \"\" input [1] target [1] layer relu weights [1] loss squared",
    0, "t=; m=1; N=1,1; x[1]=1; y[1]=1; relu W[1x1]=1; squared" },
  /* CRLF line ends, tabs, no final newline, a comment at the very end */
  { "input\t[1,\t2]\r\ntarget [1]\r\nlayer relu\r\n\tweights [1 2\r\n]"
    "\r\nloss squared # the end", 0,
    "t=-; m=1; N=2,1; x[2]=1,2; y[1]=1; relu W[1x2]=1,2; squared" },
  /* the new activations; elu's default a = 1 */
  { "input [1] target [1]\nlayer elu weights [1]\nlayer elu(1/2) weights [1]\n"
    "layer gelu weights [1]\nlayer silu weights [1]\n"
    "layer softsign weights [1]\nlayer hardtanh weights [1]\n"
    "layer softmax weights [1]\nloss mean_squared", 0,
    "t=-; m=1; N=1,1,1,1,1,1,1,1; x[1]=1; y[1]=1; elu[1] W[1x1]=1; "
    "elu(1/2) W[1x1]=1; gelu W[1x1]=1; silu W[1x1]=1; softsign W[1x1]=1; "
    "hardtanh W[1x1]=1; softmax W[1x1]=1; mean_squared" },
  /* a batch: samples are the columns; batch mean; rate */
  { "sample [1 2] -> [0]\nsample [3; 4] -> [1]\nsample [[5, 6]] -> [0.5]\n"
    "batch mean\nlayer sigmoid weights [1 1]\nloss cross_entropy\n"
    "rate 1/10", 0,
    "t=-; m=3; N=2,1; x[2x3]=1,3,5,2,4,6; y[1x3]=0,1,1/2; "
    "sigmoid W[1x2]=1,1; cross_entropy; mean; rate 1/10" },
  { "batch sum sample [1] -> [0 1] layer softmax weights [1; -1] "
    "loss categorical_cross_entropy", 0,
    "t=-; m=1; N=1,2; x[1]=1; y[2]=0,1; softmax W[2x1]=1,-1; "
    "categorical_cross_entropy" },
  /* a shared bias repeated for the layer's neurons; frozen biases */
  { "input [1] target [1 1]\nlayer relu weights [1; 2]\n"
    "  bias 0.35 frozen\nlayer identity weights [1 1; 1 1] bias [1 2]\n"
    "  frozen\nloss squared", 0,
    "t=-; m=1; N=1,2,2; x[1]=1; y[2]=1,1; relu W[2x1]=1,2 "
    "shared b[2]=7/20,7/20 frozen; identity W[2x2]=1,1,1,1 b[2]=1,2 "
    "frozen; squared" },
  /* NUL and other bytes inside comments are comments */
  { SPAN ("# \0\x01\xff\ninput [1] target [1] layer relu weights [1] "
          "loss squared"),
    "t=-; m=1; N=1,1; x[1]=1; y[1]=1; relu W[1x1]=1; squared" },
  /* a compact matrix of decimals read back in lowest terms, signs and
     0 kept (over the common denominator 1000: 500/1000 = 1/2, ...) */
  { "input [1 1 1 1 1 1 1] target [1] layer identity "
    "weights [0.5 -0.25 0 -1.5 0.125 2.40 -7] loss squared", 0,
    "t=-; m=1; N=7,1; x[7]=1,1,1,1,1,1,1; y[1]=1; identity "
    "W[1x7]=1/2,-1/4,0,-3/2,1/8,12/5,-7; squared" },
};

/* A row's text parsed both ways (parse_both): the text, its length,
   and what came back, with the error as the program prints it.  */
typedef struct
{
  const char *text;
  size_t len;
  fadj_net *net;
  fadj_error err;
  fadj_status st;
  char msg[600];
} parsed_row;

/* Parse TEXT of LEN bytes (0: up to its NUL) into *P.  NET starts at a
   value that is not NULL, so that a failure must reset it.  */
static void
parse_row (parsed_row *p, const char *text, size_t len)
{
  p->text = text;
  p->len = len ? len : strlen (text);
  p->net = (fadj_net *) 1;
  p->st = parse_both (&p->net, &p->err, text, p->len);
  format_error (p->msg, sizeof p->msg, &p->err);
}

START_TEST (test_parse_valid)
{
  parsed_row p;
  str b;

  parse_row (&p, valid[_i].text, valid[_i].len);
  ck_assert_msg (p.st == FADJ_OK, "status %d: %s", p.st, p.msg);
  check_net_consistent (p.net);
  str_init (&b);
  dump_net (&b, p.net);
  ck_assert_str_eq (b.s, valid[_i].dump);
  free (b.s);
  fadj_net_free (p.net);
}
END_TEST

/* FADJ_PARSE_COMPACT: which weight matrices stay compact, and their
   integers K over DEN (the least common denominator of the entries,
   worked out by hand); "-" for a matrix read as rationals.  parse_both
   checks on every test of this file that the values are the same either
   way; this table checks that the compact form is kept where it should
   be, and given up where it cannot hold.  Its rows are data, alike in
   shape only.  */
static const struct
{
  const char *weights;          /* one layer's weights */
  int rows, cols;
  const char *compact;          /* "K,K,.../DEN", or "-" */
} compact_cases[] = {
  /* 0.5 0.25 -1.125 3 on the scale 1000: 500 250 -1125 3000; their gcd
     with 1000 is 125, so 4 2 -9 24 over 8.  */
  { "[0.5 0.25; -1.125 3]", 2, 2, "4,2,-9,24/8" },
  { "[[0.5, 0.25], [-1.125, 3]]", 2, 2, "4,2,-9,24/8" },
  { "[1 -2; 3 +4]", 2, 2, "1,-2,3,4/1" },
  /* .5 and 5. are plain decimals: 5 50 over 10, gcd 5.  */
  { "[.5 5.]", 1, 2, "1,10/2" },
  /* zeros (with places, and -0) reduce to 0/1.  */
  { "[0.000 -0 0.0]", 1, 3, "0,0,0/1" },
  /* 3 decimals: 0.001 and -0.999 on 1000, gcd 1.  */
  { "[0.001; -0.999]", 2, 1, "1,-999/1000" },
  /* 18 digits: 123456789012345678 and 10^18 over 10^18, gcd 2.  */
  { "[0.123456789012345678 1]", 1, 2,
    "61728394506172839,500000000000000000/500000000000000000" },
  /* Other forms give the compact form up, first or later in the matrix.  */
  { "[1/2 0.5]", 1, 2, "-" },
  { "[0.5 1e-3]", 1, 2, "-" },
  { "[0.5 0x1p-1]", 1, 2, "-" },
  /* 19 digits do not fit the digits' int64.  */
  { "[1234567890123456789]", 1, 1, "-" },
  { "[0.1234567890123456789]", 1, 1, "-" },
  /* Leading zeros are not digits of the integer, but places count:
     10^-18 is the finest scale.  */
  { "[0.000000000000000001 00000000000000000000002]", 1, 2,
    "1,2000000000000000000/1000000000000000000" },
  { "[0.0000000000000000001]", 1, 1, "-" },
  /* The common scale overflows: 999999999999999999 times 10 > 2^62.  */
  { "[999999999999999999 0.1]", 1, 2, "-" },
  /* ... but 10^17 times 10 fits.  */
  { "[100000000000000000 0.1]", 1, 2, "1000000000000000000,1/10" },
  /* Hexadecimal floats M 2^X: 1/8 and -3/4 on the scale 2^-3.  */
  { "[0x1p-3 -0x1.8p-1]", 1, 2, "1,-6/8" },
  /* 16 and 1/2 over 2; -3 and 2 over 1 (no negative exponent).  */
  { "[0x10 0x.8]", 1, 2, "32,1/2" },
  { "[-0x1.8p+1; 0X1P1]", 2, 1, "-3,2/1" },
  /* zeros take any scale; float.hex()'s form, 14 hex digits: 0x1.8 and
     0x1.4 times 2^-10 are 3 2^-11 and 5 2^-12.  */
  { "[0x0.0p+0 0x1.8000000000000p-10 0x1.4000000000000p-10]", 1, 3,
    "0,6,5/4096" },
  /* a decimal among hexadecimal floats, and the other way round */
  { "[0x1p-3 0.5]", 1, 2, "-" },
  { "[0.5 0x1p-3]", 1, 2, "-" },
  /* the scale past 2^62: 2^71 over 2, or a denominator of 2^70 */
  { "[0x1p70 0x1p-1]", 1, 2, "-" },
  { "[0x1p-70]", 1, 1, "-" },
  /* 2^-61 and 2^61 - 1 fit, on their own */
  { "[0x1p-61]", 1, 1, "1/2305843009213693952" },
  { "[0x1fffffffffffffff]", 1, 1, "2305843009213693951/1" },
  /* 17 hex digits are left to the general parser */
  { "[0x1.0000000000000000p0]", 1, 1, "-" },
};

START_TEST (test_parse_compact)
{
  str t, b;
  fadj_net *net;
  fadj_error err;
  const fadj_mat *w;
  size_t k;
  int i;

  /* One layer of the case's size, a bias of plain decimals too.  */
  str_init (&t);
  str_add (&t, "input [");
  for (i = 0; i < compact_cases[_i].cols; i++)
    str_add (&t, " 0.5");
  str_add (&t, "] target [");
  for (i = 0; i < compact_cases[_i].rows; i++)
    str_add (&t, " 1");
  str_add (&t, "]\nlayer identity weights %s bias [",
           compact_cases[_i].weights);
  for (i = 0; i < compact_cases[_i].rows; i++)
    str_add (&t, " 0.25");
  str_add (&t, "]\nloss squared\n");
  ck_assert_int_eq (parse_both (&net, &err, t.s, t.n), FADJ_OK);
  fadj_net_free (net);
  ck_assert_int_eq (fadj_net_parse_opts (&net, &err, t.s, t.n,
                                         FADJ_PARSE_COMPACT), FADJ_OK);
  str_init (&b);
  w = &net->layers[0].w;
  if (w->k == NULL)
    str_add (&b, "-");
  else
    {
      for (k = 0; k < w->rows * w->cols; k++)
        str_add (&b, "%s%lld", k ? "," : "", (long long) w->k[k]);
      str_add (&b, "/%llu", (unsigned long long) w->den);
    }
  ck_assert_str_eq (b.s, compact_cases[_i].compact);
  ck_assert_int_eq (fadj_net_compact_p (net), w->k != NULL);
  /* Only weights are ever compact.  */
  ck_assert_ptr_nonnull (net->layers[0].b.e);
  ck_assert_ptr_null (net->layers[0].b.k);
  ck_assert_ptr_null (net->input.k);
  fadj_net_free (net);
  free (b.s);
  free (t.s);
}
END_TEST

/* The examples shipped in examples/ parse into what their comments say.  */
static const struct
{
  const char *file;
  const char *dump;
  fadj_domain domain;
} examples[] = {
  { "examples/boughammoura-a221.net", A221_DUMP, FADJ_INTERVAL },
  { "examples/relu-rational.net",
    "t=A[2,3,1] with relu: exact throughout; m=1; N=2,3,1; x[2]=1/2,-1; "
    "y[1]=1/2; relu W[3x2]=1/2,-1/3,-1,1/4,2,1/2 b[3]=1/4,-1/4,1/10; "
    "identity W[1x3]=1,-2,1/2 b[1]=-1/5; half_squared", FADJ_EXACT },
  { "examples/mazur.net",
    "t=Mazur's 2-2-2 example; m=1; N=2,2,2; x[2]=1/20,1/10; "
    "y[2]=1/100,99/100; sigmoid W[2x2]=3/20,1/5,1/4,3/10 "
    "shared b[2]=7/20,7/20 frozen; sigmoid W[2x2]=2/5,9/20,1/2,11/20 "
    "shared b[2]=3/5,3/5 frozen; half_squared; rate 1/2", FADJ_INTERVAL },
  { "examples/hmkcode.net",
    "t=HMKCode's linear 2-2-1 example; m=1; N=2,2,1; x[2]=2,3; y[1]=1; "
    "identity W[2x2]=11/100,21/100,3/25,2/25; identity W[1x2]=7/50,3/20; "
    "half_squared; rate 1/20", FADJ_EXACT },
  { "examples/xor-batch.net",
    "t=XOR batch, A[2,2,1] weights; m=4; N=2,2,1; x[2x4]=0,0,1,1,0,1,0,1; "
    "y[1x4]=0,1,1,0; sigmoid W[2x2]=1,-1,-1,1 b[2]=1,-1; "
    "sigmoid W[1x2]=1,-1 b[1]=1; half_squared; rate 1", FADJ_INTERVAL },
  { "examples/softmax-classifier.net",
    "t=Softmax classifier, 2 samples; m=2; N=2,3,3; "
    "x[2x2]=1,-1/2,1/2,1; y[3x2]=0,1,1,0,0,0; "
    "relu W[3x2]=1,-1,1/2,1,-1,1/2 b[3]=0,1/2,1/4; "
    "softmax W[3x3]=1,1/2,-1,-1/2,3/2,1/2,1/4,-1,1; "
    "categorical_cross_entropy", FADJ_INTERVAL },
};

START_TEST (test_parse_examples)
{
  char path[4096];
  size_t len;
  char *text;
  fadj_net *net;
  fadj_error err;
  str b;

  snprintf (path, sizeof path, "%s/%s", srcdir (), examples[_i].file);
  text = read_file (path, &len);
  ck_assert_msg (parse_both (&net, &err, text, len) == FADJ_OK,
                 "%s:%ld:%ld: error: %s", path, err.line, err.col, err.msg);
  str_init (&b);
  dump_net (&b, net);
  ck_assert_str_eq (b.s, examples[_i].dump);
  ck_assert_int_eq (fadj_net_domain (net), examples[_i].domain);
  free (b.s);
  fadj_net_free (net);
  free (text);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Invalid files, inline.                                              */

#define NET_TAIL " target [1] layer relu weights [1 -1] loss squared"

static const struct
{
  const char *text;
  size_t len;           /* 0: strlen */
  fadj_status status;
  const char *error;    /* LINE:COL: error: MSG */
} invalid[] = {
  /* numbers */
  { "input [0, 1.2.3]", 0, FADJ_ERR_INPUT,
    "1:14: error: invalid number '1.2.3': unexpected character in the "
    "number" },
  { "input [1/2\n 1/0]", 0, FADJ_ERR_INPUT,
    "2:4: error: invalid number '1/0': division by zero in fraction" },
  { "input [1e100001]", 0, FADJ_ERR_INPUT,
    "1:10: error: invalid number '1e100001': exponent out of range (the "
    "limit is 100000)" },
  { "input [1-1]", 0, FADJ_ERR_INPUT,
    "1:9: error: a sign right after a number: separate entries with a "
    "space or ',' (there is no arithmetic)" },
  { "input [.]", 0, FADJ_ERR_INPUT,
    "1:9: error: invalid number '.': expected a digit" },
  /* matrices */
  { "input [0, 0]\ntarget [1]\nlayer sigmoid\n  weights [1 -1\n"
    "           -1 1 2]", 0, FADJ_ERR_INPUT,
    "5:17: error: row 2 has more entries than row 1 (2)" },
  /* A longer row is refused at its entry one too many, flat or nested
     (issue 16 item 6).  */
  { "input [1 2; 3 4 5]", 0, FADJ_ERR_INPUT,
    "1:17: error: row 2 has more entries than row 1 (2)" },
  { "input [[1, 2],\n  [3, 4, 5]]", 0, FADJ_ERR_INPUT,
    "2:10: error: row 2 has more entries than row 1 (2)" },
  { "input [1; 2\n3 4]", 0, FADJ_ERR_INPUT,
    "2:3: error: row 3 has more entries than row 1 (1)" },
  { "input [1 2 3; 4]", 0, FADJ_ERR_INPUT,
    "1:15: error: row 2 has 1 entry but row 1 has 3" },
  { "input [[1, 2],\n  [3]]", 0, FADJ_ERR_INPUT,
    "2:3: error: row 2 has 1 entry but row 1 has 2" },
  { "input  [0, 0]\ntarget [1]\nlayer sigmoid\n  weights [1 -1; -1 1\n",
    0, FADJ_ERR_INPUT,
    "5:1: error: expected ']' to close the bracket opened at line 4, "
    "column 11, found end of file" },
  { "input [[1, 2]", 0, FADJ_ERR_INPUT,
    "1:14: error: expected ']' to close the bracket opened at line 1, "
    "column 7, found end of file" },
  { "input [[1, 2", 0, FADJ_ERR_INPUT,
    "1:13: error: expected ']' to close the bracket opened at line 1, "
    "column 8, found end of file" },
  { "input [1 2\nloss squared", 0, FADJ_ERR_INPUT,
    "2:1: error: expected ']' to close the bracket opened at line 1, "
    "column 7, found 'loss'" },
  { "input [[[0, 0]]]", 0, FADJ_ERR_INPUT,
    "1:9: error: brackets nested too deeply (a matrix has at most two "
    "levels, as in [[1, 2], [3, 4]])" },
  { "input [[1], 2]", 0, FADJ_ERR_INPUT,
    "1:13: error: expected '[' to start a row, or ']' to close the bracket "
    "opened at line 1, column 7, found '2'" },
  { "input [1 [2]]", 0, FADJ_ERR_INPUT,
    "1:10: error: expected a number, ';' or ']' (a matrix is either "
    "[1 2; 3 4] or [[1, 2], [3, 4]]), found '['" },
  { "input [[]]", 0, FADJ_ERR_INPUT,
    "1:9: error: expected a number, found ']'" },
  { "input  [0, 0]\ntarget [ ]", 0, FADJ_ERR_INPUT,
    "2:8: error: empty matrix" },
  { "input [\n ; \n]", 0, FADJ_ERR_INPUT, "1:7: error: empty matrix" },
  { "input [1, 2,\n 3]", 0, FADJ_ERR_INPUT,
    "1:13: error: expected a number after ',', found end of line" },
  { "input [1,,2]", 0, FADJ_ERR_INPUT,
    "1:10: error: expected a number after ',', found ','" },
  { "input [, 2]", 0, FADJ_ERR_INPUT,
    "1:8: error: expected a number, found ','" },
  { "input [1 2; 3 4]", 0, FADJ_ERR_INPUT,
    "1:7: error: input must be a vector (one row or one column), found a "
    "2 x 2 matrix" },
  { "input 5", 0, FADJ_ERR_INPUT,
    "1:7: error: expected '[' to start a matrix after 'input', found '5'" },
  /* strings */
  { "title \"A[2,2,1]\ninput  [0, 0]", 0, FADJ_ERR_INPUT,
    "1:7: error: unterminated string: no closing '\"' before the end of "
    "the line" },
  { "input [1]\ntitle \"abc", 0, FADJ_ERR_INPUT,
    "2:7: error: unterminated string: no closing '\"' before the end of "
    "the file" },
  { "title \"a\\tb\"", 0, FADJ_ERR_INPUT,
    "1:9: error: unknown escape in a string: only \\\" and \\\\ are "
    "allowed" },
  { SPAN ("title \"a\0b\""), FADJ_ERR_INPUT,
    "1:9: error: unexpected byte 0x00 in a string" },
  { "title [1]", 0, FADJ_ERR_INPUT,
    "1:7: error: expected a string after 'title', found '['" },
  /* statements */
  { "input  [0, 0]\ntarget [1]\nfoo [1]", 0, FADJ_ERR_INPUT,
    "3:1: error: expected a statement (title, input, target, sample, "
    "batch, layer, weights, bias, frozen, loss, rate), found 'foo'" },
  { "[1]", 0, FADJ_ERR_INPUT,
    "1:1: error: expected a statement (title, input, target, sample, "
    "batch, layer, weights, bias, frozen, loss, rate), found '['" },
  { "input [1] -> [2]", 0, FADJ_ERR_INPUT,
    "1:11: error: expected a statement (title, input, target, sample, "
    "batch, layer, weights, bias, frozen, loss, rate), found '->'" },
  { "title \"one\"\ntitle \"two\"", 0, FADJ_ERR_INPUT,
    "2:1: error: duplicate 'title' statement (the first is at line 1, "
    "column 1)" },
  { "input [0]\n  input [1]", 0, FADJ_ERR_INPUT,
    "2:3: error: duplicate 'input' statement (the first is at line 1, "
    "column 1)" },
  { "target [0] target [1]", 0, FADJ_ERR_INPUT,
    "1:12: error: duplicate 'target' statement (the first is at line 1, "
    "column 1)" },
  { "loss squared loss squared", 0, FADJ_ERR_INPUT,
    "1:14: error: duplicate 'loss' statement (the first is at line 1, "
    "column 1)" },
  { "layer relu\n  weights [1]\n  weights [1]", 0, FADJ_ERR_INPUT,
    "3:3: error: layer 1 already has weights (given at line 2, column 3)" },
  { "layer relu weights [1]\nlayer relu weights [1] bias [1]\n bias [2]",
    0, FADJ_ERR_INPUT,
    "3:2: error: layer 2 already has a bias (given at line 2, column 24)" },
  { "input  [0, 0]\ntarget [1]\nweights [1 -1]", 0, FADJ_ERR_INPUT,
    "3:1: error: 'weights' before any 'layer' statement (it belongs to the "
    "layer above it)" },
  { "bias [1]", 0, FADJ_ERR_INPUT,
    "1:1: error: 'bias' before any 'layer' statement (it belongs to the "
    "layer above it)" },
  /* activations and losses */
  { "input  [0, 0]\ntarget [1]\nlayer sigmod", 0, FADJ_ERR_INPUT,
    "3:7: error: unknown activation 'sigmod'; known: identity, sigmoid, "
    "tanh, relu, leaky_relu, softplus, elu, gelu, silu, softsign, "
    "hardtanh, softmax" },
  { "layer identity_but_with_a_very_long_name_indeed_longer_than_40", 0,
    FADJ_ERR_INPUT,
    "1:7: error: unknown activation 'identity_but_with_a_very_long_name_"
    "indee...'; known: identity, sigmoid, tanh, relu, leaky_relu, "
    "softplus, elu, gelu, silu, softsign, hardtanh, softmax" },
  { "layer [1]", 0, FADJ_ERR_INPUT,
    "1:7: error: expected an activation name after 'layer', found '['" },
  { "layer", 0, FADJ_ERR_INPUT,
    "1:6: error: expected an activation name after 'layer', found end of "
    "file" },
  { "loss hinge", 0, FADJ_ERR_INPUT,
    "1:6: error: unknown loss 'hinge'; known: half_squared, squared, "
    "mean_squared, cross_entropy, categorical_cross_entropy" },
  { "loss 2", 0, FADJ_ERR_INPUT,
    "1:6: error: expected a loss name after 'loss', found '2'" },
  { "input  [0, 0]\ntarget [1]\nlayer sigmoid(2)", 0, FADJ_ERR_INPUT,
    "3:14: error: activation 'sigmoid' takes no parameter" },
  { "layer leaky_relu()", 0, FADJ_ERR_INPUT,
    "1:18: error: expected a number, found ')'" },
  { "layer leaky_relu(0.1\n  weights [1]", 0, FADJ_ERR_INPUT,
    "2:3: error: expected ')' to close the '(' at line 1, column 17, found "
    "'weights'" },
  { "layer leaky_relu(1/0)", 0, FADJ_ERR_INPUT,
    "1:20: error: invalid number '1/0': division by zero in fraction" },
  /* batches, shared and frozen biases, rates */
  { "input [1]\nsample [1] -> [2]", 0, FADJ_ERR_INPUT,
    "2:1: error: 'sample' cannot be mixed with 'input' (at line 1, column "
    "1): write every sample as 'sample X -> Y'" },
  { "sample [1] -> [2]\n  target [1]", 0, FADJ_ERR_INPUT,
    "2:3: error: 'target' cannot be mixed with 'sample' statements (the "
    "first is at line 1, column 1)" },
  { "sample [1] [2]", 0, FADJ_ERR_INPUT,
    "1:12: error: expected '->' between the sample's input and its target, "
    "found '['" },
  { "sample 1 -> [2]", 0, FADJ_ERR_INPUT,
    "1:8: error: expected '[' to start a vector after 'sample', found '1'" },
  { "sample [1] -> [2]\nsample [1 2] -> [3]\nlayer relu weights [1]\n"
    "loss squared", 0, FADJ_ERR_INPUT,
    "2:8: error: sample 2: the input has 2 entries but sample 1's has 1" },
  { "sample [1] -> [2]\nsample [1] -> [3 4]\nlayer relu weights [1]\n"
    "loss squared", 0, FADJ_ERR_INPUT,
    "2:15: error: sample 2: the target has 2 entries but sample 1's has 1" },
  { "sample [1 2; 3 4] -> [2]", 0, FADJ_ERR_INPUT,
    "1:8: error: a sample's input must be a vector (one row or one column), "
    "found a 2 x 2 matrix" },
  { "batch median", 0, FADJ_ERR_INPUT,
    "1:7: error: unknown batch reduction 'median'; known: sum, mean" },
  { "batch [1]", 0, FADJ_ERR_INPUT,
    "1:7: error: expected 'sum' or 'mean' after 'batch', found '['" },
  { "batch sum batch mean", 0, FADJ_ERR_INPUT,
    "1:11: error: duplicate 'batch' statement (the first is at line 1, "
    "column 1)" },
  { "rate -0.5", 0, FADJ_ERR_INPUT,
    "1:6: error: the learning rate must be positive" },
  { "rate 0", 0, FADJ_ERR_INPUT,
    "1:6: error: the learning rate must be positive" },
  { "rate fast", 0, FADJ_ERR_INPUT,
    "1:6: error: expected a number after 'rate', found 'fast'" },
  { "rate 1 rate 2", 0, FADJ_ERR_INPUT,
    "1:8: error: duplicate 'rate' statement (the first is at line 1, "
    "column 1)" },
  { "frozen", 0, FADJ_ERR_INPUT,
    "1:1: error: 'frozen' before any 'layer' statement (it freezes the bias "
    "of the layer above it)" },
  { "layer relu weights [1] frozen", 0, FADJ_ERR_INPUT,
    "1:24: error: 'frozen' must follow a 'bias' statement (layer 1 has no "
    "bias to freeze)" },
  { "layer relu weights [1] bias 1 frozen\n frozen", 0, FADJ_ERR_INPUT,
    "2:2: error: the bias of layer 1 is already frozen (at line 1, column "
    "31)" },
  { "layer relu weights [1] bias relu", 0, FADJ_ERR_INPUT,
    "1:29: error: expected '[' to start a vector, or a number (one bias "
    "shared by the layer), after 'bias', found 'relu'" },
  { "layer relu weights [1] bias 1/0", 0, FADJ_ERR_INPUT,
    "1:31: error: invalid number '1/0': division by zero in fraction" },
  { "layer elu(0.5 weights [1]", 0, FADJ_ERR_INPUT,
    "1:15: error: expected ')' to close the '(' at line 1, column 10, "
    "found 'weights'" },
  { "layer softmax(1) weights [1]", 0, FADJ_ERR_INPUT,
    "1:14: error: activation 'softmax' takes no parameter" },
  /* missing parts, reported at the end of the file */
  { "input  [0, 0]\ntarget [1]\nlayer sigmoid\n  weights [1 -1; -1 1]\n"
    "layer sigmoid\n  bias [1]\nloss half_squared\n", 0, FADJ_ERR_INPUT,
    "5:1: error: layer 2 has no weights" },
  { "input [1 -1]" " target [1] layer relu weights [1 -1]", 0,
    FADJ_ERR_INPUT, "1:50: error: missing 'loss' statement" },
  { "target [1] layer relu weights [1 -1] loss squared\n", 0,
    FADJ_ERR_INPUT, "2:1: error: missing 'input' statement" },
  { "input [1 -1] layer relu weights [1 -1] loss squared", 0,
    FADJ_ERR_INPUT, "1:52: error: missing 'target' statement" },
  { "input [1 -1] target [1] loss squared", 0, FADJ_ERR_INPUT,
    "1:37: error: missing 'layer' statement (a network has at least one "
    "layer)" },
  { "", 0, FADJ_ERR_INPUT, "1:1: error: missing 'input' statement" },
  /* sizes */
  { "input  [0, 0]\ntarget [1]\nlayer sigmoid\n  weights [1 -1; -1 1]\n"
    "layer sigmoid\n  weights [1 -1 1]\nloss half_squared", 0,
    FADJ_ERR_INPUT,
    "6:11: error: layer 2: weights have 3 columns but layer 1 has 2 "
    "neurons (N_1 = 2)" },
  { "input [0 0 0]" NET_TAIL, 0, FADJ_ERR_INPUT,
    "1:45: error: layer 1: weights have 2 columns but the input has 3 "
    "entries (N_0 = 3)" },
  { "input [0]\ntarget [1]\nlayer relu weights [1]\n"
    "layer relu weights [[1], [2]]\nlayer relu weights [1]\nloss squared",
    0, FADJ_ERR_INPUT,
    "5:20: error: layer 3: weights have 1 column but layer 2 has 2 neurons "
    "(N_2 = 2)" },
  { "input  [0, 0]\ntarget [1, 2]\nlayer sigmoid\n  weights [1 -1; -1 1]\n"
    "layer sigmoid\n  weights [1 -1]\nloss half_squared", 0, FADJ_ERR_INPUT,
    "2:8: error: target has 2 entries but the last layer has 1 neuron" },
  { "input [0 0]\ntarget [1]\nlayer relu weights [1 0; 0 1]\n"
    "loss squared", 0, FADJ_ERR_INPUT,
    "2:8: error: target has 1 entry but the last layer has 2 neurons" },
  { "input  [0, 0]\ntarget [1]\nlayer sigmoid\n  weights [1 -1; -1 1]\n"
    "  bias    [1, -1, 0]\nlayer sigmoid\n  weights [1 -1]\n"
    "loss half_squared", 0, FADJ_ERR_INPUT,
    "5:11: error: layer 1: bias has 3 entries but the layer has 2 neurons "
    "(N_1 = 2)" },
  { "input [0 0] target [1] layer relu weights [1 1] bias [1; 2]\n"
    "loss squared", 0, FADJ_ERR_INPUT,
    "1:54: error: layer 1: bias has 2 entries but the layer has 1 neuron "
    "(N_1 = 1)" },
  { "layer relu weights [1 -1] bias [1 2; 3 4]", 0, FADJ_ERR_INPUT,
    "1:32: error: bias must be a vector (one row or one column), found a "
    "2 x 2 matrix" },
  /* bytes that start no token */
  { SPAN ("input  [0, 0]\ntarget [1]\0\n"), FADJ_ERR_INPUT,
    "2:11: error: unexpected byte 0x00" },
  { SPAN ("\0"), FADJ_ERR_INPUT, "1:1: error: unexpected byte 0x00" },
  { SPAN ("input [1\0002]"), FADJ_ERR_INPUT,
    "1:9: error: unexpected byte 0x00" },
  { "input [0] \xe2\x80\x94 x", 0, FADJ_ERR_INPUT,
    "1:11: error: unexpected byte 0xe2 (text other than ASCII may stand "
    "only in comments and strings)" },
  { "input [0] @", 0, FADJ_ERR_INPUT,
    "1:11: error: unexpected character '@'" },
  /* A letter from outside ASCII inside a name: the byte, not the ASCII
     part before it ("unknown activation 'r'").  */
  { "layer r\xd0\xb5lu weights [1]", 0, FADJ_ERR_INPUT,
    "1:8: error: unexpected byte 0xd0 (text other than ASCII may stand "
    "only in comments and strings)" },
  /* Only space, tab and carriage return are blanks (fadj-net(5)).  */
  { "input [0]\f", 0, FADJ_ERR_INPUT, "1:10: error: unexpected byte 0x0c" },
  { "input [0]\v", 0, FADJ_ERR_INPUT, "1:10: error: unexpected byte 0x0b" },
  /* After a byte order mark, columns count from the first character.  */
  { "\xef\xbb\xbfinput [0] @", 0, FADJ_ERR_INPUT,
    "1:11: error: unexpected character '@'" },
  { "input [0] target [1] layer relu weights [1] loss squared -", 0,
    FADJ_ERR_INPUT, "1:58: error: unexpected character '-'" },
};

START_TEST (test_parse_invalid)
{
  parsed_row p;

  parse_row (&p, invalid[_i].text, invalid[_i].len);
  ck_assert_msg (p.st == invalid[_i].status, "status %d, expected %d (%s)",
                 p.st, invalid[_i].status, p.msg);
  ck_assert_ptr_null (p.net);
  ck_assert_str_eq (p.msg, invalid[_i].error);
  check_error_position (p.text, p.len, &p.err);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Invalid files on disk: tests/invalid/NAME.net and NAME.err, the same
   files the program's shell test uses, so the two cannot drift apart.  */

static const char *const invalid_files[] = {
  "arithmetic", "bad-escape", "bad-number", "bias-size",
  "division-by-zero", "duplicate-input", "duplicate-title",
  "duplicate-weights", "empty-matrix", "exponent-range", "missing-input",
  "missing-loss", "missing-weights", "nested-ragged", "nesting",
  "non-ascii", "not-vector", "nul-byte", "param-on-sigmoid", "ragged",
  "target-size", "trailing-comma", "unclosed-paren", "unknown-activation",
  "unknown-loss", "unknown-statement", "unterminated-bracket",
  "unterminated-string", "weights-before-layer", "weights-columns-input",
  "weights-columns", "sample-mixed", "sample-size", "sample-arrow",
  "batch-unknown", "rate-negative", "frozen-without-bias",
};

#define N_INVALID_FILES (sizeof invalid_files / sizeof invalid_files[0])

START_TEST (test_parse_invalid_file)
{
  char path[4096], msg[600];
  size_t len, elen;
  char *text, *expected;
  fadj_net *net;
  fadj_error err;
  fadj_status st;

  snprintf (path, sizeof path, "%s/tests/invalid/%s.err", srcdir (),
            invalid_files[_i]);
  expected = read_file (path, &elen);
  while (elen > 0 && (expected[elen - 1] == '\n'
                      || expected[elen - 1] == '\r'))
    expected[--elen] = '\0';
  snprintf (path, sizeof path, "%s/tests/invalid/%s.net", srcdir (),
            invalid_files[_i]);
  text = read_file (path, &len);
  st = parse_both (&net, &err, text, len);
  ck_assert_msg (st == FADJ_ERR_INPUT, "%s: status %d", path, st);
  format_error (msg, sizeof msg, &err);
  ck_assert_msg (strcmp (msg, expected) == 0, "%s:\n  got      %s\n"
                 "  expected %s", path, msg, expected);
  check_error_position (text, len, &err);
  free (text);
  free (expected);
}
END_TEST

/* Every NAME.net in tests/invalid has its row above and its .err.  */
START_TEST (test_parse_invalid_dir)
{
  char path[4096];
  DIR *d;
  struct dirent *e;
  size_t count = 0, i;

  snprintf (path, sizeof path, "%s/tests/invalid", srcdir ());
  d = opendir (path);
  ck_assert_msg (d != NULL, "cannot open %s", path);
  while ((e = readdir (d)) != NULL)
    {
      size_t n = strlen (e->d_name);
      int found = 0;
      if (n < 5 || strcmp (e->d_name + n - 4, ".net") != 0)
        continue;
      for (i = 0; i < N_INVALID_FILES; i++)
        if (strlen (invalid_files[i]) == n - 4
            && memcmp (invalid_files[i], e->d_name, n - 4) == 0)
          found = 1;
      ck_assert_msg (found, "%s/%s is missing from invalid_files[]", path,
                     e->d_name);
      count++;
    }
  closedir (d);
  ck_assert_uint_eq (count, N_INVALID_FILES);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Limits.                                                             */

/* The network of B, which must parse; the caller frees it.  */
static fadj_net *
parse_str_ok (const str *b)
{
  fadj_net *net;
  fadj_error err;

  ck_assert_int_eq (parse_both (&net, &err, b->s, b->n), FADJ_OK);
  return net;
}

/* B must be refused as over a limit, at LINE:COL with MSG.  */
static void
check_over_limit (const str *b, long line, long col, const char *msg)
{
  fadj_net *net;
  fadj_error err;

  ck_assert_int_eq (parse_both (&net, &err, b->s, b->n), FADJ_ERR_LIMIT);
  ck_assert_ptr_null (net);
  ck_assert_int_eq (err.line, line);
  ck_assert_int_eq (err.col, col);
  ck_assert_str_eq (err.msg, msg);
}

/* Append HEAD, N times UNIT, and TAIL to B.  */
static void
str_repeat (str *b, const char *head, const char *unit, int n,
            const char *tail)
{
  str_add (b, "%s", head);
  for (; n > 0; n--)
    str_add (b, "%s", unit);
  str_add (b, "%s", tail);
}

START_TEST (test_limit_layers)
{
  fadj_net *net;
  str b;

  /* 1000 layers: fine.  */
  str_init (&b);
  str_repeat (&b, "input [1] target [1]\n", "layer identity weights [1]\n",
              1000, "loss squared\n");
  net = parse_str_ok (&b);
  ck_assert_uint_eq (net->nlayers, 1000);
  fadj_net_free (net);
  /* 1001: refused at the 1001st 'layer'.  */
  str_add (&b, "layer identity weights [1]\n");
  check_over_limit (&b, 1003, 1, "too many layers (the limit is 1000)");
  free (b.s);
}
END_TEST

START_TEST (test_limit_width)
{
  fadj_net *net;
  str b;

  /* N_0 = 100000: fine.  */
  str_init (&b);
  str_repeat (&b, "target [1] layer relu weights [", "1 ", 100000,
              "] loss squared input [");
  str_repeat (&b, "", "0 ", 100000, "]");
  net = parse_str_ok (&b);
  ck_assert_uint_eq (net->sizes[0], 100000);
  fadj_net_free (net);
  /* 100001 rows: refused as they are read, at the start of the row
     one too many (line 100001), before the matrix is complete.  */
  b.n = 0;
  str_repeat (&b, "input [", "0\n", 100001, "]");
  check_over_limit (&b, 100001, 1, "the matrix has more than 100000 rows "
                    "(the limit is 100000)");
  /* 100001 neurons in a layer, rows "0;" from column 21: row 100001
     starts at column 21 + 2 * 100000.  */
  b.n = 0;
  str_repeat (&b, "layer relu weights [", "0;", 100001, "]");
  check_over_limit (&b, 1, 200021, "the matrix has more than 100000 rows "
                    "(the limit is 100000)");
  /* A row of 100001 entries " 0" after "input [": at its entry one too
     many, column 7 + 2 * 100001.  */
  b.n = 0;
  str_repeat (&b, "input [", " 0", 100001, "]");
  check_over_limit (&b, 1, 200009, "a row of the matrix has more than "
                    "100000 entries (the limit is 100000)");
  free (b.s);
}
END_TEST

/* Inputs built to hurt: deep brackets, a huge comment, a huge number, a
   long run of bytes that start no token.  Each must fail cleanly.  */
START_TEST (test_limit_hostile)
{
  enum { N = 1 << 20 };
  char *t = malloc (N);
  fadj_net *net;
  fadj_error err;

  ck_assert_ptr_nonnull (t);
  memset (t, '[', N);
  memcpy (t, "input ", 6);
  ck_assert_int_eq (fadj_net_parse (&net, &err, t, N), FADJ_ERR_INPUT);
  ck_assert_int_eq (err.col, 9);

  memset (t, 'x', N);
  t[0] = '#';
  ck_assert_int_eq (fadj_net_parse (&net, &err, t, N), FADJ_ERR_INPUT);
  ck_assert_str_eq (err.msg, "missing 'input' statement");
  ck_assert_int_eq (err.col, N + 1);

  memset (t, '7', N);
  memcpy (t, "input [", 7);
  t[N - 1] = ']';
  ck_assert_int_eq (fadj_net_parse (&net, &err, t, N), FADJ_ERR_INPUT);
  ck_assert_int_eq (err.col, 8);
  ck_assert_ptr_nonnull (strstr (err.msg, "number too long"));

  memset (t, 0, N);
  ck_assert_int_eq (fadj_net_parse (&net, &err, t, N), FADJ_ERR_INPUT);
  ck_assert_str_eq (err.msg, "unexpected byte 0x00");

  /* a text without a terminating NUL: the parser must stop at LEN */
  memcpy (t, "input [1", 8);
  memset (t + 8, '2', N - 8);
  ck_assert_int_eq (fadj_net_parse (&net, &err, t, 9), FADJ_ERR_INPUT);
  ck_assert_int_eq (err.col, 10);
  free (t);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Robustness: every prefix of a valid file, and random mutations.      */

static void
parse_any (const char *text, size_t len)
{
  fadj_net *net;
  fadj_error err;
  fadj_status st = parse_both (&net, &err, text, len);

  if (st == FADJ_OK)
    {
      check_net_consistent (net);
      fadj_net_free (net);
    }
  else
    {
      ck_assert_msg (st == FADJ_ERR_INPUT || st == FADJ_ERR_LIMIT,
                     "status %d", st);
      ck_assert_ptr_null (net);
      check_error_position (text, len, &err);
    }
}

START_TEST (test_robust_prefixes)
{
  const char *text = A221;
  size_t len = strlen (text), n;
  char *copy;

  /* Each prefix in a buffer of its own size, so that valgrind or ASan
     would see a read past the end.  */
  for (n = 0; n <= len; n++)
    {
      copy = malloc (n ? n : 1);
      ck_assert_ptr_nonnull (copy);
      memcpy (copy, text, n);
      parse_any (copy, n);
      free (copy);
    }
}
END_TEST

static unsigned long rng_state;

static unsigned long
rng (void)
{
  /* xorshift64: small, and the same on every platform */
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state & 0xffffffffUL;
}

/* The lexer's fast path (fadj_lexer_next_simple_number) against
   fadj_lexer_next, in both newline modes, at every token boundary of
   random texts over the bytes that matter: whenever it takes a token, it
   is the same token, and the lexer ends in the same state.  */
START_TEST (test_lex_simple_number)
{
  static const char alphabet[] = "0123456789.+- \t\r\n],;[#e/x>a";
  /* The second half of the runs: pieces of hexadecimal floats and of
     decimals with an exponent.  */
  static const char *const pieces[] = {
    "0x", "0X", "-0x", "1", "0", "9", "f", "A", "c", ".", "p", "P", "e",
    "E", "+", "-", " ", "\n", "]", ",", "00000000", "ffffffff", "p-1",
    "e+3", "p1074", "e-400", ";", "x", "#", "/"
  };
  char t[48];
  int iter, taken = 0, plain = 0, hex = 0, dec = 0;

  rng_state = 12345;
  for (iter = 0; iter < 40000; iter++)
    {
      size_t len = 1 + rng () % 24, k;
      fadj_lexer a, b;
      fadj_token ta, tb;

      if (iter < 20000)
        for (k = 0; k < len; k++)
          t[k] = alphabet[rng () % (sizeof alphabet - 1)];
      else
        {
          size_t n = 1 + rng () % 8;
          for (k = 0; n-- > 0;)
            {
              const char *q = pieces[rng () % (sizeof pieces
                                               / sizeof pieces[0])];
              if (k + strlen (q) > sizeof t)
                break;
              memcpy (t + k, q, strlen (q));
              k += strlen (q);
            }
          if (k == 0)
            t[k++] = '1';
          len = k;
        }
      fadj_lexer_init (&a, t, len);
      a.newlines = (int) (iter & 1);
      for (;;)
        {
          size_t before = a.pos;
          long line = a.line;
          b = a;
          fadj_lexer_next (&a, &ta);
          if (fadj_lexer_next_simple_number (&b, &tb))
            {
              taken++;
              ck_assert_int_eq (tb.kind, ta.kind);
              ck_assert_uint_eq (tb.start, ta.start);
              ck_assert_uint_eq (tb.len, ta.len);
              ck_assert_int_eq (tb.line, ta.line);
              ck_assert_int_eq (tb.col, ta.col);
              ck_assert_uint_eq (b.pos, a.pos);
              ck_assert_int_eq (b.line, a.line);
              ck_assert_uint_eq (b.line_start, a.line_start);
              /* Its value read on the way, as fadj_number_plain reads
                 the token.  */
              {
                int64_t v;
                int pl;
                int ok = fadj_number_plain (&v, &pl, t + tb.start, tb.len);
                ck_assert_int_eq (tb.plain, ok);
                if (ok)
                  ck_assert (tb.value == v && tb.places == pl);
                plain += ok;
              }
              /* And its form, as fadj_number_dyadic and
                 fadj_number_decimal read it.  */
              {
                int64_t v;
                long x;
                int ok = fadj_number_dyadic (&v, &x, t + tb.start, tb.len);
                ck_assert_int_eq (tb.form == FADJ_FORM_HEX, ok);
                if (ok)
                  ck_assert (tb.value == v && tb.exp == x);
                hex += ok;
                ok = fadj_number_decimal (&v, &x, t + tb.start, tb.len);
                if (tb.form == FADJ_FORM_DECIMAL)
                  ck_assert (ok && tb.value == v && tb.exp == x);
                else if (ok)    /* then plain */
                  ck_assert (tb.plain);
                /* What it counts towards the file's limit.  */
                if (tb.plain || tb.form != FADJ_FORM_NONE)
                  ck_assert_uint_eq (tb.digits, fadj_number_digits_valid
                                     (t + tb.start, tb.len,
                                      tb.form == FADJ_FORM_HEX));
                dec += tb.form == FADJ_FORM_DECIMAL;
              }
            }
          else
            {
              /* Declined: nothing moved.  */
              ck_assert_uint_eq (b.pos, before);
              ck_assert_int_eq (b.line, line);
            }
          if (ta.kind == FADJ_TOK_EOF || ta.kind == FADJ_TOK_ERROR)
            break;
        }
    }
  /* The fast path is taken often enough for the comparison to mean
     something.  */
  ck_assert_int_gt (taken, 5000);
  ck_assert_int_gt (plain, 2000);
  ck_assert_int_gt (hex, 500);
  ck_assert_int_gt (dec, 200);
}
END_TEST

START_TEST (test_robust_mutations)
{
  static const char interesting[] = "[](),;\n\"#-+./0123456789epxPX aZ_\\>";
  const char *base = A221;
  size_t blen = strlen (base), len, k;
  const char *env = getenv ("FADJ_TEST_SEED");
  unsigned long seed = env ? strtoul (env, NULL, 10)
    : (unsigned long) time (NULL);
  char *t = malloc (2 * blen + 16);
  int iter, m;

  printf ("check_parse: mutations with FADJ_TEST_SEED=%lu\n", seed);
  fflush (stdout);
  rng_state = seed * 2654435761UL + 1;
  ck_assert_ptr_nonnull (t);
  for (iter = 0; iter < 3000; iter++)
    {
      memcpy (t, base, blen);
      len = blen;
      for (m = 1 + (int) (rng () % 4); m > 0; m--)
        {
          size_t at = rng () % len;
          switch (rng () % 4)
            {
            case 0:       /* an interesting byte */
              t[at] = interesting[rng () % (sizeof interesting - 1)];
              break;
            case 1:       /* any byte */
              t[at] = (char) (rng () & 0xff);
              break;
            case 2:       /* delete a byte */
              if (len > 1)
                {
                  memmove (t + at, t + at + 1, len - at - 1);
                  len--;
                }
              break;
            default:      /* duplicate a short span */
              k = 1 + rng () % 8;
              if (at + k <= len && len + k <= 2 * blen)
                {
                  memmove (t + at + k, t + at, len - at);
                  len += k;
                }
              break;
            }
        }
      parse_any (t, len);
    }
  free (t);
}
END_TEST

/* ------------------------------------------------------------------ */
/* net.c: release and domain.                                          */

static const struct
{
  const char *acts;     /* the layers' activations */
  const char *loss;
  fadj_domain domain;
} domains[] = {
  { "layer identity weights [1]", "squared", FADJ_EXACT },
  { "layer relu weights [1] layer leaky_relu weights [1]", "half_squared",
    FADJ_EXACT },
  { "layer relu weights [1] layer leaky_relu(1/3) weights [1] "
    "layer identity weights [1]", "squared", FADJ_EXACT },
  { "layer sigmoid weights [1]", "squared", FADJ_INTERVAL },
  { "layer relu weights [1] layer tanh weights [1]", "squared",
    FADJ_INTERVAL },
  { "layer softplus weights [1] layer relu weights [1]", "half_squared",
    FADJ_INTERVAL },
  { "layer softsign weights [1] layer hardtanh weights [1]",
    "mean_squared", FADJ_EXACT },
  { "layer elu weights [1]", "squared", FADJ_INTERVAL },
  { "layer gelu weights [1]", "squared", FADJ_INTERVAL },
  { "layer silu weights [1]", "squared", FADJ_INTERVAL },
  { "layer softmax weights [1]", "squared", FADJ_INTERVAL },
  { "layer identity weights [1]", "cross_entropy", FADJ_INTERVAL },
  { "layer relu weights [1]", "categorical_cross_entropy",
    FADJ_INTERVAL },
};

START_TEST (test_net_domain)
{
  char text[512];
  fadj_net *net;
  fadj_error err;

  snprintf (text, sizeof text, "input [1] target [1] %s loss %s",
            domains[_i].acts, domains[_i].loss);
  ck_assert_int_eq (fadj_net_parse (&net, &err, text, strlen (text)),
                    FADJ_OK);
  ck_assert_int_eq (fadj_net_domain (net), domains[_i].domain);
  fadj_net_free (net);
}
END_TEST

/* How each matrix was written (fadj_mat's WRITTEN), for the document's
   forms: one fraction makes a matrix's form; samples make the batch's;
   a shared bias keeps its own; compact or not.  */
START_TEST (test_net_written)
{
  static const char text[] =
    "sample [1, 0.5] -> [1/3]\nsample [2, 1] -> [0]\n"
    "layer identity weights [0.5 -1/3] bias 1/4\n"
    "layer identity weights [2] bias [0.1]\nloss half_squared\n";
  fadj_net *net;
  fadj_error err;
  unsigned flags;

  for (flags = 0; flags <= FADJ_PARSE_COMPACT; flags += FADJ_PARSE_COMPACT)
    {
      ck_assert_int_eq (fadj_net_parse_opts (&net, &err, text, strlen (text),
                                             flags), FADJ_OK);
      ck_assert_int_eq (net->input.written, FADJ_WRITTEN_DECIMAL);
      ck_assert_int_eq (net->target.written, FADJ_WRITTEN_FRACTION);
      ck_assert_int_eq (net->layers[0].w.written, FADJ_WRITTEN_FRACTION);
      ck_assert_int_eq (net->layers[0].b.written, FADJ_WRITTEN_FRACTION);
      ck_assert_int_eq (net->layers[1].w.written, FADJ_WRITTEN_DECIMAL);
      ck_assert_int_eq (net->layers[1].b.written, FADJ_WRITTEN_DECIMAL);
      ck_assert_int_eq (fadj_net_expand (net), FADJ_OK);
      ck_assert_int_eq (net->layers[1].w.written, FADJ_WRITTEN_DECIMAL);
      fadj_net_free (net);
    }
}
END_TEST

START_TEST (test_net_free)
{
  fadj_net_free (NULL);         /* a no-op, as every _free */
}
END_TEST

int
main (void)
{
  const test_entry tests[] = {
    TEST_CASE ("lex"),
    TEST_EACH (test_lex_tokens, lex_rows),
    TEST_EACH (test_lex_describe, describe_rows),
    TEST_CASE ("valid"),
    TEST_EACH (test_parse_valid, valid),
    TEST_EACH (test_parse_compact, compact_cases),
    TEST_EACH (test_parse_examples, examples),
    TEST_CASE ("invalid"),
    TEST_EACH (test_parse_invalid, invalid),
    TEST_LOOP (test_parse_invalid_file, N_INVALID_FILES),
    TEST_ONCE (test_parse_invalid_dir),
    TEST_CASE ("limits"),
    TEST_ONCE (test_limit_layers),
    TEST_ONCE (test_limit_width),
    TEST_ONCE (test_limit_hostile),
    TEST_CASE ("robust"),
    TEST_ONCE (test_robust_prefixes),
    TEST_ONCE (test_robust_mutations),
    TEST_ONCE (test_lex_simple_number),
    TEST_CASE ("net"),
    TEST_EACH (test_net_domain, domains),
    TEST_ONCE (test_net_written),
    TEST_ONCE (test_net_free),
  };

  return test_main ("parse", tests, sizeof tests / sizeof tests[0]);
}
