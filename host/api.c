/*
** api.c — the Lua face of the host: the `confer` table and Conference userdata.
**
** The boundary between host and untrusted script runs through this file, so
** it follows two rules. Scripts never get a pointer into C memory: every
** accessor copies what it returns into fresh Lua values. And every argument
** is checked (luaL_check*) before anything is allocated in C, because a Lua
** error longjmps past any free(). The reference for analysts is docs/lua-api.md.
*/
#include "api.h"

#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "calendar.h"
#include "i18n.h"
#include "native.h"
#include "utf8.h"

#define CONFERENCE_TYPE "confer.Conference"

/* A Conference userdata: its model is its own (held by its owner, give_owner) only when a script made it. */
typedef struct conference_box {
  model_conference *conf;
  int owned;
} conference_box;

static const char *const item_type_names[MODEL_ITEM_TYPES] = {
  "child", "person", "worry", "good", "danger", "goal", "action",
  "bottom_line", "rule", "restricted", "scale", "recommendation", "apology",
};

/*
** {======================================================
** confer.where, confer.text, confer.has_text
** =======================================================
*/

/*
** confer.where([level]): "FILE:LINE" of a function on the call stack. Level 1
** is the function calling where; a plugin constructor passes 2 to name the
** line in the plugin that called it.
*/
static int api_where(lua_State *L) {
  lua_Integer level = luaL_optinteger(L, 1, 1);
  luaL_argcheck(L, level >= 1 && level < 100, 1, _("api.level_range"));
  lua_Debug ar;
  if (lua_getstack(L, (int)level, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
    const char *file = ar.source[0] == '@' ? ar.source + 1 : ar.short_src;
    lua_pushfstring(L, "%s:%d", file, ar.currentline);
  } else {
    lua_pushliteral(L, "?");
  }
  return 1;
}

/*
** Pushes TEXT with each %s, %d, %lu or %ld replaced by the next argument from stack
** index NEXT on (as tostring gives it) and %% by %. Formatting is done here
** rather than with string.format so a catalogue entry cannot make a script
** fail with a bad conversion.
*/
static void push_formatted(lua_State *L, const char *text, int next) {
  if (strchr(text, '%') == NULL) {   /* most texts: nothing to replace */
    lua_pushstring(L, text);
    return;
  }
  int nargs = lua_gettop(L);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (const char *p = text; *p != '\0'; p++) {
    if (p[0] == '%' && p[1] == '%') {
      luaL_addchar(&b, '%');
      p++;
    } else if (p[0] == '%' && (p[1] == 's' || p[1] == 'd') && next <= nargs) {
      luaL_tolstring(L, next++, NULL);
      luaL_addvalue(&b);
      p++;
    } else if (p[0] == '%' && p[1] == 'l' && (p[2] == 'u' || p[2] == 'd') && next <= nargs) {
      /* The host's counts are %lu: a script may show the same catalogue entry. */
      luaL_tolstring(L, next++, NULL);
      luaL_addvalue(&b);
      p += 2;
    } else {
      luaL_addchar(&b, *p);
    }
  }
  luaL_pushresult(&b);
}

const char *api_check_cstring(lua_State *L, int arg) {
  size_t len;
  const char *s = luaL_checklstring(L, arg, &len);
  if (memchr(s, '\0', len) != NULL) luaL_argerror(L, arg, _("api.zero_byte"));
  return s;
}

/*
** confer.text(key, ...): the catalogue text, each %s or %d replaced by the
** next argument. Its upvalue keeps the texts without conversions that were
** found once, by key: catalogues only ever gain keys, so a text found stays
** the text, and a script's most frequent call costs one table lookup.
*/
static int api_text(lua_State *L) {
  const char *key = api_check_cstring(L, 1);
  lua_pushvalue(L, 1);
  if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TSTRING) return 1;
  lua_pop(L, 1);
  const char *text = i18n_text(key);
  if (text == key || strchr(text, '%') != NULL) {
    push_formatted(L, text, 2);
    return 1;
  }
  lua_pushstring(L, text);
  lua_pushvalue(L, 1);
  lua_pushvalue(L, -2);
  lua_rawset(L, lua_upvalueindex(1));
  return 1;
}

