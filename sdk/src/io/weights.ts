// Moving weights between tf tensors and safetensors files, with errors that name the file and tensor.
import * as tf from '@tensorflow/tfjs';
import { writeFile } from 'node:fs/promises';
import { encodeSafetensors, type RawTensor } from './safetensors';

/** Writes float32 tensors to a safetensors file (reads each tensor from the backend once). */
export async function writeWeights(path: string, named: Map<string, tf.Tensor>): Promise<void> {
  const plain = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, t] of named) {
    const data = (await t.data()) as Float32Array;
    plain.set(name, { shape: t.shape.slice(), data: data instanceof Float32Array ? data : Float32Array.from(data) });
  }
  await writeFile(path, encodeSafetensors(plain));
}

/** Takes one tensor out of a loaded file, checking its presence and shape. */
export function takeTensor(tensors: Map<string, RawTensor>, name: string, shape: readonly number[] | undefined, file: string): tf.Tensor {
  const raw = tensors.get(name);
  if (!raw) throw new Error(`${file} has no tensor '${name}' (found: ${[...tensors.keys()].slice(0, 8).join(', ')}${tensors.size > 8 ? ', ...' : ''})`);
  if (shape && (raw.shape.length !== shape.length || raw.shape.some((d, i) => d !== shape[i]))) {
    throw new Error(`${file}: tensor '${name}' has shape [${raw.shape}], expected [${shape}]`);
  }
  return tf.tensor(raw.data instanceof Float32Array ? raw.data : Float32Array.from(raw.data), raw.shape, 'float32');
}
