/**
 * `install()`: all outgoing HTTP of the process resolves through sansdns in
 * one call, and `uninstall()` puts everything back.
 *
 * - `http.Agent`s (by default `http.globalAgent` and `https.globalAgent`):
 *   their `createConnection` gets our `lookup` unless the request names its
 *   own (as cacheable-lookup's `install(agent)` does).
 * - undici (and Node's own `fetch`, which reads the same global): given the
 *   `undici` module, its global dispatcher becomes an `Agent` whose
 *   `connect.lookup` is ours; the previous dispatcher comes back on
 *   `uninstall()`. sansdns has no dependencies, so the caller passes undici in.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

/** The parts of the `undici` module that `install` uses. */
export interface UndiciModule {
  readonly Agent: new (options: { connect: { lookup: LookupFunction } }) => unknown;
  setGlobalDispatcher(dispatcher: never): void;
  getGlobalDispatcher(): unknown;
}

/** What to install into. */
export interface InstallOptions {
  /** The lookup to use (default: sansdns/node's module-level `lookup`). */
  readonly lookup?: LookupFunction;
  /** Agents to patch (default: `http.globalAgent` and `https.globalAgent`). */
  readonly agents?: readonly http.Agent[];
  /** The `undici` module, to replace its global dispatcher (and so `fetch`'s). */
  readonly undici?: UndiciModule;
}

type CreateConnection = (options: { lookup?: unknown }, callback?: unknown) => unknown;
const ORIGINAL = Symbol.for('sansdns.install.createConnection');

interface Installed {
  readonly agents: http.Agent[];
  readonly undici?: { readonly module: UndiciModule; readonly previous: unknown };
}

let installed: Installed | undefined;

function patch(agent: http.Agent, lookup: LookupFunction): void {
  const target = agent as unknown as { createConnection: CreateConnection; [ORIGINAL]?: CreateConnection };
  if (target[ORIGINAL] !== undefined) return;
  const original = target.createConnection;
  target[ORIGINAL] = original;
  target.createConnection = function (this: unknown, options, callback) {
    return original.call(this, 'lookup' in options ? options : { ...options, lookup }, callback);
  };
}

function unpatch(agent: http.Agent): void {
  const target = agent as unknown as { createConnection: CreateConnection; [ORIGINAL]?: CreateConnection };
  const original = target[ORIGINAL];
  if (original === undefined) return;
  target.createConnection = original;
  delete target[ORIGINAL];
}

/**
 * Make the agents (and undici, when given) resolve with `lookup`. Throws if
 * already installed: call {@link uninstall} first.
 */
export function install(options: InstallOptions & { readonly lookup: LookupFunction }): void {
  if (installed !== undefined) throw new Error('sansdns is already installed: call uninstall() first');
  const agents = [...(options.agents ?? [http.globalAgent, https.globalAgent])];
  for (const agent of agents) patch(agent, options.lookup);
  let undici: Installed['undici'];
  if (options.undici !== undefined) {
    const previous = options.undici.getGlobalDispatcher();
    options.undici.setGlobalDispatcher(new options.undici.Agent({ connect: { lookup: options.lookup } }) as never);
    undici = { module: options.undici, previous };
  }
  installed = { agents, ...(undici === undefined ? {} : { undici }) };
}

/** Undo {@link install}: the agents' own `createConnection` and undici's previous dispatcher come back. */
export function uninstall(): void {
  if (installed === undefined) return;
  for (const agent of installed.agents) unpatch(agent);
  if (installed.undici !== undefined) {
    const { module, previous } = installed.undici;
    const ours = module.getGlobalDispatcher() as { close?: () => unknown };
    module.setGlobalDispatcher(previous as never);
    void Promise.resolve(ours.close?.()).catch(() => undefined);
  }
  installed = undefined;
}
