/*
** record_bench.c — records rendered per second, Markdown and HTML.
**
**   ./tests/record_bench [ENTRIES]     (default 200)
**
** Builds an in-memory Sefton conference with ENTRIES mapped entries (worries
** and strengths alternating, each with a kind and a source) plus children,
** people, scales, a decision and one action per ten worries, then renders the
** room's record through scripts/render/ in the agenda's sandbox, as `confer
** record` does, for about a second per format. Prints one line per format.
*/
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>

#include "bench_util.h"
#include "agenda.h"
#include "api.h"
#include "i18n.h"
#include "model.h"
#include "paths.h"

/* Applies one event given as JSON text; exits on failure (a bench has no recovery). */
static void apply(model_conference *conf, const char *kind, const char *payload) {
  char err[512], id[16];
  json_error_t jerr;
  json_t *p = json_loads(payload, 0, &jerr);
  if (p == NULL || model_apply(conf, kind, p, NULL, NULL, id, sizeof id, err, sizeof err) != 0) {
    fprintf(stderr, "record_bench: %s %s: %s\n", kind, payload, p == NULL ? jerr.text : err);
    exit(1);
  }
  json_decref(p);
}

static model_conference *build(int entries) {
  model_conference *conf = model_new();
  if (conf == NULL) exit(1);
  char buf[1024];
  apply(conf, "conference.opened", "{\"id\":\"1\",\"authority\":\"sefton\",\"type\":\"initial\","
                                   "\"date\":\"2025-04-07\",\"chair\":\"Chair Example\"}");
  apply(conf, "child.added", "{\"name\":\"Mia Examplar\",\"dob\":\"2016-03-14\"}");
  apply(conf, "person.added", "{\"name\":\"Kim Examplar\",\"role\":\"mother\",\"agency\":\"family\"}");
  apply(conf, "person.added", "{\"name\":\"Alex Testcase\",\"role\":\"social worker\",\"agency\":\"children's services\"}");
  for (int i = 1; i <= entries; i++) {
    int worry = i % 2;
    snprintf(buf, sizeof buf, "{\"column\":\"%s\",\"category\":\"%s\",\"text\":\"Entry %d: what was "
             "said in the room about the children's day-to-day care & safety <at home>\","
             "\"kind\":\"observation\",\"source\":\"Alex Testcase\"}",
             worry ? "worried" : "working_well", worry ? "past_harm" : "existing_strengths", i);
    apply(conf, "entry.mapped", buf);
  }
  apply(conf, "danger.added", "{\"text\":\"Mia will be left alone at night\"}");
  apply(conf, "goal.added", "{\"text\":\"An adult Mia knows is with her every night\"}");
  apply(conf, "scale.given", "{\"who\":\"Alex Testcase\",\"score\":3,\"why\":\"recent\"}");
  apply(conf, "scale.given", "{\"who\":\"iro\",\"score\":4}");
  apply(conf, "decision.made", "{\"plan\":\"cp\",\"categories\":[\"neglect\"]}");
  for (int w = 1; w <= entries / 2; w += 10) {
    snprintf(buf, sizeof buf, "{\"text\":\"Action for W%d\",\"owner\":\"Kim Examplar\",\"due\":\"2025-05-01\","
             "\"worries\":[\"W%d\"],\"outcome\":\"Mia is safe\"}", w, w);
    apply(conf, "action.added", buf);
  }
  return conf;
}

/* Renders the room's record in FORMAT once; returns its length. */
static size_t render(agenda *ag, model_conference *conf, const char *format) {
  sandbox *sb = agenda_sandbox(ag);
  lua_State *L = sandbox_state(sb);
  char err[1024];
  static const char code[] = "return require('render.record').render";
  if (sandbox_loadstring(sb, code, sizeof code - 1, "=bench", err, sizeof err) != 0 ||
      sandbox_pcall(sb, 0, 1, err, sizeof err) != 0) {
    fprintf(stderr, "record_bench: %s\n", err);
    exit(1);
  }
  agenda_push(ag);
  api_push_conference(L, conf);
  lua_createtable(L, 0, 3);
  lua_pushstring(L, format);
  lua_setfield(L, -2, "format");
  lua_pushstring(L, "room");
  lua_setfield(L, -2, "audience");
  lua_pushstring(L, "en_GB");
  lua_setfield(L, -2, "lang");
  if (sandbox_pcall(sb, 3, 2, err, sizeof err) != 0) {
    fprintf(stderr, "record_bench: %s\n", err);
    exit(1);
  }
  size_t len = lua_rawlen(L, -2);
  lua_pop(L, 2);
  return len;
}

int main(int argc, char **argv) {
  int entries = argc > 1 ? atoi(argv[1]) : 200;
  if (entries < 2 || entries > 10000) {
    fprintf(stderr, "usage: record_bench [ENTRIES from 2 to 10000]\n");
    return 2;
  }
  char locales[PATH_MAX], err[1024];
  if (paths_join(locales, sizeof locales, paths_data_dir(), "locales") == NULL ||
      i18n_init(locales, "en_GB", err, sizeof err) != 0) {
    fprintf(stderr, "record_bench: %s\n", err);
    return 1;
  }
  agenda *ag = agenda_load("sefton", err, sizeof err);
  if (ag == NULL) {
    fprintf(stderr, "record_bench: %s\n", err);
    return 1;
  }
  model_conference *conf = build(entries);
  printf("%-6s %10s %12s %14s\n", "format", "records", "bytes each", "records/s");
  static const char *const formats[] = {"md", "html"};
  for (int f = 0; f < 2; f++) {
    render(ag, conf, formats[f]);  /* warm: modules loaded once per sandbox */
    size_t bytes = 0;
    int n = 0;
    double start = bench_seconds(), elapsed;
    do {
      bytes = render(ag, conf, formats[f]);
      n++;
      elapsed = bench_seconds() - start;
    } while (elapsed < 1.0);
    printf("%-6s %10d %12zu %14.1f\n", formats[f], n, bytes, n / elapsed);
  }
  model_free(conf);
  agenda_free(ag);
  i18n_free();
  return 0;
}
