// state/adjtime_file: loading, the lock, and atomic saving on a real
// filesystem (a scratch directory; a private tmpfs for the read-only and
// disk-full cases; a child that drops root for the permission cases).
#include "state/adjtime_file.h"

#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include "base/atomic_file.h"
#include "tests/unit/state_test_util.h"

using namespace rtcal;
using namespace rtcal::state;
using rtcal::test::TempDir;

namespace {

const std::string kExample = "-9.600000 845082716 -0.250655\n845082716\nUTC\n";

Adjtime changed_example() {
  Adjtime a = parse_adjtime(kExample).value;
  a.drift_factor_s_per_day = -1.999893;
  a.last_adjust_unix_s = 1795427168;
  a.last_calibration_unix_s = 1795427168;
  a.not_adjusted_s = 0.0;
  return a;
}
const std::string kChangedText = "-1.999893 1795427168 0.000000\n1795427168\nUTC\n";

// Commit `next` to `path` in one transaction.
Result<bool> save(const std::string& path, const Adjtime& next) {
  auto t = AdjtimeTransaction::begin(path);
  if (!t) return t.error();
  return (*t)->commit(next);
}

// A verdict for in_child(): "" when `ok`, else `what`.
std::string expect(bool ok, const std::string& what) { return ok ? "" : what; }

void check_child_verdict(const std::string& verdict) {
  if (verdict.rfind("SKIP", 0) == 0 && !rtcal::test::require_all()) {
    MESSAGE("skipped: " << verdict);
    return;
  }
  CHECK(verdict == "");
}

}  // namespace

TEST_CASE("adjtime_file: a missing file loads as the defaults") {
  TempDir dir;
  Result<LoadedAdjtime> loaded = load_adjtime(dir / "adjtime");
  REQUIRE(loaded.ok());
  CHECK_FALSE(loaded->existed);
  CHECK(loaded->original_text == "");
  CHECK(loaded->parse.value == Adjtime{});
  CHECK(loaded->parse.errors.empty());
  CHECK(loaded->path == dir / "adjtime");
  CHECK(loaded->resolved_path == dir / "adjtime");
}

TEST_CASE("adjtime_file: an existing file loads with its text and values") {
  TempDir dir;
  rtcal::test::write_file(dir / "adjtime", kExample);
  Result<LoadedAdjtime> loaded = load_adjtime(dir / "adjtime");
  REQUIRE(loaded.ok());
  CHECK(loaded->existed);
  CHECK(loaded->original_text == kExample);
  CHECK(loaded->parse.value.drift_factor_s_per_day == -9.6);
}

TEST_CASE("adjtime_file: a directory in the file's place is an error with a fix") {
  TempDir dir;
  mkdir((dir / "adjtime").c_str(), 0755);
  Result<LoadedAdjtime> loaded = load_adjtime(dir / "adjtime");
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().kind == ErrorKind::failure);
  CHECK(loaded.error().message() == dir / "adjtime" +
        ": cannot read: Is a directory (remove or rename the directory, or choose another file "
        "with --adjfile)");
  auto t = AdjtimeTransaction::begin(dir / "adjtime");
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().cause == "cannot read: Is a directory");
}

TEST_CASE("adjtime_file: a FIFO or device in the file's place is never hung on or replaced") {
  TempDir dir;
  REQUIRE(mkfifo((dir / "fifo").c_str(), 0644) == 0);
  Result<LoadedAdjtime> fifo = load_adjtime(dir / "fifo");
  REQUIRE_FALSE(fifo.ok());
  CHECK(fifo.error().message() == dir / "fifo" +
        ": not a regular file (remove or rename it, or choose another file with --adjfile)");
  // /dev/null reads as empty (the defaults, as in hwclock)...
  Result<LoadedAdjtime> null = load_adjtime("/dev/null");
  REQUIRE(null.ok());
  CHECK(null->parse.value == Adjtime{});
  // ...but nothing that is not a regular file is ever replaced.
  Status replaced = replace_file_atomically(dir / "fifo", "x\n", 0644, "--adjfile");
  REQUIRE_FALSE(replaced.ok());
  CHECK(replaced.error().message() == dir / "fifo" +
        ": not a regular file (remove or rename it, or choose another file with --adjfile)");
  CHECK(S_ISFIFO(rtcal::test::stat_of(dir / "fifo").st_mode));
  CHECK(rtcal::test::listing(dir.path()) == "fifo ");
}

