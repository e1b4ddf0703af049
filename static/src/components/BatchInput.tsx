/**
 * @module BatchInput
 * Where the texts of "Many texts" come from: pasted, one per line, or a CSV, JSONL or text file
 * chosen or dropped, with a picker for the column that holds the text. The file is read here,
 * in the browser.
 */
import { useState } from 'preact/hooks';
import { guessColumn, InputProblem, MAX_FILE_BYTES, parseFile, rowsFromLines, rowsOfColumn, type BatchRow, type ParsedFile } from '../batch/parse-input.ts';

interface Chosen {
  name: string;
  parsed: ParsedFile;
  column: string;
}

export function BatchInput({ busy, onScore }: { busy: boolean; onScore(rows: BatchRow[]): void }) {
  const [pasted, setPasted] = useState('');
  const [file, setFile] = useState<Chosen | null>(null);
  const [problem, setProblem] = useState('');
  const [dragging, setDragging] = useState(false);
  // A new key empties the file input when the file is put aside.
  const [fileInputKey, setFileInputKey] = useState(0);

  async function choose(chosen: File | undefined) {
    if (!chosen) return;
    setProblem('');
    if (chosen.size > MAX_FILE_BYTES) {
      setProblem(`That file is ${(chosen.size / 1024 / 1024).toFixed(0)} MB; the page reads files of up to 50 MB. Score larger files with the command-line scorer (npm run score).`);
      return;
    }
    try {
      const parsed = parseFile(chosen.name, await chosen.text());
      if (parsed.records.length === 0) throw new InputProblem('The file holds no rows.');
      if (parsed.format !== 'text' && parsed.columns.length === 0) throw new InputProblem('The file has no column of text.');
      setFile({ name: chosen.name, parsed, column: guessColumn(parsed.columns) ?? '' });
    } catch (error) {
      setFile(null);
      setProblem(error instanceof InputProblem ? error.message : 'The file could not be read.');
    }
  }

  function submit(event: Event) {
    event.preventDefault();
    const rows = file ? rowsOfColumn(file.parsed, file.column) : rowsFromLines(pasted);
    if (rows.length === 0) {
      setProblem('Paste some texts, one per line, or choose a file.');
      return;
    }
    setProblem('');
    onScore(rows);
  }

  return (
    <form class="card" onSubmit={submit} noValidate>
      <label for="batch-text" class="field-label">
        Texts to check, one per line
      </label>
      <textarea
        id="batch-text"
        value={pasted}
        onInput={(e) => setPasted(e.currentTarget.value)}
        rows={6}
        disabled={file !== null}
        placeholder={'First comment\nSecond comment\n…'}
        aria-describedby="batch-error"
      />
      <div
        class={dragging ? 'dropzone dragging' : 'dropzone'}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          choose(e.dataTransfer?.files[0]);
        }}
      >
        <label for="batch-file">Or choose or drop a CSV, JSONL or text file (up to 50 MB)</label>
        <input key={fileInputKey} id="batch-file" type="file" accept=".csv,.jsonl,.ndjson,.txt,text/csv,text/plain" onChange={(e) => choose(e.currentTarget.files?.[0])} />
      </div>
      {file && (
        <div class="file-chosen" data-testid="file-chosen">
          <span>
            {file.name}: {file.parsed.records.length.toLocaleString('en')} rows
          </span>
          {file.parsed.format !== 'text' && (
            <span class="column-picker">
              <label for="batch-column">Text column</label>
              <select id="batch-column" value={file.column} onChange={(e) => setFile({ ...file, column: e.currentTarget.value })}>
                {file.parsed.columns.map((column) => (
                  <option key={column} value={column}>
                    {column}
                  </option>
                ))}
              </select>
            </span>
          )}
          <button
            type="button"
            class="chip"
            onClick={() => {
              setFile(null);
              setFileInputKey(fileInputKey + 1);
            }}
          >
            Use pasted text instead
          </button>
        </div>
      )}
      <p id="batch-error" class="field-error" role="alert">
        {problem}
      </p>
      <div class="controls">
        <span class="field-help">Only this service's API sees the texts; nothing is stored.</span>
        <button type="submit" class="submit" disabled={busy}>
          Check texts
        </button>
      </div>
    </form>
  );
}
