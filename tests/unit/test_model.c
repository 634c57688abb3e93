/*
** test_model.c — unit tests of the conference model (host/model.c).
**
** Every event kind is recorded once and refused for each reason the model
** gives; refusals are checked to leave the state byte for byte as it was.
** Then undo, and replay: the events of a conference applied to a fresh model
** give the same canonical JSON. Names are fictional ("... Example").
*/
#include "model.h"
#include "test_util.h"
#include "test_locales.h"

#include <stdlib.h>
#include <string.h>

static char last_id[16], last_err[512];

/* Parses TEXT, written with ' for " to keep the tests readable. */
static json_t *payload_of(const char *text) {
  char *copy = strdup(text);
  if (copy == NULL) abort();
  for (char *p = copy; *p; p++)
    if (*p == '\'') *p = '"';
  json_error_t error;
  json_t *p = json_loads(copy, 0, &error);
  if (p == NULL) {
    fprintf(stderr, "bad test payload %s: %s\n", text, error.text);
    abort();
  }
  free(copy);
  return p;
}

/* The canonical dump of CONF (caller frees). */
static char *dump(const model_conference *conf) {
  json_t *j = model_to_json(conf);
  if (j == NULL) abort();
  char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(j);
  if (s == NULL) abort();
  return s;
}

static int record_json(model_conference *c, const char *kind, const json_t *payload) {
  last_id[0] = last_err[0] = '\0';
  return model_apply(c, kind, payload, "chair", "2024-05-01T10:00:00Z", last_id, sizeof last_id,
                     last_err, sizeof last_err);
}

static int record(model_conference *c, const char *kind, const char *payload) {
  json_t *p = payload_of(payload);
  int rc = record_json(c, kind, p);
  json_decref(p);
  return rc;
}

/* Records an event that must succeed and give the id WANT ("" for none). */
static void ok(model_conference *c, const char *kind, const char *payload, const char *want) {
  int rc = record(c, kind, payload);
  if (rc != 0) fprintf(stderr, "unexpected refusal of %s %s: %s\n", kind, payload, last_err);
  CHECK(rc == 0);
  CHECK_STR(last_id, want);
}

/* Checks that model_check and model_apply both refuse with WANT and change nothing. */
static void refuse_json(model_conference *c, const char *kind, const json_t *payload, const char *want) {
  char *before = dump(c);
  size_t events = c->n_events;
  char err[512] = "";
  CHECK(model_check(c, kind, payload, err, sizeof err) == -1);
  CHECK_STR(err, want);
  CHECK(record_json(c, kind, payload) == -1);
  CHECK_STR(last_err, want);
  CHECK_STR(last_id, "");
  char *after = dump(c);
  CHECK_STR(after, before);
  CHECK(c->n_events == events);
  free(before);
  free(after);
}

static void refuse(model_conference *c, const char *kind, const char *payload, const char *want) {
  json_t *p = payload_of(payload);
  refuse_json(c, kind, p, want);
  json_decref(p);
}

/* A payload {KEY: string of LEN bytes} built without jansson's UTF-8 check. */
static json_t *raw_payload(const char *base, const char *key, const char *bytes, size_t len) {
  json_t *p = payload_of(base);
  json_object_set_new(p, key, json_stringn_nocheck(bytes, len));
  return p;
}

static void refuse_raw(model_conference *c, const char *kind, const char *base, const char *key,
                       const char *bytes, size_t len, const char *want) {
  json_t *p = raw_payload(base, key, bytes, len);
  refuse_json(c, kind, p, want);
  json_decref(p);
}

/* An open conference with a child and two adults. */
static model_conference *sample(void) {
  model_conference *c = model_new();
  if (c == NULL) abort();
  ok(c, "conference.opened",
     "{'id':'1','authority':'testshire','type':'initial','date':'2024-05-01','chair':'Chair Example'}", "");
  ok(c, "child.added", "{'name':'Zoë Example','dob':'2016-02-29'}", "C1");
  ok(c, "person.added", "{'name':'Siân Example','role':'mother','agency':'family'}", "P1");
  ok(c, "person.added", "{'name':'Łukasz Example','role':'social worker','agency':'social care'}", "P2");
  return c;
}

static void test_opening(void) {
  model_conference *c = model_new();
  CHECK(c != NULL);
  refuse(c, "child.added", "{'name':'Zoë Example'}",
         "child.added: the conference is not open (conference.opened must come first)");
  refuse(c, "x.y", "{}", "unknown event \"x.y\"");
  refuse(c, "conference.opened", "{'authority':'testshire','type':'initial','date':'2024-05-01'}",
         "conference.opened: \"id\" is required");
  refuse(c, "conference.opened", "{'id':'1','authority':'testshire','type':'annual','date':'2024-05-01'}",
         "conference.opened: \"type\" must be one of initial, review (got \"annual\")");
  refuse(c, "conference.opened", "{'id':'1','authority':'testshire','type':'initial','date':'2024-02-30'}",
         "conference.opened: \"date\" must be a date YYYY-MM-DD (got \"2024-02-30\")");
  refuse(c, "conference.opened", "{'id':'1','authority':'testshire','type':'initial','date':'2023-02-29'}",
         "conference.opened: \"date\" must be a date YYYY-MM-DD (got \"2023-02-29\")");
  refuse(c, "conference.opened", "{'id':'1','authority':'testshire','type':'initial','date':'1900-02-29'}",
         "conference.opened: \"date\" must be a date YYYY-MM-DD (got \"1900-02-29\")");
  refuse(c, "conference.opened", "{'id':'1','authority':'testshire','type':'initial','date':'2024-5-01'}",
         "conference.opened: \"date\" must be a date YYYY-MM-DD (got \"2024-5-01\")");
  refuse(c, "conference.opened", "{'id':'1','authority':'testshire','type':'initial','date':20240501}",
         "conference.opened: \"date\" must be a string");
  refuse(c, "conference.opened",
         "{'id':'1','authority':'testshire','type':'initial','date':'2024-05-01','colour':'red'}",
         "conference.opened: unknown field \"colour\"");
  refuse(c, "conference.opened", "[]", "conference.opened: the payload must be a JSON object");
  refuse_json(c, "conference.opened", NULL, "conference.opened: \"id\" is required");
  ok(c, "conference.opened", "{'id':'7','authority':'testshire','type':'review','date':'2000-02-29'}", "");
  CHECK_STR(c->id, "7");
  CHECK_STR(c->type, "review");
  CHECK_STR(c->date, "2000-02-29");
  CHECK(c->chair == NULL);
  CHECK(c->n_events == 1 && c->events[0].seq == 1);
  CHECK_STR(c->events[0].actor, "chair");
  refuse(c, "conference.opened", "{'id':'8','authority':'testshire','type':'review','date':'2000-02-29'}",
         "conference.opened: the conference is already open");
  refuse(c, "child.added", "[1]", "child.added: the payload must be a JSON object");
  char err[64];
  CHECK(model_check(c, NULL, NULL, err, sizeof err) == -1);
  CHECK_STR(err, "event kind is required");
  model_free(c);
  model_free(NULL);
}