/*
** confer.plural(key, n, ...): the form of KEY's plural entry that the
** language's rule picks for N, each %s or %d replaced by the next argument
** from N on ("3 actions": confer.plural("record.actions.count", 3, 3)).
*/
static int api_plural(lua_State *L) {
  const char *key = api_check_cstring(L, 1);
  lua_Integer n = luaL_checkinteger(L, 2);
  luaL_argcheck(L, n >= 0, 2, _("api.count_range"));
  push_formatted(L, i18n_plural(key, (unsigned long)n), 3);
  return 1;
}

/*
** confer.date(d): the date "YYYY-MM-DD" as people write it in the chosen
** language ("Tuesday 3 March 2026"); anything that is not such a date is
** an error naming it.
*/
static int api_date(lua_State *L) {
  const char *iso = api_check_cstring(L, 1);
  calendar_day day;
  if (calendar_parse(iso, &day) != 0) return luaL_error(L, _("dates.not_a_date"), iso);
  int year, month, mday;
  calendar_split(day, &year, &month, &mday);
  char text[256];
  size_t len = i18n_date(year, month, mday, calendar_weekday(day) + 1, text, sizeof text);
  if (len >= sizeof text) return luaL_error(L, "%s", _("dates.format_too_long"));
  lua_pushlstring(L, text, len);
  return 1;
}

/* confer.has_text(key): true when some catalogue has a text for KEY. */
static int api_has_text(lua_State *L) {
  const char *key = api_check_cstring(L, 1);
  lua_pushboolean(L, strcmp(i18n_text(key), key) != 0);
  return 1;
}

/* }====================================================== */

/*
** {======================================================
** Lua values <-> JSON payloads
** =======================================================
*/

/*
** Converts the Lua value at INDEX (string, integer, boolean or an array of
** strings) to JSON. Returns NULL with a reason in ERR; never raises, so the
** caller can free what it built before reporting.
*/
static json_t *value_to_json(lua_State *L, int index, const char *field, char *err, size_t errlen) {
  switch (lua_type(L, index)) {
    case LUA_TSTRING: {
      size_t len;
      const char *s = lua_tolstring(L, index, &len);
      json_t *v = json_stringn_nocheck(s, len);
      if (v == NULL) snprintf(err, errlen, "%s", _("host.out_of_memory"));
      return v;
    }
    case LUA_TNUMBER:
      if (lua_isinteger(L, index)) return json_integer((json_int_t)lua_tointeger(L, index));
      snprintf(err, errlen, _("api.field_fraction"), field);
      return NULL;
    case LUA_TBOOLEAN:
      return json_boolean(lua_toboolean(L, index));
    case LUA_TTABLE: {
      json_t *array = json_array();
      lua_Integer n = (lua_Integer)lua_rawlen(L, index);
      for (lua_Integer i = 1; array != NULL && i <= n; i++) {
        lua_rawgeti(L, index, i);
        if (lua_type(L, -1) != LUA_TSTRING) {
          snprintf(err, errlen, _("api.field_not_strings"), field);
          lua_pop(L, 1);
          json_decref(array);
          return NULL;
        }
        size_t len;
        const char *text = lua_tolstring(L, -1, &len);
        json_t *s = json_stringn_nocheck(text, len);   /* a zero byte too, for the model to refuse */
        lua_pop(L, 1);
        if (s == NULL || json_array_append_new(array, s) != 0) {
          json_decref(array);
          array = NULL;
        }
      }
      if (array == NULL) snprintf(err, errlen, "%s", _("host.out_of_memory"));
      return array;
    }
    default:
      snprintf(err, errlen, _("api.field_type"), field, luaL_typename(L, index));
      return NULL;
  }
}

