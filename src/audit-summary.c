/* audit-summary.c -- fadj-audit's --summary: the distribution of the
   ulp errors of the reference's entries, per layer and overall.

   Every entry keeps its ulp error as printed (6 significant digits,
   correctly rounded from its certified enclosure), whether it is within
   1 ulp (<= 1, decided on the enclosure), its histogram bin (decided on
   the enclosure too) and a 53-bit mantissa and exponent for sorting.
   The quantiles are
   nearest-rank: the q-quantile of n errors is the ceil(q n)-th smallest,
   so that each printed statistic is one entry's certified error (two
   errors that a double cannot order agree to 15 digits, far beyond the
   6 printed).  The histogram's bin k holds the errors in (2^(k-1), 2^k];
   errors of 0 have a bin of their own, errors at most 2^KMIN share
   KMIN's.  */

#include "config.h"
#include "audit-summary.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The lowest bin: (0, 2^KMIN].  */
#define KMIN (-20)
/* The text's width, and the histogram's longest bar within it.  */
#define TEXT_WIDTH 80
/* A row is "  " LABEL (16) " |" BAR " " COUNT (up to 9 digits).  */
#define BAR_MAX (TEXT_WIDTH - 30)

typedef struct
{
  /* The ulp error, for sorting: KEY 2^KEY_EXP, KEY in [1/2, 1) (or 0):
     a double alone would overflow (a reference 0 against a nonzero
     gradient is 2^1074 binary64 ulps off, and more).  */
  double key;
  long key_exp;
  size_t seq;             /* the walk's order: ties keep it */
  audit_entry id;
  int bin;                /* INT_MIN: an error of 0 */
  int within;             /* error <= 1 ulp */
  char ulp[16];           /* the error, 6 digits */
} point;

typedef struct
{
  point *p;
  size_t n, cap;
} set;

struct audit_summary
{
  size_t nsets;
  set *sets;              /* NSETS, then the overall one */
};

audit_summary *
audit_summary_new (size_t nsets)
{
  audit_summary *s = calloc (1, sizeof *s);

  if (s == NULL)
    return NULL;
  s->nsets = nsets;
  s->sets = calloc (nsets + 1, sizeof *s->sets);
  if (s->sets == NULL)
    {
      free (s);
      return NULL;
    }
  return s;
}

void
audit_summary_free (audit_summary *s)
{
  size_t k;

  if (s == NULL)
    return;
  for (k = 0; k <= s->nsets; k++)
    free (s->sets[k].p);
  free (s->sets);
  free (s);
}

static fadj_status
set_push (set *t, const point *p)
{
  if (t->n == t->cap)
    {
      size_t cap = t->cap ? 2 * t->cap : 64;
      point *q = realloc (t->p, cap * sizeof *q);
      if (q == NULL)
        return FADJ_ERR_NOMEM;
      t->p = q;
      t->cap = cap;
    }
  t->p[t->n++] = *p;
  return FADJ_OK;
}

/* *GT = whether ULP > 2^K, decided on its enclosure.  */
static fadj_status
above_pow2 (int *gt, fadj_num_srcptr ulp, int k)
{
  mpq_t q;
  fadj_status st;

  mpq_init (q);
  mpq_set_ui (q, 1, 1);
  if (k >= 0)
    mpz_mul_2exp (mpq_numref (q), mpq_numref (q), (mp_bitcnt_t) k);
  else
    mpz_mul_2exp (mpq_denref (q), mpq_denref (q), (mp_bitcnt_t) -k);
  st = fadj_num_gt_q (gt, ulp, q);
  mpq_clear (q);
  return st;
}

/* P's bin, from the double's estimate, moved until the enclosure
   decides it.  */
static fadj_status
find_bin (point *p, fadj_num_srcptr ulp)
{
  int k, lo, hi, tries;
  fadj_status st;

  if (fadj_num_zero_p (ulp))
    {
      p->bin = INT_MIN;
      return FADJ_OK;
    }
  /* ceil (log2 (key 2^key_exp)), 1/2 <= key < 1.  */
  k = KMIN;
  if (p->key > 0 && p->key_exp - (p->key == 0.5) > KMIN)
    k = (int) (p->key_exp - (p->key == 0.5));
  for (tries = 0; tries < 4; tries++)
    {
      if (k <= KMIN)
        {
          k = KMIN;
          lo = 0;
        }
      else if ((st = above_pow2 (&lo, ulp, k - 1)) != FADJ_OK)
        return st;
      else
        lo = !lo;               /* 1: at most 2^(k-1), bin too high */
      if ((st = above_pow2 (&hi, ulp, k)) != FADJ_OK)
        return st;
      if (!lo && !hi)
        {
          p->bin = k;
          return FADJ_OK;
        }
      k += hi ? 1 : -1;
    }
  return FADJ_UNDECIDED;
}

