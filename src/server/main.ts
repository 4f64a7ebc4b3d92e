/**
 * `node dist/server/main.js`: the `web` role. Without REDIS_URL it is the whole app (reviews in this process, drain
 * on shutdown, orphan sweep); with it, deliveries are queued for `node dist/server/worker.js` (see src/github/serve.ts).
 */
import { serve } from '../github/serve.js';
import { Metrics } from './metrics.js';

await serve({ metrics: new Metrics() });
