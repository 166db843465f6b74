import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '../test/support/processes.ts';
import { render } from './alerting.pages.ts';
import { onInterrupt, out, track } from './runner.support.ts';

// The comparison stack of `npm run bench:alerting`: Prometheus, blackbox_exporter and two
// Alertmanagers (as they come, and tuned) from Debian's packages, run as this bench's own processes
// with its own config files (scripts/bench/alerting/*.yml) in a temp directory, on loopback ports.

export const debianPackages = ['prometheus', 'prometheus-blackbox-exporter', 'prometheus-alertmanager'] as const;
export const installCommand = `apt-get install -y --no-install-recommends ${debianPackages.join(' ')}`;

interface Binaries {
  prometheus: string;
  blackbox: string;
  alertmanager: string;
}

function which(names: string[]): string | undefined {
  for (const name of names) {
    for (const dir of (process.env.PATH ?? '').split(':')) {
      if (dir && existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return undefined;
}

function findBinaries(): Binaries | undefined {
  const prometheus = which(['prometheus']);
  const blackbox = which(['prometheus-blackbox-exporter', 'blackbox_exporter']);
  const alertmanager = which(['prometheus-alertmanager', 'alertmanager']);
  return prometheus && blackbox && alertmanager ? { prometheus, blackbox, alertmanager } : undefined;
}

/**
 * The stack's binaries; when they are missing and this runs as root with apt-get, installs Debian's
 * packages first (BENCH_ALERTING_INSTALL=0 forbids it). Undefined, with a line saying how to install
 * them, when they cannot be had.
 */
export function stackBinaries(): Binaries | undefined {
  const found = findBinaries();
  if (found) return found;
  const mayInstall = process.getuid?.() === 0 && process.env.BENCH_ALERTING_INSTALL !== '0' && which(['apt-get']);
  if (!mayInstall) {
    out(`Prometheus, blackbox_exporter or Alertmanager not found on PATH. Install Debian's packages with: sudo ${installCommand}`);
    return undefined;
  }
  out(`installing the comparison stack: ${installCommand} (the packages also enable their system services; this bench runs its own processes)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let result = spawnSync('apt-get', installCommand.split(' ').slice(1), { env, encoding: 'utf8', timeout: 600_000 });
  if (result.status !== 0) {
    // A fresh machine has no package lists yet.
    spawnSync('apt-get', ['update', '-qq'], { env, encoding: 'utf8', timeout: 300_000 });
    result = spawnSync('apt-get', installCommand.split(' ').slice(1), { env, encoding: 'utf8', timeout: 600_000 });
  }
  if (result.status !== 0) {
    out(`installing failed (${result.status}): ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ')}`);
    out(`install them with: sudo ${installCommand}`);
    return undefined;
  }
  return findBinaries();
}

function version(bin: string): string {
  const text = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return /version (\S+)/.exec(`${text.stdout}${text.stderr}`)?.[1] ?? '?';
}

interface Daemon {
  child: ChildProcess;
  output(): string;
}

function daemon(bin: string, args: string[]): Daemon {
  const child = track(spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  let text = '';
  const keep = (d: Buffer) => void (text = (text + d.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => text };
}

export interface Stack {
  /** e.g. "Prometheus 2.42.0, blackbox_exporter 0.23.0, Alertmanager 0.25.0". */
  versions: string;
  /** Resolves once both Alertmanagers are ready and Prometheus has every target probed up. */
  ready(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** URLs blackbox_exporter probes (the flips' target paths). */
  targets: string[];
  /** Where each Alertmanager posts its webhook. */
  webhooks: { default: string; tuned: string };
}

const templates = join(import.meta.dirname, 'alerting');
const template = (name: string) => readFileSync(join(templates, name), 'utf8');

/** Writes the configs to a temp directory and starts blackbox_exporter, both Alertmanagers and Prometheus. */
export async function startStack(bin: Binaries, options: StackOptions): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'pharos-bench-alerting-'));
  const daemons: Daemon[] = [];
  try {
    const [blackboxPort, promPort, amDefaultPort, amTunedPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const addr = (port: number) => `127.0.0.1:${port}`;
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const blackbox = file('blackbox.yml', template('blackbox.yml'));
    const rules = file('rules.yml', template('rules.yml'));
    const prometheus = file('prometheus.yml', render(template('prometheus.yml'), {
      RULES_FILE: JSON.stringify(rules), ALERTMANAGERS: JSON.stringify([addr(amDefaultPort), addr(amTunedPort)]), TARGETS: JSON.stringify(options.targets), BLACKBOX: addr(blackboxPort),
    }));
    const am = (flavour: 'default' | 'tuned', port: number) => {
      const config = file(`alertmanager.${flavour}.yml`, render(template(`alertmanager.${flavour}.yml`), { WEBHOOK_URL: JSON.stringify(options.webhooks[flavour]) }));
      mkdirSync(join(dir, `am-${flavour}`));
      // --cluster.listen-address= turns off the gossip cluster (each Alertmanager stands alone).
      return daemon(bin.alertmanager, [`--config.file=${config}`, `--storage.path=${join(dir, `am-${flavour}`)}`, `--web.listen-address=${addr(port)}`, '--cluster.listen-address=', '--log.level=warn']);
    };
    daemons.push(daemon(bin.blackbox, [`--config.file=${blackbox}`, `--web.listen-address=${addr(blackboxPort)}`, '--log.level=warn']));
    daemons.push(am('default', amDefaultPort), am('tuned', amTunedPort));
    daemons.push(daemon(bin.prometheus, [`--config.file=${prometheus}`, `--storage.tsdb.path=${join(dir, 'prometheus')}`, `--web.listen-address=${addr(promPort)}`, '--log.level=warn']));
    const exited = () => daemons.find((d) => d.child.exitCode !== null || d.child.signalCode !== null);
    let forget = () => {};
    const stop = async () => {
      forget();
      await Promise.all(daemons.map((d) => {
        if (d.child.exitCode !== null || d.child.signalCode !== null) return undefined;
        const gone = new Promise((r) => d.child.once('exit', r));
        d.child.kill('SIGTERM');
        return Promise.race([gone, new Promise((r) => setTimeout(r, 5_000)).then(() => d.child.kill('SIGKILL'))]);
      }));
      rmSync(dir, { recursive: true, force: true });
    };
    forget = onInterrupt(stop);
    const ok = (url: string) => fetch(url).then((r) => r.ok, () => false);
    return {
      versions: `Prometheus ${version(bin.prometheus)}, blackbox_exporter ${version(bin.blackbox)}, Alertmanager ${version(bin.alertmanager)}`,
      async ready(timeoutMs) {
        await waitFor('the comparison stack ready (every target probed up)', timeoutMs, async () => {
          const dead = exited();
          if (dead) throw new Error(`${dead.child.spawnfile} exited (${dead.child.exitCode ?? dead.child.signalCode}):\n${dead.output()}`);
          if (!(await ok(`http://${addr(amDefaultPort)}/-/ready`)) || !(await ok(`http://${addr(amTunedPort)}/-/ready`))) return false;
          const res = await fetch(`http://${addr(promPort)}/api/v1/query?query=${encodeURIComponent('probe_success{job="blackbox"} == 1')}`).catch(() => undefined);
          if (!res?.ok) return false;
          const up = ((await res.json()) as { data?: { result?: unknown[] } }).data?.result?.length ?? 0;
          return up >= options.targets.length;
        }, 500);
      },
      stop,
    };
  } catch (error) {
    for (const d of daemons) d.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
