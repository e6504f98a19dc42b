import { connect } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from './server.js';
import { tempModels, trainTopicModel } from './models.fixture.js';

const tmp = tempModels();
let server: RunningServer;

beforeAll(async () => {
  const file = path.join(tmp.dir, 'support', 'model', 'student.bin');
  trainTopicModel(file);
  // The production deadlines are 10 s and 30 s; the same mechanism, shortened so the test is quick.
  server = await startServer({
    models: [{ name: 'support', file }],
    host: '127.0.0.1',
    port: 0,
    timeouts: { headersTimeout: 300, requestTimeout: 600, connectionsCheckingInterval: 50 },
  });
});
afterAll(async () => {
  await server?.close();
  tmp.cleanup();
});

describe('slow clients', () => {
  it('a client that never finishes its headers is cut off, and others are served meanwhile', async () => {
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8').on('data', (d: string) => (answer += d));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    // Headers started, never ended: the slowloris pattern.
    socket.write('POST /v1/models/support/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n');
    const ok = await fetch(`${server.url}/v1/models/support/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ texts: ['invoice'] }),
    });
    expect(ok.status).toBe(200);
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408|^$/);
  });

  it('a client that sends headers but trickles its body is cut off too', async () => {
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8').on('data', (d: string) => (answer += d));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(
      'POST /v1/models/support/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"te',
    );
    await closed;
    expect(answer).not.toMatch(/^HTTP\/1\.1 200/);
  });
});
