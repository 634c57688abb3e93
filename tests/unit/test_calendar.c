/*
** test_calendar.c — the calendar module against published dates.
**
** Bank holidays are the gov.uk lists for England and Wales; Easter dates are
** the published ones. Each deadline's expected date was counted by hand on
** a calendar (the working is in the comment beside it).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "test_locales.h"

static int test_number;
static int failures;

static void check(int ok, const char *name) {
  printf("%s %d - %s\n", ok ? "ok" : "not ok", ++test_number, name);
  if (!ok) failures++;
}

/* The day number of TEXT, which the test itself writes, so it must parse. */
static calendar_day day_of(const char *text) {
  calendar_day day;
  if (calendar_parse(text, &day) != 0) {
    printf("not ok - test date %s does not parse\n", text);
    exit(1);
  }
  return day;
}

/* Checks that DAY formats as EXPECTED. */
static void check_date(calendar_day day, const char *expected, const char *name) {
  char buf[11];
  calendar_format(day, buf);
  if (strcmp(buf, expected) != 0) printf("# %s: expected %s, got %s\n", name, expected, buf);
  check(strcmp(buf, expected) == 0, name);
}

/* Checks that YEAR's bank holidays are exactly EXPECTED, a NULL-ended list. */
static void check_year(int year, const char *const *expected) {
  calendar_day days[16];
  int n = calendar_bank_holidays(year, days);
  int want = 0;
  while (expected[want] != NULL) want++;
  int ok = n == want;
  for (int i = 0; ok && i < n; i++) {
    char buf[11];
    calendar_format(days[i], buf);
    ok = strcmp(buf, expected[i]) == 0;
  }
  char name[64];
  snprintf(name, sizeof name, "bank holidays %d (%d days)", year, want);
  if (!ok) {
    printf("# got %d:", n);
    for (int i = 0; i < n; i++) {
      char buf[11];
      calendar_format(days[i], buf);
      printf(" %s", buf);
    }
    printf("\n");
  }
  check(ok, name);
}

static void test_parse_and_format(void) {
  calendar_day day;
  check(calendar_parse("1970-01-01", &day) == 0 && day == 0, "1970-01-01 is day 0");
  check(calendar_parse("1969-12-31", &day) == 0 && day == -1, "1969-12-31 is day -1");
  check(calendar_parse("1900-01-01", &day) == 0 && day == -25567, "1900-01-01 is day -25567");
  check(calendar_parse("2000-03-01", &day) == 0 && day == 11017, "2000-03-01 is day 11017");
  check(calendar_parse("2200-12-31", &day) == 0 && day == 84370, "2200-12-31 is day 84370");
  check(calendar_parse("2024-02-29", &day) == 0, "2024-02-29 leap day");
  check(calendar_parse("2000-02-29", &day) == 0, "2000-02-29 leap day (400 rule)");
  static const char *const bad[] = {
    "2026-02-30", "2023-02-29", "2100-02-29", "2026-2-3",   "2026-02-3",  "2026-02-03x",
    " 2026-02-03", "2026/02/03", "2026-13-01", "2026-00-10", "2026-01-00", "2026-04-31",
    "1899-12-31", "2201-01-01", "+026-01-01", "2026-0a-01", "",          "20260203",
  };
  calendar_day untouched = 12345;
  int rejected = 1;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    day = untouched;
    if (calendar_parse(bad[i], &day) != -1 || day != untouched) {
      printf("# accepted \"%s\"\n", bad[i]);
      rejected = 0;
    }
  }
  check(rejected, "malformed and impossible dates rejected, output untouched");
  check(calendar_parse(NULL, &day) == -1, "NULL rejected");

  /* Every day of the supported range survives format then parse, in order. */
  int round_trip = 1;
  for (calendar_day d = -25567; d <= 84370 && round_trip; d++) {
    char buf[11];
    calendar_format(d, buf);
    round_trip = calendar_parse(buf, &day) == 0 && day == d;
    if (!round_trip) printf("# day %ld formats as %s\n", d, buf);
  }
  check(round_trip, "1900-01-01 .. 2200-12-31 round trip");
  check_date(day_of("2026-03-10") + 365, "2027-03-10", "format after a year");

  int year, month, mday;
  calendar_split(day_of("2028-02-29"), &year, &month, &mday);
  check(year == 2028 && month == 2 && mday == 29, "split 2028-02-29");
}

static void test_weekday(void) {
  check(calendar_weekday(day_of("1970-01-01")) == 3, "1970-01-01 Thursday");
  check(calendar_weekday(day_of("1969-12-31")) == 2, "1969-12-31 Wednesday");
  check(calendar_weekday(day_of("1900-01-01")) == 0, "1900-01-01 Monday");
  check(calendar_weekday(day_of("2026-04-07")) == 1, "2026-04-07 Tuesday");
  check(calendar_weekday(day_of("2026-03-01")) == 6, "2026-03-01 Sunday");
  check(calendar_weekday(day_of("2200-12-31")) == 2, "2200-12-31 Wednesday");
}

