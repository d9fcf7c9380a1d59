/**
 * The interop harness: our verdict beside delv's and unbound's for every
 * question, each judged against the reference `referenceOf` names for it
 * (`dnssec-questions.ts`). A disagreement with a reference fails the test; the
 * one documented difference between the references (delv's "secure" where
 * RFC 5155 §9.2 forbids AD, on opt-out denials) is listed as known, and
 * asserted to be exactly that.
 */
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { delv, writeUnboundConfig, type Hierarchy } from './dnssec-hierarchy.js';
import { LoopResolver, verdictOf } from './dnssec-loop.js';
import type { Question } from './dnssec-questions.js';

/** One question's verdicts; a reference's is absent when it was not asked. */
export interface Row {
  readonly q: Question;
  readonly ours: string;
  readonly why: string;
  delv?: string;
  delvText?: string;
  unbound?: string;
}

/** Why the unbound run cannot happen here (no unbound, no namespaces), or `undefined`. */
export function namespaceProblem(): string | undefined {
  try {
    execFileSync('sh', ['-c', 'command -v unbound || test -x /usr/sbin/unbound'], { stdio: 'ignore' });
  } catch {
    return 'unbound not found (Debian package unbound); skipping the unbound interop test';
  }
  try {
    execFileSync('unshare', ['--net', 'true'], { stdio: 'ignore' });
  } catch {
    return 'cannot create a network namespace (unshare --net needs root); skipping the unbound interop test';
  }
  return undefined;
}

/** Ask every question of ours and of delv, against the server on 127.0.0.1:`port`, `parallel` at a time. */
export async function withDelv(h: Hierarchy, port: number, qs: readonly Question[], parallel = 3): Promise<Row[]> {
  const ours = new LoopResolver(port, { trustAnchors: h.anchorText, cache: false });
  const rows: Row[] = new Array(qs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < qs.length; i = next++) {
      const q = qs[i] as Question;
      const [mine, theirs] = await Promise.all([ours.ask(q.name, q.type), delv(h, port, q.name, q.type)]);
      const why = mine.kind === 'error' ? mine.error.message : (mine.extendedError?.text ?? '');
      rows[i] = { q, ours: verdictOf(mine), why, delv: theirs.verdict, delvText: theirs.text };
    }
  };
  try {
    await Promise.all(Array.from({ length: parallel }, worker));
  } finally {
    ours.close();
  }
  return rows;
}

/**
 * Ask every question of unbound (and of ours, through unbound with CD) in a
 * network namespace of their own, the authoritative server started there by
 * `serverArgv` on 127.0.0.1:53. Rows come back in the order of `qs`.
 */
export function withUnbound(h: Hierarchy, serverArgv: readonly string[], qs: readonly Question[]): Promise<Row[]> {
  writeUnboundConfig(h);
  const questionsFile = join(h.dir, 'questions.json');
  const serverFile = join(h.dir, 'server.json');
  writeFileSync(questionsFile, JSON.stringify(qs));
  writeFileSync(serverFile, JSON.stringify(serverArgv));
  const args = ['--net', process.execPath, '--import', 'tsx', 'test/integration/dnssec-unbound-run.ts', h.dir, h.anchorText, questionsFile, serverFile];
  return new Promise((resolve, reject) => {
    execFile('unshare', args, { encoding: 'utf8', timeout: 240_000, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      if (err !== null) return reject(new Error(`unbound run failed: ${err.message}\n${stderr}`));
      const lines = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { unbound: string; ours: string; why: string });
      resolve(lines.map((l, i) => ({ q: qs[i] as Question, ours: l.ours, why: l.why, unbound: l.unbound })));
    });
  });
}

/** Our verdict must match this reference's on this question. */
function holds(q: Question, reference: 'delv' | 'unbound'): boolean {
  return reference === 'unbound' || !q.optOutDenial;
}

/** The verdict RFC 5155 §9.2 requires of an opt-out denial: no AD, insecure. */
const OPT_OUT_VERDICT = 'insecure';

export interface Judgement {
  /** Where we differ from a reference that holds for the question: must be empty. */
  readonly disagreements: string[];
  /** delv's documented difference on opt-out denials (it says secure; RFC 5155 §9.2 forbids AD). */
  readonly known: string[];
  /** Known differences that are not what is documented (delv not secure, or ours not insecure): must be empty. */
  readonly unexpected: string[];
  /** Our verdicts, counted. */
  readonly counts: Record<string, number>;
}

/** Judge `rows` for `reference`. */
export function judge(rows: readonly Row[], reference: 'delv' | 'unbound'): Judgement {
  const disagreements: string[] = [];
  const known: string[] = [];
  const unexpected: string[] = [];
  const counts: Record<string, number> = {};
  for (const r of rows) {
    counts[r.ours] = (counts[r.ours] ?? 0) + 1;
    const theirs = reference === 'delv' ? r.delv : r.unbound;
    const line = `${r.q.name} ${r.q.type}: ours ${r.ours}${r.why === '' ? '' : ` (${r.why})`}, ${reference} ${theirs}`;
    if (holds(r.q, reference)) {
      if (r.ours !== theirs) disagreements.push(reference === 'delv' ? `${line}\n${(r.delvText ?? '').split('\n').filter((l) => !l.startsWith(';; fetch')).slice(0, 6).join('\n')}` : line);
      else if (r.q.optOutDenial && r.ours !== OPT_OUT_VERDICT) unexpected.push(`${line}: RFC 5155 §9.2 makes an opt-out denial insecure`);
    } else if (theirs === 'secure' && r.ours === OPT_OUT_VERDICT) {
      known.push(`${r.q.name}/${r.q.type}`);
    } else {
      unexpected.push(`${line}: documented as delv secure, ours ${OPT_OUT_VERDICT} (RFC 5155 §9.2)`);
    }
  }
  return { disagreements, known, unexpected, counts };
}
