#include "cli/Merge.h"

#include <algorithm>
#include <set>

#include "checks/Check.h"
#include "cli/ExportFile.h"
#include "cli/FindingFilter.h"
#include "model/Summaries.h"

namespace tracelint {

bool mergeExports(const std::vector<std::string>& Paths, const std::string& ToolVersion, const Catalogue& Cat,
                  DriverOutput& Out, std::string& Error, std::vector<std::string>& Warnings) {
  if (Paths.empty()) {
    Error = "merge: no input files (give the files of --export-summaries and --export-results)";
    return false;
  }
  std::vector<std::pair<std::string, ExportFile>> Inputs;
  for (const auto& P : Paths) {
    ExportFile F;
    if (!readExportFile(P, ToolVersion, F, Error)) return false;
    Inputs.emplace_back(P, std::move(F));
  }
  std::map<std::string, std::string> Texts;
  std::set<std::string> Analyzed;
  std::optional<std::string> LineFilterJson;
  std::string LineFilterFrom;
  for (auto& [Path, F] : Inputs) {
    if (F.Results) {
      auto& R = F.Results->Result;
      for (auto& X : R.Findings) Out.Result.Findings.push_back(std::move(X));
      for (auto& X : R.OutsideLineFilter) Out.Result.OutsideLineFilter.push_back(std::move(X));
      Out.Result.Failures.insert(Out.Result.Failures.end(), R.Failures.begin(), R.Failures.end());
      Out.Result.Suppressed += R.Suppressed;
      Out.Result.FilesAnalyzed.insert(Out.Result.FilesAnalyzed.end(), R.FilesAnalyzed.begin(), R.FilesAnalyzed.end());
      Analyzed.insert(R.FilesAnalyzed.begin(), R.FilesAnalyzed.end());
      Texts.insert(F.Results->Sources.begin(), F.Results->Sources.end());
      continue;
    }
    if (LineFilterJson && *LineFilterJson != F.Summaries->LineFilterJson) {
      Error = "'" + Path + "' was written with another --line-filter than '" + LineFilterFrom +
              "'; the shards of one run share their options";
      return false;
    }
    LineFilterJson = F.Summaries->LineFilterJson;
    LineFilterFrom = Path;
    for (const auto& U : F.Summaries->Units) {
      Analyzed.insert({U.File, U.RealPath});
      Texts.insert(U.Sources.begin(), U.Sources.end());
    }
  }
  LineFilter LF;
  if (!parseLineFilter(LineFilterJson.value_or(""), LF, Error)) {
    Error = "'" + LineFilterFrom + "': " + Error;
    return false;
  }

  // Every function's summary, and the capture wrappers by the input that defines them.
  std::map<std::string, FunctionSummary> All;
  std::map<std::string, std::size_t> WrapperInput;
  for (std::size_t I = 0; I < Inputs.size(); ++I) {
    if (!Inputs[I].second.Summaries) continue;
    for (const auto& U : Inputs[I].second.Summaries->Units) {
      All.insert(U.Summaries.Functions.begin(), U.Summaries.Functions.end());
      for (const auto* Wrappers : {&U.Summaries.CaptureBegins, &U.Summaries.CaptureEnds})
        for (const auto& [Usr, Begin] : *Wrappers) WrapperInput.emplace(Usr, I);
    }
  }
  // A file is analyzed with the capture wrappers of its own run only: one that calls a wrapper
  // defined in another shard misses the capture region's findings, which one run would report.
  for (std::size_t I = 0; I < Inputs.size(); ++I) {
    if (!Inputs[I].second.Summaries) continue;
    for (const auto& U : Inputs[I].second.Summaries->Units)
      for (const auto& Usr : U.Summaries.ExternalCallees)
        if (auto It = WrapperInput.find(Usr); It != WrapperInput.end() && It->second != I) {
          Warnings.push_back(U.File + " calls a function that begins or ends a capture in another shard ('" +
                             Inputs[It->second].first + "'); analyze the two files in one shard to see that capture");
          break;
        }
  }

  // Only the texts the inputs carry: a merge reports the same wherever it runs.
  FindingFilter Filter(Cat, LF, Analyzed, [&](const std::string& File) {
    auto It = Texts.find(File);
    return It == Texts.end() ? std::string() : It->second;
  });
  for (const auto& [Path, F] : Inputs) {
    if (!F.Summaries) continue;
    for (const auto& U : F.Summaries->Units) {
      FilterSetup S;
      S.HeaderFilter = U.HeaderFilter;
      S.WarningsAsErrors = U.WarningsAsErrors;
      if (!compileFilterSetup(S, Error)) {
        Error = "'" + Path + "': " + Error;
        return false;
      }
      for (const auto& Open : U.Summaries.OpenCalls) {
        const auto* Resolve = crossFileResolver(Open.CheckId);
        if (!Resolve) {
          Error = "'" + Path + "': an open call of check '" + Open.CheckId +
                  "', which has no cross-file part in this tracelint (summaries from another version?)";
          return false;
        }
        for (auto& X : (*Resolve)({Open}, All)) Filter.accept(X, S, U.RealPath, Out.Result);
      }
    }
  }
  for (const auto& [File, Text] : Texts) Out.Sources.add(File, Text);
  auto& Files = Out.Result.FilesAnalyzed;
  std::sort(Files.begin(), Files.end());
  Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
  finishRun(Out.Result, Out.Sources);
  return true;
}

}  // namespace tracelint
