/* i18n.c -- the translation of the document's prose: a binary search
   over the sorted original strings of a GNU .mo catalogue compiled into
   the program (src/i18n-fr.c, made by msgfmt and od from po/fr.po).

   glibc's gettext() would choose its catalogue through the locale and
   the environment (LANG, LC_*, LANGUAGE) and would need it installed;
   the document's language is fadj-explain's --lang alone, and the
   programs run from the build tree, so they carry the catalogue.  The
   .mo format (GNU gettext manual, "The Format of GNU MO Files"): a
   little- or big-endian header of 32-bit words, magic 0x950412de,
   revision, N, the offset of the originals' table and of the
   translations' table; each table has N entries (length, offset), the
   originals sorted by strcmp.  */

#include <string.h>

#include "i18n.h"

extern const unsigned char fadj_mo_fr[];
extern const size_t fadj_mo_fr_size;

enum { LANG_EN = 0, LANG_FR };

/* The language of the document being written in this thread.  */
static _Thread_local int doc_lang = LANG_EN;

int
fadj_lang_valid (const char *lang)
{
  return lang == NULL || strcmp (lang, "en") == 0 || strcmp (lang, "fr") == 0;
}

int
fadj_lang_begin (const char *lang)
{
  int previous = doc_lang;

  doc_lang = lang != NULL && strcmp (lang, "fr") == 0 ? LANG_FR : LANG_EN;
  return previous;
}

void
fadj_lang_end (int previous)
{
  doc_lang = previous;
}

int
fadj_i18n_french_p (void)
{
  return doc_lang == LANG_FR;
}

/* The 32-bit word at byte OFF of MO (SIZE bytes), in the byte order of
   its magic (BIG); 0 beyond the end.  */
static unsigned long
word (const unsigned char *mo, size_t size, unsigned long off, int big)
{
  const unsigned char *p = mo + off;

  if (off > size || size - off < 4)
    return 0;
  if (big)
    return (unsigned long) p[0] << 24 | (unsigned long) p[1] << 16
           | (unsigned long) p[2] << 8 | p[3];
  return (unsigned long) p[3] << 24 | (unsigned long) p[2] << 16
         | (unsigned long) p[1] << 8 | p[0];
}

/* The string of entry K of the table at TABLE, or NULL if it does not
   lie inside MO with its NUL.  */
static const char *
entry (const unsigned char *mo, size_t size, unsigned long table,
       unsigned long k, int big)
{
  unsigned long len = word (mo, size, table + 8 * k, big);
  unsigned long off = word (mo, size, table + 8 * k + 4, big);

  if (off >= size || size - off <= len || mo[off + len] != '\0')
    return NULL;
  return (const char *) mo + off;
}

/* MSGID's translation in the catalogue MO, or NULL.  */
static const char *
lookup (const unsigned char *mo, size_t size, const char *msgid)
{
  unsigned long magic = word (mo, size, 0, 0), n, orig, trans, lo, hi;
  int big;

  if (magic == 0x950412deUL)
    big = 0;
  else if (magic == 0xde120495UL)
    big = 1;
  else
    return NULL;
  n = word (mo, size, 8, big);
  orig = word (mo, size, 12, big);
  trans = word (mo, size, 16, big);
  lo = 0;
  hi = n;
  while (lo < hi)
    {
      unsigned long mid = lo + (hi - lo) / 2;
      const char *o = entry (mo, size, orig, mid, big);
      int c;

      if (o == NULL)
        return NULL;
      c = strcmp (msgid, o);
      if (c == 0)
        {
          const char *t = entry (mo, size, trans, mid, big);
          return t != NULL && *t != '\0' ? t : NULL;
        }
      if (c < 0)
        hi = mid;
      else
        lo = mid + 1;
    }
  return NULL;
}

const char *
fadj_i18n (const char *msgid)
{
  const char *t;

  if (doc_lang != LANG_FR || *msgid == '\0')
    return msgid;
  t = lookup (fadj_mo_fr, fadj_mo_fr_size, msgid);
  return t != NULL ? t : msgid;
}
