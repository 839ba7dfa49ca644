/* fuzz-number.c -- libFuzzer harness of the number-literal parser
   (fadj_number_parse).  Oracles besides the sanitizers: an error points
   inside the literal with a message; a success reads back exactly from
   its canonical "p/q" form.  */

#include "fadj.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  mpq_t q, r;
  size_t errpos = 0;
  const char *msg = NULL;

  mpq_init (q);
  if (fadj_number_parse (q, (const char *) data, size, &errpos, &msg) != 0)
    {
      if (msg == NULL || msg[0] == '\0' || (errpos > size && size > 0))
        abort ();
    }
  else if (mpz_sizeinbase (mpq_numref (q), 10)
           + mpz_sizeinbase (mpq_denref (q), 10) < FADJ_MAX_LITERAL_LEN)
    {
      /* Canonical: the denominator is positive and coprime.  The form
         "-p/q" is read back only when it is itself a literal the parser
         takes: its sign and slash count (-2e-9998 is 9999 digits, and
         "-1/5000...0" 10 001 characters, past the limit).  */
      char *s = mpq_get_str (NULL, 10, q);
      size_t n = strlen (s);
      void (*gmp_free) (void *, size_t);

      if (mpz_sgn (mpq_denref (q)) <= 0)
        abort ();
      mpq_init (r);
      if (n <= FADJ_MAX_LITERAL_LEN
          && (fadj_number_parse (r, s, n, &errpos, &msg) != 0
              || !mpq_equal (q, r)))
        abort ();
      mpq_clear (r);
      mp_get_memory_functions (NULL, NULL, &gmp_free);
      gmp_free (s, n + 1);
    }
  mpq_clear (q);
  return 0;
}
