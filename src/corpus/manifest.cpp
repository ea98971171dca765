// Corpus manifests (JSON) and the built-in presets.
//
// {
//   "name": "demo",
//   "defaults": {"width": 480, "height": 270, "frames": 24, "fps": 25},
//   "sources": [{"id": "ladybird", "image": "/usr/share/backgrounds/mate/nature/LadyBird.jpg",
//                "motion": "pan"},
//               {"id": "mandelbrot", "lavfi": "mandelbrot=size=480x270:rate=25"},
//               {"id": "clip", "video": "clip.mp4"}],
//   "plan": [{"codec": "libx264", "crf": [22, 32, 42], "preset": "medium"},
//            {"codec": "libx264", "crf": [25], "scales": [0.5], "scaler": "bicubic"},
//            {"codec": "libx264", "crf": [38], "bit_depth": 10}]
// }
#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>

#include "io/file.hpp"
#include "vqfuse/corpus.hpp"

namespace vqfuse::corpus {
namespace {

using nlohmann::json;

Error manifest_error(const std::string& origin, const std::string& field, const std::string& what) {
  return Error(Errc::kParse, what, origin, -1, field);
}

template <class T>
Result<T> get(const json& j, const char* key, T def, const std::string& origin, const std::string& field) {
  if (!j.contains(key)) return def;
  try {
    return j.at(key).get<T>();
  } catch (const json::exception&) {
    return manifest_error(origin, field + "." + key, "wrong type");
  }
}

Result<Source> parse_source(const json& j, const json& defaults, const std::string& origin, size_t i) {
  const std::string field = "sources[" + std::to_string(i) + "]";
  if (!j.is_object()) return manifest_error(origin, field, "expected an object");
  Source s;
  VQ_ASSIGN_OR_RETURN(s.id, get<std::string>(j, "id", "", origin, field));
  if (s.id.empty() || s.id.find_first_of("/ \\") != std::string::npos || s.id.find("__") != std::string::npos)
    return manifest_error(origin, field + ".id", "missing, or contains '/', spaces or '__'");
  int kinds = 0;
  for (const char* k : {"image", "lavfi", "video"})
    if (j.contains(k)) {
      ++kinds;
      s.kind = k;
      VQ_ASSIGN_OR_RETURN(s.input, get<std::string>(j, k, "", origin, field));
    }
  if (kinds != 1) return manifest_error(origin, field, "needs exactly one of \"image\", \"lavfi\", \"video\"");
  VQ_ASSIGN_OR_RETURN(s.motion, get<std::string>(j, "motion", "pan", origin, field));
  static const std::set<std::string> kMotions = {"pan", "zoom", "panzoom", "fast"};
  if (!kMotions.count(s.motion)) return manifest_error(origin, field + ".motion", "pan, zoom, panzoom or fast");
  VQ_ASSIGN_OR_RETURN(s.filter, get<std::string>(j, "filter", "", origin, field));
  VQ_ASSIGN_OR_RETURN(s.failure_mode, get<std::string>(j, "failure_mode", "", origin, field));
  VQ_ASSIGN_OR_RETURN(s.width, get<int>(j, "width", defaults.value("width", 480), origin, field));
  VQ_ASSIGN_OR_RETURN(s.height, get<int>(j, "height", defaults.value("height", 270), origin, field));
  VQ_ASSIGN_OR_RETURN(s.frames, get<int>(j, "frames", defaults.value("frames", 24), origin, field));
  VQ_ASSIGN_OR_RETURN(s.fps, get<int>(j, "fps", defaults.value("fps", 25), origin, field));
  if (s.width < 16 || s.height < 16 || s.width > 7680 || s.height > 4320 || s.width % 2 || s.height % 2)
    return manifest_error(origin, field, "width/height must be even, 16..7680 x 16..4320");
  if (s.frames < 2 || s.frames > 10000) return manifest_error(origin, field + ".frames", "2..10000");
  if (s.fps < 1 || s.fps > 240) return manifest_error(origin, field + ".fps", "1..240");
  return s;
}

Result<PlanEntry> parse_entry(const json& j, const std::string& origin, size_t i) {
  const std::string field = "plan[" + std::to_string(i) + "]";
  if (!j.is_object()) return manifest_error(origin, field, "expected an object");
  PlanEntry e;
  VQ_ASSIGN_OR_RETURN(e.codec, get<std::string>(j, "codec", "libx264", origin, field));
  static const std::set<std::string> kCodecs = {"libx264", "libx265", "libvpx-vp9", "libaom-av1", "libsvtav1", "none"};
  if (!kCodecs.count(e.codec))
    return manifest_error(origin, field + ".codec",
                          "'" + e.codec + "' is not one of libx264 libx265 libvpx-vp9 libaom-av1 libsvtav1 none");
  VQ_ASSIGN_OR_RETURN(e.crf, get<std::vector<int>>(j, "crf", {}, origin, field));
  if (j.contains("qp")) {
    VQ_ASSIGN_OR_RETURN(e.crf, get<std::vector<int>>(j, "qp", {}, origin, field));
    e.rate_mode = "qp";
  }
  if (e.codec != "none" && e.crf.empty()) return manifest_error(origin, field, "needs a \"crf\" or \"qp\" list");
  for (int c : e.crf)
    if (c < 0 || c > 63) return manifest_error(origin, field + ".crf", "values 0..63");
  VQ_ASSIGN_OR_RETURN(e.preset, get<std::string>(j, "preset", "", origin, field));
  VQ_ASSIGN_OR_RETURN(e.scales, get<std::vector<double>>(j, "scales", {1.0}, origin, field));
  for (double s : e.scales)
    if (!(s > 0.05 && s <= 1.0)) return manifest_error(origin, field + ".scales", "values in (0.05, 1]");
  VQ_ASSIGN_OR_RETURN(e.scaler, get<std::string>(j, "scaler", "bicubic", origin, field));
  static const std::set<std::string> kScalers = {"bicubic", "bilinear", "lanczos", "neighbor", "area", "spline"};
  if (!kScalers.count(e.scaler)) return manifest_error(origin, field + ".scaler", "unknown scaler '" + e.scaler + "'");
  VQ_ASSIGN_OR_RETURN(e.bit_depth, get<int>(j, "bit_depth", 8, origin, field));
  if (e.bit_depth != 8 && e.bit_depth != 10) return manifest_error(origin, field + ".bit_depth", "8 or 10");
  VQ_ASSIGN_OR_RETURN(e.chroma, get<std::string>(j, "chroma", "420", origin, field));
  if (e.chroma != "420" && e.chroma != "444") return manifest_error(origin, field + ".chroma", "420 or 444");
  VQ_ASSIGN_OR_RETURN(e.extra, get<std::string>(j, "extra", "", origin, field));
  VQ_ASSIGN_OR_RETURN(e.chroma_roundtrip, get<std::string>(j, "chroma_roundtrip", "", origin, field));
  if (!e.chroma_roundtrip.empty() && (e.chroma != "444" || e.codec != "none"))
    return manifest_error(origin, field + ".chroma_roundtrip", "needs \"chroma\": \"444\" and \"codec\": \"none\"");
  if (e.codec == "none" && e.chroma_roundtrip.empty())
    return manifest_error(origin, field + ".codec", "\"none\" is only for chroma_roundtrip entries");
  VQ_ASSIGN_OR_RETURN(e.sources, get<std::vector<std::string>>(j, "sources", {}, origin, field));
  VQ_ASSIGN_OR_RETURN(e.failure_mode, get<std::string>(j, "failure_mode", "", origin, field));
  return e;
}

}  // namespace

namespace {
Result<Manifest> parse_manifest_json(const std::string& text, const std::string& origin) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    return manifest_error(origin, "byte " + std::to_string(e.byte), "not valid JSON");
  } catch (const json::exception& e) {  // e.g. a number out of range (1e999)
    return manifest_error(origin, "", "not valid JSON: " + std::string(e.what()));
  }
  if (!j.is_object()) return manifest_error(origin, "", "expected a JSON object");
  Manifest m;
  m.name = j.value("name", "corpus");
  const json defaults = j.value("defaults", json::object());
  if (!j.contains("sources") || !j["sources"].is_array() || j["sources"].empty())
    return manifest_error(origin, "sources", "missing or empty");
  if (!j.contains("plan") || !j["plan"].is_array() || j["plan"].empty())
    return manifest_error(origin, "plan", "missing or empty");
  std::set<std::string> ids;
  for (size_t i = 0; i < j["sources"].size(); ++i) {
    VQ_ASSIGN_OR_RETURN(Source s, parse_source(j["sources"][i], defaults, origin, i));
    if (!ids.insert(s.id).second)
      return manifest_error(origin, "sources[" + std::to_string(i) + "].id", "duplicate id '" + s.id + "'");
    m.sources.push_back(std::move(s));
  }
  for (size_t i = 0; i < j["plan"].size(); ++i) {
    VQ_ASSIGN_OR_RETURN(PlanEntry e, parse_entry(j["plan"][i], origin, i));
    for (const auto& s : e.sources)
      if (!ids.count(s))
        return manifest_error(origin, "plan[" + std::to_string(i) + "].sources", "unknown source '" + s + "'");
    m.plan.push_back(std::move(e));
  }
  return m;
}
}  // namespace

