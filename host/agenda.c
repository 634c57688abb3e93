/*
** agenda.c — authority plugins: finding, loading and checking them.
**
** A plugin runs in a sandbox of its own. The host's validator,
** scripts/contract.lua, is loaded into that sandbox BEFORE the plugin and its
** table is kept only in the registry, which plugin code cannot reach, so a
** plugin cannot change the rules it is checked against. Every problem is
** reported as one line "FILE:LINE: problem", located by the declaration it
** concerns (contract.lua does the locating).
**
** The Signs of Safety base (plugins/signs_of_safety.lua) lives beside the
** agendas because plugins `require` it, but it is a library, not an agenda:
** listing and checking every plugin skip it.
*/
#include "agenda.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>

#include "api.h"
#include "i18n.h"
#include "paths.h"
#include "utf8.h"

#define MAX_PLUGIN_PATH_DIRS 32                     /* CONFER_PLUGIN_PATH's directories at most */
#define MAX_SEARCH_DIRS (MAX_PLUGIN_PATH_DIRS + 2)  /* then the user's and the shipped plugins */
#define PROBLEM_MAX 2048

static const char BASE_MODULE[] = "signs_of_safety";

/* Registry keys: their addresses are unique and unreachable from Lua. */
static const char contract_key = 'c';
static const char agenda_key = 'a';

struct agenda {
  sandbox *sb;
  char *id, *name, *file;
};

/* Where problems go: counted, the first kept for agenda_load, all written to OUT if any. */
typedef struct report {
  FILE *out;
  char *first;
  size_t firstlen;
  int count;
} report;

