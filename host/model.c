/*
** model.c — the conference model: validating events and folding them into
** plain C state.
**
** Every event kind has a row in EVENTS: its payload fields (checked the same
** way for every kind: presence, JSON type, UTF-8, control characters,
** length), a check for what the fields must mean against the current state
** (a named participant exists, a worry is recorded, ...) and an apply step.
** model_apply checks first, then builds every new piece before linking any
** of it in, so a failure (bad input or out of memory) leaves the state as it
** was.
**
** Ids. The nth creation event of a type in the log gets the id n ("W3" is
** the third entry.mapped with column "worried"), whether or not it was later
** undone: an undone W3 frees nothing and the next worry is W4. Ids therefore
** never move, so later events that name them keep their meaning, and a
** replay of the same events assigns the same ids.
**
** Undo. "event.undone" rebuilds the state by folding every event except the
** undone ones and the undo events themselves, checking each again. If an
** event no longer applies (an action whose owner's person.added is being
** undone), the undo is refused and names that event. Undo of an undo (redo),
** of conference.opened and of an event already undone is refused.
**
** Scaling and recommendations keep every score given (history, in the
** order given); the current score of a participant is the latest one. The
** escalation note and the decision are replaced by a later one; the event
** log keeps the earlier ones.
**
** Strings. The state's strings (an item's text, the decision, the current
** section, ...) are the strings of the payloads in the event log, not
** copies: the log keeps every event, undone ones included, for as long as
** the conference lives, and a payload is never changed once recorded (a copy
** by model_apply, the caller's promise for model_apply_checked). Only the
** arrays of them (an action's links, the previous texts, the categories) are
** the state's own. An event's kind, actor and time share one allocation.
**
** Lookups. Items are found by id in constant time through a per-type table
** from id number to item index; participants are found by name through a
** short list of the children and persons (a conference has a room's worth).
** The public model_conference is the first member of a private model_state
** that holds these tables, so conferences must come from model_new.
*/
#include "model.h"
#include "i18n.h"
#include "utf8.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_ITEM SIZE_MAX   /* a slot whose creation was undone */

typedef struct model_state {
  model_conference conf;    /* first: model_new hands out &state->conf */
  size_t *slots[MODEL_ITEM_TYPES];  /* id number - 1 -> index in items */
  size_t cap_slots[MODEL_ITEM_TYPES];
  size_t *people;           /* indexes of children and persons in items */
  size_t n_people, cap_people;
  /* While a rebuild folds it: the log refolded, how many of its events come before the
  ** one being folded, and which are undone. The state has no log of its own then. */
  const model_conference *log;
  size_t n_logged;
  const unsigned char *log_undone;
} model_state;

/* Id prefixes by item type; scales and recommendations have none. */
static const char ID_PREFIX[MODEL_ITEM_TYPES] = {
  'C', 'P', 'W', 'G', 'D', 'S', 'A', 'B', 'R', 'N', 0, 0, 'E'
};

static const char *const COLUMNS[] = {"worried", "working_well", NULL};
static const char *const EVIDENCE[] = {"fact", "observation", "allegation", "opinion", NULL};
static const char *const PLANS[] = {"cp", "cin", "none", NULL};
static const char *const CONF_TYPES[] = {"initial", "review", NULL};
static const char *const CATEGORIES[] = {"neglect", "physical", "emotional", "sexual", NULL};

#define UNDO_KIND "event.undone"
#define OPEN_KIND "conference.opened"

/* ---------------------------------------------------------------- errors */

/*
** Where a check reports: the event kind prefixes every message. RECORDING
** when the event is about to be recorded, not replayed (see text_problem).
*/
typedef struct report {
  const char *kind;
  char *err;
  size_t errlen;
  int recording;
} report;

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* Writes a bare message into ERR; returns -1 so callers can return it. */
static int PRINTF_LIKE(3, 4) fail_plain(char *err, size_t errlen, const char *fmt, ...) {
  if (err == NULL || errlen == 0) return -1;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
  return -1;
}

/* Writes "KIND: message" into the report; returns -1. */
static int PRINTF_LIKE(2, 3) fail(const report *r, const char *fmt, ...) {
  if (r->err == NULL || r->errlen == 0) return -1;
  int n = snprintf(r->err, r->errlen, "%s: ", r->kind);
  if (n < 0 || (size_t)n >= r->errlen) return -1;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
  va_end(ap);
  return -1;
}

static int out_of_memory(char *err, size_t errlen) {
  return fail_plain(err, errlen, "%s", _("host.out_of_memory"));
}

/* ------------------------------------------------------- text and dates */

enum { TEXT_OK, TEXT_BAD_UTF8, TEXT_CONTROL, TEXT_BIDI };

/* How text_problem reads a text. */
enum {
  TEXT_ALLOW_TAB = 1,   /* a tab is no control (texts, not names) */
  TEXT_NEW = 2          /* words about to be recorded: a bidirectional control is refused */
};

/*
** TEXT_OK, or the first problem met in S (LEN bytes) read as FLAGS say; the
** bidirectional control of a TEXT_BIDI in *BIDI. Texts already recorded are
** read without TEXT_NEW: an older confer let those controls in, and its
** records must still replay.
*/
static int text_problem(const char *s, size_t len, unsigned flags, uint32_t *bidi) {
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  while (p < end) {
    if (*p >= 0x20 && *p < 0x7F) {   /* printable ASCII, most of any text: fine as it is */
      p++;
      continue;
    }
    uint32_t cp;
    size_t n = utf8_sequence(p, (size_t)(end - p), &cp);
    if (n == 0) return TEXT_BAD_UTF8;
    if (utf8_is_control(cp) && !(cp == '\t' && (flags & TEXT_ALLOW_TAB))) return TEXT_CONTROL;
    if ((flags & TEXT_NEW) && utf8_is_bidi_control(cp)) {
      *bidi = cp;
      return TEXT_BIDI;
    }
    p += n;
  }
  return TEXT_OK;
}

int model_text_clean(const char *s, size_t len, int allow_tab) {
  uint32_t bidi;
  return text_problem(s, len, allow_tab ? TEXT_ALLOW_TAB : 0, &bidi) == TEXT_OK;
}

uint32_t model_text_bidi_control(const char *s, size_t len) {
  uint32_t bidi = 0;
  return text_problem(s, len, TEXT_ALLOW_TAB | TEXT_NEW, &bidi) == TEXT_BIDI ? bidi : 0;
}

static int is_blank(const char *s) {
  for (; *s; s++)
    if (*s != ' ' && *s != '\t') return 0;
  return 1;
}

