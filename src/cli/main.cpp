// vqfuse command line: one binary, one subcommand per capability.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/exit_codes.hpp"
#include "core/dispatch.hpp"
#include "io/writers.hpp"

int main(int argc, char** argv) {
  using namespace vqfuse::cli;
  CLI::App app{"vqfuse: fused video-quality feature extraction, analysis and tiny models"};
  app.set_help_flag("--help", "Print this help and exit");
  app.set_version_flag("--version", vqfuse::io::version_string());
  app.require_subcommand(1);
  app.fallthrough(false);

  std::vector<Command> commands;
  add_extract_command(app, commands);
  add_store_command(app, commands);
  add_corpus_command(app, commands);
  add_analyze_command(app, commands);
  add_train_commands(app, commands);
  add_bench_command(app, commands);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  if (auto r = vqfuse::apply_simd_env(); !r.ok()) return report(r.error());
  for (const Command& c : commands)
    if (c.sub->parsed()) return c.run();
  return kExitUsage;
}
