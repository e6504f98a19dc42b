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

const DONE = new Set(['completed', 'failed', 'expired', 'cancelled']);

/**
 * OpenAI's Batch API: the requests go up as a JSONL file (`purpose: batch`), a batch is created on
 * `/v1/chat/completions` with a 24 h window, and the output and error files come back as JSONL
 * joined on `custom_id`. A batch that failed or expired as a whole returns every item as failed.
 */
export function openAiBatchApi(http: BatchHttp): BatchApi {
  return {
    provider: 'openai',
    async submit(items: readonly BatchItem[]) {
      const lines = items.map((i) =>
        JSON.stringify({ custom_id: i.customId, method: 'POST', url: '/v1/chat/completions', body: i.body }),
      );
      const form = new FormData();
      form.append('purpose', 'batch');
      form.append('file', new Blob([lines.join('\n')], { type: 'application/jsonl' }), 'apprentice-batch.jsonl');
      const headers = { ...http.headers };
      delete headers['content-type'];
      const file = await batchJson({ ...http, headers }, '/files', { method: 'POST', body: form });
      const batch = await batchJson(http, '/batches', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' }),
      });
      return batch.id as string;
    },
    async poll(id: string): Promise<BatchProgress> {
      const b = await batchJson(http, `/batches/${id}`);
      const counts = b.request_counts ?? {};
      return {
        done: DONE.has(b.status),
        status: b.status,
        total: counts.total ?? 0,
        completed: counts.completed ?? 0,
        failed: counts.failed ?? 0,
      };
    },
    async results(id: string): Promise<BatchItemResult[]> {
      const b = await batchJson(http, `/batches/${id}`);
      const out: BatchItemResult[] = [];
      if (b.output_file_id) {
        for (const line of jsonLines(await batchText(http, `${http.baseUrl}/files/${b.output_file_id}/content`))) {
          const status = line.response?.status_code;
          out.push(
            status === 200
              ? { customId: line.custom_id, ok: true, body: line.response.body }
              : { customId: line.custom_id, ok: false, reason: `HTTP ${status ?? '?'} in the batch` },
          );
        }
      }
      if (b.error_file_id) {
        for (const line of jsonLines(await batchText(http, `${http.baseUrl}/files/${b.error_file_id}/content`))) {
          out.push({
            customId: line.custom_id,
            ok: false,
            reason: line.error?.code ?? line.error?.message ?? 'failed in the batch',
          });
        }
      }
      return out;
    },
  };
}
