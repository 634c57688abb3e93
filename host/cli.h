/*
** cli.h — what the commands of the command line share.
**
** Contract. Each command is `int cmd_NAME(int argc, char **argv)` with argv[0]
** the command's own name; it returns the process exit status: 0 success,
** 1 failure (a one-line "confer: ..." error on stderr already printed),
** 2 usage error (printed with cli_usage_error). Options are parsed with
** getopt_long. User-facing words come from i18n.
*/
#ifndef CONFER_CLI_H
#define CONFER_CLI_H

#include <stddef.h>

#include "store.h"

/*
** Prints "confer COMMAND: <message>" and the command's usage line to stderr;
** returns 2. The message stays on one line: its control characters and bytes
** that are not UTF-8 show as '?', a line break, carriage return or tab as a
** space (utf8_printable_copy), as in cli_fail: it may echo any word of the
** command line.
*/
int cli_usage_error(const char *command, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

/* Prints "confer: <message>" to stderr, shown as cli_usage_error shows it; returns 1. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
** Opens the store DB names (a --db value; NULL: $CONFER_DB, else the default
** database). Returns it, or NULL after printing the failure with cli_fail.
*/
store *cli_open_store(const char *db);

/*
** The option word of ARGV (ARGC words, as given to getopt_long) that
** getopt_long has just refused with '?', or returned though the command does
** not take it. getopt steps past a word once it has read all of it, so that is
** argv[optind - 1], but for an option that took the next word as its value
** ("--chair NAME": the word before) and for an unknown short option that is
** not its word's last letter ("-12", a negative number where an id goes:
** getopt stops at the '1' with optind still at that word).
*/
const char *cli_refused_word(int argc, char **argv);

/* The usage line of COMMAND (from the catalogue), or NULL for an unknown command. */
const char *cli_usage(const char *command);

/* Who is acting: CHAIR if given and not empty, else the OS user's login name, else "unknown". */
const char *cli_actor(const char *chair);

/*
** When BROKEN (store_load_checked's verdict on a conference's hash chain:
** verify's line naming the first changed event) is not "", prints "confer: "
** and the catalogue text MESSAGE_KEY (a "%s" for that line) on stderr.
** Nothing is refused: a live conference must not stop, and a chair may need
** its record, because someone edited the file; but the chair must know.
*/
void cli_warn_if_tampered(const char *broken, const char *message_key);

/*
** Says on stderr, the first time only, that stdout could not be written:
** "confer: cannot write the output (REASON): what it holds is incomplete",
** REASON the strerror of an errno (0 when unknown, shown as EIO). Later
** calls say nothing: one failure is told once however many writes it fails.
** Returns 1.
*/
int cli_stdout_failed(int reason);

/*
** Flushes stdout; when it has failed (this flush, or an earlier write whose
** error stdio kept) tells so with cli_stdout_failed. Returns 0, or -1 once
** stdout has failed. A command that writes as it goes (the REPL, after each
** reply) calls it so the failure is told when it happens.
*/
int cli_flush_stdout(void);

/*
** At exit, for every command: flushes and closes stdout (a close may be
** the first to report a failed write), telling a failure as
** cli_flush_stdout does. Returns STATUS, or 1 when STATUS was 0 and stdout
** failed: a command's output that is cut off must not pass for whole.
** Nothing may write to stdout afterwards.
*/
int cli_close_stdout(int status);

/* Commands (cmd_*.c). */
int cmd_help(int argc, char **argv);
int cmd_plugins(int argc, char **argv);   /* plugins list | plugins check */
int cmd_lua(int argc, char **argv);
int cmd_new(int argc, char **argv);       /* store commands: cmd_store.c */
int cmd_list(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_run(int argc, char **argv);       /* the REPL: repl.c */
int cmd_demo(int argc, char **argv);
int cmd_locales(int argc, char **argv);
int cmd_native(int argc, char **argv);    /* native check: cmd_native.c */
int cmd_simulate(int argc, char **argv);  /* training: cmd_train.c */
int cmd_train(int argc, char **argv);
int cmd_debrief(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_board(int argc, char **argv);     /* the live board: cmd_board.c */
int cmd_record(int argc, char **argv);    /* outputs: cmd_record.c */
int cmd_chart(int argc, char **argv);
int cmd_report(int argc, char **argv);    /* agency reports: cmd_report.c */
int cmd_push(int argc, char **argv);      /* offline chairs: cmd_sync.c */
int cmd_pull(int argc, char **argv);

#endif