static void test_easter(void) {
  static const char *const known[][2] = {
    {"1900", "1900-04-15"}, {"1961", "1961-04-02"}, {"2000", "2000-04-23"},
    {"2008", "2008-03-23"}, {"2011", "2011-04-24"}, {"2019", "2019-04-21"},
    {"2024", "2024-03-31"}, {"2025", "2025-04-20"}, {"2026", "2026-04-05"},
    {"2038", "2038-04-25"},
  };
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
    calendar_day day = 0;
    char name[32];
    snprintf(name, sizeof name, "Easter %s", known[i][0]);
    check(calendar_easter(atoi(known[i][0]), &day) == 0, name);
    check_date(day, known[i][1], name);
  }
  calendar_day day = 7;
  check(calendar_easter(2285, &day) == -1 && day == 7, "Easter 2285 out of range");
  check(calendar_easter(1899, &day) == -1 && day == 7, "Easter 1899 out of range");
}

static void test_bank_holiday_years(void) {
  static const char *const y2024[] = {"2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06",
                                      "2024-05-27", "2024-08-26", "2024-12-25", "2024-12-26", NULL};
  static const char *const y2025[] = {"2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05",
                                      "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26", NULL};
  static const char *const y2026[] = {"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04",
                                      "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28", NULL};
  static const char *const y2027[] = {"2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03",
                                      "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28", NULL};
  static const char *const y2020[] = {"2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08",
                                      "2020-05-25", "2020-08-31", "2020-12-25", "2020-12-28", NULL};
  static const char *const y2022[] = {"2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02",
                                      "2022-06-02", "2022-06-03", "2022-08-29", "2022-09-19",
                                      "2022-12-26", "2022-12-27", NULL};
  static const char *const y2023[] = {"2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01",
                                      "2023-05-08", "2023-05-29", "2023-08-28", "2023-12-25",
                                      "2023-12-26", NULL};
  static const char *const y2012[] = {"2012-01-02", "2012-04-06", "2012-04-09", "2012-05-07",
                                      "2012-06-04", "2012-06-05", "2012-08-27", "2012-12-25",
                                      "2012-12-26", NULL};
  static const char *const y2021[] = {"2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03",
                                      "2021-05-31", "2021-08-30", "2021-12-27", "2021-12-28", NULL};
  check_year(2024, y2024);
  check_year(2025, y2025);
  check_year(2026, y2026);
  check_year(2027, y2027);
  check_year(2020, y2020);
  check_year(2021, y2021);
  check_year(2022, y2022);
  check_year(2023, y2023);
  check_year(2012, y2012);
  calendar_day days[16];
  check(calendar_bank_holidays(1899, days) == 0, "no bank holidays before 1900");
  check(calendar_bank_holidays(2201, days) == 0, "no bank holidays after 2200");
}

static void test_single_days(void) {
  static const char *const holidays[] = {
    "1999-12-31", "2002-06-03", "2011-04-29", "2012-06-05", "2022-06-03", "2022-09-19",
    "2023-05-08", "1995-05-08", "2002-06-04", "2021-12-27", "2021-12-28", "2022-01-03",
    "2027-12-27", "2027-12-28", "1999-12-27", "1999-12-28", "2000-01-03", "2016-12-27",
  };
  static const char *const not_holidays[] = {
    "1995-05-01", "2020-05-04", "2002-05-27", "2012-05-28", "2022-05-30", "2026-12-26",
    "2027-12-25", "2022-01-01", "2026-04-07", "2026-03-31", "2011-04-28", "2016-12-25",
  };
  for (size_t i = 0; i < sizeof holidays / sizeof holidays[0]; i++) {
    char name[48];
    snprintf(name, sizeof name, "%s is a bank holiday", holidays[i]);
    check(calendar_is_bank_holiday(day_of(holidays[i])) == 1, name);
  }
  for (size_t i = 0; i < sizeof not_holidays / sizeof not_holidays[0]; i++) {
    char name[48];
    snprintf(name, sizeof name, "%s is not a bank holiday", not_holidays[i]);
    check(calendar_is_bank_holiday(day_of(not_holidays[i])) == 0, name);
  }
  check(calendar_is_working_day(day_of("2026-04-07")) == 1, "Tuesday 2026-04-07 works");
  check(calendar_is_working_day(day_of("2026-04-06")) == 0, "Easter Monday 2026 does not");
  check(calendar_is_working_day(day_of("2026-04-04")) == 0, "Saturday does not");
  check(calendar_is_working_day(day_of("2026-12-27")) == 0, "Sunday does not");
}

