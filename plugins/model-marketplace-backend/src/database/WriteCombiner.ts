/** Options of {@link WriteCombiner}. */
export type WriteCombinerOptions<I, O> = {
  /**
   * Writes all inputs at once, atomically (one statement or transaction),
   * and returns one output per input, in order. Throwing means nothing was
   * written.
   */
  writeAll: (inputs: I[]) => Promise<O[]>;
  /** Writes one input alone: what a failed batch falls back to. */
  writeOne: (input: I) => Promise<O>;
  /**
   * Inputs with the same key never share a batch (e.g. two changes of one
   * row): the later one waits for the next.
   */
  keyOf?: (input: I) => string;
  /** The most inputs in one batch; default 100. */
  maxBatch?: number;
  /** The most batches written at the same time; default 2. */
  maxInFlight?: number;
};

type Pending<I, O> = {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
};

/**
 * Write combining (group commit): writes that arrive while earlier ones are
 * being written wait, and are then written together in one batch, so that
 * fifty concurrent writes take a few statements and commits instead of
 * fifty. Each caller's promise settles only after its batch has committed.
 * When a batch fails, none of it was written, and each of its inputs is
 * written again alone: one bad input fails only its own caller.
 */
export class WriteCombiner<I, O> {
  private readonly queue: Array<Pending<I, O>> = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(private readonly options: WriteCombinerOptions<I, O>) {
    this.maxBatch = options.maxBatch ?? 100;
    this.maxInFlight = options.maxInFlight ?? 2;
  }

  /** Writes `input` with whatever else is waiting; resolves after the commit. */
  write(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length) {
      const batch = this.take();
      this.inFlight += 1;
      this.writeBatch(batch).finally(() => {
        this.inFlight -= 1;
        this.flush();
      });
    }
  }

  /** The next batch: up to maxBatch waiting inputs, no two with one key. */
  private take(): Array<Pending<I, O>> {
    const { keyOf } = this.options;
    const batch: Array<Pending<I, O>> = [];
    const keys = new Set<string>();
    for (let i = 0; i < this.queue.length && batch.length < this.maxBatch; ) {
      const key = keyOf?.(this.queue[i].input);
      if (key !== undefined && keys.has(key)) {
        i += 1;
        continue;
      }
      if (key !== undefined) {
        keys.add(key);
      }
      batch.push(...this.queue.splice(i, 1));
    }
    return batch;
  }

  private async writeBatch(batch: Array<Pending<I, O>>): Promise<void> {
    let outputs: O[];
    try {
      outputs = await this.options.writeAll(batch.map(p => p.input));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      // nothing of the batch was written: each input on its own, so that
      // only the one at fault fails
      await Promise.all(
        batch.map(p =>
          this.options.writeOne(p.input).then(p.resolve, p.reject),
        ),
      );
      return;
    }
    batch.forEach((p, i) => p.resolve(outputs[i]));
  }
}