static void test_participants(void) {
  model_conference *c = sample();
  const model_item *zoe = model_find_participant(c, "Zoë Example");
  CHECK(zoe != NULL && zoe == model_find(c, "C1"));
  CHECK(zoe && zoe->type == MODEL_CHILD);
  CHECK_STR(zoe ? zoe->dob : NULL, "2016-02-29");
  const model_item *lukasz = model_find(c, "P2");
  CHECK_STR(lukasz ? lukasz->text : NULL, "Łukasz Example");
  CHECK_STR(lukasz ? lukasz->agency : NULL, "social care");
  CHECK(model_find_participant(c, "Zoe Example") == NULL);
  CHECK(model_find_participant(c, NULL) == NULL);
  ok(c, "child.added", "{'name':'Kit Example'}", "C2");
  CHECK(model_find(c, "C2")->dob == NULL);
  refuse(c, "child.added", "{'name':'Siân Example'}", "child.added: Siân Example is already a participant");
  refuse(c, "person.added", "{'name':'Zoë Example','role':'aunt','agency':'family'}",
         "person.added: Zoë Example is already a participant");
  refuse(c, "person.added", "{'name':'iro','role':'aunt','agency':'family'}",
         "person.added: \"name\" iro is reserved for the chair's overall scale");
  refuse(c, "person.added", "{'name':'Ann Example','agency':'family'}", "person.added: \"role\" is required");
  refuse(c, "person.added", "{'name':'Ann Example','role':'aunt','agency':''}",
         "person.added: \"agency\" must not be empty");
  refuse(c, "person.added", "{'name':'   ','role':'aunt','agency':'family'}",
         "person.added: \"name\" must not be empty");
  refuse(c, "child.added", "{'name':'Kim Example','dob':'2016-13-01'}",
         "child.added: \"dob\" must be a date YYYY-MM-DD (got \"2016-13-01\")");
  refuse(c, "child.added", "{'name':null}", "child.added: \"name\" is required");
  char name[MODEL_NAME_MAX + 2];
  memset(name, 'a', sizeof name - 1);
  name[MODEL_NAME_MAX + 1] = '\0';
  json_t *p = payload_of("{}");
  json_object_set_new(p, "name", json_string(name));
  refuse_json(c, "child.added", p, "child.added: \"name\" is too long (201 bytes; at most 200)");
  /* A zero byte is a control character, the first byte too: not an empty name. */
  json_object_set_new(p, "name", json_stringn("\0Example", 8));
  refuse_json(c, "child.added", p, "child.added: \"name\" contains a control character");
  json_object_set_new(p, "name", json_stringn(" \0", 2));
  refuse_json(c, "child.added", p, "child.added: \"name\" contains a control character");
  name[MODEL_NAME_MAX] = '\0';
  json_object_set_new(p, "name", json_string(name));
  CHECK(record_json(c, "child.added", p) == 0);
  CHECK_STR(last_id, "C3");
  json_decref(p);
  model_free(c);
}

/* Apologies: someone invited who did not come; never a participant, and the reverse. */
static void test_apologies(void) {
  model_conference *c = sample();
  ok(c, "apology.noted", "{'name':'Dai Example','role':'father','agency':'family'}", "E1");
  ok(c, "apology.noted", "{'name':'Ann Sample','role':'GP','agency':'health'}", "E2");
  const model_item *dai = model_find(c, "E1");
  CHECK(dai != NULL && dai->type == MODEL_APOLOGY);
  CHECK_STR(dai ? dai->text : NULL, "Dai Example");
  CHECK_STR(dai ? dai->role : NULL, "father");
  CHECK_STR(dai ? dai->agency : NULL, "family");
  CHECK(model_find_participant(c, "Dai Example") == NULL);
  refuse(c, "apology.noted", "{'name':'Dai Example','role':'father','agency':'family'}",
         "apology.noted: Dai Example sent apologies (E1): withdraw E1 first if they have come");
  refuse(c, "apology.noted", "{'name':'Siân Example','role':'mother','agency':'family'}",
         "apology.noted: Siân Example is already a participant");
  refuse(c, "apology.noted", "{'name':'iro','role':'chair','agency':'council'}",
         "apology.noted: \"name\" iro is reserved for the chair's overall scale");
  refuse(c, "apology.noted", "{'name':'Bea Example','role':'aunt'}", "apology.noted: \"agency\" is required");
  refuse(c, "apology.noted", "{'name':'Bea Example','role':'aunt','agency':'family','dob':'2000-01-01'}",
         "apology.noted: unknown field \"dob\"");
  refuse(c, "person.added", "{'name':'Dai Example','role':'father','agency':'family'}",
         "person.added: Dai Example sent apologies (E1): withdraw E1 first if they have come");
  refuse(c, "child.added", "{'name':'Ann Sample'}",
         "child.added: Ann Sample sent apologies (E2): withdraw E2 first if they have come");
  refuse(c, "scale.given", "{'who':'Dai Example','score':5}", "scale.given: \"who\" Dai Example is not a participant");
  refuse(c, "item.amended", "{'id':'E2','text':'Siân Example'}", "item.amended: Siân Example is already a participant");
  ok(c, "item.amended", "{'id':'E2','text':'Ann Sample-Example'}", "");
  /* Dai arrives after all: the apology is withdrawn and he joins the room. */
  ok(c, "item.withdrawn", "{'id':'E1','why':'arrived late'}", "");
  ok(c, "person.added", "{'name':'Dai Example','role':'father','agency':'family'}", "P3");
  ok(c, "apology.noted", "{'name':'Ann Sample','role':'GP','agency':'health'}", "E3");
  char *s = dump(c);
  const char *apologies = strstr(s, "\"apologies\""), *want =
                  "\"apologies\":[{\"id\":\"E1\",\"seq\":5,\"name\":\"Dai Example\",\"role\":\"father\","
                  "\"agency\":\"family\",\"withdrawn\":true,\"withdrawn_reason\":\"arrived late\"},"
                  "{\"id\":\"E2\",\"seq\":6,\"name\":\"Ann Sample-Example\",\"role\":\"GP\",\"agency\":\"health\","
                  "\"previous\":[\"Ann Sample\"]},"
                  "{\"id\":\"E3\",\"seq\":10,\"name\":\"Ann Sample\",\"role\":\"GP\",\"agency\":\"health\"}],"
                  "\"worried\"";
  CHECK(apologies != NULL && strncmp(apologies, want, strlen(want)) == 0);
  free(s);
  /* Undoing the withdrawal would make Dai both present and absent: refused. */
  refuse(c, "event.undone", "{'seq':8}",
         "event.undone: cannot undo event 8: event 9 would no longer apply "
         "(person.added: Dai Example sent apologies (E1): withdraw E1 first if they have come)");
  model_free(c);
}

static void test_utf8(void) {
  model_conference *c = sample();
  const char *entry = "{'column':'worried','category':'harm'}";
  const char *bad_utf8 = "entry.mapped: \"text\" is not valid UTF-8";
  const char *control = "entry.mapped: \"text\" contains a control character";
  refuse_raw(c, "entry.mapped", entry, "text", "\xC3\x28", 2, bad_utf8);
  refuse_raw(c, "entry.mapped", entry, "text", "ab\xC0\xAF", 4, bad_utf8);          /* overlong '/' */
  refuse_raw(c, "entry.mapped", entry, "text", "\xE0\x80\xAF", 3, bad_utf8);        /* overlong '/' */
  refuse_raw(c, "entry.mapped", entry, "text", "\xF0\x82\x82\xAC", 4, bad_utf8);    /* overlong euro */
  refuse_raw(c, "entry.mapped", entry, "text", "\xED\xA0\x80", 3, bad_utf8);        /* surrogate */
  refuse_raw(c, "entry.mapped", entry, "text", "\xF4\x90\x80\x80", 4, bad_utf8);    /* past U+10FFFF */
  refuse_raw(c, "entry.mapped", entry, "text", "euro \xE2\x82", 7, bad_utf8);       /* cut short */
  refuse_raw(c, "entry.mapped", entry, "text", "\xFF", 1, bad_utf8);
  refuse_raw(c, "entry.mapped", entry, "text", "bell\x07", 5, control);
  refuse_raw(c, "entry.mapped", entry, "text", "two\nlines", 9, control);
  refuse_raw(c, "entry.mapped", entry, "text", "del\x7F", 4, control);
  refuse_raw(c, "entry.mapped", entry, "text", "nel\xC2\x85", 5, control);          /* C1 control */
  refuse_raw(c, "entry.mapped", entry, "text", "nul\0byte", 8, control);
  refuse_raw(c, "entry.mapped", entry, "category", "tab\there", 8,
             "entry.mapped: \"category\" contains a control character");
  ok(c, "entry.mapped", "{'column':'worried','category':'harm','text':'tab\\there is fine in a text'}", "W1");
  ok(c, "entry.mapped", "{'column':'worried','category':'harm','text':'Siân, Zoë and Łukasz 😀 €'}", "W2");
  CHECK_STR(model_find(c, "W2")->text, "Siân, Zoë and Łukasz 😀 €");

  char text[MODEL_TEXT_MAX + 2];
  memset(text, 'x', sizeof text - 1);
  text[MODEL_TEXT_MAX + 1] = '\0';
  refuse_raw(c, "entry.mapped", entry, "text", text, MODEL_TEXT_MAX + 1,
             "entry.mapped: \"text\" is too long (4001 bytes; at most 4000)");
  json_t *p = raw_payload(entry, "text", text, MODEL_TEXT_MAX);
  CHECK(record_json(c, "entry.mapped", p) == 0);
  CHECK_STR(last_id, "W3");
  json_decref(p);
  model_free(c);
}

