// The bad-input table of the CLI: each case exits non-zero with one "vqfuse: error:" line naming
// the file (and frame where there is one), and leaves no output file behind.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>

#include <nlohmann/json.hpp>

#include "core/sha256.hpp"
#include "test_util.hpp"

namespace vqfuse::test {
namespace {

struct Case {
  std::string name;
  // Builds the inputs in `dir` and returns the CLI arguments (output goes to dir/out.json).
  std::function<std::vector<std::string>(const TempDir&)> setup;
  int rc;
  std::vector<std::string> expect;  // substrings of stderr
};

std::string good(const TempDir& d, const std::string& name, int frames = 3, int w = 16, int h = 8,
                 int bd = 8, Chroma c = Chroma::k420) {
  const std::string p = d.file(name);
  write_y4m(p, make_info(w, h, bd, c), frames, noise_fn(frames + w, bd));
  return p;
}

std::vector<std::string> args(const TempDir& d, const std::string& ref, const std::string& dis,
                               std::vector<std::string> extra = {"--feature", "psnr"}) {
  std::vector<std::string> a = {"extract", "-r", ref, "-d", dis, "--json", "-o", d.file("out.json")};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> k = {
      {"missing_file", [](const TempDir& d) { return args(d, d.file("nope.y4m"), good(d, "b.y4m")); }, 1,
       {"nope.y4m", "cannot open"}},
      {"truncated_header",
       [](const TempDir& d) {
         write_file(d.file("a.y4m"), "YUV4MPEG2 W16 H8 C42");
         return args(d, d.file("a.y4m"), good(d, "b.y4m"));
       },
       3, {"a.y4m", "truncated header"}},
      {"truncated_frame",
       [](const TempDir& d) {
         const std::string a = good(d, "a.y4m", 3);
         const std::string data = read_file(a);
         write_file(a, data.substr(0, data.size() - 50));
         return args(d, a, good(d, "b.y4m", 3));
       },
       3, {"a.y4m", "frame 2", "FRAME payload", "truncated"}},
      {"bad_frame_marker",
       [](const TempDir& d) {
         const std::string a = good(d, "a.y4m", 3);
         std::string data = read_file(a);
         data[data.find("FRAME", data.find("FRAME") + 5)] = 'X';
         write_file(a, data);
         return args(d, a, good(d, "b.y4m", 3));
       },
       3, {"a.y4m", "frame 1", "expected 'FRAME'"}},
      {"unknown_colorspace",
       [](const TempDir& d) {
         write_file(d.file("a.y4m"), "YUV4MPEG2 W16 H8 C411\nFRAME\n");
         return args(d, d.file("a.y4m"), good(d, "b.y4m"));
       },
       3, {"a.y4m", "header tag C", "C411"}},
      {"zero_width",
       [](const TempDir& d) {
         write_file(d.file("a.y4m"), "YUV4MPEG2 W0 H8\nFRAME\n");
         return args(d, d.file("a.y4m"), good(d, "b.y4m"));
       },
       3, {"a.y4m", "bad width"}},
      {"invalid_dimension",
       [](const TempDir& d) {
         write_file(d.file("a.y4m"), "YUV4MPEG2 W16 H8.5\nFRAME\n");
         return args(d, d.file("a.y4m"), good(d, "b.y4m"));
       },
       3, {"a.y4m", "bad height"}},
      {"size_mismatch",
       [](const TempDir& d) { return args(d, good(d, "a.y4m", 3, 16, 8), good(d, "b.y4m", 3, 18, 8)); }, 3,
       {"16x8", "18x8", "a.y4m", "b.y4m"}},
      {"bitdepth_mismatch",
       [](const TempDir& d) {
         return args(d, good(d, "a.y4m", 3, 16, 8, 8), good(d, "b.y4m", 3, 16, 8, 10));
       },
       3, {"8-bit", "10-bit"}},
      {"subsampling_mismatch",
       [](const TempDir& d) {
         return args(d, good(d, "a.y4m", 3, 16, 8, 8, Chroma::k420), good(d, "b.y4m", 3, 16, 8, 8, Chroma::k444));
       },
       3, {"420", "444"}},
      {"frame_count_mismatch",
       [](const TempDir& d) { return args(d, good(d, "a.y4m", 3), good(d, "b.y4m", 5)); }, 3,
       {"frame count mismatch", "has 3 frames", "has 5", "--frame-cnt"}},
      {"unknown_feature",
       [](const TempDir& d) {
         return args(d, good(d, "a.y4m"), good(d, "b.y4m"), {"--feature", "psnr_typo"});
       },
       2, {"unknown feature extractor 'psnr_typo'"}},
      {"unknown_option",
       [](const TempDir& d) {
         return args(d, good(d, "a.y4m"), good(d, "b.y4m"), {"--feature", "psnr=enable_chrome=true"});
       },
       2, {"unknown option 'enable_chrome'", "enable_chroma"}},
      {"bad_option_value",
       [](const TempDir& d) {
         return args(d, good(d, "a.y4m"), good(d, "b.y4m"), {"--feature", "psnr=enable_mse=maybe"});
       },
       2, {"enable_mse", "expected true or false"}},
      {"unwritable_output",
       [](const TempDir& d) {
         auto a = args(d, good(d, "a.y4m"), good(d, "b.y4m"));
         a[7] = d.file("no/such/dir/out.json");
         return a;
       },
       1, {"no/such/dir/out.json", "cannot write"}},
      {"raw_without_geometry",
       [](const TempDir& d) {
         write_file(d.file("a.yuv"), std::string(192, 'x'));
         write_file(d.file("b.yuv"), std::string(192, 'x'));
         return args(d, d.file("a.yuv"), d.file("b.yuv"));
       },
       2, {"a.yuv", "-w/--width"}},
      {"empty_file",
       [](const TempDir& d) {
         write_file(d.file("a.mkv"), "");
         return args(d, d.file("a.mkv"), good(d, "b.y4m"));
       },
       3, {"a.mkv"}},
      {"unknown_model",
       [](const TempDir& d) {
         return args(d, good(d, "a.y4m"), good(d, "b.y4m"), {"--model", "version=vmaf_v9"});
       },
       4, {"vmaf_v9"}},
      {"missing_model_file",
       [](const TempDir& d) {
         return args(d, good(d, "a.y4m"), good(d, "b.y4m"), {"--model", "path=" + d.file("m.json")});
       },
       1, {"m.json"}},
      {"corrupt_model",
       [](const TempDir& d) {
         write_file(d.file("m.json"), "{\"model_dict\": {\"model_type\": \"LIBSVMNUSVR\"}}");
         return args(d, good(d, "a.y4m"), good(d, "b.y4m"), {"--model", "path=" + d.file("m.json")});
       },
       4, {"m.json", "feature_names"}},
      {"skip_past_end",
       [](const TempDir& d) {
         return args(d, good(d, "a.y4m", 3), good(d, "b.y4m", 3), {"--feature", "psnr", "--frame-skip-ref", "5"});
       },
       2, {"a.y4m", "cannot skip 5 frames"}},
      // Y4M headers: wrong magic, absurd and negative sizes (refused before any allocation),
      // truncation at further offsets.
      {"wrong_magic",
       [](const TempDir& d) {
         write_file(d.file("a.y4m"), "YUV4MPEG3 W16 H8 C420\nFRAME\n" + std::string(192, 'x'));
         return args(d, d.file("a.y4m"), good(d, "b.y4m"));
       },
       3, {"a.y4m"}},
      {"huge_dimension",
       [](const TempDir& d) {
         write_file(d.file("a.y4m"), "YUV4MPEG2 W2147483648 H2147483648 C420\nFRAME\n");
         return args(d, d.file("a.y4m"), good(d, "b.y4m"));
       },
       3, {"a.y4m", "width"}},
      {"frame_too_large_to_allocate",
       [](const TempDir& d) {
         write_file(d.file("a.y4m"), "YUV4MPEG2 W65536 H65536 C444p16\nFRAME\n");
         return args(d, d.file("a.y4m"), good(d, "b.y4m"));
       },
       3, {"a.y4m"}},
      {"negative_dimension",
       [](const TempDir& d) {
         write_file(d.file("a.y4m"), "YUV4MPEG2 W-16 H8 C420\nFRAME\n");
         return args(d, d.file("a.y4m"), good(d, "b.y4m"));
       },
       3, {"a.y4m", "bad width"}},
      {"truncated_first_frame_header",
       [](const TempDir& d) {
         const std::string data = read_file(good(d, "a.y4m", 3));
         write_file(d.file("a.y4m"), data.substr(0, data.find("FRAME") + 3));
         return args(d, d.file("a.y4m"), good(d, "b.y4m", 3));
       },
       3, {"a.y4m", "less than one 16x8 420 8-bit frame"}},
      {"truncated_mid_first_frame",
       [](const TempDir& d) {
         const std::string data = read_file(good(d, "a.y4m", 3));
         write_file(d.file("a.y4m"), data.substr(0, data.find("FRAME") + 6 + 40));
         return args(d, d.file("a.y4m"), good(d, "b.y4m", 3));
       },
       3, {"a.y4m", "less than one 16x8 420 8-bit frame", "truncated"}},
      {"corrupt_container",
       [](const TempDir& d) {
         std::string junk = "\x00\x00\x00\x18ftypisom";
         for (int i = 0; i < 4000; ++i) junk += static_cast<char>((i * 7919) & 0xff);
         write_file(d.file("a.mp4"), junk);
         return args(d, d.file("a.mp4"), good(d, "b.y4m"));
       },
       3, {"a.mp4"}},
      // Models: wrong vector length, NaN.
      {"model_wrong_vector_length",
       [](const TempDir& d) {
         nlohmann::json m = nlohmann::json::parse(read_file(std::string(VQFUSE_SOURCE_DIR) + "/data/models/vmaf_v0.6.1.json"));
         m["model_dict"]["slopes"].erase(m["model_dict"]["slopes"].size() - 1);
         write_file(d.file("m.json"), m.dump());
         return args(d, good(d, "a.y4m"), good(d, "b.y4m"), {"--model", "path=" + d.file("m.json")});
       },
       4, {"m.json", "slopes"}},
      {"model_nan",
       [](const TempDir& d) {
         std::string text = read_file(std::string(VQFUSE_SOURCE_DIR) + "/data/models/vmaf_v0.6.1.json");
         const size_t at = text.find("\"slopes\"");
         const size_t num = text.find_first_of("-0123456789", text.find('[', at));
         text.replace(num, text.find_first_of(",]", num) - num, "NaN");
         write_file(d.file("m.json"), text);
         return args(d, good(d, "a.y4m"), good(d, "b.y4m"), {"--model", "path=" + d.file("m.json")});
       },
       4, {"m.json"}},
      // Tiny ONNX models and their sidecars (score).
      {"sidecar_wrong_sha256",
       [](const TempDir& d) {
         const std::string src = std::string(VQFUSE_SOURCE_DIR) + "/data/models/vqfuse_tiny_v1";
         write_file(d.file("m.onnx"), read_file(src + ".onnx"));
         nlohmann::json side = nlohmann::json::parse(read_file(src + ".json"));
         side["sha256"] = std::string(64, '0');
         side["onnx"] = "m.onnx";
         write_file(d.file("m.json"), side.dump());
         return std::vector<std::string>{"score", "-r", good(d, "a.y4m"), "-d", good(d, "b.y4m"), "--model",
                                         d.file("m.onnx"), "-o", d.file("out.json")};
       },
       4, {"m.json", "sha256"}},
      {"onnx_unsupported_operator",
       [](const TempDir& d) {
         const std::string src = std::string(VQFUSE_SOURCE_DIR) + "/data/models/vqfuse_tiny_v1";
         std::string bytes = read_file(src + ".onnx");
         for (size_t at = bytes.find("Relu"); at != std::string::npos; at = bytes.find("Relu", at)) bytes.replace(at, 4, "Selu");
         write_file(d.file("m.onnx"), bytes);
         nlohmann::json side = nlohmann::json::parse(read_file(src + ".json"));
         side["sha256"] = sha256_hex(bytes);
         side["onnx"] = "m.onnx";
         write_file(d.file("m.json"), side.dump());
         return std::vector<std::string>{"score", "-r", good(d, "a.y4m"), "-d", good(d, "b.y4m"), "--model",
                                         d.file("m.onnx"), "-o", d.file("out.json")};
       },
       4, {"m.onnx", "Selu"}},
      {"onnx_wrong_input_shape",
       [](const TempDir& d) {
         const std::string src = std::string(VQFUSE_SOURCE_DIR) + "/data/models/vqfuse_tiny_v1";
         write_file(d.file("m.onnx"), read_file(src + ".onnx"));
         nlohmann::json side = nlohmann::json::parse(read_file(src + ".json"));
         side["features"].push_back("psnr_y");  // 7 names for a 6-input network
         side["input_shape"][1] = 7;
         side["onnx"] = "m.onnx";
         write_file(d.file("m.json"), side.dump());
         return std::vector<std::string>{"score", "-r", good(d, "a.y4m"), "-d", good(d, "b.y4m"), "--model",
                                         d.file("m.onnx"), "-o", d.file("out.json")};
       },
       4, {"m.json"}},
      {"csv_missing_column",
       [](const TempDir& d) {
         write_file(d.file("f.csv"), "clip_id,frame,integer_adm2,integer_motion2\nc,0,0.9,1.5\n");
         return std::vector<std::string>{"score", "--csv", d.file("f.csv"), "--model",
                                         std::string(VQFUSE_SOURCE_DIR) + "/data/models/vqfuse_tiny_v1.onnx", "-o",
                                         d.file("out.json")};
       },
       2, {"f.csv", "integer_vif_scale0"}},
  };
  return k;
}

class BadInput : public ::testing::TestWithParam<Case> {};

TEST_P(BadInput, ClearOneLineErrorAndNoOutputFile) {
  const Case& c = GetParam();
  TempDir d;
  const CliResult r = run_cli(c.setup(d));
  EXPECT_EQ(r.rc, c.rc) << r.err;
  // One line, starting with the tool's prefix.
  EXPECT_EQ(r.err.rfind("vqfuse: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  for (const auto& s : c.expect) EXPECT_NE(r.err.find(s), std::string::npos) << "missing '" << s << "' in: " << r.err;
  EXPECT_FALSE(file_exists(d.file("out.json"))) << "a failed run left an output file";
  // No temporary file either.
  for (const auto& e : std::filesystem::directory_iterator(d.path()))
    EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos) << e.path();
}

INSTANTIATE_TEST_SUITE_P(Table, BadInput, ::testing::ValuesIn(cases()),
                         [](const auto& p) { return p.param.name; });

}  // namespace
}  // namespace vqfuse::test
