// `vqfuse bench`: fps and peak RSS per feature set and per extractor alone, and the ms per frame
// each extractor takes inside the fused run. Every configuration runs in a child process of this
// binary (`extract --timing-json`), so its peak RSS (wait4) is its own.
#include <sys/resource.h>
#include <sys/wait.h>
#include <spawn.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/dispatch.hpp"
#include "core/process.hpp"
#include "features/extractor.hpp"
#include "io/file.hpp"
#include "io/writers.hpp"

extern char** environ;

namespace vqfuse::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct BenchArgs {
  std::string ref, dis, generate = "1920x1080:48", out_json;
  std::vector<std::string> sets = {"canonical", "full"};
  std::vector<int> threads;
  bool per_extractor = true;
  bool json_stdout = false;
  bool quiet = false;
};

struct RunStats {
  double seconds = 0, fps = 0, rss_mib = 0;
  json extractors;
};

std::string self_exe() {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? "vqfuse" : p.string();
}

// Runs `vqfuse extract` with the given feature arguments in a child and measures it.
Result<RunStats> run_child(const BenchArgs& a, const std::vector<std::string>& feature_args, int threads) {
  const std::string tmp = (fs::temp_directory_path() / ("vqfuse_bench_" + std::to_string(::getpid()) + ".json")).string();
  std::vector<std::string> argv = {self_exe(), "extract", "-r", a.ref, "-d", a.dis, "-q",
                                   "--threads", std::to_string(threads), "--timing-json", tmp};
  argv.insert(argv.end(), feature_args.begin(), feature_args.end());
  std::vector<char*> args;
  for (auto& s : argv) args.push_back(s.data());
  args.push_back(nullptr);
  pid_t pid = 0;
  const auto t0 = std::chrono::steady_clock::now();
  if (posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0)
    return Error(Errc::kIo, "cannot start " + argv[0]);
  int status = 0;
  struct rusage ru {};
  while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return Error(Errc::kIo, "benchmark run failed (exit " + std::to_string(WEXITSTATUS(status)) + ")", "", -1,
                 "extract " + [&] {
                   std::string s;
                   for (const auto& f : feature_args) s += f + " ";
                   return s;
                 }());
  RunStats st;
  st.rss_mib = static_cast<double>(ru.ru_maxrss) / 1024.0;
  auto text = io::read_text_file(tmp);
  std::error_code ec;
  fs::remove(tmp, ec);
  if (!text.ok()) return text.error();
  const json j = json::parse(text.value());
  st.seconds = wall;
  st.fps = wall > 0 ? j.value("frames", 0) / wall : 0;
  st.extractors = j["extractors"];
  return st;
}

// A natural-looking 1080p-like pair: a photo pan (or testsrc2) and a real x264 encode.
Result<void> generate_pair(BenchArgs& a) {
  int w = 0, h = 0, n = 0;
  if (std::sscanf(a.generate.c_str(), "%dx%d:%d", &w, &h, &n) != 3 || w < 16 || h < 16 || n < 2 || w % 2 || h % 2)
    return Error(Errc::kInvalidArgument, "expected WxH:FRAMES with even sizes, e.g. 1920x1080:48", "", -1, "--generate");
  const fs::path dir = fs::temp_directory_path() / ("vqfuse_bench_" + a.generate);
  fs::create_directories(dir);
  a.ref = (dir / "ref.y4m").string();
  a.dis = (dir / "dis.y4m").string();
  if (fs::exists(a.dis)) return {};
  const std::string photo = "/usr/share/backgrounds/mate/nature/LadyBird.jpg";
  std::vector<std::string> src = {"ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y"};
  const std::string size = std::to_string(w) + ":" + std::to_string(h);
  if (fs::exists(photo)) {
    src.insert(src.end(), {"-loop", "1", "-framerate", "25", "-i", photo, "-vf",
                           "scale=" + std::to_string(w * 5 / 4) + ":-2,crop=" + size + ":x='min(n*4,iw-" + std::to_string(w) +
                               ")':y='min(n*2,ih-" + std::to_string(h) + ")',format=yuv420p"});
  } else {
    src.insert(src.end(), {"-f", "lavfi", "-i", "testsrc2=size=" + std::to_string(w) + "x" + std::to_string(h) + ":rate=25",
                           "-vf", "format=yuv420p"});
  }
  src.insert(src.end(), {"-frames:v", std::to_string(n), a.ref + ".part.y4m"});
  VQ_TRY(run_process(src, "bench reference"));
  fs::rename(a.ref + ".part.y4m", a.ref);
  VQ_TRY(run_process({"ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", a.ref, "-c:v", "libx264",
                      "-crf", "28", "-preset", "medium", "-threads", "1", (dir / "dis.mkv").string()},
                     "bench encode"));
  VQ_TRY(run_process({"ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", (dir / "dis.mkv").string(),
                      "-pix_fmt", "yuv420p", a.dis + ".part.y4m"},
                     "bench decode"));
  fs::rename(a.dis + ".part.y4m", a.dis);
  return {};
}