fadj_status
audit_summary_add (audit_summary *s, size_t which, const audit_entry *id,
                   fadj_num_srcptr ulp)
{
  point p;
  fadj_decimal d;
  fadj_status st;
  mpq_t one;

  memset (&p, 0, sizeof p);
  p.id = *id;
  p.seq = s->sets[s->nsets].n;
  {
    mpfr_t x;
    mpfr_init2 (x, 53);
    if (FADJ_NUM_EXACT_P (ulp))
      mpfr_set_q (x, FADJ_NUM_Q (ulp), MPFR_RNDN);
    else
      mpfr_set (x, FADJ_NUM_RIGHT (ulp), MPFR_RNDN);
    p.key = mpfr_get_d_2exp (&p.key_exp, x, MPFR_RNDN);
    mpfr_clear (x);
  }
  if ((st = fadj_decimal_round (&d, ulp, 6)) != FADJ_OK)
    return st;
  if (d.sign == 0)
    strcpy (p.ulp, "0");
  else
    snprintf (p.ulp, sizeof p.ulp, "%c.%.5se%+ld", d.digits[0],
              d.digits + 1, d.exp10);
  mpq_init (one);
  mpq_set_ui (one, 1, 1);
  st = fadj_num_gt_q (&p.within, ulp, one);
  mpq_clear (one);
  if (st != FADJ_OK)
    return st;
  p.within = !p.within;
  if ((st = find_bin (&p, ulp)) != FADJ_OK)
    return st;
  if ((st = set_push (s->sets + which, &p)) != FADJ_OK)
    return st;
  return set_push (s->sets + s->nsets, &p);
}

static int
point_cmp (const void *a, const void *b)
{
  const point *x = a, *y = b;

  if ((x->key == 0) != (y->key == 0))
    return x->key == 0 ? -1 : 1;
  if (x->key != 0 && x->key_exp != y->key_exp)
    return x->key_exp < y->key_exp ? -1 : 1;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  /* Ties: the earlier entry sorts last, so that the worst listed
     first is the earliest in the walk (as the maxima's worst).  */
  return x->seq > y->seq ? -1 : x->seq < y->seq;
}

void
audit_summary_finish (audit_summary *s)
{
  size_t k;

  for (k = 0; k <= s->nsets; k++)
    if (s->sets[k].n > 1)
      qsort (s->sets[k].p, s->sets[k].n, sizeof (point), point_cmp);
}

/* The nearest-rank PERCENT-quantile of T (nonempty): the
   ceil (PERCENT n / 100)-th smallest.  */
static const point *
quantile (const set *t, size_t percent)
{
  size_t r = (percent * t->n + 99) / 100;

  return t->p + (r ? r - 1 : 0);
}

static size_t
count_within (const set *t)
{
  size_t i, c = 0;

  for (i = 0; i < t->n; i++)
    c += t->p[i].within;
  return c;
}

/* The histogram of T: *ZEROS the errors of 0; (*COUNT)[k - *K0] bin k
   for k from *K0 to *K1, the lowest and highest nonempty bins (*K0 >
   *K1 if none).  *COUNT is new (free), NULL when out of memory.  */
static fadj_status
histogram (const set *t, size_t *zeros, size_t **count, int *k0, int *k1)
{
  size_t i;

  *zeros = 0;
  *k0 = INT_MAX;
  *k1 = INT_MIN;
  for (i = 0; i < t->n; i++)
    if (t->p[i].bin == INT_MIN)
      ++*zeros;
    else
      {
        if (t->p[i].bin < *k0)
          *k0 = t->p[i].bin;
        if (t->p[i].bin > *k1)
          *k1 = t->p[i].bin;
      }
  *count = calloc (*k0 <= *k1 ? (size_t) (*k1 - *k0) + 1 : 1,
                   sizeof **count);
  if (*count == NULL)
    return FADJ_ERR_NOMEM;
  for (i = 0; i < t->n; i++)
    if (t->p[i].bin != INT_MIN)
      (*count)[t->p[i].bin - *k0]++;
  return FADJ_OK;
}

