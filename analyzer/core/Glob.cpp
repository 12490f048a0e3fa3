#include "core/Glob.h"

namespace tracelint {

bool globMatch(const std::string& Pattern, const std::string& Name) {
  // Iterative wildcard match with backtracking to the last '*'.
  std::size_t P = 0, N = 0, Star = std::string::npos, Mark = 0;
  while (N < Name.size()) {
    if (P < Pattern.size() && Pattern[P] == '*') {
      Star = P++;
      Mark = N;
    } else if (P < Pattern.size() && Pattern[P] == Name[N]) {
      ++P;
      ++N;
    } else if (Star != std::string::npos) {
      P = Star + 1;
      N = ++Mark;
    } else {
      return false;
    }
  }
  while (P < Pattern.size() && Pattern[P] == '*') ++P;
  return P == Pattern.size();
}

GlobList::GlobList(const std::string& List) {
  std::size_t Start = 0;
  while (Start <= List.size()) {
    auto End = List.find(',', Start);
    if (End == std::string::npos) End = List.size();
    std::string Item = List.substr(Start, End - Start);
    auto B = Item.find_first_not_of(" \t\n");
    auto E = Item.find_last_not_of(" \t\n");
    if (B != std::string::npos) {
      Item = Item.substr(B, E - B + 1);
      bool Positive = Item[0] != '-';
      if (!Positive) Item = Item.substr(1);
      if (!Item.empty()) Items.push_back({Positive, Item});
    }
    Start = End + 1;
  }
}

bool GlobList::contains(const std::string& Name) const {
  bool Result = false;
  for (const auto& I : Items)
    if (globMatch(I.Pattern, Name)) Result = I.Positive;
  return Result;
}

}  // namespace tracelint
