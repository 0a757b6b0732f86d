Content-Length: x

Content-Length: 3

[1]Content-Length: 3

{}}Content-Length: 65

{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}