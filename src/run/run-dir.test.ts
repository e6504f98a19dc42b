import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import {
  BudgetSchema,
  DataSettingsSchema,
  LoopSettingsSchema,
  StudentSettingsSchema,
  TeacherSettingsSchema,
  type Task,
} from '../task/schema.js';
import { RunDir } from './run-dir.js';
import { REQUIRED_FOR_COMPLETE, RUN_FILES, RUN_FORMAT_VERSION, readRunStatus } from './run-files.js';
import { newRunId, uniqueRunId } from './run-id.js';
import { REDACTED, redact } from '../util/redact.js';
import { writeReport } from '../report/write-report.js';
import { fixtureReportData, fixtureWrong } from '../report/report.fixture.js';

function task(instruction = 'Route each support message to the team that should handle it.'): Task {
  return {
    name: 'support-routing',
    instruction,
    multiLabel: false,
    labels: [{ name: 'billing' }, { name: 'bug_report' }],
    seeds: [],
    teacher: TeacherSettingsSchema.parse({ model: 'openai:gpt-4o-mini', apiKeyEnv: 'TEST_API_KEY' }),
    student: StudentSettingsSchema.parse({}),
    budget: BudgetSchema.parse({ answers: 500 }),
    loop: LoopSettingsSchema.parse({}),
    data: DataSettingsSchema.parse({}),
    seed: 42,
  };
}

