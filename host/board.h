/*
** board.h — the live board: a read-only web page of a conference as it
** stands, for the projected screen in the room and for virtual conferences.
**
** Contract. board_start() serves, from threads of its own (libmicrohttpd,
** one thread a connection, at most BOARD_MAX_CONNECTIONS), five GET
** resources: "/" the page (the state in a JSON data block, no inline script
** or style and no external assets), "/board.css" its stylesheet and
** "/board.js" its script (the page's Content-Security-Policy allows styles
** and scripts from the board only, never inline), "/state" the
** room's view as JSON and "/events" the same JSON as Server-Sent Events, one
** "state" event each time it changes. A path or query argument with a
** percent-encoded zero byte is taken as written, never cut there. Every other
** path is 404, every method but GET and HEAD is 405: there is nothing to
** write. The room's view is made in one place, board_room_json(): restricted
** notes, the escalation note, withdrawn entries, earlier texts and the event
** log never leave this module, nor the entries of the categories the agenda
** marks chair-only. A board started with a token answers 403 to
** any request without ?token=THAT; board_new_token() replaces it, and the
** old token (and every stream opened with it) stops working at once. One
** without a token answers 403 to a request whose Host names it other than by
** its address or as localhost (a page of another site rebinding a name of its
** own to this computer). A connection that has not finished its request ten
** seconds after it opened is closed, so slow clients cannot hold every slot.
** board_publish() is what the recording side calls after each acknowledged
** command: it builds the new JSON, swaps it in under a short lock and wakes
** the streams; it never waits on a client.
*/
#ifndef CONFER_BOARD_H
#define CONFER_BOARD_H

#include <stddef.h>
#include <jansson.h>

#include "agenda.h"
#include "model.h"

#define BOARD_MAX_CONNECTIONS 64
#define BOARD_TOKEN_LEN 32        /* hex characters in a token */
#define BOARD_DEFAULT_PORT 8080

typedef struct board board;

/*
** The room's view of CONF: model_to_json() with only what the room may see
** (see above). Caller owns the result; NULL when out of memory.
*/
json_t *board_room_json(const model_conference *conf);

/*
** board_room_json() also without the worried and working-well entries whose
** category is in CHAIR_ONLY (an array of category ids, or NULL for none), and
** with those worries' ids taken out of every action's "worries": the rule of
** the records' views (scripts/render/view.lua). NULL when out of memory.
*/
json_t *board_room_json_except(const model_conference *conf, const json_t *chair_only);

/*
** The categories the agenda keeps for the chair alone (its field
** chair_only.categories, docs/plugins.md) as a JSON array of strings, read
** without running any plugin code; [] when it names none. NULL when out of
** memory.
*/
json_t *board_chair_only(agenda *ag);

/*
** The agenda's sections as [{"id": ..., "title": ...}] with each title from
** the catalogues, read without running any plugin code. NULL when out of
** memory or the agenda has no section list.
*/
json_t *board_sections(agenda *ag);

/*
** Starts serving CONF on ADDRESS (numeric IPv4, e.g. "127.0.0.1") and PORT
** (0: any free port). SECTIONS ([{"id","title"}], may be NULL) is borrowed
** for this call only. CHAIR_ONLY (from board_chair_only(); copied) names the
** categories kept off the board in every state it serves, from the first;
** NULL (board_chair_only out of memory) is refused as out of memory, never
** taken as "none". With WITH_TOKEN a random token is made and required.
** Returns the board, or NULL with a one-line reason in ERR.
*/
board *board_start(const char *address, unsigned port, int with_token,
                   const model_conference *conf, const json_t *sections,
                   const json_t *chair_only, char *err, size_t errlen);

/* Publishes the current state of CONF to the page and every stream. 0, or -1 when out of memory. */
int board_publish(board *b, const model_conference *conf);

/* Replaces the token with a new random one; the old one is refused from now on. */
void board_new_token(board *b);

/*
** The address to open ("http://127.0.0.1:8080/" or with "?token=..."),
** written into BUF.
*/
const char *board_url(board *b, char *buf, size_t len);

/* The port the board listens on. */
unsigned board_port(const board *b);

/* Stops serving, ends every stream and frees the board; NULL is a no-op. */
void board_stop(board *b);

#endif
