import { EXIT_CODE_TABLE } from './exit-codes.js';

export function exitCodesHelp(): string {
  const rows = EXIT_CODE_TABLE.map(([code, meaning]) => `  ${String(code).padStart(3)}  ${meaning}`);
  return `\nExit codes:\n${rows.join('\n')}\n\nSet APPRENTICE_DEBUG=1 to print stack traces with errors.`;
}