/* The value of N decimal digits at S, or -1 if any is not a digit. */
static int digits_value(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

static int days_in_month(int year, int month) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

/* 1 if the first ten bytes of S are a real calendar date YYYY-MM-DD. */
static int is_date_prefix(const char *s) {
  if (strnlen(s, 10) < 10 || s[4] != '-' || s[7] != '-') return 0;
  int y = digits_value(s, 4), m = digits_value(s + 5, 2), d = digits_value(s + 8, 2);
  if (y < 1 || m < 1 || m > 12 || d < 1) return 0;
  return d <= days_in_month(y, m);
}

static int is_date(const char *s) {
  return is_date_prefix(s) && s[10] == '\0';
}

/* 1 if S is "HH:MM" with a real hour and minute. */
static int is_hour_minute(const char *s) {
  if (s[0] == '\0' || s[1] == '\0' || s[2] != ':') return 0;
  int h = digits_value(s, 2), m = digits_value(s + 3, 2);
  return h >= 0 && h <= 23 && m >= 0 && m <= 59;
}

/* 1 if S is YYYY-MM-DDTHH:MM:SS, optional fraction, then Z or +HH:MM/-HH:MM. */
static int is_timestamp(const char *s) {
  if (!is_date_prefix(s) || s[10] != 'T') return 0;
  s += 11;
  if (strnlen(s, 8) < 8 || !is_hour_minute(s) || s[5] != ':') return 0;
  int sec = digits_value(s + 6, 2);
  if (sec < 0 || sec > 59) return 0;
  s += 8;
  if (*s == '.') {
    if (s[1] < '0' || s[1] > '9') return 0;
    for (s++; *s >= '0' && *s <= '9'; s++) {}
  }
  if (*s == 'Z') return s[1] == '\0';
  if (*s != '+' && *s != '-') return 0;
  return strnlen(s + 1, 6) == 5 && is_hour_minute(s + 1);
}

/* Section ids are short words: letters, digits, "_", "-" and ".". */
static int is_section_id(const char *s) {
  size_t len = strlen(s);
  if (len == 0 || len > 64) return 0;
  for (; *s; s++) {
    char c = *s;
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '_' || c == '-' || c == '.';
    if (!ok) return 0;
  }
  return 1;
}

static int in_list(const char *const *list, const char *s) {
  for (; *list; list++)
    if (strcmp(*list, s) == 0) return 1;
  return 0;
}

/* "a, b, c" into BUF. */
static const char *join_list(const char *const *list, char *buf, size_t len) {
  size_t used = 0;
  buf[0] = '\0';
  for (const char *const *p = list; *p && used < len; p++) {
    int n = snprintf(buf + used, len - used, "%s%s", p == list ? "" : ", ", *p);
    if (n < 0) break;
    used += (size_t)n;
  }
  return buf;
}

/* --------------------------------------------------------------- ids */

/* The item type whose id starts with C, or -1. */
static int type_of_prefix(char c) {
  for (int t = 0; t < MODEL_ITEM_TYPES; t++)
    if (ID_PREFIX[t] != 0 && ID_PREFIX[t] == c) return t;
  return -1;
}

/* Parses "W12" into type and number; -1 if ID is not shaped like an id. */
static int parse_id(const char *id, int *type, size_t *number) {
  int t = type_of_prefix(id[0]);
  const char *digits = id + 1;
  size_t n = strlen(digits);
  if (t < 0 || n == 0 || n > 9 || digits[0] == '0') return -1;
  int v = digits_value(digits, (int)n);
  if (v < 0) return -1;
  *type = t;
  *number = (size_t)v;
  return 0;
}

/* ------------------------------------------------------ state helpers */

static model_state *state_of(model_conference *conf) { return (model_state *)conf; }
static const model_state *const_state_of(const model_conference *conf) {
  return (const model_state *)conf;
}

static int is_open(const model_state *st) { return st->conf.id != NULL; }

/* What an item owns: its arrays; the strings in them are the log's. */
static void item_free(model_item *it) {
  free(it->links);
  free(it->old_texts);
}

/* The kind's block holds the actor and the time too (event_record). */
static void event_free(model_event *ev) {
  free(ev->kind);
  json_decref(ev->payload);
}

/* Frees everything but the event log and zeroes it. */
static void free_derived(model_state *st) {
  model_conference *c = &st->conf;
  free(c->categories);
  free(c->core_group);
  for (size_t i = 0; i < c->n_items; i++) item_free(&c->items[i]);
  free(c->items);
  for (int t = 0; t < MODEL_ITEM_TYPES; t++) free(st->slots[t]);
  free(st->people);
  model_event *events = c->events;
  size_t n_events = c->n_events, cap_events = c->cap_events;
  memset(st, 0, sizeof *st);
  c->events = events;
  c->n_events = n_events;
  c->cap_events = cap_events;
}

/*
** Grows *ARRAY (of SIZE-byte elements) so one more fits, to FIRST elements
** the first time and twice as many after; -1 when out of memory.
*/
static int reserve_from(void **array, size_t *cap, size_t n, size_t size, size_t first) {
  if (n < *cap) return 0;
  size_t new_cap = *cap ? *cap * 2 : first;
  if (new_cap > SIZE_MAX / size) return -1;
  void *grown = realloc(*array, new_cap * size);
  if (grown == NULL) return -1;
  *array = grown;
  *cap = new_cap;
  return 0;
}

/* reserve_from for the short arrays: eight elements first. */
static int reserve(void **array, size_t *cap, size_t n, size_t size) {
  return reserve_from(array, cap, n, size, 8);
}

/* Room a simulated conference's items and events fit in without growing (about 25 and 35). */
#define FIRST_ITEMS 32
#define FIRST_EVENTS 64

/*
** The string of V for the state, or NULL: the payload's own (see Strings
** above), const only because jansson hands it out so.
*/
static char *logged_string(const json_t *v) { return (char *)json_string_value(v); }

/* A new array of the strings in JSON array A (NULL if A is empty); -1 when out of memory. */
static int string_array_of(char ***dst, size_t *n, const json_t *a) {
  size_t count = json_array_size(a);
  *dst = NULL;
  *n = 0;
  if (count == 0) return 0;
  char **list = malloc(count * sizeof *list);
  if (list == NULL) return -1;
  for (size_t i = 0; i < count; i++) list[i] = logged_string(json_array_get(a, i));
  *dst = list;
  *n = count;
  return 0;
}

/* The live (not withdrawn) participant named NAME, or NULL. */
static const model_item *find_participant(const model_state *st, const char *name) {
  for (size_t i = 0; i < st->n_people; i++) {
    const model_item *it = &st->conf.items[st->people[i]];
    if (!it->withdrawn && strcmp(it->text, name) == 0) return it;
  }
  return NULL;
}

static const model_item *find_item(const model_state *st, const char *id) {
  int type;
  size_t number;
  if (id == NULL || parse_id(id, &type, &number) != 0) return NULL;
  if (number > st->conf.next_id[type]) return NULL;
  size_t index = st->slots[type][number - 1];
  return index == NO_ITEM ? NULL : &st->conf.items[index];
}

/* ------------------------------------------------------ payload fields */

typedef enum {
  F_TEXT,      /* free text, up to MODEL_TEXT_MAX, tab allowed */
  F_NAME,      /* a name, role, category: up to MODEL_NAME_MAX */
  F_ENUM,      /* one of CHOICES */
  F_DATE,      /* YYYY-MM-DD */
  F_TIME,      /* ISO 8601 timestamp */
  F_SECTION,   /* a section id */
  F_ITEM_ID,   /* "W3" */
  F_SCORE,     /* integer 0..10 */
  F_SEQ,       /* integer */
  F_NAMES,     /* array of names */
  F_ENUMS,     /* array of CHOICES */
  F_ITEM_IDS,  /* array of item ids */
  F_SECTIONS   /* object: heading (a name) -> array of texts, at least one of each */
} field_type;

typedef struct field_spec {
  const char *name;
  field_type type;
  int required;
  const char *const *choices;
} field_spec;

/* The most fields an event kind has: each list below is declared with room for them and its end. */
#define MAX_EVENT_FIELDS 5

/*
** Checks S (LEN bytes) as a text (AS_TEXT: up to MODEL_TEXT_MAX, tab allowed)
** or a name: not blank, not too long, UTF-8 without control characters, and
** when RECORDING (new words) without bidirectional controls either. 0, or -1 with the problem,
** naming LABEL, in ERR.
*/
static int check_text(const char *label, const char *s, size_t len, int as_text, int recording,
                      char *err, size_t errlen) {
  size_t max = as_text ? MODEL_TEXT_MAX : MODEL_NAME_MAX;
  /* A zero byte is a control character: is_blank, reading S as C text, would stop at it. */
  int zero_byte = strlen(s) != len;
  if (len == 0 || (!zero_byte && is_blank(s))) return fail_plain(err, errlen, _("model.empty"), label);
  if (len > max) return fail_plain(err, errlen, _("model.too_long"), label, len, max);
  if (zero_byte) return fail_plain(err, errlen, _("model.control_character"), label);
  uint32_t bidi = 0;
  switch (text_problem(s, len, (as_text ? TEXT_ALLOW_TAB : 0) | (recording ? TEXT_NEW : 0), &bidi)) {
  case TEXT_BAD_UTF8: return fail_plain(err, errlen, _("model.not_utf8"), label);
  case TEXT_CONTROL: return fail_plain(err, errlen, _("model.control_character"), label);
  case TEXT_BIDI: return fail_plain(err, errlen, _("model.bidi_control"), label, (unsigned)bidi);
  default: return 0;
  }
}

int model_check_name(const char *label, const char *name, char *err, size_t errlen) {
  return check_text(label, name, strlen(name), 0, 1, err, errlen);
}

/* Checks one string value V against TYPE; LABEL names it in messages. */
static int check_string(const report *r, const char *label, field_type type,
                        const char *const *choices, const json_t *v) {
  if (!json_is_string(v)) return fail(r, _("model.not_string"), label);
  const char *s = json_string_value(v);
  char why[256];
  if (check_text(label, s, json_string_length(v), type == F_TEXT, r->recording, why, sizeof why) != 0)
    return fail(r, "%s", why);
  char choice_text[128];
  int tp;
  size_t number;
  switch (type) {
  case F_ENUM: case F_ENUMS:
    if (in_list(choices, s)) return 0;
    return fail(r, _("model.not_one_of"), label,
                join_list(choices, choice_text, sizeof choice_text), s);
  case F_DATE:
    return is_date(s) ? 0 : fail(r, _("model.not_date"), label, s);
  case F_TIME:
    return is_timestamp(s) ? 0 : fail(r, _("model.not_time"), label, s);
  case F_SECTION:
    return is_section_id(s) ? 0 :
      fail(r, _("model.not_section_id"), label, s);
  case F_ITEM_ID: case F_ITEM_IDS:
    return parse_id(s, &tp, &number) == 0 ? 0 :
      fail(r, _("model.not_item_id"), label, s);
  default:
    return 0;
  }
}

/* The bytes of a report's heading its messages quote. */
#define HEADING_QUOTED 40

/*
** Writes the label naming HEADING (LEN bytes, checked text) into LABEL: the
** heading cut between characters to HEADING_QUOTED bytes, "..." when cut.
*/
static void name_heading(char *label, size_t size, const char *heading, size_t len) {
  char quoted[HEADING_QUOTED + sizeof "..."];
  size_t shown = utf8_prefix_length(heading, len, HEADING_QUOTED);
  memcpy(quoted, heading, shown);
  strcpy(quoted + shown, shown < len ? "..." : "");
  snprintf(label, size, _("model.label.heading_named"), quoted);
}

/* Checks field F, present in the payload with value V. */
static int check_field(const report *r, const field_spec *f, const json_t *v) {
  /* The label is built for every field of every event, so without snprintf. */
  char label[64];
  size_t n = strlen(f->name);
  if (n > sizeof label - 3) n = sizeof label - 3;
  label[0] = '"';
  memcpy(label + 1, f->name, n);
  memcpy(label + 1 + n, "\"", 2);
  switch (f->type) {
  case F_SCORE: {
    json_int_t n = json_is_integer(v) ? json_integer_value(v) : -1;
    return n >= 0 && n <= 10 ? 0 : fail(r, _("model.not_score"), label);
  }
  case F_SEQ:
    return json_is_integer(v) ? 0 : fail(r, _("model.not_integer"), label);
  case F_SECTIONS: {
    const char *heading;
    json_t *blocks;
    if (!json_is_object(v) || json_object_size(v) == 0)
      return fail(r, _("model.not_headings"), label);
    json_object_foreach((json_t *)v, heading, blocks) {
      char heading_label[128], why[256];
      /* Checked in place: a copy to check could fail only for want of memory, not for the heading. */
      size_t heading_len = json_object_iter_key_len(json_object_key_to_iter(heading));
      if (check_text(_("model.label.heading"), heading, heading_len, 0, r->recording, why, sizeof why))
        return fail(r, "%s", why);
      name_heading(heading_label, sizeof heading_label, heading, heading_len);
      if (!json_is_array(blocks) || json_array_size(blocks) == 0)
        return fail(r, _("model.not_texts"), heading_label);
      size_t i;
      json_t *text;
      json_array_foreach(blocks, i, text)
        if (check_string(r, heading_label, F_TEXT, NULL, text)) return -1;
    }
    return 0;
  }
  case F_NAMES: case F_ENUMS: case F_ITEM_IDS: {
    size_t i;
    json_t *e;
    if (!json_is_array(v)) return fail(r, _("model.not_strings"), label);
    json_array_foreach(v, i, e) {
      if (!json_is_string(e)) return fail(r, _("model.not_strings"), label);
      if (check_string(r, label, f->type == F_NAMES ? F_NAME : f->type, f->choices, e)) return -1;
    }
    return 0;
  }
  default:
    return check_string(r, label, f->type, f->choices, v);
  }
}

/*
** Checks presence and form of every field of SPEC, in SPEC's order, then
** that P has no other. Every event comes here, so P's members are matched to
** SPEC in one walk instead of a hash lookup per field: a member is a field's
** value when its key is the field's name exactly (as json_object_get finds
** it), and unknown when no name equals it as a C string.
*/
static int check_fields(const report *r, const field_spec *spec, const json_t *p) {
  const json_t *values[MAX_EVENT_FIELDS] = {NULL};
  const char *unknown = NULL;
  for (void *it = json_object_iter((json_t *)p); it != NULL; it = json_object_iter_next((json_t *)p, it)) {
    const char *key = json_object_iter_key(it);
    size_t i = 0;
    while (spec[i].name && strcmp(spec[i].name, key) != 0) i++;
    if (spec[i].name == NULL) {
      if (unknown == NULL) unknown = key;
    } else if (json_object_iter_key_len(it) == strlen(key)) {
      values[i] = json_object_iter_value(it);
    }
  }
  for (size_t i = 0; spec[i].name; i++) {
    const json_t *v = values[i];
    if (v == NULL || json_is_null(v)) {
      if (spec[i].required) return fail(r, _("model.required"), spec[i].name);
      continue;
    }
    if (check_field(r, &spec[i], v)) return -1;
  }
  return unknown != NULL ? fail(r, _("model.unknown_field"), unknown) : 0;
}

/* The string field KEY of P, or NULL. */
static const char *str(const json_t *p, const char *key) {
  return json_string_value(json_object_get(p, key));
}

#define END_FIELDS {NULL, F_TEXT, 0, NULL}

static const field_spec F_OPENED[MAX_EVENT_FIELDS + 1] = {
  {"id", F_NAME, 1, NULL}, {"authority", F_NAME, 1, NULL}, {"type", F_ENUM, 1, CONF_TYPES},
  {"date", F_DATE, 1, NULL}, {"chair", F_NAME, 0, NULL}, END_FIELDS};
static const field_spec F_CHILD[MAX_EVENT_FIELDS + 1] = {
  {"name", F_NAME, 1, NULL}, {"dob", F_DATE, 0, NULL}, END_FIELDS};
static const field_spec F_PERSON[MAX_EVENT_FIELDS + 1] = {
  {"name", F_NAME, 1, NULL}, {"role", F_NAME, 1, NULL}, {"agency", F_NAME, 1, NULL}, END_FIELDS};
static const field_spec F_ENTRY[MAX_EVENT_FIELDS + 1] = {
  {"column", F_ENUM, 1, COLUMNS}, {"category", F_NAME, 1, NULL}, {"text", F_TEXT, 1, NULL},
  {"kind", F_ENUM, 0, EVIDENCE}, {"source", F_NAME, 0, NULL}, END_FIELDS};
static const field_spec F_TEXT_ONLY[MAX_EVENT_FIELDS + 1] = {{"text", F_TEXT, 1, NULL}, END_FIELDS};
static const field_spec F_SCALE[MAX_EVENT_FIELDS + 1] = {
  {"who", F_NAME, 1, NULL}, {"score", F_SCORE, 1, NULL}, {"why", F_TEXT, 0, NULL}, END_FIELDS};
static const field_spec F_RECOMMEND[MAX_EVENT_FIELDS + 1] = {
  {"who", F_NAME, 1, NULL}, {"plan", F_ENUM, 1, PLANS}, {"why", F_TEXT, 0, NULL}, END_FIELDS};
static const field_spec F_DECISION[MAX_EVENT_FIELDS + 1] = {
  {"plan", F_ENUM, 1, PLANS}, {"categories", F_ENUMS, 0, CATEGORIES}, END_FIELDS};
static const field_spec F_ACTION[MAX_EVENT_FIELDS + 1] = {
  {"text", F_TEXT, 1, NULL}, {"owner", F_NAME, 1, NULL}, {"due", F_DATE, 1, NULL},
  {"worries", F_ITEM_IDS, 1, NULL}, {"outcome", F_TEXT, 0, NULL}, END_FIELDS};
static const field_spec F_COREGROUP[MAX_EVENT_FIELDS + 1] = {{"members", F_NAMES, 1, NULL}, END_FIELDS};
static const field_spec F_DATES[MAX_EVENT_FIELDS + 1] = {
  {"review", F_DATE, 0, NULL}, {"core_group", F_DATE, 0, NULL}, END_FIELDS};
static const field_spec F_AMEND[MAX_EVENT_FIELDS + 1] = {{"id", F_ITEM_ID, 1, NULL}, {"text", F_TEXT, 1, NULL}, END_FIELDS};
static const field_spec F_WITHDRAW[MAX_EVENT_FIELDS + 1] = {{"id", F_ITEM_ID, 1, NULL}, {"why", F_TEXT, 0, NULL}, END_FIELDS};
static const field_spec F_SECTION_FIELDS[MAX_EVENT_FIELDS + 1] = {{"section", F_SECTION, 1, NULL}, END_FIELDS};
static const field_spec F_UNDO[MAX_EVENT_FIELDS + 1] = {{"seq", F_SEQ, 1, NULL}, END_FIELDS};
static const field_spec F_CLOSED[MAX_EVENT_FIELDS + 1] = {{"at", F_TIME, 1, NULL}, END_FIELDS};
static const field_spec F_REPORT_RECEIVED[MAX_EVENT_FIELDS + 1] = {
  {"agency", F_NAME, 1, NULL}, {"received", F_DATE, 1, NULL}, {"sections", F_SECTIONS, 1, NULL},
  {"file", F_NAME, 0, NULL}, END_FIELDS};
static const field_spec F_REPORT_SHARED[MAX_EVENT_FIELDS + 1] = {
  {"agency", F_NAME, 1, NULL}, {"date", F_DATE, 1, NULL}, END_FIELDS};

/* ------------------------------------------------------ meaning checks */

/* The live apology of NAME, or NULL. */
static const model_item *find_apology(const model_state *st, const char *name) {
  const model_conference *c = &st->conf;
  for (size_t i = 0; i < c->n_items; i++)
    if (c->items[i].type == MODEL_APOLOGY && !c->items[i].withdrawn && strcmp(c->items[i].text, name) == 0)
      return &c->items[i];
  return NULL;
}

/*
** NAME may be given to a new participant or apology: not "iro", nobody's yet.
** FIELD is the payload's field holding it, as the message quotes it.
*/
static int check_new_participant(const model_state *st, const report *r, const char *field,
                                 const char *name) {
  if (strcmp(name, "iro") == 0)
    return fail(r, _("model.iro_reserved"), field);
  if (find_participant(st, name)) return fail(r, _("model.already_participant"), name);
  const model_item *apology = find_apology(st, name);
  if (apology)
    return fail(r, _("model.sent_apologies"), name, apology->id, apology->id);
  return 0;
}

static int check_name(const model_state *st, const report *r, const json_t *p) {
  return check_new_participant(st, r, "\"name\"", str(p, "name"));
}

static int check_who(const model_state *st, const report *r, const json_t *p, int iro_allowed) {
  const char *who = str(p, "who");
  if (iro_allowed && strcmp(who, "iro") == 0) return 0;
  if (find_participant(st, who) == NULL) return fail(r, _("model.who_not_participant"), who);
  return 0;
}

static int check_scale(const model_state *st, const report *r, const json_t *p) {
  return check_who(st, r, p, 1);
}

static int check_recommendation(const model_state *st, const report *r, const json_t *p) {
  return check_who(st, r, p, 0);
}

/* Index of the first string in A equal to an earlier one, or 0 if none. */
static size_t first_repeat(const json_t *a) {
  for (size_t i = 1; i < json_array_size(a); i++)
    for (size_t j = 0; j < i; j++)
      if (strcmp(json_string_value(json_array_get(a, i)), json_string_value(json_array_get(a, j))) == 0)
        return i;
  return 0;
}

static int check_decision(const model_state *st, const report *r, const json_t *p) {
  (void)st;
  const char *plan = str(p, "plan");
  const json_t *cats = json_object_get(p, "categories");
  int given = cats != NULL && !json_is_null(cats);
  char choice_text[128];
  if (strcmp(plan, "cp") != 0) {
    if (given) return fail(r, _("model.categories_only_cp"), plan);
    return 0;
  }
  if (!given || json_array_size(cats) == 0)
    return fail(r, _("model.cp_needs_categories"),
                join_list(CATEGORIES, choice_text, sizeof choice_text));
  size_t again = first_repeat(cats);
  if (again)
    return fail(r, _("model.category_twice"), json_string_value(json_array_get(cats, again)));
  return 0;
}

static int check_action(const model_state *st, const report *r, const json_t *p) {
  const char *owner = str(p, "owner"), *due = str(p, "due");
  if (find_participant(st, owner) == NULL) return fail(r, _("model.owner_not_participant"), owner);
  if (strcmp(due, st->conf.date) < 0)
    return fail(r, _("model.due_before"), due, st->conf.date);
  const json_t *worries = json_object_get(p, "worries");
  if (json_array_size(worries) == 0) return fail(r, "%s", _("model.no_worries"));
  for (size_t i = 0; i < json_array_size(worries); i++) {
    const char *id = json_string_value(json_array_get(worries, i));
    const model_item *w = find_item(st, id);
    if (w == NULL || w->type != MODEL_WORRY) return fail(r, _("model.not_a_worry"), id);
    if (w->withdrawn) return fail(r, _("model.withdrawn"), id);
  }
  size_t again = first_repeat(worries);
  if (again)
    return fail(r, _("model.linked_twice"), json_string_value(json_array_get(worries, again)));
  return 0;
}

/* The chair's dates: at least one, and a meeting is never set before the conference itself. */
static int check_dates(const model_state *st, const report *r, const json_t *p) {
  const char *review = str(p, "review"), *core_group = str(p, "core_group");
  if (review == NULL && core_group == NULL) return fail(r, "%s", _("model.no_dates"));
  if (review != NULL && strcmp(review, st->conf.date) <= 0)
    return fail(r, _("model.review_not_after"), review, st->conf.date);
  if (core_group != NULL && strcmp(core_group, st->conf.date) <= 0)
    return fail(r, _("model.core_group_not_after"), core_group, st->conf.date);
  return 0;
}

static int check_coregroup(const model_state *st, const report *r, const json_t *p) {
  const json_t *members = json_object_get(p, "members");
  if (json_array_size(members) == 0) return fail(r, "%s", _("model.no_members"));
  for (size_t i = 0; i < json_array_size(members); i++) {
    const char *name = json_string_value(json_array_get(members, i));
    if (find_participant(st, name) == NULL) return fail(r, _("model.member_not_participant"), name);
  }
  size_t again = first_repeat(members);
  if (again)
    return fail(r, _("model.member_twice"), json_string_value(json_array_get(members, again)));
  return 0;
}

/* The live item named by "id" in P, or NULL after reporting why not. */
static const model_item *live_target(const model_state *st, const report *r, const json_t *p) {
  const char *id = str(p, "id");
  const model_item *it = find_item(st, id);
  if (it == NULL) {
    fail(r, _("model.no_item"), id);
    return NULL;
  }
  if (it->withdrawn) {
    fail(r, _("model.withdrawn"), id);
    return NULL;
  }
  return it;
}

static int check_amend(const model_state *st, const report *r, const json_t *p) {
  const model_item *it = live_target(st, r, p);
  if (it == NULL) return -1;
  const char *text = str(p, "text");
  if (strcmp(text, it->text) == 0) return fail(r, _("model.already_says"), it->id);
  if (it->type != MODEL_CHILD && it->type != MODEL_PERSON && it->type != MODEL_APOLOGY) return 0;
  /* The text of a child, person or apology is a name: the rules for names hold. */
  if (check_string(r, "\"text\"", F_NAME, NULL, json_object_get(p, "text"))) return -1;
  return check_new_participant(st, r, "\"text\"", text);
}

static int check_withdraw(const model_state *st, const report *r, const json_t *p) {
  const model_item *it = find_item(st, str(p, "id"));
  if (it == NULL) return fail(r, _("model.no_item"), str(p, "id"));
  if (it->withdrawn) return fail(r, _("model.already_withdrawn"), it->id);
  return 0;
}

int model_event_undone(const model_conference *c, long seq) {
  for (size_t i = (size_t)(seq > 0 ? seq : 0); i < c->n_events; i++) {
    const model_event *ev = &c->events[i];
    if (strcmp(ev->kind, UNDO_KIND) == 0 &&
        json_integer_value(json_object_get(ev->payload, "seq")) == seq)
      return 1;
  }
  return 0;
}

static int check_undo(const model_state *st, const report *r, const json_t *p) {
  json_int_t seq = json_integer_value(json_object_get(p, "seq"));
  const model_conference *c = &st->conf;
  if (seq < 1 || (size_t)seq > c->n_events) return fail(r, _("model.no_event"), (long long)seq);
  const char *kind = c->events[seq - 1].kind;
  if (strcmp(kind, OPEN_KIND) == 0) return fail(r, "%s", _("model.opening_not_undone"));
  if (strcmp(kind, UNDO_KIND) == 0) return fail(r, _("model.undo_not_undone"), (long long)seq);
  if (model_event_undone(c, (long)seq)) return fail(r, _("model.already_undone"), (long long)seq);
  return 0;
}

/*
** The latest event KIND naming AGENCY among the first N events of C's log,
** live as UNDONE says (a flag per event) or, when UNDONE is NULL, as C's undo
** events say.
*/
static const model_event *agency_event(const model_conference *c, size_t n,
                                       const unsigned char *undone, const char *kind,
                                       const char *agency) {
  for (size_t i = n; i-- > 0;) {
    const model_event *ev = &c->events[i];
    if (strcmp(ev->kind, kind) == 0 && !(undone ? undone[i] : model_event_undone(c, ev->seq)) &&
        strcmp(str(ev->payload, "agency"), agency) == 0)
      return ev;
  }
  return NULL;
}

const model_event *model_agency_event(const model_conference *c, const char *kind,
                                      const char *agency) {
  return agency_event(c, c->n_events, NULL, kind, agency);
}

/*
** A report is shared with the family only once received, and not before it
** arrived. A rebuild's state has no log: the report is in the one refolded.
*/
static int check_report_shared(const model_state *st, const report *r, const json_t *p) {
  const char *agency = str(p, "agency"), *date = str(p, "date");
  const model_event *received =
    st->log ? agency_event(st->log, st->n_logged, st->log_undone, "report.received", agency)
            : model_agency_event(&st->conf, "report.received", agency);
  if (received == NULL) return fail(r, _("model.no_report"), agency);
  const char *on = str(received->payload, "received");
  if (strcmp(date, on) < 0) return fail(r, _("model.date_before_report"), date, on);
  return 0;
}

/* ------------------------------------------------------ applying */

/* Writes the id PREFIX NUMBER ("W12") into ID (16 bytes); every new item comes here, so without snprintf. */
static void format_id(char id[16], char prefix, unsigned number) {
  char digits[12];
  size_t n = 0;
  do digits[n++] = (char)('0' + number % 10); while ((number /= 10) > 0);
  id[0] = prefix;
  for (size_t i = 0; i < n; i++) id[1 + i] = digits[n - 1 - i];
  id[1 + n] = '\0';
}

/*
** Links the fully built item IT in as the next of its type, writing its id
** into ID. Every array is grown before anything changes, so on failure
** (-1, out of memory) the state is as it was and IT is freed.
*/
static int link_item(model_state *st, model_item *it, char *id, size_t idlen) {
  model_conference *c = &st->conf;
  int type = it->type, has_id = ID_PREFIX[type] != 0;
  int person = type == MODEL_CHILD || type == MODEL_PERSON;
  if (reserve_from((void **)&c->items, &c->cap_items, c->n_items, sizeof *c->items, FIRST_ITEMS) ||
      (has_id && reserve((void **)&st->slots[type], &st->cap_slots[type], c->next_id[type],
                         sizeof *st->slots[type])) ||
      (person && reserve((void **)&st->people, &st->cap_people, st->n_people, sizeof *st->people))) {
    item_free(it);
    return -1;
  }
  if (has_id) {
    format_id(it->id, ID_PREFIX[type], c->next_id[type] + 1);
    st->slots[type][c->next_id[type]++] = c->n_items;
  }
  if (person) st->people[st->n_people++] = c->n_items;
  c->items[c->n_items++] = *it;
  if (id && idlen) {   /* every append that makes an item comes here: without snprintf */
    size_t n = strnlen(it->id, idlen - 1);
    memcpy(id, it->id, n);
    id[n] = '\0';
  }
  return 0;
}

/* Which payload field fills which item member. */
typedef struct copy_spec {
  const char *key;
  size_t offset;
} copy_spec;

#define COPY(key, member) {key, offsetof(model_item, member)}
static const copy_spec C_CHILD[] = {COPY("name", text), COPY("dob", dob), {NULL, 0}};
static const copy_spec C_PERSON[] = {
  COPY("name", text), COPY("role", role), COPY("agency", agency), {NULL, 0}};
static const copy_spec C_ENTRY[] = {
  COPY("category", category), COPY("text", text), COPY("kind", evidence), COPY("source", source), {NULL, 0}};
static const copy_spec C_TEXT[] = {COPY("text", text), {NULL, 0}};
static const copy_spec C_SCALE[] = {COPY("who", who), COPY("why", why), {NULL, 0}};
static const copy_spec C_RECOMMEND[] = {COPY("who", who), COPY("plan", plan), COPY("why", why), {NULL, 0}};
static const copy_spec C_ACTION[] = {
  COPY("text", text), COPY("owner", owner), COPY("due", due), COPY("outcome", outcome), {NULL, 0}};

/*
** Builds an item of TYPE from P by COPIES and links it in; -1 when out of
** memory. P has been checked, so its members are COPIES' keys and the
** item's other fields: one walk fills them (a key is a member's exactly, as
** json_object_get would find it).
*/
static int create_item(model_state *st, model_item_type type, const copy_spec *copies,
                       const json_t *p, long seq, char *id, size_t idlen) {
  model_item it;
  memset(&it, 0, sizeof it);
  it.type = type;
  it.seq = seq;
  for (void *at = json_object_iter((json_t *)p); at != NULL; at = json_object_iter_next((json_t *)p, at)) {
    const char *key = json_object_iter_key(at);
    const copy_spec *c = copies;
    while (c->key && strcmp(c->key, key) != 0) c++;
    if (c->key != NULL && json_object_iter_key_len(at) == strlen(key))
      *(char **)((char *)&it + c->offset) = logged_string(json_object_iter_value(at));
  }
  if (type == MODEL_SCALE) it.score = (int)json_integer_value(json_object_get(p, "score"));
  if (type == MODEL_ACTION && string_array_of(&it.links, &it.n_links, json_object_get(p, "worries")))
    return -1;
  return link_item(st, &it, id, idlen);
}

/* A date dates.set leaves out keeps its earlier value. */
static int apply_dates(model_state *st, const json_t *p) {
  char *review = logged_string(json_object_get(p, "review"));
  char *core_group = logged_string(json_object_get(p, "core_group"));
  if (review) st->conf.review_date = review;
  if (core_group) st->conf.core_group_date = core_group;
  return 0;
}

static int apply_opened(model_state *st, const json_t *p) {
  model_conference *c = &st->conf;
  c->id = logged_string(json_object_get(p, "id"));
  c->authority = logged_string(json_object_get(p, "authority"));
  c->type = logged_string(json_object_get(p, "type"));
  c->date = logged_string(json_object_get(p, "date"));
  c->chair = logged_string(json_object_get(p, "chair"));
  return 0;
}

static int apply_decision(model_state *st, const json_t *p) {
  model_conference *c = &st->conf;
  char **cats;
  size_t n;
  if (string_array_of(&cats, &n, json_object_get(p, "categories"))) return -1;
  free(c->categories);
  c->decision = logged_string(json_object_get(p, "plan"));
  c->categories = cats;
  c->n_categories = n;
  return 0;
}

static int apply_coregroup(model_state *st, const json_t *p) {
  model_conference *c = &st->conf;
  char **members;
  size_t n;
  if (string_array_of(&members, &n, json_object_get(p, "members"))) return -1;
  free(c->core_group);
  c->core_group = members;
  c->n_core_group = n;
  return 0;
}

static int apply_amend(model_state *st, const json_t *p) {
  model_item *it = (model_item *)find_item(st, str(p, "id"));
  char **grown = realloc(it->old_texts, (it->n_old_texts + 1) * sizeof *grown);
  if (grown == NULL) return -1;
  it->old_texts = grown;
  it->old_texts[it->n_old_texts++] = it->text;
  it->text = logged_string(json_object_get(p, "text"));
  return 0;
}

static int apply_withdraw(model_state *st, const json_t *p) {
  model_item *it = (model_item *)find_item(st, str(p, "id"));
  it->withdrawn = 1;
  it->withdraw_reason = logged_string(json_object_get(p, "why"));
  return 0;
}

static int apply_closed(model_state *st, const json_t *p) {
  st->conf.closed_at = logged_string(json_object_get(p, "at"));
  st->conf.closed = 1;
  return 0;
}

static int apply_escalation(model_state *st, const json_t *p) {
  st->conf.escalation = logged_string(json_object_get(p, "text"));
  return 0;
}

static int apply_section(model_state *st, const json_t *p) {
  st->conf.section = logged_string(json_object_get(p, "section"));
  return 0;
}

/* ------------------------------------------------------ the event table */

typedef int (*check_fn)(const model_state *, const report *, const json_t *);
typedef int (*apply_fn)(model_state *, const json_t *);

typedef struct event_spec {
  const char *kind;
  const field_spec *fields;
  check_fn check;             /* meaning against the state; NULL if none */
  const copy_spec *copies;    /* for events that create an item */
  int creates;                /* item type, or -1 */
  apply_fn apply;             /* for the others: the change; NULL if none (reports, undo) */
} event_spec;

/* The first row is the opening: check_event knows it by its place. */
static const event_spec EVENTS[] = {
  {OPEN_KIND, F_OPENED, NULL, NULL, -1, apply_opened},
  {"child.added", F_CHILD, check_name, C_CHILD, MODEL_CHILD, NULL},
  {"person.added", F_PERSON, check_name, C_PERSON, MODEL_PERSON, NULL},
  {"apology.noted", F_PERSON, check_name, C_PERSON, MODEL_APOLOGY, NULL},
  {"entry.mapped", F_ENTRY, NULL, C_ENTRY, MODEL_WORRY, NULL},  /* or MODEL_GOOD by column */
  {"danger.added", F_TEXT_ONLY, NULL, C_TEXT, MODEL_DANGER, NULL},
  {"goal.added", F_TEXT_ONLY, NULL, C_TEXT, MODEL_GOAL, NULL},
  {"scale.given", F_SCALE, check_scale, C_SCALE, MODEL_SCALE, NULL},
  {"recommendation.given", F_RECOMMEND, check_recommendation, C_RECOMMEND, MODEL_RECOMMENDATION, NULL},
  {"decision.made", F_DECISION, check_decision, NULL, -1, apply_decision},
  {"escalation.noted", F_TEXT_ONLY, NULL, NULL, -1, apply_escalation},
  {"action.added", F_ACTION, check_action, C_ACTION, MODEL_ACTION, NULL},
  {"bottomline.added", F_TEXT_ONLY, NULL, C_TEXT, MODEL_BOTTOM_LINE, NULL},
  {"rule.added", F_TEXT_ONLY, NULL, C_TEXT, MODEL_RULE, NULL},
  {"coregroup.set", F_COREGROUP, check_coregroup, NULL, -1, apply_coregroup},
  {"dates.set", F_DATES, check_dates, NULL, -1, apply_dates},
  {"restricted.noted", F_TEXT_ONLY, NULL, C_TEXT, MODEL_RESTRICTED, NULL},
  {"item.amended", F_AMEND, check_amend, NULL, -1, apply_amend},
  {"item.withdrawn", F_WITHDRAW, check_withdraw, NULL, -1, apply_withdraw},
  {"section.entered", F_SECTION_FIELDS, NULL, NULL, -1, apply_section},
  {UNDO_KIND, F_UNDO, check_undo, NULL, -1, NULL},
  {"conference.closed", F_CLOSED, NULL, NULL, -1, apply_closed},
  {"report.received", F_REPORT_RECEIVED, NULL, NULL, -1, NULL},
  {"report.shared", F_REPORT_SHARED, check_report_shared, NULL, -1, NULL},
  {NULL, NULL, NULL, NULL, -1, NULL}
};

/* The row of KIND, or NULL; every event is looked up twice, so first letters are compared first. */
static const event_spec *find_spec(const char *kind) {
  for (const event_spec *e = EVENTS; e->kind; e++)
    if (e->kind[0] == kind[0] && strcmp(e->kind, kind) == 0) return e;
  return NULL;
}

/* The item type an event of spec E (NULL: unknown) creates, or -1; P has been checked. */
static int spec_creates(const event_spec *e, const json_t *p) {
  if (e == NULL || e->creates < 0) return -1;
  if (e->creates == MODEL_WORRY && strcmp(str(p, "column"), "working_well") == 0) return MODEL_GOOD;
  return e->creates;
}

/* The item type an event creates, or -1; P has been checked. */
static int created_type(const char *kind, const json_t *p) {
  return spec_creates(find_spec(kind), p);
}

/* Changes ST by the checked event; -1 only when out of memory. */
static int mutate(model_state *st, const char *kind, const json_t *p, long seq,
                  char *id, size_t idlen) {
  if (id && idlen) id[0] = '\0';
  const event_spec *e = find_spec(kind);   /* once: every append comes here */
  int creates = spec_creates(e, p);
  if (creates >= 0) return create_item(st, (model_item_type)creates, e->copies, p, seq, id, idlen);
  return e != NULL && e->apply != NULL ? e->apply(st, p) : 0;
}

/*
** Every check but the trial rebuild an undo needs; RECORDING for an event
** about to be recorded, whose words must hold no bidirectional control.
*/
static int check_event(const model_state *st, const char *kind, const json_t *payload,
                       int recording, char *err, size_t errlen) {
  if (kind == NULL) return fail_plain(err, errlen, "%s", _("model.kind_required"));
  const event_spec *e = find_spec(kind);
  if (e == NULL) return fail_plain(err, errlen, _("model.unknown_event"), kind);
  report r = {kind, err, errlen, recording};
  if (st->conf.closed) return fail_plain(err, errlen, "%s", _("model.closed"));
  int opening = e == EVENTS;
  if (opening && is_open(st)) return fail(&r, "%s", _("model.already_open"));
  if (!opening && !is_open(st))
    return fail_plain(err, errlen, _("model.not_open"), kind);
  json_t *empty = NULL;
  if (payload == NULL) payload = empty = json_object();
  if (payload == NULL) return out_of_memory(err, errlen);
  int rc;
  if (!json_is_object(payload)) rc = fail(&r, "%s", _("model.payload_not_object"));
  else rc = check_fields(&r, e->fields, payload) || (e->check && e->check(st, &r, payload)) ? -1 : 0;
  json_decref(empty);
  return rc;
}

/* Checks then applies at SEQ, without recording the event. */
static int fold_event(model_state *st, const char *kind, const json_t *p, long seq,
                      char *err, size_t errlen) {
  if (check_event(st, kind, p, 0, err, errlen)) return -1;
  if (mutate(st, kind, p, seq, NULL, 0)) return out_of_memory(err, errlen);
  return 0;
}

/* Counts an undone creation so later ids stay where they were. */
static int skip_creation(model_state *st, const model_event *ev) {
  int type = created_type(ev->kind, ev->payload);
  if (type < 0 || ID_PREFIX[type] == 0) return 0;
  model_conference *c = &st->conf;
  if (reserve((void **)&st->slots[type], &st->cap_slots[type], c->next_id[type], sizeof *st->slots[type]))
    return -1;
  st->slots[type][c->next_id[type]++] = NO_ITEM;
  return 0;
}

/* A fresh model_state with nothing in it, or NULL. */
static model_state *state_new(void) { return calloc(1, sizeof(model_state)); }

/* A flag per event (index seq - 1): 1 if undone, counting UNDO_SEQ as undone too. */
static unsigned char *undone_flags(const model_conference *c, long undo_seq) {
  unsigned char *flags = calloc(c->n_events + 1, 1);
  if (flags == NULL) return NULL;
  for (size_t i = 0; i < c->n_events; i++) {
    const model_event *ev = &c->events[i];
    if (strcmp(ev->kind, UNDO_KIND) != 0) continue;
    json_int_t seq = json_integer_value(json_object_get(ev->payload, "seq"));
    if (seq >= 1 && (size_t)seq <= c->n_events) flags[seq - 1] = 1;
  }
  if (undo_seq >= 1 && (size_t)undo_seq <= c->n_events) flags[undo_seq - 1] = 1;
  return flags;
}

/* Folds event EV into FRESH, or counts it when UNDONE; the reason in ERR when it no longer applies. */
static int refold(model_state *fresh, const model_event *ev, int undone, long undo_seq,
                  char *err, size_t errlen) {
  char inner[512];
  if (undone) return skip_creation(fresh, ev) ? out_of_memory(err, errlen) : 0;
  if (fold_event(fresh, ev->kind, ev->payload, ev->seq, inner, sizeof inner) == 0) return 0;
  if (strcmp(inner, _("host.out_of_memory")) == 0) return out_of_memory(err, errlen);
  return fail_plain(err, errlen, _("model.undo_breaks"),
                    UNDO_KIND, undo_seq, ev->seq, inner);
}

/*
** Folds the log of ST as if event UNDO_SEQ were undone too, into a new state
** *OUT without an event log. -1 with the reason when some event no longer
** applies, or when out of memory.
*/
static int rebuild(const model_state *st, long undo_seq, model_state **out, char *err, size_t errlen) {
  const model_conference *c = &st->conf;
  model_state *fresh = state_new();
  unsigned char *undone = undone_flags(c, undo_seq);
  int rc = fresh && undone ? 0 : out_of_memory(err, errlen);
  if (rc == 0) {
    fresh->log = c;
    fresh->log_undone = undone;
  }
  for (size_t i = 0; rc == 0 && i < c->n_events; i++) {
    fresh->n_logged = i;
    if (strcmp(c->events[i].kind, UNDO_KIND) != 0)
      rc = refold(fresh, &c->events[i], undone[i], undo_seq, err, errlen);
  }
  if (fresh) {   /* the state is folded: it keeps no pointer into the flags freed below */
    fresh->log = NULL;
    fresh->log_undone = NULL;
    fresh->n_logged = 0;
  }
  free(undone);
  if (rc) {
    if (fresh) model_free(&fresh->conf);
    return -1;
  }
  *out = fresh;
  return 0;
}

/* Replaces everything in ST but its event log with FRESH's, and frees FRESH. */
static void adopt(model_state *st, model_state *fresh) {
  model_event *events = st->conf.events;
  size_t n = st->conf.n_events, cap = st->conf.cap_events;
  free_derived(st);
  *st = *fresh;
  st->conf.events = events;
  st->conf.n_events = n;
  st->conf.cap_events = cap;
  free(fresh);
}

/* ------------------------------------------------------ public functions */

model_conference *model_new(void) {
  model_state *st = state_new();
  return st ? &st->conf : NULL;
}

void model_free(model_conference *conf) {
  if (conf == NULL) return;
  model_state *st = state_of(conf);
  for (size_t i = 0; i < conf->n_events; i++) event_free(&conf->events[i]);
  free(conf->events);
  conf->events = NULL;
  conf->n_events = 0;
  free_derived(st);
  free(st);
}

int model_check(const model_conference *conf, const char *kind, const json_t *payload,
                char *err, size_t errlen) {
  const model_state *st = const_state_of(conf);
  if (check_event(st, kind, payload, 1, err, errlen)) return -1;
  if (strcmp(kind, UNDO_KIND) != 0) return 0;
  model_state *trial;
  if (rebuild(st, (long)json_integer_value(json_object_get(payload, "seq")), &trial, err, errlen)) return -1;
  model_free(&trial->conf);
  return 0;
}

/*
** The event to record at SEQ, in *EV, with a copy of PAYLOAD or, when SHARE,
** a reference to it; -1 when out of memory.
*/
static int event_record(model_event *ev, long seq, const char *kind, const json_t *payload,
                        const char *actor, const char *time, int share) {
  memset(ev, 0, sizeof *ev);
  ev->seq = seq;
  size_t kind_len = strlen(kind) + 1, actor_len = actor ? strlen(actor) + 1 : 0;
  size_t time_len = time ? strlen(time) + 1 : 0;
  ev->kind = malloc(kind_len + actor_len + time_len);   /* one block: see Strings */
  ev->payload = payload == NULL ? json_object()
              : share ? json_incref((json_t *)payload) : json_deep_copy(payload);
  if (ev->kind == NULL || ev->payload == NULL) {
    event_free(ev);
    return -1;
  }
  memcpy(ev->kind, kind, kind_len);
  if (actor) ev->actor = memcpy(ev->kind + kind_len, actor, actor_len);
  if (time) ev->time = memcpy(ev->kind + kind_len + actor_len, time, time_len);
  return 0;
}

static int record_event(model_conference *conf, const char *kind, const json_t *payload,
                        const char *actor, const char *time, int share,
                        char *id, size_t idlen, char *err, size_t errlen);

int model_apply(model_conference *conf, const char *kind, const json_t *payload,
                const char *actor, const char *time,
                char *id, size_t idlen, char *err, size_t errlen) {
  if (id && idlen) id[0] = '\0';
  if (check_event(const_state_of(conf), kind, payload, 0, err, errlen)) return -1;
  return record_event(conf, kind, payload, actor, time, 0, id, idlen, err, errlen);
}

int model_apply_checked(model_conference *conf, const char *kind, const json_t *payload,
                        const char *actor, const char *time,
                        char *id, size_t idlen, char *err, size_t errlen) {
  if (id && idlen) id[0] = '\0';
  return record_event(conf, kind, payload, actor, time, 1, id, idlen, err, errlen);
}

/* Applies and records a checked event, its payload copied or, when SHARE, referenced. */
static int record_event(model_conference *conf, const char *kind, const json_t *payload,
                        const char *actor, const char *time, int share,
                        char *id, size_t idlen, char *err, size_t errlen) {
  model_state *st = state_of(conf);
  if (reserve_from((void **)&conf->events, &conf->cap_events, conf->n_events, sizeof *conf->events,
                   FIRST_EVENTS))
    return out_of_memory(err, errlen);
  model_event ev;
  long seq = (long)conf->n_events + 1;
  if (event_record(&ev, seq, kind, payload, actor, time, share)) return out_of_memory(err, errlen);
  if (strcmp(kind, UNDO_KIND) == 0) {
    model_state *fresh;
    if (rebuild(st, (long)json_integer_value(json_object_get(ev.payload, "seq")), &fresh, err, errlen)) {
      event_free(&ev);
      return -1;
    }
    adopt(st, fresh);
  } else if (mutate(st, kind, ev.payload, seq, id, idlen)) {
    event_free(&ev);
    return out_of_memory(err, errlen);
  }
  conf->events[conf->n_events++] = ev;
  return 0;
}

const model_item *model_find(const model_conference *conf, const char *id) {
  return find_item(const_state_of(conf), id);
}

const model_item *model_find_participant(const model_conference *conf, const char *name) {
  return name ? find_participant(const_state_of(conf), name) : NULL;
}

/*
** The latest event undo could take back: not undone, not itself an undo,
** not the opening. NULL when there is none.
*/
const model_event *model_last_live_event(const model_conference *conf) {
  for (size_t i = conf->n_events; i-- > 0;) {
    const model_event *ev = &conf->events[i];
    if (strcmp(ev->kind, UNDO_KIND) == 0 || model_event_undone(conf, ev->seq)) continue;
    return strcmp(ev->kind, OPEN_KIND) == 0 ? NULL : ev;
  }
  return NULL;
}

/* ------------------------------------------------------ JSON */

/* Sets KEY of OBJ to VALUE (stolen); -1 if VALUE is NULL or out of memory. */
/*
** The model's strings were checked as UTF-8 when their events were, and its
** keys are this file's own: jansson need not check them again. A state is
** built for every digest of `simulate --count`.
*/
static int put(json_t *obj, const char *key, json_t *value) {
  if (value == NULL) return -1;
  return json_object_set_new_nocheck(obj, key, value) ? -1 : 0;
}
static json_t *text_json(const char *s) { return json_string_nocheck(s); }

static json_t *string_or_null(const char *s) { return s ? text_json(s) : json_null(); }

static json_t *string_array(char *const *list, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; a && i < n; i++)
    if (json_array_append_new(a, text_json(list[i]))) {
      json_decref(a);
      return NULL;
    }
  return a;
}

