import { request } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** Small shared pieces for the benchmark: ports, HTTP probes, statistics and progress lines. */

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Asks the kernel for a port nobody is using, so a child Cairn can be told its port (and base URL)
 * before it starts rather than reporting one back.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('Could not find a free port'))));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface ProbeResponse {
  status: number;
  body: string;
}

/**
 * One GET on a fresh socket that is closed afterwards. Probes must not leave keep-alive sockets
 * behind: those would hold the benchmark process open after a child has gone, or count as a
 * connection beyond the fifty the load test promises.
 */
export function probe(url: string, options: { headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<ProbeResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent: false, headers: { connection: 'close', ...options.headers }, timeout: options.timeoutMs ?? 2000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`Timed out waiting for ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Nearest-rank percentile of an ascending list; the definition HdrHistogram-style tools report. */
export function percentile(sortedAscending: ArrayLike<number>, fraction: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  const rank = Math.min(sortedAscending.length, Math.max(1, Math.ceil(fraction * sortedAscending.length)));
  return sortedAscending[rank - 1] ?? Number.NaN;
}

export const round = (value: number, places = 1) => Math.round(value * 10 ** places) / 10 ** places;

/** Progress goes to stderr so the table on stdout can be piped on its own. */
export function say(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Reads a positive number of seconds from the environment, refusing nonsense rather than guessing. */
export function secondsFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of seconds, not "${raw}"`);
  return value;
}
