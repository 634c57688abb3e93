/*
** cmd_train.c — training: `confer simulate`, `confer train`, `confer debrief`
** and `confer check`.
**
** The scenario, the model answer, the debrief and the practice checks are Lua
** (scripts/training.lua, scripts/scenarios/, scripts/checks/) run in a script
** sandbox; this file only drives them. Every statement the simulated chair
** records is a REPL command run with repl_execute, so a simulation exercises
** the same parsing, authority validation, store and model as a real chair.
*/
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <sodium.h>

#include "agenda.h"
#include "api.h"
#include "cli.h"
#include "editline.h"
#include "i18n.h"
#include "repl.h"
#include "sandbox.h"
#include "store.h"

#define DEFAULT_AUTHORITY "worcestershire"
#define DIGEST_BYTES 16   /* of a `simulate --count` line */

/* The training module loaded in its own script sandbox. */
typedef struct trainer {
  sandbox *sb;
  int module;   /* registry ref of scripts/training.lua's table */
  int plan;     /* registry ref of the current plan, or LUA_NOREF */
  model_conference *boxed;   /* the conference the scripts see through CONF_BOX, or NULL */
  int conf_box;              /* registry ref of its box (api_push_conference) */
} trainer;

/* What the command line asked for. */
typedef struct options {
  const char *db, *authority, *role, *format, *scenario;
  long seed, count;
} options;

/* ** {====== The Lua side ====== */

static int trainer_open(trainer *t, char *err, size_t errlen) {
  static const char loader[] = "return require 'training'";
  *t = (trainer){.module = LUA_NOREF, .plan = LUA_NOREF, .conf_box = LUA_NOREF};
  t->sb = agenda_script_sandbox(err, errlen);
  if (t->sb == NULL) return -1;
  if (sandbox_loadstring(t->sb, loader, sizeof loader - 1, "=training", err, errlen) != 0 ||
      sandbox_pcall(t->sb, 0, 1, err, errlen) != 0) {
    sandbox_free(t->sb);
    return -1;
  }
  t->module = luaL_ref(sandbox_state(t->sb), LUA_REGISTRYINDEX);
  return 0;
}

/* Ends the scripts' view of the boxed conference: a box a script kept now holds nothing. */
static void release_conference(trainer *t) {
  if (t->boxed == NULL) return;
  lua_State *L = sandbox_state(t->sb);
  lua_rawgeti(L, LUA_REGISTRYINDEX, t->conf_box);
  api_release_conference(L, -1);
  lua_pop(L, 1);
  luaL_unref(L, LUA_REGISTRYINDEX, t->conf_box);
  t->conf_box = LUA_NOREF;
  t->boxed = NULL;
}

/* Pushes CONF as the scripts see it: one box a conference, not one a section (boxes are finalized). */
static void push_conference(trainer *t, model_conference *conf) {
  lua_State *L = sandbox_state(t->sb);
  if (t->boxed != conf) {
    release_conference(t);
    api_push_conference(L, conf);
    lua_pushvalue(L, -1);
    t->conf_box = luaL_ref(L, LUA_REGISTRYINDEX);
    t->boxed = conf;
    return;
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, t->conf_box);
}

static void trainer_close(trainer *t) {
  release_conference(t);
  sandbox_free(t->sb);
}

/* Pushes the module's function NAME; its arguments follow, then trainer_call. */
static lua_State *trainer_function(trainer *t, const char *name) {
  lua_State *L = sandbox_state(t->sb);
  lua_rawgeti(L, LUA_REGISTRYINDEX, t->module);
  lua_getfield(L, -1, name);
  lua_remove(L, -2);
  return L;
}

static int trainer_call(trainer *t, int nargs, int nresults, char *err, size_t errlen) {
  return sandbox_pcall(t->sb, nargs, nresults, err, errlen);
}

/*
** Calls NAME(conf[, string]) for one string. Returns 0 with a copy in *TEXT,
** or with *TEXT NULL when it gave none (nil, or a value that is not text);
** -1 with ERR when it failed (its Lua error, or out of memory).
*/
static int call_for_optional_text(trainer *t, const char *name, model_conference *conf,
                                  const char *arg, char **text, char *err, size_t errlen) {
  *text = NULL;
  lua_State *L = trainer_function(t, name);
  api_push_conference(L, conf);
  if (arg != NULL) lua_pushstring(L, arg);
  if (trainer_call(t, arg != NULL ? 2 : 1, 1, err, errlen) != 0) return -1;
  const char *s = lua_tostring(L, -1);
  *text = s != NULL ? strdup(s) : NULL;
  lua_pop(L, 1);
  if (s == NULL || *text != NULL) return 0;
  snprintf(err, errlen, "%s: %s", name, _("host.out_of_memory"));
  return -1;
}

