/*
** test_store_batch.c — store_batch_begin/end (host/store.c): a batch's
** conferences are all kept when it ends, a write the model refuses leaves it
** going, none is kept when a write inside it failed (later writes of that
** batch are refused), and ending without a batch or
** opening two is an error. A second connection sees nothing before the end.
** Events a batch holds back to write several at once (store_sqlite.c) are
** read back inside the batch, stored in the order they came, and a failure
** to write one is reported by a later call and loses the batch.
*/
#include "store.h"
#include "test_util.h"
#include "test_locales.h"

#include <sqlite3.h>
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

/* Appends entry N (a child every tenth, which changes the summary) to CONF. */
static int append_entry(store *st, model_conference *conf, int n) {
  char text[64];
  snprintf(text, sizeof text, n % 10 == 0 ? "Child %d Example" : "Worry %d", n);
  json_t *p = n % 10 == 0 ? json_pack("{ss}", "name", text)
                          : json_pack("{ss ss ss}", "column", "worried", "category", "past_harm",
                                      "text", text);
  int rc = store_append(st, conf, n % 10 == 0 ? "child.added" : "entry.mapped", p,
                        "Chair Example", NULL, 0, err, sizeof err);
  json_decref(p);
  return rc;
}

/* The result of SQL (one text) on the database at PATH, read with SQLite itself. */
static void sql_text(const char *path, const char *sql, char *out, size_t len) {
  sqlite3 *db;
  sqlite3_stmt *s;
  out[0] = '\0';
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_text(s, 0) != NULL)
      snprintf(out, len, "%s", (const char *)sqlite3_column_text(s, 0));
    else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      snprintf(out, len, "error %s", sqlite3_errmsg(db));
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
}

/*
** 75 events in one batch, more than one statement's worth, with summaries
** between: all read back inside the batch, kept in order, chains sound.
*/
static void test_held_events(const char *path, store *st, store *other, int before) {
  model_conference *conf, *loaded;
  CHECK(store_batch_begin(st, err, sizeof err) == 0);
  CHECK(store_create_conference(st, "sefton", "review", "2026-07-01", "Chair Example", &conf,
                                err, sizeof err) == 0);
  for (int n = 1; n <= 74; n++) CHECK(append_entry(st, conf, n) == 0);
  CHECK(store_load(st, conf->id, &loaded, err, sizeof err) == 0);
  CHECK(loaded->n_events == 75);
  model_free(loaded);
  for (int n = 75; n <= 78; n++) CHECK(append_entry(st, conf, n) == 0);
  CHECK(store_batch_end(st, err, sizeof err) == 0);
  CHECK(conferences(other) == before + 1);
  CHECK(store_load(other, conf->id, &loaded, err, sizeof err) == 0);
  CHECK(loaded->n_events == 79);
  model_free(loaded);
  FILE *quiet = fopen("/dev/null", "w");
  CHECK(quiet != NULL && store_verify_one(other, conf->id, quiet, err, sizeof err) == 0);
  if (quiet != NULL) fclose(quiet);
  char sql[256], got[64];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM events a JOIN events b ON a.conference ="
           " b.conference AND a.rowid < b.rowid AND a.seq > b.seq WHERE a.conference = %s",
           conf->id);
  sql_text(path, sql, got, sizeof got);
  CHECK_STR(got, "0");   /* rowid order is seq order */
  snprintf(sql, sizeof sql, "SELECT group_concat(seq) FROM summaries WHERE conference = %s",
           conf->id);
  sql_text(path, sql, got, sizeof got);
  CHECK_STR(got, "1,11,21,31,41,51,61,71");
  model_free(conf);
}

/*
** An event held back that the database then refuses (a trigger here): the
** append said yes, a later call of the batch says why, nothing is kept.
*/
static void test_held_event_refused(const char *path, store *other, int before) {
  char got[256];
  sql_text(path, "CREATE TRIGGER refuse_worry_3 BEFORE INSERT ON events"
                 " WHEN NEW.payload LIKE '%Worry 3\"%'"
                 " BEGIN SELECT RAISE(ABORT, 'Example refusal'); END", got, sizeof got);
  CHECK_STR(got, "");
  store *st;
  model_conference *conf;
  CHECK(store_open(path, &st, err, sizeof err) == 0);
  CHECK(store_batch_begin(st, err, sizeof err) == 0);
  CHECK(store_create_conference(st, "sefton", "review", "2026-07-02", "Chair Example", &conf,
                                err, sizeof err) == 0);
  for (int n = 1; n <= 9; n++) CHECK(append_entry(st, conf, n) == 0);
  CHECK(append_entry(st, conf, 10) == -1);   /* the child's summary writes the held events */
  CHECK(strstr(err, "Example refusal") != NULL);
  CHECK(store_batch_end(st, err, sizeof err) == -1);
  CHECK(strstr(err, "a write of the batch failed: nothing of it was kept") != NULL);
  CHECK(conferences(other) == before);
  /* At the batch's end: the last events are written by its commit. */
  model_free(conf);
  CHECK(store_batch_begin(st, err, sizeof err) == 0);
  CHECK(store_create_conference(st, "sefton", "review", "2026-07-03", "Chair Example", &conf,
                                err, sizeof err) == 0);
  for (int n = 1; n <= 3; n++) CHECK(append_entry(st, conf, n) == 0);
  CHECK(store_batch_end(st, err, sizeof err) == -1);
  CHECK(strstr(err, "Example refusal") != NULL);
  CHECK(conferences(other) == before);
  model_free(conf);
  /* Without a batch the append itself is refused. */
  CHECK(store_create_conference(st, "sefton", "review", "2026-07-04", "Chair Example", &conf,
                                err, sizeof err) == 0);
  for (int n = 1; n <= 2; n++) CHECK(append_entry(st, conf, n) == 0);
  CHECK(append_entry(st, conf, 3) == -1);
  CHECK(strstr(err, "Example refusal") != NULL);
  CHECK(conf->n_events == 3);
  model_free(conf);
  /* Written by a read: the read says why, and the batch is lost all the same. */
  CHECK(store_batch_begin(st, err, sizeof err) == 0);
  CHECK(store_create_conference(st, "sefton", "review", "2026-07-05", "Chair Example", &conf,
                                err, sizeof err) == 0);
  for (int n = 1; n <= 3; n++) CHECK(append_entry(st, conf, n) == 0);
  model_conference *loaded;
  CHECK(store_load(st, conf->id, &loaded, err, sizeof err) == -1);
  CHECK(strstr(err, "Example refusal") != NULL);
  CHECK(append_entry(st, conf, 4) == 0);
  CHECK(store_batch_end(st, err, sizeof err) == -1);
  CHECK(strstr(err, "a write of the batch failed: nothing of it was kept") != NULL);
  CHECK(conferences(other) == before + 1);   /* 2026-07-04's, written without a batch */
  model_free(conf);
  store_close(st);
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
  test_held_events(path, st, other, 4);
  store_close(st);
  test_held_event_refused(path, other, 5);
  store_close(other);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
  return TEST_SUMMARY();
}
