/*
** cmd_report.c — agency reports to a conference: `confer report form|add|
** shared|status|check`.
**
** Before a conference every invited agency writes a report on the
** authority's form (the plugin's report_forms) and it must reach the family
** in time (no surprises). `form` prints the blank form with each heading's
** guidance; `add` imports a report written in Markdown (parsed with cmark:
** the form's headings become the sections, each paragraph or list item one
** text) and records a report.received event; `shared` records when it was
** shared with the family; `status` compares both dates with the deadline the
** plugin sets (timescales.reports) counted in England and Wales working
** days; `check` runs the report checks of scripts/checks/report_*.lua.
** Words come from locales/en_GB/reports.po.
*/
#include <cmark.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agenda.h"
#include "calendar.h"
#include "cli.h"
#include "i18n.h"
#include "store.h"
#include "utf8.h"

#define REPORT_FILE_MAX (1024 * 1024)   /* a report is a few pages, never a megabyte */
#define FORM_HEADINGS_MAX 32
#define DEFAULT_DEADLINE "24 hours before"   /* when the authority sets none: before the day */

/* ------------------------------------------------------------ options */

typedef struct report_options {
  const char *db, *authority, *type, *format, *agency, *date, *today;
} report_options;

enum { OPT_DB = 1, OPT_AUTHORITY, OPT_TYPE, OPT_FORMAT, OPT_AGENCY, OPT_DATE, OPT_TODAY };

/* Parses ARGV after the action, accepting only the options in ALLOWED; 0 or the usage status. */
static int parse_options(int argc, char **argv, const char *allowed, report_options *opt) {
  static const struct option options[] = {
    {"db", required_argument, NULL, OPT_DB},         {"authority", required_argument, NULL, OPT_AUTHORITY},
    {"type", required_argument, NULL, OPT_TYPE},     {"format", required_argument, NULL, OPT_FORMAT},
    {"agency", required_argument, NULL, OPT_AGENCY}, {"date", required_argument, NULL, OPT_DATE},
    {"today", required_argument, NULL, OPT_TODAY},   {NULL, 0, NULL, 0}};
  memset(opt, 0, sizeof *opt);
  optind = 1;
  opterr = 0;
  int code;
  while ((code = getopt_long(argc, argv, ":", options, NULL)) != -1) {
    if (code == ':') return cli_usage_error("report", _("reports.option_needs_value"), argv[optind - 1]);
    if (code == '?' || strchr(allowed, code) == NULL)
      return cli_usage_error("report", _("cli.unknown_option"), cli_refused_word(argc, argv));
    const char **slot[] = {NULL, &opt->db, &opt->authority, &opt->type, &opt->format,
                           &opt->agency, &opt->date, &opt->today};
    *slot[code] = optarg;
  }
  return 0;
}

/* Exactly WANT operands after the options, else a usage error. */
static int want_operands(int argc, char **argv, int want) {
  if (argc - optind < want) return cli_usage_error("report", "%s", _("reports.operand_missing"));
  if (argc - optind > want)
    return cli_usage_error("report", _("reports.unexpected_argument"), argv[optind + want]);
  return 0;
}

/* A date option: *DAY from TEXT, or today (local time) when TEXT is NULL. */
static int date_or_today(const char *option, const char *text, calendar_day *day) {
  if (text != NULL) {
    if (calendar_parse(text, day) == 0) return 0;
    return cli_usage_error("report", _("reports.bad_date"), option, text);
  }
  time_t now = time(NULL);
  struct tm tm;
  char buf[16];
  if (localtime_r(&now, &tm) == NULL || strftime(buf, sizeof buf, "%Y-%m-%d", &tm) == 0 ||
      calendar_parse(buf, day) != 0)
    return cli_fail("%s", _("reports.no_clock"));
  return 0;
}

/* ------------------------------------------------------------ the form */

typedef struct form_heading {
  const char *id, *title;            /* id from the plugin; title from the catalogue */
  const char *guidance[16];
  size_t n_guidance;
} form_heading;

typedef struct report_form {
  agenda *ag;                        /* owns the strings below (kept in its Lua state) */
  const char *authority, *type, *title, *template_url;
  form_heading headings[FORM_HEADINGS_MAX];
  size_t n_headings;
} report_form;

/*
** Pushes field KEY of the table at INDEX, read raw: the plugin's tables are
** read as data, and a metamethod would run plugin code here, outside any
** protected call, where its error would abort the process. Returns its type.
*/
static int raw_field(lua_State *L, int index, const char *key) {
  index = lua_absindex(L, index);
  lua_pushstring(L, key);
  return lua_rawget(L, index);
}

