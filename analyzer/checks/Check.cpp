#include "checks/Check.h"

#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

namespace tracelint {

using namespace clang;

std::map<std::string, RegisteredCheck>& checkRegistry() {
  static std::map<std::string, RegisteredCheck> R;
  return R;
}

const CrossFileResolver* crossFileResolver(const std::string& Id) {
  auto It = checkRegistry().find(Id);
  return It == checkRegistry().end() || !It->second.ResolveAcrossFiles ? nullptr : &It->second.ResolveAcrossFiles;
}

SourcePoint CheckContext::point(SourceLocation Loc) const {
  const auto& SM = Ctx.getSourceManager();
  auto FL = SM.getFileLoc(Loc);
  SourcePoint P;
  if (FL.isInvalid()) return P;
  auto Decomp = SM.getDecomposedLoc(FL);
  // Absolute paths: a compile database may name files relative to its directory, and reports,
  // NOLINT lookups and carets must not depend on the current directory.
  if (auto FE = SM.getFileEntryRefForID(Decomp.first)) {
    auto Real = FE->getFileEntry().tryGetRealPathName();
    P.File = Real.empty() ? FE->getName().str() : Real.str();
  }
  P.Line = SM.getLineNumber(Decomp.first, Decomp.second);
  P.Column = SM.getColumnNumber(Decomp.first, Decomp.second);
  return P;
}

SourcePoint CheckContext::endOf(SourceRange R) const {
  const auto& SM = Ctx.getSourceManager();
  auto Last = SM.getFileLoc(R.getEnd());
  auto Begin = point(R.getBegin());
  auto End = point(Lexer::getLocForEndOfToken(Last, 0, SM, Ctx.getLangOpts()));
  bool After = End.Line > Begin.Line || (End.Line == Begin.Line && End.Column > Begin.Column);
  return End.File == Begin.File && Begin.Line != 0 && After ? End : SourcePoint{};
}

}  // namespace tracelint
