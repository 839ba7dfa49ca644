/* fadj.h -- public interface of libfadj: networks, numbers, the expression
   engine, the F-adjoint and its verification.

   Conventions (after GMP/MPFR):
   - number-like values are one-element arrays (fadj_num_t) with
     init/clear; graphs, networks and buffers are opaque heap objects with
     _new/_free, and _free(NULL) is a no-op;
   - outputs first, then inputs, then the number context;
   - failures are fadj_status codes (FADJ_OK == 0); the library never prints
     and never exits; programming errors are assertions.  */

#ifndef FADJ_H
#define FADJ_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <gmp.h>
#include <mpfr.h>
#include <mpfi.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
# define FADJ_WUR __attribute__ ((warn_unused_result))
#else
# define FADJ_WUR
#endif

/* ------------------------------------------------------------------ */
/* Status codes.                                                       */

typedef enum
{
  FADJ_OK = 0,
  FADJ_UNDECIDED,   /* interval too wide to decide a sign or a rounding:
                       retry at a higher precision (Ziv's strategy) */
  FADJ_ERR_DOMAIN,  /* a value outside a function's domain (ln 0, 1/0) */
  FADJ_ERR_INPUT,   /* malformed input; details in a fadj_error */
  FADJ_ERR_LIMIT,   /* a documented resource limit was reached */
  FADJ_ERR_NOMEM,   /* out of memory */
  FADJ_ERR_IO       /* a write failed */
} fadj_status;

/* Exit statuses of the programs, documented in their man pages.  */
enum
{
  FADJ_EXIT_OK = 0,
  FADJ_EXIT_VERIFY = 1,   /* the two-step rule and the check disagree */
  FADJ_EXIT_INPUT = 2,    /* usage or input error */
  FADJ_EXIT_RESOURCE = 3  /* resource, precision limit or I/O error */
};

/* A located error message, filled by the parsers.  LINE and COL are
   1-based; COL counts characters (bytes) from the start of the line.  */
typedef struct
{
  long line, col;
  char msg[512];
} fadj_error;

/* ------------------------------------------------------------------ */
/* Limits.  Input is untrusted (students' and scripts' files): each of
   these bounds the memory or time one file can ask for.  They are the
   single source of the values quoted by fadj-net(5), fadj-explain(1) and
   the README (tests/limits.sh checks that they agree).  Past a limit the
   parser fails with FADJ_ERR_LIMIT (a resource) or FADJ_ERR_INPUT (a
   malformed literal), always with a located message.  */

#define FADJ_MAX_LAYERS 1000          /* depth L */
#define FADJ_MAX_WIDTH 100000         /* entries of one layer, input, target */
#define FADJ_MAX_ENTRIES 20000000     /* numbers in one file, all matrices */
/* The decimal digits of all the numbers of one file together, each
   literal counted as its characters plus its written exponent
   (fadj_number_digits): what their exact values can take in memory,
   about 200 MB at this limit.  */
#define FADJ_MAX_FILE_DIGITS 500000000LL
#define FADJ_MAX_SAMPLES 100000       /* samples m of a batch */
#define FADJ_MAX_LITERAL_LEN 10000    /* characters of one number literal */
#define FADJ_MAX_LITERAL_EXP 100000   /* |exponent| written in a literal */
#define FADJ_MAX_NESTING 2            /* bracket levels: [[1, 2], [3, 4]] */
#define FADJ_MAX_TITLE 200            /* characters of the title, one line */
/* Exact arithmetic: bits of any numerator or denominator in a derivation
   (about 301030 decimal digits).  Deep rational networks with long
   literals can grow past it; the interval domain then does the job.  */
#define FADJ_MAX_EXACT_BITS 1000000L
/* Programs: the working precision of the intervals, in bits, and the
   significant digits a document may ask for.  */
#define FADJ_MAX_PREC 1000000L
#define FADJ_MAX_PRINT_DIGITS 100
/* Programs: the automatic precision (Ziv's loop) doubles up to this many
   bits before it gives up with exit status 3.  */
#define FADJ_MAX_AUTO_PREC 65536L
/* Ziv's loop gives up on a sign that stays undecided at the same place
   through two more doublings only from this precision on (cli.c).  */
#define FADJ_SIGN_FLOOR_PREC 4096
/* fadj-audit: significant digits of a report (at most FADJ_MAX_DIGITS,
   the decimal rounding's bound), and the largest --seed.  */
#define FADJ_MAX_AUDIT_DIGITS 1000
#define FADJ_MAX_SEED 2147483647L
/* Programs: interval endpoints are kept within 2^-N .. 2^N (mpfr_set_emin
   and _emax), so that a printed value's exact rational stays a few
   megabytes; beyond, a value over- or underflows and is reported, never
   printed.  sigmoid(-1e6) = e^-1e6 ~ 2^-1442695 is well inside.  */
#define FADJ_MAX_BINARY_EXP 16777216L

/* ------------------------------------------------------------------ */
/* Numbers: one tagged value for both domains.                         */

typedef enum
{
  FADJ_EXACT,     /* GMP rationals: every operation exact */
  FADJ_INTERVAL   /* MPFI intervals: every operation encloses the truth */
} fadj_domain;

/* The number context: which domain, and for intervals the working
   precision in bits of each endpoint.  */
typedef struct
{
  fadj_domain domain;
  mpfr_prec_t prec;
} fadj_ctx;

typedef struct
{
  fadj_domain domain;     /* of the value itself */
  mpfr_prec_t prec;       /* of the context it was made in (0: exact):
                             an exact value of an interval derivation
                             keeps it for the enclosures made from it */
  union
  {
    __mpq_struct q;
    __mpfi_struct i;
  } u;
} fadj_num_struct;

typedef fadj_num_struct fadj_num_t[1];
typedef fadj_num_struct *fadj_num_ptr;
typedef const fadj_num_struct *fadj_num_srcptr;

/* The accessors of a number's representation (as MPFR's MPFR_PREC and
   MPFR_MANT): only num.c names the members of fadj_num_struct; every
   other file goes through these, so that the representation can change
   in one place.  FADJ_NUM_Q and FADJ_NUM_I are views (mpq_ptr,
   mpfi_ptr; const through a fadj_num_srcptr) valid only in their
   domain.  */
#define FADJ_NUM_DOMAIN(x) ((x)->domain)
#define FADJ_NUM_EXACT_P(x) ((x)->domain == FADJ_EXACT)
#define FADJ_NUM_Q(x) (&(x)->u.q)
#define FADJ_NUM_I(x) (&(x)->u.i)
/* An interval's endpoints, as mpfr_ptr (mpfr_srcptr through a
   fadj_num_srcptr).  */
#define FADJ_NUM_LEFT(x) (&FADJ_NUM_I (x)->left)
#define FADJ_NUM_RIGHT(x) (&FADJ_NUM_I (x)->right)

/* Initialise X in CTX's domain and precision to 0 (an exact 0 for
   intervals).  */
void fadj_num_init (fadj_num_ptr x, const fadj_ctx *ctx);
void fadj_num_clear (fadj_num_ptr x);
/* The context of X: its domain and, for an interval, its precision; for
   temporaries that must match X.  */
fadj_ctx fadj_num_get_ctx (fadj_num_srcptr x);

/* Arithmetic; R may alias an operand.  Exact for rationals; enclosing
   for intervals.  Operands may be of either domain: exact operands give
   an exact result, any interval an enclosure (at R's precision if R is
   an interval, else at the widest operand's), and a product with an
   exact 0 is an exact 0; R takes the result's domain (num.c).  SET
   copies A's domain too; SET_Q and CONVERT keep R's (an interval R
   encloses an exact A), except that an exact R given an interval
   becomes one.  */
void fadj_num_set (fadj_num_ptr r, fadj_num_srcptr a);
void fadj_num_set_q (fadj_num_ptr r, const mpq_t q);
/* R = Q exactly, an exact rational whatever R's domain was: a value of
   an interval derivation known exactly (see num.c on mixed domains).  */
void fadj_num_set_exact (fadj_num_ptr r, mpq_srcptr q);
/* R = N exactly, likewise: the exact 0 a sum starts from, so that a sum
   of exact terms stays exact and one enclosure makes it one.  */
void fadj_num_set_exact_si (fadj_num_ptr r, long n);
/* R = A * N, enclosed as one operation (R takes A's domain).  */
void fadj_num_mul_si (fadj_num_ptr r, fadj_num_srcptr a, long n);
/* *LO <= a <= *HI for every a in the interval A, as doubles (the
   endpoints rounded outwards; an infinity beyond the doubles' range):
   1; 0 for an exact A.  */
