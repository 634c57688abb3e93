/*
** store_sqlite.c — the store's SQLite 3 backend (one file on a chair's laptop).
**
** A file is recognised before SQLite ever writes to it: its 100-byte header
** must carry SQLite's magic, confer's application_id and a user_version this
** binary knows (an empty file is a new database). Then PRAGMA quick_check
** catches corrupt pages. Only then are migrations and WAL mode applied (in
** that order but for a new file: see switch_to_wal).
** Every write runs in BEGIN IMMEDIATE with our own retry loop on top of
** SQLite's busy timeout, so a chair never sees "database is locked". The
** statements of an append are prepared once, at open, for speed. Inside a
** batch, events are held back and written several to a statement (see
** "held events" below).
*/
#include "store_backend.h"
#include "i18n.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "paths.h"

#define STORE_APPLICATION_ID 0x436f6e66 /* "Conf" in the SQLite header */
#define STORE_BUSY_TIMEOUT_MS 5000
#define STORE_BUSY_GIVE_UP_MS 60000   /* our own retries on top of SQLite's timeout */

/*
** Events held back inside a batch are written together, up to LITE_GROUP to
** one multi-row INSERT: a statement's start, cursors and end cost about a
** third of a one-row INSERT. (A simulated conference's 35 or so events go
** in three or four statements.)
*/
#define LITE_GROUP 32

/* A held event: its texts as offsets into lite.held_text, in store_event's order. */
typedef struct held_event {
  long long conference;
  long seq;
  size_t text[5];   /* time, actor, kind, payload, hash */
} held_event;

typedef struct lite {
  sqlite3 *db;
  const char *path;   /* the store's label */
  sqlite3_stmt *max_seq, *prev_hash, *insert_event, *last_summary, *insert_summary;
  sqlite3_stmt *begin, *commit;   /* an append's own, compiled once */
  sqlite3_stmt *next_id, *insert_conference;   /* a new conference's, compiled once too */
  sqlite3_stmt *insert_rows[LITE_GROUP];   /* [N - 1] writes N events (N > 1), compiled
                                             at its first use ([0] stays NULL) */
  held_event held[LITE_GROUP];  /* events written by lite_insert_event_later, not yet */
  size_t n_held;                /* in the database: only ever inside a transaction */
  char *held_text;              /* their texts, each with its NUL */
  size_t held_len, held_cap;
  int held_lost;                /* writing held events failed in this transaction, which
                                   must then never commit (a read may have seen the error) */
} lite;

#define LITE(st) ((lite *)(st)->db)

/* ---------------------------------------------------------------- errors */

/*
** "PATH: WHAT (sqlite message)", naming the kinds of failure a chair can act
** on (a full disk, a corrupt or read-only file) in words rather than codes.
*/
static void db_err(lite *l, const char *what, int rc, char *err, size_t errlen) {
  const char *msg = l->db != NULL ? sqlite3_errmsg(l->db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_FULL:
      store_set_err(err, errlen, _("store.disk_full"), l->path, msg); break;
    case SQLITE_CORRUPT: case SQLITE_NOTADB:
      store_set_err(err, errlen, _("store.corrupt"), l->path, msg); break;
    case SQLITE_READONLY:
      store_set_err(err, errlen, _("store.read_only"), l->path, msg);
      break;
    case SQLITE_IOERR:
      store_set_err(err, errlen, _("store.io_error"),
                    l->path, msg);
      break;
    default:
      store_set_err(err, errlen, "%s: %s: %s", l->path, what, msg);
  }
}

/* ------------------------------------------------------------ statements */

/* Runs SQL that returns no rows; WHAT names it in an error (not SQL itself: it may be long). */
static int exec_sql(lite *l, const char *sql, const char *what, char *err, size_t errlen) {
  int rc = sqlite3_exec(l->db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    db_err(l, what, rc, err, errlen);
    return -1;
  }
  return 0;
}

