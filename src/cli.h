/* cli.h -- what the fadj programs share around the library: their option
   tables and option values, reading the input, reporting errors
   GNU-style, Ziv's loop, and writing the output only on success.  Only
   programs use this; libfadj never prints. */

#ifndef FADJ_CLI_H
#define FADJ_CLI_H

#include <stddef.h>
#include "fadj.h"

/* The program name for messages (set from argv[0] by main).  */
extern const char *cli_program;

/* Print "PROGRAM: MESSAGE" to stderr.  */
void cli_error (const char *fmt, ...)
#if defined(__GNUC__)
  __attribute__ ((format (printf, 1, 2)))
#endif
  ;

/* Read all of PATH ("-" for stdin) into a new NUL-terminated buffer
   (*DATA, owned by the caller; *LEN bytes without the NUL).  Returns 0, or
   -1 after printing why.  */
int cli_read_file (char **data, size_t *len, const char *path);

/* Parse a decimal integer option value in [LO, HI] into *V.  Returns 0, or
   -1 after printing an error naming OPTION.  */
int cli_parse_long (long *v, const char *option, const char *arg,
                    long lo, long hi);

/* Print "PROGRAM: invalid value 'ARG' for OPTION: " and then FMT, the
   one form of every message about an option's value.  */
void cli_invalid_value (const char *option, const char *arg,
                        const char *fmt, ...)
#if defined(__GNUC__)
  __attribute__ ((format (printf, 3, 4)))
#endif
  ;

/* Find ARG among WORDS (NULL-terminated), the values OPTION accepts:
   *K becomes its index.  Returns 0, or -1 after printing "invalid value
   'ARG' for OPTION: expected 'W0', 'W1' or 'W2'".  */
int cli_parse_word (int *k, const char *option, const char *arg,
                    const char *const *words);

/* Parse ARG, a number written as in a network file (0.5, 1/2, 5e-1),
   into Q; it must be positive if STRICT, else non-negative.  Returns 0,
   or -1 after printing "invalid value 'ARG' for OPTION: expected
   EXPECTED".  */
int cli_parse_rational (mpq_t q, const char *option, const char *arg,
                        int strict, const char *expected);

/* One option of a program, written once: getopt_long's table, its short
   options and the option lines of --help are all made from a table of
   these, ended by an entry whose NAME and HELP are both NULL.  An entry
   with NAME NULL and HELP set is a line of the help between options (a
   heading).  --help ('h') and --version ('V') are added to every
   table.  */
typedef struct
{
  const char *name;     /* the long name, without "--" */
  int id;               /* getopt's value: the letter of a short option,
                           or above 255 for a long one only */
  const char *arg;      /* the argument's name in the help ("FILE", "N"),
                           or NULL for an option without argument; an
                           optional argument's name is opened by '['
                           ("[WHAT]", shown "--name[=WHAT]"), and the
                           handler then gets NULL when it is absent */
  const char *help;     /* the description: a printf format with at most
                           two %lu, N1 and N2; '\n' starts a line */
  unsigned long n1, n2;
} cli_option;

/* A program's handler of its options (as argp's parser): take the
   option ID with its argument ARG (NULL for an option without one) into
   CTX.  Returns 0, or -1 after printing why ARG is wrong.  */
typedef int (*cli_option_fn) (int id, const char *arg, void *ctx);

/* Read the options of ARGV (getopt_long over TABLE), each given to
   HANDLE with CTX; --help (USAGE prints the text), --version, an unknown
   option and a missing argument are answered here.  Returns -1 when the
   program goes on (optind then indexes the operands), else the exit
   status: 0 after --help or --version, FADJ_EXIT_INPUT after a usage
   error (reported).  */
int cli_parse_options (int argc, char **argv, const cli_option *table,
                       void (*usage) (void), cli_option_fn handle,
                       void *ctx);

/* cli_parse_long for an int option.  */
int cli_parse_int (int *v, const char *option, const char *arg, int lo,
                   int hi);

/* --jobs=N of the programs that compute (parallel.h): its help line,
   and its parser (1 to FADJ_MAX_JOBS, else the error and -1).  */
#define CLI_JOBS_HELP \
  "threads to use (1 to %lu; default: the number of\n" \
  "online processors); the output is the same for every N"
int cli_parse_jobs (const char *arg);

/* Print the option lines of --help for TABLE (and --help, --version):
   "  -o, --output=FILE" or "      --name=ARG", the description starting
   at column COL (on the next line if the option is too long).  */
void cli_print_options (const cli_option *table, int col);

/* Print "PROGRAM (fadj) VERSION", the answer to --version.  */
void cli_version (void);

/* Set the program name, and make out-of-memory in GMP and MPFR a message
   and exit status 3 instead of an abort; limit MPFR's exponent range to
   FADJ_MAX_BINARY_EXP.  First thing in main.  */