int fadj_num_get_d2 (double *lo, double *hi, fadj_num_srcptr a);
/* The interval R = [LO, HI] (LO <= HI, not NaN), its endpoints rounded
   outwards when they do not fit its precision.  */
void fadj_num_set_d2 (fadj_num_ptr r, double lo, double hi);
/* R = N 2^E, exactly, or enclosed when N does not fit the precision.  */
void fadj_num_set_si_2exp (fadj_num_ptr r, long n, long e);
void fadj_num_set_si (fadj_num_ptr r, long n);
void fadj_num_add (fadj_num_ptr r, fadj_num_srcptr a, fadj_num_srcptr b);
void fadj_num_sub (fadj_num_ptr r, fadj_num_srcptr a, fadj_num_srcptr b);
void fadj_num_mul (fadj_num_ptr r, fadj_num_srcptr a, fadj_num_srcptr b);
void fadj_num_neg (fadj_num_ptr r, fadj_num_srcptr a);
/* R += A * B.  */
void fadj_num_addmul (fadj_num_ptr r, fadj_num_srcptr a, fadj_num_srcptr b);
/* R = A / B; FADJ_ERR_DOMAIN if B is 0 (or an interval containing 0).  */
fadj_status fadj_num_div (fadj_num_ptr r, fadj_num_srcptr a,
                          fadj_num_srcptr b) FADJ_WUR;
/* Transcendental functions: intervals only (assertion otherwise).  */
void fadj_num_exp (fadj_num_ptr r, fadj_num_srcptr a);
/* R = erf A, the error function (an enclosure: MPFI has no erf, so the
   endpoints come from MPFR's correctly rounded erf, rounded outwards).  */
void fadj_num_erf (fadj_num_ptr r, fadj_num_srcptr a);
/* R = sqrt A; FADJ_ERR_DOMAIN unless A >= 0 is certain.  */
fadj_status fadj_num_sqrt (fadj_num_ptr r, fadj_num_srcptr a) FADJ_WUR;
/* R = pi (intervals only).  */
void fadj_num_const_pi (fadj_num_ptr r);
/* R = ln A; FADJ_ERR_DOMAIN unless A > 0 is certain.  */
fadj_status fadj_num_log (fadj_num_ptr r, fadj_num_srcptr a) FADJ_WUR;
/* Tighten R, an enclosure of ln X where X = 1 - S exactly (X a softmax
   output, S the sum of the others), with the enclosure ln (1 - S) by
   log1p, which keeps the relative precision of a tiny 1 - X that R's
   own ln X of an enclosure near 1 loses.  Nothing when R or S is exact
   or S < 1 is not certain.  */
void fadj_num_tighten_log_complement (fadj_num_ptr r, fadj_num_srcptr s);
/* Tighten R, an enclosure, with A, another value or enclosure of the
   same real number: R becomes their intersection.  Nothing when R is
   exact.  */
void fadj_num_tighten (fadj_num_ptr r, fadj_num_srcptr a);
/* Convert an exact value to an interval (or copy within a domain).  */
void fadj_num_convert (fadj_num_ptr r, fadj_num_srcptr a);
/* R = |A|.  */
void fadj_num_abs (fadj_num_ptr r, fadj_num_srcptr a);
/* *E = floor (log2 |x|), the same for every x in the interval A, and
   1; 0 when A is exact, contains 0 or straddles a power of 2.  */
int fadj_num_floor_log2 (long *e, fadj_num_srcptr a);
/* R = A * 2^E, exactly (the scaling of an interval's endpoints).  */
void fadj_num_mul_2si (fadj_num_ptr r, fadj_num_srcptr a, long e);
/* R = max (A, B), an enclosure of it for intervals: the larger lower
   bound and the larger upper bound.  Returns nonzero if B's upper bound
   is above A's (for rationals: B > A), so that a running maximum
   R = max (R, X) knows which X gave its upper bound.  */
int fadj_num_max (fadj_num_ptr r, fadj_num_srcptr a, fadj_num_srcptr b);

/* *SIGN = -1, 0 or 1.  FADJ_UNDECIDED if an interval contains 0 without
   being [0, 0].  */
fadj_status fadj_num_sgn (int *sign, fadj_num_srcptr a) FADJ_WUR;
/* Nonzero if A and B may be equal: equal rationals, overlapping
   intervals.  */
int fadj_num_compatible_p (fadj_num_srcptr a, fadj_num_srcptr b);
/* Nonzero if A is exactly 0 (rational 0, or the interval [0, 0]).  */
int fadj_num_zero_p (fadj_num_srcptr a);
/* *GT = whether A > Q: for an interval, 1 if its lower bound is above
   Q, 0 if its upper bound is at most Q; FADJ_UNDECIDED otherwise.  */
fadj_status fadj_num_gt_q (int *gt, fadj_num_srcptr a, const mpq_t q)
  FADJ_WUR;

/* ------------------------------------------------------------------ */
/* Decimal rounding and formatting.                                    */

/* A decimal d_1.d_2...d_n x 10^EXP10 (d_1 != 0 unless the value is 0).  */
typedef struct
{
  int sign;           /* -1, 0 or 1 */
  char digits[1024];  /* ASCII digits, no trailing zeros stripped */
  long exp10;         /* exponent of the first digit */
  int exact;          /* the decimal equals the value exactly */
} fadj_decimal;

#define FADJ_MAX_DIGITS 1000

/* D = the value of Q correctly rounded (to nearest, ties to even) to
   N significant digits; D->exact tells whether that loses nothing.  */
void fadj_decimal_round_q (fadj_decimal *d, const mpq_t q, int n);
/* Release the large powers of 10 that the roundings of this thread keep
   (decimal.c), as mpfr_free_cache does MPFR's caches.  */
void fadj_decimal_free_cache (void);
/* R = X rounded to PLACES decimal places (0 <= PLACES), to nearest with
   ties away from zero, as a hand calculation rounds.  For an interval,
   FADJ_UNDECIDED unless both endpoints round to the same decimal.  */
fadj_status fadj_decimal_round_places (mpq_t r, fadj_num_srcptr x,
                                       int places) FADJ_WUR;
/* D = X rounded to N significant digits.  For an interval, FADJ_UNDECIDED
   unless both endpoints round to the same decimal (then every point of
   the interval does, so the result is the correct rounding of the true
   value).  */
fadj_status fadj_decimal_round (fadj_decimal *d, fadj_num_srcptr x,
                                int n) FADJ_WUR;
/* D = the product A B rounded to N significant digits, as
   fadj_decimal_round would round an enclosure of it, without forming the
   product as a number: for intervals the exact products of the
   endpoints are rounded (so the enclosure is as tight as it can be).
   FADJ_UNDECIDED likewise.  */
fadj_status fadj_decimal_round_mul (fadj_decimal *d, fadj_num_srcptr a,
                                    fadj_num_srcptr b, int n) FADJ_WUR;

/* ------------------------------------------------------------------ */
/* Matrices of numbers, row-major.                                     */

typedef struct
{
  size_t rows, cols;
  fadj_num_struct *e;   /* rows * cols entries, owned; NULL when compact */
  /* The compact form of an exact matrix (a network file's weights read
     with FADJ_PARSE_COMPACT): entry (i, j) is K[i cols + j] / DEN, with
     DEN < 2^62 and |K| < 2^62, owned; E is then NULL.  A compact matrix
     serves interval derivations only (the products of wmat.c and
     intdot.c, the full check's leaves, fadj_graph_leaf_ratio):
     fadj_mat_expand gives it the entries everything else reads.  */
  int64_t *k;
  uint64_t den;
  /* How a network file wrote the entries (FADJ_WRITTEN_*), so that the
     document prints them in the same form; FADJ_WRITTEN_NONE for a
     computed matrix.  */
  int written;
  /* The scaled form of an exact matrix (a reference file's gradients,
     fadj_ref_parse_opts): entry k is K[k] BASE^X[k], BASE 2 or 10,
     |K| < 2^62; E is NULL and DEN 0.  X NULL: any other form.  One
     literal of a framework's export each, kept as written, without a
     rational or a common scale (the exponents of gradients vary too
     much for one).  */
  long *x;
  int base;
} fadj_mat;

/* The decimal exponents of a scaled matrix: |X| at most this (binary64's
   least subnormal is 4.9...e-324), so that its reader can keep the
   powers of ten at hand.  */
