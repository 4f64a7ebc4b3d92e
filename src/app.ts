import type { ApplicationFunctionOptions, Probot } from 'probot';
import { docsUrlFromEnv } from './core/links.js';
import { createHandlers, PR_EVENTS, RERUN_EVENTS } from './github/handlers.js';
import { InFlightRegistry } from './github/in-flight.js';
import { operationSettings } from './github/operations.js';
import { docsHandler } from './server/docs.js';

/**
 * The Probot entry (`probot run ./dist/app.js`, and the tests): wires events to src/github/, and serves the rule
 * docs that suggestions link to when `MINPRIV_PUBLIC_URL` is set. Every run is recorded in `registry`.
 */
export function createApp(
  registry: InFlightRegistry = new InFlightRegistry(operationSettings()),
  env: NodeJS.ProcessEnv = process.env,
): (app: Probot, options?: Partial<ApplicationFunctionOptions>) => void {
  const docsUrl = docsUrlFromEnv(env);
  const handlers = createHandlers(registry, docsUrl ? { docsUrl } : {});
  return (app, options) => {
    app.on([...PR_EVENTS], handlers.onPullRequest);
    app.on([...RERUN_EVENTS], handlers.onRerequest);
    // `probot run` has a server; `probot.load` in tests does not, and its addHandler throws "No server instance".
    try {
      options?.addHandler?.(docsHandler());
    } catch {}
  };
}

export default createApp();
