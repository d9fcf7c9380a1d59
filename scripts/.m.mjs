import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
const root = process.cwd();
const contents = `import { DohResolver } from ${JSON.stringify(root + '/src/doh.ts')}; globalThis.__keep=[DohResolver];`;
const result = await build({ stdin: { contents, resolveDir: root, sourcefile: 'page.js', loader: 'js' }, bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent', legalComments: 'none', metafile: true });
const code = result.outputFiles[0].contents;
console.log(code.length, gzipSync(code, {level:9}).length);
if (process.argv[2]) { const { analyzeMetafile } = await import('esbuild'); console.log(await analyzeMetafile(result.metafile)); }
if (process.argv[3]) { (await import('node:fs')).writeFileSync(process.argv[3], code); }
