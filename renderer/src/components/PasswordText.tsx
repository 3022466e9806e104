/**
 * A revealed password as password managers show it (1Password, Bitwarden): monospace, digits and
 * symbols in their own colours so that 0/O and l/1/| can be told apart. The colours are decoration;
 * the characters themselves carry the meaning, and screen readers read the plain text.
 */
export type CharClass = 'letter' | 'digit' | 'symbol';

export interface PasswordRun {
  kind: CharClass;
  text: string;
}

export function charClass(char: string): CharClass {
  if (/\p{Nd}/u.test(char)) return 'digit';
  if (/\p{L}/u.test(char)) return 'letter';
  return 'symbol';
}

/** The password cut into runs of one class ("ab12!" → ab, 12, !), by code point. */
export function passwordRuns(password: string): PasswordRun[] {
  const runs: PasswordRun[] = [];
  for (const char of password) {
    const kind = charClass(char);
    const last = runs.at(-1);
    if (last && last.kind === kind) last.text += char;
    else runs.push({ kind, text: char });
  }
  return runs;
}

export function PasswordText({ password, testId }: { password: string; testId?: string }) {
  return (
    <code className="secret" data-testid={testId}>
      {passwordRuns(password).map((run, index) => (
        // Runs never reorder: the index is their identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above.
        <span key={index} className={`pw-${run.kind}`}>
          {run.text}
        </span>
      ))}
    </code>
  );
}
