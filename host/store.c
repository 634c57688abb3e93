/*
** store.c — the durable conference record over SQLite 3 (see store.h).
**
** One append-only table, `events`, is the record; `conferences` (the
** opening facts) and `summaries` (children and open/closed state after an
** event that changed them) are read tables written in the same transaction
** as the event, so listing never replays a conference. Every table refuses
** UPDATE and DELETE through triggers. Each event's hash is SHA-256 over a
** length-prefixed encoding of (conference, seq, time, actor, kind, payload,
** previous hash), documented in docs/store.md so the chain can be checked
** without this program.
**
** A file is recognised before SQLite ever writes to it: its 100-byte header
** must carry SQLite's magic, confer's application_id and a user_version this
** binary knows (an empty file is a new database). Then PRAGMA quick_check
** catches corrupt pages. Only then are WAL mode and migrations applied.
*/
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "paths.h"

#define STORE_APPLICATION_ID 0x436f6e66 /* "Conf" in the SQLite header */
#define STORE_SCHEMA_VERSION 2
#define STORE_BUSY_TIMEOUT_MS 5000
#define STORE_BUSY_GIVE_UP_MS 60000   /* our own retries on top of SQLite's timeout */
#define HASH_BYTES crypto_hash_sha256_BYTES
#define HASH_HEX (2 * HASH_BYTES + 1)

struct store {
  sqlite3 *db;
  char path[PATH_MAX];
  sqlite3_stmt *max_seq, *prev_hash, *insert_event, *last_summary, *insert_summary;
};

/* ---------------------------------------------------------------- errors */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/*
** "PATH: WHAT (sqlite message)", naming the kinds of failure a chair can act
** on (a full disk, a corrupt or read-only file) in words rather than codes.
*/
static void db_err(store *st, const char *what, int rc, char *err, size_t errlen) {
  const char *msg = st->db != NULL ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_FULL:
      set_err(err, errlen, "%s: disk full, nothing recorded (%s)", st->path, msg); break;
    case SQLITE_CORRUPT: case SQLITE_NOTADB:
      set_err(err, errlen, "%s: database is corrupt (%s)", st->path, msg); break;
    case SQLITE_READONLY:
      set_err(err, errlen, "%s: database is read-only, nothing recorded (%s)", st->path, msg);
      break;
    case SQLITE_IOERR:
      set_err(err, errlen, "%s: cannot write the database, nothing recorded (%s)", st->path, msg);
      break;
    default:
      set_err(err, errlen, "%s: %s: %s", st->path, what, msg);
  }
}

/* ------------------------------------------------------------ statements */

/* Runs SQL that returns no rows. */
static int exec_sql(store *st, const char *sql, char *err, size_t errlen) {
  int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    db_err(st, sql, rc, err, errlen);
    return -1;
  }
  return 0;
}

static int prepare(store *st, sqlite3_stmt **stmt, const char *sql, char *err, size_t errlen) {
  int rc = sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL);
  if (rc != SQLITE_OK) {
    db_err(st, "preparing a statement", rc, err, errlen);
    return -1;
  }
  return 0;
}

/* Resets a cached statement for its next use. */
static void done(sqlite3_stmt *stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
}

/* Milliseconds on a monotonic clock, for the busy retry deadline. */
static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
** Runs SQL needing the write lock (BEGIN IMMEDIATE, COMMIT, the switch to
** WAL), retrying while another process holds
** the write lock: SQLite's busy handler already waits, but it can return
** SQLITE_BUSY early (e.g. while a WAL checkpoint runs), and a chair must
** never see "database is locked".
*/
static int exec_retrying(store *st, const char *sql, char *err, size_t errlen) {
  long long deadline = now_ms() + STORE_BUSY_GIVE_UP_MS;
  for (;;) {
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK) return 0;
    if ((rc & 0xff) != SQLITE_BUSY || now_ms() > deadline) {
      if ((rc & 0xff) == SQLITE_BUSY)
        set_err(err, errlen, "%s: another confer process kept the database busy for %d s",
                st->path, STORE_BUSY_GIVE_UP_MS / 1000);
      else
        db_err(st, sql, rc, err, errlen);
      return -1;
    }
    struct timespec pause = {0, 20 * 1000000L};
    nanosleep(&pause, NULL);
  }
}

