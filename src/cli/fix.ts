import type { Command } from './io.js';

// Placeholder until the command lands; the owner of this command replaces this file.
export const run: Command = async (_argv, io) => {
  io.stderr.write('minpriv fix: not available in this build yet\n');
  return 2;
};