/* Converts the table at INDEX (string keys only) to a JSON object; NULL with ERR set. */
static json_t *table_to_payload(lua_State *L, int index, char *err, size_t errlen) {
  json_t *payload = json_object();
  if (payload == NULL) {
    snprintf(err, errlen, "%s", _("host.out_of_memory"));
    return NULL;
  }
  index = lua_absindex(L, index);
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    if (lua_type(L, -2) != LUA_TSTRING) {
      snprintf(err, errlen, "%s", _("api.field_names"));
      lua_pop(L, 2);
      json_decref(payload);
      return NULL;
    }
    size_t field_len;
    const char *field = lua_tolstring(L, -2, &field_len);
    /* A zero byte would end the name early; jansson takes only UTF-8 names. */
    if (utf8_unprintable_at(field, field_len) != field_len) {
      snprintf(err, errlen, "%s", _("api.field_name_text"));
      lua_pop(L, 2);
      json_decref(payload);
      return NULL;
    }
    json_t *value = value_to_json(L, -1, field, err, errlen);
    lua_pop(L, 1); /* the value; the key stays for lua_next and keeps FIELD alive */
    if (value == NULL) {
      lua_pop(L, 1);
      json_decref(payload);
      return NULL;
    }
    if (json_object_set_new(payload, field, value) != 0) {
      snprintf(err, errlen, "%s", _("host.out_of_memory"));
      lua_pop(L, 1);
      json_decref(payload);
      return NULL;
    }
  }
  return payload;
}

/* }====================================================== */

/*
** {======================================================
** Conference userdata
** =======================================================
*/

/*
** Each conference userdata has a metatable of its own (see push_box), so the
** type is known by a private key in it, not by luaL_checkudata's registry
** name. Scripts never reach a metatable (__metatable hides it) and cannot
** make userdata, so the key cannot be forged.
*/
static const char conference_tag = 'C';

/* The conference box at INDEX, or NULL if the value there is not one. */
static conference_box *test_box(lua_State *L, int index) {
  conference_box *box = lua_touserdata(L, index);
  if (box == NULL || lua_type(L, index) != LUA_TUSERDATA || !lua_getmetatable(L, index)) return NULL;
  int tagged = lua_rawgetp(L, -1, &conference_tag) == LUA_TBOOLEAN;
  lua_pop(L, 2);
  return tagged ? box : NULL;
}

static conference_box *check_box(lua_State *L, int index) {
  conference_box *box = test_box(L, index);
  if (box == NULL) luaL_typeerror(L, index, CONFERENCE_TYPE);
  if (box->conf == NULL) luaL_error(L, "%s", _("api.conference_gone"));
  return box;
}

/*
** The box of a method call conf:name(...): each method is a closure over its
** own conference's box (see push_box), so checking that the first argument
** is that box is one comparison.
*/
static conference_box *self_box(lua_State *L) {
  conference_box *box = lua_touserdata(L, lua_upvalueindex(1));
  if (lua_touserdata(L, 1) != box)   /* scripts make no light userdata: only the box itself is equal */
    luaL_argerror(L, 1, _(test_box(L, 1) != NULL ? "api.another_conference" : "api.conference_expected"));
  if (box->conf == NULL) luaL_error(L, "%s", _("api.conference_gone"));
  return box;
}

model_conference *api_check_conference(lua_State *L, int index) {
  return check_box(L, index)->conf;
}

/* Pushes a fresh array of the N strings in LIST. */
static void push_string_list(lua_State *L, char *const *list, size_t n) {
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lua_pushstring(L, list[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/*
** The strings an item table is made of: its field names (model.h's), then
** the column names, then the item type names. push_item takes them from an
** array the sandbox keeps (push_item_words) instead of naming each field
** with lua_setfield, which looks the name up among the interned strings
** every time: conf:live() at the close makes hundreds of these tables.
*/
enum item_word {
  W_TYPE = 1, W_ID, W_SEQ, W_COLUMN, W_NAME, W_TEXT, W_CATEGORY, W_KIND, W_SOURCE, W_ROLE,
  W_AGENCY, W_DOB, W_OWNER, W_DUE, W_OUTCOME, W_WORRIES, W_WHO, W_SCORE, W_WHY, W_PLAN,
  W_WITHDRAWN, W_WITHDRAW_REASON, W_PREVIOUS, W_WORRIED, W_WORKING_WELL,
  W_TYPE_NAMES   /* then the MODEL_ITEM_TYPES type names, in model_item_type order */
};

static const char *const item_words[W_TYPE_NAMES - 1] = {
  "type", "id", "seq", "column", "name", "text", "category", "kind", "source", "role",
  "agency", "dob", "owner", "due", "outcome", "worries", "who", "score", "why", "plan",
  "withdrawn", "withdraw_reason", "previous", "worried", "working_well",
};

/* The registry key of the item words' array. */
static const char item_words_key = 'W';

/* Pushes the array of item words (enum item_word), made on first use; returns its index. */
static int push_item_words(lua_State *L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &item_words_key) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_createtable(L, W_TYPE_NAMES - 1 + MODEL_ITEM_TYPES, 0);
    for (int i = 0; i < W_TYPE_NAMES - 1; i++) {
      lua_pushstring(L, item_words[i]);
      lua_rawseti(L, -2, i + 1);
    }
    for (int t = 0; t < MODEL_ITEM_TYPES; t++) {
      lua_pushstring(L, item_type_names[t]);
      lua_rawseti(L, -2, W_TYPE_NAMES + t);
    }
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &item_words_key);
  }
  return lua_gettop(L);
}

