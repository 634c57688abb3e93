/*
** board_bench.c — the live board's latency: from a REPL command's
** acknowledgement to its arrival at Server-Sent Events clients, p50 and p99,
** with 1 and with 50 clients watching.
**
**   board_bench [COMMANDS [CLIENTS...]]   default: 100 commands, 1 and 50 clients
**
** A REPL session runs in-process (repl_open / repl_execute) on an in-memory
** store with `board on` (a free port on 127.0.0.1). Each client is a thread
** with a plain socket reading /events. The acknowledgement's time is taken
** when the session writes its "W.. recorded" line (a line-buffered stream
** that notes the time of each line); a client notes the time at which it has
** read the first complete event carrying the command's marker. Commands go
** one at a time: the next is sent once every client has the last one or
** 2 s have passed (counted as lost), so the board never has to coalesce.
** The whole run stops by itself within 60 s. The goal is 200 ms. A
** benchmark, not a test: it exits 0 unless it cannot run.
*/
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "i18n.h"
#include "paths.h"
#include "repl.h"
#include "store.h"

#define MAX_CLIENTS 60
#define MAX_COMMANDS 1000
#define WAIT_PER_COMMAND_S 2.0
#define WHOLE_RUN_S 60.0

/* ** {====== The session's output: the time of each acknowledgement ====== */

typedef struct ack_clock {
  double last_ack;      /* when the last "recorded" line was written */
  char url[256];        /* the board's address, from "board: URL" */
} ack_clock;

static ssize_t note_line(void *cookie, const char *buf, size_t size) {
  ack_clock *clock = cookie;
  double t = bench_seconds();
  if (memmem(buf, size, " recorded", 9) != NULL) clock->last_ack = t;
  const char *http = memmem(buf, size, "http://", 7);
  if (http != NULL) {
    size_t n = strcspn(http, "\n");
    snprintf(clock->url, sizeof clock->url, "%.*s", (int)n, http);
  }
  return (ssize_t)size;
}

/* }====== */

/* ** {====== The SSE clients ====== */

typedef struct shared {
  unsigned port;
  atomic_int expected;      /* the marker the clients look for now, 0 before the first */
  atomic_int ready;         /* clients that have read the opening state */
  atomic_int arrived;       /* clients that have the expected marker */
  atomic_int stop;
  double arrival[MAX_CLIENTS][MAX_COMMANDS + 1];
} shared;

typedef struct client {
  shared *sh;
  int index;
  int failed;
} client;

static int connect_events(unsigned port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  struct timeval timeout = {0, 100 * 1000};
  static const char request[] = "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Accept: text/event-stream\r\n\r\n";
  if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) != 0 ||
      connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
      write(fd, request, sizeof request - 1) != (ssize_t)(sizeof request - 1)) {
    close(fd);
    return -1;
  }
  return fd;
}

/* Looks at one complete event (LEN bytes at EV) for the marker the bench expects now. */
static void look_at_event(client *c, const char *ev, size_t len) {
  shared *sh = c->sh;
  if (!memmem(ev, len, "\ndata:", 6) && !(len >= 5 && memcmp(ev, "data:", 5) == 0)) return;
  int k = atomic_load(&sh->expected);
  if (k < 0) return;
  if (k == 0) {
    if (sh->arrival[c->index][0] == 0) {
      sh->arrival[c->index][0] = bench_seconds();
      atomic_fetch_add(&sh->ready, 1);
    }
    return;
  }
  char marker[32];
  int n = snprintf(marker, sizeof marker, "[mark %d]", k);
  if (sh->arrival[c->index][k] == 0 && memmem(ev, len, marker, (size_t)n) != NULL) {
    sh->arrival[c->index][k] = bench_seconds();
    atomic_fetch_add(&sh->arrived, 1);
  }
}

static void *client_main(void *arg) {
  client *c = arg;
  int fd = connect_events(c->sh->port);
  if (fd < 0) {
    c->failed = 1;
    return NULL;
  }
  size_t cap = 1 << 16, used = 0;
  char *buf = malloc(cap);
  while (buf != NULL && !atomic_load(&c->sh->stop)) {
    if (cap - used < 4096) {
      char *bigger = realloc(buf, cap * 2);
      if (bigger == NULL) break;
      buf = bigger;
      cap *= 2;
    }
    ssize_t got = read(fd, buf + used, cap - used - 1);
    if (got == 0) break;
    if (got < 0) continue;   /* the receive timeout: look at the stop flag */
    used += (size_t)got;
    buf[used] = '\0';
    /* Each complete event ends with a blank line; the bytes after the last are kept. */
    char *start = buf, *end;
    while ((end = memmem(start, used - (size_t)(start - buf), "\n\n", 2)) != NULL) {
      look_at_event(c, start, (size_t)(end - start));
      start = end + 2;
    }
    used -= (size_t)(start - buf);
    memmove(buf, start, used);
  }
  if (buf == NULL) c->failed = 1;
  free(buf);
  close(fd);
  return NULL;
}

/* }====== */