static void rollback(store *st) {
  if (!sqlite3_get_autocommit(st->db)) sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ------------------------------------------------------------ the chain */

static void put_field(crypto_hash_sha256_state *h, const void *data, size_t len) {
  unsigned char prefix[8];
  for (int i = 0; i < 8; i++) prefix[i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
  crypto_hash_sha256_update(h, prefix, sizeof prefix);
  crypto_hash_sha256_update(h, data, len);
}

/*
** The hash of one event as lowercase hex into HEX. PREV_HEX is the previous
** event's hash, or "" for a conference's first event.
*/
static void event_hash(long long conference, long seq, const char *time, const char *actor,
                       const char *kind, const char *payload, const char *prev_hex,
                       char hex[HASH_HEX]) {
  char conf_text[32], seq_text[32];
  snprintf(conf_text, sizeof conf_text, "%lld", conference);
  snprintf(seq_text, sizeof seq_text, "%ld", seq);
  unsigned char prev[HASH_BYTES] = {0}, out[HASH_BYTES];
  if (prev_hex[0] != '\0')
    sodium_hex2bin(prev, sizeof prev, prev_hex, strlen(prev_hex), NULL, NULL, NULL);
  crypto_hash_sha256_state h;
  crypto_hash_sha256_init(&h);
  const char *texts[] = {conf_text, seq_text, time, actor, kind, payload};
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
    put_field(&h, texts[i], strlen(texts[i]));
  put_field(&h, prev, sizeof prev);
  crypto_hash_sha256_final(&h, out);
  sodium_bin2hex(hex, HASH_HEX, out, sizeof out);
}

/* The current UTC time as "YYYY-MM-DDTHH:MM:SS.mmmZ" (25 bytes with the NUL). */
static void utc_now(char buf[32]) {
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(buf + n, 32 - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

/* ---------------------------------------------------------------- schema */

/*
** Forward migrations: MIGRATIONS[i] takes user_version i to i + 1. Version 1
** is the record itself; version 2 adds the summaries read table, filled for
** existing conferences by replaying them (migrate_summaries).
*/
static const char *const migrations[STORE_SCHEMA_VERSION] = {
  "PRAGMA application_id = 1131376230;\n" /* STORE_APPLICATION_ID, 0x436f6e66 */
  "CREATE TABLE conferences (\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  authority TEXT NOT NULL, type TEXT NOT NULL, date TEXT NOT NULL);\n"
  "CREATE TABLE events (\n"
  "  conference INTEGER NOT NULL REFERENCES conferences(id),\n"
  "  seq INTEGER NOT NULL CHECK (seq >= 1),\n"
  "  time TEXT NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL,\n"
  "  hash TEXT NOT NULL,\n"
  "  UNIQUE (conference, seq));\n"
  "CREATE TRIGGER events_no_update BEFORE UPDATE ON events\n"
  "  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;\n"
  "CREATE TRIGGER events_no_delete BEFORE DELETE ON events\n"
  "  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;\n"
  "CREATE TRIGGER conferences_no_update BEFORE UPDATE ON conferences\n"
  "  BEGIN SELECT RAISE(ABORT, 'conferences are append-only'); END;\n"
  "CREATE TRIGGER conferences_no_delete BEFORE DELETE ON conferences\n"
  "  BEGIN SELECT RAISE(ABORT, 'conferences are append-only'); END;\n",

  "CREATE TABLE summaries (\n"
  "  conference INTEGER NOT NULL REFERENCES conferences(id),\n"
  "  seq INTEGER NOT NULL,\n"
  "  children TEXT NOT NULL,\n"       /* JSON array of the children's names */
  "  closed INTEGER NOT NULL,\n"
  "  UNIQUE (conference, seq),\n"
  "  FOREIGN KEY (conference, seq) REFERENCES events(conference, seq));\n"
  "CREATE TRIGGER summaries_no_update BEFORE UPDATE ON summaries\n"
  "  BEGIN SELECT RAISE(ABORT, 'summaries are append-only'); END;\n"
  "CREATE TRIGGER summaries_no_delete BEFORE DELETE ON summaries\n"
  "  BEGIN SELECT RAISE(ABORT, 'summaries are append-only'); END;\n",
};

static int load_events(store *st, long long conference, model_conference *conf,
                       char *err, size_t errlen);

/* The read-table summary of CONF: its children's names as a JSON array. Caller frees. */
static char *children_json(const model_conference *conf) {
  json_t *names = json_array();
  if (names == NULL) return NULL;
  for (size_t i = 0; i < conf->n_items; i++) {
    const model_item *item = &conf->items[i];
    if (item->type == MODEL_CHILD && !item->withdrawn && item->text != NULL &&
        json_array_append_new(names, json_string(item->text)) != 0) {
      json_decref(names);
      return NULL;
    }
  }
  char *text = json_dumps(names, JSON_COMPACT);
  json_decref(names);
  return text;
}

/* Appends a summary row: CHILDREN (JSON array text) and CLOSED as of event SEQ. */
static int insert_summary(store *st, long long conference, long seq, const char *children,
                          int closed, char *err, size_t errlen) {
  sqlite3_stmt *s = st->insert_summary;
  sqlite3_bind_int64(s, 1, conference);
  sqlite3_bind_int64(s, 2, seq);
  sqlite3_bind_text(s, 3, children, -1, SQLITE_STATIC);
  sqlite3_bind_int(s, 4, closed);
  int rc = sqlite3_step(s);
  done(s);
  if (rc != SQLITE_DONE) {
    db_err(st, "writing a summary", rc, err, errlen);
    return -1;
  }
  return 0;
}

/* Appends the summary of CONF as it stands. */
static int insert_summary_of(store *st, long long conference, const model_conference *conf,
                             char *err, size_t errlen) {
  char *children = children_json(conf);
  if (children == NULL) {
    set_err(err, errlen, "%s: out of memory", st->path);
    return -1;
  }
  int rc = insert_summary(st, conference, (long)conf->n_events, children, conf->closed != 0,
                          err, errlen);
  free(children);
  return rc;
}

/* Migration 2's data step: one summary per existing conference, from its replay. */
static int migrate_summaries(store *st, char *err, size_t errlen) {
  sqlite3_stmt *ids;
  if (prepare(st, &ids, "SELECT id FROM conferences ORDER BY id", err, errlen) != 0) return -1;
  if (prepare(st, &st->insert_summary,
              "INSERT INTO summaries (conference, seq, children, closed) VALUES (?, ?, ?, ?)",
              err, errlen) != 0) {
    sqlite3_finalize(ids);
    return -1;
  }
  int rc, status = 0;
  while (status == 0 && (rc = sqlite3_step(ids)) == SQLITE_ROW) {
    long long id = sqlite3_column_int64(ids, 0);
    model_conference *conf = model_new();
    if (conf == NULL) {
      set_err(err, errlen, "%s: out of memory", st->path);
      status = -1;
    } else if (load_events(st, id, conf, err, errlen) != 0 ||
               insert_summary_of(st, id, conf, err, errlen) != 0) {
      status = -1;
    }
    model_free(conf);
  }
  if (status == 0 && rc != SQLITE_DONE) {
    db_err(st, "reading conferences", rc, err, errlen);
    status = -1;
  }
  sqlite3_finalize(ids);
  sqlite3_finalize(st->insert_summary);
  st->insert_summary = NULL;
  return status;
}

static int read_int_pragma(store *st, const char *sql, int *value, char *err, size_t errlen) {
  sqlite3_stmt *s;
  if (prepare(st, &s, sql, err, errlen) != 0) return -1;
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) *value = sqlite3_column_int(s, 0);
  else db_err(st, sql, rc, err, errlen);
  sqlite3_finalize(s);
  return rc == SQLITE_ROW ? 0 : -1;
}

/*
** Brings the schema up to STORE_SCHEMA_VERSION, one migration per
** transaction. The version is re-read inside each write transaction so two
** processes opening a new database at once migrate it only once.
*/
static int migrate(store *st, char *err, size_t errlen) {
  for (;;) {
    if (exec_retrying(st, "BEGIN IMMEDIATE", err, errlen) != 0) return -1;
    int version;
    if (read_int_pragma(st, "PRAGMA user_version", &version, err, errlen) != 0) goto fail;
    if (version >= STORE_SCHEMA_VERSION) return exec_retrying(st, "COMMIT", err, errlen);
    if (exec_sql(st, migrations[version], err, errlen) != 0) goto fail;
    if (version + 1 == 2 && migrate_summaries(st, err, errlen) != 0) goto fail;
    char bump[64];
    snprintf(bump, sizeof bump, "PRAGMA user_version = %d", version + 1);
    if (exec_sql(st, bump, err, errlen) != 0) goto fail;
    if (exec_retrying(st, "COMMIT", err, errlen) != 0) goto fail;
  }
fail:
  rollback(st);
  return -1;
}

/* ----------------------------------------------------------------- open */

int store_default_path(const char *option, char *buf, size_t len, char *err, size_t errlen) {
  const char *env = getenv("CONFER_DB");
  const char *chosen = option != NULL && option[0] != '\0' ? option
                       : env != NULL && env[0] != '\0'     ? env : NULL;
  if (chosen != NULL) {
    if (snprintf(buf, len, "%s", chosen) >= (int)len) {
      set_err(err, errlen, "%s: path too long", chosen);
      return -1;
    }
    return 0;
  }
  char dir[PATH_MAX];
  if (paths_user_dir("DATA", dir, sizeof dir) == NULL) {
    set_err(err, errlen, "no database given and no home directory to keep one in (use --db FILE)");
    return -1;
  }
  if (paths_join(buf, len, dir, "confer.db") == NULL) {
    set_err(err, errlen, "%s/confer.db: path too long", dir);
    return -1;
  }
  return 0;
}

/*
** Decides from the file alone whether PATH may be opened: 1 = absent or
** empty, 0 = an SQLite file we may write (identify() decides if it is ours),
** -1 = refused (ERR says why). Nothing is written.
*/
static int check_file(const char *path, char *err, size_t errlen) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return 1;
    set_err(err, errlen, "%s: %s", path, strerror(errno));
    return -1;
  }
  unsigned char header[100];
  ssize_t n = read(fd, header, sizeof header);
  int saved = errno;
  close(fd);
  if (n < 0) {
    set_err(err, errlen, "%s: %s", path, strerror(saved));
    return -1;
  }
  if (n == 0) return 1;
  if (n < (ssize_t)sizeof header || memcmp(header, "SQLite format 3", 16) != 0) {
    set_err(err, errlen, "%s: not a confer database", path);
    return -1;
  }
  if (access(path, R_OK | W_OK) != 0) {
    set_err(err, errlen, "%s: cannot write the database (%s)", path, strerror(errno));
    return -1;
  }
  return 0;
}

/* The directory part of PATH into BUF ("." when there is none). */
static void parent_dir(const char *path, char *buf, size_t len) {
  const char *slash = strrchr(path, '/');
  if (slash == NULL) snprintf(buf, len, ".");
  else if (slash == path) snprintf(buf, len, "/");
  else snprintf(buf, len, "%.*s", (int)(slash - path), path);
}

/* Creates PATH (mode 0600) and its missing directories (0700) before SQLite sees it. */
static int create_file(const char *path, char *err, size_t errlen) {
  char dir[PATH_MAX];
  parent_dir(path, dir, sizeof dir);
  if (paths_make_private_dir(dir) != 0) {
    set_err(err, errlen, "%s: cannot create the directory: %s", dir, strerror(errno));
    return -1;
  }
  int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    set_err(err, errlen, "%s: %s", path, strerror(errno));
    return -1;
  }
  close(fd);
  return 0;
}

