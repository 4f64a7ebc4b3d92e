/** What a CLI command may touch: streams, the working directory and the environment. Injected so tests run in-process. */
export interface CommandIO {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  cwd: string;
  env: Record<string, string | undefined>;
}

/** A command returns its exit code: 0 clean, 1 findings at or above --fail-on, 2 usage or I/O error. */
export type Command = (argv: string[], io: CommandIO) => Promise<number>;

export class UsageError extends Error {
  readonly code = 'USAGE';
}
