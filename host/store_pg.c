/*
** store_pg.c — the store's PostgreSQL backend (libpq): one authority-wide
** record shared by many chairs.
**
** The schema is the SQLite one (conferences, events, summaries, with
** append-only triggers) plus `confer_schema`, the version table that plays
** the part of SQLite's user_version. Migrations run at open under a
** transaction-scoped advisory lock, so two processes opening a new database
** migrate it once.
**
** Many writers: an append locks its conference's row (SELECT ... FOR
** UPDATE) for the length of its transaction, so two sessions on the same
** conference queue rather than interleave, and UNIQUE (conference, seq)
** refuses any event that would still collide. A new conference takes a
** table lock that only other new conferences wait for, so ids stay 1, 2, ...
** as on SQLite. Each event NOTIFYs channel confer_conference_<id> inside its
** transaction (delivered at COMMIT), which `confer board` LISTENs on. A
** chair's session claims its conference with a session advisory lock
** (store_claim), which dies with the connection, however the session ends.
**
** Credentials come only from libpq's own sources (the URI, PGPASSFILE,
** pg_service.conf, the environment); TLS settings (sslmode=...) pass through
** in the URI. Errors name the URI without its password (st->label).
*/
#include "store_backend.h"
#include "dynlib.h"
#include "i18n.h"

#include <errno.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PG_MIGRATION_LOCK 1131376230   /* "Conf": the advisory lock of migrations */
#define PG_WAIT_MAX_MS 5000            /* store_wait's safety net */
#define PG_CLAIM_CLASS "1131376230"    /* the first key of a conference's claim lock */
#define PG_CLAIM_WAIT_MS 2000          /* how long a claim waits for a lock's holder to be named */

/*
** The libpq functions this backend calls, resolved when the first
** PostgreSQL store opens (dynlib.h): SQLite users never load libpq and the
** 24 libraries it brings.
*/
#define PQ_FUNCTIONS(X) \
  X(PQclear) X(PQconnectdb) X(PQconsumeInput) X(PQerrorMessage) X(PQexec) X(PQexecParams) \
  X(PQexecPrepared) X(PQfinish) X(PQfreemem) X(PQgetvalue) X(PQnotifies) X(PQntuples) \
  X(PQprepare) X(PQresultErrorMessage) X(PQresultStatus) X(PQsetNoticeReceiver) X(PQsocket) \
  X(PQstatus) X(PQtransactionStatus)
static struct { PQ_FUNCTIONS(DYNLIB_POINTER) } pq;

/* Fills pq (once per process). Returns 0, or -1 with ERR set. */
static int pq_load(char *err, size_t errlen) {
#define PQ_SLOT(f) (void **)&pq.f,
  static const char *const names[] = {PQ_FUNCTIONS(DYNLIB_NAME)};
  void **const slots[] = {PQ_FUNCTIONS(PQ_SLOT)};
  return dynlib_load(CONFER_LIBPQ, "PostgreSQL", names, slots, sizeof names / sizeof names[0], err, errlen);
}

typedef struct pg {
  PGconn *conn;
  const char *label;
  long long listening;   /* the conference LISTENed on, 0 for none */
} pg;

#define PG(st) ((pg *)(st)->db)

/* ---------------------------------------------------------------- errors */

/* "LABEL: WHAT: first line of the server's message". */
static void pg_err(pg *p, const char *what, const PGresult *res, char *err, size_t errlen) {
  const char *msg = res != NULL ? pq.PQresultErrorMessage(res) : "";
  if (msg[0] == '\0') msg = pq.PQerrorMessage(p->conn);
  if (strncmp(msg, "ERROR:  ", 8) == 0) msg += 8;
  store_set_err(err, errlen, "%s: %s: %.*s", p->label, what, (int)strcspn(msg, "\n"), msg);
}

