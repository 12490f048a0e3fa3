// Outputs never replace what they point at: links are followed, devices and pipes are written in
// place, write errors are reported with their errno text.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ScratchDir.h"
#include "output/OutputFile.h"

namespace tracelint {
namespace {

namespace fs = std::filesystem;

using OutputFile = ScratchDirTest;

TEST_F(OutputFile, NewAndExistingRegularFiles) {
  auto P = Dir / "out.json";
  std::string Error;
  ASSERT_TRUE(writeOutputFile(P.string(), "one", Error)) << Error;
  EXPECT_EQ(slurp(P), "one");
  ::chmod(P.c_str(), 0604);
  ASSERT_TRUE(writeOutputFile(P.string(), "two", Error)) << Error;
  EXPECT_EQ(slurp(P), "two");
  struct stat St{};
  ::stat(P.c_str(), &St);
  EXPECT_EQ(St.st_mode & 07777, 0604u) << "the replaced file keeps its permissions";
  EXPECT_EQ(entries(), 1u) << "no temporary file left behind";
}

TEST_F(OutputFile, ASymlinkIsFollowedAndKept) {
  auto Real = make("real.json", "old");
  auto Link = Dir / "link.json";
  fs::create_symlink("real.json", Link);
  std::string Error;
  ASSERT_TRUE(writeOutputFile(Link.string(), "new", Error)) << Error;
  EXPECT_TRUE(fs::is_symlink(Link));
  EXPECT_EQ(slurp(Real), "new");
  // A dangling link is written through, as `> link` in a shell would.
  auto Dangling = Dir / "dangling.json";
  fs::create_symlink("later.json", Dangling);
  ASSERT_TRUE(writeOutputFile(Dangling.string(), "made", Error)) << Error;
  EXPECT_TRUE(fs::is_symlink(Dangling));
  EXPECT_EQ(slurp(Dir / "later.json"), "made");
  EXPECT_EQ(entries(), 4u) << "no temporary file left behind";
}

TEST_F(OutputFile, ALinkLoopIsAnError) {
  fs::create_symlink("b", Dir / "a");
  fs::create_symlink("a", Dir / "b");
  std::string Error;
  EXPECT_FALSE(writeOutputFile((Dir / "a").string(), "x", Error));
  EXPECT_NE(Error.find("symbolic links"), std::string::npos) << Error;
}

TEST_F(OutputFile, ADeviceIsWrittenInPlaceAndItsErrorReported) {
  std::string Error;
  EXPECT_FALSE(writeOutputFile("/dev/full", "report", Error));
  EXPECT_EQ(Error, "cannot write '/dev/full': No space left on device");
  EXPECT_TRUE(fs::is_character_file("/dev/full")) << "the device was replaced";
  EXPECT_TRUE(writeOutputFile("/dev/null", "report", Error)) << Error;
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
}

TEST_F(OutputFile, AFifoIsWrittenInPlace) {
  auto Fifo = Dir / "fifo";
  ASSERT_EQ(::mkfifo(Fifo.c_str(), 0600), 0);
  // A reader on the other end; opened non-blocking so that the write side's open can complete.
  int Reader = ::open(Fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(Reader, 0);
  std::string Error;
  ASSERT_TRUE(writeOutputFile(Fifo.string(), "through the pipe", Error)) << Error;
  char Buf[64] = {};
  auto N = ::read(Reader, Buf, sizeof Buf);
  ::close(Reader);
  EXPECT_EQ(std::string(Buf, N > 0 ? static_cast<std::size_t>(N) : 0), "through the pipe");
  EXPECT_TRUE(fs::is_fifo(Fifo)) << "the FIFO was replaced by a regular file";
}

TEST_F(OutputFile, ADirectoryOrAMissingParentIsAnError) {
  std::string Error;
  EXPECT_FALSE(writeOutputFile(Dir.string(), "x", Error));
  EXPECT_NE(Error.find("is a directory"), std::string::npos) << Error;
  EXPECT_FALSE(writeOutputFile((Dir / "no" / "such" / "out.json").string(), "x", Error));
  EXPECT_NE(Error.find("No such file or directory"), std::string::npos) << Error;
}

}  // namespace
}  // namespace tracelint
