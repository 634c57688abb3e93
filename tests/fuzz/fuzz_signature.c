/*
** fuzz_signature.c — libFuzzer target for the native call signature parser
** (host/native.c), which reads the C declarations of the allow-list and of
** native.bind. A parsed signature must be self-consistent; a refusal must
** say why on one line.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "native.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *decl = malloc(size + 1);
  if (decl == NULL) return 0;
  memcpy(decl, data, size);
  decl[size] = '\0';
  native_signature sig;
  char err[512];
  err[0] = '\0';
  if (native_parse_signature(decl, &sig, err, sizeof err) == 0) {
    if (sig.nparams < 0 || sig.nparams > NATIVE_MAX_PARAMS) abort();
    if (memchr(sig.text, '\0', sizeof sig.text) == NULL || memchr(sig.name, '\0', sizeof sig.name) == NULL)
      abort();
    /* The normalised text must parse to the same signature (the allow-list compares texts). */
    native_signature again;
    if (native_parse_signature(sig.text, &again, err, sizeof err) != 0 ||
        strcmp(again.text, sig.text) != 0 || again.nparams != sig.nparams || again.ret != sig.ret)
      abort();
  } else if (err[0] == '\0' || strchr(err, '\n') != NULL) {
    abort();
  }
  free(decl);
  return 0;
}
