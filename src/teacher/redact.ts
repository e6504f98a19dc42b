/** Shortest secret worth redacting: shorter strings would mangle ordinary words and protect nothing. */
const MIN_SECRET_LENGTH = 4;

/** Replaces every occurrence of each secret in `text` with a fixed marker. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    out = out.split(secret).join('[redacted]');
  }
  return out;
}