/* A string field KEY of the table at the top of L, or NULL. */
static const char *string_field(lua_State *L, const char *key) {
  raw_field(L, -1, key);
  const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
  lua_pop(L, 1);   /* the string stays alive: the agenda table holds it */
  return s;
}

/* Reads heading I of the form table at the top of L into H. */
static void read_heading(lua_State *L, lua_Integer i, form_heading *h) {
  lua_rawgeti(L, -1, i);
  h->id = string_field(L, "id");
  const char *title = string_field(L, "title");
  h->title = title ? _(title) : h->id;
  h->n_guidance = 0;
  raw_field(L, -1, "guidance");
  for (lua_Integer g = 1; lua_istable(L, -1) && h->n_guidance < 16; g++) {
    if (lua_rawgeti(L, -1, g) != LUA_TSTRING) {
      lua_pop(L, 1);
      break;
    }
    h->guidance[h->n_guidance++] = _(lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  lua_pop(L, 2);
}

/*
** Loads AUTHORITY's plugin and its TYPE form into F. The agenda stays
** loaded (it owns the strings); free with form_free. Prints the failure.
*/
static int form_load(const char *authority, const char *type, report_form *f) {
  char err[1024];
  memset(f, 0, sizeof *f);
  f->ag = agenda_load(authority, err, sizeof err);
  if (f->ag == NULL) return cli_fail("%s", err);
  f->authority = agenda_id(f->ag);
  f->type = type;
  lua_State *L = sandbox_state(agenda_sandbox(f->ag));
  agenda_push(f->ag);
  raw_field(L, -1, "report_forms");
  if (!lua_istable(L, -1) || raw_field(L, -1, type) != LUA_TTABLE) {
    lua_settop(L, 0);
    return cli_fail(_("reports.no_form"), agenda_name(f->ag), type);
  }
  const char *title = string_field(L, "title");
  f->title = title ? _(title) : agenda_name(f->ag);
  f->template_url = string_field(L, "template");
  lua_Integer n = (lua_Integer)lua_rawlen(L, -1);   /* no __len: nothing may raise here */
  for (lua_Integer i = 1; i <= n && f->n_headings < FORM_HEADINGS_MAX; i++)
    read_heading(L, i, &f->headings[f->n_headings++]);
  lua_settop(L, 0);
  return 0;
}

static void form_free(report_form *f) {
  agenda_free(f->ag);
  f->ag = NULL;
}

/* The heading of F with id ID, or NULL. */
static const form_heading *form_heading_by_id(const report_form *f, const char *id) {
  for (size_t i = 0; i < f->n_headings; i++)
    if (strcmp(f->headings[i].id, id) == 0) return &f->headings[i];
  return NULL;
}

/* Writes S with &, <, > and " escaped for HTML. */
static void put_html(const char *s, FILE *out) {
  for (; *s; s++) {
    switch (*s) {
    case '&': fputs("&amp;", out); break;
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '"': fputs("&quot;", out); break;
    default: fputc(*s, out);
    }
  }
}

/*
** The blank form as Markdown. Guidance goes in HTML comments so an agency
** can write under each heading and leave it: the import skips comments.
*/
static void form_markdown(const report_form *f, FILE *out) {
  fprintf(out, "# %s\n", f->title);
  if (f->template_url) fprintf(out, "\n<!-- %s %s -->\n", _("reports.form.template"), f->template_url);
  for (size_t i = 0; i < f->n_headings; i++) {
    const form_heading *h = &f->headings[i];
    fprintf(out, "\n## %s\n\n", h->title);
    for (size_t g = 0; g < h->n_guidance; g++) fprintf(out, "<!-- %s -->\n", h->guidance[g]);
  }
}

static void form_html(const report_form *f, FILE *out) {
  fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head><meta charset=\"utf-8\"><title>",
          strcmp(i18n_language(), "en_GB") == 0 ? "en-GB" : i18n_language());
  put_html(f->title, out);
  fputs("</title></head>\n<body>\n<h1>", out);
  put_html(f->title, out);
  fputs("</h1>\n", out);
  if (f->template_url) {
    fputs("<p><a href=\"", out);
    put_html(f->template_url, out);
    fputs("\">", out);
    put_html(_("reports.form.template"), out);
    fputs("</a></p>\n", out);
  }
  for (size_t i = 0; i < f->n_headings; i++) {
    const form_heading *h = &f->headings[i];
    fputs("<h2>", out);
    put_html(h->title, out);
    fputs("</h2>\n", out);
    for (size_t g = 0; g < h->n_guidance; g++) {
      fputs("<p class=\"guidance\">", out);
      put_html(h->guidance[g], out);
      fputs("</p>\n", out);
    }
    fputs("<div class=\"answer\"></div>\n", out);
  }
  fputs("</body>\n</html>\n", out);
}

static int report_form_command(int argc, char **argv) {
  static const char allowed[] = {OPT_AUTHORITY, OPT_TYPE, OPT_FORMAT, 0};
  report_options opt;
  int status = parse_options(argc, argv, allowed, &opt);
  if (status == 0) status = want_operands(argc, argv, 0);
  if (status != 0) return status;
  if (opt.authority == NULL) return cli_usage_error("report", "%s", _("reports.authority_needed"));
  const char *type = opt.type ? opt.type : "initial", *format = opt.format ? opt.format : "md";
  if (strcmp(format, "md") != 0 && strcmp(format, "html") != 0)
    return cli_usage_error("report", _("reports.bad_format"), format);
  report_form f;
  if (form_load(opt.authority, type, &f) != 0) {
    form_free(&f);
    return 1;
  }
  if (strcmp(format, "md") == 0) form_markdown(&f, stdout);
  else form_html(&f, stdout);
  form_free(&f);
  return 0;
}

/* ------------------------------------------------------------ Markdown import */

/* Appends S to the growing text BUF (capacity CAP), turning line ends into spaces. */
static int text_append(char **buf, size_t *len, size_t *cap, const char *s) {
  size_t n = strlen(s);
  if (*len + n + 1 > *cap) {
    size_t want = (*len + n + 1) * 2;
    char *grown = realloc(*buf, want);
    if (grown == NULL) return -1;
    *buf = grown;
    *cap = want;
  }
  for (size_t i = 0; i < n; i++) (*buf)[(*len)++] = (s[i] == '\n' || s[i] == '\r') ? ' ' : s[i];
  (*buf)[*len] = '\0';
  return 0;
}

/* The plain text of NODE and everything under it, spaces collapsed; NULL when out of memory. */
static char *plain_text(cmark_node *node) {
  size_t len = 0, cap = 64;
  char *buf = malloc(cap);
  if (buf == NULL) return NULL;
  buf[0] = '\0';
  cmark_iter *it = cmark_iter_new(node);
  if (it == NULL) {
    free(buf);
    return NULL;
  }
  cmark_event_type ev;
  int rc = 0;
  while (rc == 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *cur = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(cur);
    /* Inline HTML too: "<he would leave>" in a sentence is the agency's words, not markup. */
    if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE ||
                                    t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_HTML_INLINE))
      rc = text_append(&buf, &len, &cap, cmark_node_get_literal(cur));
    else if ((ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)) ||
             (ev == CMARK_EVENT_EXIT && t == CMARK_NODE_PARAGRAPH))
      rc = text_append(&buf, &len, &cap, " ");
  }
  cmark_iter_free(it);
  if (rc != 0) {
    free(buf);
    return NULL;
  }
  /* Collapse runs of spaces and trim: the model wants one clean line. */
  size_t w = 0;
  for (size_t r = 0; buf[r]; r++)
    if (buf[r] != ' ' || (w > 0 && buf[w - 1] != ' ')) buf[w++] = buf[r];
  while (w > 0 && buf[w - 1] == ' ') w--;
  buf[w] = '\0';
  return buf;
}

