/* replay.c -- run a fuzz harness on files, without libFuzzer: the seed
   corpus and every crash the fuzzers found (tests/fuzz/regress/) are
   replayed by `make check' in every build, so the regressions stay
   tested with the ordinary compiler, under the sanitizer build, and under
   valgrind.  Usage: replay FILE...  */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
main (int argc, char **argv)
{
  int i;

  for (i = 1; i < argc; i++)
    {
      FILE *f = fopen (argv[i], "rb");
      unsigned char *buf = NULL;
      size_t n = 0, cap = 0, got;

      if (f == NULL)
        {
          perror (argv[i]);
          return 1;
        }
      do
        {
          if (cap - n < 4096)
            {
              unsigned char *nb = realloc (buf, cap = cap * 2 + 4096);
              if (nb == NULL)
                return 1;
              buf = nb;
            }
          got = fread (buf + n, 1, cap - n, f);
          n += got;
        }
      while (got > 0);
      fclose (f);
      LLVMFuzzerTestOneInput (buf, n);
      free (buf);
    }
  return 0;
}
