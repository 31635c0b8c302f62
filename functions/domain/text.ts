/**
 * At most `max` UTF-16 units of `text` (the unit zod's and the API's limits count), ending in
 * `mark` when cut, and never cut between the halves of a surrogate pair: half an emoji is not
 * Unicode, and neither a UTF-8 store nor a mail header nor a page can carry it.
 */
export const truncate = (text: string, max: number, mark = '…'): string => {
  if (text.length <= max) return text;
  let end = max - mark.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}${mark}`;
};
