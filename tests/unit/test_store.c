/*
** test_store.c — unit tests of the durable record (host/store.c).
**
** Recording and replay (the replayed state equals the live one for every
** conference made here), the read tables behind list and child history,
** refusals that write nothing, the append-only triggers, tampering, files
** that are not ours (left byte-identical), migration from the v1 fixture,
** a full disk, kill -9 in the middle of a stream of writes, two writer
** processes on one database, sessions' claims and waiting for a change.
** Names are fictional ("... Example").
**
** With CONFER_TEST_PG set to a PostgreSQL server's URI (tests/pg/run_unit.sh
** starts a private one), every test that is not about a file (its bytes,
** mode, size limit or the SQLite v1 fixture) runs again on that server, each
** in a database of its own.
*/
#include "store.h"
#include "test_util.h"
#include "test_locales.h"

#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[64], err[1024];

/* DIR/NAME in a static buffer (one at a time is enough here). */
static const char *in_dir(const char *name) {
  static char path[2][256];
  static int turn;
  turn ^= 1;
  snprintf(path[turn], sizeof path[turn], "%s/%s", dir, name);
  return path[turn];
}

/* CONFER_TEST_PG: the server the tests run on; NULL runs them on SQLite files. */
static const char *pg_server;

static int is_pg(const char *location) {
  return strncmp(location, "postgresql://", 13) == 0;
}

/*
** The database of test NAME: the file DIR/NAME, or on the server a new
** database named after it (pg_server with its database part replaced).
*/
static const char *db_for(const char *name) {
  if (pg_server == NULL) return in_dir(name);
  static char uri[2][512];
  static int turn;
  turn ^= 1;
  char db[64];
  size_t n = 0;
  for (const char *p = name; *p != '\0' && n + 1 < sizeof db; p++)
    db[n++] = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ? *p : '_';
  db[n] = '\0';
  const char *path = strchr(pg_server + 13, '/');
  const char *query = path != NULL ? path + strcspn(path, "?") : "";
  snprintf(uri[turn], sizeof uri[turn], "%.*s/t_%s%s", (int)(path != NULL ? path - pg_server
           : (long)strlen(pg_server)), pg_server, db, query);
  char sql[128];
  snprintf(sql, sizeof sql, "CREATE DATABASE t_%s", db);
  PGconn *conn = PQconnectdb(pg_server);
  PGresult *res = PQstatus(conn) == CONNECTION_OK ? PQexec(conn, sql) : NULL;
  if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
    fprintf(stderr, "%s: %s", sql, PQerrorMessage(conn));
    abort();
  }
  PQclear(res);
  PQfinish(conn);
  return uri[turn];
}

/* Parses TEXT, written with ' for " to keep the tests readable. */
static json_t *payload_of(const char *text) {
  char *copy = strdup(text);
  if (copy == NULL) abort();
  for (char *p = copy; *p; p++)
    if (*p == '\'') *p = '"';
  json_error_t error;
  json_t *p = json_loads(copy, 0, &error);
  free(copy);
  if (p == NULL) {
    fprintf(stderr, "bad test payload %s: %s\n", text, error.text);
    abort();
  }
  return p;
}

static int append(store *st, model_conference *conf, const char *kind, const char *payload) {
  json_t *p = payload_of(payload);
  char id[16];
  err[0] = '\0';
  int rc = store_append(st, conf, kind, p, "Siân Example", id, sizeof id, err, sizeof err);
  json_decref(p);
  return rc;
}

/* Appends an event that must be recorded. */
static void append_ok(store *st, model_conference *conf, const char *kind, const char *payload) {
  int rc = append(st, conf, kind, payload);
  if (rc != 0) fprintf(stderr, "refused %s %s: %s\n", kind, payload, err);
  CHECK(rc == 0);
}

static char *dump(const model_conference *conf) {
  json_t *j = model_to_json(conf);
  char *s = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
  json_decref(j);
  if (s == NULL) abort();
  return s;
}

/* Checks that replaying CONF's events from ST gives exactly the state held in memory. */
static void check_replay(store *st, const model_conference *conf) {
  model_conference *again = NULL;
  CHECK(store_load(st, conf->id, &again, err, sizeof err) == 0);
  if (again == NULL) return;
  char *live = dump(conf), *replayed = dump(again);
  CHECK_STR(replayed, live);
  CHECK(again->n_events == conf->n_events);
  for (size_t i = 0; i < conf->n_events && i < again->n_events; i++) {
    CHECK_STR(again->events[i].time, conf->events[i].time);
    CHECK_STR(again->events[i].actor, conf->events[i].actor);
  }
  free(live);
  free(replayed);
  model_free(again);
}

/* Runs FN(ST, OUT) into a string (caller frees); *RC gets its result. */
static char *capture(store *st, int (*fn)(store *, FILE *, char *, size_t), int *rc) {
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  if (out == NULL) abort();
  *rc = fn(st, out, err, sizeof err);
  fclose(out);
  return text;
}

/* Runs SQL on the server's database URI: its first value as a number, or -1. */
static long long pg_count(const char *uri, const char *sql) {
  PGconn *conn = PQconnectdb(uri);
  PGresult *res = PQstatus(conn) == CONNECTION_OK ? PQexec(conn, sql) : NULL;
  long long n = res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1
                ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : -1;
  PQclear(res);
  PQfinish(conn);
  return n;
}

static long long count_rows(const char *path, const char *sql) {
  if (is_pg(path)) return pg_count(path, sql);
  sqlite3 *db;
  sqlite3_stmt *s;
  long long n = -1;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
    if (sqlite3_step(s) == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
  return n;
}

/* Runs SQL on PATH with a plain connection; returns the SQLite message ("" when it worked). */
static const char *raw_sql(const char *path, const char *sql) {
  static char message[256];
  sqlite3 *db;
  char *msg = NULL;
  message[0] = '\0';
  if (is_pg(path)) {
    PGconn *conn = PQconnectdb(path);
    PGresult *res = PQstatus(conn) == CONNECTION_OK ? PQexec(conn, sql) : NULL;
    ExecStatusType status = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    const char *primary = res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
      snprintf(message, sizeof message, "%s", primary != NULL ? primary : PQerrorMessage(conn));
    PQclear(res);
    PQfinish(conn);
    return message;
  }
  if (sqlite3_open(path, &db) != SQLITE_OK) abort();
  if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
    snprintf(message, sizeof message, "%s", msg ? msg : "error");
  sqlite3_free(msg);
  sqlite3_close(db);
  return message;
}

/* The whole file at PATH (caller frees); *LEN its size. */
static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  char *data = NULL;
  size_t cap = 0;
  *len = 0;
  for (;;) {
    if (*len == cap && (data = realloc(data, cap = cap * 2 + 4096)) == NULL) abort();
    size_t n = fread(data + *len, 1, cap - *len, f);
    if (n == 0) break;
    *len += n;
  }
  fclose(f);
  return data;
}

