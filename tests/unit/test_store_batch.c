/*
** test_store_batch.c — store_batch_begin/end (host/store.c): a batch's
** conferences are all kept when it ends, a write the model refuses leaves it
** going, none is kept when a write inside it failed (later writes of that
** batch are refused), and ending without a batch or
** opening two is an error. A second connection sees nothing before the end.
*/
#include "store.h"
#include "test_util.h"
#include "test_locales.h"

#include <stdlib.h>
#include <unistd.h>

static char err[1024];

/* The number of conferences ST lists. */
static int conferences(store *st) {
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  if (out == NULL || store_list(st, out, err, sizeof err) != 0) abort();
  fclose(out);
  int n = 0;
  for (const char *p = text; *p; p++) n += *p == '\n';
  free(text);
  return n;
}

/* A conference with one participant, inside whatever transaction is open. */
static int one_conference(store *st, const char *name) {
  model_conference *conf;
  if (store_create_conference(st, "worcestershire", "initial", "2026-03-03", "Chair Example", &conf,
                              err, sizeof err) != 0)
    return -1;
  json_t *p = json_pack("{ss ss ss}", "name", name, "role", "mother", "agency", "family");
  int rc = store_append(st, conf, "person.added", p, "Chair Example", NULL, 0, err, sizeof err);
  json_decref(p);
  model_free(conf);
  return rc;
}

int main(void) {
  if (test_load_locales() != 0) return 1;
  char dir[] = "/tmp/confer-batch-XXXXXX", path[64];
  if (mkdtemp(dir) == NULL) return 1;
  snprintf(path, sizeof path, "%s/confer.db", dir);
  store *st, *other;
  CHECK(store_open(path, &st, err, sizeof err) == 0);
  CHECK(store_open(path, &other, err, sizeof err) == 0);

  /* Two conferences in one batch: invisible to another connection until the end. */
  CHECK(store_batch_begin(st, err, sizeof err) == 0);
  CHECK(store_batch_begin(st, err, sizeof err) == -1);
  CHECK(strstr(err, "a batch is already open") != NULL);
  CHECK(one_conference(st, "Siân Example") == 0);
  CHECK(one_conference(st, "Zoë Example") == 0);
  CHECK(conferences(other) == 0);
  CHECK(store_batch_end(st, err, sizeof err) == 0);
  CHECK(conferences(other) == 2);
  FILE *quiet = fopen("/dev/null", "w");
  CHECK(quiet != NULL && store_verify(other, quiet, err, sizeof err) == 0);
  if (quiet != NULL) fclose(quiet);

  /* A write the model refuses writes nothing: the batch goes on. */
  CHECK(store_batch_begin(st, err, sizeof err) == 0);
  CHECK(one_conference(st, "iro") == -1);   /* "iro" is the chair's scale, nobody's name */
  CHECK(store_batch_end(st, err, sizeof err) == 0);
  CHECK(conferences(other) == 3);

  /* A write that fails inside the transaction loses the batch; later writes say why. */
  model_conference *fresh, *stale;
  json_t *p = json_pack("{ss ss ss}", "name", "Rhys Example", "role", "father", "agency", "family");
  CHECK(store_batch_begin(st, err, sizeof err) == 0);
  CHECK(store_create_conference(st, "sefton", "review", "2026-06-03", "Chair Example", &fresh,
                                err, sizeof err) == 0);
  CHECK(store_load(st, fresh->id, &stale, err, sizeof err) == 0);
  CHECK(store_append(st, fresh, "person.added", p, "Chair Example", NULL, 0, err, sizeof err) == 0);
  CHECK(store_append(st, stale, "person.added", p, "Chair Example", NULL, 0, err, sizeof err) == -1);
  CHECK(strstr(err, "was changed by another confer process") != NULL);
  CHECK(one_conference(st, "Łukasz Example") == -1);
  CHECK(strstr(err, "an earlier write of this batch failed and it was rolled back") != NULL);
  CHECK(store_batch_end(st, err, sizeof err) == -1);
  CHECK(strstr(err, "a write of the batch failed: nothing of it was kept") != NULL);
  CHECK(conferences(other) == 3);
  CHECK(store_batch_end(st, err, sizeof err) == -1);
  CHECK(strstr(err, "no batch is open") != NULL);
  json_decref(p);
  model_free(fresh);
  model_free(stale);

  /* Without a batch each write commits at once again. */
  CHECK(one_conference(st, "Rhys Example") == 0);
  CHECK(conferences(other) == 4);
  store_close(other);
  store_close(st);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
  return TEST_SUMMARY();
}
