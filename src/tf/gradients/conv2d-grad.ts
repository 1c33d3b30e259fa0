import type { Conv2DAttrs, GradConfig, NamedAttrMap, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';

/**
 * Gradient of Conv2D that, unlike tfjs-core's, supports dilation rates greater than 1
 * ("dilation rates greater than 1 are not yet supported in gradients"), on every backend.
 *
 * With dilation d (tfjs requires stride 1 then), the convolution is rewritten exactly as a plain
 * convolution between space-to-batch and batch-to-space (the way TensorFlow's atrous_conv2d computes it):
 * pad x explicitly, split it into d*d phase images of 1/d the size, convolve each with the undilated filter
 * ('valid'), and interleave. Its gradients are the ordinary stride-1 conv gradients on the phase images,
 * so no multiplication by zero is done and the backend's fast kernels are used.
 * With dilation 1 it does exactly what tfjs-core's gradient does.
 */
export const conv2dGradConfig: GradConfig = {
  kernelName: 'Conv2D',
  inputsToSave: ['x', 'filter'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, filter] = saved as [Tensor4D, Tensor4D];
    const { dilations, strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as Conv2DAttrs;
    const dy4 = dy as Tensor4D;
    const [dilationH, dilationW] =
      typeof dilations === 'number' ? [dilations, dilations] : (dilations ?? [1, 1]);
    if (dilationH === 1 && dilationW === 1) {
      return {
        x: () => backpropInput(x.shape, dy4, filter, strides, pad, dataFormat, dimRoundingMode),
        filter: () => backpropFilter(x, dy4, filter.shape, strides, pad, dataFormat, dimRoundingMode),
      };
    }
    if (dataFormat === 'NCHW') {
      throw new Error('Conv2D gradient: dilation > 1 is supported for NHWC only');
    }
    // Both gradients share the space-to-batch tensors, so compute them together, up front; whichever the
    // engine does not ask for is freed with the rest of the backward pass' scope.
    const { dx, dFilter } = dilatedConvGrads(x, dy4, filter, [dilationH, dilationW], pad, dimRoundingMode);
    return { x: () => dx, filter: () => dFilter };
  },
};

type Pad = Conv2DAttrs['pad'];

function backpropInput(
  inputShape: [number, number, number, number],
  dy: Tensor4D,
  filter: Tensor4D,
  strides: Conv2DAttrs['strides'],
  pad: Pad,
  dataFormat: Conv2DAttrs['dataFormat'] = 'NHWC',
  dimRoundingMode?: Conv2DAttrs['dimRoundingMode'],
): Tensor4D {
  return tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, {
    strides,
    pad,
    dataFormat,
    dimRoundingMode,
    inputShape,
  } as unknown as NamedAttrMap) as Tensor4D;
}

function backpropFilter(
  x: Tensor4D,
  dy: Tensor4D,
  filterShape: [number, number, number, number],
  strides: Conv2DAttrs['strides'],
  pad: Pad,
  dataFormat: Conv2DAttrs['dataFormat'] = 'NHWC',
  dimRoundingMode?: Conv2DAttrs['dimRoundingMode'],
): Tensor4D {
  return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
    strides,
    pad,
    dataFormat,
    dimRoundingMode,
    filterShape,
  } as unknown as NamedAttrMap) as Tensor4D;
}

/** Both gradients of a dilated stride-1 NHWC convolution, through space-to-batch phase images. */
function dilatedConvGrads(
  x: Tensor4D,
  dy: Tensor4D,
  filter: Tensor4D,
  [dilationH, dilationW]: [number, number],
  pad: Pad,
  dimRoundingMode?: Conv2DAttrs['dimRoundingMode'],
): { dx: Tensor4D; dFilter: Tensor4D } {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(
      x.shape,
      filter.shape,
      1,
      [dilationH, dilationW],
      pad,
      dimRoundingMode,
    );
    const { top, bottom, left, right } = info.padInfo;
    const [batch, inH, inW, inC] = x.shape;
    // Each phase image must be whole: pad the padded input up to a multiple of the dilation.
    const extraH = mod(-(inH + top + bottom), dilationH);
    const extraW = mod(-(inW + left + right), dilationW);
    const blocks: [number, number] = [dilationH, dilationW];
    const phasePadding = [
      [0, extraH],
      [0, extraW],
    ];
    const xPadded = tf.pad(x, [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ]);
    const xPhases = tf.spaceToBatchND(xPadded, blocks, phasePadding) as Tensor4D;
    const dyPhases = tf.spaceToBatchND(dy, blocks, phasePadding) as Tensor4D;
    const dFilter = backpropFilter(xPhases, dyPhases, filter.shape, 1, 'valid');
    const dxPhases = backpropInput(xPhases.shape, dyPhases, filter, 1, 'valid');
    const dxPadded = tf.batchToSpaceND(dxPhases, blocks, phasePadding) as Tensor4D;
    const dx = tf.slice(dxPadded, [0, top, left, 0], [batch, inH, inW, inC]);
    return { dx, dFilter };
  });
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