/* model_check must refuse KIND with PAYLOAD, naming code point CP in LABEL's message; nothing changes. */
static void refuse_bidi(model_conference *c, const char *kind, const char *payload, const char *label,
                        unsigned cp) {
  char want[256];
  snprintf(want, sizeof want, "%s: %s holds a right-to-left/left-to-right override or isolate "
           "(U+%04X); type the words without it", kind, label, cp);
  char *before = dump(c);
  json_t *p = payload_of(payload);
  char err[512] = "";
  CHECK(model_check(c, kind, p, err, sizeof err) == -1);
  CHECK_STR(err, want);
  json_decref(p);
  char *after = dump(c);
  CHECK_STR(after, before);
  free(before);
  free(after);
}

/* model_check must accept KIND with PAYLOAD: new text may hold it. */
static void accept_new(const model_conference *c, const char *kind, const char *payload) {
  json_t *p = payload_of(payload);
  char err[512] = "";
  CHECK(model_check(c, kind, p, err, sizeof err) == 0);
  CHECK_STR(err, "");
  json_decref(p);
}

/*
** Bidirectional embeddings, overrides and isolates are refused in new text
** (model_check, model_check_name): an unclosed RLO would reorder the rest of
** its line wherever the record is read. An event already recorded that holds
** one (written by an older confer) still replays: model_apply, the replay,
** takes it, and an undo's trial rebuild folds it again.
*/
static void test_bidi_controls(void) {
  model_conference *c = sample();
  static const char *const controls[] = {
    "\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069",
  };
  static const unsigned points[] = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069};
  char payload[256];
  for (size_t i = 0; i < sizeof points / sizeof points[0]; i++) {
    snprintf(payload, sizeof payload, "{'text':'Example %sdanger'}", controls[i]);
    refuse_bidi(c, "danger.added", payload, "\"text\"", points[i]);
  }
  refuse_bidi(c, "person.added", "{'name':'Ann Example','role':'aunt','agency':'fam\u202Eily'}",
              "\"agency\"", 0x202E);
  refuse_bidi(c, "report.received", "{'agency':'School Example','received':'2024-04-29',"
              "'sections':{'Worries \u2067':['Late.']}}", "a heading", 0x2067);
  refuse_bidi(c, "report.received", "{'agency':'School Example','received':'2024-04-29',"
              "'sections':{'Worries':['Late \u202Dtwice.']}}", "heading \"Worries\"", 0x202D);
  char err[256] = "";
  CHECK(model_check_name("--chair", "Chair \u2066Example", err, sizeof err) == -1);
  CHECK_STR(err, "--chair holds a right-to-left/left-to-right override or isolate (U+2066); "
                 "type the words without it");
  CHECK(model_check_name("--chair", "Chair Example\u200F", err, sizeof err) == 0);
  /* The marks and the right-to-left scripts families speak are words, not controls. */
  accept_new(c, "danger.added", "{'text':'Example \u200Edanger\u200F and \u061Cmark'}");
  accept_new(c, "danger.added", "{'text':'\u0645\u06CC\u06BA \u0627\u067E\u0646\u06D2 "
             "\u0628\u0686\u0648\u06BA \u06A9\u06D2 \u0633\u0627\u062A\u06BE \u06C1\u0648\u06BA'}");   /* Urdu */
  accept_new(c, "danger.added", "{'text':'\u0627\u0644\u0623\u0637\u0641\u0627\u0644 \u0641\u064A "
             "\u0627\u0644\u0645\u062F\u0631\u0633\u0629'}");                                      /* Arabic */
  accept_new(c, "danger.added", "{'text':'\u05D4\u05D9\u05DC\u05D3\u05D9\u05DD \u05D1\u05D1\u05D9\u05EA'}");  /* Hebrew */

  /* Replay: model_apply takes what an older confer recorded, byte for byte. */
  ok(c, "danger.added", "{'text':'Example \u202Edanger'}", "D1");
  CHECK_STR(model_find(c, "D1")->text, "Example \xE2\x80\xAE" "danger");
  ok(c, "danger.added", "{'text':'Example danger two'}", "D2");
  accept_new(c, "event.undone", "{'seq':6}");
  ok(c, "event.undone", "{'seq':6}", "");
  CHECK(model_find(c, "D1") != NULL && model_find(c, "D2") == NULL);
  model_free(c);
}

static void test_entries(void) {
  model_conference *c = sample();
  ok(c, "entry.mapped", "{'column':'worried','category':'past_harm','text':'Bruise seen on arm',"
        "'kind':'observation','source':'school nurse'}", "W1");
  ok(c, "entry.mapped", "{'column':'working_well','category':'existing_strengths','text':'Attends school'}", "G1");
  ok(c, "entry.mapped", "{'column':'worried','category':'future_danger','text':'May be hurt again'}", "W2");
  const model_item *w1 = model_find(c, "W1");
  CHECK(w1 && w1->type == MODEL_WORRY && w1->seq == 5);
  CHECK_STR(w1 ? w1->evidence : NULL, "observation");
  CHECK_STR(w1 ? w1->source : NULL, "school nurse");
  CHECK_STR(w1 ? w1->category : NULL, "past_harm");
  CHECK(model_find(c, "G1")->type == MODEL_GOOD);
  CHECK(model_find(c, "G1")->evidence == NULL);
  CHECK(model_find(c, "W3") == NULL && model_find(c, "G2") == NULL);
  CHECK(model_find(c, "w1") == NULL && model_find(c, "W01") == NULL && model_find(c, "W") == NULL);
  CHECK(model_find(c, "X1") == NULL && model_find(c, NULL) == NULL);
  refuse(c, "entry.mapped", "{'column':'worried','category':'harm','text':'x','kind':'rumour'}",
         "entry.mapped: \"kind\" must be one of fact, observation, allegation, opinion (got \"rumour\")");
  refuse(c, "entry.mapped", "{'column':'needs','category':'harm','text':'x'}",
         "entry.mapped: \"column\" must be one of worried, working_well (got \"needs\")");
  refuse(c, "entry.mapped", "{'column':'worried','text':'x'}", "entry.mapped: \"category\" is required");
  refuse(c, "entry.mapped", "{'column':'worried','category':'harm'}", "entry.mapped: \"text\" is required");
  refuse(c, "entry.mapped", "{'column':'worried','category':'harm','text':''}",
         "entry.mapped: \"text\" must not be empty");
  refuse(c, "entry.mapped", "{'column':'worried','category':'harm','text':42}",
         "entry.mapped: \"text\" must be a string");
  refuse(c, "entry.mapped", "{'column':'worried','category':'harm','text':'x','speaker':'P1'}",
         "entry.mapped: unknown field \"speaker\"");

  ok(c, "danger.added", "{'text':'Zoë may be hit again if nothing changes'}", "D1");
  ok(c, "goal.added", "{'text':'Zoë is safe at home every day'}", "S1");
  ok(c, "bottomline.added", "{'text':'No hitting'}", "B1");
  ok(c, "rule.added", "{'text':'Grandmother stays at weekends'}", "R1");
  ok(c, "restricted.noted", "{'text':'Police enquiry ongoing'}", "N1");
  ok(c, "danger.added", "{'text':'A second danger'}", "D2");
  ok(c, "escalation.noted", "{'text':'Mother disagrees with the plan'}", "");
  CHECK_STR(c->escalation, "Mother disagrees with the plan");
  ok(c, "escalation.noted", "{'text':'Resolved after discussion'}", "");
  CHECK_STR(c->escalation, "Resolved after discussion");
  CHECK_STR(model_find(c, "D2")->text, "A second danger");
  CHECK(model_find(c, "N1")->type == MODEL_RESTRICTED);
  const char *kinds[] = {"danger.added", "goal.added", "bottomline.added", "rule.added",
                         "restricted.noted", "escalation.noted"};
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
    char want[128];
    snprintf(want, sizeof want, "%s: \"text\" is required", kinds[i]);
    refuse(c, kinds[i], "{}", want);
    snprintf(want, sizeof want, "%s: \"text\" must be a string", kinds[i]);
    refuse(c, kinds[i], "{'text':['x']}", want);
  }
  model_free(c);
}