static int prepare(lite *l, sqlite3_stmt **stmt, const char *sql, char *err, size_t errlen) {
  int rc = sqlite3_prepare_v2(l->db, sql, -1, stmt, NULL);
  if (rc != SQLITE_OK) {
    db_err(l, _("store.doing.preparing"), rc, err, errlen);
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
** WAL), retrying while another process holds the write lock: SQLite's busy
** handler already waits, but it can return SQLITE_BUSY early (e.g. while a
** WAL checkpoint runs), and a chair must never see "database is locked".
*/
/* One try of SQL, or of its compiled statement STMT when not NULL. */
static int attempt(lite *l, sqlite3_stmt *stmt, const char *sql) {
  if (stmt == NULL) return sqlite3_exec(l->db, sql, NULL, NULL, NULL);
  int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int exec_retrying(lite *l, sqlite3_stmt *stmt, const char *sql, char *err, size_t errlen) {
  long long deadline = now_ms() + STORE_BUSY_GIVE_UP_MS;
  for (;;) {
    int rc = attempt(l, stmt, sql);
    if (rc == SQLITE_OK) return 0;
    if ((rc & 0xff) != SQLITE_BUSY || now_ms() > deadline) {
      if ((rc & 0xff) == SQLITE_BUSY)
        store_set_err(err, errlen, _("store.busy"),
                      l->path, STORE_BUSY_GIVE_UP_MS / 1000);
      else
        db_err(l, sql, rc, err, errlen);
      return -1;
    }
    struct timespec pause = {0, 20 * 1000000L};
    nanosleep(&pause, NULL);
  }
}

static void lite_rollback(store *st) {
  lite *l = LITE(st);
  l->n_held = 0;   /* they belonged to the transaction */
  l->held_len = 0;
  l->held_lost = 0;
  if (!sqlite3_get_autocommit(l->db)) sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---------------------------------------------------------------- schema */

/*
** Forward migrations: MIGRATIONS[i] takes user_version i to i + 1. Version 1
** is the record itself; version 2 adds the summaries read table, filled for
** existing conferences by replaying them (store_fill_summaries); version 3
** adds `claims`, the sessions that have a conference open.
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

  /* Not part of the record: who has a conference open in a session now (store_claim). */
  "CREATE TABLE claims (\n"
  "  conference INTEGER PRIMARY KEY REFERENCES conferences(id),\n"
  "  chair TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL,\n"
  "  started INTEGER NOT NULL, since TEXT NOT NULL);\n",
};

static int read_int_pragma(lite *l, const char *sql, int *value, char *err, size_t errlen) {
  sqlite3_stmt *s;
  if (prepare(l, &s, sql, err, errlen) != 0) return -1;
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) *value = sqlite3_column_int(s, 0);
  else db_err(l, sql, rc, err, errlen);
  sqlite3_finalize(s);
  return rc == SQLITE_ROW ? 0 : -1;
}

static const char insert_summary_sql[] =
  "INSERT INTO summaries (conference, seq, children, closed) VALUES (?, ?, ?, ?)";

/*
** Brings the schema up to STORE_SCHEMA_VERSION, one migration per
** transaction. The version is re-read inside each write transaction so two
** processes opening a new database at once migrate it only once.
*/
static int migrate(store *st, char *err, size_t errlen) {
  lite *l = LITE(st);
  for (;;) {
    if (exec_retrying(l, NULL, "BEGIN IMMEDIATE", err, errlen) != 0) return -1;
    int version;
    if (read_int_pragma(l, "PRAGMA user_version", &version, err, errlen) != 0) goto fail;
    if (version >= STORE_SCHEMA_VERSION) return exec_retrying(l, NULL, "COMMIT", err, errlen);
    char doing[64];
    snprintf(doing, sizeof doing, _("store.doing.migrating"), version + 1);
    if (exec_sql(l, migrations[version], doing, err, errlen) != 0) goto fail;
    if (version + 1 == 2) {
      int filled = prepare(l, &l->insert_summary, insert_summary_sql, err, errlen) == 0 &&
                   store_fill_summaries(st, err, errlen) == 0;
      sqlite3_finalize(l->insert_summary);
      l->insert_summary = NULL;
      if (!filled) goto fail;
    }
    char bump[64];
    snprintf(bump, sizeof bump, "PRAGMA user_version = %d", version + 1);
    if (exec_sql(l, bump, doing, err, errlen) != 0) goto fail;
    if (exec_retrying(l, NULL, "COMMIT", err, errlen) != 0) goto fail;
  }
fail:
  lite_rollback(st);
  return -1;
}

/* ----------------------------------------------------------------- open */

/*
** Decides from the file alone whether PATH may be opened: 1 = absent or
** empty, 0 = an SQLite file we may write (identify() decides if it is ours),
** -1 = refused (ERR says why). Nothing is written.
*/
static int check_file(const char *path, char *err, size_t errlen) {
  /* Not blocking: a named pipe would hold the open until something wrote to it. */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return 1;
    store_set_err(err, errlen, "%s: %s", path, strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
    close(fd);   /* a pipe, socket or device: never a database (a directory says so on read) */
    store_set_err(err, errlen, _("store.not_confer"), path);
    return -1;
  }
  unsigned char header[100];
  ssize_t n = read(fd, header, sizeof header);
  int saved = errno;
  close(fd);
  if (n < 0) {
    store_set_err(err, errlen, "%s: %s", path, strerror(saved));
    return -1;
  }
  if (n == 0) return 1;
  if (n < (ssize_t)sizeof header || !store_has_sqlite_magic(header, (size_t)n)) {
    store_set_err(err, errlen, _("store.not_confer"), path);
    return -1;
  }
  if (access(path, R_OK | W_OK) != 0) {
    store_set_err(err, errlen, _("store.cannot_write"), path, strerror(errno));
    return -1;
  }
  return 0;
}

int store_has_sqlite_magic(const void *head, size_t len) {
  static const char magic[16] = "SQLite format 3";   /* with its terminating zero */
  return len >= sizeof magic && memcmp(head, magic, sizeof magic) == 0;
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
    store_set_err(err, errlen, _("store.cannot_mkdir"), dir, strerror(errno));
    return -1;
  }
  int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    store_set_err(err, errlen, "%s: %s", path, strerror(errno));
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
static int identify(lite *l, char *err, size_t errlen) {
  /* One statement, so one snapshot: read one by one, the three could straddle
     another process's first migration and make a new file look foreign. */
  sqlite3_stmt *s;
  if (prepare(l, &s, "SELECT (SELECT application_id FROM pragma_application_id),"
                     " (SELECT user_version FROM pragma_user_version),"
                     " (SELECT count(*) FROM sqlite_master)", err, errlen) != 0)
    return -1;
  int rc = sqlite3_step(s);
  if (rc != SQLITE_ROW) {
    db_err(l, _("store.doing.identifying"), rc, err, errlen);
    sqlite3_finalize(s);
    return -1;
  }
  int app = sqlite3_column_int(s, 0), version = sqlite3_column_int(s, 1),
      tables = sqlite3_column_int(s, 2);
  sqlite3_finalize(s);
  if (app == 0 && version == 0 && tables == 0) return 1;
  /* user_version is signed: a negative one would index before migrations[]. */
  if ((unsigned)app != STORE_APPLICATION_ID || version < 0) {
    store_set_err(err, errlen, _("store.not_confer"), l->path);
    return -1;
  }
  if (version > STORE_SCHEMA_VERSION) {
    store_set_err(err, errlen, _("store.newer_schema"),
                  l->path, version, STORE_SCHEMA_VERSION);
    return -1;
  }
  return 0;
}

/* Runs PRAGMA quick_check; a file with damaged pages is refused before anything writes. */
static int check_integrity(lite *l, char *err, size_t errlen) {
  sqlite3_stmt *s;
  if (prepare(l, &s, "PRAGMA quick_check(1)", err, errlen) != 0) return -1;
  int rc = sqlite3_step(s);
  const char *problem = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
  int status = 0;
  if (rc != SQLITE_ROW) {
    db_err(l, _("store.doing.checking"), rc, err, errlen);
    status = -1;
  } else if (problem == NULL) {
    /* quick_check answers in text, whatever the file holds: only memory ran short. */
    store_set_err(err, errlen, _("store.out_of_memory"), l->path);
    status = -1;
  } else if (strcmp(problem, "ok") != 0) {
    /* quick_check reports on several lines; the error is one line. */
    store_set_err(err, errlen, _("store.corrupt_check"), l->path,
                  (int)strcspn(problem, "\n"), problem);
    status = -1;
  }
  sqlite3_finalize(s);
  return status;
}

static int prepare_cached(lite *l, char *err, size_t errlen) {
  return prepare(l, &l->max_seq,
                 "SELECT coalesce(max(seq), 0) FROM events WHERE conference = ?", err, errlen) ||
         prepare(l, &l->prev_hash,
                 "SELECT hash FROM events WHERE conference = ? AND seq = ?", err, errlen) ||
         prepare(l, &l->insert_event,
                 "INSERT INTO events (conference, seq, time, actor, kind, payload, hash)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?)", err, errlen) ||
         prepare(l, &l->last_summary,
                 "SELECT children, closed FROM summaries WHERE conference = ?"
                 " ORDER BY seq DESC LIMIT 1", err, errlen) ||
         prepare(l, &l->insert_summary, insert_summary_sql, err, errlen) ||
         prepare(l, &l->begin, "BEGIN IMMEDIATE", err, errlen) ||
         prepare(l, &l->commit, "COMMIT", err, errlen) ||
         prepare(l, &l->next_id, "SELECT coalesce(max(id), 0) + 1 FROM conferences", err, errlen) ||
         prepare(l, &l->insert_conference,
                 "INSERT INTO conferences (id, authority, type, date) VALUES (?, ?, ?, ?)",
                 err, errlen)
         ? -1 : 0;
}

static void lite_close(store *st) {
  lite *l = LITE(st);
  if (l == NULL) return;
  sqlite3_finalize(l->max_seq);
  sqlite3_finalize(l->prev_hash);
  sqlite3_finalize(l->insert_event);
  sqlite3_finalize(l->last_summary);
  sqlite3_finalize(l->insert_summary);
  sqlite3_finalize(l->begin);
  sqlite3_finalize(l->commit);
  sqlite3_finalize(l->next_id);
  sqlite3_finalize(l->insert_conference);
  for (size_t n = 0; n < LITE_GROUP; n++) sqlite3_finalize(l->insert_rows[n]);
  sqlite3_close(l->db);
  free(l->held_text);
  free(l);
  st->db = NULL;
}

/*
** Process-wide settings, made once before SQLite initialises (sqlite3_config
** refuses them afterwards). Memory statistics off: with them on, every
** allocation and free of SQLite's takes a global mutex to count bytes (about
** a tenth of an event's insert), and confer reads neither
** sqlite3_memory_used nor a soft or hard heap limit, which need them.
*/
static void configure_sqlite(void) {
  int rc = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  /* The only other answer, SQLITE_MISUSE, means something in this process
     started SQLite first; it then keeps counting, which is only slower, so
     the open goes on. */
  assert(rc == SQLITE_OK || rc == SQLITE_MISUSE);
  (void)rc;
}

/*
** Puts the file in WAL mode (a no-op once it is), which rewrites two bytes
** of its header. lite_open does it before migrating a new file, whose
** creators may race (switching needs a moment alone with it: retried like a
** write), but after migrating a file confer knows, so one in another
** journal mode whose migration fails is left byte for byte as it was.
*/
static int switch_to_wal(lite *l, char *err, size_t errlen) {
  return exec_retrying(l, NULL, "PRAGMA journal_mode = WAL", err, errlen);
}

static int lite_open(store *st, const char *path, char *err, size_t errlen) {
  static pthread_once_t configured = PTHREAD_ONCE_INIT;
  pthread_once(&configured, configure_sqlite);
  /* ":memory:" is SQLite's private in-memory database (simulations, benchmarks): no file. */
  int in_memory = strcmp(path, ":memory:") == 0;
  int fresh = in_memory ? 1 : check_file(path, err, errlen);
  if (fresh < 0) return -1;
  if (fresh && !in_memory && create_file(path, err, errlen) != 0) return -1;
  lite *l = calloc(1, sizeof *l);
  if (l == NULL) {
    store_set_err(err, errlen, _("store.out_of_memory"), path);
    return -1;
  }
  l->path = st->label;
  st->db = l;
  /* No connection mutex: a store is used only by the thread that opened it.
     The board's server threads never see one: board_publish hands them JSON
     text made on the recording thread. */
  int rc = sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    db_err(l, _("store.doing.opening"), rc, err, errlen);
    lite_close(st);
    return -1;
  }
  sqlite3_extended_result_codes(l->db, 1);
  sqlite3_busy_timeout(l->db, STORE_BUSY_TIMEOUT_MS);
  if ((!fresh && ((fresh = identify(l, err, errlen)) < 0 ||
                  (!fresh && check_integrity(l, err, errlen) != 0))) ||
      exec_sql(l, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON",
               _("store.doing.opening"), err, errlen) != 0 ||
      (fresh ? switch_to_wal(l, err, errlen) != 0 || migrate(st, err, errlen) != 0
             : migrate(st, err, errlen) != 0 || switch_to_wal(l, err, errlen) != 0) ||
      prepare_cached(l, err, errlen) != 0) {
    lite_close(st);
    return -1;
  }
  return 0;
}

