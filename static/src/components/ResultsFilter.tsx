/**
 * @module ResultsFilter
 * Which results are shown: flagged only, flagged with one label, containing a search.
 */
import { LABELS, type Label } from '../api.ts';
import type { Filter } from '../batch/result-rows.ts';
import { LABEL_NAMES } from '../labels.ts';

export function ResultsFilter({ filter, onChange }: { filter: Filter; onChange(filter: Filter): void }) {
  return (
    <div class="filters" role="group" aria-label="Filter the results">
      <label class="filter">
        <input type="checkbox" checked={filter.flaggedOnly} onChange={(e) => onChange({ ...filter, flaggedOnly: e.currentTarget.checked })} />
        Flagged only
      </label>
      <span class="filter">
        <label for="filter-label">Label</label>
        <select
          id="filter-label"
          value={filter.label ?? ''}
          onChange={(e) => onChange({ ...filter, label: (e.currentTarget.value || undefined) as Label | undefined })}
        >
          <option value="">Any</option>
          {LABELS.map((label) => (
            <option key={label} value={label}>
              {LABEL_NAMES[label]}
            </option>
          ))}
        </select>
      </span>
      <span class="filter">
        <label for="filter-search">Search</label>
        <input id="filter-search" type="search" value={filter.search} onInput={(e) => onChange({ ...filter, search: e.currentTarget.value })} />
      </span>
    </div>
  );
}
