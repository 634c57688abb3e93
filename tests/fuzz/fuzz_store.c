/*
** fuzz_store.c — libFuzzer target for the store's read path: the input is
** the bytes of a database file (a chair's laptop may hand over anything),
** opened and then listed, verified and each conference loaded. Every call
** must return a result or a one-line error, never crash or leak.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "model.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char db_dir[] = "/tmp/confer-fuzz-store.XXXXXX";
static char db_file[4096];

/* Removes the database and whatever SQLite left beside it. */
static void remove_database(void) {
  char side[4200];
  unlink(db_file);
  snprintf(side, sizeof side, "%s-wal", db_file);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", db_file);
  unlink(side);
  snprintf(side, sizeof side, "%s-journal", db_file);
  unlink(side);
}

/* Loads conferences 1..4 (ids are small integers) whatever their state. */
static void load_some(store *st) {
  for (int id = 1; id <= 4; id++) {
    char name[8], err[512];
    model_conference *conf = NULL;
    snprintf(name, sizeof name, "%d", id);
    if (store_load(st, name, &conf, err, sizeof err) == 0) model_free(conf);
  }
}

/* Leaves no trace in /tmp. */
static void clean_up(void) {
  remove_database();
  rmdir(db_dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (db_file[0] == '\0') {
    if (mkdtemp(db_dir) == NULL) abort();
    snprintf(db_file, sizeof db_file, "%s/fuzzed.db", db_dir);
    if (atexit(clean_up) != 0) abort();
  }
  remove_database();
  FILE *f = fopen(db_file, "wb");
  if (f == NULL) abort();
  if (fwrite(data, 1, size, f) != size || fclose(f) != 0) abort();
  store *st = NULL;
  char err[512];
  if (store_open(db_file, &st, err, sizeof err) == 0) {
    FILE *out = fopen("/dev/null", "w");
    if (out == NULL) abort();
    store_list(st, out, err, sizeof err);
    store_verify(st, out, err, sizeof err);
    fclose(out);
    load_some(st);
    store_close(st);
  }
  remove_database();
  return 0;
}
