import { chosenDevUser, DEV_USER_STORAGE_KEY } from './AppSignInPage';

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
