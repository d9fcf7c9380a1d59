/**
 * The system's resolver configuration: the reads of `/etc/resolv.conf` (once,
 * at construction) and `/etc/hosts` (asynchronously, when it changed).
 * Parsing is pure and lives in the core (`parseResolvConf`, `parseHosts`);
 * only the file reads are here.
 */
import { constants, readFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { parseResolvConf, type ResolvConf } from '../../core/resolv-conf.js';
import { parseHosts, type HostsTable } from '../../core/hosts.js';
import { DnsError } from '../../core/errors.js';

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

/** Options of {@link HostsFile}. */
export interface HostsFileOptions {
  /**
   * Bytes read at most (default 16 MiB). Past the cap, the file is read up to
   * the last whole line within the cap, the rest is ignored, and
   * `truncated` is true: names only listed past the cap are asked of DNS.
   */
  readonly maxBytes?: number;
}

/** The size cap of a hosts file (16 MiB): `/etc/hosts` block lists run to a few MiB. */
export const HOSTS_MAX_BYTES = 16 * 1024 * 1024;

const EMPTY_TABLE: HostsTable = new Map();

/**
 * A hosts file, read asynchronously and again only when it changed (its
 * inode, size or modification time), so a lookup never blocks the event
 * loop (issue 18: a 600 MB file was read on every lookup, and a FIFO at the
 * path blocked the process forever). Only a regular file is read: anything
 * else (a FIFO, a device, a directory) counts as no file. Lookups that come
 * while a check is under way share it.
 */
export class HostsFile {
  private table: HostsTable = EMPTY_TABLE;
  private signature = '';
  private pending: Promise<HostsTable> | undefined;
  private readonly maxBytes: number;
  /** True when the last read stopped at `maxBytes`. */
  truncated = false;

  constructor(readonly path = '/etc/hosts', options: HostsFileOptions = {}) {
    const max = options.maxBytes ?? HOSTS_MAX_BYTES;
    if (!Number.isSafeInteger(max) || max < 1) throw new DnsError('EBADOPTION', `option hostsMaxBytes must be a positive integer, got ${String(max)}`);
    this.maxBytes = max;
  }

  /** The current table: a `stat` per call (shared by concurrent calls), a read when the file changed. */
  get(): Promise<HostsTable> {
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async refresh(): Promise<HostsTable> {
    try {
      const st = await stat(this.path);
      if (!st.isFile()) return this.forget();
      const signature = `${st.ino} ${st.size} ${st.mtimeMs}`;
      if (signature === this.signature) return this.table;
      const text = await this.read();
      if (text === undefined) return this.forget();
      this.table = parseHosts(text);
      this.signature = signature;
      return this.table;
    } catch {
      return this.forget();
    }
  }

  private forget(): HostsTable {
    this.table = EMPTY_TABLE;
    this.signature = '';
    this.truncated = false;
    return this.table;
  }

  /**
   * The text, at most `maxBytes` of it, cut at the last whole line past the
   * cap; `undefined` if the path is not a regular file once open (it may
   * have been replaced since the `stat`). Opened non-blocking, so a FIFO
   * put there meanwhile cannot hold a thread of the pool.
   */
  private async read(): Promise<string | undefined> {
    const file = await open(this.path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const st = await file.stat();
      if (!st.isFile()) return undefined;
      const want = Math.min(st.size, this.maxBytes + 1);
      const buf = Buffer.allocUnsafe(want);
      let got = 0;
      while (got < want) {
        const { bytesRead } = await file.read(buf, got, want - got, got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      this.truncated = got > this.maxBytes;
      const end = this.truncated ? buf.lastIndexOf(0x0a, this.maxBytes - 1) + 1 : got;
      return buf.toString('utf8', 0, end);
    } finally {
      await file.close();
    }
  }
}
