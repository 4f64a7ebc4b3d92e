import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenClient, type Log } from '../../src/github/client.js';

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

function recorder(): { log: Log; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    log: {
      info: (m) => lines.push(`info ${m}`),
      warn: (m) => lines.push(`warn ${m}`),
      error: (m) => lines.push(`error ${m}`),
      debug: (m) => lines.push(`debug ${m}`),
    },
  };
}

describe("the CLI's token client", () => {
  it("logs through minpriv's logger: a failed request it will handle is a debug line, not an error on the console", async () => {
    nock.disableNetConnect();
    nock('https://api.github.com').get('/repos/o/r/contents/.github%2Fminpriv.yml').reply(404, { message: 'Not Found' });
    const { log, lines } = recorder();
    const gh = createTokenClient('ghs_testtoken', { log, plain: true });
    await expect(gh.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: 'o', repo: 'r', path: '.github/minpriv.yml' })).rejects.toMatchObject({
      status: 404,
    });
    expect(lines.filter((l) => !l.startsWith('debug '))).toEqual([]);
    expect(lines.some((l) => l.startsWith('debug ') && l.includes('404'))).toBe(true);
    // Octokit's warnings (deprecations and the like) reach the user.
    (gh as unknown as { log: Log }).log.warn('a deprecation');
    expect(lines.at(-1)).toBe('warn a deprecation');
    expect(nock.isDone()).toBe(true);
  });
});
