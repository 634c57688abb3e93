/*
** model.h — the conference model: plain C state and the events that change it.
**
** Contract. A conference is the fold of its events. model_check() validates
** one event against the current state without changing anything;
** model_apply() validates and applies it (all or nothing). Ids (W1, G1, D1,
** S1, A1, ...) are assigned here, deterministically, so replaying the same
** events gives the same ids and the same state. Undo is an event too
** ("event.undone" naming a sequence number): the state is rebuilt from the
** retained events with the undone ones skipped. Nothing here knows an
** authority by name: authority rules (declared categories, evidence required)
** are checked by the agenda before an event reaches the model.
** This module calls no other part of the host but i18n_text (its refusals are
** catalogue texts, model.po in locales/); jansson for payloads.
*/
#ifndef CONFER_MODEL_H
#define CONFER_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define MODEL_TEXT_MAX 4000  /* bytes in any one text field */
#define MODEL_NAME_MAX 200   /* bytes in a name, role, agency, category */

typedef enum {
  MODEL_CHILD,        /* C1..  text = name, dob                          */
  MODEL_PERSON,       /* P1..  text = name, role, agency                 */
  MODEL_WORRY,        /* W1..  column "worried"                          */
  MODEL_GOOD,         /* G1..  column "working_well"                     */
  MODEL_DANGER,       /* D1..  danger statement                          */
  MODEL_GOAL,         /* S1..  safety goal                               */
  MODEL_ACTION,       /* A1..  text, owner, due, links (W ids), outcome  */
  MODEL_BOTTOM_LINE,  /* B1..                                            */
  MODEL_RULE,         /* R1..  plan rule                                 */
  MODEL_RESTRICTED,   /* N1..  chair-only note                           */
  MODEL_SCALE,        /* no id: who, score, why (who "iro" = overall)    */
  MODEL_RECOMMENDATION, /* no id: who, plan (cp|cin|none), why           */
  MODEL_APOLOGY,      /* E1..  text = name, role, agency: invited, sent apologies */
  MODEL_ITEM_TYPES
} model_item_type;

/*
** One recorded item. Strings are NULL when not given; they are the strings of
** the conference's event payloads, so they live as long as the conference.
*/
typedef struct model_item {
  model_item_type type;
  char id[16];
  long seq;             /* event that created it */
  char *text;           /* entry text, or the name of a child or person */
  char *category;       /* worry/good: category as the authority names it */
  char *evidence;       /* fact|observation|allegation|opinion */
  char *source;         /* who said it / where it comes from */
  char *role, *agency;  /* person; agency "family" or "network" for family and friends */
  char *dob;            /* child: YYYY-MM-DD */
  char *owner, *due, *outcome; /* action */
  char **links; size_t n_links; /* action: linked worry ids */
  char *who; int score; char *why; /* scale / recommendation */
  char *plan;           /* recommendation: cp|cin|none */
  int withdrawn; char *withdraw_reason;
  char **old_texts; size_t n_old_texts; /* texts replaced by amendments, oldest first */
} model_item;

typedef struct model_event {
  long seq;             /* 1.. within the conference */
  char *kind;           /* e.g. "entry.mapped" */
  json_t *payload;      /* object; owned */
  char *actor, *time;   /* who and when (ISO 8601 UTC); may be NULL in tests */
} model_event;

typedef struct model_conference {
  char *id, *authority, *type, *date, *chair; /* type: initial|review */
  char *section;        /* current section id, NULL before the first */
  char *decision;       /* cp|cin|none or NULL */
  char **categories; size_t n_categories; /* CP categories of the decision */
  char *escalation;     /* disagreement note */
  char **core_group; size_t n_core_group;
  char *review_date, *core_group_date; /* dates.set by the chair; NULL: the timescale's */
  int closed; char *closed_at;
  model_item *items; size_t n_items, cap_items;
  model_event *events; size_t n_events, cap_events; /* every event applied, undone ones included */
  unsigned next_id[MODEL_ITEM_TYPES];
} model_conference;

