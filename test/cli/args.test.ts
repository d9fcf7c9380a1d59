import { describe, expect, it } from 'vitest';
import { parseArgs, type Command } from '../../src/cli/args.js';
import { parseServerArg } from '../../src/cli/server-arg.js';
import { parseSimulateSpec } from '../../src/cli/simulate-spec.js';
import { reverseName } from '../../src/api/servers.js';
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

describe('parseArgs: accepted command lines', () => {
  it.each([
    [['example.com'], { name: 'example.com', type: 'A' }],
    [['example.com', 'mx'], { name: 'example.com', type: 'MX' }],
    [['example.com', 'TYPE65'], { name: 'example.com', type: 'HTTPS' }],
    [['example.com', 'TYPE65534'], { name: 'example.com', type: 'TYPE65534' }],
    [['-t', 'AAAA', 'example.com'], { name: 'example.com', type: 'AAAA' }],
    [['-x', '192.0.2.1'], { name: '1.2.0.192.in-addr.arpa', type: 'PTR' }],
    [['-x', '2001:db8::1'], { name: `1.0.0.0.${'0.'.repeat(20)}8.b.d.0.1.0.0.2.ip6.arpa`, type: 'PTR' }],
    [['--', 'example.com'], { name: 'example.com', type: 'A' }],
  ])('%j', (argv, want) => {
    const c = query(argv);
    expect({ name: c.name, type: c.type }).toEqual(want);
  });

  it('reads every flag', () => {
    const c = query(['@192.0.2.1', '@[2001:db8::1]:5353', 'example.com', 'TXT', '+tcp', '--timeout', '900', '--tries=3',
      '--no-edns', '--no-cookies', '--0x20', '--json', '--trace']);
    expect(c.flags).toEqual({
      servers: [{ kind: 'ip', address: '192.0.2.1', port: 53 }, { kind: 'ip', address: '2001:db8::1', port: 5353 }],
      tcp: true, timeout: 900, tries: 3, edns: false, cookies: false, caseRandomization: true, json: true, trace: true, simulate: undefined,
    });
  });

  it('has defaults', () => {
    expect(query(['example.com']).flags).toEqual({
      servers: [], tcp: false, timeout: undefined, tries: undefined, edns: true, cookies: undefined,
      caseRandomization: false, json: false, trace: false, simulate: undefined,
    });
  });

  it('bulk, demo, help, version', () => {
    expect(parseArgs(['-f', 'names.txt', 'AAAA', '--concurrency', '50', '@127.0.0.1:5300', '--json'])).toMatchObject({
      kind: 'bulk', file: 'names.txt', type: 'AAAA', concurrency: 50, flags: { json: true, servers: [{ address: '127.0.0.1', port: 5300 }] },
    });
    expect(parseArgs(['-f', '-'])).toMatchObject({ kind: 'bulk', file: '-', type: 'A', concurrency: 10 });
    expect(parseArgs(['demo'])).toEqual({ kind: 'demo', seed: undefined });
    expect(parseArgs(['demo', '--seed', '8'])).toEqual({ kind: 'demo', seed: 8 });
    expect(parseArgs(['--help'])).toEqual({ kind: 'help', topic: 'main' });
    expect(parseArgs(['-h'])).toEqual({ kind: 'help', topic: 'main' });
    expect(parseArgs(['help'])).toEqual({ kind: 'help', topic: 'main' });
    expect(parseArgs(['help', 'demo'])).toEqual({ kind: 'help', topic: 'demo' });
    expect(parseArgs(['demo', '--help'])).toEqual({ kind: 'help', topic: 'demo' });
    expect(parseArgs(['demo', '-h'])).toEqual({ kind: 'help', topic: 'demo' });
    expect(parseArgs(['help.'])).toMatchObject({ kind: 'query', name: 'help.' });
    expect(parseArgs(['-v'])).toEqual({ kind: 'version' });
    expect(parseArgs(['demo.'])).toMatchObject({ kind: 'query', name: 'demo.' });
  });

  it('--simulate', () => {
    expect(query(['--simulate', 'loss=0.3,latency=20,seed=7', 'www.sansdns.test']).flags.simulate)
      .toEqual({ seed: 7, loss: 0.3, latency: 20, jitter: 0, duplicate: 0, reorder: 0 });
    expect(parseSimulateSpec('')).toEqual({ seed: 1, loss: 0, latency: 10, jitter: 0, duplicate: 0, reorder: 0 });
  });
});

describe('parseArgs: usage errors say what was wrong', () => {
  it.each<[string[], UsageErrorCode, RegExp]>([
    [[], 'missing-name', /no name/],
    [['--json'], 'missing-name', /no name/],
    [['--bogus', 'x'], 'unknown-option', /unknown option --bogus/],
    [['+short', 'x'], 'unknown-option', /\+short/],
    [['x', '--timeout'], 'missing-value', /--timeout needs a value/],
    [['x', '--timeout', 'soon'], 'bad-value', /--timeout needs an integer/],
    [['x', '--tries', '0'], 'bad-value', /--tries/],
    [['x', 'BOGUS'], 'bad-type', /unknown type "BOGUS"/],
    [['a..b'], 'bad-name', /bad name "a..b"/],
    [['x', 'A', 'extra'], 'extra-argument', /unexpected argument "extra"/],
    [['@300.1.2.3', 'x'], 'bad-server', /300\.1\.2\.3 is not an IPv4 address/],
    [['@192.0.2.1:99999', 'x'], 'bad-server', /port 99999/],
    [['@2001:db8::1:53x', 'x'], 'bad-server', /\[address\]:port/],
    [['@ftp://x', 'x'], 'bad-server', /https/],
    [['@https://dns.example/dns-query', '@192.0.2.1', 'x'], 'conflict', /mixed/],
    [['@https://dns.example/dns-query', '--tcp', 'x'], 'conflict', /--tcp/],
    [['--simulate', 'loss=2', 'x'], 'bad-value', /loss must be a number in 0\.\.1/],
    [['--simulate', 'lag=2', 'x'], 'bad-value', /unknown setting "lag"/],
    [['--simulate', '', '@192.0.2.1', 'x'], 'conflict', /--simulate/],
    [['--cookies', '--no-cookies', 'x'], 'conflict', /contradict/],
    [['x', '--concurrency', '5'], 'conflict', /bulk/],
    [['-x', 'nope'], 'bad-value', /-x needs an IPv4 or IPv6 address/],
    [['-f', 'a', '-x', '192.0.2.1'], 'conflict', /-x and -f/],
    [['-f', 'a', 'example.com', 'A'], 'extra-argument', /names come from the file/],
    [['demo', 'x'], 'extra-argument', /demo takes no arguments/],
    [['demo', '--json'], 'conflict', /--json does not apply to demo/],
  ])('%j → %s', (argv, code, message) => {
    const e = usage(argv);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });
});

describe('server arguments', () => {
  it.each([
    ['192.0.2.1', { kind: 'ip', address: '192.0.2.1', port: 53 }],
    ['192.0.2.1:5353', { kind: 'ip', address: '192.0.2.1', port: 5353 }],
    ['2001:DB8::1', { kind: 'ip', address: '2001:db8::1', port: 53 }],
    ['[::1]', { kind: 'ip', address: '::1', port: 53 }],
    ['[::1]:5300', { kind: 'ip', address: '::1', port: 5300 }],
    ['localhost:5300', { kind: 'host', host: 'localhost', port: 5300 }],
    ['ns1.example.', { kind: 'host', host: 'ns1.example', port: 53 }],
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
