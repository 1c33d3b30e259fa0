"""PyTorch port of the project's network (src/model/network.ts), layer for layer, for benchmarks only.

The same weights give the same outputs as the tfjs model: bench/reference/check.py checks it against a
tfjs export. Layout is NCHW (PyTorch's own); the tfjs model is NHWC, so images, targets and kernels are
transposed when they cross over (tensor_io.py, load_tfjs_weights below).

What had to be reproduced rather than taken from torch's stock layers:
- tfjs' 'same' padding: for a stride-2 3x3 conv on an even size it pads 0 before and 1 after (PyTorch's
  padding=1 pads 1 on both sides, which samples a different grid), so strided convs pad explicitly.
- tfjs' bilinear UpSampling2D is tf.image.resizeBilinear with alignCorners=false and halfPixelCenters=false
  (source = destination / scale); torch's F.interpolate samples at half-pixel centres, so the upsampling
  here is built from elementwise ops (see upsample_bilinear_legacy).
- batch norm: tfjs' epsilon 1e-3 and momentum 0.9 (torch's momentum 0.1); tfjs updates the moving variance
  with the biased batch variance where torch uses the unbiased one. The training-mode output and gradients
  are the same either way; exact_running_var=True reproduces tfjs' moving variance too (the check uses it;
  the benchmark runs torch's own fused update).
- the dilated convs: tfjs builds them from space-to-batch around a plain conv (src/tf/layers/atrous-conv2d.ts),
  which equals a conv with dilation=rate and padding=rate when the sizes are multiples of the rate; here
  they are torch's native dilated convs.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

# The three tasks in the network's output order (src/model/tasks.ts).
TASKS = ('segmentation', 'instances', 'depth')
# Dilation rates of the context block (network.ts ASPP_RATES).
ASPP_RATES = (2, 4)
# tfjs-layers' BatchNormalization epsilon default (network.ts does not override it).
TFJS_BN_EPSILON = 1e-3
# network.ts BN_MOMENTUM: the weight of the old moving statistic in tfjs' convention.
TFJS_BN_MOMENTUM = 0.9


def head_channels(task, classes):
    """Output channels of a task's head (tasks.ts headChannels)."""
    return classes if task == 'segmentation' else 2 if task == 'instances' else 1


def same_padding(size, kernel, stride, dilation):
    """(before, after) padding of tfjs' 'same' on one axis: out = ceil(size / stride), the odd pixel after."""
    effective = (kernel - 1) * dilation + 1
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


class SameConv2d(nn.Conv2d):
    """A conv with tfjs' 'same' padding (asymmetric where tfjs pads asymmetrically)."""

    def __init__(self, cin, cout, kernel, stride=1, dilation=1, bias=False):
        super().__init__(cin, cout, kernel, stride=stride, dilation=dilation, bias=bias, padding=0)

    def forward(self, x):
        k, s, d = self.kernel_size[0], self.stride[0], self.dilation[0]
        top, bottom = same_padding(x.shape[2], k, s, d)
        left, right = same_padding(x.shape[3], k, s, d)
        if top == bottom and left == right:
            return F.conv2d(x, self.weight, self.bias, self.stride, (top, left), self.dilation)
        x = F.pad(x, (left, right, top, bottom))
        return F.conv2d(x, self.weight, self.bias, self.stride, 0, self.dilation)


class TfjsBatchNorm2d(nn.BatchNorm2d):
    """BatchNorm2d with tfjs' epsilon and momentum; optionally tfjs' biased moving-variance update."""

    def __init__(self, channels, exact_running_var=False):
        super().__init__(channels, eps=TFJS_BN_EPSILON, momentum=1 - TFJS_BN_MOMENTUM)
        self.exact_running_var = exact_running_var

    def forward(self, x):
        if not (self.training and self.exact_running_var):
            return super().forward(x)
        out = F.batch_norm(x, None, None, self.weight, self.bias, True, 0.0, self.eps)
        with torch.no_grad():
            var, mean = torch.var_mean(x, dim=(0, 2, 3), unbiased=False)
            # tfjs: moving := moving - (moving - batch) * (1 - momentum)
            self.running_mean.lerp_(mean, self.momentum)
            self.running_var.lerp_(var, self.momentum)
        return out


