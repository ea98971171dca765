// Runs an external program (no shell), capturing the tail of its stderr for error messages.
#pragma once

#include <string>
#include <vector>

#include "vqfuse/error.hpp"

namespace vqfuse {

Result<void> run_process(const std::vector<std::string>& argv, const std::string& what);

}  // namespace vqfuse