/* Binds one event's columns to S from parameter FIRST on, in the order of the INSERT's. */
static void bind_event(sqlite3_stmt *s, int first, long long conference, long seq,
                       const char *const texts[5]) {
  sqlite3_bind_int64(s, first, conference);
  sqlite3_bind_int64(s, first + 1, seq);
  for (int i = 0; i < 5; i++) sqlite3_bind_text(s, first + 2 + i, texts[i], -1, SQLITE_STATIC);
}

/* Runs the bound cached write S, DOING naming it in an error. */
static int step_write(lite *l, sqlite3_stmt *s, const char *doing, char *err, size_t errlen) {
  int rc = sqlite3_step(s);
  done(s);
  if (rc != SQLITE_DONE) {
    db_err(l, doing, rc, err, errlen);
    return -1;
  }
  return 0;
}

/* ---------------------------------------------------------- held events */

/*
** Held events exist only inside an open transaction (store.c holds them only
** in a batch): every function below that reads or writes in one first writes
** them (flush), in the order they came, so the rowids and what any read sees
** are as if each had been written at once; rollback and close drop them. A
** failure to write them is the error of the call that wrote them, and loses
** the batch like any failed write in it. (begin, claim and release start a
** transaction, so none is held when they run.)
*/

/* The INSERT of N events (N > 1) into *STMT, compiled unless it is already. */
static int prepare_rows(lite *l, size_t n, sqlite3_stmt **stmt, char *err, size_t errlen) {
  if (*stmt != NULL) return 0;
  static const char head[] =
    "INSERT INTO events (conference, seq, time, actor, kind, payload, hash) VALUES ";
  static const char row[] = ", (?, ?, ?, ?, ?, ?, ?)";
  char sql[sizeof head + LITE_GROUP * sizeof row];
  size_t len = sizeof head - 1;
  memcpy(sql, head, len);
  for (size_t i = 0; i < n; i++) {
    const char *one = i == 0 ? row + 2 : row;   /* the first without its ", " */
    size_t one_len = strlen(one);
    memcpy(sql + len, one, one_len);
    len += one_len;
  }
  sql[len] = '\0';
  return prepare(l, stmt, sql, err, errlen);
}

