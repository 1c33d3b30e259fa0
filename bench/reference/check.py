"""Checks the PyTorch port against a tfjs export: parameter counts, outputs, losses, gradients, moving
statistics, inference outputs and two Adam updates, each within a relative tolerance.

    /usr/bin/python3 bench/reference/check.py DIR [--tolerance 1e-4]

DIR is a bundle written by bench/reference/check.ts (`npm run bench:reference-check` runs both). Relative
error of a tensor = max |torch - tfjs| / max |tfjs|. Prints one line per group and exits 1 on any failure.

Two things are pinned to tfjs' choices before gradients are compared, and checked on their own: which units
each ReLU keeps, and the sign of each L1 difference. A unit or pixel within rounding of zero may fall on
either side in the two frameworks, and on a batch of 8 one such unit moves a gradient by ~1e-4.

A gradient over the tolerance still passes when the port run in float64 shows that the difference is tfjs'
own rounding: the float32 port within the tolerance of the float64 one and at least EXACTER times closer to
it than tfjs, and tfjs within TFJS_SUM_ROUNDING of it. tfjs 4.22's wasm Sum adds into one float32 running total, so a gradient summed over
the 16k pixels of a 1/4-resolution map at 128x256 can be ~1e-4..1e-3 off (depth_predict/bias at 128x256 is
reproduced bit for bit by a sequential float32 sum of the exact terms); torch's reductions are cascaded.
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scene_losses import task_losses  # noqa: E402
from scene_net import SceneNet, kernel_to_tfjs, kernel_to_torch, load_tfjs_weights  # noqa: E402
from tensor_io import nhwc, read_bundle, torch_batch  # noqa: E402

# A ReLU input or L1 difference that the frameworks round to opposite sides of zero is at most this far from
# it, relative to the largest in its tensor: float32 convs and batch norm agree to ~1e-6 relative.
ROUNDING = 1e-5
# Error of a sequential float32 sum of n same-sign terms: up to ~n * 2^-24; n = 8 * 32 * 64 = 16384 pixels
# (the longest gradient reduction at 128x256) gives 1e-3.
TFJS_SUM_ROUNDING = 1e-3
# How much closer to the float64 port the float32 port must be than tfjs for a difference to be tfjs' rounding.
EXACTER = 10
# Targets and masks of each L1 task.
L1_TARGETS = {'instances': ('offsets', 'offsetMask'), 'depth': ('disparity', 'disparityMask')}


def relative_error(actual, expected):
    """max |actual - expected| / max |expected| (the plain max difference where expected is all zero)."""
    actual, expected = np.asarray(actual, np.float64), np.asarray(expected, np.float64)
    if actual.shape != expected.shape:
        return float('inf')
    scale = np.abs(expected).max() if expected.size else 0.0
    diff = np.abs(actual - expected).max() if expected.size else 0.0
    return diff / scale if scale > 0 else diff


class Report:
    """Prints one line per check (the worst tensor of a group) and collects the failures."""

    def __init__(self, tolerance):
        self.tolerance = tolerance
        self.failures = []
        self.excused = 0

    def group(self, title, pairs, excuse=None):
        """Fails tensors over the tolerance, unless `excuse(name)` returns why the difference is not the port's."""
        errors = {name: relative_error(actual, expected) for name, (actual, expected) in pairs.items()}
        worst = max(errors, key=errors.get)
        over = [name for name, e in errors.items() if not e <= self.tolerance]
        excused = {name: excuse(name) for name in over} if excuse else {}
        bad = [name for name in over if not excused.get(name)]
        print(f'{"ok" if not bad else "FAIL":4} {title}: {len(errors)} tensors, worst {errors[worst]:.2e} ({worst})')
        for name in over:
            print(f'       {name}: {errors[name]:.2e}{"; " + excused[name] if excused.get(name) else ""}')
        self.failures += [f'{title}: {name}' for name in bad]
        self.excused += len(over) - len(bad)

    def require(self, title, condition, detail):
        print(f'{"ok" if condition else "FAIL":4} {title}: {detail}')
        if not condition:
            self.failures.append(title)


