import { parentPort } from 'node:worker_threads';
import type { WorkerRequest, WorkerResponse } from './parallel.ts';
import { createScorer, scoreChunk, type Scorer } from './score.ts';

/**
 * A scoring worker (see parallel.ts): binds the model to the shared feature columns once, then
 * scores each chunk it is sent and transfers the kept pairs back.
 */

if (parentPort === null) throw new Error('worker.ts runs only as a worker thread');
const port = parentPort;
let scorer: Scorer | null = null;

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'init') {
    scorer = createScorer(request.model, request.table);
    return;
  }
  try {
    if (scorer === null) throw new Error('scoring requested before the model was sent');
    const scored = scoreChunk(scorer, request.pairs, request.thresholdWeight);
    const response: WorkerResponse = { type: 'scored', id: request.id, pairs: scored.pairs, weights: scored.weights, scored: request.pairs.length >>> 1 };
    port.postMessage(response, [scored.pairs.buffer as ArrayBuffer, scored.weights.buffer as ArrayBuffer]);
  } catch (error) {
    const response: WorkerResponse = { type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) };
    port.postMessage(response);
  }
});