/* Sets field WORD of the table at the top to the value at the top, popped (WORDS: the item words). */
static void set_word(lua_State *L, int words, int word) {
  lua_rawgeti(L, words, word);
  lua_insert(L, -2);
  lua_rawset(L, -3);
}

/* Sets field WORD of the table at the top to S when S is not NULL. */
static void set_string(lua_State *L, int words, int word, const char *s) {
  if (s == NULL) return;
  lua_rawgeti(L, words, word);
  lua_pushstring(L, s);
  lua_rawset(L, -3);
}

/* How many fields push_item gives ITEM, so its table is made the right size at once. */
static int item_field_count(const model_item *item) {
  const char *const optional[] = {
    item->text, item->category, item->evidence, item->source, item->role, item->agency,
    item->dob, item->owner, item->due, item->outcome, item->who, item->why, item->plan,
    item->withdraw_reason,
  };
  int n = 3;   /* type, seq, withdrawn */
  for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++) n += optional[i] != NULL;
  n += item->id[0] != '\0';
  n += item->type == MODEL_WORRY || item->type == MODEL_GOOD;
  n += item->type == MODEL_ACTION || item->type == MODEL_SCALE;
  n += item->n_old_texts > 0;
  return n;
}

/* Pushes a fresh table describing ITEM, with the field names of model.h (WORDS: the item words). */
static void push_item(lua_State *L, int words, const model_item *item) {
  lua_createtable(L, 0, item_field_count(item));
  lua_rawgeti(L, words, W_TYPE_NAMES + (int)item->type);
  set_word(L, words, W_TYPE);
  if (item->id[0] != '\0') set_string(L, words, W_ID, item->id);
  lua_pushinteger(L, item->seq);
  set_word(L, words, W_SEQ);
  if (item->type == MODEL_WORRY || item->type == MODEL_GOOD) {
    lua_rawgeti(L, words, item->type == MODEL_WORRY ? W_WORRIED : W_WORKING_WELL);
    set_word(L, words, W_COLUMN);
  }
  if (item->type == MODEL_CHILD || item->type == MODEL_PERSON || item->type == MODEL_APOLOGY)
    set_string(L, words, W_NAME, item->text);
  else set_string(L, words, W_TEXT, item->text);
  set_string(L, words, W_CATEGORY, item->category);
  set_string(L, words, W_KIND, item->evidence);
  set_string(L, words, W_SOURCE, item->source);
  set_string(L, words, W_ROLE, item->role);
  set_string(L, words, W_AGENCY, item->agency);
  set_string(L, words, W_DOB, item->dob);
  set_string(L, words, W_OWNER, item->owner);
  set_string(L, words, W_DUE, item->due);
  set_string(L, words, W_OUTCOME, item->outcome);
  if (item->type == MODEL_ACTION) {
    push_string_list(L, item->links, item->n_links);
    set_word(L, words, W_WORRIES);
  }
  set_string(L, words, W_WHO, item->who);
  if (item->type == MODEL_SCALE) {
    lua_pushinteger(L, item->score);
    set_word(L, words, W_SCORE);
  }
  set_string(L, words, W_WHY, item->why);
  set_string(L, words, W_PLAN, item->plan);
  lua_pushboolean(L, item->withdrawn);
  set_word(L, words, W_WITHDRAWN);
  set_string(L, words, W_WITHDRAW_REASON, item->withdraw_reason);
  if (item->n_old_texts > 0) {
    push_string_list(L, item->old_texts, item->n_old_texts);
    set_word(L, words, W_PREVIOUS);
  }
}

