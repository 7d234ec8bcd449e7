-- Minimal Neovim (>= 0.11) setup for the GPIoT language server, as in docs/editors.md, plus the
-- test harness's knobs: GPIOT_SERVER (the gpiot executable) and GPIOT_SETTINGS (JSON settings).
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'

local settings = vim.json.decode(vim.env.GPIOT_SETTINGS or '{}')

vim.lsp.config('gpiot', {
  cmd = { vim.env.GPIOT_SERVER or 'gpiot', 'serve' },
  filetypes = { 'python' },
  -- The workspace root holds .gpiot/manifest.json; a lone file's folder is its own workspace.
  root_dir = function(bufnr, on_dir)
    local root = vim.fs.root(bufnr, { '.gpiot', 'pyproject.toml', '.git' })
    on_dir(root or vim.fs.dirname(vim.api.nvim_buf_get_name(bufnr)))
  end,
  init_options = settings,
  settings = { gpiot = settings },
  -- Neovim applies documentChanges (CreateFile + TextDocumentEdit) but does not advertise it.
  capabilities = { workspace = { workspaceEdit = { documentChanges = true } } },
})
vim.lsp.enable('gpiot')

vim.api.nvim_create_autocmd('LspAttach', {
  callback = function(args)
    local client = vim.lsp.get_client_by_id(args.data.client_id)
    if not client or client.name ~= 'gpiot' then
      return
    end
    local opts = { buffer = args.buf }
    vim.keymap.set({ 'n', 'v' }, '<leader>ca', vim.lsp.buf.code_action, opts)
    vim.keymap.set('n', 'K', vim.lsp.buf.hover, opts)
    vim.keymap.set('n', '<leader>gs', function()
      client:exec_cmd({ title = 'GPIoT model status', command = 'gpiot.modelStatus' })
    end, opts)
  end,
})
