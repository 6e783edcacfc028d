import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { pinnedCommand } from './cpus';

const ROOT = `${__dirname}/../..`;

/** Extra node flags for the started processes, for diagnostics, e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((arg) => arg.length > 0);

/**
 * Starts a TypeScript entry point in its own node process (through tsx), pinned to `cpus` when given (taskset execs
 * node, so the child's pid is node's), and waits until `readyUrl` answers 200.
 */
export async function startProcess(
  entry: string,
  args: string[],
  env: Record<string, string>,
  readyUrl: string,
  cpus?: readonly number[],
): Promise<ChildProcess> {
  const nodeArgs = [...NODE_ARGS, '--import', 'tsx', entry, ...args];
  const [command, commandArgs] = cpus === undefined ? [process.execPath, nodeArgs] : pinnedCommand(cpus, process.execPath, nodeArgs);
  const child = spawn(command, commandArgs, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'ignore'] });
  const deadline = Date.now() + 60_000;
  while (!(await answers200(readyUrl))) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${entry} not ready after 60 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return child;
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function answers200(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    get(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    }).on('error', () => resolve(false));
  });
}