/*
** Runs SQL with text PARAMS (prepared statement NAME when not NULL) and
** checks the result against WANT. Returns the result, or NULL with ERR set.
*/
static PGresult *run(pg *p, const char *name, const char *sql, int n, const char *const *params,
                     ExecStatusType want, const char *what, char *err, size_t errlen) {
  PGresult *res = name != NULL ? pq.PQexecPrepared(p->conn, name, n, params, NULL, NULL, 0)
                               : pq.PQexecParams(p->conn, sql, n, NULL, params, NULL, NULL, 0);
  if (res == NULL || pq.PQresultStatus(res) != want) {
    pg_err(p, what, res, err, errlen);
    pq.PQclear(res);
    return NULL;
  }
  return res;
}

/*
** Runs SQL that returns no rows: one command or several (migrations). WHAT
** names it in an error (not SQL itself: a migration's is long).
*/
static int exec_sql(pg *p, const char *sql, const char *what, char *err, size_t errlen) {
  PGresult *res = pq.PQexec(p->conn, sql);
  int ok = res != NULL && pq.PQresultStatus(res) == PGRES_COMMAND_OK;
  if (!ok) pg_err(p, what, res, err, errlen);
  pq.PQclear(res);
  return ok ? 0 : -1;
}

/* Runs SQL returning rows (TUPLES_OK). */
static PGresult *query(pg *p, const char *name, const char *sql, int n,
                       const char *const *params, const char *what, char *err, size_t errlen) {
  return run(p, name, sql, n, params, PGRES_TUPLES_OK, what, err, errlen);
}

static void pg_rollback(store *st) {
  pg *p = PG(st);
  if (pq.PQtransactionStatus(p->conn) != PQTRANS_IDLE) pq.PQclear(pq.PQexec(p->conn, "ROLLBACK"));
}

/* ---------------------------------------------------------------- schema */

static const char *const migrations[STORE_SCHEMA_VERSION] = {
  "CREATE FUNCTION confer_append_only() RETURNS trigger LANGUAGE plpgsql AS\n"
  "  $$ BEGIN RAISE EXCEPTION '% are append-only', TG_TABLE_NAME; END $$;\n"
  "CREATE TABLE conferences (\n"
  "  id BIGINT PRIMARY KEY,\n"
  "  authority TEXT NOT NULL, type TEXT NOT NULL, date TEXT NOT NULL);\n"
  "CREATE TABLE events (\n"
  "  conference BIGINT NOT NULL REFERENCES conferences(id),\n"
  "  seq BIGINT NOT NULL CHECK (seq >= 1),\n"
  "  time TEXT NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL,\n"
  "  hash TEXT NOT NULL,\n"
  "  UNIQUE (conference, seq));\n"
  "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON events\n"
  "  FOR EACH STATEMENT EXECUTE FUNCTION confer_append_only();\n"
  "CREATE TRIGGER conferences_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON conferences\n"
  "  FOR EACH STATEMENT EXECUTE FUNCTION confer_append_only();\n",

  "CREATE TABLE summaries (\n"
  "  conference BIGINT NOT NULL REFERENCES conferences(id),\n"
  "  seq BIGINT NOT NULL,\n"
  "  children TEXT NOT NULL,\n"
  "  closed INTEGER NOT NULL,\n"
  "  UNIQUE (conference, seq),\n"
  "  FOREIGN KEY (conference, seq) REFERENCES events(conference, seq));\n"
  "CREATE TRIGGER summaries_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON summaries\n"
  "  FOR EACH STATEMENT EXECUTE FUNCTION confer_append_only();\n",

  /* Not part of the record: who has a conference open; `backend` is its connection. */
  "CREATE TABLE claims (\n"
  "  conference BIGINT PRIMARY KEY REFERENCES conferences(id),\n"
  "  chair TEXT NOT NULL, host TEXT NOT NULL, pid BIGINT NOT NULL,\n"
  "  started BIGINT NOT NULL, since TEXT NOT NULL, backend INTEGER NOT NULL);\n",
};

