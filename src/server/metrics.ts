/**
 * The server's counters and histograms, kept as plain data so that cluster workers can send their
 * snapshots to the primary, which adds them up for /metrics (see cluster-metrics.ts). Label sets
 * are kept as their rendered Prometheus text (`model="a",status="200"`), which is also the merge key.
 */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export const METRICS = {
  apprentice_http_requests_total: { type: 'counter', help: 'HTTP requests answered, by model, route and status.' },
  apprentice_http_request_duration_seconds: {
    type: 'histogram',
    help: 'Time from request to response, by model and route.',
  },
  apprentice_http_errors_total: { type: 'counter', help: 'Requests answered with an error, by model, route and code.' },
  apprentice_predictions_total: { type: 'counter', help: 'Texts classified, by model.' },
  apprentice_model_reloads_total: {
    type: 'counter',
    help: 'Model file replacements seen on disk, by model and result (loaded or refused).',
  },
  apprentice_model_info: {
    type: 'gauge',
    help: 'The model version being served (1 per model and sha256; two during a reload across workers).',
  },
  apprentice_workers: { type: 'gauge', help: 'Worker processes whose figures are included.' },
} as const;

export type MetricName = keyof typeof METRICS;

export interface HistogramData {
  /** Per bucket of LATENCY_BUCKETS (not cumulative; rendering accumulates), plus +Inf last. */
  counts: number[];
  sum: number;
  count: number;
}

export interface MetricsSnapshot {
  /** Counters and gauges: metric → label text → value. */
  values: Partial<Record<MetricName, Record<string, number>>>;
  histograms: Partial<Record<MetricName, Record<string, HistogramData>>>;
}

export function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`)
    .join(',');
}

export class Metrics {
  private snap: MetricsSnapshot = { values: {}, histograms: {} };

  inc(name: MetricName, labels: Record<string, string>, by = 1): void {
    const series = (this.snap.values[name] ??= {});
    const key = labelText(labels);
    series[key] = (series[key] ?? 0) + by;
  }

  set(name: MetricName, labels: Record<string, string>, value: number): void {
    (this.snap.values[name] ??= {})[labelText(labels)] = value;
  }

  /** Drops every series of `name` (gauges that describe current state are rebuilt before each scrape). */
  clear(name: MetricName): void {
    delete this.snap.values[name];
  }

  observe(name: MetricName, labels: Record<string, string>, seconds: number): void {
    const series = (this.snap.histograms[name] ??= {});
    const key = labelText(labels);
    let h = series[key];
    if (!h) {
      h = { counts: new Array(LATENCY_BUCKETS.length + 1).fill(0), sum: 0, count: 0 };
      series[key] = h;
    }
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]) i++;
    h.counts[i]++;
    h.sum += seconds;
    h.count++;
  }

  snapshot(): MetricsSnapshot {
    return structuredClone(this.snap);
  }
}

/** Adds workers' snapshots: counters and histograms sum, gauges take the largest value. */
export function mergeSnapshots(snaps: readonly MetricsSnapshot[]): MetricsSnapshot {
  const out: MetricsSnapshot = { values: {}, histograms: {} };
  for (const s of snaps) {
    for (const [name, series] of Object.entries(s.values) as [MetricName, Record<string, number>][]) {
      const into = (out.values[name] ??= {});
      const gauge = METRICS[name].type === 'gauge';
      for (const [k, v] of Object.entries(series))
        into[k] = gauge ? Math.max(into[k] ?? Number.NEGATIVE_INFINITY, v) : (into[k] ?? 0) + v;
    }
    for (const [name, series] of Object.entries(s.histograms) as [MetricName, Record<string, HistogramData>][]) {
      const into = (out.histograms[name] ??= {});
      for (const [k, h] of Object.entries(series)) {
        const t = (into[k] ??= { counts: new Array(h.counts.length).fill(0), sum: 0, count: 0 });
        h.counts.forEach((c, i) => {
          t.counts[i] += c;
        });
        t.sum += h.sum;
        t.count += h.count;
      }
    }
  }
  return out;
}

/** The Prometheus text exposition format (version 0.0.4). */
export function renderPrometheus(snap: MetricsSnapshot): string {
  const lines: string[] = [];
  for (const [name, def] of Object.entries(METRICS) as [MetricName, (typeof METRICS)[MetricName]][]) {
    lines.push(`# HELP ${name} ${def.help}`, `# TYPE ${name} ${def.type}`);
    if (def.type === 'histogram') {
      for (const [labels, h] of Object.entries(snap.histograms[name] ?? {})) {
        const sep = labels ? ',' : '';
        let cumulative = 0;
        LATENCY_BUCKETS.forEach((le, i) => {
          cumulative += h.counts[i];
          lines.push(`${name}_bucket{${labels}${sep}le="${le}"} ${cumulative}`);
        });
        lines.push(`${name}_bucket{${labels}${sep}le="+Inf"} ${h.count}`);
        lines.push(`${name}_sum${labels ? `{${labels}}` : ''} ${h.sum}`);
        lines.push(`${name}_count${labels ? `{${labels}}` : ''} ${h.count}`);
      }
    } else {
      for (const [labels, v] of Object.entries(snap.values[name] ?? {}))
        lines.push(`${name}${labels ? `{${labels}}` : ''} ${v}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
