import { defineConfig } from 'tsup';

// One build, so every entry shares one copy of the core (chunks). Only
// `sansdns/node` (and the CLI) import Node built-ins; the core,
// `sansdns/codec`, `sansdns/trace`, `sansdns/sim` and `sansdns/doh` run anywhere.
export default defineConfig({
  entry: {
    index: 'src/index.ts', codec: 'src/codec.ts', trace: 'src/trace.ts', sim: 'src/sim.ts', node: 'src/node.ts',
    'node-promises': 'src/node-promises.ts', doh: 'src/doh.ts', dnssec: 'src/dnssec.ts',
    cli: 'src/cli/main.ts',
  },
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
  splitting: true,
});
