-- Drives `tracelint lsp` with Neovim's built-in LSP client (run by neovim_test.py, headless).
-- Opens the files it is given, waits for the diagnostics the server publishes, asks for a code
-- action and applies its edit with Neovim's own code, saves (the server analyzes again), hovers,
-- and writes everything the client received to $TL_OUT as JSON. Waits are generous and end as
-- soon as the awaited message is there: the verdict is the content, checked by the Python side.
local timeout = 240000
local out = { published = {} }
local published = {}

local function main()
  local default = vim.lsp.handlers['textDocument/publishDiagnostics']
  vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
    published[result.uri] = (published[result.uri] or 0) + 1
    return default(err, result, ctx, config)
  end
  local client = vim.lsp.start_client({
    name = 'tracelint',
    cmd = { os.getenv('TL_TOOL'), 'lsp', '-p', os.getenv('TL_BUILD') },
    root_dir = os.getenv('TL_BUILD'),
    on_exit = function(code) out.exit_code = code end,
  })
  assert(client, 'the client did not start')

  local function open(path)
    vim.cmd('edit ' .. vim.fn.fnameescape(path))
    local buf = vim.api.nvim_get_current_buf()
    vim.lsp.buf_attach_client(buf, client)
    return buf, vim.uri_from_bufnr(buf)
  end
  local function wait_published(uri, n)
    assert(vim.wait(timeout, function() return (published[uri] or 0) >= n end, 50),
      'no diagnostics published for ' .. uri .. ' (publication ' .. n .. ')')
  end
  local function diagnostics(buf)
    local r = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local lsp = (d.user_data or {}).lsp or {}
      table.insert(r, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, severity = d.severity,
        message = d.message, source = d.source, code = d.code or lsp.code,
        href = (lsp.codeDescription or {}).href })
    end
    table.sort(r, function(a, b) return a.lnum < b.lnum end)
    return r
  end
  local function request(buf, method, params)
    local res, err = vim.lsp.buf_request_sync(buf, method, params, timeout)
    assert(res and res[client], method .. ': no answer: ' .. tostring(err))
    assert(not res[client].err, method .. ': ' .. vim.inspect(res[client].err))
    return res[client].result
  end

  -- The example: its diagnostics, and the hover on the first one.
  local buf, uri = open(os.getenv('TL_EXAMPLE'))
  wait_published(uri, 1)
  out.example = diagnostics(buf)
  local first = out.example[1]
  if first then
    local hover = request(buf, 'textDocument/hover',
      { textDocument = { uri = uri }, position = { line = first.lnum, character = first.col } })
    out.hover = hover and hover.contents and hover.contents.value or vim.NIL
  end

  -- The file with a fix-it: the code action, applied by Neovim, then saved and analyzed again.
  local fbuf, furi = open(os.getenv('TL_FIXFILE'))
  wait_published(furi, 1)
  out.fix_before = diagnostics(fbuf)
  local d = out.fix_before[1]
  assert(d, 'no diagnostic in the file with a fix-it')
  local actions = request(fbuf, 'textDocument/codeAction', {
    textDocument = { uri = furi },
    range = { start = { line = d.lnum, character = 0 }, ['end'] = { line = d.lnum, character = 0 } },
    context = { diagnostics = {} },
  })
  out.actions = actions
  assert(actions and actions[1] and actions[1].edit, 'no code action with an edit')
  vim.lsp.util.apply_workspace_edit(actions[1].edit, 'utf-16')
  out.fixed_line = vim.api.nvim_buf_get_lines(fbuf, d.lnum, d.lnum + 1, false)[1]
  vim.api.nvim_set_current_buf(fbuf)
  vim.cmd('write')
  wait_published(furi, 2)
  out.fix_after = diagnostics(fbuf)

  -- Issue 31.1: two lines added above a finding and not saved. The server follows the buffer: it
  -- offers no fix computed on the old text, publishes diagnostics for the new one (with its
  -- version), and the fix then offered lands on the finding's new line.
  local ebuf, euri = open(os.getenv('TL_EDITFILE'))
  wait_published(euri, 1)
  local e = diagnostics(ebuf)[1]
  assert(e, 'no diagnostic in the file edited before its fix')
  vim.api.nvim_buf_set_lines(ebuf, e.lnum, e.lnum, false, { '    // added above, not saved', '    // another' })
  local function actions_at(line)
    return request(ebuf, 'textDocument/codeAction', {
      textDocument = { uri = euri },
      range = { start = { line = line, character = 0 }, ['end'] = { line = line, character = 0 } },
      context = { diagnostics = {} },
    }) or {}
  end
  out.stale_actions = { old_line = actions_at(e.lnum), new_line = actions_at(e.lnum + 2) }
  wait_published(euri, 2)
  out.edited_diagnostics = diagnostics(ebuf)
  local moved = out.edited_diagnostics[1]
  assert(moved, 'no diagnostic after the unsaved edit')
  local edited_actions = actions_at(moved.lnum)
  assert(edited_actions[1] and edited_actions[1].edit, 'no code action after the unsaved edit')
  vim.lsp.util.apply_workspace_edit(edited_actions[1].edit, 'utf-16')
  out.edited_text = table.concat(vim.api.nvim_buf_get_lines(ebuf, 0, -1, false), '\n')

  vim.lsp.stop_client(client)
  vim.wait(timeout, function() return out.exit_code ~= nil end, 50)
end

local ok, err = pcall(main)
if not ok then out.error = tostring(err) end
vim.fn.writefile({ vim.fn.json_encode(out) }, os.getenv('TL_OUT'))
vim.cmd('qa!')