/* The statements of an append, prepared once per connection. */
static const struct { const char *name, *sql; int n; } prepared[] = {
  {"latest_seq", "SELECT coalesce(max(seq), 0) FROM events WHERE conference = $1", 1},
  {"hash_of", "SELECT hash FROM events WHERE conference = $1 AND seq = $2", 2},
  {"insert_event",
   "WITH e AS (INSERT INTO events (conference, seq, time, actor, kind, payload, hash)"
   " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING conference, seq)"
   " SELECT pg_notify('confer_conference_' || conference, seq::text) FROM e", 7},
  {"last_summary", "SELECT children, closed FROM summaries WHERE conference = $1"
                   " ORDER BY seq DESC LIMIT 1", 1},
  {"insert_summary", "INSERT INTO summaries (conference, seq, children, closed)"
                     " VALUES ($1, $2, $3, $4)", 4},
  {"lock_conference", "SELECT 1 FROM conferences WHERE id = $1 FOR UPDATE", 1},
  {"try_claim", "SELECT pg_try_advisory_lock(" PG_CLAIM_CLASS ", $1::integer)", 1},
  {"drop_claim", "SELECT pg_advisory_unlock(" PG_CLAIM_CLASS ", $1::integer)", 1},
  {"write_claim", "INSERT INTO claims (conference, chair, host, pid, started, since, backend)"
                  " VALUES ($1, $2, $3, $4, $5, $6, pg_backend_pid()) ON CONFLICT (conference)"
                  " DO UPDATE SET chair = EXCLUDED.chair, host = EXCLUDED.host,"
                  " pid = EXCLUDED.pid, started = EXCLUDED.started, since = EXCLUDED.since,"
                  " backend = EXCLUDED.backend", 6},
  {"delete_claim", "DELETE FROM claims WHERE conference = $1 AND backend = pg_backend_pid()", 1},
  /* The row of the connection that holds the lock now, not a dead one's. */
  {"read_claim", "SELECT c.chair, c.host, c.pid, c.since FROM pg_locks l JOIN claims c"
                 " ON c.backend = l.pid AND c.conference = $1 WHERE l.locktype = 'advisory'"
                 " AND l.classid = " PG_CLAIM_CLASS "::oid AND l.objid = $1::bigint::oid"
                 " AND l.objsubid = 2 AND l.granted", 1},
};

/*
** The schema version: 0 for an empty database, -1 refused (not ours, or
** newer than this binary). Inside the migration transaction.
*/
static int schema_version(pg *p, char *err, size_t errlen) {
  PGresult *res = query(p, NULL,
                        "SELECT to_regclass('confer_schema') IS NOT NULL,"
                        " to_regclass('events') IS NOT NULL OR to_regclass('conferences')"
                        " IS NOT NULL", 0, NULL, _("store.doing.reading_schema"), err, errlen);
  if (res == NULL) return -1;
  int ours = pq.PQgetvalue(res, 0, 0)[0] == 't', others = pq.PQgetvalue(res, 0, 1)[0] == 't';
  pq.PQclear(res);
  if (!ours && others) {
    store_set_err(err, errlen, _("store.not_confer"), p->label);
    return -1;
  }
  if (!ours) {
    char doing[64];
    snprintf(doing, sizeof doing, _("store.doing.migrating"), 1);
    return exec_sql(p, "CREATE TABLE confer_schema (version INTEGER NOT NULL);"
                       " INSERT INTO confer_schema VALUES (0)", doing, err, errlen);
  }
  res = query(p, NULL, "SELECT max(version) FROM confer_schema", 0, NULL,
              _("store.doing.reading_schema"), err, errlen);
  if (res == NULL) return -1;
  int version = atoi(pq.PQgetvalue(res, 0, 0));
  pq.PQclear(res);
  if (version > STORE_SCHEMA_VERSION) {
    store_set_err(err, errlen, _("store.newer_schema"),
                  p->label, version, STORE_SCHEMA_VERSION);
    return -1;
  }
  return version;
}

