/** The captured vectors (vectors/captured.json, see vectors/README.md for provenance). */
import { readFileSync } from 'node:fs';

export interface DigRecord { name: string; ttl: number; class: string; type: string; data: string }
export interface Vector {
  id: string;
  transport: 'udp' | 'tcp';
  question: { name: string; type: string };
  response: string;
  expect: {
    rcode: number; qr: boolean; aa: boolean; tc: boolean; rd: boolean; ra: boolean; ad: boolean; cd: boolean;
    questionCount: number; answerCount: number; authorityCount: number; additionalCount: number;
    edns: { version: number; udpSize: number } | null;
    questions: { name: string; class: string; type: string }[];
    answers: DigRecord[]; authority: DigRecord[]; additional: DigRecord[];
  };
}

export const VECTORS = JSON.parse(readFileSync(new URL('../../vectors/captured.json', import.meta.url), 'utf8')) as Vector[];
export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
