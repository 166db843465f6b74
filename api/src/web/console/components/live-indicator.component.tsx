import { useLive } from '../live.ts';

const noChanges = () => undefined;
const labels = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' } as const;

/** Whether the page is receiving live updates: a word and a symbol (not colour alone), announced politely when it changes. */
export function LiveIndicator() {
  const status = useLive(noChanges);
  return (
    <span class={`live-indicator live-${status}`} role="status" aria-live="polite" title={status === 'live' ? 'Changes appear without reloading' : 'Live updates paused; they resume by themselves'}>
      <span aria-hidden="true">{status === 'live' ? '●' : '○'}</span> <span>{labels[status]}</span>
    </span>
  );
}