/* Brings the schema up to STORE_SCHEMA_VERSION in one transaction under the migration lock. */
static int migrate(store *st, char *err, size_t errlen) {
  pg *p = PG(st);
  char lock[64];
  snprintf(lock, sizeof lock, "SELECT pg_advisory_xact_lock(%d)", PG_MIGRATION_LOCK);
  PGresult *res;
  if (exec_sql(p, "BEGIN", _("store.doing.beginning"), err, errlen) != 0) return -1;
  res = query(p, NULL, lock, 0, NULL, _("store.doing.waiting_to_migrate"), err, errlen);
  if (res == NULL) goto fail;
  pq.PQclear(res);
  int version = schema_version(p, err, errlen);
  if (version < 0) goto fail;
  for (; version < STORE_SCHEMA_VERSION; version++) {
    char doing[64];
    snprintf(doing, sizeof doing, _("store.doing.migrating"), version + 1);
    if (exec_sql(p, migrations[version], doing, err, errlen) != 0) goto fail;
    if (version + 1 == 2) {
      res = pq.PQprepare(p->conn, "insert_summary", prepared[4].sql, prepared[4].n, NULL);
      int ok = res != NULL && pq.PQresultStatus(res) == PGRES_COMMAND_OK;
      if (!ok) pg_err(p, _("store.doing.preparing"), res, err, errlen);
      pq.PQclear(res);
      int filled = ok && store_fill_summaries(st, err, errlen) == 0;
      pq.PQclear(pq.PQexec(p->conn, "DEALLOCATE insert_summary"));
      if (!filled) goto fail;
    }
    char bump[64];
    snprintf(bump, sizeof bump, "UPDATE confer_schema SET version = %d", version + 1);
    if (exec_sql(p, bump, doing, err, errlen) != 0) goto fail;
  }
  return exec_sql(p, "COMMIT", _("store.doing.committing"), err, errlen);
fail:
  pg_rollback(st);
  return -1;
}

static int prepare_all(pg *p, char *err, size_t errlen) {
  for (size_t i = 0; i < sizeof prepared / sizeof prepared[0]; i++) {
    PGresult *res = pq.PQprepare(p->conn, prepared[i].name, prepared[i].sql, prepared[i].n, NULL);
    int ok = res != NULL && pq.PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok) pg_err(p, _("store.doing.preparing"), res, err, errlen);
    pq.PQclear(res);
    if (!ok) return -1;
  }
  return 0;
}

/* ----------------------------------------------------------------- open */

/* The server's NOTICEs (e.g. "relation already exists, skipping") are not the chair's business. */
static void quiet(void *arg, const PGresult *res) {
  (void)arg, (void)res;
}

static void pg_close(store *st) {
  pg *p = PG(st);
  if (p == NULL) return;
  if (p->conn != NULL) pq.PQfinish(p->conn);
  free(p);
  st->db = NULL;
}

static int pg_open(store *st, const char *uri, char *err, size_t errlen) {
  pg *p = calloc(1, sizeof *p);
  if (p == NULL) {
    store_set_err(err, errlen, _("store.out_of_memory"), st->label);
    return -1;
  }
  p->label = st->label;
  st->db = p;
  if (pq_load(err, errlen) != 0) {
    pg_close(st);
    return -1;
  }
  p->conn = pq.PQconnectdb(uri);
  if (p->conn == NULL || pq.PQstatus(p->conn) != CONNECTION_OK) {
    const char *msg = p->conn != NULL ? pq.PQerrorMessage(p->conn) : _("host.out_of_memory");
    /* libpq's message may span lines; its first line says why (a one-line error). */
    store_set_err(err, errlen, _("store.cannot_connect"), st->label, (int)strcspn(msg, "\n"),
                  msg);
    pg_close(st);
    return -1;
  }
  pq.PQsetNoticeReceiver(p->conn, quiet, NULL);
  if (exec_sql(p, "SET client_encoding = 'UTF8'; SET client_min_messages = warning",
               _("store.doing.opening"), err, errlen) != 0 ||
      migrate(st, err, errlen) != 0 || prepare_all(p, err, errlen) != 0) {
    pg_close(st);
    return -1;
  }
  return 0;
}