/* Opens PATH expecting the one-line error WANT, and the file left byte for byte as it was. */
static void check_refused(const char *path, const char *want, size_t prefix) {
  size_t before_len, after_len;
  char *before = slurp(path, &before_len);
  store *st = NULL;
  CHECK(store_open(path, &st, err, sizeof err) == -1);
  CHECK(st == NULL);
  if (prefix == 0) CHECK_STR(err, want);
  else if (strncmp(err, want, prefix) != 0) CHECK_STR(err, want);
  CHECK(strchr(err, '\n') == NULL);
  char *after = slurp(path, &after_len);
  CHECK(before != NULL && after != NULL && before_len == after_len &&
        memcmp(before, after, before_len) == 0);
  char wal[300];
  snprintf(wal, sizeof wal, "%s-wal", path);
  CHECK(access(wal, F_OK) != 0);
  free(before);
  free(after);
}

/* ------------------------------------------------------------- the tests */

/* A conference with something of every common kind, an undo, then closed. */
static model_conference *record_sample(store *st, const char *date) {
  model_conference *conf = NULL;
  CHECK(store_create_conference(st, "worcestershire", "initial", date, "Siân Example", &conf,
                                err, sizeof err) == 0);
  if (conf == NULL) abort();
  append_ok(st, conf, "child.added", "{'name':'Zoë Example','dob':'2016-02-29'}");
  append_ok(st, conf, "person.added", "{'name':'Ann Example','role':'mother','agency':'family'}");
  append_ok(st, conf, "entry.mapped", "{'column':'worried','category':'past_harm',"
                                      "'text':'Bruise seen on arm','kind':'observation'}");
  append_ok(st, conf, "entry.mapped", "{'column':'working_well','category':'strengths',"
                                      "'text':'Attends school'}");
  append_ok(st, conf, "child.added", "{'name':'Kit Example'}");
  append_ok(st, conf, "event.undone", "{'seq':6}");
  append_ok(st, conf, "scale.given", "{'who':'Ann Example','score':4}");
  append_ok(st, conf, "scale.given", "{'who':'iro','score':3,'why':'Early days'}");
  append_ok(st, conf, "scale.given", "{'who':'Ann Example','score':5}");
  append_ok(st, conf, "action.added", "{'text':'Health visit','owner':'Ann Example',"
                                      "'due':'2026-09-01','worries':['W1']}");
  check_replay(st, conf);
  return conf;
}

/* Replaces the time field (the second) of every history line with T. */
static void blank_times(char *text) {
  for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
    char *t = strstr(line, "  ");
    if (t == NULL) continue;
    t += 2;
    char *end = strstr(t, "  ");
    if (end == NULL || end - t != 24) continue;
    t[0] = 'T';
    memmove(t + 1, end, strlen(end) + 1);
  }
}

/*
** Run first, before anything else in this process starts SQLite: the first
** store_open turns SQLite's memory statistics off (they cost a global mutex
** per allocation), so the bytes a busy connection holds go uncounted.
*/
static void test_memory_statistics_off(void) {
  store *st = NULL;
  CHECK(store_open(":memory:", &st, err, sizeof err) == 0);
  if (st == NULL) return;
  model_conference *one = record_sample(st, "2026-03-03");
  CHECK(sqlite3_memory_used() == 0);
  model_free(one);
  store_close(st);
}

