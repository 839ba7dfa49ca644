/* audit-summary.h -- fadj-audit's --summary (audit-summary.c): the
   distribution of the ulp errors per layer and overall (count, median,
   p90, p99, maximum, share within 1 ulp, worst entries, a log2
   histogram), for the report writer (audit-write.c).  Program code.  */

#ifndef FADJ_AUDIT_SUMMARY_H
#define FADJ_AUDIT_SUMMARY_H

#include "audit-errors.h"

typedef struct audit_summary audit_summary;

/* A new summary of NSETS sets (fadj-audit's: 0 the input gradient, l
   layer l) and the overall one; NULL when out of memory.  _free (NULL)
   is a no-op.  */
audit_summary *audit_summary_new (size_t nsets);
void audit_summary_free (audit_summary *s);

/* Add entry ID of set SET, whose certified ulp error is ULP, to SET and
   to the overall set.  FADJ_UNDECIDED when ULP's enclosure does not
   decide its 6 printed digits, its histogram bin or whether it is within
   1 ulp; FADJ_ERR_NOMEM.  */
fadj_status audit_summary_add (audit_summary *s, size_t set,
                               const audit_entry *id, fadj_num_srcptr ulp)
  FADJ_WUR;

/* Sort every set; before the writers.  */
void audit_summary_finish (audit_summary *s);

/* What a writer says of one of the worst entries: its condition and
   the ratio of its error to the bound, appended to OUT by the report
   writer (the summary keeps only the ulp errors).  JSON: the members
   '"condition": ..., "bound_ratio": ...'; text: words.  */
typedef fadj_status (*audit_detail_fn) (fadj_buf *out, const audit_entry *id,
                                        int json, void *ctx);

/* Append the text summary (80 columns) of every nonempty set and the
   overall one, the K worst entries of each; REF_TYPE names the ulps.  */
fadj_status audit_summary_write_text (fadj_buf *out, const audit_summary *s,
                                      size_t k, const char *ref_type,
                                      audit_detail_fn detail, void *ctx)
  FADJ_WUR;

/* Append the JSON member '"summary": {...}' (see fadj-audit(1)).  */
fadj_status audit_summary_write_json (fadj_buf *out, const audit_summary *s,
                                      size_t k, audit_detail_fn detail,
                                      void *ctx) FADJ_WUR;

#endif
