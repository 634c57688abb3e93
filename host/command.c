/*
** command.c — the chair's command language: one input line to one command.
**
** The parser is table-driven: each verb names its event kind, its fields in
** order (with the payload key and the kind of value each holds) and how many
** of them are required. Checking a field is one function per value type, so
** a new verb is a table row, not new code. It does no I/O and keeps no state
** of its own (its error texts are catalogue lookups, which give the key itself
** when no catalogue is loaded), so a fuzzer can drive command_parse directly.
*/
#include "command.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar.h"
#include "i18n.h"
#include "model.h"
#include "utf8.h"

#define MAX_FIELDS 5
#define LINE_BUF 1024   /* bytes of a line parsed in place on the stack */

typedef enum {
  FIELD_NAME,       /* a short string (name, role, category): MODEL_NAME_MAX */
  FIELD_TEXT,       /* free text: MODEL_TEXT_MAX */
  FIELD_WORD,       /* a section id, column or verb: one word */
  FIELD_KIND,       /* fact|observation|allegation|opinion */
  FIELD_SCORE,      /* integer 0-10 */
  FIELD_PLAN,       /* cp|cin|none */
  FIELD_DATE,       /* YYYY-MM-DD */
  FIELD_ID,         /* an item id: W3 */
  FIELD_WORRIES,    /* comma-separated W ids */
  FIELD_NAMES       /* comma-separated names */
} field_type;

typedef struct field_spec {
  const char *label;   /* as the usage line names it */
  const char *key;     /* payload key, or NULL for the command's arg */
  field_type type;
} field_spec;

typedef struct verb_spec {
  const char *name;
  command_type type;
  const char *kind;              /* event kind for COMMAND_RECORD */
  const char *fixed_key, *fixed_value; /* a payload member the verb implies */
  int required;                  /* how many leading fields must be given */
  int may_force;                 /* accepts a trailing '!' */
  const char *usage;
  field_spec fields[MAX_FIELDS];
} verb_spec;

