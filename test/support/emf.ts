/** EMF documents Powertools Metrics prints to stdout, captured while a test runs (nothing reaches the real stdout). */
export interface EmfCapture {
  /** Every line that was an EMF document, parsed, in the order printed. */
  readonly documents: Record<string, unknown>[];
  /** Puts stdout back. */
  stop(): void;
}

export function captureEmf(): EmfCapture {
  const documents: Record<string, unknown>[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    for (const line of text.split('\n')) if (line.includes('"_aws"')) documents.push(JSON.parse(line) as Record<string, unknown>);
    return true;
  });
  return { documents, stop: () => spy.mockRestore() };
}

/** The EMF documents printed while `run` runs. */
export async function emfDocumentsDuring(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const capture = captureEmf();
  try {
    await run();
  } finally {
    capture.stop();
  }
  return capture.documents;
}