/* Binds held event I to S from parameter FIRST on. */
static void bind_held(lite *l, size_t i, sqlite3_stmt *s, int first) {
  const held_event *h = &l->held[i];
  const char *texts[5];
  for (int t = 0; t < 5; t++) texts[t] = l->held_text + h->text[t];
  bind_event(s, first, h->conference, h->seq, texts);
}

/* Writes the held events in one statement; they are let go either way. */
static int write_held(lite *l, char *err, size_t errlen) {
  size_t n = l->n_held;
  sqlite3_stmt **stmt = n == 1 ? &l->insert_event : &l->insert_rows[n - 1];
  int status = prepare_rows(l, n, stmt, err, errlen);
  for (size_t i = 0; status == 0 && i < n; i++) bind_held(l, i, *stmt, 1 + 7 * (int)i);
  if (status == 0) status = step_write(l, *stmt, _("store.doing.writing_event"), err, errlen);
  l->n_held = 0;
  l->held_len = 0;
  if (status != 0) l->held_lost = 1;
  return status;
}

/* Copies EV into the held events. Returns 0, or -1 when out of memory. */
static int hold_event(lite *l, long long conference, const store_event *ev) {
  const char *texts[5] = {ev->time, ev->actor, ev->kind, ev->payload, ev->hash};
  size_t lens[5], total = 0;
  for (int t = 0; t < 5; t++) total += lens[t] = strlen(texts[t]) + 1;
  if (l->held_len + total > l->held_cap) {
    size_t cap = 2 * (l->held_len + total);
    char *grown = realloc(l->held_text, cap);
    if (grown == NULL) return -1;
    l->held_text = grown;
    l->held_cap = cap;
  }
  held_event *h = &l->held[l->n_held++];
  h->conference = conference;
  h->seq = ev->seq;
  for (int t = 0; t < 5; t++) {
    memcpy(l->held_text + l->held_len, texts[t], lens[t]);
    h->text[t] = l->held_len;
    l->held_len += lens[t];
  }
  return 0;
}