static void test_scales(void) {
  model_conference *c = sample();
  ok(c, "scale.given", "{'who':'Siân Example','score':6,'why':'Things are better'}", "");
  ok(c, "scale.given", "{'who':'Łukasz Example','score':3}", "");
  ok(c, "scale.given", "{'who':'iro','score':4,'why':'Some progress'}", "");
  ok(c, "scale.given", "{'who':'Siân Example','score':7}", "");
  ok(c, "scale.given", "{'who':'Zoë Example','score':0}", "");
  ok(c, "scale.given", "{'who':'Łukasz Example','score':10}", "");
  refuse(c, "scale.given", "{'who':'Nobody Example','score':5}",
         "scale.given: \"who\" Nobody Example is not a participant");
  const char *score_msg = "scale.given: \"score\" must be an integer from 0 to 10";
  refuse(c, "scale.given", "{'who':'iro','score':11}", score_msg);
  refuse(c, "scale.given", "{'who':'iro','score':-1}", score_msg);
  refuse(c, "scale.given", "{'who':'iro','score':5.5}", score_msg);
  refuse(c, "scale.given", "{'who':'iro','score':'5'}", score_msg);
  refuse(c, "scale.given", "{'who':'iro','score':true}", score_msg);
  refuse(c, "scale.given", "{'who':'iro'}", "scale.given: \"score\" is required");

  ok(c, "recommendation.given", "{'who':'Łukasz Example','plan':'cp','why':'Risk of harm'}", "");
  ok(c, "recommendation.given", "{'who':'Siân Example','plan':'cin'}", "");
  ok(c, "recommendation.given", "{'who':'Łukasz Example','plan':'cin'}", "");
  refuse(c, "recommendation.given", "{'who':'iro','plan':'cp'}",
         "recommendation.given: \"who\" iro is not a participant");
  refuse(c, "recommendation.given", "{'who':'Siân Example','plan':'lac'}",
         "recommendation.given: \"plan\" must be one of cp, cin, none (got \"lac\")");

  json_t *j = model_to_json(c);
  char *scaling = json_dumps(json_object_get(j, "scaling"), JSON_COMPACT);
  CHECK_STR(scaling,
    "{\"participants\":["
    "{\"seq\":8,\"who\":\"Siân Example\",\"score\":7,\"why\":null},"
    "{\"seq\":9,\"who\":\"Zoë Example\",\"score\":0,\"why\":null},"
    "{\"seq\":10,\"who\":\"Łukasz Example\",\"score\":10,\"why\":null}],"
    "\"iro\":{\"seq\":7,\"who\":\"iro\",\"score\":4,\"why\":\"Some progress\"},"
    "\"history\":["
    "{\"seq\":5,\"who\":\"Siân Example\",\"score\":6,\"why\":\"Things are better\"},"
    "{\"seq\":6,\"who\":\"Łukasz Example\",\"score\":3,\"why\":null},"
    "{\"seq\":7,\"who\":\"iro\",\"score\":4,\"why\":\"Some progress\"},"
    "{\"seq\":8,\"who\":\"Siân Example\",\"score\":7,\"why\":null},"
    "{\"seq\":9,\"who\":\"Zoë Example\",\"score\":0,\"why\":null},"
    "{\"seq\":10,\"who\":\"Łukasz Example\",\"score\":10,\"why\":null}]}");
  char *recs = json_dumps(json_object_get(j, "recommendations"), JSON_COMPACT);
  CHECK_STR(recs,
    "[{\"seq\":12,\"who\":\"Siân Example\",\"plan\":\"cin\",\"why\":null},"
    "{\"seq\":13,\"who\":\"Łukasz Example\",\"plan\":\"cin\",\"why\":null}]");
  free(scaling);
  free(recs);
  json_decref(j);
  model_free(c);
}

static void test_decision(void) {
  model_conference *c = sample();
  refuse(c, "decision.made", "{'plan':'cp'}",
         "decision.made: a cp plan needs \"categories\": at least one of neglect, physical, emotional, sexual");
  refuse(c, "decision.made", "{'plan':'cp','categories':[]}",
         "decision.made: a cp plan needs \"categories\": at least one of neglect, physical, emotional, sexual");
  refuse(c, "decision.made", "{'plan':'cp','categories':['multiple']}",
         "decision.made: \"categories\" must be one of neglect, physical, emotional, sexual (got \"multiple\")");
  refuse(c, "decision.made", "{'plan':'cp','categories':'neglect'}",
         "decision.made: \"categories\" must be an array of strings");
  refuse(c, "decision.made", "{'plan':'cp','categories':['neglect',3]}",
         "decision.made: \"categories\" must be an array of strings");
  refuse(c, "decision.made", "{'plan':'cp','categories':['neglect','neglect']}",
         "decision.made: category neglect is given twice");
  refuse(c, "decision.made", "{'plan':'cin','categories':['neglect']}",
         "decision.made: \"categories\" are only for a cp plan (plan is cin)");
  refuse(c, "decision.made", "{'plan':'none','categories':[]}",
         "decision.made: \"categories\" are only for a cp plan (plan is none)");
  refuse(c, "decision.made", "{}", "decision.made: \"plan\" is required");
  ok(c, "decision.made", "{'plan':'cin'}", "");
  CHECK_STR(c->decision, "cin");
  CHECK(c->n_categories == 0);
  ok(c, "decision.made", "{'plan':'cp','categories':['neglect','emotional']}", "");
  CHECK_STR(c->decision, "cp");
  CHECK(c->n_categories == 2);
  CHECK_STR(c->categories[1], "emotional");
  json_t *j = model_to_json(c);
  char *s = json_dumps(json_object_get(j, "decision"), JSON_COMPACT);
  CHECK_STR(s, "{\"plan\":\"cp\",\"categories\":[\"neglect\",\"emotional\"]}");
  free(s);
  json_decref(j);
  ok(c, "decision.made", "{'plan':'none','categories':null}", "");
  CHECK_STR(c->decision, "none");
  CHECK(c->n_categories == 0 && c->categories == NULL);
  model_free(c);
}

