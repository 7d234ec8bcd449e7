import assert from 'node:assert/strict';
import { test } from 'node:test';

import { findServer, ServerNotFoundError, type ServerLookup } from '../serverPath';

function lookup(executables: string[], overrides: Partial<ServerLookup> = {}): ServerLookup {
  const present = new Set(executables);
  return {
    configured: '',
    workspaceFolders: ['/ws/app'],
    envPath: '/usr/local/bin:/usr/bin',
    homeDir: '/home/u',
    platform: 'linux',
    isExecutable: (file) => present.has(file),
    ...overrides,
  };
}

test('the workspace .venv wins over PATH', () => {
  const found = findServer(lookup(['/ws/app/.venv/bin/gpiot', '/usr/bin/gpiot']));
  assert.deepEqual(found, {
    command: '/ws/app/.venv/bin/gpiot',
    args: ['serve'],
    source: 'workspace venv',
  });
});

test('PATH is searched in order when no venv has gpiot', () => {
  const found = findServer(lookup(['/usr/bin/gpiot', '/usr/local/bin/gpiot']), ['--tcp', 'x']);
  assert.equal(found.command, '/usr/local/bin/gpiot');
  assert.deepEqual(found.args, ['serve', '--tcp', 'x']);
  assert.equal(found.source, 'PATH');
});

test('the setting wins; ~ and workspace-relative paths are resolved', () => {
  const home = findServer(lookup(['/home/u/bin/gpiot'], { configured: '~/bin/gpiot' }));
  assert.equal(home.command, '/home/u/bin/gpiot');
  assert.equal(home.source, 'setting');
  const relative = findServer(lookup(['/ws/app/env/bin/gpiot'], { configured: 'env/bin/gpiot' }));
  assert.equal(relative.command, '/ws/app/env/bin/gpiot');
  const bare = findServer(lookup([], { configured: 'gpiot' }));
  assert.equal(bare.command, 'gpiot');
});

test('a configured path that is not executable is an error that names the setting', () => {
  assert.throws(
    () => findServer(lookup(['/usr/bin/gpiot'], { configured: '/nope/gpiot' })),
    (error: unknown) => error instanceof ServerNotFoundError && /gpiot\.server\.path/.test(error.message),
  );
});

test('nothing found: the error says how to install or configure', () => {
  assert.throws(
    () => findServer(lookup([])),
    (error: unknown) => error instanceof ServerNotFoundError && /pip install/.test(error.message),
  );
});

test('Windows layout: Scripts\\gpiot.exe and ; separated PATH', () => {
  const found = findServer(
    lookup(['C:\\tools\\gpiot.exe'], {
      platform: 'win32',
      workspaceFolders: ['C:\\ws'],
      envPath: 'C:\\bin;C:\\tools',
    }),
  );
  assert.equal(found.command, 'C:\\tools\\gpiot.exe');
  const venv = findServer(
    lookup(['C:\\ws\\.venv\\Scripts\\gpiot.exe'], { platform: 'win32', workspaceFolders: ['C:\\ws'] }),
  );
  assert.equal(venv.source, 'workspace venv');
});