/*
** Whether the open SQLite file is ours, read through SQLite because the
** header in the main file may be older than the WAL: 1 = an empty database
** (it gets the schema), 0 = a confer database this binary knows, -1 =
** refused. Only reads.
*/
static int identify(store *st, char *err, size_t errlen) {
  int app, version, tables;
  if (read_int_pragma(st, "PRAGMA application_id", &app, err, errlen) != 0 ||
      read_int_pragma(st, "PRAGMA user_version", &version, err, errlen) != 0 ||
      read_int_pragma(st, "SELECT count(*) FROM sqlite_master", &tables, err, errlen) != 0)
    return -1;
  if (app == 0 && version == 0 && tables == 0) return 1;
  if ((unsigned)app != STORE_APPLICATION_ID) {
    set_err(err, errlen, "%s: not a confer database", st->path);
    return -1;
  }
  if (version > STORE_SCHEMA_VERSION) {
    set_err(err, errlen, "%s: made by a newer confer (schema %d; this binary knows %d)",
            st->path, version, STORE_SCHEMA_VERSION);
    return -1;
  }
  return 0;
}

/* Runs PRAGMA quick_check; a file with damaged pages is refused before anything writes. */
static int check_integrity(store *st, char *err, size_t errlen) {
  sqlite3_stmt *s;
  if (prepare(st, &s, "PRAGMA quick_check(1)", err, errlen) != 0) return -1;
  int rc = sqlite3_step(s);
  int status = 0;
  if (rc != SQLITE_ROW) {
    db_err(st, "checking the database", rc, err, errlen);
    status = -1;
  } else if (strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0) {
    const char *problem = (const char *)sqlite3_column_text(s, 0);
    /* quick_check reports on several lines; the error is one line. */
    set_err(err, errlen, "%s: database is corrupt (%.*s)", st->path,
            (int)strcspn(problem, "\n"), problem);
    status = -1;
  }
  sqlite3_finalize(s);
  return status;
}

