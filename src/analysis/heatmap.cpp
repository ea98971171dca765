#include "analysis/heatmap.hpp"

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace vqfuse::analysis {
namespace {

struct Rgb {
  double r, g, b;
};

Rgb lerp(Rgb a, Rgb b, double t) { return {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t}; }

// ColorBrewer RdBu (blue negative, red positive) and a viridis-like ramp, as piecewise-linear
// stops.
Rgb ramp(const std::vector<Rgb>& stops, double t) {
  t = std::clamp(t, 0.0, 1.0);
  const double pos = t * static_cast<double>(stops.size() - 1);
  const size_t i = std::min(static_cast<size_t>(pos), stops.size() - 2);
  return lerp(stops[i], stops[i + 1], pos - static_cast<double>(i));
}

const std::vector<Rgb> kDiverging = {{0.020, 0.188, 0.380}, {0.263, 0.576, 0.765}, {0.820, 0.898, 0.941},
                                     {0.969, 0.969, 0.969}, {0.992, 0.859, 0.780}, {0.839, 0.376, 0.302},
                                     {0.404, 0.000, 0.122}};
const std::vector<Rgb> kSequential = {{0.267, 0.005, 0.329}, {0.231, 0.322, 0.545}, {0.129, 0.569, 0.549},
                                      {0.369, 0.788, 0.384}, {0.992, 0.906, 0.145}};

Rgb color_of(const HeatmapSpec& s, double v, double vmax) {
  if (!std::isfinite(v)) return {0.85, 0.85, 0.85};
  return s.diverging ? ramp(kDiverging, (v + 1) / 2) : ramp(kSequential, vmax > 0 ? v / vmax : 0);
}

}  // namespace

Result<void> write_heatmap(const std::string& path, const HeatmapSpec& s) {
  const int n = static_cast<int>(s.labels.size());
  if (n == 0) return Error(Errc::kInvalidArgument, "empty heatmap", path);
  double vmax = 0;
  for (const auto& row : s.values)
    for (double v : row)
      if (std::isfinite(v)) vmax = std::max(vmax, std::fabs(v));
  const int cell = std::clamp(720 / n, 14, 48);
  // Measure the longest label.
  cairo_surface_t* probe = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 10, 10);
  cairo_t* pc = cairo_create(probe);
  cairo_select_font_face(pc, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  const double font = std::clamp(cell * 0.55, 9.0, 14.0);
  cairo_set_font_size(pc, font);
  double label_w = 0;
  for (const auto& l : s.labels) {
    cairo_text_extents_t e;
    cairo_text_extents(pc, l.c_str(), &e);
    label_w = std::max(label_w, e.x_advance);
  }
  cairo_destroy(pc);
  cairo_surface_destroy(probe);
  const int margin_left = static_cast<int>(label_w) + 16;
  const int margin_top = static_cast<int>(label_w) + 48;
  const int grid = cell * n;
  const int bar_w = 24, bar_gap = 24, bar_label = 90;
  const int width = margin_left + grid + bar_gap + bar_w + bar_label;
  const int height = margin_top + grid + 24;
  cairo_surface_t* surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
  cairo_t* cr = cairo_create(surf);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  // Title.
  cairo_set_font_size(cr, 16);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_move_to(cr, 12, 24);
  cairo_show_text(cr, s.title.c_str());
  cairo_set_font_size(cr, font);
  // Cells.
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const double v = s.values[static_cast<size_t>(i)][static_cast<size_t>(j)];
      const Rgb c = color_of(s, v, vmax);
      cairo_set_source_rgb(cr, c.r, c.g, c.b);
      cairo_rectangle(cr, margin_left + j * cell, margin_top + i * cell, cell, cell);
      cairo_fill(cr);
      if (cell >= 30 && std::isfinite(v)) {
        char buf[16];
        std::snprintf(buf, sizeof buf, s.diverging ? "%.2f" : "%.2f", v);
        cairo_set_font_size(cr, std::min(font, cell * 0.32));
        cairo_text_extents_t e;
        cairo_text_extents(cr, buf, &e);
        const double lum = 0.299 * c.r + 0.587 * c.g + 0.114 * c.b;
        cairo_set_source_rgb(cr, lum < 0.5 ? 1 : 0, lum < 0.5 ? 1 : 0, lum < 0.5 ? 1 : 0);
        cairo_move_to(cr, margin_left + j * cell + (cell - e.width) / 2 - e.x_bearing,
                      margin_top + i * cell + (cell - e.height) / 2 - e.y_bearing);
        cairo_show_text(cr, buf);
        cairo_set_font_size(cr, font);
      }
    }
  // Grid lines.
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_set_line_width(cr, 1);
  for (int i = 0; i <= n; ++i) {
    cairo_move_to(cr, margin_left, margin_top + i * cell);
    cairo_line_to(cr, margin_left + grid, margin_top + i * cell);
    cairo_move_to(cr, margin_left + i * cell, margin_top);
    cairo_line_to(cr, margin_left + i * cell, margin_top + grid);
  }
  cairo_stroke(cr);
  // Labels: rows on the left (right-aligned), columns on top (rotated).
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int i = 0; i < n; ++i) {
    cairo_text_extents_t e;
    cairo_text_extents(cr, s.labels[static_cast<size_t>(i)].c_str(), &e);
    cairo_move_to(cr, margin_left - 6 - e.x_advance, margin_top + i * cell + cell / 2.0 + font / 3);
    cairo_show_text(cr, s.labels[static_cast<size_t>(i)].c_str());
    cairo_save(cr);
    cairo_move_to(cr, margin_left + i * cell + cell / 2.0 + font / 3, margin_top - 6);
    cairo_rotate(cr, -M_PI / 2);
    cairo_show_text(cr, s.labels[static_cast<size_t>(i)].c_str());
    cairo_restore(cr);
  }
  // Colour bar.
  const int bx = margin_left + grid + bar_gap;
  for (int yy = 0; yy < grid; ++yy) {
    const double t = 1.0 - static_cast<double>(yy) / std::max(grid - 1, 1);
    const Rgb c = s.diverging ? ramp(kDiverging, t) : ramp(kSequential, t);
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
    cairo_rectangle(cr, bx, margin_top + yy, bar_w, 1);
    cairo_fill(cr);
  }
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 1);
  cairo_rectangle(cr, bx + 0.5, margin_top + 0.5, bar_w, grid);
  cairo_stroke(cr);
  const double lo = s.diverging ? -1 : 0, hi = s.diverging ? 1 : vmax;
  for (int k = 0; k <= 4; ++k) {
    const double v = lo + (hi - lo) * k / 4.0;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    const double yy = margin_top + grid - grid * k / 4.0;
    cairo_move_to(cr, bx + bar_w + 4, yy + font / 3);
    cairo_show_text(cr, buf);
  }
  if (!s.colorbar_label.empty()) {
    cairo_save(cr);
    cairo_move_to(cr, bx + bar_w + bar_label - 10, margin_top + grid / 2.0 + 40);
    cairo_rotate(cr, -M_PI / 2);
    cairo_show_text(cr, s.colorbar_label.c_str());
    cairo_restore(cr);
  }
  cairo_destroy(cr);
  const cairo_status_t st = cairo_surface_write_to_png(surf, path.c_str());
  cairo_surface_destroy(surf);
  if (st != CAIRO_STATUS_SUCCESS)
    return Error(Errc::kIo, std::string("cannot write PNG: ") + cairo_status_to_string(st), path);
  return {};
}

}  // namespace vqfuse::analysis
