/*
** bench_util.h — what the benchmarks share: clocks, sorting and percentiles.
** Header-only: each benchmark program includes it once.
*/
#ifndef CONFER_BENCH_UTIL_H
#define CONFER_BENCH_UTIL_H

#include <time.h>

/* Wall-clock seconds (monotonic), for latencies and rates. */
static inline double bench_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The same in milliseconds. */
static inline double bench_ms(void) {
  return bench_seconds() * 1e3;
}

/* This process's processor seconds, which a busy machine inflates less than wall time. */
static inline double bench_cpu_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* qsort's comparison of doubles, ascending. */
static inline int bench_compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The Pth percentile of the N sorted samples (nearest rank). */
static inline double bench_percentile(const double *sorted, long n, double p) {
  return sorted[(long)(p / 100.0 * (double)(n - 1) + 0.5)];
}

#endif