static void report_problem(report *rep, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Problems carry a plugin's own words: shown one line each, control characters as '?'. */
static void report_problem(report *rep, const char *fmt, ...) {
  char raw[PROBLEM_MAX], line[PROBLEM_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(raw, sizeof raw, fmt, ap);
  va_end(ap);
  utf8_printable_copy(line, sizeof line, raw, strlen(raw), 1);
  if (rep->count++ == 0 && rep->first != NULL) snprintf(rep->first, rep->firstlen, "%s", line);
  if (rep->out != NULL) fprintf(rep->out, "%s\n", line);
}

/* ---------------------------------------------------------------- search */

static char search_dirs[MAX_SEARCH_DIRS][PATH_MAX];
static const char *search_list[MAX_SEARCH_DIRS + 1];
static size_t n_search_dirs;
static int search_path_built;

/* Appends DIR (LEN bytes, fewer than PATH_MAX) to the search path; the caller checks there is room. */
static void add_search_dir(const char *dir, size_t len) {
  memcpy(search_dirs[n_search_dirs], dir, len);
  search_dirs[n_search_dirs][len] = '\0';
  search_list[n_search_dirs] = search_dirs[n_search_dirs];
  n_search_dirs++;
}

/*
** Adds the entries of CONFER_PLUGIN_PATH. Empty ones are skipped, as PATH's
** are. One that cannot be used is refused whole, never cut short or left
** out: either would make a plugin installed there "not found" with no reason.
*/
static int add_plugin_path_env(char *err, size_t errlen) {
  const char *env = getenv("CONFER_PLUGIN_PATH");
  size_t entry = 0;
  while (env != NULL && *env != '\0') {
    const char *colon = strchr(env, ':');
    size_t len = colon != NULL ? (size_t)(colon - env) : strlen(env);
    entry++;
    if (len >= PATH_MAX) {
      snprintf(err, errlen, _("agenda.plugin_path_entry_too_long"), entry, PATH_MAX - 1);
      return -1;
    }
    if (len > 0 && n_search_dirs == MAX_PLUGIN_PATH_DIRS) {
      snprintf(err, errlen, _("agenda.plugin_path_too_many"), MAX_PLUGIN_PATH_DIRS);
      return -1;
    }
    if (len > 0) add_search_dir(env, len);
    env = colon != NULL ? colon + 1 : NULL;
  }
  return 0;
}

/*
** Adds the user's plugin directory, $XDG_CONFIG_HOME/confer/plugins (or
** ~/.config/...). No home at all is no directory to add; one too long for a
** path is refused, naming the variable, as CONFER_PLUGIN_PATH's entries are:
** left out, the agendas installed there would be "not found" with no reason.
*/
static int add_user_plugin_dir(char *err, size_t errlen) {
  char user[PATH_MAX], dir[PATH_MAX];
  if (paths_user_dir("CONFIG", user, sizeof user) == NULL) {
    if (errno != ENAMETOOLONG) return 0;
  } else if (paths_join(dir, sizeof dir, user, "plugins") != NULL) {
    add_search_dir(dir, strlen(dir));
    return 0;
  }
  snprintf(err, errlen, _("agenda.user_plugin_dir_too_long"), paths_user_dir_variable("CONFIG"), PATH_MAX - 1);
  return -1;
}

int agenda_search_path_init(char *err, size_t errlen) {
  n_search_dirs = 0;
  search_path_built = 1;
  int rc = add_plugin_path_env(err, errlen);
  char later[256];   /* the first problem is the one reported */
  if (add_user_plugin_dir(rc == 0 ? err : later, rc == 0 ? errlen : sizeof later) != 0) rc = -1;
  char dir[PATH_MAX];
  if (paths_join(dir, sizeof dir, paths_data_dir(), "plugins") != NULL)
    add_search_dir(dir, strlen(dir));
  search_list[n_search_dirs] = NULL;
  return rc;
}

const char *const *agenda_search_path(void) {
  char unheard[256];   /* main has reported any problem: agenda_search_path_init ran first */
  if (!search_path_built) agenda_search_path_init(unheard, sizeof unheard);
  return search_list;
}

/* 1 if NAME is a plugin id: lower case letters and underscores. */
static int is_plugin_id(const char *name, size_t len) {
  if (len == 0) return 0;
  for (size_t i = 0; i < len; i++)
    if (!((name[i] >= 'a' && name[i] <= 'z') || name[i] == '_')) return 0;
  return 1;
}

static int is_regular_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int agenda_find(const char *id, char *buf, size_t len, char *err, size_t errlen) {
  char name[NAME_MAX + 1];
  if (!is_plugin_id(id, strlen(id)) || strcmp(id, BASE_MODULE) == 0 ||
      snprintf(name, sizeof name, "%s.lua", id) >= (int)sizeof name) {
    snprintf(err, errlen, _("agenda.no_plugin"), id);
    return -1;
  }
  for (const char *const *dir = agenda_search_path(); *dir != NULL; dir++) {
    /* A directory that cannot hold the file may have it: the answer is not "not found". */
    if (paths_join(buf, len, *dir, name) == NULL) {
      snprintf(err, errlen, _("agenda.plugin_dir_too_long"), 64, *dir, name, PATH_MAX - 1);
      return -2;
    }
    if (is_regular_file(buf)) return 0;
  }
  snprintf(err, errlen, _("agenda.no_plugin"), id);
  return -1;
}

/* 1 if ARG names a file rather than an id. */
static int names_file(const char *arg) {
  size_t len = strlen(arg);
  return strchr(arg, '/') != NULL || (len > 4 && strcmp(arg + len - 4, ".lua") == 0);
}

/* ---------------------------------------------------------------- loading */

/*
** Pushes the contract's function NAME. The contract table is host-owned and
** has no metatable, so raw access is exact.
*/
static void push_contract_function(lua_State *L, const char *name) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &contract_key);
  lua_pushstring(L, name);
  lua_rawget(L, -2);
  lua_remove(L, -2);
}

/* Runs scripts/contract.lua and keeps its table in the registry. */
static int load_contract(sandbox *sb, char *err, size_t errlen) {
  char scripts[PATH_MAX], path[PATH_MAX];
  if (paths_join(scripts, sizeof scripts, paths_data_dir(), "scripts") == NULL ||
      paths_join(path, sizeof path, scripts, "contract.lua") == NULL) {
    snprintf(err, errlen, "%s", _("cli.data_dir_too_long"));
    return -1;
  }
  if (sandbox_loadfile(sb, path, err, errlen) != 0 || sandbox_pcall(sb, 0, 1, err, errlen) != 0)
    return -1;
  lua_State *L = sandbox_state(sb);
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    /* The path is bounded so the message always ends with what went wrong. */
    snprintf(err, errlen, _("agenda.contract_not_table"), (int)(errlen / 2), path);
    return -1;
  }
  lua_rawsetp(L, LUA_REGISTRYINDEX, &contract_key);
  return 0;
}

