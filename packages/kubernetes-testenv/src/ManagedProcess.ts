import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';

const running = new Set<ManagedProcess>();

/**
 * Runs the program and SIGKILLs it once the Node process that started it
 * ($1) is gone, checked every second: a control plane whose owner was
 * SIGKILLed (a test runner or web server killed hard) does not outlive it.
 * SIGTERM/SIGINT/SIGHUP to the group reach the program directly.
 */
const WATCHDOG = `owner=$1; shift
"$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
while kill -0 "$child" 2>/dev/null; do
  if ! kill -0 "$owner" 2>/dev/null; then
    kill -KILL "$child" 2>/dev/null
    break
  fi
  sleep 1
done
wait "$child"`;
let exitHookInstalled = false;

/**
 * Kills every still-running child when this Node process exits, so a test
 * run that crashes or is interrupted leaves no control plane behind.
 */
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of running) p.killNow();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      // Someone else (the CLI, a test runner) handles this signal and will
      // stop the control plane; the exit hook above is the last resort.
      if (process.listenerCount(signal) > 1) return;
      for (const p of running) p.killNow();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/**
 * One control plane process: started under a watchdog in its own process
 * group with its output in a log file, stopped with SIGTERM and, after a
 * grace period, SIGKILL of the whole group.
 */
export class ManagedProcess {
  private readonly child: ChildProcess;
  private exited: { code: number | null; signal: string | null } | undefined;
  private readonly exitPromise: Promise<void>;
  private stopping = false;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    readonly logFile: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    installExitHook();
    const out = fs.openSync(logFile, 'a');
    // Through the watchdog, in a process group of its own.
    this.child = spawn(
      '/bin/sh',
      ['-c', WATCHDOG, 'aic-watchdog', String(process.pid), command, ...args],
      { detached: true, stdio: ['ignore', out, out], env },
    );
    fs.closeSync(out);
    running.add(this);
    this.exitPromise = new Promise(resolve => {
      const done = (code: number | null, signal: string | null) => {
        this.exited ??= { code, signal };
        running.delete(this);
        resolve();
      };
      this.child.once('exit', done);
      this.child.once('error', error => {
        fs.appendFileSync(logFile, `\nspawn failed: ${error.message}\n`);
        done(127, null);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Undefined while running; how it ended otherwise. */
  get exit() {
    return this.exited;
  }

  /** The last lines of the log, for error messages. */
  logTail(lines = 15): string {
    try {
      return fs
        .readFileSync(this.logFile, 'utf8')
        .trimEnd()
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '';
    }
  }

  /** Throws with the log's tail if the process ended without being stopped. */
  assertRunning() {
    if (this.exited && !this.stopping) {
      throw new Error(
        `${this.name} exited (code ${this.exited.code}, signal ${
          this.exited.signal
        }); see ${this.logFile}:\n${this.logTail()}`,
      );
    }
  }

  private signalGroup(signal: NodeJS.Signals) {
    if (this.exited || !this.child.pid) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      try {
        this.child.kill(signal);
      } catch {
        // already gone
      }
    }
  }

  /** SIGKILL at once (used from the exit hook, which cannot wait). */
  killNow() {
    this.stopping = true;
    this.signalGroup('SIGKILL');
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.exited) return;
    this.signalGroup('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>(resolve => {
      timer = setTimeout(() => {
        this.signalGroup('SIGKILL');
        resolve();
      }, graceMs);
    });
    await Promise.race([this.exitPromise, killed]);
    clearTimeout(timer);
    await this.exitPromise;
  }
}
