#!/usr/bin/env python3
"""`tracelint lsp` on bad and unusual input: every problem gets a JSON-RPC error or a clear message on
stderr, never a crash or a hang. Each session is bounded by a timeout; none depends on speed.
Usage: protocol_test.py <tracelint>"""
import json
import subprocess
import sys

tool = sys.argv[1]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def frame(obj):
    body = (obj if isinstance(obj, str) else json.dumps(obj)).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def session(raw):
    """Sends raw bytes, closes stdin, returns (exit code, messages received, stderr)."""
    p = subprocess.run([tool, "lsp", "--", "-std=c++20"], input=raw, capture_output=True, timeout=120)
    out, msgs = p.stdout, []
    while out:
        head, _, rest = out.partition(b"\r\n\r\n")
        n = int(head.split(b":")[1])
        msgs.append(json.loads(rest[:n]))
        out = rest[n:]
    return p.returncode, msgs, p.stderr.decode(errors="replace")


init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
bye = frame({"jsonrpc": "2.0", "id": 99, "method": "shutdown"}) + frame({"jsonrpc": "2.0", "method": "exit"})

# A clean session: capabilities, then shutdown and exit with 0.
rc, msgs, err = session(frame(init) + bye)
check(rc == 0, f"clean session: exit {rc}: {err}")
caps = msgs[0].get("result", {}).get("capabilities", {}) if msgs else {}
check(caps.get("hoverProvider") is True and caps.get("textDocumentSync", {}).get("save") is not None,
      f"capabilities: {caps}")
check(bool(caps.get("codeActionProvider")), f"no code actions announced: {caps}")
check(caps.get("textDocumentSync", {}).get("change") == 2, f"incremental sync not announced: {caps}")

# Requests before initialize; not JSON; unknown method; bad params; a non-file URI. The server answers
# each and keeps serving.
rc, msgs, err = session(
    frame({"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": {}}) + frame(init) + frame("{not json")
    + frame({"jsonrpc": "2.0", "id": 3, "method": "workspace/symbol", "params": {}})
    + frame({"jsonrpc": "2.0", "id": 4, "method": "textDocument/hover", "params": {"textDocument": {}}})
    + frame({"jsonrpc": "2.0", "id": 5, "method": "textDocument/hover",
             "params": {"textDocument": {"uri": "file:///x.cpp"}, "position": {"line": -1, "character": 0}}})
    + frame({"jsonrpc": "2.0", "method": "textDocument/didOpen",
             "params": {"textDocument": {"uri": "untitled:1", "languageId": "cpp", "version": 1, "text": ""}}})
    + frame({"jsonrpc": "2.0", "method": "textDocument/didOpen",
             "params": {"textDocument": {"uri": "file:///tmp/a%00b.cpp", "languageId": "cpp", "version": 1, "text": ""}}})
    + frame({"jsonrpc": "2.0", "id": 6, "method": "textDocument/hover",
             "params": {"textDocument": {"uri": "file:///x.cpp"}, "position": {"line": 2**32 + 1, "character": 0}}})
    + frame({"jsonrpc": "2.0", "id": 7, "method": "$/cancelRequest", "params": {"id": 6}})
    + frame([1, 2]) + bye)
errors = [(m.get("id"), m["error"]["code"]) for m in msgs if "error" in m]
codes = dict(errors)
check(codes.get(1) == -32002, f"request before initialize: {codes}")
check((None, -32700) in errors, f"no parse error for text that is not JSON: {errors}")
check((None, -32600) in errors, f"no invalid-request error for JSON that is not a request: {errors}")
check(codes.get(3) == -32601, f"unknown method: {codes}")
check(codes.get(4) == -32602, f"missing uri: {codes}")
check(codes.get(5) == -32602, f"negative line: {codes}")
check(any(m.get("method") == "window/logMessage" and "untitled:1" in m["params"]["message"] for m in msgs),
      "a non-file URI is not reported")
check(any(m.get("method") == "window/logMessage" and "%00" in m["params"]["message"] for m in msgs),
      "a file URI holding %00 is analyzed (it names another file once cut at the NUL)")
check(codes.get(6) == -32602, f"a line above 2^32 is not refused (it would wrap around): {codes}")
check(rc == 0 and any(m.get("id") == 99 and "result" in m for m in msgs), f"the server did not keep serving: {rc} {err}")

# Broken framing: a clear message and exit 1, not a hang.
for raw, expect in ((b"Content-Type: x\r\n\r\n{}", "without a Content-Length"),
                    (b"Content-Length: nine\r\n\r\n{}", "not a number"),
                    (b"Content-Length: 100\r\n\r\n{}", "ended inside a message's body"),
                    (b"Content-Length: 99999999999\r\n\r\n", "over the limit"),
                    (b"garbage without a colon\r\n\r\n", "without ':'")):
    rc, msgs, err = session(frame(init) + raw)
    check(rc == 1 and expect in err, f"{raw[:30]!r}: exit {rc}, stderr {err!r}")
# The input ends without shutdown: exit 1, as the protocol asks.
rc, msgs, err = session(frame(init))
check(rc == 1, f"input ended without shutdown: exit {rc}")
# lsp takes no files.
p = subprocess.run([tool, "lsp", "a.cpp"], capture_output=True, text=True, timeout=60)
check(p.returncode == 2 and "takes no files" in p.stderr, f"lsp with a file: {p.returncode} {p.stderr}")

if failures:
    print("\n".join(failures), file=sys.stderr)
    sys.exit(1)
print("lsp protocol: ok")
