/** A throwaway git repository for tests (real git, no network). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execaSync } from 'execa';

const ENV = {
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
};

export class TempRepo {
  readonly dir = mkdtempSync(join(tmpdir(), 'minpriv-git-'));
  constructor() {
    this.git('init', '-q', '-b', 'main');
  }
  git(...args: string[]): string {
    return execaSync('git', args, { cwd: this.dir, env: ENV }).stdout;
  }
  write(path: string, content: string): void {
    mkdirSync(dirname(join(this.dir, path)), { recursive: true });
    writeFileSync(join(this.dir, path), content);
  }
  commit(message: string): void {
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
