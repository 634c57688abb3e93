/*
** process_bench.c — start-up time and peak memory of whole confer processes.
**
**   ./tests/process_bench CONFER [RUNS [DIR]]   (RUNS default 20, DIR default /tmp)
**
** Times are the child's processor time (user + system, from wait4), which
** a busy machine inflates less than wall time.
** Start-up: the median processor time of RUNS runs each of `confer --version` and
** `confer plugins check` (every plugin on the path, contract and checks),
** against `lua5.4 -e ''` timed in the same run (the goal is at most 3x).
** With them, lua5.4 compiling the Lua `plugins check` compiles (the plugins
** and the contract, with loadfile: nothing run), for the floor any check of
** that source in the process has: confer's own start plus that compile.
** Memory: the peak resident set (getrusage's ru_maxrss of the child) of a
** `confer run` that records 200 entries in a new conference in DIR, with
** `lua5.4 -e ''` for scale (the goal is under 8 MB). Prints a table and
** "summary|..." rows for tests/bench/run. Exits 0 unless it cannot run.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <glob.h>
#include <unistd.h>

#include "bench_util.h"

#define MAX_RUNS 1000

static double seconds_of(struct timeval tv) {
  return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/*
** Runs ARGV with stdin from INPUT (NULL: /dev/null) and stdout and stderr to
** /dev/null; sets *SECONDS (its processor time) and *MAXRSS_KB. Returns its exit status,
** or -1 if it could not run or was killed.
*/
static int run(char *const argv[], const char *input, double *seconds, long *maxrss_kb) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int in = open(input != NULL ? input : "/dev/null", O_RDONLY);
    int out = open("/dev/null", O_WRONLY);
    if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0) _exit(126);
    execvp(argv[0], argv);
    _exit(127);
  }
  int status;
  struct rusage usage;
  if (wait4(pid, &status, 0, &usage) != pid) return -1;
  *seconds = seconds_of(usage.ru_utime) + seconds_of(usage.ru_stime);
  *maxrss_kb = usage.ru_maxrss;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The median processor time of RUNS runs of ARGV, or -1 if one failed. */
static double median_time(char *const argv[], int runs) {
  double times[MAX_RUNS];
  long rss;
  for (int i = 0; i < runs; i++)
    if (run(argv, NULL, &times[i], &rss) != 0) {
      fprintf(stderr, "process_bench: '%s %s' failed\n", argv[0], argv[1] != NULL ? argv[1] : "");
      return -1;
    }
  qsort(times, (size_t)runs, sizeof times[0], bench_compare_doubles);
  return times[runs / 2];
}

static void summary(const char *what, double ratio, double goal) {
  printf("summary|%s|%.2fx|<= %.0fx|%s\n", what, ratio, goal, ratio <= goal ? "met" : "missed");
}

/*
** The median time of `lua5.4 -e` compiling the plugins and the contract in
** SOURCE (the tree confer was built from) with loadfile, running none of them,
** or -1 if it could not run. (Debian's luac5.4 -p aborts on several files.)
*/
static double compile_time(const char *source, int runs) {
  char pattern[4096];
  snprintf(pattern, sizeof pattern, "%s/plugins/*.lua", source);
  glob_t found;
  if (glob(pattern, 0, NULL, &found) != 0) return -1;
  char code[16384];
  size_t n = (size_t)snprintf(code, sizeof code,
                              "for _, f in ipairs{'%s/scripts/contract.lua'", source);
  for (size_t i = 0; i < found.gl_pathc && n < sizeof code; i++)
    n += (size_t)snprintf(code + n, sizeof code - n, ", '%s'", found.gl_pathv[i]);
  if (n < sizeof code)
    n += (size_t)snprintf(code + n, sizeof code - n, "} do assert(loadfile(f)) end");
  globfree(&found);
  if (n >= sizeof code) return -1;
  char *argv[] = {"lua5.4", "-e", code, NULL};
  return median_time(argv, runs);
}

