/**
 * A provider's batch API (OpenAI Batch, Anthropic Message Batches), as the batch queue uses it:
 * submit requests the SDK built, poll, fetch the results. Items are matched by `customId`.
 */
export interface BatchItem {
  customId: string;
  /** The request body the AI SDK built for the online endpoint. */
  body: object;
}

export type BatchItemResult =
  | { customId: string; ok: true; body: object }
  | { customId: string; ok: false; reason: string };

export interface BatchProgress {
  done: boolean;
  total: number;
  completed: number;
  failed: number;
  /** The provider's word for the state (`in_progress`, `ended`, ...). */
  status: string;
}

export interface BatchApi {
  readonly provider: 'openai' | 'anthropic';
  /** Creates the batch; resolves to its id once the provider has accepted it. */
  submit(items: readonly BatchItem[]): Promise<string>;
  poll(id: string): Promise<BatchProgress>;
  results(id: string): Promise<BatchItemResult[]>;
}

/** How the batch API is reached: the base URL, and the auth headers the SDK sent (never stored). */
export interface BatchHttp {
  baseUrl: string;
  headers: Record<string, string>;
  fetch: typeof globalThis.fetch;
}

export class BatchApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'BatchApiError';
  }
}

export async function batchJson(http: BatchHttp, path: string, init: RequestInit = {}): Promise<any> {
  const res = await http.fetch(`${http.baseUrl}${path}`, {
    ...init,
    headers: { ...http.headers, ...(init.headers as Record<string, string> | undefined) },
  });
  const text = await res.text();
  if (!res.ok)
    throw new BatchApiError(`${init.method ?? 'GET'} ${path}: HTTP ${res.status}: ${text.slice(0, 300)}`, res.status);
  return text ? JSON.parse(text) : {};
}

export async function batchText(http: BatchHttp, url: string): Promise<string> {
  const res = await http.fetch(url, { headers: http.headers });
  const text = await res.text();
  if (!res.ok) throw new BatchApiError(`GET ${url}: HTTP ${res.status}: ${text.slice(0, 300)}`, res.status);
  return text;
}

export function jsonLines(text: string): any[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}