/*
** A heading's words for comparison: lower case ASCII, typographic
** apostrophes as ', spaces collapsed, trailing ?:. and spaces dropped.
*/
static void heading_key(const char *s, char *out, size_t len) {
  size_t w = 0;
  for (; *s && w + 1 < len; s++) {
    if (strncmp(s, "\xE2\x80\x99", 3) == 0) {   /* ’ */
      out[w++] = '\'';
      s += 2;
    } else if (*s == ' ' || *s == '\t') {
      if (w > 0 && out[w - 1] != ' ') out[w++] = ' ';
    } else {
      out[w++] = (*s >= 'A' && *s <= 'Z') ? (char)(*s - 'A' + 'a') : *s;
    }
  }
  while (w > 0 && strchr(" ?:.", out[w - 1])) w--;
  out[w] = '\0';
}

/*
** The form heading whose title TEXT names: the whole title, or its part
** before a colon ("What we are worried about: past harm, ..."). NULL if none.
*/
static const form_heading *match_heading(const report_form *f, const char *text) {
  char want[512], title[512];
  heading_key(text, want, sizeof want);
  for (size_t i = 0; i < f->n_headings; i++) {
    heading_key(f->headings[i].title, title, sizeof title);
    if (strcmp(want, title) == 0) return &f->headings[i];
    char *colon = strchr(title, ':');
    if (colon) {
      *colon = '\0';
      heading_key(title, title, sizeof title);
      if (strcmp(want, title) == 0) return &f->headings[i];
    }
  }
  return NULL;
}