sandbox *agenda_script_sandbox(char *err, size_t errlen) {
  const char *dirs[MAX_SEARCH_DIRS + 2];
  char scripts[PATH_MAX];
  size_t n = 0;
  for (const char *const *dir = agenda_search_path(); *dir != NULL; dir++) dirs[n++] = *dir;
  if (paths_join(scripts, sizeof scripts, paths_data_dir(), "scripts") != NULL) dirs[n++] = scripts;
  dirs[n] = NULL;
  sandbox *sb = sandbox_new(NULL, dirs, err, errlen);
  if (sb != NULL) api_open(sb);
  return sb;
}

/* A script sandbox with the contract loaded before any plugin code runs. */
static sandbox *new_plugin_sandbox(char *err, size_t errlen) {
  sandbox *sb = agenda_script_sandbox(err, errlen);
  if (sb != NULL && load_contract(sb, err, errlen) != 0) {
    sandbox_free(sb);
    return NULL;
  }
  return sb;
}

/*
** Calls contract.validate(agenda, FILE, WITH_TEXTS) on the agenda at the top
** of the stack (left in place) and reports each problem.
*/
static void validate(sandbox *sb, const char *file, int with_texts, report *rep) {
  lua_State *L = sandbox_state(sb);
  char err[PROBLEM_MAX];
  push_contract_function(L, "validate");
  lua_pushvalue(L, -2);
  lua_pushstring(L, file);
  lua_pushboolean(L, with_texts);
  if (sandbox_pcall(sb, 3, 1, err, sizeof err) != 0) {
    report_problem(rep, _("agenda.not_validated"), file, err);
    return;
  }
  lua_Integer n = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0;
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, -1, i);
    const char *problem = lua_tostring(L, -1);
    report_problem(rep, "%s", problem != NULL ? problem : _("agenda.problem_not_string"));
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

static const char *raw_string(lua_State *L, const char *name);
static int add_source_keys(const char *file, int calls_only, agenda_keys *keys, report *rep);

/*
** Reports each key FILE's code gives confer.text or confer.plural as a literal
** that no catalogue has a text for, once per line, at that line: the chair
** would be shown the key itself. The keys are those `confer locales check`
** finds (add_source_keys), so the two commands cannot disagree.
*/
static void report_untexted_calls(const char *file, report *rep) {
  agenda_keys keys = {NULL, 0, 0};
  if (add_source_keys(file, 1, &keys, rep) != 0) {
    report_problem(rep, "%s: %s", file, _("host.out_of_memory"));
  } else {
    for (size_t i = 0; i < keys.n; i++) {
      const i18n_use *use = &keys.uses[i];
      if (use->where != NULL && strcmp(i18n_text(use->key), use->key) == 0 &&
          !i18n_use_seen_before(keys.uses, i))
        report_problem(rep, _("agenda.call_key_no_text"), use->where, use->key);
    }
  }
  agenda_keys_free(&keys);
}

static char *copy_field(lua_State *L, int table, const char *field) {
  lua_pushstring(L, field);
  lua_rawget(L, table);
  const char *value = lua_tostring(L, -1);
  char *copy = value != NULL ? strdup(value) : NULL;
  lua_pop(L, 1);
  return copy;
}

