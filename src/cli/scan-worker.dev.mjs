// Under tsx (dev, tests) a worker thread does not inherit tsx's loader: register it here, then load the TypeScript scan thread.
import { register } from 'tsx/esm/api';

register();
await import('./scan-worker.ts');
