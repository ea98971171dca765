// Subcommand registration: each add_*_command defines its options on `app` and appends a runner.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <vector>

namespace vqfuse::cli {

struct Command {
  CLI::App* sub;
  std::function<int()> run;
};

void add_extract_command(CLI::App& app, std::vector<Command>& out);
void add_store_command(CLI::App& app, std::vector<Command>& out);
void add_corpus_command(CLI::App& app, std::vector<Command>& out);
void add_analyze_command(CLI::App& app, std::vector<Command>& out);
void add_train_commands(CLI::App& app, std::vector<Command>& out);
void add_bench_command(CLI::App& app, std::vector<Command>& out);

}  // namespace vqfuse::cli