/* Writes the chair's input for 200 entries to PATH; returns 0 or -1. */
static int write_entries(const char *path) {
  FILE *f = fopen(path, "w");
  if (f == NULL) return -1;
  fprintf(f, "child Alex Example | 2019-01-01\nperson Sam Sample | social worker | children's services\n");
  for (int i = 1; i <= 200; i++)
    fprintf(f, "%s | Entry %d said in the room, as the chair wrote it down | fact | Sam Sample\n",
            i % 2 ? "worry past_harm" : "good existing_strengths", i);
  fprintf(f, "quit\n");
  return fclose(f) == 0 ? 0 : -1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: process_bench CONFER [RUNS [DIR]]\n");
    return 2;
  }
  char *confer = argv[1];
  int runs = argc > 2 ? atoi(argv[2]) : 20;
  const char *dir = argc > 3 ? argv[3] : "/tmp";
  if (runs < 1 || runs > MAX_RUNS) {
    fprintf(stderr, "process_bench: RUNS must be 1 to %d\n", MAX_RUNS);
    return 2;
  }
  char *lua[] = {"lua5.4", "-e", "", NULL};
  char *version[] = {confer, "--version", NULL};
  char *check[] = {confer, "plugins", "check", NULL};
  double base = median_time(lua, runs);
  double t_version = median_time(version, runs);
  double t_check = median_time(check, runs);
  double t_compile = compile_time(CONFER_SOURCE_DIR, runs);
  if (base < 0 || t_version < 0 || t_check < 0 || t_compile < 0) return 1;
  double floor = t_version + t_compile - base;
  printf("%-26s %10s %8s\n", "start-up (median)", "ms", "ratio");
  printf("%-26s %10.2f %8s\n", "lua5.4 -e ''", base * 1e3, "1.00");
  printf("%-26s %10.2f %8.2f\n", "confer --version", t_version * 1e3, t_version / base);
  printf("%-26s %10.2f %8.2f\n", "confer plugins check", t_check * 1e3, t_check / base);
  printf("%-26s %10.2f %8.2f\n", "lua5.4 compiling that Lua", t_compile * 1e3, t_compile / base);
  printf("%-26s %10.2f %8.2f  (confer --version + that compile - lua5.4's start)\n",
         "plugins check's floor", floor * 1e3, floor / base);

  char db[4096], input[4096];
  snprintf(db, sizeof db, "%s/process_bench.%d.db", dir, (int)getpid());
  snprintf(input, sizeof input, "%s/process_bench.%d.in", dir, (int)getpid());
  char *create[] = {confer, "new", "--db", db, "--authority", "sefton", "--type", "initial",
                    "--date", "2025-03-03", "--chair", "Chair Example", NULL};
  char *chair[] = {confer, "run", "--db", db, "--chair", "Chair Example", "1", NULL};
  double seconds, lua_seconds;
  long lua_rss, run_rss;
  int ok = write_entries(input) == 0 && run(create, NULL, &seconds, &run_rss) == 0 &&
           run(chair, input, &seconds, &run_rss) == 0 && run(lua, NULL, &lua_seconds, &lua_rss) == 0;
  unlink(input);
  unlink(db);
  if (!ok) {
    fprintf(stderr, "process_bench: the 200-entry conference run failed\n");
    return 1;
  }
  printf("%-26s %10s\n", "peak memory", "MB");
  printf("%-26s %10.1f\n", "lua5.4 -e ''", (double)lua_rss / 1024);
  printf("%-26s %10.1f  (%.2f s)\n", "confer run, 200 entries", (double)run_rss / 1024, seconds);
  summary("start-up: confer --version vs lua5.4 -e ''", t_version / base, 3);
  summary("start-up: confer plugins check (all) vs lua5.4 -e ''", t_check / base, 3);
  printf("summary|start-up floor: confer's start + compiling its Lua|%.2fx|(no goal)|-\n",
         floor / base);
  double mb = (double)run_rss / 1024;
  printf("summary|peak RSS of a 200-entry conference run|%.1f MB|< 8 MB|%s\n", mb, mb < 8 ? "met" : "missed");
  return 0;
}
