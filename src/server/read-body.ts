import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/**
 * Reads a request body as UTF-8, refusing it as soon as it passes `maxBytes`: at once when
 * Content-Length says so, else while streaming (chunked bodies), so an oversized body is never
 * buffered whole.
 */
export function readBody(incoming: IncomingMessage, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new HttpError(413, 'body_too_large', `request body is over the limit of ${maxBytes} bytes`, {
      hint: 'send fewer or shorter texts per request',
      // The rest of the body is not worth reading: close the connection after answering.
      headers: { connection: 'close' },
    });
  const declared = Number(incoming.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        incoming.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size).toString('utf8'));
    };
    const onError = (e: Error) => {
      cleanup();
      reject(new HttpError(400, 'body_unreadable', `request body could not be read: ${e.message}`));
    };
    const cleanup = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
  });
}

/** `application/json`, with or without parameters such as `; charset=utf-8`. */
export function isJson(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0].trim().toLowerCase() === 'application/json';
}
