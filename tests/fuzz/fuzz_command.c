/*
** fuzz_command.c — libFuzzer target for the REPL's command parser
** (host/command.c): every line a chair might type, and many no chair would.
** A parse either fills the command or refuses with a one-line reason; both
** are checked here, so a parse that says yes with nothing in it is a bug.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "command.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  command cmd;
  char err[512];
  err[0] = '\0';
  /* The parser is given LEN and must not read past it, so no NUL is added. */
  if (command_parse((const char *)data, size, &cmd, err, sizeof err) == 0) {
    if (cmd.type == COMMAND_RECORD && (cmd.kind == NULL || cmd.payload == NULL)) abort();
    command_free(&cmd);
  } else if (err[0] == '\0' || memchr(err, '\n', strlen(err)) != NULL) {
    abort();  /* a refusal must say why, on one line */
  }
  return 0;
}
