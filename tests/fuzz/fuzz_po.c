/*
** fuzz_po.c — libFuzzer target for the PO reader (host/po.c), which reads the
** catalogues plugin directories bring as well as the shipped ones. A read
** either hands on messages whose texts are NUL-free UTF-8 with at least one
** form, or stops with one line that names the file.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "po.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check_message(void *ctx, const po_message *m) {
  (void)ctx;
  if (m->msgid == NULL || m->nforms < 1 || m->nforms > PO_MAX_FORMS) abort();
  if (m->msgid_plural == NULL && m->nforms != 1) abort();
  for (int i = 0; i < m->nforms; i++)
    if (m->msgstr[i] == NULL) abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/confer-fuzz-po-%ld.po", (long)getpid());
  FILE *f = fopen(path, "wb");
  if (f == NULL) return 0;
  size_t written = fwrite(data, 1, size, f);
  if (fclose(f) != 0 || written != size) return 0;
  char err[512];
  err[0] = '\0';
  int status = po_read(path, check_message, NULL, err, sizeof err);
  if (status != 0 && (status != -1 || strncmp(err, path, strlen(path)) != 0 || strchr(err, '\n') != NULL))
    abort();
  unlink(path);
  return 0;
}
