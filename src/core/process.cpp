#include "core/process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace vqfuse {

Result<void> run_process(const std::vector<std::string>& argv, const std::string& what) {
  char tmpl[] = "/tmp/vqfuse_stderr_XXXXXX";
  const int fd = mkstemp(tmpl);
  if (fd < 0) return Error(Errc::kIo, "cannot create a temporary file for " + argv[0]);
  ::unlink(tmpl);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fd, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    ::close(fd);
    return Error(Errc::kIo, "cannot run '" + argv[0] + "': " + std::strerror(rc) + " (is it installed?)", what);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    ::close(fd);
    return {};
  }
  // Last line(s) of stderr for the message.
  std::string err;
  const off_t size = lseek(fd, 0, SEEK_END);
  const off_t from = size > 600 ? size - 600 : 0;
  lseek(fd, from, SEEK_SET);
  char buf[601] = {};
  const ssize_t n = ::read(fd, buf, 600);
  ::close(fd);
  if (n > 0) err.assign(buf, static_cast<size_t>(n));
  while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.pop_back();
  const size_t nl = err.rfind('\n');
  if (nl != std::string::npos) err = err.substr(nl + 1);
  const std::string how = WIFEXITED(status) ? "exit code " + std::to_string(WEXITSTATUS(status))
                                            : "signal " + std::to_string(WTERMSIG(status));
  return Error(Errc::kIo, argv[0] + " failed (" + how + "): " + err, what);
}

}  // namespace vqfuse
