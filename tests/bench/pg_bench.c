/*
** pg_bench.c — the store on PostgreSQL against SQLite, in the same run:
** durable events per second, the chair's REPL command latency (p50, p99),
** and many concurrent writers with every event accounted for.
**
**   pg_bench N SECONDS WRITERS FILE URI
**
** FILE is a new SQLite database, URI an empty PostgreSQL database
** (tests/bench/pg_run.sh starts a private server and makes one). Each
** backend gets N events through store_append, then N recording commands
** through repl_execute, then WRITERS processes, one conference each,
** appending for SECONDS. Afterwards every writer's count of acknowledged
** events must equal the events read back from its conference, and every
** chain must verify; otherwise it exits 1. Prints each figure and the
** ratio PostgreSQL / SQLite.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "repl.h"
#include "store.h"

#define MAX_WRITERS 64

/* Appends one mapped worry, the I-th, to CONF. */
static int append_entry(store *st, model_conference *conf, long i, char *err, size_t errlen) {
  char text[128], id[16];
  snprintf(text, sizeof text, "Worry number %06ld: school says attendance dropped this term", i);
  json_t *payload = json_pack("{s:s, s:s, s:s, s:s}", "column", "worried", "category", "harm",
                              "text", text, "kind", "fact");
  if (payload == NULL) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  int rc = store_append(st, conf, "entry.mapped", payload, "Bench Example", id, sizeof id,
                        err, errlen);
  json_decref(payload);
  return rc;
}

/* N durable appends to a new conference of ST; events per second, or -1. */
static double bench_events(store *st, long n) {
  char err[1024];
  model_conference *conf;
  if (store_create_conference(st, "benchshire", "initial", "2026-03-03", "Bench Example", &conf,
                              err, sizeof err) != 0) {
    fprintf(stderr, "pg_bench: %s\n", err);
    return -1;
  }
  double start = bench_ms();
  long i;
  for (i = 0; i < n && append_entry(st, conf, i, err, sizeof err) == 0; i++) continue;
  double rate = i == n ? n / ((bench_ms() - start) / 1e3) : -1;
  if (i != n) fprintf(stderr, "pg_bench: event %ld: %s\n", i, err);
  model_free(conf);
  return rate;
}

/* N recording commands at the REPL of a new conference; sorted latencies into MS. */
static int bench_repl(store *st, long n, double *ms) {
  char err[1024], line[256];
  model_conference *conf;
  if (store_create_conference(st, "worcestershire", "initial", "2025-03-12", "Bench Example",
                              &conf, err, sizeof err) != 0) {
    fprintf(stderr, "pg_bench: %s\n", err);
    return -1;
  }
  FILE *out = fopen("/dev/null", "w");
  repl *r = out != NULL ? repl_open(st, conf, "Bench Example", out, 0, err, sizeof err) : NULL;
  int status = r == NULL ? (fprintf(stderr, "pg_bench: %s\n", err), -1) : 0;
  const char *setup = "person Ann Sample | social worker | children's services";
  if (r != NULL && repl_execute(r, setup, strlen(setup)) != REPL_DONE) status = -1;
  for (long i = 0; status == 0 && i < n; i++) {
    int len = snprintf(line, sizeof line, "worry past_harm | Bench entry %ld about the "
                       "fictional family | fact | Ann Sample", i);
    double t0 = bench_ms();
    if (repl_execute(r, line, (size_t)len) != REPL_DONE) status = -1;
    ms[i] = bench_ms() - t0;
  }
  if (status != 0 && r != NULL) fprintf(stderr, "pg_bench: a recording command failed\n");
  repl_close(r);
  if (out != NULL) fclose(out);
  model_free(conf);
  if (status == 0) qsort(ms, (size_t)n, sizeof *ms, bench_compare_doubles);
  return status;
}

/* In a child: appends to conference ID of LOCATION until SECONDS pass; writes its count to FD. */
static void writer(const char *location, const char *id, int seconds, int fd) {
  char err[1024], line[64];
  store *st = NULL;
  model_conference *conf = NULL;
  long count = 0;
  int ok = store_open(location, &st, err, sizeof err) == 0 &&
           store_load(st, id, &conf, err, sizeof err) == 0;
  double deadline = bench_ms() + seconds * 1e3;
  while (ok && bench_ms() < deadline) {
    if (append_entry(st, conf, count, err, sizeof err) != 0) ok = 0;
    else count++;
  }
  if (!ok) fprintf(stderr, "pg_bench: writer of conference %s: %s\n", id, err);
  int n = snprintf(line, sizeof line, "%ld\n", ok ? count : -1);
  if (write(fd, line, (size_t)n) != n) ok = 0;
  model_free(conf);
  store_close(st);
  _exit(ok ? 0 : 1);
}

