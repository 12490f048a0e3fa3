// The fingerprint (core/Fingerprint.h) and the baseline (core/Baseline.h).
#include "core/Baseline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "ScratchDir.h"
#include "core/Fingerprint.h"

namespace tracelint {
namespace {

Finding finding(const std::string& File, unsigned Line, const std::string& Entity = "counter") {
  Finding F;
  F.CheckId = "trace-host-mutation";
  F.Where = {File, Line, 5};
  F.TracedFunction = "step";
  F.Entity = Entity;
  F.Message = "m";
  return F;
}

// Assigns fingerprints with the statement text given per line.
void fingerprint(std::vector<Finding>& Fs, const std::map<unsigned, std::string>& Lines,
                 std::vector<Finding>* Outside = nullptr) {
  auto LineOf = [&](const std::string&, unsigned L) { return Lines.count(L) ? Lines.at(L) : std::string(); };
  std::vector<std::vector<Finding>*> Lists{&Fs};
  if (Outside) Lists.push_back(Outside);
  assignFingerprints(Lists, {[&](const SourcePoint& P) { return LineOf(P.File, P.Line); }, LineOf});
}

// The lines of a file's findings after the baseline filtered R.
std::vector<unsigned> reportedLines(const Baseline& B, std::vector<Finding> Findings,
                                    std::vector<Finding> Outside = {}) {
  RunResult R;
  R.Findings = std::move(Findings);
  R.OutsideLineFilter = std::move(Outside);
  B.filter(R);
  std::vector<unsigned> Lines;
  for (const auto& F : R.Findings) Lines.push_back(F.Where.Line);
  return Lines;
}

TEST(Fingerprint, SurvivesLineMovesAndReindentation) {
  std::vector<Finding> A{finding("/p/a.cpp", 10)}, B{finding("/p/a.cpp", 42)};
  fingerprint(A, {{10, "    counter += 1;"}});
  fingerprint(B, {{42, "\tcounter  +=   1;  "}});
  EXPECT_EQ(A[0].Fingerprint, B[0].Fingerprint);
}

TEST(Fingerprint, TheStatementFromTheFindingOnIsWhatCounts) {
  auto F = finding("/p/a.cpp", 1);
  // Re-flowed over lines, other code after it on the line: the same statement.
  EXPECT_EQ(fingerprintBase(F, "counter += 1; return x; });"), fingerprintBase(F, "counter\n      += 1;\n  return y;"));
  EXPECT_EQ(normalizeStatement("  counter\t+=\n 1 ; rest"), "counter += 1");
  EXPECT_EQ(normalizeStatement("tl::function([](int x) { return x; })"), "tl::function([](int x)");
}

TEST(Fingerprint, DependsOnRuleEntityFunctionAndStatement) {
  auto Base = [](Finding F, const std::string& Line) { return fingerprintBase(F, Line); };
  auto F = finding("/p/a.cpp", 1);
  auto Ref = Base(F, "counter += 1;");
  EXPECT_NE(Ref, Base(F, "counter += 2;"));
  EXPECT_NE(Ref, Base(finding("/p/a.cpp", 1, "other"), "counter += 1;"));
  auto G = F;
  G.TracedFunction = "eval";
  EXPECT_NE(Ref, Base(G, "counter += 1;"));
  G = F;
  G.CheckId = "trace-host-io";
  EXPECT_NE(Ref, Base(G, "counter += 1;"));
  EXPECT_EQ(Ref, Base(finding("/elsewhere/b.cpp", 99), "counter += 1;"));  // the path is not part of it
}

TEST(Fingerprint, IdenticalStatementsInOneFileStayDistinct) {
  std::vector<Finding> Fs{finding("/p/a.cpp", 3), finding("/p/a.cpp", 7), finding("/p/b.cpp", 3)};
  fingerprint(Fs, {{3, "counter += 1;"}, {7, "counter += 1;"}});
  EXPECT_NE(Fs[0].Fingerprint, Fs[1].Fingerprint);
  EXPECT_EQ(Fs[0].Fingerprint.substr(0, 16), Fs[1].Fingerprint.substr(0, 16));
  EXPECT_EQ(Fs[0].Fingerprint, Fs[2].Fingerprint);  // another file: its own count
  EXPECT_TRUE(Fs[0].Fingerprint.ends_with(":1"));
  EXPECT_TRUE(Fs[1].Fingerprint.ends_with(":2"));
}

class BaselineTest : public ScratchDirTest {
 protected:
  std::string write(const std::string& Name, const std::string& Text) {
    std::ofstream(Dir / Name) << Text;
    return (Dir / Name).string();
  }
  std::string load(const std::string& Text) {
    std::string Error;
    auto B = Baseline::load(write("bad.json", Text), Error);
    EXPECT_FALSE(B) << "accepted: " << Text;
    return Error;
  }
};

TEST_F(BaselineTest, MatchesByFileAndFingerprintNotLine) {
  auto Src = (Dir / "src" / "a.cpp").string();
  std::vector<Finding> Old{finding(Src, 10)};
  fingerprint(Old, {{10, "counter += 1;"}});
  auto Path = write("baseline.json", Baseline::render(Old, (Dir / "baseline.json").string()));
  EXPECT_NE(slurp(Path).find("\"src/a.cpp\""), std::string::npos) << "files are stored relative to the baseline";
  std::string Error;
  auto B = Baseline::load(Path, Error);
  ASSERT_TRUE(B) << Error;
  EXPECT_EQ(B->size(), 1u);
  // The same finding 30 lines further down, and a new one.
  std::vector<Finding> Now{finding(Src, 40), finding(Src, 41, "total")};
  fingerprint(Now, {{40, "  counter += 1;"}, {41, "total += 1;"}});
  EXPECT_EQ(reportedLines(*B, Now), std::vector<unsigned>{41});
  // The same statement in another file is not covered.
  std::vector<Finding> Other{finding((Dir / "src" / "b.cpp").string(), 10)};
  fingerprint(Other, {{10, "counter += 1;"}});
  EXPECT_EQ(reportedLines(*B, Other), std::vector<unsigned>{10});
}

// Issue 31.3: a new statement identical to an accepted one is never hidden, and is the one reported
// when its neighbours tell it apart.
class IdenticalStatements : public BaselineTest {
 protected:
  // A baseline of "counter += 1;" at each of AcceptedLines in a file of the given lines.
  Baseline accept(const std::map<unsigned, std::string>& Lines, const std::vector<unsigned>& AcceptedLines) {
    std::vector<Finding> Old;
    for (auto L : AcceptedLines) Old.push_back(finding(Src, L));
    fingerprint(Old, Lines);
    std::string Error;
    auto B = Baseline::load(write("baseline.json", Baseline::render(Old, (Dir / "baseline.json").string())), Error);
    EXPECT_TRUE(B) << Error;
    return *B;
  }
  std::vector<unsigned> report(const Baseline& B, const std::map<unsigned, std::string>& Lines,
                               const std::vector<unsigned>& Changed = {}) {
    std::vector<Finding> In, Out;
    for (const auto& [L, Text] : Lines)
      if (Text == "counter += 1;")
        (Changed.empty() || std::find(Changed.begin(), Changed.end(), L) != Changed.end() ? In : Out)
            .push_back(finding(Src, L));
    fingerprint(In, Lines, &Out);
    return reportedLines(B, In, Out);
  }
  void SetUp() override {
    BaselineTest::SetUp();
    Src = (Dir / "a.cpp").string();
  }
  std::string Src;
};

TEST_F(IdenticalStatements, InsertedAboveBelowOrBetween) {
  std::map<unsigned, std::string> One{{1, "a();"}, {2, "counter += 1;"}, {3, "b();"}};
  auto B = accept(One, {2});
  EXPECT_EQ(report(B, One), std::vector<unsigned>{});
  std::map<unsigned, std::string> Above{{1, "counter += 1;"}, {2, "a();"}, {3, "counter += 1;"}, {4, "b();"}};
  EXPECT_EQ(report(B, Above), std::vector<unsigned>{1});
  EXPECT_EQ(report(B, Above, {1}), std::vector<unsigned>{1});  // --diff: the changed line only
  std::map<unsigned, std::string> Below{{1, "a();"}, {2, "counter += 1;"}, {3, "b();"}, {4, "counter += 1;"}};
  EXPECT_EQ(report(B, Below), std::vector<unsigned>{4});
  EXPECT_EQ(report(B, Below, {4}), std::vector<unsigned>{4});
  // Next to the accepted one: the neighbours cannot tell which is new; one of them is reported, and
  // under --diff the one the diff added.
  std::map<unsigned, std::string> Twice{{1, "a();"}, {2, "counter += 1;"}, {3, "counter += 1;"}, {4, "b();"}};
  EXPECT_EQ(report(B, Twice).size(), 1u);
  EXPECT_EQ(report(B, Twice, {2}), std::vector<unsigned>{2});
  EXPECT_EQ(report(B, Twice, {3}), std::vector<unsigned>{3});

  std::map<unsigned, std::string> Two{
      {1, "a();"}, {2, "counter += 1;"}, {3, "b();"}, {4, "counter += 1;"}, {5, "c();"}};
  auto B2 = accept(Two, {2, 4});
  std::map<unsigned, std::string> Between{{1, "a();"}, {2, "counter += 1;"}, {3, "b();"}, {4, "counter += 1;"},
                                          {5, "d();"}, {6, "counter += 1;"}, {7, "c();"}};
  EXPECT_EQ(report(B2, Between), std::vector<unsigned>{6});
  EXPECT_EQ(report(B2, Between, {5, 6}), std::vector<unsigned>{6});
  // A copied block (identical neighbours too) inserted above: under --diff the copy is reported.
  std::map<unsigned, std::string> Copied{{1, "a();"}, {2, "counter += 1;"}, {3, "b();"},
                                         {4, "a();"}, {5, "counter += 1;"}, {6, "b();"}};
  EXPECT_EQ(report(B, Copied, {1, 2, 3}), std::vector<unsigned>{2});
}

TEST_F(IdenticalStatements, AnOlderBaselineWithoutContextsAcceptsNoGrownGroup) {
  std::map<unsigned, std::string> One{{1, "a();"}, {2, "counter += 1;"}, {3, "b();"}};
  std::vector<Finding> Old{finding(Src, 2)};
  fingerprint(Old, One);
  std::string Error;
  auto Path = write("old.json",
                    "{\"tool\": \"tracelint\", \"baselineVersion\": 1, \"findings\": [{\"file\": "
                    "\"a.cpp\", \"fingerprint\": \"" +
                        Old[0].Fingerprint + "\"}]}");
  auto B = Baseline::load(Path, Error);
  ASSERT_TRUE(B) << Error;
  EXPECT_EQ(report(*B, One), std::vector<unsigned>{});
  std::map<unsigned, std::string> Below{{1, "a();"}, {2, "counter += 1;"}, {3, "b();"}, {4, "counter += 1;"}};
  EXPECT_EQ(report(*B, Below), (std::vector<unsigned>{2, 4}));
}

TEST_F(BaselineTest, BadFilesAreErrorsThatSayWhatIsWrong) {
  EXPECT_NE(load("{\"tool\": \"tracelint\", ").find("bad.json:1:"), std::string::npos);
  EXPECT_NE(load("[1, 2]").find("not a tracelint baseline"), std::string::npos);
  EXPECT_NE(
      load("{\"tool\": \"tracelint\", \"baselineVersion\": 9, \"findings\": []}").find("unsupported baselineVersion 9"),
      std::string::npos);
  EXPECT_NE(load("{\"tool\": \"tracelint\", \"baselineVersion\": 1, \"findings\": {}}").find("must be an array"),
            std::string::npos);
  auto E = load("{\"tool\": \"tracelint\", \"baselineVersion\": 1,\n \"findings\": [{\"file\": \"a.cpp\"}]}");
  EXPECT_NE(E.find("bad.json:2:"), std::string::npos) << E;
  EXPECT_NE(E.find("findings[0] needs a non-empty string \"fingerprint\""), std::string::npos) << E;
  std::string Error;
  EXPECT_FALSE(Baseline::load((Dir / "missing.json").string(), Error));
  EXPECT_NE(Error.find("missing.json"), std::string::npos) << Error;
}

}  // namespace
}  // namespace tracelint
