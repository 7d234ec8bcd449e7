'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test } = require('node:test');
const { pathToFileURL } = require('node:url');

const { applyTextEdits, applyWorkspaceEdit } = require('./workspace_edit');

const range = (l1, c1, l2, c2) => ({
  start: { line: l1, character: c1 },
  end: { line: l2, character: c2 },
});

test('text edits use UTF-16 columns and apply from the end', () => {
  const text = 'a = "é😀"\nb = 2\r\nc = 3';
  const out = applyTextEdits(text, [
    { range: range(0, 6, 0, 8), newText: 'X' }, // the surrogate pair counts as two columns
    { range: range(1, 4, 1, 5), newText: '20' },
    { range: range(2, 0, 2, 99), newText: 'c = 30' }, // past the end of the line clamps
  ]);
  assert.equal(out, 'a = "éX"\nb = 20\r\nc = 30');
});

test('overlapping edits are refused', () => {
  assert.throws(() =>
    applyTextEdits('abcdef', [
      { range: range(0, 0, 0, 3), newText: '' },
      { range: range(0, 2, 0, 4), newText: '' },
    ]),
  );
});

test('CreateFile then a TextDocumentEdit writes the new file; options are honoured', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpiot-edit-'));
  const uri = pathToFileURL(path.join(dir, 'pkg', 'mod.py')).href;
  const result = applyWorkspaceEdit({
    documentChanges: [
      { kind: 'create', uri, options: { overwrite: false, ignoreIfExists: true } },
      { textDocument: { uri, version: null }, edits: [{ range: range(0, 0, 0, 0), newText: 'x = 1\n' }] },
    ],
  });
  assert.equal(result.applied, true);
  assert.deepEqual(result.operations.map((op) => op.kind), ['create', 'edit']);
  assert.equal(fs.readFileSync(path.join(dir, 'pkg', 'mod.py'), 'utf8'), 'x = 1\n');
  const again = applyWorkspaceEdit({ documentChanges: [{ kind: 'create', uri }] });
  assert.equal(again.applied, false);
  assert.match(again.failureReason, /exists/);
});

test('a versioned edit of an open document that moved on is rejected', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpiot-edit-'));
  const file = path.join(dir, 'a.py');
  fs.writeFileSync(file, 'old\n');
  const uri = pathToFileURL(file).href;
  const documents = new Map([[uri, { text: 'old\n', version: 3 }]]);
  const edit = (version) => ({
    documentChanges: [{ textDocument: { uri, version }, edits: [{ range: range(0, 0, 0, 3), newText: 'new' }] }],
  });
  assert.equal(applyWorkspaceEdit(edit(2), documents).applied, false);
  assert.equal(applyWorkspaceEdit(edit(3), documents).applied, true);
  assert.equal(documents.get(uri).text, 'new\n');
  assert.equal(documents.get(uri).version, 4);
  assert.equal(fs.readFileSync(file, 'utf8'), 'new\n');
});