/* As call_for_optional_text, but no text is an error too: returns the copy, or NULL with ERR. */
static char *call_for_text(trainer *t, const char *name, model_conference *conf, const char *arg,
                           char *err, size_t errlen) {
  char *text;
  if (call_for_optional_text(t, name, conf, arg, &text, err, errlen) != 0) return NULL;
  if (text == NULL) snprintf(err, errlen, "%s: %s", name, _("training.no_text"));
  return text;
}

/* Starts a plan (training.start) and keeps it as the trainer's current plan. */
static int start_plan(trainer *t, const char *scenario, const char *authority, const char *role,
                      long seed, long variant, char *err, size_t errlen) {
  lua_State *L = trainer_function(t, "start");
  lua_pushstring(L, scenario);
  lua_pushstring(L, authority);
  lua_pushstring(L, role);
  lua_pushinteger(L, seed);
  lua_pushinteger(L, variant);
  if (trainer_call(t, 5, 1, err, errlen) != 0) return -1;
  luaL_unref(L, LUA_REGISTRYINDEX, t->plan);
  t->plan = luaL_ref(L, LUA_REGISTRYINDEX);
  return 0;
}

/* A string field of the current plan into BUF. */
static const char *plan_field(trainer *t, const char *name, char *buf, size_t len) {
  lua_State *L = sandbox_state(t->sb);
  lua_rawgeti(L, LUA_REGISTRYINDEX, t->plan);
  lua_getfield(L, -1, name);
  snprintf(buf, len, "%s", lua_isstring(L, -1) ? lua_tostring(L, -1) : "");
  lua_pop(L, 2);
  return buf;
}

/* }====== */

/* ** {====== Playing lines through the REPL ====== */

/* A REPL session whose output is kept in memory, so a refusal can be reported. */
typedef struct session {
  repl *r;
  FILE *out;       /* the REPL's output: a memstream, or stdout when ECHO */
  char *buf;
  size_t size;
  int echo;
} session;

/* A session on CONF: on AG when given (shared by many conferences), else on its own agenda. */
static int session_open(session *s, store *st, model_conference *conf, agenda *ag,
                        const char *actor, int echo, char *err, size_t errlen) {
  *s = (session){.echo = echo};
  s->out = echo ? stdout : open_memstream(&s->buf, &s->size);
  if (s->out == NULL) {
    snprintf(err, errlen, "%s", _("host.out_of_memory"));
    return -1;
  }
  s->r = ag != NULL ? repl_open_with_agenda(st, conf, ag, actor, s->out, 0, err, errlen)
                    : repl_open(st, conf, actor, s->out, 0, err, errlen);
  if (s->r == NULL) {
    if (!echo) fclose(s->out);
    free(s->buf);
    return -1;
  }
  return 0;
}

static void session_close(session *s) {
  repl_close(s->r);
  if (!s->echo) fclose(s->out);
  free(s->buf);
}

/*
** Runs one scripted LINE. A refusal is a fault in the scenario or its
** mapping, so it is an error here: ERR gets the line and the REPL's answer.
*/
static repl_status session_run(session *s, const char *line, char *err, size_t errlen) {
  long before = s->echo ? 0 : ftell(s->out);
  repl_status status = repl_execute(s->r, line, strlen(line));
  if (status == REPL_FAILED) {
    const char *answer = "";
    if (!s->echo && fflush(s->out) == 0 && before >= 0 && (size_t)before < s->size)
      answer = s->buf + before;
    snprintf(err, errlen, "%s: %.*s", line, (int)strcspn(answer, "\n"), answer);
  }
  if (!s->echo && s->size > 65536) rewind(s->out);   /* keep the buffer small across many lines */
  return status;
}