static int prepare_cached(store *st, char *err, size_t errlen) {
  return prepare(st, &st->max_seq,
                 "SELECT coalesce(max(seq), 0) FROM events WHERE conference = ?", err, errlen) ||
         prepare(st, &st->prev_hash,
                 "SELECT hash FROM events WHERE conference = ? AND seq = ?", err, errlen) ||
         prepare(st, &st->insert_event,
                 "INSERT INTO events (conference, seq, time, actor, kind, payload, hash)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?)", err, errlen) ||
         prepare(st, &st->last_summary,
                 "SELECT children, closed FROM summaries WHERE conference = ?"
                 " ORDER BY seq DESC LIMIT 1", err, errlen) ||
         prepare(st, &st->insert_summary,
                 "INSERT INTO summaries (conference, seq, children, closed) VALUES (?, ?, ?, ?)",
                 err, errlen)
         ? -1 : 0;
}

int store_open(const char *path, store **out, char *err, size_t errlen) {
  *out = NULL;
  if (sodium_init() < 0) {
    set_err(err, errlen, "%s: libsodium could not start", path);
    return -1;
  }
  /* ":memory:" is SQLite's private in-memory database (simulations, benchmarks): no file. */
  int in_memory = strcmp(path, ":memory:") == 0;
  int fresh = in_memory ? 1 : check_file(path, err, errlen);
  if (fresh < 0) return -1;
  if (fresh && !in_memory && create_file(path, err, errlen) != 0) return -1;
  store *st = calloc(1, sizeof *st);
  if (st == NULL) {
    set_err(err, errlen, "%s: out of memory", path);
    return -1;
  }
  snprintf(st->path, sizeof st->path, "%s", path);
  int rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    db_err(st, "opening", rc, err, errlen);
    store_close(st);
    return -1;
  }
  sqlite3_extended_result_codes(st->db, 1);
  sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
  if ((!fresh && ((fresh = identify(st, err, errlen)) < 0 ||
                  (!fresh && check_integrity(st, err, errlen) != 0))) ||
      /* Switching a new file to WAL needs a moment alone with it: retried like a write. */
      exec_retrying(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                        " PRAGMA foreign_keys = ON", err, errlen) != 0 ||
      migrate(st, err, errlen) != 0 || prepare_cached(st, err, errlen) != 0) {
    store_close(st);
    return -1;
  }
  *out = st;
  return 0;
}

void store_close(store *st) {
  if (st == NULL) return;
  sqlite3_finalize(st->max_seq);
  sqlite3_finalize(st->prev_hash);
  sqlite3_finalize(st->insert_event);
  sqlite3_finalize(st->last_summary);
  sqlite3_finalize(st->insert_summary);
  sqlite3_close(st->db);
  free(st);
}

/* --------------------------------------------------------------- writing */

/* The conference id as a number; -1 if ID is not one this store could have given. */
static long long parse_id(const char *id) {
  if (id == NULL || id[0] < '1' || id[0] > '9' || strlen(id) > 15) return -1;
  long long value = 0;
  for (const char *p = id; *p != '\0'; p++) {
    if (*p < '0' || *p > '9') return -1;
    value = value * 10 + (*p - '0');
  }
  return value;
}

/* The hash of event SEQ of CONFERENCE into HEX ("" when SEQ is 0). */
static int read_prev_hash(store *st, long long conference, long seq, char hex[HASH_HEX],
                          char *err, size_t errlen) {
  hex[0] = '\0';
  if (seq == 0) return 0;
  sqlite3_stmt *s = st->prev_hash;
  sqlite3_bind_int64(s, 1, conference);
  sqlite3_bind_int64(s, 2, seq);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) snprintf(hex, HASH_HEX, "%s", (const char *)sqlite3_column_text(s, 0));
  else if (rc == SQLITE_DONE)
    set_err(err, errlen, "%s: conference %lld has no event %ld", st->path, conference, seq);
  else db_err(st, "reading the chain", rc, err, errlen);
  done(s);
  return rc == SQLITE_ROW ? 0 : -1;
}

/* One event as it is written: the fields the hash covers. */
typedef struct event_row {
  long seq;
  const char *time, *actor, *kind, *payload_text;
} event_row;

