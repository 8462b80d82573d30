/** WGSL shared by the kernels: reading one byte of a column-major bin matrix packed into u32 words. */
export const READ_BIN = /* wgsl */ `
fn readBin(index: u32) -> u32 {
  return (bins[index >> 2u] >> ((index & 3u) * 8u)) & 0xffu;
}`;

/** Workgroups needed for `count` invocations of size `size`, and the grid-stride for dimension x. */
export function gridX(count: number, size: number, maxPerDimension: number): { groups: number; stride: number } {
  const groups = Math.max(1, Math.min(Math.ceil(count / size), maxPerDimension));
  return { groups, stride: groups * size };
}

export function storage(device: GPUDevice, size: number, label: string, extra = 0): GPUBuffer {
  return device.createBuffer({ label, size: Math.max(4, Math.ceil(size / 4) * 4), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | extra });
}

export function uniform(device: GPUDevice, words: number, label: string): GPUBuffer {
  return device.createBuffer({ label, size: Math.max(16, Math.ceil(words / 4) * 16), usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
}

/** Bytes padded with zeros to a multiple of 4, as `writeBuffer` needs, in a plain (unshared) ArrayBuffer. */
export function padded(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (bytes.byteLength % 4 === 0 && bytes.buffer instanceof ArrayBuffer) return bytes as Uint8Array<ArrayBuffer>;
  const out = new Uint8Array(Math.ceil(bytes.byteLength / 4) * 4);
  out.set(bytes);
  return out;
}

/** Reads a buffer back (COPY_SRC) through a staging buffer, after `encoder`'s work. */
export async function readBack(device: GPUDevice, encoder: GPUCommandEncoder, source: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
  const size = Math.max(4, Math.ceil(bytes / 4) * 4);
  const staging = device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  encoder.copyBufferToBuffer(source, 0, staging, 0, size);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = staging.getMappedRange().slice(0, bytes);
  staging.unmap();
  staging.destroy();
  return out;
}

/** Reads `bytes` of a buffer from `offset` (both multiples of 4), after the work already submitted. */
export async function readBackRange(device: GPUDevice, source: GPUBuffer, offset: number, bytes: number): Promise<ArrayBuffer> {
  const staging = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(source, offset, staging, 0, bytes);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = staging.getMappedRange().slice(0);
  staging.unmap();
  staging.destroy();
  return out;
}
