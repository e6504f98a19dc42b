/** "Nice" tick values (1, 2, 5 × 10^k steps) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const rough = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let i = Math.ceil(min / step - 1e-9); i * step <= max + step * 1e-9; i++) ticks.push(roundTo(i * step, step));
  return ticks;
}

/** Rounding to the step's precision keeps 0.30000000000000004 out of labels and domains. */
function roundTo(v: number, step: number): number {
  return Number(v.toFixed(Math.max(0, -Math.floor(Math.log10(step)) + 1)));
}

/** Widens a domain outward to tick boundaries, so lines never touch the frame. */
export function niceDomain(min: number, max: number, count = 5): [number, number] {
  if (!(max > min)) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return [min - pad, max + pad];
  }
  const ticks = niceTicks(min, max, count);
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : max - min;
  return [roundTo(Math.floor(min / step + 1e-9) * step, step), roundTo(Math.ceil(max / step - 1e-9) * step, step)];
}
