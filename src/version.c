/* version.c -- the one version number, from AC_INIT.  */

#include "fadj-impl.h"

const char *
fadj_version (void)
{
  return PACKAGE_VERSION;
}