TEST_CASE("adjtime_file: an unreadable file is an error with a fix") {
  TempDir dir;
  rtcal::test::write_file(dir / "adjtime", kExample);
  chmod((dir / "adjtime").c_str(), 0600);
  const std::string verdict = rtcal::test::in_child([&] {
    if (std::string e = rtcal::test::drop_root(); !e.empty()) return e;
    chmod((dir / "adjtime").c_str(), 0);  // when not root to begin with
    Result<LoadedAdjtime> loaded = load_adjtime(dir / "adjtime");
    if (loaded.ok()) return std::string("loaded an unreadable file");
    return expect(loaded.error().message() == dir / "adjtime" +
                      ": cannot open: Permission denied (run as root, or check the permissions)",
                  loaded.error().message());
  });
  CHECK(verdict == "");
}

TEST_CASE("adjtime_file: a new file is created with mode 0644; the lock file lives only while held") {
  TempDir dir;
  const mode_t old_umask = umask(077);
  auto t = AdjtimeTransaction::begin(dir / "adjtime");
  REQUIRE(t.ok());
  CHECK(rtcal::test::listing(dir.path()) == ".adjtime.lock ");
  CHECK((rtcal::test::stat_of(dir / ".adjtime.lock").st_mode & 07777) == 0600);
  Result<bool> saved = (*t)->commit(changed_example());
  umask(old_umask);
  REQUIRE(saved.ok());
  CHECK(*saved);
  CHECK(rtcal::test::read_file(dir / "adjtime") == kChangedText);
  CHECK((rtcal::test::stat_of(dir / "adjtime").st_mode & 07777) == 0644);
  CHECK(rtcal::test::listing(dir.path()) == ".adjtime.lock adjtime ");
  t.value().reset();
  CHECK(rtcal::test::listing(dir.path()) == "adjtime ");
}

TEST_CASE("adjtime_file: a transaction that writes nothing leaves the directory as it was") {
  TempDir dir;
  rtcal::test::write_file(dir / "adjtime", "abc\n");
  {
    auto t = AdjtimeTransaction::begin(dir / "adjtime");
    REQUIRE(t.ok());
    CHECK_FALSE(require_fields((*t)->loaded().parse, dir / "adjtime",
                               {AdjtimeField::drift_factor}).ok());
  }
  CHECK(rtcal::test::listing(dir.path()) == "adjtime ");
  CHECK(rtcal::test::read_file(dir / "adjtime") == "abc\n");
}

TEST_CASE("adjtime_file: saving keeps mode 0600, the owner and extra lines") {
  TempDir dir;
  const std::string path = dir / "adjtime";
  rtcal::test::write_file(path, kExample + "# kept\n");
  chmod(path.c_str(), 0600);
  const bool root = geteuid() == 0;
  if (root) REQUIRE(chown(path.c_str(), 4242, 4343) == 0);
  const struct stat before = rtcal::test::stat_of(path);

  Result<bool> saved = save(path, [] {
    Adjtime a = changed_example();
    a.extra_lines = {"# kept"};
    return a;
  }());
  REQUIRE(saved.ok());
  CHECK(*saved);
  const struct stat after = rtcal::test::stat_of(path);
  CHECK(rtcal::test::read_file(path) == kChangedText + "# kept\n");
  CHECK((after.st_mode & 07777) == 0600);
  CHECK(after.st_uid == before.st_uid);
  CHECK(after.st_gid == before.st_gid);
  if (root) CHECK(after.st_uid == 4242);
  CHECK(after.st_ino != before.st_ino);  // replaced by rename, not rewritten in place
  CHECK(rtcal::test::listing(dir.path()) == "adjtime ");
}

TEST_CASE("adjtime_file: saving keeps extended attributes (SELinux label, ACLs, user.*)") {
  TempDir dir;
  const std::string path = dir / "adjtime";
  rtcal::test::write_file(path, kExample);
  if (setxattr(path.c_str(), "user.rtcal_test", "kept", 4, 0) != 0) {
    if (rtcal::test::require_all()) FAIL("this filesystem has no user xattrs: " << std::strerror(errno));
    MESSAGE("skipped: no user xattrs here");
    return;
  }
  Result<bool> saved = save(path, changed_example());
  REQUIRE(saved.ok());
  char value[16] = {};
  CHECK(getxattr(path.c_str(), "user.rtcal_test", value, sizeof value) == 4);
  CHECK(std::string(value) == "kept");
}

