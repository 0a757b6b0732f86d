#!/usr/bin/python3
"""`pmtalint lsp` against a hostile client: 1 000 malformed messages in one stream (bad and
missing lengths, invalid JSON, wrong types, unknown methods, requests before initialize), then
valid requests that must still be served. Also a message claiming a 4 GB body. Asserts the
answers the protocol requires, exit codes, time, and peak memory of the server.

    malformed_stream.py --binary PATH [--rss-limit-mb N]
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time


def frame(body):
    data = body.encode() if isinstance(body, str) else body
    return b"Content-Length: %d\r\n\r\n" % len(data) + data


def request(id_, method, params=None):
    return frame(json.dumps({"jsonrpc": "2.0", "id": id_, "method": method, "params": params or {}}))


def notification(method, params):
    return frame(json.dumps({"jsonrpc": "2.0", "method": method, "params": params}))


def parse_stream(data):
    messages, pos = [], 0
    while True:
        end = data.find(b"\r\n\r\n", pos)
        if end < 0:
            return messages
        length = int(data[pos:end].split(b":")[1])
        messages.append(json.loads(data[end + 4:end + 4 + length]))
        pos = end + 4 + length


def run(binary, stream, timeout):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.time()
    proc = subprocess.run([binary, "lsp"], input=stream, capture_output=True, timeout=timeout)
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return proc, time.time() - started, rss_mb, before


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--rss-limit-mb", type=int, default=200)
    opts = parser.parse_args()
    failed = 0

    def check(name, ok, detail=""):
        nonlocal failed
        print(f"{'ok  ' if ok else 'FAIL'} {name}" + ("" if ok else f": {detail}"))
        failed += not ok

    kinds = [
        lambda i: frame("{not json " + str(i)),                                      # invalid JSON
        lambda i: frame(json.dumps([1, 2, i])),                                      # not an object
        lambda i: b"Content-Length: twelve\r\n\r\n",                                  # length not a number
        lambda i: b"X-Nothing: %d\r\n\r\n" % i,                                       # no Content-Length
        lambda i: request(10_000 + i, "textDocument/hover", {}),                     # before initialize
        lambda i: frame(json.dumps({"jsonrpc": "2.0", "id": 20_000 + i, "method": 5})),  # method of the wrong type
        lambda i: frame(json.dumps({"jsonrpc": "2.0", "id": {"x": i}, "method": "initialize"})),  # id of the wrong type
        lambda i: b"Content-Length: 3\r\n\r\n" + b'{"jsonrpc": "2.0"}',                 # length too short: garbage follows
        lambda i: notification("textDocument/didOpen", {"textDocument": 7}),          # ignored before initialize
        lambda i: b"\x00\xff\xfe garbage \r\n\r\n",                                    # binary junk
    ]
    stream = b"".join(kinds[i % len(kinds)](i) for i in range(1000))
    doc = "file:///tmp/pmtalint-malformed/config.conf"
    stream += request(1, "initialize", {"capabilities": {}})
    stream += notification("initialized", {})
    stream += request(2, "pmtalint/unknown", {})
    stream += notification("textDocument/didOpen", {"textDocument": {"uri": doc, "languageId": "pmta", "version": 1,
                                                                      "text": "<domain *>\n    max-smtp-out 20\n</domain>\n"}})
    stream += request(3, "textDocument/hover", {"textDocument": {"uri": doc}, "position": "wrong"})
    # Edits whose range is of the wrong type (found by fuzz_lsp: once a use-after-free).
    for bad_range in (5, [], {"start": 1, "end": {}}, {"start": {"line": -1, "character": 0}, "end": None}):
        stream += notification("textDocument/didChange", {"textDocument": {"uri": doc, "version": 2},
                                                          "contentChanges": [{"range": bad_range, "text": "x"}]})
    # Nested a million levels deep: nlohmann parses it, but copying or printing it recursed until
    # the stack ran out (a crash). Refused unparsed, as a request and as a cancellation.
    deep = "[" * 1_000_000 + "]" * 1_000_000
    stream += frame('{"jsonrpc": "2.0", "id": 6, "method": "initialize", "params": ' + deep + '}')
    stream += frame('{"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": ' + deep + '}}')
    stream += request(4, "textDocument/hover", {"textDocument": {"uri": doc}, "position": {"line": 1, "character": 6}})
    stream += request(5, "shutdown")
    stream += notification("exit", {})

    proc, took, rss, _ = run(opts.binary, stream, 60)
    answers = parse_stream(proc.stdout)
    by_id = {m.get("id"): m for m in answers if "id" in m}
    not_initialized = [i for i in range(1000) if i % len(kinds) == 4]
    check("requests before initialize are refused with ServerNotInitialized",
          all(by_id.get(10_000 + i, {}).get("error", {}).get("code") == -32002 for i in not_initialized))
    check("a method of the wrong type is an InvalidRequest",
          all(by_id.get(20_000 + i, {}).get("error", {}).get("code") == -32600 for i in range(1000) if i % len(kinds) == 5))
    parse_errors = [m for m in answers if m.get("id") is None and m.get("error", {}).get("code") == -32700]
    check("invalid JSON gets ParseError responses", len(parse_errors) >= 100, len(parse_errors))
    logs = [m for m in answers if m.get("method") == "window/logMessage"]
    check("framing errors are logged, not fatal", len(logs) >= 300, len(logs))
    check("the final initialize is answered", "capabilities" in by_id.get(1, {}).get("result", {}), by_id.get(1))
    check("an unknown method afterwards gets MethodNotFound", by_id.get(2, {}).get("error", {}).get("code") == -32601)
    check("a position of the wrong type gets InvalidParams", by_id.get(3, {}).get("error", {}).get("code") == -32602,
          by_id.get(3))
    check("a message nested a million levels deep is refused as an InvalidRequest",
          any(m.get("id") is None and m.get("error", {}).get("code") == -32600 and "levels deep" in m["error"]["message"]
              for m in answers))
    check("the final valid request is served", "max-smtp-out" in json.dumps(by_id.get(4, {}).get("result")), by_id.get(4))
    check("shutdown then exit ends with status 0", proc.returncode == 0 and by_id.get(5, {}).get("result", 1) is None,
          proc.returncode)
    check(f"1 000 malformed messages took {took:.2f} s, peak RSS {rss:.0f} MB (limit {opts.rss_limit_mb} MB)",
          took < 30 and rss < opts.rss_limit_mb)

    # A body claimed to be 4 GB: the server reads and drops what comes, holding no more than a
    # chunk, and ends when the stream does (no shutdown: status 1).
    huge = b"Content-Length: 4294967296\r\n\r\n" + b"x" * (8 << 20)
    proc, took, rss, _ = run(opts.binary, request(1, "initialize", {"capabilities": {}}) + huge, 60)
    answers = parse_stream(proc.stdout)
    check(f"a 4 GB Content-Length is dropped in chunks: exit {proc.returncode}, {took:.2f} s, peak RSS {rss:.0f} MB",
          proc.returncode == 1 and rss < opts.rss_limit_mb and any(m.get("id") == 1 for m in answers))

    # Lifecycle and size limits: a second initialize and anything after shutdown are refused;
    # a document with 200 000 findings is published capped, the last entry saying how many
    # were left out, in bounded memory.
    text = "".join(f"max-conn {i}\n" for i in range(200_000))
    stream = (request(1, "initialize", {"capabilities": {}}) + request(2, "initialize", {"capabilities": {}}) +
              notification("textDocument/didOpen", {"textDocument": {"uri": "file:///tmp/pmtalint-big.conf",
                                                                     "languageId": "pmta", "version": 1, "text": text}}) +
              request(3, "shutdown") +
              request(4, "textDocument/hover", {"textDocument": {"uri": "file:///tmp/pmtalint-big.conf"},
                                                "position": {"line": 0, "character": 1}}) +
              notification("exit", {}))
    proc, took, rss, _ = run(opts.binary, stream, 120)
    answers = parse_stream(proc.stdout)
    by_id = {m["id"]: m for m in answers if "id" in m}
    published = [m for m in answers if m.get("method") == "textDocument/publishDiagnostics"]
    check("a second initialize is refused", by_id.get(2, {}).get("error", {}).get("code") == -32600, by_id.get(2))
    check("a request after shutdown is refused", by_id.get(4, {}).get("error", {}).get("code") == -32600, by_id.get(4))
    diagnostics = published[0]["params"]["diagnostics"] if published else []
    check(f"200 000 findings are published capped at 2 001 with a count of the rest ({took:.2f} s, peak RSS {rss:.0f} MB)",
          len(diagnostics) == 2001 and "198000 more findings" in diagnostics[-1]["message"] and rss < opts.rss_limit_mb,
          (len(diagnostics), diagnostics[-1]["message"] if diagnostics else None))
    print("passed" if not failed else f"{failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
