// SHA-256 of files and buffers (OpenSSL EVP), hex-encoded.
#pragma once

#include <string>
#include <string_view>

#include "vqfuse/error.hpp"

namespace vqfuse {

Result<std::string> sha256_file(const std::string& path);
std::string sha256_hex(std::string_view data);

}  // namespace vqfuse
