/** Agents (`GET /agents`) and users (`GET /users`) as the API answers them. */

export interface Agent {
  readonly id: string;
  readonly name: string;
  readonly skills: readonly string[];
  readonly languages: readonly string[];
  readonly queues: readonly string[];
  readonly createdAt: string;
}

export type Role = 'agent' | 'supervisor' | 'admin';

export interface User {
  readonly username: string;
  readonly role: Role;
  readonly enabled: boolean;
  readonly email?: string;
  readonly createdAt?: string;
  readonly status?: string;
}
