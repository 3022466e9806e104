import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ODataFilterError, type ODataSchema, parseODataFilter } from '../../../server/mim/odataFilter.ts';

const schema: ODataSchema = {
  RoleName: 'string',
  Justification: 'string',
  RequestedTTL: 'number',
  CreationTime: 'datetime',
  ExpirationTime: 'datetime',
  FIMRequestID: 'guid',
  Enabled: 'boolean',
};

const GUID = '9802d7b7-b4e9-4fe4-8f5c-649cda127e49';
const OTHER_GUID = '0f3c1a2b-0000-4fe4-8f5c-000000000001';

// A request as MIM serializes it: numbers as strings, GUIDs wrapped in {Value}.
const request = {
  RoleName: 'Admins',
  Justification: "O'Brien needs access",
  RequestedTTL: '3600',
  CreationTime: '2015-07-11T22:25:00Z',
  ExpirationTime: '2015-07-11T23:25:00Z',
  FIMRequestID: { Value: GUID },
  Enabled: true,
};

const matches = (filter: string, row: Record<string, unknown> = request) =>
  parseODataFilter(filter, schema)(row);

const rejection = (filter: string): ODataFilterError => {
  try {
    parseODataFilter(filter, schema);
  } catch (error) {
    if (error instanceof ODataFilterError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(filter)} to be rejected`);
};

describe('parseODataFilter: comparisons', () => {
  it.each([
    ["RoleName eq 'Admins'", true],
    ["RoleName eq 'admins'", false], // case-sensitive, as OData
    ["RoleName ne 'Admins'", false],
    ["RoleName ne 'Users'", true],
    ["RoleName gt 'Admin'", true],
    ["RoleName gt 'Admins'", false],
    ["RoleName ge 'Admins'", true],
    ["RoleName lt 'B'", true],
    ["RoleName lt 'a'", true], // ordinal: 'A' (0x41) sorts before 'a' (0x61)
    ["RoleName le 'Admins'", true],
    ["RoleName le 'Admin'", false],
    ["'Admins' eq RoleName", true],
  ])('strings: %s → %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it.each([
    ['RequestedTTL eq 3600', true],
    ['RequestedTTL eq 3600.0', true],
    ['RequestedTTL ne 3600', false],
    ['RequestedTTL gt 3599.5', true],
    ['RequestedTTL gt 3600', false],
    ['RequestedTTL ge 3600', true],
    ['RequestedTTL lt 3600.25', true],
    ['RequestedTTL lt 3600', false],
    ['RequestedTTL le 3600', true],
    ['RequestedTTL gt -1', true],
    ['RequestedTTL lt -1.5', false],
    ["RequestedTTL eq '3600'", true],
    ["RequestedTTL gt '99'", true], // numeric, not lexicographic
    ['7200 gt RequestedTTL', true],
  ])('numbers, with the row value a numeric string: %s → %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it('compares numbers numerically whether the row holds a number or a string', () => {
    expect(matches('RequestedTTL gt 9', { RequestedTTL: '10' })).toBe(true);
    expect(matches('RequestedTTL gt 9', { RequestedTTL: 10 })).toBe(true);
    expect(matches('RequestedTTL eq -2.5', { RequestedTTL: ' -2.5 ' })).toBe(true);
  });

  it.each([
    ["CreationTime eq datetime'2015-07-11T22:25:00Z'", true],
    ["CreationTime eq datetime'2015-07-11T22:25:00'", true], // no zone means UTC
    ["CreationTime eq datetime'2015-07-11T22:25'", true],
    ["CreationTime eq datetime'2015-07-11T22:25:00.0000000'", true],
    ["CreationTime ne datetime'2015-07-11T22:25:00.001Z'", true],
    ["CreationTime gt datetime'2015-07-11T22:24:59.999'", true],
    ["CreationTime ge datetime'2015-07-11T22:25:00Z'", true],
    ["CreationTime lt datetime'2015-07-11T22:25:00.5Z'", true],
    ["CreationTime le datetime'2015-07-11T22:24:59Z'", false],
    ['CreationTime lt ExpirationTime', true],
    ["datetime'2015-07-12T00:00:00' gt CreationTime", true],
  ])('datetimes: %s → %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it('compares datetimes as instants whatever the zone notation of the row value', () => {
    const filter = "CreationTime eq datetime'2015-07-11T22:25:00Z'";
    expect(matches(filter, { CreationTime: '2015-07-11T22:25:00' })).toBe(true);
    expect(matches(filter, { CreationTime: '2015-07-11T22:25:00.000Z' })).toBe(true);
    expect(matches(filter, { CreationTime: '2015-07-12T00:25:00+02:00' })).toBe(true);
    expect(matches(filter, { CreationTime: new Date('2015-07-11T22:25:00Z') })).toBe(true);
    expect(matches(filter, { CreationTime: '2015-07-11T22:25:01Z' })).toBe(false);
  });

  it('accepts both guid forms, with the row value wrapped or not, case-insensitively', () => {
    const upper = GUID.toUpperCase();
    for (const filter of [`FIMRequestID eq guid'${GUID}'`, `FIMRequestID/Value eq guid'${upper}'`]) {
      expect(matches(filter)).toBe(true);
      expect(matches(filter, { FIMRequestID: upper })).toBe(true);
      expect(matches(filter, { FIMRequestID: { Value: upper } })).toBe(true);
      expect(matches(filter, { FIMRequestID: { Value: OTHER_GUID } })).toBe(false);
    }
    expect(matches(`FIMRequestID ne guid'${OTHER_GUID}'`)).toBe(true);
    expect(matches(`guid'${GUID}' eq FIMRequestID/Value`)).toBe(true);
  });

  it('treats booleans, including MIM string booleans', () => {
    expect(matches('Enabled')).toBe(true);
    expect(matches('Enabled eq true')).toBe(true);
    expect(matches('Enabled eq false')).toBe(false);
    expect(matches('Enabled ne false')).toBe(true);
    expect(matches('not Enabled')).toBe(false);
    expect(matches('Enabled', { Enabled: 'True' })).toBe(true);
    expect(matches('Enabled', { Enabled: 'false' })).toBe(false);
    expect(matches('true')).toBe(true);
    expect(matches('false')).toBe(false);
  });

  it('follows OData null semantics', () => {
    expect(matches('RoleName eq null', {})).toBe(true);
    expect(matches('RoleName eq null', { RoleName: null })).toBe(true);
    expect(matches('RoleName ne null')).toBe(true);
    expect(matches('null eq RoleName')).toBe(false);
    expect(matches('RequestedTTL gt 5', {})).toBe(false);
    expect(matches('RequestedTTL lt 5', {})).toBe(false);
    expect(matches("RoleName ne 'x'", {})).toBe(true);
    expect(matches('FIMRequestID eq null', { FIMRequestID: { Value: null } })).toBe(true);
    // Three-valued logic: a missing boolean is unknown, so neither it nor its negation matches.
    expect(matches('Enabled', {})).toBe(false);
    expect(matches('not Enabled', {})).toBe(false);
    expect(matches("Enabled or RoleName eq 'Admins'", { RoleName: 'Admins' })).toBe(true);
    expect(matches('Enabled and false', {})).toBe(false);
  });

  it('never matches a malformed row value except through ne', () => {
    const row = { RequestedTTL: 'soon', CreationTime: 'yesterday', Enabled: 'maybe', RoleName: 42 };
    expect(matches('RequestedTTL eq null', row)).toBe(false);
    expect(matches('RequestedTTL ne 5', row)).toBe(true);
    expect(matches('RequestedTTL gt 0 or RequestedTTL le 0', row)).toBe(false);
    expect(matches("CreationTime lt datetime'9999-12-31T00:00'", row)).toBe(false);
    expect(matches('Enabled or not Enabled', row)).toBe(false);
    expect(matches("RoleName eq '42'", row)).toBe(false);
  });

  it('reads only own properties of the row', () => {
    // Object.fromEntries because TypeScript types `toString`/`constructor` keys of a literal as Object's methods.
    const inherited: ODataSchema = Object.fromEntries(
      new Map<string, 'string'>([
        ['toString', 'string'],
        ['constructor', 'string'],
      ]),
    );
    const filter = parseODataFilter('toString eq null and constructor eq null', inherited);
    expect(filter({})).toBe(true);
  });
});

describe('parseODataFilter: logic', () => {
  it('binds and tighter than or', () => {
    // A or (B and C), not (A or B) and C
    expect(matches("RoleName eq 'Admins' or RoleName eq 'X' and Enabled eq false")).toBe(true);
    expect(matches("RoleName eq 'X' and Enabled or RequestedTTL eq 3600")).toBe(true);
    expect(matches("RequestedTTL eq 3600 or Enabled and RoleName eq 'X'")).toBe(true);
  });

  it('lets parentheses override precedence', () => {
    expect(matches("(RoleName eq 'Admins' or RoleName eq 'X') and Enabled eq false")).toBe(false);
    expect(matches("RoleName eq 'X' and (Enabled or RequestedTTL eq 3600)")).toBe(false);
    expect(matches("((RoleName eq 'Admins'))")).toBe(true);
    expect(matches('(Enabled)and(Enabled)')).toBe(true);
  });

  it('binds not tighter than and', () => {
    // (not Enabled) and false is false; not (Enabled and false) would be true.
    expect(matches('not Enabled and false')).toBe(false);
    expect(matches('not (Enabled and false)')).toBe(true);
    expect(matches('not not Enabled')).toBe(true);
    expect(matches("not (RoleName eq 'Admins')")).toBe(false);
    expect(matches('not Enabled eq false')).toBe(true); // (not Enabled) eq false
  });

  it('evaluates and/or chains', () => {
    expect(matches("Enabled and RoleName eq 'Admins' and RequestedTTL ge 60 and CreationTime ne null")).toBe(
      true,
    );
    expect(matches("Enabled and RoleName eq 'Admins' and RequestedTTL lt 60")).toBe(false);
    expect(matches("RoleName eq 'A' or RoleName eq 'B' or RoleName eq 'Admins'")).toBe(true);
    expect(matches("RoleName eq 'A' or RoleName eq 'B' or RoleName eq 'C'")).toBe(false);
  });

  it('compares boolean expressions left-associatively', () => {
    expect(matches("RoleName eq 'Admins' eq true")).toBe(true);
    expect(matches("(RoleName eq 'X') eq Enabled")).toBe(false);
  });

  it("unescapes '' inside string literals", () => {
    expect(matches("Justification eq 'O''Brien needs access'")).toBe(true);
    expect(matches("RoleName eq ''''", { RoleName: "'" })).toBe(true);
    expect(matches("RoleName eq ''", { RoleName: '' })).toBe(true);
    expect(matches("RoleName eq 'a''''b'", { RoleName: "a''b" })).toBe(true);
  });

  it('accepts any whitespace between tokens', () => {
    expect(matches("\tRoleName\n eq\r\n'Admins'  and  Enabled ")).toBe(true);
  });
});

describe('parseODataFilter: errors', () => {
  it.each([
    // [filter, offending token, its position]
    ['', '', 0],
    ['   ', '', 0],
    ["RequestedTTL eq 'abc'", "'abc'", 16],
    ["'abc' lt RequestedTTL", "'abc'", 0],
    ['RoleName gt 5', '5', 12],
    ["CreationTime eq 'x'", "'x'", 16],
    ["CreationTime eq '2015-07-11T22:25:00Z'", "'2015-07-11T22:25:00Z'", 16],
    [`FIMRequestID eq '${GUID}'`, `'${GUID}'`, 16],
    ["RoleName eq guid'9802d7b7-b4e9-4fe4-8f5c-649cda127e49'", `guid'${GUID}'`, 12],
    ['Enabled eq 1', '1', 11],
    ['CreationTime gt RequestedTTL', 'RequestedTTL', 16],
    ['Foo eq 1', 'Foo', 0],
    ["RoleName/Value eq 'x'", 'RoleName/Value', 0],
    ['roleName eq 1', 'roleName', 0],
    ["RoleName eq 'x' )", ')', 16],
    ["RoleName eq 'x' RoleName", 'RoleName', 16],
    ["RoleName eq 'x' 'y'", "'y'", 16],
    ["(RoleName eq 'x'", '(', 0],
    ['((Enabled)', '(', 0],
    ['Enabled)', ')', 7],
    ['()', ')', 1],
    ["RoleName eq 'x", "'x", 12],
    ["RoleName eq 'it''s", "'it''s", 12],
    ["CreationTime eq datetime'2015-13-01T00:00'", "datetime'2015-13-01T00:00'", 16],
    ["CreationTime eq datetime'2015-02-29T00:00'", "datetime'2015-02-29T00:00'", 16],
    ["CreationTime eq datetime'2015-07-11T24:00'", "datetime'2015-07-11T24:00'", 16],
    ["CreationTime eq datetime'2015-07-11'", "datetime'2015-07-11'", 16],
    ["CreationTime eq datetime'2015-07-11T22:25:00Zjunk'", "datetime'2015-07-11T22:25:00Zjunk'", 16],
    ["CreationTime eq datetime'2015-07-11T22:25", "datetime'2015-07-11T22:25", 16],
    ["FIMRequestID eq guid'xyz'", "guid'xyz'", 16],
    ["FIMRequestID eq guid'9802d7b7b4e94fe48f5c649cda127e49'", "guid'9802d7b7b4e94fe48f5c649cda127e49'", 16],
    ["CreationTime eq datetimeoffset'2015-07-11T22:25:00Z'", 'datetimeoffset', 16],
    ["RoleName == 'x'", '==', 9],
    ["RoleName != 'x'", '!=', 9],
    ["RoleName like 'x'", 'like', 9],
    ["RoleName eq 'x' && Enabled", '&&', 16],
    ["RoleName eq 'x' AND Enabled", 'AND', 16],
    ["RoleName EQ 'x'", 'EQ', 9],
    ['NOT Enabled', 'NOT', 0],
    ['Enabled eq True', 'True', 11],
    ["CreationTime eq DateTime'2015-07-11T22:25:00Z'", 'DateTime', 16],
    ["RoleName eq'x'", 'eq', 9],
    ["substringof('Adm', RoleName)", 'substringof', 0],
    ["startswith(RoleName, 'A') eq true", 'startswith', 0],
    ["not RoleName eq 'x'", 'not', 0],
    ['RoleName', 'RoleName', 0],
    ['RequestedTTL', 'RequestedTTL', 0],
    ['Enabled and RequestedTTL', 'RequestedTTL', 12],
    ['RoleName or Enabled', 'RoleName', 0],
    ["RoleName eq 'x' eq 'y'", "'y'", 19],
    ['RequestedTTL gt null', 'null', 16],
    [`FIMRequestID gt guid'${GUID}'`, 'gt', 13],
    ['Enabled lt true', 'lt', 8],
    ["RoleName eq 'x' and", '', 19],
    ['RoleName eq', '', 11],
    ['not', '', 3],
    ['eq 1', 'eq', 0],
    ['Enabled and and Enabled', 'and', 12],
    ['5abc eq RequestedTTL', '5abc', 0],
    ['RequestedTTL eq 1.2.3', '1.2.3', 16],
    ['RequestedTTL eq 1.', '1.', 16],
    ['RequestedTTL eq -', '-', 16],
    ['RoleName eq "x"', '"', 12],
    ['RoleName eq $x', '$', 12],
    ['Enabled, Enabled', ',', 7],
  ])('%j is rejected at %j, position %j', (filter, token, position) => {
    const error = rejection(filter);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ODataFilterError');
    expect(error.token).toBe(token);
    expect(error.position).toBe(position);
    expect(error.message).toContain(`at position ${position}`);
    if (token) expect(error.message).toContain(token);
  });

  it('explains the usual mistakes', () => {
    expect(rejection("RequestedTTL eq 'abc'").message).toBe(
      "Cannot compare number property 'RequestedTTL' with string literal 'abc' at position 16",
    );
    expect(rejection('Foo eq 1').message).toBe("Unknown property 'Foo' at position 0");
    expect(rejection("RoleName eq 'x' AND Enabled").message).toMatch(/case-sensitive, use 'and'/);
    expect(rejection("RoleName == 'x'").message).toMatch(
      /^Unknown operator '==' at position 9; supported: eq/,
    );
    expect(rejection("RoleName like 'x'").message).toMatch(/^Unknown operator 'like' at position 9/);
    expect(rejection("substringof('Adm', RoleName)").message).toMatch(/^Unsupported function 'substringof'/);
    expect(rejection("CreationTime eq 'x'").message).toMatch(/datetime'2015-07-11T22:25:00Z'/);
    expect(rejection("FIMRequestID eq 'x'").message).toMatch(/guid'/);
    expect(rejection("RoleName eq 'x").message).toMatch(/^Unterminated string literal/);
    expect(rejection("(RoleName eq 'x'").message).toMatch(/^Unbalanced parenthesis '\('/);
  });
});

describe('parseODataFilter: limits', () => {
  it('accepts 4096 characters and rejects 4097', () => {
    const filler = (length: number) => `RoleName eq '${'a'.repeat(length - "RoleName eq ''".length)}'`;
    expect(filler(4096)).toHaveLength(4096);
    expect(matches(filler(4096), { RoleName: 'a'.repeat(4096 - 14) })).toBe(true);
    const error = rejection(filler(4097));
    expect(error.position).toBe(4096);
    expect(error.message).toMatch(/longer than 4096/);
  });

  it('accepts 64 levels of nesting and rejects 65', () => {
    const parens = (n: number) => `${'('.repeat(n)}Enabled${')'.repeat(n)}`;
    expect(matches(parens(64))).toBe(true);
    expect(rejection(parens(65))).toMatchObject({ token: '(', position: 64 });
    const nots = (n: number) => `${'not '.repeat(n)}Enabled`;
    expect(matches(nots(64))).toBe(true);
    expect(rejection(nots(65))).toMatchObject({ token: 'not', position: 256 });
  });

  it('rejects hostile input without overflowing the stack', () => {
    const hostile = [
      '('.repeat(4096),
      'not '.repeat(1024),
      `${'('.repeat(2000)}${')'.repeat(2000)}`,
      "'".repeat(4095),
    ];
    for (const filter of hostile) expect(() => parseODataFilter(filter, schema)).toThrow(ODataFilterError);
  });

  it('handles the longest flat chains', () => {
    const ands = `${'Enabled and '.repeat(340)}Enabled`;
    expect(ands.length).toBeLessThanOrEqual(4096);
    expect(matches(ands)).toBe(true);
    const comparisons = `Enabled${' eq true'.repeat(500)}`;
    expect(matches(comparisons)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Property-based tests

const TOKENS = [
  '(',
  ')',
  ',',
  'not',
  'and',
  'or',
  'eq',
  'ne',
  'gt',
  'le',
  'AND',
  '==',
  'like',
  'substringof',
  'true',
  'null',
  'datetime',
  'guid',
  "'a''b'",
  "'",
  "'3600'",
  '3600',
  '-1.5',
  '1.',
  "datetime'2015-07-11T22:25:00Z'",
  "datetime'2015-02-30T00:00'",
  `guid'${GUID}'`,
  "guid'x'",
  'RoleName',
  'RequestedTTL',
  'CreationTime',
  'FIMRequestID',
  'FIMRequestID/Value',
  'Enabled',
  'Unknown',
];

const anyRow = fc.record(
  Object.fromEntries(
    Object.keys(schema).map((key) => [key, fc.anything({ withDate: true, withNullPrototype: true })]),
  ),
  { requiredKeys: [] },
);

/** Parses, and evaluates when the filter is accepted: only ODataFilterError may escape from parsing. */
const parseOnly = (filter: string, row: Record<string, unknown>) => {
  let predicate: ((row: Record<string, unknown>) => boolean) | undefined;
  try {
    predicate = parseODataFilter(filter, schema);
  } catch (error) {
    expect(error).toBeInstanceOf(ODataFilterError);
    return;
  }
  expect(typeof predicate(row)).toBe('boolean');
};

// A small model of the filters and rows, with a reference evaluation written directly in JS.

type Field = 'RoleName' | 'RequestedTTL' | 'CreationTime' | 'FIMRequestID' | 'Enabled';
type Scalar = string | number | boolean | null;
type Op = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
type Expression =
  | {
      kind: 'compare';
      field: Field;
      name: string;
      op: Op;
      text: string;
      value: Scalar;
      swap: boolean;
      paren: boolean;
    }
  | { kind: 'flag'; paren: boolean }
  | { kind: 'and' | 'or'; left: Expression; right: Expression; paren: boolean }
  | { kind: 'not'; operand: Expression; paren: boolean };
type SemanticRow = Record<Field, Scalar>;

const BASE = Date.parse('2015-07-11T22:25:00Z');
const ALPHABET = ['a', 'B', 'b', "'"];
const GUIDS = [GUID, OTHER_GUID];

const stringArb = fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 3 });
const numberArb = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(-1.5, 0.5, 2.25));
const instantArb = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom(0, 500))
  .map(([minutes, ms]) => BASE + minutes * 60_000 + ms);
const guidArb = fc
  .tuple(fc.constantFrom(...GUIDS), fc.boolean())
  .map(([g, upper]) => (upper ? g.toUpperCase() : g));

const literalArb: Record<Field, fc.Arbitrary<{ text: string; value: Scalar }>> = {
  RoleName: stringArb.map((s) => ({ text: `'${s.replaceAll("'", "''")}'`, value: s })),
  RequestedTTL: fc
    .tuple(numberArb, fc.boolean())
    .map(([n, quoted]) => ({ text: quoted ? `'${n}'` : String(n), value: n })),
  CreationTime: fc.tuple(instantArb, fc.integer({ min: 0, max: 2 })).map(([ms, style]) => {
    const iso = new Date(ms).toISOString(); // 2015-07-11T22:25:00.500Z
    const fraction = ms % 1000 ? `.${iso.slice(20, 23)}0000` : '';
    const text = [iso, iso.slice(0, -1), `${iso.slice(0, 19)}${fraction}Z`][style];
    return { text: `datetime'${text}'`, value: ms };
  }),
  FIMRequestID: guidArb.map((g) => ({ text: `guid'${g}'`, value: g.toLowerCase() })),
  Enabled: fc.boolean().map((b) => ({ text: String(b), value: b })),
};

const ORDERED: Op[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];
const compareArb = (field: Field, ops: Op[]) =>
  fc
    .record({
      kind: fc.constant('compare' as const),
      field: fc.constant(field),
      name:
        field === 'FIMRequestID' ? fc.constantFrom('FIMRequestID', 'FIMRequestID/Value') : fc.constant(field),
      op: fc.constantFrom(...ops),
      literal: fc.oneof(
        { weight: 5, arbitrary: literalArb[field] },
        { weight: 1, arbitrary: fc.constant({ text: 'null', value: null }) },
      ),
      swap: fc.boolean(),
      paren: fc.boolean(),
    })
    .map(
      ({ literal, ...rest }): Expression => ({
        ...rest,
        // ordering against null is a parse error, so nulls only go with eq/ne
        op: literal.value === null && rest.op !== 'eq' ? 'ne' : rest.op,
        text: literal.text,
        value: literal.value,
      }),
    );

const leafArb: fc.Arbitrary<Expression> = fc.oneof(
  compareArb('RoleName', ORDERED),
  compareArb('RequestedTTL', ORDERED),
  compareArb('CreationTime', ORDERED),
  compareArb('FIMRequestID', ['eq', 'ne']),
  compareArb('Enabled', ['eq', 'ne']),
  fc.record({ kind: fc.constant('flag' as const), paren: fc.boolean() }),
);

const { expression: expressionArb } = fc.letrec<{ expression: Expression }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small', maxDepth: 6 },
    leafArb,
    fc.record({
      kind: fc.constantFrom('and' as const, 'or' as const),
      left: tie('expression'),
      right: tie('expression'),
      paren: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('not' as const), operand: tie('expression'), paren: fc.boolean() }),
  ),
}));

