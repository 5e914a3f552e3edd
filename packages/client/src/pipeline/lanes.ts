/**
 * Ordered work in lanes: jobs with the same lane key run one at a time in the order they were
 * queued; jobs of different lanes run concurrently. A lane is a chat (its canonical JID), so the
 * messages of one chat are processed, and sent, in order while other chats go on.
 *
 * A job's lane key may need the store (a PN sender's LID), so keys are resolved by an ordered
 * intake: job N's key is resolved, and the job placed in its lane, before job N+1's. That keeps
 * "queued before" meaning "runs before" within a lane even when key lookups take different times.
 *
 * A barrier job runs once everything queued before it has finished, in every lane (the end of the
 * offline queue is reported after every offline message was handled).
 */

/** One unit of work. */
export interface LaneJob {
  /** The lane key; may await (store lookups). A rejection fails the job without running it. */
  lane(): string | Promise<string>;
  /** The work; runs after the lane's earlier jobs settled. */
  run(): Promise<void>;
  /** Called with the error when `lane()` or `run()` rejects; the lanes carry on. */
  fail(error: unknown): void;
  /** Wait for every earlier job of every lane before running (see the file comment). */
  barrier?: boolean | undefined;
}

/** Per-lane ordered execution with an ordered intake. */
export class Lanes {
  readonly #lanes = new Map<string, Promise<void>>();
  readonly #running = new Set<Promise<void>>();
  #intake: Promise<void> = Promise.resolve();
  // Jobs in the intake, not yet placed in a lane.
  #inIntake = 0;
  // True while a job placed in an idle lane runs its synchronous start: a job queued from inside it
  // goes through the intake, so it cannot overtake the one whose lane is not recorded yet.
  #starting = false;
  #queued = 0;

  /** Jobs queued or running, in every lane (what the client bounds). */
  get size(): number {
    return this.#queued;
  }

  /**
   * Queues `job`; resolves when it has run (or failed). Never rejects: failures go to `job.fail`.
   *
   * The common case costs no intake turn: with nothing ahead of it in the intake and a key known
   * at once (`lane()` returns a string), the job is placed right away, and starts right away when
   * its lane is idle. Its order is the same either way: nothing queued earlier is still waiting
   * for a place.
   */
  push(job: LaneJob): Promise<void> {
    this.#queued += 1;
    if (this.#inIntake === 0 && !job.barrier && !this.#starting) {
      let key: string | Promise<string>;
      try {
        key = job.lane();
      } catch (error) {
        this.#settle(job, error);
        return Promise.resolve();
      }
      if (typeof key === 'string') return this.#place(job, key);
      return this.#enter(job, key);
    }
    return this.#enter(job, undefined);
  }

  /** Places `job` once everything ahead of it in the intake was placed; `key` when already asked. */
  #enter(job: LaneJob, key: Promise<string> | undefined): Promise<void> {
    this.#inIntake += 1;
    // Resolved with the job's run once it is placed (a promise resolved with a promise follows it).
    let placed!: (run: Promise<void>) => void;
    const finished = new Promise<void>((resolve) => {
      placed = resolve;
    });
    this.#intake = this.#intake.then(async () => {
      let lane: string;
      try {
        if (job.barrier) await this.idle();
        lane = await (key ?? job.lane());
      } catch (error) {
        this.#inIntake -= 1;
        this.#settle(job, error);
        placed(Promise.resolve());
        return;
      }
      this.#inIntake -= 1;
      placed(this.#place(job, lane));
    });
    return finished;
  }

  /** Puts `job` at the end of lane `key`; the promise settles when it has run. */
  #place(job: LaneJob, key: string): Promise<void> {
    const previous = this.#lanes.get(key);
    let tail: Promise<void>;
    if (previous !== undefined) tail = previous.then(() => this.#run(job));
    else {
      this.#starting = true;
      try {
        tail = this.#run(job);
      } finally {
        this.#starting = false;
      }
    }
    this.#lanes.set(key, tail);
    this.#running.add(tail);
    void tail.then(() => {
      this.#running.delete(tail);
      // The lane is forgotten once its last job finished, so keys do not pile up.
      if (this.#lanes.get(key) === tail) this.#lanes.delete(key);
    });
    return tail;
  }

  /** Runs `job`; never rejects. */
  async #run(job: LaneJob): Promise<void> {
    try {
      await job.run();
      this.#settle(job, undefined);
    } catch (error) {
      this.#settle(job, error);
    }
  }

  /** Resolves once every job placed in a lane so far has finished (jobs still in the intake excluded). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running);
  }

  /** Resolves once every job queued so far, and any queued meanwhile, has finished. */
  async drain(): Promise<void> {
    for (;;) {
      await this.#intake;
      await this.idle();
      if (this.#queued === 0) return;
    }
  }

  #settle(job: LaneJob, error: unknown): void {
    this.#queued -= 1;
    if (error !== undefined) {
      try {
        job.fail(error);
      } catch {
        // A failing failure handler must not stop the lanes.
      }
    }
  }
}
