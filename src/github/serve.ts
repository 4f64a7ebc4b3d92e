import { type Probot, run } from 'probot';
import { createApp } from '../app.js';
import { type OnError, parseConfig } from '../engine/config.js';
import { InFlightRegistry } from './in-flight.js';
import { type Lifecycle, startLifecycle } from './lifecycle.js';
import { operationSettings } from './operations.js';
import type { SweepSource } from './sweep.js';

const CONFIG_PATH = '.github/minpriv.yml';

/**
 * The production entry: Probot's server with the app, plus the process's duties (drain on SIGTERM/SIGINT,
 * sweep for orphaned check runs). `probot run ./dist/app.js` serves the same app without them.
 */
export async function serve(): Promise<Lifecycle> {
  const settings = operationSettings();
  const registry = new InFlightRegistry(settings);
  const appFn = createApp(registry);
  let probot: Probot | undefined;
  const before = new Set(process.listeners('SIGINT'));
  const server = await run((app: Probot) => {
    probot = app;
    appFn(app);
  });
  // Probot's own SIGINT handler exits at once; the drain replaces it.
  for (const l of process.listeners('SIGINT')) if (!before.has(l)) process.off('SIGINT', l);
  const log = probot ? probot.log.child({ name: 'minpriv' }) : console;
  return startLifecycle({ registry, log, server, ...(probot ? { sweepSource: sweepSourceOf(probot) } : {}) });
}

function sweepSourceOf(probot: Probot): SweepSource {
  return {
    app: () => probot.auth(),
    installation: (id) => probot.auth(id),
    async onError(id, owner, repo): Promise<OnError> {
      const octokit = await probot.auth(id);
      const { config } = await octokit.config.get({ owner, repo, path: CONFIG_PATH });
      const parsed = parseConfig(config);
      return parsed.ok ? parsed.config.onError : 'fail';
    },
  };
}
