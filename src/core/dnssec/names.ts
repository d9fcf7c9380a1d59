/**
 * Names for DNSSEC: canonical wire form (RFC 4034 §6.2: uncompressed, ASCII
 * letters lower-cased), canonical order (RFC 4034 §6.1), label counts as the
 * RRSIG Labels field counts them (RFC 4034 §3.1.3), and walking up and down
 * the tree. Names are presentation text as the codec decodes them.
 */
import { parseName } from '../codec/name.js';
import { labelsText } from '../codec/text.js';
import { compareBytes, concatBytes } from './bytes.js';

/** A label with its ASCII letters lower-cased (RFC 4034 §6.2, RFC 4343). */
export function lowerLabel(label: Uint8Array): Uint8Array {
  let out: Uint8Array | undefined;
  for (let i = 0; i < label.length; i++) {
    const c = label[i] as number;
    if (c >= 0x41 && c <= 0x5a) (out ??= label.slice())[i] = c | 0x20;
  }
  return out ?? label;
}

/** The labels of `name`, lower-cased, most specific first. */
export function canonicalLabels(name: string): Uint8Array[] {
  return parseName(name).labels.map(lowerLabel);
}

/** Wire form of labels, uncompressed, root byte included. */
export function labelsWire(labels: readonly Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const l of labels) parts.push(Uint8Array.of(l.length), l);
  parts.push(Uint8Array.of(0));
  return concatBytes(parts);
}

/** The canonical wire form of `name` (RFC 4034 §6.2). */
export function nameWire(name: string): Uint8Array {
  return labelsWire(canonicalLabels(name));
}

/** Presentation text of labels (the root for none). */
export function nameOf(labels: readonly Uint8Array[]): string {
  return labels.length === 0 ? '.' : labelsText(labels);
}

/** Canonical order of two names (RFC 4034 §6.1): label by label from the root, each as lower-cased octets. */
export function compareNames(a: readonly Uint8Array[], b: readonly Uint8Array[]): number {
  for (let i = a.length - 1, j = b.length - 1; i >= 0 && j >= 0; i--, j--) {
    const d = compareBytes(a[i] as Uint8Array, b[j] as Uint8Array);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** True when `name` is `zone` or below it (labels lower-cased). */
export function isBelowOrAt(name: readonly Uint8Array[], zone: readonly Uint8Array[]): boolean {
  if (zone.length > name.length) return false;
  for (let i = 1; i <= zone.length; i++) if (compareBytes(name[name.length - i] as Uint8Array, zone[zone.length - i] as Uint8Array) !== 0) return false;
  return true;
}

/** True for the wildcard label `*` (RFC 4592 §2.1.1). */
export function isWildcardLabel(label: Uint8Array | undefined): boolean {
  return label !== undefined && label.length === 1 && label[0] === 0x2a;
}

/** Labels as the RRSIG Labels field counts them: without the root and a leading `*` (RFC 4034 §3.1.3). */
export function sigLabelCount(labels: readonly Uint8Array[]): number {
  return isWildcardLabel(labels[0]) ? labels.length - 1 : labels.length;
}

/** The rightmost `n` labels of `labels`. */
export function suffix(labels: readonly Uint8Array[], n: number): Uint8Array[] {
  return labels.slice(labels.length - n);
}

const STAR = Uint8Array.of(0x2a);

/** `*.` + labels: the wildcard at a closest encloser (RFC 4592 §2.1.1). */
export function wildcardOf(labels: readonly Uint8Array[]): Uint8Array[] {
  return [STAR, ...labels];
}
