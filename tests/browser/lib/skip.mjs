// KADER_ALLOW_SKIP: the one switch that lets a test skip when something it
// needs is missing (the same variable as the Rust suite's, see README.md,
// Development). Without it such a test fails, saying what is missing and how
// to get it; scripts/test and .ci/run never set it.
//
//   KADER_ALLOW_SKIP=pages,baselines bash tests/browser/run.sh
//   KADER_ALLOW_SKIP=all ...
//
// Reasons used here: `pages` (an optional page of lib/pages.mjs is not in the
// build), `baselines` (a visual baseline PNG is missing), `shared` (the
// corpus in ../shared is missing; lib/corpus.mjs) and `icons` (the packages of
// tests/icons).

import assert from 'node:assert/strict';

export const ALLOW_SKIP = 'KADER_ALLOW_SKIP';

/** Whether KADER_ALLOW_SKIP (comma-separated reasons, or `all`) names `reason`. */
export function skipAllowed(reason) {
  return (process.env[ALLOW_SKIP] || '')
    .split(',')
    .map((r) => r.trim().toLowerCase())
    .some((r) => r === reason || r === 'all');
}

/**
 * Something test `t` needs is missing: `what` says what, `fix` how to get it.
 * Fails the test, unless KADER_ALLOW_SKIP names `reason`: then prints a
 * NOTICE, marks the test skipped and returns true (the caller returns).
 */
export function missing(t, reason, what, fix) {
  if (skipAllowed(reason)) {
    notice(t, reason, what);
    t.skip(`${what} (${ALLOW_SKIP}=${reason})`);
    return true;
  }
  assert.fail(failure(reason, what, fix));
}

/** The loud line printed for what a test leaves out (KADER_ALLOW_SKIP names `reason`). */
export function notice(t, reason, what) {
  process.stderr.write(`\nNOTICE: SKIPPED in ${t.name}: ${what} (${ALLOW_SKIP} allows \`${reason}\`)\n`);
}

/** The message of a test that fails for want of something. */
export function failure(reason, what, fix) {
  return `${what}.\n${fix}\nTo skip this test deliberately, set ${ALLOW_SKIP}=${reason} (see tests/browser/README.md).`;
}
