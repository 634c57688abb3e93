/*
** editline.c — libedit opened when a terminal session starts (see editline.h).
*/
#include "editline.h"
#include "i18n.h"

static editline_api api;

const editline_api *editline_open(char *err, size_t errlen) {
#define EDITLINE_SLOT(f) (void **)&api.f,
  static const char *const names[] = {EDITLINE_SYMBOLS(DYNLIB_NAME)};
  void **const slots[] = {EDITLINE_SYMBOLS(EDITLINE_SLOT)};
  if (dynlib_load(CONFER_LIBEDIT, _("repl.line_editing"), names, slots, sizeof names / sizeof names[0],
                  err, errlen) != 0)
    return NULL;
  return &api;
}