/* Pushes ITEM's table (push_item), or nil for NULL. */
static void push_item_or_nil(lua_State *L, const model_item *item) {
  if (item == NULL) {
    lua_pushnil(L);
    return;
  }
  int words = push_item_words(L);
  push_item(L, words, item);
  lua_remove(L, words);
}

/* The item type named NAME, or -1. */
static int item_type_from_name(const char *name) {
  for (int t = 0; t < MODEL_ITEM_TYPES; t++)
    if (strcmp(item_type_names[t], name) == 0) return t;
  return -1;
}

/* 1 if the item at I of CONF is of TYPE (-1: any) and, when LIVE_ONLY, not withdrawn. */
static int item_wanted(const model_conference *conf, size_t i, int type, int live_only) {
  return (type < 0 || conf->items[i].type == (model_item_type)type) &&
         !(live_only && conf->items[i].withdrawn);
}

/* Pushes the list of items of type TYPE (-1: every type), in recording order; withdrawn ones unless LIVE_ONLY. */
static void push_items(lua_State *L, const model_conference *conf, int type, int live_only) {
  int n = 0;
  for (size_t i = 0; i < conf->n_items; i++) n += item_wanted(conf, i, type, live_only);
  int words = push_item_words(L);
  lua_createtable(L, n, 0);
  lua_Integer at = 0;
  for (size_t i = 0; i < conf->n_items; i++) {
    if (!item_wanted(conf, i, type, live_only)) continue;
    push_item(L, words, &conf->items[i]);
    lua_rawseti(L, -2, ++at);
  }
  lua_remove(L, words);
}

/* The optional item type at argument 2 (-1 when absent); an unknown name is an argument error. */
static int opt_item_type(lua_State *L) {
  if (lua_isnoneornil(L, 2)) return -1;
  int type = item_type_from_name(api_check_cstring(L, 2));
  luaL_argcheck(L, type >= 0, 2, _("api.item_type"));
  return type;
}

/* conf:items([type]): every item (withdrawn ones flagged), or those of one type, in recording order. */
static int conference_items(lua_State *L) {
  const model_conference *conf = self_box(L)->conf;
  push_items(L, conf, opt_item_type(L), 0);
  return 1;
}

/* conf:live([type]): as conf:items, without the withdrawn ones (which no longer speak for the record). */
static int conference_live(lua_State *L) {
  const model_conference *conf = self_box(L)->conf;
  push_items(L, conf, opt_item_type(L), 1);
  return 1;
}

/* conf:item(id): the item with that id as a table, or nil. */
static int conference_item(lua_State *L) {
  const model_conference *conf = self_box(L)->conf;
  push_item_or_nil(L, model_find(conf, api_check_cstring(L, 2)));
  return 1;
}

/* conf:participant(name): the child or person of that name as a table, or nil. */
static int conference_participant(lua_State *L) {
  const model_conference *conf = self_box(L)->conf;
  push_item_or_nil(L, model_find_participant(conf, api_check_cstring(L, 2)));
  return 1;
}

/* Counts live items of TYPE; for scales only the overall (iro) or only participants'. */
static lua_Integer count_items(const model_conference *conf, model_item_type type, int iro) {
  lua_Integer n = 0;
  for (size_t i = 0; i < conf->n_items; i++) {
    const model_item *item = &conf->items[i];
    if (item->type != type || item->withdrawn) continue;
    if (type == MODEL_SCALE && iro >= 0 && (item->who != NULL && strcmp(item->who, "iro") == 0) != iro)
      continue;
    n++;
  }
  return n;
}

