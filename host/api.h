/*
** api.h — the Lua face of the host: the `confer` table in every sandbox.
**
** Contract. api_open installs into a sandbox's environment:
**   confer.where([level])          "FILE:LINE" of the caller (for plugin declarations)
**   confer.text(key [, ...])       a catalogue text, formatted
**   confer.calendar.*              working days, bank holidays, deadlines
**   confer.conference{authority=, type=, date=, id=}  a new in-memory conference
** and the userdata type "confer.Conference" (checked with luaL_checkudata):
**   conf.id .authority .type .date .chair .section .decision .closed ...
**   conf:items([type])  conf:item(id)  conf:participant(name)  conf:count(what)
**   conf:record(kind, fields) -> id   (in-memory conferences only)
** Read accessors return fresh tables, never references into C memory.
** The reference for analysts is docs/lua-api.md.
*/
#ifndef CONFER_API_H
#define CONFER_API_H

#include "sandbox.h"
#include "model.h"

/* Pushes the confer.calendar table (api_calendar.c). */
void api_calendar_push(lua_State *L);

/* Installs the `confer` table into SB's environment. */
void api_open(sandbox *sb);

/*
** Pushes CONF as a read-only Conference userdata that borrows CONF: the
** caller keeps CONF alive while the sandbox may still use it.
*/
void api_push_conference(lua_State *L, model_conference *conf);

/*
** Detaches the borrowed Conference userdata at INDEX from its model: any
** later use raises "this conference is no longer available". For a session
** that ends while its sandbox lives on (an agenda shared by many
** conferences), so a value a plugin kept can never reach a freed model.
** Anything else at INDEX is left alone.
*/
void api_release_conference(lua_State *L, int index);

/* The conference behind the Conference userdata at INDEX, or a Lua error. */
model_conference *api_check_conference(lua_State *L, int index);

/*
** The string at argument ARG for C to read (luaL_checkstring), or an
** argument error when it holds a zero byte: C would read only the part
** before it, so "2026-01-05\0x" would pass for a date.
*/
const char *api_check_cstring(lua_State *L, int arg);

#endif
