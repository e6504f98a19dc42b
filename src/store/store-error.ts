import { ApprenticeError } from '../errors.js';

/** The cache/ledger database cannot be used. `file` is the path the user can delete or move away from. */
export class StoreFileError extends ApprenticeError {
  readonly file: string;
  constructor(file: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('store', message, options);
    this.file = file;
  }
}
