/* graph.c -- the expression engine: a computation graph of scalar nodes in
   one number domain, evaluated as it is built (forward), differentiated by
   generic reverse mode.

   Representation: nodes live in one growing array in creation order, and
   an operand is always an earlier node, so creation order is a topological
   order: the forward pass is the construction itself and the reverse pass
   is one sweep from the output down to node 0.  Node 0 is the constant 0;
   builders on a failed graph return it, so callers may build on without
   checking every call and test fadj_graph_status once.  */

#include "fadj-impl.h"

#include <assert.h>
#include <stdlib.h>
#include <stdint.h>

typedef enum
{
  OP_CONST, OP_LEAF, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_NEG, OP_EXP, OP_LOG,
  OP_LEAKY, OP_DOT, OP_SUM, OP_ERF, OP_SQRT, OP_WHERE
} graph_op;

typedef struct
{
  unsigned char op;
  unsigned char borrowed;  /* OP_LEAF: its value is the caller's
                              (fadj_graph_leaf_ref), not cleared here */
  fadj_node a, b;        /* operands of unary and binary nodes */
  fadj_node c;           /* OP_WHERE: the condition (a if c > 0, else b) */
  size_t n;              /* OP_DOT: n pairs; OP_SUM: n terms */
  fadj_node *args;       /* OP_DOT: a[0..n) then b[0..n); OP_SUM: terms */
  mpq_t *slope;          /* OP_LEAKY: the slope for x <= 0 (owned) */
} graph_node;

struct fadj_graph
{
  fadj_ctx ctx;
  fadj_status status;     /* sticky: first failure */
  size_t size, alloc;
  graph_node *nodes;
  fadj_num_struct *val;   /* val[k]: value of node k */
  fadj_num_struct *adj;   /* adj[k]: d out / d node k, after reverse;
                             in ARENA in an interval graph */
  size_t adj_size;        /* how many adj[] entries are initialised */
  fadj_num_struct *tan;   /* tan[k]: tangent of node k (forward mode) */
  size_t tan_size;        /* how many tan[] entries are initialised */
  /* Enclosures of exact values, made once for the interval products of
     dot nodes (graph_interval): enc[k] is set when enc_made[k], in
     ARENA (ENC_ARENA) or on its own (ENC_OWN).  */
  fadj_num_struct *enc;
  unsigned char *enc_made;
  size_t enc_alloc;
  size_t failed_at;       /* the nodes built before the first failure */
  /* The numbers made one per node, in bulk: an interval graph's
     adjoints and enclosures (a weight has one of each; two allocations
     and two frees apiece were most of the scalar graph's own cost).  */
  fadj_num_arena arena;
};

enum { ENC_NONE, ENC_ARENA, ENC_OWN };

fadj_graph *
fadj_graph_new (const fadj_ctx *ctx)
{
  fadj_graph *g = calloc (1, sizeof *g);
  mpq_t zero;

  if (g == NULL)
    return NULL;
  g->ctx = *ctx;
  fadj_num_arena_init (&g->arena);
  mpq_init (zero);
  fadj_graph_const (g, zero);   /* node 0 */
  mpq_clear (zero);
  if (g->status != FADJ_OK)
    {
      fadj_graph_free (g);
      return NULL;
    }
  return g;
}

/* The _free convention, shaped like fadj_net_free and trace.c's
   nodes_free: a no-op on NULL, then every value and array G owns.  */
void
fadj_graph_free (fadj_graph *g)
{
  size_t k;

  if (g == NULL)
    return;
  for (k = 0; k < g->size; k++)
    {
      free (g->nodes[k].args);
      if (g->nodes[k].slope != NULL)
        {
          mpq_clear (*g->nodes[k].slope);
          free (g->nodes[k].slope);
        }
      if (!g->nodes[k].borrowed)
        fadj_num_clear (g->val + k);
    }
  for (k = 0; k < g->adj_size; k++)
    if (g->ctx.domain != FADJ_INTERVAL)
      fadj_num_clear (g->adj + k);
    else                        /* the arena's: still its intervals */
      assert (!FADJ_NUM_EXACT_P (g->adj + k));
  for (k = 0; k < g->tan_size; k++)
    fadj_num_clear (g->tan + k);
  for (k = 0; k < g->enc_alloc; k++)
    if (g->enc_made[k] == ENC_OWN)
      fadj_num_clear (g->enc + k);
  fadj_num_arena_clear (&g->arena);
  free (g->enc);
  free (g->enc_made);
  free (g->nodes);
  free (g->val);
  free (g->adj);
  free (g->tan);
  free (g);
}

fadj_node
fadj_graph_fail (fadj_graph *g, fadj_status st)
{
  if (g->status == FADJ_OK)
    {
      g->status = st;
      g->failed_at = g->size;
    }
  return 0;
}

/* The growth guard of exact arithmetic: a value whose numerator or
   denominator exceeds FADJ_MAX_EXACT_BITS fails the graph with
   FADJ_ERR_LIMIT, before the next operations make it larger still (deep
   rational networks grow by about the weights' size at every layer, and
   the squared loss doubles it).  Intervals have a fixed size.  */
static int
graph_too_big (fadj_num_srcptr x)
{
  return FADJ_NUM_EXACT_P (x)
    && (mpz_sizeinbase (mpq_numref (FADJ_NUM_Q (x)), 2) > FADJ_MAX_EXACT_BITS
        || mpz_sizeinbase (mpq_denref (FADJ_NUM_Q (x)), 2)
           > FADJ_MAX_EXACT_BITS);
}

/* Each builder returns through here: node K's value is complete.  An
   exact value of an interval graph that grows too big is enclosed
   instead: exactness is a gift there, not a promise.  */
