import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { TaskFileSchema } from './schema.js';
import { closest } from './did-you-mean.js';
import { knownKeysAt, placesOfKey } from './schema-keys.js';

type Issue = z.core.$ZodIssue;
type Path = PropertyKey[];

export interface IssueContext {
  file?: string;
  /** The object that was validated, to say what was actually written. */
  input: unknown;
  /** Line of a path in the task file, when the file format can tell. */
  lineOf?: (path: Path) => number | undefined;
  /** The schema that failed (the task kind's); default the classification task file's. */
  schema?: z.ZodType;
}

interface Problem {
  path: Path;
  message: string;
  hint?: string;
  /** Path whose line to show; null = none (a key missing at the top level has no line). */
  linePath?: Path | null;
}

/** What a missing required field should look like, as a line the user can paste. */
const EXAMPLES: Record<string, string> = {
  name: 'name: support-routing',
  instruction: 'instruction: Route each customer message to the team that should handle it.',
  labels: 'labels: [billing, shipping, technical]',
  teacher: 'teacher:\n    model: openai:gpt-4o-mini    # or dataset:./labeled.jsonl',
  'teacher.model':
    'model: openai:gpt-4o-mini    (or anthropic:claude-3-5-haiku-latest, openai-compatible:llama3.1, dataset:./labeled.jsonl)',
  'seeds.*.text': 'text: "I was charged twice this month"',
  'labels.*.name': 'name: billing',
};

const FORMAT_HINTS: Record<string, string> = {
  'teacher.model':
    'write `provider:model`, e.g. openai:gpt-4o-mini, anthropic:claude-3-5-haiku-latest, openai-compatible:llama3.1 or dataset:./labeled.jsonl',
  'teacher.baseUrl': 'write a full URL, e.g. http://localhost:11434/v1',
  'teacher.apiKeyEnv':
    'write the name of the environment variable that holds the key (e.g. OPENAI_API_KEY), never the key itself',
  name: 'e.g. `name: support-routing`',
};

/** A zod failure on a task, as one ConfigError naming the first problem's field, with the rest listed after it. */
export function configErrorFromZod(error: z.ZodError, ctx: IssueContext): ConfigError {
  const problems = flatten(error.issues as Issue[], []).flatMap((issue) =>
    describe(issue, ctx.input, ctx.schema ?? TaskFileSchema),
  );
  // An unknown key usually explains a "missing" one (`teachr` → `teacher` missing), so it goes first.
  problems.sort((a, b) => Number(b.message.startsWith('unknown key')) - Number(a.message.startsWith('unknown key')));
  const [first, ...rest] = problems;
  const located = (p: Problem) => {
    const linePath = p.linePath === undefined ? p.path : p.linePath;
    const line = linePath ? ctx.lineOf?.(linePath) : undefined;
    return `${dotted(p.path) || '(top level)'}: ${p.message}${line !== undefined ? ` (line ${line})` : ''}`;
  };
  let message = located(first);
  if (rest.length > 0) {
    const brief = (p: Problem) => (p.hint && !p.hint.includes('\n') && p.hint.length <= 80 ? ` — ${p.hint}` : '');
    const shown = rest
      .slice(0, 5)
      .map((p) => `\n  also ${located(p)}${brief(p)}`)
      .join('');
    message += shown + (rest.length > 5 ? `\n  … and ${rest.length - 5} more` : '');
  }
  return new ConfigError(message, { file: ctx.file, field: dotted(first.path), hint: first.hint });
}

export function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** Unions report one issue list per branch; keep the branch the input was evidently meant for. */
function flatten(issues: Issue[], prefix: Path): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const meant = issue.errors.find(
        (branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0),
      );
      if (meant) {
        out.push(...flatten(meant as Issue[], path));
        continue;
      }
    }
    out.push({ ...issue, path } as Issue);
  }
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/** `labels.3.name` → `labels.*.name`, for looking up per-field hints. */
function pattern(path: readonly PropertyKey[]): string {
  return path.map((s) => (typeof s === 'number' ? '*' : String(s))).join('.');
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

function describe(issue: Issue, input: unknown, schema: z.ZodType): Problem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: [...issue.path, key],
      message: `unknown key \`${key}\``,
      hint: unknownKeyHint(schema, issue.path, key),
    }));
  }
  return [describeOne(issue, input)];
}

