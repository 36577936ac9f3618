// Writes a brotli (`.br`, quality 11) and a gzip (`.gz`, level 9) copy beside every file of the
// built site's `pkg/` (wasm, JS, CSS, the split manifest), for the server to send as they are
// (tower-http's ServeDir, precompressed_br / precompressed_gzip). Node's own zlib does both: no
// tool to install. A copy newer than its file is kept; copies whose file is gone are removed.
//
//   node scripts/compress-pkg.mjs [site-root]    (default target/site)
import { readdirSync, readFileSync, writeFileSync, statSync, unlinkSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(resolve(root, process.argv[2] ?? 'target/site'), 'pkg');
if (!existsSync(pkg)) {
  console.error(`no build in ${pkg}: run scripts/build.sh first`);
  process.exit(1);
}

function brotli(bytes) {
  return brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_LGWIN]: 24,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
}

function gzip(bytes) {
  return gzipSync(bytes, { level: 9 });
}

const COMPRESSIBLE = /\.(wasm|js|css|json)$/;
let written = 0;
for (const name of readdirSync(pkg)) {
  const file = join(pkg, name);
  const copy = name.match(/^(.*)\.(br|gz)$/);
  if (copy) {
    if (!existsSync(join(pkg, copy[1]))) unlinkSync(file);
    continue;
  }
  if (!COMPRESSIBLE.test(name)) continue;
  const mtime = statSync(file).mtimeMs;
  const bytes = readFileSync(file);
  for (const [ext, compress] of [['br', brotli], ['gz', gzip]]) {
    const out = `${file}.${ext}`;
    if (existsSync(out) && statSync(out).mtimeMs >= mtime) continue;
    writeFileSync(out, compress(bytes));
    written += 1;
  }
}
console.log(`compress-pkg: ${written} precompressed copies written in ${pkg}`);
