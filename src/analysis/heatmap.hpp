// Labelled heatmaps (PNG, cairo): feature names on both axes, a colour bar, values in the cells
// when they fit. Diverging palette centred at 0 for correlations, sequential from 0 for MI.
#pragma once

#include <string>
#include <vector>

#include "vqfuse/error.hpp"

namespace vqfuse::analysis {

struct HeatmapSpec {
  std::string title;
  std::vector<std::string> labels;
  std::vector<std::vector<double>> values;  // square
  bool diverging = true;                    // [-1, 1] centred at 0; else [0, max]
  std::string colorbar_label;
};

Result<void> write_heatmap(const std::string& path, const HeatmapSpec& spec);

}  // namespace vqfuse::analysis
