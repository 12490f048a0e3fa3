#pragma once
// The check interface and registry. A check's id is spelled once, at its registration; findings,
// message keys and summaries take it from the CheckContext. The id must be in the catalogue
// (rules/catalogue.json): the driver refuses to start when a registered check has no entry.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "clang/AST/ASTContext.h"
#include "core/Finding.h"
#include "model/Summaries.h"
#include "model/TracedRegions.h"

namespace tracelint {

struct CheckContext {
  clang::ASTContext& Ctx;
  const TracedRegionModel& Model;
  std::function<void(Finding)> Report;
  std::string CheckId;                 // of the running check
  FileSummaries* Summaries = nullptr;  // where a check with a cross-file part records this file's share
  SourcePoint point(clang::SourceLocation Loc) const;
  // The point just past the last token of R, or Line 0 when R does not end after its start in the
  // same file (a range spread over macro expansions).
  SourcePoint endOf(clang::SourceRange R) const;
};

class Check {
 public:
  virtual ~Check() = default;
  virtual void run(const CheckContext& C) = 0;
};

// A check whose hazard can span translation units records open calls and function summaries while
// it runs on each file; after every file, its resolver turns the open calls it recorded into
// findings using the summaries of all files.
using CrossFileResolver =
    std::function<std::vector<Finding>(const std::vector<OpenCall>&, const std::map<std::string, FunctionSummary>&)>;

struct RegisteredCheck {
  std::function<std::unique_ptr<Check>()> Create;
  CrossFileResolver ResolveAcrossFiles;  // empty for checks that see one file only
};

std::map<std::string, RegisteredCheck>& checkRegistry();

// The resolver of the check registered as Id, or nullptr when it has none (or no check is Id).
const CrossFileResolver* crossFileResolver(const std::string& Id);

template <class T>
struct CheckRegistration {
  explicit CheckRegistration(const char* Id) {
    RegisteredCheck R;
    R.Create = [] { return std::make_unique<T>(); };
    if constexpr (requires { &T::resolveAcrossFiles; }) R.ResolveAcrossFiles = &T::resolveAcrossFiles;
    checkRegistry()[Id] = std::move(R);
  }
};

}  // namespace tracelint