static fadj_node
graph_done (fadj_graph *g, fadj_node k)
{
  if (g->status == FADJ_OK && graph_too_big (g->val + k))
    {
      fadj_num_t e;

      if (g->ctx.domain == FADJ_EXACT)
        return fadj_graph_fail (g, FADJ_ERR_LIMIT);
      fadj_num_init (e, &g->ctx);
      fadj_num_convert (e, g->val + k);
      fadj_num_set (g->val + k, e);
      fadj_num_clear (e);
    }
  return k;
}

fadj_status
fadj_graph_status (const fadj_graph *g)
{
  return g->status;
}

size_t
fadj_graph_failed_at (const fadj_graph *g)
{
  return g->failed_at;
}

size_t
fadj_graph_size (const fadj_graph *g)
{
  return g->size;
}

fadj_num_srcptr
fadj_graph_value (const fadj_graph *g, fadj_node x)
{
  assert (x < g->size);
  return g->val + x;
}

fadj_num_srcptr
fadj_graph_adjoint (const fadj_graph *g, fadj_node x)
{
  assert (x < g->adj_size);
  return g->adj + x;
}

/* Append a node with operation OP; its value is initialised to 0 in
   VCTX (the graph's context, or an exact one for a value known to be
   exact: no interval to make and drop at once; NULL: not initialised,
   the caller's alias, fadj_graph_leaf_ref) and left for the caller
   to compute.  Returns its index, or 0 after a failure (node 0 always
   exists once the graph is made).  */
static fadj_node
graph_push_in (fadj_graph *g, graph_op op, fadj_node a, fadj_node b,
               const fadj_ctx *vctx)
{
  graph_node *nd;

  if (g->status != FADJ_OK)
    return 0;
  if (g->size == g->alloc)
    {
      size_t na = g->alloc ? 2 * g->alloc : 64;
      graph_node *nn;
      fadj_num_struct *nv;

      if (na > SIZE_MAX / sizeof (graph_node)
          || na > SIZE_MAX / sizeof (fadj_num_struct))
        return fadj_graph_fail (g, FADJ_ERR_NOMEM);
      nn = realloc (g->nodes, na * sizeof *nn);
      if (nn == NULL)
        return fadj_graph_fail (g, FADJ_ERR_NOMEM);
      g->nodes = nn;
      /* Values are moved bytewise by realloc: GMP and MPFR numbers hold
         only pointers to their limbs, never into themselves, so this is
         safe (GMP documents mpz_t as relocatable by memcpy).  */
      nv = realloc (g->val, na * sizeof *nv);
      if (nv == NULL)
        return fadj_graph_fail (g, FADJ_ERR_NOMEM);
      g->val = nv;
      g->alloc = na;
    }
  assert (a < g->size || g->size == 0);
  assert (b < g->size || g->size == 0);
  nd = g->nodes + g->size;
  nd->op = op;
  nd->borrowed = 0;
  nd->a = a;
  nd->b = b;
  nd->c = 0;
  nd->n = 0;
  nd->args = NULL;
  nd->slope = NULL;
  if (vctx != NULL)
    fadj_num_init (g->val + g->size, vctx);
  return g->size++;
}

static fadj_node
graph_push (fadj_graph *g, graph_op op, fadj_node a, fadj_node b)
{
  return graph_push_in (g, op, a, b, &g->ctx);
}

/* The context of an exact value in G: what fadj_num_set_exact makes of
   a number of G's context (the precision kept for mixed operations).  */
static fadj_ctx
graph_exact_ctx (const fadj_graph *g)
{
  fadj_ctx c = g->ctx;

  c.domain = FADJ_EXACT;
  return c;
}

#define V(k) (g->val + (k))

/* Every builder pushes a node, sets its value (unless the graph has
   failed already) and finishes it.  The operations whose value cannot
   fail do it here, with the number core's operation F; a rational
   constant or leaf in graph_rational.  fadj_graph_const_si and
   fadj_graph_leaf_num have the same three lines for a value of another
   kind (a long, a number; the leaf taken as given, without
   graph_done's size guard), and the operations that can fail (div, log,
   sqrt) check F's status in between.  */
typedef void num_fn1 (fadj_num_ptr r, fadj_num_srcptr a);
typedef void num_fn2 (fadj_num_ptr r, fadj_num_srcptr a, fadj_num_srcptr b);

static fadj_node
graph_unary (fadj_graph *g, graph_op op, num_fn1 *f, fadj_node a)
{
  fadj_node k = graph_push (g, op, a, 0);
  if (g->status == FADJ_OK)
    f (V (k), V (a));
  return graph_done (g, k);
}

static fadj_node
graph_binary (fadj_graph *g, graph_op op, num_fn2 *f, fadj_node a,
              fadj_node b)
{
  fadj_node k = graph_push (g, op, a, b);
  if (g->status == FADJ_OK)
    f (V (k), V (a), V (b));
  return graph_done (g, k);
}

/* A constant or a leaf (OP) of rational VALUE: exact in either
   domain, so that what is built on exact values alone stays exact in an
   interval graph too (num.c's mixed domains): Y^1 = W^1 X^0 of a file's
   data is its exact value, and a relu at an input that is exactly 0
   takes its branch at once.  */
static fadj_node
graph_rational (fadj_graph *g, graph_op op, const mpq_t value)
{
  fadj_ctx exact = graph_exact_ctx (g);
  fadj_node k = graph_push_in (g, op, 0, 0, &exact);
  if (g->status == FADJ_OK)
    fadj_num_set_exact (V (k), value);
  return graph_done (g, k);
}

fadj_node
fadj_graph_const (fadj_graph *g, const mpq_t value)
{
  return graph_rational (g, OP_CONST, value);
}

fadj_node
fadj_graph_const_si (fadj_graph *g, long value)
{
  fadj_ctx exact = graph_exact_ctx (g);     /* as graph_rational's */
  fadj_node k = graph_push_in (g, OP_CONST, 0, 0, &exact);
  if (g->status == FADJ_OK)
    fadj_num_set_exact_si (V (k), value);
  return graph_done (g, k);
}

