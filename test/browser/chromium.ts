import { existsSync } from 'node:fs';

/**
 * The browser the browser tests drive: Debian's chromium (CI apt-installs it), through
 * playwright-core. Never Playwright's own download. APPRENTICE_CHROMIUM points elsewhere.
 */
export const CHROMIUM_PATH = process.env.APPRENTICE_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu'];

/**
 * Why browser tests cannot run here, or undefined when they can; printed loudly by the suites that
 * skip. With APPRENTICE_REQUIRE_BROWSER=1 (set by .ci/run) a missing browser is an error, not a skip.
 */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  if (process.env.APPRENTICE_REQUIRE_BROWSER === '1')
    throw new Error(`APPRENTICE_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM_PATH}`);
  const why = `SKIPPED: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set APPRENTICE_CHROMIUM); .ci/run installs it and runs these tests`;
  console.warn(`\n*** ${why} ***\n`);
  return why;
}
