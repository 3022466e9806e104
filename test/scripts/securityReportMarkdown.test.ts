import { describe, expect, it } from 'vitest';
import {
  type ReportContext,
  type ReportSection,
  renderSecurityReport,
  type VitestJson,
} from '../../scripts/securityReportMarkdown.ts';

const ROOT = '/repo/';
const context: ReportContext = {
  date: '2026-11-23T12:00:00.000Z',
  commit: 'abc1234',
  node: 'v24.21.0',
  electronInstalled: '45.4.1',
  electronLatest: '45.4.1',
  commands: ['npx vitest run x'],
  e2e: { passed: 20, total: 20 },
};
const sections: ReportSection[] = [
  { title: 'Checklist', intro: 'Items.', files: ['test/a.test.ts'], rowPerTest: true },
  { title: 'Suites', intro: 'Files.', files: ['test/b.test.ts', 'test/c.test.ts'], rowPerTest: false },
];
const test = (title: string, status: string) => ({ ancestorTitles: ['Suite'], title, status, duration: 1 });
const results = (statusOfSecond: string): VitestJson[] => [
  {
    testResults: [
      {
        name: '/repo/test/a.test.ts',
        status: 'passed',
        assertionResults: [test('1. First | item', 'passed'), test('2. Second', statusOfSecond)],
      },
      { name: '/repo/test/b.test.ts', status: 'passed', assertionResults: [test('x', 'passed')] },
      { name: '/repo/test/c.test.ts', status: 'passed', assertionResults: [test('y', 'passed')] },
    ],
  },
];

describe('docs/security.md rendering', () => {
  it('says all green, with one row per checklist test and one per suite file, when everything passed', () => {
    const markdown = renderSecurityReport(sections, results('passed'), ROOT, context);
    expect(markdown).toContain('**All green: 4 of 4 checks pass.**');
    expect(markdown).toContain('| 1. First \\| item | ✅ pass | `test/a.test.ts` |');
    expect(markdown).toContain('| `test/b.test.ts` | 1 | 1 | ✅ pass |');
    expect(markdown).toContain('Electron: 45.4.1; latest on the npm registry: 45.4.1 (current).');
  });

  it('shows a failing or skipped test as not passing, and counts it in the verdict', () => {
    for (const status of ['failed', 'pending']) {
      const markdown = renderSecurityReport(sections, results(status), ROOT, context);
      expect(markdown).toContain('**1 not passing: 3 of 4 checks pass.**');
      expect(markdown).toMatch(/\| 2\. Second \| (❌ FAIL|⏭ skipped) \|/);
    }
  });

  it('flags a section file that produced no result, and an Electron behind the registry', () => {
    const partial: VitestJson[] = [{ testResults: results('passed')[0]!.testResults.slice(0, 2) }];
    const markdown = renderSecurityReport(sections, partial, ROOT, { ...context, electronLatest: '46.0.0' });
    expect(markdown).toContain('❌ `test/c.test.ts` produced no result in this run.');
    expect(markdown).toContain('**1 not passing');
    expect(markdown).toContain('(**behind**)');
  });
});

describe('the threat model section', () => {
  it('gives each claim the verdict of the test it names, and fails a claim whose test did not run', () => {
    const lines = [
      {
        attacker: 'Holder of a token',
        can: false,
        claim: 'read after logout',
        file: 'test/a.test.ts',
        test: 'First',
      },
      {
        attacker: 'Holder of a token',
        can: true,
        claim: 'act until expiry',
        file: 'test/a.test.ts',
        test: 'Second',
      },
      { attacker: 'Disk', can: false, claim: 'read the cache', file: 'test/z.test.ts', test: 'nowhere' },
    ];
    const markdown = renderSecurityReport(sections, results('failed'), ROOT, context, lines);
    expect(markdown).toContain('## Threat model');
    expect(markdown).toContain('### Holder of a token');
    expect(markdown).toContain('| cannot | read after logout | ✅ pass | `test/a.test.ts` › First |');
    expect(markdown).toContain('| can | act until expiry | ❌ FAIL | `test/a.test.ts` › Second |');
    expect(markdown).toContain('| cannot | read the cache | ❌ FAIL | `test/z.test.ts` › nowhere |');
    // 4 section checks (one failing) + 3 claims (two failing).
    expect(markdown).toContain('**3 not passing: 4 of 7 checks pass.**');
  });
});
