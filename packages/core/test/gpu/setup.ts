/**
 * Set-up of the GPU conformance run: every tensor a test makes without naming a device goes to
 * the GPU, so the op suites below run their golden cases on the WebGPU backend.
 */
import { gpu, setDefaultDevice } from '../../src/device.js';

if (!gpu.isAvailable()) throw new Error(`GPU conformance run: no GPU (${gpu.deviceName()})`);
setDefaultDevice('gpu');
