#pragma once
// Writing a file the user named (TL_REPORT, write_report) without damaging what the name points at.
#include <string>

namespace tl::detail {

// Writes `text` to `path`. A regular file, or a name that does not exist yet, is replaced atomically
// through a temporary file beside the real target (symbolic links are followed, so the link itself
// stays a link). Anything else the name reaches (a device such as /dev/full or /dev/null, a FIFO,
// /dev/stdout) is written in place: renaming over it would swap a device for a regular file.
// Returns "" on success, else the reason (the errno text of the step that failed).
std::string write_output_file(const std::string& path, const std::string& text);

}  // namespace tl::detail
