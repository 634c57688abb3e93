/*
** repl.c — the chair's session: `confer run` and `confer demo`.
**
** The loop is small: read a line, parse it (command.c), dispatch to one
** function per verb group. What the agenda knows (sections, prompts,
** required items, closing checks, the authority's entry rules) is asked of
** the plugin through a few Lua helpers run in the agenda's own sandbox, so
** the host never knows an authority by name. Every change goes through
** store_append, which commits durably before the acknowledgement is printed.
*/
#include "repl.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>

#include "agenda.h"
#include "api.h"
#include "board.h"
#include "cli.h"
#include "command.h"
#include "editline.h"
#include "i18n.h"
#include "paths.h"
#include "sandbox.h"
#include "utf8.h"

/*
** What the session keeps of one section of the agenda, read once at the
** start: its id, title and prompts never change during a session, and a
** section without hooks or requirements needs no call into Lua when the
** chair moves through it.
*/
typedef struct section_info {
  char *id, *title;
  char **prompts;       /* the lines H.enter gives, in order */
  size_t n_prompts;
  int has_enter, has_leave, has_requires;
} section_info;

struct repl {
  store *st;
  model_conference *conf;
  const char *actor;
  FILE *out;
  int interactive;
  agenda *ag;
  int owns_agenda;      /* repl_open loaded AG; repl_open_with_agenda borrows it */
  sandbox *sb;
  int helpers;          /* registry ref of the Lua helper table */
  int kit;              /* registry ref of the agenda's kit (push_kit) */
  int conf_box;         /* registry ref of the conference as the sandbox sees it */
  int section;          /* 1-based index of the current section, 0 before the first */
  int n_sections;
  section_info *layout; /* N_SECTIONS entries in the kit's block, or NULL: then each is asked of Lua */
  long first_seq;       /* the first event this session appended may be undone back to */
  int end_pending;      /* "end" printed its checks and waits for "yes" */
  int failures;
  board *board;         /* the live board, NULL while it is off */
  int board_shared;     /* the board listens beyond loopback and needs its token */
  size_t board_events;  /* the events the board has been shown */
};

/* The Lua side of the session, run in the agenda's sandbox with (agenda, conf). */
static const char helpers_source[] =
  "local agenda, locate = ...\n"
  "local conf\n"
  "local sos = require 'signs_of_safety'\n"
  "local H = {}\n"
  /* Never called: the host sets the `conf` all helpers share through its one upvalue. */
  "function H.bind(c) conf = c end\n"
  "local function list(t) return type(t) == 'table' and t or {} end\n"
  "local function text(key) return confer.text(tostring(key)) end\n"
  "function H.count() return #agenda.sections end\n"
  "function H.id(i) return agenda.sections[i].id end\n"
  "function H.title(i) return text(agenda.sections[i].title or agenda.sections[i].id) end\n"
  "function H.find(id)\n"
  "  for i, s in ipairs(agenda.sections) do if s.id == id then return i end end\n"
  "end\n"
  "function H.enter(i)\n"
  "  local s, lines = agenda.sections[i], {}\n"
  "  for _, p in ipairs(list(s.prompts)) do lines[#lines + 1] = '  ' .. text(p) end\n"
  "  for _, q in ipairs(list(s.questions)) do lines[#lines + 1] = '  ? ' .. text(q) end\n"
  "  return lines\n"
  "end\n"
  /* A section's enter or leave function (docs/plugins.md): what it returns, a
     string or a list of them, is shown to the chair; an error is one line. */
  "local function hook(i, which)\n"
  "  local f = agenda.sections[i][which]\n"
  "  if type(f) ~= 'function' then return {} end\n"
  "  local ok, said = xpcall(f, locate, conf)\n"
  "  if not ok then return { confer.text('repl.hook_failed', agenda.sections[i].id, which, tostring(said)) } end\n"
  "  if type(said) == 'string' or type(said) == 'number' then return { tostring(said) } end\n"
  "  if said == nil then return {} end\n"
  /* Anything else is the plugin's mistake: said, never shown as 'table: 0x...' nor dropped unsaid. */
  "  local id = agenda.sections[i].id\n"
  "  if type(said) ~= 'table' then return { confer.text('repl.hook_wrong_result', id, which, type(said)) } end\n"
  "  local out = {}\n"
  "  for n, line in ipairs(said) do\n"
  "    local kind = type(line)\n"
  "    out[#out + 1] = (kind == 'string' or kind == 'number') and tostring(line)\n"
  "                    or confer.text('repl.hook_wrong_line', id, which, kind, n)\n"
  "  end\n"
  "  return out\n"
  "end\n"
  "function H.on_enter(i) return hook(i, 'enter') end\n"
  "function H.on_leave(i) return hook(i, 'leave') end\n"
  "function H.missing(i)\n"
  "  local out = {}\n"
  "  for _, r in ipairs(list(agenda.sections[i].requires)) do\n"
  "    if conf:count(r.what) < (r.min or 1) then out[#out + 1] = text(r.reason or r.what) end\n"
  "  end\n"
  "  return out\n"
  "end\n"
  "function H.validate(verb, fields) return sos.validate(agenda, conf, verb, fields) end\n"
  "function H.pull(report, options)\n"
  "  return require('report_pull').entries(agenda, conf, report, options)\n"
  "end\n"
  "function H.checks()\n"
  "  local out = {}\n"
  "  for _, c in ipairs(list(agenda.checks)) do\n"
  "    local ok, problems = xpcall(c.check, locate, conf)\n"
  "    if not ok then out[#out + 1] = tostring(c.id) .. ': ' .. tostring(problems)\n"
  "    else for _, p in ipairs(list(problems)) do out[#out + 1] = tostring(p) end end\n"
  "  end\n"
  /* A section's own check (docs/plugins.md), e.g. Sefton's outcomes that repeat the action. */
  "  for _, s in ipairs(agenda.sections) do\n"
  "    if type(s.check) == 'function' then\n"
  "      local ok, problems = xpcall(s.check, locate, conf)\n"
  "      if not ok then out[#out + 1] = tostring(s.id) .. ': ' .. tostring(problems)\n"
  "      else for _, p in ipairs(list(problems)) do out[#out + 1] = tostring(p) end end\n"
  "    end\n"
  "  end\n"
  "  return out\n"
  "end\n"
  /* Everything of each section the session keeps (section_info in C). */
  "function H.layout()\n"
  "  local out = {}\n"
  "  for i = 1, #agenda.sections do\n"
  "    local s = agenda.sections[i]\n"
  "    local id = H.id(i)\n"
  "    out[i] = { id = type(id) == 'string' and id or '?', title = H.title(i), prompts = H.enter(i),\n"
  "               enter = type(s.enter) == 'function', leave = type(s.leave) == 'function',\n"
  "               requires = next(list(s.requires)) ~= nil }\n"
  "  end\n"
  "  return out\n"
  "end\n"
  "function H.words(what)\n"
  "  local out = {}\n"
  "  if what == 'worry' or what == 'good' then\n"
  "    local column = what == 'worry' and 'worried' or 'working_well'\n"
  "    for _, c in ipairs(list(list(agenda.columns)[column])) do out[#out + 1] = c end\n"
  "  elseif what == 'decide' then\n"
  "    for _, c in ipairs(list(list(agenda.decision).categories)) do out[#out + 1] = c end\n"
  "  elseif what == 'sections' then\n"
  "    for _, s in ipairs(agenda.sections) do out[#out + 1] = s.id end\n"
  "  end\n"
  "  return out\n"
  "end\n"
  /* A bounded, sorted rendering so `= EXPR` output is stable and never huge. */
  "local function show(v, depth)\n"
  "  if type(v) == 'string' then return depth > 0 and string.format('%q', v) or v end\n"
  "  if type(v) ~= 'table' then return tostring(v) end\n"
  "  if depth >= 3 then return '{...}' end\n"
  "  local keys, parts = {}, {}\n"
  "  for k in pairs(v) do keys[#keys + 1] = k end\n"
  "  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)\n"
  "  for n, k in ipairs(keys) do\n"
  "    if n > 40 then parts[#parts + 1] = '...' break end\n"
  "    local key = math.type(k) == 'integer' and '' or tostring(k) .. '='\n"
  "    parts[#parts + 1] = key .. show(v[k], depth + 1)\n"
  "  end\n"
  "  return '{' .. table.concat(parts, ', ') .. '}'\n"
  "end\n"
  "function H.eval(code)\n"
  "  local f, err = load('local conf = ...; return ' .. code, '=conf', 't')\n"
  "  if f == nil then f, err = load('local conf = ...; ' .. code, '=conf', 't') end\n"
  "  if f == nil then error(err, 0) end\n"
  "  local results = table.pack(f(conf))\n"
  "  local parts = {}\n"
  "  for i = 1, results.n do parts[i] = show(results[i], 0) end\n"
  "  return table.concat(parts, '\\t')\n"
  "end\n"
  "return H\n";

