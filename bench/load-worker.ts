import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';
import type { LoadConnection, LoadOutcome, LoadPlan, PhaseOutcome } from './load.ts';
import { percentile, round } from './support.ts';

/**
 * The load generator thread. Autocannon shares one set of headers among all connections of an
 * instance, so each signed-in connection is its own single-connection instance; they run side by
 * side and their responses are pooled here for exact percentiles and status counts.
 */

/**
 * Inside a worker thread autocannon hands back its raw, unaggregated result (histograms still
 * encoded), whatever its published types say; these are the fields of it used here.
 */
interface RawResult {
  totalCompletedRequests: number;
  duration: number;
  errors: number;
  timeouts: number;
}

interface Tally {
  latencies: number[];
  statusCodes: Record<string, number>;
  requestErrors: number;
}

function runConnection(baseUrl: string, connection: LoadConnection, seconds: number, tally: Tally): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections: 1,
        duration: seconds,
        headers: { cookie: connection.cookie },
        requests: connection.paths.map((path) => ({ method: 'GET' as const, path })),
      },
      (error: unknown, result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result as unknown as RawResult)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      tally.latencies.push(responseTime);
      tally.statusCodes[String(statusCode)] = (tally.statusCodes[String(statusCode)] ?? 0) + 1;
    });
    instance.on('reqError', () => {
      tally.requestErrors += 1;
    });
  });
}

/** Drives every connection for the given time and sums them as one fifty-connection load. */
async function runPhase(plan: LoadPlan, seconds: number): Promise<PhaseOutcome> {
  const tally: Tally = { latencies: [], statusCodes: {}, requestErrors: 0 };
  const results = await Promise.all(plan.connections.map((connection) => runConnection(plan.baseUrl, connection, seconds, tally)));
  const sorted = Float64Array.from(tally.latencies).sort();
  const responses = sorted.length;
  const mean = responses === 0 ? Number.NaN : sorted.reduce((sum, value) => sum + value, 0) / responses;
  // Each connection's rate over its own measured run, summed: the rate all fifty sustained together.
  const reqPerSec = results.reduce((sum, result) => sum + (result.duration > 0 ? result.totalCompletedRequests / result.duration : 0), 0);
  const errors = Math.max(
    tally.requestErrors,
    results.reduce((sum, result) => sum + result.errors, 0),
  );
  const timeouts = results.reduce((sum, result) => sum + result.timeouts, 0);
  return {
    seconds,
    responses,
    reqPerSec: round(reqPerSec),
    latencyMs: {
      mean: round(mean, 2),
      p50: round(percentile(sorted, 0.5), 2),
      p90: round(percentile(sorted, 0.9), 2),
      p99: round(percentile(sorted, 0.99), 2),
      max: round(sorted[responses - 1] ?? Number.NaN, 2),
    },
    statusCodes: tally.statusCodes,
    non200: responses - (tally.statusCodes['200'] ?? 0) + errors,
    errors,
    timeouts,
  };
}

const plan = workerData as LoadPlan;
const warmup = await runPhase(plan, plan.warmupSeconds);
const measured = await runPhase(plan, plan.durationSeconds);
const outcome: LoadOutcome = { warmup, measured };
parentPort?.postMessage(outcome);