#define FADJ_SCALED_EXP10_MAX 400

/* fadj_mat's WRITTEN: computed; written without any fraction (decimals,
   integers, hexadecimal floats); with at least one fraction p/q.  */
enum
{
  FADJ_WRITTEN_NONE = 0,
  FADJ_WRITTEN_DECIMAL,
  FADJ_WRITTEN_FRACTION
};

#define FADJ_MAT(m, i, j) ((m)->e + (i) * (m)->cols + (j))

fadj_status fadj_mat_init (fadj_mat *m, size_t rows, size_t cols,
                           const fadj_ctx *ctx) FADJ_WUR;
void fadj_mat_clear (fadj_mat *m);  /* also on a zeroed, uninitialised m */
/* Give a compact or scaled matrix its entries (exact rationals) and
   drop that form; a no-op on any other matrix.  */
fadj_status fadj_mat_expand (fadj_mat *m) FADJ_WUR;
/* Q = entry K (row-major) of the exact matrix M, compact, scaled or
   not.  */
void fadj_mat_get_q (mpq_t q, const fadj_mat *m, size_t k);
/* Q = K BASE^X (BASE 2 or 10): an entry of a scaled matrix.  */
void fadj_scaled_get_q (mpq_t q, int64_t k, long x, int base);
/* Is every entry of M an exact rational (a compact M always is)?  */
int fadj_mat_exact_p (const fadj_mat *m);
/* Clear the N matrices of the array M (zeroed ones too) and free M;
   NULL is a no-op.  */
void fadj_mat_array_free (fadj_mat *m, size_t n);

/* ------------------------------------------------------------------ */
/* Activations and losses.                                             */

typedef enum
{
  FADJ_ACT_IDENTITY,
  FADJ_ACT_SIGMOID,
  FADJ_ACT_TANH,
  FADJ_ACT_RELU,
  FADJ_ACT_LEAKY_RELU,
  FADJ_ACT_SOFTPLUS,
  FADJ_ACT_ELU,
  FADJ_ACT_GELU,
  FADJ_ACT_SILU,
  FADJ_ACT_SOFTSIGN,
  FADJ_ACT_HARDTANH,
  FADJ_ACT_SOFTMAX,     /* a vector map: X^l = softmax(Y^l), per sample */
  FADJ_ACT_COUNT
} fadj_act_kind;

typedef enum
{
  FADJ_LOSS_HALF_SQUARED,
  FADJ_LOSS_SQUARED,
  FADJ_LOSS_MEAN_SQUARED,
  FADJ_LOSS_CROSS_ENTROPY,
  FADJ_LOSS_CATEGORICAL_CROSS_ENTROPY,
  FADJ_LOSS_COUNT
} fadj_loss_kind;

/* Names as written in network files, e.g. "leaky_relu".  */
const char *fadj_act_name (fadj_act_kind k);
const char *fadj_loss_name (fadj_loss_kind k);
/* Lookup by name; -1 if unknown.  */
int fadj_act_lookup (const char *name);
int fadj_loss_lookup (const char *name);
/* Nonzero if the activation maps rationals to rationals (exact path).  */
int fadj_act_rational_p (fadj_act_kind k);
int fadj_act_has_param_p (fadj_act_kind k);
/* The parameter an activation takes when the file gives none (leaky_relu
   1/100, elu 1), into Q; 0 for those without a parameter.  */
void fadj_act_default_param (mpq_t q, fadj_act_kind k);
/* Nonzero for a vector map (softmax): sigma' is a Jacobian matrix, and
   step 1 of the two-step rule is Y_* = J_sigma(Y)^T X_*.  */
int fadj_act_vector_p (fadj_act_kind k);
/* Nonzero if the loss is a rational function of its inputs.  */
int fadj_loss_rational_p (fadj_loss_kind k);

/* ------------------------------------------------------------------ */
/* Networks.                                                           */

typedef struct
{
  fadj_act_kind act;
  mpq_t act_param;        /* leaky_relu's a; 0 when unused */
  int has_act_param;      /* the file gave the parameter explicitly */
  fadj_mat w;             /* N_l x N_{l-1}, exact */
  int has_bias;
  fadj_mat b;             /* N_l x 1, exact; rows == 0 without a bias */
  int bias_shared;        /* 'bias NUMBER': one bias shared by the
                             layer's neurons; B holds it N_l times */
  int bias_frozen;        /* 'frozen': training steps leave it alone */
} fadj_layer;

/* How J combines the per-sample losses of a batch.  */
typedef enum
{
  FADJ_BATCH_SUM,         /* J = sum of the samples' losses (default) */
  FADJ_BATCH_MEAN         /* J = (1/m) times that sum */
} fadj_batch;

typedef struct
{
  char *title;            /* NULL if none; raw user text */
  size_t nlayers;         /* L >= 1 */
  size_t *sizes;          /* N_0 .. N_L */
  fadj_layer *layers;     /* layers[0] is layer 1 */
  size_t nsamples;        /* m >= 1; samples are columns */
  fadj_mat input;         /* N_0 x m, exact */
  fadj_mat target;        /* N_L x m, exact */
  fadj_loss_kind loss;
  long loss_line, loss_col;  /* where the file's 'loss' statement starts
                                (0 for a network made otherwise): the
                                place of a loss-domain error */
  fadj_batch batch;
  int has_rate;           /* the file gave a learning rate */
  mpq_t rate;             /* 'rate NUMBER' (> 0); 0 when absent */
  int has_gen_seed;       /* the file is fadj-gen's: its first line, a
                             comment, records --seed=GEN_SEED */
  unsigned long gen_seed;
} fadj_net;

/* Parse the network file TEXT (LEN bytes, need not be NUL-terminated).
   On success *NET is a new network owned by the caller (fadj_net_free).
   On FADJ_ERR_INPUT, ERR holds the position and message and *NET is NULL.
   Other statuses: FADJ_ERR_NOMEM, FADJ_ERR_LIMIT (ERR filled too).  */
fadj_status fadj_net_parse (fadj_net **net, fadj_error *err,
                            const char *text, size_t len) FADJ_WUR;

/* Flags of fadj_net_parse_opts.  FADJ_PARSE_COMPACT: weight matrices
   written all in plain decimals (fadj_number_plain) or all in
   hexadecimal floats (fadj_number_dyadic, a model's export), whose
   common scale fits 62 bits, are kept compact (fadj_mat's K and DEN),
   not as one rational per entry: a file of a million weights is then
   read several times faster and held in a fifth of the memory, for
   interval derivations (fadj-audit's, lean or fully checked).  The
   network must go through
   fadj_net_expand before anything else reads its weights.  Errors,
   messages and limits are those of fadj_net_parse.  */
enum
{
  FADJ_PARSE_COMPACT = 1
};
fadj_status fadj_net_parse_opts (fadj_net **net, fadj_error *err,
                                 const char *text, size_t len,
                                 unsigned flags) FADJ_WUR;
/* fadj_mat_expand on every weight matrix of NET.  */
fadj_status fadj_net_expand (fadj_net *net) FADJ_WUR;
/* Nonzero if some weight matrix of NET is compact.  */
int fadj_net_compact_p (const fadj_net *net);
/* The number of weights and biases of NET (its inputs not counted).  */
size_t fadj_net_params (const fadj_net *net);
/* The independent check of the two-step rule, chosen by the size of the
   network (fadj-explain and fadj-audit, --check's default): the full one
   (the reverse mode of the scalar graph, whose memory grows with the
   parameters) up to FADJ_FULL_CHECK_MAX_PARAMS parameters, the
   directional one above.  Nonzero: the full check.  */
#define FADJ_FULL_CHECK_MAX_PARAMS 100000
int fadj_net_full_check_p (const fadj_net *net);
void fadj_net_free (fadj_net *net);

/* Parse one number literal (the whole of S, LEN bytes) exactly into Q.
   Returns 0 on success, else -1 with *ERRPOS the offending byte offset
   and MSG a static description.  */
int fadj_number_parse (mpq_t q, const char *s, size_t len, size_t *errpos,
                       const char **msg);
/* An upper bound on the decimal digits of the exact value of the literal
   S (LEN bytes): its characters plus its written exponent (scaled for a
   hexadecimal one), for the per-file FADJ_MAX_FILE_DIGITS.  */
unsigned long fadj_number_digits (const char *s, size_t len);
/* The same for a literal that fadj_number_plain, fadj_number_decimal or
   (HEX nonzero) fadj_number_dyadic has accepted, whose exponent, if
   any, is found from its end: no scan of its digits.  */