/* The fields of IT for its type, in a fixed order, into OBJ. */
static int put_item_fields(json_t *o, const model_item *it) {
  switch (it->type) {
  case MODEL_CHILD:
    return put(o, "name", text_json(it->text)) || put(o, "dob", string_or_null(it->dob));
  case MODEL_PERSON: case MODEL_APOLOGY:
    return put(o, "name", text_json(it->text)) || put(o, "role", text_json(it->role)) ||
           put(o, "agency", text_json(it->agency));
  case MODEL_WORRY: case MODEL_GOOD:
    return put(o, "category", text_json(it->category)) || put(o, "text", text_json(it->text)) ||
           put(o, "kind", string_or_null(it->evidence)) || put(o, "source", string_or_null(it->source));
  case MODEL_ACTION:
    return put(o, "text", text_json(it->text)) || put(o, "owner", text_json(it->owner)) ||
           put(o, "due", text_json(it->due)) || put(o, "worries", string_array(it->links, it->n_links)) ||
           put(o, "outcome", string_or_null(it->outcome));
  case MODEL_SCALE:
    return put(o, "who", text_json(it->who)) || put(o, "score", json_integer(it->score)) ||
           put(o, "why", string_or_null(it->why));
  case MODEL_RECOMMENDATION:
    return put(o, "who", text_json(it->who)) || put(o, "plan", text_json(it->plan)) ||
           put(o, "why", string_or_null(it->why));
  default:
    return put(o, "text", text_json(it->text));
  }
}