/* ** {====== Output ====== */

static void say(repl *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static repl_status refuse(repl *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
** One line of output. Flushed at once so a watcher (or a crash) sees what was
** acknowledged, and so a failure to write stdout is told on stderr when it
** happens (cli_flush_stdout), not when the session ends: the session goes on
** recording (run_session). Shown through utf8_printable_write: the line
** carries words from plugins and catalogues, whose control characters must
** not reach the chair's terminal.
*/
static void say(repl *r, const char *fmt, ...) {
  char line[4096];
  va_list ap, again;
  va_start(ap, fmt);
  va_copy(again, ap);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  char *text = n >= 0 && (size_t)n >= sizeof line ? malloc((size_t)n + 1) : line;
  if (text == NULL) text = line;   /* out of memory: the line's first 4 KiB are shown */
  else if (text != line) vsnprintf(text, (size_t)n + 1, fmt, again);
  va_end(again);
  va_end(ap);
  if (n > 0) utf8_printable_write(r->out, text, strlen(text));
  if (text != line) free(text);
  fputc('\n', r->out);
  if (r->out == stdout) cli_flush_stdout();
  else fflush(r->out);   /* training's memory stream, checked where it is read */
}

/* Prints "error: ..." and counts the failure for the exit status. */
static repl_status refuse(repl *r, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  say(r, _("repl.error"), msg);
  r->failures++;
  return REPL_FAILED;
}

/* }====== */

/* ** {====== Lua helpers ====== */

/* Pushes a JSON value as the Lua value a plugin expects (objects as tables, null as nil). */
static void push_json(lua_State *L, const json_t *value) {
  /* Translated only when needed: this runs for every field of every command. */
  if (!lua_checkstack(L, 4)) luaL_checkstack(L, 4, _("repl.payload_too_deep"));
  if (json_is_object(value)) {
    const char *key;
    size_t key_len;
    json_t *member;
    lua_createtable(L, 0, (int)json_object_size(value));   /* sized once, not grown field by field */
    /* Keys and strings by their known lengths: lua_setfield and lua_pushstring would
       measure each and look it up in Lua's cache of C strings, where a fresh payload's never are. */
    json_object_keylen_foreach((json_t *)value, key, key_len, member) {
      lua_pushlstring(L, key, key_len);
      push_json(L, member);
      lua_rawset(L, -3);
    }
  } else if (json_is_array(value)) {
    lua_createtable(L, (int)json_array_size(value), 0);
    for (size_t i = 0; i < json_array_size(value); i++) {
      push_json(L, json_array_get(value, i));
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
  } else if (json_is_string(value)) {
    lua_pushlstring(L, json_string_value(value), json_string_length(value));
  } else if (json_is_integer(value)) {
    lua_pushinteger(L, (lua_Integer)json_integer_value(value));
  } else if (json_is_boolean(value)) {
    lua_pushboolean(L, json_is_true(value));
  } else {
    lua_pushnil(L);
  }
}

/* Pushes helper NAME (the function) ready for its arguments. */
static lua_State *helper(repl *r, const char *name) {
  lua_State *L = sandbox_state(r->sb);
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->helpers);
  lua_getfield(L, -1, name);
  lua_remove(L, -2);
  return L;
}

/* Calls the helper pushed with NARGS arguments; 0 with one result pushed, or -1 with ERR. */
static int call_helper(repl *r, int nargs, char *err, size_t errlen) {
  return sandbox_pcall(r->sb, nargs, 1, err, errlen);
}

/* Section I's id or title (WHICH = "id" / "title") into BUF. */
static const char *section_text(repl *r, const char *which, int i, char *buf, size_t len) {
  char err[256];
  if (r->layout != NULL && i >= 1 && i <= r->n_sections) {
    const section_info *s = &r->layout[i - 1];
    snprintf(buf, len, "%s", strcmp(which, "id") == 0 ? s->id : s->title);
    return buf;
  }
  lua_State *L = helper(r, which);
  lua_pushinteger(L, i);
  if (call_helper(r, 1, err, sizeof err) != 0) {
    snprintf(buf, len, "%d", i);
    return buf;
  }
  snprintf(buf, len, "%s", lua_isstring(L, -1) ? lua_tostring(L, -1) : "?");
  lua_pop(L, 1);
  return buf;
}

/*
** One entry of a list from the agenda (a prompt, a problem a check found or
** its error, a line an enter hook returned): one line, whatever line breaks
** the plugin's text holds, and clipped, so that neither a broken layout nor
** megabytes reach the chair's screen.
*/
static void say_entry(repl *r, const char *prefix, const char *text, size_t len) {
  char line[1024];
  utf8_printable_copy(line, sizeof line, text, len, 1);
  say(r, "%s%s", prefix, line);
}

/* Prints each string of the list helper NAME(ARG) returns, with PREFIX; returns how many. */
static int print_list(repl *r, const char *name, int arg, const char *prefix) {
  char err[512];
  lua_State *L = helper(r, name);
  int nargs = arg > 0 ? (lua_pushinteger(L, arg), 1) : 0;
  if (call_helper(r, nargs, err, sizeof err) != 0) {
    refuse(r, "%s", err);
    return 0;
  }
  int n = 0;
  if (lua_istable(L, -1)) {
    for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING; i++, n++) {
      size_t len;
      const char *text = lua_tolstring(L, -1, &len);
      say_entry(r, prefix, text, len);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return n;
}

/*
** The sections' fixed facts as the session keeps them: a userdata, so the
** agenda's kit (below) can keep it for later sessions and the collector
** frees the copies (layout_gc) with the sandbox.
*/
typedef struct layout_block {
  int n;                     /* the entries filled (and to free) */
  section_info sections[];
} layout_block;

static int layout_gc(lua_State *L) {
  layout_block *b = lua_touserdata(L, 1);
  for (int i = 0; i < b->n; i++) {
    section_info *s = &b->sections[i];
    free(s->id);
    free(s->title);
    for (size_t p = 0; p < s->n_prompts; p++) free(s->prompts[p]);
    free(s->prompts);
  }
  b->n = 0;
  return 0;
}

/* Pushes an empty layout block with room for N sections. */
static layout_block *new_layout_block(lua_State *L, int n) {
  layout_block *b = lua_newuserdatauv(L, sizeof *b + (size_t)n * sizeof b->sections[0], 0);
  memset(b, 0, sizeof *b + (size_t)n * sizeof b->sections[0]);
  if (luaL_newmetatable(L, "confer.repl.layout")) {
    lua_pushcfunction(L, layout_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  return b;
}

/* A copy of the string field KEY of the table at the top of L, or NULL. */
static char *copy_field(lua_State *L, const char *key) {
  lua_getfield(L, -1, key);
  char *copy = lua_type(L, -1) == LUA_TSTRING ? strdup(lua_tostring(L, -1)) : NULL;
  lua_pop(L, 1);
  return copy;
}

/* The truth of field KEY of the table at the top of L. */
static int flag_field(lua_State *L, const char *key) {
  lua_getfield(L, -1, key);
  int on = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return on;
}

/* Fills S from the H.layout entry at the top of L; -1 when out of memory or malformed. */
static int read_section(lua_State *L, section_info *s) {
  s->id = copy_field(L, "id");
  s->title = copy_field(L, "title");
  s->has_enter = flag_field(L, "enter");
  s->has_leave = flag_field(L, "leave");
  s->has_requires = flag_field(L, "requires");
  if (s->id == NULL || s->title == NULL) return -1;   /* nothing pushed: the entry stays on top */
  if (lua_getfield(L, -1, "prompts") != LUA_TTABLE) {
    lua_pop(L, 1);
    return -1;
  }
  size_t n = lua_rawlen(L, -1);
  s->prompts = n > 0 ? calloc(n, sizeof *s->prompts) : NULL;
  int status = n > 0 && s->prompts == NULL ? -1 : 0;
  for (size_t i = 0; status == 0 && i < n; i++) {
    if (lua_rawgeti(L, -1, (lua_Integer)i + 1) != LUA_TSTRING) status = -1;
    else if ((s->prompts[i] = strdup(lua_tostring(L, -1))) == NULL) status = -1;
    else s->n_prompts++;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return status;
}

/*
** The registry key of the agendas' kits, by agenda table (weak keys): what
** sessions on one agenda (simulate --count) would each make the same, made
** once. A kit holds `layout`, the layout block, and `idle`, the helper table
** an ended session left for the next (see take_helpers).
*/
static const char kits_key = 'K';

/* Pushes the kit of the session's agenda, made empty on first use. */
static void push_kit(repl *r, lua_State *L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kits_key) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kits_key);
  }
  agenda_push(r->ag);
  if (lua_rawget(L, -2) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_createtable(L, 0, 2);
    agenda_push(r->ag);
    lua_pushvalue(L, -2);
    lua_rawset(L, -4);
  }
  lua_remove(L, -2);
}

/*
** Reads every section's fixed facts (H.layout) into a block, once per
** agenda: the kit at index KIT keeps it. When that fails the session still
** works, asking Lua each time as it did before: r->layout stays NULL.
*/
static void load_layout(repl *r, lua_State *L, int kit) {
  char err[256];
  if (r->n_sections <= 0) return;
  if (lua_getfield(L, kit, "layout") == LUA_TUSERDATA) {
    layout_block *kept = lua_touserdata(L, -1);
    if (kept->n == r->n_sections) r->layout = kept->sections;
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  layout_block *b = new_layout_block(L, r->n_sections);
  helper(r, "layout");
  if (call_helper(r, 0, err, sizeof err) != 0) {
    lua_pop(L, 1);
    return;
  }
  int ok = lua_istable(L, -1) && lua_rawlen(L, -1) == (size_t)r->n_sections;
  for (int i = 0; ok && i < r->n_sections; i++) {
    b->n = i + 1;   /* so layout_gc frees what a failed read_section kept */
    ok = lua_rawgeti(L, -1, i + 1) == LUA_TTABLE && read_section(L, &b->sections[i]) == 0;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  if (!ok) {
    lua_pop(L, 1);
    return;
  }
  lua_setfield(L, kit, "layout");
  r->layout = b->sections;
}

/* Gives the text of the value at index 1 by its __tostring (for locate_plugin_error). */
static int error_text(lua_State *L) {
  luaL_tolstring(L, 1, NULL);
  return 1;
}

/*
** The message handler the helpers give xpcall around a plugin's function
** (a check, an enter or leave hook). A string error already names the
** plugin's file and line (error() adds them); any other value, a table with
** or without __tostring, is made "FILE:LINE: TEXT" with the plugin's line
** that raised it, which only a handler still sees: the chair could not
** otherwise find the line. TEXT is the __tostring's, called protected so
** that a failing one still leaves the position, else Lua's own description.
*/
static int locate_plugin_error(lua_State *L) {
  int type = lua_type(L, 1);
  if (type == LUA_TSTRING || type == LUA_TNUMBER) return 1;
  lua_settop(L, 1);
  sandbox_push_location(L, 1);   /* the first Lua function: error() and the handlers are C */
  int described = 0;
  if (luaL_getmetafield(L, 1, "__tostring") != LUA_TNIL) {
    lua_pop(L, 1);
    lua_pushcfunction(L, error_text);
    lua_pushvalue(L, 1);
    described = lua_pcall(L, 1, 1, 0) == LUA_OK;
    if (!described) lua_pop(L, 1);
  }
  if (!described) lua_pushfstring(L, _("sandbox.error_object"), luaL_typename(L, 1));
  lua_concat(L, 2);
  return 1;
}

/*
** Pushes a helper table for the session: the one an ended session left in
** the kit at index KIT (taken out, so two sessions open at once never share
** one), else a new one from the helper chunk, compiled once per sandbox.
*/
static int take_helpers(repl *r, lua_State *L, int kit, char *err, size_t errlen) {
  if (lua_getfield(L, kit, "idle") == LUA_TTABLE) {
    lua_pushnil(L);
    lua_setfield(L, kit, "idle");
    return 0;
  }
  lua_pop(L, 1);
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, helpers_source) != LUA_TFUNCTION) {
    lua_pop(L, 1);
    if (sandbox_loadstring(r->sb, helpers_source, sizeof helpers_source - 1, "=repl",
                           err, errlen) != 0)
      return -1;
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, helpers_source);
  }
  agenda_push(r->ag);
  lua_pushcfunction(L, locate_plugin_error);
  return sandbox_pcall(r->sb, 2, 1, err, errlen);
}

/*
** Sets the conference the helpers of the table at index HELPERS see to the
** value at the top (popped): the upvalue `conf` they all share, reached
** through H.bind. No Lua runs, so this cannot fail halfway.
*/
static void bind_conference(lua_State *L, int helpers) {
  lua_getfield(L, helpers, "bind");
  lua_insert(L, -2);
  if (lua_setupvalue(L, -2, 1) == NULL) lua_pop(L, 1);
  lua_pop(L, 1);
}

/* Loads the helpers into the agenda's sandbox, bound to the agenda and the conference. */
static int load_helpers(repl *r, char *err, size_t errlen) {
  lua_State *L = sandbox_state(r->sb);
  push_kit(r, L);
  int kit = lua_gettop(L);
  if (take_helpers(r, L, kit, err, errlen) != 0) {
    lua_settop(L, kit - 1);
    return -1;
  }
  api_push_conference(L, r->conf);
  lua_pushvalue(L, -1);
  r->conf_box = luaL_ref(L, LUA_REGISTRYINDEX);
  bind_conference(L, kit + 1);
  r->helpers = luaL_ref(L, LUA_REGISTRYINDEX);
  r->kit = luaL_ref(L, LUA_REGISTRYINDEX);
  L = helper(r, "count");
  if (call_helper(r, 0, err, errlen) != 0) return -1;
  r->n_sections = (int)lua_tointeger(L, -1);
  lua_pop(L, 1);
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->kit);
  load_layout(r, L, lua_gettop(L));
  lua_pop(L, 1);
  return 0;
}

/*
** Ends the session's hold on the agenda's sandbox: the conference as the
** sandbox saw it is released (what a plugin kept of it can no longer reach
** it), and the helpers, bound to nothing, go back to the kit for the next
** session unless another session already left its own there.
*/
static void leave_sandbox(repl *r) {
  lua_State *L = sandbox_state(r->sb);
  int top = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->conf_box);
  api_release_conference(L, -1);
  luaL_unref(L, LUA_REGISTRYINDEX, r->conf_box);
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->kit);
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->helpers);
  if (lua_istable(L, top + 2) && lua_istable(L, top + 3) &&
      lua_getfield(L, top + 2, "idle") == LUA_TNIL) {
    lua_pushnil(L);
    bind_conference(L, top + 3);
    lua_pushvalue(L, top + 3);
    lua_setfield(L, top + 2, "idle");
  }
  lua_settop(L, top);
  luaL_unref(L, LUA_REGISTRYINDEX, r->helpers);
  luaL_unref(L, LUA_REGISTRYINDEX, r->kit);
}

