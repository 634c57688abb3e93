/*
** api_calendar.c — confer.calendar: the calendar module as Lua functions.
**
** Scripts pass and get dates as "YYYY-MM-DD" strings, never day numbers, so
** a plugin reads like the authority's procedure ("3 working days before").
** Every argument is checked before use and a bad one raises a Lua error
** naming the argument, the function and the value given.
*/
#include "api.h"

#include <lauxlib.h>
#include <limits.h>
#include <string.h>

#include "calendar.h"
#include "i18n.h"

/* Counts of days or months a script may add: enough for any procedure, and
** small enough that the result stays a four-digit year. */
#define MAX_STEPS 9999

/* The date at argument ARG, or a Lua error naming what was given instead. */
static calendar_day check_date(lua_State *L, int arg) {
  calendar_day day;
  if (lua_type(L, arg) != LUA_TSTRING)
    return luaL_argerror(L, arg, lua_pushfstring(L, _("dates.expected_type"), luaL_typename(L, arg)));
  const char *text = api_check_cstring(L, arg);
  if (calendar_parse(text, &day) != 0)
    return luaL_argerror(L, arg, lua_pushfstring(L, _("dates.expected_text"), text));
  return day;
}

/* The whole number of days or months at argument ARG, within MAX_STEPS. */
static int check_steps(lua_State *L, int arg) {
  lua_Integer n = luaL_checkinteger(L, arg);
  luaL_argcheck(L, n >= -MAX_STEPS && n <= MAX_STEPS, arg, _("dates.steps_range"));
  return (int)n;
}

static void push_date(lua_State *L, calendar_day day) {
  char buf[11];
  calendar_format(day, buf);
  lua_pushstring(L, buf);
}

/* is_working_day(d): true on Monday to Friday unless a bank holiday. */
static int cal_is_working_day(lua_State *L) {
  lua_pushboolean(L, calendar_is_working_day(check_date(L, 1)));
  return 1;
}

/* is_bank_holiday(d): true on an England and Wales bank holiday. */
static int cal_is_bank_holiday(lua_State *L) {
  lua_pushboolean(L, calendar_is_bank_holiday(check_date(L, 1)));
  return 1;
}

/* add_working_days(d, n): the Nth working day after (n > 0) or before d. */
static int cal_add_working_days(lua_State *L) {
  calendar_day day = check_date(L, 1);
  push_date(L, calendar_add_working_days(day, check_steps(L, 2)));
  return 1;
}

/* add_months(d, n): d plus n months, clamped to the end of the month. */
static int cal_add_months(lua_State *L) {
  calendar_day day = check_date(L, 1);
  push_date(L, calendar_add_months(day, check_steps(L, 2)));
  return 1;
}

/* deadline(d, phrase): d moved by a phrase such as "3 working days before". */
static int cal_deadline(lua_State *L) {
  calendar_day day = check_date(L, 1);
  const char *phrase = api_check_cstring(L, 2);
  calendar_day out;
  /* The error echoes the whole phrase: room for it and the reason, or the reason is cut. */
  size_t errlen = strlen(phrase) + 512;
  if (errlen > UINT_MAX) errlen = UINT_MAX;
  char *err = lua_newuserdatauv(L, errlen, 0);
  if (calendar_deadline(day, phrase, &out, err, (unsigned)errlen) != 0) return luaL_error(L, "%s", err);
  push_date(L, out);
  return 1;
}

/* bank_holidays(year): the year's bank holidays in date order. */
static int cal_bank_holidays(lua_State *L) {
  lua_Integer year = luaL_checkinteger(L, 1);
  luaL_argcheck(L, year >= 1900 && year <= 2200, 1, _("dates.year_range"));
  calendar_day days[16];
  int n = calendar_bank_holidays((int)year, days);
  lua_createtable(L, n, 0);
  for (int i = 0; i < n; i++) {
    push_date(L, days[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

/* weekday(d): 1 for Monday to 7 for Sunday. */
static int cal_weekday(lua_State *L) {
  lua_pushinteger(L, calendar_weekday(check_date(L, 1)) + 1);
  return 1;
}

void api_calendar_push(lua_State *L) {
  static const luaL_Reg functions[] = {
    {"is_working_day", cal_is_working_day},
    {"is_bank_holiday", cal_is_bank_holiday},
    {"add_working_days", cal_add_working_days},
    {"add_months", cal_add_months},
    {"deadline", cal_deadline},
    {"bank_holidays", cal_bank_holidays},
    {"weekday", cal_weekday},
    {NULL, NULL},
  };
  luaL_newlib(L, functions);
}