/* Inserts EV chained to the previous event of CONFERENCE. Inside a transaction. */
static int insert_event(store *st, long long conference, const event_row *ev,
                        char *err, size_t errlen) {
  char prev[HASH_HEX], hash[HASH_HEX];
  if (read_prev_hash(st, conference, ev->seq - 1, prev, err, errlen) != 0) return -1;
  event_hash(conference, ev->seq, ev->time, ev->actor, ev->kind, ev->payload_text, prev, hash);
  sqlite3_stmt *s = st->insert_event;
  sqlite3_bind_int64(s, 1, conference);
  sqlite3_bind_int64(s, 2, ev->seq);
  sqlite3_bind_text(s, 3, ev->time, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 4, ev->actor, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 5, ev->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 6, ev->payload_text, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 7, hash, -1, SQLITE_STATIC);
  int rc = sqlite3_step(s);
  done(s);
  if (rc != SQLITE_DONE) {
    db_err(st, "writing the event", rc, err, errlen);
    return -1;
  }
  return 0;
}

/* Appends a summary row at SEQ unless the latest one already says the same. */
static int update_summary(store *st, long long conference, long seq, const char *children,
                          int closed, char *err, size_t errlen) {
  sqlite3_stmt *s = st->last_summary;
  sqlite3_bind_int64(s, 1, conference);
  int rc = sqlite3_step(s);
  int same = rc == SQLITE_ROW &&
             strcmp((const char *)sqlite3_column_text(s, 0), children) == 0 &&
             sqlite3_column_int(s, 1) == closed;
  done(s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    db_err(st, "reading a summary", rc, err, errlen);
    return -1;
  }
  return same ? 0 : insert_summary(st, conference, seq, children, closed, err, errlen);
}

/*
** 1 if an event of KIND may change what the summaries hold (the children's
** names, open or closed). Kinds not listed as harmless count as changing,
** so a new kind is never missed.
*/
static int may_change_summary(const char *kind) {
  static const char *const harmless[] = {
    "entry.mapped", "person.added", "danger.added", "goal.added", "scale.given",
    "recommendation.given", "decision.made", "escalation.noted", "action.added",
    "bottomline.added", "rule.added", "coregroup.set", "restricted.noted", "section.entered",
  };
  for (size_t i = 0; i < sizeof harmless / sizeof harmless[0]; i++)
    if (strcmp(kind, harmless[i]) == 0) return 0;
  return 1;
}

/*
** The summary CONF would have after the event, worked out on a replayed copy
** so CONF itself changes only once the event is durable. *CHILDREN is the
** caller's to free.
*/
static int summary_after(const model_conference *conf, const char *kind, const json_t *payload,
                         char **children, int *closed, char *err, size_t errlen) {
  model_conference *trial = model_new();
  char id[32];
  int status = trial == NULL ? -1 : 0;
  for (size_t i = 0; status == 0 && i < conf->n_events; i++) {
    const model_event *ev = &conf->events[i];
    status = model_apply(trial, ev->kind, ev->payload, ev->actor, ev->time, id, sizeof id,
                         err, errlen);
  }
  if (status == 0) status = model_apply(trial, kind, payload, NULL, NULL, id, sizeof id,
                                        err, errlen);
  if (status == 0) {
    *children = children_json(trial);
    *closed = trial->closed != 0;
    if (*children == NULL) status = -1;
  }
  if (status != 0 && trial == NULL) set_err(err, errlen, "out of memory");
  model_free(trial);
  return status;
}

/* The latest seq of CONFERENCE in the database, or -1 (ERR set). Inside a transaction. */
static long latest_seq(store *st, long long conference, char *err, size_t errlen) {
  sqlite3_stmt *s = st->max_seq;
  sqlite3_bind_int64(s, 1, conference);
  int rc = sqlite3_step(s);
  long seq = rc == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : -1;
  if (rc != SQLITE_ROW) db_err(st, "reading the record", rc, err, errlen);
  done(s);
  return seq;
}

/*
** The write transaction of an append: refuses when another process has
** appended to the conference since CONF was loaded, else writes the event
** and (CHILDREN not NULL) its summary, and commits.
*/
static int write_durably(store *st, long long conference, const model_conference *conf,
                         const event_row *ev, const char *children, int closed,
                         char *err, size_t errlen) {
  if (exec_retrying(st, "BEGIN IMMEDIATE", err, errlen) != 0) return -1;
  long seq = latest_seq(st, conference, err, errlen);
  int status = -1;
  if (seq >= 0 && (size_t)seq != conf->n_events)
    set_err(err, errlen, "conference %s was changed by another confer process (it has %ld "
            "events, this copy %zu); nothing recorded: reload it", conf->id, seq,
            conf->n_events);
  else if (seq >= 0 && insert_event(st, conference, ev, err, errlen) == 0 &&
           (children == NULL ||
            update_summary(st, conference, ev->seq, children, closed, err, errlen) == 0))
    status = exec_retrying(st, "COMMIT", err, errlen);
  if (status != 0) rollback(st);
  return status;
}

int store_append(store *st, model_conference *conf, const char *kind,
                 const json_t *payload, const char *actor,
                 char *id, size_t idlen, char *err, size_t errlen) {
  if (idlen > 0) id[0] = '\0';
  long long conference = parse_id(conf->id);
  if (conference < 0) {
    set_err(err, errlen, "this conference was not loaded from the record");
    return -1;
  }
  if (model_check(conf, kind, payload, err, errlen) != 0) return -1;
  char *children = NULL;
  int closed = 0;
  if (may_change_summary(kind) &&
      summary_after(conf, kind, payload, &children, &closed, err, errlen) != 0)
    return -1;
  char *payload_text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
  char time[32];
  utc_now(time);
  event_row ev = {(long)conf->n_events + 1, time, actor, kind, payload_text};
  int status = -1;
  if (payload_text == NULL) set_err(err, errlen, "%s: out of memory", st->path);
  else status = write_durably(st, conference, conf, &ev, children, closed, err, errlen);
  free(children);
  free(payload_text);
  if (status != 0) return -1;
  /* Durable now; only memory can fail, and then the caller must reload. */
  char reason[256];
  if (model_apply(conf, kind, payload, actor, time, id, idlen, reason, sizeof reason) != 0) {
    set_err(err, errlen, "event %ld was recorded, but %s: reload the conference", ev.seq,
            reason);
    return -1;
  }
  return 0;
}

