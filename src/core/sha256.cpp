#include "core/sha256.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <memory>

namespace vqfuse {
namespace {

std::string hex(const unsigned char* d, unsigned n) {
  static const char* k = "0123456789abcdef";
  std::string s;
  for (unsigned i = 0; i < n; ++i) {
    s += k[d[i] >> 4];
    s += k[d[i] & 15];
  }
  return s;
}

struct Ctx {
  EVP_MD_CTX* c = EVP_MD_CTX_new();
  ~Ctx() { EVP_MD_CTX_free(c); }
};

}  // namespace

Result<std::string> sha256_file(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return Error(Errc::kIo, "cannot open for hashing", path);
  Ctx ctx;
  EVP_DigestInit_ex(ctx.c, EVP_sha256(), nullptr);
  std::unique_ptr<unsigned char[]> buf(new unsigned char[1 << 20]);
  size_t n;
  while ((n = std::fread(buf.get(), 1, 1 << 20, f.get())) > 0) EVP_DigestUpdate(ctx.c, buf.get(), n);
  if (std::ferror(f.get())) return Error(Errc::kIo, "read error while hashing", path);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_DigestFinal_ex(ctx.c, md, &len);
  return hex(md, len);
}

std::string sha256_hex(std::string_view data) {
  Ctx ctx;
  EVP_DigestInit_ex(ctx.c, EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx.c, data.data(), data.size());
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_DigestFinal_ex(ctx.c, md, &len);
  return hex(md, len);
}

}  // namespace vqfuse
