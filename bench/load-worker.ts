import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';
import { LOAD_TIMEOUT_SECONDS, type LoadConnection, type LoadOutcome, type LoadPlan, type PhaseOutcome } from './load.ts';
import { percentile, round } from './support.ts';

/**
 * The load generator thread. Autocannon shares one set of headers among all connections of an
 * instance, so each signed-in connection is its own single-connection instance; they run side by
 * side and their responses are pooled here for exact percentiles and status counts.
 *
 * Warm-up and measurement are one continuous run split by the clock, not two runs: a second run
 * would drop fifty connections with requests still in flight and open fifty new ones against a
 * server still busy with the abandoned work, which measures reconnection rather than the page.
 */

interface Tally {
  latencies: number[];
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
}

const emptyTally = (): Tally => ({ latencies: [], statusCodes: {}, errors: 0, timeouts: 0 });

function runConnection(baseUrl: string, connection: LoadConnection, seconds: number, tallyAt: () => Tally): Promise<void> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections: 1,
        duration: seconds,
        timeout: LOAD_TIMEOUT_SECONDS,
        headers: { cookie: connection.cookie },
        requests: connection.paths.map((path) => ({ method: 'GET' as const, path })),
      },
      (error: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      const tally = tallyAt();
      tally.latencies.push(responseTime);
      tally.statusCodes[String(statusCode)] = (tally.statusCodes[String(statusCode)] ?? 0) + 1;
    });
    instance.on('reqError', (error: unknown) => {
      const tally = tallyAt();
      tally.errors += 1;
      if (error instanceof Error && /timed out/.test(error.message)) tally.timeouts += 1;
    });
  });
}

function summarise(tally: Tally, seconds: number): PhaseOutcome {
  const sorted = Float64Array.from(tally.latencies).sort();
  const responses = sorted.length;
  const mean = responses === 0 ? Number.NaN : sorted.reduce((sum, value) => sum + value, 0) / responses;
  return {
    seconds: round(seconds, 2),
    responses,
    reqPerSec: round(responses / seconds),
    latencyMs: {
      mean: round(mean, 2),
      p50: round(percentile(sorted, 0.5), 2),
      p90: round(percentile(sorted, 0.9), 2),
      p99: round(percentile(sorted, 0.99), 2),
      max: round(sorted[responses - 1] ?? Number.NaN, 2),
    },
    statusCodes: tally.statusCodes,
    non200: responses - (tally.statusCodes['200'] ?? 0) + tally.errors,
    errors: tally.errors,
    timeouts: tally.timeouts,
  };
}

/** Drives every connection for warm-up plus measurement; responses are filed by when they arrive. */
async function run(plan: LoadPlan): Promise<LoadOutcome> {
  const warmup = emptyTally();
  const measured = emptyTally();
  // Autocannon stops a connection at its next one-second tick after the duration, so connections
  // end up to a second apart; what arrives after the window, while fewer are running, is dropped.
  const afterwards = emptyTally();
  const startedAt = performance.now();
  const measureFrom = startedAt + plan.warmupSeconds * 1000;
  const measureTo = measureFrom + plan.durationSeconds * 1000;
  const tallyAt = () => {
    const now = performance.now();
    return now < measureFrom ? warmup : now < measureTo ? measured : afterwards;
  };
  await Promise.all(plan.connections.map((connection) => runConnection(plan.baseUrl, connection, plan.warmupSeconds + plan.durationSeconds, tallyAt)));
  return { warmup: summarise(warmup, plan.warmupSeconds), measured: summarise(measured, plan.durationSeconds), afterwards: summarise(afterwards, 1) };
}

const outcome: LoadOutcome = await run(workerData as LoadPlan);
parentPort?.postMessage(outcome);
