/*
** editline.c — libedit opened when a terminal session starts (see editline.h).
*/
#include "editline.h"
#include "i18n.h"

static editline_api api;
static int loaded;

const editline_api *editline_open(char *err, size_t errlen) {
  if (loaded) return &api;
  void *handle = dynlib_open(CONFER_LIBEDIT, _("repl.line_editing"), err, errlen);
  if (handle == NULL) return NULL;
#define EDITLINE_SET(f) if (DYNLIB_SET(api.f, handle, CONFER_LIBEDIT, #f, err, errlen) != 0) return NULL;
  EDITLINE_SYMBOLS(EDITLINE_SET)
#undef EDITLINE_SET
  loaded = 1;
  return &api;
}
