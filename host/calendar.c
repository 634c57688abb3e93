/*
** calendar.c — dates, working days and deadlines for England and Wales.
**
** Dates are day numbers counted from 1970-01-01 in the proleptic Gregorian
** calendar, converted with Howard Hinnant's days_from_civil/civil_from_days
** method (eras of 400 years, each 146097 days, with March as the first month
** so that the leap day falls at the end of the year).
**
** Bank holidays follow the Banking and Financial Dealings Act 1971 and the
** proclamations since: New Year's Day, Good Friday, Easter Monday, the early
** May, spring and summer bank holidays, Christmas Day and Boxing Day, with a
** substitute weekday when one falls on a weekend, plus the moved and one-off
** days listed in the tables below. The modern rules only hold from 1971 (New
** Year's Day from 1974, early May from 1978, and one-offs before 1995 are not
** listed); for earlier years within 1900-2200 the same rules are computed,
** which is what a deadline calculation needs but is not history.
** Outside 1900-2200 no day is a bank holiday.
*/
#include "calendar.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"

#define FIRST_YEAR 1900
#define LAST_YEAR 2200

/* A date written as year, month and day of month. */
typedef struct civil_date {
  int year, month, mday;
} civil_date;

/* A standard bank holiday the government moved to another date one year. */
typedef struct moved_holiday {
  int year;
  int month;    /* the holiday's usual month (5 for early May or spring) */
  int spring;   /* 1 for the spring bank holiday, 0 for early May */
  civil_date to;
} moved_holiday;

static const moved_holiday moved_holidays[] = {
  {1995, 5, 0, {1995, 5, 8}},  /* 50th anniversary of VE Day */
  {2020, 5, 0, {2020, 5, 8}},  /* 75th anniversary of VE Day, a Friday */
  {2002, 5, 1, {2002, 6, 4}},  /* golden jubilee */
  {2012, 5, 1, {2012, 6, 4}},  /* diamond jubilee */
  {2022, 5, 1, {2022, 6, 2}},  /* platinum jubilee */
};

