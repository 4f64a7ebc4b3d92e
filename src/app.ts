import type { Probot } from 'probot';
import { onPullRequest, onRerequest, PR_EVENTS, RERUN_EVENTS } from './github/handlers.js';

/** The Probot entry: wires events to src/github/, nothing else. */
export default function minprivApp(app: Probot): void {
  app.on([...PR_EVENTS], onPullRequest);
  app.on([...RERUN_EVENTS], onRerequest);
}
