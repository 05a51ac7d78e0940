// Momentum SGD in one pass over a variable, as tfjs's MomentumOptimizer computes it (c = -lr):
//   acc' = momentum * acc + g
//   x'   = c * acc' + x                          or, with Nesterov,   x' = c * (g + acc' * momentum) + x
// Every step is a separately rounded f32 operation in tfjs's order, never a fused multiply-add, even in
// the relaxed-SIMD build: the update then equals tfjs's op-by-op one bit for bit, on any backend.
import { blockEnd, blockStart } from "./elementwise_range";

/** Writes the updated variable and accumulation of elements in blocks [lo, hi) (elementwise_range.ts); x_out may
 *  be x and acc_out may be acc, since every element is read before it is written. `nesterov` is 0 or 1. */
export function f32_momentum__wasmsimd(
  x: usize, acc: usize, g: usize, x_out: usize, acc_out: usize, n: i32,
  momentum: f32, c: f32, nesterov: i32,
  lo: i32, hi: i32, thread: i32,
): void {
  const end = blockEnd(hi, n);
  const vm = f32x4.splat(momentum);
  const vc = f32x4.splat(c);
  let i = blockStart(lo);
  if (nesterov != 0) {
    for (; i + 4 <= end; i += 4) {
      const o = <usize>i << 2;
      const gv = v128.load(g + o);
      const a = f32x4.add(f32x4.mul(vm, v128.load(acc + o)), gv);
      v128.store(acc_out + o, a);
      v128.store(x_out + o, f32x4.add(f32x4.mul(vc, f32x4.add(gv, f32x4.mul(a, vm))), v128.load(x + o)));
    }
    for (; i < end; i++) {
      const o = <usize>i << 2;
      const gs = load<f32>(g + o);
      const a = momentum * load<f32>(acc + o) + gs;
      store<f32>(acc_out + o, a);
      store<f32>(x_out + o, c * (gs + a * momentum) + load<f32>(x + o));
    }
    return;
  }
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i << 2;
    const a = f32x4.add(f32x4.mul(vm, v128.load(acc + o)), v128.load(g + o));
    v128.store(acc_out + o, a);
    v128.store(x_out + o, f32x4.add(f32x4.mul(vc, a), v128.load(x + o)));
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const a = momentum * load<f32>(acc + o) + load<f32>(g + o);
    store<f32>(acc_out + o, a);
    store<f32>(x_out + o, c * a + load<f32>(x + o));
  }
}