unsigned long fadj_number_digits_valid (const char *s, size_t len, int hex);
/* If S (LEN bytes) is a plain decimal -- sign? (digits ('.' digits?)? |
   '.' digits), no exponent -- of at most 18 digits, *V = its digits as
   a signed integer and *PLACES = the number of digits after the point,
   so that it denotes *V / 10^*PLACES; returns 1.  Else 0: the literal is
   some other form, or not valid, and fadj_number_parse decides.  */
int fadj_number_plain (int64_t *v, int *places, const char *s, size_t len);
/* If S (LEN bytes) is a decimal -- sign? (digits ('.' digits?)? | '.'
   digits) (('e'|'E') sign? digits)? -- of at most 18 significant digits
   (any number of places), *V = its digits as a signed integer and *X
   the power of ten, so that it denotes *V 10^*X (*X 0 for a zero);
   returns 1.  Else 0, as fadj_number_plain.  */
int fadj_number_decimal (int64_t *v, long *x, const char *s, size_t len);
/* Likewise for a hexadecimal literal (as fadj_number_parse reads it)
   whose significand has at most 62 bits once its trailing zero bits are
   removed: *M (odd, or 0) and *E so that it denotes *M 2^*E; returns 1.
   Else 0.  */
int fadj_number_dyadic (int64_t *m, long *e, const char *s, size_t len);

/* The domain in which the network's derivation is exact or enclosed:
   FADJ_EXACT when every activation and the loss are rational.  */
fadj_domain fadj_net_domain (const fadj_net *net);

/* ------------------------------------------------------------------ */
/* The expression engine: a graph of scalar nodes.                     */

typedef struct fadj_graph fadj_graph;
typedef size_t fadj_node;   /* index of a node in its graph */

/* New empty graph evaluating in CTX; NULL if out of memory.  */
fadj_graph *fadj_graph_new (const fadj_ctx *ctx);
void fadj_graph_free (fadj_graph *g);

/* Node builders.  Each node is evaluated when it is built; errors
   (domain, undecided sign, memory) are sticky and reported by
   fadj_graph_status.  Operands must be earlier nodes of G.  */
fadj_node fadj_graph_leaf (fadj_graph *g, const mpq_t value);  /* variable */
/* A variable whose value is a number of either domain (an exact value is
   converted to the graph's domain; an interval needs an interval graph):
   the parameters of a later training step.  */
fadj_node fadj_graph_leaf_num (fadj_graph *g, fadj_num_srcptr value);
fadj_node fadj_graph_const (fadj_graph *g, const mpq_t value);
fadj_node fadj_graph_const_si (fadj_graph *g, long value);
fadj_node fadj_graph_add (fadj_graph *g, fadj_node a, fadj_node b);
fadj_node fadj_graph_sub (fadj_graph *g, fadj_node a, fadj_node b);
fadj_node fadj_graph_mul (fadj_graph *g, fadj_node a, fadj_node b);
fadj_node fadj_graph_div (fadj_graph *g, fadj_node a, fadj_node b);
fadj_node fadj_graph_neg (fadj_graph *g, fadj_node a);
fadj_node fadj_graph_exp (fadj_graph *g, fadj_node a);
fadj_node fadj_graph_log (fadj_graph *g, fadj_node a);
/* x for x > 0, SLOPE * x otherwise; derivative 1 for x > 0, SLOPE
   otherwise (so relu'(0) = 0 with SLOPE = 0, leaky_relu'(0) = a).  */
fadj_node fadj_graph_leaky (fadj_graph *g, fadj_node a, const mpq_t slope);
/* erf A, with the generic derivative (2/sqrt(pi)) e^{-A^2}.  */
fadj_node fadj_graph_erf (fadj_graph *g, fadj_node a);
/* sqrt A (A > 0), with the derivative 1/(2 sqrt A).  */
fadj_node fadj_graph_sqrt (fadj_graph *g, fadj_node a);
/* A if COND > 0, else B: the piecewise node.  Its derivative is that of
   the chosen branch (1 towards it, 0 towards the other and COND), so a
   kink's convention is the choice of the branch at COND = 0.  */
fadj_node fadj_graph_where (fadj_graph *g, fadj_node cond, fadj_node a,
                            fadj_node b);
/* Sum of A[k] * B[k], k < N (N >= 1); the arrays are copied.  */
fadj_node fadj_graph_dot (fadj_graph *g, size_t n, const fadj_node *a,
                          const fadj_node *b);
/* Sum of A[k], k < N (N >= 1).  */
fadj_node fadj_graph_sum (fadj_graph *g, size_t n, const fadj_node *a);

fadj_status fadj_graph_status (const fadj_graph *g);
/* After a failure: how many nodes G had when it failed (at least 1), the
   same at every precision while the graph is built the same way.  */
size_t fadj_graph_failed_at (const fadj_graph *g);
size_t fadj_graph_size (const fadj_graph *g);
/* View of a node's value; valid until G is freed.  */
fadj_num_srcptr fadj_graph_value (const fadj_graph *g, fadj_node x);

/* Generic reverse mode: the adjoint of every node with respect to OUT
   (d OUT / d node).  */
fadj_status fadj_graph_reverse (fadj_graph *g, fadj_node out) FADJ_WUR;
/* View of a node's adjoint after fadj_graph_reverse.  */
fadj_num_srcptr fadj_graph_adjoint (const fadj_graph *g, fadj_node x);

/* Generic forward (tangent) mode.  Give the tangent DX of a leaf (every
   leaf not given has tangent 0; DX is converted into G's domain), then
   fadj_graph_forward computes the tangent of every node: its derivative
   along the direction the leaves' tangents define.  */
fadj_status fadj_graph_set_tangent (fadj_graph *g, fadj_node leaf,
                                    fadj_num_srcptr dx) FADJ_WUR;
fadj_status fadj_graph_forward (fadj_graph *g) FADJ_WUR;
/* View of a node's tangent after fadj_graph_forward.  */
fadj_num_srcptr fadj_graph_tangent (const fadj_graph *g, fadj_node x);

/* Build sigma(A) for an activation from the engine's primitives (exp,
   log, div, leaky), so that the graph's derivative of sigma comes from
   the generic rules and not from the activation's own sigma'.  */
fadj_node fadj_graph_activation (fadj_graph *g, fadj_act_kind k,
                                 const mpq_t param, fadj_node a);
/* The same for a whole column of N pre-activations A, into OUT[0..N):
   the only way to build a vector map (softmax = exp / sum of exps); the
   coordinate-wise activations are applied entry by entry.  */
void fadj_graph_activation_vec (fadj_graph *g, fadj_node *out,
                                fadj_act_kind k, const mpq_t param,
                                size_t n, const fadj_node *a);

/* ------------------------------------------------------------------ */
/* F-propagation, F-adjoint, verification.                             */

/* Where a disagreement was found.  */
typedef enum
{
  FADJ_Q_GRADIENT,     /* dJ/dW^l (bias column last) */
  FADJ_Q_Y_STAR,       /* Y^l_* vs dJ/dY^l */
  FADJ_Q_X_STAR,       /* X^l_* vs dJ/dX^l (l = 0 .. L-1) */
  FADJ_Q_SHARED_BIAS,  /* a shared bias's gradient (the sum) */
  FADJ_Q_DIRECTIONAL   /* the gradient projected on a direction vs the
                          forward-mode directional derivative */
} fadj_quantity;

typedef struct
{
  int agree;               /* every compared entry agrees */
  size_t compared;         /* number of entries compared */
  /* First disagreement, when !agree.  */
  fadj_quantity what;
  size_t layer, row, col;
} fadj_check;

typedef struct fadj_wmat fadj_wmat;
typedef struct fadj_act_graph fadj_act_graph;

/* How much of a derivation to build (flags of fadj_trace_compute_flags).
   Without FADJ_TRACE_GRAPH no scalar graph is built: the F-propagation
   is computed on matrices (the lean path for real layer sizes) and there
   is no reverse-mode check (check.compared is 0).  Without
   FADJ_TRACE_GRADIENTS the matrices dJ/dW^l are not stored (grad is
   NULL) and fadj_trace_gradient_entry computes their entries on demand.
   FADJ_TRACE_DIRECTIONAL, without FADJ_TRACE_GRAPH: the derivation is
   checked by the directional check instead (fadj_trace_directional, the
   direction drawn from FADJ_DIRECTIONAL_SEED), its verdict in check
   (what is FADJ_Q_DIRECTIONAL, compared 1): fadj-explain's check of a
   network too large for the graph (fadj_net_full_check_p).  */
