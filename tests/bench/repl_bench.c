/*
** repl_bench.c — latency of one recording command at the chair's REPL,
** durable commit included, against a bare durable SQLite INSERT.
**
**   repl_bench [N [DIR]]    N commands (default 10000), databases in DIR (default .)
**
** Each REPL command is a full `worry ...` line through repl_execute: parse,
** the authority's validation in the plugin sandbox, store_append (its own
** transaction, WAL, synchronous=FULL) and the in-memory model. The baseline
** is one INSERT of a similar row per transaction in a table of the same
** shape, with the same pragmas, in the same run on the same disk. Prints
** p50 and p99 of both and their ratio. A benchmark, not a test: it always
** exits 0 unless it cannot run.
*/
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench_util.h"
#include "i18n.h"
#include "paths.h"
#include "repl.h"
#include "store.h"

/* N recording commands through the REPL; latencies into MS. */
static int bench_repl(const char *dir, int n, double *ms) {
  char path[PATH_MAX], err[1024], line[256];
  snprintf(path, sizeof path, "%s/repl_bench.db", dir);
  unlink(path);
  store *st;
  model_conference *conf;
  if (store_open(path, &st, err, sizeof err) != 0 ||
      store_create_conference(st, "worcestershire", "initial", "2025-03-12", "bench", &conf,
                              err, sizeof err) != 0) {
    fprintf(stderr, "repl_bench: %s\n", err);
    return -1;
  }
  FILE *out = fopen("/dev/null", "w");
  repl *r = out ? repl_open(st, conf, "bench", out, 0, err, sizeof err) : NULL;
  int status = r == NULL ? (fprintf(stderr, "repl_bench: %s\n", err), -1) : 0;
  const char *setup = "person Ann Sample | social worker | children's services";
  if (r != NULL && repl_execute(r, setup, strlen(setup)) != REPL_DONE) status = -1;
  for (int i = 0; status == 0 && i < n; i++) {
    int len = snprintf(line, sizeof line,
                       "worry past_harm | Bench entry %d about the fictional family | fact | Ann Sample", i);
    double t0 = bench_ms();
    if (repl_execute(r, line, (size_t)len) != REPL_DONE) status = -1;
    ms[i] = bench_ms() - t0;
  }
  if (status != 0) fprintf(stderr, "repl_bench: a recording command failed\n");
  repl_close(r);
  if (out) fclose(out);
  model_free(conf);
  store_close(st);
  unlink(path);
  return status;
}

static int exec(sqlite3 *db, const char *sql) {
  char *msg = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK) return 0;
  fprintf(stderr, "repl_bench: %s: %s\n", sql, msg ? msg : "?");
  sqlite3_free(msg);
  return -1;
}

/* N bare durable INSERTs, one transaction each; latencies into MS. */
static int bench_sqlite(const char *dir, int n, double *ms) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/sqlite_bench.db", dir);
  unlink(path);
  sqlite3 *db;
  sqlite3_stmt *insert = NULL;
  int status = sqlite3_open(path, &db) == SQLITE_OK ? 0 : -1;
  if (status == 0)
    status = exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                      "CREATE TABLE events(id INTEGER PRIMARY KEY, conference TEXT, seq INTEGER,"
                      " kind TEXT, payload TEXT, actor TEXT, time TEXT, hash BLOB)");
  if (status == 0 &&
      sqlite3_prepare_v2(db, "INSERT INTO events(conference, seq, kind, payload, actor, time, hash)"
                             " VALUES('1', ?1, 'entry.mapped', ?2, 'bench', '2025-03-12T10:00:00Z',"
                             " randomblob(32))", -1, &insert, NULL) != SQLITE_OK)
    status = -1;
  char payload[256];
  for (int i = 0; status == 0 && i < n; i++) {
    snprintf(payload, sizeof payload,
             "{\"column\":\"worried\",\"category\":\"past_harm\",\"text\":\"Bench entry %d\"}", i);
    double t0 = bench_ms();
    sqlite3_bind_int(insert, 1, i + 2);
    sqlite3_bind_text(insert, 2, payload, -1, SQLITE_TRANSIENT);
    if (exec(db, "BEGIN IMMEDIATE") != 0 || sqlite3_step(insert) != SQLITE_DONE ||
        exec(db, "COMMIT") != 0)
      status = -1;
    sqlite3_reset(insert);
    ms[i] = bench_ms() - t0;
  }
  sqlite3_finalize(insert);
  sqlite3_close(db);
  unlink(path);
  return status;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 10000;
  const char *dir = argc > 2 ? argv[2] : ".";
  char locales[PATH_MAX], err[512] = "";
  if (n < 1 || paths_join(locales, sizeof locales, paths_data_dir(), "locales") == NULL ||
      i18n_init(locales, "en_GB", err, sizeof err) != 0) {
    fprintf(stderr, "repl_bench: usage: repl_bench [N [DIR]] %s\n", err);
    return 1;
  }
  double *repl_ms = malloc(sizeof(double) * (size_t)n);
  double *sql_ms = malloc(sizeof(double) * (size_t)n);
  int status = repl_ms && sql_ms && bench_sqlite(dir, n, sql_ms) == 0 &&
               bench_repl(dir, n, repl_ms) == 0 ? 0 : 1;
  if (status == 0) {
    qsort(repl_ms, (size_t)n, sizeof *repl_ms, bench_compare_doubles);
    qsort(sql_ms, (size_t)n, sizeof *sql_ms, bench_compare_doubles);
    double r50 = bench_percentile(repl_ms, n, 50), r99 = bench_percentile(repl_ms, n, 99);
    double s50 = bench_percentile(sql_ms, n, 50), s99 = bench_percentile(sql_ms, n, 99);
    printf("commands: %d, databases in %s\n", n, dir);
    printf("repl command   p50 %.3f ms  p99 %.3f ms\n", r50, r99);
    printf("bare INSERT    p50 %.3f ms  p99 %.3f ms\n", s50, s99);
    printf("ratio          p50 %.2fx    p99 %.2fx\n", r50 / s50, r99 / s99);
  }
  free(repl_ms);
  free(sql_ms);
  i18n_free();
  return status;
}