static void test_actions(void) {
  model_conference *c = sample();
  ok(c, "entry.mapped", "{'column':'worried','category':'harm','text':'Missed school'}", "W1");
  ok(c, "entry.mapped", "{'column':'working_well','category':'strengths','text':'Loving home'}", "G1");
  ok(c, "entry.mapped", "{'column':'worried','category':'harm','text':'Late pick-ups'}", "W2");
  ok(c, "item.withdrawn", "{'id':'W2','why':'Said in error'}", "");
  const char *base = "'text':'Walk Zoë to school','owner':'Siân Example','due':'2024-06-01'";
  char payload[256];
#define ACTION(extra) (snprintf(payload, sizeof payload, "{%s%s}", base, extra), payload)
  refuse(c, "action.added",
         "{'text':'Walk to school','owner':'Zoë Sample','due':'2024-06-01','worries':['W1']}",
         "action.added: \"owner\" Zoë Sample is not a participant");
  refuse(c, "action.added", ACTION(",'worries':['W9']"), "action.added: W9 is not a recorded worry");
  refuse(c, "action.added", ACTION(",'worries':['G1']"), "action.added: G1 is not a recorded worry");
  refuse(c, "action.added", ACTION(",'worries':['W1','W2']"), "action.added: W2 is withdrawn");
  refuse(c, "action.added", ACTION(",'worries':['W1','W1']"), "action.added: W1 is linked twice");
  refuse(c, "action.added", ACTION(",'worries':[]"), "action.added: \"worries\" must name at least one worry");
  refuse(c, "action.added", ACTION(",'worries':'W1'"), "action.added: \"worries\" must be an array of strings");
  refuse(c, "action.added", ACTION(",'worries':['worry one']"),
         "action.added: \"worries\" must be an item id such as W3 (got \"worry one\")");
  refuse(c, "action.added", ACTION(""), "action.added: \"worries\" is required");
  refuse(c, "action.added", "{'text':'x','owner':'Siân Example','due':'2024-04-30','worries':['W1']}",
         "action.added: \"due\" 2024-04-30 is before the conference (2024-05-01)");
  refuse(c, "action.added", "{'text':'x','owner':'Siân Example','due':'June','worries':['W1']}",
         "action.added: \"due\" must be a date YYYY-MM-DD (got \"June\")");
  refuse(c, "action.added", "{'text':'x','due':'2024-06-01','worries':['W1']}",
         "action.added: \"owner\" is required");
  ok(c, "action.added", ACTION(",'worries':['W1'],'outcome':'Zoë is in school every day'"), "A1");
  ok(c, "action.added", "{'text':'Same day','owner':'Zoë Example','due':'2024-05-01','worries':['W1']}", "A2");
#undef ACTION
  const model_item *a1 = model_find(c, "A1");
  CHECK(a1 && a1->n_links == 1);
  CHECK_STR(a1 ? a1->links[0] : NULL, "W1");
  CHECK_STR(a1 ? a1->owner : NULL, "Siân Example");
  CHECK_STR(a1 ? a1->due : NULL, "2024-06-01");
  CHECK_STR(a1 ? a1->outcome : NULL, "Zoë is in school every day");

  refuse(c, "coregroup.set", "{'members':['Siân Example','Kit Example']}",
         "coregroup.set: \"members\" Kit Example is not a participant");
  refuse(c, "coregroup.set", "{'members':[]}", "coregroup.set: \"members\" must name at least one participant");
  refuse(c, "coregroup.set", "{'members':['Siân Example','Siân Example']}",
         "coregroup.set: Siân Example is a member twice");
  refuse(c, "coregroup.set", "{'members':'Siân Example'}", "coregroup.set: \"members\" must be an array of strings");
  refuse(c, "coregroup.set", "{'members':['']}", "coregroup.set: \"members\" must not be empty");
  ok(c, "coregroup.set", "{'members':['Siân Example','Łukasz Example']}", "");
  CHECK(c->n_core_group == 2);
  ok(c, "coregroup.set", "{'members':['Łukasz Example']}", "");
  CHECK(c->n_core_group == 1);
  CHECK_STR(c->core_group[0], "Łukasz Example");
  model_free(c);
}

static void test_amend_withdraw(void) {
  model_conference *c = sample();
  ok(c, "entry.mapped", "{'column':'worried','category':'harm','text':'First words'}", "W1");
  ok(c, "item.amended", "{'id':'W1','text':'Second words'}", "");
  ok(c, "item.amended", "{'id':'W1','text':'Third words'}", "");
  const model_item *w1 = model_find(c, "W1");
  CHECK_STR(w1->text, "Third words");
  CHECK(w1->n_old_texts == 2);
  CHECK_STR(w1->old_texts[0], "First words");
  CHECK_STR(w1->old_texts[1], "Second words");
  refuse(c, "item.amended", "{'id':'W1','text':'Third words'}", "item.amended: W1 already says that");
  refuse(c, "item.amended", "{'id':'G7','text':'x'}", "item.amended: no item G7");
  refuse(c, "item.amended", "{'id':'W0','text':'x'}",
         "item.amended: \"id\" must be an item id such as W3 (got \"W0\")");
  refuse(c, "item.amended", "{'id':'w1','text':'x'}",
         "item.amended: \"id\" must be an item id such as W3 (got \"w1\")");
  refuse(c, "item.amended", "{'text':'x'}", "item.amended: \"id\" is required");
  refuse(c, "item.withdrawn", "{'id':'D1'}", "item.withdrawn: no item D1");

  /* A person's text is their name: renaming follows the rules for names. */
  ok(c, "item.amended", "{'id':'P1','text':'Siân Sample'}", "");
  CHECK(model_find_participant(c, "Siân Example") == NULL);
  CHECK(model_find_participant(c, "Siân Sample") == model_find(c, "P1"));
  refuse(c, "item.amended", "{'id':'P1','text':'Zoë Example'}", "item.amended: Zoë Example is already a participant");
  refuse(c, "item.amended", "{'id':'P1','text':'Siân\\tSample'}", "item.amended: \"text\" contains a control character");
  /* The field holding "iro" is named: an amendment's is "text". */
  refuse(c, "item.amended", "{'id':'P1','text':'iro'}",
         "item.amended: \"text\" iro is reserved for the chair's overall scale");

  ok(c, "item.withdrawn", "{'id':'W1','why':'Duplicate'}", "");
  CHECK(w1->withdrawn == 1);
  CHECK_STR(w1->withdraw_reason, "Duplicate");
  refuse(c, "item.withdrawn", "{'id':'W1'}", "item.withdrawn: W1 is already withdrawn");
  refuse(c, "item.amended", "{'id':'W1','text':'Fourth words'}", "item.amended: W1 is withdrawn");
  CHECK(model_find(c, "W1") == w1);

  ok(c, "item.withdrawn", "{'id':'P2'}", "");
  CHECK(model_find(c, "P2")->withdraw_reason == NULL);
  CHECK(model_find_participant(c, "Łukasz Example") == NULL);
  refuse(c, "scale.given", "{'who':'Łukasz Example','score':5}",
         "scale.given: \"who\" Łukasz Example is not a participant");
  json_t *j = model_to_json(c);
  char *s = json_dumps(json_object_get(j, "worried"), JSON_COMPACT);
  CHECK_STR(s, "[{\"id\":\"W1\",\"seq\":5,\"category\":\"harm\",\"text\":\"Third words\",\"kind\":null,"
               "\"source\":null,\"withdrawn\":true,\"withdrawn_reason\":\"Duplicate\","
               "\"previous\":[\"First words\",\"Second words\"]}]");
  free(s);
  json_decref(j);
  model_free(c);
}

static void test_section_and_close(void) {
  model_conference *c = sample();
  CHECK(c->section == NULL);
  ok(c, "section.entered", "{'section':'introductions'}", "");
  ok(c, "section.entered", "{'section':'worcs.mapping-2'}", "");
  CHECK_STR(c->section, "worcs.mapping-2");
  refuse(c, "section.entered", "{'section':'the mapping'}",
         "section.entered: \"section\" must be a section id of letters, digits, _ - . (got \"the mapping\")");
  refuse(c, "conference.closed", "{'at':'2024-05-01'}",
         "conference.closed: \"at\" must be a time YYYY-MM-DDTHH:MM:SSZ (got \"2024-05-01\")");
  refuse(c, "conference.closed", "{'at':'2024-05-01T24:00:00Z'}",
         "conference.closed: \"at\" must be a time YYYY-MM-DDTHH:MM:SSZ (got \"2024-05-01T24:00:00Z\")");
  refuse(c, "conference.closed", "{'at':'2024-05-01T12:00:00+1:00'}",
         "conference.closed: \"at\" must be a time YYYY-MM-DDTHH:MM:SSZ (got \"2024-05-01T12:00:00+1:00\")");
  refuse(c, "conference.closed", "{}", "conference.closed: \"at\" is required");
  char err[256];
  json_t *p = payload_of("{'at':'2024-05-01T12:30:05.25+01:00'}");
  CHECK(model_check(c, "conference.closed", p, err, sizeof err) == 0);
  json_decref(p);
  ok(c, "conference.closed", "{'at':'2024-05-01T12:30:05Z'}", "");
  CHECK(c->closed == 1);
  CHECK_STR(c->closed_at, "2024-05-01T12:30:05Z");
  const char *closed = "conference is closed: nothing more can be recorded";
  refuse(c, "entry.mapped", "{'column':'worried','category':'harm','text':'Late'}", closed);
  refuse(c, "section.entered", "{'section':'decision'}", closed);
  refuse(c, "event.undone", "{'seq':8}", closed);
  refuse(c, "conference.closed", "{'at':'2024-05-01T12:30:06Z'}", closed);
  refuse(c, "conference.opened", "{'id':'1','authority':'a','type':'initial','date':'2024-05-01'}", closed);
  model_free(c);
}