/* --------------------------------------------------------------- writing */

/*
** Starts the write transaction: CONFERENCE's row is locked until COMMIT, so
** another session appending to it waits here and then sees the new seq; a
** new conference (0) locks the table against other new conferences only.
*/
static int pg_begin(store *st, long long conference, char *err, size_t errlen) {
  pg *p = PG(st);
  if (exec_sql(p, "BEGIN", _("store.doing.beginning"), err, errlen) != 0) return -1;
  if (conference == 0) {
    if (exec_sql(p, "LOCK TABLE conferences IN SHARE ROW EXCLUSIVE MODE",
                 _("store.doing.writing_conference"), err, errlen) == 0)
      return 0;
  } else {
    char id[32];
    snprintf(id, sizeof id, "%lld", conference);
    const char *params[] = {id};
    PGresult *res = query(p, "lock_conference", NULL, 1, params, _("store.doing.locking"),
                          err, errlen);
    pq.PQclear(res);
    if (res != NULL) return 0;
  }
  pg_rollback(st);
  return -1;
}

static int pg_commit(store *st, char *err, size_t errlen) {
  return exec_sql(PG(st), "COMMIT", _("store.doing.committing"), err, errlen);
}

static long pg_latest_seq(store *st, long long conference, char *err, size_t errlen) {
  char id[32];
  snprintf(id, sizeof id, "%lld", conference);
  const char *params[] = {id};
  PGresult *res = query(PG(st), "latest_seq", NULL, 1, params, _("store.doing.reading_record"),
                        err, errlen);
  if (res == NULL) return -1;
  long seq = atol(pq.PQgetvalue(res, 0, 0));
  pq.PQclear(res);
  return seq;
}

static int pg_hash_of(store *st, long long conference, long seq, char *hex,
                      char *err, size_t errlen) {
  char id[32], n[32];
  snprintf(id, sizeof id, "%lld", conference);
  snprintf(n, sizeof n, "%ld", seq);
  const char *params[] = {id, n};
  PGresult *res = query(PG(st), "hash_of", NULL, 2, params, _("store.doing.reading_chain"),
                        err, errlen);
  if (res == NULL) return -1;
  int found = pq.PQntuples(res) == 1;
  if (found) snprintf(hex, 65, "%s", pq.PQgetvalue(res, 0, 0));
  else store_set_err(err, errlen, _("store.no_event"), st->label,
                     conference, seq);
  pq.PQclear(res);
  return found ? 0 : -1;
}

static long long pg_next_id(store *st, char *err, size_t errlen) {
  PGresult *res = query(PG(st), NULL, "SELECT coalesce(max(id), 0) + 1 FROM conferences", 0,
                        NULL, _("store.doing.reading_conferences"), err, errlen);
  if (res == NULL) return -1;
  long long id = atoll(pq.PQgetvalue(res, 0, 0));
  pq.PQclear(res);
  return id;
}

static int pg_insert_conference(store *st, long long id, const char *authority,
                                const char *type, const char *date, char *err, size_t errlen) {
  char id_text[32];
  snprintf(id_text, sizeof id_text, "%lld", id);
  const char *params[] = {id_text, authority, type, date};
  PGresult *res = run(PG(st), NULL, "INSERT INTO conferences (id, authority, type, date)"
                      " VALUES ($1, $2, $3, $4)", 4, params, PGRES_COMMAND_OK,
                      _("store.doing.writing_conference"), err, errlen);
  pq.PQclear(res);
  return res != NULL ? 0 : -1;
}

