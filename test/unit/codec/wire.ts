/** Test helpers: build raw DNS messages byte by byte. */

export type Part = number[] | Uint8Array;

export function cat(...parts: Part[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) out.push(...p);
  return Uint8Array.from(out);
}

export const u16 = (v: number): number[] => [v >>> 8, v & 0xff];
export const u32 = (v: number): number[] => [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];

/** Uncompressed wire name of a dotted name (no escapes). */
export function wname(name: string): number[] {
  const out: number[] = [];
  if (name !== '.') for (const l of name.split('.')) out.push(l.length, ...Array.from(l, (c) => c.charCodeAt(0)));
  out.push(0);
  return out;
}

export const ptr = (offset: number): number[] => [0xc0 | (offset >>> 8), offset & 0xff];

export function header(counts: [number, number, number, number], flags = 0x8180, id = 0x1234): number[] {
  return [...u16(id), ...u16(flags), ...counts.flatMap(u16)];
}

/** Question for `name` (wire bytes), type, class IN. */
export const question = (name: number[], type: number): number[] => [...name, ...u16(type), ...u16(1)];

/** Record with owner (wire bytes), type, class IN, ttl 60 and rdata. */
export function rr(owner: number[], type: number, rdata: Part, cls = 1, ttl = 60): number[] {
  return [...owner, ...u16(type), ...u16(cls), ...u32(ttl), ...u16(rdata.length), ...rdata];
}

/** A one-question response `example.com A` with the given answers; offset 12 is the question name. */
export function response(answers: number[][], extra: { ns?: number[][]; ar?: number[][] } = {}): Uint8Array {
  const ns = extra.ns ?? [];
  const ar = extra.ar ?? [];
  return cat(header([1, answers.length, ns.length, ar.length]), question(wname('example.com'), 1), ...answers, ...ns, ...ar);
}

export const OWNER = ptr(12);
