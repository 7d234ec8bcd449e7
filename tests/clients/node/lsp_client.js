#!/usr/bin/env node
'use strict';
/**
 * A real LSP client for `gpiot serve`, built on Microsoft's vscode-languageserver-protocol (the
 * protocol layer under VS Code's own language client). It spawns the server, initializes with
 * VS Code-like capabilities, opens an app file whose top comment is a problem statement, lists the
 * code actions, runs "Decompose IoT app", applies the server's workspace edits to disk, records the
 * work-done progress, then hovers a generated function and its call site and asks for an inline
 * completion in a stub. It prints one JSON summary on stdout (logs go to stderr).
 *
 *   node lsp_client.js --workspace DIR --file DIR/app.py [--no-create-files] [--cancel-after-first-file]
 *        [--settings JSON] [--timeout SECONDS] -- gpiot serve
 */
const cp = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} = require('vscode-languageserver-protocol/node');

const { applyWorkspaceEdit, uriToPath } = require('./workspace_edit');

const DECOMPOSE_TITLE = 'Decompose IoT app';

function parseArgs(argv) {
  const args = {
    workspace: '',
    file: '',
    createFiles: true,
    cancelAfterFirstFile: false,
    settings: {},
    timeout: 1200,
    server: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      args.server = argv.slice(i + 1);
      break;
    } else if (arg === '--workspace') args.workspace = path.resolve(argv[++i]);
    else if (arg === '--file') args.file = path.resolve(argv[++i]);
    else if (arg === '--no-create-files') args.createFiles = false;
    else if (arg === '--cancel-after-first-file') args.cancelAfterFirstFile = true;
    else if (arg === '--settings') args.settings = JSON.parse(argv[++i]);
    else if (arg === '--timeout') args.timeout = Number(argv[++i]);
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!args.workspace || !args.file || args.server.length === 0) {
    throw new Error('usage: lsp_client.js --workspace DIR --file FILE [options] -- SERVER COMMAND...');
  }
  return args;
}

/** What VS Code 1.9x advertises for the features GPIoT uses (trimmed to those). */
function clientCapabilities(createFiles) {
  return {
    general: { positionEncodings: ['utf-16'], markdown: { parser: 'marked', version: '1.1.0' } },
    window: {
      workDoneProgress: true,
      showMessage: { messageActionItem: { additionalPropertiesSupport: true } },
      showDocument: { support: true },
    },
    workspace: {
      applyEdit: true,
      workspaceEdit: {
        documentChanges: true,
        resourceOperations: createFiles ? ['create', 'rename', 'delete'] : [],
        failureHandling: 'textOnlyTransactional',
        normalizesLineEndings: true,
        changeAnnotationSupport: { groupsOnLabel: true },
      },
      configuration: true,
      didChangeConfiguration: { dynamicRegistration: true },
      workspaceFolders: true,
      executeCommand: { dynamicRegistration: true },
      didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
    },
    textDocument: {
      synchronization: { dynamicRegistration: true, willSave: true, willSaveWaitUntil: true, didSave: true },
      hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
      codeAction: {
        dynamicRegistration: true,
        isPreferredSupport: true,
        disabledSupport: true,
        dataSupport: true,
        honorsChangeAnnotations: true,
        resolveSupport: { properties: ['edit'] },
        codeActionLiteralSupport: {
          codeActionKind: {
            valueSet: [
              '',
              'quickfix',
              'refactor',
              'refactor.extract',
              'refactor.inline',
              'refactor.rewrite',
              'source',
              'source.organizeImports',
            ],
          },
        },
      },
      inlineCompletion: { dynamicRegistration: true },
      publishDiagnostics: {
        relatedInformation: true,
        versionSupport: false,
        codeDescriptionSupport: true,
        dataSupport: true,
      },
    },
  };
}