static int pg_insert_event(store *st, long long conference, const store_event *ev,
                           char *err, size_t errlen) {
  char id[32], seq[32];
  snprintf(id, sizeof id, "%lld", conference);
  snprintf(seq, sizeof seq, "%ld", ev->seq);
  const char *params[] = {id, seq, ev->time, ev->actor, ev->kind, ev->payload, ev->hash};
  PGresult *res = query(PG(st), "insert_event", NULL, 7, params, _("store.doing.writing_event"),
                        err, errlen);
  pq.PQclear(res);
  return res != NULL ? 0 : -1;
}

static int pg_last_summary(store *st, long long conference, int *found, char **children,
                           int *closed, char *err, size_t errlen) {
  char id[32];
  snprintf(id, sizeof id, "%lld", conference);
  const char *params[] = {id};
  *found = 0;
  *children = NULL;
  PGresult *res = query(PG(st), "last_summary", NULL, 1, params, _("store.doing.reading_summary"),
                        err, errlen);
  if (res == NULL) return -1;
  if (pq.PQntuples(res) == 1) {
    *found = 1;
    *children = strdup(pq.PQgetvalue(res, 0, 0));
    *closed = atoi(pq.PQgetvalue(res, 0, 1));
  }
  pq.PQclear(res);
  if (*found && *children == NULL) {
    store_set_err(err, errlen, _("store.out_of_memory"), st->label);
    return -1;
  }
  return 0;
}

static int pg_insert_summary(store *st, long long conference, long seq, const char *children,
                             int closed, char *err, size_t errlen) {
  char id[32], n[32];
  snprintf(id, sizeof id, "%lld", conference);
  snprintf(n, sizeof n, "%ld", seq);
  const char *params[] = {id, n, children, closed ? "1" : "0"};
  PGresult *res = run(PG(st), "insert_summary", NULL, 4, params, PGRES_COMMAND_OK,
                      _("store.doing.writing_summary"), err, errlen);
  pq.PQclear(res);
  return res != NULL ? 0 : -1;
}

/* --------------------------------------------------------------- reading */

static int pg_each_event(store *st, long long conference, store_event_fn fn, void *ctx,
                         char *err, size_t errlen) {
  char id[32];
  snprintf(id, sizeof id, "%lld", conference);
  const char *params[] = {id};
  PGresult *res = query(PG(st), NULL, "SELECT seq, time, actor, kind, payload, hash FROM events"
                        " WHERE conference = $1 ORDER BY seq", 1, params,
                        _("store.doing.reading_events"), err, errlen);
  if (res == NULL) return -1;
  int status = 0;
  /* A text column cannot hold a zero byte in PostgreSQL: no text is cut (store_event). */
  for (int i = 0; status == 0 && i < pq.PQntuples(res); i++) {
    store_event ev = {atol(pq.PQgetvalue(res, i, 0)), pq.PQgetvalue(res, i, 1), pq.PQgetvalue(res, i, 2),
                      pq.PQgetvalue(res, i, 3), pq.PQgetvalue(res, i, 4), pq.PQgetvalue(res, i, 5)};
    status = fn(ctx, &ev, err, errlen);
  }
  pq.PQclear(res);
  return status;
}