/*
** Loads ID_OR_FILE into a new agenda and validates it, reporting every
** problem. Returns the agenda (its table at the top of its stack) or NULL.
*/
static agenda *load(const char *id_or_file, int with_texts, report *rep) {
  char file[PATH_MAX], err[PROBLEM_MAX];
  if (names_file(id_or_file)) {
    if (strlen(id_or_file) >= sizeof file) {   /* cut short, it would name another file */
      report_problem(rep, "%.64s...: %s", id_or_file, strerror(ENAMETOOLONG));
      return NULL;
    }
    snprintf(file, sizeof file, "%s", id_or_file);
  } else if (agenda_find(id_or_file, file, sizeof file, err, sizeof err) != 0) {
    report_problem(rep, "%s", err);
    return NULL;
  }
  sandbox *sb = new_plugin_sandbox(err, sizeof err);
  if (sb == NULL) {
    report_problem(rep, "%s", err);
    return NULL;
  }
  if (sandbox_loadfile(sb, file, err, sizeof err) != 0 || sandbox_pcall(sb, 0, 1, err, sizeof err) != 0) {
    report_problem(rep, "%s", err);
    sandbox_free(sb);
    return NULL;
  }
  int before = rep->count;
  validate(sb, file, with_texts, rep);
  if (with_texts) report_untexted_calls(file, rep);
  lua_State *L = sandbox_state(sb);
  /* The contract indexes the agenda as Lua does; the host reads it raw, so both must see the same. */
  if (rep->count == before && (raw_string(L, "id") == NULL || raw_string(L, "name") == NULL))
    report_problem(rep, _("agenda.fields_behind_metatable"), file);
  agenda *ag = calloc(1, sizeof *ag);
  if (rep->count > before || ag == NULL) {
    if (ag == NULL) report_problem(rep, "%s: %s", file, _("host.out_of_memory"));
    free(ag);
    sandbox_free(sb);
    return NULL;
  }
  ag->sb = sb;
  ag->id = copy_field(L, lua_gettop(L), "id");
  ag->name = copy_field(L, lua_gettop(L), "name");
  ag->file = strdup(file);
  if (ag->id == NULL || ag->name == NULL || ag->file == NULL) {
    report_problem(rep, "%s: %s", file, _("host.out_of_memory"));
    agenda_free(ag);
    return NULL;
  }
  return ag;
}

agenda *agenda_load(const char *id_or_file, char *err, size_t errlen) {
  report rep = {NULL, err, errlen, 0};
  agenda *ag = load(id_or_file, 0, &rep);
  if (ag == NULL) return NULL;
  lua_rawsetp(sandbox_state(ag->sb), LUA_REGISTRYINDEX, &agenda_key);
  return ag;
}

void agenda_free(agenda *ag) {
  if (ag == NULL) return;
  sandbox_free(ag->sb);
  free(ag->id);
  free(ag->name);
  free(ag->file);
  free(ag);
}

sandbox *agenda_sandbox(agenda *ag) { return ag->sb; }

void agenda_push(agenda *ag) { lua_rawgetp(sandbox_state(ag->sb), LUA_REGISTRYINDEX, &agenda_key); }

const char *agenda_id(const agenda *ag) { return ag->id; }
const char *agenda_name(const agenda *ag) { return ag->name; }
const char *agenda_file(const agenda *ag) { return ag->file; }

/* ---------------------------------------------------------------- checking */

/* Reads field NAME of the table at INDEX as a string into BUF ("?" if absent). */
static void string_field(lua_State *L, int index, const char *name, char *buf, size_t len) {
  lua_pushstring(L, name);
  lua_rawget(L, index);
  const char *value = lua_tostring(L, -1);
  snprintf(buf, len, "%s", value != NULL ? value : "?");
  lua_pop(L, 1);
}

/* Runs one check (table at the top: label, where, fn) against CONF (at CONF_INDEX). */
static void run_one_check(agenda *ag, int conf_index, report *rep) {
  lua_State *L = sandbox_state(ag->sb);
  int entry = lua_gettop(L);
  char label[256], where[PATH_MAX + 32], err[PROBLEM_MAX];
  string_field(L, entry, "label", label, sizeof label);
  string_field(L, entry, "where", where, sizeof where);
  lua_pushstring(L, "fn");
  lua_rawget(L, entry);
  lua_pushvalue(L, conf_index);
  if (sandbox_pcall(ag->sb, 1, 1, err, sizeof err) != 0) {
    report_problem(rep, _("agenda.check_failed"), where, label, err);
    return;
  }
  push_contract_function(L, "result");
  lua_insert(L, -2);
  if (sandbox_pcall(ag->sb, 1, 1, err, sizeof err) != 0) {
    report_problem(rep, _("agenda.check_unreadable"), where, label, err);
    return;
  }
  if (lua_isstring(L, -1)) report_problem(rep, _("agenda.check_result"), where, label, lua_tostring(L, -1));
  lua_pop(L, 1);
}

