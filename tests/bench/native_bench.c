/*
** native_bench.c — a bound native call against a plain lua_CFunction.
**
** Both do the same work (t_bench in tests/native/testlib.c: the sum of a
** string's bytes plus N) and are called the same number of times from the
** same Lua loop in one sandbox, so the difference is the cost of native's
** argument checks, conversion and ffi_call. Prints each time per call and
** the ratio native/plain (the goal is within 2x). The two loops are timed
** in turn ROUNDS times and each is reported by its fastest round, with its
** slowest beside it: on a shared machine a neighbour can only slow a round
** down, so one round of each said as much about the neighbours as the code.
**   ./tests/native_bench [CALLS]     (default 1000000)
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>

#include "bench_util.h"
#include "native.h"
#include "sandbox.h"

/* The plain binding: the same checks a careful hand-written binding makes. */
static int plain_bench(lua_State *L) {
  const char *s = luaL_checkstring(L, 1);
  lua_Integer n = luaL_checkinteger(L, 2);
  int sum = (int)n;
  for (; *s != '\0'; s++) sum += (unsigned char)*s;
  lua_pushinteger(L, sum);
  return 1;
}

#define ROUNDS 5

/* Runs the loop calling global NAME CALLS times; returns seconds, or -1. */
static double time_loop(sandbox *sb, const char *name, long calls) {
  char code[256], err[1024];
  snprintf(code, sizeof code,
           "local f, s = %s, 'conference-0042'\n"
           "local acc = 0\n"
           "for i = 1, %ld do acc = acc + f(s, 1) end\n"
           "return acc", name, calls);
  if (sandbox_loadstring(sb, code, strlen(code), "=bench", err, sizeof err) != 0) {
    fprintf(stderr, "native_bench: %s\n", err);
    return -1;
  }
  double start = bench_seconds();
  if (sandbox_pcall(sb, 0, 1, err, sizeof err) != 0) {
    fprintf(stderr, "native_bench: %s\n", err);
    return -1;
  }
  double elapsed = bench_seconds() - start;
  lua_pop(sandbox_state(sb), 1);
  return elapsed;
}

int main(int argc, char **argv) {
  long calls = argc > 1 ? atol(argv[1]) : 1000000;
  if (calls <= 0) {
    fprintf(stderr, "usage: native_bench [CALLS]\n");
    return 2;
  }
  char dir[] = "/tmp/confer-native-bench-XXXXXX", conf[128], err[1024];
  if (mkdtemp(dir) == NULL) return perror("mkdtemp"), 1;
  snprintf(conf, sizeof conf, "%s/native.conf", dir);
  FILE *f = fopen(conf, "w");
  if (f == NULL) return perror(conf), 1;
  fprintf(f, "%s | int t_bench(const char *s, int n)\n", NATIVE_TESTLIB);
  fclose(f);
  chmod(conf, 0600);
  native_set_config(conf);

  sandbox_limits limits = {.memory_bytes = 0, .instructions = (unsigned long)calls * 20 + 1000};
  const char *const path[] = {NULL};
  sandbox *sb = sandbox_new(&limits, path, err, sizeof err);
  if (sb == NULL) return fprintf(stderr, "native_bench: %s\n", err), 1;
  native_open(sb);
  lua_State *L = sandbox_state(sb);
  sandbox_push_env(sb);
  lua_pushcfunction(L, plain_bench);
  lua_setfield(L, -2, "plain");
  lua_pop(L, 1);
  static const char bind[] =
    "bound = native.bind('" NATIVE_TESTLIB "', 't_bench', 'int t_bench(const char *s, int n)')";
  int status = 1;
  if (sandbox_loadstring(sb, bind, strlen(bind), "=bind", err, sizeof err) != 0 ||
      sandbox_pcall(sb, 0, 0, err, sizeof err) != 0) {
    fprintf(stderr, "native_bench: %s\n", err);
  } else {
    /* Warm up both, then time each in turn, keeping each one's fastest and slowest round. */
    time_loop(sb, "plain", calls / 10 + 1);
    time_loop(sb, "bound", calls / 10 + 1);
    double plain = -1, bound = -1, plain_slowest = 0, bound_slowest = 0;
    int failed = 0;
    for (int round = 0; round < ROUNDS && !failed; round++) {
      double p = time_loop(sb, "plain", calls), b = time_loop(sb, "bound", calls);
      failed = p <= 0 || b <= 0;
      if (plain < 0 || p < plain) plain = p;
      if (bound < 0 || b < bound) bound = b;
      if (p > plain_slowest) plain_slowest = p;
      if (b > bound_slowest) bound_slowest = b;
    }
    if (!failed) {
      double ns = 1e9 / (double)calls;
      printf("calls            %ld (fastest of %d rounds, slowest in brackets)\n", calls, ROUNDS);
      printf("lua_CFunction    %.1f ns/call (%.1f)\n", plain * ns, plain_slowest * ns);
      printf("native.bind      %.1f ns/call (%.1f)\n", bound * ns, bound_slowest * ns);
      printf("ratio            %.2f (goal: at most 2)\n", bound / plain);
      status = 0;
    }
  }
  sandbox_free(sb);
  unlink(conf);
  rmdir(dir);
  return status;
}
