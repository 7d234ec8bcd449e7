-- Headless Neovim drives "Decompose IoT app" through its built-in LSP client, then saves the
-- created buffers (as a user would with :wall) and hovers a generated function. Run as
--   GPIOT_SERVER=… GPIOT_TEST_OUT=summary.json nvim --headless -u init.lua app.py -c 'luafile decompose.lua'
-- It writes a JSON summary to $GPIOT_TEST_OUT and quits.
local TITLE = 'Decompose IoT app'
local timeout_ms = tonumber(vim.env.GPIOT_TEST_TIMEOUT or '1200') * 1000
local out_path = assert(vim.env.GPIOT_TEST_OUT, 'GPIOT_TEST_OUT is not set')
local start = vim.uv.hrtime()
local function now()
  return (vim.uv.hrtime() - start) / 1e9
end

local summary = {
  nvim = tostring(vim.version()),
  attached = false,
  code_actions = {},
  chosen = vim.NIL,
  apply_edits = {},
  show_documents = {},
  progress = {},
  messages = {},
  save_errors = {},
  files = {},
  hover = vim.NIL,
  errors = {},
  seconds = vim.NIL,
}
local function log(msg)
  io.stderr:write(string.format('[nvim-client %.1fs] %s\n', now(), msg))
end

-- Record what the server asks of the client, then let Neovim's own handlers do the work.
local function wrap(method, record)
  local original = vim.lsp.handlers[method]
  vim.lsp.handlers[method] = function(err, params, ctx, config)
    record(params)
    return original(err, params, ctx, config)
  end
end
wrap('workspace/applyEdit', function(params)
  local ops = {}
  for _, change in ipairs(params.edit.documentChanges or {}) do
    local uri = change.uri or (change.textDocument and change.textDocument.uri) or change.newUri
    table.insert(ops, { kind = change.kind or 'edit', path = vim.uri_to_fname(uri) })
  end
  table.insert(summary.apply_edits, { label = params.label or vim.NIL, t = now(), operations = ops })
  log('applyEdit ' .. (params.label or ''))
end)
wrap('window/showDocument', function(params)
  table.insert(summary.show_documents, { path = vim.uri_to_fname(params.uri), t = now() })
end)
wrap('window/showMessage', function(params)
  table.insert(summary.messages, { type = params.type, message = params.message, t = now() })
  log('showMessage ' .. params.message)
end)

local active, begun = {}, 0
vim.api.nvim_create_autocmd('LspProgress', {
  callback = function(ev)
    local params = ev.data.params
    local value = params.value or {}
    local token = tostring(params.token)
    table.insert(summary.progress, {
      token = token,
      kind = value.kind or vim.NIL,
      title = value.title or vim.NIL,
      message = value.message or vim.NIL,
      t = now(),
    })
    if value.kind == 'begin' then
      active[token] = true
      begun = begun + 1
    elseif value.kind == 'end' then
      active[token] = nil
    end
  end,
})

local function gpiot_client(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr, name = 'gpiot' })[1]
end

local function wait_attached(bufnr)
  local ok = vim.wait(120000, function()
    local client = gpiot_client(bufnr)
    return client ~= nil and client.initialized == true
  end, 50)
  assert(ok, 'the gpiot server did not attach to ' .. vim.api.nvim_buf_get_name(bufnr))
  return gpiot_client(bufnr)
end

local function hover_text(result)
  if not result or not result.contents then
    return ''
  end
  return table.concat(vim.lsp.util.convert_input_to_markdown_lines(result.contents), '\n')
end

local function run()
  vim.cmd('filetype on')
  local app_buf = vim.api.nvim_get_current_buf()
  local app_path = vim.api.nvim_buf_get_name(app_buf)
  local client = wait_attached(app_buf)
  summary.attached = true
  summary.root_dir = client.root_dir or vim.NIL

  -- The code actions at the cursor in the problem statement.
  vim.api.nvim_win_set_cursor(0, { 1, 2 })
  local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  params.context = { diagnostics = {}, triggerKind = 1 }
  local responses = vim.lsp.buf_request_sync(app_buf, 'textDocument/codeAction', params, 30000)
  for _, response in pairs(responses or {}) do
    for _, action in ipairs(response.result or {}) do
      table.insert(summary.code_actions, { title = action.title, kind = action.kind or vim.NIL })
    end
  end
  log('code actions: ' .. vim.inspect(vim.tbl_map(function(a) return a.title end, summary.code_actions)))

  -- Choose and run it the way a user does: vim.lsp.buf.code_action, filtered to the one action.
  vim.lsp.buf.code_action({
    filter = function(action)
      if action.title == TITLE then
        summary.chosen = { title = action.title, command = action.command or vim.NIL }
        return true
      end
      return false
    end,
    apply = true,
  })
  local finished = vim.wait(timeout_ms, function()
    return begun > 0 and next(active) == nil
  end, 200)
  if not finished then
    table.insert(summary.errors, 'decompose did not finish (progress never ended) in time')
  end

  -- Save every buffer the edits created or changed, as :wall does, and note what failed.
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.bo[buf].modified then
      local name = vim.api.nvim_buf_get_name(buf)
      local ok, err = pcall(vim.api.nvim_buf_call, buf, function()
        vim.cmd('silent write')
      end)
      if not ok then
        table.insert(summary.save_errors, { path = name, error = tostring(err) })
      end
    end
  end

  local root = client.root_dir or vim.fs.dirname(app_path)
  for name, kind in vim.fs.dir(root, { depth = 4 }) do
    if kind == 'file' then
      table.insert(summary.files, name)
    end
  end
  table.sort(summary.files)

  -- Hover the first generated function, in the buffer the workspace edit created.
  local module
  for _, edit in ipairs(summary.apply_edits) do
    for _, op in ipairs(edit.operations) do
      if op.kind == 'create' and op.path:match('_subtasks/%d+_[%w_]+%.py$') then
        module = module or op.path
      end
    end
  end
  if module then
    vim.cmd('buffer ' .. vim.fn.bufnr(module))
    local buf = vim.api.nvim_get_current_buf()
    if vim.bo[buf].filetype == '' then
      vim.cmd('filetype detect')
    end
    wait_attached(buf)
    local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
    for i, line in ipairs(lines) do
      local name = line:match('^def%s+([%a_][%w_]*)%s*%(')
      if name then
        local col = line:find(name, 1, true)
        vim.api.nvim_win_set_cursor(0, { i, col })
        local hparams = vim.lsp.util.make_position_params(0, client.offset_encoding)
        local results = vim.lsp.buf_request_sync(buf, 'textDocument/hover', hparams, 30000)
        local text = ''
        for _, r in pairs(results or {}) do
          text = text .. hover_text(r.result)
        end
        summary.hover = { path = module, ['function'] = name, line = i - 1, text = text }
        break
      end
    end
  end
end

local ok, err = xpcall(run, debug.traceback)
if not ok then
  table.insert(summary.errors, tostring(err))
  log('error: ' .. tostring(err))
end
summary.seconds = now()
local file = assert(io.open(out_path, 'w'))
file:write(vim.json.encode(summary))
file:close()
vim.cmd('qa!')