def nchw_mask(mask):
    """A [B, H, W, C] bool array as a [B, C, H, W] tensor."""
    return torch.from_numpy(np.ascontiguousarray(mask.transpose(0, 3, 1, 2)))


def tfjs_value(tensor, is_kernel):
    """A torch weight or gradient in tfjs' layout, as float64 numpy."""
    tensor = tensor.detach()
    return (kernel_to_tfjs(tensor) if is_kernel else tensor).double().numpy()


def l1_signs(outputs, tasks, batch, tensors):
    """tfjs' sign of each L1 difference (its |x| gradient is +1 for x > 0, else -1), from tfjs' own outputs
    (float32 subtraction rounds the same in numpy), and (count, counted, worst) of the counted pixels where
    torch's sign differs, worst = largest |difference| there relative to the largest."""
    signs, count, counted_total, worst = {}, 0, 0, 0.0
    for task, output in zip(tasks, outputs):
        if task not in L1_TARGETS:
            continue
        target_name, mask_name = L1_TARGETS[task]
        tfjs_difference = tensors[f'ref/outputs/{task}'] - tensors[f'batch/{target_name}']
        sign = np.where(tfjs_difference > 0, 1.0, -1.0).transpose(0, 3, 1, 2)
        signs[task] = torch.from_numpy(np.ascontiguousarray(sign)).to(output.dtype)
        with torch.no_grad():
            difference = output - batch[target_name]
            counted = (batch[mask_name] > 0).expand_as(difference)
            differ = ((difference > 0) != (signs[task] > 0)) & counted
            count += int(differ.sum())
            counted_total += int(counted.sum())
            if bool(differ.any()):
                worst = max(worst, float(difference[differ].abs().max() / difference.abs().max()))
    return signs, (count, counted_total, worst)


class PortStep:
    """One training-mode step of the port at a dtype, with tfjs' ReLU decisions and L1 signs."""

    def __init__(self, meta, tensors, dtype):
        self.net = SceneNet(meta['networkWidth'], meta['classes'], meta['tasks'], exact_running_var=True)
        load_tfjs_weights(self.net, {k[len('weights/'):]: v for k, v in tensors.items() if k.startswith('weights/')})
        self.net.to(dtype)
        self.named = self.net.tfjs_named_tensors()
        self.parameters = {n: t for n, (t, _) in self.named.items() if isinstance(t, torch.nn.Parameter)}
        self.batch = {k: v.to(dtype) if v.is_floating_point() else v for k, v in torch_batch(tensors).items()}
        relu = self.net.relu
        relu.masks = {k[len('ref/relu/'):]: nchw_mask(v) for k, v in tensors.items() if k.startswith('ref/relu/')}
        self.net.train()
        self.outputs = self.net(self.batch['images'])
        signs, self.sign_mismatches = l1_signs(self.outputs, self.net.tasks, self.batch, tensors)
        self.losses = task_losses(self.outputs, self.net.tasks, self.batch, signs)
        self.total = sum(self.losses.values())
        self.total.backward()
        self.relu_mismatches = dict(relu.mismatches)
        self.relu_layers = len(relu.masks)
        relu.masks = None
        self.grads = {n: tfjs_value(p.grad, self.named[n][1]) for n, p in self.parameters.items()}


def check_decisions(report, step):
    count, counted, worst = step.sign_mismatches
    report.require(
        'L1 signs',
        worst <= ROUNDING,
        f'{count} of {counted} counted differences change sign, at |difference| <= {worst:.1e} of the largest '
        f'(rounding: <= {ROUNDING:g}); gradients are compared with tfjs\' signs',
    )
    mismatches = step.relu_mismatches.values()
    count = sum(m[0] for m in mismatches)
    units = sum(m[3] for m in mismatches)
    worst = max((m[1] / m[2] for m in mismatches if m[2] > 0), default=0.0)
    report.require(
        'ReLU decisions',
        len(step.relu_mismatches) == step.relu_layers and worst <= ROUNDING,
        f'{count} of {units} units differ from tfjs over {len(step.relu_mismatches)} ReLUs, at |input| <= '
        f'{worst:.1e} of the layer\'s largest (rounding: <= {ROUNDING:g}); gradients are compared with tfjs\' decisions',
    )