Result<Manifest> parse_manifest(const std::string& text, const std::string& origin) {
  // Fields of the wrong JSON type (a number where a name belongs ...) throw type_error from the
  // typed accessors: one clear error instead of a crash (found by the manifest fuzzer).
  try {
    return parse_manifest_json(text, origin);
  } catch (const json::exception& e) {
    return manifest_error(origin, "", std::string("a field has the wrong JSON type: ") + e.what());
  }
}

Result<Manifest> load_manifest(const std::string& path) {
  VQ_ASSIGN_OR_RETURN(std::string text, io::read_text_file(path, size_t{16} << 20));
  return parse_manifest(text, path);
}

namespace {
const char* kPhotoDir = "/usr/share/backgrounds/mate/nature/";

// A photo source, or a lavfi stand-in when the photo package is not installed.
json photo(const std::string& id, const std::string& file, const std::string& motion, const std::string& fallback) {
  const std::string path = std::string(kPhotoDir) + file;
  if (std::filesystem::exists(path)) return {{"id", id}, {"image", path}, {"motion", motion}};
  return {{"id", id}, {"lavfi", fallback}};
}
}  // namespace

Result<Manifest> preset(const std::string& name) {
  json j;
  if (name == "demo") {
    // ~70 clips of 24 frames at 480x270: a few minutes to build and extract on 2 cores.
    j["name"] = "demo";
    j["defaults"] = {{"width", 480}, {"height", 270}, {"frames", 24}, {"fps", 25}};
    j["sources"] = json::array({
        {{"id", "mandelbrot"}, {"lavfi", "mandelbrot=size=960x540:rate=25"}},
        {{"id", "testsrc2"}, {"lavfi", "testsrc2=size=480x270:rate=25"}},
        photo("ladybird", "LadyBird.jpg", "pan", "cellauto=size=480x270:rate=25:rule=110"),
        photo("flower", "FreshFlower.jpg", "zoom", "life=size=480x270:rate=25:mold=10:seed=7"),
        photo("dune", "Dune.jpg", "pan", "gradients=size=480x270:rate=25:seed=3"),
        {{"id", "gradients"}, {"lavfi", "gradients=size=480x270:rate=25:n=3:seed=7:speed=0.02"},
         {"failure_mode", "banding"}},
        photo("storm_dark", "Storm.jpg", "fast", "testsrc=size=480x270:rate=25"),
    });
    j["sources"][6]["filter"] = "eq=brightness=-0.25:contrast=0.7,noise=alls=18:allf=t:all_seed=11";
    j["sources"][6]["failure_mode"] = "motion_lowlight";
    j["plan"] = json::array({
        {{"codec", "libx264"}, {"crf", {20, 30, 40, 48}}, {"preset", "medium"},
         {"sources", {"mandelbrot", "testsrc2", "ladybird", "flower", "dune"}}},
        {{"codec", "libx265"}, {"crf", {28, 40}}, {"preset", "fast"}, {"sources", {"mandelbrot", "ladybird", "flower", "dune"}}},
        {{"codec", "libvpx-vp9"}, {"crf", {35, 55}}, {"sources", {"testsrc2", "ladybird", "dune"}}},
        {{"codec", "libaom-av1"}, {"crf", {35, 55}}, {"sources", {"mandelbrot", "flower"}}},
        {{"codec", "libx264"}, {"crf", {23}}, {"scales", {0.5, 0.25}}, {"scaler", "bicubic"},
         {"sources", {"ladybird", "flower", "dune", "testsrc2"}}},
        {{"codec", "libx264"}, {"crf", {32}}, {"bit_depth", 10}, {"sources", {"ladybird", "mandelbrot"}}},
        // banding: smooth gradients and skies, 8-bit, high CRF
        {{"codec", "libx264"}, {"crf", {36, 44}}, {"sources", {"gradients", "dune"}}, {"failure_mode", "banding"}},
        // chroma: 4:4:4 pairs with chroma-only distortion
        {{"codec", "none"}, {"chroma", "444"}, {"chroma_roundtrip", "420"}, {"sources", {"ladybird", "testsrc2"}},
         {"failure_mode", "chroma"}},
        {{"codec", "libx264"}, {"crf", {24}}, {"chroma", "444"}, {"extra", "-x264-params chroma-qp-offset=12"},
         {"sources", {"flower", "testsrc2"}}, {"failure_mode", "chroma"}},
        // dark, noisy, fast
        {{"codec", "libx264"}, {"crf", {26, 36}}, {"sources", {"storm_dark"}}},
    });
  } else if (name == "research") {
    // 12 sources (9 natural photos + 3 synthetic) x ladders: the training corpus of the shipped model.
    j["name"] = "research";
    j["defaults"] = {{"width", 640}, {"height", 360}, {"frames", 48}, {"fps", 25}};
    j["sources"] = json::array({
        photo("ladybird", "LadyBird.jpg", "pan", "cellauto=size=640x360:rate=25:rule=110"),
        photo("flower", "FreshFlower.jpg", "zoom", "life=size=640x360:rate=25:mold=10:seed=7"),
        photo("dune", "Dune.jpg", "pan", "gradients=size=640x360:rate=25:seed=3"),
        photo("aqua", "Aqua.jpg", "panzoom", "gradients=size=640x360:rate=25:seed=4"),
        photo("garden", "Garden.jpg", "pan", "testsrc=size=640x360:rate=25"),
        photo("meadow", "GreenMeadow.jpg", "zoom", "smptehdbars=size=640x360:rate=25"),
        photo("raindrops", "RainDrops.jpg", "pan", "life=size=640x360:rate=25:mold=5:seed=9"),
        photo("wood", "Wood.jpg", "panzoom", "cellauto=size=640x360:rate=25:rule=30"),
        photo("storm_dark", "Storm.jpg", "fast", "testsrc=size=640x360:rate=25"),
        {{"id", "mandelbrot"}, {"lavfi", "mandelbrot=size=1280x720:rate=25"}},
        {{"id", "testsrc2"}, {"lavfi", "testsrc2=size=640x360:rate=25"}},
        {{"id", "gradients"}, {"lavfi", "gradients=size=640x360:rate=25:n=3:seed=7:speed=0.02"}},
    });
    j["sources"][8]["filter"] = "eq=brightness=-0.25:contrast=0.7,noise=alls=18:allf=t:all_seed=11";
    j["sources"][8]["failure_mode"] = "motion_lowlight";
    j["sources"][11]["failure_mode"] = "banding";
    j["plan"] = json::array({
        {{"codec", "libx264"}, {"crf", {16, 22, 27, 32, 37, 42, 47, 51}}, {"preset", "medium"}},
        {{"codec", "libx265"}, {"crf", {22, 30, 38, 46}}, {"preset", "fast"}},
        {{"codec", "libvpx-vp9"}, {"crf", {25, 40, 52, 63}}},
        {{"codec", "libaom-av1"}, {"crf", {30, 45, 58}}},
        {{"codec", "libx264"}, {"crf", {20, 30}}, {"scales", {0.75, 0.5, 0.25}}, {"scaler", "bicubic"}},
        {{"codec", "libx264"}, {"crf", {24}}, {"scales", {0.5}}, {"scaler", "bilinear"}},
        {{"codec", "libx264"}, {"crf", {28, 40}}, {"bit_depth", 10}},
        {{"codec", "libx264"}, {"crf", {36, 42, 48}}, {"sources", {"gradients", "dune", "aqua"}}, {"failure_mode", "banding"}},
        {{"codec", "none"}, {"chroma", "444"}, {"chroma_roundtrip", "420"}, {"failure_mode", "chroma"},
         {"sources", {"ladybird", "flower", "garden", "testsrc2"}}},
        {{"codec", "libx264"}, {"crf", {22, 30}}, {"chroma", "444"}, {"extra", "-x264-params chroma-qp-offset=12"},
         {"sources", {"ladybird", "flower", "meadow", "testsrc2"}}, {"failure_mode", "chroma"}},
    });
  } else {
    return Error(Errc::kInvalidArgument, "unknown preset '" + name + "' (demo, research)", "", -1, "--preset");
  }
  return parse_manifest(j.dump(), "preset " + name);
}

}  // namespace vqfuse::corpus