function describeOne(issue: Issue, input: unknown): Problem {
  const path = issue.path;
  const field = pattern(path);
  const key = String(path[path.length - 1] ?? '');
  switch (issue.code) {
    case 'invalid_type': {
      const actual = valueAt(input, path);
      if (actual === undefined) {
        const example = EXAMPLES[field];
        return {
          path,
          linePath: path.length > 1 ? path.slice(0, -1) : null,
          message: 'required, but missing',
          hint: example
            ? `add it, e.g.\n    ${example}`
            : `add \`${key}:\` (see \`apprentice init\` for a commented example)`,
        };
      }
      if (field === 'labels.*') {
        return {
          path,
          message: 'a label must be a name or a {name, description} mapping',
          hint: 'write e.g. `- billing` or `- name: billing` with `description: …` under it',
        };
      }
      return {
        path,
        message: `expected ${article(issue.expected)}, got ${typeName(actual)}`,
        hint: typeHint(issue.expected, key),
      };
    }
    case 'invalid_union':
      if (field === 'labels.*') {
        return {
          path,
          message: 'a label must be a name or a {name, description} mapping',
          hint: 'write e.g. `- billing` or `- name: billing` with `description: …` under it',
        };
      }
      return { path, message: issue.message };
    case 'invalid_value': {
      const values = issue.values.map(String);
      const written = valueAt(input, path);
      const guess = typeof written === 'string' ? closest(written, values) : undefined;
      return {
        path,
        message: `must be one of ${values.join(', ')}`,
        hint: guess ? `did you mean \`${guess}\`?` : `write one of: ${values.join(', ')}`,
      };
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const written = valueAt(input, path);
      const hint =
        typeof written === 'number'
          ? `use a value ${issue.code === 'too_small' ? (issue.inclusive ? '≥' : '>') : issue.inclusive ? '≤' : '<'} ${String(bound)} (got ${written})`
          : EXAMPLES[field]
            ? `e.g. ${EXAMPLES[field]}`
            : undefined;
      return { path, message: issue.message, hint };
    }
    case 'invalid_format':
      return { path, message: issue.message, hint: FORMAT_HINTS[field] };
    case 'custom':
      return {
        path,
        message: issue.message,
        hint:
          field === 'seeds.*'
            ? 'add e.g. `label: billing` to the seed (or `labels: [a, b]` in a multi-label task)'
            : undefined,
      };
    default:
      return { path, message: issue.message };
  }
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function typeHint(expected: string, key: string): string | undefined {
  switch (expected) {
    case 'number':
      return `write a number without quotes, e.g. \`${key}: 10\``;
    case 'boolean':
      return `write true or false, e.g. \`${key}: true\``;
    case 'string':
      return `write text, e.g. \`${key}: "…"\` (quote it if it contains ':' or '#')`;
    case 'array':
      return `write a list, e.g. \`${key}: [a, b]\``;
    case 'object':
      return `write a mapping with the settings indented under \`${key}:\``;
    default:
      return undefined;
  }
}

function unknownKeyHint(schema: z.ZodType, parent: Path, key: string): string {
  const known = knownKeysAt(schema, parent);
  const typo = closest(key, known);
  if (typo) return `did you mean \`${typo}\`?`;
  const where = parent.length === 0 ? 'the top level' : `\`${dotted(parent)}\``;
  const elsewhere = placesOfKey(schema, key).filter((p) => p.parent !== pattern(parent).replace(/\.\*$/, ''));
  if (elsewhere.length > 0) {
    const p = elsewhere[0];
    const target =
      p.parent === '' ? 'at the top level' : p.inList ? `in each item of \`${p.parent}\`` : `under \`${p.parent}:\``;
    return `\`${key}\` is not a key of ${where}; it belongs ${target}`;
  }
  return `known keys of ${where}: ${known.join(', ')}`;
}