static const verb_spec verbs[] = {
  {"child", COMMAND_RECORD, "child.added", NULL, NULL, 1, 0,
   "child NAME [| DATE-OF-BIRTH]",
   {{"NAME", "name", FIELD_NAME}, {"DATE-OF-BIRTH", "dob", FIELD_DATE}}},
  {"person", COMMAND_RECORD, "person.added", NULL, NULL, 3, 0,
   "person NAME | ROLE | AGENCY",
   {{"NAME", "name", FIELD_NAME}, {"ROLE", "role", FIELD_NAME},
    {"AGENCY", "agency", FIELD_NAME}}},
  {"worry", COMMAND_RECORD, "entry.mapped", "column", "worried", 2, 0,
   "worry CATEGORY | TEXT [| KIND [| SOURCE]]",
   {{"CATEGORY", "category", FIELD_NAME}, {"TEXT", "text", FIELD_TEXT},
    {"KIND", "kind", FIELD_KIND}, {"SOURCE", "source", FIELD_NAME}}},
  {"good", COMMAND_RECORD, "entry.mapped", "column", "working_well", 2, 0,
   "good CATEGORY | TEXT [| KIND [| SOURCE]]",
   {{"CATEGORY", "category", FIELD_NAME}, {"TEXT", "text", FIELD_TEXT},
    {"KIND", "kind", FIELD_KIND}, {"SOURCE", "source", FIELD_NAME}}},
  {"danger", COMMAND_RECORD, "danger.added", NULL, NULL, 1, 0, "danger TEXT",
   {{"TEXT", "text", FIELD_TEXT}}},
  {"goal", COMMAND_RECORD, "goal.added", NULL, NULL, 1, 0, "goal TEXT",
   {{"TEXT", "text", FIELD_TEXT}}},
  {"scale", COMMAND_RECORD, "scale.given", NULL, NULL, 2, 0, "scale NAME|iro | SCORE [| WHY]",
   {{"NAME", "who", FIELD_NAME}, {"SCORE", "score", FIELD_SCORE}, {"WHY", "why", FIELD_TEXT}}},
  {"recommend", COMMAND_RECORD, "recommendation.given", NULL, NULL, 2, 0,
   "recommend NAME | cp|cin|none [| WHY]",
   {{"NAME", "who", FIELD_NAME}, {"PLAN", "plan", FIELD_PLAN}, {"WHY", "why", FIELD_TEXT}}},
  {"decide", COMMAND_RECORD, "decision.made", NULL, NULL, 1, 0,
   "decide cp | CATEGORY[, CATEGORY] | decide cin | decide none",
   {{"PLAN", "plan", FIELD_PLAN}, {"CATEGORY", "categories", FIELD_NAMES}}},
  {"escalation", COMMAND_RECORD, "escalation.noted", NULL, NULL, 1, 0, "escalation TEXT",
   {{"TEXT", "text", FIELD_TEXT}}},
  {"action", COMMAND_RECORD, "action.added", NULL, NULL, 4, 0,
   "action TEXT | OWNER | DUE-DATE | W-ID[, W-ID] [| CHILD'S OUTCOME]",
   {{"TEXT", "text", FIELD_TEXT}, {"OWNER", "owner", FIELD_NAME},
    {"DUE-DATE", "due", FIELD_DATE}, {"W-ID", "worries", FIELD_WORRIES},
    {"CHILD'S OUTCOME", "outcome", FIELD_TEXT}}},
  {"bottomline", COMMAND_RECORD, "bottomline.added", NULL, NULL, 1, 0, "bottomline TEXT",
   {{"TEXT", "text", FIELD_TEXT}}},
  {"rule", COMMAND_RECORD, "rule.added", NULL, NULL, 1, 0, "rule TEXT",
   {{"TEXT", "text", FIELD_TEXT}}},
  {"coregroup", COMMAND_RECORD, "coregroup.set", NULL, NULL, 1, 0, "coregroup NAME[, NAME]",
   {{"NAME", "members", FIELD_NAMES}}},
  {"reviewdate", COMMAND_RECORD, "dates.set", NULL, NULL, 1, 0, "reviewdate DATE",
   {{"DATE", "review", FIELD_DATE}}},
  {"coregroupdate", COMMAND_RECORD, "dates.set", NULL, NULL, 1, 0, "coregroupdate DATE",
   {{"DATE", "core_group", FIELD_DATE}}},
  {"restricted", COMMAND_RECORD, "restricted.noted", NULL, NULL, 1, 0, "restricted TEXT",
   {{"TEXT", "text", FIELD_TEXT}}},
  {"apology", COMMAND_RECORD, "apology.noted", NULL, NULL, 3, 0,
   "apology NAME | ROLE | AGENCY",
   {{"NAME", "name", FIELD_NAME}, {"ROLE", "role", FIELD_NAME},
    {"AGENCY", "agency", FIELD_NAME}}},
  {"pull", COMMAND_PULL, NULL, NULL, NULL, 1, 0,
   "pull AGENCY [| WORRY-CATEGORY [| GOOD-CATEGORY]]",
   {{"AGENCY", "agency", FIELD_NAME}, {"WORRY-CATEGORY", "worry", FIELD_NAME},
    {"GOOD-CATEGORY", "good", FIELD_NAME}}},
  {"amend", COMMAND_RECORD, "item.amended", NULL, NULL, 2, 0, "amend ID | TEXT",
   {{"ID", "id", FIELD_ID}, {"TEXT", "text", FIELD_TEXT}}},
  {"withdraw", COMMAND_RECORD, "item.withdrawn", NULL, NULL, 1, 0, "withdraw ID [| WHY]",
   {{"ID", "id", FIELD_ID}, {"WHY", "why", FIELD_TEXT}}},
  {"next", COMMAND_NEXT, NULL, NULL, NULL, 0, 1, "next  (next! moves on with items missing)", {{0}}},
  {"back", COMMAND_BACK, NULL, NULL, NULL, 0, 0, "back", {{0}}},
  {"goto", COMMAND_GOTO, NULL, NULL, NULL, 1, 1, "goto SECTION  (goto! with items missing)",
   {{"SECTION", NULL, FIELD_WORD}}},
  {"sections", COMMAND_SECTIONS, NULL, NULL, NULL, 0, 0, "sections", {{0}}},
  {"show", COMMAND_SHOW, NULL, NULL, NULL, 0, 0, "show [worried|working_well|needs]",
   {{"COLUMN", NULL, FIELD_WORD}}},
  {"undo", COMMAND_UNDO, NULL, NULL, NULL, 0, 0, "undo", {{0}}},
  {"help", COMMAND_HELP, NULL, NULL, NULL, 0, 0, "help [VERB]", {{"VERB", NULL, FIELD_WORD}}},
  {"end", COMMAND_END, NULL, NULL, NULL, 0, 1, "end  (end! or a following yes confirms)", {{0}}},
  {"yes", COMMAND_YES, NULL, NULL, NULL, 0, 0, "yes", {{0}}},
  {"quit", COMMAND_QUIT, NULL, NULL, NULL, 0, 0, "quit", {{0}}},
  {"=", COMMAND_EVAL, NULL, NULL, NULL, 1, 0, "= EXPR", {{"EXPR", NULL, FIELD_TEXT}}},
  {"board", COMMAND_BOARD, NULL, NULL, NULL, 0, 0, "board [on|share|token|off]",
   {{"WHAT", NULL, FIELD_WORD}}},
};
#define N_VERBS (sizeof verbs / sizeof verbs[0])