int store_create_conference(store *st, const char *authority, const char *type,
                            const char *date, const char *actor,
                            model_conference **out, char *err, size_t errlen) {
  *out = NULL;
  model_conference *conf = model_new();
  json_t *payload = json_object();
  if (conf == NULL || payload == NULL) {
    model_free(conf);
    json_decref(payload);
    set_err(err, errlen, "%s: out of memory", st->path);
    return -1;
  }
  if (exec_retrying(st, "BEGIN IMMEDIATE", err, errlen) != 0) goto fail;
  sqlite3_stmt *s;
  if (prepare(st, &s, "SELECT coalesce(max(id), 0) + 1 FROM conferences", err, errlen) != 0)
    goto fail;
  int rc = sqlite3_step(s);
  long long number = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  if (rc != SQLITE_ROW) {
    db_err(st, "reading conferences", rc, err, errlen);
    goto fail;
  }
  char id_text[32], time[32], item[32];
  snprintf(id_text, sizeof id_text, "%lld", number);
  utc_now(time);
  if (json_object_set_new(payload, "id", json_string(id_text)) != 0 ||
      json_object_set_new(payload, "authority", json_string(authority)) != 0 ||
      json_object_set_new(payload, "type", json_string(type)) != 0 ||
      json_object_set_new(payload, "date", json_string(date)) != 0 ||
      json_object_set_new(payload, "chair", json_string(actor)) != 0) {
    set_err(err, errlen, "conference: authority, type, date and chair must be UTF-8 text");
    goto fail;
  }
  if (model_apply(conf, "conference.opened", payload, actor, time, item, sizeof item,
                  err, errlen) != 0)
    goto fail;
  char *payload_text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
  if (payload_text == NULL) {
    set_err(err, errlen, "%s: out of memory", st->path);
    goto fail;
  }
  if (prepare(st, &s, "INSERT INTO conferences (id, authority, type, date) VALUES (?, ?, ?, ?)",
              err, errlen) != 0) {
    free(payload_text);
    goto fail;
  }
  sqlite3_bind_int64(s, 1, number);
  sqlite3_bind_text(s, 2, authority, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, type, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 4, date, -1, SQLITE_STATIC);
  rc = sqlite3_step(s);
  sqlite3_finalize(s);
  event_row ev = {1, time, actor, "conference.opened", payload_text};
  int written = rc == SQLITE_DONE && insert_event(st, number, &ev, err, errlen) == 0 &&
                insert_summary_of(st, number, conf, err, errlen) == 0;
  if (rc != SQLITE_DONE) db_err(st, "writing the conference", rc, err, errlen);
  free(payload_text);
  if (!written || exec_retrying(st, "COMMIT", err, errlen) != 0) goto fail;
  json_decref(payload);
  *out = conf;
  return 0;
fail:
  rollback(st);
  json_decref(payload);
  model_free(conf);
  return -1;
}

/* --------------------------------------------------------------- reading */

/* Replays every event of CONFERENCE into CONF. */
static int load_events(store *st, long long conference, model_conference *conf,
                       char *err, size_t errlen) {
  sqlite3_stmt *s;
  if (prepare(st, &s, "SELECT seq, time, actor, kind, payload FROM events"
                      " WHERE conference = ? ORDER BY seq", err, errlen) != 0)
    return -1;
  sqlite3_bind_int64(s, 1, conference);
  int rc, status = 0;
  long expected = 1;
  while (status == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    long seq = (long)sqlite3_column_int64(s, 0);
    const char *payload_text = (const char *)sqlite3_column_text(s, 4);
    json_error_t jerr;
    json_t *payload = json_loads(payload_text, 0, &jerr);
    char id[32], reason[512];
    if (seq != expected)
      set_err(err, errlen, "%s: conference %lld: event %ld is missing", st->path, conference,
              expected), status = -1;
    else if (payload == NULL)
      set_err(err, errlen, "%s: conference %lld: event %ld: bad payload (%s)", st->path,
              conference, seq, jerr.text), status = -1;
    else if (model_apply(conf, (const char *)sqlite3_column_text(s, 3), payload,
                         (const char *)sqlite3_column_text(s, 2),
                         (const char *)sqlite3_column_text(s, 1), id, sizeof id,
                         reason, sizeof reason) != 0)
      set_err(err, errlen, "%s: conference %lld: event %ld does not replay: %s", st->path,
              conference, seq, reason), status = -1;
    json_decref(payload);
    expected++;
  }
  if (status == 0 && rc != SQLITE_DONE) {
    db_err(st, "reading events", rc, err, errlen);
    status = -1;
  }
  sqlite3_finalize(s);
  return status;
}

int store_load(store *st, const char *id, model_conference **out, char *err, size_t errlen) {
  *out = NULL;
  long long conference = parse_id(id);
  model_conference *conf = conference > 0 ? model_new() : NULL;
  if (conference > 0 && conf == NULL) {
    set_err(err, errlen, "%s: out of memory", st->path);
    return -1;
  }
  if (conference <= 0) {
    set_err(err, errlen, "unknown conference %s", id != NULL ? id : "(none)");
    return -1;
  }
  if (load_events(st, conference, conf, err, errlen) != 0) {
    model_free(conf);
    return -1;
  }
  if (conf->n_events == 0) {
    model_free(conf);
    set_err(err, errlen, "unknown conference %s", id);
    return -1;
  }
  *out = conf;
  return 0;
}

