/** Geometry of a 2-D convolution in NHWC layout, as tfjs's `computeConv2DInfo` reports it. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
}

/**
 * Plain reference for the filter gradient of a convolution: dW[fy,fx,ci,co] is the sum over the batch and
 * output positions of x at the input position the filter tap saw, times dy. NHWC x and dy, HWIO dW.
 */
export function conv2dBackpropFilterReference(x: Float32Array, dy: Float32Array, g: ConvGeometry): Float32Array {
  const dw = new Float32Array(g.filterHeight * g.filterWidth * g.inChannels * g.outChannels);
  const co = g.outChannels;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let ox = 0; ox < g.outWidth; ox++) {
        const dyBase = ((b * g.outHeight + oy) * g.outWidth + ox) * co;
        for (let fy = 0; fy < g.filterHeight; fy++) {
          const iy = oy * g.strideHeight + fy * g.dilationHeight - g.padTop;
          if (iy < 0 || iy >= g.inHeight) continue;
          for (let fx = 0; fx < g.filterWidth; fx++) {
            const ix = ox * g.strideWidth + fx * g.dilationWidth - g.padLeft;
            if (ix < 0 || ix >= g.inWidth) continue;
            const xBase = ((b * g.inHeight + iy) * g.inWidth + ix) * g.inChannels;
            const dwTap = (fy * g.filterWidth + fx) * g.inChannels;
            for (let ci = 0; ci < g.inChannels; ci++) {
              const xv = x[xBase + ci]!;
              if (xv === 0) continue;
              const dwBase = (dwTap + ci) * co;
              for (let c = 0; c < co; c++) dw[dwBase + c]! += xv * dy[dyBase + c]!;
            }
          }
        }
      }
    }
  }
  return dw;
}