/* The label of bin K ("0" for K = INT_MIN) into BUF.  */
static void
bin_label (char *buf, size_t size, int k)
{
  if (k == INT_MIN)
    snprintf (buf, size, "0");
  else if (k == KMIN)
    snprintf (buf, size, "(0, 2^%d]", k);
  else
    snprintf (buf, size, "(2^%d, 2^%d]", k - 1, k);
}

/* The name of set WHICH of S.  */
static void
set_name (char *buf, size_t size, const audit_summary *s, size_t which)
{
  if (which == s->nsets)
    snprintf (buf, size, "all entries");
  else if (which == 0)
    snprintf (buf, size, "input gradient dJ/dX^0");
  else
    snprintf (buf, size, "layer %zu", which);
}

/* One row of the histogram: LABEL, a bar of N scaled to BIG, N.  */
static void
histogram_row (fadj_buf *out, const char *label, size_t n, size_t big)
{
  char bar[BAR_MAX + 1];
  size_t len = n == 0 ? 0 : (n * BAR_MAX + big - 1) / big;

  memset (bar, '#', len);
  bar[len] = '\0';
  fadj_buf_printf (out, "  %16s |%s %zu\n", label, bar, n);
}

static fadj_status
text_histogram (fadj_buf *out, const set *t)
{
  size_t zeros, *count, big;
  int k0, k1, k;
  char label[32];

  if (histogram (t, &zeros, &count, &k0, &k1) != FADJ_OK)
    return FADJ_ERR_NOMEM;
  big = zeros;
  for (k = k0; k <= k1; k++)
    if (count[k - k0] > big)
      big = count[k - k0];
  fadj_buf_puts (out, "  histogram (ulp error: entries):\n");
  if (zeros > 0)
    histogram_row (out, "0", zeros, big);
  for (k = k0; k <= k1; k++)
    {
      int e = k;
      /* A run of empty bins is one row, (2^(k-1), 2^e].  */
      while (count[k - k0] == 0 && e < k1 && count[e + 1 - k0] == 0)
        e++;
      if (e > k)
        snprintf (label, sizeof label, "(2^%d, 2^%d]", k - 1, e);
      else
        bin_label (label, sizeof label, k);
      histogram_row (out, label, count[k - k0], big);
      k = e;
    }
  free (count);
  return FADJ_OK;
}

static fadj_status
text_set (fadj_buf *out, const audit_summary *s, size_t which, size_t k,
          const char *ref_type, audit_detail_fn detail, void *ctx)
{
  const set *t = s->sets + which;
  size_t c = count_within (t), i;
  /* The share in tenths of a percent, rounded half up, from integers.  */
  size_t tenths = (2000 * c + t->n) / (2 * t->n);
  char name[96];
  fadj_status st;

  set_name (name, sizeof name, s, which);
  fadj_buf_printf (out, "\n%s: %zu entries, errors in %s ulps\n"
                   "  median %s, p90 %s, p99 %s, max %s\n"
                   "  within 1 ulp: %zu of %zu (%zu.%zu%%)\n", name, t->n,
                   ref_type, quantile (t, 50)->ulp, quantile (t, 90)->ulp,
                   quantile (t, 99)->ulp, quantile (t, 100)->ulp, c, t->n,
                   tenths / 10, tenths % 10);
  fadj_buf_printf (out, "  worst %zu:\n", k < t->n ? k : t->n);
  for (i = 0; i < k && i < t->n; i++)
    {
      const point *p = t->p + t->n - 1 - i;
      audit_entry_name (name, sizeof name, &p->id);
      /* Two lines, to stay within 80 columns.  */
      fadj_buf_printf (out, "    %-18s %s ulps\n      ", name, p->ulp);
      if (detail != NULL && (st = detail (out, &p->id, 0, ctx)) != FADJ_OK)
        return st;
      fadj_buf_puts (out, "\n");
    }
  return text_histogram (out, t);
}

