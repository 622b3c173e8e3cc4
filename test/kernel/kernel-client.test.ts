// The kernel through Debian's jupyter_client (kernel_client_test.py): errors of every kind leave it
// alive and point at the cell line, interrupts (SIGINT, interrupt_request, listeners, a Trainer run),
// wrong/missing/replayed signatures are dropped, mime bundles, display ids, the SDK imported from a cell.
import { test } from 'node:test';
import { assertUnittestPasses } from './jupyter-env';

test('kernel_client_test.py passes with nothing skipped', { timeout: 180_000 }, () => assertUnittestPasses('kernel_client_test', { ran: 21, skipped: [] }));