fadj_node
fadj_graph_leaf (fadj_graph *g, const mpq_t value)
{
  return graph_rational (g, OP_LEAF, value);
}

fadj_node
fadj_graph_leaf_num (fadj_graph *g, fadj_num_srcptr value)
{
  fadj_ctx exact = graph_exact_ctx (g);
  fadj_node k = graph_push_in (g, OP_LEAF, 0, 0, FADJ_NUM_EXACT_P (value)
                               ? &exact : &g->ctx);
  if (g->status == FADJ_OK)
    fadj_num_set (V (k), value);         /* an exact VALUE stays exact */
  return graph_done (g, k);
}

fadj_node
fadj_graph_leaf_ref (fadj_graph *g, fadj_num_srcptr value)
{
  fadj_node k;

  if (!FADJ_NUM_EXACT_P (value) || graph_too_big (value))
    return fadj_graph_leaf_num (g, value);
  k = graph_push_in (g, OP_LEAF, 0, 0, NULL);
  if (g->status == FADJ_OK)
    {
      fadj_num_alias_exact (V (k), value, g->ctx.prec);
      g->nodes[k].borrowed = 1;
    }
  return k;
}

fadj_node
fadj_graph_leaf_ratio (fadj_graph *g, int64_t k, uint64_t den)
{
  uint64_t a = k < 0 ? -(uint64_t) k : (uint64_t) k;
  uint64_t d = fadj_gcd_u64 (a, den);
  int64_t num = (int64_t) (a / d);
  mp_limb_t *limbs;
  fadj_node n;

  assert (den > 0);
  den /= d;
  if (k < 0)
    num = -num;
  limbs = fadj_num_arena_take (&g->arena, 2 * sizeof *limbs);
  if (limbs == NULL)
    return fadj_graph_fail (g, FADJ_ERR_NOMEM);
  n = graph_push_in (g, OP_LEAF, 0, 0, NULL);
  if (g->status != FADJ_OK)
    return n;
  if (fadj_num_init_ratio_at (V (n), g->ctx.prec, limbs, num, den))
    g->nodes[n].borrowed = 1;
  else
    {
      /* No words for limbs here: a rational of the node's own.  */
      fadj_ctx exact = graph_exact_ctx (g);
      fadj_num_init (V (n), &exact);
      mpq_set_si (FADJ_NUM_Q (V (n)), (long) num, (unsigned long) den);
    }
  return n;
}

fadj_node
fadj_graph_add (fadj_graph *g, fadj_node a, fadj_node b)
{
  return graph_binary (g, OP_ADD, fadj_num_add, a, b);
}

fadj_node
fadj_graph_sub (fadj_graph *g, fadj_node a, fadj_node b)
{
  return graph_binary (g, OP_SUB, fadj_num_sub, a, b);
}

fadj_node
fadj_graph_mul (fadj_graph *g, fadj_node a, fadj_node b)
{
  return graph_binary (g, OP_MUL, fadj_num_mul, a, b);
}

fadj_node
fadj_graph_div (fadj_graph *g, fadj_node a, fadj_node b)
{
  fadj_node k = graph_push (g, OP_DIV, a, b);
  if (g->status == FADJ_OK)
    {
      fadj_status st = fadj_num_div (V (k), V (a), V (b));
      if (st != FADJ_OK)
        return fadj_graph_fail (g, st);
    }
  return graph_done (g, k);
}

fadj_node
fadj_graph_neg (fadj_graph *g, fadj_node a)
{
  return graph_unary (g, OP_NEG, fadj_num_neg, a);
}

fadj_node
fadj_graph_exp (fadj_graph *g, fadj_node a)
{
  return graph_unary (g, OP_EXP, fadj_num_exp, a);
}

fadj_node
fadj_graph_log (fadj_graph *g, fadj_node a)
{
  fadj_node k = graph_push (g, OP_LOG, a, 0);
  if (g->status == FADJ_OK)
    {
      fadj_status st = fadj_num_log (V (k), V (a));
      if (st != FADJ_OK)
        return fadj_graph_fail (g, st);
    }
  return graph_done (g, k);
}

fadj_node
fadj_graph_log_complement (fadj_graph *g, fadj_node a, fadj_num_srcptr rest)
{
  fadj_ctx ctx = fadj_num_get_ctx (rest);
  fadj_num_t r;
  fadj_node k;

  /* REST may be the value of a node of G (log_complement_output passes
     one), which pushing K may move: copied first.  */
  fadj_num_init (r, &ctx);
  fadj_num_set (r, rest);
  k = fadj_graph_log (g, a);
  /* K is new: no node has read its value yet.  */
  if (g->status == FADJ_OK)
    fadj_num_tighten_log_complement (V (k), r);
  fadj_num_clear (r);
  return k;
}

void
fadj_graph_tighten (fadj_graph *g, fadj_node k, fadj_num_srcptr r)
{
  if (g->status == FADJ_OK)
    fadj_num_tighten (V (k), r);
}

fadj_node
fadj_graph_erf (fadj_graph *g, fadj_node a)
{
  fadj_node k = graph_push (g, OP_ERF, a, 0);
  if (g->status == FADJ_OK)
    fadj_num_erf (V (k), V (a));
  return k;
}

fadj_node
fadj_graph_sqrt (fadj_graph *g, fadj_node a)
{
  fadj_node k = graph_push (g, OP_SQRT, a, 0);
  if (g->status == FADJ_OK)
    {
      fadj_status st = fadj_num_sqrt (V (k), V (a));
      if (st == FADJ_OK && fadj_num_zero_p (V (k)))
        st = FADJ_ERR_DOMAIN;   /* the derivative would divide by 0 */
      if (st != FADJ_OK)
        return fadj_graph_fail (g, st);
    }
  return k;
}