class ReluGate:
    """The network's ReLUs, shared by its units and named as tfjs' ReLU layers are.

    By default torch's in-place ReLU. With `masks` set ({tfjs ReLU layer name: bool NCHW tensor of the units
    tfjs kept}), each ReLU keeps exactly those units, and `mismatches` records where torch's own sign
    disagrees: (count, largest |input| among them, largest |input| of the layer, elements). Why: a unit
    whose input is within rounding of zero may land on either side in the two frameworks, and on a batch
    of 8 one such unit moves a gradient sum by ~1e-4 relative; the check compares gradients with tfjs'
    decisions and separately requires every disagreement to sit at rounding distance from zero.
    """

    def __init__(self):
        self.masks = None
        self.mismatches = {}

    def __call__(self, name, x):
        if self.masks is None:
            # In place, as torchvision does after batch norm: its backward needs its input, not its output.
            return F.relu(x, inplace=True)
        mask = self.masks[name]
        with torch.no_grad():
            differ = (x > 0) != mask
            largest = float(x[differ].abs().max()) if bool(differ.any()) else 0.0
            self.mismatches[name] = (int(differ.sum()), largest, float(x.abs().max()), x.numel())
        return x * mask


class ConvBn(nn.Module):
    """network.ts convBnRelu (and the atrous variants): conv without bias, batch norm, optional ReLU."""

    def __init__(self, name, gate, cin, cout, kernel, stride=1, dilation=1, relu=True, exact_running_var=False):
        super().__init__()
        self.conv = SameConv2d(cin, cout, kernel, stride=stride, dilation=dilation)
        self.bn = TfjsBatchNorm2d(cout, exact_running_var)
        self.relu_name = f'{name}_relu' if relu else None
        self.gate = gate

    def forward(self, x):
        x = self.bn(self.conv(x))
        return self.gate(self.relu_name, x) if self.relu_name else x


def upsample_bilinear_legacy(x, scale):
    """tf.image.resizeBilinear(x, [h*scale, w*scale]) without alignCorners or halfPixelCenters, NCHW.

    Source row of output row s*i + k is i + k/s: a blend of rows i and min(i + 1, h - 1) with weight k/s;
    the same along columns.
    """
    n, c, h, w = x.shape
    weights = torch.arange(scale, dtype=x.dtype, device=x.device) / scale
    below = torch.cat([x[:, :, 1:], x[:, :, -1:]], 2)
    y = x.unsqueeze(3) + (below - x).unsqueeze(3) * weights.view(1, 1, 1, scale, 1)
    y = y.reshape(n, c, h * scale, w)
    right = torch.cat([y[..., 1:], y[..., -1:]], 3)
    y = y.unsqueeze(4) + (right - y).unsqueeze(4) * weights.view(1, 1, 1, 1, scale)
    return y.reshape(n, c, h * scale, w * scale)


