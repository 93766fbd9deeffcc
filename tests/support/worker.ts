// The job worker as `npm run worker` runs it: the compiled `build/worker.js` (`npm run build`), with
// the same Node options, in a process of its own. Starting it costs about half the CPU of running
// `jobs/worker.ts` through tsx, which compiles every module as it loads.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** `npm run worker`'s command line, read from package.json so that the two cannot differ. */
function workerArgs(): string[] {
  const script = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts.worker;
  const [node, ...args] = script.split(/\s+/);
  if (node !== 'node') throw new Error(`npm run worker is no longer "node …": ${script}`);
  return args;
}

export function workerProcess({ env, stdio = ['ignore', 'inherit', 'inherit'] }: { env: NodeJS.ProcessEnv; stdio?: StdioOptions }): ChildProcess {
  if (!existsSync(`${root}build/worker.js`)) throw new Error('Run `npm run build` before the tests that start the worker.');
  return spawn(process.execPath, workerArgs(), { cwd: root, env, stdio });
}