/*
** Runs every check of the agenda (its table at the top of the stack) against
** an empty in-memory conference: a check must not fail and must return a
** list of strings. What it finds in an empty conference is not a problem of
** the plugin.
*/
static void run_checks(agenda *ag, report *rep) {
  lua_State *L = sandbox_state(ag->sb);
  char err[PROBLEM_MAX];
  int agenda_index = lua_gettop(L);
  push_contract_function(L, "conference");
  lua_pushstring(L, ag->id);
  if (sandbox_pcall(ag->sb, 1, 1, err, sizeof err) != 0) {
    report_problem(rep, _("agenda.no_check_conference"), ag->file, err);
    return;
  }
  int conf_index = lua_gettop(L);
  push_contract_function(L, "checks");
  lua_pushvalue(L, agenda_index);
  if (sandbox_pcall(ag->sb, 1, 1, err, sizeof err) != 0) {
    report_problem(rep, _("agenda.checks_not_listed"), ag->file, err);
    lua_settop(L, agenda_index);
    return;
  }
  lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, -1, i);
    run_one_check(ag, conf_index, rep);
    lua_settop(L, conf_index + 1);
  }
  lua_settop(L, agenda_index);
}

int agenda_check(const char *id_or_file, FILE *out) {
  report rep = {out, NULL, 0, 0};
  agenda *ag = load(id_or_file, 1, &rep);
  if (ag == NULL) return rep.count > 0 ? rep.count : 1;
  run_checks(ag, &rep);
  agenda_free(ag);
  return rep.count;
}

/* ---------------------------------------------------------------- listing */

typedef struct plugin_file {
  char id[NAME_MAX + 1];
  char path[PATH_MAX];
} plugin_file;

typedef struct plugin_files {
  plugin_file *items;
  size_t n, cap;
} plugin_files;

static int already_listed(const plugin_files *files, const char *id) {
  for (size_t i = 0; i < files->n; i++)
    if (strcmp(files->items[i].id, id) == 0) return 1;
  return 0;
}

static int add_plugin_file(plugin_files *files, const char *id, const char *path) {
  if (files->n == files->cap) {
    size_t cap = files->cap ? files->cap * 2 : 16;
    plugin_file *items = realloc(files->items, cap * sizeof *items);
    if (items == NULL) return -1;
    files->items = items;
    files->cap = cap;
  }
  plugin_file *f = &files->items[files->n++];
  snprintf(f->id, sizeof f->id, "%s", id);
  snprintf(f->path, sizeof f->path, "%s", path);
  return 0;
}

static int by_id(const void *a, const void *b) {
  return strcmp(((const plugin_file *)a)->id, ((const plugin_file *)b)->id);
}

/*
** Collects the agenda files of the search path, sorted by id: with IN_USE
** only the first file of each id (the one that wins), else every file; with
** WITH_BASE the base module's files too.
*/
static int collect_plugins(plugin_files *files, int in_use, int with_base) {
  for (const char *const *dir = agenda_search_path(); *dir != NULL; dir++) {
    DIR *d = opendir(*dir);
    if (d == NULL) continue;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      size_t len = strlen(e->d_name);
      char id[NAME_MAX + 1], path[PATH_MAX];
      if (len <= 4 || strcmp(e->d_name + len - 4, ".lua") != 0) continue;
      memcpy(id, e->d_name, len - 4);
      id[len - 4] = '\0';
      if (!is_plugin_id(id, len - 4) || (!with_base && strcmp(id, BASE_MODULE) == 0)) continue;
      if (paths_join(path, sizeof path, *dir, e->d_name) == NULL || !is_regular_file(path)) continue;
      if (in_use && already_listed(files, id)) continue;
      if (add_plugin_file(files, id, path) != 0) {
        closedir(d);
        return -1;
      }
    }
    closedir(d);
  }
  if (files->n > 0) qsort(files->items, files->n, sizeof *files->items, by_id);
  return 0;
}

/* Columns are padded by characters, not bytes, so UTF-8 names line up. */
static size_t text_width(const char *s) {
  size_t n = 0;
  for (; *s != '\0'; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) n++;
  return n;
}

static void print_padded(FILE *out, const char *text, size_t width) {
  fputs(text, out);
  for (size_t w = text_width(text); w < width + 2; w++) fputc(' ', out);
}

