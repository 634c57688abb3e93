/*
** cmd_record.c — `confer record` (the record of the meeting, the plan, the
** family's and child's versions) and `confer chart` (a child's scaling history).
**
** The host only gathers: it loads the conference from the store and its
** agenda, then hands both to the Lua renderers in scripts/render/, run in
** the agenda's sandbox so an authority can restyle any of them by putting a
** script of the same name earlier on its plugin path. What an audience may
** see is decided in scripts/render/view.lua alone. The output file is created
** readable by its owner only, as the database is: a record is personal data.
*/
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>

#include "agenda.h"
#include "api.h"
#include "cli.h"
#include "i18n.h"
#include "sandbox.h"
#include "store.h"

typedef struct record_options {
  const char *db, *format, *audience, *output, *child;
} record_options;

enum { OPT_DB = 1, OPT_FORMAT, OPT_AUDIENCE, OPT_OUTPUT, OPT_CHILD };

/*
** Parses COMMAND's options into OPT, accepting only the OPT_* codes in
** ALLOWED. Returns 0 with optind at the first operand, or the usage error's status.
*/
static int parse_options(const char *command, int argc, char **argv, const char *allowed,
                         record_options *opt) {
  static const struct option options[] = {
    {"db", required_argument, NULL, OPT_DB},           {"format", required_argument, NULL, OPT_FORMAT},
    {"audience", required_argument, NULL, OPT_AUDIENCE}, {"output", required_argument, NULL, OPT_OUTPUT},
    {"child", required_argument, NULL, OPT_CHILD},     {NULL, 0, NULL, 0}};
  memset(opt, 0, sizeof *opt);
  optind = 1;
  opterr = 0;   /* our own one-line errors instead of getopt's */
  int code;
  while ((code = getopt_long(argc, argv, ":o:", options, NULL)) != -1) {
    if (code == 'o') code = OPT_OUTPUT;
    if (code == ':') return cli_usage_error(command, _("record.option_needs_value"), argv[optind - 1]);
    if (code == '?' || strchr(allowed, code) == NULL)
      return cli_usage_error(command, _("cli.unknown_option"), cli_refused_word(argc, argv));
    const char **slot[] = {NULL, &opt->db, &opt->format, &opt->audience, &opt->output, &opt->child};
    *slot[code] = optarg;
  }
  return 0;
}

/* 1 if VALUE is one of the NULL-terminated WORDS. */
static int one_of(const char *value, const char *const *words) {
  for (; *words != NULL; words++)
    if (strcmp(value, *words) == 0) return 1;
  return 0;
}

/*
** 1 if PATH is a regular file holding an SQLite database: a conference store
** (`-o` given the --db file by a slip) that replacing would lose whole.
** Opened without blocking, so that a FIFO given to -o is not waited on here.
*/
static int is_database(const char *path) {
  char head[16];   /* as much as store_has_sqlite_magic needs */
  struct stat st;
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, head, sizeof head) : -1;
  int found = n > 0 && store_has_sqlite_magic(head, (size_t)n);
  close(fd);
  return found;
}

/* Writes LEN bytes of TEXT to FD; 0, or the errno of the failure. */
static int write_all(int fd, const char *text, size_t len) {
  size_t done = 0;
  while (done < len) {
    ssize_t n = write(fd, text + done, len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : ENOSPC;
    done += (size_t)n;
  }
  return 0;
}

/* Writes TEXT into what PATH names as it is: a FIFO or a device, nothing to replace. */
static int write_in_place(const char *path, const char *text, size_t len) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return cli_fail(_("record.cannot_write"), path, strerror(errno));
  int error = write_all(fd, text, len);
  if (close(fd) != 0 && error == 0) error = errno;
  return error == 0 ? 0 : cli_fail(_("record.cannot_write"), path, strerror(error));
}

