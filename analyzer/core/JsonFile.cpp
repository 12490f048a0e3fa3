#include "core/JsonFile.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "core/Catalogue.h"

namespace tracelint {

namespace {

bool isJsonSpace(char C) { return C == ' ' || C == '\t' || C == '\n' || C == '\r'; }

std::string escapePointerToken(const std::string& Key) {
  std::string Out;
  for (char C : Key) Out += C == '~' ? "~0" : C == '/' ? "~1" : std::string(1, C);
  return Out;
}

}  // namespace

JsonPositions::JsonPositions(const std::string& Text) : Text(Text) {
  struct Frame {
    bool Object;
    std::string Pointer;
    bool Tracked;  // within kMaxTrackedDepth
    std::size_t Count = 0;
    std::set<std::string> Keys;
  };
  // Pointers grow with depth, so recording every level would cost the square of the depth (fuzzed
  // inputs nest 100,000 deep); the files read this way need a handful of levels.
  constexpr std::size_t kMaxTrackedDepth = 16;
  std::vector<Frame> Stack;
  std::size_t I = Text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0, N = Text.size();  // nlohmann skips a BOM too
  auto SkipSpace = [&] {
    while (I < N && isJsonSpace(Text[I])) ++I;
  };
  auto SkipString = [&] {
    for (++I; I < N && Text[I] != '"'; ++I)
      if (Text[I] == '\\') ++I;
    ++I;
  };
  std::string ValuePointer;
  // Reads a member's key: records where it starts and whether the object already has it.
  auto ReadKey = [&](Frame& F) {
    SkipSpace();
    std::size_t Start = I;
    SkipString();
    if (!F.Tracked) {
      SkipSpace();
      ++I;  // ':'
      return;
    }
    std::string Key;
    try {
      Key = nlohmann::json::parse(Text.substr(Start, I - Start)).get<std::string>();  // decodes escapes
    } catch (const nlohmann::json::exception&) {
      Key = Text.substr(Start, I - Start);
    }
    ValuePointer = F.Pointer + "/" + escapePointerToken(Key);
    Offsets.emplace(ValuePointer, Start);
    if (!F.Keys.insert(Key).second && Duplicate.empty()) {
      Duplicate = ValuePointer;
      Offsets[ValuePointer] = Start;
    }
    SkipSpace();
    ++I;  // ':'
  };
  auto StartElement = [&](Frame& F) {
    SkipSpace();
    if (!F.Tracked) return;
    ValuePointer = F.Pointer + "/" + std::to_string(F.Count);
    Offsets.emplace(ValuePointer, I);
  };
  bool ExpectValue = true;
  while (true) {
    SkipSpace();
    if (I >= N) break;
    if (ExpectValue) {
      char C = Text[I];
      if (C == '{' || C == '[') {
        bool Tracked = Stack.size() < kMaxTrackedDepth && (Stack.empty() || Stack.back().Tracked);
        Stack.push_back({C == '{', Tracked ? ValuePointer : std::string(), Tracked});
        ++I;
        SkipSpace();
        if (I < N && (Text[I] == '}' || Text[I] == ']')) {
          ++I;
          Stack.pop_back();
          ExpectValue = false;
        } else if (Stack.back().Object) {
          ReadKey(Stack.back());
        } else {
          StartElement(Stack.back());
        }
        continue;
      }
      if (C == '"') {
        SkipString();
      } else {
        while (I < N && !isJsonSpace(Text[I]) && Text[I] != ',' && Text[I] != ']' && Text[I] != '}') ++I;
      }
      ExpectValue = false;
      continue;
    }
    if (Stack.empty()) break;
    char C = Text[I++];
    if (C == ',') {
      auto& F = Stack.back();
      ++F.Count;
      if (F.Object)
        ReadKey(F);
      else
        StartElement(F);
      ExpectValue = true;
    } else {
      Stack.pop_back();  // '}' or ']'
    }
  }
}

std::size_t JsonPositions::offsetOf(const std::string& Pointer) const {
  auto It = Offsets.find(Pointer);
  return It == Offsets.end() ? 0 : It->second;
}

std::string JsonPositions::site(const std::string& Path, const std::string& Pointer) const {
  auto [L, C] = lineColumnOf(Text, offsetOf(Pointer));
  return Path + ":" + std::to_string(L) + ":" + std::to_string(C);
}

std::uint64_t boundedInteger(const nlohmann::json& J, std::uint64_t Max, const std::string& What) {
  // Parsed text holds non-negative integers as unsigned, values built in code as signed.
  bool NonNegative = J.is_number_unsigned() || (J.is_number_integer() && J.get<std::int64_t>() >= 0);
  if (!NonNegative || J.get<std::uint64_t>() > Max)
    throw std::out_of_range(What + " must be an integer from 0 to " + std::to_string(Max) + ", not " + J.dump());
  return J.get<std::uint64_t>();
}

std::string readablePointer(const std::string& Pointer) {
  std::string Out;
  std::size_t I = 0;
  while (I < Pointer.size()) {
    std::size_t End = Pointer.find('/', I + 1);
    std::string Token = Pointer.substr(I + 1, End == std::string::npos ? std::string::npos : End - I - 1);
    bool Index = !Token.empty() && Token.find_first_not_of("0123456789") == std::string::npos;
    std::string Key;
    for (std::size_t K = 0; K < Token.size(); ++K) {
      if (Token[K] == '~' && K + 1 < Token.size())
        Key += Token[++K] == '0' ? '~' : '/';
      else
        Key += Token[K];
    }
    Out += Index ? "[" + Key + "]" : (Out.empty() ? "" : ".") + Key;
    if (End == std::string::npos) break;
    I = End;
  }
  return Out;
}

bool parseJsonText(const std::string& Text, const std::string& Path, const std::string& What, nlohmann::json& Out,
                   std::string& Error, bool RejectDuplicateKeys) {
  try {
    Out = nlohmann::json::parse(Text);
  } catch (const nlohmann::json::parse_error& E) {
    auto [L, C] = lineColumnOf(Text, E.byte == 0 ? 0 : E.byte - 1);
    Error = Path + ":" + std::to_string(L) + ":" + std::to_string(C) + ": malformed " + What + ": " + E.what();
    return false;
  } catch (const nlohmann::json::exception& E) {
    // Not a syntax error but still unreadable, e.g. a number too large for a double (found by fuzzing).
    Error = Path + ": malformed " + What + ": " + E.what();
    return false;
  }
  if (RejectDuplicateKeys) {
    JsonPositions Pos(Text);
    if (!Pos.duplicate().empty()) {
      Error = Pos.site(Path, Pos.duplicate()) + ": malformed " + What + ": '" + readablePointer(Pos.duplicate()) +
              "' is given twice";
      return false;
    }
  }
  return true;
}

bool readJsonFile(const std::string& Path, const std::string& What, nlohmann::json& Out, std::string& Error,
                  std::string* Text, bool RejectDuplicateKeys) {
  std::ifstream In(Path, std::ios::binary);
  if (!In) {
    std::error_code EC;
    Error = Path + ": cannot read the " + What + " (" +
            (std::filesystem::exists(Path, EC) ? "unreadable: " + std::string(std::strerror(errno)) : "no such file") +
            ")";
    return false;
  }
  std::stringstream SS;
  SS << In.rdbuf();
  std::string Content = SS.str();
  if (Text) *Text = Content;
  return parseJsonText(Content, Path, What, Out, Error, RejectDuplicateKeys);
}

}  // namespace tracelint
