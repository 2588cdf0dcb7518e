import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LinkageTable } from './data.ts';
import type { LinkageModel } from './model.ts';
import { scorePairs, type ScoredChunk, type Scorer } from './score.ts';

/**
 * Scoring spread over worker threads. Each worker receives the model and the table's feature
 * columns once — the columns sit on shared memory, so no worker copies them — and then pair chunks,
 * whose buffers are transferred rather than copied in both directions. Results come back in chunk
 * order, so the output is the same as single-threaded scoring. Small inputs are scored on the
 * calling thread, where starting workers would cost more than it saves.
 */

export interface WorkerInit {
  type: 'init';
  model: LinkageModel;
  table: LinkageTable;
}

export interface WorkerScore {
  type: 'score';
  id: number;
  pairs: Uint32Array;
  thresholdWeight: number;
}

export type WorkerRequest = WorkerInit | WorkerScore;

export type WorkerResponse = { type: 'scored'; id: number; pairs: Uint32Array; weights: Float64Array; scored: number } | { type: 'error'; id: number; message: string };

export interface ParallelOptions {
  /** Keep pairs with weight at or above this. */
  thresholdWeight: number;
  /** Worker threads to use (default: the machine's available parallelism). */
  threads?: number;
  /** Total pairs, when known: below `minPairsForWorkers` scoring stays on this thread, and progress reports it. */
  total?: number;
  /** Smallest input worth starting workers for (default 200,000 pairs). */
  minPairsForWorkers?: number;
  onProgress?: (pairsDone: number, total: number) => void;
}

/** Scores pair chunks across worker threads, yielding kept pairs in the order the chunks came in. */
export async function* scorePairsParallel(scorer: Scorer, chunks: Iterable<Uint32Array>, options: ParallelOptions): AsyncGenerator<ScoredChunk> {
  const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  const total = options.total ?? Number.NaN;
  const minimum = options.minPairsForWorkers ?? 200_000;
  const progress = options.onProgress;
  if (threads <= 1 || (Number.isFinite(total) && total < minimum)) {
    yield* scorePairs(scorer, chunks, {
      thresholdWeight: options.thresholdWeight,
      ...(progress === undefined ? {} : { onProgress: (done: number) => progress(done, total) }),
    });
    return;
  }

  const workers: Worker[] = [];
  const inFlight = new Map<Worker, number>();
  const results = new Map<number, ScoredChunk>();
  const iterator = chunks[Symbol.iterator]();
  // Bounds memory when the consumer is slower than the workers.
  const maxBuffered = threads * 4;
  let exhausted = false;
  let nextId = 0;
  let nextToYield = 0;
  let outstanding = 0;
  let done = 0;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };

  const dispatch = (): void => {
    for (const worker of workers) {
      while (!exhausted && failure === null && (inFlight.get(worker) as number) < 2 && outstanding + results.size < maxBuffered) {
        const next = iterator.next();
        if (next.done === true) {
          exhausted = true;
          break;
        }
        const pairs = transferable(next.value);
        const message: WorkerScore = { type: 'score', id: nextId, pairs, thresholdWeight: options.thresholdWeight };
        nextId += 1;
        outstanding += 1;
        inFlight.set(worker, (inFlight.get(worker) as number) + 1);
        worker.postMessage(message, [pairs.buffer as ArrayBuffer]);
      }
    }
  };

  const { table, model } = scorer;
  const shared: LinkageTable = { ...table, ids: [] };
  try {
    for (let t = 0; t < threads; t += 1) {
      const worker = new Worker(new URL('./worker.ts', import.meta.url));
      workers.push(worker);
      inFlight.set(worker, 0);
      worker.on('message', (response: WorkerResponse) => {
        outstanding -= 1;
        inFlight.set(worker, (inFlight.get(worker) as number) - 1);
        if (response.type === 'error') {
          failure ??= new Error(`Scoring worker failed: ${response.message}`);
        } else {
          results.set(response.id, { pairs: response.pairs, weights: response.weights });
          done += response.scored;
          progress?.(done, total);
        }
        notify();
      });
      worker.on('error', (error: Error) => {
        failure ??= error;
        notify();
      });
      worker.on('exit', (code) => {
        if (code !== 0) failure ??= new Error(`A scoring worker stopped with exit code ${code}`);
        notify();
      });
      const init: WorkerInit = { type: 'init', model, table: shared };
      worker.postMessage(init);
    }
    dispatch();
    while (true) {
      if (failure !== null) throw failure;
      const ready = results.get(nextToYield);
      if (ready !== undefined) {
        results.delete(nextToYield);
        nextToYield += 1;
        dispatch();
        if (ready.weights.length > 0) yield ready;
        continue;
      }
      if (exhausted && outstanding === 0) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      dispatch();
    }
  } finally {
    await Promise.all(
      workers.map(async (worker) => {
        worker.removeAllListeners('exit');
        await worker.terminate();
      }),
    );
  }
}

/** A chunk that owns its whole, non-shared buffer, so it can be transferred without disturbing the caller. */
function transferable(chunk: Uint32Array): Uint32Array {
  if (chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && chunk.buffer instanceof ArrayBuffer) return chunk;
  return chunk.slice();
}
