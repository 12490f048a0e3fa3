#pragma once
// Writing what the user points an output at (--output, --export-fixes, --fix, confirm --output)
// without replacing it with something else:
//  - a symbolic link is followed: its target is written and the link stays a link;
//  - a regular file (or a path that does not exist yet) is written to a temporary file beside it
//    and renamed over it, so a reader never sees half a report and a failure leaves the old file;
//    the new file keeps the old one's mode and owner (a run as root keeps a user's file theirs);
//  - a regular file with other hard links, or one whose owner cannot be kept, is written in place
//    through its own inode, so every link sees the new text;
//  - anything else (a FIFO, a terminal, /dev/full), and whatever /dev/stdout or /proc/self/fd/N
//    stands for, is written in place (a file behind a descriptor is appended to, as `>> log`
//    opened it), since a rename would put a regular file where the device or pipe was;
//  - every write error (ENOSPC from /dev/full, EPIPE, EIO) is reported with its errno text.
#include <string>

namespace tracelint {

// The path a write to Path ends up in: symbolic links resolved, also when the final target does
// not exist yet (a dangling link is written through, as a shell redirection would).
std::string resolveOutputPath(const std::string& Path, std::string& Error);

// Writes all of Text to the open descriptor, retrying short writes and EINTR. Returns 0 or errno.
int writeAllToFd(int Fd, const std::string& Text);

// A temporary file beside Target (same directory, so the rename is atomic), holding Text, with
// the permission bits Mode, synced to disk. Returns its path, or "" with Error set.
std::string stageBeside(const std::string& Target, const std::string& Text, unsigned Mode, std::string& Error);

// Overwrites Target's contents through its own inode (owner, mode and links stay); false and Error
// (the errno text) on failure. Not atomic: a crash in the middle leaves a mix, so it is used only
// where a rename would do worse.
bool writeInPlace(const std::string& Target, const std::string& Text, std::string& Error);

// Writes Text to Path as described above. On failure returns false, sets Error to
// "cannot write '<Path>': <reason>" and leaves whatever was at Path as it was.
bool writeOutputFile(const std::string& Path, const std::string& Text, std::string& Error);

}  // namespace tracelint