fadj_node
fadj_graph_where (fadj_graph *g, fadj_node cond, fadj_node a, fadj_node b)
{
  fadj_node k = graph_push (g, OP_WHERE, a, b);
  fadj_status st;
  int sign;

  if (g->status != FADJ_OK)
    return k;
  assert (cond < k);
  g->nodes[k].c = cond;
  st = fadj_num_sgn (&sign, V (cond));
  if (st != FADJ_OK)
    return fadj_graph_fail (g, st);
  fadj_num_set (V (k), V (sign > 0 ? a : b));
  return k;
}

fadj_node
fadj_graph_leaky (fadj_graph *g, fadj_node a, const mpq_t slope)
{
  fadj_node k = graph_push (g, OP_LEAKY, a, 0);
  fadj_status st;
  int sign;

  if (g->status != FADJ_OK)
    return k;
  g->nodes[k].slope = malloc (sizeof (mpq_t));
  if (g->nodes[k].slope == NULL)
    return fadj_graph_fail (g, FADJ_ERR_NOMEM);
  mpq_init (*g->nodes[k].slope);
  mpq_set (*g->nodes[k].slope, slope);
  st = fadj_num_sgn (&sign, V (a));
  if (st != FADJ_OK)
    return fadj_graph_fail (g, st);
  if (sign > 0)
    fadj_num_set (V (k), V (a));
  else
    {
      if (FADJ_NUM_EXACT_P (V (a)))
        fadj_num_set_exact (V (k), slope);
      else
        fadj_num_set_q (V (k), slope);
      fadj_num_mul (V (k), V (k), V (a));
    }
  return graph_done (g, k);
}

/* Copy N node ids (two arrays for a dot product) into a new args array.  */
static int
graph_set_args (fadj_graph *g, fadj_node k, size_t n, const fadj_node *a,
                const fadj_node *b)
{
  size_t cnt = b != NULL ? 2 * n : n, i;
  fadj_node *args;

  if (n == 0 || n > SIZE_MAX / 2 / sizeof *args)
    {
      fadj_graph_fail (g, FADJ_ERR_NOMEM);
      return 0;
    }
  args = malloc (cnt * sizeof *args);
  if (args == NULL)
    {
      fadj_graph_fail (g, FADJ_ERR_NOMEM);
      return 0;
    }
  for (i = 0; i < n; i++)
    {
      assert (a[i] < k);
      args[i] = a[i];
      if (b != NULL)
        {
          assert (b[i] < k);
          args[n + i] = b[i];
        }
    }
  g->nodes[k].args = args;
  g->nodes[k].n = n;
  return 1;
}

/* Room in G's enclosures (graph_interval) for every node G has room
   for; 0 when out of memory.  Made before a loop of graph_interval, so
   that the pointers it returns stay valid.  */
static int
graph_enc_reserve (fadj_graph *g)
{
  size_t na = g->alloc, i;
  fadj_num_struct *ne;
  unsigned char *nm;

  if (g->enc_alloc >= na)
    return 1;
  ne = realloc (g->enc, na * sizeof *ne);
  if (ne == NULL)
    return 0;
  g->enc = ne;
  nm = realloc (g->enc_made, na);
  if (nm == NULL)
    return 0;
  g->enc_made = nm;
  for (i = g->enc_alloc; i < na; i++)
    nm[i] = 0;
  g->enc_alloc = na;
  return 1;
}

/* Node K's value as an interval, or NULL when it is an exact 0 (whose
   product is an exact 0, as num.c's mixed domains have it: nothing to
   add).  An exact value is enclosed once, at G's precision, and kept:
   a weight is read by its dot node's forward product and again by the
   reverse sweep, and the enclosure costs more than the product.  It is
   the one num.c's mixed operations would make for each product
   (fadj_num_convert), so the sums are the same.  G is an interval graph
   with room for K's enclosure (graph_enc_reserve).  */
static mpfi_srcptr
graph_interval (fadj_graph *g, fadj_node k)
{
  fadj_num_srcptr v = V (k);

  if (!FADJ_NUM_EXACT_P (v))
    return FADJ_NUM_I (v);
  if (mpq_sgn (FADJ_NUM_Q (v)) == 0)
    return NULL;
  assert (k < g->enc_alloc);
  if (g->enc_made[k] == ENC_NONE)
    {
      if (fadj_num_arena_interval (&g->arena, g->enc + k, g->ctx.prec))
        g->enc_made[k] = ENC_ARENA;
      else
        {
          fadj_num_init (g->enc + k, &g->ctx);
          g->enc_made[k] = ENC_OWN;
        }
      fadj_num_convert (g->enc + k, v);
    }
  return FADJ_NUM_I (g->enc + k);
}

/* R += X * Y, X and Y intervals (Y NULL: an exact 0, nothing added), R
   an interval, T scratch of R's precision: the product of a dot node's
   sweeps without the temporaries of fadj_num_addmul.  */
static void
interval_addmul (fadj_num_ptr r, mpfi_srcptr x, mpfi_srcptr y, mpfi_ptr t)
{
  assert (!FADJ_NUM_EXACT_P (r));
  if (x == NULL || y == NULL)
    return;
  fadj_interval_mul (t, x, y);
  mpfi_add (FADJ_NUM_I (r), FADJ_NUM_I (r), t);
}

/* R += X * Y in a reverse sweep: R an adjoint (an interval of G's
   precision), X and Y intervals (Y NULL: an exact 0, nothing added), T
   scratch of R's precision.  An adjoint still 0 (a weight's, which its
   one product reaches) takes the product itself, as mpfi_add would
   copy it; else each endpoint adds the product's, rounded outwards:
   mpfi_add's enclosure without its checks, but for the sign of a zero
   endpoint, which nothing sees (adjoints are compared, never printed,
   and a comparison does not tell -0 from +0).  */