/* What an import has found so far. */
typedef struct import_state {
  const report_form *form;
  const char *file;
  json_t *sections;            /* heading id -> array of texts */
  json_t *current;             /* the array of the heading being read, or NULL */
  int seen_title, problems;
  int skipping;                /* under an unknown or repeated heading */
  int text_before;             /* text before the first heading was reported */
  int lines[FORM_HEADINGS_MAX]; /* line of each form heading met, 0 if none */
} import_state;

/*
** Prints one import problem "confer: FILE:LINE: message" ("FILE: message"
** when LINE is 0) through cli_fail, which shows the file name's control
** characters as '?': it is a word of the command line. Counts it.
*/
static void import_problem(import_state *s, int line, const char *fmt, const char *arg) {
  char message[MODEL_TEXT_MAX + 256];   /* an unknown heading's whole text fits */
  snprintf(message, sizeof message, fmt, arg);
  if (line > 0) cli_fail("%s:%d: %s", s->file, line, message);
  else cli_fail("%s: %s", s->file, message);
  s->problems++;
}

/*
** 1 if TEXT, met at LINE, is one the record can hold; else reports why and
** returns 0. Checked here so that the error names the line, and so that no
** escape sequence in a heading reaches the terminal in an error message.
*/
static int text_fits(import_state *s, int line, const char *text) {
  size_t len = strlen(text);
  if (!model_text_clean(text, len, 1)) {
    import_problem(s, line, "%s", _("reports.add.control_character"));
    return 0;
  }
  uint32_t bidi = model_text_bidi_control(text, len);
  if (bidi != 0) {
    char code_point[16];
    snprintf(code_point, sizeof code_point, "U+%04X", (unsigned)bidi);
    import_problem(s, line, _("reports.add.bidi_control"), code_point);
    return 0;
  }
  if (len > MODEL_TEXT_MAX) {
    char why[256];
    snprintf(why, sizeof why, _("reports.add.text_too_long"), len, MODEL_TEXT_MAX);
    import_problem(s, line, "%s", why);
    return 0;
  }
  return 1;
}

/* A heading of level 1 or 2: the title, a form heading, or an unknown one. */
static int import_heading(import_state *s, cmark_node *node, int line) {
  char *text = plain_text(node);
  if (text == NULL) return -1;
  if (!text_fits(s, line, text)) {   /* reported, never echoed: its text is skipped with it */
    s->current = NULL;
    s->skipping = s->seen_title = 1;
    free(text);
    return 0;
  }
  const form_heading *h = match_heading(s->form, text);
  if (h == NULL && cmark_node_get_heading_level(node) == 1 && !s->seen_title && s->current == NULL) {
    s->seen_title = 1;   /* the report's own title: not a section */
  } else if (h == NULL) {
    import_problem(s, line, _("reports.add.unknown_heading"), text);
    s->current = NULL;
    s->skipping = 1;
  } else {
    size_t index = (size_t)(h - s->form->headings);
    if (s->lines[index]) {
      import_problem(s, line, _("reports.add.repeated_heading"), h->title);
      s->current = NULL;
      s->skipping = 1;
    } else {
      s->skipping = 0;
      s->lines[index] = line;
      s->current = json_array();
      if (s->current == NULL || json_object_set_new(s->sections, h->id, s->current) != 0) {
        free(text);
        return -1;
      }
    }
  }
  s->seen_title = 1;
  free(text);
  return 0;
}

/* Adds the plain text of NODE (when not blank, and one the record can hold) to the current heading. */
static int import_text(import_state *s, cmark_node *node) {
  char *text = plain_text(node);
  if (text == NULL) return -1;
  int rc = 0;
  if (text[0] != '\0' && text_fits(s, cmark_node_get_start_line(node), text))
    rc = json_array_append_new(s->current, json_string(text));
  free(text);
  return rc;
}

/* 1 if the HTML block HTML is only <!-- comments --> (the form's guidance), 0 if it holds more, -1 if a comment is never closed. */
static int comments_only(const char *html) {
  if (html == NULL) return 1;
  for (;;) {
    html += strspn(html, " \t\r\n");
    if (*html == '\0') return 1;
    if (strncmp(html, "<!--", 4) != 0) return 0;
    const char *end = strstr(html + 4, "-->");
    if (end == NULL) return -1;
    html = end + 3;
  }
}