/* Agency reports: received with their sections, then shared with the family; no item is created. */
static void test_reports(void) {
  model_conference *c = sample();
  char *before = dump(c);
  const char *good = "{'agency':'School Example','received':'2024-04-29',"
                     "'sections':{'What are we worried about?':['Late twice a week.','Hungry at lunch.']},'file':'school.md'}";
  refuse(c, "report.shared", "{'agency':'School Example','date':'2024-04-30'}",
         "report.shared: no report from School Example has been received");
  ok(c, "report.received", good, "");
  char *after = dump(c);
  CHECK_STR(after, before);
  free(after);
  refuse(c, "report.received", "{'agency':'School Example','received':'2024-04-29'}",
         "report.received: \"sections\" is required");
  refuse(c, "report.received", "{'agency':'School Example','received':'29/04/2024','sections':{'A':'b'}}",
         "report.received: \"received\" must be a date YYYY-MM-DD (got \"29/04/2024\")");
  refuse(c, "report.received", "{'agency':'School Example','received':'2024-04-29','sections':{}}",
         "report.received: \"sections\" must be an object of heading -> texts with at least one heading");
  refuse(c, "report.received", "{'agency':'School Example','received':'2024-04-29','sections':['A']}",
         "report.received: \"sections\" must be an object of heading -> texts with at least one heading");
  refuse(c, "report.received", "{'agency':'School Example','received':'2024-04-29','sections':{'A':['b','  ']}}",
         "report.received: heading \"A\" must not be empty");
  refuse(c, "report.received", "{'agency':'School Example','received':'2024-04-29','sections':{'A':[]}}",
         "report.received: heading \"A\" must be an array of at least one text");
  refuse(c, "report.received", "{'agency':'School Example','received':'2024-04-29','sections':{' ':['b']}}",
         "report.received: a heading must not be empty");
  refuse(c, "report.received", "{'agency':'School Example','received':'2024-04-29','sections':{'A':[3]}}",
         "report.received: heading \"A\" must be a string");
  json_t *raw = payload_of("{'agency':'School Example','received':'2024-04-29','sections':{}}");
  json_object_set_new_nocheck(json_object_get(raw, "sections"), "\xff", json_pack("[s]", "b"));
  refuse_json(c, "report.received", raw, "report.received: a heading is not valid UTF-8");
  json_decref(raw);
  refuse(c, "report.received", "{'agency':'School Example','received':'2024-04-29','sections':{'A':'b'}}",
         "report.received: heading \"A\" must be an array of at least one text");
  refuse(c, "report.received", "{'agency':'School Example','received':'2024-04-29','sections':{'A':['b']},'by':'x'}",
         "report.received: unknown field \"by\"");
  /* A long heading is quoted to 40 bytes, cut between characters (never inside the two bytes
  ** of an "é"), then "..."; one of 40 bytes is whole. */
  refuse(c, "report.received", "{'agency':'School Example','received':'2024-04-29',"
         "'sections':{'Worries of the school and of the familyé more':[]}}",
         "report.received: heading \"Worries of the school and of the family...\" "
         "must be an array of at least one text");
  refuse(c, "report.received", "{'agency':'School Example','received':'2024-04-29',"
         "'sections':{'Worries of the school, of the family, é':[]}}",
         "report.received: heading \"Worries of the school, of the family, é\" "
         "must be an array of at least one text");
  refuse(c, "report.shared", "{'agency':'School Example','date':'2024-04-28'}",
         "report.shared: \"date\" 2024-04-28 is before the report was received (2024-04-29)");
  refuse(c, "report.shared", "{'agency':'Health Example','date':'2024-04-30'}",
         "report.shared: no report from Health Example has been received");
  ok(c, "report.shared", "{'agency':'School Example','date':'2024-04-29'}", "");
  /* Undoing the receipt takes the report away: it can no longer be shared. */
  ok(c, "event.undone", "{'seq':6}", "");
  ok(c, "event.undone", "{'seq':5}", "");
  refuse(c, "report.shared", "{'agency':'School Example','date':'2024-04-30'}",
         "report.shared: no report from School Example has been received");
  free(before);
  model_free(c);
}

/*
** An undo rebuilds the state from the log: a report.shared after the undone
** event must find its report.received there, the latest live one, as it did
** when it was recorded.
*/
static void test_undo_with_reports(void) {
  model_conference *c = sample();                                                       /* seq 1-4 */
  ok(c, "entry.mapped", "{'column':'worried','category':'harm','text':'Late'}", "W1");     /* 5 */
  ok(c, "report.received", "{'agency':'School Example','received':'2024-04-20',"
                           "'sections':{'Attendance':['Late twice a week.']}}", "");      /* 6 */
  ok(c, "report.received", "{'agency':'School Example','received':'2024-04-29',"
                           "'sections':{'Attendance':['Late three times a week.']}}", ""); /* 7 */
  ok(c, "report.shared", "{'agency':'School Example','date':'2024-04-29'}", "");          /* 8 */
  ok(c, "event.undone", "{'seq':5}", "");                                                 /* 9 */
  CHECK(model_find(c, "W1") == NULL);
  /* Without the later report the share stands on the earlier one, received before it. */
  ok(c, "event.undone", "{'seq':7}", "");                                                 /* 10 */
  CHECK(model_agency_event(c, "report.received", "School Example") == &c->events[5]);
  /* The share would lose its report: refused, naming the share. */
  refuse(c, "event.undone", "{'seq':6}",
         "event.undone: cannot undo event 6: event 8 would no longer apply "
         "(report.shared: no report from School Example has been received)");
  ok(c, "report.received", "{'agency':'Health Example','received':'2024-04-30',"
                           "'sections':{'Growth':['Weight is low.']}}", "");              /* 11 */
  ok(c, "report.shared", "{'agency':'Health Example','date':'2024-04-30'}", "");          /* 12 */
  ok(c, "goal.added", "{'text':'Safe'}", "S1");                                           /* 13 */
  ok(c, "event.undone", "{'seq':13}", "");                                                /* 14 */
  model_free(c);
}