/* }====== */

/* ** {====== Sections ====== */

/* Prints the section header, prompts and questions of section I. */
static void print_section(repl *r, int i) {
  char title[512];
  say(r, _("repl.section"), i, r->n_sections, section_text(r, "title", i, title, sizeof title));
  if (r->layout == NULL) print_list(r, "enter", i, "");
  else
    for (size_t p = 0; p < r->layout[i - 1].n_prompts; p++)
      say_entry(r, "", r->layout[i - 1].prompts[p], strlen(r->layout[i - 1].prompts[p]));
}

/* The index of the section with ID, or 0. */
static int find_section(repl *r, const char *id) {
  char err[256];
  lua_State *L = helper(r, "find");
  lua_pushstring(L, id);
  if (call_helper(r, 1, err, sizeof err) != 0) return 0;
  int i = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : 0;
  lua_pop(L, 1);
  return i;
}

/* Records the move to section I and prints it, leaving the current one first. */
static repl_status enter_section(repl *r, int i) {
  char id[MODEL_NAME_MAX + 1], given[16], err[512];
  json_t *payload = json_pack("{ss}", "section", section_text(r, "id", i, id, sizeof id));
  if (payload == NULL) return refuse(r, "%s", _("host.out_of_memory"));
  int rc = store_append(r->st, r->conf, "section.entered", payload, r->actor, given, sizeof given,
                        err, sizeof err);
  json_decref(payload);
  if (rc != 0) return refuse(r, "%s", err);
  if (r->section > 0 && (r->layout == NULL || r->layout[r->section - 1].has_leave))
    print_list(r, "on_leave", r->section, "  ");
  r->section = i;
  print_section(r, i);
  if (r->layout == NULL || r->layout[i - 1].has_enter) print_list(r, "on_enter", i, "  ");
  return REPL_DONE;
}