def check(directory, tolerance):
    meta, tensors = read_bundle(directory)
    report = Report(tolerance)
    height, width = meta['inputSize']
    print(f'{height}x{width}, batch {meta["batch"]}, network width {meta["networkWidth"]}, tasks {meta["tasks"]}')
    step = PortStep(meta, tensors, torch.float32)
    exact = PortStep(meta, tensors, torch.float64)
    net, named, parameters = step.net, step.named, step.parameters
    trainable, moving = net.parameter_counts()
    report.require(
        'parameter counts',
        (trainable, moving) == (meta['trainableParams'], meta['nonTrainableParams']),
        f'torch {trainable} + {moving}, tfjs {meta["trainableParams"]} + {meta["nonTrainableParams"]}',
    )
    report.require(
        'gradient count', len(parameters) == meta['gradients'], f'torch {len(parameters)}, tfjs {meta["gradients"]}'
    )
    check_decisions(report, step)
    report.group('training outputs', {t: (nhwc(o), tensors[f'ref/outputs/{t}']) for t, o in zip(net.tasks, step.outputs)})
    loss_pairs = {t: (loss.item(), tensors[f'ref/loss/{t}']) for t, loss in step.losses.items()}
    loss_pairs['total'] = (step.total.item(), tensors['ref/loss/total'])
    report.group('losses', loss_pairs)

    def tfjs_rounding(name):
        port = relative_error(step.grads[name], exact.grads[name])
        tfjs = relative_error(tensors[f'ref/grad/{name}'], exact.grads[name])
        if port <= tolerance and port * EXACTER <= tfjs <= TFJS_SUM_ROUNDING:
            return f'tfjs\' rounding: float64 port vs float32 port {port:.1e}, vs tfjs {tfjs:.1e}'
        return None

    report.group(
        'gradients', {n: (step.grads[n], tensors[f'ref/grad/{n}']) for n in parameters}, excuse=tfjs_rounding
    )
    report.group(
        'moving statistics after the step',
        {n: (t.double().numpy(), tensors[f'ref/moving/{n}']) for n, (t, _) in named.items() if 'moving' in n},
    )

    net.eval()
    with torch.no_grad():
        inferred = net(step.batch['images'])
    report.group('inference outputs', {t: (nhwc(o), tensors[f'ref/inference/{t}']) for t, o in zip(net.tasks, inferred)})

    adam = meta['adam']
    optimizer = torch.optim.Adam(
        list(parameters.values()), lr=adam['learningRate'], betas=(adam['beta1'], adam['beta2']), eps=adam['epsilon']
    )
    for number in (1, 2):
        # Both sides apply tfjs' gradients (then their squares), so this checks the update rule alone.
        for name, p in parameters.items():
            grad = torch.from_numpy(tensors[f'ref/grad/{name}'].copy())
            grad = grad if number == 1 else grad * grad
            p.grad = kernel_to_torch(grad) if named[name][1] else grad
        optimizer.step()
        report.group(
            f'Adam step {number}',
            {n: (tfjs_value(p, named[n][1]), tensors[f'ref/adam{number}/{n}']) for n, p in parameters.items()},
        )
    return report


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('directory')
    parser.add_argument('--tolerance', type=float, default=1e-4)
    args = parser.parse_args()
    torch.set_num_threads(1)
    report = check(args.directory, args.tolerance)
    if report.failures:
        print(f'FAILED: {len(report.failures)} checks over the tolerance {args.tolerance:g}')
        sys.exit(1)
    excused = f' ({report.excused} gradients over it by tfjs\' float32 sums, see above)' if report.excused else ''
    print(f'passed: tolerance {args.tolerance:g}{excused}')


if __name__ == '__main__':
    main()
