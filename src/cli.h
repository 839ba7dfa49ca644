/* cli.h -- what the fadj programs share around the library: reading the
   input, reporting errors GNU-style, numeric options, and writing the
   output only on success.  Only programs use this; libfadj never prints. */

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

/* Print the located error "FILE:LINE:COL: error: MSG".  */
void cli_located_error (const char *file, const fadj_error *err);

/* Exit status for a library failure status (after printing a message).  */
int cli_exit_for_status (fadj_status st);

#endif
