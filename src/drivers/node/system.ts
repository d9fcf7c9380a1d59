/**
 * The system's resolver configuration: the reads of `/etc/resolv.conf` and
 * `/etc/hosts`. Parsing is pure and lives in the core (`parseResolvConf`,
 * `parseHosts`); only the file reads are here.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseResolvConf, type ResolvConf } from '../../core/resolv-conf.js';
import { parseHosts, type HostsTable } from '../../core/hosts.js';

/** Read and parse a resolv.conf; a missing or unreadable file gives glibc's defaults. */
export function readResolvConf(path = '/etc/resolv.conf'): ResolvConf {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    // No file: glibc falls back to the loopback server, and so do we.
  }
  return parseResolvConf(text);
}

/** A hosts file read again whenever its modification time changes. */
export class HostsFile {
  private table: HostsTable = new Map();
  private mtime = -1;

  constructor(readonly path = '/etc/hosts') {}

  /** The current table (a `stat` per call; a read when the file changed). */
  get(): HostsTable {
    let mtime: number;
    try {
      mtime = statSync(this.path).mtimeMs;
    } catch {
      this.table = new Map();
      this.mtime = -1;
      return this.table;
    }
    if (mtime !== this.mtime) {
      try {
        this.table = parseHosts(readFileSync(this.path, 'utf8'));
        this.mtime = mtime;
      } catch {
        this.table = new Map();
      }
    }
    return this.table;
  }
}
