/*
** test_locales.h — loads the shipped catalogues (locales/ of the source tree)
** in en_GB, so the unit tests assert the words a user sees rather than keys.
** Header-only: include it after test_util.h in a test that needs it.
*/
#ifndef CONFER_TEST_LOCALES_H
#define CONFER_TEST_LOCALES_H

#include <stdio.h>

#include "i18n.h"

/*
** Loads CONFER_SOURCE_DIR/locales in en_GB. Returns 0, or -1 after printing
** why (the test should then stop: every message would be a key).
*/
static inline int test_load_locales(void) {
  char err[600];
  if (i18n_init(CONFER_SOURCE_DIR "/locales", "en_GB", err, sizeof err) == 0) return 0;
  fprintf(stderr, "the shipped catalogues: %s\n", err);
  return -1;
}

#endif