/*
** WRITERS processes on conferences FIRST.. of LOCATION for SECONDS; checks
** each count against the conference read back. Total events per second, or -1.
*/
static double bench_writers(const char *location, int writers, int seconds) {
  char err[1024], id[32], buf[64];
  store *st;
  model_conference *conf;
  long long ids[MAX_WRITERS];
  int fds[MAX_WRITERS];
  pid_t pids[MAX_WRITERS];
  long counts[MAX_WRITERS];
  if (store_open(location, &st, err, sizeof err) != 0) goto fail;
  for (int w = 0; w < writers; w++) {
    if (store_create_conference(st, "north_yorkshire", "review", "2026-03-03", "Bench Example",
                                &conf, err, sizeof err) != 0) {
      store_close(st);
      goto fail;
    }
    ids[w] = atoll(conf->id);
    model_free(conf);
  }
  store_close(st);   /* the children must not share its connection */
  fflush(NULL);
  double start = bench_ms();
  for (int w = 0; w < writers; w++) {
    int pipefd[2];
    if (pipe(pipefd) != 0) abort();
    snprintf(id, sizeof id, "%lld", ids[w]);
    if ((pids[w] = fork()) == 0) {
      close(pipefd[0]);
      writer(location, id, seconds, pipefd[1]);
    }
    close(pipefd[1]);
    fds[w] = pipefd[0];
  }
  long total = 0;
  int sound = 1;
  for (int w = 0; w < writers; w++) {
    ssize_t n = read(fds[w], buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = '\0';
    close(fds[w]);
    int status;
    waitpid(pids[w], &status, 0);
    long count = n > 0 ? atol(buf) : -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || count < 0) sound = 0;
    else total += count;
    counts[w] = count;
  }
  double elapsed = (bench_ms() - start) / 1e3;
  if (store_open(location, &st, err, sizeof err) != 0) goto fail;
  for (int w = 0; w < writers; w++) {
    snprintf(id, sizeof id, "%lld", ids[w]);
    long seq = store_last_seq(st, id, err, sizeof err);
    if (seq != counts[w] + 1) {
      fprintf(stderr, "pg_bench: conference %s: %ld acknowledged, %ld read back\n", id,
              counts[w], seq - 1);
      sound = 0;
    }
  }
  FILE *devnull = fopen("/dev/null", "w");
  int broken = devnull != NULL ? store_verify(st, devnull, err, sizeof err) : -1;
  if (devnull != NULL) fclose(devnull);
  store_close(st);
  if (broken != 0) {
    fprintf(stderr, "pg_bench: %s: %d broken chains\n", location, broken);
    sound = 0;
  }
  printf("  %d writers, %d s: %ld events acknowledged = %ld read back, every chain sound: %s\n",
         writers, seconds, total, sound ? total : -1L, sound ? "yes" : "NO");
  return sound ? total / elapsed : -1;
fail:
  fprintf(stderr, "pg_bench: %s\n", err);
  return -1;
}

/* Runs the three measures on LOCATION into RATE, MS (N samples) and WRITE_RATE. */
static int bench_backend(const char *name, const char *location, long n, int seconds,
                         int writers, double *rate, double *ms, double *write_rate) {
  char err[1024];
  store *st;
  printf("%s\n", name);
  if (store_open(location, &st, err, sizeof err) != 0) {
    fprintf(stderr, "pg_bench: %s\n", err);
    return -1;
  }
  *rate = bench_events(st, n);
  int status = *rate < 0 || bench_repl(st, n, ms) != 0 ? -1 : 0;
  store_close(st);
  if (status == 0) {
    printf("  durable events/s %.0f\n", *rate);
    printf("  repl command p50 %.3f ms  p99 %.3f ms\n", bench_percentile(ms, n, 50),
           bench_percentile(ms, n, 99));
    *write_rate = bench_writers(location, writers, seconds);
    if (*write_rate < 0) status = -1;
    else printf("  concurrent events/s %.0f\n", *write_rate);
  }
  return status;
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: pg_bench N SECONDS WRITERS FILE URI\n");
    return 2;
  }
  long n = atol(argv[1]);
  int seconds = atoi(argv[2]), writers = atoi(argv[3]);
  if (n < 1 || seconds < 1 || writers < 1 || writers > MAX_WRITERS) {
    fprintf(stderr, "pg_bench: N and SECONDS must be at least 1, WRITERS 1 to %d\n",
            MAX_WRITERS);
    return 2;
  }
  double *lite_ms = malloc((size_t)n * sizeof *lite_ms), *pg_ms = malloc((size_t)n * sizeof *pg_ms);
  double lite_rate, pg_rate, lite_writes, pg_writes;
  int status = 1;
  if (lite_ms != NULL && pg_ms != NULL &&
      bench_backend("SQLite", argv[4], n, seconds, writers, &lite_rate, lite_ms,
                    &lite_writes) == 0 &&
      bench_backend("PostgreSQL", argv[5], n, seconds, writers, &pg_rate, pg_ms,
                    &pg_writes) == 0) {
    printf("ratio PostgreSQL / SQLite: events/s %.2f  repl p50 %.2fx  p99 %.2fx  "
           "concurrent events/s %.2f\n", pg_rate / lite_rate,
           bench_percentile(pg_ms, n, 50) / bench_percentile(lite_ms, n, 50),
           bench_percentile(pg_ms, n, 99) / bench_percentile(lite_ms, n, 99), pg_writes / lite_writes);
    status = 0;
  }
  free(lite_ms);
  free(pg_ms);
  return status;
}
