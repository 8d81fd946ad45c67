// Docxodus's DOCX compare, the yardstick of `make bench`: node cmp.mjs OLD.docx NEW.docx OUT.docx
// writes OUT.docx with Word tracked changes (docxodus is .NET compiled to WebAssembly).
import { readFile, writeFile } from 'node:fs/promises';
import { initialize, compareDocuments } from 'docxodus/core';

const [older, newer, out] = process.argv.slice(2);
if (!out) {
  console.error('usage: node cmp.mjs OLD.docx NEW.docx OUT.docx');
  process.exit(2);
}
await initialize();
const result = await compareDocuments(await readFile(older), await readFile(newer), { authorName: 'styrdok' });
await writeFile(out, result);
