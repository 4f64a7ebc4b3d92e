import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { InFlightRegistry } from '../../src/github/in-flight.js';
import { operationSettings } from '../../src/github/operations.js';

type Handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean | Promise<boolean>;

describe('the Probot entry (probot run ./dist/app.js)', () => {
  it('mounts the rule docs on the server it is given, and loads without one', async () => {
    const handlers: Handler[] = [];
    const events: string[] = [];
    const app = { on: (names: string[]) => events.push(...names) } as never;
    createApp(new InFlightRegistry(operationSettings({})), { MINPRIV_PUBLIC_URL: 'https://minpriv.example' })(app, {
      addHandler: (h: Handler) => handlers.push(h),
    } as never);
    expect(events).toContain('pull_request.opened');
    expect(handlers).toHaveLength(1);
    const server = createServer(async (req, res) => {
      if (!(await (handlers[0] as Handler)(req, res))) res.writeHead(418).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const status = (path: string) =>
      new Promise<number>((resolve) => request({ host: '127.0.0.1', port, path }, (res) => resolve(res.resume() && (res.statusCode ?? 0))).end());
    expect(await status('/docs/rules/privileged-container')).toBe(200);
    expect(await status('/elsewhere')).toBe(418);
    server.close();
    // probot.load in tests has no server: its addHandler throws, the app still loads.
    expect(() =>
      createApp(new InFlightRegistry(operationSettings({})), {})(app, {
        addHandler: () => {
          throw new Error('No server instance');
        },
      } as never),
    ).not.toThrow();
  });
});
