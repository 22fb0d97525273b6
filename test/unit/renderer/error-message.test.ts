import { describe, expect, it } from 'vitest';

/**
 * ErrorMessage.tsx is JSX, which tsconfig.node.json (the one that typechecks test/) does not
 * compile: a static import fails `tsc` with TS6142. Vitest compiles it fine, so it is imported by a
 * specifier `tsc` does not follow, with the signature of `errorLocation` spelled out here.
 */
const modulePath: string = '../../../renderer/ui/ErrorMessage.tsx';
const { errorLocation } = (await import(modulePath)) as {
  errorLocation: (details: Readonly<Record<string, unknown>>) => string | null;
};

describe('errorLocation', () => {
  it('is file:line when the details name both', () => {
    expect(errorLocation({ file: 'migrations/3f2a_add_users.sql', line: 12, statement: 2 })).toBe(
      'migrations/3f2a_add_users.sql:12',
    );
  });

  it.each([
    [{}],
    [{ file: 'm.sql' }],
    [{ line: 3 }],
    [{ file: 'm.sql', line: '3' }],
    [{ file: 3, line: 3 }],
    [{ file: null, line: null }],
  ])('is null for %j', (details) => {
    expect(errorLocation(details)).toBeNull();
  });
});