int agenda_list(FILE *out) {
  plugin_files files = {NULL, 0, 0};
  if (collect_plugins(&files, 1, 0) != 0) {
    free(files.items);
    fprintf(stderr, "confer: %s\n", _("agenda.out_of_memory_listing"));
    return -1;
  }
  agenda **loaded = calloc(files.n + 1, sizeof *loaded);
  int broken = 0;
  size_t id_width = 0, name_width = 0;
  for (size_t i = 0; loaded != NULL && i < files.n; i++) {
    char err[PROBLEM_MAX];
    loaded[i] = agenda_load(files.items[i].path, err, sizeof err);
    if (loaded[i] == NULL) {
      fprintf(stderr, "confer: %s\n", err);
      broken++;
      continue;
    }
    if (text_width(loaded[i]->id) > id_width) id_width = text_width(loaded[i]->id);
    if (text_width(loaded[i]->name) > name_width) name_width = text_width(loaded[i]->name);
  }
  for (size_t i = 0; loaded != NULL && i < files.n; i++) {
    if (loaded[i] == NULL) continue;
    print_padded(out, loaded[i]->id, id_width);
    print_padded(out, loaded[i]->name, name_width);
    fprintf(out, "%s\n", loaded[i]->file);
    agenda_free(loaded[i]);
  }
  if (loaded == NULL) {
    fprintf(stderr, "confer: %s\n", _("agenda.out_of_memory_listing"));
    broken = -1;
  }
  free(loaded);
  free(files.items);
  return broken;
}

/*
** Checks every agenda file on the search path (shadowed copies too: each is
** a plugin someone may use). Returns the number of problems, -1 on failure.
*/
int agenda_check_all(FILE *out) {
  plugin_files files = {NULL, 0, 0};
  if (collect_plugins(&files, 0, 0) != 0) {
    free(files.items);
    fprintf(stderr, "confer: %s\n", _("agenda.out_of_memory_listing"));
    return -1;
  }
  int problems = 0;
  for (size_t i = 0; i < files.n; i++) problems += agenda_check(files.items[i].path, out);
  free(files.items);
  return problems;
}

/* ---------------------------------------------------------------- catalogue keys */

/* Appends KEY (LEN bytes) used at WHERE (NULL: no place) to KEYS, copying both. */
static int add_key(agenda_keys *keys, const char *key, size_t len, const char *where) {
  if (keys->n == keys->cap) {
    size_t cap = keys->cap ? keys->cap * 2 : 64;
    i18n_use *uses = realloc(keys->uses, cap * sizeof *uses);
    if (uses == NULL) return -1;
    keys->uses = uses;
    keys->cap = cap;
  }
  char *k = strndup(key, len), *w = where != NULL ? strdup(where) : NULL;
  if (k == NULL || (where != NULL && w == NULL)) {
    free(k);
    free(w);
    return -1;
  }
  keys->uses[keys->n++] = (i18n_use){k, w};
  return 0;
}

void agenda_keys_free(agenda_keys *keys) {
  for (size_t i = 0; i < keys->n; i++) {
    free((char *)keys->uses[i].key);
    free((char *)keys->uses[i].where);
  }
  free(keys->uses);
  *keys = (agenda_keys){NULL, 0, 0};
}

/* Reads the string field NAME of the table at the top of the stack (NULL if not a string). */
static const char *raw_string(lua_State *L, const char *name) {
  lua_pushstring(L, name);
  lua_rawget(L, -2);
  const char *value = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
  lua_pop(L, 1);   /* the table still holds the string */
  return value;
}

