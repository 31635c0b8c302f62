/**
 * How the generated client (test/support/generated/api-client.ts, orval's fetch client) reaches the
 * API: the base URL and credentials the test gives, every answer read as orval's client reads it.
 */
export const apiConnection = { baseUrl: '', authorization: '' };

export const apiFetch = async <T>(url: string, init: RequestInit): Promise<T> => {
  const response = await fetch(`${apiConnection.baseUrl}${url}`, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), ...(apiConnection.authorization ? { Authorization: apiConnection.authorization } : {}) },
  });
  const text = await response.text();
  return { data: text ? JSON.parse(text) : undefined, status: response.status, headers: response.headers } as T;
};
