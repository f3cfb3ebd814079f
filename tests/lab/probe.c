/* rtcal_lab_probe: an independent judge of where the RTC's seconds edges fall
 * against the system clock, sharing no code with rtcal.
 *
 *   rtcal_lab_probe [DEVICE [EDGES]]     (default /dev/rtc0, 5 edges)
 *
 * Enables update interrupts, skips the first (it may be stale), then for each
 * edge: read() the interrupt, clock_gettime(CLOCK_REALTIME), RTC_RD_TIME. At
 * the edge the RTC holds exactly its new whole second, so RTC value minus
 * system time is the RTC's offset (+ = RTC ahead). Prints each edge and
 * "median_offset_ms=X". */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/rtc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define MAX_EDGES 64

static int compare_doubles(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int wait_interrupt(int fd) {
  unsigned long word = 0;
  return read(fd, &word, sizeof word) == (ssize_t)sizeof word ? 0 : -1;
}

int main(int argc, char **argv) {
  const char *device = argc > 1 ? argv[1] : "/dev/rtc0";
  int edges = argc > 2 ? atoi(argv[2]) : 5;
  if (edges < 1 || edges > MAX_EDGES) edges = 5;
  double offsets_ms[MAX_EDGES];

  int fd = open(device, O_RDONLY);
  if (fd < 0) { printf("probe error: %s: %s\n", device, strerror(errno)); return 1; }
  if (ioctl(fd, RTC_UIE_ON, 0) != 0) { printf("probe error: RTC_UIE_ON: %s\n", strerror(errno)); return 1; }
  if (wait_interrupt(fd) != 0) { printf("probe error: read: %s\n", strerror(errno)); return 1; }
  for (int i = 0; i < edges; i++) {
    struct rtc_time rt;
    struct timespec sys;
    if (wait_interrupt(fd) != 0) { printf("probe error: read: %s\n", strerror(errno)); return 1; }
    clock_gettime(CLOCK_REALTIME, &sys);
    if (ioctl(fd, RTC_RD_TIME, &rt) != 0) { printf("probe error: RTC_RD_TIME: %s\n", strerror(errno)); return 1; }
    struct tm tm = {.tm_sec = rt.tm_sec, .tm_min = rt.tm_min, .tm_hour = rt.tm_hour,
                    .tm_mday = rt.tm_mday, .tm_mon = rt.tm_mon, .tm_year = rt.tm_year};
    const long long rtc_s = (long long)timegm(&tm);
    offsets_ms[i] = (double)(rtc_s - sys.tv_sec) * 1e3 - (double)sys.tv_nsec / 1e6;
    printf("probe edge %d rtc=%04d-%02d-%02d %02d:%02d:%02d offset_ms=%.3f\n", i, rt.tm_year + 1900,
           rt.tm_mon + 1, rt.tm_mday, rt.tm_hour, rt.tm_min, rt.tm_sec, offsets_ms[i]);
  }
  ioctl(fd, RTC_UIE_OFF, 0);
  close(fd);
  qsort(offsets_ms, (size_t)edges, sizeof offsets_ms[0], compare_doubles);
  printf("median_offset_ms=%.3f\n", offsets_ms[edges / 2]);
  return 0;
}
