#include "core/JsonFile.h"

#include <fstream>
#include <sstream>

#include "core/Catalogue.h"

namespace tracelint {

bool parseJsonText(const std::string &Text, const std::string &Path, const std::string &What, nlohmann::json &Out,
                   std::string &Error) {
  try {
    Out = nlohmann::json::parse(Text);
  } catch (const nlohmann::json::parse_error &E) {
    auto [L, C] = lineColumnOf(Text, E.byte == 0 ? 0 : E.byte - 1);
    Error = Path + ":" + std::to_string(L) + ":" + std::to_string(C) + ": malformed " + What + ": " + E.what();
    return false;
  } catch (const nlohmann::json::exception &E) {
    // Not a syntax error but still unreadable, e.g. a number too large for a double (found by fuzzing).
    Error = Path + ": malformed " + What + ": " + E.what();
    return false;
  }
  return true;
}

bool readJsonFile(const std::string &Path, const std::string &What, nlohmann::json &Out, std::string &Error,
                  std::string *Text) {
  std::ifstream In(Path, std::ios::binary);
  if (!In) {
    Error = Path + ": cannot read the " + What;
    return false;
  }
  std::stringstream SS;
  SS << In.rdbuf();
  std::string Content = SS.str();
  if (Text) *Text = Content;
  return parseJsonText(Content, Path, What, Out, Error);
}

}  // namespace tracelint
