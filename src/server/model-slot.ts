import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { ModelFileError } from '../errors.js';
import { stat } from 'node:fs/promises';
import { type LoadedModel, loadModel } from '../student/load-model.js';
import type { ModelInfo } from './schemas.js';

/** What identifies one version of a file on disk: an atomic replace (rename) changes the inode. */
function signature(s: { ino: number; size: number; mtimeMs: number }): string {
  return `${s.ino}:${s.size}:${s.mtimeMs}`;
}

export type ReloadResult =
  | { result: 'unchanged' }
  | { result: 'reloaded'; sha256: string }
  | { result: 'refused'; reason: string };

/**
 * One served model and the file it came from. `check()` looks at the file and swaps in a
 * replacement only once it has loaded completely; a replacement that does not load (truncated,
 * corrupt, half-written, missing) is refused and the current model keeps serving. A refused version
 * is not retried until the file changes again, so a broken file is reported once, not every poll.
 */
export class ModelSlot {
  readonly name: string;
  readonly file: string;
  /** A classifier or an extraction (span) student; the file's header says which. */
  model: LoadedModel;
  sha256: string;
  bytes: number;
  loadedAt: Date;
  reloadError?: string;
  private seen: string;

  /** Loads the file now; throws the loader's ModelFileError when it cannot be served. */
  constructor(name: string, file: string) {
    this.name = name;
    this.file = file;
    const loaded = ModelSlot.read(file);
    this.model = loaded.model;
    this.sha256 = loaded.sha256;
    this.bytes = loaded.bytes;
    this.seen = loaded.sig;
    this.loadedAt = new Date();
  }

  private static read(file: string): { model: LoadedModel; sha256: string; bytes: number; sig: string } {
    // Stat before reading: if the file is replaced in between, the next poll sees a new signature
    // and reads again (the same bytes then count as unchanged).
    let sig: string;
    let bytes: Buffer;
    try {
      sig = signature(statSync(file));
      bytes = readFileSync(file);
    } catch (cause) {
      throw new ModelFileError(file, `cannot read model file: ${(cause as Error).message}`, { cause });
    }
    let model: LoadedModel;
    try {
      model = loadModel(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
    } catch (e) {
      // The loader was handed bytes; name the file again.
      if (e instanceof ModelFileError) throw new ModelFileError(file, e.message, { cause: e, hint: e.hint });
      throw e;
    }
    return { model, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, sig };
  }

  async check(): Promise<ReloadResult> {
    let sig: string;
    try {
      sig = signature(await stat(this.file));
    } catch (e) {
      const reason = `model file is gone: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      if (this.seen === 'missing') return { result: 'unchanged' };
      this.seen = 'missing';
      this.reloadError = reason;
      return { result: 'refused', reason };
    }
    if (sig === this.seen) return { result: 'unchanged' };
    this.seen = sig;
    try {
      const loaded = ModelSlot.read(this.file);
      this.seen = loaded.sig;
      if (loaded.sha256 === this.sha256) {
        // Touched or rewritten with the same bytes: nothing to swap, and any earlier refusal is over.
        this.reloadError = undefined;
        return { result: 'unchanged' };
      }
      this.model = loaded.model;
      this.sha256 = loaded.sha256;
      this.bytes = loaded.bytes;
      this.loadedAt = new Date();
      this.reloadError = undefined;
      return { result: 'reloaded', sha256: loaded.sha256 };
    } catch (e) {
      const reason = (e as Error).message;
      this.reloadError = reason;
      return { result: 'refused', reason };
    }
  }

  info(): ModelInfo {
    return {
      name: this.name,
      kind: this.model.student.kind,
      task: this.model.task,
      // An extraction model's "labels" are its entity types: what its spans can be.
      labels: [...(this.model.task === 'extract' ? this.model.student.types : this.model.student.labels)],
      multi_label: this.model.task === 'classify' && this.model.student.multiLabel,
      sha256: this.sha256,
      bytes: this.bytes,
      loaded_at: this.loadedAt.toISOString(),
      ...(this.reloadError ? { reload_error: this.reloadError } : {}),
    };
  }
}