/*
** Reports each HTML block in NODE or under it (a list item's too) that is more
** than the form's <!-- guidance -->: plain_text would drop it unread. -1 when
** out of memory.
*/
static int refuse_html(import_state *s, cmark_node *node) {
  cmark_iter *it = cmark_iter_new(node);
  if (it == NULL) return -1;
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *cur = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(cur) != CMARK_NODE_HTML_BLOCK) continue;
    int only = comments_only(cmark_node_get_literal(cur));
    if (only != 1)
      import_problem(s, cmark_node_get_start_line(cur), "%s",
                     only == 0 ? _("reports.add.html") : _("reports.add.unclosed_comment"));
  }
  cmark_iter_free(it);
  return 0;
}

/* One top-level block of the document. */
static int import_block(import_state *s, cmark_node *node) {
  cmark_node_type t = cmark_node_get_type(node);
  int line = cmark_node_get_start_line(node);
  if (refuse_html(s, node) != 0) return -1;
  if (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_THEMATIC_BREAK) return 0;
  if (t == CMARK_NODE_HEADING && cmark_node_get_heading_level(node) <= 2) return import_heading(s, node, line);
  if (s->current == NULL) {
    /* Text under an unknown heading was reported with the heading; text before any heading once. */
    if (!s->skipping && !s->text_before) import_problem(s, line, "%s", _("reports.add.text_before_heading"));
    s->text_before = 1;
    return 0;
  }
  if (t == CMARK_NODE_LIST || t == CMARK_NODE_BLOCK_QUOTE) {
    for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c))
      if (import_text(s, c) != 0) return -1;
    return 0;
  }
  return import_text(s, node);
}

/* Reads FILE whole into a NUL-terminated buffer; prints the failure. */
static char *read_report_file(const char *file, size_t *len) {
  FILE *in = fopen(file, "rb");
  if (in == NULL) {
    cli_fail(_("reports.add.cannot_read"), file, strerror(errno));
    return NULL;
  }
  char *buf = malloc(REPORT_FILE_MAX + 1);
  if (buf == NULL) {
    fclose(in);
    cli_fail("%s", _("reports.out_of_memory"));
    return NULL;
  }
  errno = 0;
  *len = fread(buf, 1, REPORT_FILE_MAX + 1, in);
  /* read(2)'s reason: a directory opens but cannot be read (EISDIR). */
  int failed = ferror(in) ? (errno != 0 ? errno : EIO) : 0;
  fclose(in);
  if (failed || *len > REPORT_FILE_MAX) {
    if (failed) cli_fail(_("reports.add.cannot_read"), file, strerror(failed));
    else cli_fail(_("reports.add.too_big"), file, REPORT_FILE_MAX / 1024);
    free(buf);
    return NULL;
  }
  buf[*len] = '\0';
  return buf;
}

/* 1 if BUF (LEN bytes) is UTF-8 without NUL bytes. */
static int is_utf8_text(const char *buf, size_t len) {
  const unsigned char *p = (const unsigned char *)buf, *end = p + len;
  uint32_t cp;
  while (p < end) {
    size_t n = *p == '\0' ? 0 : utf8_sequence(p, (size_t)(end - p), &cp);
    if (n == 0) return 0;
    p += n;
  }
  return 1;
}

/*
** Parses the Markdown in FILE against form F into *SECTIONS (heading id ->
** texts). Prints one line per problem (unknown, repeated, missing or empty
** headings, text before the first heading) and returns -1 if there were any.
*/
static int import_markdown(const report_form *f, const char *file, json_t **sections) {
  size_t len;
  char *buf = read_report_file(file, &len);
  if (buf == NULL) return -1;
  if (!is_utf8_text(buf, len)) {
    free(buf);
    return cli_fail(_("reports.add.not_utf8"), file), -1;
  }
  cmark_node *doc = cmark_parse_document(buf, len, CMARK_OPT_DEFAULT);
  free(buf);
  import_state s = {.form = f, .file = file, .sections = json_object()};
  int rc = doc && s.sections ? 0 : -1;
  for (cmark_node *n = doc ? cmark_node_first_child(doc) : NULL; rc == 0 && n; n = cmark_node_next(n))
    rc = import_block(&s, n);
  cmark_node_free(doc);
  if (rc != 0) {
    json_decref(s.sections);
    return cli_fail("%s", _("reports.out_of_memory")), -1;
  }
  for (size_t i = 0; i < f->n_headings; i++) {
    const form_heading *h = &f->headings[i];
    if (s.lines[i] == 0) {
      import_problem(&s, 0, _("reports.add.missing_heading"), h->title);
    } else if (json_array_size(json_object_get(s.sections, h->id)) == 0) {
      import_problem(&s, s.lines[i], _("reports.add.empty_heading"), h->title);
    }
  }
  if (s.problems) {
    json_decref(s.sections);
    return -1;
  }
  *sections = s.sections;
  return 0;
}

/* ------------------------------------------------------------ the record */

