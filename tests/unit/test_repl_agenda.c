/*
** test_repl_agenda.c — sessions sharing one loaded agenda
** (repl_open_with_agenda), as `confer simulate --count` runs them: each
** conference records as under repl_open, the agenda outlives the sessions,
** a conference of another authority is refused, and a conference a plugin
** kept from an ended session can no longer be reached.
*/
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agenda.h"
#include "i18n.h"
#include "paths.h"
#include "repl.h"
#include "store.h"
#include "test_util.h"

/* A session's output captured in memory. */
typedef struct capture {
  FILE *out;
  char *text;
  size_t size;
} capture;

/* Runs LINE and returns its output alone (valid until the next call). */
static const char *run(repl *r, capture *c, const char *line, repl_status *status) {
  fflush(c->out);
  long before = ftell(c->out);
  *status = repl_execute(r, line, strlen(line));
  fflush(c->out);
  return c->text + before;
}

static model_conference *create(store *st, const char *authority) {
  model_conference *conf = NULL;
  char err[512];
  if (store_create_conference(st, authority, "initial", "2026-02-02", "Chair Test", &conf,
                              err, sizeof err) != 0)
    fprintf(stderr, "%s\n", err);
  return conf;
}

/* Two conferences in turn on one agenda: both record from their first section. */
static void test_two_sessions(store *st, agenda *ag, capture *c) {
  repl_status status;
  char err[512];
  for (int i = 0; i < 2; i++) {
    model_conference *conf = create(st, "cumbria");
    CHECK(conf != NULL);
    if (conf == NULL) return;
    repl *r = repl_open_with_agenda(st, conf, ag, "Chair Test", c->out, 0, err, sizeof err);
    CHECK(r != NULL);
    if (r != NULL) {
      CHECK_STR(run(r, c, "child Ada Fictional | 2019-02-11", &status), "C1 recorded\n");
      CHECK(status == REPL_DONE);
      CHECK_STR(run(r, c, "= (function() kept = conf end)()", &status), "\n");
      CHECK(status == REPL_DONE);
      repl_close(r);
    }
    CHECK(conf->n_events == 3);   /* opened, the first section entered, the child */
    CHECK_STR(conf->section, "introductions");
    model_free(conf);
  }
}

/* The conference kept by the first session is gone once it ended. */
static void test_kept_conference_released(store *st, agenda *ag, capture *c) {
  repl_status status;
  char err[512];
  model_conference *conf = create(st, "cumbria");
  CHECK(conf != NULL);
  if (conf == NULL) return;
  repl *r = repl_open_with_agenda(st, conf, ag, "Chair Test", c->out, 0, err, sizeof err);
  CHECK(r != NULL);
  if (r != NULL) {
    CHECK_STR(run(r, c, "= kept:count('children')", &status),
              "error: conf:1: this conference is no longer available\n");
    CHECK(status == REPL_FAILED);
    CHECK_STR(run(r, c, "= conf:count('children')", &status), "0\n");
    repl_close(r);
  }
  model_free(conf);
}

/*
** Sessions open at once on one agenda each see their own conference, and a
** session opened after one ended (reusing its helpers) sees its own, not
** the ended one's.
*/
static void test_sessions_at_once(store *st, agenda *ag, capture *c) {
  repl_status status;
  char err[512], expected[64];
  model_conference *confs[3];
  repl *r[3] = {NULL, NULL, NULL};
  for (int i = 0; i < 3; i++) {
    confs[i] = create(st, "cumbria");
    CHECK(confs[i] != NULL);
    if (confs[i] == NULL) return;
  }
  r[0] = repl_open_with_agenda(st, confs[0], ag, "Chair Test", c->out, 0, err, sizeof err);
  r[1] = repl_open_with_agenda(st, confs[1], ag, "Chair Test", c->out, 0, err, sizeof err);
  CHECK(r[0] != NULL && r[1] != NULL);
  if (r[0] != NULL && r[1] != NULL) {
    CHECK_STR(run(r[1], c, "child Bea Example | 2018-03-04", &status), "C1 recorded\n");
    for (int i = 0; i < 2; i++) {
      snprintf(expected, sizeof expected, "%s\t%d\n", confs[i]->id, i);
      CHECK_STR(run(r[i], c, "= conf.id, conf:count('children')", &status), expected);
    }
    repl_close(r[0]);
    r[0] = NULL;
    r[2] = repl_open_with_agenda(st, confs[2], ag, "Chair Test", c->out, 0, err, sizeof err);
    CHECK(r[2] != NULL);
    for (int i = 1; r[2] != NULL && i < 3; i++) {
      snprintf(expected, sizeof expected, "%s\t%d\n", confs[i]->id, i == 1);
      CHECK_STR(run(r[i], c, "= conf.id, conf:count('children')", &status), expected);
    }
    /* The helpers' own use of the conference (H.missing) is the new session's too. */
    if (r[2] != NULL)
      CHECK_STR(run(r[2], c, "next", &status),
                "warning: still to record in Introductions and purpose of the meeting:\n"
                "  - Record the child or children the conference is about first.\n"
                "Record them, or type next! to move on anyway (end lists the gap).\n");
  }
  for (int i = 0; i < 3; i++) {
    repl_close(r[i]);
    model_free(confs[i]);
  }
}

/* A conference of another authority is refused, and nothing is recorded. */
static void test_other_authority(store *st, agenda *ag, capture *c) {
  char err[512] = "";
  model_conference *conf = create(st, "sefton");
  CHECK(conf != NULL);
  if (conf == NULL) return;
  CHECK(repl_open_with_agenda(st, conf, ag, "Chair Test", c->out, 0, err, sizeof err) == NULL);
  char expected[128];
  snprintf(expected, sizeof expected, "conference %s belongs to sefton, not to the agenda cumbria",
           conf->id);
  CHECK_STR(err, expected);
  CHECK(conf->n_events == 1);
  model_free(conf);
}

int main(void) {
  char locales[PATH_MAX], err[512];
  if (paths_join(locales, sizeof locales, paths_data_dir(), "locales") == NULL ||
      i18n_init(locales, "en_GB", err, sizeof err) != 0)
    return fprintf(stderr, "%s\n", err), 1;
  store *st;
  if (store_open(":memory:", &st, err, sizeof err) != 0) return fprintf(stderr, "%s\n", err), 1;
  agenda *ag = agenda_load("cumbria", err, sizeof err);
  capture c = {0};
  c.out = open_memstream(&c.text, &c.size);
  CHECK(ag != NULL && c.out != NULL);
  if (ag != NULL && c.out != NULL) {
    test_two_sessions(st, ag, &c);
    test_kept_conference_released(st, ag, &c);
    test_sessions_at_once(st, ag, &c);
    test_other_authority(st, ag, &c);
  }
  if (c.out != NULL) fclose(c.out);
  free(c.text);
  agenda_free(ag);
  store_close(st);
  i18n_free();
  return TEST_SUMMARY();
}
