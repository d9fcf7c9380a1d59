/**
 * Headless Chromium for the browser tests: Debian's `chromium` started by
 * the test itself with exactly the flags below and a fresh user data dir,
 * then driven by `playwright-core` over CDP. Nothing is ever downloaded:
 * `playwright-core` ships no browser, and only `/usr/bin/chromium` is used.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';

export const CHROMIUM = process.env['SANSDNS_CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * Every flag that keeps Chromium on loopback. `--host-resolver-rules` makes every host name but the
 * loopback addresses fail without a lookup, so Chromium never asks the system resolver for Google's
 * service hosts; the rest turn off the background services that would try (updates, sync, metrics,
 * safe browsing, field trials, first-run and default-browser checks, QUIC).
 */
export const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--no-default-browser-check',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE [::1], EXCLUDE localhost',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--metrics-recording-only', '--disable-breakpad', '--disable-crash-reporter', '--disable-domain-reliability',
  '--disable-client-side-phishing-detection', '--safebrowsing-disable-auto-update',
  '--disable-features=SafeBrowsing,OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,CertificateTransparencyComponentUpdater',
  '--disable-default-apps', '--disable-extensions', '--disable-quic', '--no-pings', '--no-service-autorun',
  '--disable-field-trial-config', '--password-store=basic', '--use-mock-keychain',
] as const;

export interface RunningChromium {
  readonly browser: Browser;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Why the browser test cannot run here, or `undefined` when it can. */
export async function browserMissing(): Promise<string | undefined> {
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    return `${CHROMIUM} not found (apt-get install chromium)`;
  }
  try {
    await import('playwright-core');
  } catch {
    return 'playwright-core is not installed (npm install playwright-core)';
  }
  return undefined;
}

/** Start Chromium on a fresh profile and connect to it; `stop()` closes it, kills its pid and removes the profile. */
export async function startChromium(timeoutMs = 20_000): Promise<RunningChromium> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'sansdns-chromium-'));
  const child: ChildProcess = spawn(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group, so stop() ends its helper processes too (by this group's id only).
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${CHROMIUM}`);
  let log = '';
  const ws = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`chromium did not start within ${timeoutMs} ms:\n${log}`)), timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(log);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`chromium exited with ${code}:\n${log}`));
    });
  });
  const browser = await chromium.connectOverCDP(ws);
  let stopped = false;
  return {
    browser, pid,
    async stop() {
      if (stopped) return;
      stopped = true;
      await browser.close().catch(() => undefined);
      const signal = (sig: NodeJS.Signals): void => {
        try {
          process.kill(-pid, sig);
        } catch {
          // the group is gone already
        }
      };
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        signal('SIGTERM');
        const timer = setTimeout(() => signal('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      signal('SIGKILL'); // helpers that outlived the main process
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      } catch (error) {
        console.warn(`could not remove ${profile}: ${String(error)}`);
      }
    },
  };
}
