/*
** dynlib.c — optional libraries opened on first use (see dynlib.h).
*/
#include "dynlib.h"
#include "i18n.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

/* The libraries opened so far: few (libpq, libmicrohttpd, libedit), so a short list. */
#define DYNLIB_MAX 8
static struct {
  const char *soname;
  void *handle;
  int resolved;   /* dynlib_load filled its table */
} opened[DYNLIB_MAX];

void *dynlib_open(const char *soname, const char *what, char *err, size_t errlen) {
  size_t i = 0;
  for (; i < DYNLIB_MAX && opened[i].soname != NULL; i++)
    if (strcmp(opened[i].soname, soname) == 0) return opened[i].handle;
  void *handle = i < DYNLIB_MAX ? dlopen(soname, RTLD_NOW | RTLD_LOCAL) : NULL;
  if (handle == NULL) {
    const char *why = i < DYNLIB_MAX ? dlerror() : NULL;
    snprintf(err, errlen, _("dynlib.cannot_open"), what, soname, why != NULL ? why : _("dynlib.too_many"));
    return NULL;
  }
  opened[i].soname = soname;
  opened[i].handle = handle;
  return handle;
}

int dynlib_load(const char *soname, const char *what, const char *const *names, void **const *slots,
                size_t n, char *err, size_t errlen) {
  void *handle = dynlib_open(soname, what, err, errlen);
  if (handle == NULL) return -1;
  size_t at = 0;
  while (opened[at].handle != handle) at++;   /* dynlib_open has just listed it */
  if (opened[at].resolved) return 0;
  for (size_t i = 0; i < n; i++)
    if ((*slots[i] = dlsym(handle, names[i])) == NULL) {
      snprintf(err, errlen, _("dynlib.no_symbol"), soname, names[i]);
      return -1;
    }
  opened[at].resolved = 1;
  return 0;
}
