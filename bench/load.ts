import { Worker } from 'node:worker_threads';

/**
 * How long a request may go unanswered before it counts as failed (autocannon's own default). A
 * page that takes longer than this has failed its user whatever status it would have carried.
 */
export const LOAD_TIMEOUT_SECONDS = 10;

/** One keep-alive connection of the load: its own signed-in session and the pages it cycles over. */
export interface LoadConnection {
  cookie: string;
  paths: string[];
}

export interface LoadPlan {
  baseUrl: string;
  connections: LoadConnection[];
  warmupSeconds: number;
  durationSeconds: number;
}

export interface PhaseOutcome {
  seconds: number;
  responses: number;
  reqPerSec: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  statusCodes: Record<string, number>;
  /** Responses other than 200, plus connection errors and timeouts: all must be zero. */
  non200: number;
  errors: number;
  timeouts: number;
}

export interface LoadOutcome {
  warmup: PhaseOutcome;
  measured: PhaseOutcome;
  /** What arrived after the window while connections were stopping: checked, not measured. */
  afterwards: PhaseOutcome;
}

/**
 * Runs the load generator on its own thread. Cairn serves from the main thread, so autocannon
 * there would steal the very event loop being measured; a worker gives it a loop (and, on a
 * multi-core machine, a core) of its own.
 */
export async function runLoad(plan: LoadPlan): Promise<LoadOutcome> {
  const worker = new Worker(new URL('./load-worker.ts', import.meta.url), { workerData: plan });
  try {
    return await new Promise<LoadOutcome>((resolve, reject) => {
      worker.once('message', (outcome: LoadOutcome) => resolve(outcome));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`The load worker stopped (exit code ${code}) before reporting`)));
    });
  } finally {
    await worker.terminate();
  }
}
