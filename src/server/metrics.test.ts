import { describe, expect, it } from 'vitest';
import { Metrics, mergeSnapshots, renderPrometheus } from './metrics.js';

describe('metrics', () => {
  it('sums counters and histograms across workers, takes the max of gauges', () => {
    const a = new Metrics();
    const b = new Metrics();
    a.inc('apprentice_predictions_total', { model: 'm' }, 32);
    b.inc('apprentice_predictions_total', { model: 'm' }, 1);
    a.observe('apprentice_http_request_duration_seconds', { model: 'm', route: 'predict' }, 0.0004);
    b.observe('apprentice_http_request_duration_seconds', { model: 'm', route: 'predict' }, 0.02);
    b.observe('apprentice_http_request_duration_seconds', { model: 'm', route: 'predict' }, 60);
    a.set('apprentice_model_info', { model: 'm', sha256: 'x' }, 1);
    b.set('apprentice_model_info', { model: 'm', sha256: 'x' }, 1);
    const text = renderPrometheus(mergeSnapshots([a.snapshot(), b.snapshot()]));
    expect(text).toContain('apprentice_predictions_total{model="m"} 33\n');
    expect(text).toContain('apprentice_model_info{model="m",sha256="x"} 1\n');
    // Buckets are cumulative and end with +Inf = count.
    expect(text).toContain(
      'apprentice_http_request_duration_seconds_bucket{model="m",route="predict",le="0.0005"} 1\n',
    );
    expect(text).toContain('apprentice_http_request_duration_seconds_bucket{model="m",route="predict",le="0.025"} 2\n');
    expect(text).toContain('apprentice_http_request_duration_seconds_bucket{model="m",route="predict",le="5"} 2\n');
    expect(text).toContain('apprentice_http_request_duration_seconds_bucket{model="m",route="predict",le="+Inf"} 3\n');
    expect(text).toContain('apprentice_http_request_duration_seconds_count{model="m",route="predict"} 3\n');
    expect(text).toMatch(/apprentice_http_request_duration_seconds_sum\{model="m",route="predict"\} 60\.02/);
  });

  it('escapes label values', () => {
    const m = new Metrics();
    m.inc('apprentice_http_errors_total', { code: 'a"b\\c\nd' });
    expect(renderPrometheus(m.snapshot())).toContain('apprentice_http_errors_total{code="a\\"b\\\\c\\nd"} 1');
  });
});