void cli_init (const char *program);

/* If PATH names a file to be written (not NULL, "-" or a device), create
   its temporary now, so that a directory where nothing can be written
   is reported before a long computation, and so that a signal (SIGINT,
   SIGTERM, SIGHUP, SIGQUIT) or any exit before cli_write_output removes
   it.  Returns 0, or -1 after printing the error (exit status 3).  */
int cli_output_prepare (const char *path);

/* Write LEN bytes of DATA to PATH, or to stdout if PATH is NULL or "-".
   A file is written to a temporary name in the same directory and renamed
   into place only when everything, fclose included, succeeded: a failed
   run never clobbers an existing file.  A PATH that exists but is not a
   regular file (/dev/null, /dev/full, a FIFO) is written in place.
   Returns 0, or -1 after printing the error.  */
int cli_write_output (const char *path, const char *data, size_t len);

/* If cli_output_prepare created a temporary file for the output, let B
   spill into it as it grows (fadj_buf_set_spill): the document is then
   written while it is produced instead of held whole in memory, and the
   rename by cli_write_output, which writes what B still holds, remains
   the only moment the target changes, so the no-clobber guarantee holds.
   Standard output and devices are not streamed: a failure midway would
   leave a partial document there.  A failed write is reported at once
   (the temporary removed) and B's status becomes FADJ_ERR_IO; then
   cli_output_failed returns nonzero, and the caller should not print a
   second message.  */
void cli_output_stream (fadj_buf *b);
int cli_output_failed (void);

/* From now on, break the document's lines longer than FADJ_WRAP_COLUMN
   where a newline means what a space does in TeX and Markdown
   (tex-wrap.h), both in what cli_output_stream spills and in what
   cli_write_output writes; its data must then be writable.  */
void cli_output_wrap (void);

/* Print "Try 'PROGRAM --help' for more information." to stderr.  */
void cli_try_help (void);

/* The one FILE operand left in ARGV[OPTIND..ARGC): set *FILE and return
   0, or print what is missing or extra (and cli_try_help) and return
   -1.  With FILE NULL, a program that takes no operand: none may be
   left.  */
int cli_file_operand (const char **file, int argc, char **argv, int optind);

/* Print the located error "FILE:LINE:COL: error: MSG".  */
void cli_located_error (const char *file, const fadj_error *err);

/* The end of parsing FILE ("-": standard input) with status ST: on
   FADJ_ERR_INPUT or FADJ_ERR_LIMIT print ERR located in FILE (named
   "<stdin>" for standard input), on another failure its message.
   Returns the exit status (FADJ_EXIT_OK on FADJ_OK).  */
int cli_parse_status (fadj_status st, const char *file,
                      const fadj_error *err);

/* Read FILE ("-": standard input) and parse it as a network
   (fadj_net_parse_opts with FLAGS) into *NET, owned by the caller.
   Returns FADJ_EXIT_OK, or the exit status after printing why.  */
int cli_read_net (fadj_net **net, const char *file, unsigned flags);

/* The same for a file of reference gradients of NET
   (fadj_ref_parse_opts with FADJ_PARSE_COMPACT: its gradients may be
   scaled matrices): *REF, owned by the caller.  */
int cli_read_ref (fadj_ref **ref, const char *file, const fadj_net *net);

/* Exit status for a library failure status (after printing a message).  */
int cli_exit_for_status (fadj_status st);

/* The --arithmetic option of the programs: ARG is auto, exact or
   interval; *V becomes -1 (auto) or the fadj_domain asked for.  Returns
   0, or -1 after printing the error (cli_parse_word's).  */
int cli_parse_arithmetic (int *v, const char *arg);

/* *D = the domain to derive NET in for ARITHMETIC (as set by
   cli_parse_arithmetic): auto is exact when every map is rational.
   Returns 0, or -1 after printing why (exact asked of a network with a
   transcendental map: a usage error, exit status 2).  */
int cli_choose_domain (fadj_domain *d, int arithmetic, const fadj_net *net);

/* The messages of a derivation that stopped, shared by the programs so
   that they say the same thing in the same words.  FILE names the
   network.

   cli_report_domain: FADJ_ERR_DOMAIN, a function undefined at the values
   reached; WHERE (may be NULL) says which output when it was the loss;
   WHEN ("" or e.g. " after training step 3") is appended.

   cli_report_exact_growth: FADJ_ERR_LIMIT in the exact domain, a
   numerator or denominator past FADJ_MAX_EXACT_BITS; HOW names the
   options that choose the digits or the precision of an interval
   derivation instead (e.g. "--digits=N").

   cli_report_range: after a derivation that could not be certified,
   if a value over- or underflowed the exponent range of cli_init
   (MPFR's flags, cleared before each attempt), print that it lies
   beyond the supported range and return 1; else return 0.  */
void cli_report_domain (const char *file, const fadj_net *net,
                        const fadj_where *where, const char *when);