static void test_undo(void) {
  model_conference *c = sample();                                                     /* seq 1-4 */
  ok(c, "entry.mapped", "{'column':'worried','category':'harm','text':'One'}", "W1");   /* 5 */
  ok(c, "entry.mapped", "{'column':'worried','category':'harm','text':'Two'}", "W2");   /* 6 */
  ok(c, "entry.mapped", "{'column':'worried','category':'harm','text':'Three'}", "W3"); /* 7 */
  CHECK(model_last_live_event(c) == &c->events[6]);
  ok(c, "event.undone", "{'seq':7}", "");                                               /* 8 */
  CHECK(model_find(c, "W3") == NULL);
  CHECK(model_last_live_event(c) == &c->events[5]);
  /* An undone W3 frees nothing: the next worry is W4. */
  ok(c, "entry.mapped", "{'column':'worried','category':'harm','text':'Four'}", "W4");  /* 9 */
  CHECK_STR(model_find(c, "W4")->text, "Four");
  /* Undo of an earlier creation leaves later ids where they were. */
  ok(c, "event.undone", "{'seq':5}", "");                                               /* 10 */
  CHECK(model_find(c, "W1") == NULL);
  CHECK_STR(model_find(c, "W2")->text, "Two");
  CHECK_STR(model_find(c, "W4")->text, "Four");
  CHECK(model_find(c, "W4")->seq == 9);

  refuse(c, "event.undone", "{'seq':1}", "event.undone: the opening of the conference cannot be undone");
  refuse(c, "event.undone", "{'seq':99}", "event.undone: no event 99");
  refuse(c, "event.undone", "{'seq':0}", "event.undone: no event 0");
  refuse(c, "event.undone", "{'seq':7}", "event.undone: event 7 is already undone");
  refuse(c, "event.undone", "{'seq':8}", "event.undone: event 8 is an undo and cannot be undone");
  refuse(c, "event.undone", "{'seq':'7'}", "event.undone: \"seq\" must be an integer");
  refuse(c, "event.undone", "{}", "event.undone: \"seq\" is required");

  /* Section moves and withdrawals are taken back too. */
  ok(c, "section.entered", "{'section':'mapping'}", "");                                /* 11 */
  ok(c, "section.entered", "{'section':'danger'}", "");                                 /* 12 */
  ok(c, "event.undone", "{'seq':12}", "");                                              /* 13 */
  CHECK_STR(c->section, "mapping");
  ok(c, "item.withdrawn", "{'id':'W2','why':'Wrong child'}", "");                       /* 14 */
  CHECK(model_find(c, "W2")->withdrawn);
  ok(c, "event.undone", "{'seq':14}", "");                                              /* 15 */
  CHECK(model_find(c, "W2")->withdrawn == 0);
  CHECK(model_find(c, "W2")->withdraw_reason == NULL);
  ok(c, "item.amended", "{'id':'W2','text':'Two, amended'}", "");                       /* 16 */
  ok(c, "event.undone", "{'seq':16}", "");                                              /* 17 */
  CHECK_STR(model_find(c, "W2")->text, "Two");
  CHECK(model_find(c, "W2")->n_old_texts == 0);

  /* An undo that would leave a later event without its ground is refused. */
  ok(c, "action.added", "{'text':'Call','owner':'Łukasz Example','due':'2024-05-02','worries':['W2']}", "A1"); /* 18 */
  refuse(c, "event.undone", "{'seq':4}",
         "event.undone: cannot undo event 4: event 18 would no longer apply "
         "(action.added: \"owner\" Łukasz Example is not a participant)");
  refuse(c, "event.undone", "{'seq':6}",
         "event.undone: cannot undo event 6: event 18 would no longer apply "
         "(action.added: W2 is not a recorded worry)");
  ok(c, "event.undone", "{'seq':18}", "");                                              /* 19 */
  ok(c, "event.undone", "{'seq':4}", "");                                               /* 20 */
  CHECK(model_find_participant(c, "Łukasz Example") == NULL);
  CHECK(model_find(c, "P2") == NULL);
  ok(c, "person.added", "{'name':'Łukasz Example','role':'social worker','agency':'social care'}", "P3");

  /* Undo walks back over live events only, and never past the opening. */
  CHECK(model_last_live_event(c)->seq == 21);
  ok(c, "event.undone", "{'seq':21}", "");
  CHECK(model_last_live_event(c)->seq == 11);
  CHECK(c->n_events == 22);
  model_conference *fresh = model_new();
  ok(fresh, "conference.opened", "{'id':'2','authority':'t','type':'initial','date':'2024-05-01'}", "");
  CHECK(model_last_live_event(fresh) == NULL);
  ok(fresh, "goal.added", "{'text':'Safe'}", "S1");
  ok(fresh, "event.undone", "{'seq':2}", "");
  CHECK(model_last_live_event(fresh) == NULL);
  model_free(fresh);
  model_free(c);
}

/* Applies the recorded events of FROM to a new model; NULL if one is refused. */
static model_conference *replay(const model_conference *from) {
  model_conference *to = model_new();
  for (size_t i = 0; to && i < from->n_events; i++) {
    const model_event *ev = &from->events[i];
    char id[16], err[512];
    if (model_apply(to, ev->kind, ev->payload, ev->actor, ev->time, id, sizeof id, err, sizeof err)) {
      fprintf(stderr, "replay of event %ld refused: %s\n", ev->seq, err);
      model_free(to);
      return NULL;
    }
  }
  return to;
}

/* A whole conference as a script: kind, payload, the id it gives. */
static const char *const WHOLE[][3] = {
  {"section.entered", "{'section':'mapping'}", ""},
  {"entry.mapped", "{'column':'worried','category':'past_harm','text':'Bruise','kind':'fact','source':'GP'}", "W1"},
  {"entry.mapped", "{'column':'worried','category':'future_danger','text':'Shouting'}", "W2"},
  {"entry.mapped", "{'column':'working_well','category':'existing_safety','text':'Nan visits'}", "G1"},
  {"item.amended", "{'id':'W2','text':'Shouting at night'}", ""},
  {"entry.mapped", "{'column':'worried','category':'complicating_factors','text':'Debt'}", "W3"},
  {"event.undone", "{'seq':10}", ""},
  {"item.withdrawn", "{'id':'G1','why':'Nan has moved away'}", ""},
  {"danger.added", "{'text':'Zoë may be hurt'}", "D1"},
  {"goal.added", "{'text':'Zoë is safe'}", "S1"},
  {"scale.given", "{'who':'Siân Example','score':5}", ""},
  {"scale.given", "{'who':'iro','score':3}", ""},
  {"scale.given", "{'who':'Siân Example','score':6,'why':'After the break'}", ""},
  {"recommendation.given", "{'who':'Łukasz Example','plan':'cp'}", ""},
  {"decision.made", "{'plan':'cp','categories':['physical']}", ""},
  {"escalation.noted", "{'text':'Mother disagrees'}", ""},
  {"action.added", "{'text':'Parenting course','owner':'Siân Example','due':'2024-07-01',"
                   "'worries':['W1','W2'],'outcome':'Zoë feels safe'}", "A1"},
  {"bottomline.added", "{'text':'No hitting'}", "B1"},
  {"rule.added", "{'text':'Nan checks in'}", "R1"},
  {"coregroup.set", "{'members':['Siân Example','Łukasz Example']}", ""},
  {"restricted.noted", "{'text':'Chair only'}", "N1"},
  {"section.entered", "{'section':'plan'}", ""},
  {"event.undone", "{'seq':26}", ""},
  {"conference.closed", "{'at':'2024-05-01T12:00:00Z'}", ""},
};
#define N_WHOLE (sizeof WHOLE / sizeof WHOLE[0])

static model_conference *whole_conference(void) {
  model_conference *c = sample();
  for (size_t i = 0; i < N_WHOLE; i++) ok(c, WHOLE[i][0], WHOLE[i][1], WHOLE[i][2]);
  return c;
}

