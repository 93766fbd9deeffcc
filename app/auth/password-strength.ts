// How early an attacker would guess a password: zxcvbn-ts with its list of the ~50,000
// commonest passwords from breach corpora (@zxcvbn-ts/language-common), plus the context words
// of the person. The same function decides on the server and drives the meter in the browser
// (which loads this module, and its 200 KB of dictionaries, only when a new password is typed).
import { ZxcvbnFactory, type MatchExtended } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { contextWords, PASSWORD_MAX, PASSWORD_MIN, passwordLength, problemMessage, type PasswordProblem } from './password-policy';

/**
 * zxcvbn's score 3: about 10^8 guesses or more — "safely unguessable" online, and hours of
 * work per account offline against argon2id.
 */
export const MIN_SCORE = 3;

// Only the first 64 characters are analysed: the analysis grows with the length, and anything
// longer that got this far is long enough.
const ANALYSED = 64;

let factory: ZxcvbnFactory | undefined;
const zxcvbn = () => (factory ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs, maxLength: ANALYSED }));

export interface PasswordVerdict {
  /** 0 (guessed at once) … 4 (strong), as the meter shows it. */
  score: 0 | 1 | 2 | 3 | 4;
  problem: PasswordProblem | null;
}

const isContext = (m: MatchExtended) => m.pattern === 'dictionary' && m.dictionaryName === 'userInputs';
const isCommon = (m: MatchExtended) => m.pattern === 'dictionary' && String(m.dictionaryName).startsWith('passwords');

const escaped = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The password without its context words: those zxcvbn found (in l33t or reversed too) and any written out. */
function withoutContext(password: string, matches: readonly MatchExtended[], words: readonly string[]): string {
  const chars = password.split('');
  for (const m of matches.filter(isContext)) for (let k = m.i; k <= m.j; k++) chars[k] = '';
  let rest = chars.join('');
  for (const word of [...words].sort((a, b) => b.length - a.length)) rest = rest.replace(new RegExp(escaped(word), 'giu'), '');
  return rest;
}

/**
 * The verdict on a new password given its context words (`contextWords`). A password that
 * reaches the score only thanks to a context word is judged without it: "Vlasotince-2026!" is
 * as weak as "-2026!" to someone who knows where its owner works.
 */
export function judgePassword(password: string, words: readonly string[]): PasswordVerdict {
  const length = passwordLength(password);
  if (length < PASSWORD_MIN) return { score: 0, problem: 'short' };
  if (length > PASSWORD_MAX) return { score: 0, problem: 'long' };
  const result = zxcvbn().check(password, [...words]);
  const rest = withoutContext(password, result.sequence, words);
  const withContext = rest !== password;
  if (result.score < MIN_SCORE) {
    return { score: result.score, problem: withContext ? 'context' : result.sequence.some(isCommon) ? 'common' : 'weak' };
  }
  if (withContext) {
    const without = rest ? zxcvbn().check(rest, [...words]).score : 0;
    if (without < MIN_SCORE) return { score: without, problem: 'context' };
  }
  return { score: result.score, problem: null };
}

/** The message to show beside a new password's field, or null when it may be set. */
export function newPasswordProblem(password: string, context: readonly (string | null | undefined)[]): string | null {
  const { problem } = judgePassword(password, contextWords(context));
  return problem && problemMessage(problem);
}
