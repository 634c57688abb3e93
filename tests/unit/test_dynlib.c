/*
** test_dynlib.c — optional libraries opened on first use (host/dynlib.h):
** a library that is absent or too old is one clear message, and the typed
** table a module fills calls the real function.
*/
#include <stdlib.h>
#include <string.h>

#include "dynlib.h"
#include "test_util.h"
#include "test_locales.h"

/* A module's table, as store_pg.c and board.c declare theirs, over libc's strlen and abs. */
#define LIBC_FUNCTIONS(X) X(strlen) X(abs)
static struct { LIBC_FUNCTIONS(DYNLIB_POINTER) } libc;

static int libc_load(char *err, size_t errlen) {
#define LIBC_SLOT(f) (void **)&libc.f,
  static const char *const names[] = {LIBC_FUNCTIONS(DYNLIB_NAME)};
  void **const slots[] = {LIBC_FUNCTIONS(LIBC_SLOT)};
  return dynlib_load("libc.so.6", "The test", names, slots, sizeof names / sizeof names[0], err, errlen);
}

int main(void) {
  if (test_load_locales() != 0) return 1;
  char err[512] = "";

  CHECK(libc_load(err, sizeof err) == 0);
  CHECK_STR(err, "");
  CHECK(libc.strlen != NULL && libc.strlen("Example") == 7);
  CHECK(libc.abs != NULL && libc.abs(-3) == 3);
  /* A second open is the same handle, not a second load. */
  CHECK(dynlib_open("libc.so.6", "The test", err, sizeof err) ==
        dynlib_open("libc.so.6", "The test", err, sizeof err));

  CHECK(dynlib_open("libconfer-absent.so.9", "PostgreSQL", err, sizeof err) == NULL);
  CHECK_STR(err, "PostgreSQL needs libconfer-absent.so.9, which could not be loaded: "
                 "libconfer-absent.so.9: cannot open shared object file: No such file or directory");

  /* A symbol the library lacks: one line naming both, the table left unfilled. */
  void *missing = NULL;
  const char *const missing_names[] = {"confer_no_such_function"};
  void **const missing_slots[] = {&missing};
  CHECK(dynlib_load("libm.so.6", "The test", missing_names, missing_slots, 1, err, sizeof err) == -1);
  CHECK_STR(err, "libm.so.6 has no confer_no_such_function: it is older than the one confer was built with");
  CHECK(missing == NULL);
  /* A library resolved once returns at once: its table is never written again. */
  libc.abs = NULL;
  CHECK(libc_load(err, sizeof err) == 0);
  CHECK(libc.abs == NULL);

  i18n_free();
  return TEST_SUMMARY();
}
