/**
 * Where the `gpiot` executable is: the `gpiot.server.path` setting, else the workspace's own
 * virtual environment (`.venv/bin/gpiot`, as `make setup` creates it), else `gpiot` on `PATH`.
 * Pure apart from the injected `isExecutable`, so it is unit-tested under Node.
 */
import * as path from 'path';

export interface ServerLookup {
  /** The `gpiot.server.path` setting ("" when unset); `~` and relative paths are resolved. */
  configured: string;
  /** File-system paths of the open workspace folders, in order. */
  workspaceFolders: readonly string[];
  /** The `PATH` environment variable. */
  envPath: string;
  homeDir: string;
  platform: NodeJS.Platform;
  isExecutable: (file: string) => boolean;
}

export interface ServerCommand {
  command: string;
  args: string[];
  /** Where it was found, for the log: "setting", "workspace venv" or "PATH". */
  source: 'setting' | 'workspace venv' | 'PATH';
}

export class ServerNotFoundError extends Error {}

export function venvCandidates(folder: string, platform: NodeJS.Platform): string[] {
  const names = ['.venv', 'venv'];
  return platform === 'win32'
    ? names.map((venv) => path.win32.join(folder, venv, 'Scripts', 'gpiot.exe'))
    : names.map((venv) => path.posix.join(folder, venv, 'bin', 'gpiot'));
}

export function pathCandidates(envPath: string, platform: NodeJS.Platform): string[] {
  const sep = platform === 'win32' ? ';' : ':';
  const join = (dir: string, name: string): string =>
    platform === 'win32' ? path.win32.join(dir, name) : path.posix.join(dir, name);
  const exe = platform === 'win32' ? 'gpiot.exe' : 'gpiot';
  return envPath
    .split(sep)
    .filter((dir) => dir.length > 0)
    .map((dir) => join(dir, exe));
}

export function expandConfigured(configured: string, lookup: ServerLookup): string {
  let file = configured.trim();
  if (file === '~' || file.startsWith('~/')) {
    file = path.join(lookup.homeDir, file.slice(1));
  }
  if (!path.isAbsolute(file) && lookup.workspaceFolders.length > 0 && /[\\/]/.test(file)) {
    file = path.join(lookup.workspaceFolders[0], file);
  }
  return file;
}

/** Finds the executable; throws ServerNotFoundError with a message that says what to do. */
export function findServer(lookup: ServerLookup, extraArgs: readonly string[] = []): ServerCommand {
  const args = ['serve', ...extraArgs];
  if (lookup.configured.trim() !== '') {
    const file = expandConfigured(lookup.configured, lookup);
    if (!path.isAbsolute(file) || lookup.isExecutable(file)) {
      // A bare name ("gpiot") is left to the operating system's PATH search.
      return { command: file, args, source: 'setting' };
    }
    throw new ServerNotFoundError(
      `gpiot.server.path is ${JSON.stringify(lookup.configured)}, which is not an executable file. ` +
        'Fix the setting or clear it to use the workspace .venv or PATH.',
    );
  }
  for (const folder of lookup.workspaceFolders) {
    for (const file of venvCandidates(folder, lookup.platform)) {
      if (lookup.isExecutable(file)) {
        return { command: file, args, source: 'workspace venv' };
      }
    }
  }
  for (const file of pathCandidates(lookup.envPath, lookup.platform)) {
    if (lookup.isExecutable(file)) {
      return { command: file, args, source: 'PATH' };
    }
  }
  throw new ServerNotFoundError(
    'The GPIoT language server (gpiot) was not found in the workspace .venv or on PATH. ' +
      "Install it (`pip install 'gpiot[model]'` or `make setup`) or set gpiot.server.path.",
  );
}
