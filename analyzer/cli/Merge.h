#pragma once
// `tracelint merge <summaries...> <results...>`: the end of a run split over shards (a CI matrix,
// one Bazel action per translation unit). The shards' results are joined, the open calls of every
// shard's traced regions are resolved through the summaries of all shards, and the cross-file
// findings go through the same filters as in one run (cli/FindingFilter.h), so the report is the
// one a single run over all files writes.
#include <string>
#include <vector>

#include "cli/Driver.h"
#include "core/Catalogue.h"

namespace tracelint {

// Returns false and sets Error (naming the file) when an input cannot be used (exit code 2).
// Warnings: what a sharded run cannot see (a capture wrapper called from another shard).
bool mergeExports(const std::vector<std::string>& Paths, const std::string& ToolVersion, const Catalogue& Cat,
                  DriverOutput& Out, std::string& Error, std::vector<std::string>& Warnings);

}  // namespace tracelint
