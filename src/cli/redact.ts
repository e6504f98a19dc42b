/**
 * Last line of defence for "API keys are never printed": whatever reaches the terminal passes
 * through here, so a key echoed back inside a provider's error message is masked too.
 */
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD)/i;
const KEY_SHAPES = [/\bsk-[A-Za-z0-9_-]{12,}/g, /\bsk-ant-[A-Za-z0-9_-]{12,}/g, /\bBearer\s+[A-Za-z0-9._-]{12,}/g];

export function redactSecrets(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text;
  for (const [name, value] of Object.entries(env)) {
    // Short values would mask ordinary words; real keys are long.
    if (!value || value.length < 8 || !SECRET_NAME.test(name)) continue;
    out = out.split(value).join('***');
  }
  for (const shape of KEY_SHAPES) out = out.replace(shape, '***');
  return out;
}
