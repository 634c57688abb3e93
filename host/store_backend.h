/*
** store_backend.h — what host/store.c asks of a database (internal to the store).
**
** host/store.c keeps everything both databases share: the hash chain, the
** model replay, the summaries, and the formatting of list, history and
** verify. A backend (store_sqlite.c, store_pg.c) only moves rows: it opens
** and migrates its database, runs the write transaction of one conference,
** and hands rows back through callbacks. Every function returns 0 on success
** and -1 with a one-line reason in ERR, unless it says otherwise.
*/
#ifndef CONFER_STORE_BACKEND_H
#define CONFER_STORE_BACKEND_H

#include <limits.h>
#include <stddef.h>

#include "store.h"

#define STORE_SCHEMA_VERSION 3

/*
** One stored event, as the hash covers it, plus its hash. Read back by
** each_event, a text whose column holds a zero byte (confer never writes
** one) is NULL: as a C string it would end at the zero, and the chain check
** and the replay would see less than an outside checker hashing the column.
*/
typedef struct store_event {
  long seq;
  const char *time, *actor, *kind, *payload, *hash;
} store_event;

/* One conference as `list` shows it: its opening facts and latest summary. */
typedef struct store_row {
  long long id;
  const char *authority, *type, *date;
  const char *children;   /* JSON array text */
  int closed;
} store_row;

typedef int (*store_event_fn)(void *ctx, const store_event *ev, char *err, size_t errlen);
typedef int (*store_row_fn)(void *ctx, const store_row *row, char *err, size_t errlen);
typedef int (*store_id_fn)(void *ctx, long long id, char *err, size_t errlen);

typedef struct store_backend {
  /* Opens LOCATION into st->db, refusing what is not a confer database, and migrates it. */
  int (*open)(store *st, const char *location, char *err, size_t errlen);
  void (*close)(store *st);
  /*
  ** Starts the write transaction of CONFERENCE (0: of a new conference),
  ** holding it against every other writer of the same conference until
  ** commit or rollback.
  */
  int (*begin)(store *st, long long conference, char *err, size_t errlen);
  int (*commit)(store *st, char *err, size_t errlen);
  void (*rollback)(store *st);
  /* The highest seq of CONFERENCE (0 when it has none), or -1. */
  long (*latest_seq)(store *st, long long conference, char *err, size_t errlen);
  /* The hash of event SEQ of CONFERENCE into HEX (65 bytes). */
  int (*hash_of)(store *st, long long conference, long seq, char *hex, char *err, size_t errlen);
  /* In a new conference's transaction: the next id (1, 2, ...), or -1. */
  long long (*next_id)(store *st, char *err, size_t errlen);
  int (*insert_conference)(store *st, long long id, const char *authority, const char *type,
                           const char *date, char *err, size_t errlen);
  int (*insert_event)(store *st, long long conference, const store_event *ev,
                      char *err, size_t errlen);
  /* The latest summary: *FOUND 0 when there is none; CHILDREN gets a copy the caller frees. */
  int (*last_summary)(store *st, long long conference, int *found, char **children,
                      int *closed, char *err, size_t errlen);
  int (*insert_summary)(store *st, long long conference, long seq, const char *children,
                        int closed, char *err, size_t errlen);
  /* Calls FN for each event of CONFERENCE in seq order; stops at FN's first non-zero. */
  int (*each_event)(store *st, long long conference, store_event_fn fn, void *ctx,
                    char *err, size_t errlen);
  /* Calls FN for each conference with a summary, in id order. */
  int (*each_row)(store *st, store_row_fn fn, void *ctx, char *err, size_t errlen);
  /* Calls FN for each id that has a conference row or any event, in order. */
  int (*each_id)(store *st, store_id_fn fn, void *ctx, char *err, size_t errlen);
  /*
  ** Waits up to MS milliseconds for a change to CONFERENCE announced by
  ** another process (PostgreSQL's NOTIFY); a backend without announcements
  ** just sleeps. Either waits under SIGMASK (store_wait_fd) and returns at
  ** once when a signal is caught. Returns 0 (a timeout is not an error).
  */
  int (*wait)(store *st, long long conference, long ms, const sigset_t *sigmask, char *err,
              size_t errlen);
  /*
  ** Claims CONFERENCE for ME unless a live session of another process holds
  ** it: 0 claimed, 1 held (HOLDER filled, nothing written), -1.
  */
  int (*claim)(store *st, long long conference, const store_holder *me, store_holder *holder,
               char *err, size_t errlen);
  /* Gives up ME's claim of CONFERENCE; errors are ignored (store_release). */
  void (*release)(store *st, long long conference, const store_holder *me);
  /*
  ** As insert_event, but for a batch (store_batch_begin): may keep a copy of
  ** EV and write it with the next call that touches the database (wait,
  ** claim and release excepted: they need no open transaction), several
  ** events to a statement. That call then reports a failure to write it,
  ** which fails the batch as any write in it would. Rollback drops what is
  ** kept. NULL: the backend writes each event at once (insert_event).
  */
  int (*insert_event_later)(store *st, long long conference, const store_event *ev,
                            char *err, size_t errlen);
} store_backend;

struct store {
  const store_backend *be;
  void *db;                 /* the backend's own state */
  char label[PATH_MAX];     /* how errors name the database (a URI without its password) */
  int batch;                /* store_batch_begin's transaction is open */
  long long tip_conference; /* the event this connection last inserted (store.c's chain */
  long tip_seq;             /* cache): its conference, seq and hash; 0 when unknown */
  unsigned char tip_hash[32];   /* raw, as the next event's hash takes it */
  long long batch_created;  /* the conference made in the open batch, which no other
                               connection can write to before the commit; 0 if none */
  store_listener listener;  /* store_listen's, or NULL */
  void *listener_ud;
};

extern const store_backend store_sqlite_backend;
extern const store_backend store_pg_backend;

/* 1 if LOCATION names a PostgreSQL database (postgresql:// or postgres:// URI). */
int store_is_pg(const char *location);

/*
** Migration 2's data step, shared by both backends: one summary row per
** existing conference, from its replay. Runs inside the migration's transaction.
*/
int store_fill_summaries(store *st, char *err, size_t errlen);

/*
** When process PID of this machine started (clock ticks since boot, from
** /proc), so a recycled pid is not taken for a claim's holder; 0 when unknown.
*/
long long store_process_started(long pid);

/*
** Waits up to MS milliseconds for FD (-1: none, a sleep) to become readable,
** under signal mask SIGMASK (NULL: the thread's own) as ppoll does, so a
** signal the caller kept blocked until now ends the wait. Returns 1 when FD
** is readable, 0 on a timeout or a caught signal, -1 on an error (errno).
*/
int store_wait_fd(int fd, long ms, const sigset_t *sigmask);

/* Formats into ERR like snprintf (the backends' errors). */
void store_set_err(char *err, size_t errlen, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

#endif
