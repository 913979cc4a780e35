/** GET /templates: stored templates, offered as canned responses. */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { TemplateView } from './types.ts';

/** The templates (they change rarely: read once per minute at most). */
export function useTemplates() {
  return useQuery({
    queryKey: ['workspace', 'templates'],
    queryFn: async () => (await api.get<{ templates: TemplateView[] }>('/templates')).templates,
    staleTime: 60_000,
  });
}
