import net from 'node:net';
import { KubernetesTestEnvOptions } from './types';

// Choosing the control plane's ports.

/** The port range: the option, else AIC_TESTENV_PORTS (`from-to`), else 17000-17999. */
export function portRange(options: KubernetesTestEnvOptions): [number, number] {
  if (options.portRange) return options.portRange;
  const env = /^(\d+)-(\d+)$/.exec(process.env.AIC_TESTENV_PORTS ?? '');
  return env ? [Number(env[1]), Number(env[2])] : [17000, 17999];
}

function portFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `count` free ports from the range, tried in a random order. */
export async function pickPorts(
  count: number,
  [from, to]: [number, number],
  taken: number[] = [],
): Promise<number[]> {
  const candidates: number[] = [];
  for (let p = from; p <= to; p++) if (!taken.includes(p)) candidates.push(p);
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
  }
  const picked: number[] = [];
  for (const p of candidates) {
    if (picked.length === count) break;
    if (await portFree(p)) picked.push(p);
  }
  if (picked.length < count) {
    throw new Error(`No ${count} free ports between ${from} and ${to}`);
  }
  return picked;
}
