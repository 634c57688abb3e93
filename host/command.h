/*
** command.h — the chair's command language: one input line to one command.
**
** Contract. command_parse() is a pure function (no I/O, no global state, no
** knowledge of any conference): it turns one line typed at the REPL into a
** verb and, for a recording verb, the event kind and JSON payload that
** model.h defines. A command is a verb followed by fields separated by `|`
** ("worry past_harm | Dad shouted | observation | school"); fields are
** trimmed of surrounding spaces; `\|` stands for a literal bar and `\\` for a
** backslash. Everything the parser can know without the conference is checked
** here (field counts, empty fields, scores 0-10, plans, kinds, dates, ids,
** lengths, UTF-8, control characters); what needs the conference (unknown
** participant, unknown id, the authority's categories) is left to the agenda
** and model_check. Errors are one line from the catalogues (repl.po, the
** command.* keys) naming what was wrong; with no catalogue loaded they are
** the keys themselves, so the parser still works (and a fuzzer may call it raw).
** This module calls only jansson, calendar_parse (itself pure) and i18n_text.
*/
#ifndef CONFER_COMMAND_H
#define CONFER_COMMAND_H

#include <stddef.h>
#include <jansson.h>

/* The longest line the parser accepts (bytes, without the newline). */
#define COMMAND_LINE_MAX 8192

typedef enum {
  COMMAND_EMPTY,      /* blank line or a comment starting with '#' */
  COMMAND_RECORD,     /* kind + payload: an event to append */
  COMMAND_NEXT,       /* next section; force = 1 for "next!" */
  COMMAND_BACK,       /* previous section */
  COMMAND_GOTO,       /* arg = section id */
  COMMAND_SECTIONS,   /* list the agenda's sections */
  COMMAND_SHOW,       /* arg = column (worried|working_well|needs) or NULL for all */
  COMMAND_UNDO,       /* take back this session's last change */
  COMMAND_HELP,       /* arg = verb or NULL */
  COMMAND_END,        /* run the closing checks; force = 1 for "end!" (confirmed) */
  COMMAND_YES,        /* confirms a pending "end" */
  COMMAND_QUIT,       /* leave; the conference stays open */
  COMMAND_EVAL,       /* arg = Lua expression or statement after "=" */
  COMMAND_BOARD,      /* arg = on|share|token|off, NULL for on: the live board */
  COMMAND_PULL        /* payload {agency, worry?, good?}: map an agency report's entries */
} command_type;

typedef struct command {
  command_type type;
  const char *verb;   /* canonical verb ("worry", "next", ...); static storage */
  const char *kind;   /* COMMAND_RECORD: event kind ("entry.mapped"); static storage */
  json_t *payload;    /* COMMAND_RECORD, COMMAND_PULL: owned object */
  char *arg;          /* owned; see the types above; NULL when absent */
  int force;          /* "next!" and "end!" */
} command;

/*
** Parses LINE (without its newline; need not be NUL-terminated beyond LEN).
** Returns 0 and fills *CMD (release it with command_free), or -1 with a
** one-line reason in ERR (e.g. "scale: SCORE must be a whole number from 0
** to 10, not \"11\"") and *CMD left empty.
*/
int command_parse(const char *line, size_t len, command *cmd, char *err, size_t errlen);

/* Frees what CMD owns and empties it; safe on an empty command. */
void command_free(command *cmd);

/* The canonical verbs in the order `help` lists them, NULL-terminated (for completion). */
const char *const *command_verbs(void);

/* The usage line of VERB ("worry CATEGORY | TEXT [| KIND [| SOURCE]]"), or NULL if unknown. */
const char *command_usage(const char *verb);

/*
** The canonical verb for WORD, accepting the aliases (exit -> quit, ? -> help,
** escalate -> escalation, ...); NULL if WORD is no verb.
*/
const char *command_canonical(const char *word);

#endif
