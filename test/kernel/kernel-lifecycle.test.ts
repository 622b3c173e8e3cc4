// Restart and shutdown through jupyter_client, an unsigned connection (empty key), the ipc transport, and
// no listening port besides the connection file's five (kernel_lifecycle_test.py).
import { test } from 'node:test';
import { assertUnittestPasses } from './jupyter-env';

test('kernel_lifecycle_test.py passes', { timeout: 120_000 }, () => assertUnittestPasses('kernel_lifecycle_test', { ran: 3, skipped: [] }));