// Row values rendered the ways MIM may send them; the tuple's first element is what they mean.
const fieldArb = <T extends Scalar>(value: fc.Arbitrary<T>, renderings: (v: T) => unknown[]) =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom<[Scalar, unknown]>([null, null], [null, undefined]) },
    {
      weight: 6,
      arbitrary: fc.tuple(value, fc.nat()).map(([v, pick]): [Scalar, unknown] => {
        const options = renderings(v);
        return [v, options[pick % options.length]];
      }),
    },
  );

const semanticRowArb = fc
  .record({
    RoleName: fieldArb(stringArb, (s) => [s]),
    RequestedTTL: fieldArb(numberArb, (n) => [n, String(n)]),
    CreationTime: fieldArb(instantArb, (ms) => {
      const iso = new Date(ms).toISOString();
      const shifted = `${new Date(ms + 2 * 3_600_000).toISOString().slice(0, -1)}+02:00`;
      return [iso, iso.slice(0, -1), shifted, new Date(ms)];
    }),
    FIMRequestID: fieldArb(guidArb, (g) => [g, { Value: g }]),
    Enabled: fieldArb(fc.boolean(), (b) => [b, String(b), b ? 'True' : 'False']),
  })
  .map((fields): [SemanticRow, Record<string, unknown>] => {
    const semantic = {} as SemanticRow;
    const row: Record<string, unknown> = {};
    for (const [field, [meaning, raw]] of Object.entries(fields) as [Field, [Scalar, unknown]][]) {
      semantic[field] =
        typeof meaning === 'string' && field === 'FIMRequestID' ? meaning.toLowerCase() : meaning;
      if (raw !== undefined) row[field] = raw;
    }
    return [semantic, row];
  });

