/*
** simulate_bench.c — conferences simulated per second with
** `confer simulate --count N --db :memory:`, against replaying the same
** events straight into the store.
**
**   simulate_bench [N [SCENARIO [RUNS]]]   N conferences (default 1000) of SCENARIO
**                                          (default neglect), each side timed RUNS times (default 3)
**
** The simulation runs the whole path: the scenario and model answer in Lua,
** each statement a REPL command (parse, the authority's validation in its
** sandbox, store_append, the model), one agenda loaded for the run. The
** baseline takes the events of one simulated conference and appends them N
** times with store_append into another in-memory store: no Lua, no REPL. The
** goal is 2,000 simulated conferences a second. The two sides run in turn
** RUNS times and each is reported by its fastest run (with the slowest
** beside it): on a shared machine a run can only be slowed by others, never
** sped up, so the fastest is the closest to what the code costs. A
** benchmark, not a test: it exits 0 unless it cannot run.
*/
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "cli.h"
#include "i18n.h"
#include "paths.h"
#include "store.h"

/* Runs `confer simulate --count N` with its output thrown away; seconds, or -1. */
static double time_simulate(const char *n, const char *scenario) {
  char *argv[] = {"simulate", "--db", ":memory:", "--count", (char *)n, "--seed", "1",
                  (char *)scenario, NULL};
  fflush(stdout);
  FILE *saved = stdout;
  FILE *null = fopen("/dev/null", "w");
  if (null == NULL) return -1;
  stdout = null;
  double start = bench_seconds();
  int status = cmd_simulate(8, argv);
  double elapsed = bench_seconds() - start;
  stdout = saved;
  fclose(null);
  return status == 0 ? elapsed : -1;
}

/* Appends the events of SOURCE (after conference.opened) N times into a fresh store. */
static double time_replay(const model_conference *source, long n, long *events) {
  store *st;
  char err[1024], id[16];
  if (store_open(":memory:", &st, err, sizeof err) != 0) return fprintf(stderr, "%s\n", err), -1;
  double start = bench_seconds();
  *events = 0;
  for (long i = 0; i < n; i++) {
    model_conference *conf;
    if (store_create_conference(st, source->authority, source->type, source->date, "bench", &conf,
                                err, sizeof err) != 0)
      return fprintf(stderr, "%s\n", err), store_close(st), -1;
    for (size_t e = 1; e < source->n_events; e++) {
      const model_event *ev = &source->events[e];
      if (store_append(st, conf, ev->kind, ev->payload, "bench", id, sizeof id, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        model_free(conf);
        store_close(st);
        return -1;
      }
      (*events)++;
    }
    model_free(conf);
  }
  double elapsed = bench_seconds() - start;
  store_close(st);
  return elapsed;
}

/* One simulated conference, loaded back from a store file in DIR. */
static model_conference *one_conference(const char *scenario, const char *path) {
  char *argv[] = {"simulate", "--db", (char *)path, (char *)scenario, NULL};
  FILE *saved = stdout, *null = fopen("/dev/null", "w");
  if (null == NULL) return NULL;
  stdout = null;
  int status = cmd_simulate(4, argv);
  stdout = saved;
  fclose(null);
  store *st;
  model_conference *conf = NULL;
  char err[1024];
  if (status != 0 || store_open(path, &st, err, sizeof err) != 0) return NULL;
  if (store_load(st, "1", &conf, err, sizeof err) != 0) fprintf(stderr, "%s\n", err);
  store_close(st);
  return conf;
}

int main(int argc, char **argv) {
  const char *n = argc > 1 ? argv[1] : "1000", *scenario = argc > 2 ? argv[2] : "neglect";
  long count = strtol(n, NULL, 10), runs = argc > 3 ? strtol(argv[3], NULL, 10) : 3;
  char locales[PATH_MAX], err[512], path[] = "/tmp/simulate_bench_XXXXXX";
  if (count < 1 || runs < 1) return fprintf(stderr, "simulate_bench: N and RUNS must be at least 1\n"), 1;
  if (paths_join(locales, sizeof locales, paths_data_dir(), "locales") == NULL ||
      i18n_init(locales, "en_GB", err, sizeof err) != 0)
    return fprintf(stderr, "simulate_bench: %s\n", err), 1;
  int fd = mkstemp(path);
  if (fd < 0) return perror("simulate_bench"), 1;
  close(fd);
  remove(path);
  model_conference *source = one_conference(scenario, path);
  remove(path);
  if (source == NULL) return fprintf(stderr, "simulate_bench: the scenario did not simulate\n"), 1;
  long events = 0;
  double simulated = -1, replayed = -1, slowest_simulated = 0, slowest_replayed = 0;
  for (long run = 0; run < runs; run++) {
    double s = time_simulate(n, scenario), r = time_replay(source, count, &events);
    if (s < 0 || r < 0) {
      simulated = replayed = -1;
      break;
    }
    if (simulated < 0 || s < simulated) simulated = s;
    if (replayed < 0 || r < replayed) replayed = r;
    if (s > slowest_simulated) slowest_simulated = s;
    if (r > slowest_replayed) slowest_replayed = r;
  }
  model_free(source);
  i18n_free();
  if (simulated < 0 || replayed < 0) return fprintf(stderr, "simulate_bench: a run failed\n"), 1;
  printf("simulate %ld x %s: %.3f s, %.0f conferences/s (goal 2000; fastest of %ld runs, slowest %.0f/s)\n",
         count, scenario, simulated, count / simulated, runs, count / slowest_simulated);
  printf("replay   %ld events straight into the store: %.3f s, %.0f conferences/s (slowest %.0f/s)\n",
         events, replayed, count / replayed, count / slowest_replayed);
  printf("simulation costs %.1f x the replay\n", simulated / replayed);
  return 0;
}