long store_last_seq(store *st, const char *id, char *err, size_t errlen) {
  long long conference = parse_id(id);
  long seq = conference > 0 ? latest_seq(st, conference, err, errlen) : -1;
  if (conference <= 0 || seq == 0) {
    set_err(err, errlen, "unknown conference %s", id != NULL ? id : "(none)");
    return -1;
  }
  return seq;
}

/* Writes the names of a JSON array as "A, B" (or "-" when there are none). */
static void write_names(FILE *out, const char *json_text) {
  json_t *names = json_loads(json_text, 0, NULL);
  size_t i;
  json_t *name;
  int any = 0;
  json_array_foreach(names, i, name) {
    if (!json_is_string(name)) continue;
    fprintf(out, "%s%s", any ? ", " : "", json_string_value(name));
    any = 1;
  }
  if (!any) fputc('-', out);
  json_decref(names);
}

int store_list(store *st, FILE *out, char *err, size_t errlen) {
  sqlite3_stmt *s;
  if (prepare(st, &s,
              "SELECT c.id, c.authority, c.type, c.date, s.children, s.closed"
              " FROM conferences c JOIN summaries s ON s.conference = c.id"
              " AND s.seq = (SELECT max(seq) FROM summaries WHERE conference = c.id)"
              " ORDER BY c.id", err, errlen) != 0)
    return -1;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    fprintf(out, "%lld  %s  %s  %s  ", (long long)sqlite3_column_int64(s, 0),
            (const char *)sqlite3_column_text(s, 1), (const char *)sqlite3_column_text(s, 2),
            (const char *)sqlite3_column_text(s, 3));
    write_names(out, (const char *)sqlite3_column_text(s, 4));
    fprintf(out, "  %s\n", sqlite3_column_int(s, 5) ? "closed" : "open");
  }
  if (rc != SQLITE_DONE) db_err(st, "listing conferences", rc, err, errlen);
  sqlite3_finalize(s);
  return rc == SQLITE_DONE ? 0 : -1;
}

/* --------------------------------------------------------------- history */

/* Writes TEXT cut to about MAX bytes at a UTF-8 character boundary. */
static void write_clipped(FILE *out, const char *text, size_t max) {
  size_t len = strlen(text);
  if (len <= max) {
    fputs(text, out);
    return;
  }
  while (max > 0 && ((unsigned char)text[max] & 0xc0) == 0x80) max--;
  fprintf(out, "%.*s...", (int)max, text);
}

/* Writes a payload value: strings as they are, anything else as compact JSON. */
static void write_value(FILE *out, const json_t *value) {
  if (json_is_string(value)) {
    write_clipped(out, json_string_value(value), 72);
    return;
  }
  char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
  if (text != NULL) fputs(text, out);
  free(text);
}

/*
** A readable digest of one event: the id of the item it created, then for a
** mapped entry "column/category: text", otherwise "key=value" for the other
** fields and ": text" last.
*/
static void write_digest(FILE *out, const model_conference *conf, const model_event *ev) {
  for (size_t i = 0; i < conf->n_items; i++)
    if (conf->items[i].seq == ev->seq && conf->items[i].id[0] != '\0')
      fprintf(out, "%s ", conf->items[i].id);
  const json_t *column = json_object_get(ev->payload, "column");
  const json_t *category = json_object_get(ev->payload, "category");
  const char *key;
  json_t *value;
  int any = 0;
  if (json_is_string(column) && json_is_string(category)) {
    fprintf(out, "%s/%s", json_string_value(column), json_string_value(category));
    any = 1;
  }
  json_object_foreach((json_t *)ev->payload, key, value) {
    if (strcmp(key, "text") == 0 || (any && (value == column || value == category))) continue;
    fprintf(out, "%s%s=", any ? " " : "", key);
    write_value(out, value);
    any = 1;
  }
  const json_t *text = json_object_get(ev->payload, "text");
  if (text != NULL) {
    fputs(any ? ": " : "", out);
    write_value(out, text);
  }
}

/* The seq of the event that undid event SEQ, or 0. */
static long undone_by(const model_conference *conf, long seq) {
  long by = 0;
  for (size_t i = 0; i < conf->n_events; i++) {
    const model_event *ev = &conf->events[i];
    if (strcmp(ev->kind, "event.undone") == 0 &&
        json_integer_value(json_object_get(ev->payload, "seq")) == seq)
      by = ev->seq;
  }
  return by;
}

int store_history(store *st, const char *id, FILE *out, char *err, size_t errlen) {
  model_conference *conf;
  if (store_load(st, id, &conf, err, errlen) != 0) return -1;
  for (size_t i = 0; i < conf->n_events; i++) {
    const model_event *ev = &conf->events[i];
    fprintf(out, "%ld  %s  %s  %s  ", ev->seq, ev->time ? ev->time : "-",
            ev->actor ? ev->actor : "-", ev->kind);
    write_digest(out, conf, ev);
    long by = undone_by(conf, ev->seq);
    if (by > 0) fprintf(out, " (undone by %ld)", by);
    fputc('\n', out);
  }
  model_free(conf);
  return 0;
}

/* 1 if the participant of scale item I gave a later score (the latest one counts). */
static int rescaled_later(const model_conference *conf, size_t i) {
  const char *who = conf->items[i].who;
  for (size_t j = i + 1; j < conf->n_items; j++) {
    const model_item *later = &conf->items[j];
    if (later->type == MODEL_SCALE && !later->withdrawn && who != NULL && later->who != NULL &&
        strcmp(later->who, who) == 0)
      return 1;
  }
  return 0;
}