/*
** Makes the regular file FILE (PATH as the user named it) hold TEXT: written
** to a new file beside it (0600, as mkstemp makes it) and renamed over it once
** whole. So a write that fails part way (a full disk) leaves FILE as it was,
** not half a record passing for one, and a record never stays readable by
** others because the file it replaced was.
*/
static int replace_file(const char *path, const char *file, const char *text, size_t len) {
  static const char suffix[] = ".XXXXXX";
  size_t n = strlen(file);
  char *temp = malloc(n + sizeof suffix);
  if (temp == NULL) return cli_fail("%s", _("host.out_of_memory"));
  memcpy(temp, file, n);
  memcpy(temp + n, suffix, sizeof suffix);
  int error = 0, fd = mkstemp(temp);
  if (fd < 0) {
    error = errno;
  } else {
    error = write_all(fd, text, len);
    if (error == 0 && fsync(fd) != 0) error = errno;
    if (close(fd) != 0 && error == 0) error = errno;
    if (error == 0 && rename(temp, file) != 0) error = errno;
    if (error != 0) unlink(temp);
  }
  free(temp);
  return error == 0 ? 0 : cli_fail(_("record.cannot_write"), path, strerror(error));
}

/*
** Writes LEN bytes of TEXT to PATH (replace_file; never a database) or to
** stdout when PATH is NULL. Returns 0, or 1 after printing the failure.
*/
static int write_output(const char *path, const char *text, size_t len) {
  if (path == NULL) {
    if (fwrite(text, 1, len, stdout) != len) return cli_stdout_failed(errno);
    return cli_flush_stdout() == 0 ? 0 : 1;
  }
  if (is_database(path)) return cli_fail(_("record.output_is_database"), path);
  char *real = realpath(path, NULL);   /* through a symlink: its file is replaced, not the link */
  const char *file = real != NULL ? real : path;
  struct stat st;
  int status = stat(file, &st) == 0 && !S_ISREG(st.st_mode) ? write_in_place(path, text, len)
                                                              : replace_file(path, file, text, len);
  free(real);
  return status;
}

/* Pushes require(MODULE)[FIELD] in SB. Returns 0, or -1 with ERR set. */
static int push_renderer(sandbox *sb, const char *module, const char *field, char *err, size_t errlen) {
  char code[256];
  snprintf(code, sizeof code, "return require(%s%s%s).%s", "\"", module, "\"", field);
  if (sandbox_loadstring(sb, code, strlen(code), "=render", err, errlen) != 0 ||
      sandbox_pcall(sb, 0, 1, err, errlen) != 0)
    return -1;
  if (lua_type(sandbox_state(sb), -1) != LUA_TFUNCTION) {
    lua_pop(sandbox_state(sb), 1);
    snprintf(err, errlen, _("record.renderer_not_function"), module, field);
    return -1;
  }
  return 0;
}

