/**
 * The OData v3 `$filter` subset spoken by the Microsoft Identity Manager PAM REST API, e.g.
 * `RoleName eq 'Admins' and (RequestedTTL ge 3600 or CreationTime lt datetime'2015-07-11T22:25:00Z')`.
 *
 * Hand-written on purpose: the OData libraries on npm target v4 (no `datetime'...'`/`guid'...'`
 * literals) or build SQL/ASTs for ORMs, while all we need is a small, strict, typed predicate.
 * The filter is tokenized up front, then parsed by recursive descent with one function per
 * precedence level (or < and < comparison < not < primary) and compiled straight into closures.
 * Every mistake is an ODataFilterError naming the offending token, because these errors are
 * reported back to a remote client who can only fix what they can locate.
 */

export type ODataPropertyType = 'string' | 'number' | 'datetime' | 'guid' | 'boolean';
/** Property names as they appear in `$filter`, e.g. `RoleName`, `RequestedTTL`, `FIMRequestID`. */
export type ODataSchema = Record<string, ODataPropertyType>;

export class ODataFilterError extends Error {
  readonly token: string;
  readonly position: number;

  constructor(reason: string, token: string, position: number, hint?: string) {
    super(`${reason} at position ${position}${hint ? `; ${hint}` : ''}`);
    this.name = 'ODataFilterError';
    this.token = token;
    this.position = position;
  }
}

// Filters arrive in URLs from remote clients: bound the work and the recursion depth so that a
// hostile `((((...` or `not not not ...` is an error, never a stack overflow or a slow request.
const MAX_LENGTH = 4096;
const MAX_DEPTH = 64;

const COMPARISONS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const;
type Comparison = (typeof COMPARISONS)[number];
// OData keywords are case-sensitive; these are used to explain why `AND` or `True` is rejected.
const KEYWORDS = new Set([...COMPARISONS, ...'and or not true false null datetime guid'.split(' ')]);
const isComparison = (word: string): word is Comparison => (COMPARISONS as readonly string[]).includes(word);

type TokenKind = 'ident' | 'string' | 'number' | 'datetime' | 'guid' | 'operator' | '(' | ')' | ',' | 'end';
interface Token {
  kind: TokenKind;
  text: string; // exactly as written, for error messages
  position: number;
  value?: string | number; // decoded literal value
}

// Sticky regexes, all linear: nothing here can backtrack catastrophically.
const WHITESPACE = /\s+/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*/y; // `A` or a path `A/Value`
const NUMBER = /-?\d+(?:\.\d+)?[A-Za-z0-9_.]*/y; // the tail swallows `5abc`/`1.2.3` to reject it whole
const OPERATOR = /[=!<>&|]+/y; // C-style operators, only so we can say "use eq" instead of "bad char"
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// OData v3 `datetime` is yyyy-mm-ddThh:mm[:ss[.fffffff]] with no zone (always UTC); we also take
// `Z` and, for row values, an offset.
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|([+-])(\d{2}):(\d{2}))?$/;
const NUMERIC_STRING = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const show = (token: string) => {
  const short = token.length > 40 ? `${token.slice(0, 40)}…` : token;
  return short.includes("'") ? `"${short}"` : `'${short}'`;
};

const fail = (reason: string, at: { text: string; position: number }, hint?: string) =>
  new ODataFilterError(reason, at.text, at.position, hint);

/** Explains why `AND` or `True` is rejected: OData keywords are case-sensitive. */
const caseHint = (word: string) => {
  const lower = word.toLowerCase();
  return lower !== word && KEYWORDS.has(lower) ? `keywords are case-sensitive, use '${lower}'` : undefined;
};

const match = (re: RegExp, text: string, at: number) => {
  re.lastIndex = at;
  return re.exec(text)?.[0];
};

