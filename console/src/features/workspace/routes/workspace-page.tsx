/** The agent workspace (issue 12 item 2); filled in by the following commits. */
export function WorkspacePage() {
  return <h1>Workspace</h1>;
}
