/** A row of buttons choosing a window; the chosen one is pressed (aria-pressed), so it is not shown by colour alone. */
export function WindowPicker<W extends string>({ windows, value, onChange, label }: { windows: readonly W[]; value: W; onChange: (w: W) => void; label: string }) {
  return (
    <div class="window-picker" role="group" aria-label={label}>
      {windows.map((w) => (
        <button key={w} type="button" class={w === value ? '' : 'secondary'} aria-pressed={w === value} onClick={() => onChange(w)}>{w}</button>
      ))}
    </div>
  );
}
