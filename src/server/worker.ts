/** `node dist/server/worker.js`: the `worker` role, reviews taken off the Redis queue (REDIS_URL required; see src/github/serve.ts). */
import { work } from '../github/serve.js';
import { Metrics } from './metrics.js';

await work({ metrics: new Metrics() });
