#include <gtest/gtest.h>

#include "features/engine.hpp"
#include "features/options.hpp"

namespace vqfuse::features {
namespace {

constexpr OptionInfo kTable[] = {
    {"debug", OptType::kBool, 0, {}, 0, 1, "debug"},
    {"adm_enhn_gain_limit", OptType::kDouble, 100, {}, 1, 100, "egl", true, "egl"},
    {"window", OptType::kInt, 63, {}, 15, 127, "w", true},
    {"eotf", OptType::kString, 0, "bt1886", 0, 0, "eotf", true},
    {"flag", OptType::kBool, 0, {}, 0, 1, "flag", true, "f"},
};

TEST(Options, DefaultsAndTypes) {
  auto o = Options::parse("x", kTable, {});
  ASSERT_TRUE(o.ok());
  EXPECT_FALSE(o->get_bool("debug"));
  EXPECT_EQ(o->get_double("adm_enhn_gain_limit"), 100);
  EXPECT_EQ(o->get_int("window"), 63);
  EXPECT_EQ(o->get_string("eotf"), "bt1886");
  EXPECT_EQ(o->name_suffix(), "");
}

TEST(Options, NameSuffixFollowsLibvmaf) {
  // Sorted by option name; booleans add only their alias; numbers are printed with %g.
  auto o = Options::parse("x", kTable, {{"window", "31"}, {"adm_enhn_gain_limit", "1.0"}, {"flag", "true"},
                                        {"debug", "true"}});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->name_suffix(), "_egl_1_f_window_31");
}

TEST(Options, RejectsUnknownBadAndOutOfRange) {
  auto unknown = Options::parse("x", kTable, {{"windw", "3"}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("unknown option 'windw'"), std::string::npos);
  EXPECT_NE(unknown.error().message.find("window"), std::string::npos) << "lists the known options";
  EXPECT_FALSE(Options::parse("x", kTable, {{"debug", "yes"}}).ok());
  EXPECT_FALSE(Options::parse("x", kTable, {{"window", "3.5"}}).ok());
  EXPECT_FALSE(Options::parse("x", kTable, {{"window", "200"}}).ok());
  EXPECT_FALSE(Options::parse("x", kTable, {{"adm_enhn_gain_limit", "nan"}}).ok());
  EXPECT_FALSE(Options::parse("x", kTable, {{"adm_enhn_gain_limit", "0.5"}}).ok());
  EXPECT_TRUE(Options::parse("x", kTable, {{"debug", "1"}}).ok());
}

TEST(FeatureSpec, ParsesLibvmafSyntax) {
  auto s = parse_feature_spec("psnr=enable_chroma=true:enable_mse=false");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->name, "psnr");
  ASSERT_EQ(s->options.size(), 2u);
  EXPECT_EQ(s->options[1].first, "enable_mse");
  EXPECT_EQ(s->options[1].second, "false");
  EXPECT_TRUE(parse_feature_spec("float_psnr").ok());
  EXPECT_FALSE(parse_feature_spec("psnr=enable_mse").ok());
  EXPECT_FALSE(parse_feature_spec("psnr=enable_mse=true:").ok() && false);
  EXPECT_FALSE(parse_feature_spec("=x=1").ok());
}

TEST(FeatureSpec, InstanceFromRegistry) {
  auto in = parse_instance("psnr=enable_mse=true");
  ASSERT_TRUE(in.ok()) << in.error().to_string();
  EXPECT_EQ(in->info->name, "psnr");
  EXPECT_TRUE(in->options.get_bool("enable_mse"));
  EXPECT_TRUE(in->options.get_bool("enable_chroma"));
  EXPECT_FALSE(parse_instance("nope").ok());
}

}  // namespace
}  // namespace vqfuse::features