static void
adjoint_addmul (fadj_num_ptr r, mpfi_srcptr x, mpfi_srcptr y, mpfi_ptr t)
{
  assert (!FADJ_NUM_EXACT_P (r));
  if (x == NULL || y == NULL)
    return;
  if (mpfr_zero_p (FADJ_NUM_LEFT (r)) && mpfr_zero_p (FADJ_NUM_RIGHT (r)))
    {
      fadj_interval_mul (FADJ_NUM_I (r), x, y);
      return;
    }
  fadj_interval_mul (t, x, y);
  mpfr_add (FADJ_NUM_LEFT (r), FADJ_NUM_LEFT (r), &t->left, MPFR_RNDD);
  mpfr_add (FADJ_NUM_RIGHT (r), FADJ_NUM_RIGHT (r), &t->right, MPFR_RNDU);
}

/* R += X * Y, S scratch: on rationals into S rather than into a
   temporary fadj_num_addmul would make and free for each term of a dot
   node; other domains by fadj_num_addmul.  */
static void
exact_addmul (fadj_num_ptr r, fadj_num_srcptr x, fadj_num_srcptr y,
              mpq_ptr s)
{
  if (FADJ_NUM_EXACT_P (r) && FADJ_NUM_EXACT_P (x) && FADJ_NUM_EXACT_P (y))
    {
      mpq_mul (s, FADJ_NUM_Q (x), FADJ_NUM_Q (y));
      mpq_add (FADJ_NUM_Q (r), FADJ_NUM_Q (r), s);
    }
  else
    fadj_num_addmul (r, x, y);
}

/* R = the exact sum of the products X[i] Y[i] of G's nodes for i < *N,
   stopping (and setting *N) at the first product that is not exact: a
   dot node's terms while they are rationals (a first layer's W X of
   exact data), as exact_addmul would add them one by one, for a
   fraction of the cost: the products go over a common denominator, the
   sum made canonical once at the end, not by a gcd at every step (the
   rational is the same).  An exact 0 factor makes an exact 0 product,
   whatever the other.  */
static void
exact_dot (fadj_graph *g, fadj_num_ptr r, size_t *n, const fadj_node *x,
           const fadj_node *y)
{
  mpz_t num, den, p, q, t;
  size_t i;

  mpz_inits (num, den, p, q, t, (mpz_ptr) 0);
  mpz_set_ui (den, 1);
  for (i = 0; i < *n; i++)
    {
      fadj_num_srcptr u = V (x[i]), v = V (y[i]);
      int eu = FADJ_NUM_EXACT_P (u), ev = FADJ_NUM_EXACT_P (v);

      if ((eu && mpq_sgn (FADJ_NUM_Q (u)) == 0)
          || (ev && mpq_sgn (FADJ_NUM_Q (v)) == 0))
        continue;
      if (!eu || !ev)
        break;
      mpz_mul (p, mpq_numref (FADJ_NUM_Q (u)), mpq_numref (FADJ_NUM_Q (v)));
      mpz_mul (q, mpq_denref (FADJ_NUM_Q (u)), mpq_denref (FADJ_NUM_Q (v)));
      if (mpz_divisible_p (den, q))
        {
          /* num/den + p/q = (num + p (den/q)) / den */
          mpz_divexact (t, den, q);
          mpz_addmul (num, p, t);
        }
      else
        {
          /* over L = lcm (den, q): num (L/den) + p (L/q) */
          mpz_lcm (t, den, q);
          mpz_divexact (den, t, den);
          mpz_mul (num, num, den);
          mpz_divexact (q, t, q);
          mpz_addmul (num, p, q);
          mpz_swap (den, t);
        }
    }
  *n = i;
  mpz_swap (num, mpq_numref (FADJ_NUM_Q (r)));
  mpz_swap (den, mpq_denref (FADJ_NUM_Q (r)));
  mpq_canonicalize (FADJ_NUM_Q (r));
  mpz_clears (num, den, p, q, t, (mpz_ptr) 0);
}

fadj_node
fadj_graph_dot (fadj_graph *g, size_t n, const fadj_node *a,
                const fadj_node *b)
{
  fadj_node k = graph_push (g, OP_DOT, 0, 0);
  fadj_num_ptr r;
  mpfi_t t;
  mpq_t s;
  size_t i;

  if (g->status != FADJ_OK || !graph_set_args (g, k, n, a, b))
    return 0;
  r = V (k);
  fadj_num_set_exact_si (r, 0);
  /* Exact while the terms are (a rational network's sum, a first
     layer's W^1 X^0 of exact data), then an enclosure.  */
  i = n;
  exact_dot (g, r, &i, a, b);
  mpq_init (s);
  for (; i < n && FADJ_NUM_EXACT_P (r); i++)
    exact_addmul (r, V (a[i]), V (b[i]), s);
  mpq_clear (s);
  if (i == n)
    return graph_done (g, k);
  if (!graph_enc_reserve (g))
    return fadj_graph_fail (g, FADJ_ERR_NOMEM);
  mpfi_init2 (t, g->ctx.prec);
  for (; i < n; i++)
    interval_addmul (r, graph_interval (g, a[i]), graph_interval (g, b[i]),
                     t);
  mpfi_clear (t);
  return graph_done (g, k);
}

fadj_node
fadj_graph_sum (fadj_graph *g, size_t n, const fadj_node *a)
{
  fadj_node k = graph_push (g, OP_SUM, 0, 0);
  size_t i;

  if (g->status != FADJ_OK || !graph_set_args (g, k, n, a, NULL))
    return 0;
  fadj_num_set_exact_si (V (k), 0);
  for (i = 0; i < n; i++)
    fadj_num_add (V (k), V (k), V (a[i]));
  return graph_done (g, k);
}

/* The logistic function 1 / (1 + exp(-a)), shared by sigmoid and silu.  */
static fadj_node
graph_logistic (fadj_graph *g, fadj_node a)
{
  fadj_node one = fadj_graph_const_si (g, 1);
  fadj_node e = fadj_graph_exp (g, fadj_graph_neg (g, a));
  return fadj_graph_div (g, one, fadj_graph_add (g, one, e));
}

