/** One CLI subcommand: its name, a one-line summary for `keyline help`, and what it runs. */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Resolves to the process exit status. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Where a command writes: passed in so tests capture output without touching process streams. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
  isTTY: boolean;
}
