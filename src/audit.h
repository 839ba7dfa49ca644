/* audit.h -- what fadj-audit's main (audit.c) and its report writers
   (audit-write.c, audit-summary.c) share.  Program code: it may print.  */

#ifndef FADJ_AUDIT_H
#define FADJ_AUDIT_H

#include "fadj.h"

enum { AUDIT_TEXT, AUDIT_JSON, AUDIT_CSV };
enum
{
  AUDIT_CHECK_FULL, AUDIT_CHECK_DIRECTIONAL, AUDIT_CHECK_NONE,
  AUDIT_CHECK_AUTO
};

typedef struct
{
  int digits;             /* significant digits of inexact values */
  int format;             /* AUDIT_TEXT, ... */
  int check;              /* AUDIT_CHECK_* (AUTO resolved before use) */
  unsigned long seed;     /* of the directional check */
  int ref_bits;           /* 24 (binary32) or 53 (binary64) */
  int has_tolerance;
  mpq_t tolerance;        /* in ulps */
  const char *file;       /* the network file, for the report */
  int summary;            /* --summary: the error statistics */
  size_t worst;           /* --worst: entries listed per summary */
  int exact_fraction;     /* --exact-display=fraction: exact values as
                             p/q in text and CSV too */
  int entries;            /* --entries: JSON per-entry error arrays */
  int failed_check, failed_tolerance;   /* set by the audit, for main */
} audit_opts;

/* One attempt at one precision.  */
typedef struct
{
  int agree;              /* -1: no check; else the check's verdict */
  fadj_check check;
  int exceeded;           /* some reference entry is beyond the tolerance */
  char undecided[160];    /* the value that could not be decided */
  size_t zeros;           /* values printed as zero to the working
                             precision (fadj_zero_log) */
} audit_run;

/* Write the report of T (and of the reference REF, may be NULL) in the
   format of O into OUT.  FADJ_UNDECIDED (RUN->undecided names the value)
   when some printed value or comparison is not decided at T's
   precision.  Sets RUN->exceeded.  */
fadj_status audit_write (fadj_buf *out, audit_run *run, const fadj_trace *t,
                         const fadj_ref *ref, const audit_opts *o);

#endif