/* Activations from primitives only: the reverse sweep then derives sigma'
   by the generic rules for exp, log, erf, sqrt, div and the piecewise
   nodes, independently of the closed forms the two-step rule uses
   (act.c).  */
fadj_node
fadj_graph_activation (fadj_graph *g, fadj_act_kind k, const mpq_t param,
                       fadj_node a)
{
  fadj_node one, e, t;
  mpq_t zero;

  switch (k)
    {
    case FADJ_ACT_IDENTITY:
      return a;
    case FADJ_ACT_SIGMOID:      /* 1 / (1 + exp(-a)) */
      return graph_logistic (g, a);
    case FADJ_ACT_TANH:         /* 2 / (1 + exp(-2a)) - 1 */
      one = fadj_graph_const_si (g, 1);
      e = fadj_graph_exp (g, fadj_graph_mul (g, fadj_graph_const_si (g, -2),
                                             a));
      return fadj_graph_sub (g,
                             fadj_graph_div (g, fadj_graph_const_si (g, 2),
                                             fadj_graph_add (g, one, e)),
                             one);
    case FADJ_ACT_RELU:
      mpq_init (zero);
      e = fadj_graph_leaky (g, a, zero);
      mpq_clear (zero);
      return e;
    case FADJ_ACT_LEAKY_RELU:
      return fadj_graph_leaky (g, a, param);
    case FADJ_ACT_SOFTPLUS:     /* ln (1 + exp(a)) */
      one = fadj_graph_const_si (g, 1);
      return fadj_graph_log (g, fadj_graph_add (g, one,
                                                fadj_graph_exp (g, a)));
    case FADJ_ACT_ELU:          /* a > 0 ? a : param (exp(a) - 1) */
      one = fadj_graph_const_si (g, 1);
      t = fadj_graph_mul (g, fadj_graph_const (g, param),
                          fadj_graph_sub (g, fadj_graph_exp (g, a), one));
      return fadj_graph_where (g, a, a, t);
    case FADJ_ACT_GELU:         /* a (1/2) (1 + erf(a / sqrt 2)) */
      one = fadj_graph_const_si (g, 1);
      t = fadj_graph_div (g, a, fadj_graph_sqrt (g,
                                                 fadj_graph_const_si (g, 2)));
      t = fadj_graph_add (g, one, fadj_graph_erf (g, t));
      t = fadj_graph_div (g, t, fadj_graph_const_si (g, 2));
      return fadj_graph_mul (g, a, t);
    case FADJ_ACT_SILU:         /* a / (1 + exp(-a)) */
      return fadj_graph_mul (g, a, graph_logistic (g, a));
    case FADJ_ACT_SOFTSIGN:     /* a / (1 + |a|), |a| = a > 0 ? a : -a */
      one = fadj_graph_const_si (g, 1);
      t = fadj_graph_where (g, a, a, fadj_graph_neg (g, a));
      return fadj_graph_div (g, a, fadj_graph_add (g, one, t));
    case FADJ_ACT_HARDTANH:
      /* a + 1 > 0 ? (1 - a > 0 ? a : 1) : -1: at a = 1 and a = -1 the
         constant branch is taken, so the derivative there is 0.  */
      one = fadj_graph_const_si (g, 1);
      t = fadj_graph_where (g, fadj_graph_sub (g, one, a), a, one);
      return fadj_graph_where (g, fadj_graph_add (g, a, one), t,
                               fadj_graph_const_si (g, -1));
    case FADJ_ACT_SOFTMAX:      /* one coordinate: exp(a) / exp(a) */
      fadj_graph_activation_vec (g, &t, k, param, 1, &a);
      return t;
    default:
      assert (0 && "unknown activation");
      return fadj_graph_fail (g, FADJ_ERR_INPUT);
    }
}

/* softmax(a)_i = exp(a_i) / sum_k exp(a_k).  Nothing is subtracted from
   the exponents (the usual max trick): MPFI's exponent range makes
   overflow a non-issue at the sizes of a derivation, and the plain
   formula keeps the derivative's derivation plain.  */
void
fadj_graph_activation_vec (fadj_graph *g, fadj_node *out, fadj_act_kind k,
                           const mpq_t param, size_t n, const fadj_node *a)
{
  size_t i;

  if (k != FADJ_ACT_SOFTMAX)
    {
      for (i = 0; i < n; i++)
        out[i] = fadj_graph_activation (g, k, param, a[i]);
      return;
    }
  for (i = 0; i < n; i++)
    out[i] = fadj_graph_exp (g, a[i]);
  {
    /* OUT holds the exponentials, then the quotients: each quotient
       only needs its own exponential and the sum.  */
    fadj_node sum = fadj_graph_sum (g, n, out);
    for (i = 0; i < n; i++)
      out[i] = fadj_graph_div (g, out[i], sum);
  }
}

/* T = erf'(A) = (2 / sqrt pi) e^{-A^2}, with U as scratch: the local
   derivative of an erf node, shared by the reverse and forward sweeps.  */
static fadj_status
erf_deriv (fadj_num_ptr t, fadj_num_ptr u, fadj_num_srcptr a)
{
  fadj_status st;

  fadj_num_mul (t, a, a);
  fadj_num_neg (t, t);
  fadj_num_exp (t, t);
  fadj_num_const_pi (u);
  st = fadj_num_sqrt (u, u);
  if (st == FADJ_OK)
    st = fadj_num_div (t, t, u);
  if (st == FADJ_OK)
    fadj_num_add (t, t, t);
  return st;
}

/* Make room in *ARR, of *N initialised numbers, for one per node of G,
   the new ones 0: the adjoints (reverse mode) and the tangents (forward
   mode), which keep their numbers from one sweep to the next.  In
   G's arena when IN_ARENA (the adjoints of an interval graph: they
   stay intervals of G's precision, written in place).  */