/** Writes every file a complete run needs, as the loop would. */
function writeAll(run: RunDir): void {
  writeFileSync(run.path(RUN_FILES.student), Buffer.from([1, 2, 3]));
  run.writeJson(RUN_FILES.card, { task: 'support-routing' });
  run.writeJsonl(RUN_FILES.training, [{ text: 'a', labels: ['billing'] }]);
  run.writeJsonl(RUN_FILES.rejected, []);
  run.writeJson(RUN_FILES.metrics, { rounds: [] });
  run.writeJson(RUN_FILES.summary, { status: 'complete' });
  run.writeText(RUN_FILES.report, '<!DOCTYPE html><title>r</title>');
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'apprentice-rundir-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('RunDir', () => {
  it('starts running, with task.json, an empty events.jsonl and model/', () => {
    const dir = join(root, 'run');
    const run = RunDir.create(dir, { runId: 'r1', task: task(), now: new Date('2025-01-01T00:00:00Z') });
    expect(readRunStatus(dir)).toMatchObject({
      formatVersion: RUN_FORMAT_VERSION,
      runId: 'r1',
      task: 'support-routing',
      status: 'running',
      startedAt: '2025-01-01T00:00:00.000Z',
      pid: process.pid,
    });
    expect(JSON.parse(readFileSync(join(dir, 'task.json'), 'utf8')).name).toBe('support-routing');
    expect(readFileSync(join(dir, 'events.jsonl'), 'utf8')).toBe('');
    expect(statSync(join(dir, 'model')).isDirectory()).toBe(true);
    expect(run.status).toBe('running');
  });

  it('is complete only after markComplete, and markComplete refuses while files are missing', () => {
    const dir = join(root, 'run');
    const run = RunDir.create(dir, { runId: 'r1', task: task() });
    expect(() => run.markComplete({ stopReason: 'plateau' })).toThrow(/missing .*summary\.json/);
    expect(readRunStatus(dir)?.status).toBe('running');
    writeAll(run);
    expect(readRunStatus(dir)?.status).toBe('running');
    run.markComplete({ stopReason: 'plateau' });
    const info = readRunStatus(dir)!;
    expect(info).toMatchObject({ status: 'complete', stopReason: 'plateau' });
    expect(typeof info.endedAt).toBe('string');
    for (const f of REQUIRED_FOR_COMPLETE) expect(existsSync(join(dir, f))).toBe(true);
  });

  it('refuses a directory holding a complete run, with a hint', () => {
    const dir = join(root, 'run');
    const run = RunDir.create(dir, { runId: 'r1', task: task() });
    writeAll(run);
    run.markComplete({ stopReason: 'budget' });
    let err: unknown;
    try {
      RunDir.create(dir, { runId: 'r2', task: task() });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(/complete run \(r1\)/);
    expect((err as ConfigError).hint).toMatch(/--out/);
    expect((err as ConfigError).hint).toMatch(/--overwrite/);
    expect(readRunStatus(dir)?.runId).toBe('r1');
  });

  it('replaces a complete run with overwrite', () => {
    const dir = join(root, 'run');
    const old = RunDir.create(dir, { runId: 'r1', task: task() });
    writeAll(old);
    old.markComplete({ stopReason: 'budget' });
    RunDir.create(dir, { runId: 'r2', task: task(), overwrite: true });
    expect(readRunStatus(dir)).toMatchObject({ runId: 'r2', status: 'running' });
    expect(existsSync(join(dir, 'summary.json'))).toBe(false);
    expect(existsSync(join(dir, 'model/student.bin'))).toBe(false);
  });

  it('takes over an incomplete or failed run, clearing only its stale files', () => {
    const dir = join(root, 'run');
    const old = RunDir.create(dir, { runId: 'r1', task: task() });
    old.writeJsonl(RUN_FILES.training, [{ text: 'stale' }]);
    old.appendEvent({ type: 'warning', message: 'old' });
    writeFileSync(join(dir, 'summary.json.tmp-999-deadbeef'), '{"half');
    writeFileSync(join(dir, 'model', 'student.bin.tmp-999-cafe'), 'x');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    // Killed mid-way: run.json still says running (this pid, so not live elsewhere).
    const run = RunDir.create(dir, { runId: 'r2', task: task() });
    expect(readRunStatus(dir)).toMatchObject({ runId: 'r2', status: 'running' });
    expect(existsSync(join(dir, 'training.jsonl'))).toBe(false);
    expect(readFileSync(join(dir, 'events.jsonl'), 'utf8')).toBe('');
    expect(allFiles(dir).some((f) => f.includes('.tmp-'))).toBe(false);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');

    run.markFailed(new ConfigError('bad label', { hint: 'fix it' }));
    expect(readRunStatus(dir)).toMatchObject({
      status: 'failed',
      stopReason: 'error',
      error: { code: 'config', message: 'bad label', hint: 'fix it' },
    });
    RunDir.create(dir, { runId: 'r3', task: task() });
    expect(readRunStatus(dir)).toMatchObject({ runId: 'r3', status: 'running' });
  });

  it('refuses a directory another live process is still writing, unless overwrite', () => {
    const dir = join(root, 'run');
    mkdirSync(dir);
    const info = {
      runId: 'other',
      task: 't',
      status: 'running',
      startedAt: new Date().toISOString(),
      pid: process.ppid,
    };
    writeFileSync(join(dir, 'run.json'), JSON.stringify(info));
    expect(() => RunDir.create(dir, { runId: 'r1', task: task() })).toThrow(/still appears to be running/);
    expect(RunDir.create(dir, { runId: 'r1', task: task(), overwrite: true }).runId).toBe('r1');
  });

  it('refuses a non-empty directory that is not a run, and a path that is a file', () => {
    const dir = join(root, 'mine');
    mkdirSync(dir);
    writeFileSync(join(dir, 'thesis.tex'), 'x');
    expect(() => RunDir.create(dir, { runId: 'r1', task: task() })).toThrow(ConfigError);
    expect(() => RunDir.create(join(dir, 'thesis.tex'), { runId: 'r1', task: task() })).toThrow(/not a directory/);
    RunDir.create(join(root, 'empty-ok'), { runId: 'r1', task: task() });
  });

  it('writes atomically: no temp files are left behind, JSONL has one row per line', () => {
    const dir = join(root, 'run');
    const run = RunDir.create(dir, { runId: 'r1', task: task() });
    for (let i = 0; i < 20; i++) {
      run.writeJson(RUN_FILES.metrics, { i });
      run.writeJsonl(
        RUN_FILES.training,
        Array.from({ length: i }, (_, j) => ({ j, text: 'line\nbreak' })),
      );
    }
    expect(JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'))).toEqual({ i: 19 });
    const lines = readFileSync(join(dir, 'training.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(19);
    expect(JSON.parse(lines[3])).toEqual({ j: 3, text: 'line\nbreak' });
    expect(allFiles(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('appends events one JSON per line, each with the format version and its time', () => {
    const run = RunDir.create(join(root, 'run'), { runId: 'r1', task: task() });
    run.onEvent({ type: 'round-start', round: 0, trainSize: 0, answersUsed: 0 });
    run.appendEvent({ type: 'warning', message: 'two' }, new Date('2025-01-02T03:04:05Z'));
    const lines = readFileSync(run.path('events.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((e) => e.type)).toEqual(['round-start', 'warning']);
    expect(lines.map((e) => e.v)).toEqual([RUN_FORMAT_VERSION, RUN_FORMAT_VERSION]);
    expect(Number.isNaN(Date.parse(lines[0].ts))).toBe(false);
    expect(lines[1]).toEqual({
      v: RUN_FORMAT_VERSION,
      ts: '2025-01-02T03:04:05.000Z',
      type: 'warning',
      message: 'two',
    });
  });

  it('reads and takes over a run written before format versions (no formatVersion in run.json)', () => {
    const dir = join(root, 'old');
    mkdirSync(dir, { recursive: true });
    const old = {
      runId: 'old-1',
      task: 'support-routing',
      status: 'running',
      startedAt: '2024-01-01T00:00:00.000Z',
      pid: 0,
    };
    writeFileSync(join(dir, 'run.json'), JSON.stringify(old));
    writeFileSync(join(dir, 'events.jsonl'), `${JSON.stringify({ type: 'warning', message: 'old line' })}\n`);
    expect(readRunStatus(dir)).toEqual(old);
    RunDir.create(dir, { runId: 'r2', task: task() });
    expect(readRunStatus(dir)).toMatchObject({ runId: 'r2', formatVersion: RUN_FORMAT_VERSION });
  });

  it('keeps run.json to itself and file names inside the directory', () => {
    const run = RunDir.create(join(root, 'run'), { runId: 'r1', task: task() });
    expect(() => run.writeJson('run.json', { status: 'complete' })).toThrow(/markComplete/);
    expect(() => run.path('../escape.json')).toThrow(/escapes/);
    expect(() => run.path('/etc/passwd')).toThrow(/escapes/);
  });

  it('does not downgrade a complete run to failed', () => {
    const dir = join(root, 'run');
    const run = RunDir.create(dir, { runId: 'r1', task: task() });
    writeAll(run);
    run.markComplete({ stopReason: 'max-rounds' });
    run.markFailed(new Error('printing failed'));
    expect(readRunStatus(dir)?.status).toBe('complete');
  });
});

describe('redact', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of ['TEST_API_KEY', 'TEST_SESSION_TOKEN', 'TEST_CLIENT_SECRET', 'TEST_PLAIN']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('scrubs values of *KEY*/*TOKEN*/*SECRET* env vars, raw and JSON-escaped, and nothing else', () => {
    process.env.TEST_API_KEY = 'sk-test-secret-123';
    process.env.TEST_SESSION_TOKEN = 'tok"with\\quote';
    process.env.TEST_PLAIN = 'sk-test-secret-123-not-a-secret-name';
    expect(redact('key=sk-test-secret-123!')).toBe(`key=${REDACTED}!`);
    expect(redact(JSON.stringify({ t: 'tok"with\\quote' }))).toBe(`{"t":"${REDACTED}"}`);
    expect(redact('nothing here')).toBe('nothing here');
  });

  it('ignores values too short to be secrets', () => {
    process.env.TEST_CLIENT_SECRET = '1';
    expect(redact('{"round":1}')).toBe('{"round":1}');
  });

  it('no secret reaches any file of a run directory', () => {
    const secret = 'sk-test-secret-123';
    process.env.TEST_API_KEY = secret;
    const dir = join(root, 'run');
    const run = RunDir.create(dir, { runId: 'r1', task: task(`Classify tickets. Debug: key is ${secret} ok`) });
    writeAll(run);
    run.writeJsonl(RUN_FILES.training, [{ text: `leaked ${secret}`, labels: ['billing'] }]);
    run.writeJsonl(RUN_FILES.rejected, [{ raw: `Authorization: Bearer ${secret}` }]);
    run.appendEvent({ type: 'teacher-retry', attempt: 1, reason: `401 for key ${secret}`, delayMs: 10 });
    const wrong = fixtureWrong(2);
    wrong[0].text = `my key is ${secret}`;
    writeReport(dir, fixtureReportData({ examplesWrong: wrong }));
    run.markFailed(new Error(`auth failed with ${secret}`));
    const files = allFiles(dir);
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toContain(secret);
    expect(readFileSync(join(dir, 'task.json'), 'utf8')).toContain(REDACTED);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain(REDACTED);
    expect(readRunStatus(dir)?.error?.message).toBe(`auth failed with ${REDACTED}`);
  });
});

describe('newRunId', () => {
  it('is <task>-YYYYMMDD-HHMMSS in UTC', () => {
    expect(newRunId('support-routing', new Date('2025-03-07T09:05:02Z'))).toBe('support-routing-20250307-090502');
    expect(newRunId('t', new Date('2024-12-31T23:59:59.999Z'))).toBe('t-20241231-235959');
  });
});

describe('uniqueRunId', () => {
  it('starts with newRunId and differs between runs started in the same second', () => {
    const at = new Date('2025-03-07T09:05:02Z');
    const ids = Array.from({ length: 50 }, () => uniqueRunId('t', at));
    for (const id of ids) expect(id).toMatch(/^t-20250307-090502-[0-9a-f]{6}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
