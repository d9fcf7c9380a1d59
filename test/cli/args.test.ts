import { describe, expect, it } from 'vitest';
import { parseArgs, type Command } from '../../src/cli/args.js';
import { parseLine } from '../../src/cli/bulk-line.js';
import { parseServerArg } from '../../src/cli/server-arg.js';
import { parseSimulateSpec } from '../../src/cli/simulate-spec.js';
import { reverseName } from '../../src/node.js';
import { defaultAsk, defaultDisplay, resolverKey } from '../../src/cli/settings.js';
import { isUsageError, type UsageErrorCode } from '../../src/cli/usage-error.js';

function query(argv: string[]): Extract<Command, { kind: 'query' }> {
  const c = parseArgs(argv);
  if (c.kind !== 'query') throw new Error(`not a query: ${c.kind}`);
  return c;
}

function usage(argv: string[]): { code: UsageErrorCode; message: string } {
  try {
    parseArgs(argv);
  } catch (e) {
    if (isUsageError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error(`accepted: ${argv.join(' ')}`);
}

const questions = (argv: string[]): { name: string; type: string; class: string }[] =>
  query(argv).questions.map((q) => ({ name: q.name, type: q.type, class: q.class }));

describe('parseArgs: questions as dig reads them', () => {
  it.each([
    [['example.com'], [{ name: 'example.com', type: 'A', class: 'IN' }]],
    [['example.com', 'mx'], [{ name: 'example.com', type: 'MX', class: 'IN' }]],
    [['mx', 'example.com'], [{ name: 'example.com', type: 'MX', class: 'IN' }]],
    [['example.com', 'TYPE65'], [{ name: 'example.com', type: 'HTTPS', class: 'IN' }]],
    [['example.com', 'TYPE65400'], [{ name: 'example.com', type: 'TYPE65400', class: 'IN' }]],
    [['example.com', 'nsec3param'], [{ name: 'example.com', type: 'NSEC3PARAM', class: 'IN' }]],
    [['example.com', 'any'], [{ name: 'example.com', type: 'ANY', class: 'IN' }]],
    [['id.server', 'CH', 'TXT'], [{ name: 'id.server', type: 'TXT', class: 'CH' }]],
    [['id.server', 'txt', 'class3'], [{ name: 'id.server', type: 'TXT', class: 'CH' }]],
    [['x.test', 'HS'], [{ name: 'x.test', type: 'A', class: 'HS' }]],
    [['x.test', 'CLASS65280'], [{ name: 'x.test', type: 'A', class: 'CLASS65280' }]],
    [['-c', 'CH', '-t', 'TXT', '-q', 'id.server'], [{ name: 'id.server', type: 'TXT', class: 'CH' }]],
    [['-tAAAA', 'example.com'], [{ name: 'example.com', type: 'AAAA', class: 'IN' }]],
    [['--type', 'AAAA', 'example.com'], [{ name: 'example.com', type: 'AAAA', class: 'IN' }]],
    [['-q', 'mx'], [{ name: 'mx', type: 'A', class: 'IN' }]],
    [['-x', '192.0.2.1'], [{ name: '1.2.0.192.in-addr.arpa', type: 'PTR', class: 'IN' }]],
    [['-x', '192.0.2.1', 'TXT'], [{ name: '1.2.0.192.in-addr.arpa', type: 'TXT', class: 'IN' }]],
    [['--', 'example.com'], [{ name: 'example.com', type: 'A', class: 'IN' }]],
    [['a.example', 'A', 'b.example', 'MX'], [{ name: 'a.example', type: 'A', class: 'IN' }, { name: 'b.example', type: 'MX', class: 'IN' }]],
    [['MX', 'a.example', 'b.example', 'TXT'], [{ name: 'a.example', type: 'MX', class: 'IN' }, { name: 'b.example', type: 'TXT', class: 'IN' }]],
  ])('%j', (argv, want) => {
    expect(questions(argv)).toEqual(want);
  });

  it('+options before the first name are defaults; after a name, that question only', () => {
    const [a, b] = query(['+norec', 'a.example', '+dnssec', 'b.example', '+cd', '+noall', '+answer']).questions;
    expect(a?.ask).toMatchObject({ rec: false, dnssec: true, cd: false });
    expect(b?.ask).toMatchObject({ rec: false, dnssec: false, cd: true });
    expect(a?.display).toMatchObject({ question: true, answer: true, stats: true });
    expect(b?.display).toMatchObject({ question: false, answer: true, stats: false, comments: false });
  });

  it('reads each query option', () => {
    const [q] = query(['x.test', '+tcp', '+noedns', '+bufsize=4096', '+nocookie', '+search', '+ndots=3', '+time=2', '+tries=4']).questions;
    expect(q?.ask).toEqual({
      rec: true, dnssec: false, cd: false, tcp: true, edns: false, bufsize: 4096, cookie: false,
      search: true, ndots: 3, domain: undefined, time: 2, tries: 4,
    });
    expect(query(['x.test', '+retry=0']).questions[0]?.ask.tries).toBe(1);
    expect(query(['x.test', '+time=0', '+tries=0']).questions[0]?.ask).toMatchObject({ time: 1, tries: 1 });
    expect(query(['x.test', '+bufsize=100']).questions[0]?.ask.bufsize).toBe(512);
    expect(query(['x.test', '+domain=example.test']).questions[0]?.ask).toMatchObject({ search: true, domain: 'example.test' });
    expect(query(['x.test', '+vc', '+recurse', '+nordflag', '+cdflag']).questions[0]?.ask).toMatchObject({ tcp: true, rec: false, cd: true });
  });

  it('shortened options, as dig allows, and +short and +cmd are global', () => {
    const [q] = query(['x.test', '+nocl', '+nott', '+ans', '+noadd']).questions;
    expect(q?.display).toMatchObject({ class: false, ttlid: false, answer: true, additional: false });
    const c = query(['a.example', 'b.example', '+short']);
    expect(c.flags.globals.short).toBe(true);
    expect(c.questions[0]?.display.question).toBe(true);
    expect(query(['+nocmd', 'x.test']).flags.greeting).toBeUndefined();
    expect(query(['x.test', '+nocmd']).flags).toMatchObject({ greeting: { short: false }, globals: { cmd: false } });
  });

  it('command flags', () => {
    const c = query(['@192.0.2.1', '@[2001:db8::1]:5353', '-p', '5300', '-4', 'example.com', '--0x20', '--json', '--trace', '--no-cache', '--timeout', '900']);
    expect(c.flags).toMatchObject({
      servers: [{ kind: 'ip', address: '192.0.2.1', port: undefined }, { kind: 'ip', address: '2001:db8::1', port: 5353 }],
      port: 5300, family: 4, caseRandomization: true, json: true, trace: true, cache: false, timeout: 900, simulate: undefined,
    });
    expect(query(['x.test', '--tcp', '--no-edns', '--no-cookies', '--tries', '3']).questions[0]?.ask)
      .toMatchObject({ tcp: true, edns: false, cookie: false, tries: 3 });
    expect(query(['x.test']).flags).toMatchObject({ servers: [], port: undefined, family: undefined, cache: true, json: false });
  });

  it('+idnout defaults to on only when stdout is a terminal', () => {
    expect(parseArgs(['x.test'], true)).toMatchObject({ questions: [{ display: { idnout: true } }] });
    expect(parseArgs(['x.test'], false)).toMatchObject({ questions: [{ display: { idnout: false } }] });
  });

  it('bulk, demo, help, version', () => {
    expect(parseArgs(['-f', 'names.txt', 'AAAA', '+norec', '--concurrency', '50', '@127.0.0.1:5300', '--json', '--rate', '1000', '--unordered'])).toMatchObject({
      kind: 'bulk', bulk: { file: 'names.txt', concurrency: 50, rate: 1000, unordered: true, output: 'json' },
      defaults: { type: 'AAAA', ask: { rec: false } }, flags: { servers: [{ address: '127.0.0.1', port: 5300 }] },
    });
    expect(parseArgs(['-f', '-'])).toMatchObject({ kind: 'bulk', bulk: { file: '-', concurrency: 100, unordered: false, output: 'line', progress: undefined } });
    expect(parseArgs(['-f', '-', '--dig', '--no-progress'])).toMatchObject({ bulk: { output: 'dig', progress: false } });
    expect(parseArgs(['demo'])).toEqual({ kind: 'demo', seed: undefined });
    expect(parseArgs(['demo', '--seed', '8'])).toEqual({ kind: 'demo', seed: 8 });
    for (const argv of [['--help'], ['-h'], ['help'], ['help', 'main'], ['x.test', '-h']]) expect(parseArgs(argv)).toEqual({ kind: 'help', topic: 'main' });
    for (const argv of [['help', 'demo'], ['demo', '--help'], ['demo', '-h']]) expect(parseArgs(argv)).toEqual({ kind: 'help', topic: 'demo' });
    for (const argv of [['help', 'bulk'], ['-f', 'x', '--help'], ['-f', '-', '-h']]) expect(parseArgs(argv)).toEqual({ kind: 'help', topic: 'bulk' });
    for (const argv of [['help', 'help'], ['help', '--help'], ['help', '-h']]) expect(parseArgs(argv)).toEqual({ kind: 'help', topic: 'help' });
    expect(parseArgs(['help.'])).toMatchObject({ kind: 'query', questions: [{ name: 'help.' }] });
    expect(parseArgs(['-v'])).toEqual({ kind: 'version' });
  });

  it('--simulate', () => {
    expect(query(['--simulate', 'loss=0.3,latency=20,seed=7', 'www.sansdns.test']).flags.simulate)
      .toEqual({ seed: 7, loss: 0.3, latency: 20, jitter: 0, duplicate: 0, reorder: 0 });
    expect(parseSimulateSpec('')).toEqual({ seed: 1, loss: 0, latency: 10, jitter: 0, duplicate: 0, reorder: 0 });
  });
});

describe('parseArgs: usage errors say what was wrong, once', () => {
  it.each<[string[], UsageErrorCode, RegExp]>([
    [[], 'missing-name', /no name/],
    [['--json'], 'missing-name', /no name/],
    [['--bogus', 'x'], 'unknown-option', /unknown option --bogus/],
    [['+bogus', 'x'], 'unknown-option', /invalid option: \+bogus/],
    [['+no', 'x'], 'unknown-option', /invalid option/],
    [['x', '+a'], 'unknown-option', /invalid option: \+a/],
    [['x', '+s'], 'unknown-option', /invalid option: \+s/],
    [['x', '+co'], 'unknown-option', /could be \+comments, \+cookie/],
    [['x', '+trace'], 'unknown-option', /--trace/],
    [['x', '+short=1'], 'bad-value', /takes no value/],
    [['x', '+time'], 'missing-value', /\+time needs a value/],
    [['x', '+notime=1'], 'bad-value', /cannot be negated/],
    [['x', '+tries=many'], 'bad-value', /\+tries needs an integer/],
    [['x', '+edns=1'], 'bad-value', /version 0/],
    [['x', '+domain='], 'missing-value', /\+domain needs a name/],
    [['x', '--timeout'], 'missing-value', /--timeout needs a value/],
    [['x', '--timeout', 'soon'], 'bad-value', /--timeout needs an integer/],
    [['x', '--tries', '0'], 'bad-value', /--tries/],
    [['x', '-p', '0'], 'bad-value', /-p needs an integer in 1\.\.65535/],
    [['-t', 'BOGUS', 'x'], 'bad-type', /unknown type "BOGUS"/],
    [['-t', 'AXFR', 'x'], 'bad-type', /unknown type "AXFR"/],
    [['-c', 'NONE', 'x'], 'bad-value', /unknown class "NONE"/],
    [['a..b'], 'bad-name', /^'a\.\.b' is not a legal name \(empty label\)$/],
    [['-q', 'a..b'], 'bad-name', /^'a\.\.b' is not a legal name \(empty label\)$/],
    [[`${'a'.repeat(64)}.test`], 'bad-name', /label/],
    [['@300.1.2.3', 'x'], 'bad-server', /300\.1\.2\.3 is not an IPv4 address/],
    [['@192.0.2.1:99999', 'x'], 'bad-server', /port 99999/],
    [['@2001:db8::1:53x', 'x'], 'bad-server', /\[address\]:port/],
    [['@ftp://x', 'x'], 'bad-server', /https/],
    [['@https://dns.example/dns-query', '@192.0.2.1', 'x'], 'conflict', /mixed/],
    [['--simulate', 'loss=2', 'x'], 'bad-value', /loss must be a number in 0\.\.1/],
    [['--simulate', 'lag=2', 'x'], 'bad-value', /unknown setting "lag"/],
    [['--simulate', '', '@192.0.2.1', 'x'], 'conflict', /--simulate/],
    [['-4', '-6', 'x'], 'conflict', /contradict/],
    [['x', '--concurrency', '5'], 'conflict', /bulk/],
    [['x', '--unordered'], 'conflict', /bulk/],
    [['-x', 'nope'], 'bad-value', /-x needs an IPv4 or IPv6 address/],
    [['-f', 'a', 'example.com', 'A'], 'extra-argument', /names come from the file/],
    [['-f', 'a', '--concurrency', '0'], 'bad-value', /--concurrency/],
    [['demo', 'x'], 'extra-argument', /demo takes no arguments/],
    [['demo', '--json'], 'conflict', /--json does not apply to demo/],
    [['help', 'bogus'], 'bad-value', /no help on "bogus"/],
    [['x', '--seed', '1'], 'conflict', /--seed applies to demo/],
  ])('%j → %s', (argv, code, message) => {
    const e = usage(argv);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(e.message.match(/not a legal name|bad name/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });
});

describe('bulk lines are dig command lines', () => {
  const defaults = { ask: defaultAsk(), display: defaultDisplay(false), type: 'AAAA', class: undefined, globals: { cmd: true, short: false } };

  it.each([
    ['example.test', [{ name: 'example.test', type: 'AAAA', class: 'IN' }]],
    ['example.test mx', [{ name: 'example.test', type: 'MX', class: 'IN' }]],
    ['  id.server CH TXT  # a comment', [{ name: 'id.server', type: 'TXT', class: 'CH' }]],
    ['-x 192.0.2.1', [{ name: '1.2.0.192.in-addr.arpa', type: 'PTR', class: 'IN' }]],
    ['a.example A b.example -t MX', [{ name: 'a.example', type: 'A', class: 'IN' }, { name: 'b.example', type: 'MX', class: 'IN' }]],
  ])('%s', (line, want) => {
    const work = parseLine(line, defaults);
    if (work.kind !== 'questions') throw new Error(work.kind);
    expect(work.questions.map((q) => ({ name: q.name, type: q.type, class: q.class }))).toEqual(want);
  });

  it('+options on a line apply to it; blank lines and comments ask nothing; mistakes say why', () => {
    const work = parseLine('x.test +norec +tcp', defaults);
    expect(work.kind === 'questions' && work.questions[0]?.ask).toMatchObject({ rec: false, tcp: true });
    expect(defaults.ask.rec).toBe(true);
    expect(parseLine('   ', defaults)).toEqual({ kind: 'blank' });
    expect(parseLine('; all comment', defaults)).toEqual({ kind: 'blank' });
    expect(parseLine('a..b', defaults)).toEqual({ kind: 'bad', code: 'EBADNAME', message: "'a..b' is not a legal name (empty label)" });
    expect(parseLine('x.test @192.0.2.1', defaults)).toMatchObject({ kind: 'bad', code: 'EUSAGE', message: /command line/ });
    expect(parseLine('x.test --json', defaults)).toMatchObject({ kind: 'bad', code: 'EUSAGE' });
    expect(parseLine('+norec', defaults)).toMatchObject({ kind: 'bad', message: 'no name on this line' });
  });

  it('questions that ask alike share a resolver', () => {
    const a = defaultAsk();
    expect(resolverKey({ ...a, dnssec: true, cd: true })).toBe(resolverKey(a));
    expect(resolverKey({ ...a, tcp: true })).not.toBe(resolverKey(a));
    expect(resolverKey({ ...a, rec: false })).not.toBe(resolverKey(a));
  });
});

describe('server arguments', () => {
  it.each([
    ['192.0.2.1', { kind: 'ip', address: '192.0.2.1', port: undefined }],
    ['192.0.2.1:5353', { kind: 'ip', address: '192.0.2.1', port: 5353 }],
    ['2001:DB8::1', { kind: 'ip', address: '2001:db8::1', port: undefined }],
    ['[::1]', { kind: 'ip', address: '::1', port: undefined }],
    ['[::1]:5300', { kind: 'ip', address: '::1', port: 5300 }],
    ['localhost:5300', { kind: 'host', host: 'localhost', port: 5300 }],
    ['ns1.example.', { kind: 'host', host: 'ns1.example', port: undefined }],
    ['https://dns.example/dns-query', { kind: 'doh', url: 'https://dns.example/dns-query' }],
  ])('%s', (text, want) => expect(parseServerArg(text)).toEqual(want));
});

describe('reverse names', () => {
  it('IPv4, IPv6, and not an address', () => {
    expect(reverseName('192.0.2.10')).toBe('10.2.0.192.in-addr.arpa');
    expect(reverseName('::1')).toBe(`1.${'0.'.repeat(31)}ip6.arpa`);
    expect(reverseName('example.com')).toBeUndefined();
  });
});
