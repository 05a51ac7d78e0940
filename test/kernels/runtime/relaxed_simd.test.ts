import { expect, test } from 'vitest';
import { enableRelaxedSimd, relaxedSimdSupported } from '../../../src/kernels/runtime/relaxed_simd.js';

test('relaxed SIMD can be switched on at run time on this Node', () => {
  expect(typeof relaxedSimdSupported()).toBe('boolean');
  // Node 20 (V8 11.3) has it behind a flag, newer Node on by default: either way it ends up on,
  // which also shows the probe module is well-formed (a malformed probe would never validate).
  expect(enableRelaxedSimd()).toBe(true);
  expect(relaxedSimdSupported()).toBe(true);
});