/* Appends the keys contract.keys finds in the loaded agenda AG (its table at the top). */
static int add_declared_keys(agenda *ag, agenda_keys *keys, report *rep) {
  lua_State *L = sandbox_state(ag->sb);
  char err[PROBLEM_MAX];
  push_contract_function(L, "keys");
  lua_pushvalue(L, -2);
  lua_pushstring(L, ag->file);
  if (sandbox_pcall(ag->sb, 2, 1, err, sizeof err) != 0) {
    report_problem(rep, _("agenda.keys_not_listed"), ag->file, err);
    return 0;
  }
  int rc = 0;
  lua_Integer n = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0;
  for (lua_Integer i = 1; i <= n && rc == 0; i++) {
    lua_rawgeti(L, -1, i);
    const char *key = raw_string(L, "key"), *where = raw_string(L, "where");
    if (key != NULL) rc = add_key(keys, key, strlen(key), where);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return rc;
}

/* 1 if S (LEN bytes) has a catalogue key's shape: lower-case words joined by dots. */
static int key_shaped(const char *s, size_t len) {
  int dots = 0;
  if (len == 0 || !islower((unsigned char)s[0])) return 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '.') {
      if (i + 1 == len || s[i + 1] == '.') return 0;
      dots++;
    } else if (!islower(c) && !isdigit(c) && c != '_') {
      return 0;
    }
  }
  return dots > 0;
}

/* 1 if the code before a string literal (LINE up to END) is a call of confer.text or confer.plural. */
static int names_text_call(const char *line, const char *end) {
  static const char *const calls[] = {"confer.text(", "confer.plural("};
  while (end > line && (end[-1] == ' ' || end[-1] == '\t')) end--;
  for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
    size_t n = strlen(calls[i]);
    if ((size_t)(end - line) >= n && memcmp(end - n, calls[i], n) == 0) return 1;
  }
  return 0;
}

/*
** Appends the key-shaped string literals of one source LINE (number LINENO of
** FILE); with CALLS_ONLY only those given to confer.text or confer.plural.
** Strings end at the line's end and "--" outside one ends the line: the
** shipped plugins write keys as short literals, never across lines.
*/
static int scan_line(const char *file, long lineno, const char *line, int calls_only, agenda_keys *keys) {
  /* Most lines of a plugin call neither: strstr passes them at a fraction of the scan's cost. */
  if (calls_only && strstr(line, "confer.") == NULL) return 0;
  for (const char *p = line; *p != '\0' && *p != '\n'; p++) {
    if (p[0] == '-' && p[1] == '-') return 0;
    if (*p != '"' && *p != '\'') continue;
    const char *start = p + 1, *q = start;
    while (*q != '\0' && *q != '\n' && *q != *p) q += (q[0] == '\\' && q[1] != '\0') ? 2 : 1;
    if (*q != *p) return 0;
    size_t len = (size_t)(q - start);
    int call = names_text_call(line, p);
    if ((call || !calls_only) && key_shaped(start, len)) {
      char where[PATH_MAX + 32];
      snprintf(where, sizeof where, "%s:%ld", file, lineno);
      if (add_key(keys, start, len, call ? where : NULL) != 0) return -1;
    }
    p = q;
  }
  return 0;
}

/* Appends the keys named in the source of FILE (with CALLS_ONLY, those given to confer.text or confer.plural). */
static int add_source_keys(const char *file, int calls_only, agenda_keys *keys, report *rep) {
  FILE *f = fopen(file, "r");
  if (f == NULL) {
    report_problem(rep, _("agenda.cannot_read"), file, 1L);
    return 0;
  }
  char *line = NULL;
  size_t cap = 0;
  long lineno = 0;
  int rc = 0;
  while (rc == 0 && getline(&line, &cap, f) >= 0) rc = scan_line(file, ++lineno, line, calls_only, keys);
  if (rc == 0 && ferror(f)) report_problem(rep, _("agenda.cannot_read"), file, lineno + 1);
  free(line);
  fclose(f);
  return rc;
}

int agenda_catalogue_keys(agenda_keys *keys, FILE *out) {
  report rep = {out, NULL, 0, 0};
  plugin_files files = {NULL, 0, 0};
  int rc = collect_plugins(&files, 0, 1);
  for (size_t i = 0; rc == 0 && i < files.n; i++) {
    const char *path = files.items[i].path;
    rc = add_source_keys(path, 0, keys, &rep);
    if (rc != 0 || strcmp(files.items[i].id, BASE_MODULE) == 0) continue;
    agenda *ag = load(path, 0, &rep);
    if (ag != NULL) rc = add_declared_keys(ag, keys, &rep);
    agenda_free(ag);
  }
  free(files.items);
  if (rc != 0) {
    fprintf(out, "confer: %s\n", _("agenda.out_of_memory_keys"));
    return -1;
  }
  return rep.count;
}