static int lite_insert_event_later(store *st, long long conference, const store_event *ev,
                                   char *err, size_t errlen) {
  lite *l = LITE(st);
  if (hold_event(l, conference, ev) != 0) {
    store_set_err(err, errlen, _("store.out_of_memory"), l->path);
    return -1;
  }
  return l->n_held == LITE_GROUP ? write_held(l, err, errlen) : 0;
}

/*
** Writes the held events, if any, before a read or another write. Once a
** write of them failed, every later call of the transaction fails too, its
** commit included: a read that reported the failure fails no batch in
** store.c, and events already acknowledged must not be lost by a commit.
*/
static int flush(lite *l, char *err, size_t errlen) {
  if (l->held_lost) {
    store_set_err(err, errlen, _("store.batch_failed"), l->path);
    return -1;
  }
  return l->n_held == 0 ? 0 : write_held(l, err, errlen);
}

/* --------------------------------------------------------------- writing */

/* One write lock for the whole file: the conference needs no lock of its own. */
static int lite_begin(store *st, long long conference, char *err, size_t errlen) {
  (void)conference;
  return exec_retrying(LITE(st), LITE(st)->begin, "BEGIN IMMEDIATE", err, errlen);
}

static int lite_commit(store *st, char *err, size_t errlen) {
  lite *l = LITE(st);
  return flush(l, err, errlen) != 0 ? -1 : exec_retrying(l, l->commit, "COMMIT", err, errlen);
}

