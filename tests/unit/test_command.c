/*
** test_command.c — the chair's command parser: every verb's event and
** payload, every kind of malformed line and its exact error (in the shipped
** en_GB catalogue's words; without a catalogue, the error is its key).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "model.h"
#include "test_locales.h"

static int failures;

#define CHECK(cond, ...) do { \
    if (!(cond)) { failures++; fprintf(stderr, "%s:%d: ", __FILE__, __LINE__); \
      fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

/* Parses LINE and checks it records KIND with exactly the payload JSON (sorted keys). */
static void expect_record(int line_no, const char *line, const char *kind, const char *json) {
  command cmd;
  char err[256] = "";
  if (command_parse(line, strlen(line), &cmd, err, sizeof err) != 0) {
    failures++;
    fprintf(stderr, "line %d: \"%s\" failed: %s\n", line_no, line, err);
    return;
  }
  char *got = cmd.payload ? json_dumps(cmd.payload, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
  if (cmd.type != COMMAND_RECORD || cmd.kind == NULL || strcmp(cmd.kind, kind) != 0 ||
      got == NULL || strcmp(got, json) != 0) {
    failures++;
    fprintf(stderr, "line %d: \"%s\" gave %s %s, expected %s %s\n", line_no, line,
            cmd.kind ? cmd.kind : "(no kind)", got ? got : "(no payload)", kind, json);
  }
  free(got);
  command_free(&cmd);
}

/* Parses LINE and checks it is refused with exactly ERROR. */
static void expect_error(int line_no, const char *line, size_t len, const char *error) {
  command cmd;
  char err[256] = "";
  int rc = command_parse(line, len, &cmd, err, sizeof err);
  if (rc != -1 || strcmp(err, error) != 0) {
    failures++;
    fprintf(stderr, "line %d: \"%.60s\" gave rc %d \"%s\", expected \"%s\"\n", line_no, line, rc,
            err, error);
  }
  CHECK(cmd.payload == NULL && cmd.arg == NULL, "a refused command owns nothing");
  command_free(&cmd);
}

#define RECORD(line, kind, json) expect_record(__LINE__, line, kind, json)
#define REFUSE(line, error) expect_error(__LINE__, line, strlen(line), error)

/* Parses LINE and checks a control command's type, arg and force flag. */
static void expect_control(int line_no, const char *line, command_type type, const char *verb,
                           const char *arg, int force) {
  command cmd;
  char err[256] = "";
  if (command_parse(line, strlen(line), &cmd, err, sizeof err) != 0) {
    failures++;
    fprintf(stderr, "line %d: \"%s\" failed: %s\n", line_no, line, err);
    return;
  }
  int ok = cmd.type == type && cmd.payload == NULL && cmd.force == force &&
           ((arg == NULL && cmd.arg == NULL) || (arg && cmd.arg && strcmp(arg, cmd.arg) == 0)) &&
           ((verb == NULL && cmd.verb == NULL) || (verb && cmd.verb && strcmp(verb, cmd.verb) == 0));
  if (!ok) {
    failures++;
    fprintf(stderr, "line %d: \"%s\" gave type %d verb %s arg %s force %d\n", line_no, line,
            (int)cmd.type, cmd.verb ? cmd.verb : "-", cmd.arg ? cmd.arg : "-", cmd.force);
  }
  command_free(&cmd);
}
#define CONTROL(line, type, verb, arg, force) expect_control(__LINE__, line, type, verb, arg, force)

static void test_recording_verbs(void) {
  RECORD("child Zoë Example", "child.added", "{\"name\":\"Zoë Example\"}");
  RECORD("child Siân Example | 2019-02-28", "child.added",
         "{\"dob\":\"2019-02-28\",\"name\":\"Siân Example\"}");
  RECORD("person Łukasz Testowy | father | family", "person.added",
         "{\"agency\":\"family\",\"name\":\"Łukasz Testowy\",\"role\":\"father\"}");
  RECORD("apology Pat Example | GP | health", "apology.noted",
         "{\"agency\":\"health\",\"name\":\"Pat Example\",\"role\":\"GP\"}");
  RECORD("absent Pat Example | GP | health", "apology.noted",
         "{\"agency\":\"health\",\"name\":\"Pat Example\",\"role\":\"GP\"}");
  REFUSE("apology Pat Example | GP", "apology: AGENCY is missing (apology NAME | ROLE | AGENCY)");
  RECORD("withdraw e2", "item.withdrawn", "{\"id\":\"E2\"}");
  REFUSE("pull", "pull: AGENCY is missing (pull AGENCY [| WORRY-CATEGORY [| GOOD-CATEGORY]])");
  REFUSE("pull school | past_harm | strengths | more",
         "pull: too many fields (pull AGENCY [| WORRY-CATEGORY [| GOOD-CATEGORY]])");
  RECORD("worry past_harm | Dad shouted at Zoë | observation | school", "entry.mapped",
         "{\"category\":\"past_harm\",\"column\":\"worried\",\"kind\":\"observation\","
         "\"source\":\"school\",\"text\":\"Dad shouted at Zoë\"}");
  RECORD("good   strengths|Mum walks Zoë to school  ", "entry.mapped",
         "{\"category\":\"strengths\",\"column\":\"working_well\",\"text\":\"Mum walks Zoë to school\"}");
  RECORD("worry harm | A \\| B | Fact", "entry.mapped",
         "{\"category\":\"harm\",\"column\":\"worried\",\"kind\":\"fact\",\"text\":\"A | B\"}");
  RECORD("danger Zoë may be hurt if the shouting goes on", "danger.added",
         "{\"text\":\"Zoë may be hurt if the shouting goes on\"}");
  RECORD("goal Zoë feels safe at home", "goal.added", "{\"text\":\"Zoë feels safe at home\"}");
  RECORD("scale iro | 4", "scale.given", "{\"score\":4,\"who\":\"iro\"}");
  RECORD("scale Ann Sample | 10 | school sees progress", "scale.given",
         "{\"score\":10,\"who\":\"Ann Sample\",\"why\":\"school sees progress\"}");
  RECORD("recommend Ann Sample | CP", "recommendation.given",
         "{\"plan\":\"cp\",\"who\":\"Ann Sample\"}");
  RECORD("decide cp | neglect, emotional", "decision.made",
         "{\"categories\":[\"neglect\",\"emotional\"],\"plan\":\"cp\"}");
  RECORD("decide cin", "decision.made", "{\"plan\":\"cin\"}");
  RECORD("escalate Police disagreed with CIN", "escalation.noted",
         "{\"text\":\"Police disagreed with CIN\"}");
  RECORD("action Parenting course | Ann Sample | 2025-03-31 | W1, w3 | Zoë is not shouted at",
         "action.added",
         "{\"due\":\"2025-03-31\",\"outcome\":\"Zoë is not shouted at\",\"owner\":\"Ann Sample\","
         "\"text\":\"Parenting course\",\"worries\":[\"W1\",\"W3\"]}");
  RECORD("bottomline No drinking while caring for Zoë", "bottomline.added",
         "{\"text\":\"No drinking while caring for Zoë\"}");
  RECORD("rule Zoë sleeps at Nan's on Fridays", "rule.added",
         "{\"text\":\"Zoë sleeps at Nan's on Fridays\"}");
  RECORD("coregroup Ann Sample, Łukasz Testowy", "coregroup.set",
         "{\"members\":[\"Ann Sample\",\"Łukasz Testowy\"]}");
  RECORD("restricted Police hold further information", "restricted.noted",
         "{\"text\":\"Police hold further information\"}");
  RECORD("amend w2 | Dad shouted twice", "item.amended", "{\"id\":\"W2\",\"text\":\"Dad shouted twice\"}");
  RECORD("withdraw G1 | recorded twice", "item.withdrawn", "{\"id\":\"G1\",\"why\":\"recorded twice\"}");
  RECORD("withdraw A12", "item.withdrawn", "{\"id\":\"A12\"}");
  RECORD("WORRY harm\t|\ttab\tinside", "entry.mapped",
         "{\"category\":\"harm\",\"column\":\"worried\",\"text\":\"tab\\tinside\"}");
}

static void test_escapes(void) {
  RECORD("danger a \\| b \\\\ c", "danger.added", "{\"text\":\"a | b \\\\ c\"}");
  RECORD("danger a \\n b", "danger.added", "{\"text\":\"a \\\\n b\"}");
}

static void test_control_verbs(void) {
  CONTROL("", COMMAND_EMPTY, NULL, NULL, 0);
  CONTROL("   \t ", COMMAND_EMPTY, NULL, NULL, 0);
  CONTROL("# a comment | with bars", COMMAND_EMPTY, NULL, NULL, 0);
  CONTROL("next", COMMAND_NEXT, "next", NULL, 0);
  CONTROL("next!", COMMAND_NEXT, "next", NULL, 1);
  CONTROL("back", COMMAND_BACK, "back", NULL, 0);
  CONTROL("goto mapping", COMMAND_GOTO, "goto", "mapping", 0);
  CONTROL("goto! decision", COMMAND_GOTO, "goto", "decision", 1);
  CONTROL("sections", COMMAND_SECTIONS, "sections", NULL, 0);
  CONTROL("show", COMMAND_SHOW, "show", NULL, 0);
  CONTROL("show worried", COMMAND_SHOW, "show", "worried", 0);
  CONTROL("undo", COMMAND_UNDO, "undo", NULL, 0);
  CONTROL("help", COMMAND_HELP, "help", NULL, 0);
  CONTROL("? worry", COMMAND_HELP, "help", "worry", 0);
  CONTROL("end", COMMAND_END, "end", NULL, 0);
  CONTROL("end!", COMMAND_END, "end", NULL, 1);
  CONTROL("yes", COMMAND_YES, "yes", NULL, 0);
  CONTROL("quit", COMMAND_QUIT, "quit", NULL, 0);
  CONTROL("exit", COMMAND_QUIT, "quit", NULL, 0);
  CONTROL("= conf:count('worries')", COMMAND_EVAL, "=", "conf:count('worries')", 0);
  CONTROL("=1+1", COMMAND_EVAL, "=", "1+1", 0);
  CONTROL("= a | b", COMMAND_EVAL, "=", "a | b", 0);
}

static void test_missing_and_extra_fields(void) {
  REFUSE("person Ann Sample | teacher",
         "person: AGENCY is missing (person NAME | ROLE | AGENCY)");
  REFUSE("worry harm", "worry: TEXT is missing (worry CATEGORY | TEXT [| KIND [| SOURCE]])");
  REFUSE("worry", "worry: CATEGORY is missing (worry CATEGORY | TEXT [| KIND [| SOURCE]])");
  REFUSE("worry harm |  | fact", "worry: TEXT is empty (worry CATEGORY | TEXT [| KIND [| SOURCE]])");
  REFUSE("worry a | b | fact | c | d",
         "worry: too many fields (worry CATEGORY | TEXT [| KIND [| SOURCE]])");
  REFUSE("danger", "danger: TEXT is missing (danger TEXT)");
  REFUSE("child Zoë |", "child: DATE-OF-BIRTH is empty (child NAME [| DATE-OF-BIRTH])");
  REFUSE("next please", "next: too many fields (next  (next! moves on with items missing))");
  REFUSE("goto", "goto: SECTION is missing (goto SECTION  (goto! with items missing))");
  REFUSE("goto a | b", "goto: too many fields (goto SECTION  (goto! with items missing))");
  REFUSE("goto two words", "goto: SECTION must be one word, not \"two words\"");
  REFUSE("=", "=: EXPR is missing (= EXPR)");
  REFUSE("action Course | Ann | 2025-03-31",
         "action: W-ID is missing (action TEXT | OWNER | DUE-DATE | W-ID[, W-ID] [| CHILD'S OUTCOME])");
}

static void test_bad_values(void) {
  REFUSE("scale iro | 11", "scale: SCORE must be a whole number from 0 to 10, not \"11\"");
  REFUSE("scale iro | -1", "scale: SCORE must be a whole number from 0 to 10, not \"-1\"");
  REFUSE("scale iro | 7.5", "scale: SCORE must be a whole number from 0 to 10, not \"7.5\"");
  REFUSE("scale iro | seven", "scale: SCORE must be a whole number from 0 to 10, not \"seven\"");
  REFUSE("scale iro | 010", "scale: SCORE must be a whole number from 0 to 10, not \"010\"");
  REFUSE("recommend Ann | maybe", "recommend: PLAN must be cp, cin or none, not \"maybe\"");
  REFUSE("worry harm | text | rumour",
         "worry: KIND must be fact, observation, allegation or opinion, not \"rumour\"");
  REFUSE("child Zoë | 2019-02-30", "child: DATE-OF-BIRTH must be a date YYYY-MM-DD, not \"2019-02-30\"");
  REFUSE("action A | Ann | next week | W1",
         "action: DUE-DATE must be a date YYYY-MM-DD, not \"next week\"");
  REFUSE("action A | Ann | 2025-03-31 | G1", "action: \"G1\" is not a worry id (W1, W2, ...)");
  REFUSE("action A | Ann | 2025-03-31 | W1,,W2", "action: W-ID has an empty item");
  REFUSE("action A | Ann | 2025-03-31 | W1, W1", "action: \"W1\" is given twice");
  REFUSE("amend X1 | text", "amend: \"X1\" is not an item id (W3, G1, A2, ...)");
  REFUSE("withdraw W0", "withdraw: \"W0\" is not an item id (W3, G1, A2, ...)");
  REFUSE("withdraw W1a", "withdraw: \"W1a\" is not an item id (W3, G1, A2, ...)");
  REFUSE("decide cp", "decide: a cp decision needs its CATEGORY (decide cp | neglect)");
  REFUSE("decide none | neglect", "decide: only a cp decision takes categories");
  REFUSE("coregroup Ann, , Bob", "coregroup: NAME has an empty item");
  REFUSE("frobnicate now", "unknown command \"frobnicate\" (help lists them)");
  REFUSE("worry! harm | x", "worry: does not take '!'");
}

static void test_bad_bytes(void) {
  REFUSE("danger bad \xff byte", "the line is not valid UTF-8 (byte 12)");
  REFUSE("danger \xc3", "the line is not valid UTF-8 (byte 8)");
  REFUSE("danger \xc0\xaf", "the line is not valid UTF-8 (byte 8)");          /* overlong */
  REFUSE("danger \xed\xa0\x80", "the line is not valid UTF-8 (byte 8)");      /* surrogate */
  REFUSE("danger \xf4\x90\x80\x80", "the line is not valid UTF-8 (byte 8)");  /* > U+10FFFF */
  REFUSE("danger bell\x07", "the line contains a control character (byte 12)");
  REFUSE("danger esc\x1b[31m", "the line contains a control character (byte 11)");
  REFUSE("danger del\x7f", "the line contains a control character (byte 11)");
  REFUSE("danger c1\xc2\x85", "the line contains a control character (byte 10)");
  expect_error(__LINE__, "danger nul\0byte", 15, "the line contains a control character (byte 11)");
  /* Bidirectional overrides and isolates; the marks LRM, RLM and ALM are words. */
  REFUSE("danger \xe2\x80\xae" "evil", "the line holds a right-to-left/left-to-right override or isolate "
                                    "(U+202E, byte 8); type the words without it");
  REFUSE("danger a\xe2\x80\xaa", "the line holds a right-to-left/left-to-right override or isolate "
                                 "(U+202A, byte 9); type the words without it");
  REFUSE("danger a\xe2\x81\xa9", "the line holds a right-to-left/left-to-right override or isolate "
                                 "(U+2069, byte 9); type the words without it");
  command cmd;
  char err[256] = "";
  const char *marks = "danger Example\xe2\x80\x8e \xe2\x80\x8f \xd8\x9c danger";
  CHECK(command_parse(marks, strlen(marks), &cmd, err, sizeof err) == 0, "LRM, RLM, ALM: %s", err);
  command_free(&cmd);
}

static void test_lengths(void) {
  size_t n = MODEL_TEXT_MAX + 1;
  char *line = malloc(COMMAND_LINE_MAX + 2);
  if (line == NULL) { failures++; return; }
  memcpy(line, "danger ", 7);
  memset(line + 7, 'x', n);
  line[7 + n] = '\0';
  REFUSE(line, "danger: TEXT is longer than 4000 bytes");
  line[7 + n - 1] = '\0';
  command cmd;
  char err[256] = "";
  CHECK(command_parse(line, strlen(line), &cmd, err, sizeof err) == 0, "4000 bytes: %s", err);
  command_free(&cmd);
  memcpy(line, "person ", 7);
  memset(line + 7, 'y', MODEL_NAME_MAX + 1);
  strcpy(line + 7 + MODEL_NAME_MAX + 1, " | r | a");
  REFUSE(line, "person: NAME is longer than 200 bytes");
  memset(line, 'z', COMMAND_LINE_MAX + 1);
  expect_error(__LINE__, line, COMMAND_LINE_MAX + 1, "the line is longer than 8192 bytes");
  free(line);
}

/* pull is no event: its fields come as a payload for the REPL to act on. */
static void test_pull(void) {
  command cmd;
  char err[256] = "";
  CHECK(command_parse("pull health visiting | harm", 27, &cmd, err, sizeof err) == 0, "pull parses: %s", err);
  char *got = cmd.payload ? json_dumps(cmd.payload, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
  CHECK(cmd.type == COMMAND_PULL && cmd.kind == NULL && got != NULL &&
        strcmp(got, "{\"agency\":\"health visiting\",\"worry\":\"harm\"}") == 0,
        "pull gives its payload, got %s", got ? got : "(none)");
  free(got);
  command_free(&cmd);
}

static void test_tables(void) {
  const char *const *v = command_verbs();
  size_t n = 0;
  while (v[n] != NULL) {
    CHECK(command_usage(v[n]) != NULL, "%s has a usage line", v[n]);
    n++;
  }
  CHECK(n == 33, "33 verbs, got %zu", n);
  CHECK(strcmp(command_usage("exit"), "quit") == 0, "aliases have the verb's usage");
  CHECK(command_usage("frobnicate") == NULL, "unknown verbs have no usage");
  CHECK(strcmp(command_canonical("Decision"), "decide") == 0, "aliases ignore case");
  CHECK(strcmp(command_canonical("need"), "goal") == 0, "need (the third column) is a goal");
}

/* Before any catalogue is loaded (as the fuzzer calls it) an error is its catalogue key. */
static void test_without_catalogue(void) {
  expect_error(__LINE__, "scale Example | 11", 18, "command.score");
  expect_error(__LINE__, "frobnicate", 10, "command.unknown");
}

int main(void) {
  test_without_catalogue();
  if (test_load_locales() != 0) return 1;
  test_recording_verbs();
  test_pull();
  test_escapes();
  test_control_verbs();
  test_missing_and_extra_fields();
  test_bad_values();
  test_bad_bytes();
  test_lengths();
  test_tables();
  if (failures) fprintf(stderr, "%d failure(s)\n", failures);
  else printf("test_command: all passed\n");
  return failures != 0;
}