TEST_CASE("adjtime_file: a symlinked path is followed and the link stays a link") {
  TempDir dir;
  mkdir((dir / "real").c_str(), 0755);
  rtcal::test::write_file(dir / "real/adjtime", kExample);
  REQUIRE(symlink("real/adjtime", (dir / "adjtime").c_str()) == 0);
  REQUIRE(symlink("adjtime", (dir / "link2").c_str()) == 0);  // a chain of two links

  auto t = AdjtimeTransaction::begin(dir / "link2");
  REQUIRE(t.ok());
  CHECK((*t)->loaded().path == dir / "link2");
  CHECK((*t)->loaded().resolved_path == dir / "real/adjtime");
  CHECK((*t)->loaded().original_text == kExample);
  Result<bool> saved = (*t)->commit(changed_example());
  REQUIRE(saved.ok());
  CHECK(*saved);
  CHECK(S_ISLNK(rtcal::test::stat_of(dir / "adjtime").st_mode));
  CHECK(S_ISLNK(rtcal::test::stat_of(dir / "link2").st_mode));
  CHECK(rtcal::test::read_file(dir / "real/adjtime") == kChangedText);
  CHECK(rtcal::test::listing(dir / "real") == ".adjtime.lock adjtime ");
}

TEST_CASE("adjtime_file: a dangling symlink's target is created") {
  TempDir dir;
  mkdir((dir / "real").c_str(), 0755);
  REQUIRE(symlink((dir / "real/adjtime").c_str(), (dir / "adjtime").c_str()) == 0);
  Result<bool> saved = save(dir / "adjtime", changed_example());
  REQUIRE(saved.ok());
  CHECK(S_ISLNK(rtcal::test::stat_of(dir / "adjtime").st_mode));
  CHECK(rtcal::test::read_file(dir / "real/adjtime") == kChangedText);
}

TEST_CASE("adjtime_file: unchanged bytes are not written (same inode and mtime)") {
  TempDir dir;
  const std::string path = dir / "adjtime";
  rtcal::test::write_file(path, kExample);
  const struct timespec old_times[2] = {{1000000000, 0}, {1000000000, 0}};
  REQUIRE(utimensat(AT_FDCWD, path.c_str(), old_times, 0) == 0);
  const struct stat before = rtcal::test::stat_of(path);

  auto t = AdjtimeTransaction::begin(path);
  REQUIRE(t.ok());
  Result<bool> saved = (*t)->commit((*t)->loaded().parse.value);
  REQUIRE(saved.ok());
  CHECK_FALSE(*saved);
  const struct stat after = rtcal::test::stat_of(path);
  CHECK(after.st_ino == before.st_ino);
  CHECK(after.st_mtim.tv_sec == 1000000000);

  // After a real change, committing the same values again writes nothing.
  REQUIRE((*t)->commit(changed_example()).ok());
  const struct stat changed = rtcal::test::stat_of(path);
  Result<bool> again = (*t)->commit(changed_example());
  REQUIRE(again.ok());
  CHECK_FALSE(*again);
  CHECK(rtcal::test::stat_of(path).st_ino == changed.st_ino);
}

TEST_CASE("adjtime_file: a file written with CRLF is rewritten with LF") {
  TempDir dir;
  rtcal::test::write_file(dir / "adjtime", "-9.600000 845082716 -0.250655\r\n845082716\r\nUTC\r\n");
  auto t = AdjtimeTransaction::begin(dir / "adjtime");
  REQUIRE(t.ok());
  Result<bool> saved = (*t)->commit((*t)->loaded().parse.value);
  REQUIRE(saved.ok());
  CHECK(*saved);
  CHECK(rtcal::test::read_file(dir / "adjtime") == kExample);
}

TEST_CASE("adjtime_file: a missing directory is an error and creates nothing") {
  TempDir dir;
  auto t = AdjtimeTransaction::begin(dir / "no/such/adjtime");
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().message() == dir / "no/such/adjtime" + ": the directory " + dir / "no/such" +
        " does not exist (create it, or choose another file with --adjfile)");
  CHECK(rtcal::test::listing(dir.path()) == "");
}

TEST_CASE("adjtime_file: non-finite values are refused and the file kept") {
  TempDir dir;
  rtcal::test::write_file(dir / "adjtime", kExample);
  Adjtime bad = changed_example();
  bad.drift_factor_s_per_day = std::numeric_limits<double>::quiet_NaN();
  Result<bool> saved = save(dir / "adjtime", bad);
  REQUIRE_FALSE(saved.ok());
  CHECK(saved.error().message() == dir / "adjtime" +
        ": refusing to write a non-finite drift factor (this is a bug in rtcal; please report it)");
  bad = changed_example();
  bad.extra_lines = {"one\ntwo"};
  saved = save(dir / "adjtime", bad);
  REQUIRE_FALSE(saved.ok());
  CHECK(saved.error().cause == "refusing to write an extra line holding a newline");
  CHECK(rtcal::test::read_file(dir / "adjtime") == kExample);
  CHECK(rtcal::test::listing(dir.path()) == "adjtime ");
}

