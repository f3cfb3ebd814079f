/* rtcal_lab_probe: an independent judge of where the RTC's seconds edges fall
 * against the system clock, sharing no code with rtcal.
 *
 *   rtcal_lab_probe [DEVICE [EDGES]]     (default /dev/rtc0, 5 edges)
 *   rtcal_lab_probe poll [DEVICE [EDGES]]
 *   rtcal_lab_probe time CMD [ARG]...
 *
 * Enables update interrupts, skips the first (it may be stale), then for each
 * edge: read() the interrupt, clock_gettime(CLOCK_REALTIME), RTC_RD_TIME. At
 * the edge the RTC holds exactly its new whole second, so RTC value minus
 * system time is the RTC's offset (+ = RTC ahead). Prints each edge and
 * "median_offset_ms=X".
 *
 * "poll" finds the edges without interrupts: RTC_RD_TIME in a tight loop, the
 * edge between the last read of the old second and the first of the new one
 * (system time at the midpoint, "width_ms" the interval; see poll_edge); the
 * median is over the edges bracketed within 1 ms ("narrow=K/N"), all if none.
 * It has no interrupt-to-wakeup latency, so the two modes side by side show
 * that latency. "time" runs CMD, prints its output, then "start_unix_s=S" (system
 * clock just before the fork) "wall_ms=X" (monotonic, fork to exit) and
 * "status=N". */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/rtc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
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

static double ts_s(const struct timespec *t) { return (double)t->tv_sec + (double)t->tv_nsec / 1e9; }

static long long rtc_unix_s(const struct rtc_time *rt) {
  struct tm tm = {.tm_sec = rt->tm_sec, .tm_min = rt->tm_min, .tm_hour = rt->tm_hour,
                  .tm_mday = rt->tm_mday, .tm_mon = rt->tm_mon, .tm_year = rt->tm_year};
  return (long long)timegm(&tm);
}

/* One edge by polling, at most 1.5 s. The edge lies after the start of the
 * last read that showed the old second and before the end of the first read
 * that showed the new one: the estimate is the middle of that bracket, good
 * to half its width. A read the driver delays (the update-in-progress flag)
 * or a preempted one widens the bracket; poll_main keeps the narrow ones. */
static int poll_edge(int fd, long long *rtc_s, double *edge_s, double *width_ms) {
  struct rtc_time rt;
  struct timespec pre, post, last_pre;
  clock_gettime(CLOCK_REALTIME, &last_pre);
  if (ioctl(fd, RTC_RD_TIME, &rt) != 0) return -1;
  const long long first = rtc_unix_s(&rt);
  for (;;) {
    clock_gettime(CLOCK_REALTIME, &pre);
    if (ts_s(&pre) - ts_s(&last_pre) > 1.5) return -1;
    if (ioctl(fd, RTC_RD_TIME, &rt) != 0) return -1;
    clock_gettime(CLOCK_REALTIME, &post);
    if (rtc_unix_s(&rt) != first) break;
    last_pre = pre;
  }
  *rtc_s = rtc_unix_s(&rt);
  *edge_s = (ts_s(&last_pre) + ts_s(&post)) / 2;
  *width_ms = (ts_s(&post) - ts_s(&last_pre)) * 1e3;
  return 0;
}

#define NARROW_MS 1.0

static int poll_main(const char *device, int edges) {
  double offsets_ms[MAX_EDGES], narrow_ms[MAX_EDGES];
  int narrow = 0;
  int fd = open(device, O_RDONLY);
  if (fd < 0) { printf("probe error: %s: %s\n", device, strerror(errno)); return 1; }
  for (int i = 0; i < edges; i++) {
    long long rtc_s;
    double edge_s, width_ms;
    if (poll_edge(fd, &rtc_s, &edge_s, &width_ms) != 0) { printf("probe error: no edge by polling\n"); return 1; }
    offsets_ms[i] = ((double)rtc_s - edge_s) * 1e3;
    if (width_ms <= NARROW_MS) narrow_ms[narrow++] = offsets_ms[i];
    printf("probe poll edge %d rtc_unix=%lld offset_ms=%.3f width_ms=%.3f\n", i, rtc_s, offsets_ms[i], width_ms);
  }
  close(fd);
  /* The median of the edges bracketed within NARROW_MS, or of all if none was. */
  double *use = narrow > 0 ? narrow_ms : offsets_ms;
  const int n = narrow > 0 ? narrow : edges;
  qsort(use, (size_t)n, sizeof use[0], compare_doubles);
  printf("narrow=%d/%d median_offset_ms=%.3f\n", narrow, edges, use[n / 2]);
  return 0;
}

static int time_main(char **argv) {
  struct timespec start_real, start, end;
  fflush(stdout);
  clock_gettime(CLOCK_REALTIME, &start_real);
  clock_gettime(CLOCK_MONOTONIC, &start);
  const pid_t pid = fork();
  if (pid < 0) { printf("probe error: fork: %s\n", strerror(errno)); return 1; }
  if (pid == 0) {
    execvp(argv[0], argv);
    printf("probe error: %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  clock_gettime(CLOCK_MONOTONIC, &end);
  printf("start_unix_s=%lld.%09ld wall_ms=%.3f status=%d\n", (long long)start_real.tv_sec, start_real.tv_nsec,
         (ts_s(&end) - ts_s(&start)) * 1e3, WIFEXITED(status) ? WEXITSTATUS(status) : 128);
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 2 && strcmp(argv[1], "time") == 0) return time_main(argv + 2);
  if (argc > 1 && strcmp(argv[1], "poll") == 0) {
    const int n = argc > 3 ? atoi(argv[3]) : 5;
    return poll_main(argc > 2 ? argv[2] : "/dev/rtc0", n >= 1 && n <= MAX_EDGES ? n : 5);
  }
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
    const long long rtc_s = rtc_unix_s(&rt);
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
