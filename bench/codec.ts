/**
 * Per-query codec cost: our encodeQuery + decodeMessage against bare
 * dns-packet encode + decode of the same messages.
 * Run: npx tsx bench/codec.ts
 */
import { Buffer } from 'buffer';
import * as dnsPacket from 'dns-packet';
import { decodeMessage, encodeMessage, encodeQuery, parseName } from '../src/core/codec/index.js';

function time(label: string, n: number, f: () => void): number {
  for (let i = 0; i < n / 10; i++) f();
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f();
  const ns = Number(process.hrtime.bigint() - t) / n;
  console.log(`  ${label.padEnd(34)} ${ns.toFixed(0).padStart(6)} ns`);
  return ns;
}

const N = 200_000;
const names = ['www.example.com', 'a.root-servers.net', 'mail.google.com', 'cdn.jsdelivr.net'];
const opt = { type: 'OPT', name: '.', udpPayloadSize: 1232, flags: 0 } as unknown as dnsPacket.Answer;

const shapes: [string, (name: string) => Uint8Array][] = [
  ['1 A + OPT (dns-packet, uncompressed)', (name) => dnsPacket.encode({
    type: 'response', id: 1, flags: 0x0180, questions: [{ type: 'A', name }],
    answers: [{ type: 'A', name, ttl: 300, data: '192.0.2.1' }], additionals: [opt],
  })],
  ['CNAME + 4 A + OPT (uncompressed)', (name) => dnsPacket.encode({
    type: 'response', id: 1, flags: 0x0180, questions: [{ type: 'A', name }],
    answers: [{ type: 'CNAME', name, ttl: 300, data: `edge.${name}` },
      ...[1, 2, 3, 4].map((i) => ({ type: 'A' as const, name: `edge.${name}`, ttl: 300, data: `10.0.0.${i}` }))],
    additionals: [opt],
  })],
  ['CNAME + 4 AAAA + OPT (compressed)', (name) => encodeMessage({
    id: 1, flags: { qr: true, rd: true, ra: true }, questions: [{ name, type: 28, class: 1 }],
    answers: [{ name, type: 'CNAME', class: 1, ttl: 300, data: `edge.${name}` },
      ...[1, 2, 3, 4].map((i) => ({ name: `edge.${name}`, type: 'AAAA' as const, class: 1, ttl: 300, data: `2001:db8::${i}` }))],
    edns: { payload: 1232 },
  })],
];

const labels = names.map((n) => parseName(n).labels);
let k = 0;
console.log(`node ${process.version}, ${N} iterations each`);
const de = time('dns-packet encode (query + OPT)', N, () => {
  dnsPacket.encode({ type: 'query', id: k & 0xffff, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: names[k++ & 3] as string }], additionals: [opt] });
});
const oe = time('encodeQuery (query + OPT)', N, () => {
  encodeQuery({ id: k & 0xffff, labels: labels[k++ & 3] as Uint8Array[], type: 1, class: 1, rd: true, edns: { payload: 1232 } });
});
const op = time('parseName', N, () => { parseName(names[k++ & 3] as string); });
for (const [label, make] of shapes) {
  const msgs = names.map((n) => Buffer.from(make(n)));
  console.log(`${label}, ${msgs[0]?.length} bytes:`);
  const dd = time('dns-packet decode', N, () => { dnsPacket.decode(msgs[k++ & 3] as Buffer); });
  const od = time('decodeMessage (Buffer input)', N, () => { decodeMessage(msgs[k++ & 3] as Buffer); });
  console.log(`  ours/dns-packet (enc+dec): ${((oe + od) / (de + dd)).toFixed(2)}x; with parseName ${((oe + od + op) / (de + dd)).toFixed(2)}x`);
}
