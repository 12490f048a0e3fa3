#include "output/FixesYaml.h"

#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/raw_ostream.h"

namespace tracelint {

std::string emitFixesYaml(const RunResult& R, const SourceText& S, const std::string& MainSourceFile,
                          const std::string& BuildDirectory) {
  namespace ct = clang::tooling;
  ct::TranslationUnitDiagnostics TU;
  TU.MainSourceFile = MainSourceFile;
  for (const auto& F : R.Findings) {
    if (F.Fixes.empty()) continue;
    ct::DiagnosticMessage Message;
    Message.Message = F.Message;
    Message.FilePath = F.Where.File;
    Message.FileOffset = fileOffset(F.Where, S);
    bool Overlap = false;
    for (const auto& X : F.Fixes) {
      auto Error = Message.Fix[X.Begin.File].add(ct::Replacement(X.Begin.File, X.FileOffset, X.Length, X.Replacement));
      if (Error) {
        llvm::consumeError(std::move(Error));
        Overlap = true;
      }
    }
    if (Overlap) continue;
    TU.Diagnostics.emplace_back(F.CheckId, Message, llvm::SmallVector<ct::DiagnosticMessage, 1>{},
                                F.Level == Severity::Error ? ct::Diagnostic::Error : ct::Diagnostic::Warning,
                                BuildDirectory);
  }
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  llvm::yaml::Output Yaml(OS);
  Yaml << TU;
  OS.flush();
  return Out;
}

}  // namespace tracelint
