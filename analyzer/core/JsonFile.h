#pragma once
// Reading the project's JSON inputs (catalogue, packs, configuration, reports) with errors that
// name the file, line and column.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace tracelint {

// Where each member and element of a JSON text starts, by JSON pointer ("/entry_points/0/kind"),
// and the first key repeated within one object: nlohmann keeps neither (it silently keeps the last
// of two equal keys), and configuration errors must name a line and column. Both are tracked in the
// first 16 levels of nesting.
class JsonPositions {
 public:
  // Text must be valid JSON (it has been parsed) and outlive this object. Iterative: deep nesting
  // costs no stack.
  explicit JsonPositions(const std::string& Text);
  // Offset of the member's key, or of the array element, at Pointer; 0 when unknown.
  std::size_t offsetOf(const std::string& Pointer) const;
  // "path:line:col" of Pointer in Text.
  std::string site(const std::string& Path, const std::string& Pointer) const;
  // The pointer of the first repeated key, or "".
  const std::string& duplicate() const { return Duplicate; }

 private:
  const std::string& Text;
  std::map<std::string, std::size_t> Offsets;
  std::string Duplicate;
};

// An integer from 0 to Max, read without undefined behaviour: nlohmann's get<unsigned>() converts
// 1.5e87 or -1 out of range, and truncates 1.5 to 1. Throws std::out_of_range naming What.
std::uint64_t boundedInteger(const nlohmann::json& J, std::uint64_t Max, const std::string& What);

// "/entry_points/0/callable_arg" as people write it: "entry_points[0].callable_arg".
std::string readablePointer(const std::string& Pointer);

// Reads and parses Path. On failure returns false and sets Error to "<path>:<line>:<col>: <What>: ..."
// (or "<path>: cannot read ...").
bool readJsonFile(const std::string& Path, const std::string& What, nlohmann::json& Out, std::string& Error,
                  std::string* Text = nullptr, bool RejectDuplicateKeys = false);
// Parses Text that came from Path, with the same error format.
// With RejectDuplicateKeys, a key given twice in one object is an error naming its second place.
bool parseJsonText(const std::string& Text, const std::string& Path, const std::string& What, nlohmann::json& Out,
                   std::string& Error, bool RejectDuplicateKeys = false);

}  // namespace tracelint