function now(start) {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function withTimeout(promise, seconds, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${seconds} s: ${what}`)), seconds * 1000);
    }),
  ]).finally(() => clearTimeout(timer));
}

function hoverText(hover) {
  if (!hover || !hover.contents) return '';
  const contents = hover.contents;
  const one = (c) => (typeof c === 'string' ? c : c.value || '');
  return Array.isArray(contents) ? contents.map(one).join('\n') : one(contents);
}

function listFiles(root) {
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(root, full));
    }
  };
  walk(root);
  return out.sort();
}

/** The first top-level `def` in `text`: its name, line, and the line span of its docstring. */
function firstFunction(text) {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^def\s+([A-Za-z_]\w*)\s*\(/.exec(lines[i]);
    if (!m) continue;
    let j = i;
    while (j < lines.length && !/:\s*(#.*)?$/.test(lines[j])) j++; // end of a multi-line signature
    let docEnd = -1;
    const first = lines[j + 1] || '';
    const quote = /^\s+("""|''')/.exec(first);
    if (quote) {
      const q = quote[1];
      const rest = first.slice(first.indexOf(q) + 3);
      if (rest.includes(q)) docEnd = j + 1;
      else {
        for (let k = j + 2; k < lines.length; k++) {
          if (lines[k].includes(q)) {
            docEnd = k;
            break;
          }
        }
      }
    }
    return { name: m[1], line: i, character: lines[i].indexOf(m[1]), signatureEnd: j, docEnd };
  }
  return null;
}

/** The last non-blank line of the function's body. */
function lastBodyLine(text, fn) {
  const lines = text.split('\n');
  let last = fn.docEnd;
  for (let i = fn.docEnd + 1; i < lines.length && (lines[i].trim() === '' || /^\s/.test(lines[i])); i++) {
    if (lines[i].trim() !== '') last = i;
  }
  return last;
}

/** The module with its first function cut down to signature, docstring and `pass`: a stub. */
function stubbed(text, fn) {
  const lines = text.split('\n');
  let end = fn.docEnd + 1;
  while (end < lines.length && (lines[end].trim() === '' || /^\s/.test(lines[end]))) end++;
  const head = lines.slice(0, fn.docEnd + 1);
  const tail = lines.slice(end);
  const out = [...head, '    pass', ...(tail.length > 0 ? ['', '', ...tail] : [''])];
  return { text: out.join('\n'), stubLine: head.length };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const start = process.hrtime.bigint();
  const summary = {
    serverCommand: args.server,
    createFiles: args.createFiles,
    serverInfo: null,
    capabilities: null,
    codeActions: [],
    codeActionSeconds: null,
    executeCommand: null,
    executeResult: null,
    executeError: null,
    applyEdits: [],
    showDocuments: [],
    progress: [],
    progressCreated: [],
    cancelSent: null,
    messages: [],
    logTail: [],
    diagnostics: {},
    configurationRequests: 0,
    unhandledRequests: [],
    files: [],
    manifest: null,
    hover: null,
    callSiteHover: null,
    inlineCompletion: null,
    errors: [],
    serverExit: null,
    seconds: null,
  };
  const log = (...parts) => process.stderr.write(`[node-client ${now(start).toFixed(1)}s] ${parts.join(' ')}\n`);

  // A relative server path is relative to where the client was started, not to the workspace.
  const serverPath = args.server[0].includes(path.sep) ? path.resolve(args.server[0]) : args.server[0];
  const server = cp.spawn(serverPath, args.server.slice(1), {
    cwd: args.workspace,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const serverExited = new Promise((resolve) => {
    server.on('exit', (code, signal) => resolve({ code, signal }));
    server.on('error', (error) => {
      process.stderr.write(`cannot start ${serverPath}: ${error.message}\n`);
      process.exit(2);
    });
  });
  server.stderr.on('data', (chunk) => process.stderr.write(chunk));
  const connection = createProtocolConnection(
    new StreamMessageReader(server.stdout),
    new StreamMessageWriter(server.stdin),
  );

  const documents = new Map(); // uri -> {text, version}
  const activeTokens = new Set();
  const endedTokens = new Set();
  let firstFileSeen = null;
  const onFirstFile = new Promise((resolve) => {
    firstFileSeen = resolve;
  });
  let progressChanged = () => {};

  connection.onRequest('workspace/configuration', (params) => {
    summary.configurationRequests += 1;
    return params.items.map((item) => (item.section === 'gpiot' ? args.settings : null));
  });
  connection.onRequest('workspace/workspaceFolders', () => [
    { uri: pathToFileURL(args.workspace).href, name: path.basename(args.workspace) },
  ]);
  connection.onRequest('window/workDoneProgress/create', (params) => {
    summary.progressCreated.push({ token: params.token, t: now(start) });
    return null;
  });
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('client/unregisterCapability', () => null);
  connection.onRequest('window/showMessageRequest', (params) => {
    summary.messages.push({ type: params.type, message: params.message, request: true, t: now(start) });
    return null;
  });
  connection.onRequest('workspace/applyEdit', (params) => {
    const result = applyWorkspaceEdit(params.edit, documents);
    summary.applyEdits.push({
      label: params.label || null,
      t: now(start),
      applied: result.applied,
      failureReason: result.failureReason || null,
      operations: result.operations.map((op) => ({ kind: op.kind, path: path.relative(args.workspace, uriToPath(op.uri)) })),
    });
    log('applyEdit', params.label || '', result.applied ? 'applied' : `FAILED ${result.failureReason}`);
    if (result.operations.some((op) => op.kind === 'create')) firstFileSeen();
    return result.applied ? { applied: true } : { applied: false, failureReason: result.failureReason };
  });
  connection.onRequest('window/showDocument', (params) => {
    const file = uriToPath(params.uri);
    summary.showDocuments.push({
      path: path.relative(args.workspace, file),
      existsOnDisk: fs.existsSync(file),
      takeFocus: params.takeFocus ?? null,
      t: now(start),
    });
    log('showDocument', path.relative(args.workspace, file));
    firstFileSeen();
    return { success: true };
  });
  connection.onRequest((method) => {
    summary.unhandledRequests.push(method);
    log('unhandled request', method);
    return null;
  });
  connection.onNotification('$/progress', (params) => {
    const value = params.value || {};
    summary.progress.push({
      token: params.token,
      kind: value.kind,
      title: value.title ?? null,
      message: value.message ?? null,
      percentage: value.percentage ?? null,
      cancellable: value.cancellable ?? null,
      t: now(start),
    });
    if (value.kind === 'begin') activeTokens.add(params.token);
    if (value.kind === 'end') {
      activeTokens.delete(params.token);
      endedTokens.add(params.token);
    }
    log('progress', value.kind, value.title || value.message || '');
    progressChanged();
  });
  connection.onNotification('window/showMessage', (params) => {
    summary.messages.push({ type: params.type, message: params.message, t: now(start) });
    log('showMessage', params.message);
  });
  connection.onNotification('window/logMessage', (params) => {
    summary.logTail.push(params.message);
    if (summary.logTail.length > 40) summary.logTail.shift();
  });
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    const key = path.relative(args.workspace, uriToPath(params.uri));
    summary.diagnostics[key] = params.diagnostics.map((d) => ({
      source: d.source ?? null,
      message: d.message,
      line: d.range.start.line,
    }));
  });
  connection.onNotification(() => {});
  connection.onError(([error]) => summary.errors.push(`connection: ${error && error.message}`));
  connection.listen();

  const waitForProgressEnd = (seconds) =>
    withTimeout(
      new Promise((resolve) => {
        const check = () => {
          if (activeTokens.size === 0) resolve();
        };
        progressChanged = check;
        check();
      }),
      seconds,
      'work-done progress to end',
    );

  const openDocument = (file, text) => {
    const uri = pathToFileURL(file).href;
    const version = 1;
    documents.set(uri, { text, version });
    connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'python', version, text },
    });
    return uri;
  };

  try {
    const rootUri = pathToFileURL(args.workspace).href;
    const init = await withTimeout(
      connection.sendRequest('initialize', {
        processId: process.pid,
        clientInfo: { name: 'gpiot-node-test-client', version: '0.1.0' },
        locale: 'en',
        rootPath: args.workspace,
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: path.basename(args.workspace) }],
        initializationOptions: args.settings,
        capabilities: clientCapabilities(args.createFiles),
        trace: 'off',
      }),
      120,
      'initialize',
    );
    summary.serverInfo = init.serverInfo || null;
    summary.capabilities = init.capabilities;
    connection.sendNotification('initialized', {});

    const appText = fs.readFileSync(args.file, 'utf8');
    const appUri = openDocument(args.file, appText);

    // Code actions at the cursor on the first line of the problem statement.
    const t0 = process.hrtime.bigint();
    const actions = await withTimeout(
      connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: appUri },
        range: { start: { line: 0, character: 2 }, end: { line: 0, character: 2 } },
        context: { diagnostics: [], triggerKind: 1 },
      }),
      60,
      'code actions',
    );
    summary.codeActionSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    summary.codeActions = (actions || []).map((a) => ({
      title: a.title,
      kind: a.kind ?? null,
      command: (a.command && typeof a.command === 'object' ? a.command.command : a.command) ?? null,
      arguments: (a.command && a.command.arguments) || a.arguments || null,
    }));
    log('code actions:', summary.codeActions.map((a) => a.title).join(' | '));
    let action = (actions || []).find((a) => a.title === DECOMPOSE_TITLE);
    if (!action) throw new Error(`no "${DECOMPOSE_TITLE}" code action`);
    if (!action.command && !action.edit && action.data !== undefined) {
      action = await connection.sendRequest('codeAction/resolve', action);
    }
    const command = typeof action.command === 'string' ? action : action.command;
    if (!command) throw new Error(`"${DECOMPOSE_TITLE}" has no command`);
    summary.executeCommand = { command: command.command, arguments: command.arguments || [] };

    // Run it; with --cancel-after-first-file, cancel the progress once a file has appeared.
    const running = connection.sendRequest('workspace/executeCommand', {
      command: command.command,
      arguments: command.arguments || [],
    });
    if (args.cancelAfterFirstFile) {
      onFirstFile.then(() => {
        const token = [...activeTokens][0];
        if (token === undefined) return;
        summary.cancelSent = { token, t: now(start) };
        log('cancelling progress', String(token));
        connection.sendNotification('window/workDoneProgress/cancel', { token });
      });
    }
    try {
      summary.executeResult = (await withTimeout(running, args.timeout, 'gpiot.decompose')) ?? null;
    } catch (error) {
      summary.executeError = String(error.message || error);
      log('executeCommand error:', summary.executeError);
    }
    await waitForProgressEnd(args.cancelAfterFirstFile ? 120 : args.timeout);

    // What is on disk now.
    summary.files = listFiles(args.workspace);
    const manifestFile = path.join(args.workspace, '.gpiot', 'manifest.json');
    if (fs.existsSync(manifestFile)) summary.manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));

    // Hover a generated function, then its call site in pipeline.py.
    const stem = path.basename(args.file, '.py');
    const modules = summary.files.filter(
      (f) => f.startsWith(`${stem}_subtasks${path.sep}`) && /[\\/]\d+_\w+\.py$/.test(f),
    );
    const moduleFile = modules.length > 0 ? path.join(args.workspace, modules[0]) : null;
    if (moduleFile && !args.cancelAfterFirstFile) {
      const text = fs.readFileSync(moduleFile, 'utf8');
      const uri = openDocument(moduleFile, text);
      const fn = firstFunction(text);
      if (fn) {
        const hover = await withTimeout(
          connection.sendRequest('textDocument/hover', {
            textDocument: { uri },
            position: { line: fn.line, character: fn.character + 1 },
          }),
          30,
          'hover',
        );
        summary.hover = { path: modules[0], function: fn.name, line: fn.line, text: hoverText(hover) };

        const pipelineFile = path.join(args.workspace, `${stem}_subtasks`, 'pipeline.py');
        if (fs.existsSync(pipelineFile)) {
          const ptext = fs.readFileSync(pipelineFile, 'utf8');
          const puri = openDocument(pipelineFile, ptext);
          const plines = ptext.split('\n');
          const callRe = new RegExp(`\\b${fn.name}\\s*\\(`);
          const line = plines.findIndex((l) => callRe.test(l) && !/^\s*(def|import|from)\b/.test(l));
          if (line >= 0) {
            const character = plines[line].search(callRe) + 1;
            const callHover = await withTimeout(
              connection.sendRequest('textDocument/hover', {
                textDocument: { uri: puri },
                position: { line, character },
              }),
              30,
              'call-site hover',
            );
            summary.callSiteHover = { line, character, text: hoverText(callHover) };
          }
        }

        // Inline completion inside a stub body: the user deletes the body and waits for a suggestion.
        if (fn.docEnd >= 0 && summary.capabilities && summary.capabilities.inlineCompletionProvider) {
          // A stub the server wrote is used as it is; a generated body is first deleted.
          const body = text.split('\n').slice(fn.docEnd + 1).join('\n');
          const isStub = /^\s+(raise NotImplementedError|pass\b|\.\.\.|# GPIoT: no validated)/m.test(
            body.split(/^\S/m)[0],
          );
          // The cursor goes on the stub's last body line (its `raise`/`pass`): inside the body.
          const stub = isStub ? { text, stubLine: lastBodyLine(text, fn) } : stubbed(text, fn);
          if (!isStub) {
            const doc = documents.get(uri);
            doc.version += 1;
            doc.text = stub.text;
            connection.sendNotification('textDocument/didChange', {
              textDocument: { uri, version: doc.version },
              contentChanges: [{ text: stub.text }],
            });
          }
          const t1 = process.hrtime.bigint();
          const result = await withTimeout(
            connection.sendRequest('textDocument/inlineCompletion', {
              textDocument: { uri },
              position: { line: stub.stubLine, character: 4 },
              context: { triggerKind: 1 },
            }),
            args.timeout,
            'inline completion',
          );
          const items = Array.isArray(result) ? result : (result && result.items) || [];
          summary.inlineCompletion = {
            function: fn.name,
            serverStub: isStub,
            documentText: stub.text,
            line: stub.stubLine,
            seconds: Number(process.hrtime.bigint() - t1) / 1e9,
            items: items.map((item) => ({
              insertText: typeof item.insertText === 'string' ? item.insertText : item.insertText.value,
              range: item.range ?? null,
            })),
          };
        }
      }
    }
  } catch (error) {
    summary.errors.push(String((error && error.stack) || error));
    log('error:', String(error && error.message));
  }

  try {
    await withTimeout(connection.sendRequest('shutdown'), 30, 'shutdown');
    connection.sendNotification('exit');
  } catch (error) {
    summary.errors.push(`shutdown: ${error.message}`);
  }
  const exited = await Promise.race([serverExited, new Promise((r) => setTimeout(() => r(null), 15000))]);
  if (exited === null) {
    summary.errors.push('server did not exit within 15 s of exit');
    server.kill('SIGKILL');
  }
  summary.serverExit = exited;
  summary.seconds = now(start);
  connection.dispose();
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(2);
});