static int pg_each_row(store *st, store_row_fn fn, void *ctx, char *err, size_t errlen) {
  PGresult *res = query(PG(st), NULL,
                        "SELECT c.id, c.authority, c.type, c.date, s.children, s.closed"
                        " FROM conferences c JOIN summaries s ON s.conference = c.id"
                        " AND s.seq = (SELECT max(seq) FROM summaries WHERE conference = c.id)"
                        " ORDER BY c.id", 0, NULL, _("store.doing.listing"), err, errlen);
  if (res == NULL) return -1;
  int status = 0;
  for (int i = 0; status == 0 && i < pq.PQntuples(res); i++) {
    store_row row = {atoll(pq.PQgetvalue(res, i, 0)), pq.PQgetvalue(res, i, 1), pq.PQgetvalue(res, i, 2),
                     pq.PQgetvalue(res, i, 3), pq.PQgetvalue(res, i, 4), atoi(pq.PQgetvalue(res, i, 5))};
    status = fn(ctx, &row, err, errlen);
  }
  pq.PQclear(res);
  return status;
}

static int pg_each_id(store *st, store_id_fn fn, void *ctx, char *err, size_t errlen) {
  PGresult *res = query(PG(st), NULL, "SELECT id FROM conferences UNION"
                        " SELECT conference FROM events ORDER BY 1", 0, NULL,
                        _("store.doing.reading_conferences"), err, errlen);
  if (res == NULL) return -1;
  int status = 0;
  for (int i = 0; status == 0 && i < pq.PQntuples(res); i++)
    status = fn(ctx, atoll(pq.PQgetvalue(res, i, 0)), err, errlen);
  pq.PQclear(res);
  return status;
}

/* ---------------------------------------------------------------- claims */

/*
** Takes conference KEY's claim lock and writes ME's row in `claims`.
** Returns 0 when taken, 1 when another connection holds the lock, or -1.
*/
static int take_claim(pg *p, const char *const *key, const store_holder *me,
                      char *err, size_t errlen) {
  char pid[32], started[32];
  snprintf(pid, sizeof pid, "%ld", me->pid);
  snprintf(started, sizeof started, "%lld", me->started);
  PGresult *res = query(p, "try_claim", NULL, 1, key, _("store.doing.claiming"), err, errlen);
  if (res == NULL) return -1;
  int got = pq.PQgetvalue(res, 0, 0)[0] == 't';
  pq.PQclear(res);
  if (!got) return 1;
  const char *params[] = {key[0], me->chair, me->host, pid, started, me->since};
  res = run(p, "write_claim", NULL, 6, params, PGRES_COMMAND_OK, _("store.doing.claiming"),
            err, errlen);
  pq.PQclear(res);
  if (res != NULL) return 0;
  pq.PQclear(pq.PQexecPrepared(p->conn, "drop_claim", 1, key, NULL, NULL, 0));
  return -1;
}

/*
** Fills HOLDER from the row of the connection that holds conference KEY's
** lock. Returns 1, 0 when no row names it (none holds it, or its holder has
** not written its row yet, or is releasing it), or -1.
*/
static int read_holder(pg *p, const char *const *key, store_holder *holder,
                       char *err, size_t errlen) {
  PGresult *res = query(p, "read_claim", NULL, 1, key, _("store.doing.reading_claims"),
                        err, errlen);
  if (res == NULL) return -1;
  int named = pq.PQntuples(res) == 1;
  if (named) {
    snprintf(holder->chair, sizeof holder->chair, "%s", pq.PQgetvalue(res, 0, 0));
    snprintf(holder->host, sizeof holder->host, "%s", pq.PQgetvalue(res, 0, 1));
    holder->pid = atol(pq.PQgetvalue(res, 0, 2));
    snprintf(holder->since, sizeof holder->since, "%s", pq.PQgetvalue(res, 0, 3));
  }
  pq.PQclear(res);
  return named;
}