static void test_record_and_read(void) {
  char sub[256];
  snprintf(sub, sizeof sub, "%s", db_for("private/deeper/confer.db"));
  store *st = NULL;
  CHECK(store_open(sub, &st, err, sizeof err) == 0);
  if (st == NULL) return;
  struct stat sb;
  if (pg_server == NULL) {   /* the file's and its directories' modes */
    CHECK(stat(sub, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    CHECK(stat(in_dir("private/deeper"), &sb) == 0 && (sb.st_mode & 0777) == 0700);
    CHECK(stat(in_dir("private"), &sb) == 0 && (sb.st_mode & 0777) == 0700);
  }

  model_conference *one = record_sample(st, "2026-03-03");
  CHECK_STR(one->id, "1");
  char wal[300], shm[300];
  snprintf(wal, sizeof wal, "%s-wal", sub);
  snprintf(shm, sizeof shm, "%s-shm", sub);
  if (pg_server == NULL) {
    CHECK(stat(wal, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    CHECK(stat(shm, &sb) == 0 && (sb.st_mode & 0777) == 0600);
  }
  check_replay(st, one);
  CHECK(one->n_events == 11);
  const model_event *first = &one->events[0];
  CHECK(strlen(first->time) == 24 && first->time[10] == 'T' && first->time[19] == '.' &&
        first->time[23] == 'Z');
  CHECK_STR(first->actor, "Siân Example");

  model_conference *two = NULL;
  CHECK(store_create_conference(st, "sefton", "review", "2026-06-03", "Rhys Example", &two,
                                err, sizeof err) == 0);
  CHECK_STR(two->id, "2");
  append_ok(st, two, "child.added", "{'name':'Zoë Example'}");
  append_ok(st, two, "scale.given", "{'who':'iro','score':6}");
  append_ok(st, two, "conference.closed", "{'at':'2026-06-03T12:00:00Z'}");
  check_replay(st, two);

  int rc;
  char *list = capture(st, store_list, &rc);
  CHECK(rc == 0);
  CHECK_STR(list, "1  worcestershire  initial  2026-03-03  Zoë Example  open\n"
                  "2  sefton  review  2026-06-03  Zoë Example  closed\n");
  free(list);

  char *text = NULL;
  size_t len;
  FILE *out = open_memstream(&text, &len);
  CHECK(store_history(st, "1", out, err, sizeof err) == 0);
  fclose(out);
  blank_times(text);
  CHECK_STR(text,
    "1  T  Siân Example  conference.opened  authority=worcestershire chair=Siân Example "
    "date=2026-03-03 id=1 type=initial\n"
    "2  T  Siân Example  child.added  C1 dob=2016-02-29 name=Zoë Example\n"
    "3  T  Siân Example  person.added  P1 agency=family name=Ann Example role=mother\n"
    "4  T  Siân Example  entry.mapped  W1 worried/past_harm kind=observation: Bruise seen on arm\n"
    "5  T  Siân Example  entry.mapped  G1 working_well/strengths: Attends school\n"
    "6  T  Siân Example  child.added  name=Kit Example (undone by 7)\n"
    "7  T  Siân Example  event.undone  seq=6\n"
    "8  T  Siân Example  scale.given  score=4 who=Ann Example\n"
    "9  T  Siân Example  scale.given  score=3 who=iro why=Early days\n"
    "10  T  Siân Example  scale.given  score=5 who=Ann Example\n"
    "11  T  Siân Example  action.added  A1 due=2026-09-01 owner=Ann Example worries=[\"W1\"]: "
    "Health visit\n");
  free(text);

  out = open_memstream(&text, &len);
  CHECK(store_child_history(st, "Zoë Example", out, err, sizeof err) == 0);
  fclose(out);
  CHECK_STR(text, "2026-03-03  conference 1  initial  worcestershire\n"
                  "  iro: 3  Early days\n"
                  "  Ann Example: 5\n"
                  "2026-06-03  conference 2  review  sefton  closed\n"
                  "  iro: 6\n");
  free(text);
  CHECK(store_child_history(st, "Kit Example", stdout, err, sizeof err) == -1);
  CHECK_STR(err, "no conference records a child named Kit Example");

  char *verify = capture(st, store_verify, &rc);
  CHECK(rc == 0);
  CHECK_STR(verify, "conference 1: chain sound, 11 events\nconference 2: chain sound, 4 events\n");
  free(verify);

  model_conference *none = NULL;
  CHECK(store_load(st, "3", &none, err, sizeof err) == -1 && none == NULL);
  CHECK_STR(err, "unknown conference 3");
  CHECK(store_load(st, "x1", &none, err, sizeof err) == -1);
  CHECK_STR(err, "unknown conference x1");
  model_free(one);
  model_free(two);
  store_close(st);

  /* Reopening finds it all again. */
  CHECK(store_open(sub, &st, err, sizeof err) == 0);
  list = capture(st, store_list, &rc);
  CHECK_STR(list, "1  worcestershire  initial  2026-03-03  Zoë Example  open\n"
                  "2  sefton  review  2026-06-03  Zoë Example  closed\n");
  free(list);
  store_close(st);
}

static void test_refusals_write_nothing(void) {
  const char *path = db_for("refusals.db");
  store *st = NULL;
  CHECK(store_open(path, &st, err, sizeof err) == 0);
  model_conference *conf = NULL;
  CHECK(store_create_conference(st, "surrey", "fortnightly", "2026-03-03", "Siân Example",
                                &conf, err, sizeof err) == -1);
  CHECK(conf == NULL);
  CHECK_STR(err, "conference.opened: \"type\" must be one of initial, review (got \"fortnightly\")");
  CHECK(count_rows(path, "SELECT count(*) FROM conferences") == 0);
  CHECK(store_create_conference(st, "surrey", "initial", "2026-03-03", "Siân Example", &conf,
                                err, sizeof err) == 0);
  CHECK_STR(conf->id, "1");
  CHECK(append(st, conf, "action.added", "{'text':'Visit','owner':'Nobody Example',"
                                         "'due':'2026-04-01','worries':['W9']}") == -1);
  CHECK(err[0] != '\0');
  CHECK(append(st, conf, "no.such.kind", "{}") == -1);
  /* The actor is printed by history: no escape sequence may reach a terminal through it. */
  json_t *p = payload_of("{'text':'Example danger'}");
  CHECK(store_append(st, conf, "danger.added", p, "Ann\033[2JExample", NULL, 0, err,
                     sizeof err) == -1);
  CHECK_STR(err, "\"actor\" contains a control character");
  CHECK(store_append(st, conf, "danger.added", p, "Ann \377Example", NULL, 0, err,
                     sizeof err) == -1);
  CHECK_STR(err, "\"actor\" is not valid UTF-8");
  json_decref(p);
  CHECK(conf->n_events == 1);
  CHECK(count_rows(path, "SELECT count(*) FROM events") == 1);
  check_replay(st, conf);
  model_free(conf);
  store_close(st);
}

/* What a listener heard: "KIND PAYLOAD" lines. */
static void hear(void *ud, const char *kind, const char *payload_text) {
  char *heard = ud;
  size_t used = strlen(heard);
  snprintf(heard + used, 1024 - used, "%s %s\n", kind, payload_text);
}

/* The listener hears each event written, as stored (keys sorted), and nothing refused or after store_listen(NULL). */
static void test_listener(void) {
  store *st = NULL;
  CHECK(store_open(db_for("listener.db"), &st, err, sizeof err) == 0);
  char heard[1024] = "";
  store_listen(st, hear, heard);
  model_conference *conf = NULL;
  CHECK(store_create_conference(st, "surrey", "initial", "2026-03-03", "Siân Example", &conf,
                                err, sizeof err) == 0);
  CHECK(append(st, conf, "person.added", "{'role':'mother','name':'Zoë Example','agency':'family'}") == 0);
  CHECK(append(st, conf, "no.such.kind", "{}") == -1);
  store_listen(st, NULL, NULL);
  CHECK(append(st, conf, "person.added", "{'name':'Ann Example','role':'father','agency':'family'}") == 0);
  char expected[512];
  snprintf(expected, sizeof expected,
           "conference.opened {\"authority\":\"surrey\",\"chair\":\"Siân Example\","
           "\"date\":\"2026-03-03\",\"id\":\"%s\",\"type\":\"initial\"}\n"
           "person.added {\"agency\":\"family\",\"name\":\"Zoë Example\",\"role\":\"mother\"}\n",
           conf->id);
  CHECK_STR(heard, expected);
  model_free(conf);
  store_close(st);
}

/* Two connections stand for two processes here; the process case is in test_two_writers. */
static void test_stale_copy_refused(void) {
  const char *path = db_for("stale.db");
  store *a = NULL, *b = NULL;
  CHECK(store_open(path, &a, err, sizeof err) == 0);
  CHECK(store_open(path, &b, err, sizeof err) == 0);
  if (a == NULL || b == NULL) return;
  model_conference *ca = NULL, *cb = NULL;
  CHECK(store_create_conference(a, "cumbria", "initial", "2026-03-03", "Siân Example", &ca,
                                err, sizeof err) == 0);
  CHECK(store_load(b, "1", &cb, err, sizeof err) == 0);
  append_ok(a, ca, "child.added", "{'name':'Zoë Example'}");
  CHECK(append(b, cb, "child.added", "{'name':'Kit Example'}") == -1);
  CHECK_STR(err, "conference 1 was changed by another confer process (it has 2 events, this "
                 "copy 1); nothing recorded: reload it");
  CHECK(cb->n_events == 1);
  model_free(cb);
  CHECK(store_load(b, "1", &cb, err, sizeof err) == 0);
  append_ok(b, cb, "child.added", "{'name':'Kit Example'}");
  CHECK(count_rows(path, "SELECT count(*) FROM events") == 3);
  check_replay(a, cb);
  model_free(ca);
  model_free(cb);
  store_close(a);
  store_close(b);
}

static void test_append_only_and_tampering(void) {
  const char *path = db_for("tamper.db");
  store *st = NULL;
  CHECK(store_open(path, &st, err, sizeof err) == 0);
  model_conference *conf = record_sample(st, "2026-03-03");
  model_conference *other = record_sample(st, "2026-04-03");
  store_close(st);
  CHECK_STR(raw_sql(path, "UPDATE events SET payload = '{}' WHERE seq = 3"),
            "events are append-only");
  CHECK_STR(raw_sql(path, "DELETE FROM events WHERE seq = 11"), "events are append-only");
  CHECK_STR(raw_sql(path, "DELETE FROM conferences"), "conferences are append-only");
  CHECK_STR(raw_sql(path, "UPDATE summaries SET closed = 1"), "summaries are append-only");
  CHECK_STR(raw_sql(path, "INSERT INTO events SELECT * FROM events WHERE seq = 2"),
            pg_server == NULL ? "UNIQUE constraint failed: events.conference, events.seq"
            : "duplicate key value violates unique constraint \"events_conference_seq_key\"");

  CHECK(store_open(path, &st, err, sizeof err) == 0);
  int rc;
  char *text = capture(st, store_verify, &rc);
  CHECK(rc == 0);
  free(text);
  store_close(st);

  CHECK_STR(raw_sql(path, pg_server == NULL
                          ? "DROP TRIGGER events_no_update; UPDATE events SET payload ="
                            " replace(payload, 'Bruise', 'Mark') WHERE conference = 2 AND seq = 4"
                          : "ALTER TABLE events DISABLE TRIGGER events_append_only;"
                            " UPDATE events SET payload ="
                            " replace(payload, 'Bruise', 'Mark') WHERE conference = 2 AND seq = 4"),
            "");
  CHECK(store_open(path, &st, err, sizeof err) == 0);
  text = capture(st, store_verify, &rc);
  CHECK(rc == 1);
  CHECK_STR(text, "conference 1: chain sound, 11 events\n"
                  "conference 2: broken at event 4 (its hash does not match its contents or "
                  "the event before it)\n");
  free(text);
  text = NULL;
  size_t len;
  FILE *out = open_memstream(&text, &len);
  CHECK(store_verify_one(st, "1", out, err, sizeof err) == 0);
  CHECK(store_verify_one(st, "2", out, err, sizeof err) == 1);
  CHECK(store_verify_one(st, "7", out, err, sizeof err) == -1);
  fclose(out);
  CHECK_STR(err, "unknown conference 7");
  free(text);
  /* Loaded with its chain checked in the same read: verify's line, the conference all the same. */
  char broken[STORE_VERIFY_LINE_MAX] = "unset";
  model_conference *loaded = NULL;
  CHECK(store_load_checked(st, "1", &loaded, broken, sizeof broken, err, sizeof err) == 0);
  CHECK_STR(broken, "");
  CHECK(loaded != NULL && loaded->n_events == 11);
  model_free(loaded);
  CHECK(store_load_checked(st, "2", &loaded, broken, sizeof broken, err, sizeof err) == 1);
  CHECK_STR(broken, "conference 2: broken at event 4 (its hash does not match its contents or "
                    "the event before it)");
  CHECK(loaded != NULL && loaded->n_events == 11);
  model_free(loaded);
  CHECK(store_load_checked(st, "7", &loaded, broken, sizeof broken, err, sizeof err) == -1);
  CHECK_STR(err, "unknown conference 7");
  CHECK(loaded == NULL);
  store_close(st);
  model_free(conf);
  model_free(other);
}

/* The SQLite magic: its 16 bytes, its zero included, and no fewer. */
static void test_sqlite_magic(void) {
  static const char database[] = "SQLite format 3\0\x10\x00";
  CHECK(store_has_sqlite_magic(database, sizeof database - 1) == 1);
  CHECK(store_has_sqlite_magic(database, 16) == 1);
  CHECK(store_has_sqlite_magic(database, 15) == 0);
  CHECK(store_has_sqlite_magic("SQLite format 3X", 16) == 0);
  CHECK(store_has_sqlite_magic("SQLite format 2\0", 16) == 0);
}

static void test_files_not_ours(void) {
  const char *text = in_dir("notes.txt");
  FILE *f = fopen(text, "w");
  fputs("Minutes of a meeting that is not a database.\n", f);
  fclose(f);
  char want[512];
  snprintf(want, sizeof want, "%s: not a confer database", text);
  check_refused(text, want, 0);

  const char *foreign = in_dir("foreign.db");
  CHECK_STR(raw_sql(foreign, "CREATE TABLE recipes (name TEXT); INSERT INTO recipes"
                             " VALUES ('soup')"), "");
  snprintf(want, sizeof want, "%s: not a confer database", foreign);
  check_refused(foreign, want, 0);

  const char *newer = in_dir("newer.db");
  store *st = NULL;
  CHECK(store_open(newer, &st, err, sizeof err) == 0);
  store_close(st);
  CHECK_STR(raw_sql(newer, "PRAGMA journal_mode = DELETE; PRAGMA user_version = 9"), "");
  snprintf(want, sizeof want, "%s: made by a newer confer (schema 9; this binary knows 3)", newer);
  check_refused(newer, want, 0);

  /* A database with events whose pages are then overwritten. */
  const char *corrupt = in_dir("corrupt.db");
  CHECK(store_open(corrupt, &st, err, sizeof err) == 0);
  model_conference *conf = record_sample(st, "2026-03-03");
  model_free(conf);
  store_close(st);
  CHECK_STR(raw_sql(corrupt, "PRAGMA journal_mode = DELETE"), "");
  int fd = open(corrupt, O_WRONLY);
  char junk[2048];
  memset(junk, 0x5a, sizeof junk);
  CHECK(pwrite(fd, junk, sizeof junk, 4096 + 8) == (ssize_t)sizeof junk);
  close(fd);
  snprintf(want, sizeof want, "%s: database is corrupt (", corrupt);
  check_refused(corrupt, want, strlen(want));

  const char *empty = in_dir("empty.db");
  fd = open(empty, O_WRONLY | O_CREAT, 0600);
  close(fd);
  CHECK(store_open(empty, &st, err, sizeof err) == 0);
  CHECK(count_rows(empty, "PRAGMA user_version") == 3);
  store_close(st);
}

/* Opening a file the user may not write is refused up front; as root, the test drops to nobody. */
static void test_read_only(void) {
  const char *path = in_dir("readonly.db");
  store *st = NULL;
  CHECK(store_open(path, &st, err, sizeof err) == 0);
  model_conference *conf = record_sample(st, "2026-03-03");
  model_free(conf);
  store_close(st);
  CHECK(chmod(path, 0444) == 0 && chmod(dir, 0755) == 0);
  size_t before_len, after_len;
  char *before = slurp(path, &before_len);
  int pipefd[2];
  CHECK(pipe(pipefd) == 0);
  pid_t pid = fork();
  if (pid == 0) {
    close(pipefd[0]);
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(3);
    store *ro = NULL;
    int rc = store_open(path, &ro, err, sizeof err);
    if (write(pipefd[1], err, strlen(err)) < 0) _exit(4);
    store_close(ro);
    _exit(rc == -1 ? 0 : 1);
  }
  close(pipefd[1]);
  char message[1024] = "";
  ssize_t n = read(pipefd[0], message, sizeof message - 1);
  message[n > 0 ? n : 0] = '\0';
  close(pipefd[0]);
  int status;
  waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  char want[512];
  snprintf(want, sizeof want, "%s: cannot write the database (Permission denied)", path);
  CHECK_STR(message, want);
  char *after = slurp(path, &after_len);
  CHECK(before_len == after_len && memcmp(before, after, before_len) == 0);
  free(before);
  free(after);
  CHECK(chmod(path, 0600) == 0 && chmod(dir, 0700) == 0);
  CHECK(store_open(path, &st, err, sizeof err) == 0);
  int rc;
  char *text = capture(st, store_verify, &rc);
  CHECK(rc == 0);
  free(text);
  store_close(st);
}

static void test_migration_from_v1(void) {
  const char *path = in_dir("v1.db");
  size_t len;
  char *fixture = slurp(CONFER_SOURCE_DIR "/tests/store/fixtures/v1.db", &len);
  CHECK(fixture != NULL);
  if (fixture == NULL) return;
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL && fwrite(fixture, 1, len, f) == len);
  fclose(f);
  free(fixture);
  CHECK(count_rows(path, "PRAGMA user_version") == 1);

  store *st = NULL;
  CHECK(store_open(path, &st, err, sizeof err) == 0);
  if (st == NULL) return;
  CHECK(count_rows(path, "PRAGMA user_version") == 3);
  CHECK(count_rows(path, "SELECT count(*) FROM events") == 9);
  CHECK(count_rows(path, "SELECT count(*) FROM summaries") == 2);
  int rc;
  char *text = capture(st, store_list, &rc);
  CHECK_STR(text, "1  worcestershire  initial  2025-09-01  Zoë Example  closed\n"
                  "2  worcestershire  review  2025-12-01  Zoë Example  open\n");
  free(text);
  text = capture(st, store_verify, &rc);
  CHECK(rc == 0);
  CHECK_STR(text, "conference 1: chain sound, 6 events\nconference 2: chain sound, 3 events\n");
  free(text);
  model_conference *conf = NULL;
  CHECK(store_load(st, "2", &conf, err, sizeof err) == 0);
  append_ok(st, conf, "child.added", "{'name':'Kit Example'}");
  check_replay(st, conf);
  model_free(conf);
  text = capture(st, store_list, &rc);
  CHECK_STR(text, "1  worcestershire  initial  2025-09-01  Zoë Example  closed\n"
                  "2  worcestershire  review  2025-12-01  Zoë Example, Kit Example  open\n");
  free(text);
  text = capture(st, store_verify, &rc);
  CHECK(rc == 0);
  free(text);
  store_close(st);
}

/* ------------------------------------------------- processes and crashes */

/*
** In a child: appends entries to conference ID until it fails, COUNT are
** written or SECONDS have passed, writing each acknowledged seq as a line to FD after store_append
** returns, and the error (prefixed "E ") when it stops on one.
*/
static void write_stream(const char *path, const char *id, int fd, long count, int reload,
                         int seconds) {
  time_t deadline = time(NULL) + seconds;
  srand((unsigned)getpid());
  store *st = NULL;
  model_conference *conf = NULL;
  char line[1100];
  if (store_open(path, &st, err, sizeof err) != 0 || store_load(st, id, &conf, err, sizeof err))
    goto stop;
  for (long i = 0; i < count && time(NULL) < deadline; i++) {
    char payload[200];
    snprintf(payload, sizeof payload,
             "{'column':'worried','category':'harm','text':'Worry %ld from process %d'}", i,
             (int)getpid());
    if (append(st, conf, "entry.mapped", payload) != 0) {
      if (!reload || strstr(err, "changed by another") == NULL) goto stop;
      if (write(fd, "R\n", 2) != 2) _exit(5);
      model_free(conf);
      if (store_load(st, id, &conf, err, sizeof err) != 0) goto stop;
      i--;
      continue;
    }
    int n = snprintf(line, sizeof line, "%zu\n", conf->n_events);
    if (write(fd, line, (size_t)n) != n) _exit(5);
    /*
    ** A (fast) human pace: SQLite's lock is not fair, and a writer committing
    ** back to back could otherwise keep the other waiting for the whole run.
    */
    struct timespec pause = {0, (long)(rand() % 2000) * 1000};
    nanosleep(&pause, NULL);
  }
  model_free(conf);
  store_close(st);
  _exit(0);
stop:
  snprintf(line, sizeof line, "E %s\n", err);
  if (write(fd, line, strlen(line)) < 0) _exit(5);
  model_free(conf);
  store_close(st);
  _exit(1);
}

/* Reads every line from FD until EOF into BUF. */
static void read_all(int fd, char *buf, size_t len) {
  size_t used = 0;
  ssize_t n;
  while (used + 1 < len && (n = read(fd, buf + used, len - 1 - used)) > 0) used += (size_t)n;
  buf[used] = '\0';
}

/* The acknowledged seqs in TEXT: how many, and the last. */
static long last_ack(const char *text, long *count) {
  long last = 0;
  *count = 0;
  for (const char *p = text; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
    if (*p >= '0' && *p <= '9') {
      last = strtol(p, NULL, 10);
      (*count)++;
    }
  }
  return last;
}

static long events_of(const char *path, const char *id) {
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE conference = %s", id);
  return (long)count_rows(path, sql);
}

static void check_sound(const char *path) {
  store *st = NULL;
  CHECK(store_open(path, &st, err, sizeof err) == 0);
  if (st == NULL) return;
  int rc;
  char *text = capture(st, store_verify, &rc);
  CHECK(rc == 0);
  if (rc != 0) fprintf(stderr, "%s", text);
  free(text);
  if (!is_pg(path))
    CHECK(count_rows(path, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check"
                           " != 'ok'") == 0);
  store_close(st);
}

/* Creates conference(s) in PATH with a child each; returns nothing, checks. */
static void create_conferences(const char *path, int n) {
  store *st = NULL;
  CHECK(store_open(path, &st, err, sizeof err) == 0);
  for (int i = 0; i < n; i++) {
    model_conference *conf = NULL;
    CHECK(store_create_conference(st, "north_yorkshire", "review", "2026-03-03",
                                  "Siân Example", &conf, err, sizeof err) == 0);
    model_free(conf);
  }
  store_close(st);
}

static void test_kill_nine(void) {
  const char *path = db_for("killed.db");
  create_conferences(path, 1);
  int pipefd[2];
  CHECK(pipe(pipefd) == 0);
  pid_t pid = fork();
  if (pid == 0) {
    close(pipefd[0]);
    write_stream(path, "1", pipefd[1], 100000, 0, 60);
  }
  close(pipefd[1]);
  /* Let it acknowledge a good number of events, then kill it mid-stream. */
  char buf[1 << 16];
  size_t used = 0;
  long count = 0;
  while (count < 40) {
    ssize_t n = read(pipefd[0], buf + used, sizeof buf - 1 - used);
    if (n <= 0) break;
    used += (size_t)n;
    buf[used] = '\0';
    last_ack(buf, &count);
  }
  kill(pid, SIGKILL);
  read_all(pipefd[0], buf + used, sizeof buf - used);
  close(pipefd[0]);
  int status;
  waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  long last = last_ack(buf, &count);
  CHECK(count >= 40 && last == count + 1);
  long stored = events_of(path, "1");
  /* Every acknowledged event is there; at most the one in flight more. */
  CHECK(stored == last || stored == last + 1);
  check_sound(path);
  store *st = NULL;
  model_conference *conf = NULL;
  CHECK(store_open(path, &st, err, sizeof err) == 0);
  CHECK(store_load(st, "1", &conf, err, sizeof err) == 0);
  CHECK(conf != NULL && (long)conf->n_events == stored);
  if (conf) append_ok(st, conf, "entry.mapped", "{'column':'worried','category':'harm',"
                                                "'text':'After the crash'}");
  model_free(conf);
  store_close(st);
}

/* Starts a child writing to conference ID for 2 s; its acks come on *FD. */
static pid_t start_writer(const char *path, const char *id, int reload, int *fd) {
  int pipefd[2];
  if (pipe(pipefd) != 0) abort();
  pid_t pid = fork();
  if (pid == 0) {
    close(pipefd[0]);
    write_stream(path, id, pipefd[1], 1000000, reload, 2);
  }
  close(pipefd[1]);
  *fd = pipefd[0];
  return pid;
}

static void test_two_writers(void) {
  const char *path = db_for("two.db");
  create_conferences(path, 3);
  int fa, fb;
  static char acks_a[1 << 20], acks_b[1 << 20];
  pid_t a = start_writer(path, "1", 0, &fa);
  pid_t b = start_writer(path, "2", 0, &fb);
  read_all(fa, acks_a, sizeof acks_a);
  read_all(fb, acks_b, sizeof acks_b);
  close(fa);
  close(fb);
  int sa, sb;
  waitpid(a, &sa, 0);
  waitpid(b, &sb, 0);
  CHECK(WIFEXITED(sa) && WEXITSTATUS(sa) == 0 && WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
  if (strstr(acks_a, "E ") || strstr(acks_b, "E ")) fprintf(stderr, "%s%s", acks_a, acks_b);
  long na, nb;
  long last_a = last_ack(acks_a, &na), last_b = last_ack(acks_b, &nb);
  CHECK(last_a == na + 1 && na > 0);
  CHECK(last_b == nb + 1 && nb > 0);
  if (last_a != na + 1 || last_b != nb + 1 || na <= 0 || nb <= 0)
    fprintf(stderr, "writer acks: %ld (last %ld), %ld (last %ld)\n", na, last_a, nb, last_b);
  CHECK(events_of(path, "1") == na + 1 && events_of(path, "2") == nb + 1);

  /* Both on conference 3: stale copies are refused, reloaded and retried; nothing is lost. */
  a = start_writer(path, "3", 1, &fa);
  b = start_writer(path, "3", 1, &fb);
  read_all(fa, acks_a, sizeof acks_a);
  read_all(fb, acks_b, sizeof acks_b);
  close(fa);
  close(fb);
  waitpid(a, &sa, 0);
  waitpid(b, &sb, 0);
  CHECK(WIFEXITED(sa) && WEXITSTATUS(sa) == 0 && WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
  last_ack(acks_a, &na);
  last_ack(acks_b, &nb);
  CHECK(na > 0 && nb > 0);
  /* Each refusal was clean: the writer reloaded and its next event went in. */
  CHECK(strstr(acks_a, "R\n") != NULL || strstr(acks_b, "R\n") != NULL);
  CHECK(events_of(path, "3") == na + nb + 1);
  /* Every seq from 2 on acknowledged exactly once, by one writer or the other. */
  char *seen = calloc((size_t)(na + nb + 2), 1);
  if (seen == NULL) abort();
  int duplicates = 0;
  for (int w = 0; w < 2; w++)
    for (const char *p = w ? acks_b : acks_a; *p; p = strchr(p, '\n') + 1) {
      if (*p == 'R') continue;
      long seq = strtol(p, NULL, 10);
      if (seq < 2 || seq > na + nb + 1 || seen[seq]++) duplicates++;
    }
  free(seen);
  CHECK(duplicates == 0);
  check_sound(path);
  store *st = NULL;
  model_conference *conf = NULL;
  CHECK(store_open(path, &st, err, sizeof err) == 0);
  CHECK(store_load(st, "3", &conf, err, sizeof err) == 0);
  model_free(conf);
  store_close(st);
}

/* A file-size limit stands for a full disk: the append fails cleanly, earlier events stay. */
static void test_full_disk(void) {
  const char *path = in_dir("full.db");
  create_conferences(path, 1);
  int pipefd[2];
  CHECK(pipe(pipefd) == 0);
  pid_t pid = fork();
  if (pid == 0) {
    close(pipefd[0]);
    signal(SIGXFSZ, SIG_IGN);
    struct stat sb;
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", path);
    off_t biggest = stat(path, &sb) == 0 ? sb.st_size : 0;
    if (stat(wal, &sb) == 0 && sb.st_size > biggest) biggest = sb.st_size;
    struct rlimit limit = {(rlim_t)biggest + 64 * 1024, (rlim_t)biggest + 64 * 1024};
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(6);
    write_stream(path, "1", pipefd[1], 100000, 0, 60);
  }
  close(pipefd[1]);
  static char buf[1 << 16];
  read_all(pipefd[0], buf, sizeof buf);
  close(pipefd[0]);
  int status;
  waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
  long count;
  long last = last_ack(buf, &count);
  CHECK(count > 0);
  const char *e = strstr(buf, "E ");
  CHECK(e != NULL);
  if (e != NULL) {
    char want[300];
    snprintf(want, sizeof want, "E %s: ", path);
    CHECK(strncmp(e, want, strlen(want)) == 0);
    CHECK(strstr(e, "nothing recorded") != NULL);
    CHECK(strstr(e, "locked") == NULL);
  }
  CHECK(events_of(path, "1") == last);
  check_sound(path);
}

/* ------------------------------------------------------ sessions' claims */

/* In a child: claims conference ID as Ann Example and says what happened on FD, then waits. */
static void claim_in_child(const char *path, const char *id, int fd, int hold) {
  store *st = NULL;
  store_holder holder;
  char line[600];
  int rc = store_open(path, &st, err, sizeof err) == 0
           ? store_claim(st, id, "Ann Example", &holder, err, sizeof err) : -1;
  int n = rc == 1 ? snprintf(line, sizeof line, "held %s|%s|%ld|%zu\n", holder.chair,
                             holder.host, holder.pid, strlen(holder.since))
        : rc == 0 ? snprintf(line, sizeof line, "claimed\n")
                  : snprintf(line, sizeof line, "E %s\n", err);
  if (write(fd, line, (size_t)n) != n) _exit(5);
  close(fd);
  if (hold) pause();   /* until killed: the claim must outlive nothing but this process */
  _exit(0);
}

/* Forks claim_in_child; returns its pid, its report in LINE. */
static pid_t claim_elsewhere(const char *path, const char *id, int hold, char *line, size_t len) {
  int pipefd[2];
  if (pipe(pipefd) != 0) abort();
  pid_t pid = fork();
  if (pid == 0) {
    close(pipefd[0]);
    claim_in_child(path, id, pipefd[1], hold);
  }
  close(pipefd[1]);
  read_all(pipefd[0], line, len);
  close(pipefd[0]);
  return pid;
}

static void test_claims(void) {
  const char *path = db_for("claims.db");
  create_conferences(path, 2);
  char host[128] = "", want[400], line[600];
  gethostname(host, sizeof host);
  store *st = NULL;
  store_holder holder;
  CHECK(store_open(path, &st, err, sizeof err) == 0);
  if (st == NULL) return;
  CHECK(store_claim(st, "1", "Siân Example", &holder, err, sizeof err) == 0);
  CHECK(store_claim(st, "1", "Siân Example", &holder, err, sizeof err) == 0);
  CHECK(store_claim(st, "9", "Siân Example", &holder, err, sizeof err) == -1);
  CHECK_STR(err, "unknown conference 9");

  /* Another process is refused conference 1, told who has it, and claims 2. */
  pid_t pid = claim_elsewhere(path, "1", 0, line, sizeof line);
  waitpid(pid, NULL, 0);
  snprintf(want, sizeof want, "held Siân Example|%s|%ld|24\n", host, (long)getpid());
  CHECK_STR(line, want);
  pid = claim_elsewhere(path, "2", 1, line, sizeof line);
  CHECK_STR(line, "claimed\n");
  CHECK(store_claim(st, "2", "Siân Example", &holder, err, sizeof err) == 1);
  CHECK_STR(holder.chair, "Ann Example");
  CHECK(holder.pid == (long)pid);

  /* Killed with -9, it frees conference 2 (PostgreSQL: once the server sees the socket close). */
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
  int rc = 1;
  for (int tries = 0; rc == 1 && tries < 100; tries++) {
    rc = store_claim(st, "2", "Siân Example", &holder, err, sizeof err);
    if (rc == 1) nanosleep(&(struct timespec){0, 20 * 1000000L}, NULL);
  }
  CHECK(rc == 0);

  /* Released (twice for the two claims of 1), conference 1 is free for another process. */
  store_release(st, "1");
  store_release(st, "1");
  pid = claim_elsewhere(path, "1", 0, line, sizeof line);
  waitpid(pid, NULL, 0);
  CHECK_STR(line, "claimed\n");
  store_release(st, "2");
  store_close(st);
}

/* Runs SQL on CONN; 1 when it returned rows or worked. */
static int pg_ok(PGconn *conn, const char *sql) {
  PGresult *res = PQexec(conn, sql);
  ExecStatusType status = PQresultStatus(res);
  PQclear(res);
  return status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK;
}

/*
** PostgreSQL: a claim lock with no row naming its holder is a session
** between its lock and its row, or one releasing (row deleted, lock not yet
** dropped). A claim that meets it, and sees it dropped while it waits for
** the row, takes the conference rather than refusing it to "? on ?".
*/
static void test_claim_released_meanwhile(void) {
  const char *path = db_for("released.db");
  create_conferences(path, 1);
  PGconn *conn = PQconnectdb(path);
  /* 1131376230 is store_pg.c's PG_CLAIM_CLASS: the lock alone, as when releasing. */
  CHECK(PQstatus(conn) == CONNECTION_OK && pg_ok(conn, "SELECT pg_advisory_lock(1131376230, 1)"));
  int pipefd[2];
  if (pipe(pipefd) != 0) abort();
  pid_t pid = fork();
  if (pid == 0) {
    close(pipefd[0]);
    claim_in_child(path, "1", pipefd[1], 0);
  }
  close(pipefd[1]);
  /* Dropped once the claimant has looked for a row (the backend's last query is read_claim). */
  long long looked = 0;
  for (int tries = 0; looked < 1 && tries < 4000; tries++) {
    PGresult *res = PQexec(conn, "SELECT count(*) FROM pg_stat_activity WHERE datname ="
                                 " current_database() AND query LIKE 'SELECT c.chair, c.host%'");
    looked = PQresultStatus(res) == PGRES_TUPLES_OK ? atoll(PQgetvalue(res, 0, 0)) : -1;
    PQclear(res);
    if (looked == 0) nanosleep(&(struct timespec){0, 5 * 1000000L}, NULL);
  }
  CHECK(looked == 1);
  CHECK(pg_ok(conn, "SELECT pg_advisory_unlock(1131376230, 1)"));
  char line[600];
  read_all(pipefd[0], line, sizeof line);
  close(pipefd[0]);
  waitpid(pid, NULL, 0);
  CHECK_STR(line, "claimed\n");
  PQfinish(conn);
}

/* Milliseconds on a monotonic clock. */
static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
** store_wait: on SQLite a sleep of the interval; on PostgreSQL it returns
** when another process's append is announced, well before its 5 s limit.
*/
static void test_wait(void) {
  const char *path = db_for("wait.db");
  create_conferences(path, 1);
  store *st = NULL;
  CHECK(store_open(path, &st, err, sizeof err) == 0);
  if (st == NULL) return;
  CHECK(store_wait(st, "1", 200, NULL, err, sizeof err) == 0);   /* PostgreSQL: LISTENs */
  CHECK(store_last_seq(st, "1", err, sizeof err) == 1);
  int committed_at[2];   /* the child tells when its append was committed */
  CHECK(pipe(committed_at) == 0);
  long long start = now_ms();
  pid_t pid = fork();
  if (pid == 0) {
    close(committed_at[0]);
    nanosleep(&(struct timespec){0, 300 * 1000000L}, NULL);
    store *other = NULL;
    model_conference *conf = NULL;
    int ok = store_open(path, &other, err, sizeof err) == 0 &&
             store_load(other, "1", &conf, err, sizeof err) == 0 &&
             append(other, conf, "child.added", "{'name':'Zoë Example'}") == 0;
    long long when = now_ms();
    ok = ok && write(committed_at[1], &when, sizeof when) == (ssize_t)sizeof when;
    model_free(conf);
    store_close(other);
    _exit(ok ? 0 : 1);
  }
  close(committed_at[1]);
  long seq = 1;
  while (seq == 1 && now_ms() - start < 10000) {
    CHECK(store_wait(st, "1", 200, NULL, err, sizeof err) == 0);
    seq = store_last_seq(st, "1", err, sizeof err);
  }
  long long seen = now_ms(), committed = 0;
  int status;
  waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  CHECK(read(committed_at[0], &committed, sizeof committed) == (ssize_t)sizeof committed);
  close(committed_at[0]);
  CHECK(seq == 2);
  CHECK(seen - start >= 300);   /* nothing was seen before the child's append */
  /* Timed from the commit, not from the fork: a busy machine may slow the
     child's start as much as it likes. PostgreSQL without the NOTIFY would
     wait up to its 5 s limit; SQLite polls every 200 ms. */
  CHECK(seen - committed < 1500);
  if (seen - start < 300 || seen - committed >= 1500)
    fprintf(stderr, "store_wait: seen %lld ms after the fork, %lld ms after the commit\n",
            seen - start, seen - committed);
  store_close(st);
}

static volatile sig_atomic_t usr1_caught;

static void on_usr1(int sig) {
  (void)sig;
  usr1_caught = 1;
}

/*
** store_wait under a mask: a signal that arrived while blocked (as one does
** between `confer board` checking its flags and waiting) ends the wait at
** once, where the wait itself would last 3 s. Without the mask the signal
** would stay pending for the whole wait: a deterministic stand-in for the
** race, which no test can time.
*/
static void test_wait_pending_signal(void) {
  const char *path = db_for("wait-signal.db");
  create_conferences(path, 1);
  store *st = NULL;
  CHECK(store_open(path, &st, err, sizeof err) == 0);
  if (st == NULL) return;
  CHECK(store_wait(st, "1", 0, NULL, err, sizeof err) == 0);   /* PostgreSQL: LISTENs */
  struct sigaction sa, old_action;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, &old_action);
  sigset_t usr1, before, wait_mask;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigprocmask(SIG_BLOCK, &usr1, &before);
  wait_mask = before;
  sigdelset(&wait_mask, SIGUSR1);
  usr1_caught = 0;
  raise(SIGUSR1);
  CHECK(usr1_caught == 0);   /* blocked: pending */
  long long start = now_ms();
  CHECK(store_wait(st, "1", 3000, &wait_mask, err, sizeof err) == 0);
  long long waited = now_ms() - start;
  CHECK(usr1_caught == 1);
  CHECK(waited < 1000);
  if (waited >= 1000) fprintf(stderr, "store_wait with a pending signal took %lld ms\n", waited);
  sigprocmask(SIG_SETMASK, &before, NULL);
  sigaction(SIGUSR1, &old_action, NULL);
  store_close(st);
}

int main(void) {
  if (test_load_locales() != 0) return 1;
  snprintf(dir, sizeof dir, "/tmp/confer-store-XXXXXX");
  if (mkdtemp(dir) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  pg_server = getenv("CONFER_TEST_PG");
  if (pg_server != NULL && !is_pg(pg_server)) {
    fprintf(stderr, "CONFER_TEST_PG: expected a postgresql:// URI, got %s\n", pg_server);
    return 2;
  }
  if (pg_server == NULL) test_memory_statistics_off();
  test_record_and_read();
  test_refusals_write_nothing();
  test_stale_copy_refused();
  test_listener();
  test_append_only_and_tampering();
  if (pg_server == NULL) {   /* about a file: its bytes, its mode, SQLite's v1, a size limit */
    test_files_not_ours();
    test_sqlite_magic();
    test_read_only();
    test_migration_from_v1();
  }
  test_kill_nine();
  test_two_writers();
  if (pg_server == NULL) test_full_disk();
  test_claims();
  if (pg_server != NULL) test_claim_released_meanwhile();
  test_wait();
  test_wait_pending_signal();
  char command[128];
  snprintf(command, sizeof command, "rm -rf '%s'", dir);
  if (system(command) != 0) fprintf(stderr, "could not remove %s\n", dir);
  return TEST_SUMMARY();
}
