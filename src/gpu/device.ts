/**
 * A WebGPU device for training: the browser's `navigator.gpu` or Node's Dawn (`webgpu` package),
 * with the adapter's own buffer limits requested so big matrices shard as little as possible.
 */
export interface GpuDevice {
  device: GPUDevice;
  /** Held so the instance lives as long as the device: Dawn in Node frees it when collected, under the device's feet. */
  gpu: GPU;
  adapterObject: GPUAdapter;
  /** What the user sees: vendor, architecture and driver, e.g. "google swiftshader (SwiftShader driver 5.0.0)". */
  adapter: string;
  /** A software adapter (SwiftShader, llvmpipe): exact, but each invocation costs much more. */
  software: boolean;
  /** The largest storage buffer one binding may hold, in bytes. */
  maxBinding: number;
  /** Set once the device is lost; every later use must go to the CPU. */
  lost: string | undefined;
  /** The first uncaptured error (a kernel or validation fault), if any. */
  error: string | undefined;
}

export class GpuUnavailableError extends Error {
  override name = 'GpuUnavailableError';
}

export async function openGpuDevice(gpu: GPU | undefined): Promise<GpuDevice> {
  if (!gpu) throw new GpuUnavailableError('WebGPU is not available here (no navigator.gpu)');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new GpuUnavailableError('WebGPU found no adapter (no GPU driver, or WebGPU is disabled)');
  const { limits } = adapter;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
    },
  });
  const out: GpuDevice = {
    device,
    gpu,
    adapterObject: adapter,
    adapter: describeAdapter(adapter.info),
    software: isSoftware(adapter.info),
    maxBinding: Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize),
    lost: undefined,
    error: undefined,
  };
  void device.lost.then((info) => {
    out.lost = info.message || info.reason || 'lost';
  });
  device.addEventListener('uncapturederror', (event) => {
    out.error ??= (event as GPUUncapturedErrorEvent).error.message;
  });
  return out;
}

function isSoftware(info: GPUAdapterInfo): boolean {
  const fallback = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return fallback || /swiftshader|llvmpipe|lavapipe|software/i.test(`${info.vendor} ${info.architecture} ${info.description} ${info.device}`);
}

function describeAdapter(info: GPUAdapterInfo): string {
  const name = [info.vendor, info.architecture].filter(Boolean).join(' ') || 'WebGPU adapter';
  const detail = info.description || info.device;
  return detail ? `${name} (${detail})` : name;
}