/* Writes one conference's heading and each participant's latest score. */
static void write_scaling(FILE *out, const model_conference *conf) {
  fprintf(out, "%s  conference %s  %s  %s%s\n", conf->date, conf->id, conf->type,
          conf->authority, conf->closed ? "  closed" : "");
  int any = 0;
  for (size_t i = 0; i < conf->n_items; i++) {
    const model_item *item = &conf->items[i];
    if (item->type != MODEL_SCALE || item->withdrawn || rescaled_later(conf, i)) continue;
    fprintf(out, "  %s: %d", item->who ? item->who : "-", item->score);
    if (item->why != NULL) {
      fputs("  ", out);
      write_clipped(out, item->why, 72);
    }
    fputc('\n', out);
    any = 1;
  }
  if (!any) fputs("  (no scaling)\n", out);
}

int store_child_history(store *st, const char *child, FILE *out, char *err, size_t errlen) {
  sqlite3_stmt *s;
  if (prepare(st, &s,
              "SELECT c.id FROM conferences c JOIN summaries s ON s.conference = c.id"
              " AND s.seq = (SELECT max(seq) FROM summaries WHERE conference = c.id)"
              " WHERE EXISTS (SELECT 1 FROM json_each(s.children) WHERE value = ?)"
              " ORDER BY c.date, c.id", err, errlen) != 0)
    return -1;
  sqlite3_bind_text(s, 1, child, -1, SQLITE_STATIC);
  int rc, status = 0, found = 0;
  while (status == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    model_conference *conf;
    if (store_load(st, (const char *)sqlite3_column_text(s, 0), &conf, err, errlen) != 0) {
      status = -1;
      break;
    }
    write_scaling(out, conf);
    model_free(conf);
    found = 1;
  }
  if (status == 0 && rc != SQLITE_DONE) {
    db_err(st, "reading conferences", rc, err, errlen);
    status = -1;
  }
  sqlite3_finalize(s);
  if (status == 0 && !found) {
    set_err(err, errlen, "no conference records a child named %s", child);
    status = -1;
  }
  return status;
}

/* ---------------------------------------------------------------- verify */

/*
** Checks one conference's chain; writes its line. Returns 1 if broken, 0 if
** sound, -1 on a read error.
*/
static int verify_conference(store *st, long long conference, FILE *out,
                             char *err, size_t errlen) {
  sqlite3_stmt *s;
  if (prepare(st, &s, "SELECT seq, time, actor, kind, payload, hash FROM events"
                      " WHERE conference = ? ORDER BY seq", err, errlen) != 0)
    return -1;
  sqlite3_bind_int64(s, 1, conference);
  char prev[HASH_HEX] = "", hash[HASH_HEX];
  long expected = 1;
  int rc, broken = 0;
  while (!broken && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    long seq = (long)sqlite3_column_int64(s, 0);
    const char *text[5];
    for (int i = 0; i < 5; i++) text[i] = (const char *)sqlite3_column_text(s, i + 1);
    if (seq != expected) {
      fprintf(out, "conference %lld: broken at event %ld (event %ld is missing)\n",
              conference, expected, expected);
      broken = 1;
      break;
    }
    event_hash(conference, seq, text[0] ? text[0] : "", text[1] ? text[1] : "",
               text[2] ? text[2] : "", text[3] ? text[3] : "", prev, hash);
    if (text[4] == NULL || strcmp(hash, text[4]) != 0) {
      fprintf(out, "conference %lld: broken at event %ld (its hash does not match its "
              "contents or the event before it)\n", conference, seq);
      broken = 1;
      break;
    }
    snprintf(prev, sizeof prev, "%s", text[4]);
    expected++;
  }
  if (!broken && rc != SQLITE_DONE) {
    db_err(st, "reading events", rc, err, errlen);
    sqlite3_finalize(s);
    return -1;
  }
  sqlite3_finalize(s);
  if (!broken && expected == 1) {
    fprintf(out, "conference %lld: broken at event 1 (it has no events)\n", conference);
    broken = 1;
  }
  if (!broken) fprintf(out, "conference %lld: chain sound, %ld event%s\n", conference,
                       expected - 1, expected == 2 ? "" : "s");
  return broken;
}

int store_verify(store *st, FILE *out, char *err, size_t errlen) {
  sqlite3_stmt *s;
  if (prepare(st, &s, "SELECT id FROM conferences UNION SELECT conference FROM events"
                      " ORDER BY 1", err, errlen) != 0)
    return -1;
  int rc, broken = 0;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    int result = verify_conference(st, sqlite3_column_int64(s, 0), out, err, errlen);
    if (result < 0) {
      sqlite3_finalize(s);
      return -1;
    }
    broken += result;
  }
  if (rc != SQLITE_DONE) db_err(st, "reading conferences", rc, err, errlen);
  sqlite3_finalize(s);
  return rc == SQLITE_DONE ? broken : -1;
}

int store_verify_one(store *st, const char *id, FILE *out, char *err, size_t errlen) {
  long long conference = parse_id(id);
  sqlite3_stmt *s;
  if (prepare(st, &s, "SELECT 1 FROM events WHERE conference = ? UNION"
                      " SELECT 1 FROM conferences WHERE id = ?", err, errlen) != 0)
    return -1;
  sqlite3_bind_int64(s, 1, conference);
  sqlite3_bind_int64(s, 2, conference);
  int rc = sqlite3_step(s);
  sqlite3_finalize(s);
  if (rc == SQLITE_ROW) return verify_conference(st, conference, out, err, errlen);
  if (rc == SQLITE_DONE) set_err(err, errlen, "unknown conference %s", id);
  else db_err(st, "reading conferences", rc, err, errlen);
  return -1;
}
