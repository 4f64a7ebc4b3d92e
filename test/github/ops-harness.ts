import nock from 'nock';
import { Probot, ProbotOctokit } from 'probot';
import { createApp } from '../../src/app.js';
import { InFlightRegistry } from '../../src/github/in-flight.js';
import { DEFAULT_OPERATIONS, type OperationSettings } from '../../src/github/operations.js';

/** Like harness.makeProbot, with the app's registry of runs in hand and its operation settings chosen. */
export async function probotWithRegistry(settings: Partial<OperationSettings> = {}): Promise<{ probot: Probot; registry: InFlightRegistry }> {
  nock.disableNetConnect();
  const registry = new InFlightRegistry({ ...DEFAULT_OPERATIONS, ...settings });
  const probot = new Probot({
    githubToken: 'test-token',
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })),
    logLevel: 'fatal',
  });
  await probot.load(createApp(registry));
  return { probot, registry };
}