/*
** conf:count(what): how many live (not withdrawn) things of a kind are
** recorded. The names are those a section's `requires` may use.
*/
static int conference_count(lua_State *L) {
#define COUNTED(what, type, iro) {what, sizeof what - 1, type, iro}
  static const struct { const char *what; size_t len; int type, iro; } counted[] = {
    COUNTED("children", MODEL_CHILD, -1),     COUNTED("participants", MODEL_PERSON, -1),
    COUNTED("worried", MODEL_WORRY, -1),      COUNTED("working_well", MODEL_GOOD, -1),
    COUNTED("dangers", MODEL_DANGER, -1),     COUNTED("goals", MODEL_GOAL, -1),
    COUNTED("scales", MODEL_SCALE, 0),        COUNTED("iro_scale", MODEL_SCALE, 1),
    COUNTED("recommendations", MODEL_RECOMMENDATION, -1), COUNTED("actions", MODEL_ACTION, -1),
    COUNTED("bottom_lines", MODEL_BOTTOM_LINE, -1),       COUNTED("rules", MODEL_RULE, -1),
    COUNTED("restricted", MODEL_RESTRICTED, -1),
  };
#undef COUNTED
  const model_conference *conf = self_box(L)->conf;
  size_t len;
  const char *what = lua_tolstring(L, 2, &len);
  if (what == NULL) what = luaL_checklstring(L, 2, &len);   /* raises the argument error */
  for (size_t i = 0; i < sizeof counted / sizeof counted[0]; i++) {
    /* Lengths first: a script's most frequent call should not pay for a dozen strcmp. */
    if (counted[i].len != len || memcmp(counted[i].what, what, len) != 0) continue;
    lua_pushinteger(L, count_items(conf, (model_item_type)counted[i].type, counted[i].iro));
    return 1;
  }
  api_check_cstring(L, 2);   /* "decision\0x" is not "decision" */
  if (strcmp(what, "decision") == 0) lua_pushinteger(L, conf->decision != NULL);
  else if (strcmp(what, "core_group") == 0) lua_pushinteger(L, (lua_Integer)conf->n_core_group);
  else return luaL_argerror(L, 2, lua_pushfstring(L, _("api.unknown_count"), what));
  return 1;
}

/*
** conf:record(kind, fields): applies an event to a conference the script
** created, returning the id given (or nil for events that make no item).
** The host's own conferences (the chair's) are read-only here: they change
** only through the store, so nothing a script does can bypass the record.
*/
static int conference_record(lua_State *L) {
  conference_box *box = self_box(L);
  const char *kind = api_check_cstring(L, 2);
  luaL_checktype(L, 3, LUA_TTABLE);
  if (!box->owned) return luaL_error(L, "%s", _("api.read_only"));
  char err[512], id[16];
  json_t *payload = table_to_payload(L, 3, err, sizeof err);
  if (payload == NULL) return luaL_error(L, "%s", err);
  int rc = model_apply(box->conf, kind, payload, NULL, NULL, id, sizeof id, err, sizeof err);
  json_decref(payload);
  if (rc != 0) return luaL_error(L, "%s", err);
  if (id[0] == '\0') lua_pushnil(L);
  else lua_pushstring(L, id);
  return 1;
}

static int push_light_string(lua_State *L) {
  lua_pushstring(L, lua_touserdata(L, 1));
  return 1;
}

/*
** Pushes TEXT, a string from malloc, and frees it. The push may fail for
** lack of memory (a script can fill the cap first), so it runs protected and
** its error is raised again once TEXT is freed.
*/
static int push_and_free(lua_State *L, char *text) {
  lua_pushcfunction(L, push_light_string);
  lua_pushlightuserdata(L, text);
  int status = lua_pcall(L, 1, 1, 0);
  free(text);
  if (status != LUA_OK) return lua_error(L);
  return 1;
}

