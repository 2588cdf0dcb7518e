import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface HealthChecks {
  database(): Promise<void>;
  queue(): Promise<boolean>;
}

/**
 * `/ping` says the process answers; `/health` that it can reach the database and the job queue;
 * `/metrics` gives Prometheus request counts and durations plus Node's own figures.
 */
export function setUpObservability(app: FastifyInstance, checks: HealthChecks) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: 'cairn_http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const duration = new Histogram({
    name: 'cairn_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.get('/ping', async () => ({ status: 'ok' }));

  app.get('/health', async (_request, reply) => {
    const [database, queue] = await Promise.all([
      checks.database().then(
        () => 'ok' as const,
        () => 'error' as const,
      ),
      checks.queue().then(
        (ok) => (ok ? ('ok' as const) : ('error' as const)),
        () => 'error' as const,
      ),
    ]);
    const healthy = database === 'ok' && queue === 'ok';
    return reply.status(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'error', checks: { database, queue } });
  });

  app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
}
