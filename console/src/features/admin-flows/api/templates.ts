/**
 * Acknowledgement templates: `GET /templates`, `PUT /templates/:id { name, subject, body }` (creates
 * or replaces), `DELETE /templates/:id` (refused while a flow names it).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

export interface Template {
  readonly id: string;
  readonly name: string;
  readonly subject: string;
  readonly body: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const templatesKey = ['admin', 'templates'] as const;

/** Every template. */
export function useTemplates() {
  return useQuery({ queryKey: templatesKey, queryFn: () => api.get<{ templates: Template[] }>('/templates').then((a) => a.templates) });
}

/** The template mutations; the list is re-read after each. */
export function useTemplateMutations() {
  const client = useQueryClient();
  const onSettled = () => client.invalidateQueries({ queryKey: templatesKey });
  return {
    save: useMutation({
      mutationFn: (t: { id: string; name: string; subject: string; body: string }) => api.put<{ template: Template }>(`/templates/${encodeURIComponent(t.id)}`, { name: t.name, subject: t.subject, body: t.body }),
      onSettled,
    }),
    remove: useMutation({ mutationFn: (id: string) => api.delete<void>(`/templates/${encodeURIComponent(id)}`), onSettled }),
  };
}