enum
{
  FADJ_TRACE_GRAPH = 1,
  FADJ_TRACE_GRADIENTS = 2,
  FADJ_TRACE_FULL = FADJ_TRACE_GRAPH | FADJ_TRACE_GRADIENTS,
  FADJ_TRACE_DIRECTIONAL = 4,
  /* The lean path keeps only what the gradients' entries and the
     directional check need: X^l, Y^l_*, X^0_* and J.  sigma'(Y^l), Y^l_*
     and X^{l-1}_* are made as the two-step rule reaches layer l, and
     Y^l, sigma'(Y^l), the softmax Jacobians and X^l_* (l >= 1) freed as
     soon as it has used them: most of a batch's memory otherwise.
     fadj_trace_exact_values cannot be used on such a trace.  */
  FADJ_TRACE_DROP = 8
};
/* The seed of the direction of FADJ_TRACE_DIRECTIONAL (and fadj-audit's
   default --seed).  */
#define FADJ_DIRECTIONAL_SEED 1

/* The whole derivation of one network at one precision.  Index l of
   X, xs is 0..L; of Y, ys, dsig, grad is 1..L (index 0 unused).  */
typedef struct
{
  fadj_ctx ctx;
  unsigned flags;         /* FADJ_TRACE_* */
  const fadj_net *net;    /* borrowed */
  size_t L, m;
  fadj_graph *graph;      /* owned: the computation graph of J, or NULL */
  fadj_wmat **wm;         /* owned, internal: W^l ready for products */
  fadj_act_graph **actg;  /* owned, internal: the lean path's graph of
                             sigma at Y^l, or NULL */
  fadj_mat *X;            /* X^l, N_l x m (without the appended 1) */
  fadj_mat *Y;            /* Y^l, N_l x m */
  fadj_mat *dsig;         /* sigma'(Y^l) */
  fadj_mat *ys;           /* Y^l_* */
  fadj_mat *xs;           /* X^l_*; xs[L] is the seed dJ/dX^L */
  fadj_mat *grad;         /* dJ/dW^l, N_l x (N_{l-1} + has_bias), or
                             NULL (see FADJ_TRACE_GRADIENTS) */
  const fadj_mat **W, **B;  /* views of the parameters derived at: W^l,
                             and b^l (N_l x 1; no rows without a bias):
                             the network's exact ones, or the trace's own
                             copies of those given in its options */
  fadj_mat *own_w, *own_b;  /* owned: those copies, or NULL */
  fadj_mat *jac;          /* softmax layers: J_sigma(Y^l) of sample s in
                             columns [s N_l, (s+1) N_l); else empty */
  fadj_mat *gb;           /* shared biases: dJ/db^l (1 x 1); else empty */
  int carry;              /* -1, or the decimal places every intermediate
                             was rounded to (a carried trace) */
  int per_value;          /* its values were made exact where they are
                             (fadj_trace_exact_values); training steps
                             from it are then made so too */
  fadj_num_t J;           /* the loss */
  fadj_check check;       /* the verification's result */
  struct fadj_trace_nodes *nodes;  /* internal: where each quantity sits
                                      in the graph */
  fadj_mat comp;          /* 1 - X^L as sigma(-Y^L), for a sigmoid output
                             under cross_entropy (fadj_trace_complement);
                             else empty */
} fadj_trace;

/* Build the graph of NET in CTX, take the F-propagation from it, run the
   F-adjoint by the two-step rule, the gradients, and verify them against
   the graph's reverse mode.  On success *T is new (fadj_trace_free); the
   verification's verdict is in (*T)->check.  FADJ_UNDECIDED asks for a
   higher precision; FADJ_ERR_DOMAIN means the loss or an activation is
   undefined at the values reached.  */
fadj_status fadj_trace_compute (fadj_trace **t, const fadj_net *net,
                                const fadj_ctx *ctx) FADJ_WUR;

/* Where a loss is undefined: output ROW of sample COL (0-based).  */
typedef struct
{
  int set;
  size_t row, col;
} fadj_where;

typedef struct
{
  /* The parameters to derive at, indexed by layer 1..L (0 unused): W[l]
     N_l x N_{l-1}, B[l] N_l x 1 (no rows without a bias), exact or in
     CTX's domain.  NULL: the network's own.  */
  const fadj_mat *w, *b;
  /* >= 0: the textbook derivation, every intermediate rounded to CARRY
     decimal places (ties away from zero) before it is used; the trace is
     exact (CTX's domain is ignored, its precision serves the
     transcendental functions) and has no verification.  -1: the true
     derivation.  */
  int carry;
  fadj_where *where;      /* if not NULL: set when the loss is undefined */
  unsigned flags;         /* FADJ_TRACE_*: FADJ_TRACE_FULL, or 0 (lean) */
  /* If not NULL: when an undecided sign stops the F-propagation
     (FADJ_UNDECIDED), a nonzero mark of where (the graph's node, or the
     lean path's layer), the same at every precision, so that Ziv's loop
     sees whether more precision moves it; else 0.  */
  size_t *stopped;
  /* If not NULL (the lean path only): the directional check's tangent,
     carried along the F-propagation so that sigma's graph of each sample
     is freed as soon as it has given X^l and dX^l
     (fadj_directional_new); NULL keeps the graphs in the trace.  */
  struct fadj_trace_tangent *tangent;
} fadj_trace_opts;

/* O = the defaults, the plain derivation (as OPTS NULL): the network's
   own parameters, no carry, no WHERE, FADJ_TRACE_FULL.  Callers set what
   they need after it, so that new fields never leave one uninitialised.  */
void fadj_trace_opts_init (fadj_trace_opts *o);

/* fadj_trace_compute with options; OPTS NULL is the plain derivation.  */
fadj_status fadj_trace_compute_opts (fadj_trace **t, const fadj_net *net,
                                     const fadj_ctx *ctx,
                                     const fadj_trace_opts *opts) FADJ_WUR;
/* The same with a choice of FLAGS (FADJ_TRACE_*) and no other option.  */
fadj_status fadj_trace_compute_flags (fadj_trace **t, const fadj_net *net,
                                      const fadj_ctx *ctx, unsigned flags)
  FADJ_WUR;
void fadj_trace_free (fadj_trace *t);

/* Exactness per value (trace-exact.c): in an interval trace, make every
   value that is a rational function of the data an exact rational again
   (Y^1 = W^1 X^0 always; everything before the first transcendental
   map; products of exact values, and products with an exact 0; point
   enclosures).  For a verified trace that is then only shown: the
   values may be of either domain afterwards.  A no-op on an exact or a
   carried trace.  */
fadj_status fadj_trace_exact_values (fadj_trace *t) FADJ_WUR;

/* R = A read as a derivative of J.  The two-step rule's adjoints Y^l_*
   and X^l_* are those of the sum of the samples' losses (column s: the
   derivative of sample s's own loss), so under 'batch mean', J being
   that sum over m, dJ/d(Y^l) = Y^l_* / m: R = A / m; otherwise R = A.
   R may be A.  */
void fadj_trace_of_J (fadj_num_ptr r, const fadj_trace *t,
                      fadj_num_srcptr a);
/* R = dJ/dX^0[i, s], the input gradient: X^0_*[i, s] read as a
   derivative of J (fadj_trace_of_J).  */
void fadj_trace_input_gradient_entry (fadj_num_ptr r, const fadj_trace *t,
                                      size_t i, size_t s);

/* R = dJ/dW^l_{ij} (J = N_{l-1}: the bias column), from the stored
   matrix or, without one, computed from Y^l_* and X^{l-1} (divided by m
   for 'batch mean').  R in T's domain.  */
void fadj_trace_gradient_entry (fadj_num_ptr r, const fadj_trace *t,
                                size_t l, size_t i, size_t j);
/* D = that entry rounded to N significant digits, certified as by
   fadj_decimal_round (FADJ_UNDECIDED when the enclosure does not decide
   it).  The entry of one sample, not stored, is the single product
   Y^l_*[i] X^{l-1}[j] and is rounded from it (fadj_decimal_round_mul),
   without an interval product; otherwise SCRATCH, in T's domain, holds
   the entry (its value afterwards is unspecified).  */
fadj_status fadj_trace_gradient_entry_round (fadj_decimal *d,
                                             fadj_num_ptr scratch,
                                             const fadj_trace *t, size_t l,
                                             size_t i, size_t j, int n)
  FADJ_WUR;