/* Friendlier words a chair may type. */
static const struct { const char *alias, *verb; } aliases[] = {
  {"exit", "quit"}, {"?", "help"}, {"escalate", "escalation"}, {"bottom-line", "bottomline"},
  {"core-group", "coregroup"}, {"recommendation", "recommend"}, {"decision", "decide"},
  {"strength", "good"}, {"worried", "worry"}, {"participant", "person"}, {"n", "next"},
  {"b", "back"}, {"note", "restricted"}, {"confidential", "restricted"},
  {"apologies", "apology"}, {"absent", "apology"}, {"review-date", "reviewdate"},
  {"core-group-date", "coregroupdate"}, {"need", "goal"},
};
#define N_ALIASES (sizeof aliases / sizeof aliases[0])

static const char *const kinds[] = {"fact", "observation", "allegation", "opinion", NULL};
static const char *const plans[] = {"cp", "cin", "none", NULL};
static const char id_prefixes[] = "CPWGDSABRNE";

static int fail(char *err, size_t errlen, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

/* Writes the one-line reason and returns -1, so checks read `return fail(...)`. */
static int fail(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
  return -1;
}

static const verb_spec *find_verb(const char *name) {
  for (size_t i = 0; i < N_VERBS; i++)
    if (strcmp(verbs[i].name, name) == 0) return &verbs[i];
  return NULL;
}

static int ascii_lower(int c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }

/*
** 1 if WORD is NAME (ASCII lower case) but for case. Every command line comes
** here for each verb and alias, so the first letters are compared before
** strcasecmp is called.
*/
static int same_word(const char *name, const char *word) {
  return name[0] == ascii_lower((unsigned char)word[0]) && strcasecmp(name, word) == 0;
}

/* The spec of the verb WORD names, an alias accepted; NULL if WORD is no verb. */
static const verb_spec *verb_of_word(const char *word) {
  for (size_t i = 0; i < N_VERBS; i++)
    if (same_word(verbs[i].name, word)) return &verbs[i];
  for (size_t i = 0; i < N_ALIASES; i++)
    if (same_word(aliases[i].alias, word)) return find_verb(aliases[i].verb);
  return NULL;
}

const char *command_canonical(const char *word) {
  const verb_spec *v = verb_of_word(word);
  return v != NULL ? v->name : NULL;
}

const char *const *command_verbs(void) {
  static const char *names[N_VERBS + 1];
  if (names[0] == NULL)
    for (size_t i = 0; i < N_VERBS; i++) names[i] = verbs[i].name;
  return names;
}

const char *command_usage(const char *verb) {
  const char *name = command_canonical(verb);
  const verb_spec *spec = name != NULL ? find_verb(name) : NULL;
  return spec != NULL ? spec->usage : NULL;
}

/* ** {====== Checking the raw line ====== */

/*
** Refuses invalid UTF-8, control characters (a tab is allowed) and
** bidirectional controls (utf8_is_bidi_control: an unclosed one would reorder
** the rest of the recorded line wherever it is read) anywhere in the line.
*/
static int check_line(const char *line, size_t len, char *err, size_t errlen) {
  if (len > COMMAND_LINE_MAX)
    return fail(err, errlen, _("command.line_too_long"), COMMAND_LINE_MAX);
  const unsigned char *s = (const unsigned char *)line;
  for (size_t i = 0; i < len;) {
    if (s[i] >= 0x20 && s[i] < 0x7F) {   /* printable ASCII, most of any line: fine as it is */
      i++;
      continue;
    }
    uint32_t cp;
    size_t n = utf8_sequence(s + i, len - i, &cp);
    if (n == 0) return fail(err, errlen, _("command.not_utf8"), i + 1);
    if (utf8_is_control(cp) && cp != '\t')
      return fail(err, errlen, _("command.control_character"), i + 1);
    if (utf8_is_bidi_control(cp))
      return fail(err, errlen, _("command.bidi_control"), (unsigned)cp, i + 1);
    i += n;
  }
  return 0;
}

/* }====== */

/* ** {====== Splitting into verb and fields ====== */

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* Trims blanks from both ends of S in place. */
static char *trim(char *s) {
  while (is_blank(*s)) s++;
  size_t n = strlen(s);
  while (n > 0 && is_blank(s[n - 1])) s[--n] = '\0';
  return s;
}

/*
** Splits REST at unescaped bars into at most MAX fields (trimmed, in place,
** `\|` and `\\` unescaped). Returns the number of fields, or -1 if there are
** more than MAX.
*/
static int split_fields(char *rest, char **fields, int max) {
  if (*trim(rest) == '\0') return 0;
  int n = 0;
  char *out = rest, *start = rest;
  for (char *p = rest;; p++) {
    if (*p == '\\' && (p[1] == '|' || p[1] == '\\')) {
      *out++ = *++p;
    } else if (*p == '|' || *p == '\0') {
      int last = *p == '\0';
      *out = '\0';
      if (n == max) return -1;
      fields[n++] = start;
      if (last) break;
      out = start = p + 1;
    } else {
      *out++ = *p;
    }
  }
  for (int i = 0; i < n; i++) fields[i] = trim(fields[i]);
  return n;
}

/* }====== */

/* ** {====== Field values ====== */

static int one_of(const char *word, const char *const *set) {
  for (size_t i = 0; set[i] != NULL; i++)
    if (strcmp(word, set[i]) == 0) return 1;
  return 0;
}

static void lower_ascii(char *s) {
  for (; *s; s++) *s = (char)tolower((unsigned char)*s);
}

static int check_length(const verb_spec *v, const field_spec *f, const char *value,
                        size_t max, char *err, size_t errlen) {
  if (strlen(value) > max)
    return fail(err, errlen, _("command.too_long"), v->name, f->label, max);
  return 0;
}

/* Normalises an item id ("w3" -> "W3") in place; 0 if it has the shape LETTER DIGITS. */
static int normalise_id(char *id) {
  if (id[0] == '\0' || strchr(id_prefixes, toupper((unsigned char)id[0])) == NULL) return -1;
  if (id[1] < '1' || id[1] > '9' || strlen(id) > 10) return -1;
  for (const char *p = id + 2; *p; p++)
    if (!isdigit((unsigned char)*p)) return -1;
  id[0] = (char)toupper((unsigned char)id[0]);
  return 0;
}

/* Splits a comma list into a JSON array of trimmed strings (ids when WORRIES). */
static json_t *parse_list(const verb_spec *v, const field_spec *f, char *value, int worries,
                          char *err, size_t errlen) {
  json_t *list = json_array();
  if (list == NULL) return fail(err, errlen, "%s", _("host.out_of_memory")), NULL;
  for (char *tok = value, *comma; tok != NULL; tok = comma ? comma + 1 : NULL) {
    comma = strchr(tok, ',');
    if (comma != NULL) *comma = '\0';
    char *item = trim(tok);
    int bad = 0;
    if (item[0] == '\0') bad = fail(err, errlen, _("command.empty_item"), v->name, f->label);
    else if (worries && (normalise_id(item) != 0 || item[0] != 'W'))
      bad = fail(err, errlen, _("command.not_worry_id"), v->name, item);
    else if (strlen(item) > MODEL_NAME_MAX)
      bad = fail(err, errlen, _("command.too_long"), v->name, f->label,
                      (size_t)MODEL_NAME_MAX);
    for (size_t i = 0; !bad && i < json_array_size(list); i++)
      if (strcmp(json_string_value(json_array_get(list, i)), item) == 0)
        bad = fail(err, errlen, _("command.given_twice"), v->name, item);
    if (!bad && json_array_append_new(list, json_stringn_nocheck(item, strlen(item))) != 0)
      bad = fail(err, errlen, "%s", _("host.out_of_memory"));
    if (bad) {
      json_decref(list);
      return NULL;
    }
  }
  return list;
}

/*
** VALUE as a JSON string. check_line has found the whole line UTF-8, and a
** field is a piece of it cut at ASCII bytes, so jansson need not check again.
*/
static json_t *string_value(const char *value, char *err, size_t errlen) {
  json_t *s = json_stringn_nocheck(value, strlen(value));
  if (s == NULL) fail(err, errlen, "%s", _("host.out_of_memory"));
  return s;
}

/* Checks VALUE for field F and returns its JSON value (NULL with ERR set on failure). */
static json_t *field_value(const verb_spec *v, const field_spec *f, char *value,
                           char *err, size_t errlen) {
  calendar_day day;
  switch (f->type) {
  case FIELD_NAME:
  case FIELD_WORD:
    if (check_length(v, f, value, MODEL_NAME_MAX, err, errlen) != 0) return NULL;
    if (f->type == FIELD_WORD && strpbrk(value, " \t") != NULL)
      return fail(err, errlen, _("command.one_word"), v->name, f->label, value),
             NULL;
    break;
  case FIELD_TEXT:
    if (check_length(v, f, value, MODEL_TEXT_MAX, err, errlen) != 0) return NULL;
    break;
  case FIELD_KIND:
    lower_ascii(value);
    if (!one_of(value, kinds))
      return fail(err, errlen, _("command.kind"), v->name, value), NULL;
    break;
  case FIELD_PLAN:
    lower_ascii(value);
    if (!one_of(value, plans))
      return fail(err, errlen, _("command.plan"), v->name, f->label, value), NULL;
    break;
  case FIELD_SCORE: {
    size_t n = strlen(value);
    int ok = n >= 1 && n <= 2 && strspn(value, "0123456789") == n && atoi(value) <= 10;
    if (!ok)
      return fail(err, errlen, _("command.score"), v->name, value), NULL;
    return json_integer(atoi(value));
  }
  case FIELD_DATE:
    if (strlen(value) != 10 || calendar_parse(value, &day) != 0)
      return fail(err, errlen, _("command.date"), v->name, f->label, value), NULL;
    break;
  case FIELD_ID:
    if (normalise_id(value) != 0)
      return fail(err, errlen, _("command.not_item_id"), v->name, value),
             NULL;
    break;
  case FIELD_WORRIES:
  case FIELD_NAMES:
    return parse_list(v, f, value, f->type == FIELD_WORRIES, err, errlen);
  }
  return string_value(value, err, errlen);
}

/* }====== */

/* ** {====== Building the command ====== */

/* Rules that tie two fields together: a CP decision needs categories, others have none. */
static int check_decision(const json_t *payload, char *err, size_t errlen) {
  const char *plan = json_string_value(json_object_get(payload, "plan"));
  int has_categories = json_object_get(payload, "categories") != NULL;
  if (strcmp(plan, "cp") == 0 && !has_categories)
    return fail(err, errlen, "%s", _("command.cp_needs_category"));
  if (strcmp(plan, "cp") != 0 && has_categories)
    return fail(err, errlen, "%s", _("command.only_cp_categories"));
  return 0;
}

/* Fills the payload of a recording command (or of pull) from FIELDS. */
static int build_record(const verb_spec *v, char **fields, int n, command *cmd,
                        char *err, size_t errlen) {
  cmd->payload = json_object();
  if (cmd->payload == NULL) return fail(err, errlen, "%s", _("host.out_of_memory"));
  /* The keys are the table's own ASCII words: jansson need not check them. */
  if (v->fixed_key != NULL &&
      json_object_set_new_nocheck(cmd->payload, v->fixed_key, json_string_nocheck(v->fixed_value)) != 0)
    return fail(err, errlen, "%s", _("host.out_of_memory"));
  for (int i = 0; i < n; i++) {
    json_t *value = field_value(v, &v->fields[i], fields[i], err, errlen);
    if (value == NULL) return -1;
    if (json_object_set_new_nocheck(cmd->payload, v->fields[i].key, value) != 0)
      return fail(err, errlen, "%s", _("host.out_of_memory"));
  }
  cmd->kind = v->kind;
  return strcmp(v->name, "decide") == 0 ? check_decision(cmd->payload, err, errlen) : 0;
}

/* Fills a command without an event: its one optional argument. */
static int build_control(const verb_spec *v, char **fields, int n, command *cmd,
                         char *err, size_t errlen) {
  if (n == 0) return 0;
  json_t *checked = field_value(v, &v->fields[0], fields[0], err, errlen);
  if (checked == NULL) return -1;
  json_decref(checked);
  cmd->arg = strdup(fields[0]);
  return cmd->arg == NULL ? fail(err, errlen, "%s", _("host.out_of_memory")) : 0;
}

/* Counts the verb's declared fields. */
static int field_count(const verb_spec *v) {
  int n = 0;
  while (n < MAX_FIELDS && v->fields[n].label != NULL) n++;
  return n;
}

static int build(const verb_spec *v, int force, char *rest, command *cmd,
                 char *err, size_t errlen) {
  char *fields[MAX_FIELDS];
  int max = field_count(v);
  int n = v->type == COMMAND_EVAL ? (*trim(rest) ? (fields[0] = trim(rest), 1) : 0)
                                  : split_fields(rest, fields, max);
  if (n < 0 || (max == 0 && n > 0))
    return fail(err, errlen, _("command.too_many_fields"), v->name, v->usage);
  if (n < v->required)
    return fail(err, errlen, _("command.field_missing"), v->name, v->fields[n].label, v->usage);
  for (int i = 0; i < n; i++)
    if (fields[i][0] == '\0')
      return fail(err, errlen, _("command.field_empty"), v->name, v->fields[i].label, v->usage);
  cmd->type = v->type;
  cmd->verb = v->name;
  cmd->force = force;
  return v->type == COMMAND_RECORD || v->type == COMMAND_PULL
             ? build_record(v, fields, n, cmd, err, errlen)
             : build_control(v, fields, n, cmd, err, errlen);
}

int command_parse(const char *line, size_t len, command *cmd, char *err, size_t errlen) {
  memset(cmd, 0, sizeof *cmd);
  if (check_line(line, len, err, errlen) != 0) return -1;
  char line_buf[LINE_BUF];   /* most lines: a heap copy only for the long ones */
  char *copy = len < sizeof line_buf ? line_buf : malloc(len + 1);
  if (copy == NULL) return fail(err, errlen, "%s", _("host.out_of_memory"));
  memcpy(copy, line, len);
  copy[len] = '\0';
  char *text = trim(copy);
  int status = 0;
  if (text[0] == '\0' || text[0] == '#') {
    cmd->type = COMMAND_EMPTY;
  } else {
    /* "=" needs no space after it; every other verb ends at a blank or a bar. */
    size_t wordlen = text[0] == '=' ? 1 : strcspn(text, " \t|");
    char *rest = text + wordlen;
    char saved = *rest;
    *rest = '\0';
    int force = wordlen > 1 && text[wordlen - 1] == '!';
    if (force) text[wordlen - 1] = '\0';
    const verb_spec *v = verb_of_word(text);
    if (v == NULL) status = fail(err, errlen, _("command.unknown"), text);
    else if (force && !v->may_force)
      status = fail(err, errlen, _("command.no_force"), v->name);
    else {
      *rest = saved;
      status = build(v, force, rest, cmd, err, errlen);
    }
  }
  if (copy != line_buf) free(copy);
  if (status != 0) command_free(cmd);
  return status;
}

void command_free(command *cmd) {
  json_decref(cmd->payload);
  free(cmd->arg);
  memset(cmd, 0, sizeof *cmd);
}

/* }====== */