/* conf:to_json(): the canonical state (model_to_json) as a compact string. */
static int conference_to_json(lua_State *L) {
  const model_conference *conf = self_box(L)->conf;
  json_t *state = model_to_json(conf);
  char *text = state == NULL ? NULL : json_dumps(state, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(state);
  if (text == NULL) return luaL_error(L, "%s", _("host.out_of_memory"));
  return push_and_free(L, text);
}

static const luaL_Reg conference_methods[] = {
  {"items", conference_items},       {"live", conference_live},
  {"item", conference_item},
  {"participant", conference_participant}, {"count", conference_count},
  {"record", conference_record},     {"to_json", conference_to_json},
  {NULL, NULL},
};

/*
** conf.<field> for the scalar fields: the __index of the conference's method
** table, reached when KEY names no method; the box is its upvalue.
*/
static int conference_field(lua_State *L) {
  const conference_box *box = lua_touserdata(L, lua_upvalueindex(1));
  if (box->conf == NULL) return luaL_error(L, "%s", _("api.conference_gone"));
  const model_conference *conf = box->conf;
  size_t key_len;
  const char *key = luaL_checklstring(L, 2, &key_len);
  if (strlen(key) != key_len) return 0;   /* no field's name holds a zero byte */
  const struct { const char *name, *value; } fields[] = {
    {"id", conf->id},         {"authority", conf->authority}, {"type", conf->type},
    {"date", conf->date},     {"chair", conf->chair},         {"section", conf->section},
    {"decision", conf->decision}, {"escalation", conf->escalation},
    {"closed_at", conf->closed_at}, {"review_date", conf->review_date},
    {"core_group_date", conf->core_group_date},
  };
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    if (strcmp(fields[i].name, key) != 0) continue;
    if (fields[i].value == NULL) lua_pushnil(L);
    else lua_pushstring(L, fields[i].value);
    return 1;
  }
  if (strcmp(key, "closed") == 0) lua_pushboolean(L, conf->closed);
  else if (strcmp(key, "categories") == 0) push_string_list(L, conf->categories, conf->n_categories);
  else if (strcmp(key, "core_group") == 0) push_string_list(L, conf->core_group, conf->n_core_group);
  else if (strcmp(key, "events") == 0) lua_pushinteger(L, (lua_Integer)conf->n_events);
  else lua_pushnil(L);
  return 1;
}

static int conference_tostring(lua_State *L) {
  const model_conference *conf = check_box(L, 1)->conf;
  lua_pushfstring(L, "Conference %s (%s %s %s)", conf->id ? conf->id : "?",
                  conf->authority ? conf->authority : "?", conf->type ? conf->type : "?",
                  conf->date ? conf->date : "?");
  return 1;
}

/*
** The model of a conference a script made is held by an owner, a userdata
** only its box refers to (the box's user value), and freed by the owner's
** finalizer. The box has no finalizer: Lua keeps an object it is about to
** finalize reachable through weak-keyed tables, so a script could take such
** a box back and call a method whose allocations ran the finalizer while the
** method still read the model. A box without one is dead before its owner's
** finalizer runs, and scripts never see the owner.
*/
static const char owner_meta_key = 'O';

static int owner_gc(lua_State *L) {
  model_conference **owner = lua_touserdata(L, 1);
  model_free(*owner);
  *owner = NULL;
  return 0;
}

/* Makes a new owner, holding no model yet, the user value of the box at the top; returns it. */
static model_conference **give_owner(lua_State *L) {
  model_conference **owner = lua_newuserdatauv(L, sizeof *owner, 0);
  *owner = NULL;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &owner_meta_key) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, owner_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &owner_meta_key);
  }
  lua_setmetatable(L, -2);
  lua_setiuservalue(L, -2, 1);
  return owner;
}

