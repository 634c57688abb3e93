/*
** store.c — the durable conference record (see store.h), over either backend.
**
** One append-only table, `events`, is the record; `conferences` (the
** opening facts) and `summaries` (children and open/closed state after an
** event that changed them) are read tables written in the same transaction
** as the event, so listing never replays a conference. Each event's hash is
** SHA-256 over a length-prefixed encoding of (conference, seq, time, actor,
** kind, payload, previous hash), documented in docs/store.md so the chain can
** be checked without this program.
**
** This file holds what SQLite (store_sqlite.c) and PostgreSQL (store_pg.c)
** share: the chain, the model replay, the summaries, the formatting of list,
** history and verify, and the copying of a conference between two stores
** (push and pull). The backends only move rows (store_backend.h), so both
** give the same output byte for byte.
*/
#define _GNU_SOURCE   /* ppoll: the wait that lets a blocked signal in (store_wait_fd) */
#include "store.h"

#include <errno.h>
#include <poll.h>
#include <limits.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "json_text.h"
#include "paths.h"
#include "sha256.h"
#include "store_backend.h"
#include "utf8.h"

#define HASH_BYTES SHA256_BYTES
#define HASH_HEX (2 * HASH_BYTES + 1)
_Static_assert(sizeof ((store *)0)->tip_hash == HASH_BYTES, "store.tip_hash holds one raw hash");

/* ---------------------------------------------------------------- errors */

