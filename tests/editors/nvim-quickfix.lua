-- Neovim's built-in LSP client against `kader lsp` (tests/suite/lsp.rs,
-- `neovim_applies_the_quick_fix`): open a page, wait for the K0201
-- diagnostic, ask for its code actions, apply the first one's edit, save.
-- Writes `OK <title>` or `FAIL <why>` to $KADER_RESULT and quits.
local bin, site, page = os.getenv('KADER_BIN'), os.getenv('KADER_SITE'), os.getenv('KADER_PAGE')
local result = os.getenv('KADER_RESULT')

local function finish(text)
  local f = io.open(result, 'w')
  f:write(text)
  f:close()
  vim.cmd('qall!')
end

local function code_of(d)
  if d.code then
    return d.code
  end
  local lsp = d.user_data and d.user_data.lsp
  return lsp and lsp.code
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(page))
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({
    name = 'kader',
    cmd = { bin, 'lsp', '--root', site },
    root_dir = site,
  })
  vim.lsp.buf_attach_client(buf, id)

  local found
  vim.wait(60000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if code_of(d) == 'K0201' then
        found = d
        return true
      end
    end
    return false
  end, 20)
  if not found then
    return finish('FAIL no K0201 diagnostic: ' .. vim.inspect(vim.diagnostic.get(buf)))
  end

  local client = vim.lsp.get_client_by_id(id)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = {
      start = { line = found.lnum, character = found.col },
      ['end'] = { line = found.end_lnum, character = found.end_col },
    },
    context = { diagnostics = {} },
  }
  local response = client.request_sync('textDocument/codeAction', params, 30000, buf)
  local actions = response and response.result or {}
  local action = actions[1]
  if not action or not action.edit then
    return finish('FAIL no code action: ' .. vim.inspect(response))
  end
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  vim.cmd('write')

  local clean = vim.wait(60000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if vim.diagnostic.severity.ERROR == d.severity then
        return false
      end
    end
    return true
  end, 20)
  if not clean then
    return finish('FAIL errors remain: ' .. vim.inspect(vim.diagnostic.get(buf)))
  end
  finish('OK ' .. action.title)
end)
if not ok then
  finish('FAIL ' .. tostring(err))
end
