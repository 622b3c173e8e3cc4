import { test } from 'node:test';
import assert from 'node:assert/strict';
import { periodicYield } from '../../../sdk/src/util/periodic-yield';

test('periodicYield returns to the event loop only once its interval has passed', async () => {
  let turns = 0;
  const tick = () => setImmediate(() => turns++);
  tick();
  const rarely = periodicYield(60_000);
  for (let i = 0; i < 20; i++) await rarely();
  assert.equal(turns, 0, 'within the interval: no turn of the event loop');
  const always = periodicYield(0);
  await always();
  assert.equal(turns, 1, 'past the interval: the pending setImmediate ran');
  tick();
  await always();
  assert.equal(turns, 2);
});
