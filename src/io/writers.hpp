// Output sinks in libvmaf's layouts: JSON (frames[].frameNum/metrics, pooled_metrics,
// aggregate_metrics), CSV ("Frame,name,...,") and XML (<VMAF><frames><frame .../>), with values at
// full precision (shortest round-trip). Files appear only when complete (AtomicOutput).
#pragma once

#include <memory>
#include <string>

#include "vqfuse/extract.hpp"

namespace vqfuse::io {

enum class OutputFormat { kJson, kCsv, kXml };

// Writes to `path` ("-" for stdout). The file is created at begin() and committed at end().
std::unique_ptr<FrameSink> make_file_writer(OutputFormat fmt, const std::string& path);

// A short human summary of the pooled means (the CLI prints it when there is no -o).
std::string summary_text(const RunInfo& info, const RunSummary& summary);

// vqfuse's version string for the "version" field.
const char* version_string();

}  // namespace vqfuse::io