/* The model's current section as an index (after a resume or an undo). */
static void sync_section(repl *r) {
  r->section = r->conf->section != NULL ? find_section(r, r->conf->section) : 0;
}

/* Leaving the current section: names what it still requires unless FORCE. */
static int may_leave(repl *r, int force) {
  if (force || r->section == 0) return 1;
  if (r->layout != NULL && !r->layout[r->section - 1].has_requires) return 1;
  char title[512];
  lua_State *L = helper(r, "missing");
  char err[512];
  lua_pushinteger(L, r->section);
  if (call_helper(r, 1, err, sizeof err) != 0) return refuse(r, "%s", err), 0;
  size_t n = lua_istable(L, -1) ? lua_rawlen(L, -1) : 0;
  lua_pop(L, 1);
  if (n == 0) return 1;
  say(r, _("repl.missing_header"), section_text(r, "title", r->section, title, sizeof title));
  print_list(r, "missing", r->section, "  - ");
  say(r, "%s", _("repl.missing_hint"));
  return 0;
}

static repl_status do_move(repl *r, const command *cmd) {
  int target;
  if (cmd->type == COMMAND_BACK) {
    if (r->section <= 1) return refuse(r, "%s", _("repl.first_section"));
    return enter_section(r, r->section - 1);
  }
  if (cmd->type == COMMAND_NEXT) {
    if (r->section >= r->n_sections) return refuse(r, "%s", _("repl.last_section"));
    target = r->section + 1;
  } else {
    target = find_section(r, cmd->arg);
    if (target == 0) return refuse(r, _("repl.unknown_section"), cmd->arg);
  }
  if (!may_leave(r, cmd->force)) return REPL_DONE;
  return enter_section(r, target);
}

static repl_status do_sections(repl *r) {
  char id[MODEL_NAME_MAX + 1], title[512];
  for (int i = 1; i <= r->n_sections; i++)
    say(r, "%c %2d %-22s %s", i == r->section ? '>' : ' ', i,
        section_text(r, "id", i, id, sizeof id), section_text(r, "title", i, title, sizeof title));
  return REPL_DONE;
}

/* }====== */

/* ** {====== Recording ====== */

/* The authority's rule for an entry (sos.validate): NULL if fine, else the message in BUF. */
static const char *authority_refuses(repl *r, const command *cmd, char *buf, size_t len) {
  lua_State *L = helper(r, "validate");
  lua_pushstring(L, cmd->verb);
  push_json(L, cmd->payload);
  if (call_helper(r, 2, buf, len) != 0) return buf;
  const char *msg = lua_isstring(L, -1) ? lua_tostring(L, -1) : NULL;
  if (msg != NULL) snprintf(buf, len, "%s", msg);
  lua_pop(L, 1);
  return msg != NULL ? buf : NULL;
}

/* 1 if a live recommendation differs from the decision just made and no escalation is noted. */
static int recommendations_differ(const model_conference *conf) {
  if (conf->decision == NULL || conf->escalation != NULL) return 0;
  for (size_t i = 0; i < conf->n_items; i++) {
    const model_item *it = &conf->items[i];
    if (it->type == MODEL_RECOMMENDATION && !it->withdrawn && it->plan != NULL &&
        strcmp(it->plan, conf->decision) != 0)
      return 1;
  }
  return 0;
}

static repl_status append(repl *r, const char *kind, const json_t *payload, const char *verb) {
  char id[16] = "", err[1024];
  if (store_append(r->st, r->conf, kind, payload, r->actor, id, sizeof id, err, sizeof err) != 0)
    return refuse(r, "%s", err);
  /* An amendment or withdrawal names the entry it changed; other id-less events their verb. */
  const char *named = json_string_value(json_object_get(payload, "id"));
  if (id[0] != '\0') say(r, _("repl.recorded"), id);
  else if (named != NULL) say(r, strcmp(verb, "amend") == 0 ? _("repl.amended") : _("repl.withdrawn_ok"), named);
  else say(r, _("repl.recorded"), verb);
  return REPL_DONE;
}

static void update_board(repl *r);

/* libedit, opened by terminal_loop: only a session at a terminal edits lines. */
static const editline_api *el;

/* Asks for the disagreement note at the terminal; an empty answer leaves it for later. */
static void ask_escalation(repl *r) {
  char *line = el->readline(_("repl.escalation_prompt"));
  if (line == NULL) return;
  if (line[0] != '\0') {
    json_t *payload = json_pack("{ss}", "text", line);
    if (payload == NULL) refuse(r, "%s", _("host.out_of_memory"));
    else append(r, "escalation.noted", payload, "escalation");
    json_decref(payload);
  }
  free(line);
}

static repl_status do_record(repl *r, const command *cmd) {
  char msg[1024];
  if (authority_refuses(r, cmd, msg, sizeof msg) != NULL) return refuse(r, "%s", msg);
  repl_status status = append(r, cmd->kind, cmd->payload, cmd->verb);
  if (status != REPL_DONE || strcmp(cmd->kind, "decision.made") != 0) return status;
  if (recommendations_differ(r->conf)) {
    say(r, "%s", _("repl.disagreement"));
    update_board(r);   /* the room sees the decision while the chair notes the disagreement */
    if (r->interactive) ask_escalation(r);
  }
  return REPL_DONE;
}

/* The string field KEY of the table at the top of L, or NULL. */
static const char *table_string(lua_State *L, const char *key) {
  lua_getfield(L, -1, key);
  const char *value = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
  lua_pop(L, 1);   /* the table still holds the string */
  return value;
}

/*
** Records one entry pull found (the table at the top of L) as `worry` or
** `good` would, the authority's rules included; 1 if it was recorded.
*/
static int pull_entry(repl *r, lua_State *L) {
  const char *column = table_string(L, "column"), *text = table_string(L, "text");
  const char *already = table_string(L, "mapped");
  if (column == NULL || text == NULL) return refuse(r, "%s", _("repl.pull.bad_entry")), 0;
  if (already != NULL) return say(r, _("repl.pull.already"), already, text), 0;
  command cmd = {.type = COMMAND_RECORD, .kind = "entry.mapped",
                 .verb = strcmp(column, "worried") == 0 ? "worry" : "good"};
  cmd.payload = json_pack("{ss ss* ss ss* ss*}", "column", column, "category",
                          table_string(L, "category"), "text", text, "kind",
                          table_string(L, "kind"), "source", table_string(L, "source"));
  if (cmd.payload == NULL) return refuse(r, "%s", _("host.out_of_memory")), 0;
  char msg[1024];
  int recorded = 0;
  if (authority_refuses(r, &cmd, msg, sizeof msg) != NULL) refuse(r, _("repl.pull.refused"), text, msg);
  else recorded = append(r, cmd.kind, cmd.payload, cmd.verb) == REPL_DONE;
  json_decref(cmd.payload);
  return recorded;
}

