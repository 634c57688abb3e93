/*
** cmd_board.c — `confer board [--db F] CONFERENCE [--port N] [--bind ADDR]`:
** the live board in a process of its own, following the record.
**
** The chair's REPL may run in another process (or on the same laptop in
** another terminal), so this command watches the database rather than the
** session: it asks the store for the conference's latest event and, when it
** moved, reloads the conference and publishes it, then waits (store_wait).
** On SQLite the wait is a 50 ms poll; on PostgreSQL it is LISTEN/NOTIFY, so
** a board on another machine wakes when the REPL's COMMIT is announced. A
** change the REPL acknowledged is on the board within one wait plus one reload.
** SIGINT or SIGTERM stops the board; SIGHUP gives a shared board a new token.
** Those signals stay blocked except inside store_wait (ppoll's mask), so one
** that arrives while the loop checks their flags or reads the record ends
** the next wait at once rather than after it (5 s on PostgreSQL).
*/
#include <pthread.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agenda.h"
#include "board.h"
#include "cli.h"
#include "i18n.h"
#include "store.h"

#define POLL_MS 50

static volatile sig_atomic_t stop_requested, token_requested;

static void on_stop(int sig) {
  (void)sig;
  stop_requested = 1;
}

static void on_hangup(int sig) {
  (void)sig;
  token_requested = 1;
}

/*
** Installs the handlers and blocks their signals, putting the mask it found
** in *BEFORE and the one to wait under (BEFORE without them) in *WAIT_MASK.
** Called before the board's server threads start: they inherit the blocked
** mask, so the kernel can hand these signals only to this thread, and only
** while it waits.
*/
static void catch_signals(sigset_t *before, sigset_t *wait_mask) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_stop;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sa.sa_handler = on_hangup;
  sigaction(SIGHUP, &sa, NULL);
  sigset_t caught;
  sigemptyset(&caught);
  sigaddset(&caught, SIGINT);
  sigaddset(&caught, SIGTERM);
  sigaddset(&caught, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &caught, before);
  *wait_mask = *before;
  sigdelset(wait_mask, SIGINT);
  sigdelset(wait_mask, SIGTERM);
  sigdelset(wait_mask, SIGHUP);
}

/* The port operand: a whole number 0..65535 into *PORT; -1 if it is not one. */
static int parse_port(const char *text, unsigned *port) {
  char *end;
  long value = strtol(text, &end, 10);
  if (text[0] == '\0' || *end != '\0' || value < 0 || value > 65535) return -1;
  *port = (unsigned)value;
  return 0;
}

/*
** The agenda's sections for the page and the categories it keeps for the
** chair alone. -1 (after saying why) when the agenda does not load: without
** it the board cannot tell what the room may not see, so it shows nothing.
*/
static int agenda_view_of(const char *authority, json_t **sections, json_t **chair_only) {
  char err[1024];
  agenda *ag = agenda_load(authority, err, sizeof err);
  if (ag == NULL) {
    fprintf(stderr, _("board.no_agenda"), err);
    fputc('\n', stderr);
    return -1;
  }
  *sections = board_sections(ag);
  *chair_only = board_chair_only(ag);
  agenda_free(ag);
  if (*sections != NULL && *chair_only != NULL) return 0;
  json_decref(*sections);
  json_decref(*chair_only);
  cli_fail("%s", _("board.out_of_memory"));
  return -1;
}

/* Prints where the board is. */
static void announce(board *b, const char *id) {
  char url[256];
  printf(_("board.serving"), id, board_url(b, url, sizeof url));
  putchar('\n');
  cli_flush_stdout();   /* an address nobody can read is told at once */
}

/*
** Follows conference *CONF in ST until a stop signal: reloads it when the
** record has moved on and publishes it, waiting under WAIT_MASK. A publish
** that failed (out of memory) is tried again at each wake, not only at the
** next change, which may be long in coming while the room reads a stale
** board; it is reported once until one succeeds. Returns 0, or 1 when the
** record can no longer be read.
*/
static int follow(store *st, model_conference **conf, board *b, const sigset_t *wait_mask) {
  char err[1024];
  int behind = 0;   /* the board shows an older *CONF than the one loaded */
  int told = 0;     /* that it is behind was reported */
  while (!stop_requested) {
    if (token_requested) {
      token_requested = 0;
      board_new_token(b);
      announce(b, (*conf)->id);
    }
    long seq = store_last_seq(st, (*conf)->id, err, sizeof err);
    if (seq < 0) return cli_fail("%s", err);
    if ((size_t)seq != (*conf)->n_events) {
      model_conference *fresh;
      if (store_load(st, (*conf)->id, &fresh, err, sizeof err) != 0) return cli_fail("%s", err);
      model_free(*conf);
      *conf = fresh;
      behind = 1;
    }
    if (behind) {
      behind = board_publish(b, *conf) != 0;
      if (behind && !told) cli_fail("%s", _("board.out_of_memory"));
      told = behind;
    }
    if (store_wait(st, (*conf)->id, POLL_MS, wait_mask, err, sizeof err) != 0)
      return cli_fail("%s", err);
  }
  return 0;
}

int cmd_board(int argc, char **argv) {
  static const struct option options[] = {
    {"db", required_argument, NULL, 'd'}, {"port", required_argument, NULL, 'p'},
    {"bind", required_argument, NULL, 'b'}, {NULL, 0, NULL, 0}};
  const char *db = NULL, *bind = NULL;
  unsigned port = BOARD_DEFAULT_PORT;
  int opt;
  optind = 1;
  opterr = 0;   /* our own one-line errors instead of getopt's */
  while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
    if (opt == 'd') db = optarg;
    else if (opt == 'b') bind = optarg;
    else if (opt == 'p' && parse_port(optarg, &port) != 0)
      return cli_usage_error("board", _("board.bad_port"), optarg);
    else if (opt == ':') return cli_usage_error("board", _("board.needs_value"), argv[optind - 1]);
    else if (opt == '?')
      return cli_usage_error("board", _("cli.unknown_option"), cli_refused_word(argc, argv));
  }
  if (argc - optind != 1) return cli_usage_error("board", "%s", _("board.needs_conference"));
  char err[1024];
  store *st = cli_open_store(db);
  if (st == NULL) return 1;
  model_conference *conf;
  char broken[STORE_VERIFY_LINE_MAX];
  if (store_load_checked(st, argv[optind], &conf, broken, sizeof broken, err, sizeof err) < 0) {
    store_close(st);
    return cli_fail("%s", err);
  }
  /* A board shown from a record changed outside confer: the room sees it as
     stored, and the one who started the board is told, as run and record tell. */
  cli_warn_if_tampered(broken, "board.chain_broken");
  json_t *sections, *chair_only;
  if (agenda_view_of(conf->authority, &sections, &chair_only) != 0) {
    model_free(conf);
    store_close(st);
    return 1;
  }
  sigset_t before, wait_mask;
  catch_signals(&before, &wait_mask);
  /* Sharing beyond this machine (--bind) always needs the token. */
  board *b = board_start(bind != NULL ? bind : "127.0.0.1", port, bind != NULL, conf, sections,
                         chair_only, err, sizeof err);
  json_decref(sections);
  json_decref(chair_only);
  int status;
  if (b == NULL) {
    status = cli_fail("%s", err);
  } else {
    announce(b, conf->id);
    status = follow(st, &conf, b, &wait_mask);
    board_stop(b);
  }
  pthread_sigmask(SIG_SETMASK, &before, NULL);   /* a signal still pending only sets its flag */
  model_free(conf);
  store_close(st);
  return status;
}