static long lite_latest_seq(store *st, long long conference, char *err, size_t errlen) {
  lite *l = LITE(st);
  if (flush(l, err, errlen) != 0) return -1;
  sqlite3_stmt *s = l->max_seq;
  sqlite3_bind_int64(s, 1, conference);
  int rc = sqlite3_step(s);
  long seq = rc == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : -1;
  if (rc != SQLITE_ROW) db_err(l, _("store.doing.reading_record"), rc, err, errlen);
  done(s);
  return seq;
}

static int lite_hash_of(store *st, long long conference, long seq, char *hex,
                        char *err, size_t errlen) {
  lite *l = LITE(st);
  if (flush(l, err, errlen) != 0) return -1;
  sqlite3_stmt *s = l->prev_hash;
  sqlite3_bind_int64(s, 1, conference);
  sqlite3_bind_int64(s, 2, seq);
  int rc = sqlite3_step(s);
  /* NULL (out of memory) must not become "": the next event would chain to nothing. */
  const char *text = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
  if (text != NULL) snprintf(hex, 65, "%s", text);
  else if (rc == SQLITE_ROW) store_set_err(err, errlen, _("store.out_of_memory"), l->path);
  else if (rc == SQLITE_DONE)
    store_set_err(err, errlen, _("store.no_event"), l->path, conference, seq);
  else db_err(l, _("store.doing.reading_chain"), rc, err, errlen);
  done(s);
  return text != NULL ? 0 : -1;
}

static long long lite_next_id(store *st, char *err, size_t errlen) {
  lite *l = LITE(st);
  if (flush(l, err, errlen) != 0) return -1;
  sqlite3_stmt *s = l->next_id;
  int rc = sqlite3_step(s);
  long long number = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
  if (rc != SQLITE_ROW) db_err(l, _("store.doing.reading_conferences"), rc, err, errlen);
  done(s);
  return number;
}

static int lite_insert_conference(store *st, long long id, const char *authority,
                                  const char *type, const char *date, char *err, size_t errlen) {
  lite *l = LITE(st);
  if (flush(l, err, errlen) != 0) return -1;
  sqlite3_stmt *s = l->insert_conference;
  sqlite3_bind_int64(s, 1, id);
  sqlite3_bind_text(s, 2, authority, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, type, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 4, date, -1, SQLITE_STATIC);
  return step_write(l, s, _("store.doing.writing_conference"), err, errlen);
}

static int lite_insert_event(store *st, long long conference, const store_event *ev,
                             char *err, size_t errlen) {
  lite *l = LITE(st);
  if (flush(l, err, errlen) != 0) return -1;
  const char *texts[5] = {ev->time, ev->actor, ev->kind, ev->payload, ev->hash};
  bind_event(l->insert_event, 1, conference, ev->seq, texts);
  return step_write(l, l->insert_event, _("store.doing.writing_event"), err, errlen);
}

static int lite_last_summary(store *st, long long conference, int *found, char **children,
                             int *closed, char *err, size_t errlen) {
  lite *l = LITE(st);
  if (flush(l, err, errlen) != 0) return -1;
  sqlite3_stmt *s = l->last_summary;
  sqlite3_bind_int64(s, 1, conference);
  int rc = sqlite3_step(s);
  *found = rc == SQLITE_ROW;
  *children = NULL;
  if (*found) {
    const char *text = (const char *)sqlite3_column_text(s, 0);
    *children = text != NULL ? strdup(text) : NULL;   /* NULL: out of memory, said below */
    *closed = sqlite3_column_int(s, 1);
  }
  done(s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    db_err(l, _("store.doing.reading_summary"), rc, err, errlen);
    return -1;
  }
  if (*found && *children == NULL) {
    store_set_err(err, errlen, _("store.out_of_memory"), l->path);
    return -1;
  }
  return 0;
}

