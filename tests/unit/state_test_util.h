// Helpers for the state layer's unit tests: a scratch directory removed at
// the end, whole-file read/write, and running a piece of code in a forked
// child (to drop root, or to enter a private mount namespace) and getting its
// verdict back as text ("" = passed).
#pragma once

#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <functional>
#include <grp.h>
#include <vector>
#include <sstream>
#include <string>

namespace rtcal::test {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "rtcal-state-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) std::abort();
    path_ = tmpl;
    chmod(path_.c_str(), 0755);  // so a child that dropped root can enter it
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

inline struct stat stat_of(const std::string& path) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) st.st_ino = 0;
  return st;
}

// Names in `dir`, sorted, for checking that no temp file was left behind.
inline std::string listing(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  std::string text;
  for (const auto& name : names) text += name + " ";
  return text;
}

// A forked child running a test body, and the pipe its verdict comes back on.
struct Child {
  pid_t pid = -1;
  int fd = -1;
};

// Start `body` in a forked child. `body` must not use doctest macros; it
// returns "" when it passed, else what went wrong.
inline Child start_child(const std::function<std::string()>& body) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  const pid_t pid = fork();
  if (pid < 0) return {};
  if (pid == 0) {
    close(fds[0]);
    const std::string verdict = body();
    (void)!write(fds[1], verdict.data(), verdict.size());
    _exit(0);
  }
  close(fds[1]);
  return {pid, fds[0]};
}

// The child's verdict ("" = passed), or how it died.
inline std::string finish_child(Child child) {
  if (child.pid < 0) return "fork or pipe failed";
  std::string verdict;
  char buf[512];
  ssize_t n;
  while ((n = read(child.fd, buf, sizeof buf)) > 0) verdict.append(buf, static_cast<size_t>(n));
  close(child.fd);
  int status = 0;
  waitpid(child.pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return "child died: " + verdict;
  return verdict;
}

inline std::string in_child(const std::function<std::string()>& body) {
  return finish_child(start_child(body));
}

// In a child: drop root to nobody (65534). Empty on success.
inline std::string drop_root() {
  if (getuid() != 0) return "";
  if (setgroups(0, nullptr) != 0 || setresgid(65534, 65534, 65534) != 0 ||
      setresuid(65534, 65534, 65534) != 0) {
    return std::string("cannot drop root: ") + std::strerror(errno);
  }
  return "";
}

// In a child: a private mount namespace with a tmpfs of `size` mounted on
// `dir`. "SKIP: ..." when the system does not allow it.
inline std::string private_tmpfs(const std::string& dir, const std::string& size) {
  if (unshare(CLONE_NEWNS) != 0) return std::string("SKIP: unshare: ") + std::strerror(errno);
  if (mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return std::string("SKIP: mount --make-rprivate: ") + std::strerror(errno);
  }
  const std::string options = "size=" + size + ",mode=0755";
  if (mount("rtcal-test", dir.c_str(), "tmpfs", 0, options.c_str()) != 0) {
    return std::string("SKIP: mount tmpfs: ") + std::strerror(errno);
  }
  return "";
}

inline std::string remount_read_only(const std::string& dir) {
  if (mount(nullptr, dir.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr) != 0) {
    return std::string("remount ro: ") + std::strerror(errno);
  }
  return "";
}

// True when every test must run (CI): a "SKIP" verdict then fails.
inline bool require_all() {
  const char* value = std::getenv("RTCAL_REQUIRE_ALL");
  return value != nullptr && std::string(value) == "1";
}

}  // namespace rtcal::test
