// YUV4MPEG2 reader.
//
// Header: "YUV4MPEG2" then space-separated tags W H F I A C X..., ending in '\n'. Every FRAME line
// may carry parameters. Samples above 8 bit are little-endian 16-bit words. Chroma planes of
// subsampled formats are ceil(w/2) x ceil(h/2), as FFmpeg writes them (libvmaf's reader uses
// w>>1 and loses framing on odd sizes: ../shared/golden/README.md "Odd size").
#include <cstring>
#include <string_view>
#include <vector>

#include "io/file.hpp"
#include "io/reader.hpp"

namespace vqfuse::io {
namespace {

constexpr std::string_view kMagic = "YUV4MPEG2";
constexpr size_t kMaxHeader = 4096;

struct ColorspaceTag {
  std::string_view tag;
  Chroma chroma;
  int bit_depth;
};

constexpr ColorspaceTag kColorspaces[] = {
    {"420jpeg", Chroma::k420, 8}, {"420paldv", Chroma::k420, 8}, {"420mpeg2", Chroma::k420, 8},
    {"420", Chroma::k420, 8},     {"420p10", Chroma::k420, 10},  {"420p12", Chroma::k420, 12},
    {"420p16", Chroma::k420, 16}, {"422", Chroma::k422, 8},      {"422p10", Chroma::k422, 10},
    {"422p12", Chroma::k422, 12}, {"422p16", Chroma::k422, 16},  {"444", Chroma::k444, 8},
    {"444p10", Chroma::k444, 10}, {"444p12", Chroma::k444, 12},  {"444p16", Chroma::k444, 16},
    {"mono", Chroma::k400, 8},    {"mono10", Chroma::k400, 10},  {"mono12", Chroma::k400, 12},
    {"mono16", Chroma::k400, 16},
};

std::string supported_colorspaces() {
  std::string s;
  for (const auto& c : kColorspaces) {
    if (!s.empty()) s += ' ';
    s += c.tag;
  }
  return s;
}

bool parse_int(std::string_view s, int& out) {
  if (s.empty() || s.size() > 9) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

bool parse_ratio(std::string_view s, int& num, int& den) {
  const size_t colon = s.find(':');
  if (colon == std::string_view::npos) return false;
  return parse_int(s.substr(0, colon), num) && parse_int(s.substr(colon + 1), den);
}

class Y4mReader final : public VideoReader {
 public:
  Result<void> open(const std::string& path) {
    path_ = path;
    VQ_TRY(file_.open(path));
    std::string header;
    VQ_TRY(read_line(header, "header", /*frame=*/-1));
    VQ_TRY(parse_header(header));
    VQ_TRY(validate_geometry(info_, path_));
    frame_bytes_ = info_.frame_samples() * (info_.bit_depth > 8 ? 2 : 1);
    // A header that promises more than the file holds is caught before any allocation.
    const long long body = file_.size() - file_.tell();
    if (file_.size() >= 0 && body > 0 && static_cast<unsigned long long>(body) < frame_bytes_ + 6)
      return Error(Errc::kParse,
                   "file holds " + std::to_string(body) + " bytes after the header, less than one " +
                       info_.describe() + " frame (" + std::to_string(frame_bytes_) +
                       " bytes; truncated file or wrong W/H/C tags?)",
                   path_, -1, "header");
    return {};
  }

  const char* kind() const override { return "y4m"; }

  Result<bool> read(Frame& out) override {
    const int64_t n = frames_read_;
    // "FRAME" marker, optional parameters, '\n'.
    char marker[5];
    const size_t got = file_.read(marker, sizeof marker);
    if (got == 0 && !file_.error()) return false;  // clean end of stream
    if (got < sizeof marker)
      return Error(Errc::kParse, "truncated FRAME header (file ends mid-marker)", path_, n,
                   "FRAME header");
    if (std::memcmp(marker, "FRAME", 5) != 0)
      return Error(Errc::kParse,
                   "expected 'FRAME', found '" + printable(std::string_view(marker, 5)) +
                       "' (corrupt file, or W/H/C tags that do not match the data)",
                   path_, n, "FRAME header");
    std::string params;
    VQ_TRY(read_line(params, "FRAME header", n));
    if (!params.empty() && params[0] != ' ')
      return Error(Errc::kParse, "bad FRAME marker 'FRAME" + printable(params) + "'", path_, n,
                   "FRAME header");

    buf_.resize(frame_bytes_);
    const size_t payload = file_.read(buf_.data(), frame_bytes_);
    if (payload != frame_bytes_)
      return Error(Errc::kParse,
                   "expected " + std::to_string(frame_bytes_) + " bytes, got " +
                       std::to_string(payload) + " (file truncated?)",
                   path_, n, "FRAME payload");
    if (!out.info().same_geometry(info_) || out.plane(0).data == nullptr) out.reset(info_);
    VQ_TRY(unpack_frame(out, n));
    ++frames_read_;
    return true;
  }

 private:
  static std::string printable(std::string_view s) {
    std::string o;
    for (unsigned char c : s.substr(0, 32)) o += (c >= 32 && c < 127) ? static_cast<char>(c) : '?';
    return o;
  }

  Result<void> read_line(std::string& line, const char* what, int64_t frame) {
    line.clear();
    for (;;) {
      const int c = file_.getc();
      if (c == EOF)
        return Error(Errc::kParse, std::string("truncated ") + what + " (no end of line)", path_,
                     frame, what);
      if (c == '\n') return {};
      line.push_back(static_cast<char>(c));
      if (line.size() > kMaxHeader)
        return Error(Errc::kParse, std::string(what) + " longer than 4096 bytes", path_, frame,
                     what);
    }
  }

  Result<void> parse_header(std::string_view h) {
    if (h.substr(0, kMagic.size()) != kMagic)
      return Error(Errc::kParse, "not a YUV4MPEG2 file (header starts '" + printable(h.substr(0, 9)) + "')",
                   path_, -1, "header");
    int w = -1, hgt = -1;
    std::string_view c_tag;
    size_t pos = kMagic.size();
    while (pos < h.size()) {
      if (h[pos] == ' ') {
        ++pos;
        continue;
      }
      size_t end = h.find(' ', pos);
      if (end == std::string_view::npos) end = h.size();
      const std::string_view tok = h.substr(pos, end - pos);
      pos = end;
      const std::string_view val = tok.substr(1);
      switch (tok[0]) {
        case 'W':
          if (!parse_int(val, w) || w <= 0)
            return Error(Errc::kParse, "bad width '" + std::string(val) + "'", path_, -1, "header tag W");
          break;
        case 'H':
          if (!parse_int(val, hgt) || hgt <= 0)
            return Error(Errc::kParse, "bad height '" + std::string(val) + "'", path_, -1, "header tag H");
          break;
        case 'F':
          if (!parse_ratio(val, info_.fps_num, info_.fps_den) || info_.fps_den == 0 ||
              info_.fps_num == 0)
            return Error(Errc::kParse, "bad frame rate '" + std::string(val) + "'", path_, -1,
                         "header tag F");
          break;
        case 'C':
          c_tag = val;
          break;
        case 'X':
          if (val == "COLORRANGE=FULL") info_.range = ColorRange::kFull;
          if (val == "COLORRANGE=LIMITED") info_.range = ColorRange::kLimited;
          break;  // XYSCSS and other extensions: informational
        default:
          break;  // I (interlace), A (aspect) and unknown tags are accepted and ignored
      }
    }
    if (w < 0) return Error(Errc::kParse, "missing W tag", path_, -1, "header tag W");
    if (hgt < 0) return Error(Errc::kParse, "missing H tag", path_, -1, "header tag H");
    info_.width = w;
    info_.height = hgt;
    if (c_tag.empty()) c_tag = "420jpeg";  // the YUV4MPEG2 default
    for (const auto& cs : kColorspaces) {
      if (cs.tag == c_tag) {
        info_.chroma = cs.chroma;
        info_.bit_depth = cs.bit_depth;
        return {};
      }
    }
    return Error(Errc::kUnsupported,
                 "unsupported 'C" + printable(c_tag) + "' (supported: " + supported_colorspaces() + ")",
                 path_, -1, "header tag C");
  }

  Result<void> unpack_frame(Frame& out, int64_t n) {
    const uint8_t* src = buf_.data();
    const int bytes = info_.bit_depth > 8 ? 2 : 1;
    for (int p = 0; p < info_.plane_count(); ++p) {
      PlaneU16 pl = out.plane(p);
      for (int y = 0; y < pl.height; ++y) {
        if (!unpack_row(src, pl.row(y), pl.width, info_.bit_depth))
          return Error(Errc::kParse,
                       "sample above the " + std::to_string(info_.bit_depth) +
                           "-bit range in plane " + std::to_string(p) + " row " + std::to_string(y),
                       path_, n, "FRAME payload");
        src += static_cast<size_t>(pl.width) * bytes;
      }
    }
    return {};
  }

  InputFile file_;
  size_t frame_bytes_ = 0;
  std::vector<uint8_t> buf_;
};

}  // namespace

Result<std::unique_ptr<VideoReader>> open_y4m(const std::string& path) {
  auto r = std::make_unique<Y4mReader>();
  VQ_TRY(r->open(path));
  return std::unique_ptr<VideoReader>(std::move(r));
}

}  // namespace vqfuse::io
