import type { Probot } from 'probot';
import { createHandlers, PR_EVENTS, RERUN_EVENTS } from './github/handlers.js';
import { InFlightRegistry } from './github/in-flight.js';
import { operationSettings } from './github/operations.js';

/** The Probot entry: wires events to src/github/, nothing else. Every run is recorded in `registry`. */
export function createApp(registry: InFlightRegistry = new InFlightRegistry(operationSettings())): (app: Probot) => void {
  const handlers = createHandlers(registry);
  return (app) => {
    app.on([...PR_EVENTS], handlers.onPullRequest);
    app.on([...RERUN_EVENTS], handlers.onRerequest);
  };
}

export default createApp();
