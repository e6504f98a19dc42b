import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { ConfigError } from '../errors.js';

export interface ParsedTaskFile {
  value: unknown;
  /** Line (1-based) where a path into the task is written, for error messages. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/** Reads and parses a task file (YAML or JSON). Syntax errors name the file and line. */
export function parseTaskFile(file: string): ParsedTaskFile {
  const ext = extname(file).toLowerCase();
  if (ext !== '.yaml' && ext !== '.yml' && ext !== '.json') {
    throw new ConfigError(`task file ${file} must end in .yaml, .yml or .json`, {
      file,
      hint: 'rename it, or create one with `apprentice init task.yaml`',
    });
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `cannot read task file ${file}: ${code === 'ENOENT' ? 'no such file' : (cause as Error).message}`,
      {
        file,
        hint: code === 'ENOENT' ? 'check the path, or create a task file with `apprentice init task.yaml`' : undefined,
        cause,
      },
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') {
    throw new ConfigError(`task file ${file} is empty`, {
      file,
      hint: 'write a starter task with `apprentice init task.yaml`',
    });
  }
  return ext === '.json' ? parseJson(text, file) : parseYaml(text, file);
}

function parseYaml(text: string, file: string): ParsedTaskFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const line = lineCounter.linePos(error.pos[0]).line;
    throw new ConfigError(
      `${file}${line !== undefined ? `:${line}` : ''}: invalid YAML: ${error.message.split('\n')[0]}`,
      {
        file,
        hint: 'check indentation (spaces, not tabs) and quote values containing ": " or " #"',
        cause: error,
      },
    );
  }
  return { value: doc.toJS(), lineOf: (path) => lineIn(doc, lineCounter, path) };
}

function parseJson(text: string, file: string): ParsedTaskFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const message = (cause as Error).message;
    const at = /line (\d+)/.exec(message)?.[1] ?? lineAtOffset(text, /position (\d+)/.exec(message)?.[1]);
    throw new ConfigError(`${file}${at !== undefined ? `:${at}` : ''}: invalid JSON: ${message}`, {
      file,
      hint: 'JSON needs double-quoted keys and no trailing commas; YAML (task.yaml) is easier to write by hand',
      cause,
    });
  }
  // JSON is YAML, so the YAML parser can point at lines; only needed when reporting an error.
  return {
    value,
    lineOf: (path) => {
      const lineCounter = new LineCounter();
      return lineIn(parseDocument(text, { lineCounter }), lineCounter, path);
    },
  };
}

function lineAtOffset(text: string, offset: string | undefined): number | undefined {
  if (offset === undefined) return undefined;
  const n = Number(offset);
  let line = 1;
  for (let i = 0; i < n && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Line of the deepest node along `path` that exists (a missing key points at its parent). */
function lineIn(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  const lineOfRange = (range: readonly number[] | null | undefined) =>
    range ? lineCounter.linePos(range[0]).line : undefined;
  let node: unknown = doc.contents;
  let line = lineOfRange((node as { range?: number[] } | null)?.range);
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      line = lineOfRange((pair.key as { range?: number[] }).range) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg]) {
      node = node.items[seg];
      line = lineOfRange((node as { range?: number[] }).range) ?? line;
    } else {
      break;
    }
  }
  return line;
}
