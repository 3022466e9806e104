import { describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../common/errors.ts';
import {
  localizeServerError,
  serverErrorTextFor,
  TRANSLATED_SERVER_CODES,
} from '../../common/serverErrorText.ts';

describe('server refusals in the user’s language', () => {
  it('English and French translate the same codes, all of them real server codes', () => {
    expect(Object.keys(serverErrorTextFor('fr')).sort()).toEqual(
      Object.keys(serverErrorTextFor('en')).sort(),
    );
    for (const code of TRANSLATED_SERVER_CODES) expect(Object.keys(ERROR_STATUS)).toContain(code);
  });

  it('translates a known code and keeps figures from the server as the detail', () => {
    expect(localizeServerError('already_checked_out', 'The credential is already checked out.', 'fr')).toBe(
      'Cet identifiant est déjà extrait.',
    );
    expect(
      localizeServerError('duration_out_of_bounds', 'The duration must be between 10 and 480 minutes.', 'fr'),
    ).toContain('10 and 480');
  });

  it('keeps the server’s message for an unknown code, including prototype names', () => {
    expect(localizeServerError('something_new', 'Server says hi.', 'fr')).toBe('Server says hi.');
    expect(localizeServerError('toString', 'As is.', 'fr')).toBe('As is.');
  });
});
