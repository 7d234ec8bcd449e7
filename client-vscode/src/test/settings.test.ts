import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { DEFAULT_SETTINGS, needsRestart, readSettings, SETTING_KEYS } from '../settings';

interface Contribution {
  type: string | string[];
  default: unknown;
  markdownDescription?: string;
  description?: string;
}

function contributed(): Record<string, Contribution> {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'),
  ) as { contributes: { configuration: { properties: Record<string, Contribution> } } };
  return manifest.contributes.configuration.properties;
}

test('every server setting is contributed with a type, the same default and a description', () => {
  const properties = contributed();
  for (const key of SETTING_KEYS) {
    const property = properties[`gpiot.${key}`];
    assert.ok(property, `gpiot.${key} is not contributed`);
    assert.ok(property.type, `gpiot.${key} has no type`);
    assert.deepEqual(property.default, DEFAULT_SETTINGS[key], `default of gpiot.${key}`);
    assert.ok((property.markdownDescription ?? property.description ?? '').length > 20);
  }
  assert.ok(properties['gpiot.server.path'], 'gpiot.server.path is not contributed');
});

test('the settings object has exactly the server keys, camelCase', () => {
  const settings = readSettings(() => undefined);
  assert.deepEqual(Object.keys(settings).sort(), [...SETTING_KEYS].sort());
  assert.deepEqual(settings, DEFAULT_SETTINGS);
  assert.ok(!('server' in settings), 'client-only settings must not reach the server');
});

test('configured values pass through; values of the wrong type fall back to the default', () => {
  const values: Record<string, unknown> = {
    model: ' /models/qwen.gguf ',
    threads: 4,
    contextSize: '8192',
    repairAttempts: 1.5,
    speculative: false,
    smokeRun: 'no',
    knowledgeStore: 'http://localhost:6333',
  };
  const settings = readSettings((key) => values[key]);
  assert.equal(settings.model, '/models/qwen.gguf');
  assert.equal(settings.threads, 4);
  assert.equal(settings.contextSize, DEFAULT_SETTINGS.contextSize);
  assert.equal(settings.repairAttempts, DEFAULT_SETTINGS.repairAttempts);
  assert.equal(settings.speculative, false);
  assert.equal(settings.smokeRun, true);
  assert.equal(settings.knowledgeStore, 'http://localhost:6333');
  assert.equal(readSettings((key) => (key === 'threads' ? 'many' : undefined)).threads, null);
});

test('only a change of gpiot.server.* restarts the server', () => {
  assert.equal(needsRestart((section) => section === 'gpiot.server'), true);
  assert.equal(needsRestart((section) => section === 'gpiot.model'), false);
});
