#pragma once
// Whether the test binary runs under a sanitizer: the runtime's write locator and trace stack are
// off then (the sanitizers handle faults and stacks themselves), so tests of them are skipped.
namespace tl_test {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
}  // namespace tl_test
