// Keyset paging parameters shared by pages and the API.

/** `?before=ID`: undefined when absent, null when malformed. */
export const pageBefore = (v: string | undefined): number | undefined | null => {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};
