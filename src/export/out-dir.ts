import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic.js';

/**
 * Where an export writes. It refuses to replace files a person may have edited or shipped unless
 * told to (`--force`), and checks before writing anything, so a refused export leaves no half of
 * itself behind.
 */
export class ExportDir {
  readonly dir: string;
  readonly written: string[] = [];

  constructor(dir: string, files: readonly string[], options: { force?: boolean } = {}) {
    this.dir = path.resolve(dir);
    if (existsSync(this.dir) && !statSync(this.dir).isDirectory())
      throw new ConfigError(`--out ${dir} is a file, not a directory`, {
        field: '--out',
        hint: 'pass a directory path for --out',
      });
    const taken = files.filter((f) => existsSync(path.join(this.dir, f)));
    if (taken.length > 0 && !options.force)
      throw new ConfigError(`${dir} already holds ${taken.join(', ')}; not overwriting`, {
        field: '--out',
        hint: 'pass --force to overwrite, or choose another --out directory',
      });
    mkdirSync(this.dir, { recursive: true });
  }

  path(file: string): string {
    return path.join(this.dir, file);
  }

  write(file: string, data: string | Uint8Array): void {
    writeFileAtomic(this.path(file), data);
    this.written.push(this.path(file));
  }
}