/** Reads a `'...'` literal starting at `start` (which holds the quote); `''` is an escaped quote. */
function readQuoted(text: string, start: number, tokenStart: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf("'", i);
    const rest = { text: text.slice(tokenStart), position: tokenStart };
    if (quote < 0) throw fail(`Unterminated string literal ${show(rest.text)}`, rest);
    value += text.slice(i, quote);
    if (text[quote + 1] !== "'") return { value, end: quote + 1 };
    value += "'";
    i = quote + 2;
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    i += match(WHITESPACE, text, i)?.length ?? 0;
    if (i >= text.length) break;
    const start = i;
    const ch = text[i]!;
    const push = (kind: TokenKind, end: number, value?: string | number) => {
      tokens.push({ kind, text: text.slice(start, end), position: start, value });
      i = end;
    };
    if (ch === '(' || ch === ')' || ch === ',') {
      // ',' is only tokenized so that `substringof('a', X)` is reported as an unsupported function.
      push(ch, i + 1);
    } else if (ch === "'") {
      const { value, end } = readQuoted(text, i, start);
      push('string', end, value);
    } else if (/[-\d]/.test(ch) && match(NUMBER, text, i)) {
      const word = match(NUMBER, text, i)!;
      const value = Number(word);
      if (!/^-?\d+(?:\.\d+)?$/.test(word) || !Number.isFinite(value)) {
        throw new ODataFilterError(`Invalid number literal ${show(word)}`, word, start);
      }
      push('number', i + word.length, value);
    } else if (match(IDENT, text, i)) {
      const word = match(IDENT, text, i)!;
      if (text[i + word.length] !== "'") {
        push('ident', i + word.length);
        continue;
      }
      // A word glued to a quote is a typed literal: datetime'...' or guid'...'.
      const { value, end } = readQuoted(text, i + word.length, start);
      const raw = text.slice(start, end);
      const instant = word === 'datetime' ? parseInstant(value) : undefined;
      if (instant !== undefined) push('datetime', end, instant);
      else if (word === 'guid' && GUID.test(value)) push('guid', end, value.toLowerCase());
      else if (word === 'datetime' || word === 'guid')
        throw fail(`Invalid ${word} literal ${show(raw)}`, { text: raw, position: start });
      else {
        const hint = caseHint(word) ?? (KEYWORDS.has(word) ? `put a space after '${word}'` : undefined);
        throw fail(`Unsupported literal type ${show(word)}`, { text: word, position: start }, hint);
      }
    } else if (match(OPERATOR, text, i)) {
      push('operator', i + match(OPERATOR, text, i)!.length);
    } else {
      throw new ODataFilterError(`Unexpected character ${show(ch)}`, ch, start);
    }
  }
  tokens.push({ kind: 'end', text: '', position: text.length });
  return tokens;
}

/** Parses an OData datetime (or an ISO row value) into epoch milliseconds; no zone means UTC. */
function parseInstant(text: string): number | undefined {
  const m = DATETIME.exec(text);
  if (!m) return undefined;
  const n = (group: number) => Number(m[group] ?? 0);
  const [year, month, day, hour, minute, second] = [n(1), n(2), n(3), n(4), n(5), n(6)];
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3)); // sub-millisecond digits are dropped
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined; // e.g. Feb 30
  date.setUTCHours(hour, minute, second, millis);
  if (n(10) > 23 || n(11) > 59) return undefined;
  const offsetMinutes = (m[9] === '-' ? -1 : 1) * (n(10) * 60 + n(11));
  return date.getTime() - offsetMinutes * 60_000;
}

// Row values are normalized per declared type: numbers and datetimes to numbers, guids to lowercase.
// INVALID marks a value that is present but unusable (e.g. TTL "soon"): it equals nothing, not even null.
const INVALID = Symbol('invalid');
type Value = string | number | boolean | null | typeof INVALID;

function toNumber(v: unknown): Value {
  if (typeof v === 'number') return Number.isFinite(v) ? v : INVALID;
  return typeof v === 'string' && NUMERIC_STRING.test(v.trim()) ? Number(v.trim()) : INVALID;
}

function normalize(type: ODataPropertyType, v: unknown): Value {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : INVALID;
    case 'number':
      return toNumber(v); // MIM serializes numbers as strings
    case 'datetime':
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? INVALID : v.getTime();
      return typeof v === 'string' ? (parseInstant(v) ?? INVALID) : INVALID;
    case 'guid': {
      // MIM wraps GUIDs as {Value: "..."}; plain strings are accepted too.
      const inner = typeof v === 'object' && Object.hasOwn(v, 'Value') ? (v as { Value: unknown }).Value : v;
      if (inner === null || inner === undefined) return null;
      return typeof inner === 'string' ? inner.toLowerCase() : INVALID;
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      return typeof v === 'string' && /^(true|false)$/i.test(v) ? v.toLowerCase() === 'true' : INVALID;
  }
}

/** OData comparison semantics: null equals only null and is never greater or less than anything. */
function compareValues(op: Comparison, a: Value, b: Value): boolean {
  if (a === INVALID || b === INVALID) return op === 'ne';
  if (a === null || b === null) return op === 'eq' ? a === b : op === 'ne' ? a !== b : false;
  const order = a < b ? -1 : a > b ? 1 : 0; // strings: by UTF-16 code unit, like OData's ordinal comparison
  const holds = {
    eq: order === 0,
    ne: order !== 0,
    gt: order > 0,
    ge: order >= 0,
    lt: order < 0,
    le: order <= 0,
  };
  return holds[op];
}

