/**
 * @module ThresholdSlider
 * The threshold a label is flagged at, shared by both views (flags are worked out from the
 * scores on the page, so moving it needs no new request).
 */
export function ThresholdSlider({ id, value, onChange }: { id: string; value: number; onChange(value: number): void }) {
  return (
    <label class="threshold" for={id}>
      Threshold <output for={id}>{Math.round(value * 100)}%</output>
      <input id={id} type="range" min={0.05} max={0.95} step={0.05} value={value} onInput={(e) => onChange(Number(e.currentTarget.value))} />
    </label>
  );
}