/* Is the weight gradient entry (I, J) of T, J < N_{l-1}, the single
   product A B of two enclosures, not stored (one sample, no carry: the
   entry fadj_trace_gradient_entry_round rounds from the product)?  1
   and *A = Y^l_*[i], *B = X^{l-1}[j], views into T; else 0.  */
int fadj_trace_gradient_entry_factors (fadj_num_srcptr *a,
                                       fadj_num_srcptr *b,
                                       const fadj_trace *t, size_t l,
                                       size_t i, size_t j);

/* Rounding the weight rows of dJ/dW^l to N digits, row by row: what the
   rows share (the operands X^{l-1}[j] of the single products above) is
   prepared once, in *R, new (fadj_gradient_rows_free); T is borrowed
   and must outlive R unchanged.  FADJ_ERR_NOMEM.  */
typedef struct fadj_gradient_rows fadj_gradient_rows;
fadj_status fadj_trace_gradient_rows_new (fadj_gradient_rows **r,
                                          const fadj_trace *t, size_t l,
                                          int n) FADJ_WUR;
void fadj_gradient_rows_free (fadj_gradient_rows *r);   /* NULL: no-op */
/* How many entries of R the batch kernel computed (intouter.c: m > 1,
   intervals); for the tests.  */
size_t fadj_gradient_rows_kernel_entries (const fadj_gradient_rows *r);
/* D[j - J0] = dJ/dW^l_{ij} rounded to N digits for J0 <= j < J1 <=
   N_{l-1} (weights only: the bias column is rounded by
   fadj_trace_gradient_entry_round), each the decimal
   fadj_trace_gradient_entry_round gives where that decides it; with
   m > 1 samples in an interval trace an entry may be decided here and
   not there (the batch kernel, intouter.c, encloses the sum over the
   samples with one rounding instead of 2m).
   FADJ_UNDECIDED at the first entry not decided, *COL = its j (the
   entries before it are set).  SCRATCH as there.  R remembers row I,
   whose own preparation is then not repeated for the next J0.  */
fadj_status fadj_trace_gradient_row_round (fadj_decimal *d, size_t *col,
                                           fadj_num_ptr scratch,
                                           fadj_gradient_rows *r, size_t i,
                                           size_t j0, size_t j1) FADJ_WUR;

/* The directional check (check-directional.c): a direction V with a
   nonzero small-integer entry for every weight, bias and input, drawn
   from SEED; *FWD = the derivative of J along V by forward (tangent)
   mode, propagated layer by layer with sigma' and the seed derived by
   the engine's forward mode on the primitive forms (not from the
   two-step rule); *PROJ = the two-step rule's gradient (every dJ/dW^l
   and the input gradient dJ/dX^0) projected on V.  C->agree: *FWD and *PROJ overlap (are
   equal, for rationals).  FWD and PROJ are initialised in T's context
   by the caller.  */
fadj_status fadj_trace_directional (fadj_check *c, fadj_num_ptr fwd,
                                    fadj_num_ptr proj, const fadj_trace *t,
                                    unsigned long seed) FADJ_WUR;
/* The same check in two halves, for a derivation's memory: its forward
   mode runs along the lean F-propagation (the trace then keeps no graph
   of sigma, each sample's being freed once read).  fadj_directional_new
   draws the direction of SEED for NET in CTX; its tangent
   (fadj_directional_tangent) goes into fadj_trace_opts.tangent of the
   derivation, and fadj_directional_finish checks the trace it made,
   with the same verdict and numbers as fadj_trace_directional.  */
typedef struct fadj_directional fadj_directional;
fadj_status fadj_directional_new (fadj_directional **d, const fadj_net *net,
                                  const fadj_ctx *ctx,
                                  unsigned long seed) FADJ_WUR;
struct fadj_trace_tangent *fadj_directional_tangent (fadj_directional *d);
fadj_status fadj_directional_finish (fadj_check *c, fadj_num_ptr fwd,
                                     fadj_num_ptr proj, const fadj_trace *t,
                                     fadj_directional *d) FADJ_WUR;
void fadj_directional_free (fadj_directional *d);   /* NULL: no-op */

/* ------------------------------------------------------------------ */
/* Training steps: gradient descent from a trace.                      */

typedef enum
{
  FADJ_UPDATE_STANDARD,   /* every gradient from one F-adjoint, old W */
  FADJ_UPDATE_LOCAL       /* from l = L down: W^l updated as soon as Y^l_*
                             is known, X^{l-1}_* propagated with the new
                             W^l (the author's local variant) */
} fadj_update;

struct fadj_training;

/* A training step written in full (fadj_train_show): its number, the
   derivation at the weights before it, and its update recorded as a
   training's first one.  Step 1's AT is the caller's trace and its REC
   the training itself; a later step's are owned by the training.  */
typedef struct
{
  size_t step;
  const fadj_trace *at;
  const struct fadj_training *rec;
} fadj_training_shown;

typedef struct fadj_training
{
  fadj_update mode;
  size_t steps;           /* N >= 1 */
  mpq_t rate;             /* eta */
  size_t L;
  fadj_ctx ctx;
  /* The first update in full, indexed by layer 1..L: the gradients it
     used (GB: shared biases' sums, 1 x 1 or empty), and the parameters
     after it.  For the local variant also the sweep's own Y^l_* (YS) and
     the X^{l-1}_* propagated with the new W^l (XS, index l - 1); empty
     for the standard one, whose values are the trace's.  */
  fadj_mat *grad, *gb, *ys, *xs, *w1, *b1;
  fadj_num_struct *J;     /* J_0 (the trace's) .. J_N, after each step */
  fadj_mat *w, *b;        /* the parameters after the last step */
  /* The verification of the F-adjoint at each later step's weights: the
     first failure, and the step (1-based: the derivation at the weights
     after step K) where it happened.  */
  fadj_check check;
  size_t check_step;
  /* When a later step fails with FADJ_ERR_DOMAIN: its number (the loss
     is undefined at the weights after step FAIL_STEP) and where.  */
  size_t fail_step;
  fadj_where where;
  /* The steps written in full, in increasing order (fadj_train_show;
     step 1 alone for fadj_train).  */
  size_t nshown;
  fadj_training_shown *shown;
  /* FADJ_UNDECIDED from fadj_train_show's DIGITS: the step whose loss
     was not decided.  */
  size_t undecided_step;
} fadj_training;

/* Run STEPS gradient-descent updates W <- W - RATE dJ/dW (and every bias
   not frozen; a shared bias by the sum of its gradient column) from the
   derivation T, each later derivation at the new weights computed and
   verified like T.  *TR is new (fadj_training_free).  Statuses as
   fadj_trace_compute; on FADJ_ERR_DOMAIN from a later step, *TR is
   still returned, with only FAIL_STEP and WHERE meaningful (the caller
   frees it).  */
fadj_status fadj_train (fadj_training **tr, const fadj_trace *t,
                        size_t steps, const mpq_t rate,
                        fadj_update mode) FADJ_WUR;
/* fadj_train, with the steps SHOW[0..NSHOW) (increasing, each in
   1..STEPS; NSHOW = 0: step 1 alone) recorded in full in (*TR)->shown:
   each later one keeps the derivation at the weights before it, so
   keep NSHOW small.  DIGITS > 0: give up at the first step K whose loss
   J_K, inexact and away from 0, is not decided to DIGITS significant
   digits (the digits the caller will print), with FADJ_UNDECIDED and
   *TR returned, only UNDECIDED_STEP = K meaningful: an interval
   trajectory only widens, so the later steps cannot decide it either,
   and running them would only delay the retry at a higher precision.
   DIGITS = 0: never.  */
#define FADJ_TRAIN_MAX_SHOWN 20
fadj_status fadj_train_show (fadj_training **tr, const fadj_trace *t,
                             size_t steps, const mpq_t rate,
                             fadj_update mode, const size_t *show,
                             size_t nshow, int digits) FADJ_WUR;
void fadj_training_free (fadj_training *tr);

/* The verification alone (check-reverse.c; exposed so that tests can
   corrupt a trace and see it fail): compares T's two-step results with
   its graph's reverse mode.  */
fadj_status fadj_trace_verify (fadj_check *c, const fadj_trace *t) FADJ_WUR;

/* ------------------------------------------------------------------ */
/* Reference gradients (ref-parse.c), for fadj-audit.                  */

/* Gradients computed elsewhere, exact as written (rationals, or the
   scaled form of fadj_mat: fadj_mat_get_q reads both).  Index l =
   1..L.  */
