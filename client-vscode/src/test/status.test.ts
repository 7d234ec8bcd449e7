import assert from 'node:assert/strict';
import { test } from 'node:test';

import { StatusModel } from '../status';

test('starting, ready, busy while a command runs, ready again', () => {
  const status = new StatusModel();
  status.setState('starting');
  assert.match(status.view().tooltip, /starting/);
  status.setState('running');
  assert.match(status.view().tooltip, /ready/);
  const endA = status.begin('gpiot.decompose');
  const endB = status.begin('gpiot.generate');
  assert.equal(status.busy, true);
  assert.match(status.view().tooltip, /gpiot\.decompose, gpiot\.generate/);
  endA();
  assert.equal(status.busy, true);
  endB();
  assert.equal(status.busy, false);
  assert.match(status.view().tooltip, /ready/);
});

test('a failure is shown as an error and clears the running commands', () => {
  const status = new StatusModel();
  status.setState('running');
  status.begin('gpiot.decompose');
  status.setState('failed', 'server not found');
  assert.equal(status.busy, false);
  assert.equal(status.view().error, true);
  assert.match(status.view().tooltip, /server not found/);
});
