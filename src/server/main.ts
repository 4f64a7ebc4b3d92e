/** `node dist/server/main.js`: the app's server with graceful shutdown and the orphan sweep (see src/github/serve.ts). */
import { serve } from '../github/serve.js';

await serve();
