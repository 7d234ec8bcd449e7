'use strict';
/**
 * Applies an LSP WorkspaceEdit to files on disk, as an editor does when it saves: resource
 * operations (create, rename, delete) and text edits in the order given, with the protocol's rules
 * (UTF-16 positions, CreateFile options, versioned documents). Pure apart from the file system.
 */
const fs = require('node:fs');
const path = require('node:path');
const { fileURLToPath } = require('node:url');

function uriToPath(uri) {
  if (!uri.startsWith('file:')) {
    throw new Error(`not a file URI: ${uri}`);
  }
  return fileURLToPath(uri);
}

/** Offsets of each line start; LSP counts \n, \r\n and \r as line breaks. */
function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Position (line, UTF-16 character) → string offset; JavaScript strings are UTF-16 already. */
function offsetAt(text, starts, position) {
  if (position.line >= starts.length) return text.length;
  const start = starts[position.line];
  const nextStart = position.line + 1 < starts.length ? starts[position.line + 1] : text.length;
  let end = nextStart;
  while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  return Math.min(start + Math.max(0, position.character), end);
}

/** Applies TextEdits (non-overlapping, as the protocol requires) to a string. */
function applyTextEdits(text, edits) {
  const starts = lineStarts(text);
  const spans = edits.map((edit, index) => ({
    start: offsetAt(text, starts, edit.range.start),
    end: offsetAt(text, starts, edit.range.end),
    newText: edit.newText,
    index,
  }));
  spans.sort((a, b) => a.start - b.start || a.end - b.end || a.index - b.index);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].start < spans[i - 1].end) {
      throw new Error('overlapping text edits');
    }
  }
  let out = '';
  let cursor = 0;
  for (const span of spans) {
    out += text.slice(cursor, span.start) + span.newText;
    cursor = span.end;
  }
  return out + text.slice(cursor);
}

/**
 * Applies `edit`. `documents` maps URI → {text, version} of the documents the client has open;
 * their text is edited in place (and their version bumped) as well as the file on disk.
 * Returns {applied, failureReason?, operations: [{kind, uri, ...}]}.
 */
function applyWorkspaceEdit(edit, documents = new Map()) {
  const operations = [];
  const readText = (uri) => {
    const open = documents.get(uri);
    if (open) return open.text;
    return fs.readFileSync(uriToPath(uri), 'utf8');
  };
  const writeText = (uri, text) => {
    const file = uriToPath(uri);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text, 'utf8');
    const open = documents.get(uri);
    if (open) {
      open.text = text;
      open.version += 1;
    }
  };
  const textEdit = (uri, version, edits) => {
    const open = documents.get(uri);
    if (version !== null && version !== undefined && open && open.version !== version) {
      throw new Error(`version mismatch for ${uri}: edit for ${version}, document at ${open.version}`);
    }
    writeText(uri, applyTextEdits(readText(uri), edits));
    operations.push({ kind: 'edit', uri, edits: edits.length });
  };
  try {
    if (Array.isArray(edit.documentChanges)) {
      for (const change of edit.documentChanges) {
        if (change.kind === 'create') {
          const file = uriToPath(change.uri);
          const options = change.options || {};
          if (fs.existsSync(file)) {
            if (options.overwrite) {
              fs.writeFileSync(file, '');
            } else if (!options.ignoreIfExists) {
              throw new Error(`create: ${file} exists`);
            }
          } else {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, '');
          }
          operations.push({ kind: 'create', uri: change.uri });
        } else if (change.kind === 'rename') {
          const from = uriToPath(change.oldUri);
          const to = uriToPath(change.newUri);
          const options = change.options || {};
          if (fs.existsSync(to) && !options.overwrite) {
            if (!options.ignoreIfExists) throw new Error(`rename: ${to} exists`);
          } else {
            fs.mkdirSync(path.dirname(to), { recursive: true });
            fs.renameSync(from, to);
          }
          operations.push({ kind: 'rename', uri: change.newUri, oldUri: change.oldUri });
        } else if (change.kind === 'delete') {
          const file = uriToPath(change.uri);
          const options = change.options || {};
          if (!fs.existsSync(file)) {
            if (!options.ignoreIfNotExists) throw new Error(`delete: ${file} does not exist`);
          } else {
            fs.rmSync(file, { recursive: Boolean(options.recursive) });
          }
          operations.push({ kind: 'delete', uri: change.uri });
        } else if (change.textDocument) {
          textEdit(change.textDocument.uri, change.textDocument.version, change.edits);
        } else {
          throw new Error(`unknown document change ${JSON.stringify(change)}`);
        }
      }
    } else if (edit.changes) {
      for (const [uri, edits] of Object.entries(edit.changes)) {
        textEdit(uri, null, edits);
      }
    }
    return { applied: true, operations };
  } catch (error) {
    return { applied: false, failureReason: String(error.message || error), operations };
  }
}

module.exports = { applyTextEdits, applyWorkspaceEdit, lineStarts, offsetAt, uriToPath };
