#pragma once
// Results of unchanged translation units, kept between runs (ccache's "direct mode"): a warm re-run
// returns a file's stored raw result instead of parsing it. The key covers the tracelint binary,
// the file, its compile command and tracelint's adjustments to it, the checks, and the rules
// directory's contents (catalogue and packs) with any pack named by path; an entry lists every file
// the translation unit read, with a hash of its contents, and is used only when all still match. An
// entry that does not parse, names a file that is gone or changed, or was written by another format
// is a miss, never trusted. Only clean results are stored: a file that failed is analyzed again.
// The cache must never turn a finding into silence: the key holds the main file's text; an entry
// lists the paths where an #include would have found a header first (a header added there later
// makes it a miss), needs a non-empty dependency list, and is sealed with a keyed hash under a
// secret kept beside the entries (Dir/secret, mode 0600), so an entry edited or damaged since it
// was written is a miss. The seal protects against corruption and mistakes, not against an
// attacker who can write the directory (and so read the secret).
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "cli/FileAnalysis.h"

namespace tracelint {

class ResultCache {
 public:
  // An empty directory disables the cache. The directory is created on first store.
  explicit ResultCache(std::string Dir);
  bool enabled() const { return !Dir.empty(); }

  // The key of a result: a hash over the parts given (the caller lists what the result depends on
  // besides the files the translation unit reads) and the running tracelint binary.
  std::string key(const std::vector<std::string>& Parts) const;
  std::optional<FileResult> lookup(const std::string& Key) const;
  // Stores R under Key when it is a clean result with its dependencies; a failure to write is silent
  // (the cache only saves time). Written to a temporary file and renamed, so readers never see a
  // partial entry.
  void store(const std::string& Key, const FileResult& R) const;

  // Hex hash of a file's contents; "" when it cannot be read.
  static std::string hashFile(const std::string& Path);

 private:
  // hashFile, once per file per run: the translation units of a run share most of their headers.
  std::string dependencyHash(const std::string& Path) const;
  // The cache's secret (Dir/secret, made on first store); false when there is none to be had.
  bool loadSecret(bool Create) const;
  // A keyed hash of an entry's body under the secret.
  std::string seal(const std::string& Body) const;
  // One warning per run: a cache that cannot be used costs time, never a finding.
  void warnOnce(const std::string& Message) const;

  static constexpr std::size_t kSecretBytes = 32;
  mutable std::mutex SecretMu;
  mutable std::string Secret;
  mutable bool Warned = false;

  std::string Dir;
  std::string BinaryIdentity;  // the running binary's path, size and modification time
  mutable std::mutex HashesMu;
  mutable std::unordered_map<std::string, std::string> Hashes;
};

}  // namespace tracelint