interface Node {
  type: ODataPropertyType | 'null';
  kind: 'literal' | 'property' | 'expression';
  text: string; // first token of the node, for error messages
  position: number;
  value?: Value; // literals only
  evaluate: (row: Record<string, unknown>) => Value;
}

const describe = (node: Node) =>
  node.kind === 'expression'
    ? `${node.type} expression starting with ${show(node.text)}`
    : node.type === 'null'
      ? 'null'
      : node.kind === 'literal'
        ? `${node.type} literal ${node.text.length > 40 ? `${node.text.slice(0, 40)}…` : node.text}`
        : `${node.type} property ${show(node.text)}`;

const literal = (token: Token, type: Node['type'], value: Value): Node => ({
  type,
  kind: 'literal',
  text: token.text,
  position: token.position,
  value,
  evaluate: () => value,
});

/** Three-valued logic in boolean context: anything that is not a boolean counts as null. */
const truth = (v: Value) => (typeof v === 'boolean' ? v : null);

export function parseODataFilter(
  text: string,
  schema: ODataSchema,
): (row: Record<string, unknown>) => boolean {
  if (text.length > MAX_LENGTH) {
    throw fail(`Filter is longer than ${MAX_LENGTH} characters`, {
      text: text[MAX_LENGTH]!,
      position: MAX_LENGTH,
    });
  }
  const tokens = tokenize(text);
  if (tokens.length === 1) throw new ODataFilterError('Empty filter', '', 0);
  let index = 0;
  let depth = 0;
  const peek = () => tokens[index]!;
  const next = () => {
    const t = peek();
    if (t.kind !== 'end') index++;
    return t;
  };
  const atWord = (word: string) => peek().kind === 'ident' && peek().text === word;
  const nested = <T>(token: Token, parse: () => T): T => {
    if (++depth > MAX_DEPTH) throw fail(`${show(token.text)} nests deeper than ${MAX_DEPTH} levels`, token);
    const result = parse();
    depth--;
    return result;
  };

  /** The error for a token found where an operator, `)` or the end of the filter belongs. */
  const unexpected = (t: Token): ODataFilterError => {
    if (t.kind === 'end') return fail('Unexpected end of filter', t);
    if (t.kind === ')') return fail("Unbalanced parenthesis ')'", t);
    const hint = t.kind === 'ident' ? caseHint(t.text) : undefined;
    if (hint) return fail(`Unknown token ${show(t.text)}`, t, hint);
    const isWord = t.kind === 'ident' && !KEYWORDS.has(t.text) && !Object.hasOwn(schema, t.text);
    if (isWord || t.kind === 'operator') {
      return fail(`Unknown operator ${show(t.text)}`, t, 'supported: eq, ne, gt, ge, lt, le, and, or, not');
    }
    return fail(`Unexpected token ${show(t.text)}`, t);
  };

  /** and/or/not and the filter itself need booleans; `blame` is the token to point at (default: the node). */
  const requireBoolean = (node: Node, context: string, blame?: Token) => {
    if (node.type !== 'boolean' && node.type !== 'null') {
      throw fail(`${context} needs a boolean but got ${describe(node)}`, blame ?? node);
    }
  };

  // Flattening `a and b and c` into one n-ary node keeps long chains from nesting closures deeply.
  const logical = (op: 'and' | 'or', operands: Node[]): Node => {
    for (const operand of operands) requireBoolean(operand, `Operator '${op}'`);
    const [decisive, other] = op === 'and' ? [false, true] : [true, false];
    return {
      type: 'boolean',
      kind: 'expression',
      text: operands[0]!.text,
      position: operands[0]!.position,
      evaluate: (row) => {
        let result: boolean | null = other;
        for (const operand of operands) {
          const v = truth(operand.evaluate(row));
          if (v === decisive) return decisive;
          if (v === null) result = null;
        }
        return result;
      },
    };
  };

  const compare = (opToken: Token, left: Node, right: Node): Node => {
    const op = opToken.text as Comparison;
    // MIM numbers are strings, so `RequestedTTL eq '3600'` is allowed when the string is numeric.
    const coerce = (node: Node, other: Node): Node => {
      if (other.type !== 'number' || node.kind !== 'literal' || node.type !== 'string') return node;
      const n = toNumber(node.value);
      return n === INVALID ? node : { ...node, type: 'number', value: n, evaluate: () => n };
    };
    const l = coerce(left, right);
    const r = coerce(right, left);
    if (l.type !== r.type && l.type !== 'null' && r.type !== 'null') {
      const culprit = r.kind === 'literal' || l.kind !== 'literal' ? r : l;
      const hint =
        l.type === 'datetime' || r.type === 'datetime'
          ? "write datetimes as datetime'2015-07-11T22:25:00Z'"
          : l.type === 'guid' || r.type === 'guid'
            ? "write GUIDs as guid'9802d7b7-b4e9-4fe4-8f5c-649cda127e49'"
            : undefined;
      throw fail(`Cannot compare ${describe(l)} with ${describe(r)}`, culprit, hint);
    }
    if (op !== 'eq' && op !== 'ne') {
      const nullSide = l.type === 'null' ? l : r.type === 'null' ? r : undefined;
      if (nullSide) throw fail(`Operator '${op}' cannot compare with null`, nullSide);
      if (l.type === 'guid' || l.type === 'boolean')
        throw fail(`Operator '${op}' cannot order ${l.type} values`, opToken);
    }
    return {
      type: 'boolean',
      kind: 'expression',
      text: l.text,
      position: l.position,
      evaluate: (row) => compareValues(op, l.evaluate(row), r.evaluate(row)),
    };
  };

  const parseOr = (): Node => {
    const operands = [parseAnd()];
    while (atWord('or')) {
      next();
      operands.push(parseAnd());
    }
    return operands.length === 1 ? operands[0]! : logical('or', operands);
  };

  const parseAnd = (): Node => {
    const operands = [parseComparison()];
    while (atWord('and')) {
      next();
      operands.push(parseComparison());
    }
    return operands.length === 1 ? operands[0]! : logical('and', operands);
  };

  // Left-associative like OData: `A eq B eq true` is `(A eq B) eq true`.
  const parseComparison = (): Node => {
    let left = parseUnary();
    while (peek().kind === 'ident' && isComparison(peek().text)) {
      const op = next();
      left = compare(op, left, parseUnary());
    }
    return left;
  };

  // `not` binds tighter than comparisons (OData precedence), so `not A eq B` is `(not A) eq B`.
  const parseUnary = (): Node => {
    if (!atWord('not')) return parsePrimary();
    const notToken = next();
    const operand = nested(notToken, parseUnary);
    requireBoolean(operand, "Operator 'not'", notToken);
    return {
      type: 'boolean',
      kind: 'expression',
      text: notToken.text,
      position: notToken.position,
      evaluate: (row) => {
        const v = truth(operand.evaluate(row));
        return v === null ? null : !v;
      },
    };
  };

  const parsePrimary = (): Node => {
    const t = next();
    switch (t.kind) {
      case '(': {
        const inner = nested(t, parseOr);
        if (peek().kind === ')') {
          next();
          return inner;
        }
        if (peek().kind === 'end') throw fail("Unbalanced parenthesis '(' is never closed", t);
        throw unexpected(peek());
      }
      case 'string':
        return literal(t, 'string', t.value as string);
      case 'number':
      case 'datetime':
        return literal(t, t.kind, t.value as number);
      case 'guid':
        return literal(t, 'guid', t.value as string);
      case 'ident':
        return identifier(t);
      case 'end':
        throw unexpected(t);
      case ')':
        throw fail("Expected a value but found ')'", t);
      default:
        throw fail(`Unexpected token ${show(t.text)}`, t);
    }
  };

  const identifier = (t: Token): Node => {
    if (t.text === 'true' || t.text === 'false') return literal(t, 'boolean', t.text === 'true');
    if (t.text === 'null') return literal(t, 'null', null);
    if (KEYWORDS.has(t.text)) throw fail(`Unexpected keyword ${show(t.text)}`, t);
    if (peek().kind === '(')
      throw fail(`Unsupported function ${show(t.text)}`, t, 'only comparisons are supported');
    // `FIMRequestID/Value` addresses the GUID inside MIM's {Value: guid} wrapper: same as `FIMRequestID`.
    const slash = t.text.lastIndexOf('/');
    const wrapped = t.text.slice(0, slash);
    const name = Object.hasOwn(schema, t.text)
      ? t.text
      : t.text.endsWith('/Value') && Object.hasOwn(schema, wrapped) && schema[wrapped] === 'guid'
        ? wrapped
        : undefined;
    if (name === undefined) {
      throw fail(`Unknown property ${show(t.text)}`, t, caseHint(t.text));
    }
    const type = schema[name]!;
    return {
      type,
      kind: 'property',
      text: t.text,
      position: t.position,
      evaluate: (row) => normalize(type, Object.hasOwn(row, name) ? row[name] : undefined),
    };
  };

  const root = parseOr();
  if (peek().kind !== 'end') throw unexpected(peek());
  requireBoolean(root, 'The filter');
  return (row) => root.evaluate(row) === true;
}
