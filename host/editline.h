/*
** editline.h — the chair's line editing: libedit's readline interface, opened
** when a session at a terminal starts.
**
** Contract. Only an interactive `confer run` or `confer train` edits lines
** (history, completion); every other command, and a session reading a script
** from a pipe, never loads libedit and the libraries it brings (terminfo,
** libbsd, libmd), a sixth of a short command's start-up. editline_open loads
** it once (dynlib.h) and returns its functions and variables, typed as
** <editline/readline.h> declares them: el->readline(prompt), and a variable
** through its address, *el->rl_line_buffer. Main thread only.
*/
#ifndef CONFER_EDITLINE_H
#define CONFER_EDITLINE_H

#include <stddef.h>
#include <stdio.h>
#include <editline/readline.h>

#include "dynlib.h"

#define EDITLINE_SYMBOLS(X)                                                              \
  X(readline) X(add_history) X(using_history) X(read_history) X(write_history)           \
  X(history_truncate_file) X(clear_history) X(rl_completion_matches) X(rl_line_buffer)   \
  X(rl_attempted_completion_over) X(rl_readline_name) X(rl_attempted_completion_function) \
  X(rl_completer_word_break_characters) X(rl_completion_append_character)

typedef struct editline_api {
  EDITLINE_SYMBOLS(DYNLIB_POINTER)
} editline_api;

/* libedit's functions and variables, or NULL with "... needs libedit.so.2 ..." in ERR. */
const editline_api *editline_open(char *err, size_t errlen);

#endif