TEST_CASE("adjtime_file: a directory the user may not write leaves the old file intact") {
  for (const bool lock_file_exists : {true, false}) {
    INFO("a lock file exists: " << lock_file_exists);
    TempDir dir;
    const std::string path = dir / "adjtime";
    rtcal::test::write_file(path, kExample);
    chmod(path.c_str(), 0666);  // writable in place, but the directory is not
    if (lock_file_exists) {
      rtcal::test::write_file(dir / ".adjtime.lock", "");
      chmod((dir / ".adjtime.lock").c_str(), 0644);
    }
    const std::string verdict = rtcal::test::in_child([&] {
      if (std::string e = rtcal::test::drop_root(); !e.empty()) return e;
      chmod(dir.path().c_str(), 0555);  // when not root to begin with
      auto t = AdjtimeTransaction::begin(path);  // e.g. a non-root --dry-run
      if (!t) return "begin: " + t.error().message();
      Result<bool> same = (*t)->commit((*t)->loaded().parse.value);
      if (!same.ok() || *same) return std::string("an unchanged commit tried to write");
      Result<bool> saved = (*t)->commit(changed_example());
      chmod(dir.path().c_str(), 0755);
      if (saved.ok()) return std::string("saved into a read-only directory");
      return expect(saved.error().message() == path + ": cannot create a temporary file in " +
                        dir.path() + ": Permission denied (run as root, or check the permissions)",
                    saved.error().message());
    });
    CHECK(verdict == "");
    CHECK(rtcal::test::read_file(path) == kExample);
    CHECK(rtcal::test::listing(dir.path()) == (lock_file_exists ? ".adjtime.lock adjtime " : "adjtime "));
  }
}

TEST_CASE("adjtime_file: an empty path is a usage error") {
  auto t = AdjtimeTransaction::begin("");
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().kind == ErrorKind::usage);
  CHECK(t.error().message() ==
        "--adjfile: the file name is empty (give a file name, e.g. --adjfile /etc/adjtime)");
  CHECK_FALSE(load_adjtime("").ok());
}

TEST_CASE("adjtime_file: a read-only filesystem leaves the old file intact") {
  TempDir dir;
  const std::string mnt = dir / "mnt";
  mkdir(mnt.c_str(), 0755);
  const std::string path = mnt + "/adjtime";
  const std::string verdict = rtcal::test::in_child([&] {
    if (std::string e = rtcal::test::private_tmpfs(mnt, "1m"); !e.empty()) return e;
    rtcal::test::write_file(path, kExample);
    if (std::string e = rtcal::test::remount_read_only(mnt); !e.empty()) return e;
    auto t = AdjtimeTransaction::begin(path);  // no lock file can exist: proceeds unlocked
    if (!t) return "begin: " + t.error().message();
    Result<bool> same = (*t)->commit((*t)->loaded().parse.value);
    if (!same.ok() || *same) return std::string("an unchanged commit tried to write");
    Result<bool> saved = (*t)->commit(changed_example());
    if (saved.ok()) return std::string("saved on a read-only filesystem");
    if (rtcal::test::read_file(path) != kExample) return std::string("old file changed");
    if (rtcal::test::listing(mnt) != "adjtime ") return "left behind: " + rtcal::test::listing(mnt);
    return expect(saved.error().message() == path + ": cannot create a temporary file in " + mnt +
                      ": Read-only file system (remount the filesystem read-write, or choose "
                      "another file with --adjfile)",
                  saved.error().message());
  });
  check_child_verdict(verdict);
}