static int lite_insert_summary(store *st, long long conference, long seq, const char *children,
                               int closed, char *err, size_t errlen) {
  lite *l = LITE(st);
  if (flush(l, err, errlen) != 0) return -1;
  sqlite3_stmt *s = l->insert_summary;
  sqlite3_bind_int64(s, 1, conference);
  sqlite3_bind_int64(s, 2, seq);
  sqlite3_bind_text(s, 3, children, -1, SQLITE_STATIC);
  sqlite3_bind_int(s, 4, closed);
  return step_write(l, s, _("store.doing.writing_summary"), err, errlen);
}

/* --------------------------------------------------------------- reading */

static const char *text_or_empty(sqlite3_stmt *s, int col) {
  const char *text = (const char *)sqlite3_column_text(s, col);
  return text != NULL ? text : "";
}

/*
** Column COL's text, or NULL when it holds a zero byte before its end, which
** a C string would cut off there (store_event says why).
*/
static const char *whole_text(sqlite3_stmt *s, int col) {
  const char *text = text_or_empty(s, col);
  return strlen(text) == (size_t)sqlite3_column_bytes(s, col) ? text : NULL;
}

static int lite_each_event(store *st, long long conference, store_event_fn fn, void *ctx,
                           char *err, size_t errlen) {
  lite *l = LITE(st);
  if (flush(l, err, errlen) != 0) return -1;
  sqlite3_stmt *s;
  if (prepare(l, &s, "SELECT seq, time, actor, kind, payload, hash FROM events"
                     " WHERE conference = ? ORDER BY seq", err, errlen) != 0)
    return -1;
  sqlite3_bind_int64(s, 1, conference);
  int rc, status = 0;
  while (status == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    store_event ev = {(long)sqlite3_column_int64(s, 0), whole_text(s, 1), whole_text(s, 2),
                      whole_text(s, 3), whole_text(s, 4), whole_text(s, 5)};
    status = fn(ctx, &ev, err, errlen);
  }
  if (status == 0 && rc != SQLITE_DONE) {
    db_err(l, _("store.doing.reading_events"), rc, err, errlen);
    status = -1;
  }
  sqlite3_finalize(s);
  return status;
}

static int lite_each_row(store *st, store_row_fn fn, void *ctx, char *err, size_t errlen) {
  lite *l = LITE(st);
  if (flush(l, err, errlen) != 0) return -1;
  sqlite3_stmt *s;
  if (prepare(l, &s,
              "SELECT c.id, c.authority, c.type, c.date, s.children, s.closed"
              " FROM conferences c JOIN summaries s ON s.conference = c.id"
              " AND s.seq = (SELECT max(seq) FROM summaries WHERE conference = c.id)"
              " ORDER BY c.id", err, errlen) != 0)
    return -1;
  int rc, status = 0;
  while (status == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    store_row row = {sqlite3_column_int64(s, 0), text_or_empty(s, 1), text_or_empty(s, 2),
                     text_or_empty(s, 3), text_or_empty(s, 4), sqlite3_column_int(s, 5)};
    status = fn(ctx, &row, err, errlen);
  }
  if (status == 0 && rc != SQLITE_DONE) {
    db_err(l, _("store.doing.listing"), rc, err, errlen);
    status = -1;
  }
  sqlite3_finalize(s);
  return status;
}

static int lite_each_id(store *st, store_id_fn fn, void *ctx, char *err, size_t errlen) {
  lite *l = LITE(st);
  if (flush(l, err, errlen) != 0) return -1;
  sqlite3_stmt *s;
  if (prepare(l, &s, "SELECT id FROM conferences UNION SELECT conference FROM events"
                     " ORDER BY 1", err, errlen) != 0)
    return -1;
  int rc, status = 0;
  while (status == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW)
    status = fn(ctx, sqlite3_column_int64(s, 0), err, errlen);
  if (status == 0 && rc != SQLITE_DONE) {
    db_err(l, _("store.doing.reading_conferences"), rc, err, errlen);
    status = -1;
  }
  sqlite3_finalize(s);
  return status;
}

/* ---------------------------------------------------------------- claims */

/*
** 1 if HOLDER's session may still be running. A holder on another machine
** cannot be asked, so it counts as alive; on this one its pid must exist and
** (where /proc tells) have started when the claim's process did.
*/
static int holder_alive(const store_holder *holder, const store_holder *me) {
  if (strcmp(holder->host, me->host) != 0) return 1;
  if (holder->pid <= 0) return 0;
  if (kill((pid_t)holder->pid, 0) != 0 && errno != EPERM) return 0;
  long long started = store_process_started(holder->pid);
  return holder->started == 0 || started == 0 || started == holder->started;
}