class SceneNet(nn.Module):
    """network.ts buildNetwork: encoder to 1/8, dilated residual block, ASPP, one decoder per task.

    Units are named as the tfjs layers are (`stem` holds tfjs' `stem_conv` and `stem_bn`), so that
    load_tfjs_weights can map every tfjs weight by name.
    """

    def __init__(self, width=16, classes=19, tasks=TASKS, exact_running_var=False):
        super().__init__()
        w = width
        self.tasks = tuple(t for t in TASKS if t in tasks)
        self.relu = ReluGate()
        units = {}

        def unit(name, cin, cout, kernel, stride=1, dilation=1, relu=True):
            units[name] = ConvBn(name, self.relu, cin, cout, kernel, stride, dilation, relu, exact_running_var)

        unit('stem', 3, w, 3, stride=2)
        unit('stage2_down', w, 2 * w, 3, stride=2)
        unit('stage2_conv', 2 * w, 2 * w, 3)
        unit('stage3_down', 2 * w, 4 * w, 3, stride=2)
        unit('stage4_a', 4 * w, 4 * w, 3, dilation=2)
        unit('stage4_b', 4 * w, 4 * w, 3, dilation=2, relu=False)
        unit('aspp_1x1', 4 * w, 2 * w, 1)
        for rate in ASPP_RATES:
            unit(f'aspp_r{rate}', 4 * w, 2 * w, 3, dilation=rate)
        unit('aspp_pool_proj', 4 * w, 2 * w, 1)
        unit('aspp_project', 8 * w, 4 * w, 1)
        predictors = {}
        for task in self.tasks:
            unit(f'{task}_skip', 2 * w, w, 1)
            unit(f'{task}_refine', 5 * w, 2 * w, 3)
            predictors[task] = SameConv2d(2 * w, head_channels(task, classes), 1, bias=True)
        self.units = nn.ModuleDict(units)
        self.predictors = nn.ModuleDict(predictors)

    def forward(self, image):
        u = self.units
        stem = u['stem'](image)
        low_level = u['stage2_conv'](u['stage2_down'](stem))
        x = u['stage3_down'](low_level)
        y = u['stage4_b'](u['stage4_a'](x))
        x = self.relu('stage4_relu', x + y)
        branches = [u['aspp_1x1'](x)] + [u[f'aspp_r{rate}'](x) for rate in ASPP_RATES]
        pooled = u['aspp_pool_proj'](x.mean((2, 3), keepdim=True))
        branches.append(pooled.expand(-1, -1, x.shape[2], x.shape[3]))
        context = u['aspp_project'](torch.cat(branches, 1))
        outputs = []
        for task in self.tasks:
            fused = torch.cat([upsample_bilinear_legacy(context, 2), u[f'{task}_skip'](low_level)], 1)
            refined = u[f'{task}_refine'](fused)
            outputs.append(upsample_bilinear_legacy(self.predictors[task](refined), 4))
        return outputs

    def tfjs_named_tensors(self):
        """{tfjs weight name: (torch tensor, is_kernel)}, trainable weights and moving statistics alike."""
        named = {}
        for name, block in self.units.items():
            # A dilated conv's kernel belongs to the TimeDistributed wrapper of atrous-conv2d.ts.
            conv = f'{name}_per_phase' if block.conv.dilation[0] > 1 else f'{name}_conv'
            named[f'{conv}/kernel'] = (block.conv.weight, True)
            named[f'{name}_bn/gamma'] = (block.bn.weight, False)
            named[f'{name}_bn/beta'] = (block.bn.bias, False)
            named[f'{name}_bn/moving_mean'] = (block.bn.running_mean, False)
            named[f'{name}_bn/moving_variance'] = (block.bn.running_var, False)
        for task, conv in self.predictors.items():
            named[f'{task}_predict/kernel'] = (conv.weight, True)
            named[f'{task}_predict/bias'] = (conv.bias, False)
        return named

    def parameter_counts(self):
        """(trainable parameters, moving statistics): what tfjs counts as trainable and non-trainable."""
        trainable = sum(p.numel() for p in self.parameters())
        moving = sum(b.numel() for n, b in self.named_buffers() if n.endswith(('running_mean', 'running_var')))
        return trainable, moving


def kernel_to_torch(kernel):
    """tfjs conv kernel [kh, kw, in, out] -> torch [out, in, kh, kw]."""
    return kernel.permute(3, 2, 0, 1).contiguous()


def kernel_to_tfjs(weight):
    """torch conv weight [out, in, kh, kw] -> tfjs kernel [kh, kw, in, out]."""
    return weight.permute(2, 3, 1, 0).contiguous()


def load_tfjs_weights(net, weights):
    """Copies tfjs weights ({name: np.ndarray}) into the net; fails on a missing, extra or mis-shaped one."""
    named = net.tfjs_named_tensors()
    missing = sorted(set(named) - set(weights))
    extra = sorted(set(weights) - set(named))
    if missing or extra:
        raise ValueError(f'tfjs and torch weights differ: missing {missing}, extra {extra}')
    with torch.no_grad():
        for name, (tensor, is_kernel) in named.items():
            value = torch.from_numpy(weights[name].copy())
            if is_kernel:
                value = kernel_to_torch(value)
            if tuple(value.shape) != tuple(tensor.shape):
                raise ValueError(f'{name}: tfjs shape {tuple(value.shape)}, torch {tuple(tensor.shape)}')
            tensor.copy_(value)