TEST_CASE("adjtime_file: a full disk leaves the old file intact and no temp file") {
  TempDir dir;
  const std::string mnt = dir / "mnt";
  mkdir(mnt.c_str(), 0755);
  const std::string path = mnt + "/adjtime";
  const std::string verdict = rtcal::test::in_child([&] {
    if (std::string e = rtcal::test::private_tmpfs(mnt, "64k"); !e.empty()) return e;
    rtcal::test::write_file(path, kExample);
    rtcal::test::write_file(mnt + "/filler", std::string(1 << 20, 'x'));  // fills it
    Result<bool> saved = save(path, changed_example());
    if (saved.ok()) return std::string("saved on a full disk");
    if (rtcal::test::read_file(path) != kExample) return std::string("old file changed");
    const std::string left = rtcal::test::listing(mnt);
    if (left != "adjtime filler ") return "left behind: " + left;
    return expect(saved.error().message() == path +
                      ": cannot write the new contents: No space left on device (free some "
                      "space on that filesystem)",
                  saved.error().message());
  });
  check_child_verdict(verdict);
}

TEST_CASE("adjtime_file: a second transaction waits a bounded time, then names the lock") {
  TempDir dir;
  auto first = AdjtimeTransaction::begin(dir / "adjtime");
  REQUIRE(first.ok());
  const auto start = std::chrono::steady_clock::now();
  auto second = AdjtimeTransaction::begin(dir / "adjtime", std::chrono::milliseconds(300));
  const auto waited = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(second.ok());
  CHECK(waited >= std::chrono::milliseconds(300));
  CHECK(waited < std::chrono::seconds(3));
  CHECK(second.error().message() == dir / ".adjtime.lock" +
        ": another rtcal holds the lock (waited 0.3 s) (wait for the other rtcal to finish "
        "(fuser -v " + dir / ".adjtime.lock" + " shows it), then retry)");
  first.value().reset();  // releases the lock
  auto third = AdjtimeTransaction::begin(dir / "adjtime", std::chrono::milliseconds(300));
  CHECK(third.ok());
}

TEST_CASE("adjtime_file: two processes x 100 locked increments lose no update") {
  TempDir dir;
  const std::string path = dir / "adjtime";
  rtcal::test::write_file(path, kExample + "count 0\n");
  const auto increment_100 = [&] {
    for (int i = 0; i < 100; ++i) {
      auto t = AdjtimeTransaction::begin(path);
      if (!t) return "begin: " + t.error().message();
      Adjtime next = (*t)->loaded().parse.value;
      if (next.extra_lines.size() != 1) return std::string("lost the counter line");
      const int count = std::stoi(next.extra_lines[0].substr(6));
      next.extra_lines[0] = "count " + std::to_string(count + 1);
      Result<bool> saved = (*t)->commit(next);
      if (!saved.ok()) return "commit: " + saved.error().message();
    }
    return std::string();
  };
  const rtcal::test::Child a = rtcal::test::start_child(increment_100);
  const rtcal::test::Child b = rtcal::test::start_child(increment_100);
  CHECK(rtcal::test::finish_child(a) == "");
  CHECK(rtcal::test::finish_child(b) == "");
  CHECK(rtcal::test::read_file(path) == kExample + "count 200\n");
}

TEST_CASE("adjtime_file: prepare() makes the temp file first; dropping it leaves the target as it was") {
  TempDir dir;
  const std::string path = dir / "adjtime";
  rtcal::test::write_file(path, kExample);
  {
    auto t = AdjtimeTransaction::begin(path);
    REQUIRE(t.ok());
    REQUIRE((*t)->prepare().ok());
    REQUIRE((*t)->prepare().ok());  // a second call does nothing
    CHECK(rtcal::test::listing(dir.path()).find(".adjtime.rtcal-") != std::string::npos);
  }  // never committed
  CHECK(rtcal::test::read_file(path) == kExample);
  CHECK(rtcal::test::listing(dir.path()) == "adjtime ");
  auto t = AdjtimeTransaction::begin(path);
  REQUIRE(t.ok());
  REQUIRE((*t)->prepare().ok());
  auto written = (*t)->commit(changed_example());
  REQUIRE(written.ok());
  CHECK(rtcal::test::read_file(path) == kChangedText);  // the reserved room is cut back to the contents
}

TEST_CASE("atomic_file: a prepared replacement commits once, with the old file's mode") {
  TempDir dir;
  const std::string path = dir / "state";
  rtcal::test::write_file(path, "old\n");
  chmod(path.c_str(), 0600);
  auto prepared = PreparedReplace::prepare(path, 0644, "--adjfile");
  REQUIRE(prepared.ok());
  CHECK(rtcal::test::read_file(path) == "old\n");
  REQUIRE(prepared.value()->commit("new\n").ok());
  CHECK(rtcal::test::read_file(path) == "new\n");
  CHECK((rtcal::test::stat_of(path).st_mode & 07777) == 0600);
  CHECK_FALSE(prepared.value()->commit("again\n").ok());
}