const PRECEDENCE = { or: 1, and: 2, compare: 3, not: 4, flag: 5 } as const;

/** Renders with the fewest parentheses precedence allows (plus the random extra ones), or with all. */
function render(e: Expression, parentPrecedence: number, fullParens: boolean): string {
  const own = PRECEDENCE[e.kind];
  let text: string;
  switch (e.kind) {
    case 'flag':
      text = 'Enabled';
      break;
    case 'compare':
      text = e.swap ? `${e.text} ${e.op} ${e.name}` : `${e.name} ${e.op} ${e.text}`;
      break;
    case 'not':
      text = `not ${render(e.operand, PRECEDENCE.not, fullParens)}`;
      break;
    default:
      text = `${render(e.left, own, fullParens)} ${e.kind} ${render(e.right, own, fullParens)}`;
  }
  return e.paren || own < parentPrecedence || (fullParens && e.kind !== 'flag') ? `(${text})` : text;
}

/** Reference semantics: null compares equal only to null and is never ordered; logic is three-valued. */
function evaluate(e: Expression, row: SemanticRow): boolean | null {
  switch (e.kind) {
    case 'flag':
      return row.Enabled as boolean | null;
    case 'not': {
      const v = evaluate(e.operand, row);
      return v === null ? null : !v;
    }
    case 'and':
    case 'or': {
      const [l, r] = [evaluate(e.left, row), evaluate(e.right, row)];
      if (e.kind === 'and')
        return l === false || r === false ? false : l === null || r === null ? null : true;
      return l === true || r === true ? true : l === null || r === null ? null : false;
    }
    case 'compare': {
      const [a, b] = e.swap ? [e.value, row[e.field]] : [row[e.field], e.value];
      if (a === null || b === null) return e.op === 'eq' ? a === b : e.op === 'ne' ? a !== b : false;
      return { eq: a === b, ne: a !== b, gt: a > b, ge: a >= b, lt: a < b, le: a <= b }[e.op];
    }
  }
}

describe('parseODataFilter: properties', () => {
  it('throws nothing but ODataFilterError on random strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300, unit: 'binary' }), anyRow, parseOnly), {
      numRuns: 500,
    });
  });

  it('throws nothing but ODataFilterError on random token soup, and evaluates what it accepts', () => {
    const soup = fc
      .tuple(fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }), fc.constantFrom(' ', '', '  '))
      .map(([tokens, separator]) => tokens.join(separator));
    fc.assert(fc.property(soup, anyRow, parseOnly), { numRuns: 2000 });
  });

  it('evaluates well-formed filters like a direct evaluation', () => {
    fc.assert(
      fc.property(expressionArb, fc.boolean(), semanticRowArb, (expression, fullParens, [semantic, row]) => {
        const filter = render(expression, 0, fullParens);
        expect(parseODataFilter(filter, schema)(row)).toBe(evaluate(expression, semantic) === true);
      }),
      { numRuns: 1000 },
    );
  });
});