static fadj_status
graph_nums_reserve (fadj_graph *g, fadj_num_struct **arr, size_t *n,
                    int in_arena)
{
  size_t k;

  if (*n < g->size)
    {
      fadj_num_struct *na = realloc (*arr, g->size * sizeof *na);
      if (na == NULL)
        return FADJ_ERR_NOMEM;
      *arr = na;
      for (k = *n; k < g->size; k++, (*n)++)
        if (!in_arena)
          fadj_num_init (na + k, &g->ctx);
        else if (!fadj_num_arena_interval (&g->arena, na + k, g->ctx.prec))
          return FADJ_ERR_NOMEM;
    }
  return FADJ_OK;
}

/* ------------------------------------------------------------------ */
/* Reverse mode.  adj[k] = d out / d node k, accumulated from the output
   down: each node passes its adjoint times its local partial derivatives
   to its operands.  */

fadj_status
fadj_graph_reverse (fadj_graph *g, fadj_node out)
{
  fadj_num_t t, u;
  mpfi_t it;                    /* the dot nodes' scratch, when needed */
  int interval_init = 0;
  mpq_t q;                      /* their scratch on rationals */
  size_t k, i;
  fadj_status st = FADJ_OK;

  if (g->status != FADJ_OK)
    return g->status;
  assert (out < g->size);
  /* The adjoints a previous sweep left are reset; new ones are 0.  */
  for (k = 0; k < g->adj_size; k++)
    fadj_num_set_si (g->adj + k, 0);
  if ((st = graph_nums_reserve (g, &g->adj, &g->adj_size,
                                g->ctx.domain == FADJ_INTERVAL)) != FADJ_OK)
    return st;
  fadj_num_set_si (g->adj + out, 1);

  fadj_num_init (t, &g->ctx);
  fadj_num_init (u, &g->ctx);
  mpq_init (q);
#define A(k) (g->adj + (k))
  for (k = out + 1; k-- > 0 && st == FADJ_OK; )
    {
      const graph_node *nd = g->nodes + k;
      fadj_num_srcptr w = A (k);

      if (fadj_num_zero_p (w))
        continue;               /* nothing to pass down */
      if (g->ctx.domain == FADJ_EXACT && graph_too_big (w))
        {
          st = FADJ_ERR_LIMIT;  /* complete now: check before passing */
          break;
        }
      switch (nd->op)
        {
        case OP_CONST:
        case OP_LEAF:
          break;
        case OP_ADD:
          fadj_num_add (A (nd->a), A (nd->a), w);
          fadj_num_add (A (nd->b), A (nd->b), w);
          break;
        case OP_SUB:
          fadj_num_add (A (nd->a), A (nd->a), w);
          fadj_num_sub (A (nd->b), A (nd->b), w);
          break;
        case OP_MUL:            /* d(ab) = b da + a db */
          fadj_num_addmul (A (nd->a), w, V (nd->b));
          fadj_num_addmul (A (nd->b), w, V (nd->a));
          break;
        case OP_DIV:            /* r = a/b: dr = da/b - r db/b */
          st = fadj_num_div (t, w, V (nd->b));
          if (st != FADJ_OK)
            break;
          fadj_num_add (A (nd->a), A (nd->a), t);
          fadj_num_mul (t, t, V (k));
          fadj_num_sub (A (nd->b), A (nd->b), t);
          break;
        case OP_NEG:
          fadj_num_sub (A (nd->a), A (nd->a), w);
          break;
        case OP_EXP:            /* d e^a = e^a da */
          fadj_num_addmul (A (nd->a), w, V (k));
          break;
        case OP_LOG:            /* d ln a = da / a */
          st = fadj_num_div (t, w, V (nd->a));
          if (st == FADJ_OK)
            fadj_num_add (A (nd->a), A (nd->a), t);
          break;
        case OP_LEAKY:          /* 1 for a > 0, slope otherwise */
          {
            int sign;
            st = fadj_num_sgn (&sign, V (nd->a));
            if (st != FADJ_OK)
              break;
            if (sign > 0)
              fadj_num_add (A (nd->a), A (nd->a), w);
            else
              {
                fadj_num_set_q (u, *nd->slope);
                fadj_num_addmul (A (nd->a), w, u);
              }
            break;
          }
        case OP_DOT:            /* d sum a_i b_i = sum b_i da_i + a_i db_i */
          if (g->ctx.domain == FADJ_INTERVAL && !FADJ_NUM_EXACT_P (w))
            {
              /* The adjoints are intervals of the graph's context, and
                 so is W: products without temporaries (graph_interval),
                 the values of the exact operands enclosed once.  */
              if (!interval_init)
                {
                  if (!graph_enc_reserve (g))
                    {
                      st = FADJ_ERR_NOMEM;
                      break;
                    }
                  mpfi_init2 (it, g->ctx.prec);
                  interval_init = 1;
                }
              for (i = 0; i < nd->n; i++)
                {
                  fadj_node a = nd->args[i], b = nd->args[nd->n + i];
                  adjoint_addmul (A (a), FADJ_NUM_I (w),
                                  graph_interval (g, b), it);
                  adjoint_addmul (A (b), FADJ_NUM_I (w),
                                  graph_interval (g, a), it);
                }
              break;
            }
          for (i = 0; i < nd->n; i++)
            {
              fadj_node a = nd->args[i], b = nd->args[nd->n + i];
              exact_addmul (A (a), w, V (b), q);
              exact_addmul (A (b), w, V (a), q);
            }
          break;
        case OP_SUM:
          for (i = 0; i < nd->n; i++)
            fadj_num_add (A (nd->args[i]), A (nd->args[i]), w);
          break;
        case OP_ERF:            /* d erf a = (2 / sqrt pi) e^{-a^2} da */
          if ((st = erf_deriv (t, u, V (nd->a))) != FADJ_OK)
            break;
          fadj_num_addmul (A (nd->a), w, t);
          break;
        case OP_SQRT:           /* d sqrt a = da / (2 sqrt a) */
          fadj_num_add (u, V (k), V (k));
          st = fadj_num_div (t, w, u);
          if (st == FADJ_OK)
            fadj_num_add (A (nd->a), A (nd->a), t);
          break;
        case OP_WHERE:          /* all to the branch taken */
          {
            int sign;
            st = fadj_num_sgn (&sign, V (nd->c));
            if (st != FADJ_OK)
              break;
            if (sign > 0)
              fadj_num_add (A (nd->a), A (nd->a), w);
            else
              fadj_num_add (A (nd->b), A (nd->b), w);
            break;
          }
        default:
          assert (0 && "unknown node");
        }
    }
#undef A
  fadj_num_clear (t);
  fadj_num_clear (u);
  mpq_clear (q);
  if (interval_init)
    mpfi_clear (it);
  return st;
}

