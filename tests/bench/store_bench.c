/*
** store_bench.c — events appended per second through store_append, durable
** commits included, against plain prepared INSERTs.
**
**   store_bench [N [DIR]]    N events each way (default 2000), databases in DIR (default /tmp)
**
** store_append does the model check, the summary work, the hash chain, the
** stale-copy check and its own BEGIN IMMEDIATE ... COMMIT per event. The
** baseline is one prepared INSERT of a row of the same shape and payload
** size per transaction, same pragmas (WAL, synchronous=FULL, foreign keys),
** in the same run on the same disk. The goal is a ratio of at least 0.7.
** A benchmark, not a test: it exits 0 unless it cannot run.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench_util.h"
#include "store.h"

/* The entry every event records: the same payload in both runs. */
static json_t *entry_payload(long i) {
  char text[128];
  snprintf(text, sizeof text, "Worry number %06ld: school says attendance dropped this term", i);
  return json_pack("{s:s, s:s, s:s, s:s}", "column", "worried", "category", "harm",
                   "text", text, "kind", "fact");
}

/* Appends N events through the store; returns events per second, or -1. */
static double bench_store(const char *path, long n) {
  store *st;
  model_conference *conf;
  char err[1024], id[16];
  if (store_open(path, &st, err, sizeof err) != 0) {
    fprintf(stderr, "store_bench: %s\n", err);
    return -1;
  }
  if (store_create_conference(st, "benchshire", "initial", "2026-03-03", "Bench Example", &conf,
                              err, sizeof err) != 0) {
    fprintf(stderr, "store_bench: %s\n", err);
    store_close(st);
    return -1;
  }
  double start = bench_seconds(), rate = -1;
  long i;
  for (i = 0; i < n; i++) {
    json_t *payload = entry_payload(i);
    int rc = payload ? store_append(st, conf, "entry.mapped", payload, "Bench Example", id,
                                    sizeof id, err, sizeof err) : -1;
    json_decref(payload);
    if (rc != 0) {
      fprintf(stderr, "store_bench: event %ld: %s\n", i, err);
      break;
    }
  }
  if (i == n) rate = n / (bench_seconds() - start);
  model_free(conf);
  store_close(st);
  return rate;
}

/* Inserts N rows of the same shape, one transaction each; returns rows per second, or -1. */
static double bench_plain(const char *path, long n) {
  sqlite3 *db;
  sqlite3_stmt *insert = NULL;
  if (sqlite3_open(path, &db) != SQLITE_OK ||
      sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                       " PRAGMA foreign_keys = ON;"
                       " CREATE TABLE events (conference INTEGER NOT NULL, seq INTEGER NOT NULL,"
                       " time TEXT NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL,"
                       " payload TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (conference, seq))",
                   NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "INSERT INTO events VALUES (1, ?, ?, ?, ?, ?, ?)", -1, &insert,
                         NULL) != SQLITE_OK) {
    fprintf(stderr, "store_bench: %s: %s\n", path, sqlite3_errmsg(db));
    sqlite3_close(db);
    return -1;
  }
  static const char hash[] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  double start = bench_seconds(), rate = -1;
  long i;
  for (i = 0; i < n; i++) {
    json_t *payload = entry_payload(i);
    char *text = payload ? json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(payload);
    sqlite3_bind_int64(insert, 1, i + 1);
    sqlite3_bind_text(insert, 2, "2026-03-03T10:00:00.000Z", -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, "Bench Example", -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 4, "entry.mapped", -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 5, text ? text : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 6, hash, -1, SQLITE_STATIC);
    int ok = text != NULL && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK &&
             sqlite3_step(insert) == SQLITE_DONE &&
             sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_reset(insert);
    free(text);
    if (!ok) {
      fprintf(stderr, "store_bench: row %ld: %s\n", i, sqlite3_errmsg(db));
      break;
    }
  }
  if (i == n) rate = n / (bench_seconds() - start);
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return rate;
}

/* Removes PATH and its WAL files. */
static void remove_db(const char *path) {
  char other[4200];
  unlink(path);
  snprintf(other, sizeof other, "%s-wal", path);
  unlink(other);
  snprintf(other, sizeof other, "%s-shm", path);
  unlink(other);
}

int main(int argc, char **argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 2000;
  const char *dir = argc > 2 ? argv[2] : "/tmp";
  if (n <= 0) {
    fprintf(stderr, "usage: store_bench [N [DIR]]\n");
    return 2;
  }
  char store_path[4096], plain_path[4096];
  snprintf(store_path, sizeof store_path, "%s/store_bench_%d.db", dir, (int)getpid());
  snprintf(plain_path, sizeof plain_path, "%s/store_bench_plain_%d.db", dir, (int)getpid());
  double plain = bench_plain(plain_path, n);
  double stored = bench_store(store_path, n);
  remove_db(store_path);
  remove_db(plain_path);
  if (plain <= 0 || stored <= 0) return 1;
  printf("%-34s %12s %12s %8s\n", "benchmark", "measured", "baseline", "ratio");
  printf("%-34s %10.0f/s %10.0f/s %8.2f  (goal >= 0.70, %ld events)\n",
         "store_append, durable commits", stored, plain, stored / plain, n);
  return 0;
}
