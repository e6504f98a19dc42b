/** A text as a removal reason shows it: one line, short enough for a report table. */
export function quote(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(line.length > max ? `${line.slice(0, max - 1)}…` : line);
}

export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