typedef struct
{
  size_t nlayers;
  fadj_mat *w;              /* w[l]: dJ/dW^l, N_l x N_{l-1} */
  fadj_mat *b;              /* b[l]: dJ/db^l, N_l x 1 (rows 0: none) */
  int has_input_gradient;
  fadj_mat input_gradient;  /* X^0_*, N_0 x m */
  int has_loss;
  mpq_t loss;
  int type_bits;            /* 'type': 24 (binary32), 53 (binary64), or
                               0 when the file states no type */
  long type_line, type_col; /* where its type name is */
} fadj_ref;

/* Parse the reference file TEXT (LEN bytes) for the network NET: the
   same lexical rules as the network file; every size must match NET.
   On FADJ_ERR_INPUT, ERR holds the position and message.  */
fadj_status fadj_ref_parse (fadj_ref **ref, fadj_error *err,
                            const char *text, size_t len,
                            const fadj_net *net) FADJ_WUR;
/* The same with FLAGS: FADJ_PARSE_COMPACT keeps each matrix of weight
   or bias gradients written all in decimals of at most 18 digits or
   all in hexadecimal floats (a framework's export) in the scaled form
   of fadj_mat, not as rationals: the input gradient, the loss and any
   other matrix stay rationals.  Errors, messages and limits are those
   of fadj_ref_parse.  */
fadj_status fadj_ref_parse_opts (fadj_ref **ref, fadj_error *err,
                                 const char *text, size_t len,
                                 const fadj_net *net,
                                 unsigned flags) FADJ_WUR;
void fadj_ref_free (fadj_ref *ref);

/* ------------------------------------------------------------------ */
/* Output: one writer, many sinks.                                     */

typedef struct fadj_buf fadj_buf;

