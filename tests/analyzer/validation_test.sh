#!/usr/bin/env bash
# Packs, configurations, flags and reports are validated (issue 17, items 5 and 6): every mistake is
# a usage error (exit 2) that names the problem, with path:line:col where there is a file.
source "$(dirname "$0")/common.sh"
write_good "$dir/good.cpp"
# usage_error <expected stderr (grep -E)> <tracelint arguments...>
usage_error() {
  local want=$1
  shift
  "$tool" "$@" >/dev/null 2>"$dir/err"; local rc=$?
  [ "$rc" = 2 ] || fail "$*: exit $rc, want 2 ($(cat "$dir/err"))"
  grep -qE -- "$want" "$dir/err" || fail "$*: message '$(cat "$dir/err")' does not match '$want'"
}

# A pack of one's own, written several wrong ways.
mkdir "$dir/acme"
cat > "$dir/acme/acme.cpp" <<'CPP'
namespace acme { template <class F> void capture(F f) { f(); } }
int counter = 0;
int main() { acme::capture([] { ++counter; }); }
CPP
echo '{ "Packs": ["./pack.json"] }' > "$dir/acme/.tracelint.json"
pack() { printf '%s\n' "$@" > "$dir/acme/pack.json"; }
acme=("$dir/acme/acme.cpp" --quiet -- -std=c++20)
pack '{ "pack": "acme", "library_namespaces": ["acme"],' \
     '  "entry_ponits": [ { "kind": "call", "function": "acme::capture" } ] }'
usage_error "pack.json:2:3: malformed API pack: unknown key 'entry_ponits'" "${acme[@]}"
pack '{ "pack": "acme",' \
     '  "entry_points": [ { "kind": "call", "function": "acme::capture", "callable_arg": 4294967296 } ] }'
usage_error "pack.json:2:68: malformed API pack: 'entry_points\[0\]\.callable_arg' must be an integer from 0 to 255" "${acme[@]}"
pack '{ "pack": "acme", "entry_points": [ { "kind": "call", "function": "acme::capture", "callable_arg": -1 } ] }'
usage_error "pack.json:1:.*callable_arg' must be an integer from 0 to 255, not -1" "${acme[@]}"
pack '{ "pack": "acme", "entry_points": [ { "kind": "call", "function": "acme::capture", "callable_arg": 1.5 } ] }'
usage_error "callable_arg' must be an integer" "${acme[@]}"
pack '{ "pack": "acme",' '  "version": 99 }'
usage_error "pack.json:2:3: malformed API pack: version 99 is not supported" "${acme[@]}"
pack '{ "pack": "acme",' '  "state_handle_types": "acme::handle" }'
usage_error "pack.json:2:3: malformed API pack: 'state_handle_types' must be an array" "${acme[@]}"
pack '{ "pack": "acme",' '  "entry_points": [ { "kind": "call", "class": "acme::capture" } ] }'
usage_error "pack.json:2:39: malformed API pack: a \"call\" entry point names its function, not a class" "${acme[@]}"
pack '{ "pack": "acme", "pack": "other" }'
usage_error "pack.json:1:19: malformed API pack: 'pack' is given twice" "${acme[@]}"
# A leading "::" names the same thing as without it.
pack '{ "pack": "acme", "library_namespaces": ["::acme"],' \
     '  "entry_points": [ { "kind": "call", "function": "::acme::capture", "callable_arg": 0 } ] }'
n=$("$tool" "${acme[@]:0:2}" --format=json -- -std=c++20 | count_findings)
[ "$n" = 1 ] || fail "a pack name with a leading '::': $n findings, want 1"

# Issue 16's pack keys: capture regions, message templates, detect names.
pack '{ "pack": "acme",' '  "capture_regions": [ { "begin": "acme::begin" } ] }'
usage_error "pack.json:2:24: malformed API pack: a capture region needs 'end'" "${acme[@]}"
pack '{ "pack": "acme",' '  "capture_regions": [ { "begin": "acme::begin", "end": "acme::end", "handle": 0 } ] }'
usage_error "pack.json:2:.*unknown key 'handle' \(known here: begin, end, handle_arg" "${acme[@]}"
pack '{ "pack": "acme",' '  "capture_regions": [ { "begin": "acme::begin", "end": "acme::end", "handle_arg": -2 } ] }'
usage_error "handle_arg' must be an integer from 0 to 255, not -2 \(-1: none\)" "${acme[@]}"
pack '{ "pack": "acme",' '  "messages": { "trace-host-mutaton": "{subject}" } }'
usage_error "pack.json:2:17: malformed API pack: unknown key 'trace-host-mutaton'" "${acme[@]}"
pack '{ "pack": "acme",' '  "messages": { "trace-function-in-loop": "{subject} in a loop" } }'
usage_error "pack.json:2:17: malformed API pack: unknown placeholder '\{subject\}' \(known here: \{function\}\)" "${acme[@]}"
pack '{ "pack": "acme",' '  "messages": { "trace-host-io": "" } }'
usage_error "pack.json:2:17: malformed API pack: 'messages.trace-host-io' must be a non-empty string" "${acme[@]}"
pack '{ "pack": "acme",' '  "detect": "acme::capture" }'
usage_error "'detect' must be an array" "${acme[@]}"
# A pack with "messages" applies only the rules it writes templates for, in its own words.
pack '{ "pack": "acme", "library_namespaces": ["acme"],' \
     '  "entry_points": [ { "kind": "call", "function": "acme::capture", "callable_arg": 0 } ],' \
     '  "messages": { "trace-host-mutation": "{subject} inside acme capture {function}" } }'
"$tool" "${acme[@]:0:2}" --format=json -- -std=c++20 | grep -q "global 'counter' is incremented inside acme capture" ||
  fail "a pack's own message template is not used"
