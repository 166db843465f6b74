import type { ApiError } from '../api.client.ts';

/** A state as a badge: a word and a colour (never the colour alone). */
export function StateBadge({ state }: { state: string | null | undefined }) {
  const s = state ?? 'unknown';
  return <span class={`badge state-${s}`}>{s.replace(/_/g, ' ')}</span>;
}

/** A failed load, with the API's message (what to fix) and a retry. */
export function Problem({ error, retry }: { error: ApiError | Error; retry?: () => void }) {
  return (
    <div class="problem" role="alert">
      <p>{error.message}</p>
      {retry ? <button type="button" onClick={retry}>Try again</button> : null}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return <p class="loading" role="status">Loading {what}…</p>;
}

/** Renders `loaded`'s data with `render`, or its loading state or error. */
export function Loaded<T>({ loaded, what, render }: { loaded: { data: T | undefined; error: ApiError | Error | undefined; reload(): void }; what: string; render: (data: T) => preact.ComponentChildren }) {
  if (loaded.error && loaded.data === undefined) return <Problem error={loaded.error} retry={loaded.reload} />;
  if (loaded.data === undefined) return <Loading what={what} />;
  return <>{render(loaded.data)}</>;
}
