#pragma once
// Reading the project's JSON inputs (catalogue, packs, configuration, reports) with errors that
// name the file, line and column.
#include <nlohmann/json.hpp>
#include <string>

namespace tracelint {

// Reads and parses Path. On failure returns false and sets Error to "<path>:<line>:<col>: <What>: ..."
// (or "<path>: cannot read ...").
bool readJsonFile(const std::string &Path, const std::string &What, nlohmann::json &Out, std::string &Error,
                  std::string *Text = nullptr);
// Parses Text that came from Path, with the same error format.
bool parseJsonText(const std::string &Text, const std::string &Path, const std::string &What, nlohmann::json &Out,
                   std::string &Error);

}  // namespace tracelint
