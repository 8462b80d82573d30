import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Chromium's software Vulkan driver (SwiftShader), Debian's path: the GPU of last resort. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * WebGPU in Node through Dawn (the `webgpu` package), with a Vulkan driver found without help:
 * the system's drivers first, or the one VK_ICD_FILENAMES names; when none gives an adapter,
 * Chromium's SwiftShader. Installs Dawn's globals (GPUBufferUsage, GPUMapMode, …) for src/gpu.
 */
/** Instances given up on stay referenced: Dawn aborts the process when one is collected mid-run. */
const retired: GPU[] = [];

export async function nodeGpu(): Promise<GPU> {
  // Vulkan's Wayland/X11 probing complains loudly without a runtime directory.
  process.env.XDG_RUNTIME_DIR ??= mkdtempSync(join(tmpdir(), 'workbench-xdg-'));
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const first = create([]);
  if (process.env.VK_ICD_FILENAMES || (await first.requestAdapter())) return first;
  if (!existsSync(SWIFTSHADER_ICD)) return first;
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  retired.push(first);
  return create([]);
}