/* Runs each string of the Lua list at the top of the stack (popped). */
static int run_list(trainer *t, session *s, char *err, size_t errlen) {
  lua_State *L = sandbox_state(t->sb);
  lua_Integer n = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0;
  int status = 0;
  for (lua_Integer i = 1; i <= n && status == 0; i++) {
    lua_rawgeti(L, -1, i);
    char *line = strdup(lua_isstring(L, -1) ? lua_tostring(L, -1) : "");
    lua_pop(L, 1);
    if (line == NULL) {
      snprintf(err, errlen, "%s", _("host.out_of_memory"));
      status = -1;
    } else {
      if (session_run(s, line, err, errlen) == REPL_FAILED) status = -1;
      free(line);
    }
  }
  lua_pop(L, 1);
  return status;
}

/* Prints each string of the Lua list at the top of the stack (popped). */
static void print_list(trainer *t) {
  lua_State *L = sandbox_state(t->sb);
  lua_Integer n = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0;
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, -1, i);
    printf("%s\n", lua_isstring(L, -1) ? lua_tostring(L, -1) : "");
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* The intro: children, people and the scenario marker. */
static int play_intro(trainer *t, session *s, char *err, size_t errlen) {
  lua_State *L = trainer_function(t, "intro");
  lua_rawgeti(L, LUA_REGISTRYINDEX, t->plan);
  if (trainer_call(t, 1, 1, err, errlen) != 0) return -1;
  return run_list(t, s, err, errlen);
}

/*
** What happens in the conference's current section: prints what the others
** say when SHOW, records the simulated chair's commands. Returns 1 in the
** agenda's last section, 0 otherwise, -1 on error.
*/
static int play_section(trainer *t, session *s, model_conference *conf, int show,
                        char *err, size_t errlen) {
  lua_State *L = trainer_function(t, "section");
  lua_rawgeti(L, LUA_REGISTRYINDEX, t->plan);
  push_conference(t, conf);
  lua_pushstring(L, conf->section != NULL ? conf->section : "");
  if (trainer_call(t, 3, 1, err, errlen) != 0) return -1;
  lua_getfield(L, -1, "last");
  int last = lua_toboolean(L, -1);
  lua_pop(L, 1);
  lua_getfield(L, -1, "said");
  if (show) print_list(t);
  else lua_pop(L, 1);
  lua_getfield(L, -1, "commands");
  lua_remove(L, -2);
  if (run_list(t, s, err, errlen) != 0) return -1;
  return last;
}

/* Plays the whole current plan on CONF unattended, then closes the conference. */
static int play_all(trainer *t, session *s, model_conference *conf, char *err, size_t errlen) {
  if (play_intro(t, s, err, errlen) != 0) return -1;
  for (;;) {
    int last = play_section(t, s, conf, 0, err, errlen);
    if (last < 0) return -1;
    if (last) break;
    if (session_run(s, "next!", err, errlen) == REPL_FAILED) return -1;
  }
  return session_run(s, "end!", err, errlen) == REPL_FINISHED ? 0
         : (snprintf(err, errlen, "%s", _("training.not_closed")), -1);
}

/* }====== */

/* ** {====== Options ====== */

static int parse(const char *command, int argc, char **argv, options *o) {
  static const struct option long_options[] = {
    {"db", required_argument, NULL, 'd'},    {"authority", required_argument, NULL, 'a'},
    {"as", required_argument, NULL, 'r'},    {"seed", required_argument, NULL, 's'},
    {"count", required_argument, NULL, 'n'}, {"json", no_argument, NULL, 'j'},
    {"scenario", required_argument, NULL, 'c'}, {NULL, 0, NULL, 0}};
  *o = (options){.authority = DEFAULT_AUTHORITY, .format = "markdown", .seed = 1, .count = 0};
  int opt;
  optind = 1;
  opterr = 0;
  while ((opt = getopt_long(argc, argv, ":", long_options, NULL)) != -1) {
    char *end = NULL;
    switch (opt) {
    case 'd': o->db = optarg; break;
    case 'a': o->authority = optarg; break;
    case 'r': o->role = optarg; break;
    case 'j': o->format = "json"; break;
    case 'c': o->scenario = optarg; break;
    case 's':
    case 'n': {
      errno = 0;   /* past LONG_MAX strtol gives LONG_MAX: another seed than the one asked for */
      long v = strtol(optarg, &end, 10);
      if (end == optarg || *end != '\0' || errno == ERANGE || v < 0 || (opt == 'n' && v < 1))
        return cli_usage_error(command, _("training.bad_number"), opt == 's' ? "--seed" : "--count", optarg);
      if (opt == 's') o->seed = v;
      else o->count = v;
      break;
    }
    case ':': return cli_usage_error(command, _("training.needs_value"), argv[optind - 1]);
    default: return cli_usage_error(command, _("cli.unknown_option"), cli_refused_word(argc, argv));
    }
  }
  if (argc - optind != 1) return cli_usage_error(command, "%s", _("training.one_operand"));
  return 0;
}

