import type { StopReason } from '../events.js';

const DASH = '—';

export function pct(x: number | undefined, digits = 1): string {
  return x !== undefined && Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : DASH;
}

export function fixed(x: number | undefined, digits = 3): string {
  return x !== undefined && Number.isFinite(x) ? x.toFixed(digits) : DASH;
}

export function int(x: number | undefined): string {
  return x !== undefined && Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : DASH;
}

/** Cents are too coarse for cheap models: small amounts keep four decimals. */
export function dollars(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return DASH;
  if (x === 0) return '$0';
  return Math.abs(x) < 0.1 ? `$${x.toFixed(4)}` : `$${x.toFixed(2)}`;
}

/** Short form for axis ticks and rates: "$0.02", "$0.101". */
export function dollarsSig(x: number | undefined): string {
  return x !== undefined && Number.isFinite(x) ? (x === 0 ? '$0' : `$${sig(x, 3)}`) : DASH;
}

export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return DASH;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 90) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return m < 90 ? `${m} min ${Math.round(s - m * 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function bytes(n: number): string {
  if (!Number.isFinite(n)) return DASH;
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Significant figures for magnitudes that span orders (µs, ms, ratios). */
export function sig(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
  if (Math.abs(x) >= 10 ** digits) return int(x);
  return Number(x.toPrecision(digits)).toString();
}

export const STOP_REASONS: Record<StopReason, string> = {
  budget: 'teacher budget used up',
  plateau: 'validation score stopped improving',
  'max-rounds': 'reached the maximum number of rounds',
  'pool-exhausted': 'no unlabeled pool inputs left',
  error: 'stopped by an error',
  retrain: "retrained from another run's rows with reviewers' corrections (no teacher asked)",
};
