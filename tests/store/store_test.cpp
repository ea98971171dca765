#include "vqfuse/store.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "test_util.hpp"

namespace vqfuse::test {
namespace {

FeatureMatrix matrix(std::vector<std::string> names, std::vector<std::vector<double>> rows) {
  FeatureMatrix m;
  for (auto& n : names) m.info.columns.push_back({n, FeatureId{}, false});
  for (size_t i = 0; i < rows.size(); ++i) m.frame_index.push_back(static_cast<int64_t>(i));
  m.rows = std::move(rows);
  return m;
}

TEST(Store, WritesReadsAndKeepsNanAsNull) {
  TempDir d;
  auto s = store::Store::open(d.file("s.sqlite"), true);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  store::ClipRecord c;
  c.clip_id = "a";
  c.source_id = "src";
  c.failure_mode = "banding";
  ASSERT_TRUE(s.value()->upsert_clip(c).ok());
  const double nan = std::nan("");
  ASSERT_TRUE(s.value()->write_clip("a", 1, matrix({"psnr_y", "ciede2000"}, {{30.5, nan}, {31.25, 40}}), {"psnr"}).ok());
  auto t = s.value()->read_table();
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->values.size(), 2u);
  EXPECT_EQ(t->columns, (std::vector<std::string>{"psnr_y", "ciede2000"}));
  EXPECT_EQ(t->values[0][0], 30.5);
  EXPECT_TRUE(std::isnan(t->values[0][1]));
  EXPECT_EQ(t->values[1][1], 40);
  EXPECT_EQ(t->source_id[0], "src");
  EXPECT_EQ(t->failure_mode[1], "banding");
  EXPECT_EQ(s.value()->complete_instances("a").value(), (std::set<std::string>{"psnr"}));
  EXPECT_EQ(s.value()->complete_features("a").value(), (std::set<std::string>{"psnr_y", "ciede2000"}));
}

TEST(Store, RewritingAClipReplacesRowsWithoutDuplicates) {
  TempDir d;
  auto s = store::Store::open(d.file("s.sqlite"), true).value();
  ASSERT_TRUE(s->write_clip("a", 1, matrix({"x"}, {{1}, {2}, {3}})).ok());
  ASSERT_TRUE(s->write_clip("a", 2, matrix({"x"}, {{4}, {5}})).ok());
  ASSERT_TRUE(s->write_clip("a", 2, matrix({"y"}, {{7}, {8}})).ok());
  EXPECT_EQ(s->count_values().value(), 4);
  auto t = s->read_table().value();
  ASSERT_EQ(t.values.size(), 2u);
  EXPECT_EQ(t.values[1], (std::vector<double>{5, 8}));
}

TEST(Store, RefusesForeignAndCorruptFilesWithoutTouchingThem) {
  TempDir d;
  write_file(d.file("text.sqlite"), "this is a text file, not a database");
  auto a = store::Store::open(d.file("text.sqlite"), true);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().message.find("not an SQLite file"), std::string::npos);
  EXPECT_EQ(read_file(d.file("text.sqlite")), "this is a text file, not a database");
  // A real SQLite file of another application.
  ASSERT_EQ(std::system(("/usr/bin/python3 -c \"import sqlite3; c=sqlite3.connect('" + d.file("other.sqlite") +
                         "'); c.execute('create table t(x)'); c.commit()\"").c_str()),
            0);
  const std::string before = read_file(d.file("other.sqlite"));
  auto b = store::Store::open(d.file("other.sqlite"), true);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.error().message.find("not a vqfuse store"), std::string::npos);
  EXPECT_EQ(read_file(d.file("other.sqlite")), before);
  // A vqfuse store with a damaged page.
  {
    auto s = store::Store::open(d.file("s.sqlite"), true).value();
    for (int i = 0; i < 50; ++i) ASSERT_TRUE(s->write_clip("c" + std::to_string(i), 1, matrix({"x"}, {{1}, {2}})).ok());
  }
  std::string bytes = read_file(d.file("s.sqlite"));
  ASSERT_GT(bytes.size(), 8192u);
  // Scramble pages 2 and 3 (b-tree page headers and cells).
  for (size_t i = 4096; i < 3 * 4096; ++i) bytes[i] = static_cast<char>(0xA5 ^ (i & 0xff));
  write_file(d.file("s.sqlite"), bytes);
  auto c = store::Store::open(d.file("s.sqlite"), false);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::kStore);
  EXPECT_EQ(read_file(d.file("s.sqlite")), bytes) << "a corrupt store must not be modified";
}

