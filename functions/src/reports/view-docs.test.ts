import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUESTIONS } from './questions.ts';
import { REPORTS_DOC, renderViewReference, withViewReference } from './view-docs.ts';
import { orderViews, readViewFiles, WAREHOUSE_TABLES } from './view-files.ts';

const views = orderViews(readViewFiles(), WAREHOUSE_TABLES);

describe('the documents say what the code does', () => {
  test('docs/reports.md has the reference of every view as their headers give it (npm run docs:views)', () => {
    const doc = readFileSync(REPORTS_DOC, 'utf8');
    expect(withViewReference(doc, views)).toBe(doc);
    for (const view of views) expect(doc).toContain(`### \`ereg.${view.name}\``);
  });

  test('the reference names each column of each view', () => {
    const reference = renderViewReference(views);
    for (const view of views) for (const column of view.columns) expect(reference).toContain(`| \`${column.name}\` |`);
  });

  test("the README's questions are those npm run ask answers, with the same SQL", () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
    for (const { question, sql } of QUESTIONS) {
      expect(readme).toContain(question);
      expect(readme).toContain(`\`\`\`sql\n${sql}\n\`\`\``);
    }
  });
});