/* Prints each string of the list at the top of the stack as a warning; pops it. */
static void print_warnings(lua_State *L) {
  lua_Integer n = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0;
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, -1, i);
    if (lua_type(L, -1) == LUA_TSTRING) fprintf(stderr, "confer record: %s\n", lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/*
** Runs render.record.render(agenda, conf, options) in the agenda's sandbox
** and writes the document. Returns the exit status.
*/
static int render_record(agenda *ag, model_conference *conf, const record_options *opt) {
  sandbox *sb = agenda_sandbox(ag);
  lua_State *L = sandbox_state(sb);
  char err[1024];
  if (push_renderer(sb, "render.record", "render", err, sizeof err) != 0) return cli_fail("%s", err);
  agenda_push(ag);
  api_push_conference(L, conf);
  lua_createtable(L, 0, 3);
  lua_pushstring(L, opt->format);
  lua_setfield(L, -2, "format");
  lua_pushstring(L, opt->audience);
  lua_setfield(L, -2, "audience");
  lua_pushstring(L, i18n_language());
  lua_setfield(L, -2, "lang");
  if (sandbox_pcall(sb, 3, 2, err, sizeof err) != 0) return cli_fail("%s", err);
  if (lua_type(L, -2) != LUA_TSTRING) {
    lua_pop(L, 2);
    return cli_fail("%s", _("record.not_text"));
  }
  print_warnings(L);
  size_t len;
  const char *text = lua_tolstring(L, -1, &len);
  int status = write_output(opt->output, text, len);
  lua_pop(L, 1);
  return status;
}

/* Checks `confer record`'s options and fills in the defaults; 0 or the usage error's status. */
static int check_record_options(record_options *opt, int operands) {
  static const char *const formats[] = {"md", "html", "json", NULL};
  static const char *const audiences[] = {"chair", "room", "family", "child", NULL};
  if (operands != 1) return cli_usage_error("record", "%s", _("record.one_conference"));
  if (opt->format == NULL) opt->format = "md";
  if (opt->audience == NULL) opt->audience = "room";
  if (!one_of(opt->format, formats)) return cli_usage_error("record", _("record.bad_format"), opt->format);
  if (!one_of(opt->audience, audiences))
    return cli_usage_error("record", _("record.bad_audience"), opt->audience);
  return 0;
}

int cmd_record(int argc, char **argv) {
  static const char allowed[] = {OPT_DB, OPT_FORMAT, OPT_AUDIENCE, OPT_OUTPUT, 0};
  record_options opt;
  int status = parse_options("record", argc, argv, allowed, &opt);
  if (status == 0) status = check_record_options(&opt, argc - optind);
  if (status != 0) return status;
  store *st = cli_open_store(opt.db);
  if (st == NULL) return 1;
  model_conference *conf = NULL;
  char err[1024], broken[STORE_VERIFY_LINE_MAX];
  int rc = store_load_checked(st, argv[optind], &conf, broken, sizeof broken, err, sizeof err);
  store_close(st);
  if (rc < 0) return cli_fail("%s", err);
  /* The record is what others read: made all the same, but not silently from a changed file. */
  cli_warn_if_tampered(broken, "record.chain_broken");
  agenda *ag = agenda_load(conf->authority, err, sizeof err);
  if (ag == NULL) status = cli_fail("%s", err);
  else status = render_record(ag, conf, &opt);
  agenda_free(ag);
  model_free(conf);
  return status;
}

/*
** {======================================================
** confer chart
** =======================================================
*/

/* The ids of every conference in ST, read from store_list; NULL with ERR set. */
static char *list_conferences(store *st, char *err, size_t errlen) {
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  if (out == NULL) {
    snprintf(err, errlen, "%s", _("host.out_of_memory"));
    return NULL;
  }
  int rc = store_list(st, out, err, errlen);
  if (fclose(out) != 0 && rc == 0) {
    snprintf(err, errlen, "%s", _("host.out_of_memory"));
    rc = -1;
  }
  if (rc != 0) {
    free(text);
    return NULL;
  }
  return text;
}

/* 1 if CONF is about a child named NAME (not withdrawn). */
static int about_child(const model_conference *conf, const char *name) {
  const model_item *item = model_find_participant(conf, name);
  return item != NULL && item->type == MODEL_CHILD && !item->withdrawn;
}

/* Date order, then the order the conferences were created (their numeric ids). */
static int by_date(const void *a, const void *b) {
  const model_conference *x = *(model_conference *const *)a, *y = *(model_conference *const *)b;
  int c = strcmp(x->date, y->date);
  if (c != 0) return c;
  long ix = strtol(x->id, NULL, 10), iy = strtol(y->id, NULL, 10);
  return (ix > iy) - (ix < iy);
}

/* A child's conferences, as many as memory holds. */
typedef struct conference_list {
  model_conference **items;
  size_t n, cap;
} conference_list;

/* Appends CONF to LIST, doubling its room when full; -1 when out of memory. */
static int conference_list_add(conference_list *list, model_conference *conf) {
  if (list->n == list->cap) {
    size_t cap = list->cap ? list->cap * 2 : 16;
    if (cap > SIZE_MAX / sizeof *list->items) return -1;
    model_conference **grown = realloc(list->items, cap * sizeof *grown);
    if (grown == NULL) return -1;
    list->items = grown;
    list->cap = cap;
  }
  list->items[list->n++] = conf;
  return 0;
}

/* Frees every conference in LIST and the list's array. */
static void conference_list_free(conference_list *list) {
  for (size_t i = 0; i < list->n; i++) model_free(list->items[i]);
  free(list->items);
  *list = (conference_list){0};
}

/*
** Loads every conference about child NAME into LIST (date order). Returns 0,
** or -1 after printing the failure with LIST left empty.
*/
static int load_child_conferences(store *st, const char *name, conference_list *list) {
  char err[1024];
  char *ids = list_conferences(st, err, sizeof err);
  if (ids == NULL) {
    cli_fail("%s", err);
    return -1;
  }
  int failed = 0;
  char *save = NULL;
  for (char *line = strtok_r(ids, "\n", &save); line != NULL && !failed;
       line = strtok_r(NULL, "\n", &save)) {
    char id[32];
    if (sscanf(line, "%31s", id) != 1) continue;
    model_conference *conf;
    if (store_load(st, id, &conf, err, sizeof err) != 0) {
      failed = cli_fail("%s", err);
    } else if (!about_child(conf, name)) {
      model_free(conf);
    } else if (conference_list_add(list, conf) != 0) {
      model_free(conf);
      failed = cli_fail("%s", _("host.out_of_memory"));
    }
  }
  free(ids);
  if (failed) {
    conference_list_free(list);
    return -1;
  }
  if (list->n > 0) qsort(list->items, list->n, sizeof *list->items, by_date);  /* items NULL when none */
  return 0;
}

/*
** lua_CFunction: the conferences of the conference_list at 1 (a light
** userdata) as a sequence. Called through sandbox_pcall because a child may
** have many conferences: running out of the sandbox's memory is then an error
** reported in one line, where outside a protected call it would abort.
*/
static int push_conference_list(lua_State *L) {
  const conference_list *confs = lua_touserdata(L, 1);
  lua_createtable(L, confs->n > INT_MAX ? 0 : (int)confs->n, 0);
  for (size_t i = 0; i < confs->n; i++) {
    api_push_conference(L, confs->items[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/* Runs render.chart_svg.render(name, {conf...}) in a script sandbox and writes the SVG. */
static int render_chart(const char *name, const conference_list *confs, const char *output) {
  char err[1024];
  sandbox *sb = agenda_script_sandbox(err, sizeof err);
  if (sb == NULL) return cli_fail("%s", err);
  lua_State *L = sandbox_state(sb);
  int status;
  if (push_renderer(sb, "render.chart_svg", "render", err, sizeof err) != 0) {
    status = cli_fail("%s", err);
  } else {
    lua_pushstring(L, name);
    lua_pushcfunction(L, push_conference_list);
    lua_pushlightuserdata(L, (void *)confs);
    if (sandbox_pcall(sb, 1, 1, err, sizeof err) != 0 || sandbox_pcall(sb, 2, 1, err, sizeof err) != 0) {
      status = cli_fail("%s", err);
    } else if (lua_type(L, -1) != LUA_TSTRING) {
      status = cli_fail("%s", _("record.not_text"));
    } else {
      size_t len;
      const char *text = lua_tolstring(L, -1, &len);
      status = write_output(output, text, len);
    }
  }
  sandbox_free(sb);
  return status;
}

int cmd_chart(int argc, char **argv) {
  static const char allowed[] = {OPT_DB, OPT_CHILD, OPT_OUTPUT, 0};
  record_options opt;
  int status = parse_options("chart", argc, argv, allowed, &opt);
  if (status == 0 && optind < argc)
    status = cli_usage_error("chart", _("record.unexpected_argument"), argv[optind]);
  if (status == 0 && opt.child == NULL) status = cli_usage_error("chart", "%s", _("record.chart.child_needed"));
  if (status != 0) return status;
  store *st = cli_open_store(opt.db);
  if (st == NULL) return 1;
  conference_list confs = {0};
  int loaded = load_child_conferences(st, opt.child, &confs);
  store_close(st);
  if (loaded != 0) status = 1;
  else if (confs.n == 0) status = cli_fail(_("record.chart.no_child"), opt.child);
  else status = render_chart(opt.child, &confs, opt.output);
  conference_list_free(&confs);
  return status;
}

/* }====================================================== */