void cli_report_exact_growth (const char *file, const char *how);
int cli_report_range (const char *file);

/* Ziv's strategy, the loop of fadj-explain and fadj-audit: a network
   derived exactly is derived once; in interval arithmetic the derivation
   starts at 3.33 N + 64 bits for N printed digits (log2(10) bits a digit
   and a margin for what the intervals accumulate), or at a fixed
   precision, and is redone at twice the precision while something
   printed is undecided, up to FADJ_MAX_AUTO_PREC bits (or the fixed
   precision); past that the program fails with exit status 3.  A value
   whose enclosure still contains 0 once everything else is decided is
   printed as zero to the working precision, with its bound
   (fadj_zero_log): the loop first doubles the precision twice more
   (within the limit), in case it is not 0 after all.  A sign that stops
   the derivation at the same place after the same two more doublings is
   taken for what it almost surely is, an exact 0 (an input exactly at a
   kink), which no precision decides: the loop ends there, with exit
   status 3, rather than redo the derivation up to the limit.  */

/* What an attempt tells the loop besides its status.  */
typedef struct
{
  int exit_status;      /* when done: the program's exit status; on 0
                           and 1 the document is complete */
  fadj_where where;     /* FADJ_ERR_DOMAIN: which output, when it was the
                           loss (cli_report_domain) */
  char when[96];        /* FADJ_ERR_DOMAIN: "" or e.g. " after training
                           step 3" (cli_report_domain) */
  size_t zeros;         /* when done: the values printed as zero to the
                           working precision (fadj_zero_log) */
  size_t stopped;       /* FADJ_UNDECIDED: nonzero when an undecided sign
                           stopped the derivation, the mark of where
                           (fadj_trace_opts's STOPPED) */
  long next_prec;       /* FADJ_UNDECIDED: the precision the attempt
                           expects to need, if above twice its own (a
                           training that gave up at a step), or 0 */
} cli_ziv_result;

/* One attempt at CTX's precision: derive NET, and write the document
   into OUT (empty).  Returns FADJ_OK when done (R->exit_status set; a failure
   reported by the attempt itself ends so too), FADJ_UNDECIDED to be
   redone at a higher precision, or why it failed (reported by
   cli_ziv_run).  ARG is the program's.  */
typedef fadj_status (*cli_ziv_attempt) (cli_ziv_result *r, fadj_buf *out,
                                        const fadj_net *net,
                                        const fadj_ctx *ctx, void *arg);

typedef struct cli_ziv
{
  const char *file;         /* the network file, for the messages */
  const fadj_net *net;      /* the network */
  fadj_domain domain;
  mpfr_prec_t prec;         /* of the first attempt */
  mpfr_prec_t max_prec;     /* of the last */
  long fixed_prec;          /* 0, or the fixed precision asked for */
  const char *output;       /* the output file (NULL or "-": stdout) */
  int stream;               /* nonzero: cli_output_stream the document */
  const char *exact_how;    /* for cli_report_exact_growth */
  /* The message when the attempt at CTX, the last, left something
     undecided (and cli_report_range had nothing to say).  */
  void (*report_limit) (const struct cli_ziv *z, const fadj_ctx *ctx,
                        void *arg);
} cli_ziv;

/* Make Z the loop for NET (read from FILE) in DOMAIN, for DIGITS printed
   digits, at the automatic precision (FIXED_PREC 0) or at FIXED_PREC
   bits, with REPORT_LIMIT; the document to standard output, not
   streamed, EXACT_HOW "--digits=N".  */
void cli_ziv_init (cli_ziv *z, const char *file, const fadj_net *net,
                   fadj_domain domain, int digits, long fixed_prec,
                   void (*report_limit) (const struct cli_ziv *,
                                         const fadj_ctx *, void *));

/* Run Z's loop with ATTEMPT and ARG, and write the document to
   Z->OUTPUT (see cli_write_output) if the exit status is 0 or 1.
   Prints every failure; returns the exit status.  */
int cli_ziv_run (const cli_ziv *z, cli_ziv_attempt attempt, void *arg);
/* The message of a report_limit when the last attempt stopped on a sign
   the derivation branches on (the input of an activation at its kink),
   for both programs: at PREC bits, FILE and COLON prefixing it ("" or a
   set's file name and ": "); PRECISION_OPTION when the program has
   --precision=BITS to suggest.  */
void cli_report_undecided_sign (const cli_ziv *z, long prec,
                                const char *file, const char *colon,
                                int precision_option);

/* The same loop into OUT (emptied before each attempt), which is not
   written anywhere: the caller uses it when the exit status is 0 or 1
   (fadj-explain's exercises, each a section of one document).  */
int cli_ziv_run_into (fadj_buf *out, const cli_ziv *z,
                      cli_ziv_attempt attempt, void *arg);

#endif
