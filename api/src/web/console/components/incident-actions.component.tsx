import { useState } from 'preact/hooks';
import type { IncidentDetail, IncidentNoteInput } from '../../../contract/incident.schema.ts';
import { useSession } from '../session.ts';

const manualStates = ['investigating', 'identified', 'monitoring'] as const;

/**
 * What a responder does to an incident: acknowledge, resolve, move its state, add a note. Rendered
 * only for principals who may (the view checks mayRespond); every error shows the API's message.
 */
export function IncidentActions({ detail, onChanged }: { detail: IncidentDetail; onChanged(): void }) {
  const { api } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [note, setNote] = useState('');
  const [publish, setPublish] = useState(false);
  const [next, setNext] = useState<string>(detail.state === 'resolved' ? 'investigating' : detail.state);
  const path = `/v1/incidents/${detail.id}`;
  const act = async (write: () => Promise<unknown>, after?: () => void) => {
    setBusy(true);
    setError(undefined);
    try {
      await write();
      after?.();
      onChanged();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const open = detail.state !== 'resolved';
  return (
    <section class="incident-actions" aria-labelledby="incident-actions-heading">
      <h2 id="incident-actions-heading">Respond</h2>
      {error ? <p class="problem" role="alert">{error}</p> : null}
      {open ? (
        <div class="incident-buttons">
          {detail.acknowledged_at === null ? (
            <button type="button" disabled={busy} onClick={() => act(() => api.post(`${path}/acknowledge`))}>Acknowledge</button>
          ) : null}
          <button type="button" disabled={busy} onClick={() => act(() => api.post(`${path}/resolve`))}>Resolve</button>
          <form class="incident-state-form" onSubmit={(e) => { e.preventDefault(); void act(() => api.patch(path, { state: next })); }}>
            <label>
              State
              <select value={next} onChange={(e) => setNext((e.currentTarget as HTMLSelectElement).value)}>
                {manualStates.map((s) => <option key={s} value={s}>{s}</option>)}
              </select>
            </label>
            <button type="submit" disabled={busy || next === detail.state}>Change state</button>
          </form>
        </div>
      ) : null}
      <form class="incident-note-form" onSubmit={(e) => {
        e.preventDefault();
        const body: IncidentNoteInput = publish ? { text: note, public: true } : { text: note };
        void act(() => api.post(`${path}/notes`, body), () => {
          setNote('');
          setPublish(false);
        });
      }}>
        <label for="incident-note">Note</label>
        <textarea id="incident-note" rows={3} value={note} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
        <label class="incident-publish">
          <input type="checkbox" checked={publish} onChange={(e) => setPublish((e.currentTarget as HTMLInputElement).checked)} />
          Publish on status pages
        </label>
        <button type="submit" disabled={busy}>Add note</button>
      </form>
    </section>
  );
}
