/*
** store.h — the durable conference record: an append-only event log.
**
** Contract. A store holds many conferences. Each change is one event
** appended in its own durable transaction (SQLite: WAL, synchronous=FULL,
** foreign keys on) together with the read tables that speed up listing; an
** event is acknowledged only after COMMIT returns. Nothing is updated in
** place or deleted. Each event carries a SHA-256 hash (sha256.h) chaining it
** to the previous event of its conference. Opening runs forward migrations
** (PRAGMA user_version); a file that is not a confer database, is newer than
** this binary or is corrupt is refused with a one-line error and left
** untouched. Busy databases are waited for (busy timeout plus retry), never
** reported as "database is locked". The interface names no SQLite type so a
** second backend (PostgreSQL) can stand behind it.
*/
#ifndef CONFER_STORE_H
#define CONFER_STORE_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <jansson.h>
#include "model.h"

typedef struct store store;

/*
** The database path: OPTION (a --db value) if given, else $CONFER_DB if not
** empty, else $XDG_DATA_HOME/confer/confer.db. An empty OPTION is refused.
*/
int store_default_path(const char *option, char *buf, size_t len, char *err, size_t errlen);

/*
** Opens (creating with mode 0600, its directory 0700) the database at PATH.
** Returns 0 and *OUT, or -1 with "PATH: reason" in ERR. PATH ":memory:" is a
** private in-memory database that vanishes at store_close (simulations, benchmarks).
*/
int store_open(const char *path, store **out, char *err, size_t errlen);

/*
** Opens PATH as store_open does, but only a store that is already there: a
** file path naming nothing is refused ("PATH: no such file ...") and nothing
** is created, so a mistyped source of push or pull leaves no empty database
** or directory behind. A postgresql:// URI is opened as by store_open.
*/
int store_open_existing(const char *path, store **out, char *err, size_t errlen);

/* Closes the store; NULL is a no-op. */
void store_close(store *st);

/*
** Creates a conference (event 1, conference.opened) and loads it into *OUT
** (caller frees with model_free). Its id ("1", "2", ...) is in (*OUT)->id.
*/
int store_create_conference(store *st, const char *authority, const char *type,
                            const char *date, const char *actor,
                            model_conference **out, char *err, size_t errlen);

/* Replays conference ID into a new model in *OUT. -1 with "unknown conference ID" etc. */
int store_load(store *st, const char *id, model_conference **out, char *err, size_t errlen);

/* Room for one line of confer verify's (store_load_checked's BROKEN). */
#define STORE_VERIFY_LINE_MAX 512

/*
** As store_load, checking the conference's hash chain in the same read of
** its events (run, record and board need both, and a long conference is
** read once). Returns 0 when the chain is sound (BROKEN gets ""), 1 when it
** is broken, with BROKEN (LEN bytes) holding the line confer verify prints
** for the conference, without its newline; the conference is loaded either
** way. -1 as store_load, whose refusals come first (an event missing from
** the sequence is one).
*/
int store_load_checked(store *st, const char *id, model_conference **out, char *broken,
                       size_t len, char *err, size_t errlen);

/*
** Groups the writes until store_batch_end into one transaction, for
** generated conferences (confer simulate): each is then written whole or not
** at all, and many are written fast, at the price that a crash loses the
** open batch. A failed write inside the batch rolls the whole batch back,
** so its conferences must be discarded; store_batch_end then says so.
** Inside a batch an event may be written some calls later (several at a
** time, which is faster): a failure to write it is then the error of the
** call that wrote it, store_batch_end at the latest. Reads see every event.
** Returns 0, or -1 with ERR.
*/
int store_batch_begin(store *st, char *err, size_t errlen);

/* Commits the batch: 0, or -1 with ERR (the batch failed or could not commit). */
int store_batch_end(store *st, char *err, size_t errlen);

/*
** Ends the batch without committing it: what it wrote is rolled back, so a
** conference its caller could not finish (a refused line) is not left half
** made. No batch open is a no-op.
*/
void store_batch_abandon(store *st);

/*
** Checks the event against CONF (model_check) and ACTOR as a name
** (model_check_name), appends it durably (with ACTOR and the current UTC
** time), then applies it to CONF and writes the new item's id into ID. If
** another process has appended to the same conference since CONF was
** loaded, nothing is written and -1 says so.
** CONF's event keeps a reference to PAYLOAD (not a copy): once appended,
** PAYLOAD must not be changed.
*/
int store_append(store *st, model_conference *conf, const char *kind,
                 const json_t *payload, const char *actor,
                 char *id, size_t idlen, char *err, size_t errlen);