fadj_buf *fadj_buf_new (void);
void fadj_buf_free (fadj_buf *b);
void fadj_buf_puts (fadj_buf *b, const char *s);
/* Append the N bytes at S (no NUL among them).  */
void fadj_buf_put_mem (fadj_buf *b, const char *s, size_t n);
void fadj_buf_printf (fadj_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
  __attribute__ ((format (printf, 2, 3)))
#endif
  ;
/* Append S with every TeX special character escaped so that it
   typesets literally.  */
void fadj_buf_put_tex_escaped (fadj_buf *b, const char *s);
/* Append S (a file name) with every control character, a newline or
   an ESC, as \xNN, as the messages write it: the line it stands in
   stays one line, and it cannot drive a terminal.  */
void fadj_buf_put_ctl_escaped (fadj_buf *b, const char *s);
/* Sticky status: FADJ_ERR_NOMEM after a failed growth.  */
fadj_status fadj_buf_status (const fadj_buf *b);
/* View of the contents, NUL-terminated; length in *LEN if LEN.  */
const char *fadj_buf_data (const fadj_buf *b, size_t *len);
/* Empty B and clear its status (after a spill, also call REWIND).  */
void fadj_buf_reset (fadj_buf *b);
/* Let B hold at most about LIMIT bytes: when an append would grow it
   past LIMIT, its contents so far are passed to SPILL (with CTX) and
   dropped from B, so that a long document need not sit in memory;
   fadj_buf_data then shows only what has not been spilled.  After a
   spill, fadj_buf_reset calls REWIND, which must discard everything
   spilled.  SPILL or REWIND returning nonzero makes the status
   FADJ_ERR_IO.  SPILL NULL turns spilling off.  */
void fadj_buf_set_spill (fadj_buf *b, size_t limit,
                         int (*spill) (void *ctx, const char *data,
                                       size_t len),
                         int (*rewind) (void *ctx), void *ctx);

/* ------------------------------------------------------------------ */
/* The LaTeX document.                                                 */

enum
{
  FADJ_LATEX_FRAGMENT = 1,      /* body only, for \input */
  FADJ_LATEX_INDEX_H = 2,       /* layer index letter h instead of ell */
  FADJ_LATEX_BIAS_SEPARATE = 4, /* Y = W X + b, dJ/db printed apart */
  /* Classroom views (the same derivation, written for a class).  */
  FADJ_LATEX_DIAGRAM = 1 << 8,  /* a TikZ picture of the network */
  /* What the picture shows of each neuron (--diagram=WHAT): by default
     (neither flag, "adjoints") X^l inside and Y^l_* below it.  */
  FADJ_LATEX_DIAGRAM_VALUES = 1 << 20, /* X^l inside only */
  FADJ_LATEX_DIAGRAM_FULL = 1 << 21,   /* Y^l above, X^l inside, Y^l_*
                                          and X^l_* below */
  FADJ_LATEX_SYMBOLIC = 1 << 9, /* each step in symbols first: entry by
                                   entry for layers of up to 4 neurons,
                                   with a generic index beyond */
  FADJ_LATEX_BEAMER = 1 << 10,  /* a beamer deck, one frame per step */
  FADJ_LATEX_BEAMER_HANDOUT = 1 << 16, /* with BEAMER: beamer's handout,
                                          no overlays, two frames to a
                                          page */
  FADJ_LATEX_WORKSHEET = 1 << 11, /* computed values as empty boxes */
  FADJ_LATEX_KEY = 1 << 12,     /* with WORKSHEET: the boxes filled in */
  FADJ_LATEX_SUMMARY = 1 << 18, /* a one-page table of every neuron's
                                   values and adjoints, and the gradients */
  FADJ_LATEX_EQNUM = 1 << 19,   /* every step's line numbered (1), (2), ...
                                   (not on a deck) */
  /* With WORKSHEET, what the student computes (--blanks; none of the
     three: all): the F-propagation (Y^l, X^l, J), the F-adjoint (the
     seed, sigma'(Y^l), Y^l_*, X^{l-1}_*), the gradients dJ/dW^l (and
     the chain rule's products); every other value is printed.  */
  FADJ_LATEX_BLANK_FORWARD = 1 << 13,
  FADJ_LATEX_BLANK_ADJOINT = 1 << 14,
  FADJ_LATEX_BLANK_GRADIENTS = 1 << 15,
  FADJ_LATEX_FOR_TEXT = 1 << 22 /* to be translated to text, whose layout
                                   cuts a wide matrix itself: no blocks */
};

/* A weight w^LAYER_{ROW,COL} (1-based; COL = N_{LAYER-1} + 1 is the bias
   in the augmented convention) whose scalar chain rule is written out.  */
typedef struct
{
  size_t layer, row, col;
} fadj_latex_chain;

/* The values printed as 0 though their enclosures only bound them: a
   value that is not exact and whose enclosure still contains 0 when
   everything else printed is decided (a zero reached through the
   cancellation of irrational values; fadj-explain and fadj-audit try two
   more doublings of the precision first).  Every one of the COUNT
   values so printed has |value| < 10^-K.  */
typedef struct
{
  size_t count;
  long k;
  char undecided[48];   /* the first value whose rounding stayed
                           undecided, "~d.ddde+E" for the message at the
                           precision limit; "" if none */
} fadj_zero_log;

/* Clear LOG: no value printed so.  */
void fadj_zero_log_init (fadj_zero_log *log);
/* Record X, an enclosure that contains 0, in LOG.  */
void fadj_zero_log_add (fadj_zero_log *log, fadj_num_srcptr x);
/* Record X, an enclosure whose rounding is undecided, in LOG unless one
   is recorded already.  */
void fadj_zero_log_undecided (fadj_zero_log *log, fadj_num_srcptr x);

/* The form of exact values in the document (fadj-explain --numbers):
   AUTO prints each matrix of the file in the form its entries were
   written in (fadj_mat's WRITTEN) and every computed matrix in one form,
   fractions if the file wrote any; FRACTIONS and DECIMALS force one form
   on every exact value.  Inexact values are always decimals.  */
typedef enum
{
  FADJ_NUMBERS_AUTO = 0,
  FADJ_NUMBERS_FRACTIONS,
  FADJ_NUMBERS_DECIMALS
} fadj_numbers;

/* How the document is written.  */
typedef struct
{
  unsigned flags;
  int digits;          /* significant digits of inexact values */
  fadj_numbers numbers; /* the form of exact values */
  size_t max_show;     /* rows and columns shown before eliding with
                          \cdots, \vdots (>= 3); 0 shows everything */
  size_t nchains;      /* the chain rules to write out (borrowed) */
  const fadj_latex_chain *chains;
  fadj_zero_log *zeros; /* NULL: a value whose enclosure contains 0 but
                           is not 0 is undecided (FADJ_UNDECIDED); else
                           it is printed 0^\dagger, logged here, and
                           explained at the end */
  const char *lang;    /* the language of the prose: "en" (or NULL),
                          "fr" (fadj_lang_valid); never the locale's */
  const char *beamer_theme; /* a deck's \usetheme (letters and digits),
                               NULL for beamer's default (borrowed) */
  /* A worksheet (FADJ_LATEX_WORKSHEET) and its key.  */
  double box_width, box_height; /* an answer field, in points (TeX's
                                   pt); default 2.5cm x 7mm */
  int round;           /* -1: a field's value to DIGITS significant
                          digits (exact values exactly); else rounded to
                          ROUND decimals, the precision asked (--round) */
  double space;        /* working space after each step, in cm (>= 0) */
  const char *source;  /* the network file's name, printed so that sheet
                          and key can be matched; NULL: none (borrowed) */
  const char *options; /* the options the sheet was made with, or NULL */
  long seed;           /* the fadj-gen seed the file records, or -1 */
} fadj_latex_opts;

/* Is LANG a language the documents can be written in ("en", "fr";
   NULL: the default, English)?  */
int fadj_lang_valid (const char *lang);
/* Write the prose in LANG (fadj_lang_valid) from now on in this thread:
   fadj_latex_write does it for its document, and a caller sets it
   around fadj_format_convert, whose labels of matrix blocks are prose.
   Returns the language before, for fadj_lang_end to restore.  */
int fadj_lang_begin (const char *lang);
void fadj_lang_end (int before);

/* O = the defaults: no flags, 6 digits, every row and column shown, no
   chain rule.  Callers set what they need after it, so that new fields
   never leave one uninitialised.  */
void fadj_latex_opts_init (fadj_latex_opts *o);

/* The scalar chain rule of one weight, summed path by path
   (fadj_chain_check).  */
typedef struct
{
  fadj_status status;  /* FADJ_OK, or why SUM is unknown (FADJ_ERR_LIMIT:
                          too many paths) */
  fadj_num_t sum;      /* dJ/dw^l_{ij} as the sum over paths */
  int agree;           /* SUM is the entry (i, j) of dJ/dW^l: equal, or
                          enclosures that meet */
} fadj_chain_result;

/* What was computed beyond the trace, for the document's extra
   sections: owned by the caller, who fills it, passes it to
   fadj_latex_write and clears it.  */
typedef struct
{
  /* Optional extra sections (NULL: none), borrowed.  TRAINING: the
     gradient-descent steps from the trace (fadj_train).  CARRIED: the
     same derivation with textbook rounding (fadj_trace_opts.carry), put
     side by side with the exact one.  */
  const fadj_training *training;
  const fadj_trace *carried;
  /* The chain rules of fadj_latex_opts.chains, one for one (owned: made
     by fadj_chain_check, freed by fadj_latex_results_clear).  */
  size_t nchains;
  fadj_chain_result *chains;
} fadj_latex_results;

/* R = nothing beyond the trace: no extra section, no chain rule.  */
void fadj_latex_results_init (fadj_latex_results *r);
/* Free what R owns (its chain rules); R is then as after init.  */
void fadj_latex_results_clear (fadj_latex_results *r);

/* FADJ_OK if C names a weight (or a bias, column N_{l-1} + 1) of NET
   whose chain rule has at most FADJ_CHAIN_MAX_PATHS paths; else
   FADJ_ERR_INPUT (no such weight) or FADJ_ERR_LIMIT (more paths).  */
#define FADJ_CHAIN_MAX_PATHS 100000
fadj_status fadj_chain_validate (const fadj_net *net,
                                 const fadj_latex_chain *c) FADJ_WUR;
/* The chain rule of each of the N weights C (valid for T's network:
   fadj_chain_validate), into R->chains, which must be empty: dJ/dw^l_{ij}
   by the scalar chain rule, the sum, over every path from the weight to
   the loss (and every sample), of the product of the seed entry, the
   sigma' (a vector map's Jacobian entries: softmax) and the weights
   along the path, and the weight's input;
   computed path by path from the F-propagation and the seed, without the
   two-step rule's adjoints, and compared with the entry (i, j) of
   dJ/dW^l: one more check.  A sum that cannot be computed
   (FADJ_ERR_LIMIT beyond 100000 paths) keeps its status in its result,
   and fadj_latex_write returns it at that chain's section, after any
   earlier failure of the document.  FADJ_ERR_NOMEM, else FADJ_OK.  */
fadj_status fadj_chain_check (fadj_latex_results *r, const fadj_trace *t,
                              size_t n, const fadj_latex_chain *c) FADJ_WUR;

/* Append the derivation of T to B, written as OPTS says, with the extra
   sections of RES (NULL: none).  FADJ_UNDECIDED if some value to be
   printed could not be rounded with certainty at T's precision.  */
fadj_status fadj_latex_write (fadj_buf *b, const fadj_trace *t,
                              const fadj_latex_opts *opts,
                              const fadj_latex_results *res) FADJ_WUR;

/* A set of exercises (fadj-explain FILE...): one document, a section
   per network, written in three parts so that each exercise's trace can
   be freed once its section is written.  Not a beamer deck.

   fadj_latex_write_set_begin appends the head of the document of the N
   networks NETS (borrowed), as OPTS says: the preamble, once, made for
   all of them (the widest matrix), and the title; with
   FADJ_LATEX_FRAGMENT only a comment.  T is the trace of one of them
   (the writer's state is made from it; nothing of its values is
   written).

   fadj_latex_write_exercise appends exercise K (from 1): T's derivation
   as fadj_latex_write writes it, as a section "Exercise K: TITLE" (the
   network's title, else FILE's base name) stating FILE's base name and,
   if SEEDED, the fadj-gen seed the file records; its own sections are
   subsections.  On a worksheet (and its key) every exercise after the
   first starts a new page.

   fadj_latex_write_set_end appends the end of the document.  */
fadj_status fadj_latex_write_set_begin (fadj_buf *b, const fadj_trace *t,
                                        const fadj_latex_opts *opts,
                                        const fadj_net *const *nets,
                                        size_t n) FADJ_WUR;
fadj_status fadj_latex_write_exercise (fadj_buf *b, const fadj_trace *t,
                                       const fadj_latex_opts *opts,
                                       const fadj_latex_results *res,
                                       size_t k, const char *file,
                                       int seeded,
                                       unsigned long seed) FADJ_WUR;
fadj_status fadj_latex_write_set_end (fadj_buf *b,
                                      const fadj_latex_opts *opts) FADJ_WUR;

/* Append one number as LaTeX, following the document's rules: exact
   values as terminating decimals (<= 12 significant digits) or \frac{p}{q}
   (p, q <= 6 digits) or else a rounded decimal, inexact values rounded to
   exactly DIGITS significant digits (trailing zeros kept).  *APPROX is set
   when the printed number is not exactly the value (the caller prints
   \approx).  */
fadj_status fadj_latex_number (fadj_buf *b, int *approx, fadj_num_srcptr x,
                               int digits) FADJ_WUR;

/* Output formats.  LaTeX is what fadj_latex_write writes; the others are
   translated from it (fadj_format_convert), so that every format shows
   the same derivation.  */
typedef enum
{
  FADJ_FORMAT_LATEX,
  FADJ_FORMAT_MARKDOWN,   /* text with $...$ and $$...$$ math (KaTeX) */
  FADJ_FORMAT_TEXT        /* plain Unicode, for a terminal */
} fadj_format;

/* The line width of FADJ_FORMAT_TEXT that fadj-explain accepts, and
   its default when standard output is not a terminal.  */
#define FADJ_TEXT_MIN_WIDTH 40
#define FADJ_TEXT_MAX_WIDTH 1000
#define FADJ_TEXT_DEFAULT_WIDTH 80

/* Append to OUT the document TEX (LEN bytes), as written by
   fadj_latex_write with FADJ_LATEX_FRAGMENT and without the diagram or
   beamer, in format FMT (MARKDOWN or TEXT).  Text is laid out for lines
   of WIDTH columns (code points): no line is longer, except one that
   holds a single token longer than WIDTH; Markdown ignores WIDTH.  */
fadj_status fadj_format_convert (fadj_buf *out, const char *tex, size_t len,
                                 fadj_format fmt, size_t width) FADJ_WUR;

const char *fadj_version (void);

#ifdef __cplusplus
}
#endif

#endif /* FADJ_H */