static int open_store(const char *db, store **st) {
  char path[PATH_MAX], err[1024];
  if (store_default_path(db, path, sizeof path, err, sizeof err) != 0 ||
      store_open(path, st, err, sizeof err) != 0)
    return cli_fail("%s", err);
  return 0;
}

/* }====== */

/* ** {====== confer simulate ====== */

/*
** The digest a `--count` line ends with: BLAKE2b over the kind and payload
** text of each event the conference's store writes, as stored. The model is
** made from exactly these, so equal digests mean equal conferences. Left out
** are the payloads of the opening and the closing, which hold what varies by
** run and not by seed: the conference's number, the chair's name, the time.
*/
static void put_digest_field(crypto_generichash_state *h, const char *text) {
  size_t len = strlen(text);
  unsigned char prefix[8];
  for (int i = 0; i < 8; i++) prefix[i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
  crypto_generichash_update(h, prefix, sizeof prefix);
  crypto_generichash_update(h, (const unsigned char *)text, len);
}

static void digest_event(void *ud, const char *kind, const char *payload_text) {
  int varies = strcmp(kind, "conference.opened") == 0 || strcmp(kind, "conference.closed") == 0;
  put_digest_field(ud, kind);
  put_digest_field(ud, varies ? "" : payload_text);
}

/*
** Writes the current plan as one conference on AG into ST, in one batch
** (written whole or not at all: a refused line abandons it); *CONF gets the
** conference (NULL if none was made).
*/
static int write_simulated(trainer *t, store *st, agenda *ag, const options *o, const char *actor,
                           model_conference **conf, char *err, size_t errlen) {
  char type[32], date[32];
  if (store_batch_begin(st, err, errlen) != 0) return -1;
  if (store_create_conference(st, o->authority, plan_field(t, "type", type, sizeof type),
                              plan_field(t, "date", date, sizeof date), actor, conf,
                              err, errlen) != 0) {
    store_batch_abandon(st);
    return -1;
  }
  session s;
  int status = session_open(&s, st, *conf, ag, actor, 0, err, errlen);
  if (status == 0) {
    status = play_all(t, &s, *conf, err, errlen);
    session_close(&s);
  }
  release_conference(t);
  if (status == 0) return store_batch_end(st, err, errlen);
  store_batch_abandon(st);
  return -1;
}

/*
** Simulates one conference (VARIANT 0: as written) on the authority's agenda
** AG; prints its record, or with --count its digest line.
*/
static int simulate_one(trainer *t, store *st, agenda *ag, const options *o, const char *scenario,
                        long variant, const char *actor, char *err, size_t errlen) {
  if (start_plan(t, scenario, o->authority, "simulate", o->seed, variant, err, errlen) != 0) return -1;
  crypto_generichash_state digest;
  crypto_generichash_init(&digest, NULL, 0, DIGEST_BYTES);
  if (o->count > 0) store_listen(st, digest_event, &digest);
  model_conference *conf = NULL;
  int status = write_simulated(t, st, ag, o, actor, &conf, err, errlen);
  store_listen(st, NULL, NULL);
  if (status == 0 && o->count > 0) {
    unsigned char hash[DIGEST_BYTES];
    char hex[2 * DIGEST_BYTES + 1];
    crypto_generichash_final(&digest, hash, sizeof hash);
    printf("%ld %s %s %s\n", variant, scenario, o->authority,
           sodium_bin2hex(hex, sizeof hex, hash, sizeof hash));
  } else if (status == 0) {
    char *record = call_for_text(t, "record", conf, NULL, err, errlen);
    if (record == NULL) status = -1;
    else {
      printf(_("training.simulated"), conf->id);
      printf("\n\n%s", record);
    }
    free(record);
  }
  model_free(conf);
  return status;
}

int cmd_simulate(int argc, char **argv) {
  options o;
  int status = parse("simulate", argc, argv, &o);
  if (status != 0) return status;
  if (o.role != NULL || o.scenario != NULL)
    return cli_usage_error("simulate", _("cli.unknown_option"), o.role != NULL ? "--as" : "--scenario");
  trainer t;
  store *st;
  char err[1024];
  if (trainer_open(&t, err, sizeof err) != 0) return cli_fail("%s", err);
  if (open_store(o.db, &st) != 0) {
    trainer_close(&t);
    return 1;
  }
  /* One agenda for every conference: loading the plugin each time was most of the cost. */
  agenda *ag = agenda_load(o.authority, err, sizeof err);
  if (ag == NULL) status = cli_fail("%s", err);
  else if (strcmp(agenda_id(ag), o.authority) != 0) {   /* a plugin file: each loads its own */
    agenda_free(ag);
    ag = NULL;
  }
  const char *actor = cli_actor(NULL);
  long n = o.count > 0 ? o.count : 1;
  for (long i = 1; i <= n && status == 0; i++)
    if (simulate_one(&t, st, ag, &o, argv[optind], o.count > 0 ? i : 0, actor, err,
                     sizeof err) != 0)
      status = cli_fail("%s", err);
  agenda_free(ag);
  store_close(st);
  trainer_close(&t);
  return status;
}

/* }====== */

/* ** {====== confer train ====== */

/* Reads one line from the terminal (with a prompt, EL's editing) or stdin; NULL at end of input. */
static char *read_line(const editline_api *el, const model_conference *conf) {
  if (el != NULL) {
    char prompt[256];
    snprintf(prompt, sizeof prompt, "[%s] %s> ", conf->section != NULL ? conf->section : "",
             _("training.prompt"));
    char *line = el->readline(prompt);
    if (line != NULL && line[0] != '\0') el->add_history(line);
    return line;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t n = getline(&line, &cap, stdin);
  if (n < 0) {
    free(line);
    return NULL;
  }
  if (n > 0 && line[n - 1] == '\n') line[n - 1] = '\0';
  return line;
}

/* Prints the debrief of CONF (scenario NAME) as Markdown or JSON. */
static int print_debrief(trainer *t, model_conference *conf, const char *name, const char *format,
                         char *err, size_t errlen) {
  const char *formatter = strcmp(format, "json") == 0 ? "json" : "markdown";
  lua_State *L = trainer_function(t, formatter);
  lua_rawgeti(L, LUA_REGISTRYINDEX, t->module);
  lua_getfield(L, -1, "debrief");
  lua_remove(L, -2);
  api_push_conference(L, conf);
  lua_pushstring(L, name);
  if (trainer_call(t, 2, 1, err, errlen) != 0) {
    lua_pop(L, 1);
    return -1;
  }
  if (trainer_call(t, 1, 1, err, errlen) != 0) return -1;
  const char *text = lua_tostring(L, -1);
  if (text != NULL) fputs(text, stdout);
  else snprintf(err, errlen, "%s: %s", formatter, _("training.no_text"));
  lua_pop(L, 1);
  return text != NULL ? 0 : -1;
}

/* The trainee's loop: others speak at each new section, the trainee types. */
static int train_loop(trainer *t, session *s, model_conference *conf, char *err, size_t errlen) {
  const editline_api *el = NULL;   /* only a trainee at a terminal edits lines */
  if (isatty(STDIN_FILENO) && (el = editline_open(err, errlen)) == NULL) return -1;
  char *shown = NULL;
  int failures = 0;
  for (;;) {
    if (conf->section != NULL && (shown == NULL || strcmp(shown, conf->section) != 0)) {
      free(shown);
      shown = strdup(conf->section);
      if (shown == NULL) snprintf(err, errlen, "%s", _("host.out_of_memory"));
      if (shown == NULL || play_section(t, s, conf, 1, err, errlen) < 0) {
        free(shown);
        return -1;
      }
    }
    char *line = read_line(el, conf);
    if (line == NULL) break;
    repl_status status = repl_execute(s->r, line, strlen(line));
    free(line);
    if (status == REPL_FAILED) failures++;
    if (status == REPL_FINISHED) break;
  }
  free(shown);
  return failures > 0;
}

int cmd_train(int argc, char **argv) {
  options o;
  int status = parse("train", argc, argv, &o);
  if (status != 0) return status;
  if (o.role == NULL) return cli_usage_error("train", "%s", _("training.needs_role"));
  if (o.count > 0 || o.scenario != NULL)
    return cli_usage_error("train", _("cli.unknown_option"), o.count > 0 ? "--count" : "--scenario");
  trainer t;
  store *st;
  char err[1024], type[32], date[32];
  if (trainer_open(&t, err, sizeof err) != 0) return cli_fail("%s", err);
  if (open_store(o.db, &st) != 0) {
    trainer_close(&t);
    return 1;
  }
  const char *actor = cli_actor(NULL), *name = argv[optind];
  model_conference *conf = NULL;
  session s;
  if (start_plan(&t, name, o.authority, o.role, o.seed, 0, err, sizeof err) != 0 ||
      store_create_conference(st, o.authority, plan_field(&t, "type", type, sizeof type),
                              plan_field(&t, "date", date, sizeof date), actor, &conf,
                              err, sizeof err) != 0 ||
      session_open(&s, st, conf, NULL, actor, 1, err, sizeof err) != 0) {
    status = cli_fail("%s", err);
  } else {
    if (play_intro(&t, &s, err, sizeof err) != 0) status = cli_fail("%s", err);
    else if ((status = train_loop(&t, &s, conf, err, sizeof err)) < 0) status = cli_fail("%s", err);
    session_close(&s);
    release_conference(&t);
    if (status >= 0 && print_debrief(&t, conf, name, o.format, err, sizeof err) != 0)
      status = cli_fail("%s", err);
  }
  model_free(conf);
  store_close(st);
  trainer_close(&t);
  return status;
}

/* }====== */

/* ** {====== confer debrief / confer check ====== */

/* Opens the store and loads conference ARGV[optind]; 0, or 1 with the error printed. */
static int load_conference(const options *o, const char *id, trainer *t, store **st,
                           model_conference **conf) {
  char err[1024];
  if (trainer_open(t, err, sizeof err) != 0) return cli_fail("%s", err);
  if (open_store(o->db, st) != 0) {
    trainer_close(t);
    return 1;
  }
  if (store_load(*st, id, conf, err, sizeof err) != 0) {
    store_close(*st);
    trainer_close(t);
    return cli_fail("%s", err);
  }
  return 0;
}

int cmd_debrief(int argc, char **argv) {
  options o;
  int status = parse("debrief", argc, argv, &o);
  if (status != 0) return status;
  if (o.role != NULL || o.count > 0)
    return cli_usage_error("debrief", _("cli.unknown_option"), o.role != NULL ? "--as" : "--count");
  trainer t;
  store *st;
  model_conference *conf;
  if (load_conference(&o, argv[optind], &t, &st, &conf) != 0) return 1;
  char err[1024], *name = NULL;
  /* scenario_of failing is its error; only a nil answer means the conference was not played. */
  if (o.scenario != NULL) {
    if ((name = strdup(o.scenario)) == NULL) status = cli_fail("%s", _("host.out_of_memory"));
  } else if (call_for_optional_text(&t, "scenario_of", conf, NULL, &name, err, sizeof err) != 0) {
    status = cli_fail("%s", err);
  } else if (name == NULL) {
    status = cli_fail(_("training.no_scenario"), conf->id);
  }
  if (status == 0 && print_debrief(&t, conf, name, o.format, err, sizeof err) != 0) status = cli_fail("%s", err);
  free(name);
  model_free(conf);
  store_close(st);
  trainer_close(&t);
  return status;
}

int cmd_check(int argc, char **argv) {
  options o;
  int status = parse("check", argc, argv, &o);
  if (status != 0) return status;
  if (o.role != NULL || o.count > 0 || o.scenario != NULL || strcmp(o.format, "json") == 0)
    return cli_usage_error("check", _("cli.unknown_option"), "--as/--count/--scenario/--json");
  trainer t;
  store *st;
  model_conference *conf;
  if (load_conference(&o, argv[optind], &t, &st, &conf) != 0) return 1;
  char err[1024];
  lua_State *L = trainer_function(&t, "check_lines");
  api_push_conference(L, conf);
  if (trainer_call(&t, 1, 1, err, sizeof err) != 0) {
    status = cli_fail("%s", err);
  } else {
    lua_Integer n = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0;
    print_list(&t);
    status = n > 0;
  }
  model_free(conf);
  store_close(st);
  trainer_close(&t);
  return status;
}

/* }====== */
