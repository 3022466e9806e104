import { describe, expect, it } from 'vitest';
import {
  explanationOf,
  type MutationScores,
  mutationSection,
  rematched,
  renderMutationMarkdown,
  type StrykerJsonReport,
  scoreScope,
  withScope,
} from '../../scripts/mutationReport.ts';

const SCOPE = { name: 'gate', title: 'a gate', mutate: ['src/gate.ts'], tests: ['test/gate.test.ts'] };
const SOURCE = ['export function open(age: number) {', '  return age >= 18;', '}'].join('\n');
const at = (line: number, from: number, to: number) => ({
  start: { line, column: from },
  end: { line, column: to },
});
const REPORT: StrykerJsonReport = {
  files: {
    'src/gate.ts': {
      source: SOURCE,
      mutants: [
        {
          id: '1',
          mutatorName: 'EqualityOperator',
          replacement: 'age > 18',
          status: 'Survived',
          location: at(2, 10, 19),
        },
        {
          id: '2',
          mutatorName: 'BooleanLiteral',
          replacement: 'true',
          status: 'Killed',
          location: at(2, 10, 19),
        },
        {
          id: '3',
          mutatorName: 'BlockStatement',
          replacement: '{}',
          status: 'NoCoverage',
          location: { start: { line: 1, column: 35 }, end: { line: 3, column: 2 } },
        },
        {
          id: '4',
          mutatorName: 'ConditionalExpression',
          replacement: 'false',
          status: 'Timeout',
          location: at(2, 10, 19),
        },
        {
          id: '5',
          mutatorName: 'StringLiteral',
          replacement: '""',
          status: 'CompileError',
          location: at(2, 3, 9),
        },
      ],
    },
  },
};
const RUN = { ranAt: '2026-12-05T08:00:00.000Z', commit: 'abc1234' };
const WHY = 'ages are whole years here';
const EQUIVALENT = [{ file: 'src/gate.ts', mutator: 'EqualityOperator', original: 'age >= 18', why: WHY }];

describe('mutation report', () => {
  it('scores as Stryker does: (killed + timeout) over the valid mutants, compile errors aside', () => {
    const scored = scoreScope(SCOPE, REPORT, RUN, []);
    expect(scored).toMatchObject({
      mutants: 5,
      killed: 1,
      timeout: 1,
      survived: 1,
      noCoverage: 1,
      invalid: 1,
    });
    expect(scored.score).toBe(50);
    expect(scored.survivors.map((survivor) => [survivor.line, survivor.original, survivor.status])).toEqual([
      [1, '{ return age >= 18; }', 'NoCoverage'],
      [2, 'age >= 18', 'Survived'],
    ]);
  });

  it('explains a survivor by file, mutator and code, not by line; the rest stay unexplained', () => {
    const scored = scoreScope(SCOPE, REPORT, RUN, EQUIVALENT);
    expect(scored.survivors.find((survivor) => survivor.line === 2)?.equivalent).toBe(WHY);
    expect(scored.survivors.find((survivor) => survivor.line === 1)?.equivalent).toBeUndefined();
    expect(scored.scoreWithoutEquivalents).toBe(66.7);
    const moved = { file: 'src/gate.ts', line: 40, mutator: 'EqualityOperator', original: 'age  >=  18' };
    expect(explanationOf({ ...moved, replacement: 'age > 18', status: 'Survived' }, EQUIVALENT)).toBe(WHY);
    expect(
      explanationOf({ ...moved, file: 'src/other.ts', replacement: 'x', status: 'Survived' }, EQUIVALENT),
    ).toBe(undefined);
    expect(rematched(scoreScope(SCOPE, REPORT, RUN, []), EQUIVALENT).scoreWithoutEquivalents).toBe(66.7);
  });

  it('keeps the other scopes when one is run again, in the scopes’ order', () => {
    const first = scoreScope({ ...SCOPE, name: 'a' }, REPORT, RUN, []);
    const second = scoreScope({ ...SCOPE, name: 'b' }, REPORT, RUN, []);
    let scores: MutationScores = { command: 'npm run mutation:scopes', scopes: [] };
    scores = withScope(scores, second, ['a', 'b']);
    scores = withScope(scores, first, ['a', 'b']);
    scores = withScope(scores, { ...second, score: 99 }, ['a', 'b']);
    expect(scores.scopes.map((scope) => [scope.name, scope.score])).toEqual([
      ['a', 50],
      ['b', 99],
    ]);
  });

  it('writes each survivor with its verdict, and the score table for docs/security.md', () => {
    const scores = {
      command: 'npm run mutation:scopes',
      scopes: [scoreScope(SCOPE, REPORT, RUN, EQUIVALENT)],
    };
    const markdown = renderMutationMarkdown(scores);
    expect(markdown).toContain(
      '| src/gate.ts:2 | EqualityOperator | `age >= 18` → `age > 18` | equivalent: ages',
    );
    expect(markdown).toContain('**unexplained** (no test runs it)');
    const section = mutationSection(scores);
    expect(section).toContain('| gate | `src/gate.ts` | 5 | 1 | 1 | 1 | 1 | **50 %** | 1 | 1 |');
    expect(mutationSection(null)).toContain('No mutation scores yet');
  });
});
