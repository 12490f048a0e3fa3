#include "output/FixApplier.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>

#include "output/OutputFile.h"

namespace tracelint {

namespace {

struct Replacement {
  unsigned Offset, Length;
  const std::string *Text, *Original;
  std::size_t Unit;  // index of the finding
};

std::string describe(const Finding& F) {
  return F.CheckId + " at " + std::to_string(F.Where.Line) + ":" + std::to_string(F.Where.Column);
}

bool sameEdit(const Replacement& A, const Replacement& B) {
  return A.Offset == B.Offset && A.Length == B.Length && *A.Text == *B.Text;
}

// Overlapping ranges, or two different edits at one offset (their order would be a guess).
bool collide(const Replacement& A, const Replacement& B) {
  if (sameEdit(A, B)) return false;
  if (A.Offset == B.Offset) return true;
  const auto& First = A.Offset < B.Offset ? A : B;
  const auto& Second = A.Offset < B.Offset ? B : A;
  return Second.Offset < First.Offset + First.Length;
}

}  // namespace

FixPlan planFixes(const std::vector<Finding>& Findings,
                  const std::function<std::optional<std::string>(const std::string&)>& CurrentText) {
  FixPlan Plan;
  std::map<std::string, std::vector<Replacement>> ByFile;
  for (std::size_t K = 0; K < Findings.size(); ++K)
    for (const auto& X : Findings[K].Fixes)
      ByFile[X.Begin.File].push_back({X.FileOffset, X.Length, &X.Replacement, &X.Original, K});

  // Units that cannot be applied, for any reason in any of their files.
  std::set<std::size_t> Dropped;
  std::map<std::string, std::string> Texts;
  for (auto& [File, Reps] : ByFile) {
    auto Now = CurrentText(File);
    if (!Now) {
      Plan.Problems.push_back(File + ": cannot read the file; its fixes were not applied");
      for (const auto& R : Reps) Dropped.insert(R.Unit);
      continue;
    }
    bool Changed = false;
    for (const auto& R : Reps)
      Changed |= static_cast<std::size_t>(R.Offset) + R.Length > Now->size() ||
                 (R.Length && Now->compare(R.Offset, R.Length, *R.Original) != 0);
    if (Changed) {
      Plan.Problems.push_back(File +
                              ": changed since it was analyzed; its fixes were not applied (run tracelint again)");
      for (const auto& R : Reps) Dropped.insert(R.Unit);
      continue;
    }
    std::stable_sort(Reps.begin(), Reps.end(), [](const Replacement& A, const Replacement& B) {
      return A.Offset != B.Offset ? A.Offset < B.Offset : A.Length < B.Length;
    });
    // Replacements are sorted by offset, so each one can only collide with the ones before it
    // that reach past its start; check against all earlier ones still open.
    for (std::size_t I = 0; I < Reps.size(); ++I) {
      for (std::size_t J = 0; J < I; ++J) {
        if (!collide(Reps[J], Reps[I])) continue;
        const auto &A = Findings[Reps[J].Unit], &B = Findings[Reps[I].Unit];
        if (Reps[J].Unit == Reps[I].Unit)
          Plan.Problems.push_back(File + ": the fixes of " + describe(A) + " overlap each other; not applied");
        else
          Plan.Problems.push_back(File + ": conflicting fixes: " + describe(A) + " and " + describe(B) +
                                  " edit the same text; neither was applied");
        Dropped.insert(Reps[J].Unit);
        Dropped.insert(Reps[I].Unit);
      }
    }
    Texts[File] = std::move(*Now);
  }

  for (auto& [File, Reps] : ByFile) {
    auto It = Texts.find(File);
    if (It == Texts.end()) continue;
    std::vector<Replacement> Kept;
    std::set<std::size_t> Units;
    for (const auto& R : Reps) {
      if (Dropped.count(R.Unit)) continue;
      Units.insert(R.Unit);
      if (!Kept.empty() && sameEdit(Kept.back(), R)) continue;  // one macro, several findings: once
      Kept.push_back(R);
    }
    if (Kept.empty()) continue;
    std::string Text = It->second;
    // Back to front, so earlier offsets stay valid.
    for (auto R = Kept.rbegin(); R != Kept.rend(); ++R) Text.replace(R->Offset, R->Length, *R->Text);
    Plan.Edits.push_back({File, std::move(Text), static_cast<unsigned>(Units.size())});
  }
  return Plan;
}

bool applyFixPlan(const FixPlan& Plan, std::string& Error) {
  struct Staging {
    std::string Tmp, Target;
    const std::string* Text;
    bool InPlace;  // other hard links, or an owner the new file cannot be given
  };
  std::vector<Staging> Staged;
  auto Abandon = [&] {
    for (const auto& S : Staged) std::remove(S.Tmp.c_str());
    return false;
  };
  for (const auto& E : Plan.Edits) {
    // A symlinked source is fixed where it really lives; renaming over the link would turn it into
    // a regular file and leave the real source unfixed.
    std::string Why;
    std::string Target = resolveOutputPath(E.File, Why);
    struct stat St{};
    if (Target.empty() || ::stat(Target.c_str(), &St) != 0) {
      Error = E.File + ": " + (Target.empty() ? Why : std::string(std::strerror(errno))) + "; no fix was applied";
      return Abandon();
    }
    // The fixed file keeps the original's permission bits and owner. Staged even when it will be
    // written in place: the whole text is known to fit on the disk before any file changes.
    std::string Tmp = stageBeside(Target, E.NewText, St.st_mode & 07777, Why);
    if (Tmp.empty()) {
      Error = "cannot write the fixes of " + E.File + ": " + Why + "; no fix was applied";
      return Abandon();
    }
    bool InPlace = St.st_nlink > 1;
    if (!InPlace && (St.st_uid != ::geteuid() || St.st_gid != ::getegid()))
      InPlace = ::chown(Tmp.c_str(), St.st_uid, St.st_gid) != 0 || ::chmod(Tmp.c_str(), St.st_mode & 07777) != 0;
    Staged.push_back({Tmp, Target, &E.NewText, InPlace});
  }
  for (std::size_t I = 0; I < Staged.size(); ++I) {
    const auto& S = Staged[I];
    std::string Why;
    bool Ok = S.InPlace ? writeInPlace(S.Target, *S.Text, Why) : std::rename(S.Tmp.c_str(), S.Target.c_str()) == 0;
    if (!Ok) {
      Error = "cannot replace " + S.Target + ": " + (S.InPlace ? Why : std::string(std::strerror(errno))) +
              (I ? "; the files before it in this list were fixed" : "; no fix was applied");
      for (std::size_t J = I; J < Staged.size(); ++J) std::remove(Staged[J].Tmp.c_str());
      return false;
    }
    if (S.InPlace) std::remove(S.Tmp.c_str());
  }
  return true;
}

}  // namespace tracelint
