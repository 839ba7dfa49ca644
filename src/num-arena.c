/* num-arena.c -- intervals whose endpoints live in one arena: the
   numbers a graph makes one per node (the adjoints of a reverse sweep,
   the enclosures of exact values, the limbs of its weights' rationals)
   without two allocations and two frees per number.

   An interval of the arena is an ordinary MPFI interval whose
   endpoints' significands were carved from the arena's chunks (MPFR's
   custom interface, mpfr_custom_init_set) instead of allocated by
   mpfr_init2.  MPFR and MPFI operations work on it unchanged as long
   as its precision and representation stay: it may be written by any
   operation that keeps it an interval of its precision (in place, or
   copied into), never cleared (mpfi_clear would free memory malloc did
   not give), swapped with another number, resized, or turned into a
   rational (num.c's reshape).  The arena frees all its numbers at once.

   Chunks are never moved (a significand's address is in its number),
   so that the numbers themselves may be: an array of them may be
   realloc'ed.  */

#include "fadj-impl.h"

#include <stdlib.h>
#include <stddef.h>

/* The bytes a chunk holds at least: a few hundred intervals at the
   working precisions of an audit.  */
#define ARENA_CHUNK 65536

struct fadj_num_arena_chunk
{
  struct fadj_num_arena_chunk *next;
  size_t used, size;             /* bytes of DATA carved, and held */
  max_align_t data[];
};

void
fadj_num_arena_init (fadj_num_arena *a)
{
  a->chunks = NULL;
}

void
fadj_num_arena_clear (fadj_num_arena *a)
{
  while (a->chunks != NULL)
    {
      struct fadj_num_arena_chunk *c = a->chunks;
      a->chunks = c->next;
      free (c);
    }
}

void *
fadj_num_arena_take (fadj_num_arena *a, size_t n)
{
  struct fadj_num_arena_chunk *c = a->chunks;
  void *p;

  if (c == NULL || c->size - c->used < n)
    {
      size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
      c = malloc (offsetof (struct fadj_num_arena_chunk, data) + size);
      if (c == NULL)
        return NULL;
      c->used = 0;
      c->size = size;
      c->next = a->chunks;
      a->chunks = c;
    }
  p = (char *) c->data + c->used;
  c->used += n;
  return p;
}

int
fadj_num_arena_interval (fadj_num_arena *a, fadj_num_ptr x,
                         mpfr_prec_t prec)
{
  void *m = fadj_num_arena_take (a, 2 * mpfr_custom_get_size (prec));

  if (m == NULL)
    return 0;
  fadj_num_init_interval_at (x, prec, m);
  return 1;
}