/* Opens the store and loads conference ID; prints the failure. */
static int open_conference(const char *db, const char *id, store **st, model_conference **conf) {
  char err[1024];
  *conf = NULL;
  if ((*st = cli_open_store(db)) == NULL) return 1;
  if (store_load(*st, id, conf, err, sizeof err) != 0) {
    store_close(*st);
    *st = NULL;
    return cli_fail("%s", err);
  }
  return 0;
}

/* Pushes the report of EV as a Lua table {agency, received, sections = {{id, title, texts}}}. */
static void push_report(lua_State *L, const report_form *f, const model_event *ev) {
  lua_createtable(L, 0, 4);
  lua_pushstring(L, json_string_value(json_object_get(ev->payload, "agency")));
  lua_setfield(L, -2, "agency");
  lua_pushstring(L, json_string_value(json_object_get(ev->payload, "received")));
  lua_setfield(L, -2, "received");
  lua_newtable(L);
  const char *id;
  json_t *texts;
  lua_Integer n = 0;
  json_object_foreach(json_object_get(ev->payload, "sections"), id, texts) {
    const form_heading *h = form_heading_by_id(f, id);
    lua_createtable(L, 0, 3);
    lua_pushstring(L, id);
    lua_setfield(L, -2, "id");
    lua_pushstring(L, h ? h->title : id);
    lua_setfield(L, -2, "title");
    lua_createtable(L, (int)json_array_size(texts), 0);
    for (size_t i = 0; i < json_array_size(texts); i++) {
      lua_pushstring(L, json_string_value(json_array_get(texts, i)));
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "texts");
    lua_rawseti(L, -2, ++n);
  }
  lua_setfield(L, -2, "sections");
}

/*
** Runs the report checks (scripts/checks/report_checks.lua) on the report of
** EV and prints each finding. Returns the number of findings, or -1.
*/
static int run_checks(const report_form *f, const model_event *ev, FILE *out) {
  static const char chunk[] = "return require 'checks.report_checks'";
  char err[1024];
  sandbox *sb = agenda_sandbox(f->ag);
  lua_State *L = sandbox_state(sb);
  if (sandbox_loadstring(sb, chunk, sizeof chunk - 1, "=report checks", err, sizeof err) != 0 ||
      sandbox_pcall(sb, 0, 1, err, sizeof err) != 0)
    return cli_fail("%s", err), -1;
  lua_getfield(L, -1, "run");
  agenda_push(f->ag);
  push_report(L, f, ev);
  if (sandbox_pcall(sb, 2, 1, err, sizeof err) != 0) {
    lua_settop(L, 0);
    return cli_fail("%s", err), -1;
  }
  int findings = 0;
  lua_Integer n = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0;
  for (lua_Integer i = 1; i <= n; i++) {
    if (lua_rawgeti(L, -1, i) == LUA_TSTRING) {
      fprintf(out, "%s\n", lua_tostring(L, -1));
      findings++;
    }
    lua_pop(L, 1);
  }
  lua_settop(L, 0);
  return findings;
}

static int report_add_command(int argc, char **argv) {
  static const char allowed[] = {OPT_DB, OPT_AGENCY, OPT_DATE, 0};
  report_options opt;
  int status = parse_options(argc, argv, allowed, &opt);
  if (status == 0) status = want_operands(argc, argv, 2);
  if (status == 0 && opt.agency == NULL) status = cli_usage_error("report", "%s", _("reports.agency_needed"));
  calendar_day received;
  if (status == 0) status = date_or_today("--date", opt.date, &received);
  if (status != 0) return status;
  const char *id = argv[optind], *file = argv[optind + 1];
  store *st;
  model_conference *conf;
  if (open_conference(opt.db, id, &st, &conf) != 0) return 1;
  report_form f;
  json_t *sections = NULL;
  status = form_load(conf->authority, conf->type, &f);
  if (status == 0 && import_markdown(&f, file, &sections) != 0) status = 1;
  if (status == 0) {
    char date[16], err[1024];
    calendar_format(received, date);
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    json_t *payload = json_pack("{s:s, s:s, s:O, s:s}", "agency", opt.agency, "received", date,
                                "sections", sections, "file", base);
    if (payload == NULL) status = cli_fail("%s", _("reports.out_of_memory"));
    else if (store_append(st, conf, "report.received", payload, cli_actor(NULL), NULL, 0, err, sizeof err) != 0)
      status = cli_fail("%s", err);
    json_decref(payload);
    if (status == 0) {
      size_t n = json_object_size(sections);
      printf(i18n_plural("reports.add.recorded", n), opt.agency, date, n);
      putchar('\n');
      run_checks(&f, &conf->events[conf->n_events - 1], stdout);
    }
  }
  json_decref(sections);
  form_free(&f);
  model_free(conf);
  store_close(st);
  return status;
}