/*
** Pushes a new conference userdata. Its metatable is its own, with a plain
** table as __index: conf:count(...) then finds its method by a table lookup,
** as fast as a global function, instead of calling a C __index first (which
** made a host API call 3.5 times a bare C function's cost). That table holds
** the methods, closures over the box (self_box); its own __index, another
** closure over the box, gives the fields. The cycles box -> metatable ->
** table -> closure -> box are the collector's to break.
*/
static conference_box *push_box(lua_State *L, model_conference *conf, int owned) {
  conference_box *box = lua_newuserdatauv(L, sizeof *box, owned);
  box->conf = conf;
  box->owned = owned;
  lua_createtable(L, 0, 6);                      /* the box's metatable */
  lua_pushboolean(L, 1);
  lua_rawsetp(L, -2, &conference_tag);
  lua_pushliteral(L, CONFERENCE_TYPE);           /* the type's name in Lua's own messages */
  lua_setfield(L, -2, "__name");
  lua_pushcfunction(L, conference_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pushliteral(L, CONFERENCE_TYPE);           /* getmetatable(conf) gives scripts this string */
  lua_setfield(L, -2, "__metatable");
  luaL_newlibtable(L, conference_methods);       /* its __index: the methods ... */
  lua_pushvalue(L, -3);
  luaL_setfuncs(L, conference_methods, 1);       /* (closures over the box) */
  lua_createtable(L, 0, 1);
  lua_pushvalue(L, -4);
  lua_pushcclosure(L, conference_field, 1);      /* ... then the fields */
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  return box;
}

void api_push_conference(lua_State *L, model_conference *conf) {
  push_box(L, conf, 0);
}

void api_release_conference(lua_State *L, int index) {
  conference_box *box = test_box(L, index);
  if (box != NULL && !box->owned) box->conf = NULL;
}

/* The fields of confer.conference{...}, in the order they are read, and their defaults. */
static const struct { const char *name, *fallback; } conference_fields[] = {
  {"authority", "signs_of_safety"}, {"type", "initial"}, {"date", "2026-01-05"}, {"id", "1"},
  {"chair", NULL},
};
#define N_CONFERENCE_FIELDS (sizeof conference_fields / sizeof conference_fields[0])

/*
** Reads the fields of the table at index 1 into TEXT and LEN (a NULL text
** for an absent field without a default), leaving each value on the stack:
** a __index may have made the string afresh, and only the stack keeps it
** from the collector until the model has copied it. May raise (a field that
** is not a string), so it runs before anything is allocated.
*/
static void read_conference_fields(lua_State *L, const char *text[], size_t len[]) {
  for (size_t i = 0; i < N_CONFERENCE_FIELDS; i++) {
    lua_getfield(L, 1, conference_fields[i].name);
    text[i] = conference_fields[i].fallback;
    len[i] = text[i] == NULL ? 0 : strlen(text[i]);
    if (lua_isnil(L, -1)) continue;
    if (!lua_isstring(L, -1))
      luaL_error(L, _("api.conference_field_type"), conference_fields[i].name, luaL_typename(L, -1));
    text[i] = lua_tolstring(L, -1, &len[i]);
  }
}

/*
** The payload of conference.opened from the fields read. The bytes go in
** unchecked, so that the model, not jansson, judges them and names the field
** (not UTF-8, a zero byte): jansson's refusal would look like lack of memory.
** NULL only for lack of memory.
*/
static json_t *conference_payload(const char *const text[], const size_t len[]) {
  json_t *payload = json_object();
  for (size_t i = 0; payload != NULL && i < N_CONFERENCE_FIELDS; i++) {
    if (text[i] == NULL) continue;
    if (json_object_set_new(payload, conference_fields[i].name,
                            json_stringn_nocheck(text[i], len[i])) != 0) {
      json_decref(payload);
      payload = NULL;
    }
  }
  return payload;
}

/*
** confer.conference{authority=, type=, date=, id=, chair=}: a new in-memory
** conference, for tests, checks and scripts. The box exists (and owns the
** model) before the model is filled, so a Lua error cannot leak it.
*/
static int api_conference(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  const char *text[N_CONFERENCE_FIELDS];
  size_t len[N_CONFERENCE_FIELDS];
  read_conference_fields(L, text, len);
  conference_box *box = push_box(L, NULL, 1);
  model_conference **owner = give_owner(L);
  box->conf = *owner = model_new();
  if (box->conf == NULL) return luaL_error(L, "%s", _("host.out_of_memory"));
  json_t *payload = conference_payload(text, len);
  if (payload == NULL) return luaL_error(L, "%s", _("host.out_of_memory"));
  char err[512], newid[16];
  int rc = model_apply(box->conf, "conference.opened", payload, NULL, NULL, newid, sizeof newid,
                       err, sizeof err);
  json_decref(payload);
  if (rc != 0) return luaL_error(L, "%s", err);
  return 1;
}

/* }====================================================== */

void api_open(sandbox *sb) {
  static const luaL_Reg functions[] = {
    {"where", api_where},
    {"has_text", api_has_text}, {"conference", api_conference},
    {"plural", api_plural},     {"date", api_date},
    {NULL, NULL},
  };
  lua_State *L = sandbox_state(sb);
  sandbox_push_env(sb);
  luaL_newlib(L, functions);
  lua_newtable(L);
  lua_pushcclosure(L, api_text, 1);
  lua_setfield(L, -2, "text");
  api_calendar_push(L);
  lua_setfield(L, -2, "calendar");
  lua_setfield(L, -2, "confer");
  lua_pop(L, 1);
  native_open(sb);
}
