/**
 * Reads Stryker's JSON reports (mutation-testing-report-schema) of the mutation scopes
 * (scripts/mutationScopes.ts) and writes what they found: docs/mutation-scores.json (the numbers,
 * every survivor) and docs/mutation.md (a score per scope; each surviving mutant either explained as
 * equivalent, scripts/mutationEquivalents.ts, or listed as a missing test). securityReport.ts
 * renders the same JSON as the Mutation section of docs/security.md.
 */
import { EQUIVALENT_MUTANTS, type EquivalentMutant } from './mutationEquivalents.ts';

/** The part of Stryker's JSON report this reads. Lines and columns are 1-based. */
export interface StrykerJsonReport {
  files: Record<
    string,
    {
      source: string;
      mutants: Array<{
        id: string;
        mutatorName: string;
        replacement?: string;
        status: string;
        location: { start: { line: number; column: number }; end: { line: number; column: number } };
      }>;
    }
  >;
}

export interface MutationScopeDefinition {
  /** Short, stable name: the key in docs/mutation-scores.json and the argument of mutation:scopes. */
  name: string;
  /** What the code guards, in a few words. */
  title: string;
  /** The files mutated. */
  mutate: string[];
  /** The tests each mutant runs against: the area's own tests. */
  tests: string[];
}

export interface Survivor {
  file: string;
  line: number;
  mutator: string;
  /** The code the mutant changed, as written. */
  original: string;
  replacement: string;
  /** Survived (a test ran it and passed) or NoCoverage (no test ran it at all). */
  status: 'Survived' | 'NoCoverage';
  /** Why no test can tell the mutant from the code; absent: a test is missing. */
  equivalent?: string;
}

export interface ScopeScore extends MutationScopeDefinition {
  /** When this scope's run ended (ISO 8601). */
  ranAt: string;
  /** The commit the run mutated. */
  commit: string;
  mutants: number;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** Mutants the compiler or runtime refused (not counted in the score). */
  invalid: number;
  /** Stryker's mutation score: (killed + timeout) / (killed + timeout + survived + noCoverage), in %. */
  score: number;
  /** The same, with mutants explained as equivalent counted as not mutants at all. */
  scoreWithoutEquivalents: number;
  survivors: Survivor[];
}

export interface MutationScores {
  /** How the numbers were made. */
  command: string;
  scopes: ScopeScore[];
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The text between two 1-based positions of `source`. */
function textAt(
  source: string,
  start: { line: number; column: number },
  end: { line: number; column: number },
) {
  const lines = source.split('\n');
  if (start.line === end.line) return lines[start.line - 1]?.slice(start.column - 1, end.column - 1) ?? '';
  const first = lines[start.line - 1]?.slice(start.column - 1) ?? '';
  const middle = lines.slice(start.line, end.line - 1);
  const last = lines[end.line - 1]?.slice(0, end.column - 1) ?? '';
  return [first, ...middle, last].join('\n');
}

const percent = (part: number, whole: number) => (whole === 0 ? 100 : Math.round((1000 * part) / whole) / 10);

/** The equivalence explanation of a survivor, if one matches its file, mutator and code. */
export function explanationOf(
  survivor: Omit<Survivor, 'equivalent'>,
  equivalents: readonly EquivalentMutant[] = EQUIVALENT_MUTANTS,
): string | undefined {
  return equivalents.find(
    (known) =>
      known.file === survivor.file &&
      known.mutator === survivor.mutator &&
      oneLine(known.original) === oneLine(survivor.original) &&
      (known.replacement === undefined || oneLine(known.replacement) === oneLine(survivor.replacement)),
  )?.why;
}

/** One scope's numbers and survivors from its Stryker report. */
export function scoreScope(
  scope: MutationScopeDefinition,
  report: StrykerJsonReport,
  run: { ranAt: string; commit: string },
  equivalents: readonly EquivalentMutant[] = EQUIVALENT_MUTANTS,
): ScopeScore {
  const count = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, invalid: 0 };
  const survivors: Survivor[] = [];
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    for (const mutant of mutants) {
      if (mutant.status === 'Killed') count.killed++;
      else if (mutant.status === 'Timeout') count.timeout++;
      else if (mutant.status === 'Survived' || mutant.status === 'NoCoverage') {
        if (mutant.status === 'Survived') count.survived++;
        else count.noCoverage++;
        const found: Omit<Survivor, 'equivalent'> = {
          file,
          line: mutant.location.start.line,
          mutator: mutant.mutatorName,
          original: oneLine(textAt(source, mutant.location.start, mutant.location.end)),
          replacement: oneLine(mutant.replacement ?? ''),
          status: mutant.status,
        };
        const equivalent = explanationOf(found, equivalents);
        survivors.push(equivalent === undefined ? found : { ...found, equivalent });
      } else count.invalid++;
    }
  }
  survivors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const detected = count.killed + count.timeout;
  const valid = detected + count.survived + count.noCoverage;
  const equivalentCount = survivors.filter((survivor) => survivor.equivalent !== undefined).length;
  return {
    ...scope,
    ...run,
    mutants: valid + count.invalid,
    ...count,
    score: percent(detected, valid),
    scoreWithoutEquivalents: percent(detected, valid - equivalentCount),
    survivors,
  };
}

/** A recorded scope with its survivors matched against the equivalents again (after editing them). */
export function rematched(
  scope: ScopeScore,
  equivalents: readonly EquivalentMutant[] = EQUIVALENT_MUTANTS,
): ScopeScore {
  const survivors = scope.survivors.map(({ equivalent: _old, ...survivor }): Survivor => {
    const equivalent = explanationOf(survivor, equivalents);
    return equivalent === undefined ? survivor : { ...survivor, equivalent };
  });
  const detected = scope.killed + scope.timeout;
  const valid = detected + scope.survived + scope.noCoverage;
  const equivalentCount = survivors.filter((survivor) => survivor.equivalent !== undefined).length;
  return { ...scope, survivors, scoreWithoutEquivalents: percent(detected, valid - equivalentCount) };
}