/* Maps the worries and strengths of AGENCY's report (scripts/report_pull.lua). */
static repl_status do_pull(repl *r, const command *cmd) {
  const char *agency = json_string_value(json_object_get(cmd->payload, "agency"));
  const model_event *report = model_agency_event(r->conf, "report.received", agency);
  if (report == NULL) return refuse(r, _("repl.pull.no_report"), agency);
  char err[1024];
  lua_State *L = helper(r, "pull");
  push_json(L, report->payload);   /* copied now: recording moves the events */
  push_json(L, cmd->payload);
  if (call_helper(r, 2, err, sizeof err) != 0) return refuse(r, "%s", err);
  if (lua_type(L, -1) == LUA_TSTRING) {  /* a category that is not the column's: nothing mapped */
    refuse(r, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    return REPL_FAILED;
  }
  unsigned long recorded = 0;
  lua_Integer n = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0;
  for (lua_Integer i = 1; i <= n; i++) {
    if (lua_rawgeti(L, -1, i) == LUA_TTABLE) recorded += (unsigned long)pull_entry(r, L);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  say(r, i18n_plural("repl.pull.done", recorded), recorded, agency);
  return REPL_DONE;
}

/* The id of the item event SEQ created, or NULL. */
static const char *item_of_event(const model_conference *conf, long seq) {
  for (size_t i = 0; i < conf->n_items; i++)
    if (conf->items[i].seq == seq && conf->items[i].id[0] != '\0') return conf->items[i].id;
  return NULL;
}

static repl_status do_undo(repl *r) {
  const model_event *last = model_last_live_event(r->conf);
  if (last == NULL || last->seq < r->first_seq) return refuse(r, "%s", _("repl.nothing_to_undo"));
  /* Name what the chair typed: the entry made or changed, else the event's
     first word ("coregroup", "scale"), never the internal kind "coregroup.set". */
  char what[MODEL_NAME_MAX + 16];
  const char *id = item_of_event(r->conf, last->seq);
  if (id == NULL) id = json_string_value(json_object_get(last->payload, "id"));
  if (id != NULL) snprintf(what, sizeof what, "%s", id);
  else snprintf(what, sizeof what, "%.*s", (int)strcspn(last->kind, "."), last->kind);
  json_t *payload = json_pack("{sI}", "seq", (json_int_t)last->seq);
  if (payload == NULL) return refuse(r, "%s", _("host.out_of_memory"));
  char given[16], err[1024];
  int rc = store_append(r->st, r->conf, "event.undone", payload, r->actor, given, sizeof given,
                        err, sizeof err);
  json_decref(payload);
  if (rc != 0) return refuse(r, "%s", err);
  say(r, _("repl.undone"), what);
  int before = r->section;
  sync_section(r);
  if (r->section != before && r->section > 0) print_section(r, r->section);
  return REPL_DONE;
}

/* }====== */

/* ** {====== Showing ====== */

static void show_item(repl *r, const model_item *it) {
  const char *withdrawn = it->withdrawn ? _("repl.withdrawn") : "";
  const char *sep = withdrawn[0] != '\0' ? " " : "";
  switch (it->type) {
  case MODEL_WORRY:
  case MODEL_GOOD:
    say(r, "  %s [%s] %s%s%s%s%s%s%s%s", it->id, it->category ? it->category : "", it->text,
        it->evidence ? " (" : "", it->evidence ? it->evidence : "",
        it->evidence && it->source ? ", " : "", it->source ? it->source : "",
        it->evidence ? ")" : "", sep, withdrawn);
    break;
  case MODEL_ACTION: {
    char links[256] = "";
    for (size_t i = 0; i < it->n_links; i++) {
      size_t used = strlen(links);
      snprintf(links + used, sizeof links - used, "%s%s", i ? "," : "", it->links[i]);
    }
    say(r, "  %s %s (%s, %s, %s)%s%s", it->id, it->text, it->owner ? it->owner : "",
        it->due ? it->due : "", links, sep, withdrawn);
    break;
  }
  default:
    say(r, "  %s %s%s%s", it->id, it->text ? it->text : "", sep, withdrawn);
  }
}

/* Prints the items of the given types under HEADING_KEY. */
static void show_column(repl *r, const char *heading_key, const model_item_type *types, size_t n) {
  say(r, "%s", _(heading_key));
  for (size_t i = 0; i < r->conf->n_items; i++)
    for (size_t t = 0; t < n; t++)
      if (r->conf->items[i].type == types[t]) show_item(r, &r->conf->items[i]);
}

static repl_status do_show(repl *r, const command *cmd) {
  static const model_item_type worried[] = {MODEL_WORRY, MODEL_DANGER};
  static const model_item_type well[] = {MODEL_GOOD};
  static const model_item_type needs[] = {MODEL_GOAL, MODEL_ACTION, MODEL_BOTTOM_LINE, MODEL_RULE};
  const char *col = cmd->arg;
  if (col != NULL && strcmp(col, "worried") != 0 && strcmp(col, "working_well") != 0 &&
      strcmp(col, "needs") != 0)
    return refuse(r, _("repl.unknown_column"), col);
  if (col == NULL || strcmp(col, "worried") == 0) show_column(r, "repl.column.worried", worried, 2);
  if (col == NULL || strcmp(col, "working_well") == 0) show_column(r, "repl.column.working_well", well, 1);
  if (col == NULL || strcmp(col, "needs") == 0) show_column(r, "repl.column.needs", needs, 4);
  return REPL_DONE;
}

static repl_status do_help(repl *r, const command *cmd) {
  char key[96];
  if (cmd->arg != NULL) {
    const char *verb = command_canonical(cmd->arg);
    if (verb == NULL) return refuse(r, _("repl.unknown_verb"), cmd->arg);
    snprintf(key, sizeof key, "repl.help.%s", verb);
    say(r, "%s", command_usage(verb));
    say(r, "  %s", _(key));
    return REPL_DONE;
  }
  say(r, "%s", _("repl.help_intro"));
  for (const char *const *v = command_verbs(); *v != NULL; v++) {
    snprintf(key, sizeof key, "repl.help.%s", *v);
    say(r, "  %-10s %s", *v, _(key));
  }
  return REPL_DONE;
}

static repl_status do_eval(repl *r, const command *cmd) {
  char err[1024];
  lua_State *L = helper(r, "eval");
  lua_pushstring(L, cmd->arg);
  if (call_helper(r, 1, err, sizeof err) != 0) return refuse(r, "%s", err);
  say(r, "%s", lua_tostring(L, -1));
  lua_pop(L, 1);
  return REPL_DONE;
}

/* }====== */

/* ** {====== The live board ====== */

/* A board on loopback, or SHARED on $CONFER_BOARD_BIND (default all addresses), at PORT; NULL with ERR. */
static board *start_board(repl *r, int shared, unsigned port, char *err, size_t errlen) {
  const char *bind = getenv("CONFER_BOARD_BIND");
  /* The agenda's chair-only categories stay off this board as off confer board's. */
  json_t *sections = board_sections(r->ag), *chair_only = board_chair_only(r->ag);
  /* A chair_only of NULL (out of memory) is refused by board_start, never taken as none. */
  board *b = board_start(shared ? (bind != NULL && bind[0] != '\0' ? bind : "0.0.0.0") : "127.0.0.1",
                         port, shared, r->conf, sections, chair_only, err, errlen);
  json_decref(sections);
  json_decref(chair_only);
  return b;
}

/* Starts the board, on loopback or SHARED, in place of the one running if any. */
static repl_status board_on(repl *r, int shared) {
  char err[512], again[512], url[256];
  const char *port_text = getenv("CONFER_BOARD_PORT");
  char *end = NULL;
  long port = port_text != NULL && port_text[0] != '\0' ? strtol(port_text, &end, 10)
                                                         : BOARD_DEFAULT_PORT;
  if (end != NULL && (*end != '\0' || port < 0 || port > 65535))
    return refuse(r, _("board.bad_port"), port_text);
  /* On a fixed port the running board holds the port the new one wants: it lets
     go first, and comes back (a shared one with a new token) if the new one cannot start. */
  int replaced = r->board != NULL && port != 0;
  if (replaced) {
    board_stop(r->board);
    r->board = NULL;
  }
  board *b = start_board(r, shared, (unsigned)port, err, sizeof err);
  if (b == NULL) {
    refuse(r, "%s", err);
    if (replaced) {
      r->board = start_board(r, r->board_shared, (unsigned)port, again, sizeof again);
      r->board_events = r->conf->n_events;
      if (r->board != NULL) say(r, _("board.on"), board_url(r->board, url, sizeof url));
      else say(r, "%s", _("board.off"));
    }
    return REPL_FAILED;
  }
  board_stop(r->board);
  r->board = b;
  r->board_shared = shared;
  r->board_events = r->conf->n_events;
  say(r, _("board.on"), board_url(b, url, sizeof url));
  return REPL_DONE;
}

static repl_status do_board(repl *r, const command *cmd) {
  char url[256];
  const char *what = cmd->arg != NULL ? cmd->arg : "on";
  if (strcmp(what, "on") == 0) {
    if (r->board == NULL) return board_on(r, 0);
    say(r, _("board.on"), board_url(r->board, url, sizeof url));
    return REPL_DONE;
  }
  if (strcmp(what, "share") == 0) return board_on(r, 1);
  if (strcmp(what, "token") == 0) {
    if (r->board == NULL || !r->board_shared) return refuse(r, "%s", _("board.not_shared"));
    board_new_token(r->board);
    say(r, _("board.on"), board_url(r->board, url, sizeof url));
    return REPL_DONE;
  }
  if (strcmp(what, "off") == 0) {
    if (r->board == NULL) return refuse(r, "%s", _("board.not_on"));
    board_stop(r->board);
    r->board = NULL;
    say(r, "%s", _("board.off"));
    return REPL_DONE;
  }
  return refuse(r, _("board.unknown_action"), what);
}

/* Shows the board what the last command changed; the board's trouble never stops recording. */
static void update_board(repl *r) {
  if (r->board == NULL || r->conf->n_events == r->board_events) return;
  if (board_publish(r->board, r->conf) != 0) {
    say(r, "%s", _("board.behind"));
    return;
  }
  r->board_events = r->conf->n_events;
}

/* }====== */

/* ** {====== Ending ====== */

/* Lists every section's missing items and the authority's check problems; returns how many. */
static int list_gaps(repl *r) {
  char id[MODEL_NAME_MAX + 1], prefix[MODEL_NAME_MAX + 16];
  int n = 0;
  for (int i = 1; i <= r->n_sections; i++) {
    if (r->layout != NULL && !r->layout[i - 1].has_requires) continue;
    snprintf(prefix, sizeof prefix, "  - %s: ", section_text(r, "id", i, id, sizeof id));
    n += print_list(r, "missing", i, prefix);
  }
  return n + print_list(r, "checks", 0, "  - ");
}

/*
** Runs the agenda's hooks["end"](conf), if it declares one, once the close
** is durable: a failing hook is reported but cannot undo the close.
*/
static repl_status run_end_hook(repl *r) {
  char err[1024];
  lua_State *L = sandbox_state(r->sb);
  int top = lua_gettop(L);
  agenda_push(r->ag);
  int rc = 0;
  if (lua_getfield(L, -1, "hooks") == LUA_TTABLE && lua_getfield(L, -1, "end") == LUA_TFUNCTION) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->conf_box);
    rc = sandbox_pcall(r->sb, 1, 0, err, sizeof err);
  }
  lua_settop(L, top);
  if (rc != 0) refuse(r, _("repl.end_hook_failed"), err);
  return REPL_FINISHED;
}

