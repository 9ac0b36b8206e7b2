import {
  chosenDevUser,
  DEV_USER_STORAGE_KEY,
  signInOptions,
} from './AppSignInPage';

describe('chosenDevUser', () => {
  beforeEach(() => window.localStorage.clear());

  it('remembers the user named by ?as= across page loads', () => {
    expect(chosenDevUser('?as=helen.park', window.localStorage)).toBe(
      'helen.park',
    );
    expect(chosenDevUser('', window.localStorage)).toBe('helen.park');
    expect(window.localStorage.getItem(DEV_USER_STORAGE_KEY)).toBe(
      'helen.park',
    );
  });

  it('forgets the user with an empty ?as=', () => {
    chosenDevUser('?as=guest', window.localStorage);
    expect(chosenDevUser('?as=', window.localStorage)).toBeUndefined();
  });

  it('is undefined when no user was chosen', () => {
    expect(chosenDevUser('?filters=x', window.localStorage)).toBeUndefined();
  });
});

describe('signInOptions', () => {
  it('offers only the configured providers', () => {
    expect(signInOptions(['github'], 'production')).toEqual({
      providers: [expect.objectContaining({ id: 'github-auth-provider' })],
      devUser: false,
    });
    expect(signInOptions([], 'production')).toEqual({
      providers: [],
      devUser: false,
    });
  });

  it('offers guest and the ?as= sign-in of the demo when configured', () => {
    expect(signInOptions(['guest', 'devUser'], 'development')).toEqual({
      providers: ['guest'],
      devUser: true,
    });
  });

  it('never offers the ?as= sign-in outside development', () => {
    expect(signInOptions(['devUser'], 'production').devUser).toBe(false);
  });
});