/** `scores` with `scope` put in place of the entry of the same name (or added), in `order`. */
export function withScope(
  scores: MutationScores,
  scope: ScopeScore,
  order: readonly string[],
): MutationScores {
  const others = scores.scopes.filter((existing) => existing.name !== scope.name);
  const rank = (name: string) => {
    const at = order.indexOf(name);
    return at < 0 ? order.length : at;
  };
  return {
    ...scores,
    scopes: [...others, scope].sort((a, b) => rank(a.name) - rank(b.name)),
  };
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Code in a table cell: a code span shows `<` as is, so only the column separator is escaped. */
const code = (text: string) =>
  text === '' ? '(nothing)' : `\`${text.replace(/\|/g, '\\|').replace(/`/g, "'")}\``;

function totals(scores: MutationScores) {
  const sum = (pick: (scope: ScopeScore) => number) =>
    scores.scopes.reduce((all, scope) => all + pick(scope), 0);
  const detected = sum((scope) => scope.killed + scope.timeout);
  const valid = detected + sum((scope) => scope.survived + scope.noCoverage);
  const equivalent = sum((scope) => scope.survivors.filter((survivor) => survivor.equivalent).length);
  const unexplained = sum((scope) => scope.survivors.filter((survivor) => !survivor.equivalent).length);
  return { detected, valid, equivalent, unexplained, score: percent(detected, valid) };
}

/** The table of scores, shared by docs/mutation.md and docs/security.md. */
export function scoreTable(scores: MutationScores): string[] {
  const all = totals(scores);
  return [
    '| scope | code mutated | mutants | killed | timeout | survived | no coverage | score | equivalent | unexplained |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...scores.scopes.map((scope) => {
      const equivalent = scope.survivors.filter((survivor) => survivor.equivalent).length;
      return (
        `| ${scope.name} | ${scope.mutate.map((file) => `\`${file}\``).join(', ')} | ${scope.mutants} | ` +
        `${scope.killed} | ${scope.timeout} | ${scope.survived} | ${scope.noCoverage} | **${scope.score} %** | ` +
        `${equivalent} | ${scope.survivors.length - equivalent} |`
      );
    }),
    `| **all** | | | | | | | **${all.score} %** | ${all.equivalent} | ${all.unexplained} |`,
  ];
}

/** docs/mutation.md. */
export function renderMutationMarkdown(scores: MutationScores): string {
  const all = totals(scores);
  const out = [
    '# Mutation testing',
    '',
    `Generated by \`${scores.command}\` (scripts/mutationScopes.ts, scripts/mutationReport.ts) from ` +
      'docs/mutation-scores.json; do not edit by hand. Each scope plants Stryker’s mutants (small, realistic bugs) ' +
      'in its files one at a time and runs only its own area’s tests against each: a mutant no test notices ' +
      '(survived, or run by no test at all) is a missing test, unless it cannot change any behaviour (equivalent; ' +
      'the reason is given, from scripts/mutationEquivalents.ts).',
    '',
    `Over the ${scores.scopes.length} scopes: ${all.detected} of ${all.valid} mutants detected (**${all.score} %**); ` +
      `${all.equivalent} survivors explained as equivalent, ${all.unexplained} unexplained.`,
    '',
    ...scoreTable(scores),
    '',
  ];
  for (const scope of scores.scopes) {
    out.push(`## ${scope.name}: ${scope.title}`, '');
    out.push(
      `Score **${scope.score} %** (${scope.scoreWithoutEquivalents} % without the equivalent mutants); ` +
        `run ${scope.ranAt.slice(0, 16).replace('T', ' ')} UTC on commit \`${scope.commit}\`.`,
      '',
      `Mutated: ${scope.mutate.map((file) => `\`${file}\``).join(', ')}.`,
      '',
      `Against: ${scope.tests.map((file) => `\`${file}\``).join(', ')}.`,
      '',
    );
    if (scope.survivors.length === 0) {
      out.push('Every mutant was detected.', '');
      continue;
    }
    out.push('| where | mutant | original → replacement | verdict |', '|---|---|---|---|');
    for (const survivor of scope.survivors) {
      const verdict = survivor.equivalent
        ? `equivalent: ${cell(survivor.equivalent)}`
        : `**unexplained** (${survivor.status === 'NoCoverage' ? 'no test runs it' : 'survived'}): a test is missing`;
      out.push(
        `| ${survivor.file}:${survivor.line} | ${survivor.mutator} | ${code(survivor.original)} → ` +
          `${code(survivor.replacement)} | ${verdict} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

/** The Mutation section of docs/security.md. */
export function mutationSection(scores: MutationScores | null, heading = '## Mutation testing'): string {
  if (scores === null || scores.scopes.length === 0) {
    return [heading, '', 'No mutation scores yet: run `npm run mutation:scopes`.', ''].join('\n');
  }
  const all = totals(scores);
  return [
    heading,
    '',
    'How many planted bugs the tests notice, per security-critical area (StrykerJS, each area’s mutants run ' +
      `against that area’s own tests; \`${scores.command}\`, from docs/mutation-scores.json). ` +
      `Overall **${all.score} %** (${all.detected} of ${all.valid}); ${all.equivalent} survivors are equivalent ` +
      `mutants (explained in docs/mutation.md), ${all.unexplained} unexplained.`,
    '',
    ...scoreTable(scores),
    '',
  ].join('\n');
}