/* One item as an object: id, seq, its fields, then withdrawal and previous texts when any. */
static json_t *item_json(const model_item *it) {
  json_t *o = json_object();
  if (o == NULL) return NULL;
  int rc = (it->id[0] && put(o, "id", text_json(it->id))) || put(o, "seq", json_integer(it->seq)) ||
           put_item_fields(o, it);
  if (!rc && it->withdrawn)
    rc = put(o, "withdrawn", json_true()) || put(o, "withdrawn_reason", string_or_null(it->withdraw_reason));
  if (!rc && it->n_old_texts) rc = put(o, "previous", string_array(it->old_texts, it->n_old_texts));
  if (rc) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* 1 if a later scale or recommendation of the same type comes from the same participant. */
static int superseded(const model_conference *c, size_t index) {
  const model_item *it = &c->items[index];
  for (size_t j = index + 1; j < c->n_items; j++)
    if (c->items[j].type == it->type && strcmp(c->items[j].who, it->who) == 0) return 1;
  return 0;
}

/* Items of TYPE in recording order; only the latest per participant when LATEST. */
static json_t *items_json(const model_conference *c, model_item_type type, int latest) {
  json_t *a = json_array();
  for (size_t i = 0; a && i < c->n_items; i++) {
    if (c->items[i].type != type || (latest && superseded(c, i))) continue;
    if (json_array_append_new(a, item_json(&c->items[i]))) {
      json_decref(a);
      return NULL;
    }
  }
  return a;
}

/* The iro's latest scale, or null. */
static json_t *iro_scale_json(const model_conference *c) {
  for (size_t i = c->n_items; i-- > 0;)
    if (c->items[i].type == MODEL_SCALE && strcmp(c->items[i].who, "iro") == 0) return item_json(&c->items[i]);
  return json_null();
}

/* Participants' current scores (the iro apart), the iro's, and every score given. */
static json_t *scaling_json(const model_conference *c) {
  json_t *o = json_object(), *current = items_json(c, MODEL_SCALE, 1);
  if (o == NULL || current == NULL) {
    json_decref(o);
    json_decref(current);
    return NULL;
  }
  size_t i = json_array_size(current);
  while (i-- > 0)
    if (strcmp(json_string_value(json_object_get(json_array_get(current, i), "who")), "iro") == 0)
      json_array_remove(current, i);
  if (put(o, "participants", current) || put(o, "iro", iro_scale_json(c)) ||
      put(o, "history", items_json(c, MODEL_SCALE, 0))) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static json_t *decision_json(const model_conference *c) {
  if (c->decision == NULL) return json_null();
  json_t *o = json_object();
  if (o == NULL) return NULL;
  if (put(o, "plan", text_json(c->decision)) ||
      put(o, "categories", string_array(c->categories, c->n_categories))) {
    json_decref(o);
    return NULL;
  }
  return o;
}

json_t *model_to_json(const model_conference *c) {
  json_t *o = json_object();
  if (o == NULL) return NULL;
  int rc = put(o, "id", string_or_null(c->id)) || put(o, "authority", string_or_null(c->authority)) ||
    put(o, "type", string_or_null(c->type)) || put(o, "date", string_or_null(c->date)) ||
    put(o, "chair", string_or_null(c->chair)) ||
    put(o, "children", items_json(c, MODEL_CHILD, 0)) ||
    put(o, "participants", items_json(c, MODEL_PERSON, 0)) ||
    put(o, "apologies", items_json(c, MODEL_APOLOGY, 0)) ||
    put(o, "worried", items_json(c, MODEL_WORRY, 0)) ||
    put(o, "working_well", items_json(c, MODEL_GOOD, 0)) ||
    put(o, "dangers", items_json(c, MODEL_DANGER, 0)) ||
    put(o, "goals", items_json(c, MODEL_GOAL, 0)) ||
    put(o, "scaling", scaling_json(c)) ||
    put(o, "recommendations", items_json(c, MODEL_RECOMMENDATION, 1)) ||
    put(o, "decision", decision_json(c)) ||
    put(o, "escalation", string_or_null(c->escalation)) ||
    put(o, "actions", items_json(c, MODEL_ACTION, 0)) ||
    put(o, "bottom_lines", items_json(c, MODEL_BOTTOM_LINE, 0)) ||
    put(o, "rules", items_json(c, MODEL_RULE, 0)) ||
    put(o, "core_group", string_array(c->core_group, c->n_core_group)) ||
    put(o, "review_date", string_or_null(c->review_date)) ||
    put(o, "core_group_date", string_or_null(c->core_group_date)) ||
    put(o, "restricted", items_json(c, MODEL_RESTRICTED, 0)) ||
    put(o, "section", string_or_null(c->section)) ||
    put(o, "closed", json_boolean(c->closed)) ||
    put(o, "closed_at", string_or_null(c->closed_at));
  if (rc) {
    json_decref(o);
    return NULL;
  }
  return o;
}