/* Runs COMMANDS marked commands with N_CLIENTS watching; prints one line. -1 if it cannot run. */
static int run(int commands, int n_clients) {
  char err[1024];
  store *st;
  model_conference *conf = NULL;
  if (store_open(":memory:", &st, err, sizeof err) != 0) return fprintf(stderr, "%s\n", err), -1;
  if (store_create_conference(st, "cumbria", "initial", "2026-02-02", "Chair Bench", &conf, err,
                              sizeof err) != 0) {
    fprintf(stderr, "%s\n", err);
    store_close(st);
    return -1;
  }
  ack_clock clock = {0};
  cookie_io_functions_t io = {.write = note_line};
  FILE *out = fopencookie(&clock, "w", io);
  shared *sh = calloc(1, sizeof *sh);
  client clients[MAX_CLIENTS] = {{0}};
  pthread_t threads[MAX_CLIENTS];
  int started = 0, status = -1;
  repl *r = NULL;
  if (out == NULL || sh == NULL || setvbuf(out, NULL, _IOLBF, 4096) != 0) goto done;
  r = repl_open(st, conf, "Chair Bench", out, 0, err, sizeof err);
  if (r == NULL) {
    fprintf(stderr, "%s\n", err);
    goto done;
  }
  static const char *const setup[] = {
    "child Ada Fictional | 2019-02-11", "person Cara Sample | social worker | children's services",
    "board on"};
  for (size_t i = 0; i < sizeof setup / sizeof setup[0]; i++)
    if (repl_execute(r, setup[i], strlen(setup[i])) != REPL_DONE) {
      fprintf(stderr, "board_bench: '%s' failed\n", setup[i]);
      goto done;
    }
  const char *colon = strrchr(clock.url, ':');
  sh->port = colon != NULL ? (unsigned)strtoul(colon + 1, NULL, 10) : 0;
  if (sh->port == 0) {
    fprintf(stderr, "board_bench: no board address in the output\n");
    goto done;
  }
  for (; started < n_clients; started++) {
    clients[started] = (client){.sh = sh, .index = started};
    if (pthread_create(&threads[started], NULL, client_main, &clients[started]) != 0) break;
  }
  double deadline = bench_seconds() + WHOLE_RUN_S;
  while (atomic_load(&sh->ready) < started && bench_seconds() < deadline) usleep(1000);
  int lost = 0, sent = 0;
  for (int k = 1; k <= commands && bench_seconds() < deadline; k++, sent++) {
    char line[160];
    snprintf(line, sizeof line,
             "worry harm | [mark %d] Ada was left alone at home overnight | fact | Cara Sample", k);
    atomic_store(&sh->arrived, 0);
    atomic_store(&sh->expected, k);
    if (repl_execute(r, line, strlen(line)) != REPL_DONE) {
      fprintf(stderr, "board_bench: command %d was refused\n", k);
      goto done;
    }
    double ack = clock.last_ack, give_up = bench_seconds() + WAIT_PER_COMMAND_S;
    while (atomic_load(&sh->arrived) < started && bench_seconds() < give_up) usleep(200);
    atomic_store(&sh->expected, -1);   /* a late arrival is lost, not written under us */
    for (int c = 0; c < started; c++) {
      if (sh->arrival[c][k] == 0) lost++;
      else sh->arrival[c][k] -= ack;   /* from now on: the latency */
    }
  }
  size_t n = 0;
  double *latency = malloc(sizeof *latency * (size_t)(started * sent + 1));
  if (latency == NULL) goto done;
  for (int c = 0; c < started; c++)
    for (int k = 1; k <= sent; k++)
      if (sh->arrival[c][k] != 0) latency[n++] = sh->arrival[c][k] * 1000;
  qsort(latency, n, sizeof *latency, bench_compare_doubles);
  if (n > 0)
    printf("%2d client%s %4d commands: p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  lost %d"
           " (goal 200 ms)\n", started, started == 1 ? " " : "s", sent,
           latency[(n - 1) / 2], latency[(size_t)((n - 1) * 0.99)], latency[n - 1], lost);
  else
    printf("%2d clients: no event arrived (lost %d)\n", started, lost);
  if (started < n_clients) printf("   only %d of %d clients started\n", started, n_clients);
  free(latency);
  status = 0;
done:
  if (sh != NULL) atomic_store(&sh->stop, 1);
  for (int c = 0; c < started; c++) {
    pthread_join(threads[c], NULL);
    if (clients[c].failed) fprintf(stderr, "board_bench: client %d could not read\n", c);
  }
  repl_close(r);
  if (out != NULL) fclose(out);
  free(sh);
  model_free(conf);
  store_close(st);
  return status;
}

int main(int argc, char **argv) {
  int commands = argc > 1 ? atoi(argv[1]) : 100;
  char locales[PATH_MAX], err[512];
  if (commands < 1 || commands > MAX_COMMANDS)
    return fprintf(stderr, "board_bench: COMMANDS must be 1 to %d\n", MAX_COMMANDS), 1;
  if (paths_join(locales, sizeof locales, paths_data_dir(), "locales") == NULL ||
      i18n_init(locales, "en_GB", err, sizeof err) != 0)
    return fprintf(stderr, "board_bench: %s\n", err), 1;
  if (setenv("CONFER_BOARD_PORT", "0", 1) != 0) return perror("board_bench"), 1;
  int status = 0;
  static const char *const defaults[] = {"1", "50"};
  int n_runs = argc > 2 ? argc - 2 : 2;
  for (int i = 0; i < n_runs && status == 0; i++) {
    int clients = atoi(argc > 2 ? argv[i + 2] : defaults[i]);
    if (clients < 1 || clients > MAX_CLIENTS) {
      fprintf(stderr, "board_bench: CLIENTS must be 1 to %d\n", MAX_CLIENTS);
      status = 1;
    } else if (run(commands, clients) != 0) {
      status = 1;
    }
  }
  i18n_free();
  return status;
}
