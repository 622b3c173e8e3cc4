// Debian's jupyter_kernel_test suite (kernel_protocol_test.py) with every sample set: all pass and only
// test_pager is skipped (this kernel has no pager).
import { test } from 'node:test';
import { assertUnittestPasses } from './jupyter-env';

test('jupyter_kernel_test passes with only the pager test skipped', { timeout: 120_000 }, () =>
  assertUnittestPasses('kernel_protocol_test', { ran: 12, skipped: ['test_pager'] }));
