// Under tsx (dev, tests) a worker thread does not inherit tsx's loader: register it here, then load the TypeScript task.
import { register } from 'tsx/esm/api';

register();
const task = await import('./plan-task.ts');

export default task.default;