TEST(Store, MergeIsIdempotent) {
  TempDir d;
  {
    auto a = store::Store::open(d.file("a.sqlite"), true).value();
    ASSERT_TRUE(a->write_clip("c1", 1, matrix({"x", "y"}, {{1, 2}, {3, 4}}), {"k1"}).ok());
    auto b = store::Store::open(d.file("b.sqlite"), true).value();
    ASSERT_TRUE(b->write_clip("c2", 1, matrix({"y", "z"}, {{5, 6}}), {"k2"}).ok());
    ASSERT_TRUE(b->write_clip_attrs({{"c2", {{"mos", 3.5}}}}).ok());
  }
  auto m = store::Store::open(d.file("m.sqlite"), true).value();
  ASSERT_TRUE(m->merge_from(d.file("a.sqlite")).ok());
  ASSERT_TRUE(m->merge_from(d.file("b.sqlite")).ok());
  const std::string once = m->dump().value();
  ASSERT_TRUE(m->merge_from(d.file("a.sqlite")).ok());
  ASSERT_TRUE(m->merge_from(d.file("b.sqlite")).ok());
  EXPECT_EQ(m->dump().value(), once);
  EXPECT_EQ(m->count_values().value(), 6);
  auto t = m->read_table().value();
  EXPECT_EQ(t.clip_attrs["c2"]["mos"], 3.5);
  EXPECT_EQ(m->complete_instances("c2").value(), (std::set<std::string>{"k2"}));
  EXPECT_FALSE(m->merge_from(d.file("missing.sqlite")).ok());
}

TEST(StoreCsv, ExportImportRoundTrip) {
  TempDir d;
  auto s = store::Store::open(d.file("s.sqlite"), true).value();
  store::ClipRecord c;
  c.clip_id = "clip,with comma";
  c.source_id = "s1";
  ASSERT_TRUE(s->upsert_clip(c).ok());
  ASSERT_TRUE(s->write_clip(c.clip_id, 1, matrix({"psnr_y", "vmaf"}, {{30.123456789012345, 0.1}, {1e-300, std::nan("")}})).ok());
  ASSERT_TRUE(s->write_clip_attrs({{c.clip_id, {{"mos", 4.25}}}}).ok());
  auto t = s->read_table().value();
  ASSERT_TRUE(store::export_csv(t, d.file("out.csv")).ok());
  const std::string csv = read_file(d.file("out.csv"));
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "clip_id,source_id,failure_mode,frame,psnr_y,vmaf,mos");
  // Import the export into a new store: same values (full precision), attrs as per-frame
  // constants become clip attributes.
  auto s2 = store::Store::open(d.file("s2.sqlite"), true).value();
  auto r = store::import_csv(*s2, d.file("out.csv"), {});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->feature_columns, (std::vector<std::string>{"psnr_y", "vmaf"}));
  EXPECT_EQ(r->attr_columns, (std::vector<std::string>{"mos"}));
  auto t2 = s2->read_table().value();
  ASSERT_EQ(t2.values.size(), 2u);
  EXPECT_EQ(t2.values[0][0], 30.123456789012345);
  EXPECT_EQ(t2.values[1][0], 1e-300);
  EXPECT_TRUE(std::isnan(t2.values[1][1]));
  EXPECT_EQ(t2.clip_id[0], "clip,with comma");
  EXPECT_EQ(t2.clip_attrs["clip,with comma"]["mos"], 4.25);
}

TEST(StoreCsv, ImportErrorsNameTheLine) {
  TempDir d;
  auto s = store::Store::open(d.file("s.sqlite"), true).value();
  write_file(d.file("a.csv"), "clip_id,frame,psnr_y\na,0,30\na,1,thirty\n");
  auto r = store::import_csv(*s, d.file("a.csv"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().to_string().find("line 3"), std::string::npos) << r.error().to_string();
  write_file(d.file("b.csv"), "video,frame,psnr_y\na,0,30\n");
  r = store::import_csv(*s, d.file("b.csv"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("missing column 'clip_id'"), std::string::npos);
  write_file(d.file("c.csv"), "clip_id,frame,psnr_y\na,0\n");
  r = store::import_csv(*s, d.file("c.csv"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("expected 3 fields"), std::string::npos);
  EXPECT_EQ(s->count_values().value(), 0) << "a failed import writes nothing";
}

}  // namespace
}  // namespace vqfuse::test
