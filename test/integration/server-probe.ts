/**
 * Readiness probes of the loopback DNS daemons: one hand-built question over
 * UDP or TCP (RFC 1035 §4.2.2 framing), its reply parsed only as far as the
 * header. A probe never throws: no answer in time is `undefined`. This module
 * imports nothing from `src/`.
 */
import dgram from 'node:dgram';
import net from 'node:net';

/** A question with the given ID and RD set (a recursive resolver answers nothing else), e.g. `id.server. CH TXT` or `<zone> IN SOA`. */
export function probeQuery(id: number, name: string, type: number, klass: number): Buffer {
  const labels = name.split('.').filter((l) => l !== '');
  const parts = [Buffer.from([id >> 8, id & 0xff, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0])];
  for (const l of labels) parts.push(Buffer.from([l.length]), Buffer.from(l, 'ascii'));
  parts.push(Buffer.from([0, type >> 8, type & 0xff, klass >> 8, klass & 0xff]));
  return Buffer.concat(parts);
}

export interface ProbeReply { readonly id: number; readonly rcode: number; readonly aa: boolean; readonly ancount: number; readonly raw: Buffer }

function parseReply(b: Buffer): ProbeReply | undefined {
  if (b.length < 12) return undefined;
  return { id: b.readUInt16BE(0), rcode: b[3]! & 0x0f, aa: (b[2]! & 0x04) !== 0, ancount: b.readUInt16BE(6), raw: b };
}

export function udpProbe(host: string, port: number, query: Buffer, timeoutMs: number): Promise<ProbeReply | undefined> {
  return new Promise((resolve) => {
    const s = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const done = (r: ProbeReply | undefined): void => { clearTimeout(t); s.close(); resolve(r); };
    const t = setTimeout(() => done(undefined), timeoutMs);
    s.on('error', () => done(undefined));
    s.on('message', (m) => {
      const r = parseReply(m);
      if (r !== undefined && r.id === query.readUInt16BE(0)) done(r);
    });
    s.send(query, port, host);
  });
}

export function tcpProbe(host: string, port: number, query: Buffer, timeoutMs: number): Promise<ProbeReply | undefined> {
  return new Promise((resolve) => {
    let buf: Buffer = Buffer.alloc(0);
    const sock = net.connect({ host, port });
    const done = (r: ProbeReply | undefined): void => { clearTimeout(t); sock.destroy(); resolve(r); };
    const t = setTimeout(() => done(undefined), timeoutMs);
    sock.on('error', () => done(undefined));
    sock.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(query.length);
      sock.write(Buffer.concat([len, query]));
    });
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) done(parseReply(buf.subarray(2, 2 + buf.readUInt16BE(0))));
    });
  });
}