fadj_status
audit_summary_write_text (fadj_buf *out, const audit_summary *s, size_t k,
                          const char *ref_type, audit_detail_fn detail,
                          void *ctx)
{
  size_t which;
  fadj_status st;

  fadj_buf_puts (out, "\nsummary\n");
  for (which = 1; which <= s->nsets; which++)
    {
      /* Layers 1..L, the input gradient, then all.  */
      size_t w = which == s->nsets ? 0 : which;
      if (s->sets[w].n > 0
          && (st = text_set (out, s, w, k, ref_type, detail, ctx)) != FADJ_OK)
        return st;
    }
  if (s->sets[s->nsets].n == 0)
    {
      fadj_buf_puts (out, "  no entry has a reference\n");
      return FADJ_OK;
    }
  return text_set (out, s, s->nsets, k, ref_type, detail, ctx);
}

static const char *const kind_word[] = { "weight", "bias", "input", "loss" };

static fadj_status
json_set (fadj_buf *out, const audit_summary *s, size_t which, size_t k,
          audit_detail_fn detail, void *ctx)
{
  const set *t = s->sets + which;
  size_t zeros, *count, i;
  int k0, k1, b;
  fadj_status st;

  if (which == s->nsets)
    fadj_buf_puts (out, "{\"layer\": null");
  else
    fadj_buf_printf (out, "{\"layer\": %zu", which);
  fadj_buf_printf (out, ", \"entries\": %zu", t->n);
  if (t->n == 0)
    {
      fadj_buf_puts (out, ", \"median_ulp\": null, \"p90_ulp\": null, "
                     "\"p99_ulp\": null, \"max_ulp\": null, "
                     "\"within_1ulp\": 0, \"zero_errors\": 0, "
                     "\"histogram\": [], \"worst\": []}");
      return FADJ_OK;
    }
  if (histogram (t, &zeros, &count, &k0, &k1) != FADJ_OK)
    return FADJ_ERR_NOMEM;
  fadj_buf_printf (out, ", \"median_ulp\": \"%s\", \"p90_ulp\": \"%s\", "
                   "\"p99_ulp\": \"%s\", \"max_ulp\": \"%s\",\n"
                   "       \"within_1ulp\": %zu, \"zero_errors\": %zu, "
                   "\"histogram\": [", quantile (t, 50)->ulp,
                   quantile (t, 90)->ulp, quantile (t, 99)->ulp,
                   quantile (t, 100)->ulp, count_within (t), zeros);
  /* The nonempty bins only.  */
  for (b = k0; b <= k1; b++)
    if (count[b - k0] > 0)
      fadj_buf_printf (out, "%s{\"log2_upper\": %d, \"count\": %zu}",
                       b > k0 ? ", " : "", b, count[b - k0]);
  free (count);
  fadj_buf_puts (out, "],\n       \"worst\": [");
  for (i = 0; i < k && i < t->n; i++)
    {
      const point *p = t->p + t->n - 1 - i;
      fadj_buf_printf (out, "%s{\"layer\": %zu, \"kind\": \"%s\", "
                       "\"row\": %zu, \"col\": %zu, \"ulp_error\": \"%s\"",
                       i ? ",\n                 " : "", p->id.layer,
                       kind_word[p->id.kind], p->id.row, p->id.col, p->ulp);
      if (detail != NULL && (st = detail (out, &p->id, 1, ctx)) != FADJ_OK)
        return st;
      fadj_buf_puts (out, "}");
    }
  fadj_buf_puts (out, "]}");
  return FADJ_OK;
}

fadj_status
audit_summary_write_json (fadj_buf *out, const audit_summary *s, size_t k,
                          audit_detail_fn detail, void *ctx)
{
  size_t which;
  fadj_status st;

  fadj_buf_puts (out, ",\n  \"summary\": {\"layers\": [");
  for (which = 1; which <= s->nsets; which++)
    {
      size_t w = which == s->nsets ? 0 : which;
      fadj_buf_puts (out, which > 1 ? ",\n    " : "\n    ");
      if ((st = json_set (out, s, w, k, detail, ctx)) != FADJ_OK)
        return st;
    }
  fadj_buf_puts (out, "],\n    \"overall\": ");
  if ((st = json_set (out, s, s->nsets, k, detail, ctx)) != FADJ_OK)
    return st;
  fadj_buf_puts (out, "}");
  return FADJ_OK;
}
