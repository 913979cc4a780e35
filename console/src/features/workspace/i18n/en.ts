/** The workspace's English texts: the type the other languages copy completely. */
export const en = {
  'workspace.title': 'Workspace',
} satisfies Record<string, string>;

export type WorkspaceKey = keyof typeof en;
