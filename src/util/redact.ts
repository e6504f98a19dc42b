/**
 * Belt and braces: nothing in a task or a result should ever hold an API key, but a run directory
 * is the kind of thing people zip up and share, so every string RunDir writes passes through here.
 */

const SECRET_NAME = /KEY|TOKEN|SECRET/i;
/** Shorter values are too likely to be ordinary text ("1", "true") and scrubbing them would corrupt files. */
const MIN_SECRET_LENGTH = 6;
export const REDACTED = '[redacted]';

/** Values of env vars whose names look secret, longest first so a secret containing another is scrubbed whole. */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < MIN_SECRET_LENGTH || !SECRET_NAME.test(name)) continue;
    values.add(value);
    // Inside a JSON string a secret with quotes or backslashes appears in escaped form.
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) values.add(escaped);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

export function redact(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text;
  for (const secret of secretValues(env)) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}
