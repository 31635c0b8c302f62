/**
 * An item's size as DynamoDB counts it towards its 400 KB limit: attribute names and string values
 * in UTF-8 bytes, numbers by their digits, and a few bytes for each list or map and its elements.
 */
export const itemSize = (value: unknown): number => {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return Math.ceil(String(value).replace(/[-.]/g, '').length / 2) + 1;
  if (typeof value === 'boolean' || value === null) return 1;
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + itemSize(v), 0);
  if (typeof value === 'object') return 3 + Object.entries(value as object).reduce((n, [k, v]) => n + 1 + Buffer.byteLength(k) + itemSize(v), 0);
  return 0;
};