static int report_shared_command(int argc, char **argv) {
  static const char allowed[] = {OPT_DB, OPT_AGENCY, OPT_DATE, 0};
  report_options opt;
  int status = parse_options(argc, argv, allowed, &opt);
  if (status == 0) status = want_operands(argc, argv, 1);
  if (status == 0 && opt.agency == NULL) status = cli_usage_error("report", "%s", _("reports.agency_needed"));
  if (status == 0 && opt.date == NULL) status = cli_usage_error("report", "%s", _("reports.date_needed"));
  calendar_day day;
  if (status == 0) status = date_or_today("--date", opt.date, &day);
  if (status != 0) return status;
  store *st;
  model_conference *conf;
  if (open_conference(opt.db, argv[optind], &st, &conf) != 0) return 1;
  char date[16], err[1024];
  calendar_format(day, date);
  json_t *payload = json_pack("{s:s, s:s}", "agency", opt.agency, "date", date);
  if (payload == NULL) status = cli_fail("%s", _("reports.out_of_memory"));
  else if (store_append(st, conf, "report.shared", payload, cli_actor(NULL), NULL, 0, err, sizeof err) != 0)
    status = cli_fail("%s", err);
  else {
    printf(_("reports.shared.recorded"), opt.agency, date);
    putchar('\n');
  }
  json_decref(payload);
  model_free(conf);
  store_close(st);
  return status;
}

/* ------------------------------------------------------------ status */

/*
** The deadline phrase of the conference's type in AG's timescales.reports, or the default, as a
** new string (the caller frees it); NULL when out of memory. Copied whole: the contract lets its
** words be spaced at any length, and a phrase cut short would be another phrase or none.
*/
static char *deadline_phrase(agenda *ag, const char *type) {
  lua_State *L = sandbox_state(agenda_sandbox(ag));
  agenda_push(ag);
  const char *phrase = DEFAULT_DEADLINE;
  if (raw_field(L, -1, "timescales") == LUA_TTABLE && raw_field(L, -1, "reports") == LUA_TTABLE &&
      raw_field(L, -1, type) == LUA_TSTRING)
    phrase = lua_tostring(L, -1);
  char *copy = strdup(phrase);
  lua_settop(L, 0);
  return copy;
}

/* Working days after FROM up to and including TO (0 when TO is not after FROM). */
static int working_days_between(calendar_day from, calendar_day to) {
  int n = 0;
  for (calendar_day d = from + 1; d <= to; d++) n += calendar_is_working_day(d);
  return n;
}

/* Adds AGENCY to LIST (N of them) unless there already. */
static void add_agency(const char **list, size_t *n, const char *agency) {
  for (size_t i = 0; i < *n; i++)
    if (strcmp(list[i], agency) == 0) return;
  list[(*n)++] = agency;
}

/*
** The invited agencies: professionals' agencies in the order met, then any other that sent a
** report. Returns a new array of *N (the caller frees it), or NULL when out of memory.
*/
static const char **invited_agencies(const model_conference *c, size_t *n) {
  /* Each item and event adds at most one agency, so this many always suffice. */
  const char **list = malloc((c->n_items + c->n_events + 1) * sizeof *list);
  *n = 0;
  if (list == NULL) return NULL;
  for (size_t i = 0; i < c->n_items; i++) {
    const model_item *it = &c->items[i];
    if (it->type == MODEL_PERSON && !it->withdrawn && it->agency &&
        strcmp(it->agency, "family") != 0 && strcmp(it->agency, "network") != 0)
      add_agency(list, n, it->agency);
  }
  for (size_t i = 0; i < c->n_events; i++)
    if (strcmp(c->events[i].kind, "report.received") == 0 && !model_event_undone(c, c->events[i].seq))
      add_agency(list, n, json_string_value(json_object_get(c->events[i].payload, "agency")));
  return list;
}

/* One agency's line of `report status`. */
static void status_line(const model_conference *c, const char *agency, calendar_day deadline,
                        calendar_day today) {
  const model_event *rec = model_agency_event(c, "report.received", agency);
  const model_event *shared = rec ? model_agency_event(c, "report.shared", agency) : NULL;
  const char *received_on = rec ? json_string_value(json_object_get(rec->payload, "received")) : NULL;
  const char *shared_on = shared ? json_string_value(json_object_get(shared->payload, "date")) : NULL;
  calendar_day day;
  printf("%s\t%s\t%s\t", agency, received_on ? received_on : _("reports.status.missing"),
         shared_on ? shared_on : _("reports.status.not_shared"));
  if (shared_on && calendar_parse(shared_on, &day) != 0) {
    /* The model admits any real date; the calendar knows 1900 to 2200 only. */
    printf("%s\n", _("reports.status.date_unknown"));
  } else if (shared_on) {
    printf("%s\n", day <= deadline ? _("reports.status.in_time") : _("reports.status.late"));
  } else if (today > deadline) {
    printf("%s\n", _("reports.status.late"));
  } else if (today == deadline) {
    printf("%s\n", _("reports.status.due_today"));
  } else {
    int left = working_days_between(today, deadline);
    printf(i18n_plural("reports.status.days_left", (unsigned long)left), left);
    putchar('\n');
  }
}