static void test_arithmetic(void) {
  check_date(calendar_add_working_days(day_of("2026-04-07"), -3), "2026-03-31",
             "3 working days back from Tue 2026-04-07 over Easter");
  check_date(calendar_add_working_days(day_of("2026-03-07"), 1), "2026-03-09",
             "Saturday + 1 working day = Monday");
  check_date(calendar_add_working_days(day_of("2026-03-09"), -1), "2026-03-06",
             "Monday - 1 working day = Friday");
  check_date(calendar_add_working_days(day_of("2026-03-07"), 0), "2026-03-07",
             "0 working days leaves the day");
  check_date(calendar_add_working_days(day_of("2026-03-02"), 260), "2027-03-11",
             "260 working days from 2026-03-02");
  check_date(calendar_add_months(day_of("2024-01-31"), 1), "2024-02-29", "31 Jan 2024 + 1 month");
  check_date(calendar_add_months(day_of("2026-03-31"), -1), "2026-02-28", "31 Mar 2026 - 1 month");
  check_date(calendar_add_months(day_of("2026-05-15"), -5), "2025-12-15", "15 May - 5 months");
  check_date(calendar_add_months(day_of("2026-11-30"), 3), "2027-02-28", "30 Nov + 3 months");
  check_date(calendar_add_months(day_of("2026-08-31"), 6), "2027-02-28", "31 Aug + 6 months");
  check_date(calendar_add_months(day_of("2026-01-15"), 24), "2028-01-15", "+ 24 months");
}

/* Checks that PHRASE applied to FROM gives EXPECTED. */
static void check_deadline(const char *from, const char *phrase, const char *expected) {
  calendar_day out = 0;
  char err[160] = "";
  char name[128];
  snprintf(name, sizeof name, "\"%s\" %s = %s", phrase, from, expected);
  if (calendar_deadline(day_of(from), phrase, &out, err, sizeof err) != 0) {
    printf("# %s\n", err);
    check(0, name);
    return;
  }
  check_date(out, expected, name);
}

/* Checks that PHRASE is refused with exactly MESSAGE and *OUT untouched. */
static void check_refused(const char *phrase, const char *message) {
  calendar_day out = 99;
  char err[160] = "";
  int rc = calendar_deadline(day_of("2026-03-03"), phrase, &out, err, sizeof err);
  int ok = rc == -1 && out == 99 && strcmp(err, message) == 0;
  if (!ok) printf("# rc %d, err: %s\n", rc, err);
  char name[128];
  snprintf(name, sizeof name, "refused \"%s\"", phrase ? phrase : "(null)");
  check(ok, name);
}

static void test_deadlines(void) {
  /* Tue 7 Apr; Mon 6 Easter Monday, Fri 3 Good Friday; Thu 2, Wed 1, Tue 31 Mar. */
  check_deadline("2026-04-07", "3 working days before", "2026-03-31");
  /* Tue 22, Wed 23, Thu 24; 25 Fri and 28 Mon holidays; Tue 29, Wed 30, Thu 31;
     1 Jan Fri holiday; Mon 4, Tue 5, Wed 6, Thu 7. */
  check_deadline("2026-12-21", "10 working days after", "2027-01-07");
  check_deadline("2026-03-03", "24 hours before", "2026-03-02");
  check_deadline("2026-03-03", "48 hours after", "2026-03-05");
  check_deadline("2026-11-30", "3 months after", "2027-02-28");
  /* Fri 21, 24-28 (6), 31 Aug holiday, 1-4 Sep (10), 7-11 Sep (15). */
  check_deadline("2026-08-20", "15 working days after", "2026-09-11");
  check_deadline("2026-03-03", "2 weeks before", "2026-02-17");
  check_deadline("2026-03-03", "1 week after", "2026-03-10");
  check_deadline("2026-03-03", "1 day before", "2026-03-02");
  check_deadline("2026-03-01", "10 days after", "2026-03-11");
  check_deadline("2026-03-31", "1 month before", "2026-02-28");
  check_deadline("2026-08-31", "6 months after", "2027-02-28");
  check_deadline("2026-04-07", "  3   WORKING\tDays   Before  ", "2026-03-31");
  check_deadline("2026-04-07", "1 Working Day After", "2026-04-08");
  check_deadline("2026-04-07", "0 days before", "2026-04-07");

  const char *expected =
      "\"N working days|days|weeks|months|hours before|after\"";
  char message[200];
  static const char *const refused[] = {
    "3 fortnights before", "", "3 days", "days before", "-3 days before", "3 working before",
    "3 working days", "3 days during", "12345 days after", "3 dayss before", "three days before",
    "3 working days before now", "3 workingdays before", "1 hours before 2",
  };
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    snprintf(message, sizeof message, "deadline \"%s\": expected %s", refused[i], expected);
    check_refused(refused[i], message);
  }
  snprintf(message, sizeof message, "deadline \"\": expected %s", expected);
  check_refused(NULL, message);
  check_refused("36 hours before", "deadline \"36 hours before\": hours must be a multiple of 24");

  /* A short buffer gets a truncated, terminated message. */
  char small[12];
  calendar_day out;
  check(calendar_deadline(0, "3 fortnights before", &out, small, sizeof small) == -1 &&
            strcmp(small, "deadline \"3") == 0,
        "error truncated to the buffer");
}

int main(void) {
  if (test_load_locales() != 0) return 1;
  test_parse_and_format();
  test_weekday();
  test_easter();
  test_bank_holiday_years();
  test_single_days();
  test_arithmetic();
  test_deadlines();
  printf("1..%d\n", test_number);
  i18n_free();
  return failures == 0 ? 0 : 1;
}