/*
** Called after each event this handle writes (a conference's opening
** included), once the backend holds it: KIND and PAYLOAD_TEXT, the payload
** as it was stored and hashed (compact JSON, keys sorted). Inside a batch
** it also sees events a failed batch then discards.
*/
typedef void (*store_listener)(void *ud, const char *kind, const char *payload_text);

/* Sets ST's listener (FN NULL: none). `confer simulate --count` digests each conference this way. */
void store_listen(store *st, store_listener fn, void *ud);

/*
** The sequence number of the latest event of conference ID as the database
** holds it now (a watcher in another process compares it with its copy).
** -1 with the reason in ERR when ID is unknown or the database cannot be read.
*/
long store_last_seq(store *st, const char *id, char *err, size_t errlen);

/* One line per conference: "ID AUTHORITY TYPE DATE CHILDREN STATE". Returns 0 / -1. */
int store_list(store *st, FILE *out, char *err, size_t errlen);

/* The events of conference ID in order, one line each with time and actor. */
int store_history(store *st, const char *id, FILE *out, char *err, size_t errlen);

/* The conferences of the child NAME in date order with each conference's scaling. */
int store_child_history(store *st, const char *child, FILE *out, char *err, size_t errlen);

/*
** Checks every conference's hash chain; writes one line per conference and,
** for a broken chain, names the first broken event. Returns the number of
** broken chains, or -1 when the database cannot be read (ERR says why).
*/
int store_verify(store *st, FILE *out, char *err, size_t errlen);

/* As store_verify for conference ID alone: 1 broken, 0 sound, -1 unknown ID or unreadable. */
int store_verify_one(store *st, const char *id, FILE *out, char *err, size_t errlen);

/*
** Waits until conference ID may have changed: on SQLite (no announcements
** across processes) it sleeps MS milliseconds; on PostgreSQL it LISTENs and
** returns as soon as another process NOTIFYs an append to ID (or after 5 s
** at most, a safety net). A watcher calls it between store_last_seq checks.
** The wait runs under signal mask SIGMASK (NULL: the thread's own), as
** ppoll does: a watcher that blocks its stop signals while it checks their
** flags passes the mask it had before, so a signal that arrives after the
** check (pending until now) cuts this wait short instead of being seen only
** at the next wake-up. A signal returns 0 at once, as a timeout does.
** Returns 0, or -1 when the connection is lost (ERR says why).
*/
int store_wait(store *st, const char *id, long ms, const sigset_t *sigmask, char *err,
               size_t errlen);

/* Who holds a conference open in a session (store_claim). */
typedef struct store_holder {
  char chair[128];
  char host[128];        /* the machine's name (gethostname) */
  char since[32];        /* UTC, as an event's time */
  long pid;              /* the process on that machine */
  long long started;     /* when that process started (clock ticks since boot; 0 unknown) */
} store_holder;

/*
** Claims conference ID for this process's session, acting as CHAIR, so that
** a second session on the same conference is refused rather than racing it.
** On PostgreSQL the claim is a session advisory lock, which the server
** drops with the connection, plus a row in `claims` naming the holder; on
** SQLite it is the `claims` row alone, taken over when its process (on this
** machine) is gone. Returns 0 when claimed (or already claimed by this
** process), 1 when another live session holds it (*HOLDER says who; nothing
** is written), -1 with ERR on a database error or an unknown ID.
*/
int store_claim(store *st, const char *id, const char *chair, store_holder *holder,
                char *err, size_t errlen);

/*
** Gives up this process's claim of conference ID (one store_claim each). A
** failure is not reported: a claim whose holder has gone is taken over anyway.
*/
void store_release(store *st, const char *id);

/*
** Copies the events of conference ID that FROM has and TO lacks into TO, in
** one transaction (push and pull between a laptop's file and the server).
** Both chains are verified first. Refused, with nothing written, when the two
** differ at some event (ERR names the first one), when TO has events FROM
** lacks, or when either chain is broken. Returns the number of events
** copied (0: already in step), or -1.
*/
long store_sync(store *from, store *to, const char *id, char *err, size_t errlen);

/*
** 1 if the LEN bytes HEAD, read from the start of a file, begin with the
** 16 bytes every SQLite 3 database starts with ("SQLite format 3" and a zero
** byte); 0 otherwise, a shorter HEAD included. store_open tells a database
** file by it before SQLite sees the file, and `record -o` refuses to write
** over one. It names no SQLite type: only the file's first bytes.
*/
int store_has_sqlite_magic(const void *head, size_t len);

#endif