/* Events and their payload fields (all strings unless noted):
**   conference.opened   id, authority, type (initial|review), date (YYYY-MM-DD), chair?
**   child.added         name, dob? (not the name of a live apology)
**   person.added        name, role, agency (not the name of a live apology)
**   apology.noted       name, role, agency: invited but not attending (not a participant
**                       nor already noted; withdraw it if they arrive, then add them)
**   entry.mapped        column (worried|working_well), category, text, kind?, source?
**   danger.added        text          goal.added   text
**   scale.given         who ("iro" or a participant's name), score (integer 0-10), why?
**   recommendation.given who, plan (cp|cin|none), why?
**   decision.made       plan (cp|cin|none), categories? (array of strings, required for cp)
**   escalation.noted    text
**   action.added        text, owner (a participant), due (YYYY-MM-DD), worries (array of
**                       existing, not withdrawn W ids, at least one), outcome?
**   bottomline.added    text           rule.added   text
**   coregroup.set       members (array of participant names)
**   dates.set           review?, core_group? (YYYY-MM-DD, at least one, neither before
**                       the conference): the next review and the first core group
**   restricted.noted    text
**   item.amended        id, text       item.withdrawn  id, why?
**   section.entered     section (a section id)
**   event.undone        seq (integer, an earlier event that is not conference.opened
**                       nor already undone)
**   conference.closed   at (ISO 8601)
**   report.received     agency, received (YYYY-MM-DD), sections (object: heading -> array
**                       of texts, one per paragraph or list item; at least one heading and
**                       one text each), file?; a later report from the agency replaces it
**   report.shared       agency (whose live report.received exists), date (YYYY-MM-DD, not
**                       before the report was received): shared with the family
**                       (reports change no item: readers fold them from the events)
** Every text is valid UTF-8 without control characters (tab allowed in texts) and no
** longer than the limits above. Nothing may be recorded once the conference is closed.
** New words (model_check, model_check_name) hold no bidirectional embedding, override
** or isolate either (utf8_is_bidi_control): an unclosed one reorders the rest of its
** line wherever the record is read. Replays (model_apply) take them, as an older
** confer recorded them.
*/

/*
** 1 if S (LEN bytes) is text a record may hold: UTF-8 without control
** characters (C0, C1, DEL; a tab only where ALLOW_TAB), else 0. For importers
** that must name the line of a bad text before building an event.
*/
int model_text_clean(const char *s, size_t len, int allow_tab);

/*
** The first bidirectional embedding, override or isolate (utf8_is_bidi_control)
** in S (LEN bytes), which model_text_clean accepts, or 0 when there is none:
** new words may not hold one. For importers, as model_text_clean.
*/
uint32_t model_text_bidi_control(const char *s, size_t len);

/* Returns a new empty conference, or NULL when out of memory. */
model_conference *model_new(void);

/* Frees a conference and everything it owns; NULL is a no-op. */
void model_free(model_conference *conf);

/*
** Checks NAME as the record's names are checked (the chair who records an
** event, as a participant's name): not blank, at most MODEL_NAME_MAX bytes,
** UTF-8 without control characters nor bidirectional controls (it is about
** to be recorded). Returns 0, or -1 with a one-line reason naming LABEL in
** ERR ("--chair contains a control character").
*/
int model_check_name(const char *label, const char *name, char *err, size_t errlen);

/*
** Checks that event KIND with PAYLOAD could be recorded now, as new words (no
** bidirectional control in its texts). Returns 0, or -1 with a one-line
** reason in ERR (e.g. "action: W9 is not a recorded worry").
*/
int model_check(const model_conference *conf, const char *kind, const json_t *payload,
                char *err, size_t errlen);

/*
** Validates and applies an event. On success returns 0, records the event
** (seq = previous + 1, the payload is copied; ACTOR and TIME may be NULL) and
** writes the id given to a new item into ID (empty string if none). On
** failure returns -1, leaves CONF unchanged and writes the reason into ERR.
** It replays recorded events, so it takes bidirectional controls in texts,
** which model_check refuses in new words.
*/
int model_apply(model_conference *conf, const char *kind, const json_t *payload,
                const char *actor, const char *time,
                char *id, size_t idlen, char *err, size_t errlen);

/*
** As model_apply for an event model_check has just accepted on CONF as it
** stands (store_append checks before writing, then applies once durable):
** the checks are not run again, and the event keeps a reference to PAYLOAD
** instead of a copy, so the caller must not change PAYLOAD afterwards.
** -1 only when out of memory.
*/
int model_apply_checked(model_conference *conf, const char *kind, const json_t *payload,
                        const char *actor, const char *time,
                        char *id, size_t idlen, char *err, size_t errlen);

/* The item with ID ("W3"), or NULL. */
const model_item *model_find(const model_conference *conf, const char *id);

/* The participant (person or child) named NAME (exact UTF-8 match), or NULL; apologies are not participants. */
const model_item *model_find_participant(const model_conference *conf, const char *name);

/* The latest live (not undone) event, or NULL; undo takes back this one. */
const model_event *model_last_live_event(const model_conference *conf);

/* 1 if some event.undone of CONF takes back event SEQ, else 0. */
int model_event_undone(const model_conference *conf, long seq);

/*
** The latest live event KIND whose payload names AGENCY ("report.received",
** "report.shared"), or NULL: what an agency's report is now.
*/
const model_event *model_agency_event(const model_conference *conf, const char *kind,
                                      const char *agency);

/*
** The whole state as a canonical JSON object (stable key order, items in
** recording order), used to compare a replayed state with a live one and as
** the base of the JSON record. Caller owns the result; NULL on OOM.
*/
json_t *model_to_json(const model_conference *conf);

#endif