/*
** A claim is the session advisory lock (PG_CLAIM_CLASS, conference): the
** server drops it with the connection, so a crashed or killed session
** frees its conference at once. The `claims` row only names the holder; a
** row left by a dead connection is overwritten by the next claim. A lock
** with no row is a holder between its lock and its row, or one releasing
** (row deleted, lock not yet dropped): the lock is tried again meanwhile, so
** a conference freed during the wait is claimed, not refused to "?".
*/
static int pg_claim(store *st, long long conference, const store_holder *me,
                    store_holder *holder, char *err, size_t errlen) {
  pg *p = PG(st);
  char id[32];
  snprintf(id, sizeof id, "%lld", conference);
  const char *key[] = {id};
  for (int waited_ms = 0; waited_ms < PG_CLAIM_WAIT_MS; waited_ms += 25) {
    int taken = take_claim(p, key, me, err, errlen);
    if (taken != 1) return taken;
    int named = read_holder(p, key, holder, err, errlen);
    if (named != 0) return named;
    struct timespec pause = {0, 25 * 1000000L};
    nanosleep(&pause, NULL);
  }
  snprintf(holder->chair, sizeof holder->chair, "?");
  snprintf(holder->host, sizeof holder->host, "?");
  snprintf(holder->since, sizeof holder->since, "?");
  return 1;
}

/* Deletes the row, then drops the lock, so a newcomer never reads a holder that has gone. */
static void pg_release(store *st, long long conference, const store_holder *me) {
  (void)me;   /* the connection is the claim's owner */
  pg *p = PG(st);
  char id[32];
  snprintf(id, sizeof id, "%lld", conference);
  const char *key[] = {id};
  pq.PQclear(pq.PQexecPrepared(p->conn, "delete_claim", 1, key, NULL, NULL, 0));
  pq.PQclear(pq.PQexecPrepared(p->conn, "drop_claim", 1, key, NULL, NULL, 0));
}

/* Milliseconds on a monotonic clock. */
static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 if a notification has arrived (all that arrived are consumed), 0 if none, -1 lost. */
static int drain_notifies(pg *p, char *err, size_t errlen) {
  if (!pq.PQconsumeInput(p->conn)) {
    pg_err(p, _("store.doing.waiting"), NULL, err, errlen);
    return -1;
  }
  int any = 0;
  PGnotify *n;
  while ((n = pq.PQnotifies(p->conn)) != NULL) {
    any = 1;
    pq.PQfreemem(n);
  }
  return any;
}

/*
** LISTENs on CONFERENCE's channel (once) and waits for its NOTIFY, up to
** PG_WAIT_MAX_MS: the caller checks the record after every return. A signal
** cuts the wait short (under SIGMASK, so also one that was pending), so a
** board stops or changes its token at once.
*/
static int pg_wait(store *st, long long conference, long ms, const sigset_t *sigmask,
                   char *err, size_t errlen) {
  (void)ms;   /* no polling interval: the server says when something changed */
  pg *p = PG(st);
  if (p->listening != conference) {
    char sql[64];
    snprintf(sql, sizeof sql, "LISTEN confer_conference_%lld", conference);
    if (exec_sql(p, sql, _("store.doing.waiting"), err, errlen) != 0) return -1;
    p->listening = conference;
    return 0;   /* the caller re-reads the record once now that nothing can be missed */
  }
  long long deadline = now_ms() + PG_WAIT_MAX_MS;
  for (;;) {
    int got = drain_notifies(p, err, errlen);
    if (got != 0) return got < 0 ? -1 : 0;
    long long left = deadline - now_ms();
    if (left <= 0) return 0;
    int rc = store_wait_fd(pq.PQsocket(p->conn), (long)left, sigmask);
    if (rc < 0) {
      store_set_err(err, errlen, _("store.waiting_failed"), st->label, strerror(errno));
      return -1;
    }
    if (rc == 0) return 0;   /* the safety net's timeout, or a signal */
  }
}

const store_backend store_pg_backend = {
  pg_open, pg_close, pg_begin, pg_commit, pg_rollback, pg_latest_seq,
  pg_hash_of, pg_next_id, pg_insert_conference, pg_insert_event, pg_last_summary,
  pg_insert_summary, pg_each_event, pg_each_row, pg_each_id, pg_wait,
  pg_claim, pg_release, NULL,   /* no insert_event_later: each event is written at once */
};
