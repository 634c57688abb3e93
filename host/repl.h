/*
** repl.h — the chair's session: reading commands, recording them, walking
** the agenda.
**
** Contract. A session binds one open conference (loaded from a store) to its
** authority's agenda. repl_execute() runs one line: a recording command is
** validated by the agenda (sos.validate), appended durably with
** store_append and acknowledged with one line ("W3 recorded") or refused with
** one line ("error: ...") recording nothing. Section moves are events
** (section.entered), so a new session resumes where the last one left off.
** All output goes to the session's OUT; in interactive mode the loop reads
** with libedit (prompt, history in paths_user_dir("STATE")/history with mode
** 0600, tab completion), otherwise line by line with no prompt.
** cmd_run and cmd_demo (cli.h) are the command-line faces of this module.
*/
#ifndef CONFER_REPL_H
#define CONFER_REPL_H

#include <stddef.h>
#include <stdio.h>

#include "agenda.h"
#include "model.h"
#include "store.h"

typedef struct repl repl;

/* What repl_execute reports about one line. */
typedef enum {
  REPL_DONE,     /* the command did what was asked (or warned) */
  REPL_FAILED,   /* "error: ..." was printed; nothing was recorded */
  REPL_FINISHED  /* quit, or the conference was closed: the session is over */
} repl_status;

/*
** Starts a session on CONF (borrowed from the caller with ST, both kept alive
** until repl_close) acting as ACTOR, writing to OUT. Loads the conference's
** agenda and, for a conference that has not entered a section yet, enters the
** first. Returns NULL with a one-line reason in ERR.
*/
repl *repl_open(store *st, model_conference *conf, const char *actor, FILE *out,
                int interactive, char *err, size_t errlen);

/*
** As repl_open, on AG (loaded by the caller for CONF's authority, kept alive
** until repl_close, which leaves it loaded): `confer simulate --count` runs
** many conferences on one agenda instead of loading the plugin for each.
** The session's helpers and the sections' layout stay in AG's sandbox for
** the next session on AG; repl_close unbinds the helpers from CONF and
** releases CONF as the plugin saw it.
*/
repl *repl_open_with_agenda(store *st, model_conference *conf, agenda *ag, const char *actor,
                            FILE *out, int interactive, char *err, size_t errlen);

/* Runs one input line (LEN bytes, no newline). */
repl_status repl_execute(repl *r, const char *line, size_t len);

/*
** Reads and runs lines until quit, end of input or the conference closes:
** from libedit when the session is interactive, else from IN. Returns the
** exit status: 0, or 1 if any command failed.
*/
int repl_loop(repl *r, FILE *in);

/* Frees the session (not the store or the conference); NULL is a no-op. */
void repl_close(repl *r);

#endif