static repl_status close_conference(repl *r) {
  char at[32], id[16], err[1024];
  time_t now = time(NULL);
  struct tm tm;
  if (gmtime_r(&now, &tm) == NULL || strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    return refuse(r, "%s", _("repl.no_clock"));
  json_t *payload = json_pack("{ss}", "at", at);
  if (payload == NULL) return refuse(r, "%s", _("host.out_of_memory"));
  int rc = store_append(r->st, r->conf, "conference.closed", payload, r->actor, id, sizeof id,
                        err, sizeof err);
  json_decref(payload);
  if (rc != 0) return refuse(r, "%s", err);
  say(r, "%s", _("repl.closed"));
  return run_end_hook(r);
}

static repl_status do_end(repl *r, const command *cmd) {
  if (r->conf->closed) return refuse(r, "%s", _("repl.already_closed"));
  say(r, "%s", _("repl.end_checks"));
  int gaps = list_gaps(r);
  if (gaps == 0) say(r, "  %s", _("repl.nothing_missing"));
  else say(r, i18n_plural("repl.gaps", (unsigned long)gaps), gaps);
  if (cmd->force) return close_conference(r);
  say(r, "%s", _("repl.end_confirm"));
  r->end_pending = 1;
  return REPL_DONE;
}

/* }====== */

repl_status repl_execute(repl *r, const char *line, size_t len) {
  command cmd;
  char err[1024];
  if (command_parse(line, len, &cmd, err, sizeof err) != 0) {
    r->end_pending = 0;
    return refuse(r, "%s", err);
  }
  int pending = r->end_pending;
  if (cmd.type != COMMAND_EMPTY) r->end_pending = 0;
  repl_status status = REPL_DONE;
  switch (cmd.type) {
  case COMMAND_EMPTY: break;
  case COMMAND_RECORD: status = do_record(r, &cmd); break;
  case COMMAND_NEXT: case COMMAND_BACK: case COMMAND_GOTO: status = do_move(r, &cmd); break;
  case COMMAND_SECTIONS: status = do_sections(r); break;
  case COMMAND_SHOW: status = do_show(r, &cmd); break;
  case COMMAND_UNDO: status = do_undo(r); break;
  case COMMAND_HELP: status = do_help(r, &cmd); break;
  case COMMAND_END: status = do_end(r, &cmd); break;
  case COMMAND_YES:
    status = pending ? close_conference(r) : refuse(r, "%s", _("repl.nothing_to_confirm"));
    break;
  case COMMAND_QUIT: status = REPL_FINISHED; break;
  case COMMAND_EVAL: status = do_eval(r, &cmd); break;
  case COMMAND_BOARD: status = do_board(r, &cmd); break;
  case COMMAND_PULL: status = do_pull(r, &cmd); break;
  }
  command_free(&cmd);
  update_board(r);
  return status;
}

/* ** {====== The terminal: prompt, history, completion, Ctrl-C ====== */

static repl *completing;              /* the session tab completion reads from */
static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig) {
  (void)sig;
  interrupted = 1;
}

/* A growing NULL-terminated word list; a word that cannot be added is left out. */
typedef struct word_list { char **words; size_t n, cap; } word_list;

static void add_word(word_list *list, const char *word) {
  if (list->n + 2 > list->cap) {
    size_t cap = list->cap ? list->cap * 2 : 16;
    char **grown = realloc(list->words, cap * sizeof *grown);
    if (grown == NULL) return;
    list->words = grown;
    list->cap = cap;
  }
  if ((list->words[list->n] = strdup(word)) != NULL) list->n++;
  list->words[list->n] = NULL;
}

