import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenClient } from '../../src/github/client.js';
import { fetchContents } from '../../src/github/contents.js';

const API = 'https://api.github.com';
const repo = { owner: 'acme', repo: 'gitops' };

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

const bigBlob = { data: { repository: { f0: { text: 'kind: Pod\n', byteSize: 1_300_734, isBinary: false, isTruncated: true, oid: 'b16b' } } } };

describe('QA2 #7: the per-file byte cap comes from the config', () => {
  it('by default a 1.3 MB file is skipped with the ways to unblock the check', async () => {
    const scope = nock(API).post('/graphql').reply(200, bigBlob);
    const out = await fetchContents(createTokenClient('t', { plain: true }), repo, 'abc', ['crds/bundle.yaml']);
    expect(out.files).toEqual([
      {
        path: 'crds/bundle.yaml',
        skipped:
          '1300734 bytes, over the 1048576-byte limit: raise `maxFileBytes` in .github/minpriv.yml (up to 10485760), add the file to `exclude`, or set `onError: neutral`',
      },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it('with maxFileBytes raised, the same file is read whole through the blob API', async () => {
    const body = 'kind: ConfigMap\n';
    const scope = nock(API)
      .post('/graphql')
      .reply(200, bigBlob)
      .get('/repos/acme/gitops/git/blobs/b16b')
      .reply(200, { size: 1_300_734, encoding: 'base64', content: Buffer.from(body).toString('base64') });
    const out = await fetchContents(createTokenClient('t', { plain: true }), repo, 'abc', ['crds/bundle.yaml'], { maxBytes: 2_097_152 });
    expect(out.files.map((f) => ('content' in f ? Buffer.from(f.content).toString() : f.skipped))).toEqual(['kind: ConfigMap\n']);
    expect(scope.isDone()).toBe(true);
  });
});
