// Helpers for the Core v2 regression specs: a child process that runs a fixture (for programs
// whose failure is a silent process exit), and a bounded wait so a spec fails instead of hanging.

import { execFile } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "../../..");

/** What a finished child process left behind. */
export interface Exit {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run `fixtures/<file>` in a fresh Node process (TypeScript through scripts/register.js) and
 * collect its exit code and output. Killed after `ms`: a hang shows as `signal: "SIGTERM"`.
 */
export function runFixture(file: string, args: readonly string[] = [], ms = 15_000, nodeFlags: readonly string[] = []): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...nodeFlags, "-r", join(ROOT, "scripts/register.js"), join(__dirname, "fixtures", file), ...args],
      { encoding: "utf8", timeout: ms, cwd: ROOT },
      (error, stdout, stderr) => {
        const e = error as (NodeJS.ErrnoException & { code?: number | string; signal?: string | null }) | null;
        const code = e === null ? 0 : typeof e.code === "number" ? e.code : null;
        resolve({ code, signal: e?.signal ?? null, stdout, stderr });
      },
    );
  });
}

/** `p`'s outcome, or `"still pending"` once `ms` of real time passed: a hang becomes a value to assert on. */
export function within<T>(p: PromiseLike<T>, ms: number): Promise<{ value: T } | { error: unknown } | "still pending"> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("still pending"), ms);
    p.then(
      (value) => {
        clearTimeout(timer);
        resolve({ value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ error });
      },
    );
  });
}
