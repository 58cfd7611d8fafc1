import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);

/** `>=22.12.0` → [22, 12, 0]. */
function minimumOf(range: string): number[] {
  const m = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(range.trim());
  if (m === null) throw new Error(`unexpected engines range "${range}"`);
  return m.slice(1).map(Number);
}

function section(readme: string, heading: string): string {
  const start = readme.indexOf(`## ${heading}`);
  expect(start, `README has a "## ${heading}" section`).toBeGreaterThanOrEqual(0);
  const next = readme.indexOf(' ## ', start + 3);
  return readme.slice(start, next < 0 ? undefined : next);
}

describe('README states what packaging needs', () => {
  // Line breaks inside a paragraph do not matter to a reader.
  const readme = readFileSync(new URL('README.md', root), 'utf8').replace(/[ \t]*\n(?!\n)[ \t]*/g, ' ');
  // The highest Node minimum of electron-builder's native-module tooling, as installed.
  const needed = ['@electron/rebuild', 'node-abi']
    .map((name) => readFileSync(new URL(`node_modules/${name}/package.json`, root), 'utf8'))
    .map((text) => (JSON.parse(text) as { engines: { node: string } }).engines.node)
    .map(minimumOf)
    .sort((a, b) => (b[0] ?? 0) - (a[0] ?? 0) || (b[1] ?? 0) - (a[1] ?? 0))[0] as number[];
  const version = `${needed[0]}.${needed[1]}`;

  it('names the Node version packaging needs in the Packaging section', () => {
    expect(section(readme, 'Packaging')).toContain(`Node.js ${version} or newer`);
  });

  it('keeps Node 20 for everything else and names the packaging exception beside it', () => {
    const requirements = readme.slice(readme.indexOf('Requirements:'));
    expect(requirements).toMatch(/^Requirements: Node\.js 20 or newer/);
    expect(requirements.slice(0, 600)).toContain(`Node.js ${version} or newer`);
    expect(requirements.slice(0, 600)).toContain('npm run package');
  });

  it('keeps the two commands', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
  });
});
