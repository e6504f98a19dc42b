import {
  type BatchApi,
  type BatchHttp,
  type BatchItem,
  type BatchItemResult,
  type BatchProgress,
  batchJson,
  batchText,
  jsonLines,
} from './types.js';

/**
 * Anthropic's Message Batches: the requests go inline (`params` is the Messages body the SDK built),
 * the batch is polled until `processing_status` is `ended`, and the results come from `results_url`
 * as JSONL: `succeeded` with the message, or `errored` / `canceled` / `expired`.
 */
export function anthropicBatchApi(http: BatchHttp): BatchApi {
  return {
    provider: 'anthropic',
    async submit(items: readonly BatchItem[]) {
      const batch = await batchJson(http, '/messages/batches', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ requests: items.map((i) => ({ custom_id: i.customId, params: i.body })) }),
      });
      return batch.id as string;
    },
    async poll(id: string): Promise<BatchProgress> {
      const b = await batchJson(http, `/messages/batches/${id}`);
      const c = b.request_counts ?? {};
      const failed = (c.errored ?? 0) + (c.canceled ?? 0) + (c.expired ?? 0);
      return {
        done: b.processing_status === 'ended',
        status: b.processing_status,
        total: (c.processing ?? 0) + (c.succeeded ?? 0) + failed,
        completed: c.succeeded ?? 0,
        failed,
      };
    },
    async results(id: string): Promise<BatchItemResult[]> {
      const b = await batchJson(http, `/messages/batches/${id}`);
      if (!b.results_url) return [];
      const url = new URL(b.results_url, `${http.baseUrl}/`).toString();
      return jsonLines(await batchText(http, url)).map(
        (line): BatchItemResult =>
          line.result?.type === 'succeeded'
            ? { customId: line.custom_id, ok: true, body: line.result.message }
            : { customId: line.custom_id, ok: false, reason: line.result?.type ?? 'failed in the batch' },
      );
    },
  };
}
