/**
 * The GPIoT VS Code extension: starts `gpiot serve` over stdio with vscode-languageclient, mirrors
 * the `gpiot.*` settings into the server, and adds the palette commands and a status bar item.
 * Code actions, work-done progress (with Cancel), workspace edits that create the sub-task files,
 * hover, diagnostics and inline completion are the language client's own protocol features.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  ResponseError,
  type ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';

import { findServer, ServerNotFoundError } from './serverPath';
import { needsRestart, readSettings, SECTION, type GpiotSettings } from './settings';
import { StatusModel } from './status';

/** Commands that the server provides (`executeCommandProvider`). */
export const SERVER_COMMANDS = {
  decompose: 'gpiot.decompose',
  generate: 'gpiot.generate',
  modelStatus: 'gpiot.modelStatus',
} as const;

/** Commands that this extension contributes to the palette. */
export const CLIENT_COMMANDS = {
  decomposeAtCursor: 'gpiot.client.decomposeAtCursor',
  showModelStatus: 'gpiot.client.showModelStatus',
  restartServer: 'gpiot.client.restartServer',
} as const;

const LONG_COMMANDS = new Set<string>([SERVER_COMMANDS.decompose, SERVER_COMMANDS.generate]);

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let statusItem: vscode.StatusBarItem;
const status = new StatusModel();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('GPIoT', { log: true });
  statusItem = vscode.window.createStatusBarItem('gpiot.status', vscode.StatusBarAlignment.Right, 100);
  statusItem.name = 'GPIoT';
  statusItem.command = CLIENT_COMMANDS.showModelStatus;
  context.subscriptions.push(output, statusItem);

  context.subscriptions.push(
    vscode.commands.registerCommand(CLIENT_COMMANDS.decomposeAtCursor, decomposeAtCursor),
    vscode.commands.registerCommand(CLIENT_COMMANDS.showModelStatus, showModelStatus),
    vscode.commands.registerCommand(CLIENT_COMMANDS.restartServer, restartServer),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (needsRestart((section) => event.affectsConfiguration(section))) {
        await restartServer();
      }
      // Other `gpiot.*` changes reach the running server through the client's configuration sync.
    }),
  );
  updateStatus('stopped');
  await startServer();
}

export async function deactivate(): Promise<void> {
  await stopServer();
}

function currentSettings(scope?: vscode.Uri): GpiotSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  return readSettings((key) => config.get(key));
}

function workspacePaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((folder) => folder.uri.scheme === 'file')
    .map((folder) => folder.uri.fsPath);
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

async function startServer(): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  let server;
  try {
    server = findServer(
      {
        configured: config.get<string>('server.path', ''),
        workspaceFolders: workspacePaths(),
        envPath: process.env.PATH ?? '',
        homeDir: os.homedir(),
        platform: process.platform,
        isExecutable,
      },
      config.get<string[]>('server.extraArgs', []),
    );
  } catch (error) {
    const message = error instanceof ServerNotFoundError ? error.message : String(error);
    output.error(message);
    updateStatus('failed', 'server not found');
    void vscode.window.showErrorMessage(message, 'Open Settings').then((choice) => {
      if (choice === 'Open Settings') {
        void vscode.commands.executeCommand('workbench.action.openSettings', 'gpiot.server.path');
      }
    });
    return;
  }
  output.info(`Starting ${server.command} ${server.args.join(' ')} (found via ${server.source})`);

  const serverOptions: ServerOptions = {
    command: server.command,
    args: server.args,
    transport: TransportKind.stdio,
    options: { cwd: workspacePaths()[0] },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'python' }],
    initializationOptions: () => currentSettings(),
    outputChannel: output,
    synchronize: { configurationSection: SECTION },
    middleware: {
      workspace: {
        // The server asks for the section "gpiot" and gets the same flat object as at initialize.
        configuration: async (params, token, next) => {
          const answered = params.items.map((item) =>
            item.section === SECTION
              ? currentSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
              : undefined,
          );
          if (answered.every((value) => value !== undefined)) {
            return answered;
          }
          const values: unknown[] | ResponseError = await next(params, token);
          if (values instanceof ResponseError) {
            return values;
          }
          return values.map((value: unknown, i) => answered[i] ?? value);
        },
        didChangeConfiguration: async () => {
          await client?.sendNotification(DidChangeConfigurationNotification.type, {
            settings: { [SECTION]: currentSettings() },
          });
        },
      },
      executeCommand: async (command, args, next) => {
        const end = LONG_COMMANDS.has(command) ? status.begin(command) : undefined;
        updateStatus();
        try {
          const result: unknown = await next(command, args);
          return result;
        } finally {
          end?.();
          updateStatus();
        }
      },
    },
  };

  client = new LanguageClient('gpiot', 'GPIoT', serverOptions, clientOptions);
  client.onDidChangeState((event) => {
    if (event.newState === State.Running) {
      updateStatus('running');
    } else if (event.newState === State.Starting) {
      updateStatus('starting');
    } else {
      updateStatus('stopped');
    }
  });
  updateStatus('starting');
  try {
    await client.start();
  } catch (error) {
    const message = `GPIoT server failed to start: ${String(error)}`;
    output.error(message);
    updateStatus('failed', 'the server failed to start');
    void vscode.window.showErrorMessage(`${message}. See the GPIoT output.`);
  }
}

async function stopServer(): Promise<void> {
  const running = client;
  client = undefined;
  if (running !== undefined) {
    try {
      await running.stop();
    } catch (error) {
      output.warn(`Stopping the server: ${String(error)}`);
    }
  }
}

async function restartServer(): Promise<void> {
  output.info('Restarting the GPIoT server');
  await stopServer();
  await startServer();
}

function updateStatus(state?: 'starting' | 'running' | 'stopped' | 'failed', failure = ''): void {
  if (state !== undefined) {
    status.setState(state, failure);
  }
  const view = status.view();
  statusItem.text = view.text;
  statusItem.tooltip = view.tooltip;
  statusItem.backgroundColor = view.error
    ? new vscode.ThemeColor('statusBarItem.errorBackground')
    : undefined;
  statusItem.show();
}

/** Sends `workspace/executeCommand` to the running server, tracking it in the status bar. */
async function runServerCommand(command: string, args: unknown[]): Promise<unknown> {
  if (client === undefined || !client.isRunning()) {
    void vscode.window.showErrorMessage('The GPIoT server is not running. Run "GPIoT: Restart server".');
    return undefined;
  }
  const end = LONG_COMMANDS.has(command) ? status.begin(command) : undefined;
  updateStatus();
  try {
    return await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  } catch (error) {
    output.error(`${command} failed: ${String(error)}`);
    void vscode.window.showErrorMessage(`GPIoT: ${command} failed: ${String(error)}`);
    return undefined;
  } finally {
    end?.();
    updateStatus();
  }
}

async function decomposeAtCursor(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || editor.document.languageId !== 'python') {
    void vscode.window.showWarningMessage(
      'GPIoT: open a Python file whose top comment block holds the problem statement, then put the cursor in it.',
    );
    return;
  }
  if (editor.document.isDirty) {
    await editor.document.save();
  }
  await runServerCommand(SERVER_COMMANDS.decompose, [
    editor.document.uri.toString(),
    editor.selection.active.line,
  ]);
}

async function showModelStatus(): Promise<void> {
  const result = await runServerCommand(SERVER_COMMANDS.modelStatus, []);
  if (result !== undefined && result !== null) {
    // The server shows the status itself (window/showMessage); the details go to the log.
    output.info(`Model status: ${typeof result === 'string' ? result : JSON.stringify(result, null, 2)}`);
  }
}
