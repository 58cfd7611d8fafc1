import { describe, expect, it } from 'vitest';
import { TemplateError, compileTemplate, templateProblem } from '../src/publish/template.js';
import type { TemplateContext } from '../src/publish/template.js';

const ctx = (seq: number, random = 0): TemplateContext => ({
  seq,
  nowMs: () => Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  uuid: () => '123e4567-e89b-42d3-a456-426614174000',
  random: () => random,
});

const errorOf = (text: string): TemplateError => {
  const problem = templateProblem(text);
  expect(problem).toBeInstanceOf(TemplateError);
  return problem as TemplateError;
};

describe('publish templates', () => {
  it('renders every variable', () => {
    const t = compileTemplate(
      '{"n":{{seq}},"id":"{{uuid}}","at":"{{now}}","ms":{{now_ms}},"q":{{random 1 100}},"s":"{{pick "IBM" "MSFT"}}"}',
    );
    expect(JSON.parse(t.render(ctx(7)))).toEqual({
      n: 7,
      id: '123e4567-e89b-42d3-a456-426614174000',
      at: '2026-01-02T03:04:05.678Z',
      ms: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
      q: 1,
      s: 'IBM',
    });
    expect(t.variables).toEqual(['seq', 'uuid', 'now', 'now_ms', 'random', 'pick']);
  });

  it('keeps random within MIN and MAX, both included, and picks every choice', () => {
    const r = compileTemplate('{{random -2 2}}');
    expect(r.render(ctx(1, 0))).toBe('-2');
    expect(r.render(ctx(1, 0.999999))).toBe('2');
    const p = compileTemplate('{{pick "A" "B c" "D"}}');
    expect([0, 0.4, 0.9].map((x) => p.render(ctx(1, x)))).toEqual(['A', 'B c', 'D']);
  });

  it('leaves text without placeholders as it is', () => {
    expect(compileTemplate('{"a": "{ b }"}').render(ctx(1))).toBe('{"a": "{ b }"}');
    expect(compileTemplate('').render(ctx(1))).toBe('');
  });

  it('names an unknown variable and where it is', () => {
    const e = errorOf('{\n  "a": {{sequence}}\n}');
    expect(e.message).toContain('unknown variable "sequence"');
    expect(e.line).toBe(2);
    expect(e.column).toBe(8);
    expect(e.message).toContain('(line 2, column 8)');
  });

  it('explains bad arguments', () => {
    expect(errorOf('{{random 1}}').message).toMatch(/\{\{random\}\} needs two whole numbers/);
    expect(errorOf('{{random a 3}}').message).toMatch(/MIN must be a whole number, not "a"/);
    expect(errorOf('{{random 5 1}}').message).toMatch(/MIN is greater than MAX/);
    expect(errorOf('{{pick}}').message).toMatch(/needs at least one quoted choice/);
    expect(errorOf('{{pick IBM}}').message).toMatch(/choices are quoted strings, not IBM/);
    expect(errorOf('{{pick "IBM}}').message).toMatch(/quoted argument is not closed/);
    expect(errorOf('{{seq 3}}').message).toMatch(/\{\{seq\}\} takes no arguments/);
    expect(errorOf('{{}}').message).toMatch(/empty placeholder/);
  });

  it('reports an unclosed placeholder at its opening', () => {
    const e = errorOf('abc {{seq');
    expect(e.message).toMatch(/not closed/);
    expect(e.column).toBe(5);
  });

  it('has no problem for a good template', () => {
    expect(templateProblem('{{seq}} {{pick "x"}}')).toBeUndefined();
  });
});
