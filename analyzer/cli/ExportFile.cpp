#include "cli/ExportFile.h"

#include <climits>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "cli/ResultJson.h"

namespace tracelint {

namespace {

constexpr const char* kSummariesFormat = "tracelint-summaries";
constexpr const char* kResultsFormat = "tracelint-results";

nlohmann::json header(const char* Format, const std::string& ToolVersion) {
  return {{"format", Format}, {"version", kExportVersion}, {"tool", "tracelint"}, {"toolVersion", ToolVersion}};
}

std::string dump(const nlohmann::json& J) {
  // Source text may hold bytes that are not UTF-8; replace, never throw.
  return J.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string renderSummaries(const SummaryExport& S, const std::string& ToolVersion) {
  auto J = header(kSummariesFormat, ToolVersion);
  J["lineFilter"] = S.LineFilterJson;
  J["units"] = nlohmann::json::array();
  for (const auto& U : S.Units)
    J["units"].push_back({{"file", U.File},
                          {"realPath", U.RealPath},
                          {"headerFilter", U.HeaderFilter},
                          {"warningsAsErrors", U.WarningsAsErrors},
                          {"summaries", U.Summaries},
                          {"sources", U.Sources}});
  return dump(J);
}

std::string renderResults(const ResultExport& R, const std::string& ToolVersion) {
  auto J = header(kResultsFormat, ToolVersion);
  J["findings"] = R.Result.Findings;
  J["outsideLineFilter"] = R.Result.OutsideLineFilter;
  J["failures"] = R.Result.Failures;
  J["suppressed"] = R.Result.Suppressed;
  J["filesAnalyzed"] = R.Result.FilesAnalyzed;
  J["sources"] = R.Sources;
  return dump(J);
}

namespace {

// A place whose line is 0 or does not fit a signed 32-bit line (a negative number in the JSON
// read into an unsigned) names no line of a file.
void checkPoint(const SourcePoint& P) {
  if (P.Line == 0 || P.Line > static_cast<unsigned>(INT32_MAX))
    throw std::runtime_error("a finding in '" + P.File + "' has line " + std::to_string(static_cast<int>(P.Line)) +
                             ", not a line number");
}

void checkFindings(const std::vector<Finding>& Findings) {
  for (const auto& F : Findings) {
    checkPoint(F.Where);
    for (const auto& N : F.Notes) checkPoint(N.Where);
  }
}

}  // namespace

bool readExportFile(const std::string& Path, const std::string& ToolVersion, ExportFile& Out, std::string& Error) {
  std::ifstream In(Path, std::ios::binary);
  if (!In) {
    Error = "'" + Path + "': cannot read it (missing or unreadable)";
    return false;
  }
  std::stringstream SS;
  SS << In.rdbuf();
  nlohmann::json J;
  try {
    J = nlohmann::json::parse(SS.str());
  } catch (const std::exception& E) {
    Error = "'" + Path + "': not JSON: " + E.what();
    return false;
  }
  std::string Format =
      J.is_object() && J.contains("format") && J["format"].is_string() ? J["format"].get<std::string>() : "";
  if (Format != kSummariesFormat && Format != kResultsFormat) {
    Error = "'" + Path + "': not a file of --export-summaries or --export-results (its \"format\" is not \"" +
            kSummariesFormat + "\" or \"" + kResultsFormat + "\")";
    return false;
  }
  if (!J.contains("version") || J["version"] != kExportVersion) {
    Error = "'" + Path + "': " + Format + " version " + (J.contains("version") ? J["version"].dump() : "(none)") +
            "; this tracelint reads version " + std::to_string(kExportVersion) +
            " (write the file again with this tracelint)";
    return false;
  }
  if (J.value("toolVersion", nlohmann::json()) != ToolVersion) {
    Error = "'" + Path + "': written by tracelint " + J.value("toolVersion", nlohmann::json("(unknown)")).dump() +
            "; this is tracelint " + ToolVersion + " (write it again with this tracelint: the checks may differ)";
    return false;
  }
  try {
    if (Format == kSummariesFormat) {
      SummaryExport S;
      S.LineFilterJson = J.at("lineFilter").get<std::string>();
      for (const auto& U : J.at("units")) {
        UnitSummary Unit;
        Unit.File = U.at("file").get<std::string>();
        Unit.RealPath = U.at("realPath").get<std::string>();
        Unit.HeaderFilter = U.at("headerFilter").get<std::string>();
        Unit.WarningsAsErrors = U.at("warningsAsErrors").get<std::string>();
        Unit.Summaries = U.at("summaries").get<FileSummaries>();
        for (const auto& [Usr, Fn] : Unit.Summaries.Functions)
          for (const auto& W : Fn.Writes) checkPoint(W.Where);
        for (const auto& O : Unit.Summaries.OpenCalls)
          for (const auto& N : O.Notes) checkPoint(N.Where);
        Unit.Sources = U.at("sources").get<std::map<std::string, std::string>>();
        S.Units.push_back(std::move(Unit));
      }
      Out.Summaries = std::move(S);
    } else {
      ResultExport R;
      R.Result.Findings = J.at("findings").get<std::vector<Finding>>();
      R.Result.OutsideLineFilter = J.at("outsideLineFilter").get<std::vector<Finding>>();
      checkFindings(R.Result.Findings);
      checkFindings(R.Result.OutsideLineFilter);
      R.Result.Failures = J.at("failures").get<std::vector<FileFailure>>();
      R.Result.Suppressed = J.at("suppressed").get<unsigned>();
      R.Result.FilesAnalyzed = J.at("filesAnalyzed").get<std::vector<std::string>>();
      R.Sources = J.at("sources").get<std::map<std::string, std::string>>();
      Out.Results = std::move(R);
    }
  } catch (const std::exception& E) {
    Error = "'" + Path + "': malformed " + Format + ": " + E.what();
    return false;
  }
  return true;
}

}  // namespace tracelint