void store_set_err(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

#define set_err store_set_err

/* ------------------------------------------------------------ the chain */

static void put_field(sha256_ctx *h, const void *data, size_t len) {
  unsigned char prefix[8];
  for (int i = 0; i < 8; i++) prefix[i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
  sha256_update(h, prefix, sizeof prefix);
  sha256_update(h, data, len);
}

/* N in decimal into BUF (at least 21 bytes); returns its length. Every append hashes two. */
static size_t decimal(unsigned long long n, char *buf) {
  char digits[21];
  size_t len = 0;
  do digits[len++] = (char)('0' + n % 10); while ((n /= 10) > 0);
  for (size_t i = 0; i < len; i++) buf[i] = digits[len - 1 - i];
  buf[len] = '\0';
  return len;
}

/*
** The hash of one event into OUT. PREV is the previous event's hash, or NULL
** for a conference's first event (32 zero bytes).
*/
static void event_digest(long long conference, long seq, const char *time, const char *actor,
                         const char *kind, const char *payload,
                         const unsigned char prev[HASH_BYTES], unsigned char out[HASH_BYTES]) {
  static const unsigned char first[HASH_BYTES] = {0};
  char conf_text[24], seq_text[24];
  size_t conf_len = decimal((unsigned long long)conference, conf_text);
  size_t seq_len = decimal((unsigned long long)seq, seq_text);
  sha256_ctx h;
  sha256_init(&h);
  put_field(&h, conf_text, conf_len);
  put_field(&h, seq_text, seq_len);
  const char *texts[] = {time, actor, kind, payload};
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
    put_field(&h, texts[i], strlen(texts[i]));
  put_field(&h, prev != NULL ? prev : first, HASH_BYTES);
  sha256_final(&h, out);
}

/*
** The hash of one event as lowercase hex into HEX. PREV_HEX is the previous
** event's hash, or "" for a conference's first event.
*/
static void event_hash(long long conference, long seq, const char *time, const char *actor,
                       const char *kind, const char *payload, const char *prev_hex,
                       char hex[HASH_HEX]) {
  unsigned char prev[HASH_BYTES] = {0}, out[HASH_BYTES];
  if (prev_hex[0] != '\0')
    sodium_hex2bin(prev, sizeof prev, prev_hex, strlen(prev_hex), NULL, NULL, NULL);
  event_digest(conference, seq, time, actor, kind, payload, prev, out);
  sodium_bin2hex(hex, HASH_HEX, out, sizeof out);
}

/* 1 unless a text the replay reads held a zero byte (NULL: see store_event). */
static int texts_whole(const store_event *ev) {
  return ev->time != NULL && ev->actor != NULL && ev->kind != NULL && ev->payload != NULL;
}

/*
** 1 if EV's stored hash is the hash of its contents chained to PREV_HEX (""
** for the first event), which verify and a copy's check both ask.
*/
static int link_holds(long long conference, const store_event *ev, const char *prev_hex) {
  if (!texts_whole(ev) || ev->hash == NULL) return 0;
  char hash[HASH_HEX];
  event_hash(conference, ev->seq, ev->time, ev->actor, ev->kind, ev->payload, prev_hex, hash);
  return strcmp(hash, ev->hash) == 0;
}

/* The current UTC time as "YYYY-MM-DDTHH:MM:SS.mmmZ" (25 bytes with the NUL). */
static void utc_now(char buf[32]) {
  /* The seconds change far less often than events are written: formatted once per second. */
  static _Thread_local time_t formatted_second = -1;
  static _Thread_local char formatted[24];
  static _Thread_local size_t formatted_len;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  if (ts.tv_sec != formatted_second) {
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    formatted_len = strftime(formatted, sizeof formatted, "%Y-%m-%dT%H:%M:%S", &tm);
    formatted_second = ts.tv_sec;
  }
  long ms = ts.tv_nsec / 1000000;
  memcpy(buf, formatted, formatted_len);
  char *p = buf + formatted_len;
  *p++ = '.';
  *p++ = (char)('0' + ms / 100);
  *p++ = (char)('0' + ms / 10 % 10);
  *p++ = (char)('0' + ms % 10);
  *p++ = 'Z';
  *p = '\0';
}

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

/* ------------------------------------------------------------- summaries */

/*
** The read-table summary of CONF: its children's names as a JSON array, then
** NEW_CHILD when not NULL (a child being added comes after the others).
** Caller frees.
*/
static char *children_json_with(const model_conference *conf, const char *new_child) {
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
  if (new_child != NULL && json_array_append_new(names, json_string(new_child)) != 0) {
    json_decref(names);
    return NULL;
  }
  char *text = json_dumps(names, JSON_COMPACT);
  json_decref(names);
  return text;
}

/* The read-table summary of CONF as it stands. Caller frees. */
static char *children_json(const model_conference *conf) {
  return children_json_with(conf, NULL);
}

/* Appends the summary of CONF as it stands. */
static int insert_summary_of(store *st, long long conference, const model_conference *conf,
                             char *err, size_t errlen) {
  char *children = children_json(conf);
  if (children == NULL) {
    set_err(err, errlen, _("store.out_of_memory"), st->label);
    return -1;
  }
  int rc = st->be->insert_summary(st, conference, (long)conf->n_events, children,
                                  conf->closed != 0, err, errlen);
  free(children);
  return rc;
}

/* Appends a summary row at SEQ unless the latest one already says the same. */
static int update_summary(store *st, long long conference, long seq, const char *children,
                          int closed, char *err, size_t errlen) {
  int found, last_closed = 0;
  char *last_children;
  if (st->be->last_summary(st, conference, &found, &last_children, &last_closed,
                           err, errlen) != 0)
    return -1;
  int same = found && strcmp(last_children, children) == 0 && last_closed == closed;
  free(last_children);
  return same ? 0 : st->be->insert_summary(st, conference, seq, children, closed, err, errlen);
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
  /* The common changes need no replay: a child joins the end of the list; closing keeps it. */
  int adds_child = strcmp(kind, "child.added") == 0, closes = strcmp(kind, "conference.closed") == 0;
  if (adds_child || closes) {
    *children = children_json_with(conf, adds_child ? json_string_value(json_object_get(payload, "name"))
                                                    : NULL);
    *closed = closes || conf->closed != 0;
    if (*children == NULL) set_err(err, errlen, "%s", _("host.out_of_memory"));
    return *children == NULL ? -1 : 0;
  }
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
    if (*children == NULL) {
      set_err(err, errlen, "%s", _("host.out_of_memory"));
      status = -1;
    }
  }
  if (status != 0 && trial == NULL) set_err(err, errlen, "%s", _("host.out_of_memory"));
  model_free(trial);
  return status;
}

/* ------------------------------------------------------------- replaying */

/* What load_events carries from one event to the next. */
typedef struct replay {
  store *st;
  long long conference;
  model_conference *conf;
  long expected;
} replay;

/*
** 1 if S (who recorded an event, or when) shows as it is on one line. confer
** writes only such words there, but a copy handed over may hold others: an
** escape sequence would take over the terminal that shows them, a line break
** would add a line passing for confer's own. A copy is refused them
** (replay_list); a conference already in this store still opens (an older
** confer took any --chair), and history shows them as '?'.
*/
static int shows_on_one_line(const char *s) {
  return s == NULL || model_text_clean(s, strlen(s), 0);
}

static int replay_event(void *ctx, const store_event *ev, char *err, size_t errlen) {
  replay *r = ctx;
  json_error_t jerr;
  char id[32], reason[512];
  if (ev->seq != r->expected) {
    set_err(err, errlen, _("store.event_missing"), r->st->label,
            r->conference, r->expected);
    return -1;
  }
  if (!texts_whole(ev)) {
    set_err(err, errlen, _("store.zero_byte"), r->st->label, r->conference, ev->seq);
    return -1;
  }
  json_t *payload = json_loads(ev->payload, 0, &jerr);
  int status = 0;
  if (payload == NULL)
    set_err(err, errlen, _("store.bad_payload"), r->st->label,
            r->conference, ev->seq, jerr.text), status = -1;
  else if (model_apply(r->conf, ev->kind, payload, ev->actor, ev->time, id, sizeof id,
                       reason, sizeof reason) != 0)
    set_err(err, errlen, _("store.does_not_replay"), r->st->label,
            r->conference, ev->seq, reason), status = -1;
  json_decref(payload);
  r->expected++;
  return status;
}

/* Replays every event of CONFERENCE into CONF. */
static int load_events(store *st, long long conference, model_conference *conf,
                       char *err, size_t errlen) {
  replay r = {st, conference, conf, 1};
  return st->be->each_event(st, conference, replay_event, &r, err, errlen);
}

static int fill_one(void *ctx, long long id, char *err, size_t errlen) {
  store *st = ctx;
  model_conference *conf = model_new();
  int status = -1;
  if (conf == NULL) set_err(err, errlen, _("store.out_of_memory"), st->label);
  else if (load_events(st, id, conf, err, errlen) == 0)
    status = insert_summary_of(st, id, conf, err, errlen);
  model_free(conf);
  return status;
}

int store_fill_summaries(store *st, char *err, size_t errlen) {
  return st->be->each_id(st, fill_one, st, err, errlen);
}

/* ----------------------------------------------------------------- open */

int store_default_path(const char *option, char *buf, size_t len, char *err, size_t errlen) {
  /* `--db "$FILE"` with FILE unset must not record into the chair's own database. */
  if (option != NULL && option[0] == '\0') {
    set_err(err, errlen, "%s", _("store.empty_location"));
    return -1;
  }
  const char *env = getenv("CONFER_DB");
  const char *chosen = option != NULL ? option : env != NULL && env[0] != '\0' ? env : NULL;
  if (chosen != NULL) {
    if (snprintf(buf, len, "%s", chosen) >= (int)len) {
      set_err(err, errlen, _("store.path_too_long"), chosen);
      return -1;
    }
    return 0;
  }
  char dir[PATH_MAX];
  if (paths_user_dir("DATA", dir, sizeof dir) == NULL) {
    set_err(err, errlen, "%s", _("store.no_home"));
    return -1;
  }
  if (paths_join(buf, len, dir, "confer.db") == NULL) {
    set_err(err, errlen, _("store.default_path_too_long"), dir);
    return -1;
  }
  return 0;
}

int store_is_pg(const char *location) {
  return strncmp(location, "postgresql://", 13) == 0 || strncmp(location, "postgres://", 11) == 0;
}

/*
** How errors name LOCATION: a file's path as it is, a URI without its
** password ("postgresql://ann:secret@host/db" becomes "postgresql://ann@host/db",
** "?password=secret" becomes "?password=", as does every other "password="
** value, sslpassword's and a repeated one's included).
*/
static void redact(const char *location, char *buf, size_t len) {
  snprintf(buf, len, "%s", location);
  if (!store_is_pg(buf)) return;
  char *host = strstr(buf, "://") + 3;
  /* libpq takes user:password up to the first '@' before any '/' (a '?' in it too). */
  char *at = memchr(host, '@', strcspn(host, "/"));
  char *colon = at != NULL ? memchr(host, ':', (size_t)(at - host)) : NULL;
  if (colon != NULL) memmove(colon, at, strlen(at) + 1);
  for (char *password = strstr(buf, "password="); password != NULL;
       password = strstr(password, "password=")) {
    password += 9;
    size_t n = strcspn(password, "&");
    memmove(password, password + n, strlen(password + n) + 1);
  }
}

int store_open(const char *path, store **out, char *err, size_t errlen) {
  *out = NULL;
  if (sodium_init() < 0) {
    set_err(err, errlen, _("store.no_libsodium"), path);
    return -1;
  }
  store *st = calloc(1, sizeof *st);
  if (st == NULL) {
    set_err(err, errlen, _("store.out_of_memory"), path);
    return -1;
  }
  redact(path, st->label, sizeof st->label);
  st->be = store_is_pg(path) ? &store_pg_backend : &store_sqlite_backend;
  if (st->be->open(st, path, err, errlen) != 0) {
    free(st);
    return -1;
  }
  *out = st;
  return 0;
}

int store_open_existing(const char *path, store **out, char *err, size_t errlen) {
  *out = NULL;
  if (!store_is_pg(path) && strcmp(path, ":memory:") != 0 && access(path, F_OK) != 0 &&
      errno == ENOENT) {
    set_err(err, errlen, _("store.no_such_store"), path);
    return -1;
  }
  return store_open(path, out, err, errlen);
}

void store_close(store *st) {
  if (st == NULL) return;
  st->be->close(st);
  free(st);
}

/* --------------------------------------------------------------- writing */

/* A write's own transaction, or nothing inside a batch (store_batch_begin). */
static int tx_begin(store *st, long long conference, char *err, size_t errlen) {
  if (st->batch == 1) return 0;
  if (st->batch == -1) {
    set_err(err, errlen, _("store.batch_failed_earlier"), st->label);
    return -1;
  }
  return st->be->begin(st, conference, err, errlen);
}

static int tx_commit(store *st, char *err, size_t errlen) {
  return st->batch == 1 ? 0 : st->be->commit(st, err, errlen);
}

/*
** The chain's tip as this connection wrote it, so the next append need not
** read the previous hash back. Forgotten on any rollback: what was written
** in the transaction is gone, and the database is read again.
*/
static void forget_tip(store *st) {
  st->tip_conference = 0;
  st->tip_seq = 0;
}

/* A failure inside a batch loses the whole batch: later writes are refused until its end. */
static void tx_rollback(store *st) {
  forget_tip(st);
  if (st->batch == -1) return;
  st->be->rollback(st);
  if (st->batch == 1) st->batch = -1;
}

int store_batch_begin(store *st, char *err, size_t errlen) {
  if (st->batch != 0) {
    set_err(err, errlen, _("store.batch_open"), st->label);
    return -1;
  }
  if (st->be->begin(st, 0, err, errlen) != 0) return -1;
  st->batch = 1;
  st->batch_created = 0;
  return 0;
}

int store_batch_end(store *st, char *err, size_t errlen) {
  int was = st->batch;
  st->batch = 0;
  st->batch_created = 0;
  if (was == 1) {
    if (st->be->commit(st, err, errlen) == 0) return 0;
    forget_tip(st);
    st->be->rollback(st);
    return -1;
  }
  if (was == -1) set_err(err, errlen, _("store.batch_failed"), st->label);
  else set_err(err, errlen, _("store.no_batch"), st->label);
  return -1;
}

void store_batch_abandon(store *st) {
  int was = st->batch;
  st->batch = 0;
  st->batch_created = 0;
  forget_tip(st);
  if (was == 1) st->be->rollback(st);
}

/*
** Inserts EV (its hash still to be computed into HASH) chained to the previous
** event. The previous hash is the remembered tip when this connection wrote
** that event (the caller has checked it is still the latest), else read back.
*/
static int insert_event(store *st, long long conference, store_event *ev, char hash[HASH_HEX],
                        char *err, size_t errlen) {
  unsigned char prev[HASH_BYTES], out[HASH_BYTES];
  const unsigned char *chained = NULL;
  if (ev->seq > 1 && st->tip_conference == conference && st->tip_seq == ev->seq - 1) {
    chained = st->tip_hash;
  } else if (ev->seq > 1) {
    char prev_hex[HASH_HEX];
    if (st->be->hash_of(st, conference, ev->seq - 1, prev_hex, err, errlen) != 0) return -1;
    memset(prev, 0, sizeof prev);
    sodium_hex2bin(prev, sizeof prev, prev_hex, strlen(prev_hex), NULL, NULL, NULL);
    chained = prev;
  }
  event_digest(conference, ev->seq, ev->time, ev->actor, ev->kind, ev->payload, chained, out);
  sodium_bin2hex(hash, HASH_HEX, out, sizeof out);
  ev->hash = hash;
  forget_tip(st);
  /* In a batch a failed write loses the whole batch anyway: it may come later. */
  int (*write)(store *, long long, const store_event *, char *, size_t) =
    st->batch == 1 && st->be->insert_event_later != NULL ? st->be->insert_event_later
                                                         : st->be->insert_event;
  if (write(st, conference, ev, err, errlen) != 0) return -1;
  st->tip_conference = conference;
  st->tip_seq = ev->seq;
  memcpy(st->tip_hash, out, HASH_BYTES);
  if (st->listener != NULL) st->listener(st->listener_ud, ev->kind, ev->payload);
  return 0;
}

void store_listen(store *st, store_listener fn, void *ud) {
  st->listener = fn;
  st->listener_ud = ud;
}

/*
** The write transaction of an append: refuses when another process has
** appended to the conference since CONF was loaded, else writes the event
** and (CHILDREN not NULL) its summary, and commits.
*/
static int write_durably(store *st, long long conference, const model_conference *conf,
                         store_event *ev, const char *children, int closed,
                         char *err, size_t errlen) {
  if (tx_begin(st, conference, err, errlen) != 0) return -1;
  /* A conference made in the open batch is nobody else's yet: its tip is its latest event. */
  long seq = st->batch == 1 && conference == st->batch_created && st->tip_conference == conference
             ? st->tip_seq : st->be->latest_seq(st, conference, err, errlen);
  char hash[HASH_HEX];
  int status = -1;
  if (seq >= 0 && (size_t)seq != conf->n_events)
    set_err(err, errlen, _("store.changed_elsewhere"), conf->id, seq,
            conf->n_events);
  else if (seq >= 0 && insert_event(st, conference, ev, hash, err, errlen) == 0 &&
           (children == NULL ||
            update_summary(st, conference, ev->seq, children, closed, err, errlen) == 0))
    status = tx_commit(st, err, errlen);
  if (status != 0) tx_rollback(st);
  return status;
}

int store_append(store *st, model_conference *conf, const char *kind,
                 const json_t *payload, const char *actor,
                 char *id, size_t idlen, char *err, size_t errlen) {
  if (idlen > 0) id[0] = '\0';
  long long conference = parse_id(conf->id);
  if (conference < 0) {
    set_err(err, errlen, "%s", _("store.not_from_record"));
    return -1;
  }
  if (model_check_name("\"actor\"", actor, err, errlen) != 0 ||
      model_check(conf, kind, payload, err, errlen) != 0)
    return -1;
  char *children = NULL;
  int closed = 0;
  if (may_change_summary(kind) &&
      summary_after(conf, kind, payload, &children, &closed, err, errlen) != 0)
    return -1;
  char text_buf[2048];
  json_text text;
  json_text_init(&text, text_buf, sizeof text_buf);
  const char *payload_text = json_text_sorted(&text, payload) == 0 ? text.data : NULL;
  char time[32];
  utc_now(time);
  store_event ev = {(long)conf->n_events + 1, time, actor, kind, payload_text, NULL};
  int status = -1;
  if (payload_text == NULL) set_err(err, errlen, _("store.out_of_memory"), st->label);
  else status = write_durably(st, conference, conf, &ev, children, closed, err, errlen);
  free(children);
  json_text_free(&text);
  if (status != 0) return -1;
  /* Durable now, and checked above; only memory can fail, and then the caller must reload. */
  char reason[256];
  if (model_apply_checked(conf, kind, payload, actor, time, id, idlen, reason, sizeof reason) != 0) {
    set_err(err, errlen, _("store.recorded_but"), ev.seq,
            reason);
    return -1;
  }
  return 0;
}

/* The payload of conference.opened; NULL with ERR set when a field is not UTF-8 text. */
static json_t *opening_payload(long long number, const char *authority, const char *type,
                               const char *date, const char *actor, char *err, size_t errlen) {
  char id_text[32];
  snprintf(id_text, sizeof id_text, "%lld", number);
  json_t *payload = json_object();
  if (payload == NULL ||
      json_object_set_new(payload, "id", json_string(id_text)) != 0 ||
      json_object_set_new(payload, "authority", json_string(authority)) != 0 ||
      json_object_set_new(payload, "type", json_string(type)) != 0 ||
      json_object_set_new(payload, "date", json_string(date)) != 0 ||
      json_object_set_new(payload, "chair", json_string(actor)) != 0) {
    json_decref(payload);
    set_err(err, errlen, "%s", _("store.not_utf8"));
    return NULL;
  }
  return payload;
}

int store_create_conference(store *st, const char *authority, const char *type,
                            const char *date, const char *actor,
                            model_conference **out, char *err, size_t errlen) {
  *out = NULL;
  model_conference *conf = model_new();
  json_t *payload = NULL;
  char text_buf[1024];
  json_text text;
  json_text_init(&text, text_buf, sizeof text_buf);
  if (conf == NULL) {
    set_err(err, errlen, _("store.out_of_memory"), st->label);
    return -1;
  }
  if (tx_begin(st, 0, err, errlen) != 0) goto fail;
  long long number = st->be->next_id(st, err, errlen);
  char time[32], item[32], hash[HASH_HEX];
  utc_now(time);
  if (number < 0 ||
      (payload = opening_payload(number, authority, type, date, actor, err, errlen)) == NULL ||
      model_check(conf, "conference.opened", payload, err, errlen) != 0 ||
      model_apply_checked(conf, "conference.opened", payload, actor, time, item, sizeof item,
                          err, errlen) != 0)
    goto fail;
  if (json_text_sorted(&text, payload) != 0) {
    set_err(err, errlen, _("store.out_of_memory"), st->label);
    goto fail;
  }
  store_event ev = {1, time, actor, "conference.opened", text.data, NULL};
  if (st->be->insert_conference(st, number, authority, type, date, err, errlen) != 0 ||
      insert_event(st, number, &ev, hash, err, errlen) != 0 ||
      insert_summary_of(st, number, conf, err, errlen) != 0 ||
      tx_commit(st, err, errlen) != 0)
    goto fail;
  if (st->batch == 1) st->batch_created = number;
  json_text_free(&text);
  json_decref(payload);
  *out = conf;
  return 0;
fail:
  tx_rollback(st);
  json_text_free(&text);
  json_decref(payload);
  model_free(conf);
  return -1;
}

/* --------------------------------------------------------------- reading */

/*
** Replays conference ID into a new model in *OUT, reading its events with FN,
** whose context CTX holds R (filled in here: the conference and the model).
*/
static int load_through(store *st, const char *id, model_conference **out, store_event_fn fn,
                        replay *r, void *ctx, char *err, size_t errlen) {
  *out = NULL;
  long long conference = parse_id(id);
  model_conference *conf = conference > 0 ? model_new() : NULL;
  if (conference > 0 && conf == NULL) {
    set_err(err, errlen, _("store.out_of_memory"), st->label);
    return -1;
  }
  if (conference <= 0) {
    set_err(err, errlen, _("store.unknown_conference"), id != NULL ? id : _("store.no_id"));
    return -1;
  }
  *r = (replay){st, conference, conf, 1};
  if (st->be->each_event(st, conference, fn, ctx, err, errlen) != 0) {
    model_free(conf);
    return -1;
  }
  if (conf->n_events == 0) {
    model_free(conf);
    set_err(err, errlen, _("store.unknown_conference"), id);
    return -1;
  }
  *out = conf;
  return 0;
}

int store_load(store *st, const char *id, model_conference **out, char *err, size_t errlen) {
  replay r;
  return load_through(st, id, out, replay_event, &r, &r, err, errlen);
}

long store_last_seq(store *st, const char *id, char *err, size_t errlen) {
  long long conference = parse_id(id);
  long seq = conference > 0 ? st->be->latest_seq(st, conference, err, errlen) : -1;
  if (conference <= 0 || seq == 0) {
    set_err(err, errlen, _("store.unknown_conference"), id != NULL ? id : _("store.no_id"));
    return -1;
  }
  return seq;
}

int store_wait(store *st, const char *id, long ms, const sigset_t *sigmask, char *err,
               size_t errlen) {
  return st->be->wait(st, parse_id(id), ms, sigmask, err, errlen);
}

int store_wait_fd(int fd, long ms, const sigset_t *sigmask) {
  struct pollfd watched = {fd, POLLIN, 0};
  struct timespec limit = {ms / 1000, (ms % 1000) * 1000000L};
  int rc = ppoll(fd >= 0 ? &watched : NULL, fd >= 0 ? 1 : 0, &limit, sigmask);
  if (rc < 0 && errno == EINTR) return 0;
  return rc < 0 ? -1 : rc > 0;
}

/* ------------------------------------------------------------- sessions */

long long store_process_started(long pid) {
  char path[64], line[1024];
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  FILE *f = fopen(path, "r");
  if (f == NULL) return 0;
  size_t n = fread(line, 1, sizeof line - 1, f);
  fclose(f);
  line[n] = '\0';
  /* Field 22, counted after the command name, which may hold spaces and ')'. */
  const char *p = strrchr(line, ')');
  for (int field = 2; p != NULL && field < 22; field++) p = strchr(p + 1, ' ');
  return p != NULL ? strtoll(p + 1, NULL, 10) : 0;
}

/* This process as a holder: CHAIR, this machine, now. */
static void holder_of_self(store_holder *me, const char *chair) {
  memset(me, 0, sizeof *me);
  snprintf(me->chair, sizeof me->chair, "%s", chair);
  if (gethostname(me->host, sizeof me->host) != 0) snprintf(me->host, sizeof me->host, "?");
  me->host[sizeof me->host - 1] = '\0';
  utc_now(me->since);
  me->pid = (long)getpid();
  me->started = store_process_started(me->pid);
}

int store_claim(store *st, const char *id, const char *chair, store_holder *holder,
                char *err, size_t errlen) {
  memset(holder, 0, sizeof *holder);
  long long conference = parse_id(id);
  long seq = conference > 0 ? st->be->latest_seq(st, conference, err, errlen) : 0;
  if (seq < 0) return -1;
  if (seq == 0) {
    set_err(err, errlen, _("store.unknown_conference"), id != NULL ? id : _("store.no_id"));
    return -1;
  }
  store_holder me;
  holder_of_self(&me, chair);
  return st->be->claim(st, conference, &me, holder, err, errlen);
}

void store_release(store *st, const char *id) {
  long long conference = parse_id(id);
  if (conference <= 0) return;
  store_holder me;
  holder_of_self(&me, "");
  st->be->release(st, conference, &me);
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

/* ------------------------------------------------------------------ list */

static int list_row(void *ctx, const store_row *row, char *err, size_t errlen) {
  (void)err, (void)errlen;
  FILE *out = ctx;
  fprintf(out, "%lld  %s  %s  %s  ", row->id, row->authority, row->type, row->date);
  write_names(out, row->children);
  fprintf(out, "  %s\n", row->closed ? "closed" : "open");
  return 0;
}

int store_list(store *st, FILE *out, char *err, size_t errlen) {
  return st->be->each_row(st, list_row, out, err, errlen);
}

/* --------------------------------------------------------------- history */

/* Writes TEXT cut to about MAX bytes at a UTF-8 character boundary. */
static void write_clipped(FILE *out, const char *text, size_t max) {
  size_t len = strlen(text), shown = utf8_prefix_length(text, len, max);
  fprintf(out, "%.*s%s", (int)shown, text, shown < len ? "..." : "");
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

/*
** S as history shows it, in BUF (LEN bytes): on one line, control characters
** as '?' (a file an older confer wrote may hold them); "-" when S is NULL.
*/
static const char *shown_on_one_line(char *buf, size_t len, const char *s) {
  if (s == NULL) return "-";
  utf8_printable_copy(buf, len, s, strlen(s), 1);
  return buf;
}

int store_history(store *st, const char *id, FILE *out, char *err, size_t errlen) {
  model_conference *conf;
  if (store_load(st, id, &conf, err, errlen) != 0) return -1;
  for (size_t i = 0; i < conf->n_events; i++) {
    const model_event *ev = &conf->events[i];
    char time[64], actor[512];
    fprintf(out, "%ld  %s  %s  %s  ", ev->seq, shown_on_one_line(time, sizeof time, ev->time),
            shown_on_one_line(actor, sizeof actor, ev->actor), ev->kind);
    write_digest(out, conf, ev);
    long by = undone_by(conf, ev->seq);
    if (by > 0) fprintf(out, _("store.history.undone_by"), by);
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
  if (!any) fprintf(out, "%s\n", _("store.history.no_scaling"));
}

/* A conference found for a child's history: its id and date, for sorting. */
typedef struct child_hit {
  long long id;
  char date[16];
} child_hit;

typedef struct child_search {
  const char *child;
  child_hit *hits;
  size_t n, cap;
} child_search;

/* 1 if the JSON array text NAMES holds NAME. */
static int names_hold(const char *names_text, const char *name) {
  json_t *names = json_loads(names_text, 0, NULL);
  size_t i;
  json_t *value;
  int found = 0;
  json_array_foreach(names, i, value)
    if (json_is_string(value) && strcmp(json_string_value(value), name) == 0) found = 1;
  json_decref(names);
  return found;
}

static int collect_child(void *ctx, const store_row *row, char *err, size_t errlen) {
  child_search *search = ctx;
  if (!names_hold(row->children, search->child)) return 0;
  if (search->n == search->cap) {
    size_t cap = search->cap ? 2 * search->cap : 8;
    child_hit *grown = realloc(search->hits, cap * sizeof *grown);
    if (grown == NULL) {
      set_err(err, errlen, "%s", _("host.out_of_memory"));
      return -1;
    }
    search->hits = grown;
    search->cap = cap;
  }
  child_hit *hit = &search->hits[search->n++];
  hit->id = row->id;
  snprintf(hit->date, sizeof hit->date, "%s", row->date);
  return 0;
}

/* Date order, then id order for conferences on the same day. */
static int by_date(const void *a, const void *b) {
  const child_hit *x = a, *y = b;
  int c = strcmp(x->date, y->date);
  return c != 0 ? c : (x->id > y->id) - (x->id < y->id);
}

int store_child_history(store *st, const char *child, FILE *out, char *err, size_t errlen) {
  child_search search = {child, NULL, 0, 0};
  int status = st->be->each_row(st, collect_child, &search, err, errlen);
  if (status == 0 && search.n > 1) qsort(search.hits, search.n, sizeof *search.hits, by_date);
  for (size_t i = 0; status == 0 && i < search.n; i++) {
    char id[32];
    model_conference *conf;
    snprintf(id, sizeof id, "%lld", search.hits[i].id);
    if (store_load(st, id, &conf, err, errlen) != 0) {
      status = -1;
      break;
    }
    write_scaling(out, conf);
    model_free(conf);
  }
  if (status == 0 && search.n == 0) {
    set_err(err, errlen, _("store.no_child"), child);
    status = -1;
  }
  free(search.hits);
  return status;
}

/* ---------------------------------------------------------------- verify */

/* What checking one chain carries from one event to the next. */
typedef struct chain_check {
  long long conference;
  char prev[HASH_HEX];
  long expected;
  int broken;    /* 0 sound so far, else how: BROKEN_MISSING or BROKEN_HASH at event EXPECTED */
} chain_check;

enum { BROKEN_MISSING = 1, BROKEN_HASH };

static int check_link(void *ctx, const store_event *ev, char *err, size_t errlen) {
  (void)err, (void)errlen;
  chain_check *c = ctx;
  if (ev->seq != c->expected) c->broken = BROKEN_MISSING;
  else if (!link_holds(c->conference, ev, c->prev)) c->broken = BROKEN_HASH;
  if (c->broken) return 1;   /* stop: the rest of the chain cannot be checked */
  snprintf(c->prev, sizeof c->prev, "%s", ev->hash);
  c->expected++;
  return 0;
}

/* Verify's line (no newline) for C's broken chain into LINE. */
static void broken_line(const chain_check *c, char *line, size_t len) {
  if (c->broken == BROKEN_MISSING)
    snprintf(line, len, _("store.verify.missing_event"), c->conference, c->expected, c->expected);
  else
    snprintf(line, len, _("store.verify.bad_hash"), c->conference, c->expected);
}

/*
** Checks one conference's chain; writes its line. Returns 1 if broken, 0 if
** sound, -1 on a read error.
*/
static int verify_conference(store *st, long long conference, FILE *out,
                             char *err, size_t errlen) {
  chain_check c = {conference, "", 1, 0};
  if (st->be->each_event(st, conference, check_link, &c, err, errlen) < 0) return -1;
  if (c.broken) {
    char line[STORE_VERIFY_LINE_MAX];
    broken_line(&c, line, sizeof line);
    fprintf(out, "%s\n", line);
  } else if (c.expected == 1) {
    fprintf(out, _("store.verify.no_events"), conference);
    fputc('\n', out);
    c.broken = 1;
  }
  if (!c.broken) {
    fprintf(out, i18n_plural("store.verify.chain_sound", (unsigned long)(c.expected - 1)),
            conference, c.expected - 1);
    fputc('\n', out);
  }
  return c.broken != 0;
}

/* What store_load_checked carries from one event to the next: a replay and a chain check. */
typedef struct checked_replay {
  replay replay;
  chain_check chain;
} checked_replay;

static int replay_checking(void *ctx, const store_event *ev, char *err, size_t errlen) {
  checked_replay *r = ctx;
  /* Past a break the chain cannot be checked (verify stops there); the replay goes on. */
  if (!r->chain.broken) check_link(&r->chain, ev, err, errlen);
  return replay_event(&r->replay, ev, err, errlen);
}

int store_load_checked(store *st, const char *id, model_conference **out, char *broken,
                       size_t len, char *err, size_t errlen) {
  checked_replay r = {.chain = {parse_id(id), "", 1, 0}};
  if (load_through(st, id, out, replay_checking, &r.replay, &r, err, errlen) != 0) return -1;
  /* A replay refuses a missing event, so a loaded conference's chain can only break by a hash. */
  if (r.chain.broken) broken_line(&r.chain, broken, len);
  else if (len > 0) broken[0] = '\0';
  return r.chain.broken != 0;
}

typedef struct verify_all {
  store *st;
  FILE *out;
  int broken;
} verify_all;

static int verify_id(void *ctx, long long id, char *err, size_t errlen) {
  verify_all *v = ctx;
  int result = verify_conference(v->st, id, v->out, err, errlen);
  if (result < 0) return -1;
  v->broken += result;
  return 0;
}

int store_verify(store *st, FILE *out, char *err, size_t errlen) {
  verify_all v = {st, out, 0};
  return st->be->each_id(st, verify_id, &v, err, errlen) != 0 ? -1 : v.broken;
}

typedef struct id_search {
  long long wanted;
  int found;
} id_search;

static int match_id(void *ctx, long long id, char *err, size_t errlen) {
  (void)err, (void)errlen;
  id_search *s = ctx;
  if (id == s->wanted) s->found = 1;
  return 0;
}

int store_verify_one(store *st, const char *id, FILE *out, char *err, size_t errlen) {
  id_search search = {parse_id(id), 0};
  if (st->be->each_id(st, match_id, &search, err, errlen) != 0) return -1;
  if (search.wanted > 0 && search.found)
    return verify_conference(st, search.wanted, out, err, errlen);
  set_err(err, errlen, _("store.unknown_conference"), id != NULL ? id : _("store.no_id"));
  return -1;
}

/* ------------------------------------------------------------------ sync */

/* A conference's events as read, with their texts owned, and its chain checked. */
typedef struct event_list {
  store *st;
  long long conference;
  store_event *events;
  size_t n, cap;
  char prev[HASH_HEX];
} event_list;

static char *dup_text(const char *text) {
  size_t len = strlen(text) + 1;
  char *copy = malloc(len);
  if (copy != NULL) memcpy(copy, text, len);
  return copy;
}

static void free_events(event_list *list) {
  for (size_t i = 0; i < list->n; i++) {
    store_event *ev = &list->events[i];
    free((char *)ev->time), free((char *)ev->actor), free((char *)ev->kind);
    free((char *)ev->payload), free((char *)ev->hash);
  }
  free(list->events);
}

/* Keeps a copy of EV after checking that it is the next sound link of the chain. */
static int keep_event(void *ctx, const store_event *ev, char *err, size_t errlen) {
  event_list *list = ctx;
  if (ev->seq != (long)list->n + 1 || !link_holds(list->conference, ev, list->prev)) {
    set_err(err, errlen, _("store.sync.broken"), list->st->label, list->conference, list->n + 1);
    return -1;
  }
  snprintf(list->prev, sizeof list->prev, "%s", ev->hash);
  if (list->n == list->cap) {
    size_t cap = list->cap ? 2 * list->cap : 64;
    store_event *grown = realloc(list->events, cap * sizeof *grown);
    if (grown == NULL) goto oom;
    list->events = grown;
    list->cap = cap;
  }
  store_event copy = {ev->seq, dup_text(ev->time), dup_text(ev->actor), dup_text(ev->kind),
                      dup_text(ev->payload), dup_text(ev->hash)};
  list->events[list->n++] = copy;
  if (copy.time && copy.actor && copy.kind && copy.payload && copy.hash) return 0;
oom:
  set_err(err, errlen, "%s", _("host.out_of_memory"));
  return -1;
}

static int read_events(store *st, long long conference, event_list *list,
                       char *err, size_t errlen) {
  memset(list, 0, sizeof *list);
  list->st = st;
  list->conference = conference;
  return st->be->each_event(st, conference, keep_event, list, err, errlen);
}

/* The model of the events in LIST (they must replay), into *OUT. */
static int replay_list(const event_list *list, model_conference **out, char *err, size_t errlen) {
  replay r = {list->st, list->conference, model_new(), 1};
  int status = r.conf == NULL ? (set_err(err, errlen, "%s", _("host.out_of_memory")), -1) : 0;
  for (size_t i = 0; status == 0 && i < list->n; i++) {
    const store_event *ev = &list->events[i];
    if (!shows_on_one_line(ev->actor) || !shows_on_one_line(ev->time)) {
      set_err(err, errlen, _("store.unprintable_event"), list->st->label, list->conference, ev->seq);
      status = -1;
    } else {
      status = replay_event(&r, ev, err, errlen);
    }
  }
  if (status != 0) model_free(r.conf), r.conf = NULL;
  *out = r.conf;
  return status;
}

/*
** Compares the two lists event by event: 0 when TO is a prefix of FROM, else
** -1 with ERR naming the first event where they part.
*/
static int compare_lists(const event_list *from, const event_list *to, const char *id,
                         char *err, size_t errlen) {
  size_t common = from->n < to->n ? from->n : to->n;
  for (size_t i = 0; i < common; i++) {
    const store_event *a = &from->events[i], *b = &to->events[i];
    if (strcmp(a->hash, b->hash) == 0) continue;
    if (i == 0) {   /* never in step: the same number given to two conferences */
      set_err(err, errlen, _("store.sync.different_conferences"), id, from->st->label, id,
              to->st->label, a->actor, a->time, b->actor, b->time);
      return -1;
    }
    set_err(err, errlen, _("store.sync.diverged"), id, a->seq, from->st->label, a->kind,
            a->actor, a->time, to->st->label, b->kind, b->actor, b->time);
    return -1;
  }
  if (to->n > from->n) {
    set_err(err, errlen, i18n_plural("store.sync.ahead", (unsigned long)(to->n - from->n)), id,
            to->st->label, to->n - from->n, from->st->label, from->n + 1);
    return -1;
  }
  return 0;
}

/* Writes FROM's events after TO's last into TO, in one transaction. */
static int copy_events(const event_list *from, const event_list *to,
                       const model_conference *conf, char *err, size_t errlen) {
  store *st = to->st;
  long long conference = from->conference;
  forget_tip(st);   /* events written here bypass insert_event */
  if (st->be->begin(st, to->n == 0 ? 0 : conference, err, errlen) != 0) return -1;
  long seq = st->be->latest_seq(st, conference, err, errlen);
  int status = -1;
  char *children = children_json(conf);
  if (children == NULL) set_err(err, errlen, "%s", _("host.out_of_memory"));
  else if (seq >= 0 && (size_t)seq != to->n)
    set_err(err, errlen, _("store.sync.changed_during_copy"), conf->id, st->label);
  else if (seq >= 0 && (to->n > 0 || st->be->insert_conference(st, conference, conf->authority,
                                                                conf->type, conf->date,
                                                                err, errlen) == 0)) {
    status = 0;
    for (size_t i = to->n; status == 0 && i < from->n; i++)
      status = st->be->insert_event(st, conference, &from->events[i], err, errlen);
    if (status == 0)
      status = update_summary(st, conference, (long)from->n, children, conf->closed != 0,
                              err, errlen);
    if (status == 0) status = st->be->commit(st, err, errlen);
  }
  free(children);
  if (status != 0) st->be->rollback(st);
  return status;
}

long store_sync(store *from, store *to, const char *id, char *err, size_t errlen) {
  long long conference = parse_id(id);
  if (conference <= 0) {
    set_err(err, errlen, _("store.unknown_conference"), id != NULL ? id : _("store.no_id"));
    return -1;
  }
  event_list a = {0}, b = {0};
  model_conference *conf = NULL;
  long copied = -1;
  int read = read_events(from, conference, &a, err, errlen) == 0 &&
             read_events(to, conference, &b, err, errlen) == 0;
  if (read && a.n == 0)
    set_err(err, errlen, _("store.sync.unknown_conference"), from->label, id);
  else if (read && compare_lists(&a, &b, id, err, errlen) == 0) {
    if (a.n == b.n) copied = 0;
    else if (replay_list(&a, &conf, err, errlen) == 0 &&
             copy_events(&a, &b, conf, err, errlen) == 0)
      copied = (long)(a.n - b.n);
  }
  model_free(conf);
  free_events(&a);
  free_events(&b);
  return copied;
}
