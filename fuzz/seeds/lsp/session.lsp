Content-Length: 83

{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}Content-Length: 57

{"jsonrpc": "2.0", "method": "initialized", "params": {}}Content-Length: 335

{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": "file:///tmp/fuzz.conf", "languageId": "pmta", "version": 1, "text": "<virtual-mta mta1>\n  smtp-source-host 192.0.2.1 a.example.net\n</virtual-mta>\n<domain *>\n    max-conn 80\n</domain>\n<source 0/0>\n  default-virtual-mta mta1\n</source>\n"}}}Content-Length: 281

{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": "file:///tmp/fuzz.conf", "version": 2}, "contentChanges": [{"range": {"start": {"line": 4, "character": 4}, "end": {"line": 4, "character": 12}}, "text": "max-smtp-out \u00e9\ud83d\ude00"}]}}Content-Length: 163

{"jsonrpc": "2.0", "id": 10, "method": "textDocument/hover", "params": {"position": {"line": 4, "character": 6}, "textDocument": {"uri": "file:///tmp/fuzz.conf"}}}Content-Length: 169

{"jsonrpc": "2.0", "id": 11, "method": "textDocument/completion", "params": {"position": {"line": 7, "character": 22}, "textDocument": {"uri": "file:///tmp/fuzz.conf"}}}Content-Length: 169

{"jsonrpc": "2.0", "id": 12, "method": "textDocument/definition", "params": {"position": {"line": 7, "character": 23}, "textDocument": {"uri": "file:///tmp/fuzz.conf"}}}Content-Length: 210

{"jsonrpc": "2.0", "id": 13, "method": "textDocument/references", "params": {"position": {"line": 0, "character": 15}, "context": {"includeDeclaration": true}, "textDocument": {"uri": "file:///tmp/fuzz.conf"}}}Content-Length: 131

{"jsonrpc": "2.0", "id": 14, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": "file:///tmp/fuzz.conf"}}}Content-Length: 129

{"jsonrpc": "2.0", "id": 15, "method": "textDocument/foldingRange", "params": {"textDocument": {"uri": "file:///tmp/fuzz.conf"}}}Content-Length: 176

{"jsonrpc": "2.0", "id": 16, "method": "textDocument/formatting", "params": {"options": {"tabSize": 2, "insertSpaces": true}, "textDocument": {"uri": "file:///tmp/fuzz.conf"}}}Content-Length: 244

{"jsonrpc": "2.0", "id": 17, "method": "textDocument/codeAction", "params": {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 8, "character": 0}}, "context": {"diagnostics": []}, "textDocument": {"uri": "file:///tmp/fuzz.conf"}}}Content-Length: 69

{"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 99}}Content-Length: 49

{"jsonrpc": "2.0", "id": 2, "method": "shutdown"}Content-Length: 36

{"jsonrpc": "2.0", "method": "exit"}