/* ------------------------------------------------------------------ */
/* Forward (tangent) mode.  tan[k] = the derivative of node k along the
   direction given by the tangents of the leaves: one sweep in creation
   order, each node combining its operands' tangents by its local partial
   derivatives (the same rules as reverse mode, applied the other way).
   It gives one directional derivative of every node for the cost of one
   evaluation, which is what a directional check needs.

   Its switch mirrors fadj_graph_reverse's case by case, and is kept
   apart: there each rule adds into the operands' adjoints, here it
   combines the operands' tangents into the node's; the one local
   derivative that takes more than a line, erf's, is erf_deriv.  */

fadj_status
fadj_graph_set_tangent (fadj_graph *g, fadj_node leaf, fadj_num_srcptr dx)
{
  fadj_status st;

  if (g->status != FADJ_OK)
    return g->status;
  assert (leaf < g->size && g->nodes[leaf].op == OP_LEAF);
  if ((st = graph_nums_reserve (g, &g->tan, &g->tan_size, 0)) != FADJ_OK)
    return st;
  fadj_num_convert (g->tan + leaf, dx);
  return FADJ_OK;
}

fadj_status
fadj_graph_forward (fadj_graph *g)
{
  fadj_num_t t, u;
  size_t k, i;
  fadj_status st;

  if (g->status != FADJ_OK)
    return g->status;
  if ((st = graph_nums_reserve (g, &g->tan, &g->tan_size, 0)) != FADJ_OK)
    return st;
  fadj_num_init (t, &g->ctx);
  fadj_num_init (u, &g->ctx);
#define T(k) (g->tan + (k))
  for (k = 0; k < g->size && st == FADJ_OK; k++)
    {
      const graph_node *nd = g->nodes + k;
      fadj_num_ptr r = T (k);

      switch (nd->op)
        {
        case OP_CONST:
          fadj_num_set_si (r, 0);
          break;
        case OP_LEAF:           /* set by fadj_graph_set_tangent */
          break;
        case OP_ADD:
          fadj_num_add (r, T (nd->a), T (nd->b));
          break;
        case OP_SUB:
          fadj_num_sub (r, T (nd->a), T (nd->b));
          break;
        case OP_MUL:            /* d(ab) = b da + a db */
          fadj_num_mul (t, T (nd->a), V (nd->b));
          fadj_num_addmul (t, V (nd->a), T (nd->b));
          fadj_num_set (r, t);
          break;
        case OP_DIV:            /* r = a/b: dr = (da - r db) / b */
          fadj_num_mul (t, V (k), T (nd->b));
          fadj_num_sub (t, T (nd->a), t);
          st = fadj_num_div (r, t, V (nd->b));
          break;
        case OP_NEG:
          fadj_num_neg (r, T (nd->a));
          break;
        case OP_EXP:            /* d e^a = e^a da */
          fadj_num_mul (r, V (k), T (nd->a));
          break;
        case OP_LOG:            /* d ln a = da / a */
          st = fadj_num_div (r, T (nd->a), V (nd->a));
          break;
        case OP_LEAKY:          /* 1 for a > 0, slope otherwise */
          {
            int sign;
            st = fadj_num_sgn (&sign, V (nd->a));
            if (st != FADJ_OK)
              break;
            if (sign > 0)
              fadj_num_set (r, T (nd->a));
            else
              {
                fadj_num_set_q (t, *nd->slope);
                fadj_num_mul (r, t, T (nd->a));
              }
            break;
          }
        case OP_DOT:            /* d sum a_i b_i = sum b_i da_i + a_i db_i */
          fadj_num_set_si (t, 0);
          for (i = 0; i < nd->n; i++)
            {
              fadj_node a = nd->args[i], b = nd->args[nd->n + i];
              fadj_num_addmul (t, T (a), V (b));
              fadj_num_addmul (t, V (a), T (b));
            }
          fadj_num_set (r, t);
          break;
        case OP_SUM:
          fadj_num_set_si (t, 0);
          for (i = 0; i < nd->n; i++)
            fadj_num_add (t, t, T (nd->args[i]));
          fadj_num_set (r, t);
          break;
        case OP_ERF:            /* d erf a = (2 / sqrt pi) e^{-a^2} da */
          if ((st = erf_deriv (t, u, V (nd->a))) != FADJ_OK)
            break;
          fadj_num_mul (r, t, T (nd->a));
          break;
        case OP_SQRT:           /* d sqrt a = da / (2 sqrt a) */
          fadj_num_add (u, V (k), V (k));
          st = fadj_num_div (r, T (nd->a), u);
          break;
        case OP_WHERE:          /* the tangent of the branch taken */
          {
            int sign;
            st = fadj_num_sgn (&sign, V (nd->c));
            if (st == FADJ_OK)
              fadj_num_set (r, T (sign > 0 ? nd->a : nd->b));
            break;
          }
        default:
          assert (0 && "unknown node");
        }
    }
#undef T
  fadj_num_clear (t);
  fadj_num_clear (u);
  return st;
}

fadj_num_srcptr
fadj_graph_tangent (const fadj_graph *g, fadj_node x)
{
  assert (x < g->tan_size);
  return g->tan + x;
}
