/*
** calendar.h — dates, working days and deadlines for England and Wales.
**
** Contract. Dates are civil dates (no time zone) held as day numbers; bank
** holidays are computed for any year from 1900 to 2200 (Easter by the
** Gregorian computus, substitute days when a holiday falls on a weekend,
** and the one-off holidays proclaimed since 1995 listed in calendar.c).
** Deadlines are phrases an authority writes in its plugin:
**   "24 hours before", "3 working days before", "10 working days after",
**   "2 weeks before", "3 months after", "6 months after", "15 working days after"
** A deadline "N working days before D" is the Nth working day counted back
** from D (D itself not counted); "24 hours before" is the previous calendar day.
** This module calls nothing else in the host but i18n (for the words of its errors).
*/
#ifndef CONFER_CALENDAR_H
#define CONFER_CALENDAR_H

/* Days since 1970-01-01 (may be negative). */
typedef long calendar_day;

/* Parses "YYYY-MM-DD" (a real date, years 1900-2200). Returns 0 or -1. */
int calendar_parse(const char *text, calendar_day *day);

/* Writes "YYYY-MM-DD" into BUF (at least 11 bytes). */
void calendar_format(calendar_day day, char *buf);

/* 0 = Monday .. 6 = Sunday. */
int calendar_weekday(calendar_day day);

/* Year, month (1-12) and day of month of DAY. */
void calendar_split(calendar_day day, int *year, int *month, int *mday);

/* Sets *DAY to Easter Sunday of YEAR (Gregorian). Returns 0, or -1 outside 1900-2200. */
int calendar_easter(int year, calendar_day *day);

/* 1 if DAY is a bank holiday in England and Wales, else 0. */
int calendar_is_bank_holiday(calendar_day day);

/* 1 if DAY is Monday to Friday and not a bank holiday. */
int calendar_is_working_day(calendar_day day);

/* The day N working days after (N > 0) or before (N < 0) DAY. */
calendar_day calendar_add_working_days(calendar_day day, int n);

/* DAY plus N calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
calendar_day calendar_add_months(calendar_day day, int n);

/*
** Applies a deadline phrase (see above) to DAY. Returns 0 and sets *OUT, or
** -1 with a one-line reason in ERR naming what was expected.
*/
int calendar_deadline(calendar_day day, const char *phrase, calendar_day *out,
                      char *err, unsigned errlen);

/*
** Writes the England and Wales bank holidays of YEAR into DAYS (room for 16)
** in date order; returns how many.
*/
int calendar_bank_holidays(int year, calendar_day *days);

#endif