/* Reads CONFERENCE's claim into HOLDER: 1 found, 0 none, -1 error. */
static int read_claim(lite *l, long long conference, store_holder *holder,
                      char *err, size_t errlen) {
  sqlite3_stmt *s;
  if (prepare(l, &s, "SELECT chair, host, pid, started, since FROM claims WHERE conference = ?",
              err, errlen) != 0)
    return -1;
  sqlite3_bind_int64(s, 1, conference);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    snprintf(holder->chair, sizeof holder->chair, "%s", text_or_empty(s, 0));
    snprintf(holder->host, sizeof holder->host, "%s", text_or_empty(s, 1));
    holder->pid = (long)sqlite3_column_int64(s, 2);
    holder->started = sqlite3_column_int64(s, 3);
    snprintf(holder->since, sizeof holder->since, "%s", text_or_empty(s, 4));
  } else if (rc != SQLITE_DONE) {
    db_err(l, _("store.doing.reading_claims"), rc, err, errlen);
  }
  sqlite3_finalize(s);
  return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int write_claim(lite *l, long long conference, const store_holder *me,
                       char *err, size_t errlen) {
  sqlite3_stmt *s;
  if (prepare(l, &s, "INSERT OR REPLACE INTO claims (conference, chair, host, pid, started,"
                     " since) VALUES (?, ?, ?, ?, ?, ?)", err, errlen) != 0)
    return -1;
  sqlite3_bind_int64(s, 1, conference);
  sqlite3_bind_text(s, 2, me->chair, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, me->host, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 4, me->pid);
  sqlite3_bind_int64(s, 5, me->started);
  sqlite3_bind_text(s, 6, me->since, -1, SQLITE_STATIC);
  int rc = sqlite3_step(s);
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) {
    db_err(l, _("store.doing.writing_claim"), rc, err, errlen);
    return -1;
  }
  return 0;
}

/*
** Reads and writes the claim in one write transaction, so of two sessions
** starting at once exactly one finds the row empty (or its holder dead).
*/
static int lite_claim(store *st, long long conference, const store_holder *me,
                      store_holder *holder, char *err, size_t errlen) {
  lite *l = LITE(st);
  if (exec_retrying(l, l->begin, "BEGIN IMMEDIATE", err, errlen) != 0) return -1;
  int found = read_claim(l, conference, holder, err, errlen);
  int ours = found == 1 && strcmp(holder->host, me->host) == 0 && holder->pid == me->pid;
  int status = -1;
  if (found == 1 && !ours && holder_alive(holder, me)) status = 1;
  else if (found >= 0 && (ours || write_claim(l, conference, me, err, errlen) == 0))
    status = exec_retrying(l, l->commit, "COMMIT", err, errlen);
  if (status != 0) lite_rollback(st);
  if (status == 0) memset(holder, 0, sizeof *holder);
  return status;
}

static void lite_release(store *st, long long conference, const store_holder *me) {
  lite *l = LITE(st);
  char err[256];
  sqlite3_stmt *s;
  if (exec_retrying(l, l->begin, "BEGIN IMMEDIATE", err, sizeof err) != 0) return;
  if (prepare(l, &s, "DELETE FROM claims WHERE conference = ? AND host = ? AND pid = ?",
              err, sizeof err) == 0) {
    sqlite3_bind_int64(s, 1, conference);
    sqlite3_bind_text(s, 2, me->host, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, me->pid);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc == SQLITE_DONE && exec_retrying(l, l->commit, "COMMIT", err, sizeof err) == 0) return;
  }
  lite_rollback(st);
}

/* SQLite announces nothing across processes: the watcher polls, so wait is a sleep. */
static int lite_wait(store *st, long long conference, long ms, const sigset_t *sigmask,
                     char *err, size_t errlen) {
  (void)conference;
  if (store_wait_fd(-1, ms, sigmask) >= 0) return 0;
  store_set_err(err, errlen, _("store.waiting_failed"), st->label, strerror(errno));
  return -1;
}

const store_backend store_sqlite_backend = {
  lite_open, lite_close, lite_begin, lite_commit, lite_rollback, lite_latest_seq,
  lite_hash_of, lite_next_id, lite_insert_conference, lite_insert_event, lite_last_summary,
  lite_insert_summary, lite_each_event, lite_each_row, lite_each_id, lite_wait,
  lite_claim, lite_release, lite_insert_event_later,
};
