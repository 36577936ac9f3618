// Printed documents as their readers get them: a page printed to PDF on A4 and on Letter, read
// back as text with poppler's pdftotext (the informe, the oficio, the pacto…).
import { execFileSync } from 'node:child_process';
import { artifacts } from './browser.mjs';

/** The page printed on A4 and on Letter (kept in artifacts/ as `{name}-{format}.pdf`), as text. */
export async function pdfText(page, name) {
  const out = {};
  for (const format of ['A4', 'Letter']) {
    const file = `${artifacts}/${name}-${format}.pdf`;
    await page.pdf({ path: file, format, printBackground: true });
    out[format] = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  }
  return out;
}