pack '{ "pack": "acme", "library_namespaces": ["acme"],' \
     '  "entry_points": [ { "kind": "call", "function": "acme::capture", "callable_arg": 0 } ],' \
     '  "messages": { "trace-host-io": "{subject} prints in {function}" } }'
n=$("$tool" "${acme[@]:0:2}" --format=json -- -std=c++20 | count_findings)
[ "$n" = 0 ] || fail "a rule the pack writes no message for still reported: $n findings"
# Shipped packs turn themselves on where their API is declared; "-name" turns one off.
cat > "$dir/capture.cpp" <<'CPP'
extern "C" int cudaStreamBeginCapture(struct CUstream_st *s, int mode);
extern "C" int cudaStreamEndCapture(struct CUstream_st *s, struct CUgraph_st **g);
int steps = 0;
void f(struct CUstream_st *s) { struct CUgraph_st *g; if (cudaStreamBeginCapture(s, 0)) return; ++steps; if (cudaStreamEndCapture(s, &g)) return; }
CPP
n=$("$tool" "$dir/capture.cpp" --quiet --format=json -- -std=c++17 | count_findings)
[ "$n" = 1 ] || fail "cuda-graphs pack not on where cudaStreamBeginCapture is declared: $n findings, want 1"
echo '{ "Packs": ["-cuda-graphs"] }' > "$dir/.tracelint.json"
n=$("$tool" "$dir/capture.cpp" --quiet --format=json -- -std=c++17 | count_findings)
[ "$n" = 0 ] || fail "\"Packs\": [\"-cuda-graphs\"] still reports: $n findings"
echo '{ "Packs": ["tl"] }' > "$dir/.tracelint.json"
n=$("$tool" "$dir/capture.cpp" --quiet --format=json -- -std=c++17 | count_findings)
[ "$n" = 0 ] || fail "\"Packs\": [\"tl\"] still applies cuda-graphs: $n findings"
echo '{ "Packs": ["-nosuch"] }' > "$dir/.tracelint.json"
usage_error "turns off pack 'nosuch', which is not a shipped pack" "$dir/capture.cpp" -- -std=c++17
echo '{ "Packs": ["tl", "-mlx"] }' > "$dir/.tracelint.json"
usage_error "turns off pack 'mlx'.*cannot be mixed" "$dir/capture.cpp" -- -std=c++17
rm "$dir/.tracelint.json"

# Checks: a glob that enables nothing is an error, in --checks, in the configuration and in --list-checks.
usage_error "no checks enabled" "$dir/good.cpp" --checks='-*' "${args[@]}"
usage_error "'nosuch-\*' matches no check" "$dir/good.cpp" --checks='-*,nosuch-*' "${args[@]}"
usage_error "no checks enabled" --list-checks --checks='-*'
# Configuration: duplicate keys and unknown check options name their place.
printf '{\n  "Checks": "trace-*",\n  "Checks": "-*"\n}\n' > "$dir/.tracelint.json"
usage_error "\.tracelint\.json:3:3: malformed configuration: 'Checks' is given twice" "$dir/good.cpp" "${args[@]}"
printf '{ "CheckOptions": {\n    "trace-host-mutation.Strict": true } }\n' > "$dir/.tracelint.json"
usage_error "\.tracelint\.json:2:5: unknown check option 'trace-host-mutation\.Strict' \(trace-host-mutation has no options\)" "$dir/good.cpp" "${args[@]}"
printf '{ "CheckOptions": { "nosuch.Option": 1 } }\n' > "$dir/.tracelint.json"
usage_error "unknown check option 'nosuch\.Option'.*no check is named 'nosuch'" "$dir/good.cpp" "${args[@]}"
rm "$dir/.tracelint.json"
# Flags.
echo '{}' > "$dir/config.json"
usage_error "--config and --config-file cannot be used together" "$dir/good.cpp" --config='{}' --config-file="$dir/config.json" "${args[@]}"
usage_error "--use-color must be auto, true or false, not 'maybe'" "$dir/good.cpp" --use-color=maybe "${args[@]}"
"$tool" "$dir/good.cpp" --quiet --use-color "${args[@]}" >/dev/null || fail "--use-color alone: exit $?"

# Runtime reports: the version is the integer 1, nothing else (1.5e87 was undefined behaviour).
"$tool" "$dir/good.cpp" --quiet --format=json --output="$dir/static.json" "${args[@]}"
for v in 1.5e87 1.5 '"1"' 2 -1 18446744073709551617; do
  printf '{"schema": "tracelint-runtime-report", "version": %s, "observations": []}\n' "$v" > "$dir/run.json"
  "$tool" confirm --static "$dir/static.json" --dynamic "$dir/run.json" >/dev/null 2>"$dir/err"; rc=$?
  [ "$rc" = 2 ] && grep -q "run.json: runtime report version .* is not supported (expected the integer 1)" "$dir/err" ||
    fail "runtime report version $v: exit $rc: $(cat "$dir/err")"
done
printf '{"schema": "tracelint-runtime-report", "version": 1, "observations": [{"rule": "r", "count": 1e300}]}\n' > "$dir/run.json"
"$tool" confirm --static "$dir/static.json" --dynamic "$dir/run.json" >/dev/null 2>"$dir/err"; rc=$?
[ "$rc" = 2 ] && grep -q "count must be an integer" "$dir/err" || fail "count 1e300: exit $rc: $(cat "$dir/err")"
printf '{"schema": "tracelint-runtime-report", "version": 1, "observations": []}\n' > "$dir/run.json"
"$tool" confirm --static "$dir/static.json" --dynamic "$dir/run.json" >/dev/null || fail "version 1 rejected"
echo "validation: ok"
