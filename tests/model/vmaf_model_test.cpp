#include "model/vmaf_model.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "test_util.hpp"

namespace vqfuse::model {
namespace {

// A 2-feature model with two support vectors, small enough to evaluate by hand.
std::string tiny_model(const std::string& extra = "") {
  return R"({"model_dict": {"model_type": "LIBSVMNUSVR", "norm_type": "linear_rescale",
    "feature_names": ["VMAF_integer_feature_adm2_score", "VMAF_integer_feature_motion2_score"],
    "slopes": [0.5, 2.0, 0.1], "intercepts": [0.25, -1.0, 0.0], "score_clip": [0.0, 100.0],)" + extra + R"(
    "model": "svm_type nu_svr\nkernel_type rbf\ngamma 0.5\nnr_class 2\ntotal_sv 2\nrho -0.75\nSV\n2 1:0.5 2:0.25 \n-1 2:1 \n"}})";
}

TEST(VmafModel, HandMadeVectorMatchesClosedForm) {
  auto d = parse_vmaf_model(tiny_model(), "tiny");
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  ModelSpec spec;
  spec.path = "unused";
  // Evaluate the parsed SVM directly.
  const double adm2 = 0.8, motion2 = 3.0;
  const double x0 = 2.0 * adm2 - 1.0, x1 = 0.1 * motion2;  // normalised: 0.6, 0.3
  const double k0 = std::exp(-0.5 * ((x0 - 0.5) * (x0 - 0.5) + (x1 - 0.25) * (x1 - 0.25)));
  const double k1 = std::exp(-0.5 * (x0 * x0 + (x1 - 1) * (x1 - 1)));  // missing index 1 is 0
  const double decision = 2 * k0 - 1 * k1 + 0.75;
  const double expected = (decision - 0.25) / 0.5;
  const double x[] = {x0, x1};
  EXPECT_DOUBLE_EQ(d->svm.decision(x), decision);
  // Through the RowModel interface (normalisation, denormalisation, clip).
  test::TempDir t;
  test::write_file(t.file("m.json"), tiny_model());
  spec.path = t.file("m.json");
  auto m = load_vmaf_model(spec);
  if (!m.ok() && m.error().message.find("not in this build") != std::string::npos) GTEST_SKIP();
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  const double in[] = {adm2, motion2};
  EXPECT_DOUBLE_EQ((*m)->predict(in), expected);
  EXPECT_EQ((*m)->name(), "vmaf");
}

TEST(VmafModel, BuiltInV061MatchesLibvmafOnGoldenFeatures) {
  // Feed libvmaf's own per-frame features (netflix_full.json) to our SVM: the vmaf score must
  // match libvmaf's to the last bits (same arithmetic order).
  const std::string dir = test::shared_dir();
  if (dir.empty()) GTEST_SKIP() << "no ../shared";
  auto text = builtin_model_json("vmaf_v0.6.1");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text.value(), test::read_file(dir + "/models/vmaf_v0.6.1.json")) << "embedded copy differs";
  auto d = parse_vmaf_model(text.value(), "v0.6.1");
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  EXPECT_EQ(d->svm.coef.size(), 211u);
  EXPECT_EQ(d->svm.gamma, 0.04);
  EXPECT_FALSE(d->transform.enabled) << "v0.6.1 has no 'enabled': libvmaf leaves the transform off";
  double worst = 0;
  for (const char* pair : {"p02_mandelbrot_320x240_420p8", "p05_gradients_352x288_420p10", "p03_coffee_333x197_420p8"}) {
    const auto j = nlohmann::json::parse(test::read_file(dir + "/golden/" + std::string(pair) + ".netflix_full.json"));
    for (const auto& f : j["frames"]) {
      const auto& m = f["metrics"];
      double x[6];
      const char* names[] = {"integer_adm2", "integer_motion2", "integer_vif_scale0", "integer_vif_scale1",
                             "integer_vif_scale2", "integer_vif_scale3"};
      for (int i = 0; i < 6; ++i) x[i] = d->slopes[i + 1] * m[names[i]].get<double>() + d->intercepts[i + 1];
      double y = (d->svm.decision(x) - d->intercept) / d->slope;
      y = std::clamp(y, 0.0, 100.0);
      worst = std::max(worst, std::fabs(y - m["vmaf"].get<double>()));
    }
  }
  EXPECT_LE(worst, 1e-9);
}

struct BadModel {
  std::string name;
  std::string json;
  std::string field;
};

class VmafModelBad : public ::testing::TestWithParam<BadModel> {};

TEST_P(VmafModelBad, NamesTheField) {
  auto d = parse_vmaf_model(GetParam().json, "bad.json");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, Errc::kModel);
  EXPECT_EQ(d.error().file, "bad.json");
  EXPECT_NE(d.error().to_string().find(GetParam().field), std::string::npos) << d.error().to_string();
}

std::string replace(std::string s, const std::string& a, const std::string& b) {
  const size_t p = s.find(a);
  if (p != std::string::npos) s.replace(p, a.size(), b);
  return s;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, VmafModelBad,
    ::testing::Values(
        BadModel{"not_json", "{not json", "not valid JSON"},
        BadModel{"no_model_dict", "{}", "model_dict"},
        BadModel{"bootstrap", replace(tiny_model(), "LIBSVMNUSVR", "BOOTSTRAP_LIBSVMNUSVR"), "model_type"},
        BadModel{"no_features", replace(tiny_model(), "\"feature_names\"", "\"x\""), "feature_names"},
        BadModel{"short_slopes", replace(tiny_model(), "[0.5, 2.0, 0.1]", "[0.5, 2.0]"), "slopes"},
        BadModel{"nan_intercept", replace(tiny_model(), "[0.25, -1.0, 0.0]", "[0.25, NaN, 0.0]"), "not valid JSON"},
        BadModel{"string_slope", replace(tiny_model(), "[0.5, 2.0, 0.1]", "[0.5, \"2\", 0.1]"), "slopes[1]"},
        BadModel{"bad_norm", replace(tiny_model(), "linear_rescale", "zscore"), "norm_type"},
        BadModel{"sv_count", replace(tiny_model(), "total_sv 2", "total_sv 3"), "total_sv"},
        BadModel{"sv_index", replace(tiny_model(), "2:0.25", "7:0.25"), "node index 7"},
        BadModel{"sv_value", replace(tiny_model(), "1:0.5", "1:abc"), "bad node"},
        BadModel{"kernel", replace(tiny_model(), "kernel_type rbf", "kernel_type poly"), "kernel_type"},
        BadModel{"no_gamma", replace(tiny_model(), "gamma 0.5\\n", ""), "incomplete libsvm header"},
        BadModel{"clip", replace(tiny_model(), "[0.0, 100.0]", "[0.0]"), "score_clip"}),
    [](const auto& p) { return p.param.name; });

TEST(ModelSpec, ParsesLibvmafSyntax) {
  auto s = parse_model_spec("version=vmaf_v0.6.1:name=foo:adm.debug=true:vif.debug=true:disable_clip");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->version, "vmaf_v0.6.1");
  EXPECT_EQ(s->name, "foo");
  EXPECT_TRUE(s->disable_clip);
  ASSERT_EQ(s->overloads.size(), 2u);
  EXPECT_EQ(s->overloads[0].first, "adm");
  EXPECT_EQ(s->overloads[0].second.first, "debug");
  EXPECT_FALSE(parse_model_spec("name=x").ok());
  EXPECT_FALSE(parse_model_spec("version=a:path=b").ok());
  EXPECT_FALSE(parse_model_spec("version=a:bogus=1").ok());
}

}  // namespace
}  // namespace vqfuse::model
