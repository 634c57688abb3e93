/*
** api_bench.c — a host API call from Lua against a bare lua_CFunction.
**
**   ./tests/api_bench [CALLS]     (default 2000000)
**
** In one script sandbox (as `confer lua` makes it), the same Lua loop calls
** conf:count("worried") on an in-memory conference, confer.text(KEY) and a
** bare lua_CFunction that returns a constant, CALLS times each; the ratio
** of each API call to the bare call is the cost of the host's checks and
** lookups (the best of seven rounds, each timing every call). Prints one row per call and "summary|..." rows for
** tests/bench/run (the goal is at most 1.5x). Exits 0 unless it cannot run.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>

#include "bench_util.h"
#include "agenda.h"
#include "i18n.h"
#include "paths.h"
#include "sandbox.h"

/* The baseline: a C function that does no work at all. */
static int bare(lua_State *L) {
  lua_pushinteger(L, 0);
  return 1;
}

/* Runs CALL (a Lua expression over conf) CALLS times in a loop; returns seconds, or -1. */
static double time_loop(sandbox *sb, const char *call, long calls) {
  char code[512], err[512];
  snprintf(code, sizeof code,
           "local conf = confer.conference{authority = 'sefton', type = 'initial', date = '2025-03-03'}\n"
           "local r\nfor i = 1, %ld do r = %s end\nreturn r", calls, call);
  if (sandbox_loadstring(sb, code, strlen(code), "=api_bench", err, sizeof err) != 0) {
    fprintf(stderr, "api_bench: %s\n", err);
    return -1;
  }
  double start = bench_cpu_seconds();
  if (sandbox_pcall(sb, 0, 0, err, sizeof err) != 0) {
    fprintf(stderr, "api_bench: %s\n", err);
    return -1;
  }
  return bench_cpu_seconds() - start;
}

int main(int argc, char **argv) {
  long calls = argc > 1 ? strtol(argv[1], NULL, 10) : 2000000;
  char locales[4096], err[512];
  if (calls < 1000 || calls > 1000000000L) {
    fprintf(stderr, "usage: api_bench [CALLS from 1000 to 1000000000]\n");
    return 2;
  }
  if (paths_join(locales, sizeof locales, paths_data_dir(), "locales") == NULL ||
      i18n_init(locales, "en_GB", err, sizeof err) != 0) {
    fprintf(stderr, "api_bench: %s\n", err);
    return 1;
  }
  sandbox *sb = agenda_script_sandbox(err, sizeof err);
  if (sb == NULL) return fprintf(stderr, "api_bench: %s\n", err), 1;
  lua_State *L = sandbox_state(sb);
  sandbox_push_env(sb);
  lua_pushcfunction(L, bare);
  lua_setfield(L, -2, "bare");
  lua_pop(L, 1);
  static const char *const api_calls[][2] = {
    {"conf:count", "conf:count('worried')"},
    {"confer.text", "confer.text('repl.end_checks')"},
  };
  int status = 0;
  /*
  ** Rounds that time the bare call and each API call one after the other, so
  ** a busy spell of the machine falls on all of them; the best of each.
  */
  enum { N_CALLS = sizeof api_calls / sizeof api_calls[0], ROUNDS = 7 };
  double base = -1, best[N_CALLS];
  for (size_t i = 0; i < N_CALLS; i++) best[i] = -1;
  for (int round = 0; round < ROUNDS; round++) {
    double t = time_loop(sb, "bare(conf, 'worried')", calls);
    if (t < 0) return 1;
    if (base < 0 || t < base) base = t;
    for (size_t i = 0; i < N_CALLS; i++) {
      t = time_loop(sb, api_calls[i][1], calls);
      if (t < 0) return 1;
      if (best[i] < 0 || t < best[i]) best[i] = t;
    }
  }
  printf("%-14s %12s %8s\n", "call", "ns/call", "ratio");
  printf("%-14s %12.1f %8s\n", "bare C", base * 1e9 / (double)calls, "1.00");
  for (size_t i = 0; i < N_CALLS; i++) {
    double ratio = best[i] / base;
    printf("%-14s %12.1f %8.2f\n", api_calls[i][0], best[i] * 1e9 / (double)calls, ratio);
    printf("summary|host API %s vs bare lua_CFunction|%.2fx|<= 1.5x|%s\n", api_calls[i][0], ratio,
           ratio <= 1.5 ? "met" : "missed");
  }
  sandbox_free(sb);
  return status;
}