/* Adds the strings of the list the helper `words`(WHAT) returns. */
static void add_agenda_words(word_list *list, const char *what) {
  char err[256];
  lua_State *L = helper(completing, "words");
  lua_pushstring(L, what);
  if (call_helper(completing, 1, err, sizeof err) != 0) return;
  if (lua_istable(L, -1)) {
    for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
      add_word(list, lua_tostring(L, -1));
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* The words that fit field FIELD (0 = the first after the verb) of VERB; NULL VERB: the verbs. */
static char **candidates(const char *verb, int field) {
  word_list list = {0};
  const model_conference *conf = completing->conf;
  int ids = verb && (strcmp(verb, "amend") == 0 || strcmp(verb, "withdraw") == 0);
  int worries = verb && strcmp(verb, "action") == 0 && field == 3;
  if (verb == NULL || strcmp(verb, "help") == 0) {
    for (const char *const *v = command_verbs(); *v; v++) add_word(&list, *v);
  } else if (strcmp(verb, "show") == 0) {
    add_word(&list, "worried");
    add_word(&list, "working_well");
    add_word(&list, "needs");
  } else if (ids || worries) {
    for (size_t i = 0; i < conf->n_items; i++)
      if (conf->items[i].id[0] != '\0' && (ids || conf->items[i].type == MODEL_WORRY))
        add_word(&list, conf->items[i].id);
  } else if (strcmp(verb, "goto") == 0) {
    add_agenda_words(&list, "sections");
  } else if (strcmp(verb, "pull") == 0 && field == 0) {
    for (size_t i = 0; i < conf->n_events; i++)
      if (strcmp(conf->events[i].kind, "report.received") == 0 &&
          model_agency_event(conf, "report.received",
                             json_string_value(json_object_get(conf->events[i].payload, "agency"))) ==
              &conf->events[i])
        add_word(&list, json_string_value(json_object_get(conf->events[i].payload, "agency")));
  } else if (strcmp(verb, "pull") == 0) {
    add_agenda_words(&list, field == 1 ? "worry" : "good");
  } else if ((strcmp(verb, "worry") == 0 || strcmp(verb, "good") == 0) && field == 0) {
    add_agenda_words(&list, verb);
  } else if (strcmp(verb, "decide") == 0 && field == 1) {
    add_agenda_words(&list, verb);
  } else {
    if (strcmp(verb, "scale") == 0) add_word(&list, "iro");
    for (size_t i = 0; i < conf->n_items; i++)
      if (conf->items[i].type == MODEL_PERSON || conf->items[i].type == MODEL_CHILD)
        add_word(&list, conf->items[i].text);
  }
  return list.words;
}

/* Completion word list state for the generator libedit calls repeatedly. */
static char **matches_list;
static size_t matches_next;
static const char *match_prefix;      /* what stands before the word being completed */

static char *next_match(const char *text, int state) {
  (void)text;
  if (state == 0) matches_next = 0;
  if (matches_list == NULL) return NULL;
  while (matches_list[matches_next] != NULL) {
    const char *word = matches_list[matches_next++];
    size_t plen = strlen(match_prefix);
    if (strncmp(word, match_prefix, plen) == 0) return strdup(word);
  }
  return NULL;
}

/*
** Completes the field under the cursor. The word breaks are `|` and `,`, so
** a name with spaces ("Siân Example") is one word; the verb and the blanks
** before the field are kept in the completed text.
*/
static char **complete(const char *text, int start, int end) {
  (void)end;
  *el->rl_attempted_completion_over = 1;
  int field = 0;
  for (int i = 0; i < start; i++) field += (*el->rl_line_buffer)[i] == '|';
  const char *lead = text;
  while (*lead == ' ') lead++;
  int verb_only = start == 0 && strchr(lead, ' ') == NULL;
  char verb[32] = "";
  if (!verb_only) {
    const char *line = (*el->rl_line_buffer) + strspn((*el->rl_line_buffer), " ");
    size_t vlen = strcspn(line, " |");
    if (vlen < sizeof verb) {
      memcpy(verb, line, vlen);
      verb[vlen] = '\0';
    }
    const char *canon = command_canonical(verb);
    snprintf(verb, sizeof verb, "%s", canon != NULL ? canon : "");
    if (start == 0) lead = strchr(lead, ' ') + strspn(strchr(lead, ' '), " ");
  }
  for (char **m = matches_list; m && *m; m++) free(*m);
  free(matches_list);
  matches_list = candidates(verb_only ? NULL : verb, field);
  match_prefix = lead;
  char **found = el->rl_completion_matches(lead, next_match);
  if (found == NULL) return NULL;
  /* Put back what stood before the completed word (the verb, the blanks). */
  size_t keep = (size_t)(lead - text);
  for (char **m = found; *m; m++) {
    char *full = malloc(keep + strlen(*m) + 1);
    if (full == NULL) continue;
    memcpy(full, text, keep);
    strcpy(full + keep, *m);
    free(*m);
    *m = full;
  }
  return found;
}

/* The history file in the user's state directory (made 0700), or NULL. */
static const char *history_file(char *buf, size_t len) {
  char dir[PATH_MAX];
  if (paths_user_dir("STATE", dir, sizeof dir) == NULL || paths_make_private_dir(dir) != 0)
    return NULL;
  return paths_join(buf, len, dir, "history");
}

static void start_terminal(repl *r, const char *history) {
  completing = r;
  *el->rl_readline_name = "confer";
  *el->rl_attempted_completion_function = complete;
  *el->rl_completer_word_break_characters = "|,";
  *el->rl_completion_append_character = '\0';
  el->using_history();
  if (history != NULL) {
    int fd = open(history, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd >= 0) close(fd);
    chmod(history, 0600);
    el->read_history(history);
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
}

static void stop_terminal(const char *history) {
  if (history != NULL) {
    el->write_history(history);
    el->history_truncate_file(history, 1000);
    chmod(history, 0600);
  }
  for (char **m = matches_list; m && *m; m++) free(*m);
  free(matches_list);
  matches_list = NULL;
  el->clear_history();
  signal(SIGINT, SIG_DFL);
  completing = NULL;
}

/* The prompt: where the chair is ("[4/13 mapping] chair> "). */
static const char *prompt(repl *r, char *buf, size_t len) {
  char id[MODEL_NAME_MAX + 1] = "";
  if (r->section > 0) section_text(r, "id", r->section, id, sizeof id);
  snprintf(buf, len, _("repl.prompt"), r->section, r->n_sections, id);
  return buf;
}

static int terminal_loop(repl *r) {
  char history[PATH_MAX], where[512];
  char err[512];
  if ((el = editline_open(err, sizeof err)) == NULL) return cli_fail("%s", err);
  const char *hist = history_file(history, sizeof history);
  start_terminal(r, hist);
  for (;;) {
    interrupted = 0;
    char *line = el->readline(prompt(r, where, sizeof where));
    if (line == NULL) {
      if (interrupted) {      /* Ctrl-C: the line is dropped, the session goes on */
        fputc('\n', r->out);
        continue;
      }
      fputc('\n', r->out);    /* Ctrl-D: leave like quit */
      break;
    }
    if (line[0] != '\0') el->add_history(line);
    repl_status status = repl_execute(r, line, strlen(line));
    free(line);
    if (status == REPL_FINISHED) break;
  }
  stop_terminal(hist);
  return r->failures != 0;
}

/* }====== */

static int stream_loop(repl *r, FILE *in) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  errno = 0;
  while ((n = getline(&line, &cap, in)) >= 0) {
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
    if (repl_execute(r, line, (size_t)n) == REPL_FINISHED) break;
    errno = 0;
  }
  int read_error = n < 0 && ferror(in) ? errno : 0;
  free(line);
  /* A script that could not be read to its end must not end as if it had been. */
  if (read_error != 0) return cli_fail(_("repl.cannot_read"), strerror(read_error));
  return r->failures != 0;
}

int repl_loop(repl *r, FILE *in) {
  return r->interactive ? terminal_loop(r) : stream_loop(r, in);
}

/* A session on AG (its owner decides who frees it); repl_open's contract otherwise. */
static repl *open_session(store *st, model_conference *conf, agenda *ag, const char *actor,
                          FILE *out, int interactive, char *err, size_t errlen) {
  repl *r = calloc(1, sizeof *r);
  if (r == NULL) {
    snprintf(err, errlen, "%s", _("host.out_of_memory"));
    return NULL;
  }
  *r = (repl){.st = st, .conf = conf, .actor = actor, .out = out, .interactive = interactive,
              .ag = ag, .sb = agenda_sandbox(ag), .helpers = LUA_NOREF, .conf_box = LUA_NOREF, .kit = LUA_NOREF};
  if (load_helpers(r, err, errlen) != 0) {
    repl_close(r);
    return NULL;
  }
  const model_event *last = conf->n_events > 0 ? &conf->events[conf->n_events - 1] : NULL;
  r->first_seq = last != NULL ? last->seq + 1 : 1;
  sync_section(r);
  if (r->section > 0) print_section(r, r->section);
  else if (r->n_sections > 0) {
    if (enter_section(r, 1) != REPL_DONE) {
      snprintf(err, errlen, "%s", _("repl.cannot_enter_first_section"));
      repl_close(r);
      return NULL;
    }
    /* Opening at the first section is the host's doing, not the chair's to undo. */
    r->first_seq = conf->events[conf->n_events - 1].seq + 1;
  }
  return r;
}

repl *repl_open_with_agenda(store *st, model_conference *conf, agenda *ag, const char *actor,
                            FILE *out, int interactive, char *err, size_t errlen) {
  if (conf->closed) {
    snprintf(err, errlen, _("repl.conference_closed"), conf->id);
    return NULL;
  }
  if (conf->authority == NULL || strcmp(agenda_id(ag), conf->authority) != 0) {
    snprintf(err, errlen, _("repl.wrong_agenda"), conf->id,
             conf->authority != NULL ? conf->authority : _("repl.no_authority"), agenda_id(ag));
    return NULL;
  }
  return open_session(st, conf, ag, actor, out, interactive, err, errlen);
}

repl *repl_open(store *st, model_conference *conf, const char *actor, FILE *out,
                int interactive, char *err, size_t errlen) {
  if (conf->closed) {
    snprintf(err, errlen, _("repl.conference_closed"), conf->id);
    return NULL;
  }
  agenda *ag = agenda_load(conf->authority, err, errlen);
  if (ag == NULL) return NULL;
  repl *r = open_session(st, conf, ag, actor, out, interactive, err, errlen);
  if (r == NULL) agenda_free(ag);
  else r->owns_agenda = 1;
  return r;
}

void repl_close(repl *r) {
  if (r == NULL) return;
  board_stop(r->board);
  if (r->owns_agenda) agenda_free(r->ag);
  else leave_sandbox(r);
  free(r);
}

/* ** {====== confer run / confer demo ====== */

/* Opens the store (--db or the default) into *ST. */
static int open_store(const char *db, store **st) {
  char path[PATH_MAX], err[1024];
  if (store_default_path(db, path, sizeof path, err, sizeof err) != 0 ||
      store_open(path, st, err, sizeof err) != 0)
    return cli_fail("%s", err);
  return 0;
}

/*
** Parses --db F and --chair NAME (CHAIR NULL: the command takes no --chair).
** Returns 0 with optind at the first operand, or the usage error's status.
*/
static int parse_options(const char *command, int argc, char **argv, const char **db,
                         const char **chair) {
  static const struct option options[] = {
    {"db", required_argument, NULL, 'd'}, {"chair", required_argument, NULL, 'c'},
    {NULL, 0, NULL, 0}};
  int opt;
  optind = 1;
  opterr = 0;   /* our own one-line errors instead of getopt's */
  while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
    if (opt == 'd') *db = optarg;
    else if (opt == 'c' && chair != NULL) *chair = optarg;
    else if (opt == ':') return cli_usage_error(command, _("cli.needs_value"), argv[optind - 1]);
    else return cli_usage_error(command, _("cli.unknown_option"), cli_refused_word(argc, argv));
  }
  return 0;
}

/*
** Refuses, with who holds it and what to do instead, a conference another
** live session has open (store_claim): two chairs recording at once would
** each be refused the other's changes mid-sentence. Once claimed, *CONF is
** reloaded if a session that ended meanwhile added to it, its chain checked
** again into BROKEN (STORE_VERIFY_LINE_MAX bytes) unless that is NULL.
** Returns 0 when claimed.
*/
static int claim(store *st, model_conference **conf, const char *actor, char *broken) {
  char err[1024];
  store_holder holder;
  int held = store_claim(st, (*conf)->id, actor, &holder, err, sizeof err);
  if (held < 0) return cli_fail("%s", err);
  if (held == 0) {
    long seq = store_last_seq(st, (*conf)->id, err, sizeof err);
    model_conference *fresh = NULL;
    if (seq >= 0 && (size_t)seq == (*conf)->n_events) return 0;
    int loaded = -1;
    if (seq >= 0 && broken != NULL)
      loaded = store_load_checked(st, (*conf)->id, &fresh, broken, STORE_VERIFY_LINE_MAX,
                                  err, sizeof err);
    else if (seq >= 0)
      loaded = store_load(st, (*conf)->id, &fresh, err, sizeof err);
    if (loaded >= 0) {
      model_free(*conf);
      *conf = fresh;
      return 0;
    }
    store_release(st, (*conf)->id);
    return cli_fail("%s", err);
  }
  const model_conference *c = *conf;
  /* "2026-03-03T10:02:11.123Z" is shown as "2026-03-03 10:02". */
  char since[32];
  snprintf(since, sizeof since, "%.10s %.5s", holder.since,
           strlen(holder.since) >= 16 ? holder.since + 11 : "");
  return cli_fail(_("repl.held"), c->id, holder.chair, holder.host, since, c->id);
}

/*
** Runs a session on *CONF (which the claim may reload: the caller frees
** *CONF) reading the terminal or stdin, holding its claim meanwhile. Output
** that cannot be written (a full disk, a reader of the pipe gone) does not
** end it: every line typed is still recorded, the failure is told once on
** stderr, and the exit status is 1 (main's cli_close_stdout). So SIGPIPE is
** ignored from here to the exit: by default it would kill the session at its
** next reply, and the lines after it would never be read. BROKEN is the
** verdict on the chain of a conference this process did not just create
** (store_load_checked; NULL for a new one), told once claimed
** (cli_warn_if_tampered): the events appended go on after a changed one,
** so verify keeps naming it.
*/
static int run_session(store *st, model_conference **conf, const char *actor, char *broken) {
  char err[1024];
  signal(SIGPIPE, SIG_IGN);   /* before repl_open, which shows the first section */
  if (claim(st, conf, actor, broken) != 0) return 1;
  if (broken != NULL) cli_warn_if_tampered(broken, "repl.chain_broken");
  int interactive = isatty(STDIN_FILENO);
  repl *r = repl_open(st, *conf, actor, stdout, interactive, err, sizeof err);
  int status = r == NULL ? cli_fail("%s", err) : repl_loop(r, stdin);
  repl_close(r);
  store_release(st, (*conf)->id);
  return status;
}

int cmd_run(int argc, char **argv) {
  const char *db = NULL, *chair = NULL;
  int status = parse_options("run", argc, argv, &db, &chair);
  if (status != 0) return status;
  if (argc - optind != 1) return cli_usage_error("run", "%s", _("repl.run_needs_conference"));
  char err[1024];
  /* The chair's name goes into every event and the claim, and history prints it. */
  if (chair != NULL && chair[0] != '\0' && model_check_name("--chair", chair, err, sizeof err) != 0)
    return cli_usage_error("run", "%s", err);
  store *st;
  if (open_store(db, &st) != 0) return 1;
  model_conference *conf;
  char broken[STORE_VERIFY_LINE_MAX];
  if (store_load_checked(st, argv[optind], &conf, broken, sizeof broken, err, sizeof err) < 0) {
    status = cli_fail("%s", err);
  } else {
    status = run_session(st, &conf, cli_actor(chair), broken);
    model_free(conf);
  }
  store_close(st);
  return status;
}

/* The clearly fictional family of the demo. */
static const struct { const char *kind, *a, *b, *c; } demo_family[] = {
  {"child.added", "Zoë Example", "2017-05-04", NULL},
  {"person.added", "Siân Example", "mother", "family"},
  {"person.added", "Łukasz Example", "father", "family"},
  {"person.added", "Ann Sample", "social worker", "children's services"},
  {"person.added", "Bob Teacher", "class teacher", "school"},
};

static int introduce_demo_family(store *st, model_conference *conf, const char *actor) {
  char id[16], err[1024];
  for (size_t i = 0; i < sizeof demo_family / sizeof demo_family[0]; i++) {
    json_t *p = demo_family[i].c == NULL
      ? json_pack("{ssss}", "name", demo_family[i].a, "dob", demo_family[i].b)
      : json_pack("{ssssss}", "name", demo_family[i].a, "role", demo_family[i].b,
                  "agency", demo_family[i].c);
    int rc = p == NULL ? (snprintf(err, sizeof err, "%s", _("host.out_of_memory")), -1)
                       : store_append(st, conf, demo_family[i].kind, p, actor, id, sizeof id,
                                      err, sizeof err);
    json_decref(p);
    if (rc != 0) return cli_fail("%s", err);
  }
  return 0;
}

/* The id of an open Worcestershire demo conference of DATE in the store, into ID; 0 if found. */
static int find_demo(store *st, const char *date, char *id, size_t len) {
  char *text = NULL, err[512];
  size_t size = 0;
  FILE *mem = open_memstream(&text, &size);
  if (mem == NULL) return -1;
  int rc = store_list(st, mem, err, sizeof err);
  if (fclose(mem) != 0 || text == NULL) rc = -1;   /* out of memory: no demo found, a new one is made */
  int found = -1;
  for (char *save = NULL, *line = rc == 0 ? strtok_r(text, "\n", &save) : NULL;
       line != NULL && found != 0; line = strtok_r(NULL, "\n", &save)) {
    char conf_id[32], authority[64], type[16], day[16];
    size_t n = strlen(line);
    int open = n >= 4 && strcmp(line + n - 4, "open") == 0;
    if (open && strstr(line, demo_family[0].a) != NULL &&
        sscanf(line, "%31s %63s %15s %15s", conf_id, authority, type, day) == 4 &&
        strcmp(authority, "worcestershire") == 0 && strcmp(day, date) == 0) {
      snprintf(id, len, "%s", conf_id);
      found = 0;
    }
  }
  free(text);
  return found;
}

int cmd_demo(int argc, char **argv) {
  const char *db = NULL;
  int usage = parse_options("demo", argc, argv, &db, NULL);
  if (usage != 0) return usage;
  if (optind < argc) return cli_usage_error("demo", "%s", _("cli.too_many_arguments"));
  char today[16], id[32], err[1024];
  time_t now = time(NULL);
  struct tm tm;
  if (localtime_r(&now, &tm) == NULL || strftime(today, sizeof today, "%Y-%m-%d", &tm) == 0)
    return cli_fail("%s", _("repl.no_clock"));
  store *st;
  if (open_store(db, &st) != 0) return 1;
  const char *actor = cli_actor(NULL);
  model_conference *conf = NULL;
  char broken[STORE_VERIFY_LINE_MAX];
  int status = 0, resumed = find_demo(st, today, id, sizeof id) == 0;
  if (resumed) {
    if (store_load_checked(st, id, &conf, broken, sizeof broken, err, sizeof err) < 0)
      status = cli_fail("%s", err);
  } else if (store_create_conference(st, "worcestershire", "initial", today, actor, &conf,
                                     err, sizeof err) != 0) {
    status = cli_fail("%s", err);
  } else {
    status = introduce_demo_family(st, conf, actor);
  }
  if (status == 0) {
    printf(_("repl.demo_banner"), conf->id);
    putchar('\n');
    status = run_session(st, &conf, actor, resumed ? broken : NULL);
  }
  model_free(conf);
  store_close(st);
  return status;
}

/* }====== */