static void test_replay_and_json(void) {
  model_conference *c = whole_conference();
  model_conference *again = replay(c);
  CHECK(again != NULL);
  char *live = dump(c), *replayed = again ? dump(again) : NULL;
  CHECK_STR(replayed, live);
  CHECK_STR(live,
    "{\"id\":\"1\",\"authority\":\"testshire\",\"type\":\"initial\",\"date\":\"2024-05-01\","
    "\"chair\":\"Chair Example\","
    "\"children\":[{\"id\":\"C1\",\"seq\":2,\"name\":\"Zoë Example\",\"dob\":\"2016-02-29\"}],"
    "\"participants\":[{\"id\":\"P1\",\"seq\":3,\"name\":\"Siân Example\",\"role\":\"mother\",\"agency\":\"family\"},"
    "{\"id\":\"P2\",\"seq\":4,\"name\":\"Łukasz Example\",\"role\":\"social worker\",\"agency\":\"social care\"}],"
    "\"apologies\":[],"
    "\"worried\":[{\"id\":\"W1\",\"seq\":6,\"category\":\"past_harm\",\"text\":\"Bruise\",\"kind\":\"fact\",\"source\":\"GP\"},"
    "{\"id\":\"W2\",\"seq\":7,\"category\":\"future_danger\",\"text\":\"Shouting at night\",\"kind\":null,\"source\":null,"
    "\"previous\":[\"Shouting\"]}],"
    "\"working_well\":[{\"id\":\"G1\",\"seq\":8,\"category\":\"existing_safety\",\"text\":\"Nan visits\",\"kind\":null,"
    "\"source\":null,\"withdrawn\":true,\"withdrawn_reason\":\"Nan has moved away\"}],"
    "\"dangers\":[{\"id\":\"D1\",\"seq\":13,\"text\":\"Zoë may be hurt\"}],"
    "\"goals\":[{\"id\":\"S1\",\"seq\":14,\"text\":\"Zoë is safe\"}],"
    "\"scaling\":{\"participants\":[{\"seq\":17,\"who\":\"Siân Example\",\"score\":6,\"why\":\"After the break\"}],"
    "\"iro\":{\"seq\":16,\"who\":\"iro\",\"score\":3,\"why\":null},"
    "\"history\":[{\"seq\":15,\"who\":\"Siân Example\",\"score\":5,\"why\":null},"
    "{\"seq\":16,\"who\":\"iro\",\"score\":3,\"why\":null},"
    "{\"seq\":17,\"who\":\"Siân Example\",\"score\":6,\"why\":\"After the break\"}]},"
    "\"recommendations\":[{\"seq\":18,\"who\":\"Łukasz Example\",\"plan\":\"cp\",\"why\":null}],"
    "\"decision\":{\"plan\":\"cp\",\"categories\":[\"physical\"]},"
    "\"escalation\":\"Mother disagrees\","
    "\"actions\":[{\"id\":\"A1\",\"seq\":21,\"text\":\"Parenting course\",\"owner\":\"Siân Example\","
    "\"due\":\"2024-07-01\",\"worries\":[\"W1\",\"W2\"],\"outcome\":\"Zoë feels safe\"}],"
    "\"bottom_lines\":[{\"id\":\"B1\",\"seq\":22,\"text\":\"No hitting\"}],"
    "\"rules\":[{\"id\":\"R1\",\"seq\":23,\"text\":\"Nan checks in\"}],"
    "\"core_group\":[\"Siân Example\",\"Łukasz Example\"],\"review_date\":null,\"core_group_date\":null,"
    "\"restricted\":[{\"id\":\"N1\",\"seq\":25,\"text\":\"Chair only\"}],"
    "\"section\":\"mapping\",\"closed\":true,\"closed_at\":\"2024-05-01T12:00:00Z\"}");
  CHECK(c->n_events == 28 && again && again->n_events == 28);
  CHECK_STR(again ? again->events[10].kind : NULL, "event.undone");
  CHECK_STR(again ? again->events[10].time : NULL, "2024-05-01T10:00:00Z");
  free(live);
  free(replayed);
  model_free(again);
  model_free(c);

  model_conference *empty = model_new();
  char *s = dump(empty);
  CHECK_STR(s, "{\"id\":null,\"authority\":null,\"type\":null,\"date\":null,\"chair\":null,\"children\":[],"
               "\"participants\":[],\"apologies\":[],\"worried\":[],\"working_well\":[],\"dangers\":[],\"goals\":[],"
               "\"scaling\":{\"participants\":[],\"iro\":null,\"history\":[]},\"recommendations\":[],"
               "\"decision\":null,\"escalation\":null,\"actions\":[],\"bottom_lines\":[],\"rules\":[],"
               "\"core_group\":[],\"review_date\":null,\"core_group_date\":null,\"restricted\":[],\"section\":null,\"closed\":false,\"closed_at\":null}");
  free(s);
  model_free(empty);
}

/* The payload is copied: changing the caller's object later changes nothing. */
static void test_payload_copied(void) {
  model_conference *c = sample();
  json_t *p = payload_of("{'text':'Kept as given'}");
  CHECK(record_json(c, "goal.added", p) == 0);
  json_object_set_new(p, "text", json_string("Changed afterwards"));
  CHECK_STR(json_string_value(json_object_get(c->events[4].payload, "text")), "Kept as given");
  CHECK(c->events[4].payload != p);
  json_decref(p);
  /* Actor, time, id and error buffers are optional. */
  p = payload_of("{'text':'No buffers'}");
  CHECK(model_apply(c, "goal.added", p, NULL, NULL, NULL, 0, NULL, 0) == 0);
  CHECK(c->events[5].actor == NULL && c->events[5].time == NULL);
  CHECK(model_apply(c, "goal.added", NULL, NULL, NULL, NULL, 0, NULL, 0) == -1);
  json_decref(p);
  model_free(c);
}

/*
** Out of memory. Outside the sanitizers (which own malloc) this program
** replaces malloc with one that fails after a budget of allocations, and
** plays the whole conference failing at every allocation in turn: each
** failure must say "out of memory", leave the state as it was and leak
** nothing.
*/
#if defined(__SANITIZE_ADDRESS__)
#define OOM_TEST 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define OOM_TEST 0
#endif
#endif
#if !defined(OOM_TEST) && defined(__GLIBC__)
#define OOM_TEST 1
#endif

#if OOM_TEST
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static long alloc_budget = -1;  /* allocations left before failing; -1: no limit */
static long live_blocks;

static int allocation_fails(void) {
  if (alloc_budget == 0) return 1;
  if (alloc_budget > 0) alloc_budget--;
  return 0;
}

void *malloc(size_t n) {
  void *p = allocation_fails() ? NULL : __libc_malloc(n);
  if (p) live_blocks++;
  return p;
}

void *calloc(size_t n, size_t size) {
  void *p = allocation_fails() ? NULL : __libc_calloc(n, size);
  if (p) live_blocks++;
  return p;
}

void *realloc(void *old, size_t n) {
  if (old == NULL) return malloc(n);
  return allocation_fails() ? NULL : __libc_realloc(old, n);
}

void free(void *p) {
  if (p) live_blocks--;
  __libc_free(p);
}

/* Applies KIND/PAYLOAD failing at each allocation in turn, then for real. */
static void apply_under_oom(model_conference *c, const char *kind, const char *text, const char *want_id) {
  json_t *p = payload_of(text);
  char *before = dump(c);
  size_t events = c->n_events;
  for (long budget = 0;; budget++) {
    char id[16] = "", err[512] = "";
    alloc_budget = budget;
    int rc = model_apply(c, kind, p, "chair", "2024-05-01T10:00:00Z", id, sizeof id, err, sizeof err);
    alloc_budget = -1;
    if (rc == 0) {
      CHECK_STR(id, want_id);
      break;
    }
    CHECK_STR(err, "out of memory");
    CHECK_STR(id, "");
    char *after = dump(c);
    CHECK_STR(after, before);
    CHECK(c->n_events == events);
    free(after);
    if (budget > 10000) {
      CHECK(!"model_apply never succeeds");
      break;
    }
  }
  free(before);
  json_decref(p);
}

/* 1 if this file's malloc is the one in use (not so under valgrind). */
static int malloc_replaced(void) {
  void *(*volatile allocate)(size_t) = malloc;  /* volatile: the compiler may not elide the call */
  alloc_budget = 0;
  void *p = allocate(1);
  alloc_budget = -1;
  free(p);
  return p == NULL;
}

static void test_out_of_memory(void) {
  if (!malloc_replaced()) {
    printf("out-of-memory test not run: malloc is not replaceable here (valgrind?)\n");
    return;
  }
  long baseline = live_blocks;
  alloc_budget = 0;
  CHECK(model_new() == NULL);
  alloc_budget = -1;
  model_conference *c = sample();
  for (size_t i = 0; i < N_WHOLE; i++) apply_under_oom(c, WHOLE[i][0], WHOLE[i][1], WHOLE[i][2]);
  model_conference *reference = whole_conference();
  char *want = dump(reference), *got = dump(c);
  CHECK_STR(got, want);
  free(want);
  free(got);
  for (long budget = 0;; budget++) {
    alloc_budget = budget;
    json_t *j = model_to_json(c);
    alloc_budget = -1;
    if (j) {
      json_decref(j);
      break;
    }
  }
  model_free(reference);
  model_free(c);
  /* Reports: a heading is checked without allocating, so only memory is ever blamed. */
  c = sample();
  apply_under_oom(c, "report.received", "{'agency':'School Example','received':'2024-04-29',"
                                        "'sections':{'Attendance':['Late twice a week.']}}", "");
  apply_under_oom(c, "report.shared", "{'agency':'School Example','date':'2024-04-29'}", "");
  apply_under_oom(c, "goal.added", "{'text':'Safe'}", "S1");
  apply_under_oom(c, "event.undone", "{'seq':7}", "");
  model_free(c);
  CHECK(live_blocks == baseline);
}
#else
static void test_out_of_memory(void) {
  printf("out-of-memory test not run: the sanitizers own malloc (run a build without them)\n");
}
#endif

int main(void) {
  if (test_load_locales() != 0) return 1;
  test_opening();
  test_participants();
  test_apologies();
  test_utf8();
  test_bidi_controls();
  test_entries();
  test_scales();
  test_decision();
  test_actions();
  test_amend_withdraw();
  test_section_and_close();
  test_reports();
  test_undo_with_reports();
  test_undo();
  test_replay_and_json();
  test_payload_copied();
  test_out_of_memory();
  return TEST_SUMMARY();
}
