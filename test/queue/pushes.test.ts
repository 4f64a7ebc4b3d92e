import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addedPatch, type FakeFile } from '../github/fake-github.js';
import { MultiFake } from './multi-fake.js';
import { deliver, prEvent, type RoleProcess, startRole, until } from './processes.js';
import { REDIS, type RedisServer, startRedis } from './redis.js';

const web = readFileSync(new URL('../fixtures/github/new-deployment.yaml', import.meta.url), 'utf8');
const files: FakeFile[] = [{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web }];
const OLD = 'aaaa1111';
const NEW = 'bbbb2222';
type Output = { title: string; summary: string };

describe.skipIf(!REDIS)('two pushes in quick succession (real processes, real redis-server)', { timeout: 240_000 }, () => {
  let redis: RedisServer;
  let multi: MultiFake;
  let served: { host: string; close(): Promise<void> };
  let webRole: RoleProcess;
  const workers: RoleProcess[] = [];
  const pr = (repo: string, number: number) => ({ installation: 2, owner: 'acme', repo, number });

  beforeAll(async () => {
    redis = await startRedis();
    multi = new MultiFake([
      { ...pr('waiting', 11), headSha: NEW, files, state: { currentHead: NEW } },
      { ...pr('active', 12), headSha: NEW, files, state: { currentHead: OLD, stall: ['GET /repos/acme/active/pulls/12/files'] } },
    ]);
    multi.sameFilesAt.set('acme/active', [OLD]);
    served = await multi.serve();
    webRole = await startRole('web', served.host, redis.url);
  }, 60_000);
  afterAll(async () => {
    webRole?.kill();
    for (const w of workers) w.kill();
    await served?.close();
    await redis?.stop();
  }, 30_000);

  it('a push while the older one waits: only the newest head is reviewed, the older check run says it was superseded', async () => {
    const fake = multi.fake('acme', 'waiting');
    expect((await deliver(webRole.port, 'pull_request', prEvent('synchronize', { ...pr('waiting', 11), headSha: OLD }), 'push-old')).status).toBe(200);
    expect((await deliver(webRole.port, 'pull_request', prEvent('synchronize', { ...pr('waiting', 11), headSha: NEW }), 'push-new')).status).toBe(200);
    await until(() => fake.checkRuns.size === 2, 90_000, 'both queued check runs');
    workers.push(await startRole('worker', served.host, redis.url));
    await until(() => [...fake.checkRuns.values()].every((r) => r.status === 'completed'), 90_000, 'both check runs completed');

    const byHead = Object.fromEntries([...fake.checkRuns.values()].map((r) => [r.head_sha, r]));
    expect(byHead[OLD]).toMatchObject({ conclusion: 'neutral' });
    expect((byHead[OLD]?.output as Output | undefined)?.title).toBe('Superseded by a newer push (bbbb222)');
    expect(byHead[NEW]).toMatchObject({ conclusion: 'failure' });
    expect((byHead[NEW]?.output as Output | undefined)?.title).toBe('5 findings: 1 critical, 4 medium · 1 verified fix');
    expect(multi.reviews().filter((r) => r.repo === 'acme/waiting')).toEqual([{ repo: 'acme/waiting', commit: NEW }]);
    // The older request never ran: no file of it was read.
    expect(fake.lines().filter((l) => l.includes('/files'))).toHaveLength(1);
  });

  it('a push while the older one runs: the older run does not publish, the newest head is reviewed after it', async () => {
    const fake = multi.fake('acme', 'active');
    expect((await deliver(webRole.port, 'pull_request', prEvent('synchronize', { ...pr('active', 12), headSha: OLD }), 'run-old')).status).toBe(200);
    await until(() => fake.requests.some((r) => r.method === 'PATCH'), 90_000, 'the older run taken by the worker');
    fake.state.currentHead = NEW;
    expect((await deliver(webRole.port, 'pull_request', prEvent('synchronize', { ...pr('active', 12), headSha: NEW }), 'run-new')).status).toBe(200);
    await until(() => fake.checkRuns.size === 2, 90_000, 'the second queued check run');
    fake.release();
    await until(() => [...fake.checkRuns.values()].every((r) => r.status === 'completed'), 90_000, 'both check runs completed');

    expect(multi.reviews().filter((r) => r.repo === 'acme/active')).toEqual([{ repo: 'acme/active', commit: NEW }]);
    const byHead = Object.fromEntries([...fake.checkRuns.values()].map((r) => [r.head_sha, r]));
    expect((byHead[OLD]?.output as Output | undefined)?.summary).toContain('the pull request head moved on to bbbb222 while this run worked');
    expect((byHead[NEW]?.output as Output | undefined)?.title).toBe('5 findings: 1 critical, 4 medium · 1 verified fix');
  });
});
