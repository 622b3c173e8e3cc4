import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../sdk/src/backend';
import { communityDetection } from '../../../sdk/src/util/community-detection';
import { utilFixture } from './fixture';

describe('communityDetection', () => {
  before(async () => {
    await ready();
  });

  for (const c of utilFixture.community_detection.cases) {
    it(`matches util.community_detection (threshold ${c.threshold}, min size ${c.min_community_size}, batch ${c.batch_size})`, async () => {
      const n = tf.memory().numTensors;
      const got = await communityDetection(utilFixture.community_detection.embeddings, {
        threshold: c.threshold,
        minCommunitySize: c.min_community_size,
        batchSize: c.batch_size,
      });
      assert.equal(tf.memory().numTensors, n);
      assert.deepEqual(got, c.communities);
    });
  }

  it('exact communities on a small example; a row joins one community only', async () => {
    const e = [[1, 0], [0.99, 0.1], [0, 1], [0.1, 0.99], [0.98, 0.15], [-1, 0]];
    assert.deepEqual(await communityDetection(e, { threshold: 0.9, minCommunitySize: 2 }), [[0, 1, 4], [2, 3]]);
    assert.deepEqual(await communityDetection(e, { threshold: 0.9, minCommunitySize: 3 }), [[0, 1, 4]]);
    assert.deepEqual(await communityDetection(e, { threshold: 0.999, minCommunitySize: 2 }), []);
  });

  it('names a bad threshold', async () => {
    await assert.rejects(communityDetection([[1]], { threshold: Number.NaN }), /communityDetection: threshold must be a number; got NaN/);
  });
});
