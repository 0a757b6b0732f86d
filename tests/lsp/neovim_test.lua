-- `pmtalint lsp` driven by Neovim's built-in LSP client (Debian's Neovim 0.7: start_client and
-- buf_attach_client, diagnostics through vim.diagnostic). Exits non-zero on any mismatch.
--   PMTALINT=… FIXTURE=… nvim --headless -u NONE -i NONE -n +"luafile neovim_test.lua"
local pmtalint = assert(os.getenv('PMTALINT'), 'PMTALINT is not set')
local fixture = assert(os.getenv('FIXTURE'), 'FIXTURE is not set')
local failures = 0

local function check(name, ok, detail)
  io.stdout:write((ok and 'ok   ' or 'FAIL ') .. name .. ((ok or detail == nil) and '' or (': ' .. vim.inspect(detail))) .. '\n')
  if not ok then failures = failures + 1 end
end

local function codes(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    table.insert(out, string.format('%s@%d:%d', tostring(code), d.lnum, d.col))
  end
  table.sort(out)
  return table.concat(out, ',')
end

-- A scratch copy, so the fixture on disk is never written.
local copy = vim.fn.tempname() .. '.conf'
vim.fn.writefile(vim.fn.readfile(fixture), copy)
vim.cmd('edit ' .. vim.fn.fnameescape(copy))
local buf = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = 'pmtalint',
  cmd = { pmtalint, 'lsp' },
  root_dir = vim.fn.fnamemodify(copy, ':h'),
  flags = { allow_incremental_sync = true, debounce_text_changes = 20 },
})
check('the client starts the server', client_id ~= nil)
vim.lsp.buf_attach_client(buf, client_id)

local got = vim.wait(10000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
check('diagnostics arrive after opening', got, codes(buf))
check('the unknown directive is reported at line 6, column 5', codes(buf) == 'unknown-directive@5:4', codes(buf))

-- Edit the buffer: fix max-conn. The error goes; the line below becomes a duplicate.
vim.api.nvim_buf_set_lines(buf, 5, 6, false, { '    max-smtp-out 80' })
got = vim.wait(10000, function() return codes(buf) == 'duplicate-directive@6:4' end, 20)
check('an edit updates the diagnostics', got, codes(buf))

local client = vim.lsp.get_client_by_id(client_id)
local function request(method, params)
  local result = vim.lsp.buf_request_sync(buf, method, params, 5000)
  return result and result[client_id] and result[client_id].result
end
local uri = vim.uri_from_bufnr(buf)
local hover = request('textDocument/hover', { textDocument = { uri = uri }, position = { line = 6, character = 6 } })
check('hover explains max-smtp-out', hover ~= nil and hover.contents.value:find('max%-smtp%-out') ~= nil, hover)

local completion = request('textDocument/completion', { textDocument = { uri = uri }, position = { line = 9, character = 24 } })
local labels = {}
for _, item in ipairs((completion and (completion.items or completion)) or {}) do table.insert(labels, item.label) end
check('completion after default-virtual-mta offers the defined VMTA', vim.tbl_contains(labels, 'mta1'), labels)

local definition = request('textDocument/definition', { textDocument = { uri = uri }, position = { line = 9, character = 26 } })
check('go to definition finds <virtual-mta mta1>', definition ~= nil and definition.range ~= nil and definition.range.start.line == 1,
      definition)

check('the server reports its name', client ~= nil and client.name == 'pmtalint')
vim.lsp.stop_client(client_id)
vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
os.remove(copy)
io.stdout:write(failures == 0 and 'passed\n' or (failures .. ' failed\n'))
os.exit(failures == 0 and 0 or 1)