static int report_status_command(int argc, char **argv) {
  static const char allowed[] = {OPT_DB, OPT_TODAY, 0};
  report_options opt;
  int status = parse_options(argc, argv, allowed, &opt);
  if (status == 0) status = want_operands(argc, argv, 1);
  calendar_day today, meeting, deadline;
  if (status == 0) status = date_or_today("--today", opt.today, &today);
  if (status != 0) return status;
  store *st;
  model_conference *conf;
  if (open_conference(opt.db, argv[optind], &st, &conf) != 0) return 1;
  char err[1024], date[16], *phrase = NULL;
  agenda *ag = agenda_load(conf->authority, err, sizeof err);
  if (ag == NULL) status = cli_fail("%s", err);
  else if ((phrase = deadline_phrase(ag, conf->type)) == NULL)
    status = cli_fail("%s", _("reports.out_of_memory"));
  else if (calendar_parse(conf->date, &meeting) != 0 ||
           calendar_deadline(meeting, phrase, &deadline, err, sizeof err) != 0)
    status = cli_fail("%s: %s", agenda_file(ag), err);
  if (status == 0) {
    calendar_format(deadline, date);
    printf(_("reports.status.deadline"), date, phrase, conf->type, conf->date);
    putchar('\n');
    size_t n;
    const char **agencies = invited_agencies(conf, &n);
    if (agencies == NULL) status = cli_fail("%s", _("reports.out_of_memory"));
    else if (n == 0) printf("%s\n", _("reports.status.no_agencies"));
    for (size_t i = 0; i < n; i++) status_line(conf, agencies[i], deadline, today);
    free(agencies);
  }
  free(phrase);
  agenda_free(ag);
  model_free(conf);
  store_close(st);
  return status;
}

static int report_check_command(int argc, char **argv) {
  static const char allowed[] = {OPT_DB, OPT_AGENCY, 0};
  report_options opt;
  int status = parse_options(argc, argv, allowed, &opt);
  if (status == 0) status = want_operands(argc, argv, 1);
  if (status != 0) return status;
  store *st;
  model_conference *conf;
  if (open_conference(opt.db, argv[optind], &st, &conf) != 0) return 1;
  report_form f;
  status = form_load(conf->authority, conf->type, &f);
  size_t n = 0;
  const char **agencies = status == 0 ? invited_agencies(conf, &n) : NULL;
  if (status == 0 && agencies == NULL) status = cli_fail("%s", _("reports.out_of_memory"));
  int findings = 0, checked = 0;
  for (size_t i = 0; i < n && findings >= 0; i++) {
    const model_event *ev = model_agency_event(conf, "report.received", agencies[i]);
    if (ev == NULL || (opt.agency && strcmp(opt.agency, agencies[i]) != 0)) continue;
    checked++;
    int found = run_checks(&f, ev, stdout);
    findings = found < 0 ? -1 : findings + found;
  }
  if (status == 0 && findings >= 0 && checked == 0)
    status = opt.agency ? cli_fail(_("reports.check.no_report"), opt.agency)
                        : cli_fail("%s", _("reports.check.no_reports"));
  if (status == 0 && findings < 0) status = 1;
  if (status == 0 && findings == 0) printf("%s\n", _("reports.check.clean"));
  if (status == 0 && findings > 0) status = 1;
  free(agencies);
  form_free(&f);
  model_free(conf);
  store_close(st);
  return status;
}

/* ------------------------------------------------------------ dispatch */

int cmd_report(int argc, char **argv) {
  static const struct {
    const char *name;
    int (*run)(int, char **);
  } actions[] = {{"form", report_form_command},     {"add", report_add_command},
                 {"shared", report_shared_command}, {"status", report_status_command},
                 {"check", report_check_command}};
  if (argc < 2) return cli_usage_error("report", "%s", _("reports.action_needed"));
  for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
    if (strcmp(argv[1], actions[i].name) == 0) return actions[i].run(argc - 1, argv + 1);
  return cli_usage_error("report", _("reports.unknown_action"), argv[1]);
}
