import { timingSafeEqual } from 'node:crypto';

/** Who a request comes from. */
export interface SandboxUser {
  /** A label such as 'token#1'; safe to log. */
  label: string;
  token: string;
  namespaces: string[] | '*';
}

/** Bearer tokens, their labels, and the namespaces each may access. */
export class TokenAuth {
  readonly users: SandboxUser[];

  constructor(tokens: Record<string, string[] | '*'>) {
    this.users = Object.entries(tokens).map(([token, namespaces], i) => ({
      label: `token#${i + 1}`,
      token,
      namespaces,
    }));
  }

  /** The user for an Authorization header, or undefined. */
  authenticate(header: string | undefined): SandboxUser | undefined {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!m) return undefined;
    const given = Buffer.from(m[1]);
    return this.users.find(u => {
      const known = Buffer.from(u.token);
      return known.length === given.length && timingSafeEqual(known, given);
    });
  }

  /** Whether a user may touch a namespace (undefined: cluster scope). */
  static allowed(user: SandboxUser, namespace: string | undefined): boolean {
    if (user.namespaces === '*') return true;
    return namespace !== undefined && user.namespaces.includes(namespace);
  }
}
