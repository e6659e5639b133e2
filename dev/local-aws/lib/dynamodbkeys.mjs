// The partition-key values a Query's key condition names, as DynamoDB supplies them to IAM as
// dynamodb:LeadingKeys. Both forms: KeyConditionExpression (with ExpressionAttributeNames/Values)
// and the legacy KeyConditions map. Anything this parser does not fully understand returns null:
// the caller refuses the request (an unparsed condition must never count as "no leading key",
// which ForAllValues would allow).

// Tokens of DynamoDB's key-condition grammar.
const TOKEN = /\s*(#[A-Za-z0-9_]+|:[A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_]*|<=|>=|<>|[=<>(),])/y;
const COMPARATORS = new Set(['=', '<', '<=', '>', '>=']);

function tokenize(text) {
  const tokens = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) return null;
    tokens.push(m[1]);
    pos = TOKEN.lastIndex;
  }
  return tokens;
}

/**
 * Parses "a = :x AND (begins_with(#b, :y))" into atoms:
 * { kind: 'compare', op, left, right } | { kind: 'between', operand, low, high } | { kind: 'begins_with', operand, prefix }.
 * Returns null for anything else (OR, NOT, functions other than begins_with, stray tokens).
 */
function parseConditions(tokens) {
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const isKeyword = (t, word) => typeof t === 'string' && t.toUpperCase() === word;
  const operand = () => {
    const t = next();
    if (t === undefined || /^[=<>(),]/.test(t) || isKeyword(t, 'AND') || isKeyword(t, 'BETWEEN') || isKeyword(t, 'OR') || isKeyword(t, 'NOT')) throw new Error('operand expected');
    return t;
  };
  const expect = (t) => {
    if (next() !== t) throw new Error(`${t} expected`);
  };

  function term() {
    if (peek() === '(') {
      next();
      const inner = conjunction();
      expect(')');
      return inner;
    }
    if (peek() === 'begins_with') {
      next();
      expect('(');
      const a = operand();
      expect(',');
      const b = operand();
      expect(')');
      return [{ kind: 'begins_with', operand: a, prefix: b }];
    }
    const left = operand();
    if (isKeyword(peek(), 'BETWEEN')) {
      next();
      const low = operand();
      if (!isKeyword(next(), 'AND')) throw new Error('AND expected in BETWEEN');
      const high = operand();
      return [{ kind: 'between', operand: left, low, high }];
    }
    const op = next();
    if (!COMPARATORS.has(op)) throw new Error('comparator expected');
    return [{ kind: 'compare', op, left, right: operand() }];
  }

  function conjunction() {
    const atoms = [...term()];
    while (isKeyword(peek(), 'AND')) {
      next();
      atoms.push(...term());
    }
    return atoms;
  }

  try {
    const atoms = conjunction();
    return i === tokens.length ? atoms : null;
  } catch {
    return null;
  }
}

/** An attribute value's scalar as IAM sees it (S, N or B); null for any other type. */
export function scalarOf(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const types = Object.keys(value);
  if (types.length !== 1 || !['S', 'N', 'B'].includes(types[0]) || typeof value[types[0]] !== 'string') return null;
  return value[types[0]];
}

/**
 * The leading keys of a Query on a table or index whose partition key is `hashKey`: an array with
 * the one value the condition fixes the partition key to, or null when it cannot be computed.
 */
export function queryLeadingKeys(input, hashKey) {
  const hasExpression = input.KeyConditionExpression !== undefined;
  const hasLegacy = input.KeyConditions !== undefined;
  if (hasExpression === hasLegacy) return null; // neither, or both (DynamoDB refuses both)

  if (hasLegacy) {
    const conditions = input.KeyConditions;
    if (conditions === null || typeof conditions !== 'object' || Array.isArray(conditions)) return null;
    const condition = conditions[hashKey];
    if (!condition || condition.ComparisonOperator !== 'EQ' || !Array.isArray(condition.AttributeValueList) || condition.AttributeValueList.length !== 1) return null;
    const value = scalarOf(condition.AttributeValueList[0]);
    return value === null ? null : [value];
  }

  if (typeof input.KeyConditionExpression !== 'string') return null;
  const tokens = tokenize(input.KeyConditionExpression);
  const atoms = tokens && parseConditions(tokens);
  if (!atoms) return null;
  const names = input.ExpressionAttributeNames ?? {};
  const values = input.ExpressionAttributeValues ?? {};
  const nameOf = (t) => {
    if (t.startsWith(':')) return null;
    if (t.startsWith('#')) return Object.hasOwn(names, t) && typeof names[t] === 'string' ? names[t] : undefined;
    return t;
  };
  const valueOf = (t) => (t.startsWith(':') && Object.hasOwn(values, t) ? scalarOf(values[t]) : null);

  const keys = [];
  for (const atom of atoms) {
    const operands = atom.kind === 'compare' ? [atom.left, atom.right] : atom.kind === 'between' ? [atom.operand] : [atom.operand];
    const resolved = operands.map(nameOf);
    if (resolved.includes(undefined)) return null; // a #name with no definition
    if (!resolved.includes(hashKey)) continue; // a sort-key condition
    if (atom.kind !== 'compare' || atom.op !== '=') return null;
    const [left, right] = resolved;
    const valueToken = left === hashKey ? atom.right : atom.left;
    if (left === hashKey && right === hashKey) return null;
    const value = valueOf(valueToken);
    if (value === null) return null;
    keys.push(value);
  }
  return keys.length === 1 ? keys : null;
}
