/*
** dynlib.c — optional libraries opened on first use (see dynlib.h).
*/
#include "dynlib.h"
#include "i18n.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

/* The libraries opened so far: few (libpq, libmicrohttpd), so a short list. */
#define DYNLIB_MAX 8
static struct { const char *soname; void *handle; } opened[DYNLIB_MAX];

void *dynlib_open(const char *soname, const char *what, char *err, size_t errlen) {
  size_t i = 0;
  for (; i < DYNLIB_MAX && opened[i].soname != NULL; i++)
    if (strcmp(opened[i].soname, soname) == 0) return opened[i].handle;
  void *handle = i < DYNLIB_MAX ? dlopen(soname, RTLD_NOW | RTLD_LOCAL) : NULL;
  if (handle == NULL) {
    const char *why = i < DYNLIB_MAX ? dlerror() : NULL;
    snprintf(err, errlen, _("dynlib.cannot_open"), what, soname, why != NULL ? why : "too many libraries");
    return NULL;
  }
  opened[i].soname = soname;
  opened[i].handle = handle;
  return handle;
}

void *dynlib_symbol(void *handle, const char *soname, const char *symbol, char *err, size_t errlen) {
  void *address = dlsym(handle, symbol);
  if (address == NULL) snprintf(err, errlen, _("dynlib.no_symbol"), soname, symbol);
  return address;
}
