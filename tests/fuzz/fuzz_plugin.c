/*
** fuzz_plugin.c — libFuzzer target for the plugin loader: the input is an
** authority's agenda (Lua source), written to a file and checked as
** `confer plugins check FILE` does, in the sandbox with the contract check.
** Whatever the source does, the host must report problems and carry on.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "agenda.h"
#include "i18n.h"
#include "paths.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char plugin_dir[] = "/tmp/confer-fuzz-plugin.XXXXXX";
static char plugin_file[4096];

/* Leaves no trace in /tmp. */
static void clean_up(void) {
  unlink(plugin_file);
  rmdir(plugin_dir);
}

/* Loads the catalogues once and makes the private directory the plugin is written to. */
static int set_up(void) {
  char locales[4096], err[512];
  if (paths_join(locales, sizeof locales, paths_data_dir(), "locales") == NULL ||
      i18n_init(locales, "en_GB", err, sizeof err) != 0) {
    fprintf(stderr, "fuzz_plugin: %s\n", err);
    return -1;
  }
  if (mkdtemp(plugin_dir) == NULL) return -1;
  snprintf(plugin_file, sizeof plugin_file, "%s/fuzzed.lua", plugin_dir);
  return atexit(clean_up);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int ready;
  if (!ready) {
    if (set_up() != 0) abort();
    ready = 1;
  }
  FILE *f = fopen(plugin_file, "wb");
  if (f == NULL) abort();
  if (fwrite(data, 1, size, f) != size || fclose(f) != 0) abort();
  FILE *out = fopen("/dev/null", "w");
  if (out == NULL) abort();
  int problems = agenda_check(plugin_file, out);
  fclose(out);
  if (problems < 0) abort();
  return 0;
}