/* Extra bank holidays proclaimed for one year only. */
static const civil_date one_off_holidays[] = {
  {1999, 12, 31},  /* millennium */
  {2002, 6, 3},    /* golden jubilee */
  {2011, 4, 29},   /* royal wedding */
  {2012, 6, 5},    /* diamond jubilee */
  {2022, 6, 3},    /* platinum jubilee */
  {2022, 9, 19},   /* state funeral of Queen Elizabeth II */
  {2023, 5, 8},    /* coronation of King Charles III */
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/*
** {======================================================
** Civil dates
** =======================================================
*/

static int is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

/* Floor division, since C's / truncates toward zero for negative years. */
static long floor_div(long a, long b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static calendar_day days_from_civil(int year, int month, int mday) {
  long y = month <= 2 ? year - 1 : year;
  long era = floor_div(y, 400);
  long year_of_era = y - era * 400;                            /* 0..399 */
  long month_from_march = month > 2 ? month - 3 : month + 9;   /* 0..11 */
  long day_of_year = (153 * month_from_march + 2) / 5 + mday - 1;
  long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;  /* 719468: 0000-03-01 to 1970-01-01 */
}

void calendar_split(calendar_day day, int *year, int *month, int *mday) {
  long z = day + 719468;
  long era = floor_div(z, 146097);
  long day_of_era = z - era * 146097;                                /* 0..146096 */
  long year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  long day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  long month_from_march = (5 * day_of_year + 2) / 153;
  int m = (int)(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  *mday = (int)(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  *month = m;
  *year = (int)(year_of_era + era * 400 + (m <= 2));
}

/* The value of LEN decimal digits at TEXT, or -1 if any is not a digit. */
static int parse_digits(const char *text, int len) {
  int value = 0;
  for (int i = 0; i < len; i++) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

int calendar_parse(const char *text, calendar_day *day) {
  if (text == NULL || strlen(text) != 10 || text[4] != '-' || text[7] != '-') return -1;
  int year = parse_digits(text, 4);
  int month = parse_digits(text + 5, 2);
  int mday = parse_digits(text + 8, 2);
  if (year < FIRST_YEAR || year > LAST_YEAR || month < 1 || month > 12) return -1;
  if (mday < 1 || mday > days_in_month(year, month)) return -1;
  *day = days_from_civil(year, month, mday);
  return 0;
}

void calendar_format(calendar_day day, char *buf) {
  int year, month, mday;
  calendar_split(day, &year, &month, &mday);
  /* Years 0-9999 fit the 11 bytes; others cannot come from calendar_parse. */
  if (year < 0 || year > 9999) {
    memcpy(buf, "XXXX-XX-XX", 11);
    return;
  }
  snprintf(buf, 11, "%04d-%02d-%02d", year, month, mday);
}

int calendar_weekday(calendar_day day) {
  /* 1970-01-01 was a Thursday (3). */
  return (int)(((day + 3) % 7 + 7) % 7);
}

/* }====================================================== */

/*
** {======================================================
** Bank holidays
** =======================================================
*/

/* Easter Sunday of YEAR by the anonymous Gregorian computus (Meeus/Jones/Butcher). */
static calendar_day easter_sunday(int year) {
  int a = year % 19, b = year / 100, c = year % 100;
  int d = b / 4, e = b % 4;
  int f = (b + 8) / 25, g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4, k = c % 4;
  int l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int month = (h + l - 7 * m + 114) / 31;
  int mday = (h + l - 7 * m + 114) % 31 + 1;
  return days_from_civil(year, month, mday);
}

int calendar_easter(int year, calendar_day *day) {
  if (year < FIRST_YEAR || year > LAST_YEAR) return -1;
  *day = easter_sunday(year);
  return 0;
}

static int is_weekend(calendar_day day) {
  return calendar_weekday(day) >= 5;
}

/* The first Monday on or after DAY. */
static calendar_day monday_on_or_after(calendar_day day) {
  return day + (7 - calendar_weekday(day)) % 7;
}

/* The last Monday of MONTH in YEAR. */
static calendar_day last_monday(int year, int month) {
  calendar_day last = days_from_civil(year, month, days_in_month(year, month));
  return last - calendar_weekday(last);
}

/* The early May (SPRING 0) or spring (SPRING 1) bank holiday of YEAR. */
static calendar_day may_holiday(int year, int spring) {
  for (size_t i = 0; i < COUNT(moved_holidays); i++) {
    const moved_holiday *m = &moved_holidays[i];
    if (m->year == year && m->spring == spring)
      return days_from_civil(m->to.year, m->to.month, m->to.mday);
  }
  return spring ? last_monday(year, 5) : monday_on_or_after(days_from_civil(year, 5, 1));
}

static int contains(const calendar_day *days, int n, calendar_day day) {
  for (int i = 0; i < n; i++)
    if (days[i] == day) return 1;
  return 0;
}

/*
** Adds fixed-date holiday DAY to DAYS; on a weekend it moves to the next
** weekday not already a holiday. Callers add weekday holidays first so
** Christmas on a Sunday keeps Boxing Day on the Monday and moves to Tuesday.
*/
static int add_fixed(calendar_day *days, int n, calendar_day day) {
  if (is_weekend(day)) {
    while (is_weekend(day) || contains(days, n, day)) day++;
  }
  if (!contains(days, n, day)) days[n++] = day;
  return n;
}

/* Adds New Year's Day, Christmas Day and Boxing Day of YEAR, weekday ones first. */
static int add_fixed_holidays(int year, calendar_day *days, int n) {
  calendar_day fixed[3] = {days_from_civil(year, 1, 1), days_from_civil(year, 12, 25),
                           days_from_civil(year, 12, 26)};
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < 3; i++)
      if (is_weekend(fixed[i]) == pass) n = add_fixed(days, n, fixed[i]);
  return n;
}

static void sort_days(calendar_day *days, int n) {
  for (int i = 1; i < n; i++) {
    calendar_day d = days[i];
    int j = i;
    for (; j > 0 && days[j - 1] > d; j--) days[j] = days[j - 1];
    days[j] = d;
  }
}

int calendar_bank_holidays(int year, calendar_day *days) {
  if (year < FIRST_YEAR || year > LAST_YEAR) return 0;
  calendar_day easter = easter_sunday(year);
  int n = 0;
  days[n++] = easter - 2;
  days[n++] = easter + 1;
  days[n++] = may_holiday(year, 0);
  days[n++] = may_holiday(year, 1);
  days[n++] = last_monday(year, 8);
  for (size_t i = 0; i < COUNT(one_off_holidays); i++) {
    const civil_date *o = &one_off_holidays[i];
    if (o->year == year) days[n++] = days_from_civil(o->year, o->month, o->mday);
  }
  n = add_fixed_holidays(year, days, n);
  sort_days(days, n);
  return n;
}

int calendar_is_bank_holiday(calendar_day day) {
  int year, month, mday;
  calendar_day days[16];
  calendar_split(day, &year, &month, &mday);
  return contains(days, calendar_bank_holidays(year, days), day);
}

int calendar_is_working_day(calendar_day day) {
  return !is_weekend(day) && !calendar_is_bank_holiday(day);
}

/* }====================================================== */

/*
** {======================================================
** Arithmetic and deadlines
** =======================================================
*/

calendar_day calendar_add_working_days(calendar_day day, int n) {
  int step = n < 0 ? -1 : 1;
  for (long left = n < 0 ? -(long)n : n; left > 0; left--) {
    do day += step;
    while (!calendar_is_working_day(day));
  }
  return day;
}

calendar_day calendar_add_months(calendar_day day, int n) {
  int year, month, mday;
  calendar_split(day, &year, &month, &mday);
  long months = (long)year * 12 + (month - 1) + n;
  int new_year = (int)floor_div(months, 12);
  int new_month = (int)(months - (long)new_year * 12) + 1;
  int last = days_in_month(new_year, new_month);
  return days_from_civil(new_year, new_month, mday < last ? mday : last);
}

/* The units a deadline phrase may count in. */
typedef enum deadline_unit {
  UNIT_WORKING_DAYS, UNIT_DAYS, UNIT_WEEKS, UNIT_MONTHS, UNIT_HOURS
} deadline_unit;

#define MAX_WORDS 5
#define MAX_WORD 16
#define MAX_COUNT 9999

/*
** Splits PHRASE at spaces and tabs into lower-case WORDS. Returns how many,
** or -1 if there are too many or one is too long to be a deadline word.
*/
static int split_words(const char *phrase, char words[MAX_WORDS][MAX_WORD]) {
  int n = 0;
  while (*phrase != '\0') {
    if (*phrase == ' ' || *phrase == '\t') {
      phrase++;
      continue;
    }
    if (n == MAX_WORDS) return -1;
    int len = 0;
    for (; *phrase != '\0' && *phrase != ' ' && *phrase != '\t'; phrase++) {
      if (len == MAX_WORD - 1) return -1;
      words[n][len++] = (char)tolower((unsigned char)*phrase);
    }
    words[n++][len] = '\0';
  }
  return n;
}

/* 1 if WORD is SINGULAR or SINGULAR followed by "s". */
static int is_unit_word(const char *word, const char *singular) {
  size_t len = strlen(singular);
  return strncmp(word, singular, len) == 0 && (word[len] == '\0' || strcmp(word + len, "s") == 0);
}

/* The count in WORD (1 to 4 digits), or -1. */
static int parse_count(const char *word) {
  size_t len = strlen(word);
  if (len < 1 || len > 4) return -1;
  return parse_digits(word, (int)len);
}

/*
** Reads "N UNIT before|after" from WORDS into *COUNT (negative for before)
** and *UNIT. Returns 0, or -1 if the phrase is not of that shape.
*/
static int parse_deadline(char words[MAX_WORDS][MAX_WORD], int n, int *count,
                          deadline_unit *unit) {
  if (n < 3 || n > 4) return -1;
  int value = parse_count(words[0]);
  if (value < 0) return -1;
  if (n == 4) {
    if (strcmp(words[1], "working") != 0 || !is_unit_word(words[2], "day")) return -1;
    *unit = UNIT_WORKING_DAYS;
  } else if (is_unit_word(words[1], "day")) {
    *unit = UNIT_DAYS;
  } else if (is_unit_word(words[1], "week")) {
    *unit = UNIT_WEEKS;
  } else if (is_unit_word(words[1], "month")) {
    *unit = UNIT_MONTHS;
  } else if (is_unit_word(words[1], "hour")) {
    *unit = UNIT_HOURS;
  } else {
    return -1;
  }
  const char *direction = words[n - 1];
  if (strcmp(direction, "before") == 0) value = -value;
  else if (strcmp(direction, "after") != 0) return -1;
  *count = value;
  return 0;
}

int calendar_deadline(calendar_day day, const char *phrase, calendar_day *out,
                      char *err, unsigned errlen) {
  char words[MAX_WORDS][MAX_WORD];
  int count;
  deadline_unit unit;
  if (phrase == NULL) phrase = "";
  int n = split_words(phrase, words);
  if (n < 0 || parse_deadline(words, n, &count, &unit) != 0) {
    snprintf(err, errlen, _("dates.deadline_expected"), phrase);
    return -1;
  }
  calendar_day result = day;
  switch (unit) {
  case UNIT_WORKING_DAYS: result = calendar_add_working_days(day, count); break;
  case UNIT_DAYS: result = day + count; break;
  case UNIT_WEEKS: result = day + 7L * count; break;
  case UNIT_MONTHS: result = calendar_add_months(day, count); break;
  case UNIT_HOURS:
    if (count % 24 != 0) {
      snprintf(err, errlen, _("dates.deadline_hours"), phrase);
      return -1;
    }
    result = day + count / 24;
    break;
  }
  *out = result;
  return 0;
}

/* }====================================================== */