int run_bench(BenchArgs& a) {
  if (a.ref.empty() != a.dis.empty()) return report(Error(Errc::kInvalidArgument, "give both -r and -d, or neither"));
  if (a.ref.empty()) {
    if (!a.quiet) std::fprintf(stderr, "vqfuse: bench: generating %s pair with ffmpeg\n", a.generate.c_str());
    if (auto r = generate_pair(a); !r.ok()) return report(r.error());
  }
  if (a.threads.empty()) {
    a.threads = {1};
    const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (hw > 1) a.threads.push_back(hw);
  }
  json out = {{"reference", a.ref}, {"distorted", a.dis}, {"simd_target", active_simd_target()},
              {"cores", std::thread::hardware_concurrency()}, {"vqfuse_version", io::version_string()}};
  // The table goes to stdout, or to stderr when stdout carries the JSON.
  FILE* table = a.json_stdout ? stderr : stdout;
  std::fprintf(table, "%-28s %8s %10s %10s %10s\n", "configuration", "threads", "fps", "seconds", "RSS MiB");
  auto line = [&](const std::string& name, int t, const RunStats& s) {
    std::fprintf(table, "%-28s %8d %10.2f %10.2f %10.1f\n", name.c_str(), t, s.fps, s.seconds, s.rss_mib);
    std::fflush(table);
  };
  for (const std::string& set : a.sets) {
    for (int t : a.threads) {
      auto s = run_child(a, {"--feature-set", set}, t);
      if (!s.ok()) return report(s.error());
      line(set + " (+vmaf)", t, s.value());
      out["feature_sets"][set][std::to_string(t)] = {{"fps", s->fps}, {"seconds", s->seconds}, {"rss_mib", s->rss_mib},
                                                     {"ms_per_frame_by_extractor", s->extractors}};
    }
  }
  if (a.per_extractor) {
    for (const auto& e : features::extractors()) {
      auto s = run_child(a, {"--feature", std::string(e.name), "-n", "--skip-unsupported"}, 1);
      if (!s.ok()) return report(s.error());
      line(std::string(e.name) + " alone", 1, s.value());
      double ms = 0;
      for (auto it = s->extractors.begin(); it != s->extractors.end(); ++it)
        if (it.key() == e.name) ms = it.value().get<double>();
      out["extractors"][std::string(e.name)] = {{"fps_alone", s->fps}, {"ms_per_frame", ms}, {"rss_mib", s->rss_mib},
                                                {"seconds", s->seconds}};
    }
  }
  if (a.json_stdout) std::printf("%s\n", out.dump(2).c_str());
  if (!a.out_json.empty())
    if (auto w = io::write_file_atomic(a.out_json, out.dump(2) + "\n"); !w.ok()) return report(w.error());
  return kExitOk;
}

}  // namespace

void add_bench_command(CLI::App& app, std::vector<Command>& out) {
  auto a = std::make_shared<BenchArgs>();
  CLI::App* sub = app.add_subcommand("bench", "Measure fps, per-extractor time and peak RSS");
  sub->set_help_flag("--help", "Print this help and exit");
  sub->add_option("-r,--reference", a->ref, "Reference video (default: a generated pair)");
  sub->add_option("-d,--distorted", a->dis, "Distorted video");
  sub->add_option("--generate", a->generate, "Generate a WxH:FRAMES pair with ffmpeg (default 1920x1080:48)");
  sub->add_option("--feature-set", a->sets, "Feature sets to time (default canonical full)");
  sub->add_option("--threads", a->threads, "Thread counts (default: 1 and all cores)");
  sub->add_flag("!--no-per-extractor", a->per_extractor, "Skip the extractor-alone runs");
  sub->add_flag("--json", a->json_stdout, "Print the figures as JSON on stdout (the table goes to stderr)");
  sub->add_option("-o,--output", a->out_json, "Write the JSON to a file (the cost table of vqfuse sweep --cost)");
  sub->add_flag("-q,--quiet", a->quiet, "No progress");
  out.push_back({sub, [a] { return run_bench(*a); }});
}

}  // namespace vqfuse::cli
