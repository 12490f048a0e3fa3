#pragma once
// The check interface and registry. A check's id must be in the catalogue (rules/catalogue.json);
// the driver refuses to start when a registered check has no catalogue entry.
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "clang/AST/ASTContext.h"
#include "core/Finding.h"
#include "model/TracedRegions.h"

namespace tracelint {

struct CheckContext {
  clang::ASTContext& Ctx;
  const TracedRegionModel& Model;
  std::function<void(Finding)> Report;
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

using CheckFactory = std::function<std::unique_ptr<Check>()>;
std::map<std::string, CheckFactory>& checkRegistry();

template <class T>
struct CheckRegistration {
  explicit CheckRegistration(const char* Id) {
    checkRegistry()[Id] = [] { return std::make_unique<T>(); };
  }
};

}  // namespace tracelint
