// FeatureMatrix: the in-memory sink (tests, store clips, library users).
#include <cmath>

#include "vqfuse/extract.hpp"

namespace vqfuse {

Result<void> FeatureMatrix::begin(const RunInfo& i) {
  info = i;
  rows.clear();
  frame_index.clear();
  return {};
}

Result<void> FeatureMatrix::frame(int64_t index, std::span<const double> values) {
  frame_index.push_back(index);
  rows.emplace_back(values.begin(), values.end());
  return {};
}

Result<void> FeatureMatrix::end(const RunInfo& i, const RunSummary& s) {
  info = i;
  summary = s;
  return {};
}

int FeatureMatrix::column(std::string_view name) const {
  for (size_t c = 0; c < info.columns.size(); ++c)
    if (info.columns[c].name == name) return static_cast<int>(c);
  return -1;
}

double FeatureMatrix::at(size_t row, std::string_view name) const {
  const int c = column(name);
  return c < 0 ? std::nan("") : rows.at(row)[static_cast<size_t>(c)];
}

}  // namespace vqfuse
